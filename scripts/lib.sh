# shellcheck shell=bash
# lib.sh is the function library shared by scripts/test.sh, scripts/pg.sh,
# scripts/fuzz.sh and .ci/run. Source it; it defines functions and a few
# variables, and runs nothing on its own.
#
# The throwaway PostgreSQL cluster lives in one folder:
#   DIR/data         the cluster (initdb)
#   DIR/port         the TCP port it listens on, on 127.0.0.1 only
#   DIR/owner        the pid of the script that owns it (absent for pg.sh)
#   DIR/postgres.log the server log
#   DIR/.s.PGSQL.*   the unix socket (-k DIR)
# initdb and postgres refuse to run as root, so as root the folder belongs to
# the postgres user and every PostgreSQL binary runs through runuser.

# ---------------------------------------------------------------- logging

# log prints a message to stderr, so stdout stays clean for callers.
log() { printf '==> %s\n' "$*" >&2; }

# warn prints a loud warning to stderr.
warn() { printf '\n!!! %s\n\n' "$*" >&2; }

# die prints an error to stderr and exits 1.
die() {
	printf 'ERROR: %s\n' "$*" >&2
	exit 1
}

# ---------------------------------------------------------------- timing

RAPPORT_PHASES=()

# now prints the time in seconds with a fraction.
now() { printf '%s' "${EPOCHREALTIME:-$(date +%s)}"; }

# phase NAME CMD... runs CMD, records how long it took under NAME, and returns
# its exit status. A failed phase is recorded too.
phase() {
	local name=$1 start rc=0
	shift
	log "$name"
	start=$(now)
	"$@" || rc=$?
	RAPPORT_PHASES+=("$(printf '%-36s %7.1fs%s' "$name" "$(elapsed "$start")" "$([ "$rc" -eq 0 ] || echo "  (failed, exit $rc)")")")
	return "$rc"
}

# elapsed START prints the seconds since START.
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# print_timings prints every recorded phase with its duration.
print_timings() {
	[ "${#RAPPORT_PHASES[@]}" -gt 0 ] || return 0
	printf '\n==> timings\n' >&2
	printf '    %s\n' "${RAPPORT_PHASES[@]}" >&2
}

# ---------------------------------------------------------------- tools

# is_root succeeds when the script runs as root.
is_root() { [ "$(id -u)" -eq 0 ]; }

# ensure_go puts /usr/local/go/bin on PATH when go is not already there.
ensure_go() {
	if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
		export PATH="$PATH:/usr/local/go/bin"
	fi
	command -v go >/dev/null 2>&1 || die "go is not installed (expected on PATH or in /usr/local/go/bin)"
}

# can_apt succeeds when missing packages may be installed with apt-get: as
# root, with apt-get present, unless RAPPORT_NO_INSTALL=1.
can_apt() {
	is_root && command -v apt-get >/dev/null 2>&1 && [ "${RAPPORT_NO_INSTALL:-0}" != 1 ]
}

# apt_install PKG... installs Debian packages, running apt-get update once per
# run (RAPPORT_APT_UPDATED is exported so child scripts skip it too).
apt_install() {
	[ "$#" -gt 0 ] || return 0
	if [ "${RAPPORT_APT_UPDATED:-0}" != 1 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || return 1
		export RAPPORT_APT_UPDATED=1
	fi
	# apt-get is chatty: keep its output for when it fails.
	local out
	out=$(mktemp) || return 1
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >"$out" 2>&1; then
		cat "$out" >&2
		rm -f "$out"
		return 1
	fi
	rm -f "$out"
	log "installed $*"
}

# ensure_commands "CMD:PKG"... installs package PKG for every CMD that is
# missing, in one apt-get call. When it cannot install, it says what to
# install and returns 0: callers check for the command again and degrade.
ensure_commands() {
	local pair cmd pkg missing=()
	for pair in "$@"; do
		cmd=${pair%%:*} pkg=${pair#*:}
		# PKG may name several packages: split it into words.
		# shellcheck disable=SC2206
		have_command "$cmd" || missing+=($pkg)
	done
	[ "${#missing[@]}" -gt 0 ] || return 0
	if can_apt; then
		log "installing ${missing[*]}"
		apt_install "${missing[@]}" || warn "apt-get install ${missing[*]} failed"
	else
		warn "missing: ${missing[*]}. Install with: sudo apt-get install -y ${missing[*]}"
	fi
}

# have_command NAME succeeds when NAME can be run. "initdb" means the
# PostgreSQL server binaries, which Debian keeps off PATH.
have_command() {
	case $1 in
	initdb) pg_bindir >/dev/null ;;
	*) command -v "$1" >/dev/null 2>&1 ;;
	esac
}

# ---------------------------------------------------------------- PostgreSQL

# pg_bindir prints the folder holding initdb, postgres and pg_ctl:
# RAPPORT_PG_BINDIR when set (and nothing else then), else the newest
# /usr/lib/postgresql/N/bin, else `pg_config --bindir`, else PATH.
pg_bindir() {
	local d
	if [ -n "${RAPPORT_PG_BINDIR:-}" ]; then
		[ -x "$RAPPORT_PG_BINDIR/initdb" ] && printf '%s\n' "$RAPPORT_PG_BINDIR"
		return
	fi
	for d in $(printf "%s\n" /usr/lib/postgresql/*/bin | sort -t/ -k4 -n -r); do
		[ -x "$d/initdb" ] && { printf '%s\n' "$d"; return 0; }
	done
	if command -v pg_config >/dev/null 2>&1; then
		d=$(pg_config --bindir 2>/dev/null) && [ -x "$d/initdb" ] && { printf '%s\n' "$d"; return 0; }
	fi
	d=$(command -v initdb 2>/dev/null) && { dirname "$d"; return 0; }
	return 1
}

# pg_as CMD... runs a PostgreSQL binary as the user that owns the cluster:
# the postgres user when we are root, else ourselves. It runs from / so that
# the postgres user never needs access to our working directory.
pg_as() {
	local bin
	bin="$(pg_bindir)/$1" || {
		printf 'PostgreSQL server binaries not found\n' >&2
		return 127
	}
	shift
	if is_root; then
		(cd / && runuser -u postgres -- "$bin" "$@")
	else
		(cd / && "$bin" "$@")
	fi
}

# pg_tmpbase prints the folder under which clusters are made: TMPDIR, unless
# we are root and the postgres user cannot reach it, then /tmp.
pg_tmpbase() {
	local base=${TMPDIR:-/tmp}
	if is_root && ! runuser -u postgres -- test -x "$base" 2>/dev/null; then
		base=/tmp
	fi
	printf '%s\n' "${base%/}"
}

# pg_dsn PORT prints the DSN of the postgres database on the local cluster.
pg_dsn() { printf 'postgres://postgres@127.0.0.1:%s/postgres?sslmode=disable\n' "$1"; }

# port_in_use PORT succeeds when something accepts connections on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pg_free_port prints a random loopback port that nothing listens on.
pg_free_port() {
	local p _
	for _ in $(seq 1 50); do
		p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		port_in_use "$p" || { printf '%s\n' "$p"; return 0; }
	done
	return 1
}

# pg_is_running DIR succeeds when the cluster in DIR is up.
pg_is_running() {
	[ -f "$1/data/postmaster.pid" ] && have_command initdb && pg_as pg_ctl -D "$1/data" status >/dev/null 2>&1
}

# pg_wait_ready PORT waits, up to about 30 s, until the server on PORT
# accepts connections.
pg_wait_ready() {
	local _
	for _ in $(seq 1 60); do
		pg_as pg_isready -q -h 127.0.0.1 -p "$1" -d postgres -U postgres -t 1 && return 0
		sleep 0.5
	done
	return 1
}

# pg_init DIR makes a fresh cluster in DIR/data. DIR must exist and be empty
# of a cluster; as root it is handed to the postgres user.
pg_init() {
	local dir=$1
	if is_root; then
		id postgres >/dev/null 2>&1 || die "user postgres does not exist (is the postgresql package installed?)"
		chown -R postgres: "$dir"
	fi
	# C.UTF-8 gives lower() and upper() that know non-ASCII letters; fall
	# back to the C locale where it does not exist.
	pg_as initdb -D "$dir/data" -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 && return 0
	rm -rf -- "$dir/data"
	pg_as initdb -D "$dir/data" -A trust -U postgres --no-sync -E UTF8 --no-locale >>"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		return 1
	}
}

# pg_start DIR starts the cluster in DIR on a free loopback port, retrying on
# another port when the chosen one was taken meanwhile, and waits until it
# accepts connections. The port is written to DIR/port.
pg_start() {
	local dir=$1 port attempt
	for attempt in 1 2 3 4 5; do
		port=$(pg_free_port) || die "no free loopback port found"
		printf '%s\n' "$port" >"$dir/port"
		rm -f "$dir/postgres.log" # so that the checks below read this attempt only
		# The settings trade durability for speed: this cluster is thrown away.
		if pg_as pg_ctl -D "$dir/data" -l "$dir/postgres.log" -w -t 30 -s start -o "\
-p $port -k $dir -c listen_addresses=127.0.0.1 \
-c fsync=off -c synchronous_commit=off -c full_page_writes=off \
-c max_connections=300 -c shared_buffers=64MB" >/dev/null 2>&1; then
			pg_wait_ready "$port" && return 0
			tail -n 20 "$dir/postgres.log" >&2
			return 1
		fi
		if grep -q -i -E 'could not (bind|create listen)|address already in use|lock file .* already exists' "$dir/postgres.log" 2>/dev/null; then
			log "port $port was taken, trying another (attempt $attempt)"
			continue
		fi
		tail -n 20 "$dir/postgres.log" >&2
		return 1
	done
	return 1
}

# pg_stop DIR stops the cluster in DIR, if running, without waiting for a
# clean shutdown.
pg_stop() {
	local dir=$1 pid
	[ -f "$dir/data/postmaster.pid" ] || return 0
	pg_as pg_ctl -D "$dir/data" -s -m immediate -w -t 10 stop >/dev/null 2>&1 && return 0
	# pg_ctl could not stop it (or is gone with the package): signal it directly.
	pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null) || return 0
	# A stale pid file names a process that is gone: kill fails, and under
	# set -e that must not end the caller.
	[ -n "$pid" ] && kill -QUIT "$pid" 2>/dev/null || true
	return 0
}

# pg_destroy DIR stops the cluster in DIR and removes DIR.
pg_destroy() {
	local dir=$1
	[ -n "$dir" ] && [ -d "$dir" ] || return 0
	pg_stop "$dir"
	rm -rf -- "$dir"
}

# pg_sweep_stale removes clusters left behind by test runs that were killed
# before they could clean up: DIR/owner names a process that no longer exists.
pg_sweep_stale() {
	local dir pid
	for dir in "$(pg_tmpbase)"/rapport-pgtest.*; do
		[ -d "$dir" ] && [ -f "$dir/owner" ] || continue
		pid=$(cat "$dir/owner" 2>/dev/null) || continue
		if [ -n "$pid" ] && ! [ -d "/proc/$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
			log "removing stale cluster $dir (its run, pid $pid, is gone)"
			pg_destroy "$dir" 2>/dev/null || true
		fi
	done
}

# ---------------------------------------------------------------- Go

# go_files lists the Go files of the tree, except testdata and vendor, where
# files may be broken on purpose or belong to others.
go_files() {
	find . -name '*.go' -not -path './.git/*' -not -path '*/testdata/*' -not -path './vendor/*' -print
}

# gofmt_check fails, listing the files, when any Go file is not gofmt-clean.
gofmt_check() {
	local bad
	bad=$(go_files | xargs -r gofmt -l) || return 1
	if [ -n "$bad" ]; then
		printf 'gofmt: these files need formatting (run gofmt -w on them):\n%s\n' "$bad" >&2
		return 1
	fi
}

# fuzz_targets prints "PKGDIR NAME" for every fuzz test in the tree.
fuzz_targets() {
	go_files | grep '_test\.go$' | xargs -r grep -H -o -E '^func Fuzz[A-Za-z0-9_]*\(' |
		sed -E 's#^(.*)/[^/]+_test\.go:func (Fuzz[A-Za-z0-9_]*)\($#\1 \2#' | sort -u
}
