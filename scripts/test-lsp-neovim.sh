#!/usr/bin/env bash
# Tests `lbcheck lsp` with a real client: headless Neovim (0.7 or later, its
# built-in LSP client, no plugin) opens a copy of
# fixtures/rules/LB014/fail-no-internal-piece.krm.yaml, waits for the LB014
# diagnostic, asks for code actions, applies the quick fix that sets the
# backend service's scheme to EXTERNAL_MANAGED, and waits for LB014 to go.
# lbcheck: LBCHECK, default build/lbcheck. Exit status 0 on success.
set -euo pipefail
cd "$(dirname "$0")/.."
LBCHECK=$(realpath "${LBCHECK:-build/lbcheck}")
[[ -x $LBCHECK ]] || { echo "test-lsp-neovim: $LBCHECK is not built (scripts/build.sh)" >&2; exit 1; }
scripts/deps.sh --only neovim

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/workspace"
cp fixtures/rules/LB014/fail-no-internal-piece.krm.yaml "$tmp/workspace/lb.yaml"

cat > "$tmp/test.lua" <<'LUA'
local bin, file = os.getenv('LBCHECK'), os.getenv('LSP_FILE')
local function finish(ok, message)
  io.stderr:write((ok and 'ok   ' or 'FAIL ') .. message .. '\n')
  vim.cmd(ok and 'qall!' or 'cquit! 1')
end

local function main()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({
    name = 'lbcheck',
    cmd = { bin, 'lsp' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
    flags = { debounce_text_changes = 0 },
  })
  if not id then return finish(false, 'the client did not start') end
  vim.lsp.buf_attach_client(buf, id)

  -- The diagnostics of `rule` in the buffer (Neovim 0.7 keeps the LSP code in user_data).
  local function diagnostics(rule)
    local found = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      if code == rule then table.insert(found, d) end
    end
    return found
  end

  if not vim.wait(30000, function() return #diagnostics('LB014') > 0 end, 50) then
    return finish(false, 'no LB014 diagnostic within 30 s')
  end
  local diagnostic = diagnostics('LB014')[1]
  io.stderr:write('ok   LB014 published at line ' .. (diagnostic.lnum + 1) .. '\n')

  local client = vim.lsp.get_client_by_id(id)
  local response = client.request_sync('textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = {
      start = { line = diagnostic.lnum, character = 0 },
      ['end'] = { line = diagnostic.end_lnum, character = diagnostic.end_col },
    },
    context = { diagnostics = {} },
  }, 10000, buf)
  if not response or response.err then
    return finish(false, 'codeAction failed: ' .. vim.inspect(response))
  end
  local fix
  for _, action in ipairs(response.result or {}) do
    if action.kind == 'quickfix' and action.edit and action.title:find('EXTERNAL_MANAGED', 1, true) then
      fix = action
    end
  end
  if not fix then return finish(false, 'no quick fix: ' .. vim.inspect(response.result)) end
  io.stderr:write('ok   quick fix offered: ' .. fix.title .. '\n')
  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding or 'utf-16')
  local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
  if not text:find('loadBalancingScheme: EXTERNAL_MANAGED', 1, true) then
    return finish(false, 'the edit did not land:\n' .. text)
  end
  if not vim.wait(30000, function() return #diagnostics('LB014') == 0 end, 50) then
    return finish(false, 'LB014 still published after the fix')
  end
  vim.lsp.stop_client(id)
  vim.wait(5000, function() return vim.lsp.get_client_by_id(id) == nil end, 50)
  finish(true, 'LB014 gone after the quick fix')
end

local ok, err = pcall(main)
if not ok then finish(false, 'error: ' .. tostring(err)) end
LUA

LBCHECK=$LBCHECK LSP_FILE="$tmp/workspace/lb.yaml" \
  timeout 120 nvim --headless --clean -n -c "luafile $tmp/test.lua"
echo "ok   language server in Neovim"
