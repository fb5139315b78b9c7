#!/usr/bin/env bash
# Tests .pre-commit-hooks.yaml as a user meets it: the real pre-commit runs this
# repository's hooks (`pre-commit try-repo`, then a `.pre-commit-config.yaml`
# with `pre-commit install` and a real `git commit`) in a temporary git
# repository holding the Config Connector stack of tests/integration/precommit/
# (network and proxy-only subnet in one file, the load balancer in another).
# A commit that sets the proxy's keep-alive to 610 s must be refused with LB016;
# a good commit must pass. lbcheck (LBCHECK, default build/lbcheck) is put on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
LBCHECK=$(realpath "${LBCHECK:-build/lbcheck}")
[[ -x $LBCHECK ]] || { echo "test-precommit: $LBCHECK is not built (scripts/build.sh)" >&2; exit 1; }

scripts/deps.sh --only pre-commit git  # Debian's pre-commit, when it is missing

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
ln -s "$LBCHECK" "$tmp/bin/lbcheck"
export PATH="$tmp/bin:$PATH"
export PRE_COMMIT_HOME="$tmp/pre-commit-home"
export PRE_COMMIT_COLOR=never NO_COLOR=1
# Commits in the sample repository only; nothing of the user's git config is needed.
export GIT_AUTHOR_NAME=lbcheck-test GIT_AUTHOR_EMAIL=lbcheck-test@example.invalid
export GIT_COMMITTER_NAME=lbcheck-test GIT_COMMITTER_EMAIL=lbcheck-test@example.invalid
export GIT_CONFIG_GLOBAL=/dev/null

passes=0 failures=0
pass() { echo "ok   $*"; passes=$((passes + 1)); }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

# run NAME WANT_STATUS CMD... : runs CMD in the sample repository, keeps its output in $out.
run() {
  local name=$1 want=$2 status=0
  shift 2
  out=$(cd "$tmp/sample" && "$@" 2>&1) || status=$?
  if [[ $status -eq $want ]]; then
    pass "$name (exit $status)"
  else
    fail "$name: exit $status, expected $want"
    printf '%s\n' "$out" | sed 's/^/     | /'
  fi
}
expect() {  # expect NAME REGEX: $out must match
  if grep -Eq -- "$2" <<<"$out"; then pass "$1"; else
    fail "$1: output does not match /$2/"
    printf '%s\n' "$out" | sed 's/^/     | /'
  fi
}
reject() {  # reject NAME REGEX: $out must not match
  if grep -Eq -- "$2" <<<"$out"; then
    fail "$1: output matches /$2/"
    printf '%s\n' "$out" | sed 's/^/     | /'
  else pass "$1"; fi
}
keep_alive() { sed -i "s/httpKeepAliveTimeoutSec: [0-9]*/httpKeepAliveTimeoutSec: $1/" "$tmp/sample/lb.krm.yaml"; }

# try-repo needs the hook repository's hook file in git (it snapshots modified
# tracked files itself, but not untracked ones).
git -C "$REPO" ls-files --error-unmatch .pre-commit-hooks.yaml >/dev/null 2>&1 ||
  { echo "test-precommit: .pre-commit-hooks.yaml is not tracked by git (git add it)" >&2; exit 1; }

echo "== pre-commit $(pre-commit --version | awk '{print $2}'), lbcheck $(lbcheck --version | awk '{print $2}') from $(command -v lbcheck)"
mkdir "$tmp/sample"
git -C "$tmp/sample" init -q -b main
cp tests/integration/precommit/*.krm.yaml "$tmp/sample/"
echo "sample repository for lbcheck's pre-commit test" >"$tmp/sample/notes.txt"
git -C "$tmp/sample" add -A

echo "-- try-repo: the first commit (a good stack in two files)"
run "lbcheck passes a good commit" 0 pre-commit try-repo "$REPO" lbcheck
expect "lbcheck reports Passed" '^lbcheck \(load-balancer configuration, whole repository\)\.+Passed$'
git -C "$tmp/sample" commit -qm "good stack"

echo "-- try-repo: a commit that changes only lb.krm.yaml, keep-alive 610 s"
keep_alive 610
git -C "$tmp/sample" add lb.krm.yaml
run "lbcheck refuses the bad commit" 1 pre-commit try-repo "$REPO" lbcheck
expect "the refusal names LB016" 'error\[LB016\]'
expect "the refusal points at lb.krm.yaml" 'lb\.krm\.yaml:[0-9]+:[0-9]+: error\[LB016\]'
reject "the unchanged network.krm.yaml is still read (no LB022, no NET001)" 'LB022|NET001'
run "lbcheck-files refuses the bad commit too" 1 pre-commit try-repo "$REPO" lbcheck-files
expect "lbcheck-files names LB016" 'error\[LB016\]'
git -C "$tmp/sample" commit -qm "bad keep-alive" --no-verify

echo "-- try-repo: a commit that touches no file lbcheck reads is not checked"
echo "more notes" >>"$tmp/sample/notes.txt"
git -C "$tmp/sample" add notes.txt
run "lbcheck skips a commit of notes.txt" 0 pre-commit try-repo "$REPO" lbcheck
expect "lbcheck reports Skipped" 'whole repository\)\.+\(no files to check\)Skipped'
git -C "$tmp/sample" commit -qm "notes"

echo "-- try-repo: the fix (keep-alive 600 s)"
keep_alive 600
git -C "$tmp/sample" add lb.krm.yaml
run "lbcheck passes the fix" 0 pre-commit try-repo "$REPO" lbcheck
expect "lbcheck reports Passed" 'whole repository\)\.+Passed'
# Why `lbcheck` passes no file names: given only the changed lb.krm.yaml, lbcheck
# cannot see the network and subnets in network.krm.yaml: it says it cannot verify
# them (LB022 and NET001 notes, which do not fail the commit) instead of checking.
run "lbcheck-files on a split stack passes, unable to check the other file" 0 pre-commit try-repo --verbose "$REPO" lbcheck-files
expect "lbcheck-files cannot verify the network file's resources (LB022 note)" 'note\[LB022\]: cannot verify'
reject "lbcheck-files: no warning for the network in the other file" 'warning\[LB022\]'
git -C "$tmp/sample" commit -qm "fix keep-alive" --no-verify

echo "-- .pre-commit-config.yaml, pre-commit install, git commit"
# A user's config names a repository and a rev: snapshot this repository's hook
# file (as it is in the working tree) into a git repository of its own.
git clone -q "$REPO" "$tmp/hooks"
cp .pre-commit-hooks.yaml "$tmp/hooks/"
git -C "$tmp/hooks" add .pre-commit-hooks.yaml
git -C "$tmp/hooks" diff --cached --quiet || git -C "$tmp/hooks" commit -qm "working tree's hooks"
cat >"$tmp/sample/.pre-commit-config.yaml" <<EOF
repos:
  - repo: $tmp/hooks
    rev: $(git -C "$tmp/hooks" rev-parse HEAD)
    hooks:
      - id: lbcheck
EOF
git -C "$tmp/sample" add .pre-commit-config.yaml
run "pre-commit install" 0 pre-commit install
run "git commit of the config passes the hook" 0 git commit -qm "pre-commit config"
keep_alive 610
git -C "$tmp/sample" add lb.krm.yaml
run "git commit of keep-alive 610 is refused" 1 git commit -qm "bad keep-alive again"
expect "the refusal names LB016" 'error\[LB016\]'
if [[ $(git -C "$tmp/sample" log -1 --format=%s) == "pre-commit config" ]]; then
  pass "the refused commit was not made"
else fail "the refused commit was made"; fi
keep_alive 600  # back to the committed file, plus a comment so there is something to commit
sed -i '1s/^/# reviewed\n/' "$tmp/sample/lb.krm.yaml"
git -C "$tmp/sample" add lb.krm.yaml
run "git commit of a good change passes" 0 git commit -qm "comment"

echo "test-precommit: $passes passed, $failures failed"
((failures == 0))
