#!/bin/bash
# `memcert check` of .npy certificates against their CSV equivalents (issue 15; docs/formats.md
# S9–S11, 6.1), release build, /usr/bin/time -v: the same n rows of d coordinates
# (bench/make_stream_data.py, then `memcert convert` to a float64 .npy, and a Fortran-order copy):
#   1. check of a streamed memorization certificate (n > 20000: read in blocks), CSV, .npy C order
#      and .npy Fortran order (peak memory must stay O(network + block), whatever n is);
#   2. check ROOT of K shards (certified as K concurrent processes, then --combine), CSV and .npy.
# usage: bench/npy_check_bench.sh [N] [D] [FOLDER]      (defaults: 1000000 16 /tmp/memcert-npy-check-bench)
set -euo pipefail
N=${1:-1000000}
D=${2:-16}
DIR=${3:-/tmp/memcert-npy-check-bench}
K=${K:-4}
HERE=$(cd "$(dirname "$0")/.." && pwd)
swift build -c release --product memcert --package-path "$HERE" >/dev/null
M=$HERE/.build/release/memcert
mkdir -p "$DIR"
if [ ! -f "$DIR/data.npy" ] || [ "$(cat "$DIR/made" 2>/dev/null)" != "$N $D" ]; then
  python3 "$HERE/bench/make_stream_data.py" "$N" "$D" "$DIR"
  rm -f "$DIR/data.npy" "$DIR/fortran.npy"
  "$M" convert "$DIR/data.csv" -o "$DIR/data.npy" >/dev/null
  python3 -c "import numpy as np, sys; np.save(sys.argv[2], np.asfortranarray(np.load(sys.argv[1], mmap_mode='r')))" \
    "$DIR/data.npy" "$DIR/fortran.npy"
  echo "$N $D" > "$DIR/made"
fi
cd "$DIR"
echo "data: csv $(wc -c < data.csv) bytes, npy $(wc -c < data.npy) bytes, n = $N, d = $D; $(nproc) cores; load: $(uptime | sed 's/.*load/load/')"
. "$HERE/bench/measure.sh"
for data in data.csv data.npy fortran.npy; do
  [ -f "cert-$data.json" ] || "$M" certify network.json "$data" --reading stream -o "cert-$data.json" >/dev/null
  measure "check streamed $data" "$M" check "cert-$data.json"
done
for data in data.csv data.npy; do
  if [ ! -f "root-$data.json" ]; then
    for i in $(seq 1 "$K"); do "$M" certify network.json "$data" --shard "$i/$K" -o "shard-$i-$data.json" >/dev/null & done
    wait
    "$M" certify --combine $(for i in $(seq 1 "$K"); do echo "shard-$i-$data.json"; done) -o "root-$data.json" >/dev/null
  fi
  measure "check root ($K shards) $data" "$M" check "root-$data.json"
done
echo "load after: $(uptime | sed 's/.*load/load/')"
