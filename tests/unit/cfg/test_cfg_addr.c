/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cfg_addr.c: addresses, prefixes, endpoints, MACs and routes, good and bad,
 * through the public API (each error at its line).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "cfg.h"
#include "cfg_test.h"

/* The access port with one extra line (line 10). */
#define ACC(line) CFG_TEST_LCORES CFG_TEST_ACCESS line "\n" CFG_TEST_CORE CFG_TEST_END

static void
test_good(void)
{
	struct cfg *c = load_ok(ACC("    ipv6 = [ \"2001:DB8:a::1/128\", \"fe80::1/10\" ];"
				    " mac = \"02:AB:cd:00:00:01\";"
				    " routes = [ \"2001:db8:b::/48 via 2001:db8:a::1\" ];"));
	const struct cfg_port *a;
	char buf[INET6_ADDRSTRLEN];

	if (c == NULL)
		return;
	a = &c->ports[CFG_PORT_ACCESS];
	CU_ASSERT_EQUAL(a->n_addr6, 2);
	CU_ASSERT_STRING_EQUAL(cfg_ip_str(&a->addr6[0].ip, buf, sizeof(buf)), "2001:db8:a::1");
	CU_ASSERT_EQUAL(a->addr6[0].len, 128);
	CU_ASSERT_EQUAL(a->addr6[1].len, 10);
	CU_ASSERT_EQUAL(a->mac[0], 0x02);
	CU_ASSERT_EQUAL(a->mac[1], 0xab);
	CU_ASSERT_EQUAL(a->mac[2], 0xcd);
	CU_ASSERT_EQUAL(a->mac[5], 0x01);
	CU_ASSERT_EQUAL(a->n_routes, 1);
	CU_ASSERT_EQUAL(a->routes[0].dst.len, 48);
	CU_ASSERT_STRING_EQUAL(cfg_ip_str(&a->routes[0].dst.ip, buf, sizeof(buf)), "2001:db8:b::");
	CU_ASSERT_STRING_EQUAL(cfg_ip_str(&a->routes[0].via, buf, sizeof(buf)), "2001:db8:a::1");
	cfg_free(c);
}

static void
test_bad_ipv4(void)
{
	/* The template has ipv4: these files stop after it (the walk reports
	 * the bad element before any later missing key). */
	EXPECT_ERR(CFG_TEST_LCORES "ports = {\n  access = {\n    device = \"x\";\n"
				   "    ipv4 = [ \"192.0.2.300/24\" ];\n  };\n};\n",
		   5, "ports.access.ipv4[0]: bad IPv4 prefix '192.0.2.300/24'");
	EXPECT_ERR(CFG_TEST_LCORES
		   "ports = {\n  access = {\n    device = \"x\";\n"
		   "    ipv4 = [ \"192.0.2.1/24\",\n \"192.0.2.2/33\" ];\n  };\n};\n",
		   6, "ports.access.ipv4[1]: bad IPv4 prefix '192.0.2.2/33': length must be 0..32");
	EXPECT_ERR(ACC("    ipv6 = [ \"192.0.2.1/24\" ];"), 10,
		   "ports.access.ipv6[0]: bad IPv6 prefix '192.0.2.1/24': '192.0.2.1' is not an "
		   "IPv6 address");
	EXPECT_ERR(ACC("    ipv6 = [ \"2001:db8::1\" ];"), 10,
		   "bad IPv6 prefix '2001:db8::1': expected ADDRESS/LENGTH");
	EXPECT_ERR(ACC("    ipv6 = [ \"2001:db8::1/-1\" ];"), 10, "length must be 0..128");
	EXPECT_ERR(ACC("    ipv6 = [ \"2001:db8::1/ 64\" ];"), 10, "length must be 0..128");
	EXPECT_ERR(ACC("    ipv6 = [ \"2001:db8:::1/64\" ];"), 10,
		   "bad IPv6 prefix '2001:db8:::1/64'");
}

static void
test_bad_endpoint(void)
{
	EXPECT_ERR(CFG_TEST_MIN "iq = { listen = \"127.0.0.1\"; };\n", 20,
		   "iq.listen: bad endpoint '127.0.0.1': expected IPv4:PORT or [IPv6]:PORT");
	EXPECT_ERR(CFG_TEST_MIN "iq = { listen = \"::1:2945\"; };\n", 20,
		   "iq.listen: bad endpoint '::1:2945'");
	EXPECT_ERR(CFG_TEST_MIN "iq = { listen = \"[127.0.0.1]:2945\"; };\n", 20,
		   "brackets are for IPv6 addresses");
	EXPECT_ERR(CFG_TEST_MIN "iq = { listen = \"127.0.0.1:0\"; };\n", 20,
		   "port must be 1..65535");
	EXPECT_ERR(CFG_TEST_MIN "iq = { listen = \"127.0.0.1:65536\"; };\n", 20,
		   "port must be 1..65535");
	EXPECT_ERR(CFG_TEST_MIN "iq = { listen = \"[::1]2945\"; };\n", 20, "expected [IPv6]:PORT");
	EXPECT_ERR(CFG_TEST_MIN "iq = { mgc = [ \"localhost:2944\" ]; };\n", 20,
		   "iq.mgc[0]: bad endpoint 'localhost:2944': bad IP address 'localhost'");
}

static void
test_bad_mac_route(void)
{
	EXPECT_ERR(ACC("    mac = \"02:00:00:00:00\";"), 10,
		   "ports.access.mac: bad MAC address '02:00:00:00:00'");
	EXPECT_ERR(ACC("    mac = \"02-00-00-00-00-01\";"), 10, "bad MAC address");
	EXPECT_ERR(ACC("    mac = \"02:00:00:00:00:0g\";"), 10, "bad MAC address");
	EXPECT_ERR(ACC("    routes = [ \"10.0.0.0/8 192.0.2.254\" ];"), 10,
		   "ports.access.routes[0]: bad route '10.0.0.0/8 192.0.2.254': expected "
		   "'PREFIX via ADDRESS'");
	EXPECT_ERR(ACC("    routes = [ \"10.0.0.0/8 via 192.0.2.254 x\" ];"), 10,
		   "expected 'PREFIX via ADDRESS'");
	EXPECT_ERR(ACC("    routes = [ \"10.0.0.0/8 via 2001:db8::1\" ];"), 10,
		   "'2001:db8::1' is not an IPv4 address");
	EXPECT_ERR(ACC("    routes = [ \"10.0.0/8 via 192.0.2.254\" ];"), 10,
		   "bad route '10.0.0/8 via 192.0.2.254'");
	EXPECT_ERR(ACC("    neighbours = ( { ip = \"192.0.2.300\"; mac = \"02:00:00:00:00:01\"; "
		       "} );"),
		   10, "ports.access.neighbours[0].ip: bad IP address '192.0.2.300'");
}

int
main(void)
{
	unsigned int failed;
	CU_pSuite s;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("cfg_addr", NULL, NULL);
	CU_add_test(s, "good addresses", test_good);
	CU_add_test(s, "bad IPv4/IPv6 prefixes", test_bad_ipv4);
	CU_add_test(s, "bad endpoints", test_bad_endpoint);
	CU_add_test(s, "bad MACs and routes", test_bad_mac_route);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
