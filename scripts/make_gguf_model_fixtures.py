"""Whole-model GGUF fixtures (issue 15, item 7): tiny random models written as GGUF files, with
the references transformers computes from those files.

One folder per case under Tests/HuggingFaceTests/Fixtures/gguf/<case>/ holding

  model.gguf            a tiny seeded random transformers model (built from a config, nothing
                        downloaded), written with gguf-py's GGUFWriter in the layout of llama.cpp's
                        convert_hf_to_gguf.py: `{arch}.*` hyperparameters, gguf-py's tensor names
                        (`gguf.get_tensor_name_map`, the table convert_hf_to_gguf.py maps HF names
                        with), llama's attn_q / attn_k rows permuted as `LlamaModel.permute` does,
                        Gemma's norms stored as 1 + w, norms and biases kept F32, no `output` tensor
                        when the embeddings are tied; plus a tokenizer in the metadata
                        (`tokenizer.ggml.*`: a byte-level BPE "gpt2" one or a SentencePiece-style
                        "llama" one with scores and <0x00>..<0xFF> byte tokens).
  expected.safetensors  what transformers computes from model.gguf:
      "input_ids"                    [n]             the prompt as transformers' tokenizer, built from
                                                     the same file, encodes it (BOS where it adds one)
      "logits"                       [n, vocab]      every position (float64 reference, stored f32)
      "attn.decoder.masked.<layer>"  [heads, n, n]   every layer, eager attention
      "greedy_ids", "beam_ids"       [n + new]       generate(do_sample=False, num_beams 1 / 4,
                                                     max_new_tokens=16) in float32, prompt included;
                                                     float64 gives the same ids
      "tokenizer.<k>"                [m]             ids of TOKENIZER_TEXTS[k]
  expected.json         the same facts readable: texts with their ids and tokens, prompt, seed,
                        tensor types, sizes, versions, the file's sha256.

transformers 5.24 loads llama / qwen2 / gemma3 GGUF files with its legacy loader
(modeling_gguf_pytorch_utils.load_gguf_checkpoint): every tensor goes through
`gguf.quants.dequantize` to float32, then llama's q/k rows are un-permuted
(LlamaTensorProcessor) and Gemma's norms get 1 subtracted (Gemma2TensorProcessor), then the tensor
is cast to the dtype asked for. So the float64 reference here is computed from exactly the float32
values gguf-py dequantises, widened.

Tensor types: gguf-py quantises F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0 and Q5_1
(`gguf.quants.quantize`); it only dequantises the K-quants, so Q2_K ... Q6_K are quantised here by a
plain min/max quantiser (`quantize_k`: not llama.cpp's error-minimising search, but valid blocks in
ggml-common.h's layout), and each K-quant tensor is checked to dequantise through gguf-py to within
one quantisation step of the float weights.

    /opt/attnscope-venv/bin/python scripts/make_gguf_model_fixtures.py [case ...]

Re-running gives identical bytes.
"""

import hashlib
import json
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("TQDM_DISABLE", "1")  # the GGUF loader's own progress bar

import numpy as np
import torch
from safetensors.torch import save_file
from tokenizers import pre_tokenizers

import gguf
from gguf import GGMLQuantizationType as T
from gguf import LlamaFileType as FT

import transformers
from transformers import AutoModelForCausalLM, AutoTokenizer
from transformers.utils import logging as hf_logging

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_llm_fixtures as llm  # noqa: E402  (the tokenizer corpus and trainer, the weight randomiser)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "HuggingFaceTests" / "Fixtures" / "gguf"
NEW_TOKENS = 16
QK_K = 256

TOKENIZER_TEXTS = [
    "Hello, world!",
    "  two leading spaces, and trailing ones   ",
    "digits 3.14159 and 1,000,000 in 2025-11-24",
    "naïve café, élan, Ünïcödé",
    "NFD A\u030a vs NFC \u00c5",
    "emoji 😀🚀 and CJK 注意力机制",
    "an unknown char \u0378 and a private one \ue000",
    "tabs\tand\nnewlines\n\nhere",
    "<s></s><unk><|endoftext|><|im_start|><bos><eos> special-looking",
    "",
]


# ---------------------------------------------------------------------------------------------
# K-quants (gguf-py has no quantiser for them). Layouts as gguf-py's dequantize_blocks reads them
# (gguf/quants.py, which follows ggml-common.h's block_q2_K ... block_q6_K).

def _f16(x):
    return np.asarray(x, dtype=np.float32).astype(np.float16)


def _div(a, b):
    return np.where(b != 0, a / np.where(b != 0, b, 1), 0.0)


def _asymmetric(x, sub, bits, scale_bits):
    """Per sub-block min/max: x ~= d*sc*q - dmin*m, q in [0, 2^bits), sc, m in [0, 2^scale_bits)."""
    nb = x.shape[0]
    xs = x.reshape(nb, -1, sub)
    lo = np.minimum(xs.min(-1), 0.0)
    hi = np.maximum(xs.max(-1), 0.0)
    qmax, smax = 2 ** bits - 1, 2 ** scale_bits - 1
    s, mn = (hi - lo) / qmax, -lo
    d16, dmin16 = _f16(s.max(-1) / smax), _f16(mn.max(-1) / smax)
    d, dmin = d16.astype(np.float32)[:, None], dmin16.astype(np.float32)[:, None]
    sc = np.clip(np.ceil(_div(s, d) - 1e-6), 0, smax)
    m = np.clip(np.rint(_div(mn, dmin)), 0, smax)
    step = (d * sc)[..., None]
    q = np.clip(np.rint(_div(xs + (dmin * m)[..., None], step)), 0, qmax)
    return d16, dmin16, sc.astype(np.uint8), m.astype(np.uint8), q.reshape(nb, QK_K).astype(np.uint8)


def _symmetric(x, sub, qneg, smax):
    """Per sub-block absmax: x ~= d*sc*q, q in [-qneg, qneg), sc in [-smax, smax]."""
    nb = x.shape[0]
    xs = x.reshape(nb, -1, sub)
    s = np.abs(xs).max(-1) / (qneg - 1)
    d16 = _f16(s.max(-1) / smax)
    d = d16.astype(np.float32)[:, None]
    sc = np.clip(np.ceil(_div(s, d) - 1e-6), 0, smax)
    q = np.clip(np.rint(_div(xs, (d * sc)[..., None])), -qneg, qneg - 1)
    return d16, sc.astype(np.int8), q.reshape(nb, QK_K).astype(np.int16)


def _pack_scales_k4(sc, m):
    """Q4_K / Q5_K: eight 6-bit scales and mins in 12 bytes (gguf-py's Q4_K.get_scale_min)."""
    out = np.zeros((sc.shape[0], 12), np.uint8)
    for j in range(4):
        out[:, j] = sc[:, j] | ((sc[:, j + 4] >> 4) << 6)
        out[:, 4 + j] = m[:, j] | ((m[:, j + 4] >> 4) << 6)
        out[:, 8 + j] = (sc[:, j + 4] & 0x0F) | ((m[:, j + 4] & 0x0F) << 4)
    return out


def _pack_2bit(q):
    """256 2-bit codes into 64 bytes: value e = h*128 + s*32 + i sits in byte h*32 + i at bit 2s."""
    q = q.reshape(-1, 2, 4, 32).astype(np.uint8)
    return (q[:, :, 0] | (q[:, :, 1] << 2) | (q[:, :, 2] << 4) | (q[:, :, 3] << 6)).reshape(-1, 64)


def _pack_bits(bits):
    """256 1-bit flags into 32 bytes: value e = b*32 + i sits in byte i at bit b."""
    bits = bits.reshape(-1, 8, 32).astype(np.uint8)
    out = np.zeros((bits.shape[0], 32), np.uint8)
    for b in range(8):
        out |= bits[:, b] << b
    return out


def _pack_nibbles(q):
    """256 4-bit codes into 128 bytes: sub-block 2c in the low nibbles of bytes c*32..c*32+31,
    sub-block 2c + 1 in their high nibbles."""
    q = q.reshape(-1, 4, 2, 32).astype(np.uint8)
    return (q[:, :, 0] | (q[:, :, 1] << 4)).reshape(-1, 128)


def quantize_k(x, qtype):
    """float32 rows (length a multiple of 256) -> K-quant block bytes, shape [rows, bytes]."""
    rows = x.shape[0]
    blocks = x.reshape(-1, QK_K).astype(np.float32)
    nb = blocks.shape[0]
    if qtype == T.Q2_K:  # scales[16] qs[64] d dmin
        d, dmin, sc, m, q = _asymmetric(blocks, 16, 2, 4)
        parts = [sc | (m << 4), _pack_2bit(q), d.view(np.uint8).reshape(nb, 2), dmin.view(np.uint8).reshape(nb, 2)]
    elif qtype == T.Q3_K:  # hmask[32] qs[64] scales[12] d
        d, sc, q = _symmetric(blocks, 16, 4, 31)
        u = (q + 4).astype(np.uint8)  # 0..7: low 2 bits in qs, bit 2 in hmask (set = no -4 offset)
        s6 = (sc.astype(np.int16) + 32).astype(np.uint8)  # 6-bit, stored + 32
        scales = np.zeros((nb, 12), np.uint8)
        for j in range(16):
            scales[:, j % 8] |= (s6[:, j] & 0x0F) << (4 * (j // 8))
            scales[:, 8 + j % 4] |= (s6[:, j] >> 4) << (2 * (j // 4))
        parts = [_pack_bits(u >> 2), _pack_2bit(u & 3), scales, d.view(np.uint8).reshape(nb, 2)]
    elif qtype == T.Q4_K:  # d dmin scales[12] qs[128]
        d, dmin, sc, m, q = _asymmetric(blocks, 32, 4, 6)
        parts = [d.view(np.uint8).reshape(nb, 2), dmin.view(np.uint8).reshape(nb, 2), _pack_scales_k4(sc, m),
                 _pack_nibbles(q)]
    elif qtype == T.Q5_K:  # d dmin scales[12] qh[32] qs[128]
        d, dmin, sc, m, q = _asymmetric(blocks, 32, 5, 6)
        parts = [d.view(np.uint8).reshape(nb, 2), dmin.view(np.uint8).reshape(nb, 2), _pack_scales_k4(sc, m),
                 _pack_bits(q >> 4), _pack_nibbles(q & 0x0F)]
    elif qtype == T.Q6_K:  # ql[128] qh[64] scales[16] d
        d, sc, q = _symmetric(blocks, 16, 32, 127)
        u = (q + 32).astype(np.uint8).reshape(nb, 2, 2, 64)  # e = h*128 + n*64 + k
        ql = (u[:, :, 0] & 0x0F) | ((u[:, :, 1] & 0x0F) << 4)  # byte h*64 + k
        hi = (u >> 4).reshape(nb, 2, 4, 32)  # e = h*128 + s*32 + i -> byte h*32 + i, bits 2s
        qh = hi[:, :, 0] | (hi[:, :, 1] << 2) | (hi[:, :, 2] << 4) | (hi[:, :, 3] << 6)
        parts = [ql.reshape(nb, 128), qh.reshape(nb, 64), sc.view(np.uint8), d.view(np.uint8).reshape(nb, 2)]
    else:
        raise ValueError(qtype)
    raw = np.concatenate(parts, axis=1)
    assert raw.shape[1] == gguf.GGML_QUANT_SIZES[qtype][1], (qtype, raw.shape)
    out = raw.reshape(rows, -1)
    # gguf-py must read back what was meant: within one step of each block's grid
    back = gguf.quants.dequantize(out, qtype).reshape(-1, QK_K)
    err = np.abs(back - blocks).max(-1)
    span = np.abs(blocks).max(-1)
    levels = {T.Q2_K: 3, T.Q3_K: 3, T.Q4_K: 15, T.Q5_K: 31, T.Q6_K: 31}[qtype]
    if not np.all(err <= 2.5 * span / levels + 1e-6):
        raise SystemExit(f"{qtype.name}: dequantised blocks off by up to {(err / span).max():.3f} of the range")
    return out


def encode(x, qtype):
    """float32 weights -> (array, raw_dtype) for GGUFWriter.add_tensor."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    if qtype == T.F32:
        return x, None
    if qtype == T.F16:
        return x.astype(np.float16), None
    if qtype in (T.Q2_K, T.Q3_K, T.Q4_K, T.Q5_K, T.Q6_K):
        return quantize_k(x, qtype), qtype
    return gguf.quants.quantize(x, qtype), qtype


# ---------------------------------------------------------------------------------------------
# Tokenizers, as GGUF metadata (convert_hf_to_gguf.py's _set_vocab_gpt2 / _set_vocab_sentencepiece
# write these keys; gguf-py's TokenType: 1 normal, 2 unknown, 3 control, 5 unused, 6 byte)

@dataclass
class Vocab:
    model: str                      # tokenizer.ggml.model
    pre: str                        # tokenizer.ggml.pre
    tokens: list
    types: list
    bos: int | None
    eos: int
    unk: int | None = None
    pad: int | None = None
    add_bos: bool = False
    merges: list | None = None      # gpt2: "a b" strings
    scores: list | None = None      # llama: one float per token
    add_space_prefix: bool = False


def gpt2_vocab(flavour):
    """Byte-level BPE trained on make_llm_fixtures' corpus. smollm: SmolLM2's layout (specials
    first: <|endoftext|> 0 = unk, <|im_start|> 1 = bos, <|im_end|> 2 = eos = pad, GPT-2's
    pre-tokenizer regex, which is what transformers uses for pre "smollm"); qwen2: Qwen's
    (byte alphabet, merges, then <|endoftext|> <|im_start|> <|im_end|>, vocab padded with
    [PAD<i>] tokens to a multiple of 64 as convert_hf_to_gguf.py pads to the embedding size,
    the Qwen 2 split regex)."""
    alphabet = llm.bytes_to_unicode()
    if flavour == "smollm":
        pre = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
        merges, _ = llm.train(None, pre, 256 + 190, alphabet)
        specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
        tokens = specials + alphabet
    else:
        split = pre_tokenizers.Split(llm.Regex(llm.QWEN2_REGEX), behavior="isolated", invert=False)
        pre = pre_tokenizers.Sequence([split, pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
        merges, _ = llm.train(llm.normalizers.NFC(), pre, 256 + 190, alphabet)
        tokens = list(alphabet)
    seen = set(tokens)
    for a, b in merges:
        if a + b not in seen:
            seen.add(a + b)
            tokens.append(a + b)
    types = [1] * len(tokens)
    if flavour == "smollm":
        types[:3] = [3, 3, 3]
        return Vocab("gpt2", "smollm", tokens, types, bos=1, eos=2, unk=0, pad=2, add_bos=False,
                     merges=[f"{a} {b}" for a, b in merges])
    first = len(tokens)
    tokens += ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    types += [3, 3, 3]
    while len(tokens) % 64:
        tokens.append(f"[PAD{len(tokens)}]")
        types.append(5)
    return Vocab("gpt2", "qwen2", tokens, types, bos=first, eos=first, pad=first, add_bos=False,
                 merges=[f"{a} {b}" for a, b in merges])


def sentencepiece_vocab(flavour):
    """SentencePiece-style BPE from make_llm_fixtures (specials, <0x00>..<0xFF>, characters, then
    merged pieces in merge order). Scores as in a Llama 2 GGUF: 0 for specials and bytes, then
    minus the merge rank, so transformers' generate_merges (which orders merges by the merged
    token's score) recovers the trained order. gemma3: Gemma's specials, scores -1000 for control
    tokens as in the real Gemma 3 file (transformers orders Gemma's merges by position instead)."""
    data, _ = llm.sentencepiece_tokenizer("gemma3" if flavour == "gemma3" else "llama")
    vocab = data["model"]["vocab"]
    tokens = sorted(vocab, key=vocab.get)
    assert [vocab[t] for t in tokens] == list(range(len(tokens)))
    types, scores = [], []
    for i, t in enumerate(tokens):
        if t in ("<unk>",):
            types.append(2)
            scores.append(-1000.0 if flavour == "gemma3" else 0.0)
        elif t.startswith("<") and t.endswith(">") and len(t) > 2 and not t.startswith("<0x"):
            types.append(3)
            scores.append(-1000.0 if flavour == "gemma3" else 0.0)
        elif t.startswith("<0x") and len(t) == 6:
            types.append(6)
            scores.append(0.0)
        else:
            types.append(1)
            scores.append(-float(i))
    if flavour == "gemma3":
        return Vocab("llama", "default", tokens, types, bos=tokens.index("<bos>"), eos=tokens.index("<eos>"),
                     unk=tokens.index("<unk>"), pad=tokens.index("<pad>"), add_bos=True, scores=scores,
                     add_space_prefix=False)
    return Vocab("llama", "default", tokens, types, bos=1, eos=2, unk=0, add_bos=True, scores=scores,
                 add_space_prefix=True)


VOCABS = {"spm-llama": lambda: sentencepiece_vocab("llama"), "spm-gemma3": lambda: sentencepiece_vocab("gemma3"),
          "gpt2-smollm": lambda: gpt2_vocab("smollm"), "gpt2-qwen2": lambda: gpt2_vocab("qwen2")}
_VOCAB_CACHE = {}


def vocab_for(kind):
    if kind not in _VOCAB_CACHE:
        _VOCAB_CACHE[kind] = VOCABS[kind]()
    return _VOCAB_CACHE[kind]


def add_tokenizer(writer, v):
    writer.add_tokenizer_model(v.model)
    writer.add_tokenizer_pre(v.pre)
    writer.add_token_list(v.tokens)
    if v.scores is not None:
        writer.add_token_scores(v.scores)
    writer.add_token_types(v.types)
    if v.merges is not None:
        writer.add_token_merges(v.merges)
    if v.bos is not None:
        writer.add_bos_token_id(v.bos)
    writer.add_eos_token_id(v.eos)
    if v.unk is not None:
        writer.add_unk_token_id(v.unk)
    if v.pad is not None:
        writer.add_pad_token_id(v.pad)
    writer.add_add_bos_token(v.add_bos)
    if v.model == "llama":
        writer.add_add_eos_token(False)
    writer.add_add_space_prefix(v.add_space_prefix)


# ---------------------------------------------------------------------------------------------
# Cases

def all_of(qtype):
    """Every 2-D weight in one type; 1-D tensors (norms, biases) F32, as llama.cpp keeps them."""
    return lambda name, shape: qtype if len(shape) == 2 else T.F32


def q4_k_m(name, shape):
    """Like llama-quantize's Q4_K_M (llama_tensor_get_type): the tied embedding / output in Q6_K,
    attn_v and ffn_down in more bits (here Q5_K in layer 0, Q6_K in layer 1), the rest Q4_K."""
    if len(shape) != 2:
        return T.F32
    if name == "token_embd.weight" or name == "output.weight":
        return T.Q6_K
    if name.endswith("attn_v.weight") or name.endswith("ffn_down.weight"):
        return T.Q5_K if name.startswith("blk.0.") else T.Q6_K
    return T.Q4_K


def gemma_types(name, shape):
    """Like the real Gemma 3 270M Q4_K_M file for rows that are not a multiple of 256: Q8_0 for
    the embedding, Q5_0 elsewhere."""
    if len(shape) != 2:
        return T.F32
    return T.Q8_0 if name == "token_embd.weight" else T.Q5_0


@dataclass
class Case:
    name: str
    arch: str               # general.architecture: llama, qwen2, gemma3
    vocab: str              # key of VOCABS
    config: dict            # transformers config keys (model_type first)
    types: object           # (gguf name, shape) -> GGMLQuantizationType
    file_type: FT
    prompt: str
    seed: int
    scale: float
    label: str = ""         # the type(s), for the table
    notes: str = ""
    # Llama 3.1's rope scaling as llama.cpp stores it: a `rope_freqs` tensor of per-frequency
    # divisors (and no scaling keys). transformers' GGUF loader ignores that tensor, so the
    # reference is the source model itself (same F32 weights, its `llama3` rope_parameters).
    rope_freqs: bool = False


SMALL = dict(model_type="llama", hidden_size=32, intermediate_size=64, num_hidden_layers=2,
             num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256, rms_norm_eps=1e-5,
             tie_word_embeddings=False, hidden_act="silu",
             rope_parameters={"rope_type": "default", "rope_theta": 10000.0})
WIDE = dict(SMALL, hidden_size=256, intermediate_size=256)
PROMPT = "Attention is all you need, said the fox."

LEGACY = [(T.F32, FT.ALL_F32), (T.F16, FT.MOSTLY_F16), (T.BF16, FT.MOSTLY_BF16), (T.Q8_0, FT.MOSTLY_Q8_0),
          (T.Q4_0, FT.MOSTLY_Q4_0), (T.Q4_1, FT.MOSTLY_Q4_1), (T.Q5_0, FT.MOSTLY_Q5_0), (T.Q5_1, FT.MOSTLY_Q5_1)]
KQUANTS = [(T.Q2_K, FT.MOSTLY_Q2_K), (T.Q3_K, FT.MOSTLY_Q3_K_S), (T.Q4_K, FT.MOSTLY_Q4_K_S),
           (T.Q5_K, FT.MOSTLY_Q5_K_S), (T.Q6_K, FT.MOSTLY_Q6_K)]

# Seeds found by make() (the first from 100 + i / 200 + i with greedy != beam).
SEEDS = {T.Q5_1: 108}

CASES = (
    [Case(f"llama-{t.name.lower()}", "llama", "spm-llama", SMALL, all_of(t), ft, PROMPT, seed=SEEDS.get(t, 100 + i),
          scale=0.35,
          label=t.name, notes="d 32, GQA 4/2, head_dim 8, untied output")
     for i, (t, ft) in enumerate(LEGACY)]
    + [Case(f"llama-{t.name.lower()}", "llama", "spm-llama", WIDE, all_of(t), ft, PROMPT, seed=SEEDS.get(t, 200 + i),
            scale=0.125,
            label=t.name, notes="d 256 (K-quant rows of 256), GQA 4/2, head_dim 64, untied output")
       for i, (t, ft) in enumerate(KQUANTS)]
    + [
        Case("llama-q4_k_m", "llama", "gpt2-smollm", dict(WIDE, tie_word_embeddings=True), q4_k_m,
             FT.MOSTLY_Q4_K_M, "I love you very much, said the fox to the dog in 2025.", seed=300, scale=0.125,
             label="Q4_K_M mix", notes="SmolLM2 layout: tied (no output tensor), token_embd Q6_K, attn_v / "
             "ffn_down Q5_K (layer 0) / Q6_K (layer 1), others Q4_K; gpt2 tokenizer, pre smollm"),
        Case("llama-rope-freqs", "llama", "spm-llama",
             dict(SMALL, max_position_embeddings=256,
                  rope_parameters={"rope_type": "llama3", "rope_theta": 10000.0, "factor": 8.0,
                                   "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                   "original_max_position_embeddings": 64}),
             all_of(T.F32), FT.ALL_F32, PROMPT, seed=600, scale=0.35, label="F32 + rope_freqs",
             notes="Llama 3.1 layout: llama3 rope scaling (factor 8, low 1, high 4, original 64: head_dim 8 "
                   "puts one frequency in each regime) written as the rope_freqs tensor "
                   "convert_hf_to_gguf.py makes; reference = the source model (transformers' GGUF loader "
                   "drops rope_freqs)", rope_freqs=True),
        Case("qwen2", "qwen2", "gpt2-qwen2",
             dict(model_type="qwen2", hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                  num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256, rms_norm_eps=1e-6,
                  tie_word_embeddings=True, use_sliding_window=False, sliding_window=None, max_window_layers=2,
                  hidden_act="silu", rope_parameters={"rope_type": "default", "rope_theta": 1000000.0}),
             all_of(T.Q8_0), FT.MOSTLY_Q8_0, "We love the sun and the rain in 2025!", seed=400, scale=0.25,
             label="Q8_0", notes="q/k/v biases (F32), GQA 4/2, head_dim 16, rope 1e6, tied; gpt2 tokenizer, pre "
             "qwen2, vocab padded with [PAD<i>] (unused) tokens to a multiple of 64"),
        Case("gemma3", "gemma3", "spm-gemma3",
             dict(model_type="gemma3_text", hidden_size=32, intermediate_size=64, num_hidden_layers=6,
                  num_attention_heads=2, num_key_value_heads=1, head_dim=256, max_position_embeddings=512,
                  rms_norm_eps=1e-6, sliding_window=4, hidden_activation="gelu_pytorch_tanh",
                  tie_word_embeddings=True, final_logit_softcapping=None, attn_logit_softcapping=None,
                  rope_parameters={"sliding_attention": {"rope_type": "default", "rope_theta": 10000.0},
                                   "full_attention": {"rope_type": "default", "rope_theta": 1000000.0}}),
             gemma_types, FT.MOSTLY_Q5_0, "The first token often takes the attention of the others.", seed=500,
             scale=0.25, label="Q5_0 + Q8_0 embd",
             notes="Gemma3ForCausalLM: 6 layers = 5 sliding (window 4) + 1 full (transformers' default "
                   "pattern 6, as llama.cpp's), head_dim 256 (key_length), MQA 2/1, q/k norms, "
                   "norms stored 1 + w, tied; SentencePiece tokenizer with Gemma's specials"),
    ]
)


# ---------------------------------------------------------------------------------------------
# Writing the GGUF file

ARCHS = {"llama": gguf.MODEL_ARCH.LLAMA, "qwen2": gguf.MODEL_ARCH.QWEN2, "gemma3": gguf.MODEL_ARCH.GEMMA3}


def permute(w, n_head, n_head_kv):
    """convert_hf_to_gguf.py LlamaModel.permute: within each head, HF's rotate-half order
    (first half, second half) becomes llama.cpp's interleaved pairs."""
    if n_head_kv is not None and n_head != n_head_kv:
        n_head = n_head_kv
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def rope_theta(config):
    rp = config.rope_parameters
    return rp["full_attention"]["rope_theta"] if "full_attention" in rp else rp["rope_theta"]


def rope_frequency_factors(cfg):
    """convert_hf_to_gguf.py LlamaModel.generate_extra_tensors: for `llama3` rope scaling, one
    divisor per frequency (1 for high frequencies, `factor` for low ones, the smooth ramp between),
    which llama.cpp's rope applies as θ_i / factor_i."""
    rp = cfg.rope_parameters
    base, dim = rp["rope_theta"], cfg.hidden_size // cfg.num_attention_heads
    factor, low, high = rp["factor"], rp["low_freq_factor"], rp["high_freq_factor"]
    old = rp["original_max_position_embeddings"]
    low_wavelength, high_wavelength = old / low, old / high
    freqs = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.float32) / dim))
    factors = []
    for freq in freqs.tolist():
        wavelength = 2 * np.pi / freq
        if wavelength < high_wavelength:
            factors.append(1)
        elif wavelength > low_wavelength:
            factors.append(factor)
        else:
            smooth = (old / wavelength - low) / (high - low)
            factors.append(1 / ((1 - smooth) / factor + smooth))
    return np.array(factors, dtype=np.float32)


def write_gguf(case, model, vocab, path):
    """The model as convert_hf_to_gguf.py would write it (then llama-quantize for the quantised
    types): hyperparameters (TextModel / LlamaModel / Gemma3Model.set_gguf_parameters), the
    tokenizer, then the tensors in the model's order."""
    cfg = model.config
    writer = gguf.GGUFWriter(str(path), arch=case.arch)  # writes general.architecture
    writer.add_type("model")
    writer.add_name(f"attnscope tiny {case.name}")
    writer.add_context_length(cfg.max_position_embeddings)
    writer.add_embedding_length(cfg.hidden_size)
    writer.add_block_count(cfg.num_hidden_layers)
    writer.add_feed_forward_length(cfg.intermediate_size)
    writer.add_head_count(cfg.num_attention_heads)
    writer.add_head_count_kv(cfg.num_key_value_heads)
    writer.add_rope_freq_base(rope_theta(cfg))
    writer.add_layer_norm_rms_eps(cfg.rms_norm_eps)
    if case.arch == "llama":  # LlamaModel.set_gguf_parameters
        writer.add_vocab_size(cfg.vocab_size)
        writer.add_rope_dimension_count(cfg.hidden_size // cfg.num_attention_heads)
    if case.arch == "gemma3":  # Gemma3Model.set_gguf_parameters
        writer.add_key_length(cfg.head_dim)
        writer.add_value_length(cfg.head_dim)
        writer.add_sliding_window(cfg.sliding_window)
    writer.add_file_type(case.file_type)
    add_tokenizer(writer, vocab)
    writer.add_quantization_version(gguf.GGML_QUANT_VERSION)

    names = gguf.get_tensor_name_map(ARCHS[case.arch], cfg.num_hidden_layers)
    tied = cfg.tie_word_embeddings
    types = {}
    if case.rope_freqs:
        writer.add_tensor("rope_freqs.weight", rope_frequency_factors(cfg))
        types["rope_freqs.weight"] = "F32"
    for hf_name, p in model.state_dict().items():
        if tied and hf_name == "lm_head.weight":
            continue  # llama.cpp writes no `output` for tied embeddings
        base, suffix = hf_name.rsplit(".", 1)
        name = f"{names.get_name(base)}.{suffix}"
        w = p.detach().to(torch.float32).numpy()
        if case.arch == "llama" and base.endswith("self_attn.q_proj"):
            w = permute(w, cfg.num_attention_heads, cfg.num_attention_heads)
        elif case.arch == "llama" and base.endswith("self_attn.k_proj"):
            w = permute(w, cfg.num_attention_heads, cfg.num_key_value_heads)
        if case.arch == "gemma3" and base.endswith("norm"):
            w = w + np.float32(1.0)  # Gemma3Model.modify_tensors: norm weights + 1
        qtype = case.types(name, w.shape)
        data, raw = encode(w, qtype)
        writer.add_tensor(name, data, raw_dtype=raw)
        types[name] = qtype.name
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return types


# ---------------------------------------------------------------------------------------------
# References

def load(folder, dtype):
    return AutoModelForCausalLM.from_pretrained(folder, gguf_file="model.gguf", dtype=dtype,
                                                attn_implementation="eager").eval()


def reference_model(case, folder, source, dtype):
    """transformers loading model.gguf; for a rope_freqs case the source model, whose F32 weights
    the file holds exactly, since the GGUF loader would drop the tensor that carries the scaling."""
    if not case.rope_freqs:
        return load(folder, dtype)
    import copy
    return copy.deepcopy(source).to(dtype)


def generate(model, ids, beams, pad):
    inputs = {"input_ids": torch.tensor([ids]), "attention_mask": torch.ones(1, len(ids), dtype=torch.int64)}
    with torch.no_grad():
        return model.generate(**inputs, do_sample=False, num_beams=beams, max_new_tokens=NEW_TOKENS,
                              pad_token_id=pad)[0].tolist()


def source_model(case, vocab, seed):
    keys = dict(case.config)
    model_type = keys.pop("model_type")
    config = transformers.AutoConfig.for_model(
        model_type, vocab_size=len(vocab.tokens), bos_token_id=vocab.bos, eos_token_id=vocab.eos,
        pad_token_id=vocab.pad, **keys)
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_config(config, attn_implementation="eager").eval()
    llm.randomize(model, seed, case.scale, gemma=model_type.startswith("gemma"))
    unused = [i for i, t in enumerate(vocab.types) if t == 5]
    if unused:  # padding rows stay near zero, as untrained rows of a real embedding do
        with torch.no_grad():
            model.get_input_embeddings().weight[unused] *= 0.05
    return model


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def try_seed(case, folder, vocab, seed):
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    source = source_model(case, vocab, seed)
    types = write_gguf(case, source, vocab, folder / "model.gguf")
    tok = AutoTokenizer.from_pretrained(folder, gguf_file="model.gguf")
    ids = tok(case.prompt)["input_ids"]
    if not 12 <= len(ids) <= 20:
        raise SystemExit(f"{case.name}: prompt is {len(ids)} tokens: {tok.convert_ids_to_tokens(ids)}")
    pad = vocab.pad if vocab.pad is not None else vocab.eos
    runs = {}
    for dtype in (torch.float32, torch.float64):
        model = reference_model(case, folder, source, dtype)
        if dtype == torch.float64:
            check_weights(case, source, model)
        for beams in (1, 4):
            runs[(dtype, beams)] = generate(model, ids, beams, pad)
        del model
    same = all(runs[(torch.float32, b)] == runs[(torch.float64, b)] for b in (1, 4))
    return source, types, tok, ids, runs[(torch.float32, 1)], runs[(torch.float32, 4)], same


def check_weights(case, source, loaded):
    """transformers' loaded weights against the source model: identical for F32 (the llama q/k
    permutation and Gemma's + 1 undone exactly), close for the others."""
    src = source.state_dict()
    worst = 0.0
    for name, p in loaded.state_dict().items():
        a, b = p.double(), src[name].double()
        if a.shape != b.shape:
            raise SystemExit(f"{case.name}: {name} loads as {tuple(a.shape)}, source {tuple(b.shape)}")
        rel = ((a - b).abs().max() / b.abs().max().clamp_min(1e-30)).item()
        worst = max(worst, rel)
        if case.label == "F32" and not torch.equal(a, b):
            raise SystemExit(f"{case.name}: {name} differs from the source by {(a - b).abs().max().item()}")
    if worst > 0.75:
        raise SystemExit(f"{case.name}: a loaded weight is off by {worst:.2f} of its range")
    if case.arch == "gemma3":
        kinds = loaded.config.layer_types
        assert "full_attention" in kinds and "sliding_attention" in kinds, kinds


def make(case):
    folder = OUT / case.name
    vocab = vocab_for(case.vocab)
    for seed in range(case.seed, case.seed + 20):
        source, types, tok, ids, greedy, beam, same = try_seed(case, folder, vocab, seed)
        # (generated ids on unused [PAD<i>] tokens are avoided: they have no text to show)
        used = all(vocab.types[i] != 5 for i in greedy + beam)
        if same and greedy != beam and used:
            break
        print(f"  {case.name}: seed {seed}: float32 == float64 generate {same}, greedy != beam {greedy != beam}, "
              f"no unused tokens generated {used}", flush=True)
    else:
        raise SystemExit(f"{case.name}: no seed gave greedy != beam with float32 == float64")
    if seed != case.seed:
        print(f"  {case.name}: NOTE seed {seed} used (update CASES)")

    reference = reference_model(case, folder, source, torch.float64)
    with torch.no_grad():
        out = reference(torch.tensor([ids]), output_attentions=True)
    cfg = reference.config
    texts = []
    for text in TOKENIZER_TEXTS:
        t_ids = tok(text)["input_ids"]
        texts.append({"text": text, "ids": t_ids, "tokens": tok.convert_ids_to_tokens(t_ids)})
    tensors = {"input_ids": torch.tensor(ids, dtype=torch.int64), "logits": out.logits[0].float()}
    tensors.update({f"attn.decoder.masked.{i}": a[0].float() for i, a in enumerate(out.attentions)})
    tensors["greedy_ids"] = torch.tensor(greedy, dtype=torch.int64)
    tensors["beam_ids"] = torch.tensor(beam, dtype=torch.int64)
    tensors.update({f"tokenizer.{k}": torch.tensor(t["ids"], dtype=torch.int64) for k, t in enumerate(texts)})
    versions = {"transformers": transformers.__version__, "torch": torch.__version__.split("+")[0],
                "gguf": _version("gguf"), "tokenizers": _version("tokenizers")}
    # (no safetensors metadata: the Rust side writes that map in a random order, so the bytes would
    # change from run to run; the versions are in expected.json)
    save_file({k: v.contiguous() for k, v in tensors.items()}, str(folder / "expected.safetensors"))
    gguf_path = folder / "model.gguf"
    counts = {}
    for t in types.values():
        counts[t] = counts.get(t, 0) + 1
    info = {
        "case": case.name, "architecture": case.arch, "types": case.label, "type_counts": counts,
        "tensor_types": types, "seed": seed, "notes": case.notes,
        "gguf_bytes": gguf_path.stat().st_size, "gguf_sha256": sha256(gguf_path),
        "config": {"model_type": cfg.model_type, "hidden_size": cfg.hidden_size,
                   "intermediate_size": cfg.intermediate_size, "num_hidden_layers": cfg.num_hidden_layers,
                   "num_attention_heads": cfg.num_attention_heads, "num_key_value_heads": cfg.num_key_value_heads,
                   "head_dim": getattr(cfg, "head_dim", None), "vocab_size": cfg.vocab_size,
                   "tie_word_embeddings": cfg.tie_word_embeddings, "rope_parameters": cfg.rope_parameters,
                   "layer_types": getattr(cfg, "layer_types", None),
                   "sliding_window": getattr(cfg, "sliding_window", None)},
        "tokenizer": {"model": vocab.model, "pre": vocab.pre, "tokens": len(vocab.tokens), "bos": vocab.bos,
                      "eos": vocab.eos, "add_bos_token": vocab.add_bos, "class": type(tok).__name__},
        "prompt": case.prompt, "input_ids": ids, "prompt_tokens": tok.convert_ids_to_tokens(ids),
        "greedy_ids": greedy, "beam_ids": beam,
        "greedy_text": tok.decode(greedy[len(ids):]), "beam_text": tok.decode(beam[len(ids):]),
        "greedy_differs_from_beam": greedy != beam, "float64_generate_agrees": same,
        "new_tokens": NEW_TOKENS, "max_attention": max(a[0].max().item() for a in out.attentions),
        "versions": versions, "tokenizer_texts": texts,
    }
    (folder / "expected.json").write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n")
    size = sum(f.stat().st_size for f in folder.iterdir())
    print(f"{case.name}: seed {seed}, {case.label}, gguf {gguf_path.stat().st_size / 1024:.1f} KB, folder "
          f"{size / 1024:.1f} KB, vocab {cfg.vocab_size}, {len(ids)} prompt tokens, greedy +{len(greedy) - len(ids)} "
          f"beam +{len(beam) - len(ids)}, differ {greedy != beam}, max attention {info['max_attention']:.3f}",
          flush=True)
    print(f"  prompt {info['prompt_tokens']}\n  greedy {info['greedy_text']!r}\n  beam   {info['beam_text']!r}")
    return info


def _version(name):
    import importlib.metadata
    return importlib.metadata.version(name)


if __name__ == "__main__":
    print("transformers", transformers.__version__, "torch", torch.__version__, "gguf", _version("gguf"))
    torch.set_num_threads(1)
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    wanted = sys.argv[1:]
    unknown = set(wanted) - {c.name for c in CASES}
    if unknown:
        raise SystemExit(f"unknown cases {sorted(unknown)}; known: {[c.name for c in CASES]}")
    for case in CASES:
        if not wanted or case.name in wanted:
            make(case)
