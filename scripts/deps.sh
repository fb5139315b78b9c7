#!/usr/bin/env bash
# Installs the Debian packages lbcheck needs to build and test (idempotent:
# apt-get runs only when something is missing). Run as root or with sudo.
#   scripts/deps.sh            what the build needs
#   scripts/deps.sh --test     and what the tests need
#   scripts/deps.sh --only P…  just the packages P… (the integration tests' own)
set -euo pipefail

BUILD_PKGS=(build-essential cmake ninja-build pkg-config
  libsimdjson-dev libyaml-cpp-dev libre2-dev nlohmann-json3-dev libcli11-dev
  libgraphviz-dev)  # the HTML report's layout (libgvc)
# libxml2-utils: xmllint checks that the JUnit report is well-formed XML.
TEST_PKGS=(googletest libgtest-dev libgmock-dev libbenchmark-dev clang-format
  python3 python3-jsonschema libxml2-utils
  git pre-commit python3-yaml   # scripts/test-precommit.sh, scripts/test-actions.sh
  dpkg-dev groff-base           # scripts/test-deb.sh: dpkg-shlibdeps, groff -man -ww
  graphviz                      # tests/diagram_test.cpp: `dot` lays out `lbcheck graph --format dot`
  chromium                      # scripts/test-browser.sh: the HTML report and Mermaid diagrams
  neovim)                       # scripts/test-lsp-neovim.sh: `lbcheck lsp` in a real client

want=("${BUILD_PKGS[@]}")
if [[ "${1:-}" == "--only" ]]; then
  shift
  want=("$@")
elif [[ "${1:-}" == "--test" ]]; then
  want+=("${TEST_PKGS[@]}")
  # Node.js and npm (for the SARIF multitool) may come from another source than
  # Debian's packages: install Debian's only when the commands are missing.
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then want+=(nodejs npm); fi
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "lbcheck: installing ${missing[*]}" >&2
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
