/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * imsagw-pipeline-bench: the media worker's own loop (dataplane/dp_worker.c:
 * classify, bulk flow lookup, SRTP transform, header rewrite, buffered TX)
 * on one core, for one suite, one payload size and N active flows, both
 * directions, plus forged SRTP, replays and unknown flows (the rejection
 * cost). In the same run it times the raw cryptodev op on the same size
 * and reports the ratio, and it measures the memory a flow costs (flow
 * record + state + hash slot + crypto session + device sessions).
 *
 *   imsagw-pipeline-bench [--suite NAME] [--flows N] [--payload N]
 *                         [--packets N] [--dir access-in|core-in|both]
 *                         [--json FILE] [--quick]
 *                         [-- EAL args]
 *
 * The data plane is the real one: dp_create() on a configuration made here,
 * with the access and core ports two net_ring ethdevs (rte_eth_from_rings(),
 * one RX and one TX ring each), no exception path, and one media worker on
 * an EAL lcore that is never launched: the main lcore runs its iterations
 * with dp_worker_run_once(). Flows are programmed as control does
 * (dp_flow_alloc, sec_session_create, dp_flow_set_egress with the next
 * hop's MAC, dp_flow_publish into dp_flows()), owned by that worker.
 *
 * Timing: per round, 8192 frames (--round N: 64..8192) are built in freshly
 * allocated mbufs (the same ~8700 each round: with 8192 the data and the
 * mbufs are in the last-level cache, not in L1/L2, and the mbuf headers
 * are cold too, where a NIC's PMD would just have written them; with 512
 * they are warm in L2) and put on the ingress port's RX ring (not timed). Timed: dp_worker_run_once()
 * until the worker has received all of them, and after each call the
 * egress port's TX ring drained the way a NIC's TX completion would (count,
 * free). So the figures include net_ring's RX/TX (a ring dequeue and
 * enqueue, a few cycles a packet) and the mbuf frees; net_ring has no
 * checksum offload, so the IP and UDP checksums are computed in software,
 * as on memif.
 *
 * Verification: every run checks that exactly the expected number of
 * packets leave (and only through the egress port), that the worker's and
 * the flows' counters agree (per flow: pkts equal to the packets it was
 * sent, no drops; the rejection runs: one drop per packet under the right
 * reason), and byte-compares the first and last packet of each round as it
 * leaves: UDP payload (access-in: the plain RTP packet; core-in: the SRTP
 * packet of the same index, protected here beforehand), egress addresses,
 * ports and MACs, and the IP and UDP checksums. A mismatch is an error and
 * the exit status is 1.
 *
 * Traffic: packet g goes to flow g % N with RTP sequence number g / N
 * (a real index with ROC rollover once a flow passes 65535 packets), so
 * consecutive packets belong to different flows when N > 1. All flows share
 * one master key so that one protected stream serves every flow (the SRTP
 * bytes of index v are the same for every flow; headers differ); each flow
 * still has its own session, replay window and ROC, so the work and the
 * memory touched per packet are those of distinct keys. A warm-up pass
 * gives every flow its first packet (stream creation) before timing.
 *
 * Flows spread over the port's CFG_MAX_ADDRS IPv4 addresses and UDP ports
 * 1024..65533 (the worker only takes packets to a configured address), so
 * one run has at most 16 x 64510 flows per direction.
 */
/* the bound calls the experimental CPU-crypto API directly */
#define ALLOW_EXPERIMENTAL_API 1

#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>
#include <rte_udp.h>

#include "bench_util.h"
#include "dp.h"
#include "sec.h"

#define BENCH_POOL 8192           /* most mbufs refilled per round */
#define BENCH_RING 16384          /* net_ring RX and TX rings */
#define BENCH_ROOM 512            /* mbuf data room */
#define BENCH_ADDRS CFG_MAX_ADDRS /* local addresses per port */
#define BENCH_PORT_MIN 1024       /* media range: 1024..65535 */
#define BENCH_EVEN 32255          /* even ports 1024..65532, then odd 1025..65533 */
#define BENCH_PORTS (2 * BENCH_EVEN)
#define BENCH_UNKNOWN_PORT 65535 /* in the media range, never a flow */
#define BENCH_REMOTE_PORT 40000
#define BENCH_STREAM_MAX (1u << 20)
#define BENCH_DRAIN 64

enum bench_dir {
	BENCH_ACCESS_IN = 0, /* SRTP -> RTP: unprotect; in on access, out on core */
	BENCH_CORE_IN,       /* RTP -> SRTP: protect; in on core, out on access */
};

/* The data plane and its two ring ports, by enum cfg_port_role. */
struct bench_rig {
	struct dp *dp;
	struct rte_ring *rx[CFG_MAX_PORTS], *tx[CFG_MAX_PORTS];
	struct dp_port_info pi[CFG_MAX_PORTS];
	unsigned int worker_lcore;
};

struct bench_flows {
	struct dp_flow **f;
	uint32_t n;
	enum bench_dir dir;
	double create_us; /* per flow */
	double bytes_per_flow;
	double mem[3]; /* per flow: C heap, DPDK heap, device sessions */
	uint64_t good; /* good packets sent so far: packet g < good went to
			* flow g % n */
};

/* RTP packets plain[v & 0xffff] (seq v, everything else a function of
 * seq) and srtp[v], v < nv, protected in order by one session, so that
 * indices run through real ROC rollovers. */
struct bench_stream {
	uint8_t *plain; /* 65536 x slot */
	uint8_t *srtp;  /* nv x slot */
	uint32_t slot;
	uint32_t plain_len;
	uint32_t srtp_len; /* the same for all */
	uint32_t nv;
};

static const uint8_t mkey[32] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
				 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};
static const uint8_t msalt[14] = {0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6,
				  0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd};
static const struct rte_ether_addr peer_mac = {{0x02, 0, 0, 0, 0x0a, 0x02}};
/* Our addresses: access 10.0.0.1-4, core 11.0.0.1-4; the UEs send from
 * 10.0.1.2, the core from 11.0.1.2, both from BENCH_REMOTE_PORT. */
static const uint32_t net_base[CFG_MAX_PORTS] = {0x0a000000, 0x0b000000};

static struct bench_json json;
static bool huge; /* EAL memory on hugepages (else --no-huge, 4 KB pages) */
static const char *json_suite;
static unsigned int json_payload;
static struct rte_mempool *pool;
/* frames per round (--round): 8192 spread the round over ~3 MB (cold in
 * L2, like frames a NIC put in the LLC); 512 keep it warm in L2 */
static uint32_t round_sz = BENCH_POOL;

static void
emit(const char *bench, const char *dir, uint32_t flows, const char *key, double val, double bound,
     double cpp)
{
	FILE *f;

	printf("%-10s %-24s %4u %-10s %8u flows  %-14s %10.3f", bench, json_suite, json_payload,
	       dir, flows, key, val);
	if (bound > 0)
		printf("  bound %.3f ratio %.2f", bound, val / bound);
	if (cpp > 0)
		printf("  %.0f cycles/pkt", cpp);
	printf("\n");
	f = bench_json_row(&json);
	if (f == NULL)
		return;
	fprintf(f,
		"\"bench\": \"%s\", \"suite\": \"%s\", \"payload\": %u, "
		"\"direction\": \"%s\", \"flows\": %u, \"%s\": %.4f",
		bench, json_suite, json_payload, dir, flows, key, val);
	if (bound > 0)
		fprintf(f, ", \"bound_mpps\": %.4f, \"ratio\": %.4f", bound, val / bound);
	if (cpp > 0)
		fprintf(f, ", \"cycles_per_pkt\": %.1f", cpp);
	fprintf(f, ", \"hugepages\": %s", huge ? "true" : "false");
	bench_json_row_end(&json);
}

/* Bytes allocated: [0] C heap, [1] DPDK heaps, [2] objects in use in the
 * engine's device-session pool. */
static void
mem_used(double b[3])
{
	struct mallinfo2 mi = mallinfo2();
	struct rte_malloc_socket_stats ms;
	struct rte_mempool *mp = rte_mempool_lookup("imsagw_sec_sess");
	unsigned int s;

	b[0] = (double)mi.uordblks + (double)mi.hblkhd;
	b[1] = 0;
	b[2] = 0;
	for (s = 0; s < RTE_MAX_NUMA_NODES; s++)
		if (rte_malloc_get_socket_stats((int)s, &ms) == 0)
			b[1] += (double)ms.heap_allocsz_bytes;
	if (mp != NULL)
		b[2] = (double)rte_mempool_in_use_count(mp) *
		       (double)(mp->header_size + mp->elt_size + mp->trailer_size);
}

static inline enum cfg_port_role
in_role(enum bench_dir dir)
{
	return dir == BENCH_ACCESS_IN ? CFG_PORT_ACCESS : CFG_PORT_CORE;
}

static inline enum cfg_port_role
out_role(enum bench_dir dir)
{
	return dir == BENCH_ACCESS_IN ? CFG_PORT_CORE : CFG_PORT_ACCESS;
}

/* Our address a (0..3) on port r, network order: 10.0.0.1+a, 11.0.0.1+a. */
static inline uint32_t
our_addr(enum cfg_port_role r, uint32_t a)
{
	return rte_cpu_to_be_32(net_base[r] + 1 + a);
}

/* The peer beyond port r (UE side, core side): 10.0.1.2, 11.0.1.2. */
static inline uint32_t
peer_addr(enum cfg_port_role r)
{
	return rte_cpu_to_be_32(net_base[r] + 0x0102);
}

/* Flow i: our address i % 4 and UDP port (host order) from i / 4, on the
 * ingress side; the egress leaves from the same address index and port on
 * the other side. */
static inline uint32_t
flow_addr_idx(uint32_t i)
{
	return i % BENCH_ADDRS;
}

static inline uint16_t
flow_port(uint32_t i)
{
	uint32_t s = i / BENCH_ADDRS;

	return (uint16_t)(s < BENCH_EVEN ? BENCH_PORT_MIN + 2 * s
					 : BENCH_PORT_MIN + 1 + 2 * (s - BENCH_EVEN));
}

static void
release(struct dp_flow *f, bool last)
{
	(void)last;
	sec_session_destroy(f->sec);
}

/* The flow table's share of a flow: dp_create() sizes it for every flow
 * of the run (limits.max_flows); an identical table is made and freed here
 * to weigh it. Per flow, into tb[] as mem_used() splits it. Returns 0 or -ENOMEM. */
static int
table_weigh(uint32_t max_flows, double tb[3])
{
	struct dp_flow_table *t;
	struct rte_rcu_qsbr *q;
	double m0[3], m1[3];
	unsigned int k;

	q = rte_zmalloc("bench_qsbr", rte_rcu_qsbr_get_memsize(1), RTE_CACHE_LINE_SIZE);
	if (q == NULL || rte_rcu_qsbr_init(q, 1) != 0)
		return -ENOMEM;
	mem_used(m0);
	t = dp_flow_table_create("bench_weigh", max_flows, (int)rte_socket_id(), q);
	if (t == NULL) {
		fprintf(stderr, "flow table of %u: %s\n", max_flows, rte_strerror(rte_errno));
		rte_free(q);
		return -ENOMEM;
	}
	mem_used(m1);
	for (k = 0; k < 3; k++)
		tb[k] = (m1[k] - m0[k]) / max_flows;
	dp_flow_table_free(t);
	rte_free(q);
	return 0;
}

/* The two ring ports and the data plane over them. Returns 0 or -1. */
static int
rig_create(struct bench_rig *rig, uint32_t max_flows)
{
	struct cfg *cfg;
	char name[RTE_RING_NAMESIZE], err[CFG_ERR_MAX];
	unsigned int r, a;
	int pid;

	memset(rig, 0, sizeof(*rig));
	rig->worker_lcore = rte_get_next_lcore(-1, 1, 0);
	if (rig->worker_lcore >= RTE_MAX_LCORE) {
		fprintf(stderr, "no EAL worker lcore: the media worker needs one (never "
				"launched; give e.g. --lcores=0@0,1@0)\n");
		return -1;
	}
	cfg = calloc(1, sizeof(*cfg));
	if (cfg == NULL)
		return -1;
	cfg->lcores.control = rte_get_main_lcore();
	cfg->lcores.media[0] = rig->worker_lcore;
	cfg->lcores.n_media = 1;
	snprintf(cfg->dataplane.netns, CFG_NAME_MAX, "imsagw-bench-unused");
	cfg->dataplane.mbufs = 1023; /* RX frames come from our own pool */
	cfg->dataplane.burst = 32;
	cfg->limits.max_flows = max_flows;
	for (r = 0; r < CFG_MAX_PORTS; r++) {
		struct cfg_port *c = &cfg->ports[r];

		snprintf(name, sizeof(name), "bench_rx%u", r);
		rig->rx[r] = rte_ring_create(name, BENCH_RING, (int)rte_socket_id(),
					     RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "bench_tx%u", r);
		rig->tx[r] = rte_ring_create(name, BENCH_RING, (int)rte_socket_id(),
					     RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (rig->rx[r] == NULL || rig->tx[r] == NULL) {
			fprintf(stderr, "rings: %s\n", rte_strerror(rte_errno));
			goto fail;
		}
		pid = rte_eth_from_rings(r == CFG_PORT_ACCESS ? "bench_access" : "bench_core",
					 &rig->rx[r], 1, &rig->tx[r], 1,
					 (unsigned int)rte_socket_id());
		if (pid < 0 || rte_eth_dev_get_name_by_port((uint16_t)pid, c->device) != 0) {
			fprintf(stderr, "net_ring port: %s\n", rte_strerror(rte_errno));
			goto fail;
		}
		c->role = (enum cfg_port_role)r;
		c->n_addr4 = BENCH_ADDRS;
		for (a = 0; a < BENCH_ADDRS; a++) {
			c->addr4[a].ip.family = AF_INET;
			c->addr4[a].ip.a.v4.s_addr = our_addr((enum cfg_port_role)r, a);
			c->addr4[a].len = 16;
		}
		c->udp_min = BENCH_PORT_MIN;
		c->udp_max = 65535;
		c->mtu = 1500;
		c->exc_kind = CFG_EXC_NONE;
	}
	rig->dp = dp_create(cfg, err, sizeof(err));
	free(cfg);
	cfg = NULL;
	if (rig->dp == NULL) {
		fprintf(stderr, "dp_create: %s\n", err);
		goto fail;
	}
	for (r = 0; r < CFG_MAX_PORTS; r++)
		if (dp_port_info(rig->dp, (enum cfg_port_role)r, &rig->pi[r]) != 0)
			goto fail;
	return 0;
fail:
	free(cfg);
	return -1;
}

static void
ring_empty(struct rte_ring *ring)
{
	void *m;

	while (ring != NULL && rte_ring_sc_dequeue(ring, &m) == 0)
		rte_pktmbuf_free(m);
}

static void
rig_destroy(struct bench_rig *rig)
{
	unsigned int r;

	dp_destroy(rig->dp); /* flows released: their sessions destroyed */
	rig->dp = NULL;
	for (r = 0; r < CFG_MAX_PORTS; r++) {
		ring_empty(rig->rx[r]);
		ring_empty(rig->tx[r]);
		rte_ring_free(rig->rx[r]);
		rte_ring_free(rig->tx[r]);
	}
}

/* N flows of one direction into dp_flows(): records, sessions, egress.
 * tb: the table's share per flow. Returns 0 or -errno. */
static int
flows_create(struct bench_flows *fl, const struct bench_rig *rig, uint32_t n,
	     enum sec_suite_id suite, enum bench_dir dir, const double tb[3])
{
	const struct dp_port_info *out = &rig->pi[out_role(dir)];
	struct dp_flow_table *t = dp_flows(rig->dp);
	struct cfg_ip local, remote;
	struct sec_session_params p;
	double m0[3], m1[3], t0;
	uint32_t i;
	int err, rc;

	memset(&local, 0, sizeof(local));
	memset(&remote, 0, sizeof(remote));
	local.family = remote.family = AF_INET;
	remote.a.v4.s_addr = peer_addr(out_role(dir));

	fl->n = n;
	fl->dir = dir;
	fl->f = calloc(n, sizeof(*fl->f));
	if (fl->f == NULL)
		return -ENOMEM;
	bench_session_params(&p, SEC_ENGINE_CRYPTODEV, suite,
			     dir == BENCH_ACCESS_IN ? SEC_DIR_UNPROTECT : SEC_DIR_PROTECT, mkey, msalt);
	p.max_streams = 1;
	mem_used(m0);
	t0 = bench_now();
	for (i = 0; i < n; i++) {
		struct dp_flow *f = dp_flow_alloc(NULL);
		uint32_t la = our_addr(in_role(dir), flow_addr_idx(i));

		if (f == NULL)
			return -ENOMEM;
		memset(&f->key, 0, sizeof(f->key));
		f->key.port_id = rig->pi[in_role(dir)].port_id;
		f->key.family = 4;
		f->key.local_port = rte_cpu_to_be_16(flow_port(i));
		memcpy(f->key.local_addr, &la, 4);
		f->id = i;
		f->xform = dir == BENCH_ACCESS_IN ? DP_XFORM_SRTP_UNPROTECT : DP_XFORM_SRTP_PROTECT;
		/* the worker we run owns every flow: no handoff */
		f->owner_lcore = (uint16_t)rig->worker_lcore;
		f->release = release;
		f->sec = sec_session_create(&p, &err);
		if (f->sec == NULL) {
			fprintf(stderr, "session %u: %s\n", i, strerror(-err));
			dp_flow_free_unpublished(f);
			return err;
		}
		local.a.v4.s_addr = our_addr(out_role(dir), flow_addr_idx(i));
		rc = dp_flow_set_egress(f, out, &local, flow_port(i), &remote, BENCH_REMOTE_PORT,
					&peer_mac);
		if (rc == 0)
			rc = dp_flow_publish(t, f);
		if (rc != 0) {
			fprintf(stderr, "flow %u: %s\n", i, strerror(-rc));
			sec_session_destroy(f->sec);
			dp_flow_free_unpublished(f);
			return rc;
		}
		fl->f[i] = f;
	}
	fl->create_us = (bench_now() - t0) * 1e6 / n;
	mem_used(m1);
	for (i = 0; i < 3; i++)
		fl->mem[i] = (m1[i] - m0[i]) / n + tb[i];
	fl->bytes_per_flow = fl->mem[0] + fl->mem[1] + fl->mem[2];
	return 0;
}

/* ---- the stream every flow carries ---- */

static void
rtp_fill(uint8_t *d, uint16_t seq, unsigned int payload)
{
	uint32_t ts = (uint32_t)seq * 160, k;

	d[0] = 0x80;
	d[1] = 0x00; /* PT 0 */
	d[2] = (uint8_t)(seq >> 8);
	d[3] = (uint8_t)seq;
	d[4] = (uint8_t)(ts >> 24);
	d[5] = (uint8_t)(ts >> 16);
	d[6] = (uint8_t)(ts >> 8);
	d[7] = (uint8_t)ts;
	d[8] = 0x5e;
	d[9] = 0xed;
	d[10] = 0x00;
	d[11] = 0x01;
	for (k = 0; k < payload; k++)
		d[12 + k] = (uint8_t)(seq + k);
}

static int
stream_build(struct bench_stream *s, enum sec_suite_id suite, uint32_t nv, unsigned int payload)
{
	struct sec_session_params p;
	struct sec_session *ps;
	uint32_t v;
	int err;

	memset(s, 0, sizeof(*s));
	s->slot = RTE_ALIGN_CEIL(12 + payload + SEC_MAX_TRAILER, 64);
	s->nv = nv;
	s->plain_len = 12 + payload;
	s->plain = malloc((size_t)65536 * s->slot);
	s->srtp = malloc((size_t)nv * s->slot);
	if (s->plain == NULL || s->srtp == NULL)
		return -ENOMEM;
	for (v = 0; v < 65536; v++)
		rtp_fill(s->plain + (size_t)v * s->slot, (uint16_t)v, payload);
	bench_session_params(&p, SEC_ENGINE_CRYPTODEV, suite, SEC_DIR_PROTECT, mkey, msalt);
	ps = sec_session_create(&p, &err);
	if (ps == NULL)
		return err;
	for (v = 0; v < nv; v++) {
		uint8_t *d = s->srtp + (size_t)v * s->slot;
		struct sec_pkt pk = {.data = d, .len = s->plain_len, .room = s->slot};
		uint8_t st;

		memcpy(d, s->plain + (size_t)(v & 0xffff) * s->slot, s->plain_len);
		if (sec_protect_burst(ps, &pk, 1, &st) != 1) {
			fprintf(stderr, "stream protect %u: %s\n", v, sec_status_str(st));
			sec_session_destroy(ps);
			return -EIO;
		}
		s->srtp_len = pk.len;
	}
	sec_session_destroy(ps);
	return 0;
}

/* What goes in (UDP payload) for index v of a flow of direction dir. */
static inline const uint8_t *
stream_in(const struct bench_stream *s, enum bench_dir dir, uint32_t v, uint32_t *len)
{
	if (dir == BENCH_ACCESS_IN) {
		*len = s->srtp_len;
		return s->srtp + (size_t)v * s->slot;
	}
	*len = s->plain_len;
	return s->plain + (size_t)(v & 0xffff) * s->slot;
}

/* What must come out. */
static inline const uint8_t *
stream_out(const struct bench_stream *s, enum bench_dir dir, uint32_t v, uint32_t *len)
{
	return stream_in(s, dir == BENCH_ACCESS_IN ? BENCH_CORE_IN : BENCH_ACCESS_IN, v, len);
}

enum bench_traffic {
	BENCH_T_GOOD = 0,
	BENCH_T_FORGED,  /* last tag byte flipped */
	BENCH_T_REPLAY,  /* packets already accepted */
	BENCH_T_UNKNOWN, /* UDP port without a flow */
};

/* Write the frame for flow i carrying stream packet v into m. */
static void
frame_fill(struct rte_mbuf *m, const struct bench_rig *rig, const struct bench_flows *fl,
	   uint32_t i, const struct bench_stream *s, uint32_t v, enum bench_traffic tr)
{
	enum cfg_port_role r = in_role(fl->dir);
	struct rte_ether_hdr *eh;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	const uint8_t *pl;
	uint32_t len;

	pl = stream_in(s, fl->dir, v, &len);
	rte_pktmbuf_reset(m);
	eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	eh->dst_addr = rig->pi[r].mac;
	eh->src_addr = peer_mac;
	eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(eh + 1);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + 8 + len));
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = peer_addr(r);
	ip->dst_addr = our_addr(r, flow_addr_idx(i));
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp = (struct rte_udp_hdr *)(ip + 1);
	udp->src_port = rte_cpu_to_be_16(BENCH_REMOTE_PORT);
	udp->dst_port = rte_cpu_to_be_16(tr == BENCH_T_UNKNOWN ? BENCH_UNKNOWN_PORT : flow_port(i));
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(8 + len));
	udp->dgram_cksum = 0;
	memcpy(udp + 1, pl, len);
	if (tr == BENCH_T_FORGED)
		((uint8_t *)(udp + 1))[len - 1] ^= 0x5a;
	m->data_len = (uint16_t)(sizeof(*eh) + 20 + 8 + len);
	m->pkt_len = m->data_len;
}

/* A packet whose output is checked byte for byte after the timed part. */
struct bench_sample {
	struct rte_mbuf *m; /* the frame put in; NULL: none */
	uint32_t flow, v;
	struct rte_mbuf *out; /* the same mbuf once it left, held back */
};

struct bench_round {
	uint64_t tx; /* frames taken from the egress TX ring */
	struct bench_sample smp[2];
};

/* Take what the worker sent from ring: count, hold the samples back, free
 * the rest (the NIC's TX completion). */
static inline void
tx_drain(struct rte_ring *ring, struct bench_round *rd)
{
	struct rte_mbuf *p[BENCH_DRAIN];
	unsigned int n, k, j;

	while ((n = rte_ring_sc_dequeue_burst(ring, (void **)p, BENCH_DRAIN, NULL)) != 0) {
		rd->tx += n;
		for (k = 0; k < n; k++) {
			for (j = 0; j < 2; j++) {
				if (p[k] == rd->smp[j].m && rd->smp[j].out == NULL) {
					rd->smp[j].out = p[k];
					p[k] = p[--n];
					k--;
					break;
				}
			}
		}
		rte_pktmbuf_free_bulk(p, n);
	}
}

/* Check one packet that left the egress port. Returns 0 or -1 (printed). */
static int
sample_check(const struct bench_rig *rig, const struct bench_flows *fl,
	     const struct bench_stream *s, const struct bench_sample *sp)
{
	const struct rte_mbuf *m = sp->out;
	enum cfg_port_role r = out_role(fl->dir);
	const struct rte_ether_hdr *eh;
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *udp;
	const uint8_t *exp;
	const char *what = NULL;
	uint32_t len;

	exp = stream_out(s, fl->dir, sp->v, &len);
	if (m == NULL) {
		what = "did not leave through the egress port";
		goto bad;
	}
	if (m->nb_segs != 1 || m->data_len != m->pkt_len ||
	    m->data_len != sizeof(*eh) + 20 + 8 + len) {
		what = "wrong length";
		goto bad;
	}
	eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	ip = (const struct rte_ipv4_hdr *)(eh + 1);
	udp = (const struct rte_udp_hdr *)(ip + 1);
	if (!rte_is_same_ether_addr(&eh->dst_addr, &peer_mac) ||
	    !rte_is_same_ether_addr(&eh->src_addr, &rig->pi[r].mac) ||
	    eh->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))
		what = "wrong Ethernet header";
	else if (ip->version_ihl != RTE_IPV4_VHL_DEF || ip->next_proto_id != IPPROTO_UDP ||
		 rte_be_to_cpu_16(ip->total_length) != 20 + 8 + len ||
		 ip->src_addr != our_addr(r, flow_addr_idx(sp->flow)) ||
		 ip->dst_addr != peer_addr(r))
		what = "wrong IPv4 header";
	else if (rte_ipv4_cksum(ip) != 0)
		what = "bad IPv4 header checksum";
	else if (rte_be_to_cpu_16(udp->src_port) != flow_port(sp->flow) ||
		 rte_be_to_cpu_16(udp->dst_port) != BENCH_REMOTE_PORT ||
		 rte_be_to_cpu_16(udp->dgram_len) != 8 + len)
		what = "wrong UDP header";
	else if (udp->dgram_cksum == 0 || rte_ipv4_udptcp_cksum_verify(ip, udp) != 0)
		what = "bad UDP checksum";
	else if (memcmp(udp + 1, exp, len) != 0)
		what = fl->dir == BENCH_ACCESS_IN ? "UDP payload is not the plain RTP packet"
						  : "UDP payload is not the expected SRTP packet";
	if (what == NULL)
		return 0;
bad:
	fprintf(stderr, "VERIFY %s: flow %u packet %u: %s\n",
		fl->dir == BENCH_ACCESS_IN ? "access-in" : "core-in", sp->flow, sp->v, what);
	return -1;
}

/* Per-flow and worker counters against what was sent. Returns 0 or -1. */
static int
counters_check(const struct bench_flows *fl, const char *what, uint64_t sent, enum bench_traffic tr,
	       const uint64_t drops0[DP_FLOW_DROP_MAX], const struct dp_lcore_stats *w0,
	       const struct dp_lcore_stats *w1)
{
	uint64_t drops[DP_FLOW_DROP_MAX] = {0}, pkts = 0;
	uint64_t exp_drops[DP_FLOW_DROP_MAX] = {0};
	uint32_t i, bad_flow = UINT32_MAX;
	unsigned int d;
	int rc = 0;

	for (i = 0; i < fl->n; i++) {
		const struct dp_flow_state *st = fl->f[i]->st;
		uint64_t want = fl->good / fl->n + (i < fl->good % fl->n ? 1 : 0);

		pkts += st->pkts;
		if (st->pkts != want && bad_flow == UINT32_MAX)
			bad_flow = i;
		for (d = 0; d < DP_FLOW_DROP_MAX; d++)
			drops[d] += st->drops[d];
	}
	if (bad_flow != UINT32_MAX) {
		fprintf(stderr,
			"VERIFY %s: flow %u forwarded %llu packets, it was sent %llu good "
			"ones\n",
			what, bad_flow, (unsigned long long)fl->f[bad_flow]->st->pkts,
			(unsigned long long)(fl->good / fl->n +
					     (bad_flow < fl->good % fl->n ? 1 : 0)));
		rc = -1;
	}
	if (pkts != fl->good) {
		fprintf(stderr,
			"VERIFY %s: the flows forwarded %llu packets in all, expected %llu\n", what,
			(unsigned long long)pkts, (unsigned long long)fl->good);
		rc = -1;
	}
	if (tr == BENCH_T_FORGED)
		exp_drops[DP_FLOW_DROP_AUTH] = sent;
	else if (tr == BENCH_T_REPLAY)
		exp_drops[DP_FLOW_DROP_REPLAY] = sent;
	for (d = 0; d < DP_FLOW_DROP_MAX; d++) {
		if (drops[d] - drops0[d] != exp_drops[d]) {
			fprintf(stderr, "VERIFY %s: %llu flow drops (%s), expected %llu\n", what,
				(unsigned long long)(drops[d] - drops0[d]),
				dp_flow_drop_name((enum dp_flow_drop)d),
				(unsigned long long)exp_drops[d]);
			rc = -1;
		}
	}
	if (w1->rx - w0->rx != sent || w1->tx - w0->tx != (tr == BENCH_T_GOOD ? sent : 0) ||
	    w1->handoff != w0->handoff) {
		fprintf(stderr,
			"VERIFY %s: worker rx %llu tx %llu handoff %llu, expected rx %llu "
			"tx %llu handoff 0\n",
			what, (unsigned long long)(w1->rx - w0->rx),
			(unsigned long long)(w1->tx - w0->tx),
			(unsigned long long)(w1->handoff - w0->handoff), (unsigned long long)sent,
			(unsigned long long)(tr == BENCH_T_GOOD ? sent : 0));
		rc = -1;
	}
	for (d = 0; d < DP_DROP_MAX; d++) {
		uint64_t want = d == DP_DROP_NO_FLOW && tr == BENCH_T_UNKNOWN ? sent : 0;

		if (w1->drops[d] - w0->drops[d] != want) {
			fprintf(stderr, "VERIFY %s: %llu worker drops (%s), expected %llu\n", what,
				(unsigned long long)(w1->drops[d] - w0->drops[d]),
				dp_drop_name((enum dp_lcore_drop)d), (unsigned long long)want);
			rc = -1;
		}
	}
	return rc;
}

static void
flow_drops(const struct bench_flows *fl, uint64_t drops[DP_FLOW_DROP_MAX])
{
	uint32_t i;
	unsigned int d;

	memset(drops, 0, sizeof(drops[0]) * DP_FLOW_DROP_MAX);
	for (i = 0; i < fl->n; i++)
		for (d = 0; d < DP_FLOW_DROP_MAX; d++)
			drops[d] += fl->f[i]->st->drops[d];
}

/*
 * Run total packets of traffic tr through the worker. Packet g: flow g % n,
 * stream packet g / n, from *base_g on (good traffic advances it, and
 * *base_g must be past the first pool for replays). Returns
 * Mpps over the timed part, *cpp cycles/packet; -1 when a check failed
 * (printed).
 */
static double
run_pipeline(const struct bench_rig *rig, struct bench_flows *fl, const struct bench_stream *s,
	     uint64_t total, uint64_t *base_g, enum bench_traffic tr, double *cpp)
{
	static const char *const tname[] = {"goodput", "forged", "replayed", "unknown-flow"};
	struct rte_ring *rx = rig->rx[in_role(fl->dir)];
	struct rte_ring *tx = rig->tx[out_role(fl->dir)];
	struct rte_ring *tx_wrong = rig->tx[in_role(fl->dir)];
	struct rte_mbuf *mb[BENCH_POOL];
	struct dp_lcore_stats w0, w1;
	uint64_t drops0[DP_FLOW_DROP_MAX];
	uint64_t g = *base_g, done = 0, cyc = 0, txed = 0;
	char what[64];
	int bad = 0;

	snprintf(what, sizeof(what), "%s %s", fl->dir == BENCH_ACCESS_IN ? "access-in" : "core-in",
		 tname[tr]);
	flow_drops(fl, drops0);
	if (dp_worker_stats(rig->dp, 0, NULL, &w0) != 0)
		return -1;
	while (done < total) {
		uint32_t np = (uint32_t)RTE_MIN((uint64_t)round_sz, total - done);
		/* Good traffic moves on; the others repeat one pool's worth each
		 * round: replays of packets the flows accepted in the last
		 * pool, forged packets at the next (fresh) indices, so that
		 * the tag check, not the replay check, refuses them. */
		uint64_t t0, gg = tr == BENCH_T_REPLAY ? g - round_sz - 1 : g;
		struct bench_round rd;
		uint32_t i, got;
		int rc = 0;

		if ((tr == BENCH_T_REPLAY && g <= round_sz) || (gg + np - 1) / fl->n >= s->nv) {
			fprintf(stderr, "%s: no such packets (stream of %u)\n", what, s->nv);
			return -1;
		}
		if (rte_pktmbuf_alloc_bulk(pool, mb, np) != 0) {
			fprintf(stderr, "%s: out of mbufs\n", what);
			return -1;
		}
		for (i = 0; i < np; i++) {
			uint64_t x = gg + i;

			frame_fill(mb[i], rig, fl, (uint32_t)(x % fl->n), s, (uint32_t)(x / fl->n),
				   tr);
		}
		memset(&rd, 0, sizeof(rd));
		if (tr == BENCH_T_GOOD) {
			rd.smp[0] = (struct bench_sample){.m = mb[0],
							  .flow = (uint32_t)(gg % fl->n),
							  .v = (uint32_t)(gg / fl->n)};
			rd.smp[1] = (struct bench_sample){.m = mb[np - 1],
							  .flow = (uint32_t)((gg + np - 1) % fl->n),
							  .v = (uint32_t)((gg + np - 1) / fl->n)};
			if (np == 1)
				rd.smp[1].m = NULL;
		}
		if (rte_ring_sp_enqueue_bulk(rx, (void **)mb, np, NULL) != np) {
			fprintf(stderr, "%s: RX ring full\n", what);
			rte_pktmbuf_free_bulk(mb, np);
			return -1;
		}

		t0 = rte_rdtsc_precise();
		for (got = 0; got < np; got += (uint32_t)rc) {
			rc = dp_worker_run_once(rig->dp, 0);
			if (rc <= 0)
				break;
			tx_drain(tx, &rd);
		}
		cyc += rte_rdtsc_precise() - t0;

		if (rc < 0 || got != np) {
			fprintf(stderr, "%s: the worker took %u of %u frames (%s)\n", what, got, np,
				rc < 0 ? strerror(-rc) : "then none");
			return -1;
		}
		txed += rd.tx;
		for (i = 0; i < 2; i++) {
			if (rd.smp[i].m == NULL)
				continue;
			if (sample_check(rig, fl, s, &rd.smp[i]) != 0)
				bad = 1;
			rte_pktmbuf_free(rd.smp[i].out);
		}
		if (rte_ring_count(tx_wrong) != 0) {
			fprintf(stderr, "VERIFY %s: %u packets left through the ingress port\n",
				what, rte_ring_count(tx_wrong));
			ring_empty(tx_wrong);
			bad = 1;
		}
		done += np;
		if (tr == BENCH_T_GOOD) {
			g += np;
			fl->good += np;
		}
		if (bad)
			return -1;
	}
	*base_g = g;
	if (txed != (tr == BENCH_T_GOOD ? total : 0)) {
		fprintf(stderr, "VERIFY %s: %llu of %llu packets left, expected %llu\n", what,
			(unsigned long long)txed, (unsigned long long)total,
			(unsigned long long)(tr == BENCH_T_GOOD ? total : 0));
		return -1;
	}
	if (dp_worker_stats(rig->dp, 0, NULL, &w1) != 0 ||
	    counters_check(fl, what, total, tr, drops0, &w0, &w1) != 0)
		return -1;
	if (done == 0 || cyc == 0) {
		*cpp = 0;
		return 0;
	}
	*cpp = (double)cyc / (double)done;
	return (double)done / ((double)cyc / (double)rte_get_tsc_hz()) / 1e6;
}

/* ---- raw cryptodev bound: bench/common/bench_bound.c ---- */

static struct bench_bound bnd;

/* MB of free hugepages on a mounted hugetlbfs, or 0. */
static uint64_t
hugepages_free_mb(void)
{
	uint64_t free_pages = 0, page_kb = 0;
	bool mounted = false;
	char line[256];
	FILE *f;

	f = fopen("/proc/mounts", "r");
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, " hugetlbfs ") != NULL)
			mounted = true;
	fclose(f);
	f = fopen("/proc/meminfo", "r");
	if (f == NULL || !mounted) {
		if (f != NULL)
			fclose(f);
		return 0;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long long v;

		if (sscanf(line, "HugePages_Free: %llu", &v) == 1)
			free_pages = v;
		else if (sscanf(line, "Hugepagesize: %llu kB", &v) == 1)
			page_kb = v;
	}
	fclose(f);
	return free_pages * page_kb / 1024;
}

static void
usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [--suite NAME] [--flows N] [--payload N] [--packets N]\n"
		"       [--dir access-in|core-in|both] [--round N] [--json FILE] [--quick]\n"
		"       [-- EAL args]\n"
		"       N flows: 1..%u\n",
		prog, BENCH_ADDRS * BENCH_PORTS);
}

int
main(int argc, char **argv)
{
	/* lcore 1 is the media worker's (dp_create() wants one); it is never
	 * launched, so it shares CPU 0 with the main lcore that runs it */
	static char *def_eal[] = {
		"imsagw-pipeline-bench",
		"--no-huge",
		"-m",
		"1024",
		"--no-pci",
		"--no-shconf",
		"--file-prefix=imsagw-bpipe",
		"--vdev",
		"crypto_aesni_mb",
		"--log-level=*:error",
		"--lcores=0@0,1@0",
	};
	const char *suite_name = "AES_CM_128_HMAC_SHA1_80", *json_path = NULL;
	uint32_t nflows = 1000, spk;
	unsigned int payload = 160, i;
	uint64_t total = 2000000;
	char **eal = def_eal;
	int neal = (int)RTE_DIM(def_eal);
	const struct sec_suite *su;
	struct sec_config scfg;
	struct bench_rig rig;
	struct bench_flows fa, fc;
	struct bench_stream st;
	char mem_arg[16];
	double secs = 1.0, tb[3];
	bool dirs[2] = {true, true};
	int status = 0;

	for (i = 1; i < (unsigned int)argc; i++) {
		if (strcmp(argv[i], "--suite") == 0 && i + 1 < (unsigned int)argc) {
			suite_name = argv[++i];
		} else if (strcmp(argv[i], "--flows") == 0 && i + 1 < (unsigned int)argc) {
			nflows = (uint32_t)strtoul(argv[++i], NULL, 0);
		} else if (strcmp(argv[i], "--payload") == 0 && i + 1 < (unsigned int)argc) {
			payload = (unsigned int)strtoul(argv[++i], NULL, 0);
		} else if (strcmp(argv[i], "--packets") == 0 && i + 1 < (unsigned int)argc) {
			total = strtoull(argv[++i], NULL, 0);
		} else if (strcmp(argv[i], "--json") == 0 && i + 1 < (unsigned int)argc) {
			json_path = argv[++i];
		} else if (strcmp(argv[i], "--dir") == 0 && i + 1 < (unsigned int)argc) {
			i++;
			dirs[0] = strcmp(argv[i], "core-in") != 0;
			dirs[1] = strcmp(argv[i], "access-in") != 0;
		} else if (strcmp(argv[i], "--round") == 0 && i + 1 < (unsigned int)argc) {
			round_sz = (uint32_t)strtoul(argv[++i], NULL, 0);
			if (round_sz < 64 || round_sz > BENCH_POOL) {
				usage(argv[0]);
				return 2;
			}
		} else if (strcmp(argv[i], "--quick") == 0) {
			total = 500000;
			secs = 0.2;
		} else if (strcmp(argv[i], "--") == 0) {
			bench_eal_rest(argc, argv, i, &eal, &neal);
			break;
		} else {
			usage(argv[0]);
			return 2;
		}
	}
	if (nflows > BENCH_ADDRS * BENCH_PORTS) {
		/* the worker takes media only to a configured address */
		fprintf(stderr,
			"--flows %u: at most %u per direction (%u addresses x %u UDP ports)\n",
			nflows, BENCH_ADDRS * BENCH_PORTS, BENCH_ADDRS, BENCH_PORTS);
		return 2;
	}
	su = sec_suite_by_name(suite_name, strlen(suite_name));
	if (su == NULL || nflows == 0 || nflows > BENCH_ADDRS * BENCH_PORTS || payload < 16 ||
	    12 + payload + SEC_MAX_TRAILER + 64 > BENCH_ROOM || total == 0) {
		usage(argv[0]);
		return 2;
	}
	/* EAL memory: per flow and direction one device session (~1.6 KB
	 * with aesni_mb; the engine's pool is preallocated), the hash slot,
	 * record and state (~0.8 KB). */
	if (eal == def_eal) {
		uint64_t per = (1700 + 800) * 3 / 2; /* + margin */

		uint64_t mb = 512 + (uint64_t)nflows * (dirs[0] + dirs[1]) * per / (1024 * 1024);

		snprintf(mem_arg, sizeof(mem_arg), "%u", (unsigned int)mb);
		def_eal[3] = mem_arg;
		/* hugepages when there are enough, as a deployment runs: with
		 * 4 KB pages every flow's state is a TLB miss too (100k flows:
		 * ~30 % fewer packets/s measured on this box) */
		if (hugepages_free_mb() >= mb + 64) {
			def_eal[1] = "--huge-unlink";
			huge = true;
		}
	}
	if (rte_eal_init(neal, eal) < 0) {
		fprintf(stderr, "rte_eal_init failed\n");
		return 1;
	}
	/* one device session per master key (SRTP only here); the engine's
	 * pool holds 2 per max_sessions */
	spk = 1;
	memset(&scfg, 0, sizeof(scfg));
	scfg.max_sessions = (uint32_t)(((uint64_t)(dirs[0] + dirs[1]) * nflows * spk + 1) / 2 + 64);
	scfg.disable_libsrtp = true;
	if (bench_crypto_init(&scfg, &bnd) != 0)
		return 1;
	/* A round takes BENCH_POOL mbufs from the ring (a bulk that size
	 * bypasses the lcore cache) and the worker frees them through the
	 * cache: the pool is no larger than that plus a cache's flush
	 * threshold, so that every round reuses about the same 8192 mbufs
	 * (~6.5 MB: in the last-level cache, not in the L1/L2, like frames a
	 * NIC has just written) instead of wandering over a larger set. */
	pool = rte_pktmbuf_pool_create("bench_mbufs", BENCH_POOL + 511, 256, 0,
				       RTE_PKTMBUF_HEADROOM + BENCH_ROOM, (int)rte_socket_id());
	if (pool == NULL) {
		fprintf(stderr, "mbuf pool: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (bench_json_open(&json, json_path) != 0)
		return 1;
	json_suite = su->name;
	json_payload = payload;

	/* one SRTP stream long enough for the busiest flow (warm-up and
	 * timed run; few flows get fewer packets) */
	{
		uint64_t per =
			(total + BENCH_POOL + RTE_MAX(nflows, (uint32_t)BENCH_POOL)) / nflows + 3;

		if (per > BENCH_STREAM_MAX) {
			per = BENCH_STREAM_MAX;
			total = (uint64_t)nflows * (per - 3) - 2 * BENCH_POOL;
		}
		if (stream_build(&st, su->id, (uint32_t)per, payload) != 0) {
			fprintf(stderr, "stream build failed\n");
			return 1;
		}
	}
	/* the table's share first, then the real one (the same size) */
	if (table_weigh(nflows * (uint32_t)(dirs[0] + dirs[1]), tb) != 0 ||
	    rig_create(&rig, nflows * (uint32_t)(dirs[0] + dirs[1])) != 0)
		return 1;
	printf("one core (lcore %u, TSC %.2f GHz), burst %d, %u-byte payloads, %s, %u flows, "
	       "EAL memory on %s\n",
	       rte_lcore_id(), (double)rte_get_tsc_hz() / 1e9, 32, payload, su->name, nflows,
	       huge ? "hugepages" : "4 KB pages (--no-huge)");
	printf("worker path: dp_worker.c via dp_worker_run_once() (worker of lcore %u) over "
	       "net_ring ports\n",
	       rig.worker_lcore);
	memset(&fa, 0, sizeof(fa));
	memset(&fc, 0, sizeof(fc));
	if ((dirs[0] && flows_create(&fa, &rig, nflows, su->id, BENCH_ACCESS_IN, tb) != 0) ||
	    (dirs[1] && flows_create(&fc, &rig, nflows, su->id, BENCH_CORE_IN, tb) != 0))
		return 1;
	for (i = 0; i < 2; i++) {
		const struct bench_flows *fl = i == 0 ? &fa : &fc;

		if (!dirs[i])
			continue;
		printf("flow setup %s: %.1f us/flow; bytes/flow: C heap %.0f, DPDK heap "
		       "(table, record, state) %.0f, device sessions %.0f\n",
		       i == 0 ? "access-in" : "core-in", fl->create_us, fl->mem[0], fl->mem[1],
		       fl->mem[2]);
		emit("memory", i == 0 ? "access-in" : "core-in", nflows, "bytes_per_flow",
		     fl->bytes_per_flow, 0, 0);
	}

	for (i = 0; i < 2 && status == 0; i++) {
		bool ain = i == 0;
		struct bench_flows *fl = ain ? &fa : &fc;
		const char *dn = ain ? "access-in" : "core-in";
		uint64_t g = 0;
		double mpps, cpp, bound;

		if (!dirs[i])
			continue;

		/* warm-up: every flow's first packet (new stream) untimed */
		if (run_pipeline(&rig, fl, &st, RTE_MAX(fl->n, round_sz), &g,
				 BENCH_T_GOOD, &cpp) < 0 ||
		    (mpps = run_pipeline(&rig, fl, &st, total, &g, BENCH_T_GOOD, &cpp)) < 0) {
			status = 1;
			break;
		}
		bound = bench_bound_mpps(&bnd, su, !ain, payload, secs);
		emit("pipeline", dn, nflows, "mpps", mpps, bound, cpp);
		if (!ain)
			continue;
		mpps = run_pipeline(&rig, fl, &st, total / 2, &g, BENCH_T_FORGED, &cpp);
		if (mpps < 0) {
			status = 1;
			break;
		}
		emit("rejection", "forged", nflows, "mpps", mpps, 0, cpp);
		mpps = run_pipeline(&rig, fl, &st, total / 2, &g, BENCH_T_REPLAY, &cpp);
		if (mpps < 0) {
			status = 1;
			break;
		}
		emit("rejection", "replayed", nflows, "mpps", mpps, 0, cpp);
		mpps = run_pipeline(&rig, fl, &st, total / 2, &g, BENCH_T_UNKNOWN, &cpp);
		if (mpps < 0) {
			status = 1;
			break;
		}
		emit("rejection", "unknown-flow", nflows, "mpps", mpps, 0, cpp);
	}
	bench_json_close(&json);
	rig_destroy(&rig);
	free(fa.f);
	free(fc.f);
	free(st.plain);
	free(st.srtp);
	bench_bound_fini(&bnd);
	rte_mempool_free(pool);
	sec_fini();
	rte_eal_cleanup();
	if (status != 0)
		fprintf(stderr, "imsagw-pipeline-bench: verification failed\n");
	return status;
}
