/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Session objects against one engine's ops: parameter checks, the
 * allocation (session, streams, replay windows in one block), key
 * derivation (RFC 3711 §4.3) and expansion by the engine, and the
 * zeroizing free. No registry here: the known-answer runner builds its
 * sessions with these before the engine is registered, sec_session.c
 * builds the public ones. Control thread.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "sec_priv.h"

/* The per-packet path reads a subkey as one cache line and a key as one
 * line plus one per protocol; an SRTP-only session with one stream and a
 * 128-packet window fits three lines before its keys (see the layouts in
 * sec_eng.h and sec_priv.h). */
_Static_assert(sizeof(struct sec_subkey) == 64, "sec_subkey: one cache line");
_Static_assert(sizeof(struct sec_key) == 64, "sec_key: one line + subkeys");
_Static_assert(sizeof(struct sec_stream) == 32, "sec_stream: 32 bytes");
_Static_assert(sizeof(struct sec_session) + sizeof(struct sec_stream) +
		128 / 8 <= 192, "sec_session: three cache lines");
_Static_assert(offsetof(struct sec_session, eng_priv) == 64,
		"sec_session: what packets read in the first line");

static void
subkey_free(struct sec_session *s, struct sec_subkey *sk)
{
	if (s->eng != NULL && s->eng->key_fini != NULL)
		s->eng->key_fini(sk);
	OPENSSL_cleanse(sk, sizeof(*sk));
}

/* Protocols of s: the subkeys a key of s uses. */
static unsigned int
nproto(const struct sec_session *s)
{
	return ((s->proto & SEC_PROTO_SRTP) != 0) +
		((s->proto & SEC_PROTO_SRTCP) != 0);
}

/* Bytes of one key of s: struct sec_key with a subkey per protocol of s;
 * then (engines with keep_raw) the raw session keys of each protocol; then
 * (engines with key_size) the engine's state for each protocol, from a
 * 64-byte boundary, each key_size() bytes (the engine rounds it to the
 * alignment its state needs), so that a key's expanded state is in the
 * key's own memory (no device pool). *eng: the offset of that state, or 0
 * when there is none. */
static size_t
key_alloc_len(const struct sec_session *s, size_t *eng)
{
	size_t ks = s->eng->key_size != NULL ? s->eng->key_size(s) : 0;
	size_t len = sizeof(struct sec_key) +
		nproto(s) * sizeof(struct sec_subkey);

	if (s->eng->keep_raw)
		len += nproto(s) * sizeof(struct sec_subkey_raw);
	if (ks == 0) {
		*eng = 0;
		return len;
	}
	*eng = RTE_ALIGN_CEIL(len, 64);
	return *eng + nproto(s) * ks;
}

/* Bytes of s's streams and replay windows, which its keys follow. */
static size_t
streams_end(const struct sec_session *s)
{
	return sizeof(*s) + (size_t)s->nstreams * (sizeof(struct sec_stream) +
			(size_t)s->nwin * s->win_words * sizeof(uint64_t));
}

/* Where key slot i of s starts: from the line after the windows, each
 * slot whole lines (a key's lines are its own). */
static struct sec_key *
key_slot(struct sec_session *s, unsigned int i)
{
	size_t off;

	return (struct sec_key *)((uint8_t *)s + RTE_ALIGN_CEIL(streams_end(s), 64) +
			i * RTE_ALIGN_CEIL(key_alloc_len(s, &off), 64));
}

/* Cleanse key k of s; its memory is the session's. */
static void
key_free(struct sec_session *s, struct sec_key *k)
{
	size_t off;
	unsigned int i;

	if (k == NULL)
		return;
	for (i = 0; i < nproto(s); i++)
		subkey_free(s, &k->sub[i]);
	OPENSSL_cleanse(k, key_alloc_len(s, &off));
}

/* The next free key slot of s, zeroed, with each subkey's eng at the
 * engine's state in the same slot (engines with key_size), or NULL when
 * the session was made with no room for one more. */
static struct sec_key *
key_alloc(struct sec_session *s)
{
	size_t off, len = key_alloc_len(s, &off);
	struct sec_key *k;
	unsigned int i;

	if (s->key_used >= s->key_slots)
		return NULL;
	k = key_slot(s, s->key_used++);
	memset(k, 0, len);
	for (i = 0; off != 0 && i < nproto(s); i++)
		k->sub[i].eng = (uint8_t *)k + off + i * s->eng->key_size(s);
	return k;
}

/* Where the raw session keys of k's protocols go while the key is built:
 * behind its subkeys (engines with keep_raw), else tmp[], which the
 * caller cleanses. */
static void
key_raw_place(const struct sec_session *s, struct sec_key *k,
		struct sec_subkey_raw tmp[2], struct sec_subkey_raw **rtp,
		struct sec_subkey_raw **rtcp)
{
	struct sec_subkey_raw *r = s->eng->keep_raw ?
		(struct sec_subkey_raw *)&k->sub[nproto(s)] : tmp;

	*rtp = &r[0];
	*rtcp = &r[nproto(s) - 1];
	k->sub[0].rk = r;
	k->sub[s->rtcp_sub].rk = *rtcp;
}

void
sec_sess_free(struct sec_session *s)
{
	unsigned int i;

	if (s == NULL)
		return;
	if (s->eng != NULL && s->eng->session_destroy != NULL)
		s->eng->session_destroy(s);
	for (i = 0; i < 2; i++)
		key_free(s, s->keys[i]);
	OPENSSL_cleanse(s, s->alloc_len);
	free(s);
}

static uint64_t
limit_of(uint64_t lifetime, unsigned int log2)
{
	uint64_t max = 1ull << log2;

	return lifetime != 0 && lifetime < max ? lifetime : max;
}

/*
 * Build one key: derive (or take raw session keys), then let the engine
 * expand it. ek/salt non-NULL: raw session keys for both protocols.
 */
struct sec_key *
sec_sess_key_new(struct sec_session *s, const struct sec_session_params *p,
		const uint8_t *ek, const uint8_t *salt, int *err)
{
	const struct sec_suite *su = s->suite;
	struct sec_key *k = key_alloc(s);
	struct sec_subkey_raw tmp[2], *rrtp, *rrtcp;
	struct sec_subkey *rtp, *rtcp;
	unsigned int i;
	int rc = 0;

	if (k == NULL) {
		*err = -ENOMEM;
		return NULL;
	}
	memset(tmp, 0, sizeof(tmp));
	rtp = (s->proto & SEC_PROTO_SRTP) ? sec_key_sub(s, k, false) : NULL;
	rtcp = (s->proto & SEC_PROTO_SRTCP) ? sec_key_sub(s, k, true) : NULL;
	/* SRTP-only and SRTCP-only sessions have room for one protocol's raw
	 * keys: both pointers may name it, and it holds that protocol's. */
	key_raw_place(s, k, tmp, &rrtp, &rrtcp);
	memcpy(k->mki, p->mki, p->mki_len);
	k->mki_len = p->mki_len;
	s->mki_len = p->mki_len; /* the same for every key of s */
	if (rtp != NULL)
		rtp->limit = limit_of(s->lifetime, su->srtp_lifetime_log2);
	if (rtcp != NULL) {
		rtcp->is_rtcp = 1;
		rtcp->limit = limit_of(s->lifetime, su->srtcp_lifetime_log2);
	}
	if (ek != NULL) {
		k->raw = 1;
		memcpy(rrtp->ek, ek, su->enc_key_len);
		memcpy(rrtcp->ek, ek, su->enc_key_len);
		if (rtp != NULL)
			memcpy(rtp->salt, salt, su->session_salt_len);
		if (rtcp != NULL)
			memcpy(rtcp->salt, salt, su->session_salt_len);
	} else {
		memcpy(k->master_key, p->master_key, su->master_key_len);
		memcpy(k->master_salt, p->master_salt, su->master_salt_len);
		/* RFC 3711 §4.3.1 labels 0..5; the RTCP ones last, so that
		 * when the two share one raw slot it holds the protocol the
		 * session has */
		if (rtp != NULL) {
			rc |= sec_kdf(su->id, p->master_key, p->master_salt, 0,
					rrtp->ek, su->enc_key_len);
			if (!su->aead)
				rc |= sec_kdf(su->id, p->master_key,
						p->master_salt, 1, rrtp->ak,
						su->auth_key_len);
			rc |= sec_kdf(su->id, p->master_key, p->master_salt, 2,
					rtp->salt, su->session_salt_len);
		}
		if (rtcp != NULL) {
			rc |= sec_kdf(su->id, p->master_key, p->master_salt, 3,
					rrtcp->ek, su->enc_key_len);
			if (!su->aead)
				rc |= sec_kdf(su->id, p->master_key,
						p->master_salt, 4, rrtcp->ak,
						su->auth_key_len);
			rc |= sec_kdf(su->id, p->master_key, p->master_salt, 5,
					rtcp->salt, su->session_salt_len);
		}
		if (rc != 0) {
			rc = -EIO;
			goto fail;
		}
	}
	if (s->eng->key_init != NULL) {
		if (rtp != NULL && (rc = s->eng->key_init(s, rtp)) != 0)
			goto fail;
		if (rtcp != NULL && (rc = s->eng->key_init(s, rtcp)) != 0)
			goto fail;
	}
	if (!s->eng->keep_raw) {
		for (i = 0; i < nproto(s); i++)
			k->sub[i].rk = NULL;
	}
	OPENSSL_cleanse(tmp, sizeof(tmp));
	return k;
fail:
	*err = rc;
	OPENSSL_cleanse(tmp, sizeof(tmp));
	key_free(s, k);
	return NULL;
}

int
sec_sess_check(const struct sec_session_params *p, bool raw)
{
	const struct sec_suite *su;

	if (p == NULL)
		return -EINVAL;
	su = sec_suite_get(p->suite);
	if (su == NULL || (p->proto & (SEC_PROTO_SRTP | SEC_PROTO_SRTCP)) == 0 ||
			(p->proto & ~(uint32_t)(SEC_PROTO_SRTP | SEC_PROTO_SRTCP)) ||
			(p->dir != SEC_DIR_PROTECT && p->dir != SEC_DIR_UNPROTECT))
		return -EINVAL;
	if (!raw && (p->master_key == NULL || p->master_salt == NULL))
		return -EINVAL;
	if (p->mki_len > SEC_MKI_MAX)
		return -EINVAL;
	if (p->replay_window != 0 && (p->replay_window < SEC_REPLAY_WINDOW_MIN ||
				p->replay_window > SEC_REPLAY_WINDOW_MAX ||
				p->replay_window % 64 != 0))
		return -EINVAL;
	if (p->max_streams > SEC_STREAMS_MAX)
		return -EINVAL;
	if (p->lifetime > (1ull << su->srtp_lifetime_log2))
		return -EINVAL;
	return 0;
}

struct sec_session *
sec_sess_alloc(const struct sec_eng_ops *ops,
		const struct sec_session_params *p, unsigned int nkeys, int *err)
{
	struct sec_session shape, *s;
	size_t off, len;
	void *m;

	/* One block: session, streams, replay windows, then the keys. The
	 * per-packet state is close together, and one allocation a session
	 * saves a chunk header and the rounding of two. The block starts on
	 * a line and its written part (stats, streams, windows) is inside
	 * it: the lines another allocation may share are at its read-only
	 * end (keys), so no worker's writes land on a line another session
	 * reads (sessions of two workers may lie side by side). */
	memset(&shape, 0, sizeof(shape));
	shape.suite = sec_suite_get(p->suite);
	shape.eng = ops;
	shape.proto = (uint8_t)p->proto;
	shape.window = (uint16_t)(p->replay_window ? p->replay_window :
			SEC_REPLAY_WINDOW_DEFAULT);
	shape.win_words = shape.window / 64;
	shape.nstreams = (uint8_t)(p->max_streams ? p->max_streams :
			SEC_STREAMS_DEFAULT);
	shape.nwin = (uint8_t)nproto(&shape);
	len = streams_end(&shape);
	if (nkeys > 0)
		len = RTE_ALIGN_CEIL(len, 64) + (nkeys - 1) *
			RTE_ALIGN_CEIL(key_alloc_len(&shape, &off), 64) +
			key_alloc_len(&shape, &off);
	len = RTE_ALIGN_CEIL(len, 16);
	if (nkeys > 2 || len > UINT32_MAX || posix_memalign(&m, 64, len) != 0) {
		*err = -ENOMEM;
		return NULL;
	}
	s = m;
	memset(s, 0, len);
	*s = shape;
	s->alloc_len = (uint32_t)len;
	s->key_slots = (uint8_t)nkeys;
	s->streams = (struct sec_stream *)(s + 1);
	s->dir = (uint8_t)p->dir;
	/* SRTCP's subkey follows SRTP's, or is the only one */
	s->rtcp_sub = (p->proto & SEC_PROTO_SRTP) && (p->proto & SEC_PROTO_SRTCP);
	s->flags = p->flags;
	s->win_mask = (s->window & (s->window - 1)) == 0 ? s->window - 1 : 0;
	s->lifetime = p->lifetime;
	if (ops->key_size != NULL)
		s->eng_len = (uint16_t)RTE_MIN(ops->key_size(s), (size_t)UINT16_MAX);
	return s;
}

struct sec_session *
sec_sess_build(const struct sec_eng_ops *ops,
		const struct sec_session_params *p, const uint8_t *ek,
		const uint8_t *salt, int *err)
{
	struct sec_session *s;
	int dummy, rc;

	if (err == NULL)
		err = &dummy;
	rc = sec_sess_check(p, ek != NULL);
	if (rc != 0) {
		*err = rc;
		return NULL;
	}
	s = sec_sess_alloc(ops, p, 1, err);
	if (s == NULL)
		return NULL;
	s->keys[0] = sec_sess_key_new(s, p, ek, salt, err);
	if (s->keys[0] == NULL) {
		sec_sess_free(s);
		return NULL;
	}
	s->nkeys = 1;
	/* the engine's own part last: it may need the keys (libsrtp) */
	*err = s->eng->session_create != NULL ? s->eng->session_create(s) : 0;
	if (*err == 0)
		return s;
	sec_sess_free(s);
	return NULL;
}

