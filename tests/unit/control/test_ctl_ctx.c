/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CUnit: contexts, terminations and the flows control programs from them
 * (control/ctl_ctx.c, ctl_flowprog.c), over a real data plane on net_null
 * ports (no exception path; next hops from static neighbours). The media
 * workers are not started: these tests look at what control publishes.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <arpa/inet.h>

#include <CUnit/Basic.h>
#include <openssl/crypto.h>
#include <rte_eal.h>

#include "cfg.h"
#include "ctl.h"
#include "dp.h"
#include "sdes.h"
#include "sec.h"
#include "ctl_test.h"

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
	struct sec_config sc = { .default_engine = SEC_ENGINE_OPENSSL, .disable_cryptodev = true };

	if (cfg_load_string(conf, "test.conf", &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if (rte_eal_init((int)RTE_DIM(argv) - 1, argv) < 0)
		return -1;
	/* e2ae tests: the openssl engine runs our transform without a
	 * crypto device. */
	if (sec_init(&sc) < 0)
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

static void
be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static struct ctl_term_spec
spec(enum cfg_port_role realm, const char *remote, uint16_t rport)
{
	struct ctl_term_spec s;

	ctl_spec_init(&s);
	s.set = CTL_SET_ALL; /* a modify with it replaces every field */
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
	uint32_t ctx = 0, ctx2 = 0;
	uint8_t want_ip[4], want_ports[4];
	char aid[CTL_TERM_ID_MAX + 1];

	CU_ASSERT_EQUAL_FATAL(ctl_context_create(ctl, &ctx), 0);
	/* Ids and ports we choose are random (issue 11): not the last call's
	 * plus one. */
	CU_ASSERT_EQUAL_FATAL(ctl_context_create(ctl, &ctx2), 0);
	CU_ASSERT(ctx >= 1 && ctx <= 0xfffffffdu && ctx2 >= 1 && ctx2 <= 0xfffffffdu);
	CU_ASSERT(ctx2 != ctx + 1);
	CU_ASSERT_EQUAL(ctl_context_delete(ctl, ctx2), 0);
	CU_ASSERT_EQUAL(ctl_term_add(ctl, ctx, NULL, &sa, &a), 0);
	CU_ASSERT_EQUAL(strncmp(a.id, "ip/access/", 10), 0);
	CU_ASSERT(strtoul(a.id + 10, NULL, 10) > 0);
	snprintf(aid, sizeof(aid), "%s", a.id);
	CU_ASSERT(a.local_port >= 20000 && a.local_port <= 20006 && a.local_port % 2 == 0);
	CU_ASSERT_EQUAL(a.local_rtcp_port, a.local_port + 1);
	/* One termination: its flows exist (the gate counts its packets) but
	 * are closed: there is nowhere to send yet. */
	CU_ASSERT_EQUAL(dp_flow_count(dp_flows(dp)), 2);
	f = flow_at(CFG_PORT_ACCESS, "192.0.2.1", a.local_port);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT(f->flags & DP_FLOW_F_GATE_CLOSED);

	CU_ASSERT_EQUAL(ctl_term_add(ctl, ctx, "IP/Core/Main", &sc, &c), 0);
	CU_ASSERT_STRING_EQUAL(c.id, "ip/core/main"); /* stored lower case */
	CU_ASSERT(c.local_port >= 30000 && c.local_port <= 39998 && c.local_port % 2 == 0);
	CU_ASSERT_EQUAL(dp_flow_count(dp_flows(dp)), 4);

	/* access RTP in-flow: open, leaving the core port toward 198.51.100.2:6004
	 * from the core termination's port. */
	f = flow_at(CFG_PORT_ACCESS, "192.0.2.1", a.local_port);
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
	be16(want_ports, c.local_port);
	be16(want_ports + 2, 6004);
	CU_ASSERT_EQUAL(memcmp(f->eg.hdr + 34, want_ports, 4), 0);
	/* RTCP in-flow of the core termination goes to the UE's port + 1. */
	f = flow_at(CFG_PORT_CORE, "198.51.100.1", c.local_rtcp_port);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT(f->flags & DP_FLOW_F_RTCP);
	be16(want_ports, a.local_rtcp_port);
	be16(want_ports + 2, 5005);
	CU_ASSERT_EQUAL(memcmp(f->eg.hdr + 34, want_ports, 4), 0);

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
	f = flow_at(CFG_PORT_ACCESS, "192.0.2.1", a.local_port);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT(f->flags & DP_FLOW_F_GATE_CLOSED);
	CU_ASSERT_PTR_NULL(flow_at(CFG_PORT_CORE, "198.51.100.1", c.local_port));
	/* The last subtract removes the context. */
	CU_ASSERT_EQUAL(ctl_term_subtract(ctl, ctx, aid, NULL), 0);
	settle();
	CU_ASSERT_EQUAL(ctl_context_count(ctl), 0);
	CU_ASSERT_EQUAL(ctl_term_count(ctl), 0);
	CU_ASSERT_EQUAL(dp_flow_count(dp_flows(dp)), 0);
	CU_ASSERT_EQUAL(dp_flow_pending(dp_flows(dp)), 0);
	CU_ASSERT_EQUAL(ctl_term_subtract(ctl, ctx, aid, NULL), -ENOENT);
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

/* ---- e2ae state across Move and Modify ------------------------------- */

enum { PKT_ROOM = 256, UE_SSRC = 0x11223344, GW_SSRC = 0x55667788 };

struct pkt {
	uint8_t b[PKT_ROOM];
	struct sec_pkt p;
};

static void
be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* V=2 header (the second byte is the RTCP type or RTP's PT), ssrc at off,
 * then fill bytes up to len. */
static void
mk_pkt(struct pkt *k, uint8_t b1, unsigned int ssrc_off, uint32_t ssrc, uint8_t fill,
       uint32_t len)
{
	memset(k, 0, sizeof(*k));
	k->b[0] = 0x80;
	k->b[1] = b1;
	be32(k->b + ssrc_off, ssrc);
	memset(k->b + ssrc_off + 4, fill, len - ssrc_off - 4);
	k->p.data = k->b;
	k->p.len = len;
	k->p.room = PKT_ROOM;
}

/* RTP: PT 0, seq, ts = seq, ssrc, 20 payload bytes. */
static void
mk_rtp(struct pkt *k, uint16_t seq, uint32_t ssrc)
{
	mk_pkt(k, 0, 8, ssrc, 0xa5, 32);
	k->b[2] = (uint8_t)(seq >> 8);
	k->b[3] = (uint8_t)seq;
	k->b[7] = (uint8_t)seq;
}

/* RTCP RR without report blocks (RFC 3550 §6.4.2), length 3 words, plus
 * 8 bytes so there is something to encrypt. */
static void
mk_rtcp(struct pkt *k, uint32_t ssrc)
{
	mk_pkt(k, 201, 4, ssrc, 0x3c, 16);
	k->b[3] = 3;
}

static struct sec_session *
mk_session(const struct sdes_crypto *key, enum sec_dir dir)
{
	struct sec_session_params p;
	struct sec_session *s;
	int err = 0;

	CU_ASSERT_EQUAL_FATAL(sec_params_from_sdes(&p, key), 0);
	p.dir = dir;
	p.proto = SEC_PROTO_SRTP | SEC_PROTO_SRTCP;
	p.engine = SEC_ENGINE_OPENSSL;
	s = sec_session_create(&p, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	return s;
}

/* One packet through a flow's session as its worker would; the status. */
static int
through(const struct dp_flow *f, struct pkt *k)
{
	/* What the worker runs for each SRTP xform. */
	static uint16_t (*const burst[])(struct sec_session *, struct sec_pkt *, uint16_t,
					 uint8_t *) = {
		[DP_XFORM_SRTP_UNPROTECT] = sec_unprotect_burst,
		[DP_XFORM_SRTP_PROTECT] = sec_protect_burst,
		[DP_XFORM_SRTCP_UNPROTECT] = sec_rtcp_unprotect_burst,
		[DP_XFORM_SRTCP_PROTECT] = sec_rtcp_protect_burst,
	};
	uint8_t st = SEC_ST_ERROR;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f->sec);
	CU_ASSERT_FATAL(f->xform > DP_XFORM_RELAY && f->xform <= DP_XFORM_SRTCP_PROTECT);
	burst[f->xform](f->sec, &k->p, 1, &st);
	return st;
}

/* A copy of a packet the flow already took, sent again: the status. */
static int
again(const struct pkt *old, enum cfg_port_role role, const char *addr, uint16_t port)
{
	struct pkt k = *old;

	k.p.data = k.b;
	return through(flow_at(role, addr, port), &k);
}

/* Count n packets on a flow as its worker would (no worker runs here). */
static void
count_in(enum cfg_port_role role, const char *addr, uint16_t port, uint64_t n)
{
	struct dp_flow *f = flow_at(role, addr, port);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	f->st->pkts += n;
	f->st->bytes += n * 160;
}

static uint64_t
rtp_out_of(uint32_t ctx, const char *id)
{
	struct ctl_term_stats st;

	CU_ASSERT_EQUAL(ctl_term_get(ctl, ctx, id, NULL, &st), 0);
	return st.rtp_out.pkts;
}

static uint32_t
srtcp_index_of(const struct dp_flow *f, uint32_t ssrc)
{
	struct sec_stream_info si;

	CU_ASSERT_EQUAL_FATAL(sec_session_stream_info(f->sec, ssrc, &si), 0);
	return si.srtcp_index;
}

/*
 * RFC 3711 §9.1: a key must never encrypt two packets with the same index.
 * Moving an e2ae termination to another context (H.248.1 §7.2.4) or
 * changing its remote address under the same key must carry its SRTP
 * state: the SRTCP index we send continues, and what the UE sent before is
 * refused as a replay afterwards.
 */
static void
srtp_state_survives(enum sec_suite_id suite)
{
	struct ctl_term_spec sa = spec(CFG_PORT_ACCESS, "192.0.2.2", 5004);
	struct ctl_term_spec sc = spec(CFG_PORT_CORE, "198.51.100.2", 6004);
	struct ctl_term_spec sd = spec(CFG_PORT_CORE, "198.51.100.2", 6008);
	struct sdes_crypto ue_key, gw_key;
	struct sec_session *ue_tx, *ue_rx;
	struct ctl_term_info a, c, d;
	struct pkt old_rtp, old_rtcp, k;
	uint32_t ctx1 = 0, ctx2 = 0, idx;
	const struct dp_flow *f;

	CU_ASSERT_EQUAL_FATAL(sdes_generate(suite, NULL, &ue_key), 0);
	CU_ASSERT_EQUAL_FATAL(sdes_generate(suite, &ue_key, &gw_key), 0);
	ue_tx = mk_session(&ue_key, SEC_DIR_PROTECT);
	ue_rx = mk_session(&gw_key, SEC_DIR_UNPROTECT);
	sa.transport = CTL_TR_SRTP_E2AE;
	sa.engine = SEC_ENGINE_OPENSSL;
	sa.rx_key = ue_key;
	sa.has_rx_key = true;
	sa.local_keys[0] = gw_key;
	sa.n_local_keys = 1;
	CU_ASSERT_EQUAL_FATAL(ctl_context_create(ctl, &ctx1), 0);
	CU_ASSERT_EQUAL_FATAL(ctl_context_create(ctl, &ctx2), 0);
	CU_ASSERT_EQUAL_FATAL(ctl_term_add(ctl, ctx1, NULL, &sa, &a), 0);
	CU_ASSERT_EQUAL_FATAL(ctl_term_add(ctl, ctx1, NULL, &sc, &c), 0);
	CU_ASSERT_EQUAL_FATAL(ctl_term_add(ctl, ctx2, NULL, &sd, &d), 0);

	/* UE -> gateway: one SRTP and one SRTCP packet, kept for replay. */
	mk_rtp(&k, 1, UE_SSRC);
	CU_ASSERT_EQUAL(sec_protect_burst(ue_tx, &k.p, 1, (uint8_t[1]){ 0 }), 1);
	old_rtp = k;
	CU_ASSERT_EQUAL(through(flow_at(CFG_PORT_ACCESS, "192.0.2.1", a.local_port), &k), SEC_ST_OK);
	mk_rtcp(&k, UE_SSRC);
	CU_ASSERT_EQUAL(sec_rtcp_protect_burst(ue_tx, &k.p, 1, (uint8_t[1]){ 0 }), 1);
	old_rtcp = k;
	CU_ASSERT_EQUAL(through(flow_at(CFG_PORT_ACCESS, "192.0.2.1", a.local_rtcp_port), &k),
			SEC_ST_OK);
	/* Gateway -> UE: two SRTCP packets through the core in-flow. */
	f = flow_at(CFG_PORT_CORE, "198.51.100.1", c.local_rtcp_port);
	mk_rtcp(&k, GW_SSRC);
	CU_ASSERT_EQUAL(through(f, &k), SEC_ST_OK);
	mk_rtcp(&k, GW_SSRC);
	CU_ASSERT_EQUAL(through(f, &k), SEC_ST_OK);
	CU_ASSERT_EQUAL(sec_rtcp_unprotect_burst(ue_rx, &k.p, 1, (uint8_t[1]){ 0 }), 1);
	idx = srtcp_index_of(f, GW_SSRC);

	/* 5 RTP packets from the UE went to c's remote, 3 from c's to the UE;
	 * d's remote sent 7 before a came. */
	count_in(CFG_PORT_ACCESS, "192.0.2.1", a.local_port, 5);
	count_in(CFG_PORT_CORE, "198.51.100.1", c.local_port, 3);
	count_in(CFG_PORT_CORE, "198.51.100.1", d.local_port, 7);

	/* Move the access termination next to d. */
	CU_ASSERT_EQUAL_FATAL(ctl_term_move(ctl, a.id, ctx2, &a), 0);
	CU_ASSERT_EQUAL(a.ctx_id, ctx2);
	settle();
	/* Counters moved intact and each stays with whom it went to. */
	{
		struct ctl_term_stats st;

		CU_ASSERT_EQUAL(ctl_term_get(ctl, ctx2, a.id, NULL, &st), 0);
		CU_ASSERT_EQUAL(st.rtp_in.pkts, 5);
		CU_ASSERT_EQUAL(st.rtp_in.bytes, 800);
		CU_ASSERT_EQUAL(st.rtp_out.pkts, 3);
		CU_ASSERT_EQUAL(rtp_out_of(ctx1, c.id), 5);
		CU_ASSERT_EQUAL(rtp_out_of(ctx2, d.id), 0);
		count_in(CFG_PORT_ACCESS, "192.0.2.1", a.local_port, 4);
		count_in(CFG_PORT_CORE, "198.51.100.1", d.local_port, 2);
		CU_ASSERT_EQUAL(rtp_out_of(ctx2, d.id), 4);
		CU_ASSERT_EQUAL(rtp_out_of(ctx2, a.id), 5);
		CU_ASSERT_EQUAL(rtp_out_of(ctx1, c.id), 5);
	}
	CU_ASSERT_EQUAL(again(&old_rtp, CFG_PORT_ACCESS, "192.0.2.1", a.local_port), SEC_ST_REPLAY);
	CU_ASSERT_EQUAL(again(&old_rtcp, CFG_PORT_ACCESS, "192.0.2.1", a.local_rtcp_port),
			SEC_ST_REPLAY);
	f = flow_at(CFG_PORT_CORE, "198.51.100.1", d.local_rtcp_port);
	mk_rtcp(&k, GW_SSRC);
	CU_ASSERT_EQUAL(through(f, &k), SEC_ST_OK);
	CU_ASSERT_EQUAL(srtcp_index_of(f, GW_SSRC), idx + 1);
	CU_ASSERT_EQUAL(sec_rtcp_unprotect_burst(ue_rx, &k.p, 1, (uint8_t[1]){ 0 }), 1);
	/* The old context keeps c alone, gated closed and without keys. */
	f = flow_at(CFG_PORT_CORE, "198.51.100.1", c.local_rtcp_port);
	CU_ASSERT_PTR_NOT_NULL(f);
	CU_ASSERT(f != NULL && (f->flags & DP_FLOW_F_GATE_CLOSED) && f->sec == NULL);
	CU_ASSERT_EQUAL(ctl_term_move(ctl, a.id, ctx2, &a), -EEXIST);
	CU_ASSERT_EQUAL(ctl_term_move(ctl, "ip/access/999999", ctx1, &a), -ESRCH);
	CU_ASSERT_EQUAL(ctl_term_move(ctl, a.id, 4000000, &a), -ENOENT);

	/* A new remote port under the same key (RFC 4568 §7.1.4 asks for a
	 * new key with a new address or port; without one the state must go
	 * on): a delta Modify that names only the remote. */
	sa.remote_port = 5008;
	sa.set = CTL_SET_REMOTE;
	CU_ASSERT_EQUAL_FATAL(ctl_term_modify(ctl, ctx2, a.id, &sa, &a), 0);
	CU_ASSERT_EQUAL(a.remote_port, 5008);
	CU_ASSERT_EQUAL(a.transport, CTL_TR_SRTP_E2AE);
	CU_ASSERT_TRUE(a.has_rx_key);
	CU_ASSERT_EQUAL(a.n_local_keys, 1);
	settle();
	CU_ASSERT_EQUAL(again(&old_rtp, CFG_PORT_ACCESS, "192.0.2.1", a.local_port), SEC_ST_REPLAY);
	f = flow_at(CFG_PORT_CORE, "198.51.100.1", d.local_rtcp_port);
	mk_rtcp(&k, GW_SSRC);
	CU_ASSERT_EQUAL(through(f, &k), SEC_ST_OK);
	CU_ASSERT_EQUAL(srtcp_index_of(f, GW_SSRC), idx + 2);

	CU_ASSERT_EQUAL(ctl_context_delete(ctl, ctx1), 0);
	CU_ASSERT_EQUAL(ctl_context_delete(ctl, ctx2), 0);
	settle();
	CU_ASSERT_EQUAL(dp_flow_count(dp_flows(dp)), 0);
	sec_session_destroy(ue_tx);
	sec_session_destroy(ue_rx);
	sdes_crypto_clear(&ue_key);
	sdes_crypto_clear(&gw_key);
	ctl_spec_clear(&sa);
}

static void
test_move_aes_cm(void)
{
	srtp_state_survives(SEC_SUITE_AES_CM_128_HMAC_SHA1_80);
}

static void
test_move_gcm(void)
{
	srtp_state_survives(SEC_SUITE_AEAD_AES_128_GCM);
}

/* Format and run one admin command line; the reply goes to out. */
static void
admin(char *out, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
admin(char *out, size_t len, const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	ctl_admin_exec(ctl, cmd, out, len);
	OPENSSL_cleanse(cmd, sizeof(cmd));
}

#define UE_B64 "EBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywt"

/*
 * Control owns the keys (SPEC.md §3.5): two CHOOSE lines offered on Add
 * get two fresh keys; a delta Modify with the UE's key binds ours by tag
 * and discards the other; the reply's lines come from control.
 */
static void
test_local_keys(void)
{
	struct ctl_term_spec sa = spec(CFG_PORT_ACCESS, NULL, 0);
	struct ctl_term_spec sc = spec(CFG_PORT_CORE, "198.51.100.2", 6004);
	struct ctl_term_spec d;
	struct ctl_term_info a, c;
	struct sdes_crypto k1, k2, now;
	char line[SDES_LINE_MAX], out[4096];
	const struct dp_flow *f;
	uint32_t ctx = 0;

	sa.transport = CTL_TR_SRTP_E2AE;
	sa.engine = SEC_ENGINE_OPENSSL;
	CU_ASSERT_EQUAL(ctl_spec_local_key(&sa, "1 AEAD_AES_128_GCM inline:$", 27, SEC_SUITE_MASK_ALL,
					   NULL), 0);
	CU_ASSERT_EQUAL(ctl_spec_local_key(&sa, "2 AES_CM_128_HMAC_SHA1_80 inline:$", 34,
					   SEC_SUITE_MASK_ALL, NULL), 0);
	CU_ASSERT_EQUAL(ctl_spec_local_key(&sa, "2 AES_CM_128_HMAC_SHA1_32 inline:$", 34,
					   SEC_SUITE_MASK_ALL, NULL), -EEXIST);
	CU_ASSERT_EQUAL(sa.n_local_keys, 2);
	CU_ASSERT_EQUAL_FATAL(ctl_context_create(ctl, &ctx), 0);
	CU_ASSERT_EQUAL_FATAL(ctl_term_add(ctl, ctx, NULL, &sa, &a), 0);
	CU_ASSERT_EQUAL_FATAL(ctl_term_add(ctl, ctx, NULL, &sc, &c), 0);
	CU_ASSERT_EQUAL(a.n_local_keys, 2);
	CU_ASSERT_EQUAL(a.local_tag[1], 2);
	CU_ASSERT_EQUAL(a.local_suite[0], SEC_SUITE_AEAD_AES_128_GCM);
	CU_ASSERT_FATAL(ctl_term_local_key(ctl, ctx, a.id, 0, line, sizeof(line)) > 0);
	CU_ASSERT_EQUAL_FATAL(sdes_parse(line, strlen(line), SEC_SUITE_MASK_ALL, &k1, NULL), 0);
	CU_ASSERT_FATAL(ctl_term_local_key(ctl, ctx, a.id, 1, line, sizeof(line)) > 0);
	CU_ASSERT_EQUAL_FATAL(sdes_parse(line, strlen(line), SEC_SUITE_MASK_ALL, &k2, NULL), 0);
	CU_ASSERT_EQUAL(ctl_term_local_key(ctl, ctx, a.id, 2, line, sizeof(line)), -ERANGE);
	CU_ASSERT_EQUAL(k1.tag, 1);
	CU_ASSERT_EQUAL(k2.tag, 2);
	CU_ASSERT_NOT_EQUAL(memcmp(k1.key, k2.key, 16), 0);
	/* Two keys offered, none selected: nothing is sent toward the UE. */
	f = flow_at(CFG_PORT_CORE, "198.51.100.1", c.local_port);
	CU_ASSERT(f != NULL && (f->flags & DP_FLOW_F_GATE_CLOSED));

	/* A UE key whose tag we never offered: refused, nothing changes. */
	ctl_spec_init(&d);
	CU_ASSERT_EQUAL(ctl_spec_rx_key(&d, "9 AES_CM_128_HMAC_SHA1_80 inline:" UE_B64,
					strlen("9 AES_CM_128_HMAC_SHA1_80 inline:" UE_B64),
					SEC_SUITE_MASK_ALL, NULL), 0);
	CU_ASSERT_EQUAL(ctl_term_modify(ctl, ctx, a.id, &d, &a), -EINVAL);
	CU_ASSERT_EQUAL(ctl_term_get(ctl, ctx, a.id, &a, NULL), 0);
	CU_ASSERT_EQUAL(a.n_local_keys, 2);
	CU_ASSERT_FALSE(a.has_rx_key);
	/* The UE answers tag 2 (a delta: its key and its address). */
	ctl_spec_clear(&d);
	ctl_spec_init(&d);
	CU_ASSERT_EQUAL(ctl_spec_rx_key(&d, "2 AES_CM_128_HMAC_SHA1_80 inline:" UE_B64,
					strlen("2 AES_CM_128_HMAC_SHA1_80 inline:" UE_B64),
					SEC_SUITE_MASK_ALL, NULL), 0);
	CU_ASSERT_EQUAL(ctl_spec_remote(&d, "192.0.2.2", 9, 5004, 0), 0);
	CU_ASSERT_EQUAL(d.set, CTL_SET_RX_KEY | CTL_SET_REMOTE);
	CU_ASSERT_EQUAL_FATAL(ctl_term_modify(ctl, ctx, a.id, &d, &a), 0);
	CU_ASSERT_EQUAL(a.n_local_keys, 1);
	CU_ASSERT_EQUAL(a.local_tag[0], 2);
	CU_ASSERT_TRUE(a.has_rx_key);
	CU_ASSERT_EQUAL(a.rx_tag, 2);
	CU_ASSERT_EQUAL(a.mode, CTL_MODE_SENDRECV);
	CU_ASSERT_FATAL(ctl_term_local_key(ctl, ctx, a.id, 0, line, sizeof(line)) > 0);
	CU_ASSERT_EQUAL_FATAL(sdes_parse(line, strlen(line), SEC_SUITE_MASK_ALL, &now, NULL), 0);
	CU_ASSERT_EQUAL(memcmp(now.key, k2.key, 16), 0);
	CU_ASSERT_EQUAL(memcmp(now.salt, k2.salt, 14), 0);
	f = flow_at(CFG_PORT_CORE, "198.51.100.1", c.local_port);
	CU_ASSERT(f != NULL && !(f->flags & DP_FLOW_F_GATE_CLOSED) && f->sec != NULL);
	CU_ASSERT_EQUAL(ctl_context_delete(ctl, ctx), 0);
	settle();

	/* The admin socket builds its specs the same way: txkey=generate
	 * answers with control's key; a modify without keys keeps them. */
	ctl_admin_exec(ctl, "context add", out, sizeof(out));
	CU_ASSERT_EQUAL_FATAL(sscanf(out, "ok ctx=%u\n", &ctx), 1);
	admin(out, sizeof(out), "term add ctx=%u realm=access id=ue1 remote=192.0.2.2 rport=5004 "
		 "transport=srtp-e2ae engine=openssl rxkey=1+AES_CM_128_HMAC_SHA1_80+inline:" UE_B64
		 " txkey=generate", ctx);
	CU_ASSERT_EQUAL(strncmp(out, "ok ctx=", 7), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, " txcrypto=1+AES_CM_128_HMAC_SHA1_80+inline:"));
	CU_ASSERT_PTR_NULL(strstr(out, UE_B64));
	admin(out, sizeof(out), "term modify ctx=%u id=ue1 remote=192.0.2.2 rport=5004 "
		 "transport=srtp-e2ae engine=openssl mode=sendonly", ctx);
	CU_ASSERT_EQUAL(strncmp(out, "ok ctx=", 7), 0);
	CU_ASSERT_PTR_NULL(strstr(out, "txcrypto="));
	CU_ASSERT_EQUAL(ctl_term_get(ctl, ctx, "ue1", &a, NULL), 0);
	CU_ASSERT_TRUE(a.has_rx_key);
	CU_ASSERT_EQUAL(a.n_local_keys, 1);
	CU_ASSERT_EQUAL(a.mode, CTL_MODE_SENDONLY);
	admin(out, sizeof(out), "term modify ctx=%u id=ue1 transport=srtp-e2ae rxkey=bogus", ctx);
	CU_ASSERT_STRING_EQUAL(out, "error bad rxkey=\n");
	admin(out, sizeof(out), "context delete ctx=%u", ctx);
	CU_ASSERT_STRING_EQUAL(out, "ok\n");
	settle();
	CU_ASSERT_EQUAL(dp_flow_count(dp_flows(dp)), 0);
	OPENSSL_cleanse(line, sizeof(line));
	OPENSSL_cleanse(out, sizeof(out));
	sdes_crypto_clear(&k1);
	sdes_crypto_clear(&k2);
	sdes_crypto_clear(&now);
	ctl_spec_clear(&d);
	ctl_spec_clear(&sa);
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
	static const struct ctl_test tests[] = {
		{ "a call's flows", test_call_flows },
		{ "modes, state across replaces, rtcp-mux", test_modes_and_mux },
		{ "limits, port pool, ids, families", test_resources },
		{ "admin command lines", test_admin_lines },
		{ "Move and a new remote keep SRTP state (AES-CM)", test_move_aes_cm },
		{ "Move and a new remote keep SRTP state (GCM)", test_move_gcm },
		{ "Local keys: CHOOSE, bind by tag, delta Modify, admin", test_local_keys },
	};

	return ctl_test_run("ctl_ctx", setup, teardown, tests, CTL_TEST_N(tests));
}
