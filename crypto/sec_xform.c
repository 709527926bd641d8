/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Our SRTP/SRTCP packet transform (RFC 3711, RFC 7714), shared by the
 * openssl and cryptodev engines; the crypto itself is the engine's crypt().
 *
 * Receive order (RFC 3711 §3.3, SPEC §5.5): parse -> MKI -> stream ->
 * index estimate -> replay check -> constant-time tag check -> decrypt ->
 * window/ROC update. Sender side mirrors libsrtp: it estimates the index
 * from the RTP sequence number and refuses to protect an index twice
 * (keystream reuse), and SRTCP indexes start at 1.
 *
 * Owner lcore only: no allocation, lock, syscall or log here.
 */
#include <string.h>

#include "sec_priv.h"

static inline uint32_t
ld32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

static inline uint16_t
ld16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void
st32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* RTP header length (RFC 3550 §5.1, §5.3.1); -1 if malformed. */
static inline int
rtp_hdr_len(const uint8_t *d, uint32_t len, uint32_t *hl, bool v2)
{
	uint32_t h;

	if (len < 12 || (v2 && (d[0] >> 6) != 2))
		return -1;
	h = 12 + 4u * (d[0] & 0x0f);
	if (d[0] & 0x10) {
		if (len < h + 4)
			return -1;
		h += 4 + 4u * ld16(d + h + 2);
	}
	if (h > len)
		return -1;
	*hl = h;
	return 0;
}

/* iv = salt16 ^ (hi || lo), hi/lo given as big-endian numbers: word
 * arithmetic, no byte stores read back as words (store-forward stalls) */
static inline void
iv_xor(uint8_t *iv, const uint8_t *salt16, uint64_t hi, uint64_t lo)
{
	uint64_t x[2];

	memcpy(x, salt16, 16);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	hi = __builtin_bswap64(hi);
	lo = __builtin_bswap64(lo);
#endif
	x[0] ^= hi;
	x[1] ^= lo;
	memcpy(iv, x, 16);
}

/* AES-CM IV (RFC 3711 §4.1.1): salt*2^16 ^ SSRC*2^64 ^ index*2^16.
 * salt16 is the 14-byte session salt followed by 2 zero bytes. */
static inline void
iv_cm(uint8_t *iv, const uint8_t *salt16, uint32_t ssrc, uint64_t idx)
{
	iv_xor(iv, salt16, ssrc, (idx & 0xffffffffffffull) << 16);
}

/* GCM IV (RFC 7714 §8.1, §9.1): 00 00 SSRC ROC SEQ (SRTCP: 00 00 SSRC
 * 00 00 0|index) ^ salt; salt16 is the 12-byte salt and 4 zero bytes
 * (the last 4 IV bytes are unused: the IV is 12 bytes). */
static inline void
iv_gcm(uint8_t *iv, const uint8_t *salt16, uint32_t ssrc, uint64_t idx48)
{
	iv_xor(iv, salt16, (uint64_t)ssrc << 16 | ((idx48 >> 32) & 0xffff),
			(idx48 & 0xffffffffull) << 32);
}

static inline void
job_iv(const struct sec_session *s, const struct sec_subkey *sk,
		struct sec_job *j)
{
	if (s->suite->aead)
		iv_gcm(j->iv, sk->salt, j->ssrc, j->index);
	else
		iv_cm(j->iv, sk->salt, j->ssrc, j->index);
}

static inline struct sec_stream *
stream_find(struct sec_session *s, uint32_t ssrc)
{
	uint32_t i;

	for (i = 0; i < s->nstreams; i++)
		if (s->streams[i].used && s->streams[i].ssrc == ssrc)
			return &s->streams[i];
	return NULL;
}

static inline struct sec_stream *
stream_get(struct sec_session *s, uint32_t ssrc)
{
	struct sec_stream *st = stream_find(s, ssrc);
	uint32_t i;

	if (st != NULL)
		return st;
	for (i = 0; i < s->nstreams; i++) {
		st = &s->streams[i];
		if (!st->used) {
			st->used = 1;
			st->ssrc = ssrc;
			st->rtp_seen = 0;
			st->rtcp_seen = 0;
			st->rtp_highest = 0;
			st->rtcp_index = 0;
			return st;
		}
	}
	return NULL;
}

/*
 * Index estimate (RFC 3711 §3.3.1, Appendix A). While the highest index
 * is <= 2^15 the guess is SEQ with ROC 0, as libsrtp does; this equals
 * the RFC rule with ROC-1 clamped at 0.
 */
static inline uint64_t
est_index(const struct sec_stream *st, uint16_t seq)
{
	uint64_t h;
	uint32_t roc, v;
	uint16_t s_l;

	if (st == NULL || !st->rtp_seen || st->rtp_highest <= 32768)
		return seq;
	h = st->rtp_highest;
	roc = (uint32_t)(h >> 16);
	s_l = (uint16_t)h;
	v = roc;
	if (s_l < 32768) {
		if ((int32_t)seq - (int32_t)s_l > 32768)
			v = roc - 1;
	} else {
		if ((int32_t)s_l - 32768 > (int32_t)seq)
			v = roc + 1;
	}
	return ((uint64_t)v << 16 | seq) & 0xffffffffffffull;
}

static inline uint64_t
win_bit(const struct sec_session *s, uint64_t idx)
{
	return s->win_mask ? idx & s->win_mask : idx % s->window;
}

/* Replay window check (RFC 3711 §3.3.2). */
static inline uint8_t
win_check(const struct sec_session *s, const uint64_t *w, uint8_t seen,
		uint64_t highest, uint64_t idx)
{
	uint64_t b;

	if (!seen || idx > highest)
		return SEC_ST_OK;
	if (highest - idx >= s->window)
		return SEC_ST_TOO_OLD;
	b = win_bit(s, idx);
	return (w[b >> 6] >> (b & 63)) & 1 ? SEC_ST_REPLAY : SEC_ST_OK;
}

static inline void
win_update(const struct sec_session *s, uint64_t *w, uint8_t *seen,
		uint64_t *highest, uint64_t idx)
{
	uint64_t b, k;

	if (!*seen) {
		memset(w, 0, s->win_words * sizeof(*w));
		*seen = 1;
		*highest = idx;
	} else if (idx > *highest) {
		if (idx - *highest >= s->window) {
			memset(w, 0, s->win_words * sizeof(*w));
		} else {
			for (k = *highest + 1; k < idx; k++) {
				b = win_bit(s, k);
				w[b >> 6] &= ~(1ull << (b & 63));
			}
		}
		*highest = idx;
	}
	b = win_bit(s, idx);
	w[b >> 6] |= 1ull << (b & 63);
}

/* ---- protect ---------------------------------------------------------- */

static uint8_t
prep_rtp_protect(struct sec_session *s, struct sec_key *k,
		struct sec_pkt *pkt, struct sec_job *j)
{
	struct sec_subkey *sk = &k->rtp;
	uint8_t *d = pkt->data;
	uint32_t len = pkt->len, hl, tl = s->suite->srtp_tag_len;
	uint32_t ml = k->mki_len, need;
	struct sec_stream *st;
	uint64_t idx, hi;
	uint8_t r;

	if (len > pkt->room || rtp_hdr_len(d, len, &hl, true) < 0)
		return SEC_ST_MALFORMED;
	if (d[0] & 0x20) {
		uint32_t pl = len - hl;

		/* RFC 3550 §5.1: the last octet counts padding incl. itself */
		if (pl == 0 || d[len - 1] == 0 || d[len - 1] > pl)
			return SEC_ST_MALFORMED;
	}
	need = s->suite->aead ? len + 16 + ml : len + ml + tl;
	if (need < len + 4)
		need = len + 4;
	if (need > pkt->room)
		return SEC_ST_NO_ROOM;
	if (sk->used >= sk->limit)
		return SEC_ST_KEY_LIMIT;
	j->ssrc = ld32(d + 8);
	st = stream_get(s, j->ssrc);
	if (st == NULL)
		return SEC_ST_NO_STREAM;
	idx = est_index(st, ld16(d + 2));
	r = win_check(s, st->rtp_win, st->rtp_seen, st->rtp_highest, idx);
	if (r != SEC_ST_OK)
		return r;
	hi = st->rtp_highest;
	win_update(s, st->rtp_win, &st->rtp_seen, &hi, idx);
	st->rtp_highest = hi;
	sk->used++;

	j->data = d;
	j->index = idx;
	j->enc_off = hl;
	j->enc_len = len - hl;
	j->tag_len = (uint8_t)tl;
	j->aad2 = NULL;
	if (s->suite->aead) {
		j->aad = d;
		j->aad_len = hl;
		j->tag_out = d + len;
		j->out_len = len + 16 + ml;
	} else {
		st32(d + len, (uint32_t)(idx >> 16)); /* ROC, RFC 3711 §4.2 */
		j->auth_len = len + 4;
		j->out_len = len + ml + tl;
	}
	job_iv(s, sk, j);
	j->status = SEC_ST_OK;
	return SEC_ST_OK;
}

static void
fin_rtp_protect(const struct sec_session *s, const struct sec_key *k,
		struct sec_job *j)
{
	uint8_t *end = j->data + j->enc_off + j->enc_len;

	if (s->suite->aead) {
		memcpy(end + 16, k->mki, k->mki_len);
	} else {
		memcpy(end, k->mki, k->mki_len);
		memcpy(end + k->mki_len, j->digest, j->tag_len);
	}
}

static uint8_t
prep_rtcp_protect(struct sec_session *s, struct sec_key *k,
		struct sec_pkt *pkt, struct sec_job *j)
{
	struct sec_subkey *sk = &k->rtcp;
	uint8_t *d = pkt->data;
	uint32_t len = pkt->len, ml = k->mki_len, need, idx, word;
	struct sec_stream *st;

	if (len > pkt->room || len < 8 || (d[0] >> 6) != 2)
		return SEC_ST_MALFORMED;
	need = s->suite->aead ? len + 16 + 4 + ml :
		len + 4 + ml + s->suite->srtcp_tag_len;
	if (need > pkt->room)
		return SEC_ST_NO_ROOM;
	if (sk->used >= sk->limit)
		return SEC_ST_KEY_LIMIT;
	j->ssrc = ld32(d + 4);
	st = stream_get(s, j->ssrc);
	if (st == NULL)
		return SEC_ST_NO_STREAM;
	/* RFC 3711 §3.4: 31-bit index, never wraps under one key */
	if (st->rtcp_seen && st->rtcp_index >= 0x7fffffff)
		return SEC_ST_KEY_LIMIT;
	idx = st->rtcp_seen ? st->rtcp_index + 1 : 1;
	st->rtcp_index = idx;
	st->rtcp_seen = 1;
	sk->used++;
	word = 0x80000000u | idx;   /* E = 1: always encrypted */

	j->data = d;
	j->index = idx;
	j->enc_off = 8;
	j->enc_len = len - 8;
	j->tag_len = s->suite->srtcp_tag_len;
	j->aad2 = NULL;
	if (s->suite->aead) {
		memcpy(j->aadbuf, d, 8);
		st32(j->aadbuf + 8, word);
		j->aad = j->aadbuf;
		j->aad_len = 12;
		j->tag_out = d + len;
		j->out_len = len + 16 + 4 + ml;
	} else {
		st32(d + len, word);
		j->auth_len = len + 4;
		j->out_len = len + 4 + ml + j->tag_len;
	}
	job_iv(s, sk, j);
	j->status = SEC_ST_OK;
	return SEC_ST_OK;
}

static void
fin_rtcp_protect(const struct sec_session *s, const struct sec_key *k,
		struct sec_job *j)
{
	uint8_t *end = j->data + 8 + j->enc_len;

	if (s->suite->aead) {
		/* RFC 7714 §9.2: the E|index word follows the tag */
		st32(end + 16, 0x80000000u | (uint32_t)j->index);
		memcpy(end + 20, k->mki, k->mki_len);
	} else {
		memcpy(end + 4, k->mki, k->mki_len);
		memcpy(end + 4 + k->mki_len, j->digest, j->tag_len);
	}
}

static void
protect_chunk(struct sec_session *s, struct sec_pkt *pkts, uint16_t n,
		bool rtcp, uint8_t *status)
{
	struct sec_job jobs[SEC_CHUNK];
	struct sec_job *run[SEC_CHUNK];
	struct sec_key *k = s->keys[s->cur];
	uint16_t i, nr = 0;

	for (i = 0; i < n; i++) {
		status[i] = rtcp ? prep_rtcp_protect(s, k, &pkts[i], &jobs[i]) :
			prep_rtp_protect(s, k, &pkts[i], &jobs[i]);
		if (status[i] == SEC_ST_OK)
			run[nr++] = &jobs[i];
	}
	if (nr == 0)
		return;
	s->eng->crypt(s, rtcp ? &k->rtcp : &k->rtp, run, nr, SEC_OP_PROTECT,
			false);
	for (i = 0; i < n; i++) {
		struct sec_job *j = &jobs[i];

		if (status[i] != SEC_ST_OK)
			continue;
		status[i] = j->status;
		if (j->status != SEC_ST_OK)
			continue;
		if (rtcp)
			fin_rtcp_protect(s, k, j);
		else
			fin_rtp_protect(s, k, j);
		pkts[i].len = j->out_len;
	}
}

/* ---- unprotect -------------------------------------------------------- */

/* Key for a packet's MKI: returns key index or -1. */
static inline int
mki_key(const struct sec_session *s, const uint8_t *mki)
{
	uint8_t i, kk;

	for (i = 0; i < s->nkeys; i++) {
		kk = (uint8_t)((s->cur + i) % s->nkeys);
		if (memcmp(s->keys[kk]->mki, mki, s->keys[kk]->mki_len) == 0)
			return kk;
	}
	return -1;
}

static uint8_t
prep_rtp_unprotect(struct sec_session *s, struct sec_pkt *pkt,
		struct sec_job *j)
{
	uint8_t *d = pkt->data;
	uint32_t len = pkt->len, hl, tl = s->suite->srtp_tag_len, ml;
	struct sec_stream *st;
	int kk;

	ml = s->keys[0]->mki_len;
	/* the version is authenticated; like libsrtp, not checked here */
	if (len > pkt->room || rtp_hdr_len(d, len, &hl, false) < 0 ||
			len < hl + ml + tl)
		return SEC_ST_MALFORMED;
	if (ml != 0) {
		kk = mki_key(s, d + len - ml - (s->suite->aead ? 0 : tl));
		if (kk < 0)
			return SEC_ST_BAD_MKI;
	} else {
		kk = s->cur;
	}
	j->keyi = (uint8_t)kk;
	j->data = d;
	j->ssrc = ld32(d + 8);
	st = stream_find(s, j->ssrc);
	j->index = est_index(st, ld16(d + 2));
	if (st != NULL) {
		uint8_t r = win_check(s, st->rtp_win, st->rtp_seen,
				st->rtp_highest, j->index);

		if (r != SEC_ST_OK)
			return r;
	}
	j->enc_off = hl;
	j->tag_len = (uint8_t)tl;
	j->aad2 = NULL;
	if (s->suite->aead) {
		uint32_t ce = len - ml - 16;

		memcpy(j->rtag, d + ce, 16);
		j->aad = d;
		j->aad_len = hl;
		j->enc_len = ce - hl;
		j->out_len = ce;
	} else {
		uint32_t pe = len - ml - tl;

		memcpy(j->rtag, d + pe + ml, tl);
		memcpy(j->save, d + pe, 4);
		st32(d + pe, (uint32_t)(j->index >> 16));
		j->auth_len = pe + 4;
		j->enc_len = pe - hl;
		j->out_len = pe;
	}
	j->status = SEC_ST_OK;
	return SEC_ST_OK;
}

static uint8_t
prep_rtcp_unprotect(struct sec_session *s, struct sec_pkt *pkt,
		struct sec_job *j)
{
	uint8_t *d = pkt->data;
	uint32_t len = pkt->len, tl = s->suite->srtcp_tag_len, ml, word;
	struct sec_stream *st;
	int kk;

	ml = s->keys[0]->mki_len;
	if (len > pkt->room || len < 8 + 4 + ml + tl)
		return SEC_ST_MALFORMED;
	j->data = d;
	j->ssrc = ld32(d + 4);
	j->tag_len = (uint8_t)tl;
	j->aad2 = NULL;
	if (s->suite->aead) {
		uint32_t tr = len - ml - 4;

		word = ld32(d + tr);
		memcpy(j->rtag, d + tr - 16, 16);
		j->out_len = tr - 16;
		if (word >> 31) {
			memcpy(j->aadbuf, d, 8);
			st32(j->aadbuf + 8, word);
			j->aad = j->aadbuf;
			j->aad_len = 12;
			j->enc_off = 8;
			j->enc_len = tr - 16 - 8;
		} else {
			/* RFC 7714 §9.3: whole packet is AAD, then E|index */
			j->aad = d;
			j->aad_len = tr - 16;
			j->aad2 = d + tr;
			j->enc_off = tr - 16;
			j->enc_len = 0;
		}
		if (ml != 0) {
			kk = mki_key(s, d + tr + 4);
			if (kk < 0)
				return SEC_ST_BAD_MKI;
		} else {
			kk = s->cur;
		}
	} else {
		uint32_t te = len - ml - tl;

		word = ld32(d + te - 4);
		memcpy(j->rtag, d + te + ml, tl);
		j->auth_len = te;
		j->enc_off = 8;
		j->enc_len = (word >> 31) ? te - 4 - 8 : 0;
		j->out_len = te - 4;
		if (ml != 0) {
			kk = mki_key(s, d + te);
			if (kk < 0)
				return SEC_ST_BAD_MKI;
		} else {
			kk = s->cur;
		}
	}
	j->keyi = (uint8_t)kk;
	j->ebit = (uint8_t)(word >> 31);
	/* SRTCP is encrypted under our policy (SPEC §1.7): E=0 is refused,
	 * for AES-CM before authenticating and for GCM after (as libsrtp) */
	if (!j->ebit && !s->suite->aead &&
			!(s->flags & SEC_F_ACCEPT_UNENCRYPTED_SRTCP))
		return SEC_ST_MALFORMED;
	j->index = word & 0x7fffffff;
	st = stream_find(s, j->ssrc);
	if (st != NULL) {
		uint8_t r = win_check(s, st->rtcp_win, st->rtcp_seen,
				st->rtcp_index, j->index);

		if (r != SEC_ST_OK)
			return r;
	}
	j->status = SEC_ST_OK;
	return SEC_ST_OK;
}

static uint8_t
commit_unprotect(struct sec_session *s, struct sec_job *j, bool rtcp)
{
	struct sec_key *k = s->keys[j->keyi];
	struct sec_subkey *sk = rtcp ? &k->rtcp : &k->rtp;
	struct sec_stream *st;
	uint8_t r;

	if (rtcp && !j->ebit && !(s->flags & SEC_F_ACCEPT_UNENCRYPTED_SRTCP))
		return SEC_ST_MALFORMED;
	if (sk->used >= sk->limit)
		return SEC_ST_KEY_LIMIT;
	st = stream_get(s, j->ssrc);
	if (st == NULL)
		return SEC_ST_NO_STREAM;
	/* re-check: an earlier packet of this burst may have taken it */
	if (rtcp) {
		uint64_t hi = st->rtcp_index;

		r = win_check(s, st->rtcp_win, st->rtcp_seen, hi, j->index);
		if (r != SEC_ST_OK)
			return r;
		win_update(s, st->rtcp_win, &st->rtcp_seen, &hi, j->index);
		st->rtcp_index = (uint32_t)hi;
	} else {
		uint64_t hi = st->rtp_highest;

		r = win_check(s, st->rtp_win, st->rtp_seen, hi, j->index);
		if (r != SEC_ST_OK)
			return r;
		win_update(s, st->rtp_win, &st->rtp_seen, &hi, j->index);
		st->rtp_highest = hi;
	}
	sk->used++;
	if (j->keyi > s->cur) {
		/* SPEC §1.9: the first packet under the new key (always the
		 * last installed) switches to it. A late packet under the old
		 * one is accepted as the fallback but never switches back:
		 * the old key is on its way out. */
		s->cur = j->keyi;
		s->stats.key_switches++;
	}
	return SEC_ST_OK;
}

/* Crypt (with the fallback key if any) and commit jobs [lo, hi). */
static void
unprotect_run(struct sec_session *s, struct sec_pkt *pkts,
		struct sec_job *jobs, uint8_t *status, uint16_t lo, uint16_t hi,
		bool rtcp)
{
	struct sec_job *run[SEC_CHUNK];
	bool trial = s->nkeys == 2 && s->keys[0]->mki_len == 0;
	uint8_t cur = s->cur, kk;
	uint16_t i, nr;

	for (kk = 0; kk < s->nkeys; kk++) {
		struct sec_subkey *sk = rtcp ? &s->keys[kk]->rtcp :
			&s->keys[kk]->rtp;

		nr = 0;
		for (i = lo; i < hi; i++) {
			if (status[i] == SEC_ST_OK && jobs[i].keyi == kk) {
				job_iv(s, sk, &jobs[i]);
				run[nr++] = &jobs[i];
			}
		}
		if (nr > 0)
			s->eng->crypt(s, sk, run, nr, SEC_OP_UNPROTECT, trial);
	}
	if (trial) {
		/* SPEC §1.9: the other key only after the current one failed,
		 * one extra authentication at most, counted. */
		struct sec_subkey *sk;

		kk = (uint8_t)(cur ^ 1);
		sk = rtcp ? &s->keys[kk]->rtcp : &s->keys[kk]->rtp;
		nr = 0;
		for (i = lo; i < hi; i++) {
			struct sec_job *j = &jobs[i];

			if (status[i] == SEC_ST_OK &&
					j->status == SEC_ST_AUTH_FAIL) {
				j->keyi = kk;
				job_iv(s, sk, j);
				run[nr++] = j;
			}
		}
		if (nr > 0) {
			s->stats.fallback_tries += nr;
			s->eng->crypt(s, sk, run, nr, SEC_OP_UNPROTECT, false);
			for (i = 0; i < nr; i++)
				if (run[i]->status == SEC_ST_OK)
					s->stats.fallback_ok++;
		}
	}
	for (i = lo; i < hi; i++) {
		struct sec_job *j = &jobs[i];

		if (status[i] != SEC_ST_OK)
			continue;
		if (!rtcp && !s->suite->aead)
			memcpy(j->data + j->out_len, j->save, 4);
		status[i] = j->status;
		if (j->status == SEC_ST_AUTH_FAIL) {
			/* as packet-by-packet: an earlier packet of this chunk
			 * may have made the index a replay */
			const struct sec_stream *st = stream_find(s, j->ssrc);
			uint8_t r = SEC_ST_OK;

			if (st != NULL)
				r = rtcp ? win_check(s, st->rtcp_win,
						st->rtcp_seen, st->rtcp_index,
						j->index) :
					win_check(s, st->rtp_win, st->rtp_seen,
						st->rtp_highest, j->index);
			if (r != SEC_ST_OK)
				status[i] = r;
		}
		if (j->status != SEC_ST_OK)
			continue;
		status[i] = commit_unprotect(s, j, rtcp);
		if (status[i] == SEC_ST_OK)
			pkts[i].len = j->out_len;
	}
}

/*
 * Index estimates use the committed stream state. When an earlier packet
 * of the same chunk would change a later packet's estimate (a new stream
 * crossing the SEQ wrap, a jump of more than 2^15), the chunk is cut there
 * so the result equals packet-by-packet processing (libsrtp's).
 */
static void
unprotect_chunk(struct sec_session *s, struct sec_pkt *pkts, uint16_t n,
		bool rtcp, uint8_t *status)
{
	struct sec_job jobs[SEC_CHUNK];
	struct sec_stream prov[SEC_CHUNK];
	uint16_t i, lo = 0, np = 0;

	for (i = 0; i < n; i++) {
		if (!rtcp && i > lo) {
			const uint8_t *d = pkts[i].data;
			uint32_t ssrc;
			uint16_t k, seq;

			if (pkts[i].len >= 12 && pkts[i].len <= pkts[i].room) {
				ssrc = ld32(d + 8);
				seq = ld16(d + 2);
				for (k = 0; k < np; k++)
					if (prov[k].ssrc == ssrc)
						break;
				if (k < np && est_index(&prov[k], seq) !=
						est_index(stream_find(s, ssrc),
							seq)) {
					unprotect_run(s, pkts, jobs, status, lo,
							i, rtcp);
					lo = i;
					np = 0;
				}
			}
		}
		status[i] = rtcp ? prep_rtcp_unprotect(s, &pkts[i], &jobs[i]) :
			prep_rtp_unprotect(s, &pkts[i], &jobs[i]);
		if (!rtcp && status[i] == SEC_ST_OK) {
			/* provisional state as if this packet authenticates */
			uint16_t k;

			for (k = 0; k < np; k++)
				if (prov[k].ssrc == jobs[i].ssrc)
					break;
			if (k == np) {
				const struct sec_stream *st =
					stream_find(s, jobs[i].ssrc);

				prov[k].ssrc = jobs[i].ssrc;
				prov[k].rtp_seen = st ? st->rtp_seen : 0;
				prov[k].rtp_highest = st ? st->rtp_highest : 0;
				np++;
			}
			if (!prov[k].rtp_seen ||
					jobs[i].index > prov[k].rtp_highest) {
				prov[k].rtp_seen = 1;
				prov[k].rtp_highest = jobs[i].index;
			}
		}
	}
	unprotect_run(s, pkts, jobs, status, lo, n, rtcp);
}

void
sec_xform_burst(struct sec_session *s, struct sec_pkt *pkts, uint16_t n,
		bool rtcp, uint8_t *status)
{
	uint16_t off, m;

	for (off = 0; off < n; off += m) {
		m = (uint16_t)(n - off) < SEC_CHUNK ? (uint16_t)(n - off) :
			SEC_CHUNK;
		if (s->dir == SEC_DIR_PROTECT)
			protect_chunk(s, pkts + off, m, rtcp, status + off);
		else
			unprotect_chunk(s, pkts + off, m, rtcp, status + off);
	}
}
