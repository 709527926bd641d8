/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SDES a=crypto codec: RFC 4568 §9.1-9.2 grammar with the receive policy
 * of SPEC.md §1.8 (single inline key, lifetime as a ceiling, MKI value:len,
 * no weakening session parameters, WSH accepted as a hint).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "sdes.h"

#define SDES_INPUT_MAX 1024

static const char b64_alpha[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
b64_val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int
sdes_b64_decode(const char *in, size_t len, uint8_t *out, size_t size)
{
	uint32_t acc = 0;
	size_t i, n = 0, pad = 0;
	int bits = 0;

	/* RFC 4568 §9.2: padding is optional and discarded. */
	while (len > 0 && in[len - 1] == '=' && pad < 2) {
		len--;
		pad++;
	}
	if (len % 4 == 1)
		return -EINVAL;
	if (pad > 0 && (len + pad) % 4 != 0)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		int v = b64_val(in[i]);

		if (v < 0)
			return -EINVAL;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= size)
				return -ENOSPC;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	/* Leftover bits must be zero (canonical encoding). */
	if (bits > 0 && (acc & ((1u << bits) - 1)) != 0)
		return -EINVAL;
	return (int)n;
}

int
sdes_b64_encode(const uint8_t *in, size_t len, char *out, size_t size)
{
	size_t i, n = 0, need = (len + 2) / 3 * 4 + 1;

	if (size < need)
		return -ENOSPC;
	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
			in[i + 2];

		out[n++] = b64_alpha[v >> 18];
		out[n++] = b64_alpha[(v >> 12) & 63];
		out[n++] = b64_alpha[(v >> 6) & 63];
		out[n++] = b64_alpha[v & 63];
	}
	if (i < len) {
		uint32_t v = (uint32_t)in[i] << 16;

		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		out[n++] = b64_alpha[v >> 18];
		out[n++] = b64_alpha[(v >> 12) & 63];
		out[n++] = i + 1 < len ? b64_alpha[(v >> 6) & 63] : '=';
		out[n++] = '=';
	}
	out[n] = '\0';
	return (int)n;
}

static const char *const reason_str[SDES_REASON_COUNT] = {
	[SDES_OK] = "ok",
	[SDES_E_SYNTAX] = "syntax error",
	[SDES_E_TAG] = "bad tag",
	[SDES_E_SUITE_UNKNOWN] = "unknown crypto suite",
	[SDES_E_SUITE_DISABLED] = "crypto suite disabled",
	[SDES_E_KEY_METHOD] = "key method is not inline",
	[SDES_E_BASE64] = "bad base64 key",
	[SDES_E_KEY_LEN] = "key||salt length does not match suite",
	[SDES_E_LIFETIME] = "bad lifetime",
	[SDES_E_LIFETIME_MAX] = "lifetime above suite maximum",
	[SDES_E_MKI] = "bad MKI",
	[SDES_E_MKI_LEN] = "MKI length outside 1..128",
	[SDES_E_MULTI_KEY] = "more than one key",
	[SDES_E_KDR] = "KDR not supported",
	[SDES_E_UNENCRYPTED_SRTP] = "UNENCRYPTED_SRTP refused",
	[SDES_E_UNENCRYPTED_SRTCP] = "UNENCRYPTED_SRTCP refused",
	[SDES_E_UNAUTHENTICATED_SRTP] = "UNAUTHENTICATED_SRTP refused",
	[SDES_E_FEC] = "FEC_ORDER/FEC_KEY refused",
	[SDES_E_WSH] = "bad WSH",
	[SDES_E_UNKNOWN_PARAM] = "unknown mandatory session parameter",
	[SDES_E_DUP_PARAM] = "repeated session parameter",
	[SDES_E_TOO_LONG] = "line too long",
	[SDES_E_ARG] = "invalid argument",
};

const char *
sdes_reason_str(enum sdes_reason r)
{
	if ((unsigned int)r >= SDES_REASON_COUNT)
		return "?";
	return reason_str[r];
}

void
sdes_crypto_clear(struct sdes_crypto *c)
{
	if (c != NULL)
		OPENSSL_cleanse(c, sizeof(*c));
}

/* Parser cursor over [p, end). */
struct cur {
	const char *base;
	const char *p;
	const char *end;
};

static bool
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Decimal without leading zeros ("0" itself allowed), at most maxd digits,
 * value <= max. Returns 0 or -1.
 */
static int
parse_dec(const char *s, size_t len, size_t maxd, uint64_t max, uint64_t *v)
{
	uint64_t acc = 0;
	size_t i;

	if (len == 0 || len > maxd || (len > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < len; i++) {
		unsigned int d;

		if (!is_digit(s[i]))
			return -1;
		d = (unsigned int)(s[i] - '0');
		if (acc > (UINT64_MAX - d) / 10)
			return -1;
		acc = acc * 10 + d;
	}
	if (acc > max)
		return -1;
	*v = acc;
	return 0;
}

static int
fail(struct sdes_err *err, enum sdes_reason r, const struct cur *c,
		const char *at)
{
	if (err != NULL) {
		err->reason = r;
		err->offset = (size_t)(at - c->base);
		(void)c;
	}
	return r == SDES_E_TOO_LONG ? -E2BIG : -EINVAL;
}

/* Next token up to whitespace; returns its length (0 at end). */
static size_t
next_token(struct cur *c, const char **tok)
{
	const char *s;

	while (c->p < c->end && is_wsp(*c->p))
		c->p++;
	s = c->p;
	while (c->p < c->end && !is_wsp(*c->p))
		c->p++;
	*tok = s;
	return (size_t)(c->p - s);
}

static bool
tok_eq(const char *t, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(t, lit, n) == 0;
}

static bool
tok_prefix(const char *t, size_t n, const char *lit)
{
	size_t l = strlen(lit);

	return n >= l && memcmp(t, lit, l) == 0;
}

/* Lifetime: decimal or 2^n, non-zero, <= 2^max_log2. */
static enum sdes_reason
parse_lifetime(const char *s, size_t n, unsigned int max_log2,
		struct sdes_crypto *out)
{
	uint64_t v;

	if (n > 2 && s[0] == '2' && s[1] == '^') {
		if (parse_dec(s + 2, n - 2, 2, 63, &v) < 0)
			return SDES_E_LIFETIME;
		if (v > max_log2)
			return SDES_E_LIFETIME_MAX;
		out->lifetime = 1ull << v;
		out->lifetime_pow2 = 1;
		return SDES_OK;
	}
	if (parse_dec(s, n, 20, UINT64_MAX, &v) < 0 || v == 0)
		return SDES_E_LIFETIME;
	if (v > (1ull << max_log2))
		return SDES_E_LIFETIME_MAX;
	out->lifetime = v;
	out->lifetime_pow2 = 0;
	return SDES_OK;
}

/* MKI: value ":" length, length 1..128, value fits length bytes. */
static enum sdes_reason
parse_mki(const char *s, size_t n, struct sdes_crypto *out)
{
	const char *colon = memchr(s, ':', n);
	uint64_t val, len;

	if (colon == NULL)
		return SDES_E_MKI;
	if (parse_dec(s, (size_t)(colon - s), 20, UINT64_MAX, &val) < 0)
		return SDES_E_MKI;
	if (parse_dec(colon + 1, n - (size_t)(colon + 1 - s), 3, 999, &len) < 0)
		return SDES_E_MKI;
	if (len < 1 || len > SDES_MKI_LEN_MAX)
		return SDES_E_MKI_LEN;
	if (len < 8 && val >> (8 * len) != 0)
		return SDES_E_MKI;
	out->mki_value = val;
	out->mki_len = (uint16_t)len;
	return SDES_OK;
}

/* "inline:" key-info, one key only. */
static int
parse_key_param(struct cur *c, const char *t, size_t n,
		const struct sec_suite *su, struct sdes_crypto *out,
		struct sdes_err *err)
{
	const char *end = t + n, *bar, *k;
	uint8_t buf[64];
	size_t want = (size_t)su->master_key_len + su->master_salt_len;
	int dl;

	if (memchr(t, ';', n) != NULL)
		return fail(err, SDES_E_MULTI_KEY, c, memchr(t, ';', n));
	if (!tok_prefix(t, n, "inline:"))
		return fail(err, SDES_E_KEY_METHOD, c, t);
	k = t + 7;
	bar = memchr(k, '|', (size_t)(end - k));
	dl = sdes_b64_decode(k, (size_t)((bar ? bar : end) - k), buf,
			sizeof(buf));
	if (dl == -ENOSPC) {
		OPENSSL_cleanse(buf, sizeof(buf));
		return fail(err, SDES_E_KEY_LEN, c, k);
	}
	if (dl < 0) {
		OPENSSL_cleanse(buf, sizeof(buf));
		return fail(err, SDES_E_BASE64, c, k);
	}
	if ((size_t)dl != want) {
		OPENSSL_cleanse(buf, sizeof(buf));
		return fail(err, SDES_E_KEY_LEN, c, k);
	}
	memcpy(out->key, buf, su->master_key_len);
	memcpy(out->salt, buf + su->master_key_len, su->master_salt_len);
	OPENSSL_cleanse(buf, sizeof(buf));

	/* Up to two '|' fields: [lifetime] then [mki]; MKI has a ':'. */
	while (bar != NULL) {
		const char *f = bar + 1, *fe;
		enum sdes_reason r;

		bar = memchr(f, '|', (size_t)(end - f));
		fe = bar ? bar : end;
		if (memchr(f, ':', (size_t)(fe - f)) != NULL) {
			if (out->mki_len != 0)
				return fail(err, SDES_E_MKI, c, f);
			r = parse_mki(f, (size_t)(fe - f), out);
		} else {
			/* lifetime must come before the MKI, and only once */
			if (out->lifetime != 0 || out->mki_len != 0)
				return fail(err, SDES_E_LIFETIME, c, f);
			r = parse_lifetime(f, (size_t)(fe - f),
					su->srtp_lifetime_log2, out);
		}
		if (r != SDES_OK)
			return fail(err, r, c, f);
	}
	return 0;
}

static int
parse_session_param(struct cur *c, const char *t, size_t n,
		struct sdes_crypto *out, struct sdes_err *err)
{
	uint64_t v;

	if (tok_prefix(t, n, "KDR=") || tok_eq(t, n, "KDR"))
		return fail(err, SDES_E_KDR, c, t);
	if (tok_eq(t, n, "UNENCRYPTED_SRTP"))
		return fail(err, SDES_E_UNENCRYPTED_SRTP, c, t);
	if (tok_eq(t, n, "UNENCRYPTED_SRTCP"))
		return fail(err, SDES_E_UNENCRYPTED_SRTCP, c, t);
	if (tok_eq(t, n, "UNAUTHENTICATED_SRTP"))
		return fail(err, SDES_E_UNAUTHENTICATED_SRTP, c, t);
	if (tok_prefix(t, n, "FEC_ORDER=") || tok_prefix(t, n, "FEC_KEY="))
		return fail(err, SDES_E_FEC, c, t);
	if (tok_prefix(t, n, "WSH=")) {
		if (out->wsh != 0)
			return fail(err, SDES_E_DUP_PARAM, c, t);
		if (parse_dec(t + 4, n - 4, 10, UINT32_MAX, &v) < 0 || v < 64)
			return fail(err, SDES_E_WSH, c, t);
		out->wsh = (uint32_t)v;
		return 0;
	}
	/* RFC 4568 §6.3: unknown parameters starting with '-' are optional */
	if (t[0] == '-')
		return 0;
	return fail(err, SDES_E_UNKNOWN_PARAM, c, t);
}

static int
parse_line(const char *s, size_t len, uint32_t suite_mask, bool allow_choose,
		struct sdes_crypto *out, struct sdes_err *err)
{
	struct cur c;
	const struct sec_suite *su;
	const char *t;
	size_t n;
	uint64_t v;
	int rc = 0;

	if (err != NULL) {
		err->reason = SDES_OK;
		err->offset = 0;
	}
	if (s == NULL || out == NULL) {
		if (err != NULL)
			err->reason = SDES_E_ARG;
		return -EINVAL;
	}
	memset(out, 0, sizeof(*out));
	c.base = s;
	c.p = s;
	if (len > SDES_INPUT_MAX) {
		c.end = s + len;
		return fail(err, SDES_E_TOO_LONG, &c, s + SDES_INPUT_MAX);
	}
	while (len > 0 && (s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	c.end = s + len;
	if (len >= 9 && memcmp(s, "a=crypto:", 9) == 0)
		c.p += 9;
	else if (len >= 7 && memcmp(s, "crypto:", 7) == 0)
		c.p += 7;

	/* tag: 1*9DIGIT, directly after the colon */
	if (c.p < c.end && is_wsp(*c.p))
		return fail(err, SDES_E_TAG, &c, c.p);
	n = next_token(&c, &t);
	if (n == 0)
		return fail(err, SDES_E_SYNTAX, &c, t);
	if (n > 9 || parse_dec(t, n, 9, 999999999, &v) < 0) {
		/* leading zeros are legal in a tag (1*9DIGIT) */
		size_t i;

		for (i = 0; i < n && is_digit(t[i]); i++)
			;
		if (i != n || n > 9)
			return fail(err, SDES_E_TAG, &c, t);
		for (v = 0, i = 0; i < n; i++)
			v = v * 10 + (uint64_t)(t[i] - '0');
	}
	out->tag = (uint32_t)v;

	n = next_token(&c, &t);
	if (n == 0)
		return fail(err, SDES_E_SYNTAX, &c, t);
	su = sec_suite_by_name(t, n);
	if (su == NULL)
		return fail(err, SDES_E_SUITE_UNKNOWN, &c, t);
	if (!(suite_mask & (1u << su->id)))
		return fail(err, SDES_E_SUITE_DISABLED, &c, t);
	out->suite = su->id;

	n = next_token(&c, &t);
	if (n == 0)
		return fail(err, SDES_E_SYNTAX, &c, t);
	/* H.248 underspecified key-params: the gateway chooses the key. */
	if (allow_choose && (tok_eq(t, n, "$") ||
				(n == 8 && strncasecmp(t, "inline:$", 8) == 0)))
		out->choose = 1;
	else
		rc = parse_key_param(&c, t, n, su, out, err);
	if (rc < 0)
		goto bad;

	for (;;) {
		n = next_token(&c, &t);
		if (n == 0)
			break;
		rc = parse_session_param(&c, t, n, out, err);
		if (rc < 0)
			goto bad;
	}
	return 0;
bad:
	sdes_crypto_clear(out);
	return rc;
}

int
sdes_parse(const char *s, size_t len, uint32_t suite_mask,
		struct sdes_crypto *out, struct sdes_err *err)
{
	return parse_line(s, len, suite_mask, false, out, err);
}

int
sdes_parse_choose(const char *s, size_t len, uint32_t suite_mask,
		struct sdes_crypto *out, struct sdes_err *err)
{
	return parse_line(s, len, suite_mask, true, out, err);
}

int
sdes_format(const struct sdes_crypto *c, char *buf, size_t size)
{
	const struct sec_suite *su;
	uint8_t ks[SEC_MASTER_KEY_MAX + SEC_MASTER_SALT_MAX];
	char b64[72];
	size_t kl;
	int n, w;

	if (c == NULL || buf == NULL || c->tag > 999999999)
		return -EINVAL;
	su = sec_suite_get(c->suite);
	if (su == NULL || c->mki_len > SDES_MKI_LEN_MAX ||
			(c->wsh != 0 && c->wsh < 64))
		return -EINVAL;
	kl = (size_t)su->master_key_len + su->master_salt_len;
	memcpy(ks, c->key, su->master_key_len);
	memcpy(ks + su->master_key_len, c->salt, su->master_salt_len);
	w = sdes_b64_encode(ks, kl, b64, sizeof(b64));
	OPENSSL_cleanse(ks, sizeof(ks));
	if (w < 0)
		return -EINVAL;
	n = snprintf(buf, size, "%u %s inline:%s", c->tag, su->name, b64);
	OPENSSL_cleanse(b64, sizeof(b64));
	if (n < 0 || (size_t)n >= size)
		goto nospc;
	if (c->lifetime != 0) {
		if (c->lifetime_pow2 && (c->lifetime & (c->lifetime - 1)) == 0)
			w = snprintf(buf + n, size - (size_t)n, "|2^%d",
					__builtin_ctzll(c->lifetime));
		else
			w = snprintf(buf + n, size - (size_t)n, "|%llu",
					(unsigned long long)c->lifetime);
		if (w < 0 || (size_t)w >= size - (size_t)n)
			goto nospc;
		n += w;
	}
	if (c->mki_len != 0) {
		w = snprintf(buf + n, size - (size_t)n, "|%llu:%u",
				(unsigned long long)c->mki_value, c->mki_len);
		if (w < 0 || (size_t)w >= size - (size_t)n)
			goto nospc;
		n += w;
	}
	if (c->wsh != 0) {
		w = snprintf(buf + n, size - (size_t)n, " WSH=%u", c->wsh);
		if (w < 0 || (size_t)w >= size - (size_t)n)
			goto nospc;
		n += w;
	}
	return n;
nospc:
	OPENSSL_cleanse(buf, size);
	return -ENOSPC;
}

int
sdes_generate(enum sec_suite_id suite, const struct sdes_crypto *avoid,
		struct sdes_crypto *out)
{
	const struct sec_suite *su = sec_suite_get(suite);
	/* Key and salt in one draw of whole AES blocks: OpenSSL's CTR-DRBG
	 * makes a request's last partial block in a scratch block of its own
	 * context and leaves it there, so a 14-byte salt drawn alone stayed
	 * in the heap after the call was gone (test_key_hygiene found it). */
	uint8_t ks[SEC_MASTER_KEY_MAX + SEC_MASTER_SALT_MAX + 16];
	size_t n;
	int tries, rc = -EIO;

	if (su == NULL || out == NULL)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->tag = 1;
	out->suite = suite;
	n = ((size_t)su->master_key_len + su->master_salt_len + 15) & ~(size_t)15;
	for (tries = 0; tries < 4; tries++) {
		if (RAND_bytes(ks, (int)n) != 1)
			break;
		memcpy(out->key, ks, su->master_key_len);
		memcpy(out->salt, ks + su->master_key_len, su->master_salt_len);
		/* RFC 4568 §6.1: never answer with the offerer's key. */
		if (avoid == NULL || CRYPTO_memcmp(avoid->key, out->key,
					su->master_key_len) != 0) {
			rc = 0;
			break;
		}
	}
	OPENSSL_cleanse(ks, sizeof(ks));
	if (rc < 0)
		sdes_crypto_clear(out);
	return rc;
}
