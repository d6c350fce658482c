#!/usr/bin/env bash
# lint.sh checks that every Go file is gofmt-clean, go.mod is tidy and go vet is happy.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

ensure_go
export CGO_ENABLED=${CGO_ENABLED:-0}
phase "gofmt" gofmt_check
phase "go mod tidy -diff" go mod tidy -diff
phase "go vet" go vet ./...
print_timings
