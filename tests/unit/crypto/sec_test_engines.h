/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crypto's tests: which engines a test runs. The ipsecmb engine is
 * expected wherever it can run (built with intel-ipsec-mb, on a CPU with
 * AES-NI): a test there fails when it is missing, rather than skipping it.
 */
#ifndef IMSAGW_SEC_TEST_ENGINES_H
#define IMSAGW_SEC_TEST_ENGINES_H

#include <stdbool.h>

#include "sec.h"

/* True if the ipsecmb engine must be registered after sec_init here. */
static inline bool
sec_test_ipsecmb_expected(void)
{
#ifdef SEC_HAVE_IPSEC_MB
	return __builtin_cpu_supports("aes") != 0;
#else
	return false;
#endif
}

/*
 * Our transform's engines for a test: cryptodev, openssl, and ipsecmb
 * where expected, into e[] (room for 3). Returns how many, or 0 when the
 * ipsecmb engine's registration does not match what is expected (the
 * test must fail).
 */
static inline unsigned int
sec_test_our_engines(enum sec_engine *e)
{
	unsigned int n = 0;

	if (sec_test_ipsecmb_expected() != sec_engine_available(SEC_ENGINE_IPSECMB))
		return 0;
	e[n++] = SEC_ENGINE_CRYPTODEV;
	e[n++] = SEC_ENGINE_OPENSSL;
	if (sec_test_ipsecmb_expected())
		e[n++] = SEC_ENGINE_IPSECMB;
	return n;
}

#endif /* IMSAGW_SEC_TEST_ENGINES_H */
