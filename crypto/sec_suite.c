/* SPDX-License-Identifier: BSD-3-Clause */
/* The suite table (RFC 4568 §6.2, RFC 6188 §5, RFC 7714 §14). */
#include <string.h>

#include "sec_suite.h"

static const struct sec_suite suites[SEC_SUITE_COUNT] = {
	[SEC_SUITE_AES_CM_128_HMAC_SHA1_80] = {
		.id = SEC_SUITE_AES_CM_128_HMAC_SHA1_80,
		.name = "AES_CM_128_HMAC_SHA1_80",
		.master_key_len = 16, .master_salt_len = 14,
		.enc_key_len = 16, .auth_key_len = 20, .session_salt_len = 14,
		.srtp_tag_len = 10, .srtcp_tag_len = 10,
		.srtp_lifetime_log2 = 48, .srtcp_lifetime_log2 = 31,
	},
	[SEC_SUITE_AES_CM_128_HMAC_SHA1_32] = {
		.id = SEC_SUITE_AES_CM_128_HMAC_SHA1_32,
		.name = "AES_CM_128_HMAC_SHA1_32",
		.master_key_len = 16, .master_salt_len = 14,
		.enc_key_len = 16, .auth_key_len = 20, .session_salt_len = 14,
		.srtp_tag_len = 4, .srtcp_tag_len = 10,
		.srtp_lifetime_log2 = 48, .srtcp_lifetime_log2 = 31,
	},
	[SEC_SUITE_AEAD_AES_128_GCM] = {
		.id = SEC_SUITE_AEAD_AES_128_GCM,
		.name = "AEAD_AES_128_GCM", .aead = true,
		.master_key_len = 16, .master_salt_len = 12,
		.enc_key_len = 16, .auth_key_len = 0, .session_salt_len = 12,
		.srtp_tag_len = 16, .srtcp_tag_len = 16,
		.srtp_lifetime_log2 = 48, .srtcp_lifetime_log2 = 31,
	},
	[SEC_SUITE_AEAD_AES_256_GCM] = {
		.id = SEC_SUITE_AEAD_AES_256_GCM,
		.name = "AEAD_AES_256_GCM", .aead = true,
		.master_key_len = 32, .master_salt_len = 12,
		.enc_key_len = 32, .auth_key_len = 0, .session_salt_len = 12,
		.srtp_tag_len = 16, .srtcp_tag_len = 16,
		.srtp_lifetime_log2 = 48, .srtcp_lifetime_log2 = 31,
	},
	[SEC_SUITE_AES_256_CM_HMAC_SHA1_80] = {
		.id = SEC_SUITE_AES_256_CM_HMAC_SHA1_80,
		.name = "AES_256_CM_HMAC_SHA1_80",
		.alt_name = "AES_CM_256_HMAC_SHA1_80",
		.master_key_len = 32, .master_salt_len = 14,
		.enc_key_len = 32, .auth_key_len = 20, .session_salt_len = 14,
		.srtp_tag_len = 10, .srtcp_tag_len = 10,
		.srtp_lifetime_log2 = 48, .srtcp_lifetime_log2 = 31,
	},
	[SEC_SUITE_AES_256_CM_HMAC_SHA1_32] = {
		.id = SEC_SUITE_AES_256_CM_HMAC_SHA1_32,
		.name = "AES_256_CM_HMAC_SHA1_32",
		.alt_name = "AES_CM_256_HMAC_SHA1_32",
		.master_key_len = 32, .master_salt_len = 14,
		.enc_key_len = 32, .auth_key_len = 20, .session_salt_len = 14,
		.srtp_tag_len = 4, .srtcp_tag_len = 10,
		.srtp_lifetime_log2 = 48, .srtcp_lifetime_log2 = 31,
	},
};

const struct sec_suite *
sec_suite_get(enum sec_suite_id id)
{
	if ((unsigned int)id >= SEC_SUITE_COUNT)
		return NULL;
	return &suites[id];
}

static int
name_eq(const char *a, const char *s, size_t len)
{
	return a != NULL && strlen(a) == len && memcmp(a, s, len) == 0;
}

const struct sec_suite *
sec_suite_by_name(const char *name, size_t len)
{
	unsigned int i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < SEC_SUITE_COUNT; i++)
		if (name_eq(suites[i].name, name, len) ||
				name_eq(suites[i].alt_name, name, len))
			return &suites[i];
	return NULL;
}
