"""Writes histograms.json: float32 inputs with numpy.histogram's counts and edges.

    python3 make_histograms.py      (numpy 2.x; the tests only read the JSON)
"""
import json
import numpy as np

rng = np.random.default_rng(0)
normal = rng.normal(size=1000).astype(np.float32)
integers = np.arange(0, 11, dtype=np.float32)            # every value lands on an edge
halves = (np.arange(-20, 21, dtype=np.float32) / 4)       # edges at quarter steps
wide = (rng.normal(size=500) * 1e4 + 1e4).astype(np.float32)
tiny = (rng.normal(size=300) * 1e-3).astype(np.float32)
constant = np.full(7, 2.5, np.float32)
cases = []
for name, x, bins, rng_ in [
    ("normal-10", normal, 10, None), ("normal-50", normal, 50, None), ("normal-1", normal, 1, None),
    ("normal-7-range", normal, 7, (-3.3, 3.3)), ("normal-20-narrow", normal, 20, (-1.0, 0.5)),
    ("integers-10", integers, 10, None), ("integers-5", integers, 5, None), ("integers-3", integers, 3, None),
    ("integers-4-range", integers, 4, (2.0, 6.0)), ("halves-20", halves, 20, None), ("halves-8-range", halves, 8, (-5, 5)),
    ("wide-50", wide, 50, None), ("tiny-13", tiny, 13, None), ("constant-4", constant, 4, None),
]:
    counts, edges = np.histogram(x, bins=bins, range=rng_)
    cases.append(dict(name=name, x=[float(v) for v in x], bins=bins,
                      range=None if rng_ is None else [float(rng_[0]), float(rng_[1])],
                      counts=[int(c) for c in counts], edges=[float(e) for e in edges],
                      edges_dtype=str(edges.dtype)))
with open("histograms.json", "w") as fh:
    json.dump(dict(numpy=np.__version__, cases=cases), fh)
print(len(cases), "cases")
