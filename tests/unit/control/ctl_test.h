/* SPDX-License-Identifier: BSD-3-Clause */
/* The CUnit runner the control unit tests share: one suite, its tests in a
 * table, verbose output, exit status 1 when anything failed. */
#ifndef IMSAGW_CTL_TEST_H
#define IMSAGW_CTL_TEST_H

#include <CUnit/Basic.h>

#define CTL_TEST_N(a) (sizeof(a) / sizeof((a)[0]))

struct ctl_test {
	const char *name;
	void (*fn)(void);
};

static inline int
ctl_test_run(const char *suite, CU_InitializeFunc init, CU_CleanupFunc clean,
	     const struct ctl_test *tests, unsigned int n)
{
	CU_pSuite s;
	unsigned int i;
	int failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite(suite, init, clean);
	for (i = 0; s != NULL && i < n; i++)
		CU_add_test(s, tests[i].name, tests[i].fn);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = (int)(CU_get_number_of_failures() + CU_get_number_of_suites_failed());
	CU_cleanup_registry();
	return s == NULL || failed ? 1 : 0;
}

#endif /* IMSAGW_CTL_TEST_H */
