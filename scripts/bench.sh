#!/usr/bin/env bash
# bench.sh runs rapport's benchmarks and appends one Markdown table per run to
# BENCHMARKS.md: a row per figure with the date, the machine (cores, CPU model
# and the load average when the part started), the commit, the command and the
# figure. `make bench` calls it.
#
#   scripts/bench.sh                 every part
#   scripts/bench.sh go demo         only the parts named
#   scripts/bench.sh --list          the parts and what each needs
#
# Parts:
#   go         go test -run '^$' -bench . -benchmem over RAPPORT_BENCH_PKGS (default ./...),
#              except the import, SMS and campaign benchmarks, which have parts of their own
#   e2e        the campaign benchmarks on the user's path (issue 11): `rapport serve` (and two
#              workers on PostgreSQL) as processes, a campaign launched from the CLI (now or
#              --start ahead), timed at a go-smtp server or the Twilio fake; RAPPORT_BENCH_PATIENTS
#              patients (default 5000); and the live feed (issue 16): changed patients posted one
#              per FHIR Bundle by 50 clients to serve over RAPPORT_BENCH_BASE patients (default 20000),
#              as fast as serve answers and again offered at RAPPORT_BENCH_RATE requests a second (100)
#   import     BenchmarkImportNDJSON and `/usr/bin/time -v rapport import fhir` of a
#              1,000,000-patient NDJSON file, on SQLite and on PostgreSQL; BenchmarkImportDelta and
#              BenchmarkImportUnchanged (the same file again: every record unchanged)
#              (RAPPORT_BENCH_DELTA_PATIENTS, default 20000: changed and new patients into them)
#   messaging  BenchmarkSMS (100,000 SMS) and BenchmarkSMSPaced (10,000 SMS at 500/s)
#   demo       `/usr/bin/time -v rapport demo --patients 100000`: wall time and peak RSS
#
# A part whose prerequisites are missing is skipped with a message (and a row
# that says so); each part is bounded in time and a part that times out or
# fails gets a row that says so. The PostgreSQL benchmarks run on a throwaway
# cluster started as scripts/test.sh does, unless RAPPORT_TEST_POSTGRES is set.
#
# Environment:
#   RAPPORT_BENCH_PKGS        packages of the go part (default ./...)
#   RAPPORT_BENCH_CACHE       where the generated NDJSON is kept between runs
#                             (default ~/.cache/rapport-bench)
#   RAPPORT_BENCH_NDJSON      an existing Patient NDJSON file: no generation
#   RAPPORT_BENCH_IMPORT_PATIENTS   size of the generated file (default 1000000)
#   RAPPORT_BENCH_DEMO_PATIENTS     patients of the demo part (default 100000)
#   RAPPORT_BENCH_SMS         SMS of BenchmarkSMS (default 100000)
#   RAPPORT_BENCH_PATIENTS    patients of the e2e campaign benchmarks (default 5000)
#   RAPPORT_BENCH_BASE, RAPPORT_BENCH_CLIENTS, RAPPORT_BENCH_POSTS   the live-feed benchmark's
#                             population, concurrent clients and requests (20000, 50, 2000)
#   RAPPORT_BENCH_RATE        the paced live feed's requests a second (default 100)
#   RAPPORT_BENCH_TIMEOUT     seconds each part may take (default 1800)
#   RAPPORT_BENCH_OUT         the file to append to (default BENCHMARKS.md)
#   RAPPORT_NO_INSTALL=1      never call apt-get
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

all_parts=(go e2e import messaging demo)

case ${1:-} in
-h | --help)
	sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
	exit 0
	;;
--list)
	sed -n '/^# Parts:/,/^# A part/p' "$0" | sed -e '1d' -e '$d' -e 's/^# \{0,1\}//'
	exit 0
	;;
esac

parts=("$@")
[ "${#parts[@]}" -gt 0 ] || parts=("${all_parts[@]}")
for p in "${parts[@]}"; do
	case " ${all_parts[*]} " in
	*" $p "*) ;;
	*)
		printf 'bench.sh: unknown part %q (parts: %s)\n' "$p" "${all_parts[*]}" >&2
		exit 2
		;;
	esac
done

ensure_go
export CGO_ENABLED=0

out=${RAPPORT_BENCH_OUT:-BENCHMARKS.md}
cache=${RAPPORT_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rapport-bench}
part_timeout=${RAPPORT_BENCH_TIMEOUT:-1800}
import_patients=${RAPPORT_BENCH_IMPORT_PATIENTS:-1000000}
demo_patients=${RAPPORT_BENCH_DEMO_PATIENTS:-100000}
sms=${RAPPORT_BENCH_SMS:-100000}
pkgs=${RAPPORT_BENCH_PKGS:-./...}

work=$(mktemp -d "${TMPDIR:-/tmp}/rapport-bench.XXXXXX")
logs="$work/logs"
mkdir -p "$logs" "$cache"
rows="$work/rows.md" # the rows of this run, appended to $out at the end
: >"$rows"
cluster=""
run_start=$(date -u '+%Y-%m-%d %H:%M UTC')

# ---------------------------------------------------------------- facts

machine() {
	local model
	model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
	[ -n "$model" ] || model=$(uname -m)
	printf '%s × %s' "$(nproc)" "$model"
}

loadavg() { awk '{ print $1, $2, $3 }' /proc/loadavg 2>/dev/null || echo "?"; }

commit() {
	local c
	c=$(git rev-parse --short HEAD 2>/dev/null) || {
		echo "?"
		return
	}
	git diff --quiet HEAD -- 2>/dev/null || c="$c-dirty"
	printf '%s' "$c"
}

MACHINE=$(machine)
COMMIT=$(commit)
LOAD="" # set when each part starts

# md escapes a Markdown table cell.
md() { printf '%s' "$*" | sed -e 's/|/\\|/g'; }

# row COMMAND BENCHMARK FIGURE appends one row of this run.
row() {
	# shellcheck disable=SC2016 # the backticks are Markdown
	printf '| %s | %s | %s | %s | `%s` | %s | %s |\n' \
		"$(date -u +%Y-%m-%d)" "$(md "$MACHINE")" "$(md "$LOAD")" "$COMMIT" \
		"$(md "$1")" "$(md "$2")" "$(md "$3")" >>"$rows"
}

# skip PART COMMAND REASON says why a part does not run, and records it.
skip() {
	warn "bench $1 SKIPPED: $3"
	row "$2" "$1" "skipped: $3"
}

# finish appends this run's table, removes the cluster and the scratch files,
# and keeps the exit status.
finish() {
	local rc=$?
	trap - EXIT INT TERM
	if [ -n "$cluster" ]; then pg_destroy "$cluster" || true; fi
	if [ -s "$rows" ]; then
		if [ ! -f "$out" ]; then
			cat >"$out" <<-'EOF'
				# Benchmarks

				Figures measured by `scripts/bench.sh` (`make bench`), newest last. Each run appends a
				table; "load" is the load average (1, 5, 15 min) when the part started: figures taken on a
				busy machine are not comparable with those of an idle one. `-dirty` after a commit means the
				work tree had changes.

				How to reproduce: `make bench` runs every part; `scripts/bench.sh PART…` runs some
				(`scripts/bench.sh --list`). The import part generates its input once with
				`rapport generate --patients 1000000 --resources patients --out DIR` and keeps it in
				`~/.cache/rapport-bench`.
			EOF
		fi
		{
			# shellcheck disable=SC2016 # the backticks are Markdown
			printf '\n### %s — `scripts/bench.sh %s`\n\n' "$run_start" "${parts[*]}"
			printf '| Date | Machine | Load at start | Commit | Command | Benchmark | Figure |\n'
			printf '|---|---|---|---|---|---|---|\n'
			cat "$rows"
		} >>"$out"
		log "appended $(wc -l <"$rows") rows to $out"
	fi
	print_timings
	log "logs: $logs"
	# Keep the logs, drop the rest (databases can be large).
	find "$work" -mindepth 1 -maxdepth 1 ! -name logs -exec rm -rf {} + 2>/dev/null || true
	exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- running

# bounded LOG CMD... runs CMD for at most $part_timeout seconds, its output
# going to LOG, and prints a word for a failed run: "" on success, else
# "TIMED OUT after Ns", "INTERRUPTED (signal N)" or "FAILED (exit N)".
bounded() {
	local log=$1 rc=0
	shift
	timeout --kill-after=30 "$part_timeout" "$@" >"$log" 2>&1 || rc=$?
	case $rc in
	0) ;;
	124 | 137) printf 'TIMED OUT after %ss' "$part_timeout" ;;
	129 | 130 | 143) printf 'INTERRUPTED (signal %s)' "$((rc - 128))" ;;
	*) printf 'FAILED (exit %s)' "$rc" ;;
	esac
}

# gobench_rows COMMAND LOG appends a row per benchmark line of LOG: its
# figures as "value unit" pairs (ns/op left out when a benchmark zeroes it
# to report its own figures).
gobench_rows() {
	local cmd=$1 log=$2 n=0 name figs
	while IFS=$'\t' read -r name figs; do
		row "$cmd" "$name" "$figs"
		n=$((n + 1))
	done < <(awk '
		/^Benchmark/ && $2 ~ /^[0-9]+$/ {
			name = $1; sub(/-[0-9]+$/, "", name)
			figs = $2 " runs"
			for (i = 3; i + 1 <= NF; i += 2) {
				if ($(i+1) == "ns/op" && $i == 0) continue
				figs = figs ", " $i " " $(i+1)
			}
			printf "%s\t%s\n", name, figs
		}' "$log")
	[ "$n" -gt 0 ] || row "$cmd" "–" "no benchmark ran (see $log)"
}

# gobench PART LOGNAME ARGS... runs go test with benchmark ARGS and records
# every benchmark line.
gobench() {
	local part=$1 name=$2 bad
	shift 2
	local cmd
	cmd="go test -run '^\$' $(printf '%q ' "$@")"
	cmd=${cmd% }
	log "$cmd"
	bad=$(bounded "$logs/$name.log" go test -run '^$' -timeout "${part_timeout}s" "$@")
	grep -E '^(Benchmark|ok|FAIL|---)' "$logs/$name.log" >&2 || true
	gobench_rows "$cmd" "$logs/$name.log"
	[ -z "$bad" ] || row "$cmd" "$part" "$bad (see $logs/$name.log)"
}

# timed NAME COMMAND-SHOWN CMD... runs CMD under GNU time and records its wall
# time, CPU share and peak RSS.
timed() {
	local name=$1 shown=$2 bad figs
	shift 2
	log "$shown"
	bad=$(bounded "$logs/$name.log" /usr/bin/time -v "$@")
	figs=$(awk -F': ' '
		/Elapsed \(wall clock\) time/ {
			n = split($2, t, ":"); s = 0
			for (i = 1; i <= n; i++) s = s * 60 + t[i]
			wall = sprintf("wall %.1f s", s)
		}
		/Percent of CPU this job got/ { cpu = "CPU " $2 }
		/Maximum resident set size \(kbytes\)/ { rss = sprintf("peak RSS %.0f MiB", $2 / 1024) }
		END { printf "%s, %s, %s", wall, rss, cpu }' "$logs/$name.log")
	if [ -n "$bad" ]; then figs="$bad, $figs (see $logs/$name.log)"; fi
	tail -n 3 "$logs/$name.log" | sed 's/^/    /' >&2
	row "$shown" "$name" "$figs"
}

# ---------------------------------------------------------------- prerequisites

# need_postgres starts the throwaway cluster once, or uses
# RAPPORT_TEST_POSTGRES; it fails, saying why, when it cannot.
pg_tried=0
need_postgres() {
	[ -z "${RAPPORT_TEST_POSTGRES:-}" ] || return 0
	[ "$pg_tried" = 0 ] || return 1
	pg_tried=1
	ensure_commands "initdb:postgresql"
	have_command initdb || {
		warn "PostgreSQL is not installed: its benchmarks are SKIPPED (apt-get install -y postgresql)"
		return 1
	}
	pg_sweep_stale
	cluster=$(mktemp -d "$(pg_tmpbase)/rapport-pgtest.XXXXXX") || return 1
	printf '%s\n' "$$" >"$cluster/owner"
	if ! { phase "initdb" pg_init "$cluster" && phase "start postgres" pg_start "$cluster"; }; then
		warn "could not start PostgreSQL: its benchmarks are SKIPPED"
		pg_destroy "$cluster"
		cluster=""
		return 1
	fi
	RAPPORT_TEST_POSTGRES=$(pg_dsn "$(cat "$cluster/port")")
	export RAPPORT_TEST_POSTGRES
	log "PostgreSQL at $RAPPORT_TEST_POSTGRES"
}

# need_time makes sure GNU time is at /usr/bin/time (the shell keyword is not
# enough: it has no -v).
need_time() {
	[ -x /usr/bin/time ] && return 0
	can_apt && apt_install time >&2
	[ -x /usr/bin/time ]
}

# need_binary builds bin/rapport once.
built=0
need_binary() {
	[ "$built" = 0 ] || return 0
	phase "build bin/rapport" go build -o bin/rapport ./cmd/rapport && built=1
}

# need_ndjson prints the path of the Patient NDJSON file, generating it into
# the cache when missing.
need_ndjson() {
	if [ -n "${RAPPORT_BENCH_NDJSON:-}" ]; then
		[ -s "$RAPPORT_BENCH_NDJSON" ] && { printf '%s\n' "$RAPPORT_BENCH_NDJSON"; return 0; }
		warn "RAPPORT_BENCH_NDJSON=$RAPPORT_BENCH_NDJSON is missing or empty"
		return 1
	fi
	local dir="$cache/patients-$import_patients" file
	file=$(find "$dir/fhir" -name 'Patient*.ndjson' -size +0 2>/dev/null | sort | head -n 1)
	if [ -z "$file" ]; then
		log "generating $import_patients patients into $dir (once; kept for later runs)"
		rm -rf "$dir.tmp"
		need_binary >&2 || return 1
		if ! phase "generate $import_patients patients" timeout "$part_timeout" \
			./bin/rapport generate --patients "$import_patients" --resources patients --out "$dir.tmp" >"$logs/generate.log" 2>&1; then
			warn "could not generate the NDJSON file (see $logs/generate.log)"
			return 1
		fi
		rm -rf "$dir" && mv "$dir.tmp" "$dir"
		file=$(find "$dir/fhir" -name 'Patient*.ndjson' -size +0 | sort | head -n 1)
	fi
	[ -n "$file" ] && printf '%s\n' "$file"
}

# ---------------------------------------------------------------- parts

part_go() {
	need_postgres || true # without it the PostgreSQL benchmarks skip themselves
	# shellcheck disable=SC2086 # RAPPORT_BENCH_PKGS may name several packages
	gobench go go -bench . -benchmem -skip 'BenchmarkImportNDJSON|BenchmarkImportDelta|BenchmarkImportUnchanged|BenchmarkSMS|BenchmarkCampaign|BenchmarkFHIRPost' $pkgs
}

part_e2e() {
	need_postgres || true # without it the PostgreSQL variant skips itself
	gobench e2e e2e-campaign -bench 'BenchmarkCampaign|BenchmarkFHIRPost' -benchtime 1x ./e2e/
	# The live feed again at the pace a feed sends, 100 requests a second.
	RAPPORT_BENCH_RATE=${RAPPORT_BENCH_RATE:-100} gobench e2e e2e-feed-paced -bench 'BenchmarkFHIRPost' -benchtime 1x ./e2e/
}

part_import() {
	local file
	file=$(need_ndjson) || {
		skip import "rapport import fhir" "no NDJSON input (see the messages above)"
		return 0
	}
	log "input: $file ($(du -h "$file" | cut -f1))"
	if ! need_postgres; then warn "import on PostgreSQL SKIPPED: no PostgreSQL"; fi
	RAPPORT_BENCH_NDJSON=$file gobench import import-go -bench BenchmarkImportNDJSON -benchtime 1x -benchmem ./importer/
	# The nightly sync (issue 16): changed and new patients into a database holding some.
	gobench import import-delta -bench 'BenchmarkImportDelta|BenchmarkImportUnchanged' -benchtime 3x ./importer/
	if ! need_time; then
		skip import "/usr/bin/time -v rapport import fhir" "GNU time is missing (apt-get install -y time)"
		return 0
	fi
	need_binary || return 1
	rm -f "$work/import.db"*
	timed import-sqlite "rapport import fhir FILE --db sqlite:DB ($import_patients patients)" \
		./bin/rapport import fhir "$file" --db "sqlite:$work/import.db"
	rm -f "$work/import.db"*
	if [ -n "${RAPPORT_TEST_POSTGRES:-}" ]; then
		local db="rapport_bench_$$" dsn
		dsn=$(printf '%s' "$RAPPORT_TEST_POSTGRES" | sed -E "s#/[^/?]*(\?|\$)#/$db\1#")
		if pg_as psql -q -d "$RAPPORT_TEST_POSTGRES" -c "CREATE DATABASE $db" >"$logs/createdb.log" 2>&1; then
			timed import-postgres "rapport import fhir FILE --db postgres://… ($import_patients patients)" \
				./bin/rapport import fhir "$file" --db "$dsn"
			pg_as psql -q -d "$RAPPORT_TEST_POSTGRES" -c "DROP DATABASE $db" >/dev/null 2>&1 || true
		else
			skip import "rapport import fhir FILE --db postgres://…" "could not create a database (see $logs/createdb.log)"
		fi
	else
		skip import "rapport import fhir FILE --db postgres://…" "no PostgreSQL"
	fi
}

part_messaging() {
	need_postgres || true
	gobench messaging messaging-sms -bench 'BenchmarkSMS$' -benchtime "${sms}x" -benchmem ./messaging/
	gobench messaging messaging-paced -bench 'BenchmarkSMSPaced$' -benchtime 10000x ./messaging/
}

part_demo() {
	need_binary || return 1
	local help
	help=$(./bin/rapport demo --help 2>&1 || true) # --help exits 2 by design
	if [[ $help == *"unknown command"* ]]; then
		skip demo "rapport demo --patients $demo_patients" "this rapport has no demo command yet"
		return 0
	fi
	if ! need_time; then
		skip demo "rapport demo --patients $demo_patients" "GNU time is missing (apt-get install -y time)"
		return 0
	fi
	# The demo writes its reports into the working folder: use a scratch one.
	mkdir -p "$work/demo"
	local bin
	bin="$(pwd)/bin/rapport"
	# shellcheck disable=SC2016 # $1 and $@ belong to the inner shell
	timed demo "rapport demo --patients $demo_patients" \
		bash -c 'cd "$1" && shift && exec "$@"' _ "$work/demo" "$bin" demo --patients "$demo_patients"
}

for p in "${parts[@]}"; do
	LOAD=$(loadavg)
	log "part $p (load average $LOAD)"
	phase "bench $p" "part_$p" || warn "part $p failed"
done
