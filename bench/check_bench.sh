#!/usr/bin/env bash
# Wall time and peak memory of verify, certify and check on the same files
# (release build, /usr/bin/time -v), median of R runs each.
#
#   bash bench/check_bench.sh OUT N [R]
#
# Makes OUT/sN.csv with `memcert generate sphere --n N --dim 32 --delta 0.05 --seed 1`
# and OUT/nN.json with `memcert construct` unless they exist, then times
#   memcert verify  OUT/nN.json OUT/sN.csv
#   memcert certify OUT/nN.json OUT/sN.csv -o OUT/cN.json
#   memcert check   OUT/cN.json
# and prints one line per command: median seconds, the runs, median peak RSS in MB.
set -euo pipefail
out=$1; n=$2; runs=${3:-3}
cd "$(dirname "$0")/.."
swift build -c release >/dev/null
m=$(pwd)/.build/release/memcert
mkdir -p "$out"
cd "$out"
[ -f "s$n.csv" ] || "$m" generate sphere --n "$n" --dim 32 --delta 0.05 --seed 1 -o "s$n.csv" >/dev/null
[ -f "n$n.json" ] || "$m" construct "s$n.csv" -o "n$n.json" >/dev/null
"$m" certify "n$n.json" "s$n.csv" -o "c$n.json" >/dev/null
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() {
    local name=$1; shift
    local times=() rss=()
    for _ in $(seq "$runs"); do
        /usr/bin/time -v "$@" >/dev/null 2>time.log || true
        times+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {split($2, t, ":"); s = 0; for (i = 1; i <= length(t); i++) s = s * 60 + t[i]; print s}' time.log)")
        rss+=("$(awk -F': ' '/Maximum resident set size/ {print int($2 / 1024)}' time.log)")
    done
    printf '%-8s n=%-8s median %7.2f s  (runs: %s)  peak RSS %s MB\n' "$name" "$n" \
        "$(printf '%s\n' "${times[@]}" | median)" "${times[*]}" "$(printf '%s\n' "${rss[@]}" | median)"
}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
measure verify "$m" verify "n$n.json" "s$n.csv"
measure certify "$m" certify "n$n.json" "s$n.csv" -o "c$n.json"
measure check "$m" check "c$n.json"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
