#!/usr/bin/env python3
"""Pipes N seeded random lines (grammar fragments and junk) into `bnlab --keep-going` and checks
that it ends with exit status 1 (errors were reported), was not killed by a signal, and stayed
within a memory bound. Prints the line count, run time and the child's maximum resident set.

    scripts/random-lines.py BNLAB [LINES=100000] [SEED=1] [MAX_RSS_MB=2048]
"""
import os, random, subprocess, sys, tempfile, time

FRAGMENTS = [
    "x = randn({big}, {c})", "y = bn(x)", "bn = batchnorm({c})", "bn = batchnorm({c}, eps: 0)", "stats(x)",
    "hist(x, bins: {n})", "x = x * {v} + {v}", "eval(bn)", "train(bn)", "g = backward(bn, x, x)", "g.dgamma",
    "bn.running_mean", "compare(bn, x)", "step(bn, x, at: [{n}, {c}])", "reshape(x, [{c}, {n}])",
    "repeat {n} {{ y = bn(x) }}", "x[{n}]", "x = [[{v}, {v}], [{v}, {v}]]", "seed({n})", "precision({n})",
    "layernorm({c})(x)", "groupnorm({c}, {c})(x)", "instancenorm({c})(x)", "zeros({big}, {c}) / 0",
    "save(x, \"r{n}.npy\")", "x = load(\"r{n}.npy\")", "save(x, \"r{n}.csv\")", "load(\"r{n}.csv\")",
    "help {word}", "vars", "a = {v}; b = a / 0; b", "-(-(-x))", "x.shape", "abs(x)", "ones({big})",
    "track(bn, x, batch: {c}, steps: {n})", "conventions(x)", "check({v} < {v}, \"claim\")",
    "expect({v}, {v}, \"close\", within: {v})", "> narration {word}", "pause", "ascii(true)",
]
WORDS = ["batchnorm", "stats", "hist", "nope", "x", "y", "bn", "repeat", "(", ")", "[", "]", "{", "}", ",",
         "=", "+", "-", "*", "/", ".", ";", "#", "\"", "1e308", "1e400", "-0", "nan", "inf", "0x1F", "é", "\t"]

def line(rng):
    roll = rng.random()
    if roll < 0.55:
        fragment = rng.choice(FRAGMENTS)
        # Loop counts stay small (a pipe has no Ctrl-C); sizes may be absurd, to hit the cap.
        return fragment.format(n=rng.choice([0, 1, 2, 3, 7, 64, -1, 0.5]),
                               big=rng.choice([0, 1, 3, 64, 1000, "1e9", "1e30", -1]),
                               c=rng.choice([0, 1, 2, 3, 4, -2]), v=rng.choice(["0", "1", "-2.5", "1e38", "1e-45", "0.1"]),
                               word=rng.choice(WORDS))
    if roll < 0.85:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12)))
    # Raw junk: printable bytes and a few controls, never a newline.
    return "".join(chr(rng.choice([rng.randint(32, 126), rng.randint(32, 126), 0x7F, 0x09, 0xE9, 0x2028]))
                   for _ in range(rng.randint(0, 80)))

def main():
    binary = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    max_rss_mb = int(sys.argv[4]) if len(sys.argv) > 4 else 2048
    with tempfile.TemporaryDirectory(prefix="bnlab-random-") as folder:
        source = os.path.join(folder, "input.bnl")
        with open(source, "w", encoding="utf-8") as f:
            for _ in range(count):
                f.write(line(rng) + "\n")
        start = time.monotonic()
        with open(source, "rb") as stdin, open(os.path.join(folder, "out"), "wb") as out:
            child = subprocess.Popen([os.path.abspath(binary), "--keep-going"], stdin=stdin, stdout=out,
                                     stderr=subprocess.STDOUT, cwd=folder)
            _, status, usage = os.wait4(child.pid, 0)
        seconds = time.monotonic() - start
        errors = sum(1 for text in open(os.path.join(folder, "out"), "rb") if b": error: " in text)
    rss_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    print(f"lines {count}, errors reported {errors}, run time {seconds:.1f} s, max RSS {rss_mb:.0f} MB, ", end="")
    if os.WIFSIGNALED(status):
        print(f"KILLED by signal {os.WTERMSIG(status)}")
        return 1
    code = os.WEXITSTATUS(status)
    print(f"exit status {code}")
    if code != 1:
        print("expected exit status 1: the input holds errors, and --keep-going exits 1 after them")
        return 1
    if rss_mb > max_rss_mb:
        print(f"memory grew past {max_rss_mb} MB")
        return 1
    return 0

if __name__ == "__main__":
    sys.exit(main())
