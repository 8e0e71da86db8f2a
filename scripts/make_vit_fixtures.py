"""PyTorch reference fixtures for attnscope's Vision Transformer (docs/MODEL_FORMAT.md, "vit").

Writes Tests/TransformerTests/Fixtures/vit/<model>/: config.json, model.safetensors and
expected.safetensors holding the input image [C, H, W] (already normalised), the class logits
[K], the encoder output, every layer's pre-softmax scaled scores and attention probabilities
[H, 1+N, 1+N], and — for the training tests — the mean cross-entropy of a small labelled batch
("batch.images" [B, C, H, W], "batch.labels" [B]) with the gradient of every parameter
("grad.<name>").

The model follows Dosovitskiy et al. 2021 (eq. 1-4): patches flattened in (channel, row, column)
order and projected (checked here against nn.Conv2d with kernel = stride = P), a learned [CLS]
prepended, positions added — learned, or fixed 2-D sine-cosine (first half of the dimensions the
1-D table of the patch's row over d/2, second half its column; [CLS] gets zeros, as in MAE) —
the encoder layers of make_fixtures.py, a final LayerNorm for pre-norm, and a linear classifier
on [CLS]. References are computed in float64 from float32 parameters, as make_fixtures.py does.

    /opt/attnscope-venv/bin/python scripts/make_vit_fixtures.py
"""

import json
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_fixtures as mf  # noqa: E402  (the shared layer math)

OUT = mf.FIXTURES / "vit"


def vit_config(description, image_size, patch_size, channels, classes, **kw):
    grid = image_size // patch_size
    cfg = {"format": "attnscope", "architecture": "vit", **kw,
           "max_positions": grid * grid + 1, "description": description,
           "vision": {"image_size": image_size, "patch_size": patch_size, "num_channels": channels,
                      "class_names": [f"class{i}" for i in range(classes)],
                      "image_mean": [0.5] * channels, "image_std": [0.25] * channels}}
    return cfg


MODELS = [
    ("vit_learned_pre", 11, vit_config(
        "parity fixture: ViT, RGB 12x12, 4x4 patches, learned positions, pre-norm, gelu, GQA 4/2",
        12, 4, 3, 5, d_model=32, num_heads=4, num_kv_heads=2, ffn_dim=64, encoder_layers=2,
        positional="learned", norm="pre", activation="gelu", layer_norm_eps=1e-6,
        attention_bias=True)),
    ("vit_sincos_post", 12, vit_config(
        "parity fixture: ViT, grey 8x8, 2x2 patches, 2-D sine-cosine positions, post-norm, relu",
        8, 2, 1, 3, d_model=24, num_heads=3, num_kv_heads=3, ffn_dim=40, encoder_layers=2,
        positional="sincos-2d", norm="post", activation="relu", layer_norm_eps=1e-5,
        attention_bias=False)),
]


def patches(images, v):
    # images [B, C, S, S] -> [B, N, C*P*P], patches row-major over the grid
    B, C, S, _ = images.shape
    P, G = v["patch_size"], v["image_size"] // v["patch_size"]
    x = images.reshape(B, C, G, P, G, P).permute(0, 2, 4, 1, 3, 5)  # [B, G, G, C, P, P]
    return x.reshape(B, G * G, C * P * P)


def sincos_2d(grid, d):
    # [1 + grid*grid, d]: zeros for [CLS], then row table | column table per patch
    half = mf.sinusoidal_table(grid, d // 2)  # [grid, d/2]
    rows = half.repeat_interleave(grid, dim=0)  # patch r*grid+c -> row r
    cols = half.repeat(grid, 1)  # patch r*grid+c -> column c
    return torch.cat([torch.zeros(1, d, dtype=torch.float64), torch.cat([rows, cols], dim=1)])


def init_params(cfg):
    p = mf.Params()
    d, v = cfg["d_model"], cfg["vision"]
    pd = v["num_channels"] * v["patch_size"] ** 2
    p.add("patch_embed.weight", torch.randn(d, pd) / pd ** 0.5)
    p.add("patch_embed.bias", 0.1 * torch.randn(d))
    p.add("cls_token", 0.5 * torch.randn(1, d))
    if cfg["positional"] == "learned":
        p.add("encoder.embed_positions.weight", 0.3 * torch.randn(cfg["max_positions"], d))
    for i in range(cfg["encoder_layers"]):
        pre = f"encoder.layers.{i}"
        mf.attn_params(p, f"{pre}.self_attn", cfg)
        mf.ln_params(p, f"{pre}.self_attn_norm", d)
        mf.ffn_params(p, f"{pre}.ffn", cfg)
        mf.ln_params(p, f"{pre}.ffn_norm", d)
    if cfg["norm"] == "pre":
        mf.ln_params(p, "encoder.final_norm", d)
    K = len(v["class_names"])
    p.add("classifier.weight", mf.PROJ_STD * torch.randn(K, d))
    p.add("classifier.bias", 0.1 * torch.randn(K))
    return p


def forward(p, cfg, image, record):
    # image [C, S, S] -> logits [K], hidden [1+N, d]
    v, d = cfg["vision"], cfg["d_model"]
    flat = patches(image.unsqueeze(0), v)[0]  # [N, C*P*P]
    x = mf.linear(flat, p("patch_embed.weight"), p("patch_embed.bias"))  # [N, d]
    x = torch.cat([p("cls_token"), x])  # [1+N, d]
    if cfg["positional"] == "learned":
        x = x + p("encoder.embed_positions.weight")
    else:
        x = x + sincos_2d(v["image_size"] // v["patch_size"], d)
    for i in range(cfg["encoder_layers"]):
        x = mf.encoder_layer(p, cfg, i, x, record)
    if cfg["norm"] == "pre":
        x = mf.norm(p, "encoder.final_norm", cfg, x)
    logits = mf.linear(x[:1], p("classifier.weight"), p("classifier.bias"))[0]  # [K]
    return logits, x


def check_patch_embedding_is_a_conv(p, cfg, image):
    v, d = cfg["vision"], cfg["d_model"]
    C, P = v["num_channels"], v["patch_size"]
    conv_weight = p("patch_embed.weight").reshape(d, C, P, P)
    conv = F.conv2d(image.unsqueeze(0), conv_weight, p("patch_embed.bias"), stride=P)  # [1, d, G, G]
    ours = mf.linear(patches(image.unsqueeze(0), v)[0], p("patch_embed.weight"), p("patch_embed.bias"))
    torch.testing.assert_close(conv[0].flatten(1).T, ours, **mf.CHECK_TOL)


def make_model(name, seed, cfg):
    torch.manual_seed(seed)
    p = init_params(cfg)
    v = cfg["vision"]
    C, S = v["num_channels"], v["image_size"]
    image = torch.randn(C, S, S).to(torch.float32)  # already normalised
    expected = {"image": image}

    def record(kind, layer, scores, probs):
        expected[f"scores.encoder.{kind}.{layer}"] = scores  # [H, 1+N, 1+N]
        expected[f"attn.encoder.{kind}.{layer}"] = probs

    with torch.no_grad():
        image64 = image.to(mf.COMPUTE)
        check_patch_embedding_is_a_conv(p, cfg, image64)
        logits, hidden = forward(p, cfg, image64, record)
    expected["logits"] = logits
    expected["hidden.encoder"] = hidden

    # Training reference: mean cross-entropy over a batch, gradients of every parameter.
    batch = torch.randn(3, C, S, S).to(torch.float32)
    labels = torch.randint(0, len(v["class_names"]), (3,))
    leaves = {k: t.to(mf.COMPUTE).requires_grad_(True) for k, t in p.tensors.items()}
    q = mf.Params()
    q.tensors = leaves  # already float64, so Params' .to(COMPUTE) returns the leaf itself
    batch_logits = torch.stack(
        [forward(q, cfg, img.to(mf.COMPUTE), lambda *a: None)[0] for img in batch])  # [B, K]
    loss = F.cross_entropy(batch_logits, labels)
    loss.backward()
    expected["batch.images"] = batch
    expected["batch.labels"] = labels
    expected["batch.loss"] = loss.detach().reshape(1)
    for k, t in leaves.items():
        expected[f"grad.{k}"] = t.grad

    out = OUT / name
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.json").write_text(json.dumps(cfg, indent=2) + "\n")
    save_file(p.tensors, str(out / "model.safetensors"))
    save_file({k: mf.to_saved(t.detach()) for k, t in expected.items()},
              str(out / "expected.safetensors"))
    print(f"  {name}: {len(p.tensors)} parameter tensors, logits {logits.tolist()[:3]}…, "
          f"batch loss {loss.item():.4f}")


def main():
    print(f"torch {torch.__version__}, writing {OUT.relative_to(mf.ROOT)}/")
    for name, seed, cfg in MODELS:
        make_model(name, seed, cfg)


if __name__ == "__main__":
    main()
