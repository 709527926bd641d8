/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Known-answer vectors (SPEC.md §5.7), run by every engine before it is
 * registered; an engine that fails one is refused. Vectors are data. They
 * run against the engine's ops directly (as libsrtp tests a cipher type,
 * not a session): sessions from sec_sess.c, packets through ops->burst on
 * a per-lcore state of the engine's own, never the public API, which
 * knows only registered engines.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <rte_lcore.h>

#include "sec_priv.h"
#include "sec_test.h"

#ifdef SEC_TEST_HOOKS
uint64_t sec_test_tag_compares;
void (*sec_test_kat_hook)(const struct sec_eng_ops *ops, uint8_t *expect,
		size_t len);
#endif

struct kat {
	const char *name;
	enum sec_suite_id suite;
	bool rtcp;
	bool raw;          /* keys are session keys (RFC 7714 vectors) */
	bool protect;      /* also check protect (fresh stream state) */
	uint32_t flags;
	const char *key;   /* hex: master key, or session key when raw */
	const char *salt;  /* hex: master salt, or session salt when raw */
	const char *plain; /* hex */
	const char *prot;  /* hex */
};

#define T2_KEY "E1F97A0D3E018BE0D64FA32C06DE4139"
#define T2_SALT "0EC675AD498AFEEBB6960B3AABE6"
#define T5_SALT "517569642070726f2071756f"
#define T5_K128 "000102030405060708090a0b0c0d0e0f"
#define T5_K256 "000102030405060708090a0b0c0d0e0f" \
	"101112131415161718191a1b1c1d1e1f"
#define T5_PLAIN "8040f17b8041f8d35501a0b2" \
	"47616c6c696120657374206f6d6e69732064697669736120696e20706172746573" \
	"2074726573"
#define T6_PLAIN "81c8000d4d617273" \
	"4e5450314e545032525450200000042a0000e9304c756e61deadbeefdeadbeef" \
	"deadbeefdeadbeefdeadbeef"

static const struct kat kats[] = {
	{ "RFC3711-B/libsrtp SRTP AES_CM_128_HMAC_SHA1_80",
	  SEC_SUITE_AES_CM_128_HMAC_SHA1_80, false, false, true, 0,
	  T2_KEY, T2_SALT,
	  "800f1234decafbadcafebabeabababababababababababababababab",
	  "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402"
	  "b78d6acc99ea179b8dbb" },
	{ "SRTP AES_CM_128_HMAC_SHA1_32",
	  SEC_SUITE_AES_CM_128_HMAC_SHA1_32, false, false, true, 0,
	  T2_KEY, T2_SALT,
	  "800f1234decafbadcafebabeabababababababababababababababab",
	  "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402"
	  "b78d6acc" },
	{ "libsrtp SRTCP AES_CM_128_HMAC_SHA1_80 (index 1)",
	  SEC_SUITE_AES_CM_128_HMAC_SHA1_80, true, false, true, 0,
	  T2_KEY, T2_SALT,
	  "81c8000bcafebabeabababababababababababababababab",
	  "81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001"
	  "993e08cd54d6c1230798" },
	{ "SRTCP AES_CM_128_HMAC_SHA1_32 (80-bit SRTCP tag)",
	  SEC_SUITE_AES_CM_128_HMAC_SHA1_32, true, false, true, 0,
	  T2_KEY, T2_SALT,
	  "81c8000bcafebabeabababababababababababababababab",
	  "81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001"
	  "993e08cd54d6c1230798" },
	{ "RFC7714 16.1 SRTP AEAD_AES_128_GCM",
	  SEC_SUITE_AEAD_AES_128_GCM, false, true, true, 0,
	  T5_K128, T5_SALT, T5_PLAIN,
	  "8040f17b8041f8d35501a0b2"
	  "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b"
	  "36de3adf8833899d7f27beb16a9152cf765ee4390cce" },
	{ "RFC7714 16.2 SRTP AEAD_AES_256_GCM",
	  SEC_SUITE_AEAD_AES_256_GCM, false, true, true, 0,
	  T5_K256, T5_SALT, T5_PLAIN,
	  "8040f17b8041f8d35501a0b2"
	  "32b1de78a822fe12ef9f78fa332e33aab18012389a58e2f3b50b2a0276ffae0f"
	  "1ba63799b87b7aa3db36dfffd6b0f9bb7878d7a76c13" },
	{ "RFC7714 17.1 SRTCP AEAD_AES_128_GCM",
	  SEC_SUITE_AEAD_AES_128_GCM, true, true, false, 0,
	  T5_K128, T5_SALT, T6_PLAIN,
	  "81c8000d4d617273"
	  "63e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda"
	  "4ce09b4686303ded0bb9275bc84aa45896cf4d2fc5abf87245d9eade800005d4" },
	{ "RFC7714 17.2 SRTCP AEAD_AES_256_GCM",
	  SEC_SUITE_AEAD_AES_256_GCM, true, true, false, 0,
	  T5_K256, T5_SALT, T6_PLAIN,
	  "81c8000d4d617273"
	  "d50ae4d1f5ce5d304ba297e47d470c282c3ece5dbffe0a50a2eaa5c1110555be"
	  "8415f658c61de0476f1b6fad1d1eb30c4446839f57ff6f6cb26ac3be800005d4" },
	{ "RFC7714 17.3 SRTCP AEAD_AES_128_GCM tag-only",
	  SEC_SUITE_AEAD_AES_128_GCM, true, true, false,
	  SEC_F_ACCEPT_UNENCRYPTED_SRTCP, T5_K128, T5_SALT, T6_PLAIN,
	  T6_PLAIN "841dd9683dd78ec92ae58790125f62b3000005d4" },
	{ "RFC7714 17.4 SRTCP AEAD_AES_256_GCM tag-only",
	  SEC_SUITE_AEAD_AES_256_GCM, true, true, false,
	  SEC_F_ACCEPT_UNENCRYPTED_SRTCP, T5_K256, T5_SALT, T6_PLAIN,
	  T6_PLAIN "91db4afbfeee5a978fab4393ed2615fe000005d4" },
#include "sec_kat_master.inc"
};

static int
unhex(const char *h, uint8_t *out, size_t size)
{
	size_t n = strlen(h), i;

	if (n % 2 != 0 || n / 2 > size)
		return -1;
	for (i = 0; i < n / 2; i++) {
		unsigned int v = 0, k;

		for (k = 0; k < 2; k++) {
			char c = h[2 * i + k];

			v <<= 4;
			if (c >= '0' && c <= '9')
				v |= (unsigned int)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v |= (unsigned int)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				v |= (unsigned int)(c - 'A' + 10);
			else
				return -1;
		}
		out[i] = (uint8_t)v;
	}
	return (int)(n / 2);
}

/* Room of the packet buffers: every vector and its tag fit. */
#define KAT_ROOM 256

static struct sec_session *
kat_session(const struct kat *t, const struct sec_eng_ops *ops,
		enum sec_dir dir)
{
	struct sec_session_params p;
	uint8_t key[32], salt[14];
	struct sec_session *s = NULL;
	int err;

	memset(&p, 0, sizeof(p));
	p.dir = dir;
	p.proto = SEC_PROTO_SRTP | SEC_PROTO_SRTCP;
	p.suite = t->suite;
	p.engine = ops->id;
	p.flags = t->flags;
	if (unhex(t->key, key, sizeof(key)) >= 0 &&
			unhex(t->salt, salt, sizeof(salt)) >= 0) {
		p.master_key = key;
		p.master_salt = salt;
		s = sec_sess_build(ops, &p, t->raw ? key : NULL,
				t->raw ? salt : NULL, &err);
	}
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(salt, sizeof(salt));
	return s;
}

/*
 * in (inl bytes) through a new session of t for dir, straight through the
 * engine's burst op: 0 if its status is want and, when want is OK, the
 * output is out (outl bytes). keep non-NULL: the session is left there
 * for another packet instead of freed.
 */
static int
kat_check(struct sec_lcore *lc, const struct kat *t,
		const struct sec_eng_ops *ops, enum sec_dir dir,
		const uint8_t *in, int inl, uint8_t want, const uint8_t *out,
		int outl, struct sec_session **keep)
{
	struct sec_session *s = keep != NULL && *keep != NULL ? *keep :
		kat_session(t, ops, dir);
	uint8_t buf[KAT_ROOM], st = SEC_ST_ERROR;
	struct sec_pkt pk = { .data = buf, .len = (uint32_t)inl,
		.room = sizeof(buf) };
	int rc = -1;

	if (s == NULL)
		return -1;
	memcpy(buf, in, (size_t)inl);
	ops->burst(lc, s, &pk, 1, t->rtcp, &st);
	if (st == want && (want != SEC_ST_OK || (pk.len == (uint32_t)outl &&
				memcmp(buf, out, (size_t)outl) == 0)))
		rc = 0;
	if (keep != NULL)
		*keep = s;
	else
		sec_sess_free(s);
	return rc;
}

static int
kat_one(const struct kat *t, const struct sec_eng_ops *ops,
		struct sec_lcore *lc)
{
	uint8_t plain[KAT_ROOM], prot[KAT_ROOM];
	struct sec_session *s = NULL;
	int pl = unhex(t->plain, plain, sizeof(plain));
	int cl = unhex(t->prot, prot, sizeof(prot));
	int rc;

	if (pl < 0 || cl < 0)
		return -1;
#ifdef SEC_TEST_HOOKS
	if (sec_test_kat_hook != NULL)
		sec_test_kat_hook(ops, prot, (size_t)cl);
#endif
	if (t->protect && kat_check(lc, t, ops, SEC_DIR_PROTECT, plain, pl,
				SEC_ST_OK, prot, cl, NULL) != 0)
		return -1;
	rc = kat_check(lc, t, ops, SEC_DIR_UNPROTECT, prot, cl, SEC_ST_OK,
			plain, pl, &s);
	/* the same packet again is a replay */
	if (rc == 0)
		rc = kat_check(lc, t, ops, SEC_DIR_UNPROTECT, prot, cl,
				SEC_ST_REPLAY, NULL, 0, &s);
	sec_sess_free(s);
	if (rc != 0)
		return rc;
	/* a flipped tag bit fails authentication (fresh stream state) */
	prot[t->rtcp && !t->raw ? cl - 1 : cl - 5] ^= 1;
	return kat_check(lc, t, ops, SEC_DIR_UNPROTECT, prot, cl,
			SEC_ST_AUTH_FAIL, NULL, 0, NULL);
}

int
sec_kat_run(const struct sec_eng_ops *ops, uint32_t suite_mask)
{
	struct sec_lcore lc;
	size_t i;
	int n = 0, rc = 0;

	/* The engine's per-lcore state on a context of the KAT's own: the
	 * registry makes contexts only for registered engines. */
	memset(&lc, 0, sizeof(lc));
	lc.lcore_id = rte_lcore_id();
	if (ops->lcore_init != NULL) {
		rc = ops->lcore_init(lc.lcore_id, &lc.eng[ops->id]);
		if (rc != 0)
			return rc;
	}
	for (i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
		const struct kat *t = &kats[i];

		if (!(suite_mask & (1u << t->suite)))
			continue;
		/* session-key vectors need an engine that takes raw keys */
		if (t->raw && ops->key_init == NULL)
			continue;
		if (kat_one(t, ops, &lc) != 0) {
			SEC_LOG(ERR, "engine %s: KAT '%s' failed", ops->name,
					t->name);
			rc = -EIO;
			break;
		}
		n++;
	}
	if (lc.eng[ops->id] != NULL)
		ops->lcore_fini(lc.eng[ops->id]);
	return rc == 0 && n == 0 ? -ENOENT : rc;
}
