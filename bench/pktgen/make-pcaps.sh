#!/bin/bash
# bench/pktgen/make-pcaps.sh: set calls up on a running imsagw and write
# what the pktgen scripts replay (imsagw-gen --write-pcap).
#
#   bash bench/pktgen/make-pcaps.sh BUILD_DIR --admin SOCK|--iq MG,BIND [N] [PKTS]
#
# In the current directory:
#   core-rtp.pcap  valid RTP, core -> access, through N SRTP calls, PKTS
#                  packets per call (core-rtp.lua: only its first pass is a
#                  protect figure, so N x PKTS bounds a valid run)
#   udp.pcap       plain UDP through N relay (transport=rtp) calls
#                  (udp-baseline.lua), core host ports 12000 + 2i
#   pcaps.env      what the scripts need (source it with `set -a`):
#                  IMSAGW_PCAP_PKTS (packets in core-rtp.pcap), the first
#                  relay call's ports for range mode (IMSAGW_DST_PORT,
#                  IMSAGW_SRC_PORT) and, with --admin, a bypass context for
#                  latency-bypass.lua (IMSAGW_BYPASS_PORT/_SRC_PORT: two
#                  relay terminations on the core realm, remote ports 14000
#                  and 14002 of the core host)
# The gateway picks every termination's port at random, so the ports are
# read back from what it answered (the pcaps), never assumed. The calls stay
# up (--keep); delete their contexts when done, or stop the gateway.
# Addresses and MACs are the defaults of configs/examples/memif-bench.conf;
# pass imsagw-gen options in GEN_OPTS for others (--ue-port-base, ...).
set -eu
BUILD=$1 SETUP=$2 TARGET=$3 N=${4:-100} PKTS=${5:-2000}
GEN=$BUILD/bench/gen/imsagw-gen
EAL="--no-huge -m 256 --no-pci --file-prefix=imsagw-bpcap${INSTANCE:-} --log-level=*:error"
# shellcheck disable=SC2086
"$GEN" "$SETUP" "$TARGET" --calls "$N" --keep --write-pcap core-rtp.pcap --pcap-packets "$PKTS" \
	${GEN_OPTS:-} -- $EAL
# shellcheck disable=SC2086
"$GEN" "$SETUP" "$TARGET" --calls "$N" --keep --transport rtp --write-pcap udp.pcap --pcap-udp \
	--pcap-packets "$PKTS" --core-port-base 12000 --ue-port-base 12000 ${GEN_OPTS:-} -- $EAL
rm -f "/dev/hugepages/imsagw-bpcap${INSTANCE:-}map_"* 2>/dev/null

# The first frame of a pcap: "UDP_SRC_PORT UDP_DST_PORT" (classic pcap,
# Ethernet, IPv4 without options, as gen_pcap.c writes them).
first_ports() {
	python3 - "$1" <<-'EOF'
	import struct, sys
	d = open(sys.argv[1], "rb").read(24 + 16 + 64)
	f = d[40:]
	sp, dp = struct.unpack("!HH", f[34:38])
	print(sp, dp)
	EOF
}
read -r sport dport < <(first_ports udp.pcap)
{
	echo "IMSAGW_PCAP_PKTS=$((N * PKTS))"
	echo "IMSAGW_SRC_PORT=$sport"
	echo "IMSAGW_DST_PORT=$dport"
} >pcaps.env

if [ "$SETUP" = --admin ]; then
	ctl() { "$BUILD/tools/imsagw-ctl" -s "$TARGET" "$@"; }
	ctx=$(ctl context add | sed -n 's/^ok ctx=\([0-9]*\).*/\1/p')
	t1=$(ctl term add "ctx=$ctx" realm=core remote=198.51.100.2 rport=14000 mux)
	ctl term add "ctx=$ctx" realm=core remote=198.51.100.2 rport=14002 mux >/dev/null
	{
		echo "IMSAGW_BYPASS_PORT=$(tr ' ' '\n' <<<"$t1" | sed -n 's/^port=//p')"
		echo "IMSAGW_BYPASS_SRC_PORT=14000"
	} >>pcaps.env
fi
echo "wrote pcaps.env: $(tr '\n' ' ' <pcaps.env)"
