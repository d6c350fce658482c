#!/usr/bin/env bash
# test.sh runs every test of rapport on a fresh machine; `make test` calls it.
#
#   scripts/test.sh                     go vet + go test ./... -count=1
#   scripts/test.sh -run TestImport -v  extra flags go to go test
#   scripts/test.sh -race ./store/...   -race turns cgo on; ./… arguments replace ./...
#
# It installs what is missing (PostgreSQL, Chromium; curl and jq, which the
# README walkthrough uses) with apt-get when run as
# root, starts a throwaway PostgreSQL cluster on a free loopback port, exports
# RAPPORT_TEST_POSTGRES for internal/pgtest, runs go vet and go test, and
# removes the cluster on exit, also on failure and Ctrl-C.
#
# Environment:
#   CI=true                   PostgreSQL tests and tests on shared data fail instead of skipping
#                             (sets RAPPORT_REQUIRE_POSTGRES=1 and RAPPORT_REQUIRE_SHARED_DATA=1)
#   RAPPORT_SHARED_DATA       the shared test data folder (Synthea, FEBRL); else it is looked for as
#                             shared/data beside this repository, beside its main worktree, or beside
#                             the local repository it was cloned from
#   RAPPORT_TEST_POSTGRES     when already set (e.g. by scripts/pg.sh), that server is used and none is started
#   RAPPORT_NO_INSTALL=1      never call apt-get
#   RAPPORT_PG_BINDIR         folder of initdb, postgres and pg_ctl, when not Debian's /usr/lib/postgresql/N/bin
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

case ${1:-} in
-h | --help)
	sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
	exit 0
	;;
esac

# Split the arguments: package patterns replace ./..., the rest go to go test.
pkgs=() flags=() race=0
for arg in "$@"; do
	case $arg in
	./* | ../* | ...) pkgs+=("$arg") ;;
	-race | -race=true | --race) race=1 flags+=("$arg") ;;
	*) flags+=("$arg") ;;
	esac
done
[ "${#pkgs[@]}" -gt 0 ] || pkgs=(./...)

if [ "${CI:-}" = true ]; then
	export RAPPORT_REQUIRE_POSTGRES=${RAPPORT_REQUIRE_POSTGRES:-1}
	export RAPPORT_REQUIRE_SHARED_DATA=${RAPPORT_REQUIRE_SHARED_DATA:-1}
fi

# find_shared_data prints the shared test data folder: $RAPPORT_SHARED_DATA,
# or shared/data beside this repository, beside its main worktree (when
# this is a git worktree), or beside the local repository it was cloned
# from (CI's fresh clone may live elsewhere).
find_shared_data() {
	if [ -n "${RAPPORT_SHARED_DATA:-}" ]; then
		printf '%s\n' "$RAPPORT_SHARED_DATA"
		return
	fi
	local common origin dir
	common=$(git rev-parse --path-format=absolute --git-common-dir 2>/dev/null) || common=""
	origin=$(git remote get-url origin 2>/dev/null) || origin=""
	origin=${origin#file://}
	# /work/main is where the team's checkout lives beside /work/shared:
	# the last resort for a clone made from elsewhere on this machine.
	for dir in "$PWD" "${common%/.git}" "$origin" /work/main; do
		case $dir in /*) ;; *) continue ;; esac # only local folders
		if [ -d "$dir/../shared/data" ]; then
			(cd "$dir/../shared/data" && pwd)
			return
		fi
	done
}
RAPPORT_SHARED_DATA=$(find_shared_data)
if [ -n "$RAPPORT_SHARED_DATA" ]; then
	export RAPPORT_SHARED_DATA
else
	unset RAPPORT_SHARED_DATA
	[ "${RAPPORT_REQUIRE_SHARED_DATA:-0}" != 1 ] ||
		die "the shared test data (shared/data beside the repository) is required but not found: set RAPPORT_SHARED_DATA to its folder"
fi
# Tests that skip for want of shared data say so here, one line each,
# listed at the end: go test without -v prints no skips.
RAPPORT_SKIP_LOG=$(mktemp "${TMPDIR:-/tmp}/rapport-skips.XXXXXX")
export RAPPORT_SKIP_LOG
if [ "$race" = 1 ]; then
	export CGO_ENABLED=1 # the race detector needs cgo
else
	export CGO_ENABLED=0
fi

cluster=""
pg_missing="" # why PostgreSQL tests skipped, repeated at the end
total_start=$(now)

# finish removes the cluster and prints the timings, keeping the exit status.
finish() {
	local rc=$?
	trap - EXIT INT TERM
	if [ -n "$cluster" ]; then
		phase "stop postgres" pg_destroy "$cluster" || true
	fi
	print_timings
	printf '    %-36s %7.1fs\n' "total" "$(elapsed "$total_start")" >&2
	[ -z "$pg_missing" ] || warn "$pg_missing"
	if [ -s "$RAPPORT_SKIP_LOG" ]; then
		warn "$(printf 'SKIPPED for want of the shared test data (set RAPPORT_SHARED_DATA):\n%s' "$(sort "$RAPPORT_SKIP_LOG")")"
	fi
	rm -f "$RAPPORT_SKIP_LOG"
	if [ "$rc" -eq 0 ]; then log "all tests passed"; else log "FAILED (exit $rc)"; fi
	exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# install_missing installs the tools the tests use, where it can.
install_missing() {
	ensure_go
	local wanted=("initdb:postgresql" "chromium:chromium fonts-liberation" "curl:curl" "jq:jq")
	[ "$race" = 0 ] || wanted+=("gcc:gcc libc6-dev")
	ensure_commands "${wanted[@]}"
}
phase "check and install tools" install_missing

if have_command chromium; then
	RAPPORT_TEST_CHROMIUM=$(command -v chromium)
	export RAPPORT_TEST_CHROMIUM
else
	warn "Chromium is missing: browser tests will SKIP (install: sudo apt-get install -y chromium)"
fi

# start_cluster makes and starts the throwaway cluster, setting $cluster.
start_cluster() {
	pg_sweep_stale
	cluster=$(mktemp -d "$(pg_tmpbase)/rapport-pgtest.XXXXXX") || return 1
	printf '%s\n' "$$" >"$cluster/owner" || return 1
	phase "initdb" pg_init "$cluster" || return 1
	phase "start postgres" pg_start "$cluster" || return 1
	RAPPORT_TEST_POSTGRES=$(pg_dsn "$(cat "$cluster/port")")
	export RAPPORT_TEST_POSTGRES
	log "PostgreSQL $(pg_as postgres --version | awk '{print $3}') at $RAPPORT_TEST_POSTGRES"
}

if [ -n "${RAPPORT_TEST_POSTGRES:-}" ]; then
	log "using the PostgreSQL server already given in RAPPORT_TEST_POSTGRES"
elif ! have_command initdb; then
	[ "${RAPPORT_REQUIRE_POSTGRES:-0}" != 1 ] ||
		die "PostgreSQL is required (RAPPORT_REQUIRE_POSTGRES=1) but not installed: apt-get install -y postgresql"
	pg_missing="PostgreSQL is not installed: PostgreSQL tests SKIPPED (install: sudo apt-get install -y postgresql)"
	warn "$pg_missing"
elif ! start_cluster; then
	[ "${RAPPORT_REQUIRE_POSTGRES:-0}" != 1 ] || die "could not start PostgreSQL (see the log above)"
	pg_missing="could not start PostgreSQL (see the log above): PostgreSQL tests SKIPPED"
	warn "$pg_missing"
	pg_destroy "$cluster"
	cluster=""
	unset RAPPORT_TEST_POSTGRES
fi

# go.mod lists what the code imports, no more, no less; checked on full runs.
[ "${pkgs[*]}" != ./... ] || phase "go mod tidy -diff" go mod tidy -diff
phase "go vet" go vet "${pkgs[@]}"
phase "go test" go test -count=1 "${flags[@]}" "${pkgs[@]}"
