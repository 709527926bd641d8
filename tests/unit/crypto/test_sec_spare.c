/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the cryptodev engine reserves at start (sec.h, sec_config.
 * max_sessions): two device sessions per key for max_sessions keys when it
 * is the engine sessions get by default, or the fallback for a default that
 * did not come up; SEC_SPARE_KEYS keys at most when another default is up
 * (it then serves only sessions that name it). Checked on the pool itself,
 * by its size, after each sec_init.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <rte_eal.h>
#include <rte_mempool.h>

#include "sec.h"
#include "sec_test_eal.h"
#include "sec_test_engines.h"

/* Device sessions the cryptodev engine reserved, or 0 (no pool). */
static unsigned int
pool_size(void)
{
	const struct rte_mempool *mp = rte_mempool_lookup("imsagw_sec_sess");

	return mp != NULL ? mp->size : 0;
}

/* sec_init with cfg, the reserved size checked against want, sec_fini. */
static void
reserved(const struct sec_config *cfg, unsigned int want)
{
	CU_ASSERT_EQUAL_FATAL(sec_init(cfg), 0);
	CU_ASSERT(sec_engine_available(SEC_ENGINE_CRYPTODEV));
	CU_ASSERT_EQUAL(pool_size(), want);
	sec_fini();
	CU_ASSERT_EQUAL(pool_size(), 0);
}

/* The default (ipsecmb) up: cryptodev is a spare. Where ipsecmb cannot
 * come up (no AES-NI), cryptodev is the default's fallback: every key. */
static void
spare_when_ipsecmb(void)
{
	struct sec_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.max_sessions = 5000;
	CU_ASSERT_EQUAL_FATAL(sec_init(&cfg), 0);
	CU_ASSERT_EQUAL(sec_engine_available(SEC_ENGINE_IPSECMB), sec_test_ipsecmb_expected());
	sec_fini();
	if (!sec_test_ipsecmb_expected()) {
		reserved(&cfg, 2 * 5000);
		return;
	}
	reserved(&cfg, 2 * SEC_SPARE_KEYS);
	/* fewer keys than a spare's share: all of them */
	cfg.max_sessions = 64;
	reserved(&cfg, 2 * 64);
	/* 0: the default number, capped the same way */
	cfg.max_sessions = 0;
	reserved(&cfg, 2 * SEC_SPARE_KEYS);
}

/* cryptodev named as the default: every key configured. */
static void
whole_when_default(void)
{
	struct sec_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.max_sessions = 5000;
	cfg.default_engine = SEC_ENGINE_CRYPTODEV;
	reserved(&cfg, 2 * 5000);
	cfg.max_sessions = 0;
	reserved(&cfg, 2 * SEC_KEYS_DEFAULT);
}

/* The default did not come up (here: disabled): cryptodev takes its place
 * and every key configured. */
static void
whole_when_fallback(void)
{
	struct sec_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.max_sessions = 5000;
	cfg.disable_ipsecmb = true;
	reserved(&cfg, 2 * 5000);
}

int
main(void)
{
	CU_pSuite s;
	int rc;

	if (sec_test_eal_init("sec_spare", false) < 0)
		return 1;
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("cryptodev reservation", NULL, NULL);
	CU_add_test(s, "a spare beside the ipsecmb default", spare_when_ipsecmb);
	CU_add_test(s, "every key when it is the default", whole_when_default);
	CU_add_test(s, "every key as the fallback", whole_when_fallback);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	rc = CU_get_number_of_failures() == 0 ? 0 : 1;
	CU_cleanup_registry();
	rte_eal_cleanup();
	return rc;
}
