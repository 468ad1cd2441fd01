#!/usr/bin/env bash
# Run grace on every hostile input and print a table:
#
#   tests/hostile/run.sh [GRACE] [DIR]
#
# GRACE defaults to target/release/grace; DIR (the generated inputs) to a
# new directory filled by make.sh. For each file:
#   timeout 60 GRACE check FILE --max-states 100000
# under /usr/bin/time, with the address space capped at 8 GiB so that a
# runaway allocation aborts instead of taking the machine down. Columns:
# exit status, what was printed (`error` = a file:line:col diagnostic,
# `report`, or the failure), seconds, peak resident KB, verdict.
# A verdict other than `ok` is a bug: a panic ("internal error"), a stack
# overflow, an abort, a hang past 60 s, more than 4 GiB of memory, or an
# exit status other than the one a file names in a `hostile-expect: exit N`
# line (`exit 0|2`: either is right).
# Each run's stdout/stderr are kept in DIR/logs/. Exit status 1 if any bug.
set -u

here=$(cd "$(dirname "$0")" && pwd)
grace=${1:-$here/../../target/release/grace}
grace=$(cd "$(dirname "$grace")" && pwd)/$(basename "$grace")
dir=${2:-}
if [ -z "$dir" ]; then
	dir=$("$here/make.sh")
elif [ ! -e "$dir/binary_garbage.gr" ]; then
	"$here/make.sh" "$dir" > /dev/null
fi
logs=$dir/logs
mkdir -p "$logs"

LIMIT_KB=$((4 * 1024 * 1024))
bugs=0
printf '| %-34s | %9s | %4s | %-6s | %7s | %9s | %-14s | %s\n' file bytes exit prints time peak_KB verdict "first line"
printf '|%s\n' "------------------------------------|-----------|------|--------|---------|-----------|----------------|------"
for f in "$here"/*.gr "$dir"/*.gr; do
	name=$(basename "$f")
	out=$logs/$name.out
	err=$logs/$name.err
	tim=$logs/$name.time
	(
		ulimit -v $((8 * 1024 * 1024))
		/usr/bin/time -f "%e %M" -o "$tim" timeout 60 "$grace" check "$f" --max-states 100000 > "$out" 2> "$err"
	)
	rc=$(grep -oE 'exited with non-zero status [0-9]+|signal [0-9]+' "$tim" | grep -oE '[0-9]+$' | tail -1)
	[ -z "$rc" ] && rc=0
	grep -q 'signal' "$tim" && rc=$((128 + rc))
	read -r secs kb < <(tail -1 "$tim")
	first=$( (head -c 300 "$err"; head -c 300 "$out") | head -1 | cut -c1-110)
	prints=other
	if grep -qE '^(.*/)?'"$name"':[0-9]+:[0-9]+:' "$err" "$out" 2> /dev/null; then
		prints=error
	elif head -c 2000 "$out" | grep -qE "^(.*/)?$name: memory"; then
		prints=report
	fi
	verdict=ok
	if grep -q 'internal error' "$err"; then
		verdict="BUG panic"
	elif grep -q 'overflowed its stack' "$err"; then
		verdict="BUG stack"
	elif grep -q 'memory allocation of' "$err"; then
		verdict="BUG alloc"
	elif [ "$rc" = 124 ]; then
		verdict="BUG hang"
	elif [ "$rc" -gt 128 ]; then
		verdict="BUG signal"
	elif [ "${kb:-0}" -gt $LIMIT_KB ]; then
		verdict="BUG memory"
	elif [ "$prints" = other ]; then
		verdict="? output"
	fi
	want=$(head -c 4096 "$f" | grep -a -oE 'hostile-expect: exit [0-9|]+' | head -1 | sed 's/.*exit //')
	if [ "$verdict" = ok ] && [ -n "$want" ] && ! [[ "|$want|" == *"|$rc|"* ]]; then
		verdict="BUG exit!=$want"
	fi
	[ "$verdict" = ok ] || bugs=$((bugs + 1))
	printf '| %-34s | %9s | %4s | %-6s | %7s | %9s | %-14s | %s\n' "$name" "$(stat -c %s "$f")" "$rc" "$prints" "$secs" "$kb" "$verdict" "$first"
done
echo "inputs in $dir, logs in $logs; $bugs not ok"
[ "$bugs" = 0 ]
