/* SPDX-License-Identifier: BSD-3-Clause */
/* cfg_check.c: cross-field checks, each blamed on the key to change. */
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "cfg.h"
#include "cfg_test.h"

/* One extra line in the access group (line 10) or the core group (line 18). */
#define ACC(line) CFG_TEST_LCORES CFG_TEST_ACCESS line "\n" CFG_TEST_CORE CFG_TEST_END
#define PORTS_ONLY CFG_TEST_ACCESS CFG_TEST_CORE CFG_TEST_END
#define CORE(line) CFG_TEST_LCORES CFG_TEST_ACCESS CFG_TEST_CORE line "\n" CFG_TEST_END

/* A whole file with the access port's numbers given. */
#define PORTS(acc, core)                                                                           \
	"lcores = { media = [ 1 ]; };\n"                                                           \
	"ports = {\n"                                                                              \
	"  access = { device = \"a\"; ipv4 = [ \"192.0.2.1/24\" ];\n" acc "\n  };\n"               \
	"  core = { device = \"c\";\n" core "\n  };\n"                                             \
	"};\n"
#define RANGES(u0, u1, t0, t1)                                                                     \
	"udp_min = " #u0 "; udp_max = " #u1 "; tcp_min = " #t0 "; tcp_max = " #t1 ";"

static void
test_lcores(void)
{
	EXPECT_ERR("lcores = { control = 1;\n media = [ 2,\n 1 ]; };\n" PORTS_ONLY, 3,
		   "lcores.media[1]: lcore 1 is the control lcore; no lcore may have two roles");
	EXPECT_ERR("lcores = { media = [ 1, 2 ];\n msrp = [ 3, 2 ]; };\n" PORTS_ONLY, 2,
		   "lcores.msrp[1]: lcore 2 is also lcores.media[1]");
	EXPECT_ERR("lcores = { media = [ 1 ];\n msrp = [ 0 ]; };\n" PORTS_ONLY, 2,
		   "lcores.msrp[0]: lcore 0 is the control lcore");
	/* Defaulted control (0) clashing: blamed on the media element. */
	EXPECT_ERR("lcores = { media = [ 0 ]; };\n" PORTS_ONLY, 1,
		   "lcores.media[0]: lcore 0 is the control");
	struct cfg *c =
		load_ok("lcores = { control = 3; media = [ 0, 1 ]; msrp = [ 2 ]; };\n" PORTS_ONLY);
	if (c != NULL) {
		CU_ASSERT_EQUAL(c->lcores.control, 3);
		CU_ASSERT_EQUAL(c->lcores.n_media, 2);
		CU_ASSERT_EQUAL(c->lcores.msrp[0], 2);
	}
	cfg_free(c);
}

static void
test_port_ranges(void)
{
	EXPECT_ERR(PORTS(RANGES(20001, 29999, 20000, 29999),
			 "ipv4 = [ \"198.51.100.1/24\" ]; " RANGES(30000, 39999, 30000, 39999)),
		   4, "ports.access.udp_min: 20001 is odd");
	EXPECT_ERR(PORTS(RANGES(20000, 19999, 20000, 29999),
			 "ipv4 = [ \"198.51.100.1/24\" ]; " RANGES(30000, 39999, 30000, 39999)),
		   4, "ports.access.udp_max: 19999 is below udp_min 20000");
	EXPECT_ERR(PORTS(RANGES(20000, 20000, 20000, 29999),
			 "ipv4 = [ \"198.51.100.1/24\" ]; " RANGES(30000, 39999, 30000, 39999)),
		   4, "ports.access.udp_max: the range must hold an RTP/RTCP pair");
	EXPECT_ERR(PORTS(RANGES(20000, 29999, 2000, 1999),
			 "ipv4 = [ \"198.51.100.1/24\" ]; " RANGES(30000, 39999, 30000, 39999)),
		   4, "ports.access.tcp_max: 1999 is below tcp_min 2000");
	/* Shared address: ranges must not overlap; separate addresses may. */
	EXPECT_ERR(PORTS(RANGES(20000, 29999, 20000, 29999),
			 "ipv4 = [ \"192.0.2.1/24\" ]; " RANGES(29998, 39999, 30000, 39999)),
		   7,
		   "ports.core.udp_min: UDP range 29998..39999 overlaps ports.access "
		   "20000..29999 on a shared address");
	EXPECT_ERR(PORTS(RANGES(20000, 29999, 20000, 29999),
			 "ipv4 = [ \"192.0.2.1/24\" ]; " RANGES(30000, 39999, 29000, 39999)),
		   7, "ports.core.tcp_min: TCP range 29000..39999 overlaps");
	struct cfg *c = load_ok(
		PORTS(RANGES(20000, 29999, 20000, 29999),
		      "ipv4 = [ \"198.51.100.1/24\" ]; " RANGES(20000, 29999, 20000, 29999)));
	cfg_free(c);
	c = load_ok(PORTS(RANGES(20000, 29999, 20000, 29999),
			  "ipv4 = [ \"192.0.2.1/24\" ]; " RANGES(30000, 39999, 30000, 39999)));
	cfg_free(c);
}

static void
test_port_fields(void)
{
	EXPECT_ERR(PORTS(RANGES(20000, 29999, 20000, 29999), RANGES(30000, 39999, 30000, 39999)), 6,
		   "ports.core: needs at least one address (ipv4 or ipv6)");
	EXPECT_ERR(ACC("    vlan_mode = \"strip\";"), 10,
		   "ports.access.vlan_id: must be 1..4094 with vlan_mode \"strip\"");
	EXPECT_ERR(ACC("    vlan_id = 7;"), 10,
		   "ports.access.vlan_id: only meaningful with vlan_mode \"strip\"");
	EXPECT_ERR(ACC("    ipv6 = [ \"2001:db8::1/64\" ]; mtu = 1000;"), 10,
		   "ports.access.mtu: 1000 is below 1280, the IPv6 minimum");
	EXPECT_ERR(ACC("    mac = \"01:00:5e:00:00:01\";"), 10,
		   "ports.access.mac: a multicast address");
	EXPECT_ERR(CORE("    routes = [ \"0.0.0.0/0 via 198.51.100.254\",\n"
			"      \"10.0.0.1/8 via 198.51.100.254\" ];"),
		   19, "ports.core.routes[1]: destination 10.0.0.1/8 has host bits set");
	EXPECT_ERR(CORE("    routes = [ \"0.0.0.0/0 via 10.1.1.1\" ];"), 18,
		   "ports.core.routes[0]: next hop 10.1.1.1 is not inside an address prefix");
	EXPECT_ERR(CORE("    neighbours = ( { ip = \"198.51.100.9\"; mac = \"00:00:00:00:00:00\"; }"
			" );"),
		   18, "ports.core.neighbours[0].mac: must be a unicast address");
	EXPECT_ERR(
		CORE("    neighbours = ( { ip = \"10.0.0.9\"; mac = \"02:00:00:00:00:09\"; } );"),
		18, "ports.core.neighbours[0].ip: 10.0.0.9 is not inside");
	EXPECT_ERR(
		CORE("    neighbours = ( { ip = \"198.51.100.9\"; mac = \"02:00:00:00:00:09\"; },"
		     "\n { ip = \"198.51.100.9\"; mac = \"02:00:00:00:00:0a\"; } );"),
		19, "ports.core.neighbours[1].ip: duplicate of neighbours[0]");
	struct cfg *c = load_ok(CORE("    routes = [ \"0.0.0.0/0 via 198.51.100.254\" ];"
				     " vlan_mode = \"strip\"; vlan_id = 4094;"));
	if (c != NULL)
		CU_ASSERT_EQUAL(c->ports[CFG_PORT_CORE].vlan_id, 4094);
	cfg_free(c);
}

static void
test_two_ports(void)
{
	EXPECT_ERR(CORE("    device = \"net_tap0\";"), 18, "duplicate setting name");
	EXPECT_ERR(PORTS(RANGES(20000, 29999, 20000, 29999),
			 "ipv4 = [ \"198.51.100.1/24\" ]; device2 = 1;"),
		   7, "unknown key 'ports.core.device2'");
	EXPECT_ERR("lcores = { media = [ 1 ]; };\nports = {\n"
		   "  access = { device = \"d\"; ipv4 = [ \"192.0.2.1/24\" ]; " RANGES(
			   20000, 29999, 20000,
			   29999) " };\n"
				  "  core = {\n device = \"d\"; ipv4 = [ \"198.51.100.1/24\" "
				  "]; " RANGES(30000, 39999, 30000, 39999) " };\n};\n",
		   5, "ports.core.device: same device as ports.access.device");
	EXPECT_ERR(
		CORE("    exception_iface = \"imsagw-acc-x\";"), 18,
		"ports.core.exception_iface: 'imsagw-acc-x' is also ports.access.exception_iface");
	struct cfg *c =
		load_ok(CFG_TEST_LCORES CFG_TEST_ACCESS
			"exception = \"none\";\n" CFG_TEST_CORE
			"exception = \"none\"; exception_iface = \"imsagw-acc-x\";\n" CFG_TEST_END);
	cfg_free(c);
}

static void
test_other_sections(void)
{
	EXPECT_ERR(CFG_TEST_MIN "eal = { args = [ \"--no-pci\",\n \"-l\", \"0-1\" ]; };\n", 21,
		   "eal.args[1]: '-l' is set from lcores, not in eal.args");
	EXPECT_ERR(CFG_TEST_MIN "eal = { args = [ \"--lcores=0@0\" ]; };\n", 20,
		   "'--lcores=0@0' is set from lcores");
	EXPECT_ERR(CFG_TEST_MIN "eal = { args = [ \"--no-huge\" ]; };\n", 20,
		   "'--no-huge' is set from eal.hugepages = \"no\"");
	EXPECT_ERR(CFG_TEST_MIN "eal = { args = [ \"-m\", \"256\" ]; };\n", 20,
		   "'-m' is set from eal.memory_mb");
	EXPECT_ERR(CFG_TEST_MIN "iq = {\n retransmit_initial_ms = 5000; };\n", 20,
		   "iq.retransmit_max_ms: 4000 is below retransmit_initial_ms 5000");
	EXPECT_ERR(CFG_TEST_MIN
		   "crypto = {\n suites = { AES_CM_128_HMAC_SHA1_80 = false;\n"
		   "AES_CM_128_HMAC_SHA1_32 = false; AES_256_CM_HMAC_SHA1_80 = false;\n"
		   "AES_256_CM_HMAC_SHA1_32 = false; AEAD_AES_128_GCM = false;\n"
		   "AEAD_AES_256_GCM = false; }; };\n",
		   21, "crypto.suites: every suite is off; at least one must stay on");
	/* A replay window the sessions cannot use (RFC 3711 §3.3.2 window in
	 * 64-bit words) is refused here, not at the first call. */
	EXPECT_ERR(CFG_TEST_MIN "crypto = {\n replay_window = 100; };\n", 21,
		   "crypto.replay_window: 100 is not a multiple of 64");
	/* Options EAL has that merely start like ours are fine. */
	struct cfg *c = load_ok(CFG_TEST_MIN "eal = { args = [ \"--log-level=lib.eal:8\", "
					     "\"--legacy-mem\", \"--match-allocations\" ]; };\n");
	if (c != NULL)
		CU_ASSERT_EQUAL(c->eal.argc, 3);
	cfg_free(c);
}

/* msrp: the certificate and its key together, one TLS version at least. */
static void
test_msrp(void)
{
	struct cfg *c;

	EXPECT_ERR(CFG_TEST_MIN "msrp = {\n certificate = \"/etc/imsagw/cert.pem\"; };\n", 20,
		   "msrp.private_key: empty while msrp.certificate is set");
	EXPECT_ERR(CFG_TEST_MIN "msrp = {\n private_key = \"/etc/imsagw/key.pem\"; };\n", 20,
		   "msrp.certificate: empty while msrp.private_key is set");
	EXPECT_ERR(CFG_TEST_MIN "msrp = {\n tls12 = false;\n tls13 = false; };\n", 22,
		   "msrp.tls13: TLS 1.2 and 1.3 are both off; at least one must stay on");
	EXPECT_ERR(CFG_TEST_MIN "msrp = {\n buffer_bytes = 100; };\n", 21,
		   "msrp.buffer_bytes: 100 is out of range 4096..16777216");
	c = load_ok(CFG_TEST_MIN "msrp = { certificate = \"c.pem\"; private_key = \"k.pem\"; "
				 "tls12 = false; idle_timeout_ms = 0; frame_check = true; };\n");
	if (c != NULL) {
		CU_ASSERT_STRING_EQUAL(c->msrp.certificate, "c.pem");
		CU_ASSERT_FALSE(c->msrp.tls12);
		CU_ASSERT_EQUAL(c->msrp.idle_timeout_ms, 0);
		CU_ASSERT(c->msrp.frame_check);
	}
	cfg_free(c);
}

int
main(void)
{
	unsigned int failed;
	CU_pSuite s;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("cfg_check", NULL, NULL);
	CU_add_test(s, "lcore roles", test_lcores);
	CU_add_test(s, "port ranges", test_port_ranges);
	CU_add_test(s, "port fields", test_port_fields);
	CU_add_test(s, "access and core", test_two_ports);
	CU_add_test(s, "eal, iq, crypto", test_other_sections);
	CU_add_test(s, "msrp", test_msrp);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
