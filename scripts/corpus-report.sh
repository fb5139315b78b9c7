#!/usr/bin/env bash
# Runs lbcheck on a directory of real inputs the way a user would: once on the
# whole directory, then file by file.
# Prints every error and warning, then the counts per severity and rule.
#   scripts/corpus-report.sh DIR [LBCHECK]
set -euo pipefail
dir=${1:?usage: scripts/corpus-report.sh DIR [LBCHECK]}
lbcheck=${2:-$(cd "$(dirname "$0")/.." && pwd)/build/lbcheck}
cd "$dir/.."
base=$(basename "$dir")
summary() { grep -oE '^[^ ].*: (error|warning|note)\[[A-Z0-9]+\]' | sed -E 's/.*: (error|warning|note)\[/\1[/' | sort | uniq -c | sort -rn; }
echo "== $base as one directory"
out=$("$lbcheck" --fail-on never --color never "$base" || true)
grep -E '^[^ ].*: (error|warning)\[' <<<"$out" || true
echo "-- counts"
summary <<<"$out"
echo
echo "== $base file by file"
all=""
while IFS= read -r input; do
  all+=$("$lbcheck" --fail-on never --color never "$input" || true)$'\n'
done < <(find "$base" -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' -o -name '*.sh' \
  -o -name '*.md' -o -name '*.tf' -o -name '*.tpl' \) ! -name SOURCES.md | sort)
grep -E '^[^ ].*: (error|warning)\[' <<<"$all" || true
echo "-- counts"
summary <<<"$all"
