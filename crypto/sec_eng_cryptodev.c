/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The cryptodev engine: our SRTP transform (sec_xform.c) with the cipher
 * and HMAC/GCM done by a DPDK cryptodev, crypto_aesni_mb by default, inline
 * on the worker lcore.
 *
 * One device session per key and protocol, created on the control thread
 * (the PMD's session is ~1.4 KB with aesni_mb; no OpenSSL state per key):
 *  AES-CM protect:   cipher(CTR) -> auth(HMAC-SHA1) chain;
 *  AES-CM unprotect: auth -> cipher chain (HMAC over the ciphertext, then
 *                    CTR) in one job; the tag is compared in constant time
 *                    before anything uses the plaintext; a failed packet
 *                    is restored (the same job again) only if another key
 *                    will be tried;
 *  GCM protect:      AEAD session for 12-byte AADs (RTP header alone;
 *                    SRTCP header || E|index);
 *  GCM unprotect:    on a software device, intel-ipsec-mb's GCM (the
 *                    library under aesni_mb) called directly with a key
 *                    expanded per key on the control thread: it returns
 *                    the computed tag, which we compare in constant time.
 *                    The PMD's AEAD decrypt verifies the digest itself
 *                    with memcmp (DPDK 22.11 aesni_mb verify_digest,
 *                    verify_sync_dgst), whose time tells a forger how many
 *                    leading tag bytes were right. Any AAD length (CSRCs,
 *                    header extensions) goes this way.
 * Other shapes (CSRCs or header extensions under GCM protect, E=0 SRTCP)
 * go to per-lcore OpenSSL scratch contexts keyed per packet, so every
 * packet shape is served; so does GCM unprotect when intel-ipsec-mb is
 * not there. Hardware devices (QAT) verify GCM tags in the device.
 *
 * Per chunk: jobs of one device session go through the synchronous
 * CPU-crypto call; jobs of several sessions (a worker's burst over many
 * calls) go as one burst of crypto ops through the lcore's queue pair, so
 * the multi-buffer manager runs them together. Devices without CPU-crypto
 * (QAT, crypto_openssl) always take the ops path with bounce mbufs
 * (hardware needs DMA-able memory). Synchronous from the caller's view; no
 * syscalls or locks.
 *
 * Everything per lcore (queue pair, crypto ops, bounce mbufs, scratch
 * contexts) is in the caller's context (struct cdev_lcore in struct
 * sec_lcore), made on the control thread: the per-packet path reads no
 * file static and never asks which lcore it runs on.
 */
/* CPU-crypto and the session pool are experimental in DPDK 22.11; this
 * is the one file that uses them. */
#define ALLOW_EXPERIMENTAL_API 1

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <rte_dev.h>
#include <rte_cryptodev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#ifdef SEC_HAVE_IPSEC_MB
#include <intel-ipsec-mb.h>
#endif

#include "sec_priv.h"

#define CDEV_DEFAULT "crypto_aesni_mb"
/* op private area: IV (16) then AAD (up to 20, padded) */
#define CDEV_IV_OFFSET (sizeof(struct rte_crypto_op) + \
		sizeof(struct rte_crypto_sym_op))
#define CDEV_OP_PRIV 64
#define CDEV_MBUF_ROOM 2048
#define CDEV_ASYNC_MAX (CDEV_MBUF_ROOM - 64)  /* data, digest after it */
#define CDEV_POLL_MAX 100000000u
#define CDEV_AAD_LEN 12  /* the AAD length of the GCM device session */
#ifdef SEC_HAVE_IPSEC_MB
#define CDEV_GCM_KEY_SIZE RTE_ALIGN_CEIL(sizeof(struct gcm_key_data), 64)
#else
#define CDEV_GCM_KEY_SIZE 0
#endif

static struct {
	bool up;
	uint8_t dev;
	bool started;
	bool created_vdev;
	char name[64];
	struct rte_mempool *mp;
	uint32_t caps;
	bool cpu;                   /* CPU-crypto API available */
	uint16_t nqp;               /* queue pairs (async) */
	struct rte_mempool *op_mp;  /* crypto ops of the lcore contexts */
	struct rte_mempool *mb_mp;  /* async: bounce mbufs */
	/* intel-ipsec-mb manager for GCM unprotect on software devices: made
	 * at probe, RO after (its GCM calls only read its function table);
	 * NULL without the library */
	void *imb;
	/* queue pair q serves the contexts of lcore qp_lcore[q], qp_refs[q]
	 * of them (0: free) */
	unsigned int qp_lcore[RTE_MAX_LCORE];
	unsigned int qp_refs[RTE_MAX_LCORE];
} cd;

/*
 * What the engine keeps per lcore context (struct sec_lcore, made on the
 * control thread), so that the per-packet path reads nothing global: the
 * device, its queue pair (one per lcore: contexts of one lcore share it,
 * since a call drains all its ops before it returns), the crypto ops and
 * bounce mbufs of one chunk taken from the pools once, and the OpenSSL
 * scratch contexts for odd packet shapes. W: the lcore using it.
 */
struct cdev_lcore {
	uint8_t dev;                /* RO */
	bool cpu;                   /* RO: CPU-crypto API available */
	uint16_t qp;                /* RO */
	bool broken;                /* ops left in the device: refuse */
	void *imb;                  /* RO: cd.imb, or NULL */
	struct rte_crypto_op *ops[SEC_CHUNK];
	struct rte_mbuf *mb[SEC_CHUNK];  /* !cpu: bounce buffers */
	struct sec_eng_openssl_scratch scratch;
};

static bool
cap_cipher(uint16_t key_len)
{
	struct rte_cryptodev_sym_capability_idx idx = {
		.type = RTE_CRYPTO_SYM_XFORM_CIPHER,
		.algo.cipher = RTE_CRYPTO_CIPHER_AES_CTR,
	};
	const struct rte_cryptodev_symmetric_capability *c =
		rte_cryptodev_sym_capability_get(cd.dev, &idx);

	return c != NULL &&
		rte_cryptodev_sym_capability_check_cipher(c, key_len, 16) == 0;
}

static bool
cap_hmac(void)
{
	struct rte_cryptodev_sym_capability_idx idx = {
		.type = RTE_CRYPTO_SYM_XFORM_AUTH,
		.algo.auth = RTE_CRYPTO_AUTH_SHA1_HMAC,
	};
	const struct rte_cryptodev_symmetric_capability *c =
		rte_cryptodev_sym_capability_get(cd.dev, &idx);

	return c != NULL &&
		rte_cryptodev_sym_capability_check_auth(c, 20, 20, 0) == 0;
}

static bool
cap_gcm(uint16_t key_len)
{
	struct rte_cryptodev_sym_capability_idx idx = {
		.type = RTE_CRYPTO_SYM_XFORM_AEAD,
		.algo.aead = RTE_CRYPTO_AEAD_AES_GCM,
	};
	const struct rte_cryptodev_symmetric_capability *c =
		rte_cryptodev_sym_capability_get(cd.dev, &idx);

	return c != NULL &&
		rte_cryptodev_sym_capability_check_aead(c, key_len, 16, 12,
				12) == 0;
}

static void
cdev_fini(void)
{
	if (cd.started)
		rte_cryptodev_stop(cd.dev);
	if (cd.mp != NULL)
		rte_mempool_free(cd.mp);
	if (cd.op_mp != NULL)
		rte_mempool_free(cd.op_mp);
	if (cd.mb_mp != NULL)
		rte_mempool_free(cd.mb_mp);
#ifdef SEC_HAVE_IPSEC_MB
	if (cd.imb != NULL)
		free_mb_mgr(cd.imb);
#endif
	if (cd.up && cd.created_vdev) {
		struct rte_cryptodev_info info;

		rte_cryptodev_info_get(cd.dev, &info);
		rte_cryptodev_close(cd.dev);
		if (info.device != NULL)
			rte_dev_remove(info.device);
	}
	memset(&cd, 0, sizeof(cd));
}

/* The intel-ipsec-mb manager for the GCM unprotect path, or NULL (no
 * library, or no CPU it can run on: GCM unprotect then goes through the
 * OpenSSL scratch contexts, still compared in constant time). Control. */
static void *
imb_new(void)
{
#ifdef SEC_HAVE_IPSEC_MB
	IMB_ARCH arch = IMB_ARCH_NONE;
	IMB_MGR *m = alloc_mb_mgr(0);

	if (m == NULL)
		return NULL;
	init_mb_mgr_auto(m, &arch);
	if (arch == IMB_ARCH_NONE || imb_get_errno(m) != 0) {
		free_mb_mgr(m);
		SEC_LOG(WARNING, "intel-ipsec-mb unusable: GCM unprotect "
				"through OpenSSL");
		return NULL;
	}
	return m;
#else
	return NULL;
#endif
}

static int
cdev_probe(const struct sec_config *cfg)
{
	const char *name = cfg->cryptodev_name ? cfg->cryptodev_name :
		CDEV_DEFAULT;
	struct rte_cryptodev_config conf;
	struct rte_cryptodev_qp_conf qp;
	struct rte_cryptodev_info info;
	int id, socket = cfg->socket_id;
	uint32_t nsess = cfg->max_sessions ? cfg->max_sessions : SEC_KEYS_DEFAULT;
	unsigned int i, nqp;

	if (rte_lcore_count() == 0)
		return -ENODEV;   /* EAL not initialised */
	memset(&cd, 0, sizeof(cd));
	snprintf(cd.name, sizeof(cd.name), "%s", name);
	id = rte_cryptodev_get_dev_id(name);
	if (id < 0) {
		/* EAL's generic hotplug: a vdev by its devargs, no bus-specific
		 * library to link. */
		if (rte_dev_probe(name) != 0)
			return -ENODEV;
		cd.created_vdev = true;
		id = rte_cryptodev_get_dev_id(name);
		if (id < 0)
			return -ENODEV;
	}
	cd.dev = (uint8_t)id;
	cd.up = true;
	rte_cryptodev_info_get(cd.dev, &info);
	cd.cpu = (info.feature_flags & RTE_CRYPTODEV_FF_SYM_CPU_CRYPTO) != 0;
	if (socket <= 0)
		socket = rte_cryptodev_socket_id(cd.dev);
	if (socket < 0)
		socket = SOCKET_ID_ANY;
	/* one device session per key and protocol */
	cd.mp = rte_cryptodev_sym_session_pool_create("imsagw_sec_sess",
			nsess * 2, rte_cryptodev_sym_get_private_session_size(
				cd.dev), 0, 0, socket);
	if (cd.mp == NULL) {
		cdev_fini();
		return -ENOMEM;
	}
	/* one queue pair per lcore with a context (sec_lcore_create), plus
	 * one for a context of a thread that is no EAL lcore; each context
	 * takes SEC_CHUNK crypto ops from the pool when it is made */
	nqp = RTE_MIN(rte_lcore_count() + 1, (unsigned int)RTE_MAX_LCORE);
	cd.nqp = (uint16_t)RTE_MIN(nqp, (unsigned int)info.max_nb_queue_pairs);
	cd.op_mp = rte_crypto_op_pool_create("imsagw_sec_ops",
			RTE_CRYPTO_OP_TYPE_SYMMETRIC, 4096, 0, CDEV_OP_PRIV,
			socket);
	if (cd.op_mp == NULL || cd.nqp == 0) {
		cdev_fini();
		return -ENOMEM;
	}
	if (!cd.cpu) {
		cd.mb_mp = rte_pktmbuf_pool_create("imsagw_sec_mbuf", 2048, 0,
				0, CDEV_MBUF_ROOM + RTE_PKTMBUF_HEADROOM, socket);
		if (cd.mb_mp == NULL) {
			cdev_fini();
			return -ENOMEM;
		}
		SEC_LOG(NOTICE, "cryptodev %s: no CPU-crypto API, "
				"enqueue/dequeue with bounce buffers on %u "
				"queue pairs", name, cd.nqp);
	}
	memset(&conf, 0, sizeof(conf));
	conf.socket_id = socket;
	conf.nb_queue_pairs = cd.nqp;
	memset(&qp, 0, sizeof(qp));
	qp.nb_descriptors = 2048;
	qp.mp_session = cd.mp;
	if (rte_cryptodev_configure(cd.dev, &conf) != 0) {
		cdev_fini();
		return -EIO;
	}
	for (i = 0; i < cd.nqp; i++) {
		if (rte_cryptodev_queue_pair_setup(cd.dev, (uint16_t)i, &qp,
					socket) != 0) {
			cdev_fini();
			return -EIO;
		}
	}
	if (rte_cryptodev_start(cd.dev) != 0) {
		cdev_fini();
		return -EIO;
	}
	cd.started = true;
	if (cd.cpu)
		cd.imb = imb_new();
	for (i = 0; i < SEC_SUITE_COUNT; i++) {
		const struct sec_suite *su = sec_suite_get(
				(enum sec_suite_id)i);

		if (su->aead ? cap_gcm(su->enc_key_len) :
				(cap_cipher(su->enc_key_len) && cap_hmac()))
			cd.caps |= 1u << i;
	}
	return 0;
}

static uint32_t
cdev_caps(void)
{
	return cd.caps;
}

static void
cdev_lcore_fini(void *priv)
{
	struct cdev_lcore *cl = priv;

	if (cl == NULL)
		return;
	/* a broken context's ops may still be in the device: leaked rather
	 * than freed under the PMD */
	if (!cl->broken) {
		if (cl->ops[0] != NULL)
			rte_mempool_put_bulk(cd.op_mp, (void **)cl->ops,
					SEC_CHUNK);
		if (cl->mb[0] != NULL)
			rte_pktmbuf_free_bulk(cl->mb, SEC_CHUNK);
	}
	cd.qp_refs[cl->qp]--;
	sec_eng_openssl_scratch_fini(&cl->scratch);
	rte_free(cl);
}

/* A queue pair for lcore_id: the one its other contexts use, else a free
 * one; -ENOSPC when every queue pair serves another lcore. */
static int
qp_take(unsigned int lcore_id)
{
	uint16_t q, fr = UINT16_MAX;

	for (q = 0; q < cd.nqp; q++) {
		if (cd.qp_refs[q] > 0 && cd.qp_lcore[q] == lcore_id)
			break;
		if (cd.qp_refs[q] == 0 && fr == UINT16_MAX)
			fr = q;
	}
	if (q == cd.nqp) {
		if (fr == UINT16_MAX)
			return -ENOSPC;
		q = fr;
	}
	cd.qp_lcore[q] = lcore_id;
	cd.qp_refs[q]++;
	return q;
}

static int
cdev_lcore_init(unsigned int lcore_id, void **priv)
{
	int socket = lcore_id < RTE_MAX_LCORE ?
		(int)rte_lcore_to_socket_id(lcore_id) : SOCKET_ID_ANY;
	struct cdev_lcore *cl;
	int q;

	cl = rte_zmalloc_socket("imsagw_sec_lcore", sizeof(*cl),
			RTE_CACHE_LINE_SIZE, socket);
	if (cl == NULL)
		return -ENOMEM;
	q = qp_take(lcore_id);
	if (q < 0) {
		rte_free(cl);
		return q;
	}
	cl->qp = (uint16_t)q;
	cl->dev = cd.dev;
	cl->cpu = cd.cpu;
	cl->imb = cd.imb;
	if (sec_eng_openssl_scratch_init(&cl->scratch) != 0 ||
			rte_mempool_get_bulk(cd.op_mp, (void **)cl->ops,
				SEC_CHUNK) != 0 ||
			(!cl->cpu && rte_pktmbuf_alloc_bulk(cd.mb_mp, cl->mb,
					SEC_CHUNK) != 0)) {
		/* all-or-nothing gets: what failed holds nothing */
		if (cl->ops[SEC_CHUNK - 1] == NULL)
			memset(cl->ops, 0, sizeof(cl->ops));
		if (cl->mb[SEC_CHUNK - 1] == NULL)
			memset(cl->mb, 0, sizeof(cl->mb));
		cdev_lcore_fini(cl);
		return -ENOMEM;
	}
	*priv = cl;
	return 0;
}

static void *
sess_new(struct rte_crypto_sym_xform *x)
{
	return rte_cryptodev_sym_session_create(cd.dev, x, cd.mp);
}

static void
sess_free(void *s)
{
	if (s != NULL)
		rte_cryptodev_sym_session_free(cd.dev, s);
}

static void
cdev_key_fini(struct sec_subkey *k)
{
	/* PMD session free zeroizes the private session data */
	sess_free(k->eng);
	k->eng = NULL;
	if (k->gcm != NULL) {
		OPENSSL_cleanse(k->gcm, CDEV_GCM_KEY_SIZE);
		free(k->gcm);
		k->gcm = NULL;
	}
}

/* GCM unprotect on a software device: intel-ipsec-mb's key schedule and
 * GHASH key powers, per key, made here on the control thread. */
static int
gcm_key_init(const struct sec_suite *su, struct sec_subkey *k)
{
#ifdef SEC_HAVE_IPSEC_MB
	IMB_MGR *m = cd.imb;

	k->gcm = aligned_alloc(64, CDEV_GCM_KEY_SIZE);
	if (k->gcm == NULL)
		return -ENOMEM;
	if (su->enc_key_len == 16)
		IMB_AES128_GCM_PRE(m, k->rk->ek, k->gcm);
	else
		IMB_AES256_GCM_PRE(m, k->rk->ek, k->gcm);
	return imb_get_errno(m) == 0 ? 0 : -EIO;
#else
	(void)su;
	(void)k;
	return -ENOTSUP;
#endif
}

/*
 * One device session per key: AES-CM protect cipher(CTR) -> auth(HMAC)
 * chain, unprotect auth -> cipher chain (the same session restores a
 * failed packet: running it again re-applies CTR); GCM an AEAD session
 * for 12-byte AADs (an RTP header without CSRC or extension, SRTCP).
 */
static int
cdev_key_init(const struct sec_session *s, struct sec_subkey *k)
{
	const struct sec_suite *su = s->suite;
	struct rte_crypto_sym_xform cx, ax, gx;

	if (k->rk == NULL)
		return -EINVAL;
	memset(&cx, 0, sizeof(cx));
	memset(&ax, 0, sizeof(ax));
	memset(&gx, 0, sizeof(gx));
	if (su->aead && s->dir == SEC_DIR_UNPROTECT && cd.imb != NULL)
		return gcm_key_init(su, k);
	if (su->aead) {
		gx.type = RTE_CRYPTO_SYM_XFORM_AEAD;
		gx.aead.op = s->dir == SEC_DIR_PROTECT ?
			RTE_CRYPTO_AEAD_OP_ENCRYPT : RTE_CRYPTO_AEAD_OP_DECRYPT;
		gx.aead.algo = RTE_CRYPTO_AEAD_AES_GCM;
		gx.aead.key.data = k->rk->ek;
		gx.aead.key.length = su->enc_key_len;
		gx.aead.iv.offset = CDEV_IV_OFFSET;
		gx.aead.iv.length = 12;
		gx.aead.digest_length = 16;
		gx.aead.aad_length = CDEV_AAD_LEN;
		k->eng = sess_new(&gx);
		return k->eng != NULL ? 0 : -EIO;
	}
	cx.type = RTE_CRYPTO_SYM_XFORM_CIPHER;
	cx.cipher.op = RTE_CRYPTO_CIPHER_OP_ENCRYPT;
	cx.cipher.algo = RTE_CRYPTO_CIPHER_AES_CTR;
	cx.cipher.key.data = k->rk->ek;
	cx.cipher.key.length = su->enc_key_len;
	cx.cipher.iv.offset = CDEV_IV_OFFSET;
	cx.cipher.iv.length = 16;
	ax.type = RTE_CRYPTO_SYM_XFORM_AUTH;
	ax.auth.op = RTE_CRYPTO_AUTH_OP_GENERATE;
	ax.auth.algo = RTE_CRYPTO_AUTH_SHA1_HMAC;
	ax.auth.key.data = k->rk->ak;
	ax.auth.key.length = su->auth_key_len;
	ax.auth.digest_length = 20;
	if (s->dir == SEC_DIR_PROTECT) {
		cx.next = &ax;
		k->eng = sess_new(&cx);
	} else {
		/* HMAC over the ciphertext, then CTR, in one job; the tag is
		 * compared by us in constant time before the plaintext is
		 * used (the PMD's VERIFY compares with memcmp) */
		ax.next = &cx;
		k->eng = sess_new(&ax);
	}
	return k->eng != NULL ? 0 : -EIO;
}

static inline bool
job_aead(const struct sec_job *j)
{
	return j->aead;
}

/* Data length and cipher offsets of a job for the device. */
static inline union rte_crypto_sym_ofs
job_ofs(const struct sec_job *j, uint32_t *len)
{
	union rte_crypto_sym_ofs o;

	o.raw = 0;
	o.ofs.cipher.head = (uint16_t)j->enc_off;
	if (job_aead(j)) {
		*len = j->enc_off + j->enc_len;
	} else {
		*len = j->auth_len;
		o.ofs.cipher.tail = (uint16_t)(j->auth_len - j->enc_off -
				j->enc_len);
	}
	return o;
}

static inline uint8_t *
job_digest(struct sec_job *j)
{
	if (!job_aead(j))
		return j->digest;
	return sec_job_protect(j) ? j->tag_out : j->rtag;
}

/*
 * Jobs of ONE device session: one CPU-crypto call per run of equal
 * offsets (the ofs argument is per call); normally a single call.
 * st[k] = 0 or an errno from the PMD.
 */
static void
run_cpu(const struct cdev_lcore *cl, struct sec_job **jobs, uint16_t n,
		int32_t *st)
{
	struct rte_crypto_vec vec[SEC_CHUNK];
	struct rte_crypto_sgl sgl[SEC_CHUNK];
	struct rte_crypto_va_iova_ptr iv[SEC_CHUNK], dg[SEC_CHUNK],
		aad[SEC_CHUNK];
	struct rte_crypto_sym_vec sv;
	union rte_crypto_sym_ofs ofs, o;
	uint16_t i = 0, k, m;
	uint32_t len;

	while (i < n) {
		ofs = job_ofs(jobs[i], &len);
		for (k = i; k < n; k++) {
			struct sec_job *j = jobs[k];

			o = job_ofs(j, &len);
			if (o.raw != ofs.raw)
				break;
			m = (uint16_t)(k - i);
			vec[m].base = j->data;
			vec[m].iova = 0;
			vec[m].len = len;
			vec[m].tot_len = len;
			sgl[m].vec = &vec[m];
			sgl[m].num = 1;
			iv[m].va = j->iv;
			iv[m].iova = 0;
			aad[m].va = (void *)(uintptr_t)j->aad;
			aad[m].iova = 0;
			dg[m].va = job_digest(j);
			dg[m].iova = 0;
			st[k] = -1;
		}
		memset(&sv, 0, sizeof(sv));
		sv.num = (uint32_t)(k - i);
		sv.src_sgl = sgl;
		sv.iv = iv;
		sv.digest = dg;
		sv.aad = aad;
		sv.status = st + i;
		(void)rte_cryptodev_sym_cpu_crypto_process(cl->dev,
				jobs[i]->sk->eng, ofs, &sv);
		i = k;
	}
}

/* Describe job j to the device in op (data in mbuf m at offset 0). */
static inline void
op_fill(struct rte_crypto_op *op, struct rte_mbuf *m, struct sec_job *j,
		uint32_t len)
{
	struct rte_crypto_sym_op *so = op->sym;
	uint8_t *iv = rte_crypto_op_ctod_offset(op, uint8_t *, CDEV_IV_OFFSET);

	(void)len;
	memcpy(iv, j->iv, 16);
	so->m_src = m;
	so->m_dst = NULL;
	if (job_aead(j)) {
		so->aead.data.offset = j->enc_off;
		so->aead.data.length = j->enc_len;
		so->aead.aad.data = (uint8_t *)(uintptr_t)j->aad;
		so->aead.aad.phys_addr = 0;
		so->aead.digest.data = job_digest(j);
		so->aead.digest.phys_addr = 0;
	} else {
		so->cipher.data.offset = j->enc_off;
		so->cipher.data.length = j->enc_len;
		so->auth.data.offset = 0;
		so->auth.data.length = j->auth_len;
		so->auth.digest.data = j->digest;
		so->auth.digest.phys_addr = 0;
	}
	rte_crypto_op_attach_sym_session(op, j->sk->eng);
}

/* Put the context's first n ops through its queue pair; done[] gets them
 * back in whatever order the device completes them. Returns how many came
 * back; if not all, the context is broken (its ops are still in the
 * device and can never be reused). */
static uint16_t
ops_cycle(struct cdev_lcore *cl, struct rte_crypto_op **done, uint16_t n)
{
	uint16_t ne = 0, nd = 0;
	uint32_t spins = 0;

	while (nd < n && spins++ < CDEV_POLL_MAX) {
		if (ne < n)
			ne += rte_cryptodev_enqueue_burst(cl->dev, cl->qp,
					cl->ops + ne, (uint16_t)(n - ne));
		nd += rte_cryptodev_dequeue_burst(cl->dev, cl->qp, done + nd,
				(uint16_t)(n - nd));
	}
	if (nd < n)
		cl->broken = true;
	return nd;
}

static inline int32_t
op_status(const struct rte_crypto_op *op)
{
	if (op->status == RTE_CRYPTO_OP_STATUS_SUCCESS)
		return 0;
	return op->status == RTE_CRYPTO_OP_STATUS_AUTH_FAILED ? -EBADMSG : -EIO;
}

/*
 * Jobs of MANY device sessions as one burst of crypto ops on this lcore's
 * queue pair: a multi-buffer PMD (aesni_mb) fills its SIMD lanes with the
 * HMACs of different calls, where one CPU-crypto call per session would
 * flush a nearly empty manager per packet (10x the cycles). Software
 * devices only (cl->cpu): the packets are described by mbuf shells on the
 * stack that point at the data in place; such PMDs use virtual addresses
 * only and hold nothing after the dequeue.
 */
static void
run_ops(struct cdev_lcore *cl, struct sec_job **jobs, uint16_t n, int32_t *st)
{
	struct rte_crypto_op **ops = cl->ops, *done[SEC_CHUNK];
	struct rte_mbuf shell[SEC_CHUNK];
	uint16_t k, nd;
	uint32_t len;

	for (k = 0; k < n; k++)
		st[k] = -EIO;
	for (k = 0; k < n; k++) {
		struct rte_mbuf *m = &shell[k];
		struct sec_job *j = jobs[k];

		(void)job_ofs(j, &len);
		m->buf_addr = j->data;
		m->buf_iova = RTE_BAD_IOVA;
		m->data_off = 0;
		m->buf_len = (uint16_t)len;
		m->data_len = (uint16_t)len;
		m->pkt_len = len;
		m->nb_segs = 1;
		m->next = NULL;
		m->ol_flags = 0;
		rte_mbuf_refcnt_set(m, 1);
		ops[k]->status = RTE_CRYPTO_OP_STATUS_NOT_PROCESSED;
		op_fill(ops[k], m, j, len);
	}
	nd = ops_cycle(cl, done, n);
	for (k = 0; k < nd; k++) {
		uintptr_t x = (uintptr_t)(done[k]->sym->m_src - shell);

		if (x < n)
			st[x] = op_status(done[k]);
	}
}

/*
 * Devices without CPU-crypto (QAT, crypto_openssl): each packet is copied
 * into an mbuf of ours (hardware needs DMA-able memory), the ops are put
 * through this lcore's queue pair, results copied back.
 */
static void
run_async(struct cdev_lcore *cl, struct sec_job **jobs, uint16_t n,
		int32_t *st)
{
	struct rte_crypto_op **ops = cl->ops, *done[SEC_CHUNK];
	struct rte_mbuf **mb = cl->mb;
	uint32_t lens[SEC_CHUNK];
	uint16_t k, nd;

	for (k = 0; k < n; k++)
		st[k] = -EIO;
	for (k = 0; k < n; k++) {
		struct sec_job *j = jobs[k];
		struct rte_crypto_sym_op *so = ops[k]->sym;
		uint8_t *md;

		rte_pktmbuf_reset(mb[k]);
		ops[k]->status = RTE_CRYPTO_OP_STATUS_NOT_PROCESSED;
		(void)job_ofs(j, &lens[k]);
		md = (uint8_t *)rte_pktmbuf_append(mb[k],
				(uint16_t)(lens[k] + 32));
		memcpy(md, j->data, lens[k]);
		op_fill(ops[k], mb[k], j, lens[k]);
		/* digest and AAD in DMA-able memory too */
		if (job_aead(j)) {
			uint8_t *aad = rte_crypto_op_ctod_offset(ops[k],
					uint8_t *, CDEV_IV_OFFSET + 16);

			memcpy(aad, j->aad, j->aad_len);
			so->aead.aad.data = aad;
			so->aead.aad.phys_addr = rte_crypto_op_ctophys_offset(
					ops[k], CDEV_IV_OFFSET + 16);
			if (!sec_job_protect(j))
				memcpy(md + lens[k], j->rtag, 16);
			so->aead.digest.data = md + lens[k];
			so->aead.digest.phys_addr = rte_pktmbuf_iova_offset(
					mb[k], lens[k]);
		} else {
			so->auth.digest.data = md + lens[k];
			so->auth.digest.phys_addr = rte_pktmbuf_iova_offset(
					mb[k], lens[k]);
		}
	}
	nd = ops_cycle(cl, done, n);
	for (k = 0; k < nd; k++) {
		struct rte_crypto_op *op = done[k];
		uint16_t x;

		for (x = 0; x < n && mb[x] != op->sym->m_src; x++)
			;
		if (x == n)
			continue;
		st[x] = op_status(op);
		if (st[x] == 0) {
			const uint8_t *md = rte_pktmbuf_mtod(mb[x], uint8_t *);
			struct sec_job *j = jobs[x];

			memcpy(j->data, md, lens[x]);
			if (!job_aead(j))
				memcpy(j->digest, md + lens[x], 20);
			else if (sec_job_protect(j))
				memcpy(j->tag_out, md + lens[x], 16);
		}
	}
}

/* One device pass over jobs: CPU-crypto when they share one session (the
 * cheapest call), ops across sessions otherwise. */
static void
run(struct cdev_lcore *cl, struct sec_job **jobs, uint16_t n, int32_t *st)
{
	uint16_t i;

	if (unlikely(cl->broken)) {
		for (i = 0; i < n; i++)
			st[i] = -EIO;
		return;
	}
	if (!cl->cpu) {
		run_async(cl, jobs, n, st);
		return;
	}
	for (i = 1; i < n && jobs[i]->sk->eng == jobs[0]->sk->eng; i++)
		;
	if (i == n)
		run_cpu(cl, jobs, n, st);
	else
		run_ops(cl, jobs, n, st);
}

/* Shapes the device sessions do not take: other GCM AAD lengths (CSRCs,
 * header extensions), E=0 SRTCP, and for bounce buffers huge packets. */
static inline bool
job_odd(const struct cdev_lcore *cl, const struct sec_job *j)
{
	if (j->enc_len == 0)
		return true;
	if (job_aead(j) && (j->aad_len != CDEV_AAD_LEN || j->aad2 != NULL))
		return true;
	return !cl->cpu && (job_aead(j) ? j->enc_off + j->enc_len :
			j->auth_len) > CDEV_ASYNC_MAX;
}

/* GCM unprotect jobs that gcm_open() takes: a software device with
 * intel-ipsec-mb, one contiguous AAD (E=0 SRTCP has two pieces: scratch). */
static inline bool
job_gcm_open(const struct cdev_lcore *cl, const struct sec_job *j)
{
	return job_aead(j) && cl->imb != NULL && !sec_job_protect(j) &&
		j->aad2 == NULL;
}

/*
 * GCM unprotect (RFC 7714 §8.2, §9.2): decrypt in place and compute the
 * tag over the received ciphertext with intel-ipsec-mb's direct GCM call,
 * then compare it in constant time ourselves. The plaintext is only used
 * if the tag matched (sec_xform's finish); a failed packet that another
 * key will see gets its ciphertext back (GCM's CTR run again, its tag
 * discarded). GCM is not multi-buffer in intel-ipsec-mb: one call per
 * packet is what the PMD does too.
 */
static void
gcm_open(const struct cdev_lcore *cl, struct sec_job *j)
{
#ifdef SEC_HAVE_IPSEC_MB
	IMB_MGR *m = cl->imb;
	const struct gcm_key_data *kd = j->sk->gcm;
	struct gcm_context_data ctx;
	uint8_t *p = j->data + j->enc_off, tag[16];
	bool k128 = j->s->suite->enc_key_len == 16;

	if (k128)
		IMB_AES128_GCM_DEC(m, kd, &ctx, p, p, j->enc_len, j->iv, j->aad,
				j->aad_len, tag, sizeof(tag));
	else
		IMB_AES256_GCM_DEC(m, kd, &ctx, p, p, j->enc_len, j->iv, j->aad,
				j->aad_len, tag, sizeof(tag));
	j->status = sec_tag_equal(tag, j->rtag, sizeof(tag)) ? SEC_ST_OK :
		SEC_ST_AUTH_FAIL;
	if (j->status == SEC_ST_AUTH_FAIL && j->restore) {
		if (k128)
			IMB_AES128_GCM_ENC(m, kd, &ctx, p, p, j->enc_len, j->iv,
					j->aad, j->aad_len, tag, sizeof(tag));
		else
			IMB_AES256_GCM_ENC(m, kd, &ctx, p, p, j->enc_len, j->iv,
					j->aad, j->aad_len, tag, sizeof(tag));
	}
	/* the right tag of a forged packet would be a forgery */
	OPENSSL_cleanse(tag, sizeof(tag));
	OPENSSL_cleanse(&ctx, sizeof(ctx));
#else
	(void)cl;
	j->status = SEC_ST_ERROR;
#endif
}

static void
cdev_crypt(struct sec_lcore *lc, struct sec_job **jobs, uint16_t n)
{
	struct cdev_lcore *cl = lc->eng[SEC_ENGINE_CRYPTODEV];
	struct sec_job *fast[SEC_CHUNK], *pass[SEC_CHUNK];
	int32_t st[SEC_CHUNK], st2[SEC_CHUNK];
	uint16_t i, nf = 0, np = 0;

	if (unlikely(cl == NULL)) {
		/* a context made before the engine was up */
		for (i = 0; i < n; i++)
			jobs[i]->status = SEC_ST_ERROR;
		return;
	}
	for (i = 0; i < n; i++) {
		if (job_gcm_open(cl, jobs[i]))
			gcm_open(cl, jobs[i]);
		else if (job_odd(cl, jobs[i]))
			sec_eng_openssl_crypt_scratch(&cl->scratch, jobs[i]);
		else
			fast[nf++] = jobs[i];
	}
	if (nf == 0)
		return;
	run(cl, fast, nf, st);
	for (i = 0; i < nf; i++) {
		struct sec_job *j = fast[i];

		if (sec_job_protect(j)) {
			j->status = st[i] == 0 ? SEC_ST_OK : SEC_ST_ERROR;
			continue;
		}
		if (job_aead(j)) {
			/* a hardware device verified the tag (software ones
			 * take gcm_open) */
			j->status = st[i] == 0 ? SEC_ST_OK : SEC_ST_AUTH_FAIL;
		} else if (st[i] != 0) {
			j->status = SEC_ST_ERROR;
			continue;
		} else {
			j->status = sec_tag_equal(j->digest, j->rtag,
					j->tag_len) ? SEC_ST_OK :
				SEC_ST_AUTH_FAIL;
		}
		/* a second key will see the ciphertext again: CTR is an
		 * involution, the same job once more restores it */
		if (j->status == SEC_ST_AUTH_FAIL && j->restore)
			pass[np++] = j;
	}
	if (np > 0)
		run(cl, pass, np, st2);
}

const struct sec_eng_ops sec_eng_cryptodev_ops = {
	.id = SEC_ENGINE_CRYPTODEV,
	.name = "cryptodev",
	.probe = cdev_probe,
	.fini = cdev_fini,
	.capabilities = cdev_caps,
	.lcore_init = cdev_lcore_init,
	.lcore_fini = cdev_lcore_fini,
	.burst = sec_xform_burst,
	.key_init = cdev_key_init,
	.key_fini = cdev_key_fini,
	/* the fallback for shapes a device session cannot take keys
	 * OpenSSL scratch contexts per packet from the raw keys */
	.keep_raw = true,
	.crypt = cdev_crypt,
};
