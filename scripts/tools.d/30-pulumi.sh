# shellcheck shell=bash
# The Pulumi CLI and its Kubernetes provider for the deploy test (test/deploy/pulumi-up.integ.test.ts),
# built from the Go module proxy (sourced by scripts/install-tools.sh, which provides ensure_entry,
# link, check_runs, die, say, $CACHE, $TOOLS).
#
# Neither installs with a plain `go install` (their go.mod files carry replace directives, which
# only apply to the main module), and the npm package `pulumi` only downloads the CLI on first
# use. Each is built from a throw-away wrapper module that copies the module's own non-local
# replace directives (for the CLI: atotto/clipboard => tgummerer/clipboard):
#   - pulumi: `github.com/pulumi/pulumi/pkg/v3/cmd/pulumi` with `sdk/v3` at the same version (the
#     one @pulumi/pulumi in package.json pairs with), version stamped as the release does, so the
#     Automation API's version check reads it;
#   - pulumi-resource-kubernetes: the provider's main package copied out of
#     `github.com/pulumi/pulumi-kubernetes/provider/v4` (served only as one pseudo-version of the
#     4.24 line), stamped 4.24.1 to pair with @pulumi/kubernetes 4.24.1. Its main embeds two
#     files its release writes with `go generate` (generate.go, a `go:build ignore` program):
#     schema-embed.json, schema.json with the release's version set, and
#     terraform-mapping-embed.json, terraform-mapping.json as it is. They are written here from
#     the same two files (with node, keeping the schema's own field order; generate.go's Go
#     round trip reorders and minifies, same content). Its go.mod replaces only its own SDK
#     folder (`../sdk`): the SDK module it requires is taken from the proxy instead.
# The Node.js language host is not needed: the Automation API runs an inline program in the test
# process and hands the CLI its address (`pulumi up --client=…`). Only the two binaries are
# built, with -trimpath and -ldflags='-s -w', CGO off, into the shared Go caches under the tools
# cache ($CACHE/go-mod, $CACHE/go-build). Both are checked: the CLI prints its version, and the
# provider, started by the CLI as a plugin, answers with the schema of its stamped version.
#
# Cost, measured 2026-12-03 on 2 cores with the machine at load 6-15 (other builds and suites
# running), the two builds side by side (pulumi_ensure_entry below prints these lines). Cold (no
# Pulumi module or package in the caches): pulumi 1095 s wall / 407 s CPU (after an interrupted
# first try that had compiled part of it; a quiet machine measured 317 s / 515 s), provider
# 2319 s wall / 1367 s CPU (quiet: 764 s / 1170 s). Warm build cache, entries removed: 33 s wall
# / 10 s CPU and 38 s / 19 s. Cached: under a second. Binaries: pulumi 112 MB, provider 167 MB.
PULUMI_VERSION=v3.248.0                                         # github.com/pulumi/pulumi/{pkg,sdk}/v3 = @pulumi/pulumi in package.json
PULUMI_KUBERNETES_MODULE_VERSION=v4.0.0-20260115033456-f47bc2d6f199  # github.com/pulumi/pulumi-kubernetes/provider/v4 (the proxy's only 4.24 build)
PULUMI_KUBERNETES_VERSION=4.24.1                                # stamped into the provider = @pulumi/kubernetes in package.json

pulumi_go() { # pulumi_go <args…>: go with the shared caches, static, no toolchain download
  GOCACHE="$CACHE/go-build" GOMODCACHE="$CACHE/go-mod" CGO_ENABLED=0 GOFLAGS=-buildvcs=false go "$@"
}

# pulumi_children_cpu: sets PULUMI_CPU to the CPU seconds (user + sys) of every finished child of
# this shell so far. Not for $(…): `times` must run in this shell (a subshell starts from zero);
# the second line of its output holds the children's totals, as "0m12.345s 0m1.234s".
pulumi_children_cpu() {
  local file
  file="$(mktemp "$CACHE/.times-XXXXXX")"
  times >"$file"
  PULUMI_CPU="$(sed -n 2p "$file" | awk '{ n = 0; for (i = 1; i <= 2; i++) { split($i, p, "m"); sub("s", "", p[2]); n += p[1] * 60 + p[2] } printf "%d\n", n }')"
  rm -f "$file"
}

# pulumi_module <dir> <module@version>: downloads a module; prints its go.mod path and source folder.
pulumi_module() {
  (cd "$1" && pulumi_go mod download -json "$2") | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const m = JSON.parse(s);
      if (m.Error || !m.GoMod || !m.Dir) { console.error(m.Error ?? "go mod download printed no GoMod or Dir"); process.exit(1); }
      console.log(m.GoMod); console.log(m.Dir);
    });'
}

# pulumi_copy_replaces <wrapper-dir> <go.mod>: every replace of that go.mod that points at another
# module version (`=> ../sdk` and other folders of its own repository are left out: the wrapper
# requires those modules at the same release instead).
pulumi_copy_replaces() {
  local dir=$1 gomod=$2 edit
  while IFS= read -r edit; do
    echo "replace $edit"
    (cd "$dir" && pulumi_go mod edit -replace="$edit")
  done < <(pulumi_go mod edit -json "$gomod" | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      for (const r of JSON.parse(s).Replace ?? []) {
        if (!r.New.Version) continue; // a folder: ../sdk, ./staging/…
        console.log(`${r.Old.Path}${r.Old.Version ? "@" + r.Old.Version : ""}=${r.New.Path}@${r.New.Version}`);
      }
    });')
}

build_pulumi_cli() {
  local tmp=$1 mod
  mkdir -p "$tmp/src" "$tmp/bin"
  printf 'module polyglot.local/pulumi-build\n\ngo 1.26\n' >"$tmp/src/go.mod"
  mapfile -t mod < <(pulumi_module "$tmp/src" "github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION")
  pulumi_copy_replaces "$tmp/src" "${mod[0]}"
  (cd "$tmp/src" \
    && pulumi_go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION" \
    && pulumi_go build -mod=mod -trimpath \
      -ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
      -o "$tmp/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  rm -rf "$tmp/src"
}

build_pulumi_kubernetes() {
  local tmp=$1 module=github.com/pulumi/pulumi-kubernetes/provider/v4 mod main
  mkdir -p "$tmp/src" "$tmp/bin"
  printf 'module polyglot.local/pulumi-kubernetes-build\n\ngo 1.26\n' >"$tmp/src/go.mod"
  mapfile -t mod < <(pulumi_module "$tmp/src" "$module@$PULUMI_KUBERNETES_MODULE_VERSION")
  pulumi_copy_replaces "$tmp/src" "${mod[0]}"
  main="${mod[1]}/cmd/pulumi-resource-kubernetes"
  # The main package, without generate.go (a `go:build ignore` program) and tests.
  find "$main" -maxdepth 1 -name '*.go' ! -name '*_test.go' ! -name 'generate.go' -exec cp {} "$tmp/src/" \;
  chmod u+w "$tmp/src"/*.go
  # What `go generate` writes at release time: the schema with the release's version, and the
  # Terraform mapping as it is.
  node -e '
    const fs = require("node:fs");
    const schema = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    schema.version = process.argv[2];
    fs.writeFileSync(process.argv[3], JSON.stringify(schema));
  ' "$main/schema.json" "$PULUMI_KUBERNETES_VERSION" "$tmp/src/schema-embed.json"
  cp "$main/terraform-mapping.json" "$tmp/src/terraform-mapping-embed.json"
  chmod u+w "$tmp/src"/*.json
  (cd "$tmp/src" \
    && pulumi_go get "$module@$PULUMI_KUBERNETES_MODULE_VERSION" \
    && pulumi_go mod tidy \
    && pulumi_go build -mod=mod -trimpath \
      -ldflags="-s -w -X $module/pkg/version.Version=$PULUMI_KUBERNETES_VERSION" \
      -o "$tmp/bin/pulumi-resource-kubernetes" .)
  rm -rf "$tmp/src"
}

# ensure_entry, and the wall and CPU time it took when it built something.
pulumi_ensure_entry() {
  local started=$SECONDS before
  pulumi_children_cpu
  before=$PULUMI_CPU
  ensure_entry "$@"
  pulumi_children_cpu
  if (( PULUMI_CPU - before > 1 )); then say "$1: $((SECONDS - started))s wall, $((PULUMI_CPU - before))s CPU"; fi
  return 0
}

pulumi_ensure_entry "pulumi $PULUMI_VERSION" "pulumi-$PULUMI_VERSION" bin/pulumi build_pulumi_cli
link "$CACHE/pulumi-$PULUMI_VERSION/bin/pulumi" "$TOOLS/bin/pulumi"
check_runs pulumi "$PULUMI_VERSION" env PULUMI_SKIP_UPDATE_CHECK=true "$TOOLS/bin/pulumi" version

pulumi_entry="pulumi-resource-kubernetes-$PULUMI_KUBERNETES_VERSION-$PULUMI_KUBERNETES_MODULE_VERSION"
pulumi_ensure_entry "pulumi-resource-kubernetes $PULUMI_KUBERNETES_VERSION ($PULUMI_KUBERNETES_MODULE_VERSION)" \
  "$pulumi_entry" bin/pulumi-resource-kubernetes build_pulumi_kubernetes
link "$CACHE/$pulumi_entry/bin/pulumi-resource-kubernetes" "$TOOLS/bin/pulumi-resource-kubernetes"
# The provider must start and answer with the schema of the version it is stamped with (the CLI
# runs it as a plugin; PULUMI_HOME is a throw-away folder, removed before and after).
pulumi_check_home="$CACHE/.pulumi-home-check"
rm -rf "$pulumi_check_home"
mkdir -p "$pulumi_check_home"
check_runs pulumi-resource-kubernetes "schema version $PULUMI_KUBERNETES_VERSION" sh -c '
  PULUMI_HOME="$1" PULUMI_SKIP_UPDATE_CHECK=true "$2" package get-schema "$3" \
    | node -e "let s = \"\"; process.stdin.on(\"data\", (d) => (s += d)).on(\"end\", () => console.log(\"schema version \" + JSON.parse(s).version))"
' _ "$pulumi_check_home" "$TOOLS/bin/pulumi" "$TOOLS/bin/pulumi-resource-kubernetes"
rm -rf "$pulumi_check_home"
