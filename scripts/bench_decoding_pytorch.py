"""PyTorch reference for attnscope-bench's decoding rows: one KV-cached decoding step of each bundled
sample in float32, attention probabilities and scores kept (what attnscope records), greedy (one
hypothesis) and a width-8 beam step (8 hypotheses of the same prefix as one batch, sharing the
encoder's cross-attention keys/values). Uses the explicit forward of scripts/bench_pytorch.py for the
weights and layers, and checks the cached step against its full forward before timing.

    /opt/attnscope-venv/bin/python scripts/bench_decoding_pytorch.py [--threads N] [--quick]

Like the Swift rows, each step starts after half the greedy output has been fed and feeds the most
probable next token (8 hypotheses: the 8 most probable); the timed step concatenates to the cache,
leaving the base unchanged.
"""

import argparse
import json
import math
import os
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import load_file

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_pytorch as bp  # noqa: E402  (Forward, row, header, words, machine info)

BOS, EOS, UNK = 1, 2, 3


class CachedDecoder:
    """Incremental decoding over bench_pytorch.Forward's weights: per layer a [B, H, n, dk] cache."""

    def __init__(self, forward):
        self.f = forward
        self.layers = forward.cfg["decoder_layers"]

    def heads(self, x, n):  # [B·n, H·dk] → [B, H, n, dk]
        b = x.shape[0] // n
        return x.view(b, n, -1, self.f.dk).transpose(1, 2)

    def attend(self, q, k, v, record):  # q [B, H, 1, dk], k/v [B, Hkv, n, dk]
        if k.shape[1] != q.shape[1]:
            k = k.repeat_interleave(q.shape[1] // k.shape[1], dim=1)
            v = v.repeat_interleave(q.shape[1] // v.shape[1], dim=1)
        scores = torch.matmul(q, k.transpose(2, 3)) * (1.0 / math.sqrt(self.f.dk))  # [B, H, 1, n]
        probs = torch.softmax(scores, dim=-1)
        record.append((scores, probs))
        return torch.matmul(probs, v)  # [B, H, 1, dk]

    def memory(self, encoder_ids):
        """Cross-attention keys/values per layer, [1, Hkv, n_src, dk] each (shared by every beam)."""
        memory = self.f.stack("encoder", encoder_ids, None, [], False)
        out = []
        for i in range(self.layers):
            p = f"decoder.layers.{i}.cross_attn"
            n = memory.shape[0]
            out.append((self.heads(self.f.lin(f"{p}.k_proj", memory), n), self.heads(self.f.lin(f"{p}.v_proj", memory), n)))
        return out

    def step(self, tokens, position, cache, cross):
        """tokens [B] at `position`; cache: per layer (k, v) [B, Hkv, position, dk]. Returns
        log-probs [B, V], the new cache and the recorded attention."""
        f, record, new_cache = self.f, [], []
        b = tokens.shape[0]
        x = f.t["decoder.embed_tokens.weight"][tokens]  # [B, d]
        if f.cfg.get("scale_embeddings", False):
            x = x * math.sqrt(f.d)
        x = x + (f.table[position] if f.table is not None else f.t["decoder.embed_positions.weight"][position])
        for i in range(self.layers):
            p = f"decoder.layers.{i}"

            def self_attention(h):
                q = self.heads(f.lin(f"{p}.self_attn.q_proj", h), 1)
                k = torch.cat([cache[i][0], self.heads(f.lin(f"{p}.self_attn.k_proj", h), 1)], dim=2)
                v = torch.cat([cache[i][1], self.heads(f.lin(f"{p}.self_attn.v_proj", h), 1)], dim=2)
                new_cache.append((k, v))
                out = self.attend(q, k, v, record)
                return f.lin(f"{p}.self_attn.o_proj", out.transpose(1, 2).reshape(b, -1))

            def cross_attention(h):
                q = self.heads(f.lin(f"{p}.cross_attn.q_proj", h), 1)
                k, v = cross[i]
                out = self.attend(q, k.expand(b, -1, -1, -1), v.expand(b, -1, -1, -1), record)
                return f.lin(f"{p}.cross_attn.o_proj", out.transpose(1, 2).reshape(b, -1))

            x = f.sublayer(x, f"{p}.self_attn_norm", self_attention)
            if cross is not None:
                x = f.sublayer(x, f"{p}.cross_attn_norm", cross_attention)
            x = f.sublayer(x, f"{p}.ffn_norm", lambda h: f.ffn(f"{p}.ffn", h))
        if not f.post:
            x = f.ln("decoder.final_norm", x)
        return torch.log_softmax(f.lin("lm_head", x), dim=-1), new_cache, record

    def prefill(self, ids, cross):
        """Feeds ids one at a time (batch 1); returns the cache and the last log-probs."""
        cache = [(torch.zeros(1, self.f.Hkv, 0, self.f.dk), torch.zeros(1, self.f.Hkv, 0, self.f.dk))] * self.layers
        for position, token in enumerate(ids):
            log_probs, cache, _ = self.step(torch.tensor([token]), position, cache, cross)
        return cache, log_probs


def sample_rows(name):
    folder = bp.ROOT / "samples" / "models" / name
    cfg = json.loads((folder / "config.json").read_text())
    tensors = load_file(str(folder / "model.safetensors"))
    forward = bp.Forward(cfg, tensors)
    decoder = CachedDecoder(forward)
    text = cfg["default_text"]
    target_vocab = (folder / ("target_vocab.txt" if (folder / "target_vocab.txt").exists() else "vocab.txt"))
    vocab = {w: i for i, w in enumerate(target_vocab.read_text().splitlines())}
    encoder_decoder = cfg["architecture"] == "encoder-decoder"
    with torch.inference_mode():
        if encoder_decoder:
            source_vocab = {w: i for i, w in enumerate((folder / "source_vocab.txt").read_text().splitlines())}
            tokenize = list if cfg.get("tokenizer") == "char" else bp.words
            encoder_ids = torch.tensor([source_vocab.get(w, UNK) for w in tokenize(text.lower())] + [EOS])
            cross = decoder.memory(encoder_ids)
            fed = [BOS]
        else:
            cross = None
            fed = [BOS] + [vocab.get(w, UNK) for w in bp.words(text)]
        # Greedy to the end (max 20), then rebuild the cache at its midpoint.
        generated = []
        cache, log_probs = decoder.prefill(fed, cross)
        while len(generated) < 20:
            token = int(log_probs[0].argmax())
            generated.append(token)
            if token == EOS:
                break
            log_probs, cache, _ = decoder.step(torch.tensor([token]), len(fed) + len(generated) - 1, cache, cross)
        tokens = [t for t in generated if t != EOS]
        prefix = fed + tokens[: len(tokens) // 2]  # as the Swift rows: half the greedy output fed
        cache, log_probs = decoder.prefill(prefix, cross)
        top8 = torch.topk(log_probs[0], 8).indices
        last, position = top8[:1], len(prefix)
        # Check: the cached step's log-probs equal the full forward's last row.
        ours, _, _ = decoder.step(last, position, cache, cross)
        full, _ = forward(encoder_ids if encoder_decoder else None, torch.tensor(prefix + [int(last)]))
        err = (ours[0] - torch.log_softmax(full[-1], dim=-1)).abs().max().item()
        assert err < 1e-4, f"{name}: cached step differs from the full forward by {err}"
        cache8 = [(k.expand(8, -1, -1, -1).contiguous(), v.expand(8, -1, -1, -1).contiguous()) for k, v in cache]
        greedy = bp.row(f"{name}: greedy step at position {position}", lambda: decoder.step(last, position, cache, cross))
        beam = bp.row(f"{name}: 8 hypotheses, one batched step", lambda: decoder.step(top8, position, cache8, cross))
    print(f"  {name}: width-8 step ÷ greedy step {beam / greedy:.2f}× (cached step vs full forward: {err:.1e})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    threads = args.threads or int(os.environ.get("OPENBLAS_NUM_THREADS", 0)) or bp.cores()
    torch.set_num_threads(threads)
    if args.quick:
        bp.BUDGET = 0.25
    print(f"bench_decoding_pytorch: torch {torch.__version__}, {torch.get_num_threads()} threads, {bp.cpu_model()}")
    print(f"at start: {bp.load_average()}")
    bp.header("decoding: one KV-cached step of each sample, attention kept")
    for name in ("en-it", "reverse", "induction"):
        sample_rows(name)
    print(f"at end: {bp.load_average()}")


if __name__ == "__main__":
    main()
