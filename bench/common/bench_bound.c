/* SPDX-License-Identifier: BSD-3-Clause */
/* The raw cryptodev bound of the benchmarks (see bench_bound.h). */
/* rte_cryptodev_sym_cpu_crypto_process and the session pool are experimental
 * in DPDK 22.11. */
#define ALLOW_EXPERIMENTAL_API
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cryptodev.h>

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

double
bench_bound_mpps(const struct bench_bound *b, const struct sec_suite *su, bool protect,
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
