/* SPDX-License-Identifier: BSD-3-Clause */
/* CUnit: the port pool (control/ctl_pool.c): UDP pairs and TCP ports. */
#include <errno.h>

#include <CUnit/Basic.h>

#include "ctl_pool.h"
#include "ctl_test.h"

static void
test_range_rounding(void)
{
	struct ctl_pool p;
	uint16_t port, port2;

	/* [20001, 20006]: even-aligned pairs 20002/3 and 20004/5 only. */
	CU_ASSERT_EQUAL(ctl_pool_init(&p, 20001, 20006, 2), 0);
	CU_ASSERT_EQUAL(p.n_slots, 2);
	CU_ASSERT_EQUAL(ctl_pool_get(&p, 0, &port), 0);
	CU_ASSERT(port == 20002 || port == 20004);
	CU_ASSERT_EQUAL(ctl_pool_get(&p, 0, &port2), 0);
	CU_ASSERT_EQUAL(port + port2, 20002 + 20004);
	CU_ASSERT_EQUAL(ctl_pool_get(&p, 0, &port), -ENOSPC);
	ctl_pool_fini(&p);
	CU_ASSERT_EQUAL(ctl_pool_init(&p, 20001, 20002, 2), -EINVAL);
}

static void
test_reuse(void)
{
	struct ctl_pool p;
	uint16_t a, c, x;
	unsigned int i;

	/* Full, one pair freed: that is the one handed out next. */
	CU_ASSERT_EQUAL(ctl_pool_init(&p, 1000, 1007, 2), 0);
	for (i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(ctl_pool_get(&p, 0, &x), 0);
	CU_ASSERT_EQUAL(ctl_pool_get(&p, 0, &x), -ENOSPC);
	a = 1002;
	ctl_pool_put(&p, a);
	CU_ASSERT_EQUAL(ctl_pool_get(&p, 0, &c), 0);
	CU_ASSERT_EQUAL(c, a);
	CU_ASSERT_EQUAL(p.n_used, 4);
	CU_ASSERT_EQUAL(ctl_pool_get(&p, 0, &c), -ENOSPC);
	ctl_pool_fini(&p);
}

/* Issue 11 item 7: ports are not next-fit. 100 pairs out of 5000 taken one
 * after the other: a next-fit pool hands out 100 consecutive pairs from the
 * base; a random one spreads them (the chance that even 20 of 99 steps are
 * +2 is nil), and two pools do not repeat each other. */
static void
test_random(void)
{
	struct ctl_pool p, q;
	uint16_t x, y, prev = 0;
	unsigned int i, plus2 = 0, same = 0, low = 0;

	CU_ASSERT_EQUAL(ctl_pool_init(&p, 30000, 39999, 2), 0);
	CU_ASSERT_EQUAL(ctl_pool_init(&q, 30000, 39999, 2), 0);
	for (i = 0; i < 100; i++) {
		CU_ASSERT_EQUAL(ctl_pool_get(&p, 0, &x), 0);
		CU_ASSERT_EQUAL(ctl_pool_get(&q, 0, &y), 0);
		CU_ASSERT_EQUAL(x & 1u, 0);
		CU_ASSERT(x >= 30000 && x <= 39998);
		if (i > 0 && x == prev + 2)
			plus2++;
		if (x == y)
			same++;
		if (x < 30200)
			low++;
		prev = x;
	}
	CU_ASSERT(plus2 < 20);
	CU_ASSERT(same < 20);
	CU_ASSERT(low < 50);
	CU_ASSERT_EQUAL(p.n_used, 100);
	ctl_pool_fini(&p);
	ctl_pool_fini(&q);
}

static void
test_explicit(void)
{
	struct ctl_pool p;
	uint16_t x;

	CU_ASSERT_EQUAL(ctl_pool_init(&p, 2000, 2099, 2), 0);
	CU_ASSERT_EQUAL(ctl_pool_get(&p, 2050, &x), 0);
	CU_ASSERT_EQUAL(x, 2050);
	CU_ASSERT_EQUAL(ctl_pool_get(&p, 2050, &x), -EADDRNOTAVAIL); /* taken */
	CU_ASSERT_EQUAL(ctl_pool_get(&p, 2051, &x), -EADDRNOTAVAIL); /* odd */
	CU_ASSERT_EQUAL(ctl_pool_get(&p, 1998, &x), -EADDRNOTAVAIL); /* below */
	CU_ASSERT_EQUAL(ctl_pool_get(&p, 2100, &x), -EADDRNOTAVAIL); /* above */
	ctl_pool_put(&p, 2050);
	ctl_pool_put(&p, 2050); /* twice: ignored */
	ctl_pool_put(&p, 7);    /* unknown: ignored */
	CU_ASSERT_EQUAL(p.n_used, 0);
	ctl_pool_fini(&p);
}

static void
test_exhaust_full_range(void)
{
	struct ctl_pool p;
	uint16_t x, seen_min = 65535, seen_max = 0;
	unsigned int n = 0;

	CU_ASSERT_EQUAL(ctl_pool_init(&p, 30000, 39999, 2), 0);
	while (ctl_pool_get(&p, 0, &x) == 0) {
		CU_ASSERT_EQUAL(x & 1u, 0);
		if (x < seen_min)
			seen_min = x;
		if (x > seen_max)
			seen_max = x;
		n++;
	}
	CU_ASSERT_EQUAL(n, 5000);
	CU_ASSERT_EQUAL(seen_min, 30000);
	CU_ASSERT_EQUAL(seen_max, 39998);
	ctl_pool_fini(&p);
}

/* Width 1 (TCP for MSRP): every port of the range, odd ones too. */
static void
test_single_ports(void)
{
	struct ctl_pool p;
	uint16_t x, seen[5] = { 0 };
	unsigned int i, n = 0;

	CU_ASSERT_EQUAL(ctl_pool_init(&p, 40001, 40005, 1), 0);
	CU_ASSERT_EQUAL(p.n_slots, 5);
	while (ctl_pool_get(&p, 0, &x) == 0 && n < 10) {
		CU_ASSERT(x >= 40001 && x <= 40005);
		if (x >= 40001 && x <= 40005)
			seen[x - 40001]++;
		n++;
	}
	CU_ASSERT_EQUAL(n, 5);
	for (i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(seen[i], 1);
	ctl_pool_put(&p, 40003);
	CU_ASSERT_EQUAL(ctl_pool_get(&p, 40003, &x), 0);
	CU_ASSERT_EQUAL(x, 40003);
	CU_ASSERT_EQUAL(ctl_pool_get(&p, 40006, &x), -EADDRNOTAVAIL);
	ctl_pool_fini(&p);
	CU_ASSERT_EQUAL(ctl_pool_init(&p, 40000, 40000, 1), 0);
	CU_ASSERT_EQUAL(p.n_slots, 1);
	ctl_pool_fini(&p);
	CU_ASSERT_EQUAL(ctl_pool_init(&p, 40000, 40010, 3), -EINVAL);
	CU_ASSERT_EQUAL(ctl_pool_init(&p, 40010, 40000, 1), -EINVAL);
}

int
main(void)
{
	static const struct ctl_test tests[] = {
		{ "range rounding", test_range_rounding },
		{ "a freed pair is found again", test_reuse },
		{ "random, not next-fit", test_random },
		{ "explicit port", test_explicit },
		{ "exhaust a full range", test_exhaust_full_range },
		{ "single TCP ports", test_single_ports },
	};

	return ctl_test_run("ctl_pool", NULL, NULL, tests, CTL_TEST_N(tests));
}
