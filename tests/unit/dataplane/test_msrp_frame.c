/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for dataplane/msrp_frame.c: the streaming RFC 4975 framing
 * check. Messages after RFC 4975 §7 (text SEND, 200 OK, REPORT, chunks with
 * "+", "$" and "#", empty SEND), every cut of a stream, each error reason
 * with the offset where it fails, the head and body limits at and one past
 * the limit, and what is not MSRP (HTTP, a TLS ClientHello, junk).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "msrp_frame.h"

#define HMAX 4096u
#define CMAX 65536u

#define TO_B "To-Path: msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp\r\n"
#define FROM_A "From-Path: msrp://atlanta.example.com:7654/jshA7weztas;tcp\r\n"
#define TO_A "To-Path: msrp://atlanta.example.com:7654/jshA7weztas;tcp\r\n"
#define FROM_B "From-Path: msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp\r\n"

/* RFC 4975 §7.1-style exchange. */
static const char SEND_TEXT[] = "MSRP a786hjs2 SEND\r\n" TO_B FROM_A
				"Message-ID: 87652491\r\n"
				"Byte-Range: 1-23/23\r\n"
				"Content-Type: text/plain\r\n"
				"\r\n"
				"Hey Bob, are you there?\r\n"
				"-------a786hjs2$\r\n";
static const char OK_TEXT[] = "MSRP a786hjs2 200 OK\r\n" TO_A FROM_B "-------a786hjs2$\r\n";
static const char REPORT[] = "MSRP dkei38sd REPORT\r\n" TO_A FROM_B
			     "Message-ID: 12339sdqwer\r\n"
			     "Byte-Range: 1-106/106\r\n"
			     "Status: 000 200 OK\r\n"
			     "-------dkei38sd$\r\n";
/* One message in two chunks, then a chunk of another one, aborted. */
static const char CHUNK1[] = "MSRP d93kswow SEND\r\n" TO_B FROM_A
			     "Message-ID: 12339sdqwer\r\n"
			     "Byte-Range: 1-16/40\r\n"
			     "Content-Type: text/html\r\n"
			     "\r\n"
			     "<html><body>\r\nIs"
			     "\r\n-------d93kswow+\r\n";
static const char CHUNK2[] = "MSRP op2nc9a SEND\r\n" TO_B FROM_A
			     "Message-ID: 12339sdqwer\r\n"
			     "Byte-Range: 17-40/40\r\n"
			     "Content-Type: text/html\r\n"
			     "\r\n"
			     " it there?</body></html>"
			     "\r\n-------op2nc9a$\r\n";
static const char ABORTED[] = "MSRP qwe.rt%2B=1 SEND\r\n" TO_B FROM_A
			      "Message-ID: m2\r\n"
			      "Byte-Range: 1-*/*\r\n"
			      "Content-Type: text/plain\r\n"
			      "\r\n"
			      "abort me"
			      "\r\n-------qwe.rt%2B=1#\r\n";
/* An empty SEND: no body, the end-line right after the headers. */
static const char EMPTY_SEND[] = "MSRP 4rf3ws SEND\r\n" TO_B FROM_A
				 "Message-ID: 3kq9\r\n"
				 "Byte-Range: 1-0/0\r\n"
				 "-------4rf3ws$\r\n";
/* Path names in other cases, an unknown method, a response without
 * comment. */
static const char ODD_CASE[] = "MSRP Zz09 NICKNAME\r\n"
			       "to-path: msrp://b.example.com/s;tcp\r\n"
			       "FROM-PATH: msrp://a.example.com/s;tcp\r\n"
			       "Use-Nickname: \"x\"\r\n"
			       "-------Zz09$\r\n"
			       "MSRP Zz09 200\r\n"
			       "TO-path:msrp://a.example.com/s;tcp\r\n"
			       "From-path:\tmsrp://b.example.com/s;tcp\r\n"
			       "-------Zz09$\r\n";
/* A body full of near end-lines: another transaction's, a prefix of this
 * one's, six dashes, no CRLF before, a wrong flag, LF without CR. */
static const char TRICKY[] = "MSRP trick1 SEND\r\n" TO_B FROM_A
			     "Message-ID: t1\r\n"
			     "Content-Type: text/plain\r\n"
			     "\r\n"
			     "line\r\n-------a786hjs2$\r\n"
			     "\r\n-------trick1x\r\n"
			     "\r\n-------trick\r\n"
			     "\r\r\n------trick1$\r\n"
			     "x-------trick1$\r\n"
			     "\r\n-------trick1?\r\n"
			     "\r\n-------trick1$\n"
			     "\r\n-------trick1$\rx"
			     "\r\n-------trick1$\r\r"
			     "\r\n-------\r\n--------trick1$\r\n"
			     "end\r\n-------trick1$\r\n";

#define LEN(s) (sizeof(s) - 1)

/* Feed from a heap copy of exactly n bytes, so that a sanitizer build
 * catches any read past the piece (memmem, memrchr). */
static int
feed_exact(struct msrp_frame *f, const void *p, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);
	int rc;

	CU_ASSERT_FATAL(c != NULL);
	memcpy(c, p, n);
	rc = msrp_frame_feed(f, n ? c : NULL, n);
	free(c);
	return rc;
}

static int
feed_bytewise(struct msrp_frame *f, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++)
		rc = feed_exact(f, b + i, 1);
	return rc;
}

/* The stream of every valid example and how many messages it holds. */
static size_t
valid_stream(char *out, size_t cap, unsigned int *msgs, unsigned int *resps)
{
	static const struct {
		const char *s;
		size_t len;
		unsigned int msgs, resps;
	} ex[] = {
		{SEND_TEXT, LEN(SEND_TEXT), 1, 0}, {OK_TEXT, LEN(OK_TEXT), 1, 1},
		{REPORT, LEN(REPORT), 1, 0},       {CHUNK1, LEN(CHUNK1), 1, 0},
		{CHUNK2, LEN(CHUNK2), 1, 0},       {ABORTED, LEN(ABORTED), 1, 0},
		{EMPTY_SEND, LEN(EMPTY_SEND), 1, 0}, {ODD_CASE, LEN(ODD_CASE), 2, 1},
		{TRICKY, LEN(TRICKY), 1, 0},
	};
	size_t n = 0, i;

	*msgs = 0;
	*resps = 0;
	for (i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
		CU_ASSERT_FATAL(n + ex[i].len <= cap);
		memcpy(out + n, ex[i].s, ex[i].len);
		n += ex[i].len;
		*msgs += ex[i].msgs;
		*resps += ex[i].resps;
	}
	return n;
}

static void
check_one(const char *s, size_t n, uint64_t msgs, uint64_t resps)
{
	struct msrp_frame f;

	msrp_frame_init(&f, HMAX, CMAX);
	CU_ASSERT_EQUAL(feed_exact(&f, s, n), 0);
	CU_ASSERT_EQUAL(f.err, MSRP_FRAME_OK);
	CU_ASSERT_EQUAL(f.msgs, msgs);
	CU_ASSERT_EQUAL(f.resps, resps);
	CU_ASSERT_EQUAL(f.off, n);
	CU_ASSERT(msrp_frame_at_boundary(&f));

	msrp_frame_init(&f, HMAX, CMAX);
	CU_ASSERT_EQUAL(feed_bytewise(&f, s, n), 0);
	CU_ASSERT_EQUAL(f.msgs, msgs);
	CU_ASSERT_EQUAL(f.resps, resps);
	CU_ASSERT_EQUAL(f.off, n);
	CU_ASSERT(msrp_frame_at_boundary(&f));
}

static void
test_examples(void)
{
	struct msrp_frame f;

	check_one(SEND_TEXT, LEN(SEND_TEXT), 1, 0);
	check_one(OK_TEXT, LEN(OK_TEXT), 1, 1);
	check_one(REPORT, LEN(REPORT), 1, 0);
	check_one(CHUNK1, LEN(CHUNK1), 1, 0);
	check_one(CHUNK2, LEN(CHUNK2), 1, 0);
	check_one(ABORTED, LEN(ABORTED), 1, 0);
	check_one(EMPTY_SEND, LEN(EMPTY_SEND), 1, 0);
	check_one(ODD_CASE, LEN(ODD_CASE), 2, 1);
	check_one(TRICKY, LEN(TRICKY), 1, 0);

	/* Between and inside messages. */
	msrp_frame_init(&f, HMAX, CMAX);
	CU_ASSERT(msrp_frame_at_boundary(&f));
	CU_ASSERT_EQUAL(msrp_frame_feed(&f, NULL, 0), 0);
	CU_ASSERT_EQUAL(feed_exact(&f, SEND_TEXT, 1), 0);
	CU_ASSERT(!msrp_frame_at_boundary(&f));
	CU_ASSERT_EQUAL(feed_exact(&f, SEND_TEXT + 1, LEN(SEND_TEXT) - 2), 0);
	CU_ASSERT(!msrp_frame_at_boundary(&f));
	CU_ASSERT_EQUAL(f.msgs, 0);
	CU_ASSERT_EQUAL(feed_exact(&f, "\n", 1), 0);
	CU_ASSERT(msrp_frame_at_boundary(&f));
	CU_ASSERT_EQUAL(f.msgs, 1);
}

/* Another transaction's end-line inside a body is body: the message is
 * still open after it, and ends only at its own. */
static void
test_other_tid_in_body(void)
{
	static const char m[] = "MSRP abcd1234 SEND\r\n" TO_B FROM_A
				"Content-Type: text/plain\r\n\r\n"
				"x\r\n-------abcd123$\r\n"
				"\r\n-------abcd12345$\r\n"
				"\r\n-------zzzz$\r\n";
	static const char end[] = "\r\n-------abcd1234$\r\n";
	struct msrp_frame f;

	msrp_frame_init(&f, HMAX, CMAX);
	CU_ASSERT_EQUAL(feed_exact(&f, m, LEN(m)), 0);
	CU_ASSERT_EQUAL(f.msgs, 0);
	CU_ASSERT(!msrp_frame_at_boundary(&f));
	CU_ASSERT_EQUAL(feed_exact(&f, end, LEN(end)), 0);
	CU_ASSERT_EQUAL(f.msgs, 1);
	CU_ASSERT(msrp_frame_at_boundary(&f));
}

/* Every cut of the whole stream, and one byte at a time: same counts. */
static void
test_every_split(void)
{
	static char s[8192];
	unsigned int msgs, resps;
	size_t n = valid_stream(s, sizeof(s), &msgs, &resps), k;
	struct msrp_frame f;
	unsigned int bad = 0;

	CU_ASSERT_EQUAL(msgs, 10);
	CU_ASSERT_EQUAL(resps, 2);
	for (k = 0; k <= n; k++) {
		msrp_frame_init(&f, HMAX, CMAX);
		if (feed_exact(&f, s, k) != 0 || feed_exact(&f, s + k, n - k) != 0 ||
		    f.msgs != msgs || f.resps != resps || f.off != n || !msrp_frame_at_boundary(&f))
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0);

	msrp_frame_init(&f, HMAX, CMAX);
	CU_ASSERT_EQUAL(feed_bytewise(&f, s, n), 0);
	CU_ASSERT_EQUAL(f.msgs, msgs);
	CU_ASSERT_EQUAL(f.resps, resps);
}

/* Every pair of cuts through the message with the trickiest body. */
static void
test_every_double_split(void)
{
	const char *s = TRICKY;
	size_t n = LEN(TRICKY), a, b;
	struct msrp_frame f;
	unsigned int bad = 0, runs = 0;

	for (a = 0; a <= n; a++) {
		for (b = a; b <= n; b++) {
			msrp_frame_init(&f, HMAX, CMAX);
			if (feed_exact(&f, s, a) != 0 || feed_exact(&f, s + a, b - a) != 0 ||
			    feed_exact(&f, s + b, n - b) != 0 || f.msgs != 1 || f.off != n)
				bad++;
			runs++;
		}
	}
	CU_ASSERT_EQUAL(runs, (n + 1) * (n + 2) / 2);
	CU_ASSERT_EQUAL(bad, 0);
}

/* A stream that fails: prefix is accepted, the first byte of rest is the
 * one that fails with err. */
struct bad_case {
	const char *what;
	const char *prefix;
	const char *rest;
	size_t rest_len; /* 0: strlen(rest) */
	enum msrp_frame_err err;
	unsigned int msgs; /* complete before the failure */
};

#define HEAD_SEND "MSRP abcd SEND\r\n" TO_B FROM_A
#define HEAD_OK "MSRP abcd 200 OK\r\n" TO_A FROM_B

static const uint8_t CLIENT_HELLO[] = {
	0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03, 0x5a,
	0x4d, 0x53, 0x52, 0x50, 0x20, 0x00, 0x00, 0x20, 0xcc, 0xa8, 0xc0, 0x2f,
};

static const struct bad_case BAD[] = {
	{"http", "", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 0, MSRP_FRAME_E_START_LINE, 0},
	{"tls on plain leg", "", (const char *)CLIENT_HELLO, sizeof(CLIENT_HELLO),
	 MSRP_FRAME_E_START_LINE, 0},
	{"junk", "", "\x00\xff\x13\x37\x00", 5, MSRP_FRAME_E_START_LINE, 0},
	{"lower-case msrp", "", "msrp abcd SEND\r\n", 0, MSRP_FRAME_E_START_LINE, 0},
	{"MSRp", "MSR", "p abcd SEND\r\n", 0, MSRP_FRAME_E_START_LINE, 0},
	{"tab after MSRP", "MSRP", "\tabcd SEND\r\n", 0, MSRP_FRAME_E_START_LINE, 0},
	{"lower-case method", "MSRP abcd ", "send\r\n", 0, MSRP_FRAME_E_START_LINE, 0},
	{"method then SP", "MSRP abcd SEND", " \r\n", 0, MSRP_FRAME_E_START_LINE, 0},
	{"bare LF start line", "MSRP abcd SEND", "\n", 0, MSRP_FRAME_E_START_LINE, 0},
	{"CR without LF", "MSRP abcd SEND\r", "X", 0, MSRP_FRAME_E_START_LINE, 0},
	{"two-digit status", "MSRP abcd 20", "\r\n", 0, MSRP_FRAME_E_START_LINE, 0},
	{"four-digit status", "MSRP abcd 200", "0 OK\r\n", 0, MSRP_FRAME_E_START_LINE, 0},
	{"control in comment", "MSRP abcd 200 OK", "\x01\r\n", 0, MSRP_FRAME_E_START_LINE, 0},
	{"neither method nor status", "MSRP abcd ", "-x\r\n", 0, MSRP_FRAME_E_START_LINE, 0},
	{"tid first char", "MSRP ", "-abc SEND\r\n", 0, MSRP_FRAME_E_TID, 0},
	{"tid empty", "MSRP ", " SEND\r\n", 0, MSRP_FRAME_E_TID, 0},
	{"tid 3 chars", "MSRP abc", " SEND\r\n", 0, MSRP_FRAME_E_TID, 0},
	{"tid 33 chars", "MSRP 0123456789abcdef0123456789abcdef", "0 SEND\r\n", 0,
	 MSRP_FRAME_E_TID, 0},
	{"tid bad char", "MSRP ab", "/cd SEND\r\n", 0, MSRP_FRAME_E_TID, 0},
	{"tid ends in CR", "MSRP abcd", "\r\n", 0, MSRP_FRAME_E_TID, 0},
	{"header name digit", HEAD_SEND, "1bad: x\r\n", 0, MSRP_FRAME_E_HEADER, 0},
	{"space in header name", HEAD_SEND "Foo", " bar: x\r\n", 0, MSRP_FRAME_E_HEADER, 0},
	{"no colon", HEAD_SEND "Foo", "\r\n", 0, MSRP_FRAME_E_HEADER, 0},
	{"control in value", HEAD_SEND "Foo: a", "\x01\r\n", 0, MSRP_FRAME_E_HEADER, 0},
	{"bare LF header", HEAD_SEND "Foo: a", "\n", 0, MSRP_FRAME_E_HEADER, 0},
	{"CR without LF header", HEAD_SEND "Foo: a\r", "x", 0, MSRP_FRAME_E_HEADER, 0},
	{"folded header", HEAD_SEND, " folded\r\n", 0, MSRP_FRAME_E_HEADER, 0},
	{"empty line CR without LF", HEAD_SEND "Content-Type: text/plain\r\n\r", "x", 0,
	 MSRP_FRAME_E_HEADER, 0},
	{"From-Path first", "MSRP abcd SEND\r\nFrom-Path", ": msrp://a/s;tcp\r\n", 0,
	 MSRP_FRAME_E_PATH_ORDER, 0},
	{"To-Paths", "MSRP abcd SEND\r\nTo-Paths", ": x\r\n", 0, MSRP_FRAME_E_PATH_ORDER, 0},
	{"To-Pat", "MSRP abcd SEND\r\nTo-Pat", ": x\r\n", 0, MSRP_FRAME_E_PATH_ORDER, 0},
	{"other header second", "MSRP abcd SEND\r\n" TO_B "Message-ID", ": x\r\n", 0,
	 MSRP_FRAME_E_PATH_ORDER, 0},
	{"end-line after To-Path", "MSRP abcd SEND\r\n" TO_B, "-------abcd$\r\n", 0,
	 MSRP_FRAME_E_PATH_ORDER, 0},
	{"no headers", "MSRP abcd SEND\r\n", "\r\n", 0, MSRP_FRAME_E_PATH_ORDER, 0},
	{"response without From-Path", "MSRP abcd 200 OK\r\n" TO_A, "\r\n", 0,
	 MSRP_FRAME_E_PATH_ORDER, 0},
	{"end-line other tid", HEAD_SEND "-------abc", "e$\r\n", 0, MSRP_FRAME_E_END_LINE, 0},
	{"end-line longer tid", HEAD_SEND "-------abcd", "e$\r\n", 0, MSRP_FRAME_E_END_LINE,
	 0},
	{"end-line bad flag", HEAD_SEND "-------abcd", "!\r\n", 0, MSRP_FRAME_E_END_LINE, 0},
	{"end-line bare LF", HEAD_SEND "-------abcd$", "\n", 0, MSRP_FRAME_E_END_LINE, 0},
	{"end-line CR x", HEAD_SEND "-------abcd$\r", "x", 0, MSRP_FRAME_E_END_LINE, 0},
	{"end-line six dashes", HEAD_SEND "------", "abcd$\r\n", 0, MSRP_FRAME_E_END_LINE, 0},
	{"response with body", HEAD_OK, "\r\nbody\r\n-------abcd$\r\n", 0,
	 MSRP_FRAME_E_BODY_IN_RESPONSE, 0},
	{"CRLF between messages", HEAD_OK "-------abcd$\r\n", "\r\nMSRP abcd SEND\r\n", 0,
	 MSRP_FRAME_E_START_LINE, 1},
	{"lower-case second message", HEAD_OK "-------abcd$\r\n", "msrp abcd SEND\r\n", 0,
	 MSRP_FRAME_E_START_LINE, 1},
	{"junk after a body", HEAD_SEND "Content-Type: text/plain\r\n\r\nhi\r\n-------abcd+\r\n",
	 "\x16\x03\x01", 0, MSRP_FRAME_E_START_LINE, 1},
};

static void
test_errors(void)
{
	char s[1024];
	size_t i, pl, rl;
	struct msrp_frame f;
	unsigned int reasons[MSRP_FRAME_E_MAX] = {0};

	for (i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++) {
		const struct bad_case *c = &BAD[i];
		int rc;

		pl = strlen(c->prefix);
		rl = c->rest_len ? c->rest_len : strlen(c->rest);
		CU_ASSERT_FATAL(pl + rl <= sizeof(s));
		memcpy(s, c->prefix, pl);
		memcpy(s + pl, c->rest, rl);

		/* The prefix alone is MSRP so far. */
		msrp_frame_init(&f, HMAX, CMAX);
		CU_ASSERT_EQUAL(feed_exact(&f, s, pl), 0);
		msrp_frame_init(&f, HMAX, CMAX);
		rc = feed_exact(&f, s, pl + rl);
		if (rc != -(int)c->err || f.err_off != pl || f.msgs != c->msgs)
			printf("\n  case '%s': rc %d (%s) at %llu, want %s at %zu\n", c->what, rc,
			       msrp_frame_err_name(f.err), (unsigned long long)f.err_off,
			       msrp_frame_err_name(c->err), pl);
		CU_ASSERT_EQUAL(rc, -(int)c->err);
		CU_ASSERT_EQUAL(f.err, c->err);
		CU_ASSERT_EQUAL(f.err_off, pl);
		CU_ASSERT_EQUAL(f.off, pl);
		CU_ASSERT_EQUAL(f.msgs, c->msgs);
		CU_ASSERT(!msrp_frame_at_boundary(&f));

		/* One byte at a time: the same reason at the same byte. */
		msrp_frame_init(&f, HMAX, CMAX);
		CU_ASSERT_EQUAL(feed_bytewise(&f, s, pl + rl), -(int)c->err);
		CU_ASSERT_EQUAL(f.err_off, pl);
		CU_ASSERT_EQUAL(f.msgs, c->msgs);

		/* Sticky: a valid message after it changes nothing. */
		CU_ASSERT_EQUAL(feed_exact(&f, OK_TEXT, LEN(OK_TEXT)), -(int)c->err);
		CU_ASSERT_EQUAL(f.msgs, c->msgs);
		CU_ASSERT_EQUAL(f.off, pl);
		reasons[c->err]++;
	}
	/* Every head reason is covered by a case above (the limits have tests
	 * of their own). */
	CU_ASSERT(reasons[MSRP_FRAME_E_START_LINE] > 0);
	CU_ASSERT(reasons[MSRP_FRAME_E_TID] > 0);
	CU_ASSERT(reasons[MSRP_FRAME_E_HEADER] > 0);
	CU_ASSERT(reasons[MSRP_FRAME_E_PATH_ORDER] > 0);
	CU_ASSERT(reasons[MSRP_FRAME_E_END_LINE] > 0);
	CU_ASSERT(reasons[MSRP_FRAME_E_BODY_IN_RESPONSE] > 0);
}

/* A 32-character tid is the longest that is MSRP. */
static void
test_tid_lengths(void)
{
	static const char m32[] = "MSRP 0123456789abcdef0123456789ABCDEF 200 OK\r\n" TO_A FROM_B
				  "-------0123456789abcdef0123456789ABCDEF$\r\n";
	static const char m4[] = "MSRP a.-+ SEND\r\n" TO_B FROM_A "-------a.-+#\r\n";

	check_one(m32, LEN(m32), 1, 1);
	check_one(m4, LEN(m4), 1, 0);
}

/* Head limit: the start line and header lines, at the limit and one past
 * it, for a message with a body and one without. */
static void
test_header_limit(void)
{
	const struct {
		const char *s;
		size_t len;
		size_t head;
	} m[] = {
		{SEND_TEXT, LEN(SEND_TEXT), (size_t)(strstr(SEND_TEXT, "\r\n\r\n") - SEND_TEXT) + 2},
		{OK_TEXT, LEN(OK_TEXT), LEN(OK_TEXT) - LEN("-------a786hjs2$\r\n")},
	};
	struct msrp_frame f;
	size_t i;
	int split;

	CU_ASSERT_EQUAL(m[0].head, LEN("MSRP a786hjs2 SEND\r\n" TO_B FROM_A "Message-ID: 87652491\r\n"
				       "Byte-Range: 1-23/23\r\nContent-Type: text/plain\r\n"));
	for (i = 0; i < 2; i++) {
		for (split = 0; split < 2; split++) {
			/* Exactly at the limit, twice in a row (per message). */
			msrp_frame_init(&f, (uint32_t)m[i].head, CMAX);
			if (split) {
				CU_ASSERT_EQUAL(feed_bytewise(&f, m[i].s, m[i].len), 0);
				CU_ASSERT_EQUAL(feed_bytewise(&f, m[i].s, m[i].len), 0);
			} else {
				CU_ASSERT_EQUAL(feed_exact(&f, m[i].s, m[i].len), 0);
				CU_ASSERT_EQUAL(feed_exact(&f, m[i].s, m[i].len), 0);
			}
			CU_ASSERT_EQUAL(f.msgs, 2);

			/* One byte over: the last head byte fails. */
			msrp_frame_init(&f, (uint32_t)m[i].head - 1, CMAX);
			CU_ASSERT_EQUAL(split ? feed_bytewise(&f, m[i].s, m[i].len)
					      : feed_exact(&f, m[i].s, m[i].len),
					-MSRP_FRAME_E_HEADER_TOO_LONG);
			CU_ASSERT_EQUAL(f.err_off, m[i].head - 1);
			CU_ASSERT_EQUAL(f.msgs, 0);
		}
	}
	/* A limit that leaves no room for the start line. */
	msrp_frame_init(&f, 0, CMAX);
	CU_ASSERT_EQUAL(feed_exact(&f, "M", 1), -MSRP_FRAME_E_HEADER_TOO_LONG);
	CU_ASSERT_EQUAL(f.err_off, 0);
}

/* A SEND whose body is `body` (len bytes). */
static size_t
make_send(char *out, size_t cap, const char *tid, const void *body, size_t len, char flag)
{
	int h = snprintf(out, cap,
			 "MSRP %s SEND\r\n" TO_B FROM_A "Message-ID: big\r\n"
			 "Content-Type: application/octet-stream\r\n\r\n",
			 tid);
	int t;

	CU_ASSERT_FATAL(h > 0 && (size_t)h + len + 64 <= cap);
	memcpy(out + h, body, len);
	t = snprintf(out + h + len, cap - (size_t)h - len, "\r\n-------%s%c\r\n", tid, flag);
	return (size_t)h + len + (size_t)t;
}

/* Body limit at and one past it, whole and one byte at a time; empty
 * bodies in both spellings; a body that never ends. */
static void
test_chunk_limit(void)
{
	static char body[3000];
	static char s[4096];
	static const char empty1[] = "MSRP e1e1 SEND\r\n" TO_B FROM_A
				     "Content-Type: text/plain\r\n\r\n-------e1e1$\r\n";
	static const char empty2[] = "MSRP e2e2 SEND\r\n" TO_B FROM_A
				     "Content-Type: text/plain\r\n\r\n\r\n-------e2e2$\r\n";
	/* Bodies of exactly len bytes: 2 KB; "ab" CR (the CR is body, the
	 * CRLF after it is not); a dashed near end-line of the same tid. */
	const struct {
		const char *tid;
		const char *body;
		size_t len;
		char flag;
	} lim[] = {
		{"big1", body, 2048, '+'},
		{"big2", "ab\r", 3, '$'},
		{"big3", "\r\n-------big3", 13, '$'},
	};
	struct msrp_frame f;
	size_t n, i;
	int split;

	for (i = 0; i < sizeof(body); i++)
		body[i] = (char)('a' + i % 26);
	for (split = 0; split < 2; split++) {
		int (*feed)(struct msrp_frame *, const void *, size_t) =
			split ? feed_bytewise : feed_exact;

		for (i = 0; i < sizeof(lim) / sizeof(lim[0]); i++) {
			n = make_send(s, sizeof(s), lim[i].tid, lim[i].body, lim[i].len, lim[i].flag);
			msrp_frame_init(&f, HMAX, (uint32_t)lim[i].len);
			CU_ASSERT_EQUAL(feed(&f, s, n), 0);
			CU_ASSERT_EQUAL(f.msgs, 1);
			msrp_frame_init(&f, HMAX, (uint32_t)lim[i].len - 1);
			CU_ASSERT_EQUAL(feed(&f, s, n), -MSRP_FRAME_E_CHUNK_TOO_LONG);
			CU_ASSERT_EQUAL(f.msgs, 0);
		}

		/* Empty bodies pass a limit of 0. */
		msrp_frame_init(&f, HMAX, 0);
		CU_ASSERT_EQUAL(feed(&f, empty1, LEN(empty1)), 0);
		CU_ASSERT_EQUAL(feed(&f, empty2, LEN(empty2)), 0);
		CU_ASSERT_EQUAL(feed(&f, EMPTY_SEND, LEN(EMPTY_SEND)), 0);
		CU_ASSERT_EQUAL(f.msgs, 3);
		CU_ASSERT_EQUAL(feed(&f, SEND_TEXT, LEN(SEND_TEXT)), -MSRP_FRAME_E_CHUNK_TOO_LONG);
		CU_ASSERT_EQUAL(f.msgs, 3);
	}

	/* A body that never ends fails once it is past the limit, before any
	 * end-line. */
	n = make_send(s, sizeof(s), "big4", body, 2049, '$');
	msrp_frame_init(&f, HMAX, 2048);
	CU_ASSERT_EQUAL(feed_exact(&f, s, n - LEN("\r\n-------big4$\r\n")),
			-MSRP_FRAME_E_CHUNK_TOO_LONG);
	CU_ASSERT_EQUAL(f.msgs, 0);
}

/* A file in 2 KB chunks of binary bytes, fed in pieces that do not line up
 * with the messages. */
static void
test_file_transfer(void)
{
	static uint8_t stream[40 * 2400];
	static char msg[2400];
	uint8_t chunk[2048];
	uint32_t seed = 12345;
	size_t n = 0, m, i, j, off;
	struct msrp_frame f, g;
	char tid[16];

	for (i = 0; i < 40; i++) {
		for (j = 0; j < sizeof(chunk); j++) {
			seed = seed * 1103515245u + 12345u;
			chunk[j] = (uint8_t)(seed >> 16);
		}
		snprintf(tid, sizeof(tid), "f%04zuX", i);
		m = make_send(msg, sizeof(msg), tid, chunk, sizeof(chunk), i == 39 ? '$' : '+');
		CU_ASSERT_FATAL(n + m <= sizeof(stream));
		memcpy(stream + n, msg, m);
		n += m;
	}
	msrp_frame_init(&f, HMAX, 2048);
	msrp_frame_init(&g, HMAX, 2048);
	CU_ASSERT_EQUAL(feed_exact(&g, stream, n), 0);
	for (off = 0; off < n; off += m) {
		m = (off / 1000) % 3 == 0 ? 1000 : 1337;
		if (m > n - off)
			m = n - off;
		CU_ASSERT_EQUAL(feed_exact(&f, stream + off, m), 0);
	}
	CU_ASSERT_EQUAL(f.msgs, 40);
	CU_ASSERT_EQUAL(g.msgs, 40);
	CU_ASSERT_EQUAL(f.off, n);
	CU_ASSERT(msrp_frame_at_boundary(&f));
}

static void
test_names(void)
{
	CU_ASSERT_STRING_EQUAL(msrp_frame_err_name(MSRP_FRAME_OK), "ok");
	CU_ASSERT_STRING_EQUAL(msrp_frame_err_name(MSRP_FRAME_E_START_LINE), "bad_start_line");
	CU_ASSERT_STRING_EQUAL(msrp_frame_err_name(MSRP_FRAME_E_TID), "bad_tid");
	CU_ASSERT_STRING_EQUAL(msrp_frame_err_name(MSRP_FRAME_E_HEADER), "bad_header");
	CU_ASSERT_STRING_EQUAL(msrp_frame_err_name(MSRP_FRAME_E_HEADER_TOO_LONG),
			       "header_too_long");
	CU_ASSERT_STRING_EQUAL(msrp_frame_err_name(MSRP_FRAME_E_PATH_ORDER), "path_order");
	CU_ASSERT_STRING_EQUAL(msrp_frame_err_name(MSRP_FRAME_E_END_LINE), "bad_end_line");
	CU_ASSERT_STRING_EQUAL(msrp_frame_err_name(MSRP_FRAME_E_CHUNK_TOO_LONG),
			       "chunk_too_long");
	CU_ASSERT_STRING_EQUAL(msrp_frame_err_name(MSRP_FRAME_E_BODY_IN_RESPONSE),
			       "body_in_response");
	CU_ASSERT_STRING_EQUAL(msrp_frame_err_name(MSRP_FRAME_E_MAX), "unknown");
	CU_ASSERT_STRING_EQUAL(msrp_frame_err_name((enum msrp_frame_err)-1), "unknown");
}

int
main(void)
{
	CU_pSuite s;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("msrp_frame", NULL, NULL);
	CU_add_test(s, "examples", test_examples);
	CU_add_test(s, "other_tid_in_body", test_other_tid_in_body);
	CU_add_test(s, "every_split", test_every_split);
	CU_add_test(s, "every_double_split", test_every_double_split);
	CU_add_test(s, "errors", test_errors);
	CU_add_test(s, "tid_lengths", test_tid_lengths);
	CU_add_test(s, "header_limit", test_header_limit);
	CU_add_test(s, "chunk_limit", test_chunk_limit);
	CU_add_test(s, "file_transfer", test_file_transfer);
	CU_add_test(s, "names", test_names);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	{
		int rc = CU_get_number_of_failures() ? 1 : 0;

		CU_cleanup_registry();
		return rc;
	}
}
