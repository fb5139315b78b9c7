#!/usr/bin/env bash
# Validates lbcheck's SARIF for the bundled example (and every rule fixture), and
# for reports made from outside the checkout (an absolute input path, a ../ path),
# against the official SARIF 2.1.0 schema and with Microsoft's SARIF multitool
# using GitHub's rules. Fails on any error or warning.
set -euo pipefail
cd "$(dirname "$0")/.."
LBCHECK=$(realpath "${LBCHECK:-build/lbcheck}")
TOOLS=tools/sarif
if [[ ! -x $TOOLS/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool ]]; then
  (cd $TOOLS && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
MULTITOOL=$TOOLS/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
SCHEMA=$TOOLS/node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json
chmod u+x "$MULTITOOL"  # npm may skip the package's own chmod script

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$LBCHECK" --format sarif -o "$out/example.sarif" examples/plan.json || [[ $? -eq 1 ]]
"$LBCHECK" --format sarif -o "$out/fixtures.sarif" fixtures || [[ $? -eq 1 ]]
/usr/bin/python3 - "$out/fixtures.sarif" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["runs"][0]["results"]
fixes = [f for r in results for f in r.get("fixes", [])]
assert fixes, "no result in the fixtures carries a structured fix"
for f in fixes:
    assert f["description"]["text"] and f["artifactChanges"], f
    for c in f["artifactChanges"]:
        assert c["replacements"] and all("deletedRegion" in r for r in c["replacements"]), c
print(f"fixtures.sarif: {len(fixes)} fixes with artifact changes")
PY
# Suppressions (inline and configured), an organisation policy and a baseline.
"$LBCHECK" --write-baseline "$out/baseline.json" --rule RUN005 fixtures/adoption >/dev/null || true
"$LBCHECK" --baseline "$out/baseline.json" --format sarif -o "$out/adoption.sarif" fixtures/adoption ||
  [[ $? -eq 1 ]]
/usr/bin/python3 - "$out/adoption.sarif" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["runs"][0]["results"]
kinds = sorted(s["kind"] for r in results for s in r.get("suppressions", []))
states = sorted({r.get("baselineState") for r in results})
assert kinds == ["external", "inSource"], kinds
assert states == ["new", "unchanged"], states
assert any(r["ruleId"] == "ORG001" for r in results)
print("adoption.sarif: suppressions", kinds, "baseline states", states)
PY

# A repository scan (#21): files that are not lbcheck's are notifications of
# the invocation, never results, and a missing path is one too.
"$LBCHECK" --format sarif -o "$out/repository.sarif" fixtures/plans/repository-scan \
  fixtures/no-such-file.json || [[ $? -eq 1 ]]
/usr/bin/python3 - "$out/repository.sarif" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
assert run["results"] == [], run["results"]
notes = run["invocations"][0]["toolExecutionNotifications"]
skipped = sorted(n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                 for n in notes if n["descriptor"]["id"] == "skipped-input")
assert skipped == sorted(["fixtures/plans/repository-scan/" + p for p in (
    ".vscode/settings.json", "infra/staging.tfvars", "package.json", "templates/cloud-init.yaml")]), skipped
unreadable = [n for n in notes if n["descriptor"]["id"] == "LBC002"]
assert len(unreadable) == 1 and unreadable[0]["level"] == "error", unreadable
print(f"repository.sarif: no results, {len(skipped)} skipped files and 1 unreadable path as notifications")
PY

# From outside the checkout: a working directory in the temporary folder, the
# example by its absolute path, and a copy of the fixtures (in a folder whose
# name needs percent-encoding) by a ../ path. $GITHUB_WORKSPACE would make the
# checkout the source root, so it is left out.
repo=$(pwd)
mkdir -p "$out/cwd" "$out/in fra"
cp -r fixtures/rules/LB022 "$out/in fra/"
(cd "$out/cwd" && env -u GITHUB_WORKSPACE "$LBCHECK" --format sarif -o "$out/outside-absolute.sarif" \
  "$repo/examples/plan.json") || [[ $? -eq 1 ]]
(cd "$out/cwd" && env -u GITHUB_WORKSPACE "$LBCHECK" --format sarif -o "$out/outside-relative.sarif" \
  "../in fra") || [[ $? -eq 1 ]]
/usr/bin/python3 - "$out/outside-absolute.sarif" "$out/outside-relative.sarif" <<'PY'
import json, sys
for path in sys.argv[1:]:
    run = json.load(open(path))["runs"][0]
    root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root.startswith("file:///") and root.endswith("/cwd/"), root
    locs = [l["physicalLocation"]["artifactLocation"] for r in run["results"]
            for l in r["locations"] + r.get("relatedLocations", [])]
    assert locs, path
    for a in locs:
        assert "uriBaseId" not in a and a["uri"].startswith("file:///"), a
        assert " " not in a["uri"], a
    print(f"{path.rsplit('/', 1)[-1]}: {len(locs)} locations, all absolute file:// URIs")
PY

status=0
for f in "$out"/*.sarif; do
  /usr/bin/python3 - "$SCHEMA" "$f" <<'PY' || status=1
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
for e in errors[:20]:
    print(f"{sys.argv[2]}: schema: {'/'.join(map(str, e.path))}: {e.message}")
results = sum(len(r.get("results", [])) for r in doc["runs"])
print(f"{sys.argv[2].rsplit('/', 1)[-1]}: {len(errors)} schema errors, {results} results")
sys.exit(1 if errors else 0)
PY
  "$MULTITOOL" validate --rule-kind "Gh;Sarif" --json-schema "$SCHEMA" --log ForceOverwrite \
    -o "$f.validation" "$f" >"$f.console" 2>&1 || true
  /usr/bin/python3 - "$f.validation" "$f.console" <<'PY' || status=1
import json, sys
log = json.load(open(sys.argv[1]))
bad = [r for run in log["runs"] for r in run.get("results", []) if r.get("level", "warning") in ("error", "warning")]
for r in bad:
    print("multitool:", r.get("ruleId"), r.get("level", "warning"), r.get("message", {}).get("text", ""))
console = open(sys.argv[2]).read()
errs = console.count(": error ") + console.count(": warning ")
print(f"multitool (Gh;Sarif rules): {len(bad)} errors/warnings in the log, {errs} on the console")
sys.exit(1 if bad or errs else 0)
PY
done
exit $status
