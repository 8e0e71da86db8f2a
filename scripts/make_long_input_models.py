"""Random-weight model folders for the long-input benchmark (`attnscope-bench --only long`).

Writes two Hugging Face folders outside the repository (default /opt/attnscope-models):
  random-qwen2-0.5b  Qwen2-0.5B's shape (hidden 896, 24 layers, 14 heads, 2 KV heads,
                     intermediate 4864, vocabulary 151936, tied embeddings; 4,096 positions
                     so a longer text is truncated to exactly 4,096 tokens), bf16, ~1 GB
  random-gpt2-small  GPT-2 small's shape (768, 12 layers, 12 heads, 1,024 positions), f32, ~0.5 GB
Both reuse SmolLM2's tokenizer.json (49,152 ids, inside either vocabulary): the benchmark only needs
long inputs, not meaningful ones. Weights are transformers' own random initialisation, seeded.

    /opt/attnscope-venv/bin/python scripts/make_long_input_models.py [OUT_DIR]
"""

import shutil
import sys
from pathlib import Path

import torch
from transformers import GPT2Config, GPT2LMHeadModel, Qwen2Config, Qwen2ForCausalLM

out = Path(sys.argv[1] if len(sys.argv) > 1 else "/opt/attnscope-models")
tokenizer = out / "smollm2-135m-instruct-hf" / "tokenizer.json"


def write(model, name):
    folder = out / name
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder, safe_serialization=True)
    shutil.copy(tokenizer, folder / "tokenizer.json")
    print(folder, sum(p.numel() for p in model.parameters()), "parameters")


torch.manual_seed(0)
qwen = Qwen2Config(
    hidden_size=896, num_hidden_layers=24, num_attention_heads=14, num_key_value_heads=2,
    intermediate_size=4864, vocab_size=151936, max_position_embeddings=4096,
    rope_theta=1000000.0, rms_norm_eps=1e-6, tie_word_embeddings=True, torch_dtype="bfloat16",
)
torch.set_default_dtype(torch.bfloat16)
write(Qwen2ForCausalLM(qwen).eval(), "random-qwen2-0.5b")

torch.set_default_dtype(torch.float32)
torch.manual_seed(0)
gpt2 = GPT2Config(n_embd=768, n_layer=12, n_head=12, n_positions=1024, vocab_size=50257)
write(GPT2LMHeadModel(gpt2).eval(), "random-gpt2-small")
