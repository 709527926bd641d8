/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the media worker loop (dataplane/dp_worker.c) on net_ring
 * ports, without privileges: frames are enqueued on the ports' RX rings,
 * the worker runs on lcore 1, and what it sends is read back from the TX
 * rings and compared byte for byte with frames built here from the RFCs
 * (checksums by an RFC 1071 sum of our own). The SRTP cases build their
 * expected packets with a libsrtp2 session (crypto/'s reference engine) and
 * run the flows on the default engine.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "dp.h"
#include "sec.h"

#define RING_SZ 256

static struct rte_mempool *tpool;
static unsigned int ncase;

/* ---- frames -------------------------------------------------------------- */

static uint32_t
sum16(uint32_t s, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)((p[i] << 8) | p[i + 1]);
	if (n & 1)
		s += (uint32_t)(p[n - 1] << 8);
	return s;
}

static uint16_t
fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

struct fspec {
	const uint8_t *dmac, *smac;
	int vlan;   /* -1: untagged */
	int family; /* 4 or 6 */
	const char *src, *dst;
	uint16_t sport, dport; /* host order */
	uint8_t proto;         /* 17 UDP unless set */
	uint16_t ip_id;
	uint8_t ttl;
	uint16_t frag; /* IPv4 flags+offset field, host order */
	const uint8_t *payload;
	uint16_t plen;
};

/* Build an Ethernet frame; returns its length. */
static size_t
build(uint8_t *f, const struct fspec *s)
{
	uint8_t *p = f, *ip, *l4;
	uint8_t a[16], b[16];
	uint16_t l4len = (uint16_t)(8 + s->plen);
	uint8_t proto = s->proto ? s->proto : 17;
	uint32_t cs;

	memcpy(p, s->dmac, 6);
	memcpy(p + 6, s->smac, 6);
	p += 12;
	if (s->vlan >= 0) {
		put16(p, 0x8100);
		put16(p + 2, (uint16_t)s->vlan);
		p += 4;
	}
	put16(p, s->family == 4 ? 0x0800 : 0x86dd);
	p += 2;
	ip = p;
	if (s->family == 4) {
		inet_pton(AF_INET, s->src, a);
		inet_pton(AF_INET, s->dst, b);
		memset(ip, 0, 20);
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(20 + l4len));
		put16(ip + 4, s->ip_id);
		put16(ip + 6, s->frag);
		ip[8] = s->ttl ? s->ttl : 64;
		ip[9] = proto;
		memcpy(ip + 12, a, 4);
		memcpy(ip + 16, b, 4);
		put16(ip + 10, fold(sum16(0, ip, 20)));
		l4 = ip + 20;
	} else {
		inet_pton(AF_INET6, s->src, a);
		inet_pton(AF_INET6, s->dst, b);
		memset(ip, 0, 40);
		ip[0] = 0x60;
		put16(ip + 4, l4len);
		ip[6] = proto;
		ip[7] = s->ttl ? s->ttl : 64;
		memcpy(ip + 8, a, 16);
		memcpy(ip + 24, b, 16);
		l4 = ip + 40;
	}
	put16(l4, s->sport);
	put16(l4 + 2, s->dport);
	put16(l4 + 4, l4len);
	put16(l4 + 6, 0);
	memcpy(l4 + 8, s->payload, s->plen);
	/* UDP checksum over the pseudo-header (RFC 768, RFC 8200 §8.1). */
	if (s->family == 4) {
		cs = sum16(0, a, 4);
		cs = sum16(cs, b, 4);
	} else {
		cs = sum16(0, a, 16);
		cs = sum16(cs, b, 16);
	}
	cs += proto + l4len;
	cs = sum16(cs, l4, l4len);
	put16(l4 + 6, fold(cs) == 0 ? 0xffff : fold(cs));
	return (size_t)(l4 + l4len - f);
}

/* ---- harness ------------------------------------------------------------- */

#define RIG_MAXQ 2

struct rig {
	unsigned int nq;                /* queues per port = workers */
	struct rte_ring *rx[2], *tx[2]; /* queue 0 */
	struct rte_ring *rxq[2][RIG_MAXQ], *txq[2][RIG_MAXQ];
	char name[2][RTE_ETH_NAME_MAX_LEN];
	struct cfg cfg;
	struct dp *dp;
	struct dp_port_info pi[2];
};

static const uint8_t peer_mac[6] = {0x02, 0, 0, 0, 0, 0x77};
static const uint8_t nh_core[6] = {0x02, 0, 0, 0, 0, 0xc7};
static const uint8_t nh_acc[6] = {0x02, 0, 0, 0, 0, 0xa7};

static void
set_prefix(struct cfg_prefix *p, int fam, const char *s, uint8_t len)
{
	p->ip.family = fam;
	inet_pton(fam, s, fam == AF_INET ? (void *)&p->ip.a.v4 : (void *)&p->ip.a.v6);
	p->len = len;
}

static void
set_ip(struct cfg_ip *ip, int fam, const char *s)
{
	ip->family = fam;
	inet_pton(fam, s, fam == AF_INET ? (void *)&ip->a.v4 : (void *)&ip->a.v6);
}

/* Two ring ports and a config: access 192.0.2.1 / 2001:db8:a::1, UDP media
 * 10000-10999; core 198.51.100.1 / 2001:db8:c::1, 20000-20999. */
static int
rig_init_q(struct rig *r, enum cfg_vlan_mode acc_vlan, uint16_t acc_vid, unsigned int nq)
{
	char n[32];
	unsigned int i, q;
	int pid;

	memset(r, 0, sizeof(*r));
	ncase++;
	r->nq = nq;
	for (i = 0; i < 2; i++) {
		for (q = 0; q < nq; q++) {
			snprintf(n, sizeof(n), "trx%u_%u_%u", ncase, i, q);
			r->rxq[i][q] = rte_ring_create(n, RING_SZ, SOCKET_ID_ANY, 0);
			snprintf(n, sizeof(n), "ttx%u_%u_%u", ncase, i, q);
			r->txq[i][q] = rte_ring_create(n, RING_SZ, SOCKET_ID_ANY, 0);
			if (r->rxq[i][q] == NULL || r->txq[i][q] == NULL)
				return -1;
		}
		r->rx[i] = r->rxq[i][0];
		r->tx[i] = r->txq[i][0];
		snprintf(n, sizeof(n), "tport%u_%u", ncase, i);
		pid = rte_eth_from_rings(n, r->rxq[i], nq, r->txq[i], nq,
					 (unsigned int)rte_socket_id());
		if (pid < 0 || rte_eth_dev_get_name_by_port((uint16_t)pid, r->name[i]))
			return -1;
	}
	r->cfg.lcores.control = 0;
	for (q = 0; q < nq; q++)
		r->cfg.lcores.media[q] = 1 + q;
	r->cfg.lcores.n_media = nq;
	snprintf(r->cfg.dataplane.netns, CFG_NAME_MAX, "imsagw-t-unused");
	r->cfg.dataplane.mbufs = 2047;
	r->cfg.dataplane.burst = 32;
	r->cfg.limits.max_flows = 1024;
	for (i = 0; i < 2; i++) {
		struct cfg_port *c = &r->cfg.ports[i];

		c->role = (enum cfg_port_role)i;
		snprintf(c->device, sizeof(c->device), "%s", r->name[i]);
		c->n_addr4 = 1;
		c->n_addr6 = 1;
		c->mtu = 1500;
		c->exc_kind = CFG_EXC_NONE;
	}
	set_prefix(&r->cfg.ports[0].addr4[0], AF_INET, "192.0.2.1", 24);
	set_prefix(&r->cfg.ports[0].addr6[0], AF_INET6, "2001:db8:a::1", 64);
	r->cfg.ports[0].udp_min = 10000;
	r->cfg.ports[0].udp_max = 10999;
	r->cfg.ports[0].vlan_mode = acc_vlan;
	r->cfg.ports[0].vlan_id = acc_vid;
	set_prefix(&r->cfg.ports[1].addr4[0], AF_INET, "198.51.100.1", 24);
	set_prefix(&r->cfg.ports[1].addr6[0], AF_INET6, "2001:db8:c::1", 64);
	r->cfg.ports[1].udp_min = 20000;
	r->cfg.ports[1].udp_max = 20999;
	return 0;
}

static int
rig_init(struct rig *r, enum cfg_vlan_mode acc_vlan, uint16_t acc_vid)
{
	return rig_init_q(r, acc_vlan, acc_vid, 1);
}

static int
rig_create(struct rig *r)
{
	char err[256];
	unsigned int i;

	r->dp = dp_create(&r->cfg, err, sizeof(err));
	if (r->dp == NULL) {
		fprintf(stderr, "dp_create: %s\n", err);
		return -1;
	}
	for (i = 0; i < 2; i++)
		if (dp_port_info(r->dp, (enum cfg_port_role)i, &r->pi[i]) != 0)
			return -1;
	return 0;
}

static void
rig_fini(struct rig *r)
{
	void *m;
	unsigned int i, q;

	if (r->dp != NULL)
		dp_destroy(r->dp);
	r->dp = NULL;
	for (i = 0; i < 2; i++) {
		for (q = 0; q < RIG_MAXQ; q++) {
			while (r->txq[i][q] && rte_ring_dequeue(r->txq[i][q], &m) == 0)
				rte_pktmbuf_free(m);
			while (r->rxq[i][q] && rte_ring_dequeue(r->rxq[i][q], &m) == 0)
				rte_pktmbuf_free(m);
			rte_ring_free(r->rxq[i][q]);
			rte_ring_free(r->txq[i][q]);
		}
	}
}

static void
inject(struct rig *r, unsigned int port, const uint8_t *f, size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(tpool);
	char *d;

	CU_ASSERT_FATAL(m != NULL);
	d = rte_pktmbuf_append(m, (uint16_t)len);
	CU_ASSERT_FATAL(d != NULL);
	memcpy(d, f, len);
	CU_ASSERT_FATAL(rte_ring_enqueue(r->rx[port], m) == 0);
}

/* Start the worker, wait (bounded) until it has received n frames, stop it:
 * dp_stop() returns after the worker's last iteration, TX flushed. */
static void
run_tx(struct rig *r, uint64_t n, uint64_t ntx)
{
	struct dp_lcore_stats s;
	uint64_t end = rte_get_timer_cycles() + 5 * rte_get_timer_hz();

	CU_ASSERT_FATAL(dp_start(r->dp) == 0);
	do {
		dp_stats_total(r->dp, &s);
		if (s.rx >= n && s.tx >= ntx)
			break;
		usleep(1000);
	} while (rte_get_timer_cycles() < end);
	dp_stop(r->dp);
	dp_stats_total(r->dp, &s);
	CU_ASSERT_EQUAL(s.rx, n);
}

/* One worker: everything received in an iteration is sent or dropped in
 * that iteration, so RX alone tells when it is done. */
static void
run(struct rig *r, uint64_t n)
{
	run_tx(r, n, 0);
}

/* Take one frame from TX queue q of port into buf; its length or 0. */
static size_t
take_q(struct rig *r, unsigned int port, unsigned int q, uint8_t *buf, size_t cap)
{
	struct rte_mbuf *m;
	void *vm;
	size_t len;

	if (r->txq[port][q] == NULL || rte_ring_dequeue(r->txq[port][q], &vm) != 0)
		return 0;
	m = vm;
	len = rte_pktmbuf_pkt_len(m);
	if (len > cap || m->nb_segs != 1)
		len = 0;
	else
		memcpy(buf, rte_pktmbuf_mtod(m, void *), len);
	rte_pktmbuf_free(m);
	return len;
}

static size_t
take(struct rig *r, unsigned int port, uint8_t *buf, size_t cap)
{
	return take_q(r, port, 0, buf, cap);
}

static struct dp_flow *
mkflow(struct rig *r, unsigned int in, int fam, const char *laddr, uint16_t lport, unsigned int out,
       const char *eg_local, uint16_t eg_lport, const char *eg_remote, uint16_t eg_rport,
       const uint8_t *nh, uint32_t flags, uint32_t id)
{
	struct dp_flow *f = dp_flow_alloc(NULL);
	struct cfg_ip l, rem;
	struct rte_ether_addr mac;

	CU_ASSERT_FATAL(f != NULL);
	f->key.port_id = r->pi[in].port_id;
	f->key.family = fam == AF_INET ? 4 : 6;
	f->key.local_port = htons(lport);
	inet_pton(fam, laddr, f->key.local_addr);
	f->id = id;
	f->flags = flags;
	f->xform = DP_XFORM_RELAY;
	f->owner_lcore = 1;
	set_ip(&l, fam, eg_local);
	set_ip(&rem, fam, eg_remote);
	if (nh != NULL)
		memcpy(mac.addr_bytes, nh, 6);
	CU_ASSERT_FATAL(dp_flow_set_egress(f, &r->pi[out], &l, eg_lport, &rem, eg_rport,
					   nh ? &mac : NULL) == 0);
	return f;
}

static void
publish(struct rig *r, struct dp_flow *f)
{
	CU_ASSERT_FATAL(dp_flow_publish(dp_flows(r->dp), f) == 0);
}

static const uint8_t pl[] = "\x80\x00\x12\x34\x00\x00\x00\x01\xde\xad\xbe\xef"
			    "some RTP payload bytes";

/* ---- tests --------------------------------------------------------------- */

static void
test_relay_v4_v6(void)
{
	struct rig r;
	struct dp_flow *f4, *f6;
	uint8_t in[256], exp[256], out[256];
	size_t n, en, ol;
	struct fspec s;
	struct dp_lcore_stats st;

	CU_ASSERT_FATAL(rig_init(&r, CFG_VLAN_NONE, 0) == 0);
	CU_ASSERT_FATAL(rig_create(&r) == 0);
	/* access-in IPv4 -> core, core-in IPv6 -> access */
	f4 = mkflow(&r, 0, AF_INET, "192.0.2.1", 10000, 1, "198.51.100.1", 20000, "198.51.100.7",
		    30000, nh_core, 0, 1);
	f6 = mkflow(&r, 1, AF_INET6, "2001:db8:c::1", 20002, 0, "2001:db8:a::1", 10002,
		    "2001:db8:a::7", 40000, nh_acc, 0, 2);
	publish(&r, f4);
	publish(&r, f6);

	memset(&s, 0, sizeof(s));
	s.dmac = r.pi[0].mac.addr_bytes;
	s.smac = peer_mac;
	s.vlan = -1;
	s.family = 4;
	s.src = "192.0.2.50";
	s.dst = "192.0.2.1";
	s.sport = 5000;
	s.dport = 10000;
	s.ip_id = 0x4242;
	s.ttl = 17;
	s.payload = pl;
	s.plen = sizeof(pl) - 1;
	n = build(in, &s);
	inject(&r, 0, in, n);

	s.dmac = r.pi[1].mac.addr_bytes;
	s.family = 6;
	s.src = "2001:db8:c::99";
	s.dst = "2001:db8:c::1";
	s.sport = 6000;
	s.dport = 20002;
	n = build(in, &s);
	inject(&r, 1, in, n);

	run(&r, 2);

	/* What must leave the core port: our template, id 0 (the worker's
	 * first IPv4 id), DF, TTL 64, fresh checksums, same payload. */
	memset(&s, 0, sizeof(s));
	s.dmac = nh_core;
	s.smac = r.pi[1].mac.addr_bytes;
	s.vlan = -1;
	s.family = 4;
	s.src = "198.51.100.1";
	s.dst = "198.51.100.7";
	s.sport = 20000;
	s.dport = 30000;
	s.ip_id = 0;
	s.frag = 0x4000;
	s.payload = pl;
	s.plen = sizeof(pl) - 1;
	en = build(exp, &s);
	ol = take(&r, 1, out, sizeof(out));
	CU_ASSERT_EQUAL(ol, en);
	CU_ASSERT(ol == en && memcmp(out, exp, en) == 0);

	s.dmac = nh_acc;
	s.smac = r.pi[0].mac.addr_bytes;
	s.family = 6;
	s.src = "2001:db8:a::1";
	s.dst = "2001:db8:a::7";
	s.sport = 10002;
	s.dport = 40000;
	s.frag = 0;
	en = build(exp, &s);
	ol = take(&r, 0, out, sizeof(out));
	CU_ASSERT_EQUAL(ol, en);
	CU_ASSERT(ol == en && memcmp(out, exp, en) == 0);
	CU_ASSERT_EQUAL(take(&r, 0, out, sizeof(out)), 0);
	CU_ASSERT_EQUAL(take(&r, 1, out, sizeof(out)), 0);

	CU_ASSERT_EQUAL(f4->st->pkts, 1);
	CU_ASSERT_EQUAL(f4->st->bytes, sizeof(pl) - 1);
	CU_ASSERT_EQUAL(f6->st->pkts, 1);
	CU_ASSERT_NOT_EQUAL(f6->st->last_rx_tsc, 0);
	dp_stats_total(r.dp, &st);
	CU_ASSERT_EQUAL(st.tx, 2);
	CU_ASSERT_EQUAL(st.drops[DP_DROP_NO_FLOW], 0);
	rig_fini(&r);
}

static void
test_lcore_drops(void)
{
	static const uint8_t other_mac[6] = {0x02, 0, 0, 0, 0, 0x55};
	struct rig r;
	uint8_t in[256], out[256];
	struct fspec s;
	struct dp_lcore_stats st;
	unsigned int i;
	size_t n;

	CU_ASSERT_FATAL(rig_init(&r, CFG_VLAN_NONE, 0) == 0);
	CU_ASSERT_FATAL(rig_create(&r) == 0);
	memset(&s, 0, sizeof(s));
	s.dmac = r.pi[0].mac.addr_bytes;
	s.smac = peer_mac;
	s.vlan = -1;
	s.family = 4;
	s.src = "192.0.2.50";
	s.dst = "192.0.2.1";
	s.sport = 5000;
	s.dport = 10500; /* media range, no flow: the gate */
	s.payload = pl;
	s.plen = 20;
	n = build(in, &s);
	for (i = 0; i < 3; i++)
		inject(&r, 0, in, n);
	s.family = 6; /* same over IPv6 */
	s.src = "2001:db8:a::50";
	s.dst = "2001:db8:a::1";
	n = build(in, &s);
	inject(&r, 0, in, n);
	s.dst = "2001:db8:a::2"; /* not our address */
	n = build(in, &s);
	inject(&r, 0, in, n);
	s.family = 4;
	s.src = "192.0.2.50";
	s.dst = "192.0.2.99"; /* not our address */
	n = build(in, &s);
	inject(&r, 0, in, n);
	s.dst = "192.0.2.1";
	s.dmac = other_mac; /* another station's unicast MAC */
	n = build(in, &s);
	inject(&r, 0, in, n);
	s.dmac = r.pi[0].mac.addr_bytes;
	s.dport = 5060; /* ours, outside media: exception, and
			 * there is none here */
	n = build(in, &s);
	inject(&r, 0, in, n);
	inject(&r, 0, in, 20); /* truncated IPv4 */
	run(&r, 9);

	dp_stats_total(r.dp, &st);
	CU_ASSERT_EQUAL(st.drops[DP_DROP_NO_FLOW], 4);
	CU_ASSERT_EQUAL(st.drops[DP_DROP_NOT_OURS], 3);
	CU_ASSERT_EQUAL(st.drops[DP_DROP_EXC_FULL], 1);
	CU_ASSERT_EQUAL(st.drops[DP_DROP_BAD], 1);
	CU_ASSERT_EQUAL(st.tx, 0);
	CU_ASSERT_EQUAL(st.to_exc, 0);
	CU_ASSERT_EQUAL(take(&r, 0, out, sizeof(out)), 0);
	CU_ASSERT_EQUAL(take(&r, 1, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(dp_drop_name(DP_DROP_NO_FLOW), "no_flow");
	CU_ASSERT_STRING_EQUAL(dp_flow_drop_name(DP_FLOW_DROP_SRC), "src_filter");
	rig_fini(&r);
}

static void
test_flow_gates(void)
{
	struct rig r;
	struct dp_flow *fg, *fn, *fs, *fx;
	uint8_t in[256], out[256];
	struct fspec s;
	size_t n;

	CU_ASSERT_FATAL(rig_init(&r, CFG_VLAN_NONE, 0) == 0);
	CU_ASSERT_FATAL(rig_create(&r) == 0);
	fg = mkflow(&r, 0, AF_INET, "192.0.2.1", 10010, 1, "198.51.100.1", 20010, "198.51.100.7",
		    30000, nh_core, DP_FLOW_F_GATE_CLOSED, 10);
	fn = mkflow(&r, 0, AF_INET, "192.0.2.1", 10012, 1, "198.51.100.1", 20012, "198.51.100.7",
		    30002, NULL, 0, 11);
	fs = mkflow(&r, 0, AF_INET, "192.0.2.1", 10014, 1, "198.51.100.1", 20014, "198.51.100.7",
		    30004, nh_core, DP_FLOW_F_SRC_FILTER, 12);
	inet_pton(AF_INET, "192.0.2.50", fs->remote_addr);
	fs->remote_port = htons(5000);
	fx = mkflow(&r, 0, AF_INET, "192.0.2.1", 10016, 1, "198.51.100.1", 20016, "198.51.100.7",
		    30006, nh_core, 0, 13);
	fx->xform = DP_XFORM_SRTP_UNPROTECT;
	CU_ASSERT(fn->flags & DP_FLOW_F_NO_NEIGH);
	publish(&r, fg);
	publish(&r, fn);
	publish(&r, fs);
	publish(&r, fx);

	memset(&s, 0, sizeof(s));
	s.dmac = r.pi[0].mac.addr_bytes;
	s.smac = peer_mac;
	s.vlan = -1;
	s.family = 4;
	s.src = "192.0.2.50";
	s.dst = "192.0.2.1";
	s.sport = 5000;
	s.payload = pl;
	s.plen = 12;
	s.dport = 10010;
	n = build(in, &s);
	inject(&r, 0, in, n);
	inject(&r, 0, in, n);
	s.dport = 10012;
	n = build(in, &s);
	inject(&r, 0, in, n);
	s.dport = 10014;
	n = build(in, &s);
	inject(&r, 0, in, n); /* right source: relayed */
	s.src = "192.0.2.51";
	n = build(in, &s);
	inject(&r, 0, in, n); /* wrong address */
	s.src = "192.0.2.50";
	s.sport = 5001;
	n = build(in, &s);
	inject(&r, 0, in, n); /* wrong port */
	s.sport = 5000;
	s.dport = 10016;
	n = build(in, &s);
	inject(&r, 0, in, n);
	run(&r, 7);

	CU_ASSERT_EQUAL(fg->st->drops[DP_FLOW_DROP_GATE], 2);
	CU_ASSERT_EQUAL(fg->st->pkts, 0);
	CU_ASSERT_EQUAL(fn->st->drops[DP_FLOW_DROP_NO_NEIGH], 1);
	CU_ASSERT_EQUAL(fn->st->pkts, 0);
	CU_ASSERT_EQUAL(fs->st->drops[DP_FLOW_DROP_SRC], 2);
	CU_ASSERT_EQUAL(fs->st->pkts, 1);
	CU_ASSERT_EQUAL(fx->st->drops[DP_FLOW_DROP_XFORM], 1);
	CU_ASSERT_EQUAL(fx->st->pkts, 0);
	n = take(&r, 1, out, sizeof(out));
	CU_ASSERT_EQUAL(n, 14 + 20 + 8 + 12);
	CU_ASSERT(n > 38 && out[34] == 20014 >> 8 && out[35] == (20014 & 0xff));
	CU_ASSERT_EQUAL(take(&r, 1, out, sizeof(out)), 0);
	rig_fini(&r);
}

struct evlog {
	unsigned int n;
	struct dp_event ev[4];
};

static void
ev_cb(const struct dp_event *ev, void *arg)
{
	struct evlog *l = arg;

	if (l->n < 4)
		l->ev[l->n] = *ev;
	l->n++;
}

static void
test_latch(void)
{
	struct rig r;
	struct dp_flow *f;
	uint8_t in[256], out[256];
	uint8_t src[4];
	struct fspec s;
	struct evlog log = {0};
	unsigned int i;
	size_t n;

	CU_ASSERT_FATAL(rig_init(&r, CFG_VLAN_NONE, 0) == 0);
	CU_ASSERT_FATAL(rig_create(&r) == 0);
	f = mkflow(&r, 0, AF_INET, "192.0.2.1", 10020, 1, "198.51.100.1", 20020, "198.51.100.7",
		   30000, nh_core, DP_FLOW_F_LATCH, 77);
	publish(&r, f);
	memset(&s, 0, sizeof(s));
	s.dmac = r.pi[0].mac.addr_bytes;
	s.smac = peer_mac;
	s.vlan = -1;
	s.family = 4;
	s.src = "192.0.2.77";
	s.dst = "192.0.2.1";
	s.sport = 4444;
	s.dport = 10020;
	s.payload = pl;
	s.plen = 10;
	n = build(in, &s);
	for (i = 0; i < 3; i++)
		inject(&r, 0, in, n);
	run(&r, 3);

	CU_ASSERT_EQUAL(dp_events_poll(r.dp, ev_cb, &log), 1);
	CU_ASSERT_EQUAL(log.n, 1);
	inet_pton(AF_INET, "192.0.2.77", src);
	CU_ASSERT_EQUAL(log.ev[0].type, DP_EV_LATCH);
	CU_ASSERT_EQUAL(log.ev[0].flow_id, 77);
	CU_ASSERT_EQUAL(log.ev[0].family, 4);
	CU_ASSERT(memcmp(log.ev[0].src_addr, src, 4) == 0);
	CU_ASSERT_EQUAL(log.ev[0].src_port, htons(4444));
	CU_ASSERT(memcmp(&log.ev[0].key, &f->key, sizeof(f->key)) == 0);
	CU_ASSERT_EQUAL(f->st->latched, 1);
	CU_ASSERT_EQUAL(f->st->pkts, 3);
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(take(&r, 1, out, sizeof(out)), 14 + 20 + 8 + 10);
	CU_ASSERT_EQUAL(dp_events_poll(r.dp, ev_cb, &log), 0);
	rig_fini(&r);
}

/* A frame from src:sport to dst:dport on the access port (UDP, or with
 * proto the L4 header build() writes: ICMP/ICMPv6 type in sport's high
 * byte, TCP with payload bytes after the first 8 of its header). */
static size_t
frame_to(struct rig *r, uint8_t *buf, unsigned int port, int fam, const char *src, uint16_t sport,
	 const char *dst, uint16_t dport, uint8_t proto, uint8_t ttl, const uint8_t *dmac)
{
	static const uint8_t tcp_rest[12] = {0, 0, 0, 1, 0x50, 0x02, 0xff, 0xff};
	struct fspec s;

	memset(&s, 0, sizeof(s));
	s.dmac = dmac != NULL ? dmac : r->pi[port].mac.addr_bytes;
	s.smac = peer_mac;
	s.vlan = -1;
	s.family = fam == AF_INET ? 4 : 6;
	s.src = src;
	s.dst = dst;
	s.sport = sport;
	s.dport = dport;
	s.proto = proto;
	s.ttl = ttl;
	if (proto == 6) {
		s.payload = tcp_rest;
		s.plen = sizeof(tcp_rest);
	} else {
		s.payload = pl;
		s.plen = 10;
	}
	return build(buf, &s);
}

static void
inject_n(struct rig *r, unsigned int port, const uint8_t *f, size_t len, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		inject(r, port, f, len);
}

/* Issue 11 item 7 (latch hijack): plain RTP latches only to a source
 * within the signalled address (or its NAT prefix), and only after
 * DP_LATCH_PKTS packets in a row from it. */
static void
test_latch_signalled(void)
{
	struct rig r;
	struct dp_flow *f, *g, *h;
	uint8_t in[256];
	uint8_t want[4];
	struct evlog log = {0};
	size_t n;

	CU_ASSERT_FATAL(rig_init(&r, CFG_VLAN_NONE, 0) == 0);
	CU_ASSERT_FATAL(rig_create(&r) == 0);
	/* Signalled 192.0.2.77, exactly. */
	f = mkflow(&r, 0, AF_INET, "192.0.2.1", 10040, 1, "198.51.100.1", 20040, "198.51.100.7",
		   30000, nh_core, DP_FLOW_F_LATCH, 40);
	inet_pton(AF_INET, "192.0.2.77", f->remote_addr);
	f->latch_plen = 32;
	publish(&r, f);
	/* A NAT pool: anything in 192.0.2.0/24. */
	g = mkflow(&r, 0, AF_INET, "192.0.2.1", 10042, 1, "198.51.100.1", 20042, "198.51.100.7",
		   30002, nh_core, DP_FLOW_F_LATCH, 42);
	inet_pton(AF_INET, "192.0.2.77", g->remote_addr);
	g->latch_plen = 24;
	publish(&r, g);
	/* Nothing signalled: plain RTP never latches. */
	h = mkflow(&r, 0, AF_INET, "192.0.2.1", 10044, 1, "198.51.100.1", 20044, "198.51.100.7",
		   30004, nh_core, DP_FLOW_F_LATCH, 44);
	h->latch_plen = DP_LATCH_PLEN_NONE;
	publish(&r, h);

	/* f: a stranger first (many packets), then the UE from a NAPT port
	 * interleaved with one more spoofed packet, then the UE. */
	n = frame_to(&r, in, 0, AF_INET, "192.0.2.66", 4444, "192.0.2.1", 10040, 0, 0, NULL);
	inject_n(&r, 0, in, n, 5);
	n = frame_to(&r, in, 0, AF_INET, "192.0.2.77", 5555, "192.0.2.1", 10040, 0, 0, NULL);
	inject_n(&r, 0, in, n, 2);
	n = frame_to(&r, in, 0, AF_INET, "192.0.2.77", 6666, "192.0.2.1", 10040, 0, 0, NULL);
	inject_n(&r, 0, in, n, 1); /* same address, another port: restarts */
	n = frame_to(&r, in, 0, AF_INET, "192.0.2.77", 5555, "192.0.2.1", 10040, 0, 0, NULL);
	inject_n(&r, 0, in, n, 3);
	/* g: 192.0.3.9 is outside the /24, 192.0.2.99 inside. */
	n = frame_to(&r, in, 0, AF_INET, "192.0.3.9", 4000, "192.0.2.1", 10042, 0, 0, NULL);
	inject_n(&r, 0, in, n, 4);
	n = frame_to(&r, in, 0, AF_INET, "192.0.2.99", 4002, "192.0.2.1", 10042, 0, 0, NULL);
	inject_n(&r, 0, in, n, 3);
	/* h: anyone, many. */
	n = frame_to(&r, in, 0, AF_INET, "192.0.2.77", 5555, "192.0.2.1", 10044, 0, 0, NULL);
	inject_n(&r, 0, in, n, 6);
	run(&r, 5 + 2 + 1 + 3 + 4 + 3 + 6);

	CU_ASSERT_EQUAL(dp_events_poll(r.dp, ev_cb, &log), 2);
	CU_ASSERT_EQUAL(log.ev[0].flow_id, 40);
	inet_pton(AF_INET, "192.0.2.77", want);
	CU_ASSERT(memcmp(log.ev[0].src_addr, want, 4) == 0);
	CU_ASSERT_EQUAL(log.ev[0].src_port, htons(5555));
	CU_ASSERT_EQUAL(log.ev[1].flow_id, 42);
	inet_pton(AF_INET, "192.0.2.99", want);
	CU_ASSERT(memcmp(log.ev[1].src_addr, want, 4) == 0);
	CU_ASSERT_EQUAL(h->st->latched, 0);
	/* Latching decides where the reverse flow goes, not what passes:
	 * without a source filter all of them were forwarded. */
	CU_ASSERT_EQUAL(f->st->pkts, 11);
	rig_fini(&r);
}

/* A latching flow with a source filter, between its latch and control's
 * new record (aimed at the learned source): the learned source passes (the
 * signalled port is the one its NAT replaced), others do not. Found by
 * test_hostile.sh: packets were dropped in those few milliseconds. */
static void
test_latch_filter_window(void)
{
	struct rig r;
	struct dp_flow *f;
	uint8_t in[256];
	struct evlog log = {0};
	size_t n;

	CU_ASSERT_FATAL(rig_init(&r, CFG_VLAN_NONE, 0) == 0);
	CU_ASSERT_FATAL(rig_create(&r) == 0);
	f = mkflow(&r, 0, AF_INET, "192.0.2.1", 10060, 1, "198.51.100.1", 20060, "198.51.100.7",
		   30000, nh_core, DP_FLOW_F_LATCH | DP_FLOW_F_SRC_FILTER, 60);
	inet_pton(AF_INET, "192.0.2.77", f->remote_addr);
	f->remote_port = htons(5999);
	f->latch_plen = 32;
	publish(&r, f);
	n = frame_to(&r, in, 0, AF_INET, "192.0.2.66", 5555, "192.0.2.1", 10060, 0, 0, NULL);
	inject_n(&r, 0, in, n, 2); /* outside the prefix: filtered */
	n = frame_to(&r, in, 0, AF_INET, "192.0.2.77", 5555, "192.0.2.1", 10060, 0, 0, NULL);
	inject_n(&r, 0, in, n, DP_LATCH_PKTS + 4); /* latch, then still pass */
	n = frame_to(&r, in, 0, AF_INET, "192.0.2.77", 6666, "192.0.2.1", 10060, 0, 0, NULL);
	inject_n(&r, 0, in, n, 1); /* after the latch: not the learned source */
	CU_ASSERT_EQUAL(dp_worker_run_once(r.dp, 0), DP_LATCH_PKTS + 7);
	CU_ASSERT_EQUAL(dp_events_poll(r.dp, ev_cb, &log), 1);
	CU_ASSERT_EQUAL(f->st->pkts, DP_LATCH_PKTS + 4);
	CU_ASSERT_EQUAL(f->st->drops[DP_FLOW_DROP_SRC], 3);
	rig_fini(&r);
}

/* Issue 11 item 9: after a Modify that changed the remote, control
 * publishes a record with DP_FLOW_F_LATCH over the old one (same state):
 * it latches again. */
static void
test_relatch_after_modify(void)
{
	struct rig r;
	struct dp_flow *f, *f2;
	uint8_t in[256];
	uint8_t want[4];
	struct evlog log = {0};
	size_t n;

	CU_ASSERT_FATAL(rig_init(&r, CFG_VLAN_NONE, 0) == 0);
	CU_ASSERT_FATAL(rig_create(&r) == 0);
	f = mkflow(&r, 0, AF_INET, "192.0.2.1", 10050, 1, "198.51.100.1", 20050, "198.51.100.7",
		   30000, nh_core, DP_FLOW_F_LATCH, 50);
	inet_pton(AF_INET, "192.0.2.77", f->remote_addr);
	f->latch_plen = 32;
	publish(&r, f);
	n = frame_to(&r, in, 0, AF_INET, "192.0.2.77", 5555, "192.0.2.1", 10050, 0, 0, NULL);
	inject_n(&r, 0, in, n, DP_LATCH_PKTS);
	/* On this thread: the worker's loop, one pass at a time. */
	CU_ASSERT_EQUAL(dp_worker_run_once(r.dp, 0), DP_LATCH_PKTS);
	CU_ASSERT_EQUAL(dp_events_poll(r.dp, ev_cb, &log), 1);

	/* Modify: the UE moved to 192.0.2.88. The new record shares st. */
	f2 = dp_flow_alloc(f->st);
	CU_ASSERT_FATAL(f2 != NULL);
	f2->key = f->key;
	f2->id = 51;
	f2->flags = DP_FLOW_F_LATCH;
	f2->xform = DP_XFORM_RELAY;
	f2->owner_lcore = 1;
	f2->eg = f->eg;
	inet_pton(AF_INET, "192.0.2.88", f2->remote_addr);
	f2->latch_plen = 32;
	publish(&r, f2);
	dp_flow_sync(dp_flows(r.dp));
	n = frame_to(&r, in, 0, AF_INET, "192.0.2.88", 7777, "192.0.2.1", 10050, 0, 0, NULL);
	inject_n(&r, 0, in, n, DP_LATCH_PKTS);
	CU_ASSERT_EQUAL(dp_worker_run_once(r.dp, 0), DP_LATCH_PKTS);
	CU_ASSERT_EQUAL(dp_events_poll(r.dp, ev_cb, &log), 1);
	CU_ASSERT_EQUAL(log.n, 2);
	CU_ASSERT_EQUAL(log.ev[1].flow_id, 51);
	inet_pton(AF_INET, "192.0.2.88", want);
	CU_ASSERT(memcmp(log.ev[1].src_addr, want, 4) == 0);
	CU_ASSERT_EQUAL(log.ev[1].src_port, htons(7777));
	rig_fini(&r);
}

/* Issue 11 item 6: the exception path is policed per port, TCP to the MSRP
 * range on a budget of its own. The rig has no exception interface: what
 * the policer lets through is counted exc_full, what it stops
 * exc_policed / tcp_policed. */
static void
test_exc_policer(void)
{
	struct rig r;
	struct dp_lcore_stats st;
	uint8_t in[256];
	uint64_t passed, policed;
	size_t n;

	CU_ASSERT_FATAL(rig_init(&r, CFG_VLAN_NONE, 0) == 0);
	r.cfg.ports[0].exc_rate = 10; /* one token per 100 ms: none comes back
				       * while the test runs (it takes ms) */
	r.cfg.ports[0].exc_burst = 5;
	r.cfg.ports[0].exc_tcp_rate = 10;
	r.cfg.ports[0].exc_tcp_burst = 50;
	r.cfg.ports[0].tcp_min = 7000;
	r.cfg.ports[0].tcp_max = 7999;
	CU_ASSERT_FATAL(rig_create(&r) == 0);

	/* 40 echo requests to our address: 5 pass, 35 are policed. */
	n = frame_to(&r, in, 0, AF_INET, "192.0.2.50", 8 << 8, "192.0.2.1", 0, 1, 0, NULL);
	inject_n(&r, 0, in, n, 40);
	/* 20 SYNs to the MSRP range: their own budget, all pass. */
	n = frame_to(&r, in, 0, AF_INET, "192.0.2.50", 40000, "192.0.2.1", 7000, 6, 0, NULL);
	inject_n(&r, 0, in, n, 20);
	/* 10 SYNs elsewhere: junk, on the exhausted budget. */
	n = frame_to(&r, in, 0, AF_INET, "192.0.2.50", 40000, "192.0.2.1", 22, 6, 0, NULL);
	inject_n(&r, 0, in, n, 10);
	run(&r, 70);
	dp_stats_total(r.dp, &st);
	passed = st.drops[DP_DROP_EXC_FULL];
	policed = st.drops[DP_DROP_EXC_POLICED];
	CU_ASSERT_EQUAL(passed + policed, 70);
	/* 5 ICMP + 20 TCP pass; a refill of one token is tolerated should
	 * the box stall for 100 ms. */
	CU_ASSERT(passed >= 25 && passed <= 26);
	CU_ASSERT_EQUAL(st.drops[DP_DROP_TCP_POLICED], 0);
	CU_ASSERT_STRING_EQUAL(dp_drop_name(DP_DROP_EXC_POLICED), "exc_policed");
	CU_ASSERT_STRING_EQUAL(dp_drop_name(DP_DROP_TCP_POLICED), "tcp_policed");
	rig_fini(&r);
}

/* A policer that sat full while the port was idle lets one burst through,
 * not two: a full bucket earns nothing, so the refill clock starts at the
 * first packet after the idle time. (Before, the time since the last
 * refill, idle included, came back as a second burst once the first was
 * spent.) */
static void
test_exc_policer_idle(void)
{
	struct rig r;
	struct dp_lcore_stats st;
	uint8_t in[256];
	uint64_t passed;
	size_t n;

	CU_ASSERT_FATAL(rig_init(&r, CFG_VLAN_NONE, 0) == 0);
	r.cfg.ports[0].exc_rate = 100; /* a token per 10 ms */
	r.cfg.ports[0].exc_burst = 5;
	CU_ASSERT_FATAL(rig_create(&r) == 0);
	usleep(300 * 1000); /* idle: 30 periods, the bucket already full */
	n = frame_to(&r, in, 0, AF_INET, "192.0.2.50", 8 << 8, "192.0.2.1", 0, 1, 0, NULL);
	inject_n(&r, 0, in, n, 40);
	run(&r, 40);
	dp_stats_total(r.dp, &st);
	passed = st.drops[DP_DROP_EXC_FULL];
	CU_ASSERT_EQUAL(passed + st.drops[DP_DROP_EXC_POLICED], 40);
	/* the burst, and one token should the box stall for 10 ms */
	CU_ASSERT(passed >= 5 && passed <= 6);
	rig_fini(&r);
}

/* Issue 11 item 6: ND toward the kernel (RFC 4861). */
static void
test_nd_filter(void)
{
	static const uint8_t mc_sn1[6] = {0x33, 0x33, 0xff, 0, 0, 0x01};
	static const uint8_t mc_all[6] = {0x33, 0x33, 0, 0, 0, 0x01};
	struct rig r;
	struct dp_lcore_stats st;
	uint8_t in[256];
	size_t n;

	CU_ASSERT_FATAL(rig_init(&r, CFG_VLAN_NONE, 0) == 0);
	CU_ASSERT_FATAL(rig_create(&r) == 0);
	/* Pass (exc_full here): NS for our address, to its solicited-node
	 * group and unicast; NA to us; on the core port an RA. */
	n = frame_to(&r, in, 0, AF_INET6, "fe80::2", 135 << 8, "ff02::1:ff00:1", 0, 58, 255,
		     mc_sn1);
	inject(&r, 0, in, n);
	n = frame_to(&r, in, 0, AF_INET6, "fe80::2", 135 << 8, "2001:db8:a::1", 0, 58, 255, NULL);
	inject(&r, 0, in, n);
	n = frame_to(&r, in, 0, AF_INET6, "2001:db8:a::2", 136 << 8, "2001:db8:a::1", 0, 58, 255,
		     NULL);
	inject(&r, 0, in, n);
	n = frame_to(&r, in, 1, AF_INET6, "fe80::1", 134 << 8, "ff02::1", 0, 58, 255, mc_all);
	inject(&r, 1, in, n);
	/* Drop (nd): RA, Redirect and RS from the access side; NS for
	 * someone else's address; NS with hop limit 64 (off-link). */
	n = frame_to(&r, in, 0, AF_INET6, "fe80::2", 134 << 8, "ff02::1", 0, 58, 255, mc_all);
	inject(&r, 0, in, n);
	n = frame_to(&r, in, 0, AF_INET6, "fe80::2", 137 << 8, "2001:db8:a::1", 0, 58, 255, NULL);
	inject(&r, 0, in, n);
	n = frame_to(&r, in, 0, AF_INET6, "fe80::2", 133 << 8, "ff02::2", 0, 58, 255, mc_all);
	inject(&r, 0, in, n);
	n = frame_to(&r, in, 0, AF_INET6, "fe80::2", 135 << 8, "ff02::1:ff12:3456", 0, 58, 255,
		     mc_sn1);
	inject(&r, 0, in, n);
	n = frame_to(&r, in, 0, AF_INET6, "fe80::2", 135 << 8, "2001:db8:a::1", 0, 58, 64, NULL);
	inject(&r, 0, in, n);
	run(&r, 9);
	dp_stats_total(r.dp, &st);
	CU_ASSERT_EQUAL(st.drops[DP_DROP_EXC_FULL], 4);
	CU_ASSERT_EQUAL(st.drops[DP_DROP_ND], 5);
	rig_fini(&r);
}

static void
test_vlan_strip(void)
{
	struct rig r;
	struct dp_flow *fin, *fout;
	uint8_t in[256], exp[256], out[256];
	struct fspec s;
	struct dp_lcore_stats st;
	size_t n, en;

	CU_ASSERT_FATAL(rig_init(&r, CFG_VLAN_STRIP, 100) == 0);
	CU_ASSERT_FATAL(rig_create(&r) == 0);
	fin = mkflow(&r, 0, AF_INET, "192.0.2.1", 10030, 1, "198.51.100.1", 20030, "198.51.100.7",
		     30000, nh_core, 0, 1);
	fout = mkflow(&r, 1, AF_INET, "198.51.100.1", 20032, 0, "192.0.2.1", 10032, "192.0.2.50",
		      5000, nh_acc, 0, 2);
	publish(&r, fin);
	publish(&r, fout);
	memset(&s, 0, sizeof(s));
	s.dmac = r.pi[0].mac.addr_bytes;
	s.smac = peer_mac;
	s.vlan = 100;
	s.family = 4;
	s.src = "192.0.2.50";
	s.dst = "192.0.2.1";
	s.sport = 5000;
	s.dport = 10030;
	s.payload = pl;
	s.plen = 16;
	n = build(in, &s);
	inject(&r, 0, in, n); /* right tag: relayed */
	s.vlan = 200;
	n = build(in, &s);
	inject(&r, 0, in, n); /* wrong tag */
	s.vlan = -1;
	n = build(in, &s);
	inject(&r, 0, in, n); /* untagged */
	s.dmac = r.pi[1].mac.addr_bytes;
	s.src = "198.51.100.7";
	s.dst = "198.51.100.1";
	s.dport = 20032;
	n = build(in, &s);
	inject(&r, 1, in, n); /* core -> access: tag pushed */
	run(&r, 4);

	dp_stats_total(r.dp, &st);
	CU_ASSERT_EQUAL(st.drops[DP_DROP_VLAN], 2);
	CU_ASSERT_EQUAL(fin->st->pkts, 1);
	CU_ASSERT_EQUAL(fout->st->pkts, 1);
	n = take(&r, 1, out, sizeof(out));
	CU_ASSERT_EQUAL(n, 14 + 20 + 8 + 16);
	CU_ASSERT(n >= 14 && out[12] == 0x08 && out[13] == 0x00);
	memset(&s, 0, sizeof(s));
	s.dmac = nh_acc;
	s.smac = r.pi[0].mac.addr_bytes;
	s.vlan = 100;
	s.family = 4;
	s.src = "192.0.2.1";
	s.dst = "192.0.2.50";
	s.sport = 10032;
	s.dport = 5000;
	s.ip_id = 1; /* the worker's second IPv4 packet */
	s.frag = 0x4000;
	s.payload = pl;
	s.plen = 16;
	en = build(exp, &s);
	n = take(&r, 0, out, sizeof(out));
	CU_ASSERT_EQUAL(n, en);
	CU_ASSERT(n == en && memcmp(out, exp, en) == 0);
	rig_fini(&r);
}

/* Two workers (lcores 1 and 2). A packet of a flow owned by lcore 2 that
 * RSS (here: the ring it was put on) gives to lcore 1 goes over the handoff
 * ring, is counted, and leaves on lcore 2's TX queue. */
static void
test_handoff(void)
{
	struct rig r;
	struct dp_flow *f;
	uint8_t in[256], out[256];
	struct fspec s;
	struct dp_lcore_stats st, w0, w1;
	unsigned int lc0, lc1;
	size_t n;

	CU_ASSERT_FATAL(rig_init_q(&r, CFG_VLAN_NONE, 0, 2) == 0);
	CU_ASSERT_FATAL(rig_create(&r) == 0);
	CU_ASSERT_EQUAL(dp_worker_count(r.dp), 2);
	f = mkflow(&r, 0, AF_INET, "192.0.2.1", 10040, 1, "198.51.100.1", 20040, "198.51.100.7",
		   30000, nh_core, 0, 40);
	f->owner_lcore = 2;
	publish(&r, f);
	memset(&s, 0, sizeof(s));
	s.dmac = r.pi[0].mac.addr_bytes;
	s.smac = peer_mac;
	s.vlan = -1;
	s.family = 4;
	s.src = "192.0.2.50";
	s.dst = "192.0.2.1";
	s.sport = 5000;
	s.dport = 10040;
	s.payload = pl;
	s.plen = 24;
	n = build(in, &s);
	inject(&r, 0, in, n); /* access queue 0: worker 0 (lcore 1) */
	inject(&r, 0, in, n);
	/* the owner sends in a later iteration than the receiver's */
	run_tx(&r, 2, 2);

	dp_stats_total(r.dp, &st);
	CU_ASSERT_EQUAL(st.handoff, 2);
	CU_ASSERT_EQUAL(st.tx, 2);
	CU_ASSERT_FATAL(dp_worker_stats(r.dp, 0, &lc0, &w0) == 0);
	CU_ASSERT_FATAL(dp_worker_stats(r.dp, 1, &lc1, &w1) == 0);
	CU_ASSERT_EQUAL(lc0, 1);
	CU_ASSERT_EQUAL(lc1, 2);
	CU_ASSERT_EQUAL(w0.rx, 2);
	CU_ASSERT_EQUAL(w0.handoff, 2);
	CU_ASSERT_EQUAL(w0.tx, 0);
	CU_ASSERT_EQUAL(w1.rx, 0);
	CU_ASSERT_EQUAL(w1.tx, 2);
	CU_ASSERT_EQUAL(f->st->pkts, 2);
	CU_ASSERT_EQUAL(take_q(&r, 1, 0, out, sizeof(out)), 0);
	CU_ASSERT_EQUAL(take_q(&r, 1, 1, out, sizeof(out)), 14 + 20 + 8 + 24);
	CU_ASSERT_EQUAL(take_q(&r, 1, 1, out, sizeof(out)), 14 + 20 + 8 + 24);
	CU_ASSERT_EQUAL(dp_worker_stats(r.dp, 2, NULL, &w0), -ENOENT);
	rig_fini(&r);
}

/* ---- SRTP ---------------------------------------------------------------- */

static const uint8_t mkey[32] = {0xe1, 0xf9, 0x7a, 0x0d, 0x3e, 0x01, 0x8b, 0xe0, 0xd6, 0x4f, 0xa3,
				 0x2c, 0x06, 0xde, 0x41, 0x39, 0x0e, 0xc6, 0x75, 0xad, 0x49, 0x8a,
				 0xfe, 0xeb, 0xb6, 0x96, 0x0b, 0x3a, 0xab, 0xe6, 0xc1, 0x73};
static const uint8_t msalt[14] = {0x0e, 0xc6, 0x75, 0xad, 0x49, 0x8a, 0xfe,
				  0xeb, 0xb6, 0x96, 0x0b, 0x3a, 0xab, 0xe6};

static struct sec_session *
mksess(enum sec_suite_id suite, enum sec_dir dir, uint32_t proto, enum sec_engine eng)
{
	struct sec_session_params p;
	struct sec_session *ss;
	int err = 0;

	memset(&p, 0, sizeof(p));
	p.dir = dir;
	p.proto = proto;
	p.suite = suite;
	p.master_key = mkey;
	p.master_salt = msalt;
	p.engine = eng;
	ss = sec_session_create(&p, &err);
	CU_ASSERT_FATAL(ss != NULL);
	return ss;
}

/* Plain RTP: PT 0, seq, ts, ssrc, plen bytes of pattern. */
static size_t
rtp_plain(uint8_t *b, uint16_t seq, uint32_t ssrc, size_t plen)
{
	size_t i;

	b[0] = 0x80;
	b[1] = 0x00;
	put16(b + 2, seq);
	b[4] = (uint8_t)(seq >> 8);
	b[5] = (uint8_t)seq;
	b[6] = 0;
	b[7] = 0;
	b[8] = (uint8_t)(ssrc >> 24);
	b[9] = (uint8_t)(ssrc >> 16);
	b[10] = (uint8_t)(ssrc >> 8);
	b[11] = (uint8_t)ssrc;
	for (i = 0; i < plen; i++)
		b[12 + i] = (uint8_t)(seq * 7 + i);
	return 12 + plen;
}

/* Plain RTCP SR (28 bytes). */
static size_t
rtcp_plain(uint8_t *b, uint32_t ssrc, uint8_t fill)
{
	memset(b, fill, 28);
	b[0] = 0x80;
	b[1] = 200;
	put16(b + 2, 6);
	b[4] = (uint8_t)(ssrc >> 24);
	b[5] = (uint8_t)(ssrc >> 16);
	b[6] = (uint8_t)(ssrc >> 8);
	b[7] = (uint8_t)ssrc;
	return 28;
}

/* Protect one packet in place with a reference session; the new length. */
static size_t
sprot(struct sec_session *ss, bool rtcp, uint8_t *b, size_t len, size_t cap)
{
	struct sec_pkt pk = {.data = b, .len = (uint32_t)len, .room = (uint32_t)cap};
	uint8_t st = 0;
	uint16_t n = rtcp ? sec_rtcp_protect_burst(ss, &pk, 1, &st)
			  : sec_protect_burst(ss, &pk, 1, &st);

	CU_ASSERT_FATAL(n == 1);
	return pk.len;
}

static void
fs_in(struct fspec *s, const struct rig *r, unsigned int port, const char *src, const char *dst,
      uint16_t sport, uint16_t dport, const uint8_t *pl_, size_t plen)
{
	memset(s, 0, sizeof(*s));
	s->dmac = r->pi[port].mac.addr_bytes;
	s->smac = peer_mac;
	s->vlan = -1;
	s->family = 4;
	s->src = src;
	s->dst = dst;
	s->sport = sport;
	s->dport = dport;
	s->payload = pl_;
	s->plen = (uint16_t)plen;
}

/* Expected frame out of port `out` (0 access, 1 core) with ip id. */
static size_t
expect_frame(uint8_t *f, const struct rig *r, unsigned int out, const char *src, const char *dst,
	     uint16_t sport, uint16_t dport, uint16_t ip_id, const uint8_t *pl_, size_t plen)
{
	struct fspec s;

	memset(&s, 0, sizeof(s));
	s.dmac = out == 1 ? nh_core : nh_acc;
	s.smac = r->pi[out].mac.addr_bytes;
	s.vlan = -1;
	s.family = 4;
	s.src = src;
	s.dst = dst;
	s.sport = sport;
	s.dport = dport;
	s.ip_id = ip_id;
	s.frag = 0x4000;
	s.payload = pl_;
	s.plen = (uint16_t)plen;
	return build(f, &s);
}

static void
check_out(struct rig *r, unsigned int port, const uint8_t *exp, size_t en)
{
	uint8_t out[512];
	size_t n = take(r, port, out, sizeof(out));

	CU_ASSERT_EQUAL(n, en);
	CU_ASSERT(n == en && memcmp(out, exp, en) == 0);
}

/* Access-in SRTP -> core RTP: exact plaintext out; a forged tag from
 * another source first (it must neither pass nor latch), then two genuine
 * packets, then a replay of the first. */
static void
unprotect_case(enum sec_suite_id suite)
{
	struct rig r;
	struct dp_flow *f;
	struct sec_session *gw, *ue;
	uint8_t p1[256], p2[256], s1[256], s2[256], bad[256], in[512], exp[512];
	size_t l1, l2, sl1, sl2, n;
	struct fspec s;
	struct evlog log = {0};
	uint8_t src[4];

	CU_ASSERT_FATAL(rig_init(&r, CFG_VLAN_NONE, 0) == 0);
	CU_ASSERT_FATAL(rig_create(&r) == 0);
	gw = mksess(suite, SEC_DIR_UNPROTECT, SEC_PROTO_SRTP, SEC_ENGINE_DEFAULT);
	ue = mksess(suite, SEC_DIR_PROTECT, SEC_PROTO_SRTP, SEC_ENGINE_LIBSRTP);
	f = mkflow(&r, 0, AF_INET, "192.0.2.1", 10050, 1, "198.51.100.1", 20050, "198.51.100.7",
		   30000, nh_core, DP_FLOW_F_LATCH, 50);
	f->xform = DP_XFORM_SRTP_UNPROTECT;
	f->sec = gw;
	publish(&r, f);

	l1 = rtp_plain(p1, 1000, 0x11223344, 40);
	l2 = rtp_plain(p2, 1001, 0x11223344, 40);
	memcpy(s1, p1, l1);
	sl1 = sprot(ue, false, s1, l1, sizeof(s1));
	memcpy(s2, p2, l2);
	sl2 = sprot(ue, false, s2, l2, sizeof(s2));
	memcpy(bad, s1, sl1);
	bad[sl1 - 1] ^= 0x01; /* forged tag */

	fs_in(&s, &r, 0, "192.0.2.66", "192.0.2.1", 6666, 10050, bad, sl1);
	n = build(in, &s);
	inject(&r, 0, in, n);
	fs_in(&s, &r, 0, "192.0.2.50", "192.0.2.1", 5000, 10050, s1, sl1);
	n = build(in, &s);
	inject(&r, 0, in, n);
	s.payload = s2;
	s.plen = (uint16_t)sl2;
	n = build(in, &s);
	inject(&r, 0, in, n);
	s.payload = s1;
	s.plen = (uint16_t)sl1;
	n = build(in, &s);
	inject(&r, 0, in, n); /* replay */
	run(&r, 4);

	n = expect_frame(exp, &r, 1, "198.51.100.1", "198.51.100.7", 20050, 30000, 0, p1, l1);
	check_out(&r, 1, exp, n);
	n = expect_frame(exp, &r, 1, "198.51.100.1", "198.51.100.7", 20050, 30000, 1, p2, l2);
	check_out(&r, 1, exp, n);
	CU_ASSERT_EQUAL(take(&r, 1, in, sizeof(in)), 0);
	CU_ASSERT_EQUAL(f->st->pkts, 2);
	CU_ASSERT_EQUAL(f->st->bytes, l1 + l2);
	CU_ASSERT_EQUAL(f->st->drops[DP_FLOW_DROP_AUTH], 1);
	CU_ASSERT_EQUAL(f->st->drops[DP_FLOW_DROP_REPLAY], 1);
	CU_ASSERT_EQUAL(f->st->drops[DP_FLOW_DROP_XFORM], 0);
	/* One latch, on the genuine source: the forged packet came first. */
	CU_ASSERT_EQUAL(dp_events_poll(r.dp, ev_cb, &log), 1);
	inet_pton(AF_INET, "192.0.2.50", src);
	CU_ASSERT(memcmp(log.ev[0].src_addr, src, 4) == 0);
	CU_ASSERT_EQUAL(log.ev[0].src_port, htons(5000));
	rig_fini(&r);
	sec_session_destroy(gw);
	sec_session_destroy(ue);
}

static void
test_srtp_unprotect(void)
{
	unprotect_case(SEC_SUITE_AES_CM_128_HMAC_SHA1_80);
	unprotect_case(SEC_SUITE_AEAD_AES_128_GCM);
}

/* A forged first packet alone does not latch. */
static void
test_srtp_forged_no_latch(void)
{
	struct rig r;
	struct dp_flow *f;
	struct sec_session *gw, *ue;
	uint8_t p1[256], in[512];
	size_t l1, n;
	struct fspec s;
	struct evlog log = {0};

	CU_ASSERT_FATAL(rig_init(&r, CFG_VLAN_NONE, 0) == 0);
	CU_ASSERT_FATAL(rig_create(&r) == 0);
	gw = mksess(SEC_SUITE_AES_CM_128_HMAC_SHA1_80, SEC_DIR_UNPROTECT, SEC_PROTO_SRTP,
		    SEC_ENGINE_DEFAULT);
	ue = mksess(SEC_SUITE_AES_CM_128_HMAC_SHA1_80, SEC_DIR_PROTECT, SEC_PROTO_SRTP,
		    SEC_ENGINE_LIBSRTP);
	f = mkflow(&r, 0, AF_INET, "192.0.2.1", 10054, 1, "198.51.100.1", 20054, "198.51.100.7",
		   30000, nh_core, DP_FLOW_F_LATCH, 54);
	f->xform = DP_XFORM_SRTP_UNPROTECT;
	f->sec = gw;
	publish(&r, f);
	l1 = rtp_plain(p1, 7, 0xabcdef01, 20);
	l1 = sprot(ue, false, p1, l1, sizeof(p1));
	p1[12] ^= 0x80; /* tampered payload */
	fs_in(&s, &r, 0, "192.0.2.66", "192.0.2.1", 6666, 10054, p1, l1);
	n = build(in, &s);
	inject(&r, 0, in, n);
	run(&r, 1);
	CU_ASSERT_EQUAL(f->st->drops[DP_FLOW_DROP_AUTH], 1);
	CU_ASSERT_EQUAL(f->st->latched, 0);
	CU_ASSERT_EQUAL(dp_events_poll(r.dp, ev_cb, &log), 0);
	CU_ASSERT_EQUAL(take(&r, 1, in, sizeof(in)), 0);
	rig_fini(&r);
	sec_session_destroy(gw);
	sec_session_destroy(ue);
}

/* Core-in RTP -> access SRTP, and RTCP -> SRTCP on its own flow: the bytes
 * libsrtp2 produces from the same plaintext. */
static void
protect_case(enum sec_suite_id suite)
{
	struct rig r;
	struct dp_flow *f, *fc;
	struct sec_session *gw, *gwc, *ref, *refc;
	uint8_t p1[256], p2[256], c1[256], e[256], in[512], exp[512];
	size_t l1, l2, lc, el, n;
	struct fspec s;

	CU_ASSERT_FATAL(rig_init(&r, CFG_VLAN_NONE, 0) == 0);
	CU_ASSERT_FATAL(rig_create(&r) == 0);
	gw = mksess(suite, SEC_DIR_PROTECT, SEC_PROTO_SRTP, SEC_ENGINE_DEFAULT);
	gwc = mksess(suite, SEC_DIR_PROTECT, SEC_PROTO_SRTCP, SEC_ENGINE_DEFAULT);
	ref = mksess(suite, SEC_DIR_PROTECT, SEC_PROTO_SRTP, SEC_ENGINE_LIBSRTP);
	refc = mksess(suite, SEC_DIR_PROTECT, SEC_PROTO_SRTCP, SEC_ENGINE_LIBSRTP);
	f = mkflow(&r, 1, AF_INET, "198.51.100.1", 20060, 0, "192.0.2.1", 10060, "192.0.2.50", 5000,
		   nh_acc, 0, 60);
	f->xform = DP_XFORM_SRTP_PROTECT;
	f->sec = gw;
	fc = mkflow(&r, 1, AF_INET, "198.51.100.1", 20061, 0, "192.0.2.1", 10061, "192.0.2.50",
		    5001, nh_acc, DP_FLOW_F_RTCP, 61);
	fc->xform = DP_XFORM_SRTCP_PROTECT;
	fc->sec = gwc;
	publish(&r, f);
	publish(&r, fc);

	l1 = rtp_plain(p1, 65535, 0x55667788, 160); /* crosses the ROC */
	l2 = rtp_plain(p2, 0, 0x55667788, 160);
	lc = rtcp_plain(c1, 0x55667788, 0x3c);
	fs_in(&s, &r, 1, "198.51.100.7", "198.51.100.1", 30000, 20060, p1, l1);
	n = build(in, &s);
	inject(&r, 1, in, n);
	s.payload = p2;
	s.plen = (uint16_t)l2;
	n = build(in, &s);
	inject(&r, 1, in, n);
	fs_in(&s, &r, 1, "198.51.100.7", "198.51.100.1", 30001, 20061, c1, lc);
	n = build(in, &s);
	inject(&r, 1, in, n);
	run(&r, 3);

	/* Relay order: the RTP flow's burst, then the RTCP flow's. */
	memcpy(e, p1, l1);
	el = sprot(ref, false, e, l1, sizeof(e));
	n = expect_frame(exp, &r, 0, "192.0.2.1", "192.0.2.50", 10060, 5000, 0, e, el);
	check_out(&r, 0, exp, n);
	memcpy(e, p2, l2);
	el = sprot(ref, false, e, l2, sizeof(e));
	n = expect_frame(exp, &r, 0, "192.0.2.1", "192.0.2.50", 10060, 5000, 1, e, el);
	check_out(&r, 0, exp, n);
	memcpy(e, c1, lc);
	el = sprot(refc, true, e, lc, sizeof(e));
	n = expect_frame(exp, &r, 0, "192.0.2.1", "192.0.2.50", 10061, 5001, 2, e, el);
	check_out(&r, 0, exp, n);
	CU_ASSERT_EQUAL(f->st->pkts, 2);
	CU_ASSERT_EQUAL(fc->st->pkts, 1);
	CU_ASSERT_EQUAL(fc->st->bytes, el);
	rig_fini(&r);
	sec_session_destroy(gw);
	sec_session_destroy(gwc);
	sec_session_destroy(ref);
	sec_session_destroy(refc);
}

static void
test_srtp_protect(void)
{
	protect_case(SEC_SUITE_AES_CM_128_HMAC_SHA1_80);
	protect_case(SEC_SUITE_AEAD_AES_128_GCM);
}

/* rtcp-mux (RFC 5761): one flow, one session for SRTP and SRTCP; the
 * worker tells them apart by packet type. */
static void
test_srtp_mux(void)
{
	struct rig r;
	struct dp_flow *f;
	struct sec_session *gw, *ue;
	uint8_t p1[256], c1[256], sp[256], sc[256], in[512], exp[512];
	size_t l1, lc, sl, scl, n;
	struct fspec s;

	CU_ASSERT_FATAL(rig_init(&r, CFG_VLAN_NONE, 0) == 0);
	CU_ASSERT_FATAL(rig_create(&r) == 0);
	gw = mksess(SEC_SUITE_AEAD_AES_128_GCM, SEC_DIR_UNPROTECT, SEC_PROTO_SRTP | SEC_PROTO_SRTCP,
		    SEC_ENGINE_DEFAULT);
	ue = mksess(SEC_SUITE_AEAD_AES_128_GCM, SEC_DIR_PROTECT, SEC_PROTO_SRTP | SEC_PROTO_SRTCP,
		    SEC_ENGINE_LIBSRTP);
	f = mkflow(&r, 0, AF_INET, "192.0.2.1", 10070, 1, "198.51.100.1", 20070, "198.51.100.7",
		   30000, nh_core, DP_FLOW_F_RTCP_MUX, 70);
	f->xform = DP_XFORM_SRTP_UNPROTECT;
	f->sec = gw;
	publish(&r, f);
	l1 = rtp_plain(p1, 5, 0x01020304, 33);
	lc = rtcp_plain(c1, 0x01020304, 0x5a);
	memcpy(sp, p1, l1);
	sl = sprot(ue, false, sp, l1, sizeof(sp));
	memcpy(sc, c1, lc);
	scl = sprot(ue, true, sc, lc, sizeof(sc));
	fs_in(&s, &r, 0, "192.0.2.50", "192.0.2.1", 5000, 10070, sp, sl);
	n = build(in, &s);
	inject(&r, 0, in, n);
	s.payload = sc;
	s.plen = (uint16_t)scl;
	n = build(in, &s);
	inject(&r, 0, in, n);
	run(&r, 2);
	n = expect_frame(exp, &r, 1, "198.51.100.1", "198.51.100.7", 20070, 30000, 0, p1, l1);
	check_out(&r, 1, exp, n);
	n = expect_frame(exp, &r, 1, "198.51.100.1", "198.51.100.7", 20070, 30000, 1, c1, lc);
	check_out(&r, 1, exp, n);
	CU_ASSERT_EQUAL(f->st->pkts, 2);
	CU_ASSERT_EQUAL(f->st->drops[DP_FLOW_DROP_XFORM], 0);
	rig_fini(&r);
	sec_session_destroy(gw);
	sec_session_destroy(ue);
}

/* dp_worker_run_once(): one iteration of worker 0 on this thread, no lcore
 * launched. Exact bytes and counters; the thread is offline between calls
 * (a grace period on this same thread returns); -EINVAL for a bad index,
 * -EBUSY while the workers run. */
static void
test_run_once(void)
{
	struct rig r;
	struct dp_flow *f;
	struct dp_flow_key key;
	uint8_t in[256], exp[256];
	struct fspec s;
	struct dp_lcore_stats st;
	uint64_t busy;
	size_t n, en;

	CU_ASSERT_FATAL(rig_init(&r, CFG_VLAN_NONE, 0) == 0);
	CU_ASSERT_FATAL(rig_create(&r) == 0);
	f = mkflow(&r, 0, AF_INET, "192.0.2.1", 10080, 1, "198.51.100.1", 20080, "198.51.100.7",
		   30080, nh_core, 0, 80);
	publish(&r, f);
	CU_ASSERT_EQUAL(dp_worker_run_once(r.dp, 1), -EINVAL);
	CU_ASSERT_EQUAL(dp_worker_run_once(NULL, 0), -EINVAL);
	CU_ASSERT_EQUAL(dp_worker_run_once(r.dp, 0), 0); /* nothing queued */
	/* an idle turn is not a busy one */
	dp_stats_total(r.dp, &st);
	CU_ASSERT_EQUAL(st.busy_turns, 0);
	CU_ASSERT_EQUAL(st.busy_cycles, 0);

	memset(&s, 0, sizeof(s));
	s.dmac = r.pi[0].mac.addr_bytes;
	s.smac = peer_mac;
	s.vlan = -1;
	s.family = 4;
	s.src = "192.0.2.50";
	s.dst = "192.0.2.1";
	s.sport = 5000;
	s.dport = 10080;
	s.payload = pl;
	s.plen = sizeof(pl) - 1;
	n = build(in, &s);
	inject(&r, 0, in, n);
	inject(&r, 0, in, n);
	/* Both in one iteration, both sent before it returns. */
	CU_ASSERT_EQUAL(dp_worker_run_once(r.dp, 0), 2);
	en = expect_frame(exp, &r, 1, "198.51.100.1", "198.51.100.7", 20080, 30080, 0, pl,
			  sizeof(pl) - 1);
	check_out(&r, 1, exp, en);
	en = expect_frame(exp, &r, 1, "198.51.100.1", "198.51.100.7", 20080, 30080, 1, pl,
			  sizeof(pl) - 1);
	check_out(&r, 1, exp, en);
	CU_ASSERT_EQUAL(take(&r, 1, in, sizeof(in)), 0);
	CU_ASSERT_EQUAL(take(&r, 0, in, sizeof(in)), 0);
	CU_ASSERT_EQUAL(f->st->pkts, 2);
	CU_ASSERT_EQUAL(f->st->bytes, 2 * (sizeof(pl) - 1));
	dp_stats_total(r.dp, &st);
	CU_ASSERT_EQUAL(st.rx, 2);
	CU_ASSERT_EQUAL(st.tx, 2);
	/* one turn handled both: counted with its TSC cycles */
	CU_ASSERT_EQUAL(st.busy_turns, 1);
	CU_ASSERT(st.busy_cycles > 0);
	busy = st.busy_cycles;
	CU_ASSERT_EQUAL(dp_worker_run_once(r.dp, 0), 0);
	dp_stats_total(r.dp, &st);
	CU_ASSERT_EQUAL(st.busy_turns, 1);
	CU_ASSERT_EQUAL(st.busy_cycles, busy);

	/* Offline between calls: the grace period of a removal does not
	 * wait for the next call (it would never come: same thread). */
	key = f->key;
	CU_ASSERT_FATAL(dp_flow_unpublish(dp_flows(r.dp), &key) == 0);
	dp_flow_sync(dp_flows(r.dp));
	CU_ASSERT_EQUAL(dp_flow_pending(dp_flows(r.dp)), 0);
	inject(&r, 0, in, n);
	CU_ASSERT_EQUAL(dp_worker_run_once(r.dp, 0), 1);
	dp_stats_total(r.dp, &st);
	CU_ASSERT_EQUAL(st.drops[DP_DROP_NO_FLOW], 1);
	/* a dropped packet is work too */
	CU_ASSERT_EQUAL(st.busy_turns, 2);
	CU_ASSERT(st.busy_cycles > busy);

	CU_ASSERT_FATAL(dp_start(r.dp) == 0);
	CU_ASSERT_EQUAL(dp_worker_run_once(r.dp, 0), -EBUSY);
	dp_stop(r.dp);
	rig_fini(&r);
}

int
main(void)
{
	char fp[64];
	char *argv[] = {
		(char *)"test_dp_worker",
		(char *)"--no-huge",
		(char *)"-m",
		(char *)"512",
		(char *)"--no-pci",
		(char *)"--no-shconf",
		fp,
		/* lcores 1 and 2 share CPU 1: two workers on a 2-CPU box */
		(char *)"--lcores=0@0,1@1,2@1",
		(char *)"--log-level=*:error",
		NULL,
	};
	CU_pSuite s;
	unsigned int fails;

	snprintf(fp, sizeof(fp), "--file-prefix=imsagw-t-dpw");
	if (rte_eal_init((int)RTE_DIM(argv) - 1, argv) < 0) {
		fprintf(stderr, "rte_eal_init failed\n");
		return 1;
	}
	if (sec_init(NULL) != 0) {
		fprintf(stderr, "sec_init failed\n");
		return 1;
	}
	tpool = rte_pktmbuf_pool_create("tpool", 1023, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					(int)rte_socket_id());
	if (tpool == NULL)
		return 1;
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("dp_worker", NULL, NULL);
	CU_add_test(s, "relay IPv4 and IPv6, exact bytes", test_relay_v4_v6);
	CU_add_test(s, "lcore drops: no flow, not ours, bad", test_lcore_drops);
	CU_add_test(s, "flow gates: closed, no neigh, src filter, xform", test_flow_gates);
	CU_add_test(s, "latch: one event with the source", test_latch);
	CU_add_test(s, "latch: signalled address or prefix, N in a row", test_latch_signalled);
	CU_add_test(s, "latch with a filter: learned source passes until re-aimed",
		    test_latch_filter_window);
	CU_add_test(s, "latch again after a Modify (new record, same state)",
		    test_relatch_after_modify);
	CU_add_test(s, "exception policer: per port, TCP budget apart", test_exc_policer);
	CU_add_test(s, "exception policer: one burst after an idle time", test_exc_policer_idle);
	CU_add_test(s, "ND filter: RA/Redirect/RS on access, NS/NA for us", test_nd_filter);
	CU_add_test(s, "vlan strip: accept id, drop others, push", test_vlan_strip);
	CU_add_test(s, "handoff to the owner lcore", test_handoff);
	CU_add_test(s, "dp_worker_run_once: no lcore, bytes, busy turns, QSBR, EBUSY",
		    test_run_once);
	CU_add_test(s, "srtp unprotect: exact, auth, replay, latch", test_srtp_unprotect);
	CU_add_test(s, "srtp forged first packet does not latch", test_srtp_forged_no_latch);
	CU_add_test(s, "srtp/srtcp protect: libsrtp2 bytes, ROC", test_srtp_protect);
	CU_add_test(s, "srtp rtcp-mux: one session, RTCP by PT", test_srtp_mux);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	fails = CU_get_number_of_failures();
	CU_cleanup_registry();
	sec_fini();
	rte_eal_cleanup();
	return fails ? 1 : 0;
}
