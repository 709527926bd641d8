/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers shared by the dataplane unit tests: EAL start-up, a frame builder,
 * an independent Internet checksum (RFC 1071), written from the RFCs and
 * not from the code under test, and the DPDK heaps' figures.
 */
#ifndef IMSAGW_DP_TEST_UTIL_H
#define IMSAGW_DP_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

/* Start EAL the way docs/development.md says, with a prefix of our own. */
static inline int
dpt_eal_init(const char *prefix)
{
	char fp[64];
	char *argv[] = {
		(char *)"dptest", (char *)"--no-huge", (char *)"-m", (char *)"512",
		(char *)"--no-pci", (char *)"--no-shconf", fp, (char *)"-l",
		(char *)"0,1", (char *)"--log-level=*:error", NULL,
	};
	int argc = (int)(sizeof(argv) / sizeof(argv[0])) - 1;

	snprintf(fp, sizeof(fp), "--file-prefix=%s", prefix);
	return rte_eal_init(argc, argv);
}

static inline void
dpt_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline uint16_t
dpt_get16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

/* RFC 1071 one's complement sum of a byte string, big-endian words. */
static inline uint32_t
dpt_sum(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)((p[i] << 8) | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)(p[n - 1] << 8);
	return sum;
}

static inline uint16_t
dpt_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Independent UDP checksum over IPv4 (RFC 768) or IPv6 (RFC 8200 §8.1):
 * returns the value that belongs in the header (0 -> 0xffff). `udp` points
 * at the UDP header whose checksum field is taken as zero. */
static inline uint16_t
dpt_udp_cksum(int family, const uint8_t *src, const uint8_t *dst,
	      const uint8_t *udp, uint16_t udp_len)
{
	uint32_t s = 0;
	uint16_t c;
	uint8_t hdr[8];

	s = dpt_sum(s, src, family == 4 ? 4 : 16);
	s = dpt_sum(s, dst, family == 4 ? 4 : 16);
	s += 17;
	s += udp_len;
	memcpy(hdr, udp, 8);
	hdr[6] = hdr[7] = 0;
	s = dpt_sum(s, hdr, 8);
	s = dpt_sum(s, udp + 8, udp_len - 8u);
	c = dpt_fold(s);
	return c == 0 ? 0xffff : c;
}

/* Frame builder: Ethernet with up to two tags, then the caller appends. */
struct dpt_frame {
	uint8_t b[2048];
	size_t len;
};

static inline void
dpt_eth(struct dpt_frame *f, unsigned int nvlan, uint16_t etype)
{
	static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0x02 };
	size_t o = 12;

	memset(f, 0, sizeof(*f));
	memcpy(f->b, dst, 6);
	memcpy(f->b + 6, src, 6);
	if (nvlan == 2) {
		dpt_put16(f->b + o, 0x88a8);
		dpt_put16(f->b + o + 2, 0x2064); /* PCP 1, VID 100 */
		o += 4;
	}
	if (nvlan >= 1) {
		dpt_put16(f->b + o, 0x8100);
		dpt_put16(f->b + o + 2, nvlan == 2 ? 200 : 0x0064);
		o += 4;
	}
	dpt_put16(f->b + o, etype);
	f->len = o + 2;
}

/* IPv4 header with `optlen` (multiple of 4) bytes of NOP options; total
 * length covers l4len bytes after it. Returns the header's offset. */
static inline size_t
dpt_ipv4(struct dpt_frame *f, uint8_t proto, size_t optlen, size_t l4len,
	 uint16_t frag)
{
	size_t o = f->len;
	uint8_t *p = f->b + o;
	size_t hl = 20 + optlen;

	p[0] = (uint8_t)(0x40 | (hl / 4));
	dpt_put16(p + 2, (uint16_t)(hl + l4len));
	dpt_put16(p + 4, 0x1234);
	dpt_put16(p + 6, frag);
	p[8] = 64;
	p[9] = proto;
	p[12] = 192; p[13] = 0; p[14] = 2; p[15] = 1;
	p[16] = 198; p[17] = 51; p[18] = 100; p[19] = 7;
	memset(p + 20, 1, optlen); /* NOP */
	dpt_put16(p + 10, dpt_fold(dpt_sum(0, p, hl)));
	f->len += hl;
	return o;
}

/* IPv6 header; payload length covers `plen` bytes. */
static inline size_t
dpt_ipv6(struct dpt_frame *f, uint8_t nh, size_t plen)
{
	size_t o = f->len;
	uint8_t *p = f->b + o;

	p[0] = 0x60;
	dpt_put16(p + 4, (uint16_t)plen);
	p[6] = nh;
	p[7] = 64;
	p[8] = 0x20; p[9] = 0x01; p[10] = 0x0d; p[11] = 0xb8; p[23] = 1;
	p[24] = 0x20; p[25] = 0x01; p[26] = 0x0d; p[27] = 0xb8; p[39] = 2;
	f->len += 40;
	return o;
}

/* UDP header + payload of n bytes (pattern), length field = 8 + n. */
static inline size_t
dpt_udp(struct dpt_frame *f, uint16_t sport, uint16_t dport, size_t n)
{
	size_t o = f->len, i;
	uint8_t *p = f->b + o;

	dpt_put16(p, sport);
	dpt_put16(p + 2, dport);
	dpt_put16(p + 4, (uint16_t)(8 + n));
	for (i = 0; i < n; i++)
		p[8 + i] = (uint8_t)(0xa0 + i);
	f->len += 8 + n;
	return o;
}

/* Bytes allocated in the DPDK heaps of every socket; *holes (may be NULL)
 * their free elements: a hole left between two allocations is one. */
static inline size_t
dpt_heap_used(unsigned int *holes)
{
	struct rte_malloc_socket_stats st;
	unsigned int i, h = 0;
	size_t sum = 0;

	for (i = 0; i < rte_socket_count(); i++) {
		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(i), &st) == 0) {
			sum += st.heap_allocsz_bytes;
			h += st.free_count;
		}
	}
	if (holes != NULL)
		*holes = h;
	return sum;
}

#endif /* IMSAGW_DP_TEST_UTIL_H */
