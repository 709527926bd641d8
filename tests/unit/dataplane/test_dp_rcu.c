/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_flow RCU: a reader lcore holding a flow pointer keeps the record alive
 * until it reports quiescent; after that the record is released and what it
 * referred to is zeroized.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

#define READER_LCORE 1
#define SECRET_LEN 46  /* an AES-256 key + salt, say */

enum cmd {
	CMD_RUN = 0,    /* look up and report quiescent every iteration */
	CMD_HOLD,       /* look up once, hold the pointer, do not report */
	CMD_HOLD_TIMED, /* as HOLD, then report by itself after 100 ms */
	CMD_STOP,
};

static struct rte_rcu_qsbr *qv;
static struct dp_flow_table *tab;
static struct dp_flow_key key;

static int cmd;                     /* W: main */
static uint32_t seq;                /* W: main; a new command */
static uint32_t ack;                /* W: reader; seq it holds for */
static uint32_t reported;           /* W: reader; seq it released */
static uint32_t expect_id;          /* W: main */
static uint64_t reader_bad;         /* W: reader; held record changed */
static struct dp_flow *held;        /* W: reader */

/* Release records what it saw. The secret buffer belongs to the test; the
 * release callback must zeroize it, like control zeroizes session keys. */
static uint8_t secret[SECRET_LEN];
static unsigned int n_rel;
static bool rel_last;
static bool rel_key_intact;
static uint32_t rel_id;

static void
rcu_release(struct dp_flow *f, bool last)
{
	rel_key_intact = memcmp(&f->key, &key, sizeof(key)) == 0;
	rel_id = f->id;
	rel_last = last;
	if (f->sec != NULL)
		explicit_bzero((void *)f->sec, SECRET_LEN);
	__atomic_add_fetch(&n_rel, 1, __ATOMIC_RELEASE);
}

/* TSan: the worker returning happens before rte_eal_wait_lcore() returns
 * (EAL's state word is not instrumented; dp_tsan.h). */
static char lcore_done;

static int
reader_main(void *arg)
{
	unsigned int lc = rte_lcore_id();
	uint32_t done = 0;

	(void)arg;
	if (rte_rcu_qsbr_thread_register(qv, lc) != 0)
		return -1;
	rte_rcu_qsbr_thread_online(qv, lc);
	for (;;) {
		int c = __atomic_load_n(&cmd, __ATOMIC_ACQUIRE);
		uint32_t s = __atomic_load_n(&seq, __ATOMIC_ACQUIRE);

		if (c == CMD_STOP)
			break;
		if ((c == CMD_HOLD || c == CMD_HOLD_TIMED) && s != done) {
			struct dp_flow *f = dp_flow_lookup(tab, &key);
			uint64_t until = rte_get_timer_cycles() +
					 rte_get_timer_hz() / 10;

			held = f;
			__atomic_store_n(&ack, s, __ATOMIC_RELEASE);
			/* One "loop iteration" that lasts until told: the
			 * record must stay intact all along. */
			for (;;) {
				if (f == NULL || f->id != expect_id ||
				    f->st == NULL)
					reader_bad++;
				if (c == CMD_HOLD &&
				    __atomic_load_n(&cmd, __ATOMIC_ACQUIRE) != CMD_HOLD)
					break;
				if (c == CMD_HOLD_TIMED &&
				    rte_get_timer_cycles() > until)
					break;
				rte_pause();
			}
			done = s;
			__atomic_store_n(&reported, s, __ATOMIC_RELEASE);
		}
		rte_rcu_qsbr_quiescent(qv, lc);
		rte_pause();
	}
	rte_rcu_qsbr_thread_offline(qv, lc);
	rte_rcu_qsbr_thread_unregister(qv, lc);
	DP_TSAN_RELEASE(&lcore_done);
	return 0;
}

static bool
wait_u32(uint32_t *p, uint32_t v, unsigned int ms)
{
	uint64_t until = rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;

	while (__atomic_load_n(p, __ATOMIC_ACQUIRE) != v) {
		if (rte_get_timer_cycles() > until)
			return false;
		rte_pause();
	}
	return true;
}

static struct dp_flow *
mk_flow(uint32_t id, struct dp_flow_state *st)
{
	struct dp_flow *f = dp_flow_alloc(st);

	CU_ASSERT_FATAL(f != NULL);
	f->key = key;
	f->id = id;
	/* The table never looks into sec: the test's buffer stands in for a
	 * crypto session. */
	f->sec = (struct sec_session *)(void *)secret;
	f->release = rcu_release;
	return f;
}

static uint32_t
hold(int c, uint32_t id)
{
	uint32_t s = seq + 1;

	expect_id = id;
	__atomic_store_n(&cmd, c, __ATOMIC_RELEASE);
	__atomic_store_n(&seq, s, __ATOMIC_RELEASE);
	CU_ASSERT_FATAL(wait_u32(&ack, s, 5000));
	return s;
}

static bool
all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != 0)
			return false;
	return true;
}

static void
test_delete_held(void)
{
	struct dp_flow *f;
	struct dp_flow_key kcopy;
	uint32_t s;
	uint64_t until;
	unsigned int got = 0, i;

	memset(secret, 0xa5, sizeof(secret));
	n_rel = 0;
	f = mk_flow(42, NULL);
	CU_ASSERT_EQUAL_FATAL(dp_flow_publish(tab, f), 0);
	s = hold(CMD_HOLD, 42);
	CU_ASSERT_PTR_EQUAL(held, f);

	CU_ASSERT_EQUAL(dp_flow_unpublish(tab, &key), 0);
	CU_ASSERT_PTR_NULL(dp_flow_lookup(tab, &key));
	/* The reader has not reported: nothing may be released, however
	 * often control polls. */
	for (i = 0; i < 20; i++) {
		got += dp_flow_reclaim(tab);
		usleep(5000);
	}
	CU_ASSERT_EQUAL(got, 0);
	CU_ASSERT_EQUAL(__atomic_load_n(&n_rel, __ATOMIC_ACQUIRE), 0);
	CU_ASSERT_EQUAL(dp_flow_pending(tab), 1);
	CU_ASSERT_EQUAL(f->id, 42);
	CU_ASSERT_EQUAL(memcmp(&f->key, &key, sizeof(key)), 0);
	CU_ASSERT_PTR_EQUAL(f->sec, secret);
	CU_ASSERT_EQUAL(secret[0], 0xa5);
	CU_ASSERT_EQUAL(secret[SECRET_LEN - 1], 0xa5);
	CU_ASSERT_FALSE(all_zero(f, sizeof(*f)));

	/* Let the reader go: it reports, the record is released. */
	__atomic_store_n(&cmd, CMD_RUN, __ATOMIC_RELEASE);
	CU_ASSERT(wait_u32(&reported, s, 5000));
	until = rte_get_timer_cycles() + 5 * rte_get_timer_hz();
	while (got == 0 && rte_get_timer_cycles() < until)
		got += dp_flow_reclaim(tab);
	CU_ASSERT_EQUAL(got, 1);
	CU_ASSERT_EQUAL(n_rel, 1);
	CU_ASSERT(rel_last);
	CU_ASSERT_EQUAL(rel_id, 42);
	CU_ASSERT(rel_key_intact); /* released before it was wiped */
	CU_ASSERT_EQUAL(dp_flow_pending(tab), 0);
	CU_ASSERT(all_zero(secret, sizeof(secret)));
	/* The record's memory is still mapped (DPDK heap; nothing returns it
	 * to the OS under --no-huge): its key and secret pointer are zero.
	 * Note that rte_free() also clears freed memory in 22.11, so this
	 * check holds with or without dp_flow's own explicit_bzero; the
	 * secret buffer above is the discriminating check. */
	memcpy(&kcopy, (const void *)&f->key, sizeof(kcopy));
	CU_ASSERT(all_zero(&kcopy, sizeof(kcopy)));
	CU_ASSERT_PTR_NULL(*(void *volatile *)&f->sec);
	CU_ASSERT_EQUAL(__atomic_load_n(&reader_bad, __ATOMIC_ACQUIRE), 0);
}

static void
test_replace_held(void)
{
	struct dp_flow *a, *b;
	struct dp_flow_state *st;
	uint32_t s;
	uint64_t until;
	unsigned int got = 0, i;

	memset(secret, 0x5a, sizeof(secret));
	n_rel = 0;
	a = mk_flow(7, NULL);
	st = a->st;
	CU_ASSERT_EQUAL_FATAL(dp_flow_publish(tab, a), 0);
	s = hold(CMD_HOLD, 7);
	CU_ASSERT_PTR_EQUAL(held, a);
	b = mk_flow(8, st);
	b->sec = NULL;
	CU_ASSERT_EQUAL(dp_flow_publish(tab, b), 0);
	CU_ASSERT_PTR_EQUAL(dp_flow_lookup(tab, &key), b);
	for (i = 0; i < 10; i++) {
		got += dp_flow_reclaim(tab);
		usleep(5000);
	}
	CU_ASSERT_EQUAL(got, 0);
	CU_ASSERT_EQUAL(n_rel, 0);
	CU_ASSERT_EQUAL(a->id, 7);
	CU_ASSERT_EQUAL(secret[3], 0x5a);
	__atomic_store_n(&cmd, CMD_RUN, __ATOMIC_RELEASE);
	CU_ASSERT(wait_u32(&reported, s, 5000));
	until = rte_get_timer_cycles() + 5 * rte_get_timer_hz();
	while (got == 0 && rte_get_timer_cycles() < until)
		got += dp_flow_reclaim(tab);
	CU_ASSERT_EQUAL(got, 1);
	CU_ASSERT_EQUAL(rel_id, 7);
	CU_ASSERT_FALSE(rel_last);   /* the state lives on in b */
	CU_ASSERT(all_zero(secret, sizeof(secret)));
	st->pkts++;                  /* still ours: ASan would see a UAF */
	CU_ASSERT_EQUAL(b->st->pkts, 1);
	/* the live one stays */
	CU_ASSERT_PTR_EQUAL(dp_flow_lookup(tab, &key), b);
	CU_ASSERT_EQUAL(dp_flow_unpublish(tab, &key), 0);
	dp_flow_sync(tab);
	CU_ASSERT_EQUAL(n_rel, 2);
	CU_ASSERT(rel_last);
	CU_ASSERT_EQUAL(__atomic_load_n(&reader_bad, __ATOMIC_ACQUIRE), 0);
}

/* dp_flow_sync() returns only after the reader has reported. */
static void
test_sync_waits(void)
{
	struct dp_flow *f;
	uint32_t s;
	uint64_t t0, dt;

	n_rel = 0;
	memset(secret, 0x11, sizeof(secret));
	f = mk_flow(9, NULL);
	CU_ASSERT_EQUAL_FATAL(dp_flow_publish(tab, f), 0);
	s = hold(CMD_HOLD_TIMED, 9);
	t0 = rte_get_timer_cycles();
	CU_ASSERT_EQUAL(dp_flow_unpublish(tab, &key), 0);
	dp_flow_sync(tab);
	dt = rte_get_timer_cycles() - t0;
	CU_ASSERT_EQUAL(__atomic_load_n(&reported, __ATOMIC_ACQUIRE), s);
	CU_ASSERT_EQUAL(n_rel, 1);
	CU_ASSERT(all_zero(secret, sizeof(secret)));
	CU_ASSERT_EQUAL(dp_flow_pending(tab), 0);
	/* the reader held for 100 ms; allow for its start-up jitter */
	CU_ASSERT(dt * 1000 / rte_get_timer_hz() >= 50);
	__atomic_store_n(&cmd, CMD_RUN, __ATOMIC_RELEASE);
}

int
main(void)
{
	CU_pSuite s;
	size_t sz;
	int rc;

	if (dpt_eal_init("dpt_rcu") < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 2;
	}
	if (rte_lcore_is_enabled(READER_LCORE) == 0) {
		fprintf(stderr, "lcore %d not enabled\n", READER_LCORE);
		return 2;
	}
	sz = rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE);
	qv = rte_zmalloc("qsbr", sz, RTE_CACHE_LINE_SIZE);
	if (qv == NULL || rte_rcu_qsbr_init(qv, RTE_MAX_LCORE) != 0)
		return 2;
	tab = dp_flow_table_create("t_rcu", 64, SOCKET_ID_ANY, qv);
	if (tab == NULL)
		return 2;
	key.family = 4;
	key.port_id = 1;
	key.local_port = rte_cpu_to_be_16(30000);
	key.local_addr[0] = 192;
	key.local_addr[1] = 0;
	key.local_addr[2] = 2;
	key.local_addr[3] = 10;
	if (rte_eal_remote_launch(reader_main, NULL, READER_LCORE) != 0)
		return 2;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("dp_rcu", NULL, NULL);
	CU_add_test(s, "delete_held", test_delete_held);
	CU_add_test(s, "replace_held", test_replace_held);
	CU_add_test(s, "sync_waits", test_sync_waits);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	rc = CU_get_number_of_failures() ? 1 : 0;
	CU_cleanup_registry();

	__atomic_store_n(&cmd, CMD_STOP, __ATOMIC_RELEASE);
	if (rte_eal_wait_lcore(READER_LCORE) != 0)
		rc = 1;
	DP_TSAN_ACQUIRE(&lcore_done);
	dp_flow_table_free(tab);
	rte_free(qv);
	rte_eal_cleanup();
	return rc;
}
