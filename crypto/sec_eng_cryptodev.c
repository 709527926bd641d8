/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The cryptodev engine: our SRTP transform (sec_xform.c) with the cipher
 * and HMAC/GCM done by a DPDK cryptodev, crypto_aesni_mb by default,
 * through the synchronous CPU-crypto API (rte_cryptodev_sym_cpu_crypto_
 * process) so it runs inline on the worker lcore.
 *
 * Sessions per key, created on the control thread:
 *  AES-CM protect:   cipher(CTR) -> auth(HMAC-SHA1) chain, one call;
 *  AES-CM unprotect: auth -> cipher chain (HMAC over the ciphertext, then
 *                    CTR) in one job; the tag is compared in constant time
 *                    before anything uses the plaintext; a failed packet
 *                    is restored (CTR again) only if another key will
 *                    be tried;
 *  GCM:              AEAD sessions for AADs of 12 bytes (SRTCP hdr ||
 *                    E|index; RTP header alone), 16 and 20 (one CSRC or
 *                    a short header extension).
 * Other AAD lengths (more CSRCs, longer extensions, E=0 SRTCP) go to the
 * EVP backend of the same key, so every packet shape is served.
 *
 * Devices without CPU-crypto (QAT, crypto_openssl) run through enqueue/
 * dequeue on the calling lcore's queue pair: each packet is copied into an
 * mbuf (the API takes plain pointers, and hardware needs DMA-able memory),
 * the burst is enqueued and polled until it is back, and results are
 * copied out. Synchronous from the caller's view; no syscalls or locks.
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
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "sec_priv.h"

#define CDEV_DEFAULT "crypto_aesni_mb"
/* op private area: IV (16) then AAD (up to 20, padded) */
#define CDEV_IV_OFFSET (sizeof(struct rte_crypto_op) + \
		sizeof(struct rte_crypto_sym_op))
#define CDEV_OP_PRIV 64
#define CDEV_MBUF_ROOM 2048
#define CDEV_ASYNC_MAX (CDEV_MBUF_ROOM - 64)  /* data, digest after it */
#define CDEV_POLL_MAX 100000000u

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
	struct rte_mempool *op_mp;  /* async: crypto ops */
	struct rte_mempool *mb_mp;  /* async: bounce mbufs */
} cd;

struct cdev_key {
	void *chain;   /* CM: cipher->auth (protect), auth->cipher */
	void *cipher;  /* CM unprotect: restore after a failed tag */
	void *aead[3]; /* GCM, AAD of 12, 16, 20 bytes (SRTCP: 12 only) */
};

/* AAD lengths with their own AEAD session: RTP header without CSRC or
 * extension, and with one CSRC or a one-word extension, or both forms
 * of 16/20 bytes. Other AAD lengths are served by EVP. */
static inline int
aad_slot(uint32_t aad_len)
{
	return aad_len == 12 ? 0 : aad_len == 16 ? 1 : aad_len == 20 ? 2 : -1;
}

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
	if (cd.up && cd.created_vdev) {
		struct rte_cryptodev_info info;

		rte_cryptodev_info_get(cd.dev, &info);
		rte_cryptodev_close(cd.dev);
		if (info.device != NULL)
			rte_dev_remove(info.device);
	}
	memset(&cd, 0, sizeof(cd));
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
	uint32_t nsess = cfg->max_sessions ? cfg->max_sessions : 4096;
	unsigned int i;

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
	/* up to 4 device sessions per key (2 protocols x 2) */
	cd.mp = rte_cryptodev_sym_session_pool_create("imsagw_sec_sess",
			nsess * 4, rte_cryptodev_sym_get_private_session_size(
				cd.dev), 0, 0, socket);
	if (cd.mp == NULL) {
		cdev_fini();
		return -ENOMEM;
	}
	/* async: one queue pair per lcore (a worker uses its own) */
	cd.nqp = 1;
	if (!cd.cpu) {
		cd.nqp = (uint16_t)RTE_MIN(rte_lcore_count(),
				info.max_nb_queue_pairs);
		cd.op_mp = rte_crypto_op_pool_create("imsagw_sec_ops",
				RTE_CRYPTO_OP_TYPE_SYMMETRIC, 2048, 64,
				CDEV_OP_PRIV, socket);
		cd.mb_mp = rte_pktmbuf_pool_create("imsagw_sec_mbuf", 2048, 64,
				0, CDEV_MBUF_ROOM + RTE_PKTMBUF_HEADROOM, socket);
		if (cd.op_mp == NULL || cd.mb_mp == NULL || cd.nqp == 0) {
			cdev_fini();
			return -ENOMEM;
		}
		SEC_LOG(SEC_LOG_INFO, "cryptodev %s: no CPU-crypto API, "
				"enqueue/dequeue on %u queue pairs", name,
				cd.nqp);
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
	struct cdev_key *ck = k->eng;

	if (ck != NULL) {
		/* PMD session free zeroizes the private session data */
		sess_free(ck->chain);
		sess_free(ck->cipher);
		sess_free(ck->aead[0]);
		sess_free(ck->aead[1]);
		sess_free(ck->aead[2]);
		free(ck);
		k->eng = NULL;
	}
	sec_evp_key_fini(k);
}

static int
cdev_key_init(const struct sec_session *s, struct sec_subkey *k)
{
	const struct sec_suite *su = s->suite;
	struct rte_crypto_sym_xform cx, ax, gx;
	struct cdev_key *ck;
	int rc;

	rc = sec_evp_key_init(s, k);   /* fallback for odd shapes */
	if (rc != 0)
		return rc;
	ck = calloc(1, sizeof(*ck));
	if (ck == NULL) {
		sec_evp_key_fini(k);
		return -ENOMEM;
	}
	k->eng = ck;
	memset(&cx, 0, sizeof(cx));
	memset(&ax, 0, sizeof(ax));
	memset(&gx, 0, sizeof(gx));
	if (su->aead) {
		gx.type = RTE_CRYPTO_SYM_XFORM_AEAD;
		gx.aead.op = s->dir == SEC_DIR_PROTECT ?
			RTE_CRYPTO_AEAD_OP_ENCRYPT : RTE_CRYPTO_AEAD_OP_DECRYPT;
		gx.aead.algo = RTE_CRYPTO_AEAD_AES_GCM;
		gx.aead.key.data = k->ek;
		gx.aead.key.length = su->enc_key_len;
		gx.aead.iv.offset = CDEV_IV_OFFSET;
		gx.aead.iv.length = 12;
		gx.aead.digest_length = 16;
		gx.aead.aad_length = 12;
		ck->aead[0] = sess_new(&gx);
		if (ck->aead[0] == NULL)
			goto fail;
		if (!k->is_rtcp) {
			gx.aead.aad_length = 16;
			ck->aead[1] = sess_new(&gx);
			gx.aead.aad_length = 20;
			ck->aead[2] = sess_new(&gx);
			if (ck->aead[1] == NULL || ck->aead[2] == NULL)
				goto fail;
		}
		return 0;
	}
	cx.type = RTE_CRYPTO_SYM_XFORM_CIPHER;
	cx.cipher.op = RTE_CRYPTO_CIPHER_OP_ENCRYPT;
	cx.cipher.algo = RTE_CRYPTO_CIPHER_AES_CTR;
	cx.cipher.key.data = k->ek;
	cx.cipher.key.length = su->enc_key_len;
	cx.cipher.iv.offset = CDEV_IV_OFFSET;
	cx.cipher.iv.length = 16;
	ax.type = RTE_CRYPTO_SYM_XFORM_AUTH;
	ax.auth.op = RTE_CRYPTO_AUTH_OP_GENERATE;
	ax.auth.algo = RTE_CRYPTO_AUTH_SHA1_HMAC;
	ax.auth.key.data = k->ak;
	ax.auth.key.length = su->auth_key_len;
	ax.auth.digest_length = 20;
	if (s->dir == SEC_DIR_PROTECT) {
		cx.next = &ax;
		ck->chain = sess_new(&cx);
		if (ck->chain == NULL)
			goto fail;
	} else {
		/* HMAC over the ciphertext, then CTR, in one job; the tag is
		 * compared by us in constant time before the plaintext is
		 * used (the PMD's VERIFY compares with memcmp) */
		ax.next = &cx;
		ck->chain = sess_new(&ax);
		ax.next = NULL;
		ck->cipher = sess_new(&cx);
		if (ck->chain == NULL || ck->cipher == NULL)
			goto fail;
	}
	return 0;
fail:
	cdev_key_fini(k);
	return -EIO;
}

enum run_kind {
	RUN_CHAIN,
	RUN_CIPHER,
	RUN_AEAD,
};

static inline union rte_crypto_sym_ofs
job_ofs(const struct sec_job *j, enum run_kind kind, uint32_t *len)
{
	union rte_crypto_sym_ofs o;

	o.raw = 0;
	switch (kind) {
	case RUN_CHAIN:
		*len = j->auth_len;
		o.ofs.cipher.head = (uint16_t)j->enc_off;
		o.ofs.cipher.tail = (uint16_t)(j->auth_len - j->enc_off -
				j->enc_len);
		break;
	case RUN_CIPHER:
	case RUN_AEAD:
		*len = j->enc_off + j->enc_len;
		o.ofs.cipher.head = (uint16_t)j->enc_off;
		break;
	}
	return o;
}

/*
 * One CPU-crypto call per run of jobs with equal offsets (the ofs argument
 * is per call); a burst of one flow is normally a single run.
 */
static void
run_cpu(void *sess, struct sec_job **jobs, uint16_t n, enum run_kind kind,
		bool protect, int32_t *st)
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
		ofs = job_ofs(jobs[i], kind, &len);
		for (k = i; k < n; k++) {
			struct sec_job *j = jobs[k];

			o = job_ofs(j, kind, &len);
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
			if (kind == RUN_AEAD)
				dg[m].va = protect ? j->tag_out : j->rtag;
			else
				dg[m].va = j->digest;
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
		(void)rte_cryptodev_sym_cpu_crypto_process(cd.dev, sess, ofs,
				&sv);
		i = k;
	}
}

static inline uint16_t
my_qp(void)
{
	int li = rte_lcore_index(-1);

	return li < 0 ? 0 : (uint16_t)((unsigned int)li % cd.nqp);
}

/*
 * Enqueue/dequeue for devices without CPU-crypto: same job shapes as
 * run_cpu(), st[k] = 0, -EBADMSG (tag, AEAD verify) or -EIO.
 */
static void
run_async(void *sess, struct sec_job **jobs, uint16_t n, enum run_kind kind,
		bool protect, int32_t *st)
{
	struct rte_crypto_op *ops[SEC_CHUNK], *done[SEC_CHUNK];
	struct rte_mbuf *mb[SEC_CHUNK];
	uint32_t lens[SEC_CHUNK], spins = 0;
	uint16_t qp = my_qp(), k, ne = 0, nd = 0;

	for (k = 0; k < n; k++)
		st[k] = -EIO;
	if (rte_crypto_op_bulk_alloc(cd.op_mp, RTE_CRYPTO_OP_TYPE_SYMMETRIC,
				ops, n) != n)
		return;
	if (rte_pktmbuf_alloc_bulk(cd.mb_mp, mb, n) != 0) {
		for (k = 0; k < n; k++)
			rte_crypto_op_free(ops[k]);
		return;
	}
	for (k = 0; k < n; k++) {
		struct sec_job *j = jobs[k];
		struct rte_crypto_op *op = ops[k];
		struct rte_crypto_sym_op *so = op->sym;
		union rte_crypto_sym_ofs o = job_ofs(j, kind, &lens[k]);
		uint8_t *md = (uint8_t *)rte_pktmbuf_append(mb[k],
				(uint16_t)(lens[k] + 32));
		uint8_t *iv = rte_crypto_op_ctod_offset(op, uint8_t *,
				CDEV_IV_OFFSET);

		(void)o;
		memcpy(md, j->data, lens[k]);
		memcpy(iv, j->iv, 16);
		so->m_src = mb[k];
		if (kind == RUN_AEAD) {
			so->aead.data.offset = j->enc_off;
			so->aead.data.length = j->enc_len;
			memcpy(iv + 16, j->aad, j->aad_len);
			so->aead.aad.data = iv + 16;
			so->aead.aad.phys_addr = rte_crypto_op_ctophys_offset(
					op, CDEV_IV_OFFSET + 16);
			if (!protect)
				memcpy(md + lens[k], j->rtag, 16);
			so->aead.digest.data = md + lens[k];
			so->aead.digest.phys_addr = rte_pktmbuf_iova_offset(
					mb[k], lens[k]);
		} else {
			so->cipher.data.offset = j->enc_off;
			so->cipher.data.length = j->enc_len;
			if (kind == RUN_CHAIN) {
				so->auth.data.offset = 0;
				so->auth.data.length = j->auth_len;
				so->auth.digest.data = md + lens[k];
				so->auth.digest.phys_addr =
					rte_pktmbuf_iova_offset(mb[k], lens[k]);
			}
		}
		rte_crypto_op_attach_sym_session(op, sess);
	}
	while (nd < n && spins++ < CDEV_POLL_MAX) {
		if (ne < n)
			ne += rte_cryptodev_enqueue_burst(cd.dev, qp, ops + ne,
					(uint16_t)(n - ne));
		nd += rte_cryptodev_dequeue_burst(cd.dev, qp, done + nd,
				(uint16_t)(n - nd));
	}
	for (k = 0; k < nd; k++) {
		struct rte_crypto_op *op = done[k];
		uint16_t x;

		for (x = 0; x < n && mb[x] != op->sym->m_src; x++)
			;
		if (x == n)
			continue;
		if (op->status == RTE_CRYPTO_OP_STATUS_SUCCESS) {
			const uint8_t *md = rte_pktmbuf_mtod(mb[x], uint8_t *);
			struct sec_job *j = jobs[x];

			memcpy(j->data, md, lens[x]);
			if (kind == RUN_CHAIN)
				memcpy(j->digest, md + lens[x], 20);
			else if (kind == RUN_AEAD && protect)
				memcpy(j->tag_out, md + lens[x], 16);
			st[x] = 0;
		} else if (op->status == RTE_CRYPTO_OP_STATUS_AUTH_FAILED) {
			st[x] = -EBADMSG;
		}
	}
	/* ops still in the device after the poll limit are leaked rather
	 * than freed under the PMD (cannot happen with a working device) */
	for (k = 0; k < nd; k++)
		rte_crypto_op_free(done[k]);
	if (nd == n)
		rte_pktmbuf_free_bulk(mb, n);
}

static inline void
run(void *sess, struct sec_job **jobs, uint16_t n, enum run_kind kind,
		bool protect, int32_t *st)
{
	if (cd.cpu)
		run_cpu(sess, jobs, n, kind, protect, st);
	else
		run_async(sess, jobs, n, kind, protect, st);
}

static void
cdev_crypt(const struct sec_session *s, struct sec_subkey *k,
		struct sec_job **jobs, uint16_t n, enum sec_op op, bool restore)
{
	struct cdev_key *ck = k->eng;
	struct sec_job *fast[SEC_CHUNK], *pass[SEC_CHUNK];
	int32_t st[SEC_CHUNK], st2[SEC_CHUNK];
	uint16_t i, nf = 0, np = 0;

	/* shapes the device session cannot take go through EVP */
	for (i = 0; i < n; i++) {
		struct sec_job *j = jobs[i];

		if ((s->suite->aead && (aad_slot(j->aad_len) < 0 ||
					ck->aead[aad_slot(j->aad_len)] == NULL ||
					j->aad2 != NULL)) || j->enc_len == 0 ||
				(!cd.cpu && (s->suite->aead ?
					j->enc_off + j->enc_len :
					j->auth_len) > CDEV_ASYNC_MAX))
			sec_evp_crypt_one(s, k, j, op, restore);
		else
			fast[nf++] = j;
	}
	if (nf == 0)
		return;
	if (s->suite->aead) {
		int a;

		/* one pass per AAD length (one session each); normally one */
		for (a = 0; a < 3; a++) {
			struct sec_job *grp[SEC_CHUNK];
			uint16_t ng = 0;

			for (i = 0; i < nf; i++)
				if (aad_slot(fast[i]->aad_len) == a)
					grp[ng++] = fast[i];
			if (ng == 0)
				continue;
			np = 0;
			run(ck->aead[a], grp, ng, RUN_AEAD,
					op == SEC_OP_PROTECT, st);
			for (i = 0; i < ng; i++) {
				if (st[i] == 0) {
					grp[i]->status = SEC_ST_OK;
				} else if (op == SEC_OP_UNPROTECT) {
					grp[i]->status = SEC_ST_AUTH_FAIL;
					if (restore)
						pass[np++] = grp[i];
				} else {
					grp[i]->status = SEC_ST_ERROR;
				}
			}
			/* a failed open left garbage: CTR again restores */
			if (np > 0)
				run(ck->aead[a], pass, np, RUN_AEAD, false,
						st2);
		}
		return;
	}
	if (op == SEC_OP_PROTECT) {
		run(ck->chain, fast, nf, RUN_CHAIN, true, st);
		for (i = 0; i < nf; i++)
			fast[i]->status = st[i] == 0 ? SEC_ST_OK : SEC_ST_ERROR;
		return;
	}
	run(ck->chain, fast, nf, RUN_CHAIN, false, st);
	for (i = 0; i < nf; i++) {
		struct sec_job *j = fast[i];

		if (st[i] != 0) {
			j->status = SEC_ST_ERROR;
		} else if (CRYPTO_memcmp(j->digest, j->rtag, j->tag_len) != 0) {
			j->status = SEC_ST_AUTH_FAIL;
			/* a second key will see the ciphertext again: CTR
			 * is an involution */
			if (restore)
				pass[np++] = j;
		} else {
			j->status = SEC_ST_OK;
		}
	}
	if (np > 0)
		run(ck->cipher, pass, np, RUN_CIPHER, false, st2);
}

const struct sec_eng_ops sec_eng_cryptodev_ops = {
	.id = SEC_ENGINE_CRYPTODEV,
	.name = "cryptodev",
	.probe = cdev_probe,
	.fini = cdev_fini,
	.capabilities = cdev_caps,
	.burst = sec_xform_burst,
	.key_init = cdev_key_init,
	.key_fini = cdev_key_fini,
	.crypt = cdev_crypt,
};
