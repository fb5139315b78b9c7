#!/usr/bin/env bash
# Side by side: runs two commands alternately N times (A B A B ...) and prints
# each one's median wall time and the ratio of the medians. On a shared VM whose
# speed drifts over minutes, alternating keeps a slow spell from landing on one
# command only (hyperfine runs all of one command, then all of the other).
#
#   bench/pairs.sh N 'command A' 'command B'
#   bench/pairs.sh 7 'build-bench/lbcheck -j1 bench/data/full/tree/krm' \
#                    'build-bench/lbcheck -j2 bench/data/full/tree/krm'
set -euo pipefail
if (($# != 3)); then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
n=$1 a=$2 b=$3
wall() {  # seconds of wall time of one run of "$1" (its exit status is ignored)
  local start end
  start=$(date +%s.%N)
  bash -c "$1" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
ta=() tb=()
for ((i = 0; i < n; i++)); do
  ta+=("$(wall "$a")")
  tb+=("$(wall "$b")")
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
ma=$(median "${ta[@]}") mb=$(median "${tb[@]}")
printf 'A: %s\n   runs: %s\n   median %.3f s\n' "$a" "${ta[*]}" "$ma"
printf 'B: %s\n   runs: %s\n   median %.3f s\n' "$b" "${tb[*]}" "$mb"
printf 'A/B = %.2f\n' "$(echo "$ma / $mb" | bc -l)"
