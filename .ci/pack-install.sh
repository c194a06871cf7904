#!/usr/bin/env bash
# The package as a user gets it: `npm pack` (prepack builds) → `npm install -g` into an empty prefix (production
# dependencies only, so nothing from this checkout's node_modules) → the installed `ecsx`, run from outside the
# repository with a temp HOME: --version, --help, configure, up, compose service up, ps (local backend, then the aws
# backend against `ecsx engine serve`, which runs the bundled AWS SDK), compose service rm, down; and the message when
# better-sqlite3's addon is missing.
# Any mismatch fails loudly; the server is always stopped and the temp folder removed (trap).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK=$(mktemp -d -t ecsx-pack-XXXXXX)
SERVER_PID=""
cleanup() {
  local rc=$?
  [[ -n $SERVER_PID ]] && kill -TERM "$SERVER_PID" 2>/dev/null || true
  [[ $rc -ne 0 && -f $WORK/out.txt ]] && { echo "--- last output:"; cat "$WORK/out.txt"; }
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }

echo "== npm pack (prepack builds)"
npm pack --silent --pack-destination "$WORK" >/dev/null
TARBALL=$(ls "$WORK"/ecsx-*.tgz)
echo "   $(basename "$TARBALL"): $(du -k "$TARBALL" | cut -f1) KiB"

echo "== npm install -g --prefix <empty> $(basename "$TARBALL")"
start=$(date +%s)
npm install -g --prefix "$WORK/prefix" --allow-scripts=better-sqlite3 --no-audit --no-fund "$TARBALL" >"$WORK/out.txt" 2>&1 ||
  fail "npm install -g exited $?"
PKG="$WORK/prefix/lib/node_modules/ecsx"
count=$(cd "$PKG" && npm ls --all --parseable --omit=dev 2>/dev/null | tail -n +2 | wc -l)
echo "   installed in $(( $(date +%s) - start ))s: $(du -sm "$PKG" | cut -f1) MiB, $count packages (ecsx's dependencies)"
for bundled in @oclif/core yaml @aws-sdk/client-ecs diff; do
  [[ ! -e $PKG/node_modules/$bundled ]] || fail "$bundled is installed: it should be bundled in dist/, not a dependency"
done
[[ -e $PKG/node_modules/better-sqlite3 ]] || fail "better-sqlite3 was not installed"

export PATH="$WORK/prefix/bin:$PATH" HOME="$WORK/home" ECSX_HOME="$WORK/home/.ecsx" NO_COLOR=1 CI=true
for v in $(env | sed -n 's/^\(\(AWS\|ECS\|ECSX\|COMPOSE\)_[A-Z_]*\)=.*/\1/p'); do [[ $v == ECSX_HOME ]] || unset "$v"; done
mkdir -p "$HOME" "$WORK/project"
cd "$WORK/project"
cat >compose.yml <<'YAML'
services:
  web:
    image: nginx:1.27
    ports: ["80:80"]
    mem_limit: 256m
YAML

# run <expected exit code> <command…>: output in $WORK/out.txt
run() {
  local want=$1 got=0
  shift
  "$@" >"$WORK/out.txt" 2>&1 || got=$?
  [[ $got -eq $want ]] || fail "$* exited $got, expected $want"
}
expect() { grep -Eq -- "$1" "$WORK/out.txt" || fail "output does not match /$1/"; }

[[ $(command -v ecsx) == "$WORK/prefix/bin/ecsx" ]] || fail "ecsx on PATH is $(command -v ecsx)"
run 0 ecsx --version && expect "^ecsx/[0-9.]+ (linux|darwin|wsl|win32)-[a-z0-9]+ node-v[0-9.]+$"
run 0 ecsx --help && expect "^COMMANDS" && expect "compose +Manage a Compose project"
run 0 ecsx configure --cluster demo --region us-east-1 --config-name demo && expect "Saved cluster configuration demo"
run 0 ecsx up --size 2 && expect "Cluster creation succeeded"
run 0 ecsx compose service up --timeout 2 && expect "reached a stable state"
run 0 ecsx ps && expect "^demo/[0-9a-f]{32}/web +RUNNING +0\.0\.0\.0:80->80/tcp +project:1"
run 2 ecsx ps --no-such-flag && expect "Nonexistent flag: --no-such-flag"

echo "== the aws backend (bundled AWS SDK) against ecsx engine serve"
ecsx engine serve --port 0 >"$WORK/serve.txt" 2>&1 &
SERVER_PID=$!
URL=""
for _ in $(seq 1 200); do
  URL=$(sed -n 's/^Listening on \(http:\/\/[^ ]*\)$/\1/p' "$WORK/serve.txt" | head -1 || true)
  [[ -n $URL ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || fail "engine serve exited: $(cat "$WORK/serve.txt")"
  sleep 0.1
done
[[ -n $URL ]] || fail "engine serve did not listen within 20 s"
export AWS_ACCESS_KEY_ID=AKIDECSXPACKTEST01 AWS_SECRET_ACCESS_KEY=pack-test-secret
run 0 ecsx ps --backend aws --endpoint-url "$URL" --region us-east-1 --cluster demo
expect "^demo/[0-9a-f]{32}/web +RUNNING"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

run 0 ecsx compose service rm && expect "Service project is INACTIVE"
run 0 ecsx down --force && expect "Deleted cluster demo"

echo "== without better-sqlite3's addon (an install whose scripts did not run), the error says what to do"
ADDON="$PKG/node_modules/better-sqlite3/build/Release/better_sqlite3.node"
mv "$ADDON" "$WORK/addon.node"
run 1 ecsx ps && expect "native addon was not built" && expect "--allow-scripts=better-sqlite3"
mv "$WORK/addon.node" "$ADDON"
run 0 ecsx --version
echo "== pack → install → run: ok (outside $ROOT, only the installed package)"
