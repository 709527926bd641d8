/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_priv: the data plane object shared by dp_main.c, dp_port.c, dp_exc.c,
 * dp_neigh.c and dp_worker.c. Private to dataplane/.
 */
#ifndef IMSAGW_DP_PRIV_H
#define IMSAGW_DP_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "dp.h"

#define DP_MAX_WORKERS 16
#define DP_MAX_BURST 64
#define DP_EVENT_RING_SIZE 1024   /* per worker, to control */
#define DP_HANDOFF_RING_SIZE 1024 /* per (src, dst) worker pair */
#define DP_NO_SLOT 0xff

/* Port slots: a worker's TX buffers and the ingress metadata are indexed by
 * slot, never by ethdev id. */
enum dp_slot {
	DP_SLOT_ACCESS = CFG_PORT_ACCESS,
	DP_SLOT_CORE = CFG_PORT_CORE,
	DP_SLOT_EXC_ACCESS,
	DP_SLOT_EXC_CORE,
	DP_SLOT_MAX,
};

/* One data port and its exception interface. RO once dp_create() returns. */
struct dp_port {
	bool configured;
	bool probed; /* we probed the vdev: remove it on destroy */
	bool started;
	uint16_t port_id;
	uint16_t nb_queues; /* one RX and one TX queue per media worker */
	enum cfg_port_role role;
	struct rte_ether_addr mac;
	const struct cfg_port *conf; /* points into dp->ports_conf */
	bool tx_ip_cksum;
	bool tx_udp_cksum;
	bool hw_vlan_strip;  /* RX strip offload in use (STRIP mode) */
	bool hw_vlan_insert; /* TX insert offload in use (STRIP mode) */
	uint16_t vlan_tci;   /* STRIP: the tag we expect and push */

	/* Our addresses, network order, for the "is it for us" test. */
	uint32_t addr4[CFG_MAX_ADDRS];
	unsigned int n_addr4;
	uint8_t addr6[CFG_MAX_ADDRS][16];
	unsigned int n_addr6;

	/* Exception interface (UINT16_MAX when none). */
	bool has_exc;
	bool exc_probed;
	bool exc_started;
	uint16_t exc_port_id;
	int exc_ifindex;   /* in the dp namespace */
	char exc_name[64]; /* ethdev name, for rte_dev_remove */
};

struct dp_lcore;

struct dp {
	struct cfg_port ports_conf[CFG_MAX_PORTS]; /* copies: stable for
						    * dp_port_info().conf */
	struct cfg_dataplane dpconf;
	char name[12]; /* unique prefix of DPDK objects */
	int socket;

	struct rte_mempool *pool;
	struct rte_rcu_qsbr *qsbr;
	struct dp_flow_table *flows;
	struct dp_port ports[CFG_MAX_PORTS];
	uint8_t slot_of_port[RTE_MAX_ETHPORTS]; /* ethdev id -> slot */

	unsigned int n_workers;
	struct dp_lcore *workers[DP_MAX_WORKERS];
	int16_t worker_of_lcore[RTE_MAX_LCORE];   /* -1: not a media worker */
	struct rte_ring *ev_ring[DP_MAX_WORKERS]; /* worker -> control */
	/* handoff[src][dst]: SP (src worker) / SC (dst worker). */
	struct rte_ring *handoff[DP_MAX_WORKERS][DP_MAX_WORKERS];

	volatile bool stop; /* W: control */
	bool running;

	/* Exception path and neighbours (control only). */
	int nl_fd;    /* NETLINK_ROUTE requests, inside the dp netns */
	int nl_ev_fd; /* RTMGRP_NEIGH subscription, inside the dp netns */
	bool neigh_managed_refused;
};

/* dp_port.c */
int dp_port_setup(struct dp *dp, struct dp_port *p, const struct cfg_port *c, char *err,
		  size_t errlen);
void dp_port_stop(struct dp_port *p);
void dp_port_close(struct dp_port *p);

/* dp_exc.c */
int dp_exc_setup(struct dp *dp, struct dp_port *p, char *err, size_t errlen);
void dp_exc_stop(struct dp_port *p);
void dp_exc_close(struct dp_port *p);

/* dp_neigh.c */
int dp_neigh_init(struct dp *dp, char *err, size_t errlen);
void dp_neigh_fini(struct dp *dp);

/* dp_worker.c */
struct dp_lcore *dp_lcore_create(struct dp *dp, unsigned int idx, unsigned int lcore_id);
void dp_lcore_free(struct dp_lcore *lc);
int dp_lcore_main(void *arg);
void dp_lcore_stats_read(const struct dp_lcore *lc, struct dp_lcore_stats *out);
unsigned int dp_lcore_id(const struct dp_lcore *lc);

#endif /* IMSAGW_DP_PRIV_H */
