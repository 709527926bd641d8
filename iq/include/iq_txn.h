/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Iq transaction layer (H.248.1 Annex D.1; SPEC.md §4.4). Pure: no
 * sockets, no clock, no logging. Time comes in as now_ms (any monotonic
 * millisecond clock) and timers go out as deadlines (iq_txn_next_deadline)
 * that the control loop arms.
 *
 * Incoming requests (MGC -> us), per (MGC address, TransactionID):
 *   - a new request is marked in progress and executed by the caller;
 *   - a duplicate of one in progress gets "Pending" (never re-executed);
 *   - a duplicate of one answered gets the stored reply again;
 *   - stored replies live LONG-TIMER or until a TransactionResponseAck.
 * Outgoing requests (us -> MGC: ServiceChange, Notify): retransmitted with
 * exponential backoff (initial, max, count); a Pending from the MGC stops
 * retransmission until the pending wait expires; when the count is used
 * up the request fails over to the next MGC, then gives up.
 *
 * One iq_txn object belongs to the control thread; it is not thread-safe.
 */
#ifndef IMSAGW_IQ_TXN_H
#define IMSAGW_IQ_TXN_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* Opaque peer address (e.g. a struct sockaddr_storage prefix); compared bytewise. */
#define IQ_ADDR_MAX 28
struct iq_addr {
	uint8_t len;
	uint8_t b[IQ_ADDR_MAX];
};

struct iq_txn_cfg {
	uint32_t long_timer_ms;    /* reply cache lifetime; default 30000 */
	uint32_t rtx_initial_ms;   /* first retransmission timeout; default 2000 */
	uint32_t rtx_max_ms;       /* backoff cap; default 8000 */
	uint32_t rtx_count;        /* retransmissions per MGC; default 4 */
	uint32_t pending_wait_ms;  /* wait after a Pending; default long_timer_ms */
	uint32_t pending_limit;    /* Pendings accepted per request; default 10 */
	uint32_t n_mgc;            /* MGCs to fail over across; default 1 */
	uint32_t max_replies;      /* reply cache entries; default 1024 */
	uint32_t max_requests;     /* outstanding own requests; default 64 */
	uint32_t first_tid;        /* 0 (default): our TransactionIDs are random;
				    * else a plain sequence from it (tests) */
};

struct iq_txn;

enum iq_txn_rx {
	IQ_TXN_RX_NEW = 0,         /* execute it, then iq_txn_reply_done() */
	IQ_TXN_RX_PENDING,         /* duplicate of work in progress: send Pending */
	IQ_TXN_RX_RESEND,          /* duplicate: send *reply again, do not execute */
};

enum iq_txn_act_type {
	IQ_TXN_ACT_RETRANSMIT = 1, /* send msg (same bytes) to MGC mgc_idx */
	IQ_TXN_ACT_FAILOVER,       /* switched to MGC mgc_idx; send msg there */
	IQ_TXN_ACT_GIVE_UP,        /* every MGC tried (or too many Pendings): request failed */
};

struct iq_txn_action {
	enum iq_txn_act_type type;
	uint32_t tid;
	uint32_t mgc_idx;
	const uint8_t *msg;        /* valid until the next call on the object */
	size_t msg_len;
};

/*
 * Create a transaction layer. @cfg: NULL or zero fields for defaults.
 * Returns: the object, or NULL when out of memory.
 * Thread: control only.
 */
struct iq_txn *iq_txn_create(const struct iq_txn_cfg *cfg);

/*
 * New timers and MGC count (a SIGHUP reload) without losing state: stored
 * replies, requests in progress and our outstanding requests stay, so a
 * retransmitted request is still answered from the cache and never executed
 * twice. Timers already running keep their deadlines; the new values apply
 * from their next start. @cfg fields 0 mean the default, as at create;
 * max_replies, max_requests and first_tid are table sizes and an id
 * sequence, and keep their values. Thread: control only.
 */
void iq_txn_reconfigure(struct iq_txn *t, const struct iq_txn_cfg *cfg);

/*
 * Free the object and every stored message. NULL is ignored.
 * Thread: control only.
 */
void iq_txn_destroy(struct iq_txn *t);

/*
 * Classify an incoming request.
 * @peer, @tid: who sent it and its TransactionID; @now_ms: current time.
 * @reply, @reply_len: for IQ_TXN_RX_RESEND, the stored reply bytes (valid
 * until the next call on the object).
 * Returns: IQ_TXN_RX_NEW (now in progress), IQ_TXN_RX_PENDING,
 * IQ_TXN_RX_RESEND; -ENOSPC when the in-progress/reply table is full of
 * live entries (answer 510).
 * Thread: control only.
 */
int iq_txn_rx_request(struct iq_txn *t, const struct iq_addr *peer,
		      uint32_t tid, uint64_t now_ms, const uint8_t **reply,
		      size_t *reply_len);

/*
 * Store the reply sent for a request that was IQ_TXN_RX_NEW; it is kept
 * until now_ms + long_timer_ms or a covering TransactionResponseAck.
 * Returns: 0; -ENOENT if the request is not in progress; -ENOMEM.
 * Thread: control only.
 */
int iq_txn_reply_done(struct iq_txn *t, const struct iq_addr *peer,
		      uint32_t tid, const void *reply, size_t len,
		      uint64_t now_ms);

/*
 * Drop an in-progress request without a stored reply (e.g. the reply
 * could not be built). Returns: 0 or -ENOENT. Thread: control only.
 */
int iq_txn_abandon(struct iq_txn *t, const struct iq_addr *peer,
		   uint32_t tid);

/*
 * TransactionResponseAck { first-last } from @peer: forget stored replies
 * in the range. Returns: the number of replies dropped.
 * Thread: control only.
 */
unsigned int iq_txn_rx_ack(struct iq_txn *t, const struct iq_addr *peer,
			   uint32_t first, uint32_t last);

/*
 * Register one of our requests for retransmission. The caller has just
 * sent @msg to the current MGC. The TransactionID must already be in
 * @msg: get it first with iq_txn_next_tid().
 * Returns: 0; -ENOSPC when max_requests are outstanding; -ENOMEM; -EEXIST
 * when tid is already outstanding. Thread: control only.
 */
int iq_txn_send_request(struct iq_txn *t, uint32_t tid, const void *msg,
			size_t len, uint64_t now_ms);

/*
 * Allocate the next TransactionID for our own requests (never 0, never one
 * still outstanding). With first_tid 0 each id is drawn from getrandom(2):
 * an off-path spoofer who cannot see our requests cannot guess the id a
 * forged Reply must carry (a Reply to our ServiceChange steers
 * registration, H.248.1 §11.2). With first_tid set, a plain sequence.
 * Returns: the id. Thread: control only.
 */
uint32_t iq_txn_next_tid(struct iq_txn *t);

/*
 * TPKT framing of H.248 over TCP (RFC 1006 §6; H.248.1 Annex D.2): a 4-byte
 * header (version 3, reserved, 16-bit length including the header), then
 * the message. Pure functions, so the reassembly is fuzzed on its own.
 */
#define IQ_TPKT_HDR 4
#define IQ_TPKT_MAX_MSG (65535u - IQ_TPKT_HDR) /* the length field's limit */

/*
 * Write the header for a message of @msg_len bytes into @hdr.
 * Returns: 0; -EMSGSIZE when @msg_len is 0 or above IQ_TPKT_MAX_MSG (the
 * 16-bit length would wrap: refuse rather than send a truncated frame).
 * Thread: any.
 */
int iq_tpkt_header(size_t msg_len, uint8_t hdr[IQ_TPKT_HDR]);

/*
 * Find the first complete frame in @buf[0..@len).
 * Returns: 1 with the message at @buf + *@msg_off, *@msg_len bytes, and
 * *@frame_len bytes (header included) to consume; 0 when more bytes are
 * needed (*@frame_len is then 0); -EBADMSG when the header is not TPKT
 * (version other than 3, or a length below 5): the stream is lost, close.
 * Thread: any.
 */
int iq_tpkt_parse(const uint8_t *buf, size_t len, size_t *msg_off, size_t *msg_len,
		  size_t *frame_len);

/*
 * A Reply to our request arrived: stop its timers.
 * Returns: 0; -ENOENT if the tid is not outstanding (late duplicate reply).
 * Thread: control only.
 */
int iq_txn_rx_reply(struct iq_txn *t, uint32_t tid);

/*
 * A Pending for our request arrived: stop retransmitting, wait
 * pending_wait_ms. Returns: 0; -ENOENT if not outstanding; -ETIMEDOUT when
 * pending_limit is exceeded (the request is then dropped: treat as 506).
 * Thread: control only.
 */
int iq_txn_rx_pending(struct iq_txn *t, uint32_t tid, uint64_t now_ms);

/*
 * Run timers due at @now_ms: expire stored replies and produce at most one
 * action for our requests. Call until it returns 0.
 * Returns: 1 with *act filled; 0 when nothing (more) is due.
 * Thread: control only.
 */
int iq_txn_poll(struct iq_txn *t, uint64_t now_ms, struct iq_txn_action *act);

/*
 * Earliest deadline of any timer, or UINT64_MAX when none.
 * Thread: control only.
 */
uint64_t iq_txn_next_deadline(const struct iq_txn *t);

/*
 * MGC our requests currently go to (0..n_mgc-1). Thread: control only.
 */
uint32_t iq_txn_current_mgc(const struct iq_txn *t);

/*
 * Entries currently held: stored replies + in progress (@replies) and
 * outstanding own requests (@requests); either may be NULL.
 * Thread: control only.
 */
void iq_txn_counts(const struct iq_txn *t, uint32_t *replies,
		   uint32_t *requests);

#endif /* IMSAGW_IQ_TXN_H */
