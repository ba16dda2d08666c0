#!/usr/bin/env bash
# Installs every external tool the test suite needs (run by `npm run tools` and `npm test`'s pretest).
#
# Real cache, outside the repo (survives fresh clones on the same machine):
#   ${POLYGLOT_TOOLS_CACHE:-$HOME/.cache/polyglot-tools}/<tool>-<version>/...
# Inside the repo (git-ignored): .tools/bin/<tool> and .tools/schemas/<set> are symlinks into it.
#
# A cache entry is built in <cache>/.tmp-* and renamed into place only when complete, so an
# interrupted build is never mistaken for a finished one. One flock serialises concurrent runs.
# Every tool is required: anything that cannot be installed stops the script with a non-zero exit.
set -euo pipefail

# ---- pinned versions: the only place to bump them ---------------------------------------------
NATS_SERVER_VERSION=v2.11.17          # github.com/nats-io/nats-server/v2 (latest v2.11 patch)
KUBECONFORM_VERSION=v0.7.0            # github.com/yannh/kubeconform
KUBE_LINTER_VERSION=v0.8.3            # golang.stackrox.io/kube-linter (fetched as github.com/stackrox/kube-linter)
OTELCOL_VERSION=v0.159.0              # go.opentelemetry.io/collector/cmd/builder; components in tools/otelcol-builder.yaml
K8S_SCHEMAS_PYPI_VERSION=1.30.0       # PyPI kubernetes-validate (bundles v1.20.0 … v1.30.0 JSON schemas)
K8S_SCHEMAS_K8S_VERSION=v1.30.0       # the schema set taken from that wheel (strict variant); = DEFAULT_KUBERNETES_VERSION in constructs/core/kubernetes-version.ts
BUF_MIN_VERSION=1.74.0                # npm dependency @bufbuild/buf (pinned: the newest with every platform package on the registry); only checked here
# ------------------------------------------------------------------------------------------------

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
CACHE="${POLYGLOT_TOOLS_CACHE:-$HOME/.cache/polyglot-tools}"
TOOLS="$REPO/.tools"
OTELCOL_MANIFEST="$REPO/tools/otelcol-builder.yaml"
NACK_CRDS="$REPO/test/fixtures/crds/nack-crds.yaml"
CRD_CONVERTER="$REPO/scripts/crd-to-jsonschema.mjs"

export GOTOOLCHAIN=local
export GOWORK=off

die() { printf 'install-tools: ERROR: %s\n' "$*" >&2; exit 1; }
say() { printf '%s\n' "$*"; }

# ---- prerequisites ---------------------------------------------------------------------------
for cmd in go python3 node flock sha256sum; do
  command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' is not on PATH (needed to install the test tools)"
done
# kubectl (client only) renders the output's kustomization offline in the tests; it ships with
# this machine kind's image, and no registry here serves it.
command -v kubectl >/dev/null 2>&1 || die "'kubectl' is not on PATH (the tests run \`kubectl kustomize\` on the output)"

go_version="$(go env GOVERSION)"   # e.g. go1.26.8
go_minor="${go_version#go1.}"; go_minor="${go_minor%%.*}"
[[ "$go_minor" =~ ^[0-9]+$ && "$go_minor" -ge 26 ]] \
  || die "Go >= 1.26 is required (found $go_version; GOTOOLCHAIN=local, no toolchain download)"

mkdir -p "$CACHE/logs" "$TOOLS/bin" "$TOOLS/schemas"
CACHE="$(cd "$CACHE" && pwd -P)"
# Every Go build shares one module and build cache inside the tools cache (not ~/go and
# ~/.cache/go-build): nothing lands in HOME outside it, and the builds reuse each other's work.
export GOMODCACHE="$CACHE/go-mod" GOCACHE="$CACHE/go-build"

# ---- lock ------------------------------------------------------------------------------------
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
  say "install-tools: another install is running, waiting for it (up to 1h)…"
  flock -w 3600 9 || die "timed out waiting for the lock $CACHE/.lock"
fi

# ---- helpers ---------------------------------------------------------------------------------
# fd 4 = the script's own stderr: the EXIT trap may fire while a build's output is redirected.
exec 4>&2
CURRENT_TMP=""
CURRENT_LABEL=""
CURRENT_LOG=""
on_exit() {
  local rc=$?
  if [[ $rc -ne 0 && -n "$CURRENT_LABEL" ]]; then
    printf 'FAILED\ninstall-tools: ERROR: %s could not be installed (exit %s).\n' "$CURRENT_LABEL" "$rc" >&4
    if [[ -n "$CURRENT_LOG" && -s "$CURRENT_LOG" ]]; then
      printf -- '--- last lines of %s ---\n' "$CURRENT_LOG" >&4
      tail -n 40 "$CURRENT_LOG" >&4 || true
      printf -- '--- end of log ---\n' >&4
    fi
  fi
  [[ -n "$CURRENT_TMP" ]] && rm -rf "$CURRENT_TMP"
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ensure_entry <label> <cache-entry-name> <file-inside-entry> <build-function>
# Builds <cache>/<entry> with `<build-function> <tmpdir>` unless it is already there (the entry
# only ever appears by rename; <file-inside-entry> must exist in it, else it is rebuilt).
ensure_entry() {
  local label=$1 entry=$2 product=$3 build=$4
  local final="$CACHE/$entry"
  if [[ -e "$final/$product" ]]; then
    say "$label: cached"
    return 0
  fi
  local started=$SECONDS
  printf '%s: building… ' "$label"
  rm -rf "$CACHE/.tmp-$entry-"*   # leftovers of an interrupted build of this entry (we hold the lock)
  rm -rf "$final"                 # a damaged entry (its product is missing)
  CURRENT_LABEL="$label"
  CURRENT_LOG="$CACHE/logs/$entry.log"
  CURRENT_TMP="$(mktemp -d "$CACHE/.tmp-$entry-XXXXXX")"
  # Not inside `if`/`||`: a failing command must trip `set -e` (and the EXIT trap reports it).
  "$build" "$CURRENT_TMP" >"$CURRENT_LOG" 2>&1
  mv -T "$CURRENT_TMP" "$final"
  CURRENT_TMP=""
  CURRENT_LABEL=""
  say "done ($((SECONDS - started))s)"
}

# link <target> <link>: atomic symlink replacement
link() {
  [[ -e "$1" ]] || die "expected $1 to exist after install"
  ln -sfn "$1" "$2.tmp.$$"
  mv -Tf "$2.tmp.$$" "$2"
}

# check_runs <label> <expect-substring> <command…>: the binary must run and report its version
check_runs() {
  local label=$1 expect=$2; shift 2
  local out
  out="$("$@" 2>&1)" || die "$label: '$*' failed: $out"
  [[ "$out" == *"$expect"* ]] || die "$label: '$*' printed '$out', expected it to contain '$expect'"
}

go_install() { # go_install <tmp> <package@version>
  mkdir -p "$1/bin"
  GOBIN="$1/bin" go install -trimpath "$2"
}

# ---- 1. nats-server --------------------------------------------------------------------------
build_nats_server() { go_install "$1" "github.com/nats-io/nats-server/v2@$NATS_SERVER_VERSION"; }
ensure_entry "nats-server $NATS_SERVER_VERSION" "nats-server-$NATS_SERVER_VERSION" bin/nats-server build_nats_server
link "$CACHE/nats-server-$NATS_SERVER_VERSION/bin/nats-server" "$TOOLS/bin/nats-server"
check_runs nats-server "${NATS_SERVER_VERSION}" "$TOOLS/bin/nats-server" --version

# ---- 2. kubeconform --------------------------------------------------------------------------
build_kubeconform() { go_install "$1" "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION"; }
ensure_entry "kubeconform $KUBECONFORM_VERSION" "kubeconform-$KUBECONFORM_VERSION" bin/kubeconform build_kubeconform
link "$CACHE/kubeconform-$KUBECONFORM_VERSION/bin/kubeconform" "$TOOLS/bin/kubeconform"
check_runs kubeconform "" "$TOOLS/bin/kubeconform" -v

# ---- 3. Kubernetes JSON schemas (strict) from the kubernetes-validate wheel ------------------
build_k8s_schemas() {
  local tmp=$1
  python3 -m pip download --quiet --no-deps --only-binary=:all: \
    "kubernetes-validate==$K8S_SCHEMAS_PYPI_VERSION" -d "$tmp/wheel"
  local wheels=("$tmp"/wheel/kubernetes_validate-"$K8S_SCHEMAS_PYPI_VERSION"-*.whl)
  [[ -f "${wheels[0]}" ]] || { echo "no kubernetes_validate wheel downloaded"; return 1; }
  # Extract only <version>-local-strict (no unzip needed, no pip install).
  python3 - "${wheels[0]}" "$tmp" "$K8S_SCHEMAS_K8S_VERSION-local-strict" <<'PY'
import json, sys, zipfile, pathlib
wheel, out, wanted = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3]
prefix = "kubernetes_validate/kubernetes-json-schema/"
n = 0
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith(prefix + wanted + "/") and not name.endswith("/"):
            dest = out / "kubernetes-json-schema" / name[len(prefix):]
            dest.parent.mkdir(parents=True, exist_ok=True)
            # From 1.29 on the wheel's schemas carry an https://kubernetes.io/api/... $id and refer
            # to "/api/_definitions.json", which resolves to the web (unreachable here, and not a
            # schema file). Drop the $id and make the reference relative to the file beside it.
            doc = json.loads(z.read(name))
            doc.pop("$id", None)
            dest.write_text(json.dumps(doc).replace('"/api/_definitions.json#', '"_definitions.json#'))
            n += 1
if n == 0:
    sys.exit(f"{wheel} has no {prefix}{wanted}/ schemas")
print(f"extracted {n} schema files")
PY
  rm -rf "$tmp/wheel"
  [[ -f "$tmp/kubernetes-json-schema/$K8S_SCHEMAS_K8S_VERSION-local-strict/deployment-apps-v1.json" ]]
}
ensure_entry "kubernetes schemas $K8S_SCHEMAS_K8S_VERSION (kubernetes-validate $K8S_SCHEMAS_PYPI_VERSION)" \
  "kubernetes-validate-$K8S_SCHEMAS_PYPI_VERSION-$K8S_SCHEMAS_K8S_VERSION-localrefs" \
  "kubernetes-json-schema/$K8S_SCHEMAS_K8S_VERSION-local-strict/deployment-apps-v1.json" build_k8s_schemas
link "$CACHE/kubernetes-validate-$K8S_SCHEMAS_PYPI_VERSION-$K8S_SCHEMAS_K8S_VERSION-localrefs/kubernetes-json-schema" \
  "$TOOLS/schemas/kubernetes"

# ---- 4. NACK CRD schemas (generated from the CRDs kept in the repo) --------------------------
[[ -f "$NACK_CRDS" ]] || die "missing $NACK_CRDS"
crd_key="$(cat "$NACK_CRDS" "$CRD_CONVERTER" | sha256sum | cut -c1-12)"
build_crd_schemas() { node "$CRD_CONVERTER" "$NACK_CRDS" "$1/schemas"; }
ensure_entry "nack CRD schemas ($crd_key)" "nack-crd-schemas-$crd_key" schemas/jetstream.nats.io/stream_v1beta2.json build_crd_schemas
link "$CACHE/nack-crd-schemas-$crd_key/schemas" "$TOOLS/schemas/crds"
[[ -f "$TOOLS/schemas/crds/jetstream.nats.io/stream_v1beta2.json" ]] || die "nack CRD schemas: stream_v1beta2.json missing"

# ---- 5. kube-linter --------------------------------------------------------------------------
# `go install golang.stackrox.io/kube-linter/cmd/kube-linter@…` needs the vanity host
# golang.stackrox.io, which the module proxy used here refuses (403). The same code is on the
# proxy as github.com/stackrox/kube-linter, so build it from a throw-away wrapper module that
# replaces the vanity path with it.
build_kube_linter() {
  local tmp=$1
  mkdir -p "$tmp/src" "$tmp/bin"
  cat >"$tmp/src/go.mod" <<EOF
module polyglot.local/kube-linter-build

go 1.26

require golang.stackrox.io/kube-linter $KUBE_LINTER_VERSION

replace golang.stackrox.io/kube-linter => github.com/stackrox/kube-linter $KUBE_LINTER_VERSION
EOF
  (cd "$tmp/src" && go build -mod=mod -trimpath \
    -ldflags "-s -w -X golang.stackrox.io/kube-linter/internal/version.version=$KUBE_LINTER_VERSION" \
    -o "$tmp/bin/kube-linter" golang.stackrox.io/kube-linter/cmd/kube-linter)
}
ensure_entry "kube-linter $KUBE_LINTER_VERSION" "kube-linter-$KUBE_LINTER_VERSION" bin/kube-linter build_kube_linter
link "$CACHE/kube-linter-$KUBE_LINTER_VERSION/bin/kube-linter" "$TOOLS/bin/kube-linter"
check_runs kube-linter "$KUBE_LINTER_VERSION" "$TOOLS/bin/kube-linter" version

# ---- 6. OpenTelemetry Collector (ocb build from tools/otelcol-builder.yaml) -------------------
[[ -f "$OTELCOL_MANIFEST" ]] || die "missing $OTELCOL_MANIFEST"
otel_key="$OTELCOL_VERSION-$(sha256sum "$OTELCOL_MANIFEST" | cut -c1-12)"
build_otelcol() {
  local tmp=$1
  go_install "$tmp" "go.opentelemetry.io/collector/cmd/builder@$OTELCOL_VERSION"
  mkdir -p "$tmp/work" "$tmp/tmp"
  # output_path in the manifest is relative: the sources and binary land in $tmp/work.
  # TMPDIR: the builder always creates (and leaves) an empty default output folder there.
  (cd "$tmp/work" && TMPDIR="$tmp/tmp" "$tmp/bin/builder" --config="$OTELCOL_MANIFEST" --skip-strict-versioning=false)
  mv "$tmp/work/otelcol-polyglot-src/otelcol-polyglot" "$tmp/bin/otelcol-polyglot"
  rm -rf "$tmp/work" "$tmp/tmp"
}
ensure_entry "otelcol-polyglot $OTELCOL_VERSION" "otelcol-polyglot-$otel_key" bin/otelcol-polyglot build_otelcol
link "$CACHE/otelcol-polyglot-$otel_key/bin/otelcol-polyglot" "$TOOLS/bin/otelcol-polyglot"
check_runs otelcol-polyglot "${OTELCOL_VERSION#v}" "$TOOLS/bin/otelcol-polyglot" --version

# ---- 7. buf (npm dependency) --------------------------------------------------------------
buf="$REPO/node_modules/.bin/buf"
[[ -x "$buf" ]] || die "buf: $buf not found; run 'npm ci' first (@bufbuild/buf is a dependency)"
buf_version="$("$buf" --version 2>&1)" || die "buf: '$buf --version' failed: $buf_version"
[[ "$(printf '%s\n%s\n' "$BUF_MIN_VERSION" "$buf_version" | sort -V | head -n1)" == "$BUF_MIN_VERSION" ]] \
  || die "buf: found $buf_version, need >= $BUF_MIN_VERSION"
say "buf $buf_version: ok (node_modules)"

# ---- 8. psa-check (tools/psa-check: the upstream Pod Security Admission evaluator) ----------
# Keyed by its sources: editing the tool or its pinned dependencies builds a new entry.
PSA_SRC="$REPO/tools/psa-check"
psa_key="$(cat "$PSA_SRC/go.mod" "$PSA_SRC/go.sum" "$PSA_SRC/main.go" | sha256sum | cut -c1-12)"
build_psa_check() {
  local tmp=$1
  mkdir -p "$tmp/bin"
  # -mod=readonly: go.mod/go.sum are committed and must be complete; never rewrite them here.
  (cd "$PSA_SRC" && go build -mod=readonly -trimpath -buildvcs=false -ldflags='-s -w' -o "$tmp/bin/psa-check" .)
}
ensure_entry "psa-check $psa_key" "psa-check-$psa_key" bin/psa-check build_psa_check
link "$CACHE/psa-check-$psa_key/bin/psa-check" "$TOOLS/bin/psa-check"
# A hardened pod must pass, and be counted once.
smoke='{"apiVersion":"v1","kind":"Pod","metadata":{"name":"smoke"},"spec":{"securityContext":{"runAsNonRoot":true,"seccompProfile":{"type":"RuntimeDefault"}},"containers":[{"name":"c","image":"x","securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}}]}}'
check_runs psa-check "psa-check: 1 workloads checked, 0 violations" sh -c 'printf "%s\n" "$1" | "$2" -' _ "$smoke" "$TOOLS/bin/psa-check"

# ---- 8b. yaml-to-json (tools/yaml-to-json: kubectl's YAML reader, for round-trip tests) -------
Y2J_SRC="$REPO/tools/yaml-to-json"
y2j_key="$(cat "$Y2J_SRC/go.mod" "$Y2J_SRC/go.sum" "$Y2J_SRC/main.go" | sha256sum | cut -c1-12)"
build_yaml_to_json() {
  local tmp=$1
  mkdir -p "$tmp/bin"
  (cd "$Y2J_SRC" && go build -mod=readonly -trimpath -buildvcs=false -ldflags='-s -w' -o "$tmp/bin/yaml-to-json" .)
}
ensure_entry "yaml-to-json $y2j_key" "yaml-to-json-$y2j_key" bin/yaml-to-json build_yaml_to_json
link "$CACHE/yaml-to-json-$y2j_key/bin/yaml-to-json" "$TOOLS/bin/yaml-to-json"
# It reads YAML 1.1 as kubectl does: a plain `yes` is a boolean.
check_runs yaml-to-json '[{"a":true}]' sh -c 'printf "a: yes\n" | "$1" -' _ "$TOOLS/bin/yaml-to-json"

# ---- 9+. template toolchains: one file per template in scripts/tools.d/, sourced in order --------
# Each file uses the helpers above (ensure_entry, link, check_runs, go_install, die, say) and the
# same cache; it installs what the rendered services of one template need to build and test.
for tools_file in "$REPO"/scripts/tools.d/*.sh; do
  [[ -e "$tools_file" ]] || continue
  # shellcheck source=/dev/null
  source "$tools_file"
done
