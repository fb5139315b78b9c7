#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each one for
# SECONDS (default 30), seeded from fixtures/. Corpora and crash artifacts stay
# in build-fuzz/. Fails when a target finds a crash, a leak or a timeout.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-30}
shift || true
TARGETS=("$@")
if ((${#TARGETS[@]} == 0)); then TARGETS=(json yaml tfplan hcl urlmask pipeline script config fix lsp); fi
scripts/build-sanitized.sh $(printf '%s_fuzzer ' "${TARGETS[@]}")

# Seeds: the project's own fixtures (never ../shared), listed in a fixed order so
# that every clone numbers them alike (readdir order differs between clones, and
# with it the fixed-seed runs of CI mode).
files() { find "$@" | LC_ALL=C sort; }
seeds=build-fuzz/seeds
rm -rf "$seeds" && mkdir -p "$seeds"/{json,yaml,hcl,urlmask,pipeline,script,config,fix,lsp}
# One JSON seed per file name (the first in order): the pipeline target's fixed
# number of runs would go on a near-copy of each.
while IFS= read -r f; do
  [[ -e $seeds/json/${f##*/} ]] || cp "$f" "$seeds/json/"
done < <(files fixtures examples -name '*.json')
i=0
while IFS= read -r f; do cp "$f" "$seeds/yaml/$i.yaml"; i=$((i + 1)); done < <(files fixtures \( -name '*.yaml' -o -name '*.yml' \))
i=0
while IFS= read -r f; do cp "$f" "$seeds/hcl/$i.tf"; i=$((i + 1)); done < <(files fixtures examples -name '*.tf' -o -name '*.tfvars')
printf 'example.com/<service>\nhttps://example.com/login' >"$seeds/urlmask/1"
printf '<tag>.<service>.example.com\ntest.login.example.com/web' >"$seeds/urlmask/2"
printf '/home/<service>/<tag>\nhttps://x/home/a/b' >"$seeds/urlmask/3"
printf '<service>-dot-appname.appspot.com/<version>\n' >"$seeds/urlmask/4"
n=0
while IFS= read -r f; do { printf '\x00'; cat "$f"; } >"$seeds/script/$n"; n=$((n + 1)); done < <(files fixtures -name '*.sh')
while IFS= read -r f; do { printf '\x01'; cat "$f"; } >"$seeds/script/$n"; n=$((n + 1)); done < <(files fixtures -name '*.md' ! -name README.md)
n=0
while IFS= read -r f; do { printf '\x00'; cat "$f"; } >"$seeds/config/$n"; n=$((n + 1)); done < <(files fixtures/config -name '*.yaml')
while IFS= read -r f; do { printf '\x01'; cat "$f"; } >"$seeds/config/$n"; n=$((n + 1)); done < <(grep -rl 'lbcheck:ignore' fixtures tests/integration 2>/dev/null | LC_ALL=C sort || true)
printf '\x01# lbcheck:ignore LB016 -- reason until=2027-01-01\nkind: X\nname: y # lbcheck:ignore A1,B2 -- r\n' >"$seeds/config/$n"
n=0
for f in "$seeds"/json/*; do { printf '\x00'; cat "$f"; } >"$seeds/pipeline/$n"; n=$((n + 1)); done
for f in "$seeds"/yaml/*; do { printf '\x01'; cat "$f"; } >"$seeds/pipeline/$n"; n=$((n + 1)); done
# Terraform's JSON syntax: byte 4 names the input main.tf.json, byte 5 terraform.tfvars.json
# (the json target already has these files among its seeds).
while IFS= read -r f; do { printf '\x04'; cat "$f"; } >"$seeds/pipeline/$n"; n=$((n + 1)); done < <(files fixtures -name '*.tf.json')
while IFS= read -r f; do { printf '\x05'; cat "$f"; } >"$seeds/pipeline/$n"; n=$((n + 1)); done < <(files fixtures -name '*.tfvars.json')
# The language server: sessions that open a fixture, change it, hover and ask for code actions.
lsp_frame() { printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1"; }
n=0
while IFS= read -r f; do
  text=$(python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()))' "$f")
  uri="file:///tmp/lbcheck-lsp-fuzz-seed/$(basename "$f")"
  {
    lsp_frame '{"jsonrpc":"2.0","method":"initialized","params":{}}'
    lsp_frame '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"'"$uri"'","languageId":"yaml","version":1,"text":'"$text"'}}}'
    lsp_frame '{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{"textDocument":{"uri":"'"$uri"'"},"position":{"line":10,"character":4}}}'
    lsp_frame '{"jsonrpc":"2.0","id":2,"method":"textDocument/codeAction","params":{"textDocument":{"uri":"'"$uri"'"},"range":{"start":{"line":0,"character":0},"end":{"line":200,"character":0}},"context":{"diagnostics":[]}}}'
    lsp_frame '{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"'"$uri"'","version":2},"contentChanges":[{"text":"x: 1\n"}]}}'
    lsp_frame '{"jsonrpc":"2.0","id":3,"method":"shutdown"}'
    lsp_frame '{"jsonrpc":"2.0","method":"exit"}'
  } >"$seeds/lsp/$n"
  n=$((n + 1))
done < <(files fixtures/rules -name 'fail*.yaml' -size -8k | head -40)

# Fixes: byte 0 names the input main.tf, 1 a Config Connector file, 2 a script, 3 a runbook.
n=0
for pair in "0:*.tf" "1:*.krm.yaml" "2:*.sh" "3:*.md"; do
  while IFS= read -r f; do { printf "\\x0${pair%%:*}"; cat "$f"; } >"$seeds/fix/$n"; n=$((n + 1)); done \
    < <(files fixtures/rules -name "${pair#*:}" ! -name README.md)
done

# CI mode (LBCHECK_FUZZ_RUNS=1): a fixed seed, a fresh corpus and a fixed number of
# inputs per target, so a run gives the same verdict on every machine; SECONDS
# only caps the time. tfplan reads each plan three times (whole, in pieces, and
# through the rules), so it runs fewer inputs in the same time as before.
declare -A RUNS=([json]=40000 [yaml]=60000 [tfplan]=12000 [hcl]=40000 [urlmask]=400000
                 [pipeline]=800 [script]=6000 [config]=20000 [fix]=3000 [lsp]=2000)
# One target per core at a time (LBCHECK_FUZZ_JOBS, default nproc); each writes
# its summary to build-fuzz/<target>.summary, printed in the targets' order.
fuzz_one() {
  local t=$1 extra=() seed corpus
  if [[ ${LBCHECK_FUZZ_RUNS:-0} == 1 ]]; then
    rm -rf "build-fuzz/corpus/$t"
    extra=(-seed=1 -runs="${RUNS[$t]:-2000}")
  fi
  seed=$seeds/$t
  [[ $t == tfplan ]] && seed=$seeds/json
  corpus=build-fuzz/corpus/$t
  mkdir -p "$corpus" build-fuzz/artifacts
  echo "== $t: ${SECONDS_PER_TARGET}s"
  local ok=0
  if ! ./build-fuzz/${t}_fuzzer "${extra[@]}" -max_total_time="$SECONDS_PER_TARGET" -timeout=25 -rss_limit_mb=2048 \
      -max_len=262144 -print_final_stats=1 -artifact_prefix=build-fuzz/artifacts/${t}- \
      "$corpus" "$seed" >build-fuzz/$t.log 2>&1; then
    echo "$t: FAILED (see build-fuzz/$t.log and build-fuzz/artifacts/)"
    grep -E "ERROR|SUMMARY" build-fuzz/$t.log | head -5
    ok=1
  fi
  grep -E "^stat::number_of_executed_units|^Done" build-fuzz/$t.log | tr '\n' ' '
  echo "corpus: $(ls "$corpus" | wc -l) files"
  return $ok
}
parallel=${LBCHECK_FUZZ_JOBS:-$(nproc)}
for t in "${TARGETS[@]}"; do
  rm -f "build-fuzz/$t.status"
  while (($(jobs -rp | wc -l) >= parallel)); do wait -n || true; done
  {
    if fuzz_one "$t"; then s=0; else s=1; fi
    echo $s >"build-fuzz/$t.status"
  } >"build-fuzz/$t.summary" 2>&1 &
done
wait
status=0
for t in "${TARGETS[@]}"; do
  cat "build-fuzz/$t.summary"
  [[ $(cat "build-fuzz/$t.status" 2>/dev/null) == 0 ]] || status=1
done
exit $status
