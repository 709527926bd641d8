/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Certificate fingerprints as SDP carries them (RFC 8122 §5,
 * a=fingerprint): parse, format, compute over a DER certificate, compare.
 *
 * Accepted input: the attribute's value, "<hash-func> SP <fingerprint>"
 * where fingerprint = 2HEX *(":" 2HEX). Tolerated beyond the grammar:
 * SP/HTAB before the value and between its two parts (more than one),
 * SP/HTAB/CR/LF after it, and lower-case hex (RFC 8122 §5 asks for upper
 * case; peers send both). Anything else is malformed.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "sec_tls.h"

/* One row per hash of the enum: its textual name (IANA "Hash Function
 * Textual Names", lower case as RFC 8122 writes it), digest length and
 * OpenSSL digest. */
struct fp_hash_row {
	const char *name;
	uint8_t len;
	const EVP_MD *(*md)(void);
};

static const struct fp_hash_row fp_hash_tab[SEC_FP_HASH_MAX] = {
	[SEC_FP_SHA1] = { "sha-1", 20, EVP_sha1 },
	[SEC_FP_SHA224] = { "sha-224", 28, EVP_sha224 },
	[SEC_FP_SHA256] = { "sha-256", 32, EVP_sha256 },
	[SEC_FP_SHA384] = { "sha-384", 48, EVP_sha384 },
	[SEC_FP_SHA512] = { "sha-512", 64, EVP_sha512 },
};

static bool
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 4566 token characters (the grammar of an unknown hash-func). */
static bool
is_token_char(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`{|}~", c) != NULL;
}

static int
hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The hash named by s[0..n), case-insensitively; SEC_FP_HASH_MAX when it is
 * none of ours (md2, md5 and unknown names alike). */
static enum sec_fp_hash
hash_by_name(const char *s, size_t n)
{
	unsigned int h;

	for (h = 0; h < SEC_FP_HASH_MAX; h++)
		if (strlen(fp_hash_tab[h].name) == n &&
				strncasecmp(s, fp_hash_tab[h].name, n) == 0)
			return (enum sec_fp_hash)h;
	return SEC_FP_HASH_MAX;
}

int
sec_fp_parse(const char *s, size_t len, struct sec_fp *fp)
{
	size_t i = 0, name, name_len, n = 0;
	enum sec_fp_hash h;

	memset(fp, 0, sizeof(*fp));
	while (len > 0 && (is_wsp(s[len - 1]) || s[len - 1] == '\r' ||
				s[len - 1] == '\n'))
		len--;
	while (i < len && is_wsp(s[i]))
		i++;
	name = i;
	while (i < len && is_token_char(s[i]))
		i++;
	name_len = i - name;
	if (name_len == 0 || i == len || !is_wsp(s[i]))
		return -EINVAL;
	while (i < len && is_wsp(s[i]))
		i++;
	/* 2HEX *(":" 2HEX): count every pair, keep the first SEC_FP_MD_MAX
	 * (an unknown hash may be longer; it is refused below anyway). */
	for (;;) {
		int hi, lo;

		if (len - i < 2)
			return -EINVAL;
		hi = hex_val(s[i]);
		lo = hex_val(s[i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		if (n < SEC_FP_MD_MAX)
			fp->md[n] = (uint8_t)(hi << 4 | lo);
		n++;
		i += 2;
		if (i == len)
			break;
		if (s[i] != ':')
			return -EINVAL;
		i++;
	}
	h = hash_by_name(s + name, name_len);
	if (h == SEC_FP_HASH_MAX) {
		memset(fp, 0, sizeof(*fp));
		return -EPROTONOSUPPORT;
	}
	if (n != fp_hash_tab[h].len) {
		memset(fp, 0, sizeof(*fp));
		return -EINVAL;
	}
	fp->hash = h;
	fp->len = fp_hash_tab[h].len;
	return 0;
}

static bool
fp_valid(const struct sec_fp *fp)
{
	return (unsigned int)fp->hash < SEC_FP_HASH_MAX &&
		fp->len == fp_hash_tab[fp->hash].len;
}

int
sec_fp_format(const struct sec_fp *fp, char *out, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *name;
	size_t need, i, o;

	if (!fp_valid(fp))
		return -EINVAL;
	name = fp_hash_tab[fp->hash].name;
	need = strlen(name) + 1 + (size_t)fp->len * 3 - 1;
	if (len < need + 1)
		return -ENOSPC;
	for (o = 0; name[o] != '\0'; o++)
		out[o] = (char)(name[o] >= 'a' && name[o] <= 'z' ?
				name[o] - 'a' + 'A' : name[o]);
	out[o++] = ' ';
	for (i = 0; i < fp->len; i++) {
		if (i > 0)
			out[o++] = ':';
		out[o++] = hex[fp->md[i] >> 4];
		out[o++] = hex[fp->md[i] & 0x0f];
	}
	out[o] = '\0';
	return (int)o;
}

int
sec_fp_of_der(enum sec_fp_hash hash, const uint8_t *der, size_t der_len,
	      struct sec_fp *fp)
{
	unsigned int md_len = 0;

	memset(fp, 0, sizeof(*fp));
	if ((unsigned int)hash >= SEC_FP_HASH_MAX || der == NULL || der_len == 0)
		return -EINVAL;
	if (EVP_Digest(der, der_len, fp->md, &md_len, fp_hash_tab[hash].md(),
				NULL) != 1 || md_len != fp_hash_tab[hash].len) {
		memset(fp, 0, sizeof(*fp));
		return -EINVAL;
	}
	fp->hash = hash;
	fp->len = (uint8_t)md_len;
	return 0;
}

bool
sec_fp_equal(const struct sec_fp *a, const struct sec_fp *b)
{
	/* Which hash and how long are public; only the digest is compared in
	 * constant time. */
	if (!fp_valid(a) || !fp_valid(b) || a->hash != b->hash)
		return false;
	return CRYPTO_memcmp(a->md, b->md, a->len) == 0;
}
