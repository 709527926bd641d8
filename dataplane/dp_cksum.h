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

/* Sum of buf's 16-bit words in memory order, not folded (below 2^34): add
 * to other sums, then dp_cksum_fold(). len < 2^16.
 *
 * RFC 1071 §2 (and §4.1's loop unrolling): the sum is taken 64 bits a word
 * with end-around carry, the carries counted apart (add and add-with-carry,
 * two instructions a word, where 16 or 32 bits a step need four or more);
 * folding the 64-bit sum gives the 16-bit one's complement sum, whatever
 * the byte order. */
static inline uint64_t
dp_cksum_sum(const void *buf, uint32_t len)
{
	const uint8_t *p = buf;
	uint64_t s = 0, c = 0, w;

	/* 32 bytes a turn while there are: a voice datagram (~200 bytes) in
	 * six turns */
	for (; len >= 32; len -= 32, p += 32) {
		uint64_t x, y, z;

		memcpy(&w, p, 8);
		memcpy(&x, p + 8, 8);
		memcpy(&y, p + 16, 8);
		memcpy(&z, p + 24, 8);
		s += w;
		c += s < w;
		s += x;
		c += s < x;
		s += y;
		c += s < y;
		s += z;
		c += s < z;
	}
	if (len & 16) {
		uint64_t x;

		memcpy(&w, p, 8);
		memcpy(&x, p + 8, 8);
		s += w;
		c += s < w;
		s += x;
		c += s < x;
		p += 16;
	}
	if (len & 8) {
		memcpy(&w, p, 8);
		s += w;
		c += s < w;
		p += 8;
	}
	len &= 7;
	/* the tail (< 8 bytes) as one word: each 16-bit word as loaded, at
	 * a multiple of 16 bits (2^16 = 1 in the one's complement sum), an
	 * odd last byte as the first of a zero-padded word */
	if (len) {
		unsigned int sh = 0;
		uint32_t t;
		uint16_t h;

		w = 0;
		if (len & 4) {
			memcpy(&t, p, 4);
			w = t;
			p += 4;
			sh = 32;
		}
		if (len & 2) {
			memcpy(&h, p, 2);
			w |= (uint64_t)h << sh;
			p += 2;
			sh += 16;
		}
		if (len & 1) {
			h = 0;
			memcpy(&h, p, 1);
			w |= (uint64_t)h << sh;
		}
		s += w;
		c += s < w;
	}
	s += c;
	s += s < c;
	return (s & 0xffffffffu) + (s >> 32);
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

/* The checksum of a 20-byte IPv4 header (= rte_ipv4_cksum() without
 * options; the rewrite's templates have none), its checksum field 0. */
static inline uint16_t
dp_cksum_ip4(const struct rte_ipv4_hdr *ip)
{
	return (uint16_t)~dp_cksum_fold(dp_cksum_sum(ip, sizeof(*ip)));
}

/* The pseudo-header words (RFC 768; RFC 8200 §8.1) as dp_cksum_sum()
 * would add them: the addresses in place, then the protocol and the
 * upper-layer length as 16-bit words in network order (the zero octets
 * add nothing). = rte_ipv4/6_phdr_cksum() before the fold, without the
 * struct they build. */
static inline uint64_t
dp_cksum_phdr4(const struct rte_ipv4_hdr *ip, uint32_t l4_len)
{
	return dp_cksum_sum(&ip->src_addr, 8) + rte_cpu_to_be_16((uint16_t)ip->next_proto_id) +
	       rte_cpu_to_be_16((uint16_t)l4_len);
}

static inline uint64_t
dp_cksum_phdr6(const struct rte_ipv6_hdr *ip6, uint32_t l4_len)
{
	return dp_cksum_sum(ip6->src_addr, 32) + rte_cpu_to_be_16((uint16_t)ip6->proto) +
	       rte_cpu_to_be_16((uint16_t)l4_len);
}

/* The UDP checksum of an IPv4 datagram (= rte_ipv4_udptcp_cksum()). */
static inline uint16_t
dp_cksum_udp4(const struct rte_ipv4_hdr *ip, const void *udp, uint32_t udp_len)
{
	uint16_t c = (uint16_t)~dp_cksum_fold(dp_cksum_sum(udp, udp_len) +
					      dp_cksum_phdr4(ip, udp_len));

	/* RFC 768: a computed 0 is sent as all ones */
	return c == 0 ? 0xffff : c;
}

/* The UDP checksum of an IPv6 datagram (= rte_ipv6_udptcp_cksum()). */
static inline uint16_t
dp_cksum_udp6(const struct rte_ipv6_hdr *ip6, const void *udp, uint32_t udp_len)
{
	uint16_t c = (uint16_t)~dp_cksum_fold(dp_cksum_sum(udp, udp_len) +
					      dp_cksum_phdr6(ip6, udp_len));

	return c == 0 ? 0xffff : c;
}

#endif /* IMSAGW_DP_CKSUM_H */
