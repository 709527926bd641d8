/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for dataplane/dp_flow.c on one thread: the table's contract. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "dp_flow.h"
#include "dp_test_util.h"

#define MAX_REL 4096

static struct rte_rcu_qsbr *qv;

/* What release saw, in order. */
static struct {
	uint32_t id;
	bool last;
	struct dp_flow_state *st;
} rel[MAX_REL];
static unsigned int n_rel;

static void
rec_release(struct dp_flow *f, bool last)
{
	if (n_rel < MAX_REL) {
		rel[n_rel].id = f->id;
		rel[n_rel].last = last;
		rel[n_rel].st = f->st;
	}
	n_rel++;
}

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

static struct dp_flow *
mk_flow(uint32_t key_id, uint32_t id, struct dp_flow_state *st)
{
	struct dp_flow *f = dp_flow_alloc(st);

	CU_ASSERT_FATAL(f != NULL);
	mk_key(key_id, &f->key);
	f->id = id;
	f->release = rec_release;
	return f;
}

static struct dp_flow_table *
mk_table(const char *name, uint32_t max)
{
	struct dp_flow_table *t = dp_flow_table_create(name, max, SOCKET_ID_ANY, qv);

	CU_ASSERT_FATAL(t != NULL);
	n_rel = 0;
	return t;
}

static void
test_create_bad(void)
{
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(dp_flow_table_create("x", 0, SOCKET_ID_ANY, qv));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(dp_flow_table_create("x", 10, SOCKET_ID_ANY, NULL));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	dp_flow_table_free(NULL);
	dp_flow_free_unpublished(NULL);
}

static void
test_basic(void)
{
	struct dp_flow_table *t = mk_table("t_basic", 64);
	struct dp_flow *a, *b, *c;
	struct dp_flow_key k;
	struct dp_flow_state *st;

	a = mk_flow(1, 100, NULL);
	CU_ASSERT_PTR_NOT_NULL(a->st);
	CU_ASSERT(a->st_own);
	CU_ASSERT_EQUAL(dp_flow_publish(t, a), 0);
	CU_ASSERT_FALSE(a->st_own);
	CU_ASSERT_EQUAL(dp_flow_count(t), 1);
	CU_ASSERT_EQUAL(dp_flow_pending(t), 0);
	mk_key(1, &k);
	CU_ASSERT_PTR_EQUAL(dp_flow_lookup(t, &k), a);
	mk_key(2, &k);
	CU_ASSERT_PTR_NULL(dp_flow_lookup(t, &k));
	/* publishing the same record again is refused */
	CU_ASSERT_EQUAL(dp_flow_publish(t, a), -EINVAL);

	/* replace sharing the state: release(old, false), state survives */
	st = a->st;
	st->pkts = 77;
	b = mk_flow(1, 101, st);
	CU_ASSERT_FALSE(b->st_own);
	CU_ASSERT_EQUAL(dp_flow_publish(t, b), 0);
	CU_ASSERT_EQUAL(dp_flow_count(t), 1);
	CU_ASSERT_EQUAL(dp_flow_pending(t), 1);
	mk_key(1, &k);
	CU_ASSERT_PTR_EQUAL(dp_flow_lookup(t, &k), b);
	CU_ASSERT_EQUAL(n_rel, 0); /* nothing before reclaim */
	CU_ASSERT_EQUAL(dp_flow_reclaim(t), 1); /* no readers: grace is over */
	CU_ASSERT_EQUAL(n_rel, 1);
	CU_ASSERT_EQUAL(rel[0].id, 100);
	CU_ASSERT_FALSE(rel[0].last);
	CU_ASSERT_PTR_EQUAL(rel[0].st, st);
	CU_ASSERT_EQUAL(b->st->pkts, 77);
	CU_ASSERT_EQUAL(dp_flow_pending(t), 0);

	/* replace with a fresh state: release(old, true) */
	c = mk_flow(1, 102, NULL);
	CU_ASSERT_EQUAL(dp_flow_publish(t, c), 0);
	dp_flow_sync(t);
	CU_ASSERT_EQUAL(n_rel, 2);
	CU_ASSERT_EQUAL(rel[1].id, 101);
	CU_ASSERT(rel[1].last);
	CU_ASSERT_EQUAL(c->st->pkts, 0);

	/* delete */
	mk_key(1, &k);
	CU_ASSERT_EQUAL(dp_flow_unpublish(t, &k), 0);
	CU_ASSERT_EQUAL(dp_flow_count(t), 0);
	CU_ASSERT_PTR_NULL(dp_flow_lookup(t, &k));
	CU_ASSERT_EQUAL(dp_flow_pending(t), 1);
	CU_ASSERT_EQUAL(dp_flow_unpublish(t, &k), -ENOENT);
	dp_flow_sync(t);
	CU_ASSERT_EQUAL(n_rel, 3);
	CU_ASSERT_EQUAL(rel[2].id, 102);
	CU_ASSERT(rel[2].last);
	CU_ASSERT_EQUAL(dp_flow_pending(t), 0);
	CU_ASSERT_EQUAL(dp_flow_reclaim(t), 0);

	/* invalid: bad family, no state */
	a = mk_flow(3, 103, NULL);
	a->key.family = 5;
	CU_ASSERT_EQUAL(dp_flow_publish(t, a), -EINVAL);
	a->key.family = 4;
	st = a->st;
	a->st = NULL;
	CU_ASSERT_EQUAL(dp_flow_publish(t, a), -EINVAL);
	a->st = st;
	CU_ASSERT_EQUAL(dp_flow_count(t), 0);
	dp_flow_free_unpublished(a); /* frees its own state (ASan checks) */
	CU_ASSERT_EQUAL(n_rel, 3);   /* release is not called */

	dp_flow_table_free(t);
}

/* Freeing the table with a replaced record still pending that shares its
 * state with the live one: the old one goes first with last == false, the
 * state is freed once (ASan would see a double free). */
static void
test_free_pending_shared(void)
{
	struct dp_flow_table *t = mk_table("t_fps", 8);
	struct dp_flow *a = mk_flow(1, 1, NULL);

	CU_ASSERT_EQUAL(dp_flow_publish(t, a), 0);
	CU_ASSERT_EQUAL(dp_flow_publish(t, mk_flow(1, 2, a->st)), 0);
	CU_ASSERT_EQUAL(dp_flow_publish(t, mk_flow(2, 3, NULL)), 0);
	CU_ASSERT_EQUAL(dp_flow_pending(t), 1);
	dp_flow_table_free(t);
	CU_ASSERT_EQUAL(n_rel, 3);
	CU_ASSERT_EQUAL(rel[0].id, 1);
	CU_ASSERT_FALSE(rel[0].last);
	CU_ASSERT(rel[1].last);
	CU_ASSERT(rel[2].last);
	CU_ASSERT_EQUAL(rel[1].id + rel[2].id, 5);
}

static void
test_bulk(void)
{
	struct dp_flow_table *t = mk_table("t_bulk", 256);
	struct dp_flow_key keys[64];
	const struct dp_flow_key *kp[64];
	struct dp_flow *pub[64], *out[64];
	uint64_t m, expect = 0;
	unsigned int i, ok = 1;

	for (i = 0; i < 64; i++) {
		mk_key(i, &keys[i]);
		kp[i] = &keys[i];
		pub[i] = NULL;
		if (i % 3 == 0 || i == 63) {
			pub[i] = mk_flow(i, 1000 + i, NULL);
			CU_ASSERT_EQUAL_FATAL(dp_flow_publish(t, pub[i]), 0);
			expect |= UINT64_C(1) << i;
		}
	}
	for (i = 0; i < 64; i++)
		out[i] = (struct dp_flow *)(uintptr_t)0xdead; /* must be overwritten */
	m = dp_flow_lookup_bulk(t, kp, 64, out);
	CU_ASSERT_EQUAL(m, expect);
	for (i = 0; i < 64; i++)
		if (out[i] != pub[i])
			ok = 0;
	CU_ASSERT(ok);

	/* n < 64: bits above n are never set */
	m = dp_flow_lookup_bulk(t, kp, 7, out);
	CU_ASSERT_EQUAL(m, (UINT64_C(1) << 0) | (UINT64_C(1) << 3) |
			   (UINT64_C(1) << 6));
	CU_ASSERT_PTR_NULL(out[1]);
	CU_ASSERT_PTR_EQUAL(out[6], pub[6]);
	CU_ASSERT_EQUAL(dp_flow_lookup_bulk(t, kp, 0, out), 0);

	/* all misses */
	for (i = 0; i < 64; i++)
		mk_key(5000 + i, &keys[i]);
	CU_ASSERT_EQUAL(dp_flow_lookup_bulk(t, kp, 64, out), 0);
	for (i = 0; i < 64; i++)
		if (out[i] != NULL)
			ok = 0;
	CU_ASSERT(ok);
	dp_flow_table_free(t);
	CU_ASSERT_EQUAL(n_rel, 22); /* 0,3,..,63 */
}

static void
test_full(void)
{
	struct dp_flow_table *t = mk_table("t_full", 16);
	struct dp_flow *f;
	struct dp_flow_key k;
	unsigned int i;

	for (i = 0; i < 16; i++)
		CU_ASSERT_EQUAL(dp_flow_publish(t, mk_flow(i, i, NULL)), 0);
	CU_ASSERT_EQUAL(dp_flow_count(t), 16);
	f = mk_flow(16, 16, NULL);
	CU_ASSERT_EQUAL(dp_flow_publish(t, f), -ENOSPC);
	CU_ASSERT_EQUAL(dp_flow_count(t), 16);
	/* a replace needs no new entry: still fine when full */
	CU_ASSERT_EQUAL(dp_flow_publish(t, mk_flow(5, 55, NULL)), 0);
	CU_ASSERT_EQUAL(dp_flow_count(t), 16);
	/* after a delete there is room again, even before reclaim */
	mk_key(0, &k);
	CU_ASSERT_EQUAL(dp_flow_unpublish(t, &k), 0);
	CU_ASSERT_EQUAL(dp_flow_publish(t, f), 0);
	CU_ASSERT_EQUAL(dp_flow_count(t), 16);
	CU_ASSERT_EQUAL(dp_flow_pending(t), 2);
	/* many delete/add cycles: slots are recycled through reclaim */
	for (i = 0; i < 2000; i++) {
		mk_key(16 + i, &k);
		CU_ASSERT_EQUAL_FATAL(dp_flow_unpublish(t, &k), 0);
		CU_ASSERT_EQUAL_FATAL(dp_flow_publish(t, mk_flow(17 + i, 17 + i, NULL)), 0);
		if (i % 50 == 0)
			dp_flow_reclaim(t);
	}
	CU_ASSERT_EQUAL(dp_flow_count(t), 16);
	dp_flow_sync(t);
	CU_ASSERT_EQUAL(n_rel, 2 + 2000);
	dp_flow_table_free(t);
	CU_ASSERT_EQUAL(n_rel, 2 + 2000 + 16);
}

static int
sum_cb(const struct dp_flow *f, void *arg)
{
	uint64_t *s = arg;

	s[0] += f->id;
	s[1]++;
	return 0;
}

static int
stop_cb(const struct dp_flow *f, void *arg)
{
	unsigned int *n = arg;

	(void)f;
	return ++(*n) == 3 ? 42 : 0;
}

static void
test_iterate(void)
{
	struct dp_flow_table *t = mk_table("t_iter", 128);
	struct dp_flow_key k;
	uint64_t s[2] = { 0, 0 };
	unsigned int i, n = 0;

	for (i = 0; i < 100; i++)
		CU_ASSERT_EQUAL(dp_flow_publish(t, mk_flow(i, i + 1, NULL)), 0);
	for (i = 0; i < 100; i += 2) {
		mk_key(i, &k);
		CU_ASSERT_EQUAL(dp_flow_unpublish(t, &k), 0);
	}
	/* deleted ones are invisible at once, before their grace period */
	CU_ASSERT_EQUAL(dp_flow_iterate(t, sum_cb, s), 0);
	CU_ASSERT_EQUAL(s[1], 50);
	CU_ASSERT_EQUAL(s[0], 2550); /* 2 + 4 + ... + 100 */
	CU_ASSERT_EQUAL(dp_flow_count(t), 50);
	CU_ASSERT_EQUAL(dp_flow_iterate(t, stop_cb, &n), 42);
	CU_ASSERT_EQUAL(n, 3);
	/* pending records are released by free too */
	CU_ASSERT_EQUAL(dp_flow_pending(t), 50);
	dp_flow_table_free(t);
	CU_ASSERT_EQUAL(n_rel, 100);
}

/* A reader (qsbr thread 7) online that has not reported, flows 1 and 2
 * published, and flow 1 replaced 64 times sharing its state: t's defer
 * queue of 64 is full. @return flow 1's state. */
static struct dp_flow_state *
fill_defer(struct dp_flow_table *t)
{
	struct dp_flow *f = mk_flow(1, 0, NULL);
	struct dp_flow_state *st = f->st;
	unsigned int i;

	CU_ASSERT_EQUAL(rte_rcu_qsbr_thread_register(qv, 7), 0);
	rte_rcu_qsbr_thread_online(qv, 7);
	CU_ASSERT_EQUAL(dp_flow_publish(t, f), 0);
	CU_ASSERT_EQUAL(dp_flow_publish(t, mk_flow(2, 0, NULL)), 0);
	for (i = 1; i <= 64; i++)
		CU_ASSERT_EQUAL(dp_flow_publish(t, mk_flow(1, i, st)), 0);
	CU_ASSERT_EQUAL(dp_flow_pending(t), 64);
	return st;
}

/* A reader that never reports quiescent blocks reclaim; the defer queue
 * fills and publish/unpublish say -EBUSY (after their bounded wait)
 * instead of losing a record. */
static void
test_grace_busy(void)
{
	struct dp_flow_table *t = mk_table("t_busy", 64); /* queue of 64 */
	struct dp_flow_state *st;
	struct dp_flow *f;
	struct dp_flow_key k;
	unsigned int i;

	st = fill_defer(t);
	CU_ASSERT_EQUAL(dp_flow_reclaim(t), 0);
	f = mk_flow(1, 65, st);
	CU_ASSERT_EQUAL(dp_flow_publish(t, f), -EBUSY);
	mk_key(2, &k);
	CU_ASSERT_EQUAL(dp_flow_unpublish(t, &k), -EBUSY);
	CU_ASSERT_EQUAL(dp_flow_count(t), 2);
	CU_ASSERT_EQUAL(n_rel, 0);
	/* the reader reports: everything goes */
	rte_rcu_qsbr_quiescent(qv, 7);
	CU_ASSERT_EQUAL(dp_flow_publish(t, f), 0); /* reclaims by itself */
	CU_ASSERT_EQUAL(dp_flow_unpublish(t, &k), 0);
	CU_ASSERT_EQUAL(n_rel, 64);
	rte_rcu_qsbr_thread_offline(qv, 7);
	rte_rcu_qsbr_thread_unregister(qv, 7);
	dp_flow_sync(t);
	CU_ASSERT_EQUAL(n_rel, 66);
	for (i = 0; i < 64; i++)
		CU_ASSERT_FALSE(rel[i].last); /* all shared st */
	CU_ASSERT(rel[65].last);
	dp_flow_table_free(t);
	CU_ASSERT_EQUAL(n_rel, 67);
}

static void *
late_reader(void *arg)
{
	(void)arg;
	rte_delay_us_sleep(20000);
	rte_rcu_qsbr_quiescent(qv, 7);
	return NULL;
}

/* A reader only late (a worker descheduled for 20 ms while control removes
 * a burst of flows): publish and unpublish wait for it instead of failing,
 * and the replaced and removed records go after it reported. */
static void
test_grace_late(void)
{
	struct dp_flow_table *t = mk_table("t_late", 64); /* queue of 64 */
	struct dp_flow_state *st;
	struct dp_flow_key k;
	pthread_t th;
	uint64_t t0, us;
	unsigned int i;

	st = fill_defer(t);
	CU_ASSERT_EQUAL_FATAL(pthread_create(&th, NULL, late_reader, NULL), 0);
	t0 = rte_get_timer_cycles();
	CU_ASSERT_EQUAL(dp_flow_publish(t, mk_flow(1, 65, st)), 0);
	us = (rte_get_timer_cycles() - t0) * 1000000 / rte_get_timer_hz();
	pthread_join(th, NULL);
	CU_ASSERT(us >= 15000); /* it did wait for the reader */
	CU_ASSERT_EQUAL(n_rel, 64);
	/* Full again, and the reader late again: unpublish waits too. */
	for (i = 66; i < 66 + 63; i++)
		CU_ASSERT_EQUAL(dp_flow_publish(t, mk_flow(1, i, st)), 0);
	CU_ASSERT_EQUAL(dp_flow_pending(t), 64);
	CU_ASSERT_EQUAL_FATAL(pthread_create(&th, NULL, late_reader, NULL), 0);
	mk_key(2, &k);
	CU_ASSERT_EQUAL(dp_flow_unpublish(t, &k), 0);
	pthread_join(th, NULL);
	CU_ASSERT_PTR_NULL(dp_flow_lookup(t, &k));
	CU_ASSERT_EQUAL(dp_flow_count(t), 1);
	rte_rcu_qsbr_thread_offline(qv, 7);
	rte_rcu_qsbr_thread_unregister(qv, 7);
	dp_flow_sync(t);
	dp_flow_table_free(t);
	CU_ASSERT_EQUAL(n_rel, 130);
}

static size_t
heap_used(void)
{
	return dpt_heap_used(NULL);
}

/* What one flow costs in DPDK memory: record + state (with allocator
 * overhead) + its share of the hash (sized for max_flows plus as many
 * pending deletes) + its defer queue entry. The project budget is 1.5 KB
 * per flow including crypto state. */
static void
test_memory(void)
{
	const uint32_t n = 65536;
	struct dp_flow_table *t;
	size_t h0, h1, h2;
	uint32_t i;
	bool ok = true;

	h0 = heap_used();
	t = mk_table("t_mem", n);
	h1 = heap_used();
	for (i = 0; i < n && ok; i++)
		ok = dp_flow_publish(t, mk_flow(i, i, NULL)) == 0;
	CU_ASSERT(ok);
	h2 = heap_used();
	printf("\nmemory for %u flows: table %zu B (%zu B/flow), records+state "
	       "%zu B (%zu B/flow), total %zu B/flow\n", n, h1 - h0,
	       (h1 - h0) / n, h2 - h1, (h2 - h1) / n, (h2 - h0) / n);
	CU_ASSERT((h2 - h0) / n <= 1024);
	dp_flow_table_free(t);
	CU_ASSERT_EQUAL(heap_used(), h0);
}

static void
test_sizes(void)
{
	printf("\nsizeof(struct dp_flow) = %zu, sizeof(struct dp_flow_state) = %zu, "
	       "sizeof(struct dp_flow_key) = %zu\n", sizeof(struct dp_flow),
	       sizeof(struct dp_flow_state), sizeof(struct dp_flow_key));
	CU_ASSERT_EQUAL(sizeof(struct dp_flow_key), 24);
	CU_ASSERT(sizeof(struct dp_flow) <= 256);
	CU_ASSERT_EQUAL(sizeof(struct dp_flow_state), 128);
}

int
main(void)
{
	CU_pSuite s;
	size_t sz;
	int rc;

	if (dpt_eal_init("dpt_flow") < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 2;
	}
	sz = rte_rcu_qsbr_get_memsize(16);
	qv = rte_zmalloc("qsbr", sz, RTE_CACHE_LINE_SIZE);
	if (qv == NULL || rte_rcu_qsbr_init(qv, 16) != 0)
		return 2;
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("dp_flow", NULL, NULL);
	CU_add_test(s, "create_bad", test_create_bad);
	CU_add_test(s, "basic", test_basic);
	CU_add_test(s, "free_pending_shared", test_free_pending_shared);
	CU_add_test(s, "bulk", test_bulk);
	CU_add_test(s, "full", test_full);
	CU_add_test(s, "iterate", test_iterate);
	CU_add_test(s, "grace_busy", test_grace_busy);
	CU_add_test(s, "grace_late", test_grace_late);
	CU_add_test(s, "sizes", test_sizes);
	CU_add_test(s, "memory", test_memory);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	rc = CU_get_number_of_failures() ? 1 : 0;
	CU_cleanup_registry();
	rte_free(qv);
	rte_eal_cleanup();
	return rc;
}
