#!/usr/bin/env bash
# lbcheck's benchmark (issue 9), from a clean checkout, in one command:
#
#   bench/run.sh            full run: a ~100 MB plan, 100,000 and 1,000,000 resources as KRM
#   bench/run.sh --quick    small run (a ~5 MB plan, 2,000 and 20,000 resources): minutes
#
# Installs what is missing (Debian packages: the build deps, hyperfine, libbenchmark-dev, time;
# @stoplight/spectral-cli from bench/package-lock.json into bench/node_modules), builds Release
# into build-bench/ with -DLBCHECK_BENCH=ON, generates the inputs into bench/data/ (git-ignored),
# measures, and prints a table. Raw figures (hyperfine JSON, /usr/bin/time -v, Google Benchmark,
# perf stat) are kept in bench/results/<date>/. Options:
#   --quick         the small sizes
#   --no-install    do not install anything
#   --no-spectral   skip the Spectral baseline
#   --no-micro      skip the Google Benchmark micro-benchmarks
#   --no-profile    skip `perf stat` on the large plan
#   --regen         regenerate bench/data even when it is there
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
BUILD=${LBCHECK_BENCH_BUILD:-$ROOT/build-bench}
QUICK=0 INSTALL=1 SPECTRAL=1 MICRO=1 PROFILE=1 REGEN=0
for a in "$@"; do
  case $a in
    --quick) QUICK=1 ;;
    --no-install) INSTALL=0 ;;
    --no-spectral) SPECTRAL=0 ;;
    --no-micro) MICRO=0 ;;
    --no-profile) PROFILE=0 ;;
    --regen) REGEN=1 ;;
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $a" >&2; exit 2 ;;
  esac
done

if ((QUICK)); then
  MODE=quick PLAN_MB=5 TREE_RES=2000 LIN_RES=20000 SMALL_STACKS=200 SPECTRAL_STACKS=100
  RUNS=3 LIN_RUNS=1 SMALL_RUNS=30
else
  MODE=full PLAN_MB=100 TREE_RES=100000 LIN_RES=1000000 SMALL_STACKS=2000 SPECTRAL_STACKS=1000
  RUNS=5 LIN_RUNS=3 SMALL_RUNS=100
fi

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

# ---------------------------------------------------------------------------- install
if ((INSTALL)); then
  log "dependencies"
  "$ROOT/scripts/deps.sh"
  missing=()
  for p in hyperfine libbenchmark-dev time python3 linux-perf; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then missing+=(nodejs npm); fi
  if ((${#missing[@]})); then
    SUDO=""
    [[ $(id -u) -ne 0 ]] && SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
  if ((SPECTRAL)) && [[ ! -x $BENCH/node_modules/.bin/spectral ]]; then
    (cd "$BENCH" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi

# ---------------------------------------------------------------------------- build
log "build (Release, LBCHECK_BENCH=ON) into $BUILD"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLBCHECK_BENCH=ON \
  -DLBCHECK_TESTS=OFF >/dev/null
# Other builds may share the machine: take the same lock as they do when there is one.
flock /tmp/lbcheck-build.lock ninja -C "$BUILD" lbcheck simdjson_walk nlohmann_parse \
  yamlcpp_parse lbcheck_micro >/dev/null
LBCHECK=$BUILD/lbcheck
TOOLS=$BUILD/bench

# ---------------------------------------------------------------------------- inputs
DATA=$BENCH/data/$MODE
gen() {  # gen NAME ARGS...: generate once (the MANIFEST marks a finished run)
  local dir=$DATA/$1
  shift
  if ((REGEN)) || [[ ! -f $dir/MANIFEST.json ]]; then
    rm -rf "$dir"
    python3 "$BENCH/gen.py" "$dir" "$@" >/dev/null
  fi
}
log "inputs into $DATA"
gen plan --plan-mb "$PLAN_MB" --format plan
gen plan-micro --stacks 50 --format plan,krm
gen tree --resources "$TREE_RES" --format krm
gen tree10 --resources "$LIN_RES" --format krm
gen small --stacks "$SMALL_STACKS" --format plans,gcloud
gen spectral --stacks "$SPECTRAL_STACKS" --format krm-split
SEED_PLAN=$ROOT/fixtures/plans/seed-clean.tfplan.json
SEED_KRM=$ROOT/fixtures/plans/seed-clean.krm.yaml

# ---------------------------------------------------------------------------- measure
RES=$BENCH/results/$(date -u +%Y%m%dT%H%M%SZ)-$MODE
mkdir -p "$RES"
HF=(hyperfine -N --ignore-failure --style none)

# time NAME RUNS CMD...: whole-process median with hyperfine
t() {
  local name=$1 runs=$2
  shift 2
  log "time $name: $*"
  local warmup=1
  ((runs > 1)) || warmup=0
  "${HF[@]}" --warmup "$warmup" --runs "$runs" --export-json "$RES/$name.json" "$*" >/dev/null
}
# mem NAME CMD...: peak resident memory with /usr/bin/time -v
m() {
  local name=$1
  shift
  log "memory $name"
  /usr/bin/time -v "$@" >/dev/null 2>"$RES/$name.time" || true
}

PLAN=$DATA/plan/plan.tfplan.json
t seed-plan "$SMALL_RUNS" "$LBCHECK" "$SEED_PLAN"
t seed-krm "$SMALL_RUNS" "$LBCHECK" "$SEED_KRM"
t plan-j1 "$RUNS" "$LBCHECK" -j1 "$PLAN"
t plan-simdjson "$RUNS" "$TOOLS/simdjson_walk" "$PLAN"
t plan-nlohmann "$RUNS" "$TOOLS/nlohmann_parse" "$PLAN"
t tree-j1 "$RUNS" "$LBCHECK" -j1 "$DATA/tree/krm"
t tree-j2 "$RUNS" "$LBCHECK" -j2 "$DATA/tree/krm"
t tree-yamlcpp "$RUNS" "$TOOLS/yamlcpp_parse" "$DATA/tree/krm"
# The same without the restart on glibc's huge-page heap (what it saves).
t tree-j1-4k "$RUNS" env LBCHECK_HUGE_PAGES=0 "$LBCHECK" -j1 "$DATA/tree/krm"
t tree-j2-4k "$RUNS" env LBCHECK_HUGE_PAGES=0 "$LBCHECK" -j2 "$DATA/tree/krm"
t plan-j1-4k "$RUNS" env LBCHECK_HUGE_PAGES=0 "$LBCHECK" -j1 "$PLAN"
t tree10-j1 "$LIN_RUNS" "$LBCHECK" -j1 "$DATA/tree10/krm"
t plans-j1 "$RUNS" "$LBCHECK" -j1 "$DATA/small/plans"
t plans-j2 "$RUNS" "$LBCHECK" -j2 "$DATA/small/plans"
t plans-simdjson "$RUNS" "$TOOLS/simdjson_walk" "$DATA/small/plans"
t gcloud-j1 "$RUNS" "$LBCHECK" -j1 "$DATA/small/gcloud"
t gcloud-j2 "$RUNS" "$LBCHECK" -j2 "$DATA/small/gcloud"
t spectral-lbcheck "$RUNS" "$LBCHECK" "$DATA/spectral/krm-split"
if ((SPECTRAL)); then
  # Spectral's own glob; it exits 1 when it finds something, as lbcheck does.
  t spectral 1 "$BENCH/node_modules/.bin/spectral" lint --quiet -r "$BENCH/spectral-ruleset.yaml" \
    "$DATA/spectral/krm-split/**/*.yaml"
fi
m plan-j1 "$LBCHECK" -j1 "$PLAN"
m plan-nlohmann "$TOOLS/nlohmann_parse" "$PLAN"
m tree-j1 "$LBCHECK" -j1 "$DATA/tree/krm"
m tree10-j1 "$LBCHECK" -j1 "$DATA/tree10/krm"
m tree10-j2 "$LBCHECK" -j2 "$DATA/tree10/krm"
# Where the time and the memory go, phase by phase (LBCHECK_PHASES=1), at -j1 and -j2.
for p in "plan:$PLAN" "tree:$DATA/tree/krm" "tree10:$DATA/tree10/krm"; do
  for j in 1 2; do
    [[ ${p%%:*} == tree10 && $j == 2 ]] && continue
    log "phases ${p%%:*} -j$j"
    LBCHECK_PHASES=1 "$LBCHECK" -j$j "${p#*:}" 2>"$RES/phases-${p%%:*}-j$j.txt" >/dev/null || true
  done
done
# What lbcheck found on the large inputs, against what the generator planted.
"$LBCHECK" -j2 -f json -o "$RES/plan-findings.json" "$PLAN" || true
"$LBCHECK" -j2 -f json -o "$RES/tree-findings.json" "$DATA/tree/krm" || true

if ((MICRO)); then
  log "micro-benchmarks (Google Benchmark)"
  LBCHECK_BENCH_PLAN=$DATA/plan-micro/plan.tfplan.json \
    LBCHECK_BENCH_KRM=$(find "$DATA/plan-micro/krm" -name '*.yaml' | sort | head -1) \
    "$TOOLS/lbcheck_micro" --benchmark_min_time=0.2 --benchmark_out="$RES/micro.json" \
    --benchmark_out_format=json >"$RES/micro.txt" 2>&1
fi
if ((PROFILE)) && command -v perf >/dev/null; then
  log "perf stat on the large plan (-j1)"
  perf stat -e task-clock,cycles,instructions,cache-misses,branch-misses,page-faults \
    -o "$RES/perf-stat.txt" "$LBCHECK" -j1 "$PLAN" >/dev/null 2>&1 || true
fi

# ---------------------------------------------------------------------------- report
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "mode: $MODE"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
} >"$RES/machine.txt"
python3 "$BENCH/report.py" "$RES" "$DATA" | tee "$RES/table.md"
echo "raw figures: $RES" >&2
