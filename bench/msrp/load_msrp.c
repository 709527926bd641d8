/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * imsagw-msrp-load: the MSRP it speaks (RFC 4975): SEND chunks with a
 * Byte-Range, answered "200 OK" with To-Path and From-Path swapped (§7.2).
 * Frames end at "-------<tid>" and a flag ($ + #); the payload is a fixed
 * pattern of letters, so an end-line can never appear inside it and a
 * frame is found with one memmem.
 */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <string.h>

#include "load.h"

#define PATTERN_LEN 65536

static char pattern[PATTERN_LEN];

static const char *
payload(void)
{
	unsigned int i;

	if (pattern[0] == '\0')
		for (i = 0; i < PATTERN_LEN; i++)
			pattern[i] = (char)('a' + i % 26);
	return pattern;
}

void
load_msrp_tid(char *out, size_t cap, uint32_t conn, uint32_t seq)
{
	snprintf(out, cap, "t%07ux%010u", conn, seq);
}

long
load_msrp_send(struct lbuf *b, uint32_t conn, uint32_t seq, size_t len)
{
	char tid[LOAD_TID_MAX];
	size_t done, room = len + 512;
	int h;

	if (len > PATTERN_LEN || load_buf_reserve(b, room) < 0)
		return -1;
	load_msrp_tid(tid, sizeof(tid), conn, seq);
	h = snprintf(b->p + b->len, room,
		     "MSRP %s SEND\r\nTo-Path: msrp://core.invalid:7654/s%07u;tcp\r\n"
		     "From-Path: msrps://ue.invalid:9/u%07u;tcp\r\nMessage-ID: m%07u\r\n"
		     "Byte-Range: %015llu-%015llu/*\r\nContent-Type: application/octet-stream\r\n\r\n",
		     tid, conn, conn, conn, (unsigned long long)seq * len + 1,
		     (unsigned long long)seq * len + len);
	if (h < 0 || (size_t)h + len + LOAD_TID_MAX + 16 > room)
		return -1;
	memcpy(b->p + b->len + h, payload(), len);
	done = (size_t)h + len;
	done += (size_t)snprintf(b->p + b->len + done, room - done, "\r\n-------%s+\r\n", tid);
	b->len += done;
	return (long)done;
}

/* The start line "MSRP <tid> <rest>\r\n" at p: tid and rest as slices.
 * @return the line's length with its CRLF, 0 incomplete, -1 not MSRP. */
static long
start_line(const char *p, size_t n, const char **tid, size_t *tid_len, const char **rest)
{
	const char *eol, *sp;

	if (n < 5)
		return memcmp(p, "MSRP ", n) == 0 ? 0 : -1;
	if (memcmp(p, "MSRP ", 5) != 0)
		return -1;
	eol = memmem(p, n, "\r\n", 2);
	if (eol == NULL)
		return n > 512 ? -1 : 0;
	sp = memchr(p + 5, ' ', (size_t)(eol - p - 5));
	if (sp == NULL || sp - p - 5 < 4 || sp - p - 5 >= LOAD_TID_MAX)
		return -1;
	*tid = p + 5;
	*tid_len = (size_t)(sp - p - 5);
	*rest = sp + 1;
	return eol + 2 - p;
}

/* The end-line of the frame with that tid, searched from p + from: the
 * offset of its "\r\n-------", and *end the offset after it. @return 1,
 * 0 incomplete, -1 too long or a bad flag. */
static int
end_line(const char *p, size_t n, size_t from, const char *tid, size_t tid_len, size_t *at,
	 size_t *end)
{
	char mark[LOAD_TID_MAX + 10];
	size_t mlen = 9 + tid_len;
	const char *m;

	memcpy(mark, "\r\n-------", 9);
	memcpy(mark + 9, tid, tid_len);
	from = from >= 2 ? from - 2 : 0; /* a frame without body: the CRLF is the header's */
	m = memmem(p + from, n - from, mark, mlen);
	if (m == NULL || (size_t)(m - p) + mlen + 3 > n)
		return n > LOAD_FRAME_MAX ? -1 : 0;
	if ((m[mlen] != '$' && m[mlen] != '+' && m[mlen] != '#') || memcmp(m + mlen + 1, "\r\n", 2))
		return -1;
	*at = (size_t)(m - p);
	*end = *at + mlen + 3;
	return 1;
}

/* A complete frame at the front of p[0, n): its start line and end-line. */
struct frame {
	const char *tid, *rest; /* rest: after "MSRP <tid> " */
	size_t tl;		/* the tid's length */
	size_t sl;		/* the start line's length with its CRLF */
	size_t at, end;		/* the end-line's "\r\n-------" and what follows it */
};

/* @return 1 a complete frame, 0 incomplete, -1 not MSRP. */
static int
frame_scan(const char *p, size_t n, struct frame *f)
{
	long sl = start_line(p, n, &f->tid, &f->tl, &f->rest);

	if (sl <= 0)
		return (int)sl;
	f->sl = (size_t)sl;
	return end_line(p, n, f->sl, f->tid, f->tl, &f->at, &f->end);
}

static bool
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

int
load_msrp_response(const char *p, size_t n, size_t *used, int *code, char *tid, size_t tid_cap)
{
	struct frame f;
	int rc = frame_scan(p, n, &f);

	if (rc <= 0)
		return rc;
	if (!is_digit(f.rest[0]) || !is_digit(f.rest[1]) || !is_digit(f.rest[2]) || f.tl >= tid_cap)
		return -1;
	*code = (f.rest[0] - '0') * 100 + (f.rest[1] - '0') * 10 + (f.rest[2] - '0');
	memcpy(tid, f.tid, f.tl);
	tid[f.tl] = '\0';
	*used = f.end;
	return 1;
}

/* The first URI of header name (with ": ") within p[0, n). */
static const char *
first_uri(const char *p, size_t n, const char *name, size_t *len)
{
	size_t nl = strlen(name);
	const char *h = memmem(p, n, name, nl), *e;

	if (h == NULL)
		return NULL;
	h += nl;
	for (e = h; e < p + n && *e != ' ' && *e != '\r'; e++)
		;
	*len = (size_t)(e - h);
	return h;
}

int
load_msrp_request(const char *p, size_t n, size_t *used, size_t *body, bool *is_send,
		  struct lbuf *reply)
{
	const char *to, *from, *hend, *h;
	size_t tol = 0, froml = 0, hl;
	struct frame f;
	int rc = frame_scan(p, n, &f);

	if (rc <= 0)
		return rc;
	*used = f.end;
	/* the headers: from the start line's CRLF to the blank line, or to the
	 * end-line when there is no body */
	h = p + f.sl - 2;
	hend = memmem(h, f.at + 2 - (f.sl - 2), "\r\n\r\n", 4);
	*body = hend != NULL ? f.at - (size_t)(hend + 4 - p) : 0;
	*is_send = memcmp(f.rest, "SEND\r\n", 6) == 0;
	if (!*is_send || reply == NULL)
		return 1;
	hl = (size_t)((hend != NULL ? hend : p + f.at) - h);
	to = first_uri(h, hl, "\r\nTo-Path: ", &tol);
	from = first_uri(h, hl, "\r\nFrom-Path: ", &froml);
	if (to == NULL || from == NULL || load_buf_reserve(reply, tol + froml + 2 * f.tl + 64) < 0)
		return -1;
	reply->len += (size_t)sprintf(reply->p + reply->len,
				      "MSRP %.*s 200 OK\r\nTo-Path: %.*s\r\nFrom-Path: %.*s\r\n"
				      "-------%.*s$\r\n",
				      (int)f.tl, f.tid, (int)froml, from, (int)tol, to, (int)f.tl, f.tid);
	return 1;
}
