/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crypto/ API: engine registry, session create/rekey/destroy (control),
 * the public burst entry points (owner lcore) and counters.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <rte_log.h>

#include "sec_priv.h"

int sec_logtype = -1;

void
sec_log(unsigned int level, const char *fmt, ...)
{
	va_list ap;

	if (sec_logtype < 0)
		sec_logtype = rte_log_register_type_and_pick_level(
				"imsagw.crypto", RTE_LOG_INFO);
	va_start(ap, fmt);
	rte_vlog(level, sec_logtype < 0 ? RTE_LOGTYPE_USER1 :
			(uint32_t)sec_logtype, fmt, ap);
	va_end(ap);
}

static const struct sec_eng_ops *const all_engines[SEC_ENGINE_COUNT] = {
	[SEC_ENGINE_CRYPTODEV] = &sec_eng_cryptodev_ops,
	[SEC_ENGINE_LIBSRTP] = &sec_eng_libsrtp_ops,
	[SEC_ENGINE_OPENSSL] = &sec_eng_openssl_ops,
};

static struct {
	bool init;
	uint32_t suite_mask;
	enum sec_engine def;
	/* registered: probe ok; available: KATs passed too */
	bool registered[SEC_ENGINE_COUNT];
	bool available[SEC_ENGINE_COUNT];
	uint32_t caps[SEC_ENGINE_COUNT];
} g;

const struct sec_eng_ops *
sec_eng_get(enum sec_engine e)
{
	if ((unsigned int)e >= SEC_ENGINE_COUNT || !g.registered[e])
		return NULL;
	return all_engines[e];
}

int
sec_init(const struct sec_config *cfg)
{
	static const struct sec_config defaults;
	unsigned int e;
	int n = 0;

	if (g.init)
		return -EALREADY;
	if (cfg == NULL)
		cfg = &defaults;
	memset(&g, 0, sizeof(g));
	g.suite_mask = cfg->suite_mask ? cfg->suite_mask & SEC_SUITE_MASK_ALL :
		SEC_SUITE_MASK_ALL;
	g.def = cfg->default_engine ? cfg->default_engine : SEC_ENGINE_CRYPTODEV;
	for (e = 1; e < SEC_ENGINE_COUNT; e++) {
		const struct sec_eng_ops *ops = all_engines[e];
		int rc;

		if ((e == SEC_ENGINE_CRYPTODEV && cfg->disable_cryptodev) ||
				(e == SEC_ENGINE_LIBSRTP && cfg->disable_libsrtp) ||
				(e == SEC_ENGINE_OPENSSL && cfg->disable_openssl))
			continue;
		rc = ops->probe(cfg);
		if (rc != 0) {
			SEC_LOG(SEC_LOG_WARN, "engine %s: probe failed (%d)",
					ops->name, rc);
			continue;
		}
		g.registered[e] = true;
		g.caps[e] = ops->capabilities();
		/* Every engine proves the known answers before use. */
		rc = sec_kat_run((enum sec_engine)e, g.suite_mask & g.caps[e]);
		if (rc != 0) {
			SEC_LOG(SEC_LOG_ERR, "engine %s: known-answer test "
					"failed, refused", ops->name);
			g.registered[e] = false;
			if (ops->fini != NULL)
				ops->fini();
			continue;
		}
		g.available[e] = true;
		n++;
		SEC_LOG(SEC_LOG_INFO, "engine %s: ready (suites 0x%x)",
				ops->name, g.caps[e]);
	}
	if (n == 0)
		return -ENODEV;
	if (!g.available[g.def]) {
		/* our transform over EVP is the same code, proven equal to
		 * libsrtp; slower than cryptodev but keeps SRTP working */
		enum sec_engine alt = g.available[SEC_ENGINE_OPENSSL] ?
			SEC_ENGINE_OPENSSL : SEC_ENGINE_LIBSRTP;

		if (!g.available[alt])
			alt = SEC_ENGINE_CRYPTODEV;
		SEC_LOG(SEC_LOG_WARN, "default engine %s unavailable, using %s",
				all_engines[g.def]->name, all_engines[alt]->name);
		g.def = alt;
	}
	g.init = true;
	return 0;
}

void
sec_fini(void)
{
	unsigned int e;

	for (e = 1; e < SEC_ENGINE_COUNT; e++)
		if (g.registered[e] && all_engines[e]->fini != NULL)
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
	unsigned int e;

	if ((unsigned int)suite >= SEC_SUITE_COUNT ||
			!(g.suite_mask & (1u << suite)))
		return false;
	for (e = 1; e < SEC_ENGINE_COUNT; e++)
		if (g.available[e] && (g.caps[e] & (1u << suite)))
			return true;
	return false;
}

uint32_t
sec_suite_mask(void)
{
	uint32_t m = 0;
	unsigned int i;

	for (i = 0; i < SEC_SUITE_COUNT; i++)
		if (sec_suite_enabled((enum sec_suite_id)i))
			m |= 1u << i;
	return m;
}

int
sec_engine_selftest(enum sec_engine e)
{
	if (e == SEC_ENGINE_DEFAULT)
		e = g.def;
	if ((unsigned int)e >= SEC_ENGINE_COUNT || !g.registered[e])
		return -ENODEV;
	return sec_kat_run(e, g.suite_mask & g.caps[e]);
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

static void
subkey_free(struct sec_session *s, struct sec_subkey *sk)
{
	if (s->eng != NULL && s->eng->key_fini != NULL)
		s->eng->key_fini(sk);
	OPENSSL_cleanse(sk, sizeof(*sk));
}

static void
key_free(struct sec_session *s, struct sec_key *k)
{
	if (k == NULL)
		return;
	subkey_free(s, &k->rtp);
	subkey_free(s, &k->rtcp);
	OPENSSL_cleanse(k, sizeof(*k));
	free(k);
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
static struct sec_key *
key_new(struct sec_session *s, const struct sec_session_params *p,
		const uint8_t *ek, const uint8_t *salt, int *err)
{
	const struct sec_suite *su = s->suite;
	struct sec_key *k = calloc(1, sizeof(*k));
	int rc = 0;

	if (k == NULL) {
		*err = -ENOMEM;
		return NULL;
	}
	memcpy(k->mki, p->mki, p->mki_len);
	k->mki_len = p->mki_len;
	k->rtcp.is_rtcp = 1;
	k->rtp.limit = limit_of(s->lifetime, su->srtp_lifetime_log2);
	k->rtcp.limit = limit_of(s->lifetime, su->srtcp_lifetime_log2);
	if (ek != NULL) {
		k->raw = 1;
		memcpy(k->rtp.ek, ek, su->enc_key_len);
		memcpy(k->rtcp.ek, ek, su->enc_key_len);
		memcpy(k->rtp.salt, salt, su->session_salt_len);
		memcpy(k->rtcp.salt, salt, su->session_salt_len);
	} else {
		memcpy(k->master_key, p->master_key, su->master_key_len);
		memcpy(k->master_salt, p->master_salt, su->master_salt_len);
		/* RFC 3711 §4.3.1 labels 0..5 */
		rc |= sec_kdf(su->id, p->master_key, p->master_salt, 0,
				k->rtp.ek, su->enc_key_len);
		rc |= sec_kdf(su->id, p->master_key, p->master_salt, 2,
				k->rtp.salt, su->session_salt_len);
		rc |= sec_kdf(su->id, p->master_key, p->master_salt, 3,
				k->rtcp.ek, su->enc_key_len);
		rc |= sec_kdf(su->id, p->master_key, p->master_salt, 5,
				k->rtcp.salt, su->session_salt_len);
		if (!su->aead) {
			rc |= sec_kdf(su->id, p->master_key, p->master_salt, 1,
					k->rtp.ak, su->auth_key_len);
			rc |= sec_kdf(su->id, p->master_key, p->master_salt, 4,
					k->rtcp.ak, su->auth_key_len);
		}
		if (rc != 0) {
			*err = -EIO;
			key_free(s, k);
			return NULL;
		}
	}
	if (s->eng->key_init != NULL) {
		if ((s->proto & SEC_PROTO_SRTP) &&
				(rc = s->eng->key_init(s, &k->rtp)) != 0)
			goto fail;
		if ((s->proto & SEC_PROTO_SRTCP) &&
				(rc = s->eng->key_init(s, &k->rtcp)) != 0)
			goto fail;
	}
	return k;
fail:
	*err = rc;
	key_free(s, k);
	return NULL;
}

static int
check_params(const struct sec_session_params *p, bool raw)
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
	if (!(g.suite_mask & (1u << p->suite)))
		return -EINVAL;
	return 0;
}

static struct sec_session *
session_alloc(const struct sec_session_params *p, int *err)
{
	struct sec_session *s;
	enum sec_engine e = p->engine ? p->engine : g.def;
	uint32_t i;

	if ((unsigned int)e >= SEC_ENGINE_COUNT || !g.registered[e] ||
			!(g.caps[e] & (1u << p->suite))) {
		*err = -ENOTSUP;
		return NULL;
	}
	/* one block: session, streams, replay windows (one allocation, and
	 * the per-packet state close together) */
	{
		uint32_t window = p->replay_window ? p->replay_window :
			SEC_REPLAY_WINDOW_DEFAULT;
		uint32_t ns = p->max_streams ? p->max_streams :
			SEC_STREAMS_DEFAULT;
		size_t so = ((sizeof(*s) + 7) & ~(size_t)7);
		size_t bo = so + (size_t)ns * sizeof(struct sec_stream);
		size_t len = bo + (size_t)ns * 2 * (window / 64) *
			sizeof(uint64_t);

		s = calloc(1, len);
		if (s == NULL) {
			*err = -ENOMEM;
			return NULL;
		}
		s->alloc_len = len;
		s->streams = (struct sec_stream *)((uint8_t *)s + so);
		s->bitmaps = (uint64_t *)((uint8_t *)s + bo);
		s->window = window;
		s->nstreams = ns;
	}
	s->suite = sec_suite_get(p->suite);
	s->eng = all_engines[e];
	s->dir = p->dir;
	s->proto = p->proto;
	s->flags = p->flags;
	s->win_words = s->window / 64;
	s->win_mask = (s->window & (s->window - 1)) == 0 ? s->window - 1 : 0;
	s->lifetime = p->lifetime;
	for (i = 0; i < s->nstreams; i++) {
		s->streams[i].rtp_win = s->bitmaps + (size_t)i * 2 * s->win_words;
		s->streams[i].rtcp_win = s->streams[i].rtp_win + s->win_words;
	}
	return s;
}

static struct sec_session *
session_create(const struct sec_session_params *p, const uint8_t *ek,
		const uint8_t *salt, int *err)
{
	struct sec_session *s;
	int dummy, rc;

	if (err == NULL)
		err = &dummy;
	rc = check_params(p, ek != NULL);
	if (rc != 0) {
		*err = rc;
		return NULL;
	}
	s = session_alloc(p, err);
	if (s == NULL)
		return NULL;
	s->keys[0] = key_new(s, p, ek, salt, err);
	if (s->keys[0] == NULL) {
		sec_session_destroy(s);
		return NULL;
	}
	s->nkeys = 1;
	if (s->eng->session_create != NULL) {
		rc = s->eng->session_create(s);
		if (rc != 0) {
			*err = rc;
			sec_session_destroy(s);
			return NULL;
		}
	}
	*err = 0;
	return s;
}

struct sec_session *
sec_session_create(const struct sec_session_params *p, int *err)
{
	return session_create(p, NULL, NULL, err);
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

void
sec_session_destroy(struct sec_session *s)
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

/* Copy per-SSRC state (SPEC §1.9: ROC never resets on rekey). */
static void
copy_streams(struct sec_session *dst, const struct sec_session *src)
{
	uint32_t i;

	memcpy(dst->bitmaps, src->bitmaps, (size_t)src->nstreams * 2 *
			src->win_words * sizeof(uint64_t));
	for (i = 0; i < src->nstreams; i++) {
		uint64_t *a = dst->streams[i].rtp_win, *b = dst->streams[i].rtcp_win;

		dst->streams[i] = src->streams[i];
		dst->streams[i].rtp_win = a;
		dst->streams[i].rtcp_win = b;
	}
}

/* Re-create a key of src in dst (same master key, MKI, usage count). */
static struct sec_key *
key_clone(struct sec_session *dst, const struct sec_key *src, int *err)
{
	struct sec_session_params p;
	struct sec_key *k;

	memset(&p, 0, sizeof(p));
	p.suite = dst->suite->id;
	p.master_key = src->master_key;
	p.master_salt = src->master_salt;
	memcpy(p.mki, src->mki, src->mki_len);
	p.mki_len = src->mki_len;
	k = key_new(dst, &p, NULL, NULL, err);
	if (k != NULL) {
		k->rtp.used = src->rtp.used;
		k->rtcp.used = src->rtcp.used;
		k->rtp.limit = src->rtp.limit;
		k->rtcp.limit = src->rtcp.limit;
	}
	return k;
}

static struct sec_session *
session_from(const struct sec_session *old, const struct sec_session_params *p,
		bool keep_old, int *err)
{
	struct sec_session_params q;
	struct sec_session *s;
	int dummy, rc;

	if (err == NULL)
		err = &dummy;
	if (old == NULL) {
		*err = -EINVAL;
		return NULL;
	}
	if (old->eng->id == SEC_ENGINE_LIBSRTP) {
		/* libsrtp cannot import replay state */
		*err = -ENOTSUP;
		return NULL;
	}
	memset(&q, 0, sizeof(q));
	q.dir = old->dir;
	q.proto = old->proto;
	q.suite = old->suite->id;
	q.replay_window = old->window;
	q.max_streams = old->nstreams;
	q.engine = old->eng->id;
	q.flags = old->flags;
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
	s = session_alloc(&q, err);
	if (s == NULL)
		return NULL;
	s->lifetime = q.lifetime;
	if (p != NULL && (!keep_old || old->dir == SEC_DIR_PROTECT)) {
		/* protect: the new key from the first packet */
		s->keys[0] = key_new(s, p, NULL, NULL, err);
		s->nkeys = 1;
	} else {
		s->keys[0] = key_clone(s, old->keys[old->cur], err);
		s->nkeys = 1;
		if (s->keys[0] != NULL && p != NULL) {
			/* unprotect: current key first, new one on failure */
			s->keys[1] = key_new(s, p, NULL, NULL, err);
			s->nkeys = 2;
			if (s->keys[1] == NULL)
				goto fail;
		}
	}
	if (s->keys[0] == NULL)
		goto fail;
	s->cur = 0;
	copy_streams(s, old);
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
	if (p == NULL) {
		if (err != NULL)
			*err = -EINVAL;
		return NULL;
	}
	return session_from(old, p, true, err);
}

struct sec_session *
sec_session_retire_fallback(const struct sec_session *s, int *err)
{
	return session_from(s, NULL, false, err);
}

enum sec_engine
sec_session_engine(const struct sec_session *s)
{
	return s->eng->id;
}

void
sec_session_stats(const struct sec_session *s, struct sec_stats *out)
{
	const volatile struct sec_stats *v = &s->stats;
	unsigned int i;

	out->ok = v->ok;
	out->bytes = v->bytes;
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

static uint16_t
burst(struct sec_session *s, struct sec_pkt *pkts, uint16_t n,
		uint8_t *status, enum sec_dir dir, bool rtcp)
{
	struct sec_pkt bad[SEC_BURST_MAX];
	uint8_t bst[SEC_BURST_MAX];
	uint16_t i, good = 0, nb = 0, m = n;

	if (m > SEC_BURST_MAX)
		m = SEC_BURST_MAX;
	if (s->dir != dir ||
			!(s->proto & (rtcp ? SEC_PROTO_SRTCP : SEC_PROTO_SRTP))) {
		for (i = 0; i < n; i++)
			status[i] = SEC_ST_ERROR;
		s->stats.st[SEC_ST_ERROR] += n;
		return 0;
	}
	s->eng->burst(s, pkts, m, rtcp, status);
	/* beyond SEC_BURST_MAX: untouched, reported as errors */
	for (i = m; i < n; i++)
		status[i] = SEC_ST_ERROR;
	/* good first (stable), failed behind them with their reasons */
	for (i = 0; i < m; i++) {
		if (status[i] == SEC_ST_OK) {
			s->stats.ok++;
			s->stats.bytes += pkts[i].len;
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

uint16_t
sec_protect_burst(struct sec_session *s, struct sec_pkt *pkts, uint16_t n,
		uint8_t *status)
{
	return burst(s, pkts, n, status, SEC_DIR_PROTECT, false);
}

uint16_t
sec_unprotect_burst(struct sec_session *s, struct sec_pkt *pkts, uint16_t n,
		uint8_t *status)
{
	return burst(s, pkts, n, status, SEC_DIR_UNPROTECT, false);
}

uint16_t
sec_rtcp_protect_burst(struct sec_session *s, struct sec_pkt *pkts,
		uint16_t n, uint8_t *status)
{
	return burst(s, pkts, n, status, SEC_DIR_PROTECT, true);
}

uint16_t
sec_rtcp_unprotect_burst(struct sec_session *s, struct sec_pkt *pkts,
		uint16_t n, uint8_t *status)
{
	return burst(s, pkts, n, status, SEC_DIR_UNPROTECT, true);
}

/* Counters of p's session for its result. */
static inline void
count(const struct sec_burst_pkt *p)
{
	struct sec_session *s = p->s;

	if (p->status == SEC_ST_OK) {
		s->stats.ok++;
		s->stats.bytes += p->pkt.len;
	} else {
		s->stats.st[p->status < SEC_ST_COUNT ? p->status :
			SEC_ST_ERROR]++;
	}
}

/* Run the gathered packets q (entries idx of p) and put them back. */
static void
run_gathered(struct sec_burst_pkt *p, struct sec_burst_pkt *q,
		const uint16_t *idx, uint16_t nq)
{
	uint16_t k;

	sec_xform_multi(q, nq);
	for (k = 0; k < nq; k++)
		p[idx[k]] = q[k];
}

uint16_t
sec_burst(struct sec_burst_pkt *p, uint16_t n)
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
			s->eng->burst(s, &p[i].pkt, 1, rtcp, &p[i].status);
		} else {
			/* ours: gathered, SEC_CHUNK at a time */
			q[nq] = p[i];
			idx[nq++] = i;
			if (nq == SEC_CHUNK) {
				run_gathered(p, q, idx, nq);
				nq = 0;
			}
		}
	}
	if (nq > 0)
		run_gathered(p, q, idx, nq);
	for (i = 0; i < n; i++) {
		if (p[i].s != NULL)
			count(&p[i]);
		good += p[i].status == SEC_ST_OK;
	}
	return good;
}
