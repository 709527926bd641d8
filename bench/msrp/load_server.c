/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * imsagw-msrp-load: the passive sides.
 *
 *   server  the core peer: listens on every port given, takes any number of
 *           connections (plain TCP, or TLS with --tls: a client certificate
 *           required, checked against --peer-fp when given), answers each
 *           SEND 200 OK and counts SENDs and payload bytes; --sink only
 *           counts the bytes. Runs until SIGTERM or --timeout.
 *   relay   a plain kernel TCP relay: each connection accepted on a port
 *           given is joined to a new connection to --to, bytes copied both
 *           ways, FIN passed on. The gateway's path without the gateway.
 */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "load.h"

#define EV_BATCH 1024
#define READ_MAX (256 * 1024)
#define OUT_HIGH (1024 * 1024) /* a peer that does not read: stop reading it */
#define RELAY_BUF (256 * 1024)

enum skind { K_LISTEN, K_SERVER, K_RELAY };

struct sconn {
	enum skind kind;
	int fd;
	SSL *ssl;
	bool handshaking, connecting, rx_eof, tx_shut;
	bool registered; /* with epoll */
	uint32_t events;
	struct lbuf in, out; /* relay: out = bytes for this socket */
	struct sconn *peer;  /* relay: the other socket */
	struct sconn *prev, *next; /* the server's open connections */
};

struct server {
	const struct load_opts *o;
	struct load_stats *st;
	SSL_CTX *ctx;
	int ep;
	struct sconn *listeners;
	struct sconn *conns; /* open connections, freed at the end */
	uint64_t open;
};

static void
set_events(struct server *sv, struct sconn *c, uint32_t ev)
{
	struct epoll_event e = { .events = ev, .data.ptr = c };

	if (c->registered && ev == c->events)
		return;
	if (epoll_ctl(sv->ep, c->registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c->fd, &e) == 0) {
		c->events = ev;
		c->registered = true;
	}
}

static void
conn_free(struct server *sv, struct sconn *c, bool clean)
{
	if (c->ssl != NULL) {
		if (clean)
			SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
	}
	close(c->fd);
	load_buf_free(&c->in);
	load_buf_free(&c->out);
	if (c->peer != NULL)
		c->peer->peer = NULL;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		sv->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	free(c);
	sv->open--;
	sv->st->closed++;
}

static int
flush(struct server *sv, struct sconn *c)
{
	while (c->out.len > c->out.off) {
		long w = load_write(c->fd, c->ssl, c->out.p + c->out.off, c->out.len - c->out.off);

		if (w < 0)
			return -1;
		if (w == 0)
			return 0;
		sv->st->wire_out += (uint64_t)w;
		load_buf_consume(&c->out, (size_t)w);
	}
	if (c->kind == K_SERVER)
		load_buf_free(&c->out);
	return 0;
}

/* ---- server ------------------------------------------------------------ */

static int
serve_requests(struct server *sv, struct sconn *c)
{
	struct load_stats *st = sv->st;

	while (c->in.len > c->in.off) {
		size_t used, body;
		bool is_send;
		int rc = load_msrp_request(c->in.p + c->in.off, c->in.len - c->in.off, &used, &body,
					   &is_send, &c->out);

		if (rc < 0)
			return -1;
		if (rc == 0)
			break;
		load_buf_consume(&c->in, used);
		st->sends += is_send;
		st->oks += is_send; /* each answered */
		st->payload_in += body;
	}
	if (c->in.len == 0)
		load_buf_free(&c->in);
	return 0;
}

static void
server_event(struct server *sv, struct sconn *c, uint32_t ev)
{
	if (c->handshaking) {
		int rc = SSL_do_handshake(c->ssl);

		if (rc != 1) {
			int e = SSL_get_error(c->ssl, rc);

			if (e == SSL_ERROR_WANT_READ)
				set_events(sv, c, EPOLLIN);
			else if (e == SSL_ERROR_WANT_WRITE)
				set_events(sv, c, EPOLLIN | EPOLLOUT);
			else {
				sv->st->fail_tls++;
				conn_free(sv, c, false);
			}
			return;
		}
		sv->st->handshakes++;
		c->handshaking = false;
		if (!load_tls_peer_ok(c->ssl, sv->o)) {
			sv->st->fail_fp++;
			conn_free(sv, c, false);
			return;
		}
		ev |= EPOLLIN; /* records may have come with the handshake */
	}
	if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
		size_t before = c->in.len - c->in.off;
		long r = load_read(c->fd, c->ssl, &c->in, READ_MAX);

		if (r > 0)
			sv->st->wire_in += (uint64_t)r;
		if (sv->o->sink) {
			load_buf_free(&c->in);
		} else if (c->in.len - c->in.off > before && serve_requests(sv, c) < 0) {
			sv->st->fail_proto++;
			conn_free(sv, c, false);
			return;
		}
		if (r < 0) {
			flush(sv, c);
			conn_free(sv, c, true);
			return;
		}
	}
	if (flush(sv, c) < 0) {
		conn_free(sv, c, false);
		return;
	}
	set_events(sv, c, (c->out.len - c->out.off < OUT_HIGH ? EPOLLIN : 0) |
				  (c->out.len > c->out.off ? EPOLLOUT : 0));
}

/* ---- relay ------------------------------------------------------------- */

/* What c may read: while its peer's queue has room and the peer is up. */
static void
relay_arm(struct server *sv, struct sconn *c)
{
	uint32_t ev = 0;

	if (c->connecting)
		ev = EPOLLOUT;
	else {
		if (!c->rx_eof && c->peer != NULL && !c->peer->connecting &&
		    c->peer->out.len - c->peer->out.off < RELAY_BUF)
			ev |= EPOLLIN;
		if (c->out.len > c->out.off)
			ev |= EPOLLOUT;
	}
	set_events(sv, c, ev); /* 0: still told of errors and hang-ups */
}

static void
relay_close_pair(struct server *sv, struct sconn *c)
{
	struct sconn *p = c->peer;

	conn_free(sv, c, false);
	if (p != NULL)
		conn_free(sv, p, false);
}

static void
relay_event(struct server *sv, struct sconn *c, uint32_t ev)
{
	struct sconn *p = c->peer;
	long r;

	if (c->connecting) {
		int err = 0;
		socklen_t l = sizeof(err);

		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l) < 0 || err != 0) {
			sv->st->fail_connect++;
			relay_close_pair(sv, c);
			return;
		}
		c->connecting = false;
	} else if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
		/* a reset, or a hang-up once we had the FIN already: both go */
		if (p == NULL || (ev & EPOLLERR) || (c->rx_eof && (ev & EPOLLHUP))) {
			relay_close_pair(sv, c);
			return;
		}
		r = load_read(c->fd, NULL, &p->out, RELAY_BUF);
		if (r > 0) {
			sv->st->wire_in += (uint64_t)r;
			sv->st->relayed += (uint64_t)r;
		}
		if (r < 0)
			c->rx_eof = true; /* FIN (a reset comes as EPOLLERR) */
	}
	if (flush(sv, c) < 0 || (p != NULL && flush(sv, p) < 0)) {
		relay_close_pair(sv, c);
		return;
	}
	/* FIN on: once what the other side sent has all been written here */
	if (p != NULL && p->rx_eof && !c->tx_shut && c->out.len == c->out.off) {
		shutdown(c->fd, SHUT_WR);
		c->tx_shut = true;
	}
	if (p != NULL && c->rx_eof && !p->tx_shut && p->out.len == p->out.off) {
		shutdown(p->fd, SHUT_WR);
		p->tx_shut = true;
	}
	if (c->tx_shut && c->rx_eof) {
		relay_close_pair(sv, c);
		return;
	}
	relay_arm(sv, c);
	if (p != NULL)
		relay_arm(sv, p);
}

/* ---- accept ------------------------------------------------------------ */

static struct sconn *
new_conn(struct server *sv, enum skind kind, int fd)
{
	struct sconn *c = calloc(1, sizeof(*c));

	if (c == NULL) {
		close(fd);
		return NULL;
	}
	c->kind = kind;
	c->fd = fd;
	c->next = sv->conns;
	if (sv->conns != NULL)
		sv->conns->prev = c;
	sv->conns = c;
	sv->open++;
	return c;
}

static void
accept_one(struct server *sv, int fd)
{
	const struct load_opts *o = sv->o;
	struct sconn *c, *p;
	int pfd;

	sv->st->accepted++;
	if (o->to_len == 0) {
		if ((c = new_conn(sv, K_SERVER, fd)) == NULL)
			return;
		if (sv->ctx != NULL) {
			c->ssl = SSL_new(sv->ctx);
			if (c->ssl == NULL || SSL_set_fd(c->ssl, fd) != 1) {
				sv->st->fail_tls++;
				conn_free(sv, c, false);
				return;
			}
			SSL_set_accept_state(c->ssl);
			c->handshaking = true;
		}
		set_events(sv, c, EPOLLIN);
		return;
	}
	pfd = load_connect(&o->to, o->to_len);
	if (pfd < 0) {
		sv->st->fail_connect++;
		close(fd);
		return;
	}
	c = new_conn(sv, K_RELAY, fd);
	p = c != NULL ? new_conn(sv, K_RELAY, pfd) : NULL;
	if (p == NULL) {
		if (c != NULL)
			conn_free(sv, c, false);
		else
			close(pfd);
		return;
	}
	c->peer = p;
	p->peer = c;
	p->connecting = true;
	relay_arm(sv, p);
	relay_arm(sv, c);
}

static void
acceptable(struct server *sv, int lfd)
{
	unsigned int i;

	for (i = 0; i < 64; i++) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		accept_one(sv, fd);
	}
}

static int
run(const struct load_opts *o, struct load_stats *st)
{
	struct server sv = { .o = o, .st = st };
	struct epoll_event ev[EV_BATCH];
	double t_start = load_now();
	uint32_t i;

	sv.ep = epoll_create1(EPOLL_CLOEXEC);
	sv.listeners = calloc(o->n_ports, sizeof(*sv.listeners));
	if (sv.ep < 0 || sv.listeners == NULL)
		return -1;
	if (o->tls && o->to_len == 0 && (sv.ctx = load_tls_ctx(o, true)) == NULL)
		return -1;
	for (i = 0; i < o->n_ports; i++) {
		struct sockaddr_storage ss = o->addr;
		struct sconn *l = &sv.listeners[i];

		load_set_port(&ss, o->ports[i]);
		l->kind = K_LISTEN;
		l->fd = load_listen(&ss, o->addr_len);
		if (l->fd < 0) {
			fprintf(stderr, "msrp-load: listen on port %u: %s\n", o->ports[i],
				strerror(-l->fd));
			return -1;
		}
		set_events(&sv, l, EPOLLIN);
	}
	printf("listening ports=%u\n", o->n_ports);
	fflush(stdout);
	while (!load_stop && load_now() - t_start < o->timeout) {
		int n = epoll_wait(sv.ep, ev, EV_BATCH, 50), k;

		for (k = 0; k < n; k++) {
			struct sconn *c = ev[k].data.ptr;

			if (c->kind == K_LISTEN)
				acceptable(&sv, c->fd);
			else if (c->kind == K_SERVER)
				server_event(&sv, c, ev[k].events);
			else
				relay_event(&sv, c, ev[k].events);
		}
	}
	st->t_active1 = load_now();
	st->t_first = t_start;
	while (sv.conns != NULL)
		conn_free(&sv, sv.conns, true);
	for (i = 0; i < o->n_ports; i++)
		close(sv.listeners[i].fd);
	free(sv.listeners);
	close(sv.ep);
	SSL_CTX_free(sv.ctx);
	return 0;
}

int
load_run_server(const struct load_opts *o, struct load_stats *st)
{
	return run(o, st);
}

int
load_run_relay(const struct load_opts *o, struct load_stats *st)
{
	return run(o, st);
}
