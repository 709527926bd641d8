/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crypto/ private: the session layout, the session objects built against
 * one engine's ops (sec_sess.c), the known-answer runner (sec_kat.c) and
 * the module's log type. The engine SDK is sec_eng.h; test hooks are
 * sec_test.h. Not installed; not includable from other modules.
 *
 * Layering (no call circle): sec_session.c (registry, public API) calls
 * sec_kat.c and sec_sess.c; sec_kat.c calls sec_sess.c and an engine's
 * ops; sec_sess.c calls only the engine's ops and sec_kdf.c.
 */
#ifndef IMSAGW_SEC_PRIV_H
#define IMSAGW_SEC_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_log.h>

#include "sec.h"
#include "sec_eng.h"

/* The module's one rte_log type (imsagw.crypto), control thread only.
 * DPDK 22.11 has no RTE_LOG_LINE: the wrapper adds the newline. */
extern int sec_logtype;
#define SEC_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, sec_logtype, "crypto: " fmt "\n", \
			##__VA_ARGS__)

/*
 * One master key with its derived keys (RFC 3711 §4.3): a cache line with
 * the MKI and the master key (kept: a session re-made from this one, with
 * another protocol set or engine, derives again), then one subkey line per
 * protocol the session has, nothing for the others: sub[0] is SRTP's, or
 * SRTCP's in an SRTCP-only session; SRTCP's is sub[1] when the session has
 * both (sec_key_sub()). An SRTP-only key is two lines, not three.
 */
struct sec_key {
	uint8_t mki[SEC_MKI_MAX]; /* RO */
	uint8_t mki_len;          /* RO */
	uint8_t raw;              /* RO: built from session keys (KATs) */
	uint8_t master_key[SEC_MASTER_KEY_MAX];   /* kept for rekey/libsrtp */
	uint8_t master_salt[SEC_MASTER_SALT_MAX];
	struct sec_subkey sub[];
};

/* Per-SSRC state, 32 bytes; its replay windows follow the session's
 * streams (sec_stream_win()). W: owner lcore (protect side also at commit
 * time). */
struct sec_stream {
	uint32_t ssrc;
	uint8_t used;
	uint8_t rtp_seen;
	uint8_t rtcp_seen;
	uint64_t rtp_highest;   /* 48-bit index: ROC << 16 | s_l */
	/* protect: the index that confirms a jump refused just before
	 * (RFC 3550 A.1 probation), 0 if none */
	uint64_t rtp_probe;
	uint32_t rtcp_index;    /* protect: last sent; unprotect: highest */
};

/*
 * A session's failure and rekey counters, read as struct sec_stats by
 * sec_session_stats(). 32-bit: they wrap after 2^32 events of one session
 * (a reader that samples takes differences modulo 2^32; the per-flow drop
 * counters of the data plane stay 64-bit). Good packets and bytes are not
 * counted here: the data plane counts them per flow (dp_flow_state), and
 * the per-session calls return them. W: owner lcore, on failures and
 * rekeys only: no line of it is written per good packet.
 */
struct sec_sess_stats {
	uint32_t st[SEC_ST_COUNT]; /* failures per status (st[0] unused) */
	uint32_t fallback_tries;   /* extra authentications with 2nd key */
	uint32_t fallback_ok;      /* packets that passed with the 2nd key */
	uint32_t key_switches;     /* 2nd key became current */
};

/*
 * One allocation: this header (144 bytes), the streams, their replay
 * windows (one per protocol the session has), then from a cache line on
 * the session's keys (struct sec_key, key_slots of them). An SRTP-only
 * session with one stream, a 128-packet window and an ipsecmb AES-128 key
 * is 544 bytes: three lines of session, then the key's. The first line
 * holds what every packet reads, the second what none does (the counters
 * are written on failures only); the third the first stream and its
 * window. A packet of a session without MKI reads the session's first
 * and third line, its key's subkey line and the engine's state: not the
 * key's first line (mki_len is the session's: every key of a session has
 * the same, sec_session_rekey checks it).
 */
struct sec_session {
	/* line 0, RO after publish but cur */
	const struct sec_suite *suite;
	const struct sec_eng_ops *eng;
	/* keys[nkeys - 1] is the last installed (the newest signalled);
	 * keys[0] during a rekey the one it replaced */
	struct sec_key *keys[2];
	struct sec_stream *streams; /* then their windows (sec_stream_win) */
	uint32_t flags;
	uint16_t window;        /* replay window, packets (<= 32768) */
	uint16_t win_mask;      /* window - 1 if a power of two, else 0 */
	uint16_t win_words;
	/* bytes of the engine's state a subkey points at (ops->key_size), 0
	 * for a device session: where its last lines are, for the prefetch */
	uint16_t eng_len;
	uint8_t dir;            /* enum sec_dir */
	uint8_t proto;          /* SEC_PROTO_* */
	uint8_t nstreams;
	uint8_t nwin;           /* windows per stream: 1 or 2 (protocols) */
	uint8_t mki_len;        /* every key's MKI length */
	uint8_t nkeys;          /* 1, or 2 during an inbound rekey */
	/* unprotect, 2 keys: the other key is tried when the one a packet
	 * selects fails (no MKI, or both keys carry the same MKI) */
	uint8_t trial;
	/* W: owner lcore */
	uint8_t cur;            /* index of the current key in keys[] */
	/* the index of SRTCP's subkey in a key's sub[] (0 or 1) */
	uint8_t rtcp_sub;
	uint8_t key_slots;      /* keys the allocation has room for */
	uint8_t key_used;       /* of them taken */
	/* line 1: not read per packet */
	void *eng_priv;         /* engine-owned (libsrtp context) */
	uint64_t lifetime;
	uint32_t alloc_len;     /* bytes of the allocation */
	struct sec_sess_stats stats;
};

/* The replay window of st (a stream of s) for SRTP (rtcp false) or
 * SRTCP, of a protocol s has. */
static inline uint64_t *
sec_stream_win(const struct sec_session *s, const struct sec_stream *st,
		bool rtcp)
{
	size_t i = (size_t)(st - s->streams) * s->nwin +
		(rtcp ? s->nwin - 1u : 0u);

	return (uint64_t *)(s->streams + s->nstreams) + i * s->win_words;
}

/* The subkey of k for SRTP (rtcp false) or SRTCP, of a protocol s has:
 * the per-packet path reaches a key's lines only through this. */
static inline struct sec_subkey *
sec_key_sub(const struct sec_session *s, struct sec_key *k, bool rtcp)
{
	return &k->sub[rtcp ? s->rtcp_sub : 0];
}

/*
 * Session objects (sec_sess.c), against the engine ops given, whether or
 * not that engine is registered: the KAT builds its sessions here before
 * its engine may be used. Control thread.
 *
 * sec_sess_check: params valid for any engine (not the suite mask).
 * sec_sess_alloc: the zeroed session, its streams and windows in one
 *   allocation, with the fields of p and room for nkeys (1 or 2) keys,
 *   which sec_sess_key_new() takes in order; no key yet.
 * sec_sess_key_new: derive (or take raw session keys ek/salt, non-NULL)
 *   and let s->eng expand one key, in s's next key slot (-ENOMEM when
 *   none is left).
 * sec_sess_build: check, alloc, key, engine session: a session ready for
 *   ops->burst. Errors as sec_session_create().
 * sec_sess_free: engine session, keys and memory, zeroized. NULL ok.
 */
int sec_sess_check(const struct sec_session_params *p, bool raw);
struct sec_session *sec_sess_alloc(const struct sec_eng_ops *ops,
		const struct sec_session_params *p, unsigned int nkeys,
		int *err);
struct sec_key *sec_sess_key_new(struct sec_session *s,
		const struct sec_session_params *p, const uint8_t *ek,
		const uint8_t *salt, int *err);
struct sec_session *sec_sess_build(const struct sec_eng_ops *ops,
		const struct sec_session_params *p, const uint8_t *ek,
		const uint8_t *salt, int *err);
void sec_sess_free(struct sec_session *s);

/*
 * Known-answer vectors (sec_kat.c) run against ops directly, the way
 * libsrtp tests a cipher type: sessions built by sec_sess_build(), packets
 * through ops->burst() on a per-lcore state of ops' own making. Nothing is
 * registered while they run. Vectors of suites outside suite_mask are
 * skipped. Returns 0 if all pass, -EIO (naming the first failure in the
 * log) on a mismatch, -ENOENT if no vector applied, or the errno of
 * ops->lcore_init. Control thread.
 */
int sec_kat_run(const struct sec_eng_ops *ops, uint32_t suite_mask);

#endif /* IMSAGW_SEC_PRIV_H */
