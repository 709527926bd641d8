/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ipsecmb engine's per-packet path: the jobs of one chunk (packets of
 * any sessions, each job with its own key state) through intel-ipsec-mb's
 * job API on the lcore's own manager, then one flush. The HMAC-SHA1 of
 * many calls fill the manager's SIMD lanes together, as VPP's ipsecmb
 * engine and DPDK's aesni_mb PMD drive the library; nothing here goes
 * through a device, a session pool or a queue pair.
 *
 *  AES-CM protect:   CTR then HMAC-SHA1 over header || ciphertext || ROC,
 *                    one chained job (RFC 3711 §3.3);
 *  AES-CM unprotect: one chained job, HMAC over the received packet then
 *                    CTR in place (the shape of the library's own
 *                    decrypt-and-verify, and of the bound); the tag is
 *                    compared in constant time (sec_tag_equal) after the
 *                    flush. A packet that failed is dropped by our
 *                    transform and its bytes never leave (RFC 3711 §3.3
 *                    step 5: nothing of it is used). Only when another
 *                    key will be tried (rekey) is its ciphertext given
 *                    back, by CTR again (an involution). As two jobs
 *                    (HMAC, then CTR for the packets that passed) every
 *                    good packet paid a second job and a second flush;
 *  GCM protect:      one direct GCM call (the library's GCM is not
 *                    multi-buffer), the tag written behind the payload;
 *  GCM unprotect:    one direct GCM call decrypts in place and returns the tag it
 *                    computed over the received ciphertext, which we
 *                    compare ourselves in constant time; a failed packet
 *                    another key will see gets its ciphertext back (GCM
 *                    encryption again: CTR is an involution). The library
 *                    takes any AAD length (CSRCs, header extensions), and
 *                    E=0 SRTCP's two AAD pieces are made one in place.
 *
 * The lcore of the context only: no allocation, lock, syscall or log.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <rte_branch_prediction.h>

#include "sec_priv.h"
#include "sec_eng_ipsecmb.h"

/* A completed job: an error from the library fails its packet. */
static inline void
job_done(const IMB_JOB *x)
{
	struct sec_job *j = x->user_data;

	if (unlikely(x->status != IMB_STATUS_COMPLETED))
		j->status = SEC_ST_ERROR;
}

/* Submit the job filled last; collect what completed meanwhile. Without
 * the library's argument checks, as DPDK's aesni_mb PMD submits outside
 * its debug builds: every job here is made by this file from a packet our
 * transform parsed and bounded (no zero-length CTR, lengths within the
 * packet), and the KATs, test_sec_diff and the fuzz targets run it under
 * ASan. */
static inline void
job_submit(IMB_MGR *m)
{
	IMB_JOB *x = IMB_SUBMIT_JOB_NOCHECK(m);

	while (x != NULL) {
		job_done(x);
		x = IMB_GET_COMPLETED_JOB(m);
	}
}

/* Complete every job in the manager (partly filled lanes included). */
static inline void
job_flush(IMB_MGR *m)
{
	IMB_JOB *x;

	while ((x = IMB_FLUSH_JOB(m)) != NULL)
		job_done(x);
}

/* A job slot for j, in place on its packet, with no cipher and no hash
 * yet (the callers set what they run). */
static inline IMB_JOB *
job_new(IMB_MGR *m, struct sec_job *j)
{
	IMB_JOB *x = IMB_GET_NEXT_JOB(m);

	x->user_data = j;
	x->src = j->data;
	x->dst = j->data + j->enc_off;
	x->cipher_mode = IMB_CIPHER_NULL;
	x->hash_alg = IMB_AUTH_NULL;
	x->cipher_start_src_offset_in_bytes = j->enc_off;
	x->msg_len_to_cipher_in_bytes = 0;
	x->hash_start_src_offset_in_bytes = 0;
	x->msg_len_to_hash_in_bytes = 0;
	x->auth_tag_output = NULL;
	x->auth_tag_output_len_in_bytes = 0;
	return x;
}

/* AES-CTR over the encrypted part (RFC 3711 §4.1.1; both directions). */
static inline void
job_ctr(IMB_JOB *x, const struct sec_job *j, const void *k)
{
	if (j->enc_len == 0)
		return;
	x->cipher_mode = IMB_CIPHER_CNTR;
	x->cipher_direction = IMB_DIR_ENCRYPT;
	x->enc_keys = k;
	x->dec_keys = k;
	x->key_len_in_bytes = j->s->suite->enc_key_len;
	x->iv = j->iv;
	x->iv_len_in_bytes = 16;
	x->msg_len_to_cipher_in_bytes = j->enc_len;
}

/* HMAC-SHA1 over data[0, auth_len) into j->digest (all 20 bytes: the tag
 * is its first tag_len, RFC 3711 §4.2). */
static inline void
job_hmac(IMB_JOB *x, struct sec_job *j, const void *k)
{
	uint32_t kl = j->s->suite->enc_key_len;

	x->hash_alg = IMB_AUTH_HMAC_SHA_1;
	x->u.HMAC._hashed_auth_key_xor_ipad = imb_cm_ipad(k, kl);
	x->u.HMAC._hashed_auth_key_xor_opad = imb_cm_opad(k, kl);
	x->msg_len_to_hash_in_bytes = j->auth_len;
	x->auth_tag_output = j->digest;
	x->auth_tag_output_len_in_bytes = 20;
}

/* AES-GCM (RFC 7714 §8, §9) of j in place through the library's direct
 * API, one call per packet: its GCM is not multi-buffer, so a job buys no
 * lanes and costs the job's setup and the manager's queue (measured in the
 * pipeline: GCM unprotect as jobs ran at 0.85x the cryptodev engine, which
 * calls these functions). The tag computed goes to tag; the context, which
 * holds key-dependent hash state, is cleansed. */
static inline void
gcm_direct(IMB_MGR *m, const struct sec_job *j, bool enc, uint8_t *tag,
		uint64_t aad_len)
{
	const struct gcm_key_data *kd = j->sk->eng;
	struct gcm_context_data ctx;
	uint8_t *p = j->data + j->enc_off;

	if (j->s->suite->enc_key_len == 16) {
		if (enc)
			IMB_AES128_GCM_ENC(m, kd, &ctx, p, p, j->enc_len, j->iv,
					j->aad, aad_len, tag, 16);
		else
			IMB_AES128_GCM_DEC(m, kd, &ctx, p, p, j->enc_len, j->iv,
					j->aad, aad_len, tag, 16);
	} else {
		if (enc)
			IMB_AES256_GCM_ENC(m, kd, &ctx, p, p, j->enc_len, j->iv,
					j->aad, aad_len, tag, 16);
		else
			IMB_AES256_GCM_DEC(m, kd, &ctx, p, p, j->enc_len, j->iv,
					j->aad, aad_len, tag, 16);
	}
	OPENSSL_cleanse(&ctx, sizeof(ctx));
}

/*
 * The AAD length of GCM unprotect job j as one piece. E=0 SRTCP (RFC 7714
 * §9.3) authenticates the whole packet then the E|index word that follows
 * the tag: the word is copied over the tag's first 4 bytes (the tag is in
 * j->rtag; gcm_aad_restore puts them back), which makes the AAD one run.
 * 0 for a shape our transform never makes.
 */
static inline bool
gcm_aad_split(const struct sec_job *j)
{
	return j->aad2 != NULL && j->aad == j->data &&
		j->aad_len == j->enc_off && j->enc_len == 0;
}

static inline uint64_t
gcm_aad_join(struct sec_job *j)
{
	if (j->aad2 == NULL)
		return j->aad_len;
	if (!gcm_aad_split(j))
		return 0;
	memcpy(j->data + j->aad_len, j->aad2, 4);
	return j->aad_len + 4;
}

static inline void
gcm_aad_restore(struct sec_job *j)
{
	if (gcm_aad_split(j))
		memcpy(j->data + j->aad_len, j->rtag, 4);
}

/* First pass of j: all of protect; all of unprotect but the tag compare
 * (AES-CM: HMAC into j->digest, then CTR; GCM: decrypt with the tag
 * computed into j->digest). */
static void
pass1(struct imb_lcore *il, struct sec_job *j)
{
	const void *k = j->sk->eng;
	IMB_MGR *m = il->m;
	bool prot = sec_job_protect(j);
	uint64_t aad_len;
	IMB_JOB *x;

	/* a job may come back for its fallback key with the last verdict */
	j->status = SEC_ST_OK;
	if (j->aead) {
		aad_len = prot ? j->aad_len : gcm_aad_join(j);
		if (unlikely(aad_len == 0)) {
			j->status = SEC_ST_ERROR;
			return;
		}
		gcm_direct(il->g, j, prot, prot ? j->tag_out : j->digest,
				aad_len);
		return;
	} else {
		x = job_new(m, j);
		job_ctr(x, j, k);
		job_hmac(x, j, k);
		x->cipher_direction = prot ? IMB_DIR_ENCRYPT : IMB_DIR_DECRYPT;
		x->chain_order = prot ? IMB_ORDER_CIPHER_HASH :
			IMB_ORDER_HASH_CIPHER;
	}
	job_submit(m);
}

/*
 * Second pass of unprotect job j, after every first pass completed: the
 * constant-time tag compare (RFC 3711 §3.3 step 5: the plaintext of a
 * packet that fails is never used). A packet that failed and will be
 * tried with the other key (j->restore) gets its ciphertext back: CTR
 * again for AES-CM (submitted: returns true), GCM encryption again (a
 * direct call). Returns whether it submitted a job.
 */
static bool
pass2(struct imb_lcore *il, struct sec_job *j)
{
	IMB_JOB *x;

	if (j->aead)
		gcm_aad_restore(j);
	if (j->status != SEC_ST_OK)
		return false;
	if (sec_tag_equal(j->digest, j->rtag, j->tag_len))
		return false;
	j->status = SEC_ST_AUTH_FAIL;
	/* the right tag of a forged packet would be a forgery */
	OPENSSL_cleanse(j->digest, sizeof(j->digest));
	if (!j->restore || j->enc_len == 0)
		return false;
	if (!j->aead) {
		x = job_new(il->m, j);
		job_ctr(x, j, j->sk->eng);
		x->chain_order = IMB_ORDER_CIPHER_HASH;
		job_submit(il->m);
		return true;
	}
	/* GCM encryption again gives the ciphertext back (CTR is an
	 * involution); the tag it computes is the forgery's right one */
	gcm_direct(il->g, j, true, j->digest, j->aad_len);
	OPENSSL_cleanse(j->digest, sizeof(j->digest));
	return false;
}

void
sec_eng_ipsecmb_crypt(struct sec_lcore *lc, struct sec_job **jobs,
		uint16_t n)
{
	struct imb_lcore *il = lc->eng[SEC_ENGINE_IPSECMB];
	bool again = false;
	uint16_t i;

	if (unlikely(il == NULL)) {
		/* a context made before the engine was up */
		for (i = 0; i < n; i++)
			jobs[i]->status = SEC_ST_ERROR;
		return;
	}
	for (i = 0; i < n; i++)
		pass1(il, jobs[i]);
	job_flush(il->m);
	for (i = 0; i < n; i++)
		if (!sec_job_protect(jobs[i]))
			again |= pass2(il, jobs[i]);
	if (again)
		job_flush(il->m);
}
