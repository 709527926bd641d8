/* SPDX-License-Identifier: BSD-3-Clause */
/* The example messages of SPEC.md §3.13, verbatim (generated from the spec text). */
#ifndef IMSAGW_H248_EXAMPLES_H
#define IMSAGW_H248_EXAMPLES_H

static const char ex_a_req[] =
	"MEGACO/3 [192.0.2.10]:2944\n"
	"Transaction = 1 {\n"
	"  Context = - {\n"
	"    ServiceChange = ROOT {\n"
	"      Services {\n"
	"        Method = Restart,\n"
	"        Reason = \"901 Cold Boot\",\n"
	"        Version = 3,\n"
	"        Profile = ThreeGIQ/1,\n"
	"        ServiceChangeAddress = 2944\n"
	"      }\n"
	"    }\n"
	"  }\n"
	"}\n";

static const char ex_a_reply[] =
	"MEGACO/3 [192.0.2.1]:2944\n"
	"Reply = 1 {\n"
	"  Context = - {\n"
	"    ServiceChange = ROOT {\n"
	"      Services { Version = 3, Profile = ThreeGIQ/1 }\n"
	"    }\n"
	"  }\n"
	"}\n";

static const char ex_b_req[] =
	"MEGACO/3 [192.0.2.1]:2944\n"
	"Transaction = 1001 {\n"
	"  Context = $ {\n"
	"    Add = $ {\n"
	"      Media {\n"
	"        Stream = 1 {\n"
	"          LocalControl {\n"
	"            Mode = ReceiveOnly,\n"
	"            ipdc/realm = \"access1\"\n"
	"          },\n"
	"          Local {\n"
	"v=0\n"
	"c=IN IP4 $\n"
	"m=audio $ RTP/SAVP 96 97\n"
	"a=rtpmap:96 AMR-WB/16000\n"
	"a=rtpmap:97 telephone-event/16000\n"
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$\n"
	"          },\n"
	"          Remote {\n"
	"v=0\n"
	"c=IN IP4 198.51.100.7\n"
	"m=audio 49170 RTP/SAVP 96 97\n"
	"a=rtpmap:96 AMR-WB/16000\n"
	"a=rtpmap:97 telephone-event/16000\n"
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:EBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywt\n"
	"          }\n"
	"        }\n"
	"      },\n"
	"      Events = 10 { hangterm/thb }\n"
	"    },\n"
	"    Add = $ {\n"
	"      Media {\n"
	"        Stream = 1 {\n"
	"          LocalControl {\n"
	"            Mode = ReceiveOnly,\n"
	"            ipdc/realm = \"core\"\n"
	"          },\n"
	"          Local {\n"
	"v=0\n"
	"c=IN IP4 $\n"
	"m=audio $ RTP/AVP 96 97\n"
	"a=rtpmap:96 AMR-WB/16000\n"
	"a=rtpmap:97 telephone-event/16000\n"
	"          }\n"
	"        }\n"
	"      }\n"
	"    }\n"
	"  }\n"
	"}\n";

static const char ex_c_reply[] =
	"MEGACO/3 [192.0.2.10]:2944\n"
	"Reply = 1001 {\n"
	"  Context = 4711 {\n"
	"    Add = ip/1/access1/17 {\n"
	"      Media {\n"
	"        Stream = 1 {\n"
	"          Local {\n"
	"v=0\n"
	"c=IN IP4 203.0.113.20\n"
	"m=audio 30000 RTP/SAVP 96 97\n"
	"a=rtpmap:96 AMR-WB/16000\n"
	"a=rtpmap:97 telephone-event/16000\n"
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xd\n"
	"          }\n"
	"        }\n"
	"      }\n"
	"    },\n"
	"    Add = ip/1/core/18 {\n"
	"      Media {\n"
	"        Stream = 1 {\n"
	"          Local {\n"
	"v=0\n"
	"c=IN IP4 192.0.2.30\n"
	"m=audio 40000 RTP/AVP 96 97\n"
	"a=rtpmap:96 AMR-WB/16000\n"
	"a=rtpmap:97 telephone-event/16000\n"
	"          }\n"
	"        }\n"
	"      }\n"
	"    }\n"
	"  }\n"
	"}\n";

static const char ex_d_req[] =
	"MEGACO/3 [192.0.2.1]:2944\n"
	"Transaction = 1002 {\n"
	"  Context = 4711 {\n"
	"    Modify = ip/1/core/18 {\n"
	"      Media {\n"
	"        Stream = 1 {\n"
	"          LocalControl { Mode = SendReceive },\n"
	"          Remote {\n"
	"v=0\n"
	"c=IN IP4 192.0.2.99\n"
	"m=audio 50000 RTP/AVP 96 97\n"
	"a=rtpmap:96 AMR-WB/16000\n"
	"a=rtpmap:97 telephone-event/16000\n"
	"          }\n"
	"        }\n"
	"      }\n"
	"    },\n"
	"    Modify = ip/1/access1/17 {\n"
	"      Media { Stream = 1 { LocalControl { Mode = SendReceive } } }\n"
	"    }\n"
	"  }\n"
	"}\n";

static const char ex_e_req[] =
	"MEGACO/3 [192.0.2.1]:2944\n"
	"Transaction = 1003 {\n"
	"  Context = 4711 {\n"
	"    Subtract = ip/1/access1/17 { Audit { Statistics } },\n"
	"    Subtract = ip/1/core/18 { Audit { Statistics } }\n"
	"  }\n"
	"}\n";

static const char ex_e_reply[] =
	"MEGACO/3 [192.0.2.10]:2944\n"
	"Reply = 1003 {\n"
	"  Context = 4711 {\n"
	"    Subtract = ip/1/access1/17 {\n"
	"      Statistics {\n"
	"        nt/dur = 61230,\n"
	"        nt/os = 980800,\n"
	"        nt/or = 978560,\n"
	"        rtp/ps = 3065,\n"
	"        rtp/pr = 3058,\n"
	"        rtp/pl = 0.2,\n"
	"        rtp/jit = 7\n"
	"      }\n"
	"    },\n"
	"    Subtract = ip/1/core/18 {\n"
	"      Statistics { nt/dur = 61230, nt/os = 919500, nt/or = 918720, rtp/ps = 3058, rtp/pr = 3065 }\n"
	"    }\n"
	"  }\n"
	"}\n";

static const char ex_f_req[] =
	"MEGACO/3 [192.0.2.1]:2944\n"
	"Transaction = 2001 {\n"
	"  Context = $ {\n"
	"    Add = $ {\n"
	"      Media {\n"
	"        Stream = 1 {\n"
	"          LocalControl { Mode = SendReceive, ipdc/realm = \"access1\" },\n"
	"          Local {\n"
	"v=0\n"
	"c=IN IP4 $\n"
	"m=message $ TCP/TLS/MSRP *\n"
	"a=setup:passive\n"
	"a=fingerprint:SHA-256 $\n"
	"          },\n"
	"          Remote {\n"
	"v=0\n"
	"c=IN IP4 198.51.100.7\n"
	"m=message 50000 TCP/TLS/MSRP *\n"
	"a=setup:actpass\n"
	"a=fingerprint:SHA-256 AD:F4:6B:C7:DC:E6:28:8A:F6:E4:77:A3:C7:88:AB:28:E5:77:3F:D8:91:05:E5:6D:AD:14:57:00:01:0C:53:EB\n"
	"          }\n"
	"        }\n"
	"      }\n"
	"      ; here the MGC also requests the H.248.90 \"TLS session establishment failure\" event\n"
	"      ; (package/event name per 29.334 - U-lo, deliberately not written out)\n"
	"    },\n"
	"    Add = $ {\n"
	"      Media {\n"
	"        Stream = 1 {\n"
	"          LocalControl { Mode = SendReceive, ipdc/realm = \"core\" },\n"
	"          Local {\n"
	"v=0\n"
	"c=IN IP4 $\n"
	"m=message $ TCP/MSRP *\n"
	"          }\n"
	"        }\n"
	"      }\n"
	"    }\n"
	"  }\n"
	"}\n";

static const char ex_f_reply[] =
	"MEGACO/3 [192.0.2.10]:2944\n"
	"Reply = 2001 {\n"
	"  Context = 4712 {\n"
	"    Add = ip/1/access1/40 {\n"
	"      Media { Stream = 1 { Local {\n"
	"v=0\n"
	"c=IN IP4 203.0.113.20\n"
	"m=message 31000 TCP/TLS/MSRP *\n"
	"a=setup:passive\n"
	"a=fingerprint:SHA-256 6B:C3:A2:12:45:8A:25:A9:95:95:A8:34:7A:74:DA:15:2A:5E:92:EB:FD:8F:3F:D6:B8:ED:10:97:1F:B8:36:D4\n"
	"      } } }\n"
	"    },\n"
	"    Add = ip/1/core/41 {\n"
	"      Media { Stream = 1 { Local {\n"
	"v=0\n"
	"c=IN IP4 192.0.2.30\n"
	"m=message 41000 TCP/MSRP *\n"
	"      } } }\n"
	"    }\n"
	"  }\n"
	"}\n";

static const char ex_g_411[] =
	"MEGACO/3 [192.0.2.10]:2944\n"
	"Reply = 1004 {\n"
	"  Context = 4799 {\n"
	"    Error = 411 { \"The transaction refers to an unknown ContextId\" }\n"
	"  }\n"
	"}\n";

static const char ex_g_421[] =
	"MEGACO/3 [192.0.2.10]:2944\n"
	"Reply = 1005 {\n"
	"  Error = 421 { \"Unknown action or illegal combination of actions\" }\n"
	"}\n";

static const char ex_g_500[] =
	"MEGACO/3 [192.0.2.10]:2944\n"
	"Reply = 1006 {\n"
	"  Context = 4711 {\n"
	"    Add = ip/1/access1/19,\n"
	"    Error = 500 { \"Internal software failure in MG\" }\n"
	"  }\n"
	"}\n";

static const char ex_g_400[] =
	"MEGACO/3 [192.0.2.10]:2944\n"
	"Error = 400 { \"Syntax error in message\" }\n";

static const char ex_a_compact[] =
	"!/3 [192.0.2.10]:2944 T=1{C=-{SC=ROOT{SV{MT=RS,RE=\"901 Cold Boot\",V=3,PF=ThreeGIQ/1,AD=2944}}}}";

static const char ex_d_reply[] =
	"MEGACO/3 [192.0.2.10]:2944 Reply = 1002 { Context = 4711 { Modify = ip/1/core/18, Modify = ip/1/access1/17 } }";

static const char ex_e_compact[] =
	"!/3 [192.0.2.1]:2944 T=1003{C=4711{S=ip/1/access1/17{AT{SA}},S=ip/1/core/18{AT{SA}}}}";

static const struct {
	const char *name;
	const char *text;
	uint32_t txn_id; /* 0: none */
} ex_all[] = {
	{ "a_req", ex_a_req, 1 },
	{ "a_reply", ex_a_reply, 1 },
	{ "b_req", ex_b_req, 1001 },
	{ "c_reply", ex_c_reply, 1001 },
	{ "d_req", ex_d_req, 1002 },
	{ "e_req", ex_e_req, 1003 },
	{ "e_reply", ex_e_reply, 1003 },
	{ "f_req", ex_f_req, 2001 },
	{ "f_reply", ex_f_reply, 2001 },
	{ "g_411", ex_g_411, 1004 },
	{ "g_421", ex_g_421, 1005 },
	{ "g_500", ex_g_500, 1006 },
	{ "g_400", ex_g_400, 0 },
	{ "a_compact", ex_a_compact, 1 },
	{ "d_reply", ex_d_reply, 1002 },
	{ "e_compact", ex_e_compact, 1003 },
};

#endif
