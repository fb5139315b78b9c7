#!/usr/bin/env bash
# Browser tests of the reports that people look at (issue 18), in real headless
# Chromium (Debian's `chromium`):
#  1. the HTML report of the fixtures loads without a console error or a
#     blocked request, every node of every chain is in the DOM, a finding's
#     link selects its node, the severity filter hides findings, and a
#     screenshot is written to build/browser/report.png for people to look at;
#  2. Graphviz `dot` lays out every chain of `lbcheck graph --format dot` without a warning;
#  3. the Mermaid diagrams (`lbcheck graph --format mermaid`) render offline
#     with the npm `mermaid` package (tools/browser, pinned by its lock file):
#     every diagram parses and renders with all its nodes.
set -euo pipefail
cd "$(dirname "$0")/.."
LBCHECK=$(realpath "${LBCHECK:-build/lbcheck}")
[[ -x $LBCHECK ]] || { echo "test-browser: $LBCHECK is not built (scripts/build.sh)" >&2; exit 1; }
command -v chromium >/dev/null || scripts/deps.sh --only chromium
command -v dot >/dev/null || scripts/deps.sh --only graphviz
command -v npm >/dev/null || scripts/deps.sh --only nodejs npm
TOOLS=tools/browser
if [[ ! -f $TOOLS/node_modules/mermaid/dist/mermaid.min.js ]]; then
  (cd $TOOLS && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
OUT=build/browser
mkdir -p "$OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passes=0 failures=0
pass() { echo "ok   $*"; passes=$((passes + 1)); }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
# A profile of its own, no GPU, no first-run chores; --no-sandbox because CI
# runs as root. The virtual time budget lets the pages' scripts finish.
browser() {
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
    --user-data-dir="$tmp/profile" --virtual-time-budget=20000 "$@" 2>>"$tmp/chromium.log"
}

INPUTS=(fixtures/diagram fixtures/rules)

echo "-- the HTML report"
"$LBCHECK" --format html -o "$OUT/report.html" "${INPUTS[@]}" || [[ $? -eq 1 ]]
"$LBCHECK" graph --format json -o "$tmp/graph.json" "${INPUTS[@]}"
# The page as shipped, plus a first script that records console errors,
# uncaught errors and blocked requests into the DOM (the page's policy allows
# inline scripts only).
python3 - "$OUT/report.html" "$tmp/probed.html" <<'PY'
import sys
html = open(sys.argv[1], encoding="utf-8").read()
probe = """<script>
window.__problems = [];
function __note(m) { window.__problems.push(String(m)); document.documentElement.setAttribute('data-problems', JSON.stringify(window.__problems)); }
var __error = console.error; console.error = function () { __note('console.error: ' + Array.prototype.join.call(arguments, ' ')); __error.apply(console, arguments); };
window.addEventListener('error', function (e) { __note('error: ' + e.message); }, true);
window.addEventListener('unhandledrejection', function (e) { __note('rejection: ' + e.reason); });
document.addEventListener('securitypolicyviolation', function (e) { __note('blocked: ' + e.blockedURI + ' ' + e.violatedDirective); });
window.addEventListener('load', function () {
  // A finding's link selects its node; unticking "note" hides every note.
  var checks = {};
  var a = document.querySelector('a.to-node');
  if (a) { a.click(); var n = document.getElementById(a.getAttribute('href').slice(1)); checks.link = !!n && n.classList.contains('selected'); }
  var box = document.querySelector('input[name=severity][value=note]');
  box.checked = false; box.dispatchEvent(new Event('change'));
  var notes = document.querySelectorAll('article.finding[data-severity=note]');
  checks.filter = notes.length > 0 && Array.prototype.every.call(notes, function (x) { return x.classList.contains('hidden'); });
  box.checked = true; box.dispatchEvent(new Event('change'));
  document.documentElement.setAttribute('data-checks', JSON.stringify(checks));
});
</script>"""
assert "<head>" in html
open(sys.argv[2], "w", encoding="utf-8").write(html.replace("<head>", "<head>" + probe, 1))
PY
browser --dump-dom "file://$tmp/probed.html" >"$tmp/dom.html"
if python3 - "$tmp/dom.html" "$tmp/graph.json" <<'PY'; then pass "HTML report: loads cleanly, every chain's nodes in the DOM, links and filters work"; else fail "HTML report"; fi
import html.parser, json, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
graph = json.load(open(sys.argv[2]))["diagrams"]
m = re.search(r'<html[^>]*data-problems="([^"]*)"', dom)
if m:
    print("problems:", html.unescape(m.group(1)))
    sys.exit(1)
m = re.search(r'<html[^>]*data-checks="([^"]*)"', dom)
checks = json.loads(html.unescape(m.group(1))) if m else {}
if checks != {"link": True, "filter": True}:
    print("interaction checks:", checks or "did not run")
    sys.exit(1)
ids = set(html.unescape(i) for i in re.findall(r'\bid="([^"]+)"', dom))
missing = [f"d{i}_{n['id']}" for i, d in enumerate(graph) for n in d["nodes"] if f"d{i}_{n['id']}" not in ids]
nodes = sum(len(d["nodes"]) for d in graph)
print(f"     {len(graph)} chains, {nodes} nodes; {len(missing)} missing from the DOM")
if not graph or missing:
    print("missing:", missing[:10])
    sys.exit(1)
PY
if grep -E "CONSOLE|Uncaught" "$tmp/chromium.log" >/dev/null; then
  fail "HTML report: Chromium logged console messages"; grep -E "CONSOLE|Uncaught" "$tmp/chromium.log" | head
else pass "HTML report: no console message in Chromium's log"; fi
# The screenshot: the report of the one chain of fixtures/diagram, as in the README.
"$LBCHECK" --format html -o "$OUT/chain.html" fixtures/diagram || [[ $? -eq 1 ]]
rm -f "$OUT/report.png"
browser --hide-scrollbars --window-size=1400,1000 --screenshot="$OUT/report.png" \
  "file://$PWD/$OUT/chain.html" >/dev/null
if [[ -s $OUT/report.png ]]; then pass "screenshot written to $OUT/report.png"; else fail "no screenshot"; fi

echo "-- the DOT diagrams, laid out by Graphviz"
"$LBCHECK" graph --format dot -o "$tmp/all.dot" "${INPUTS[@]}"
if dot -Tsvg "$tmp/all.dot" >/dev/null 2>"$tmp/dot.err" && [[ ! -s $tmp/dot.err ]]; then
  pass "dot lays out every chain without a warning"
else fail "dot:"; head "$tmp/dot.err"; fi

echo "-- the Mermaid diagrams, rendered offline with the npm mermaid package"
"$LBCHECK" graph --format mermaid -o "$tmp/all.mmd" "${INPUTS[@]}"
python3 - "$tmp/all.mmd" "$TOOLS/diagrams.js" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = ["flowchart LR\n" + b for b in text.split("flowchart LR\n")[1:]]
open(sys.argv[2], "w", encoding="utf-8").write("window.DIAGRAMS = " + json.dumps(blocks) + ";\n")
print(f"     {len(blocks)} diagrams")
PY
browser --dump-dom "file://$PWD/$TOOLS/mermaid.html" >"$tmp/mermaid.html"
rm -f "$TOOLS/diagrams.js"
if python3 - "$tmp/mermaid.html" "$tmp/graph.json" <<'PY'; then pass "Mermaid: every diagram parses and renders with its nodes"; else fail "Mermaid"; fi
import html, json, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
graph = json.load(open(sys.argv[2]))["diagrams"]
m = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
result = json.loads(html.unescape(m.group(1))) if m and m.group(1) != "pending" else None
if not result or not result.get("done"):
    print("mermaid did not finish:", result)
    sys.exit(1)
bad = [r for r in result["results"] if not r.get("parsed") or not r.get("rendered") or r.get("error")]
short = [(r["index"], r.get("nodes"), len(graph[r["index"]]["nodes"])) for r in result["results"]
         if r.get("nodes") != len(graph[r["index"]]["nodes"])]
print(f"     {len(result['results'])} rendered, {len(bad)} failed, {len(short)} with nodes missing")
if len(result["results"]) != len(graph) or bad or short:
    print(bad[:5], short[:5])
    sys.exit(1)
PY

echo "test-browser: $passes passed, $failures failed"
((failures == 0))
