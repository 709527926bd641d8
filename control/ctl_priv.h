/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to control/: the context and termination records. Control only. */
#ifndef IMSAGW_CTL_PRIV_H
#define IMSAGW_CTL_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include <rte_hash.h>
#include <rte_log.h>

#include "ctl.h"
#include "ctl_pool.h"

extern int ctl_logtype;
#define CTL_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, ctl_logtype, "ctl: " fmt "\n", ##__VA_ARGS__)

/* Termination table keys: the lower-cased id, zero padded to a multiple of
 * 4 bytes (rte_jhash reads whole words). */
#define CTL_TERM_KEY_LEN (((CTL_TERM_ID_MAX + 1) + 3) & ~3)

/* A stream of a termination: RTP, or RTCP on its own port. */
enum ctl_stream {
	CTL_RTP = 0,
	CTL_RTCP = 1,
	CTL_N_STREAMS,
};

/* Where one stream of a termination sends to and receives from. */
struct ctl_remote {
	struct cfg_ip ip;      /* family 0 = unknown */
	uint16_t port;         /* host order; 0 = unknown */
	bool latched;          /* learned from traffic */
};

struct ctl_ctx;

/* An MSRP termination's leg of the relay (ctl_msrp.c). Control only. */
struct ctl_msrp_leg {
	bool open;                    /* a leg exists in the relay */
	uint32_t leg;
	uint64_t cookie;              /* the relay's events name it */
	struct dp_msrp_leg_spec cur;  /* what the leg was last given */
	enum ctl_msrp_state state;
	bool joined;                  /* joined to joined_leg (as far as we
				       * know: the other side may have gone) */
	uint32_t joined_leg;
	bool join_pending;            /* the relay said -EBUSY: retried from
				       * ctl.msrp_retry (first term of a ctx) */
	uint32_t opens;
	struct dp_msrp_leg_stats acc; /* counters of legs closed so far */
	struct cfg_ip peer;
	uint16_t peer_port;
	char sid[CTL_MSRP_SID_LEN + 1]; /* our a=path session id */
};

/* A crypto session shared by the flow records that use it (ctl_sec.c).
 * refs: the termination's hold plus one per flow record (published or in
 * its grace period) pointing at it; the last put destroys the session and
 * so cleanses its keys. Control only. */
struct ctl_sec {
	struct sec_session *s;
	uint32_t refs;
	/* The media lcore that runs s (RFC 3711 state has one writer): set
	 * when a flow first carries it; every later flow carrying it (a
	 * replace, the peer's flow after a Move) runs there too. */
	uint16_t owner_lcore;
	bool has_owner;
};

struct ctl_term {
	char id[CTL_TERM_ID_MAX + 1];          /* lower case */
	struct ctl *ctl;
	struct ctl_ctx *ctx;
	/* The termination as requested: the one long-lived copy of its keys
	 * (the remote's and our Local ones); crypto holds only the sessions
	 * derived from them. Cleansed when replaced and when freed. */
	struct ctl_term_spec spec;
	struct dp_port_info port;              /* the realm's port */
	struct cfg_ip local;
	uint16_t local_port[CTL_N_STREAMS];    /* host order */
	struct ctl_remote remote[CTL_N_STREAMS];
	/* The dp state of the flow keyed on our local port (what the remote
	 * sends us); it survives flow replacement. NULL before first publish. */
	struct dp_flow_state *in_st[CTL_N_STREAMS];
	/* The lcore that owns our in-flow of each stream (and writes in_st):
	 * kept across replaces, so a replaced record and its successor never
	 * run on two lcores at once. */
	uint16_t owner[CTL_N_STREAMS];
	bool has_owner[CTL_N_STREAMS];
	/* CTL_TR_SRTP_E2AE: unprotect sessions (rx_key) for our in-flows and
	 * protect sessions (tx_key) for the peer's in-flows toward our remote,
	 * per stream; with rtcp-mux only [CTL_RTP], carrying SRTP and SRTCP.
	 * NULL: no key, that direction is gated closed. */
	struct ctl_sec *sec_rx[CTL_N_STREAMS];
	struct ctl_sec *sec_tx[CTL_N_STREAMS];
	/* After an inbound rekey the old key stays as a fallback for
	 * crypto.rekey_grace_ms; then the sessions are replaced by copies with
	 * the current key only. */
	struct ctl_timer retire;
	/* What we sent to our remote through a peer that is gone (the peer's
	 * in-flows are what send to us; their counters leave with them). */
	struct ctl_dir_stats out_base[CTL_N_STREAMS];
	/* Our in-flows' counters when the current peer came: what they count
	 * beyond it went out to that peer's remote (its "out"). */
	struct ctl_dir_stats peer_base[CTL_N_STREAMS];
	uint64_t created_ms;
	struct ctl_msrp_leg msrp;              /* MSRP terminations */
};

struct ctl_ctx {
	uint32_t id;
	struct ctl_term *terms[CTL_CTX_MAX_TERMS];
	unsigned int n_terms;
	bool waiting_neigh;                    /* on ctl.neigh_wait */
	TAILQ_ENTRY(ctl_ctx) neigh_link;
};

TAILQ_HEAD(ctl_ctx_list, ctl_ctx);

struct ctl_tel;
struct ctl_admin;

struct ctl {
	const struct cfg *cfg;
	struct dp *dp;
	struct dp_flow_table *flows;
	struct ctl_loop *loop;
	struct dp_port_info ports[CFG_MAX_PORTS];
	bool has_port[CFG_MAX_PORTS];
	struct ctl_pool pools[CFG_MAX_PORTS];  /* UDP pairs */
	struct ctl_pool tcp_pools[CFG_MAX_PORTS]; /* TCP ports (MSRP) */
	struct rte_hash *ctx_by_id;            /* uint32_t -> struct ctl_ctx * */
	struct rte_hash *term_by_id;           /* char[CTL_TERM_KEY_LEN] -> term */
	uint32_t n_ctx;
	uint32_t n_terms;
	uint32_t next_flow_id;
	uint32_t next_owner;                   /* round-robin worker choice */
	struct ctl_ctx_list neigh_wait;
	struct ctl_timer housekeeping;
	struct ctl_tel *tel;
	struct ctl_admin *admin;
	/* MSRP (ctl_msrp.c): the relay and our certificate (not ours to
	 * free), the relay's fd when the loop drives it (-1 otherwise), the
	 * legs by cookie, who hears of their events. */
	struct dp_msrp *msrp;
	struct sec_tls *tls;
	int msrp_fd;
	struct rte_hash *leg_by_cookie;        /* uint64_t -> struct ctl_term * */
	uint64_t next_cookie;
	uint32_t n_legs;                       /* open in the relay */
	struct ctl_timer msrp_retry;           /* joins the relay put off */
	ctl_msrp_event_cb msrp_cb;
	void *msrp_cb_arg;
};

/* ctl_flowprog.c: (re)build and publish every flow of a context from the
 * current state of its terminations. @return 0 or -errno (-ENOSPC). */
int ctl_program_ctx(struct ctl *c, struct ctl_ctx *x);

/* Unpublish a termination's in-flows (RCU defers their release). */
void ctl_unprogram_term(struct ctl *c, struct ctl_term *t);

/* Counters of a stream's in-flow (zero before first publish). */
void ctl_read_in(const struct ctl_term *t, enum ctl_stream s, struct ctl_dir_stats *out);

/* Through-connection (H.248 Mode, seen from the termination): does it take
 * what its remote sends, does it send to its remote. Flows and relay legs
 * are gated by the same two. */
static inline bool
ctl_mode_receives(enum ctl_mode m)
{
	return m == CTL_MODE_SENDRECV || m == CTL_MODE_RECVONLY;
}

static inline bool
ctl_mode_sends(enum ctl_mode m)
{
	return m == CTL_MODE_SENDRECV || m == CTL_MODE_SENDONLY;
}

/* The termination term_id of context ctx_id, or NULL. */
const struct ctl_term *ctl_term_lookup(struct ctl *c, uint32_t ctx_id, const char *term_id);

/* The other termination of t's context, or NULL. */
struct ctl_term *ctl_peer(const struct ctl_term *t);

/* ctl_sec.c. Build the sessions spec asks for on t (keeping the live ones
 * whose key is unchanged, also when the remote moved; rekeying those whose
 * key changed; moved: the remote changed, so new keys start new contexts)
 * and swap them in. On error t is unchanged. ctl_sec never calls back into
 * programming or the loop: it reports, its caller acts.
 * @return 0; 1 when an inbound key was rekeyed (the old one is a fallback:
 * the caller arms t->retire for crypto.rekey_grace_ms and then calls
 * ctl_sec_retire()); -EINVAL (bad key or suite), -ENOTSUP (engine
 * unavailable), -ENOMEM, -EIO. */
int ctl_sec_update(struct ctl *c, struct ctl_term *t, const struct ctl_term_spec *spec,
		   bool moved);
/* End the fallback of an inbound rekey: t's unprotect sessions become
 * copies with only the current key. @return how many were replaced (> 0:
 * the caller republishes t's context). */
int ctl_sec_retire(struct ctl_term *t);
/* Drop t's sessions (its keys live in t->spec; t->retire is the caller's
 * to stop). */
void ctl_sec_term_clear(struct ctl_term *t);
/* Point f at h's session with a reference of its own, released by
 * ctl_flow_release() after the grace period. @return h. */
struct ctl_sec *ctl_sec_attach(struct dp_flow *f, struct ctl_sec *h);
void ctl_sec_put(struct ctl_sec *h);
/* dp_flow_release_t of control's flows. */
void ctl_flow_release(struct dp_flow *f, bool last);

/* ctl_sec.c. The e2ae key rules on a complete spec (SPEC.md §3.5):
 * generate the CHOOSE Local keys (never the rx key), bind the rx key's tag
 * to one Local key of the same suite and discard the others; a spec that
 * is not e2ae keeps no key. @return 0, -EINVAL (no Local key with the rx
 * tag, or its suite differs), -EIO (RAND_bytes). */
int ctl_spec_resolve_keys(struct ctl_term_spec *s);
/* The key we protect with: the only Local key, or NULL. */
const struct sdes_crypto *ctl_spec_tx_key(const struct ctl_term_spec *s);
/* ctl_ctx.c. Apply the fields d->set names onto cur (a complete spec). */
void ctl_spec_merge(struct ctl_term_spec *cur, const struct ctl_term_spec *d);

/* Handle a worker event (latching). */
void ctl_on_dp_event(const struct dp_event *ev, void *arg);

/* ctl_msrp.c: MSRP terminations' legs. */
/* Set up and tear down what control keeps for MSRP (the cookie table).
 * @return 0 or -ENOMEM. */
int ctl_msrp_init(struct ctl *c);
void ctl_msrp_fini(struct ctl *c);
/* A new MSRP termination (before it is programmed): its a=path session id.
 * @return 0, -ENOTSUP (no relay, or TLS without a certificate), -EIO. */
int ctl_msrp_term_init(struct ctl *c, struct ctl_term *t, const struct ctl_term_spec *spec);
/* Open, modify or close the legs of x's MSRP terminations as their specs
 * say, and join them. @return 0 or -errno (the relay's). */
int ctl_msrp_program(struct ctl *c, struct ctl_ctx *x);
/* Close t's leg (unjoined first: the peer's connection stays); its final
 * counters are added to t->msrp.acc. */
void ctl_msrp_close(struct ctl *c, struct ctl_term *t);
/* t's MSRP info and counters. */
void ctl_msrp_info(const struct ctl *c, const struct ctl_term *t, struct ctl_msrp_info *out);
void ctl_msrp_stats(const struct ctl *c, const struct ctl_term *t, struct dp_msrp_leg_stats *out);
/* Run the relay's round (loop-driven relay) and drain its events. */
void ctl_msrp_poll(struct ctl *c);
/* The MSRP rules on a complete spec (a=setup, fingerprints for TLS).
 * @return 0, -EINVAL. */
int ctl_msrp_check_spec(const struct ctl_term_spec *s);

#endif /* IMSAGW_CTL_PRIV_H */
