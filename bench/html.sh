#!/usr/bin/env bash
# The pictures on a large input (issue 18): generates 5,000 resources as a
# Config Connector tree (bench/gen.py: 556 load-balancer stacks, a tenth
# faulty) and times, with hyperfine, the text report against the HTML report
# (every chain laid out by Graphviz) and the Markdown report, then prints the
# HTML page's size and chain count.
#   bench/html.sh [RESOURCES]     default 5000; LBCHECK=path/to/lbcheck (default build/lbcheck)
set -euo pipefail
cd "$(dirname "$0")/.."
LBCHECK=$(realpath "${LBCHECK:-build/lbcheck}")
N=${1:-5000}
DATA=bench/data/html-$N
[[ -d $DATA/krm ]] || python3 bench/gen.py "$DATA" --resources "$N" --format krm >/dev/null
command -v hyperfine >/dev/null || scripts/deps.sh --only hyperfine
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
hyperfine --warmup 1 --runs 5 -i \
  -n text "$LBCHECK --format text -o $out/r.txt $DATA/krm" \
  -n html "$LBCHECK --format html -o $out/r.html $DATA/krm" \
  -n markdown "$LBCHECK --format markdown -o $out/r.md $DATA/krm"
"$LBCHECK" --format html -o "$out/r.html" "$DATA/krm" || true
echo "html: $(wc -c <"$out/r.html") bytes, $(grep -c '<svg' "$out/r.html") chains laid out"
