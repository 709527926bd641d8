/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_msrp_priv: the MSRP relay's insides, shared by its files and by no one
 * else (dataplane/ private).
 *
 *   dp_msrp.c         the API: control's side, commands, sockets, events
 *   dp_msrp_worker.c  a worker: epoll loop, command queue, timer wheel
 *   dp_msrp_conn.c    a leg's connection: listen/accept/gate, connect,
 *                     up, failure and close, timers, modify
 *   dp_msrp_tls.c     TLS on a leg: handshake, records in and out, shutdown
 *   dp_msrp_relay.c   the relay between two joined legs: buffers,
 *                     back-pressure, half-close
 *
 * Ownership. Control (the thread that calls the API) allocates a leg, gives
 * it a slot and an id, and hands it to one worker by a command; from then
 * on only that worker reads or writes the leg's mutable part, until the
 * worker has acknowledged the command that closes (or detaches) it. Two
 * joined legs always live on the same worker (dp_msrp_join() moves one
 * over first), so the relay between them needs no lock and no queue.
 *
 * Control -> worker: a command ring per worker (single producer: control,
 * single consumer: the worker) and an eventfd to wake it. Worker ->
 * control: an event ring per worker, drained by dp_msrp_events(). A
 * command's sequence number and the worker's done_seq make a barrier:
 * once done_seq >= seq, everything the command did is visible to control
 * (release/acquire) and the worker holds no pointer into what it released.
 * With no worker lcore (n_workers == 0) commands run inline on control's
 * thread, which is then also the worker's.
 */
#ifndef IMSAGW_DP_MSRP_PRIV_H
#define IMSAGW_DP_MSRP_PRIV_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <openssl/ssl.h>

#include "dp_msrp.h"

struct msrp_frame;

#define MSRP_MAX_WORKERS 16
#define MSRP_SLOT_BITS 24                     /* leg id = gen << 24 | slot */
#define MSRP_SLOT_MASK ((1u << MSRP_SLOT_BITS) - 1)
#define MSRP_MAX_LEGS (1u << 22)              /* bound of conf->max_legs */
#define MSRP_TICK_MS 8                        /* timer wheel granularity */
#define MSRP_WHEEL 512                        /* slots: 4 s per turn */
#define MSRP_EPOLL_BATCH 64
#define MSRP_IO_ROUNDS 8                      /* read+write pairs per leg per
					       * round (fairness) */
#define MSRP_ACCEPTS 4                        /* accepts per listener event */
#define MSRP_BACKLOG 8                        /* one connection per leg: a
					       * short queue is enough */
#define MSRP_BUF_CACHE_BYTES (4u << 20)       /* free relay buffers kept per
					       * worker, at most this much */
#define MSRP_DRAIN_MS 5000                    /* a leg whose joined leg was
					       * closed flushes for this long */
#define MSRP_ACK_MS 100                       /* bounded wait for a worker */
#define MSRP_CMD_RING 4096

/* ---- a single-producer single-consumer ring of fixed-size elements ------ */

struct msrp_ring {
	uint32_t head;                        /* W: producer */
	uint8_t pad0[60];
	uint32_t tail;                        /* W: consumer */
	uint8_t pad1[60];
	uint32_t mask;                        /* RO */
	uint32_t esize;                       /* RO */
	uint8_t *data;                        /* RO pointer; elements owned by
					       * whoever holds them */
};

int msrp_ring_init(struct msrp_ring *r, uint32_t count, uint32_t esize);
void msrp_ring_fini(struct msrp_ring *r);

/* Producer only. @return 0 or -ENOBUFS when full. */
static inline int
msrp_ring_put(struct msrp_ring *r, const void *e)
{
	uint32_t h = r->head, t = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);

	if (h - t > r->mask)
		return -ENOBUFS;
	memcpy(r->data + (size_t)(h & r->mask) * r->esize, e, r->esize);
	__atomic_store_n(&r->head, h + 1, __ATOMIC_RELEASE);
	return 0;
}

/* Consumer only. @return true with *e filled, false when empty. */
static inline bool
msrp_ring_get(struct msrp_ring *r, void *e)
{
	uint32_t t = r->tail, h = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);

	if (t == h)
		return false;
	memcpy(e, r->data + (size_t)(t & r->mask) * r->esize, r->esize);
	__atomic_store_n(&r->tail, t + 1, __ATOMIC_RELEASE);
	return true;
}

/* ---- intrusive doubly-linked list ---------------------------------------- */

struct msrp_link {
	struct msrp_link *prev, *next;
};

static inline void
msrp_list_init(struct msrp_link *h)
{
	h->prev = h->next = h;
}

static inline bool
msrp_linked(const struct msrp_link *n)
{
	return n->next != NULL;
}

static inline void
msrp_list_add_tail(struct msrp_link *h, struct msrp_link *n)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}

static inline void
msrp_unlink(struct msrp_link *n)
{
	if (n->next == NULL)
		return;
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->prev = n->next = NULL;
}

#define MSRP_CONTAINER(p, T, f) ((T *)(void *)((char *)(p)-offsetof(T, f)))

/* ---- a leg ---------------------------------------------------------------- */

/* Where a leg is. A passive leg listens (LISTEN) and handshakes one
 * candidate at a time (HANDSHAKE, listener paused); a candidate that came
 * before the Remote (its address or fingerprints) is HELD, unread, until a
 * modify brings it or handshake_ms passes; an active one waits for
 * its joined leg (WAIT_PEER, connect_after_peer), connects (CONNECTING),
 * handshakes. UP: connected and authenticated. DEAD: no connection and no
 * attempt: it failed for good, timed out or closed; it stays until control
 * closes it, or a modify starts it over. */
enum msrp_state {
	MSRP_S_DEAD = 0,
	MSRP_S_LISTEN,
	MSRP_S_WAIT_PEER,
	MSRP_S_CONNECTING,
	MSRP_S_HELD,
	MSRP_S_HANDSHAKE,
	MSRP_S_UP,
};

/* Bytes on their way to one leg's peer: a ring of buf_bytes, taken from the
 * worker's cache when the first byte arrives and given back as soon as it
 * is empty, so an idle relay holds none. */
struct msrp_buf {
	struct msrp_buf *next_free;
	uint32_t start;
	uint32_t len;
	uint8_t data[];
};

/* epoll data: the leg's address with the fd kind in the low bits. */
#define MSRP_TAG_CONN 0u
#define MSRP_TAG_LISTEN 1u
#define MSRP_TAG_WAKE 2u /* the worker's eventfd; no leg */
#define MSRP_TAG_MASK 3u

struct msrp_worker;

/* An UP or CLOSED event waiting for room in the event ring. */
#define MSRP_PEND_MAX 3
struct msrp_pend {
	uint8_t type, reason, tls;
	uint16_t peer_port;
	struct cfg_ip peer_ip;
};

struct msrp_leg {
	/* RO after open (control). */
	uint32_t id;
	uint32_t slot;
	uint64_t cookie;
	/* W: control, only while no worker owns the leg (open, migration). */
	struct msrp_worker *wk;
	bool busy;                            /* W: control: a migration waits
					       * for its worker (limbo) */

	/* Everything below: W: owner worker. */
	struct dp_msrp_leg_spec spec;         /* modify replaces it */
	enum msrp_state state;
	int fd;                               /* the connection (or the
					       * candidate), -1 */
	int lfd;                              /* passive: the listener, -1 */
	uint32_t ev;                          /* events registered for fd */
	uint32_t lev;                         /* ... for lfd */
	bool fd_reg, lfd_reg;                 /* fd, lfd in the epoll set */
	bool detached;                        /* between DETACH and ATTACH */
	bool lst_paused;                      /* EMFILE: listener off a tick */
	SSL *ssl;
	/* Relay state of the connection. */
	bool r_ready, w_ready;                /* last read/write did not block */
	uint32_t rd_want, wr_want;            /* EPOLLIN/OUT the op waits for */
	uint32_t hs_want;                     /* handshake: EPOLLIN/OUT */
	bool rx_eof;                          /* the peer sent FIN/close_notify */
	bool shut_pending;                    /* FIN/close_notify to send once
					       * tx is empty */
	bool tx_shut;                         /* sent */
	bool draining;                        /* joined leg closed: flush tx,
					       * shut, close */
	bool first_eof;                       /* its peer closed first */
	enum dp_msrp_reason end_reason;       /* draining: the CLOSED reason */
	struct msrp_leg *peer;                /* the joined leg, same worker */
	struct msrp_buf *tx;                  /* bytes for this leg's peer */
	struct msrp_frame *frame;             /* frame_check state */
	struct cfg_ip peer_ip;
	uint16_t peer_port;
	/* Time, in the worker's ms clock. */
	uint64_t t_est;                       /* connect_ms deadline, 0 none */
	uint64_t t_hs;                        /* handshake deadline, 0 none */
	uint64_t t_drain;                     /* draining deadline, 0 none */
	uint64_t t_last;                      /* last byte either way */
	uint64_t t_up;                        /* when it came up */
	uint64_t deadline;                    /* the wheel's, 0 = not armed */
	struct msrp_link tnode;               /* wheel slot */
	struct msrp_link rnode;               /* ready list */
	struct msrp_link pnode;               /* pending-events list */
	uint8_t n_pend;
	struct msrp_pend pend[MSRP_PEND_MAX];
	struct dp_msrp_leg_stats st;          /* read by control */
};

/* ---- commands --------------------------------------------------------------- */

enum msrp_cmd_type {
	MSRP_C_ADD = 1,   /* leg, fd: the bound (passive: listening) socket */
	MSRP_C_MODIFY,    /* leg, spec (heap, the worker frees), fd spare */
	MSRP_C_JOIN,      /* leg, leg2 */
	MSRP_C_UNJOIN,    /* leg */
	MSRP_C_CLOSE,     /* leg; acknowledged */
	MSRP_C_DETACH,    /* leg: unjoin, leave the epoll set; acknowledged */
	MSRP_C_ATTACH,    /* leg: join this worker's epoll set and wheel */
	MSRP_C_SET_TLS,   /* tls; acknowledged */
};

struct msrp_cmd {
	enum msrp_cmd_type type;
	int fd;
	struct msrp_leg *leg;
	struct msrp_leg *leg2;
	struct dp_msrp_leg_spec *spec;
	struct sec_tls *tls;
	uint64_t seq;
};

/* ---- a worker ----------------------------------------------------------------- */

/* Worker-wide counters. W: the worker; read by dp_msrp_totals(). */
struct msrp_wk_stats {
	uint64_t up;
	uint64_t handshakes;
	uint64_t fails[DP_MSRP_R_MAX];
	uint64_t tls_fails[SEC_TLS_FAIL_MAX];
	uint64_t bytes;
	uint64_t ktls_legs;
	uint64_t ev_dropped;                  /* FAIL events over the reserve */
};

struct msrp_worker {
	struct dp_msrp *m;                    /* RO */
	unsigned int idx;                     /* RO */
	unsigned int lcore;                   /* RO; n_workers == 0: unused */
	int epfd;                             /* RO */
	int evfd;                             /* RO: wakes the worker */
	/* W: worker. */
	int spare_fd;                         /* EMFILE: given up to accept
					       * and refuse one connection */
	struct sec_tls *tls;                  /* for new SSL objects */
	uint64_t now;                         /* ms, this round */
	uint64_t tick;                        /* wheel position */
	struct msrp_link wheel[MSRP_WHEEL];
	struct msrp_link ready;               /* legs to pump without epoll */
	struct msrp_link pending;             /* legs with events waiting */
	struct msrp_buf *free_bufs;
	unsigned int n_free_bufs;
	unsigned int max_free_bufs;           /* RO: MSRP_BUF_CACHE_BYTES worth */
	uint64_t seq;                         /* last command executed */
	bool stop;
	struct msrp_wk_stats st;
	/* Control <-> worker. */
	struct msrp_ring cmds;                /* P: control, C: worker */
	struct msrp_ring evs;                 /* P: worker, C: control */
	uint64_t done_seq;                    /* W: worker (release) */
	uint64_t post_seq;                    /* W: control */
	uint32_t n_legs;                      /* W: control (placement) */
} __attribute__((aligned(64)));

/* ---- the relay ------------------------------------------------------------------ */

struct msrp_limbo {
	struct msrp_limbo *next;
	struct msrp_leg *leg;
	struct msrp_worker *wk;
	uint64_t seq;                         /* the command to wait for */
	struct msrp_worker *attach_to;        /* DETACH: where it goes next;
					       * NULL: CLOSE, free it */
	bool then_close;                      /* closed by control meanwhile */
};

struct dp_msrp {
	/* RO after create. */
	struct dp_msrp_conf conf;
	char netns[64];
	unsigned int lcores[MSRP_MAX_WORKERS];
	unsigned int n_wk;                    /* max(n_workers, 1) */
	struct msrp_worker *wk[MSRP_MAX_WORKERS];
	/* W: control. */
	struct sec_tls *tls;
	bool ktls_available;                  /* read by any thread */
	bool running;                         /* workers launched */
	struct msrp_leg **slots;              /* [max_legs] */
	uint8_t *gen;                         /* [max_legs], never 0 */
	uint32_t *free_slots;                 /* stack */
	uint32_t n_free;
	uint32_t n_legs;                      /* read by any thread */
	unsigned int place;                   /* placement counter */
	unsigned int ev_next;                 /* first worker to drain */
	struct msrp_limbo *limbo;
};

/* ---- between the files ---------------------------------------------------------- */

/* dp_msrp_worker.c */
struct msrp_worker *msrp_wk_create(struct dp_msrp *m, unsigned int idx, char *err,
				   size_t errlen);
void msrp_wk_destroy(struct msrp_worker *wk);
void msrp_wk_round(struct msrp_worker *wk, int timeout_ms);
void msrp_wk_exec(struct msrp_worker *wk, const struct msrp_cmd *c);
int msrp_wk_lcore_main(void *arg);
void msrp_wk_wake(struct msrp_worker *wk);
uint64_t msrp_now_ms(void);
void msrp_timer_arm(struct msrp_worker *wk, struct msrp_leg *l, uint64_t deadline);
void msrp_ready_add(struct msrp_worker *wk, struct msrp_leg *l);
void msrp_ev(struct msrp_worker *wk, struct msrp_leg *l, enum dp_msrp_ev_type type,
	     enum dp_msrp_reason r, enum sec_tls_fail tls);
void msrp_ev_forget(struct msrp_leg *l);
/* Register fd for want (in the epoll set or changed). @return 0/-errno. */
int msrp_epoll_set(struct msrp_worker *wk, struct msrp_leg *l, bool listener, uint32_t want);

/* dp_msrp_conn.c */
socklen_t msrp_sockaddr(const struct cfg_ip *ip, uint16_t port, struct sockaddr_storage *ss);
bool msrp_ip_equal(const struct cfg_ip *a, const struct cfg_ip *b);
void msrp_conn_start_connect(struct msrp_worker *wk, struct msrp_leg *l);
/* Close everything the leg holds and free it (destroy; no worker runs). */
void msrp_conn_release(struct msrp_leg *l);
void msrp_conn_add(struct msrp_worker *wk, struct msrp_leg *l, int fd);
void msrp_conn_event(struct msrp_worker *wk, struct msrp_leg *l, unsigned int tag,
		     uint32_t events);
void msrp_conn_timer(struct msrp_worker *wk, struct msrp_leg *l);
void msrp_conn_modify(struct msrp_worker *wk, struct msrp_leg *l,
		      const struct dp_msrp_leg_spec *spec, int spare);
void msrp_conn_close(struct msrp_worker *wk, struct msrp_leg *l);
void msrp_conn_detach(struct msrp_worker *wk, struct msrp_leg *l);
void msrp_conn_attach(struct msrp_worker *wk, struct msrp_leg *l);
int msrp_conn_arm(struct msrp_worker *wk, struct msrp_leg *l);
/* End l's connection and listener: EV_CLOSED with r (reset: RST). */
void msrp_leg_end(struct msrp_worker *wk, struct msrp_leg *l, bool reset, enum dp_msrp_reason r);
/* l's connection failed or closed in a way its joined leg must follow:
 * l ends (reset or not) with r; the joined leg is reset (reset_joined) or
 * drains and closes (R_JOINED_CLOSED). */
void msrp_pair_end(struct msrp_worker *wk, struct msrp_leg *l, bool reset, enum dp_msrp_reason r,
		   bool reset_joined);
void msrp_count_fail(struct msrp_worker *wk, struct msrp_leg *l, enum dp_msrp_reason r,
		     enum sec_tls_fail tls);
/* The joined leg of l came up: an active connect_after_peer leg starts. */
void msrp_conn_peer_up(struct msrp_worker *wk, struct msrp_leg *l);

/* dp_msrp_tls.c */
int msrp_tls_start(struct msrp_worker *wk, struct msrp_leg *l, bool server);
/* @return 1 done, 0 in progress (hs_want set), -1 failed (*why set). */
int msrp_tls_handshake(struct msrp_leg *l, enum sec_tls_fail *why);
/* @return > 0 bytes; 0 the peer closed (close_notify); -EAGAIN (rd_want /
 * wr_want set); -ECONNRESET fatal (*why set). */
int msrp_tls_read(struct msrp_leg *l, uint8_t *p, size_t n, enum sec_tls_fail *why);
int msrp_tls_write(struct msrp_leg *l, const uint8_t *p, size_t n, enum sec_tls_fail *why);
/* close_notify. @return 0 sent, -EAGAIN, -ECONNRESET. */
int msrp_tls_shutdown(struct msrp_leg *l);
bool msrp_tls_has_pending(const struct msrp_leg *l);
bool msrp_tls_ktls(const struct msrp_leg *l);
/* Does the peer's certificate hash to one of fp[0..n)? */
bool msrp_tls_peer_matches(const struct msrp_leg *l, const struct sec_fp *fp, unsigned int n);
void msrp_tls_free(struct msrp_leg *l);

/* dp_msrp_relay.c */
void msrp_relay_join(struct msrp_worker *wk, struct msrp_leg *a, struct msrp_leg *b);
/* Undo l's join: what is buffered between the two is dropped. */
void msrp_relay_unjoin(struct msrp_worker *wk, struct msrp_leg *l);
/* Move bytes both ways between l and its joined leg, as far as the sockets,
 * the buffers and the round's budget allow; then re-arm both. */
void msrp_relay_kick(struct msrp_worker *wk, struct msrp_leg *l);
/* epoll interest of an UP leg's connection. */
uint32_t msrp_relay_want(const struct msrp_worker *wk, const struct msrp_leg *l);
void msrp_buf_put(struct msrp_worker *wk, struct msrp_buf **b);
void msrp_buf_cache_free(struct msrp_worker *wk);
/* A draining leg: flush, shut, close when done. */
void msrp_relay_drain(struct msrp_worker *wk, struct msrp_leg *l);
/* frame_check: the validator for a new connection. @return 0 or -errno. */
int msrp_frame_start(struct msrp_worker *wk, struct msrp_leg *l);
/* Check n bytes src received (counted into msgs_in). @return 0 or < 0: not
 * MSRP. */
int msrp_frame_feed_leg(struct msrp_worker *wk, struct msrp_leg *l, const uint8_t *p, uint32_t n);

#endif /* IMSAGW_DP_MSRP_PRIV_H */
