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
# TEMPORARY, like the helper in Tests/memcertTests/CrossCheckerTests.swift: while
# `memcert certify` still writes memcert.certificate/1, rewrite it as /2 (format,
# and `tool` replaced by a `provenance` object). Delete once certify writes /2.
python3 - <<'PY'
import json
c = json.load(open("cert.json"))
if c["format"] == "memcert.certificate/1":
    c = {"format": "memcert.certificate/2", "kind": c["kind"],
         "provenance": {"memcert": c["tool"].split()[-1], "commit": None, "gmp": "unknown", "command": ["memcert"]},
         "files": c["files"], "claims": c["claims"]}
    json.dump(c, open("cert.json", "w"), indent=2)
PY
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
