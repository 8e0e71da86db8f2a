"""PyTorch's side of `attnscope-bench --only gpt2-1024` (issue 17): the random-weight GPT-2-small
folder that scripts/make_long_input_models.py writes, a 1,024-token prompt (position i holds
100 + 37·i mod 40000, as the Swift side), eager attention with every attention returned.

    /opt/attnscope-venv/bin/python scripts/bench_gpt2_pytorch.py [--threads N] [--folder DIR]
"""

import argparse
import os
import statistics
import time

import torch
from transformers import GPT2LMHeadModel


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=int(os.environ.get("OPENBLAS_NUM_THREADS", os.cpu_count())))
    parser.add_argument("--folder", default="/opt/attnscope-models/random-gpt2-small")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model = GPT2LMHeadModel.from_pretrained(args.folder, attn_implementation="eager").eval()
    vocabulary = model.config.vocab_size
    ids = torch.tensor([[100 + (i * 37) % min(40000, vocabulary - 100) for i in range(1024)]])
    print(f"GPT-2 small shape ({args.folder}), threads {torch.get_num_threads()}, load {os.getloadavg()}")
    samples = []
    with torch.inference_mode():
        model(ids, output_attentions=True)  # warm-up
        for _ in range(3):
            start = time.perf_counter_ns()
            out = model(ids, output_attentions=True)
            samples.append((time.perf_counter_ns() - start) / 1e9)
            assert len(out.attentions) == model.config.n_layer
    print(f"prompt pass, every attention returned, 1024 tokens: median {statistics.median(samples) * 1e3:.1f} ms,"
          f" min {min(samples) * 1e3:.1f} ms")
    print(f"load at end {os.getloadavg()}")


if __name__ == "__main__":
    main()
