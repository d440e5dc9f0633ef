#!/usr/bin/env bash
# Regenerates every reference certificate in certificates/ (fixed seeds: the
# same memcert gives the same bytes). Run from anywhere:
#     bash certificates/regenerate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null
m=.build/release/memcert
c=certificates

mkdir -p $c/sphere-memorization
$m generate sphere --n 2000 --dim 8 --delta 0.1 --layout pairs --labels random --seed 11 -o $c/sphere-memorization/data.csv
$m construct $c/sphere-memorization/data.csv -o $c/sphere-memorization/network.json --seed 11 >/dev/null
$m certify $c/sphere-memorization/network.json $c/sphere-memorization/data.csv -o $c/sphere-memorization/cert.json

mkdir -p $c/multiclass-memorization
$m generate sphere --n 1500 --dim 6 --delta 0.1 --layout pairs --labels classes:6 --seed 12 -o $c/multiclass-memorization/data.csv
$m construct $c/multiclass-memorization/data.csv -o $c/multiclass-memorization/network.json --seed 12 >/dev/null
$m certify $c/multiclass-memorization/network.json $c/multiclass-memorization/data.csv -o $c/multiclass-memorization/cert.json

mkdir -p $c/circle-lower-bound
$m generate circle --n 240 --labels alternating --seed 13 -o $c/circle-lower-bound/data.csv
$m lower-bound $c/circle-lower-bound/data.csv --certificate $c/circle-lower-bound/cert.json >/dev/null

mkdir -p $c/moment-curve-lower-bound
$m generate moment-curve --n 61 --dim 4 --labels alternating --seed 14 -o $c/moment-curve-lower-bound/data.csv
$m lower-bound $c/moment-curve-lower-bound/data.csv --certificate $c/moment-curve-lower-bound/cert.json >/dev/null

for cert in $c/*/cert.json; do $m check "$cert" | head -1; done
