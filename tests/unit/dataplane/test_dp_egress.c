/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_flow_set_egress() templates and dp_rewrite_apply(): template bytes,
 * v4/v6 interworking, VLAN push/pop, lengths and checksums (checked with an
 * independent RFC 1071 sum and with DPDK's verify functions).
 */
/* rte_ipv{4,6}_udptcp_cksum_verify() are experimental in DPDK 22.11; this
 * test is the only user. */
#define ALLOW_EXPERIMENTAL_API 1

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <CUnit/Basic.h>
#include <rte_eal.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "dp.h"
#include "dp_rewrite.h"
#include "dp_test_util.h"

static struct rte_mempool *mp;
static struct cfg_port conf_plain, conf_vlan, conf_v4only;
static struct dp_port_info pi_plain, pi_vlan, pi_v4only;
static struct cfg_ip l4, r4, l6, r6;
static const struct rte_ether_addr nh = {
	.addr_bytes = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee } };

static void
setup_ports(void)
{
	static const struct rte_ether_addr m1 = {
		.addr_bytes = { 0x02, 0x11, 0x11, 0x11, 0x11, 0x11 } };
	static const struct rte_ether_addr m2 = {
		.addr_bytes = { 0x02, 0x22, 0x22, 0x22, 0x22, 0x22 } };

	conf_plain.role = CFG_PORT_ACCESS;
	conf_plain.n_addr4 = 1;
	conf_plain.n_addr6 = 1;
	conf_vlan = conf_plain;
	conf_vlan.role = CFG_PORT_CORE;
	conf_vlan.vlan_mode = CFG_VLAN_STRIP;
	conf_vlan.vlan_id = 300; /* 0x12c */
	conf_v4only = conf_plain;
	conf_v4only.n_addr6 = 0;
	conf_v4only.vlan_mode = CFG_VLAN_PASS; /* egress untagged */
	conf_v4only.vlan_id = 12;

	pi_plain.port_id = 0;
	pi_plain.mac = m1;
	pi_plain.conf = &conf_plain;
	pi_vlan.port_id = 1;
	pi_vlan.mac = m2;
	pi_vlan.conf = &conf_vlan;
	pi_v4only = pi_plain;
	pi_v4only.port_id = 3;
	pi_v4only.conf = &conf_v4only;

	l4.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.10", &l4.a.v4);
	r4.family = AF_INET;
	inet_pton(AF_INET, "198.51.100.20", &r4.a.v4);
	l6.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::10", &l6.a.v6);
	r6.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8:1::20", &r6.a.v6);
}

static void
test_template_v4(void)
{
	static const uint8_t expect[42] = {
		0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, /* next hop */
		0x02, 0x11, 0x11, 0x11, 0x11, 0x11, /* port */
		0x08, 0x00,
		0x45, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00, /* DF */
		0x40, 0x11, 0x00, 0x00,
		192, 0, 2, 10, 198, 51, 100, 20,
		0x13, 0x8c, 0x75, 0x30, 0x00, 0x00, 0x00, 0x00, /* 5004 -> 30000 */
	};
	struct dp_flow f;

	memset(&f, 0, sizeof(f));
	f.flags = DP_FLOW_F_NO_NEIGH | DP_FLOW_F_RTCP;
	CU_ASSERT_EQUAL(dp_flow_set_egress(&f, &pi_plain, &l4, 5004, &r4, 30000,
					   &nh), 0);
	CU_ASSERT_EQUAL(f.eg.port_id, 0);
	CU_ASSERT_EQUAL(f.eg.family, 4);
	CU_ASSERT_EQUAL(f.eg.l2_len, 14);
	CU_ASSERT_EQUAL(f.eg.hdr_len, 42);
	CU_ASSERT_EQUAL(memcmp(f.eg.hdr, expect, sizeof(expect)), 0);
	CU_ASSERT_EQUAL(f.flags, DP_FLOW_F_RTCP); /* NO_NEIGH cleared */

	/* unknown next hop: zero destination and the flag */
	CU_ASSERT_EQUAL(dp_flow_set_egress(&f, &pi_plain, &l4, 5004, &r4, 30000,
					   NULL), 0);
	CU_ASSERT_EQUAL(f.flags, DP_FLOW_F_RTCP | DP_FLOW_F_NO_NEIGH);
	CU_ASSERT_EQUAL(memcmp(f.eg.hdr, "\0\0\0\0\0\0", 6), 0);
	CU_ASSERT_EQUAL(memcmp(f.eg.hdr + 6, expect + 6, sizeof(expect) - 6), 0);

	/* VLAN_PASS egresses untagged */
	CU_ASSERT_EQUAL(dp_flow_set_egress(&f, &pi_v4only, &l4, 5004, &r4,
					   30000, &nh), 0);
	CU_ASSERT_EQUAL(f.eg.l2_len, 14);
	CU_ASSERT_EQUAL(f.eg.port_id, 3);
}

static void
test_template_v6_vlan(void)
{
	static const uint8_t expect[66] = {
		0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee,
		0x02, 0x22, 0x22, 0x22, 0x22, 0x22,
		0x81, 0x00, 0x01, 0x2c,             /* VID 300 */
		0x86, 0xdd,
		0x60, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11, 0x40,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
		0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20,
		0x9c, 0x40, 0x13, 0x8d, 0x00, 0x00, 0x00, 0x00, /* 40000 -> 5005 */
	};
	struct dp_flow f;

	memset(&f, 0, sizeof(f));
	CU_ASSERT_EQUAL(dp_flow_set_egress(&f, &pi_vlan, &l6, 40000, &r6, 5005,
					   &nh), 0);
	CU_ASSERT_EQUAL(f.eg.port_id, 1);
	CU_ASSERT_EQUAL(f.eg.family, 6);
	CU_ASSERT_EQUAL(f.eg.l2_len, 18);
	CU_ASSERT_EQUAL(f.eg.hdr_len, 66);
	CU_ASSERT_EQUAL(memcmp(f.eg.hdr, expect, sizeof(expect)), 0);
	CU_ASSERT_EQUAL(f.flags, 0);
}

static void
test_template_errors(void)
{
	struct dp_flow f;
	struct cfg_port bad;
	struct dp_port_info pb;

	memset(&f, 0, sizeof(f));
	CU_ASSERT_EQUAL(dp_flow_set_egress(&f, &pi_plain, &l4, 1, &r6, 2, &nh),
			-EINVAL);
	CU_ASSERT_EQUAL(dp_flow_set_egress(&f, &pi_v4only, &l6, 1, &r6, 2, &nh),
			-EINVAL);
	bad = conf_vlan;
	bad.vlan_id = 0;
	pb = pi_vlan;
	pb.conf = &bad;
	CU_ASSERT_EQUAL(dp_flow_set_egress(&f, &pb, &l4, 1, &r4, 2, &nh), -EINVAL);
	CU_ASSERT_EQUAL(dp_flow_set_egress(NULL, &pi_plain, &l4, 1, &r4, 2, &nh),
			-EINVAL);
}

/* Input frames: UDP over v4 or v6, 0/1/2 tags, v4 options or v6 ext. */
static size_t
build_in(struct dpt_frame *fr, int fam, unsigned int nvlan, size_t n)
{
	if (fam == 4) {
		dpt_eth(fr, nvlan, 0x0800);
		dpt_ipv4(fr, 17, 8, 8 + n, 0x4000);
	} else {
		dpt_eth(fr, nvlan, 0x86dd);
		dpt_ipv6(fr, 60, 8 + 8 + n);
		fr->b[fr->len] = 17;     /* dest options, 8 bytes */
		fr->len += 8;
	}
	dpt_udp(fr, 1111, 2222, n);
	return fr->len;
}

/* The UDP checksum a NIC expects in the header with TX_UDP_CKSUM: the
 * pseudo-header sum, not complemented (RFC 768 / DPDK phdr_cksum). */
static uint16_t
phdr_sum(int fam, const uint8_t *src, const uint8_t *dst, uint16_t ulen)
{
	uint32_t s = 0;

	s = dpt_sum(s, src, fam == 4 ? 4 : 16);
	s = dpt_sum(s, dst, fam == 4 ? 4 : 16);
	s += 17;
	s += ulen;
	return (uint16_t)~dpt_fold(s);
}

static unsigned int n_rewrite_checked;

static void
check_rewrite(int in_fam, unsigned int in_vlan, const struct dp_port_info *out,
	      int out_fam, size_t n_in, size_t grow, unsigned int ol)
{
	struct dpt_frame fr;
	struct dp_pkt_view v, v2;
	struct dp_flow f;
	struct rte_mbuf *m;
	uint8_t payload[1600];
	uint8_t *d, *l3, *udp;
	size_t n_out = n_in + grow, i;
	uint16_t ul;
	int rc;

	memset(&f, 0, sizeof(f));
	CU_ASSERT_EQUAL_FATAL(dp_flow_set_egress(&f, out,
		out_fam == 4 ? &l4 : &l6, 5004, out_fam == 4 ? &r4 : &r6, 6006,
		&nh), 0);
	build_in(&fr, in_fam, in_vlan, n_in);
	m = rte_pktmbuf_alloc(mp);
	CU_ASSERT_FATAL(m != NULL);
	d = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(fr.len + grow));
	CU_ASSERT_FATAL(d != NULL);
	memcpy(d, fr.b, fr.len);
	CU_ASSERT_EQUAL_FATAL(dp_pkt_parse(d, (uint32_t)fr.len, &v), DP_PKT_UDP);
	/* The "transform" appends `grow` bytes (an SRTP tag, say). */
	for (i = 0; i < grow; i++)
		d[v.payload_off + v.payload_len + i] = (uint8_t)(0x30 + i);
	memcpy(payload, d + v.payload_off, n_out);
	m->ol_flags = RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED |
		      RTE_MBUF_F_TX_VLAN;
	m->vlan_tci = 77;

	rc = dp_rewrite_apply(m, v.payload_off, (uint16_t)n_out, &f.eg, 0xbeef,
			      ol, DP_REWRITE_SUM_NONE);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	d = rte_pktmbuf_mtod(m, uint8_t *);
	CU_ASSERT_EQUAL(m->data_len, f.eg.hdr_len + n_out);
	CU_ASSERT_EQUAL(m->pkt_len, f.eg.hdr_len + n_out);
	CU_ASSERT_EQUAL(m->l2_len, f.eg.l2_len);
	CU_ASSERT_EQUAL(m->l4_len, 8);
	CU_ASSERT_EQUAL(m->ol_flags & RTE_MBUF_F_TX_VLAN, 0);
	CU_ASSERT_EQUAL(m->vlan_tci, 0);
	CU_ASSERT_EQUAL(memcmp(d + f.eg.hdr_len, payload, n_out), 0);
	/* L2 exactly the template */
	CU_ASSERT_EQUAL(memcmp(d, f.eg.hdr, f.eg.l2_len), 0);
	l3 = d + f.eg.l2_len;

	if (out_fam == 4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)l3;

		udp = l3 + 20;
		CU_ASSERT_EQUAL(m->l3_len, 20);
		CU_ASSERT_EQUAL(dpt_get16(l3 + 2), 28 + n_out);
		CU_ASSERT_EQUAL(dpt_get16(l3 + 4), 0xbeef);
		/* everything but length, id and checksum is the template */
		CU_ASSERT_EQUAL(memcmp(l3, f.eg.hdr + f.eg.l2_len, 2), 0);
		CU_ASSERT_EQUAL(memcmp(l3 + 6, f.eg.hdr + f.eg.l2_len + 6, 4), 0);
		CU_ASSERT_EQUAL(memcmp(l3 + 12, f.eg.hdr + f.eg.l2_len + 12, 8), 0);
		CU_ASSERT_EQUAL(m->ol_flags & RTE_MBUF_F_TX_IPV4, RTE_MBUF_F_TX_IPV4);
		if (ol & DP_REWRITE_OL_IP_CKSUM) {
			CU_ASSERT_EQUAL(dpt_get16(l3 + 10), 0);
			CU_ASSERT((m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM) != 0);
		} else {
			CU_ASSERT_EQUAL(dpt_fold(dpt_sum(0, l3, 20)), 0);
			CU_ASSERT_EQUAL(m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM, 0);
		}
		if (ol & DP_REWRITE_OL_UDP_CKSUM) {
			CU_ASSERT((m->ol_flags & RTE_MBUF_F_TX_UDP_CKSUM) != 0);
			CU_ASSERT_EQUAL(dpt_get16(udp + 6),
					phdr_sum(4, l3 + 12, l3 + 16,
						 (uint16_t)(8 + n_out)));
		} else {
			CU_ASSERT_EQUAL(m->ol_flags & RTE_MBUF_F_TX_UDP_CKSUM, 0);
			CU_ASSERT_EQUAL(dpt_get16(udp + 6),
					dpt_udp_cksum(4, l3 + 12, l3 + 16, udp,
						      (uint16_t)(8 + n_out)));
			CU_ASSERT_EQUAL(rte_ipv4_udptcp_cksum_verify(ip, udp), 0);
		}
	} else {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)l3;

		udp = l3 + 40;
		CU_ASSERT_EQUAL(m->l3_len, 40);
		CU_ASSERT_EQUAL(dpt_get16(l3 + 4), 8 + n_out);
		CU_ASSERT_EQUAL(memcmp(l3, f.eg.hdr + f.eg.l2_len, 4), 0);
		CU_ASSERT_EQUAL(memcmp(l3 + 6, f.eg.hdr + f.eg.l2_len + 6, 34), 0);
		CU_ASSERT((m->ol_flags & RTE_MBUF_F_TX_IPV6) != 0);
		CU_ASSERT_EQUAL(m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM, 0);
		if (ol & DP_REWRITE_OL_UDP_CKSUM) {
			CU_ASSERT_EQUAL(dpt_get16(udp + 6),
					phdr_sum(6, l3 + 8, l3 + 24,
						 (uint16_t)(8 + n_out)));
		} else {
			CU_ASSERT_EQUAL(dpt_get16(udp + 6),
					dpt_udp_cksum(6, l3 + 8, l3 + 24, udp,
						      (uint16_t)(8 + n_out)));
			CU_ASSERT_EQUAL(rte_ipv6_udptcp_cksum_verify(ip6, udp), 0);
		}
	}
	ul = dpt_get16(udp + 4);
	CU_ASSERT_EQUAL(ul, 8 + n_out);
	CU_ASSERT_EQUAL(memcmp(udp, f.eg.hdr + f.eg.hdr_len - 8, 4), 0);
	/* and the result parses as what it should be */
	CU_ASSERT_EQUAL(dp_pkt_parse(d, m->data_len, &v2), DP_PKT_UDP);
	CU_ASSERT_EQUAL(v2.family, out_fam);
	CU_ASSERT_EQUAL(v2.n_vlan, f.eg.l2_len == 18 ? 1 : 0);
	CU_ASSERT_EQUAL(v2.payload_off, f.eg.hdr_len);
	CU_ASSERT_EQUAL(v2.payload_len, n_out);
	rte_pktmbuf_free(m);
	n_rewrite_checked++;
}

static void
test_rewrite_matrix(void)
{
	static const size_t sizes[] = { 0, 1, 160, 161, 1200 };
	const struct dp_port_info *outs[] = { &pi_plain, &pi_vlan };
	int fi, fo;
	unsigned int vi, oi, si, ol;

	for (fi = 4; fi <= 6; fi += 2)
		for (fo = 4; fo <= 6; fo += 2)
			for (vi = 0; vi <= 2; vi++)
				for (oi = 0; oi < 2; oi++)
					for (si = 0; si < RTE_DIM(sizes); si++)
						for (ol = 0; ol < 4; ol++)
							check_rewrite(fi, vi, outs[oi], fo,
								      sizes[si],
								      si % 3 == 2 ? 10 : 0,
								      ol);
	CU_ASSERT_EQUAL(n_rewrite_checked, 2 * 2 * 3 * 2 * 5 * 4);
}

/* A relayed datagram (payload unchanged): the payload's sum taken from the
 * received checksum (dp_rewrite_payload_sum) gives the same checksum as
 * summing the payload, v4/v6 in and out, tagged or not, every size; also
 * for a received checksum of 0xffff (a computed 0). No checksum (IPv4 0),
 * IPv4 options and IPv6 extension headers give DP_REWRITE_SUM_NONE. */
static void
check_relay_sum(int in_fam, unsigned int in_vlan, const struct dp_port_info *out, int out_fam,
		size_t n, int how)
{
	struct dpt_frame fr;
	struct dp_pkt_view v;
	struct dp_flow f;
	struct rte_mbuf *m;
	uint8_t *d, *udp, *l3;
	size_t l3o, u;
	uint32_t ps;
	uint16_t c;

	memset(&f, 0, sizeof(f));
	CU_ASSERT_EQUAL_FATAL(dp_flow_set_egress(&f, out, out_fam == 4 ? &l4 : &l6, 5004,
						 out_fam == 4 ? &r4 : &r6, 6006, &nh), 0);
	if (in_fam == 4) {
		dpt_eth(&fr, in_vlan, 0x0800);
		l3o = dpt_ipv4(&fr, 17, how == 2 ? 4 : 0, 8 + n, 0x4000);
	} else {
		dpt_eth(&fr, in_vlan, 0x86dd);
		l3o = dpt_ipv6(&fr, how == 2 ? 60 : 17, (how == 2 ? 8 : 0) + 8 + n);
		if (how == 2) {
			fr.b[fr.len] = 17; /* dest options, 8 bytes */
			fr.len += 8;
		}
	}
	u = dpt_udp(&fr, 1111, 2222, n);
	udp = fr.b + u;
	l3 = fr.b + l3o;
	c = dpt_udp_cksum(in_fam, l3 + (in_fam == 4 ? 12 : 8), l3 + (in_fam == 4 ? 16 : 24), udp,
			  (uint16_t)(8 + n));
	if (how == 3 && n >= 2 && c != 0xffff) {
		/* the payload's first word makes the sum 0xffff: the
		 * computed checksum is 0, sent as 0xffff */
		uint32_t w = (uint32_t)dpt_get16(udp + 8) + c;

		dpt_put16(udp + 8, (uint16_t)((w & 0xffff) + (w >> 16)));
		c = dpt_udp_cksum(in_fam, l3 + (in_fam == 4 ? 12 : 8),
				  l3 + (in_fam == 4 ? 16 : 24), udp, (uint16_t)(8 + n));
		CU_ASSERT_EQUAL(c, 0xffff);
	}
	dpt_put16(udp + 6, how == 1 ? 0 : c);
	CU_ASSERT_EQUAL_FATAL(dp_pkt_parse(fr.b, (uint32_t)fr.len, &v), DP_PKT_UDP);
	ps = dp_rewrite_payload_sum(fr.b, &v);
	if (how == 1 || how == 2) {
		CU_ASSERT_EQUAL(ps, DP_REWRITE_SUM_NONE);
	} else {
		CU_ASSERT(ps <= 0xffff);
	}
	m = rte_pktmbuf_alloc(mp);
	CU_ASSERT_FATAL(m != NULL);
	d = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)fr.len);
	CU_ASSERT_FATAL(d != NULL);
	memcpy(d, fr.b, fr.len);
	CU_ASSERT_EQUAL_FATAL(dp_rewrite_apply(m, v.payload_off, v.payload_len, &f.eg, 7, 0, ps),
			      0);
	d = rte_pktmbuf_mtod(m, uint8_t *);
	l3 = d + f.eg.l2_len;
	udp = l3 + (out_fam == 4 ? 20 : 40);
	CU_ASSERT_EQUAL(dpt_get16(udp + 6),
			dpt_udp_cksum(out_fam, l3 + (out_fam == 4 ? 12 : 8),
				      l3 + (out_fam == 4 ? 16 : 24), udp, (uint16_t)(8 + n)));
	rte_pktmbuf_free(m);
}

static void
test_rewrite_relay_sum(void)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 160, 161, 1200, 1401 };
	int fi, fo, how;
	unsigned int vi, si;

	for (fi = 4; fi <= 6; fi += 2)
		for (fo = 4; fo <= 6; fo += 2)
			for (vi = 0; vi <= 1; vi++)
				for (si = 0; si < RTE_DIM(sizes); si++)
					for (how = 0; how < 4; how++)
						check_relay_sum(fi, vi,
								vi ? &pi_vlan : &pi_plain, fo,
								sizes[si], how);
}

static void
test_rewrite_errors(void)
{
	struct dp_flow f;
	struct rte_mbuf *m, *m2;
	uint8_t *d;
	uint16_t off0, len0;

	memset(&f, 0, sizeof(f));
	CU_ASSERT_EQUAL_FATAL(dp_flow_set_egress(&f, &pi_vlan, &l6, 1, &r6, 2,
						 &nh), 0);
	/* multi-segment */
	m = rte_pktmbuf_alloc(mp);
	m2 = rte_pktmbuf_alloc(mp);
	CU_ASSERT_FATAL(m != NULL && m2 != NULL);
	CU_ASSERT_PTR_NOT_NULL(rte_pktmbuf_append(m, 100));
	CU_ASSERT_PTR_NOT_NULL(rte_pktmbuf_append(m2, 100));
	CU_ASSERT_EQUAL_FATAL(rte_pktmbuf_chain(m, m2), 0);
	CU_ASSERT_EQUAL(dp_rewrite_apply(m, 42, 50, &f.eg, 0, 0, DP_REWRITE_SUM_NONE), -EINVAL);
	rte_pktmbuf_free(m);

	/* payload beyond the data */
	m = rte_pktmbuf_alloc(mp);
	CU_ASSERT_PTR_NOT_NULL(rte_pktmbuf_append(m, 100));
	CU_ASSERT_EQUAL(dp_rewrite_apply(m, 42, 59, &f.eg, 0, 0, DP_REWRITE_SUM_NONE), -EINVAL);
	/* not enough headroom: 66-byte template before a payload at 10 */
	d = (uint8_t *)rte_pktmbuf_prepend(m, rte_pktmbuf_headroom(m));
	CU_ASSERT_PTR_NOT_NULL(d);
	off0 = m->data_off;
	len0 = m->data_len;
	CU_ASSERT_EQUAL(dp_rewrite_apply(m, 10, 20, &f.eg, 0, 0, DP_REWRITE_SUM_NONE), -ENOSPC);
	CU_ASSERT_EQUAL(m->data_off, off0);
	CU_ASSERT_EQUAL(m->data_len, len0);
	/* exactly enough is fine */
	CU_ASSERT_EQUAL(dp_rewrite_apply(m, 66, 20, &f.eg, 0, 0, DP_REWRITE_SUM_NONE), 0);
	CU_ASSERT_EQUAL(m->data_off, 0);
	CU_ASSERT_EQUAL(m->data_len, 86);
	/* an empty template (set_egress never ran) */
	memset(&f.eg, 0, sizeof(f.eg));
	CU_ASSERT_EQUAL(dp_rewrite_apply(m, 66, 20, &f.eg, 0, 0, DP_REWRITE_SUM_NONE), -EINVAL);
	rte_pktmbuf_free(m);
}

/* dp_cksum.h against DPDK's own checksum functions: every length 0..1600
 * at every alignment 0..7 over random bytes, the IPv4 header checksum,
 * and the UDP checksums of v4 and v6 datagrams. */
static void
test_cksum(void)
{
	static uint8_t buf[1600 + 8 + 64];
	struct rte_ipv4_hdr ip4;
	struct rte_ipv6_hdr ip6;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	unsigned int len, al, bad = 0, i;

	for (i = 0; i < sizeof(buf); i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = (uint8_t)x;
	}
	for (len = 0; len <= 1600; len++) {
		for (al = 0; al < 8; al++) {
			if (dp_cksum_fold(dp_cksum_sum(buf + al, len)) !=
			    rte_raw_cksum(buf + al, len))
				bad++;
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
	/* all-ones data: the folded sum is 0xffff, never 0 */
	memset(buf, 0xff, 64);
	CU_ASSERT_EQUAL(dp_cksum_fold(dp_cksum_sum(buf, 64)), rte_raw_cksum(buf, 64));
	memset(&ip4, 0, sizeof(ip4));
	memset(&ip6, 0, sizeof(ip6));
	ip4.version_ihl = RTE_IPV4_VHL_DEF;
	ip4.next_proto_id = IPPROTO_UDP;
	ip6.vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip6.proto = IPPROTO_UDP;
	for (len = 8; len <= 1500; len += 7) {
		for (i = 0; i < 16; i++) {
			ip6.src_addr[i] = buf[64 + i];
			ip6.dst_addr[i] = buf[100 + len % 64 + i];
		}
		memcpy(&ip4.src_addr, buf + 80 + len % 32, 4);
		memcpy(&ip4.dst_addr, buf + 120, 4);
		ip4.total_length = rte_cpu_to_be_16((uint16_t)(20 + len));
		ip6.payload_len = rte_cpu_to_be_16((uint16_t)len);
		/* dp_cksum_ip4 against rte_ipv4_cksum over varied headers */
		ip4.packet_id = rte_cpu_to_be_16((uint16_t)(len * 2654435761u));
		ip4.time_to_live = buf[200 + len % 64];
		ip4.hdr_checksum = 0;
		if (dp_cksum_ip4(&ip4) != rte_ipv4_cksum(&ip4))
			bad++;
		/* the UDP header's checksum field is zero when computing */
		buf[64 + 6] = buf[64 + 7] = 0;
		if (dp_cksum_udp4(&ip4, buf + 64, len) != rte_ipv4_udptcp_cksum(&ip4, buf + 64))
			bad++;
		if (dp_cksum_udp6(&ip6, buf + 64, len) != rte_ipv6_udptcp_cksum(&ip6, buf + 64))
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0);
}

int
main(void)
{
	CU_pSuite s;
	int rc;

	if (dpt_eal_init("dpt_egress") < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 2;
	}
	mp = rte_pktmbuf_pool_create("dpt_eg", 64, 0, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (mp == NULL)
		return 2;
	setup_ports();
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("dp_egress", NULL, NULL);
	CU_add_test(s, "template_v4", test_template_v4);
	CU_add_test(s, "template_v6_vlan", test_template_v6_vlan);
	CU_add_test(s, "template_errors", test_template_errors);
	CU_add_test(s, "rewrite_matrix", test_rewrite_matrix);
	CU_add_test(s, "rewrite_errors", test_rewrite_errors);
	CU_add_test(s, "rewrite_relay_sum", test_rewrite_relay_sum);
	CU_add_test(s, "checksums", test_cksum);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	rc = CU_get_number_of_failures() ? 1 : 0;
	CU_cleanup_registry();
	rte_mempool_free(mp);
	rte_eal_cleanup();
	return rc;
}
