#!/bin/bash
# Streaming and shards at scale (issue 15): writes n rows of d coordinates with a streaming
# generator (bench/make_stream_data.py), then measures with /usr/bin/time -v (release build):
#   1. verify, streamed (peak memory must stay O(network + block), whatever n is);
#   2. verify, whole file in memory (for comparison; skipped with SKIP_MEMORY=1);
#   3. 4 shards certified as 4 concurrent processes, --combine, check ROOT;
#   4. one unsharded streamed certify and its check.
# usage: bench/stream_bench.sh [N] [D] [FOLDER]      (defaults: 1000000 16 /tmp/memcert-stream-bench)
# FORMAT=npy measures the same rows as a float64 .npy file (data.npy, shards by rows) instead of CSV.
set -euo pipefail
N=${1:-1000000}
D=${2:-16}
DIR=${3:-/tmp/memcert-stream-bench}
K=${K:-4}
FORMAT=${FORMAT:-csv}
DATA=data.$FORMAT
HERE=$(cd "$(dirname "$0")/.." && pwd)
swift build -c release --product memcert --package-path "$HERE" >/dev/null
M=$HERE/.build/release/memcert
mkdir -p "$DIR"
if [ ! -f "$DIR/$DATA" ] || [ "$(cat "$DIR/made" 2>/dev/null)" != "$N $D $FORMAT" ]; then
  python3 "$HERE/bench/make_stream_data.py" "$N" "$D" "$DIR" $([ "$FORMAT" = npy ] && echo --npy)
  echo "$N $D $FORMAT" > "$DIR/made"
fi
cd "$DIR"
echo "data: $(wc -c < $DATA) bytes, n = $N, d = $D; $(nproc) cores; load: $(uptime | sed 's/.*load/load/')"
. "$HERE/bench/measure.sh"
measure verify-stream "$M" verify network.json $DATA --reading stream
[ "${SKIP_MEMORY:-0}" = 1 ] || measure verify-memory "$M" verify network.json $DATA --reading memory
rm -f shard-*.json shard-*.json.rows root.json
start=$(date +%s.%N)
for i in $(seq 1 "$K"); do
  /usr/bin/time -v "$M" certify network.json $DATA --shard "$i/$K" -o "shard-$i.json" > "shard-$i.out" 2> "shard-$i.time" &
done
wait
end=$(date +%s.%N)
peak=0
for i in $(seq 1 "$K"); do
  r=$(grep 'Maximum resident' "shard-$i.time" | awk '{print $NF}'); [ "$r" -gt "$peak" ] && peak=$r
done
printf '%-28s wall %-10s peak RSS %6d MiB (largest shard)\n' "certify $K shards (parallel)" "$(echo "$end - $start" | bc | cut -c1-7)s" $((peak / 1024))
measure combine "$M" certify --combine shard-*.json -o root.json
measure check-root "$M" check root.json
measure certify-unsharded "$M" certify network.json $DATA --reading stream -o whole.json
measure check-unsharded "$M" check whole.json
