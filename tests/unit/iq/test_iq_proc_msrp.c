/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CUnit: MSRP terminations over Iq (iq/iq_proc.c, iq_map.c) against a real
 * control instance and the real MSRP relay with TLS (n_workers 0, driven by
 * ctl_poll()) over loopback in the test's own namespace: golden H.248 text
 * for the Add (SPEC.md §3.13 (f): our port, a=setup, a=fingerprint and
 * a=path lines exact), the MD5 and malformed fingerprints refused with
 * their error descriptors, the requested events turned into Notify
 * (tlsbsc/estfail once, tcpbcc/rel on release), a Modify that keeps the
 * Remote keeping the connection, and the Subtract statistics with exact
 * byte counts. Values the gateway draws at random (context and termination
 * ids, ports, session ids) and the duration are filled into the golden text
 * from control's own report.
 */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/rand.h>
#include <rte_eal.h>

#include "cfg.h"
#include "ctl.h"
#include "ctl_loop.h"
#include "dp.h"
#include "dp_msrp.h"
#include "sec.h"
#include "sec_tls.h"
#include "iq_proc.h"
#include "iq_test_util.h"
#include "ctl_test_msrp.h"

#define WAIT_MS TT_WAIT_MS

static struct tt_env E;
static struct iq_proc *proc;
static unsigned int ready_calls;
static char ue_fp_text[SEC_FP_TEXT_MAX];

static uint16_t
sc_hook(void *arg, const struct h248_services *sv)
{
	(void)arg;
	(void)sv;
	return 0;
}

static void
inact_hook(void *arg, uint32_t rid, uint32_t mit_ms)
{
	(void)arg;
	(void)rid;
	(void)mit_ms;
}

static void
notify_ready(void *arg)
{
	(void)arg;
	ready_calls++;
}

static int
setup(void)
{
	struct iq_proc_hooks hooks = { sc_hook, inact_hook, NULL };

	if (tt_env_setup(&E, "iqmsrp", 42000 + (unsigned int)(getpid() % 100) * 100) < 0 ||
	    sec_fp_format(&E.ue_fp, ue_fp_text, sizeof(ue_fp_text)) < 0)
		return -1;
	proc = iq_proc_create(E.ctl, &hooks);
	if (proc == NULL)
		return -1;
	iq_proc_set_notify_ready(proc, notify_ready, NULL);
	return 0;
}

static int
teardown(void)
{
	iq_proc_destroy(proc);
	tt_env_teardown(&E);
	return 0;
}

/* ---- helpers ------------------------------------------------------------- */

static void
pump(void)
{
	tt_pump(&E);
}

/* Execute the transaction in text; its reply, pretty-encoded, into out. */
static void
run(const char *text, char *out, size_t cap)
{
	static uint64_t mem[ARENA_SIZE / 8], dmem[ARENA_SIZE / 8];
	struct h248_mid mid = { .type = H248_MID_IP4, .addr = IQ_STR("127.0.0.1"),
				.has_port = true, .port = 2945 };
	struct h248_transaction rep;
	struct h248_message *m;
	struct h248_error err;
	struct iq_arena ar;
	size_t len = 0;

	out[0] = '\0';
	m = must_decode(text, strlen(text), dmem, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	iq_arena_init(&ar, mem, sizeof(mem));
	memset(&rep, 0, sizeof(rep));
	CU_ASSERT_EQUAL_FATAL(iq_proc_execute(proc, &ar, m->txns, &rep), 0);
	iq_proc_commit(proc);
	CU_ASSERT_EQUAL_FATAL(h248_encode_reply(3, &mid, &rep, H248_LAYOUT_PRETTY, out, cap - 1,
						&len), 0);
	out[len] = '\0';
}

static void
expect(const char *got, const char *want)
{
	CU_ASSERT_STRING_EQUAL(got, want);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "\n--- got\n%s\n--- want\n%s\n", got, want);
}

/* A value after "key=" in text, up to a space or line end. */
static bool
field(const char *text, const char *key, char *out, size_t len)
{
	const char *p = strstr(text, key);
	size_t n;

	if (p == NULL)
		return false;
	p += strlen(key);
	n = strcspn(p, " \n,}");
	if (n >= len)
		return false;
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

/* Move len bytes from a (TLS when sa) to b (TLS when sb), pumping. */
static bool
cross(SSL *sa, int fa, SSL *sb, int fb, const uint8_t *buf, size_t len)
{
	static uint8_t got[1 << 17];
	uint64_t end = ctl_now_ms() + WAIT_MS;
	size_t sent = 0, recvd = 0;

	while (recvd < len && ctl_now_ms() < end) {
		int n;

		if (sent < len) {
			n = sa != NULL ? SSL_write(sa, buf + sent, (int)(len - sent))
				       : (int)write(fa, buf + sent, len - sent);
			if (n > 0)
				sent += (size_t)n;
		}
		n = sb != NULL ? SSL_read(sb, got + recvd, (int)(len - recvd))
			       : (int)read(fb, got + recvd, len - recvd);
		if (n > 0)
			recvd += (size_t)n;
		pump();
	}
	return recvd == len && memcmp(got, buf, len) == 0;
}

static bool
next_notify(struct iq_proc_notify *n)
{
	uint64_t end = ctl_now_ms() + WAIT_MS;

	while (ctl_now_ms() < end) {
		if (iq_proc_next_notify(proc) == 0)
			return iq_proc_poll_notify(proc, ctl_now_ms(), n) == 1;
		pump();
	}
	return false;
}

/* ---- tests --------------------------------------------------------------- */

#define UP_BYTES 70001
#define DOWN_BYTES 30011

static const char add_fmt[] =
	"MEGACO/3 [127.0.0.1]:2944\nTransaction = 2001 {\n"
	" Context = $ {\n"
	"  Add = $ { Media { Stream = 1 { LocalControl { Mode = SendReceive, ipdc/realm = \"access1\" },\n"
	"   Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\na=setup:passive\n"
	"a=fingerprint:SHA-256 $\na=accept-types:message/cpim text/plain\na=3ge2ae:requested\n"
	"a=path:$\n   },\n"
	"   Remote {\nv=0\nc=IN IP4 127.0.0.1\nm=message 9 TCP/TLS/MSRP *\na=setup:active\n"
	"a=fingerprint:%s\na=accept-types:message/cpim text/plain\n"
	"a=path:msrps://127.0.0.1:9/kjh3k4;tcp\na=msrp-cema\n   } } },\n"
	"   Events = 10 { tlsbsc/estfail, tcpbcc/estfail, tcpbcc/rel } },\n"
	"  Add = $ { Media { Stream = 1 { LocalControl { Mode = SendReceive, ipdc/realm = \"core\" },\n"
	"   Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/MSRP *\na=accept-types:message/cpim text/plain\n"
	"   },\n"
	"   Remote {\nv=0\nc=IN IP4 127.0.0.1\nm=message %u TCP/MSRP *\na=setup:passive\n"
	"a=path:msrp://127.0.0.1:%u/core1;tcp\n   } } },\n"
	"   Events = 11 { tcpbcc/estfail, tcpbcc/rel } }\n"
	" }\n}\n";

/* The whole call over Iq: the golden Add reply, a stranger refused and
 * reported once, the UE in, bytes both ways, a Modify that keeps the
 * connection, the release reported, the golden Subtract statistics. */
static void
test_call(void)
{
	static char req[8192], out[65536], want[65536];
	static uint8_t up[UP_BYTES], down[DOWN_BYTES];
	struct ctl_term_info acc, core;
	struct iq_proc_notify n;
	struct iq_proc_stats st;
	char fp[SEC_FP_TEXT_MAX], ctx_s[16], dur_a[24], dur_c[24];
	char aid[CTL_TERM_ID_MAX + 1], cid[CTL_TERM_ID_MAX + 1];
	uint32_t ctx;
	uint16_t core_port = 0;
	int lfd, cfd = -1, ufd = -1, xfd = -1, i;
	SSL *ue, *x;

	CU_ASSERT_FATAL(RAND_bytes(up, sizeof(up)) == 1 && RAND_bytes(down, sizeof(down)) == 1);
	lfd = tt_tcp_server(&core_port);
	CU_ASSERT_FATAL(lfd >= 0);
	snprintf(req, sizeof(req), add_fmt, ue_fp_text, core_port, core_port);
	run(req, out, sizeof(out));
	CU_ASSERT_FATAL(field(out, "Context = ", ctx_s, sizeof(ctx_s)));
	ctx = (uint32_t)strtoul(ctx_s, NULL, 10);
	{
		char ids[CTL_CTX_MAX_TERMS][CTL_TERM_ID_MAX + 1];

		CU_ASSERT_EQUAL_FATAL(ctl_context_terms(E.ctl, ctx, ids), 2);
		snprintf(aid, sizeof(aid), "%s", ids[0]);
		snprintf(cid, sizeof(cid), "%s", ids[1]);
	}
	CU_ASSERT_EQUAL_FATAL(ctl_term_get(E.ctl, ctx, aid, &acc, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(ctl_term_get(E.ctl, ctx, cid, &core, NULL), 0);
	CU_ASSERT_FATAL(sec_fp_format(&acc.msrp.fp, fp, sizeof(fp)) > 0);
	snprintf(want, sizeof(want),
		 "MEGACO/3 [127.0.0.1]:2945\n"
		 "Reply = 2001 {\n"
		 "  Context = %u {\n"
		 "    Add = %s {\n"
		 "      Media {\n"
		 "        Stream = 1 {\n"
		 "          Local {\n"
		 "v=0\n"
		 "c=IN IP4 127.0.0.2\n"
		 "m=message %u TCP/TLS/MSRP *\n"
		 "a=setup:passive\n"
		 "a=fingerprint:%s\n"
		 "a=accept-types:message/cpim text/plain\n"
		 "a=3ge2ae:requested\n"
		 "a=path:msrps://127.0.0.2:%u/%.*s;tcp\n"
		 "}\n"
		 "        }\n"
		 "      }\n"
		 "    },\n"
		 "    Add = %s {\n"
		 "      Media {\n"
		 "        Stream = 1 {\n"
		 "          Local {\n"
		 "v=0\n"
		 "c=IN IP4 127.0.0.3\n"
		 "m=message %u TCP/MSRP *\n"
		 "a=accept-types:message/cpim text/plain\n"
		 "a=setup:active\n"
		 "a=path:msrp://127.0.0.3:%u/%.*s;tcp\n"
		 "}\n"
		 "        }\n"
		 "      }\n"
		 "    }\n"
		 "  }\n"
		 "}",
		 ctx, aid, acc.local_port, fp, acc.local_port, CTL_MSRP_SID_LEN,
		 acc.msrp.path + strlen(acc.msrp.path) - 4 - CTL_MSRP_SID_LEN, cid, core.local_port,
		 core.local_port, CTL_MSRP_SID_LEN,
		 core.msrp.path + strlen(core.msrp.path) - 4 - CTL_MSRP_SID_LEN);
	expect(out, want);
	CU_ASSERT_EQUAL(acc.msrp.state, CTL_MSRP_LISTENING);
	CU_ASSERT_EQUAL(core.msrp.state, CTL_MSRP_CONNECTING);

	/* A stranger's certificate, twice: refused both times, reported once
	 * (rid 10). */
	for (i = 0; i < 2; i++) {
		x = tt_client("127.0.0.2", acc.local_port, E.stranger_cert, E.stranger_key, &xfd);
		CU_ASSERT_PTR_NOT_NULL_FATAL(x);
		CU_ASSERT_EQUAL(tt_refused(&E, x), 1);
		SSL_free(x);
		close(xfd);
		if (i > 0)
			continue;
		CU_ASSERT_FATAL(next_notify(&n));
		CU_ASSERT_EQUAL(n.ctx_id, ctx);
		CU_ASSERT_STRING_EQUAL(n.term_id, aid);
		CU_ASSERT_EQUAL(n.rid, 10);
		CU_ASSERT_STRING_EQUAL(n.event, "tlsbsc/estfail{cause=fingerprint}");
		CU_ASSERT(ready_calls >= 1);
	}
	iq_proc_get_stats(proc, &st);
	CU_ASSERT_EQUAL(st.msrp_notifies, 1);
	CU_ASSERT_EQUAL(iq_proc_next_notify(proc), UINT64_MAX); /* not twice */

	/* The UE: up, the core leg follows, bytes both ways. */
	ue = tt_client("127.0.0.2", acc.local_port, E.ue_cert, E.ue_key, &ufd);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ue);
	CU_ASSERT_EQUAL_FATAL(tt_handshake(&E, ue), 1);
	{
		uint64_t end = ctl_now_ms() + WAIT_MS;

		while (cfd < 0 && ctl_now_ms() < end) {
			cfd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
			pump();
		}
	}
	CU_ASSERT_FATAL(cfd >= 0);
	CU_ASSERT(cross(ue, -1, NULL, cfd, up, sizeof(up)));
	CU_ASSERT(cross(NULL, cfd, ue, -1, down, sizeof(down)));

	/* A re-INVITE that keeps the Remote: the same leg, the same bytes. */
	snprintf(req, sizeof(req),
		 "MEGACO/3 [127.0.0.1]:2944\nTransaction = 2002 { Context = %u { Modify = %s { Media {"
		 " Stream = 1 { LocalControl { Mode = SendReceive }, Remote {\nv=0\nc=IN IP4 127.0.0.1\n"
		 "m=message 9 TCP/TLS/MSRP *\na=setup:active\na=fingerprint:%s\n"
		 "a=path:msrps://127.0.0.1:9/kjh3k4;tcp\n} } } } } }\n",
		 ctx, aid, ue_fp_text);
	run(req, out, sizeof(out));
	snprintf(want, sizeof(want),
		 "MEGACO/3 [127.0.0.1]:2945\nReply = 2002 {\n  Context = %u {\n    Modify = %s\n  }\n}",
		 ctx, aid);
	expect(out, want);
	CU_ASSERT_EQUAL(ctl_term_get(E.ctl, ctx, aid, &acc, NULL), 0);
	CU_ASSERT_EQUAL(acc.msrp.opens, 1);
	CU_ASSERT_EQUAL(acc.msrp.state, CTL_MSRP_UP);
	CU_ASSERT(cross(ue, -1, NULL, cfd, up, 999));

	/* The UE leaves (close_notify), then the core peer the relay
	 * half-closed: both releases are reported, each with its rid. */
	SSL_shutdown(ue);
	SSL_free(ue);
	close(ufd);
	{
		uint64_t end = ctl_now_ms() + 300;

		while (ctl_now_ms() < end)
			pump();
	}
	close(cfd);
	CU_ASSERT_FATAL(next_notify(&n));
	CU_ASSERT_STRING_EQUAL(n.term_id, aid);
	CU_ASSERT_EQUAL(n.rid, 10);
	CU_ASSERT_STRING_EQUAL(n.event, "tcpbcc/rel{cause=peer_close}");
	CU_ASSERT_FATAL(next_notify(&n));
	CU_ASSERT_STRING_EQUAL(n.term_id, cid);
	CU_ASSERT_EQUAL(n.rid, 11);
	CU_ASSERT_STRING_EQUAL(n.event, "tcpbcc/rel{cause=joined_closed}");
	iq_proc_get_stats(proc, &st);
	CU_ASSERT_EQUAL(st.msrp_notifies, 3);

	/* Subtract: the statistics of both, exact. */
	snprintf(req, sizeof(req),
		 "MEGACO/3 [127.0.0.1]:2944\nTransaction = 2003 { Context = %u {"
		 " Subtract = %s { Audit { Statistics } }, Subtract = %s { Audit { Statistics } } } }\n",
		 ctx, aid, cid);
	run(req, out, sizeof(out));
	CU_ASSERT_FATAL(field(out, "nt/dur = ", dur_a, sizeof(dur_a)));
	CU_ASSERT_FATAL(field(strstr(out, cid), "nt/dur = ", dur_c, sizeof(dur_c)));
	snprintf(want, sizeof(want),
		 "MEGACO/3 [127.0.0.1]:2945\n"
		 "Reply = 2003 {\n"
		 "  Context = %u {\n"
		 "    Subtract = %s {\n"
		 "      Statistics {\n"
		 "        nt/dur = %s,\n"
		 "        nt/os = %u,\n"
		 "        nt/or = %u,\n"
		 "        msrpstat/mr = 0,\n"
		 "        tcpbcc/conn = 3,\n"
		 "        tcpbcc/cf = 0,\n"
		 "        tlsbsc/hf = 2,\n"
		 "        tlsbsc/fpf = 2\n"
		 "      }\n"
		 "    },\n"
		 "    Subtract = %s {\n"
		 "      Statistics {\n"
		 "        nt/dur = %s,\n"
		 "        nt/os = %u,\n"
		 "        nt/or = %u,\n"
		 "        msrpstat/mr = 0,\n"
		 "        tcpbcc/conn = 1,\n"
		 "        tcpbcc/cf = 0,\n"
		 "        tlsbsc/hf = 0,\n"
		 "        tlsbsc/fpf = 0\n"
		 "      }\n"
		 "    }\n"
		 "  }\n"
		 "}",
		 ctx, aid, dur_a, DOWN_BYTES, UP_BYTES + 999, cid, dur_c, UP_BYTES + 999, DOWN_BYTES);
	expect(out, want);
	CU_ASSERT_EQUAL(ctl_context_count(E.ctl), 0);
	CU_ASSERT_EQUAL(iq_proc_term_count(proc), 0);
	close(lfd);
}

/* MD5 (RFC 8122 §5) and a malformed fingerprint: error descriptors, and
 * nothing left behind. */
static void
test_refused(void)
{
	static const struct {
		const char *fp;
		const char *text;
	} bad[] = {
		{ "MD5 AD:F4:6B:C7:DC:E6:28:8A:F6:E4:77:A3:C7:88:AB:28",
		  "a=fingerprint: MD5, MD2 or unknown hash refused (RFC 8122)" },
		{ "SHA-256 AD:F4:6B:C7:DC:E6:28:8A:F6:E4:77:A3:C7:88:AB:28",
		  "a=fingerprint: malformed" },
	};
	static char req[4096], out[8192], want[1024];
	unsigned int i;

	for (i = 0; i < RTE_DIM(bad); i++) {
		snprintf(req, sizeof(req),
			 "MEGACO/3 [127.0.0.1]:2944\nTransaction = %u { Context = $ { Add = $ { Media {"
			 " Stream = 1 { Local {\nv=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\n}, Remote {\n"
			 "v=0\nc=IN IP4 127.0.0.1\nm=message 9 TCP/TLS/MSRP *\na=setup:active\n"
			 "a=fingerprint:%s\n} } } } } }\n",
			 3000 + i, bad[i].fp);
		run(req, out, sizeof(out));
		snprintf(want, sizeof(want),
			 "MEGACO/3 [127.0.0.1]:2945\nReply = %u {\n  Context = $ {\n"
			 "    Error = 449 { \"%s\" }\n  }\n}",
			 3000 + i, bad[i].text);
		expect(out, want);
	}
	CU_ASSERT_EQUAL(ctl_context_count(E.ctl), 0);
	CU_ASSERT_EQUAL(ctl_term_count(E.ctl), 0);
	CU_ASSERT_EQUAL(iq_proc_term_count(proc), 0);
}

int
main(void)
{
	CU_pSuite s;
	int failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("iq_proc_msrp", setup, teardown);
	CU_add_test(s, "call: golden Add, Notify, Modify, Subtract", test_call);
	CU_add_test(s, "MD5 and malformed fingerprints refused", test_refused);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = (int)(CU_get_number_of_failures() + CU_get_number_of_suites_failed());
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
