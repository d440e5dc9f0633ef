#!/usr/bin/env bash
# Wall time and peak memory of the second checker (checkers/python/memcert_check.py)
# next to `memcert check`, on a memorization certificate for n points on S^31
# (d = 32, δ = 0.05, random binary labels, seed 1) and the rajput2021 network
# `memcert construct` makes for them (/usr/bin/time -v; build memcert first with
# `swift build -c release`).
#
# usage: bench/python_checker.sh OUT_DIR [n]      (n defaults to 100000)
set -euo pipefail
out=${1:?usage: python_checker.sh OUT_DIR [n]}
n=${2:-100000}
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${MEMCERT_BIN:-$root/.build/release/memcert}"
mkdir -p "$out"
cd "$out"
"$bin" generate sphere --n "$n" --dim 32 --delta 0.05 --seed 1 -o data.csv
"$bin" construct data.csv -o network.json --seed 1 > /dev/null
"$bin" certify network.json data.csv -o cert.json
measure() {  # label command...
    local label=$1; shift
    /usr/bin/time -v "$@" > "$label.out" 2> "$label.time" || true
    local wall mem
    wall=$(grep "Elapsed (wall clock)" "$label.time" | awk '{print $NF}')
    mem=$(grep "Maximum resident" "$label.time" | awk '{print $NF}')
    echo "$label n=$n wall=$wall peakKB=$mem: $(head -1 "$label.out")"
}
measure python python3 "$root/checkers/python/memcert_check.py" cert.json
measure swift "$bin" check cert.json
