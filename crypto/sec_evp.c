/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenSSL EVP crypto backend for our SRTP transform: the "openssl" engine
 * and the fallback of the cryptodev engine for shapes a cryptodev session
 * cannot take. Contexts are created once per key on the control thread and
 * only re-IV'd per packet (no EVP context per packet). Every EVP return is
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
hmac(struct sec_subkey *k, const uint8_t *p, size_t n, uint8_t *out)
{
	size_t outl;

	if (EVP_MAC_init(k->mctx, NULL, 0, NULL) != 1 ||
			EVP_MAC_update(k->mctx, p, n) != 1 ||
			EVP_MAC_final(k->mctx, out, &outl, 20) != 1 ||
			outl != 20)
		return -1;
	return 0;
}

static int
ctr(struct sec_subkey *k, const uint8_t *iv, uint8_t *p, size_t n)
{
	int outl;

	if (n == 0)
		return 0;
	if (EVP_EncryptInit_ex(k->cctx, NULL, NULL, NULL, iv) != 1 ||
			EVP_EncryptUpdate(k->cctx, p, &outl, p, (int)n) != 1 ||
			(size_t)outl != n)
		return -1;
	return 0;
}

/* GCM seal: returns 0 or -1. */
static int
gcm_seal(struct sec_subkey *k, struct sec_job *j)
{
	EVP_CIPHER_CTX *c = k->cctx;
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
gcm_open(struct sec_subkey *k, struct sec_job *j)
{
	EVP_CIPHER_CTX *c = k->cctx;
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

void
sec_evp_crypt_one(const struct sec_session *s, struct sec_subkey *k,
		struct sec_job *j, enum sec_op op, bool restore)
{
	int r;

	if (s->suite->aead) {
		if (op == SEC_OP_PROTECT) {
			j->status = gcm_seal(k, j) == 0 ? SEC_ST_OK :
				SEC_ST_ERROR;
			return;
		}
		r = gcm_open(k, j);
		if (r == 1) {
			j->status = SEC_ST_OK;
			return;
		}
		j->status = r == 0 ? SEC_ST_AUTH_FAIL : SEC_ST_ERROR;
		/* CTR is an involution: decrypting again restores the input */
		if (restore && r == 0)
			(void)gcm_open(k, j);
		return;
	}
	if (op == SEC_OP_PROTECT) {
		if (ctr(k, j->iv, j->data + j->enc_off, j->enc_len) != 0 ||
				hmac(k, j->data, j->auth_len, j->digest) != 0)
			j->status = SEC_ST_ERROR;
		else
			j->status = SEC_ST_OK;
		return;
	}
	/* RFC 3711 §3.3: authenticate first, decrypt only what passed. */
	if (hmac(k, j->data, j->auth_len, j->digest) != 0) {
		j->status = SEC_ST_ERROR;
		return;
	}
	if (CRYPTO_memcmp(j->digest, j->rtag, j->tag_len) != 0) {
		j->status = SEC_ST_AUTH_FAIL;
		return;
	}
	j->status = ctr(k, j->iv, j->data + j->enc_off, j->enc_len) == 0 ?
		SEC_ST_OK : SEC_ST_ERROR;
}

void
sec_evp_crypt(const struct sec_session *s, struct sec_subkey *k,
		struct sec_job **jobs, uint16_t n, enum sec_op op, bool restore)
{
	uint16_t i;

	for (i = 0; i < n; i++)
		sec_evp_crypt_one(s, k, jobs[i], op, restore);
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
