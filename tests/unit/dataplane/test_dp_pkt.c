/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for dataplane/dp_pkt.c: classification, offsets, bounds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "dp_pkt.h"
#include "dp_test_util.h"

/* Parse from a heap copy of exactly len bytes, so that a sanitizer build
 * catches any read past the end. */
static enum dp_pkt_class
parse_exact(const uint8_t *b, size_t len, struct dp_pkt_view *v)
{
	uint8_t *c = malloc(len ? len : 1);
	enum dp_pkt_class r;

	CU_ASSERT_FATAL(c != NULL);
	memcpy(c, b, len);
	r = dp_pkt_parse(c, (uint32_t)len, v);
	/* The view must not point into the copy once it is gone; rebase the
	 * address pointers onto b for the caller's checks. */
	if (v->src != NULL)
		v->src = b + (v->src - c);
	if (v->dst != NULL)
		v->dst = b + (v->dst - c);
	free(c);
	return r;
}

static void
build_udp4(struct dpt_frame *f, unsigned int nvlan, size_t optlen, size_t n)
{
	dpt_eth(f, nvlan, 0x0800);
	dpt_ipv4(f, 17, optlen, 8 + n, 0x4000);
	dpt_udp(f, 5004, 40000, n);
}

static void
test_udp4(void)
{
	struct dpt_frame f;
	struct dp_pkt_view v;

	build_udp4(&f, 0, 0, 160);
	CU_ASSERT_EQUAL(f.len, 14 + 20 + 8 + 160);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_UDP);
	CU_ASSERT_EQUAL(v.cls, DP_PKT_UDP);
	CU_ASSERT_EQUAL(v.family, 4);
	CU_ASSERT_EQUAL(v.n_vlan, 0);
	CU_ASSERT_EQUAL(v.l3_off, 14);
	CU_ASSERT_EQUAL(v.l4_off, 34);
	CU_ASSERT_EQUAL(v.payload_off, 42);
	CU_ASSERT_EQUAL(v.payload_len, 160);
	CU_ASSERT_EQUAL(v.l4_proto, 17);
	CU_ASSERT_PTR_EQUAL(v.src, f.b + 26);
	CU_ASSERT_PTR_EQUAL(v.dst, f.b + 30);
	CU_ASSERT_EQUAL(memcmp(&v.sport, "\x13\x8c", 2), 0);
	CU_ASSERT_EQUAL(memcmp(&v.dport, "\x9c\x40", 2), 0);
	CU_ASSERT_PTR_NULL(v.reason);

	/* Ethernet padding after a short datagram is ignored. */
	build_udp4(&f, 0, 0, 4);
	f.len = 60;
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_UDP);
	CU_ASSERT_EQUAL(v.payload_len, 4);
}

static void
test_udp6(void)
{
	struct dpt_frame f;
	struct dp_pkt_view v;

	dpt_eth(&f, 0, 0x86dd);
	dpt_ipv6(&f, 17, 8 + 100);
	dpt_udp(&f, 6000, 6001, 100);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_UDP);
	CU_ASSERT_EQUAL(v.family, 6);
	CU_ASSERT_EQUAL(v.l3_off, 14);
	CU_ASSERT_EQUAL(v.l4_off, 54);
	CU_ASSERT_EQUAL(v.payload_off, 62);
	CU_ASSERT_EQUAL(v.payload_len, 100);
	CU_ASSERT_PTR_EQUAL(v.src, f.b + 22);
	CU_ASSERT_PTR_EQUAL(v.dst, f.b + 38);
	CU_ASSERT_EQUAL(v.src[15], 1);
	CU_ASSERT_EQUAL(v.dst[15], 2);
	CU_ASSERT_EQUAL(memcmp(&v.dport, "\x17\x71", 2), 0);
}

static void
test_vlan(void)
{
	struct dpt_frame f;
	struct dp_pkt_view v;

	build_udp4(&f, 1, 0, 20);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_UDP);
	CU_ASSERT_EQUAL(v.n_vlan, 1);
	CU_ASSERT_EQUAL(v.vlan_tci, 100);
	CU_ASSERT_EQUAL(v.l3_off, 18);
	CU_ASSERT_EQUAL(v.payload_off, 18 + 28);
	CU_ASSERT_EQUAL(v.payload_len, 20);

	build_udp4(&f, 2, 0, 20);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_UDP);
	CU_ASSERT_EQUAL(v.n_vlan, 2);
	CU_ASSERT_EQUAL(v.vlan_tci, 0x2064); /* outer tag */
	CU_ASSERT_EQUAL(v.l3_off, 22);
	CU_ASSERT_EQUAL(v.payload_off, 22 + 28);

	/* A third tag is refused. */
	dpt_eth(&f, 2, 0x8100);
	dpt_put16(f.b + f.len, 300);
	dpt_put16(f.b + f.len + 2, 0x0800);
	f.len += 4;
	dpt_ipv4(&f, 17, 0, 8, 0);
	dpt_udp(&f, 1, 2, 0);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_BAD);
	CU_ASSERT_PTR_NOT_NULL(v.reason);
}

static void
test_ipv4_options(void)
{
	struct dpt_frame f;
	struct dp_pkt_view v;

	build_udp4(&f, 0, 8, 12);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_UDP);
	CU_ASSERT_EQUAL(v.l4_off, 14 + 28);
	CU_ASSERT_EQUAL(v.payload_off, 14 + 28 + 8);
	CU_ASSERT_EQUAL(v.payload_len, 12);

	build_udp4(&f, 0, 40, 12); /* IHL 15, the maximum */
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_UDP);
	CU_ASSERT_EQUAL(v.l4_off, 14 + 60);

	/* IHL 4 */
	build_udp4(&f, 0, 0, 12);
	f.b[14] = 0x44;
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_BAD);
	/* version 6 in an IPv4 ethertype */
	build_udp4(&f, 0, 0, 12);
	f.b[14] = 0x65;
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_BAD);
	/* total length below IHL */
	build_udp4(&f, 0, 8, 12);
	dpt_put16(f.b + 16, 24);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_BAD);
	/* total length beyond the frame */
	build_udp4(&f, 0, 0, 12);
	dpt_put16(f.b + 16, (uint16_t)(20 + 8 + 13));
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_BAD);
}

/* IPv6 + hop-by-hop (8) + destination options (16) + routing (24) + UDP */
static void
build_udp6_ext(struct dpt_frame *f, size_t n)
{
	uint8_t *p;

	dpt_eth(f, 0, 0x86dd);
	dpt_ipv6(f, 0, 8 + 16 + 24 + 8 + n);
	p = f->b + f->len;
	p[0] = 60; p[1] = 0;           /* HBH -> DSTOPTS, 8 bytes */
	p[8] = 43; p[9] = 1;           /* DSTOPTS -> ROUTING, 16 bytes */
	p[24] = 17; p[25] = 2;         /* ROUTING -> UDP, 24 bytes */
	p[26] = 4;                     /* segment routing type, whatever */
	f->len += 48;
	dpt_udp(f, 7000, 7001, n);
}

static void
test_ipv6_ext(void)
{
	struct dpt_frame f;
	struct dp_pkt_view v;
	uint8_t *p;
	unsigned int i;

	build_udp6_ext(&f, 33);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_UDP);
	CU_ASSERT_EQUAL(v.l4_off, 54 + 48);
	CU_ASSERT_EQUAL(v.payload_off, 54 + 48 + 8);
	CU_ASSERT_EQUAL(v.payload_len, 33);
	CU_ASSERT_EQUAL(v.l4_proto, 17);

	/* Atomic fragment (offset 0, M clear): parsed as a whole datagram. */
	dpt_eth(&f, 0, 0x86dd);
	dpt_ipv6(&f, 44, 8 + 8 + 10);
	p = f.b + f.len;
	p[0] = 17;
	f.len += 8;
	dpt_udp(&f, 1, 2, 10);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_UDP);
	CU_ASSERT_EQUAL(v.payload_off, 54 + 16);

	/* Eight destination-options headers are walked; nine are refused. */
	for (i = 8; i <= 9; i++) {
		unsigned int k;

		dpt_eth(&f, 0, 0x86dd);
		dpt_ipv6(&f, 60, 8 * i + 8);
		for (k = 0; k < i; k++) {
			p = f.b + f.len;
			p[0] = k + 1 == i ? 17 : 60;
			f.len += 8;
		}
		dpt_udp(&f, 1, 2, 0);
		CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v),
				i == 8 ? DP_PKT_UDP : DP_PKT_BAD);
	}

	/* Extension header longer than the payload length. */
	build_udp6_ext(&f, 0);
	f.b[54 + 25] = 200;
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_BAD);
	/* payload length beyond the frame */
	build_udp6_ext(&f, 0);
	dpt_put16(f.b + 18, (uint16_t)(dpt_get16(f.b + 18) + 1));
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_BAD);
	/* version 4 in an IPv6 ethertype */
	build_udp6_ext(&f, 0);
	f.b[14] = 0x40;
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_BAD);
}

static void
test_fragments(void)
{
	struct dpt_frame f;
	struct dp_pkt_view v;
	uint8_t *p;

	/* IPv4 first fragment: MF */
	dpt_eth(&f, 0, 0x0800);
	dpt_ipv4(&f, 17, 0, 8 + 100, 0x2000);
	dpt_udp(&f, 1, 2, 100);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_FRAG);
	CU_ASSERT_EQUAL(v.family, 4);
	CU_ASSERT_EQUAL(v.l4_proto, 17);
	CU_ASSERT_PTR_EQUAL(v.src, f.b + 26);
	/* IPv4 later fragment: offset, no UDP header in it */
	dpt_eth(&f, 0, 0x0800);
	dpt_ipv4(&f, 17, 0, 3, 0x0010);
	f.len += 3;
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_FRAG);
	/* DF alone is not a fragment */
	build_udp4(&f, 0, 0, 1);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_UDP);

	/* IPv6 fragment header, M set, behind a hop-by-hop header */
	dpt_eth(&f, 0, 0x86dd);
	dpt_ipv6(&f, 0, 8 + 8 + 8 + 50);
	p = f.b + f.len;
	p[0] = 44;
	p[8] = 17;
	dpt_put16(p + 10, 0x0001);
	f.len += 16;
	dpt_udp(&f, 1, 2, 50);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_FRAG);
	CU_ASSERT_EQUAL(v.family, 6);
	CU_ASSERT_EQUAL(v.l4_proto, 17);
	CU_ASSERT_EQUAL(v.l4_off, 54 + 16);
	/* offset 8, M clear: the last fragment */
	dpt_put16(f.b + 54 + 10, 0x0008);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_FRAG);
}

static void
test_udp_length(void)
{
	struct dpt_frame f;
	struct dp_pkt_view v;

	/* UDP length longer than the IP payload */
	build_udp4(&f, 0, 0, 20);
	dpt_put16(f.b + 38, 8 + 21);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_BAD);
	CU_ASSERT_PTR_NOT_NULL(v.reason);
	/* below the header size */
	dpt_put16(f.b + 38, 7);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_BAD);
	/* shorter than the IP payload: trailing bytes are ignored */
	dpt_put16(f.b + 38, 8 + 10);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_UDP);
	CU_ASSERT_EQUAL(v.payload_len, 10);
	/* IPv6: longer than the payload length */
	dpt_eth(&f, 0, 0x86dd);
	dpt_ipv6(&f, 17, 8 + 4);
	dpt_udp(&f, 1, 2, 4);
	dpt_put16(f.b + 54 + 4, 8 + 5);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_BAD);
	/* zero-length payload is fine */
	build_udp4(&f, 0, 0, 0);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_UDP);
	CU_ASSERT_EQUAL(v.payload_len, 0);
	CU_ASSERT_EQUAL(v.payload_off, f.len);
}

static void
build_arp(struct dpt_frame *f, unsigned int nvlan)
{
	uint8_t *p;

	dpt_eth(f, nvlan, 0x0806);
	p = f->b + f->len;
	dpt_put16(p, 1);
	dpt_put16(p + 2, 0x0800);
	p[4] = 6;
	p[5] = 4;
	dpt_put16(p + 6, 1);
	memset(p + 8, 0x11, 20);
	f->len += 28;
}

static void
build_icmp6_ns(struct dpt_frame *f)
{
	uint8_t *p;

	dpt_eth(f, 0, 0x86dd);
	dpt_ipv6(f, 58, 32);
	p = f->b + f->len;
	p[0] = 135; /* Neighbor Solicitation, RFC 4861 §4.3 */
	p[8] = 0x20; p[9] = 0x01; p[23] = 2;  /* target */
	p[24] = 1; p[25] = 1;                  /* source link-layer option */
	f->len += 32;
}

static void
build_tcp4(struct dpt_frame *f)
{
	uint8_t *p;

	dpt_eth(f, 0, 0x0800);
	dpt_ipv4(f, 6, 0, 32 + 5, 0x4000);
	p = f->b + f->len;
	dpt_put16(p, 2855);
	dpt_put16(p + 2, 443);
	p[12] = 0x80; /* data offset 8: 12 bytes of options */
	f->len += 37;
}

static void
test_arp_icmp_tcp(void)
{
	struct dpt_frame f;
	struct dp_pkt_view v;
	uint8_t *p;

	build_arp(&f, 0);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_ARP);
	CU_ASSERT_EQUAL(v.l3_off, 14);
	CU_ASSERT_EQUAL(v.family, 0);
	build_arp(&f, 1);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_ARP);
	CU_ASSERT_EQUAL(v.l3_off, 18);

	dpt_eth(&f, 0, 0x0800);
	dpt_ipv4(&f, 1, 0, 8 + 56, 0);
	p = f.b + f.len;
	p[0] = 8; /* echo request */
	f.len += 64;
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_ICMP);
	CU_ASSERT_EQUAL(v.l4_off, 34);
	CU_ASSERT_EQUAL(v.l4_proto, 1);

	build_icmp6_ns(&f);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_ICMP6);
	CU_ASSERT_EQUAL(v.family, 6);
	CU_ASSERT_EQUAL(v.l4_off, 54);
	CU_ASSERT_EQUAL(v.l4_proto, 58);

	build_tcp4(&f);
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_TCP);
	CU_ASSERT_EQUAL(memcmp(&v.dport, "\x01\xbb", 2), 0);
	CU_ASSERT_EQUAL(memcmp(&v.sport, "\x0b\x27", 2), 0);
	f.b[34 + 12] = 0x40; /* data offset 4 */
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_BAD);
	f.b[34 + 12] = 0xf0; /* 60 bytes: beyond the datagram */
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_BAD);

	/* GRE over IPv4, an unknown ethertype */
	dpt_eth(&f, 0, 0x0800);
	dpt_ipv4(&f, 47, 0, 4, 0);
	f.len += 4;
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_OTHER_IP);
	dpt_eth(&f, 0, 0x88cc); /* LLDP */
	f.len += 20;
	CU_ASSERT_EQUAL(parse_exact(f.b, f.len, &v), DP_PKT_OTHER);
	CU_ASSERT_EQUAL(v.family, 0);
}

/* Every proper prefix of these frames is malformed (no padding: the IP or
 * ARP lengths cover the whole frame), so it must be BAD with a reason. */
static void
test_truncation(void)
{
	struct dpt_frame fs[8];
	unsigned int n = 0, i, bad = 0, total = 0;
	size_t cut;
	uint8_t *p;

	build_udp4(&fs[n++], 2, 8, 30);
	build_udp6_ext(&fs[n++], 30);
	build_tcp4(&fs[n++]);
	build_icmp6_ns(&fs[n++]);
	build_arp(&fs[n++], 1);
	dpt_eth(&fs[n], 1, 0x86dd); /* IPv6 fragment */
	dpt_ipv6(&fs[n], 44, 8 + 8 + 4);
	p = fs[n].b + fs[n].len;
	p[0] = 17;
	dpt_put16(p + 2, 0x0001);
	fs[n].len += 8;
	dpt_udp(&fs[n], 1, 2, 4);
	n++;

	for (i = 0; i < n; i++) {
		struct dp_pkt_view v;

		CU_ASSERT_NOT_EQUAL(parse_exact(fs[i].b, fs[i].len, &v),
				    DP_PKT_BAD);
		for (cut = 0; cut < fs[i].len; cut++) {
			total++;
			if (parse_exact(fs[i].b, cut, &v) == DP_PKT_BAD &&
			    v.reason != NULL && v.reason[0] != '\0')
				bad++;
			else
				printf("frame %u cut %zu: class %d\n", i, cut,
				       v.cls);
		}
	}
	CU_ASSERT_EQUAL(bad, total);
	CU_ASSERT(total > 500);
}

/* Mutations of valid frames and random bytes: never crash, and the view
 * always stays inside the frame. */
static void
test_random(void)
{
	struct dpt_frame base[4], f;
	unsigned int i, n = 0, ok = 1;
	uint32_t seed = 12345;

	build_udp4(&base[n++], 1, 4, 40);
	build_udp6_ext(&base[n++], 16);
	build_icmp6_ns(&base[n++]);
	build_tcp4(&base[n++]);
	for (i = 0; i < 200000; i++) {
		struct dp_pkt_view v;
		unsigned int k, flips;

		f = base[i % n];
		seed = seed * 1103515245u + 12345u;
		flips = 1 + (seed >> 28);
		for (k = 0; k < flips; k++) {
			seed = seed * 1103515245u + 12345u;
			f.b[(seed >> 8) % f.len] ^= (uint8_t)(1u << ((seed >> 4) & 7));
		}
		seed = seed * 1103515245u + 12345u;
		if ((seed >> 16) % 4 == 0)
			f.len = (seed >> 4) % (f.len + 1);
		parse_exact(f.b, f.len, &v);
		if (v.cls == DP_PKT_UDP &&
		    (size_t)v.payload_off + v.payload_len > f.len)
			ok = 0;
		if (v.cls == DP_PKT_BAD && v.reason == NULL)
			ok = 0;
		if (v.cls != DP_PKT_BAD && v.l3_off > f.len)
			ok = 0;
	}
	CU_ASSERT(ok);
}

/* The untagged IPv4/UDP fast path against the general path: the same frame
 * with a VLAN tag after the MAC addresses always takes the general path,
 * and must give the same class, reason and fields (offsets 4 further). On
 * mutations of that shape's bytes and lengths, which hit both paths' every
 * check. */
static void
test_fast_path(void)
{
	struct dpt_frame base, f, t;
	unsigned int i, fast_udp = 0, other = 0, bad = 0;
	uint32_t seed = 777;

	build_udp4(&base, 0, 0, 40);
	for (i = 0; i < 300000; i++) {
		struct dp_pkt_view v, w;
		unsigned int k, flips;
		enum dp_pkt_class a, b;

		f = base;
		seed = seed * 1103515245u + 12345u;
		flips = (seed >> 28) % 4;
		for (k = 0; k < flips; k++) {
			/* the IPv4 and UDP headers' bytes, where the checks are */
			seed = seed * 1103515245u + 12345u;
			f.b[12 + (seed >> 8) % 30] ^= (uint8_t)(1u << ((seed >> 4) & 7));
		}
		seed = seed * 1103515245u + 12345u;
		if ((seed >> 16) % 3 == 0)
			f.len = (seed >> 4) % (f.len + 1);
		/* t: f with an 802.1Q tag */
		memcpy(t.b, f.b, 12);
		t.b[12] = 0x81;
		t.b[13] = 0x00;
		t.b[14] = 0x00;
		t.b[15] = 0x64;
		t.len = f.len < 12 ? f.len : f.len + 4;
		if (f.len > 12)
			memcpy(t.b + 16, f.b + 12, f.len - 12);
		a = parse_exact(f.b, f.len, &v);
		b = parse_exact(t.b, t.len, &w);
		/* shorter than an Ethernet header, the tag itself changes
		 * what is truncated; a mutated ethertype that is a tag adds
		 * tags of its own */
		if (f.len < 14 || dpt_get16(f.b + 12) == 0x8100 || dpt_get16(f.b + 12) == 0x88a8)
			continue;
		if (a == DP_PKT_UDP)
			fast_udp++;
		else
			other++;
		if (a != b || v.family != w.family || v.l4_proto != w.l4_proto ||
		    (a == DP_PKT_BAD && strcmp(v.reason, w.reason) != 0)) {
			bad++;
			continue;
		}
		if (a == DP_PKT_UDP &&
		    (v.l3_off + 4 != w.l3_off || v.l4_off + 4 != w.l4_off ||
		     v.payload_off + 4 != w.payload_off || v.payload_len != w.payload_len ||
		     (v.src - f.b) + 4 != w.src - t.b || (v.dst - f.b) + 4 != w.dst - t.b ||
		     v.sport != w.sport || v.dport != w.dport || v.n_vlan != 0 ||
		     v.vlan_tci != 0 || v.reason != NULL))
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(fast_udp > 10000);
	CU_ASSERT(other > 10000);
}

int
main(void)
{
	CU_pSuite s;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("dp_pkt", NULL, NULL);
	CU_add_test(s, "udp4", test_udp4);
	CU_add_test(s, "udp6", test_udp6);
	CU_add_test(s, "vlan", test_vlan);
	CU_add_test(s, "ipv4_options", test_ipv4_options);
	CU_add_test(s, "ipv6_ext", test_ipv6_ext);
	CU_add_test(s, "fragments", test_fragments);
	CU_add_test(s, "udp_length", test_udp_length);
	CU_add_test(s, "arp_icmp_tcp", test_arp_icmp_tcp);
	CU_add_test(s, "truncation", test_truncation);
	CU_add_test(s, "random", test_random);
	CU_add_test(s, "fast_path", test_fast_path);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	{
		int rc = CU_get_number_of_failures() ? 1 : 0;

		CU_cleanup_registry();
		return rc;
	}
}
