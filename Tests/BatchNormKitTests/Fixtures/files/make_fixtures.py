"""Regenerates the .npy and .csv fixtures for NpyFileTests and CSVFileTests.

Run from this folder with python3 and NumPy (written with NumPy 2.4):  python3 make_fixtures.py
The tests compare bnlab's reader and writer against these files byte by byte and value by value.
"""
import numpy as np
from numpy.lib import format as npformat


def save(name, array, version=None):
    with open(name, "wb") as f:
        if version is None:
            np.save(f, array)
        else:
            npformat.write_array(f, array, version=version)


def ramp(shape):
    """Values i * 0.25 - 3 in row-major order: exact in float32, easy to recompute in Swift."""
    n = int(np.prod(shape))
    return (np.arange(n, dtype=np.float32) * np.float32(0.25) - np.float32(3)).reshape(shape)


# Float32 files as np.save writes them; NpyFileTests re-encodes them and expects the same bytes.
save("f4_2x3.npy", np.array([[1.5, -2.25, 0.1], [1e-8, 3.4e38, -0.0]], dtype=np.float32))
save("f4_special.npy", np.array([np.nan, np.inf, -np.inf, 1e-45, -0.0], dtype=np.float32))
save("f4_1d.npy", ramp((5,)))
save("f4_3d.npy", ramp((2, 3, 4)))
save("f4_4d.npy", ramp((2, 3, 2, 2)))
save("f4_empty.npy", np.zeros((0,), dtype=np.float32))
save("f4_empty2d.npy", np.zeros((0, 3), dtype=np.float32))
save("f4_wide_axis0.npy", ramp((1234567, 0, 2)))
save("f4_scalar.npy", np.float32(2.5))

# Float64 values that stress the rounding to float32: ties, subnormals, overflow to inf.
f8 = np.array([[0.1, 1 / 3, 1e-40, 1e300, -1e300],
               [np.nan, 2.5, 16777217.0, 1 + 2**-24, 1 + 3 * 2**-24]], dtype=np.float64)
save("f8_mixed.npy", f8)
with np.errstate(over="ignore"):
    save("f8_mixed_as_f4.npy", f8.astype(np.float32))

# The three header versions of ramp((2, 3)).
save("f4_v1.npy", ramp((2, 3)), version=(1, 0))
save("f4_v2.npy", ramp((2, 3)), version=(2, 0))
save("f4_v3.npy", ramp((2, 3)), version=(3, 0))

# Files bnlab must refuse with a clear message.
save("i8.npy", np.arange(3, dtype=np.int64))
save("be_f4.npy", np.arange(3, dtype=">f4"))
save("fortran.npy", np.asfortranarray(ramp((2, 3))))
save("rank5.npy", np.zeros((1, 2, 1, 2, 1), dtype=np.float32))
save("structured.npy", np.zeros(2, dtype=[("x", "<f4"), ("y", "<f4")]))

# CSV as np.savetxt writes it (%.18e), with a header line and a '#' comment as numpy adds them.
np.savetxt("savetxt.csv", ramp((3, 4)) / np.float32(7), delimiter=",", header="a,b,c,d", comments="")
# The reference-fixture style: a '# shape=' comment, CRLF line ends, spaces, nan and inf.
with open("reference_style.csv", "wb") as f:
    f.write(b"# shape=3x3\r\n1.5, -2, 0.1\r\n\r\nnan, INF, -inf\r\n1e-3,  +4.,.5\r\n")
