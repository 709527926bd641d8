/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_msrp with its workers on EAL lcores: commands through the rings, events
 * back, close waiting for the worker's acknowledgement. One worker on lcore
 * 1: the 4 MB TCP relay and a TLS leg. Two workers (lcore 2 shares CPU 1 on
 * a two-core box): legs opened on different workers and joined, so one
 * moves over first; bytes still exact. A worker stalled for 300 ms (a
 * signal handler that sleeps on its thread, "rte-worker-1"): close returns
 * after its bounded wait, join says -EBUSY, and both finish once the worker
 * is back.
 */
#include <signal.h>
#include <sys/syscall.h>

#include <CUnit/Basic.h>

#include <rte_eal.h>
#include <rte_lcore.h>

#include "msrp_tls_test.h"

static struct mt_cert gw_cert, ue_cert;
static struct sec_tls *gw_tls;

static struct mt *
lc_new(unsigned int n_workers, const unsigned int *lcores)
{
	struct dp_msrp_conf c = mt_conf();

	c.n_workers = n_workers;
	c.lcores = lcores;
	c.tls = gw_tls;
	return mt_new(&c);
}

/* a <-> b byte for byte, n each way, from clients ca (TLS when ssl) and cb. */
/* Legs open, once closes a worker was slow to acknowledge are reclaimed
 * (dp_msrp_events does it; on a loaded box a worker may miss 100 ms). */
static uint32_t
lc_legs(struct mt *t)
{
	struct dp_msrp_totals tot;
	uint64_t end = mt_now_ms() + MT_WAIT_MS;

	do {
		mt_pump(t);
		dp_msrp_totals(t->m, &tot);
	} while (tot.legs != 0 && mt_now_ms() < end);
	return tot.legs;
}

static void
lc_relay(struct mt *t, uint32_t a, uint32_t b, int ca, SSL *ssl, int cb, size_t n)
{
	struct dp_msrp_leg_stats sa, sb;
	struct mt_end ea, eb;
	uint8_t *da = mt_pattern(n, 101), *db = mt_pattern(n, 102);

	mt_end_init(&ea, ca, da, n, n, 7);
	ea.ssl = ssl;
	mt_end_init(&eb, cb, db, n, n, 8);
	CU_ASSERT(mt_xfer(t, &ea, &eb, n, n, false, 60000));
	CU_ASSERT(mt_same(eb.in, eb.in_len, da, n));
	CU_ASSERT(mt_same(ea.in, ea.in_len, db, n));
	CU_ASSERT_EQUAL(dp_msrp_leg_close(t->m, a, &sa), 0);
	CU_ASSERT_EQUAL(sa.bytes_in, n);
	CU_ASSERT_EQUAL(sa.bytes_out, n);
	CU_ASSERT_EQUAL(dp_msrp_leg_close(t->m, b, &sb), 0);
	CU_ASSERT_EQUAL(sb.bytes_in, n);
	CU_ASSERT_EQUAL(sb.bytes_out, n);
	mt_end_fini(&ea);
	mt_end_fini(&eb);
	free(da);
	free(db);
}

static void
test_one_worker(void)
{
	static const unsigned int lcores[] = {1};
	unsigned int fds0 = mt_fd_count();
	struct mt *t = lc_new(1, lcores);
	struct dp_msrp_leg_spec sa = mt_spec(DP_MSRP_PASSIVE, "127.0.0.1");
	struct dp_msrp_leg_spec sb = mt_spec(DP_MSRP_PASSIVE, "127.0.0.1");
	struct dp_msrp_totals tot;
	SSL_CTX *ctx = mt_ue_ctx(&ue_cert, false);
	uint32_t a, b;
	int ca, cb;
	SSL *ssl = NULL;

	CU_ASSERT_FATAL(t != NULL && ctx != NULL);
	CU_ASSERT_EQUAL(dp_msrp_fd(t->m), -1);
	CU_ASSERT_FATAL(mt_open(t, &sa, 1, &a) == 0);
	CU_ASSERT_FATAL(mt_open(t, &sb, 2, &b) == 0);
	CU_ASSERT_EQUAL(dp_msrp_join(t->m, a, b), 0);
	ca = mt_connect(NULL, sa.local_port);
	cb = mt_connect(NULL, sb.local_port);
	CU_ASSERT(mt_wait_ev(t, a, DP_MSRP_EV_UP, MT_WAIT_MS, NULL));
	CU_ASSERT(mt_wait_ev(t, b, DP_MSRP_EV_UP, MT_WAIT_MS, NULL));
	lc_relay(t, a, b, ca, NULL, cb, 4u << 20);
	close(ca);
	close(cb);

	/* A TLS leg: the handshake on the worker's thread. */
	sa = mt_spec(DP_MSRP_PASSIVE, "127.0.0.1");
	sa.tls = true;
	sa.n_fp = 1;
	sa.fp[0] = ue_cert.fp;
	sb = mt_spec(DP_MSRP_PASSIVE, "127.0.0.1");
	CU_ASSERT_FATAL(mt_open(t, &sa, 3, &a) == 0);
	CU_ASSERT_FATAL(mt_open(t, &sb, 4, &b) == 0);
	CU_ASSERT_EQUAL(dp_msrp_join(t->m, a, b), 0);
	cb = mt_connect(NULL, sb.local_port);
	ca = mt_connect(NULL, sa.local_port);
	CU_ASSERT_FATAL(ca >= 0 && mt_handshake(t, ctx, ca, false, &ssl, MT_WAIT_MS) == 1);
	CU_ASSERT(mt_wait_ev(t, a, DP_MSRP_EV_UP, MT_WAIT_MS, NULL));
	CU_ASSERT(mt_wait_ev(t, b, DP_MSRP_EV_UP, MT_WAIT_MS, NULL));
	lc_relay(t, a, b, ca, ssl, cb, 1u << 20);
	dp_msrp_totals(t->m, &tot);
	CU_ASSERT_EQUAL(tot.handshakes, 1);
	CU_ASSERT_EQUAL(lc_legs(t), 0);
	SSL_free(ssl);
	close(ca);
	close(cb);
	SSL_CTX_free(ctx);
	mt_free(t);
	CU_ASSERT_EQUAL(mt_fd_count(), fds0);
}

static void
test_two_workers(void)
{
	static const unsigned int lcores[] = {1, 2};
	struct mt *t = lc_new(2, lcores);
	struct dp_msrp_leg_spec s[3];
	struct dp_msrp_totals tot;
	uint32_t l[3];
	unsigned int i;
	int ca, cc;

	CU_ASSERT_FATAL(t != NULL);
	/* Opens go to the workers two by two: l[0], l[1] on one, l[2] on the
	 * other; joining l[0] and l[2] moves l[2] over. */
	for (i = 0; i < 3; i++) {
		s[i] = mt_spec(DP_MSRP_PASSIVE, "127.0.0.1");
		CU_ASSERT_FATAL(mt_open(t, &s[i], i, &l[i]) == 0);
	}
	CU_ASSERT_EQUAL(dp_msrp_join(t->m, l[0], l[2]), 0);
	ca = mt_connect(NULL, s[0].local_port);
	cc = mt_connect(NULL, s[2].local_port);
	CU_ASSERT(mt_wait_ev(t, l[0], DP_MSRP_EV_UP, MT_WAIT_MS, NULL));
	CU_ASSERT(mt_wait_ev(t, l[2], DP_MSRP_EV_UP, MT_WAIT_MS, NULL));
	dp_msrp_totals(t->m, &tot);
	CU_ASSERT_EQUAL(tot.up, 2);
	lc_relay(t, l[0], l[2], ca, NULL, cc, 1u << 20);
	CU_ASSERT_EQUAL(dp_msrp_leg_close(t->m, l[1], NULL), 0);
	CU_ASSERT_EQUAL(lc_legs(t), 0);
	dp_msrp_totals(t->m, &tot);
	CU_ASSERT_EQUAL(tot.up, 0);
	close(ca);
	close(cc);
	mt_free(t);
}

/* ---- a worker slower than control's bounded waits ---------------------------- */

static void
stall(int sig)
{
	struct timespec ts = {.tv_sec = 0, .tv_nsec = 300 * 1000 * 1000};

	(void)sig;
	nanosleep(&ts, NULL); /* on the worker's thread: it stops for 300 ms */
}

/* The kernel thread id of an EAL worker lcore (DPDK 22.11 names it
 * "rte-worker-N"). */
static pid_t
lcore_tid(unsigned int lcore)
{
	char want[32], path[300], comm[32];
	struct dirent *e;
	pid_t tid = -1;
	DIR *d;

	snprintf(want, sizeof(want), "rte-worker-%u\n", lcore);
	d = opendir("/proc/self/task");
	while (d != NULL && (e = readdir(d)) != NULL && tid < 0) {
		FILE *f;

		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		if (fgets(comm, sizeof(comm), f) != NULL && strcmp(comm, want) == 0)
			tid = (pid_t)atoi(e->d_name);
		fclose(f);
	}
	if (d != NULL)
		closedir(d);
	return tid;
}

/* Close and join while the worker does not answer: close returns after its
 * 100 ms with the counters, join says -EBUSY; both finish once the worker
 * is back (the limbo, reclaimed by dp_msrp_events). */
static void
test_slow_worker(void)
{
	static const unsigned int lcores[] = {1, 2};
	struct mt *t = lc_new(2, lcores);
	struct dp_msrp_leg_spec s[3];
	struct dp_msrp_leg_stats st;
	struct dp_msrp_totals tot;
	pid_t tid = lcore_tid(1);
	uint64_t t0, dt;
	uint32_t l[3];
	unsigned int i;
	int ca, cb, cc;

	CU_ASSERT_FATAL(t != NULL && tid > 0);
	signal(SIGUSR1, stall);
	for (i = 0; i < 3; i++) { /* l[0], l[1] on lcore 1; l[2] on lcore 2 */
		s[i] = mt_spec(DP_MSRP_PASSIVE, "127.0.0.1");
		CU_ASSERT_FATAL(mt_open(t, &s[i], i, &l[i]) == 0);
	}
	ca = mt_connect(NULL, s[0].local_port);
	CU_ASSERT(mt_wait_ev(t, l[0], DP_MSRP_EV_UP, MT_WAIT_MS, NULL));
	CU_ASSERT_FATAL(syscall(SYS_tgkill, getpid(), tid, SIGUSR1) == 0);
	usleep(20000);
	t0 = mt_now_ms();
	CU_ASSERT_EQUAL(dp_msrp_leg_close(t->m, l[0], &st), 0);
	dt = mt_now_ms() - t0;
	CU_ASSERT(dt >= 90 && dt < 1000);
	CU_ASSERT_EQUAL(st.conns, 1);
	CU_ASSERT_EQUAL(dp_msrp_leg_stats(t->m, l[0], &st), -ENOENT);
	/* l[1] must move to lcore 2 to join l[2]: its worker does not let go. */
	CU_ASSERT_EQUAL(dp_msrp_join(t->m, l[2], l[1]), -EBUSY);
	CU_ASSERT_EQUAL(dp_msrp_leg_modify(t->m, l[1], &s[1]), -EBUSY);
	dp_msrp_totals(t->m, &tot);
	CU_ASSERT_EQUAL(tot.legs, 3); /* l[0] not reclaimed yet */
	mt_run(t, 400);
	{
		uint64_t end = mt_now_ms() + MT_WAIT_MS;

		do {
			mt_pump(t);
			dp_msrp_totals(t->m, &tot);
		} while (tot.legs != 2 && mt_now_ms() < end);
	}
	CU_ASSERT_EQUAL(tot.legs, 2);
	{
		uint8_t b[8];
		uint64_t end = mt_now_ms() + MT_WAIT_MS;
		ssize_t r;

		while ((r = mt_recv_now(ca, b, sizeof(b))) == -EAGAIN && mt_now_ms() < end)
			mt_pump(t);
		CU_ASSERT_EQUAL(r, 0); /* closed for real, with FIN */
	}
	/* l[1] is on lcore 2 now: the join goes through, bytes flow. */
	CU_ASSERT_EQUAL(dp_msrp_join(t->m, l[2], l[1]), 0);
	cb = mt_connect(NULL, s[1].local_port);
	cc = mt_connect(NULL, s[2].local_port);
	CU_ASSERT(mt_wait_ev(t, l[1], DP_MSRP_EV_UP, MT_WAIT_MS, NULL));
	CU_ASSERT(mt_wait_ev(t, l[2], DP_MSRP_EV_UP, MT_WAIT_MS, NULL));
	lc_relay(t, l[2], l[1], cc, NULL, cb, 256u << 10);
	CU_ASSERT_EQUAL(lc_legs(t), 0);
	signal(SIGUSR1, SIG_DFL);
	close(ca);
	close(cb);
	close(cc);
	mt_free(t);
}

int
main(void)
{
	char fp[64];
	char *argv[] = {
		(char *)"test_dp_msrp_lcore", (char *)"--no-huge", (char *)"-m", (char *)"256",
		(char *)"--no-pci", (char *)"--no-shconf", fp, (char *)"--lcores=0@0,1@1,2@1",
		(char *)"--log-level=*:error", NULL,
	};
	CU_pSuite s;
	unsigned int f;

	signal(SIGPIPE, SIG_IGN); /* as the gateway does (dp_msrp.h) */
	snprintf(fp, sizeof(fp), "--file-prefix=dpmsrp%d", (int)getpid());
	if (rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv) < 0) {
		fprintf(stderr, "rte_eal_init failed\n");
		return 1;
	}
	gw_tls = mt_gw_tls(&gw_cert);
	if (gw_tls == NULL || mt_cert_make(&ue_cert, "ue") != 0)
		return 1;
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("dp_msrp_lcore", NULL, NULL);
	CU_add_test(s, "one worker on lcore 1: TCP and TLS relay", test_one_worker);
	CU_add_test(s, "two workers: join moves a leg", test_two_workers);
	CU_add_test(s, "a worker too slow for close and join", test_slow_worker);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	f = CU_get_number_of_failures();
	CU_cleanup_registry();
	sec_tls_destroy(gw_tls);
	mt_cert_free(&gw_cert);
	mt_cert_free(&ue_cert);
	rte_eal_cleanup();
	return f ? 1 : 0;
}
