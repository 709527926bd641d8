/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Built with SEC_KAT_BREAK_FOR_TEST: every known answer is wrong by one
 * bit, so every engine must be refused at registration and no session
 * can be created.
 */
#include <errno.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "sec.h"

static void
test_refused(void)
{
	static const uint8_t k[16], s[14];
	struct sec_session_params p;
	struct sec_config cfg;
	int err = 0;

	memset(&cfg, 0, sizeof(cfg));
	cfg.disable_cryptodev = true;  /* no EAL here */
	CU_ASSERT_EQUAL(sec_init(&cfg), -ENODEV);
	CU_ASSERT_FALSE(sec_engine_available(SEC_ENGINE_OPENSSL));
	CU_ASSERT_FALSE(sec_engine_available(SEC_ENGINE_LIBSRTP));
	CU_ASSERT_EQUAL(sec_suite_mask(), 0);
	memset(&p, 0, sizeof(p));
	p.proto = SEC_PROTO_SRTP;
	p.master_key = k;
	p.master_salt = s;
	p.engine = SEC_ENGINE_OPENSSL;
	CU_ASSERT_PTR_NULL(sec_session_create(&p, &err));
	CU_ASSERT_EQUAL(err, -ENOTSUP);
	sec_fini();
}

int
main(void)
{
	CU_pSuite s;
	unsigned int f;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("kat refusal", NULL, NULL);
	CU_add_test(s, "engines with a wrong known answer are refused",
			test_refused);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	f = CU_get_number_of_failures();
	CU_cleanup_registry();
	return f ? 1 : 0;
}
