/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crypto's tests: EAL start-up, one way for all of them (docs/development.md:
 * no hugepages, a file prefix of the test's own so that runs never share
 * state, one lcore).
 */
#ifndef IMSAGW_SEC_TEST_EAL_H
#define IMSAGW_SEC_TEST_EAL_H

#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include <rte_eal.h>

/* Start EAL for test name (its file prefix: name_PID), with the
 * crypto_aesni_mb vdev when aesni: the cryptodev engine's device. */
static inline int
sec_test_eal_init(const char *name, bool aesni)
{
	static char prefix[64];
	char *argv[] = {
		(char *)name, (char *)"--no-huge", (char *)"-m", (char *)"256",
		(char *)"--no-pci", (char *)"--no-shconf", prefix,
		(char *)"--log-level=*:error", (char *)"-l", (char *)"0",
		(char *)"--vdev", (char *)"crypto_aesni_mb", NULL,
	};
	int argc = (int)(sizeof(argv) / sizeof(argv[0])) - 1;

	snprintf(prefix, sizeof(prefix), "--file-prefix=%s_%d", name, (int)getpid());
	return rte_eal_init(aesni ? argc : argc - 2, argv);
}

#endif /* IMSAGW_SEC_TEST_EAL_H */
