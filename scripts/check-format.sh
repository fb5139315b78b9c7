#!/usr/bin/env bash
# Fails when a C++ file is not clang-formatted (.clang-format at the top).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.h' 2>/dev/null || find engine parsers rules driver tests -name '*.cpp' -o -name '*.h')
clang-format --dry-run --Werror "${files[@]}"
echo "clang-format: ${#files[@]} files clean"
