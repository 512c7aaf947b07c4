#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/Targets (with AddressSanitizer) and runs each one for
# SECONDS seconds (default 60), seeded from Fuzz/corpus, the lessons and the test fixtures.
# Prints executions and crashes per target; exits 1 if any target crashed, timed out or ran
# out of memory. New crash inputs are left in .build-fuzz/artifacts/TARGET/.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     targets: language lesson npy csv
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(language lesson npy csv)
out=.build-fuzz
flags=(-sanitize=fuzzer,address -O -g -parse-as-library -swift-version 6)

# --- build: each library as one module, compiled once, then the four small targets ---------
mkdir -p "$out/modules"
build_module() {  # NAME SOURCE-DIR
    local name=$1 dir=$2
    local sources; mapfile -t sources < <(find "$dir" -name '*.swift' | sort)
    local stamp="$out/modules/$name.o"
    if [ -f "$stamp" ] && [ -z "$(find "$dir" -name '*.swift' -newer "$stamp")" ]; then return; fi
    echo "compiling $name (${#sources[@]} files)"
    swiftc "${flags[@]}" -wmo -module-name "$name" -I "$out/modules" \
        -emit-module -emit-module-path "$out/modules/$name.swiftmodule" \
        -c "${sources[@]}" -o "$stamp"
}
start=$SECONDS
# The C kernels BatchNormKit imports: a module map for swiftc and one object, instrumented alike.
mkdir -p "$out/modules/CKernels"
printf 'module CKernels {\n    header "%s/Sources/CKernels/include/CKernels.h"\n    export *\n}\n' "$PWD" \
    > "$out/modules/CKernels/module.modulemap"
ckernels=()
for source in Sources/CKernels/*.c; do
    object="$out/modules/CKernels/$(basename "$source" .c).o"
    clang -O2 -g -fsanitize=fuzzer-no-link,address -I Sources/CKernels/include -c "$source" -o "$object"
    ckernels+=("$object")
done
flags+=(-I "$out/modules/CKernels")
build_module BatchNormKit Sources/BatchNormKit
build_module BenchmarkKit Sources/BenchmarkKit
build_module LabShell Sources/LabShell
build_module FuzzHarness Fuzz/Harness
for target in "${targets[@]}"; do
    swiftc "${flags[@]}" -I "$out/modules" "Fuzz/Targets/$target.swift" \
        "$out/modules/BatchNormKit.o" "$out/modules/BenchmarkKit.o" "$out/modules/LabShell.o" "$out/modules/FuzzHarness.o" "${ckernels[@]}" \
        -o "$out/fuzz-$target" 2> "$out/link-$target.log" || { cat "$out/link-$target.log" >&2; exit 1; }
done
echo "built ${#targets[@]} targets in $((SECONDS - start)) s"

# --- seeds: the committed corpus and regressions, plus lessons and fixtures ------------------
seed() {  # TARGET -> prints the seed folder
    local target=$1 dir="$out/corpus/$target"
    mkdir -p "$dir"
    cp Fuzz/corpus/"$target"/* Fuzz/regressions/"$target"/* "$dir"/ 2>/dev/null || true
    case $target in
        language) # every statement line of the lessons on its own (the lesson target runs them whole)
            local n=0
            for lesson in lessons/*.bnl; do
                while IFS= read -r line; do
                    n=$((n + 1)); printf '%s\n' "$line" > "$dir/line-$n"
                done < <(grep -v '^\s*\(>\|#\|$\)' "$lesson" | sort -u)
            done ;;
        lesson) cp lessons/*.bnl "$dir"/ ;;
        npy) find Tests -name '*.npy' -size -64k -exec cp {} "$dir"/ \; ;;
        csv) find Tests -name '*.csv' -size -64k -exec cp {} "$dir"/ \; ;;
    esac
    echo "$dir"
}

# --- run ----------------------------------------------------------------------------------------
failed=0
total=0
printf '%-10s %12s %8s %s\n' target executions crashes note
for target in "${targets[@]}"; do
    corpus=$(seed "$target")
    artifacts="$out/artifacts/$target"
    mkdir -p "$artifacts"
    dict=(); [ -f "Fuzz/$target.dict" ] && dict=(-dict="Fuzz/$target.dict")
    log="$out/run-$target.log"
    status=0
    ASAN_OPTIONS=detect_leaks=0 "$out/fuzz-$target" "$corpus" "${dict[@]}" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=3072 -max_len=4096 \
        -print_final_stats=1 \
        -artifact_prefix="$artifacts/" > "$log" 2>&1 || status=$?
    execs=$(awk '/stat::number_of_executed_units/ {s += $2} END {print s + 0}' "$log")
    crashes=$(find "$artifacts" -type f -newer "$out/fuzz-$target" | wc -l)
    note=""
    if [ "$status" -ne 0 ] || [ "$crashes" -gt 0 ]; then
        failed=1
        note="FAILED (exit $status): $(grep -m1 -E 'ERROR|Fatal|fatal|timeout' "$log" || true)"
        [ "$crashes" -gt 0 ] || crashes=1
    fi
    total=$((total + execs))
    printf '%-10s %12s %8s %s\n' "$target" "$execs" "$crashes" "$note"
done
printf '%-10s %12s\n' total "$total"
exit $failed
