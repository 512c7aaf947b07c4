#!/usr/bin/env python3
"""Mutates seed .npy, .csv and lesson/script files (Fuzz/corpus, the test fixtures, small
lessons) into N files and feeds them to a bnlab binary in batches: `load("…")` for data files,
`run "…"` for scripts. Passes when no batch is killed by a signal and no batch's maximum resident
set passes MAX_RSS_MB; a batch past its time limit is reported apart (a mutated `repeat` count
can make a script long, which a pipe cannot Ctrl-C). Prints counts, run time and the largest RSS.

    scripts/mutate-files.py BNLAB [FILES=100000] [SEED=1] [MAX_RSS_MB=2048]
"""
import glob, os, random, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPECIAL = [b"\x00", b"\xff", b"\x1b[2J", b"\r", b"\n", b",", b"#", b"'", b"(", b")", b"nan", b"-", b"1e400",
           b"\xe2\x88\x92", b"99999999999", b"0x10", b"1d5", b"\"", b"{", b"}", b"repeat 3 ", b"lesson 1\n",
           b"run \"s0.bnl\"\n", b"load(\"d0.npy\")", b"save(x, \"../o.npy\")", b"'shape': (", b"<f8", b"True"]

def seeds(pattern_list):
    found = []
    for pattern in pattern_list:
        for path in sorted(glob.glob(os.path.join(ROOT, pattern), recursive=True)):
            if os.path.getsize(path) <= 1 << 16:
                found.append(open(path, "rb").read())
    return found

def mutate(rng, data, pool):
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        roll = rng.random()
        at = rng.randint(0, len(data)) if data else 0
        if roll < 0.25 and data:
            data[min(at, len(data) - 1)] = rng.randint(0, 255)
        elif roll < 0.45:
            data[at:at] = rng.choice(SPECIAL)
        elif roll < 0.6 and data:
            del data[at:at + rng.randint(1, 16)]
        elif roll < 0.75 and data:
            piece = data[at:at + rng.randint(1, 64)]
            data[at:at] = piece * rng.randint(1, 50)
        elif roll < 0.85:
            other = rng.choice(pool)
            start = rng.randint(0, len(other))
            data[at:at] = other[start:start + rng.randint(1, 128)]
        elif data:
            # Numbers grow: sizes and counts are where the bounds are.
            for i in (rng.randrange(len(data)) for _ in range(32)):
                if 0x30 <= data[i] <= 0x39:
                    data[i:i + 1] = str(rng.choice([0, 9, 99999, 2 ** 31, 10 ** 12])).encode()
                    break
    return bytes(data)

def run_batch(binary, folder, statements, timeout, flags):
    script = os.path.join(folder, "batch.bnl")
    with open(script, "w", encoding="utf-8") as f:
        f.write("\n".join(statements) + "\n")
    start = time.monotonic()
    with open(script, "rb") as stdin, open(os.path.join(folder, "out"), "wb") as out:
        child = subprocess.Popen([binary, "--keep-going"] + flags, stdin=stdin, stdout=out,
                                 stderr=subprocess.STDOUT, cwd=folder)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid == child.pid:
                break
            if time.monotonic() > deadline:
                child.kill()
                _, status, usage = os.wait4(child.pid, 0)
                return "timeout", usage.ru_maxrss / 1024
            time.sleep(0.01)
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}", usage.ru_maxrss / 1024
    return "ok", usage.ru_maxrss / 1024

def main():
    binary = os.path.abspath(sys.argv[1])
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    max_rss_mb = int(sys.argv[4]) if len(sys.argv) > 4 else 2048
    kinds = {
        "npy": (seeds(["Fuzz/corpus/npy/*", "Fuzz/regressions/npy/*", "Tests/**/*.npy"]), 0.49, 2000, 300),
        "csv": (seeds(["Fuzz/corpus/csv/*", "Fuzz/regressions/csv/*", "Tests/**/*.csv"]), 0.49, 2000, 300),
        "bnl": (seeds(["Fuzz/corpus/language/*", "Fuzz/corpus/lesson/*", "Fuzz/regressions/language/*"]), 0.02, 50, 60),
    }
    start = time.monotonic()
    failures, timeouts, batches, largest = [], 0, 0, 0.0
    with tempfile.TemporaryDirectory(prefix="bnlab-mutate-") as folder:
        # `lesson N` in a script finds two tiny lessons that run themselves and each other,
        # not the course (whose training runs would take most of the time).
        lessons = os.path.join(folder, "lessons")
        os.makedirs(lessons)
        with open(os.path.join(lessons, "01-self.bnl"), "w") as f:
            f.write("> # Self\n> runs itself\nlesson 1\n")
        with open(os.path.join(lessons, "02-other.bnl"), "w") as f:
            f.write("> # Other\nx = randn(4, 2)\nlesson 1\n")
        os.environ["BNLAB_LESSONS"] = lessons
        for kind, (pool, share, per_batch, timeout) in kinds.items():
            count = int(total * share)
            done = 0
            while done < count:
                names = []
                for i in range(min(per_batch, count - done)):
                    name = f"{kind[0]}{i}.{kind}"
                    with open(os.path.join(folder, name), "wb") as f:
                        f.write(mutate(rng, rng.choice(pool), pool))
                    names.append(name)
                statements = [f'run "{n}"' if kind == "bnl" else f'x = load("{n}")' for n in names]
                if kind != "bnl":
                    statements.append(f'save(x, "back.{kind}")')
                # Scripts run under a small element cap so a mutated size stays quick; files under the default.
                flags = ["--max-elements", "65536"] if kind == "bnl" else []
                outcome, rss = run_batch(binary, folder, statements, timeout, flags)
                batches += 1
                largest = max(largest, rss)
                if outcome == "timeout":
                    timeouts += 1
                elif outcome != "ok" or rss > max_rss_mb:
                    keep = os.path.join(ROOT, ".build", f"mutate-failure-{batches}")
                    os.makedirs(keep, exist_ok=True)
                    for n in names:
                        os.replace(os.path.join(folder, n), os.path.join(keep, n))
                    failures.append(f"{kind} batch {batches}: {outcome}, {rss:.0f} MB (files kept in {keep})")
                done += len(names)
    seconds = time.monotonic() - start
    print(f"files {total}, batches {batches}, run time {seconds:.0f} s, largest max RSS {largest:.0f} MB, "
          f"batches past their time limit {timeouts}, failures {len(failures)}")
    for failure in failures:
        print("  " + failure)
    return 1 if failures else 0

if __name__ == "__main__":
    sys.exit(main())
