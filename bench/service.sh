#!/usr/bin/env bash
# Service: what tracing adds per request to a loaded Go web server, against
# bpftrace on the same uprobe, as figures and ratios taken in one run (never a
# pass/fail timing).
#
# testdata/webserver on 127.0.0.1 (loopback only) under a paced wrk load: a
# fixed number of connections, each waiting 5 ms between requests (far
# below saturation, so every configuration serves about the same rate), for
# SERVICE_SECONDS per run. Configurations, interleaved, SERVICE_ROUNDS rounds
# (each round starts one configuration later, so no configuration always
# follows the same one):
#   untraced          the server alone
#   bpftrace count()  bpftrace -e 'uprobe:BINARY:main.handlerFunction { @ = count(); }':
#                     the trap and the least a BPF program can do in it
#   gotrace           gotrace -p PID main.handlerFunction, events to a file
#   gotrace --print   gotrace --print 'r.Method, r.URL.Path', events to a
#                     file; only when ./gotrace --help lists --print
#
# Per configuration, median (min-max) over rounds:
#   req/s             what wrk completed, per second
#   server CPU        the server's CPU per request: the run time of all its
#                     threads over the load (/proc/PID/task/*/schedstat, in
#                     ns: the utime+stime of /proc/PID/stat without its 10 ms
#                     ticks; Go does not end its threads, so none is missed),
#                     divided by the requests. The traps run in the server's
#                     threads, so their kernel time is in it, and so is what
#                     gotrace's BPF program does in them.
#                     Beside it, /proc/PID/stat's own utime and stime per
#                     request (coarse, medians): the traps land in stime.
#   added             server CPU per request minus the untraced one's, of
#                     the same round
#   tracer CPU        the tracer's own CPU per event over the load (per
#                     event printed, for gotrace): run time from schedstat;
#                     user and system from /proc/PID/stat, in ticks, so
#                     coarse. It competes with the service for the same
#                     cores. Start-up and detaching are left out.
# Events gotrace loses (its userspace behind) were still captured in the
# server's threads: what it adds to the server is whole, and its own CPU is
# per event printed.
# ratio = gotrace's added / bpftrace count()'s added: of the medians, then
# the range of the rounds' own ratios. Goals: gotrace default <= 1.5,
# --print <= 1.1. Then the same with each tracer's own CPU per request added
# to its side (no goal: what the machine as a whole pays).
# The machine may be shared: the load average is printed before and after,
# and a wide spread is said.
#
# Environment: SERVICE_ROUNDS (default 7), SERVICE_SECONDS per run (default
# 5), SERVICE_RATE requests per second asked for (default 3000); about 3
# minutes with the defaults.
# Needs root, wrk and bpftrace (scripts/install-deps.sh), bpftool.
# Usage: bench/service.sh   (as root, from anywhere)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${SERVICE_ROUNDS:-7}
seconds=${SERVICE_SECONDS:-5}
rate=${SERVICE_RATE:-3000}
delay_ms=5
threads=2
# a request and its pacing take about delay_ms + 1 ms on each connection
connections=$(((rate * (delay_ms + 1) + 999) / 1000))
((connections >= threads)) || connections=$threads
server_bin=build/testdata/webserver
handler=main.handlerFunction

die() {
	echo "service: $*" >&2
	exit 1
}
for tool in wrk bpftrace bpftool; do
	command -v "$tool" >/dev/null ||
		die "$tool: not installed (scripts/install-deps.sh installs it); not skipping"
done
((EUID == 0)) || die "needs root (uprobes, BPF)"
if ! [ -x ./gotrace ] || ! [ -x "$server_bin" ]; then
	make -s gotrace "$server_bin" >/dev/null
fi

configs=(untraced bpftrace gotrace)
help=$(./gotrace --help 2>&1 || true)
if grep -Eq -- '--print([= ]|$)' <<<"$help"; then
	configs+=(print)
	have_print=1
else
	have_print=
fi

tmp=$(mktemp -d /tmp/gotrace-service.XXXXXX)
server=
tracer=
stop_tracer() {
	if [ -n "$tracer" ]; then
		kill -INT "$tracer" 2>/dev/null || true
		wait "$tracer" 2>/dev/null || true
		tracer=
	fi
}
cleanup() {
	stop_tracer
	if [ -n "$server" ]; then
		kill "$server" 2>/dev/null || true
		wait "$server" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
# after the run under way (at most SERVICE_SECONDS), then cleanup
trap 'echo "service: interrupted" >&2; exit 130' INT TERM

# paced: each connection waits delay_ms before each request; done() sums up
cat >"$tmp/paced.lua" <<EOF
function delay() return $delay_ms end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("PACED %d %d %f\n", summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout, summary.duration / 1e6))
end
EOF

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$server_bin" -addr "127.0.0.1:$port" >"$tmp/server.out" 2>&1 &
server=$!
url="http://127.0.0.1:$port/service"
for _ in $(seq 50); do curl -s -o /dev/null "$url" && break; sleep 0.1; done
curl -s -o /dev/null "$url" || die "testdata/webserver: not answering on 127.0.0.1:$port"

# run time of every thread of $1, ns
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%.0f\n", s}'; }
# utime and stime of $1, ticks (the fields after "pid (comm)")
ticks() { sed 's/^.*) //' /proc/"$1"/stat | awk '{print $12, $13}'; }

# wait for $1's uprobe: $2 is how (a file where gotrace says it attached, or
# "perf" for bpftrace's perf-event uprobe)
wait_attached() {
	local pid=$1 how=$2 what=$3
	for _ in $(seq 200); do
		kill -0 "$pid" 2>/dev/null || die "$what: exited before attaching: $(cat "$tmp/tracer.err" 2>/dev/null)"
		if [ "$how" = perf ]; then
			bpftool perf list -j 2>/dev/null | grep -q "\"pid\":$pid," && return 0
		else
			grep -q 'attached' "$how" 2>/dev/null && return 0
		fi
		sleep 0.05
	done
	die "$what: not attached after 10 s: $(cat "$tmp/tracer.err")"
}

# until the events file stops growing (gotrace catching up with its ring
# buffer), at most 2 s
drain() {
	local size last=-1
	for _ in $(seq 40); do
		size=$(stat -c %s "$tmp/events" 2>/dev/null || echo 0)
		((size != last)) || return 0
		last=$size
		sleep 0.05
	done
}

load() { # $1 seconds: "requests seconds"
	local out requests errors secs
	out=$(wrk -t"$threads" -c"$connections" -d"$1"s -s "$tmp/paced.lua" "$url" | grep '^PACED') ||
		die "wrk: no summary"
	read -r _ requests errors secs <<<"$out"
	((errors == 0)) || die "wrk: $errors errors in $requests requests"
	echo "$requests $secs"
}

# one run of configuration $1 in round $2: a line of $tmp/results
#   config round requests seconds server_ns tracer_ns tracer_user_ticks tracer_sys_ticks events lost
#   server_user_ticks server_sys_ticks
run() {
	local config=$1 round=$2 out s0 s1 v0 v1 w0 w1 t0=0 t1=0 u0=0 u1=0 y0=0 y1=0 requests secs events lost=0
	rm -f "$tmp/events" "$tmp/tracer.err"
	case $config in
	bpftrace)
		bpftrace -e "uprobe:$PWD/$server_bin:$handler { @ = count(); }" \
			>"$tmp/events" 2>"$tmp/tracer.err" &
		tracer=$!
		wait_attached "$tracer" perf bpftrace
		;;
	gotrace)
		./gotrace -p "$server" -o "$tmp/events" "$handler" 2>"$tmp/tracer.err" &
		tracer=$!
		wait_attached "$tracer" "$tmp/tracer.err" gotrace
		;;
	print)
		./gotrace -p "$server" --print 'r.Method, r.URL.Path' -o "$tmp/events" "$handler" \
			2>"$tmp/tracer.err" &
		tracer=$!
		wait_attached "$tracer" "$tmp/tracer.err" "gotrace --print"
		;;
	esac
	s0=$(cpu_ns "$server")
	read -r v0 w0 <<<"$(ticks "$server")"
	if [ -n "$tracer" ]; then
		t0=$(cpu_ns "$tracer")
		read -r u0 y0 <<<"$(ticks "$tracer")"
	fi
	out=$(load "$seconds")
	s1=$(cpu_ns "$server")
	read -r v1 w1 <<<"$(ticks "$server")"
	read -r requests secs <<<"$out"
	if [ -n "$tracer" ]; then
		drain
		t1=$(cpu_ns "$tracer")
		read -r u1 y1 <<<"$(ticks "$tracer")"
	fi
	stop_tracer
	events=$requests
	case $config in
	bpftrace)
		events=$(awk '/^@:/ {print $2}' "$tmp/events")
		[ -n "$events" ] || die "bpftrace: no count: $(cat "$tmp/tracer.err" 2>/dev/null)"
		;;
	gotrace | print)
		# "gotrace: N calls: ...; K events lost; ..."
		if grep -q '^gotrace: [0-9]* calls' "$tmp/tracer.err"; then
			events=$(sed -n 's/^gotrace: \([0-9]*\) calls.*/\1/p' "$tmp/tracer.err")
			lost=$(sed -n 's/.* \([0-9]*\) events lost.*/\1/p' "$tmp/tracer.err")
			lost=${lost:-0}
		fi
		;;
	esac
	((events > 0)) || [ "$config" = untraced ] || die "$config: no events"
	rm -f "$tmp/events"
	echo "$config $round $requests $secs $((s1 - s0)) $((t1 - t0)) $((u1 - u0)) $((y1 - y0)) $events $lost $((v1 - v0)) $((w1 - w0))" \
		>>"$tmp/results"
}

printf 'service: testdata/webserver on 127.0.0.1, wrk %d threads, %d connections, each %d ms between requests (paced to about %d req/s), %d s per run, %d rounds interleaved\n' \
	"$threads" "$connections" "$delay_ms" "$rate" "$seconds" "$rounds"
printf 'load average before: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "$have_print" ] || echo "--print: not in this gotrace, skipped"
load 2 >/dev/null # warm-up: connections, the heap, the page cache
for ((i = 0; i < rounds; i++)); do
	for ((j = 0; j < ${#configs[@]}; j++)); do
		run "${configs[$(((i + j) % ${#configs[@]}))]}" "$i"
	done
done
printf 'load average after:  %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"

# "median (min-max)" of the numbers on stdin, printf format $1
spread() { sort -g | awk -v f="$1" '{a[NR] = $1} END {
	printf f " (" f "-" f ")", a[int((NR + 1) / 2)], a[1], a[NR]}'; }
median() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
# a column for configuration $1: awk expression $2 over the results' fields
#   $3 requests, $4 seconds, $5 server ns, $6 tracer ns, $7 user ticks, $8 sys ticks, $9 events,
#   $10 lost, $11 and $12 the server's user and sys ticks
field() { awk -v c="$1" '$1 == c {print '"$2"'}' "$tmp/results"; }
# added µs per request, per round: $1's server CPU minus the untraced one's, same round
added() {
	awk -v c="$1" '{cpu[$1 " " $2] = $5 / 1000 / $3; if ($1 == c) r[$2] = 1}
		END {for (k in r) print cpu[c " " k] - cpu["untraced " k]}' "$tmp/results"
}
hz=$(getconf CLK_TCK)
name() {
	case $1 in
	untraced) echo untraced ;;
	bpftrace) echo "bpftrace count()" ;;
	gotrace) echo gotrace ;;
	print) echo "gotrace --print" ;;
	esac
}

echo "median (min-max) over $rounds rounds; CPU in us"
printf '%-17s %-20s %-24s %-22s %s\n' configuration req/s "server CPU/request" "added/request" \
	"tracer CPU/event: total (user, sys)"
for config in untraced bpftrace gotrace print; do
	[ "$config" != print ] || [ -n "$have_print" ] || continue
	rps=$(field "$config" "\$3 / \$4" | spread %.0f)
	cpu=$(field "$config" "\$5 / 1000 / \$3" | spread %.1f)
	if [ "$config" = untraced ]; then
		printf '%-17s %-20s %-24s\n' "$(name "$config")" "$rps" "$cpu"
		continue
	fi
	add=$(added "$config" | spread %.1f)
	total=$(field "$config" "\$6 / 1000 / \$9" | spread %.1f)
	user=$(field "$config" "\$7 * 1e6 / $hz / \$9" | median)
	sys=$(field "$config" "\$8 * 1e6 / $hz / \$9" | median)
	printf '%-17s %-20s %-24s %-22s %s (%.1f, %.1f)\n' "$(name "$config")" "$rps" "$cpu" "$add" \
		"$total" "$user" "$sys"
done
# the coarse figure beside it: the traps land in the server's system time
printf 'server CPU/request from /proc/PID/stat (10 ms ticks), user + system, medians:'
sep=' '
for config in "${configs[@]}"; do
	printf '%s%s %.1f + %.1f' "$sep" "$(name "$config")" \
		"$(field "$config" "\$11 * 1e6 / $hz / \$3" | median)" \
		"$(field "$config" "\$12 * 1e6 / $hz / \$3" | median)"
	sep='; '
done
echo
for config in bpftrace gotrace print; do
	[ "$config" != print ] || [ -n "$have_print" ] || continue
	awk -v c="$config" -v n="$(name "$config")" '$1 == c {e += $9; l += $10; r += $3}
		END {printf "calls seen, %s: %d (%s), %d events lost, over %d requests\n", n, e + l,
			c == "bpftrace" ? "counted" : e " printed", l, r}' "$tmp/results"
done

b=$(added bpftrace | median)
ratio() { # $1 config, $2 goal
	local a per_round
	a=$(added "$1" | median)
	per_round=$(awk -v c="$1" '{cpu[$1 " " $2] = $5 / 1000 / $3; if ($1 == c) r[$2] = 1}
		END {for (k in r) print (cpu[c " " k] - cpu["untraced " k]) / (cpu["bpftrace " k] - cpu["untraced " k])}' \
		"$tmp/results" | spread %.2f | sed 's/^[^ ]* (\(.*\))$/\1/')
	awk -v a="$a" -v b="$b" -v n="$(name "$1")" -v g="$2" -v p="$per_round" 'BEGIN {
		printf "ratio, %-24s %5.2f  (added / bpftrace count() added; goal <= %s; per round %s)\n",
			n ":", a / b, g, p}'
}
ratio gotrace 1.5
if [ -n "$have_print" ]; then
	ratio print 1.1
else
	echo "ratio, gotrace --print:          --print: not in this gotrace, skipped (goal <= 1.1)"
fi
# with the tracer's own CPU, which runs on the same cores
for config in gotrace print; do
	[ "$config" != print ] || [ -n "$have_print" ] || continue
	awk -v c="$config" -v n="$(name "$config")" '{cpu[$1 " " $2] = $5 / 1000 / $3
		own[$1 " " $2] = $6 / 1000 / $3; if ($1 == c) r[$2] = 1}
		END {for (k in r) print (cpu[c " " k] - cpu["untraced " k] + own[c " " k]) / (cpu["bpftrace " k] - cpu["untraced " k] + own["bpftrace " k])}' \
		"$tmp/results" |
		median | awk -v n="$(name "$config")" '{printf "ratio, %-24s %5.2f  (the same, each with its tracer'"'"'s own CPU per request added; median of rounds)\n", n " + own:", $1}'
done
# events lost: gotrace's userspace fell behind, and printed less than it was given
for config in gotrace print; do
	awk -v c="$config" -v n="$(name "$config")" '$1 == c {l += $10} END {
		if (l) printf "note: %s lost %d events: its own CPU per event is per event printed\n", n, l}' \
		"$tmp/results"
done
# a spread of more than a third of the median added: say the machine is busy
for config in bpftrace gotrace print; do
	[ "$config" != print ] || [ -n "$have_print" ] || continue
	added "$config" | sort -g | awk -v n="$(name "$config")" '{a[NR] = $1} END {
		m = a[int((NR + 1) / 2)]
		if (m > 0 && (a[NR] - a[1]) > m / 3)
			printf "note: %s: added spreads %.1f-%.1f around %.1f: the machine is busy; rerun for firmer figures\n", n, a[1], a[NR], m}'
done
