/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Iq transaction layer: at-most-once execution of MGC requests (reply cache
 * plus in-progress set) and retransmission/failover of our own requests
 * (H.248.1 Annex D.1; SPEC.md §4.4). Pure: time is passed in.
 *
 * Tables are fixed-size arrays scanned linearly: Iq runs at most a few
 * hundred transactions per second and the tables hold ~1000 entries, so a
 * scan costs microseconds and keeps the code obviously correct.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "iq_txn.h"

enum rep_state {
	REP_FREE = 0,
	REP_IN_PROGRESS,
	REP_ANSWERED,
};

struct rep {
	enum rep_state state;
	struct iq_addr peer;
	uint32_t tid;
	uint64_t expires;          /* ANSWERED: now + long timer */
	uint8_t *reply;
	size_t reply_len;
};

struct req {
	bool used;
	uint32_t tid;
	uint8_t *msg;
	size_t len;
	uint64_t deadline;
	uint32_t rto;              /* current timeout */
	uint32_t sent;             /* retransmissions to the current MGC */
	uint32_t mgcs_tried;       /* MGCs tried including the current one */
	uint32_t pendings;
	bool waiting_pending;
};

struct iq_txn {
	struct iq_txn_cfg cfg;
	bool random_tid;           /* ids from getrandom (first_tid 0) */
	uint32_t next_tid;
	uint32_t mgc;              /* current MGC index */
	struct rep *reps;
	struct req *reqs;
};

static void
cfg_defaults(struct iq_txn_cfg *c)
{
	if (c->long_timer_ms == 0)
		c->long_timer_ms = 30000;
	if (c->rtx_initial_ms == 0)
		c->rtx_initial_ms = 2000;
	if (c->rtx_max_ms == 0)
		c->rtx_max_ms = 8000;
	if (c->rtx_max_ms < c->rtx_initial_ms)
		c->rtx_max_ms = c->rtx_initial_ms;
	if (c->rtx_count == 0)
		c->rtx_count = 4;
	if (c->pending_wait_ms == 0)
		c->pending_wait_ms = c->long_timer_ms;
	if (c->pending_limit == 0)
		c->pending_limit = 10;
	if (c->n_mgc == 0)
		c->n_mgc = 1;
	if (c->max_replies == 0)
		c->max_replies = 1024;
	if (c->max_requests == 0)
		c->max_requests = 64;
}

struct iq_txn *
iq_txn_create(const struct iq_txn_cfg *cfg)
{
	struct iq_txn *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	if (cfg != NULL)
		t->cfg = *cfg;
	cfg_defaults(&t->cfg);
	t->next_tid = t->cfg.first_tid;
	t->random_tid = t->cfg.first_tid == 0;
	t->reps = calloc(t->cfg.max_replies, sizeof(*t->reps));
	t->reqs = calloc(t->cfg.max_requests, sizeof(*t->reqs));
	if (t->reps == NULL || t->reqs == NULL) {
		iq_txn_destroy(t);
		return NULL;
	}
	return t;
}

void
iq_txn_reconfigure(struct iq_txn *t, const struct iq_txn_cfg *cfg)
{
	struct iq_txn_cfg c = cfg != NULL ? *cfg : (struct iq_txn_cfg){ 0 };

	c.max_replies = t->cfg.max_replies;
	c.max_requests = t->cfg.max_requests;
	c.first_tid = t->cfg.first_tid;
	cfg_defaults(&c);
	t->cfg = c;
	/* Fewer MGCs: the current one may be gone; start again at the first. */
	if (t->mgc >= t->cfg.n_mgc)
		t->mgc = 0;
}

static void
rep_free(struct rep *r)
{
	/* An Add or Modify reply's Local carries our SDES key: wipe it before
	 * the allocator hands the memory on (explicit_bzero is not optimised
	 * away; this pure layer does not link OpenSSL for OPENSSL_cleanse). */
	if (r->reply != NULL)
		explicit_bzero(r->reply, r->reply_len);
	free(r->reply);
	memset(r, 0, sizeof(*r));
}

static void
req_free(struct req *q)
{
	free(q->msg);
	memset(q, 0, sizeof(*q));
}

void
iq_txn_destroy(struct iq_txn *t)
{
	uint32_t i;

	if (t == NULL)
		return;
	if (t->reps != NULL)
		for (i = 0; i < t->cfg.max_replies; i++)
			rep_free(&t->reps[i]);
	if (t->reqs != NULL)
		for (i = 0; i < t->cfg.max_requests; i++)
			req_free(&t->reqs[i]);
	free(t->reps);
	free(t->reqs);
	free(t);
}

static bool
peer_eq(const struct iq_addr *a, const struct iq_addr *b)
{
	return a->len == b->len && memcmp(a->b, b->b, a->len) == 0;
}

static struct rep *
rep_find(struct iq_txn *t, const struct iq_addr *peer, uint32_t tid)
{
	uint32_t i;

	for (i = 0; i < t->cfg.max_replies; i++) {
		struct rep *r = &t->reps[i];

		if (r->state != REP_FREE && r->tid == tid && peer_eq(&r->peer, peer))
			return r;
	}
	return NULL;
}

static void
expire_replies(struct iq_txn *t, uint64_t now)
{
	uint32_t i;

	for (i = 0; i < t->cfg.max_replies; i++)
		if (t->reps[i].state == REP_ANSWERED && t->reps[i].expires <= now)
			rep_free(&t->reps[i]);
}

int
iq_txn_rx_request(struct iq_txn *t, const struct iq_addr *peer, uint32_t tid,
		  uint64_t now_ms, const uint8_t **reply, size_t *reply_len)
{
	struct rep *r;
	uint32_t i;

	if (t == NULL || peer == NULL || peer->len > IQ_ADDR_MAX)
		return -EINVAL;
	r = rep_find(t, peer, tid);
	if (r != NULL && r->state == REP_ANSWERED && r->expires <= now_ms) {
		rep_free(r);
		r = NULL;
	}
	if (r != NULL && r->state == REP_IN_PROGRESS)
		return IQ_TXN_RX_PENDING;
	if (r != NULL) {
		if (reply != NULL)
			*reply = r->reply;
		if (reply_len != NULL)
			*reply_len = r->reply_len;
		return IQ_TXN_RX_RESEND;
	}
	for (i = 0; i < t->cfg.max_replies; i++)
		if (t->reps[i].state == REP_FREE)
			break;
	if (i == t->cfg.max_replies) {
		expire_replies(t, now_ms);
		for (i = 0; i < t->cfg.max_replies; i++)
			if (t->reps[i].state == REP_FREE)
				break;
		if (i == t->cfg.max_replies)
			return -ENOSPC;
	}
	r = &t->reps[i];
	r->state = REP_IN_PROGRESS;
	r->peer = *peer;
	r->tid = tid;
	return IQ_TXN_RX_NEW;
}

int
iq_txn_reply_done(struct iq_txn *t, const struct iq_addr *peer, uint32_t tid,
		  const void *reply, size_t len, uint64_t now_ms)
{
	struct rep *r;
	uint8_t *copy;

	if (t == NULL || peer == NULL || (reply == NULL && len > 0))
		return -EINVAL;
	r = rep_find(t, peer, tid);
	if (r == NULL || r->state != REP_IN_PROGRESS)
		return -ENOENT;
	copy = malloc(len ? len : 1);
	if (copy == NULL)
		return -ENOMEM;
	if (len > 0)
		memcpy(copy, reply, len);
	r->reply = copy;
	r->reply_len = len;
	r->state = REP_ANSWERED;
	r->expires = now_ms + t->cfg.long_timer_ms;
	return 0;
}

int
iq_txn_abandon(struct iq_txn *t, const struct iq_addr *peer, uint32_t tid)
{
	struct rep *r;

	if (t == NULL || peer == NULL)
		return -EINVAL;
	r = rep_find(t, peer, tid);
	if (r == NULL || r->state != REP_IN_PROGRESS)
		return -ENOENT;
	rep_free(r);
	return 0;
}

unsigned int
iq_txn_rx_ack(struct iq_txn *t, const struct iq_addr *peer, uint32_t first,
	      uint32_t last)
{
	unsigned int n = 0;
	uint32_t i;

	if (t == NULL || peer == NULL)
		return 0;
	for (i = 0; i < t->cfg.max_replies; i++) {
		struct rep *r = &t->reps[i];

		if (r->state == REP_ANSWERED && r->tid >= first && r->tid <= last &&
		    peer_eq(&r->peer, peer)) {
			rep_free(r);
			n++;
		}
	}
	return n;
}

static struct req *
req_find(struct iq_txn *t, uint32_t tid)
{
	uint32_t i;

	for (i = 0; i < t->cfg.max_requests; i++)
		if (t->reqs[i].used && t->reqs[i].tid == tid)
			return &t->reqs[i];
	return NULL;
}

/* A random id; getrandom(2) on a 4-byte request does not block once the
 * pool is initialised and is not interrupted (man 2 getrandom). */
static uint32_t
random_tid(struct iq_txn *t)
{
	uint32_t id = 0;
	int i;

	for (i = 0; i < 16; i++) {
		if (getrandom(&id, sizeof(id), 0) != (ssize_t)sizeof(id))
			break;
		if (id != 0 && req_find(t, id) == NULL)
			return id;
	}
	/* No randomness: a sequence still works, it is just guessable. */
	do
		id = t->next_tid++;
	while (id == 0 || req_find(t, id) != NULL);
	return id;
}

uint32_t
iq_txn_next_tid(struct iq_txn *t)
{
	uint32_t id;

	if (t->random_tid)
		return random_tid(t);
	id = t->next_tid++;
	if (t->next_tid == 0)
		t->next_tid = 1;
	return id;
}

int
iq_tpkt_header(size_t msg_len, uint8_t hdr[IQ_TPKT_HDR])
{
	size_t n = msg_len + IQ_TPKT_HDR;

	if (msg_len == 0 || msg_len > IQ_TPKT_MAX_MSG)
		return -EMSGSIZE;
	hdr[0] = 3; /* RFC 1006 §6: version 3 */
	hdr[1] = 0;
	hdr[2] = (uint8_t)(n >> 8);
	hdr[3] = (uint8_t)n;
	return 0;
}

int
iq_tpkt_parse(const uint8_t *buf, size_t len, size_t *msg_off, size_t *msg_len,
	      size_t *frame_len)
{
	size_t n;

	*frame_len = 0;
	if (len < IQ_TPKT_HDR)
		return 0;
	n = (size_t)buf[2] << 8 | buf[3];
	if (buf[0] != 3 || n < IQ_TPKT_HDR + 1)
		return -EBADMSG;
	if (len < n)
		return 0;
	*msg_off = IQ_TPKT_HDR;
	*msg_len = n - IQ_TPKT_HDR;
	*frame_len = n;
	return 1;
}

int
iq_txn_send_request(struct iq_txn *t, uint32_t tid, const void *msg,
		    size_t len, uint64_t now_ms)
{
	struct req *q = NULL;
	uint32_t i;

	if (t == NULL || msg == NULL || len == 0)
		return -EINVAL;
	if (req_find(t, tid) != NULL)
		return -EEXIST;
	for (i = 0; i < t->cfg.max_requests; i++)
		if (!t->reqs[i].used) {
			q = &t->reqs[i];
			break;
		}
	if (q == NULL)
		return -ENOSPC;
	q->msg = malloc(len);
	if (q->msg == NULL)
		return -ENOMEM;
	memcpy(q->msg, msg, len);
	q->len = len;
	q->used = true;
	q->tid = tid;
	q->rto = t->cfg.rtx_initial_ms;
	q->deadline = now_ms + q->rto;
	q->mgcs_tried = 1;
	return 0;
}

int
iq_txn_rx_reply(struct iq_txn *t, uint32_t tid)
{
	struct req *q = t != NULL ? req_find(t, tid) : NULL;

	if (q == NULL)
		return -ENOENT;
	req_free(q);
	return 0;
}

int
iq_txn_rx_pending(struct iq_txn *t, uint32_t tid, uint64_t now_ms)
{
	struct req *q = t != NULL ? req_find(t, tid) : NULL;

	if (q == NULL)
		return -ENOENT;
	if (++q->pendings > t->cfg.pending_limit) {
		req_free(q);
		return -ETIMEDOUT;
	}
	q->waiting_pending = true;
	q->deadline = now_ms + t->cfg.pending_wait_ms;
	return 0;
}

int
iq_txn_poll(struct iq_txn *t, uint64_t now_ms, struct iq_txn_action *act)
{
	struct req *q = NULL;
	uint32_t i;

	if (t == NULL || act == NULL)
		return 0;
	expire_replies(t, now_ms);
	/* Earliest due request first, so actions come out in time order. */
	for (i = 0; i < t->cfg.max_requests; i++) {
		struct req *c = &t->reqs[i];

		if (c->used && c->deadline <= now_ms &&
		    (q == NULL || c->deadline < q->deadline))
			q = c;
	}
	if (q == NULL)
		return 0;
	memset(act, 0, sizeof(*act));
	act->tid = q->tid;
	if (q->waiting_pending || q->sent >= t->cfg.rtx_count) {
		/*
		 * Retransmissions to this MGC used up (or its Pending wait ran
		 * out): try the next MGC, or give up when all were tried.
		 */
		if (q->mgcs_tried >= t->cfg.n_mgc) {
			act->type = IQ_TXN_ACT_GIVE_UP;
			act->mgc_idx = t->mgc;
			req_free(q);
			return 1;
		}
		/* The current MGC is shared: every request follows the move. */
		t->mgc = (t->mgc + 1) % t->cfg.n_mgc;
		q->mgcs_tried++;
		q->sent = 0;
		q->pendings = 0;
		q->waiting_pending = false;
		q->rto = t->cfg.rtx_initial_ms;
		q->deadline = now_ms + q->rto;
		act->type = IQ_TXN_ACT_FAILOVER;
		act->mgc_idx = t->mgc;
		act->msg = q->msg;
		act->msg_len = q->len;
		return 1;
	}
	q->sent++;
	q->rto = q->rto * 2 > t->cfg.rtx_max_ms ? t->cfg.rtx_max_ms : q->rto * 2;
	q->deadline = now_ms + q->rto;
	act->type = IQ_TXN_ACT_RETRANSMIT;
	act->mgc_idx = t->mgc;
	act->msg = q->msg;
	act->msg_len = q->len;
	return 1;
}

uint64_t
iq_txn_next_deadline(const struct iq_txn *t)
{
	uint64_t d = UINT64_MAX;
	uint32_t i;

	if (t == NULL)
		return d;
	for (i = 0; i < t->cfg.max_replies; i++)
		if (t->reps[i].state == REP_ANSWERED && t->reps[i].expires < d)
			d = t->reps[i].expires;
	for (i = 0; i < t->cfg.max_requests; i++)
		if (t->reqs[i].used && t->reqs[i].deadline < d)
			d = t->reqs[i].deadline;
	return d;
}

uint32_t
iq_txn_current_mgc(const struct iq_txn *t)
{
	return t != NULL ? t->mgc : 0;
}

void
iq_txn_counts(const struct iq_txn *t, uint32_t *replies, uint32_t *requests)
{
	uint32_t i, nr = 0, nq = 0;

	for (i = 0; t != NULL && i < t->cfg.max_replies; i++)
		if (t->reps[i].state != REP_FREE)
			nr++;
	for (i = 0; t != NULL && i < t->cfg.max_requests; i++)
		if (t->reqs[i].used)
			nq++;
	if (replies != NULL)
		*replies = nr;
	if (requests != NULL)
		*requests = nq;
}
