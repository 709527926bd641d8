/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 3711 §4.3 key derivation with the AES-CM PRF, kdr = 0 (derive once,
 * SPEC §1.7). The KDF cipher is AES with the master key's size (RFC 6188
 * §7); a 12-byte GCM master salt is zero-padded to 14 (RFC 7714 §11).
 * Control thread only: the data path never derives.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "sec_priv.h"

int
sec_kdf(enum sec_suite_id suite, const uint8_t *master_key,
		const uint8_t *master_salt, uint8_t label, uint8_t *out,
		size_t n)
{
	const struct sec_suite *su = sec_suite_get(suite);
	const EVP_CIPHER *ciph;
	EVP_CIPHER_CTX *c;
	uint8_t iv[16];
	uint8_t zero[128];
	int outl, rc = -EIO;

	if (su == NULL || master_key == NULL || master_salt == NULL ||
			out == NULL || n > sizeof(zero) || label > 5)
		return -EINVAL;
	ciph = su->master_key_len == 32 ? EVP_aes_256_ctr() : EVP_aes_128_ctr();

	/* x = (label << 48 | r) XOR master_salt, r = 0; PRF input x * 2^16 */
	memset(iv, 0, sizeof(iv));
	memcpy(iv, master_salt, su->master_salt_len);
	iv[7] ^= label;
	memset(zero, 0, sizeof(zero));

	c = EVP_CIPHER_CTX_new();
	if (c == NULL)
		return -ENOMEM;
	if (EVP_EncryptInit_ex(c, ciph, NULL, master_key, iv) != 1)
		goto out;
	if (EVP_EncryptUpdate(c, out, &outl, zero, (int)n) != 1 ||
			(size_t)outl != n)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		OPENSSL_cleanse(out, n);
	EVP_CIPHER_CTX_free(c);
	OPENSSL_cleanse(iv, sizeof(iv));
	return rc;
}
