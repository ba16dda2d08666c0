#!/usr/bin/env bash
# Installs the tools only `npm run bench` needs (not `npm test`, so not in install-tools.sh's
# pretest): the gRPC load generator ghz for the thesis case (bench/thesis.ts).
#
# Same cache and rules as scripts/install-tools.sh: built in
# ${POLYGLOT_TOOLS_CACHE:-$HOME/.cache/polyglot-tools}/.tmp-* and renamed into place when complete,
# keyed by version, serialised by a flock, build logs in the cache's logs/, and
# a symlink in <repo>/.tools/bin. Idempotent: a cached entry is only linked and checked.
set -euo pipefail

# ---- pinned versions --------------------------------------------------------------------------
GHZ_VERSION=v0.121.0   # github.com/bojand/ghz (go install …/cmd/ghz@version)
# ------------------------------------------------------------------------------------------------

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
CACHE="${POLYGLOT_TOOLS_CACHE:-$HOME/.cache/polyglot-tools}"
TOOLS="$REPO/.tools"
export GOTOOLCHAIN=local
export GOWORK=off

die() { printf 'install-bench-tools: ERROR: %s\n' "$*" >&2; exit 1; }
command -v go >/dev/null 2>&1 || die "'go' is not on PATH (ghz is built with go install)"
command -v flock >/dev/null 2>&1 || die "'flock' is not on PATH"

mkdir -p "$CACHE/logs" "$TOOLS/bin"
CACHE="$(cd "$CACHE" && pwd -P)"
export GOMODCACHE="$CACHE/go-mod" GOCACHE="$CACHE/go-build"   # as install-tools.sh: nothing in ~/go

# A lock of its own: this script only ever touches the ghz-* entries (and their .tmp-ghz-*), which
# install-tools.sh never does, so it need not wait behind a long install-tools run; two bench
# installs still never build the same entry at once.
exec 9>"$CACHE/.lock-bench-tools"
if ! flock -n 9; then
  echo "install-bench-tools: another install is running, waiting for it (up to 1h)…"
  flock -w 3600 9 || die "timed out waiting for the lock $CACHE/.lock"
fi

TMP=""
trap '[[ -n "$TMP" ]] && rm -rf "$TMP"' EXIT

entry="ghz-$GHZ_VERSION"
final="$CACHE/$entry"
if [[ -x "$final/bin/ghz" ]]; then
  echo "ghz $GHZ_VERSION: cached"
else
  started=$SECONDS
  printf 'ghz %s: building… ' "$GHZ_VERSION"
  rm -rf "$CACHE/.tmp-$entry-"* "$final"   # leftovers of an interrupted build (we hold the lock)
  TMP="$(mktemp -d "$CACHE/.tmp-$entry-XXXXXX")"
  log="$CACHE/logs/$entry.log"
  mkdir -p "$TMP/bin"
  if ! GOBIN="$TMP/bin" go install -trimpath -ldflags "-s -w -X main.version=${GHZ_VERSION#v}" "github.com/bojand/ghz/cmd/ghz@$GHZ_VERSION" >"$log" 2>&1; then
    echo "FAILED"
    tail -n 40 "$log" >&2
    die "ghz $GHZ_VERSION could not be built (log: $log)"
  fi
  mv -T "$TMP" "$final"
  TMP=""
  echo "done ($((SECONDS - started))s)"
fi

ln -sfn "$final/bin/ghz" "$TOOLS/bin/ghz.tmp.$$"
mv -Tf "$TOOLS/bin/ghz.tmp.$$" "$TOOLS/bin/ghz"
out="$("$TOOLS/bin/ghz" --version 2>&1)" || die "ghz: '$TOOLS/bin/ghz --version' failed: $out"
[[ "$out" == *"${GHZ_VERSION#v}"* ]] || die "ghz --version printed '$out', expected ${GHZ_VERSION#v}"
echo "ghz $out: ok"
