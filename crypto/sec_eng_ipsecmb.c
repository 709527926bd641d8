/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ipsecmb engine: our SRTP transform (sec_xform.c) with AES-CTR,
 * HMAC-SHA1 and AES-GCM from intel-ipsec-mb's job API, called directly
 * (the library under DPDK's aesni_mb PMD and VPP's ipsecmb engine), inline
 * on the worker lcore: no cryptodev, no device session, no pool.
 *
 * Per key, on the control thread, into the key's own memory (ops->key_size,
 * sec_sess.c): AES-CM the AES encryption key schedule and the HMAC-SHA1
 * inner/outer states (216 bytes for AES-128, 280 for AES-256; layout in
 * sec_eng_ipsecmb.h); GCM intel-ipsec-mb's struct gcm_key_data (round keys
 * and GHASH key powers), only as much of it as the GCM code in use writes:
 * 1008 bytes for the VAES/AVX-512 code, 368 for AVX2, 496 for SSE/AVX
 * (measured at probe, gcm_state_len). Cleansed with the key (sec_sess.c
 * key_free).
 *
 * Per lcore context: the lcore's own IMB_MGR (alloc_mb_mgr +
 * init_mb_mgr_auto on the control thread when the context is made), and
 * with crypto.gcm_keys = "compact" on a VAES CPU a second one of the AVX2
 * code for GCM. The per-packet path is sec_eng_ipsecmb_job.c.
 *
 * Registered only where the library runs with AES-NI: probe refuses a CPU
 * without it (the library's no-AESNI emulation is slower than OpenSSL),
 * and sec_init then takes the cryptodev engine as the default.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "sec_priv.h"

#ifdef SEC_HAVE_IPSEC_MB

#include "sec_eng_ipsecmb.h"

/* The control thread's managers, for key expansion only (never on the
 * per-packet path), and the architecture chosen: every lcore's managers
 * must be the same (a GCM key's precomputed powers have that code's
 * layout). gcm is ctl, or the AVX2 manager of the compact GCM layout;
 * gcm_len the bytes of a GCM key's state that its code uses. W: control. */
static struct {
	IMB_MGR *ctl;
	IMB_MGR *gcm;
	IMB_ARCH arch;
	bool gcm_own;
	size_t gcm_len;
} im;

static const char *const arch_names[IMB_ARCH_NUM] = {
	[IMB_ARCH_NONE] = "none",
	[IMB_ARCH_NOAESNI] = "no-aesni",
	[IMB_ARCH_SSE] = "sse",
	[IMB_ARCH_AVX] = "avx",
	[IMB_ARCH_AVX2] = "avx2",
	[IMB_ARCH_AVX512] = "avx512",
};

/* A manager for the best architecture of this CPU, or NULL when the
 * library cannot run with AES-NI here. Control. */
static IMB_MGR *
mgr_new(IMB_ARCH *arch)
{
	IMB_MGR *m = alloc_mb_mgr(0);

	if (m == NULL)
		return NULL;
	*arch = IMB_ARCH_NONE;
	init_mb_mgr_auto(m, arch);
	if (imb_get_errno(m) != 0 || *arch < IMB_ARCH_SSE ||
			(m->features & IMB_FEATURE_AESNI) == 0) {
		free_mb_mgr(m);
		return NULL;
	}
	return m;
}

/* The manager GCM goes through beside m (of architecture arch): with the
 * compact layout asked for, where the widest code keeps the large one
 * (AVX-512), a manager of the AVX2 code; else m. NULL if out of memory.
 * Control. */
static IMB_MGR *
gcm_mgr_new(IMB_MGR *m, IMB_ARCH arch, bool compact)
{
	IMB_MGR *g;

	if (!compact || arch <= IMB_ARCH_AVX2)
		return m;
	g = alloc_mb_mgr(0);
	if (g == NULL)
		return NULL;
	init_mb_mgr_avx2(g);
	if (imb_get_errno(g) != 0) {
		free_mb_mgr(g);
		return NULL;
	}
	return g;
}

/*
 * Bytes of struct gcm_key_data that g's GCM code writes when it expands a
 * key (AES-128 and AES-256), rounded to 64: each code has its own layout
 * of the GHASH key powers, and only that prefix of the struct is written
 * and read (its size is the largest code's). Found by expanding a zero
 * key over two fillers; sessions then allocate only this much, and the
 * KATs and test_sec_diff check every layout against the other engines.
 */
static size_t
gcm_state_len(IMB_MGR *g)
{
	static const uint8_t zero[32];
	/* the header declares the struct 64-byte aligned only where LINUX is
	 * defined; the library stores to it with aligned moves */
	struct gcm_key_data kd __rte_aligned(64);
	const uint8_t *b = (const uint8_t *)&kd;
	size_t last = 0, i;
	unsigned int f, aes256;

	for (f = 0; f < 2; f++) {
		for (aes256 = 0; aes256 < 2; aes256++) {
			memset(&kd, f ? 0x5a : 0xa5, sizeof(kd));
			if (aes256)
				IMB_AES256_GCM_PRE(g, zero, &kd);
			else
				IMB_AES128_GCM_PRE(g, zero, &kd);
			for (i = sizeof(kd); i > last; i--)
				if (b[i - 1] != (f ? 0x5a : 0xa5))
					break;
			last = RTE_MAX(last, i);
		}
	}
	OPENSSL_cleanse(&kd, sizeof(kd));
	return RTE_MIN(RTE_ALIGN_CEIL(last, 64),
			RTE_ALIGN_CEIL(sizeof(kd), 64));
}

static void
imb_fini(void)
{
	if (im.gcm_own)
		free_mb_mgr(im.gcm);
	if (im.ctl != NULL)
		free_mb_mgr(im.ctl);
	memset(&im, 0, sizeof(im));
}

static int
imb_probe(const struct sec_config *cfg)
{
	imb_fini();
	im.ctl = mgr_new(&im.arch);
	if (im.ctl == NULL) {
		SEC_LOG(NOTICE, "ipsecmb: intel-ipsec-mb %s has no AES-NI "
				"code for this CPU", imb_get_version_str());
		return -ENODEV;
	}
	im.gcm = gcm_mgr_new(im.ctl, im.arch, cfg != NULL && cfg->gcm_compact);
	if (im.gcm == NULL) {
		imb_fini();
		return -ENOMEM;
	}
	im.gcm_own = im.gcm != im.ctl;
	im.gcm_len = gcm_state_len(im.gcm);
	SEC_LOG(INFO, "ipsecmb: intel-ipsec-mb %s, %s; GCM keys %zu bytes%s",
			imb_get_version_str(),
			(unsigned int)im.arch < IMB_ARCH_NUM ?
			arch_names[im.arch] : "?", im.gcm_len,
			im.gcm_own ? " (compact: avx2 code)" : "");
	return 0;
}

static uint32_t
imb_caps(void)
{
	/* every suite is AES-128/256 CTR with HMAC-SHA1, or GCM */
	return SEC_SUITE_MASK_ALL;
}

static void
imb_lcore_fini(void *priv)
{
	struct imb_lcore *il = priv;

	if (il == NULL)
		return;
	if (il->g != NULL && il->g != il->m)
		free_mb_mgr(il->g);
	if (il->m != NULL)
		free_mb_mgr(il->m);
	free(il);
}

static int
imb_lcore_init(unsigned int lcore_id, void **priv)
{
	struct imb_lcore *il;
	IMB_ARCH arch;

	(void)lcore_id;
	il = calloc(1, sizeof(*il));
	if (il == NULL)
		return -ENOMEM;
	il->m = mgr_new(&arch);
	if (il->m == NULL || arch != im.arch) {
		int rc = il->m == NULL ? -ENOMEM : -ENODEV;

		imb_lcore_fini(il);
		return rc;
	}
	il->g = gcm_mgr_new(il->m, arch, im.gcm_own);
	if (il->g == NULL) {
		imb_lcore_fini(il);
		return -ENOMEM;
	}
	*priv = il;
	return 0;
}

/* Bytes of one protocol's state: a multiple of the alignment it needs
 * (GCM's 64, what intel-ipsec-mb.h asks for struct gcm_key_data where
 * LINUX is defined, at least the 16 of its aligned moves; the AES
 * schedule 16), so that the next protocol's starts aligned. */
static size_t
imb_key_size(const struct sec_session *s)
{
	const struct sec_suite *su = s->suite;

	return su->aead ? im.gcm_len :
		RTE_ALIGN_CEIL(IMB_CM_KEY_LEN(su->enc_key_len), 16);
}

/* HMAC-SHA1's inner and outer states for key ak (RFC 2104): one SHA-1
 * compression of the key padded to a block, xored with ipad / opad. */
static void
hmac_pads(const uint8_t *ak, size_t len, uint8_t *ipad, uint8_t *opad)
{
	uint8_t blk[64];
	size_t i;

	memset(blk, 0x36, sizeof(blk));
	for (i = 0; i < len; i++)
		blk[i] ^= ak[i];
	IMB_SHA1_ONE_BLOCK(im.ctl, blk, ipad);
	memset(blk, 0x5c, sizeof(blk));
	for (i = 0; i < len; i++)
		blk[i] ^= ak[i];
	IMB_SHA1_ONE_BLOCK(im.ctl, blk, opad);
	OPENSSL_cleanse(blk, sizeof(blk));
}

static int
imb_key_init(const struct sec_session *s, struct sec_subkey *k)
{
	const struct sec_suite *su = s->suite;
	uint8_t dec[15 * 16] __rte_aligned(16);

	if (k->eng == NULL || k->rk == NULL || im.ctl == NULL)
		return -EINVAL;
	if (su->aead) {
		if (su->enc_key_len == 16)
			IMB_AES128_GCM_PRE(im.gcm, k->rk->ek, k->eng);
		else
			IMB_AES256_GCM_PRE(im.gcm, k->rk->ek, k->eng);
		return imb_get_errno(im.gcm) == 0 ? 0 : -EIO;
	}
	/* the library expands both schedules; CTR uses the forward one,
	 * which it writes in 11 or 15 round keys, the HMAC states after */
	if (su->enc_key_len == 16)
		IMB_AES_KEYEXP_128(im.ctl, k->rk->ek, k->eng, dec);
	else
		IMB_AES_KEYEXP_256(im.ctl, k->rk->ek, k->eng, dec);
	OPENSSL_cleanse(dec, sizeof(dec));
	hmac_pads(k->rk->ak, su->auth_key_len,
			imb_cm_ipad(k->eng, su->enc_key_len),
			imb_cm_opad(k->eng, su->enc_key_len));
	return imb_get_errno(im.ctl) == 0 ? 0 : -EIO;
}

const struct sec_eng_ops sec_eng_ipsecmb_ops = {
	.id = SEC_ENGINE_IPSECMB,
	.name = "ipsecmb",
	.probe = imb_probe,
	.fini = imb_fini,
	.capabilities = imb_caps,
	.lcore_init = imb_lcore_init,
	.lcore_fini = imb_lcore_fini,
	.burst = sec_xform_burst,
	.key_init = imb_key_init,
	/* no key_fini: the state is in the key's allocation, which
	 * sec_sess.c cleanses whole */
	.key_size = imb_key_size,
	.crypt = sec_eng_ipsecmb_crypt,
};

#else /* !SEC_HAVE_IPSEC_MB */

/* Built without intel-ipsec-mb: never registered (sec_init falls back to
 * the cryptodev engine). */
static int
imb_probe(const struct sec_config *cfg)
{
	(void)cfg;
	return -ENOTSUP;
}

static uint32_t
imb_caps(void)
{
	return 0;
}

const struct sec_eng_ops sec_eng_ipsecmb_ops = {
	.id = SEC_ENGINE_IPSECMB,
	.name = "ipsecmb",
	.probe = imb_probe,
	.capabilities = imb_caps,
	.burst = sec_xform_burst,
};

#endif /* SEC_HAVE_IPSEC_MB */
