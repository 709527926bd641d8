/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * control: contexts and terminations, the port pool, flow programming,
 * telemetry and the admin socket. This header (with ctl_loop.h) is the
 * module's whole public API.
 *
 * A context (H.248) holds up to two terminations; a termination has a Local
 * side (our address and UDP ports on its realm's port) and a Remote side
 * (the peer). Control turns each termination into the flows that carry what
 * its remote sends (RTP, and RTCP on port + 1 unless rtcp-mux) toward the
 * other termination's remote. Control is the only writer of the flow table.
 *
 * Thread: everything here is control-thread only unless noted.
 */
#ifndef IMSAGW_CTL_H
#define IMSAGW_CTL_H

#include <stdbool.h>
#include <stdint.h>

#include "cfg.h"
#include "ctl_loop.h"
#include "dp.h"
#include "sec.h"

#define CTL_TERM_ID_MAX 64     /* H.248 TerminationID: at most 64 chars */
#define CTL_CTX_MAX_TERMS 2

/* Through-connection, as seen from the termination (H.248 LocalControl
 * Mode): SendOnly = the termination only sends toward its remote. */
enum ctl_mode {
	CTL_MODE_SENDRECV = 0,
	CTL_MODE_SENDONLY,
	CTL_MODE_RECVONLY,
	CTL_MODE_INACTIVE,
};

/* What the termination carries on its wire. */
enum ctl_transport {
	CTL_TR_RTP = 0,      /* RTP/AVP: relayed */
	CTL_TR_SRTP_E2E,     /* RTP/SAVP without e2ae: SRTP relayed untouched
			      * (TS 23.334: the AGW does not decrypt) */
	CTL_TR_SRTP_E2AE,    /* e2ae (TS 33.328): SRTP/SRTCP on this
			      * termination's wire, terminated here; the peer
			      * termination carries plain RTP/RTCP */
};

/* Requested state of a termination. Zero it, then fill what is known. */
struct ctl_term_spec {
	enum cfg_port_role realm;     /* which port: access or core */
	int family;                   /* AF_INET/AF_INET6 for the local address;
				       * 0 = the port's first IPv4, else IPv6 */
	uint16_t local_port;          /* requested RTP port; 0 = from the pool */
	struct cfg_ip remote;         /* family 0 = remote not known yet */
	uint16_t remote_port;         /* RTP; 0 = not known yet */
	uint16_t remote_rtcp_port;    /* 0 = remote_port + 1 (same with mux) */
	bool rtcp_mux;                /* RTCP on the RTP port (RFC 5761) */
	bool latch;                   /* send to the source of the first valid
				       * packet instead of remote (ipnapt) */
	bool src_filter;              /* accept only from remote (gm/saf) */
	enum ctl_mode mode;
	enum ctl_transport transport;
	/* CTL_TR_SRTP_E2AE only. RFC 4568 §5.1.1: each side's key encrypts
	 * what that side sends. rx_key is the remote's (the UE's, from Remote
	 * a=crypto): we unprotect what it sends with it. tx_key is ours (Local
	 * a=crypto, generated on CHOOSE): we protect what we send to it. A
	 * direction without its key is gated closed. Control copies keys and
	 * cleanses its copies; the caller cleanses its own spec. */
	struct sdes_crypto rx_key;
	bool has_rx_key;
	struct sdes_crypto tx_key;
	bool has_tx_key;
	enum sec_engine engine;       /* SEC_ENGINE_DEFAULT = the config's */
};

/* What the gateway chose for a termination. */
struct ctl_term_info {
	char id[CTL_TERM_ID_MAX + 1];
	uint32_t ctx_id;
	struct cfg_ip local;
	uint16_t local_port;          /* RTP */
	uint16_t local_rtcp_port;     /* == local_port with rtcp-mux */
	bool latched;                 /* remote learned from traffic */
	struct cfg_ip remote;         /* in use (programmed or latched) */
	uint16_t remote_port;
};

/* Per-direction counters of one stream (RTP or RTCP). */
struct ctl_dir_stats {
	uint64_t pkts;                /* forwarded */
	uint64_t bytes;               /* UDP payload octets forwarded */
	uint64_t drops[DP_FLOW_DROP_MAX];
};

/* Statistics of a termination. "in" is what its remote sent us, "out" what
 * we sent to its remote (H.248 nt/or, nt/os, rtp/pr, rtp/ps). */
struct ctl_term_stats {
	struct ctl_dir_stats rtp_in, rtp_out, rtcp_in, rtcp_out;
	uint64_t duration_ms;
};

struct ctl;

/*
 * Create the control plane over a running data plane. loop is the control
 * event loop; ctl registers its timers (RCU reclaim, neighbour refresh) and
 * the neighbour socket there.
 * @return ctl or NULL with err filled.
 */
struct ctl *ctl_create(const struct cfg *cfg, struct dp *dp, struct ctl_loop *loop, char *err,
		       size_t errlen);

/* Delete every context (flows unpublished and synced), free everything. */
void ctl_destroy(struct ctl *c);

/* Create an empty context. *ctx_id: 0 = choose (returned), else that id.
 * @return 0, -EEXIST, -ENOSPC (limits.max_contexts). */
int ctl_context_create(struct ctl *c, uint32_t *ctx_id);

/* Subtract every termination of the context and delete it.
 * @return 0 or -ENOENT. */
int ctl_context_delete(struct ctl *c, uint32_t ctx_id);

/*
 * Add a termination to a context. term_id NULL or "$" = choose
 * ("ip/<realm>/<n>"); ids are matched case-insensitively and stored in
 * lower case.
 * @return 0 with out filled; -ENOENT (no such context), -EEXIST (id in use),
 *         -E2BIG (context full), -EADDRNOTAVAIL (no address of that family
 *         on the port, or local_port taken/outside the range), -ENOSPC (port
 *         pool or flow table exhausted), -ENOTSUP (combination not supported),
 *         -EINVAL.
 */
int ctl_term_add(struct ctl *c, uint32_t ctx_id, const char *term_id,
		 const struct ctl_term_spec *spec, struct ctl_term_info *out);

/* Change remote, mode, latch, filter or transport of a termination (the
 * realm, family and local port stay). Flows are rebuilt and swapped in;
 * counters survive. @return as ctl_term_add, and -ESRCH when the
 * termination is not in that context. */
int ctl_term_modify(struct ctl *c, uint32_t ctx_id, const char *term_id,
		    const struct ctl_term_spec *spec, struct ctl_term_info *out);

/*
 * Move a termination to another context (H.248.1 §7.2.4) with its local
 * ports, crypto sessions and their SRTP state (ROC, replay windows, SRTCP
 * index) and its counters: the same keys never start over (RFC 3711 §9.1).
 * Both contexts are reprogrammed; the one left empty is deleted.
 * @return 0 with out filled (out->ctx_id == to_ctx); -ESRCH (no such
 *         termination), -ENOENT (no context to_ctx), -EEXIST (already in
 *         to_ctx), -E2BIG (to_ctx full), -ENOTSUP (not combinable with the
 *         termination there), -ENOSPC/-ENOMEM (flow table: the termination
 *         stays where it was).
 */
int ctl_term_move(struct ctl *c, const char *term_id, uint32_t to_ctx,
		  struct ctl_term_info *out);

/* Remove a termination; its final statistics go to *out (may be NULL). The
 * context is deleted with its last termination. @return 0, -ENOENT, -ESRCH. */
int ctl_term_subtract(struct ctl *c, uint32_t ctx_id, const char *term_id,
		      struct ctl_term_stats *out);

/* Current state and statistics of a termination. @return 0, -ENOENT, -ESRCH. */
int ctl_term_get(struct ctl *c, uint32_t ctx_id, const char *term_id,
		 struct ctl_term_info *info, struct ctl_term_stats *stats);

/* Find a termination's context by its id. @return 0 or -ESRCH. */
int ctl_term_find(struct ctl *c, const char *term_id, uint32_t *ctx_id);

/* Walk contexts (ids) and their termination ids. Stops when cb != 0. */
int ctl_context_iterate(struct ctl *c,
			int (*cb)(uint32_t ctx_id, const char *const *term_ids,
				  unsigned int n_terms, void *arg),
			void *arg);

uint32_t ctl_context_count(const struct ctl *c);
uint32_t ctl_term_count(const struct ctl *c);

/* Drain worker events and neighbour changes, reclaim RCU-deferred flows.
 * Called by the control loop's housekeeping timer; exposed for tests. */
void ctl_poll(struct ctl *c);

/*
 * Telemetry (DPDK /imsagw/... commands). Callbacks run on telemetry threads;
 * they hand their request to the control loop through an eventfd and wait
 * (bounded) for it, so every read of control state happens on the control
 * thread. Call once after ctl_create. @return 0 or -errno.
 */
int ctl_telemetry_init(struct ctl *c);
void ctl_telemetry_fini(struct ctl *c);

/*
 * The admin socket: a UNIX stream socket taking one-line commands (see
 * docs/operations.md; imsagw-ctl is its client). Used by operators and by
 * the demo and tests to program contexts without an MGC.
 * @return 0 or -errno.
 */
int ctl_admin_init(struct ctl *c, const char *path);
void ctl_admin_fini(struct ctl *c);

/* Execute one admin command line; the reply (one or more lines, the last
 * starting "ok" or "error") goes to out. Exposed for unit tests. */
void ctl_admin_exec(struct ctl *c, const char *line, char *out, size_t outlen);

#endif /* IMSAGW_CTL_H */
