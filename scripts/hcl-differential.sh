#!/usr/bin/env bash
# The HCL differential test: lbcheck's HCL parser against HashiCorp's own
# (hclsyntax compiled to WebAssembly, npm @cdktf/hcl2json) over every .tf and
# .tfvars file of the fixtures, the examples and the fuzz regressions. Both must
# accept or both reject each file; when both accept it, they must see the same
# blocks with the same labels and the same attribute names. Needs node and npm
# (scripts/deps.sh --test) and build/lbcheck_hcl_outline (built with the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
OUTLINE=$(realpath "${LBCHECK_HCL_OUTLINE:-build/lbcheck_hcl_outline}")
TOOLS=tools/hcl2json
if [[ ! -f $TOOLS/node_modules/@cdktf/hcl2json/package.json ]]; then
  (cd $TOOLS && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
mapfile -t files < <(find fixtures examples tests/fuzz -type f \( -name '*.tf' -o -name '*.tofu' -o -name '*.tfvars' \) | sort)
if ((${#files[@]} == 0)); then
  echo "hcl differential: no .tf file found" >&2
  exit 1
fi
node $TOOLS/compare.js "$OUTLINE" "${files[@]}"
