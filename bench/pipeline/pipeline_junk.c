/* SPDX-License-Identifier: BSD-3-Clause */
/* The junk frames of imsagw-pipeline-bench --junk (see pipeline_junk.h). */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "pipeline_junk.h"

#define JUNK_MIN_FRAME 60 /* Ethernet minimum without FCS: shorter is padded */
#define JUNK_PAYLOAD 18   /* bytes after an ICMP/UDP header: a 60-byte frame */
#define JUNK_UE_PORT 40001
#define JUNK_FRAG_OFF 185 /* in 8-byte units: where a second fragment of 1480 starts */

/* RFC 4861 §4: Neighbour Solicitation and Router Advertisement. */
#define ND_NS 135
#define ND_RA 134
#define ND_NS_LEN 32 /* type, code, cksum, reserved, target, SLLA option */
#define ND_RA_LEN 16 /* type, code, cksum, hop limit, flags, lifetime, timers */

static const uint8_t ue_ll6[16] = {0xfe, 0x80, [14] = 0x0a, [15] = 0x02};
static const uint8_t all_nodes6[16] = {0xff, 0x02, [15] = 0x01};
/* The NS target, 2001:db8:a::5:a5a5: a neighbour of the UEs, not one of our
 * addresses (its solicited-node group must not be ours either: see
 * ns_target()). */
static const uint8_t ns_target0[16] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x0a, 0,    0,
				       0,    0,    0,    0,    0,    0x05, 0xa5, 0xa5};

static const enum bench_junk_kind mix[10] = {
	BENCH_JUNK_ICMP,  BENCH_JUNK_TCP_SYN, BENCH_JUNK_UDP, BENCH_JUNK_FRAG_FIRST,
	BENCH_JUNK_ICMP,  BENCH_JUNK_TCP_SYN, BENCH_JUNK_UDP, BENCH_JUNK_FRAG_LATER,
	BENCH_JUNK_ND_NS, BENCH_JUNK_ND_RA,
};

static struct rte_ipv4_hdr *
ipv4_start(uint8_t *f, const struct bench_junk_addrs *a, uint8_t proto, uint16_t frag)
{
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)f;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eh + 1);

	eh->dst_addr = a->port_mac;
	eh->src_addr = a->ue_mac;
	eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->time_to_live = 64;
	ip->next_proto_id = proto;
	ip->fragment_offset = rte_cpu_to_be_16(frag);
	ip->src_addr = a->ue_v4;
	ip->dst_addr = a->gw_v4;
	return ip;
}

/* Total length and header checksum once the L4 part is l4len bytes.
 * @return the frame's length. */
static uint16_t
ipv4_end(struct rte_ipv4_hdr *ip, uint16_t l4len)
{
	ip->total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) + l4len));
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	return (uint16_t)(sizeof(struct rte_ether_hdr) + sizeof(*ip) + l4len);
}

static uint16_t
build_icmp(uint8_t *f, const struct bench_junk_addrs *a)
{
	struct rte_ipv4_hdr *ip = ipv4_start(f, a, IPPROTO_ICMP, 0);
	uint8_t *icmp = (uint8_t *)(ip + 1);
	uint16_t len = 8 + JUNK_PAYLOAD, c;

	icmp[0] = 8; /* echo request (RFC 792) */
	icmp[5] = 1; /* identifier 1, sequence 1 */
	icmp[7] = 1;
	c = (uint16_t)~rte_raw_cksum(icmp, len);
	memcpy(icmp + 2, &c, 2);
	return ipv4_end(ip, len);
}

static uint16_t
build_tcp_syn(uint8_t *f, const struct bench_junk_addrs *a)
{
	struct rte_ipv4_hdr *ip = ipv4_start(f, a, IPPROTO_TCP, RTE_IPV4_HDR_DF_FLAG);
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(ip + 1);
	uint16_t len;

	tcp->src_port = rte_cpu_to_be_16(JUNK_UE_PORT);
	tcp->dst_port = rte_cpu_to_be_16(80);
	tcp->sent_seq = rte_cpu_to_be_32(0x10000);
	tcp->data_off = 5 << 4;
	tcp->tcp_flags = RTE_TCP_SYN_FLAG;
	tcp->rx_win = rte_cpu_to_be_16(65535);
	len = ipv4_end(ip, sizeof(*tcp));
	tcp->cksum = rte_ipv4_udptcp_cksum(ip, tcp);
	return len;
}

/* UDP from the UE to dport; frag: the IPv4 flags and offset field. The
 * checksum of a fragment would cover the whole datagram: 0 there (none,
 * RFC 768). */
static uint16_t
build_udp(uint8_t *f, const struct bench_junk_addrs *a, uint16_t dport, uint16_t frag)
{
	struct rte_ipv4_hdr *ip = ipv4_start(f, a, IPPROTO_UDP, frag);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	uint16_t len;

	udp->src_port = rte_cpu_to_be_16(JUNK_UE_PORT);
	udp->dst_port = rte_cpu_to_be_16(dport);
	/* a first fragment announces the whole datagram */
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)((frag & RTE_IPV4_HDR_MF_FLAG) != 0
							     ? 1480 + sizeof(*udp)
							     : sizeof(*udp) + JUNK_PAYLOAD));
	len = ipv4_end(ip, sizeof(*udp) + JUNK_PAYLOAD);
	if (frag == RTE_IPV4_HDR_DF_FLAG)
		udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip, udp);
	return len;
}

/* A later fragment carries no UDP header: just bytes at an offset. */
static uint16_t
build_frag_later(uint8_t *f, const struct bench_junk_addrs *a)
{
	struct rte_ipv4_hdr *ip = ipv4_start(f, a, IPPROTO_UDP, JUNK_FRAG_OFF);

	memset(ip + 1, 0x5a, 8 + JUNK_PAYLOAD);
	return ipv4_end(ip, 8 + JUNK_PAYLOAD);
}

/* An ICMPv6 message of len bytes at the returned pointer, hop limit 255 as
 * ND wants (RFC 4861 §7.1.1), to dst, on Ethernet multicast 33:33 + the
 * low 32 bits of dst (RFC 2464 §7). */
static uint8_t *
icmp6_start(uint8_t *f, const struct bench_junk_addrs *a, const uint8_t dst[16], uint16_t len)
{
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)f;
	struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(eh + 1);

	eh->dst_addr.addr_bytes[0] = 0x33;
	eh->dst_addr.addr_bytes[1] = 0x33;
	memcpy(&eh->dst_addr.addr_bytes[2], dst + 12, 4);
	eh->src_addr = a->ue_mac;
	eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
	ip6->vtc_flow = rte_cpu_to_be_32(6u << 28);
	ip6->payload_len = rte_cpu_to_be_16(len);
	ip6->proto = IPPROTO_ICMPV6;
	ip6->hop_limits = 255;
	memcpy(ip6->src_addr, ue_ll6, 16);
	memcpy(ip6->dst_addr, dst, 16);
	return (uint8_t *)(ip6 + 1);
}

static uint16_t
icmp6_end(uint8_t *f, uint8_t *icmp6, uint16_t len)
{
	const struct rte_ipv6_hdr *ip6 = (const struct rte_ipv6_hdr *)(f + RTE_ETHER_HDR_LEN);
	uint16_t c;

	icmp6[2] = 0;
	icmp6[3] = 0;
	c = rte_ipv6_udptcp_cksum(ip6, icmp6);
	memcpy(icmp6 + 2, &c, 2);
	return (uint16_t)(RTE_ETHER_HDR_LEN + sizeof(*ip6) + len);
}

/* Does the solicited-node group of t (its low 24 bits, RFC 4291 §2.7.1)
 * belong to the port: one of its addresses or its link-local (EUI-64 of
 * its MAC)? */
static bool
group_ours(const uint8_t t[16], const struct bench_junk_addrs *a)
{
	unsigned int i;

	if (memcmp(t + 13, &a->port_mac.addr_bytes[3], 3) == 0)
		return true;
	for (i = 0; i < a->n_gw_v6; i++)
		if (memcmp(t + 13, &a->gw_v6[i][13], 3) == 0)
			return true;
	return false;
}

static int
ns_target(uint8_t t[16], const struct bench_junk_addrs *a)
{
	unsigned int k;

	memcpy(t, ns_target0, 16);
	for (k = 0; k < 256 && group_ours(t, a); k++)
		t[15]++;
	return group_ours(t, a) ? -EINVAL : 0;
}

static int
build_ns(uint8_t *f, uint16_t *len, const struct bench_junk_addrs *a)
{
	uint8_t t[16], grp[16] = {0xff, 0x02, [11] = 0x01, [12] = 0xff};
	uint8_t *ns;

	if (ns_target(t, a) != 0)
		return -EINVAL;
	memcpy(grp + 13, t + 13, 3);
	ns = icmp6_start(f, a, grp, ND_NS_LEN);
	ns[0] = ND_NS;
	memcpy(ns + 8, t, 16);
	ns[24] = 1; /* source link-layer address option, 8 bytes */
	ns[25] = 1;
	memcpy(ns + 26, a->ue_mac.addr_bytes, 6);
	*len = icmp6_end(f, ns, ND_NS_LEN);
	return 0;
}

static uint16_t
build_ra(uint8_t *f, const struct bench_junk_addrs *a)
{
	uint8_t *ra = icmp6_start(f, a, all_nodes6, ND_RA_LEN);

	ra[0] = ND_RA;
	ra[4] = 64;   /* current hop limit */
	ra[6] = 0x07; /* router lifetime 1800 s: "route through me" */
	ra[7] = 0x08;
	return icmp6_end(f, ra, ND_RA_LEN);
}

int
bench_junk_build(struct bench_junk *j, const struct bench_junk_addrs *a)
{
	unsigned int k;

	memset(j, 0, sizeof(*j));
	j->len[BENCH_JUNK_ICMP] = build_icmp(j->frame[BENCH_JUNK_ICMP], a);
	j->len[BENCH_JUNK_TCP_SYN] = build_tcp_syn(j->frame[BENCH_JUNK_TCP_SYN], a);
	j->len[BENCH_JUNK_UDP] = build_udp(j->frame[BENCH_JUNK_UDP], a, 53, RTE_IPV4_HDR_DF_FLAG);
	/* to a media port: a fragment is the exception path's whatever its
	 * ports (classify() never looks past the IPv4 header) */
	j->len[BENCH_JUNK_FRAG_FIRST] =
		build_udp(j->frame[BENCH_JUNK_FRAG_FIRST], a, 5004, RTE_IPV4_HDR_MF_FLAG);
	j->len[BENCH_JUNK_FRAG_LATER] = build_frag_later(j->frame[BENCH_JUNK_FRAG_LATER], a);
	if (build_ns(j->frame[BENCH_JUNK_ND_NS], &j->len[BENCH_JUNK_ND_NS], a) != 0)
		return -EINVAL;
	j->len[BENCH_JUNK_ND_RA] = build_ra(j->frame[BENCH_JUNK_ND_RA], a);
	for (k = 0; k < BENCH_JUNK_KINDS; k++)
		if (j->len[k] < JUNK_MIN_FRAME)
			j->len[k] = JUNK_MIN_FRAME; /* zero padding, past the IP datagram */
	return 0;
}

enum bench_junk_kind
bench_junk_kind_of(uint64_t k)
{
	return mix[k % RTE_DIM(mix)];
}

bool
bench_junk_is_nd(enum bench_junk_kind kind)
{
	return kind == BENCH_JUNK_ND_NS || kind == BENCH_JUNK_ND_RA;
}

const char *
bench_junk_name(enum bench_junk_kind kind)
{
	static const char *const names[BENCH_JUNK_KINDS] = {
		[BENCH_JUNK_ICMP] = "icmp_echo",
		[BENCH_JUNK_TCP_SYN] = "tcp_syn",
		[BENCH_JUNK_UDP] = "udp",
		[BENCH_JUNK_FRAG_FIRST] = "frag_first",
		[BENCH_JUNK_FRAG_LATER] = "frag_later",
		[BENCH_JUNK_ND_NS] = "nd_ns",
		[BENCH_JUNK_ND_RA] = "nd_ra",
	};

	return (unsigned int)kind < BENCH_JUNK_KINDS ? names[kind] : "unknown";
}

void
bench_junk_fill(const struct bench_junk *j, enum bench_junk_kind kind, struct rte_mbuf *m)
{
	rte_pktmbuf_reset(m);
	memcpy(rte_pktmbuf_mtod(m, uint8_t *), j->frame[kind], j->len[kind]);
	m->data_len = j->len[kind];
	m->pkt_len = j->len[kind];
}
