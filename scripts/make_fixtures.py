"""Generate the PyTorch reference fixtures for attnscope's Transformer tests.

What it writes (everything under Tests/TransformerTests/Fixtures/, overwritten on each run):

  layers.safetensors          single-layer references: matmul, linear, layernorm, gelu, relu,
                              masked softmax, sinusoidal table, multi-head attention (plain and
                              causal).
  parity/<model>/             four tiny random-weight models in attnscope's own format
                              (docs/MODEL_FORMAT.md): config.json, model.safetensors, the
                              vocabulary file(s), and expected.safetensors with the input ids,
                              the logits, every attention sublayer's pre-mask scaled scores and
                              post-softmax probabilities, and the encoder output.
  README.md                   what is here and how to regenerate it.

The math of MODEL_FORMAT.md is implemented here explicitly with torch ops (F.linear,
F.layer_norm, torch.softmax, F.gelu, F.relu). Parameters and inputs are drawn in float32 (that is
what is stored); all references are then computed in float64 from those float32 values and
rounded to float32 once at the end, so the expected values carry no float32 accumulation error.
The script cross-checks itself against second implementations (asserts, nothing saved):
attention against torch.nn.functional.scaled_dot_product_attention, and whole encoder/decoder
layers against torch.nn.TransformerEncoderLayer / TransformerDecoderLayer where
num_kv_heads == num_heads.

Run from the repository root (needs torch, numpy and safetensors; never needed by builds/tests):

    /opt/attnscope-venv/bin/python scripts/make_fixtures.py

Deterministic: every fixture group uses its own fixed torch.manual_seed.
"""

import json
import math
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "TransformerTests" / "Fixtures"
COMPUTE = torch.float64  # reference precision
CHECK_TOL = dict(rtol=1e-9, atol=1e-9)  # float64 cross-check tolerance

PAD, BOS, EOS, UNK = 0, 1, 2, 3
FIRST_WORD_ID = 4


# ----------------------------------------------------------------------------------------------
# Layers (explicit math of docs/MODEL_FORMAT.md)
# ----------------------------------------------------------------------------------------------

def linear(x, weight, bias):
    # x [n, in], weight [out, in], bias [out] or None -> [n, out]   (y = x Wᵀ + b)
    return F.linear(x, weight, bias)


def layer_norm(x, weight, bias, eps):
    # x [n, d] -> [n, d]; biased variance over the last axis
    return F.layer_norm(x, (x.shape[-1],), weight, bias, eps)


def activation(name, x):
    if name == "relu":
        return F.relu(x)
    if name == "gelu":
        return F.gelu(x, approximate="none")  # exact, erf form
    raise ValueError(f"unknown activation {name!r}")


def masked_softmax(scores, keep):
    # scores [..., n_q, n_k]; keep: bool, broadcastable, True = attend. Masked entries become -inf
    # before the softmax, so their probability is exactly 0; a fully masked row is all 0.
    if keep is None:
        return torch.softmax(scores, dim=-1)
    masked = scores.masked_fill(~keep, float("-inf"))
    probs = torch.softmax(masked, dim=-1)
    any_kept = keep.any(dim=-1, keepdim=True)  # [..., n_q, 1]
    return torch.where(any_kept, probs, torch.zeros_like(probs))


def sinusoidal_table(n_positions, d):
    # "Attention Is All You Need" §3.5, computed in float64:
    # P[pos, 2i] = sin(pos / 10000^(2i/d)), P[pos, 2i+1] = cos(pos / 10000^(2i/d))
    assert d % 2 == 0
    pos = torch.arange(n_positions, dtype=torch.float64).unsqueeze(1)  # [n, 1]
    two_i = torch.arange(0, d, 2, dtype=torch.float64)  # [d/2]
    angle = pos / torch.pow(10000.0, two_i / d)  # [n, d/2]
    table = torch.empty(n_positions, d, dtype=torch.float64)  # [n, d]
    table[:, 0::2] = torch.sin(angle)
    table[:, 1::2] = torch.cos(angle)
    return table


def causal_keep(n):
    # [n, n] bool, query i sees keys 0...i
    return torch.ones(n, n, dtype=torch.bool).tril()


def multi_head_attention(q, k, v, num_heads, num_kv_heads, keep):
    """Core attention on already-projected q [n_q, H*dk], k/v [n_k, Hkv*dk].

    Heads are contiguous column blocks; query head h reads key/value head h // (H / Hkv).
    Returns (out [n_q, H*dk], scores [H, n_q, n_k] before the mask, probs [H, n_q, n_k]).
    """
    n_q, n_k = q.shape[0], k.shape[0]
    dk = q.shape[1] // num_heads
    group = num_heads // num_kv_heads
    assert num_heads % num_kv_heads == 0 and k.shape[1] == num_kv_heads * dk

    qh = q.reshape(n_q, num_heads, dk).transpose(0, 1)  # [H, n_q, dk]
    kh = k.reshape(n_k, num_kv_heads, dk).transpose(0, 1)  # [Hkv, n_k, dk]
    vh = v.reshape(n_k, num_kv_heads, dk).transpose(0, 1)  # [Hkv, n_k, dk]
    kh = kh.repeat_interleave(group, dim=0)  # [H, n_k, dk]; head h <- kv head h // group
    vh = vh.repeat_interleave(group, dim=0)  # [H, n_k, dk]

    scores = qh @ kh.transpose(1, 2) / math.sqrt(dk)  # [H, n_q, n_k]
    probs = masked_softmax(scores, keep)  # [H, n_q, n_k]
    out_h = probs @ vh  # [H, n_q, dk]
    out = out_h.transpose(0, 1).reshape(n_q, num_heads * dk)  # [n_q, H*dk]
    return out, scores, probs


def sdpa_reference(q, k, v, num_heads, num_kv_heads, keep):
    # Second implementation: torch's own scaled_dot_product_attention (with GQA support).
    n_q, n_k = q.shape[0], k.shape[0]
    dk = q.shape[1] // num_heads
    qh = q.reshape(n_q, num_heads, dk).transpose(0, 1).unsqueeze(0)  # [1, H, n_q, dk]
    kh = k.reshape(n_k, num_kv_heads, dk).transpose(0, 1).unsqueeze(0)  # [1, Hkv, n_k, dk]
    vh = v.reshape(n_k, num_kv_heads, dk).transpose(0, 1).unsqueeze(0)  # [1, Hkv, n_k, dk]
    out = F.scaled_dot_product_attention(
        qh, kh, vh, attn_mask=keep, enable_gqa=num_heads != num_kv_heads
    )  # [1, H, n_q, dk]
    return out[0].transpose(0, 1).reshape(n_q, num_heads * dk)  # [n_q, H*dk]


# ----------------------------------------------------------------------------------------------
# Model (docs/MODEL_FORMAT.md "The computation")
# ----------------------------------------------------------------------------------------------

class Params:
    """float32 parameters by name (what gets saved); read back in COMPUTE precision."""

    def __init__(self):
        self.tensors = {}

    def add(self, name, tensor):
        assert name not in self.tensors
        self.tensors[name] = tensor.to(torch.float32).contiguous()

    def __call__(self, name):
        return self.tensors[name].to(COMPUTE)

    def opt(self, name):
        return self(name) if name in self.tensors else None


def attention_sublayer(p, prefix, cfg, x_q, x_kv, keep):
    # prefix e.g. "decoder.layers.0.cross_attn"; x_q [n_q, d], x_kv [n_k, d]
    q = linear(x_q, p(f"{prefix}.q_proj.weight"), p.opt(f"{prefix}.q_proj.bias"))  # [n_q, H*dk]
    k = linear(x_kv, p(f"{prefix}.k_proj.weight"), p.opt(f"{prefix}.k_proj.bias"))  # [n_k, Hkv*dk]
    v = linear(x_kv, p(f"{prefix}.v_proj.weight"), p.opt(f"{prefix}.v_proj.bias"))  # [n_k, Hkv*dk]
    H, Hkv = cfg["num_heads"], cfg["num_kv_heads"]
    out, scores, probs = multi_head_attention(q, k, v, H, Hkv, keep)
    torch.testing.assert_close(out, sdpa_reference(q, k, v, H, Hkv, keep), **CHECK_TOL)
    y = linear(out, p(f"{prefix}.o_proj.weight"), p.opt(f"{prefix}.o_proj.bias"))  # [n_q, d]
    return y, scores, probs


def ffn_sublayer(p, prefix, cfg, x):
    h = linear(x, p(f"{prefix}.fc1.weight"), p(f"{prefix}.fc1.bias"))  # [n, ffn]
    h = activation(cfg["activation"], h)
    return linear(h, p(f"{prefix}.fc2.weight"), p(f"{prefix}.fc2.bias"))  # [n, d]


def norm(p, prefix, cfg, x):
    return layer_norm(x, p(f"{prefix}.weight"), p(f"{prefix}.bias"), cfg["layer_norm_eps"])


def encoder_layer(p, cfg, i, x, record):
    # x [S, d] -> [S, d]; record(kind, layer, scores, probs)
    pre = f"encoder.layers.{i}"
    if cfg["norm"] == "post":
        a, s, pr = attention_sublayer(p, f"{pre}.self_attn", cfg, x, x, None)
        record("self", i, s, pr)
        x = norm(p, f"{pre}.self_attn_norm", cfg, x + a)
        x = norm(p, f"{pre}.ffn_norm", cfg, x + ffn_sublayer(p, f"{pre}.ffn", cfg, x))
    else:
        h = norm(p, f"{pre}.self_attn_norm", cfg, x)
        a, s, pr = attention_sublayer(p, f"{pre}.self_attn", cfg, h, h, None)
        record("self", i, s, pr)
        x = x + a
        x = x + ffn_sublayer(p, f"{pre}.ffn", cfg, norm(p, f"{pre}.ffn_norm", cfg, x))
    return x


def decoder_layer(p, cfg, i, x, enc, record):
    # x [T, d], enc [S, d] or None (decoder-only) -> [T, d]
    pre = f"decoder.layers.{i}"
    keep = causal_keep(x.shape[0])  # [T, T]
    if cfg["norm"] == "post":
        a, s, pr = attention_sublayer(p, f"{pre}.self_attn", cfg, x, x, keep)
        record("masked", i, s, pr)
        x = norm(p, f"{pre}.self_attn_norm", cfg, x + a)
        if enc is not None:
            c, s, pr = attention_sublayer(p, f"{pre}.cross_attn", cfg, x, enc, None)
            record("cross", i, s, pr)
            x = norm(p, f"{pre}.cross_attn_norm", cfg, x + c)
        x = norm(p, f"{pre}.ffn_norm", cfg, x + ffn_sublayer(p, f"{pre}.ffn", cfg, x))
    else:
        h = norm(p, f"{pre}.self_attn_norm", cfg, x)
        a, s, pr = attention_sublayer(p, f"{pre}.self_attn", cfg, h, h, keep)
        record("masked", i, s, pr)
        x = x + a
        if enc is not None:
            h = norm(p, f"{pre}.cross_attn_norm", cfg, x)  # only the queries are normed
            c, s, pr = attention_sublayer(p, f"{pre}.cross_attn", cfg, h, enc, None)
            record("cross", i, s, pr)
            x = x + c
        x = x + ffn_sublayer(p, f"{pre}.ffn", cfg, norm(p, f"{pre}.ffn_norm", cfg, x))
    return x


def embed(p, cfg, stack, ids):
    # ids [n] -> [n, d]
    n, d = ids.shape[0], cfg["d_model"]
    x = p(f"{stack}.embed_tokens.weight")[ids]  # [n, d]
    if cfg["scale_embeddings"]:
        x = x * math.sqrt(d)
    if cfg["positional"] == "sinusoidal":
        x = x + sinusoidal_table(n, d).to(COMPUTE)  # [n, d]
    else:
        x = x + p(f"{stack}.embed_positions.weight")[:n]  # [n, d]
    return x


def run_stack(p, cfg, stack, ids, enc, record, layer_io):
    n_layers = cfg[f"{stack}_layers"]
    x = embed(p, cfg, stack, ids)  # [n, d]

    def record_here(kind, layer, scores, probs):
        record(stack, kind, layer, scores, probs)

    for i in range(n_layers):
        x_in = x
        if stack == "encoder":
            x = encoder_layer(p, cfg, i, x, record_here)  # [S, d]
        else:
            x = decoder_layer(p, cfg, i, x, enc, record_here)  # [T, d]
        layer_io.append((stack, i, x_in, enc, x))
    if cfg["norm"] == "pre":
        x = norm(p, f"{stack}.final_norm", cfg, x)
    return x


def run_model(p, cfg, encoder_ids, decoder_ids):
    """Returns (logits [n, V_out], expected-tensor dict, per-layer (stack, i, in, enc, out))."""
    expected = {}
    layer_io = []

    def record(stack, kind, layer, scores, probs):
        expected[f"scores.{stack}.{kind}.{layer}"] = scores  # [H, n_q, n_k], before the mask
        expected[f"attn.{stack}.{kind}.{layer}"] = probs  # [H, n_q, n_k]

    enc = None
    if encoder_ids is not None:
        enc = run_stack(p, cfg, "encoder", encoder_ids, None, record, layer_io)  # [S, d]
        expected["hidden.encoder"] = enc
    x = enc
    if decoder_ids is not None:
        x = run_stack(p, cfg, "decoder", decoder_ids, enc, record, layer_io)  # [T, d]
    logits = linear(x, p("lm_head.weight"), p("lm_head.bias"))  # [n, V_out]
    expected["logits"] = logits
    return logits, expected, layer_io


# ----------------------------------------------------------------------------------------------
# Cross-check whole layers against torch.nn.TransformerEncoderLayer / TransformerDecoderLayer
# ----------------------------------------------------------------------------------------------

def _copy_mha(mha, p, prefix, d):
    w = torch.cat([p(f"{prefix}.{n}_proj.weight") for n in "qkv"])  # [3d, d]
    biases = [p.opt(f"{prefix}.{n}_proj.bias") for n in "qkv"]
    b = torch.cat([x if x is not None else torch.zeros(d, dtype=COMPUTE) for x in biases])  # [3d]
    mha.in_proj_weight.copy_(w)
    mha.in_proj_bias.copy_(b)
    mha.out_proj.weight.copy_(p(f"{prefix}.o_proj.weight"))
    ob = p.opt(f"{prefix}.o_proj.bias")
    mha.out_proj.bias.copy_(ob if ob is not None else torch.zeros(d, dtype=COMPUTE))


def _copy_ln(ln, p, prefix):
    ln.weight.copy_(p(f"{prefix}.weight"))
    ln.bias.copy_(p(f"{prefix}.bias"))


def _copy_ffn(layer, p, prefix):
    layer.linear1.weight.copy_(p(f"{prefix}.fc1.weight"))
    layer.linear1.bias.copy_(p(f"{prefix}.fc1.bias"))
    layer.linear2.weight.copy_(p(f"{prefix}.fc2.weight"))
    layer.linear2.bias.copy_(p(f"{prefix}.fc2.bias"))


def torch_layer_output(p, cfg, stack, i, x_in, enc):
    """Runs layer i of `stack` through PyTorch's own nn.Transformer*Layer with our weights."""
    d, H, ffn = cfg["d_model"], cfg["num_heads"], cfg["ffn_dim"]
    common = dict(dropout=0.0, activation=cfg["activation"], layer_norm_eps=cfg["layer_norm_eps"],
                  batch_first=True, norm_first=cfg["norm"] == "pre", dtype=COMPUTE)
    pre = f"{stack}.layers.{i}"
    if stack == "encoder":
        layer = torch.nn.TransformerEncoderLayer(d, H, ffn, **common).eval()
        _copy_mha(layer.self_attn, p, f"{pre}.self_attn", d)
        _copy_ln(layer.norm1, p, f"{pre}.self_attn_norm")
        _copy_ln(layer.norm2, p, f"{pre}.ffn_norm")
        _copy_ffn(layer, p, f"{pre}.ffn")
        return layer(x_in.unsqueeze(0))[0]  # [S, d]
    assert enc is not None, "nn.TransformerDecoderLayer always has cross-attention"
    layer = torch.nn.TransformerDecoderLayer(d, H, ffn, **common).eval()
    _copy_mha(layer.self_attn, p, f"{pre}.self_attn", d)
    _copy_mha(layer.multihead_attn, p, f"{pre}.cross_attn", d)
    _copy_ln(layer.norm1, p, f"{pre}.self_attn_norm")
    _copy_ln(layer.norm2, p, f"{pre}.cross_attn_norm")
    _copy_ln(layer.norm3, p, f"{pre}.ffn_norm")
    _copy_ffn(layer, p, f"{pre}.ffn")
    T = x_in.shape[0]
    blocked = ~causal_keep(T)  # [T, T], True = not allowed (nn.MultiheadAttention convention)
    return layer(x_in.unsqueeze(0), enc.unsqueeze(0), tgt_mask=blocked)[0]  # [T, d]


def check_layers_against_torch(p, cfg, layer_io, label):
    checked = 0
    if cfg["num_kv_heads"] != cfg["num_heads"]:
        return 0
    for stack, i, x_in, enc, x_out in layer_io:
        if stack == "decoder" and enc is None:
            continue  # decoder-only layers have no nn equivalent (no cross-attention)
        ref = torch_layer_output(p, cfg, stack, i, x_in, enc)
        torch.testing.assert_close(x_out, ref, **CHECK_TOL,
                                   msg=lambda m: f"{label} {stack} layer {i}: {m}")
        checked += 1
    return checked


# ----------------------------------------------------------------------------------------------
# Random models
# ----------------------------------------------------------------------------------------------

PROJ_STD = 0.3  # projections: scores of std ~3, attention far from uniform but not one-hot
EMBED_STD = 1.0  # token embeddings without scale_embeddings, learned positions


def token_embed_std(cfg):
    # With scale_embeddings the table is multiplied by sqrt(d): draw it with std 1/sqrt(d) so the
    # scaled embedding has std ~1 (otherwise post-norm layer 0 attention is one-hot).
    return EMBED_STD / math.sqrt(cfg["d_model"]) if cfg["scale_embeddings"] else EMBED_STD


def ln_params(p, prefix, d):
    p.add(f"{prefix}.weight", 1.0 + 0.1 * torch.randn(d))
    p.add(f"{prefix}.bias", 0.1 * torch.randn(d))


def attn_params(p, prefix, cfg):
    d, H, Hkv = cfg["d_model"], cfg["num_heads"], cfg["num_kv_heads"]
    dk = d // H
    for name, out_dim in (("q", H * dk), ("k", Hkv * dk), ("v", Hkv * dk)):
        p.add(f"{prefix}.{name}_proj.weight", PROJ_STD * torch.randn(out_dim, d))
        if cfg["attention_bias"]:
            p.add(f"{prefix}.{name}_proj.bias", 0.1 * torch.randn(out_dim))
    p.add(f"{prefix}.o_proj.weight", PROJ_STD * torch.randn(d, H * dk))
    if cfg["attention_bias"]:
        p.add(f"{prefix}.o_proj.bias", 0.1 * torch.randn(d))


def ffn_params(p, prefix, cfg):
    d, f = cfg["d_model"], cfg["ffn_dim"]
    p.add(f"{prefix}.fc1.weight", PROJ_STD * torch.randn(f, d))
    p.add(f"{prefix}.fc1.bias", 0.1 * torch.randn(f))
    p.add(f"{prefix}.fc2.weight", PROJ_STD * torch.randn(d, f))
    p.add(f"{prefix}.fc2.bias", 0.1 * torch.randn(d))


def stack_vocab(cfg, stack):
    if cfg["architecture"] == "encoder-decoder":
        return cfg["source_vocab_size"] if stack == "encoder" else cfg["target_vocab_size"]
    return cfg["vocab_size"]


def stacks_of(cfg):
    return {"encoder-decoder": ["encoder", "decoder"], "decoder-only": ["decoder"],
            "encoder-only": ["encoder"]}[cfg["architecture"]]


def init_params(cfg):
    p = Params()
    d = cfg["d_model"]
    for stack in stacks_of(cfg):
        V = stack_vocab(cfg, stack)
        p.add(f"{stack}.embed_tokens.weight", token_embed_std(cfg) * torch.randn(V, d))
        if cfg["positional"] == "learned":
            P = cfg["max_positions"]
            p.add(f"{stack}.embed_positions.weight", EMBED_STD * torch.randn(P, d))
        for i in range(cfg[f"{stack}_layers"]):
            pre = f"{stack}.layers.{i}"
            attn_params(p, f"{pre}.self_attn", cfg)
            ln_params(p, f"{pre}.self_attn_norm", d)
            if stack == "decoder" and cfg["architecture"] == "encoder-decoder":
                attn_params(p, f"{pre}.cross_attn", cfg)
                ln_params(p, f"{pre}.cross_attn_norm", d)
            ffn_params(p, f"{pre}.ffn", cfg)
            ln_params(p, f"{pre}.ffn_norm", d)
        if cfg["norm"] == "pre":
            ln_params(p, f"{stack}.final_norm", d)
    v_out = stack_vocab(cfg, "decoder" if "decoder" in stacks_of(cfg) else "encoder")
    p.add("lm_head.weight", PROJ_STD * torch.randn(v_out, d))
    p.add("lm_head.bias", 0.1 * torch.randn(v_out))
    return p


def make_config(architecture, description, **kw):
    """config.json in the key order of docs/MODEL_FORMAT.md."""
    cfg = {"format": "attnscope", "architecture": architecture}
    order = ["d_model", "num_heads", "num_kv_heads", "ffn_dim", "encoder_layers", "decoder_layers",
             "vocab_size", "source_vocab_size", "target_vocab_size", "max_positions", "positional",
             "norm", "activation", "layer_norm_eps", "scale_embeddings", "attention_bias"]
    assert set(kw) <= set(order), set(kw) - set(order)
    for key in order:
        if key in kw:
            cfg[key] = kw[key]
    cfg.update({"tokenizer": "word", "lowercase": True, "description": description})
    return cfg


MODELS = [
    # (name, seed, config, encoder length S, decoder length T)
    ("encdec_post", 1, make_config(
        "encoder-decoder",
        "parity fixture: encoder-decoder, post-norm, sinusoidal, relu, random weights",
        d_model=32, num_heads=4, num_kv_heads=4, ffn_dim=64, encoder_layers=2, decoder_layers=2,
        source_vocab_size=24, target_vocab_size=20, max_positions=32, positional="sinusoidal",
        norm="post", activation="relu", layer_norm_eps=1e-5, scale_embeddings=True,
        attention_bias=True), 7, 6),
    ("decoder_pre_gqa", 2, make_config(
        "decoder-only",
        "parity fixture: decoder-only, pre-norm, learned positions, gelu, GQA 4/2, random weights",
        d_model=32, num_heads=4, num_kv_heads=2, ffn_dim=64, decoder_layers=2, vocab_size=30,
        max_positions=32, positional="learned", norm="pre", activation="gelu",
        layer_norm_eps=1e-5, scale_embeddings=False, attention_bias=False), None, 9),
    ("encoder_only", 3, make_config(
        "encoder-only",
        "parity fixture: encoder-only, post-norm, learned positions, gelu, MQA 3/1, random weights",
        d_model=24, num_heads=3, num_kv_heads=1, ffn_dim=48, encoder_layers=2, vocab_size=26,
        max_positions=16, positional="learned", norm="post", activation="gelu",
        layer_norm_eps=1e-12, scale_embeddings=False, attention_bias=True), 8, None),
    ("encdec_pre_gqa", 4, make_config(
        "encoder-decoder",
        "parity fixture: encoder-decoder, pre-norm, sinusoidal, gelu, GQA 4/2, random weights",
        d_model=32, num_heads=4, num_kv_heads=2, ffn_dim=48, encoder_layers=1, decoder_layers=2,
        source_vocab_size=22, target_vocab_size=18, max_positions=32, positional="sinusoidal",
        norm="pre", activation="gelu", layer_norm_eps=1e-5, scale_embeddings=True,
        attention_bias=True), 5, 7),
]


def write_vocab(path, size):
    words = ["<pad>", "<s>", "</s>", "<unk>"] + [f"w{i}" for i in range(FIRST_WORD_ID, size)]
    path.write_text("\n".join(words) + "\n")


def to_saved(t):
    return t.to(torch.float32).contiguous() if t.is_floating_point() else t.contiguous()


def make_model(name, seed, cfg, enc_len, dec_len):
    torch.manual_seed(seed)
    p = init_params(cfg)
    encoder_ids = decoder_ids = None
    if enc_len is not None:
        encoder_ids = torch.randint(FIRST_WORD_ID, stack_vocab(cfg, "encoder"), (enc_len,))  # [S]
    if dec_len is not None:
        rest = torch.randint(FIRST_WORD_ID, stack_vocab(cfg, "decoder"), (dec_len - 1,))
        decoder_ids = torch.cat([torch.tensor([BOS]), rest])  # [T], <s> first
    for ids in (encoder_ids, decoder_ids):
        assert ids is None or (ids.dtype == torch.int64 and len(ids) <= cfg["max_positions"])

    with torch.no_grad():
        _, expected, layer_io = run_model(p, cfg, encoder_ids, decoder_ids)
        n_checked = check_layers_against_torch(p, cfg, layer_io, name)
    if encoder_ids is not None:
        expected["encoder_ids"] = encoder_ids
    if decoder_ids is not None:
        expected["decoder_ids"] = decoder_ids

    out = FIXTURES / "parity" / name
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.json").write_text(json.dumps(cfg, indent=2) + "\n")
    if cfg["architecture"] == "encoder-decoder":
        write_vocab(out / "source_vocab.txt", cfg["source_vocab_size"])
        write_vocab(out / "target_vocab.txt", cfg["target_vocab_size"])
    else:
        write_vocab(out / "vocab.txt", cfg["vocab_size"])
    save_file(p.tensors, str(out / "model.safetensors"))
    save_file({k: to_saved(v) for k, v in expected.items()}, str(out / "expected.safetensors"))

    max_probs = [expected[k].amax(-1).mean().item() for k in expected if k.startswith("attn.")]
    print(f"  {name}: {len(p.tensors)} params tensors, {len(expected)} expected tensors, "
          f"mean row-max attention prob {sum(max_probs) / len(max_probs):.2f} "
          f"(min {min(max_probs):.2f}, max {max(max_probs):.2f}), "
          f"{n_checked} layers checked against torch.nn")


def check_standalone_layers():
    """Pre-norm (and post-norm) layers with H == Hkv that no fixture model covers, vs torch.nn."""
    torch.manual_seed(100)
    total = 0
    for norm_kind in ("post", "pre"):
        for act in ("relu", "gelu"):
            cfg = make_config("encoder-decoder", "cross-check only", d_model=32, num_heads=4,
                              num_kv_heads=4, ffn_dim=48, encoder_layers=2, decoder_layers=2,
                              source_vocab_size=12, target_vocab_size=12, max_positions=16,
                              positional="sinusoidal", norm=norm_kind, activation=act,
                              layer_norm_eps=1e-5, scale_embeddings=True, attention_bias=True)
            p = init_params(cfg)
            with torch.no_grad():
                _, _, layer_io = run_model(p, cfg, torch.randint(4, 12, (6,)),
                                           torch.randint(4, 12, (5,)))
                total += check_layers_against_torch(p, cfg, layer_io, f"standalone {norm_kind}")
    print(f"  standalone: {total} post/pre-norm encoder+decoder layers checked against torch.nn")


# ----------------------------------------------------------------------------------------------
# layers.safetensors
# ----------------------------------------------------------------------------------------------

def make_layers():
    torch.manual_seed(0)
    t = {}
    f64 = lambda x: x.to(torch.float64)  # inputs are float32; references computed in float64

    # matmul: odd sizes so blocked kernels hit their edges
    a, b = torch.randn(37, 53), torch.randn(53, 29)
    t["matmul.a"], t["matmul.b"] = a, b
    t["matmul.c"] = f64(a) @ f64(b)  # [37, 29]

    # linear
    x, w, bias = torch.randn(5, 7), torch.randn(3, 7), torch.randn(3)
    t["linear.x"], t["linear.weight"], t["linear.bias"] = x, w, bias
    t["linear.y"] = linear(f64(x), f64(w), f64(bias))  # [5, 3]

    # layernorm: rows with non-zero mean and very different scales
    means = torch.tensor([[3.0], [-2.0], [0.5], [50.0]])  # [4, 1]
    scales = torch.tensor([[0.1], [1.0], [5.0], [20.0]])  # [4, 1]
    x = torch.randn(4, 10) * scales + means  # [4, 10]
    w, bias = 1.0 + 0.1 * torch.randn(10), 0.1 * torch.randn(10)
    t["layernorm.x"], t["layernorm.weight"], t["layernorm.bias"] = x, w, bias
    t["layernorm.y"] = layer_norm(f64(x), f64(w), f64(bias), 1e-5)  # [4, 10]

    # activations
    x = torch.linspace(-6.0, 6.0, 64)
    t["gelu.x"], t["gelu.y"] = x, activation("gelu", f64(x))
    x = 3.0 * torch.randn(64)
    x[10] = 0.0
    t["relu.x"], t["relu.y"] = x, activation("relu", f64(x))

    # masked softmax; mask 1 = keep, 0 = masked
    x = 2.0 * torch.randn(4, 6)
    x[0, 2], x[0, 4] = 30.0, -30.0  # large values in an unmasked row
    x[1, 1], x[1, 3] = -30.0, 30.0  # row 1: the +30 is masked, so it must not dominate
    x[3, 0] = 30.0
    mask = torch.tensor([[1, 1, 1, 1, 1, 1],
                         [1, 1, 0, 0, 1, 0],  # several masked (incl. the largest value)
                         [0, 1, 1, 1, 1, 1],
                         [1, 0, 0, 0, 0, 1]], dtype=torch.float32)
    t["softmax.x"], t["softmax.mask"] = x, mask
    t["softmax.y"] = masked_softmax(f64(x), mask.bool())  # [4, 6]
    assert (t["softmax.y"][mask == 0] == 0).all()

    # sinusoidal positions (float64 then float32)
    t["sinusoidal.table"] = sinusoidal_table(50, 16)  # [50, 16]

    # attention, 4 heads of dk = 4, heads = contiguous column blocks
    H = 4
    q, k, v = torch.randn(5, 16), torch.randn(7, 16), torch.randn(7, 16)
    out, _, probs = multi_head_attention(f64(q), f64(k), f64(v), H, H, None)
    torch.testing.assert_close(out, sdpa_reference(f64(q), f64(k), f64(v), H, H, None), **CHECK_TOL)
    t["attention.q"], t["attention.k"], t["attention.v"] = q, k, v
    t["attention.probs"], t["attention.out"] = probs, out  # [4, 5, 7], [5, 16]

    q, k, v = torch.randn(6, 16), torch.randn(6, 16), torch.randn(6, 16)
    keep = causal_keep(6)  # [6, 6]
    out, _, probs = multi_head_attention(f64(q), f64(k), f64(v), H, H, keep)
    torch.testing.assert_close(out, sdpa_reference(f64(q), f64(k), f64(v), H, H, keep), **CHECK_TOL)
    qh = f64(q).reshape(6, H, 4).transpose(0, 1).unsqueeze(0)  # [1, H, 6, 4]
    kh = f64(k).reshape(6, H, 4).transpose(0, 1).unsqueeze(0)  # [1, H, 6, 4]
    vh = f64(v).reshape(6, H, 4).transpose(0, 1).unsqueeze(0)  # [1, H, 6, 4]
    causal_ref = F.scaled_dot_product_attention(qh, kh, vh, is_causal=True)  # [1, H, 6, 4]
    torch.testing.assert_close(out, causal_ref[0].transpose(0, 1).reshape(6, 16), **CHECK_TOL)
    t["attention_causal.q"], t["attention_causal.k"], t["attention_causal.v"] = q, k, v
    t["attention_causal.probs"], t["attention_causal.out"] = probs, out  # [4, 6, 6], [6, 16]

    FIXTURES.mkdir(parents=True, exist_ok=True)
    save_file({k: to_saved(v) for k, v in t.items()}, str(FIXTURES / "layers.safetensors"))
    print(f"  layers.safetensors: {len(t)} tensors")


README = """\
# Transformer test fixtures (generated — do not edit by hand)

Reference values computed with PyTorch {torch_version} by `scripts/make_fixtures.py`, which
implements the math of `docs/MODEL_FORMAT.md` explicitly and cross-checks it against
`scaled_dot_product_attention` and `nn.TransformerEncoderLayer`/`TransformerDecoderLayer`.

- `layers.safetensors`: single-layer references (matmul, linear, layernorm, gelu, relu, masked
  softmax, sinusoidal table, multi-head attention plain and causal).
- `parity/<model>/`: four tiny random-weight models in attnscope's format (`config.json`,
  `model.safetensors`, vocabularies) and `expected.safetensors` (input ids, logits, per-sublayer
  pre-mask scaled `scores.*` and post-softmax `attn.*` as [H, n_q, n_k], `hidden.encoder`).
  Models: {models}.

Inputs and weights are float32; references are computed in float64 and stored as float32.
Regenerate (deterministic) from the repository root:

    /opt/attnscope-venv/bin/python scripts/make_fixtures.py

Needs torch, numpy and safetensors; never needed by builds or tests.
"""


def main():
    print(f"torch {torch.__version__}, writing {FIXTURES.relative_to(ROOT)}/")
    make_layers()
    for name, seed, cfg, enc_len, dec_len in MODELS:
        make_model(name, seed, cfg, enc_len, dec_len)
    check_standalone_layers()
    (FIXTURES / "README.md").write_text(README.format(
        torch_version=torch.__version__.split("+")[0],
        models=", ".join(f"`{m[0]}`" for m in MODELS)))
    print("done")


if __name__ == "__main__":
    main()
