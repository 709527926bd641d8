/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers shared by the iq/ unit tests. */
#ifndef IMSAGW_IQ_TEST_UTIL_H
#define IMSAGW_IQ_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "iq.h"

#define ARENA_SIZE (256 * 1024)
#define OUT_SIZE (64 * 1024)

static uint64_t arena_mem1[ARENA_SIZE / 8] __attribute__((unused));
static uint64_t arena_mem2[ARENA_SIZE / 8] __attribute__((unused));
static uint64_t arena_mem3[ARENA_SIZE / 8] __attribute__((unused));

/* Decode @text (must succeed), return the tree in a fresh arena. */
static inline struct h248_message *
must_decode(const char *text, size_t len, uint64_t *mem, struct h248_error *err)
{
	struct iq_arena a;
	struct h248_message *m = NULL;
	int rc;

	iq_arena_init(&a, mem, ARENA_SIZE);
	rc = h248_decode(text, len, &a, NULL, &m, err);
	if (rc != 0)
		fprintf(stderr, "decode failed rc=%d code=%u off=%u: %s\n", rc,
			err->code, err->offset, err->reason);
	CU_ASSERT_EQUAL(rc, 0);
	return rc == 0 ? m : NULL;
}

/* The first stream of the first command of "Transaction = 1 { actions }"
 * (must decode), the tree in a fresh arena over mem. */
static inline const struct h248_stream *
iq_test_stream(struct iq_arena *a, void *mem, size_t memlen, struct h248_message **msg,
	       const char *actions)
{
	static char text[8192];
	struct h248_error err;
	int n;

	iq_arena_init(a, mem, memlen);
	n = snprintf(text, sizeof(text), "MEGACO/3 [192.0.2.1]:2944\nTransaction = 1 { %s }",
		     actions);
	CU_ASSERT_FATAL(n > 0 && (size_t)n < sizeof(text));
	if (h248_decode(text, (size_t)n, a, NULL, msg, &err) != 0) {
		fprintf(stderr, "decode: %s at %u\n", err.reason, err.offset);
		CU_FAIL_FATAL("decode");
	}
	return (*msg)->txns->actions->cmds->descs->u.media.streams;
}

struct iq_test {
	const char *n;
	CU_TestFunc f;
};

static inline int
run_suite(const char *name, const struct iq_test *tests, size_t n)
{
	CU_pSuite s;
	size_t i;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite(name, NULL, NULL);
	for (i = 0; i < n; i++)
		CU_add_test(s, tests[i].n, tests[i].f);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	i = CU_get_number_of_failures();
	CU_cleanup_registry();
	return i ? 1 : 0;
}

#define TEST(fn) { #fn, fn }

#endif /* IMSAGW_IQ_TEST_UTIL_H */
