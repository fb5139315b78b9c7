#!/usr/bin/env bash
# Quick start: install what is missing, build, run lbcheck on the bundled example.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh -DLBCHECK_TESTS=OFF
set +e
./build/lbcheck examples/plan.json
status=$?
set -e
if [[ $status -eq 1 ]]; then
  echo "(exit status 1: the example has findings at warning or above, as intended)"
  exit 0
fi
exit $status
