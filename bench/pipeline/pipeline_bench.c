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
 *                         [--junk PCT [--junk-run N] [--slices N]
 *                          [--exc-rate PPS]]
 *                         [--workers 1|2 [--slices N]]
 *                         [--engine ipsecmb|cryptodev] [--gcm-keys fast|compact]
 *                         [-- EAL args]
 *
 * --engine: the SRTP engine of every flow, the gateway's default ipsecmb
 * (intel-ipsec-mb's job API, key state in the key) or cryptodev (one
 * device session per key), for the A/B of issue 13. --gcm-keys: the
 * ipsecmb engine's GCM key layout (crypto.gcm_keys).
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
 * they are warm in L2) and put on the ingress port's RX ring (not timed). Timed:
 * dp_worker_run_once() until the worker has received all of them, and after each call the egress
 * port's TX ring drained the way a NIC's TX completion would (count, free). So the figures include
 * net_ring's RX/TX (a ring dequeue and enqueue, a few cycles a packet) and the mbuf frees; net_ring
 * has no checksum offload, so the IP and UDP checksums are computed in software, as on memif.
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
 *
 * Junk (--junk PCT, 1..90): media next to a UE flood on the exception
 * path. PCT % of every round's frames are junk to the access port's own
 * address (pipeline_junk.h: ICMP echo, TCP SYN outside the MSRP range,
 * UDP outside the media range, IPv4 fragments, and ND the filter drops: NS
 * for a foreign target, RA), spread evenly among the media (one by one, or
 * in runs of --junk-run frames from the start of the round: 32 fills
 * whole RX bursts and leaves the media's whole); the media count stays
 * --packets. The ports carry the gateway's default exception
 * policer (2000/s, burst 200; --exc-rate PPS, 0 = none) but no exception
 * interface: what the policer lets through is dropped as exc_full where
 * the gateway would write it to its TAP. Instead of the pipeline and
 * rejection rows, each direction runs an A/B: --slices slices (default
 * 5, at least a round each) of --packets / slices media without junk (A)
 * and as many with junk (B), plus B's junk alone (C), the three taking
 * turns every round; per slice and as median [min-max] it reports media
 * Mpps of A and of B, junk Mpps handled (junk dropped) and the total, per
 * second of this thread's CPU time (the worker's: the box may be shared;
 * wall-clock TSC figures too), the cost of a junk frame beside the media
 * ((B time - A time) / junk frames) and alone (C time / junk frames), the
 * worker's drops by reason, and media offered against forwarded.
 * Verified as above, and: every junk frame dropped under its reason (nd,
 * exc_policed + exc_full), none sent anywhere, no more through the
 * policer than its budget.
 *
 * Two workers (--workers 2): the same pipeline on both cores. dp_create()
 * gets two media workers (lcores 2 and 3 of the default
 * --lcores=0@0,1@1,2@0,3@1, never launched); each port has an RX and a
 * TX ring per worker (queue q is worker q's, as dp_worker.c takes them),
 * and each worker --flows flows of its own (other UDP ports, owner_lcore
 * its lcore, created in one block per worker), its own mbuf pool, and
 * its own thread: the main lcore runs worker 0, EAL lcore 1 (on CPU 1)
 * worker 1. Per direction, after a warm-up, --slices slices (default 5)
 * of --packets / slices packets per worker and phase, each slice worker 0
 * alone, worker 1 alone and both together, in turn (A0, A1, B then B, A1,
 * A0). Together, the threads build their rounds, meet at a barrier, run
 * them timed, meet again: the timed parts share one wall-clock interval,
 * and no build overlaps the other's timed part. Reported per slice and as
 * median [min-max]: each worker's Mpps alone and together (its own TSC
 * time), their sum, both over their common interval (frames of both /
 * from the first start to the last end of each round), scaling = sum /
 * mean of the two alone rates (and the common-interval figure over it),
 * each thread's CPU time / TSC time (below 1: the box's other load took
 * the CPU), the same rates per second of thread CPU time (the code's
 * scaling without that preemption), and the steal time /proc/stat
 * counted on CPUs 0 and 1. Verified per phase as above: every packet out
 * of its own worker's TX queue, per flow and per worker counters (the
 * worker not running must not move; no handoff), two samples per round
 * byte-compared. Media only: no rejection, memory or bound rows, no --junk.
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
#include "pipeline_bench.h"
#include "pipeline_junk.h"
#include "pipeline_multi.h"
#include "sec.h"

#define BENCH_RING 16384          /* net_ring RX and TX rings */
#define BENCH_ROOM 512            /* mbuf data room */
#define BENCH_ADDRS CFG_MAX_ADDRS /* local addresses per port */
#define BENCH_PORT_MIN 1024       /* media range: 1024..65535 */
#define BENCH_EVEN 32255          /* even ports 1024..65532, then odd 1025..65533 */
#define BENCH_PORTS (2 * BENCH_EVEN)
#define BENCH_UNKNOWN_PORT 65535 /* in the media range, never a flow */
#define BENCH_REMOTE_PORT 40000
#define BENCH_STREAM_MAX (1u << 20)
/* The exception policers as the gateway's defaults set them
 * (ports.*.exception_rate / _burst, exception_tcp_rate / _burst); the
 * rate is --exc-rate. One worker: its share is the whole port's. */
#define BENCH_EXC_RATE 2000
#define BENCH_EXC_BURST 200
#define BENCH_EXC_TCP_RATE 20000
#define BENCH_EXC_TCP_BURST 2000
#define BENCH_MSRP_MIN 2855 /* TCP range of MSRP terminations (RFC 4975 §15.6) */
#define BENCH_MSRP_MAX 2954
#define BENCH_ADDRS6 4        /* IPv6 addresses per port: the ND filter's */
#define BENCH_JUNK_MAX 90     /* --junk: most percent of the frames */
#define BENCH_JUNK_RUN_MAX 64 /* runs of junk up to two RX bursts */

static const uint8_t mkey[32] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
				 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};
static const uint8_t msalt[14] = {0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6,
				  0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd};
static const struct rte_ether_addr peer_mac = {{0x02, 0, 0, 0, 0x0a, 0x02}};
/* Our addresses: access 10.0.0.1-4, core 11.0.0.1-4; the UEs send from
 * 10.0.1.2, the core from 11.0.1.2, both from BENCH_REMOTE_PORT. */
static const uint32_t net_base[CFG_MAX_PORTS] = {0x0a000000, 0x0b000000};

struct bench_json json;
bool huge; /* EAL memory on hugepages (else --no-huge, 4 KB pages) */
const char *json_suite;
unsigned int json_payload;
static struct rte_mempool *pool;
/* The SRTP engine of every flow: the gateway's default (ipsecmb), or
 * cryptodev for the A/B (--engine). */
static enum sec_engine opt_engine = SEC_ENGINE_IPSECMB;
static bool opt_gcm_compact;    /* --gcm-keys compact */
/* frames per round (--round): 8192 spread the round over ~3 MB (cold in
 * L2, like frames a NIC put in the LLC); 512 keep it warm in L2 */
uint32_t round_sz = BENCH_POOL;
/* --junk: percent of every round's frames that are junk; the media stays
 * the count asked for. The A/B then runs --slices slices. */
static uint32_t junk_pct;
unsigned int slices = 5;
/* --junk-run: junk comes in runs of this many frames (1: one by one among
 * the media; the worker's burst, 32: whole RX bursts of junk, the media
 * bursts left whole) */
static uint32_t junk_run = 1;
static uint32_t exc_rate = BENCH_EXC_RATE; /* --exc-rate; 0: no policer */
unsigned int n_workers = 1;                /* --workers */
static struct bench_junk junk;

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
	fprintf(f, ", \"hugepages\": %s, \"engine\": \"%s\"", huge ? "true" : "false",
		opt_engine == SEC_ENGINE_IPSECMB ? "ipsecmb" : "cryptodev");
	if (opt_gcm_compact)
		fprintf(f, ", \"gcm_keys\": \"compact\"");
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

/* Our IPv6 address a on port r: 2001:db8:a::1+a (access), 2001:db8:b::1+a
 * (core). Only junk uses them (the ND filter looks for them). */
static void
our_addr6(enum cfg_port_role r, uint32_t a, uint8_t out[16])
{
	memset(out, 0, 16);
	out[0] = 0x20;
	out[1] = 0x01;
	out[2] = 0x0d;
	out[3] = 0xb8;
	out[5] = (uint8_t)(0x0a + r);
	out[15] = (uint8_t)(1 + a);
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
	rig->n_workers = n_workers;
	/* --workers 2: the first worker lcore is a thread (it runs worker 1),
	 * the media workers' lcores come after it */
	a = rte_get_next_lcore(-1, 1, 0);
	if (n_workers > 1) {
		rig->runner_lcore = a;
		a = rte_get_next_lcore(a, 1, 0);
	}
	for (r = 0; r < n_workers; r++, a = rte_get_next_lcore(a, 1, 0))
		rig->worker_lcore[r] = a;
	if (rig->runner_lcore >= RTE_MAX_LCORE ||
	    rig->worker_lcore[n_workers - 1] >= RTE_MAX_LCORE) {
		fprintf(stderr, "too few EAL worker lcores: the media worker needs one (never "
				"launched; give e.g. --lcores=0@0,1@0); --workers 2 a thread "
				"and two (--lcores=0@0,1@1,2@0,3@1)\n");
		return -1;
	}
	cfg = calloc(1, sizeof(*cfg));
	if (cfg == NULL)
		return -1;
	cfg->lcores.control = rte_get_main_lcore();
	for (r = 0; r < n_workers; r++)
		cfg->lcores.media[r] = rig->worker_lcore[r];
	cfg->lcores.n_media = n_workers;
	snprintf(cfg->dataplane.netns, CFG_NAME_MAX, "imsagw-bench-unused");
	cfg->dataplane.mbufs = 1023; /* RX frames come from our own pool */
	cfg->dataplane.burst = 32;
	cfg->limits.max_flows = max_flows;
	for (r = 0; r < CFG_MAX_PORTS; r++) {
		struct cfg_port *c = &cfg->ports[r];

		for (a = 0; a < n_workers; a++) {
			snprintf(name, sizeof(name), "bench_rx%u_%u", r, a);
			rig->rx[r][a] = rte_ring_create(name, BENCH_RING, (int)rte_socket_id(),
							RING_F_SP_ENQ | RING_F_SC_DEQ);
			snprintf(name, sizeof(name), "bench_tx%u_%u", r, a);
			rig->tx[r][a] = rte_ring_create(name, BENCH_RING, (int)rte_socket_id(),
							RING_F_SP_ENQ | RING_F_SC_DEQ);
			if (rig->rx[r][a] == NULL || rig->tx[r][a] == NULL) {
				fprintf(stderr, "rings: %s\n", rte_strerror(rte_errno));
				goto fail;
			}
		}
		/* queue q of the port: worker q's (dp_worker.c) */
		pid = rte_eth_from_rings(r == CFG_PORT_ACCESS ? "bench_access" : "bench_core",
					 rig->rx[r], n_workers, rig->tx[r], n_workers,
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
		c->n_addr6 = BENCH_ADDRS6;
		for (a = 0; a < BENCH_ADDRS6; a++) {
			c->addr6[a].ip.family = AF_INET6;
			our_addr6((enum cfg_port_role)r, a, c->addr6[a].ip.a.v6.s6_addr);
			c->addr6[a].len = 64;
		}
		c->udp_min = BENCH_PORT_MIN;
		c->udp_max = 65535;
		c->tcp_min = BENCH_MSRP_MIN;
		c->tcp_max = BENCH_MSRP_MAX;
		c->mtu = 1500;
		/* no exception interface: what the policer lets through is
		 * dropped as exc_full (a TAP write in the gateway) */
		c->exc_kind = CFG_EXC_NONE;
		c->exc_rate = exc_rate;
		c->exc_burst = BENCH_EXC_BURST;
		c->exc_tcp_rate = BENCH_EXC_TCP_RATE;
		c->exc_tcp_burst = BENCH_EXC_TCP_BURST;
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

void
ring_empty(struct rte_ring *ring)
{
	void *m;

	while (ring != NULL && rte_ring_sc_dequeue(ring, &m) == 0)
		rte_pktmbuf_free(m);
}

static void
rig_destroy(struct bench_rig *rig)
{
	unsigned int r, q;

	dp_destroy(rig->dp); /* flows released: their sessions destroyed */
	rig->dp = NULL;
	for (r = 0; r < CFG_MAX_PORTS; r++) {
		for (q = 0; q < BENCH_WMAX; q++) {
			ring_empty(rig->rx[r][q]);
			ring_empty(rig->tx[r][q]);
			rte_ring_free(rig->rx[r][q]);
			rte_ring_free(rig->tx[r][q]);
		}
	}
}

/* N flows of one direction into dp_flows(): records, sessions, egress.
 * tb: the table's share per flow. Returns 0 or -errno. */
static int
flows_create(struct bench_flows *fl, const struct bench_rig *rig, uint32_t n, uint32_t base,
	     unsigned int widx, enum sec_suite_id suite, enum bench_dir dir, const double tb[3])
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
	fl->base = base;
	fl->widx = widx;
	fl->dir = dir;
	fl->f = calloc(n, sizeof(*fl->f));
	if (fl->f == NULL)
		return -ENOMEM;
	bench_session_params(&p, opt_engine, suite,
			     dir == BENCH_ACCESS_IN ? SEC_DIR_UNPROTECT : SEC_DIR_PROTECT, mkey,
			     msalt);
	p.max_streams = 1;
	mem_used(m0);
	t0 = bench_now();
	for (i = 0; i < n; i++) {
		struct dp_flow *f = dp_flow_alloc(NULL);
		uint32_t la = our_addr(in_role(dir), flow_addr_idx(base + i));

		if (f == NULL) {
			fprintf(stderr, "flow record %u: out of DPDK memory\n", i);
			return -ENOMEM;
		}
		memset(&f->key, 0, sizeof(f->key));
		f->key.port_id = rig->pi[in_role(dir)].port_id;
		f->key.family = 4;
		f->key.local_port = rte_cpu_to_be_16(flow_port(base + i));
		memcpy(f->key.local_addr, &la, 4);
		f->id = i;
		f->xform = dir == BENCH_ACCESS_IN ? DP_XFORM_SRTP_UNPROTECT : DP_XFORM_SRTP_PROTECT;
		/* the worker that receives them owns them: no handoff */
		f->owner_lcore = (uint16_t)rig->worker_lcore[widx];
		f->release = release;
		f->sec = sec_session_create(&p, &err);
		if (f->sec == NULL) {
			fprintf(stderr, "session %u: %s\n", i, strerror(-err));
			dp_flow_free_unpublished(f);
			return err;
		}
		local.a.v4.s_addr = our_addr(out_role(dir), flow_addr_idx(base + i));
		rc = dp_flow_set_egress(f, out, &local, flow_port(base + i), &remote,
					BENCH_REMOTE_PORT, &peer_mac);
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
	bench_session_params(&p, opt_engine, suite, SEC_DIR_PROTECT, mkey, msalt);
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

/* Write the frame for flow i carrying stream packet v into m. */
void
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
	ip->dst_addr = our_addr(r, flow_addr_idx(fl->base + i));
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp = (struct rte_udp_hdr *)(ip + 1);
	udp->src_port = rte_cpu_to_be_16(BENCH_REMOTE_PORT);
	udp->dst_port = rte_cpu_to_be_16(tr == BENCH_T_UNKNOWN ? BENCH_UNKNOWN_PORT
							       : flow_port(fl->base + i));
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(8 + len));
	udp->dgram_cksum = 0;
	memcpy(udp + 1, pl, len);
	if (tr == BENCH_T_FORGED)
		((uint8_t *)(udp + 1))[len - 1] ^= 0x5a;
	m->data_len = (uint16_t)(sizeof(*eh) + 20 + 8 + len);
	m->pkt_len = m->data_len;
}

/* Check one packet that left the egress port. Returns 0 or -1 (printed). */
int
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
		 ip->src_addr != our_addr(r, flow_addr_idx(fl->base + sp->flow)) ||
		 ip->dst_addr != peer_addr(r))
		what = "wrong IPv4 header";
	else if (rte_ipv4_cksum(ip) != 0)
		what = "bad IPv4 header checksum";
	else if (rte_be_to_cpu_16(udp->src_port) != flow_port(fl->base + sp->flow) ||
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

/* The junk that was not ND went to to_exc(): the policer dropped what was
 * over the budget (exc_policed) and let the rest through, which finds no
 * exception interface here (exc_full). Returns 0 or -1 (printed). */
static int
junk_exc_check(const char *what, const struct bench_junk_sent *jk, const struct dp_lcore_stats *w0,
	       const struct dp_lcore_stats *w1)
{
	uint64_t pol = w1->drops[DP_DROP_EXC_POLICED] - w0->drops[DP_DROP_EXC_POLICED];
	uint64_t full = w1->drops[DP_DROP_EXC_FULL] - w0->drops[DP_DROP_EXC_FULL];

	if (pol + full != jk->n - jk->nd) {
		fprintf(stderr,
			"VERIFY %s: exc_policed %llu + exc_full %llu, expected %llu (the junk "
			"that is not ND)\n",
			what, (unsigned long long)pol, (unsigned long long)full,
			(unsigned long long)(jk->n - jk->nd));
		return -1;
	}
	if (full > jk->exc_cap || (exc_rate == 0 && pol != 0)) {
		fprintf(stderr,
			"VERIFY %s: the policer (%u/s, burst %u) let %llu through and dropped "
			"%llu; at most %llu could pass\n",
			what, exc_rate, BENCH_EXC_BURST, (unsigned long long)full,
			(unsigned long long)pol, (unsigned long long)jk->exc_cap);
		return -1;
	}
	return 0;
}

/* Per-flow and worker counters against what was sent. Returns 0 or -1. */
int
counters_check(const struct bench_flows *fl, const char *what, uint64_t sent, enum bench_traffic tr,
	       const struct bench_junk_sent *jk, const uint64_t drops0[DP_FLOW_DROP_MAX],
	       const struct dp_lcore_stats *w0, const struct dp_lcore_stats *w1)
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
	if (w1->rx - w0->rx != sent + jk->n || w1->tx - w0->tx != (tr == BENCH_T_GOOD ? sent : 0) ||
	    w1->handoff != w0->handoff || w1->to_exc != w0->to_exc) {
		fprintf(stderr,
			"VERIFY %s: worker rx %llu tx %llu handoff %llu to_exc %llu, expected rx "
			"%llu tx %llu handoff 0 to_exc 0\n",
			what, (unsigned long long)(w1->rx - w0->rx),
			(unsigned long long)(w1->tx - w0->tx),
			(unsigned long long)(w1->handoff - w0->handoff),
			(unsigned long long)(w1->to_exc - w0->to_exc),
			(unsigned long long)(sent + jk->n),
			(unsigned long long)(tr == BENCH_T_GOOD ? sent : 0));
		rc = -1;
	}
	for (d = 0; d < DP_DROP_MAX; d++) {
		uint64_t want = d == DP_DROP_NO_FLOW && tr == BENCH_T_UNKNOWN ? sent : 0;

		if (d == DP_DROP_ND)
			want = jk->nd;
		/* how the policer splits the junk between these two is a
		 * matter of time: their sum is checked below */
		if (jk->n != 0 && (d == DP_DROP_EXC_POLICED || d == DP_DROP_EXC_FULL))
			continue;
		if (w1->drops[d] - w0->drops[d] != want) {
			fprintf(stderr, "VERIFY %s: %llu worker drops (%s), expected %llu\n", what,
				(unsigned long long)(w1->drops[d] - w0->drops[d]),
				dp_drop_name((enum dp_lcore_drop)d), (unsigned long long)want);
			rc = -1;
		}
	}
	if (jk->n != 0 && junk_exc_check(what, jk, w0, w1) != 0)
		rc = -1;
	return rc;
}

void
flow_drops(const struct bench_flows *fl, uint64_t drops[DP_FLOW_DROP_MAX])
{
	uint32_t i;
	unsigned int d;

	memset(drops, 0, sizeof(drops[0]) * DP_FLOW_DROP_MAX);
	for (i = 0; i < fl->n; i++)
		for (d = 0; d < DP_FLOW_DROP_MAX; d++)
			drops[d] += fl->f[i]->st->drops[d];
}

/* What one run_pipeline() did, for the junk A/B. */
struct bench_run {
	uint64_t media; /* media frames sent (and, verified, forwarded) */
	struct bench_junk_sent jk;
	uint64_t cyc;            /* TSC cycles of the timed part */
	uint64_t cpu_ns;         /* this thread's CPU time over the timed part */
	struct dp_lcore_stats w; /* how the worker's counters moved */
};

/* Is frame f junk? jpct % of the frames are, in runs of junk_run frames
 * spread evenly (run f / junk_run is junk when floor(run * jpct / 100)
 * steps up). */
static inline bool
junk_at(uint64_t f, uint32_t jpct)
{
	uint64_t r = f / junk_run;

	return jpct != 0 && (r + 1) * jpct / 100 != r * jpct / 100;
}

/* Put a round's frames on the RX rings: media on the ingress port of fl,
 * junk (from the UEs) on the access port, in the order built when both are
 * the same port. fr[]: nf frames, junk where isj[]. Returns 0 or -1. */
static int
round_enqueue(const struct bench_rig *rig, const struct bench_flows *fl, struct rte_mbuf **fr,
	      const bool *isj, uint32_t nf, uint32_t nj)
{
	static struct rte_mbuf *jb[BENCH_POOL];
	struct rte_ring *rx = rig->rx[in_role(fl->dir)][0];
	struct rte_ring *jrx = rig->rx[CFG_PORT_ACCESS][0];
	uint32_t k, nm = 0, n2 = 0;

	if (nj != 0 && jrx != rx) {
		for (k = 0; k < nf; k++) {
			if (isj[k])
				jb[n2++] = fr[k];
			else
				fr[nm++] = fr[k];
		}
		if (rte_ring_sp_enqueue_bulk(jrx, (void **)jb, n2, NULL) != n2) {
			rte_pktmbuf_free_bulk(jb, n2);
			rte_pktmbuf_free_bulk(fr, nm);
			return -1;
		}
		nf = nm;
	}
	if (rte_ring_sp_enqueue_bulk(rx, (void **)fr, nf, NULL) != nf) {
		rte_pktmbuf_free_bulk(fr, nf);
		return -1;
	}
	return 0;
}

/*
 * Run total packets of traffic tr through the worker. Packet g: flow g % n,
 * stream packet g / n, from *base_g on (good traffic advances it, and
 * *base_g must be past the first pool for replays). With jpct (--junk),
 * that share of each round's frames is junk instead (pipeline_junk.h),
 * the media count stays total; jpct 100: total junk frames, no media.
 * Returns Mpps (media, or junk alone) over the timed part, *cpp
 * cycles/packet, *out (may be NULL) what the run did; -1 when a check
 * failed (printed).
 */
static double
run_pipeline(const struct bench_rig *rig, struct bench_flows *fl, const struct bench_stream *s,
	     uint64_t total, uint64_t *base_g, enum bench_traffic tr, uint32_t jpct,
	     struct bench_run *out, double *cpp)
{
	static const char *const tname[] = {"goodput", "forged", "replayed", "unknown-flow"};
	static struct rte_mbuf *mb[BENCH_POOL];
	static bool isj[BENCH_POOL];
	struct rte_ring *tx = rig->tx[out_role(fl->dir)][0];
	struct rte_ring *tx_wrong = rig->tx[in_role(fl->dir)][0];
	struct dp_lcore_stats w0, w1;
	struct bench_junk_sent jk = {0};
	uint64_t drops0[DP_FLOW_DROP_MAX];
	/* where the junk pattern (of the runs with media and junk) and the
	 * mix stand: they run on across runs, so that many short runs still
	 * carry jpct % of junk and the whole mix */
	static uint64_t jphase, jkinds;
	uint64_t g = *base_g, done = 0, media = 0, cyc = 0, cpu = 0, txed = 0, start;
	bool jonly = jpct >= 100; /* junk alone: total counts junk frames */
	char what[64];
	int bad = 0;

	snprintf(what, sizeof(what), "%s %s", fl->dir == BENCH_ACCESS_IN ? "access-in" : "core-in",
		 tname[tr]);
	flow_drops(fl, drops0);
	if (dp_worker_stats(rig->dp, 0, NULL, &w0) != 0)
		return -1;
	start = rte_rdtsc();
	while (done < total) {
		/* Good traffic moves on; the others repeat one pool's worth each
		 * round: replays of packets the flows accepted in the last
		 * pool, forged packets at the next (fresh) indices, so that
		 * the tag check, not the replay check, refuses them. */
		uint64_t t0, c0, gg = tr == BENCH_T_REPLAY ? g - round_sz - 1 : g;
		struct rte_mbuf *first = NULL, *last = NULL;
		struct bench_round rd;
		uint32_t i, got, nf = 0, np = 0, nj = 0;
		int rc = 0;

		/* round_sz frames, of them np media, nj junk; runs of junk
		 * start with the round, where the worker's RX bursts start */
		jphase = RTE_ALIGN_CEIL(jphase, (uint64_t)junk_run);
		for (nf = 0; nf < round_sz && done + (jonly ? nf : np) < total; nf++) {
			isj[nf] = junk_at(jphase + nf, jpct);
			if (isj[nf])
				nj++;
			else
				np++;
		}
		if ((tr == BENCH_T_REPLAY && g <= round_sz) ||
		    (np != 0 && (gg + np - 1) / fl->n >= s->nv)) {
			fprintf(stderr, "%s: no such packets (stream of %u)\n", what, s->nv);
			return -1;
		}
		if (rte_pktmbuf_alloc_bulk(pool, mb, nf) != 0) {
			fprintf(stderr, "%s: out of mbufs\n", what);
			return -1;
		}
		for (i = 0, np = 0; i < nf; i++) {
			uint64_t x = gg + np;
			enum bench_junk_kind jkind;

			if (isj[i]) {
				jkind = bench_junk_kind_of(jkinds++);
				jk.n++;
				jk.nd += bench_junk_is_nd(jkind);
				bench_junk_fill(&junk, jkind, mb[i]);
				continue;
			}
			frame_fill(mb[i], rig, fl, (uint32_t)(x % fl->n), s, (uint32_t)(x / fl->n),
				   tr);
			if (first == NULL)
				first = mb[i];
			last = mb[i];
			np++;
		}
		memset(&rd, 0, sizeof(rd));
		if (tr == BENCH_T_GOOD) {
			rd.smp[0] = (struct bench_sample){.m = first,
							  .flow = (uint32_t)(gg % fl->n),
							  .v = (uint32_t)(gg / fl->n)};
			rd.smp[1] = (struct bench_sample){.m = last,
							  .flow = (uint32_t)((gg + np - 1) % fl->n),
							  .v = (uint32_t)((gg + np - 1) / fl->n)};
			if (np == 1)
				rd.smp[1].m = NULL;
		}
		if (round_enqueue(rig, fl, mb, isj, nf, nj) != 0) {
			fprintf(stderr, "%s: RX ring full\n", what);
			return -1;
		}

		c0 = cpu_now_ns();
		t0 = rte_rdtsc_precise();
		for (got = 0; got < nf; got += (uint32_t)rc) {
			rc = dp_worker_run_once(rig->dp, 0);
			if (rc <= 0)
				break;
			tx_drain(tx, &rd);
		}
		cyc += rte_rdtsc_precise() - t0;
		cpu += cpu_now_ns() - c0;

		if (rc < 0 || got != nf) {
			fprintf(stderr, "%s: the worker took %u of %u frames (%s)\n", what, got, nf,
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
		done += jonly ? nf : np;
		media += np;
		if (jpct != 0 && !jonly)
			jphase += nf;
		if (tr == BENCH_T_GOOD) {
			g += np;
			fl->good += np;
		}
		if (bad)
			return -1;
	}
	*base_g = g;
	if (txed != (tr == BENCH_T_GOOD ? media : 0)) {
		fprintf(stderr, "VERIFY %s: %llu of %llu packets left, expected %llu\n", what,
			(unsigned long long)txed, (unsigned long long)media,
			(unsigned long long)(tr == BENCH_T_GOOD ? media : 0));
		return -1;
	}
	/* the policer's budget over the whole run (rounds were built in
	 * between): exc_rate/s (one worker has it all) on top of one burst
	 * (police() is GCRA: the bucket never holds more, idle time
	 * included), one more for rounding */
	jk.exc_cap = exc_rate == 0
			     ? UINT64_MAX
			     : BENCH_EXC_BURST + 1 +
				       (uint64_t)((double)exc_rate * (double)(rte_rdtsc() - start) /
						  (double)rte_get_tsc_hz());
	if (dp_worker_stats(rig->dp, 0, NULL, &w1) != 0 ||
	    counters_check(fl, what, media, tr, &jk, drops0, &w0, &w1) != 0)
		return -1;
	if (out != NULL) {
		unsigned int d;

		out->media = media;
		out->jk = jk;
		out->cyc = cyc;
		out->cpu_ns = cpu;
		out->w.rx = w1.rx - w0.rx;
		out->w.tx = w1.tx - w0.tx;
		out->w.to_exc = w1.to_exc - w0.to_exc;
		out->w.from_exc = w1.from_exc - w0.from_exc;
		out->w.handoff = w1.handoff - w0.handoff;
		for (d = 0; d < DP_DROP_MAX; d++)
			out->w.drops[d] = w1.drops[d] - w0.drops[d];
	}
	if (done == 0 || cyc == 0) {
		*cpp = 0;
		return 0;
	}
	*cpp = (double)cyc / (double)done;
	return (double)done / ((double)cyc / (double)rte_get_tsc_hz()) / 1e6;
}

/* ---- --junk: media beside a junk flood, A/B ---- */

/* The junk templates, to the access port's first address (and its ND
 * neighbourhood), from the UE side. Returns 0 or -1. */
static int
junk_create(const struct bench_rig *rig)
{
	uint8_t v6[BENCH_ADDRS6][16];
	struct bench_junk_addrs a = {
		.port_mac = rig->pi[CFG_PORT_ACCESS].mac,
		.ue_mac = peer_mac,
		.gw_v4 = our_addr(CFG_PORT_ACCESS, 0),
		.ue_v4 = peer_addr(CFG_PORT_ACCESS),
		.gw_v6 = (const uint8_t(*)[16])v6,
		.n_gw_v6 = BENCH_ADDRS6,
	};
	unsigned int k;

	for (k = 0; k < BENCH_ADDRS6; k++)
		our_addr6(CFG_PORT_ACCESS, k, v6[k]);
	if (bench_junk_build(&junk, &a) != 0) {
		fprintf(stderr, "junk templates: no foreign NS target\n");
		return -1;
	}
	return 0;
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct bench_dist
dist_of(const double *v, unsigned int n)
{
	double t[BENCH_SLICES_MAX];
	struct bench_dist d;

	memcpy(t, v, n * sizeof(t[0]));
	qsort(t, n, sizeof(t[0]), dbl_cmp);
	d.min = t[0];
	d.max = t[n - 1];
	d.med = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
	return d;
}

void
dist_print(const char *name, struct bench_dist d, const char *unit)
{
	printf("  %-34s %9.3f [%.3f-%.3f] %s\n", name, d.med, d.min, d.max, unit);
}

void
dist_json(FILE *f, const char *key, struct bench_dist d)
{
	fprintf(f, ", \"%s\": %.4f, \"%s_min\": %.4f, \"%s_max\": %.4f", key, d.med, key, d.min,
		key, d.max);
}

/* Per-slice figures of the A/B; time is this thread's CPU time (the
 * worker's: the box is shared) unless wall_ (TSC). */
struct bench_ab {
	double a_media[BENCH_SLICES_MAX]; /* A: media Mpps, no junk */
	double b_media[BENCH_SLICES_MAX]; /* B: media Mpps beside the junk */
	double b_junk[BENCH_SLICES_MAX];  /* B: junk Mpps handled (dropped) */
	double b_total[BENCH_SLICES_MAX];
	double ns_junk[BENCH_SLICES_MAX];  /* (B time - A time) / junk frames */
	double ns_alone[BENCH_SLICES_MAX]; /* C: time / junk frames, no media */
	double wall_a[BENCH_SLICES_MAX], wall_b[BENCH_SLICES_MAX], wall_ns[BENCH_SLICES_MAX];
	struct dp_lcore_stats drops_b; /* B slices' worker counters, summed */
	uint64_t offered, forwarded;   /* media of A and B */
	uint64_t junk, junk_nd;        /* junk frames of B, of them ND */
};

static inline double
per_junk(double ns, uint64_t junk_frames)
{
	return junk_frames != 0 ? ns / (double)junk_frames : 0;
}

static void
ab_slice(struct bench_ab *ab, unsigned int k, const struct bench_run r[3])
{
	double hz = (double)rte_get_tsc_hz(), jd = 0;
	unsigned int d;

	for (d = 0; d < DP_DROP_MAX; d++) {
		jd += (double)r[1].w.drops[d];
		ab->drops_b.drops[d] += r[1].w.drops[d];
	}
	ab->drops_b.to_exc += r[1].w.to_exc;
	ab->offered += r[0].media + r[1].media;
	ab->forwarded += r[0].w.tx + r[1].w.tx;
	ab->junk += r[1].jk.n;
	ab->junk_nd += r[1].jk.nd;
	/* Mpps = frames per microsecond */
	ab->a_media[k] = (double)r[0].media * 1e3 / (double)r[0].cpu_ns;
	ab->b_media[k] = (double)r[1].media * 1e3 / (double)r[1].cpu_ns;
	ab->b_junk[k] = jd * 1e3 / (double)r[1].cpu_ns;
	ab->b_total[k] = ab->b_media[k] + ab->b_junk[k];
	/* a slice too short for its share of junk has none: 0 */
	ab->ns_junk[k] = per_junk((double)r[1].cpu_ns - (double)r[0].cpu_ns, r[1].jk.n);
	ab->wall_a[k] = (double)r[0].media / ((double)r[0].cyc / hz) / 1e6;
	ab->wall_b[k] = (double)r[1].media / ((double)r[1].cyc / hz) / 1e6;
	ab->wall_ns[k] = per_junk(((double)r[1].cyc - (double)r[0].cyc) / hz * 1e9, r[1].jk.n);
	ab->ns_alone[k] = per_junk((double)r[2].cpu_ns, r[2].jk.n);
	printf("  slice %2u: A media %.3f | B media %.3f + junk %.3f = %.3f Mpps | "
	       "%.1f ns/junk (alone %.1f) | wall A %.3f B %.3f Mpps\n",
	       k + 1, ab->a_media[k], ab->b_media[k], ab->b_junk[k], ab->b_total[k], ab->ns_junk[k],
	       ab->ns_alone[k], ab->wall_a[k], ab->wall_b[k]);
}

static void
ab_report(const struct bench_ab *ab, const char *dn, uint32_t flows, uint64_t per)
{
	struct bench_dist am = dist_of(ab->a_media, slices), bm = dist_of(ab->b_media, slices);
	struct bench_dist bj = dist_of(ab->b_junk, slices), bt = dist_of(ab->b_total, slices);
	struct bench_dist nj = dist_of(ab->ns_junk, slices), na = dist_of(ab->ns_alone, slices);
	struct bench_dist wa = dist_of(ab->wall_a, slices), wb = dist_of(ab->wall_b, slices);
	struct bench_dist wn = dist_of(ab->wall_ns, slices);
	unsigned int d;
	FILE *f;

	printf("junk       %-24s %4u %-10s %8u flows  %u %% junk in runs of %u, exception "
	       "policer ",
	       json_suite, json_payload, dn, flows, junk_pct, junk_run);
	if (exc_rate != 0)
		printf("%u/s burst %u\n", exc_rate, BENCH_EXC_BURST);
	else
		printf("off\n");
	printf("  median [min-max] of %u slices, per second of the worker's CPU time:\n", slices);
	dist_print("media, no junk (A)", am, "Mpps");
	dist_print("media beside the junk (B)", bm, "Mpps");
	dist_print("junk handled (B)", bj, "Mpps");
	dist_print("total (B)", bt, "Mpps");
	dist_print("cost per junk frame: (B - A) / junk", nj, "ns");
	dist_print("junk alone (C): time / junk", na, "ns");
	dist_print("wall clock (TSC): media A", wa, "Mpps");
	dist_print("wall clock (TSC): media B", wb, "Mpps");
	dist_print("wall clock (TSC): per junk frame", wn, "ns");
	printf("  junk of the B slices: %llu frames (%llu of them ND), worker drops:",
	       (unsigned long long)ab->junk, (unsigned long long)ab->junk_nd);
	for (d = 0; d < DP_DROP_MAX; d++)
		if (ab->drops_b.drops[d] != 0)
			printf(" %s %llu", dp_drop_name((enum dp_lcore_drop)d),
			       (unsigned long long)ab->drops_b.drops[d]);
	printf(", to_exc %llu (no exception interface: what the policer passed is exc_full)\n",
	       (unsigned long long)ab->drops_b.to_exc);
	printf("  media: %llu offered, %llu forwarded, %llu lost\n",
	       (unsigned long long)ab->offered, (unsigned long long)ab->forwarded,
	       (unsigned long long)(ab->offered - ab->forwarded));
	f = bench_json_row(&json);
	if (f == NULL)
		return;
	fprintf(f,
		"\"bench\": \"junk\", \"suite\": \"%s\", \"payload\": %u, \"direction\": \"%s\", "
		"\"flows\": %u, \"junk_pct\": %u, \"junk_run\": %u, \"exc_rate\": %u, "
		"\"exc_burst\": %u, \"slices\": %u, \"media_per_slice\": %llu",
		json_suite, json_payload, dn, flows, junk_pct, junk_run, exc_rate, BENCH_EXC_BURST,
		slices, (unsigned long long)per);
	dist_json(f, "media_mpps_nojunk", am);
	dist_json(f, "media_mpps", bm);
	dist_json(f, "junk_mpps", bj);
	dist_json(f, "total_mpps", bt);
	dist_json(f, "ns_per_junk", nj);
	dist_json(f, "ns_per_junk_alone", na);
	dist_json(f, "wall_media_mpps_nojunk", wa);
	dist_json(f, "wall_media_mpps", wb);
	dist_json(f, "wall_ns_per_junk", wn);
	fprintf(f, ", \"media_offered\": %llu, \"media_forwarded\": %llu, \"junk_frames\": %llu",
		(unsigned long long)ab->offered, (unsigned long long)ab->forwarded,
		(unsigned long long)ab->junk);
	for (d = 0; d < DP_DROP_MAX; d++)
		fprintf(f, ", \"drops_%s\": %llu", dp_drop_name((enum dp_lcore_drop)d),
			(unsigned long long)ab->drops_b.drops[d]);
	fprintf(f, ", \"to_exc\": %llu, \"hugepages\": %s", (unsigned long long)ab->drops_b.to_exc,
		huge ? "true" : "false");
	bench_json_row_end(&json);
}

static void
run_add(struct bench_run *sum, const struct bench_run *r)
{
	unsigned int d;

	sum->media += r->media;
	sum->jk.n += r->jk.n;
	sum->jk.nd += r->jk.nd;
	sum->cyc += r->cyc;
	sum->cpu_ns += r->cpu_ns;
	sum->w.rx += r->w.rx;
	sum->w.tx += r->w.tx;
	sum->w.to_exc += r->w.to_exc;
	for (d = 0; d < DP_DROP_MAX; d++)
		sum->w.drops[d] += r->w.drops[d];
}

/*
 * The junk A/B of one direction: slices of total / slices media each,
 * half of it without junk (A), half with junk_pct % of the frames junk
 * (B); and C, B's junk alone (its own cost, without the media's). A, B and
 * C take turns every round_sz media (A,B,C then C,B,A), so that whatever
 * else the box runs falls on all alike; a slice sums its A, B and C runs.
 * Returns 0 or -1 (a check failed, printed).
 */
static int
junk_ab(const struct bench_rig *rig, struct bench_flows *fl, const struct bench_stream *s,
	uint64_t total, uint64_t *g)
{
	const char *dn = fl->dir == BENCH_ACCESS_IN ? "access-in" : "core-in";
	uint64_t per = total / slices;
	struct bench_ab ab;
	unsigned int k, h;
	double cpp;

	if (per == 0) {
		fprintf(stderr, "--junk: %llu media packets for %u slices\n",
			(unsigned long long)total, slices);
		return -1;
	}
	memset(&ab, 0, sizeof(ab));
	printf("junk A/B %s: %u slices, each %llu media frames without junk (A), the same "
	       "with %u %% of the frames junk (B), and B's junk alone (C), taking turns every "
	       "%u media frames\n",
	       dn, slices, (unsigned long long)per, junk_pct, round_sz);
	for (k = 0; k < slices; k++) {
		struct bench_run r[3]; /* A, B, C: sums over the slice */
		uint64_t done, c;

		memset(r, 0, sizeof(r));
		for (done = 0, c = 0; done < per; done += round_sz, c++) {
			uint64_t n = RTE_MIN((uint64_t)round_sz, per - done);

			for (h = 0; h < 3; h++) {
				unsigned int b = c & 1 ? 2 - h : h;
				uint32_t pct = b == 0 ? 0 : b == 1 ? junk_pct : 100;
				/* C: about the junk B has beside n media */
				uint64_t want = b == 2 ? n * junk_pct / (100 - junk_pct) : n;
				struct bench_run one;

				if (want == 0)
					continue;
				if (run_pipeline(rig, fl, s, want, g, BENCH_T_GOOD, pct, &one,
						 &cpp) < 0)
					return -1;
				run_add(&r[b], &one);
			}
		}
		ab_slice(&ab, k, r);
	}
	ab_report(&ab, dn, fl->n, per);
	return ab.forwarded == ab.offered ? 0 : -1;
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
		"       [--junk PCT [--junk-run N] [--slices N] [--exc-rate PPS]]\n"
		"       [--workers 1|2 [--slices N]] [--engine ipsecmb|cryptodev]\n"
		"       [--gcm-keys fast|compact] [-- EAL args]\n"
		"       N flows: 1..%u; PCT 0..%u; junk run 1..%u; slices 1..%u\n",
		prog, BENCH_ADDRS * BENCH_PORTS, BENCH_JUNK_MAX, BENCH_JUNK_RUN_MAX,
		BENCH_SLICES_MAX);
}

int
main(int argc, char **argv)
{
	/* lcore 1 is the media worker's (dp_create() wants one); it is never
	 * launched, so it shares CPU 0 with the main lcore that runs it.
	 * --workers 2: lcore 1 (CPU 1) is the thread that runs worker 1, the
	 * media workers' lcores are 2 (CPU 0) and 3 (CPU 1) */
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
	struct bench_flows fw[2][BENCH_WMAX]; /* by direction, worker */
	struct rte_mempool *pools[BENCH_WMAX] = {NULL};
	unsigned int w;
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
		} else if (strcmp(argv[i], "--junk") == 0 && i + 1 < (unsigned int)argc) {
			junk_pct = (uint32_t)strtoul(argv[++i], NULL, 0);
			if (junk_pct > BENCH_JUNK_MAX) {
				usage(argv[0]);
				return 2;
			}
		} else if (strcmp(argv[i], "--junk-run") == 0 && i + 1 < (unsigned int)argc) {
			junk_run = (uint32_t)strtoul(argv[++i], NULL, 0);
			if (junk_run < 1 || junk_run > BENCH_JUNK_RUN_MAX) {
				usage(argv[0]);
				return 2;
			}
		} else if (strcmp(argv[i], "--slices") == 0 && i + 1 < (unsigned int)argc) {
			slices = (unsigned int)strtoul(argv[++i], NULL, 0);
			if (slices < 1 || slices > BENCH_SLICES_MAX) {
				usage(argv[0]);
				return 2;
			}
		} else if (strcmp(argv[i], "--workers") == 0 && i + 1 < (unsigned int)argc) {
			n_workers = (unsigned int)strtoul(argv[++i], NULL, 0);
			if (n_workers < 1 || n_workers > BENCH_WMAX) {
				usage(argv[0]);
				return 2;
			}
		} else if (strcmp(argv[i], "--exc-rate") == 0 && i + 1 < (unsigned int)argc) {
			exc_rate = (uint32_t)strtoul(argv[++i], NULL, 0);
		} else if (strcmp(argv[i], "--engine") == 0 && i + 1 < (unsigned int)argc) {
			i++;
			if (strcmp(argv[i], "ipsecmb") == 0) {
				opt_engine = SEC_ENGINE_IPSECMB;
			} else if (strcmp(argv[i], "cryptodev") == 0) {
				opt_engine = SEC_ENGINE_CRYPTODEV;
			} else {
				usage(argv[0]);
				return 2;
			}
		} else if (strcmp(argv[i], "--gcm-keys") == 0 && i + 1 < (unsigned int)argc) {
			i++;
			if (strcmp(argv[i], "fast") != 0 && strcmp(argv[i], "compact") != 0) {
				usage(argv[0]);
				return 2;
			}
			opt_gcm_compact = strcmp(argv[i], "compact") == 0;
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
	if ((uint64_t)nflows * n_workers > BENCH_ADDRS * BENCH_PORTS) {
		/* the worker takes media only to a configured address */
		fprintf(stderr,
			"--flows %u: at most %u per direction and all workers (%u addresses x "
			"%u UDP ports)\n",
			nflows, BENCH_ADDRS * BENCH_PORTS, BENCH_ADDRS, BENCH_PORTS);
		return 2;
	}
	if (n_workers > 1 && junk_pct != 0) {
		fprintf(stderr, "--workers 2 runs media only: no --junk\n");
		return 2;
	}
	/* --junk, --workers 2: a slice is a round at least */
	if (junk_pct != 0 || n_workers > 1)
		total = RTE_MAX(total, (uint64_t)slices * round_sz);
	su = sec_suite_by_name(suite_name, strlen(suite_name));
	if (su == NULL || nflows == 0 || nflows > BENCH_ADDRS * BENCH_PORTS || payload < 16 ||
	    12 + payload + SEC_MAX_TRAILER + 64 > BENCH_ROOM || total == 0) {
		usage(argv[0]);
		return 2;
	}
	/* EAL memory: per flow and direction the hash slot, record and state
	 * (~0.5 KB), and with the cryptodev engine one device session (~1.6
	 * KB with aesni_mb; the engine's pool is preallocated). The ipsecmb
	 * engine keeps its key state in the C heap. */
	if (eal == def_eal) {
		uint64_t per = ((opt_engine == SEC_ENGINE_CRYPTODEV ? 1700 : 0) + 800) * 3 /
			       2; /* + margin */

		uint64_t mb = 512 + (uint64_t)nflows * n_workers * (dirs[0] + dirs[1]) * per /
					    (1024 * 1024);

		/* a second pool of ~9 MB */
		if (n_workers > 1) {
			mb += 32;
			def_eal[RTE_DIM(def_eal) - 1] = "--lcores=0@0,1@1,2@0,3@1";
		}

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
	scfg.max_sessions =
		(uint32_t)(((uint64_t)(dirs[0] + dirs[1]) * nflows * n_workers * spk + 1) / 2 + 64);
	scfg.disable_libsrtp = true;
	/* the flows' engine is the default: cryptodev reserves its device
	 * sessions for max_sessions keys only when it is (sec.h) */
	scfg.default_engine = opt_engine;
	scfg.gcm_compact = opt_gcm_compact;
	if (bench_crypto_init(&scfg, &bnd) != 0)
		return 1;
	/* A round takes BENCH_POOL mbufs from the ring (a bulk that size
	 * bypasses the lcore cache) and the worker frees them through the
	 * cache: the pool is no larger than that plus a cache's flush
	 * threshold, so that every round reuses about the same 8192 mbufs
	 * (~6.5 MB: in the last-level cache, not in the L1/L2, like frames a
	 * NIC has just written) instead of wandering over a larger set. */
	/* --workers 2: a pool each, so that no mempool ring or cache line is
	 * shared between the two threads */
	for (i = 0; i < n_workers; i++) {
		char pname[RTE_MEMPOOL_NAMESIZE];

		snprintf(pname, sizeof(pname), "bench_mbufs%u", i);
		pools[i] = rte_pktmbuf_pool_create(pname, BENCH_POOL + 511, 256, 0,
						   RTE_PKTMBUF_HEADROOM + BENCH_ROOM,
						   (int)rte_socket_id());
		if (pools[i] == NULL) {
			fprintf(stderr, "mbuf pool: %s\n", rte_strerror(rte_errno));
			return 1;
		}
	}
	pool = pools[0];
	if (bench_json_open(&json, json_path) != 0)
		return 1;
	json_suite = su->name;
	json_payload = payload;

	/* one SRTP stream long enough for the busiest flow (warm-up and
	 * timed run, twice with --junk: A and B; few flows get fewer
	 * packets) */
	{
		/* --workers 2: a worker's flows run alone and together */
		uint64_t runs = junk_pct != 0 || n_workers > 1 ? 2 : 1;
		uint64_t per = (runs * total + BENCH_POOL + RTE_MAX(nflows, (uint32_t)BENCH_POOL)) /
				       nflows +
			       3;

		if (per > BENCH_STREAM_MAX) {
			per = BENCH_STREAM_MAX;
			total = ((uint64_t)nflows * (per - 3) - 2 * BENCH_POOL) / runs;
		}
		if (stream_build(&st, su->id, (uint32_t)per, payload) != 0) {
			fprintf(stderr, "stream build failed\n");
			return 1;
		}
	}
	/* the table's share first, then the real one (the same size) */
	if (table_weigh(nflows * n_workers * (uint32_t)(dirs[0] + dirs[1]), tb) != 0 ||
	    rig_create(&rig, nflows * n_workers * (uint32_t)(dirs[0] + dirs[1])) != 0 ||
	    junk_create(&rig) != 0)
		return 1;
	printf("%s (lcore %u, TSC %.2f GHz), burst %d, %u-byte payloads, %s, %u flows%s, "
	       "engine %s%s, EAL memory on %s\n",
	       n_workers > 1 ? "two cores" : "one core", rte_lcore_id(),
	       (double)rte_get_tsc_hz() / 1e9, 32, payload, su->name, nflows,
	       n_workers > 1 ? " per worker" : "",
	       opt_engine == SEC_ENGINE_IPSECMB ? "ipsecmb" : "cryptodev",
	       opt_gcm_compact && su->aead ? " (compact GCM keys)" : "",
	       huge ? "hugepages" : "4 KB pages (--no-huge)");
	printf("worker path: dp_worker.c via dp_worker_run_once() (worker of lcore %u) over "
	       "net_ring ports\n",
	       rig.worker_lcore[0]);
	if (n_workers > 1)
		printf("--workers 2: worker 1 (media lcore %u) run by EAL lcore %u on its own "
		       "queues, %u flows of its own per direction\n",
		       rig.worker_lcore[1], rig.runner_lcore, nflows);
	memset(fw, 0, sizeof(fw));
	/* a worker's flows in one block: their records, states and sessions
	 * are not interleaved with the other worker's */
	for (w = 0; w < n_workers; w++)
		if ((dirs[0] && flows_create(&fw[0][w], &rig, nflows, w * nflows, w, su->id,
					     BENCH_ACCESS_IN, tb) != 0) ||
		    (dirs[1] && flows_create(&fw[1][w], &rig, nflows, w * nflows, w, su->id,
					     BENCH_CORE_IN, tb) != 0))
			return 1;
	if (n_workers > 1 && pipeline_multi_start(&rig, pools) != 0)
		return 1;
	for (i = 0; i < 2; i++) {
		const struct bench_flows *fl = &fw[i][0];

		if (!dirs[i])
			continue;
		printf("flow setup %s: %.1f us/flow; bytes/flow: C heap %.0f, DPDK heap "
		       "(table, record, state) %.0f, device sessions %.0f\n",
		       i == 0 ? "access-in" : "core-in", fl->create_us, fl->mem[0], fl->mem[1],
		       fl->mem[2]);
		/* --workers 2: its rows are "workers" only (the memory rows are
		 * the one-worker runs', bench/report.py takes them from there) */
		if (n_workers == 1)
			emit("memory", i == 0 ? "access-in" : "core-in", nflows, "bytes_per_flow",
			     fl->bytes_per_flow, 0, 0);
	}

	for (i = 0; i < 2 && status == 0; i++) {
		bool ain = i == 0;
		struct bench_flows *fl = &fw[i][0];
		const char *dn = ain ? "access-in" : "core-in";
		uint64_t g = 0;
		double mpps, cpp, bound;

		if (!dirs[i])
			continue;
		if (n_workers > 1) {
			/* warm-up of each worker's flows, then the slices */
			for (w = 0; w < n_workers && status == 0; w++)
				if (pipeline_multi_phase(&rig, &st, &fw[i][0], &fw[i][1], w == 0,
							 w == 1, RTE_MAX(nflows, round_sz)) != 0)
					status = 1;
			if (status == 0 && pipeline_multi_run(&rig, &st, fw[i], total, dn) != 0)
				status = 1;
			continue;
		}

		/* warm-up: every flow's first packet (new stream) untimed */
		if (run_pipeline(&rig, fl, &st, RTE_MAX(fl->n, round_sz), &g, BENCH_T_GOOD, 0, NULL,
				 &cpp) < 0) {
			status = 1;
			break;
		}
		/* --junk: the A/B instead of the pipeline and rejection rows */
		if (junk_pct != 0) {
			if (junk_ab(&rig, fl, &st, total, &g) != 0)
				status = 1;
			continue;
		}
		mpps = run_pipeline(&rig, fl, &st, total, &g, BENCH_T_GOOD, 0, NULL, &cpp);
		if (mpps < 0) {
			status = 1;
			break;
		}
		bound = bench_bound_mpps(&bnd, su, !ain, payload, secs);
		emit("pipeline", dn, nflows, "mpps", mpps, bound, cpp);
		if (!ain)
			continue;
		mpps = run_pipeline(&rig, fl, &st, total / 2, &g, BENCH_T_FORGED, 0, NULL, &cpp);
		if (mpps < 0) {
			status = 1;
			break;
		}
		emit("rejection", "forged", nflows, "mpps", mpps, 0, cpp);
		mpps = run_pipeline(&rig, fl, &st, total / 2, &g, BENCH_T_REPLAY, 0, NULL, &cpp);
		if (mpps < 0) {
			status = 1;
			break;
		}
		emit("rejection", "replayed", nflows, "mpps", mpps, 0, cpp);
		mpps = run_pipeline(&rig, fl, &st, total / 2, &g, BENCH_T_UNKNOWN, 0, NULL, &cpp);
		if (mpps < 0) {
			status = 1;
			break;
		}
		emit("rejection", "unknown-flow", nflows, "mpps", mpps, 0, cpp);
	}
	if (n_workers > 1)
		pipeline_multi_stop(&rig);
	bench_json_close(&json);
	rig_destroy(&rig);
	for (w = 0; w < BENCH_WMAX; w++) {
		free(fw[0][w].f);
		free(fw[1][w].f);
	}
	free(st.plain);
	free(st.srtp);
	bench_bound_fini(&bnd);
	for (w = 0; w < n_workers; w++)
		rte_mempool_free(pools[w]);
	sec_fini();
	rte_eal_cleanup();
	if (status != 0)
		fprintf(stderr, "imsagw-pipeline-bench: verification failed\n");
	return status;
}
