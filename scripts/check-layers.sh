#!/usr/bin/env bash
# The include-direction check: every `#include "..."` of the project's own headers in
# engine/, parsers/, rules/ and driver/ (tests/ are not checked) must point down or sideways:
#
#   driver/    may include anything below it
#   parsers/   include engine/ only (another parser folder is allowed, and listed as a note)
#   rules/     include engine/ only (and rules/ helpers)
#   engine/    includes engine/ only
#
# Exits 1 naming each include that goes up (engine -> parsers/rules/driver,
# parsers -> rules/driver, rules -> parsers/driver). `--list` prints every include checked.
# Needs bash and python3 only.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 - "$@" <<'EOF'
import os
import re
import signal
import sys

signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `--list | head` ends quietly

LAYERS = ["engine", "parsers", "rules", "driver"]
# Which top-level folders each layer may include.
ALLOWED = {
    "engine": {"engine"},
    "parsers": {"engine", "parsers"},
    "rules": {"engine", "rules"},
    "driver": {"engine", "parsers", "rules", "driver"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')

listing = "--list" in sys.argv[1:]
edges = []  # (file, line, target, from-layer, to-layer)
for layer in LAYERS:
    for root, dirs, names in os.walk(layer):
        dirs.sort()
        for name in sorted(names):
            if not name.endswith((".h", ".hpp", ".cpp", ".cc")):
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                for number, text in enumerate(f, 1):
                    m = INCLUDE.match(text)
                    if not m:
                        continue
                    target = m.group(1)
                    top = target.split("/", 1)[0]
                    if top not in LAYERS:
                        continue  # not one of the project's layered headers
                    edges.append((path, number, target, layer, top))

bad = []
notes = []
for path, number, target, src, dst in edges:
    if listing:
        print(f"{path}:{number}: {target}")
    if dst not in ALLOWED[src]:
        bad.append((path, number, target, src, dst))
    elif src == "parsers" and dst == "parsers":
        here = path.split(os.sep)[1]
        there = target.split("/")[1]
        if here != there:
            notes.append((path, number, target))

counts = {}
for _, _, _, src, dst in edges:
    counts[(src, dst)] = counts.get((src, dst), 0) + 1
print(f"check-layers: {len(edges)} project includes in {', '.join(l + '/' for l in LAYERS)}")
for src in LAYERS:
    row = ", ".join(f"{dst}/ {counts[(src, dst)]}" for dst in LAYERS if (src, dst) in counts)
    print(f"  {src + '/':9} -> {row or 'nothing'}")
for path, number, target in notes:
    print(f"note: {path}:{number}: includes another parser folder: {target}")
for path, number, target, src, dst in bad:
    allowed = ", ".join(d + "/" for d in LAYERS if d in ALLOWED[src])
    print(f"error: {path}:{number}: {src}/ includes {target}: {src}/ may include {allowed} only")
if bad:
    print(f"check-layers: {len(bad)} include(s) go up")
    sys.exit(1)
print("check-layers: no include goes up")
EOF
