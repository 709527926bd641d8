/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MSRP terminations (TS 33.328 e2ae; SPEC.md §2.3, §2.4, §3.6, §6.5).
 *
 * An MSRP termination has a TCP port from its realm's pool (ctl_pool, one
 * port per slot, chosen at random) and, once its spec says enough, a leg of
 * the MSRP relay (dataplane/dp_msrp.h): TLS on TCP/TLS/MSRP (the access
 * side, the peer authenticated by the Remote fingerprints), plain TCP on
 * TCP/MSRP (the core side). The two legs of a context are joined and relay
 * each other's byte stream unchanged; Mode becomes the legs' send/recv
 * flags, as it gates RTP flows.
 *
 * Who connects (RFC 4145, SPEC.md §2.3): the remote's a=setup decides,
 * unless the MGC named ours in Local: remote active -> we listen, remote
 * passive -> we connect, actpass or nothing -> we listen (the UE connects
 * out, which works through its NAT). The TLS role follows the TCP role. An
 * active core leg whose access peer listens connects only once that peer
 * is up (SPEC.md §2.4 bearer coupling, connect_after_peer).
 *
 * A leg opens when it can: a TLS leg needs the Remote fingerprints, an
 * active one the remote address and port, a passive one the remote address
 * (its gate) or latching (any source; the fingerprint then authenticates).
 * A Modify hands the relay the new spec; the relay keeps a live connection
 * that still matches (dp_msrp_leg_modify()). Only a change of role (our
 * a=setup) closes the leg and opens a new one on the same port.
 *
 * The relay's events (up, an attempt failed, closed) come back by cookie: a
 * leg's cookie is new each time a leg opens and is forgotten when it
 * closes, so a late event of a closed leg reaches nobody.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <sys/epoll.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <rte_jhash.h>

#include "ctl_priv.h"

#define MSRP_EV_BURST 32
#define MSRP_EV_ROUNDS 16      /* bursts drained per poll, at most */
#define MSRP_JOIN_RETRY_MS 10  /* a join the relay could not do at once */
#define MSRP_SID_BYTES 12      /* 96 bits: RFC 4975 §14.1 asks >= 80 */

static const char *const setup_names[] = {
	[CTL_SETUP_NONE] = "none",
	[CTL_SETUP_ACTPASS] = "actpass",
	[CTL_SETUP_ACTIVE] = "active",
	[CTL_SETUP_PASSIVE] = "passive",
	[CTL_SETUP_HOLDCONN] = "holdconn",
};

static const char *const state_names[] = {
	[CTL_MSRP_IDLE] = "idle",
	[CTL_MSRP_LISTENING] = "listening",
	[CTL_MSRP_CONNECTING] = "connecting",
	[CTL_MSRP_UP] = "up",
	[CTL_MSRP_FAILED] = "failed",
	[CTL_MSRP_CLOSED] = "closed",
};

const char *
ctl_setup_name(enum ctl_setup s)
{
	return (unsigned int)s < RTE_DIM(setup_names) ? setup_names[s] : "?";
}

const char *
ctl_msrp_state_name(enum ctl_msrp_state s)
{
	return (unsigned int)s < RTE_DIM(state_names) ? state_names[s] : "?";
}

bool
ctl_transport_is_msrp(enum ctl_transport t)
{
	return t == CTL_TR_MSRP || t == CTL_TR_MSRP_TLS;
}

/* ---- spec builders (both front ends) ------------------------------------ */

int
ctl_spec_setup(struct ctl_term_spec *s, const char *v, size_t len, bool local)
{
	enum ctl_setup *dst = local ? &s->msrp.local_setup : &s->msrp.setup;
	unsigned int i;

	uint32_t bit = local ? CTL_SET_MSRP_LSETUP : CTL_SET_MSRP_SETUP;

	if (len == 1 && v[0] == '$') {
		*dst = CTL_SETUP_NONE;
		s->set |= bit;
		return 0;
	}
	for (i = CTL_SETUP_ACTPASS; i < RTE_DIM(setup_names); i++)
		if (len == strlen(setup_names[i]) && strncasecmp(v, setup_names[i], len) == 0) {
			*dst = (enum ctl_setup)i;
			s->set |= bit;
			return 0;
		}
	return -EINVAL;
}

int
ctl_spec_fingerprint(struct ctl_term_spec *s, const char *v, size_t len)
{
	struct sec_fp fp;
	int rc;

	if ((s->set & CTL_SET_MSRP_FP) == 0) {
		memset(s->msrp.fp, 0, sizeof(s->msrp.fp));
		s->msrp.n_fp = 0;
		s->set |= CTL_SET_MSRP_FP;
	}
	if (v == NULL)
		return 0;
	/* Zeroed: specs are compared byte for byte, padding included. */
	memset(&fp, 0, sizeof(fp));
	rc = sec_fp_parse(v, len, &fp);
	if (rc < 0)
		return rc;
	if (s->msrp.n_fp == DP_MSRP_FP_MAX)
		return -E2BIG;
	s->msrp.fp[s->msrp.n_fp++] = fp;
	return 0;
}

/* One msrp:// or msrps:// URI (RFC 4975 §9): scheme, "//", a non-empty
 * authority and a "/" before the session id; printable ASCII, no space. */
static bool
uri_ok(const char *u, size_t n)
{
	size_t i, skip;

	if (n > 8 && strncasecmp(u, "msrps://", 8) == 0)
		skip = 8;
	else if (n > 7 && strncasecmp(u, "msrp://", 7) == 0)
		skip = 7;
	else
		return false;
	for (i = 0; i < n; i++)
		if (u[i] <= 0x20 || u[i] >= 0x7f)
			return false;
	return memchr(u + skip + 1, '/', n - skip - 1) != NULL;
}

int
ctl_spec_msrp_path(struct ctl_term_spec *s, const char *v, size_t len)
{
	size_t i = 0, j;

	if (len >= sizeof(s->msrp.path))
		return -E2BIG;
	if (len == 0)
		return -EINVAL;
	while (i < len) {
		for (j = i; j < len && v[j] != ' '; j++)
			;
		if (!uri_ok(v + i, j - i))
			return -EINVAL;
		i = j + 1;
		if (j < len && i == len)
			return -EINVAL; /* trailing space */
	}
	memcpy(s->msrp.path, v, len);
	s->msrp.path[len] = '\0';
	s->set |= CTL_SET_MSRP_PATH;
	return 0;
}

/* Our a=setup (RFC 4145; SPEC.md §2.3): as the MGC named it, else the
 * answer to the remote's. */
static enum ctl_setup
our_setup(const struct ctl_msrp_spec *m)
{
	if (m->local_setup == CTL_SETUP_ACTIVE || m->local_setup == CTL_SETUP_PASSIVE ||
	    m->local_setup == CTL_SETUP_HOLDCONN)
		return m->local_setup;
	switch (m->setup) {
	case CTL_SETUP_ACTIVE:
		return CTL_SETUP_PASSIVE;
	case CTL_SETUP_PASSIVE:
		return CTL_SETUP_ACTIVE;
	case CTL_SETUP_HOLDCONN:
		return CTL_SETUP_HOLDCONN;
	default:
		/* actpass (or nothing): we listen, the UE connects out. */
		return CTL_SETUP_PASSIVE;
	}
}

int
ctl_msrp_check_spec(const struct ctl_term_spec *s)
{
	const struct ctl_msrp_spec *m = &s->msrp;

	if (!ctl_transport_is_msrp(s->transport))
		return 0;
	if ((unsigned int)m->setup >= RTE_DIM(setup_names) ||
	    (unsigned int)m->local_setup >= RTE_DIM(setup_names) || m->n_fp > DP_MSRP_FP_MAX)
		return -EINVAL;
	/* Both sides listening, or both connecting, never meet. */
	if ((m->local_setup == CTL_SETUP_ACTIVE && m->setup == CTL_SETUP_ACTIVE) ||
	    (m->local_setup == CTL_SETUP_PASSIVE && m->setup == CTL_SETUP_PASSIVE))
		return -EINVAL;
	return 0;
}

/* ---- lifecycle ----------------------------------------------------------- */

int
ctl_msrp_init(struct ctl *c)
{
	struct rte_hash_parameters hp = { 0 };

	c->msrp_fd = -1;
	hp.name = "ctl_msrp_leg";
	hp.entries = c->cfg->limits.max_contexts * CTL_CTX_MAX_TERMS;
	if (hp.entries < 16)
		hp.entries = 16;
	hp.key_len = sizeof(uint64_t);
	hp.hash_func = rte_jhash;
	hp.socket_id = (int)rte_socket_id();
	c->leg_by_cookie = rte_hash_create(&hp);
	return c->leg_by_cookie == NULL ? -ENOMEM : 0;
}

void
ctl_msrp_fini(struct ctl *c)
{
	ctl_timer_stop(c->loop, &c->msrp_retry);
	if (c->msrp_fd >= 0)
		ctl_loop_del_fd(c->loop, c->msrp_fd);
	c->msrp_fd = -1;
	rte_hash_free(c->leg_by_cookie);
	c->leg_by_cookie = NULL;
}

static void
relay_readable(int fd, uint32_t events, void *arg)
{
	(void)fd;
	(void)events;
	ctl_msrp_poll(arg);
}

int
ctl_set_msrp(struct ctl *c, struct dp_msrp *m, struct sec_tls *tls)
{
	int fd, rc;

	if (m != c->msrp) {
		/* Legs belong to the relay they were opened on. */
		if (c->n_legs > 0)
			return -EBUSY;
		if (c->msrp_fd >= 0)
			ctl_loop_del_fd(c->loop, c->msrp_fd);
		c->msrp_fd = -1;
		c->msrp = NULL;
		fd = m != NULL ? dp_msrp_fd(m) : -1;
		if (fd >= 0) {
			/* Refused: control keeps no pointer to a relay the
			 * caller will destroy. */
			rc = ctl_loop_add_fd(c->loop, fd, EPOLLIN, relay_readable, c);
			if (rc < 0)
				return rc;
			c->msrp_fd = fd;
		}
		c->msrp = m;
	}
	c->tls = tls;
	return 0;
}

void
ctl_set_msrp_event_cb(struct ctl *c, ctl_msrp_event_cb cb, void *arg)
{
	c->msrp_cb = cb;
	c->msrp_cb_arg = arg;
}

/* base64url without padding (RFC 4648 §5): unreserved in an MSRP URI. */
static void
b64url(const uint8_t *in, int n, char *out)
{
	int i, len = EVP_EncodeBlock((unsigned char *)out, in, n);

	for (i = 0; i < len; i++) {
		if (out[i] == '+')
			out[i] = '-';
		else if (out[i] == '/')
			out[i] = '_';
		else if (out[i] == '=')
			out[i] = '\0';
	}
}

int
ctl_msrp_term_init(struct ctl *c, struct ctl_term *t, const struct ctl_term_spec *spec)
{
	uint8_t rnd[MSRP_SID_BYTES];
	char sid[((MSRP_SID_BYTES + 2) / 3) * 4 + 1];

	RTE_BUILD_BUG_ON(((MSRP_SID_BYTES + 2) / 3) * 4 != CTL_MSRP_SID_LEN);
	if (c->msrp == NULL || (spec->transport == CTL_TR_MSRP_TLS && c->tls == NULL))
		return -ENOTSUP;
	/* Our URI's session id: not guessable from the last call's (RFC 4975
	 * §14.1), from the one source of randomness. */
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		return -EIO;
	b64url(rnd, sizeof(rnd), sid);
	memcpy(t->msrp.sid, sid, sizeof(t->msrp.sid));
	t->msrp.state = CTL_MSRP_IDLE;
	return 0;
}

/* ---- legs ---------------------------------------------------------------- */

/* The leg t's spec asks for, with p its peer (or NULL); frame_check is the
 * config's default (msrp.frame_check), which a termination can only turn
 * on. @return false when no leg can be open yet (or holdconn). */
static bool
leg_spec(const struct ctl_term *t, const struct ctl_term *p, bool frame_check,
	 struct dp_msrp_leg_spec *ls)
{
	const struct ctl_term_spec *s = &t->spec;
	enum ctl_setup setup = our_setup(&s->msrp);
	bool remote = s->remote.family != 0;

	memset(ls, 0, sizeof(*ls)); /* compared with memcmp() below */
	ls->local = t->local;
	ls->local_port = t->local_port[CTL_RTP];
	if (remote)
		ls->remote = s->remote;
	ls->remote_port = s->remote_port;
	ls->any_source = s->latch;
	ls->setup = setup == CTL_SETUP_ACTIVE ? DP_MSRP_ACTIVE : DP_MSRP_PASSIVE;
	ls->tls = s->transport == CTL_TR_MSRP_TLS;
	if (ls->tls) {
		ls->n_fp = s->msrp.n_fp;
		memcpy(ls->fp, s->msrp.fp, sizeof(ls->fp));
	}
	ls->frame_check = s->msrp.frame_check || frame_check;
	ls->recv = ctl_mode_receives(s->mode);
	ls->send = ctl_mode_sends(s->mode);
	/* The core side connects once the UE's side is up (SPEC.md §2.4). */
	ls->connect_after_peer = setup == CTL_SETUP_ACTIVE && s->realm == CFG_PORT_CORE &&
				 p != NULL && ctl_transport_is_msrp(p->spec.transport) &&
				 our_setup(&p->spec.msrp) == CTL_SETUP_PASSIVE;
	if (setup == CTL_SETUP_HOLDCONN)
		return false;
	if (remote && s->remote.family != t->local.family)
		return false; /* a v4 socket cannot reach a v6 peer */
	if (setup == CTL_SETUP_ACTIVE)
		return remote && s->remote_port != 0 && (!ls->tls || ls->n_fp > 0);
	/* Passive listens at once, Remote or not: when we offered (the
	 * terminating case) the UE connects as soon as it answered, maybe
	 * before the MGC's Modify; the relay holds such a peer, unread, until
	 * the Remote arrives (dp_msrp.h). */
	return true;
}

static void
stats_add(struct dp_msrp_leg_stats *acc, const struct dp_msrp_leg_stats *x)
{
	unsigned int i;

	acc->bytes_in += x->bytes_in;
	acc->bytes_out += x->bytes_out;
	acc->msgs_in += x->msgs_in;
	acc->conns += x->conns;
	acc->up_ms += x->up_ms;
	for (i = 0; i < DP_MSRP_R_MAX; i++)
		acc->fails[i] += x->fails[i];
	for (i = 0; i < SEC_TLS_FAIL_MAX; i++)
		acc->tls_fails[i] += x->tls_fails[i];
}

static void
unjoin(struct ctl *c, struct ctl_term *t)
{
	if (!t->msrp.joined)
		return;
	/* The other side may have left already (-ENOENT): nothing to undo. */
	if (t->msrp.open)
		dp_msrp_unjoin(c->msrp, t->msrp.leg);
	t->msrp.joined = false;
}

void
ctl_msrp_close(struct ctl *c, struct ctl_term *t)
{
	struct dp_msrp_leg_stats st;

	if (!t->msrp.open)
		return;
	/* Unjoined first: closing one termination (Subtract, a new role)
	 * does not close its peer's connection; the MGC decides about that. */
	unjoin(c, t);
	memset(&st, 0, sizeof(st));
	if (dp_msrp_leg_close(c->msrp, t->msrp.leg, &st) == 0)
		stats_add(&t->msrp.acc, &st);
	rte_hash_del_key(c->leg_by_cookie, &t->msrp.cookie);
	t->msrp.open = false;
	c->n_legs--;
}

static int
leg_open(struct ctl *c, struct ctl_term *t, const struct dp_msrp_leg_spec *ls)
{
	uint64_t cookie = ++c->next_cookie;
	uint32_t leg;
	int rc;

	if (rte_hash_add_key_data(c->leg_by_cookie, &cookie, t) < 0)
		return -ENOSPC;
	rc = dp_msrp_leg_open(c->msrp, ls, cookie, &leg);
	if (rc < 0) {
		rte_hash_del_key(c->leg_by_cookie, &cookie);
		CTL_LOG(WARNING, "ctx %u term %s: msrp leg not opened: %s", t->ctx->id, t->id,
			strerror(-rc));
		/* Our port is busy in the namespace: as out of ports. */
		return rc == -EADDRINUSE ? -EADDRNOTAVAIL : rc;
	}
	t->msrp.open = true;
	t->msrp.leg = leg;
	t->msrp.cookie = cookie;
	t->msrp.cur = *ls;
	t->msrp.joined = false;
	t->msrp.opens++;
	memset(&t->msrp.peer, 0, sizeof(t->msrp.peer));
	t->msrp.peer_port = 0;
	t->msrp.state = ls->setup == DP_MSRP_ACTIVE ? CTL_MSRP_CONNECTING : CTL_MSRP_LISTENING;
	c->n_legs++;
	return 0;
}

/* Bring t's leg to what ls says. */
static int
leg_update(struct ctl *c, struct ctl_term *t, const struct dp_msrp_leg_spec *ls)
{
	const struct dp_msrp_leg_spec *cur = &t->msrp.cur;
	bool again;
	int rc;

	/* A new role is a new leg (the relay never changes local or setup). */
	if (t->msrp.open && (cur->setup != ls->setup || cur->tls != ls->tls))
		ctl_msrp_close(c, t);
	if (!t->msrp.open)
		return leg_open(c, t, ls);
	if (memcmp(cur, ls, sizeof(*ls)) == 0)
		return 0;
	/* A new remote (or gate, or fingerprints) starts a failed or closed
	 * leg over; a live connection that still matches stays up. */
	again = cur->remote_port != ls->remote_port || cur->any_source != ls->any_source ||
		cur->n_fp != ls->n_fp || memcmp(&cur->remote, &ls->remote, sizeof(ls->remote)) ||
		memcmp(cur->fp, ls->fp, sizeof(ls->fp));
	rc = dp_msrp_leg_modify(c->msrp, t->msrp.leg, ls);
	if (rc < 0)
		return rc;
	t->msrp.cur = *ls;
	if (again && (t->msrp.state == CTL_MSRP_FAILED || t->msrp.state == CTL_MSRP_CLOSED))
		t->msrp.state = ls->setup == DP_MSRP_ACTIVE ? CTL_MSRP_CONNECTING : CTL_MSRP_LISTENING;
	return 0;
}

static int
retry_one(uint32_t ctx_id, const char *const *ids, unsigned int n, void *arg)
{
	struct ctl *c = arg;
	const struct ctl_term *t;

	if (n == 0)
		return 0;
	t = ctl_term_lookup(c, ctx_id, ids[0]);
	if (t != NULL && t->msrp.join_pending && ctl_msrp_program(c, t->ctx) < 0)
		CTL_LOG(ERR, "ctx %u: msrp legs not joined", ctx_id);
	return 0;
}

/* The relay's worker did not answer a join in time (-EBUSY: with worker
 * lcores, the leg is moved later): try the contexts that wait again. */
static void
join_retry(void *arg)
{
	ctl_context_iterate(arg, retry_one, arg);
}

/* Join a and b (b NULL or without a leg: a stays alone). */
static int
pair(struct ctl *c, struct ctl_term *a, struct ctl_term *b)
{
	int rc;

	a->msrp.join_pending = false;
	if (b == NULL || !a->msrp.open || !b->msrp.open) {
		unjoin(c, a);
		if (b != NULL)
			unjoin(c, b);
		return 0;
	}
	if (a->msrp.joined && a->msrp.joined_leg == b->msrp.leg && b->msrp.joined &&
	    b->msrp.joined_leg == a->msrp.leg)
		return 0;
	unjoin(c, a);
	unjoin(c, b);
	rc = dp_msrp_join(c->msrp, a->msrp.leg, b->msrp.leg);
	if (rc == -EBUSY) {
		a->msrp.join_pending = true;
		if (!ctl_timer_armed(&c->msrp_retry))
			ctl_timer_start(c->loop, &c->msrp_retry, MSRP_JOIN_RETRY_MS, join_retry, c);
		return 0;
	}
	if (rc < 0)
		return rc;
	a->msrp.joined = b->msrp.joined = true;
	a->msrp.joined_leg = b->msrp.leg;
	b->msrp.joined_leg = a->msrp.leg;
	return 0;
}

int
ctl_msrp_program(struct ctl *c, struct ctl_ctx *x)
{
	struct ctl_term *a = x->n_terms > 0 ? x->terms[0] : NULL;
	struct ctl_term *b = x->n_terms > 1 ? x->terms[1] : NULL;
	struct dp_msrp_leg_spec ls;
	unsigned int i;
	int rc;

	if (c->msrp == NULL)
		return -ENOTSUP;
	for (i = 0; i < x->n_terms; i++) {
		struct ctl_term *t = x->terms[i];

		if (!leg_spec(t, ctl_peer(t), c->cfg->msrp.frame_check, &ls)) {
			ctl_msrp_close(c, t);
			t->msrp.state = CTL_MSRP_IDLE;
			continue;
		}
		rc = leg_update(c, t, &ls);
		if (rc < 0)
			return rc;
	}
	return a != NULL ? pair(c, a, b) : 0;
}

/* ---- state --------------------------------------------------------------- */

void
ctl_msrp_info(const struct ctl *c, const struct ctl_term *t, struct ctl_msrp_info *out)
{
	char ip[INET6_ADDRSTRLEN];
	bool tls = t->spec.transport == CTL_TR_MSRP_TLS, v6 = t->local.family == AF_INET6;

	memset(out, 0, sizeof(*out));
	out->setup = our_setup(&t->spec.msrp);
	out->state = t->msrp.state;
	if (tls && c->tls != NULL) {
		sec_tls_local_fp(c->tls, SEC_FP_SHA256, &out->fp);
		out->has_fp = true;
	}
	/* RFC 4975 §9: msrps on TLS; an IPv6 address in brackets. */
	snprintf(out->path, sizeof(out->path), "%s://%s%s%s:%u/%s;tcp", tls ? "msrps" : "msrp",
		 v6 ? "[" : "", cfg_ip_str(&t->local, ip, sizeof(ip)), v6 ? "]" : "",
		 t->local_port[CTL_RTP], t->msrp.sid);
	out->opens = t->msrp.opens;
	out->n_remote_fp = t->spec.msrp.n_fp;
	out->cema = t->spec.msrp.cema;
	out->frame_check = t->spec.msrp.frame_check;
	out->peer = t->msrp.peer;
	out->peer_port = t->msrp.peer_port;
}

void
ctl_msrp_stats(const struct ctl *c, const struct ctl_term *t, struct dp_msrp_leg_stats *out)
{
	struct dp_msrp_leg_stats cur;

	*out = t->msrp.acc;
	out->up = false;
	out->ktls = false;
	if (t->msrp.open && dp_msrp_leg_stats(c->msrp, t->msrp.leg, &cur) == 0) {
		stats_add(out, &cur);
		out->up = cur.up;
		out->ktls = cur.ktls;
	}
}

static void
on_event(struct ctl *c, const struct dp_msrp_event *ev)
{
	struct ctl_msrp_event e;
	struct ctl_term *t;
	void *data;

	if (rte_hash_lookup_data(c->leg_by_cookie, &ev->cookie, &data) < 0)
		return; /* a leg closed since */
	t = data;
	if (!t->msrp.open || t->msrp.leg != ev->leg)
		return;
	switch (ev->type) {
	case DP_MSRP_EV_UP:
		t->msrp.state = CTL_MSRP_UP;
		t->msrp.peer = ev->peer;
		t->msrp.peer_port = ev->peer_port;
		break;
	case DP_MSRP_EV_FAIL:
		/* A passive leg listens on after a failed attempt, until
		 * connect_ms passes without a peer; a stranger refused at the
		 * gate changes nothing about a connection that is up. */
		if (t->msrp.state != CTL_MSRP_UP &&
		    (t->msrp.cur.setup == DP_MSRP_ACTIVE || ev->reason == DP_MSRP_R_TIMEOUT))
			t->msrp.state = CTL_MSRP_FAILED;
		break;
	case DP_MSRP_EV_CLOSED:
		/* Our Modify's new Remote: the leg starts over. */
		if (ev->reason == DP_MSRP_R_REMOTE_CHANGED)
			t->msrp.state = t->msrp.cur.setup == DP_MSRP_ACTIVE ? CTL_MSRP_CONNECTING
									   : CTL_MSRP_LISTENING;
		else
			t->msrp.state = CTL_MSRP_CLOSED;
		break;
	default:
		return;
	}
	if (ev->type == DP_MSRP_EV_UP)
		CTL_LOG(INFO, "ctx %u term %s: msrp up", t->ctx->id, t->id);
	else
		CTL_LOG(INFO, "ctx %u term %s: msrp %s (%s%s%s)", t->ctx->id, t->id,
			ev->type == DP_MSRP_EV_FAIL ? "attempt failed" : "closed",
			dp_msrp_reason_name(ev->reason), ev->reason == DP_MSRP_R_TLS ? ": " : "",
			ev->reason == DP_MSRP_R_TLS ? sec_tls_fail_name(ev->tls) : "");
	if (c->msrp_cb == NULL)
		return;
	memset(&e, 0, sizeof(e));
	e.ctx_id = t->ctx->id;
	e.term_id = t->id;
	e.transport = t->spec.transport;
	e.type = ev->type;
	e.reason = ev->reason;
	e.tls = ev->tls;
	c->msrp_cb(&e, c->msrp_cb_arg);
}

void
ctl_msrp_poll(struct ctl *c)
{
	struct dp_msrp_event ev[MSRP_EV_BURST];
	unsigned int n, i, rounds = 0;

	if (c->msrp == NULL)
		return;
	if (c->msrp_fd >= 0)
		dp_msrp_poll(c->msrp);
	do {
		n = dp_msrp_events(c->msrp, ev, MSRP_EV_BURST);
		for (i = 0; i < n; i++)
			on_event(c, &ev[i]);
	} while (n == MSRP_EV_BURST && ++rounds < MSRP_EV_ROUNDS);
}
