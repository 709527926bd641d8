/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_worker: the media worker's per-lcore context and poll loop. Private to
 * dataplane/.
 *
 * One struct dp_lcore per media worker, allocated cache-aligned on the
 * worker's socket by dp_create() and handed to dp_lcore_main() by
 * rte_eal_remote_launch(). Everything the loop touches hangs off it: no
 * global arrays indexed by lcore id.
 *
 * msrp workers (cfg->lcores.msrp) will get a context and main function of
 * their own beside this one (dp_msrp.c); dp_start() launches them after the
 * media workers. They share the QSBR variable (thread ids after the media
 * workers') and reach the kernel's TCP through the exception interfaces,
 * not through these queues.
 */
#ifndef IMSAGW_DP_WORKER_H
#define IMSAGW_DP_WORKER_H

#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>

#include "dp_addr.h"
#include "dp_priv.h"
#include "sec.h"

#define DP_TXBUF 64

/* One TX queue of one port, buffered. W: owner lcore. */
struct dp_txq {
	uint16_t port_id;
	uint16_t queue;
	uint16_t n;
	unsigned int ol; /* enum dp_rewrite_ol */
	struct rte_mbuf *pkts[DP_TXBUF];
	struct dp_flow_state *st[DP_TXBUF]; /* flow of each packet or
					     * NULL: TX drops count there */
};

/* One RX queue the worker polls. RO after create. */
struct dp_rxq {
	uint16_t port_id;
	uint16_t queue;
	uint8_t slot; /* enum dp_slot of the data port */
	uint8_t exc;  /* the exception interface of that port */
};

/*
 * A token bucket in packets, refilled from the TSC. Each worker owns one per
 * port and class: the port's configured rate and burst are split evenly
 * across the media workers (rate / n per worker, burst / n, at least 1), so
 * no two lcores share a bucket and nothing is locked or atomic. With RSS
 * spreading a flood over every queue the port's total is the configured
 * one; a flood that lands on one queue gets that worker's share only.
 * W: owner lcore.
 */
struct dp_policer {
	uint64_t period; /* TSC cycles per token; 0: no limit */
	uint64_t tau;    /* (burst - 1) periods: how far tat may run ahead */
	uint64_t tat;    /* GCRA's theoretical arrival time of the next
			  * packet, TSC */
};

/* The policers of one port. */
enum dp_pol_class {
	DP_POL_EXC = 0, /* ARP, ND, ICMP, fragments, other UDP/TCP */
	DP_POL_TCP,     /* TCP to the port's MSRP range: bearer, own budget */
	DP_POL_MAX,
};

struct dp_lcore {
	/* RO after dp_create() */
	struct dp *dp;
	unsigned int idx; /* worker index, QSBR thread id */
	unsigned int lcore_id;
	uint16_t burst;
	struct rte_rcu_qsbr *qsbr;
	const struct dp_flow_table *flows;
	const struct dp_port *port[CFG_MAX_PORTS]; /* NULL: not configured */
	struct dp_addr_set addrs[CFG_MAX_PORTS];   /* port[slot]'s addresses */
	unsigned int n_rxq;
	struct dp_rxq rxq[DP_SLOT_MAX];
	struct rte_ring *ev_ring;                  /* to control */
	struct rte_ring *in_ring[DP_MAX_WORKERS];  /* from worker j, or NULL */
	struct rte_ring *out_ring[DP_MAX_WORKERS]; /* to worker j, or NULL */
	const int16_t *worker_of_lcore;            /* dp->worker_of_lcore */
	/* this lcore's crypto context (queue pair, crypto ops, scratch):
	 * made and destroyed by dp_main.c on the control thread, passed to
	 * every sec_burst() of the loop */
	struct sec_lcore *sec;

	/* W: owner lcore */
	struct dp_txq txq[DP_SLOT_MAX]; /* by enum dp_slot */
	uint16_t ip_id;
	struct dp_policer pol[CFG_MAX_PORTS][DP_POL_MAX]; /* by data slot */

	/* W: owner lcore; read by control without locks. */
	struct dp_lcore_stats stats __rte_cache_aligned;
} __rte_cache_aligned;

/* One iteration of the poll loop (RX, transforms, TX flush) on the calling
 * thread; dp_lcore_main() runs it until dp_stop(). Also the in-process
 * benchmark's entry (dp_worker_run_once()). */
void dp_lcore_iterate(struct dp_lcore *lc);

#endif /* IMSAGW_DP_WORKER_H */
