#!/usr/bin/env bash
# `A && pass ... || fail ...` is safe here: pass and fail always succeed.
# shellcheck disable=SC2015
# Tests the GitHub Action and the workflows:
#  1. action.yml and every .github/workflows/*.yml pass @action-validator/cli
#     (GitHub's schemas; pinned in tools/action-validator/package-lock.json), and
#     deliberately broken copies are rejected, so the check can fail; the
#     workflows' `uses: ./` steps give only action.yml's inputs and read only
#     its outputs;
#  2. action.yml runs (tests/integration/action/run_action.py plays the runner's
#     part for a composite action) on a sample workspace with lbcheck
#     (LBCHECK, default build/lbcheck): SARIF written, uploaded even when lbcheck
#     finds problems, the step failed after the upload, outputs set, usage errors
#     fail before any upload; the Markdown report goes to the job summary
#     unless job-summary is false.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
LBCHECK=$(realpath "${LBCHECK:-build/lbcheck}")
[[ -x $LBCHECK ]] || { echo "test-actions: $LBCHECK is not built (scripts/build.sh)" >&2; exit 1; }
scripts/deps.sh --only python3 python3-yaml
command -v npm >/dev/null || scripts/deps.sh --only nodejs npm
TOOLS=tools/action-validator
AV=$TOOLS/node_modules/.bin/action-validator
if [[ ! -x $AV ]]; then
  (cd $TOOLS && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passes=0 failures=0
pass() { echo "ok   $*"; passes=$((passes + 1)); }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
show() { sed 's/^/     | /' "$1" | head -n "${2:-40}"; }

echo "-- action-validator $(node -p "require('./$TOOLS/node_modules/@action-validator/cli/package.json').version")"
files=(action.yml .github/workflows/*.yml)
for f in "${files[@]}"; do
  if "$AV" "$f" >"$tmp/av.out" 2>&1; then pass "$f is valid"; else
    fail "$f is not valid"
    show "$tmp/av.out"
  fi
done
[[ " ${files[*]} " == *" .github/workflows/lbcheck-example.yml "* ]] && pass "the example workflow is among them" ||
  fail "no .github/workflows/lbcheck-example.yml"

# The schema does not know action.yml: the workflows' `uses: ./` steps must give
# only its inputs and read only its outputs.
if python3 - action.yml .github/workflows/*.yml >"$tmp/io.out" 2>&1 <<'PY'; then pass "workflows use only action.yml's inputs and outputs"; else fail "workflows and action.yml disagree:"; show "$tmp/io.out"; fi
import re, sys, yaml
action = yaml.safe_load(open(sys.argv[1]))
inputs, outputs = set(action["inputs"]), set(action["outputs"])
bad = []
for wf in sys.argv[2:]:
    doc = yaml.safe_load(open(wf))
    for job in doc["jobs"].values():
        ids = set()
        for step in job.get("steps", []):
            if step.get("uses") == "./":
                bad += [f"{wf}: input {k!r} is not in action.yml" for k in (step.get("with") or {}) if k not in inputs]
                if "id" in step:
                    ids.add(step["id"])
        text = yaml.safe_dump(job)
        for sid, out in re.findall(r"steps\.([\w-]+)\.outputs\.([\w-]+)", text):
            if sid in ids and out not in outputs:
                bad.append(f"{wf}: output {out!r} is not in action.yml")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY

# Broken copies must be rejected: the validator's verdict is not always "valid".
mkdir -p "$tmp/broken-action" "$tmp/broken-workflow"
sed '0,/^      shell: bash$/{/^      shell: bash$/d}' action.yml >"$tmp/broken-action/action.yml"  # a run step without shell
sed 's/^runs:$/run:/' action.yml >"$tmp/broken-action2.action.yml"                        # no `runs`
sed 's/^    runs-on: /    run-on: /' .github/workflows/lbcheck-example.yml >"$tmp/broken-workflow/example.yml"
sed 's/^on:$/when:/' .github/workflows/lbcheck-example.yml >"$tmp/broken-workflow/no-trigger.yml"
for f in "$tmp/broken-action/action.yml" "$tmp/broken-action2.action.yml" \
  "$tmp/broken-workflow/example.yml" "$tmp/broken-workflow/no-trigger.yml"; do
  if cmp -s "$f" action.yml || cmp -s "$f" .github/workflows/lbcheck-example.yml; then
    fail "${f#"$tmp"/}: the deliberate break did not apply"
  elif "$AV" "$f" >"$tmp/av.out" 2>&1; then
    fail "${f#"$tmp"/}: a broken copy was accepted"
  else
    pass "${f#"$tmp"/}: rejected ($(grep -o '"title": "[^"]*"' "$tmp/av.out" | head -1))"
  fi
done

echo "-- action.yml run on a sample workspace"
ws=$tmp/workspace
mkdir -p "$ws/infra" "$ws/clean" "$ws/split" "$tmp/bin"
cp examples/plan.json "$ws/infra/plan.json"
cp fixtures/plans/seed-clean.krm.yaml "$ws/clean/stack.krm.yaml"
cp tests/integration/precommit/*.krm.yaml "$ws/split/"  # one stack in two files
ln -s "$LBCHECK" "$tmp/bin/lbcheck"

# act NAME WANT_STATUS input=value... : runs the action; its summary goes to $tmp/summary.json.
act() {
  local name=$1 want=$2 status=0 rtemp
  shift 2
  rtemp=$(mktemp -d "$tmp/runner.XXXX")
  (cd "$ws" && PATH="$tmp/bin:$PATH" python3 "$REPO/tests/integration/action/run_action.py" \
    "$REPO/action.yml" "$ws" "$rtemp" "$@") >"$tmp/act.out" 2>&1 || status=$?
  tail -n 1 "$tmp/act.out" >"$tmp/summary.json"
  if [[ $status -eq $want ]]; then pass "$name (exit $status)"; else
    fail "$name: exit $status, expected $want"
    show "$tmp/act.out" 60
  fi
}
# check NAME PYTHON_EXPR: evaluated with s = the summary, out = the output, sarif(path) = a SARIF log.
check() {
  if python3 - "$tmp/summary.json" "$tmp/act.out" "$ws" "$2" <<'PY'; then pass "$1"; else fail "$1"; show "$tmp/act.out" 60; fi
import json, os, sys
try:
    s = json.load(open(sys.argv[1]))
except ValueError:
    sys.exit(1)
out = open(sys.argv[2]).read()
ws = sys.argv[3]
outcome = {st["name"]: st["outcome"] for st in s["steps"]}
def sarif(path):
    return json.load(open(os.path.join(ws, path)))
def rules(path):
    return {r["ruleId"] for run in sarif(path)["runs"] for r in run.get("results", [])}
def uris(path):
    return {l["physicalLocation"]["artifactLocation"]["uri"] for run in sarif(path)["runs"]
            for r in run.get("results", []) for l in r.get("locations", [])}
sys.exit(0 if eval(sys.argv[4]) else 1)
PY
}

act "findings: the action fails" 1 paths=infra sarif-file=results/findings.sarif
check "findings: exit-code output is 1" 's["outputs"]["exit-code"] == "1"'
check "findings: SARIF written with LB016 and RUN002" '{"LB016", "RUN002"} <= rules("results/findings.sarif")'
check "findings: SARIF locations are relative to the workspace" 'uris("results/findings.sarif") == {"infra/plan.json"}'
check "findings: uploaded before failing" 'outcome["Upload SARIF to code scanning"] == "success" and s["uploads"][0]["sarif_file"] == "results/findings.sarif" and s["uploads"][0]["category"] == "lbcheck" and outcome["Fail on findings"] == "failure"'
check "findings: the log shows the text report" '"error[LB016]" in out and "lbcheck: 1 error" in out'
check "findings: the job summary is the Markdown report with Mermaid diagrams" 's["stepSummary"].startswith("## lbcheck: ") and "`LB016`" in s["stepSummary"] and "```mermaid" in s["stepSummary"]'
check "findings: lbcheck came from PATH" 's["outputs"]["lbcheck"].endswith("/bin/lbcheck") and "using" in out'

act "clean stack: the action passes" 0 paths=clean/stack.krm.yaml category=krm
check "clean: exit-code 0, uploaded, no failure step" 's["outputs"]["exit-code"] == "0" and s["uploads"][0]["category"] == "krm" and outcome["Fail on findings"] == "skipped"'
check "clean: default sarif-file lbcheck.sarif" 's["outputs"]["sarif-file"] == "lbcheck.sarif" and sarif("lbcheck.sarif")["version"] == "2.1.0"'

act "fail-on-findings false: findings reported, step passes" 0 paths=infra fail-on-findings=false sarif-file=ff.sarif
check "fail-on-findings false: exit-code 1, uploaded" 's["outputs"]["exit-code"] == "1" and len(s["uploads"]) == 1 and "LB016" in rules("ff.sarif") and outcome["Fail on findings"] == "skipped"'

# Half of a stack misses the other half: LB022 notes ("cannot verify"), which do
# not fail the run; both halves, given as two newline-separated paths, are one graph.
act "one path of a split stack: notes only" 0 paths=split/lb.krm.yaml upload=false sarif-file=half.sarif
check "one path: LB022 notes for the network in the other file" '"LB022" in rules("half.sarif") and all(r["level"] == "note" for run in sarif("half.sarif")["runs"] for r in run["results"])'
act "two paths, one per line: one graph, no finding" 0 "paths=split/lb.krm.yaml
split/network.krm.yaml" upload=false sarif-file=whole.sarif
check "two paths: exit-code 0, no LB022" 's["outputs"]["exit-code"] == "0" and "LB022" not in rules("whole.sarif")'

act "job-summary false: no job summary" 1 paths=infra job-summary=false upload=false sarif-file=nosum.sarif
check "job-summary false: nothing written to the job summary, the log still has the text report" 's["stepSummary"] == "" and "error[LB016]" in out'

act "args: --rule narrows the run" 0 paths=infra "args=--rule NET001,LB001 --jobs 1" upload=false sarif-file=narrow.sarif
check "args: no finding of other rules, nothing uploaded" 'not rules("narrow.sarif") and not s["uploads"] and outcome["Upload SARIF to code scanning"] == "skipped"'

act "usage error: the action fails before uploading" 1 paths=infra "args=--rule NOPE" sarif-file=usage.sarif
check "usage error: exit-code 2, upload and failure steps skipped" 's["outputs"]["exit-code"] == "2" and not s["uploads"] and outcome["Upload SARIF to code scanning"] == "skipped" and "usage error" in out'

act "lbcheck input: an explicit binary" 1 paths=infra "lbcheck=$LBCHECK" upload=false
check "lbcheck input: that binary ran" "s['outputs']['lbcheck'] == '$LBCHECK'"
act "lbcheck input: a missing binary fails" 1 paths=infra lbcheck=/nonexistent/lbcheck
check "lbcheck input: said so, ran nothing" 'outcome["Run lbcheck"] == "skipped" and "is not a command" in out'

echo "test-actions: $passes passed, $failures failed"
((failures == 0))
