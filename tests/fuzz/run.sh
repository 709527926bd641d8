#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build (CC=clang meson setup BUILD
# -Dfuzz=true) for SECONDS each, starting from the seed corpora in the tree
# (copied: the tree is not written). A crash, leak, sanitizer report or
# timeout fails the run. Prints "fuzz: N passed, N failed".
set -u
build=$(cd "${1:-build-fuzz}" && pwd) || exit 1
secs=${2:-10}
top=$(cd "$(dirname "$0")/../.." && pwd)
pass=0
fail=0
work=$(mktemp -d /tmp/imsagw-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT

for exe in $(find "$build/tests/fuzz" -type f -name 'fuzz_*' -perm -u+x | sort); do
	name=$(basename "$exe")
	mod=$(basename "$(dirname "$exe")")
	corpus=$work/$name
	mkdir -p "$corpus"
	# Seeds: tests/fuzz/<module>/corpus_*/ that belong to this target.
	for seeds in "$top/tests/fuzz/$mod"/corpus_*; do
		[ -d "$seeds" ] || continue
		case $name in *"${seeds##*corpus_}"*) cp -r "$seeds"/. "$corpus"/ ;; esac
	done
	# H.248 messages and TPKT frames go up to 65,535 bytes (the largest an
	# Iq datagram or TPKT frame can carry); the others stay short.
	case $name in fuzz_h248* | fuzz_iq_*) maxlen=65535 ;; *) maxlen=8192 ;; esac
	if (cd "$work" && "$exe" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len="$maxlen" -print_final_stats=1 "$corpus" >"$work/$name.log" 2>&1); then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$name.log")
		echo "fuzz $name: ok, ${execs:-?} inputs in ${secs}s"
		pass=$((pass + 1))
	else
		echo "fuzz $name: FAILED"
		tail -40 "$work/$name.log"
		fail=$((fail + 1))
	fi
done
[ $((pass + fail)) -gt 0 ] || { echo "fuzz: no targets found in $build"; fail=1; }
echo "fuzz: $pass passed, $fail failed"
[ $fail = 0 ]
