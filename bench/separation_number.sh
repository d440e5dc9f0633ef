#!/usr/bin/env bash
# memcert separation-number on random planar sets with 3 labels: time to the certified answer
# (candidate cuts, greedy cover, CaDiCaL, memcert's DRAT check of every UNSAT proof; wall time, and
# CPU time of memcert and the solver it runs), then
# memcert check of the certificate (the checker's own cuts, CNF and DRAT check), with the
# candidate and clause counts; then larger n until one run takes over a minute.
#
# Points: integer coordinates uniform in [-1000, 1000]^2 (seeded, distinct), labels uniform in {0, 1, 2}.
#
# usage: bench/separation_number.sh OUT_DIR [N...]      (default N: 10 16 24 32 48)
#        MEMCERT_BIN=path/to/memcert (default .build/release/memcert), MEMCERT_SCAN=0 skips the scan,
#        MEMCERT_SCAN_SIZES="..." sets its sizes, MEMCERT_SECONDS the search's time limit (default 600)
set -euo pipefail
out=${1:?usage: separation_number.sh OUT_DIR [N...]}
shift
sizes=("${@:-}")
if [ -z "${sizes[0]}" ]; then sizes=(10 16 24 32 48); fi
bin="${MEMCERT_BIN:-$(cd "$(dirname "$0")/.." && pwd)/.build/release/memcert}"
mkdir -p "$out"
cd "$out"

make_data() {  # make_data N FILE
    python3 - "$1" "$2" <<'PY'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(1000 + n)
points = set()
while len(points) < n:
    points.add((rng.randint(-1000, 1000), rng.randint(-1000, 1000)))
with open(path, "w") as f:
    f.write("x,y,label\n")
    for x, y in sorted(points, key=lambda p: rng.random()):
        f.write(f"{x},{y},{rng.randrange(3)}\n")
PY
}

run() {  # run N: one line of results; returns 1 when the answer took more than 60 s
    local n=$1
    make_data "$n" "r$n.csv"
    /usr/bin/time -v "$bin" separation-number "r$n.csv" --json --certificate "r$n.cert.json" --seconds "${MEMCERT_SECONDS:-600}" \
        --seconds-per-call "${MEMCERT_SECONDS:-600}" > "r$n.json" 2> "r$n.time" || true
    /usr/bin/time -v "$bin" check "r$n.cert.json" > "r$n.check" 2> "r$n.check.time" || true
    python3 - "$n" <<'PY'
import json, re, sys
n = sys.argv[1]
def wall(path):
    text = open(path).read()
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", text)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", text))
    return (int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))), int(rss.group(1)) // 1024, cpu
r = json.load(open(f"r{n}.json"))
w, mb, cpu = wall(f"r{n}.time")
cw, cmb, ccpu = wall(f"r{n}.check.time")
check = open(f"r{n}.check").read().split("\n")[0][:5]
calls = " ".join(f"k={c['k']}:{c['result']}/{c['clauses']}cl/{c['seconds']}s" for c in r["calls"])
print(f"n={n:>3} candidates={r['candidates']:>6} kept={r['undominated']:>6} pairs={r['pairs']:>5} greedy={r['greedy']:>2} "
      f"minimum={r['minimum']} provenBy={r['provenBy']} answer={w:.2f}s(cpu {cpu:.2f}s)/{mb}MB "
      f"check={cw:.2f}s(cpu {ccpu:.2f}s)/{cmb}MB ({check}) calls: {calls}")
sys.exit(1 if w > 60 else 0)
PY
}

for n in "${sizes[@]}"; do run "$n" || true; done
if [ "${MEMCERT_SCAN:-1}" != "0" ]; then  # increasing n until an answer takes over a minute
    for n in ${MEMCERT_SCAN_SIZES:-20 22 24 26 28 30 32 36 40 48 56 64 80 96 128 150}; do
        if ! run "$n"; then echo "n=$n took over a minute"; break; fi
    done
fi
