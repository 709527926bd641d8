/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Iq procedures (private to iq_mg): a dispatch table command -> handler ->
 * control/ API -> status -> error descriptor (STYLE.md iq/). Keeps only
 * H.248's own state per termination (requested events, heartbeats); the
 * termination, its spec and keys are control's.
 *
 * MSRP terminations' connection events come from control
 * (ctl_set_msrp_event_cb(), registered by iq_proc_create()): those the MGC
 * requested become Notify requests, queued here and taken by the endpoint
 * with iq_proc_poll_notify() like heartbeats; the rest are only counted.
 * Thread: control only.
 */
#ifndef IMSAGW_IQ_PROC_H
#define IMSAGW_IQ_PROC_H

#include <stdbool.h>
#include <stdint.h>

#include "h248.h"
#include "iq_map.h"

struct iq_proc;

/* Calls from the procedures back into the endpoint. */
struct iq_proc_hooks {
	/* MGC-initiated ServiceChange on ROOT; mgcid set when it names the
	 * MGC to register with next (Handoff/Failover). Returns 0, or the
	 * H.248.8 error code to answer with (410: MgcIdToTry is not a
	 * configured MGC). */
	uint16_t (*service_change)(void *arg, const struct h248_services *sv);
	/* ROOT Events: it/ito with max inactivity (0 = off). */
	void (*inactivity)(void *arg, uint32_t rid, uint32_t mit_ms);
	void *arg;
};

/* The enabled SRTP suites are read from crypto per request
 * (sec_suite_mask()), so a reload that changes them applies at once.
 * Returns the object or NULL (out of memory). */
struct iq_proc *iq_proc_create(struct ctl *ctl, const struct iq_proc_hooks *hooks);
void iq_proc_destroy(struct iq_proc *p);

/*
 * Execute one request transaction; build the reply in @a.
 * @rep: zeroed by the caller; receives type REPLY, id, actions/errors.
 * Returns: 0 (the reply may carry errors): then call iq_proc_commit(), or
 * iq_proc_rollback() when the reply cannot be sent, before @a is reset;
 * -ENOMEM when @a ran out: what the transaction added (terminations,
 * contexts it created) is already undone. A Modify, Move or Subtract is
 * never undone (they have no inverse in H.248; the reply's error says the
 * transaction failed). Thread: control only.
 */
int iq_proc_execute(struct iq_proc *p, struct iq_arena *a, const struct h248_transaction *req,
		    struct h248_transaction *rep);

/*
 * Undo what the last executed transaction added: its terminations are
 * subtracted, the contexts it created deleted when empty. For a reply that
 * cannot be delivered (over 64 KB: answer 533). Thread: control only.
 */
void iq_proc_rollback(struct iq_proc *p);

/* The last transaction's reply is on its way: forget its undo records
 * (they live in the arena about to be reset). Thread: control only. */
void iq_proc_commit(struct iq_proc *p);

/* A Notify to send: a termination whose heartbeat (hangterm/thb) is due,
 * or an MSRP connection event the MGC requested. */
struct iq_proc_notify {
	uint32_t ctx_id;
	char term_id[CTL_TERM_ID_MAX + 1];
	uint32_t rid;
	const char *event;           /* observed event, with its parameters:
				      * "hangterm/thb",
				      * "tlsbsc/estfail{cause=fingerprint}" */
	char event_buf[96];          /* what event points into, when not static */
};

/* Next Notify: a queued MSRP event, else a heartbeat due at or before
 * @now_ms (re-armed). Returns 1 or 0. */
int iq_proc_poll_notify(struct iq_proc *p, uint64_t now_ms, struct iq_proc_notify *out);
/* Earliest heartbeat deadline, 0 when an MSRP event is queued, or
 * UINT64_MAX. */
uint64_t iq_proc_next_notify(const struct iq_proc *p);
/* Terminations Iq holds state for. */
uint32_t iq_proc_term_count(const struct iq_proc *p);

/* Called when an MSRP event was queued, so the endpoint can send it now
 * (iq_proc_next_notify() says 0). NULL: the next poll finds it. */
void iq_proc_set_notify_ready(struct iq_proc *p, void (*cb)(void *arg), void *arg);

/* Counters (single writer: control). */
struct iq_proc_stats {
	uint64_t msrp_events;        /* connection events heard from control */
	uint64_t msrp_notifies;      /* queued as Notify (the MGC asked) */
	uint64_t msrp_unreported;    /* not asked for, repeated or a stranger's
				      * refused attempt: counted only */
	uint64_t notify_drops;       /* queue full: not reported */
};
void iq_proc_get_stats(const struct iq_proc *p, struct iq_proc_stats *out);

#endif /* IMSAGW_IQ_PROC_H */
