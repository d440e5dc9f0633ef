#!/usr/bin/env bash
# Layer 0's memory follows its nonzero weights, and dense layers stay as fast.
#
#  1. dense: verify of the bench network (200 first-layer neurons, d = 32) on n = 10^5 points
#     (bench/make_verify_bench.py), three runs;
#  2. sparse: a wide first layer (8000 neurons of 2 weights, a 0.6 MB file) on d = 200,000, verified
#     on 2 points under a 1.5 GB address-space limit (a dense layout would need 6.4 GB); it memorizes them
#     (neuron t is 1[x_{a+1} - x_a + 1/2 >= 0], the output copies neuron 0), so the run ends with status 0.
#
# usage: bench/first_layer.sh OUT_DIR     (MEMCERT_BIN: the binary, default .build/release/memcert)
set -euo pipefail
out=${1:?usage: first_layer.sh OUT_DIR}
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${MEMCERT_BIN:-$root/.build/release/memcert}"
mkdir -p "$out"
python3 "$root/bench/make_verify_bench.py" "$out/dense" 100000 32 1
for run in 1 2 3; do
    /usr/bin/time -f "dense verify run $run: wall=%e s user=%U s peakKB=%M" "$bin" verify "$out/dense/net.json" "$out/dense/data.csv" | tail -1
done
python3 - "$out/sparse" <<'PY'
import os, sys
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
d, width = 200_000, 8000
neurons = []
for t in range(width):
    a = (t * 7919) % (d - 1)
    neurons.append('{"weights":{"indices":[%d,%d],"values":["-1","1"]},"bias":"1/2"}' % (a, a + 1))
with open(os.path.join(out, "net.json"), "w") as f:
    f.write('{"format":"memcert.network/1","inputDimension":%d,"outputBits":1,"layers":[{"neurons":[%s]},'
            '{"neurons":[{"weights":{"indices":[0],"values":["1"]},"bias":"-1"}]}]}' % (d, ",".join(neurons)))
with open(os.path.join(out, "data.csv"), "w") as f:
    for row in range(2):
        cells = ["0"] * d
        cells[0] = "2" if row else "0"
        f.write(",".join(cells) + ",%d\n" % (0 if row else 1))
PY
( ulimit -v 1500000; /usr/bin/time -f "sparse verify (d = 200000, 8000 neurons, ulimit -v 1.5 GB): wall=%e s peakKB=%M" \
    "$bin" verify "$out/sparse/net.json" "$out/sparse/data.csv" | tail -1 ) || echo "sparse verify failed with status $?"
