/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * imsagw crypto/: SRTP/SRTCP (RFC 3711, RFC 7714, RFC 6188) keyed by SDES.
 *
 * Threads:
 *  - control: sec_init/sec_fini, sec_set_suite_mask, sec_lcore_create/
 *    destroy, key derivation, session create/rekey/destroy (the session
 *    is built completely before it is published).
 *  - a worker lcore: the per-packet functions, with the per-lcore context
 *    control made for it (struct sec_lcore: the lcore's device queue pair,
 *    crypto ops and scratch state, as ipsec-secgw's lcore_conf holds its
 *    queue pair) and only sessions that lcore owns (the one worker that
 *    owns the flow). A context is used by one thread at a time, the lcore
 *    it was made for. They do not allocate, lock, make system calls or
 *    log, and find no per-lcore state anywhere but in the context.
 *  - the per-session functions without a context (sec_protect_burst...)
 *    use crypto's own context for the control thread: control thread
 *    only (tools, tests, setup), never a worker.
 *  - any thread: reading counters of a session (single-writer 64-bit
 *    fields), the live suite mask, suite table lookups.
 */
#ifndef IMSAGW_SEC_H
#define IMSAGW_SEC_H

#include <stdbool.h>
#include <stdint.h>

#include "sdes.h"
#include "sec_suite.h"

/* Engines that run the per-packet transforms. */
enum sec_engine {
	SEC_ENGINE_DEFAULT = 0, /* sec_config.default_engine */
	SEC_ENGINE_CRYPTODEV,   /* DPDK cryptodev (crypto_aesni_mb by default) */
	SEC_ENGINE_LIBSRTP,     /* libsrtp2, the reference */
	SEC_ENGINE_OPENSSL,     /* OpenSSL EVP, our transform (reference path) */
	SEC_ENGINE_IPSECMB,     /* intel-ipsec-mb's job API, our transform */
	SEC_ENGINE_COUNT
};

/* Filled by the caller from the config file. Zero means default. */
struct sec_config {
	uint32_t suite_mask;   /* enabled suites, bit per sec_suite_id; 0=all */
	/* 0 -> SEC_ENGINE_IPSECMB. If the default fails its probe (no
	 * intel-ipsec-mb, no AES-NI) or KATs, sec_init falls back: ipsecmb to
	 * cryptodev, any to openssl, then libsrtp; the engine chosen is
	 * logged once */
	enum sec_engine default_engine;
	bool disable_cryptodev;
	bool disable_ipsecmb;
	bool disable_libsrtp;
	bool disable_openssl;
	/* cryptodev: device name to use, or create as a vdev if absent
	 * ("crypto_aesni_mb" default). For a QAT VF give its device name. */
	const char *cryptodev_name;
	int socket_id;         /* cryptodev pools: <= 0 the device's socket,
				* else that NUMA socket */
	/* master keys the cryptodev engine can hold at once (a session has
	 * one, two during an inbound rekey; each key uses one device session
	 * per protocol, SRTP and SRTCP, reserved in EAL memory at start):
	 * 0 -> SEC_KEYS_DEFAULT. When cryptodev is not the engine sessions get by
	 * default (another default came up), it serves only sessions that
	 * name it and holds min(max_sessions, SEC_SPARE_KEYS). */
	uint32_t max_sessions;
	/* ipsecmb, GCM suites: keys in the smaller layout of intel-ipsec-mb's
	 * AVX2 code (384 bytes per key and protocol) instead of its widest
	 * code's (VAES/AVX-512: 1 KB), at about 1.7x the GCM cycles per
	 * packet. No effect on CPUs whose widest GCM code is AVX2 or older
	 * (their layout is already the small one) nor on AES-CM suites. */
	bool gcm_compact;
};

/* sec_config.max_sessions when 0, and what a registered engine other than
 * the default holds at most. */
#define SEC_KEYS_DEFAULT 4096
#define SEC_SPARE_KEYS 1024

/*
 * Register the engines allowed by cfg (cfg NULL = defaults). Each engine
 * is probed and runs the known-answer vectors against its own ops; only
 * an engine that passed them is registered (nothing can use it before),
 * one that fails is refused (sec_engine_available() returns false) and
 * logged. cryptodev needs rte_eal_init() done first; without EAL it is
 * just refused. Also makes the control thread's context (for the
 * per-session functions without one) for the calling lcore.
 * Returns 0 if at least one engine is available, -ENODEV otherwise,
 * -EALREADY if already initialised, or the error of that context
 * (-ENOMEM, -ENOSPC; nothing is left initialised then). Control thread,
 * once.
 */
int sec_init(const struct sec_config *cfg);

/* Release engines. All sessions and every context of sec_lcore_create()
 * must have been destroyed first (while a context is alive the engines
 * are kept and an error logged). Control. */
void sec_fini(void);

/* True if engine e passed its probe and KATs. Any thread after init. */
bool sec_engine_available(enum sec_engine e);

/* True if suite is in the live mask (sec_suite_mask()). Any thread. */
bool sec_suite_enabled(enum sec_suite_id suite);

/* The live enabled-suite mask to pass to sdes_parse(): the configured (or
 * last set) mask limited to what the available engines can do. 0 before
 * sec_init. Any thread (an atomic load; a reload may change it). */
uint32_t sec_suite_mask(void);

/*
 * Change the enabled suites at run time (the SIGHUP reload's crypto part).
 * mask: a bit per sec_suite_id; 0 means every suite some available engine
 * can do (as suite_mask 0 in sec_config). A mask with a suite no
 * available engine can do, or an unknown bit, is refused and the live
 * mask kept, as a reload keeps the old config. The new mask applies to
 * what is created from then on: sec_session_create() of a disabled suite
 * fails with -EINVAL, sdes_parse() with sec_suite_mask() refuses it; live
 * sessions, and their rekeys, keep working (a reload does not cut calls).
 * Returns 0, -EINVAL, -ENODEV before sec_init. Control thread.
 */
int sec_set_suite_mask(uint32_t mask);

/*
 * Run the known-answer vectors again through engine e (as at sec_init:
 * against its ops, on a per-lcore state of its own for the calling lcore),
 * for the suites of the live mask. Returns 0 if all pass, -ENODEV if e is
 * not registered, -EIO on a mismatch, -ENOENT if the live mask leaves no
 * vector for e, -ENOMEM or -ENOSPC if its per-lcore state cannot be made.
 * Control thread.
 */
int sec_engine_selftest(enum sec_engine e);

/* Engine name ("cryptodev", "libsrtp", "openssl", "ipsecmb"). Any
 * thread. */
const char *sec_engine_name(enum sec_engine e);

/* ---- sessions --------------------------------------------------------- */

enum sec_dir {
	SEC_DIR_PROTECT = 0,   /* RTP -> SRTP (we send with our Local key) */
	SEC_DIR_UNPROTECT      /* SRTP -> RTP (UE key from Remote) */
};

#define SEC_PROTO_SRTP  0x1
#define SEC_PROTO_SRTCP 0x2

#define SEC_REPLAY_WINDOW_DEFAULT 128
#define SEC_REPLAY_WINDOW_MIN 64
#define SEC_REPLAY_WINDOW_MAX 32768
#define SEC_STREAMS_DEFAULT 4
#define SEC_STREAMS_MAX 16
#define SEC_MKI_MAX 16         /* MKI bytes carried in packets */

/* Session flags. */
#define SEC_F_ACCEPT_UNENCRYPTED_SRTCP 0x1 /* accept E=0 SRTCP (unprotect) */

struct sec_session_params {
	enum sec_dir dir;
	uint32_t proto;                 /* SEC_PROTO_* bits (at least one) */
	enum sec_suite_id suite;
	const uint8_t *master_key;      /* suite master_key_len bytes */
	const uint8_t *master_salt;     /* suite master_salt_len bytes */
	uint8_t mki[SEC_MKI_MAX];       /* MKI bytes in packets (big-endian) */
	uint8_t mki_len;                /* 0 = none */
	uint64_t lifetime;              /* SDES lifetime ceiling; 0 = suite max */
	uint32_t replay_window;         /* 0 -> 128; 64..32768, multiple of 64 */
	uint32_t max_streams;           /* SSRCs tracked; 0 -> 4, max 16 */
	enum sec_engine engine;         /* SEC_ENGINE_DEFAULT -> config */
	uint32_t flags;                 /* SEC_F_* */
};

/* Fill p from an SDES line (suite, key, salt, lifetime, MKI); every other
 * field is reset to zero (its default), so set dir, proto, replay_window,
 * engine... after this call. p keeps pointers into c. Returns 0, -EINVAL,
 * -ENOTSUP (MKI longer than SEC_MKI_MAX). */
int sec_params_from_sdes(struct sec_session_params *p,
		const struct sdes_crypto *c);

struct sec_session;

/*
 * Derive the session keys (RFC 3711 §4.3) and create the engine session.
 * Returns the session, or NULL with *err = -EINVAL (bad params, suite
 * disabled), -ENOTSUP (engine unavailable or cannot do the suite),
 * -ENOMEM, -EIO (crypto library failure). Control thread.
 */
struct sec_session *sec_session_create(const struct sec_session_params *p,
		int *err);

/*
 * Rekey (SPEC §1.9): a new session with the key of p that keeps old's
 * per-SSRC state (ROC, highest index, replay windows, SRTCP index).
 * Protect: the new key is used from the first packet.
 * Unprotect: the key this rekey replaces (old's last installed key, the
 * one last signalled, whichever key authenticated last) stays active and
 * p's key is tried only after it fails (one extra authentication at most
 * per packet, counted in fallback_tries); the first packet that
 * authenticates with the new key makes it current and the old one
 * becomes the fallback. With MKI, a packet's MKI selects the key; when
 * both keys carry the same MKI the other one is tried after a failure
 * as without MKI.
 * dir/proto/suite/window/engine of p must equal old's. old is not
 * modified; publish the new one and destroy old after the grace period.
 * Returns the new session or NULL with *err (-EINVAL, -ENOTSUP for the
 * libsrtp engine, -ENOMEM, -EIO). Control thread; the owner lcore must
 * not be inside a burst on old (RCU: copy after the swap is also fine
 * since only state learned in between would be lost).
 */
struct sec_session *sec_session_rekey(const struct sec_session *old,
		const struct sec_session_params *p, int *err);

/*
 * End a rekey transition by identity: a copy of s (state kept) with only
 * the key the last rekey installed. The key that rekey replaced is
 * dropped whatever was seen meanwhile: with a call on hold nothing may
 * have authenticated under the new key yet, and it is still the one the
 * peer resumes with (SPEC §1.9). A session with one key is copied as it
 * is. Returns NULL with *err as sec_session_rekey(). Control.
 */
struct sec_session *sec_session_retire_fallback(const struct sec_session *s,
		int *err);

/*
 * The same session on engine e (SEC_ENGINE_DEFAULT: the configured
 * default): every key (fallback included, the current one still
 * current), per-SSRC state (ROC, highest index, replay windows, SRTCP
 * index) and key usage carried over, so that a key never restarts its
 * indexes (RFC 3711 §9.1). Protect sessions skip their SRTCP index 64
 * ahead: old may send a few more packets until the copy is published.
 * old is not modified; publish the copy and destroy old after the grace
 * period. Returns the copy or NULL with *err = -EALREADY (old already
 * runs on e: keep old), -ENOTSUP (e unavailable or without the suite, or
 * either engine is libsrtp, whose state cannot be carried: keep old or
 * change the key), -EINVAL (old NULL), -ENOMEM, -EIO. Control thread.
 */
struct sec_session *sec_session_change_engine(const struct sec_session *old,
		enum sec_engine e, int *err);

/*
 * rtcp-mux (RFC 5761) turned on or off under the same keys: the session for
 * the protocols proto (SEC_PROTO_SRTP and/or SEC_PROTO_SRTCP) whose keys
 * and SRTP state come from rtp_src and whose SRTCP state (index, replay
 * window) from rtcp_src, so no index restarts under a key (RFC 3711 §9.1).
 * Merge: rtp_src the SRTP session, rtcp_src the SRTCP one, proto both.
 * Split: the muxed session as both sources, proto one of them. The two
 * sources must hold the same keys (suite, direction, window, engine,
 * master keys and MKIs); a protect copy skips its SRTCP index ahead as
 * sec_session_change_engine() does. Sources are not modified.
 * Returns the session or NULL with *err = -EINVAL (sources that do not
 * match, or lack the protocol they give), -ENOTSUP (libsrtp engine: its
 * state cannot be carried), -ENOMEM, -EIO. Control thread.
 */
struct sec_session *sec_session_change_proto(const struct sec_session *rtp_src,
		const struct sec_session *rtcp_src, uint32_t proto, int *err);

/* Destroy and zeroize (OPENSSL_cleanse) every key. NULL ok. Control. */
void sec_session_destroy(struct sec_session *s);

/* Engine actually serving s. Any thread. */
enum sec_engine sec_session_engine(const struct sec_session *s);

/* ---- per-lcore contexts ------------------------------------------------ */

/* What the per-packet functions of one lcore need (opaque). */
struct sec_lcore;

/*
 * Make the crypto context of lcore lcore_id (rte_lcore_id() of the thread
 * that will use it; LCORE_ID_ANY for a thread that is no EAL lcore): each
 * available engine's per-lcore state, e.g. the cryptodev engine's queue
 * pair (one per lcore: contexts of the same lcore share it), crypto ops
 * and OpenSSL scratch contexts, allocated on the lcore's socket. Made
 * after sec_init (a context made before holds no engine state: fine while
 * no session exists, but it can never run cryptodev sessions); destroy it
 * before sec_fini. Returns the context, or NULL with *err = -ENOMEM, or
 * -ENOSPC (the cryptodev device has no queue pair left for another
 * lcore). Control thread.
 */
struct sec_lcore *sec_lcore_create(unsigned int lcore_id, int *err);

/* Release a context (NULL ok). No call may be running with it. Control. */
void sec_lcore_destroy(struct sec_lcore *lc);

/* ---- per packet ------------------------------------------------------- */

/* One packet: data points at the RTP/RTCP header. */
struct sec_pkt {
	uint8_t *data;
	uint32_t len;   /* packet length; updated in place */
	uint32_t room;  /* writable bytes from data (room >= len) */
};

/* Per-packet result. */
enum sec_status {
	SEC_ST_OK = 0,
	SEC_ST_AUTH_FAIL,  /* tag mismatch (with every key tried) */
	SEC_ST_REPLAY,     /* index already seen */
	SEC_ST_TOO_OLD,    /* index left of the replay window */
	SEC_ST_MALFORMED,  /* header/length/version/padding invalid */
	SEC_ST_KEY_LIMIT,  /* master key lifetime exhausted (RFC 3711 §9.2) */
	SEC_ST_NO_STREAM,  /* new SSRC but the stream table is full */
	SEC_ST_NO_ROOM,    /* room too small for tag/MKI/trailer */
	SEC_ST_BAD_MKI,    /* MKI in the packet matches no key */
	SEC_ST_ERROR,      /* engine failure */
	SEC_ST_SEQ_JUMP,   /* protect: RTP sequence jumped too far ahead
			    * (RFC 3550 A.1 MAX_DROPOUT), not confirmed by
			    * the next packet */
	SEC_ST_COUNT
};

/* Upper bound of bytes protect adds (SRTCP GCM: tag+index+MKI). */
#define SEC_BURST_MAX 256

#define SEC_MAX_TRAILER (SEC_TAG_MAX + 4 + SEC_MKI_MAX)

/*
 * Protect/unprotect up to n packets of one session (its dir must match).
 * pkts[i].len is updated; on return the good packets come first in
 * pkts[] (order kept) and the failed ones behind them, status[i] giving
 * the reason of pkts[i] after the move. Contents of failed packets are
 * unspecified. n <= SEC_BURST_MAX: packets beyond are left untouched with
 * status SEC_ST_ERROR. Returns the number of good packets.
 * sec_session_burst: op (enum sec_op_code below) says which, with the
 * context lc of the calling lcore, which owns s; an op that does not fit
 * s (dir, proto) fails every packet with SEC_ST_ERROR.
 * sec_{,rtcp_}{protect,unprotect}_burst: SRTP / SRTCP with the control
 * thread's context: control thread only (tools, tests).
 */
uint16_t sec_session_burst(struct sec_lcore *lc, struct sec_session *s,
		uint8_t op, struct sec_pkt *pkts, uint16_t n, uint8_t *status);
uint16_t sec_protect_burst(struct sec_session *s, struct sec_pkt *pkts,
		uint16_t n, uint8_t *status);
uint16_t sec_unprotect_burst(struct sec_session *s, struct sec_pkt *pkts,
		uint16_t n, uint8_t *status);
uint16_t sec_rtcp_protect_burst(struct sec_session *s, struct sec_pkt *pkts,
		uint16_t n, uint8_t *status);
uint16_t sec_rtcp_unprotect_burst(struct sec_session *s, struct sec_pkt *pkts,
		uint16_t n, uint8_t *status);

/*
 * Packets of many sessions in one call: the media worker's burst, where
 * consecutive packets usually belong to different calls. Each packet names
 * its session and operation; the crypto of all of them runs as one device
 * burst (a multi-buffer engine fills its lanes across sessions), then each
 * packet is finished in order. Results equal calling the per-session
 * functions above packet by packet.
 */
enum sec_op_code {
	SEC_RTP_PROTECT = 0,     /* bit 0: unprotect, bit 1: RTCP */
	SEC_RTP_UNPROTECT = 1,
	SEC_RTCP_PROTECT = 2,
	SEC_RTCP_UNPROTECT = 3,
};

struct sec_burst_pkt {
	struct sec_session *s;   /* its dir and proto must fit op */
	struct sec_pkt pkt;      /* len updated in place on success */
	uint8_t op;              /* enum sec_op_code */
	uint8_t status;          /* out: enum sec_status */
};

/*
 * Transform n packets in place, no reordering: p[i].status says how each
 * went, p[i].pkt.len is the new length of a good one. n <= SEC_BURST_MAX
 * (entries beyond are set to SEC_ST_ERROR). Counters of each session are
 * updated. Returns the number of good packets. The lcore of lc, which
 * owns every session in p (the media worker, with the context made for
 * it).
 */
uint16_t sec_burst(struct sec_lcore *lc, struct sec_burst_pkt *p, uint16_t n);

/* A session's failures and rekey events, written by the owner lcore only,
 * read by anyone. Good packets and their bytes are what the calls return:
 * the data plane counts them per flow. */
struct sec_stats {
	uint64_t st[SEC_ST_COUNT]; /* failures per status (st[0] unused) */
	uint64_t fallback_tries;   /* extra authentications with 2nd key */
	uint64_t fallback_ok;      /* packets that passed with the 2nd key */
	uint64_t key_switches;     /* 2nd key became current */
};

/* Snapshot of s's counters (64-bit loads, no lock). Any thread. */
void sec_session_stats(const struct sec_session *s, struct sec_stats *out);

/* Stream state snapshot for one SSRC (tests, telemetry). Returns 0 or
 * -ENOENT. Not meaningful for the libsrtp engine. Any thread (racy). */
struct sec_stream_info {
	uint32_t roc;
	uint16_t s_l;
	uint64_t srtp_highest;   /* 48-bit index */
	uint32_t srtcp_index;    /* last sent / highest received */
};
int sec_session_stream_info(const struct sec_session *s, uint32_t ssrc,
		struct sec_stream_info *out);

/* Static text for a status. Any thread. */
const char *sec_status_str(enum sec_status st);

/* ---- key derivation (RFC 3711 §4.3, exposed for tests/tools) ---------- */

/*
 * Derive n bytes for label (0..5) with kdr = 0 from a master key/salt of
 * suite. The GCM 12-byte salt is zero-padded to 14 (RFC 7714 §11).
 * Returns 0, -EINVAL, -EIO. Control thread.
 */
int sec_kdf(enum sec_suite_id suite, const uint8_t *master_key,
		const uint8_t *master_salt, uint8_t label, uint8_t *out,
		size_t n);

#endif /* IMSAGW_SEC_H */
