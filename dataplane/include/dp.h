/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dataplane: ports, exception path, media workers, the flow table.
 *
 * This header (with dp_flow.h and dp_pkt.h, which it includes) is the
 * dataplane module's whole public API.
 *
 * Life cycle, all on the control thread after rte_eal_init():
 *   dp_create(cfg) -> dp_start() -> [control loop runs] -> dp_stop() -> dp_destroy()
 * or, without worker threads (benchmarks, tests):
 *   dp_create(cfg) -> dp_worker_run_once() ... -> dp_destroy()
 */
#ifndef IMSAGW_DP_H
#define IMSAGW_DP_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

#include "cfg.h"
#include "dp_flow.h"
#include "dp_pkt.h"

struct dp;

/* What control needs to know about a port to build flows. */
struct dp_port_info {
	uint16_t port_id;
	enum cfg_port_role role;
	struct rte_ether_addr mac;
	const struct cfg_port *conf;   /* addresses, ranges, vlan */
	bool tx_ip_cksum;              /* offloads control may set in flows */
	bool tx_udp_cksum;
	uint16_t exc_port_id;          /* UINT16_MAX without an exception path */
};

/* Per-lcore drop reasons for packets that matched no flow. */
enum dp_lcore_drop {
	DP_DROP_BAD = 0,         /* malformed / truncated */
	DP_DROP_NO_FLOW,         /* UDP to a media port with no flow (the gate) */
	DP_DROP_NOT_OURS,        /* not addressed to us */
	DP_DROP_EXC_FULL,        /* exception interface could not take it */
	DP_DROP_TX_FULL,
	DP_DROP_HANDOFF_FULL,    /* owner lcore's ring full */
	DP_DROP_VLAN,            /* wrong VLAN id */
	DP_DROP_EXC_POLICED,     /* exception traffic over its port's budget
				  * (ports.*.exception_rate) */
	DP_DROP_TCP_POLICED,     /* TCP to the port's MSRP range over its own
				  * budget (ports.*.exception_tcp_rate) */
	DP_DROP_ND,              /* ND the kernel must not see: RA, Redirect
				  * or RS on the access port, NS/NA not for
				  * our addresses, hop limit not 255 */
	DP_DROP_MAX,
};

struct dp_lcore_stats {
	uint64_t rx;
	uint64_t tx;
	uint64_t to_exc;         /* packets sent to the kernel */
	uint64_t from_exc;       /* packets the kernel sent out */
	uint64_t handoff;        /* packets passed to another lcore */
	uint64_t drops[DP_DROP_MAX];
	/* The worker's load: TSC cycles (rte_get_tsc_hz()) of the loop turns
	 * that handled at least one packet (from a port, the kernel or another
	 * worker), from before the first RX poll to after the TX flush, and
	 * how many such turns. Over an interval, busy_cycles / rx is the
	 * cycles a received packet cost, I/O included (testpmd's
	 * --record-core-cycles, VPP's clocks per packet), busy_cycles / TSC
	 * time the share of the core that packets took (the rest is empty
	 * polls), and rx / busy_turns the mean burst (the configured burst
	 * when RX queues stay full). */
	uint64_t busy_cycles;
	uint64_t busy_turns;
};

/* Events a worker sends to control over its SP/SC ring. */
enum dp_event_type {
	DP_EV_LATCH = 1,         /* first valid packet of a DP_FLOW_F_LATCH flow */
};

struct dp_event {
	enum dp_event_type type;
	uint32_t flow_id;
	struct dp_flow_key key;
	uint8_t family;
	uint8_t src_addr[16];
	uint16_t src_port;       /* network order */
};

/*
 * Create the data plane: packet pool, ports (queues, RSS, offloads), the
 * exception interfaces in cfg->dataplane.netns (created if missing), the QSBR
 * variable and the flow table, and the per-lcore contexts of the media
 * workers. Ports are started. Control only.
 * @return the data plane or NULL; err says why.
 */
struct dp *dp_create(const struct cfg *cfg, char *err, size_t errlen);

/* Launch the media workers on their lcores. @return 0 or -errno. */
int dp_start(struct dp *dp);

/* Ask the workers to stop, wait for them, then stop the ports. */
void dp_stop(struct dp *dp);

/* Free everything dp_create() made (flows are released). */
void dp_destroy(struct dp *dp);

/*
 * Run one iteration of media worker idx's poll loop on the calling thread:
 * RX a burst from each of its queues, the handoff rings other workers fill
 * for it, the transforms, the TX flush (nothing stays buffered when it
 * returns). For benchmarks and tests that drive the worker path themselves;
 * the workers must not have been launched with dp_start().
 *
 * QSBR: the call puts worker idx's thread id online on entry and offline
 * on return, so a flow removed between two calls is never waited for, and
 * dp_flow_sync() on the same thread cannot deadlock. It costs one full
 * barrier per call (the running loop pays one per dp_start() instead).
 *
 * Control thread only (the thread that owns dp). Not after dp_stop(): that
 * stops the ports (their RX then returns nothing and logs an error).
 * @return the number of packets received from worker idx's RX queues (data
 *         ports and exception interfaces; packets handed over by other
 *         workers are processed but not counted), 0 when there were none,
 *         -EINVAL (dp NULL or idx >= dp_worker_count()), or -EBUSY (the
 *         workers run: dp_start() without dp_stop()).
 */
int dp_worker_run_once(struct dp *dp, unsigned int idx);

struct dp_flow_table *dp_flows(struct dp *dp);

/* Port by role. @return 0, or -ENODEV when that port is not configured. */
int dp_port_info(const struct dp *dp, enum cfg_port_role role,
		 struct dp_port_info *out);

/* Sum or per-lcore statistics. Any thread (single-writer counters). */
void dp_stats_total(const struct dp *dp, struct dp_lcore_stats *out);
unsigned int dp_worker_count(const struct dp *dp);
int dp_worker_stats(const struct dp *dp, unsigned int idx, unsigned int *lcore,
		    struct dp_lcore_stats *out);
const char *dp_drop_name(enum dp_lcore_drop d);
const char *dp_flow_drop_name(enum dp_flow_drop d);

/* Drain worker events; cb is called for each. Control only.
 * @return number of events. */
unsigned int dp_events_poll(struct dp *dp,
			    void (*cb)(const struct dp_event *ev, void *arg),
			    void *arg);

/*
 * Egress template for a flow leaving through `out` toward remote:port from
 * local:port, to link address dst_mac (NULL: not known yet, the flow gets
 * DP_FLOW_F_NO_NEIGH; a non-NULL one clears it). local_port and remote_port
 * are in host order. The VLAN tag is pushed when out->conf->vlan_mode is
 * CFG_VLAN_STRIP. Call before publishing f. Control only.
 * @return 0 or -EINVAL (family not configured on the port, local and remote
 *         of different families, bad vlan_id).
 */
int dp_flow_set_egress(struct dp_flow *f, const struct dp_port_info *out,
		       const struct cfg_ip *local, uint16_t local_port,
		       const struct cfg_ip *remote, uint16_t remote_port,
		       const struct rte_ether_addr *dst_mac);

/*
 * Next hop and its link address toward `remote` on port `role`: static
 * neighbours first, then the kernel's neighbour table in the data plane's
 * namespace. When the kernel does not know it yet, resolution is started
 * (a managed neighbour entry) and -EAGAIN returned; dp_neigh_fd() becomes
 * readable when the table changes. Control only.
 * @return 0 with mac filled, -EAGAIN, -ENETUNREACH (no route on that port,
 *         or the port is not configured), -EHOSTUNREACH (no static neighbour
 *         and the port has no exception path to ask the kernel), -EINVAL
 *         (family), or another -errno from netlink.
 */
int dp_neigh_resolve(struct dp *dp, enum cfg_port_role role,
		     const struct cfg_ip *remote, struct rte_ether_addr *mac);

/* A netlink socket fd to poll for neighbour changes, and its handler; the
 * handler returns how many neighbours changed (control then re-resolves the
 * flows marked DP_FLOW_F_NO_NEIGH), or -errno. dp_neigh_fd() is -1 when no
 * port has an exception path. Control only. */
int dp_neigh_fd(const struct dp *dp);
int dp_neigh_process(struct dp *dp);

#endif /* IMSAGW_DP_H */
