"""Writes Tests/BatchNormKitTests/Fixtures/vectors/rmsnorm/*.npy with PyTorch's nn.RMSNorm.

    python3 -m venv v && v/bin/pip install numpy "torch==2.13.0+cpu"
    v/bin/python scripts/make-rmsnorm-vectors.py

Float32 computation in PyTorch, stored as float64 (as the other vectors are). Cases:
  a: x (4, 6), normalized_shape (6,), default eps (None = finfo(float32).eps), a random weight
  b: x (2, 3, 4), normalized_shape (3, 4), eps 1e-3, a random weight
  c: x (3, 5) at 100 ± 1e-2, normalized_shape (5,), no affine (elementwise_affine=False)
Each with y, and for dy drawn at random: dx and (a, b) dweight.
"""
import os
import numpy as np
import torch

out = os.path.join(os.path.dirname(__file__), "..", "Tests", "BatchNormKitTests", "Fixtures", "vectors", "rmsnorm")
os.makedirs(out, exist_ok=True)
g = torch.Generator().manual_seed(2026)


def save(name, t):
    np.save(os.path.join(out, name + ".npy"), t.detach().to(torch.float64).numpy())


def case(tag, x, shape, eps, affine):
    layer = torch.nn.RMSNorm(shape, eps=eps, elementwise_affine=affine)
    if affine:
        with torch.no_grad():
            layer.weight.copy_(torch.randn(shape, generator=g) * 0.5 + 1)
        save(f"{tag}_weight", layer.weight)
    x = x.clone().requires_grad_(True)
    y = layer(x)
    dy = torch.randn(x.shape, generator=g)
    y.backward(dy)
    save(f"{tag}_x", x)
    save(f"{tag}_y", y)
    save(f"{tag}_dy", dy)
    save(f"{tag}_dx", x.grad)
    if affine:
        save(f"{tag}_dweight", layer.weight.grad)


case("a", torch.randn(4, 6, generator=g) * 3 + 1, (6,), None, True)
case("b", torch.randn(2, 3, 4, generator=g) * 0.1, (3, 4), 1e-3, True)
case("c", 100 + 1e-2 * torch.randn(3, 5, generator=g), (5,), None, False)
print("torch", torch.__version__, "eps default", torch.finfo(torch.float32).eps, "->", out)
