/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The gateway's Iq endpoint: sockets (UDP, or TCP with TPKT framing, SPEC.md
 * §4.6), the transaction layer wired into the control loop (reply cache,
 * Pending, responseAck, retransmission with backoff and MGC failover, §4.4),
 * registration and lifecycle (ServiceChange, §3.2, §3.9) and the message
 * dispatch into the procedures (iq_proc).
 *
 * Only the configured MGCs are served (iq.mgc: address and port, both
 * pinned on UDP); anything else is dropped and counted. A redirection
 * (MgcIdToTry, ServiceChangeAddress) may only name another configured MGC:
 * one spoofed datagram must not widen whom we serve and send our SDES keys
 * to (issue 11). Iq itself is not authenticated: operations.md requires
 * NDS/IP IPsec (TS 33.210) or a protected network under it.
 * Log lines carry the MGC and transaction; keys never appear, and every
 * buffer that held a message (requests carry the UE's key, replies ours) is
 * cleansed after use.
 */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <openssl/crypto.h>
#include <rte_log.h>

#include "iq.h"
#include "iq_mg.h"
#include "iq_proc.h"
#include "sec.h"

RTE_LOG_REGISTER(iq_logtype, imsagw.iq, NOTICE);
#define IQ_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, iq_logtype, "iq: " fmt "\n", ##__VA_ARGS__)

#define IQ_MSG_MAX 65535
#define IQ_ARENA_BYTES (1u << 20)
#define IQ_TCP_CONNS 8
#define REG_RETRY_MIN_MS 1000u
#define REG_RETRY_MAX_MS 30000u

enum reg_state {
	REG_NONE = 0,     /* not started */
	REG_WAIT,         /* ServiceChange sent, no reply yet */
	REG_UP,           /* registered */
	REG_BACKOFF,      /* every MGC failed; retrying later */
	REG_DOWN,         /* shutdown ServiceChange sent */
};

struct tcp_conn {
	int fd;                               /* -1 = free */
	struct sockaddr_storage peer;
	socklen_t plen;
	bool connecting;
	bool accepted;                        /* the MGC connected to us: its
					       * source port is ephemeral */
	size_t rlen;
	uint8_t rbuf[IQ_MSG_MAX + 4];
	size_t wlen;
	size_t wcap;                          /* bytes allocated at wbuf */
	uint8_t *wbuf;                        /* pending output (TPKT framed) */
};

struct iq_mg {
	const struct cfg *cfg;
	struct ctl *ctl;
	struct ctl_loop *loop;
	struct iq_proc *proc;
	struct iq_txn *txn;
	int ufd;                              /* UDP socket, or -1 */
	int lfd;                              /* TCP listener, or -1 */
	struct tcp_conn conns[IQ_TCP_CONNS];
	struct h248_mid mid;
	char mid_addr[64];
	enum h248_layout layout;
	uint8_t version;                      /* negotiated */
	/* MGCs in failover order; a redirect picks another of them (never an
	 * address outside this list) until the next failover. */
	struct sockaddr_storage mgc[CFG_MAX_MGCS];
	socklen_t mgc_len[CFG_MAX_MGCS];
	unsigned int n_mgc;
	bool has_redirect;
	unsigned int redirect_idx;            /* index into mgc[] */
	/* Registration */
	enum reg_state reg;
	bool lost_mgc;                        /* next registration: Disconnected */
	uint32_t reg_tid;
	uint32_t reg_backoff_ms;
	uint32_t down_tid;
	bool down_done;
	/* Inactivity (it/ito) */
	uint32_t ito_ms;
	uint32_t ito_rid;
	uint64_t last_rx_ms;
	struct ctl_timer txn_timer;
	struct ctl_timer reg_timer;
	struct ctl_timer ito_timer;
	struct ctl_timer hb_timer;
	struct iq_mg_stats st;
	struct iq_arena arena;
	uint8_t *arena_mem;
	char out[IQ_MSG_MAX];
	uint8_t rx[IQ_MSG_MAX + 1];
};

static void rearm_timers(struct iq_mg *mg);
static void register_send(struct iq_mg *mg);

/* An MSRP event was queued for Notify: send it now, not at the next
 * heartbeat (iq_proc_next_notify() says 0 while one waits). */
static void
on_notify_ready(void *arg)
{
	rearm_timers(arg);
}
static void on_reg_timer(void *arg);

static void
addr_key(const struct sockaddr_storage *ss, struct iq_addr *k)
{
	/* The transaction key is the MGC's IP address and port. */
	memset(k, 0, sizeof(*k));
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)ss;

		k->len = 6;
		memcpy(k->b, &s->sin_addr, 4);
		memcpy(k->b + 4, &s->sin_port, 2);
	} else {
		const struct sockaddr_in6 *s = (const void *)ss;

		k->len = 18;
		memcpy(k->b, &s->sin6_addr, 16);
		memcpy(k->b + 16, &s->sin6_port, 2);
	}
}

static const char *
addr_str(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)ss;

		inet_ntop(AF_INET, &s->sin_addr, ip, sizeof(ip));
		snprintf(buf, len, "%s:%u", ip, ntohs(s->sin_port));
	} else {
		const struct sockaddr_in6 *s = (const void *)ss;

		inet_ntop(AF_INET6, &s->sin6_addr, ip, sizeof(ip));
		snprintf(buf, len, "[%s]:%u", ip, ntohs(s->sin6_port));
	}
	return buf;
}

static socklen_t
endpoint_sa(const struct cfg_ip *ip, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (ip->family == AF_INET6) {
		struct sockaddr_in6 *s = (void *)ss;

		s->sin6_family = AF_INET6;
		s->sin6_addr = ip->a.v6;
		s->sin6_port = htons(port);
		return sizeof(*s);
	} else {
		struct sockaddr_in *s = (void *)ss;

		s->sin_family = AF_INET;
		s->sin_addr = ip->a.v4;
		s->sin_port = htons(port);
		return sizeof(*s);
	}
}

static bool
same_ip(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)(const void *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)(const void *)b)->sin_addr.s_addr;
	return memcmp(&((const struct sockaddr_in6 *)(const void *)a)->sin6_addr,
		      &((const struct sockaddr_in6 *)(const void *)b)->sin6_addr, 16) == 0;
}

static uint16_t
sa_port(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET ? ((const struct sockaddr_in *)(const void *)ss)->sin_port
					: ((const struct sockaddr_in6 *)(const void *)ss)->sin6_port;
}

/*
 * The configured MGC @ss is, or -1. iq.mgc pins address and port: over
 * UDP a datagram from the MGC's IP but another port is not the MGC
 * (H.248.1 Annex D.1: the MGC sends from the port it is provisioned on).
 * @any_port: the peer is a TCP connection the MGC opened to us, whose
 * source port is ephemeral; the TCP handshake already defeats a blind
 * spoofer there, so its IP decides.
 */
static int
mgc_index(const struct iq_mg *mg, const struct sockaddr_storage *ss, bool any_port)
{
	unsigned int i;

	for (i = 0; i < mg->n_mgc; i++)
		if (same_ip(&mg->mgc[i], ss) && (any_port || sa_port(&mg->mgc[i]) == sa_port(ss)))
			return (int)i;
	return -1;
}

/* Served peers: the configured MGCs only (a redirect is one of them). */
static bool
peer_allowed(const struct iq_mg *mg, const struct sockaddr_storage *ss, bool any_port)
{
	return mgc_index(mg, ss, any_port) >= 0;
}

/* ---- transport ---------------------------------------------------------- */

static struct tcp_conn *
conn_alloc(struct iq_mg *mg)
{
	unsigned int i;

	for (i = 0; i < IQ_TCP_CONNS; i++)
		if (mg->conns[i].fd < 0)
			return &mg->conns[i];
	return NULL;
}

static void
conn_close(struct iq_mg *mg, struct tcp_conn *c)
{
	if (c->fd < 0)
		return;
	ctl_loop_del_fd(mg->loop, c->fd);
	close(c->fd);
	/* Both directions carry SDES keys (Remote in, Local out). */
	if (c->wbuf != NULL)
		OPENSSL_cleanse(c->wbuf, c->wcap);
	free(c->wbuf);
	OPENSSL_cleanse(c->rbuf, c->rlen);
	c->wbuf = NULL;
	c->wcap = 0;
	c->wlen = 0;
	c->rlen = 0;
	c->fd = -1;
}

static void
conn_flush(struct iq_mg *mg, struct tcp_conn *c)
{
	while (c->wlen > 0) {
		ssize_t n = send(c->fd, c->wbuf, c->wlen, MSG_NOSIGNAL);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			conn_close(mg, c);
			return;
		}
		memmove(c->wbuf, c->wbuf + n, c->wlen - (size_t)n);
		/* The sent tail's old copy goes too. */
		OPENSSL_cleanse(c->wbuf + c->wlen - (size_t)n, (size_t)n);
		c->wlen -= (size_t)n;
	}
	ctl_loop_mod_fd(mg->loop, c->fd, EPOLLIN | (c->wlen > 0 ? EPOLLOUT : 0));
}

static int
conn_queue(struct iq_mg *mg, struct tcp_conn *c, const void *buf, size_t len)
{
	uint8_t hdr[IQ_TPKT_HDR];
	size_t need = c->wlen + len + IQ_TPKT_HDR;

	/* RFC 1006's 16-bit length: a bigger message is refused, never sent
	 * with a wrapped length the peer would misframe. */
	if (iq_tpkt_header(len, hdr) < 0)
		return -EMSGSIZE;
	if (need > c->wcap) {
		/* Not realloc: it would free the old block with keys in it. */
		uint8_t *nb = malloc(need);

		if (nb == NULL)
			return -ENOMEM;
		if (c->wbuf != NULL) {
			memcpy(nb, c->wbuf, c->wlen);
			OPENSSL_cleanse(c->wbuf, c->wcap);
			free(c->wbuf);
		}
		c->wbuf = nb;
		c->wcap = need;
	}
	memcpy(c->wbuf + c->wlen, hdr, IQ_TPKT_HDR);
	memcpy(c->wbuf + c->wlen + IQ_TPKT_HDR, buf, len);
	c->wlen += len + IQ_TPKT_HDR;
	if (!c->connecting)
		conn_flush(mg, c);
	return 0;
}

static void on_rx_msg(struct iq_mg *mg, const struct sockaddr_storage *from, socklen_t flen,
		      bool any_port, uint8_t *buf, size_t len);

struct conn_ref {
	struct iq_mg *mg;
	struct tcp_conn *c;
};

static struct conn_ref conn_refs[IQ_TCP_CONNS];

static void
on_conn_event(int fd, uint32_t events, void *arg)
{
	struct conn_ref *r = arg;
	struct iq_mg *mg = r->mg;
	struct tcp_conn *c = r->c;

	(void)fd;
	if (c->connecting && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
		int err = 0;
		socklen_t el = sizeof(err);

		getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
		if (err != 0) {
			conn_close(mg, c);
			return;
		}
		c->connecting = false;
	}
	if (events & EPOLLOUT)
		conn_flush(mg, c);
	if (c->fd < 0 || !(events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return;
	for (;;) {
		ssize_t n = recv(c->fd, c->rbuf + c->rlen, sizeof(c->rbuf) - c->rlen, 0);
		size_t off = 0;

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			conn_close(mg, c);
			return;
		}
		c->rlen += (size_t)n;
		for (;;) {
			size_t moff, mlen, flen;
			int rc = iq_tpkt_parse(c->rbuf + off, c->rlen - off, &moff, &mlen, &flen);

			if (rc < 0) {
				IQ_LOG(WARNING, "tcp: bad TPKT header, closing");
				conn_close(mg, c);
				return;
			}
			if (rc == 0)
				break;
			memcpy(mg->rx, c->rbuf + off + moff, mlen);
			on_rx_msg(mg, &c->peer, c->plen, c->accepted, mg->rx, mlen);
			OPENSSL_cleanse(mg->rx, mlen);
			if (c->fd < 0)
				return;
			off += flen;
		}
		memmove(c->rbuf, c->rbuf + off, c->rlen - off);
		/* What moved down leaves no copy behind (it may hold a key). */
		OPENSSL_cleanse(c->rbuf + c->rlen - off, off);
		c->rlen -= off;
	}
}

static int
conn_register(struct iq_mg *mg, struct tcp_conn *c, uint32_t ev)
{
	struct conn_ref *r = &conn_refs[c - mg->conns];

	r->mg = mg;
	r->c = c;
	return ctl_loop_add_fd(mg->loop, c->fd, ev, on_conn_event, r);
}

static void
on_listen(int fd, uint32_t events, void *arg)
{
	struct iq_mg *mg = arg;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct tcp_conn *c;
	char b[64];
	int cfd;

	(void)events;
	cfd = accept4(fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	if (!peer_allowed(mg, &ss, true)) {
		mg->st.rx_dropped_peer++;
		IQ_LOG(WARNING, "tcp: connection from %s refused (not an MGC)",
		       addr_str(&ss, b, sizeof(b)));
		close(cfd);
		return;
	}
	c = conn_alloc(mg);
	if (c == NULL) {
		close(cfd);
		return;
	}
	memset(c, 0, offsetof(struct tcp_conn, rbuf));
	c->fd = cfd;
	c->peer = ss;
	c->plen = sl;
	c->accepted = true;
	setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
	if (conn_register(mg, c, EPOLLIN) < 0)
		conn_close(mg, c);
}

/* Send one message to a peer: UDP datagram, or TPKT on a TCP connection
 * (an open one to that peer's address, else a new non-blocking connect). */
static int
mg_send(struct iq_mg *mg, const struct sockaddr_storage *to, socklen_t tlen, const void *buf,
	size_t len)
{
	struct tcp_conn *c = NULL;
	unsigned int i;

	mg->st.tx_msgs++;
	if (mg->ufd >= 0)
		return sendto(mg->ufd, buf, len, 0, (const struct sockaddr *)to, tlen) < 0 ? -errno
											   : 0;
	/* A connection we opened is to one MGC's address and port; one the
	 * MGC opened to us is known by its address (ephemeral source port). */
	for (i = 0; i < IQ_TCP_CONNS; i++)
		if (mg->conns[i].fd >= 0 && same_ip(&mg->conns[i].peer, to) &&
		    (mg->conns[i].accepted || sa_port(&mg->conns[i].peer) == sa_port(to)))
			c = &mg->conns[i];
	if (c == NULL) {
		int fd;

		c = conn_alloc(mg);
		if (c == NULL)
			return -ENOSPC;
		fd = socket(to->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		memset(c, 0, offsetof(struct tcp_conn, rbuf));
		c->fd = fd;
		c->peer = *to;
		c->plen = tlen;
		if (connect(fd, (const struct sockaddr *)to, tlen) < 0 && errno != EINPROGRESS) {
			close(fd);
			c->fd = -1;
			return -errno;
		}
		c->connecting = true;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
		if (conn_register(mg, c, EPOLLIN | EPOLLOUT) < 0) {
			conn_close(mg, c);
			return -EIO;
		}
	}
	return conn_queue(mg, c, buf, len);
}

static void
on_udp(int fd, uint32_t events, void *arg)
{
	struct iq_mg *mg = arg;
	int i;

	(void)events;
	/* Bounded: at most 64 datagrams per wakeup so timers keep running. */
	for (i = 0; i < 64; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		ssize_t n = recvfrom(fd, mg->rx, IQ_MSG_MAX, MSG_DONTWAIT, (struct sockaddr *)&ss,
				     &sl);

		if (n < 0)
			return;
		on_rx_msg(mg, &ss, sl, false, mg->rx, (size_t)n);
		OPENSSL_cleanse(mg->rx, (size_t)n);
	}
}

/* ---- messages ----------------------------------------------------------- */

static void
arena_reset(struct iq_mg *mg)
{
	/* Replies carry keys (Local a=crypto): never leave them around. */
	if (mg->arena.used > 0)
		OPENSSL_cleanse(mg->arena_mem, mg->arena.used);
	iq_arena_reset(&mg->arena);
}

static int
send_reply(struct iq_mg *mg, const struct sockaddr_storage *to, socklen_t tlen,
	   const struct h248_transaction *rep, size_t *len_out)
{
	size_t len = 0;
	int rc = h248_encode_reply(mg->version, &mg->mid, rep, mg->layout, mg->out,
				   sizeof(mg->out), &len);

	if (rc < 0)
		return rc;
	*len_out = len;
	return mg_send(mg, to, tlen, mg->out, len);
}

static int
send_error_reply(struct iq_mg *mg, const struct sockaddr_storage *to, socklen_t tlen,
		 uint32_t tid, uint16_t code, size_t *len_out)
{
	struct h248_transaction rep = { .type = H248_TXN_REPLY, .id = tid };
	struct h248_errdesc e = { .code = code, .has_text = true };

	e.text.p = h248_errcode_text(code);
	e.text.len = (uint32_t)strlen(e.text.p);
	rep.error = &e;
	mg->st.errors++;
	return send_reply(mg, to, tlen, &rep, len_out);
}

static bool
reply_has_error(const struct h248_transaction *rep)
{
	const struct h248_action *a;

	if (rep->error != NULL)
		return true;
	for (a = rep->actions; a != NULL; a = a->next)
		if (a->error != NULL)
			return true;
	return false;
}

static void
handle_request(struct iq_mg *mg, const struct sockaddr_storage *from, socklen_t flen,
	       const struct h248_transaction *t)
{
	const uint8_t *cached;
	size_t clen = 0, len = 0;
	struct iq_addr key;
	struct h248_transaction rep;
	bool is_sc = t->actions != NULL && t->actions->cmds != NULL &&
		     t->actions->cmds->type == H248_CMD_SERVICECHANGE;
	uint64_t now = ctl_loop_now_ms(mg->loop);
	char b[64];
	int rc;

	addr_key(from, &key);
	rc = iq_txn_rx_request(mg->txn, &key, t->id, now, &cached, &clen);
	if (rc == IQ_TXN_RX_RESEND) {
		mg->st.duplicates++;
		mg_send(mg, from, flen, cached, clen);
		return;
	}
	if (rc == IQ_TXN_RX_PENDING) {
		mg->st.pendings++;
		if (h248_encode_pending(mg->version, &mg->mid, t->id, mg->layout, mg->out,
					sizeof(mg->out), &len) == 0)
			mg_send(mg, from, flen, mg->out, len);
		return;
	}
	if (rc < 0) {
		send_error_reply(mg, from, flen, t->id, H248_ERR_RESOURCES, &len);
		return;
	}
	mg->st.requests++;
	/* H.248.1 §11.2: nothing but ServiceChange before we are registered. */
	if (mg->reg != REG_UP && !is_sc) {
		rc = send_error_reply(mg, from, flen, t->id, 505, &len);
		if (rc == 0)
			iq_txn_reply_done(mg->txn, &key, t->id, mg->out, len, now);
		else
			iq_txn_abandon(mg->txn, &key, t->id);
		return;
	}
	memset(&rep, 0, sizeof(rep));
	rc = iq_proc_execute(mg->proc, &mg->arena, t, &rep);
	if (rc < 0) {
		/* iq_proc_execute undid the Adds of this transaction. */
		IQ_LOG(ERR, "mgc %s T=%u: out of memory building the reply; rolled back",
		       addr_str(from, b, sizeof(b)), t->id);
		rc = send_error_reply(mg, from, flen, t->id, H248_ERR_INTERNAL, &len);
	} else {
		if (reply_has_error(&rep))
			mg->st.errors++;
		rc = send_reply(mg, from, flen, &rep, &len);
		/*
		 * The reply does not fit the encode buffer (64 KB), a UDP
		 * datagram (65507 bytes, sendto gives EMSGSIZE) or a TPKT
		 * frame: the MGC would never learn what was done, so undo it
		 * and answer 533 (H.248.8: response exceeds maximum transport
		 * PDU size).
		 */
		if (rc == -ENOSPC || rc == -EINVAL || rc == -EMSGSIZE) {
			iq_proc_rollback(mg->proc);
			mg->st.rollbacks++;
			IQ_LOG(ERR, "mgc %s T=%u: reply cannot be sent (%s); rolled back",
			       addr_str(from, b, sizeof(b)), t->id, strerror(-rc));
			OPENSSL_cleanse(mg->out, sizeof(mg->out));
			rc = send_error_reply(mg, from, flen, t->id, rc == -EINVAL ? 500 : 533,
					      &len);
		}
	}
	iq_proc_commit(mg->proc);
	if (rc == 0 || len > 0)
		iq_txn_reply_done(mg->txn, &key, t->id, mg->out, len, now);
	else
		iq_txn_abandon(mg->txn, &key, t->id);
	/* A reply's Local may carry our key (SPEC.md §3.5): the cache keeps
	 * its own copy, the encode buffer forgets it. */
	OPENSSL_cleanse(mg->out, len < sizeof(mg->out) ? len : sizeof(mg->out));
}

/* A redirect names the MGC (MgcIdToTry) or the address to use from now on
 * (ServiceChangeAddress, SPEC.md §3.13 (a)): an IP mId with a port. */
static bool
mid_to_sa(const struct h248_mid *m, uint16_t dflt_port, struct sockaddr_storage *ss,
	  socklen_t *sl)
{
	struct cfg_ip ip = { 0 };
	char buf[64];
	uint32_t n = m->addr.len < sizeof(buf) - 1 ? m->addr.len : sizeof(buf) - 1;

	memcpy(buf, m->addr.p, n);
	buf[n] = '\0';
	if ((m->type != H248_MID_IP4 && m->type != H248_MID_IP6) ||
	    cfg_parse_ip(buf, m->type == H248_MID_IP4 ? AF_INET : AF_INET6, &ip, NULL, 0) < 0)
		return false;
	*sl = endpoint_sa(&ip, m->has_port ? m->port : dflt_port, ss);
	return true;
}

/*
 * Take a redirection to @ss only when it is a configured MGC (address and
 * port); anything else is refused, logged and counted: a spoofed
 * ServiceChange must not make a stranger our MGC (issue 11).
 * Returns: true when mg->redirect_idx now names it.
 */
static bool
redirect_to(struct iq_mg *mg, const struct sockaddr_storage *ss, const char *what)
{
	int i = mgc_index(mg, ss, false);
	char b[64];

	if (i < 0) {
		mg->st.redirects_refused++;
		IQ_LOG(WARNING, "%s %s refused: not a configured MGC (iq.mgc); %llu refused so far",
		       what, addr_str(ss, b, sizeof(b)),
		       (unsigned long long)mg->st.redirects_refused);
		return false;
	}
	mg->redirect_idx = (unsigned int)i;
	mg->has_redirect = true;
	return true;
}

static const struct sockaddr_storage *
cur_mgc(struct iq_mg *mg, socklen_t *len)
{
	uint32_t i;

	i = mg->has_redirect ? mg->redirect_idx : iq_txn_current_mgc(mg->txn);
	i %= mg->n_mgc;
	*len = mg->mgc_len[i];
	return &mg->mgc[i];
}

static void
handle_sc_reply(struct iq_mg *mg, const struct h248_transaction *t)
{
	const struct h248_action *a = t->actions;
	const struct h248_desc *d = NULL;
	struct sockaddr_storage ss;
	socklen_t sl;
	char b[64];

	if (a != NULL && a->cmds != NULL)
		for (d = a->cmds->descs; d != NULL && d->type != H248_DESC_SERVICES; d = d->next)
			;
	if (mg->reg == REG_DOWN) {
		mg->down_done = true;
		return;
	}
	if (reply_has_error(t)) {
		const struct h248_errdesc *e = t->error != NULL ? t->error
					     : a != NULL ? a->error : NULL;

		IQ_LOG(WARNING, "registration refused (error %u); retrying",
		       e != NULL ? e->code : 0);
		mg->reg = REG_BACKOFF;
		ctl_timer_start(mg->loop, &mg->reg_timer, mg->reg_backoff_ms, on_reg_timer, mg);
		return;
	}
	if (d != NULL && d->u.services.has_mgcid) {
		/* Redirection (MgcIdToTry, H.248.1 §7.2.8): register with that
		 * MGC instead, if it is one of ours; else keep the current one. */
		if (mid_to_sa(&d->u.services.mgcid, 2944, &ss, &sl) &&
		    redirect_to(mg, &ss, "MgcIdToTry")) {
			IQ_LOG(NOTICE, "redirected to MGC %s", addr_str(&ss, b, sizeof(b)));
			register_send(mg);
			return;
		}
	}
	if (d != NULL && d->u.services.has_address) {
		const struct h248_mid *m = &d->u.services.address;
		const struct sockaddr_storage *cur = cur_mgc(mg, &sl);

		/* ServiceChangeAddress: talk to this address (or port) from now
		 * on; with iq.mgc pinning addresses it must be a configured one. */
		if (m->type == H248_MID_PORT || (m->has_port && m->addr.len == 0)) {
			ss = *cur;
			if (ss.ss_family == AF_INET)
				((struct sockaddr_in *)(void *)&ss)->sin_port = htons(m->port);
			else
				((struct sockaddr_in6 *)(void *)&ss)->sin6_port = htons(m->port);
			redirect_to(mg, &ss, "ServiceChangeAddress");
		} else if (mid_to_sa(m, 2944, &ss, &sl)) {
			redirect_to(mg, &ss, "ServiceChangeAddress");
		}
	}
	if (d != NULL && d->u.services.has_version && d->u.services.version >= 1 &&
	    d->u.services.version < mg->version)
		mg->version = d->u.services.version;
	mg->reg = REG_UP;
	mg->lost_mgc = false;
	mg->reg_backoff_ms = REG_RETRY_MIN_MS;
	mg->st.registrations++;
	IQ_LOG(NOTICE, "registered with MGC %s (H.248 version %u)",
	       addr_str(cur_mgc(mg, &sl), b, sizeof(b)), mg->version);
}

/* A reply or Pending for one of our requests is only taken from the MGC we
 * sent it to: another configured MGC (or a spoofer using its address)
 * must not complete, or steer, our registration. */
static bool
from_cur_mgc(struct iq_mg *mg, const struct sockaddr_storage *from, bool any_port)
{
	socklen_t sl;
	const struct sockaddr_storage *cur = cur_mgc(mg, &sl);

	return same_ip(cur, from) && (any_port || sa_port(cur) == sa_port(from));
}

static void
on_rx_msg(struct iq_mg *mg, const struct sockaddr_storage *from, socklen_t flen, bool any_port,
	  uint8_t *buf, size_t len)
{
	const struct h248_transaction *t;
	struct h248_message *m;
	struct h248_error err;
	size_t olen = 0;
	char b[64];

	if (!peer_allowed(mg, from, any_port)) {
		mg->st.rx_dropped_peer++;
		IQ_LOG(DEBUG, "message from %s dropped: not a configured MGC",
		       addr_str(from, b, sizeof(b)));
		return;
	}
	mg->st.rx_msgs++;
	mg->last_rx_ms = ctl_loop_now_ms(mg->loop);
	arena_reset(mg);
	if (h248_decode((const char *)buf, len, &mg->arena, NULL, &m, &err) < 0) {
		mg->st.rx_bad++;
		IQ_LOG(INFO, "mgc %s: undecodable message at offset %u: %s (answer %u)",
		       addr_str(from, b, sizeof(b)), err.offset, err.reason, err.code);
		if (h248_encode_error(mg->version, &mg->mid, &err, mg->layout, mg->out,
				      sizeof(mg->out), &olen) == 0) {
			mg->st.errors++;
			mg_send(mg, from, flen, mg->out, olen);
		}
		goto out;
	}
	if (m->version > mg->cfg->iq.version) {
		struct h248_error ve = { .code = H248_ERR_VERSION, .reason = "version" };

		if (m->txns != NULL && m->txns->type == H248_TXN_REQUEST) {
			ve.has_txn = true;
			ve.txn_type = H248_TXN_REQUEST;
			ve.txn_id = m->txns->id;
		}
		if (h248_encode_error(mg->version, &mg->mid, &ve, mg->layout, mg->out,
				      sizeof(mg->out), &olen) == 0)
			mg_send(mg, from, flen, mg->out, olen);
		goto out;
	}
	for (t = m->txns; t != NULL; t = t->next) {
		const struct h248_ack_range *r;
		struct iq_addr key;

		switch (t->type) {
		case H248_TXN_REQUEST:
			handle_request(mg, from, flen, t);
			break;
		case H248_TXN_REPLY:
			if (!from_cur_mgc(mg, from, any_port)) {
				mg->st.rx_wrong_mgc++;
				IQ_LOG(WARNING, "reply T=%u from %s ignored: not the MGC it went to",
				       t->id, addr_str(from, b, sizeof(b)));
				break;
			}
			if (iq_txn_rx_reply(mg->txn, t->id) == 0 &&
			    (t->id == mg->reg_tid || t->id == mg->down_tid))
				handle_sc_reply(mg, t);
			if (t->imm_ack && h248_encode_ack(mg->version, &mg->mid, t->id, mg->layout,
							  mg->out, sizeof(mg->out), &olen) == 0)
				mg_send(mg, from, flen, mg->out, olen);
			break;
		case H248_TXN_PENDING:
			if (!from_cur_mgc(mg, from, any_port)) {
				mg->st.rx_wrong_mgc++;
				break;
			}
			if (iq_txn_rx_pending(mg->txn, t->id, ctl_loop_now_ms(mg->loop)) ==
			    -ETIMEDOUT)
				IQ_LOG(WARNING, "T=%u: too many Pendings from the MGC, given up", t->id);
			break;
		case H248_TXN_RESPACK:
			addr_key(from, &key);
			for (r = t->acks; r != NULL; r = r->next)
				mg->st.acks += iq_txn_rx_ack(mg->txn, &key, r->first, r->last);
			break;
		default:
			break;
		}
	}
out:
	arena_reset(mg);
	/* Whatever was encoded for this message (a reply's Local carries our
	 * key) does not stay in the buffer. */
	OPENSSL_cleanse(mg->out, sizeof(mg->out));
	rearm_timers(mg);
}

/* ---- our own requests --------------------------------------------------- */

/* Build a request from pretty text (validated by our decoder), encode it in
 * the configured layout, send it to the current MGC and hand it to the
 * transaction layer for retransmission. */
static int
send_own_request(struct iq_mg *mg, const char *body, uint32_t *tid_out)
{
	char text[2048];
	uint32_t tid = iq_txn_next_tid(mg->txn);
	struct h248_message *m;
	struct h248_error err;
	const struct sockaddr_storage *to;
	socklen_t tl;
	size_t len;
	int n, rc;

	n = snprintf(text, sizeof(text), "MEGACO/%u %s\nTransaction = %u {\n%s\n}\n", mg->version,
		     mg->cfg->iq.mid, tid, body);
	if (n < 0 || (size_t)n >= sizeof(text))
		return -E2BIG;
	arena_reset(mg);
	rc = h248_decode(text, (size_t)n, &mg->arena, NULL, &m, &err);
	if (rc == 0)
		rc = h248_encode(m, mg->layout, mg->out, sizeof(mg->out), &len);
	if (rc < 0) {
		IQ_LOG(ERR, "own request not encodable: %s", err.reason);
		return rc;
	}
	to = cur_mgc(mg, &tl);
	mg_send(mg, to, tl, mg->out, len);
	rc = iq_txn_send_request(mg->txn, tid, mg->out, len, ctl_loop_now_ms(mg->loop));
	arena_reset(mg);
	if (tid_out != NULL)
		*tid_out = tid;
	rearm_timers(mg);
	return rc;
}

static void
register_send(struct iq_mg *mg)
{
	char body[512];
	char b[64];
	socklen_t tl;

	/* Restart 901 at start; Disconnected 906 after we lost the MGC we
	 * were registered with and moved to the next one (H.248.1 §11.5: the
	 * MG registers with the next MGC of its list). */
	snprintf(body, sizeof(body),
		 "Context = - { ServiceChange = ROOT { Services { Method = %s, "
		 "Reason = \"%s\", Version = %u, Profile = %s } } }",
		 mg->lost_mgc ? "Disconnected" : "Restart",
		 mg->lost_mgc ? "906 Loss of lower layer connectivity" : "901 Cold Boot",
		 mg->cfg->iq.version, mg->cfg->iq.profile);
	mg->reg = REG_WAIT;
	if (send_own_request(mg, body, &mg->reg_tid) < 0) {
		mg->reg = REG_BACKOFF;
		ctl_timer_start(mg->loop, &mg->reg_timer, mg->reg_backoff_ms, on_reg_timer, mg);
		return;
	}
	IQ_LOG(INFO, "ServiceChange %s T=%u to MGC %s", mg->lost_mgc ? "Disconnected" : "Restart",
	       mg->reg_tid, addr_str(cur_mgc(mg, &tl), b, sizeof(b)));
}

static void
on_reg_timer(void *arg)
{
	struct iq_mg *mg = arg;

	if (mg->reg != REG_BACKOFF)
		return;
	mg->reg_backoff_ms = mg->reg_backoff_ms * 2 > REG_RETRY_MAX_MS ? REG_RETRY_MAX_MS
								       : mg->reg_backoff_ms * 2;
	register_send(mg);
}

static void
on_txn_timer(void *arg)
{
	struct iq_mg *mg = arg;
	struct iq_txn_action act;
	uint64_t now = ctl_loop_now_ms(mg->loop);
	char b[64];

	while (iq_txn_poll(mg->txn, now, &act) == 1) {
		const struct sockaddr_storage *to;
		socklen_t tl;

		switch (act.type) {
		case IQ_TXN_ACT_FAILOVER:
			mg->st.failovers++;
			mg->has_redirect = false;
			to = cur_mgc(mg, &tl);
			IQ_LOG(NOTICE, "T=%u: no answer, failing over to MGC %s", act.tid,
			       addr_str(to, b, sizeof(b)));
			mg_send(mg, to, tl, act.msg, act.msg_len);
			/* The MGC we were registered with is gone: register with
			 * this one before it controls us (H.248.1 §11.5). */
			if (mg->reg == REG_UP && act.tid != mg->down_tid) {
				mg->lost_mgc = true;
				register_send(mg);
			}
			break;
		case IQ_TXN_ACT_RETRANSMIT:
			mg->st.retransmits++;
			to = cur_mgc(mg, &tl);
			mg_send(mg, to, tl, act.msg, act.msg_len);
			break;
		case IQ_TXN_ACT_GIVE_UP:
			if (act.tid == mg->reg_tid && mg->reg == REG_WAIT) {
				IQ_LOG(WARNING, "no MGC answers the ServiceChange; retrying in %u ms",
				       mg->reg_backoff_ms);
				mg->reg = REG_BACKOFF;
				mg->has_redirect = false;
				ctl_timer_start(mg->loop, &mg->reg_timer, mg->reg_backoff_ms,
						on_reg_timer, mg);
			} else if (act.tid == mg->down_tid) {
				mg->down_done = true;
			} else {
				IQ_LOG(WARNING, "T=%u: request not answered, dropped", act.tid);
			}
			break;
		}
	}
	rearm_timers(mg);
}

static void
on_ito_timer(void *arg)
{
	struct iq_mg *mg = arg;
	uint64_t now = ctl_loop_now_ms(mg->loop);
	char body[256];

	if (mg->ito_ms == 0)
		return;
	if (now - mg->last_rx_ms >= mg->ito_ms && mg->reg == REG_UP) {
		/* H.248.14: tell the MGC we heard nothing for mit. */
		snprintf(body, sizeof(body),
			 "Context = - { Notify = ROOT { ObservedEvents = %u { it/ito } } }",
			 mg->ito_rid);
		IQ_LOG(NOTICE, "inactivity: nothing from the MGC for %u ms", mg->ito_ms);
		mg->st.notifies++;
		send_own_request(mg, body, NULL);
		mg->last_rx_ms = now;
	}
	ctl_timer_start(mg->loop, &mg->ito_timer,
			mg->last_rx_ms + mg->ito_ms > now ? mg->last_rx_ms + mg->ito_ms - now : 1,
			on_ito_timer, mg);
}

static void
on_hb_timer(void *arg)
{
	struct iq_mg *mg = arg;
	struct iq_proc_notify n;
	uint64_t now = ctl_loop_now_ms(mg->loop);
	char body[512];
	int k = 0;

	while (k++ < 64 && iq_proc_poll_notify(mg->proc, now, &n) == 1) {
		if (mg->reg != REG_UP)
			continue;
		snprintf(body, sizeof(body),
			 "Context = %u { Notify = %s { ObservedEvents = %u { %s } } }", n.ctx_id,
			 n.term_id, n.rid, n.event);
		mg->st.notifies++;
		send_own_request(mg, body, NULL);
	}
	rearm_timers(mg);
}

static void
rearm_timers(struct iq_mg *mg)
{
	uint64_t now = ctl_loop_now_ms(mg->loop), d;

	d = iq_txn_next_deadline(mg->txn);
	if (d != UINT64_MAX) {
		uint64_t delay = d > now ? d - now : 0;

		if (!ctl_timer_armed(&mg->txn_timer) || mg->txn_timer.deadline_ms > d)
			ctl_timer_start(mg->loop, &mg->txn_timer, delay, on_txn_timer, mg);
	}
	d = iq_proc_next_notify(mg->proc);
	if (d != UINT64_MAX &&
	    (!ctl_timer_armed(&mg->hb_timer) || mg->hb_timer.deadline_ms > d))
		ctl_timer_start(mg->loop, &mg->hb_timer, d > now ? d - now : 0, on_hb_timer, mg);
}

/* ---- hooks from the procedures ------------------------------------------ */

static uint16_t
hook_service_change(void *arg, const struct h248_services *sv)
{
	struct iq_mg *mg = arg;
	struct sockaddr_storage ss;
	socklen_t sl;
	char b[64];

	/* MGC-initiated (Handoff/Failover with MgcIdToTry): register with the
	 * named MGC, when it is one of the configured ones; any other is
	 * refused with 410 (incorrect identifier). Other methods (Restart,
	 * Forced) need nothing from us. */
	if (!sv->has_mgcid)
		return 0;
	if (!mid_to_sa(&sv->mgcid, 2944, &ss, &sl)) {
		mg->st.redirects_refused++;
		IQ_LOG(WARNING, "MgcIdToTry refused: not an IP address");
		return 410;
	}
	if (!redirect_to(mg, &ss, "MgcIdToTry"))
		return 410;
	IQ_LOG(NOTICE, "MGC hands us over to %s", addr_str(&ss, b, sizeof(b)));
	/* Register from the loop, after the reply to this request. */
	mg->reg = REG_BACKOFF;
	ctl_timer_start(mg->loop, &mg->reg_timer, 0, on_reg_timer, mg);
	return 0;
}

static void
hook_inactivity(void *arg, uint32_t rid, uint32_t mit_ms)
{
	struct iq_mg *mg = arg;

	mg->ito_ms = mit_ms;
	mg->ito_rid = rid;
	if (mit_ms == 0) {
		ctl_timer_stop(mg->loop, &mg->ito_timer);
		return;
	}
	mg->last_rx_ms = ctl_loop_now_ms(mg->loop);
	ctl_timer_start(mg->loop, &mg->ito_timer, mit_ms, on_ito_timer, mg);
}

/* ---- lifecycle ---------------------------------------------------------- */

static int
parse_mid(struct iq_mg *mg, const char *s)
{
	const char *end;
	size_t n;

	memset(&mg->mid, 0, sizeof(mg->mid));
	if (s[0] == '[' && (end = strchr(s, ']')) != NULL) {
		n = (size_t)(end - s - 1);
		mg->mid.type = memchr(s + 1, ':', n) != NULL ? H248_MID_IP6 : H248_MID_IP4;
	} else if (s[0] == '<' && (end = strchr(s, '>')) != NULL) {
		n = (size_t)(end - s - 1);
		mg->mid.type = H248_MID_DOMAIN;
	} else {
		n = strlen(s);
		end = s + n - 1;
		mg->mid.type = H248_MID_DEVICE;
		if (n == 0 || n >= sizeof(mg->mid_addr))
			return -EINVAL;
		memcpy(mg->mid_addr, s, n);
		mg->mid.addr.p = mg->mid_addr;
		mg->mid.addr.len = (uint32_t)n;
		return 0;
	}
	if (n == 0 || n >= sizeof(mg->mid_addr))
		return -EINVAL;
	memcpy(mg->mid_addr, s + 1, n);
	mg->mid.addr.p = mg->mid_addr;
	mg->mid.addr.len = (uint32_t)n;
	if (end[1] == ':') {
		mg->mid.has_port = true;
		mg->mid.port = (uint16_t)strtoul(end + 2, NULL, 10);
	}
	return 0;
}

static void
load_mgcs(struct iq_mg *mg)
{
	struct sockaddr_storage red = mg->mgc[mg->redirect_idx % CFG_MAX_MGCS];
	bool had = mg->has_redirect;
	unsigned int i;
	int j;

	mg->n_mgc = mg->cfg->iq.n_mgc;
	for (i = 0; i < mg->n_mgc; i++)
		mg->mgc_len[i] = endpoint_sa(&mg->cfg->iq.mgc[i].ip, mg->cfg->iq.mgc[i].port,
					     &mg->mgc[i]);
	/* A redirect follows its MGC to its new row; one no longer listed is
	 * dropped (we go back to the list). */
	j = had ? mgc_index(mg, &red, false) : -1;
	mg->has_redirect = j >= 0;
	mg->redirect_idx = j >= 0 ? (unsigned int)j : 0;
}

/* The transaction layer's settings from the live config (reloadable). */
static void
txn_cfg(const struct iq_mg *mg, struct iq_txn_cfg *tc)
{
	const struct cfg_iq *q = &mg->cfg->iq;

	*tc = (struct iq_txn_cfg){
		.long_timer_ms = q->long_timer_ms,
		.rtx_initial_ms = q->retransmit_initial_ms,
		.rtx_max_ms = q->retransmit_max_ms,
		.rtx_count = q->max_retransmits,
		.pending_wait_ms = q->long_timer_ms,
		.n_mgc = q->n_mgc,
		.max_replies = 1024,
		.max_requests = 256,
	};
}

static struct iq_txn *
make_txn(const struct iq_mg *mg)
{
	struct iq_txn_cfg tc;

	txn_cfg(mg, &tc);
	return iq_txn_create(&tc);
}

struct iq_mg *
iq_mg_create(const struct cfg *cfg, struct ctl *ctl, struct ctl_loop *loop, char *err,
	     size_t errlen)
{
	struct iq_proc_hooks hooks = { hook_service_change, hook_inactivity, NULL };
	struct sockaddr_storage ss;
	struct iq_mg *mg;
	socklen_t sl;
	unsigned int i;
	int fd, rc;

	mg = calloc(1, sizeof(*mg));
	if (mg == NULL) {
		snprintf(err, errlen, "iq: out of memory");
		return NULL;
	}
	mg->cfg = cfg;
	mg->ctl = ctl;
	mg->loop = loop;
	mg->ufd = mg->lfd = -1;
	for (i = 0; i < IQ_TCP_CONNS; i++)
		mg->conns[i].fd = -1;
	mg->layout = cfg->iq.encoding == CFG_IQ_COMPACT ? H248_LAYOUT_COMPACT : H248_LAYOUT_PRETTY;
	mg->version = (uint8_t)cfg->iq.version;
	mg->reg_backoff_ms = REG_RETRY_MIN_MS;
	mg->txn_timer.cb = on_txn_timer;
	mg->reg_timer.cb = on_reg_timer;
	load_mgcs(mg);
	hooks.arg = mg;
	mg->arena_mem = malloc(IQ_ARENA_BYTES);
	mg->txn = make_txn(mg);
	mg->proc = iq_proc_create(ctl, &hooks);
	if (mg->arena_mem == NULL || mg->txn == NULL || mg->proc == NULL) {
		snprintf(err, errlen, "iq: out of memory");
		goto fail;
	}
	iq_proc_set_notify_ready(mg->proc, on_notify_ready, mg);
	iq_arena_init(&mg->arena, mg->arena_mem, IQ_ARENA_BYTES);
	if (parse_mid(mg, cfg->iq.mid) < 0) {
		snprintf(err, errlen, "iq: bad mid \"%s\"", cfg->iq.mid);
		goto fail;
	}
	sl = endpoint_sa(&cfg->iq.listen.ip, cfg->iq.listen.port, &ss);
	fd = socket(ss.ss_family,
		    (cfg->iq.transport == CFG_IQ_TCP ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK |
			    SOCK_CLOEXEC,
		    0);
	if (fd < 0) {
		snprintf(err, errlen, "iq: socket: %s", strerror(errno));
		goto fail;
	}
	/* Not for UDP: there it would let a second instance share the port. */
	if (cfg->iq.transport == CFG_IQ_TCP)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int));
	if (cfg->iq.transport == CFG_IQ_UDP) {
		int sz = 4 << 20;

		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	}
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 ||
	    (cfg->iq.transport == CFG_IQ_TCP && listen(fd, 16) < 0)) {
		char b[64];

		snprintf(err, errlen, "iq: cannot listen on %s: %s", addr_str(&ss, b, sizeof(b)),
			 strerror(errno));
		close(fd);
		goto fail;
	}
	if (cfg->iq.transport == CFG_IQ_TCP) {
		mg->lfd = fd;
		rc = ctl_loop_add_fd(loop, fd, EPOLLIN, on_listen, mg);
	} else {
		mg->ufd = fd;
		rc = ctl_loop_add_fd(loop, fd, EPOLLIN, on_udp, mg);
	}
	if (rc < 0) {
		snprintf(err, errlen, "iq: event loop: %s", strerror(-rc));
		goto fail;
	}
	return mg;
fail:
	iq_mg_destroy(mg);
	return NULL;
}

int
iq_mg_start(struct iq_mg *mg)
{
	IQ_LOG(NOTICE, "Iq on %s, mid %s, profile %s; registering with %u MGC(s)",
	       mg->cfg->iq.transport == CFG_IQ_TCP ? "tcp" : "udp", mg->cfg->iq.mid,
	       mg->cfg->iq.profile, mg->n_mgc);
	register_send(mg);
	return 0;
}

void
iq_mg_reload(struct iq_mg *mg)
{
	struct iq_txn_cfg tc;

	load_mgcs(mg);
	/* Timers and the MGC count live in the transaction layer: changed in
	 * place, so the reply cache survives and a retransmission is still
	 * answered from it, never executed twice. */
	txn_cfg(mg, &tc);
	iq_txn_reconfigure(mg->txn, &tc);
	if (mg->reg == REG_WAIT)
		register_send(mg);
}

int
iq_mg_shutdown(struct iq_mg *mg, bool graceful)
{
	char body[256];

	if (mg->reg != REG_UP) {
		mg->down_done = true;
		return -ENOTCONN;
	}
	snprintf(body, sizeof(body),
		 "Context = - { ServiceChange = ROOT { Services { Method = %s, "
		 "Reason = \"905 Termination taken out of service\"%s } } }",
		 graceful ? "Graceful" : "Forced", graceful ? ", Delay = 0" : "");
	mg->reg = REG_DOWN;
	IQ_LOG(NOTICE, "ServiceChange %s to the MGC", graceful ? "Graceful" : "Forced");
	return send_own_request(mg, body, &mg->down_tid);
}

bool
iq_mg_shutdown_done(const struct iq_mg *mg)
{
	return mg->down_done;
}

bool
iq_mg_registered(const struct iq_mg *mg)
{
	return mg->reg == REG_UP;
}

void
iq_mg_get_stats(const struct iq_mg *mg, struct iq_mg_stats *out)
{
	*out = mg->st;
}

void
iq_mg_destroy(struct iq_mg *mg)
{
	unsigned int i;

	if (mg == NULL)
		return;
	ctl_timer_stop(mg->loop, &mg->txn_timer);
	ctl_timer_stop(mg->loop, &mg->reg_timer);
	ctl_timer_stop(mg->loop, &mg->ito_timer);
	ctl_timer_stop(mg->loop, &mg->hb_timer);
	for (i = 0; i < IQ_TCP_CONNS; i++)
		conn_close(mg, &mg->conns[i]);
	if (mg->ufd >= 0) {
		ctl_loop_del_fd(mg->loop, mg->ufd);
		close(mg->ufd);
	}
	if (mg->lfd >= 0) {
		ctl_loop_del_fd(mg->loop, mg->lfd);
		close(mg->lfd);
	}
	iq_proc_destroy(mg->proc);
	iq_txn_destroy(mg->txn);
	OPENSSL_cleanse(mg->out, sizeof(mg->out));
	OPENSSL_cleanse(mg->rx, sizeof(mg->rx));
	for (i = 0; i < IQ_TCP_CONNS; i++)
		OPENSSL_cleanse(mg->conns[i].rbuf, sizeof(mg->conns[i].rbuf));
	IQ_LOG(NOTICE, "iq security: %llu dropped (not an MGC), %llu replies from another MGC, "
	       "%llu redirects refused, %llu rolled back",
	       (unsigned long long)mg->st.rx_dropped_peer, (unsigned long long)mg->st.rx_wrong_mgc,
	       (unsigned long long)mg->st.redirects_refused, (unsigned long long)mg->st.rollbacks);
	if (mg->arena_mem != NULL) {
		OPENSSL_cleanse(mg->arena_mem, IQ_ARENA_BYTES);
		free(mg->arena_mem);
	}
	free(mg);
}
