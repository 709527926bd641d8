/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for dataplane/dp_addr.h: a port's address set answers exactly
 * like a search through the addresses, through the hash and through the
 * fallback, for every count of addresses, duplicates and near misses. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "dp_addr.h"

static uint32_t rng = 12345;

static uint32_t
rnd(void)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 8) ^ (rng << 20);
}

static bool
lin4(const uint32_t *a, unsigned int n, uint32_t d)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (a[i] == d)
			return true;
	return false;
}

static bool
lin6(const uint8_t (*a)[16], unsigned int n, const uint8_t *d)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (memcmp(a[i], d, 16) == 0)
			return true;
	return false;
}

/* Every address, and addresses one bit away from each, and random ones,
 * answer as the linear search does. */
static void
check_set(const uint32_t *a4, unsigned int n4, const uint8_t (*a6)[16], unsigned int n6,
	  bool want_hash)
{
	struct dp_addr_set as;
	unsigned int i, b, k;
	uint8_t d6[16];

	dp_addr_set_build(&as, a4, n4, a6, n6);
	if (want_hash) {
		CU_ASSERT(n4 == 0 || as.mul4 != 0);
		CU_ASSERT(n6 == 0 || as.mul6 != 0);
	}
	for (i = 0; i < n4; i++) {
		CU_ASSERT(dp_addr4_in(&as, a4[i]));
		for (b = 0; b < 32; b++) {
			uint32_t d = a4[i] ^ (UINT32_C(1) << b);

			CU_ASSERT_EQUAL(dp_addr4_in(&as, d), lin4(a4, n4, d));
		}
	}
	for (i = 0; i < n6; i++) {
		CU_ASSERT(dp_addr6_in(&as, a6[i]));
		for (b = 0; b < 128; b++) {
			memcpy(d6, a6[i], 16);
			d6[b / 8] ^= (uint8_t)(1u << (b % 8));
			CU_ASSERT_EQUAL(dp_addr6_in(&as, d6), lin6(a6, n6, d6));
		}
	}
	for (k = 0; k < 2000; k++) {
		uint32_t d = rnd();

		CU_ASSERT_EQUAL(dp_addr4_in(&as, d), lin4(a4, n4, d));
		for (b = 0; b < 16; b++)
			d6[b] = (uint8_t)rnd();
		CU_ASSERT_EQUAL(dp_addr6_in(&as, d6), lin6(a6, n6, d6));
	}
	/* no address: nothing is ours, 0.0.0.0 and :: included */
	memset(d6, 0, sizeof(d6));
	CU_ASSERT_EQUAL(dp_addr4_in(&as, 0), lin4(a4, n4, 0));
	CU_ASSERT_EQUAL(dp_addr6_in(&as, d6), lin6(a6, n6, d6));
}

/* 0..CFG_MAX_ADDRS consecutive addresses (the bench's and a typical
 * config's shape) and random ones. */
static void
test_counts(void)
{
	uint32_t a4[CFG_MAX_ADDRS];
	uint8_t a6[CFG_MAX_ADDRS][16];
	unsigned int n, i, r;

	for (r = 0; r < 20; r++) {
		for (n = 0; n <= CFG_MAX_ADDRS; n++) {
			for (i = 0; i < n; i++) {
				if (r == 0) {
					/* 10.0.0.1+i, 2001:db8:a::1+i */
					a4[i] = __builtin_bswap32(0x0a000001u + i);
					memset(a6[i], 0, 16);
					a6[i][0] = 0x20;
					a6[i][1] = 0x01;
					a6[i][2] = 0x0d;
					a6[i][3] = 0xb8;
					a6[i][5] = 0x0a;
					a6[i][15] = (uint8_t)(1 + i);
				} else {
					unsigned int b;

					a4[i] = rnd();
					for (b = 0; b < 16; b++)
						a6[i][b] = (uint8_t)rnd();
				}
			}
			check_set(a4, n, (const uint8_t(*)[16])a6, n, true);
		}
	}
}

/* The same address twice shares a slot; IPv6 addresses whose folds are
 * equal cannot be separated and fall back to the search in a line. */
static void
test_duplicates_and_fallback(void)
{
	uint32_t a4[4] = {0x0100000a, 0x0200000a, 0x0100000a, 0x0300000a};
	uint8_t a6[3][16];
	struct dp_addr_set as;

	memset(a6, 0, sizeof(a6));
	a6[0][0] = 0x20;
	a6[0][15] = 1;
	memcpy(a6[1], a6[0], 16);
	a6[1][15] = 2;
	/* a6[2]: a6[0] with words 0 and 3 swapped: the same fold */
	memcpy(a6[2], a6[0] + 12, 4);
	memcpy(a6[2] + 12, a6[0], 4);
	check_set(a4, 4, (const uint8_t(*)[16])a6, 2, true);
	check_set(a4, 4, (const uint8_t(*)[16])a6, 3, false);
	dp_addr_set_build(&as, a4, 4, (const uint8_t(*)[16])a6, 3);
	CU_ASSERT(as.mul4 != 0);
	CU_ASSERT_EQUAL(as.mul6, 0);
	CU_ASSERT(dp_addr6_in(&as, a6[2]));
}

int
main(void)
{
	CU_pSuite s;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("dp_addr", NULL, NULL);
	CU_add_test(s, "counts", test_counts);
	CU_add_test(s, "duplicates_and_fallback", test_duplicates_and_fallback);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	{
		int rc = CU_get_number_of_failures() ? 1 : 0;

		CU_cleanup_registry();
		return rc;
	}
}
