/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A small MGC over UDP (see iq_mgc.h): the library part of imsagw-mgc and
 * bench/iq. Requests are written as pretty text, checked by our decoder and
 * encoded in the chosen layout.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "iq_mgc.h"

#define ACK_MAX 256

struct iq_mgc {
	int fd;
	struct sockaddr_storage mg;
	socklen_t mg_len;
	char mid[80];
	enum h248_layout layout;
	uint32_t next_tid;
	uint32_t acks[ACK_MAX];   /* replies to acknowledge with the next request */
	unsigned int n_acks;
	uint64_t mg_requests;
	char txt[65536];
	char out[65536];
	uint64_t mem[1 << 14];
};

static int
parse_hostport(const char *s, struct sockaddr_storage *ss, socklen_t *sl)
{
	char host[64];
	const char *colon;
	unsigned long port;
	size_t n;

	memset(ss, 0, sizeof(*ss));
	if (s[0] == '[') {
		const char *e = strchr(s, ']');

		if (e == NULL || e[1] != ':')
			return -EINVAL;
		n = (size_t)(e - s - 1);
		colon = e + 1;
		if (n >= sizeof(host))
			return -EINVAL;
		memcpy(host, s + 1, n);
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return -EINVAL;
		n = (size_t)(colon - s);
		if (n >= sizeof(host))
			return -EINVAL;
		memcpy(host, s, n);
	}
	host[n] = '\0';
	port = strtoul(colon + 1, NULL, 10);
	if (port == 0 || port > 65535)
		return -EINVAL;
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)(void *)ss)->sin_addr) == 1) {
		((struct sockaddr_in *)(void *)ss)->sin_family = AF_INET;
		((struct sockaddr_in *)(void *)ss)->sin_port = htons((uint16_t)port);
		*sl = sizeof(struct sockaddr_in);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)(void *)ss)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)(void *)ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)(void *)ss)->sin6_port = htons((uint16_t)port);
		*sl = sizeof(struct sockaddr_in6);
		return 0;
	}
	return -EINVAL;
}

struct iq_mgc *
iq_mgc_open(const struct iq_mgc_cfg *cfg, char *err, size_t errlen)
{
	struct sockaddr_storage b;
	socklen_t bl;
	struct iq_mgc *m = calloc(1, sizeof(*m));
	int sz = 4 << 20;

	if (m == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	m->fd = -1;
	if (parse_hostport(cfg->bind, &b, &bl) < 0 || parse_hostport(cfg->mg, &m->mg, &m->mg_len) < 0) {
		snprintf(err, errlen, "bad address (want IP:PORT or [IPv6]:PORT)");
		goto fail;
	}
	m->fd = socket(b.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (m->fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		goto fail;
	}
	setsockopt(m->fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (bind(m->fd, (struct sockaddr *)&b, bl) < 0) {
		snprintf(err, errlen, "bind %s: %s", cfg->bind, strerror(errno));
		goto fail;
	}
	if (cfg->mid != NULL)
		snprintf(m->mid, sizeof(m->mid), "%s", cfg->mid);
	else if (cfg->bind[0] == '[')
		snprintf(m->mid, sizeof(m->mid), "%s", cfg->bind);
	else
		snprintf(m->mid, sizeof(m->mid), "[%.*s]%s",
			 (int)(strrchr(cfg->bind, ':') - cfg->bind), cfg->bind,
			 strrchr(cfg->bind, ':'));
	m->layout = cfg->layout;
	m->next_tid = 1;
	{
		/* Distinct TransactionIDs per run: a gateway still holding
		 * replies of an earlier run must not answer from its cache. */
		struct timespec ts;

		/* Microseconds: a run never sends faster than 1e6 requests/s,
		 * so a later run starts above every id an earlier one used. */
		clock_gettime(CLOCK_REALTIME, &ts);
		m->next_tid = (uint32_t)(((uint64_t)ts.tv_sec * 1000000u +
					  (uint64_t)ts.tv_nsec / 1000u) & 0x7fffffffu) + 1u;
	}
	return m;
fail:
	iq_mgc_close(m);
	return NULL;
}

void
iq_mgc_close(struct iq_mgc *m)
{
	if (m == NULL)
		return;
	if (m->fd >= 0)
		close(m->fd);
	free(m);
}

uint64_t
iq_mgc_mg_requests(const struct iq_mgc *m)
{
	return m->mg_requests;
}

int
iq_mgc_send_raw(struct iq_mgc *m, const char *text, size_t len)
{
	return sendto(m->fd, text, len, 0, (struct sockaddr *)&m->mg, m->mg_len) < 0 ? -errno : 0;
}

/* Encode pretty text in our layout and send it. */
static int
send_text(struct iq_mgc *m, const char *text, size_t n)
{
	struct h248_message *msg;
	struct h248_error e;
	struct iq_arena a;
	size_t len;

	iq_arena_init(&a, m->mem, sizeof(m->mem));
	if (h248_decode(text, n, &a, NULL, &msg, &e) < 0) {
		fprintf(stderr, "iq_mgc: our request does not decode: %s at %u\n", e.reason, e.offset);
		return -EINVAL;
	}
	if (h248_encode(msg, m->layout, m->out, sizeof(m->out), &len) < 0)
		return -EINVAL;
	return iq_mgc_send_raw(m, m->out, len);
}

int
iq_mgc_send(struct iq_mgc *m, const char *actions, uint32_t *tid)
{
	size_t n;
	unsigned int i;

	n = (size_t)snprintf(m->txt, sizeof(m->txt), "MEGACO/3 %s\n", m->mid);
	if (m->n_acks > 0) {
		n += (size_t)snprintf(m->txt + n, sizeof(m->txt) - n, "TransactionResponseAck { ");
		for (i = 0; i < m->n_acks && n < sizeof(m->txt); i++)
			n += (size_t)snprintf(m->txt + n, sizeof(m->txt) - n, "%s%u", i ? ", " : "",
					      m->acks[i]);
		n += (size_t)snprintf(m->txt + n, sizeof(m->txt) - n, " }\n");
		m->n_acks = 0;
	}
	*tid = m->next_tid++;
	n += (size_t)snprintf(m->txt + n, sizeof(m->txt) - n, "Transaction = %u {\n%s\n}\n", *tid,
			      actions);
	if (n >= sizeof(m->txt))
		return -E2BIG;
	return send_text(m, m->txt, n);
}

int
iq_mgc_recv_raw(struct iq_mgc *m, int timeout_ms, struct iq_mgc_msg *out)
{
	struct pollfd p = { .fd = m->fd, .events = POLLIN };
	struct h248_error e;
	ssize_t n;

	if (poll(&p, 1, timeout_ms) <= 0)
		return -ETIMEDOUT;
	n = recv(m->fd, out->text, sizeof(out->text) - 1, 0);
	if (n < 0)
		return -errno;
	out->len = (size_t)n;
	out->text[n] = '\0';
	out->msg = NULL;
	out->txn = NULL;
	iq_arena_init(&out->arena, out->mem, sizeof(out->mem));
	if (h248_decode(out->text, out->len, &out->arena, NULL, &out->msg, &e) < 0)
		return -EBADMSG;
	return 0;
}

/* Answer a request from the MG: ServiceChange (echo version/profile) or
 * Notify (empty reply). */
static void
answer_mg(struct iq_mgc *m, const struct h248_transaction *t)
{
	const struct h248_action *a = t->actions;
	const struct h248_command *c = a != NULL ? a->cmds : NULL;
	char body[1024];
	size_t n;

	m->mg_requests++;
	if (c != NULL && c->type == H248_CMD_SERVICECHANGE)
		n = (size_t)snprintf(body, sizeof(body),
				     "MEGACO/3 %s\nReply = %u { Context = - { ServiceChange = ROOT "
				     "{ Services { Version = 3 } } } }\n",
				     m->mid, t->id);
	else if (c != NULL && c->type == H248_CMD_NOTIFY)
		n = (size_t)snprintf(body, sizeof(body),
				     "MEGACO/3 %s\nReply = %u { Context = %s { Notify = %.*s } }\n",
				     m->mid, t->id, a->ctx_id == H248_CTX_NULL ? "-" : "", (int)c->tid.len,
				     c->tid.p);
	else
		n = (size_t)snprintf(body, sizeof(body),
				     "MEGACO/3 %s\nReply = %u { Error = 501 { \"Not Implemented\" } }\n",
				     m->mid, t->id);
	if (c != NULL && c->type == H248_CMD_NOTIFY && a->ctx_id != H248_CTX_NULL)
		n = (size_t)snprintf(body, sizeof(body),
				     "MEGACO/3 %s\nReply = %u { Context = %u { Notify = %.*s } }\n",
				     m->mid, t->id, a->ctx_id, (int)c->tid.len, c->tid.p);
	if (n < sizeof(body))
		send_text(m, body, n);
}

int
iq_mgc_wait_register(struct iq_mgc *m, int timeout_ms, struct iq_mgc_msg *sc)
{
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		int left, rc;

		clock_gettime(CLOCK_MONOTONIC, &t1);
		left = timeout_ms - (int)((t1.tv_sec - t0.tv_sec) * 1000 +
					  (t1.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0)
			return -ETIMEDOUT;
		rc = iq_mgc_recv_raw(m, left, sc);
		if (rc == -ETIMEDOUT)
			return rc;
		if (rc < 0 || sc->msg == NULL)
			continue;
		for (sc->txn = sc->msg->txns; sc->txn != NULL; sc->txn = sc->txn->next)
			if (sc->txn->type == H248_TXN_REQUEST) {
				const struct h248_command *c =
					sc->txn->actions ? sc->txn->actions->cmds : NULL;

				answer_mg(m, sc->txn);
				if (c != NULL && c->type == H248_CMD_SERVICECHANGE)
					return 0;
			}
	}
}

int
iq_mgc_recv(struct iq_mgc *m, int timeout_ms, struct iq_mgc_msg *out)
{
	for (;;) {
		const struct h248_transaction *t;
		int rc = iq_mgc_recv_raw(m, timeout_ms, out);

		if (rc < 0)
			return rc;
		for (t = out->msg->txns; t != NULL; t = t->next) {
			if (t->type == H248_TXN_REQUEST) {
				answer_mg(m, t);
			} else if (t->type == H248_TXN_REPLY) {
				if (m->n_acks < ACK_MAX)
					m->acks[m->n_acks++] = t->id;
				out->txn = t;
			}
		}
		if (out->txn != NULL)
			return 0;
		if (out->msg->error != NULL)
			return 0; /* message-level error: the caller looks at msg */
	}
}

int
iq_mgc_call(struct iq_mgc *m, const char *actions, int timeout_ms, struct iq_mgc_msg *out)
{
	uint32_t tid;
	int rc = iq_mgc_send(m, actions, &tid);

	if (rc < 0)
		return rc;
	for (;;) {
		rc = iq_mgc_recv(m, timeout_ms, out);
		if (rc < 0)
			return rc;
		if (out->txn == NULL || out->txn->id == tid)
			return 0;
	}
}

uint16_t
iq_mgc_reply_error(const struct h248_transaction *t)
{
	const struct h248_action *a;

	if (t == NULL)
		return 400;
	if (t->error != NULL)
		return t->error->code;
	for (a = t->actions; a != NULL; a = a->next)
		if (a->error != NULL)
			return a->error->code;
	return 0;
}
