/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * msrp_frame: the relay's optional MSRP framing check (RFC 4975 §7.1, §9;
 * SPEC.md §6.1, §6.5 "optional hardening"). Private to dataplane/.
 *
 * A streaming validator: a leg feeds it every byte it receives, in whatever
 * pieces the socket gives, and it says "MSRP so far" or why not. It only
 * observes: the relay forwards the bytes itself, nothing is copied or
 * rewritten. The state is this fixed-size struct (the stored transaction id
 * is what end-line matching needs); no allocation, no syscall, no log, so a
 * worker may run it on its hot path. The verdict and the message count do
 * not depend on how the stream is cut: one byte at a time gives what the
 * whole stream at once gives.
 *
 * What it accepts, per message:
 *   "MSRP" SP transact-id SP method CRLF                  (request)
 *   "MSRP" SP transact-id SP 3DIGIT [SP comment] CRLF     (response)
 *   To-Path and From-Path first (names case-insensitive), then any headers
 *   name ":" value CRLF (name = ALPHA *(ALPHANUM / "-" / "_"), value any
 *   text but control characters other than HTAB; the SP after ":" is not
 *   required), then either
 *   - the end-line directly: a request or response without a body (an empty
 *     SEND is a valid request), or
 *   - (requests only) an empty line, the body, CRLF, the end-line. The CRLF
 *     of the empty line may double as the one before the end-line, so
 *     "...CRLF CRLF end-line" is an empty body too.
 *   end-line = "-------" transact-id ("+" / "$" / "#") CRLF, with the start
 *   line's transact-id; an end-line of another id inside a body is body.
 * The next byte after an end-line starts the next message ("MSRP", case-
 * sensitive). transact-id: 4..32 chars, first ALPHANUM, then ALPHANUM or
 * one of ".-+%=". method: 1*UPALPHA, unknown methods included. Not checked:
 * header values (URIs, Byte-Range), which headers a method needs, that
 * Content-Type is the last header before a body, UTF-8 validity.
 *
 * Limits: the head (start line and header lines with their CRLFs; neither
 * the empty line nor the end-line) at most max_header bytes; the body at
 * most max_chunk bytes. A head over the limit fails on the byte that passes
 * it; a body over the limit fails at the latest at the end of the piece in
 * which it passes it (the scan skips through bodies, so err_off says where
 * it was noticed).
 *
 * Threads: a struct belongs to the one thread that feeds it.
 */
#ifndef IMSAGW_MSRP_FRAME_H
#define IMSAGW_MSRP_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MSRP_FRAME_TID_MIN 4
#define MSRP_FRAME_TID_MAX 32

/* Why a stream is not MSRP. msrp_frame_feed() returns the negative. */
enum msrp_frame_err {
	MSRP_FRAME_OK = 0,
	MSRP_FRAME_E_START_LINE,      /* not "MSRP" SP tid SP method|status CRLF */
	MSRP_FRAME_E_TID,             /* transact-id length or character */
	MSRP_FRAME_E_HEADER,          /* a header line: name, ':', value, CRLF */
	MSRP_FRAME_E_HEADER_TOO_LONG, /* head over max_header */
	MSRP_FRAME_E_PATH_ORDER,      /* To-Path, From-Path not the first two */
	MSRP_FRAME_E_END_LINE,        /* a line starting '-' in the head that is
				       * not this transaction's end-line */
	MSRP_FRAME_E_CHUNK_TOO_LONG,  /* body over max_chunk */
	MSRP_FRAME_E_BODY_IN_RESPONSE,/* an empty line (a body) in a response */
	MSRP_FRAME_E_MAX,
};

struct msrp_frame {
	/* Results, read by the feeding thread. */
	uint64_t msgs;                /* complete messages (end-lines): requests
				       * (chunks) and responses */
	uint64_t resps;               /* of which responses */
	uint64_t off;                 /* bytes accepted so far (on failure:
				       * up to err_off) */
	uint64_t err_off;             /* stream offset where it failed */
	enum msrp_frame_err err;      /* 0, or why it failed (sticky) */

	/* Private: limits (set by init) and parser state. */
	uint32_t max_header;
	uint32_t max_chunk;
	uint8_t st;                   /* where in a message */
	bool resp;                    /* this message is a response */
	uint8_t tid_len;
	uint8_t n_hdr;                /* header lines so far, saturating */
	uint8_t name_len;             /* of the header name being read */
	bool name_ok;                 /* it still matches the path header due */
	uint16_t pos;                 /* index within the current token */
	uint32_t head;                /* head bytes so far */
	uint32_t em;                  /* end-line pattern bytes matched (with
				       * the CRLF before it) */
	uint64_t body;                /* body state bytes, incl. the virtual
				       * CRLF of the empty line */
	char tid[MSRP_FRAME_TID_MAX];
};

/* Start checking a new stream (a new connection). max_header and max_chunk
 * apply as given (0 allows no header byte / no body byte). */
void msrp_frame_init(struct msrp_frame *f, uint32_t max_header, uint32_t max_chunk);

/*
 * Check the next n bytes of the stream (n may be 0; p may be NULL then).
 * @return 0 when everything so far can be MSRP, or -MSRP_FRAME_E_* (f->err)
 *         once it cannot; every later call returns the same without looking.
 */
int msrp_frame_feed(struct msrp_frame *f, const uint8_t *p, size_t n);

/* True between messages: a close here cuts no message in two. */
bool msrp_frame_at_boundary(const struct msrp_frame *f);

/* A stable lower-case name ("ok", "bad_tid", ...) for counters and logs;
 * "unknown" outside the enum. */
const char *msrp_frame_err_name(enum msrp_frame_err e);

#endif /* IMSAGW_MSRP_FRAME_H */
