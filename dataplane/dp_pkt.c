/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_pkt: pure, bounded packet parsing.
 *
 * Every read is checked against the frame length (and, above L3, against the
 * IP datagram's own length) before it happens; the IPv6 extension header walk
 * has a fixed bound. Nothing is written but the view. No DPDK calls, so the
 * fuzzer links it alone.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dp_pkt.h"

#define DP_ETH_HLEN 14
#define DP_VLAN_HLEN 4
#define DP_MAX_VLAN 2
#define DP_IPV4_HLEN 20
#define DP_IPV6_HLEN 40
#define DP_UDP_HLEN 8
#define DP_TCP_HLEN 20
#define DP_ICMP_HLEN 8     /* type, code, checksum, rest-of-header */
#define DP_ICMP6_HLEN 4    /* type, code, checksum */
#define DP_ARP_HLEN 8      /* htype, ptype, hlen, plen, oper */
#define DP_IPV6_MAX_EXT 8  /* extension headers walked before giving up */

enum {
	DP_ETYPE_IPV4 = 0x0800,
	DP_ETYPE_ARP = 0x0806,
	DP_ETYPE_VLAN = 0x8100,
	DP_ETYPE_QINQ = 0x88a8,
	DP_ETYPE_IPV6 = 0x86dd,
};

enum {
	DP_IPP_HOPOPTS = 0,
	DP_IPP_ICMP = 1,
	DP_IPP_TCP = 6,
	DP_IPP_UDP = 17,
	DP_IPP_ROUTING = 43,
	DP_IPP_FRAGMENT = 44,
	DP_IPP_ICMPV6 = 58,
	DP_IPP_DSTOPTS = 60,
};

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static enum dp_pkt_class
bad(struct dp_pkt_view *v, const char *reason)
{
	v->cls = DP_PKT_BAD;
	v->reason = reason;
	return DP_PKT_BAD;
}

static enum dp_pkt_class
done(struct dp_pkt_view *v, enum dp_pkt_class cls)
{
	v->cls = cls;
	return cls;
}

/*
 * L4 inside an IP datagram that ends at `end` (exclusive, frame offset).
 * v->l4_off and v->l4_proto are set.
 */
static enum dp_pkt_class
parse_l4(const uint8_t *frame, uint32_t end, struct dp_pkt_view *v)
{
	uint32_t off = v->l4_off;
	uint32_t avail = end - off;
	const uint8_t *p = frame + off;

	switch (v->l4_proto) {
	case DP_IPP_UDP: {
		uint16_t ulen;

		if (avail < DP_UDP_HLEN)
			return bad(v, "truncated UDP header");
		ulen = rd16(p + 4);
		/* RFC 768: the length covers header and data. It may be
		 * shorter than the IP payload (trailing octets are ignored,
		 * as Linux does), never longer. */
		if (ulen < DP_UDP_HLEN)
			return bad(v, "UDP length below header size");
		if (ulen > avail)
			return bad(v, "UDP length beyond IP payload");
		memcpy(&v->sport, p, 2);
		memcpy(&v->dport, p + 2, 2);
		v->payload_off = (uint16_t)(off + DP_UDP_HLEN);
		v->payload_len = (uint16_t)(ulen - DP_UDP_HLEN);
		return done(v, DP_PKT_UDP);
	}
	case DP_IPP_TCP: {
		uint32_t doff;

		if (avail < DP_TCP_HLEN)
			return bad(v, "truncated TCP header");
		doff = (uint32_t)(p[12] >> 4) * 4;
		if (doff < DP_TCP_HLEN)
			return bad(v, "TCP data offset below 5");
		if (doff > avail)
			return bad(v, "truncated TCP options");
		memcpy(&v->sport, p, 2);
		memcpy(&v->dport, p + 2, 2);
		return done(v, DP_PKT_TCP);
	}
	case DP_IPP_ICMP:
		if (v->family != 4)
			return done(v, DP_PKT_OTHER_IP);
		if (avail < DP_ICMP_HLEN)
			return bad(v, "truncated ICMP header");
		return done(v, DP_PKT_ICMP);
	case DP_IPP_ICMPV6:
		if (v->family != 6)
			return done(v, DP_PKT_OTHER_IP);
		if (avail < DP_ICMP6_HLEN)
			return bad(v, "truncated ICMPv6 header");
		return done(v, DP_PKT_ICMP6);
	default:
		return done(v, DP_PKT_OTHER_IP);
	}
}

static enum dp_pkt_class
parse_ipv4(const uint8_t *frame, uint32_t len, struct dp_pkt_view *v)
{
	uint32_t off = v->l3_off;
	const uint8_t *p = frame + off;
	uint32_t ihl, tot;
	uint16_t frag;

	if (len - off < DP_IPV4_HLEN)
		return bad(v, "truncated IPv4 header");
	if ((p[0] >> 4) != 4)
		return bad(v, "IPv4 version is not 4");
	ihl = (uint32_t)(p[0] & 0x0f) * 4;
	if (ihl < DP_IPV4_HLEN)
		return bad(v, "IPv4 IHL below 5");
	if (ihl > len - off)
		return bad(v, "truncated IPv4 options");
	tot = rd16(p + 2);
	if (tot < ihl)
		return bad(v, "IPv4 total length below header length");
	/* The frame may carry Ethernet padding past the datagram. */
	if (tot > len - off)
		return bad(v, "IPv4 total length beyond frame");

	v->family = 4;
	v->src = p + 12;
	v->dst = p + 16;
	v->l4_proto = p[9];
	v->l4_off = (uint16_t)(off + ihl);

	/* RFC 791: MF set or a non-zero offset is a fragment. DF is fine. */
	frag = rd16(p + 6);
	if ((frag & 0x2000) != 0 || (frag & 0x1fff) != 0)
		return done(v, DP_PKT_FRAG);

	return parse_l4(frame, off + tot, v);
}

static enum dp_pkt_class
parse_ipv6(const uint8_t *frame, uint32_t len, struct dp_pkt_view *v)
{
	uint32_t off = v->l3_off;
	const uint8_t *p = frame + off;
	uint32_t end, cur;
	uint8_t nh;
	unsigned int i;

	if (len - off < DP_IPV6_HLEN)
		return bad(v, "truncated IPv6 header");
	if ((p[0] >> 4) != 6)
		return bad(v, "IPv6 version is not 6");
	end = off + DP_IPV6_HLEN + rd16(p + 4);
	if (end > len)
		return bad(v, "IPv6 payload length beyond frame");

	v->family = 6;
	v->src = p + 8;
	v->dst = p + 24;
	nh = p[6];
	cur = off + DP_IPV6_HLEN;

	/* RFC 8200 §4: walk the extension headers, bounded. */
	for (i = 0;; i++) {
		const uint8_t *e = frame + cur;
		uint32_t elen;

		if (nh != DP_IPP_HOPOPTS && nh != DP_IPP_ROUTING &&
		    nh != DP_IPP_DSTOPTS && nh != DP_IPP_FRAGMENT)
			break;
		if (i == DP_IPV6_MAX_EXT)
			return bad(v, "too many IPv6 extension headers");
		if (nh == DP_IPP_FRAGMENT) {
			uint16_t fo;

			if (end - cur < 8)
				return bad(v, "truncated IPv6 fragment header");
			fo = rd16(e + 2);
			/* RFC 6946: offset 0 without M is an atomic
			 * fragment; parse on as a whole datagram. */
			if ((fo & 0xfff8) != 0 || (fo & 1) != 0) {
				v->l4_proto = e[0];
				v->l4_off = (uint16_t)(cur + 8);
				return done(v, DP_PKT_FRAG);
			}
			elen = 8;
		} else {
			if (end - cur < 2)
				return bad(v, "truncated IPv6 extension header");
			elen = ((uint32_t)e[1] + 1) * 8;
			if (elen > end - cur)
				return bad(v, "truncated IPv6 extension header");
		}
		nh = e[0];
		cur += elen;
	}

	v->l4_proto = nh;
	v->l4_off = (uint16_t)cur;
	return parse_l4(frame, end, v);
}

/*
 * The media packet's shape, untagged IPv4 without options carrying a whole
 * UDP datagram, checked and filled in one go (the general path below spent
 * twice the instructions on it). Every check the general path makes on
 * such a frame is here, so the view is the one it would make; anything
 * else, malformed or not, returns false and takes the general path, which
 * decides (test_dp_pkt compares the two on mutated frames).
 */
static inline bool
parse_udp4_fast(const uint8_t *frame, uint32_t len, struct dp_pkt_view *v)
{
	const uint8_t *p = frame + DP_ETH_HLEN;
	const uint8_t *u = p + DP_IPV4_HLEN;
	uint32_t tot, ulen;

	if (len < DP_ETH_HLEN + DP_IPV4_HLEN + DP_UDP_HLEN || len > UINT16_MAX ||
	    rd16(frame + 12) != DP_ETYPE_IPV4 || p[0] != 0x45 || p[9] != DP_IPP_UDP ||
	    (rd16(p + 6) & 0x3fff) != 0)
		return false;
	tot = rd16(p + 2);
	ulen = rd16(u + 4);
	/* total length within the frame and room for the UDP header; the
	 * UDP length within the datagram */
	if (tot > len - DP_ETH_HLEN || tot < DP_IPV4_HLEN + DP_UDP_HLEN || ulen < DP_UDP_HLEN ||
	    ulen > tot - DP_IPV4_HLEN)
		return false;
	*v = (struct dp_pkt_view){
		.cls = DP_PKT_UDP,
		.family = 4,
		.l3_off = DP_ETH_HLEN,
		.l4_off = DP_ETH_HLEN + DP_IPV4_HLEN,
		.payload_off = DP_ETH_HLEN + DP_IPV4_HLEN + DP_UDP_HLEN,
		.payload_len = (uint16_t)(ulen - DP_UDP_HLEN),
		.l4_proto = DP_IPP_UDP,
		.src = p + 12,
		.dst = p + 16,
	};
	memcpy(&v->sport, u, 2);
	memcpy(&v->dport, u + 2, 2);
	return true;
}

enum dp_pkt_class
dp_pkt_parse(const uint8_t *frame, uint32_t len, struct dp_pkt_view *v)
{
	uint32_t off = DP_ETH_HLEN;
	uint16_t etype;

	if (frame != NULL && parse_udp4_fast(frame, len, v))
		return DP_PKT_UDP;
	memset(v, 0, sizeof(*v));
	if (frame == NULL)
		return bad(v, "no frame");
	/* Offsets in the view are 16 bits; no frame of ours is longer. */
	if (len > UINT16_MAX)
		return bad(v, "frame longer than 65535");
	if (len < DP_ETH_HLEN)
		return bad(v, "truncated Ethernet header");

	etype = rd16(frame + 12);
	while (etype == DP_ETYPE_VLAN || etype == DP_ETYPE_QINQ) {
		if (v->n_vlan == DP_MAX_VLAN)
			return bad(v, "more than two VLAN tags");
		if (len - off < DP_VLAN_HLEN)
			return bad(v, "truncated VLAN tag");
		if (v->n_vlan == 0)
			v->vlan_tci = rd16(frame + off);
		v->n_vlan++;
		etype = rd16(frame + off + 2);
		off += DP_VLAN_HLEN;
	}
	v->l3_off = (uint16_t)off;

	switch (etype) {
	case DP_ETYPE_IPV4:
		return parse_ipv4(frame, len, v);
	case DP_ETYPE_IPV6:
		return parse_ipv6(frame, len, v);
	case DP_ETYPE_ARP: {
		const uint8_t *p = frame + off;

		if (len - off < DP_ARP_HLEN)
			return bad(v, "truncated ARP header");
		/* RFC 826: sender and target hardware/protocol addresses */
		if (len - off < DP_ARP_HLEN + 2u * ((uint32_t)p[4] + p[5]))
			return bad(v, "truncated ARP addresses");
		return done(v, DP_PKT_ARP);
	}
	default:
		return done(v, DP_PKT_OTHER);
	}
}
