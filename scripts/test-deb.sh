#!/usr/bin/env bash
# `A && pass ... || fail ...` is safe here: pass and fail always succeed.
# shellcheck disable=SC2015
# Tests installation and the Debian package, from the build in ${BUILD_DIR:-build}
# (configured Release without tests when it does not exist yet):
#  1. the man page docs/lbcheck.1: no groff warnings (a broken copy must warn),
#     and every option of `lbcheck --help` is in it;
#  2. `cmake --install BUILD --prefix TMP`: bin/lbcheck, share/man/man1/lbcheck.1.gz,
#     share/doc/lbcheck/README.md and one doc per rule;
#  3. `cpack -G DEB`: the package's fields (Depends from dpkg-shlibdeps) and files;
#     `dpkg -i` (Depends must already be satisfied: no apt-get fallback), the
#     installed /usr/bin/lbcheck on examples/plan.json (exit 1, LB016), the
#     installed man page, then `dpkg -r lbcheck`.
# Needs root or sudo for dpkg. Refuses to run over an lbcheck installed by other means.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
scripts/deps.sh --only dpkg-dev groff-base gzip
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi

if [[ ! -f $BUILD_DIR/CMakeCache.txt ]]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLBCHECK_TESTS=OFF >/dev/null
fi
cmake --build "$BUILD_DIR" --target lbcheck lbcheck_man >/dev/null
VERSION=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$BUILD_DIR/CMakeCache.txt")

tmp=$(mktemp -d)
installed_by_us=0
cleanup() {
  if ((installed_by_us)); then $SUDO dpkg -r lbcheck >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
passes=0 failures=0
pass() { echo "ok   $*"; passes=$((passes + 1)); }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
# expect_run NAME WANT_STATUS REGEX CMD... : CMD's exit status and output.
expect_run() {
  local name=$1 want=$2 regex=$3 status=0 out
  shift 3
  out=$("$@" 2>&1) || status=$?
  if [[ $status -eq $want ]] && grep -Eq -- "$regex" <<<"$out"; then pass "$name"; else
    fail "$name: exit $status (expected $want), output matching /$regex/ expected:"
    printf '%s\n' "$out" | head -n 20 | sed 's/^/     | /'
  fi
}
# man_warnings FILE: groff's warnings for a man page (roff, or gzip-compressed).
# shellcheck disable=SC2069 # keep stderr (the warnings), drop stdout
man_warnings() { zcat -f "$1" | groff -man -ww -z 2>&1 >/dev/null; }

echo "-- man page docs/lbcheck.1"
w=$(man_warnings docs/lbcheck.1)
if [[ -z $w ]]; then pass "groff -man -ww: no warnings"; else fail "groff -man -ww warns:"; printf '%s\n' "$w" | sed 's/^/     | /'; fi
printf '.TH X 1\n.SH NAME\nx \\- y\n.XY undefined macro\n\\*(ZZ undefined string\n' >"$tmp/broken.1"
[[ -n $(man_warnings "$tmp/broken.1") ]] && pass "a broken page does warn" || fail "groff printed no warning for a broken page"
missing=()
for opt in $("$BUILD_DIR/lbcheck" --help | grep -oE -- '(^|[ ,])--[a-z][a-z-]+' | tr -d ' ,' | sort -u); do
  grep -qF -- "${opt//-/\\-}" docs/lbcheck.1 || missing+=("$opt")
done
for sub in rules explain url-mask; do grep -qF -- ".BR ${sub//-/\\-}" docs/lbcheck.1 || grep -qF -- ".BI ${sub//-/\\-}" docs/lbcheck.1 || missing+=("$sub"); done
((${#missing[@]} == 0)) && pass "every option and subcommand of lbcheck --help is in the page" ||
  fail "not in docs/lbcheck.1: ${missing[*]}"

echo "-- cmake --install $BUILD_DIR --prefix TMP"
prefix=$tmp/prefix
cmake --install "$BUILD_DIR" --prefix "$prefix" >/dev/null
expect_run "bin/lbcheck --version" 0 "^lbcheck $VERSION\$" "$prefix/bin/lbcheck" --version
gzip -t "$prefix/share/man/man1/lbcheck.1.gz" 2>/dev/null && pass "share/man/man1/lbcheck.1.gz" || fail "share/man/man1/lbcheck.1.gz missing or not gzip"
cmp -s <(zcat "$prefix/share/man/man1/lbcheck.1.gz") docs/lbcheck.1 && pass "the installed page is docs/lbcheck.1" || fail "the installed page differs from docs/lbcheck.1"
cmp -s "$prefix/share/doc/lbcheck/README.md" README.md && pass "share/doc/lbcheck/README.md" || fail "share/doc/lbcheck/README.md missing or different"
undocumented=()
ids=$("$prefix/bin/lbcheck" rules | grep -oE '^[A-Z]+[0-9]+' || true)
for id in $ids; do compgen -G "$prefix/share/doc/lbcheck/rules/$id-*.md" >/dev/null || undocumented+=("$id"); done
if [[ -n $ids && ${#undocumented[@]} -eq 0 ]]; then
  pass "share/doc/lbcheck/rules/: a doc for each of the $(wc -w <<<"$ids") rules"
else fail "share/doc/lbcheck/rules/: no doc for ${undocumented[*]:-any rule (lbcheck rules listed none)}"; fi
unexpected=$(cd "$prefix" && find . -type f | grep -vE '^\./(bin/lbcheck|share/man/man1/lbcheck\.1\.gz|share/doc/lbcheck/(README\.md|rules/[A-Z]+[0-9]+-[a-z0-9-]+\.md))$' || true)
[[ -z $unexpected ]] && pass "nothing else is installed" || fail "unexpected files installed: $unexpected"

echo "-- cpack -G DEB"
(cd "$BUILD_DIR" && cpack -G DEB -B "$tmp/deb" >"$tmp/cpack.log" 2>&1) || { cat "$tmp/cpack.log"; fail "cpack failed"; }
deb=$(compgen -G "$tmp/deb/lbcheck_${VERSION}_*.deb" || true)
if [[ -z $deb ]]; then
  fail "no lbcheck_${VERSION}_*.deb"
  echo "test-deb: $passes passed, $failures failed"
  exit 1
fi
pass "built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"
field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Package) == lbcheck && $(field Version) == "$VERSION" && $(field Section) == devel ]] &&
  pass "Package lbcheck, Version $VERSION, Section devel" || fail "fields: $(dpkg-deb -f "$deb" Package Version Section | tr '\n' ' ')"
[[ -n $(field Maintainer) && -n $(field Description) ]] && pass "Maintainer and Description set" || fail "Maintainer or Description empty"
depends=$(field Depends)
# re2, yaml-cpp, libstdc++ and libgcc are linked statically, simdjson only into
# the tests; Graphviz is loaded by the HTML report (dlopen), so Depends names it
# explicitly (dpkg-shlibdeps cannot see it).
for lib in libc6 libgvc6; do
  [[ $depends == *"$lib"* ]] && pass "Depends names $lib" || fail "Depends lacks $lib: $depends"
done
for lib in libyaml-cpp libre2 libstdc++6 libgcc-s1 libsimdjson; do
  [[ $depends != *"$lib"* ]] && pass "Depends does not need $lib" || fail "Depends names $lib: $depends"
done
contents=$(dpkg-deb -c "$deb" | awk '{print $NF}')
for f in ./usr/bin/lbcheck ./usr/share/man/man1/lbcheck.1.gz ./usr/share/doc/lbcheck/README.md; do
  grep -qxF "$f" <<<"$contents" && pass "the package holds $f" || fail "the package lacks $f"
done
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/bin/lbcheck >"$tmp/packaged-lbcheck"
if ! readelf -S "$tmp/packaged-lbcheck" >"$tmp/sections" 2>&1; then fail "readelf cannot read the packaged binary"
elif grep -qE '\.(symtab|debug_info)' "$tmp/sections"; then fail "the packaged binary is not stripped"
else pass "the packaged binary is stripped"; fi
# What the dynamic loader maps at start: the C library and the loader only (a
# small file's whole run is mostly start-up; bench/RESULTS.md, issue 16).
needed=$(readelf -d "$tmp/packaged-lbcheck" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ' | sed 's/ $//')
if grep -qvE '^(libc|libm|ld-linux[-a-z0-9_]*)\.so\.[0-9]+$' <<<"${needed// /$'\n'}"; then
  fail "the packaged binary needs more than the C library: $needed"
else
  pass "the packaged binary needs only the C library: $needed"
fi

echo "-- dpkg -i, the installed lbcheck, dpkg -r"
if dpkg-query -W -f='${Status}' lbcheck 2>/dev/null | grep -q "ok installed"; then
  echo "test-deb: the lbcheck package is already installed; remove it first (dpkg -r lbcheck)" >&2
  exit 1
fi
if [[ -e /usr/bin/lbcheck ]]; then
  echo "test-deb: /usr/bin/lbcheck exists and belongs to no package; the test will not overwrite it" >&2
  exit 1
fi
if $SUDO dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1; then
  installed_by_us=1
  pass "dpkg -i (its Depends are satisfied)"
else
  installed_by_us=1 # dpkg may have unpacked it: remove it on exit
  fail "dpkg -i failed:"
  sed 's/^/     | /' "$tmp/dpkg.log"
fi
if ((installed_by_us)) && [[ -x /usr/bin/lbcheck ]]; then
  expect_run "/usr/bin/lbcheck --version" 0 "^lbcheck $VERSION\$" /usr/bin/lbcheck --version
  expect_run "/usr/bin/lbcheck examples/plan.json: exit 1, LB016" 1 'error\[LB016\]' env NO_COLOR=1 /usr/bin/lbcheck examples/plan.json
  expect_run "/usr/bin/lbcheck explain NET001" 0 'NET001' /usr/bin/lbcheck explain NET001
  expect_run "/usr/bin/lbcheck -f html examples/plan.json: Graphviz draws the chain" 1 '<svg' /usr/bin/lbcheck -f html examples/plan.json
  if grep -rqsE '^path-exclude[= ]/usr/share/man' /etc/dpkg/dpkg.cfg.d; then
    echo "note /etc/dpkg/dpkg.cfg.d excludes man pages here: the installed page is not checked"
  else
    [[ -f /usr/share/man/man1/lbcheck.1.gz ]] && pass "/usr/share/man/man1/lbcheck.1.gz installed" || fail "/usr/share/man/man1/lbcheck.1.gz missing"
    w=$(man_warnings /usr/share/man/man1/lbcheck.1.gz)
    [[ -z $w ]] && pass "the installed page: no groff warnings" || fail "the installed page warns: $w"
    if command -v man >/dev/null; then
      expect_run "man -w lbcheck" 0 '^/usr/share/man/man1/lbcheck\.1\.gz$' man -w lbcheck
    fi
  fi
  [[ -f /usr/share/doc/lbcheck/rules/LB016-keep-alive-out-of-range.md ]] && pass "/usr/share/doc/lbcheck/rules/ installed" || fail "/usr/share/doc/lbcheck/rules/ missing"
else
  fail "/usr/bin/lbcheck is not installed"
fi
if ((installed_by_us)); then
  $SUDO dpkg -r lbcheck >"$tmp/dpkg.log" 2>&1 && installed_by_us=0 || { fail "dpkg -r lbcheck failed"; cat "$tmp/dpkg.log"; }
  if [[ ! -e /usr/bin/lbcheck ]] && ! dpkg-query -W -f='${Status}' lbcheck 2>/dev/null | grep -q "ok installed"; then
    pass "dpkg -r lbcheck removed it"
  else fail "lbcheck is still installed after dpkg -r"; fi
fi

echo "test-deb: $passes passed, $failures failed"
((failures == 0))
