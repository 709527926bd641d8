/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * msrp_frame: the streaming RFC 4975 framing check (see msrp_frame.h).
 *
 * The head (start line, headers) is small and is walked byte by byte by a
 * state machine, so any cut of the stream lands in a state. The body is the
 * bulk of the traffic (file transfer in 2 KB chunks) and is skipped with
 * memmem() to the next "CRLF -------"; only from there does the machine go
 * byte by byte, through the transaction id, the flag and the CRLF, and back
 * to memmem() when they do not match. `em` is how much of the end-line
 * pattern P = CRLF "-------" tid flag CRLF the stream's last bytes match,
 * which is all a cut in the middle of an end-line needs to carry over.
 */
#define _GNU_SOURCE /* memmem, memrchr */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "msrp_frame.h"

/* CRLF and the seven dashes: what memmem() looks for in a body. */
static const char END_HEAD[] = "\r\n-------";
#define END_HEAD_LEN 9u
/* P's length beyond the tid: CRLF, 7 dashes, flag, CRLF. */
#define END_FIXED (END_HEAD_LEN + 3u)

/* Where in a message the next byte goes. */
enum {
	ST_MAGIC = 0, /* "MSRP " */
	ST_TID,       /* transact-id up to SP */
	ST_KIND,      /* first character of method or status */
	ST_METHOD,    /* UPALPHA up to CR */
	ST_STATUS,    /* the 2nd and 3rd digit */
	ST_STATUS_END,/* SP comment, or CR */
	ST_COMMENT,   /* text up to CR */
	ST_START_LF,  /* LF ending the start line */
	ST_LINE,      /* first byte of a head line */
	ST_NAME,      /* header name up to ':' */
	ST_VALUE,     /* header value up to CR */
	ST_HDR_LF,    /* LF ending a header line */
	ST_EMPTY_LF,  /* LF of the empty line before a body */
	ST_END,       /* an end-line right after the headers */
	ST_BODY,      /* body, and the end-line after it */
};

static const char *const err_names[MSRP_FRAME_E_MAX] = {
	[MSRP_FRAME_OK] = "ok",
	[MSRP_FRAME_E_START_LINE] = "bad_start_line",
	[MSRP_FRAME_E_TID] = "bad_tid",
	[MSRP_FRAME_E_HEADER] = "bad_header",
	[MSRP_FRAME_E_HEADER_TOO_LONG] = "header_too_long",
	[MSRP_FRAME_E_PATH_ORDER] = "path_order",
	[MSRP_FRAME_E_END_LINE] = "bad_end_line",
	[MSRP_FRAME_E_CHUNK_TOO_LONG] = "chunk_too_long",
	[MSRP_FRAME_E_BODY_IN_RESPONSE] = "body_in_response",
};

const char *
msrp_frame_err_name(enum msrp_frame_err e)
{
	if ((unsigned int)e >= MSRP_FRAME_E_MAX)
		return "unknown";
	return err_names[e];
}

static inline bool
is_alpha(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static inline bool
is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

static inline bool
is_alnum(uint8_t c)
{
	return is_alpha(c) || is_digit(c);
}

/* RFC 4975 §9: ident-char for the transact-id after its first character. */
static inline bool
is_tid_char(uint8_t c)
{
	return is_alnum(c) || c == '.' || c == '-' || c == '+' || c == '%' || c == '=';
}

/* hname after its first character (RFC 4975 §9). */
static inline bool
is_name_char(uint8_t c)
{
	return is_alnum(c) || c == '-' || c == '_';
}

/* utf8text (HTAB, printable ASCII, any non-ASCII byte): header values and
 * the response comment. */
static inline bool
is_text(uint8_t c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static inline uint8_t
lower(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

void
msrp_frame_init(struct msrp_frame *f, uint32_t max_header, uint32_t max_chunk)
{
	memset(f, 0, sizeof(*f));
	f->max_header = max_header;
	f->max_chunk = max_chunk;
	f->st = ST_MAGIC;
}

bool
msrp_frame_at_boundary(const struct msrp_frame *f)
{
	return f->err == MSRP_FRAME_OK && f->st == ST_MAGIC && f->pos == 0;
}

static int
fail(struct msrp_frame *f, enum msrp_frame_err e, uint64_t at)
{
	f->err = e;
	f->err_off = at;
	f->off = at;
	return -(int)e;
}

/* Byte j of P = CRLF "-------" tid flag CRLF; the flag is any of "+$#". */
static inline bool
end_byte_ok(const struct msrp_frame *f, uint32_t j, uint8_t c)
{
	uint32_t t = END_HEAD_LEN + f->tid_len;

	if (j < END_HEAD_LEN)
		return c == (uint8_t)END_HEAD[j];
	if (j < t)
		return c == (uint8_t)f->tid[j - END_HEAD_LEN];
	if (j == t)
		return c == '+' || c == '$' || c == '#';
	return c == (j == t + 1 ? '\r' : '\n');
}

static inline uint32_t
end_len(const struct msrp_frame *f)
{
	return END_FIXED + f->tid_len;
}

/* Body bytes known so far: what is not (yet) a match of P, less the
 * virtual CRLF of the empty line, which is never body. */
static inline uint64_t
body_len(const struct msrp_frame *f)
{
	return f->body >= 2u + f->em ? f->body - 2u - f->em : 0;
}

/* An end-line completed a message: count it and expect the next one. */
static void
message_done(struct msrp_frame *f)
{
	f->msgs++;
	if (f->resp)
		f->resps++;
	f->st = ST_MAGIC;
	f->pos = 0;
	f->resp = false;
	f->tid_len = 0;
	f->n_hdr = 0;
	f->head = 0;
	f->em = 0;
	f->body = 0;
}

/* The header whose name is due next: To-Path first, From-Path second
 * (RFC 4975 §7.1), any name after them. */
static const char *
path_due(const struct msrp_frame *f)
{
	if (f->n_hdr == 0)
		return "to-path";
	if (f->n_hdr == 1)
		return "from-path";
	return NULL;
}

/*
 * The body from p[*i]: skip to the end-line with memmem(), match it byte by
 * byte. @return 1 when a message ended at *i, 0 when the piece ran out,
 * <0 on error. *i advances past what was consumed.
 */
static int
scan_body(struct msrp_frame *f, const uint8_t *p, size_t n, size_t *i, uint64_t base)
{
	size_t k = *i;

	while (k < n) {
		if (f->em == 0) {
			const uint8_t *q = memmem(p + k, n - k, END_HEAD, END_HEAD_LEN);
			size_t tail, m;
			const uint8_t *r;

			if (q != NULL) {
				f->body += (uint64_t)(q - (p + k)) + END_HEAD_LEN;
				f->em = END_HEAD_LEN;
				k = (size_t)(q - p) + END_HEAD_LEN;
				continue;
			}
			/* No whole "CRLF -------" here: the piece may end in a
			 * prefix of it. Only its last CR can start one (P has
			 * no other CR in its first 9 bytes). */
			tail = n - k > END_HEAD_LEN - 1 ? n - (END_HEAD_LEN - 1) : k;
			r = memrchr(p + tail, '\r', n - tail);
			f->body += n - k;
			if (r != NULL) {
				m = (size_t)(p + n - r);
				if (memcmp(r, END_HEAD, m) == 0)
					f->em = (uint32_t)m;
			}
			k = n;
			break;
		}
		if (end_byte_ok(f, f->em, p[k])) {
			f->em++;
			f->body++;
			k++;
			if (f->em == end_len(f)) {
				/* Left in body: the body and the empty line's
				 * virtual CRLF, or 0 when that CRLF was the
				 * end-line's own (an empty body); body_len()
				 * gives the body either way. */
				f->em = 0;
				f->body -= end_len(f);
				if (body_len(f) > f->max_chunk)
					return fail(f, MSRP_FRAME_E_CHUNK_TOO_LONG, base + k);
				*i = k;
				message_done(f);
				return 1;
			}
			continue;
		}
		/* A mismatch: only a CR can begin P again (KMP fallback). */
		f->em = p[k] == '\r';
		f->body++;
		k++;
	}
	*i = k;
	if (body_len(f) > f->max_chunk)
		return fail(f, MSRP_FRAME_E_CHUNK_TOO_LONG, base + k);
	return 0;
}

/* Head bytes are counted as they are read: the byte that passes
 * max_header fails. */
#define HEAD_BYTE(f, at)                                                                           \
	do {                                                                                       \
		if (++(f)->head > (f)->max_header)                                                 \
			return fail((f), MSRP_FRAME_E_HEADER_TOO_LONG, (at));                      \
	} while (0)

/*
 * One head byte (any state but ST_BODY). @return 0 or <0 on error.
 */
static int
head_byte(struct msrp_frame *f, uint8_t c, uint64_t at)
{
	const char *due;

	switch (f->st) {
	case ST_MAGIC:
		HEAD_BYTE(f, at);
		if (c != (uint8_t)"MSRP "[f->pos])
			return fail(f, MSRP_FRAME_E_START_LINE, at);
		if (++f->pos == 5) {
			f->st = ST_TID;
			f->pos = 0;
		}
		return 0;
	case ST_TID:
		HEAD_BYTE(f, at);
		if (c == ' ') {
			if (f->tid_len < MSRP_FRAME_TID_MIN)
				return fail(f, MSRP_FRAME_E_TID, at);
			f->st = ST_KIND;
			return 0;
		}
		if (f->tid_len == MSRP_FRAME_TID_MAX ||
		    !(f->tid_len == 0 ? is_alnum(c) : is_tid_char(c)))
			return fail(f, MSRP_FRAME_E_TID, at);
		f->tid[f->tid_len++] = (char)c;
		return 0;
	case ST_KIND:
		HEAD_BYTE(f, at);
		if (is_digit(c)) {
			f->resp = true;
			f->st = ST_STATUS;
			f->pos = 1;
		} else if (c >= 'A' && c <= 'Z') {
			f->st = ST_METHOD;
		} else {
			return fail(f, MSRP_FRAME_E_START_LINE, at);
		}
		return 0;
	case ST_METHOD:
		HEAD_BYTE(f, at);
		if (c == '\r')
			f->st = ST_START_LF;
		else if (!(c >= 'A' && c <= 'Z'))
			return fail(f, MSRP_FRAME_E_START_LINE, at);
		return 0;
	case ST_STATUS:
		HEAD_BYTE(f, at);
		if (!is_digit(c))
			return fail(f, MSRP_FRAME_E_START_LINE, at);
		if (++f->pos == 3) {
			f->st = ST_STATUS_END;
			f->pos = 0;
		}
		return 0;
	case ST_STATUS_END:
		HEAD_BYTE(f, at);
		if (c == ' ')
			f->st = ST_COMMENT;
		else if (c == '\r')
			f->st = ST_START_LF;
		else
			return fail(f, MSRP_FRAME_E_START_LINE, at);
		return 0;
	case ST_COMMENT:
		HEAD_BYTE(f, at);
		if (c == '\r')
			f->st = ST_START_LF;
		else if (!is_text(c))
			return fail(f, MSRP_FRAME_E_START_LINE, at);
		return 0;
	case ST_START_LF:
		HEAD_BYTE(f, at);
		if (c != '\n')
			return fail(f, MSRP_FRAME_E_START_LINE, at);
		f->st = ST_LINE;
		return 0;
	case ST_LINE:
		/* A line starting '-' can only be the end-line (no header name
		 * starts with one), CR only the empty line: neither is head. */
		if (c == '-' || c == '\r') {
			if (f->n_hdr < 2)
				return fail(f, MSRP_FRAME_E_PATH_ORDER, at);
			if (c == '-') {
				/* The CRLF before P is the last header's. */
				f->em = 3;
				f->st = ST_END;
				return 0;
			}
			if (f->resp)
				return fail(f, MSRP_FRAME_E_BODY_IN_RESPONSE, at);
			f->st = ST_EMPTY_LF;
			return 0;
		}
		HEAD_BYTE(f, at);
		if (!is_alpha(c))
			return fail(f, MSRP_FRAME_E_HEADER, at);
		due = path_due(f);
		f->name_ok = due != NULL && lower(c) == (uint8_t)due[0];
		f->name_len = 1;
		f->st = ST_NAME;
		return 0;
	case ST_NAME:
		HEAD_BYTE(f, at);
		due = path_due(f);
		if (c == ':') {
			if (due != NULL && !(f->name_ok && due[f->name_len] == '\0'))
				return fail(f, MSRP_FRAME_E_PATH_ORDER, at);
			f->st = ST_VALUE;
			return 0;
		}
		if (!is_name_char(c))
			return fail(f, MSRP_FRAME_E_HEADER, at);
		if (due != NULL) {
			/* name_len stops at the first mismatch, at the latest
			 * on the due name's NUL. */
			if (f->name_ok && lower(c) == (uint8_t)due[f->name_len])
				f->name_len++;
			else
				f->name_ok = false;
		}
		return 0;
	case ST_VALUE:
		HEAD_BYTE(f, at);
		if (c == '\r')
			f->st = ST_HDR_LF;
		else if (!is_text(c))
			return fail(f, MSRP_FRAME_E_HEADER, at);
		return 0;
	case ST_HDR_LF:
		HEAD_BYTE(f, at);
		if (c != '\n')
			return fail(f, MSRP_FRAME_E_HEADER, at);
		if (f->n_hdr < 2)
			f->n_hdr++;
		f->st = ST_LINE;
		return 0;
	case ST_EMPTY_LF:
		if (c != '\n')
			return fail(f, MSRP_FRAME_E_HEADER, at);
		/* The empty line's CRLF may also be the one before the
		 * end-line: start the body with it matched. */
		f->st = ST_BODY;
		f->em = 2;
		f->body = 2;
		return 0;
	case ST_END:
		if (!end_byte_ok(f, f->em, c))
			return fail(f, MSRP_FRAME_E_END_LINE, at);
		if (++f->em == end_len(f))
			message_done(f);
		return 0;
	default:
		return fail(f, MSRP_FRAME_E_START_LINE, at);
	}
}

int
msrp_frame_feed(struct msrp_frame *f, const uint8_t *p, size_t n)
{
	size_t i = 0;
	int rc;

	if (f->err != MSRP_FRAME_OK)
		return -(int)f->err;
	while (i < n) {
		if (f->st == ST_BODY) {
			rc = scan_body(f, p, n, &i, f->off);
			if (rc < 0)
				return rc;
			continue;
		}
		if (f->st == ST_VALUE || (f->st == ST_NAME && f->n_hdr >= 2)) {
			/* Header values and names are most of a head: run
			 * through them in one loop, the byte that passes the
			 * limit still being the one that fails. (The first two
			 * names are compared byte by byte in head_byte().) */
			size_t k = i;
			uint32_t room = f->max_header - f->head;

			if (f->st == ST_VALUE)
				while (k < n && k - i < room && is_text(p[k]))
					k++;
			else
				while (k < n && k - i < room && is_name_char(p[k]))
					k++;
			f->head += (uint32_t)(k - i);
			i = k;
			if (i == n)
				break;
		}
		rc = head_byte(f, p[i], f->off + i);
		if (rc < 0)
			return rc;
		i++;
	}
	f->off += n;
	return 0;
}
