/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pipeline_bench: what imsagw-pipeline-bench's main file (pipeline_bench.c)
 * shares with its two-worker mode (pipeline_multi.c): the rig (data plane
 * and net_ring ports), the flows, the stream, the frames, their checks and
 * the run's options. A benchmark's internals, not an API.
 */
#ifndef IMSAGW_PIPELINE_BENCH_H
#define IMSAGW_PIPELINE_BENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "bench_util.h"
#include "dp.h"

#define BENCH_POOL 8192 /* most mbufs refilled per round */
#define BENCH_DRAIN 64
#define BENCH_SLICES_MAX 64

enum bench_dir {
	BENCH_ACCESS_IN = 0, /* SRTP -> RTP: unprotect; in on access, out on core */
	BENCH_CORE_IN,       /* RTP -> SRTP: protect; in on core, out on access */
};

#define BENCH_WMAX 2 /* --workers */

/* The data plane and its two ring ports, by enum cfg_port_role; each port
 * has one RX and one TX ring (queue) per media worker. */
struct bench_rig {
	struct dp *dp;
	struct rte_ring *rx[CFG_MAX_PORTS][BENCH_WMAX], *tx[CFG_MAX_PORTS][BENCH_WMAX];
	struct dp_port_info pi[CFG_MAX_PORTS];
	unsigned int n_workers;
	unsigned int worker_lcore[BENCH_WMAX]; /* the media workers' (never launched) */
	unsigned int runner_lcore;             /* --workers 2: the thread running worker 1 */
};

struct bench_flows {
	struct dp_flow **f;
	uint32_t n;
	uint32_t base;     /* flow i has addresses and ports of index base + i */
	unsigned int widx; /* the media worker owning them */
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

enum bench_traffic {
	BENCH_T_GOOD = 0,
	BENCH_T_FORGED,  /* last tag byte flipped */
	BENCH_T_REPLAY,  /* packets already accepted */
	BENCH_T_UNKNOWN, /* UDP port without a flow */
};

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

/* Junk a run put beside its media (--junk), for counters_check(). */
struct bench_junk_sent {
	uint64_t n;       /* junk frames */
	uint64_t nd;      /* of them ND: dropped as nd */
	uint64_t exc_cap; /* most the exception policer can have let through */
};

/* Median, min and max of n values. */
struct bench_dist {
	double med, min, max;
};

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

/* This thread's CPU time. */
static inline uint64_t
cpu_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The run's options and report (pipeline_bench.c). */
extern struct bench_json json;
extern bool huge; /* EAL memory on hugepages */
extern const char *json_suite;
extern unsigned int json_payload;
extern uint32_t round_sz;      /* frames per round (--round) */
extern unsigned int slices;    /* --slices */
extern unsigned int n_workers; /* --workers */

/* Write the frame for flow i of fl carrying stream packet v into m. */
void frame_fill(struct rte_mbuf *m, const struct bench_rig *rig, const struct bench_flows *fl,
		uint32_t i, const struct bench_stream *s, uint32_t v, enum bench_traffic tr);
/* Check one packet that left the egress port. Returns 0 or -1 (printed). */
int sample_check(const struct bench_rig *rig, const struct bench_flows *fl,
		 const struct bench_stream *s, const struct bench_sample *sp);
/* Free what is left on ring. */
void ring_empty(struct rte_ring *ring);
/* Per-flow and worker counters (w0 before, w1 after) against what was
 * sent. Returns 0 or -1 (printed). */
int counters_check(const struct bench_flows *fl, const char *what, uint64_t sent,
		   enum bench_traffic tr, const struct bench_junk_sent *jk,
		   const uint64_t drops0[DP_FLOW_DROP_MAX], const struct dp_lcore_stats *w0,
		   const struct dp_lcore_stats *w1);
/* The flows' drops so far, by reason. */
void flow_drops(const struct bench_flows *fl, uint64_t drops[DP_FLOW_DROP_MAX]);
/* Median, min and max of n <= BENCH_SLICES_MAX values; printed as
 * median [min-max], and as JSON fields key, key_min, key_max. */
struct bench_dist dist_of(const double *v, unsigned int n);
void dist_print(const char *name, struct bench_dist d, const char *unit);
void dist_json(FILE *f, const char *key, struct bench_dist d);

#endif /* IMSAGW_PIPELINE_BENCH_H */
