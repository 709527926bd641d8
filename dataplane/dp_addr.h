/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_addr: is a destination one of a port's addresses? (private to
 * dataplane/).
 *
 * Every packet a worker receives asks this, some twice (a UDP datagram to
 * the media range of an address of ours; ND for our addresses). A port has
 * up to CFG_MAX_ADDRS addresses a family; a search through them in a line
 * cost ~40 instructions a packet with 16. Here the addresses are a hash
 * without collisions: a multiplier, chosen when the set is built, sends
 * each address to a slot of its own, which holds the address's index; every
 * other slot holds index 0, whose address sits in its own slot. A
 * destination is ours exactly when the address its slot names is the
 * destination: a multiply, two loads and a compare. A family with no
 * address, or whose addresses no multiplier tried separates (IPv6 ones
 * whose 32-bit folds are equal), has multiplier 0 and is searched in a
 * line.
 *
 * Built on the control thread (dp_addr_set_build), read-only after; the
 * lookups are pure. Any thread.
 */
#ifndef IMSAGW_DP_ADDR_H
#define IMSAGW_DP_ADDR_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>

#include "cfg.h"

#define DP_ADDR_SLOT_BITS 6
#define DP_ADDR_SLOTS (1u << DP_ADDR_SLOT_BITS)

_Static_assert(DP_ADDR_SLOTS >= 4 * CFG_MAX_ADDRS, "address slots for a sparse hash");
_Static_assert(CFG_MAX_ADDRS <= UINT8_MAX, "address index in a byte");

/* One port's addresses, network order. */
struct dp_addr_set {
	uint32_t mul4;                       /* 0: search a4 in a line */
	uint32_t mul6;                       /* 0: search a6 in a line */
	uint8_t n4, n6;
	uint8_t idx4[DP_ADDR_SLOTS];
	uint8_t idx6[DP_ADDR_SLOTS];
	uint32_t a4[CFG_MAX_ADDRS];
	uint8_t a6[CFG_MAX_ADDRS][16];
};

static inline uint32_t
dp_addr_slot(uint32_t x, uint32_t mul)
{
	return (x * mul) >> (32 - DP_ADDR_SLOT_BITS);
}

/* An IPv6 address in 32 bits, for dp_addr_slot(). */
static inline uint32_t
dp_addr6_fold(const uint8_t *a)
{
	uint32_t w[4];

	memcpy(w, a, sizeof(w));
	return w[0] ^ w[1] ^ w[2] ^ w[3];
}

static inline bool
dp_addr6_eq(const uint8_t *a, const uint8_t *b)
{
	uint64_t x[2], y[2];

	memcpy(x, a, 16);
	memcpy(y, b, 16);
	return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
}

/* Is the IPv4 address d (network order) in the set? */
static inline bool
dp_addr4_in(const struct dp_addr_set *as, uint32_t d)
{
	unsigned int i;

	if (likely(as->mul4 != 0))
		return as->a4[as->idx4[dp_addr_slot(d, as->mul4)]] == d;
	for (i = 0; i < as->n4; i++)
		if (as->a4[i] == d)
			return true;
	return false;
}

/* Is the IPv6 address d (16 bytes) in the set? */
static inline bool
dp_addr6_in(const struct dp_addr_set *as, const uint8_t *d)
{
	unsigned int i;

	if (likely(as->mul6 != 0))
		return dp_addr6_eq(as->a6[as->idx6[dp_addr_slot(dp_addr6_fold(d), as->mul6)]], d);
	for (i = 0; i < as->n6; i++)
		if (dp_addr6_eq(as->a6[i], d))
			return true;
	return false;
}

/* A multiplier that gives each of the n addresses of one family (key[i]:
 * their 32-bit forms; eq(i, j): are addresses i and j equal, which may
 * then share a slot) a slot of its own, with the slots' indexes in idx;
 * 0 when none of the multipliers tried separates them. */
static inline uint32_t
dp_addr_set_family(const struct dp_addr_set *as, bool v6, const uint32_t *key, unsigned int n,
		   uint8_t *idx)
{
	uint32_t mul = 0x9e3779b1u; /* odd, and odd after every step */
	unsigned int t, i;

	if (n == 0)
		return 0;
	/* With 16 addresses in 64 slots about one multiplier in seven
	 * separates them: 4096 tries fail only where none can. */
	for (t = 0; t < 4096; t++, mul += 0x6a09e668u) {
		uint64_t used = 0;

		memset(idx, 0, DP_ADDR_SLOTS);
		for (i = 0; i < n; i++) {
			uint32_t sl = dp_addr_slot(key[i], mul);

			if ((used >> sl) & 1) {
				unsigned int j = idx[sl];

				if (v6 ? dp_addr6_eq(as->a6[j], as->a6[i]) : as->a4[j] == as->a4[i])
					continue;
				break;
			}
			used |= UINT64_C(1) << sl;
			idx[sl] = (uint8_t)i;
		}
		if (i == n)
			return mul;
	}
	memset(idx, 0, DP_ADDR_SLOTS);
	return 0;
}

/* Build as from n4 IPv4 addresses (network order) and n6 IPv6 ones; more
 * than CFG_MAX_ADDRS of a family are cut there. Control only (it may try
 * thousands of multipliers). */
static inline void
dp_addr_set_build(struct dp_addr_set *as, const uint32_t *a4, unsigned int n4,
		  const uint8_t (*a6)[16], unsigned int n6)
{
	uint32_t key[CFG_MAX_ADDRS];
	unsigned int i;

	memset(as, 0, sizeof(*as));
	as->n4 = (uint8_t)RTE_MIN(n4, (unsigned int)CFG_MAX_ADDRS);
	as->n6 = (uint8_t)RTE_MIN(n6, (unsigned int)CFG_MAX_ADDRS);
	for (i = 0; i < as->n4; i++) {
		as->a4[i] = a4[i];
		key[i] = a4[i];
	}
	as->mul4 = dp_addr_set_family(as, false, key, as->n4, as->idx4);
	for (i = 0; i < as->n6; i++) {
		memcpy(as->a6[i], a6[i], 16);
		key[i] = dp_addr6_fold(a6[i]);
	}
	as->mul6 = dp_addr_set_family(as, true, key, as->n6, as->idx6);
}

#endif /* IMSAGW_DP_ADDR_H */
