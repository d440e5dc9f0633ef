#!/usr/bin/env bash
# baum1988 in d = 784: builds 5,000 digit-like integer images (bench/make_digits.py:
# 28 x 28 pixels in 0..255, 10 classes, a border that is always 0), constructs
# Baum's network for them, verified exactly inside `construct`, then re-verifies it
# with `memcert verify`. Reports wall time and peak memory (/usr/bin/time -v) per
# run, the machine's load average before each, and the network's size.
#
# usage: bench/baum784.sh OUT_DIR [runs] [n]
# Target: construct under 60 s wall on 2 cores.
set -euo pipefail
out=${1:?usage: baum784.sh OUT_DIR [runs] [n]}
runs=${2:-3}
n=${3:-5000}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="${MEMCERT_BIN:-$root/.build/release/memcert}"
if [ ! -x "$bin" ]; then
    echo "baum784.sh: no release binary at $bin; run 'swift build -c release' first" >&2
    exit 2
fi
mkdir -p "$out"
cd "$out"
data="digits$n.csv"
[ -f "$data" ] || python3 "$root/bench/make_digits.py" "$data" --n "$n" --seed 1
measure() {  # label command...
    local label=$1; shift
    local load
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    /usr/bin/time -v "$@" > "$label.out" 2> "$label.time"
    local wall mem user
    wall=$(grep "Elapsed (wall clock)" "$label.time" | awk '{print $NF}')
    user=$(grep "User time" "$label.time" | awk '{print $NF}')
    mem=$(grep "Maximum resident" "$label.time" | awk '{print $NF}')
    echo "$label wall=$wall user=${user}s peakKB=$mem load-before=($load)"
}
for run in $(seq 1 "$runs"); do
    measure "construct-$run" "$bin" construct "$data" -o "baum$n.json" --method baum1988 --json
    measure "verify-$run" "$bin" verify "baum$n.json" "$data" --json
done
python3 - "construct-1.out" "verify-1.out" "baum$n.json" <<'PY'
import json, os, sys
c, v = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
t = c["totals"]
print(f"network: {t['neurons']} neurons, {t['weights']} weights, largest weight {t['largestWeightBits']} bits, "
      f"file {os.path.getsize(sys.argv[3]) / 1e6:.1f} MB; theory {c['theory']}; construct seconds {c['seconds']}")
print(f"verify: memorized={v['memorized']}, exact first-layer decisions {v['exactDecisions']} of {v['firstLayerDecisions']}")
PY
