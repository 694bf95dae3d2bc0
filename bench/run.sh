#!/usr/bin/env bash
# Per-call cost of tracing, as ratios taken in one run (never a pass/fail timing).
#
# A tight loop calls main.tiny(a, b int, s string), marked //go:noinline, N times:
#   untraced   the loop alone
#   noop       under a uprobe whose program does nothing: the bare trap cost
#   gotrace    under gotrace capturing the arguments, events to /dev/null
# ratio = (gotrace - untraced) / (noop - untraced): what gotrace adds on top of
# the trap it cannot avoid. The goal is <= 1.3.
#
# Usage: bench/run.sh [CALLS] [ROUNDS]   (run as root, from the repo root)
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-1000000}
rounds=${2:-3}
bench=build/testdata/bench
extra=${GOTRACE_BENCH_ARGS:-}

run() { # prints ns per call
	"$@" | awk '/^ns_per_call/ {print $2}'
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -a base noop traced
for ((i = 0; i < rounds; i++)); do
	base+=("$(run "$bench" -n "$calls")")
	noop+=("$(run ./gotrace --noop -o /dev/null -c "$bench -n $calls" main.tiny 2>/dev/null)")
	traced+=("$(run ./gotrace $extra -j -o /dev/null -c "$bench -n $calls" main.tiny 2>/dev/null)")
done
b=$(printf '%s\n' "${base[@]}" | median)
n=$(printf '%s\n' "${noop[@]}" | median)
t=$(printf '%s\n' "${traced[@]}" | median)
label="gotrace${extra:+ $extra}:"
awk -v c="$calls" -v r="$rounds" -v b="$b" -v n="$n" -v t="$t" -v l="$label" 'BEGIN {
	printf "calls per run:       %d (median of %d rounds)\n", c, r
	printf "untraced:            %8.1f ns/call\n", b
	printf "no-op uprobe:        %8.1f ns/call  (+%.1f: the bare trap)\n", n, n - b
	printf "%-20s %8.1f ns/call  (+%.1f)\n", l, t, t - b
	printf "ratio:               %8.2f  (gotrace added / trap added; goal <= 1.3)\n", (t - b) / (n - b)
}'
