/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 3711 App. B.2/B.3 (KDF and AES-CM keystream) and RFC 6188 §7
 * (AES-256 CM) through the KDF and the openssl engine's transform.
 */
#include <string.h>

#include <CUnit/Basic.h>

#include "sec_test.h"

static const uint8_t mkey[16] = {
	0xE1, 0xF9, 0x7A, 0x0D, 0x3E, 0x01, 0x8B, 0xE0,
	0xD6, 0x4F, 0xA3, 0x2C, 0x06, 0xDE, 0x41, 0x39,
};
static const uint8_t msalt[14] = {
	0x0E, 0xC6, 0x75, 0xAD, 0x49, 0x8A, 0xFE, 0xEB,
	0xB6, 0x96, 0x0B, 0x3A, 0xAB, 0xE6,
};

static void
unhex(const char *h, uint8_t *o)
{
	while (h[0] && h[1]) {
		unsigned int v;

		sscanf(h, "%2x", &v);
		*o++ = (uint8_t)v;
		h += 2;
	}
}

static void
check_label(uint8_t label, const char *hex)
{
	uint8_t exp[94], got[94];
	size_t n = strlen(hex) / 2;

	unhex(hex, exp);
	CU_ASSERT_EQUAL(sec_kdf(SEC_SUITE_AES_CM_128_HMAC_SHA1_80, mkey, msalt,
				label, got, n), 0);
	CU_ASSERT(memcmp(got, exp, n) == 0);
}

static void
test_kdf_rfc3711_b3(void)
{
	check_label(0, "C61E7A93744F39EE10734AFE3FF7A087");
	check_label(2, "30CBBC08863D8C85D49DB34A9AE1");
	check_label(1, "CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCE"
		"E049646C43D9327AD175578EF72270986371C10C9A369AC2F94A8C5FBCDDDC25"
		"6D6E919A48B610EF17C2041E474035766B68642C59BBFC2F34DB60DBDFB2");
	check_label(3, "4C1AA45A81F73D61C800BBB00FBB1EAA");
	check_label(4, "8D54534FEB49AE8E7993A6BD0B844FC323A93DFD");
	check_label(5, "9581C7AD87B3E530BF3E4454A8B3");
	{
		uint8_t o[16];

		CU_ASSERT_EQUAL(sec_kdf(SEC_SUITE_AES_CM_128_HMAC_SHA1_80,
					mkey, msalt, 6, o, 16), -EINVAL);
		CU_ASSERT_EQUAL(sec_kdf(SEC_SUITE_COUNT, mkey, msalt, 0, o, 16),
				-EINVAL);
	}
}

/* Keystream = ciphertext of zeros for SSRC 0, index 0. */
static void
keystream(enum sec_suite_id suite, const uint8_t *ek, const uint8_t *salt,
		uint8_t *out, size_t n)
{
	struct sec_session_params p;
	struct sec_session *s;
	uint8_t buf[512], st[1];
	struct sec_pkt pk;
	int err;

	memset(&p, 0, sizeof(p));
	p.dir = SEC_DIR_PROTECT;
	p.proto = SEC_PROTO_SRTP;
	p.suite = suite;
	p.engine = SEC_ENGINE_OPENSSL;
	s = sec_session_create_raw(&p, ek, salt, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	memset(buf, 0, sizeof(buf));
	buf[0] = 0x80;              /* V=2, SEQ 0, SSRC 0 */
	pk.data = buf;
	pk.len = (uint32_t)(12 + n);
	pk.room = sizeof(buf);
	CU_ASSERT_EQUAL(sec_protect_burst(s, &pk, 1, st), 1);
	memcpy(out, buf + 12, n);
	sec_session_destroy(s);
}

static void
test_aes_cm_b2(void)
{
	uint8_t ek[16], salt[14], ks[16 * 0xff02], exp[16];

	unhex("2B7E151628AED2A6ABF7158809CF4F3C", ek);
	unhex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD", salt);
	keystream(SEC_SUITE_AES_CM_128_HMAC_SHA1_80, ek, salt, ks, 16 * 3);
	unhex("E03EAD0935C95E80E166B16DD92B4EB4", exp);
	CU_ASSERT(memcmp(ks, exp, 16) == 0);
	unhex("D23513162B02D0F72A43A2FE4A5F97AB", exp);
	CU_ASSERT(memcmp(ks + 16, exp, 16) == 0);
	unhex("41E95B3BB0A2E8DD477901E4FCA894C0", exp);
	CU_ASSERT(memcmp(ks + 32, exp, 16) == 0);
	(void)sizeof(ks);
}

static void
test_aes256_cm_rfc6188(void)
{
	uint8_t ek[32], salt[14], ks[32], exp[32];

	unhex("57f82fe3613fd170a85ec93c40b1f0922ec4cb0dc025b58272147cc438944a98",
			ek);
	unhex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD", salt);
	keystream(SEC_SUITE_AES_256_CM_HMAC_SHA1_80, ek, salt, ks, 32);
	unhex("92bdd28a93c3f52511c677d08b5515a49da71b2378a854f67050756ded165bac",
			exp);
	CU_ASSERT(memcmp(ks, exp, 32) == 0);
}

int
main(void)
{
	CU_pSuite s;
	unsigned int f;
	struct sec_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.disable_cryptodev = true;  /* no EAL here */
	cfg.default_engine = SEC_ENGINE_OPENSSL;
	if (sec_init(&cfg) != 0)
		return 1;
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("kdf", NULL, NULL);
	CU_add_test(s, "RFC 3711 B.3 key derivation", test_kdf_rfc3711_b3);
	CU_add_test(s, "RFC 3711 B.2 AES-CM keystream", test_aes_cm_b2);
	CU_add_test(s, "RFC 6188 AES-256 CM keystream", test_aes256_cm_rfc6188);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	f = CU_get_number_of_failures();
	CU_cleanup_registry();
	sec_fini();
	return f ? 1 : 0;
}
