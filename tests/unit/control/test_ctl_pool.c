/* SPDX-License-Identifier: BSD-3-Clause */
/* CUnit: the UDP port-pair pool (control/ctl_pool.c). */
#include <errno.h>

#include <CUnit/Basic.h>

#include "ctl_pool.h"
#include "ctl_test.h"

static void
test_range_rounding(void)
{
	struct ctl_pool p;
	uint16_t port;

	/* [20001, 20006]: even-aligned pairs 20002/3 and 20004/5 only. */
	CU_ASSERT_EQUAL(ctl_pool_init(&p, 20001, 20006), 0);
	CU_ASSERT_EQUAL(p.n_pairs, 2);
	CU_ASSERT_EQUAL(ctl_pool_get(&p, 0, &port), 0);
	CU_ASSERT_EQUAL(port, 20002);
	CU_ASSERT_EQUAL(ctl_pool_get(&p, 0, &port), 0);
	CU_ASSERT_EQUAL(port, 20004);
	CU_ASSERT_EQUAL(ctl_pool_get(&p, 0, &port), -ENOSPC);
	ctl_pool_fini(&p);
	CU_ASSERT_EQUAL(ctl_pool_init(&p, 20001, 20002), -EINVAL);
}

static void
test_next_fit_and_reuse(void)
{
	struct ctl_pool p;
	uint16_t a, b, c;

	CU_ASSERT_EQUAL(ctl_pool_init(&p, 1000, 1007), 0);
	CU_ASSERT_EQUAL(ctl_pool_get(&p, 0, &a), 0);
	CU_ASSERT_EQUAL(ctl_pool_get(&p, 0, &b), 0);
	ctl_pool_put(&p, a);
	/* Next-fit: the freed pair is not handed out again at once. */
	CU_ASSERT_EQUAL(ctl_pool_get(&p, 0, &c), 0);
	CU_ASSERT_EQUAL(c, 1004);
	CU_ASSERT_EQUAL(ctl_pool_get(&p, 0, &c), 0);
	CU_ASSERT_EQUAL(c, 1006);
	CU_ASSERT_EQUAL(ctl_pool_get(&p, 0, &c), 0);
	CU_ASSERT_EQUAL(c, 1000);
	CU_ASSERT_EQUAL(p.n_used, 4);
	CU_ASSERT_EQUAL(ctl_pool_get(&p, 0, &c), -ENOSPC);
	ctl_pool_fini(&p);
}

static void
test_explicit(void)
{
	struct ctl_pool p;
	uint16_t x;

	CU_ASSERT_EQUAL(ctl_pool_init(&p, 2000, 2099), 0);
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

	CU_ASSERT_EQUAL(ctl_pool_init(&p, 30000, 39999), 0);
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

int
main(void)
{
	static const struct ctl_test tests[] = {
		{ "range rounding", test_range_rounding },
		{ "next fit and reuse", test_next_fit_and_reuse },
		{ "explicit port", test_explicit },
		{ "exhaust a full range", test_exhaust_full_range },
	};

	return ctl_test_run("ctl_pool", NULL, NULL, tests, CTL_TEST_N(tests));
}
