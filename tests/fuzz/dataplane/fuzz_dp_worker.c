/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer: the media worker's whole per-packet path with real mbufs:
 * classify (parse, VLAN, MAC, address, exception policer and ND filter),
 * the bulk flow lookup, the flow gates and latching, the SRTP/SRTCP
 * transforms and the egress rewrite, through dp_worker_run_once() over two
 * net_ring ports, as bench/pipeline and tests/unit/dataplane_worker drive
 * it (EAL --no-huge --no-pci; the openssl engine, so no cryptodev vdev).
 *
 * Flows are programmed once for fixed addresses (table `targets`): relay
 * with latching, SRTP/SRTCP unprotect and protect, rtcp-mux, IPv6, a closed
 * gate, an unresolved neighbour, a source filter. The input is a burst of
 * records, each [ctl][len_hi][len_lo][bytes]:
 *   ctl bit 0     ingress port (0 access, 1 core) for a raw frame
 *   ctl bit 1     templated: bytes are a UDP payload; the harness adds
 *                 Ethernet/IP/UDP toward targets[ctl >> 3 & 7] (its port)
 *   ctl bit 2     (templated) protect the payload first with the UE's or
 *                 core's sender session, so that unprotect flows see
 *                 packets that authenticate and reach the rewrite
 *   otherwise     bytes are the whole frame
 * What the worker sends is drained and freed; then every mbuf of the
 * harness pool must be back (no leak, no double free), and no frame may
 * leave longer than the mbuf. Crashes and sanitizer reports are failures.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "dp.h"
#include "dp_worker.h"
#include "sec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_RING 256
#define FZ_POOL 1023
#define FZ_MAX_PKTS 64

static struct rte_mempool *pool;
static struct rte_ring *rxr[2], *txr[2];
static struct dp *dp;
static struct dp_port_info pi[2];
static struct cfg cfg;
static struct sec_session *ue_tx;   /* what the UE protects with */
static struct sec_session *gw_rx;   /* the gateway's unprotect for it */
static struct sec_session *gw_tx;   /* the gateway's protect toward the UE */
static struct sec_session *mux_tx, *mux_rx;
/* The worker's crypto context lives in malloc'd memory that only DPDK
 * memory (not scanned by LeakSanitizer) points at: held here too. */
static struct sec_lcore *worker_sec;
static const uint8_t peer_mac[6] = {0x02, 0, 0, 0, 0, 0x77};
static const uint8_t nh[6] = {0x02, 0, 0, 0, 0, 0xc7};

enum fz_kind {
	FZ_RELAY_LATCH,
	FZ_UNPROTECT,
	FZ_PROTECT,
	FZ_SRTCP_UNPROTECT,
	FZ_MUX,
	FZ_RELAY6,
	FZ_GATE,
	FZ_FILTER,
};

/* Where templated packets go, one row per flow. */
static const struct fz_target {
	enum fz_kind kind;
	unsigned int in;      /* ingress port */
	int fam;
	const char *src, *dst;
	uint16_t sport, dport;
	uint32_t flags;
} targets[8] = {
	{FZ_RELAY_LATCH, 0, AF_INET, "192.0.2.77", "192.0.2.1", 5004, 10000, DP_FLOW_F_LATCH},
	{FZ_UNPROTECT, 0, AF_INET, "192.0.2.78", "192.0.2.1", 5006, 10002, DP_FLOW_F_LATCH},
	{FZ_PROTECT, 1, AF_INET, "198.51.100.7", "198.51.100.1", 6004, 20000, 0},
	{FZ_SRTCP_UNPROTECT, 0, AF_INET, "192.0.2.78", "192.0.2.1", 5007, 10003, 0},
	{FZ_MUX, 0, AF_INET, "192.0.2.79", "192.0.2.1", 5008, 10004, DP_FLOW_F_RTCP_MUX},
	{FZ_RELAY6, 0, AF_INET6, "2001:db8:a::7", "2001:db8:a::1", 5010, 10006, 0},
	{FZ_GATE, 0, AF_INET, "192.0.2.80", "192.0.2.1", 5012, 10008, DP_FLOW_F_GATE_CLOSED},
	{FZ_FILTER, 0, AF_INET, "192.0.2.81", "192.0.2.1", 5014, 10010,
	 DP_FLOW_F_SRC_FILTER | DP_FLOW_F_LATCH},
};

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

static struct sec_session *
session(enum sec_dir dir, uint32_t proto, enum sec_suite_id suite, uint8_t seed)
{
	uint8_t key[32], salt[14];
	struct sec_session_params p;
	struct sec_session *s;
	int err;

	memset(key, seed, sizeof(key));
	memset(salt, seed ^ 0x5a, sizeof(salt));
	memset(&p, 0, sizeof(p));
	p.dir = dir;
	p.proto = proto;
	p.suite = suite;
	p.master_key = key;
	p.master_salt = salt;
	s = sec_session_create(&p, &err);
	if (s == NULL)
		abort();
	return s;
}

static void
program(const struct fz_target *t, unsigned int idx)
{
	unsigned int out = 1 - t->in;
	struct dp_flow *f = dp_flow_alloc(NULL);
	struct cfg_ip l, r;
	struct rte_ether_addr mac;

	if (f == NULL)
		abort();
	f->key.port_id = pi[t->in].port_id;
	f->key.family = t->fam == AF_INET ? 4 : 6;
	f->key.local_port = htons(t->dport);
	inet_pton(t->fam, t->dst, f->key.local_addr);
	f->id = 100 + idx;
	f->flags = t->flags;
	f->owner_lcore = 1;
	f->xform = DP_XFORM_RELAY;
	inet_pton(t->fam, t->src, f->remote_addr);
	f->remote_port = htons(t->sport);
	f->latch_plen = t->fam == AF_INET ? 24 : 64;
	switch (t->kind) {
	case FZ_UNPROTECT:
		f->xform = DP_XFORM_SRTP_UNPROTECT;
		f->sec = gw_rx;
		break;
	case FZ_SRTCP_UNPROTECT:
		f->xform = DP_XFORM_SRTCP_UNPROTECT;
		f->sec = gw_rx;
		break;
	case FZ_PROTECT:
		f->xform = DP_XFORM_SRTP_PROTECT;
		f->sec = gw_tx;
		break;
	case FZ_MUX:
		f->xform = DP_XFORM_SRTP_UNPROTECT;
		f->sec = mux_rx;
		break;
	default:
		break;
	}
	if (t->fam == AF_INET) {
		set_ip(&l, AF_INET, out == 1 ? "198.51.100.1" : "192.0.2.1");
		set_ip(&r, AF_INET, out == 1 ? "198.51.100.9" : "192.0.2.9");
	} else {
		set_ip(&l, AF_INET6, out == 1 ? "2001:db8:c::1" : "2001:db8:a::1");
		set_ip(&r, AF_INET6, out == 1 ? "2001:db8:c::9" : "2001:db8:a::9");
	}
	memcpy(mac.addr_bytes, nh, 6);
	/* One flow waits for its neighbour: DP_FLOW_F_NO_NEIGH. */
	if (dp_flow_set_egress(f, &pi[out], &l, 30000, &r, 40000,
			       t->kind == FZ_FILTER ? NULL : &mac) != 0)
		abort();
	if (dp_flow_publish(dp_flows(dp), f) != 0)
		abort();
}

static void
setup(void)
{
	static char *argv[] = {
		(char *)"fuzz_dp_worker", (char *)"--no-huge", (char *)"-m", (char *)"512",
		(char *)"--no-pci", (char *)"--no-shconf", (char *)"--file-prefix=imsagw-fz-dpw",
		(char *)"--lcores=0@0,1@0", (char *)"--log-level=*:emerg", NULL,
	};
	struct sec_config sc;
	char n[32], err[256];
	unsigned int i;
	int pid;

	if (rte_eal_init((int)RTE_DIM(argv) - 1, argv) < 0)
		abort();
	memset(&sc, 0, sizeof(sc));
	sc.disable_cryptodev = true;
	sc.default_engine = SEC_ENGINE_OPENSSL;
	if (sec_init(&sc) != 0)
		abort();
	pool = rte_pktmbuf_pool_create("fz_pool", FZ_POOL, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       (int)rte_socket_id());
	if (pool == NULL)
		abort();
	for (i = 0; i < 2; i++) {
		snprintf(n, sizeof(n), "fz_rx%u", i);
		rxr[i] = rte_ring_create(n, FZ_RING, SOCKET_ID_ANY, 0);
		snprintf(n, sizeof(n), "fz_tx%u", i);
		txr[i] = rte_ring_create(n, FZ_RING, SOCKET_ID_ANY, 0);
		if (rxr[i] == NULL || txr[i] == NULL)
			abort();
		snprintf(n, sizeof(n), "fz_port%u", i);
		pid = rte_eth_from_rings(n, &rxr[i], 1, &txr[i], 1, (unsigned int)rte_socket_id());
		if (pid < 0 || rte_eth_dev_get_name_by_port((uint16_t)pid, cfg.ports[i].device))
			abort();
		cfg.ports[i].role = (enum cfg_port_role)i;
		cfg.ports[i].n_addr4 = 1;
		cfg.ports[i].n_addr6 = 1;
		cfg.ports[i].mtu = 1500;
		cfg.ports[i].exc_kind = CFG_EXC_NONE;
		/* Small budgets, so that inputs reach both sides of them. */
		cfg.ports[i].exc_rate = 1000;
		cfg.ports[i].exc_burst = 8;
		cfg.ports[i].exc_tcp_rate = 1000;
		cfg.ports[i].exc_tcp_burst = 8;
	}
	cfg.lcores.control = 0;
	cfg.lcores.media[0] = 1;
	cfg.lcores.n_media = 1;
	snprintf(cfg.dataplane.netns, CFG_NAME_MAX, "imsagw-fz-unused");
	cfg.dataplane.mbufs = 1023;
	cfg.dataplane.burst = 32;
	cfg.limits.max_flows = 64;
	set_prefix(&cfg.ports[0].addr4[0], AF_INET, "192.0.2.1", 24);
	set_prefix(&cfg.ports[0].addr6[0], AF_INET6, "2001:db8:a::1", 64);
	cfg.ports[0].udp_min = 10000;
	cfg.ports[0].udp_max = 10999;
	cfg.ports[0].tcp_min = 7000;
	cfg.ports[0].tcp_max = 7999;
	set_prefix(&cfg.ports[1].addr4[0], AF_INET, "198.51.100.1", 24);
	set_prefix(&cfg.ports[1].addr6[0], AF_INET6, "2001:db8:c::1", 64);
	cfg.ports[1].udp_min = 20000;
	cfg.ports[1].udp_max = 20999;
	cfg.ports[1].vlan_mode = CFG_VLAN_PASS;
	dp = dp_create(&cfg, err, sizeof(err));
	if (dp == NULL) {
		fprintf(stderr, "dp_create: %s\n", err);
		abort();
	}
	worker_sec = dp->workers[0]->sec;
	for (i = 0; i < 2; i++)
		if (dp_port_info(dp, (enum cfg_port_role)i, &pi[i]) != 0)
			abort();
	ue_tx = session(SEC_DIR_PROTECT, SEC_PROTO_SRTP | SEC_PROTO_SRTCP,
			SEC_SUITE_AES_CM_128_HMAC_SHA1_80, 1);
	gw_rx = session(SEC_DIR_UNPROTECT, SEC_PROTO_SRTP | SEC_PROTO_SRTCP,
			SEC_SUITE_AES_CM_128_HMAC_SHA1_80, 1);
	gw_tx = session(SEC_DIR_PROTECT, SEC_PROTO_SRTP | SEC_PROTO_SRTCP,
			SEC_SUITE_AES_CM_128_HMAC_SHA1_80, 2);
	mux_tx = session(SEC_DIR_PROTECT, SEC_PROTO_SRTP | SEC_PROTO_SRTCP,
			 SEC_SUITE_AEAD_AES_128_GCM, 3);
	mux_rx = session(SEC_DIR_UNPROTECT, SEC_PROTO_SRTP | SEC_PROTO_SRTCP,
			 SEC_SUITE_AEAD_AES_128_GCM, 3);
	for (i = 0; i < RTE_DIM(targets); i++)
		program(&targets[i], i);
}

/* Ethernet + IP + UDP toward t around a payload already at f + hdr. */
static size_t
frame(uint8_t *f, const struct fz_target *t, size_t plen)
{
	uint8_t *ip = f + 14, *udp;
	size_t hl = t->fam == AF_INET ? 20 : 40;
	uint16_t ulen = (uint16_t)(8 + plen);

	memcpy(f, pi[t->in].mac.addr_bytes, 6);
	memcpy(f + 6, peer_mac, 6);
	f[12] = t->fam == AF_INET ? 0x08 : 0x86;
	f[13] = t->fam == AF_INET ? 0x00 : 0xdd;
	memset(ip, 0, hl);
	if (t->fam == AF_INET) {
		ip[0] = 0x45;
		ip[2] = (uint8_t)((20 + ulen) >> 8);
		ip[3] = (uint8_t)(20 + ulen);
		ip[8] = 64;
		ip[9] = 17;
		inet_pton(AF_INET, t->src, ip + 12);
		inet_pton(AF_INET, t->dst, ip + 16);
	} else {
		ip[0] = 0x60;
		ip[4] = (uint8_t)(ulen >> 8);
		ip[5] = (uint8_t)ulen;
		ip[6] = 17;
		ip[7] = 64;
		inet_pton(AF_INET6, t->src, ip + 8);
		inet_pton(AF_INET6, t->dst, ip + 24);
	}
	udp = ip + hl;
	udp[0] = (uint8_t)(t->sport >> 8);
	udp[1] = (uint8_t)t->sport;
	udp[2] = (uint8_t)(t->dport >> 8);
	udp[3] = (uint8_t)t->dport;
	udp[4] = (uint8_t)(ulen >> 8);
	udp[5] = (uint8_t)ulen;
	udp[6] = 0;
	udp[7] = 0;
	return 14 + hl + ulen;
}

/* One record into an mbuf on its port's RX ring. @return bytes consumed or
 * 0 at the end of the input. */
static size_t
record(const uint8_t *d, size_t size)
{
	struct rte_mbuf *m;
	uint8_t *buf;
	unsigned int port;
	size_t len, cap, flen;
	uint8_t ctl;

	if (size < 3)
		return 0;
	ctl = d[0];
	len = (size_t)d[1] << 8 | d[2];
	if (len > size - 3)
		len = size - 3;
	m = rte_pktmbuf_alloc(pool);
	if (m == NULL)
		abort();
	cap = rte_pktmbuf_tailroom(m);
	buf = rte_pktmbuf_mtod(m, uint8_t *);
	port = ctl & 1;
	if (ctl & 2) {
		const struct fz_target *t = &targets[(ctl >> 3) & 7];
		size_t hdr = 14 + (t->fam == AF_INET ? 20 : 40) + 8;
		struct sec_pkt sp;
		uint8_t st;

		/* Room for the payload, the tag and an SRTCP index. */
		if (len > cap - hdr - 32)
			len = cap - hdr - 32;
		memcpy(buf + hdr, d + 3, len);
		sp.data = buf + hdr;
		sp.len = (uint32_t)len;
		sp.room = (uint32_t)(cap - hdr);
		if (ctl & 4) {
			struct sec_session *s = t->kind == FZ_MUX ? mux_tx : ue_tx;
			bool rtcp = t->kind == FZ_SRTCP_UNPROTECT ||
				    (t->kind == FZ_MUX && len >= 2 && d[4] >= 200 && d[4] <= 204);

			if (rtcp)
				(void)sec_rtcp_protect_burst(s, &sp, 1, &st);
			else
				(void)sec_protect_burst(s, &sp, 1, &st);
			if (st != SEC_ST_OK)
				sp.len = (uint32_t)len;
		}
		flen = frame(buf, t, sp.len);
		port = t->in;
	} else {
		flen = len < cap ? len : cap;
		memcpy(buf, d + 3, flen);
	}
	if (rte_pktmbuf_append(m, (uint16_t)flen) == NULL)
		abort();
	if (rte_ring_enqueue(rxr[port], m) != 0)
		rte_pktmbuf_free(m);
	return 3 + len;
}

static void
drain(void)
{
	void *vm;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		while (rte_ring_dequeue(txr[i], &vm) == 0) {
			struct rte_mbuf *m = vm;

			if (rte_pktmbuf_pkt_len(m) > m->buf_len ||
			    m->data_off + m->data_len > m->buf_len)
				abort();
			rte_pktmbuf_free(m);
		}
	}
}

static void
no_event(const struct dp_event *ev, void *arg)
{
	(void)ev;
	(void)arg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int n = 0, rounds;
	size_t used;

	if (dp == NULL)
		setup();
	while (n < FZ_MAX_PKTS && (used = record(data, size)) != 0) {
		data += used;
		size -= used;
		n++;
	}
	/* Everything received is sent or dropped within an iteration. */
	for (rounds = 0; rounds < 4; rounds++)
		if (dp_worker_run_once(dp, 0) <= 0)
			break;
	drain();
	(void)dp_events_poll(dp, no_event, NULL);
	if (rte_mempool_avail_count(pool) != FZ_POOL)
		abort();
	return 0;
}
