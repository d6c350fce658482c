#!/usr/bin/env bash
# pg.sh runs the throwaway PostgreSQL cluster of scripts/test.sh on its own,
# for local work: start it once, then run go test as often as you like.
#
#   eval "$(scripts/pg.sh start)"   start (or find) the cluster; stdout is an export line
#   scripts/pg.sh dsn               print the DSN of the running cluster
#   scripts/pg.sh status            say whether it runs
#   scripts/pg.sh stop              stop it and delete its data
#
# With RAPPORT_TEST_POSTGRES exported, `go test ./...` and scripts/test.sh use
# this server instead of starting their own. Data lives in a temp folder and is
# lost on stop; the server listens on 127.0.0.1 only, with trust auth.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

dir="$(pg_tmpbase)/rapport-pg-local-$(id -un)"

usage() {
	sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
	exit "${1:-2}"
}

# print_env prints the export line on stdout and the rest on stderr.
print_env() {
	local dsn
	dsn=$(pg_dsn "$(cat "$dir/port")")
	printf "export RAPPORT_TEST_POSTGRES='%s'\n" "$dsn"
	log "PostgreSQL running at $dsn"
	log "data in $dir; stop with: scripts/pg.sh stop"
}

cmd_start() {
	if pg_is_running "$dir" && [ -f "$dir/port" ]; then
		print_env
		return 0
	fi
	have_command initdb || {
		ensure_commands "initdb:postgresql"
		have_command initdb || die "PostgreSQL is not installed: sudo apt-get install -y postgresql"
	}
	pg_destroy "$dir" # what is left of a cluster that was killed or rebooted away
	mkdir -m 700 "$dir"
	pg_init "$dir" || die "initdb failed"
	pg_start "$dir" || die "PostgreSQL did not start (log: $dir/postgres.log)"
	print_env
}

cmd_stop() {
	if [ -d "$dir" ]; then
		pg_destroy "$dir"
		log "stopped; $dir removed"
	else
		log "not running"
	fi
}

cmd_dsn() {
	pg_is_running "$dir" && [ -f "$dir/port" ] || die "not running: scripts/pg.sh start"
	pg_dsn "$(cat "$dir/port")"
}

cmd_status() {
	if pg_is_running "$dir" && [ -f "$dir/port" ]; then
		log "running at $(pg_dsn "$(cat "$dir/port")") (data in $dir)"
	else
		log "not running"
		return 3
	fi
}

case ${1:-} in
start) cmd_start ;;
stop) cmd_stop ;;
dsn) cmd_dsn ;;
status) cmd_status ;;
-h | --help | help) usage 0 ;;
*) usage ;;
esac
