/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * h248_encode(): canonical pretty and compact bytes for SPEC.md §3.13
 * examples, reply/error/pending/ack helpers, buffer sizing, and trees that
 * must be refused.
 */
#include <errno.h>

#include "iq_test_util.h"
#include "h248_examples.h"

static char out[OUT_SIZE];

/*
 * The spec's example blocks end with a newline; the encoder never writes
 * trailing layout (SPEC.md §4.5 interop note), so that one is not compared.
 */
static void
expect_bytes(const char *got, size_t len, const char *want)
{
	size_t wl = strlen(want);

	if (wl > 0 && want[wl - 1] == '\n')
		wl--;
	CU_ASSERT_EQUAL(len, wl);
	CU_ASSERT(len == wl && memcmp(got, want, len) == 0);
	if (len != wl || memcmp(got, want, len) != 0)
		fprintf(stderr, "\n--- got:\n%.*s\n--- want:\n%s\n", (int)len, got, want);
}

static void
encode_expect(const char *in, enum h248_layout layout, const char *want)
{
	struct h248_error err;
	struct h248_message *m = must_decode(in, strlen(in), arena_mem1, &err);
	size_t len = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(h248_encode(m, layout, out, OUT_SIZE, &len), 0);
	expect_bytes(out, len, want);
}

/* Our pretty layout writes the brace closing Local/Remote at column 0
 * (indentation there would belong to the SDP); the spec's examples indent
 * it. Turn a spec example into our layout: unindent a "}" line that follows
 * an SDP line ("x=..."). */
static const char *
unindent_sdp_close(const char *in)
{
	static char buf[8192];
	const char *line = in;
	bool prev_sdp = false;
	size_t n = 0;

	while (*line != '\0') {
		const char *eol = strchr(line, '\n');
		const char *end = eol != NULL ? eol + 1 : line + strlen(line);
		const char *p = line;

		while (*p == ' ')
			p++;
		if (!(*p == '}' && prev_sdp))
			p = line;
		CU_ASSERT_FATAL(n + (size_t)(end - p) < sizeof(buf));
		memcpy(buf + n, p, (size_t)(end - p));
		n += (size_t)(end - p);
		prev_sdp = line[0] >= 'a' && line[0] <= 'z' && line[1] == '=';
		line = end;
	}
	buf[n] = '\0';
	return buf;
}

/* The spec's pretty text is our canonical pretty layout for these. */
static void
test_pretty_canonical(void)
{
	encode_expect(ex_a_req, H248_LAYOUT_PRETTY, ex_a_req);
	encode_expect(ex_a_compact, H248_LAYOUT_PRETTY, ex_a_req);
	encode_expect(ex_c_reply, H248_LAYOUT_PRETTY, unindent_sdp_close(ex_c_reply));
	encode_expect(ex_g_411, H248_LAYOUT_PRETTY, ex_g_411);
	encode_expect(ex_g_421, H248_LAYOUT_PRETTY, ex_g_421);
	encode_expect(ex_g_500, H248_LAYOUT_PRETTY, ex_g_500);
	encode_expect(ex_g_400, H248_LAYOUT_PRETTY, ex_g_400);
	encode_expect(ex_e_compact, H248_LAYOUT_PRETTY,
		      "MEGACO/3 [192.0.2.1]:2944\n"
		      "Transaction = 1003 {\n"
		      "  Context = 4711 {\n"
		      "    Subtract = ip/1/access1/17 {\n"
		      "      Audit {\n"
		      "        Statistics\n"
		      "      }\n"
		      "    },\n"
		      "    Subtract = ip/1/core/18 {\n"
		      "      Audit {\n"
		      "        Statistics\n"
		      "      }\n"
		      "    }\n"
		      "  }\n"
		      "}");
}

/* The spec's compact forms (validated against Erlang megaco) are ours. */
static void
test_compact_canonical(void)
{
	encode_expect(ex_a_req, H248_LAYOUT_COMPACT, ex_a_compact);
	encode_expect(ex_e_req, H248_LAYOUT_COMPACT, ex_e_compact);
	encode_expect(ex_d_reply, H248_LAYOUT_COMPACT,
		      "!/3 [192.0.2.10]:2944 P=1002{C=4711{MF=ip/1/core/18,MF=ip/1/access1/17}}");
	encode_expect(ex_g_500, H248_LAYOUT_COMPACT,
		      "!/3 [192.0.2.10]:2944 P=1006{C=4711{A=ip/1/access1/19,"
		      "ER=500{\"Internal software failure in MG\"}}}");
	encode_expect(ex_d_req, H248_LAYOUT_COMPACT,
		      "!/3 [192.0.2.1]:2944 T=1002{C=4711{MF=ip/1/core/18{M{ST=1{O{MO=SR},R{"
		      "v=0\nc=IN IP4 192.0.2.99\nm=audio 50000 RTP/AVP 96 97\n"
		      "a=rtpmap:96 AMR-WB/16000\na=rtpmap:97 telephone-event/16000\n}}}},"
		      "MF=ip/1/access1/17{M{ST=1{O{MO=SR}}}}}}");
	encode_expect(ex_e_reply, H248_LAYOUT_COMPACT,
		      "!/3 [192.0.2.10]:2944 P=1003{C=4711{S=ip/1/access1/17{SA{nt/dur=61230,"
		      "nt/os=980800,nt/or=978560,rtp/ps=3065,rtp/pr=3058,rtp/pl=0.2,rtp/jit=7}},"
		      "S=ip/1/core/18{SA{nt/dur=61230,nt/os=919500,nt/or=918720,rtp/ps=3058,"
		      "rtp/pr=3065}}}}");
}

static void
test_sdp_crlf_kept(void)
{
	static const char in[] =
		"!/3 [1.2.3.4] T=1{C=1{MF=t{M{L{\r\nv=0\r\nc=IN IP4 $\r\n  }}}}}";
	encode_expect(in, H248_LAYOUT_COMPACT,
		      "!/3 [1.2.3.4] T=1{C=1{MF=t{M{L{v=0\r\nc=IN IP4 $\r\n}}}}}");
	encode_expect(in, H248_LAYOUT_PRETTY,
		      "MEGACO/3 [1.2.3.4]\nTransaction = 1 {\n  Context = 1 {\n"
		      "    Modify = t {\n      Media {\n        Local {\nv=0\r\nc=IN IP4 $\r\n"
		      "}\n      }\n    }\n  }\n}");
}

static void
test_helpers(void)
{
	struct h248_mid mid = { .type = H248_MID_IP4, .addr = IQ_STR("192.0.2.10"),
				.has_port = true, .port = 2944 };
	struct h248_error err;
	size_t len;

	memset(&err, 0, sizeof(err));
	err.code = 400;
	CU_ASSERT_EQUAL(h248_encode_error(3, &mid, &err, H248_LAYOUT_PRETTY, out, OUT_SIZE, &len), 0);
	expect_bytes(out, len, ex_g_400);
	err.code = 442;
	err.has_txn = true;
	err.txn_type = H248_TXN_REQUEST;
	err.txn_id = 77;
	CU_ASSERT_EQUAL(h248_encode_error(3, &mid, &err, H248_LAYOUT_COMPACT, out, OUT_SIZE, &len), 0);
	expect_bytes(out, len, "!/3 [192.0.2.10]:2944 P=77{ER=442{\"Syntax Error in Command\"}}");
	CU_ASSERT_EQUAL(h248_encode_pending(3, &mid, 1001, H248_LAYOUT_PRETTY, out, OUT_SIZE, &len), 0);
	expect_bytes(out, len, "MEGACO/3 [192.0.2.10]:2944\nPending = 1001 { }");
	CU_ASSERT_EQUAL(h248_encode_pending(3, &mid, 1001, H248_LAYOUT_COMPACT, out, OUT_SIZE, &len), 0);
	expect_bytes(out, len, "!/3 [192.0.2.10]:2944 PN=1001{}");
	CU_ASSERT_EQUAL(h248_encode_ack(3, &mid, 5, H248_LAYOUT_COMPACT, out, OUT_SIZE, &len), 0);
	expect_bytes(out, len, "!/3 [192.0.2.10]:2944 K{5}");
	CU_ASSERT_EQUAL(h248_encode_ack(3, &mid, 5, H248_LAYOUT_PRETTY, out, OUT_SIZE, &len), 0);
	expect_bytes(out, len, "MEGACO/3 [192.0.2.10]:2944\nTransactionResponseAck { 5 }");
	CU_ASSERT_STRING_EQUAL(h248_errcode_text(411),
			       "The transaction refers to an unknown ContextId");
	CU_ASSERT_STRING_EQUAL(h248_errcode_text(9999), "Error");
}

/* Build a reply tree by hand (what procedures will do) and encode it. */
static void
test_build_reply(void)
{
	struct h248_mid mid = { .type = H248_MID_IP4, .addr = IQ_STR("192.0.2.10"),
				.has_port = true, .port = 2944 };
	struct h248_stream st = { .has_id = true, .id = 1, .has_local = true,
				  .local = IQ_STR("v=0\nc=IN IP4 203.0.113.20\nm=audio 30000 RTP/AVP 0") };
	struct h248_desc ds = { .type = H248_DESC_MEDIA,
				.u.media = { .n_streams = 1, .streams = &st } };
	struct h248_command c = { .type = H248_CMD_ADD, .tid = IQ_STR("ip/1/core/18"),
				  .has_body = true, .n_descs = 1, .descs = &ds };
	struct h248_action ac = { .ctx_id = 4711, .props = { .priority = -1 },
				  .n_cmds = 1, .cmds = &c };
	struct h248_transaction tx = { .type = H248_TXN_REPLY, .id = 1001,
				       .n_actions = 1, .actions = &ac };
	size_t len, need;

	CU_ASSERT_EQUAL(h248_encode_reply(3, &mid, &tx, H248_LAYOUT_COMPACT, out, OUT_SIZE, &len), 0);
	expect_bytes(out, len, "!/3 [192.0.2.10]:2944 P=1001{C=4711{A=ip/1/core/18{M{ST=1{L{"
			       "v=0\nc=IN IP4 203.0.113.20\nm=audio 30000 RTP/AVP 0\n}}}}}}");
	/* Exact-size buffer works; one byte less reports the size needed. */
	need = len;
	CU_ASSERT_EQUAL(h248_encode_reply(3, &mid, &tx, H248_LAYOUT_COMPACT, out, need, &len), 0);
	CU_ASSERT_EQUAL(len, need);
	CU_ASSERT_EQUAL(h248_encode_reply(3, &mid, &tx, H248_LAYOUT_COMPACT, out, need - 1, &len),
			-ENOSPC);
	CU_ASSERT_EQUAL(len, need);
	CU_ASSERT_EQUAL(h248_encode_reply(3, &mid, &tx, H248_LAYOUT_COMPACT, NULL, 0, &len), -ENOSPC);
	CU_ASSERT_EQUAL(len, need);

	/* Refused trees: '}' in SDP, bad chars in names and quoted strings. */
	st.local = IQ_STR("v=0\na=x:}");
	CU_ASSERT_EQUAL(h248_encode_reply(3, &mid, &tx, H248_LAYOUT_COMPACT, out, OUT_SIZE, &len),
			-EINVAL);
	st.local = IQ_STR("v=0");
	c.tid = IQ_STR("ip 1");
	CU_ASSERT_EQUAL(h248_encode_reply(3, &mid, &tx, H248_LAYOUT_COMPACT, out, OUT_SIZE, &len),
			-EINVAL);
	c.tid = IQ_STR("ip/1");
	{
		struct h248_errdesc e = { .code = 500, .has_text = true, .text = IQ_STR("a\"b") };

		ac.error = &e;
		CU_ASSERT_EQUAL(h248_encode_reply(3, &mid, &tx, H248_LAYOUT_COMPACT, out,
						  OUT_SIZE, &len), -EINVAL);
		e.text = IQ_STR("ok");
		CU_ASSERT_EQUAL(h248_encode_reply(3, &mid, &tx, H248_LAYOUT_COMPACT, out,
						  OUT_SIZE, &len), 0);
		expect_bytes(out, len, "!/3 [192.0.2.10]:2944 P=1001{C=4711{A=ip/1{M{ST=1{L{v=0\n}}}},"
				       "ER=500{\"ok\"}}}");
		ac.error = NULL;
	}
	/* An empty Media is not legal H.248. */
	ds.u.media.streams = NULL;
	CU_ASSERT_EQUAL(h248_encode_reply(3, &mid, &tx, H248_LAYOUT_PRETTY, out, OUT_SIZE, &len),
			-EINVAL);
}

int
main(void)
{
	static const struct iq_test tests[] = {
		TEST(test_pretty_canonical),
		TEST(test_compact_canonical),
		TEST(test_sdp_crlf_kept),
		TEST(test_helpers),
		TEST(test_build_reply),
	};

	return run_suite("h248_encode", tests, sizeof(tests) / sizeof(tests[0]));
}
