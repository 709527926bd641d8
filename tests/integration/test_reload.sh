#!/usr/bin/env bash
# Integration: SIGHUP reload takes effect, seen from the outside.
#  - crypto.suites: an e2ae call offering only AEAD_AES_128_GCM is answered
#    in GCM; after a reload that disables GCM the same offer is refused over
#    Iq with an error descriptor, while AES_CM_128_HMAC_SHA1_80 still works;
#    a reload that enables it again brings it back.
#  - log.level: a DEBUG-level line (a message from a non-MGC address) is not
#    logged at "notice" and is after a reload to "debug".
#  - a file that changes a restart-only key, or does not parse, changes
#    nothing: the error names the key (or file:line) and GCM stays off.
#  - the reply cache survives a reload: a retransmitted Add is answered
#    from it, not executed twice.
set -u
. "$(dirname "$0")/lib.sh"
MGC_BIN=${MGC_BIN:-$BUILD/tools/imsagw-mgc}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }

cp "$CONF" "$WORK/reload.conf"
CONF=$WORK/reload.conf
mgc() { "$MGC_BIN" --bind 127.0.0.1:$MGC_PORT --mg 127.0.0.1:$IQ_PORT "$@"; }
val() { awk -v k="$2" '{ i = index($0, "="); if (i && substr($0, 1, i - 1) == k) { print substr($0, i + 1); exit } }' <<<"$1"; }

mgc register --wait 40000 >"$WORK/reg" &
REG=$!
gw_start
# With INSTANCE, gw_start runs a rewritten copy: SIGHUP re-reads that one.
RELOAD_CONF=$CONF
wait $REG || { cat "$WORK/reg"; gw_log; die "no ServiceChange from the gateway"; }

# Send SIGHUP and wait for the n-th reload line matching $1.
hup() { # pattern
	local before
	before=$(grep -c "reload: " "$WORK/gw.err")
	kill -HUP "$GW_PID"
	for _ in $(seq 1 50); do
		[ "$(grep -c "reload: " "$WORK/gw.err")" -gt "$before" ] && break
		sleep 0.1
	done
	grep "reload: " "$WORK/gw.err" | tail -1 | grep -q -- "$1" ||
		die "reload: want '$1', got '$(grep "reload: " "$WORK/gw.err" | tail -1)'"
}

# A stranger's message: logged at DEBUG only.
stranger() {
	python3 - "$IQ_PORT" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.2", 0))
s.sendto(b"MEGACO/3 [127.0.0.2]:2944\nTransaction = 5 { Context = - { AuditValue = ROOT } }",
         ("127.0.0.1", int(sys.argv[1])))
PY
	sleep 0.3
}
debug_lines() { grep -c 'dropped: not a configured MGC' "$WORK/gw.err"; }

# Before: GCM on, log level notice.
o=$(mgc call --ue 192.0.2.2:5004 --core 198.51.100.2:6004 --e2ae --suite AEAD_AES_128_GCM) ||
	{ echo "$o"; die "GCM call before the reload"; }
grep -q 'AEAD_AES_128_GCM inline:' <<<"$(val "$o" term0_crypto)" ||
	die "GCM call answered without our GCM key: $o"
mgc subtract --ctx "$(val "$o" ctx)" >/dev/null || die "subtract"
stranger
[ "$(debug_lines)" = 0 ] || die "a DEBUG line was logged at level notice"
log "ok: before: a GCM-only offer is answered in GCM; no DEBUG lines at notice"

# An Add whose reply is cached before the reload: its retransmission after
# the reload is answered from the cache, not executed a second time.
printf 'MEGACO/3 [127.0.0.1]:%s\nTransaction = 4343 { Context = $ { Add = $ { Media { Stream = 1 { LocalControl { ipdc/realm = "core" }, Local {\nv=0\nc=IN IP4 $\nm=audio $ RTP/AVP 0\n} } } } } }\n' \
	$MGC_PORT >"$WORK/dup"
o1=$(mgc raw "$WORK/dup")
before=$(kv "$(ctl stats)" contexts)

# Reload: GCM off, log level debug.
sed -i -e 's/AEAD_AES_128_GCM = true;/AEAD_AES_128_GCM = false;/' \
	-e 's/level = "notice";/level = "debug";/' "$RELOAD_CONF"
hup 'applied'
o2=$(mgc raw "$WORK/dup")
[ "$o1" = "$o2" ] || die "retransmitted Add got another reply after the reload"
[ "$(kv "$(ctl stats)" contexts)" = "$before" ] || die "retransmitted Add executed again after the reload"
mgc subtract --ctx "$(sed -n 's/.*Context = \([0-9]*\).*/\1/p' <<<"$o1" | head -1)" >/dev/null ||
	die "subtract the retransmitted Add's context"
log "ok: a retransmission after the reload is answered from the reply cache"
o=$(mgc call --ue 192.0.2.2:5004 --core 198.51.100.2:6004 --e2ae --suite AEAD_AES_128_GCM)
err=$(val "$o" error)
[ -n "$err" ] || die "GCM-only offer accepted after GCM was disabled: $o"
o2=$(mgc call --ue 192.0.2.2:5004 --core 198.51.100.2:6004 --e2ae --suite AES_CM_128_HMAC_SHA1_80) ||
	{ echo "$o2"; die "AES-CM call after the reload"; }
# Keys never reach the log, even at DEBUG, nor the admin socket's output:
# neither the UE's (as the MGC sent it) nor ours (as the reply carried it).
keys=$(printf '%s\n%s\n' "$(val "$o2" ue_crypto)" "$(val "$o2" term0_crypto)" |
	sed -n 's/.*inline:\([A-Za-z0-9+\/]\{20\}\).*/\1/p')
[ "$(wc -l <<<"$keys")" = 2 ] || die "could not read both keys of the call: $o2"
shown=$(ctl term show ctx="$(val "$o2" ctx)" id="$(val "$o2" term0)")
mgc subtract --ctx "$(val "$o2" ctx)" >/dev/null || die "subtract"
while read -r k; do
	grep -qF -- "$k" "$WORK/gw.err" && die "a key is in the DEBUG log"
	grep -qF -- "$k" <<<"$shown" && die "a key is in the admin socket's output"
done <<<"$keys"
stranger
[ "$(debug_lines)" -ge 1 ] || die "log level debug not applied: no DEBUG line"
log "ok: at DEBUG, neither the UE's key nor ours is in the log or the admin output"
log "ok: after reload: GCM-only offer refused over Iq (error $err), AES-CM accepted, DEBUG lines logged"

# A restart-only key in the same file: refused by name, nothing applied
# (GCM would have come back).
sed -i -e 's/AEAD_AES_128_GCM = false;/AEAD_AES_128_GCM = true;/' \
	-e 's/burst = 32;/burst = 16;/' "$RELOAD_CONF"
hup 'dataplane.burst cannot change on reload (it needs a restart); keeping the running config'
o=$(mgc call --ue 192.0.2.2:5004 --core 198.51.100.2:6004 --e2ae --suite AEAD_AES_128_GCM)
[ -n "$(val "$o" error)" ] || die "a refused reload changed the suites: $o"
# A broken file: refused with file:line, nothing applied.
sed -i -e 's/burst = 16;/burst = 32;/' "$RELOAD_CONF"
echo 'this is not libconfig' >>"$RELOAD_CONF"
hup "\.conf:[0-9]*: .*keeping the running config"
o=$(mgc call --ue 192.0.2.2:5004 --core 198.51.100.2:6004 --e2ae --suite AEAD_AES_128_GCM)
[ -n "$(val "$o" error)" ] || die "a broken file changed the suites: $o"
log "ok: a restart-only key and a broken file are refused by name; nothing applied"

# Mended: GCM comes back.
sed -i '$d' "$RELOAD_CONF"
hup 'applied'
o=$(mgc call --ue 192.0.2.2:5004 --core 198.51.100.2:6004 --e2ae --suite AEAD_AES_128_GCM) ||
	{ echo "$o"; die "GCM call after enabling it again"; }
grep -q 'AEAD_AES_128_GCM inline:' <<<"$(val "$o" term0_crypto)" ||
	die "GCM call answered without our GCM key: $o"
mgc subtract --ctx "$(val "$o" ctx)" >/dev/null || die "subtract"
log "ok: a reload enabling GCM again is applied"
log "PASS: test_reload"
