/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers of the MSRP relay's unit tests: a relay over loopback in the
 * test's own namespace, the events it posted (kept in a log the tests
 * search), client sockets that move data in odd-sized pieces without
 * blocking, ports from a high range per process, and an fd count.
 *
 * Every wait is bounded (MT_WAIT_MS unless told) and drives the relay:
 * dp_msrp_poll() when it runs on the test's thread, nothing when a worker
 * lcore does.
 */
#ifndef IMSAGW_MSRP_TEST_H
#define IMSAGW_MSRP_TEST_H

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "cfg.h"
#include "dp_msrp.h"

#define MT_WAIT_MS 5000
#define MT_LOG_MAX 8192

struct mt {
	struct dp_msrp *m;
	bool lcore;                           /* a worker lcore runs it */
	struct dp_msrp_event log[MT_LOG_MAX];
	bool used[MT_LOG_MAX];
	unsigned int n_log;
};

static inline uint64_t
mt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static inline struct dp_msrp_conf
mt_conf(void)
{
	struct dp_msrp_conf c = {
		.netns = NULL,
		.n_workers = 0,
		.max_legs = 64,
		.buf_bytes = 65536,
		.connect_ms = 5000,
		.handshake_ms = 2000,
		.idle_ms = 0,
		.max_header_bytes = 4096,
		.max_chunk_bytes = 65536,
	};
	return c;
}

/* A relay for a test; lcore: its workers run on lcores (started here). */
static inline struct mt *
mt_new(const struct dp_msrp_conf *c)
{
	char err[256] = "";
	struct mt *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->lcore = c->n_workers > 0;
	t->m = dp_msrp_create(c, err, sizeof(err));
	if (t->m == NULL || dp_msrp_start(t->m) != 0) {
		fprintf(stderr, "\n  dp_msrp_create/start: %s\n", err);
		dp_msrp_destroy(t->m);
		free(t);
		return NULL;
	}
	return t;
}

static inline void
mt_free(struct mt *t)
{
	if (t == NULL)
		return;
	dp_msrp_destroy(t->m);
	free(t);
}

/* One round of the relay and its events into the log. */
static inline void
mt_pump(struct mt *t)
{
	struct dp_msrp_event ev[64];
	unsigned int n, i;

	if (!t->lcore)
		dp_msrp_poll(t->m);
	else
		usleep(200);
	n = dp_msrp_events(t->m, ev, 64);
	for (i = 0; i < n && t->n_log < MT_LOG_MAX; i++)
		t->log[t->n_log++] = ev[i];
}

/* Run the relay for ms milliseconds. */
static inline void
mt_run(struct mt *t, unsigned int ms)
{
	uint64_t end = mt_now_ms() + ms;

	while (mt_now_ms() < end) {
		mt_pump(t);
		usleep(500);
	}
}

/* The first unconsumed event of leg of type, waiting up to ms. */
static inline bool
mt_wait_ev(struct mt *t, uint32_t leg, enum dp_msrp_ev_type type, unsigned int ms,
	   struct dp_msrp_event *out)
{
	uint64_t end = mt_now_ms() + ms;

	for (;;) {
		unsigned int i;

		for (i = 0; i < t->n_log; i++) {
			if (t->used[i] || t->log[i].leg != leg || t->log[i].type != type)
				continue;
			t->used[i] = true;
			if (out != NULL)
				*out = t->log[i];
			return true;
		}
		if (mt_now_ms() >= end)
			return false;
		mt_pump(t);
		usleep(200);
	}
}

/* How many events of leg of type (reason, or any when r < 0) the log holds. */
static inline unsigned int
mt_count_ev(const struct mt *t, uint32_t leg, enum dp_msrp_ev_type type, int r)
{
	unsigned int i, n = 0;

	for (i = 0; i < t->n_log; i++)
		if (t->log[i].leg == leg && t->log[i].type == type &&
		    (r < 0 || (int)t->log[i].reason == r))
			n++;
	return n;
}

/* Ports from a high range below the ephemeral one, a block per process. */
static inline uint16_t
mt_port(void)
{
	static unsigned int next;

	return (uint16_t)(20000 + (getpid() % 500) * 20 + (next++ % 20));
}

static inline struct dp_msrp_leg_spec
mt_spec(enum dp_msrp_setup setup, const char *remote)
{
	struct dp_msrp_leg_spec s;

	memset(&s, 0, sizeof(s));
	(void)cfg_parse_ip("127.0.0.1", AF_INET, &s.local, NULL, 0);
	if (remote != NULL)
		(void)cfg_parse_ip(remote, AF_INET, &s.remote, NULL, 0);
	s.setup = setup;
	s.recv = s.send = true;
	return s;
}

/* Open a leg on the next free port of the block (passive: it listens). */
static inline int
mt_open(struct mt *t, struct dp_msrp_leg_spec *s, uint64_t cookie, uint32_t *leg)
{
	unsigned int i;
	int rc = -EADDRINUSE;

	for (i = 0; i < 40 && rc == -EADDRINUSE; i++) {
		s->local_port = mt_port();
		rc = dp_msrp_leg_open(t->m, s, cookie, leg);
	}
	return rc;
}

static inline void
mt_sin(struct sockaddr_in *sa, const char *ip, uint16_t port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(port);
	inet_pton(AF_INET, ip, &sa->sin_addr);
}

/* A client connected to 127.0.0.1:port from src (NULL: 127.0.0.1), then
 * non-blocking. @return fd or -1. */
static inline int
mt_connect(const char *src, uint16_t port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -1;
	if (src != NULL) {
		mt_sin(&sa, src, 0);
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			close(fd);
			return -1;
		}
	}
	mt_sin(&sa, "127.0.0.1", port);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

/* A listening test server on 127.0.0.1. @return fd, *port set. */
static inline int
mt_listen(uint16_t *port)
{
	struct sockaddr_in sa;
	unsigned int i;
	int one = 1;

	for (i = 0; i < 40; i++) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		*port = mt_port();
		mt_sin(&sa, "127.0.0.1", *port);
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 && listen(fd, 8) == 0) {
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
			return fd;
		}
		close(fd);
	}
	return -1;
}

/* Accept on a test server, driving the relay, up to ms. @return fd or -1. */
static inline int
mt_accept(struct mt *t, int lfd, unsigned int ms)
{
	uint64_t end = mt_now_ms() + ms;

	for (;;) {
		int fd = accept(lfd, NULL, NULL);

		if (fd >= 0) {
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
			return fd;
		}
		if (mt_now_ms() >= end)
			return -1;
		mt_pump(t);
		usleep(200);
	}
}

/* One end of a transfer: what it sends (in pieces of 1..7919 bytes) and
 * what it has received; over TLS when ssl is set. */
struct mt_end {
	int fd;
	SSL *ssl;
	size_t wpend;                         /* TLS: a write to retry as is */
	const uint8_t *out;
	size_t out_len, out_off;
	bool shut_after;                      /* shutdown(SHUT_WR) once sent */
	bool shut_done;
	uint8_t *in;
	size_t in_cap, in_len;
	bool eof;
	int err;                              /* recv's errno, 0 */
	unsigned int seed;
	unsigned int blocked;                 /* sends that returned EAGAIN */
};

static inline void
mt_end_init(struct mt_end *e, int fd, const uint8_t *out, size_t out_len, size_t in_cap,
	    unsigned int seed)
{
	memset(e, 0, sizeof(*e));
	e->fd = fd;
	e->out = out;
	e->out_len = out_len;
	e->in_cap = in_cap;
	e->in = in_cap > 0 ? malloc(in_cap) : NULL;
	e->seed = seed;
}

static inline ssize_t
mt_end_send(struct mt_end *e, size_t piece)
{
	int r, err;

	if (e->ssl == NULL) {
		ssize_t n = send(e->fd, e->out + e->out_off, piece, MSG_DONTWAIT | MSG_NOSIGNAL);

		return n < 0 ? -errno : n;
	}
	if (e->wpend != 0)
		piece = e->wpend; /* SSL_write: retried with the same length */
	r = SSL_write(e->ssl, e->out + e->out_off, (int)piece);
	if (r > 0) {
		e->wpend = 0;
		return r;
	}
	err = SSL_get_error(e->ssl, r);
	ERR_clear_error();
	if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
		e->wpend = piece;
		return -EAGAIN;
	}
	return -EPIPE;
}

static inline ssize_t
mt_end_recv(struct mt_end *e, uint8_t *p, size_t n)
{
	int r, err;

	if (e->ssl == NULL) {
		ssize_t k = recv(e->fd, p, n, MSG_DONTWAIT);

		return k < 0 ? -errno : k;
	}
	r = SSL_read(e->ssl, p, (int)n);
	if (r > 0)
		return r;
	err = SSL_get_error(e->ssl, r);
	ERR_clear_error();
	if (err == SSL_ERROR_ZERO_RETURN)
		return 0;
	if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
		return -EAGAIN;
	return -ECONNRESET;
}

static inline void
mt_end_io(struct mt_end *e, bool do_recv)
{
	unsigned int i;

	if (e->out_off < e->out_len) {
		size_t piece = 1 + (size_t)(rand_r(&e->seed) % 7919);
		ssize_t n;

		if (piece > e->out_len - e->out_off)
			piece = e->out_len - e->out_off;
		n = mt_end_send(e, piece);
		if (n > 0)
			e->out_off += (size_t)n;
		else if (n == -EAGAIN)
			e->blocked++;
	} else if (e->shut_after && !e->shut_done) {
		if (e->ssl != NULL)
			(void)SSL_shutdown(e->ssl); /* close_notify */
		else
			shutdown(e->fd, SHUT_WR);
		ERR_clear_error();
		e->shut_done = true;
	}
	for (i = 0; do_recv && i < 8 && !e->eof && e->err == 0; i++) {
		size_t room = e->in_cap - e->in_len;
		uint8_t sink[4096];
		ssize_t n;

		n = mt_end_recv(e, room > 0 ? e->in + e->in_len : sink,
				room > 0 ? room : sizeof(sink));
		if (n > 0) {
			if (room > 0)
				e->in_len += (size_t)n;
		} else if (n == 0) {
			e->eof = true;
		} else {
			if (n != -EAGAIN)
				e->err = (int)-n;
			break;
		}
	}
}

static inline void
mt_end_fini(struct mt_end *e)
{
	free(e->in);
	e->in = NULL;
}

/* Move both ends' data until each sent everything and received want
 * bytes (and EOF when want_eof), or ms passed. @return true when done. */
static inline bool
mt_xfer(struct mt *t, struct mt_end *a, struct mt_end *b, size_t a_want, size_t b_want,
	bool want_eof, unsigned int ms)
{
	uint64_t end = mt_now_ms() + ms;

	for (;;) {
		mt_end_io(a, true);
		mt_end_io(b, true);
		mt_pump(t);
		if (a->out_off == a->out_len && b->out_off == b->out_len && a->in_len >= a_want &&
		    b->in_len >= b_want && (!want_eof || (a->eof && b->eof)))
			return true;
		if (mt_now_ms() >= end)
			return false;
	}
}

static inline uint8_t *
mt_pattern(size_t len, unsigned int seed)
{
	uint8_t *p = malloc(len);
	size_t i;

	for (i = 0; p != NULL && i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (uint8_t)(seed >> 16);
	}
	return p;
}

static inline void
mt_sha256(const uint8_t *p, size_t n, uint8_t md[32])
{
	unsigned int len = 32;

	EVP_Digest(p, n, md, &len, EVP_sha256(), NULL);
}

static inline bool
mt_same(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	uint8_t ma[32], mb[32];

	if (alen != blen)
		return false;
	mt_sha256(a, alen, ma);
	mt_sha256(b, blen, mb);
	return memcmp(ma, mb, 32) == 0 && memcmp(a, b, alen) == 0;
}

static inline unsigned int
mt_fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	unsigned int n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory's own fd */
}

/* Read what is there now, without blocking. @return bytes, 0 EOF, -errno. */
static inline ssize_t
mt_recv_now(int fd, uint8_t *p, size_t n)
{
	ssize_t r = recv(fd, p, n, MSG_DONTWAIT);

	return r < 0 ? -errno : r;
}

#endif /* IMSAGW_MSRP_TEST_H */
