/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The libsrtp engine: libsrtp2 itself, one srtp_t per session (one flow
 * direction). The only file that includes srtp2/srtp.h (STYLE.md crypto/).
 * Debian's libsrtp2 2.5 uses NSS: correct but slow; it is the reference.
 * libsrtp keeps its own per-SSRC state, so rekey is not offered here.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <srtp2/srtp.h>

#include "sec_priv.h"

static bool libsrtp_up;

static int
policy_for(enum sec_suite_id id, srtp_crypto_policy_t *rtp,
		srtp_crypto_policy_t *rtcp)
{
	switch (id) {
	case SEC_SUITE_AES_CM_128_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(rtcp);
		return 0;
	case SEC_SUITE_AES_CM_128_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(rtcp);
		return 0;
	case SEC_SUITE_AEAD_AES_128_GCM:
		srtp_crypto_policy_set_aes_gcm_128_16_auth(rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(rtcp);
		return 0;
	case SEC_SUITE_AEAD_AES_256_GCM:
		srtp_crypto_policy_set_aes_gcm_256_16_auth(rtp);
		srtp_crypto_policy_set_aes_gcm_256_16_auth(rtcp);
		return 0;
	case SEC_SUITE_AES_256_CM_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(rtcp);
		return 0;
	case SEC_SUITE_AES_256_CM_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32(rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(rtcp);
		return 0;
	default:
		return -ENOTSUP;
	}
}

static srtp_t
make_ctx(enum sec_suite_id id, enum sec_dir dir, const uint8_t *keysalt,
		uint8_t *mki, unsigned int mki_len, unsigned long window)
{
	srtp_policy_t pol;
	srtp_master_key_t mk;
	srtp_master_key_t *mkp = &mk;
	srtp_t ctx = NULL;

	memset(&pol, 0, sizeof(pol));
	if (policy_for(id, &pol.rtp, &pol.rtcp) != 0)
		return NULL;
	pol.ssrc.type = dir == SEC_DIR_PROTECT ? ssrc_any_outbound :
		ssrc_any_inbound;
	if (mki_len != 0) {
		mk.key = (unsigned char *)keysalt;
		mk.mki_id = mki;
		mk.mki_size = mki_len;
		pol.keys = &mkp;
		pol.num_master_keys = 1;
	} else {
		pol.key = (unsigned char *)keysalt;
	}
	pol.window_size = window;
	pol.allow_repeat_tx = 0;
	if (srtp_create(&ctx, &pol) != srtp_err_status_ok)
		return NULL;
	return ctx;
}

static int
libsrtp_probe(const struct sec_config *cfg)
{
	(void)cfg;
	if (!libsrtp_up) {
		if (srtp_init() != srtp_err_status_ok)
			return -EIO;
		libsrtp_up = true;
	}
	return 0;
}

static void
libsrtp_fini(void)
{
	if (libsrtp_up) {
		srtp_shutdown();
		libsrtp_up = false;
	}
}

/* Suites this build of libsrtp accepts (GCM depends on its backend). */
static uint32_t
libsrtp_caps(void)
{
	static const uint8_t ks[64];
	uint32_t m = 0;
	unsigned int i;

	for (i = 0; i < SEC_SUITE_COUNT; i++) {
		srtp_t c = make_ctx((enum sec_suite_id)i, SEC_DIR_PROTECT, ks,
				NULL, 0, 128);

		if (c != NULL) {
			m |= 1u << i;
			srtp_dealloc(c);
		}
	}
	return m;
}

static int
libsrtp_session_create(struct sec_session *s)
{
	const struct sec_suite *su = s->suite;
	struct sec_key *k = s->keys[0];
	uint8_t ks[SEC_MASTER_KEY_MAX + SEC_MASTER_SALT_MAX];
	srtp_t ctx;

	if (k->raw || s->nkeys != 1)
		return -ENOTSUP;
	if (s->window >= 32768)
		return -EINVAL;   /* libsrtp: window < 2^15 */
	memcpy(ks, k->master_key, su->master_key_len);
	memcpy(ks + su->master_key_len, k->master_salt, su->master_salt_len);
	ctx = make_ctx(su->id, s->dir, ks, k->mki, k->mki_len, s->window);
	OPENSSL_cleanse(ks, sizeof(ks));
	if (ctx == NULL)
		return -EIO;
	s->eng_priv = ctx;
	return 0;
}

static void
libsrtp_session_destroy(struct sec_session *s)
{
	/* srtp_dealloc zeroizes its key material */
	if (s->eng_priv != NULL)
		srtp_dealloc((srtp_t)s->eng_priv);
	s->eng_priv = NULL;
}

static uint8_t
map_err(srtp_err_status_t e)
{
	switch (e) {
	case srtp_err_status_ok:
		return SEC_ST_OK;
	case srtp_err_status_auth_fail:
		return SEC_ST_AUTH_FAIL;
	case srtp_err_status_replay_fail:
		return SEC_ST_REPLAY;
	case srtp_err_status_replay_old:
		return SEC_ST_TOO_OLD;
	case srtp_err_status_bad_param:
	case srtp_err_status_parse_err:
	case srtp_err_status_cant_check: /* E=0 SRTCP refused */
		return SEC_ST_MALFORMED;
	case srtp_err_status_key_expired:
		return SEC_ST_KEY_LIMIT;
	case srtp_err_status_bad_mki:
		return SEC_ST_BAD_MKI;
	default:
		return SEC_ST_ERROR;
	}
}

/*
 * Unprotect: is the packet long enough for its headers, MKI and tag? Our
 * transform's framing rules (sec_xform.c; RFC 3550 §5.1, RFC 3711 §3.1,
 * §3.4, RFC 7714 §8.2, §9.2). libsrtp2 2.5 with its NSS backend (Debian
 * 12) hands a GCM packet shorter than its MKI and tag to PK11_Decrypt
 * with a negative length and crashes in freebl (found by fuzz_srtp_diff):
 * such packets never reach it.
 */
static bool
long_enough(const struct sec_session *s, const struct sec_pkt *p, bool rtcp)
{
	const struct sec_suite *su = s->suite;
	uint32_t ml = s->keys[0]->mki_len, h;
	const uint8_t *d = p->data;

	if (rtcp)
		return p->len >= 8 + 4 + ml + su->srtcp_tag_len;
	if (p->len < 12)
		return false;
	h = 12 + 4u * (d[0] & 0x0f);
	if (d[0] & 0x10) {
		if (p->len < h + 4)
			return false;
		h += 4 + 4u * ((uint32_t)d[h + 2] << 8 | d[h + 3]);
	}
	return p->len >= h + ml + su->srtp_tag_len;
}

/* libsrtp keeps no per-lcore state: its context is the session's, used by
 * the session's owner lcore only. */
static void
libsrtp_burst(struct sec_lcore *lc, struct sec_session *s,
		struct sec_pkt *pkts, uint16_t n, bool rtcp, uint8_t *status)
{
	srtp_t ctx = (srtp_t)s->eng_priv;
	unsigned int ml = s->keys[0]->mki_len;
	uint16_t i;

	(void)lc;
	for (i = 0; i < n; i++) {
		struct sec_pkt *p = &pkts[i];
		int len = (int)p->len;
		srtp_err_status_t e;

		if (p->len > p->room || p->len > 0x7fffffff) {
			status[i] = SEC_ST_MALFORMED;
			continue;
		}
		if (s->dir == SEC_DIR_PROTECT) {
			uint32_t need = p->len + ml + 4 + (rtcp ? 4 : 0) +
				(s->suite->aead ? 16 : (rtcp ?
					s->suite->srtcp_tag_len :
					s->suite->srtp_tag_len));

			if (need > p->room) {
				status[i] = SEC_ST_NO_ROOM;
				continue;
			}
			if (rtcp)
				e = srtp_protect_rtcp_mki(ctx, p->data, &len,
						ml != 0, 0);
			else
				e = srtp_protect_mki(ctx, p->data, &len,
						ml != 0, 0);
		} else if (!long_enough(s, p, rtcp)) {
			status[i] = SEC_ST_MALFORMED;
			continue;
		} else {
			if (rtcp)
				e = srtp_unprotect_rtcp_mki(ctx, p->data, &len,
						ml != 0);
			else
				e = srtp_unprotect_mki(ctx, p->data, &len,
						ml != 0);
		}
		status[i] = map_err(e);
		if (e == srtp_err_status_ok)
			p->len = (uint32_t)len;
	}
}

const struct sec_eng_ops sec_eng_libsrtp_ops = {
	.id = SEC_ENGINE_LIBSRTP,
	.name = "libsrtp",
	.probe = libsrtp_probe,
	.fini = libsrtp_fini,
	.capabilities = libsrtp_caps,
	.session_create = libsrtp_session_create,
	.session_destroy = libsrtp_session_destroy,
	.burst = libsrtp_burst,
};
