#!/usr/bin/env bash
# Builds tools/psa-check (the Pod Security Admission checker) and links it as .tools/bin/psa-check.
#
# Cache, outside the repo (survives fresh clones on the same machine):
#   ${POLYGLOT_TOOLS_CACHE:-$HOME/.cache/polyglot-tools}/psa-check-<key>/psa-check
# where <key> is the first 12 hex digits of sha256(go.mod + go.sum + main.go): editing the tool or
# its pinned dependencies builds a new entry, anything else reuses the cached binary.
# Inside the repo (git-ignored): .tools/bin/psa-check, a symlink into the cache, recreated on
# every run (cheap: no Go invocation when the entry exists).
#
# The binary is built to a temporary name inside its entry, smoke-tested, then renamed into
# place, so an interrupted build is never mistaken for a finished one. A flock on
# <cache>/psa-check.lock serialises concurrent builds. (Not <cache>/.lock: install-tools.sh holds
# that one while it calls this script.)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
SRC="$REPO/tools/psa-check"
CACHE="${POLYGLOT_TOOLS_CACHE:-$HOME/.cache/polyglot-tools}"
LINK="$REPO/.tools/bin/psa-check"

export GOTOOLCHAIN=local
export GOWORK=off

die() { printf 'install-psa-check: ERROR: %s\n' "$*" >&2; exit 1; }

for cmd in sha256sum flock; do
  command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' is not on PATH"
done
for f in go.mod go.sum main.go; do
  [[ -f "$SRC/$f" ]] || die "missing $SRC/$f"
done

key="$(cat "$SRC/go.mod" "$SRC/go.sum" "$SRC/main.go" | sha256sum | cut -c1-12)"
mkdir -p "$CACHE" "$(dirname "$LINK")"
CACHE="$(cd "$CACHE" && pwd -P)"
ENTRY="$CACHE/psa-check-$key"
BIN="$ENTRY/psa-check"

# link: atomic replacement of the repo's symlink
link() {
  ln -sfn "$BIN" "$LINK.tmp.$$"
  mv -Tf "$LINK.tmp.$$" "$LINK"
}

# Fast path: the binary only ever appears by rename, so if it is there it is complete.
if [[ -x "$BIN" ]]; then
  link
  printf 'psa-check %s: cached\n' "$key"
  exit 0
fi

command -v go >/dev/null 2>&1 || die "'go' is not on PATH (needed to build psa-check)"

exec 8>"$CACHE/psa-check.lock"
if ! flock -n 8; then
  printf 'install-psa-check: another build is running, waiting for it…\n'
  flock -w 3600 8 || die "timed out waiting for the lock $CACHE/psa-check.lock"
fi

# Someone else may have finished the same build while we waited.
if [[ -x "$BIN" ]]; then
  link
  printf 'psa-check %s: cached\n' "$key"
  exit 0
fi

mkdir -p "$ENTRY" "$CACHE/logs"
rm -f "$ENTRY"/.psa-check.tmp.*   # leftovers of interrupted builds (we hold the lock)
TMP="$ENTRY/.psa-check.tmp.$$"
LOG="$CACHE/logs/psa-check-$key.log"
on_exit() {
  local rc=$?
  rm -f "$TMP"
  if [[ $rc -ne 0 ]]; then
    printf '\ninstall-psa-check: ERROR: building psa-check failed (exit %s).\n' "$rc" >&2
    if [[ -s "$LOG" ]]; then
      printf -- '--- last lines of %s ---\n' "$LOG" >&2
      tail -n 40 "$LOG" >&2 || true
    fi
  fi
  exit "$rc"
}
trap on_exit EXIT

started=$SECONDS
printf 'psa-check %s: building… ' "$key"
# -mod=readonly: go.mod/go.sum are committed and must be complete; never rewrite them here.
(cd "$SRC" && go build -mod=readonly -trimpath -buildvcs=false -ldflags='-s -w' -o "$TMP" .) >"$LOG" 2>&1
# Smoke test before it lands in the cache: a hardened pod must pass, and exactly once.
smoke='{"apiVersion":"v1","kind":"Pod","metadata":{"name":"smoke"},"spec":{"securityContext":{"runAsNonRoot":true,"seccompProfile":{"type":"RuntimeDefault"}},"containers":[{"name":"c","image":"x","securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}}]}}'
out="$(printf '%s\n' "$smoke" | "$TMP" - 2>&1)" || { printf '%s\n' "$out" >>"$LOG"; false; }
[[ "$out" == *"psa-check: 1 workloads checked, 0 violations"* ]] \
  || { printf 'smoke test printed: %s\n' "$out" >>"$LOG"; false; }
mv -f "$TMP" "$BIN"
link
printf 'done (%ss)\n' "$((SECONDS - started))"
