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
#include <stdlib.h>
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

int
sec_evp_key_init(const struct sec_session *s, struct sec_subkey *k)
{
	const struct sec_suite *su = s->suite;
	int enc = s->dir == SEC_DIR_PROTECT ? 1 : 0;

	k->cctx = EVP_CIPHER_CTX_new();
	if (k->cctx == NULL)
		return -ENOMEM;
	if (su->aead) {
		if (EVP_CipherInit_ex(k->cctx, gcm_cipher(su), NULL, NULL, NULL,
					enc) != 1 ||
				EVP_CIPHER_CTX_ctrl(k->cctx,
					EVP_CTRL_GCM_SET_IVLEN, 12, NULL) != 1 ||
				EVP_CipherInit_ex(k->cctx, NULL, NULL, k->ek,
					NULL, enc) != 1)
			goto err;
		return 0;
	}
	if (EVP_EncryptInit_ex(k->cctx, ctr_cipher(su), NULL, k->ek, NULL) != 1)
		goto err;
	{
		EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
		OSSL_PARAM prm[2];

		if (mac == NULL)
			goto err;
		k->mctx = EVP_MAC_CTX_new(mac);
		EVP_MAC_free(mac);
		if (k->mctx == NULL)
			goto err;
		prm[0] = OSSL_PARAM_construct_utf8_string(
				OSSL_MAC_PARAM_DIGEST, (char *)"SHA1", 0);
		prm[1] = OSSL_PARAM_construct_end();
		if (EVP_MAC_init(k->mctx, k->ak, su->auth_key_len, prm) != 1)
			goto err;
	}
	return 0;
err:
	sec_evp_key_fini(k);
	return -EIO;
}

void
sec_evp_key_fini(struct sec_subkey *k)
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

/* GCM seal: returns 0 or -1. */
static int
gcm_seal(EVP_CIPHER_CTX *c, struct sec_job *j)
{
	uint8_t *p = j->data + j->enc_off;
	uint8_t fin[16];
	int outl;

	if (EVP_EncryptInit_ex(c, NULL, NULL, NULL, j->iv) != 1 ||
			EVP_EncryptUpdate(c, NULL, &outl, j->aad,
				(int)j->aad_len) != 1)
		return -1;
	if (j->aad2 != NULL &&
			EVP_EncryptUpdate(c, NULL, &outl, j->aad2, 4) != 1)
		return -1;
	if (j->enc_len > 0 && (EVP_EncryptUpdate(c, p, &outl, p,
					(int)j->enc_len) != 1 ||
				(uint32_t)outl != j->enc_len))
		return -1;
	if (EVP_EncryptFinal_ex(c, fin, &outl) != 1 ||
			EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16,
				j->tag_out) != 1)
		return -1;
	return 0;
}

/* GCM open: 1 ok, 0 tag mismatch, -1 error. Ciphertext decrypted in
 * place either way. */
static int
gcm_open(EVP_CIPHER_CTX *c, struct sec_job *j)
{
	uint8_t *p = j->data + j->enc_off;
	uint8_t fin[16];
	int outl;

	if (EVP_DecryptInit_ex(c, NULL, NULL, NULL, j->iv) != 1 ||
			EVP_DecryptUpdate(c, NULL, &outl, j->aad,
				(int)j->aad_len) != 1)
		return -1;
	if (j->aad2 != NULL &&
			EVP_DecryptUpdate(c, NULL, &outl, j->aad2, 4) != 1)
		return -1;
	if (j->enc_len > 0 && (EVP_DecryptUpdate(c, p, &outl, p,
					(int)j->enc_len) != 1 ||
				(uint32_t)outl != j->enc_len))
		return -1;
	if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, j->rtag) != 1)
		return -1;
	/* Final compares the tag in constant time. */
	return EVP_DecryptFinal_ex(c, fin, &outl) == 1 ? 1 : 0;
}

/* One job with contexts whose keys are set: c (CTR or GCM), mc (HMAC,
 * AES-CM suites). */
static void
crypt_ctx(EVP_CIPHER_CTX *c, EVP_MAC_CTX *mc, bool aead, struct sec_job *j)
{
	int r;

	if (aead) {
		if (sec_job_protect(j)) {
			j->status = gcm_seal(c, j) == 0 ? SEC_ST_OK :
				SEC_ST_ERROR;
			return;
		}
		r = gcm_open(c, j);
		if (r == 1) {
			j->status = SEC_ST_OK;
			return;
		}
		j->status = r == 0 ? SEC_ST_AUTH_FAIL : SEC_ST_ERROR;
		/* CTR is an involution: decrypting again restores the input */
		if (j->restore && r == 0)
			(void)gcm_open(c, j);
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
	if (CRYPTO_memcmp(j->digest, j->rtag, j->tag_len) != 0) {
		j->status = SEC_ST_AUTH_FAIL;
		return;
	}
	j->status = ctr(c, j->iv, j->data + j->enc_off, j->enc_len) == 0 ?
		SEC_ST_OK : SEC_ST_ERROR;
}

void
sec_evp_crypt(struct sec_job **jobs, uint16_t n)
{
	uint16_t i;

	for (i = 0; i < n; i++)
		crypt_ctx(jobs[i]->sk->cctx, jobs[i]->sk->mctx,
				jobs[i]->s->suite->aead, jobs[i]);
}

/* ---- scratch contexts (the cryptodev engine's fallback) ---------------- */

struct evp_scratch {
	EVP_CIPHER_CTX *c;
	EVP_MAC_CTX *mc;
};

static const uint8_t zero_key[SEC_MASTER_KEY_MAX > SEC_AUTH_KEY_MAX ?
	SEC_MASTER_KEY_MAX : SEC_AUTH_KEY_MAX];
static struct evp_scratch *scratch;
static unsigned int n_scratch;

void
sec_evp_scratch_fini(void)
{
	unsigned int i;

	for (i = 0; scratch != NULL && i < n_scratch; i++) {
		EVP_CIPHER_CTX_free(scratch[i].c);
		EVP_MAC_CTX_free(scratch[i].mc);
	}
	free(scratch);
	scratch = NULL;
	n_scratch = 0;
}

int
sec_evp_scratch_init(unsigned int slots)
{
	EVP_MAC *mac;
	unsigned int i;

	sec_evp_scratch_fini();
	scratch = calloc(slots, sizeof(*scratch));
	if (scratch == NULL)
		return -ENOMEM;
	n_scratch = slots;
	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (mac == NULL) {
		sec_evp_scratch_fini();
		return -EIO;
	}
	for (i = 0; i < slots; i++) {
		scratch[i].c = EVP_CIPHER_CTX_new();
		scratch[i].mc = EVP_MAC_CTX_new(mac);
		if (scratch[i].c == NULL || scratch[i].mc == NULL) {
			EVP_MAC_free(mac);
			sec_evp_scratch_fini();
			return -ENOMEM;
		}
	}
	EVP_MAC_free(mac);
	return 0;
}

void
sec_evp_crypt_scratch(struct sec_job *j, unsigned int slot)
{
	const struct sec_suite *su = j->s->suite;
	int enc = sec_job_protect(j) ? 1 : 0;
	struct evp_scratch *x;
	OSSL_PARAM prm[2];

	if (slot >= n_scratch) {
		j->status = SEC_ST_ERROR;
		return;
	}
	x = &scratch[slot];
	/* The key schedule is redone for every job: the price of keeping no
	 * OpenSSL state per key, paid only by rare packet shapes. */
	if (su->aead) {
		if (EVP_CipherInit_ex(x->c, gcm_cipher(su), NULL, NULL, NULL,
					enc) != 1 ||
				EVP_CIPHER_CTX_ctrl(x->c, EVP_CTRL_GCM_SET_IVLEN,
					12, NULL) != 1 ||
				EVP_CipherInit_ex(x->c, NULL, NULL, j->sk->ek,
					NULL, enc) != 1) {
			j->status = SEC_ST_ERROR;
			return;
		}
	} else {
		prm[0] = OSSL_PARAM_construct_utf8_string(
				OSSL_MAC_PARAM_DIGEST, (char *)"SHA1", 0);
		prm[1] = OSSL_PARAM_construct_end();
		if (EVP_EncryptInit_ex(x->c, ctr_cipher(su), NULL, j->sk->ek,
					NULL) != 1 ||
				EVP_MAC_init(x->mc, j->sk->ak, su->auth_key_len,
					prm) != 1) {
			j->status = SEC_ST_ERROR;
			return;
		}
	}
	crypt_ctx(x->c, x->mc, su->aead, j);
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
	.key_init = sec_evp_key_init,
	.key_fini = sec_evp_key_fini,
	.crypt = sec_evp_crypt,
};
