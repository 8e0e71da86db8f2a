"""PyTorch counterpart of attnscope-bench (Sources/attnscope-bench): the same workloads in float32.

Run from the repository root (needs torch, numpy and safetensors; `transformers` optional; never
needed by builds or tests):

    /opt/attnscope-venv/bin/python scripts/bench_pytorch.py [--threads N] [--quick]

Threads: torch.set_num_threads(N) with N = --threads, else $OPENBLAS_NUM_THREADS, else the number
of processors this process may use (OpenBLAS's own default, so both sides use the same count).

Rows (median of repeated runs after one warm-up, ~0.8 s of runs per row):
  1. torch.mm into a preallocated output at 64, 256 and 512 (square).
  2. The bundled default sample (samples/models/en-it) on its default text and target,
     with an explicit float32 forward of docs/MODEL_FORMAT.md that keeps every attention's
     probabilities and masked scaled scores (what attnscope records; HF's output_attentions keeps
     the probabilities); and the same forward through F.scaled_dot_product_attention, which keeps
     nothing (the counterpart of a forward without a recorder). Checked once against the float64
     reference of scripts/make_fixtures.py before timing.
  3. The MiniLM-shaped encoder (d 384, 12 heads, ffn 1536, 6 layers, vocab reduced to 1000) with
     random weights at 16/128/512 tokens: transformers' BertModel (eager attention,
     output_attentions=True, no pooler) plus a 384→1000 output Linear so it does the same work as
     attnscope's lm_head; the explicit forward of our format; and BertModel with SDPA attention
     and no attentions returned.
  4. Single kernels at the 512-token MiniLM shape, beside the Swift "where one layer's time goes".
"""

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import load_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "models" / "en-it"
BOS, EOS, UNK = 1, 2, 3
MINILM_VOCAB = 1000

BUDGET = 0.8
ROWS = []


# ----------------------------------------------------------------------------------------------
# Timing and table
# ----------------------------------------------------------------------------------------------

def fmt_time(seconds):
    if seconds >= 1:
        return f"{seconds:.3f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3f} ms"
    return f"{seconds * 1e6:.2f} µs"


def header(title):
    print()
    print(f"## {title}")
    print(f"{'name':<60}{'iters':>7}{'median':>12}{'min':>12}  derived")


def row(name, fn, derive=lambda s: "", min_iterations=3, max_iterations=100_000):
    """Warm-up once, then run until BUDGET seconds have passed (at least min_iterations)."""
    fn()
    samples = []
    start = time.perf_counter()
    while len(samples) < min_iterations or (
        len(samples) < max_iterations and time.perf_counter() - start < BUDGET
    ):
        t0 = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - t0) * 1e-9)
    median = statistics.median(samples)
    derived = derive(median)
    ROWS.append((name, len(samples), median, min(samples), derived))
    print(f"{name:<60}{len(samples):>7}{fmt_time(median):>12}{fmt_time(min(samples)):>12}  {derived}")
    return median


def gflops(flops):
    return lambda s: f"{flops / s / 1e9:.2f} GFLOP/s"


# ----------------------------------------------------------------------------------------------
# Machine
# ----------------------------------------------------------------------------------------------

def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory():
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def load_average():
    try:
        return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "load average unknown"


def cores():
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


# ----------------------------------------------------------------------------------------------
# An explicit float32 forward of docs/MODEL_FORMAT.md, attention materialised
# ----------------------------------------------------------------------------------------------

def sinusoidal(n, d):
    pos = torch.arange(n, dtype=torch.float64).unsqueeze(1)  # [n, 1]
    angle = pos / torch.pow(10000.0, torch.arange(0, d, 2, dtype=torch.float64) / d)  # [n, d/2]
    table = torch.empty(n, d, dtype=torch.float64)
    table[:, 0::2] = torch.sin(angle)
    table[:, 1::2] = torch.cos(angle)
    return table.to(torch.float32)


class Forward:
    """float32 forward over a name → tensor dict; `record` keeps (scores, probs) per sublayer."""

    def __init__(self, cfg, tensors):
        self.cfg = cfg
        self.t = tensors
        self.H = cfg["num_heads"]
        self.Hkv = cfg.get("num_kv_heads", self.H)
        self.d = cfg["d_model"]
        self.dk = self.d // self.H
        self.eps = cfg.get("layer_norm_eps", 1e-5)
        self.act = F.relu if cfg["activation"] == "relu" else (lambda x: F.gelu(x))
        self.post = cfg["norm"] == "post"
        self.table = sinusoidal(cfg["max_positions"], self.d) if cfg["positional"] == "sinusoidal" else None

    def lin(self, name, x):
        return F.linear(x, self.t[f"{name}.weight"], self.t.get(f"{name}.bias"))

    def ln(self, name, x):
        return F.layer_norm(x, (self.d,), self.t[f"{name}.weight"], self.t[f"{name}.bias"], self.eps)

    def attention(self, name, xq, xkv, causal, record, fused):
        nq, nk = xq.shape[0], xkv.shape[0]
        q = self.lin(f"{name}.q_proj", xq).view(nq, self.H, self.dk).transpose(0, 1)  # [H, nq, dk]
        k = self.lin(f"{name}.k_proj", xkv).view(nk, self.Hkv, self.dk).transpose(0, 1)  # [Hkv, nk, dk]
        v = self.lin(f"{name}.v_proj", xkv).view(nk, self.Hkv, self.dk).transpose(0, 1)
        if self.Hkv != self.H:
            k = k.repeat_interleave(self.H // self.Hkv, dim=0)
            v = v.repeat_interleave(self.H // self.Hkv, dim=0)
        if fused:
            out = F.scaled_dot_product_attention(q, k, v, is_causal=causal)  # [H, nq, dk]
        else:
            scores = torch.matmul(q, k.transpose(1, 2)) * (1.0 / math.sqrt(self.dk))  # [H, nq, nk]
            if causal:
                blocked = torch.ones(nq, nk, dtype=torch.bool).triu(1)
                scores = scores.masked_fill(blocked, float("-inf"))
            probs = torch.softmax(scores, dim=-1)
            record.append((scores, probs))
            out = torch.matmul(probs, v)  # [H, nq, dk]
        return self.lin(f"{name}.o_proj", out.transpose(0, 1).reshape(nq, self.H * self.dk))

    def ffn(self, name, x):
        return self.lin(f"{name}.fc2", self.act(self.lin(f"{name}.fc1", x)))

    def sublayer(self, x, norm_name, f):
        return self.ln(norm_name, x + f(x)) if self.post else x + f(self.ln(norm_name, x))

    def stack(self, stack, ids, memory, record, fused):
        x = self.t[f"{stack}.embed_tokens.weight"][ids]
        if self.cfg.get("scale_embeddings", False):
            x = x * math.sqrt(self.d)
        n = ids.shape[0]
        x = x + (self.table[:n] if self.table is not None else self.t[f"{stack}.embed_positions.weight"][:n])
        for i in range(self.cfg[f"{stack}_layers"]):
            p = f"{stack}.layers.{i}"
            causal = stack == "decoder"
            x = self.sublayer(x, f"{p}.self_attn_norm",
                              lambda h: self.attention(f"{p}.self_attn", h, h, causal, record, fused))
            if memory is not None:
                x = self.sublayer(x, f"{p}.cross_attn_norm",
                                  lambda h: self.attention(f"{p}.cross_attn", h, memory, False, record, fused))
            x = self.sublayer(x, f"{p}.ffn_norm", lambda h: self.ffn(f"{p}.ffn", h))
        if not self.post:
            x = self.ln(f"{stack}.final_norm", x)
        return x

    def __call__(self, encoder_ids=None, decoder_ids=None, fused=False):
        record = []
        memory = None
        if encoder_ids is not None:
            memory = self.stack("encoder", encoder_ids, None, record, fused)
        x = memory
        if decoder_ids is not None:
            x = self.stack("decoder", decoder_ids, memory, record, fused)
        return self.lin("lm_head", x), record


# ----------------------------------------------------------------------------------------------
# Workloads
# ----------------------------------------------------------------------------------------------

def matmul_rows():
    header("matmul, float32, torch.mm(A, B, out=C) (square n×n×n)")
    g = torch.Generator().manual_seed(7)
    for n in (64, 256, 512):
        a = torch.rand(n, n, generator=g) - 0.5
        b = torch.rand(n, n, generator=g) - 0.5
        c = torch.empty(n, n)
        row(f"torch.mm {n}×{n}×{n}", lambda: torch.mm(a, b, out=c), gflops(2.0 * n * n * n))


def words(text):
    # attnscope's WordTokenizer for ASCII text: lowercase, split on spaces, punctuation apart.
    out, current = [], ""
    for ch in text.lower():
        if ch.isspace() or not ch.isalnum():
            if current:
                out.append(current)
            current = ""
            if not ch.isspace():
                out.append(ch)
        else:
            current += ch
    if current:
        out.append(current)
    return out


def sample_rows():
    cfg = json.loads((SAMPLE / "config.json").read_text())
    tensors = load_file(str(SAMPLE / "model.safetensors"))
    src_vocab = {w: i for i, w in enumerate((SAMPLE / "source_vocab.txt").read_text().splitlines())}
    tgt_vocab = {w: i for i, w in enumerate((SAMPLE / "target_vocab.txt").read_text().splitlines())}
    text, target = cfg.get("default_text", "I love you very much"), cfg.get("default_target", "ti amo molto")
    enc = torch.tensor([src_vocab.get(w, UNK) for w in words(text)] + [EOS])
    dec = torch.tensor([BOS] + [tgt_vocab.get(w, UNK) for w in words(target)])
    model = Forward(cfg, tensors)

    # Sanity check against the float64 reference implementation of scripts/make_fixtures.py.
    checked = "not checked (scripts/make_fixtures.py not importable)"
    try:
        sys.path.insert(0, str(ROOT / "scripts"))
        import make_fixtures as mf

        params = mf.Params()
        for name, value in tensors.items():
            params.add(name, value)
        ref_cfg = dict(cfg, num_kv_heads=cfg.get("num_kv_heads", cfg["num_heads"]))
        ref_logits, _, _ = mf.run_model(params, ref_cfg, enc, dec)
        ours, _ = model(enc, dec)
        fused, _ = model(enc, dec, fused=True)
        err = max((ours.double() - ref_logits).abs().max().item(), (fused.double() - ref_logits).abs().max().item())
        assert err < 1e-3, f"float32 forward differs from the float64 reference by {err}"
        checked = f"matches make_fixtures' float64 reference (max |Δlogit| {err:.1e})"
    except ImportError:
        pass

    header(f"default sample en-it: \"{text}\" ({len(enc)} tokens) → \"{target}\" ({len(dec)} tokens)")
    per_second = lambda s: f"{1 / s:.0f} passes/s"
    with torch.inference_mode():
        row("explicit forward, probs + scores kept", lambda: model(enc, dec), per_second)
        row("explicit forward, SDPA, nothing kept", lambda: model(enc, dec, fused=True), per_second)
    print(f"  ({len(model(enc, dec)[1])} attention sublayers per pass; {checked})")


def minilm_config():
    return {
        "format": "attnscope", "architecture": "encoder-only", "d_model": 384, "num_heads": 12,
        "num_kv_heads": 12, "ffn_dim": 1536, "encoder_layers": 6, "vocab_size": MINILM_VOCAB,
        "max_positions": 512, "positional": "learned", "norm": "post", "activation": "gelu",
        "layer_norm_eps": 1e-12, "scale_embeddings": False, "attention_bias": True,
    }


def minilm_random_tensors(cfg, seed=1):
    g = torch.Generator().manual_seed(seed)
    d, f, V = cfg["d_model"], cfg["ffn_dim"], cfg["vocab_size"]
    t = {}

    def lin(name, out, inp):
        t[f"{name}.weight"] = torch.randn(out, inp, generator=g) / math.sqrt(inp)
        t[f"{name}.bias"] = torch.zeros(out)

    def norm(name):
        t[f"{name}.weight"], t[f"{name}.bias"] = torch.ones(d), torch.zeros(d)

    t["encoder.embed_tokens.weight"] = torch.randn(V, d, generator=g)
    t["encoder.embed_positions.weight"] = torch.randn(cfg["max_positions"], d, generator=g) * 0.1
    for i in range(cfg["encoder_layers"]):
        p = f"encoder.layers.{i}"
        for proj in "qkvo":
            lin(f"{p}.self_attn.{proj}_proj", d, d)
        norm(f"{p}.self_attn_norm")
        lin(f"{p}.ffn.fc1", f, d)
        lin(f"{p}.ffn.fc2", d, f)
        norm(f"{p}.ffn_norm")
    lin("lm_head", V, d)
    return t


def minilm_flops(cfg, n):
    d, f, V, L = cfg["d_model"], cfg["ffn_dim"], cfg["vocab_size"], cfg["encoder_layers"]
    return L * (2 * n * d * d * 4 + 2 * n * d * f * 2 + 2 * 2 * n * n * d) + 2 * n * d * V


def minilm_ids(n):
    return [4 + (i * 37) % (MINILM_VOCAB - 4) for i in range(n)]


def bert_models():
    """BertModel (eager and SDPA) with the MiniLM shape, or None without transformers."""
    try:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import transformers
        from transformers import BertConfig, BertModel
    except ImportError:
        return None
    models = {}
    for impl in ("eager", "sdpa"):
        config = BertConfig(
            vocab_size=MINILM_VOCAB, hidden_size=384, num_hidden_layers=6, num_attention_heads=12,
            intermediate_size=1536, hidden_act="gelu", max_position_embeddings=512,
            layer_norm_eps=1e-12, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
        )
        config._attn_implementation = impl
        torch.manual_seed(1)
        model = BertModel(config, add_pooling_layer=False).eval()
        assert model.config._attn_implementation == impl, model.config._attn_implementation
        models[impl] = model
    head = torch.nn.Linear(384, MINILM_VOCAB).eval()
    return transformers.__version__, models, head


def minilm_rows():
    cfg = minilm_config()
    model = Forward(cfg, minilm_random_tensors(cfg))
    bert = bert_models()
    header("MiniLM-shaped encoder (d 384, 12 heads, ffn 1536, 6 layers, GELU, post-norm), random "
           f"weights, vocab reduced 30522 → {MINILM_VOCAB}")
    if bert is None:
        print("  (transformers not installed: BertModel rows skipped)")

    def derive(n):
        return lambda s: f"{n / s:.0f} tokens/s, {minilm_flops(cfg, n) / s / 1e9:.1f} GFLOP/s"

    with torch.inference_mode():
        for n in (16, 128, 512):
            if bert is not None:
                _, models, head = bert
                batch = torch.tensor([minilm_ids(n)])

                def eager(batch=batch, n=n):
                    out = models["eager"](input_ids=batch, output_attentions=True)
                    assert len(out.attentions) == 6 and out.attentions[0].shape == (1, 12, n, n)
                    return head(out.last_hidden_state), out.attentions

                row(f"BertModel eager, output_attentions=True, {n} tokens", eager, derive(n))
                row(f"BertModel SDPA, no attentions, {n} tokens",
                    lambda batch=batch: head(models["sdpa"](input_ids=batch).last_hidden_state), derive(n))
            ids = torch.tensor(minilm_ids(n))
            row(f"explicit forward, probs + scores kept, {n} tokens", lambda ids=ids: model(ids), derive(n))
            row(f"explicit forward, SDPA, nothing kept, {n} tokens",
                lambda ids=ids: model(ids, fused=True), derive(n))
    return None if bert is None else bert[0]


def kernel_rows():
    global BUDGET
    saved, BUDGET = BUDGET, min(BUDGET, 0.4)
    n, d, f, H = 512, 384, 1536, 12
    header(f"single kernels at MiniLM shape, {n} tokens")
    g = torch.Generator().manual_seed(3)
    x = torch.randn(n, d, generator=g)
    hidden = torch.randn(n, f, generator=g)
    w_dd, w_fd, w_df = torch.randn(d, d, generator=g), torch.randn(f, d, generator=g), torch.randn(d, f, generator=g)
    b_d, b_f = torch.zeros(d), torch.zeros(f)
    q = torch.randn(H, n, d // H, generator=g)
    scores = torch.randn(H, n, n, generator=g)
    probs = torch.softmax(scores, -1)
    ln_w, ln_b = torch.ones(d), torch.zeros(d)
    with torch.inference_mode():
        row("F.linear 384→384 (+bias)", lambda: F.linear(x, w_dd, b_d), gflops(2.0 * n * d * d))
        row("F.linear 384→1536 (+bias)", lambda: F.linear(x, w_fd, b_f), gflops(2.0 * n * d * f))
        row("F.linear 1536→384 (+bias)", lambda: F.linear(hidden, w_df, b_d), gflops(2.0 * n * d * f))
        row("F.gelu (erf) on [512, 1536]", lambda: F.gelu(hidden), lambda s: f"{n * f / s / 1e6:.0f} M/s")
        row("F.layer_norm [512, 384]", lambda: F.layer_norm(x, (d,), ln_w, ln_b, 1e-12))
        row("residual add [512, 384]", lambda: x + x)
        row("Q·Kᵀ/√dk, 12 heads of 512×32·32×512", lambda: torch.matmul(q, q.transpose(1, 2)) * (1 / math.sqrt(d // H)),
            gflops(2.0 * H * n * n * (d // H)))
        row("torch.softmax, 12 × 512×512", lambda: torch.softmax(scores, -1), lambda s: f"{H * n * n / s / 1e6:.0f} M/s")
        row("A·V, 12 heads of 512×512·512×32", lambda: torch.matmul(probs, q), gflops(2.0 * H * n * n * (d // H)))
    BUDGET = saved


def main():
    global BUDGET
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--quick", action="store_true", help="~0.25 s per row")
    args = parser.parse_args()
    if args.quick:
        BUDGET = 0.25
    env = os.environ.get("OPENBLAS_NUM_THREADS")
    threads = args.threads or (int(env) if env else cores())
    torch.set_num_threads(threads)
    started = time.perf_counter()
    print(f"bench_pytorch: median of repeated runs after one warm-up, ~{BUDGET:.2f} s per row")
    print(f"machine: {cpu_model()}, nproc {cores()}, memory {memory()}")
    print(f"torch {torch.__version__}, float32, torch.set_num_threads({threads}) "
          f"(OPENBLAS_NUM_THREADS={env or '(unset)'}); get_num_threads() = {torch.get_num_threads()}; "
          f"MKL {'yes' if torch.backends.mkl.is_available() else 'no'}, "
          f"mkldnn {'yes' if torch.backends.mkldnn.is_available() else 'no'}; Python {platform.python_version()}")
    print(f"at start: {load_average()} (other processes on the machine skew the numbers)")
    matmul_rows()
    sample_rows()
    version = minilm_rows()
    if version:
        print(f"  (transformers {version})")
    kernel_rows()
    print()
    print(f"total time: {time.perf_counter() - started:.1f} s; {load_average()}")


if __name__ == "__main__":
    main()
