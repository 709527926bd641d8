/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crypto/ private: what the ipsecmb engine's two files share. The engine
 * (sec_eng_ipsecmb.c: probe, per-lcore managers, key expansion on the
 * control thread) and its per-packet path (sec_eng_ipsecmb_job.c: jobs of
 * a chunk through intel-ipsec-mb's job API on the worker). Built only
 * with intel-ipsec-mb (SEC_HAVE_IPSEC_MB).
 */
#ifndef IMSAGW_SEC_ENG_IPSECMB_H
#define IMSAGW_SEC_ENG_IPSECMB_H

#include <stdint.h>

#include <intel-ipsec-mb.h>

#include "sec_eng.h"

/*
 * Per lcore context (sec_lcore.eng[SEC_ENGINE_IPSECMB]), made on the
 * control thread: the lcore's own multi-buffer manager, whose lanes the
 * HMACs of a chunk's packets (of any sessions) fill together. The
 * manager keeps jobs between a submit and the flush, so one manager is
 * never shared between threads. GCM goes through g: m itself, or with
 * `crypto.gcm_keys = "compact"` on a CPU whose widest GCM code keeps the
 * large key layout, a manager of the AVX2 code (the layout of a GCM key's
 * state is the code's: keys are expanded by the same code on the control
 * thread). W: the lcore using the context.
 */
struct imb_lcore {
	IMB_MGR *m;
	IMB_MGR *g;
};

/*
 * A key's state for AES-CM suites (k->eng, in the key's own allocation):
 * the AES encryption key schedule (CTR runs AES forward in both
 * directions: no decryption schedule), 11 round keys for AES-128, 15 for
 * AES-256, from the state's start (16-byte aligned); then the HMAC-SHA1
 * inner and outer states (SHA-1 compression of key ^ ipad, key ^ opad),
 * 20 bytes each, back to back: 216 bytes for AES-128, 280 for AES-256.
 * The library loads the HMAC states unaligned (checked with its SSE, AVX,
 * AVX2 and AVX-512 code: the same digests with the states at 4 mod 16 as
 * 16-byte aligned); the KATs run this layout at probe. RO after key_init.
 */
static inline uint8_t *
imb_cm_ipad(const void *state, uint32_t enc_key_len)
{
	return (uint8_t *)(uintptr_t)state + 16u * (enc_key_len == 16 ? 11u : 15u);
}

static inline uint8_t *
imb_cm_opad(const void *state, uint32_t enc_key_len)
{
	return imb_cm_ipad(state, enc_key_len) + 20;
}

/* Bytes of an AES-CM key's state with an enc_key_len-byte key. */
#define IMB_CM_KEY_LEN(enc_key_len) \
	(16u * ((enc_key_len) == 16 ? 11u : 15u) + 40u)

/* The engine's crypt op (sec_eng_ipsecmb_job.c): the lcore of lc. */
void sec_eng_ipsecmb_crypt(struct sec_lcore *lc, struct sec_job **jobs,
		uint16_t n);

#endif /* IMSAGW_SEC_ENG_IPSECMB_H */
