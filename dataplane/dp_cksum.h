/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_cksum: the Internet checksum (RFC 1071) of the rewrite path, eight
 * bytes per add (private to dataplane/).
 *
 * DPDK 22.11's rte_raw_cksum() adds 16 bits per step; over a 200-byte SRTP
 * datagram that loop was half of the rewrite's cycles where the port has no
 * checksum offload (memif, net_tap, many virtual NICs). RFC 1071 §2: the
 * one's complement sum may be accumulated in wider words and folded at the
 * end, and is byte-order independent, so these return exactly what the
 * rte_*_cksum() functions return (test_dp_egress compares them).
 */
#ifndef IMSAGW_DP_CKSUM_H
#define IMSAGW_DP_CKSUM_H

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

/* Sum of buf's 16-bit words in memory order, not folded: add to other
 * sums, then dp_cksum_fold(). len < 2^16. */
static inline uint64_t
dp_cksum_sum(const void *buf, uint32_t len)
{
	const uint8_t *p = buf;
	uint64_t s0 = 0, s1 = 0, w, x;
	uint32_t t;

	/* two 32-bit halves per 64-bit word into two accumulators: no
	 * carry is lost (len < 2^16 bytes) */
	for (; len >= 16; len -= 16, p += 16) {
		memcpy(&w, p, 8);
		memcpy(&x, p + 8, 8);
		s0 += (w & 0xffffffffu) + (w >> 32);
		s1 += (x & 0xffffffffu) + (x >> 32);
	}
	s0 += s1;
	for (; len >= 4; len -= 4, p += 4) {
		memcpy(&t, p, 4);
		s0 += t;
	}
	if (len >= 2) {
		uint16_t h;

		memcpy(&h, p, 2);
		s0 += h;
		p += 2;
		len -= 2;
	}
	if (len) {
		/* the odd byte as the first byte of a zero-padded word */
		uint16_t h = 0;

		memcpy(&h, p, 1);
		s0 += h;
	}
	return s0;
}

/* Fold a wide sum to 16 bits with end-around carries. */
static inline uint16_t
dp_cksum_fold(uint64_t s)
{
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* The UDP checksum of an IPv4 datagram (= rte_ipv4_udptcp_cksum()). */
static inline uint16_t
dp_cksum_udp4(const struct rte_ipv4_hdr *ip, const void *udp, uint32_t udp_len)
{
	uint16_t c = (uint16_t)~dp_cksum_fold(dp_cksum_sum(udp, udp_len) +
					      rte_ipv4_phdr_cksum(ip, 0));

	/* RFC 768: a computed 0 is sent as all ones */
	return c == 0 ? 0xffff : c;
}

/* The UDP checksum of an IPv6 datagram (= rte_ipv6_udptcp_cksum()). */
static inline uint16_t
dp_cksum_udp6(const struct rte_ipv6_hdr *ip6, const void *udp, uint32_t udp_len)
{
	uint16_t c = (uint16_t)~dp_cksum_fold(dp_cksum_sum(udp, udp_len) +
					      rte_ipv6_phdr_cksum(ip6, 0));

	return c == 0 ? 0xffff : c;
}

#endif /* IMSAGW_DP_CKSUM_H */
