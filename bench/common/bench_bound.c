/* SPDX-License-Identifier: BSD-3-Clause */
/* The raw bound of the benchmarks (see bench_bound.h): cryptodev's
 * CPU-crypto API and intel-ipsec-mb's job API, the faster one. */
/* rte_cryptodev_sym_cpu_crypto_process and the session pool are experimental
 * in DPDK 22.11. */
#define ALLOW_EXPERIMENTAL_API
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cryptodev.h>

#ifdef SEC_HAVE_IPSEC_MB
#include <intel-ipsec-mb.h>
#endif

#include "bench_bound.h"

#define BOUND_BURST 32
#define BOUND_POOL 4096   /* buffers cycled through, beyond the caches */
#define BOUND_ROOM 2048   /* bytes per buffer */

double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
bench_bound_init(struct bench_bound *b, const char *name)
{
	int id = rte_cryptodev_get_dev_id(name);

	memset(b, 0, sizeof(*b));
	if (id < 0)
		return -ENODEV;
	b->cdev = (uint8_t)id;
	b->mp = rte_cryptodev_sym_session_pool_create("bench_bound", 16,
			rte_cryptodev_sym_get_private_session_size(b->cdev), 0, 0, SOCKET_ID_ANY);
	b->mem = aligned_alloc(64, (size_t)BOUND_POOL * BOUND_ROOM);
#ifdef SEC_HAVE_IPSEC_MB
	{
		IMB_ARCH arch = IMB_ARCH_NONE;
		IMB_MGR *m = alloc_mb_mgr(0);

		if (m != NULL) {
			init_mb_mgr_auto(m, &arch);
			if (arch < IMB_ARCH_SSE || imb_get_errno(m) != 0) {
				free_mb_mgr(m);
				m = NULL;
			}
		}
		b->imb = m;
	}
#endif
	if (b->mp == NULL || b->mem == NULL) {
		bench_bound_fini(b);
		return -ENOMEM;
	}
	/* The content does not change the cost of the op (a failed verify
	 * costs what a good one does). */
	memset(b->mem, 0x5a, (size_t)BOUND_POOL * BOUND_ROOM);
	return 0;
}

void
bench_bound_fini(struct bench_bound *b)
{
	rte_mempool_free(b->mp);
	free(b->mem);
#ifdef SEC_HAVE_IPSEC_MB
	if (b->imb != NULL)
		free_mb_mgr(b->imb);
#endif
	memset(b, 0, sizeof(*b));
}

static void *
bound_session(const struct bench_bound *b, const struct sec_suite *su, bool protect)
{
	static uint8_t key[32] = { 3 }, akey[20] = { 4 };
	struct rte_crypto_sym_xform c, a;

	memset(&c, 0, sizeof(c));
	memset(&a, 0, sizeof(a));
	if (su->aead) {
		c.type = RTE_CRYPTO_SYM_XFORM_AEAD;
		c.aead.op = protect ? RTE_CRYPTO_AEAD_OP_ENCRYPT : RTE_CRYPTO_AEAD_OP_DECRYPT;
		c.aead.algo = RTE_CRYPTO_AEAD_AES_GCM;
		c.aead.key.data = key;
		c.aead.key.length = su->enc_key_len;
		c.aead.iv.length = 12;
		c.aead.digest_length = 16;
		c.aead.aad_length = 12;
		return rte_cryptodev_sym_session_create(b->cdev, &c, b->mp);
	}
	c.type = RTE_CRYPTO_SYM_XFORM_CIPHER;
	c.cipher.op = protect ? RTE_CRYPTO_CIPHER_OP_ENCRYPT : RTE_CRYPTO_CIPHER_OP_DECRYPT;
	c.cipher.algo = RTE_CRYPTO_CIPHER_AES_CTR;
	c.cipher.key.data = key;
	c.cipher.key.length = su->enc_key_len;
	c.cipher.iv.length = 16;
	a.type = RTE_CRYPTO_SYM_XFORM_AUTH;
	a.auth.op = protect ? RTE_CRYPTO_AUTH_OP_GENERATE : RTE_CRYPTO_AUTH_OP_VERIFY;
	a.auth.algo = RTE_CRYPTO_AUTH_SHA1_HMAC;
	a.auth.key.data = akey;
	a.auth.key.length = 20;
	a.auth.digest_length = su->srtp_tag_len;
	if (protect) {
		c.next = &a; /* encrypt then MAC */
		return rte_cryptodev_sym_session_create(b->cdev, &c, b->mp);
	}
	a.next = &c; /* verify then decrypt */
	return rte_cryptodev_sym_session_create(b->cdev, &a, b->mp);
}

/* The cryptodev path: one CPU-crypto call per 32 buffers. */
static double
cdev_mpps(const struct bench_bound *b, const struct sec_suite *su, bool protect,
	  unsigned int payload, double secs)
{
	struct rte_crypto_vec vec[BOUND_BURST];
	struct rte_crypto_sgl sgl[BOUND_BURST];
	struct rte_crypto_va_iova_ptr iv[BOUND_BURST], dg[BOUND_BURST], aad[BOUND_BURST];
	int32_t st[BOUND_BURST];
	uint8_t ivs[BOUND_BURST][16], dig[BOUND_BURST][20], aadb[BOUND_BURST][12];
	struct rte_crypto_sym_vec sv;
	union rte_crypto_sym_ofs ofs;
	/* RTP header + payload, + the ROC word HMAC covers for AES-CM */
	uint32_t len = 12 + payload + (su->aead ? 0 : 4);
	double busy = 0, t0;
	uint64_t pkts = 0;
	unsigned int i, k;
	void *sess;

	if (len + 16 > BOUND_ROOM)
		return -1;
	sess = bound_session(b, su, protect);
	if (sess == NULL)
		return -1;
	memset(ivs, 0, sizeof(ivs));
	memset(aadb, 0, sizeof(aadb));
	ofs.raw = 0;
	ofs.ofs.cipher.head = 12;
	if (!su->aead)
		ofs.ofs.cipher.tail = 4; /* the ROC word is only MACed */
	for (k = 0; k < BOUND_BURST; k++) {
		sgl[k].vec = &vec[k];
		sgl[k].num = 1;
		iv[k].va = ivs[k];
		dg[k].va = dig[k];
		aad[k].va = aadb[k];
	}
	memset(&sv, 0, sizeof(sv));
	sv.src_sgl = sgl;
	sv.iv = iv;
	sv.digest = dg;
	sv.aad = aad;
	sv.status = st;
	sv.num = BOUND_BURST;
	while (busy < secs) {
		t0 = bench_now();
		for (i = 0; i < BOUND_POOL; i += BOUND_BURST) {
			for (k = 0; k < BOUND_BURST; k++) {
				vec[k].base = b->mem + (size_t)(i + k) * BOUND_ROOM;
				vec[k].len = len;
				vec[k].tot_len = len;
			}
			rte_cryptodev_sym_cpu_crypto_process(b->cdev, sess, ofs, &sv);
		}
		busy += bench_now() - t0;
		pkts += BOUND_POOL;
	}
	rte_cryptodev_sym_session_free(b->cdev, sess);
	return (double)pkts / busy / 1e6;
}

#ifdef SEC_HAVE_IPSEC_MB
/* The bound's one key for intel-ipsec-mb: AES schedule, HMAC-SHA1 inner
 * and outer states, GCM key data (what the ipsecmb engine keeps per key). */
struct imb_bound_key {
	uint8_t enc[15 * 16] __attribute__((aligned(16)));
	uint8_t dec[15 * 16] __attribute__((aligned(16)));
	uint8_t ipad[32] __attribute__((aligned(16)));
	uint8_t opad[32] __attribute__((aligned(16)));
	struct gcm_key_data gcm __attribute__((aligned(64)));
};

static void
imb_key(IMB_MGR *m, const struct sec_suite *su, struct imb_bound_key *k)
{
	static const uint8_t key[32] = { 3 }, akey[20] = { 4 };
	uint8_t blk[64];
	unsigned int i;

	if (su->aead) {
		if (su->enc_key_len == 16)
			IMB_AES128_GCM_PRE(m, key, &k->gcm);
		else
			IMB_AES256_GCM_PRE(m, key, &k->gcm);
		return;
	}
	if (su->enc_key_len == 16)
		IMB_AES_KEYEXP_128(m, key, k->enc, k->dec);
	else
		IMB_AES_KEYEXP_256(m, key, k->enc, k->dec);
	memset(blk, 0x36, sizeof(blk));
	for (i = 0; i < sizeof(akey); i++)
		blk[i] ^= akey[i];
	IMB_SHA1_ONE_BLOCK(m, blk, k->ipad);
	memset(blk, 0x5c, sizeof(blk));
	for (i = 0; i < sizeof(akey); i++)
		blk[i] ^= akey[i];
	IMB_SHA1_ONE_BLOCK(m, blk, k->opad);
}

/* One job on buf: the AES-CM chain (encrypt then HMAC, or HMAC then
 * decrypt) or GCM, as one job each, in place. */
static void
imb_fill(IMB_JOB *x, const struct sec_suite *su, const struct imb_bound_key *k, bool protect,
	 uint8_t *buf, uint32_t len, unsigned int payload, uint8_t *iv, uint8_t *aad,
	 uint8_t *dig)
{
	x->src = buf;
	x->dst = buf + 12;
	x->cipher_start_src_offset_in_bytes = 12;
	x->msg_len_to_cipher_in_bytes = payload;
	x->iv = iv;
	x->key_len_in_bytes = su->enc_key_len;
	x->cipher_direction = protect ? IMB_DIR_ENCRYPT : IMB_DIR_DECRYPT;
	x->chain_order = protect ? IMB_ORDER_CIPHER_HASH : IMB_ORDER_HASH_CIPHER;
	x->auth_tag_output = dig;
	if (su->aead) {
		x->cipher_mode = IMB_CIPHER_GCM;
		x->hash_alg = IMB_AUTH_AES_GMAC;
		x->enc_keys = &k->gcm;
		x->dec_keys = &k->gcm;
		x->iv_len_in_bytes = 12;
		x->hash_start_src_offset_in_bytes = 12;
		x->msg_len_to_hash_in_bytes = payload;
		x->u.GCM.aad = aad;
		x->u.GCM.aad_len_in_bytes = 12;
		x->auth_tag_output_len_in_bytes = 16;
		return;
	}
	x->cipher_mode = IMB_CIPHER_CNTR;
	x->hash_alg = IMB_AUTH_HMAC_SHA_1;
	x->enc_keys = k->enc;
	x->dec_keys = k->enc;
	x->iv_len_in_bytes = 16;
	x->hash_start_src_offset_in_bytes = 0;
	x->msg_len_to_hash_in_bytes = len; /* the ROC word is only MACed */
	x->u.HMAC._hashed_auth_key_xor_ipad = k->ipad;
	x->u.HMAC._hashed_auth_key_xor_opad = k->opad;
	x->auth_tag_output_len_in_bytes = 20;
}

/* The intel-ipsec-mb path: 32 jobs submitted, then a flush. */
static double
imb_mpps(const struct bench_bound *b, const struct sec_suite *su, bool protect,
	 unsigned int payload, double secs)
{
	IMB_MGR *m = b->imb;
	struct imb_bound_key *k;
	uint8_t ivs[BOUND_BURST][16], dig[BOUND_BURST][20], aadb[BOUND_BURST][12];
	uint32_t len = 12 + payload + (su->aead ? 0 : 4);
	double busy = 0, t0;
	uint64_t pkts = 0, bad = 0;
	unsigned int i, j;
	IMB_JOB *x;

	if (m == NULL || len + 16 > BOUND_ROOM)
		return -1;
	k = aligned_alloc(64, sizeof(*k));
	if (k == NULL)
		return -1;
	imb_key(m, su, k);
	memset(ivs, 0, sizeof(ivs));
	memset(aadb, 0, sizeof(aadb));
	while (busy < secs) {
		t0 = bench_now();
		for (i = 0; i < BOUND_POOL; i += BOUND_BURST) {
			for (j = 0; j < BOUND_BURST; j++) {
				x = IMB_GET_NEXT_JOB(m);
				imb_fill(x, su, k, protect, b->mem + (size_t)(i + j) * BOUND_ROOM,
					 len, payload, ivs[j], aadb[j], dig[j]);
				x = IMB_SUBMIT_JOB_NOCHECK(m);
				while (x != NULL) {
					bad += x->status != IMB_STATUS_COMPLETED;
					x = IMB_GET_COMPLETED_JOB(m);
				}
			}
			while ((x = IMB_FLUSH_JOB(m)) != NULL)
				bad += x->status != IMB_STATUS_COMPLETED;
		}
		busy += bench_now() - t0;
		pkts += BOUND_POOL;
	}
	free(k);
	return bad == 0 ? (double)pkts / busy / 1e6 : -1;
}
#endif

double
bench_bound_via_mpps(const struct bench_bound *b, enum bench_bound_via via,
		     const struct sec_suite *su, bool protect, unsigned int payload, double secs)
{
	if (via == BENCH_BOUND_CRYPTODEV)
		return cdev_mpps(b, su, protect, payload, secs);
#ifdef SEC_HAVE_IPSEC_MB
	if (via == BENCH_BOUND_IPSECMB)
		return imb_mpps(b, su, protect, payload, secs);
#endif
	return -1;
}

const char *
bench_bound_via_name(enum bench_bound_via via)
{
	static const char *const names[BENCH_BOUND_VIA_COUNT] = {
		[BENCH_BOUND_CRYPTODEV] = "cryptodev",
		[BENCH_BOUND_IPSECMB] = "ipsecmb",
	};

	return (unsigned int)via < BENCH_BOUND_VIA_COUNT ? names[via] : "?";
}

double
bench_bound_best(const struct bench_bound *b, const struct sec_suite *su, bool protect,
		 unsigned int payload, double secs, double *mpps, enum bench_bound_via *best)
{
	double m[BENCH_BOUND_VIA_COUNT];
	enum bench_bound_via v, top = BENCH_BOUND_CRYPTODEV;

	for (v = 0; v < BENCH_BOUND_VIA_COUNT; v++) {
		m[v] = bench_bound_via_mpps(b, v, su, protect, payload, secs);
		if (m[v] > m[top])
			top = v;
		if (mpps != NULL)
			mpps[v] = m[v];
	}
	fprintf(stderr, "bound %s %u %s: %s %.3f Mpps (cryptodev %.3f, ipsecmb %.3f)\n",
		su->name, payload, protect ? "protect" : "unprotect", bench_bound_via_name(top),
		m[top], m[BENCH_BOUND_CRYPTODEV], m[BENCH_BOUND_IPSECMB]);
	if (best != NULL)
		*best = top;
	return m[top];
}

double
bench_bound_mpps(const struct bench_bound *b, const struct sec_suite *su, bool protect,
		 unsigned int payload, double secs)
{
	return bench_bound_best(b, su, protect, payload, secs, NULL, NULL);
}
