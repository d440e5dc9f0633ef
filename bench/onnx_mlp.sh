#!/usr/bin/env bash
# ONNX import and exact verification of a float32 binarized MLP 784-256-256-4 (three Gemm + Sign
# layers) on n = 10,000 points in .npy, against onnxruntime's evaluation of the same files
# (bench/onnx_mlp.py makes the model and the data, with exact labels). Reports wall time and peak
# memory (/usr/bin/time -v) per run and the machine's load average before each.
#
# usage: bench/onnx_mlp.sh OUT_DIR [runs] [n]          (release build first: swift build -c release)
set -euo pipefail
out=${1:?usage: onnx_mlp.sh OUT_DIR [runs] [n]}
runs=${2:-3}
n=${3:-10000}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="${MEMCERT_BIN:-$root/.build/release/memcert}"
if [ ! -x "$bin" ]; then
    echo "onnx_mlp.sh: no release binary at $bin; run 'swift build -c release' first" >&2
    exit 2
fi
mkdir -p "$out"
cd "$out"
[ -f mlp.onnx ] && [ -f X.npy ] || python3 "$root/bench/onnx_mlp.py" make . --n "$n"
measure() {  # label command...
    local label=$1; shift
    local load status=0
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    /usr/bin/time -v "$@" > "$label.out" 2> "$label.time" || status=$?
    local wall mem user
    wall=$(grep "Elapsed (wall clock)" "$label.time" | awk '{print $NF}')
    user=$(grep "User time" "$label.time" | awk '{print $NF}')
    mem=$(grep "Maximum resident" "$label.time" | awk '{print $NF}')
    echo "$label exit=$status wall=$wall user=${user}s peakKB=$mem load-before=($load)"
}
for run in $(seq 1 "$runs"); do
    measure "import-$run" "$bin" import onnx mlp.onnx -o net.json
    measure "verify-npy-$run" "$bin" verify net.json X.npy --labels y.npy --json
    measure "verify-npz-$run" "$bin" verify net.json data.npz --json
    measure "onnxruntime-$run" python3 "$root/bench/onnx_mlp.py" ort .
done
cat onnxruntime-1.out
python3 - verify-npy-1.out <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
print(f"memcert verify: memorized={v['memorized']}, n={v['n']}, mismatches={v['mismatchCount']}, ties={v['tieCount']}, "
      f"exact first-layer decisions {v['exactDecisions']} of {v['firstLayerDecisions']}")
PY
