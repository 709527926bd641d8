#!/bin/bash
# bench/pktgen/make-pcaps.sh: set N calls up on a running imsagw and write
# the pcaps pktgen replays (imsagw-gen --write-pcap), for labs with NICs.
#
#   bash bench/pktgen/make-pcaps.sh BUILD_DIR --admin SOCK|--iq MG,BIND [N] [PKTS]
#
# Writes core-rtp.pcap (valid RTP, core -> access, through SRTP calls) and
# udp.pcap (plain UDP through relay calls, the baseline) in the current
# directory, with the ports the gateway allocated. The calls stay up
# (--keep); delete their contexts when done. Addresses and MACs are the
# defaults of configs/examples/memif-bench.conf; pass imsagw-gen options in
# GEN_OPTS for others (--ue-port-base, --core-port-base, ...).
set -eu
BUILD=$1 SETUP=$2 TARGET=$3 N=${4:-100} PKTS=${5:-2000}
GEN=$BUILD/bench/gen/imsagw-gen
# shellcheck disable=SC2086
"$GEN" "$SETUP" "$TARGET" --calls "$N" --keep --write-pcap core-rtp.pcap --pcap-packets "$PKTS" \
	${GEN_OPTS:-} -- --no-huge -m 256 --no-pci --file-prefix=imsagw-bpcap --log-level='*:error'
# shellcheck disable=SC2086
"$GEN" "$SETUP" "$TARGET" --calls "$N" --keep --transport rtp --write-pcap udp.pcap --pcap-udp \
	--pcap-packets "$PKTS" --core-port-base 12000 --ue-port-base 12000 ${GEN_OPTS:-} -- \
	--no-huge -m 256 --no-pci --file-prefix=imsagw-bpcap --log-level='*:error'
rm -f /dev/hugepages/imsagw-bpcapmap_* 2>/dev/null
