"""Writes Tests/BatchNormKitTests/Fixtures/vectors/conv/*.npy with PyTorch's nn.Conv2d,
nn.MaxPool2d and nn.AvgPool2d.

    python3 -m venv v && v/bin/pip install numpy "torch==2.13.0+cpu"
    v/bin/python scripts/make-conv-vectors.py

Float32 computation in PyTorch, stored as float64 (as the other vectors are). Conv cases
(x, weight, bias, y, dy drawn at random, dx, dweight, dbias):
  a: x (2, 1, 5, 5), Conv2d(1, 3, 3)                     the plain case
  b: x (2, 3, 6, 6), Conv2d(3, 4, 3, stride=2, padding=1) stride 2 and padding 1
  c: x (1, 2, 7, 5), Conv2d(2, 3, 2, bias=False)          no bias, a non-square image, even kernel
  d: x (3, 2, 5, 4), Conv2d(2, 2, 3, stride=2, padding=1, bias=False)
Pool cases (x, y, dy, dx):
  max2: x (2, 3, 5, 6), MaxPool2d(2)     a trailing row that fills no window
  avg2: the same x, AvgPool2d(2)
  max3ties: x (1, 2, 6, 6) rounded to whole numbers (ties inside windows), MaxPool2d(3)
"""
import os
import numpy as np
import torch

out = os.path.join(os.path.dirname(__file__), "..", "Tests", "BatchNormKitTests", "Fixtures", "vectors", "conv")
os.makedirs(out, exist_ok=True)
g = torch.Generator().manual_seed(2026)


def save(name, t):
    np.save(os.path.join(out, name + ".npy"), t.detach().to(torch.float64).numpy())


def conv_case(tag, x_shape, c_in, c_out, k, stride=1, padding=0, bias=True):
    layer = torch.nn.Conv2d(c_in, c_out, k, stride=stride, padding=padding, bias=bias)
    with torch.no_grad():
        layer.weight.copy_(torch.randn(layer.weight.shape, generator=g) * 0.5)
        if bias:
            layer.bias.copy_(torch.randn(c_out, generator=g))
    x = torch.randn(x_shape, generator=g).requires_grad_(True)
    y = layer(x)
    dy = torch.randn(y.shape, generator=g)
    y.backward(dy)
    for name, t in [("x", x), ("weight", layer.weight), ("y", y), ("dy", dy), ("dx", x.grad), ("dweight", layer.weight.grad)]:
        save(f"{tag}_{name}", t)
    if bias:
        save(f"{tag}_bias", layer.bias)
        save(f"{tag}_dbias", layer.bias.grad)


def pool_case(tag, layer, x):
    x = x.clone().requires_grad_(True)
    y = layer(x)
    dy = torch.randn(y.shape, generator=g)
    y.backward(dy)
    for name, t in [("x", x), ("y", y), ("dy", dy), ("dx", x.grad)]:
        save(f"{tag}_{name}", t)


conv_case("a", (2, 1, 5, 5), 1, 3, 3)
conv_case("b", (2, 3, 6, 6), 3, 4, 3, stride=2, padding=1)
conv_case("c", (1, 2, 7, 5), 2, 3, 2, bias=False)
conv_case("d", (3, 2, 5, 4), 2, 2, 3, stride=2, padding=1, bias=False)
x = torch.randn(2, 3, 5, 6, generator=g)
pool_case("max2", torch.nn.MaxPool2d(2), x)
pool_case("avg2", torch.nn.AvgPool2d(2), x)
pool_case("max3ties", torch.nn.MaxPool2d(3), torch.round(torch.randn(1, 2, 6, 6, generator=g)))
print("torch", torch.__version__, "->", out)
