/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What crypto's libFuzzer targets that need the cryptodev engine share:
 * EAL with a crypto_aesni_mb vdev (no hugepages, no shared config), sec_init with
 * every engine, the fuzzing thread's crypto context, and a session of a
 * fixed key. Fuzzing thread only.
 */
#ifndef IMSAGW_FUZZ_COMMON_H
#define IMSAGW_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_lcore.h>

#include "sec.h"

static const uint8_t fuzz_key[32] = { 7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
	16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31 };
static const uint8_t fuzz_salt[14] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4 };

static struct sec_lcore *fuzz_lc;
static struct sec_session *fuzz_keeper;

static inline struct sec_session *fuzz_session(enum sec_engine e, enum sec_suite_id suite,
					       enum sec_dir dir, uint8_t mki_len);

/* At exit: the context and the engines go before the leak check (their
 * OpenSSL scratch contexts hang off DPDK memory, which LeakSanitizer does
 * not scan). */
static void
fuzz_crypto_fini(void)
{
	sec_session_destroy(fuzz_keeper);
	fuzz_keeper = NULL;
	sec_lcore_destroy(fuzz_lc);
	fuzz_lc = NULL;
	sec_fini();
	rte_eal_cleanup();
}

/* EAL, every engine, the context of this thread. Aborts on failure. */
static inline struct sec_lcore *
fuzz_crypto_init(const char *name)
{
	static char prefix[64];
	char *eal[] = { (char *)(uintptr_t)name, "--no-huge", "-m", "128", "--no-pci",
		"--no-shconf", prefix, "--vdev", "crypto_aesni_mb", "-l", "0",
		"--log-level=*:error" };
	struct sec_lcore *lc;

	snprintf(prefix, sizeof(prefix), "--file-prefix=%s_%d", name, (int)getpid());
	if (rte_eal_init((int)(sizeof(eal) / sizeof(eal[0])), eal) < 0 ||
	    sec_init(NULL) != 0 || !sec_engine_available(SEC_ENGINE_CRYPTODEV) ||
	    !sec_engine_available(SEC_ENGINE_OPENSSL) ||
	    !sec_engine_available(SEC_ENGINE_LIBSRTP))
		abort();
	lc = sec_lcore_create(rte_lcore_id(), NULL);
	if (lc == NULL)
		abort();
	fuzz_lc = lc;
	/* Debian's libsrtp2 runs on NSS, which each srtp_create initialises
	 * and each srtp_dealloc shuts down (a dlopen and dlclose of its
	 * token module every time, ~20 ms): one context kept open for the
	 * whole run keeps NSS up, so an input costs what its packets cost. */
	fuzz_keeper = fuzz_session(SEC_ENGINE_LIBSRTP, SEC_SUITE_AES_CM_128_HMAC_SHA1_80,
				   SEC_DIR_PROTECT, 0);
	atexit(fuzz_crypto_fini);
	return lc;
}

/* A session of the fixed key on engine e: SRTP and SRTCP, MKI 0x0001 of
 * mki_len bytes (0: none), 16 SSRCs. NULL if the engine cannot do the suite. */
static inline struct sec_session *
fuzz_session(enum sec_engine e, enum sec_suite_id suite, enum sec_dir dir, uint8_t mki_len)
{
	struct sec_session_params p;
	int err;

	memset(&p, 0, sizeof(p));
	p.dir = dir;
	p.proto = SEC_PROTO_SRTP | SEC_PROTO_SRTCP;
	p.suite = suite;
	p.master_key = fuzz_key;
	p.master_salt = fuzz_salt;
	p.engine = e;
	p.mki_len = mki_len;
	/* as many SSRCs as an input has packets: libsrtp's stream list has
	 * no bound, ours holds max_streams (a design limit, not a verdict) */
	p.max_streams = SEC_STREAMS_MAX;
	if (mki_len)
		p.mki[mki_len - 1] = 1;
	return sec_session_create(&p, &err);
}

/*
 * libsrtp2 < 2.7 (Debian 12 has 2.5) looks for the MKI of an SRTCP packet
 * one SRTP tag length from its end (srtp_get_session_keys; fixed by
 * cisco/libsrtp#733): with an *_32 suite, whose SRTCP tag is 80 bits (RFC
 * 3711 §4.2, RFC 4568 §6.2), it refuses every SRTCP packet with MKI as
 * bad-mki. There libsrtp is no reference.
 */
static inline bool
fuzz_libsrtp_mki_bug(enum sec_suite_id suite, bool rtcp, uint8_t mki_len)
{
	const struct sec_suite *su = sec_suite_get(suite);

	return rtcp && mki_len != 0 && su->srtp_tag_len != su->srtcp_tag_len;
}

#endif /* IMSAGW_FUZZ_COMMON_H */
