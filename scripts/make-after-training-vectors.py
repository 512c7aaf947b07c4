"""Writes Tests/BatchNormKitTests/Fixtures/vectors/update_bn/*.npy with PyTorch's
torch.optim.swa_utils.update_bn, the recalibration `Calibration.recalibrate` does.

    python3 -m venv v && v/bin/pip install numpy "torch==2.13.0+cpu"
    v/bin/python scripts/make-after-training-vectors.py

The network is bnlab's mlp([5, 4, 3, 2], norm: "batch", bias: false) written as PyTorch's
nn.Sequential: Linear(5, 4, bias=False), BatchNorm1d(4), ReLU, Linear(4, 3, bias=False),
BatchNorm1d(3), ReLU, Linear(3, 2). Random weights, γ and β; running statistics made stale on
purpose (three batches at mean 4); then update_bn over x (30 samples) in batches of 8, the last
of 6. Saved (float32 computation, stored as float64): the parameters, x, the stale and the
recalibrated running_mean / running_var of both layers, num_batches_tracked, and the eval-mode
logits after. Also the bias gradient of a Linear(5, 4) with a bias before the first BatchNorm,
which is 0 up to rounding.
"""
import os
import numpy as np
import torch
from torch import nn

out = os.path.join(os.path.dirname(__file__), "..", "Tests", "BatchNormKitTests", "Fixtures", "vectors", "update_bn")
os.makedirs(out, exist_ok=True)
g = torch.Generator().manual_seed(1416)


def save(name, t):
    np.save(os.path.join(out, name + ".npy"), torch.as_tensor(t).detach().to(torch.float64).numpy())


net = nn.Sequential(nn.Linear(5, 4, bias=False), nn.BatchNorm1d(4), nn.ReLU(),
                    nn.Linear(4, 3, bias=False), nn.BatchNorm1d(3), nn.ReLU(), nn.Linear(3, 2))
with torch.no_grad():
    for i in (0, 3, 6):
        net[i].weight.copy_(torch.randn(net[i].weight.shape, generator=g) * 0.7)
    net[6].bias.copy_(torch.randn(2, generator=g))
    for i in (1, 4):
        net[i].weight.copy_(torch.randn(net[i].num_features, generator=g) * 0.3 + 1)
        net[i].bias.copy_(torch.randn(net[i].num_features, generator=g) * 0.5)
net.train()
with torch.no_grad():
    for _ in range(3):
        net(torch.randn(8, 5, generator=g) + 4)
for i in (1, 4):
    save(f"stale_mean{i}", net[i].running_mean)
    save(f"stale_var{i}", net[i].running_var)

x = torch.randn(30, 5, generator=g) * 1.5 + 0.5
loader = [x[s:s + 8] for s in range(0, 30, 8)]
torch.optim.swa_utils.update_bn(loader, net)
assert net[1].momentum == 0.1 and net.training
for i in (0, 3, 6):
    save(f"W{i}", net[i].weight)
save("b6", net[6].bias)
for i in (1, 4):
    save(f"gamma{i}", net[i].weight)
    save(f"beta{i}", net[i].bias)
    save(f"running_mean{i}", net[i].running_mean)
    save(f"running_var{i}", net[i].running_var)
    save(f"num_batches_tracked{i}", net[i].num_batches_tracked.reshape(1))
save("x", x)
net.eval()
with torch.no_grad():
    save("logits_eval", net(x))

# A bias before BatchNorm: its gradient is Σ_n of BatchNorm's dx, 0 up to rounding.
lin, bn = nn.Linear(5, 4), nn.BatchNorm1d(4)
dy = torch.randn(30, 4, generator=g)
(bn(lin(x)) * dy).sum().backward()
save("bias_grad_before_bn", lin.bias.grad)
print("torch", torch.__version__, "max |dbias| before BN", lin.bias.grad.abs().max().item(), "->", out)
