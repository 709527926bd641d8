/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_rewrite: per-packet egress rewrite (private to dataplane/).
 *
 * The flow's egress template (built by dp_flow_set_egress()) replaces every
 * header in front of the UDP payload: the old Ethernet, VLAN tags, IPv4/IPv6
 * with options or extension headers and UDP are dropped, so IPv4<->IPv6
 * interworking and VLAN push/pop need nothing special. Lengths, the IPv4 id
 * and checksums are filled per packet.
 *
 * Worker hot path: no allocation, locks, system calls or logs.
 */
#ifndef IMSAGW_DP_REWRITE_H
#define IMSAGW_DP_REWRITE_H

#include <errno.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>
#include <rte_udp.h>

#include "dp_cksum.h"
#include "dp_flow.h"
#include "dp_pkt.h"

/* Checksum offloads the egress port performs (dp_port_info.tx_ip_cksum,
 * tx_udp_cksum). Without them the checksums are computed in software. */
enum dp_rewrite_ol {
	DP_REWRITE_OL_IP_CKSUM = 1u << 0,
	DP_REWRITE_OL_UDP_CKSUM = 1u << 1,
};

/* dp_rewrite_apply()'s psum when the payload's sum is not known. */
#define DP_REWRITE_SUM_NONE UINT32_MAX

/*
 * The 16-bit one's complement sum of a received UDP datagram's payload,
 * taken from its checksum instead of its bytes (RFC 1624 §3: the checksum's
 * complement less what the headers add). A relayed payload leaves as it
 * came, so its new checksum needs only the new headers: a NAT's
 * incremental update (RFC 3022 §4.2), and like a NAT it keeps a wrong
 * checksum wrong, for the receiver to drop, rather than make one for
 * bytes that were damaged on the way in.
 * @param f  the frame as received (before dp_rewrite_apply), v its view
 *           (DP_PKT_UDP).
 * @return the sum (<= 0xffff) for dp_rewrite_apply(); DP_REWRITE_SUM_NONE
 *         when the datagram carries no checksum (IPv4, RFC 768: 0) or the
 *         pseudo-header might not be the IP header's (IPv4 options, IPv6
 *         extension headers: a source route's final destination is): the
 *         rewrite then sums the payload. Any thread.
 */
static inline uint32_t
dp_rewrite_payload_sum(const uint8_t *f, const struct dp_pkt_view *v)
{
	const uint8_t *udp = f + v->l4_off;
	uint32_t alen = v->family == 4 ? 4 : 16;
	uint16_t c, ul, hs;

	if (v->l4_off != v->l3_off + (v->family == 4 ? sizeof(struct rte_ipv4_hdr)
						      : sizeof(struct rte_ipv6_hdr)))
		return DP_REWRITE_SUM_NONE;
	memcpy(&c, udp + 6, 2);
	if (c == 0)
		return DP_REWRITE_SUM_NONE;
	memcpy(&ul, udp + 4, 2);
	/* The pseudo-header (source and destination are adjacent in both
	 * IP headers; protocol; UDP length) and the UDP header (ports,
	 * length). */
	hs = dp_cksum_fold(dp_cksum_sum(v->src, 2 * alen) + rte_cpu_to_be_16(IPPROTO_UDP) +
			   dp_cksum_sum(udp, 6) + ul);
	/* one's complement subtraction: ~c - hs = ~c + ~hs */
	return dp_cksum_fold((uint32_t)(uint16_t)~c + (uint16_t)~hs);
}

/*
 * Rewrite m so that it carries eg's headers followed by the UDP payload
 * found at [off, off + len) from the start of m's data (after the transform:
 * len is the payload's current length).
 *
 * @param m      single-segment mbuf.
 * @param off    offset of the UDP payload from rte_pktmbuf_mtod(m).
 * @param len    UDP payload length.
 * @param eg     the flow's egress template.
 * @param ip_id  IPv4 identification (host order); ignored for IPv6. With DF
 *               set any value is valid (RFC 6864 §4.1).
 * @param ol     enum dp_rewrite_ol bits.
 * @param psum   the payload's sum when known (dp_rewrite_payload_sum(),
 *               for a payload that leaves as it came), else
 *               DP_REWRITE_SUM_NONE: the payload is summed.
 * @return 0; -EINVAL (multi-segment, payload outside the data, empty
 *         template); -ENOSPC (not enough headroom for the template);
 *         -EMSGSIZE (the datagram would exceed 65535). On error m is
 *         unchanged. Owner lcore (any thread that owns m).
 */
static inline int
dp_rewrite_apply(struct rte_mbuf *m, uint16_t off, uint16_t len,
		 const struct dp_flow_egress *eg, uint16_t ip_id,
		 unsigned int ol, uint32_t psum)
{
	uint32_t hdr_len = eg->hdr_len;
	uint32_t l2_len = eg->l2_len;
	uint64_t ol_flags;
	uint32_t ptype;
	uint8_t *base, *l3;
	struct rte_udp_hdr *udp;
	uint16_t ulen;

	if (unlikely(m->nb_segs != 1 || m->next != NULL))
		return -EINVAL;
	if (unlikely((uint32_t)off + len > m->data_len || hdr_len == 0 ||
		     hdr_len <= l2_len))
		return -EINVAL;
	if (unlikely(hdr_len > (uint32_t)off + rte_pktmbuf_headroom(m)))
		return -ENOSPC;
	if (unlikely(hdr_len - l2_len + (uint32_t)len > UINT16_MAX))
		return -EMSGSIZE;

	m->data_off = (uint16_t)(m->data_off + off - hdr_len);
	m->data_len = (uint16_t)(hdr_len + len);
	m->pkt_len = m->data_len;
	base = rte_pktmbuf_mtod(m, uint8_t *);
	rte_memcpy(base, eg->hdr, hdr_len);
	l3 = base + l2_len;

	/* Whatever the packet arrived with (RX VLAN strip, old TX requests)
	 * must not reach the TX path. */
	ol_flags = m->ol_flags & ~RTE_MBUF_F_TX_OFFLOAD_MASK;
	m->vlan_tci = 0;
	m->vlan_tci_outer = 0;
	ptype = l2_len > RTE_ETHER_HDR_LEN ? RTE_PTYPE_L2_ETHER_VLAN : RTE_PTYPE_L2_ETHER;
	/* The template's length and checksum fields are 0: each is written
	 * once; the checksums are the template's sums (dp_flow_set_egress)
	 * plus the lengths, the id and the payload (RFC 1071 §2). */
	ulen = rte_cpu_to_be_16((uint16_t)(sizeof(*udp) + len));
	if (eg->family == 4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)l3;
		uint16_t tot = rte_cpu_to_be_16((uint16_t)(hdr_len - l2_len + len));
		uint16_t id = rte_cpu_to_be_16(ip_id);

		udp = (struct rte_udp_hdr *)(l3 + sizeof(*ip));
		m->tx_offload = rte_mbuf_tx_offload(l2_len, sizeof(*ip), sizeof(*udp), 0, 0, 0, 0);
		m->packet_type = ptype | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_UDP;
		ip->total_length = tot;
		ip->packet_id = id;
		udp->dgram_len = ulen;
		ol_flags |= RTE_MBUF_F_TX_IPV4;
		if (ol & DP_REWRITE_OL_IP_CKSUM)
			ol_flags |= RTE_MBUF_F_TX_IP_CKSUM;
		else
			ip->hdr_checksum = (uint16_t)~dp_cksum_fold((uint64_t)eg->ip_sum + tot + id);
		if (ol & DP_REWRITE_OL_UDP_CKSUM) {
			ol_flags |= RTE_MBUF_F_TX_UDP_CKSUM;
			udp->dgram_cksum = rte_ipv4_phdr_cksum(ip, ol_flags);
		}
	} else {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)l3;

		udp = (struct rte_udp_hdr *)(l3 + sizeof(*ip6));
		m->tx_offload = rte_mbuf_tx_offload(l2_len, sizeof(*ip6), sizeof(*udp), 0, 0, 0,
						    0);
		m->packet_type = ptype | RTE_PTYPE_L3_IPV6 | RTE_PTYPE_L4_UDP;
		ip6->payload_len = ulen;
		udp->dgram_len = ulen;
		ol_flags |= RTE_MBUF_F_TX_IPV6;
		if (ol & DP_REWRITE_OL_UDP_CKSUM) {
			ol_flags |= RTE_MBUF_F_TX_UDP_CKSUM;
			udp->dgram_cksum = rte_ipv6_phdr_cksum(ip6, ol_flags);
		}
	}
	if ((ol & DP_REWRITE_OL_UDP_CKSUM) == 0) {
		/* The UDP length is in the pseudo-header and in the UDP
		 * header: twice. RFC 768: a computed 0 is sent as all ones;
		 * RFC 8200 §8.1: over IPv6 the checksum is mandatory, never
		 * 0. */
		uint64_t ps = psum <= UINT16_MAX ? psum : dp_cksum_sum(base + hdr_len, len);
		uint16_t c = (uint16_t)~dp_cksum_fold((uint64_t)eg->l4_sum + 2u * ulen + ps);

		udp->dgram_cksum = c == 0 ? 0xffff : c;
	}
	m->ol_flags = ol_flags;
	return 0;
}

#endif /* IMSAGW_DP_REWRITE_H */
