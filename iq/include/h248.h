/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * H.248.1 v3 text codec (SPEC.md §4; Annex B ABNF of H.248.1).
 *
 * Pure: no I/O, no globals, no logging. h248_decode() turns a message into a
 * tree allocated in a caller-provided iq_arena; names, values and SDP bodies
 * are slices of the input buffer, which must outlive the tree.
 * h248_encode() writes a tree back in either layout:
 *   H248_LAYOUT_PRETTY  - long tokens, one item per line, 2-space indent;
 *   H248_LAYOUT_COMPACT - compact tokens, no layout whitespace.
 * The decoder accepts any mix of long/compact tokens in any case, comments
 * (';' to end of line) wherever whitespace is legal, and any layout.
 *
 * Lists in the tree are singly linked (->next) in wire order, with counts.
 */
#ifndef IMSAGW_H248_H
#define IMSAGW_H248_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "iq_common.h"
#include "h248_tokens.h"

/* H.248.8 error codes the codec itself produces (SPEC.md §3.12). */
enum h248_errcode {
	H248_ERR_BAD_REQUEST = 400,       /* syntax error in message */
	H248_ERR_PROTOCOL = 401,
	H248_ERR_UNAUTHORIZED = 402,
	H248_ERR_TXN_SYNTAX = 403,        /* syntax error in transaction */
	H248_ERR_VERSION = 406,           /* version not supported */
	H248_ERR_BAD_ID = 410,            /* incorrect identifier */
	H248_ERR_UNKNOWN_CTX = 411,
	H248_ERR_UNKNOWN_ACTION = 421,
	H248_ERR_ACTION_SYNTAX = 422,
	H248_ERR_UNKNOWN_TERM = 430,
	H248_ERR_NO_WILDCARD_MATCH = 431,
	H248_ERR_TERM_NOT_IN_CTX = 435,
	H248_ERR_CMD_SYNTAX = 442,
	H248_ERR_UNSUPPORTED_CMD = 443,
	H248_ERR_UNSUPPORTED_DESC = 444,
	H248_ERR_UNSUPPORTED_PROP = 445,
	H248_ERR_UNSUPPORTED_PARAM = 446,
	H248_ERR_BAD_VALUE = 449,
	H248_ERR_INTERNAL = 500,
	H248_ERR_NOT_IMPLEMENTED = 501,
	H248_ERR_RESOURCES = 510,
	H248_ERR_BAD_MODE = 517,
};

/* ContextID specials (Erlang megaco.hrl values; SPEC.md §3.7). */
#define H248_CTX_NULL   0u          /* '-' */
#define H248_CTX_CHOOSE 0xFFFFFFFEu /* '$' */
#define H248_CTX_ALL    0xFFFFFFFFu /* '*' */
/* RequestID '*' (audits). */
#define H248_RID_ANY    0xFFFFFFFFu

enum h248_layout {
	H248_LAYOUT_PRETTY = 0,
	H248_LAYOUT_COMPACT = 1,
};

/* A value: VALUE = quotedString / 1*SafeChar. s excludes the quotes. */
struct h248_value {
	struct iq_str s;
	bool quoted;
	struct h248_value *next;
};

enum h248_op {
	H248_OP_NONE = 0, /* bare name: "KeepActive", "nt-1", "Statistics" */
	H248_OP_EQ,       /* name = value */
	H248_OP_NE,       /* name # value */
	H248_OP_GT,       /* name > value */
	H248_OP_LT,       /* name < value */
};

enum h248_vkind {
	H248_V_SINGLE = 0, /* v */
	H248_V_SUBLIST,    /* [a, b]  (A AND B) */
	H248_V_ALTLIST,    /* {a, b}  (A OR B) */
	H248_V_RANGE,      /* [a : b] */
};

/*
 * Generic property/parameter/item: what the codec does not model is kept
 * here so the procedures decide (445/446/449). tok is the token the name
 * spells, if any (encoded in the layout's form), else H248_TOK_NONE and name
 * is written verbatim (e.g. "ipdc/realm", "nt/dur", "rtp/jit").
 */
struct h248_prop {
	struct iq_str name;
	enum h248_tok tok;
	enum h248_op op;
	enum h248_vkind vkind;
	uint16_t n_values;
	struct h248_value *values;
	struct h248_prop *next;
};

enum h248_mid_type {
	H248_MID_IP4 = 1,  /* [192.0.2.1]:2944 */
	H248_MID_IP6,      /* [2001:db8::1]:2944 */
	H248_MID_DOMAIN,   /* <mgc.example.net>:2944 */
	H248_MID_DEVICE,   /* pathNAME, e.g. agw1/iq */
	H248_MID_MTP,      /* MTP{hex} */
	H248_MID_PORT,     /* port only (ServiceChangeAddress = 2944) */
};

struct h248_mid {
	enum h248_mid_type type;
	struct iq_str addr; /* without [] <> or MTP{} */
	bool has_port;
	uint16_t port;
};

struct h248_errdesc {
	uint16_t code;
	bool has_text;
	struct iq_str text; /* without quotes; no '"', CR or LF */
};

enum h248_mode {
	H248_MODE_NONE = 0,
	H248_MODE_SENDONLY,
	H248_MODE_RECVONLY,
	H248_MODE_SENDRECV,
	H248_MODE_INACTIVE,
	H248_MODE_LOOPBACK,
};

/* LocalControl: Mode plus everything else (ReservedValue/Group, ipdc/realm,
 * ipnapt/latch, gm/..., tman/..., ds/dscp ...) as generic props. */
struct h248_localcontrol {
	enum h248_mode mode;
	uint16_t n_props;
	struct h248_prop *props;
};

/* One stream. has_id false: streamParms written directly in Media{}. */
struct h248_stream {
	bool has_id;
	uint16_t id;
	bool has_lc;
	struct h248_localcontrol lc;
	bool has_local;
	struct iq_str local;   /* SDP octet string, whitespace-trimmed, verbatim */
	bool has_remote;
	struct iq_str remote;
	bool has_stats;
	uint16_t n_stats;
	struct h248_prop *stats;
	struct h248_stream *next;
};

struct h248_media {
	bool has_ts;                 /* TerminationState { ... } */
	uint16_t n_ts;
	struct h248_prop *ts;        /* ServiceStates, Buffer, props */
	uint16_t n_streams;
	struct h248_stream *streams;
};

/* Requested event, signal, or observed event. */
struct h248_event {
	bool has_timestamp;          /* observed events only */
	struct iq_str timestamp;     /* 20240101T12000000 */
	struct iq_str name;          /* pkgdName */
	bool has_params;             /* braces present */
	uint16_t n_params;
	struct h248_prop *params;
	struct h248_event *next;
};

struct h248_events {
	bool has_rid;                /* false: bare "Events" (clear) */
	uint32_t rid;                /* H248_RID_ANY for '*' */
	uint16_t n_events;
	struct h248_event *events;
};

/* Services { } of ServiceChange request and reply. */
struct h248_services {
	enum h248_tok method;        /* RESTART, FORCED, ...; NONE if absent or extension */
	struct iq_str method_ext;    /* extension method name when method is NONE */
	bool has_reason;
	struct h248_value reason;
	bool has_delay;
	uint32_t delay;
	bool has_version;
	uint8_t version;
	bool has_profile;
	struct iq_str profile;       /* name/version */
	bool has_address;
	struct h248_mid address;     /* ServiceChangeAddress */
	bool has_mgcid;
	struct h248_mid mgcid;       /* MgcIdToTry */
	bool has_timestamp;
	struct iq_str timestamp;
	bool incomplete;             /* ServiceChangeInc */
	uint16_t n_ext;
	struct h248_prop *ext;       /* X-/X+ extension parameters */
};

enum h248_desc_type {
	H248_DESC_MEDIA = 1,
	H248_DESC_EVENTS,
	H248_DESC_SIGNALS,
	H248_DESC_OBSERVED,
	H248_DESC_STATS,
	H248_DESC_AUDIT,
	H248_DESC_SERVICES,
	H248_DESC_ERROR,
	H248_DESC_PACKAGES,
};

struct h248_desc {
	enum h248_desc_type type;
	union {
		struct h248_media media;
		struct h248_events events;   /* EVENTS, OBSERVED */
		struct {                     /* SIGNALS, STATS, AUDIT, PACKAGES */
			bool has_body;       /* braces present */
			uint16_t n;
			struct h248_prop *items;       /* STATS, AUDIT, PACKAGES */
			struct h248_event *signals;    /* SIGNALS */
		} list;
		struct h248_services services;
		struct h248_errdesc error;
	} u;
	struct h248_desc *next;
};

enum h248_cmd_type {
	H248_CMD_ADD = 1,
	H248_CMD_MODIFY,
	H248_CMD_MOVE,
	H248_CMD_SUBTRACT,
	H248_CMD_AUDITVALUE,
	H248_CMD_AUDITCAP,
	H248_CMD_NOTIFY,
	H248_CMD_SERVICECHANGE,
};

struct h248_command {
	enum h248_cmd_type type;
	bool optional;               /* O- */
	bool wildcard_reply;         /* W- */
	struct iq_str tid;           /* TerminationID as written ($, *, ROOT, or a partial wildcard ending in a star) */
	bool has_body;               /* braces present */
	uint16_t n_descs;
	struct h248_desc *descs;
	struct h248_command *next;
};

/* contextRequest / contextProperties (request and reply). */
struct h248_ctxprops {
	int16_t priority;            /* -1 absent, else 0..15 */
	uint8_t emergency;           /* 0 absent, 1 Emergency, 2 EmergencyOff */
	uint8_t ieps;                /* 0 absent, 1 ON, 2 OFF */
	bool has_topology;
	uint16_t n_topology;
	struct h248_prop *topology;  /* flat: tA, tB, direction[, Stream=n], ... */
	bool has_attr;
	uint16_t n_attr;
	struct h248_prop *attr;      /* ContextAttr { props } */
	bool has_audit;
	uint16_t n_audit;
	struct h248_prop *audit;     /* ContextAudit { items } */
};

struct h248_action {
	uint32_t ctx_id;             /* or H248_CTX_NULL/CHOOSE/ALL */
	bool has_props;
	struct h248_ctxprops props;
	uint16_t n_cmds;
	struct h248_command *cmds;
	struct h248_errdesc *error;  /* reply only: action-level error, after cmds */
	struct h248_action *next;
};

enum h248_txn_type {
	H248_TXN_REQUEST = 1,        /* Transaction = id { actions } */
	H248_TXN_REPLY,              /* Reply = id[/seg[/END]] { ... } */
	H248_TXN_PENDING,            /* Pending = id { } */
	H248_TXN_RESPACK,            /* TransactionResponseAck { ranges } */
	H248_TXN_SEGREPLY,           /* Segment = id/seg[/END] */
};

struct h248_ack_range {
	uint32_t first;
	uint32_t last;               /* == first for a single id */
	struct h248_ack_range *next;
};

struct h248_transaction {
	enum h248_txn_type type;
	uint32_t id;                 /* unused for RESPACK */
	bool has_seg;
	uint16_t seg_no;
	bool seg_end;
	bool imm_ack;                /* reply: ImmAckRequired */
	struct h248_errdesc *error;  /* reply: transaction-level error */
	uint16_t n_actions;
	struct h248_action *actions;
	uint16_t n_acks;
	struct h248_ack_range *acks;
	struct h248_transaction *next;
};

struct h248_message {
	uint8_t version;
	struct h248_mid mid;
	struct h248_errdesc *error;  /* message-level error instead of transactions */
	uint16_t n_txns;
	struct h248_transaction *txns;
};

/* Decoder bounds; zero fields take the defaults below. */
struct h248_limits {
	uint32_t max_len;            /* bytes of input; default 65535 */
	uint16_t max_depth;          /* nested braces/brackets; default 16 */
	uint16_t max_items;          /* entries in any one list; default 256 */
	uint16_t max_txns;           /* transactions per message; default 64 */
};

/* Why decoding failed. */
struct h248_error {
	uint32_t offset;             /* byte offset in the input */
	uint16_t code;               /* H.248 error code to answer with */
	const char *reason;          /* static text, for logs */
	bool has_txn;                /* failure inside a transaction whose id is known */
	enum h248_txn_type txn_type;
	uint32_t txn_id;
};

/*
 * Decode one H.248 text message.
 * @buf, @len: the message (need not be NUL-terminated; must outlive *out).
 * @arena: receives every node; on failure its contents are garbage.
 * @lim: bounds, or NULL for the defaults.
 * @out: receives the message tree on success.
 * @err: receives offset, reason and H.248 error code on failure (may be NULL).
 * Returns: 0; -EINVAL on a syntax/semantic error (err->code is 400
 * message/header, 402 authentication header, 403 transaction, 406 version,
 * 410 identifier, 422 action, 442 command, 443 unknown command, 444
 * unsupported descriptor or nested construct, 446 unknown ServiceChange
 * parameter, 449 bad value, 517 bad Mode; an item cut off by the end of
 * the input always gets its level's syntax code; err->has_txn/txn_id tell
 * which request to answer, see h248_encode_error());
 * -E2BIG when a bound is exceeded (err->code 510); -ENOMEM when the arena
 * is exhausted (err->code 510).
 * Thread: any thread; pure.
 */
int h248_decode(const char *buf, size_t len, struct iq_arena *arena,
		const struct h248_limits *lim, struct h248_message **out,
		struct h248_error *err);

/*
 * Encode a message tree.
 * @m: the tree; @layout: pretty or compact; @out, @cap: output buffer.
 * @out_len: receives the number of bytes written (no NUL is appended; when
 * room remains a NUL follows for convenience but is not counted).
 * Returns: 0; -ENOSPC when cap is too small (out_len gets the size needed);
 * -EINVAL when the tree cannot be written as legal H.248 text (bad chars in
 * a name or quoted string, '}' in an SDP body, empty list that must not be).
 * Thread: any thread; pure.
 */
int h248_encode(const struct h248_message *m, enum h248_layout layout,
		char *out, size_t cap, size_t *out_len);

/*
 * Encode a message consisting of one reply transaction.
 * @version, @mid: our header; @reply: a H248_TXN_REPLY (or PENDING) node.
 * Returns and thread: as h248_encode().
 */
int h248_encode_reply(uint8_t version, const struct h248_mid *mid,
		      const struct h248_transaction *reply,
		      enum h248_layout layout, char *out, size_t cap,
		      size_t *out_len);

/*
 * Encode the answer to a failed decode: "Reply = id { Error = code {...} }"
 * when err->has_txn and err->txn_type is a request, otherwise a
 * message-level "Error = code {...}". The text is the standard one for the
 * code (h248_errcode_text()).
 * Returns and thread: as h248_encode().
 */
int h248_encode_error(uint8_t version, const struct h248_mid *mid,
		      const struct h248_error *err, enum h248_layout layout,
		      char *out, size_t cap, size_t *out_len);

/*
 * Encode "Pending = id { }" (@is_pending) or "TransactionResponseAck { id }".
 * Returns and thread: as h248_encode().
 */
int h248_encode_pending(uint8_t version, const struct h248_mid *mid,
			uint32_t txn_id, enum h248_layout layout, char *out,
			size_t cap, size_t *out_len);
int h248_encode_ack(uint8_t version, const struct h248_mid *mid,
		    uint32_t txn_id, enum h248_layout layout, char *out,
		    size_t cap, size_t *out_len);

/*
 * Standard text for an H.248.8 error code ("Syntax error in message", ...).
 * Returns: a static string; "Error" for codes it does not know.
 * Thread: any thread; pure.
 */
const char *h248_errcode_text(uint16_t code);

/*
 * Token lookup: @s in either form, any case.
 * Returns: the token, or H248_TOK_NONE. Thread: any thread; pure.
 */
enum h248_tok h248_tok_lookup(struct iq_str s);

/*
 * Spelling of a token in a layout.
 * Returns: static string; "" for H248_TOK_NONE/out of range.
 * Thread: any thread; pure.
 */
const char *h248_tok_str(enum h248_tok tok, enum h248_layout layout);

/*
 * Strict TerminationID check for names we generate (SPEC.md §3.7):
 * ["*"] NAME *("/" / "*" / ALPHA / DIGIT / "_" / "$") ["@" domain], NAME
 * starting with ALPHA, at most 64 chars, no '-' or '.' before '@'.
 * Returns: true when valid. Thread: any thread; pure.
 */
bool h248_tid_valid_strict(struct iq_str tid);

#endif /* IMSAGW_H248_H */
