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
#include "sdes.h"

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
	char redirect[80];        /* MgcIdToTry for the next ServiceChange reply */
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
	if (c != NULL && c->type == H248_CMD_SERVICECHANGE && m->redirect[0] != '\0') {
		n = (size_t)snprintf(body, sizeof(body),
				     "MEGACO/3 %s\nReply = %u { Context = - { ServiceChange = ROOT "
				     "{ Services { MgcIdToTry = %s } } } }\n",
				     m->mid, t->id, m->redirect);
		m->redirect[0] = '\0';
	} else if (c != NULL && c->type == H248_CMD_SERVICECHANGE)
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
iq_mgc_set_redirect(struct iq_mgc *m, const char *mgc_mid)
{
	snprintf(m->redirect, sizeof(m->redirect), "%s", mgc_mid != NULL ? mgc_mid : "");
	return 0;
}

int
iq_mgc_wait_request(struct iq_mgc *m, int timeout_ms, struct iq_mgc_msg *out)
{
	for (;;) {
		int rc = iq_mgc_recv_raw(m, timeout_ms, out);

		if (rc == -ETIMEDOUT)
			return rc;
		if (rc < 0 || out->msg == NULL)
			continue;
		for (out->txn = out->msg->txns; out->txn != NULL; out->txn = out->txn->next)
			if (out->txn->type == H248_TXN_REQUEST) {
				answer_mg(m, out->txn);
				return 0;
			}
	}
}

/* The MGC side's clock. It cannot use control's ctl_now_ms(): this file
 * is iq's pure half (the MGC end of the wire links no gateway module,
 * tests/layering.py), and it times latencies in microseconds. */
static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int
iq_mgc_wait_register(struct iq_mgc *m, int timeout_ms, struct iq_mgc_msg *sc)
{
	uint64_t t0 = now_us();

	for (;;) {
		int left, rc;

		left = timeout_ms - (int)((now_us() - t0) / 1000u);
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

/* A UE key line for e2ae: a fresh key the UE would send with. */
int
iq_mgc_ue_crypto(const char *suite, char *line, size_t len)
{
	const struct sec_suite *su = sec_suite_by_name(suite, strlen(suite));
	struct sdes_crypto k;
	int rc;

	if (su == NULL || sdes_generate(su->id, NULL, &k) < 0)
		return -EINVAL;
	rc = sdes_format(&k, line, len);
	sdes_crypto_clear(&k);
	return rc < 0 ? rc : 0;
}

static int
split_hp(const char *s, char *ip, size_t iplen, unsigned int *port)
{
	const char *c = strrchr(s, ':');
	size_t n;

	if (c == NULL)
		return -EINVAL;
	n = (size_t)(c - s);
	if (s[0] == '[' && n >= 2) {
		s++;
		n -= 2;
	}
	snprintf(ip, iplen, "%.*s", (int)n, s);
	*port = (unsigned int)strtoul(c + 1, NULL, 10);
	return 0;
}

static const char *
ipver(const char *ip)
{
	return strchr(ip, ':') != NULL ? "IP6" : "IP4";
}

int
iq_mgc_call_actions(char *buf, size_t len, const char *ue, const char *core, bool e2ae,
		    const char *suite, const char *mode, char *ue_line, size_t ue_len)
{
	char uip[64], cip[64];
	unsigned int up, cp;
	int n;

	if (split_hp(ue, uip, sizeof(uip), &up) < 0 || split_hp(core, cip, sizeof(cip), &cp) < 0)
		return -EINVAL;
	if (e2ae && iq_mgc_ue_crypto(suite, ue_line, ue_len) < 0)
		return -EINVAL;
	n = snprintf(buf, len,
			"Context = $ {\n"
			" Add = $ { Media { Stream = 1 { LocalControl { Mode = %s, ipdc/realm = \"access\" },\n"
			"  Local {\nv=0\nc=IN %s $\nm=audio $ %s 0 8\n%s%s%s\n  },\n"
			"  Remote {\nv=0\nc=IN %s %s\nm=audio %u %s 0 8\n%s%s\n  } } } },\n"
			" Add = $ { Media { Stream = 1 { LocalControl { Mode = %s, ipdc/realm = \"core\" },\n"
			"  Local {\nv=0\nc=IN %s $\nm=audio $ RTP/AVP 0 8\n  },\n"
			"  Remote {\nv=0\nc=IN %s %s\nm=audio %u RTP/AVP 0 8\n  } } } }\n"
			"}",
			mode, ipver(uip), e2ae ? "RTP/SAVP" : "RTP/AVP",
			e2ae ? "a=crypto:1 " : "", e2ae ? suite : "", e2ae ? " inline:$" : "",
			ipver(uip), uip, up, e2ae ? "RTP/SAVP" : "RTP/AVP", e2ae ? "a=crypto:" : "",
			e2ae ? ue_line : "", mode, ipver(cip), ipver(cip), cip, cp);
	return n < 0 || (size_t)n >= len ? -E2BIG : n;
}

#define MSRP_EVENTS "tcpbcc/estfail, tlsbsc/estfail, tcpbcc/rel"

int
iq_mgc_msrp_actions(char *buf, size_t len, const struct iq_mgc_msrp *c)
{
	char uip[64], cip[64], fps[4 * 240] = "";
	unsigned int up, cp, i;
	size_t o = 0;
	int n;

	if (c->ue == NULL || c->core == NULL || c->ue_fp[0] == NULL ||
	    split_hp(c->ue, uip, sizeof(uip), &up) < 0 ||
	    split_hp(c->core, cip, sizeof(cip), &cp) < 0)
		return -EINVAL;
	for (i = 0; i < 4 && c->ue_fp[i] != NULL && o < sizeof(fps); i++)
		o += (size_t)snprintf(fps + o, sizeof(fps) - o, "a=fingerprint:%s\n", c->ue_fp[i]);
	if (o >= sizeof(fps))
		return -E2BIG;
	n = snprintf(buf, len,
		     "Context = $ {\n"
		     " Add = $ { Media { Stream = 1 { LocalControl { Mode = %s, ipdc/realm = \"access\"%s },\n"
		     "  Local {\nv=0\nc=IN %s $\nm=message $ TCP/TLS/MSRP *\na=setup:$\n"
		     "a=fingerprint:SHA-256 $\na=accept-types:message/cpim text/plain\na=path:$\n  },\n"
		     "  Remote {\nv=0\nc=IN %s %s\nm=message %u TCP/TLS/MSRP *\na=setup:%s\n%s"
		     "a=accept-types:message/cpim text/plain\na=path:msrps://%s%s%s:%u/ue;tcp\n"
		     "a=msrp-cema\n  } } }%s },\n"
		     " Add = $ { Media { Stream = 1 { LocalControl { Mode = %s, ipdc/realm = \"core\" },\n"
		     "  Local {\nv=0\nc=IN %s $\nm=message $ TCP/MSRP *\n"
		     "a=accept-types:message/cpim text/plain\na=path:$\n  },\n"
		     "  Remote {\nv=0\nc=IN %s %s\nm=message %u TCP/MSRP *\na=setup:%s\n"
		     "a=accept-types:message/cpim text/plain\na=path:msrp://%s%s%s:%u/core;tcp\n"
		     "a=msrp-cema\n  } } }%s }\n"
		     "}",
		     c->mode, c->latch ? ", ipnapt/latch = ON" : "", ipver(uip), ipver(uip), uip, up,
		     c->ue_setup != NULL ? c->ue_setup : "actpass", fps,
		     strchr(uip, ':') ? "[" : "", uip, strchr(uip, ':') ? "]" : "", up,
		     c->events ? ", Events = 1 { " MSRP_EVENTS " }" : "", c->mode, ipver(cip),
		     ipver(cip), cip, cp, c->core_setup != NULL ? c->core_setup : "passive",
		     strchr(cip, ':') ? "[" : "", cip, strchr(cip, ':') ? "]" : "", cp,
		     c->events ? ", Events = 2 { " MSRP_EVENTS " }" : "");
	return n < 0 || (size_t)n >= len ? -E2BIG : n;
}

int
iq_mgc_msrp_modify(char *buf, size_t len, uint32_t ctx, const char *term, bool tls,
		   const char *remote, const char *fp, const char *setup, const char *mode)
{
	char ip[64];
	unsigned int port;
	int n;

	if (term == NULL || remote == NULL || (tls && fp == NULL) ||
	    split_hp(remote, ip, sizeof(ip), &port) < 0)
		return -EINVAL;
	n = snprintf(buf, len,
		     "Context = %u { Modify = %s { Media { Stream = 1 { LocalControl { Mode = %s },\n"
		     "  Remote {\nv=0\nc=IN %s %s\nm=message %u %s *\n%s%s%s%s%s%s"
		     "a=accept-types:message/cpim text/plain\n  } } } } }",
		     ctx, term, mode, ipver(ip), ip, port, tls ? "TCP/TLS/MSRP" : "TCP/MSRP",
		     setup != NULL ? "a=setup:" : "", setup != NULL ? setup : "",
		     setup != NULL ? "\n" : "", tls ? "a=fingerprint:" : "", tls ? fp : "",
		     tls ? "\n" : "");
	return n < 0 || (size_t)n >= len ? -E2BIG : n;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Control-plane benchmark: keep @window calls in flight; each call is one
 * Add transaction (access + core in a new context) and, once answered, one
 * Subtract transaction. Prints transactions/s and the Add latency.
 */
int
iq_mgc_bench(struct iq_mgc *m, unsigned int calls, unsigned int window, bool e2ae, int timeout_ms,
	     struct iq_mgc_bench_result *res)
{
	static struct iq_mgc_msg reply;
	struct slot { uint32_t tid; uint64_t t0; bool adding; } *sl;
	uint64_t *lat, t_start, t_end;
	unsigned int started = 0, done = 0, n_lat = 0, inflight = 0, i, errors = 0;
	char req[4096], ue[256];
	uint64_t txns = 0;

	memset(res, 0, sizeof(*res));
	sl = calloc(window, sizeof(*sl));
	lat = calloc(calls ? calls : 1, sizeof(*lat));
	if (sl == NULL || lat == NULL) {
		free(sl);
		free(lat);
		return -ENOMEM;
	}
	t_start = now_us();
	while (done < calls) {
		int rc;

		for (i = 0; i < window && started < calls; i++) {
			if (sl[i].tid != 0)
				continue;
			iq_mgc_call_actions(req, sizeof(req), "192.0.2.2:5004", "198.51.100.2:6004",
					    e2ae, "AES_CM_128_HMAC_SHA1_80", "SendReceive", ue,
					    sizeof(ue));
			if (iq_mgc_send(m, req, &sl[i].tid) < 0)
				goto fail;
			sl[i].t0 = now_us();
			sl[i].adding = true;
			started++;
			inflight++;
		}
		rc = iq_mgc_recv(m, timeout_ms, &reply);
		if (rc == -ETIMEDOUT) {
			fprintf(stderr, "iq_mgc_bench: timeout with %u in flight\n", inflight);
			goto fail;
		}
		if (rc < 0 || reply.txn == NULL)
			continue;
		for (i = 0; i < window; i++)
			if (sl[i].tid == reply.txn->id)
				break;
		if (i == window)
			continue;
		txns++;
		if (iq_mgc_reply_error(reply.txn) != 0)
			errors++;
		if (sl[i].adding) {
			uint32_t ctx = reply.txn->actions ? reply.txn->actions->ctx_id : 0;

			lat[n_lat++] = now_us() - sl[i].t0;
			if (iq_mgc_reply_error(reply.txn) != 0 || ctx == 0 || ctx >= H248_CTX_CHOOSE) {
				sl[i].tid = 0;
				done++;
				inflight--;
				continue;
			}
			snprintf(req, sizeof(req), "Context = %u { Subtract = * { Audit { } } }", ctx);
			if (iq_mgc_send(m, req, &sl[i].tid) < 0)
				goto fail;
			sl[i].adding = false;
		} else {
			sl[i].tid = 0;
			done++;
			inflight--;
		}
	}
	t_end = now_us();
	qsort(lat, n_lat, sizeof(*lat), cmp_u64);
	res->calls = calls;
	res->transactions = txns;
	res->errors = errors;
	res->seconds = (double)(t_end - t_start) / 1e6;
	res->tps = (double)txns * 1e6 / (double)(t_end - t_start ? t_end - t_start : 1);
	res->add_p50_us = n_lat ? lat[n_lat / 2] : 0;
	res->add_p99_us = n_lat ? lat[n_lat * 99 / 100] : 0;
	res->window = window;
	res->e2ae = e2ae;
	free(sl);
	free(lat);
	return 0;
fail:
	free(sl);
	free(lat);
	return -ETIMEDOUT;
}

void
iq_mgc_bench_print(const struct iq_mgc_bench_result *r, FILE *f)
{
	fprintf(f, "calls=%u transactions=%llu errors=%u seconds=%.3f tps=%.0f add_p50_us=%llu "
		"add_p99_us=%llu window=%u e2ae=%d\n",
		r->calls, (unsigned long long)r->transactions, r->errors, r->seconds, r->tps,
		(unsigned long long)r->add_p50_us, (unsigned long long)r->add_p99_us, r->window,
		r->e2ae);
}
