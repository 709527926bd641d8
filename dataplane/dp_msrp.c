/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_msrp: the relay's API, on control's thread. Control allocates legs
 * and their ids, makes their sockets in the data plane's namespace (so that
 * an address in use is an error of dp_msrp_leg_open() itself), and turns
 * every call into a command for the worker that owns the leg; it drains
 * the workers' events and logs them (workers never log).
 *
 * Leg ids are a slot and a generation (gen << 24 | slot, never 0), so an id
 * kept after its leg was closed is refused (-ENOENT) instead of reaching
 * the slot's next leg, and events of a closed leg are not returned.
 *
 * Synchronous calls (close, a migration at join, set_tls) post their
 * command and wait for the worker's done_seq, bounded by MSRP_ACK_MS.
 * A close that is not acknowledged in time returns anyway: the id is dead
 * for control from then on, and the leg's memory and slot are reclaimed in
 * dp_msrp_events() once the worker has caught up (the limbo list).
 */
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_launch.h>
#include <rte_pause.h>

#include "dp_log.h"
#include "dp_msrp_priv.h"
#include "dp_netns.h"

#define MSRP_BUF_MIN 1024u
#define MSRP_BUF_MAX (16u << 20)

static const char *const reason_names[DP_MSRP_R_MAX] = {
	[DP_MSRP_R_NONE] = "none",
	[DP_MSRP_R_CONNECT] = "connect",
	[DP_MSRP_R_TIMEOUT] = "timeout",
	[DP_MSRP_R_GATE] = "gate",
	[DP_MSRP_R_TLS] = "tls",
	[DP_MSRP_R_HANDSHAKE_TIMEOUT] = "handshake_timeout",
	[DP_MSRP_R_FRAMING] = "framing",
	[DP_MSRP_R_PEER_CLOSE] = "peer_close",
	[DP_MSRP_R_PEER_RESET] = "peer_reset",
	[DP_MSRP_R_IDLE] = "idle",
	[DP_MSRP_R_JOINED_CLOSED] = "joined_closed",
	[DP_MSRP_R_REMOTE_CHANGED] = "remote_changed",
	[DP_MSRP_R_RESOURCES] = "resources",
};

const char *
dp_msrp_reason_name(enum dp_msrp_reason r)
{
	return (unsigned int)r < DP_MSRP_R_MAX ? reason_names[r] : "unknown";
}

/* ---- commands ------------------------------------------------------------------ */

/* Run c on wk: inline while no worker thread runs (n_workers == 0, or not
 * started yet), else through its ring. @return 0 or -EBUSY (ring full for
 * MSRP_ACK_MS). */
static int
post(struct dp_msrp *m, struct msrp_worker *wk, struct msrp_cmd *c)
{
	uint64_t t0;

	c->seq = wk->post_seq + 1;
	if (!m->running) {
		wk->now = msrp_now_ms();
		msrp_wk_exec(wk, c);
		wk->post_seq = c->seq;
		__atomic_store_n(&wk->done_seq, c->seq, __ATOMIC_RELEASE);
		return 0;
	}
	t0 = msrp_now_ms();
	while (msrp_ring_put(&wk->cmds, c) < 0) {
		if (msrp_now_ms() - t0 >= MSRP_ACK_MS)
			return -EBUSY;
		rte_pause();
	}
	wk->post_seq = c->seq;
	msrp_wk_wake(wk);
	return 0;
}

static bool
done(const struct msrp_worker *wk, uint64_t seq)
{
	return __atomic_load_n(&wk->done_seq, __ATOMIC_ACQUIRE) >= seq;
}

static bool
wait_done(const struct msrp_worker *wk, uint64_t seq, unsigned int ms)
{
	uint64_t t0 = msrp_now_ms();

	while (!done(wk, seq)) {
		if (msrp_now_ms() - t0 >= ms)
			return false;
		rte_pause();
	}
	return true;
}

/* ---- legs and slots ---------------------------------------------------------------- */

static struct msrp_leg *
lookup(const struct dp_msrp *m, uint32_t id)
{
	uint32_t slot = id & MSRP_SLOT_MASK;
	struct msrp_leg *l;

	if (slot >= m->conf.max_legs)
		return NULL;
	l = m->slots[slot];
	return l != NULL && l->id == id ? l : NULL;
}

/* The leg is no worker's any more: free it and its slot. release: it still
 * holds fds (detached before its close). */
static void
leg_free(struct dp_msrp *m, struct msrp_leg *l, bool release)
{
	uint32_t slot = l->slot;

	if (m->slots[slot] == l)
		m->slots[slot] = NULL;
	m->gen[slot] = (uint8_t)(m->gen[slot] + 1 == 0 ? 1 : m->gen[slot] + 1);
	m->free_slots[m->n_free++] = slot;
	__atomic_store_n(&m->n_legs, m->n_legs - 1, __ATOMIC_RELAXED);
	l->wk->n_legs--;
	if (release)
		msrp_conn_release(l);
	else
		free(l);
}

/* Consecutive opens share a worker two by two: a context's terminations
 * are opened one after the other, and a join between legs of two workers
 * has to move one first. */
static struct msrp_worker *
place(struct dp_msrp *m)
{
	struct msrp_worker *wk = m->wk[(m->place / 2) % m->n_wk];

	m->place++;
	return wk;
}

static void
stats_copy(const struct msrp_leg *l, struct dp_msrp_leg_stats *out, uint64_t now)
{
	if (out == NULL)
		return;
	/* Single-writer 64-bit counters: each read is whole, the set may be
	 * a moment apart. */
	*out = l->st;
	if (out->up && now > l->t_up)
		out->up_ms += now - l->t_up;
}

/* ---- the limbo: legs waiting for a late worker ---------------------------------------- */

static void
limbo_add(struct dp_msrp *m, struct msrp_leg *l, struct msrp_worker *wk, uint64_t seq,
	  struct msrp_worker *attach_to)
{
	struct msrp_limbo *e = calloc(1, sizeof(*e));

	if (e == NULL) {
		/* Without memory to remember it the leg stays where it is:
		 * leaked, never touched twice. */
		DP_LOG(ERR, "msrp leg %08x: out of memory waiting for worker %u", l->id, wk->idx);
		return;
	}
	e->leg = l;
	e->wk = wk;
	e->seq = seq;
	e->attach_to = attach_to;
	e->next = m->limbo;
	m->limbo = e;
}

/* @return true when the entry is finished. */
static bool
limbo_step(struct dp_msrp *m, struct msrp_limbo *e)
{
	struct msrp_leg *l = e->leg;
	struct msrp_cmd c = {.fd = -1, .leg = l};

	/* Moving, and closed by control meanwhile: once detached no worker
	 * holds it; free it instead of attaching it. */
	if (e->attach_to != NULL && e->then_close && (e->seq == 0 || done(e->wk, e->seq))) {
		leg_free(m, l, true);
		return true;
	}
	if (e->seq == 0) {
		/* A command that could not be posted yet. */
		c.type = e->attach_to != NULL ? MSRP_C_ATTACH : MSRP_C_CLOSE;
		if (post(m, e->wk, &c) < 0)
			return false;
		if (e->attach_to != NULL) {
			l->busy = false;
			return true;
		}
		e->seq = c.seq;
	}
	if (!done(e->wk, e->seq))
		return false;
	if (e->attach_to == NULL) {
		leg_free(m, l, false); /* CLOSE done */
		return true;
	}
	/* DETACH done: attach to the new worker. */
	e->wk->n_legs--;
	e->attach_to->n_legs++;
	l->wk = e->attach_to;
	e->wk = e->attach_to;
	e->seq = 0;
	return limbo_step(m, e);
}

static void
limbo_reclaim(struct dp_msrp *m)
{
	struct msrp_limbo **pp = &m->limbo;

	while (*pp != NULL) {
		struct msrp_limbo *e = *pp;

		if (limbo_step(m, e)) {
			*pp = e->next;
			free(e);
		} else {
			pp = &e->next;
		}
	}
}

static struct msrp_limbo *
limbo_find(struct dp_msrp *m, const struct msrp_leg *l)
{
	struct msrp_limbo *e;

	for (e = m->limbo; e != NULL; e = e->next)
		if (e->leg == l)
			return e;
	return NULL;
}

/* Move l to worker `to` (join needs both legs on one worker). */
static int
migrate(struct dp_msrp *m, struct msrp_leg *l, struct msrp_worker *to)
{
	struct msrp_worker *from = l->wk;
	struct msrp_cmd c = {.type = MSRP_C_DETACH, .fd = -1, .leg = l};

	if (post(m, from, &c) < 0)
		return -EBUSY;
	if (!wait_done(from, c.seq, MSRP_ACK_MS)) {
		l->busy = true;
		limbo_add(m, l, from, c.seq, to);
		DP_LOG(NOTICE, "msrp leg %08x: worker %u slow to let it go; moved later", l->id,
		       from->idx);
		return -EBUSY;
	}
	from->n_legs--;
	to->n_legs++;
	l->wk = to;
	c = (struct msrp_cmd){.type = MSRP_C_ATTACH, .fd = -1, .leg = l};
	if (post(m, to, &c) < 0) {
		l->busy = true;
		limbo_add(m, l, to, 0, to);
		return -EBUSY;
	}
	return 0;
}

/* ---- sockets ---------------------------------------------------------------------------- */

/* A TCP socket in the data plane's namespace, non-blocking, SO_REUSEADDR
 * (a leg's port is reused while the last connection sits in TIME_WAIT);
 * bound (and listening, passive) when bind_now. @return fd or -errno. */
static int
leg_socket(const struct dp_msrp *m, const struct dp_msrp_leg_spec *s, bool bind_now)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, one = 1, rc;

	fd = dp_netns_socket(m->netns, s->local.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			     0);
	if (fd < 0)
		return fd;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    (s->local.family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0))
		goto fail;
	if (!bind_now)
		return fd;
	sl = msrp_sockaddr(&s->local, s->local_port, &ss);
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0)
		goto fail;
	if (s->setup == DP_MSRP_PASSIVE && listen(fd, MSRP_BACKLOG) < 0)
		goto fail;
	return fd;
fail:
	rc = -errno;
	close(fd);
	return rc;
}

static int
spec_check(const struct dp_msrp *m, const struct dp_msrp_leg_spec *s)
{
	unsigned int i;

	if (s == NULL || (s->setup != DP_MSRP_PASSIVE && s->setup != DP_MSRP_ACTIVE))
		return -EINVAL;
	if (s->local.family != AF_INET && s->local.family != AF_INET6)
		return -EINVAL;
	if (s->setup == DP_MSRP_PASSIVE) {
		if (s->local_port == 0)
			return -EINVAL;
		/* An unknown Remote (family 0) is allowed: nobody passes the
		 * gate until a modify or any_source. */
		if (s->remote.family != 0 && s->remote.family != s->local.family)
			return -EINVAL;
	} else if (s->remote.family != s->local.family || s->remote_port == 0) {
		return -EINVAL;
	}
	if (s->n_fp > DP_MSRP_FP_MAX)
		return -EINVAL;
	/* A passive TLS leg may listen before the Remote fingerprints are
	 * known (it holds an early peer); we never connect to an unknown one. */
	if (s->tls && (m->tls == NULL || (s->n_fp == 0 && s->setup == DP_MSRP_ACTIVE)))
		return -EINVAL;
	for (i = 0; i < s->n_fp; i++)
		if ((unsigned int)s->fp[i].hash >= SEC_FP_HASH_MAX || s->fp[i].len == 0 ||
		    s->fp[i].len > SEC_FP_MD_MAX)
			return -EINVAL;
	return 0;
}

/* ---- life ------------------------------------------------------------------------------------ */

struct dp_msrp *
dp_msrp_create(const struct dp_msrp_conf *conf, char *err, size_t errlen)
{
	struct dp_msrp *m;
	unsigned int i;

	if (conf == NULL) {
		snprintf(err, errlen, "msrp: no configuration");
		return NULL;
	}
	if (conf->n_workers > MSRP_MAX_WORKERS || (conf->n_workers > 0 && conf->lcores == NULL)) {
		snprintf(err, errlen, "msrp: %u workers (at most %u, each with an lcore)",
			 conf->n_workers, MSRP_MAX_WORKERS);
		return NULL;
	}
	if (conf->max_legs == 0 || conf->max_legs > MSRP_MAX_LEGS) {
		snprintf(err, errlen, "msrp: max_legs %u outside 1..%u", conf->max_legs,
			 MSRP_MAX_LEGS);
		return NULL;
	}
	if (conf->buf_bytes < MSRP_BUF_MIN || conf->buf_bytes > MSRP_BUF_MAX) {
		snprintf(err, errlen, "msrp: buf_bytes %u outside %u..%u", conf->buf_bytes,
			 MSRP_BUF_MIN, MSRP_BUF_MAX);
		return NULL;
	}
	if (conf->handshake_ms == 0) {
		snprintf(err, errlen, "msrp: handshake_ms must be > 0");
		return NULL;
	}
	if (conf->netns != NULL && strlen(conf->netns) >= sizeof(m->netns)) {
		snprintf(err, errlen, "msrp: namespace name too long");
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		goto nomem;
	m->conf = *conf;
	if (conf->netns != NULL)
		snprintf(m->netns, sizeof(m->netns), "%s", conf->netns);
	m->conf.netns = m->netns;
	for (i = 0; i < conf->n_workers; i++)
		m->lcores[i] = conf->lcores[i];
	m->conf.lcores = m->lcores;
	m->tls = conf->tls;
	m->ktls_available = m->tls != NULL && sec_tls_ktls_available(m->tls);
	m->slots = calloc(conf->max_legs, sizeof(*m->slots));
	m->gen = malloc(conf->max_legs);
	m->free_slots = malloc((size_t)conf->max_legs * sizeof(*m->free_slots));
	if (m->slots == NULL || m->gen == NULL || m->free_slots == NULL)
		goto nomem;
	memset(m->gen, 1, conf->max_legs);
	for (i = 0; i < conf->max_legs; i++)
		m->free_slots[i] = conf->max_legs - 1 - i;
	m->n_free = conf->max_legs;
	m->n_wk = conf->n_workers > 0 ? conf->n_workers : 1;
	for (i = 0; i < m->n_wk; i++) {
		m->wk[i] = msrp_wk_create(m, i, err, errlen);
		if (m->wk[i] == NULL) {
			dp_msrp_destroy(m);
			return NULL;
		}
		m->wk[i]->lcore = conf->n_workers > 0 ? m->lcores[i] : 0;
	}
	DP_LOG(INFO, "msrp: %u worker(s)%s, %u legs, %u bytes per direction, kTLS %s",
	       m->n_wk, conf->n_workers == 0 ? " on the control loop" : "", conf->max_legs,
	       conf->buf_bytes, m->ktls_available ? "available" : "not available");
	return m;
nomem:
	snprintf(err, errlen, "msrp: out of memory");
	dp_msrp_destroy(m);
	return NULL;
}

static void
workers_stop(struct dp_msrp *m)
{
	unsigned int i;

	if (!m->running)
		return;
	for (i = 0; i < m->n_wk; i++) {
		__atomic_store_n(&m->wk[i]->stop, true, __ATOMIC_RELEASE);
		msrp_wk_wake(m->wk[i]);
	}
	for (i = 0; i < m->n_wk; i++)
		(void)rte_eal_wait_lcore(m->wk[i]->lcore);
	m->running = false;
}

int
dp_msrp_start(struct dp_msrp *m)
{
	unsigned int i;
	int rc;

	if (m->conf.n_workers == 0)
		return 0;
	if (m->running)
		return -EALREADY;
	m->running = true;
	for (i = 0; i < m->n_wk; i++) {
		rc = rte_eal_remote_launch(msrp_wk_lcore_main, m->wk[i], m->wk[i]->lcore);
		if (rc != 0) {
			DP_LOG(ERR, "msrp: launch worker on lcore %u: %s", m->wk[i]->lcore,
			       strerror(-rc));
			while (i-- > 0) {
				__atomic_store_n(&m->wk[i]->stop, true, __ATOMIC_RELEASE);
				msrp_wk_wake(m->wk[i]);
				(void)rte_eal_wait_lcore(m->wk[i]->lcore);
			}
			m->running = false;
			return rc;
		}
	}
	return 0;
}

/* Commands that never ran hold fds and specs. */
static void
cmds_discard(struct msrp_worker *wk)
{
	struct msrp_cmd c;

	while (msrp_ring_get(&wk->cmds, &c)) {
		if (c.fd >= 0)
			close(c.fd);
		free(c.spec);
	}
}

void
dp_msrp_destroy(struct dp_msrp *m)
{
	unsigned int i;

	if (m == NULL)
		return;
	workers_stop(m);
	for (i = 0; i < m->n_wk; i++)
		if (m->wk[i] != NULL)
			cmds_discard(m->wk[i]);
	if (m->slots != NULL)
		for (i = 0; i < m->conf.max_legs; i++)
			if (m->slots[i] != NULL)
				msrp_conn_release(m->slots[i]);
	while (m->limbo != NULL) {
		struct msrp_limbo *e = m->limbo;

		m->limbo = e->next;
		/* A leg being moved is still in its slot: released above. */
		if (m->slots == NULL || m->slots[e->leg->slot] != e->leg)
			msrp_conn_release(e->leg);
		free(e);
	}
	for (i = 0; i < m->n_wk; i++)
		msrp_wk_destroy(m->wk[i]);
	free(m->slots);
	free(m->gen);
	free(m->free_slots);
	free(m);
}

int
dp_msrp_fd(const struct dp_msrp *m)
{
	return m->conf.n_workers == 0 ? m->wk[0]->epfd : -1;
}

void
dp_msrp_poll(struct dp_msrp *m)
{
	if (m->conf.n_workers == 0)
		msrp_wk_round(m->wk[0], 0);
}

void
dp_msrp_set_tls(struct dp_msrp *m, struct sec_tls *t)
{
	unsigned int i;

	m->tls = t;
	__atomic_store_n(&m->ktls_available, t != NULL && sec_tls_ktls_available(t),
			 __ATOMIC_RELAXED);
	/* The caller frees the old context after this returns: every worker
	 * must have let go of it. No bound here: a worker that never answers
	 * would otherwise be handed a freed context. */
	for (i = 0; i < m->n_wk; i++) {
		struct msrp_cmd c = {.type = MSRP_C_SET_TLS, .fd = -1, .tls = t};
		unsigned int slow = 0;

		while (post(m, m->wk[i], &c) < 0)
			if (slow++ == 0)
				DP_LOG(ERR, "msrp: worker %u queue full for the new certificate",
				       m->wk[i]->idx);
		while (!wait_done(m->wk[i], c.seq, 1000))
			if (slow++ == 0)
				DP_LOG(ERR, "msrp: worker %u slow to take the new certificate",
				       m->wk[i]->idx);
	}
	DP_LOG(INFO, "msrp: new certificate for new connections");
}

/* ---- legs ------------------------------------------------------------------------------------ */

int
dp_msrp_leg_open(struct dp_msrp *m, const struct dp_msrp_leg_spec *spec, uint64_t cookie,
		 uint32_t *leg)
{
	struct msrp_cmd c = {.type = MSRP_C_ADD};
	struct msrp_worker *wk;
	struct msrp_leg *l;
	uint32_t slot;
	int rc, fd;

	rc = spec_check(m, spec);
	if (rc < 0)
		return rc;
	if (m->n_free == 0)
		return -ENOSPC;
	fd = leg_socket(m, spec, true);
	if (fd < 0)
		return fd;
	l = calloc(1, sizeof(*l));
	if (l == NULL) {
		close(fd);
		return -ENOMEM;
	}
	slot = m->free_slots[--m->n_free];
	l->slot = slot;
	l->id = (uint32_t)m->gen[slot] << MSRP_SLOT_BITS | slot;
	l->cookie = cookie;
	l->spec = *spec;
	l->fd = l->lfd = -1;
	wk = place(m);
	l->wk = wk;
	m->slots[slot] = l;
	__atomic_store_n(&m->n_legs, m->n_legs + 1, __ATOMIC_RELAXED);
	wk->n_legs++;
	c.fd = fd;
	c.leg = l;
	if (post(m, wk, &c) < 0) {
		close(fd);
		leg_free(m, l, false);
		return -EBUSY;
	}
	*leg = l->id;
	DP_LOG(DEBUG, "msrp leg %08x (cookie %" PRIu64 "): open, %s%s, port %u, worker %u",
	       l->id, cookie, spec->setup == DP_MSRP_PASSIVE ? "passive" : "active",
	       spec->tls ? " tls" : "", spec->local_port, wk->idx);
	return 0;
}

int
dp_msrp_leg_modify(struct dp_msrp *m, uint32_t leg, const struct dp_msrp_leg_spec *spec)
{
	struct msrp_cmd c = {.type = MSRP_C_MODIFY};
	struct msrp_leg *l = lookup(m, leg);
	int rc;

	if (l == NULL)
		return -ENOENT;
	rc = spec_check(m, spec);
	if (rc < 0)
		return rc;
	/* local, setup and tls are RO after open: reading them here races
	 * with nothing. */
	if (!msrp_ip_equal(&spec->local, &l->spec.local) ||
	    spec->local_port != l->spec.local_port || spec->setup != l->spec.setup ||
	    spec->tls != l->spec.tls)
		return -EINVAL;
	if (l->busy)
		return -EBUSY;
	c.spec = malloc(sizeof(*spec));
	if (c.spec == NULL)
		return -ENOMEM;
	*c.spec = *spec;
	/* For a start over (the connection no longer matches, or the leg is
	 * DEAD): the worker binds it. A failure here shows as R_RESOURCES
	 * then, not now: most modifies do not need it. */
	c.fd = leg_socket(m, spec, false);
	c.leg = l;
	if (post(m, l->wk, &c) < 0) {
		if (c.fd >= 0)
			close(c.fd);
		free(c.spec);
		return -EBUSY;
	}
	DP_LOG(DEBUG, "msrp leg %08x: modified", leg);
	return 0;
}

int
dp_msrp_join(struct dp_msrp *m, uint32_t a, uint32_t b)
{
	struct msrp_leg *la = lookup(m, a), *lb = lookup(m, b);
	struct msrp_cmd c = {.type = MSRP_C_JOIN, .fd = -1};
	int rc;

	if (la == NULL || lb == NULL)
		return -ENOENT;
	if (la == lb)
		return -EINVAL;
	if (la->busy || lb->busy)
		return -EBUSY;
	if (la->wk != lb->wk) {
		rc = migrate(m, lb, la->wk);
		if (rc < 0)
			return rc;
	}
	c.leg = la;
	c.leg2 = lb;
	if (post(m, la->wk, &c) < 0)
		return -EBUSY;
	DP_LOG(DEBUG, "msrp legs %08x and %08x joined", a, b);
	return 0;
}

int
dp_msrp_unjoin(struct dp_msrp *m, uint32_t leg)
{
	struct msrp_cmd c = {.type = MSRP_C_UNJOIN, .fd = -1};
	struct msrp_leg *l = lookup(m, leg);

	if (l == NULL)
		return -ENOENT;
	if (l->busy)
		return 0; /* moving: its DETACH unjoined it */
	c.leg = l;
	return post(m, l->wk, &c) < 0 ? -EBUSY : 0;
}

int
dp_msrp_leg_close(struct dp_msrp *m, uint32_t leg, struct dp_msrp_leg_stats *out)
{
	struct msrp_cmd c = {.type = MSRP_C_CLOSE, .fd = -1};
	struct msrp_leg *l = lookup(m, leg);
	struct msrp_worker *wk;

	if (l == NULL)
		return -ENOENT;
	/* From here the id is dead for control and its events are dropped. */
	m->slots[l->slot] = NULL;
	wk = l->wk;
	if (l->busy) {
		struct msrp_limbo *e = limbo_find(m, l);

		stats_copy(l, out, msrp_now_ms());
		if (e != NULL)
			e->then_close = true;
		return 0;
	}
	c.leg = l;
	if (post(m, wk, &c) < 0) {
		stats_copy(l, out, msrp_now_ms());
		limbo_add(m, l, wk, 0, NULL);
		DP_LOG(NOTICE, "msrp leg %08x: worker %u queue full; closed later", leg, wk->idx);
		return 0;
	}
	if (!wait_done(wk, c.seq, MSRP_ACK_MS)) {
		stats_copy(l, out, msrp_now_ms());
		limbo_add(m, l, wk, c.seq, NULL);
		DP_LOG(NOTICE, "msrp leg %08x: worker %u slow to close it; reclaimed later", leg,
		       wk->idx);
		return 0;
	}
	stats_copy(l, out, 0);
	DP_LOG(DEBUG, "msrp leg %08x: closed, %" PRIu64 " bytes in, %" PRIu64 " out", leg,
	       l->st.bytes_in, l->st.bytes_out);
	leg_free(m, l, false);
	return 0;
}

int
dp_msrp_leg_stats(const struct dp_msrp *m, uint32_t leg, struct dp_msrp_leg_stats *out)
{
	const struct msrp_leg *l = lookup(m, leg);

	if (l == NULL)
		return -ENOENT;
	stats_copy(l, out, msrp_now_ms());
	return 0;
}

/* ---- events and totals ---------------------------------------------------------------------- */

static void
log_event(const struct dp_msrp_event *e)
{
	char ip[INET6_ADDRSTRLEN + 1] = "-";

	if (e->peer.family != 0)
		cfg_ip_str(&e->peer, ip, sizeof(ip));
	switch (e->type) {
	case DP_MSRP_EV_UP:
		DP_LOG(DEBUG, "msrp leg %08x (cookie %" PRIu64 "): up, peer %s port %u", e->leg,
		       e->cookie, ip, e->peer_port);
		break;
	case DP_MSRP_EV_FAIL:
		DP_LOG(INFO, "msrp leg %08x (cookie %" PRIu64 "): attempt failed: %s%s%s, peer %s port %u",
		       e->leg, e->cookie, dp_msrp_reason_name(e->reason),
		       e->tls != SEC_TLS_OK ? " " : "",
		       e->tls != SEC_TLS_OK ? sec_tls_fail_name(e->tls) : "", ip, e->peer_port);
		break;
	case DP_MSRP_EV_CLOSED:
		if (e->reason == DP_MSRP_R_PEER_CLOSE || e->reason == DP_MSRP_R_JOINED_CLOSED)
			DP_LOG(DEBUG, "msrp leg %08x (cookie %" PRIu64 "): closed: %s", e->leg,
			       e->cookie, dp_msrp_reason_name(e->reason));
		else
			DP_LOG(INFO, "msrp leg %08x (cookie %" PRIu64 "): closed: %s", e->leg,
			       e->cookie, dp_msrp_reason_name(e->reason));
		break;
	}
}

unsigned int
dp_msrp_events(struct dp_msrp *m, struct dp_msrp_event *ev, unsigned int n)
{
	unsigned int got = 0, k;

	if (m->limbo != NULL)
		limbo_reclaim(m);
	for (k = 0; k < m->n_wk && got < n; k++) {
		struct msrp_worker *wk = m->wk[(m->ev_next + k) % m->n_wk];

		while (got < n && msrp_ring_get(&wk->evs, &ev[got])) {
			if (lookup(m, ev[got].leg) == NULL)
				continue; /* closed by control meanwhile */
			log_event(&ev[got]);
			got++;
		}
	}
	m->ev_next++;
	return got;
}

void
dp_msrp_totals(const struct dp_msrp *m, struct dp_msrp_totals *out)
{
	unsigned int i, r;

	memset(out, 0, sizeof(*out));
	out->legs = __atomic_load_n(&m->n_legs, __ATOMIC_RELAXED);
	out->ktls_available = __atomic_load_n(&m->ktls_available, __ATOMIC_RELAXED);
	for (i = 0; i < m->n_wk; i++) {
		const struct msrp_wk_stats *s = &m->wk[i]->st;

		out->up += (uint32_t)s->up;
		out->handshakes += s->handshakes;
		out->bytes += s->bytes;
		out->ktls_legs += (uint32_t)s->ktls_legs;
		out->events_dropped += s->ev_dropped;
		for (r = 0; r < DP_MSRP_R_MAX; r++)
			out->fails[r] += s->fails[r];
		for (r = 0; r < SEC_TLS_FAIL_MAX; r++)
			out->tls_fails[r] += s->tls_fails[r];
	}
}
