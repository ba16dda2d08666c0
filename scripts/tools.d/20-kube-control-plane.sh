# shellcheck shell=bash
# A real Kubernetes control plane for the deploy tests: etcd and kube-apiserver, built from the Go
# module proxy (sourced by scripts/install-tools.sh, which provides ensure_entry, link,
# check_runs, die, say, $CACHE, $TOOLS).
#
# Neither installs with a plain `go install`: their go.mod files carry replace directives, which
# only apply to the main module. Each is built from a throw-away wrapper module:
#   - etcd: a three-line main calling etcdmain.Main (the same entry point etcd's own main uses);
#   - kube-apiserver: a module requiring k8s.io/kubernetes and replacing every staging module
#     (k8s.io/api, k8s.io/apimachinery, …; read from k8s.io/kubernetes' own go.mod) with the
#     published v0.X.Y of the same release. The k8s.io/sample-* modules are left out: the proxy
#     refuses them and kube-apiserver does not import them.
# Only the two binaries are built, with -trimpath and -ldflags='-s -w', CGO off (the apiserver's
# release builds are static too). Modules and build output go to the shared Go caches under the
# tools cache ($CACHE/go-mod, $CACHE/go-build), so these builds share work with the other Go
# builds of the suite and survive a fresh clone.
#
# Cost, measured 2026-12-03 on 2 cores (issue 14 notes). Cold (no k8s/etcd module or package in
# the caches): 781 s CPU for both (user 676 + sys 105), about 800 MB of modules and 2.3 GB of
# build cache; wall 279 s (etcd) + 2779 s (kube-apiserver) with the machine at load 20-28, about
# 9 minutes when quiet. Warm build cache, entries removed: 22 s + 75 s wall, 21 s CPU. Cached:
# under a second. Binaries: etcd 25 MB, kube-apiserver 95 MB.
ETCD_VERSION=v3.5.21          # go.etcd.io/etcd/server/v3
KUBERNETES_VERSION=v1.33.13   # k8s.io/kubernetes; staging modules at v0.33.13

kube_go() { # kube_go <args…>: go with the shared caches, static, no toolchain download
  GOCACHE="$CACHE/go-build" GOMODCACHE="$CACHE/go-mod" CGO_ENABLED=0 GOFLAGS=-buildvcs=false go "$@"
}

build_etcd() {
  local tmp=$1
  mkdir -p "$tmp/src" "$tmp/bin"
  cat >"$tmp/src/go.mod" <<EOF
module polyglot.local/etcd-build

go 1.26
EOF
  cat >"$tmp/src/main.go" <<'EOF'
// etcd's own server entry point (what go.etcd.io/etcd/v3's main calls).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
EOF
  (cd "$tmp/src" && kube_go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" && kube_go mod tidy \
    && kube_go build -mod=mod -trimpath -ldflags='-s -w' -o "$tmp/bin/etcd" .)
  rm -rf "$tmp/src"
}
ensure_entry "etcd $ETCD_VERSION" "etcd-$ETCD_VERSION" bin/etcd build_etcd
link "$CACHE/etcd-$ETCD_VERSION/bin/etcd" "$TOOLS/bin/etcd"
check_runs etcd "etcd Version: ${ETCD_VERSION#v}" "$TOOLS/bin/etcd" --version

build_kube_apiserver() {
  local tmp=$1 staging_version="v0.${KUBERNETES_VERSION#v1.}"
  mkdir -p "$tmp/src" "$tmp/bin"
  cat >"$tmp/src/go.mod" <<EOF
module polyglot.local/kube-apiserver-build

go 1.26
EOF
  local kube_mod
  kube_mod="$(cd "$tmp/src" && kube_go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" \
    | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')"
  [[ -f "$kube_mod" ]] || { echo "no go.mod downloaded for k8s.io/kubernetes@$KUBERNETES_VERSION"; return 1; }
  # Every `k8s.io/x => ./staging/src/k8s.io/x` of kubernetes' go.mod, but the sample modules.
  local staging=() m
  mapfile -t staging < <(sed -n 's#^[[:space:]]*\(k8s\.io/[A-Za-z0-9._-]*\) => \./staging/src/.*#\1#p' "$kube_mod" \
    | grep -v '^k8s\.io/sample-')
  [[ ${#staging[@]} -gt 20 ]] || { echo "found only ${#staging[@]} staging modules in $kube_mod"; return 1; }
  echo "replacing ${#staging[@]} staging modules with $staging_version"
  for m in "${staging[@]}"; do
    (cd "$tmp/src" && kube_go mod edit -replace="$m=$m@$staging_version")
  done
  local version_pkg=k8s.io/component-base/version minor="${KUBERNETES_VERSION#v1.}"
  minor="${minor%%.*}"
  (cd "$tmp/src" && kube_go get "k8s.io/kubernetes/cmd/kube-apiserver@$KUBERNETES_VERSION" \
    && kube_go build -mod=mod -trimpath \
      -ldflags="-s -w -X $version_pkg.gitVersion=$KUBERNETES_VERSION -X $version_pkg.gitMajor=1 -X $version_pkg.gitMinor=$minor -X $version_pkg.gitTreeState=clean" \
      -o "$tmp/bin/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver)
  rm -rf "$tmp/src"
}
ensure_entry "kube-apiserver $KUBERNETES_VERSION" "kube-apiserver-$KUBERNETES_VERSION" bin/kube-apiserver build_kube_apiserver
link "$CACHE/kube-apiserver-$KUBERNETES_VERSION/bin/kube-apiserver" "$TOOLS/bin/kube-apiserver"
check_runs kube-apiserver "Kubernetes $KUBERNETES_VERSION" "$TOOLS/bin/kube-apiserver" --version
