#!/usr/bin/env bash
# memcert compare on sphere data (d = 32, δ = 0.05, close pairs, random binary
# labels) for n = 10^3, 10^4, 10^5, and on 200 alternating points on a circle.
#
# usage: bench/compare_table.sh OUT_DIR
set -euo pipefail
out=${1:?usage: compare_table.sh OUT_DIR}
bin="${MEMCERT_BIN:-$(cd "$(dirname "$0")/.." && pwd)/.build/release/memcert}"
mkdir -p "$out"
cd "$out"
for e in 3 4 5; do
    n=$((10 ** e))
    "$bin" generate sphere --n "$n" --dim 32 --delta 0.05 --layout pairs --seed 1 -o "sphere-1e$e.csv" > /dev/null
    /usr/bin/time -f "compare-1e$e wall=%e s peakKB=%M" "$bin" compare "sphere-1e$e.csv" --folder "nets-1e$e" > "compare-1e$e.txt"
    cat "compare-1e$e.txt"
done
"$bin" generate circle --n 200 --labels alternating -o circle.csv > /dev/null
"$bin" compare circle.csv --folder nets-circle > compare-circle.txt
cat compare-circle.txt
