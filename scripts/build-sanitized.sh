#!/usr/bin/env bash
# Builds TARGETs in build-fuzz/ with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer, every object instrumented for libFuzzer's
# coverage. The fuzz targets (scripts/fuzz.sh) and the sanitized run of the
# test suite (scripts/test.sh: target lbcheck_tests) share this one build, so
# CI compiles the project twice (gcc, clang), not three times.
#   scripts/build-sanitized.sh TARGET...
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang++ >/dev/null || ! dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null | grep -q "ok installed"; then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev >/dev/null
fi
tests=()
for t in "$@"; do [[ $t == lbcheck_tests ]] && tests=(-DLBCHECK_TESTS=ON); done
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DLBCHECK_FUZZ=ON "${tests[@]}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz --target "$@" >/dev/null
