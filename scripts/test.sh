#!/usr/bin/env bash
# Install what is missing, build with warnings as errors, run every test, then
# check formatting and validate real SARIF output (schema + GitHub's rules).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --test

echo "== build (warnings are errors)"
scripts/build.sh -DLBCHECK_WERROR=ON -DLBCHECK_TESTS=ON

echo "== unit, fixture and golden tests"
(cd build && ctest --output-on-failure -j2)

echo "== the whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer (clang)"
# The fuzzers' build (build-fuzz/): one sanitized build serves both.
scripts/build-sanitized.sh lbcheck_tests
# One process for the whole suite (ctest would start one per test case).
# tests/lsan.supp: fontconfig's caches (Graphviz's text layout for the HTML report).
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp build-fuzz/lbcheck_tests --gtest_brief=1

echo "== clang-format"
scripts/check-format.sh

echo "== include direction (engine/ <- parsers/, rules/ <- driver/)"
scripts/check-layers.sh

echo "== SARIF validation"
scripts/validate-sarif.sh

echo "== HCL differential: lbcheck's parser against HashiCorp's (npm @cdktf/hcl2json)"
scripts/hcl-differential.sh

# The integrations, each as a user meets it, with the lbcheck just built in build/
# (the Debian package too: cpack packs build/, no second build).
echo "== pre-commit hooks (the real pre-commit)"
scripts/test-precommit.sh
echo "== language server in Neovim"
scripts/test-lsp-neovim.sh
echo "== GitHub Action and workflows"
scripts/test-actions.sh
echo "== HTML report and Mermaid diagrams in headless Chromium (npm mermaid)"
scripts/test-browser.sh
echo "== cmake --install, man page, Debian package (dpkg -i, dpkg -r)"
scripts/test-deb.sh

echo "== fuzzing: every target, a fixed number of inputs from a fixed seed (clang, ASan + UBSan)"
LBCHECK_FUZZ_RUNS=1 scripts/fuzz.sh "${LBCHECK_FUZZ_SECONDS:-120}"
