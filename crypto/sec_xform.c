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
 * A chunk (up to SEC_CHUNK packets) may mix sessions and operations: every
 * packet is prepared in order with its own session (header, index, replay
 * check), then all their crypto goes to the engine in one call, so that a
 * multi-buffer device fills its lanes across calls, then each packet is
 * finished in order (trailer, or tag verdict and replay window commit).
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

/* n tag bytes: the AES-CM tags (10 and 4 bytes) as fixed-size copies the
 * compiler inlines, not a call to memcpy for every packet. */
static inline void
tag_copy(uint8_t *dst, const uint8_t *src, uint32_t n)
{
	if (n == 10)
		memcpy(dst, src, 10);
	else if (n == 4)
		memcpy(dst, src, 4);
	else
		memcpy(dst, src, n);
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
			st->rtp_probe = 0;
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

/*
 * How far ahead of the highest index one protected packet may go: RFC 3550
 * A.1's MAX_DROPOUT. The core side is not authenticated: one packet with
 * SEQ + 32000 would move the highest index, every later packet of the real
 * stream would be refused here as too old, and a receiver that took the
 * jumped packet (RFC 3711 §3.3.1, libsrtp's estimate) would drop them too:
 * the downlink dead until the sequence catches up (minutes). A jump is
 * refused unless the next packet confirms it (RFC 3550 A.1's probation: a
 * source that really restarted its sequence), which the receiver then
 * follows as an ordinary forward jump (< 2^15).
 */
#define SEC_PROTECT_MAX_JUMP 3000

/* SEC_ST_OK if idx may be protected on st (see above), else
 * SEC_ST_SEQ_JUMP with the confirming index noted. */
static inline uint8_t
jump_check(struct sec_stream *st, uint64_t idx)
{
	if (!st->rtp_seen || idx <= st->rtp_highest + SEC_PROTECT_MAX_JUMP ||
			idx == st->rtp_probe) {
		st->rtp_probe = 0;
		return SEC_ST_OK;
	}
	st->rtp_probe = idx + 1;
	return SEC_ST_SEQ_JUMP;
}

static uint8_t
prep_rtp_protect(struct sec_session *s, struct sec_key *k,
		struct sec_pkt *pkt, struct sec_job *j)
{
	struct sec_subkey *sk = sec_key_sub(s, k, false);
	uint8_t *d = pkt->data;
	uint32_t len = pkt->len, hl, tl = s->suite->srtp_tag_len;
	uint32_t ml = s->mki_len, need;
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
	r = win_check(s, sec_stream_win(s, st, false), st->rtp_seen, st->rtp_highest, idx);
	if (r == SEC_ST_OK)
		r = jump_check(st, idx);
	if (r != SEC_ST_OK)
		return r;
	hi = st->rtp_highest;
	win_update(s, sec_stream_win(s, st, false), &st->rtp_seen, &hi, idx);
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
		if (s->mki_len != 0)
			memcpy(end + 16, k->mki, s->mki_len);
	} else {
		if (s->mki_len != 0)
			memcpy(end, k->mki, s->mki_len);
		tag_copy(end + s->mki_len, j->digest, j->tag_len);
	}
}

static uint8_t
prep_rtcp_protect(struct sec_session *s, struct sec_key *k,
		struct sec_pkt *pkt, struct sec_job *j)
{
	struct sec_subkey *sk = sec_key_sub(s, k, true);
	uint8_t *d = pkt->data;
	uint32_t len = pkt->len, ml = s->mki_len, need, idx, word;
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
		if (s->mki_len != 0)
			memcpy(end + 20, k->mki, s->mki_len);
	} else {
		if (s->mki_len != 0)
			memcpy(end + 4, k->mki, s->mki_len);
		tag_copy(end + 4 + s->mki_len, j->digest, j->tag_len);
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
		if (memcmp(s->keys[kk]->mki, mki, s->mki_len) == 0)
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

	ml = s->mki_len;
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
		uint8_t r = win_check(s, sec_stream_win(s, st, false), st->rtp_seen,
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

		tag_copy(j->rtag, d + pe + ml, tl);
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

	ml = s->mki_len;
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
		tag_copy(j->rtag, d + te + ml, tl);
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
		uint8_t r = win_check(s, sec_stream_win(s, st, true), st->rtcp_seen,
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
	struct sec_subkey *sk = sec_key_sub(s, k, rtcp);
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

		r = win_check(s, sec_stream_win(s, st, true), st->rtcp_seen, hi, j->index);
		if (r != SEC_ST_OK)
			return r;
		win_update(s, sec_stream_win(s, st, true), &st->rtcp_seen, &hi, j->index);
		st->rtcp_index = (uint32_t)hi;
	} else {
		uint64_t hi = st->rtp_highest;

		r = win_check(s, sec_stream_win(s, st, false), st->rtp_seen, hi, j->index);
		if (r != SEC_ST_OK)
			return r;
		win_update(s, sec_stream_win(s, st, false), &st->rtp_seen, &hi, j->index);
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

/* ---- packets of many sessions ------------------------------------------- */

/* SPEC §1.9: during an inbound rekey the other key is tried only after
 * the one the packet selected failed: always without MKI, and with MKI
 * when both keys carry the same one (the packet's MKI cannot tell them
 * apart; set when the session is made). */
static inline bool
job_trial(const struct sec_session *s)
{
	return s->trial;
}

static inline struct sec_subkey *
subkey_of(struct sec_session *s, uint8_t keyi, bool rtcp)
{
	return sec_key_sub(s, s->keys[keyi], rtcp);
}

static inline bool
job_rtcp(const struct sec_job *j)
{
	return (j->op & SEC_RTCP_PROTECT) != 0;
}

/* Hand jobs to their engines, one call per engine (normally one). jobs[]
 * is reordered. */
static void
crypt_jobs(struct sec_lcore *lc, struct sec_job **jobs, uint16_t n)
{
	struct sec_job *other[SEC_CHUNK];
	const struct sec_eng_ops *e;
	uint16_t i, k, no;

	while (n > 0) {
		e = jobs[0]->s->eng;
		for (i = 0, k = 0, no = 0; i < n; i++) {
			if (jobs[i]->s->eng == e)
				jobs[k++] = jobs[i];
			else
				other[no++] = jobs[i];
		}
		e->crypt(lc, jobs, k);
		memcpy(jobs, other, no * sizeof(*jobs));
		n = no;
	}
}

/* The replay verdict of unprotect job j against its stream's state now
 * (after the packets before it in the chunk committed): SEC_ST_OK or why
 * not (RFC 3711 §3.3.2). */
static uint8_t
replay_now(const struct sec_job *j)
{
	struct sec_session *s = j->s;
	const struct sec_stream *st = stream_find(s, j->ssrc);

	if (st == NULL)
		return SEC_ST_OK;
	return job_rtcp(j) ? win_check(s, sec_stream_win(s, st, true), st->rtcp_seen,
				st->rtcp_index, j->index) :
		win_check(s, sec_stream_win(s, st, false), st->rtp_seen, st->rtp_highest,
				j->index);
}

/* Packet b after its crypto: trailer (protect), or replay re-check and
 * commit of the stream state (unprotect), in packet order. */
static void
finish(struct sec_burst_pkt *b, struct sec_job *j)
{
	struct sec_session *s = j->s;
	bool rtcp = job_rtcp(j);
	uint8_t r;

	b->status = j->status;
	if (sec_job_protect(j)) {
		if (j->status != SEC_ST_OK)
			return;
		if (rtcp)
			fin_rtcp_protect(s, s->keys[s->cur], j);
		else
			fin_rtp_protect(s, s->keys[s->cur], j);
		b->pkt.len = j->out_len;
		return;
	}
	if (!rtcp && !s->suite->aead)
		memcpy(j->data + j->out_len, j->save, 4);
	if (j->status == SEC_ST_AUTH_FAIL) {
		/* as packet-by-packet: an earlier packet of this chunk may
		 * have made the index a replay */
		r = replay_now(j);
		if (r != SEC_ST_OK)
			b->status = r;
	}
	if (j->status != SEC_ST_OK)
		return;
	b->status = commit_unprotect(s, j, rtcp);
	if (b->status == SEC_ST_OK)
		b->pkt.len = j->out_len;
}

/* Crypt (with the fallback key where a session has one) and finish the
 * prepared packets [lo, hi). */
static void
run(struct sec_lcore *lc, struct sec_burst_pkt *p, struct sec_job *jobs,
		uint16_t lo, uint16_t hi)
{
	struct sec_job *r[SEC_CHUNK];
	uint16_t i, nr = 0;

	for (i = lo; i < hi; i++)
		if (p[i].status == SEC_ST_OK)
			r[nr++] = &jobs[i];
	if (nr == 0)
		return;
	crypt_jobs(lc, r, nr);
	nr = 0;
	for (i = lo; i < hi; i++) {
		struct sec_job *j = &jobs[i];

		if (p[i].status != SEC_ST_OK || !j->restore ||
				j->status != SEC_ST_AUTH_FAIL)
			continue;
		/* one extra authentication at most, counted */
		j->keyi ^= 1;
		j->sk = subkey_of(j->s, j->keyi, job_rtcp(j));
		j->restore = 0;
		job_iv(j->s, j->sk, j);
		j->s->stats.fallback_tries++;
		r[nr++] = j;
	}
	if (nr > 0) {
		crypt_jobs(lc, r, nr);
		for (i = 0; i < nr; i++)
			if (r[i]->status == SEC_ST_OK)
				r[i]->s->stats.fallback_ok++;
	}
	for (i = lo; i < hi; i++) {
		if (p[i].status == SEC_ST_OK) {
			finish(&p[i], &jobs[i]);
		} else if (!sec_job_protect(&jobs[i]) &&
				(p[i].status == SEC_ST_REPLAY ||
				 p[i].status == SEC_ST_TOO_OLD)) {
			/* refused at prep against the state before this
			 * chunk; packet by packet, the packets before it may
			 * have moved the window on (a replay then reads as
			 * too old). It can only stay refused: bits at or
			 * below the old highest are never cleared. */
			uint8_t v = replay_now(&jobs[i]);

			if (v != SEC_ST_OK)
				p[i].status = v;
		}
	}
}

/* Provisional RTP stream state of (session, SSRC) within a chunk, as if
 * its packets so far authenticate. */
struct prov {
	const struct sec_session *s;
	struct sec_stream st;
};

/*
 * The (session, SSRC) pairs of a chunk so far. With many calls almost
 * every packet of a chunk is the first of its pair: a 512-bit filter
 * answers "not seen" without walking pv[] (walking it for every packet
 * made the chunk quadratic: 130 instructions a packet at 32 calls per
 * chunk). A set bit only means "maybe": pv[] is walked then.
 */
struct prov_set {
	uint16_t np;
	uint64_t seen[8];
	struct prov pv[SEC_CHUNK];
};

static inline unsigned int
prov_bit(const struct sec_session *s, uint32_t ssrc)
{
	uint64_t h = ((uint64_t)(uintptr_t)s ^ ssrc) * 0x9e3779b97f4a7c15ull;

	return (unsigned int)(h >> 55);
}

static inline void
prov_reset(struct prov_set *ps)
{
	ps->np = 0;
	memset(ps->seen, 0, sizeof(ps->seen));
}

/* The provisional state of the RTP packet pkt's pair, or NULL (none yet,
 * or not an RTP packet prep would take). */
static inline struct prov *
prov_find(struct prov_set *ps, const struct sec_session *s,
		const struct sec_pkt *pkt)
{
	uint32_t ssrc;
	unsigned int b;
	uint16_t k;

	if (pkt->len < 12 || pkt->len > pkt->room)
		return NULL;
	ssrc = ld32(pkt->data + 8);
	b = prov_bit(s, ssrc);
	if (!(ps->seen[b >> 6] & (1ull << (b & 63))))
		return NULL;
	for (k = 0; k < ps->np; k++)
		if (ps->pv[k].s == s && ps->pv[k].st.ssrc == ssrc)
			return &ps->pv[k];
	return NULL;
}

/*
 * Index estimates use the committed stream state. When an earlier packet
 * of the same chunk would change a later packet's estimate (a new stream
 * crossing the SEQ wrap, a jump of more than 2^15), the chunk is cut there
 * so the result equals packet-by-packet processing (libsrtp's). x: the
 * packet's provisional state.
 */
static bool
cut_before(struct sec_session *s, const struct sec_pkt *pkt,
		const struct prov *x)
{
	uint16_t seq = ld16(pkt->data + 2);

	return est_index(&x->st, seq) != est_index(stream_find(s, x->st.ssrc),
			seq);
}

/* Prepared packet j moves its pair's provisional state (x: the pair's,
 * NULL for a new pair). */
static void
prov_note(struct prov_set *ps, struct prov *x, struct sec_session *s,
		const struct sec_job *j)
{
	if (x == NULL) {
		const struct sec_stream *st = stream_find(s, j->ssrc);
		unsigned int b = prov_bit(s, j->ssrc);

		ps->seen[b >> 6] |= 1ull << (b & 63);
		x = &ps->pv[ps->np++];
		x->s = s;
		x->st.ssrc = j->ssrc;
		x->st.rtp_seen = st ? st->rtp_seen : 0;
		x->st.rtp_highest = st ? st->rtp_highest : 0;
	}
	if (!x->st.rtp_seen || j->index > x->st.rtp_highest) {
		x->st.rtp_seen = 1;
		x->st.rtp_highest = j->index;
	}
}

void
sec_xform_multi(struct sec_lcore *lc, struct sec_burst_pkt *p, uint16_t n)
{
	struct sec_job jobs[SEC_CHUNK];
	struct prov_set ps;
	uint16_t i, lo = 0;

	/* Each packet may be another call's: load their state together, in
	 * two waves so that no load waits on another. The first asks for the
	 * stream's line and the subkey the packet uses (salt, engine pointer,
	 * use count: one line past the key's first, which only a session with
	 * MKI reads); the second, once those are on their way for the whole
	 * chunk, for what the subkey points at: the engine's expanded key,
	 * four lines, or of a state larger than that its first three lines
	 * and its last three (ipsecmb: AES-CM's round keys and HMAC states
	 * are four lines; GCM's round keys are the first three and, in the
	 * VAES code's layout, the GHASH key powers a packet under 256 bytes
	 * uses are the last three of sixteen), or four lines of a device
	 * session. The session's first line is the data plane's
	 * to prefetch, with the flow. */
	for (i = 0; i < n; i++) {
		const struct sec_session *s = p[i].s;
		struct sec_key *k = s->keys[s->cur];

		__builtin_prefetch(s->streams);
		__builtin_prefetch(sec_key_sub(s, k, (p[i].op & SEC_RTCP_PROTECT) != 0));
		if (s->mki_len != 0)
			__builtin_prefetch(k);
	}
	for (i = 0; i < n; i++) {
		const struct sec_session *s = p[i].s;
		const uint8_t *e = sec_key_sub(s, s->keys[s->cur],
				(p[i].op & SEC_RTCP_PROTECT) != 0)->eng;

		if (e != NULL) {
			__builtin_prefetch(e);
			__builtin_prefetch(e + 64);
			__builtin_prefetch(e + 128);
			if (s->eng_len > 256) {
				const uint8_t *last = e + s->eng_len - 1;

				__builtin_prefetch(last - 128);
				__builtin_prefetch(last - 64);
				__builtin_prefetch(last);
			} else {
				__builtin_prefetch(e + 192);
			}
		}
	}
	prov_reset(&ps);
	for (i = 0; i < n; i++) {
		struct sec_burst_pkt *b = &p[i];
		struct sec_session *s = b->s;
		struct sec_job *j = &jobs[i];
		bool rtcp = (b->op & SEC_RTCP_PROTECT) != 0;
		struct prov *x;

		j->s = s;
		j->op = b->op;
		j->aead = s->suite->aead;
		j->restore = 0;
		if (!(b->op & SEC_RTP_UNPROTECT)) {
			/* the sender's state moves at prep: packets of one
			 * session prepared in order get consecutive indexes */
			struct sec_key *k = s->keys[s->cur];

			j->sk = sec_key_sub(s, k, rtcp);
			b->status = rtcp ? prep_rtcp_protect(s, k, &b->pkt, j) :
				prep_rtp_protect(s, k, &b->pkt, j);
			continue;
		}
		x = rtcp ? NULL : prov_find(&ps, s, &b->pkt);
		if (x != NULL && cut_before(s, &b->pkt, x)) {
			run(lc, p, jobs, lo, i);
			lo = i;
			prov_reset(&ps);
			x = NULL;
		}
		b->status = rtcp ? prep_rtcp_unprotect(s, &b->pkt, j) :
			prep_rtp_unprotect(s, &b->pkt, j);
		if (b->status != SEC_ST_OK)
			continue;
		j->sk = subkey_of(s, j->keyi, rtcp);
		j->restore = job_trial(s);
		job_iv(s, j->sk, j);
		if (!rtcp)
			prov_note(&ps, x, s, j);
	}
	run(lc, p, jobs, lo, n);
}

void
sec_xform_burst(struct sec_lcore *lc, struct sec_session *s,
		struct sec_pkt *pkts, uint16_t n, bool rtcp, uint8_t *status)
{
	struct sec_burst_pkt b[SEC_CHUNK];
	uint8_t op = (uint8_t)((rtcp ? SEC_RTCP_PROTECT : 0) |
			(s->dir == SEC_DIR_UNPROTECT ? SEC_RTP_UNPROTECT : 0));
	uint16_t off, m, i;

	for (off = 0; off < n; off += m) {
		m = (uint16_t)(n - off) < SEC_CHUNK ? (uint16_t)(n - off) :
			SEC_CHUNK;
		for (i = 0; i < m; i++) {
			b[i].s = s;
			b[i].pkt = pkts[off + i];
			b[i].op = op;
		}
		sec_xform_multi(lc, b, m);
		for (i = 0; i < m; i++) {
			pkts[off + i].len = b[i].pkt.len;
			status[off + i] = b[i].status;
		}
	}
}
