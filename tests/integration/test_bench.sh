#!/usr/bin/env bash
# The benchmark programs still measure what they claim (correctness only:
# no figure is asserted, make bench prints those).
#
# 1. imsagw-pipeline-bench drives dp_worker.c's own loop over net_ring
#    ports; a short run per suite must pass its own verification (packet
#    counts, per-flow counters, sampled output bytes and checksums; exit 1
#    on any mismatch) and print its pipeline, rejection and memory rows.
# 2. The real gateway (configs/examples/memif-bench.conf, on sockets and
#    ports of this test's own) and imsagw-gen over net_memif: 10 calls set
#    up over Iq, a bounded rate with 5 % forged, replayed and unknown-flow
#    packets on the access side; every valid packet must come back intact
#    (the generator decrypts and checks each one) and none of the bad ones.
#    The gateway is stopped first, while the generator holds its memif
#    ports (net_memif unmaps rings under a polling peer otherwise).
# 3. The SRTP floor (bench/floor.sh --quick, FLOOR_ARGS --transport srtp):
#    dpdk-testpmd forwards, the generator protects access-in and
#    unprotects what comes back; every packet must come back and decrypt,
#    and testpmd's cycles a packet must be recorded.
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
WORK=$(mktemp -d /tmp/imsagw-bench-test.XXXXXX)
GW_PID=
GEN_PID=

log() { printf '%s\n' "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }

stop_pid() {
	local pid=$1
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid"
	for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
	wait "$pid" 2>/dev/null
}

cleanup() {
	stop_pid "$GW_PID"
	stop_pid "$GEN_PID"
	# the gateway's hugepage files, when it ran on hugepages
	rm -f /dev/hugepages/imsagw-tbgwmap_* 2>/dev/null
	if grep -q 'ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:' \
		"$WORK"/*.err 2>/dev/null; then
		grep -A30 'ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:' \
			"$WORK"/*.err | head -60 >&2
		log "FAIL: sanitizer report"
		rm -rf "$WORK"
		exit 1
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT

# ---- 1. pipeline ---------------------------------------------------------------
for s in AES_CM_128_HMAC_SHA1_80 AEAD_AES_128_GCM; do
	out=$WORK/pipe-$s
	timeout -k 5 120 "$BUILD/bench/pipeline/imsagw-pipeline-bench" --suite "$s" --flows 100 \
		--packets 20000 --round 1024 --json "$out.json" \
		-- imsagw-pipeline-bench --no-huge -m 512 --no-pci --no-shconf \
		--file-prefix=imsagw-tbench --vdev crypto_aesni_mb --log-level='*:error' \
		--lcores=0@0,1@0 >"$out.txt" 2>"$out.err" ||
		{ cat "$out.txt" "$out.err" >&2; die "pipeline $s: exit status $?"; }
	grep -q VERIFY "$out.txt" "$out.err" && die "pipeline $s: verification message"
	for row in "pipeline.*access-in" "pipeline.*core-in" "rejection.*forged" \
		"rejection.*replayed" "rejection.*unknown-flow" "memory.*access-in"; do
		grep -q "^$row" "$out.txt" || die "pipeline $s: no '$row' row"
	done
	python3 - "$out.json" <<-'EOF' || die "pipeline $s: JSON"
	import json, sys
	rows = json.load(open(sys.argv[1]))
	keys = {(r["bench"], r["direction"]) for r in rows}
	need = {("pipeline", "access-in"), ("pipeline", "core-in"), ("rejection", "forged"),
	        ("memory", "access-in")}
	assert need <= keys, keys
	for r in rows:
	    assert r["suite"] and r["payload"] == 160 and r["flows"] == 100, r
	    if r["bench"] == "pipeline":
	        assert r["mpps"] > 0 and r["bound_mpps"] > 0 and 0 < r["ratio"], r
	EOF
	log "pipeline $s: verified ($(grep -c '^pipeline\|^rejection' "$out.txt") rows)"
done

# ---- 2. gateway + generator over memif ------------------------------------------
# memif-bench.conf with this test's own sockets, EAL prefix and Iq ports
SOCKDIR=$WORK/sock
mkdir -p "$SOCKDIR"
sed -e "s|/run/imsagw/memif-access.sock|$SOCKDIR/a.sock|" \
	-e "s|/run/imsagw/memif-core.sock|$SOCKDIR/c.sock|" \
	-e 's|--file-prefix=imsagw-bench|--file-prefix=imsagw-tbgw|' \
	-e 's|12955|12975|g' -e 's|12954|12974|g' \
	"$TOP/configs/examples/memif-bench.conf" >"$WORK/gw.conf"
grep -q "$SOCKDIR/a.sock" "$WORK/gw.conf" && grep -q 12975 "$WORK/gw.conf" ||
	die "could not derive the gateway config"
"$BUILD/app/imsagw" --config "$WORK/gw.conf" --admin-socket "$WORK/admin.sock" \
	>"$WORK/gw.out" 2>"$WORK/gw.err" &
GW_PID=$!
for _ in $(seq 1 150); do
	grep -q '^imsagw: ready' "$WORK/gw.out" 2>/dev/null && break
	kill -0 "$GW_PID" 2>/dev/null || break
	sleep 0.1
done
grep -q '^imsagw: ready' "$WORK/gw.out" || { tail -5 "$WORK/gw.err" >&2; die "gateway did not start"; }

timeout -k 5 90 "$BUILD/bench/gen/imsagw-gen" --iq 127.0.0.1:12975,127.0.0.1:12974 \
	--iq-wait 5000 --calls 10 --rate 20000 --duration 1 --forged 0.05 --replayed 0.05 \
	--unknown 0.05 --hold 20 --json "$WORK/gen.json" -- \
	-l 0 --no-huge -m 512 --no-pci --file-prefix=imsagw-tbgen --log-level='*:error' \
	"--vdev=net_memif0,role=client,id=0,socket=$SOCKDIR/a.sock,mac=02:00:00:00:0a:02" \
	"--vdev=net_memif1,role=client,id=0,socket=$SOCKDIR/c.sock,mac=02:00:00:00:0c:02" \
	>"$WORK/gen.out" 2>"$WORK/gen.err" &
GEN_PID=$!
while kill -0 "$GEN_PID" 2>/dev/null && ! grep -q '^imsagw-gen: holding' "$WORK/gen.out"; do
	sleep 0.2
done
kill -0 "$GW_PID" 2>/dev/null || { tail -5 "$WORK/gw.err" >&2; die "the gateway died under load"; }
stop_pid "$GW_PID"
GW_PID=
wait "$GEN_PID"
rc=$?
GEN_PID=
[ $rc = 0 ] || { cat "$WORK/gen.out" "$WORK/gen.err" >&2; die "imsagw-gen: exit status $rc"; }
grep -q '^imsagw-gen: the gateway closed the ports' "$WORK/gen.out" ||
	die "the generator did not see the gateway close its ports"
python3 - "$WORK/gen.json" "$WORK/gen.out" <<-'EOF' || { cat "$WORK/gen.out" >&2; die "generator results"; }
import json, re, sys
rows = [r for r in json.load(open(sys.argv[1])) if r.get("bench") == "e2e-memif"]
assert {r["direction"] for r in rows} == {"access-in", "core-in"}, rows
for r in rows:
    assert r["flows"] == 10 and r["mpps"] > 0, r
    assert r["bad"] == 0 and r["reordered"] == 0 and r["loss"] < 0.001, r
text = open(sys.argv[2]).read()
for d in ("access-in", "core-in"):
    m = re.search(r"^%s +sent (\d+) .* received (\d+) .* bad (\d+)" % d, text, re.M)
    assert m and int(m.group(2)) > 5000 and int(m.group(3)) == 0, (d, m and m.groups())
m = re.search(r"^attack share: forged (\d+) replayed (\d+) unknown (\d+) sent, (\d+) came out",
              text, re.M)
assert m and min(int(x) for x in m.groups()[:3]) > 100 and int(m.group(4)) == 0, m and m.groups()
print("e2e memif: " + "; ".join("%s %.3f Mpps, bad %d, loss %.4f" % (
    r["direction"], r["mpps"], r["bad"], r["loss"]) for r in rows) +
      "; attack forged/replayed/unknown %s/%s/%s sent, %s came out" % m.groups())
EOF

if command -v dpdk-testpmd >/dev/null; then
	FLOOR_ARGS="--transport srtp" SOCKDIR=$SOCKDIR timeout -k 5 120 bash "$TOP/bench/floor.sh" \
		"$BUILD" "$WORK/floor" --quick --json "$WORK/floor.json" >"$WORK/floor.out" 2>&1 ||
		{ rc=$?; tail -20 "$WORK/floor.out" >&2; die "floor.sh: exit status $rc"; }
	python3 - "$WORK/floor.json" <<-'EOF' || { tail -20 "$WORK/floor.out" >&2; die "SRTP floor"; }
	import json, sys
	rows = json.load(open(sys.argv[1]))
	fl = [r for r in rows if r.get("bench") == "floor-memif"]
	assert {r["direction"] for r in fl} == {"access-in", "core-in"}, fl
	for r in fl:
	    assert r["suite"] == "AES_CM_128_HMAC_SHA1_80" and r["mpps"] > 0, r
	    assert r["bad"] == 0 and r["loss"] < 0.001, r
	cy = [r for r in rows if r.get("bench") == "floor-cycles"]
	assert len(cy) == 1 and cy[0]["cycles_per_pkt"] > 0, cy
	print("SRTP floor: " + "; ".join("%s %.3f Mpps, bad %d" % (r["direction"], r["mpps"], r["bad"])
	                                 for r in fl) + "; testpmd %.0f cycles a packet" % cy[0]["cycles_per_pkt"])
	EOF
else
	log "note: no dpdk-testpmd: the SRTP floor was not checked"
fi
log "PASS"
