/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SRTP crypto suites as data: one row per suite, read by the SDES codec,
 * the key derivation and every engine (STYLE.md crypto/).
 */
#ifndef IMSAGW_SEC_SUITE_H
#define IMSAGW_SEC_SUITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Suite identifiers; the value is the row index and the bit in masks. */
enum sec_suite_id {
	SEC_SUITE_AES_CM_128_HMAC_SHA1_80 = 0,
	SEC_SUITE_AES_CM_128_HMAC_SHA1_32,
	SEC_SUITE_AEAD_AES_128_GCM,
	SEC_SUITE_AEAD_AES_256_GCM,
	SEC_SUITE_AES_256_CM_HMAC_SHA1_80,
	SEC_SUITE_AES_256_CM_HMAC_SHA1_32,
	SEC_SUITE_COUNT
};

#define SEC_SUITE_MASK_ALL ((1u << SEC_SUITE_COUNT) - 1)

#define SEC_MASTER_KEY_MAX 32
#define SEC_MASTER_SALT_MAX 14
#define SEC_SESSION_SALT_MAX 14
#define SEC_AUTH_KEY_MAX 20
#define SEC_TAG_MAX 16

/* One table row. All lengths in bytes. */
struct sec_suite {
	enum sec_suite_id id;
	const char *name;       /* canonical SDES name (RFC 4568/6188/7714) */
	const char *alt_name;   /* other spelling accepted on input, or NULL */
	bool aead;              /* AES-GCM (RFC 7714) rather than AES-CM+HMAC */
	uint8_t master_key_len; /* also the KDF AES key size (RFC 6188) */
	uint8_t master_salt_len;/* 14 for AES-CM, 12 for GCM */
	uint8_t enc_key_len;    /* k_e */
	uint8_t auth_key_len;   /* k_a, 0 for AEAD */
	uint8_t session_salt_len; /* k_s: 14 for AES-CM, 12 for GCM */
	uint8_t srtp_tag_len;   /* 10, 4 or 16 */
	uint8_t srtcp_tag_len;  /* 10 (even for _32, RFC 4568 §6.2) or 16 */
	uint8_t srtp_lifetime_log2;  /* max master key use, SRTP packets */
	uint8_t srtcp_lifetime_log2; /* same for SRTCP packets */
};

/*
 * Row for a suite id. Returns NULL when id is out of range.
 * Any thread.
 */
const struct sec_suite *sec_suite_get(enum sec_suite_id id);

/*
 * Row for an SDES suite name of len bytes (case-sensitive, RFC 4568),
 * either spelling. Returns NULL for an unknown name. Any thread.
 */
const struct sec_suite *sec_suite_by_name(const char *name, size_t len);

#endif /* IMSAGW_SEC_SUITE_H */
