/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_msrp: the data plane's MSRP relay (TS 33.328 e2ae; SPEC.md §2.4, §3.6,
 * §6.5). A leg is one termination's TCP connection: the access leg carries
 * TLS (TCP/TLS/MSRP, mutually authenticated by certificate fingerprints),
 * the core leg plain TCP (TCP/MSRP). Two joined legs (the terminations of
 * one context) relay each other's byte stream unchanged: application-
 * agnostic, never parsing-and-rewriting MSRP. An optional framing check
 * (RFC 4975) per leg closes a connection that carries something else.
 *
 * Legs are non-blocking kernel TCP sockets in the data plane's namespace,
 * where the gateway's addresses live on the exception interfaces (the media
 * workers hand TCP for the port's MSRP range to the kernel). Each msrp
 * worker lcore runs one epoll loop and owns the legs sharded to it; a
 * handshake never stalls another connection. With no msrp lcore
 * (cfg lcores.msrp empty) the control loop drives the one worker through
 * dp_msrp_fd() and dp_msrp_poll(); no msrp work ever runs on a media worker.
 *
 * Nothing is relayed before both legs are up and a TLS peer authenticated.
 * Memory per relay is bounded (buf_bytes per direction): a slow side stops
 * the other side's reads (back-pressure, TCP flow control does the rest).
 * FIN, close_notify and reset propagate to the joined leg and are reported.
 *
 * A leg's life. Passive: it listens from dp_msrp_leg_open() on; a source
 * other than the Remote is refused (RST, EV_FAIL R_GATE) unless any_source;
 * a failed attempt (TLS, handshake timeout) is an EV_FAIL and the leg
 * listens on; the first authenticated peer makes it UP and closes the
 * listener (one connection per leg: later attempts get RST). A peer that
 * connects before the Remote (address, on TLS fingerprints) is known is
 * held unread until a modify brings it, then gated and handshaken; after
 * handshake_ms it is EV_FAIL R_HANDSHAKE_TIMEOUT. When connect_ms (counted
 * from when the Remote is known) passes without a peer, EV_FAIL R_TIMEOUT:
 * the listener is closed and the leg
 * stays open but idle (DEAD) until control closes it, or a modify starts it
 * over. Active: it connects (at once, or when the joined leg is UP with
 * connect_after_peer); refused, unreachable or timed out is EV_FAIL and
 * DEAD, with no retry. An UP connection ends once (EV_CLOSED); the leg is
 * then DEAD too.
 *
 * The process must ignore SIGPIPE (app/main.c does): OpenSSL writes TLS
 * records with write(), and a peer that reset would otherwise kill it.
 *
 * This header is the relay's whole API. Threads: everything here is
 * control-thread only unless noted; control talks to the workers through
 * per-worker command queues, and the workers answer through an event queue
 * that dp_msrp_events() drains. Two joined legs always run on one worker
 * (dp_msrp_join() moves one over when needed).
 */
#ifndef IMSAGW_DP_MSRP_H
#define IMSAGW_DP_MSRP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg.h"
#include "sec_tls.h"

#define DP_MSRP_FP_MAX SEC_TLS_FP_MAX

struct dp_msrp;

struct dp_msrp_conf {
	const char *netns;            /* namespace of the sockets; NULL or ""
				       * = the process's own (unit tests) */
	unsigned int n_workers;       /* msrp worker lcores; 0 = one worker
				       * driven by the control loop */
	const unsigned int *lcores;   /* their lcore ids [n_workers] */
	uint32_t max_legs;            /* legs at once (two per context) */
	uint32_t buf_bytes;           /* bytes held per direction of a relay
				       * before the reading side stops */
	uint32_t connect_ms;          /* active: TCP connect; passive: no
				       * authenticated peer yet; 0 = never */
	uint32_t handshake_ms;        /* one connection's TLS handshake (> 0) */
	uint32_t idle_ms;             /* no byte either way; 0 = never */
	uint32_t max_header_bytes;    /* framing check: an MSRP header block */
	uint32_t max_chunk_bytes;     /* framing check: one chunk's body */
	struct sec_tls *tls;          /* our certificate; may be NULL until
				       * dp_msrp_set_tls() (no TLS leg then) */
};

/* RFC 4145 a=setup from our side: passive = we listen and accept (the TLS
 * server on a TLS leg), active = we connect (the TLS client). */
enum dp_msrp_setup {
	DP_MSRP_PASSIVE = 0,
	DP_MSRP_ACTIVE,
};

struct dp_msrp_leg_spec {
	struct cfg_ip local;          /* our address on the leg's port */
	uint16_t local_port;          /* from the port's TCP range (control's
				       * pool); passive: we listen here */
	struct cfg_ip remote;         /* active: we connect here; passive: the
				       * gate, the only source accepted */
	uint16_t remote_port;         /* active only (a passive peer connects
				       * from a port of its own) */
	bool any_source;              /* passive: accept from any address (the
				       * MGC asked for latching, NAT); the
				       * fingerprint is then what authenticates */
	enum dp_msrp_setup setup;
	bool connect_after_peer;      /* active: connect only once the joined
				       * leg is up (SPEC.md §2.4 bearer coupling) */
	bool tls;                     /* TLS on this leg (the access side) */
	unsigned int n_fp;            /* tls: the Remote a=fingerprint values;  */
	struct sec_fp fp[DP_MSRP_FP_MAX]; /* the peer's certificate must match one */
	bool frame_check;             /* RFC 4975 framing check on what the leg
				       * receives */
	bool recv;                    /* relay what this leg receives to the
				       * joined leg (Mode sendrecv/recvonly) */
	bool send;                    /* send this leg what the joined leg
				       * received (Mode sendrecv/sendonly) */
};

/* Why a leg failed or closed: counters, events and the MGC's Notify. */
enum dp_msrp_reason {
	DP_MSRP_R_NONE = 0,
	DP_MSRP_R_CONNECT,            /* active: refused or unreachable */
	DP_MSRP_R_TIMEOUT,            /* connect_ms passed without a peer */
	DP_MSRP_R_GATE,               /* passive: a source other than the
				       * Remote (refused; the leg listens on) */
	DP_MSRP_R_TLS,                /* the handshake failed; tls says why */
	DP_MSRP_R_HANDSHAKE_TIMEOUT,  /* handshake_ms passed */
	DP_MSRP_R_FRAMING,            /* not MSRP (frame_check) */
	DP_MSRP_R_PEER_CLOSE,         /* FIN or close_notify from the peer */
	DP_MSRP_R_PEER_RESET,         /* RST or a socket error */
	DP_MSRP_R_IDLE,               /* idle_ms without a byte */
	DP_MSRP_R_JOINED_CLOSED,      /* the joined leg closed first */
	DP_MSRP_R_REMOTE_CHANGED,     /* dp_msrp_leg_modify(): the connection
				       * no longer matches the new Remote */
	DP_MSRP_R_RESOURCES,          /* out of legs, buffers or fds */
	DP_MSRP_R_MAX,
};

enum dp_msrp_ev_type {
	DP_MSRP_EV_UP = 1,            /* connected, and authenticated on TLS */
	DP_MSRP_EV_FAIL,              /* an establishment attempt failed; a
				       * passive leg still listens */
	DP_MSRP_EV_CLOSED,            /* the connection is gone for good
				       * (after R_REMOTE_CHANGED the leg starts
				       * over: it listens or connects again) */
};

struct dp_msrp_event {
	uint32_t leg;
	uint64_t cookie;              /* what dp_msrp_leg_open() was given */
	enum dp_msrp_ev_type type;
	enum dp_msrp_reason reason;
	enum sec_tls_fail tls;        /* reason DP_MSRP_R_TLS */
	struct cfg_ip peer;           /* the connection's peer, when known */
	uint16_t peer_port;
};

/* A leg's counters. Written by its worker only; read here. */
struct dp_msrp_leg_stats {
	uint64_t bytes_in;            /* application bytes received (after TLS) */
	uint64_t bytes_out;           /* application bytes sent to the peer */
	uint64_t msgs_in;             /* complete MSRP messages received (only
				       * with frame_check) */
	uint64_t conns;               /* connections accepted (past the gate)
				       * or made */
	uint64_t fails[DP_MSRP_R_MAX];/* every EV_FAIL and EV_CLOSED by reason
				       * (the closes included: peer_close is
				       * the normal end) */
	uint64_t tls_fails[SEC_TLS_FAIL_MAX];
	uint64_t up_ms;               /* how long it was up */
	bool up;
	bool ktls;                    /* the kernel does its TLS records */
};

/* Relay-wide counters, for telemetry and imsagw-ctl. fails and tls_fails
 * as in dp_msrp_leg_stats, summed over the workers since create. */
struct dp_msrp_totals {
	uint32_t legs;                /* open */
	uint32_t up;                  /* connected (and authenticated) */
	uint64_t handshakes;          /* completed TLS handshakes */
	uint64_t fails[DP_MSRP_R_MAX];
	uint64_t tls_fails[SEC_TLS_FAIL_MAX];
	uint64_t bytes;               /* relayed, both directions */
	uint32_t ktls_legs;           /* legs whose records the kernel does */
	bool ktls_available;          /* sec_tls_ktls_available() */
	uint64_t events_dropped;      /* EV_FAIL not queued: the event queue
				       * was full (the counters still count) */
};

/*
 * Create the relay and its worker contexts (not started). The TCP ports are
 * control's to choose; the relay only binds what it is given.
 * @return the relay or NULL with err filled.
 */
struct dp_msrp *dp_msrp_create(const struct dp_msrp_conf *conf, char *err, size_t errlen);

/* Launch the workers on their lcores (n_workers > 0; with none it does
 * nothing). Legs may be opened before: their commands run at once on
 * control's thread until then. @return 0, -EALREADY or -errno. */
int dp_msrp_start(struct dp_msrp *m);

/* Stop the workers, close every leg (reset), free everything. */
void dp_msrp_destroy(struct dp_msrp *m);

/* n_workers == 0: an fd the control loop watches for EPOLLIN, and the
 * round to run when it is readable and every few milliseconds (timeouts:
 * deadlines are checked in ticks of 8 ms). dp_msrp_poll() never blocks.
 * dp_msrp_fd() is -1 and dp_msrp_poll() a no-op when workers run on lcores
 * of their own. */
int dp_msrp_fd(const struct dp_msrp *m);
void dp_msrp_poll(struct dp_msrp *m);

/* The certificate for connections made from now on (SIGHUP); the relay
 * takes no ownership: the caller destroys the old one after this, which is
 * safe because this returns only when every worker has taken the new one
 * (it waits as long as that takes, logging when it is slow). NULL: no new
 * TLS connection can start (they fail as R_RESOURCES). */
void dp_msrp_set_tls(struct dp_msrp *m, struct sec_tls *t);

/*
 * Open a leg: passive binds and listens (synchronously, so an address in
 * use is an error here), active connects (now, or when the joined leg is
 * up with connect_after_peer). What happens next arrives as events. The
 * id is never 0 and is not reused soon after a close.
 * @return 0 with *leg set; -EADDRINUSE, -EADDRNOTAVAIL (and other bind or
 *         socket errors), -ENOSPC (max_legs), -EINVAL (tls without
 *         fingerprints or without a certificate, a malformed spec: local
 *         not IPv4/IPv6, passive without local_port, active without remote
 *         and remote_port, families that differ), -ENOMEM, -EBUSY (the
 *         worker's queue stayed full for 100 ms).
 */
int dp_msrp_leg_open(struct dp_msrp *m, const struct dp_msrp_leg_spec *spec, uint64_t cookie,
		     uint32_t *leg);

/*
 * New Remote, fingerprints, gate or Mode (a re-INVITE). A live connection
 * that still matches (active: the same remote address and port; passive:
 * its source still passes the gate; TLS: its certificate matches one of the
 * new fingerprints) stays up untouched; one that does not is closed
 * (EV_CLOSED, DP_MSRP_R_REMOTE_CHANGED; an attempt in progress: EV_FAIL)
 * and the leg starts over. A DEAD leg (failed, timed out, closed) starts
 * over too. A change of recv/send applies at once; frame_check from the
 * next connection on. local, local_port, setup and tls never change.
 * @return 0, -ENOENT, -EINVAL (those changed, or as dp_msrp_leg_open),
 *         -ENOMEM, -EBUSY (queue full, or the leg is being moved).
 */
int dp_msrp_leg_modify(struct dp_msrp *m, uint32_t leg, const struct dp_msrp_leg_spec *spec);

/* Join two legs (one context's terminations): bytes flow between them as
 * their send/recv allow (a's recv and b's send for a -> b). A leg is joined
 * to at most one other; joining again replaces the pairing (the old one is
 * undone as by dp_msrp_unjoin). When the legs run on two workers, b moves
 * to a's first (waits up to 100 ms for b's worker).
 * @return 0, -ENOENT, -EINVAL (a == b), -EBUSY (a worker did not answer in
 *         time; b is moved later, the join is not done). */
int dp_msrp_join(struct dp_msrp *m, uint32_t a, uint32_t b);

/* Undo a join (topology isolate, or the other termination subtracted):
 * what is buffered between the two legs is dropped; their connections stay
 * up and are not read until joined again. @return 0, -ENOENT, -EBUSY. */
int dp_msrp_unjoin(struct dp_msrp *m, uint32_t leg);

/* Close a leg (Subtract): its connection is closed (close_notify, FIN),
 * the joined leg is told: it flushes what it holds from this leg's peer,
 * sends FIN/close_notify and closes (EV_CLOSED DP_MSRP_R_JOINED_CLOSED;
 * reset after 5 s). Final counters go to *out (may be NULL). No event of
 * this leg is returned after this, and its id is dead. With workers on
 * lcores it waits for the worker, up to 100 ms; a worker slower than that
 * is logged (NOTICE), *out then holds the counters as last seen, and the
 * leg's memory and slot are reclaimed by a later dp_msrp_events().
 * @return 0 or -ENOENT. */
int dp_msrp_leg_close(struct dp_msrp *m, uint32_t leg, struct dp_msrp_leg_stats *out);

/* A leg's counters now. @return 0 or -ENOENT. */
int dp_msrp_leg_stats(const struct dp_msrp *m, uint32_t leg, struct dp_msrp_leg_stats *out);

/* Drain up to n events (and log them: UP and normal closes at DEBUG,
 * failures and abnormal closes at INFO). Events of legs closed since are
 * dropped. UP and CLOSED are never lost; an EV_FAIL that finds a worker's
 * queue full is (counted in events_dropped). @return how many. */
unsigned int dp_msrp_events(struct dp_msrp *m, struct dp_msrp_event *ev, unsigned int n);

/* Sum of every worker's counters. Any thread. */
void dp_msrp_totals(const struct dp_msrp *m, struct dp_msrp_totals *out);

/* Stable lower-case names for counters and logs. */
const char *dp_msrp_reason_name(enum dp_msrp_reason r);

#endif /* IMSAGW_DP_MSRP_H */
