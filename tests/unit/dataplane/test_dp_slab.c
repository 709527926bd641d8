/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_slab (the flow table's records and states): objects are zeroed,
 * cache-line aligned and never overlap, including across chunks; a put
 * object comes back zeroed; when every object is put back the DPDK heap is
 * as before (empty chunks are freed).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "dp_slab.h"
#include "dp_test_util.h"

#if defined(__SANITIZE_ADDRESS__)
#define T_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define T_ASAN 1
#endif
#endif
#ifdef T_ASAN
#include <sanitizer/asan_interface.h>
/* A put object is poisoned: a use after free still reports. */
#define CHECK_POISONED(p) CU_ASSERT(__asan_address_is_poisoned(p))
#else
#define CHECK_POISONED(p) do { (void)(p); } while (0)
#endif

#define N 1000

static size_t
heap_used(void)
{
	return dpt_heap_used(NULL);
}

/* Free elements in the DPDK heaps: a hole between chunks is one. */
static unsigned int
heap_holes(void)
{
	unsigned int h;

	(void)dpt_heap_used(&h);
	return h;
}

static int
cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;

	return x < y ? -1 : x > y;
}

static bool
all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}

/* N objects of size sz (several chunks): aligned, zeroed, disjoint. */
static void
check_size(uint32_t sz)
{
	struct dp_slab s = DP_SLAB_INIT("t_slab", sz);
	void *o[N], *sorted[N];
	size_t h0 = heap_used();
	unsigned int i, holes0 = heap_holes();
	bool ok = true;

	CU_ASSERT_EQUAL(s.obj % 64, 0);
	CU_ASSERT(s.obj >= sz);
	for (i = 0; i < N; i++) {
		o[i] = dp_slab_get(&s);
		CU_ASSERT_PTR_NOT_NULL_FATAL(o[i]);
		ok &= ((uintptr_t)o[i] % RTE_CACHE_LINE_SIZE) == 0;
		ok &= all_zero(o[i], s.obj);
		memset(o[i], 0xa5, s.obj);
	}
	CU_ASSERT(ok);
	memcpy(sorted, o, sizeof(o));
	qsort(sorted, N, sizeof(sorted[0]), cmp_ptr);
	for (i = 1; i < N; i++)
		ok &= (uintptr_t)sorted[i] - (uintptr_t)sorted[i - 1] >= s.obj;
	CU_ASSERT(ok);
	/* per object less than rte_malloc's header would add */
	CU_ASSERT((heap_used() - h0) / N < s.obj + 16);
	/* and the chunks (8 and more here) packed: no hole of free memory
	 * left between two, which the allocated bytes above do not show */
	CU_ASSERT(heap_holes() <= holes0 + 1);
	/* every other one back, then taken again: zeroed */
	for (i = 0; i < N; i += 2) {
		memset(o[i], 0, s.obj);
		dp_slab_put(&s, o[i]);
		CHECK_POISONED((uint8_t *)o[i] + s.obj - 1);
	}
	for (i = 0; i < N; i += 2) {
		o[i] = dp_slab_get(&s);
		CU_ASSERT_PTR_NOT_NULL_FATAL(o[i]);
		ok &= all_zero(o[i], s.obj);
	}
	CU_ASSERT(ok);
	for (i = 0; i < N; i++)
		dp_slab_put(&s, o[(i * 7) % N]); /* out of order */
	CU_ASSERT_EQUAL(heap_used(), h0);
	CU_ASSERT_PTR_NULL(s.avail);
	dp_slab_put(&s, NULL);
}

static void
test_record(void)
{
	check_size(192);
}

static void
test_state(void)
{
	check_size(128);
}

static void
test_odd_size(void)
{
	check_size(100); /* rounded up to whole cache lines */
}

/* Get and put one object at a time: a chunk is made and freed each time,
 * and nothing stays behind. */
static void
test_churn(void)
{
	struct dp_slab s = DP_SLAB_INIT("t_slab_churn", 128);
	size_t h0 = heap_used();
	unsigned int i;

	for (i = 0; i < 100; i++) {
		void *o = dp_slab_get(&s);

		CU_ASSERT_PTR_NOT_NULL_FATAL(o);
		dp_slab_put(&s, o);
	}
	CU_ASSERT_EQUAL(heap_used(), h0);
}

int
main(void)
{
	CU_pSuite su;
	int rc;

	if (dpt_eal_init("dpt_slab") < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 2;
	}
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	su = CU_add_suite("dp_slab", NULL, NULL);
	CU_add_test(su, "record", test_record);
	CU_add_test(su, "state", test_state);
	CU_add_test(su, "odd_size", test_odd_size);
	CU_add_test(su, "churn", test_churn);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	rc = CU_get_number_of_failures() ? 1 : 0;
	CU_cleanup_registry();
	rte_eal_cleanup();
	return rc;
}
