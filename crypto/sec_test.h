/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crypto/ test hooks: for crypto's own unit tests, fuzz targets and
 * benchmarks only (sec_priv_dep in crypto/meson.build); never for other
 * modules.
 */
#ifndef IMSAGW_SEC_TEST_H
#define IMSAGW_SEC_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "sec.h"

struct sec_eng_ops;

/*
 * A session from session keys (skips the KDF): for the RFC 7714 vectors,
 * which are given as session keys. ek: the suite's enc_key_len bytes,
 * salt: its session_salt_len bytes. Returns the session or NULL with
 * *err as sec_session_create() (-EINVAL also for ek/salt NULL). Control.
 */
struct sec_session *sec_session_create_raw(const struct sec_session_params *p,
		const uint8_t *ek, const uint8_t *salt, int *err);

#ifdef SEC_TEST_HOOKS
/*
 * Builds of crypto's sources with -DSEC_TEST_HOOKS (test_sec_kat_refuse)
 * only: called by the KAT runner for every vector, before the answer is
 * compared, with the engine under test and the expected protected packet;
 * a hook may change expect to make the vector fail, and may look at the
 * registry meanwhile (nothing of ops may be usable yet). NULL: no hook.
 */
extern void (*sec_test_kat_hook)(const struct sec_eng_ops *ops,
		uint8_t *expect, size_t len);
#endif

#endif /* IMSAGW_SEC_TEST_H */
