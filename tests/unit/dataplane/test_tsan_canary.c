/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The TSan build's canary (registered only when b_sanitize is thread, and
 * expected to fail): control writes a field of a flow record after it
 * published the record, while a worker lcore reads it through the flow
 * table. That is the bug RCU publication forbids (records are written
 * before they are published, never after), and the one the annotations of
 * dataplane/dp_tsan.h must not hide: if TSan stays silent here, `make
 * tsan` passing proves nothing. TSan's exit status (66) fails the test,
 * which meson expects.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_pause.h>
#include <rte_rcu_qsbr.h>

#include "dp_flow.h"
#include "dp_test_util.h"
#include "dp_tsan.h"

#define READER_LCORE 1

static struct rte_rcu_qsbr *qv;
static struct dp_flow_table *tab;
static struct dp_flow_key key;
static int stop;
static char lcore_done;
static uint64_t seen;

static int
reader_main(void *arg)
{
	const struct dp_flow_key *kp[1] = { &key };
	unsigned int lc = rte_lcore_id();
	struct dp_flow *f[1];
	uint64_t until = rte_get_timer_cycles() + 2 * rte_get_timer_hz();

	(void)arg;
	rte_rcu_qsbr_thread_register(qv, lc);
	rte_rcu_qsbr_thread_online(qv, lc);
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE) && rte_get_timer_cycles() < until) {
		if (dp_flow_lookup_bulk(tab, kp, 1, f) != 0)
			seen += f[0]->id; /* the racy read */
		rte_rcu_qsbr_quiescent(qv, lc);
		rte_pause();
	}
	rte_rcu_qsbr_thread_offline(qv, lc);
	rte_rcu_qsbr_thread_unregister(qv, lc);
	DP_TSAN_RELEASE(&lcore_done);
	return 0;
}

int
main(void)
{
	struct dp_flow *f;
	uint32_t i;

	if (dpt_eal_init("dpt_tsan_canary") < 0 || rte_lcore_is_enabled(READER_LCORE) == 0)
		return 2;
	qv = rte_zmalloc("qsbr", rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE), RTE_CACHE_LINE_SIZE);
	if (qv == NULL || rte_rcu_qsbr_init(qv, RTE_MAX_LCORE) != 0)
		return 2;
	tab = dp_flow_table_create("t_canary", 64, SOCKET_ID_ANY, qv);
	if (tab == NULL)
		return 2;
	key.family = 4;
	key.port_id = 1;
	key.local_port = rte_cpu_to_be_16(30000);
	key.local_addr[0] = 192;
	key.local_addr[3] = 1;
	f = dp_flow_alloc(NULL);
	if (f == NULL)
		return 2;
	f->key = key;
	f->id = 1;
	if (dp_flow_publish(tab, f) != 0)
		return 2;
	if (rte_eal_remote_launch(reader_main, NULL, READER_LCORE) != 0)
		return 2;
	/* The bug: writes into a published record. */
	for (i = 0; i < 200000; i++) {
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		f->id = i;
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	rte_eal_wait_lcore(READER_LCORE);
	DP_TSAN_ACQUIRE(&lcore_done);
	printf("reader saw ids summing to %llu\n", (unsigned long long)seen);
	dp_flow_unpublish(tab, &key);
	dp_flow_sync(tab);
	dp_flow_table_free(tab);
	rte_free(qv);
	rte_eal_cleanup();
	return 0;
}
