#!/bin/bash
# tests/fuzz/run.sh DIR SECONDS HARNESS...
#
# Runs each libFuzzer harness DIR/fuzz_HARNESS: first once over its
# committed regression inputs (tests/fuzz/regressions/HARNESS), then for
# SECONDS on its corpus (DIR/corpus/HARNESS, grown from DIR/seeds/HARNESS).
# Prints libFuzzer's "Done N runs in S second(s)" line for each, and the
# rate. A crash, leak or timeout fails the run: its input is left in
# DIR/artifacts/HARNESS/ and the end of libFuzzer's log is shown.
set -u
dir=$1
seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
status=0
total_runs=0
total_seconds=0
for h in "$@"; do
	bin=$dir/fuzz_$h
	log=$dir/fuzz_$h.log
	mkdir -p "$dir/corpus/$h" "$dir/artifacts/$h" "$dir/seeds/$h"
	regressions=("$here/regressions/$h"/*)
	if [ -e "${regressions[0]}" ]; then
		if ! "$bin" "${regressions[@]}" >"$log" 2>&1; then
			echo "fuzz_$h: a regression input fails again:"
			tail -n 40 "$log"
			status=1
			continue
		fi
		echo "fuzz_$h: ${#regressions[@]} regression inputs pass"
	fi
	"$bin" -max_total_time="$seconds" -timeout=10 -artifact_prefix="$dir/artifacts/$h/" \
		"$dir/corpus/$h" "$dir/seeds/$h" >"$log" 2>&1
	rc=$?
	done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1)
	if [ "$rc" -ne 0 ] || [ -z "$done_line" ]; then
		echo "fuzz_$h: FAILED (exit $rc), see $log:"
		tail -n 40 "$log"
		status=1
		continue
	fi
	runs=$(echo "$done_line" | awk '{print $2}')
	secs=$(echo "$done_line" | awk '{print $5}')
	total_runs=$((total_runs + runs))
	total_seconds=$((total_seconds + secs))
	printf 'fuzz_%-10s %s  (%d runs/s)\n' "$h" "$done_line" $((runs / (secs > 0 ? secs : 1)))
done
printf 'fuzz total:     %d runs in %d seconds\n' "$total_runs" "$total_seconds"
exit $status
