/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pipeline_multi: imsagw-pipeline-bench --workers 2 (pipeline_multi.h).
 *
 * Two threads, each driving one media worker through dp_worker_run_once()
 * on its own queue of each net_ring port, with its own flows and mbuf
 * pool: nothing this file shares between them is written while they are
 * timed but the barrier, which they meet at twice a round, outside the
 * timed parts. The runner thread sleeps (usleep) while worker 0 runs alone,
 * so that its CPU is idle as on a one-worker gateway.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_pause.h>
#include <rte_ring.h>

#include "dp.h"
#include "pipeline_bench.h"
#include "pipeline_multi.h"

/* A barrier of two threads (sense-reversing): the waiter spins. */
struct bench_barrier {
	uint32_t count;
	uint32_t sense;
} __rte_cache_aligned;

static struct bench_barrier barrier;

static void
barrier_wait(uint32_t *local_sense, unsigned int n)
{
	uint32_t s = *local_sense ^ 1;

	*local_sense = s;
	if (__atomic_add_fetch(&barrier.count, 1, __ATOMIC_ACQ_REL) == n) {
		__atomic_store_n(&barrier.count, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&barrier.sense, s, __ATOMIC_RELEASE);
		return;
	}
	while (__atomic_load_n(&barrier.sense, __ATOMIC_ACQUIRE) != s)
		rte_pause();
}

/* One worker's thread side: its pool, its frames, what a phase measured.
 * Each on its own cache lines; the other thread reads t0/t1 only after a
 * barrier. */
struct bench_wk {
	unsigned int idx; /* media worker (queue) it runs */
	uint32_t sense;
	struct rte_mempool *mp;
	uint64_t pkts, txed, cyc, cpu_ns; /* a phase's */
	uint64_t wall;                    /* lead: the pair's common intervals */
	uint64_t t0, t1;                  /* the last round's timed part */
	int bad;
	struct rte_mbuf *mb[BENCH_POOL];
} __rte_cache_aligned;

static struct bench_wk wks[BENCH_WMAX];

/* What the main thread asks the runner thread (worker 1) to do. */
static struct {
	uint32_t seq, done; /* request, and the last one done */
	bool quit;
	bool run;        /* worker 1 takes part */
	unsigned int np; /* threads taking part */
	uint64_t total;
	struct bench_flows *fl;
	const struct bench_rig *rig;
	const struct bench_stream *s;
} cmd __rte_cache_aligned;

/* One round of worker w's flows: build (not timed), then timed, the run
 * until the worker received them all. np 2: both threads build, meet,
 * run, meet, so that the timed parts share one interval and no build
 * overlaps the other's timed part. */
static void
wk_round(struct bench_wk *w, const struct bench_rig *rig, struct bench_flows *fl,
	 const struct bench_stream *s, uint32_t nf)
{
	struct rte_ring *rx = rig->rx[in_role(fl->dir)][w->idx];
	struct rte_ring *tx = rig->tx[out_role(fl->dir)][w->idx];
	struct rte_ring *tx_wrong = rig->tx[in_role(fl->dir)][w->idx];
	uint64_t g = fl->good, c0;
	struct bench_round rd;
	uint32_t i, got = 0;
	int rc = 0;

	memset(&rd, 0, sizeof(rd));
	if ((g + nf - 1) / fl->n >= s->nv || rte_pktmbuf_alloc_bulk(w->mp, w->mb, nf) != 0) {
		fprintf(stderr, "worker %u: no stream packets or mbufs left\n", w->idx);
		w->bad = 1;
		nf = 0;
	}
	for (i = 0; i < nf; i++)
		frame_fill(w->mb[i], rig, fl, (uint32_t)((g + i) % fl->n), s,
			   (uint32_t)((g + i) / fl->n), BENCH_T_GOOD);
	if (nf != 0) {
		rd.smp[0] = (struct bench_sample){
			.m = w->mb[0], .flow = (uint32_t)(g % fl->n), .v = (uint32_t)(g / fl->n)};
		if (nf > 1)
			rd.smp[1] = (struct bench_sample){.m = w->mb[nf - 1],
							  .flow = (uint32_t)((g + nf - 1) % fl->n),
							  .v = (uint32_t)((g + nf - 1) / fl->n)};
		if (rte_ring_sp_enqueue_bulk(rx, (void **)w->mb, nf, NULL) != nf) {
			rte_pktmbuf_free_bulk(w->mb, nf);
			w->bad = 1;
			nf = 0;
		}
	}
	if (cmd.np > 1)
		barrier_wait(&w->sense, cmd.np);
	c0 = cpu_now_ns();
	w->t0 = rte_rdtsc_precise();
	while (got < nf) {
		rc = dp_worker_run_once(rig->dp, w->idx);
		if (rc <= 0)
			break;
		got += (uint32_t)rc;
		tx_drain(tx, &rd);
	}
	w->t1 = rte_rdtsc_precise();
	w->cpu_ns += cpu_now_ns() - c0;
	w->cyc += w->t1 - w->t0;
	if (got != nf) {
		fprintf(stderr, "worker %u: it took %u of %u frames (%s)\n", w->idx, got, nf,
			rc < 0 ? strerror(-rc) : "then none");
		w->bad = 1;
	}
	w->pkts += nf;
	w->txed += rd.tx;
	fl->good += nf;
	for (i = 0; i < 2; i++) {
		if (rd.smp[i].m == NULL)
			continue;
		if (sample_check(rig, fl, s, &rd.smp[i]) != 0)
			w->bad = 1;
		rte_pktmbuf_free(rd.smp[i].out);
	}
	if (rte_ring_count(tx_wrong) != 0) {
		fprintf(stderr, "VERIFY worker %u: %u packets left through the ingress port\n",
			w->idx, rte_ring_count(tx_wrong));
		ring_empty(tx_wrong);
		w->bad = 1;
	}
}

/* total packets of worker w's flows, in rounds; np threads take part
 * (the same number of rounds each). */
static void
wk_phase(struct bench_wk *w, const struct bench_rig *rig, struct bench_flows *fl,
	 const struct bench_stream *s, uint64_t total)
{
	const struct bench_wk *o = &wks[w->idx ^ 1];
	uint64_t done;

	w->pkts = w->txed = w->cyc = w->cpu_ns = w->wall = 0;
	w->bad = 0;
	for (done = 0; done < total; done += round_sz) {
		if (cmd.np > 1) {
			/* both timed parts of the last round are over */
			barrier_wait(&w->sense, cmd.np);
			if (w->idx == 0 && done != 0)
				w->wall += RTE_MAX(w->t1, o->t1) - RTE_MIN(w->t0, o->t0);
		}
		wk_round(w, rig, fl, s, (uint32_t)RTE_MIN((uint64_t)round_sz, total - done));
	}
	if (cmd.np > 1) {
		barrier_wait(&w->sense, cmd.np);
		if (w->idx == 0)
			w->wall += RTE_MAX(w->t1, o->t1) - RTE_MIN(w->t0, o->t0);
	}
}

/* The runner thread (EAL lcore rig->runner_lcore): worker 1's phases. It
 * sleeps between them, so that its CPU is idle while worker 0 runs alone. */
static int
runner_main(void *arg)
{
	uint32_t seen = 0, q;

	(void)arg;
	for (;;) {
		while ((q = __atomic_load_n(&cmd.seq, __ATOMIC_ACQUIRE)) == seen)
			usleep(100);
		seen = q;
		if (cmd.quit)
			return 0;
		if (cmd.run)
			wk_phase(&wks[1], cmd.rig, cmd.fl, cmd.s, cmd.total);
		__atomic_store_n(&cmd.done, q, __ATOMIC_RELEASE);
	}
}

/* Per-lcore steal time so far (/proc/stat, USER_HZ ticks) of CPUs 0, 1. */
static void
steal_read(uint64_t st[2])
{
	char line[512];
	FILE *f = fopen("/proc/stat", "r");

	st[0] = st[1] = 0;
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long long v[8];
		unsigned int c;

		if (sscanf(line, "cpu%u %llu %llu %llu %llu %llu %llu %llu %llu", &c, &v[0], &v[1],
			   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) == 9 &&
		    c < 2)
			st[c] = v[7];
	}
	fclose(f);
}

/* One phase: worker 0 (flows fl0) and/or worker 1 (fl1), total packets
 * each, then verified: every packet out of its own worker's TX queue, the
 * flows' and both workers' counters (the one not running must not move).
 * Returns 0 or -1 (printed). */
int
pipeline_multi_phase(const struct bench_rig *rig, const struct bench_stream *s,
		     struct bench_flows *fl0, struct bench_flows *fl1, bool run0, bool run1,
		     uint64_t total)
{
	static const struct bench_junk_sent nojunk;
	struct bench_flows *fl[BENCH_WMAX] = {fl0, fl1};
	bool run[BENCH_WMAX] = {run0, run1};
	struct dp_lcore_stats w0[BENCH_WMAX], w1[BENCH_WMAX];
	uint64_t drops0[BENCH_WMAX][DP_FLOW_DROP_MAX];
	char what[64];
	unsigned int k;
	int rc = 0;

	for (k = 0; k < BENCH_WMAX; k++) {
		flow_drops(fl[k], drops0[k]);
		if (dp_worker_stats(rig->dp, k, NULL, &w0[k]) != 0)
			return -1;
	}
	cmd.run = run1;
	cmd.np = (unsigned int)run0 + (unsigned int)run1;
	cmd.total = total;
	cmd.fl = fl1;
	cmd.rig = rig;
	cmd.s = s;
	__atomic_add_fetch(&cmd.seq, 1, __ATOMIC_RELEASE);
	if (run0)
		wk_phase(&wks[0], rig, fl0, s, total);
	while (__atomic_load_n(&cmd.done, __ATOMIC_ACQUIRE) != cmd.seq)
		usleep(run0 ? 10 : 100);
	for (k = 0; k < BENCH_WMAX; k++) {
		uint64_t sent = run[k] ? wks[k].pkts : 0;

		snprintf(what, sizeof(what), "%s worker %u",
			 fl[k]->dir == BENCH_ACCESS_IN ? "access-in" : "core-in", k);
		if (dp_worker_stats(rig->dp, k, NULL, &w1[k]) != 0)
			return -1;
		if (run[k] && (wks[k].bad || wks[k].txed != sent)) {
			fprintf(stderr, "VERIFY %s: %llu of %llu packets left its TX queue\n", what,
				(unsigned long long)wks[k].txed, (unsigned long long)sent);
			rc = -1;
		}
		if (counters_check(fl[k], what, sent, BENCH_T_GOOD, &nojunk, drops0[k], &w0[k],
				   &w1[k]) != 0)
			rc = -1;
	}
	return rc;
}

/* Per slice of the --workers 2 run. */
struct bench_mw {
	double a0[BENCH_SLICES_MAX], a1[BENCH_SLICES_MAX]; /* alone, Mpps */
	double b0[BENCH_SLICES_MAX], b1[BENCH_SLICES_MAX]; /* together, Mpps */
	double sum[BENCH_SLICES_MAX], wall[BENCH_SLICES_MAX];
	double scale[BENCH_SLICES_MAX], wscale[BENCH_SLICES_MAX];
	double cpu0[BENCH_SLICES_MAX], cpu1[BENCH_SLICES_MAX]; /* thread CPU / TSC time, together */
	/* the same per second of each thread's CPU time: what the code
	 * scales to when neither thread is preempted (the box is shared) */
	double ca0[BENCH_SLICES_MAX], ca1[BENCH_SLICES_MAX], cb0[BENCH_SLICES_MAX];
	double cb1[BENCH_SLICES_MAX], cscale[BENCH_SLICES_MAX];
};

static inline double
wk_mpps(const struct bench_wk *w)
{
	return w->cyc != 0 ? (double)w->pkts / ((double)w->cyc / (double)rte_get_tsc_hz()) / 1e6
			   : 0;
}

static inline double
wk_cpu_mpps(const struct bench_wk *w)
{
	return w->cpu_ns != 0 ? (double)w->pkts * 1e3 / (double)w->cpu_ns : 0;
}

static inline double
wk_cpu_share(const struct bench_wk *w)
{
	return w->cyc != 0 ? (double)w->cpu_ns / ((double)w->cyc / (double)rte_get_tsc_hz() * 1e9)
			   : 0;
}

/*
 * The two-worker run of one direction: --slices slices; each runs worker
 * 0 alone, worker 1 alone and both together (per packets each), in turn
 * A0, A1, B then B, A1, A0, so that whatever else the box runs falls on
 * all alike. Returns 0 or -1.
 */
int
pipeline_multi_run(const struct bench_rig *rig, const struct bench_stream *s,
		   struct bench_flows fl[BENCH_WMAX], uint64_t total, const char *dn)
{
	uint64_t per = RTE_MAX(total / slices, (uint64_t)round_sz), st0[2], st1[2], steal[2] = {0};
	struct bench_dist d[15];
	struct bench_mw mw;
	unsigned int k, h;
	FILE *f;

	memset(&mw, 0, sizeof(mw));
	printf("two workers %s: %u slices, each worker 0 alone, worker 1 alone, both together "
	       "(%llu packets per worker and phase, rounds of %u)\n",
	       dn, slices, (unsigned long long)per, round_sz);
	for (k = 0; k < slices; k++) {
		for (h = 0; h < 3; h++) {
			unsigned int b = k & 1 ? 2 - h : h;

			if (b == 2)
				steal_read(st0);
			if (pipeline_multi_phase(rig, s, &fl[0], &fl[1], b != 1, b != 0, per) != 0)
				return -1;
			if (b == 0) {
				mw.a0[k] = wk_mpps(&wks[0]);
				mw.ca0[k] = wk_cpu_mpps(&wks[0]);
			} else if (b == 1) {
				mw.a1[k] = wk_mpps(&wks[1]);
				mw.ca1[k] = wk_cpu_mpps(&wks[1]);
			}
			if (b != 2)
				continue;
			steal_read(st1);
			steal[0] += st1[0] - st0[0];
			steal[1] += st1[1] - st0[1];
			mw.b0[k] = wk_mpps(&wks[0]);
			mw.b1[k] = wk_mpps(&wks[1]);
			mw.cb0[k] = wk_cpu_mpps(&wks[0]);
			mw.cb1[k] = wk_cpu_mpps(&wks[1]);
			mw.cpu0[k] = wk_cpu_share(&wks[0]);
			mw.cpu1[k] = wk_cpu_share(&wks[1]);
			mw.wall[k] = (double)(wks[0].pkts + wks[1].pkts) /
				     ((double)wks[0].wall / (double)rte_get_tsc_hz()) / 1e6;
		}
		mw.sum[k] = mw.b0[k] + mw.b1[k];
		mw.scale[k] = mw.sum[k] / ((mw.a0[k] + mw.a1[k]) / 2);
		mw.wscale[k] = mw.wall[k] / ((mw.a0[k] + mw.a1[k]) / 2);
		mw.cscale[k] = (mw.cb0[k] + mw.cb1[k]) / ((mw.ca0[k] + mw.ca1[k]) / 2);
		printf("  slice %2u: alone w0 %.3f w1 %.3f | together w0 %.3f w1 %.3f sum %.3f "
		       "(common interval %.3f) Mpps | scaling %.2f (%.2f) | CPU %.0f%% %.0f%% | "
		       "per CPU-s: alone %.3f %.3f together %.3f %.3f scaling %.2f\n",
		       k + 1, mw.a0[k], mw.a1[k], mw.b0[k], mw.b1[k], mw.sum[k], mw.wall[k],
		       mw.scale[k], mw.wscale[k], 100 * mw.cpu0[k], 100 * mw.cpu1[k], mw.ca0[k],
		       mw.ca1[k], mw.cb0[k], mw.cb1[k], mw.cscale[k]);
	}
	d[0] = dist_of(mw.a0, slices);
	d[1] = dist_of(mw.a1, slices);
	d[2] = dist_of(mw.b0, slices);
	d[3] = dist_of(mw.b1, slices);
	d[4] = dist_of(mw.sum, slices);
	d[5] = dist_of(mw.wall, slices);
	d[6] = dist_of(mw.scale, slices);
	d[7] = dist_of(mw.wscale, slices);
	d[8] = dist_of(mw.cpu0, slices);
	d[9] = dist_of(mw.cpu1, slices);
	d[10] = dist_of(mw.ca0, slices);
	d[11] = dist_of(mw.ca1, slices);
	d[12] = dist_of(mw.cb0, slices);
	d[13] = dist_of(mw.cb1, slices);
	d[14] = dist_of(mw.cscale, slices);
	printf("workers    %-24s %4u %-10s %8u flows per worker, 2 workers, median [min-max] of "
	       "%u slices:\n",
	       json_suite, json_payload, dn, fl[0].n, slices);
	dist_print("worker 0 alone", d[0], "Mpps");
	dist_print("worker 1 alone", d[1], "Mpps");
	dist_print("worker 0 beside worker 1", d[2], "Mpps");
	dist_print("worker 1 beside worker 0", d[3], "Mpps");
	dist_print("sum", d[4], "Mpps");
	dist_print("both over their common interval", d[5], "Mpps");
	dist_print("scaling: sum / mean alone", d[6], "x");
	dist_print("scaling: common interval / alone", d[7], "x");
	dist_print("thread CPU / TSC time, worker 0", d[8], "");
	dist_print("thread CPU / TSC time, worker 1", d[9], "");
	printf("  per second of each thread's CPU time (preemption by the box's other load "
	       "left out):\n");
	dist_print("worker 0 alone", d[10], "Mpps");
	dist_print("worker 1 alone", d[11], "Mpps");
	dist_print("worker 0 beside worker 1", d[12], "Mpps");
	dist_print("worker 1 beside worker 0", d[13], "Mpps");
	dist_print("scaling: sum / mean alone", d[14], "x");
	printf("  steal time during the two-worker phases: cpu0 %llu cpu1 %llu ticks (1/%ld s)\n",
	       (unsigned long long)steal[0], (unsigned long long)steal[1], sysconf(_SC_CLK_TCK));
	f = bench_json_row(&json);
	if (f == NULL)
		return 0;
	fprintf(f,
		"\"bench\": \"workers\", \"suite\": \"%s\", \"payload\": %u, \"direction\": "
		"\"%s\", \"flows\": %u, \"workers\": 2, \"slices\": %u, \"packets_per_phase\": "
		"%llu",
		json_suite, json_payload, dn, fl[0].n, slices, (unsigned long long)per);
	dist_json(f, "alone0_mpps", d[0]);
	dist_json(f, "alone1_mpps", d[1]);
	dist_json(f, "together0_mpps", d[2]);
	dist_json(f, "together1_mpps", d[3]);
	dist_json(f, "sum_mpps", d[4]);
	dist_json(f, "common_mpps", d[5]);
	dist_json(f, "scaling", d[6]);
	dist_json(f, "scaling_common", d[7]);
	dist_json(f, "cpu_share0", d[8]);
	dist_json(f, "cpu_share1", d[9]);
	dist_json(f, "cpu_alone0_mpps", d[10]);
	dist_json(f, "cpu_alone1_mpps", d[11]);
	dist_json(f, "cpu_together0_mpps", d[12]);
	dist_json(f, "cpu_together1_mpps", d[13]);
	dist_json(f, "cpu_scaling", d[14]);
	fprintf(f, ", \"steal_ticks\": [%llu, %llu], \"hugepages\": %s",
		(unsigned long long)steal[0], (unsigned long long)steal[1],
		huge ? "true" : "false");
	bench_json_row_end(&json);
	return 0;
}

int
pipeline_multi_start(const struct bench_rig *rig, struct rte_mempool *const pools[BENCH_WMAX])
{
	unsigned int w;

	for (w = 0; w < BENCH_WMAX; w++) {
		wks[w].idx = w;
		wks[w].mp = pools[w];
	}
	if (rte_eal_remote_launch(runner_main, NULL, rig->runner_lcore) != 0) {
		fprintf(stderr, "cannot launch lcore %u\n", rig->runner_lcore);
		return -1;
	}
	return 0;
}

void
pipeline_multi_stop(const struct bench_rig *rig)
{
	__atomic_store_n(&cmd.quit, true, __ATOMIC_RELAXED);
	__atomic_add_fetch(&cmd.seq, 1, __ATOMIC_RELEASE);
	rte_eal_wait_lcore(rig->runner_lcore);
}
