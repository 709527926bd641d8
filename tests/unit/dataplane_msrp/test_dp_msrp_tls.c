/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_msrp with TLS on the access leg (TS 33.328 e2ae): the gateway's and the
 * UE's self-signed ECDSA P-256 certificates made here; the UE authenticated
 * by the fingerprint in the leg's spec. The relay TLS <-> TCP byte for byte
 * and close_notify through it; a wrong fingerprint, no certificate, a
 * handshake never started: refused, counted, nothing relayed, the leg
 * listening on; the gate; the gateway as TLS client; TLS 1.2; modify with
 * new fingerprints; and memory per idle TLS session, measured over
 * MT_IDLE_SESSIONS sessions with the UEs in a child process.
 */
#include <malloc.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <CUnit/Basic.h>

#include "msrp_tls_test.h"

#define MT_IDLE_SESSIONS 1000

static struct mt_cert gw_cert, ue_cert, rogue_cert;
static struct sec_tls *gw_tls;
static SSL_CTX *ue_ctx, *rogue_ctx, *nocert_ctx;

static struct mt *
tls_new(struct dp_msrp_conf *c)
{
	c->tls = gw_tls;
	return mt_new(c);
}

static struct dp_msrp_leg_spec
acc_spec(const char *remote, const struct sec_fp *fp, unsigned int n_fp)
{
	struct dp_msrp_leg_spec s = mt_spec(DP_MSRP_PASSIVE, remote);
	unsigned int i;

	s.tls = true;
	s.n_fp = n_fp;
	for (i = 0; i < n_fp; i++)
		s.fp[i] = fp[i];
	return s;
}

/* An access leg (TLS, passive, expecting the UE's fingerprint) joined with
 * a core leg (TCP, passive) whose client is connected and up. */
struct tpair {
	uint32_t acc, core;
	uint16_t pacc;
	int ccore;
};

static bool
tpair_open(struct mt *t, struct tpair *p, struct dp_msrp_leg_spec *acc)
{
	struct dp_msrp_leg_spec a = acc_spec("127.0.0.1", &ue_cert.fp, 1);
	struct dp_msrp_leg_spec k = mt_spec(DP_MSRP_PASSIVE, "127.0.0.1");

	if (acc == NULL)
		acc = &a;
	p->ccore = -1;
	if (mt_open(t, acc, 1, &p->acc) != 0 || mt_open(t, &k, 2, &p->core) != 0 ||
	    dp_msrp_join(t->m, p->acc, p->core) != 0)
		return false;
	p->pacc = acc->local_port;
	p->ccore = mt_connect(NULL, k.local_port);
	return p->ccore >= 0 && mt_wait_ev(t, p->core, DP_MSRP_EV_UP, MT_WAIT_MS, NULL);
}

/* A UE connects from src with ctx and completes its handshake. */
static SSL *
ue_connect(struct mt *t, SSL_CTX *ctx, const char *src, uint16_t port, int *fd)
{
	SSL *ssl = NULL;

	*fd = mt_connect(src, port);
	if (*fd < 0)
		return NULL;
	(void)mt_handshake(t, ctx, *fd, false, &ssl, MT_WAIT_MS);
	return ssl;
}

static void
ue_close(SSL *ssl, int fd)
{
	SSL_free(ssl);
	if (fd >= 0)
		close(fd);
}

/* ---- the relay -------------------------------------------------------------- */

static void
test_tls_relay(void)
{
	const size_t n = 1u << 20;
	struct dp_msrp_conf c = mt_conf();
	struct mt *t = tls_new(&c);
	struct dp_msrp_leg_stats st;
	struct dp_msrp_totals tot;
	struct dp_msrp_event ev;
	struct sec_fp gw_fp;
	struct mt_end eu, ek;
	struct tpair p;
	uint8_t *du = mt_pattern(n, 71), *dk = mt_pattern(n, 72);
	unsigned int i;
	int ufd;
	SSL *ssl;

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_FATAL(tpair_open(t, &p, NULL));
	ssl = ue_connect(t, ue_ctx, NULL, p.pacc, &ufd);
	CU_ASSERT_FATAL(ssl != NULL);
	/* The UE sees the gateway's certificate, whose fingerprint control
	 * puts in the Local descriptor. */
	sec_tls_local_fp(gw_tls, SEC_FP_SHA256, &gw_fp);
	CU_ASSERT(mt_peer_is(ssl, &gw_fp));
	CU_ASSERT(mt_wait_ev(t, p.acc, DP_MSRP_EV_UP, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.peer.family, AF_INET);
	mt_end_init(&eu, ufd, du, n, n, 3);
	eu.ssl = ssl;
	mt_end_init(&ek, p.ccore, dk, n, n, 4);
	CU_ASSERT(mt_xfer(t, &eu, &ek, n, n, false, 60000));
	CU_ASSERT(mt_same(ek.in, ek.in_len, du, n));
	CU_ASSERT(mt_same(eu.in, eu.in_len, dk, n));
	CU_ASSERT_EQUAL(dp_msrp_leg_stats(t->m, p.acc, &st), 0);
	CU_ASSERT_EQUAL(st.bytes_in, n);
	CU_ASSERT_EQUAL(st.bytes_out, n);
	CU_ASSERT(st.up);
	CU_ASSERT_FALSE(st.ktls); /* no tls module on this kernel */
	dp_msrp_totals(t->m, &tot);
	CU_ASSERT_EQUAL(tot.handshakes, 1);
	CU_ASSERT_EQUAL(tot.ktls_legs, 0);
	for (i = 0; i < SEC_TLS_FAIL_MAX; i++)
		CU_ASSERT_EQUAL(tot.tls_fails[i], 0);
	/* close_notify from the UE: the core peer reads EOF and can still
	 * send; when it closes, the UE gets close_notify; both legs end. */
	eu.shut_after = true;
	eu.out_len = eu.out_off;
	ek.out = dk;
	ek.out_len = n;
	CU_ASSERT(mt_xfer(t, &eu, &ek, n, n, false, 10000));
	{
		uint64_t end = mt_now_ms() + MT_WAIT_MS;

		while (!ek.eof && mt_now_ms() < end) {
			mt_end_io(&eu, true);
			mt_end_io(&ek, true);
			mt_pump(t);
		}
	}
	CU_ASSERT(ek.eof);
	CU_ASSERT_FALSE(eu.eof);
	shutdown(p.ccore, SHUT_WR);
	{
		uint64_t end = mt_now_ms() + MT_WAIT_MS;

		while (!eu.eof && mt_now_ms() < end) {
			mt_end_io(&eu, true);
			mt_pump(t);
		}
	}
	CU_ASSERT(eu.eof); /* SSL_ERROR_ZERO_RETURN: a close_notify */
	CU_ASSERT(mt_wait_ev(t, p.acc, DP_MSRP_EV_CLOSED, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_PEER_CLOSE);
	CU_ASSERT(mt_wait_ev(t, p.core, DP_MSRP_EV_CLOSED, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_JOINED_CLOSED);
	mt_end_fini(&eu);
	mt_end_fini(&ek);
	ue_close(ssl, ufd);
	close(p.ccore);
	free(du);
	free(dk);
	mt_free(t);
}

/* The wrong certificate: refused with the fingerprint reason, nothing
 * reaches the core side, and the leg listens on for the right UE. */
static void
test_tls_wrong_fp(void)
{
	static const uint8_t hello[] = "MSRP from the wrong UE";
	struct dp_msrp_conf c = mt_conf();
	struct mt *t = tls_new(&c);
	struct dp_msrp_leg_stats st;
	struct dp_msrp_event ev;
	struct mt_end eu, ek;
	struct tpair p;
	uint8_t *d = mt_pattern(5000, 81), junk[64];
	int rfd, ufd;
	SSL *rssl, *ssl;

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_FATAL(tpair_open(t, &p, NULL));
	rssl = ue_connect(t, rogue_ctx, NULL, p.pacc, &rfd);
	/* Under TLS 1.3 the client finishes before the server has judged its
	 * certificate; what it sends next must go nowhere. */
	if (rssl != NULL) {
		(void)SSL_write(rssl, hello, sizeof(hello));
		ERR_clear_error();
	}
	CU_ASSERT(mt_wait_ev(t, p.acc, DP_MSRP_EV_FAIL, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_TLS);
	CU_ASSERT_EQUAL(ev.tls, SEC_TLS_FAIL_FINGERPRINT);
	mt_run(t, 200);
	CU_ASSERT_EQUAL(mt_recv_now(p.ccore, junk, sizeof(junk)), -EAGAIN);
	CU_ASSERT_EQUAL(mt_count_ev(t, p.acc, DP_MSRP_EV_UP, -1), 0);
	ue_close(rssl, rfd);
	/* The right UE now. */
	ssl = ue_connect(t, ue_ctx, NULL, p.pacc, &ufd);
	CU_ASSERT_FATAL(ssl != NULL);
	CU_ASSERT(mt_wait_ev(t, p.acc, DP_MSRP_EV_UP, MT_WAIT_MS, NULL));
	mt_end_init(&eu, ufd, d, 5000, 0, 1);
	eu.ssl = ssl;
	mt_end_init(&ek, p.ccore, NULL, 0, 5000, 2);
	CU_ASSERT(mt_xfer(t, &eu, &ek, 0, 5000, false, 10000));
	CU_ASSERT(mt_same(ek.in, ek.in_len, d, 5000));
	CU_ASSERT_EQUAL(dp_msrp_leg_stats(t->m, p.acc, &st), 0);
	CU_ASSERT_EQUAL(st.tls_fails[SEC_TLS_FAIL_FINGERPRINT], 1);
	CU_ASSERT_EQUAL(st.fails[DP_MSRP_R_TLS], 1);
	CU_ASSERT_EQUAL(st.conns, 2);
	CU_ASSERT_EQUAL(st.bytes_in, 5000);
	mt_end_fini(&eu);
	mt_end_fini(&ek);
	ue_close(ssl, ufd);
	close(p.ccore);
	free(d);
	mt_free(t);
}

/* No client certificate, and a client that never starts its handshake. */
static void
test_tls_no_cert_and_stall(void)
{
	struct dp_msrp_conf c = mt_conf();
	struct mt *t;
	struct dp_msrp_leg_stats st;
	struct dp_msrp_event ev;
	struct mt_end e;
	struct tpair p;
	uint64_t t0;
	int fd, ufd;
	SSL *ssl;

	c.handshake_ms = 300;
	t = tls_new(&c);
	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_FATAL(tpair_open(t, &p, NULL));
	ssl = ue_connect(t, nocert_ctx, NULL, p.pacc, &fd);
	if (ssl != NULL) {
		uint8_t b[16];

		(void)SSL_read(ssl, b, sizeof(b)); /* TLS 1.3: the alert */
		ERR_clear_error();
	}
	CU_ASSERT(mt_wait_ev(t, p.acc, DP_MSRP_EV_FAIL, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_TLS);
	CU_ASSERT_EQUAL(ev.tls, SEC_TLS_FAIL_NO_CERT);
	ue_close(ssl, fd);
	/* Slowloris: connected, silent. */
	t0 = mt_now_ms();
	fd = mt_connect(NULL, p.pacc);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT(mt_wait_ev(t, p.acc, DP_MSRP_EV_FAIL, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_HANDSHAKE_TIMEOUT);
	CU_ASSERT(mt_now_ms() - t0 >= 300);
	mt_end_init(&e, fd, NULL, 0, 16, 1);
	{
		uint64_t end = mt_now_ms() + MT_WAIT_MS;

		while (e.err == 0 && !e.eof && mt_now_ms() < end)
			mt_end_io(&e, true);
	}
	CU_ASSERT_EQUAL(e.err, ECONNRESET);
	mt_end_fini(&e);
	close(fd);
	/* Still listening. */
	ssl = ue_connect(t, ue_ctx, NULL, p.pacc, &ufd);
	CU_ASSERT(ssl != NULL);
	CU_ASSERT(mt_wait_ev(t, p.acc, DP_MSRP_EV_UP, MT_WAIT_MS, NULL));
	CU_ASSERT_EQUAL(dp_msrp_leg_stats(t->m, p.acc, &st), 0);
	CU_ASSERT_EQUAL(st.tls_fails[SEC_TLS_FAIL_NO_CERT], 1);
	CU_ASSERT_EQUAL(st.fails[DP_MSRP_R_HANDSHAKE_TIMEOUT], 1);
	ue_close(ssl, ufd);
	close(p.ccore);
	mt_free(t);
}

/* The gate on a TLS leg; with any_source the fingerprint alone decides. */
static void
test_tls_gate(void)
{
	struct dp_msrp_conf c = mt_conf();
	struct mt *t = tls_new(&c);
	struct dp_msrp_leg_spec any = acc_spec("127.0.0.1", &ue_cert.fp, 1);
	struct dp_msrp_event ev;
	struct tpair p, q;
	char ip[64];
	int fd, rfd, ufd;
	SSL *ssl, *rssl;

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_FATAL(tpair_open(t, &p, NULL));
	ssl = ue_connect(t, ue_ctx, "127.0.0.2", p.pacc, &fd);
	CU_ASSERT_PTR_NULL(ssl);
	CU_ASSERT(mt_wait_ev(t, p.acc, DP_MSRP_EV_FAIL, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_GATE);
	ue_close(ssl, fd);

	any.any_source = true;
	CU_ASSERT_FATAL(tpair_open(t, &q, &any));
	rssl = ue_connect(t, rogue_ctx, "127.0.0.2", q.pacc, &rfd);
	if (rssl != NULL) {
		uint8_t b[16];

		(void)SSL_read(rssl, b, sizeof(b));
		ERR_clear_error();
	}
	CU_ASSERT(mt_wait_ev(t, q.acc, DP_MSRP_EV_FAIL, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_TLS);
	CU_ASSERT_EQUAL(ev.tls, SEC_TLS_FAIL_FINGERPRINT);
	ue_close(rssl, rfd);
	ssl = ue_connect(t, ue_ctx, "127.0.0.2", q.pacc, &ufd);
	CU_ASSERT(ssl != NULL);
	CU_ASSERT(mt_wait_ev(t, q.acc, DP_MSRP_EV_UP, MT_WAIT_MS, &ev));
	CU_ASSERT_STRING_EQUAL(cfg_ip_str(&ev.peer, ip, sizeof(ip)), "127.0.0.2");
	ue_close(ssl, ufd);
	close(p.ccore);
	close(q.ccore);
	mt_free(t);
}

/* The gateway as TLS client (the UE offered a=setup:passive). */
static void
test_tls_active(void)
{
	struct dp_msrp_conf c = mt_conf();
	struct mt *t = tls_new(&c);
	struct dp_msrp_leg_spec a = acc_spec("127.0.0.1", &ue_cert.fp, 1);
	struct dp_msrp_leg_spec k = mt_spec(DP_MSRP_PASSIVE, "127.0.0.1");
	SSL_CTX *srv_ctx = mt_ue_ctx(&ue_cert, true);
	struct sec_fp gw_fp;
	struct mt_end eu, ek;
	uint8_t *du = mt_pattern(300000, 91), *dk = mt_pattern(200000, 92);
	uint32_t acc, core;
	uint16_t sport;
	int srv, sfd, ck;
	SSL *ssl = NULL;

	CU_ASSERT_FATAL(t != NULL && srv_ctx != NULL);
	srv = mt_listen(&sport);
	CU_ASSERT_FATAL(srv >= 0);
	a.setup = DP_MSRP_ACTIVE;
	a.remote_port = sport;
	a.connect_after_peer = true;
	CU_ASSERT_FATAL(mt_open(t, &k, 2, &core) == 0);
	CU_ASSERT_FATAL(mt_open(t, &a, 1, &acc) == 0);
	CU_ASSERT_EQUAL(dp_msrp_join(t->m, acc, core), 0);
	ck = mt_connect(NULL, k.local_port);
	CU_ASSERT(mt_wait_ev(t, core, DP_MSRP_EV_UP, MT_WAIT_MS, NULL));
	sfd = mt_accept(t, srv, MT_WAIT_MS);
	CU_ASSERT_FATAL(sfd >= 0);
	CU_ASSERT_FATAL(mt_handshake(t, srv_ctx, sfd, true, &ssl, MT_WAIT_MS) == 1);
	sec_tls_local_fp(gw_tls, SEC_FP_SHA256, &gw_fp);
	CU_ASSERT(mt_peer_is(ssl, &gw_fp)); /* we presented our certificate */
	CU_ASSERT(mt_wait_ev(t, acc, DP_MSRP_EV_UP, MT_WAIT_MS, NULL));
	mt_end_init(&eu, sfd, du, 300000, 200000, 5);
	eu.ssl = ssl;
	mt_end_init(&ek, ck, dk, 200000, 300000, 6);
	CU_ASSERT(mt_xfer(t, &eu, &ek, 200000, 300000, false, 20000));
	CU_ASSERT(mt_same(ek.in, ek.in_len, du, 300000));
	CU_ASSERT(mt_same(eu.in, eu.in_len, dk, 200000));
	mt_end_fini(&eu);
	mt_end_fini(&ek);
	ue_close(ssl, sfd);
	close(ck);
	close(srv);
	SSL_CTX_free(srv_ctx);
	free(du);
	free(dk);
	mt_free(t);
}

/* A TLS 1.2-only UE. */
static void
test_tls12(void)
{
	struct dp_msrp_conf c = mt_conf();
	struct mt *t = tls_new(&c);
	SSL_CTX *ctx12 = mt_ue_ctx(&ue_cert, false);
	struct mt_end eu, ek;
	struct tpair p;
	uint8_t *d = mt_pattern(100000, 93);
	int ufd;
	SSL *ssl;

	CU_ASSERT_FATAL(t != NULL && ctx12 != NULL);
	SSL_CTX_set_max_proto_version(ctx12, TLS1_2_VERSION);
	CU_ASSERT_FATAL(tpair_open(t, &p, NULL));
	ssl = ue_connect(t, ctx12, NULL, p.pacc, &ufd);
	CU_ASSERT_FATAL(ssl != NULL);
	CU_ASSERT_EQUAL(SSL_version(ssl), TLS1_2_VERSION);
	CU_ASSERT(mt_wait_ev(t, p.acc, DP_MSRP_EV_UP, MT_WAIT_MS, NULL));
	mt_end_init(&eu, ufd, d, 100000, 0, 1);
	eu.ssl = ssl;
	mt_end_init(&ek, p.ccore, NULL, 0, 100000, 2);
	CU_ASSERT(mt_xfer(t, &eu, &ek, 0, 100000, false, 10000));
	CU_ASSERT(mt_same(ek.in, ek.in_len, d, 100000));
	mt_end_fini(&eu);
	mt_end_fini(&ek);
	ue_close(ssl, ufd);
	close(p.ccore);
	SSL_CTX_free(ctx12);
	free(d);
	mt_free(t);
}

/* Drive a client handshake that is already started. @return 1 done, 0 not
 * yet (WANT_*), -1 failed. */
static int
ue_step(SSL *ssl)
{
	int r = SSL_do_handshake(ssl), e;

	if (r == 1)
		return 1;
	e = SSL_get_error(ssl, r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
		return 0;
	ERR_clear_error();
	return -1;
}

/* A UE that connected and sent its ClientHello before the leg had a
 * Remote: a started client handshake on a fresh connection. */
static SSL *
ue_early(struct mt *t, SSL_CTX *ctx, uint16_t port, int *fd)
{
	SSL *ssl;

	*fd = mt_connect(NULL, port);
	if (*fd < 0)
		return NULL;
	ssl = SSL_new(ctx);
	if (ssl == NULL)
		return NULL;
	SSL_set_fd(ssl, *fd);
	SSL_set_connect_state(ssl);
	if (ue_step(ssl) != 0) {
		SSL_free(ssl);
		return NULL;
	}
	mt_run(t, 100);
	return ssl;
}

/* Step the UE's handshake while pumping the relay. @return as ue_step. */
static int
ue_finish(struct mt *t, SSL *ssl, unsigned int ms)
{
	uint64_t end = mt_now_ms() + ms;
	int r;

	while ((r = ue_step(ssl)) == 0 && mt_now_ms() < end)
		mt_pump(t);
	return r;
}

/* The terminating case: the gateway listens (its offer said passive or
 * actpass) before the UE's answer brought the Remote address and
 * fingerprint, and the UE connects as soon as it answered, possibly
 * before the MGC's Modify. The connection is held, unread, until the
 * Remote arrives: then the gate and the handshake run as usual. Held too
 * long, it is closed (R_HANDSHAKE_TIMEOUT) and the leg listens on. */
static void
test_tls_early(void)
{
	struct dp_msrp_conf c = mt_conf();
	struct dp_msrp_leg_spec a = acc_spec(NULL, NULL, 0), mod;
	struct dp_msrp_leg_spec k = mt_spec(DP_MSRP_PASSIVE, "127.0.0.1");
	struct dp_msrp_leg_stats st;
	struct dp_msrp_event ev;
	struct mt_end eu, ek;
	uint32_t acc, core;
	uint8_t *d = mt_pattern(10000, 95);
	int ufd, ccore;
	struct mt *t;
	uint64_t t0;
	SSL *ssl;

	c.handshake_ms = 400;
	t = tls_new(&c);

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_FATAL(mt_open(t, &a, 1, &acc) == 0);
	CU_ASSERT_FATAL(mt_open(t, &k, 2, &core) == 0);
	CU_ASSERT_FATAL(dp_msrp_join(t->m, acc, core) == 0);
	ccore = mt_connect(NULL, k.local_port);
	CU_ASSERT_FATAL(ccore >= 0);
	CU_ASSERT(mt_wait_ev(t, core, DP_MSRP_EV_UP, MT_WAIT_MS, NULL));

	/* Held past handshake_ms: closed, counted, the leg listens on. */
	t0 = mt_now_ms();
	ssl = ue_early(t, ue_ctx, a.local_port, &ufd);
	CU_ASSERT_FATAL(ssl != NULL);
	CU_ASSERT(mt_wait_ev(t, acc, DP_MSRP_EV_FAIL, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_HANDSHAKE_TIMEOUT);
	CU_ASSERT(mt_now_ms() - t0 >= 400);
	CU_ASSERT_EQUAL(ue_finish(t, ssl, MT_WAIT_MS), -1);
	ue_close(ssl, ufd);

	/* Held, then a Modify with another address: the gate refuses it. */
	ssl = ue_early(t, ue_ctx, a.local_port, &ufd);
	CU_ASSERT_FATAL(ssl != NULL);
	CU_ASSERT_EQUAL(mt_count_ev(t, acc, DP_MSRP_EV_FAIL, -1), 1);
	mod = acc_spec("127.0.0.2", &ue_cert.fp, 1);
	mod.local_port = a.local_port;
	CU_ASSERT_EQUAL(dp_msrp_leg_modify(t->m, acc, &mod), 0);
	CU_ASSERT(mt_wait_ev(t, acc, DP_MSRP_EV_FAIL, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_GATE);
	CU_ASSERT_EQUAL(ue_finish(t, ssl, MT_WAIT_MS), -1);
	ue_close(ssl, ufd);

	/* Back to no Remote; held; then the right Remote: up and relaying. */
	CU_ASSERT_EQUAL(dp_msrp_leg_modify(t->m, acc, &a), 0);
	ssl = ue_early(t, ue_ctx, a.local_port, &ufd);
	CU_ASSERT_FATAL(ssl != NULL);
	CU_ASSERT_EQUAL(mt_count_ev(t, acc, DP_MSRP_EV_UP, -1), 0);
	mod = acc_spec("127.0.0.1", &ue_cert.fp, 1);
	mod.local_port = a.local_port;
	CU_ASSERT_EQUAL(dp_msrp_leg_modify(t->m, acc, &mod), 0);
	CU_ASSERT_EQUAL(ue_finish(t, ssl, MT_WAIT_MS), 1);
	CU_ASSERT(mt_peer_is(ssl, &gw_cert.fp));
	CU_ASSERT(mt_wait_ev(t, acc, DP_MSRP_EV_UP, MT_WAIT_MS, NULL));
	mt_end_init(&eu, ufd, d, 10000, 0, 1);
	eu.ssl = ssl;
	mt_end_init(&ek, ccore, NULL, 0, 10000, 2);
	CU_ASSERT(mt_xfer(t, &eu, &ek, 0, 10000, false, 10000));
	CU_ASSERT(mt_same(ek.in, ek.in_len, d, 10000));
	CU_ASSERT_EQUAL(dp_msrp_leg_stats(t->m, acc, &st), 0);
	CU_ASSERT_EQUAL(st.fails[DP_MSRP_R_HANDSHAKE_TIMEOUT], 1);
	CU_ASSERT_EQUAL(st.fails[DP_MSRP_R_GATE], 1);
	CU_ASSERT_EQUAL(st.bytes_in, 10000);
	mt_end_fini(&eu);
	mt_end_fini(&ek);
	ue_close(ssl, ufd);

	/* Held, then the wrong fingerprint: the handshake fails as usual. */
	mt_free(t);
	t = tls_new(&c);
	CU_ASSERT_FATAL(t != NULL);
	a = acc_spec(NULL, NULL, 0);
	CU_ASSERT_FATAL(mt_open(t, &a, 1, &acc) == 0);
	ssl = ue_early(t, ue_ctx, a.local_port, &ufd);
	CU_ASSERT_FATAL(ssl != NULL);
	mod = acc_spec("127.0.0.1", &rogue_cert.fp, 1);
	mod.local_port = a.local_port;
	CU_ASSERT_EQUAL(dp_msrp_leg_modify(t->m, acc, &mod), 0);
	(void)ue_finish(t, ssl, MT_WAIT_MS); /* TLS 1.3: done before the alert */
	CU_ASSERT(mt_wait_ev(t, acc, DP_MSRP_EV_FAIL, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_TLS);
	CU_ASSERT_EQUAL(ev.tls, SEC_TLS_FAIL_FINGERPRINT);
	ue_close(ssl, ufd);
	close(ccore);
	free(d);
	mt_free(t);
}

/* Modify with new fingerprints: the live connection stays while its
 * certificate is still listed, and closes when it is not. */
static void
test_tls_modify_fp(void)
{
	struct dp_msrp_conf c = mt_conf();
	struct mt *t = tls_new(&c);
	struct sec_fp both[2] = {rogue_cert.fp, ue_cert.fp};
	struct dp_msrp_leg_spec a = acc_spec("127.0.0.1", &ue_cert.fp, 1), mod;
	struct dp_msrp_event ev;
	struct mt_end eu, ek;
	struct tpair p;
	uint8_t *d = mt_pattern(20000, 94);
	int ufd;
	SSL *ssl;

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_FATAL(tpair_open(t, &p, &a));
	ssl = ue_connect(t, ue_ctx, NULL, p.pacc, &ufd);
	CU_ASSERT_FATAL(ssl != NULL);
	CU_ASSERT(mt_wait_ev(t, p.acc, DP_MSRP_EV_UP, MT_WAIT_MS, NULL));
	mt_end_init(&eu, ufd, d, 10000, 0, 1);
	eu.ssl = ssl;
	mt_end_init(&ek, p.ccore, NULL, 0, 20000, 2);
	CU_ASSERT(mt_xfer(t, &eu, &ek, 0, 10000, false, 10000));
	mod = acc_spec("127.0.0.1", both, 2);
	mod.local_port = a.local_port;
	CU_ASSERT_EQUAL(dp_msrp_leg_modify(t->m, p.acc, &mod), 0);
	eu.out_len = 20000;
	CU_ASSERT(mt_xfer(t, &eu, &ek, 0, 20000, false, 10000));
	CU_ASSERT(mt_same(ek.in, ek.in_len, d, 20000));
	CU_ASSERT_EQUAL(mt_count_ev(t, p.acc, DP_MSRP_EV_CLOSED, -1), 0);
	mod = acc_spec("127.0.0.1", &rogue_cert.fp, 1);
	mod.local_port = a.local_port;
	CU_ASSERT_EQUAL(dp_msrp_leg_modify(t->m, p.acc, &mod), 0);
	CU_ASSERT(mt_wait_ev(t, p.acc, DP_MSRP_EV_CLOSED, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_REMOTE_CHANGED);
	{
		uint64_t end = mt_now_ms() + MT_WAIT_MS;

		while (!eu.eof && eu.err == 0 && mt_now_ms() < end) {
			mt_end_io(&eu, true);
			mt_pump(t);
		}
	}
	CU_ASSERT(eu.eof); /* our close_notify */
	mt_end_fini(&eu);
	mt_end_fini(&ek);
	ue_close(ssl, ufd);
	close(p.ccore);
	free(d);
	mt_free(t);
}

/* A UE that resets mid-transfer: the core side is reset too, before
 * anything after the reset could reach it. */
static void
test_tls_reset(void)
{
	const size_t n = 2u << 20;
	struct dp_msrp_conf c = mt_conf();
	struct mt *t = tls_new(&c);
	struct linger lg = {.l_onoff = 1, .l_linger = 0};
	struct dp_msrp_leg_stats st;
	struct dp_msrp_event ev;
	struct mt_end eu, ek;
	struct tpair p;
	uint8_t *d = mt_pattern(n, 95);
	uint64_t end;
	int ufd;
	SSL *ssl;

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_FATAL(tpair_open(t, &p, NULL));
	ssl = ue_connect(t, ue_ctx, NULL, p.pacc, &ufd);
	CU_ASSERT_FATAL(ssl != NULL);
	CU_ASSERT(mt_wait_ev(t, p.acc, DP_MSRP_EV_UP, MT_WAIT_MS, NULL));
	mt_end_init(&eu, ufd, d, n, 0, 1);
	eu.ssl = ssl;
	mt_end_init(&ek, p.ccore, NULL, 0, n, 2);
	/* Half way, the UE's socket goes with RST. */
	end = mt_now_ms() + 20000;
	while (ek.in_len < n / 2 && mt_now_ms() < end) {
		mt_end_io(&eu, false);
		mt_end_io(&ek, true);
		mt_pump(t);
	}
	CU_ASSERT(ek.in_len >= n / 2);
	setsockopt(ufd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(ufd);
	ufd = -1;
	CU_ASSERT(mt_wait_ev(t, p.acc, DP_MSRP_EV_CLOSED, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_PEER_RESET);
	CU_ASSERT(mt_wait_ev(t, p.core, DP_MSRP_EV_CLOSED, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_JOINED_CLOSED);
	end = mt_now_ms() + MT_WAIT_MS;
	while (ek.err == 0 && !ek.eof && mt_now_ms() < end)
		mt_end_io(&ek, true);
	/* The core peer sees the reset (what it read before it is a prefix
	 * of what the UE sent). */
	CU_ASSERT_EQUAL(ek.err, ECONNRESET);
	CU_ASSERT(ek.in_len <= eu.out_off && memcmp(ek.in, d, ek.in_len) == 0);
	CU_ASSERT_EQUAL(dp_msrp_leg_close(t->m, p.acc, &st), 0);
	CU_ASSERT_EQUAL(st.fails[DP_MSRP_R_PEER_RESET], 1);
	mt_end_fini(&eu);
	mt_end_fini(&ek);
	ue_close(ssl, ufd);
	close(p.ccore);
	free(d);
	mt_free(t);
}

/* ---- memory per idle session ---------------------------------------------------- */

static size_t
rss_bytes(void)
{
	unsigned long size = 0, res = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f == NULL)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &res) != 2)
		res = 0;
	fclose(f);
	return (size_t)res * (size_t)sysconf(_SC_PAGESIZE);
}

/* The UEs and core peers of the idle test, in a child: connect every pair,
 * report how many handshakes succeeded, hold them until told. */
static void
idle_child(int rfd, int wfd, unsigned int n)
{
	uint16_t *ports = calloc(2 * n, sizeof(*ports));
	SSL **ssl = calloc(n, sizeof(*ssl));
	int *fds = calloc(2 * n, sizeof(*fds));
	unsigned int i, ok = 0;
	char x;

	if (ports == NULL || ssl == NULL || fds == NULL ||
	    read(rfd, ports, 2 * n * sizeof(*ports)) != (ssize_t)(2 * n * sizeof(*ports)))
		_exit(2);
	for (i = 0; i < n; i++) {
		struct sockaddr_in sa;

		fds[2 * i] = socket(AF_INET, SOCK_STREAM, 0);
		fds[2 * i + 1] = socket(AF_INET, SOCK_STREAM, 0);
		mt_sin(&sa, "127.0.0.1", ports[2 * i + 1]);
		if (connect(fds[2 * i + 1], (struct sockaddr *)&sa, sizeof(sa)) < 0)
			continue;
		mt_sin(&sa, "127.0.0.1", ports[2 * i]);
		if (connect(fds[2 * i], (struct sockaddr *)&sa, sizeof(sa)) < 0)
			continue;
		ssl[i] = SSL_new(ue_ctx);
		SSL_set_fd(ssl[i], fds[2 * i]);
		if (SSL_connect(ssl[i]) == 1)
			ok++;
	}
	if (write(wfd, &ok, sizeof(ok)) != sizeof(ok))
		_exit(3);
	if (read(rfd, &x, 1) != 1)
		_exit(4);
	_exit(0);
}

static void
test_idle_memory(void)
{
	const unsigned int n = MT_IDLE_SESSIONS;
	struct dp_msrp_conf c = mt_conf();
	struct mt *t;
	struct dp_msrp_totals tot;
	uint32_t *legs = calloc(2 * n, sizeof(*legs));
	uint16_t *ports = calloc(2 * n, sizeof(*ports));
	int to_child[2], from_child[2], status = 0;
	size_t rss0, rss1, heap0, heap_open, heap1;
	unsigned int i, ok = 0;
	uint64_t t0, t_up;
	struct rlimit rl;
	pid_t pid;

	CU_ASSERT_FATAL(legs != NULL && ports != NULL);
	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < 8 * n + 256) {
		rl.rlim_cur = rl.rlim_max < 8 * n + 256 ? rl.rlim_max : 8 * n + 256;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	CU_ASSERT_FATAL(pipe(to_child) == 0 && pipe(from_child) == 0);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		close(to_child[1]);
		close(from_child[0]);
		idle_child(to_child[0], from_child[1], n);
	}
	close(to_child[0]);
	close(from_child[1]);
	c.max_legs = 2 * n + 16;
	c.connect_ms = 60000;
	t = tls_new(&c);
	CU_ASSERT_FATAL(t != NULL);
	mt_run(t, 20);
	heap0 = mallinfo2().uordblks;
	rss0 = rss_bytes();
	t0 = mt_now_ms();
	for (i = 0; i < n; i++) {
		struct dp_msrp_leg_spec a = acc_spec("127.0.0.1", &ue_cert.fp, 1);
		struct dp_msrp_leg_spec k = mt_spec(DP_MSRP_PASSIVE, "127.0.0.1");
		unsigned int j;
		int rc = -EADDRINUSE;

		/* A port range of its own, past the other tests' blocks. */
		for (j = 0; j < 64 && rc == -EADDRINUSE; j++) {
			a.local_port = (uint16_t)(40000 + ((getpid() * 7 + i * 2 + j * 4001) % 20000));
			rc = dp_msrp_leg_open(t->m, &a, i, &legs[2 * i]);
		}
		CU_ASSERT_FATAL(rc == 0);
		rc = -EADDRINUSE;
		for (j = 0; j < 64 && rc == -EADDRINUSE; j++) {
			k.local_port = (uint16_t)(30000 + ((getpid() * 7 + i * 2 + j * 4001) % 10000));
			rc = dp_msrp_leg_open(t->m, &k, i, &legs[2 * i + 1]);
		}
		CU_ASSERT_FATAL(rc == 0);
		CU_ASSERT_FATAL(dp_msrp_join(t->m, legs[2 * i], legs[2 * i + 1]) == 0);
		ports[2 * i] = a.local_port;
		ports[2 * i + 1] = k.local_port;
	}
	heap_open = mallinfo2().uordblks;
	CU_ASSERT_FATAL(write(to_child[1], ports, 2 * n * sizeof(*ports)) ==
			(ssize_t)(2 * n * sizeof(*ports)));
	{
		uint64_t end = mt_now_ms() + 120000;

		do {
			mt_pump(t);
			dp_msrp_totals(t->m, &tot);
		} while (tot.up < 2 * n && mt_now_ms() < end);
	}
	t_up = mt_now_ms() - t0;
	CU_ASSERT_EQUAL(read(from_child[0], &ok, sizeof(ok)), sizeof(ok));
	CU_ASSERT_EQUAL(ok, n);
	CU_ASSERT_EQUAL(tot.up, 2 * n);
	CU_ASSERT_EQUAL(tot.handshakes, n);
	mt_run(t, 300); /* idle */
	heap1 = mallinfo2().uordblks;
	rss1 = rss_bytes();
	printf("\n  %u idle TLS sessions (TLS access leg + TCP core leg) up in %" PRIu64
	       " ms: heap %zu bytes/session (%zu of it the two legs before any connection), "
	       "RSS %zu bytes/session (kernel socket memory not included)\n",
	       n, t_up, (heap1 - heap0) / n, (heap_open - heap0) / n,
	       rss1 > rss0 ? (rss1 - rss0) / n : 0);
	CU_ASSERT((heap1 - heap0) / n < 32768);
	CU_ASSERT_EQUAL(write(to_child[1], "x", 1), 1);
	waitpid(pid, &status, 0);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	for (i = 0; i < 2 * n; i++)
		CU_ASSERT_EQUAL(dp_msrp_leg_close(t->m, legs[i], NULL), 0);
	dp_msrp_totals(t->m, &tot);
	CU_ASSERT_EQUAL(tot.legs, 0);
	close(to_child[1]);
	close(from_child[0]);
	free(legs);
	free(ports);
	mt_free(t);
}

int
main(void)
{
	CU_pSuite s;
	unsigned int f;

	signal(SIGPIPE, SIG_IGN); /* as the gateway does (dp_msrp.h) */
	gw_tls = mt_gw_tls(&gw_cert);
	if (gw_tls == NULL || mt_cert_make(&ue_cert, "ue") != 0 ||
	    mt_cert_make(&rogue_cert, "rogue") != 0) {
		fprintf(stderr, "cannot make the test certificates\n");
		return 1;
	}
	ue_ctx = mt_ue_ctx(&ue_cert, false);
	rogue_ctx = mt_ue_ctx(&rogue_cert, false);
	nocert_ctx = mt_ue_ctx(NULL, false);
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("dp_msrp_tls", NULL, NULL);
	CU_add_test(s, "TLS <-> TCP relay, close_notify", test_tls_relay);
	CU_add_test(s, "wrong fingerprint", test_tls_wrong_fp);
	CU_add_test(s, "no certificate, handshake never started", test_tls_no_cert_and_stall);
	CU_add_test(s, "gate and any_source", test_tls_gate);
	CU_add_test(s, "gateway as TLS client", test_tls_active);
	CU_add_test(s, "TLS 1.2", test_tls12);
	CU_add_test(s, "modify fingerprints", test_tls_modify_fp);
	CU_add_test(s, "UE early: held until the Remote arrives", test_tls_early);
	CU_add_test(s, "UE reset mid-transfer", test_tls_reset);
	CU_add_test(s, "memory per idle session", test_idle_memory);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	f = CU_get_number_of_failures();
	CU_cleanup_registry();
	SSL_CTX_free(ue_ctx);
	SSL_CTX_free(rogue_ctx);
	SSL_CTX_free(nocert_ctx);
	sec_tls_destroy(gw_tls);
	mt_cert_free(&gw_cert);
	mt_cert_free(&ue_cert);
	mt_cert_free(&rogue_cert);
	return f ? 1 : 0;
}
