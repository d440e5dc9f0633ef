#!/usr/bin/env bash
# The README's scaling study ("Scaling study"): builds memcert in release mode and runs
#
#   memcert sweep --n 1000,2000,4000,8000,16000 --dim 32 --delta 0.4,0.2,0.1,0.05 --layout pairs \
#                 --labels random --methods rajput2021,baum1988,indicator --seeds 1,2 --folder FOLDER
#
# which writes FOLDER/sweep.csv, FOLDER/neurons-vs-n.svg and FOLDER/first-layer-vs-inverse-delta.svg;
# the printed tables and slopes go to FOLDER/sweep.txt, with the command and its time and peak memory
# (/usr/bin/time -v, when installed). Re-run it after any change to a construction's sizes and
# commit the folder: the files are the same bytes for the same code, except the `seconds` column.
#
# Usage: bash bench/sweep_plots.sh [FOLDER]    (default: docs/plots)
set -euo pipefail
cd "$(dirname "$0")/.."
folder="${1:-docs/plots}"
swift build -c release --product memcert
bin="$(swift build -c release --show-bin-path)/memcert"
args=(--n 1000,2000,4000,8000,16000 --dim 32 --delta 0.4,0.2,0.1,0.05 --layout pairs --labels random
      --methods rajput2021,baum1988,indicator --seeds 1,2)
mkdir -p "$folder"
timing="$(mktemp)"
trap 'rm -f "$timing"' EXIT
timer=()
if [ -x /usr/bin/time ]; then timer=(/usr/bin/time -v -o "$timing"); fi
{
    echo "\$ memcert sweep ${args[*]} --folder $folder"
    "${timer[@]}" "$bin" sweep "${args[@]}" --folder "$folder"
    if [ -s "$timing" ]; then
        echo
        grep -E "Elapsed \(wall clock\)|Maximum resident set size|User time|System time" "$timing" | sed 's/^\s*/# /'
    fi
} > "$folder/sweep.txt.tmp"
mv "$folder/sweep.txt.tmp" "$folder/sweep.txt"
cat "$folder/sweep.txt"
