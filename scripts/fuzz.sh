#!/usr/bin/env bash
# fuzz.sh runs every fuzz test in the tree (func FuzzX in a _test.go file)
# for FUZZTIME each (default 20s), one after the other, and fails if any
# finds a crash. A crash is saved by go test under the package's
# testdata/fuzz/FuzzX/ folder: commit it, it becomes a regression test.
#
#   scripts/fuzz.sh                 all targets
#   FUZZTIME=2m scripts/fuzz.sh     longer
#   scripts/fuzz.sh ./fhir/...      only targets under these folders
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

ensure_go
export CGO_ENABLED=${CGO_ENABLED:-0}
fuzztime=${FUZZTIME:-20s}

targets=$(fuzz_targets)
if [ "$#" -gt 0 ]; then
	filter=$(printf '%s\n' "$@" | sed -E 's#/\.\.\.$##; s#/$##' | paste -sd'|')
	targets=$(printf '%s\n' "$targets" | grep -E "^($filter)(/| )" || true)
fi
if [ -z "$targets" ]; then
	log "no fuzz targets found"
	exit 0
fi

failed=()
while read -r dir name; do
	phase "$name ($dir)" go test -run='^$' -fuzz="^$name\$" -fuzztime="$fuzztime" "$dir" ||
		failed+=("$name in $dir")
done <<<"$targets"

print_timings
if [ "${#failed[@]}" -gt 0 ]; then
	printf 'fuzzing found failures:\n' >&2
	printf '  %s\n' "${failed[@]}" >&2
	exit 1
fi
log "no fuzz target found a failure in $fuzztime each"
