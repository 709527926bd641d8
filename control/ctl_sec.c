/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * e2ae crypto sessions of terminations (TS 33.328, SPEC §1.2, §1.9).
 *
 * Key direction (RFC 4568 §5.1.1): a CTL_TR_SRTP_E2AE termination T
 * unprotects what its remote sends with rx_key (the UE's, from Remote) and
 * protects what we send to its remote with tx_key (ours, from Local). T
 * holds one unprotect session per stream of its in-flows and one protect
 * session per stream for the peer's in-flows that egress toward T's remote;
 * with rtcp-mux one session per direction carries SRTP and SRTCP.
 *
 * Ownership: a session lives in a struct ctl_sec whose refs count T's hold
 * plus every flow record pointing at it, published or still in its grace
 * period. Reprogramming a context (mode, latch, neighbour, the peer's
 * Modify) publishes new records that take a reference on the same live
 * session, so ROC, replay windows and SRTCP indexes are never reset by it.
 * A record drops its reference in its release callback (control thread,
 * after the grace period); the last reference destroys the session, which
 * cleanses its keys.
 *
 * A new key for the same stream (same suite, engine and remote) becomes a
 * sec_session_rekey() of the live session: per-SSRC state continues (RFC
 * 3711: ROC is never reset by re-keying) and, for unprotect, the old key
 * stays as the fallback, tried only when the new one fails, for
 * crypto.rekey_grace_ms; then the session is replaced by a copy with the
 * current key only (ctl_sec_retire(), which the owner of the termination
 * calls from its timer and then republishes the flows: calls go one way,
 * ctl_ctx -> ctl_sec, ctl_flowprog -> ctl_sec). A new remote
 * address or port with a new key is a new crypto context (RFC 4568 §7.1.4):
 * fresh session, ROC 0. rtcp-mux turned on or off under an unchanged key
 * merges the RTP and RTCP sessions into one, or splits one, with their
 * state (sec_session_change_proto()); where the engine cannot carry state
 * (libsrtp) the change is refused.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ctl_priv.h"

static struct ctl_sec *
sec_hold(struct ctl_sec *h)
{
	if (h != NULL)
		h->refs++;
	return h;
}

void
ctl_sec_put(struct ctl_sec *h)
{
	if (h == NULL)
		return;
	if (--h->refs > 0)
		return;
	sec_session_destroy(h->s);
	free(h);
}

void
ctl_flow_release(struct dp_flow *f, bool last)
{
	(void)last;
	ctl_sec_put(f->sec_ref);
	f->sec_ref = NULL;
	f->sec = NULL;
}

struct ctl_sec *
ctl_sec_attach(struct dp_flow *f, struct ctl_sec *h)
{
	if (h == NULL)
		return NULL;
	f->sec = h->s;
	f->sec_ref = sec_hold(h);
	f->release = ctl_flow_release;
	return h;
}

/* Same key material (the tag is a label, not crypto). Constant time over
 * the secret bytes. */
static bool
same_key(const struct sdes_crypto *a, const struct sdes_crypto *b)
{
	const struct sec_suite *su = sec_suite_get(a->suite);

	if (su == NULL || a->suite != b->suite || a->lifetime != b->lifetime ||
	    a->mki_len != b->mki_len || a->mki_value != b->mki_value)
		return false;
	return CRYPTO_memcmp(a->key, b->key, su->master_key_len) == 0 &&
	       CRYPTO_memcmp(a->salt, b->salt, su->master_salt_len) == 0;
}

static int
make_session(const struct ctl *c, const struct ctl_term_spec *spec, const struct sdes_crypto *key,
	     enum sec_dir dir, uint32_t proto, const struct ctl_sec *old, bool rekey,
	     struct ctl_sec **out)
{
	struct sec_session_params p;
	struct ctl_sec *h;
	int rc, err = 0;

	/* A CHOOSE line is resolved (generated) before sessions are made. */
	if (key->choose)
		return -EINVAL;
	memset(&p, 0, sizeof(p));
	rc = sec_params_from_sdes(&p, key);
	if (rc < 0)
		return -EINVAL;
	p.dir = dir;
	p.proto = proto;
	p.replay_window = c->cfg->crypto.replay_window;
	p.engine = spec->engine;
	h = calloc(1, sizeof(*h));
	if (h == NULL) {
		OPENSSL_cleanse(&p, sizeof(p));
		return -ENOMEM;
	}
	h->s = NULL;
	if (rekey && old != NULL) {
		/* ROC and indexes continue under the new key (RFC 3711 §3.3.1,
		 * SPEC.md §1.9), on the new engine too: the state moves to it
		 * first, then the key changes. */
		struct sec_session *base = sec_session_change_engine(old->s, p.engine, &err);

		if (base == NULL && err == -EALREADY)
			h->s = sec_session_rekey(old->s, &p, &err);
		else if (base != NULL)
			h->s = sec_session_rekey(base, &p, &err);
		sec_session_destroy(base);
		/* The libsrtp engine cannot carry state over: a new key starts
		 * a new context there (no index repeats under any key). */
		if (h->s == NULL && err == -ENOTSUP)
			h->s = sec_session_create(&p, &err);
	} else {
		h->s = sec_session_create(&p, &err);
	}
	OPENSSL_cleanse(&p, sizeof(p));
	if (h->s == NULL) {
		free(h);
		return err == -ENOTSUP || err == -ENOMEM || err == -EIO ? err : -EINVAL;
	}
	h->refs = 1; /* the termination's */
	*out = h;
	return 0;
}

/* The session one direction of one stream needs: the live one when the key
 * is unchanged (on another engine: a copy with its state), a rekey of it
 * for a new key, or a new one. */
static int
session_for(const struct ctl *c, const struct ctl_term *t, const struct ctl_term_spec *spec,
	    const struct sdes_crypto *key, const struct sdes_crypto *old_key, struct ctl_sec *old,
	    enum sec_dir dir, uint32_t proto, bool moved, bool fresh, struct ctl_sec **out)
{
	bool same_ctx = old != NULL && old_key != NULL && !fresh;
	struct ctl_sec *h;
	int err = 0;

	/* The same key keeps its state even when the remote moved or the
	 * engine changed: a new session under that key would start index and
	 * ROC over and reuse keystream (RFC 3711 §9.1; under GCM a repeated
	 * nonce, RFC 7714 §8.1). RFC 4568 §7.1.4 has the peer send a new key
	 * with a new address; only then is it a new crypto context. */
	if (same_ctx && same_key(key, old_key)) {
		if (spec->engine == t->spec.engine) {
			*out = sec_hold(old);
			return 0;
		}
		h = calloc(1, sizeof(*h));
		if (h == NULL)
			return -ENOMEM;
		h->s = sec_session_change_engine(old->s, spec->engine, &err);
		if (h->s == NULL) {
			free(h);
			/* already on that engine (the default named): keep */
			if (err == -EALREADY) {
				*out = sec_hold(old);
				return 0;
			}
			/* libsrtp cannot carry the state: refused, a new key
			 * is needed to change to or from it */
			return err == -ENOMEM || err == -EIO ? err : -ENOTSUP;
		}
		h->refs = 1;
		*out = h;
		return 0;
	}
	return make_session(c, spec, key, dir, proto, old,
			    same_ctx && !moved && key->suite == old_key->suite, out);
}

/* The grace period after an inbound rekey is over: replace each unprotect
 * session by a copy that holds only the current key (state kept), so the
 * old key is no longer accepted. The caller republishes the flows. */
int
ctl_sec_retire(struct ctl_term *t)
{
	enum ctl_stream s;
	int n = 0;

	for (s = CTL_RTP; s < CTL_N_STREAMS; s++) {
		struct ctl_sec *h;
		int err = 0;

		if (t->sec_rx[s] == NULL)
			continue;
		h = calloc(1, sizeof(*h));
		if (h == NULL)
			break;
		h->s = sec_session_retire_fallback(t->sec_rx[s]->s, &err);
		if (h->s == NULL) {
			/* The libsrtp engine never holds a fallback. */
			free(h);
			if (err != -ENOTSUP)
				CTL_LOG(ERR, "ctx %u term %s: old key not retired: %s", t->ctx->id,
					t->id, strerror(-err));
			continue;
		}
		h->refs = 1;
		ctl_sec_put(t->sec_rx[s]);
		t->sec_rx[s] = h;
		n++;
	}
	return n;
}

void
ctl_sec_term_clear(struct ctl_term *t)
{
	enum ctl_stream s;

	for (s = CTL_RTP; s < CTL_N_STREAMS; s++) {
		ctl_sec_put(t->sec_rx[s]);
		ctl_sec_put(t->sec_tx[s]);
		t->sec_rx[s] = NULL;
		t->sec_tx[s] = NULL;
	}
}

/* One direction's sessions of a termination whose rtcp-mux changes, with
 * their state: the RTP and RTCP sessions merged into one (mux on), or the
 * muxed one split in two (mux off). NULL where there is no session to
 * carry. @return 0, or -ENOTSUP (libsrtp cannot carry state), -ENOMEM... */
static int
remux(struct ctl_sec *const old[CTL_N_STREAMS], bool mux, struct ctl_sec *out[CTL_N_STREAMS])
{
	static const uint32_t split[CTL_N_STREAMS] = { SEC_PROTO_SRTP, SEC_PROTO_SRTCP };
	enum ctl_stream s;
	int err = 0;

	for (s = CTL_RTP; s < CTL_N_STREAMS; s++) {
		const struct ctl_sec *rtcp_src = mux ? old[CTL_RTCP] : old[CTL_RTP];

		out[s] = NULL;
		if ((mux && s != CTL_RTP) || old[CTL_RTP] == NULL || rtcp_src == NULL)
			continue;
		out[s] = calloc(1, sizeof(*out[s]));
		if (out[s] == NULL)
			return -ENOMEM;
		out[s]->refs = 1;
		out[s]->s = sec_session_change_proto(old[CTL_RTP]->s, rtcp_src->s,
						     mux ? SEC_PROTO_SRTP | SEC_PROTO_SRTCP
							 : split[s],
						     &err);
		if (out[s]->s == NULL) {
			free(out[s]);
			out[s] = NULL;
			return err == -ENOMEM || err == -EIO ? err : -ENOTSUP;
		}
	}
	return 0;
}

/* Does spec keep a key the termination has now, in either direction? */
static bool
key_kept(const struct ctl_term_spec *spec, const struct ctl_term_spec *cur)
{
	const struct sdes_crypto *tx = ctl_spec_tx_key(spec), *cur_tx = ctl_spec_tx_key(cur);

	return (spec->has_rx_key && cur->has_rx_key && same_key(&spec->rx_key, &cur->rx_key)) ||
	       (tx != NULL && cur_tx != NULL && same_key(tx, cur_tx));
}

static void
put_all(struct ctl_sec *h[CTL_N_STREAMS])
{
	enum ctl_stream s;

	for (s = CTL_RTP; s < CTL_N_STREAMS; s++) {
		ctl_sec_put(h[s]);
		h[s] = NULL;
	}
}

int
ctl_sec_update(struct ctl *c, struct ctl_term *t, const struct ctl_term_spec *spec, bool moved)
{
	struct ctl_sec *rx[CTL_N_STREAMS] = { NULL }, *tx[CTL_N_STREAMS] = { NULL };
	struct ctl_sec *base_rx[CTL_N_STREAMS] = { NULL }, *base_tx[CTL_N_STREAMS] = { NULL };
	bool e2ae = spec->transport == CTL_TR_SRTP_E2AE;
	bool was = t->spec.transport == CTL_TR_SRTP_E2AE;
	bool remuxed = was && spec->rtcp_mux != t->spec.rtcp_mux;
	unsigned int ns = spec->rtcp_mux ? 1 : CTL_N_STREAMS;
	const struct sdes_crypto *tx_key = ctl_spec_tx_key(spec);
	enum ctl_stream s;
	bool rx_rekey;
	int rc = 0;

	if (!e2ae) {
		ctl_sec_term_clear(t);
		return 0;
	}
	if (spec->engine >= SEC_ENGINE_COUNT)
		return -EINVAL;
	/* A changed mux changes the sessions' protocols, not their keys: the
	 * state of an unchanged key goes with it into the new layout (RFC 3711
	 * §9.1), so the sessions to continue from are rebuilt first. */
	if (remuxed) {
		rc = remux(t->sec_rx, spec->rtcp_mux, base_rx);
		if (rc == 0)
			rc = remux(t->sec_tx, spec->rtcp_mux, base_tx);
		/* An engine that cannot carry state (libsrtp) can still change
		 * the mux with new keys in both directions; an unchanged key
		 * would start over: refused. */
		if (rc == -ENOTSUP && !key_kept(spec, &t->spec)) {
			put_all(base_rx);
			put_all(base_tx);
			rc = 0;
		}
	} else {
		memcpy(base_rx, t->sec_rx, sizeof(base_rx));
		memcpy(base_tx, t->sec_tx, sizeof(base_tx));
	}
	for (s = CTL_RTP; s < ns && rc == 0; s++) {
		uint32_t proto = spec->rtcp_mux ? SEC_PROTO_SRTP | SEC_PROTO_SRTCP
				 : s == CTL_RTP ? SEC_PROTO_SRTP : SEC_PROTO_SRTCP;

		if (spec->has_rx_key)
			rc = session_for(c, t, spec, &spec->rx_key,
					 t->spec.has_rx_key ? &t->spec.rx_key : NULL, base_rx[s],
					 SEC_DIR_UNPROTECT, proto, moved, !was, &rx[s]);
		if (rc == 0 && tx_key != NULL)
			rc = session_for(c, t, spec, tx_key, ctl_spec_tx_key(&t->spec), base_tx[s],
					 SEC_DIR_PROTECT, proto, moved, !was, &tx[s]);
	}
	if (remuxed) {
		/* what session_for() kept holds its own reference */
		put_all(base_rx);
		put_all(base_tx);
	}
	if (rc < 0) {
		put_all(rx);
		put_all(tx);
		return rc;
	}
	/* A new inbound key rekeyed the live sessions (same context, same
	 * suite): the old key is the fallback until the grace period ends. */
	rx_rekey = !moved && was && spec->has_rx_key && t->spec.has_rx_key &&
		   spec->rx_key.suite == t->spec.rx_key.suite &&
		   !same_key(&spec->rx_key, &t->spec.rx_key) && rx[CTL_RTP] != NULL &&
		   rx[CTL_RTP] != t->sec_rx[CTL_RTP];
	/* Commit: the old sessions live on while published records use them. */
	ctl_sec_term_clear(t);
	memcpy(t->sec_rx, rx, sizeof(rx));
	memcpy(t->sec_tx, tx, sizeof(tx));
	return rx_rekey ? 1 : 0;
}

/* The master key bytes of a and b are equal (whatever the tags, suites of
 * one key length, salts, lifetimes or MKIs: one master key under two
 * senders is one keystream family). Constant time over the key. */
static bool
same_master_key(const struct sdes_crypto *a, const struct sdes_crypto *b)
{
	const struct sec_suite *sa = sec_suite_get(a->suite), *sb = sec_suite_get(b->suite);

	return sa != NULL && sb != NULL && sa->master_key_len == sb->master_key_len &&
	       CRYPTO_memcmp(a->key, b->key, sa->master_key_len) == 0;
}

/* Generate the key of a CHOOSE line in place, keeping its tag and
 * parameters; never the remote's key (RFC 4568 §6.1). */
static int
choose_key(struct sdes_crypto *k, const struct sdes_crypto *avoid)
{
	struct sdes_crypto g;
	int rc = sdes_generate(k->suite, avoid, &g);

	if (rc < 0)
		return rc;
	memcpy(k->key, g.key, sizeof(k->key));
	memcpy(k->salt, g.salt, sizeof(k->salt));
	k->choose = 0;
	sdes_crypto_clear(&g);
	return 0;
}

int
ctl_spec_resolve_keys(struct ctl_term_spec *s)
{
	const struct sdes_crypto *avoid = s->has_rx_key ? &s->rx_key : NULL;
	uint16_t i, bound;
	int rc;

	if (s->transport != CTL_TR_SRTP_E2AE) {
		/* Only e2ae terminates SRTP here: no key is kept. */
		sdes_crypto_clear(&s->rx_key);
		for (i = 0; i < CTL_LOCAL_KEYS_MAX; i++)
			sdes_crypto_clear(&s->local_keys[i]);
		s->has_rx_key = false;
		s->n_local_keys = 0;
		return 0;
	}
	for (i = 0; i < s->n_local_keys; i++) {
		if (!s->local_keys[i].choose)
			continue;
		rc = choose_key(&s->local_keys[i], avoid);
		if (rc < 0)
			return rc == -EIO ? -EIO : -EINVAL;
	}
	/* RFC 4568 §5.1.1, §7.1.1 (SPEC.md §1.2): the key in each party's
	 * a=crypto is what that party sends with, and the two must differ: a
	 * key of ours given by the MGC or the operator (not CHOOSE) that is
	 * the UE's would encrypt both directions with one keystream, and
	 * each side's packets would authenticate as the other's. */
	for (i = 0; avoid != NULL && i < s->n_local_keys; i++)
		if (same_master_key(&s->local_keys[i], avoid))
			return -EINVAL;
	/* One key is ours to send with as it is (the admin socket may give
	 * it any tag; Iq checks the tag itself). */
	if (!s->has_rx_key || s->n_local_keys <= 1)
		return 0;
	/* SPEC.md §3.5 item 5: the remote's line binds one of the offered
	 * keys by tag, same suite; the unselected ones are discarded (§1.5
	 * step 4). */
	for (bound = 0; bound < s->n_local_keys; bound++)
		if (s->local_keys[bound].tag == s->rx_key.tag)
			break;
	if (bound == s->n_local_keys || s->local_keys[bound].suite != s->rx_key.suite)
		return -EINVAL;
	if (bound != 0)
		s->local_keys[0] = s->local_keys[bound];
	for (i = 1; i < CTL_LOCAL_KEYS_MAX; i++)
		sdes_crypto_clear(&s->local_keys[i]);
	s->n_local_keys = 1;
	return 0;
}

const struct sdes_crypto *
ctl_spec_tx_key(const struct ctl_term_spec *s)
{
	/* We send with our key once there is exactly one: bound to the
	 * remote's, or the only one offered. */
	return s->n_local_keys == 1 ? &s->local_keys[0] : NULL;
}
