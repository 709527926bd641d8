#!/usr/bin/env bash
# Runs every meson test suite of the normal build, then the unit and
# integration suites of the ASan/UBSan build, the threaded unit tests of the
# TSan build (TSAN_BUILD, TSAN_TESTS: see the Makefile's tsan target) and the
# fuzz targets, and prints one closing line "N passed, N failed".
# Exit status: non-zero when any test failed.
set -u
build=${1:-build}
asan=${2:-build-asan}
fuzz=${3:-}
status=0
total_ok=0
total_fail=0

count() { # $1 build dir: adds the last run's counts from meson's log
	local log=$1/meson-logs/testlog.json ok fail
	[ -f "$log" ] || return
	ok=$(grep -c '"result": "OK"' "$log" || true)
	fail=$(grep -vc '"result": "\(OK\|SKIP\|EXPECTEDFAIL\)"' "$log" || true)
	total_ok=$((total_ok + ok))
	total_fail=$((total_fail + fail))
}

echo "== unit and integration tests ($build)"
meson test -C "$build" --print-errorlogs --num-processes 2 || status=1
count "$build"

echo "== unit and integration tests under ASan/UBSan ($asan)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	meson test -C "$asan" --suite unit --suite integration --print-errorlogs --num-processes 2 \
	--timeout-multiplier 4 || status=1
count "$asan"

if [ -n "${TSAN_BUILD:-}" ] && [ -n "${TSAN_TESTS:-}" ]; then
	echo "== threaded unit tests under TSan ($TSAN_BUILD)"
	# shellcheck disable=SC2086 # TSAN_TESTS is a list of test names
	TSAN_OPTIONS="halt_on_error=0 suppressions=$(cd "$(dirname "$0")" && pwd)/tsan/suppressions.txt" \
		meson test -C "$TSAN_BUILD" --no-rebuild --print-errorlogs --timeout-multiplier 4 \
		$TSAN_TESTS || status=1
	count "$TSAN_BUILD"
fi

if [ -n "$fuzz" ]; then
	echo "== fuzz targets, ${FUZZ_SECONDS:-10} s each ($fuzz)"
	bash "$(dirname "$0")/fuzz/run.sh" "$fuzz" "${FUZZ_SECONDS:-10}" >"$fuzz/fuzz-summary.txt" 2>&1 ||
		status=1
	cat "$fuzz/fuzz-summary.txt"
	ok=$(sed -n 's/^fuzz: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$fuzz/fuzz-summary.txt")
	fail=$(sed -n 's/^fuzz: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$fuzz/fuzz-summary.txt")
	total_ok=$((total_ok + ${ok:-0}))
	total_fail=$((total_fail + ${fail:-1}))
fi

echo "tests: $total_ok passed, $total_fail failed"
exit $status
