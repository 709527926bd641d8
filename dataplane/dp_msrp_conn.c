/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A leg's connection, on its worker: listen, accept and the gate, connect,
 * the handshake, up, failure and close, the deadlines, modify, and moving
 * between workers.
 *
 * Passive (we listen; the TLS server): the listener control bound is
 * watched for EPOLLIN. A source other than the Remote address is refused
 * at once (RST, R_GATE) unless any_source. One candidate at a time: while
 * a TLS candidate handshakes the listener is not read, so further
 * attempts wait in the kernel's short queue (each handshake is bounded by
 * handshake_ms). A failed candidate (TLS, handshake timeout) is counted
 * and reported (EV_FAIL) and the leg listens on, until connect_ms has
 * passed without an authenticated peer: then the listener is closed
 * (EV_FAIL R_TIMEOUT) and the leg is DEAD until control closes it or a
 * modify starts it over. Once a peer is up the listener is closed: one
 * connection per leg, later attempts get RST.
 *
 * Early peers (the terminating case): the gateway offered first, so it
 * listens before the UE's answer brings the Remote address and
 * fingerprints, and the UE connects as soon as it has answered, often
 * before the MGC's Modify reaches us. Such a candidate is HELD: accepted,
 * not read (its ClientHello waits in the kernel), not gated, until a modify
 * completes the Remote; then the gate and the handshake run as for any
 * candidate. Held longer than handshake_ms it gets RST
 * (R_HANDSHAKE_TIMEOUT) and the leg listens on.
 *
 * Active (we connect; the TLS client): a non-blocking connect from the
 * bound socket, at once or when the joined leg is up (connect_after_peer,
 * SPEC.md §2.4 bearer coupling). Refused or unreachable: EV_FAIL
 * R_CONNECT and DEAD; no retry (the MGC decides).
 *
 * A TLS peer is authenticated when the handshake completes (sec_tls checks
 * the certificate against the Remote fingerprints); EV_UP only then.
 */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dp_msrp_priv.h"

/* ---- small socket helpers --------------------------------------------------- */

socklen_t
msrp_sockaddr(const struct cfg_ip *ip, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (ip->family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		s4->sin_addr = ip->a.v4;
		return sizeof(*s4);
	}
	if (ip->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		s6->sin6_addr = ip->a.v6;
		return sizeof(*s6);
	}
	return 0;
}

static void
sa_to_ip(const struct sockaddr_storage *ss, struct cfg_ip *ip, uint16_t *port)
{
	memset(ip, 0, sizeof(*ip));
	*port = 0;
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

		ip->family = AF_INET;
		ip->a.v4 = s4->sin_addr;
		*port = ntohs(s4->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

		ip->family = AF_INET6;
		ip->a.v6 = s6->sin6_addr;
		*port = ntohs(s6->sin6_port);
	}
}

bool
msrp_ip_equal(const struct cfg_ip *a, const struct cfg_ip *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->a.v4.s_addr == b->a.v4.s_addr;
	if (a->family == AF_INET6)
		return memcmp(&a->a.v6, &b->a.v6, sizeof(a->a.v6)) == 0;
	return false;
}

/* The gate (SPEC.md §6.5): only the Remote address, unless the MGC asked
 * for latching; an unknown Remote (family 0) admits nobody then. */
static bool
gate_ok(const struct dp_msrp_leg_spec *s, const struct cfg_ip *src)
{
	return s->any_source || msrp_ip_equal(&s->remote, src);
}

/* Does a passive leg know enough to judge a candidate: the Remote address
 * (or latching) for the gate, and on TLS the fingerprints? */
static bool
remote_known(const struct dp_msrp_leg_spec *s)
{
	return (s->any_source || s->remote.family != 0) && (!s->tls || s->n_fp > 0);
}

/* Close with RST instead of FIN (SO_LINGER 0): a refused or reset
 * connection should not linger in FIN_WAIT. */
static void
rst_close(int fd)
{
	struct linger lg = {.l_onoff = 1, .l_linger = 0};

	(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

static void
set_nodelay(int fd)
{
	int one = 1;

	/* MSRP chunks are small and latency matters: no Nagle on a relay. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static int
sock_error(int fd)
{
	int e = 0;
	socklen_t len = sizeof(e);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
		return errno;
	return e;
}

/* ---- counters, deadlines, epoll --------------------------------------------- */

void
msrp_count_fail(struct msrp_worker *wk, struct msrp_leg *l, enum dp_msrp_reason r,
		enum sec_tls_fail tls)
{
	l->st.fails[r]++;
	wk->st.fails[r]++;
	if (tls != SEC_TLS_OK) {
		l->st.tls_fails[tls]++;
		wk->st.tls_fails[tls]++;
	}
}

static uint64_t
idle_deadline(const struct msrp_worker *wk, const struct msrp_leg *l)
{
	uint64_t last = l->t_last;

	if (l->peer != NULL && l->peer->state == MSRP_S_UP && l->peer->t_last > last)
		last = l->peer->t_last;
	return last + wk->m->conf.idle_ms;
}

static void
leg_rearm(struct msrp_worker *wk, struct msrp_leg *l)
{
	uint64_t d = 0;

#define MSRP_MIN_D(x)                                                                              \
	do {                                                                                       \
		uint64_t x_ = (x);                                                                 \
		if (x_ != 0 && (d == 0 || x_ < d))                                                 \
			d = x_;                                                                    \
	} while (0)

	if (l->detached)
		return;
	MSRP_MIN_D(l->t_drain);
	if (l->state == MSRP_S_HANDSHAKE || l->state == MSRP_S_HELD)
		MSRP_MIN_D(l->t_hs);
	if (l->state == MSRP_S_LISTEN || l->state == MSRP_S_CONNECTING)
		MSRP_MIN_D(l->t_est);
	if (l->state == MSRP_S_UP && !l->draining && wk->m->conf.idle_ms != 0)
		MSRP_MIN_D(idle_deadline(wk, l));
	if (l->lst_paused)
		MSRP_MIN_D(wk->now + 1);
#undef MSRP_MIN_D
	if (d != l->deadline || !msrp_linked(&l->tnode))
		msrp_timer_arm(wk, l, d);
}

int
msrp_conn_arm(struct msrp_worker *wk, struct msrp_leg *l)
{
	uint32_t want;

	if (l->detached)
		return 0;
	if (l->lfd >= 0)
		(void)msrp_epoll_set(wk, l, true,
				     l->state == MSRP_S_LISTEN && !l->lst_paused ? EPOLLIN : 0);
	if (l->fd < 0)
		return 0;
	switch (l->state) {
	case MSRP_S_CONNECTING:
		want = EPOLLOUT;
		break;
	case MSRP_S_HANDSHAKE:
		want = l->hs_want;
		break;
	case MSRP_S_UP:
		/* 0 while not relaying: EPOLLERR/EPOLLHUP still tell a reset. */
		want = msrp_relay_want(wk, l);
		break;
	default:
		return 0; /* waiting to connect, or held: not watched */
	}
	return msrp_epoll_set(wk, l, false, want);
}

/* ---- ending a connection ------------------------------------------------------ */

static void
lst_close(struct msrp_leg *l)
{
	if (l->lfd < 0)
		return;
	close(l->lfd);
	l->lfd = -1;
	l->lfd_reg = false;
	l->lev = 0;
}

/* Drop the connection (or candidate) and what hangs off it. Graceful:
 * close_notify (one try) and FIN; reset: RST. */
static void
conn_drop(struct msrp_worker *wk, struct msrp_leg *l, bool reset)
{
	if (l->fd >= 0) {
		if (l->ssl != NULL) {
			if (!reset && l->state == MSRP_S_UP && !l->tx_shut)
				(void)msrp_tls_shutdown(l);
			msrp_tls_free(l);
		}
		if (reset)
			rst_close(l->fd);
		else
			close(l->fd);
		l->fd = -1;
		l->fd_reg = false;
		l->ev = 0;
	}
	if (l->state == MSRP_S_UP) {
		l->st.up = false;
		l->st.up_ms += wk->now - l->t_up;
		wk->st.up--;
		if (l->st.ktls)
			wk->st.ktls_legs--;
	}
	msrp_buf_put(wk, &l->tx);
	free(l->frame);
	l->frame = NULL;
	l->draining = false;
	l->t_drain = 0;
	l->t_hs = 0;
	msrp_unlink(&l->rnode);
}

void
msrp_leg_end(struct msrp_worker *wk, struct msrp_leg *l, bool reset, enum dp_msrp_reason r)
{
	bool alive = l->state != MSRP_S_DEAD || l->fd >= 0 || l->lfd >= 0;

	conn_drop(wk, l, reset);
	lst_close(l);
	l->state = MSRP_S_DEAD;
	l->t_est = 0;
	msrp_timer_arm(wk, l, 0);
	if (!alive)
		return;
	msrp_count_fail(wk, l, r, SEC_TLS_OK);
	msrp_ev(wk, l, DP_MSRP_EV_CLOSED, r, SEC_TLS_OK);
}

/* The joined leg of a leg that ended: an UP one flushes what it holds for
 * its peer, sends FIN/close_notify and closes (R_JOINED_CLOSED), bounded
 * by MSRP_DRAIN_MS; reset, or one still establishing, ends at once. */
static void
joined_end(struct msrp_worker *wk, struct msrp_leg *j, bool reset)
{
	if (j->state == MSRP_S_UP && !reset) {
		if (j->draining)
			return;
		j->draining = true;
		j->end_reason = DP_MSRP_R_JOINED_CLOSED;
		j->t_drain = wk->now + MSRP_DRAIN_MS;
		msrp_relay_drain(wk, j);
		if (j->state == MSRP_S_UP)
			leg_rearm(wk, j);
		return;
	}
	msrp_leg_end(wk, j, reset, DP_MSRP_R_JOINED_CLOSED);
}

void
msrp_pair_end(struct msrp_worker *wk, struct msrp_leg *l, bool reset, enum dp_msrp_reason r,
	      bool reset_joined)
{
	struct msrp_leg *j = l->peer;

	msrp_leg_end(wk, l, reset, r);
	if (j != NULL)
		joined_end(wk, j, reset_joined);
}

/* ---- up ------------------------------------------------------------------------- */

void
msrp_conn_peer_up(struct msrp_worker *wk, struct msrp_leg *l)
{
	if (l->state == MSRP_S_WAIT_PEER) {
		msrp_conn_start_connect(wk, l);
		leg_rearm(wk, l);
	}
}

static void
leg_up(struct msrp_worker *wk, struct msrp_leg *l)
{
	l->state = MSRP_S_UP;
	l->t_up = l->t_last = wk->now;
	l->t_est = l->t_hs = 0;
	l->st.up = true;
	wk->st.up++;
	l->st.ktls = l->ssl != NULL && msrp_tls_ktls(l);
	if (l->st.ktls)
		wk->st.ktls_legs++;
	/* One connection per leg: later attempts get RST from the kernel. */
	lst_close(l);
	l->r_ready = l->w_ready = true;
	l->rd_want = EPOLLIN;
	l->wr_want = EPOLLOUT;
	l->rx_eof = l->shut_pending = l->tx_shut = l->first_eof = false;
	if (l->spec.frame_check && msrp_frame_start(wk, l) < 0) {
		msrp_leg_end(wk, l, true, DP_MSRP_R_RESOURCES);
		return;
	}
	msrp_ev(wk, l, DP_MSRP_EV_UP, DP_MSRP_R_NONE, SEC_TLS_OK);
	if (l->peer != NULL)
		msrp_conn_peer_up(wk, l->peer);
	/* Starts the relay when the joined leg is up too; arms l. */
	msrp_relay_kick(wk, l);
	if (l->state == MSRP_S_UP)
		leg_rearm(wk, l);
}

/* ---- failed attempts ------------------------------------------------------------ */

/* connect_ms passed: a listener stops listening, a connect gives up. */
static void
est_timeout(struct msrp_worker *wk, struct msrp_leg *l)
{
	conn_drop(wk, l, true);
	lst_close(l);
	l->state = MSRP_S_DEAD;
	l->t_est = 0;
	msrp_timer_arm(wk, l, 0);
	msrp_count_fail(wk, l, DP_MSRP_R_TIMEOUT, SEC_TLS_OK);
	msrp_ev(wk, l, DP_MSRP_EV_FAIL, DP_MSRP_R_TIMEOUT, SEC_TLS_OK);
}

/* An establishment attempt failed: a passive leg listens on (unless its
 * time is up), an active one is DEAD. */
static void
attempt_failed(struct msrp_worker *wk, struct msrp_leg *l, enum dp_msrp_reason r,
	       enum sec_tls_fail tls)
{
	/* After a TLS failure OpenSSL has queued its alert: FIN after it.
	 * A stalled or refused attempt gets RST. */
	conn_drop(wk, l, r != DP_MSRP_R_TLS);
	msrp_count_fail(wk, l, r, tls);
	msrp_ev(wk, l, DP_MSRP_EV_FAIL, r, tls);
	if (l->spec.setup == DP_MSRP_PASSIVE && l->lfd >= 0) {
		l->state = MSRP_S_LISTEN;
		if (l->t_est != 0 && wk->now >= l->t_est) {
			est_timeout(wk, l);
			return;
		}
	} else {
		l->state = MSRP_S_DEAD;
		l->t_est = 0;
	}
	(void)msrp_conn_arm(wk, l);
	leg_rearm(wk, l);
}

static void
handshake_step(struct msrp_worker *wk, struct msrp_leg *l)
{
	enum sec_tls_fail why = SEC_TLS_OK;
	int rc = msrp_tls_handshake(l, &why);

	if (rc > 0) {
		wk->st.handshakes++;
		leg_up(wk, l);
		return;
	}
	if (rc < 0) {
		attempt_failed(wk, l, DP_MSRP_R_TLS, why);
		return;
	}
	if (msrp_conn_arm(wk, l) < 0)
		attempt_failed(wk, l, DP_MSRP_R_RESOURCES, SEC_TLS_OK);
}

/* TCP is established (accepted, or our connect completed). */
static void
tcp_established(struct msrp_worker *wk, struct msrp_leg *l, bool server)
{
	l->st.conns++;
	set_nodelay(l->fd);
	if (!l->spec.tls) {
		leg_up(wk, l);
		return;
	}
	if (msrp_tls_start(wk, l, server) < 0) {
		attempt_failed(wk, l, DP_MSRP_R_RESOURCES, SEC_TLS_OK);
		return;
	}
	l->state = MSRP_S_HANDSHAKE;
	l->t_hs = wk->now + wk->m->conf.handshake_ms;
	handshake_step(wk, l);
}

/* ---- passive ----------------------------------------------------------------------- */

/* Out of fds: accept and refuse one with the spare fd so the queue does not
 * keep the listener readable forever, and pause the listener for a tick. */
static void
refuse_one(struct msrp_worker *wk, struct msrp_leg *l)
{
	memset(&l->peer_ip, 0, sizeof(l->peer_ip));
	l->peer_port = 0;
	msrp_count_fail(wk, l, DP_MSRP_R_RESOURCES, SEC_TLS_OK);
	msrp_ev(wk, l, DP_MSRP_EV_FAIL, DP_MSRP_R_RESOURCES, SEC_TLS_OK);
	if (wk->spare_fd >= 0) {
		int fd;

		close(wk->spare_fd);
		fd = accept4(l->lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd >= 0)
			rst_close(fd);
		wk->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	}
	l->lst_paused = true;
}

static void
on_accept(struct msrp_worker *wk, struct msrp_leg *l)
{
	unsigned int i;

	for (i = 0; i < MSRP_ACCEPTS && l->state == MSRP_S_LISTEN && l->lfd >= 0; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		int fd = accept4(l->lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
			    errno == ENOMEM) {
				refuse_one(wk, l);
				break;
			}
			if (errno == ECONNABORTED || errno == EINTR || errno == EPROTO)
				continue;
			break; /* EAGAIN */
		}
		sa_to_ip(&ss, &l->peer_ip, &l->peer_port);
		if (!remote_known(&l->spec)) {
			l->fd = fd;
			l->state = MSRP_S_HELD;
			l->t_hs = wk->now + wk->m->conf.handshake_ms;
			break;
		}
		if (!gate_ok(&l->spec, &l->peer_ip)) {
			rst_close(fd);
			msrp_count_fail(wk, l, DP_MSRP_R_GATE, SEC_TLS_OK);
			msrp_ev(wk, l, DP_MSRP_EV_FAIL, DP_MSRP_R_GATE, SEC_TLS_OK);
			continue;
		}
		l->fd = fd;
		tcp_established(wk, l, true);
	}
	(void)msrp_conn_arm(wk, l);
	leg_rearm(wk, l);
}

/* A modify came while a candidate was held: judge it now that the Remote
 * may be known. */
static void
release_held(struct msrp_worker *wk, struct msrp_leg *l)
{
	if (!remote_known(&l->spec))
		return;
	if (!gate_ok(&l->spec, &l->peer_ip)) {
		attempt_failed(wk, l, DP_MSRP_R_GATE, SEC_TLS_OK);
		return;
	}
	tcp_established(wk, l, true);
	if (l->state != MSRP_S_DEAD)
		leg_rearm(wk, l);
}

/* ---- active ---------------------------------------------------------------------------- */

void
msrp_conn_start_connect(struct msrp_worker *wk, struct msrp_leg *l)
{
	struct sockaddr_storage ss;
	socklen_t sl = msrp_sockaddr(&l->spec.remote, l->spec.remote_port, &ss);

	l->peer_ip = l->spec.remote;
	l->peer_port = l->spec.remote_port;
	l->state = MSRP_S_CONNECTING;
	l->t_est = wk->m->conf.connect_ms != 0 ? wk->now + wk->m->conf.connect_ms : 0;
	if (l->fd < 0) {
		attempt_failed(wk, l, DP_MSRP_R_RESOURCES, SEC_TLS_OK);
		return;
	}
	if (sl == 0 || l->spec.remote_port == 0) {
		attempt_failed(wk, l, DP_MSRP_R_CONNECT, SEC_TLS_OK);
		return;
	}
	if (connect(l->fd, (struct sockaddr *)&ss, sl) == 0) {
		tcp_established(wk, l, false);
		return;
	}
	if (errno != EINPROGRESS) {
		attempt_failed(wk, l, DP_MSRP_R_CONNECT, SEC_TLS_OK);
		return;
	}
	if (msrp_conn_arm(wk, l) < 0)
		attempt_failed(wk, l, DP_MSRP_R_RESOURCES, SEC_TLS_OK);
}

static void
on_connect_done(struct msrp_worker *wk, struct msrp_leg *l)
{
	if (sock_error(l->fd) != 0) {
		attempt_failed(wk, l, DP_MSRP_R_CONNECT, SEC_TLS_OK);
		return;
	}
	tcp_established(wk, l, false);
	if (l->state != MSRP_S_DEAD)
		leg_rearm(wk, l);
}

/* ---- events and timers ------------------------------------------------------------------ */

void
msrp_conn_event(struct msrp_worker *wk, struct msrp_leg *l, unsigned int tag, uint32_t events)
{
	if (l->detached)
		return; /* closed or moved away earlier in this batch */
	if (tag == MSRP_TAG_LISTEN) {
		if (l->lfd >= 0 && l->state == MSRP_S_LISTEN)
			on_accept(wk, l);
		return;
	}
	if (l->fd < 0)
		return;
	switch (l->state) {
	case MSRP_S_CONNECTING:
		on_connect_done(wk, l);
		return;
	case MSRP_S_HANDSHAKE:
		/* An error surfaces through the handshake's own I/O. */
		handshake_step(wk, l);
		if (l->state != MSRP_S_DEAD)
			leg_rearm(wk, l);
		return;
	case MSRP_S_UP:
		break;
	default:
		return;
	}
	if (events & EPOLLERR) {
		(void)sock_error(l->fd);
		msrp_pair_end(wk, l, true, DP_MSRP_R_PEER_RESET, true);
		return;
	}
	if (events & (l->rd_want | EPOLLHUP))
		l->r_ready = true;
	if (events & (l->wr_want | EPOLLHUP))
		l->w_ready = true;
	msrp_relay_kick(wk, l);
	/* Both halves shut and nothing left that the relay would read or
	 * write (not relaying, or the direction is closed by the Mode): a
	 * level-triggered HUP would come back forever. */
	if ((events & EPOLLHUP) && l->state == MSRP_S_UP && l->fd >= 0 &&
	    msrp_relay_want(wk, l) == 0)
		msrp_pair_end(wk, l, false, DP_MSRP_R_PEER_CLOSE, false);
}

/* Idle: no byte either way for idle_ms; both legs close (R_IDLE). */
static void
idle_end(struct msrp_worker *wk, struct msrp_leg *l)
{
	struct msrp_leg *j = l->peer;

	msrp_leg_end(wk, l, false, DP_MSRP_R_IDLE);
	if (j != NULL)
		msrp_leg_end(wk, j, false, DP_MSRP_R_IDLE);
}

void
msrp_conn_timer(struct msrp_worker *wk, struct msrp_leg *l)
{
	if (l->detached)
		return;
	if (l->lst_paused) {
		l->lst_paused = false;
		(void)msrp_conn_arm(wk, l);
	}
	if (l->t_drain != 0 && wk->now >= l->t_drain) {
		msrp_leg_end(wk, l, true, l->end_reason);
		return;
	}
	if ((l->state == MSRP_S_HANDSHAKE || l->state == MSRP_S_HELD) && l->t_hs != 0 &&
	    wk->now >= l->t_hs) {
		attempt_failed(wk, l, DP_MSRP_R_HANDSHAKE_TIMEOUT, SEC_TLS_OK);
		return;
	}
	if ((l->state == MSRP_S_LISTEN || l->state == MSRP_S_CONNECTING) && l->t_est != 0 &&
	    wk->now >= l->t_est) {
		est_timeout(wk, l);
		return;
	}
	if (l->state == MSRP_S_UP && !l->draining && wk->m->conf.idle_ms != 0 &&
	    wk->now >= idle_deadline(wk, l)) {
		idle_end(wk, l);
		return;
	}
	leg_rearm(wk, l);
}

/* ---- commands ------------------------------------------------------------------------------ */

/* A passive leg's connect_ms runs from when the Remote is known: before,
 * the far end has not answered yet (a user accepting a chat takes long). */
static void
est_start(struct msrp_worker *wk, struct msrp_leg *l)
{
	if (l->t_est == 0 && wk->m->conf.connect_ms != 0 && remote_known(&l->spec))
		l->t_est = wk->now + wk->m->conf.connect_ms;
}

void
msrp_conn_add(struct msrp_worker *wk, struct msrp_leg *l, int fd)
{
	l->wk = wk;
	if (l->spec.setup == DP_MSRP_PASSIVE) {
		l->lfd = fd;
		l->state = MSRP_S_LISTEN;
		est_start(wk, l);
		if (msrp_conn_arm(wk, l) < 0) {
			est_timeout(wk, l);
			return;
		}
	} else {
		l->fd = fd;
		if (l->spec.connect_after_peer && (l->peer == NULL || l->peer->state != MSRP_S_UP))
			l->state = MSRP_S_WAIT_PEER;
		else
			msrp_conn_start_connect(wk, l);
	}
	leg_rearm(wk, l);
}

/* Start over with the unbound socket modify brought: bind it (and listen). */
static void
restart(struct msrp_worker *wk, struct msrp_leg *l, int *spare)
{
	struct sockaddr_storage ss;
	socklen_t sl = msrp_sockaddr(&l->spec.local, l->spec.local_port, &ss);
	bool passive = l->spec.setup == DP_MSRP_PASSIVE;

	conn_drop(wk, l, true);
	lst_close(l);
	l->state = MSRP_S_DEAD;
	if (*spare < 0 || bind(*spare, (struct sockaddr *)&ss, sl) < 0 ||
	    (passive && listen(*spare, MSRP_BACKLOG) < 0)) {
		msrp_count_fail(wk, l, DP_MSRP_R_RESOURCES, SEC_TLS_OK);
		msrp_ev(wk, l, DP_MSRP_EV_FAIL, DP_MSRP_R_RESOURCES, SEC_TLS_OK);
		msrp_timer_arm(wk, l, 0);
		return;
	}
	msrp_conn_add(wk, l, *spare);
	*spare = -1;
}

static bool
fp_same(const struct dp_msrp_leg_spec *a, const struct dp_msrp_leg_spec *b)
{
	unsigned int i;

	if (a->n_fp != b->n_fp)
		return false;
	for (i = 0; i < a->n_fp; i++)
		if (!sec_fp_equal(&a->fp[i], &b->fp[i]))
			return false;
	return true;
}

/* Does the live connection (or attempt) still match the leg's spec? */
static bool
still_matches(const struct msrp_leg *l, bool fps_changed)
{
	if (l->spec.setup == DP_MSRP_ACTIVE) {
		if (!msrp_ip_equal(&l->peer_ip, &l->spec.remote) ||
		    l->peer_port != l->spec.remote_port)
			return false;
	} else if (!gate_ok(&l->spec, &l->peer_ip)) {
		return false;
	}
	if (!l->spec.tls || !fps_changed)
		return true;
	/* A handshake in progress checks the old list: start it over. */
	if (l->state != MSRP_S_UP)
		return l->state == MSRP_S_CONNECTING;
	return msrp_tls_peer_matches(l, l->spec.fp, l->spec.n_fp);
}

void
msrp_conn_modify(struct msrp_worker *wk, struct msrp_leg *l, const struct dp_msrp_leg_spec *spec,
		 int spare)
{
	bool fps_changed = !fp_same(&l->spec, spec);

	/* local, local_port, setup and tls never change (control checked);
	 * frame_check applies from the next connection on. */
	l->spec.remote = spec->remote;
	l->spec.remote_port = spec->remote_port;
	l->spec.any_source = spec->any_source;
	l->spec.connect_after_peer = spec->connect_after_peer;
	l->spec.n_fp = spec->n_fp;
	memcpy(l->spec.fp, spec->fp, sizeof(l->spec.fp));
	l->spec.frame_check = spec->frame_check;
	l->spec.recv = spec->recv;
	l->spec.send = spec->send;
	if (l->detached)
		goto out;
	if (l->state == MSRP_S_LISTEN || l->state == MSRP_S_HELD || l->state == MSRP_S_HANDSHAKE)
		est_start(wk, l);
	switch (l->state) {
	case MSRP_S_UP:
		if (still_matches(l, fps_changed))
			break;
		msrp_leg_end(wk, l, false, DP_MSRP_R_REMOTE_CHANGED);
		restart(wk, l, &spare);
		break;
	case MSRP_S_CONNECTING:
	case MSRP_S_HANDSHAKE:
		if (still_matches(l, fps_changed))
			break;
		if (l->spec.setup == DP_MSRP_PASSIVE) {
			attempt_failed(wk, l, DP_MSRP_R_REMOTE_CHANGED, SEC_TLS_OK);
			break;
		}
		conn_drop(wk, l, true);
		msrp_count_fail(wk, l, DP_MSRP_R_REMOTE_CHANGED, SEC_TLS_OK);
		msrp_ev(wk, l, DP_MSRP_EV_FAIL, DP_MSRP_R_REMOTE_CHANGED, SEC_TLS_OK);
		restart(wk, l, &spare);
		break;
	case MSRP_S_HELD:
		release_held(wk, l);
		break;
	case MSRP_S_DEAD:
		restart(wk, l, &spare);
		break;
	default:
		/* listening or waiting: the new spec applies to what comes */
		leg_rearm(wk, l);
		break;
	}
	/* The Mode may have opened or closed a direction. */
	if (l->state == MSRP_S_UP)
		msrp_relay_kick(wk, l);
	if (l->peer != NULL && l->peer->state == MSRP_S_UP)
		msrp_relay_kick(wk, l->peer);
out:
	if (spare >= 0)
		close(spare);
}

void
msrp_conn_close(struct msrp_worker *wk, struct msrp_leg *l)
{
	struct msrp_leg *j = l->peer;

	if (j != NULL) {
		l->peer = NULL;
		j->peer = NULL;
	}
	if (!l->detached) {
		conn_drop(wk, l, false);
		lst_close(l);
		l->state = MSRP_S_DEAD;
		msrp_timer_arm(wk, l, 0);
	}
	msrp_ev_forget(l);
	l->detached = true;
	if (j != NULL)
		joined_end(wk, j, false);
}

void
msrp_conn_detach(struct msrp_worker *wk, struct msrp_leg *l)
{
	msrp_relay_unjoin(wk, l);
	if (l->fd_reg)
		(void)epoll_ctl(wk->epfd, EPOLL_CTL_DEL, l->fd, NULL);
	if (l->lfd_reg)
		(void)epoll_ctl(wk->epfd, EPOLL_CTL_DEL, l->lfd, NULL);
	l->fd_reg = l->lfd_reg = false;
	l->ev = l->lev = 0;
	msrp_timer_arm(wk, l, 0);
	msrp_unlink(&l->rnode);
	msrp_unlink(&l->pnode); /* its pend[] moves with it */
	if (l->state == MSRP_S_UP) {
		wk->st.up--;
		if (l->st.ktls)
			wk->st.ktls_legs--;
	}
	l->detached = true;
}

void
msrp_conn_attach(struct msrp_worker *wk, struct msrp_leg *l)
{
	l->detached = false;
	l->wk = wk;
	if (l->state == MSRP_S_UP) {
		wk->st.up++;
		if (l->st.ktls)
			wk->st.ktls_legs++;
		l->r_ready = l->w_ready = true;
	}
	if (l->n_pend > 0)
		msrp_list_add_tail(&wk->pending, &l->pnode);
	(void)msrp_conn_arm(wk, l);
	leg_rearm(wk, l);
}

void
msrp_conn_release(struct msrp_leg *l)
{
	if (l->ssl != NULL)
		msrp_tls_free(l);
	if (l->fd >= 0)
		rst_close(l->fd);
	if (l->lfd >= 0)
		close(l->lfd);
	free(l->tx);
	free(l->frame);
	free(l);
}
