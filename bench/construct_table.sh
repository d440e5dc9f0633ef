#!/usr/bin/env bash
# Sizes of the rajput2021 network for n = 10^3 ... 10^6 points on S^31 (d = 32,
# δ = 0.05, random binary labels), for both generator layouts, with wall time and
# peak memory of generate, construct and verify (/usr/bin/time -v). On the pairs
# layout from n = 10^5 on (or from BAUM_FROM, an exponent) baum1988 is built on the
# same data, for the comparison of neurons.
#
# usage: bench/construct_table.sh OUT_DIR [max_exponent]
set -euo pipefail
out=${1:?usage: construct_table.sh OUT_DIR [max_exponent]}
max=${2:-6}
bin="${MEMCERT_BIN:-$(cd "$(dirname "$0")/.." && pwd)/.build/release/memcert}"
mkdir -p "$out"
cd "$out"
measure() {  # label command...
    local label=$1; shift
    /usr/bin/time -v "$@" > "$label.out" 2> "$label.time"
    local wall mem
    wall=$(grep "Elapsed (wall clock)" "$label.time" | awk '{print $NF}')
    mem=$(grep "Maximum resident" "$label.time" | awk '{print $NF}')
    echo "$label wall=$wall peakKB=$mem"
}
for layout in uniform pairs; do
    for e in $(seq 3 "$max"); do
        n=$((10 ** e))
        tag="$layout-1e$e"
        measure "gen-$tag" "$bin" generate sphere --n "$n" --dim 32 --delta 0.05 --layout "$layout" --seed 1 -o "$tag.csv"
        measure "con-$tag" "$bin" construct "$tag.csv" -o "$tag.json" --seed 1 --json
        measure "ver-$tag" "$bin" verify "$tag.json" "$tag.csv"
        if [ "$layout" = pairs ] && [ "$e" -ge "${BAUM_FROM:-5}" ]; then
            measure "baum-$tag" "$bin" construct "$tag.csv" -o "$tag-baum1988.json" --method baum1988 --json
            python3 -c "import json, sys; t = json.load(open(sys.argv[1]))['totals']; print(f'BAUM {sys.argv[2]} neurons={t[\"neurons\"]} weights={t[\"weights\"]}')" \
                "baum-$tag.out" "$tag"
        fi
        python3 - "$tag" "$n" <<'PY'
import json, sys
tag, n = sys.argv[1], int(sys.argv[2])
r = json.load(open(f"con-{tag}.out"))
t, th, sep = r["totals"], r["theory"], r["separation"]
print(f"ROW {tag} n={n} delta={sep['delta']} k={th['k']} k0={th['k0']} compression={th['compression']} m={th['m']} "
      f"rowWeight={th['rowWeight']} keyWeightBits={th['keyWeightBits']} Y={th['positionCarriers']} N={th['keyClasses']} "
      f"s={th['blockSize']} neurons={t['neurons']} weights={t['weights']} depth={t['depth']} "
      f"largestWeightBits={t['largestWeightBits']} onePerPoint={th['onePerPointNeurons']} "
      f"stages={[ (s['stage'], s['neurons'], s['weights']) for s in r['stages']]} seconds={r['seconds']}")
for c in th.get('candidates', []):
    print(f"    candidate {c['compression']}: " + (f"neurons={c['neurons']} weights={c['weights']}" if 'neurons' in c else c['reason']))
PY
    done
done
