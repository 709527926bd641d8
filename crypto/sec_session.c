/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crypto/ API: engine registry (an engine is registered only once its
 * known answers passed), the live suite mask, per-lcore contexts, session
 * create/rekey/destroy (control), the public burst entry points (the
 * lcore of the context) and counters.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <rte_branch_prediction.h>
#include <rte_lcore.h>
#include <rte_log.h>

#include "sec_priv.h"
#include "sec_test.h"

RTE_LOG_REGISTER(sec_logtype, imsagw.crypto, NOTICE);

static const struct sec_eng_ops *const all_engines[SEC_ENGINE_COUNT] = {
	[SEC_ENGINE_CRYPTODEV] = &sec_eng_cryptodev_ops,
	[SEC_ENGINE_LIBSRTP] = &sec_eng_libsrtp_ops,
	[SEC_ENGINE_OPENSSL] = &sec_eng_openssl_ops,
	[SEC_ENGINE_IPSECMB] = &sec_eng_ipsecmb_ops,
};

/* The registry. W: control. suite_mask is also read by any thread
 * (sec_suite_mask), with atomic loads. */
static struct {
	bool init;
	uint32_t suite_mask;
	enum sec_engine def;
	/* set only after the engine's probe and KATs passed */
	bool available[SEC_ENGINE_COUNT];
	uint32_t caps[SEC_ENGINE_COUNT];
	/* the control thread's context, for the per-session functions
	 * without one (sec_protect_burst...) */
	struct sec_lcore *ctl;
	/* contexts alive (ctl included): their engine state lives in the
	 * engines' pools, so sec_fini keeps the engines while any is */
	unsigned int nlc;
} g;

static uint32_t
live_mask(void)
{
	return __atomic_load_n(&g.suite_mask, __ATOMIC_RELAXED);
}

/* Suites some available engine can do. */
static uint32_t
caps_all(void)
{
	uint32_t m = 0;
	unsigned int e;

	for (e = 1; e < SEC_ENGINE_COUNT; e++)
		if (g.available[e])
			m |= g.caps[e];
	return m;
}

static bool
engine_disabled(const struct sec_config *cfg, unsigned int e)
{
	return (e == SEC_ENGINE_CRYPTODEV && cfg->disable_cryptodev) ||
		(e == SEC_ENGINE_LIBSRTP && cfg->disable_libsrtp) ||
		(e == SEC_ENGINE_OPENSSL && cfg->disable_openssl) ||
		(e == SEC_ENGINE_IPSECMB && cfg->disable_ipsecmb);
}

/*
 * The engine that serves sessions asking for none, when the configured
 * default (cfg->default_engine; 0: ipsecmb) is not available: ipsecmb
 * (no intel-ipsec-mb, or a CPU without AES-NI) gives way to cryptodev,
 * which has the same transform on the same library or a device; then our
 * transform over EVP (the same code, proven equal to libsrtp; slower but
 * keeps SRTP working), then libsrtp. Control, in sec_init.
 */
static enum sec_engine
default_pick(enum sec_engine want)
{
	static const enum sec_engine order[] = { SEC_ENGINE_CRYPTODEV,
		SEC_ENGINE_OPENSSL, SEC_ENGINE_LIBSRTP, SEC_ENGINE_IPSECMB };
	unsigned int i;

	if (g.available[want])
		return want;
	for (i = want == SEC_ENGINE_IPSECMB ? 0 : 1; i < RTE_DIM(order); i++)
		if (g.available[order[i]])
			return order[i];
	return want;
}

/* Probe engine e with cfg and run its known answers; register it when
 * both pass. Returns 1 when registered, else 0 (logged). Control. */
static int
engine_up(const struct sec_config *cfg, unsigned int e)
{
	const struct sec_eng_ops *ops = all_engines[e];
	uint32_t caps;
	int rc;

	if (engine_disabled(cfg, e))
		return 0;
	rc = ops->probe(cfg);
	if (rc != 0) {
		SEC_LOG(WARNING, "engine %s: probe failed (%d)", ops->name, rc);
		return 0;
	}
	caps = ops->capabilities();
	/* Every engine proves the known answers before it is registered:
	 * they run against its ops, not through the registry, so nothing
	 * can use it meanwhile. */
	rc = sec_kat_run(ops, g.suite_mask & caps);
	if (rc != 0) {
		SEC_LOG(ERR, "engine %s: known-answer test failed (%d), refused",
				ops->name, rc);
		if (ops->fini != NULL)
			ops->fini();
		return 0;
	}
	g.caps[e] = caps;
	g.available[e] = true;
	SEC_LOG(NOTICE, "engine %s: ready (suites 0x%x)", ops->name, caps);
	return 1;
}

int
sec_init(const struct sec_config *cfg)
{
	static const struct sec_config defaults;
	struct sec_config spare;
	unsigned int e;
	int n = 0, err;

	if (g.init)
		return -EALREADY;
	if (cfg == NULL)
		cfg = &defaults;
	memset(&g, 0, sizeof(g));
	g.suite_mask = cfg->suite_mask ? cfg->suite_mask & SEC_SUITE_MASK_ALL :
		SEC_SUITE_MASK_ALL;
	g.def = cfg->default_engine ? cfg->default_engine : SEC_ENGINE_IPSECMB;
	if ((unsigned int)g.def >= SEC_ENGINE_COUNT)
		g.def = SEC_ENGINE_IPSECMB;
	/* The default first: when it is up, the others serve only the
	 * sessions that name them (admin, tests, benches), so what they
	 * reserve at start is sized for SEC_SPARE_KEYS, not max_sessions
	 * (cryptodev: two device sessions of ~1.6 KB of EAL memory per key,
	 * which the default ipsecmb engine never uses). When it is not up,
	 * the fallback (cryptodev first) gets the whole max_sessions. */
	n += engine_up(cfg, g.def);
	spare = *cfg;
	if (spare.max_sessions == 0)
		spare.max_sessions = SEC_KEYS_DEFAULT;
	if (g.available[g.def])
		spare.max_sessions = RTE_MIN(spare.max_sessions,
				(uint32_t)SEC_SPARE_KEYS);
	for (e = 1; e < SEC_ENGINE_COUNT; e++)
		if (e != (unsigned int)g.def)
			n += engine_up(&spare, e);
	if (n == 0)
		return -ENODEV;
	if (!g.available[g.def]) {
		enum sec_engine alt = default_pick(g.def);

		SEC_LOG(WARNING, "default engine %s unavailable, using %s",
				all_engines[g.def]->name, all_engines[alt]->name);
		g.def = alt;
	}
	SEC_LOG(NOTICE, "default engine: %s", all_engines[g.def]->name);
	if ((g.suite_mask & ~caps_all()) != 0)
		/* kept (the configured set), but sec_suite_mask() leaves them
		 * out, and sec_set_suite_mask() refuses a set naming them */
		SEC_LOG(WARNING, "suites 0x%x enabled but no engine can do "
				"them", g.suite_mask & ~caps_all());
	g.init = true;
	/* rte_lcore_id() is LCORE_ID_ANY without EAL or off-lcore */
	g.ctl = sec_lcore_create(rte_lcore_id(), &err);
	if (g.ctl == NULL) {
		SEC_LOG(ERR, "control thread context: %d", err);
		sec_fini();
		return err;
	}
	return 0;
}

void
sec_fini(void)
{
	unsigned int e;

	sec_lcore_destroy(g.ctl);
	g.ctl = NULL;
	if (g.nlc > 0) {
		/* a caller bug; freeing the pools under those contexts would
		 * turn it into a use after free */
		SEC_LOG(ERR, "fini: %u per-lcore contexts still alive, "
				"engines kept", g.nlc);
		return;
	}
	for (e = 1; e < SEC_ENGINE_COUNT; e++)
		if (g.available[e] && all_engines[e]->fini != NULL)
			all_engines[e]->fini();
	memset(&g, 0, sizeof(g));
}

bool
sec_engine_available(enum sec_engine e)
{
	if (e == SEC_ENGINE_DEFAULT)
		e = g.def;
	return (unsigned int)e < SEC_ENGINE_COUNT && g.available[e];
}

bool
sec_suite_enabled(enum sec_suite_id suite)
{
	return (unsigned int)suite < SEC_SUITE_COUNT &&
		(sec_suite_mask() & (1u << suite)) != 0;
}

uint32_t
sec_suite_mask(void)
{
	/* caps are RO after sec_init; the mask may change (reload) */
	return live_mask() & caps_all();
}

int
sec_set_suite_mask(uint32_t mask)
{
	if (!g.init)
		return -ENODEV;
	if (mask == 0)
		mask = caps_all();
	if ((mask & ~caps_all()) != 0)
		return -EINVAL;
	__atomic_store_n(&g.suite_mask, mask, __ATOMIC_RELAXED);
	SEC_LOG(NOTICE, "enabled suites 0x%x", mask);
	return 0;
}

int
sec_engine_selftest(enum sec_engine e)
{
	if (e == SEC_ENGINE_DEFAULT)
		e = g.def;
	if ((unsigned int)e >= SEC_ENGINE_COUNT || !g.available[e])
		return -ENODEV;
	return sec_kat_run(all_engines[e], live_mask() & g.caps[e]);
}

const char *
sec_engine_name(enum sec_engine e)
{
	if (e == SEC_ENGINE_DEFAULT)
		return "default";
	if ((unsigned int)e >= SEC_ENGINE_COUNT)
		return "?";
	return all_engines[e]->name;
}

/* ---- per-lcore contexts ------------------------------------------------- */

void
sec_lcore_destroy(struct sec_lcore *lc)
{
	unsigned int e;

	if (lc == NULL)
		return;
	for (e = 1; e < SEC_ENGINE_COUNT; e++)
		if (lc->eng[e] != NULL)
			all_engines[e]->lcore_fini(lc->eng[e]);
	free(lc);
	if (g.nlc > 0)
		g.nlc--;
}

struct sec_lcore *
sec_lcore_create(unsigned int lcore_id, int *err)
{
	struct sec_lcore *lc;
	unsigned int e;
	int dummy, rc = 0;

	if (err == NULL)
		err = &dummy;
	/* C heap, not DPDK's: crypto also runs without EAL (openssl) */
	lc = aligned_alloc(RTE_CACHE_LINE_SIZE,
			RTE_ALIGN_CEIL(sizeof(*lc), RTE_CACHE_LINE_SIZE));
	if (lc == NULL) {
		*err = -ENOMEM;
		return NULL;
	}
	memset(lc, 0, sizeof(*lc));
	lc->lcore_id = lcore_id;
	g.nlc++;
	/* each registered engine's part (engines without per-lcore state
	 * leave their slot NULL) */
	for (e = 1; e < SEC_ENGINE_COUNT && rc == 0; e++)
		if (g.available[e] && all_engines[e]->lcore_init != NULL)
			rc = all_engines[e]->lcore_init(lcore_id, &lc->eng[e]);
	*err = rc;
	if (rc == 0)
		return lc;
	sec_lcore_destroy(lc);
	return NULL;
}

static const char *const status_str[SEC_ST_COUNT] = {
	[SEC_ST_OK] = "ok",
	[SEC_ST_AUTH_FAIL] = "auth-fail",
	[SEC_ST_REPLAY] = "replay",
	[SEC_ST_TOO_OLD] = "too-old",
	[SEC_ST_MALFORMED] = "malformed",
	[SEC_ST_KEY_LIMIT] = "key-limit",
	[SEC_ST_NO_STREAM] = "no-stream",
	[SEC_ST_NO_ROOM] = "no-room",
	[SEC_ST_BAD_MKI] = "bad-mki",
	[SEC_ST_ERROR] = "error",
	[SEC_ST_SEQ_JUMP] = "seq-jump",
};

const char *
sec_status_str(enum sec_status st)
{
	if ((unsigned int)st >= SEC_ST_COUNT)
		return "?";
	return status_str[st];
}

int
sec_params_from_sdes(struct sec_session_params *p, const struct sdes_crypto *c)
{
	uint64_t v;
	int i;

	if (p == NULL || c == NULL || sec_suite_get(c->suite) == NULL)
		return -EINVAL;
	if (c->mki_len > SEC_MKI_MAX)
		return -ENOTSUP;
	/* Every other field back to its default: a caller sets dir, proto and
	 * the rest after this call. */
	memset(p, 0, sizeof(*p));
	p->suite = c->suite;
	p->master_key = c->key;
	p->master_salt = c->salt;
	p->lifetime = c->lifetime;
	p->mki_len = (uint8_t)c->mki_len;
	/* MKI value big-endian in mki_len bytes (RFC 4568 §6.1) */
	v = c->mki_value;
	for (i = (int)c->mki_len - 1; i >= 0 && v != 0; i--) {
		p->mki[i] = (uint8_t)v;
		v >>= 8;
	}
	return 0;
}

/* ---- sessions --------------------------------------------------------- */

/* A registered engine's session: the suite must be enabled now (the live
 * mask) and the engine available and able to do it. */
static struct sec_session *
session_create(const struct sec_session_params *p, const uint8_t *ek,
		const uint8_t *salt, int *err)
{
	enum sec_engine e;
	int dummy;

	if (err == NULL)
		err = &dummy;
	if (p == NULL || (unsigned int)p->suite >= SEC_SUITE_COUNT ||
			!(live_mask() & (1u << p->suite))) {
		*err = -EINVAL;
		return NULL;
	}
	e = p->engine ? p->engine : g.def;
	if ((unsigned int)e >= SEC_ENGINE_COUNT || !g.available[e] ||
			!(g.caps[e] & (1u << p->suite))) {
		*err = -ENOTSUP;
		return NULL;
	}
	return sec_sess_build(all_engines[e], p, ek, salt, err);
}

struct sec_session *
sec_session_create(const struct sec_session_params *p, int *err)
{
	return session_create(p, NULL, NULL, err);
}

void
sec_session_destroy(struct sec_session *s)
{
	sec_sess_free(s);
}

struct sec_session *
sec_session_create_raw(const struct sec_session_params *p, const uint8_t *ek,
		const uint8_t *salt, int *err)
{
	if (ek == NULL || salt == NULL) {
		if (err != NULL)
			*err = -EINVAL;
		return NULL;
	}
	return session_create(p, ek, salt, err);
}

/* Copy per-SSRC state (SPEC §1.9: ROC never resets on rekey). */
static void
copy_streams(struct sec_session *dst, const struct sec_session *src)
{
	size_t wb = (size_t)src->win_words * sizeof(uint64_t);
	uint32_t i;
	unsigned int r;

	for (i = 0; i < src->nstreams; i++) {
		dst->streams[i] = src->streams[i];
		/* each protocol both have: its window (same size in both) */
		for (r = 0; r < 2; r++) {
			uint8_t pr = r ? SEC_PROTO_SRTCP : SEC_PROTO_SRTP;

			if (dst->proto & src->proto & pr)
				memcpy(sec_stream_win(dst, &dst->streams[i], r),
						sec_stream_win(src, &src->streams[i], r),
						wb);
		}
	}
}

/* Re-create key ki of session from in dst: same master key and MKI, and
 * the usage count of each protocol dst has, SRTP's from `from`, SRTCP's
 * from rfrom (the session that carried SRTCP under the same key set:
 * from itself, or the other half of an rtcp-mux merge). */
static struct sec_key *
key_clone(struct sec_session *dst, const struct sec_session *from,
		const struct sec_session *rfrom, uint8_t ki, int *err)
{
	const struct sec_key *src = from->keys[ki];
	struct sec_session_params p;
	struct sec_key *k;
	unsigned int i;

	memset(&p, 0, sizeof(p));
	p.suite = dst->suite->id;
	p.master_key = src->master_key;
	p.master_salt = src->master_salt;
	memcpy(p.mki, src->mki, src->mki_len);
	p.mki_len = src->mki_len;
	k = sec_sess_key_new(dst, &p, NULL, NULL, err);
	for (i = 0; k != NULL && i < 2; i++) {
		uint32_t proto = i ? SEC_PROTO_SRTCP : SEC_PROTO_SRTP;
		const struct sec_session *o_s = i ? rfrom : from;
		const struct sec_subkey *o;
		struct sec_subkey *d;

		if (!(dst->proto & o_s->proto & proto))
			continue;
		d = sec_key_sub(dst, k, i);
		o = &o_s->keys[ki]->sub[i ? o_s->rtcp_sub : 0];
		d->used = o->used;
		d->limit = o->limit;
	}
	return k;
}

/* What a session made from another one holds (session_from). */
enum from_mode {
	FROM_REKEY,     /* p's key (unprotect: after the replaced one) */
	FROM_RETIRE,    /* the last installed key only */
	FROM_COPY,      /* every key as it is (another engine, another
			 * protocol set) */
};

/* Take the SRTCP state of every SSRC from src into dst (its RTP state
 * stays): the SRTCP half of two sessions merged into one (rtcp-mux). */
static void
merge_rtcp_streams(struct sec_session *dst, const struct sec_session *src)
{
	uint32_t i, j;

	for (j = 0; j < dst->nstreams; j++) {
		struct sec_stream *d = &dst->streams[j];

		d->rtcp_seen = 0;
		d->rtcp_index = 0;
		memset(sec_stream_win(dst, d, true), 0,
				dst->win_words * sizeof(uint64_t));
	}
	for (i = 0; i < src->nstreams; i++) {
		const struct sec_stream *o = &src->streams[i];
		struct sec_stream *d = NULL;

		if (!o->used || !o->rtcp_seen)
			continue;
		for (j = 0; j < dst->nstreams && d == NULL; j++)
			if (dst->streams[j].used && dst->streams[j].ssrc == o->ssrc)
				d = &dst->streams[j];
		for (j = 0; j < dst->nstreams && d == NULL; j++)
			if (!dst->streams[j].used) {
				d = &dst->streams[j];
				d->used = 1;
				d->ssrc = o->ssrc;
				d->rtp_seen = 0;
				d->rtp_highest = 0;
				d->rtp_probe = 0;
			}
		if (d == NULL)
			break; /* as many SSRCs as streams: the rest start over */
		d->rtcp_seen = 1;
		d->rtcp_index = o->rtcp_index;
		memcpy(sec_stream_win(dst, d, true), sec_stream_win(src, o, true),
				dst->win_words * sizeof(uint64_t));
	}
}

/* The index of the key the peer moves to: the last installed one. RFC
 * 4568 §7.1.4 and SPEC.md §1.9: the signalled key is authoritative; the
 * one it replaced is only a fallback, whatever the packets seen so far. */
static inline uint8_t
newest_key(const struct sec_session *s)
{
	return (uint8_t)(s->nkeys - 1);
}

/*
 * SRTCP indexes a copy on another engine skips (protect): the old session
 * may still send a few packets while the new one is being published (one
 * burst of the owner lcore), and an index must never be sent twice under
 * one key (RFC 3711 §9.1; a repeated GCM nonce, RFC 7714 §8.1). A jump
 * ahead is fine for the receiver (its replay list only moves forward).
 */
#define SEC_COPY_SRTCP_SKIP 64

/*
 * A session made from old: its keys as mode says, its per-SSRC state, on
 * engine ops, for the protocols proto (0: old's). rtcp_src (NULL: old)
 * gives the SRTCP state when two sessions merge (rtcp-mux).
 */
static struct sec_session *
session_from(const struct sec_session *old, const struct sec_session *rtcp_src,
		const struct sec_session_params *p, enum from_mode mode,
		const struct sec_eng_ops *ops, uint32_t proto, int *err)
{
	struct sec_session_params q;
	struct sec_session *s;
	uint8_t i;
	int dummy, rc;

	if (err == NULL)
		err = &dummy;
	if (old == NULL || (mode == FROM_REKEY) != (p != NULL)) {
		*err = -EINVAL;
		return NULL;
	}
	if (old->eng->id == SEC_ENGINE_LIBSRTP || ops->id == SEC_ENGINE_LIBSRTP) {
		/* libsrtp can neither export nor import replay state */
		*err = -ENOTSUP;
		return NULL;
	}
	memset(&q, 0, sizeof(q));
	q.dir = old->dir;
	q.proto = proto != 0 ? proto : old->proto;
	q.suite = old->suite->id;
	q.replay_window = old->window;
	q.max_streams = old->nstreams;
	q.engine = ops->id;
	q.flags = old->flags;
	q.lifetime = old->lifetime;
	if (p != NULL) {
		if (p->dir != old->dir || p->proto != old->proto ||
				p->suite != old->suite->id ||
				(p->replay_window && p->replay_window != old->window) ||
				(p->engine && p->engine != old->eng->id) ||
				(p->mki_len != old->keys[0]->mki_len) ||
				p->master_key == NULL || p->master_salt == NULL) {
			*err = -EINVAL;
			return NULL;
		}
		if (p->lifetime > (1ull << old->suite->srtp_lifetime_log2)) {
			*err = -EINVAL;
			return NULL;
		}
		q.lifetime = p->lifetime;
	}
	/* the keys it will hold: see the modes below */
	s = sec_sess_alloc(ops, &q, mode == FROM_COPY ? old->nkeys :
			mode == FROM_REKEY && old->dir == SEC_DIR_UNPROTECT ?
			2 : 1, err);
	if (s == NULL)
		return NULL;
	s->lifetime = q.lifetime;
	switch (mode) {
	case FROM_REKEY:
		if (old->dir == SEC_DIR_PROTECT) {
			/* protect: the new key from the first packet */
			s->keys[0] = sec_sess_key_new(s, p, NULL, NULL, err);
			s->nkeys = s->keys[0] != NULL;
			break;
		}
		/* unprotect: the key this rekey replaces (the last signalled
		 * one, not whichever authenticated last) first, the new one
		 * on failure */
		s->keys[0] = key_clone(s, old, old, newest_key(old), err);
		s->nkeys = s->keys[0] != NULL;
		if (s->keys[0] != NULL) {
			s->keys[1] = sec_sess_key_new(s, p, NULL, NULL, err);
			s->nkeys = s->keys[1] != NULL ? 2 : 1;
			if (s->keys[1] == NULL)
				goto fail;
		}
		break;
	case FROM_RETIRE:
		/* retire by identity: the replaced key goes */
		s->keys[0] = key_clone(s, old, old, newest_key(old), err);
		s->nkeys = s->keys[0] != NULL;
		break;
	case FROM_COPY:
		for (i = 0; i < old->nkeys; i++) {
			s->keys[i] = key_clone(s, old, rtcp_src != NULL ?
					rtcp_src : old, i, err);
			if (s->keys[i] == NULL)
				goto fail;
			s->nkeys = (uint8_t)(i + 1);
		}
		break;
	}
	if (s->keys[0] == NULL)
		goto fail;
	s->cur = mode == FROM_COPY ? old->cur : 0;
	s->trial = s->dir == SEC_DIR_UNPROTECT && s->nkeys == 2 &&
		memcmp(s->keys[0]->mki, s->keys[1]->mki,
				s->keys[0]->mki_len) == 0;
	copy_streams(s, old);
	if (rtcp_src != NULL && rtcp_src != old)
		merge_rtcp_streams(s, rtcp_src);
	if (mode == FROM_COPY && s->dir == SEC_DIR_PROTECT) {
		for (i = 0; i < s->nstreams; i++) {
			struct sec_stream *st = &s->streams[i];

			if (st->used && st->rtcp_seen)
				st->rtcp_index = RTE_MIN(st->rtcp_index +
						SEC_COPY_SRTCP_SKIP,
						0x7fffffffu);
		}
	}
	if (s->eng->session_create != NULL) {
		rc = s->eng->session_create(s);
		if (rc != 0) {
			*err = rc;
			goto fail;
		}
	}
	*err = 0;
	return s;
fail:
	sec_session_destroy(s);
	return NULL;
}

struct sec_session *
sec_session_rekey(const struct sec_session *old,
		const struct sec_session_params *p, int *err)
{
	if (p == NULL || old == NULL) {
		if (err != NULL)
			*err = -EINVAL;
		return NULL;
	}
	return session_from(old, NULL, p, FROM_REKEY, old->eng, 0, err);
}

struct sec_session *
sec_session_retire_fallback(const struct sec_session *s, int *err)
{
	if (s == NULL) {
		if (err != NULL)
			*err = -EINVAL;
		return NULL;
	}
	return session_from(s, NULL, NULL, FROM_RETIRE, s->eng, 0, err);
}

struct sec_session *
sec_session_change_engine(const struct sec_session *old, enum sec_engine e,
		int *err)
{
	int dummy;

	if (err == NULL)
		err = &dummy;
	if (old == NULL) {
		*err = -EINVAL;
		return NULL;
	}
	if (e == SEC_ENGINE_DEFAULT)
		e = g.def;
	if ((unsigned int)e >= SEC_ENGINE_COUNT || !g.available[e] ||
			!(g.caps[e] & (1u << old->suite->id))) {
		*err = -ENOTSUP;
		return NULL;
	}
	if (all_engines[e] == old->eng) {
		*err = -EALREADY;
		return NULL;
	}
	return session_from(old, NULL, NULL, FROM_COPY, all_engines[e], 0, err);
}

/* Same suite, direction, window, engine and master keys (in order): two
 * sessions of one key set, made for different protocols. */
static bool
same_key_set(const struct sec_session *a, const struct sec_session *b)
{
	uint8_t i;

	if (a->suite != b->suite || a->dir != b->dir || a->window != b->window ||
			a->eng != b->eng || a->nstreams != b->nstreams ||
			a->nkeys != b->nkeys)
		return false;
	for (i = 0; i < a->nkeys; i++)
		if (a->keys[i]->mki_len != b->keys[i]->mki_len ||
				CRYPTO_memcmp(a->keys[i]->master_key,
					b->keys[i]->master_key,
					a->suite->master_key_len) != 0 ||
				CRYPTO_memcmp(a->keys[i]->master_salt,
					b->keys[i]->master_salt,
					a->suite->master_salt_len) != 0)
			return false;
	return true;
}

struct sec_session *
sec_session_change_proto(const struct sec_session *rtp_src,
		const struct sec_session *rtcp_src, uint32_t proto, int *err)
{
	int dummy;

	if (err == NULL)
		err = &dummy;
	if (rtp_src == NULL || rtcp_src == NULL ||
			(proto & (SEC_PROTO_SRTP | SEC_PROTO_SRTCP)) == 0 ||
			(proto & ~(uint32_t)(SEC_PROTO_SRTP | SEC_PROTO_SRTCP)) ||
			!(rtp_src->proto & SEC_PROTO_SRTP) ||
			!(rtcp_src->proto & SEC_PROTO_SRTCP) ||
			!same_key_set(rtp_src, rtcp_src)) {
		*err = -EINVAL;
		return NULL;
	}
	return session_from(rtp_src, rtcp_src, NULL, FROM_COPY, rtp_src->eng, proto, err);
}

enum sec_engine
sec_session_engine(const struct sec_session *s)
{
	return s->eng->id;
}

void
sec_session_stats(const struct sec_session *s, struct sec_stats *out)
{
	const volatile struct sec_sess_stats *v = &s->stats;
	unsigned int i;

	for (i = 0; i < SEC_ST_COUNT; i++)
		out->st[i] = v->st[i];
	out->fallback_tries = v->fallback_tries;
	out->fallback_ok = v->fallback_ok;
	out->key_switches = v->key_switches;
}

int
sec_session_stream_info(const struct sec_session *s, uint32_t ssrc,
		struct sec_stream_info *out)
{
	uint32_t i;

	for (i = 0; i < s->nstreams; i++) {
		const struct sec_stream *st = &s->streams[i];

		if (st->used && st->ssrc == ssrc) {
			out->srtp_highest = st->rtp_highest;
			out->roc = (uint32_t)(st->rtp_highest >> 16);
			out->s_l = (uint16_t)st->rtp_highest;
			out->srtcp_index = st->rtcp_index;
			return 0;
		}
	}
	return -ENOENT;
}

/* ---- bursts ----------------------------------------------------------- */

uint16_t
sec_session_burst(struct sec_lcore *lc, struct sec_session *s, uint8_t op,
		struct sec_pkt *pkts, uint16_t n, uint8_t *status)
{
	struct sec_pkt bad[SEC_BURST_MAX];
	uint8_t bst[SEC_BURST_MAX];
	uint16_t i, good = 0, nb = 0, m = n;
	bool rtcp = (op & SEC_RTCP_PROTECT) != 0;
	enum sec_dir dir = (op & SEC_RTP_UNPROTECT) ? SEC_DIR_UNPROTECT :
		SEC_DIR_PROTECT;

	if (m > SEC_BURST_MAX)
		m = SEC_BURST_MAX;
	if (op > SEC_RTCP_UNPROTECT || s->dir != dir ||
			!(s->proto & (rtcp ? SEC_PROTO_SRTCP : SEC_PROTO_SRTP))) {
		for (i = 0; i < n; i++)
			status[i] = SEC_ST_ERROR;
		s->stats.st[SEC_ST_ERROR] += n;
		return 0;
	}
	s->eng->burst(lc, s, pkts, m, rtcp, status);
	/* beyond SEC_BURST_MAX: untouched, reported as errors */
	for (i = m; i < n; i++)
		status[i] = SEC_ST_ERROR;
	/* good first (stable), failed behind them with their reasons */
	for (i = 0; i < m; i++) {
		if (status[i] == SEC_ST_OK) {
			if (good != i)
				pkts[good] = pkts[i];
			good++;
		} else {
			s->stats.st[status[i] < SEC_ST_COUNT ? status[i] :
				SEC_ST_ERROR]++;
			bad[nb] = pkts[i];
			bst[nb] = status[i];
			nb++;
		}
	}
	for (i = 0; i < nb; i++) {
		pkts[good + i] = bad[i];
		status[good + i] = bst[i];
	}
	for (i = 0; i < good; i++)
		status[i] = SEC_ST_OK;
	return good;
}

/* The per-session functions without a context: the control thread's. */
uint16_t
sec_protect_burst(struct sec_session *s, struct sec_pkt *pkts, uint16_t n,
		uint8_t *status)
{
	return sec_session_burst(g.ctl, s, SEC_RTP_PROTECT, pkts, n, status);
}

uint16_t
sec_unprotect_burst(struct sec_session *s, struct sec_pkt *pkts, uint16_t n,
		uint8_t *status)
{
	return sec_session_burst(g.ctl, s, SEC_RTP_UNPROTECT, pkts, n, status);
}

uint16_t
sec_rtcp_protect_burst(struct sec_session *s, struct sec_pkt *pkts,
		uint16_t n, uint8_t *status)
{
	return sec_session_burst(g.ctl, s, SEC_RTCP_PROTECT, pkts, n, status);
}

uint16_t
sec_rtcp_unprotect_burst(struct sec_session *s, struct sec_pkt *pkts,
		uint16_t n, uint8_t *status)
{
	return sec_session_burst(g.ctl, s, SEC_RTCP_UNPROTECT, pkts, n,
			status);
}

/* Counters of p's session for its result: a failure's reason (good
 * packets are the caller's to count). */
static inline void
count(const struct sec_burst_pkt *p)
{
	if (unlikely(p->status != SEC_ST_OK))
		p->s->stats.st[p->status < SEC_ST_COUNT ? p->status :
			SEC_ST_ERROR]++;
}

/* Run the gathered packets q (entries idx of p) and put them back. */
static void
run_gathered(struct sec_lcore *lc, struct sec_burst_pkt *p,
		struct sec_burst_pkt *q, const uint16_t *idx, uint16_t nq)
{
	uint16_t k;

	sec_xform_multi(lc, q, nq);
	for (k = 0; k < nq; k++)
		p[idx[k]] = q[k];
}

uint16_t
sec_burst(struct sec_lcore *lc, struct sec_burst_pkt *p, uint16_t n)
{
	struct sec_burst_pkt q[SEC_CHUNK];
	uint16_t idx[SEC_CHUNK];
	uint16_t i, nq = 0, good = 0;

	for (i = SEC_BURST_MAX; i < n; i++)
		p[i].status = SEC_ST_ERROR;
	if (n > SEC_BURST_MAX)
		n = SEC_BURST_MAX;
	for (i = 0; i < n; i++) {
		struct sec_session *s = p[i].s;
		bool rtcp = (p[i].op & SEC_RTCP_PROTECT) != 0;
		enum sec_dir dir = (p[i].op & SEC_RTP_UNPROTECT) ?
			SEC_DIR_UNPROTECT : SEC_DIR_PROTECT;

		if (s == NULL) {
			p[i].status = SEC_ST_ERROR;
			continue;
		}
		if (p[i].op > SEC_RTCP_UNPROTECT || s->dir != dir ||
				!(s->proto & (rtcp ? SEC_PROTO_SRTCP :
						SEC_PROTO_SRTP))) {
			p[i].status = SEC_ST_ERROR;
		} else if (s->eng->crypt == NULL) {
			/* a transform of the engine's own (libsrtp) */
			s->eng->burst(lc, s, &p[i].pkt, 1, rtcp,
					&p[i].status);
		} else {
			/* ours: gathered, SEC_CHUNK at a time */
			q[nq] = p[i];
			idx[nq++] = i;
			if (nq == SEC_CHUNK) {
				run_gathered(lc, p, q, idx, nq);
				nq = 0;
			}
		}
	}
	if (nq > 0)
		run_gathered(lc, p, q, idx, nq);
	for (i = 0; i < n; i++) {
		if (p[i].s != NULL)
			count(&p[i]);
		good += p[i].status == SEC_ST_OK;
	}
	return good;
}
