/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SDES a=crypto codec (RFC 4568) with the policy of SPEC.md §1.8.
 * Pure functions: no I/O, no globals, no logging. Control thread only
 * (they are reentrant, but keys belong to control).
 */
#ifndef IMSAGW_SDES_H
#define IMSAGW_SDES_H

#include <stddef.h>
#include <stdint.h>

#include "sec_suite.h"

#define SDES_MKI_LEN_MAX 128  /* RFC 4568 §9.2 */
#define SDES_LINE_MAX 256     /* longest line sdes_format() writes */

/* Why a line was rejected: one reason per rule. */
enum sdes_reason {
	SDES_OK = 0,
	SDES_E_SYNTAX,          /* missing field, bad separators */
	SDES_E_TAG,             /* tag not 1-9 digits */
	SDES_E_SUITE_UNKNOWN,   /* suite name not in the table */
	SDES_E_SUITE_DISABLED,  /* suite known but disabled by config */
	SDES_E_KEY_METHOD,      /* key method other than inline */
	SDES_E_BASE64,          /* bad base64 in key||salt */
	SDES_E_KEY_LEN,         /* decoded key||salt length differs from suite */
	SDES_E_LIFETIME,        /* lifetime syntax (zero, leading zero, junk) */
	SDES_E_LIFETIME_MAX,    /* lifetime above the suite maximum */
	SDES_E_MKI,             /* MKI syntax or value does not fit its length */
	SDES_E_MKI_LEN,         /* MKI length outside 1..128 */
	SDES_E_MULTI_KEY,       /* more than one key in the line (policy) */
	SDES_E_KDR,             /* KDR present (policy; KDR=0 is invalid anyway) */
	SDES_E_UNENCRYPTED_SRTP,
	SDES_E_UNENCRYPTED_SRTCP,
	SDES_E_UNAUTHENTICATED_SRTP,
	SDES_E_FEC,             /* FEC_ORDER / FEC_KEY (policy) */
	SDES_E_WSH,             /* WSH syntax or below 64 */
	SDES_E_UNKNOWN_PARAM,   /* unknown mandatory session parameter */
	SDES_E_DUP_PARAM,       /* a session parameter repeated */
	SDES_E_TOO_LONG,        /* line longer than the codec accepts */
	SDES_E_ARG,             /* NULL or invalid argument to the API */
	SDES_REASON_COUNT
};

/* One parsed or to-be-formatted a=crypto line. Holds a key: clear it. */
struct sdes_crypto {
	uint32_t tag;                  /* 0..999999999 */
	enum sec_suite_id suite;
	uint8_t key[SEC_MASTER_KEY_MAX];   /* master key, suite length */
	uint8_t salt[SEC_MASTER_SALT_MAX]; /* master salt, suite length */
	uint64_t lifetime;             /* 0 = absent (suite max applies) */
	uint8_t lifetime_pow2;         /* formatted as 2^n when set */
	uint16_t mki_len;              /* 0 = no MKI, else 1..128 bytes */
	uint64_t mki_value;            /* decimal value from the line */
	uint32_t wsh;                  /* 0 = absent, else >= 64 */
	uint8_t choose;                /* key-params "inline:$" (or "$"): the
					* key is to be chosen by the gateway
					* (H.248.77 wildcarding, SPEC.md §3.4);
					* key and salt are zero until then */
};

/* Parse result: reason plus the byte offset where the problem is. */
struct sdes_err {
	enum sdes_reason reason;
	size_t offset;
};

/*
 * Parse one a=crypto attribute value: "<tag> <suite> inline:...[ params]".
 * A leading "a=crypto:" or "crypto:" and trailing CR/LF are accepted.
 * suite_mask: bit per enum sec_suite_id allowed (others give
 * SDES_E_SUITE_DISABLED); pass SEC_SUITE_MASK_ALL for no restriction.
 * Returns 0 and fills *out, or -EINVAL (-E2BIG for SDES_E_TOO_LONG) with
 * err->reason/offset set and *out cleansed. err may be NULL.
 */
int sdes_parse(const char *s, size_t len, uint32_t suite_mask,
		struct sdes_crypto *out, struct sdes_err *err);

/*
 * As sdes_parse(), and also accepts the underspecified form an MGC sends in
 * a Local descriptor to ask the gateway for its key (SPEC.md §3.4, §3.5):
 * "<tag> <suite> inline:$" or "<tag> <suite> $" (case-insensitive "inline:"),
 * optionally followed by session parameters. Such a line gives
 * out->choose = 1 and a zero key and salt; fill it with sdes_generate()
 * (keeping tag, suite and parameters). A complete line parses exactly as
 * with sdes_parse() (choose = 0). Returns as sdes_parse().
 */
int sdes_parse_choose(const char *s, size_t len, uint32_t suite_mask,
		struct sdes_crypto *out, struct sdes_err *err);

/*
 * Format c as an attribute value without the "a=crypto:" prefix, NUL
 * terminated. Returns the length written (excluding NUL), -ENOSPC when
 * size is too small, -EINVAL for an invalid c. Control thread.
 */
int sdes_format(const struct sdes_crypto *c, char *buf, size_t size);

/*
 * Generate a fresh key for suite with RAND_bytes into out (tag 1, no
 * lifetime, no MKI). If avoid is not NULL the generated key||salt never
 * equals avoid's (RFC 4568 §6.1: an answer carries a different key).
 * Returns 0, -EINVAL for a bad suite, -EIO if RAND_bytes fails.
 * Control thread.
 */
int sdes_generate(enum sec_suite_id suite, const struct sdes_crypto *avoid,
		struct sdes_crypto *out);

/* OPENSSL_cleanse the whole struct. Any thread; NULL is a no-op. */
void sdes_crypto_clear(struct sdes_crypto *c);

/* Static English text for a reason. Any thread. */
const char *sdes_reason_str(enum sdes_reason r);

/*
 * Base64 helpers used by the codec (standard alphabet, RFC 4648).
 * sdes_b64_decode: padding optional; returns decoded length, or -EINVAL
 * for a bad character/length, -ENOSPC if out is too small.
 * sdes_b64_encode: returns encoded length (with '=' padding), NUL
 * terminated, or -ENOSPC.
 */
int sdes_b64_decode(const char *in, size_t len, uint8_t *out, size_t size);
int sdes_b64_encode(const uint8_t *in, size_t len, char *out, size_t size);

#endif /* IMSAGW_SDES_H */
