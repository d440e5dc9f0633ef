#!/bin/bash
# GNU parallel: K shards over the local cores or over ssh hosts, then combine and check.
#   examples/cluster/parallel.sh NETWORK DATA K [-- extra parallel options, e.g. -S host1,host2 --workdir .]
# With -S, every host needs memcert on PATH and the same files at the same paths (a shared
# file system), since each shard reads its byte range of DATA and writes its certificate to OUT.
# Without GNU parallel installed, it falls back to xargs -P (local processes only).
set -euo pipefail
NETWORK=${1:?usage: parallel.sh NETWORK DATA K [-- parallel options]}
DATA=${2:?}
K=${3:?}
shift 3
[ "${1:-}" = "--" ] && shift
MEMCERT=${MEMCERT:-memcert}
# Certificates name their files relative to their own folder, which must contain them
# (docs/formats.md, K3), so they are written next to the data: OUT/shard-I.json, OUT/root.json.
OUT=$(dirname "$DATA")
if command -v parallel >/dev/null 2>&1; then
  parallel --halt now,fail=1 "$@" "$MEMCERT" certify "$NETWORK" "$DATA" --shard {}/"$K" -o "$OUT"/shard-{}.json ::: $(seq 1 "$K")
else
  seq 1 "$K" | xargs -P "$(nproc)" -I{} "$MEMCERT" certify "$NETWORK" "$DATA" --shard {}/"$K" -o "$OUT"/shard-{}.json
fi
"$MEMCERT" certify --combine "$OUT"/shard-*.json -o "$OUT"/root.json
"$MEMCERT" check "$OUT"/root.json
