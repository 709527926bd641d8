/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pipeline_multi: imsagw-pipeline-bench --workers 2, the media worker loop
 * on both cores (pipeline_bench.c's header comment says what it measures
 * and checks). Worker 0 runs on the calling (main) lcore, worker 1 on the
 * rig's runner lcore; each with the mbuf pool given, its own queue of
 * each port and flows of its own.
 */
#ifndef IMSAGW_PIPELINE_MULTI_H
#define IMSAGW_PIPELINE_MULTI_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>

#include "pipeline_bench.h"

/* Launch the runner lcore (worker 1's thread); pools[w]: worker w's mbufs.
 * Returns 0 or -1 (printed). */
int pipeline_multi_start(const struct bench_rig *rig, struct rte_mempool *const pools[BENCH_WMAX]);

/* One phase: worker 0 with flows fl0 (run0) and/or worker 1 with fl1 (run1),
 * total packets each, both at once when both run; then verified. Returns 0
 * or -1 (printed). */
int pipeline_multi_phase(const struct bench_rig *rig, const struct bench_stream *s,
			 struct bench_flows *fl0, struct bench_flows *fl1, bool run0, bool run1,
			 uint64_t total);

/* The slices of one direction (fl[w]: worker w's flows), reported as text
 * and a JSON row. Returns 0 or -1 (a check failed, printed). */
int pipeline_multi_run(const struct bench_rig *rig, const struct bench_stream *s,
		       struct bench_flows fl[BENCH_WMAX], uint64_t total, const char *dn);

/* Stop and join the runner lcore. */
void pipeline_multi_stop(const struct bench_rig *rig);

#endif /* IMSAGW_PIPELINE_MULTI_H */
