/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_msrp with its workers on EAL lcores: commands through the rings, events
 * back, close waiting for the worker's acknowledgement. One worker on lcore
 * 1: the 4 MB TCP relay and a TLS leg. Two workers (lcore 2 shares CPU 1 on
 * a two-core box): legs opened on different workers and joined, so one
 * moves over first; bytes still exact.
 */
#include <signal.h>

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
	CU_ASSERT_EQUAL(tot.legs, 0);
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
	dp_msrp_totals(t->m, &tot);
	CU_ASSERT_EQUAL(tot.legs, 0);
	CU_ASSERT_EQUAL(tot.up, 0);
	close(ca);
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
