#!/usr/bin/env bash
# Scale: what tracing many functions costs gotrace itself, as figures printed
# each run (medians), next to the goals; never a pass/fail timing.
#
#   attach, detach   1, 100 and 1,000 functions of testdata/many (-p), as
#                    gotrace -v accounts for them: uprobe_multi links, and
#                    perf-event uprobes (--perf-uprobes) for 1 and 100 (each
#                    of those takes a grace period to close: 1,000 would
#                    take minutes)
#   whole run        gotrace -d 3 on the 1,000: start-up, 3 s, detach
#   start-up         to the first probe, one function of testdata/large
#                    (12 MB): gotrace -v's phases, and the whole process
#                    with -d 0.001 (start-up, then detach)
#   memory           peak RSS (/usr/bin/time): 1,000 functions for 2 s, and
#                    one function of testdata/large
#
# Usage: bench/scale.sh [ROUNDS]   (as root, from anywhere)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
many=build/testdata/many
large=build/testdata/large

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# the number after WORD in gotrace -v's stderr
after() { awk -v w="$1" '{for (i = 1; i < NF; i++) if ($i == w) {print $(i + 1); exit}}'; }

"$many" -interval 100ms >/dev/null &
target=$!
trap 'kill $target 2>/dev/null' EXIT
sleep 0.5

# attach and detach, ms: "$1 $2" for pattern $1, options $2
attach_detach() {
	local pattern=$1 opts=$2 log a=() d=() i
	for ((i = 0; i < rounds; i++)); do
		# shellcheck disable=SC2086
		log=$(./gotrace -v $opts -d 0.2 -p "$target" -o /dev/null "$pattern" 2>&1 >/dev/null)
		a+=("$(grep '^start-up:' <<<"$log" | sed 's/.*attach \([0-9]*\) ms.*/\1/')")
		d+=("$(grep '^detached' <<<"$log" | after in)")
	done
	printf '%s %s\n' "$(printf '%s\n' "${a[@]}" | median)" "$(printf '%s\n' "${d[@]}" | median)"
}

printf 'attach and detach (ms, median of %d), testdata/many under -p:\n' "$rounds"
printf '  %-10s %-28s %8s %8s\n' functions mechanism attach detach
for n in 1 100 1000; do
	case $n in
	1) pattern=main.F0000 ;;
	100) pattern='main.F00*' ;;
	1000) pattern='main.F*' ;;
	esac
	read -r a d < <(attach_detach "$pattern" "")
	printf '  %-10s %-28s %8s %8s\n' "$n" "uprobe_multi links" "$a" "$d"
	if [ "$n" != 1000 ]; then
		read -r a d < <(attach_detach "$pattern" --perf-uprobes)
		printf '  %-10s %-28s %8s %8s\n' "$n" "perf-event uprobes" "$a" "$d"
	fi
done
echo "  goal: detaching 1,000 functions takes one grace period, not one per probe"

walls=() rss=()
for ((i = 0; i < rounds; i++)); do
	out=$(/usr/bin/time -f 'TIME %e %M' ./gotrace -d 3 -p "$target" -o /dev/null 'main.F*' \
		2>&1 >/dev/null | grep '^TIME')
	walls+=("$(awk '{print $2}' <<<"$out")")
	rss+=("$(awk '{print $3}' <<<"$out")")
done
printf 'whole run, gotrace -d 3 on 1,000 functions: %s s (goal <= 3.5 s)\n' \
	"$(printf '%s\n' "${walls[@]}" | median)"
printf 'peak RSS, 1,000 functions: %s MB (goal <= 30 MB)\n' \
	"$(printf '%s\n' "${rss[@]}" | median | awk '{printf "%.1f", $1 / 1024}')"
kill $target
trap - EXIT

starts=() phases=() walls=() rss=()
for ((i = 0; i < rounds; i++)); do
	log=$(./gotrace -v -d 0.001 -o /dev/null "$large" main.work 2>&1 >/dev/null)
	starts+=("$(grep '^start-up:' <<<"$log" | after start-up:)")
	phases+=("$(grep '^start-up:' <<<"$log" | sed 's/.*first probe: //')")
	out=$(/usr/bin/time -f 'TIME %e %M' ./gotrace -d 0.001 -o /dev/null "$large" main.work \
		2>&1 >/dev/null | grep '^TIME')
	walls+=("$(awk '{print $2}' <<<"$out")")
	rss+=("$(awk '{print $3}' <<<"$out")")
done
printf 'start-up to the first probe, one function of testdata/large (%s MB): %s ms (goal <= 150 ms)\n' \
	"$(stat -c %s "$large" | awk '{printf "%.1f", $1 / 1e6}')" \
	"$(printf '%s\n' "${starts[@]}" | median)"
printf '  phases, last round: %s\n' "${phases[-1]}"
printf '  whole process (start-up, then detach): %s s\n' "$(printf '%s\n' "${walls[@]}" | median)"
printf 'peak RSS, one function of testdata/large: %s MB\n' \
	"$(printf '%s\n' "${rss[@]}" | median | awk '{printf "%.1f", $1 / 1024}')"
