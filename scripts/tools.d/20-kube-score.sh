# shellcheck shell=bash
# kube-score (sourced by scripts/install-tools.sh): the third manifest linter the tests run, beside
# kubeconform and kube-linter (test/validators/). Built from the Go module proxy, cached by version.
# The checks polyglot's output deliberately does not satisfy are listed, with reasons, in
# test/validators/ignored-checks.yaml, not here.
KUBE_SCORE_VERSION=v1.20.0            # github.com/zegl/kube-score

build_kube_score() {
  local tmp=$1
  mkdir -p "$tmp/bin"
  GOBIN="$tmp/bin" go install -trimpath -ldflags "-s -w -X main.version=${KUBE_SCORE_VERSION#v}" \
    "github.com/zegl/kube-score/cmd/kube-score@$KUBE_SCORE_VERSION"
}
ensure_entry "kube-score $KUBE_SCORE_VERSION" "kube-score-$KUBE_SCORE_VERSION" bin/kube-score build_kube_score
link "$CACHE/kube-score-$KUBE_SCORE_VERSION/bin/kube-score" "$TOOLS/bin/kube-score"
check_runs kube-score "${KUBE_SCORE_VERSION#v}" "$TOOLS/bin/kube-score" version
