/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_pkt: pure, bounded packet parsing. Pointer and length in, a view out;
 * nothing is written. Any thread.
 */
#ifndef IMSAGW_DP_PKT_H
#define IMSAGW_DP_PKT_H

#include <stdint.h>

enum dp_pkt_class {
	DP_PKT_BAD = 0,     /* truncated or malformed: drop and count */
	DP_PKT_UDP,         /* IPv4/IPv6 UDP, not a fragment */
	DP_PKT_ARP,
	DP_PKT_ICMP,        /* ICMPv4 */
	DP_PKT_ICMP6,       /* ICMPv6, incl. ND */
	DP_PKT_TCP,
	DP_PKT_FRAG,        /* IP fragment: the exception path reassembles */
	DP_PKT_OTHER_IP,    /* another IP protocol */
	DP_PKT_OTHER,       /* another ethertype */
};

/* A parsed view. Offsets are from the start of the frame. */
struct dp_pkt_view {
	enum dp_pkt_class cls;
	uint8_t family;       /* 4 or 6 for IP classes, 0 otherwise */
	uint8_t n_vlan;       /* 0..2 tags seen */
	uint16_t vlan_tci;    /* outer tag, host order, when n_vlan > 0 */
	uint16_t l3_off;
	uint16_t l4_off;
	uint16_t payload_off; /* UDP payload */
	uint16_t payload_len; /* UDP payload length, from the UDP header and
			       * bounded by the frame */
	uint8_t l4_proto;
	const uint8_t *src;   /* IP source address (4 or 16 bytes) */
	const uint8_t *dst;   /* IP destination address */
	uint16_t sport, dport;/* network order (UDP/TCP) */
	const char *reason;   /* why DP_PKT_BAD; static string */
};

/*
 * Parse an Ethernet frame: up to two VLAN tags, IPv4 (options allowed,
 * checked IHL and total length), IPv6 (extension headers walked up to a
 * bound), UDP/TCP/ICMP.
 * @return v->cls (also stored in v).
 */
enum dp_pkt_class dp_pkt_parse(const uint8_t *frame, uint32_t len,
			       struct dp_pkt_view *v);

#endif /* IMSAGW_DP_PKT_H */
