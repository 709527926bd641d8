#!/usr/bin/env bash
# Integration: keys do not leave in a core file. With the default
# process.core_dumps = false the gateway is not dumpable: a crash
# (SIGSEGV, core limit unlimited) leaves no core file. The same crash with
# core_dumps = true leaves one, which shows the check can see a core.
set -u
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
# A sanitizer build catches the signal itself and reports it.
ldd "$IMSAGW" 2>/dev/null | grep -q 'libasan\|libubsan' && { echo "SKIP: sanitizer build"; exit 77; }
pattern=$(cat /proc/sys/kernel/core_pattern)
[ "$pattern" = core ] || { echo "SKIP: kernel.core_pattern is '$pattern', not 'core'"; exit 77; }

cp "$CONF" "$WORK/gw.conf"
CONF=$WORK/gw.conf
cd "$WORK" || die "cd $WORK"
ulimit -c unlimited

crash() { # the gateway dies by SIGSEGV; wait for it
	kill -SEGV "$GW_PID"
	for _ in $(seq 1 100); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.1; done
	wait "$GW_PID" 2>/dev/null
	GW_PID=
}
cores() { find "$WORK" -maxdepth 1 -type f \( -name core -o -name 'core.[0-9]*' \) | wc -l; }

gw_start
crash
[ "$(cores)" = 0 ] || die "a core file was written with core_dumps = false"
log "ok: process.core_dumps = false: SIGSEGV left no core file"

echo 'process = { core_dumps = true; };' >>"$WORK/gw.conf"
CONF=$WORK/gw.conf # (gw_start pointed it at its INSTANCE copy)
gw_start
# Only the ELF notes and mappings, no memory: a small file is enough here.
echo 0 >/proc/"$GW_PID"/coredump_filter
crash
[ "$(cores)" -ge 1 ] || die "no core file with core_dumps = true: the check cannot see cores"
find "$WORK" -maxdepth 1 -type f \( -name core -o -name 'core.[0-9]*' \) -delete
log "ok: process.core_dumps = true: the same crash left a core file"
log "PASS: test_coredump"
