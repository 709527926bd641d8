/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenSSL EVP crypto backend for our SRTP transform: the "openssl" engine
 * (contexts created once per key on the control thread and only re-IV'd
 * per packet) and the fallback of the cryptodev engine for shapes a
 * cryptodev session cannot take (per-lcore scratch contexts keyed per
 * job: a key costs no OpenSSL memory there). Every EVP return is
 * checked; a failure gives SEC_ST_ERROR for that packet.
 */
#include <errno.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "sec_priv.h"

static const EVP_CIPHER *
ctr_cipher(const struct sec_suite *su)
{
	return su->enc_key_len == 32 ? EVP_aes_256_ctr() : EVP_aes_128_ctr();
}

static const EVP_CIPHER *
gcm_cipher(const struct sec_suite *su)
{
	return su->enc_key_len == 32 ? EVP_aes_256_gcm() : EVP_aes_128_gcm();
}

/* Set keys ek (and ak, AES-CM suites) into c (and mc): the contexts of a
 * key (control thread), or the scratch ones for one job. 0 or -1. */
static int
keys_set(EVP_CIPHER_CTX *c, EVP_MAC_CTX *mc, const struct sec_suite *su,
		const uint8_t *ek, const uint8_t *ak, int enc)
{
	OSSL_PARAM prm[2];

	if (su->aead)
		return EVP_CipherInit_ex(c, gcm_cipher(su), NULL, NULL, NULL,
				enc) != 1 ||
			EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12,
				NULL) != 1 ||
			EVP_CipherInit_ex(c, NULL, NULL, ek, NULL, enc) != 1 ?
			-1 : 0;
	prm[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
			(char *)"SHA1", 0);
	prm[1] = OSSL_PARAM_construct_end();
	return EVP_EncryptInit_ex(c, ctr_cipher(su), NULL, ek, NULL) != 1 ||
		EVP_MAC_init(mc, ak, su->auth_key_len, prm) != 1 ? -1 : 0;
}

/* A new HMAC context, or NULL. */
static EVP_MAC_CTX *
hmac_ctx_new(void)
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *mc;

	if (mac == NULL)
		return NULL;
	mc = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac);
	return mc;
}

int
sec_eng_openssl_key_init(const struct sec_session *s, struct sec_subkey *k)
{
	const struct sec_suite *su = s->suite;

	if (k->rk == NULL)
		return -EINVAL;
	k->cctx = EVP_CIPHER_CTX_new();
	if (!su->aead)
		k->mctx = hmac_ctx_new();
	if (k->cctx == NULL || (!su->aead && k->mctx == NULL)) {
		sec_eng_openssl_key_fini(k);
		return -ENOMEM;
	}
	if (keys_set(k->cctx, k->mctx, su, k->rk->ek, k->rk->ak,
				s->dir == SEC_DIR_PROTECT ? 1 : 0) != 0) {
		sec_eng_openssl_key_fini(k);
		return -EIO;
	}
	return 0;
}

void
sec_eng_openssl_key_fini(struct sec_subkey *k)
{
	/* EVP_*_free cleanse their key schedules. */
	EVP_CIPHER_CTX_free(k->cctx);
	k->cctx = NULL;
	EVP_MAC_CTX_free(k->mctx);
	k->mctx = NULL;
}

static int
hmac(EVP_MAC_CTX *mc, const uint8_t *p, size_t n, uint8_t *out)
{
	size_t outl;

	if (EVP_MAC_init(mc, NULL, 0, NULL) != 1 ||
			EVP_MAC_update(mc, p, n) != 1 ||
			EVP_MAC_final(mc, out, &outl, 20) != 1 || outl != 20)
		return -1;
	return 0;
}

static int
ctr(EVP_CIPHER_CTX *c, const uint8_t *iv, uint8_t *p, size_t n)
{
	int outl;

	if (n == 0)
		return 0;
	if (EVP_EncryptInit_ex(c, NULL, NULL, NULL, iv) != 1 ||
			EVP_EncryptUpdate(c, p, &outl, p, (int)n) != 1 ||
			(size_t)outl != n)
		return -1;
	return 0;
}

/*
 * GCM seal (enc 1) or open (enc 0) of j in place: 0 ok, 1 tag mismatch
 * (open; the payload is decrypted anyway), -1 error.
 */
static int
gcm(EVP_CIPHER_CTX *c, struct sec_job *j, int enc)
{
	uint8_t *p = j->data + j->enc_off;
	uint8_t fin[16];
	int outl;

	if (EVP_CipherInit_ex(c, NULL, NULL, NULL, j->iv, enc) != 1 ||
			EVP_CipherUpdate(c, NULL, &outl, j->aad,
				(int)j->aad_len) != 1)
		return -1;
	if (j->aad2 != NULL &&
			EVP_CipherUpdate(c, NULL, &outl, j->aad2, 4) != 1)
		return -1;
	if (j->enc_len > 0 && (EVP_CipherUpdate(c, p, &outl, p,
					(int)j->enc_len) != 1 ||
				(uint32_t)outl != j->enc_len))
		return -1;
	if (!enc && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16,
				j->rtag) != 1)
		return -1;
	/* open: Final compares the tag in constant time */
	if (EVP_CipherFinal_ex(c, fin, &outl) != 1)
		return enc ? -1 : 1;
	if (enc && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16,
				j->tag_out) != 1)
		return -1;
	return 0;
}

/* One job with contexts whose keys are set: c (CTR or GCM), mc (HMAC,
 * AES-CM suites). */
static void
crypt_ctx(EVP_CIPHER_CTX *c, EVP_MAC_CTX *mc, struct sec_job *j)
{
	int r;

	if (j->aead) {
		if (sec_job_protect(j)) {
			j->status = gcm(c, j, 1) == 0 ? SEC_ST_OK :
				SEC_ST_ERROR;
			return;
		}
		r = gcm(c, j, 0);
		if (r == 0) {
			j->status = SEC_ST_OK;
			return;
		}
		j->status = r == 1 ? SEC_ST_AUTH_FAIL : SEC_ST_ERROR;
		/* CTR is an involution: decrypting again restores the input */
		if (j->restore && r == 1)
			(void)gcm(c, j, 0);
		return;
	}
	if (sec_job_protect(j)) {
		if (ctr(c, j->iv, j->data + j->enc_off, j->enc_len) != 0 ||
				hmac(mc, j->data, j->auth_len, j->digest) != 0)
			j->status = SEC_ST_ERROR;
		else
			j->status = SEC_ST_OK;
		return;
	}
	/* RFC 3711 §3.3: authenticate first, decrypt only what passed. */
	if (hmac(mc, j->data, j->auth_len, j->digest) != 0) {
		j->status = SEC_ST_ERROR;
		return;
	}
	if (!sec_tag_equal(j->digest, j->rtag, j->tag_len)) {
		j->status = SEC_ST_AUTH_FAIL;
		return;
	}
	j->status = ctr(c, j->iv, j->data + j->enc_off, j->enc_len) == 0 ?
		SEC_ST_OK : SEC_ST_ERROR;
}

/* The openssl engine keeps no per-lcore state: a key's own contexts are
 * used by the session's owner lcore only. */
static void
openssl_crypt(struct sec_lcore *lc, struct sec_job **jobs, uint16_t n)
{
	uint16_t i;

	(void)lc;
	for (i = 0; i < n; i++)
		crypt_ctx(jobs[i]->sk->cctx, jobs[i]->sk->mctx, jobs[i]);
}

/* ---- scratch contexts (the cryptodev engine's fallback) ---------------- */

static const uint8_t zero_key[SEC_MASTER_KEY_MAX > SEC_AUTH_KEY_MAX ?
	SEC_MASTER_KEY_MAX : SEC_AUTH_KEY_MAX];

void
sec_eng_openssl_scratch_fini(struct sec_eng_openssl_scratch *x)
{
	EVP_CIPHER_CTX_free(x->c);
	EVP_MAC_CTX_free(x->mc);
	x->c = NULL;
	x->mc = NULL;
}

int
sec_eng_openssl_scratch_init(struct sec_eng_openssl_scratch *x)
{
	x->c = EVP_CIPHER_CTX_new();
	x->mc = hmac_ctx_new();
	if (x->c == NULL || x->mc == NULL) {
		sec_eng_openssl_scratch_fini(x);
		return -ENOMEM;
	}
	return 0;
}

void
sec_eng_openssl_crypt_scratch(struct sec_eng_openssl_scratch *x,
		struct sec_job *j)
{
	const struct sec_suite *su = j->s->suite;
	int enc = sec_job_protect(j) ? 1 : 0;

	/* The key schedule is redone for every job: the price of keeping no
	 * OpenSSL state per key, paid only by rare packet shapes. */
	if (j->sk->rk == NULL ||
			keys_set(x->c, x->mc, su, j->sk->rk->ek, j->sk->rk->ak,
				enc) != 0) {
		j->status = SEC_ST_ERROR;
		return;
	}
	crypt_ctx(x->c, x->mc, j);
	/* no key schedule of this session stays behind in the scratch
	 * contexts (it could outlive the session) */
	(void)EVP_CipherInit_ex(x->c, NULL, NULL, zero_key, NULL, enc);
	if (!su->aead)
		(void)EVP_MAC_init(x->mc, zero_key, su->auth_key_len, NULL);
}

static int
openssl_probe(const struct sec_config *cfg)
{
	(void)cfg;
	return 0;
}

static uint32_t
openssl_caps(void)
{
	return SEC_SUITE_MASK_ALL;
}

const struct sec_eng_ops sec_eng_openssl_ops = {
	.id = SEC_ENGINE_OPENSSL,
	.name = "openssl",
	.probe = openssl_probe,
	.capabilities = openssl_caps,
	.burst = sec_xform_burst,
	.key_init = sec_eng_openssl_key_init,
	.key_fini = sec_eng_openssl_key_fini,
	.crypt = openssl_crypt,
};
