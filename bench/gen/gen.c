/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * imsagw-gen: an SRTP-correct DPDK traffic generator for imsagw.
 *
 * It sets up N calls on the gateway (access termination with e2ae SRTP or
 * plain RTP, core termination with RTP), then on its two ports plays a UE
 * (access port: SRTP with per-call keys, incrementing sequence numbers
 * through real ROC rollovers) and a core host (core port: RTP), at a set
 * rate or flat out, for a bounded time. It receives what the gateway
 * emits, decrypts/verifies it, and counts goodput, loss, reordering and
 * latency (a TSC timestamp in the payload; both ports are in this process,
 * so one clock). A share of forged, replayed and unknown-flow packets can
 * be mixed into the access side. Ports are any ethdev: net_memif to a
 * gateway on the same machine, or real NICs.
 *
 *   imsagw-gen --iq MG,BIND [options] -- EAL args   (two ports: access, core)
 *   imsagw-gen --admin SOCK [options] -- EAL args   (setup over the admin socket)
 *   imsagw-gen --write-pcap FILE [options]          (no EAL: frames for pktgen)
 *   imsagw-gen --floor [options] -- EAL args        (no gateway: a forwarder that
 *                                                    returns frames unchanged)
 *
 * Calls are set up through struct gen_setup_ops: gen_setup_iq.c (iq/'s MGC
 * library: Add with the UE's a=crypto in Remote, the gateway's key from the
 * reply's Local) or gen_setup_admin.c. --search runs the benchmark plan
 * (flat out, no-loss rate search, latency at 50 %, attack mix) in one
 * process, so memif connects once.
 *
 * Run with --help for the options. One lcore (the main one) does
 * everything: on a 2-CPU box it must not share a CPU with the gateway's
 * worker.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* RUSAGE_THREAD */
#endif
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <openssl/crypto.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "bench_bound.h"
#include "gen.h"

#define GEN_BURST 32
#define GEN_MAGIC 0x1d5a6e00u
#define GEN_HIST_NS 100              /* histogram bucket */
#define GEN_HIST_N 1000000           /* 100 ms */
#define GEN_RTP_HDR 12
#define GEN_STAMP 16                 /* tsc(8) call(4) magic|dir(4) */

enum gen_dir {
	GEN_AI = 0, /* access-in: we send SRTP on access, receive RTP on core */
	GEN_CI,     /* core-in: we send RTP on core, receive SRTP on access */
	GEN_NDIR,
};

static const char *const dir_name[GEN_NDIR] = { "access-in", "core-in" };

struct gen_opts {
	const char *admin;
	const char *iq;            /* "MG,BIND": set calls up over Iq */
	const char *json;
	const char *bench;
	const char *pcap;
	bool pcap_udp;
	uint32_t pcap_pkts;
	uint32_t calls;
	bool srtp;
	enum sec_suite_id suite;
	unsigned int payload;
	double rate;               /* packets/s offered, both directions; 0 = flat */
	double duration;           /* seconds of sending */
	uint64_t max_pkts;
	unsigned int call_burst;   /* consecutive packets per call */
	bool dirs[GEN_NDIR];
	double forged, replayed, unknown; /* shares of access-side packets */
	uint16_t seq_start;
	bool keep;
	uint16_t port[2];          /* ethdev ids: access, core */
	bool verify;
	unsigned int search_steps; /* > 0: the whole plan (run_search) */
	double hold;               /* > 0: keep the ports until the peer closes them */
	double junk;               /* > 0: junk frames/s for the exception path */
	bool floor;                /* peer forwards port 0 <-> 1 untouched (testpmd io) */
	bool transport_given;      /* --transport on the command line */
};

struct gen_call_rt {
	struct gen_call c;
	struct sec_session *tx;       /* access protect (UE key) */
	struct sec_session *rx;       /* access unprotect (gateway key) */
	uint32_t ssrc[GEN_NDIR];
	uint32_t sent[GEN_NDIR];      /* packets sent (seq = seq_start + sent) */
	uint64_t rx_next[GEN_NDIR];   /* highest extended seq received + 1 */
	uint8_t *last;                /* last SRTP packet sent (replays) */
	uint16_t last_len;
};

struct gen_dstat {
	/* tx_fail: packets the port refused at first (TX ring full); they
	 * wait in the direction's pending queue and leave later */
	uint64_t sent, tx_fail, rx, bad, reorder, dup_or_old;
	uint64_t first_tsc, last_tsc;
};

static volatile sig_atomic_t stop;
int gen_iq_wait_ms = 3000;
static struct gen_opts o;
static struct gen_net net;
static struct gen_call_rt *calls;
static struct gen_dstat ds[GEN_NDIR];
/* --junk: frames sent to the gateway's own access address that its
 * exception path handles (or its policer drops), beside the media. */
static uint64_t junk_sent, junk_fail;
static uint64_t leaked;                 /* forged/replayed/unknown that came out */
static uint64_t sent_bad[3];            /* forged, replayed, unknown sent */
static uint32_t *hist[GEN_NDIR];
static uint64_t hist_over[GEN_NDIR];
static struct rte_mempool *pool;

/*
 * Where a millisecond latency tail comes from (issue 13): gaps in the
 * generator's own loop (it was not running: preempted, or its vCPU
 * stolen), gaps between non-empty RX bursts (nothing came back for that
 * long: the peer or the generator stalled), and the thread's context
 * switches and the host's steal time over the phase. A loop gap shows in
 * both; an RX gap without a loop gap is the peer's.
 */
#define GEN_GAP_N 5 /* < 10 us, < 100 us, < 1 ms, < 10 ms, >= 10 ms */

struct gen_gaps {
	uint64_t last;     /* tsc of the previous event, 0 before the first */
	uint64_t n[GEN_GAP_N];
	uint64_t max;      /* tsc */
	uint64_t long_sum; /* tsc spent in gaps of 100 us or more */
};

struct gen_sched {
	struct gen_gaps loop, rx;
	long nvcsw, nivcsw;   /* this thread's context switches in the phase */
	uint64_t steal_ticks; /* /proc/stat steal, all CPUs, USER_HZ */
};

static struct gen_sched ss;
static uint64_t gap_thr[GEN_GAP_N - 1]; /* tsc: 10 us, 100 us, 1 ms, 10 ms */
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static inline uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* ---- gaps and scheduling ---- */

static inline void
gap_note(struct gen_gaps *g, uint64_t tsc)
{
	uint64_t d;
	unsigned int b;

	if (g->last != 0 && tsc > g->last) {
		d = tsc - g->last;
		for (b = 0; b < GEN_GAP_N - 1 && d >= gap_thr[b]; b++)
			;
		g->n[b]++;
		if (d > g->max)
			g->max = d;
		if (b >= 2)
			g->long_sum += d;
	}
	g->last = tsc;
}

/* Steal ticks of all CPUs (the 8th value of /proc/stat's "cpu" line);
 * 0 where it cannot be read. */
static uint64_t
steal_ticks(void)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");

	if (f == NULL)
		return 0;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &v[6], &v[7]) != 8)
		v[7] = 0;
	fclose(f);
	return v[7];
}

/* start: snapshot; else: the difference since the snapshot. */
static void
sched_mark(bool start)
{
	struct rusage ru;
	uint64_t st = steal_ticks();

	memset(&ru, 0, sizeof(ru));
	getrusage(RUSAGE_THREAD, &ru);
	if (start) {
		memset(&ss, 0, sizeof(ss));
		ss.nvcsw = ru.ru_nvcsw;
		ss.nivcsw = ru.ru_nivcsw;
		ss.steal_ticks = st;
	} else {
		ss.nvcsw = ru.ru_nvcsw - ss.nvcsw;
		ss.nivcsw = ru.ru_nivcsw - ss.nivcsw;
		ss.steal_ticks = st - ss.steal_ticks;
	}
}

static void
gaps_print(const char *what, const struct gen_gaps *g, double hz)
{
	printf(" %s gaps <10us %" PRIu64 " <100us %" PRIu64 " <1ms %" PRIu64 " <10ms %" PRIu64
	       " >=10ms %" PRIu64 " max %.0f us, %.1f ms in gaps >=100us;",
	       what, g->n[0], g->n[1], g->n[2], g->n[3], g->n[4], (double)g->max / hz * 1e6,
	       (double)g->long_sum / hz * 1e3);
}

/* ---- frames ---- */

/* Ethernet + IPv4 + UDP + RTP (+ stamp + fill) for call i, direction d.
 * Returns the frame length; rtp_off gets the RTP header's offset. */
static uint32_t
frame_build(uint8_t *f, uint32_t i, enum gen_dir d, uint64_t tsc, uint16_t *rtp_off,
	    bool udp_only)
{
	struct gen_call_rt *cr = &calls[i];
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)f;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eh + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	uint8_t *r = (uint8_t *)(udp + 1);
	uint32_t len = GEN_RTP_HDR + o.payload, k, seq = o.seq_start + cr->sent[d];
	uint32_t ts = cr->sent[d] * 160, w;

	if (d == GEN_AI) {
		memcpy(&eh->dst_addr, net.gw_access_mac, 6);
		memcpy(&eh->src_addr, net.ue_mac, 6);
	} else {
		memcpy(&eh->dst_addr, net.gw_core_mac, 6);
		memcpy(&eh->src_addr, net.core_mac, 6);
	}
	eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = d == GEN_AI ? net.ue_ip : net.core_ip;
	ip->dst_addr = d == GEN_AI ? net.gw_access_ip : net.gw_core_ip;
	udp->src_port = rte_cpu_to_be_16((uint16_t)((d == GEN_AI ? net.ue_port_base :
								  net.core_port_base) + 2 * i));
	udp->dst_port = rte_cpu_to_be_16(d == GEN_AI ? cr->c.gw_access_port :
						       cr->c.gw_core_port);
	udp->dgram_cksum = 0;
	r[0] = 0x80;
	r[1] = 0x00; /* PCMU */
	r[2] = (uint8_t)(seq >> 8);
	r[3] = (uint8_t)seq;
	w = rte_cpu_to_be_32(ts);
	memcpy(r + 4, &w, 4);
	w = rte_cpu_to_be_32(cr->ssrc[d]);
	memcpy(r + 8, &w, 4);
	memcpy(r + 12, &tsc, 8);
	memcpy(r + 20, &i, 4);
	w = GEN_MAGIC | (uint32_t)d;
	memcpy(r + 24, &w, 4);
	for (k = GEN_RTP_HDR + GEN_STAMP; k < len; k++)
		r[k] = (uint8_t)(k + seq);
	if (udp_only) /* pktgen-style baseline: not RTP */
		memset(r, 'k', 12);
	*rtp_off = (uint16_t)(r - f);
	return *rtp_off + len;
}

/* Fix IP/UDP lengths and the IPv4 checksum after the payload settled. */
static void
frame_finish(uint8_t *f, uint32_t rtp_len)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(f + sizeof(struct rte_ether_hdr));
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + 8 + rtp_len));
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(8 + rtp_len));
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

/* ---- junk (--junk) ---- */

/*
 * Junk frame k (k mod 4): an ICMP echo request, a TCP SYN to port 22 (not
 * the MSRP range), the first fragment of a UDP datagram (MF set; the rest
 * never comes) and UDP to port 9 (outside the media range), all from the
 * UE's address to the gateway's access address: what a UE flood puts on
 * the exception path. 64-byte frames.
 */
static uint32_t
junk_build(uint8_t *f, uint64_t k)
{
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)f;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eh + 1);
	uint8_t *l4 = (uint8_t *)(ip + 1);
	uint16_t l4len = 0;

	memcpy(&eh->dst_addr, net.gw_access_mac, 6);
	memcpy(&eh->src_addr, net.ue_mac, 6);
	eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->time_to_live = 64;
	ip->packet_id = rte_cpu_to_be_16((uint16_t)k);
	ip->src_addr = net.ue_ip;
	ip->dst_addr = net.gw_access_ip;
	memset(l4, 0, 30);
	switch (k % 4) {
	case 0: /* ICMP echo request */
		ip->next_proto_id = IPPROTO_ICMP;
		l4[0] = 8;
		l4[6] = (uint8_t)(k >> 8);
		l4[7] = (uint8_t)k;
		l4len = 30;
		l4[2] = 0;
		l4[3] = 0;
		{
			uint16_t c = (uint16_t)~rte_raw_cksum(l4, l4len);

			memcpy(l4 + 2, &c, 2);
		}
		break;
	case 1: /* TCP SYN to 22 */
		ip->next_proto_id = IPPROTO_TCP;
		l4[0] = 0x9c;
		l4[1] = 0x40;
		l4[2] = 0;
		l4[3] = 22;
		l4[12] = 0x50;
		l4[13] = 0x02;
		l4[14] = 0xff;
		l4[15] = 0xff;
		l4len = 20;
		break;
	case 2: /* first fragment */
		ip->next_proto_id = IPPROTO_UDP;
		ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG);
		l4[0] = 0x9c;
		l4[1] = 0x41;
		l4[2] = 0x4e;
		l4[3] = 0x20;
		l4[4] = 0x05;
		l4[5] = 0xdc;
		l4len = 24;
		break;
	default: /* UDP to 9 */
		ip->next_proto_id = IPPROTO_UDP;
		l4[0] = 0x9c;
		l4[1] = 0x42;
		l4[3] = 9;
		l4[5] = 26;
		l4len = 26;
		break;
	}
	ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + l4len));
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	return (uint32_t)(sizeof(*eh) + 20 + l4len);
}

/* Send the junk frames due by tsc (o.junk per second since start). */
static void
junk_tx(uint64_t start, uint64_t tsc, uint64_t hz)
{
	struct rte_mbuf *m[GEN_BURST];
	double due = (double)(tsc - start) / (double)hz * o.junk;
	uint64_t want = due > (double)(junk_sent + junk_fail) ?
				(uint64_t)(due - (double)(junk_sent + junk_fail)) : 0;
	uint16_t n, i, sent;

	if (want == 0)
		return;
	n = (uint16_t)RTE_MIN(want, (uint64_t)GEN_BURST);
	if (rte_pktmbuf_alloc_bulk(pool, m, n) != 0)
		return;
	for (i = 0; i < n; i++) {
		uint32_t len = junk_build(rte_pktmbuf_mtod(m[i], uint8_t *),
					  junk_sent + junk_fail + i);

		m[i]->data_len = (uint16_t)len;
		m[i]->pkt_len = len;
	}
	sent = rte_eth_tx_burst(o.port[0], 0, m, n);
	junk_sent += sent;
	/* Junk that finds no room is not retried: it is counted, dropped. */
	junk_fail += (uint64_t)(n - sent);
	if (sent < n)
		rte_pktmbuf_free_bulk(m + sent, n - sent);
}

/* ---- TX ---- */

static uint32_t next_call;

/*
 * Packets that were built (and SRTP-protected, which spends their index)
 * but that the port did not take: they are sent, unchanged, before
 * anything new is built. Freeing them instead would leave holes in a
 * call's sequence that are not network loss but the generator's own TX
 * ring being full, and an SRTP receiver cannot ride out every hole (RFC
 * 3711 §3.3.1): a call whose first ~100 packets (the ROC 0 ones before
 * the --seq-start rollover) were all refused is first seen after the
 * rollover, so the receiver's index guess is one ROC short and every
 * packet of the call fails authentication; a hole of 2^15 or more in a
 * running call makes the guess one ROC off (auth failures and "too old"
 * replays). Kept, they are sent later in order: a delay, never a replay.
 */
struct gen_pend {
	unsigned int n;
	struct rte_mbuf *m[GEN_BURST];
	uint8_t kind[GEN_BURST];   /* as in tx_dir() */
};

static struct gen_pend pend[GEN_NDIR];

/* Count n packets of direction d that left. */
static void
tx_account(enum gen_dir d, const uint8_t *kind, unsigned int n)
{
	unsigned int j;

	for (j = 0; j < n; j++) {
		if (kind[j] == 0)
			ds[d].sent++;
		else
			sent_bad[kind[j] - 1]++;
	}
}

/* Try to send the pending packets of direction d. Returns true when none
 * is left. */
static bool
tx_pending(enum gen_dir d)
{
	struct gen_pend *q = &pend[d];
	uint16_t port = o.port[d == GEN_AI ? 0 : 1];
	unsigned int sent;

	if (q->n == 0)
		return true;
	sent = rte_eth_tx_burst(port, 0, q->m, (uint16_t)q->n);
	if (sent == 0)
		return false;
	tx_account(d, q->kind, sent);
	q->n -= sent;
	memmove(q->m, q->m + sent, q->n * sizeof(q->m[0]));
	memmove(q->kind, q->kind + sent, q->n * sizeof(q->kind[0]));
	return q->n == 0;
}

static void
tx_pending_free(void)
{
	unsigned int d;

	for (d = 0; d < GEN_NDIR; d++) {
		if (pend[d].n != 0)
			rte_pktmbuf_free_bulk(pend[d].m, pend[d].n);
		pend[d].n = 0;
	}
}

/* Build and send up to n packets of direction d, after what is pending
 * for d left. Returns the packets built (offered): 0 while older ones
 * still wait for room. */
static unsigned int
tx_dir(enum gen_dir d, unsigned int n, uint64_t tsc)
{
	struct gen_pend *q = &pend[d];
	struct rte_mbuf *m[GEN_BURST];
	struct sec_pkt sp[GEN_BURST];
	uint8_t st[GEN_BURST];
	uint8_t kind[GEN_BURST]; /* 0 good, 1 forged, 2 replay, 3 unknown */
	uint16_t rtp_off[GEN_BURST];
	unsigned int k = 0, j, sent;
	uint16_t port = o.port[d == GEN_AI ? 0 : 1];

	if (!tx_pending(d))
		return 0;
	if (rte_pktmbuf_alloc_bulk(pool, m, n) != 0)
		return 0;
	while (k < n) {
		uint32_t i = next_call;
		struct gen_call_rt *cr = &calls[i];
		unsigned int run = RTE_MIN(o.call_burst, n - k), s0 = k, good;

		next_call = (next_call + 1) % o.calls;
		for (j = 0; j < run; j++, k++) {
			uint8_t *f = rte_pktmbuf_mtod(m[k], uint8_t *);
			uint32_t len = frame_build(f, i, d, tsc, &rtp_off[k], false);
			uint64_t x = rnd() % 1000000;

			kind[k] = 0;
			if (d == GEN_AI) {
				if (x < o.forged * 1e6)
					kind[k] = 1;
				else if (x < (o.forged + o.replayed) * 1e6 && cr->last_len != 0)
					kind[k] = 2;
				else if (x < (o.forged + o.replayed + o.unknown) * 1e6)
					kind[k] = 3;
			}
			/* every packet takes a sequence number of its own, so
			 * that protect never sees one twice */
			cr->sent[d]++;
			m[k]->data_len = (uint16_t)len;
			sp[k - s0].data = f + rtp_off[k];
			sp[k - s0].len = len - rtp_off[k];
			sp[k - s0].room = (uint32_t)(m[k]->buf_len - m[k]->data_off - rtp_off[k]);
		}
		if (d == GEN_AI && cr->tx != NULL) {
			good = sec_protect_burst(cr->tx, sp, (uint16_t)run, st);
			if (good != run) {
				fprintf(stderr, "imsagw-gen: protect failed: %s\n",
					sec_status_str(st[good]));
				stop = 1;
			}
		}
		for (j = s0; j < k; j++) {
			uint8_t *f = rte_pktmbuf_mtod(m[j], uint8_t *);
			uint32_t rl = sp[j - s0].len;

			if (kind[j] == 2) {
				/* a packet the gateway already accepted */
				memcpy(f + rtp_off[j], cr->last, cr->last_len);
				rl = cr->last_len;
			} else if (kind[j] == 1) {
				f[rtp_off[j] + rl - 1] ^= 0x5a;
			} else if (kind[j] == 3) {
				struct rte_udp_hdr *u =
					(struct rte_udp_hdr *)(f + rtp_off[j] - 8);

				u->dst_port = rte_cpu_to_be_16(net.unknown_port);
			} else if (d == GEN_AI && cr->last != NULL) {
				/* what a later replay copies: it leaves after
				 * this packet even if the port refuses this one
				 * now (pending packets go first) */
				memcpy(cr->last, f + rtp_off[j], rl);
				cr->last_len = (uint16_t)rl;
			}
			frame_finish(f, rl);
			m[j]->data_len = (uint16_t)(rtp_off[j] + rl);
			m[j]->pkt_len = m[j]->data_len;
		}
	}
	sent = rte_eth_tx_burst(port, 0, m, (uint16_t)n);
	tx_account(d, kind, sent);
	/* the rest waits (see struct gen_pend): q is empty here */
	for (j = sent; j < n; j++) {
		if (kind[j] == 0)
			ds[d].tx_fail++;
		q->m[q->n] = m[j];
		q->kind[q->n] = kind[j];
		q->n++;
	}
	return n;
}

/* ---- RX ---- */

/* stamp: r carries our plaintext stamp (latency); not with --no-verify on
 * SRTP, where it is still encrypted. */
static void
rx_account(enum gen_dir d, struct gen_call_rt *cr, const uint8_t *r, uint64_t tsc, bool stamp)
{
	struct gen_dstat *s = &ds[d];
	uint16_t seq = (uint16_t)(r[2] << 8 | r[3]);
	uint64_t ts, ext, lat;
	int16_t delta;

	delta = (int16_t)(seq - (uint16_t)(o.seq_start + cr->rx_next[d]));
	ext = (uint64_t)((int64_t)cr->rx_next[d] + delta);
	if (cr->rx_next[d] == 0 && delta < 0)
		ext = (uint64_t)(uint16_t)(seq - o.seq_start);
	if (ext < cr->rx_next[d])
		s->reorder++;
	else
		cr->rx_next[d] = ext + 1;
	s->rx++;
	if (s->first_tsc == 0)
		s->first_tsc = tsc;
	s->last_tsc = tsc;
	if (!stamp)
		return;
	memcpy(&ts, r + 12, 8);
	lat = (tsc - ts) * 1000000000ull / rte_get_tsc_hz() / GEN_HIST_NS;
	if (tsc < ts)
		lat = 0;
	if (lat < GEN_HIST_N)
		hist[d][lat]++;
	else
		hist_over[d]++;
}

/*
 * The port on which SRTP comes to us. Against the gateway: access (it
 * protects core-in toward the UE). --floor --transport srtp: core, where
 * our own access-in SRTP comes back unchanged; we unprotect it with the key
 * we protected it with, so that the floor's generator does the e2e's
 * crypto (one protect and one unprotect a packet pair) and the floor
 * leaves out only the gateway's work.
 */
static inline bool
srtp_rx_access(void)
{
	return !o.floor;
}

/* Our addresses and a call of ours: the call index, the RTP header and the
 * UDP payload length; UINT32_MAX if the frame is not one of ours. */
static uint32_t
rx_parse(bool access, struct rte_mbuf *m, uint8_t **rtp, uint32_t *len)
{
	uint8_t *f = rte_pktmbuf_mtod(m, uint8_t *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(f + sizeof(struct rte_ether_hdr));
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	uint32_t idx;

	if (m->data_len < 14 + 20 + 8 + GEN_RTP_HDR + GEN_STAMP ||
	    ((struct rte_ether_hdr *)f)->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
	    ip->version_ihl != RTE_IPV4_VHL_DEF || ip->next_proto_id != IPPROTO_UDP)
		return UINT32_MAX;
	idx = (uint32_t)(rte_be_to_cpu_16(udp->dst_port) -
			 (access ? net.ue_port_base : net.core_port_base)) / 2;
	*len = (uint32_t)rte_be_to_cpu_16(udp->dgram_len) - 8;
	*rtp = (uint8_t *)(udp + 1);
	/* --floor: the frame comes back as we sent it (addressed to the
	 * gateway), so the call is the one of its source port (the stamp
	 * may be encrypted) */
	if (o.floor)
		idx = (uint32_t)(rte_be_to_cpu_16(udp->src_port) -
				 (access ? net.core_port_base : net.ue_port_base)) / 2;
	if (idx >= o.calls || *len > m->data_len - 42u || *len < GEN_RTP_HDR)
		return UINT32_MAX;
	return idx;
}

/* What became of a received frame before rx_frame() looks at it. */
enum gen_rx_res {
	GEN_RX_PLAIN = 0, /* RTP, or SRTP not decrypted (--no-verify) */
	GEN_RX_OK,        /* SRTP, authenticated and decrypted in place */
	GEN_RX_OLD,       /* SRTP replay or too old */
	GEN_RX_BAD,       /* not ours, or SRTP that failed */
};

/*
 * Unprotect the SRTP frames of a burst from the port srtp_rx_access()
 * names, one crypto burst per run of consecutive frames of the same call
 * (the gateway sends a call's packets together): one packet per call, as
 * before, cost a whole crypto call each and made the generator, not the
 * gateway, the limit.
 * The burst puts the good packets first and the failed ones behind them,
 * each in arrival order; merged back by their data pointers.
 */
static void
rx_unprotect(bool access, struct rte_mbuf **m, uint16_t n, uint8_t *res, uint32_t *plen)
{
	struct sec_pkt sp[GEN_BURST];
	uint8_t *r[GEN_BURST], st[GEN_BURST];
	uint32_t idx[GEN_BURST], len[GEN_BURST];
	uint16_t i, j, k, g, b, good;

	for (i = 0; i < n; i++) {
		idx[i] = rx_parse(access, m[i], &r[i], &len[i]);
		res[i] = idx[i] == UINT32_MAX ? GEN_RX_BAD : GEN_RX_PLAIN;
	}
	for (i = 0; i < n; i = j) {
		struct gen_call_rt *cr = idx[i] == UINT32_MAX ? NULL : &calls[idx[i]];

		if (cr == NULL || cr->rx == NULL || !o.verify) {
			j = (uint16_t)(i + 1);
			continue;
		}
		for (j = i; j < n && idx[j] == idx[i]; j++) {
			sp[j - i].data = r[j];
			sp[j - i].len = len[j];
			sp[j - i].room = len[j];
		}
		good = sec_unprotect_burst(cr->rx, sp, (uint16_t)(j - i), st);
		g = 0;
		b = good;
		for (k = i; k < j; k++) {
			if (g < good && sp[g].data == r[k]) {
				res[k] = GEN_RX_OK;
				plen[k] = sp[g].len;
				g++;
			} else {
				res[k] = st[b] == SEC_ST_REPLAY || st[b] == SEC_ST_TOO_OLD ? GEN_RX_OLD
											  : GEN_RX_BAD;
				b++;
			}
		}
	}
}

/* Verify one received frame: our addresses, RTP, the stamp (SRTP was
 * decrypted by rx_unprotect(): res, plen). */
static void
rx_frame(bool access, struct rte_mbuf *m, uint64_t tsc, uint8_t res, uint32_t plen)
{
	enum gen_dir d = access ? GEN_CI : GEN_AI;
	uint32_t len, idx, ci, w;
	struct gen_call_rt *cr;
	uint8_t *r;

	if (res == GEN_RX_OLD) {
		ds[d].dup_or_old++;
		return;
	}
	idx = rx_parse(access, m, &r, &len);
	if (res == GEN_RX_BAD || idx == UINT32_MAX) {
		ds[d].bad++;
		return;
	}
	cr = &calls[idx];
	if (res == GEN_RX_OK) {
		len = plen;
	} else if (access == srtp_rx_access() && cr->rx != NULL) {
		/* --no-verify: only the RTP header is in the clear */
		if ((r[0] & 0xc0) != 0x80) {
			ds[d].bad++;
			return;
		}
		rx_account(d, cr, r, tsc, false);
		return;
	}
	memcpy(&ci, r + 20, 4);
	memcpy(&w, r + 24, 4);
	if (len != GEN_RTP_HDR + o.payload || (r[0] & 0xc0) != 0x80 || ci != idx) {
		ds[d].bad++;
		return;
	}
	if (w != (GEN_MAGIC | (uint32_t)d)) {
		/* a forged/replayed/unknown packet came through */
		leaked++;
		return;
	}
	rx_account(d, cr, r, tsc, true);
}

static void
rx_port(bool access)
{
	struct rte_mbuf *m[GEN_BURST];
	uint8_t res[GEN_BURST];
	uint32_t plen[GEN_BURST];
	uint16_t n, i;
	uint64_t tsc;

	n = rte_eth_rx_burst(o.port[access ? 0 : 1], 0, m, GEN_BURST);
	if (n == 0)
		return;
	tsc = rte_rdtsc();
	gap_note(&ss.rx, tsc);
	memset(res, GEN_RX_PLAIN, n);
	memset(plen, 0, n * sizeof(plen[0]));
	if (o.srtp && access == srtp_rx_access())
		rx_unprotect(access, m, n, res, plen);
	for (i = 0; i < n; i++)
		rx_frame(access, m[i], tsc, res[i], plen[i]);
	rte_pktmbuf_free_bulk(m, n);
}

/* ---- ports ---- */

static int
port_setup(uint16_t pid)
{
	struct rte_eth_conf conf;
	struct rte_eth_link link;
	uint16_t nrx = 1024, ntx = 1024;
	unsigned int t;

	memset(&conf, 0, sizeof(conf));
	if (rte_eth_dev_configure(pid, 1, 1, &conf) != 0 ||
	    rte_eth_dev_adjust_nb_rx_tx_desc(pid, &nrx, &ntx) != 0 ||
	    rte_eth_rx_queue_setup(pid, 0, nrx, rte_eth_dev_socket_id(pid), NULL, pool) != 0 ||
	    rte_eth_tx_queue_setup(pid, 0, ntx, rte_eth_dev_socket_id(pid), NULL) != 0 ||
	    rte_eth_dev_start(pid) != 0)
		return -EIO;
	rte_eth_promiscuous_enable(pid);
	for (t = 0; t < 100; t++) {
		if (rte_eth_link_get_nowait(pid, &link) == 0 && link.link_status)
			return 0;
		rte_delay_ms(100);
	}
	return -ENOLINK;
}

/* ---- sessions ---- */

/*
 * The gateway protects what we send on the core side from the first RTP
 * sequence number it sees (--seq-start, ROC 0), and it may drop protected
 * packets afterwards (its TX ring toward us full): loss, not corruption.
 * An SRTP receiver that starts from whichever packet arrives first guesses
 * one ROC short when the first ~100 packets (those before the rollover)
 * were all dropped, and then fails every packet of the call. So our
 * receiver starts where the gateway's sender starts: a packet of index
 * seq_start - 1, protected here under the gateway's key and unprotected
 * by rx, never sent. Returns 0 or -errno.
 */
static int
rx_prime(struct gen_call_rt *cr, const struct sec_session_params *gwp)
{
	struct sec_session_params p = *gwp;
	struct sec_session *tx;
	struct sec_pkt sp;
	uint8_t pkt[GEN_RTP_HDR + GEN_STAMP + 64], st;
	uint16_t seq = (uint16_t)(o.seq_start - 1);
	uint32_t w;
	int err = 0, rc = 0;

	if (o.seq_start == 0)
		return 0; /* ROC 0 from the first packet anyway */
	p.dir = SEC_DIR_PROTECT;
	p.replay_window = 0;
	tx = sec_session_create(&p, &err);
	OPENSSL_cleanse(&p, sizeof(p));
	if (tx == NULL)
		return err != 0 ? err : -EIO;
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x80;
	pkt[2] = (uint8_t)(seq >> 8);
	pkt[3] = (uint8_t)seq;
	/* the gateway keeps the SSRC; --floor: our access-in stream returns */
	w = rte_cpu_to_be_32(cr->ssrc[o.floor ? GEN_AI : GEN_CI]);
	memcpy(pkt + 8, &w, 4);
	sp.data = pkt;
	sp.len = GEN_RTP_HDR + GEN_STAMP;
	sp.room = sizeof(pkt);
	if (sec_protect_burst(tx, &sp, 1, &st) != 1 ||
	    sec_unprotect_burst(cr->rx, &sp, 1, &st) != 1)
		rc = -EIO;
	sec_session_destroy(tx);
	OPENSSL_cleanse(pkt, sizeof(pkt));
	return rc;
}

static int
sessions_create(struct gen_call_rt *cr)
{
	struct sec_session_params p;
	int err, rc;

	if (!cr->c.srtp)
		return 0;
	/* sec_params_from_sdes() fills only the key fields */
	memset(&p, 0, sizeof(p));
	if (sec_params_from_sdes(&p, &cr->c.ue_key) != 0)
		return -EINVAL;
	p.dir = SEC_DIR_PROTECT;
	p.proto = SEC_PROTO_SRTP;
	p.max_streams = 1;
	cr->tx = sec_session_create(&p, &err);
	OPENSSL_cleanse(&p, sizeof(p));
	if (cr->tx == NULL)
		return err;
	memset(&p, 0, sizeof(p));
	if (sec_params_from_sdes(&p, &cr->c.gw_key) != 0)
		return -EINVAL;
	p.dir = SEC_DIR_UNPROTECT;
	p.proto = SEC_PROTO_SRTP;
	p.max_streams = 1;
	p.replay_window = 1024; /* reordering is measured, not punished */
	cr->rx = sec_session_create(&p, &err);
	rc = cr->rx == NULL ? err : rx_prime(cr, &p);
	OPENSSL_cleanse(&p, sizeof(p));
	if (rc != 0)
		return rc;
	sdes_crypto_clear(&cr->c.ue_key);
	sdes_crypto_clear(&cr->c.gw_key);
	return 0;
}

/* ---- results ---- */

static double
pct(enum gen_dir d, double q)
{
	uint64_t total = hist_over[d], acc = 0, want;
	uint32_t b;

	for (b = 0; b < GEN_HIST_N; b++)
		total += hist[d][b];
	if (total == 0)
		return -1;
	want = (uint64_t)ceil(q * (double)total);
	for (b = 0; b < GEN_HIST_N; b++) {
		acc += hist[d][b];
		if (acc >= want)
			return (b + 0.5) * GEN_HIST_NS / 1000.0;
	}
	return GEN_HIST_N * GEN_HIST_NS / 1000.0;
}

/* Share of the stamped packets of d that took 1 ms or more. */
static double
share_over_1ms(enum gen_dir d)
{
	uint64_t total = hist_over[d], over = hist_over[d];
	uint32_t b;

	for (b = 0; b < GEN_HIST_N; b++) {
		total += hist[d][b];
		if (b >= 1000000 / GEN_HIST_NS)
			over += hist[d][b];
	}
	return total != 0 ? (double)over / (double)total : 0;
}

static void
report(FILE *j, int *rows, const char *bench, double rate, double secs, double setup_tps,
       double setup_secs)
{
	const char *suite = o.srtp ? sec_suite_get(o.suite)->name : "RTP";
	double hz = (double)rte_get_tsc_hz();
	unsigned int d;

	printf("calls %u, %s, %u-byte payloads, offered %s, %.2f s of sending\n", o.calls, suite,
	       o.payload, rate > 0 ? "paced" : "flat out", secs);
	if (setup_tps > 0)
		printf("setup: %u calls in %.2f s = %.0f calls/s over %s (one at a time)\n", o.calls,
		       setup_secs, setup_tps, o.iq != NULL ? "Iq" : "the admin socket");
	for (d = 0; d < GEN_NDIR; d++) {
		struct gen_dstat *s = &ds[d];
		double rx_secs = s->last_tsc > s->first_tsc ?
					 (double)(s->last_tsc - s->first_tsc) / hz : secs;
		double mpps = s->rx / (rx_secs > 0 ? rx_secs : 1) / 1e6;
		double loss = s->sent ? (double)(s->sent - RTE_MIN(s->rx, s->sent)) /
						(double)s->sent : 0;

		if (!o.dirs[d])
			continue;
		printf("%-9s sent %" PRIu64 " (tx full %" PRIu64 ") received %" PRIu64
		       " = %.3f Mpps, loss %.4f%%, reordered %" PRIu64 ", bad %" PRIu64
		       ", replays seen %" PRIu64 "; latency p50 %.1f p99 %.1f p99.9 %.1f us"
		       ", %.2f %% >= 1 ms\n",
		       dir_name[d], s->sent, s->tx_fail, s->rx, mpps, loss * 100, s->reorder,
		       s->bad, s->dup_or_old, pct(d, 0.5), pct(d, 0.99), pct(d, 0.999),
		       100 * share_over_1ms(d));
		if (j == NULL)
			continue;
		fprintf(j, "%s\n  {\"bench\": \"%s\", \"suite\": \"%s\", \"payload\": %u, "
			"\"direction\": \"%s\", \"flows\": %u, \"mpps\": %.4f, "
			"\"offered_mpps\": %.4f, \"loss\": %.6f, \"reordered\": %" PRIu64
			", \"bad\": %" PRIu64 ", \"p50_us\": %.2f, \"p99_us\": %.2f, "
			"\"p999_us\": %.2f, \"paced\": %s, \"loop_gap_max_us\": %.1f, "
			"\"loop_gaps_1ms\": %" PRIu64 ", \"rx_gap_max_us\": %.1f, "
			"\"rx_gaps_1ms\": %" PRIu64 ", \"nivcsw\": %ld, \"steal_ticks\": %" PRIu64
			", \"share_1ms\": %.5f, \"loop_gaps_long_ms\": %.1f}",
			(*rows)++ ? "," : "", bench, suite, o.payload, dir_name[d], o.calls,
			mpps, s->sent / secs / 1e6, loss, s->reorder, s->bad, pct(d, 0.5),
			pct(d, 0.99), pct(d, 0.999), rate > 0 ? "true" : "false",
			(double)ss.loop.max / hz * 1e6, ss.loop.n[3] + ss.loop.n[4],
			(double)ss.rx.max / hz * 1e6, ss.rx.n[3] + ss.rx.n[4], ss.nivcsw,
			ss.steal_ticks, share_over_1ms(d), (double)ss.loop.long_sum / hz * 1e3);
	}
	printf("sched:");
	gaps_print("loop", &ss.loop, hz);
	gaps_print("rx", &ss.rx, hz);
	printf(" ctx switches %ld voluntary %ld involuntary; steal %" PRIu64 " ticks\n", ss.nvcsw,
	       ss.nivcsw, ss.steal_ticks);
	if (junk_sent + junk_fail != 0)
		printf("junk: %" PRIu64 " frames to the exception path (ICMP, TCP SYN, fragments, "
		       "UDP outside the media range) = %.3f Mpps, %" PRIu64 " refused by the port\n",
		       junk_sent, (double)junk_sent / secs / 1e6, junk_fail);
	if (sent_bad[0] + sent_bad[1] + sent_bad[2] != 0)
		printf("attack share: forged %" PRIu64 " replayed %" PRIu64 " unknown %" PRIu64
		       " sent, %" PRIu64 " came out (must be 0; a replay that came out shows as "
		       "a reordered access-in packet: %" PRIu64 ")\n",
		       sent_bad[0], sent_bad[1], sent_bad[2], leaked, ds[GEN_AI].reorder);
	if (j != NULL && setup_tps > 0)
		fprintf(j, "%s\n  {\"bench\": \"%s\", \"suite\": \"%s\", \"payload\": 0, "
			"\"direction\": \"setup\", \"flows\": %u, \"calls_per_s\": %.1f, "
			"\"tps\": %.1f}",
			(*rows)++ ? "," : "", o.iq != NULL ? "iq-setup" : "setup-admin", suite,
			o.calls, setup_tps, setup_tps * (o.iq != NULL ? 1 : 3));
}

/* ---- pcap mode ---- */

static int
write_pcap(void)
{
	struct gen_pcap *p = gen_pcap_open(o.pcap);
	uint8_t f[2048];
	uint32_t i, k;
	uint16_t off;
	int rc = 0;

	if (p == NULL) {
		perror(o.pcap);
		return 1;
	}
	for (k = 0; k < o.pcap_pkts && rc == 0; k++)
		for (i = 0; i < o.calls && rc == 0; i++) {
			uint32_t len = frame_build(f, i, GEN_CI, 0, &off, o.pcap_udp);

			frame_finish(f, len - off);
			calls[i].sent[GEN_CI]++;
			rc = gen_pcap_write(p, f, len, (uint64_t)k * 20000 + i);
		}
	if (gen_pcap_close(p) != 0 || rc != 0) {
		fprintf(stderr, "imsagw-gen: writing %s failed\n", o.pcap);
		return 1;
	}
	printf("wrote %s: %u calls x %u packets (%s, core -> access), %u-byte payloads\n", o.pcap,
	       o.calls, o.pcap_pkts, o.pcap_udp ? "plain UDP baseline" : "RTP", o.payload);
	return 0;
}

/* ---- phases ---- */

static void
stats_reset(void)
{
	unsigned int d;

	memset(ds, 0, sizeof(ds));
	memset(sent_bad, 0, sizeof(sent_bad));
	leaked = 0;
	junk_sent = 0;
	junk_fail = 0;
	for (d = 0; d < GEN_NDIR; d++) {
		memset(hist[d], 0, GEN_HIST_N * sizeof(uint32_t));
		hist_over[d] = 0;
	}
}

/* Send for o.duration seconds at rate (packets/s, both directions; 0 =
 * flat out) with the given attack shares, then drain 200 ms. Returns the
 * seconds of sending. */
static double
run_phase(double rate, double forged, double replayed, double unknown)
{
	uint64_t hz = rte_get_tsc_hz(), start, end, total = 0;
	unsigned int d = o.dirs[GEN_AI] ? GEN_AI : GEN_CI;
	double secs;

	stats_reset();
	o.forged = forged;
	o.replayed = replayed;
	o.unknown = unknown;
	/* flushed marks around the sending, for scripts that read the peer's
	 * counters over it (bench/lib.sh bench_gw_phase_cycles) */
	printf("imsagw-gen: phase sending\n");
	fflush(stdout);
	sched_mark(true);
	start = rte_rdtsc();
	end = start + (uint64_t)(o.duration * (double)hz);
	while (!stop && total < o.max_pkts) {
		uint64_t tsc = rte_rdtsc();
		uint64_t want = GEN_BURST;

		gap_note(&ss.loop, tsc);
		if (tsc >= end)
			break;
		if (rate > 0) {
			double due = (double)(tsc - start) / (double)hz * rate;

			want = due > (double)total ? (uint64_t)(due - (double)total) : 0;
			if (want > GEN_BURST)
				want = GEN_BURST;
		}
		if (want > 0) {
			total += tx_dir((enum gen_dir)d, (unsigned int)want, tsc);
			if (o.dirs[0] && o.dirs[1])
				d ^= 1;
		}
		if (o.junk > 0)
			junk_tx(start, tsc, hz);
		rx_port(true);
		rx_port(false);
	}
	secs = (double)(rte_rdtsc() - start) / (double)hz;
	sched_mark(false);
	printf("imsagw-gen: phase sent\n");
	fflush(stdout);
	/* drain: what waits for TX room, and what is in flight */
	start = rte_rdtsc();
	while (rte_rdtsc() - start < hz / 5) {
		(void)tx_pending(GEN_AI);
		(void)tx_pending(GEN_CI);
		rx_port(true);
		rx_port(false);
	}
	return secs;
}

/* Offered packets/s of the last phase (both directions) and its worst
 * loss. */
static double
phase_offered(double secs)
{
	return (double)(ds[GEN_AI].sent + ds[GEN_CI].sent) / secs;
}

static double
phase_loss(void)
{
	double worst = 0;
	unsigned int d;

	for (d = 0; d < GEN_NDIR; d++) {
		double l;

		if (!o.dirs[d] || ds[d].sent == 0)
			continue;
		l = (double)(ds[d].sent - RTE_MIN(ds[d].rx, ds[d].sent)) / (double)ds[d].sent;
		worst = RTE_MAX(worst, l);
	}
	return worst;
}

/*
 * The benchmark plan in one process (one memif connection, no EAL start
 * per step): flat out; a binary search of the offered rate for the
 * highest one without loss (< 0.1 %); latency at 50 % of it; for SRTP an
 * attack mix (5 % each forged, replayed, unknown flow) at 50 %.
 */
static void
run_search(FILE *j, int *rows, double setup_tps, double setup_secs)
{
	static struct gen_dstat best_ds[GEN_NDIR];
	static uint64_t best_over[GEN_NDIR];
	static struct gen_sched best_ss;
	const char *plan = o.floor ? "floor-memif" : "e2e-memif";
	char name[64];
	double secs, hi, lo = 0, best = 0, mid, best_secs = 0;
	uint32_t *best_hist[GEN_NDIR];
	unsigned int k, d;

	for (d = 0; d < GEN_NDIR; d++) {
		best_hist[d] = calloc(GEN_HIST_N, sizeof(uint32_t));
		if (best_hist[d] == NULL)
			return;
	}

	secs = run_phase(0, 0, 0, 0);
	hi = phase_offered(secs);
	printf("-- flat out --\n");
	snprintf(name, sizeof(name), "%s-flat", plan);
	report(j, rows, name, 0, secs, setup_tps, setup_secs);
	for (k = 0; k < o.search_steps && !stop; k++) {
		double sent;

		mid = best == 0 && k == 0 ? hi * 0.9 : (lo + hi) / 2;
		secs = run_phase(mid, 0, 0, 0);
		/* what left the generator: a port that refused packets (TX
		 * full) offered less than asked */
		sent = phase_offered(secs);
		if (phase_loss() < 0.001 && sent < 0.97 * mid &&
		    ds[GEN_AI].tx_fail + ds[GEN_CI].tx_fail != 0) {
			/* memif pushes back instead of dropping: a gateway
			 * that cannot keep up shows as a port that refused
			 * packets, and the rate asked was not offered */
			printf("-- %.0f pps asked, %.0f sent: not sustained (TX full) --\n", mid,
			       sent);
			hi = mid;
		} else if (phase_loss() < 0.001) {
			printf("-- %.0f pps asked, %.0f sent: clean --\n", mid, sent);
			lo = mid;
			if (sent > best) {
				best = sent;
				best_secs = secs;
				memcpy(best_ds, ds, sizeof(ds));
				best_ss = ss;
				for (d = 0; d < GEN_NDIR; d++) {
					memcpy(best_hist[d], hist[d],
					       GEN_HIST_N * sizeof(uint32_t));
					best_over[d] = hist_over[d];
				}
			}
		} else {
			printf("-- %.0f pps asked, %.0f sent: loss %.4f %% --\n", mid,
			       phase_offered(secs), 100 * phase_loss());
			hi = mid;
		}
	}
	if (best > 0) {
		/* the no-loss rate: the highest clean step */
		memcpy(ds, best_ds, sizeof(ds));
		ss = best_ss;
		for (d = 0; d < GEN_NDIR; d++) {
			memcpy(hist[d], best_hist[d], GEN_HIST_N * sizeof(uint32_t));
			hist_over[d] = best_over[d];
		}
		printf("-- no-loss rate: %.0f pps sent --\n", best);
		report(j, rows, plan, best, best_secs, 0, 0);
	} else {
		best = hi / 4;
	}
	for (d = 0; d < GEN_NDIR; d++)
		free(best_hist[d]);
	printf("-- 50 %% of %.0f pps --\n", best);
	secs = run_phase(best / 2, 0, 0, 0);
	snprintf(name, sizeof(name), "%s-lat50", plan);
	report(j, rows, name, best / 2, secs, 0, 0);
	if (o.srtp && !stop) {
		printf("-- attack mix at 50 %% --\n");
		secs = run_phase(best / 2, 0.05, 0.05, 0.05);
		report(j, rows, "e2e-memif-attack", best / 2, secs, 0, 0);
	}
}

/* ---- options ---- */

static void
usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [options] [-- EAL args]\n"
		"  --iq MG,BIND        set calls up over Iq as the gateway's MGC\n"
		"                      (e.g. 127.0.0.1:12955,127.0.0.1:12954)\n"
		"  --iq-wait MS        wait for the gateway's ServiceChange first (default 3000;\n"
		"                      0 when it registered with an earlier run)\n"
		"  --admin SOCK        or over the gateway's admin socket\n"
		"  --calls N           calls (default 1)\n"
		"  --transport srtp|rtp  access side e2ae SRTP (default) or plain RTP\n"
		"  --suite NAME        SRTP suite (default AES_CM_128_HMAC_SHA1_80)\n"
		"  --payload N         RTP payload bytes (default 160, >= 16)\n"
		"  --rate PPS          offered packets/s, both directions together (0: flat out)\n"
		"  --duration S        seconds of sending (default 5, at most 600)\n"
		"  --max-packets N     stop after N packets per phase (default 1e9)\n"
		"  --search STEPS      the plan: flat out, STEPS of a no-loss rate search,\n"
		"                      latency at 50 %% of it, attack mix (each --duration)\n"
		"  --dir both|access-in|core-in\n"
		"  --call-burst N      consecutive packets per call (default 32; 1 interleaves)\n"
		"  --forged P --replayed P --unknown P   shares (0..1) of access-side packets\n"
		"  --junk PPS          also send PPS junk frames/s (ICMP echo, TCP SYN, IP\n"
		"                      fragments, UDP outside the media range) to the gateway's\n"
		"                      access address: its exception path and policer\n"
		"  --seq-start N       first RTP sequence number (default 65436: ROC rolls soon)\n"
		"  --no-verify         do not decrypt what comes back (count it only)\n"
		"  --ports A,C         ethdev ids of the access and core ports (default 0,1)\n"
		"  --ue-port-base N --core-port-base N --unknown-port N\n"
		"  --ue-ip A --core-ip A --gw-access-ip A --gw-core-ip A\n"
		"  --gw-access-mac M --gw-core-mac M   (defaults: memif-bench.conf)\n"
		"  --keep              leave the calls on the gateway\n"
		"  --hold S            at the end (calls deleted), keep the ports connected and\n"
		"                      idle until the gateway closes them (its workers stopped),\n"
		"                      at most S seconds; prints 'imsagw-gen: holding the ports'\n"
		"  --json FILE         append-free JSON array of the results\n"
		"  --bench NAME        bench name in the JSON (default e2e-memif)\n"
		"  --write-pcap FILE   write core->access RTP frames for pktgen and exit\n"
		"  --pcap-packets N    packets per call in the pcap (default 1000)\n"
		"  --pcap-udp          the pcap carries plain UDP (a baseline), not RTP\n"
		"  --floor             no gateway: the ports' peer returns every frame unchanged\n"
		"                      on the other port (dpdk-testpmd io forward, bench/floor.sh);\n"
		"                      no call setup, plan rows named floor-memif*; plain RTP,\n"
		"                      or with --transport srtp the e2e's SRTP work: access-in\n"
		"                      protected, unprotected when it comes back on core\n",
		prog);
}

static int
parse_opts(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "admin", 1, NULL, 'a' },   { "calls", 1, NULL, 'n' },
		{ "iq", 1, NULL, 'I' },      { "iq-wait", 1, NULL, 10 },
		{ "search", 1, NULL, 11 },   { "hold", 1, NULL, 12 },
		{ "transport", 1, NULL, 't' }, { "suite", 1, NULL, 's' },
		{ "payload", 1, NULL, 'p' }, { "rate", 1, NULL, 'r' },
		{ "duration", 1, NULL, 'd' }, { "max-packets", 1, NULL, 'm' },
		{ "dir", 1, NULL, 'D' },     { "call-burst", 1, NULL, 'b' },
		{ "forged", 1, NULL, 'F' },  { "replayed", 1, NULL, 'R' },
		{ "unknown", 1, NULL, 'U' }, { "seq-start", 1, NULL, 'S' },
		{ "no-verify", 0, NULL, 'V' }, { "ports", 1, NULL, 'P' },
		{ "ue-port-base", 1, NULL, 1 }, { "core-port-base", 1, NULL, 2 },
		{ "unknown-port", 1, NULL, 3 }, { "keep", 0, NULL, 'k' },
		{ "json", 1, NULL, 'j' },    { "bench", 1, NULL, 'B' },
		{ "write-pcap", 1, NULL, 'w' }, { "pcap-packets", 1, NULL, 'c' },
		{ "pcap-udp", 0, NULL, 'u' }, { "help", 0, NULL, 'h' },
		{ "junk", 1, NULL, 13 },     { "floor", 0, NULL, 14 },
		{ "ue-ip", 1, NULL, 4 },     { "core-ip", 1, NULL, 5 },
		{ "gw-access-ip", 1, NULL, 6 }, { "gw-core-ip", 1, NULL, 7 },
		{ "gw-access-mac", 1, NULL, 8 }, { "gw-core-mac", 1, NULL, 9 },
		{ NULL, 0, NULL, 0 },
	};
	const struct sec_suite *su;
	int c;

	o.calls = 1;
	o.srtp = true;
	o.suite = SEC_SUITE_AES_CM_128_HMAC_SHA1_80;
	o.payload = 160;
	o.duration = 5;
	o.max_pkts = 1000000000ull;
	o.call_burst = 32;
	o.dirs[GEN_AI] = o.dirs[GEN_CI] = true;
	o.seq_start = 65436;
	o.port[0] = 0;
	o.port[1] = 1;
	o.verify = true;
	o.bench = "e2e-memif";
	o.pcap_pkts = 1000;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'a': o.admin = optarg; break;
		case 'I': o.iq = optarg; break;
		case 10: gen_iq_wait_ms = atoi(optarg); break;
		case 11: o.search_steps = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 12: o.hold = strtod(optarg, NULL); break;
		case 'n': o.calls = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 't':
			o.transport_given = true;
			if (strcmp(optarg, "rtp") == 0)
				o.srtp = false;
			else if (strcmp(optarg, "srtp") != 0)
				return -1;
			break;
		case 's':
			su = sec_suite_by_name(optarg, strlen(optarg));
			if (su == NULL)
				return -1;
			o.suite = su->id;
			break;
		case 'p': o.payload = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'r': o.rate = strtod(optarg, NULL); break;
		case 'd': o.duration = strtod(optarg, NULL); break;
		case 'm': o.max_pkts = strtoull(optarg, NULL, 0); break;
		case 'D':
			o.dirs[GEN_AI] = strcmp(optarg, "core-in") != 0;
			o.dirs[GEN_CI] = strcmp(optarg, "access-in") != 0;
			break;
		case 'b': o.call_burst = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'F': o.forged = strtod(optarg, NULL); break;
		case 'R': o.replayed = strtod(optarg, NULL); break;
		case 'U': o.unknown = strtod(optarg, NULL); break;
		case 'S': o.seq_start = (uint16_t)strtoul(optarg, NULL, 0); break;
		case 'V': o.verify = false; break;
		case 'P':
			if (sscanf(optarg, "%hu,%hu", &o.port[0], &o.port[1]) != 2)
				return -1;
			break;
		case 13: o.junk = strtod(optarg, NULL); break;
		case 14: o.floor = true; break;
		case 1: net.ue_port_base = (uint16_t)strtoul(optarg, NULL, 0); break;
		case 2: net.core_port_base = (uint16_t)strtoul(optarg, NULL, 0); break;
		case 3: net.unknown_port = (uint16_t)strtoul(optarg, NULL, 0); break;
		case 4: case 5: case 6: case 7:
			if (inet_pton(AF_INET, optarg, c == 4 ? &net.ue_ip : c == 5 ? &net.core_ip :
						       c == 6 ? &net.gw_access_ip : &net.gw_core_ip) != 1)
				return -1;
			break;
		case 8: case 9: {
			uint8_t *m = c == 8 ? net.gw_access_mac : net.gw_core_mac;

			if (sscanf(optarg, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &m[0], &m[1], &m[2], &m[3],
				   &m[4], &m[5]) != 6)
				return -1;
			break;
		}
		case 'k': o.keep = true; break;
		case 'j': o.json = optarg; break;
		case 'B': o.bench = optarg; break;
		case 'w': o.pcap = optarg; break;
		case 'c': o.pcap_pkts = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'u': o.pcap_udp = true; break;
		default: return -1;
		}
	}
	if (o.calls == 0 || o.calls > GEN_MAX_CALLS || o.payload < GEN_STAMP ||
	    o.payload > 1400 || o.duration <= 0 || o.duration > 600 || o.call_burst == 0 ||
	    o.forged + o.replayed + o.unknown > 0.9 || (!o.dirs[0] && !o.dirs[1]) ||
	    o.search_steps > 10 || o.hold < 0 || o.hold > 600)
		return -1;
	if (o.call_burst > GEN_BURST)
		o.call_burst = GEN_BURST;
	if (o.floor) {
		/* what returns is what we sent: nothing to set up, nothing the
		 * gateway would have rejected; plain RTP unless --transport
		 * srtp asks for the e2e's SRTP work (srtp_rx_access()) */
		if (!o.transport_given)
			o.srtp = false;
		if (o.admin != NULL || o.iq != NULL || o.pcap != NULL ||
		    o.forged + o.replayed + o.unknown > 0 || o.junk > 0)
			return -1;
	}
	return 0;
}

/*
 * --hold: net_memif (DPDK 22.11) unmaps a connection's shared memory on
 * its interrupt thread as soon as the peer disconnects, while the peer's
 * polling lcore may be inside rx/tx on it: a peer that disconnects under
 * a polling gateway can crash the gateway's worker (SIGSEGV in
 * librte_net_memif.so). When the gateway closes the connection instead,
 * it does so after its workers stopped, and we are not polling: nobody
 * touches the rings. So we wait here, idle, for our links to go down.
 */
static void
hold_ports(void)
{
	double t0 = bench_now();
	struct rte_eth_link l0, l1;

	printf("imsagw-gen: holding the ports until the gateway closes them (at most %.0f s)\n",
	       o.hold);
	fflush(stdout);
	while (!stop && bench_now() - t0 < o.hold) {
		memset(&l0, 0, sizeof(l0));
		memset(&l1, 0, sizeof(l1));
		if (rte_eth_link_get_nowait(o.port[0], &l0) == 0 &&
		    rte_eth_link_get_nowait(o.port[1], &l1) == 0 && !l0.link_status &&
		    !l1.link_status) {
			printf("imsagw-gen: the gateway closed the ports\n");
			return;
		}
		usleep(10000);
	}
	printf("imsagw-gen: hold ended with the ports still up\n");
}

int
main(int argc, char **argv)
{
	static char *def_eal[] = { "imsagw-gen", "-l", "0", "--no-huge", "-m", "512", "--no-pci",
				   "--file-prefix=imsagw-bgen", "--log-level=*:error" };
	char **eal = def_eal, err[256];
	int neal = (int)RTE_DIM(def_eal), i, rows = 0, rc, ret = 1;
	const struct gen_setup_ops *ops = &gen_setup_admin;
	void *sh = NULL;
	bool sh_dead = false, ports_up = false;
	double t0, setup_secs = 0, setup_tps = 0, secs;
	unsigned int d = 0;
	FILE *j = NULL;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			argv[i] = argv[0];
			eal = &argv[i];
			neal = argc - i;
			argc = i;
			break;
		}
	/* defaults: configs/examples/memif-bench.conf */
	inet_pton(AF_INET, "192.0.2.2", &net.ue_ip);
	inet_pton(AF_INET, "192.0.2.1", &net.gw_access_ip);
	inet_pton(AF_INET, "198.51.100.2", &net.core_ip);
	inet_pton(AF_INET, "198.51.100.1", &net.gw_core_ip);
	memcpy(net.ue_mac, (uint8_t[6]){ 2, 0, 0, 0, 0x0a, 2 }, 6);
	memcpy(net.gw_access_mac, (uint8_t[6]){ 2, 0, 0, 0, 0x0a, 1 }, 6);
	memcpy(net.core_mac, (uint8_t[6]){ 2, 0, 0, 0, 0x0c, 2 }, 6);
	memcpy(net.gw_core_mac, (uint8_t[6]){ 2, 0, 0, 0, 0x0c, 1 }, 6);
	net.ue_port_base = 10000;
	net.core_port_base = 10000;
	net.unknown_port = 29998;
	if (parse_opts(argc, argv) != 0) {
		usage(argv[0]);
		return 2;
	}
	if (o.pcap == NULL && o.admin == NULL && o.iq == NULL && !o.floor) {
		fprintf(stderr, "imsagw-gen: --iq MG,BIND or --admin SOCK (call setup) is required\n");
		return 2;
	}
	if (o.iq != NULL) {
#ifdef GEN_HAVE_IQ
		ops = &gen_setup_iq;
#else
		fprintf(stderr, "imsagw-gen: built without iq/'s MGC library: use --admin\n");
		return 2;
#endif
	}
	calls = calloc(o.calls, sizeof(*calls));
	if (calls == NULL)
		return 1;
	for (i = 0; i < (int)o.calls; i++) {
		calls[i].ssrc[GEN_AI] = 0x10000000u + (uint32_t)i;
		calls[i].ssrc[GEN_CI] = 0x20000000u + (uint32_t)i;
		/* without setup (pcap): the gateway's first ports of each range */
		calls[i].c.gw_access_port = (uint16_t)(20000 + 2 * i);
		calls[i].c.gw_core_port = (uint16_t)(30000 + 2 * i);
	}
	if (o.pcap != NULL && o.admin == NULL && o.iq == NULL)
		return write_pcap();

	if (rte_eal_init(neal, eal) < 0) {
		fprintf(stderr, "imsagw-gen: rte_eal_init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (o.srtp && (sec_init(NULL) != 0)) {
		fprintf(stderr, "imsagw-gen: no SRTP engine\n");
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN); /* a gateway gone: write() fails instead */

	gap_thr[0] = rte_get_tsc_hz() / 100000; /* 10 us, then x10 each */
	for (i = 1; i < GEN_GAP_N - 1; i++)
		gap_thr[i] = gap_thr[i - 1] * 10;

	/* calls */
	if (o.floor) {
		/* --transport srtp: a key of our own, both ways */
		for (i = 0; i < (int)o.calls && o.srtp; i++) {
			calls[i].c.srtp = true;
			if (sdes_generate(o.suite, NULL, &calls[i].c.ue_key) != 0) {
				fprintf(stderr, "imsagw-gen: no key\n");
				goto out;
			}
			calls[i].c.gw_key = calls[i].c.ue_key;
		}
		goto calls_done;
	}
	if (ops->open(&sh, o.iq != NULL ? o.iq : o.admin, err, sizeof(err)) != 0) {
		fprintf(stderr, "imsagw-gen: %s: %s\n", ops->name, err);
		return 1;
	}
	t0 = bench_now();
	for (i = 0; i < (int)o.calls && !stop; i++) {
		rc = ops->call_add(sh, &net, (uint32_t)i, o.srtp, o.suite, &calls[i].c, err,
				   sizeof(err));
		if (rc != 0) {
			fprintf(stderr, "imsagw-gen: call %d: %s\n", i, err);
			o.calls = (uint32_t)i;
			break;
		}
	}
	setup_secs = bench_now() - t0;
	setup_tps = o.calls / (setup_secs > 0 ? setup_secs : 1e-9);
	if (o.calls == 0)
		goto out;
	if (o.pcap != NULL) {
		ret = write_pcap();
		goto out;
	}
calls_done:
	for (i = 0; i < (int)o.calls; i++) {
		rc = sessions_create(&calls[i]);
		if (rc != 0) {
			fprintf(stderr, "imsagw-gen: call %d: session create failed: %s\n", i,
				strerror(-rc));
			goto out;
		}
		if (o.replayed > 0 || o.search_steps > 0) { /* the plan's attack mix replays */
			calls[i].last = malloc(2048);
			if (calls[i].last == NULL)
				goto out;
		}
	}
	for (d = 0; d < GEN_NDIR; d++) {
		hist[d] = calloc(GEN_HIST_N, sizeof(uint32_t));
		if (hist[d] == NULL)
			goto out;
	}
	pool = rte_pktmbuf_pool_create("gen_mbufs", 16383, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       (int)rte_socket_id());
	if (pool == NULL || rte_eth_dev_count_avail() < 2 || port_setup(o.port[0]) != 0 ||
	    port_setup(o.port[1]) != 0) {
		fprintf(stderr, "imsagw-gen: ports %u,%u not usable (need two ethdevs with link)\n",
			o.port[0], o.port[1]);
		goto out;
	}
	ports_up = true;

	if (o.json != NULL) {
		j = fopen(o.json, "w");
		if (j != NULL)
			fprintf(j, "[");
	}
	if (o.search_steps == 0) {
		secs = run_phase(o.rate, o.forged, o.replayed, o.unknown);
		report(j, &rows, o.bench, o.rate, secs, setup_tps, setup_secs);
	} else {
		run_search(j, &rows, setup_tps, setup_secs);
	}
	if (j != NULL) {
		fprintf(j, "\n]\n");
		fclose(j);
	}
	tx_pending_free();
	ret = 0;
out:
	for (i = 0; i < (int)o.calls; i++) {
		/* a gateway that stopped answering is not waited for call by call */
		rc = !o.keep && sh != NULL ? ops->call_del(sh, &calls[i].c) : 0;
		if (rc == -ETIMEDOUT || rc == -EIO) {
			fprintf(stderr, "imsagw-gen: the gateway does not answer: calls left\n");
			sh_dead = true;
		}
		if (sh_dead || stop)
			o.keep = true;
		sec_session_destroy(calls[i].tx);
		sec_session_destroy(calls[i].rx);
		free(calls[i].last);
		OPENSSL_cleanse(&calls[i].c, sizeof(calls[i].c));
	}
	if (sh != NULL)
		ops->close(sh);
	if (ports_up) {
		/* stopping a memif client port disconnects it: after the calls
		 * are gone, and with --hold only once the gateway let go */
		if (o.hold > 0)
			hold_ports();
		rte_eth_dev_stop(o.port[0]);
		rte_eth_dev_stop(o.port[1]);
	}
	for (d = 0; d < GEN_NDIR; d++)
		free(hist[d]);
	free(calls);
	if (o.srtp)
		sec_fini();
	rte_eal_cleanup();
	return ret;
}
