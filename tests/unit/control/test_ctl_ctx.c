/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CUnit: contexts, terminations and the flows control programs from them
 * (control/ctl_ctx.c, ctl_flowprog.c), over a real data plane on net_null
 * ports (no exception path; next hops from static neighbours). The media
 * workers are not started: these tests look at what control publishes.
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include <CUnit/Basic.h>
#include <rte_eal.h>

#include "cfg.h"
#include "ctl.h"
#include "dp.h"
#include "sec.h"

static const char conf[] =
	"lcores = { control = 0; media = [ 1 ]; msrp = [ ]; };\n"
	"dataplane = { mbufs = 2047; };\n"
	"ports = {\n"
	"  access = { device = \"net_null0\"; ipv4 = [ \"192.0.2.1/24\" ];\n"
	"    ipv6 = [ \"2001:db8:a::1/64\" ];\n"
	"    udp_min = 20000; udp_max = 20007; tcp_min = 20000; tcp_max = 20099;\n"
	"    neighbours = ( { ip = \"192.0.2.2\"; mac = \"02:00:00:00:0a:02\"; },\n"
	"                   { ip = \"2001:db8:a::2\"; mac = \"02:00:00:00:0a:02\"; } );\n"
	"    exception = \"none\"; };\n"
	"  core = { device = \"net_null1\"; ipv4 = [ \"198.51.100.1/24\" ];\n"
	"    udp_min = 30000; udp_max = 39999; tcp_min = 30000; tcp_max = 39999;\n"
	"    neighbours = ( { ip = \"198.51.100.2\"; mac = \"02:00:00:00:0c:02\"; } );\n"
	"    exception = \"none\"; };\n"
	"};\n"
	"limits = { max_contexts = 3; max_flows = 64; };\n";

static struct cfg *cfg;
static struct dp *dp;
static struct ctl_loop *loop;
static struct ctl *ctl;

static int
setup(void)
{
	char err[CFG_ERR_MAX];
	char *argv[] = { "test_ctl_ctx", "--no-huge", "-m", "256", "--no-pci", "--no-shconf",
			 "--file-prefix=imsagw-t-ctl", "-l", "0,1", "--log-level=*:error",
			 "--vdev=net_null0", "--vdev=net_null1", NULL };

	if (cfg_load_string(conf, "test.conf", &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if (rte_eal_init((int)RTE_DIM(argv) - 1, argv) < 0)
		return -1;
	dp = dp_create(cfg, err, sizeof(err));
	if (dp == NULL) {
		fprintf(stderr, "dp_create: %s\n", err);
		return -1;
	}
	loop = ctl_loop_create();
	ctl = loop != NULL ? ctl_create(cfg, dp, loop, err, sizeof(err)) : NULL;
	if (ctl == NULL) {
		fprintf(stderr, "ctl_create: %s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown(void)
{
	ctl_destroy(ctl);
	ctl_loop_destroy(loop);
	dp_destroy(dp);
	rte_eal_cleanup();
	cfg_free(cfg);
	return 0;
}

static void
ip4(struct cfg_ip *ip, const char *s)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = AF_INET;
	inet_pton(AF_INET, s, &ip->a.v4);
}

static struct ctl_term_spec
spec(enum cfg_port_role realm, const char *remote, uint16_t rport)
{
	struct ctl_term_spec s;

	memset(&s, 0, sizeof(s));
	s.realm = realm;
	if (remote != NULL) {
		ip4(&s.remote, remote);
		s.remote_port = rport;
	}
	return s;
}

/* The published flow keyed on (role's port, addr, port), or NULL. */
static struct dp_flow *
flow_at(enum cfg_port_role role, const char *addr, uint16_t port)
{
	struct dp_port_info pi;
	struct dp_flow_key k;

	memset(&k, 0, sizeof(k));
	dp_port_info(dp, role, &pi);
	k.port_id = pi.port_id;
	k.family = 4;
	inet_pton(AF_INET, addr, k.local_addr);
	k.local_port = htons(port);
	return dp_flow_lookup(dp_flows(dp), &k);
}

/* Let the RCU defer queue drain (no worker runs, so the grace period is
 * immediate). */
static void
settle(void)
{
	ctl_poll(ctl);
	dp_flow_sync(dp_flows(dp));
	ctl_poll(ctl);
}

static void
test_call_flows(void)
{
	struct ctl_term_spec sa = spec(CFG_PORT_ACCESS, "192.0.2.2", 5004);
	struct ctl_term_spec sc = spec(CFG_PORT_CORE, "198.51.100.2", 6004);
	struct ctl_term_info a, c;
	struct dp_flow *f;
	uint32_t ctx = 0;
	uint8_t want_ip[4];

	CU_ASSERT_EQUAL_FATAL(ctl_context_create(ctl, &ctx), 0);
	CU_ASSERT_EQUAL(ctl_term_add(ctl, ctx, NULL, &sa, &a), 0);
	CU_ASSERT_STRING_EQUAL(a.id, "ip/access/1");
	CU_ASSERT_EQUAL(a.local_port, 20000);
	CU_ASSERT_EQUAL(a.local_rtcp_port, 20001);
	/* One termination: its flows exist (the gate counts its packets) but
	 * are closed: there is nowhere to send yet. */
	CU_ASSERT_EQUAL(dp_flow_count(dp_flows(dp)), 2);
	f = flow_at(CFG_PORT_ACCESS, "192.0.2.1", 20000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT(f->flags & DP_FLOW_F_GATE_CLOSED);

	CU_ASSERT_EQUAL(ctl_term_add(ctl, ctx, "IP/Core/Main", &sc, &c), 0);
	CU_ASSERT_STRING_EQUAL(c.id, "ip/core/main"); /* stored lower case */
	CU_ASSERT_EQUAL(c.local_port, 30000);
	CU_ASSERT_EQUAL(dp_flow_count(dp_flows(dp)), 4);

	/* access RTP in-flow: open, leaving the core port toward 198.51.100.2:6004
	 * from 198.51.100.1:30000. */
	f = flow_at(CFG_PORT_ACCESS, "192.0.2.1", 20000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->flags & (DP_FLOW_F_GATE_CLOSED | DP_FLOW_F_NO_NEIGH), 0);
	CU_ASSERT_EQUAL(f->xform, DP_XFORM_RELAY);
	CU_ASSERT_EQUAL(f->eg.family, 4);
	CU_ASSERT_EQUAL(f->eg.hdr_len, 14 + 20 + 8);
	/* template: dst MAC from the static neighbour, IPv4 src/dst, UDP ports */
	CU_ASSERT_EQUAL(memcmp(f->eg.hdr, "\x02\x00\x00\x00\x0c\x02", 6), 0);
	inet_pton(AF_INET, "198.51.100.1", want_ip);
	CU_ASSERT_EQUAL(memcmp(f->eg.hdr + 14 + 12, want_ip, 4), 0);
	inet_pton(AF_INET, "198.51.100.2", want_ip);
	CU_ASSERT_EQUAL(memcmp(f->eg.hdr + 14 + 16, want_ip, 4), 0);
	CU_ASSERT_EQUAL(memcmp(f->eg.hdr + 34, "\x75\x30\x17\x74", 4), 0); /* 30000 -> 6004 */
	/* RTCP in-flow of the core termination goes to the UE's port + 1. */
	f = flow_at(CFG_PORT_CORE, "198.51.100.1", 30001);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT(f->flags & DP_FLOW_F_RTCP);
	CU_ASSERT_EQUAL(memcmp(f->eg.hdr + 34, "\x4e\x21\x13\x8d", 4), 0); /* 20001 -> 5005 */

	/* Case-insensitive lookup of the termination. */
	CU_ASSERT_EQUAL(ctl_term_get(ctl, ctx, "IP/CORE/MAIN", &c, NULL), 0);
	CU_ASSERT_EQUAL(ctl_term_get(ctl, ctx + 100, "ip/core/main", &c, NULL), -ENOENT);
	CU_ASSERT_EQUAL(ctl_term_get(ctl, ctx, "ip/core/other", &c, NULL), -ESRCH);

	/* A third termination does not fit. */
	CU_ASSERT_EQUAL(ctl_term_add(ctl, ctx, NULL, &sc, &c), -E2BIG);

	/* Subtracting the core termination closes the access one's gates. */
	CU_ASSERT_EQUAL(ctl_term_subtract(ctl, ctx, "ip/core/main", NULL), 0);
	settle();
	CU_ASSERT_EQUAL(dp_flow_count(dp_flows(dp)), 2);
	f = flow_at(CFG_PORT_ACCESS, "192.0.2.1", 20000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT(f->flags & DP_FLOW_F_GATE_CLOSED);
	CU_ASSERT_PTR_NULL(flow_at(CFG_PORT_CORE, "198.51.100.1", 30000));
	/* The last subtract removes the context. */
	CU_ASSERT_EQUAL(ctl_term_subtract(ctl, ctx, "ip/access/1", NULL), 0);
	settle();
	CU_ASSERT_EQUAL(ctl_context_count(ctl), 0);
	CU_ASSERT_EQUAL(ctl_term_count(ctl), 0);
	CU_ASSERT_EQUAL(dp_flow_count(dp_flows(dp)), 0);
	CU_ASSERT_EQUAL(dp_flow_pending(dp_flows(dp)), 0);
	CU_ASSERT_EQUAL(ctl_term_subtract(ctl, ctx, "ip/access/1", NULL), -ENOENT);
}

static void
test_modes_and_mux(void)
{
	struct ctl_term_spec sa = spec(CFG_PORT_ACCESS, "192.0.2.2", 5004);
	struct ctl_term_spec sc = spec(CFG_PORT_CORE, "198.51.100.2", 6004);
	struct ctl_term_info a, c;
	struct dp_flow *fa, *fc;
	uint32_t ctx = 0;

	sa.mode = CTL_MODE_RECVONLY;
	CU_ASSERT_EQUAL_FATAL(ctl_context_create(ctl, &ctx), 0);
	CU_ASSERT_EQUAL(ctl_term_add(ctl, ctx, NULL, &sa, &a), 0);
	CU_ASSERT_EQUAL(ctl_term_add(ctl, ctx, NULL, &sc, &c), 0);
	/* ReceiveOnly on access: what the UE sends passes, nothing goes to it. */
	fa = flow_at(CFG_PORT_ACCESS, "192.0.2.1", a.local_port);
	fc = flow_at(CFG_PORT_CORE, "198.51.100.1", c.local_port);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fa);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fc);
	CU_ASSERT_EQUAL(fa->flags & DP_FLOW_F_GATE_CLOSED, 0);
	CU_ASSERT(fc->flags & DP_FLOW_F_GATE_CLOSED);
	/* Inactive on core: both directions closed. */
	sc.mode = CTL_MODE_INACTIVE;
	CU_ASSERT_EQUAL(ctl_term_modify(ctl, ctx, c.id, &sc, &c), 0);
	fa = flow_at(CFG_PORT_ACCESS, "192.0.2.1", a.local_port);
	CU_ASSERT(fa->flags & DP_FLOW_F_GATE_CLOSED);
	/* SendReceive again: open, and the counters' state survived the
	 * replaces (same dp_flow_state). */
	sc.mode = CTL_MODE_SENDRECV;
	sa.mode = CTL_MODE_SENDRECV;
	{
		struct dp_flow_state *st = fa->st;

		CU_ASSERT_EQUAL(ctl_term_modify(ctl, ctx, c.id, &sc, &c), 0);
		CU_ASSERT_EQUAL(ctl_term_modify(ctl, ctx, a.id, &sa, &a), 0);
		fa = flow_at(CFG_PORT_ACCESS, "192.0.2.1", a.local_port);
		CU_ASSERT_PTR_EQUAL(fa->st, st);
		CU_ASSERT_EQUAL(fa->flags & DP_FLOW_F_GATE_CLOSED, 0);
	}
	/* rtcp-mux on one side only is refused; both sides: one flow each. */
	sa.rtcp_mux = true;
	CU_ASSERT_EQUAL(ctl_term_modify(ctl, ctx, a.id, &sa, &a), -ENOTSUP);
	CU_ASSERT_EQUAL(ctl_context_delete(ctl, ctx), 0);
	settle();
	CU_ASSERT_EQUAL(dp_flow_count(dp_flows(dp)), 0);

	ctx = 0;
	sc.rtcp_mux = true;
	CU_ASSERT_EQUAL_FATAL(ctl_context_create(ctl, &ctx), 0);
	CU_ASSERT_EQUAL(ctl_term_add(ctl, ctx, NULL, &sa, &a), 0);
	CU_ASSERT_EQUAL(ctl_term_add(ctl, ctx, NULL, &sc, &c), 0);
	CU_ASSERT_EQUAL(a.local_rtcp_port, a.local_port);
	CU_ASSERT_EQUAL(dp_flow_count(dp_flows(dp)), 2);
	CU_ASSERT_EQUAL(ctl_context_delete(ctl, ctx), 0);
	settle();
}

static void
test_resources(void)
{
	struct ctl_term_spec sa = spec(CFG_PORT_ACCESS, NULL, 0);
	struct ctl_term_info a;
	uint32_t ctx[4] = { 0 };
	uint16_t port0;
	unsigned int i;

	/* limits.max_contexts = 3 */
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(ctl_context_create(ctl, &ctx[i]), 0);
	CU_ASSERT_EQUAL(ctl_context_create(ctl, &ctx[3]), -ENOSPC);
	/* An explicit id already in use (with room for one more). */
	CU_ASSERT_EQUAL(ctl_context_delete(ctl, ctx[2]), 0);
	ctx[3] = ctx[0];
	CU_ASSERT_EQUAL(ctl_context_create(ctl, &ctx[3]), -EEXIST);
	ctx[2] = 0;
	CU_ASSERT_EQUAL(ctl_context_create(ctl, &ctx[2]), 0);
	/* The access pool [20000, 20007] holds 4 pairs. */
	CU_ASSERT_EQUAL(ctl_term_add(ctl, ctx[0], NULL, &sa, &a), 0);
	port0 = a.local_port;
	for (i = 1; i < 3; i++)
		CU_ASSERT_EQUAL(ctl_term_add(ctl, ctx[i], NULL, &sa, &a), 0);
	CU_ASSERT_EQUAL(ctl_term_add(ctl, ctx[0], NULL, &sa, &a), 0);
	CU_ASSERT_EQUAL(ctl_term_add(ctl, ctx[1], NULL, &sa, &a), -ENOSPC);
	/* A requested port: in use, odd, outside the range. */
	sa.local_port = port0;
	CU_ASSERT_EQUAL(ctl_term_add(ctl, ctx[1], NULL, &sa, &a), -EADDRNOTAVAIL);
	sa.local_port = 20001;
	CU_ASSERT_EQUAL(ctl_term_add(ctl, ctx[1], NULL, &sa, &a), -EADDRNOTAVAIL);
	sa.local_port = 20008;
	CU_ASSERT_EQUAL(ctl_term_add(ctl, ctx[1], NULL, &sa, &a), -EADDRNOTAVAIL);
	/* Freed with its context, then asked for by number. */
	CU_ASSERT_EQUAL(ctl_context_delete(ctl, ctx[0]), 0);
	sa.local_port = port0;
	CU_ASSERT_EQUAL(ctl_term_add(ctl, ctx[1], "t1", &sa, &a), 0);
	CU_ASSERT_EQUAL(a.local_port, port0);
	CU_ASSERT_EQUAL(ctl_term_add(ctl, ctx[2], "T1", &sa, &a), -EEXIST); /* same id */
	/* IPv6 local address when asked; none on the core port. */
	sa.local_port = 0;
	sa.family = AF_INET6;
	CU_ASSERT_EQUAL(ctl_context_delete(ctl, ctx[1]), 0);
	ctx[1] = 0;
	CU_ASSERT_EQUAL(ctl_context_create(ctl, &ctx[1]), 0);
	CU_ASSERT_EQUAL(ctl_term_add(ctl, ctx[1], NULL, &sa, &a), 0);
	CU_ASSERT_EQUAL(a.local.family, AF_INET6);
	sa.realm = CFG_PORT_CORE;
	CU_ASSERT_EQUAL(ctl_term_add(ctl, ctx[1], NULL, &sa, &a), -EADDRNOTAVAIL);
	CU_ASSERT_EQUAL(ctl_context_delete(ctl, ctx[1]), 0);
	CU_ASSERT_EQUAL(ctl_context_delete(ctl, ctx[2]), 0);
	settle();
	CU_ASSERT_EQUAL(ctl_context_count(ctl), 0);
	CU_ASSERT_EQUAL(dp_flow_count(dp_flows(dp)), 0);
}

static void
test_admin_lines(void)
{
	char out[4096], line[128];
	unsigned int ctx = 0;

	ctl_admin_exec(ctl, "context add", out, sizeof(out));
	CU_ASSERT_EQUAL_FATAL(sscanf(out, "ok ctx=%u\n", &ctx), 1);
	snprintf(line, sizeof(line), "term add ctx=%u realm=access remote=192.0.2.2 rport=5004 latch",
		 ctx);
	ctl_admin_exec(ctl, line, out, sizeof(out));
	CU_ASSERT_EQUAL(strncmp(out, "ok ctx=", 7), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, " id=ip/access/"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, " local=192.0.2.1 port=20"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, " remote=192.0.2.2 rport=5004 latched=0\n"));
	snprintf(line, sizeof(line), "term add ctx=%u realm=edge", ctx);
	ctl_admin_exec(ctl, line, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "error bad realm=\n");
	snprintf(line, sizeof(line), "term add ctx=%u realm=core rport=70000", ctx);
	ctl_admin_exec(ctl, line, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "error bad rport=\n");
	ctl_admin_exec(ctl, "term add ctx=4000000 realm=core", out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "error unknown context\n");
	snprintf(line, sizeof(line), "context delete ctx=%u", ctx);
	ctl_admin_exec(ctl, line, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "ok\n");
	ctl_admin_exec(ctl, line, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "error unknown context\n");
	ctl_admin_exec(ctl, "frobnicate", out, sizeof(out));
	CU_ASSERT_EQUAL(strncmp(out, "error unknown command", 21), 0);
	settle();
}

int
main(void)
{
	CU_pSuite s;
	int failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("ctl_ctx", setup, teardown);
	CU_add_test(s, "a call's flows", test_call_flows);
	CU_add_test(s, "modes, state across replaces, rtcp-mux", test_modes_and_mux);
	CU_add_test(s, "limits, port pool, ids, families", test_resources);
	CU_add_test(s, "admin command lines", test_admin_lines);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = (int)(CU_get_number_of_failures() + CU_get_number_of_suites_failed());
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
