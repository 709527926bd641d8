/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cfg_schema.c: the generic walker. Defaults, unknown keys, types, bounds,
 * lists, the schema dump, and docs/configuration.md against the dump.
 *
 * Usage: test_cfg_schema DOCS_CONFIGURATION_MD
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "cfg.h"
#include "cfg_test.h"

static const char *docs_path;

static void
test_defaults(void)
{
	struct cfg *c = load_ok(CFG_TEST_MIN);
	const struct cfg_port *a, *k;
	static const uint8_t zero[6];

	if (c == NULL)
		return;
	a = &c->ports[CFG_PORT_ACCESS];
	k = &c->ports[CFG_PORT_CORE];
	CU_ASSERT_EQUAL(c->eal.argc, 0);
	CU_ASSERT_EQUAL(c->eal.huge, CFG_HUGE_AUTO);
	CU_ASSERT_EQUAL(c->eal.memory_mb, 512);
	CU_ASSERT_EQUAL(c->lcores.control, 0);
	CU_ASSERT_EQUAL(c->lcores.n_msrp, 0);
	CU_ASSERT_STRING_EQUAL(c->dataplane.netns, "imsagw-dp");
	CU_ASSERT_EQUAL(c->dataplane.mbufs, 16383);
	CU_ASSERT_EQUAL(c->dataplane.burst, 32);
	CU_ASSERT(c->dataplane.rx_checksum_offload);
	CU_ASSERT(c->dataplane.tx_checksum_offload);
	CU_ASSERT_EQUAL(a->mtu, 1500);
	CU_ASSERT_EQUAL(a->rx_desc, 1024);
	CU_ASSERT_EQUAL(a->tx_desc, 1024);
	CU_ASSERT_EQUAL(a->vlan_mode, CFG_VLAN_NONE);
	CU_ASSERT_EQUAL(a->vlan_id, 0);
	CU_ASSERT_EQUAL(memcmp(a->mac, zero, 6), 0);
	CU_ASSERT_EQUAL(a->n_addr6, 0);
	CU_ASSERT_EQUAL(a->n_routes, 0);
	CU_ASSERT_EQUAL(a->n_neighbours, 0);
	CU_ASSERT_EQUAL(a->exc_kind, CFG_EXC_TAP);
	CU_ASSERT_STRING_EQUAL(a->exc_iface, "imsagw-acc-x");
	CU_ASSERT_STRING_EQUAL(k->exc_iface, "imsagw-core-x");
	CU_ASSERT_EQUAL(c->iq.listen.ip.family, AF_INET);
	CU_ASSERT_EQUAL(ntohl(c->iq.listen.ip.a.v4.s_addr), 0x7f000001);
	CU_ASSERT_EQUAL(c->iq.listen.port, 2945);
	CU_ASSERT_EQUAL(c->iq.transport, CFG_IQ_UDP);
	CU_ASSERT_EQUAL(c->iq.n_mgc, 1);
	CU_ASSERT_EQUAL(c->iq.mgc[0].port, 2944);
	CU_ASSERT_STRING_EQUAL(c->iq.mid, "[127.0.0.1]:2945");
	CU_ASSERT_EQUAL(c->iq.version, 3);
	CU_ASSERT_STRING_EQUAL(c->iq.profile, "threegiq/1");
	CU_ASSERT_EQUAL(c->iq.encoding, CFG_IQ_PRETTY);
	CU_ASSERT_EQUAL(c->iq.long_timer_ms, 30000);
	CU_ASSERT_EQUAL(c->iq.retransmit_initial_ms, 500);
	CU_ASSERT_EQUAL(c->iq.retransmit_max_ms, 4000);
	CU_ASSERT_EQUAL(c->iq.max_retransmits, 5);
	CU_ASSERT_EQUAL(c->iq.pending_ms, 100);
	CU_ASSERT_EQUAL(c->iq.inactivity_ms, 0);
	CU_ASSERT_EQUAL(c->limits.max_contexts, 100000);
	CU_ASSERT_EQUAL(c->limits.max_flows, 1048576);
	CU_ASSERT_STRING_EQUAL(c->crypto.engine, "ipsecmb");
	CU_ASSERT_STRING_EQUAL(c->crypto.cryptodev, "crypto_aesni_mb");
	CU_ASSERT_EQUAL(c->crypto.replay_window, 128);
	CU_ASSERT(c->crypto.suite_aes_cm_128_sha1_80 && c->crypto.suite_aes_cm_128_sha1_32 &&
		  c->crypto.suite_aes_256_cm_sha1_80 && c->crypto.suite_aes_256_cm_sha1_32 &&
		  c->crypto.suite_aead_aes_128_gcm && c->crypto.suite_aead_aes_256_gcm);
	CU_ASSERT_EQUAL(c->log.level, CFG_LOG_NOTICE);
	CU_ASSERT_STRING_EQUAL(c->log.file, "");
	CU_ASSERT(c->telemetry.enabled);
	CU_ASSERT(c->telemetry.pdump);
	CU_ASSERT_FALSE(c->process.core_dumps);
	CU_ASSERT_STRING_EQUAL(c->msrp.certificate, "");
	CU_ASSERT(c->msrp.tls12 && c->msrp.tls13 && c->msrp.ktls);
	CU_ASSERT_EQUAL(c->msrp.max_legs, 20000);
	CU_ASSERT_EQUAL(c->msrp.buffer_bytes, 65536);
	CU_ASSERT_EQUAL(c->msrp.connect_timeout_ms, 180000);
	CU_ASSERT_EQUAL(c->msrp.handshake_timeout_ms, 10000);
	CU_ASSERT_EQUAL(c->msrp.idle_timeout_ms, 3600000);
	CU_ASSERT_FALSE(c->msrp.frame_check);
	CU_ASSERT_EQUAL(c->msrp.max_header_bytes, 8192);
	CU_ASSERT_EQUAL(c->msrp.max_chunk_bytes, 1048576);
	cfg_free(c);
}

static void
test_values(void)
{
	struct cfg *c =
		load_ok(CFG_TEST_MIN
			"eal = { args = [ \"--vdev=net_null0\", \"-n\", \"4\" ]; "
			"hugepages = \"no\"; memory_mb = 64; };\n"
			"iq = { listen = \"[::1]:2945\"; transport = \"tcp\"; "
			"mgc = [ \"[2001:db8::5]:2944\", \"192.0.2.9:2944\" ]; "
			"encoding = \"compact\"; version = 2; inactivity_ms = 0x10; };\n"
			"log = { level = \"err\"; };\n"
			"crypto = { engine = \"libsrtp\"; suites = { AEAD_AES_256_GCM = false; }; "
			"};\n");

	if (c == NULL)
		return;
	CU_ASSERT_EQUAL(c->eal.argc, 3);
	CU_ASSERT_STRING_EQUAL(c->eal.argv[2], "4");
	CU_ASSERT_EQUAL(c->eal.huge, CFG_HUGE_NO);
	CU_ASSERT_EQUAL(c->eal.memory_mb, 64);
	CU_ASSERT_EQUAL(c->iq.listen.ip.family, AF_INET6);
	CU_ASSERT_EQUAL(c->iq.listen.ip.a.v6.s6_addr[15], 1);
	CU_ASSERT_EQUAL(c->iq.transport, CFG_IQ_TCP);
	CU_ASSERT_EQUAL(c->iq.n_mgc, 2);
	CU_ASSERT_EQUAL(c->iq.mgc[0].ip.family, AF_INET6);
	CU_ASSERT_EQUAL(c->iq.mgc[1].ip.family, AF_INET);
	CU_ASSERT_EQUAL(c->iq.encoding, CFG_IQ_COMPACT);
	CU_ASSERT_EQUAL(c->iq.version, 2);
	CU_ASSERT_EQUAL(c->iq.inactivity_ms, 16);
	CU_ASSERT_EQUAL(c->log.level, CFG_LOG_ERR);
	CU_ASSERT_STRING_EQUAL(c->crypto.engine, "libsrtp");
	CU_ASSERT_FALSE(c->crypto.suite_aead_aes_256_gcm);
	CU_ASSERT(c->crypto.suite_aead_aes_128_gcm);
	cfg_free(c);
}

static void
test_unknown_keys(void)
{
	EXPECT_ERR(CFG_TEST_MIN "iq = { timeout = 5; };\n", 20, "unknown key 'iq.timeout'");
	EXPECT_ERR(CFG_TEST_MIN "\n\nfoo = 1;\n", 22, "unknown key 'foo'");
	{
		char err[CFG_ERR_MAX] = "";
		struct cfg *c = NULL;

		/* No far-fetched suggestion ("log" is 2 edits from "foo"). */
		CU_ASSERT_EQUAL(
			cfg_load_string(CFG_TEST_MIN "foo = 1;\n", "t.conf", &c, err, sizeof(err)),
			-EINVAL);
		CU_ASSERT_STRING_EQUAL(err, "t.conf:20: unknown key 'foo'");
	}
	EXPECT_ERR(CFG_TEST_LCORES CFG_TEST_ACCESS
		   "    udpmin = 20000;\n" CFG_TEST_CORE CFG_TEST_END,
		   10, "unknown key 'ports.access.udpmin' (did you mean 'udp_min'?)");
	EXPECT_ERR(CFG_TEST_MIN "crypto = { suites = { AES_CM_128_HMAC_SHA1_81 = true; }; };\n", 20,
		   "unknown key 'crypto.suites.AES_CM_128_HMAC_SHA1_81'");
	EXPECT_ERR(CFG_TEST_LCORES CFG_TEST_ACCESS
		   "    neighbours = ( { ip = \"192.0.2.9\"; mac = \"02:00:00:00:00:09\"; "
		   "vlan = 3; } );\n" CFG_TEST_CORE CFG_TEST_END,
		   10, "unknown key 'ports.access.neighbours[0].vlan'");
}

static void
test_types(void)
{
	EXPECT_ERR(CFG_TEST_MIN "dataplane = { burst = \"32\"; };\n", 20,
		   "dataplane.burst: expected an integer, got a string");
	EXPECT_ERR(CFG_TEST_MIN "dataplane = { burst = 32.0; };\n", 20,
		   "dataplane.burst: expected an integer, got a float");
	EXPECT_ERR(CFG_TEST_MIN "telemetry = { pdump = 1; };\n", 20,
		   "telemetry.pdump: expected a boolean (true or false), got an integer");
	EXPECT_ERR(CFG_TEST_MIN "log = { level = 7; };\n", 20,
		   "log.level: expected a string, got an integer");
	EXPECT_ERR(CFG_TEST_MIN "log = \"debug\";\n", 20,
		   "log: expected a group { ... }, got a string");
	EXPECT_ERR(CFG_TEST_MIN "iq = { mgc = \"127.0.0.1:2944\"; };\n", 20,
		   "iq.mgc: expected a list [ ... ] or ( ... ), got a string");
	EXPECT_ERR(CFG_TEST_MIN "iq = { mgc = ( \"127.0.0.1:2944\", 7 ); };\n", 20,
		   "iq.mgc[1]: expected a string, got an integer");
	EXPECT_ERR(CFG_TEST_LCORES CFG_TEST_ACCESS
		   "    neighbours = ( { ip = \"192.0.2.9\"; mac = 5; } );\n" CFG_TEST_CORE
			   CFG_TEST_END,
		   10, "ports.access.neighbours[0].mac: expected a string, got an integer");
}

static void
test_bounds(void)
{
	EXPECT_ERR(CFG_TEST_MIN "dataplane = { burst = 65; };\n", 20,
		   "dataplane.burst: 65 is out of range 1..64");
	EXPECT_ERR(CFG_TEST_MIN "dataplane = { burst = 0; };\n", 20,
		   "dataplane.burst: 0 is out of range 1..64");
	EXPECT_ERR(CFG_TEST_MIN "crypto = { max_keys = 63; };\n", 20,
		   "crypto.max_keys: 63 is out of range 64..4194304");
	EXPECT_ERR(CFG_TEST_MIN "crypto = { replay_window = 32; };\n", 20,
		   "crypto.replay_window: 32 is out of range 64..32768");
	EXPECT_ERR(CFG_TEST_MIN "crypto = { replay_window = 32769; };\n", 20,
		   "crypto.replay_window: 32769 is out of range 64..32768");
	EXPECT_ERR(CFG_TEST_MIN "iq = { version = 4; };\n", 20,
		   "iq.version: 4 is out of range 1..3");
	EXPECT_ERR(CFG_TEST_MIN "limits = { max_contexts = -1; };\n", 20,
		   "limits.max_contexts: -1 is out of range 1..4194304");
	EXPECT_ERR(CFG_TEST_MIN "limits = { max_flows = 100000000000L; };\n", 20,
		   "limits.max_flows: 100000000000 is out of range 16..67108864");
	EXPECT_ERR("lcores = { media = [ 1, 128 ]; };\n", 1,
		   "lcores.media[1]: 128 is out of range 0..127");
	EXPECT_ERR(CFG_TEST_LCORES CFG_TEST_ACCESS "    mtu = 9001;\n" CFG_TEST_CORE CFG_TEST_END,
		   10, "ports.access.mtu: 9001 is out of range 576..9000");
	EXPECT_ERR(CFG_TEST_LCORES CFG_TEST_ACCESS CFG_TEST_CORE
		   "    vlan_id = 4095;\n" CFG_TEST_END,
		   18, "ports.core.vlan_id: 4095 is out of range 0..4094");
}

static void
test_strings_enums(void)
{
	EXPECT_ERR(CFG_TEST_LCORES CFG_TEST_ACCESS
		   "    exception_iface = \"imsagw-access-xx\";\n" CFG_TEST_CORE CFG_TEST_END,
		   10,
		   "ports.access.exception_iface: 'imsagw-access-xx' is too long (16 "
		   "characters, max 15)");
	EXPECT_ERR(CFG_TEST_MIN "dataplane = { netns = \"\"; };\n", 20,
		   "dataplane.netns: must not be empty");
	EXPECT_ERR(CFG_TEST_MIN "iq = { profile = \"threegiq/1-with-a-very-long-name-x\"; };\n", 20,
		   "is too long (34 characters, max 31)");
	EXPECT_ERR(CFG_TEST_LCORES CFG_TEST_ACCESS
		   "    vlan_mode = \"strp\";\n" CFG_TEST_CORE CFG_TEST_END,
		   10,
		   "ports.access.vlan_mode: 'strp' is not one of \"none\", \"strip\", \"pass\"");
	EXPECT_ERR(CFG_TEST_MIN "log = { level = \"verbose\"; };\n", 20,
		   "log.level: 'verbose' is not one of \"err\", \"warning\", \"notice\", "
		   "\"info\", \"debug\"");
	EXPECT_ERR(CFG_TEST_MIN "crypto = { engine = \"openssl\"; };\n", 20,
		   "crypto.engine: 'openssl' is not one of \"cryptodev\", \"libsrtp\"");
	EXPECT_ERR(CFG_TEST_MIN "eal = { hugepages = \"maybe\"; };\n", 20,
		   "eal.hugepages: 'maybe' is not one of");
}

static void
test_missing(void)
{
	/* A missing key is blamed on its group's line. */
	EXPECT_ERR(CFG_TEST_LCORES CFG_TEST_ACCESS CFG_TEST_END, 2, "missing key 'ports.core'");
	EXPECT_ERR("lcores = { media = [ 1 ]; };\n", 0, "missing key 'ports.access'");
	EXPECT_ERR("\nlcores = { control = 1; };\n", 2, "missing key 'lcores.media'");
	EXPECT_ERR("ports = { access = { device = \"x\"; }; };\nlcores = { media = [ 1 ]; };\n", 1,
		   "missing key 'ports.access.udp_min'");
	EXPECT_ERR(CFG_TEST_LCORES CFG_TEST_ACCESS
		   "    neighbours = ( { ip = \"192.0.2.9\"; } );\n" CFG_TEST_CORE CFG_TEST_END,
		   10, "missing key 'ports.access.neighbours[0].mac'");
}

static void
test_lists(void)
{
	EXPECT_ERR("lcores = { media = [ ]; };\n", 1, "lcores.media: needs at least 1 element");
	EXPECT_ERR(CFG_TEST_MIN "iq = { mgc = [ ]; };\n", 20, "iq.mgc: needs at least 1 element");
	EXPECT_ERR("lcores = { media = [ 1, 2, 1 ]; };\n", 1,
		   "lcores.media[2]: duplicate of lcores.media[0] (1)");
	EXPECT_ERR(CFG_TEST_MIN "iq = { mgc = [ \"10.0.0.1:2944\",\n \"10.0.0.1:2944\" ]; };\n", 21,
		   "iq.mgc[1]: duplicate of iq.mgc[0] ('10.0.0.1:2944')");
	EXPECT_ERR(CFG_TEST_LCORES CFG_TEST_ACCESS
		   "    ipv6 = [ \"2001:db8::1/64\", \"2001:db8::1/48\" ];\n" CFG_TEST_CORE
			   CFG_TEST_END,
		   10, "ports.access.ipv6[1]: duplicate of ports.access.ipv6[0]");
	EXPECT_ERR(CFG_TEST_LCORES CFG_TEST_ACCESS
		   "    ipv6 = [ \"2001:db8::1/64\", \"2001:db8::2/64\", \"2001:db8::3/64\", "
		   "\"2001:db8::4/64\", \"2001:db8::5/64\", \"2001:db8::6/64\", "
		   "\"2001:db8::7/64\", \"2001:db8::8/64\", \"2001:db8::9/64\", "
		   "\"2001:db8::a/64\", \"2001:db8::b/64\", \"2001:db8::c/64\", "
		   "\"2001:db8::d/64\", \"2001:db8::e/64\", \"2001:db8::f/64\", "
		   "\"2001:db8::10/64\", \"2001:db8::11/64\" ];\n" CFG_TEST_CORE CFG_TEST_END,
		   10, "ports.access.ipv6: too many elements (17, max 16)");
	EXPECT_ERR(CFG_TEST_LCORES CFG_TEST_ACCESS
		   "    neighbours = [ \"192.0.2.9\" ];\n" CFG_TEST_CORE CFG_TEST_END,
		   10, "ports.access.neighbours: expected a list of groups");
}

static const char *const all_keys[] = {
	"eal.args",
	"eal.hugepages",
	"eal.memory_mb",
	"lcores.control",
	"lcores.media",
	"lcores.msrp",
	"dataplane.netns",
	"dataplane.mbufs",
	"dataplane.burst",
	"dataplane.rx_checksum_offload",
	"dataplane.tx_checksum_offload",
#define PORT(p)                                                                                    \
	p ".device", p ".ipv4", p ".ipv6", p ".udp_min", p ".udp_max", p ".tcp_min", p ".tcp_max", \
		p ".vlan_mode", p ".vlan_id", p ".mtu", p ".rx_desc", p ".tx_desc", p ".mac",      \
		p ".routes", p ".neighbours", p ".neighbours[].ip", p ".neighbours[].mac",         \
		p ".exception", p ".exception_iface", p ".exception_rate", p ".exception_burst",  \
		p ".exception_tcp_rate", p ".exception_tcp_burst", p ".latch_prefix4",             \
		p ".latch_prefix6"
	PORT("ports.access"),
	PORT("ports.core"),
	"iq.listen",
	"iq.transport",
	"iq.mgc",
	"iq.mid",
	"iq.encoding",
	"iq.version",
	"iq.profile",
	"iq.long_timer_ms",
	"iq.retransmit_initial_ms",
	"iq.retransmit_max_ms",
	"iq.max_retransmits",
	"iq.pending_ms",
	"iq.inactivity_ms",
	"limits.max_contexts",
	"limits.max_flows",
	"crypto.engine",
	"crypto.gcm_keys",
	"crypto.cryptodev",
	"crypto.max_keys",
	"crypto.replay_window",
	"crypto.rekey_grace_ms",
	"crypto.suites.AES_CM_128_HMAC_SHA1_80",
	"crypto.suites.AES_CM_128_HMAC_SHA1_32",
	"crypto.suites.AES_256_CM_HMAC_SHA1_80",
	"crypto.suites.AES_256_CM_HMAC_SHA1_32",
	"crypto.suites.AEAD_AES_128_GCM",
	"crypto.suites.AEAD_AES_256_GCM",
	"msrp.certificate",
	"msrp.private_key",
	"msrp.tls12",
	"msrp.tls13",
	"msrp.ktls",
	"msrp.max_legs",
	"msrp.buffer_bytes",
	"msrp.connect_timeout_ms",
	"msrp.handshake_timeout_ms",
	"msrp.idle_timeout_ms",
	"msrp.frame_check",
	"msrp.max_header_bytes",
	"msrp.max_chunk_bytes",
	"log.level",
	"log.file",
	"telemetry.enabled",
	"telemetry.pdump",
	"process.core_dumps",
};

static char *
dump(size_t *len)
{
	char *buf = NULL;
	FILE *fp = open_memstream(&buf, len);

	if (fp == NULL)
		return NULL;
	cfg_schema_dump(fp);
	fclose(fp);
	return buf;
}

static void
test_dump(void)
{
	size_t len = 0, i, rows = 0;
	char *d = dump(&len), *p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	for (i = 0; i < sizeof(all_keys) / sizeof(all_keys[0]); i++) {
		char want[128];

		snprintf(want, sizeof(want), "| `%s` |", all_keys[i]);
		if (strstr(d, want) == NULL)
			fprintf(stderr, "\n  dump lacks %s\n", want);
		CU_ASSERT_PTR_NOT_NULL(strstr(d, want));
	}
	for (p = d; (p = strstr(p, "\n| `")) != NULL; p++)
		rows++;
	CU_ASSERT_EQUAL(rows, sizeof(all_keys) / sizeof(all_keys[0]));
	/* Rows carry what the docs need. */
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "| `crypto.replay_window` | integer | `128` | 64..32768 "
					 "| yes |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "| `ports.core.exception_iface` | string | "
					 "`\"imsagw-core-x\"` | 1..15 chars | no |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "| `iq.mgc` | endpoint list | `[\"127.0.0.1:2944\"]` | "
					 "1..8 items | yes |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "| `limits.max_flows` | integer | `1048576` | "
					 "16..67108864 | no |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "| `ports.access.device` | string | `required` |"));
	free(d);
}

/* docs/configuration.md must hold every line of the dump, verbatim. */
static void
test_docs_match_schema(void)
{
	size_t len = 0, n;
	char *d = dump(&len), *doc, *line, *save = NULL;
	FILE *fp = fopen(docs_path, "r");

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	if (fp == NULL)
		fprintf(stderr, "\n  cannot open %s\n", docs_path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	doc = calloc(1, 1 << 20);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	n = fread(doc, 1, (1 << 20) - 1, fp);
	fclose(fp);
	CU_ASSERT(n > 0);
	for (line = strtok_r(d, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		if (strstr(doc, line) == NULL)
			fprintf(stderr, "\n  docs/configuration.md lacks: %s\n", line);
		CU_ASSERT_PTR_NOT_NULL(strstr(doc, line));
	}
	free(doc);
	free(d);
}

int
main(int argc, char **argv)
{
	unsigned int failed;
	CU_pSuite s;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DOCS_CONFIGURATION_MD\n", argv[0]);
		return 2;
	}
	docs_path = argv[1];
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("cfg_schema", NULL, NULL);
	CU_add_test(s, "defaults", test_defaults);
	CU_add_test(s, "values", test_values);
	CU_add_test(s, "unknown keys", test_unknown_keys);
	CU_add_test(s, "types", test_types);
	CU_add_test(s, "bounds", test_bounds);
	CU_add_test(s, "strings and enums", test_strings_enums);
	CU_add_test(s, "missing keys", test_missing);
	CU_add_test(s, "lists", test_lists);
	CU_add_test(s, "schema dump", test_dump);
	CU_add_test(s, "docs match the schema", test_docs_match_schema);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
