/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * imsagw-msrp-load: the UE side. Connection i goes to port i % n_ports of
 * the host (a gateway termination takes one connection on a port of its
 * own; a proxy takes them all on one). Phases:
 *
 *   setup   connections opened at --rate, at most --concurrency of them
 *           between connect() and "up"; each one: TCP connect, the TLS
 *           handshake (full: a fresh SSL, no cache, no tickets), the peer's
 *           fingerprint, then one small SEND that must come back 200 OK
 *           (--probe: the far end is reached and has authenticated us).
 *           --churn closes each connection once up (handshakes/s).
 *   hold    all up; with --pause, wait for SIGUSR1 (the caller measures).
 *   active  the first --active connections keep --window SENDs of --chunk
 *           payload bytes in flight, for --seconds or --chunks each; each
 *           200 OK must carry the tid of the oldest SEND of its connection.
 *   end     with --pause, wait for SIGUSR1 again; then close_notify and
 *           close every connection.
 * Everything is bounded by --timeout; a connection by --hs-timeout until up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>

#include "load.h"

#define EV_BATCH 1024
#define PROBE_BYTES 16
#define READ_MAX (256 * 1024)
#define DRAIN_SECONDS 10.0

enum cstate { C_NEW, C_CONNECTING, C_HANDSHAKE, C_PROBE, C_UP, C_DONE, C_FAILED };
enum phase { P_SETUP, P_HOLD, P_ACTIVE, P_DRAIN, P_END };

struct cconn {
	int fd;
	SSL *ssl;
	uint32_t idx;
	uint8_t state;
	bool active;
	uint32_t events; /* what epoll has for fd */
	double t0;	 /* connect() */
	struct lbuf in, out;
	uint32_t seq_next; /* SENDs made */
	uint32_t seq_ok;   /* responses taken: the next must carry tid seq_ok */
	size_t wpend;	   /* a TLS write that blocked: retry with this length */
};

struct client {
	const struct load_opts *o;
	struct load_stats *st;
	SSL_CTX *ctx;
	int ep;
	struct cconn *c;
	uint32_t opened, in_setup, finished; /* finished: up or failed */
	size_t record;			     /* bytes per write: one SEND frame */
	enum phase phase;
	uint64_t inflight; /* SENDs without their response, active phase */
};

static void
set_events(struct client *cl, struct cconn *c, uint32_t ev)
{
	struct epoll_event e = { .events = ev, .data.ptr = c };

	if (ev == c->events)
		return;
	if (epoll_ctl(cl->ep, c->events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, c->fd, &e) == 0)
		c->events = ev;
}

static bool
in_setup_state(const struct cconn *c)
{
	return c->state >= C_CONNECTING && c->state <= C_PROBE;
}

/* End a connection: close_notify on TLS, then close. */
static void
conn_close(struct client *cl, struct cconn *c, enum cstate to, uint64_t *reason)
{
	if (in_setup_state(c)) {
		cl->in_setup--;
		cl->finished++;
	}
	if (c->active && c->state == C_UP)
		cl->inflight -= c->seq_next - c->seq_ok;
	if (c->ssl != NULL) {
		if (to == C_DONE)
			SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->events = 0;
	c->state = (uint8_t)to;
	load_buf_free(&c->in);
	load_buf_free(&c->out);
	if (reason != NULL)
		(*reason)++;
	if (to == C_DONE)
		cl->st->closed++;
}

static void
conn_open(struct client *cl, uint32_t i)
{
	const struct load_opts *o = cl->o;
	struct cconn *c = &cl->c[i];
	struct sockaddr_storage ss = o->addr;

	c->idx = i;
	c->t0 = load_now();
	load_set_port(&ss, o->ports[i % o->n_ports]);
	cl->st->started++;
	if (cl->st->t_first == 0)
		cl->st->t_first = c->t0;
	c->fd = load_connect(&ss, o->addr_len);
	if (c->fd < 0) {
		cl->finished++;
		c->state = C_FAILED;
		cl->st->fail_connect++;
		return;
	}
	c->state = C_CONNECTING;
	cl->in_setup++;
	set_events(cl, c, EPOLLOUT);
}

/* Write what is queued; EPOLLOUT while some is left. @return -1 failed. */
static int
flush(struct client *cl, struct cconn *c)
{
	while (c->out.len > c->out.off) {
		size_t n = c->wpend ? c->wpend : c->out.len - c->out.off;
		long w;

		if (c->ssl != NULL && n > cl->record)
			n = cl->record;
		w = load_write(c->fd, c->ssl, c->out.p + c->out.off, n);
		if (w < 0)
			return -1;
		if (w == 0) {
			c->wpend = c->ssl != NULL ? n : 0;
			set_events(cl, c, EPOLLIN | EPOLLOUT);
			return 0;
		}
		c->wpend = 0;
		cl->st->wire_out += (uint64_t)w;
		load_buf_consume(&c->out, (size_t)w);
	}
	if (!c->active)
		load_buf_free(&c->out);
	set_events(cl, c, EPOLLIN);
	return 0;
}

static int
queue_send(struct client *cl, struct cconn *c, size_t len)
{
	if (load_msrp_send(&c->out, c->idx, c->seq_next, len) < 0)
		return -1;
	c->seq_next++;
	cl->st->sends++;
	cl->st->payload_out += len;
	return 0;
}

/* Keep the window full on an active connection. */
static int
refill(struct client *cl, struct cconn *c)
{
	const struct load_opts *o = cl->o;

	if (cl->phase != P_ACTIVE)
		return 0;
	while (c->seq_next - c->seq_ok < o->window &&
	       (o->chunks == 0 || c->seq_next - 1 < o->chunks)) {
		if (queue_send(cl, c, o->chunk) < 0)
			return -1;
		cl->inflight++;
		cl->st->payload_active += o->chunk;
	}
	return 0;
}

static void
mark_up(struct client *cl, struct cconn *c)
{
	struct load_stats *st = cl->st;
	double t = load_now();

	st->up++;
	st->t_last_up = t;
	st->setup_ms[st->n_setup++] = (t - c->t0) * 1e3;
	cl->in_setup--;
	cl->finished++;
	c->state = C_UP;
	if (cl->o->churn)
		conn_close(cl, c, C_DONE, NULL);
}

/* TCP (and TLS) up: the probe, or up at once. */
static int
connected(struct client *cl, struct cconn *c)
{
	if (!cl->o->probe) {
		mark_up(cl, c);
		return 0;
	}
	c->state = C_PROBE;
	if (queue_send(cl, c, PROBE_BYTES) < 0)
		return -1;
	return flush(cl, c);
}

static void
handshake(struct client *cl, struct cconn *c)
{
	int rc = SSL_do_handshake(c->ssl);

	if (rc == 1) {
		cl->st->handshakes++;
		if (SSL_session_reused(c->ssl))
			cl->st->resumed++;
		if (!load_tls_peer_ok(c->ssl, cl->o)) {
			conn_close(cl, c, C_FAILED, &cl->st->fail_fp);
			return;
		}
		if (connected(cl, c) < 0)
			conn_close(cl, c, C_FAILED, &cl->st->fail_probe);
		return;
	}
	switch (SSL_get_error(c->ssl, rc)) {
	case SSL_ERROR_WANT_READ:
		set_events(cl, c, EPOLLIN);
		break;
	case SSL_ERROR_WANT_WRITE:
		set_events(cl, c, EPOLLIN | EPOLLOUT);
		break;
	default:
		conn_close(cl, c, C_FAILED, &cl->st->fail_tls);
	}
}

static void
connecting(struct client *cl, struct cconn *c)
{
	int err = 0;
	socklen_t l = sizeof(err);

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l) < 0 || err != 0) {
		conn_close(cl, c, C_FAILED, &cl->st->fail_connect);
		return;
	}
	cl->st->connected++;
	if (cl->ctx == NULL) {
		if (connected(cl, c) < 0)
			conn_close(cl, c, C_FAILED, &cl->st->fail_probe);
		return;
	}
	c->ssl = SSL_new(cl->ctx);
	if (c->ssl == NULL || SSL_set_fd(c->ssl, c->fd) != 1) {
		conn_close(cl, c, C_FAILED, &cl->st->fail_tls);
		return;
	}
	SSL_set_connect_state(c->ssl);
	c->state = C_HANDSHAKE;
	handshake(cl, c);
}

/* Responses: in order, each with the tid of the oldest SEND. */
static int
responses(struct client *cl, struct cconn *c)
{
	struct load_stats *st = cl->st;

	while (c->in.len > c->in.off) {
		char tid[LOAD_TID_MAX], want[LOAD_TID_MAX];
		size_t used;
		int code, rc;

		rc = load_msrp_response(c->in.p + c->in.off, c->in.len - c->in.off, &used, &code, tid,
					sizeof(tid));
		if (rc < 0 || c->seq_ok == c->seq_next)
			return -1; /* not MSRP, or an answer to nothing */
		if (rc == 0)
			break;
		st->wire_in += used;
		load_buf_consume(&c->in, used);
		load_msrp_tid(want, sizeof(want), c->idx, c->seq_ok);
		if (strcmp(tid, want) != 0)
			st->bad_tid++;
		if (code == 200)
			st->oks++;
		else
			st->not_ok++;
		c->seq_ok++;
		if (c->state == C_PROBE) {
			mark_up(cl, c);
			if (c->state != C_UP)
				return 0; /* churned */
		} else if (c->active) {
			cl->inflight--;
		}
	}
	if (c->in.len == 0)
		load_buf_free(&c->in);
	return refill(cl, c);
}

static void
readable(struct client *cl, struct cconn *c)
{
	long r = load_read(c->fd, c->ssl, &c->in, READ_MAX);

	if (r < 0) {
		/* the far end closed or reset: during setup the probe failed
		 * (a TLS 1.3 server's alert comes here), later a live one */
		conn_close(cl, c, C_FAILED,
			   c->state == C_PROBE ? &cl->st->fail_probe : &cl->st->fail_closed);
		return;
	}
	if (responses(cl, c) < 0) {
		conn_close(cl, c, C_FAILED, &cl->st->fail_proto);
		return;
	}
	if (c->fd >= 0 && c->out.len > c->out.off && flush(cl, c) < 0)
		conn_close(cl, c, C_FAILED, &cl->st->fail_closed);
}

static void
handle(struct client *cl, struct cconn *c, uint32_t ev)
{
	switch (c->state) {
	case C_CONNECTING:
		connecting(cl, c);
		break;
	case C_HANDSHAKE:
		handshake(cl, c);
		break;
	case C_PROBE:
	case C_UP:
		if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP))
			readable(cl, c);
		if (c->fd >= 0 && (ev & EPOLLOUT) && flush(cl, c) < 0)
			conn_close(cl, c, C_FAILED, &cl->st->fail_closed);
		break;
	default:
		break;
	}
}

static void
expire(struct client *cl, double now)
{
	uint32_t i;

	for (i = 0; i < cl->opened; i++)
		if (in_setup_state(&cl->c[i]) && now - cl->c[i].t0 > cl->o->hs_timeout)
			conn_close(cl, &cl->c[i], C_FAILED, &cl->st->fail_timeout);
}

static void
open_more(struct client *cl, double now, double t_start)
{
	const struct load_opts *o = cl->o;
	double allowed = o->rate > 0 ? (now - t_start) * o->rate + 1 : (double)o->conns;

	while (cl->opened < o->conns && cl->opened < allowed && cl->in_setup < o->concurrency)
		conn_open(cl, cl->opened++);
}

static void
start_active(struct client *cl)
{
	uint32_t i, n = 0;

	cl->phase = P_ACTIVE;
	cl->st->t_active0 = load_now();
	for (i = 0; i < cl->o->conns && n < cl->o->active; i++) {
		struct cconn *c = &cl->c[i];

		if (c->state != C_UP)
			continue;
		c->active = true;
		n++;
		if (refill(cl, c) < 0 || flush(cl, c) < 0)
			conn_close(cl, c, C_FAILED, &cl->st->fail_closed);
	}
}

static void
say(const char *what, const struct load_stats *st)
{
	printf("phase %s up=%llu failed=%llu fail_connect=%llu fail_tls=%llu fail_fp=%llu "
	       "fail_probe=%llu fail_timeout=%llu fail_proto=%llu fail_closed=%llu\n",
	       what, (unsigned long long)st->up,
	       (unsigned long long)(st->fail_connect + st->fail_tls + st->fail_fp + st->fail_probe +
				    st->fail_timeout + st->fail_proto + st->fail_closed),
	       (unsigned long long)st->fail_connect, (unsigned long long)st->fail_tls,
	       (unsigned long long)st->fail_fp, (unsigned long long)st->fail_probe,
	       (unsigned long long)st->fail_timeout, (unsigned long long)st->fail_proto,
	       (unsigned long long)st->fail_closed);
	fflush(stdout);
}

/* With --pause, a phase waits for SIGUSR1 (the caller measures then). */
static bool
paused(const struct client *cl)
{
	return cl->o->pause && !load_go;
}

static void
end_active(struct client *cl)
{
	say("done", cl->st);
	cl->phase = P_END;
	load_go = 0;
}

/* One step of the phases; false once the run is over. */
static bool
advance(struct client *cl, double now)
{
	const struct load_opts *o = cl->o;
	struct load_stats *st = cl->st;

	switch (cl->phase) {
	case P_SETUP:
		if (cl->finished < o->conns)
			return true;
		if (o->churn) {
			cl->phase = P_END;
			return false;
		}
		say("up", st);
		cl->phase = P_HOLD;
		load_go = 0;
		return true;
	case P_HOLD:
		if (paused(cl))
			return true;
		if (o->active == 0)
			end_active(cl);
		else
			start_active(cl);
		return true;
	case P_ACTIVE:
		if (o->chunks == 0 ? now - st->t_active0 < o->seconds : cl->inflight > 0)
			return true;
		cl->phase = P_DRAIN; /* refill makes no more SENDs */
		st->t_active1 = now;
		return true;
	case P_DRAIN:
		if (cl->inflight > 0 && now - st->t_active1 < DRAIN_SECONDS)
			return true;
		st->t_active1 = now;
		end_active(cl);
		return true;
	case P_END:
		return paused(cl);
	}
	return false;
}

int
load_run_client(const struct load_opts *o, struct load_stats *st)
{
	struct client cl = { .o = o, .st = st, .ep = -1 };
	struct epoll_event ev[EV_BATCH];
	double t_start = load_now(), t_scan = t_start;
	uint32_t i;
	int rc = 0;

	cl.c = calloc(o->conns, sizeof(*cl.c));
	st->setup_ms = calloc(o->conns, sizeof(*st->setup_ms));
	cl.ep = epoll_create1(EPOLL_CLOEXEC);
	if (cl.c == NULL || st->setup_ms == NULL || cl.ep < 0) {
		fprintf(stderr, "msrp-load: out of memory\n");
		return -1;
	}
	for (i = 0; i < o->conns; i++)
		cl.c[i].fd = -1;
	if (o->tls && (cl.ctx = load_tls_ctx(o, false)) == NULL)
		return -1;
	{
		/* every chunk's frame has the same length: one TLS record each */
		struct lbuf one = { 0 };

		cl.record = (size_t)load_msrp_send(&one, 0, 0, o->chunk);
		load_buf_free(&one);
	}
	while (!load_stop) {
		double now = load_now();
		int n, k;

		if (now - t_start > o->timeout) {
			fprintf(stderr, "msrp-load: timeout (%.0f s) in phase %d\n", o->timeout,
				(int)cl.phase);
			rc = -1;
			break;
		}
		if (cl.phase == P_SETUP)
			open_more(&cl, now, t_start);
		if (!advance(&cl, now))
			break;
		n = epoll_wait(cl.ep, ev, EV_BATCH, cl.phase == P_SETUP && o->rate > 0 ? 1 : 10);
		for (k = 0; k < n; k++)
			handle(&cl, ev[k].data.ptr, ev[k].events);
		if (now - t_scan > 0.1) {
			t_scan = now;
			if (cl.phase == P_SETUP)
				expire(&cl, now);
		}
	}
	if (load_stop && cl.phase != P_END)
		rc = -1;
	for (i = 0; i < o->conns; i++)
		if (cl.c[i].fd >= 0)
			conn_close(&cl, &cl.c[i], C_DONE, NULL);
	free(cl.c);
	close(cl.ep);
	SSL_CTX_free(cl.ctx);
	return rc;
}
