/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The gateway side of Iq: transport (UDP, or TCP with TPKT framing),
 * transactions wired into the control loop, registration and lifecycle
 * (ServiceChange), and the procedures (iq_proc) that drive control/.
 *
 * main() creates it after ctl_create(), calls iq_mg_start() once the
 * workers run, and iq_mg_shutdown() + a few loop rounds on SIGTERM.
 * Thread: control only.
 */
#ifndef IMSAGW_IQ_MG_H
#define IMSAGW_IQ_MG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg.h"
#include "ctl.h"
#include "ctl_loop.h"

struct iq_mg;

/* Counters (single writer: control). */
struct iq_mg_stats {
	uint64_t rx_msgs;          /* messages received from an MGC */
	uint64_t rx_dropped_peer;  /* from an address:port not in iq.mgc: dropped */
	uint64_t rx_wrong_mgc;     /* Reply/Pending not from the MGC our request
				    * went to: ignored */
	uint64_t redirects_refused;/* MgcIdToTry/ServiceChangeAddress naming no
				    * configured MGC: refused */
	uint64_t rollbacks;        /* transactions undone: reply over 64 KB or
				    * out of arena */
	uint64_t rx_bad;           /* undecodable (answered with an error) */
	uint64_t tx_msgs;
	uint64_t requests;         /* MGC requests executed */
	uint64_t duplicates;       /* answered from the reply cache */
	uint64_t pendings;         /* TransactionPending sent */
	uint64_t acks;             /* TransactionResponseAck entries honoured */
	uint64_t errors;           /* error descriptors sent */
	uint64_t registrations;    /* ServiceChange replies accepted */
	uint64_t notifies;         /* Notify requests sent */
	uint64_t retransmits;      /* our requests sent again */
	uint64_t failovers;
};

/*
 * Create the Iq endpoint: open the listen socket of cfg->iq (UDP or TCP)
 * and register it with @loop. @cfg must outlive the object (SIGHUP updates
 * cfg->iq in place; call iq_mg_reload() after). Only the MGCs of
 * cfg->iq.mgc are served, by address and port over UDP (by address on a
 * TCP connection the MGC opened); a redirection may only name one of them.
 * Returns: the object, or NULL with @err filled. Thread: control only.
 */
struct iq_mg *iq_mg_create(const struct cfg *cfg, struct ctl *ctl, struct ctl_loop *loop,
			   char *err, size_t errlen);

/* Send ServiceChange Restart (901) to the first MGC and keep retrying with
 * backoff and failover until one answers. Returns: 0 (a failed send is
 * retried from the loop, not reported). Thread: control only. */
int iq_mg_start(struct iq_mg *mg);

/* Re-read the MGC list and timers after a config reload; a redirection to
 * another MGC stays if that MGC (address and port) is still listed.
 * Thread: control only. */
void iq_mg_reload(struct iq_mg *mg);

/*
 * Tell the MGC we go out of service: ServiceChange Forced (905) or
 * Graceful (with Delay). The caller keeps running the loop until
 * iq_mg_shutdown_done() or its own deadline.
 * Returns: 0; -ENOTCONN when not registered (nothing sent); -E2BIG,
 * -EINVAL or -ENOSPC when the request cannot be built (nothing sent);
 * -ENOSPC, -ENOMEM or -EEXIST when it was sent once but cannot be queued
 * for retransmission. Thread: control only.
 */
int iq_mg_shutdown(struct iq_mg *mg, bool graceful);
/* Returns: true once the shutdown ServiceChange was answered or given up
 * (or none was needed). Thread: control only. */
bool iq_mg_shutdown_done(const struct iq_mg *mg);

/* Returns: true while registered with an MGC. Thread: control only. */
bool iq_mg_registered(const struct iq_mg *mg);
/* Copy the counters to @out. Thread: control only (the counters are
 * single-writer; a telemetry thread must go through the control loop). */
void iq_mg_get_stats(const struct iq_mg *mg, struct iq_mg_stats *out);

/* Close sockets, forget state (cleansing every buffer that held a message:
 * replies carry our keys, requests the UE's) and log the security
 * counters. NULL is ignored. Thread: control only. */
void iq_mg_destroy(struct iq_mg *mg);

#endif /* IMSAGW_IQ_MG_H */
