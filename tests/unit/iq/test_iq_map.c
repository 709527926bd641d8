/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CUnit: iq_map (H.248 stream -> ctl_term_spec, e2ae SDES key rules of
 * SPEC.md §3.5, reply Local SDP, errno -> H.248.8 codes).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <CUnit/Basic.h>

#include "iq.h"
#include "iq_map.h"
#include "iq_test_util.h"

static uint64_t mem[1 << 15];
static struct iq_arena arena;
static struct h248_message *msg;

#define UE_KEY1 "EBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywt"
#define UE_KEY2 "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xd"

/* The first stream of the first command of a request. */
static const struct h248_stream *
stream_of(const char *actions)
{
	return iq_test_stream(&arena, mem, sizeof(mem), &msg, actions);
}

static void
test_errno(void)
{
	CU_ASSERT_EQUAL(iq_map_errno(-ENOENT, false), 411);
	CU_ASSERT_EQUAL(iq_map_errno(-ESRCH, false), 430);
	CU_ASSERT_EQUAL(iq_map_errno(-ESRCH, true), 435);
	CU_ASSERT_EQUAL(iq_map_errno(-ENOSPC, false), 510);
	CU_ASSERT_EQUAL(iq_map_errno(-EADDRNOTAVAIL, false), 510);
	CU_ASSERT_EQUAL(iq_map_errno(-E2BIG, false), 434);
	CU_ASSERT_EQUAL(iq_map_errno(-ENOTSUP, false), 501);
	CU_ASSERT_EQUAL(iq_map_errno(-EINVAL, false), 449);
	CU_ASSERT_EQUAL(iq_map_errno(-EIO, false), 500);
}

/* ipdc/realm values go through control's spec builder. */
static void
test_realm(void)
{
	struct ctl_term_spec s;

	ctl_spec_init(&s);
	CU_ASSERT_EQUAL(ctl_spec_realm(&s, "access1", 7), 0);
	CU_ASSERT_EQUAL(s.realm, CFG_PORT_ACCESS);
	CU_ASSERT_EQUAL(ctl_spec_realm(&s, "CORE", 4), 0);
	CU_ASSERT_EQUAL(s.realm, CFG_PORT_CORE);
	CU_ASSERT_EQUAL(ctl_spec_realm(&s, "mars", 4), -EINVAL);
}

/* Plain RTP: realm, mode, latch, filter, family, remote, rtcp port. */
static void
test_rtp_add(void)
{
	const struct h248_stream *st = stream_of(
		"Context = $ { Add = $ { Media { Stream = 1 { LocalControl { Mode = ReceiveOnly, "
		"ipdc/realm = \"core\", ipnapt/latch = ON, gm/saf = ON }, "
		"Local {\nv=0\nc=IN IP6 $\nm=audio $ RTP/AVP 0\n}, "
		"Remote {\nv=0\nc=IN IP4 198.51.100.7\nm=audio 49170 RTP/AVP 0\na=rtcp:49999\n} } } } }");
	struct ctl_term_info info = { .local_port = 30000 };
	struct iq_map_result r;
	struct iq_str out;

	CU_ASSERT_EQUAL_FATAL(iq_map_stream(&arena, st, NULL, SEC_SUITE_MASK_ALL, &r), 0);
	CU_ASSERT_EQUAL(r.spec.set, CTL_SET_ALL);
	CU_ASSERT_EQUAL(r.spec.realm, CFG_PORT_CORE);
	CU_ASSERT_EQUAL(r.spec.mode, CTL_MODE_RECVONLY);
	CU_ASSERT_TRUE(r.spec.latch);
	CU_ASSERT_TRUE(r.spec.src_filter);
	CU_ASSERT_EQUAL(r.spec.family, AF_INET6);
	CU_ASSERT_EQUAL(r.spec.transport, CTL_TR_RTP);
	CU_ASSERT_EQUAL(r.spec.remote.family, AF_INET);
	CU_ASSERT_EQUAL(r.spec.remote.a.v4.s_addr, inet_addr("198.51.100.7"));
	CU_ASSERT_EQUAL(r.spec.remote_port, 49170);
	CU_ASSERT_EQUAL(r.spec.remote_rtcp_port, 49999);
	CU_ASSERT_FALSE(r.spec.rtcp_mux);
	info.local.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8:c::1", &info.local.a.v6);
	CU_ASSERT_EQUAL_FATAL(iq_map_local_reply(&arena, r.local, r.lmedia, &info, r.media, r.fmts,
						 NULL, &out), 0);
	CU_ASSERT_EQUAL(out.len, strlen("v=0\nc=IN IP6 2001:db8:c::1\nm=audio 30000 RTP/AVP 0"));
	CU_ASSERT_EQUAL(memcmp(out.p, "v=0\nc=IN IP6 2001:db8:c::1\nm=audio 30000 RTP/AVP 0", out.len), 0);
	iq_map_result_clear(&r);
}

static void
test_errors(void)
{
	struct iq_map_result r;

	/* Unknown realm: 449; unknown property: 445; crypto on AVP: 449. */
	CU_ASSERT_EQUAL(iq_map_stream(&arena, stream_of("Context = $ { Add = $ { Media { Stream = 1 { "
				"LocalControl { ipdc/realm = \"mars\" } } } } }"), NULL, SEC_SUITE_MASK_ALL, &r), -EINVAL);
	CU_ASSERT_EQUAL(r.code, 449);
	CU_ASSERT_EQUAL(iq_map_stream(&arena, stream_of("Context = $ { Add = $ { Media { Stream = 1 { "
				"LocalControl { foo/bar = 1 } } } } }"), NULL, SEC_SUITE_MASK_ALL, &r), -EINVAL);
	CU_ASSERT_EQUAL(r.code, 445);
	CU_ASSERT_EQUAL(iq_map_stream(&arena, stream_of("Context = $ { Add = $ { Media { Stream = 1 { "
				"Local {\nv=0\nc=IN IP4 $\nm=audio $ RTP/AVP 0\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$\n} } } } }"),
				NULL, SEC_SUITE_MASK_ALL, &r), -EINVAL);
	CU_ASSERT_EQUAL(r.code, 449);
	/* Remote address must be given. */
	CU_ASSERT_EQUAL(iq_map_stream(&arena, stream_of("Context = $ { Add = $ { Media { Stream = 1 { "
				"Remote {\nv=0\nc=IN IP4 $\nm=audio 5004 RTP/AVP 0\n} } } } }"),
				NULL, SEC_SUITE_MASK_ALL, &r), -EINVAL);
	CU_ASSERT_EQUAL(r.code, 449);
}

/* e2e (SPEC.md §1.6): SAVP without Local crypto or a=3ge2ae is relayed. */
static void
test_e2e(void)
{
	struct iq_map_result r;

	CU_ASSERT_EQUAL_FATAL(iq_map_stream(&arena, stream_of("Context = $ { Add = $ { Media { Stream = 1 { "
				"Local {\nv=0\nc=IN IP4 $\nm=audio $ RTP/SAVP 0\n}, "
				"Remote {\nv=0\nc=IN IP4 192.0.2.2\nm=audio 5004 RTP/SAVP 0\n} } } } }"),
				NULL, SEC_SUITE_MASK_ALL, &r), 0);
	CU_ASSERT_EQUAL(r.spec.transport, CTL_TR_SRTP_E2E);
	CU_ASSERT_EQUAL(r.spec.realm, CFG_PORT_ACCESS);
	CU_ASSERT_FALSE(r.spec.has_rx_key);
	CU_ASSERT_EQUAL(r.spec.n_local_keys, 0);
	iq_map_result_clear(&r);
}

/* Originating (SPEC.md §1.4, §3.13 (b)): Remote = UE key (rx), Local
 * CHOOSE (ours: left for control to generate, same tag and suite). */
static void
test_e2ae_originating(void)
{
	const struct h248_stream *st = stream_of(
		"Context = $ { Add = $ { Media { Stream = 1 { LocalControl { ipdc/realm = \"access1\" }, "
		"Local {\nv=0\nc=IN IP4 $\nm=audio $ RTP/SAVP 96\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$\n}, "
		"Remote {\nv=0\nc=IN IP4 198.51.100.7\nm=audio 49170 RTP/SAVP 96\n"
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" UE_KEY1 "\n"
		"a=crypto:2 AEAD_AES_128_GCM inline:QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaWw==\n} } } } }");
	struct ctl_term_info info = { .local_port = 20000, .transport = CTL_TR_SRTP_E2AE };
	struct iq_map_result r;
	struct iq_map_keys keys;
	struct sdes_crypto ue, gw;
	char want[SDES_LINE_MAX + 128];
	struct iq_str out;

	CU_ASSERT_EQUAL_FATAL(iq_map_stream(&arena, st, NULL, SEC_SUITE_MASK_ALL, &r), 0);
	CU_ASSERT_EQUAL(r.spec.transport, CTL_TR_SRTP_E2AE);
	CU_ASSERT_TRUE_FATAL(r.spec.has_rx_key);
	CU_ASSERT_EQUAL(sdes_parse("1 AES_CM_128_HMAC_SHA1_80 inline:" UE_KEY1,
				   strlen("1 AES_CM_128_HMAC_SHA1_80 inline:" UE_KEY1), SEC_SUITE_MASK_ALL, &ue, NULL), 0);
	CU_ASSERT_EQUAL(memcmp(r.spec.rx_key.key, ue.key, 16), 0);
	CU_ASSERT_EQUAL(memcmp(r.spec.rx_key.salt, ue.salt, 14), 0);
	CU_ASSERT_EQUAL(r.spec.rx_key.tag, 1);
	/* Ours: one CHOOSE line, tag 1, the suite asked for, no key yet. */
	CU_ASSERT_EQUAL_FATAL(r.spec.n_local_keys, 1);
	CU_ASSERT_TRUE(r.spec.local_keys[0].choose);
	CU_ASSERT_EQUAL(r.spec.local_keys[0].tag, 1);
	CU_ASSERT_EQUAL(r.spec.local_keys[0].suite, SEC_SUITE_AES_CM_128_HMAC_SHA1_80);
	/* The reply's Local carries the key control chose, by tag. */
	memset(&keys, 0, sizeof(keys));
	CU_ASSERT_EQUAL_FATAL(sdes_generate(SEC_SUITE_AES_CM_128_HMAC_SHA1_80, &ue, &gw), 0);
	CU_ASSERT_TRUE_FATAL(sdes_format(&gw, keys.line[0], sizeof(keys.line[0])) > 0);
	keys.tag[0] = 1;
	keys.n = 1;
	info.local.family = AF_INET;
	info.local.a.v4.s_addr = inet_addr("192.0.2.1");
	CU_ASSERT_EQUAL_FATAL(iq_map_local_reply(&arena, r.local, r.lmedia, &info, r.media, r.fmts,
						 &keys, &out), 0);
	snprintf(want, sizeof(want), "v=0\nc=IN IP4 192.0.2.1\nm=audio 20000 RTP/SAVP 96\na=crypto:%s",
		 keys.line[0]);
	CU_ASSERT_EQUAL(out.len, strlen(want));
	CU_ASSERT_EQUAL(memcmp(out.p, want, out.len), 0);
	/* Without a Local in the request: a minimal one with the keys. */
	CU_ASSERT_EQUAL_FATAL(iq_map_local_reply(&arena, NULL, NULL, &info, "audio", "96", &keys,
						 &out), 0);
	snprintf(want, sizeof(want), "v=0\nc=IN IP4 192.0.2.1\nm=audio 20000 RTP/SAVP 96\na=crypto:%s",
		 keys.line[0]);
	CU_ASSERT_EQUAL(out.len, strlen(want));
	CU_ASSERT_EQUAL(memcmp(out.p, want, out.len), 0);
	iq_map_keys_clear(&keys);
	sdes_crypto_clear(&ue);
	sdes_crypto_clear(&gw);
	iq_map_result_clear(&r);
}

#define GCM_KEY "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaWw=="

/* A Modify whose Remote carries one a=crypto line, mapped against cur. */
static int
modify_remote(const struct ctl_term_info *cur, const char *crypto, struct iq_map_result *r)
{
	char req[512];

	snprintf(req, sizeof(req), "Context = 1 { Modify = t { Media { Stream = 1 { "
		 "Remote {\nv=0\nc=IN IP4 192.0.2.2\nm=audio 5004 RTP/SAVP 0\n"
		 "a=crypto:%s\n} } } } }", crypto);
	return iq_map_stream(&arena, stream_of(req), cur, SEC_SUITE_MASK_ALL, r);
}

/* Terminating (SPEC.md §1.5): Add offers two CHOOSE lines; the Modify
 * with the UE's answer (tag 2) carries only the UE's key: a delta, bound
 * by tag against the Local keys control reports (tags and suites). */
static void
test_e2ae_terminating(void)
{
	struct ctl_term_info cur = { .realm = CFG_PORT_ACCESS, .transport = CTL_TR_SRTP_E2AE,
				     .n_local_keys = 2, .local_tag = { 1, 2 },
				     .local_suite = { SEC_SUITE_AEAD_AES_128_GCM,
						      SEC_SUITE_AES_CM_128_HMAC_SHA1_80 } };
	struct iq_map_result r, r2;

	CU_ASSERT_EQUAL_FATAL(iq_map_stream(&arena, stream_of("Context = $ { Add = $ { Media { Stream = 1 { "
				"Local {\nv=0\nc=IN IP4 $\nm=audio $ RTP/SAVP 0\n"
				"a=crypto:1 AEAD_AES_128_GCM inline:$\na=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:$\n} } } } }"),
				NULL, SEC_SUITE_MASK_ALL, &r), 0);
	CU_ASSERT_EQUAL(r.spec.transport, CTL_TR_SRTP_E2AE);
	CU_ASSERT_EQUAL_FATAL(r.spec.n_local_keys, 2);
	CU_ASSERT_FALSE(r.spec.has_rx_key);
	CU_ASSERT_EQUAL(r.spec.local_keys[0].suite, SEC_SUITE_AEAD_AES_128_GCM);
	CU_ASSERT_EQUAL(r.spec.local_keys[1].tag, 2);
	CU_ASSERT_TRUE(r.spec.local_keys[0].choose && r.spec.local_keys[1].choose);

	/* Suite differs for the bound tag: 449. */
	CU_ASSERT_EQUAL(modify_remote(&cur, "2 AEAD_AES_128_GCM inline:" GCM_KEY, &r2), -EINVAL);
	CU_ASSERT_EQUAL(r2.code, 449);
	iq_map_result_clear(&r2);
	/* A tag we never offered: 449. */
	CU_ASSERT_EQUAL(modify_remote(&cur, "7 AES_CM_128_HMAC_SHA1_80 inline:" UE_KEY2, &r2), -EINVAL);
	CU_ASSERT_EQUAL(r2.code, 449);
	iq_map_result_clear(&r2);
	/* The answer binds tag 2: the delta names the remote and its key
	 * only; our keys stay control's. */
	CU_ASSERT_EQUAL_FATAL(modify_remote(&cur, "2 AES_CM_128_HMAC_SHA1_80 inline:" UE_KEY2, &r2), 0);
	CU_ASSERT_TRUE(r2.spec.has_rx_key);
	CU_ASSERT_EQUAL(r2.spec.rx_key.tag, 2);
	CU_ASSERT_EQUAL(r2.spec.set, CTL_SET_REMOTE | CTL_SET_RTCP_MUX | CTL_SET_TRANSPORT |
				     CTL_SET_RX_KEY);
	CU_ASSERT_EQUAL(r2.spec.n_local_keys, 0);
	CU_ASSERT_EQUAL(r2.spec.remote_port, 5004);
	iq_map_result_clear(&r2);
	/* A Modify of the mode alone changes the mode alone. */
	CU_ASSERT_EQUAL_FATAL(iq_map_stream(&arena, stream_of("Context = 1 { Modify = t { Media { Stream = 1 { "
				"LocalControl { Mode = SendOnly } } } } }"),
				&cur, SEC_SUITE_MASK_ALL, &r2), 0);
	CU_ASSERT_EQUAL(r2.spec.set, CTL_SET_MODE);
	CU_ASSERT_EQUAL(r2.spec.mode, CTL_MODE_SENDONLY);
	iq_map_result_clear(&r2);
	iq_map_result_clear(&r);
}

/* Lines the policy rejects (SPEC.md §1.8) are answered with 449; so is a
 * disabled suite and an unknown suite in a CHOOSE line. */
static void
test_e2ae_policy(void)
{
	static const char *const bad[] = {
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" UE_KEY1 " UNENCRYPTED_SRTP",
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" UE_KEY1 " KDR=1",
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" UE_KEY1 " FEC_ORDER=FEC_SRTP",
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:QUJD",
	};
	char req[1024];
	struct iq_map_result r;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(req, sizeof(req), "Context = $ { Add = $ { Media { Stream = 1 { "
			 "Local {\nv=0\nc=IN IP4 $\nm=audio $ RTP/SAVP 0\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$\n}, "
			 "Remote {\nv=0\nc=IN IP4 192.0.2.2\nm=audio 5004 RTP/SAVP 0\n%s\n} } } } }", bad[i]);
		CU_ASSERT_EQUAL(iq_map_stream(&arena, stream_of(req), NULL, SEC_SUITE_MASK_ALL, &r), -EINVAL);
		CU_ASSERT_EQUAL(r.code, 449);
		iq_map_result_clear(&r);
	}
	CU_ASSERT_EQUAL(iq_map_stream(&arena, stream_of("Context = $ { Add = $ { Media { Stream = 1 { "
				"Local {\nv=0\nc=IN IP4 $\nm=audio $ RTP/SAVP 0\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$\n} } } } }"),
				NULL, 1u << SEC_SUITE_AEAD_AES_128_GCM, &r), -EINVAL);
	CU_ASSERT_EQUAL(r.code, 449);
	CU_ASSERT_EQUAL(iq_map_stream(&arena, stream_of("Context = $ { Add = $ { Media { Stream = 1 { "
				"Local {\nv=0\nc=IN IP4 $\nm=audio $ RTP/SAVP 0\na=crypto:1 NO_SUCH_SUITE inline:$\n} } } } }"),
				NULL, SEC_SUITE_MASK_ALL, &r), -EINVAL);
	CU_ASSERT_EQUAL(r.code, 449);
}

int
main(void)
{
	CU_pSuite s;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("iq_map", NULL, NULL);
	CU_add_test(s, "errno", test_errno);
	CU_add_test(s, "realm", test_realm);
	CU_add_test(s, "rtp_add", test_rtp_add);
	CU_add_test(s, "errors", test_errors);
	CU_add_test(s, "e2e", test_e2e);
	CU_add_test(s, "e2ae_originating", test_e2ae_originating);
	CU_add_test(s, "e2ae_terminating", test_e2ae_terminating);
	CU_add_test(s, "e2ae_policy", test_e2ae_policy);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	{
		int fails = (int)CU_get_number_of_failures();

		CU_cleanup_registry();
		return fails ? 1 : 0;
	}
}
