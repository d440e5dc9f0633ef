# Sourced by the streaming benchmarks: `measure LABEL COMMAND...` runs COMMAND under
# /usr/bin/time -v in the current folder, keeps its output in LABEL.out and the timing in
# LABEL.time, and prints one line: wall time and peak RSS (user CPU is in LABEL.time).
measure() {  # label, command...
  local label=$1; shift
  /usr/bin/time -v "$@" > "$label.out" 2> "$label.time" || { echo "$label: exit $?"; tail -3 "$label.time"; }
  printf '%-28s wall %-10s peak RSS %6d MiB\n' "$label" \
    "$(grep 'Elapsed' "$label.time" | awk '{print $NF}')" \
    "$(( $(grep 'Maximum resident' "$label.time" | awk '{print $NF}') / 1024 ))"
}
