/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A small MGC (the P-CSCF side of Iq) over UDP, for the imsagw-mgc tool,
 * tests and benchmarks: answers the gateway's ServiceChange and Notify,
 * sends requests (several may be outstanding), matches replies, follows
 * Pending, acknowledges replies (TransactionResponseAck piggybacked on the
 * next request). Reuses the codec; no control/ dependency.
 * Thread: one thread per object.
 */
#ifndef IMSAGW_IQ_MGC_H
#define IMSAGW_IQ_MGC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "h248.h"

struct iq_mgc;

struct iq_mgc_cfg {
	const char *bind;          /* our address, "127.0.0.1:2944" */
	const char *mg;            /* the gateway, "127.0.0.1:2945" */
	const char *mid;           /* our mId; default "[<bind ip>]:<port>" */
	enum h248_layout layout;   /* how we encode requests */
};

/* One decoded reply (or request from the MG). The tree points into text. */
struct iq_mgc_msg {
	char text[65536];
	size_t len;
	struct h248_message *msg;
	const struct h248_transaction *txn; /* the transaction this is about */
	uint64_t mem[1 << 14];
	struct iq_arena arena;
};

/* Returns the object or NULL with @err filled. */
struct iq_mgc *iq_mgc_open(const struct iq_mgc_cfg *cfg, char *err, size_t errlen);
void iq_mgc_close(struct iq_mgc *m);

/*
 * Wait for the gateway's ServiceChange and answer it (Version, Profile
 * echoed). @sc receives the request. Returns 0, -ETIMEDOUT.
 */
int iq_mgc_wait_register(struct iq_mgc *m, int timeout_ms, struct iq_mgc_msg *sc);

/*
 * Send "Transaction = <tid> { @actions }" (pretty text; re-encoded in the
 * configured layout). Returns 0 with *tid set, or -errno.
 */
int iq_mgc_send(struct iq_mgc *m, const char *actions, uint32_t *tid);

/*
 * Next reply to one of our requests within @timeout_ms, answering MG
 * requests (ServiceChange, Notify) on the way. Returns 0 with out->txn
 * the Reply; -ETIMEDOUT; -EBADMSG for an undecodable message.
 */
int iq_mgc_recv(struct iq_mgc *m, int timeout_ms, struct iq_mgc_msg *out);

/* Send and wait for that transaction's reply. Returns as iq_mgc_recv. */
int iq_mgc_call(struct iq_mgc *m, const char *actions, int timeout_ms, struct iq_mgc_msg *out);

/* Send a whole message text as is (for error tests). Returns 0 or -errno. */
int iq_mgc_send_raw(struct iq_mgc *m, const char *text, size_t len);
/* Receive any one message, decoded if possible. Returns 0, -ETIMEDOUT. */
int iq_mgc_recv_raw(struct iq_mgc *m, int timeout_ms, struct iq_mgc_msg *out);

/* First error code in a reply (transaction or action level), or 0. */
uint16_t iq_mgc_reply_error(const struct h248_transaction *t);

/*
 * Answer the next ServiceChange with a redirection: MgcIdToTry = @mgc_mid
 * (e.g. "[127.0.0.1]:2966"), so the gateway registers there (NULL: plain
 * reply). Returns 0.
 */
int iq_mgc_set_redirect(struct iq_mgc *m, const char *mgc_mid);

/*
 * Wait for the next request from the MG (ServiceChange or Notify), answer
 * it, and return it in @out (out->txn). Returns 0, -ETIMEDOUT.
 */
int iq_mgc_wait_request(struct iq_mgc *m, int timeout_ms, struct iq_mgc_msg *out);

/* Notifies and ServiceChanges the MG sent us (answered). */
uint64_t iq_mgc_mg_requests(const struct iq_mgc *m);

/*
 * A fresh UE key line "<tag> <suite> inline:<key||salt>" (tag 1) for
 * @suite. Returns 0 or -EINVAL.
 */
int iq_mgc_ue_crypto(const char *suite, char *line, size_t len);

/*
 * Actions of a call setup: Context = $ { Add access (Local $, Remote = @ue,
 * for e2ae RTP/SAVP with a fresh UE key in Remote written to @ue_line and
 * CHOOSE in Local), Add core (Local $, Remote = @core) }. @mode: the H.248
 * Mode token ("SendReceive"). Returns the length or -EINVAL/-E2BIG.
 */
int iq_mgc_call_actions(char *buf, size_t len, const char *ue, const char *core, bool e2ae,
			const char *suite, const char *mode, char *ue_line, size_t ue_len);

/* An MSRP call (SPEC.md §3.13 (f)): the UE's TLS side and the core's TCP
 * side in one new context. */
struct iq_mgc_msrp {
	const char *ue;              /* the UE's "IP:PORT" (9 when it connects) */
	const char *ue_fp[4];        /* its a=fingerprint values ("SHA-256 AB:..");
				      * at least one */
	const char *ue_setup;        /* its a=setup; NULL = actpass */
	const char *core;            /* the core peer's "IP:PORT" */
	const char *core_setup;      /* its a=setup; NULL = passive (it listens,
				      * we connect once the UE is up) */
	const char *mode;            /* H.248 Mode token ("SendReceive") */
	bool latch;                  /* ipnapt/latch on the access side (NAT:
				      * the UE may connect from any address) */
	bool events;                 /* request tcpbcc/estfail, tlsbsc/estfail
				      * and tcpbcc/rel on both terminations */
};

/*
 * Actions of an MSRP call: Context = $ { Add access (Local TCP/TLS/MSRP
 * with $ address, port, setup, fingerprint and path; Remote = the UE),
 * Add core (Local TCP/MSRP $; Remote = the core peer) }.
 * Returns the length or -EINVAL/-E2BIG.
 */
int iq_mgc_msrp_actions(char *buf, size_t len, const struct iq_mgc_msrp *c);

/*
 * Actions of a re-INVITE on an MSRP termination: Context = @ctx { Modify =
 * @term { Mode, Remote (@remote, @setup, @fp on TLS) } }. @fp NULL on TLS
 * is refused (the gateway needs it). Returns the length or -EINVAL/-E2BIG.
 */
int iq_mgc_msrp_modify(char *buf, size_t len, uint32_t ctx, const char *term, bool tls,
		       const char *remote, const char *fp, const char *setup, const char *mode);

struct iq_mgc_bench_result {
	unsigned int calls;
	uint64_t transactions;
	unsigned int errors;
	double seconds;
	double tps;
	uint64_t add_p50_us, add_p99_us;
	unsigned int window;
	bool e2ae;
};

/*
 * Control-plane benchmark: @window calls in flight; each call is one Add
 * transaction (access + core in a new context) and, once answered, one
 * Subtract = * transaction. Returns 0 (errors counted in @res) or
 * -ETIMEDOUT when the gateway stopped answering.
 */
int iq_mgc_bench(struct iq_mgc *m, unsigned int calls, unsigned int window, bool e2ae,
		 int timeout_ms, struct iq_mgc_bench_result *res);
void iq_mgc_bench_print(const struct iq_mgc_bench_result *r, FILE *f);

#endif /* IMSAGW_IQ_MGC_H */
