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
 * An MSRP termination (TS 33.328 e2ae, SPEC.md §2, §3.6) has a TCP port
 * instead, and a leg of the MSRP relay (dp_msrp.h) instead of flows: TLS
 * on the access side, plain TCP toward the core; the two legs of a context
 * are joined and relay each other's bytes unchanged.
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
#include "dp_msrp.h"
#include "sdes.h"
#include "sec.h"
#include "sec_tls.h"

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
	CTL_TR_MSRP,         /* TCP/MSRP: a plain TCP leg of the MSRP relay
			      * (the core side) */
	CTL_TR_MSRP_TLS,     /* TCP/TLS/MSRP: TLS terminated here, the peer's
			      * certificate checked against the Remote
			      * fingerprints (the access side, e2ae) */
};

/* RFC 4145 a=setup. In a spec: what the remote offered (Remote SDP), and
 * what the MGC asked of us (Local SDP; NONE or ACTPASS = we decide). */
enum ctl_setup {
	CTL_SETUP_NONE = 0,  /* not given */
	CTL_SETUP_ACTPASS,
	CTL_SETUP_ACTIVE,    /* connects (the TLS client) */
	CTL_SETUP_PASSIVE,   /* listens (the TLS server) */
	CTL_SETUP_HOLDCONN,  /* no connection for now */
};

/* An MSRP termination's connection, as control last heard from the relay. */
enum ctl_msrp_state {
	CTL_MSRP_IDLE = 0,   /* no leg: Remote (address, port or, with TLS,
			      * fingerprint) not known yet, or holdconn */
	CTL_MSRP_LISTENING,  /* passive, waiting for the peer */
	CTL_MSRP_CONNECTING, /* active, connecting (or waiting for the joined
			      * leg, SPEC.md §2.4 bearer coupling) */
	CTL_MSRP_UP,         /* connected, and on TLS authenticated */
	CTL_MSRP_FAILED,     /* the last attempt failed (a passive leg still
			      * listens) */
	CTL_MSRP_CLOSED,     /* the connection is gone for good */
};

#define CTL_MSRP_PATH_MAX 256   /* the remote's a=path value, bytes + NUL */
#define CTL_MSRP_URI_MAX 96     /* our a=path URI + NUL */
#define CTL_MSRP_SID_LEN 16     /* our session id: 12 random bytes,
				 * base64url (RFC 4648 §5), 96 bits */

/* The MSRP part of a spec (CTL_TR_MSRP, CTL_TR_MSRP_TLS). What only shapes
 * SDP (a=accept-types, a=3ge2ae, the MGC's Local lines) stays with the
 * front end, which echoes it; control keeps what decides the connection. */
struct ctl_msrp_spec {
	enum ctl_setup setup;         /* the remote's a=setup */
	enum ctl_setup local_setup;   /* ours as the MGC asked, or NONE */
	uint8_t n_fp;                 /* the remote's a=fingerprint values: its */
	struct sec_fp fp[DP_MSRP_FP_MAX]; /* certificate must match one */
	char path[CTL_MSRP_PATH_MAX]; /* the remote's a=path, as given */
	bool cema;                    /* the remote offered a=msrp-cema
				       * (RFC 6714); the relay is agnostic
				       * either way (SPEC.md §2.4) */
	bool frame_check;             /* RFC 4975 framing check on what the
				       * termination's remote sends */
};

#define CTL_LOCAL_KEYS_MAX 8    /* Local a=crypto lines per termination */

/* Which fields of a spec ctl_term_modify() applies (a delta: the others
 * keep their current value). ctl_term_add() takes every field. */
enum ctl_spec_field {
	CTL_SET_REMOTE = 1u << 0,     /* remote, remote_port, remote_rtcp_port */
	CTL_SET_RTCP_MUX = 1u << 1,
	CTL_SET_LATCH = 1u << 2,
	CTL_SET_FILTER = 1u << 3,
	CTL_SET_MODE = 1u << 4,
	CTL_SET_TRANSPORT = 1u << 5,
	CTL_SET_ENGINE = 1u << 6,
	CTL_SET_RX_KEY = 1u << 7,     /* rx_key/has_rx_key (false: remove it) */
	CTL_SET_LOCAL_KEYS = 1u << 8, /* local_keys replace the offered keys */
	CTL_SET_MSRP_SETUP = 1u << 9, /* msrp.setup (the remote's) */
	CTL_SET_MSRP_FP = 1u << 10,   /* msrp.n_fp, msrp.fp */
	CTL_SET_MSRP_PATH = 1u << 11, /* msrp.path */
	CTL_SET_MSRP_CEMA = 1u << 12, /* msrp.cema */
	CTL_SET_MSRP_FRAME = 1u << 13,/* msrp.frame_check */
	CTL_SET_MSRP_LSETUP = 1u << 14, /* msrp.local_setup (ours) */
};
#define CTL_SET_ALL 0x7fffu

/* Requested state of a termination. Zero it (ctl_spec_init()), then fill
 * what is known; the ctl_spec_*() builders below parse front-end text. */
struct ctl_term_spec {
	uint32_t set;                 /* modify: CTL_SET_* bits to apply */
	enum cfg_port_role realm;     /* which port: access or core */
	int family;                   /* AF_INET/AF_INET6 for the local address;
				       * 0 = the port's first IPv4, else IPv6 */
	uint16_t local_port;          /* requested RTP (MSRP: TCP) port; 0 =
				       * from the pool */
	struct cfg_ip remote;         /* family 0 = remote not known yet */
	uint16_t remote_port;         /* RTP, or MSRP's TCP (9 = discard when
				       * the remote is active, RFC 4145); 0 =
				       * not known yet */
	uint16_t remote_rtcp_port;    /* 0 = remote_port + 1 (same with mux) */
	bool rtcp_mux;                /* RTCP on the RTP port (RFC 5761) */
	bool latch;                   /* send to the source of the first valid
				       * packet instead of remote (ipnapt);
				       * MSRP: accept the connection from any
				       * source (the fingerprint authenticates) */
	bool src_filter;              /* accept only from remote (gm/saf) */
	enum ctl_mode mode;
	enum ctl_transport transport;
	/* CTL_TR_SRTP_E2AE only. RFC 4568 §5.1.1: each side's key encrypts
	 * what that side sends. rx_key is the remote's (the UE's, from Remote
	 * a=crypto): we unprotect what it sends with it. local_keys are ours
	 * (Local a=crypto): several while offered (SPEC.md §1.5), one once the
	 * remote's key binds one by tag (the others are discarded, §3.5), and
	 * with exactly one we protect what we send to the remote. A line with
	 * choose set is generated by control (RAND_bytes, never the rx key).
	 * A direction without its key is gated closed. Control keeps the one
	 * long-lived copy (and crypto its derived sessions); the caller
	 * cleanses its spec (ctl_spec_clear()). */
	struct sdes_crypto rx_key;
	bool has_rx_key;
	uint16_t n_local_keys;
	struct sdes_crypto local_keys[CTL_LOCAL_KEYS_MAX];
	enum sec_engine engine;       /* SEC_ENGINE_DEFAULT = the config's */
	struct ctl_msrp_spec msrp;
};

/* What the gateway chose for an MSRP termination and how its leg is. */
struct ctl_msrp_info {
	enum ctl_setup setup;         /* ours: ACTIVE, PASSIVE or HOLDCONN */
	enum ctl_msrp_state state;
	bool has_fp;                  /* CTL_TR_MSRP_TLS with a certificate */
	struct sec_fp fp;             /* ours, SHA-256 (sec_tls_local_fp) */
	char path[CTL_MSRP_URI_MAX];  /* our a=path URI: msrps://addr:port/
				       * <session id>;tcp (msrp:// on TCP) */
	uint32_t opens;               /* legs opened so far (a Modify that keeps
				       * the connection opens none) */
	uint8_t n_remote_fp;
	bool cema;
	bool frame_check;
	struct cfg_ip peer;           /* the connection's peer once it was up
				       * (family 0 before) */
	uint16_t peer_port;
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
	enum cfg_port_role realm;
	enum ctl_mode mode;
	enum ctl_transport transport;
	bool rtcp_mux;
	bool has_rx_key;              /* the remote's key is known (not the key) */
	uint32_t rx_tag;              /* its a=crypto tag and suite */
	enum sec_suite_id rx_suite;
	/* Our Local a=crypto lines, without their keys (ctl_term_local_key()
	 * formats one with its key for a reply). */
	uint16_t n_local_keys;
	uint32_t local_tag[CTL_LOCAL_KEYS_MAX];
	enum sec_suite_id local_suite[CTL_LOCAL_KEYS_MAX];
	struct ctl_msrp_info msrp;    /* MSRP terminations only */
};

/* Per-direction counters of one stream (RTP or RTCP). */
struct ctl_dir_stats {
	uint64_t pkts;                /* forwarded */
	uint64_t bytes;               /* UDP payload octets forwarded */
	uint64_t drops[DP_FLOW_DROP_MAX];
};

/* Statistics of a termination. "in" is what its remote sent us, "out" what
 * we sent to its remote (H.248 nt/or, nt/os, rtp/pr, rtp/ps). An MSRP
 * termination has only msrp: the counters of its legs summed (bytes_in
 * what its remote sent, bytes_out what we sent it, msgs_in with the
 * framing check, failures by reason); up and ktls are its current leg's. */
struct ctl_term_stats {
	struct ctl_dir_stats rtp_in, rtp_out, rtcp_in, rtcp_out;
	struct dp_msrp_leg_stats msrp;
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
 *         -EINVAL (also a key control refuses, or several Local keys none
 *         of which the rx key's tag binds), -EIO (RAND_bytes failed for a
 *         CHOOSE key). spec->set is not read: Add takes every field.
 */
int ctl_term_add(struct ctl *c, uint32_t ctx_id, const char *term_id,
		 const struct ctl_term_spec *spec, struct ctl_term_info *out);

/* Change what spec->set names (remote, mux, latch, filter, mode,
 * transport, engine, the remote's key, our Local keys); everything else
 * stays, and the realm, family and local port never change. Flows are
 * rebuilt and swapped in; counters and the SRTP state of unchanged keys
 * survive (a new key for the same stream is a rekey, SPEC.md §1.9).
 * @return as ctl_term_add, and -ESRCH when the termination is not in that
 * context; -EINVAL also when, with several Local keys offered, the remote
 * key's tag binds none of them or their suites differ (SPEC.md §3.5). */
int ctl_term_modify(struct ctl *c, uint32_t ctx_id, const char *term_id,
		    const struct ctl_term_spec *spec, struct ctl_term_info *out);

/* Format our i-th Local a=crypto line (ctl_term_info.local_tag[i]) with its
 * key, without "a=crypto:", for the reply that hands it to the MGC. The
 * line holds a key: the caller cleanses it. Control only.
 * @return its length; -ENOENT, -ESRCH (as ctl_term_get), -ERANGE (no i-th
 *         key), -ENOSPC (len too small). */
int ctl_term_local_key(struct ctl *c, uint32_t ctx_id, const char *term_id, unsigned int i,
		       char *line, size_t len);

/* The terminations of a context, in the order they were added (ids into
 * ids[], at most CTL_CTX_MAX_TERMS). @return how many, or -ENOENT. */
int ctl_context_terms(struct ctl *c, uint32_t ctx_id,
		      char ids[CTL_CTX_MAX_TERMS][CTL_TERM_ID_MAX + 1]);

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

/* Drain worker events and neighbour changes, reclaim RCU-deferred flows,
 * run the MSRP relay's round when the control loop drives it and hand its
 * events on. Called by the control loop's housekeeping timer; exposed for
 * tests. */
void ctl_poll(struct ctl *c);

/*
 * MSRP terminations need the relay (dataplane) and our certificate
 * (crypto). main() calls this once both exist, and again with the new
 * certificate after a reload (after dp_msrp_set_tls(); the old one may be
 * destroyed when this returns). Control does not own either. When the relay
 * has no worker lcores (dp_msrp_fd() >= 0), control watches its fd and runs
 * dp_msrp_poll() from the loop and the housekeeping timer. m NULL: MSRP
 * terminations are refused with -ENOTSUP; tls NULL: only TCP/MSRP ones.
 * The relay must outlive control (ctl_destroy() closes the legs): destroy
 * control first. Control only. @return 0; -EBUSY (another relay while legs
 * are open: nothing changed); -errno of the loop registration (control then
 * holds no relay: MSRP terminations are refused).
 */
int ctl_set_msrp(struct ctl *c, struct dp_msrp *m, struct sec_tls *tls);

/* What the relay reported about an MSRP termination's connection. */
struct ctl_msrp_event {
	uint32_t ctx_id;
	const char *term_id;          /* valid during the callback */
	enum ctl_transport transport;
	enum dp_msrp_ev_type type;    /* UP, FAIL (an attempt; a passive leg
				       * listens on), CLOSED (for good) */
	enum dp_msrp_reason reason;   /* FAIL and CLOSED */
	enum sec_tls_fail tls;        /* reason DP_MSRP_R_TLS */
};

typedef void (*ctl_msrp_event_cb)(const struct ctl_msrp_event *ev, void *arg);

/* Who hears of relay events (Iq, to Notify the MGC); one at a time, NULL
 * to stop. Called from ctl_poll() on the control thread; the callback must
 * not add, modify or subtract terminations. Control only. */
void ctl_set_msrp_event_cb(struct ctl *c, ctl_msrp_event_cb cb, void *arg);

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

/*
 * Termination spec builder: the one place where what a front end says (the
 * admin socket's words, Iq's LocalControl and SDP) becomes a spec. Each
 * setter fills its fields and marks them in spec->set. Pure functions over
 * the spec; any thread, but keys belong to control.
 */

/* Zero s (no field set). */
void ctl_spec_init(struct ctl_term_spec *s);

/* Cleanse every key in s. NULL is a no-op. */
void ctl_spec_clear(struct ctl_term_spec *s);

/* Realm by name: "access..." or "core..." (case-insensitive prefix, as
 * ipdc/realm values like "access1" name them). @return 0 or -EINVAL. */
int ctl_spec_realm(struct ctl_term_spec *s, const char *name, size_t len);

/* The remote's address (text, cfg_parse_ip()), RTP port and RTCP port
 * (0 = RTP + 1). @return 0 or -EINVAL. */
int ctl_spec_remote(struct ctl_term_spec *s, const char *addr, size_t len, uint16_t port,
		    uint16_t rtcp_port);

/* The remote's key from an a=crypto value (sdes_parse(): the SPEC.md §1.8
 * policy, suites in suite_mask). line NULL removes it. @return 0 or as
 * sdes_parse() with *err filled (err may be NULL). */
int ctl_spec_rx_key(struct ctl_term_spec *s, const char *line, size_t len, uint32_t suite_mask,
		    struct sdes_err *err);

/* Append one of our Local keys from an a=crypto value, complete (MGC
 * chosen) or "inline:$" (control generates it; sdes_parse_choose()). The
 * first call replaces the offered keys (CTL_SET_LOCAL_KEYS); call with
 * line NULL for "no Local keys". @return 0; as sdes_parse() with *err
 * filled; -E2BIG (more than CTL_LOCAL_KEYS_MAX); -EEXIST (tag repeated). */
int ctl_spec_local_key(struct ctl_term_spec *s, const char *line, size_t len,
		       uint32_t suite_mask, struct sdes_err *err);

/* Transport by its SDP proto ("RTP/AVP", "RTP/SAVP", "TCP/MSRP",
 * "TCP/TLS/MSRP", case-insensitive) or the admin word ("rtp", "srtp-e2e",
 * "srtp-e2ae", "msrp", "msrp-tls"). RTP/SAVP is CTL_TR_SRTP_E2E: whether
 * it is e2ae is the front end's call (SPEC.md §1.6).
 * @return 0 or -EINVAL. */
int ctl_spec_transport(struct ctl_term_spec *s, const char *name, size_t len);

/* An a=setup value ("active", "passive", "actpass", "holdconn"; "$" is
 * NONE: we decide): the remote's, or with local ours as the MGC asks it.
 * @return 0 or -EINVAL. */
int ctl_spec_setup(struct ctl_term_spec *s, const char *v, size_t len, bool local);

/* Append one of the remote's a=fingerprint values ("SHA-256 AB:CD:..",
 * sec_fp_parse(): SHA-1, -224, -256, -384, -512). The first call replaces
 * the fingerprints (CTL_SET_MSRP_FP); v NULL: none.
 * @return 0; -EPROTONOSUPPORT (MD5, MD2 or an unknown hash: refused, RFC
 * 8122 §5); -EINVAL (malformed); -E2BIG (more than DP_MSRP_FP_MAX). */
int ctl_spec_fingerprint(struct ctl_term_spec *s, const char *v, size_t len);

/* The remote's a=path: one or more msrp:// or msrps:// URIs separated by
 * single spaces (RFC 4975 §9), printable ASCII, kept as given.
 * @return 0; -E2BIG (CTL_MSRP_PATH_MAX); -EINVAL. */
int ctl_spec_msrp_path(struct ctl_term_spec *s, const char *v, size_t len);

/* Stable lower-case names ("passive", "up", "msrp-tls"), for replies,
 * telemetry and logs. Any thread. */
const char *ctl_setup_name(enum ctl_setup s);
const char *ctl_msrp_state_name(enum ctl_msrp_state s);
const char *ctl_transport_name(enum ctl_transport t);

/* True for CTL_TR_MSRP and CTL_TR_MSRP_TLS. Any thread. */
bool ctl_transport_is_msrp(enum ctl_transport t);

#endif /* IMSAGW_CTL_H */
