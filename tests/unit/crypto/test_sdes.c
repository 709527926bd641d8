/* SPDX-License-Identifier: BSD-3-Clause */
/* SDES a=crypto codec: every accept/reject rule of SPEC.md §1.8/§5.6. */
#include <errno.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "sec.h"

static const uint8_t t2_key[16] = {
	0xE1, 0xF9, 0x7A, 0x0D, 0x3E, 0x01, 0x8B, 0xE0,
	0xD6, 0x4F, 0xA3, 0x2C, 0x06, 0xDE, 0x41, 0x39,
};
static const uint8_t t2_salt[14] = {
	0x0E, 0xC6, 0x75, 0xAD, 0x49, 0x8A, 0xFE, 0xEB,
	0xB6, 0x96, 0x0B, 0x3A, 0xAB, 0xE6,
};
#define T2_B64 "4fl6DT4Bi+DWT6MsBt5BOQ7Gda1Jiv7rtpYLOqvm"

static enum sdes_reason
reason_of(const char *line)
{
	struct sdes_crypto c;
	struct sdes_err e;
	int rc = sdes_parse(line, strlen(line), SEC_SUITE_MASK_ALL, &c, &e);

	if (rc == 0)
		return SDES_OK;
	CU_ASSERT(rc == -EINVAL || rc == -E2BIG);
	return e.reason;
}

static void
test_parse_basic(void)
{
	struct sdes_crypto c;
	struct sdes_err e;
	const char *l = "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
		"\r\n";

	CU_ASSERT_EQUAL_FATAL(sdes_parse(l, strlen(l), SEC_SUITE_MASK_ALL,
				&c, &e), 0);
	CU_ASSERT_EQUAL(c.tag, 1);
	CU_ASSERT_EQUAL(c.suite, SEC_SUITE_AES_CM_128_HMAC_SHA1_80);
	CU_ASSERT(memcmp(c.key, t2_key, 16) == 0);
	CU_ASSERT(memcmp(c.salt, t2_salt, 14) == 0);
	CU_ASSERT_EQUAL(c.lifetime, 0);
	CU_ASSERT_EQUAL(c.mki_len, 0);
	/* without prefix, tabs as WSP, tag with 9 digits */
	l = "123456789\tAES_CM_128_HMAC_SHA1_32  inline:" T2_B64;
	CU_ASSERT_EQUAL(sdes_parse(l, strlen(l), SEC_SUITE_MASK_ALL, &c, &e),
			0);
	CU_ASSERT_EQUAL(c.tag, 123456789);
	CU_ASSERT_EQUAL(c.suite, SEC_SUITE_AES_CM_128_HMAC_SHA1_32);
	sdes_crypto_clear(&c);
	CU_ASSERT_EQUAL(c.key[0], 0);
}

static void
test_suites_and_lengths(void)
{
	static const struct {
		const char *suite;
		enum sec_suite_id id;
		size_t kl;
		size_t b64;
	} t[] = {
		{ "AES_CM_128_HMAC_SHA1_80", SEC_SUITE_AES_CM_128_HMAC_SHA1_80, 30, 40 },
		{ "AES_CM_128_HMAC_SHA1_32", SEC_SUITE_AES_CM_128_HMAC_SHA1_32, 30, 40 },
		{ "AEAD_AES_128_GCM", SEC_SUITE_AEAD_AES_128_GCM, 28, 40 },
		{ "AEAD_AES_256_GCM", SEC_SUITE_AEAD_AES_256_GCM, 44, 60 },
		{ "AES_256_CM_HMAC_SHA1_80", SEC_SUITE_AES_256_CM_HMAC_SHA1_80, 46, 64 },
		{ "AES_CM_256_HMAC_SHA1_80", SEC_SUITE_AES_256_CM_HMAC_SHA1_80, 46, 64 },
		{ "AES_256_CM_HMAC_SHA1_32", SEC_SUITE_AES_256_CM_HMAC_SHA1_32, 46, 64 },
		{ "AES_CM_256_HMAC_SHA1_32", SEC_SUITE_AES_256_CM_HMAC_SHA1_32, 46, 64 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint8_t ks[64];
		char b64[100], line[200];
		struct sdes_crypto c;
		struct sdes_err e;
		int n;

		memset(ks, 0x5a, sizeof(ks));
		ks[0] = (uint8_t)i;
		n = sdes_b64_encode(ks, t[i].kl, b64, sizeof(b64));
		CU_ASSERT_EQUAL(n, (int)t[i].b64);
		snprintf(line, sizeof(line), "7 %s inline:%s", t[i].suite, b64);
		CU_ASSERT_EQUAL(sdes_parse(line, strlen(line),
					SEC_SUITE_MASK_ALL, &c, &e), 0);
		CU_ASSERT_EQUAL(c.suite, t[i].id);
		CU_ASSERT_EQUAL(c.key[0], i);
		/* one byte short and one byte long: KEY_LEN */
		sdes_b64_encode(ks, t[i].kl - 1, b64, sizeof(b64));
		snprintf(line, sizeof(line), "7 %s inline:%s", t[i].suite, b64);
		CU_ASSERT_EQUAL(reason_of(line), SDES_E_KEY_LEN);
		sdes_b64_encode(ks, t[i].kl + 1, b64, sizeof(b64));
		snprintf(line, sizeof(line), "7 %s inline:%s", t[i].suite, b64);
		CU_ASSERT_EQUAL(reason_of(line), SDES_E_KEY_LEN);
		/* padding discarded: strip '=' and still accepted */
		sdes_b64_encode(ks, t[i].kl, b64, sizeof(b64));
		while (b64[strlen(b64) - 1] == '=')
			b64[strlen(b64) - 1] = '\0';
		snprintf(line, sizeof(line), "7 %s inline:%s", t[i].suite, b64);
		CU_ASSERT_EQUAL(reason_of(line), SDES_OK);
	}
	/* GCM-128 is 40 chars ending "==", GCM-256 60 ending "=" (SPEC §5.6) */
	{
		uint8_t z[44] = { 0 };
		char b[80];

		sdes_b64_encode(z, 28, b, sizeof(b));
		CU_ASSERT(strlen(b) == 40 && strcmp(b + 38, "==") == 0);
		sdes_b64_encode(z, 44, b, sizeof(b));
		CU_ASSERT(strlen(b) == 60 && b[59] == '=' && b[58] != '=');
	}
}

static void
test_rejects(void)
{
	CU_ASSERT_EQUAL(reason_of(""), SDES_E_SYNTAX);
	CU_ASSERT_EQUAL(reason_of("1"), SDES_E_SYNTAX);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80"), SDES_E_SYNTAX);
	CU_ASSERT_EQUAL(reason_of("x AES_CM_128_HMAC_SHA1_80 inline:" T2_B64),
			SDES_E_TAG);
	CU_ASSERT_EQUAL(reason_of("1234567890 AES_CM_128_HMAC_SHA1_80 inline:"
				T2_B64), SDES_E_TAG);
	CU_ASSERT_EQUAL(reason_of("a=crypto: 1 AES_CM_128_HMAC_SHA1_80 inline:"
				T2_B64), SDES_E_TAG);
	CU_ASSERT_EQUAL(reason_of("1 F8_128_HMAC_SHA1_80 inline:" T2_B64),
			SDES_E_SUITE_UNKNOWN);
	CU_ASSERT_EQUAL(reason_of("1 aes_cm_128_hmac_sha1_80 inline:" T2_B64),
			SDES_E_SUITE_UNKNOWN);
	CU_ASSERT_EQUAL(reason_of("1 AES_192_CM_HMAC_SHA1_80 inline:" T2_B64),
			SDES_E_SUITE_UNKNOWN);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 uri:" T2_B64),
			SDES_E_KEY_METHOD);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:4fl6DT4B!+DWT6MsBt5BOQ7Gda1Jiv7rtpYLOqvm"),
			SDES_E_BASE64);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				";inline:" T2_B64), SDES_E_MULTI_KEY);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				"|2^20|1:4;inline:" T2_B64 "|2^20|2:4"),
			SDES_E_MULTI_KEY);
	/* session parameters */
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				" KDR=10"), SDES_E_KDR);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				" KDR=0"), SDES_E_KDR);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				" UNENCRYPTED_SRTP"), SDES_E_UNENCRYPTED_SRTP);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				" UNENCRYPTED_SRTCP"), SDES_E_UNENCRYPTED_SRTCP);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				" UNAUTHENTICATED_SRTP"),
			SDES_E_UNAUTHENTICATED_SRTP);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				" FEC_ORDER=FEC_SRTP"), SDES_E_FEC);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				" FEC_KEY=inline:" T2_B64), SDES_E_FEC);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				" WSH=63"), SDES_E_WSH);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				" WSH=064"), SDES_E_WSH);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				" WSH=64 WSH=128"), SDES_E_DUP_PARAM);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				" FOO=1"), SDES_E_UNKNOWN_PARAM);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				" -FOO=1"), SDES_OK);
	{
		char big[1100];

		memset(big, ' ', sizeof(big));
		memcpy(big, "1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64, 73);
		big[sizeof(big) - 1] = '\0';
		CU_ASSERT_EQUAL(reason_of(big), SDES_E_TOO_LONG);
	}
}

static void
test_lifetime_mki_wsh(void)
{
	struct sdes_crypto c;
	struct sdes_err e;
	const char *l;

	l = "1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64 "|2^20|1:4 WSH=256";
	CU_ASSERT_EQUAL_FATAL(sdes_parse(l, strlen(l), SEC_SUITE_MASK_ALL, &c,
				&e), 0);
	CU_ASSERT_EQUAL(c.lifetime, 1ull << 20);
	CU_ASSERT_EQUAL(c.lifetime_pow2, 1);
	CU_ASSERT_EQUAL(c.mki_value, 1);
	CU_ASSERT_EQUAL(c.mki_len, 4);
	CU_ASSERT_EQUAL(c.wsh, 256);
	l = "1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64 "|1048576";
	CU_ASSERT_EQUAL(sdes_parse(l, strlen(l), SEC_SUITE_MASK_ALL, &c, &e), 0);
	CU_ASSERT_EQUAL(c.lifetime, 1048576);
	CU_ASSERT_EQUAL(c.lifetime_pow2, 0);
	l = "1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64 "|255:1";
	CU_ASSERT_EQUAL(sdes_parse(l, strlen(l), SEC_SUITE_MASK_ALL, &c, &e), 0);
	CU_ASSERT_EQUAL(c.mki_value, 255);
	CU_ASSERT_EQUAL(c.mki_len, 1);
	CU_ASSERT_EQUAL(c.lifetime, 0);
	/* ceiling: 2^48 accepted, above rejected (SRTP max) */
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				"|2^48"), SDES_OK);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				"|2^49"), SDES_E_LIFETIME_MAX);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				"|281474976710657"), SDES_E_LIFETIME_MAX);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				"|0"), SDES_E_LIFETIME);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				"|0100"), SDES_E_LIFETIME);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				"|2^"), SDES_E_LIFETIME);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				"|2^x"), SDES_E_LIFETIME);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				"|1:4|2^20"), SDES_E_LIFETIME);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				"|2^20|2^20"), SDES_E_LIFETIME);
	/* MKI */
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				"|1:0"), SDES_E_MKI_LEN);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				"|1:129"), SDES_E_MKI_LEN);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				"|1:128"), SDES_OK);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				"|256:1"), SDES_E_MKI);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				"|01:1"), SDES_E_MKI);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				"|:1"), SDES_E_MKI);
	CU_ASSERT_EQUAL(reason_of("1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
				"|1:2|1:2"), SDES_E_MKI);
}

static void
test_disabled_and_offset(void)
{
	struct sdes_crypto c;
	struct sdes_err e;
	const char *l = "a=crypto:2 AEAD_AES_128_GCM inline:"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
	uint32_t mask = SEC_SUITE_MASK_ALL &
		~(1u << SEC_SUITE_AEAD_AES_128_GCM);

	CU_ASSERT_EQUAL(sdes_parse(l, strlen(l), mask, &c, &e), -EINVAL);
	CU_ASSERT_EQUAL(e.reason, SDES_E_SUITE_DISABLED);
	CU_ASSERT_EQUAL(e.offset, 11);
	CU_ASSERT_EQUAL(sdes_parse(l, strlen(l), SEC_SUITE_MASK_ALL, &c, &e),
			0);
	CU_ASSERT_STRING_EQUAL(sdes_reason_str(SDES_E_SUITE_DISABLED),
			"crypto suite disabled");
}

static void
test_format_roundtrip(void)
{
	struct sdes_crypto c, d;
	struct sdes_err e;
	char buf[SDES_LINE_MAX];
	int n;

	memset(&c, 0, sizeof(c));
	c.tag = 1;
	c.suite = SEC_SUITE_AES_CM_128_HMAC_SHA1_80;
	memcpy(c.key, t2_key, 16);
	memcpy(c.salt, t2_salt, 14);
	n = sdes_format(&c, buf, sizeof(buf));
	CU_ASSERT_EQUAL(n, (int)strlen("1 AES_CM_128_HMAC_SHA1_80 inline:"
				T2_B64));
	CU_ASSERT_STRING_EQUAL(buf, "1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64);
	c.lifetime = 1ull << 31;
	c.lifetime_pow2 = 1;
	c.mki_value = 5;
	c.mki_len = 2;
	c.wsh = 128;
	n = sdes_format(&c, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "1 AES_CM_128_HMAC_SHA1_80 inline:" T2_B64
			"|2^31|5:2 WSH=128");
	CU_ASSERT_EQUAL(sdes_parse(buf, (size_t)n, SEC_SUITE_MASK_ALL, &d, &e),
			0);
	CU_ASSERT(memcmp(&c, &d, sizeof(c)) == 0);
	CU_ASSERT_EQUAL(sdes_format(&c, buf, 20), -ENOSPC);
	/* AES_256 formats with the RFC 6188 name */
	memset(&c, 0, sizeof(c));
	c.tag = 3;
	c.suite = SEC_SUITE_AES_256_CM_HMAC_SHA1_80;
	n = sdes_format(&c, buf, sizeof(buf));
	CU_ASSERT(n > 0 && strncmp(buf, "3 AES_256_CM_HMAC_SHA1_80 inline:",
				33) == 0);
	CU_ASSERT_EQUAL(strlen(buf + 33), 64);
}

static void
test_generate(void)
{
	struct sdes_crypto rx, a, b;
	unsigned int i;

	memset(&rx, 0, sizeof(rx));
	rx.suite = SEC_SUITE_AES_CM_128_HMAC_SHA1_80;
	memcpy(rx.key, t2_key, 16);
	for (i = 0; i < SEC_SUITE_COUNT; i++) {
		const struct sec_suite *su = sec_suite_get((enum sec_suite_id)i);

		CU_ASSERT_EQUAL(sdes_generate((enum sec_suite_id)i, &rx, &a), 0);
		CU_ASSERT_EQUAL(sdes_generate((enum sec_suite_id)i, NULL, &b), 0);
		CU_ASSERT_EQUAL(a.suite, i);
		CU_ASSERT(memcmp(a.key, b.key, su->master_key_len) != 0);
		CU_ASSERT(memcmp(a.key, rx.key, su->master_key_len) != 0);
		CU_ASSERT_EQUAL(a.mki_len, 0);
		CU_ASSERT_EQUAL(a.lifetime, 0);
	}
	CU_ASSERT_EQUAL(sdes_generate(SEC_SUITE_COUNT, NULL, &a), -EINVAL);
}

static void
test_suite_table(void)
{
	const struct sec_suite *s;

	s = sec_suite_by_name("AES_CM_256_HMAC_SHA1_32", 23);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->id, SEC_SUITE_AES_256_CM_HMAC_SHA1_32);
	CU_ASSERT_EQUAL(s->srtp_tag_len, 4);
	CU_ASSERT_EQUAL(s->srtcp_tag_len, 10);
	s = sec_suite_get(SEC_SUITE_AEAD_AES_256_GCM);
	CU_ASSERT_EQUAL(s->master_key_len, 32);
	CU_ASSERT_EQUAL(s->master_salt_len, 12);
	CU_ASSERT_EQUAL(s->srtcp_tag_len, 16);
	CU_ASSERT_PTR_NULL(sec_suite_get(SEC_SUITE_COUNT));
	CU_ASSERT_PTR_NULL(sec_suite_by_name("AES_CM_128_HMAC_SHA1_8", 22));
}

/* The H.248 underspecified form (SPEC.md §3.4): only sdes_parse_choose()
 * takes it; complete lines parse the same with both. */
static void
test_choose(void)
{
	struct sdes_crypto c;
	struct sdes_err e;
	const char *l1 = "4 AES_CM_128_HMAC_SHA1_80 inline:$";
	const char *l2 = "5 AEAD_AES_256_GCM $ WSH=128";
	const char *l3 = "6 AES_CM_128_HMAC_SHA1_80 INLINE:$";
	const char *full = "1 AES_CM_128_HMAC_SHA1_80 inline:EBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywt";
	unsigned int i;

	CU_ASSERT_EQUAL(sdes_parse(l1, strlen(l1), SEC_SUITE_MASK_ALL, &c, &e), -EINVAL);
	CU_ASSERT_EQUAL(e.reason, SDES_E_BASE64);
	CU_ASSERT_EQUAL(sdes_parse_choose(l1, strlen(l1), SEC_SUITE_MASK_ALL, &c, &e), 0);
	CU_ASSERT_EQUAL(c.choose, 1);
	CU_ASSERT_EQUAL(c.tag, 4);
	CU_ASSERT_EQUAL(c.suite, SEC_SUITE_AES_CM_128_HMAC_SHA1_80);
	for (i = 0; i < sizeof(c.key); i++)
		CU_ASSERT_EQUAL(c.key[i], 0);
	CU_ASSERT_EQUAL(sdes_parse_choose(l2, strlen(l2), SEC_SUITE_MASK_ALL, &c, &e), 0);
	CU_ASSERT_EQUAL(c.choose, 1);
	CU_ASSERT_EQUAL(c.suite, SEC_SUITE_AEAD_AES_256_GCM);
	CU_ASSERT_EQUAL(c.wsh, 128);
	CU_ASSERT_EQUAL(sdes_parse_choose(l3, strlen(l3), SEC_SUITE_MASK_ALL, &c, &e), 0);
	CU_ASSERT_EQUAL(c.choose, 1);
	/* The mask and the policy still apply to a CHOOSE line. */
	CU_ASSERT_EQUAL(sdes_parse_choose(l1, strlen(l1), 1u << SEC_SUITE_AEAD_AES_128_GCM, &c, &e),
			-EINVAL);
	CU_ASSERT_EQUAL(e.reason, SDES_E_SUITE_DISABLED);
	CU_ASSERT_EQUAL(sdes_parse_choose("7 AES_CM_128_HMAC_SHA1_80 inline:$ KDR=1", 40,
					  SEC_SUITE_MASK_ALL, &c, &e), -EINVAL);
	CU_ASSERT_EQUAL(e.reason, SDES_E_KDR);
	CU_ASSERT_EQUAL(sdes_parse_choose(full, strlen(full), SEC_SUITE_MASK_ALL, &c, &e), 0);
	CU_ASSERT_EQUAL(c.choose, 0);
	CU_ASSERT_EQUAL(c.key[0], 0x10);
	CU_ASSERT_EQUAL(c.salt[13], 0x2d);
	sdes_crypto_clear(&c);
}

int
main(void)
{
	CU_pSuite s;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("sdes", NULL, NULL);
	CU_add_test(s, "parse basic", test_parse_basic);
	CU_add_test(s, "suites and key lengths", test_suites_and_lengths);
	CU_add_test(s, "rejections", test_rejects);
	CU_add_test(s, "lifetime mki wsh", test_lifetime_mki_wsh);
	CU_add_test(s, "disabled suite, offset", test_disabled_and_offset);
	CU_add_test(s, "format roundtrip", test_format_roundtrip);
	CU_add_test(s, "generate", test_generate);
	CU_add_test(s, "CHOOSE form", test_choose);
	CU_add_test(s, "suite table", test_suite_table);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	{
		unsigned int f = CU_get_number_of_failures();

		CU_cleanup_registry();
		return f ? 1 : 0;
	}
}
