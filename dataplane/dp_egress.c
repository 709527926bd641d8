/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_egress: build a flow's egress header template (control only).
 *
 * The template is the whole header stack a packet of the flow leaves with:
 * Ethernet, the port's VLAN tag when the port pushes one (CFG_VLAN_STRIP),
 * IPv4 or IPv6, UDP. Per-packet fields (lengths, IPv4 id, checksums) are left
 * zero here and filled by dp_rewrite_apply().
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "dp.h"
#include "dp_cksum.h"

#define DP_EG_TTL 64

_Static_assert(RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN + sizeof(struct rte_ipv6_hdr) +
	       sizeof(struct rte_udp_hdr) <= sizeof(((struct dp_flow_egress *)0)->hdr),
	       "egress template does not fit");

int
dp_flow_set_egress(struct dp_flow *f, const struct dp_port_info *out,
		   const struct cfg_ip *local, uint16_t local_port,
		   const struct cfg_ip *remote, uint16_t remote_port,
		   const struct rte_ether_addr *dst_mac)
{
	struct dp_flow_egress *eg;
	uint8_t *p;
	bool vlan = false;
	uint16_t vlan_id = 0;
	struct rte_udp_hdr *udp;

	if (f == NULL || out == NULL || local == NULL || remote == NULL)
		return -EINVAL;
	if (local->family != remote->family ||
	    (local->family != AF_INET && local->family != AF_INET6))
		return -EINVAL;
	if (out->conf != NULL) {
		/* The port must carry the family it is asked to send. */
		if (local->family == AF_INET && out->conf->n_addr4 == 0)
			return -EINVAL;
		if (local->family == AF_INET6 && out->conf->n_addr6 == 0)
			return -EINVAL;
		/* Only STRIP pushes a tag; PASS egresses untagged. */
		if (out->conf->vlan_mode == CFG_VLAN_STRIP) {
			vlan = true;
			vlan_id = out->conf->vlan_id;
			if (vlan_id == 0 || vlan_id > 4094)
				return -EINVAL;
		}
	}

	eg = &f->eg;
	memset(eg, 0, sizeof(*eg));
	eg->port_id = out->port_id;
	p = eg->hdr;

	/* Ethernet: unknown next hop leaves the destination zero; the flag
	 * makes workers count and drop until control re-aims the flow. */
	if (dst_mac != NULL) {
		memcpy(p, dst_mac->addr_bytes, RTE_ETHER_ADDR_LEN);
		f->flags &= ~(uint32_t)DP_FLOW_F_NO_NEIGH;
	} else {
		f->flags |= DP_FLOW_F_NO_NEIGH;
	}
	memcpy(p + RTE_ETHER_ADDR_LEN, out->mac.addr_bytes, RTE_ETHER_ADDR_LEN);
	p += 2 * RTE_ETHER_ADDR_LEN;
	if (vlan) {
		/* IEEE 802.1Q: TPID 0x8100, PCP 0, DEI 0, VID. */
		*p++ = 0x81;
		*p++ = 0x00;
		*p++ = (uint8_t)(vlan_id >> 8);
		*p++ = (uint8_t)(vlan_id & 0xff);
	}

	if (local->family == AF_INET) {
		struct rte_ipv4_hdr ip;

		*p++ = 0x08;
		*p++ = 0x00;
		memset(&ip, 0, sizeof(ip));
		ip.version_ihl = RTE_IPV4_VHL_DEF;
		ip.fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
		ip.time_to_live = DP_EG_TTL;
		ip.next_proto_id = IPPROTO_UDP;
		ip.src_addr = local->a.v4.s_addr;
		ip.dst_addr = remote->a.v4.s_addr;
		memcpy(p, &ip, sizeof(ip));
		p += sizeof(ip);
		eg->family = 4;
	} else {
		struct rte_ipv6_hdr ip6;

		*p++ = 0x86;
		*p++ = 0xdd;
		memset(&ip6, 0, sizeof(ip6));
		ip6.vtc_flow = rte_cpu_to_be_32(UINT32_C(6) << 28);
		ip6.proto = IPPROTO_UDP;
		ip6.hop_limits = DP_EG_TTL;
		memcpy(ip6.src_addr, &local->a.v6, 16);
		memcpy(ip6.dst_addr, &remote->a.v6, 16);
		memcpy(p, &ip6, sizeof(ip6));
		p += sizeof(ip6);
		eg->family = 6;
	}
	eg->l2_len = vlan ? RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN : RTE_ETHER_HDR_LEN;

	udp = (struct rte_udp_hdr *)p;
	udp->src_port = rte_cpu_to_be_16(local_port);
	udp->dst_port = rte_cpu_to_be_16(remote_port);
	udp->dgram_len = 0;
	udp->dgram_cksum = 0;
	p += sizeof(*udp);
	eg->hdr_len = (uint8_t)(p - eg->hdr);

	/* What every packet's checksums share (dp_rewrite_apply() adds the
	 * lengths, the IPv4 id and the payload): the IPv4 header as it
	 * stands, and the pseudo-header's addresses and protocol (RFC 768;
	 * RFC 8200 §8.1) with the UDP header's ports. */
	if (eg->family == 4) {
		const struct rte_ipv4_hdr *ip = (const void *)(eg->hdr + eg->l2_len);

		eg->ip_sum = dp_cksum_fold(dp_cksum_sum(ip, sizeof(*ip)));
		eg->l4_sum = dp_cksum_fold(dp_cksum_phdr4(ip, 0) + dp_cksum_sum(udp, 4));
	} else {
		const struct rte_ipv6_hdr *ip6 = (const void *)(eg->hdr + eg->l2_len);

		eg->l4_sum = dp_cksum_fold(dp_cksum_phdr6(ip6, 0) + dp_cksum_sum(udp, 4));
	}
	return 0;
}
