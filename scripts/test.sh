#!/usr/bin/env bash
# The test runner behind `npm test` (all), `npm run test:unit` and `npm run test:integ`; given
# file paths instead, it runs those (.ci/run: the own-project test on Node 24).
#
# One place for what every run needs: buf's module cache beside the other tools (outside the
# clone, kept between runs), and tsx without its transform cache, which it would otherwise keep in
# the machine's temp root (tsx-<uid>).
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-all}" in
  all) mapfile -t files < <(find test -name '*.test.ts' | sort) ;;
  unit) mapfile -t files < <(find test -name '*.test.ts' ! -name '*.integ.test.ts' | sort) ;;
  integ) mapfile -t files < <(find test -name '*.integ.test.ts' | sort) ;;
  *) files=("$@") ;;
esac
export BUF_CACHE_DIR="${POLYGLOT_TOOLS_CACHE:-$HOME/.cache/polyglot-tools}/buf"
export TSX_DISABLE_CACHE=1
exec node --import tsx --test --test-concurrency=2 "${files[@]}"
