/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flow table churn: control (main lcore) adds, replaces and deletes 100,000
 * flows while a worker lcore looks them up in bursts and "forwards" on what
 * it finds, reporting quiescent once per loop.
 *
 * Checked:
 *  - no packet is forwarded on a record once control has removed it
 *    (unpublish or replace) and dp_flow_sync() has returned: control then
 *    publishes, with release semantics, retired[id] = the lowest generation
 *    still valid; the worker compares the generation of every record it
 *    forwards on with retired[id] read after its lookup;
 *  - no record is used after its release (a magic in the record, wiped on
 *    release, is checked on every forward);
 *  - every record is released exactly once (per id and in total:
 *    releases == unpublished + replaced);
 *  - per-flow state survives replaces: the packets the worker counted in
 *    f->st equal, per id, what it forwarded (read when the state is freed);
 *  - the table is empty at the end.
 * The run is bounded in count (100,000 flows) and in time.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
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

#define WORKER_LCORE 1
#define N_IDS 100000u
#define WINDOW 4096u          /* ids live at once */
#define MAX_FLOWS 8192u
#define SYNC_EVERY 64u        /* control steps between dp_flow_sync() */
#define TIME_LIMIT_S 150      /* hard bound; normal runs take seconds */
#define BURST 64
#define MAX_GEN 3

static const uint8_t magic[8] = { 'D', 'P', 'C', 'H', 'U', 'R', 'N', '!' };

static struct rte_rcu_qsbr *qv;
static struct dp_flow_table *tab;

/* Shared between control and worker. */
static uint32_t *retired;      /* [N_IDS] W: control (release) */
static uint32_t cur_step;      /* W: control; the worker aims around it */
static uint32_t stop;          /* W: control */

/* W: worker; read by control after the worker stopped. */
static uint64_t *fwd;          /* [N_IDS] packets forwarded per id */
static uint64_t fwd_gen[MAX_GEN + 1];
static uint64_t w_loops, w_lookups, w_hits;
static uint64_t v_stale, v_uaf, v_key;

/* W: control only. */
static uint8_t *n_recs;        /* [N_IDS] records published per id */
static uint8_t *n_rel;         /* [N_IDS] records released per id */
static uint8_t *next_gen;      /* [N_IDS] */
static uint64_t *st_pkts;      /* [N_IDS] st->pkts when the state was freed */
static uint64_t c_published, c_replaced, c_unpublished, c_released;
static uint64_t c_release_bad;

static void
mk_key(uint32_t id, struct dp_flow_key *k)
{
	memset(k, 0, sizeof(*k));
	k->port_id = (uint16_t)(id & 1);
	k->family = (id & 2) ? 6 : 4;
	k->local_port = rte_cpu_to_be_16((uint16_t)(10000 + (id & 0x7fff)));
	k->local_addr[0] = 10;
	k->local_addr[1] = (uint8_t)(id >> 16);
	k->local_addr[2] = (uint8_t)(id >> 8);
	k->local_addr[3] = (uint8_t)id;
}

static inline uint32_t
rec_gen(const struct dp_flow *f)
{
	uint32_t g;

	memcpy(&g, f->remote_addr + 8, sizeof(g));
	return g;
}

static void
churn_release(struct dp_flow *f, bool last)
{
	uint32_t id = f->id;

	c_released++;
	if (memcmp(f->remote_addr, magic, sizeof(magic)) != 0 || id >= N_IDS) {
		c_release_bad++;
		return;
	}
	n_rel[id]++;
	if (last)
		st_pkts[id] += f->st->pkts;
}

static struct dp_flow *
mk_flow(uint32_t id, struct dp_flow_state *st)
{
	struct dp_flow *f = dp_flow_alloc(st);
	uint32_t g = next_gen[id]++;

	if (f == NULL)
		return NULL;
	mk_key(id, &f->key);
	f->id = id;
	f->owner_lcore = WORKER_LCORE;
	memcpy(f->remote_addr, magic, sizeof(magic));
	memcpy(f->remote_addr + 8, &g, sizeof(g));
	f->release = churn_release;
	return f;
}

/* TSan: the worker returning happens before rte_eal_wait_lcore() returns
 * (EAL's state word is not instrumented; dp_tsan.h). */
static char lcore_done;

static int
worker_main(void *arg)
{
	unsigned int lc = rte_lcore_id();
	struct dp_flow_key keys[BURST];
	const struct dp_flow_key *kp[BURST];
	struct dp_flow *fl[BURST];
	uint32_t ids[BURST];
	uint64_t x = 88172645463325252ull;
	unsigned int i;

	(void)arg;
	if (rte_rcu_qsbr_thread_register(qv, lc) != 0)
		return -1;
	rte_rcu_qsbr_thread_online(qv, lc);
	for (i = 0; i < BURST; i++)
		kp[i] = &keys[i];

	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		uint32_t c = __atomic_load_n(&cur_step, __ATOMIC_ACQUIRE);
		uint32_t lo = c > WINDOW + 512 ? c - WINDOW - 512 : 0;
		uint32_t span = c + 32 - lo;
		uint64_t hits, m;

		/* Keys of deleted, replaced, live and not-yet-added flows. */
		for (i = 0; i < BURST; i++) {
			uint32_t id;

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			id = lo + (uint32_t)(x % span);
			if (id >= N_IDS)
				id = N_IDS - 1 - (uint32_t)(x % 64);
			ids[i] = id;
			mk_key(id, &keys[i]);
		}
		hits = dp_flow_lookup_bulk(tab, kp, BURST, fl);
		w_lookups += BURST;
		for (m = hits; m != 0; m &= m - 1) {
			struct dp_flow *f = fl[__builtin_ctzll(m)];
			uint32_t id, g;

			if (memcmp(f->remote_addr, magic, sizeof(magic)) != 0) {
				v_uaf++;
				continue;
			}
			id = f->id;
			if (id != ids[__builtin_ctzll(m)] || id >= N_IDS) {
				v_key++;
				continue;
			}
			g = rec_gen(f);
			/* Read after the lookup: if control has already
			 * declared this generation dead (after its sync
			 * returned), we must not have found the record. */
			if (g < __atomic_load_n(&retired[id], __ATOMIC_ACQUIRE))
				v_stale++;
			/* "forward" */
			f->st->pkts++;
			fwd[id]++;
			fwd_gen[g <= MAX_GEN ? g : MAX_GEN]++;
			w_hits++;
		}
		w_loops++;
		rte_rcu_qsbr_quiescent(qv, lc);
	}
	rte_rcu_qsbr_thread_offline(qv, lc);
	rte_rcu_qsbr_thread_unregister(qv, lc);
	DP_TSAN_RELEASE(&lcore_done);
	return 0;
}

/* Removed generations waiting for the next sync: id -> lowest live gen. */
struct retire {
	uint32_t id;
	uint32_t gen;
};

static void
test_churn(void)
{
	static struct retire pend[4 * SYNC_EVERY];
	unsigned int n_pend = 0, i;
	uint64_t t0 = rte_get_timer_cycles();
	uint64_t limit = t0 + (uint64_t)TIME_LIMIT_S * rte_get_timer_hz();
	uint64_t ms, sum_fwd = 0, sum_st = 0;
	uint32_t step, id, bad_ids = 0;
	struct dp_flow_key k;
	bool timed_out = false;
	int rc;

	CU_ASSERT_EQUAL_FATAL(rte_eal_remote_launch(worker_main, NULL,
						    WORKER_LCORE), 0);

	for (step = 0; step < N_IDS + WINDOW; step++) {
		struct dp_flow *f;

		/* add */
		if (step < N_IDS) {
			f = mk_flow(step, NULL);
			CU_ASSERT_FATAL(f != NULL);
			rc = dp_flow_publish(tab, f);
			CU_ASSERT_EQUAL_FATAL(rc, 0);
			n_recs[step]++;
			c_published++;
		}
		/* replace: id % 4 == 0 never, == 3 twice; odd ids keep
		 * their state, even ids get a fresh one */
		for (i = 0; i < 2; i++) {
			uint32_t lag = i == 0 ? WINDOW / 2 : 3 * WINDOW / 4;
			struct dp_flow *old;

			if (step < lag || step - lag >= N_IDS)
				continue;
			id = step - lag;
			if (id % 4 == 0 || (i == 1 && id % 4 != 3))
				continue;
			mk_key(id, &k);
			old = dp_flow_lookup(tab, &k);
			CU_ASSERT_FATAL(old != NULL);
			f = mk_flow(id, (id & 1) ? old->st : NULL);
			CU_ASSERT_FATAL(f != NULL);
			CU_ASSERT_EQUAL_FATAL(dp_flow_publish(tab, f), 0);
			n_recs[id]++;
			c_replaced++;
			pend[n_pend].id = id;
			pend[n_pend].gen = rec_gen(f);
			n_pend++;
		}
		/* delete */
		if (step >= WINDOW && step - WINDOW < N_IDS) {
			id = step - WINDOW;
			mk_key(id, &k);
			CU_ASSERT_EQUAL_FATAL(dp_flow_unpublish(tab, &k), 0);
			c_unpublished++;
			pend[n_pend].id = id;
			pend[n_pend].gen = next_gen[id]; /* none left */
			n_pend++;
		}
		__atomic_store_n(&cur_step, step, __ATOMIC_RELEASE);

		if (step % SYNC_EVERY == SYNC_EVERY - 1 ||
		    step == N_IDS + WINDOW - 1) {
			dp_flow_sync(tab);
			for (i = 0; i < n_pend; i++)
				__atomic_store_n(&retired[pend[i].id],
						 pend[i].gen, __ATOMIC_RELEASE);
			n_pend = 0;
			if (rte_get_timer_cycles() > limit) {
				timed_out = true;
				break;
			}
		} else {
			dp_flow_reclaim(tab);
		}
	}
	/* Let the worker look a little longer at the empty table. */
	rte_delay_ms(20);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	CU_ASSERT_EQUAL(rte_eal_wait_lcore(WORKER_LCORE), 0);
	DP_TSAN_ACQUIRE(&lcore_done);
	dp_flow_sync(tab);
	ms = (rte_get_timer_cycles() - t0) * 1000 / rte_get_timer_hz();

	CU_ASSERT_FALSE(timed_out);
	CU_ASSERT_EQUAL(dp_flow_count(tab), 0);
	CU_ASSERT_EQUAL(dp_flow_pending(tab), 0);
	CU_ASSERT_EQUAL(c_published, N_IDS);
	CU_ASSERT_EQUAL(c_unpublished, N_IDS);
	CU_ASSERT_EQUAL(c_replaced, N_IDS); /* id%4: 0 never, 1 and 2 once, 3 twice */
	CU_ASSERT_EQUAL(c_released, c_unpublished + c_replaced);
	CU_ASSERT_EQUAL(c_release_bad, 0);
	for (id = 0; id < N_IDS; id++) {
		if (n_rel[id] != n_recs[id] || st_pkts[id] != fwd[id])
			bad_ids++;
		sum_fwd += fwd[id];
		sum_st += st_pkts[id];
	}
	CU_ASSERT_EQUAL(bad_ids, 0);
	CU_ASSERT_EQUAL(sum_fwd, sum_st);
	CU_ASSERT_EQUAL(sum_fwd, w_hits);
	CU_ASSERT_EQUAL(v_stale, 0);
	CU_ASSERT_EQUAL(v_uaf, 0);
	CU_ASSERT_EQUAL(v_key, 0);
	/* The test must have exercised something: hits on every generation
	 * and plenty of misses. */
	CU_ASSERT(w_loops > 1000);
	CU_ASSERT(fwd_gen[0] > 0 && fwd_gen[1] > 0 && fwd_gen[2] > 0);
	CU_ASSERT(w_hits < w_lookups);
	printf("\nchurn: %u ids, %" PRIu64 " published, %" PRIu64 " replaced, %"
	       PRIu64 " unpublished, %" PRIu64 " released in %" PRIu64 " ms; "
	       "worker %" PRIu64 " loops, %" PRIu64 " lookups, %" PRIu64
	       " forwarded (gen0 %" PRIu64 ", gen1 %" PRIu64 ", gen2 %" PRIu64
	       "); violations stale %" PRIu64 " uaf %" PRIu64 " key %" PRIu64 "\n",
	       N_IDS, c_published, c_replaced, c_unpublished, c_released, ms,
	       w_loops, w_lookups, w_hits, fwd_gen[0], fwd_gen[1], fwd_gen[2],
	       v_stale, v_uaf, v_key);
}

int
main(void)
{
	CU_pSuite s;
	size_t sz;
	int rc;

	if (dpt_eal_init("dpt_churn") < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 2;
	}
	if (rte_lcore_is_enabled(WORKER_LCORE) == 0)
		return 2;
	sz = rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE);
	qv = rte_zmalloc("qsbr", sz, RTE_CACHE_LINE_SIZE);
	if (qv == NULL || rte_rcu_qsbr_init(qv, RTE_MAX_LCORE) != 0)
		return 2;
	tab = dp_flow_table_create("t_churn", MAX_FLOWS, SOCKET_ID_ANY, qv);
	retired = calloc(N_IDS, sizeof(*retired));
	fwd = calloc(N_IDS, sizeof(*fwd));
	n_recs = calloc(N_IDS, 1);
	n_rel = calloc(N_IDS, 1);
	next_gen = calloc(N_IDS, 1);
	st_pkts = calloc(N_IDS, sizeof(*st_pkts));
	if (tab == NULL || retired == NULL || fwd == NULL || n_recs == NULL ||
	    n_rel == NULL || next_gen == NULL || st_pkts == NULL)
		return 2;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("dp_churn", NULL, NULL);
	CU_add_test(s, "churn", test_churn);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	rc = CU_get_number_of_failures() ? 1 : 0;
	CU_cleanup_registry();

	/* In case a fatal assertion left the worker running. */
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	rte_eal_mp_wait_lcore();
	DP_TSAN_ACQUIRE(&lcore_done);
	dp_flow_table_free(tab);
	free(retired);
	free(fwd);
	free(n_recs);
	free(n_rel);
	free(next_gen);
	free(st_pkts);
	rte_free(qv);
	rte_eal_cleanup();
	return rc;
}
