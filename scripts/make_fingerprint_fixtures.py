"""Head fingerprints and the contrast of one word, computed from transformers' own attentions and
hidden states on the tiny BERT, GPT-2 and Llama fixtures (scripts/make_hf_fixtures.py, make_llm_fixtures.py), in float64.

Writes Tests/HuggingFaceTests/Fixtures/fingerprints/{bert,gpt2,llm-llama}.json, read by
FingerprintParityTests. The formulas are the ones in Sources/Trace/HeadFingerprints.swift:
  entropy         mean over query rows of -sum p log p (nats)
  sink            mean over rows of p[q, 0]
  previous_token  mean over q >= 1 of p[q, q-1]
  self            mean over q of p[q, q]
  induction       on prefix + h + h (h distinct random ids): mean over i < len(h) of
                  p[prefix + len(h) + i, prefix + i + 1]
The induction ids are drawn as attnscope draws them (SplitMix64 from the seed, id = next % vocab,
kept when distinct and ordinary), so the test can also check attnscope's own probe.

Run: /opt/attnscope-venv/bin/python scripts/make_fingerprint_fixtures.py
"""
import json
import math
from pathlib import Path

import torch
from transformers import AutoModel, AutoTokenizer

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "HuggingFaceTests" / "Fixtures"
OUT = FIXTURES / "fingerprints"

HEADS_TEXT = "the quick brown fox is all you need"
CONTRAST = ("the quick brown fox", "a fox is all you need", "fox")
SEED = 0
HALF = 10
MASK = (1 << 64) - 1


def splitmix64(seed):
    state = seed
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)


def ordinary(tok, eos, i):
    if i == eos:
        return False
    text = tok.convert_ids_to_tokens(i)
    if not text:
        return False
    bracketed = (text.startswith("<") and text.endswith(">")) or (text.startswith("[") and text.endswith("]"))
    return not (bracketed and len(text) > 2)


def probe_ids(tok, vocab, eos, positions, prefix):
    half = min(HALF, (positions - len(prefix)) // 2)
    drawn, attempts, gen = [], 0, splitmix64(SEED)
    while len(drawn) < half and attempts < 100 * half:
        attempts += 1
        i = next(gen) % vocab
        if i in drawn or not ordinary(tok, eos, i):
            continue
        drawn.append(i)
    return prefix, drawn


def metrics(p, cross=False):
    """p: [heads, q, k] float64 -> dict of per-head lists."""
    heads, q, k = p.shape
    logp = torch.where(p > 0, p.log(), torch.zeros_like(p))
    out = {"entropy": (-(p * logp).sum(-1)).mean(-1).tolist(), "sink": p[:, :, 0].mean(-1).tolist()}
    if q == k and not cross:
        idx = torch.arange(q)
        out["self"] = p[:, idx, idx].mean(-1).tolist()
        if q > 1:
            out["previous_token"] = p[:, idx[1:], idx[1:] - 1].mean(-1).tolist()
    return out


def induction(p, prefix, half):
    n = len(half)
    rows = [p[:, prefix + n + i, prefix + i + 1] for i in range(n)]
    return torch.stack(rows, -1).mean(-1).tolist()


def word_position(tokens, word):
    for i, t in enumerate(tokens):
        if t.strip().lstrip("Ġ").lstrip("▁").removeprefix("##").lower() == word:
            return i
    raise SystemExit(f"{word} not in {tokens}")


def fixture(name, decoder_only):
    folder = FIXTURES / name
    tok = AutoTokenizer.from_pretrained(folder)
    model = AutoModel.from_pretrained(folder, attn_implementation="eager").double().eval()
    result = {"text": HEADS_TEXT}
    with torch.no_grad():
        ids = tok(HEADS_TEXT)["input_ids"]
        out = model(torch.tensor([ids]), output_attentions=True)
        result["ids"] = ids
        result["layers"] = [metrics(a[0]) for a in out.attentions]
        if decoder_only:
            eos = model.config.eos_token_id
            positions = getattr(model.config, "n_positions", None) or model.config.max_position_embeddings
            # The prompt's own start tokens: what two one-token prompts share (attnscope frames two of
            # its ordinary tokens and keeps the shared special tokens; the same here).
            a, b = tok("a")["input_ids"], tok("b")["input_ids"]
            start = [x for x, y in zip(a, b) if x == y][: next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), 0)]
            prefix, half = probe_ids(tok, model.config.vocab_size, eos, positions, start)
            probe = prefix + half + half
            out = model(torch.tensor([probe]), output_attentions=True)
            result["induction_probe"] = {"seed": SEED, "prefix": prefix, "half": half}
            result["induction"] = [induction(a[0], len(prefix), half) for a in out.attentions]
        first, second, word = CONTRAST
        sides = []
        for text in (first, second):
            ids = tok(text)["input_ids"]
            tokens = tok.convert_ids_to_tokens(ids)
            position = word_position(tokens, word)
            out = model(torch.tensor([ids]), output_attentions=True, output_hidden_states=True)
            sides.append((ids, position, out))
        cosines = []
        for layer in range(len(sides[0][2].hidden_states)):
            a = sides[0][2].hidden_states[layer][0, sides[0][1]]
            b = sides[1][2].hidden_states[layer][0, sides[1][1]]
            cosines.append((a @ b / (a.norm() * b.norm())).item())
        result["contrast"] = {
            "texts": [first, second], "word": word,
            "ids": [s[0] for s in sides], "positions": [s[1] for s in sides], "cosine": cosines,
            "rows": [[a[0, :, s[1], :].tolist() for a in s[2].attentions] for s in sides],
        }
    OUT.mkdir(exist_ok=True)
    (OUT / f"{name.replace('/', '-')}.json").write_text(json.dumps(result, indent=1) + "\n")
    print(name, "heads on", len(result["ids"]), "tokens; contrast cosines", [round(c, 4) for c in cosines])


if __name__ == "__main__":
    fixture("bert", decoder_only=False)
    fixture("gpt2", decoder_only=True)
    fixture("llm/llama", decoder_only=True)  # grouped-query heads, RMSNorm, a BOS before the probe
