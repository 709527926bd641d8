/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_main: the data plane's life cycle (dp_create, dp_start, dp_stop,
 * dp_destroy), one worker iteration on the caller's thread
 * (dp_worker_run_once), statistics and worker events. Control only unless
 * noted.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "dp_log.h"
#include "dp_netns.h"
#include "dp_priv.h"
#include "dp_tsan.h"
#include "dp_worker.h"
#include "sec.h"

RTE_LOG_REGISTER(dp_logtype, imsagw.dataplane, NOTICE);

#define DP_DEFAULT_MBUFS 16383
#define DP_DEFAULT_FLOWS 65536
#define DP_POOL_CACHE 256

static void
dp_free_all(struct dp *dp)
{
	struct rte_mbuf *m;
	unsigned int i, j, r;

	for (i = 0; i < dp->n_workers; i++) {
		if (dp->workers[i] != NULL)
			sec_lcore_destroy(dp->workers[i]->sec);
		dp_lcore_free(dp->workers[i]);
		dp->workers[i] = NULL;
	}
	for (i = 0; i < DP_MAX_WORKERS; i++) {
		rte_ring_free(dp->ev_ring[i]);
		dp->ev_ring[i] = NULL;
		for (j = 0; j < DP_MAX_WORKERS; j++) {
			struct rte_ring *ring = dp->handoff[i][j];

			if (ring == NULL)
				continue;
			while (rte_ring_sc_dequeue(ring, (void **)&m) == 0)
				rte_pktmbuf_free(m);
			rte_ring_free(ring);
			dp->handoff[i][j] = NULL;
		}
	}
	if (dp->flows != NULL) {
		dp_flow_table_free(dp->flows);
		dp->flows = NULL;
	}
	for (r = 0; r < CFG_MAX_PORTS; r++) {
		dp_exc_close(&dp->ports[r]);
		dp_port_close(&dp->ports[r]);
	}
	dp_neigh_fini(dp);
	rte_free(dp->qsbr);
	dp->qsbr = NULL;
	rte_mempool_free(dp->pool);
	dp->pool = NULL;
	rte_free(dp);
}

static int
check_lcores(const struct cfg *cfg, char *err, size_t errlen)
{
	unsigned int i, j, l;

	if (cfg->lcores.n_media == 0 || cfg->lcores.n_media > DP_MAX_WORKERS) {
		snprintf(err, errlen, "lcores.media: %u workers (1..%u)", cfg->lcores.n_media,
			 DP_MAX_WORKERS);
		return -EINVAL;
	}
	for (i = 0; i < cfg->lcores.n_media; i++) {
		l = cfg->lcores.media[i];
		if (l >= RTE_MAX_LCORE || !rte_lcore_is_enabled(l) || l == rte_get_main_lcore()) {
			snprintf(err, errlen, "lcores.media: lcore %u is not an EAL worker lcore",
				 l);
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (cfg->lcores.media[j] == l) {
				snprintf(err, errlen, "lcores.media: lcore %u twice", l);
				return -EINVAL;
			}
		}
	}
	return 0;
}

static int
create_pool(struct dp *dp, const struct cfg *cfg, char *err, size_t errlen)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	uint32_t n = cfg->dataplane.mbufs ? cfg->dataplane.mbufs : DP_DEFAULT_MBUFS;
	uint32_t room = RTE_MBUF_DEFAULT_BUF_SIZE;
	unsigned int r;

	/* A frame of the largest MTU (plus Ethernet, two tags) in one
	 * segment: the rewrite works on single-segment mbufs. */
	for (r = 0; r < CFG_MAX_PORTS; r++) {
		uint32_t need = (uint32_t)cfg->ports[r].mtu + RTE_ETHER_HDR_LEN +
				2 * RTE_VLAN_HLEN + RTE_PKTMBUF_HEADROOM;

		if (cfg->ports[r].device[0] != '\0' && need > room)
			room = need;
	}
	snprintf(name, sizeof(name), "%s_pool", dp->name);
	dp->pool = rte_pktmbuf_pool_create(name, n, DP_POOL_CACHE, 0, (uint16_t)room, dp->socket);
	if (dp->pool == NULL) {
		snprintf(err, errlen, "mbuf pool of %u: %s", n, rte_strerror(rte_errno));
		return -rte_errno;
	}
	return 0;
}

static int
create_rings(struct dp *dp, char *err, size_t errlen)
{
	char name[RTE_RING_NAMESIZE];
	unsigned int i, j;

	for (i = 0; i < dp->n_workers; i++) {
		snprintf(name, sizeof(name), "%s_ev%hhx", dp->name, (unsigned char)i);
		dp->ev_ring[i] =
			rte_ring_create_elem(name, sizeof(struct dp_event), DP_EVENT_RING_SIZE,
					     dp->socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (dp->ev_ring[i] == NULL)
			goto fail;
		for (j = 0; j < dp->n_workers; j++) {
			if (i == j)
				continue;
			snprintf(name, sizeof(name), "%s_h%hhx_%hhx", dp->name, (unsigned char)i,
				 (unsigned char)j);
			dp->handoff[i][j] = rte_ring_create(name, DP_HANDOFF_RING_SIZE, dp->socket,
							    RING_F_SP_ENQ | RING_F_SC_DEQ);
			if (dp->handoff[i][j] == NULL)
				goto fail;
		}
	}
	return 0;
fail:
	snprintf(err, errlen, "ring %s: %s", name, rte_strerror(rte_errno));
	return -rte_errno;
}

struct dp *
dp_create(const struct cfg *cfg, char *err, size_t errlen)
{
	static unsigned int instance;
	char errbuf[CFG_ERR_MAX];
	struct dp *dp;
	size_t qsz;
	bool any_exc = false;
	unsigned int i, r;
	int rc;

	if (err == NULL || errlen == 0) {
		err = errbuf;
		errlen = sizeof(errbuf);
	}
	err[0] = '\0';
	if (cfg == NULL) {
		snprintf(err, errlen, "no configuration");
		return NULL;
	}
	if (check_lcores(cfg, err, errlen) < 0)
		return NULL;
	dp = rte_zmalloc("dp", sizeof(*dp), RTE_CACHE_LINE_SIZE);
	if (dp == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	dp->nl_fd = -1;
	dp->nl_ev_fd = -1;
	snprintf(dp->name, sizeof(dp->name), "dp%u", instance++ % 100000u);
	dp->socket = (int)rte_socket_id();
	dp->dpconf = cfg->dataplane;
	memcpy(dp->ports_conf, cfg->ports, sizeof(dp->ports_conf));
	memset(dp->slot_of_port, DP_NO_SLOT, sizeof(dp->slot_of_port));
	for (i = 0; i < RTE_MAX_LCORE; i++)
		dp->worker_of_lcore[i] = -1;
	dp->n_workers = cfg->lcores.n_media;
	for (i = 0; i < dp->n_workers; i++)
		dp->worker_of_lcore[cfg->lcores.media[i]] = (int16_t)i;

	if (create_pool(dp, cfg, err, errlen) < 0)
		goto fail;

	/* One QSBR thread id per media worker (its index); msrp workers
	 * will take the ids after them when they exist. */
	qsz = rte_rcu_qsbr_get_memsize(dp->n_workers);
	dp->qsbr = rte_zmalloc_socket("dp_qsbr", qsz, RTE_CACHE_LINE_SIZE, dp->socket);
	if (dp->qsbr == NULL || rte_rcu_qsbr_init(dp->qsbr, dp->n_workers)) {
		snprintf(err, errlen, "QSBR variable for %u workers", dp->n_workers);
		goto fail;
	}
	{
		char name[32];

		snprintf(name, sizeof(name), "%s_flows", dp->name);
		dp->flows = dp_flow_table_create(
			name, cfg->limits.max_flows ? cfg->limits.max_flows : DP_DEFAULT_FLOWS,
			dp->socket, dp->qsbr);
		if (dp->flows == NULL) {
			snprintf(err, errlen, "flow table: %s", rte_strerror(rte_errno));
			goto fail;
		}
	}

	for (r = 0; r < CFG_MAX_PORTS; r++) {
		const struct cfg_port *c = &dp->ports_conf[r];

		dp->ports[r].exc_port_id = UINT16_MAX;
		if (c->device[0] == '\0')
			continue;
		if ((unsigned int)c->role != r) {
			snprintf(err, errlen, "port %s: role %d in slot %u", c->device,
				 (int)c->role, r);
			goto fail;
		}
		rc = dp_port_setup(dp, &dp->ports[r], c, err, errlen);
		if (rc < 0)
			goto fail;
		if (c->exc_kind != CFG_EXC_NONE)
			any_exc = true;
	}
	if (!dp->ports[CFG_PORT_ACCESS].configured && !dp->ports[CFG_PORT_CORE].configured) {
		snprintf(err, errlen, "no port configured");
		goto fail;
	}

	/* The namespace and its netlink sockets only when the kernel is in
	 * the picture: a data plane without exception path (benchmarks,
	 * unit tests) needs no privileges for them. */
	if (any_exc) {
		if (dp_netns_ensure(dp->dpconf.netns, err, errlen) < 0)
			goto fail;
		if (dp_neigh_init(dp, err, errlen) < 0)
			goto fail;
		for (r = 0; r < CFG_MAX_PORTS; r++) {
			if (!dp->ports[r].configured)
				continue;
			if (dp_exc_setup(dp, &dp->ports[r], err, errlen) < 0)
				goto fail;
		}
	}

	if (create_rings(dp, err, errlen) < 0)
		goto fail;
	for (i = 0; i < dp->n_workers; i++) {
		dp->workers[i] = dp_lcore_create(dp, i, cfg->lcores.media[i]);
		if (dp->workers[i] == NULL) {
			snprintf(err, errlen, "worker context for lcore %u", cfg->lcores.media[i]);
			goto fail;
		}
		/* The worker's crypto context: its queue pair and scratch
		 * state, passed to sec_burst() (crypto/ keeps none per lcore
		 * of its own). */
		dp->workers[i]->sec = sec_lcore_create(cfg->lcores.media[i], &rc);
		if (dp->workers[i]->sec == NULL) {
			snprintf(err, errlen, "crypto context for lcore %u: %s",
				 cfg->lcores.media[i], strerror(-rc));
			goto fail;
		}
	}
	DP_LOG(NOTICE, "created: %u media workers, %u mbufs", dp->n_workers,
	       rte_mempool_avail_count(dp->pool));
	return dp;
fail:
	DP_LOG(ERR, "create: %s", err);
	dp_free_all(dp);
	return NULL;
}

int
dp_start(struct dp *dp)
{
	unsigned int i;
	int rc;

	if (dp->running)
		return -EALREADY;
	__atomic_store_n(&dp->stop, false, __ATOMIC_RELEASE);
	/* Media workers only. msrp workers (cfg->lcores.msrp) will be
	 * launched here, after these, with their own context (dp_worker.h). */
	for (i = 0; i < dp->n_workers; i++) {
		unsigned int l = dp_lcore_id(dp->workers[i]);

		rc = rte_eal_remote_launch(dp_lcore_main, dp->workers[i], l);
		if (rc != 0) {
			DP_LOG(ERR, "launch worker on lcore %u: %s", l, strerror(-rc));
			__atomic_store_n(&dp->stop, true, __ATOMIC_RELEASE);
			while (i-- > 0) {
				(void)rte_eal_wait_lcore(dp_lcore_id(dp->workers[i]));
				DP_TSAN_ACQUIRE(dp->workers[i]);
			}
			return rc;
		}
	}
	dp->running = true;
	return 0;
}

void
dp_stop(struct dp *dp)
{
	unsigned int i, r;

	if (dp == NULL)
		return;
	if (dp->running) {
		__atomic_store_n(&dp->stop, true, __ATOMIC_RELEASE);
		for (i = 0; i < dp->n_workers; i++) {
			(void)rte_eal_wait_lcore(dp_lcore_id(dp->workers[i]));
			DP_TSAN_ACQUIRE(dp->workers[i]);
		}
		dp->running = false;
	}
	for (r = 0; r < CFG_MAX_PORTS; r++) {
		dp_port_stop(&dp->ports[r]);
		dp_exc_stop(&dp->ports[r]);
	}
}

void
dp_destroy(struct dp *dp)
{
	if (dp == NULL)
		return;
	dp_stop(dp);
	/* The namespace stays: it may hold the operator's own state and is
	 * reused by the next start. */
	dp_free_all(dp);
}

int
dp_worker_run_once(struct dp *dp, unsigned int idx)
{
	struct dp_lcore *lc;
	uint64_t rx;

	if (dp == NULL || idx >= dp->n_workers)
		return -EINVAL;
	if (dp->running)
		return -EBUSY;
	lc = dp->workers[idx];
	rx = lc->stats.rx + lc->stats.from_exc;
	/* The same read section as one pass of dp_lcore_main(): online (a
	 * full barrier before the first table read), the pass, then offline
	 * rather than quiescent, because nothing tells us when the next
	 * call comes and a grace period must not wait for it. */
	rte_rcu_qsbr_thread_online(lc->qsbr, lc->idx);
	dp_lcore_iterate(lc);
	rte_rcu_qsbr_thread_offline(lc->qsbr, lc->idx);
	return (int)(lc->stats.rx + lc->stats.from_exc - rx);
}

struct dp_flow_table *
dp_flows(struct dp *dp)
{
	return dp->flows;
}

int
dp_port_info(const struct dp *dp, enum cfg_port_role role, struct dp_port_info *out)
{
	const struct dp_port *p;

	if ((unsigned int)role >= CFG_MAX_PORTS)
		return -ENODEV;
	p = &dp->ports[role];
	if (!p->configured)
		return -ENODEV;
	memset(out, 0, sizeof(*out));
	out->port_id = p->port_id;
	out->role = p->role;
	out->mac = p->mac;
	out->conf = p->conf;
	out->tx_ip_cksum = p->tx_ip_cksum;
	out->tx_udp_cksum = p->tx_udp_cksum;
	out->exc_port_id = p->has_exc ? p->exc_port_id : UINT16_MAX;
	return 0;
}

unsigned int
dp_worker_count(const struct dp *dp)
{
	return dp->n_workers;
}

int
dp_worker_stats(const struct dp *dp, unsigned int idx, unsigned int *lcore,
		struct dp_lcore_stats *out)
{
	if (idx >= dp->n_workers)
		return -ENOENT;
	if (lcore != NULL)
		*lcore = dp_lcore_id(dp->workers[idx]);
	dp_lcore_stats_read(dp->workers[idx], out);
	return 0;
}

void
dp_stats_total(const struct dp *dp, struct dp_lcore_stats *out)
{
	struct dp_lcore_stats s;
	unsigned int i, d;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < dp->n_workers; i++) {
		dp_lcore_stats_read(dp->workers[i], &s);
		out->rx += s.rx;
		out->tx += s.tx;
		out->to_exc += s.to_exc;
		out->from_exc += s.from_exc;
		out->handoff += s.handoff;
		for (d = 0; d < DP_DROP_MAX; d++)
			out->drops[d] += s.drops[d];
		out->busy_cycles += s.busy_cycles;
		out->busy_turns += s.busy_turns;
	}
}

const char *
dp_drop_name(enum dp_lcore_drop d)
{
	static const char *const names[DP_DROP_MAX] = {
		[DP_DROP_BAD] = "bad",           [DP_DROP_NO_FLOW] = "no_flow",
		[DP_DROP_NOT_OURS] = "not_ours", [DP_DROP_EXC_FULL] = "exc_full",
		[DP_DROP_TX_FULL] = "tx_full",   [DP_DROP_HANDOFF_FULL] = "handoff_full",
		[DP_DROP_VLAN] = "vlan",         [DP_DROP_EXC_POLICED] = "exc_policed",
		[DP_DROP_TCP_POLICED] = "tcp_policed", [DP_DROP_ND] = "nd",
	};

	if ((unsigned int)d >= DP_DROP_MAX || names[d] == NULL)
		return "unknown";
	return names[d];
}

const char *
dp_flow_drop_name(enum dp_flow_drop d)
{
	static const char *const names[DP_FLOW_DROP_MAX] = {
		[DP_FLOW_DROP_GATE] = "gate",
		[DP_FLOW_DROP_SRC] = "src_filter",
		[DP_FLOW_DROP_NO_NEIGH] = "no_neigh",
		[DP_FLOW_DROP_AUTH] = "auth",
		[DP_FLOW_DROP_REPLAY] = "replay",
		[DP_FLOW_DROP_XFORM] = "xform",
		[DP_FLOW_DROP_TX] = "tx",
	};

	if ((unsigned int)d >= DP_FLOW_DROP_MAX || names[d] == NULL)
		return "unknown";
	return names[d];
}

unsigned int
dp_events_poll(struct dp *dp, void (*cb)(const struct dp_event *ev, void *arg), void *arg)
{
	struct dp_event evs[32];
	unsigned int i, n, k, total = 0, rounds;

	for (i = 0; i < dp->n_workers; i++) {
		/* Bounded: at most one ring's worth per worker per call. */
		for (rounds = 0; rounds < DP_EVENT_RING_SIZE / 32; rounds++) {
			n = rte_ring_sc_dequeue_burst_elem(dp->ev_ring[i], evs, sizeof(evs[0]),
							   RTE_DIM(evs), NULL);
			for (k = 0; k < n; k++)
				cb(&evs[k], arg);
			total += n;
			if (n < RTE_DIM(evs))
				break;
		}
	}
	return total;
}
