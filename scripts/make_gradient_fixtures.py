"""Generate the PyTorch gradient fixtures for attnscope's training tests.

What it writes (under Tests/TrainingTests/Fixtures/, overwritten on each run):

  <model>/gradients.safetensors   for each of the four parity models of
                                  Tests/TransformerTests/Fixtures/parity/<model>/ (their weights are
                                  read from there, not copied): a seeded batch of 2 examples of
                                  different lengths (ids and targets, I64), the batch loss, the
                                  gradient of that loss for every parameter (`grad.<name>`), and the
                                  logits of each example.
  adamw.safetensors               torch.optim.AdamW after 1 and 3 steps with a fixed gradient, and a
                                  torch.nn.utils.clip_grad_norm_ case.
  README.md                       what is here, the loss definition, how to regenerate.

The forward pass is the explicit float64 math of scripts/make_fixtures.py (run_model, which follows
docs/MODEL_FORMAT.md), run on float64 copies of the float32 weights with autograd; gradients come
from torch.autograd. Everything is computed in float64 and stored as float32 once at the end.

Loss (both examples together): per-token cross-entropy -log softmax(logits[t])[target[t]] summed
over every target position whose id is not -1 in both examples, divided by the number of such
positions. Target -1 = ignored (no contribution to the sum or to the count).

Self-checks (asserts, nothing saved): the float64 forward on the inference fixture's ids reproduces
its expected.safetensors logits; the loss equals F.cross_entropy(ignore_index=-1, reduction="mean")
on the concatenated batch; every parameter tensor's gradient is spot-checked by central finite
differences in float64 at its largest-|grad| entry and at a random entry, plus one directional
derivative along a random direction over all parameters at once; AdamW and clipping are checked
against a hand-written implementation of the update.

Run from the repository root (needs torch, numpy and safetensors; never needed by builds/tests):

    /opt/attnscope-venv/bin/python scripts/make_gradient_fixtures.py
"""

import json
import struct
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file

sys.dont_write_bytecode = True  # no scripts/__pycache__ from the import below
sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_fixtures as mf  # noqa: E402  (same folder; only its functions are used)

ROOT = Path(__file__).resolve().parent.parent
PARITY = ROOT / "Tests" / "TransformerTests" / "Fixtures" / "parity"
OUT = ROOT / "Tests" / "TrainingTests" / "Fixtures"
COMPUTE = torch.float64
IGNORE = -1
BOS, EOS, FIRST_WORD_ID = mf.BOS, mf.EOS, mf.FIRST_WORD_ID

FD_STEP = 1e-6  # central-difference step (float64)
FD_ATOL, FD_RTOL = 1e-8, 1e-6  # |fd - autograd| <= FD_ATOL + FD_RTOL * |autograd|

# (name, seed for the batch, (encoder length, decoder length) of example 0 and 1; None = no such
# stack). Decoder length = len(decoder_ids) = len(targets) = number of target words + 1.
BATCHES = [
    ("encdec_post", 11, [(5, 4), (8, 6)]),
    ("decoder_pre_gqa", 12, [(None, 5), (None, 9)]),
    ("encoder_only", 13, [(6, None), (9, None)]),
    ("encdec_pre_gqa", 14, [(7, 6), (4, 3)]),
]

ADAMW = dict(lr=1e-2, betas=(0.9, 0.98), eps=1e-9, weight_decay=0.01)
CLIP_MAX_NORM = 1.0


# ----------------------------------------------------------------------------------------------
# Parameters as float64 autograd leaves, with the interface make_fixtures.run_model expects
# ----------------------------------------------------------------------------------------------

class Leaves:
    """float64 leaf tensors (requires_grad) made from the float32 weights of model.safetensors."""

    def __init__(self, f32_tensors):
        self.names = list(f32_tensors)  # file order
        self.f32 = f32_tensors
        self.tensors = {k: v.to(COMPUTE).detach().clone().requires_grad_(True)
                        for k, v in f32_tensors.items()}

    def __call__(self, name):
        return self.tensors[name]

    def opt(self, name):
        return self(name) if name in self.tensors else None


def load_model(name):
    folder = PARITY / name
    cfg = json.loads((folder / "config.json").read_text())
    cfg.setdefault("num_kv_heads", cfg["num_heads"])
    weights = load_file(str(folder / "model.safetensors"))
    assert all(v.dtype == torch.float32 for v in weights.values())
    expected = load_file(str(folder / "expected.safetensors"))
    return cfg, weights, expected


def save(tensors, path, metadata):
    """save_file, then sort the `__metadata__` keys in the header: safetensors writes them in hash
    order, which would make every regeneration differ byte-wise. Same bytes, same header length."""
    save_file(tensors, str(path), metadata=metadata)
    data = bytearray(path.read_bytes())
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"), object_pairs_hook=dict)  # keeps tensor order
    header["__metadata__"] = dict(sorted(header["__metadata__"].items()))
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    assert len(text) <= n
    data[8:8 + n] = text + b" " * (n - len(text))
    path.write_bytes(bytes(data))
    assert load_file(str(path)).keys() == tensors.keys()


def forward(p, cfg, encoder_ids, decoder_ids):
    logits, _, _ = mf.run_model(p, cfg, encoder_ids, decoder_ids)  # [n, V_out]
    return logits


# ----------------------------------------------------------------------------------------------
# Batch and loss
# ----------------------------------------------------------------------------------------------

def words(g, n, vocab):
    return torch.randint(FIRST_WORD_ID, vocab, (n,), generator=g)  # [n] I64, no special ids


def make_batch(cfg, seed, lengths):
    """Returns a list of dicts with encoder_ids / decoder_ids / targets (I64 [n])."""
    g = torch.Generator().manual_seed(seed)
    arch = cfg["architecture"]
    batch = []
    for enc_len, dec_len in lengths:
        ex = {}
        if arch == "encoder-decoder":
            ex["encoder_ids"] = words(g, enc_len, mf.stack_vocab(cfg, "encoder"))  # [S]
            target_words = words(g, dec_len - 1, mf.stack_vocab(cfg, "decoder"))  # [T-1]
            # teacher forcing: decoder input = <s> + target words; targets = target words + </s>
            ex["decoder_ids"] = torch.cat([torch.tensor([BOS]), target_words])  # [T]
            ex["targets"] = torch.cat([target_words, torch.tensor([EOS])])  # [T]
        elif arch == "decoder-only":
            seq = torch.cat([torch.tensor([BOS]), words(g, dec_len - 1, cfg["vocab_size"]),
                             torch.tensor([EOS])])  # [T+1]: <s> w... </s>
            ex["decoder_ids"] = seq[:-1].clone()  # [T]
            targets = seq[1:].clone()  # [T], next token
            targets[:2] = IGNORE  # exercise ignore handling
            ex["targets"] = targets
        else:  # encoder-only, masked-LM style: a random target id per position, some ignored
            ex["encoder_ids"] = words(g, enc_len, cfg["vocab_size"])  # [S]
            targets = words(g, enc_len, cfg["vocab_size"])  # [S]
            ignored = torch.rand(enc_len, generator=g) < 0.35
            ignored[0], ignored[-1] = True, False  # at least one ignored, one counted
            targets[ignored] = IGNORE
            ex["targets"] = targets
        n = len(ex["targets"])
        for key in ("encoder_ids", "decoder_ids"):
            if key in ex:
                assert ex[key].dtype == torch.int64 and len(ex[key]) <= cfg["max_positions"]
        assert len(ex.get("decoder_ids", ex.get("encoder_ids"))) == n
        batch.append(ex)
    sizes = [len(ex["targets"]) for ex in batch]
    assert sizes[0] != sizes[1], "the two examples must differ in length"
    return batch


def batch_loss(p, cfg, batch):
    """Mean cross-entropy over all non-ignored positions of the whole batch (float64).

    Returns (loss, per-example logits, number of counted tokens)."""
    total = torch.zeros((), dtype=COMPUTE)
    count = 0
    all_logits = []
    for ex in batch:
        logits = forward(p, cfg, ex.get("encoder_ids"), ex.get("decoder_ids"))  # [n, V]
        all_logits.append(logits)
        keep = ex["targets"] != IGNORE  # [n]
        log_probs = torch.log_softmax(logits, dim=-1)  # [n, V]
        picked = log_probs[keep].gather(1, ex["targets"][keep].unsqueeze(1)).squeeze(1)  # [k]
        total = total - picked.sum()
        count += int(keep.sum())
    return total / count, all_logits, count


# ----------------------------------------------------------------------------------------------
# Finite-difference checks
# ----------------------------------------------------------------------------------------------

def loss_value(p, cfg, batch):
    with torch.no_grad():
        return batch_loss(p, cfg, batch)[0].item()


def fd_entry(p, cfg, batch, name, index):
    t = p.tensors[name]
    with torch.no_grad():
        flat = t.view(-1)
        original = flat[index].item()
        flat[index] = original + FD_STEP
        plus = loss_value(p, cfg, batch)
        flat[index] = original - FD_STEP
        minus = loss_value(p, cfg, batch)
        flat[index] = original
    return (plus - minus) / (2 * FD_STEP)


def check_gradients(p, cfg, batch, grads, label, seed):
    g = torch.Generator().manual_seed(seed)
    worst = 0.0
    checked = 0
    for name in p.names:
        grad = grads[name].reshape(-1)
        picks = {int(grad.abs().argmax()), int(torch.randint(grad.numel(), (1,), generator=g))}
        for index in sorted(picks):
            fd = fd_entry(p, cfg, batch, name, index)
            ag = grad[index].item()
            err = abs(fd - ag)
            assert err <= FD_ATOL + FD_RTOL * abs(ag), \
                f"{label}: grad.{name}[{index}] autograd {ag!r} vs finite difference {fd!r}"
            worst = max(worst, err / (FD_ATOL + FD_RTOL * abs(ag)))
            checked += 1

    # Directional derivative along one random direction through all parameters at once.
    direction = {n: torch.randn(p.tensors[n].shape, generator=g, dtype=COMPUTE) for n in p.names}
    expected = sum((grads[n] * direction[n]).sum().item() for n in p.names)
    originals = {n: p.tensors[n].detach().clone() for n in p.names}
    values = []
    with torch.no_grad():
        for sign in (1.0, -1.0):
            for n in p.names:
                p.tensors[n].copy_(originals[n] + sign * FD_STEP * direction[n])
            values.append(loss_value(p, cfg, batch))
        for n in p.names:
            p.tensors[n].copy_(originals[n])
    fd = (values[0] - values[1]) / (2 * FD_STEP)
    assert abs(fd - expected) <= 1e-7 + 1e-6 * abs(expected), \
        f"{label}: directional derivative autograd {expected!r} vs finite difference {fd!r}"
    return checked, worst, abs(fd - expected) / max(abs(expected), 1e-30)


# ----------------------------------------------------------------------------------------------
# Per-model gradient fixture
# ----------------------------------------------------------------------------------------------

def check_against_inference_fixture(p, cfg, expected, label):
    enc = expected.get("encoder_ids")
    dec = expected.get("decoder_ids")
    with torch.no_grad():
        logits = forward(p, cfg, enc, dec)  # [n, V]
    ref = expected["logits"]
    diff = (logits.to(torch.float32) - ref).abs().max().item()
    assert diff <= 1e-6, f"{label}: float64 forward differs from expected.safetensors by {diff}"
    return diff


def make_model_fixture(name, seed, lengths):
    cfg, weights, expected = load_model(name)
    p = Leaves(weights)
    inference_diff = check_against_inference_fixture(p, cfg, expected, name)

    batch = make_batch(cfg, seed, lengths)
    loss, logits, count = batch_loss(p, cfg, batch)
    loss.backward()
    grads = {n: p.tensors[n].grad.detach().clone() for n in p.names}
    for n in p.names:
        assert grads[n].shape == weights[n].shape
        p.tensors[n].grad = None

    # Second loss formula: torch's own cross_entropy on the concatenated batch.
    with torch.no_grad():
        ref = F.cross_entropy(torch.cat(logits), torch.cat([ex["targets"] for ex in batch]),
                              ignore_index=IGNORE, reduction="mean")
    assert abs(ref.item() - loss.item()) <= 1e-12, (ref.item(), loss.item())

    n_fd, worst, dir_rel = check_gradients(p, cfg, batch, grads, name, seed + 1000)

    tensors = {}
    for i, ex in enumerate(batch):
        for key in ("encoder_ids", "decoder_ids", "targets"):
            if key in ex:
                tensors[f"example{i}.{key}"] = ex[key].to(torch.int64).contiguous()
        tensors[f"logits.example{i}"] = logits[i].detach().to(torch.float32).contiguous()
    tensors["loss"] = loss.detach().to(torch.float32).reshape(())  # shape []
    tensors["counted_tokens"] = torch.tensor(count, dtype=torch.int64)  # shape []
    for n in p.names:
        tensors[f"grad.{n}"] = grads[n].to(torch.float32).contiguous()

    metadata = {
        "model": f"Tests/TransformerTests/Fixtures/parity/{name}",
        "loss": "sum over both examples of -log_softmax(logits)[target] at positions with "
                "target != -1, divided by counted_tokens",
        "ignore_index": str(IGNORE),
        "loss_shape": "[]",
        "batch_seed": str(seed),
        "torch_version": torch.__version__.split("+")[0],
        "generator": "scripts/make_gradient_fixtures.py",
    }
    folder = OUT / name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "gradients.safetensors"
    save(tensors, path, metadata)

    lens = ", ".join(
        "/".join(str(len(ex[k])) for k in ("encoder_ids", "decoder_ids") if k in ex)
        for ex in batch)
    print(f"  {name}: lengths {lens}, {count} counted tokens, loss {loss.item():.6f}, "
          f"{len(p.names)} grads, inference logits diff {inference_diff:.1e}, "
          f"{n_fd} finite-difference entries ok (worst {worst:.2f} of tolerance), "
          f"directional rel err {dir_rel:.1e}, {path.stat().st_size} bytes")
    return metadata


# ----------------------------------------------------------------------------------------------
# AdamW and gradient clipping
# ----------------------------------------------------------------------------------------------

def manual_adamw(param, grad, steps, lr, betas, eps, weight_decay):
    # PyTorch AdamW (decoupled weight decay, bias-corrected moments), float64.
    p, m, v = param.clone(), torch.zeros_like(param), torch.zeros_like(param)
    b1, b2 = betas
    for t in range(1, steps + 1):
        p = p * (1 - lr * weight_decay)
        m = b1 * m + (1 - b1) * grad
        v = b2 * v + (1 - b2) * grad * grad
        m_hat = m / (1 - b1 ** t)
        v_hat = v / (1 - b2 ** t)
        p = p - lr * m_hat / (v_hat.sqrt() + eps)
    return p


def make_optimizer_fixture():
    torch.manual_seed(20)
    param = torch.randn(4, 5)  # float32, what is stored
    grad = 0.5 * torch.randn(4, 5)
    # edge cases: zero gradient (only weight decay moves it), gradients near / below eps scale
    grad[0, 0] = 0.0
    grad[1, 1] = 1e-10
    grad[2, 2] = -3e-9
    grad[3, 3] = 4.0

    p64 = param.to(COMPUTE).clone().requires_grad_(True)
    opt = torch.optim.AdamW([p64], **ADAMW)
    after = {}
    for step in range(1, 4):
        p64.grad = grad.to(COMPUTE).clone()
        opt.step()
        after[step] = p64.detach().clone()
    for steps in (1, 3):
        ref = manual_adamw(param.to(COMPUTE), grad.to(COMPUTE), steps, **ADAMW)
        torch.testing.assert_close(after[steps], ref, rtol=1e-12, atol=1e-14)

    # clip_grad_norm_ on two gradient tensors whose global 2-norm exceeds max_norm
    a = 1.5 * torch.randn(3, 4)
    b = torch.randn(6)
    a64 = torch.zeros(3, 4, dtype=COMPUTE, requires_grad=True)
    b64 = torch.zeros(6, dtype=COMPUTE, requires_grad=True)
    a64.grad, b64.grad = a.to(COMPUTE).clone(), b.to(COMPUTE).clone()
    total_norm = torch.nn.utils.clip_grad_norm_([a64, b64], max_norm=CLIP_MAX_NORM)
    manual_norm = torch.sqrt((a.to(COMPUTE) ** 2).sum() + (b.to(COMPUTE) ** 2).sum())
    coef = min(1.0, CLIP_MAX_NORM / (manual_norm.item() + 1e-6))
    assert manual_norm.item() > CLIP_MAX_NORM  # clipping actually happens
    torch.testing.assert_close(total_norm, manual_norm, rtol=1e-14, atol=0)
    torch.testing.assert_close(a64.grad, a.to(COMPUTE) * coef, rtol=1e-14, atol=0)
    torch.testing.assert_close(b64.grad, b.to(COMPUTE) * coef, rtol=1e-14, atol=0)

    tensors = {
        "adamw.param": param,
        "adamw.grad": grad,
        "adamw.after1": after[1].to(torch.float32),
        "adamw.after3": after[3].to(torch.float32),
        "clip.grads.a": a,
        "clip.grads.b": b,
        "clip.clipped.a": a64.grad.to(torch.float32),
        "clip.clipped.b": b64.grad.to(torch.float32),
        "clip.total_norm": total_norm.to(torch.float32).reshape(()),  # shape []
    }
    metadata = {
        "adamw.lr": repr(ADAMW["lr"]),
        "adamw.beta1": repr(ADAMW["betas"][0]),
        "adamw.beta2": repr(ADAMW["betas"][1]),
        "adamw.eps": repr(ADAMW["eps"]),
        "adamw.weight_decay": repr(ADAMW["weight_decay"]),
        "adamw.amsgrad": "false",
        "adamw.steps": "after1 = 1 step, after3 = 3 steps, adamw.grad as the gradient every step",
        "adamw.update": "p *= 1 - lr*wd; m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g*g; "
                        "p -= lr * (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps); m, v start at 0",
        "clip.max_norm": repr(CLIP_MAX_NORM),
        "clip.norm_type": "2",
        "clip.rule": "total_norm = sqrt(sum of all squared entries of a and b); "
                     "coef = min(1, max_norm / (total_norm + 1e-6)); clipped = grads * coef",
        "torch_version": torch.__version__.split("+")[0],
        "generator": "scripts/make_gradient_fixtures.py",
    }
    tensors = {k: v.contiguous() for k, v in tensors.items()}
    path = OUT / "adamw.safetensors"
    save(tensors, path, metadata)
    print(f"  adamw.safetensors: total_norm {total_norm.item():.6f}, coef {coef:.6f}, "
          f"{path.stat().st_size} bytes")


# ----------------------------------------------------------------------------------------------
# README
# ----------------------------------------------------------------------------------------------

README = """\
# Training test fixtures (generated — do not edit by hand)

Reference gradients and optimizer steps computed with PyTorch {torch_version} by
`scripts/make_gradient_fixtures.py`. Regenerate (deterministic) from the repository root:

    /opt/attnscope-venv/bin/python scripts/make_gradient_fixtures.py

Needs torch, numpy and safetensors; never needed by builds or tests.

## `<model>/gradients.safetensors`

One per parity model of `Tests/TransformerTests/Fixtures/parity/<model>/` ({models}); the model's
`config.json` and `model.safetensors` are read from there (not copied). The forward pass is the
explicit math of `docs/MODEL_FORMAT.md` (the functions of `scripts/make_fixtures.py`), run in
float64 on the float32 weights; gradients come from torch.autograd in float64; everything is stored
as float32 (ids and targets as I64).

| name | dtype, shape | |
|---|---|---|
| `example{{i}}.encoder_ids` | I64 [S_i] | encoder-decoder and encoder-only |
| `example{{i}}.decoder_ids` | I64 [T_i] | encoder-decoder and decoder-only |
| `example{{i}}.targets` | I64 [n_i] | n_i = T_i (decoder) or S_i (encoder-only); -1 = ignored |
| `logits.example{{i}}` | F32 [n_i, V_out] | forward logits of example i |
| `loss` | F32 **[]** (scalar) | the batch loss defined below |
| `counted_tokens` | I64 [] | number of targets ≠ -1 over both examples |
| `grad.<parameter>` | F32, shape of the parameter | d loss / d parameter, for every tensor of model.safetensors |

i ∈ {{0, 1}}: a batch of two examples of different lengths; each example is run through the model
on its own (no padding, no batch dimension).

Targets:

- encoder-decoder (teacher forcing): target words w₁…w_k (ids ≥ 4), then
  `decoder_ids = [1 (<s>), w₁, …, w_k]`, `targets = [w₁, …, w_k, 2 (</s>)]`.
  `encoder_ids` are random word ids. No ignored positions.
- decoder-only: sequence `[1, w₁, …, w_k, 2]`; `decoder_ids` = all but the last,
  `targets[t] = sequence[t + 1]` (next token), then `targets[0] = targets[1] = -1` (ignored).
- encoder-only (masked-LM style): `encoder_ids` random words, `targets` a random word id per
  position with some positions (always position 0, never the last) set to -1.

Loss — mean over counted tokens of both examples together (not a mean of per-example means):

    loss = ( Σ_i Σ_{{t : targets_i[t] ≠ -1}} −log softmax(logits_i[t])[targets_i[t]] ) / counted_tokens

This equals `F.cross_entropy(cat(logits), cat(targets), ignore_index=-1, reduction="mean")`.

Gradients that are zero by construction (compare them with an absolute tolerance): every
`k_proj.bias` (self- and cross-attention; adding a constant to a whole score row leaves the softmax
unchanged), stored as float64 round-off of ~1e-16, where a float32 backward gives ~1e-8; and,
exactly 0, the `embed_tokens` rows of ids absent from the batch and the learned `embed_positions`
rows at positions ≥ the longest example.

## `adamw.safetensors`

- `adamw.param` F32 [4, 5], `adamw.grad` F32 [4, 5] (includes a 0, 1e-10, -3e-9 and 4.0 entry),
  `adamw.after1` / `adamw.after3`: the parameter after 1 and 3 steps of
  `torch.optim.AdamW(lr=1e-2, betas=(0.9, 0.98), eps=1e-9, weight_decay=0.01)` with `adamw.grad` as
  the gradient at every step (moments start at 0). Per step t = 1, 2, …:
  `p *= 1 − lr·wd; m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²;
  p −= lr · (m / (1−β₁ᵗ)) / (sqrt(v / (1−β₂ᵗ)) + eps)`.
  The hyperparameters are also in the file's `__metadata__` (strings).
- `clip.grads.a` F32 [3, 4], `clip.grads.b` F32 [6]: two gradients; `clip.clipped.a` /
  `clip.clipped.b`: after `torch.nn.utils.clip_grad_norm_([a, b], max_norm=1.0)` (global 2-norm);
  `clip.total_norm` F32 [] (scalar): the norm before clipping, as returned by PyTorch.
  Rule: `coef = min(1, max_norm / (total_norm + 1e-6))`, `clipped = grads · coef`.

## Checks done by the script (asserts)

- The float64 forward on each inference fixture's ids reproduces its `expected.safetensors` logits.
- The loss equals `F.cross_entropy(..., ignore_index=-1)` on the concatenated batch.
- Every parameter tensor's gradient is compared with a float64 central finite difference
  (step {fd_step}) at its largest-|grad| entry and at a random entry, and the whole gradient with
  a directional derivative along a random direction.
- AdamW and clipping match a hand-written implementation of the rules above.
"""


def main():
    print(f"torch {torch.__version__}, writing {OUT.relative_to(ROOT)}/")
    torch.set_default_dtype(torch.float32)
    for name, seed, lengths in BATCHES:
        make_model_fixture(name, seed, lengths)
    make_optimizer_fixture()
    (OUT / "README.md").write_text(README.format(
        torch_version=torch.__version__.split("+")[0],
        models=", ".join(f"`{b[0]}`" for b in BATCHES), fd_step=FD_STEP))
    total = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
    assert total < 1_000_000, total
    print(f"done, {total} bytes in total")


if __name__ == "__main__":
    main()
