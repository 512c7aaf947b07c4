#!/usr/bin/env python3
"""
compare.py -- time the operations of `bnlab bench` in NumPy and PyTorch on the
same machine, in the same run, and print the three side by side.

    python3 bench/compare.py                                   # NumPy only (torch if importable)
    /work/venv-torch/bin/python bench/compare.py --threads 1   # with PyTorch
    python3 bench/compare.py --bnlab-json saved.json           # use a saved `bnlab bench --json`
    python3 bench/compare.py --quick --runs 5                  # small shapes, smoke test

What it measures (float32 throughout; each figure is the median wall time of
--runs calls after one warm-up call; every call allocates a fresh output, as
`y = bn(x)` does, so page-fault cost is included):

  copy_fresh     y = copy of x into a FRESH array (np.copy / torch.clone), x (256,64,32,32) = 64 MiB
  copy           the same into a preallocated array (np.copyto / Tensor.copy_): the streaming floor
                 bnlab's ratios are taken against; the difference to `copy_fresh` is the cost of faulting in a fresh 64 MiB output (NumPy madvises huge pages
                 for big arrays, torch does not: with THP "madvise" that is ~5x more for torch)
  bn_train       BatchNorm training forward incl. running-stat update (momentum 0.1, eps 1e-5,
                 biased var to normalize, unbiased var into running_var); (256,64,32,32) and (4096,1024)
                 NumPy: the readable two-pass reference; torch: nn.BatchNorm2d/1d, train(), no_grad
  bn_eval        BatchNorm eval forward with the running statistics, same shapes
  bn_backward    training-mode dx, dgamma, dbeta from dy, same shapes. NumPy: closed form
                 dx = gamma/(n*sigma) * (n*dy - sum(dy) - x_hat*sum(dy*x_hat)) using x_hat cached by
                 the (untimed) forward; torch: torch.ops.aten.native_batch_norm_backward, the kernel
                 autograd calls for BatchNorm on CPU (only that call is timed, no graph bookkeeping)
  layernorm      LayerNorm forward with elementwise gamma=1, beta=0 over the TRAILING dims:
                 (4096,1024) over the last dim (1024), (256,64,32,32) over the last two (32,32)
  hist50         50-bin histogram over [min, max] of the (256,64,32,32) tensor flattened
                 (16,777,216 values, shape key [16777216]): np.histogram / torch.histc
  scale          y = x * 1.5 on the (256,64,32,32) tensor, a fresh result (NumPy and PyTorch `x * 1.5`)
  mlp_epoch      one training epoch of the digits MLP 64-128-128-128-10 with BatchNorm1d before each
                 ReLU (PyTorch: nn.Sequential in train(), CrossEntropyLoss, SGD lr 0.1 momentum 0.9,
                 batches of 32 over the 1438 training digits in a fresh shuffled order, then one pass
                 over the 359 test digits in eval() under no_grad): the loop bnlab's `mlp_epoch` runs
                 (which also measures its per-block diagnostics, work PyTorch's loop does not do).
                 NumPy has no row. Needs data/digits/digits.csv.
  cnn_epoch      bnlab only; shown when bnlab reports it

Threads: --threads N (default: all cores) sets torch.set_num_threads(N) and is passed to bnlab.
NumPy runs these ops single-threaded whatever N is (ufuncs and reductions do not use BLAS).

bnlab: runs `BNLAB bench --json --threads N` first (BNLAB = .build/release/bnlab under the repo
root, or --bnlab PATH), or reads --bnlab-json FILE; results are matched by (name, shape). Missing
binary, failed run or missing op -> "—" in that cell, never an error. Ratios are X/bnlab times,
so "2.0x" means bnlab is twice as fast as X.

Standard library + numpy; torch optional. Self-contained (nothing imported from outside the repo).
"""
import argparse
import datetime
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

EPS, MOMENTUM = 1e-5, 0.1
REPO = Path(__file__).resolve().parent.parent
DASH = "—"


# ---------------------------------------------------------------- timing helpers
def timeit(fn, runs):
    """One warm-up call, then `runs` timed calls. Returns (median_ms, min_ms)."""
    fn()
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts) * 1e3, min(ts) * 1e3


def peak_rss_growth_mib(fn):
    """Peak RSS growth of one call of fn, in MiB (Linux: reset VmHWM via clear_refs). None if unavailable."""
    def status(key):
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])  # kB
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # reset the peak (VmHWM) to the current RSS
        before = status("VmRSS")
        r = fn()
        growth = status("VmHWM") - before
        del r
        return growth / 1024
    except OSError:
        return None


# ---------------------------------------------------------------- NumPy implementations
def _axes_shape(x):
    """Reduction axes (all but channel axis 1) and the broadcast shape of a per-channel vector."""
    return (0,) + tuple(range(2, x.ndim)), (1, x.shape[1]) + (1,) * (x.ndim - 2)


def np_bn_train(x, g, b, rm, rv):
    """Two-pass reference forward; updates rm, rv in place. Returns (y, x_hat, inv_std)."""
    axes, sh = _axes_shape(x)
    n = x.size // x.shape[1]
    mean = x.mean(axis=axes)
    xc = x - mean.reshape(sh)
    var = (xc * xc).mean(axis=axes)                                  # biased
    inv_std = (1 / np.sqrt(var + np.float32(EPS))).astype(np.float32)
    x_hat = xc * inv_std.reshape(sh)
    y = g.reshape(sh) * x_hat + b.reshape(sh)
    m = np.float32(MOMENTUM)
    rm *= 1 - m; rm += m * mean
    rv *= 1 - m; rv += m * var * np.float32(n / (n - 1))              # unbiased
    return y, x_hat, inv_std


def np_bn_eval(x, g, b, rm, rv):
    _, sh = _axes_shape(x)
    inv_std = 1 / np.sqrt(rv + np.float32(EPS))
    return (x - rm.reshape(sh)) * (g * inv_std).reshape(sh) + b.reshape(sh)


def np_bn_backward(dy, x_hat, inv_std, g):
    axes, sh = _axes_shape(dy)
    n = np.float32(dy.size // dy.shape[1])
    dbeta = dy.sum(axis=axes)
    dgamma = (dy * x_hat).sum(axis=axes)
    dx = (g * inv_std / n).reshape(sh) * (n * dy - dbeta.reshape(sh) - x_hat * dgamma.reshape(sh))
    return dx, dgamma, dbeta


def np_layernorm(x, k, w, b):
    """LayerNorm over the last k axes, elementwise weight/bias of shape x.shape[-k:]."""
    axes = tuple(range(x.ndim - k, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    xc = x - mean
    var = (xc * xc).mean(axis=axes, keepdims=True)
    return xc / np.sqrt(var + np.float32(EPS)) * w + b


# ---------------------------------------------------------------- the benchmark
def shapes(quick):
    """(4-D shape, 2-D shape)."""
    return ((16, 64, 32, 32), (256, 1024)) if quick else ((256, 64, 32, 32), (4096, 1024))


def measure(args, torch):
    """Returns (list of result dicts {name, shape, impl, median_ms, min_ms}, notes dict)."""
    rng = np.random.default_rng(0)
    s4, s2 = shapes(args.quick)
    out, notes = [], {}

    def add(name, shape, impl, fn):
        med, mn = timeit(fn, args.runs)
        out.append(dict(name=name, shape=list(shape), impl=impl, median_ms=round(med, 4), min_ms=round(mn, 4)))
        if args.verbose:
            print(f"  {name:14s} {'x'.join(map(str, shape)):14s} {impl:6s} {med:9.2f} ms", file=sys.stderr, flush=True)

    x4 = rng.standard_normal(s4, dtype=np.float32) * 2 + 1
    # copy: fresh output vs preallocated output
    add("copy_fresh", s4, "numpy", lambda: np.copy(x4))
    y4 = np.empty_like(x4)
    add("copy", s4, "numpy", lambda: np.copyto(y4, x4))
    if torch:
        t4, ty4 = torch.from_numpy(x4), torch.from_numpy(y4)
        add("copy_fresh", s4, "torch", lambda: torch.clone(t4))
        add("copy", s4, "torch", lambda: ty4.copy_(t4))
        del t4, ty4
    del y4

    for shape in (s4, s2):
        x = x4 if shape == s4 else rng.standard_normal(shape, dtype=np.float32) * 2 + 1
        dy = rng.standard_normal(shape, dtype=np.float32)
        C = shape[1]
        g, b = np.ones(C, np.float32), np.zeros(C, np.float32)
        rm, rv = np.zeros(C, np.float32), np.ones(C, np.float32)

        # --- NumPy
        add("bn_train", shape, "numpy", lambda: np_bn_train(x, g, b, rm, rv))
        if shape == s4:
            notes["peak_rss_mib_numpy_bn_train"] = peak_rss_growth_mib(lambda: np_bn_train(x, g, b, rm, rv))
        add("bn_eval", shape, "numpy", lambda: np_bn_eval(x, g, b, rm, rv))
        _, x_hat, inv_std = np_bn_train(x, g, b, rm.copy(), rv.copy())
        add("bn_backward", shape, "numpy", lambda: np_bn_backward(dy, x_hat, inv_std, g))
        k = 2 if x.ndim == 4 else 1
        lw, lb = np.ones(shape[-k:], np.float32), np.zeros(shape[-k:], np.float32)
        add("layernorm", shape, "numpy", lambda: np_layernorm(x, k, lw, lb))
        np_dx = np_bn_backward(dy, x_hat, inv_std, g)[0]
        del x_hat

        # --- PyTorch
        if torch:
            xt, dyt = torch.from_numpy(x), torch.from_numpy(dy)
            bn = (torch.nn.BatchNorm2d(C) if x.ndim == 4 else torch.nn.BatchNorm1d(C)).train()
            ln = torch.nn.LayerNorm(shape[-k:])
            with torch.no_grad():
                add("bn_train", shape, "torch", lambda: bn(xt))
                if shape == s4:
                    notes["peak_rss_mib_torch_bn_train"] = peak_rss_growth_mib(lambda: bn(xt))
                bn.eval()
                add("bn_eval", shape, "torch", lambda: bn(xt))
                # the forward autograd would save (mean, invstd) for; then time only the backward kernel
                w, bias = torch.from_numpy(g), torch.from_numpy(b)
                _, smean, sinv = torch.native_batch_norm(xt, w, bias, None, None, True, MOMENTUM, EPS)
                bwd = lambda: torch.ops.aten.native_batch_norm_backward(
                    dyt, xt, w, None, None, smean, sinv, True, EPS, [True, True, True])
                add("bn_backward", shape, "torch", bwd)
                diff = float((bwd()[0] - torch.from_numpy(np_dx)).abs().max())
                notes[f"bn_backward_maxdiff_{'x'.join(map(str, shape))}"] = diff
                if diff > 1e-3:
                    print(f"warning: bn_backward numpy vs torch differ by {diff:.2e}", file=sys.stderr)
                add("layernorm", shape, "torch", lambda: ln(xt))
            del xt, dyt
        del np_dx, dy

    xf = x4.reshape(-1)
    add("hist50", xf.shape, "numpy", lambda: np.histogram(xf, bins=50))
    if torch:
        tf = torch.from_numpy(xf)
        add("hist50", xf.shape, "torch", lambda: torch.histc(tf, bins=50))
        c_np = np.histogram(xf, bins=50)[0]
        c_t = torch.histc(tf, bins=50).numpy()
        notes["hist50_count_maxdiff"] = int(np.abs(c_np - c_t).max())
    add("scale", s4, "numpy", lambda: x4 * 1.5)  # stays float32 (NumPy 2 promotion)
    if torch:
        t4 = torch.from_numpy(x4)
        add("scale", s4, "torch", lambda: t4 * 1.5)
        del t4
    if torch:
        epoch = torch_mlp_epoch(torch)
        if epoch:
            add("mlp_epoch", epoch[0], "torch", epoch[1])
    return out, notes


def torch_mlp_epoch(torch):
    """((train rows, 64), one-epoch function) for the digits MLP, or None without the data."""
    path = REPO / "data" / "digits" / "digits.csv"
    if not path.exists():
        return None
    table = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float32)
    x, labels = torch.from_numpy(table[:, :64] / 16), torch.from_numpy(table[:, 64].astype(np.int64))
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(0))
    test_count = round(len(x) * 0.2)
    test, train = order[:test_count], order[test_count:]
    xtr, ytr, xte, yte = x[train], labels[train], x[test], labels[test]
    nn = torch.nn
    layers = []
    for fan_in in (64, 128, 128):
        layers += [nn.Linear(fan_in, 128), nn.BatchNorm1d(128), nn.ReLU()]
    model = nn.Sequential(*layers, nn.Linear(128, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()

    def one_epoch():
        model.train()
        shuffled = torch.randperm(len(xtr))
        for start in range(0, len(xtr), 32):
            batch = shuffled[start:start + 32]
            optimizer.zero_grad()
            loss = loss_fn(model(xtr[batch]), ytr[batch])
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            return (model(xte).argmax(1) == yte).float().mean().item()
    return (len(xtr), 64), one_epoch


# ---------------------------------------------------------------- bnlab side
def load_bnlab(args):
    """bnlab's JSON dict, or None (with a note on stderr) when unavailable."""
    try:
        if args.bnlab_json:
            return json.loads(Path(args.bnlab_json).read_text())
        exe = Path(args.bnlab) if args.bnlab else REPO / ".build" / "release" / "bnlab"
        if not exe.exists():
            print(f"note: {exe} not found (build: swift build -c release); bnlab cells show {DASH}", file=sys.stderr)
            return None
        cmd = [str(exe), "bench", "--json", "--threads", str(args.threads), "--runs", str(args.runs)]
        cmd += (["--quick"] if args.quick else []) + shlex.split(args.bnlab_args)
        print("running: " + " ".join(shlex.quote(c) for c in cmd), file=sys.stderr, flush=True)
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=args.bnlab_timeout)
        if p.returncode != 0:
            raise RuntimeError(f"exit {p.returncode}: {p.stderr.strip()[:300]}")
        text = p.stdout
        return json.loads(text[text.index("{"): text.rindex("}") + 1])
    except Exception as e:  # a missing/broken bnlab must never stop the comparison
        print(f"note: bnlab results unavailable ({e}); bnlab cells show {DASH}", file=sys.stderr)
        return None


def bnlab_lookup(bn):
    """(name, shape tuple) -> median_ms; also (name, element count) as a fallback key."""
    table = {}
    for r in (bn or {}).get("results", []):
        try:
            shape = tuple(int(d) for d in r.get("shape", []))
            ms = float(r["median_ms"])
        except (KeyError, TypeError, ValueError):
            continue
        table[(r["name"], shape)] = ms
        table.setdefault((r["name"], int(np.prod(shape)) if shape else 0), ms)
    return table


# ---------------------------------------------------------------- output
def machine():
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:  # NumPy madvises huge pages for big arrays; under "[madvise]" others fault 4 KiB pages
        thp = Path("/sys/kernel/mm/transparent_hugepage/enabled").read_text().split("[")[1].split("]")[0]
    except (OSError, IndexError):
        thp = "?"
    return cpu, os.cpu_count(), thp


def table(results, bn):
    lookup = bnlab_lookup(bn)
    rows, order = {}, []
    for r in results:
        key = (r["name"], tuple(r["shape"]))
        if key not in rows:
            rows[key] = {}
            order.append(key)
        rows[key][r["impl"]] = r["median_ms"]
    known = {k[0] for k in order}
    for key in lookup:  # bnlab-only ops (mlp_epoch, ...), in bnlab's order
        if isinstance(key[1], tuple) and key[0] not in known:
            rows[key] = {}
            order.append(key)

    def ms(v):
        return DASH if v is None else f"{v:.2f}"

    def ratio(a, b):
        return DASH if a is None or b is None or b <= 0 else f"{a / b:.2f}x"

    head = ["op", "shape", "bnlab ms", "NumPy ms", "PyTorch ms", "NumPy/bnlab", "PyTorch/bnlab"]
    body = []
    for name, shape in order:
        b = lookup.get((name, shape), lookup.get((name, int(np.prod(shape)) if shape else 0)))
        n, t = rows[(name, shape)].get("numpy"), rows[(name, shape)].get("torch")
        body.append([name, "x".join(map(str, shape)), ms(b), ms(n), ms(t), ratio(n, b), ratio(t, b)])
    widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]
    fmt = lambda r: "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([fmt(head), "  ".join("-" * w for w in widths)] + [fmt(r) for r in body])


def main():
    ap = argparse.ArgumentParser(description="bnlab vs NumPy vs PyTorch timings (see the top of this file)")
    ap.add_argument("--threads", type=int, default=os.cpu_count(), help="torch threads and bnlab --threads (default: all cores)")
    ap.add_argument("--runs", type=int, default=7, help="timed runs per op after one warm-up (default 7)")
    ap.add_argument("--quick", action="store_true", help="small shapes (16,64,32,32) and (256,1024), for smoke tests")
    ap.add_argument("--json", action="store_true", help="print the Python-side figures as JSON instead of the table")
    ap.add_argument("--bnlab", metavar="PATH", help="bnlab executable (default: REPO/.build/release/bnlab)")
    ap.add_argument("--bnlab-json", metavar="FILE", help="read saved `bnlab bench --json` output instead of running bnlab")
    ap.add_argument("--bnlab-args", default="", metavar="ARGS", help="extra arguments for `bnlab bench`, e.g. '--runs 9'")
    ap.add_argument("--bnlab-timeout", type=float, default=600, help="seconds before giving up on bnlab (default 600)")
    ap.add_argument("--no-bnlab", action="store_true", help="do not run bnlab (its cells show —)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each figure on stderr as it is measured")
    ap.add_argument("--no-torch", action="store_true", help="skip PyTorch even if it is installed")
    args = ap.parse_args()

    torch = None
    if not args.no_torch:
        try:
            import torch
            torch.set_num_threads(args.threads)
        except ImportError:
            torch = None

    # bnlab first, alone, before this process allocates anything large
    bn = None if args.no_bnlab else load_bnlab(args)
    if bn and int(bn.get("threads", args.threads)) != args.threads:
        print(f"warning: bnlab ran with {bn.get('threads')} threads, Python side with {args.threads}", file=sys.stderr)

    results, notes = measure(args, torch)

    cpu, cores, thp = machine()
    info = dict(machine=cpu, cores=cores, thp=thp, date=datetime.datetime.now().isoformat(timespec="seconds"),
                threads=args.threads, runs=args.runs, quick=args.quick, python=platform.python_version(),
                numpy=np.__version__, torch=torch.__version__ if torch else None)
    if args.json:
        head = json.dumps(dict(tool="compare.py", **info, notes=notes))
        print(head[:-1] + ',\n "results":[\n  ' + ",\n  ".join(json.dumps(r) for r in results) + "\n ]}")
        return

    print(f"machine: {cpu}, {cores} cores, THP {thp} | {info['date']} | threads {args.threads} "
          f"(torch; NumPy single-threaded) | runs {args.runs} (median ms)")
    print(f"python {info['python']}, numpy {info['numpy']}, torch {info['torch'] or 'not installed'}, "
          f"bnlab {bn.get('version', '?') + ' (threads ' + str(bn.get('threads', '?')) + ', ' + bn.get('vector_extensions', '?') + ')' if bn else 'not run'}")
    print()
    print(table(results, bn))
    print()
    s4 = "x".join(map(str, shapes(args.quick)[0]))
    peaks = [f"{k} {notes[f'peak_rss_mib_{k}_bn_train']:.0f} MiB" for k in ("numpy", "torch")
             if notes.get(f"peak_rss_mib_{k}_bn_train") is not None]
    if peaks:
        print(f"peak RSS growth, one bn_train call on {s4} (x itself = "
              f"{np.prod(shapes(args.quick)[0]) * 4 / 2**20:.0f} MiB): " + ", ".join(peaks))
    print("ratios = NumPy or PyTorch time / bnlab time (>1x: bnlab faster)")


if __name__ == "__main__":
    main()
