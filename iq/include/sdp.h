/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SDP codec for what Iq carries inside H.248 Local{}/Remote{} (SPEC.md
 * §3.4-3.6, §4.3; RFC 4566 line syntax). Pure: no I/O, no globals, no
 * logging. Parsing keeps slices of the input; unknown lines and attributes
 * are kept verbatim and echoed by sdp_format().
 *
 * H.248 specifics: o=, s=, t= may be absent; '$' (CHOOSE) may stand for an
 * address, a port or a key (a=crypto:1 SUITE inline:$); several
 * descriptions in one octet string, each starting with v=, are
 * alternatives (struct sdp_desc holds them in order).
 *
 * a=crypto lines are exposed raw (value after "crypto:"); parsing them is
 * crypto/'s job (sdes_). Callers may rewrite any slice in the tree (e.g.
 * point an attr's value at a completed crypto line, set port and clear
 * port_choose) and format it back.
 */
#ifndef IMSAGW_SDP_H
#define IMSAGW_SDP_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "iq_common.h"

enum sdp_attr_kind {
	SDP_A_OTHER = 0,
	SDP_A_CRYPTO,        /* a=crypto:<tag> <suite> <key-params> [...] */
	SDP_A_RTCP,          /* a=rtcp:<port> [IN IP4 addr] */
	SDP_A_RTCP_MUX,      /* a=rtcp-mux */
	SDP_A_PTIME,         /* a=ptime:<ms> */
	SDP_A_RTPMAP,
	SDP_A_FMTP,
	SDP_A_FINGERPRINT,   /* a=fingerprint:<hash> <hex or $> */
	SDP_A_SETUP,         /* a=setup:active|passive|actpass|holdconn */
	SDP_A_CONNECTION,    /* a=connection:new|existing */
	SDP_A_PATH,          /* a=path:msrp://... */
	SDP_A_3GE2AE,        /* a=3ge2ae:requested|applied */
	SDP_A_SENDRECV,
	SDP_A_SENDONLY,
	SDP_A_RECVONLY,
	SDP_A_INACTIVE,
	SDP_A_ACCEPT_TYPES,  /* a=accept-types:message/cpim text/plain (MSRP) */
	SDP_A_MSRP_CEMA,     /* a=msrp-cema (RFC 6714) */
};

struct sdp_attr {
	enum sdp_attr_kind kind;
	struct iq_str name;      /* as written, e.g. "crypto" */
	bool has_value;          /* ':' present */
	struct iq_str value;     /* everything after the first ':' */
	struct sdp_attr *next;
};

/* Any other line (i=, u=, e=, p=, b=, r=, z=, k=, unknown): verbatim. */
struct sdp_line {
	char type;
	struct iq_str value;
	struct sdp_line *next;
};

/* c=<nettype> <addrtype> <addr>; addr may be "$" (addr_choose). */
struct sdp_conn {
	bool present;
	struct iq_str nettype;   /* "IN" */
	struct iq_str addrtype;  /* "IP4", "IP6" or "$" */
	struct iq_str addr;      /* "198.51.100.7", "$", "224.2.1.1/127" */
	bool addr_choose;
};

struct sdp_media {
	struct iq_str media;     /* audio, video, message, ... */
	bool port_choose;        /* port written as "$" */
	uint16_t port;
	bool has_nports;         /* "<port>/<n>" */
	uint16_t nports;
	struct iq_str proto;     /* RTP/AVP, RTP/SAVP, TCP/TLS/MSRP, ... */
	struct iq_str fmts;      /* rest of the m= line, verbatim ("96 97", "*", "-") */
	struct sdp_conn conn;
	uint16_t n_lines;
	struct sdp_line *lines;
	uint16_t n_attrs;
	struct sdp_attr *attrs;
	/* Derived at parse time (read-only views of attrs): */
	bool rtcp_mux;
	int32_t rtcp_port;       /* -1 when no numeric a=rtcp */
	uint32_t ptime;          /* 0 when absent */
	uint16_t n_crypto;
	struct sdp_media *next;
};

struct sdp_session {
	bool has_v;
	bool has_o;
	struct iq_str origin;    /* o= value verbatim */
	bool has_s;
	struct iq_str name;
	bool has_t;
	struct iq_str timing;
	struct sdp_conn conn;
	uint16_t n_lines;
	struct sdp_line *lines;
	uint16_t n_attrs;
	struct sdp_attr *attrs;
	uint16_t n_media;
	struct sdp_media *media;
	struct sdp_session *next;
};

/* One Local/Remote octet string: one or more alternative descriptions. */
struct sdp_desc {
	bool crlf;               /* input used CRLF line ends */
	uint16_t n_sessions;
	struct sdp_session *sessions;
};

struct sdp_limits {
	uint32_t max_len;        /* default 16384 */
	uint16_t max_lines;      /* default 256 */
	uint16_t max_line_len;   /* default 2048 */
	uint16_t max_sessions;   /* default 8 */
	uint16_t max_media;      /* per session; default 16 */
};

struct sdp_error {
	uint32_t line;           /* 1-based line number */
	uint32_t offset;         /* byte offset of the failure */
	const char *reason;      /* static text */
};

/*
 * Parse an SDP octet string.
 * @buf, @len: the text (LF or CRLF line ends, blank lines ignored);
 *             must outlive *out.
 * @arena: receives the tree; @lim: bounds or NULL for defaults.
 * @out: receives the description; @err: line, offset, reason (may be NULL).
 * Returns: 0; -EINVAL on a malformed line; -E2BIG when a bound is exceeded;
 * -ENOMEM when the arena is exhausted.
 * Thread: any thread; pure.
 */
int sdp_parse(const char *buf, size_t len, struct iq_arena *arena,
	      const struct sdp_limits *lim, struct sdp_desc **out,
	      struct sdp_error *err);

/*
 * Format a description: per session v, o, s, i/u/e/p lines, c, b lines, t,
 * other lines, a lines, then per media m, i lines, c, other lines, a lines.
 * @crlf: end lines with CRLF (else LF). @out, @cap: buffer; @out_len: bytes
 * written (a NUL follows when room remains, not counted).
 * Returns: 0; -ENOSPC when cap is too small (out_len gets the size needed);
 * -EINVAL when a field cannot be written (CR/LF/NUL or '}' in a value, since
 * the result must fit in an H.248 octet string, or an empty required field).
 * Thread: any thread; pure.
 */
int sdp_format(const struct sdp_desc *d, bool crlf, char *out, size_t cap,
	       size_t *out_len);

/*
 * Next attribute of a kind after @after (NULL: from the list head).
 * Returns: the attribute or NULL. Thread: any thread; pure.
 */
const struct sdp_attr *sdp_attr_next(const struct sdp_attr *list,
				     enum sdp_attr_kind kind,
				     const struct sdp_attr *after);

/*
 * True when @s is the CHOOSE wildcard "$". Thread: any thread; pure.
 */
bool sdp_is_choose(struct iq_str s);

#endif /* IMSAGW_SDP_H */
