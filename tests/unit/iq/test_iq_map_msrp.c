/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CUnit: iq_map for MSRP terminations (SPEC.md §2.2, §2.3, §3.6, §3.13
 * (f)): TCP/TLS/MSRP and TCP/MSRP onto the spec (setup, the UE's
 * fingerprints, path, cema), the refusals (MD5/MD2, malformed, missing or
 * misplaced fingerprints, bad setup or path: 449; an unknown proto: 515),
 * and the reply's Local with our a=setup, a=fingerprint and a=path lines,
 * byte for byte.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <CUnit/Basic.h>

#include "iq.h"
#include "iq_map.h"
#include "iq_mgc.h"
#include "iq_test_util.h"

static uint64_t mem[1 << 15];
static struct iq_arena arena;
static struct h248_message *msg;

/* SPEC.md §2.2's UE fingerprint and a made-up one of ours. */
#define UE_FP "AD:F4:6B:C7:DC:E6:28:8A:F6:E4:77:A3:C7:88:AB:28:E5:77:3F:D8:91:05:E5:6D:AD:14:57:00:01:0C:53:EB"
#define OUR_FP "6B:C3:A2:12:45:8A:25:A9:95:95:A8:34:7A:74:DA:15:2A:5E:92:EB:FD:8F:3F:D6:B8:ED:10:97:1F:B8:36:D4"
#define OUR_PATH "msrps://203.0.113.20:31000/AAECAwQFBgcICQoL;tcp"

static const struct h248_stream *
stream_of(const char *actions)
{
	return iq_test_stream(&arena, mem, sizeof(mem), &msg, actions);
}

/* Map an Add with this Local and Remote (either may be NULL). */
static int
map_add(const char *local, const char *remote, struct iq_map_result *r)
{
	char req[4096];

	snprintf(req, sizeof(req),
		 "Context = $ { Add = $ { Media { Stream = 1 { LocalControl { Mode = SendReceive }"
		 "%s%s%s%s%s%s } } } }",
		 local ? ", Local {\n" : "", local ? local : "", local ? "\n}" : "",
		 remote ? ", Remote {\n" : "", remote ? remote : "", remote ? "\n}" : "");
	return iq_map_stream(&arena, stream_of(req), NULL, SEC_SUITE_MASK_ALL, r);
}

static void
hex_fp(const char *hex, struct sec_fp *fp)
{
	unsigned int i, b;

	memset(fp, 0, sizeof(*fp));
	fp->hash = SEC_FP_SHA256;
	fp->len = 32;
	for (i = 0; i < 32; i++) {
		sscanf(hex + 3 * i, "%2x", &b);
		fp->md[i] = (uint8_t)b;
	}
}

/* What control reports for the access termination of §3.13 (f). */
static void
access_info(struct ctl_term_info *info, enum ctl_transport tr)
{
	memset(info, 0, sizeof(*info));
	info->transport = tr;
	info->local.family = AF_INET;
	inet_pton(AF_INET, "203.0.113.20", &info->local.a.v4);
	info->local_port = 31000;
	info->msrp.setup = CTL_SETUP_PASSIVE;
	if (tr == CTL_TR_MSRP_TLS) {
		info->msrp.has_fp = true;
		hex_fp(OUR_FP, &info->msrp.fp);
		snprintf(info->msrp.path, sizeof(info->msrp.path), "%s", OUR_PATH);
	} else {
		snprintf(info->msrp.path, sizeof(info->msrp.path),
			 "msrp://203.0.113.20:31000/AAECAwQFBgcICQoL;tcp");
	}
}

static void
expect_text(struct iq_str got, const char *want)
{
	CU_ASSERT_EQUAL(got.len, strlen(want));
	if (got.len != strlen(want) || memcmp(got.p, want, got.len) != 0) {
		fprintf(stderr, "\n--- got\n%.*s\n--- want\n%s\n", (int)got.len, got.p, want);
		CU_FAIL("reply text");
	}
}

/* SPEC.md §3.13 (f), access: the UE offered actpass with one SHA-256
 * fingerprint; the MGC asks us to be passive and for our fingerprint. */
static void
test_access_add(void)
{
	static const char local[] = "v=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\n"
				    "a=setup:passive\na=fingerprint:SHA-256 $\n"
				    "a=accept-types:message/cpim text/plain\na=msrp-cema\n"
				    "a=3ge2ae:requested\na=path:$";
	static const char remote[] = "v=0\nc=IN IP4 198.51.100.7\nm=message 50000 TCP/TLS/MSRP *\n"
				     "a=setup:actpass\na=fingerprint:SHA-256 " UE_FP "\n"
				     "a=accept-types:message/cpim text/plain\n"
				     "a=path:msrps://198.51.100.7:50000/kjh3k4;tcp\na=msrp-cema";
	struct ctl_term_info info;
	struct iq_map_result r;
	struct sec_fp ue;
	struct iq_str out;

	CU_ASSERT_EQUAL_FATAL(map_add(local, remote, &r), 0);
	CU_ASSERT_EQUAL(r.spec.transport, CTL_TR_MSRP_TLS);
	CU_ASSERT_EQUAL(r.spec.realm, CFG_PORT_ACCESS);
	CU_ASSERT_EQUAL(r.spec.remote.family, AF_INET);
	CU_ASSERT_EQUAL(r.spec.remote.a.v4.s_addr, inet_addr("198.51.100.7"));
	CU_ASSERT_EQUAL(r.spec.remote_port, 50000);
	CU_ASSERT_EQUAL(r.spec.msrp.setup, CTL_SETUP_ACTPASS);
	CU_ASSERT_EQUAL(r.spec.msrp.local_setup, CTL_SETUP_PASSIVE);
	CU_ASSERT_EQUAL_FATAL(r.spec.msrp.n_fp, 1);
	hex_fp(UE_FP, &ue);
	CU_ASSERT(sec_fp_equal(&r.spec.msrp.fp[0], &ue));
	CU_ASSERT_STRING_EQUAL(r.spec.msrp.path, "msrps://198.51.100.7:50000/kjh3k4;tcp");
	CU_ASSERT_TRUE(r.spec.msrp.cema);
	CU_ASSERT_FALSE(r.spec.rtcp_mux);
	CU_ASSERT_EQUAL(r.spec.n_local_keys, 0);
	CU_ASSERT_FALSE(r.spec.has_rx_key);
	CU_ASSERT_STRING_EQUAL(r.media, "message");
	CU_ASSERT_STRING_EQUAL(r.fmts, "*");

	/* The reply: our address, port, role, fingerprint and path; the MGC's
	 * accept-types, msrp-cema and 3ge2ae echoed as given. */
	access_info(&info, CTL_TR_MSRP_TLS);
	CU_ASSERT_EQUAL_FATAL(iq_map_local_reply(&arena, r.local, r.lmedia, &info, r.media, r.fmts,
						 NULL, &out), 0);
	expect_text(out, "v=0\nc=IN IP4 203.0.113.20\nm=message 31000 TCP/TLS/MSRP *\n"
			 "a=setup:passive\na=fingerprint:SHA-256 " OUR_FP "\n"
			 "a=accept-types:message/cpim text/plain\na=msrp-cema\n"
			 "a=3ge2ae:requested\na=path:" OUR_PATH);
	iq_map_result_clear(&r);
}

/* The MGC named neither a=setup nor a=fingerprint nor a=path: we add all
 * three (the UE needs our fingerprint to authenticate us); a second
 * fingerprint line, a SHA-1 request, collapses to our one SHA-256 line. */
static void
test_access_lines_added(void)
{
	struct ctl_term_info info;
	struct iq_map_result r;
	struct iq_str out;

	CU_ASSERT_EQUAL_FATAL(map_add("v=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\n"
				      "a=accept-types:text/plain",
				      NULL, &r),
			      0);
	CU_ASSERT_EQUAL(r.spec.msrp.local_setup, CTL_SETUP_NONE);
	access_info(&info, CTL_TR_MSRP_TLS);
	CU_ASSERT_EQUAL_FATAL(iq_map_local_reply(&arena, r.local, r.lmedia, &info, r.media, r.fmts,
						 NULL, &out), 0);
	expect_text(out, "v=0\nc=IN IP4 203.0.113.20\nm=message 31000 TCP/TLS/MSRP *\n"
			 "a=accept-types:text/plain\na=setup:passive\n"
			 "a=fingerprint:SHA-256 " OUR_FP "\na=path:" OUR_PATH);
	iq_map_result_clear(&r);

	CU_ASSERT_EQUAL_FATAL(map_add("v=0\nc=IN IP4 $\nm=message $ TCP/TLS/MSRP *\n"
				      "a=fingerprint:SHA-1 $\na=fingerprint:SHA-256 $\na=setup:actpass",
				      NULL, &r),
			      0);
	/* actpass in Local: ours to decide. */
	CU_ASSERT_EQUAL(r.spec.msrp.local_setup, CTL_SETUP_NONE);
	info.msrp.setup = CTL_SETUP_ACTIVE;
	CU_ASSERT_EQUAL_FATAL(iq_map_local_reply(&arena, r.local, r.lmedia, &info, r.media, r.fmts,
						 NULL, &out), 0);
	expect_text(out, "v=0\nc=IN IP4 203.0.113.20\nm=message 31000 TCP/TLS/MSRP *\n"
			 "a=fingerprint:SHA-256 " OUR_FP "\na=setup:active\na=path:" OUR_PATH);
	iq_map_result_clear(&r);
}

/* The core leg: TCP/MSRP, realm core by default, no fingerprint; the UE's
 * side passive (port 9 when active, RFC 4145) and an IPv6 local. */
static void
test_core(void)
{
	struct ctl_term_info info;
	struct iq_map_result r;
	struct iq_str out;

	CU_ASSERT_EQUAL_FATAL(map_add("v=0\nc=IN IP6 $\nm=message $ TCP/MSRP *",
				      "v=0\nc=IN IP4 192.0.2.99\nm=message 9 TCP/MSRP *\n"
				      "a=setup:active\na=path:msrp://192.0.2.99:9/x1;tcp",
				      &r),
			      0);
	CU_ASSERT_EQUAL(r.spec.transport, CTL_TR_MSRP);
	CU_ASSERT_EQUAL(r.spec.realm, CFG_PORT_CORE);
	CU_ASSERT_EQUAL(r.spec.family, AF_INET6);
	CU_ASSERT_EQUAL(r.spec.remote_port, 9);
	CU_ASSERT_EQUAL(r.spec.msrp.setup, CTL_SETUP_ACTIVE);
	CU_ASSERT_EQUAL(r.spec.msrp.n_fp, 0);
	CU_ASSERT_FALSE(r.spec.msrp.cema);
	memset(&info, 0, sizeof(info));
	info.transport = CTL_TR_MSRP;
	info.local.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8:c::1", &info.local.a.v6);
	info.local_port = 41000;
	info.msrp.setup = CTL_SETUP_PASSIVE;
	snprintf(info.msrp.path, sizeof(info.msrp.path), "msrp://[2001:db8:c::1]:41000/s1d;tcp");
	CU_ASSERT_EQUAL_FATAL(iq_map_local_reply(&arena, r.local, r.lmedia, &info, r.media, r.fmts,
						 NULL, &out), 0);
	expect_text(out, "v=0\nc=IN IP6 2001:db8:c::1\nm=message 41000 TCP/MSRP *\n"
			 "a=setup:passive\na=path:msrp://[2001:db8:c::1]:41000/s1d;tcp");
	/* Without the request's Local (an audit): built from control's state. */
	CU_ASSERT_EQUAL_FATAL(iq_map_local_reply(&arena, NULL, NULL, &info, NULL, NULL, NULL, &out), 0);
	expect_text(out, "v=0\nc=IN IP6 2001:db8:c::1\nm=message 41000 TCP/MSRP *\n"
			 "a=setup:passive\na=path:msrp://[2001:db8:c::1]:41000/s1d;tcp");
	access_info(&info, CTL_TR_MSRP_TLS);
	CU_ASSERT_EQUAL_FATAL(iq_map_local_reply(&arena, NULL, NULL, &info, "message", "*", NULL,
						 &out), 0);
	expect_text(out, "v=0\nc=IN IP4 203.0.113.20\nm=message 31000 TCP/TLS/MSRP *\n"
			 "a=setup:passive\na=fingerprint:SHA-256 " OUR_FP "\na=path:" OUR_PATH);
	iq_map_result_clear(&r);
}

/* Several fingerprints, hashes other than SHA-256, a session-level one. */
static void
test_fingerprints(void)
{
	struct iq_map_result r;

	CU_ASSERT_EQUAL_FATAL(
		map_add(NULL,
			"v=0\nc=IN IP4 198.51.100.7\nm=message 50000 TCP/TLS/MSRP *\n"
			"a=fingerprint:sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33\n"
			"a=fingerprint:SHA-256 " UE_FP "\na=setup:passive",
			&r),
		0);
	CU_ASSERT_EQUAL(r.spec.msrp.n_fp, 2);
	CU_ASSERT_EQUAL(r.spec.msrp.fp[0].hash, SEC_FP_SHA1);
	CU_ASSERT_EQUAL(r.spec.msrp.fp[0].len, 20);
	CU_ASSERT_EQUAL(r.spec.msrp.fp[1].hash, SEC_FP_SHA256);
	CU_ASSERT_EQUAL(r.spec.msrp.setup, CTL_SETUP_PASSIVE);
	CU_ASSERT_EQUAL(r.spec.msrp.path[0], '\0');
	iq_map_result_clear(&r);
	CU_ASSERT_EQUAL_FATAL(map_add(NULL,
				      "v=0\nc=IN IP4 198.51.100.7\na=fingerprint:SHA-256 " UE_FP
				      "\nm=message 50000 TCP/TLS/MSRP *",
				      &r),
			      0);
	CU_ASSERT_EQUAL(r.spec.msrp.n_fp, 1);
	iq_map_result_clear(&r);
}

/* Each refusal, with its code and reason. */
static void
test_refused(void)
{
	static const struct {
		const char *remote;
		uint16_t code;
		const char *reason;
	} bad[] = {
		{ "m=message 50000 TCP/TLS/MSRP *\na=fingerprint:MD5 "
		  "AD:F4:6B:C7:DC:E6:28:8A:F6:E4:77:A3:C7:88:AB:28",
		  449, "a=fingerprint: MD5, MD2 or unknown hash refused (RFC 8122)" },
		{ "m=message 50000 TCP/TLS/MSRP *\na=fingerprint:md2 "
		  "AD:F4:6B:C7:DC:E6:28:8A:F6:E4:77:A3:C7:88:AB:28",
		  449, "a=fingerprint: MD5, MD2 or unknown hash refused (RFC 8122)" },
		{ "m=message 50000 TCP/TLS/MSRP *\na=fingerprint:SHA-256 AD:F4:6B",
		  449, "a=fingerprint: malformed" },
		{ "m=message 50000 TCP/TLS/MSRP *\na=fingerprint:SHA-256 " UE_FP "\n"
		  "a=fingerprint:SHA-256 " UE_FP "\na=fingerprint:SHA-256 " UE_FP "\n"
		  "a=fingerprint:SHA-256 " UE_FP "\na=fingerprint:SHA-256 " UE_FP,
		  449, "a=fingerprint: too many lines" },
		{ "m=message 50000 TCP/TLS/MSRP *", 449,
		  "TCP/TLS/MSRP Remote without a=fingerprint" },
		{ "m=message 50000 TCP/MSRP *\na=fingerprint:SHA-256 " UE_FP, 449,
		  "a=fingerprint with TCP/MSRP" },
		{ "m=message 50000 TCP/TLS/MSRP *\na=fingerprint:SHA-256 " UE_FP "\na=setup:sideways",
		  449, "Remote a=setup: unknown value" },
		{ "m=message 50000 TCP/TLS/MSRP *\na=fingerprint:SHA-256 " UE_FP "\na=path:http://x/y",
		  449, "a=path: malformed or too long" },
		{ "m=message 50000 TCP/TLS/MSRP *\na=fingerprint:SHA-256 " UE_FP
		  "\na=path:msrps://a:1/x;tcp  msrp://b:2/y;tcp",
		  449, "a=path: malformed or too long" },
		{ "m=message 50000 TCP/TLS/SCTP/MSRP *", 515, "unsupported media transport" },
	};
	struct iq_map_result r;
	char remote[1024];
	unsigned int i;

	for (i = 0; i < RTE_DIM(bad); i++) {
		snprintf(remote, sizeof(remote), "v=0\nc=IN IP4 198.51.100.7\n%s", bad[i].remote);
		CU_ASSERT_EQUAL(map_add(NULL, remote, &r), -EINVAL);
		CU_ASSERT_EQUAL(r.code, bad[i].code);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r.reason);
		if (strcmp(r.reason, bad[i].reason) != 0)
			fprintf(stderr, "\ncase %u: %s\n", i, r.reason);
		CU_ASSERT_STRING_EQUAL(r.reason, bad[i].reason);
		iq_map_result_clear(&r);
	}
	CU_ASSERT_EQUAL(map_add("v=0\nc=IN IP4 $\nm=message $ TCP/MSRP *\na=fingerprint:SHA-256 $",
				NULL, &r),
			-EINVAL);
	CU_ASSERT_EQUAL(r.code, 449);
	CU_ASSERT_EQUAL(map_add("v=0\nc=IN IP4 $\nm=message $ TCP/MSRP *\na=setup:maybe", NULL, &r),
			-EINVAL);
	CU_ASSERT_EQUAL(r.code, 449);
	/* A rejected stream (port 0) needs no fingerprint. */
	CU_ASSERT_EQUAL(map_add(NULL, "v=0\nc=IN IP4 198.51.100.7\nm=message 0 TCP/TLS/MSRP *", &r),
			0);
	CU_ASSERT_EQUAL(r.spec.remote.family, 0);
	iq_map_result_clear(&r);
}

/* A re-INVITE: Modify with a new Remote only. The Remote's setup, path,
 * cema and fingerprints are replaced; our own setup (Local) is untouched,
 * and so is the transport's kind. */
static void
test_modify_remote(void)
{
	struct ctl_term_info cur;
	struct iq_map_result r;

	access_info(&cur, CTL_TR_MSRP_TLS);
	cur.realm = CFG_PORT_ACCESS;
	CU_ASSERT_EQUAL_FATAL(
		iq_map_stream(&arena,
			      stream_of("Context = 7 { Modify = ip/access/1 { Media { Stream = 1 { "
					"Remote {\nv=0\nc=IN IP4 198.51.100.8\nm=message 50002 "
					"TCP/TLS/MSRP *\na=fingerprint:SHA-384 "
					"00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:"
					"18:19:1A:1B:1C:1D:1E:1F:20:21:22:23:24:25:26:27:28:29:2A:2B:2C:2D:2E:2F"
					"\n} } } } }"),
			      &cur, SEC_SUITE_MASK_ALL, &r),
		0);
	CU_ASSERT(r.spec.set & CTL_SET_REMOTE);
	CU_ASSERT(r.spec.set & CTL_SET_MSRP_FP);
	CU_ASSERT(r.spec.set & CTL_SET_MSRP_SETUP);
	CU_ASSERT(r.spec.set & CTL_SET_MSRP_PATH);
	CU_ASSERT(r.spec.set & CTL_SET_MSRP_CEMA);
	CU_ASSERT_FALSE(r.spec.set & CTL_SET_MSRP_LSETUP);
	CU_ASSERT_FALSE(r.spec.set & CTL_SET_RTCP_MUX);
	CU_ASSERT_EQUAL(r.spec.transport, CTL_TR_MSRP_TLS);
	CU_ASSERT_EQUAL(r.spec.msrp.n_fp, 1);
	CU_ASSERT_EQUAL(r.spec.msrp.fp[0].hash, SEC_FP_SHA384);
	CU_ASSERT_EQUAL(r.spec.msrp.setup, CTL_SETUP_NONE);
	CU_ASSERT_EQUAL(r.spec.remote_port, 50002);
	iq_map_result_clear(&r);
	/* Mode only: nothing but the mode. */
	CU_ASSERT_EQUAL_FATAL(
		iq_map_stream(&arena,
			      stream_of("Context = 7 { Modify = ip/access/1 { Media { Stream = 1 { "
					"LocalControl { Mode = Inactive } } } } }"),
			      &cur, SEC_SUITE_MASK_ALL, &r),
		0);
	CU_ASSERT_EQUAL(r.spec.set, CTL_SET_MODE);
	CU_ASSERT_EQUAL(r.spec.mode, CTL_MODE_INACTIVE);
	iq_map_result_clear(&r);
}

/* What imsagw-mgc sends for an MSRP call and a re-INVITE maps as meant. */
static void
test_mgc_requests(void)
{
	static char req[8192];
	struct iq_mgc_msrp c = { .ue = "198.51.100.7:9", .ue_fp = { "SHA-256 " UE_FP },
				 .ue_setup = "active", .core = "192.0.2.99:7000",
				 .mode = "SendReceive", .latch = true, .events = true };
	const struct h248_command *cmd;
	struct ctl_term_info cur;
	struct iq_map_result r;
	struct h248_error err;
	char text[9000];
	int n;

	CU_ASSERT_FATAL(iq_mgc_msrp_actions(req, sizeof(req), &c) > 0);
	n = snprintf(text, sizeof(text), "MEGACO/3 [192.0.2.1]:2944\nTransaction = 1 { %s }", req);
	iq_arena_init(&arena, mem, sizeof(mem));
	CU_ASSERT_EQUAL_FATAL(h248_decode(text, (size_t)n, &arena, NULL, &msg, &err), 0);
	cmd = msg->txns->actions->cmds;
	CU_ASSERT_EQUAL_FATAL(iq_map_stream(&arena, cmd->descs->u.media.streams, NULL,
					    SEC_SUITE_MASK_ALL, &r), 0);
	CU_ASSERT_EQUAL(r.spec.transport, CTL_TR_MSRP_TLS);
	CU_ASSERT_EQUAL(r.spec.realm, CFG_PORT_ACCESS);
	CU_ASSERT_TRUE(r.spec.latch);
	CU_ASSERT_EQUAL(r.spec.msrp.setup, CTL_SETUP_ACTIVE);
	CU_ASSERT_EQUAL(r.spec.msrp.local_setup, CTL_SETUP_NONE);
	CU_ASSERT_EQUAL(r.spec.msrp.n_fp, 1);
	CU_ASSERT_TRUE(r.spec.msrp.cema);
	CU_ASSERT_STRING_EQUAL(r.spec.msrp.path, "msrps://198.51.100.7:9/ue;tcp");
	iq_map_result_clear(&r);
	CU_ASSERT_EQUAL_FATAL(iq_map_stream(&arena, cmd->next->descs->u.media.streams, NULL,
					    SEC_SUITE_MASK_ALL, &r), 0);
	CU_ASSERT_EQUAL(r.spec.transport, CTL_TR_MSRP);
	CU_ASSERT_EQUAL(r.spec.realm, CFG_PORT_CORE);
	CU_ASSERT_EQUAL(r.spec.remote_port, 7000);
	CU_ASSERT_EQUAL(r.spec.msrp.setup, CTL_SETUP_PASSIVE);
	iq_map_result_clear(&r);
	/* Both request the three events. */
	CU_ASSERT_EQUAL(cmd->descs->next->type, H248_DESC_EVENTS);
	CU_ASSERT_EQUAL(cmd->descs->next->u.events.n_events, 3);

	CU_ASSERT_EQUAL(iq_mgc_msrp_modify(req, sizeof(req), 7, "ip/access/1", true,
					   "198.51.100.8:9", NULL, NULL, "SendReceive"), -EINVAL);
	CU_ASSERT_FATAL(iq_mgc_msrp_modify(req, sizeof(req), 7, "ip/access/1", true,
					   "198.51.100.8:9", "SHA-256 " UE_FP, "active",
					   "SendReceive") > 0);
	n = snprintf(text, sizeof(text), "MEGACO/3 [192.0.2.1]:2944\nTransaction = 1 { %s }", req);
	iq_arena_init(&arena, mem, sizeof(mem));
	CU_ASSERT_EQUAL_FATAL(h248_decode(text, (size_t)n, &arena, NULL, &msg, &err), 0);
	access_info(&cur, CTL_TR_MSRP_TLS);
	CU_ASSERT_EQUAL_FATAL(iq_map_stream(&arena, msg->txns->actions->cmds->descs->u.media.streams,
					    &cur, SEC_SUITE_MASK_ALL, &r), 0);
	CU_ASSERT_EQUAL(r.spec.remote.a.v4.s_addr, inet_addr("198.51.100.8"));
	CU_ASSERT_EQUAL(r.spec.msrp.n_fp, 1);
	iq_map_result_clear(&r);
}

int
main(void)
{
	static const struct iq_test tests[] = {
		TEST(test_access_add),	     TEST(test_access_lines_added), TEST(test_core),
		TEST(test_fingerprints),     TEST(test_refused),	    TEST(test_modify_remote),
		TEST(test_mgc_requests),
	};

	return run_suite("iq_map_msrp", tests, sizeof(tests) / sizeof(tests[0]));
}
