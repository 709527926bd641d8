/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Contexts and terminations: the control API that Iq procedures (and the
 * admin socket) drive. All state here is written by the control thread only.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <sys/epoll.h>

#include <openssl/rand.h>
#include <rte_errno.h>
#include <rte_jhash.h>

#include "ctl_priv.h"

RTE_LOG_REGISTER(ctl_logtype, imsagw.control, NOTICE);

#define CTL_HOUSEKEEPING_MS 5
#define CTL_CTX_ID_MAX 0xfffffffdu /* above: CHOOSE ($) and ALL (*) */

static const char *const realm_name[CFG_MAX_PORTS] = {
	[CFG_PORT_ACCESS] = "access",
	[CFG_PORT_CORE] = "core",
};

static void
housekeeping(void *arg)
{
	struct ctl *c = arg;

	ctl_poll(c);
	ctl_timer_start(c->loop, &c->housekeeping, CTL_HOUSEKEEPING_MS, housekeeping, c);
}

static void
neigh_readable(int fd, uint32_t events, void *arg)
{
	struct ctl *c = arg;
	struct ctl_ctx *x, *next;

	(void)fd;
	(void)events;
	if (dp_neigh_process(c->dp) <= 0)
		return;
	/* Something was learned: retry every context still waiting. */
	for (x = TAILQ_FIRST(&c->neigh_wait); x != NULL; x = next) {
		next = TAILQ_NEXT(x, neigh_link);
		if (ctl_program_ctx(c, x) < 0)
			CTL_LOG(ERR, "ctx %u: reprogramming after neighbour change failed", x->id);
	}
}

struct ctl *
ctl_create(const struct cfg *cfg, struct dp *dp, struct ctl_loop *loop, char *err, size_t errlen)
{
	struct rte_hash_parameters hp = { 0 };
	struct ctl *c = calloc(1, sizeof(*c));
	unsigned int r;
	int fd;

	if (c == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->cfg = cfg;
	c->dp = dp;
	c->loop = loop;
	c->flows = dp_flows(dp);
	c->msrp_fd = -1;
	TAILQ_INIT(&c->neigh_wait);
	for (r = 0; r < CFG_MAX_PORTS; r++) {
		if (dp_port_info(dp, r, &c->ports[r]) != 0)
			continue;
		c->has_port[r] = true;
		if (ctl_pool_init(&c->pools[r], cfg->ports[r].udp_min, cfg->ports[r].udp_max, 2) < 0) {
			snprintf(err, errlen, "%s port: empty UDP port range", realm_name[r]);
			goto fail;
		}
		if (ctl_pool_init(&c->tcp_pools[r], cfg->ports[r].tcp_min, cfg->ports[r].tcp_max,
				  1) < 0) {
			snprintf(err, errlen, "%s port: empty TCP port range", realm_name[r]);
			goto fail;
		}
	}
	if (ctl_msrp_init(c) < 0) {
		snprintf(err, errlen, "cannot create the MSRP leg table");
		goto fail;
	}
	hp.name = "ctl_ctx";
	hp.entries = cfg->limits.max_contexts > 8 ? cfg->limits.max_contexts : 8;
	hp.key_len = sizeof(uint32_t);
	hp.hash_func = rte_jhash;
	hp.socket_id = (int)rte_socket_id();
	c->ctx_by_id = rte_hash_create(&hp);
	hp.name = "ctl_term";
	hp.entries *= CTL_CTX_MAX_TERMS;
	hp.key_len = CTL_TERM_KEY_LEN;
	c->term_by_id = rte_hash_create(&hp);
	if (c->ctx_by_id == NULL || c->term_by_id == NULL) {
		snprintf(err, errlen, "cannot create context tables: %s", rte_strerror(rte_errno));
		goto fail;
	}
	fd = dp_neigh_fd(dp);
	if (fd >= 0 && ctl_loop_add_fd(loop, fd, EPOLLIN, neigh_readable, c) < 0) {
		snprintf(err, errlen, "cannot watch the neighbour socket");
		goto fail;
	}
	ctl_timer_start(loop, &c->housekeeping, CTL_HOUSEKEEPING_MS, housekeeping, c);
	return c;
fail:
	ctl_destroy(c);
	return NULL;
}

static int
delete_one(uint32_t ctx_id, const char *const *ids, unsigned int n, void *arg)
{
	(void)ids;
	(void)n;
	ctl_context_delete(arg, ctx_id);
	return 1; /* the walk is invalid after a delete: start again */
}

void
ctl_destroy(struct ctl *c)
{
	unsigned int r;
	int fd;

	if (c == NULL)
		return;
	if (c->ctx_by_id != NULL && c->term_by_id != NULL) {
		/* Deleting while iterating is not allowed by rte_hash: loop until
		 * empty, one deletion per walk. */
		while (c->n_ctx > 0 && ctl_context_iterate(c, delete_one, c) >= 0)
			;
		dp_flow_sync(c->flows);
	}
	ctl_timer_stop(c->loop, &c->housekeeping);
	fd = dp_neigh_fd(c->dp);
	if (fd >= 0)
		ctl_loop_del_fd(c->loop, fd);
	ctl_msrp_fini(c);
	rte_hash_free(c->ctx_by_id);
	rte_hash_free(c->term_by_id);
	for (r = 0; r < CFG_MAX_PORTS; r++) {
		ctl_pool_fini(&c->pools[r]);
		ctl_pool_fini(&c->tcp_pools[r]);
	}
	free(c);
}

void
ctl_poll(struct ctl *c)
{
	dp_events_poll(c->dp, ctl_on_dp_event, c);
	dp_flow_reclaim(c->flows);
	ctl_msrp_poll(c);
}

static struct ctl_ctx *
ctx_find(struct ctl *c, uint32_t id)
{
	void *data;

	if (rte_hash_lookup_data(c->ctx_by_id, &id, &data) < 0)
		return NULL;
	return data;
}

/* Term ids are case-insensitive (H.248 text; peers lower-case them): the
 * table key is the lower-cased id, zero padded. */
static int
term_key(const char *id, char key[CTL_TERM_KEY_LEN])
{
	size_t i, n = strlen(id);

	if (n == 0 || n > CTL_TERM_ID_MAX)
		return -EINVAL;
	memset(key, 0, CTL_TERM_KEY_LEN);
	for (i = 0; i < n; i++)
		key[i] = (char)tolower((unsigned char)id[i]);
	return 0;
}

static struct ctl_term *
term_find(struct ctl *c, const char *id)
{
	char key[CTL_TERM_KEY_LEN];
	void *data;

	if (term_key(id, key) < 0 || rte_hash_lookup_data(c->term_by_id, key, &data) < 0)
		return NULL;
	return data;
}

/*
 * A random id in 1..max (RAND_bytes, rejection-sampled): ids we choose are
 * not predictable, so a peer that saw one reply cannot name the next call's
 * context or termination (issue 11: with sequential ids a spoofed Modify or
 * Subtract only had to guess a small number). The caller retries on a
 * collision. @return 0 or -EIO.
 */
static int
random_id(uint32_t max, uint32_t *id)
{
	uint32_t lim = UINT32_MAX - UINT32_MAX % max, r;

	do {
		if (RAND_bytes((unsigned char *)&r, (int)sizeof(r)) != 1)
			return -EIO;
	} while (r >= lim);
	*id = r % max + 1;
	return 0;
}

int
ctl_context_create(struct ctl *c, uint32_t *ctx_id)
{
	struct ctl_ctx *x;
	uint32_t id = *ctx_id;
	int rc;

	if (c->n_ctx >= c->cfg->limits.max_contexts)
		return -ENOSPC;
	if (id == 0) {
		rc = random_id(CTL_CTX_ID_MAX, &id);
		while (rc == 0 && ctx_find(c, id) != NULL)
			rc = random_id(CTL_CTX_ID_MAX, &id);
		if (rc < 0)
			return rc;
	} else if (id > CTL_CTX_ID_MAX) {
		return -EINVAL;
	} else if (ctx_find(c, id) != NULL) {
		return -EEXIST;
	}
	x = calloc(1, sizeof(*x));
	if (x == NULL)
		return -ENOMEM;
	x->id = id;
	rc = rte_hash_add_key_data(c->ctx_by_id, &x->id, x);
	if (rc < 0) {
		free(x);
		return -ENOSPC;
	}
	c->n_ctx++;
	*ctx_id = id;
	return 0;
}

/* The grace period after an inbound rekey is over: ctl_sec drops the old
 * key and the flows are published again with the new sessions. */
static void
retire_timer(void *arg)
{
	struct ctl_term *t = arg;

	if (ctl_sec_retire(t) <= 0)
		return;
	CTL_LOG(INFO, "ctx %u term %s: previous inbound key retired", t->ctx->id, t->id);
	if (ctl_program_ctx(t->ctl, t->ctx) < 0)
		CTL_LOG(ERR, "ctx %u: reprogramming after key retirement failed", t->ctx->id);
}

/* Drop t's sessions, its retire timer and its keys. */
static void
term_sec_clear(struct ctl *c, struct ctl_term *t)
{
	ctl_timer_stop(c->loop, &t->retire);
	ctl_sec_term_clear(t);
	ctl_spec_clear(&t->spec);
}

/* The pool a termination's port comes from: TCP for MSRP, else UDP pairs. */
static struct ctl_pool *
term_pool(struct ctl *c, const struct ctl_term_spec *spec)
{
	return ctl_transport_is_msrp(spec->transport) ? &c->tcp_pools[spec->realm]
						      : &c->pools[spec->realm];
}

static void
term_free(struct ctl *c, struct ctl_term *t)
{
	char key[CTL_TERM_KEY_LEN];

	ctl_unprogram_term(c, t);
	ctl_msrp_close(c, t);
	if (term_key(t->id, key) == 0)
		rte_hash_del_key(c->term_by_id, key);
	ctl_pool_put(term_pool(c, &t->spec), t->local_port[CTL_RTP]);
	c->n_terms--;
	/* Sessions die with the last flow record using them (grace period). */
	term_sec_clear(c, t);
	free(t);
}

static void
ctx_free(struct ctl *c, struct ctl_ctx *x)
{
	if (x->waiting_neigh)
		TAILQ_REMOVE(&c->neigh_wait, x, neigh_link);
	rte_hash_del_key(c->ctx_by_id, &x->id);
	c->n_ctx--;
	free(x);
}

int
ctl_context_delete(struct ctl *c, uint32_t ctx_id)
{
	struct ctl_ctx *x = ctx_find(c, ctx_id);

	if (x == NULL)
		return -ENOENT;
	while (x->n_terms > 0) {
		struct ctl_term *t = x->terms[--x->n_terms];

		term_free(c, t);
	}
	ctx_free(c, x);
	return 0;
}

/* Can a termination with spec sit next to peer p? @return 0 or -ENOTSUP. */
static int
check_pair(const struct ctl_term_spec *spec, const struct ctl_term *p)
{
	if (p == NULL)
		return 0;
	/* An MSRP byte stream has nowhere to go on an RTP flow, and back. */
	if (ctl_transport_is_msrp(spec->transport) != ctl_transport_is_msrp(p->spec.transport))
		return -ENOTSUP;
	/* RTCP demultiplexing between a muxed and a non-muxed side is not done
	 * by the relay: both sides must agree. */
	if (p->spec.rtcp_mux != spec->rtcp_mux)
		return -ENOTSUP;
	/* e2ae terminates SRTP on one side: the other carries plain RTP (a
	 * flow runs one transform). */
	if ((spec->transport == CTL_TR_SRTP_E2AE || p->spec.transport == CTL_TR_SRTP_E2AE) &&
	    (spec->transport != CTL_TR_RTP) == (p->spec.transport != CTL_TR_RTP))
		return -ENOTSUP;
	return 0;
}

/* acc += x - base, counter by counter. */
static void
dir_add_since(struct ctl_dir_stats *acc, const struct ctl_dir_stats *x,
	      const struct ctl_dir_stats *base)
{
	unsigned int d;

	acc->pkts += x->pkts - base->pkts;
	acc->bytes += x->bytes - base->bytes;
	for (d = 0; d < DP_FLOW_DROP_MAX; d++)
		acc->drops[d] += x->drops[d] - base->drops[d];
}

/*
 * Close t's account with its peer p (NULL: it had none): what t's in-flows
 * counted since p came went out to p's remote, so p keeps it; from now on
 * t's counts are for its next peer. A Move or Subtract calls this, so a
 * peer's rtp/ps never includes what went to somebody else.
 */
static void
settle_out(struct ctl_term *t, struct ctl_term *p)
{
	enum ctl_stream s;

	for (s = CTL_RTP; s < CTL_N_STREAMS; s++) {
		struct ctl_dir_stats cur;

		ctl_read_in(t, s, &cur);
		if (p != NULL)
			dir_add_since(&p->out_base[s], &cur, &t->peer_base[s]);
		t->peer_base[s] = cur;
	}
}

/* Check what a spec asks for against the port; fill the remotes. */
static int
apply_spec(struct ctl *c, struct ctl_term *t, const struct ctl_term_spec *spec)
{
	struct ctl_term *p = ctl_peer(t);
	uint16_t rtcp_port;
	bool moved;
	int rc;

	if (spec->mode > CTL_MODE_INACTIVE || spec->transport > CTL_TR_MSRP_TLS)
		return -EINVAL;
	if (spec->remote.family != 0 && spec->remote.family != AF_INET &&
	    spec->remote.family != AF_INET6)
		return -EINVAL;
	rc = ctl_msrp_check_spec(spec);
	if (rc < 0)
		return rc;
	rc = check_pair(spec, p);
	if (rc < 0)
		return rc;

	moved = spec->remote.family != t->spec.remote.family ||
		memcmp(&spec->remote.a, &t->spec.remote.a, sizeof(spec->remote.a)) != 0 ||
		spec->remote_port != t->spec.remote_port ||
		spec->remote_rtcp_port != t->spec.remote_rtcp_port ||
		spec->rtcp_mux != t->spec.rtcp_mux;
	/* Sessions first: a bad key leaves the termination as it was. */
	rc = ctl_sec_update(c, t, spec, moved);
	if (rc < 0)
		return rc;
	if (rc == 1 && c->cfg->crypto.rekey_grace_ms > 0)
		ctl_timer_start(c->loop, &t->retire, c->cfg->crypto.rekey_grace_ms, retire_timer, t);

	/* A changed remote forgets what latching learned (re-latch). */
	if (moved) {
		memset(t->remote, 0, sizeof(t->remote));
		if (spec->remote.family != 0 && spec->remote_port != 0) {
			t->remote[CTL_RTP].ip = spec->remote;
			t->remote[CTL_RTP].port = spec->remote_port;
			rtcp_port = spec->rtcp_mux ? spec->remote_port
			    : spec->remote_rtcp_port != 0 ? spec->remote_rtcp_port
							  : (uint16_t)(spec->remote_port + 1u);
			t->remote[CTL_RTCP].ip = spec->remote;
			t->remote[CTL_RTCP].port = rtcp_port;
		}
	}
	/* The spec (with its keys) replaces the old one, which is cleansed. */
	ctl_spec_clear(&t->spec);
	t->spec = *spec;
	return 0;
}

static void
fill_info(const struct ctl_term *t, struct ctl_term_info *out)
{
	uint16_t i;

	if (out == NULL)
		return;
	memset(out, 0, sizeof(*out));
	snprintf(out->id, sizeof(out->id), "%s", t->id);
	out->ctx_id = t->ctx->id;
	out->local = t->local;
	out->local_port = t->local_port[CTL_RTP];
	out->local_rtcp_port = t->local_port[t->spec.rtcp_mux ? CTL_RTP : CTL_RTCP];
	out->latched = t->remote[CTL_RTP].latched;
	out->remote = t->remote[CTL_RTP].ip;
	out->remote_port = t->remote[CTL_RTP].port;
	out->realm = t->spec.realm;
	out->mode = t->spec.mode;
	out->transport = t->spec.transport;
	out->rtcp_mux = t->spec.rtcp_mux;
	out->has_rx_key = t->spec.has_rx_key;
	out->rx_tag = t->spec.rx_key.tag;
	out->rx_suite = t->spec.rx_key.suite;
	out->n_local_keys = t->spec.n_local_keys;
	for (i = 0; i < t->spec.n_local_keys; i++) {
		out->local_tag[i] = t->spec.local_keys[i].tag;
		out->local_suite[i] = t->spec.local_keys[i].suite;
	}
	if (ctl_transport_is_msrp(t->spec.transport))
		ctl_msrp_info(t->ctl, t, &out->msrp);
}

static int
pick_local(const struct ctl *c, const struct ctl_term_spec *spec, struct cfg_ip *local)
{
	const struct cfg_port *pc = &c->cfg->ports[spec->realm];

	memset(local, 0, sizeof(*local));
	if ((spec->family == 0 || spec->family == AF_INET) && pc->n_addr4 > 0) {
		*local = pc->addr4[0].ip;
		return 0;
	}
	if ((spec->family == 0 || spec->family == AF_INET6) && pc->n_addr6 > 0) {
		*local = pc->addr6[0].ip;
		return 0;
	}
	return -EADDRNOTAVAIL;
}

int
ctl_term_add(struct ctl *c, uint32_t ctx_id, const char *term_id,
	     const struct ctl_term_spec *spec, struct ctl_term_info *out)
{
	struct ctl_ctx *x = ctx_find(c, ctx_id);
	char key[CTL_TERM_KEY_LEN];
	struct ctl_term_spec s;
	struct ctl_term *t;
	struct ctl_pool *pool;
	uint16_t port;
	int rc;

	if (x == NULL)
		return -ENOENT;
	if (spec->realm >= CFG_MAX_PORTS || !c->has_port[spec->realm] ||
	    spec->transport > CTL_TR_MSRP_TLS)
		return -EINVAL;
	pool = term_pool(c, spec);
	if (x->n_terms >= CTL_CTX_MAX_TERMS)
		return -E2BIG;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return -ENOMEM;
	if (term_id == NULL || strcmp(term_id, "$") == 0) {
		uint32_t n;

		do {
			if (random_id(UINT32_MAX - 1, &n) < 0) {
				free(t);
				return -EIO;
			}
			snprintf(t->id, sizeof(t->id), "ip/%s/%u", realm_name[spec->realm], n);
		} while (term_find(c, t->id) != NULL);
	} else if (term_key(term_id, key) == 0) {
		memcpy(t->id, key, sizeof(t->id) - 1);
	} else {
		free(t);
		return -EINVAL;
	}
	if (term_find(c, t->id) != NULL) {
		free(t);
		return -EEXIST;
	}
	rc = pick_local(c, spec, &t->local);
	if (rc == 0 && ctl_transport_is_msrp(spec->transport))
		rc = ctl_msrp_term_init(c, t, spec);
	if (rc == 0)
		rc = ctl_pool_get(pool, spec->local_port, &port);
	if (rc < 0) {
		free(t);
		return rc;
	}
	t->port = c->ports[spec->realm];
	t->local_port[CTL_RTP] = port;
	/* MSRP: one TCP port, nothing for RTCP. */
	if (!ctl_transport_is_msrp(spec->transport))
		t->local_port[CTL_RTCP] = (uint16_t)(port + 1u);
	t->ctl = c;
	t->ctx = x;
	t->created_ms = ctl_now_ms();
	x->terms[x->n_terms++] = t;
	t->spec.realm = spec->realm;
	s = *spec;
	s.set = CTL_SET_ALL;
	rc = ctl_spec_resolve_keys(&s);
	if (rc == 0)
		rc = apply_spec(c, t, &s);
	ctl_spec_clear(&s);
	if (rc == 0) {
		term_key(t->id, key);
		rc = rte_hash_add_key_data(c->term_by_id, key, t) < 0 ? -ENOSPC : 0;
	}
	if (rc < 0) {
		x->n_terms--;
		ctl_pool_put(pool, port);
		term_sec_clear(c, t);
		free(t);
		return rc;
	}
	c->n_terms++;
	/* The peer's counts from now on went out to t's remote. */
	if (ctl_peer(t) != NULL)
		settle_out(ctl_peer(t), NULL);
	rc = ctl_program_ctx(c, x);
	if (rc < 0) {
		/* Leave the context as it was: drop t and reprogram the rest. */
		x->n_terms--;
		term_free(c, t);
		ctl_program_ctx(c, x);
		return rc;
	}
	fill_info(t, out);
	return 0;
}

static int
term_in_ctx(struct ctl *c, uint32_t ctx_id, const char *term_id, struct ctl_term **t)
{
	struct ctl_ctx *x = ctx_find(c, ctx_id);

	if (x == NULL)
		return -ENOENT;
	*t = term_find(c, term_id);
	if (*t == NULL || (*t)->ctx != x)
		return -ESRCH;
	return 0;
}

const struct ctl_term *
ctl_term_lookup(struct ctl *c, uint32_t ctx_id, const char *term_id)
{
	struct ctl_term *t;

	return term_in_ctx(c, ctx_id, term_id, &t) == 0 ? t : NULL;
}

int
ctl_term_modify(struct ctl *c, uint32_t ctx_id, const char *term_id,
		const struct ctl_term_spec *spec, struct ctl_term_info *out)
{
	struct ctl_term_spec s;
	struct ctl_term *t;
	int rc = term_in_ctx(c, ctx_id, term_id, &t);

	if (rc < 0)
		return rc;
	/* A delta over the current spec; realm, local family and local port
	 * are fixed by Add (merge never touches them). */
	s = t->spec;
	ctl_spec_merge(&s, spec);
	rc = ctl_spec_resolve_keys(&s);
	/* The port (UDP pair or TCP) and the leg's TLS are fixed by Add. */
	if (rc == 0 && s.transport != t->spec.transport &&
	    (ctl_transport_is_msrp(s.transport) || ctl_transport_is_msrp(t->spec.transport)))
		rc = -ENOTSUP;
	if (rc == 0)
		rc = apply_spec(c, t, &s);
	ctl_spec_clear(&s);
	if (rc == 0)
		rc = ctl_program_ctx(c, t->ctx);
	if (rc == 0)
		fill_info(t, out);
	return rc;
}

static void
ctx_unlink_term(struct ctl_ctx *x, const struct ctl_term *t)
{
	unsigned int i;

	for (i = 0; i < x->n_terms; i++)
		if (x->terms[i] == t)
			break;
	/* Keep the others in the order they were added (Subtract = * answers
	 * in that order). */
	for (x->n_terms--; i < x->n_terms; i++)
		x->terms[i] = x->terms[i + 1];
}

static void
read_stats(const struct ctl_term *t, struct ctl_term_stats *st)
{
	const struct ctl_term *p = ctl_peer(t);
	enum ctl_stream s;

	memset(st, 0, sizeof(*st));
	st->duration_ms = ctl_now_ms() - t->created_ms;
	if (ctl_transport_is_msrp(t->spec.transport)) {
		ctl_msrp_stats(t->ctl, t, &st->msrp);
		return;
	}
	ctl_read_in(t, CTL_RTP, &st->rtp_in);
	ctl_read_in(t, CTL_RTCP, &st->rtcp_in);
	for (s = CTL_RTP; s < CTL_N_STREAMS; s++) {
		struct ctl_dir_stats *o = s == CTL_RTP ? &st->rtp_out : &st->rtcp_out;

		*o = t->out_base[s];
		if (p != NULL) {
			struct ctl_dir_stats cur;

			ctl_read_in(p, s, &cur);
			dir_add_since(o, &cur, &p->peer_base[s]);
		}
	}
}

int
ctl_term_get(struct ctl *c, uint32_t ctx_id, const char *term_id, struct ctl_term_info *info,
	     struct ctl_term_stats *stats)
{
	struct ctl_term *t;
	int rc = term_in_ctx(c, ctx_id, term_id, &t);

	if (rc < 0)
		return rc;
	fill_info(t, info);
	if (stats != NULL)
		read_stats(t, stats);
	return 0;
}

int
ctl_term_subtract(struct ctl *c, uint32_t ctx_id, const char *term_id, struct ctl_term_stats *out)
{
	struct ctl_term *t, *p;
	struct ctl_ctx *x;
	int rc = term_in_ctx(c, ctx_id, term_id, &t);

	if (rc < 0)
		return rc;
	/* The leg's final counters first (they come with its close). */
	ctl_msrp_close(c, t);
	if (out != NULL)
		read_stats(t, out);
	x = t->ctx;
	p = ctl_peer(t);
	/* What t's remote sent went out to p's remote: keep it for p. */
	if (p != NULL) {
		settle_out(t, p);
		settle_out(p, NULL);
	}
	ctx_unlink_term(x, t);
	term_free(c, t);
	if (x->n_terms == 0) {
		ctx_free(c, x);
		return 0;
	}
	/* The remaining termination lost its peer: close its gates. */
	return ctl_program_ctx(c, x);
}

int
ctl_term_move(struct ctl *c, const char *term_id, uint32_t to_ctx, struct ctl_term_info *out)
{
	struct ctl_term *t = term_find(c, term_id), *op, *np;
	struct ctl_ctx *from, *to = ctx_find(c, to_ctx);
	int rc;

	if (t == NULL)
		return -ESRCH;
	if (to == NULL)
		return -ENOENT;
	from = t->ctx;
	if (from == to)
		return -EEXIST;
	if (to->n_terms >= CTL_CTX_MAX_TERMS)
		return -E2BIG;
	np = to->n_terms > 0 ? to->terms[0] : NULL;
	rc = check_pair(&t->spec, np);
	if (rc < 0)
		return rc;
	/* The termination itself moves: its in-flows keep their keys (its
	 * local ports) and state, and its sessions go with it, so the new
	 * peer's records protect with the same live session (SRTCP index and
	 * ROC continue) and ours unprotect with the same replay windows. */
	op = ctl_peer(t);
	ctx_unlink_term(from, t);
	to->terms[to->n_terms++] = t;
	t->ctx = to;
	rc = ctl_program_ctx(c, to);
	if (rc < 0) {
		/* Back where it was; its flows are republished there. */
		to->n_terms--;
		from->terms[from->n_terms++] = t;
		t->ctx = from;
		ctl_program_ctx(c, to);
		ctl_program_ctx(c, from);
		return rc;
	}
	/* Counters: what each side sent through the other so far. */
	settle_out(t, op);
	if (op != NULL)
		settle_out(op, t);
	if (np != NULL)
		settle_out(np, NULL);
	if (from->n_terms == 0)
		ctx_free(c, from);
	else if (ctl_program_ctx(c, from) < 0)
		CTL_LOG(ERR, "ctx %u: reprogramming after Move of %s failed", from->id, t->id);
	fill_info(t, out);
	return 0;
}

int
ctl_term_local_key(struct ctl *c, uint32_t ctx_id, const char *term_id, unsigned int i, char *line,
		   size_t len)
{
	struct ctl_term *t;
	int rc = term_in_ctx(c, ctx_id, term_id, &t);

	if (rc < 0)
		return rc;
	if (i >= t->spec.n_local_keys)
		return -ERANGE;
	rc = sdes_format(&t->spec.local_keys[i], line, len);
	return rc == -EINVAL ? -ENOSPC : rc;
}

int
ctl_context_terms(struct ctl *c, uint32_t ctx_id, char ids[CTL_CTX_MAX_TERMS][CTL_TERM_ID_MAX + 1])
{
	const struct ctl_ctx *x = ctx_find(c, ctx_id);
	unsigned int i;

	if (x == NULL)
		return -ENOENT;
	for (i = 0; i < x->n_terms; i++)
		snprintf(ids[i], CTL_TERM_ID_MAX + 1, "%s", x->terms[i]->id);
	return (int)x->n_terms;
}

int
ctl_term_find(struct ctl *c, const char *term_id, uint32_t *ctx_id)
{
	struct ctl_term *t = term_find(c, term_id);

	if (t == NULL)
		return -ESRCH;
	*ctx_id = t->ctx->id;
	return 0;
}

int
ctl_context_iterate(struct ctl *c,
		    int (*cb)(uint32_t ctx_id, const char *const *term_ids, unsigned int n_terms,
			      void *arg),
		    void *arg)
{
	const void *key;
	void *data;
	uint32_t it = 0;

	while (rte_hash_iterate(c->ctx_by_id, &key, &data, &it) >= 0) {
		const struct ctl_ctx *x = data;
		const char *ids[CTL_CTX_MAX_TERMS];
		unsigned int i;
		int rc;

		for (i = 0; i < x->n_terms; i++)
			ids[i] = x->terms[i]->id;
		rc = cb(x->id, ids, x->n_terms, arg);
		if (rc != 0)
			return rc;
	}
	return 0;
}

uint32_t
ctl_context_count(const struct ctl *c)
{
	return c->n_ctx;
}

uint32_t
ctl_term_count(const struct ctl *c)
{
	return c->n_terms;
}

/*
 * Termination specs: the builder both front ends use (the admin socket and
 * Iq), and the e2ae key rules control applies to them (SPEC.md §1.2, §1.5,
 * §3.5): our Local keys generated on CHOOSE, bound to the remote's key by
 * tag, the unselected ones discarded.
 */

void
ctl_spec_init(struct ctl_term_spec *s)
{
	memset(s, 0, sizeof(*s));
}

void
ctl_spec_clear(struct ctl_term_spec *s)
{
	uint16_t i;

	if (s == NULL)
		return;
	sdes_crypto_clear(&s->rx_key);
	for (i = 0; i < CTL_LOCAL_KEYS_MAX; i++)
		sdes_crypto_clear(&s->local_keys[i]);
}

static bool
prefix_ieq(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && strncasecmp(s, p, n) == 0;
}

int
ctl_spec_realm(struct ctl_term_spec *s, const char *name, size_t len)
{
	if (prefix_ieq(name, len, "access"))
		s->realm = CFG_PORT_ACCESS;
	else if (prefix_ieq(name, len, "core"))
		s->realm = CFG_PORT_CORE;
	else
		return -EINVAL;
	return 0;
}

static const char *const transport_names[] = {
	[CTL_TR_RTP] = "rtp",
	[CTL_TR_SRTP_E2E] = "srtp-e2e",
	[CTL_TR_SRTP_E2AE] = "srtp-e2ae",
	[CTL_TR_MSRP] = "msrp",
	[CTL_TR_MSRP_TLS] = "msrp-tls",
};

const char *
ctl_transport_name(enum ctl_transport t)
{
	return (unsigned int)t < RTE_DIM(transport_names) ? transport_names[t] : "?";
}

int
ctl_spec_transport(struct ctl_term_spec *s, const char *name, size_t len)
{
	static const struct {
		const char *proto;
		enum ctl_transport t;
	} protos[] = {
		{ "RTP/AVP", CTL_TR_RTP },
		{ "RTP/SAVP", CTL_TR_SRTP_E2E },
		{ "TCP/MSRP", CTL_TR_MSRP },
		{ "TCP/TLS/MSRP", CTL_TR_MSRP_TLS },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(protos); i++)
		if (len == strlen(protos[i].proto) && strncasecmp(name, protos[i].proto, len) == 0) {
			s->transport = protos[i].t;
			s->set |= CTL_SET_TRANSPORT;
			return 0;
		}
	for (i = 0; i < RTE_DIM(transport_names); i++)
		if (len == strlen(transport_names[i]) &&
		    strncmp(name, transport_names[i], len) == 0) {
			s->transport = (enum ctl_transport)i;
			s->set |= CTL_SET_TRANSPORT;
			return 0;
		}
	return -EINVAL;
}

int
ctl_spec_remote(struct ctl_term_spec *s, const char *addr, size_t len, uint16_t port,
		uint16_t rtcp_port)
{
	char buf[INET6_ADDRSTRLEN + 1], why[CFG_ERR_MAX];

	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, addr, len);
	buf[len] = '\0';
	if (cfg_parse_ip(buf, 0, &s->remote, why, sizeof(why)) < 0)
		return -EINVAL;
	s->remote_port = port;
	s->remote_rtcp_port = rtcp_port;
	s->set |= CTL_SET_REMOTE;
	return 0;
}

int
ctl_spec_rx_key(struct ctl_term_spec *s, const char *line, size_t len, uint32_t suite_mask,
		struct sdes_err *err)
{
	int rc;

	s->set |= CTL_SET_RX_KEY;
	s->has_rx_key = false;
	sdes_crypto_clear(&s->rx_key);
	if (line == NULL)
		return 0;
	rc = sdes_parse(line, len, suite_mask, &s->rx_key, err);
	s->has_rx_key = rc == 0;
	return rc;
}

int
ctl_spec_local_key(struct ctl_term_spec *s, const char *line, size_t len, uint32_t suite_mask,
		   struct sdes_err *err)
{
	struct sdes_crypto *k;
	uint16_t i;
	int rc;

	if ((s->set & CTL_SET_LOCAL_KEYS) == 0) {
		for (i = 0; i < CTL_LOCAL_KEYS_MAX; i++)
			sdes_crypto_clear(&s->local_keys[i]);
		s->n_local_keys = 0;
		s->set |= CTL_SET_LOCAL_KEYS;
	}
	if (line == NULL)
		return 0;
	if (s->n_local_keys == CTL_LOCAL_KEYS_MAX)
		return -E2BIG;
	k = &s->local_keys[s->n_local_keys];
	rc = sdes_parse_choose(line, len, suite_mask, k, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < s->n_local_keys; i++)
		if (s->local_keys[i].tag == k->tag) {
			sdes_crypto_clear(k);
			return -EEXIST;
		}
	s->n_local_keys++;
	return 0;
}

/* Which fields each CTL_SET_* bit names (a delta Modify copies those). */
#define SPEC_FIELD(bit, f) \
	{ bit, offsetof(struct ctl_term_spec, f), sizeof(((struct ctl_term_spec *)0)->f) }
static const struct {
	uint32_t bit;
	size_t off;
	size_t len;
} spec_fields[] = {
	SPEC_FIELD(CTL_SET_REMOTE, remote),
	SPEC_FIELD(CTL_SET_REMOTE, remote_port),
	SPEC_FIELD(CTL_SET_REMOTE, remote_rtcp_port),
	SPEC_FIELD(CTL_SET_RTCP_MUX, rtcp_mux),
	SPEC_FIELD(CTL_SET_LATCH, latch),
	SPEC_FIELD(CTL_SET_FILTER, src_filter),
	SPEC_FIELD(CTL_SET_MODE, mode),
	SPEC_FIELD(CTL_SET_TRANSPORT, transport),
	SPEC_FIELD(CTL_SET_ENGINE, engine),
	SPEC_FIELD(CTL_SET_RX_KEY, rx_key),
	SPEC_FIELD(CTL_SET_RX_KEY, has_rx_key),
	SPEC_FIELD(CTL_SET_LOCAL_KEYS, n_local_keys),
	SPEC_FIELD(CTL_SET_LOCAL_KEYS, local_keys),
	SPEC_FIELD(CTL_SET_MSRP_SETUP, msrp.setup),
	SPEC_FIELD(CTL_SET_MSRP_LSETUP, msrp.local_setup),
	SPEC_FIELD(CTL_SET_MSRP_FP, msrp.n_fp),
	SPEC_FIELD(CTL_SET_MSRP_FP, msrp.fp),
	SPEC_FIELD(CTL_SET_MSRP_PATH, msrp.path),
	SPEC_FIELD(CTL_SET_MSRP_CEMA, msrp.cema),
	SPEC_FIELD(CTL_SET_MSRP_FRAME, msrp.frame_check),
};

void
ctl_spec_merge(struct ctl_term_spec *cur, const struct ctl_term_spec *d)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(spec_fields); i++)
		if (d->set & spec_fields[i].bit)
			memcpy((uint8_t *)cur + spec_fields[i].off,
			       (const uint8_t *)d + spec_fields[i].off, spec_fields[i].len);
	cur->set = CTL_SET_ALL;
}
