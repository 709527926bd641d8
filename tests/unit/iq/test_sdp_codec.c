/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sdp_parse()/sdp_format(): the SDP bodies of SPEC.md §3.13 (CHOOSE '$' in
 * address, port and key; a=crypto lines; MSRP with fingerprint/setup),
 * rtcp/rtcp-mux/ptime, verbatim echo of unknown lines and attributes,
 * alternatives, malformed lines with line numbers, bounds.
 */
#include <errno.h>

#include "iq_test_util.h"

static char out[OUT_SIZE];

static bool
str_is(struct iq_str s, const char *c)
{
	return s.len == strlen(c) && memcmp(s.p, c, s.len) == 0;
}

static struct sdp_desc *
parse_ok(const char *text)
{
	struct sdp_desc *d = NULL;
	struct sdp_error err;
	struct iq_arena a;
	int rc;

	iq_arena_init(&a, arena_mem1, ARENA_SIZE);
	rc = sdp_parse(text, strlen(text), &a, NULL, &d, &err);
	if (rc != 0)
		fprintf(stderr, "sdp_parse rc=%d line=%u: %s\n", rc, err.line, err.reason);
	CU_ASSERT_EQUAL(rc, 0);
	return d;
}

static void
format_expect(const struct sdp_desc *d, bool crlf, const char *want)
{
	size_t len = 0;

	CU_ASSERT_EQUAL(sdp_format(d, crlf, out, OUT_SIZE, &len), 0);
	CU_ASSERT_EQUAL(len, strlen(want));
	CU_ASSERT(len == strlen(want) && memcmp(out, want, len) == 0);
	if (len != strlen(want) || memcmp(out, want, len) != 0)
		fprintf(stderr, "\n--- got:\n%.*s--- want:\n%s", (int)len, out, want);
}

static const char local_b[] =
	"v=0\n"
	"c=IN IP4 $\n"
	"m=audio $ RTP/SAVP 96 97\n"
	"a=rtpmap:96 AMR-WB/16000\n"
	"a=rtpmap:97 telephone-event/16000\n"
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$\n";

static void
test_choose_and_crypto(void)
{
	struct sdp_desc *d = parse_ok(local_b);
	const struct sdp_session *s;
	const struct sdp_media *m;
	const struct sdp_attr *a;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT(!d->crlf);
	CU_ASSERT_EQUAL(d->n_sessions, 1);
	s = d->sessions;
	CU_ASSERT(s->has_v && !s->has_o && !s->has_s && !s->has_t);
	CU_ASSERT(s->conn.present && s->conn.addr_choose);
	CU_ASSERT(str_is(s->conn.nettype, "IN") && str_is(s->conn.addrtype, "IP4"));
	CU_ASSERT_EQUAL_FATAL(s->n_media, 1);
	m = s->media;
	CU_ASSERT(str_is(m->media, "audio") && m->port_choose);
	CU_ASSERT(str_is(m->proto, "RTP/SAVP") && str_is(m->fmts, "96 97"));
	CU_ASSERT_EQUAL(m->n_attrs, 3);
	CU_ASSERT_EQUAL(m->n_crypto, 1);
	CU_ASSERT_EQUAL(m->rtcp_port, -1);
	a = sdp_attr_next(m->attrs, SDP_A_CRYPTO, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT(str_is(a->value, "1 AES_CM_128_HMAC_SHA1_80 inline:$"));
	CU_ASSERT_PTR_NULL(sdp_attr_next(m->attrs, SDP_A_CRYPTO, a));
	a = sdp_attr_next(m->attrs, SDP_A_RTPMAP, NULL);
	CU_ASSERT(a != NULL && str_is(a->value, "96 AMR-WB/16000"));
	/* Verbatim echo. */
	format_expect(d, false, local_b);

	/* What the MG does: fill in address, port and key, format the reply. */
	{
		struct sdp_session *ws = d->sessions;
		struct sdp_attr *wa = ws->media->attrs->next->next;

		ws->conn.addr = IQ_STR("203.0.113.20");
		ws->conn.addr_choose = false;
		ws->media->port_choose = false;
		ws->media->port = 30000;
		wa->value = IQ_STR("1 AES_CM_128_HMAC_SHA1_80 inline:QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xd");
		format_expect(d, true,
			      "v=0\r\nc=IN IP4 203.0.113.20\r\nm=audio 30000 RTP/SAVP 96 97\r\n"
			      "a=rtpmap:96 AMR-WB/16000\r\na=rtpmap:97 telephone-event/16000\r\n"
			      "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xd\r\n");
	}
}

static void
test_msrp_fingerprint(void)
{
	static const char in[] =
		"v=0\r\n"
		"c=IN IP4 198.51.100.7\r\n"
		"m=message 50000 TCP/TLS/MSRP *\r\n"
		"a=setup:actpass\r\n"
		"a=connection:new\r\n"
		"a=path:msrps://198.51.100.7:50000/abc;tcp\r\n"
		"a=accept-types:message/cpim\r\n"
		"a=fingerprint:SHA-256 AD:F4:6B:C7:DC:E6:28:8A:F6:E4:77:A3:C7:88:AB:28:E5:77:3F:D8:91:05:E5:6D:AD:14:57:00:01:0C:53:EB\r\n"
		"a=msrp-cema\r\n"
		"a=msrp-cemax\r\n";
	struct sdp_desc *d = parse_ok(in);
	const struct sdp_media *m;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT(d->crlf);
	m = d->sessions->media;
	CU_ASSERT(!m->port_choose && m->port == 50000);
	CU_ASSERT(str_is(m->proto, "TCP/TLS/MSRP") && str_is(m->fmts, "*"));
	CU_ASSERT(str_is(sdp_attr_next(m->attrs, SDP_A_SETUP, NULL)->value, "actpass"));
	CU_ASSERT(str_is(sdp_attr_next(m->attrs, SDP_A_CONNECTION, NULL)->value, "new"));
	CU_ASSERT(sdp_attr_next(m->attrs, SDP_A_PATH, NULL) != NULL);
	CU_ASSERT(sdp_attr_next(m->attrs, SDP_A_FINGERPRINT, NULL) != NULL);
	CU_ASSERT(str_is(sdp_attr_next(m->attrs, SDP_A_ACCEPT_TYPES, NULL)->value, "message/cpim"));
	CU_ASSERT(sdp_attr_next(m->attrs, SDP_A_MSRP_CEMA, NULL) != NULL);
	CU_ASSERT_FALSE(sdp_attr_next(m->attrs, SDP_A_MSRP_CEMA, NULL)->has_value);
	/* A longer name is another attribute. */
	CU_ASSERT(str_is(sdp_attr_next(m->attrs, SDP_A_OTHER, NULL)->name, "msrp-cemax"));
	format_expect(d, true, in);
}

static void
test_full_session_and_rtcp(void)
{
	static const char in[] =
		"v=0\n"
		"o=- 1 2 IN IP6 2001:db8::2\n"
		"s=-\n"
		"i=info\n"
		"c=IN IP6 2001:db8::7\n"
		"b=AS:64\n"
		"t=0 0\n"
		"a=3ge2ae:requested\n"
		"m=audio 49170/2 RTP/SAVP 0 101\n"
		"i=media info\n"
		"c=IN IP4 198.51.100.7\n"
		"b=AS:41\n"
		"a=rtcp:49999 IN IP4 198.51.100.8\n"
		"a=rtcp-mux\n"
		"a=ptime:20\n"
		"a=fmtp:101 0-15\n"
		"a=sendrecv\n"
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:EBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywt|2^20|1:4\n"
		"a=crypto:2 AEAD_AES_128_GCM inline:$\n"
		"m=video 0 RTP/AVP -\n";
	struct sdp_desc *d = parse_ok(in);
	const struct sdp_session *s;
	const struct sdp_media *m;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	s = d->sessions;
	CU_ASSERT(s->has_o && str_is(s->origin, "- 1 2 IN IP6 2001:db8::2"));
	CU_ASSERT(s->has_s && s->has_t && s->n_lines == 2 && s->n_attrs == 1);
	CU_ASSERT_EQUAL(sdp_attr_next(s->attrs, SDP_A_3GE2AE, NULL)->kind, SDP_A_3GE2AE);
	CU_ASSERT_EQUAL_FATAL(s->n_media, 2);
	m = s->media;
	CU_ASSERT(m->port == 49170 && m->has_nports && m->nports == 2);
	CU_ASSERT(m->rtcp_mux && m->rtcp_port == 49999 && m->ptime == 20);
	CU_ASSERT_EQUAL(m->n_crypto, 2);
	CU_ASSERT(m->conn.present && str_is(m->conn.addr, "198.51.100.7"));
	CU_ASSERT(str_is(m->next->fmts, "-") && m->next->port == 0);
	format_expect(d, false, in);
}

static void
test_alternatives(void)
{
	static const char in[] =
		"v=0\nc=IN IP4 $\nm=audio $ RTP/AVP 0\n"
		"v=0\nc=IN IP6 $\nm=audio $ RTP/AVP 8\n";
	/* Indented H.248 body with blank lines and trailing blanks. */
	static const char indented[] =
		"\n   v=0\n\t c=IN IP4 $  \n\n  m=audio $ RTP/AVP 0\n  ";
	struct sdp_desc *d = parse_ok(in);

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(d->n_sessions, 2);
	CU_ASSERT(str_is(d->sessions->next->conn.addrtype, "IP6"));
	format_expect(d, false, in);
	d = parse_ok(indented);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	format_expect(d, false, "v=0\nc=IN IP4 $\nm=audio $ RTP/AVP 0\n");
}

static void
test_bad(void)
{
	static const struct {
		const char *in;
		uint32_t line;
		int rc;
	} cases[] = {
		{ "", 0, -EINVAL },
		{ "v=1\n", 1, -EINVAL },
		{ "v=0\nc=IN IP4\n", 2, -EINVAL },
		{ "v=0\nc=IN IP4 1.2.3.4 extra\n", 2, -EINVAL },
		{ "v=0\nc=IN IP4 1.2.3.4\nc=IN IP4 1.2.3.5\n", 3, -EINVAL },
		{ "v=0\nm=audio 70000 RTP/AVP 0\n", 2, -EINVAL },
		{ "v=0\nm=audio x RTP/AVP 0\n", 2, -EINVAL },
		{ "v=0\nm=audio 1/0 RTP/AVP 0\n", 2, -EINVAL },
		{ "v=0\nm=audio 1\n", 2, -EINVAL },
		{ "v=0\nX=1\n", 2, -EINVAL },
		{ "v=0\nnot a line\n", 2, -EINVAL },
		{ "v=0\na=\n", 2, -EINVAL },
		{ "v=0\na=a b:c\n", 2, -EINVAL },
		{ "v=0\na=x:}\n", 2, -EINVAL },
		{ "v=0\nm=audio 1 RTP/AVP 0\ns=late\n", 3, -EINVAL },
		{ "v=0\ns=a\ns=b\n", 3, -EINVAL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sdp_desc *d = NULL;
		struct sdp_error err;
		struct iq_arena a;
		int rc;

		iq_arena_init(&a, arena_mem1, ARENA_SIZE);
		rc = sdp_parse(cases[i].in, strlen(cases[i].in), &a, NULL, &d, &err);
		CU_ASSERT_EQUAL(rc, cases[i].rc);
		CU_ASSERT_EQUAL(err.line, cases[i].line);
		CU_ASSERT_PTR_NOT_NULL(err.reason);
		if (rc != cases[i].rc || err.line != cases[i].line)
			fprintf(stderr, "\ncase %zu: rc=%d line=%u %s\n", i, rc, err.line,
				err.reason);
	}
}

static void
test_bounds(void)
{
	static char big[40000];
	struct sdp_limits lim;
	struct sdp_desc *d;
	struct sdp_error err;
	struct iq_arena a;
	char small[64];
	size_t n = 0, i;

	n += (size_t)snprintf(big + n, sizeof(big) - n, "v=0\n");
	for (i = 0; i < 300; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "a=x:%zu\n", i);
	iq_arena_init(&a, arena_mem1, ARENA_SIZE);
	CU_ASSERT_EQUAL(sdp_parse(big, n, &a, NULL, &d, &err), -E2BIG);
	CU_ASSERT_EQUAL(err.line, 257);
	memset(&lim, 0, sizeof(lim));
	lim.max_len = 10;
	CU_ASSERT_EQUAL(sdp_parse(local_b, strlen(local_b), &a, &lim, &d, &err), -E2BIG);
	memset(&lim, 0, sizeof(lim));
	lim.max_line_len = 10;
	CU_ASSERT_EQUAL(sdp_parse(local_b, strlen(local_b), &a, &lim, &d, &err), -E2BIG);
	CU_ASSERT_EQUAL(err.line, 3);
	memset(&lim, 0, sizeof(lim));
	lim.max_media = 1;
	CU_ASSERT_EQUAL(sdp_parse("v=0\nm=a 1 b\nm=a 2 b\n", 20, &a, &lim, &d, &err), -E2BIG);
	lim.max_media = 0;
	lim.max_sessions = 1;
	CU_ASSERT_EQUAL(sdp_parse("v=0\nv=0\n", 8, &a, &lim, &d, &err), -E2BIG);
	iq_arena_init(&a, small, sizeof(small));
	CU_ASSERT_EQUAL(sdp_parse(local_b, strlen(local_b), &a, NULL, &d, &err), -ENOMEM);
	/* Truncation at every offset never crashes; the prefix either parses or fails cleanly. */
	for (i = 0; i < strlen(local_b); i++) {
		char *copy = malloc(i + 1);
		int rc;

		memcpy(copy, local_b, i);
		iq_arena_init(&a, arena_mem1, ARENA_SIZE);
		rc = sdp_parse(copy, i, &a, NULL, &d, &err);
		CU_ASSERT(rc == 0 || rc == -EINVAL);
		free(copy);
	}
	/* Formatting refuses what cannot sit in an H.248 octet string. */
	d = parse_ok(local_b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	d->sessions->media->proto = IQ_STR("RTP/AVP\nx=1");
	CU_ASSERT_EQUAL(sdp_format(d, false, out, OUT_SIZE, &n), -EINVAL);
	d->sessions->media->proto = IQ_STR("RTP/AVP");
	CU_ASSERT_EQUAL(sdp_format(d, false, out, 10, &n), -ENOSPC);
	CU_ASSERT_EQUAL(n, strlen(local_b) - strlen("SAVP") + strlen("AVP"));
}

int
main(void)
{
	static const struct iq_test tests[] = {
		TEST(test_choose_and_crypto),
		TEST(test_msrp_fingerprint),
		TEST(test_full_session_and_rtcp),
		TEST(test_alternatives),
		TEST(test_bad),
		TEST(test_bounds),
	};

	return run_suite("sdp_codec", tests, sizeof(tests) / sizeof(tests[0]));
}
