/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_msrp over plain TCP, the relay driven by dp_msrp_poll() on the test's
 * thread (n_workers = 0) over loopback in the test's own namespace: the
 * relay byte for byte, active legs and bearer coupling, the gate, back-
 * pressure, half-close and reset, Mode and modify, timeouts, the framing
 * check, limits and errors, fd exhaustion, and that close leaves no fd.
 */
#include <signal.h>
#include <sys/resource.h>

#include <CUnit/Basic.h>

#include "msrp_test.h"

/* Two passive legs joined, a client on each, both up. */
struct mt_pair {
	uint32_t a, b;
	uint16_t pa, pb;
	int ca, cb;
};

static bool
pair_up(struct mt *t, struct mt_pair *p, struct dp_msrp_leg_spec *sa, struct dp_msrp_leg_spec *sb)
{
	struct dp_msrp_leg_spec da = mt_spec(DP_MSRP_PASSIVE, "127.0.0.1");
	struct dp_msrp_leg_spec db = mt_spec(DP_MSRP_PASSIVE, "127.0.0.1");

	if (sa == NULL)
		sa = &da;
	if (sb == NULL)
		sb = &db;
	p->ca = p->cb = -1;
	if (mt_open(t, sa, 1, &p->a) != 0 || mt_open(t, sb, 2, &p->b) != 0)
		return false;
	p->pa = sa->local_port;
	p->pb = sb->local_port;
	if (dp_msrp_join(t->m, p->a, p->b) != 0)
		return false;
	p->ca = mt_connect(NULL, p->pa);
	p->cb = mt_connect(NULL, p->pb);
	return p->ca >= 0 && p->cb >= 0 && mt_wait_ev(t, p->a, DP_MSRP_EV_UP, MT_WAIT_MS, NULL) &&
	       mt_wait_ev(t, p->b, DP_MSRP_EV_UP, MT_WAIT_MS, NULL);
}

static void
pair_close_fds(struct mt_pair *p)
{
	if (p->ca >= 0)
		close(p->ca);
	if (p->cb >= 0)
		close(p->cb);
	p->ca = p->cb = -1;
}

/* ---- the relay ----------------------------------------------------------- */

#define BIG (4u << 20)

static void
test_relay_4mb(void)
{
	struct dp_msrp_conf c = mt_conf();
	struct mt *t = mt_new(&c);
	struct dp_msrp_leg_stats sa, sb;
	struct dp_msrp_totals tot;
	struct mt_end ea, eb;
	struct mt_pair p;
	uint8_t *da = mt_pattern(BIG, 1), *db = mt_pattern(BIG, 2);

	CU_ASSERT_FATAL(t != NULL && da != NULL && db != NULL);
	CU_ASSERT_FATAL(pair_up(t, &p, NULL, NULL));
	mt_end_init(&ea, p.ca, da, BIG, BIG, 7);
	mt_end_init(&eb, p.cb, db, BIG, BIG, 13);
	CU_ASSERT(mt_xfer(t, &ea, &eb, BIG, BIG, false, 60000));
	CU_ASSERT(mt_same(eb.in, eb.in_len, da, BIG));
	CU_ASSERT(mt_same(ea.in, ea.in_len, db, BIG));
	CU_ASSERT_EQUAL(dp_msrp_leg_stats(t->m, p.a, &sa), 0);
	CU_ASSERT_EQUAL(dp_msrp_leg_stats(t->m, p.b, &sb), 0);
	CU_ASSERT_EQUAL(sa.bytes_in, BIG);
	CU_ASSERT_EQUAL(sa.bytes_out, BIG);
	CU_ASSERT_EQUAL(sb.bytes_in, BIG);
	CU_ASSERT_EQUAL(sb.bytes_out, BIG);
	CU_ASSERT_EQUAL(sa.conns, 1);
	CU_ASSERT(sa.up && sb.up && !sa.ktls);
	dp_msrp_totals(t->m, &tot);
	CU_ASSERT_EQUAL(tot.legs, 2);
	CU_ASSERT_EQUAL(tot.up, 2);
	CU_ASSERT_EQUAL(tot.bytes, 2ull * BIG);
	CU_ASSERT_EQUAL(tot.handshakes, 0);
	CU_ASSERT_EQUAL(tot.events_dropped, 0);
	CU_ASSERT_EQUAL(dp_msrp_leg_close(t->m, p.a, &sa), 0);
	CU_ASSERT_EQUAL(sa.bytes_in, BIG);
	CU_ASSERT_FALSE(sa.up);
	CU_ASSERT_EQUAL(dp_msrp_leg_close(t->m, p.b, NULL), 0);
	mt_end_fini(&ea);
	mt_end_fini(&eb);
	pair_close_fds(&p);
	free(da);
	free(db);
	mt_free(t);
}

/* An active leg connects from its local port to a test server; with
 * connect_after_peer only once the joined leg is up. */
static void
test_active(void)
{
	struct dp_msrp_conf c = mt_conf();
	struct mt *t = mt_new(&c);
	struct dp_msrp_leg_spec sa = mt_spec(DP_MSRP_PASSIVE, "127.0.0.1");
	struct dp_msrp_leg_spec sb = mt_spec(DP_MSRP_ACTIVE, "127.0.0.1");
	struct dp_msrp_leg_spec sd = mt_spec(DP_MSRP_ACTIVE, "127.0.0.1");
	struct dp_msrp_event ev;
	struct sockaddr_in peer;
	socklen_t plen = sizeof(peer);
	uint32_t a, b, d, e;
	uint16_t sport, dead;
	struct mt_end ea, es;
	uint8_t *da = mt_pattern(65536, 3), *ds = mt_pattern(65536, 4);
	int srv, sfd, ca, probe;

	CU_ASSERT_FATAL(t != NULL);
	srv = mt_listen(&sport);
	CU_ASSERT_FATAL(srv >= 0);
	sb.remote_port = sport;
	sb.connect_after_peer = true;
	CU_ASSERT_FATAL(mt_open(t, &sb, 2, &b) == 0);
	CU_ASSERT_FATAL(mt_open(t, &sa, 1, &a) == 0);
	CU_ASSERT_EQUAL(dp_msrp_join(t->m, a, b), 0);
	/* Bearer coupling: nothing toward the server before A is up. */
	mt_run(t, 200);
	CU_ASSERT_EQUAL(accept(srv, NULL, NULL), -1);
	CU_ASSERT_EQUAL(mt_count_ev(t, b, DP_MSRP_EV_UP, -1), 0);
	ca = mt_connect(NULL, sa.local_port);
	CU_ASSERT_FATAL(ca >= 0);
	CU_ASSERT(mt_wait_ev(t, a, DP_MSRP_EV_UP, MT_WAIT_MS, NULL));
	CU_ASSERT(mt_wait_ev(t, b, DP_MSRP_EV_UP, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.peer_port, sport);
	sfd = mt_accept(t, srv, MT_WAIT_MS);
	CU_ASSERT_FATAL(sfd >= 0);
	/* From the leg's own local port. */
	CU_ASSERT_EQUAL(getpeername(sfd, (struct sockaddr *)&peer, &plen), 0);
	CU_ASSERT_EQUAL(ntohs(peer.sin_port), sb.local_port);
	mt_end_init(&ea, ca, da, 65536, 65536, 5);
	mt_end_init(&es, sfd, ds, 65536, 65536, 6);
	CU_ASSERT(mt_xfer(t, &ea, &es, 65536, 65536, false, 20000));
	CU_ASSERT(mt_same(es.in, es.in_len, da, 65536));
	CU_ASSERT(mt_same(ea.in, ea.in_len, ds, 65536));
	mt_end_fini(&ea);
	mt_end_fini(&es);

	/* Without connect_after_peer: at once, joined to nothing. */
	sd.remote_port = sport;
	CU_ASSERT_FATAL(mt_open(t, &sd, 4, &d) == 0);
	CU_ASSERT(mt_wait_ev(t, d, DP_MSRP_EV_UP, MT_WAIT_MS, NULL));
	probe = mt_accept(t, srv, MT_WAIT_MS);
	CU_ASSERT(probe >= 0);
	if (probe >= 0)
		close(probe);

	/* Refused: nothing listens on that port. */
	probe = mt_listen(&dead);
	close(probe);
	sd = mt_spec(DP_MSRP_ACTIVE, "127.0.0.1");
	sd.remote_port = dead;
	CU_ASSERT_FATAL(mt_open(t, &sd, 5, &e) == 0);
	CU_ASSERT(mt_wait_ev(t, e, DP_MSRP_EV_FAIL, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_CONNECT);
	CU_ASSERT_EQUAL(ev.cookie, 5);
	close(ca);
	close(sfd);
	close(srv);
	free(da);
	free(ds);
	mt_free(t);
}

/* The gate: a source other than the Remote is refused (RST, R_GATE) and
 * the leg listens on; any_source admits it; once up, the listener is
 * closed. */
static void
test_gate(void)
{
	struct dp_msrp_conf c = mt_conf();
	struct mt *t = mt_new(&c);
	struct dp_msrp_leg_spec s = mt_spec(DP_MSRP_PASSIVE, "127.0.0.1");
	struct dp_msrp_leg_spec any = mt_spec(DP_MSRP_PASSIVE, "127.0.0.1");
	struct dp_msrp_leg_spec unknown = mt_spec(DP_MSRP_PASSIVE, NULL);
	struct dp_msrp_leg_stats st;
	struct dp_msrp_event ev;
	struct mt_end e;
	char ip[64];
	uint32_t a, b, u;
	int bad, good, late, other;

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_FATAL(mt_open(t, &s, 1, &a) == 0);
	bad = mt_connect("127.0.0.2", s.local_port);
	CU_ASSERT_FATAL(bad >= 0);
	CU_ASSERT(mt_wait_ev(t, a, DP_MSRP_EV_FAIL, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_GATE);
	CU_ASSERT_STRING_EQUAL(cfg_ip_str(&ev.peer, ip, sizeof(ip)), "127.0.0.2");
	mt_end_init(&e, bad, NULL, 0, 16, 1);
	mt_end_io(&e, true);
	CU_ASSERT_EQUAL(e.err, ECONNRESET);
	mt_end_fini(&e);
	close(bad);
	good = mt_connect(NULL, s.local_port);
	CU_ASSERT(mt_wait_ev(t, a, DP_MSRP_EV_UP, MT_WAIT_MS, &ev));
	CU_ASSERT_STRING_EQUAL(cfg_ip_str(&ev.peer, ip, sizeof(ip)), "127.0.0.1");
	CU_ASSERT_EQUAL(dp_msrp_leg_stats(t->m, a, &st), 0);
	CU_ASSERT_EQUAL(st.fails[DP_MSRP_R_GATE], 1);
	CU_ASSERT_EQUAL(st.conns, 1);
	/* One connection per leg: the listener is gone. */
	late = mt_connect(NULL, s.local_port);
	CU_ASSERT_EQUAL(late, -1);
	if (late >= 0)
		close(late);

	any.any_source = true;
	CU_ASSERT_FATAL(mt_open(t, &any, 2, &b) == 0);
	other = mt_connect("127.0.0.2", any.local_port);
	CU_ASSERT(mt_wait_ev(t, b, DP_MSRP_EV_UP, MT_WAIT_MS, &ev));
	CU_ASSERT_STRING_EQUAL(cfg_ip_str(&ev.peer, ip, sizeof(ip)), "127.0.0.2");

	/* No Remote yet and no latching: held, never up, and closed once
	 * handshake_ms has passed without a modify. */
	CU_ASSERT_FATAL(mt_open(t, &unknown, 3, &u) == 0);
	late = mt_connect(NULL, unknown.local_port);
	CU_ASSERT(mt_wait_ev(t, u, DP_MSRP_EV_FAIL, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_HANDSHAKE_TIMEOUT);
	CU_ASSERT_EQUAL(mt_count_ev(t, u, DP_MSRP_EV_UP, -1), 0);
	close(late);
	close(good);
	close(other);
	mt_free(t);
}

/* Back-pressure: the sink does not read; the source's sends block; what
 * the relay holds never exceeds buf_bytes; then everything arrives. */
static void
test_backpressure(void)
{
	const size_t total = 32u << 20;
	struct dp_msrp_conf c = mt_conf();
	struct mt *t;
	struct dp_msrp_leg_stats sa, sb;
	struct mt_end ea, eb;
	struct mt_pair p;
	uint8_t *d = mt_pattern(total, 9);
	size_t last = 0;
	uint64_t stall = 0, end, max_held = 0;
	int small = 65536;

	c.buf_bytes = 65536;
	t = mt_new(&c);
	CU_ASSERT_FATAL(t != NULL && d != NULL);
	CU_ASSERT_FATAL(pair_up(t, &p, NULL, NULL));
	setsockopt(p.ca, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	setsockopt(p.cb, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	mt_end_init(&ea, p.ca, d, total, 0, 21);
	mt_end_init(&eb, p.cb, NULL, 0, total, 22);
	/* Send without reading until the source has been blocked for 300 ms. */
	end = mt_now_ms() + 30000;
	while (mt_now_ms() < end && ea.out_off < total) {
		mt_end_io(&ea, false);
		mt_pump(t);
		CU_ASSERT_EQUAL(dp_msrp_leg_stats(t->m, p.a, &sa), 0);
		CU_ASSERT_EQUAL(dp_msrp_leg_stats(t->m, p.b, &sb), 0);
		if (sa.bytes_in - sb.bytes_out > max_held)
			max_held = sa.bytes_in - sb.bytes_out;
		if (ea.out_off != last) {
			last = ea.out_off;
			stall = mt_now_ms();
		} else if (mt_now_ms() - stall > 300) {
			break;
		}
	}
	printf("\n  back-pressure: source blocked after %zu bytes (%u EAGAIN), relay held at "
	       "most %" PRIu64 " bytes\n",
	       ea.out_off, ea.blocked, max_held);
	CU_ASSERT(ea.out_off < total);
	CU_ASSERT(ea.blocked > 0);
	CU_ASSERT(max_held <= c.buf_bytes);
	CU_ASSERT(max_held > 0);
	/* Now the sink reads: every byte arrives, in order. */
	CU_ASSERT(mt_xfer(t, &ea, &eb, 0, total, false, 60000));
	CU_ASSERT(mt_same(eb.in, eb.in_len, d, total));
	CU_ASSERT_EQUAL(dp_msrp_leg_stats(t->m, p.b, &sb), 0);
	CU_ASSERT_EQUAL(sb.bytes_out, total);
	mt_end_fini(&ea);
	mt_end_fini(&eb);
	pair_close_fds(&p);
	free(d);
	mt_free(t);
}

/* Half-close passes through; then the other side closes and both legs
 * end. */
static void
test_half_close(void)
{
	struct dp_msrp_conf c = mt_conf();
	struct mt *t = mt_new(&c);
	struct dp_msrp_event ev;
	struct mt_end ea, eb;
	struct mt_pair p;
	uint8_t *da = mt_pattern(100000, 31), *db = mt_pattern(50000, 32);

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_FATAL(pair_up(t, &p, NULL, NULL));
	mt_end_init(&ea, p.ca, da, 100000, 50000, 1);
	ea.shut_after = true;
	mt_end_init(&eb, p.cb, NULL, 0, 100000, 2);
	CU_ASSERT(mt_xfer(t, &ea, &eb, 0, 100000, false, 20000));
	/* B reads everything, then EOF. */
	{
		uint64_t end = mt_now_ms() + MT_WAIT_MS;

		while (!eb.eof && mt_now_ms() < end) {
			mt_end_io(&eb, true);
			mt_pump(t);
		}
	}
	CU_ASSERT(eb.eof);
	CU_ASSERT(mt_same(eb.in, eb.in_len, da, 100000));
	/* B can still send to A. */
	eb.out = db;
	eb.out_len = 50000;
	CU_ASSERT(mt_xfer(t, &ea, &eb, 50000, 100000, false, 20000));
	CU_ASSERT(mt_same(ea.in, ea.in_len, db, 50000));
	CU_ASSERT_FALSE(ea.eof);
	CU_ASSERT_EQUAL(mt_count_ev(t, p.a, DP_MSRP_EV_CLOSED, -1), 0);
	/* B closes: A gets EOF, both legs end. */
	close(p.cb);
	p.cb = -1;
	CU_ASSERT(mt_wait_ev(t, p.a, DP_MSRP_EV_CLOSED, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_PEER_CLOSE);
	CU_ASSERT(mt_wait_ev(t, p.b, DP_MSRP_EV_CLOSED, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_JOINED_CLOSED);
	mt_end_io(&ea, true);
	CU_ASSERT(ea.eof);
	mt_end_fini(&ea);
	mt_end_fini(&eb);
	pair_close_fds(&p);
	free(da);
	free(db);
	mt_free(t);
}

/* A reset on one side resets the other. */
static void
test_reset(void)
{
	struct dp_msrp_conf c = mt_conf();
	struct mt *t = mt_new(&c);
	struct linger lg = {.l_onoff = 1, .l_linger = 0};
	struct dp_msrp_totals tot;
	struct dp_msrp_event ev;
	struct mt_end ea, eb;
	struct mt_pair p;
	uint8_t *d = mt_pattern(20000, 41);
	uint64_t end;

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_FATAL(pair_up(t, &p, NULL, NULL));
	mt_end_init(&ea, p.ca, d, 20000, 0, 1);
	mt_end_init(&eb, p.cb, NULL, 0, 20000, 2);
	CU_ASSERT(mt_xfer(t, &ea, &eb, 0, 20000, false, 20000));
	setsockopt(p.ca, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(p.ca);
	p.ca = -1;
	CU_ASSERT(mt_wait_ev(t, p.a, DP_MSRP_EV_CLOSED, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_PEER_RESET);
	CU_ASSERT(mt_wait_ev(t, p.b, DP_MSRP_EV_CLOSED, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_JOINED_CLOSED);
	/* The relay closed B's connection with SO_LINGER 0: an RST, which
	 * recv() reports as ECONNRESET (B had read everything, so nothing
	 * was queued before it). */
	end = mt_now_ms() + MT_WAIT_MS;
	while (eb.err == 0 && !eb.eof && mt_now_ms() < end)
		mt_end_io(&eb, true);
	CU_ASSERT_EQUAL(eb.err, ECONNRESET);
	CU_ASSERT_FALSE(eb.eof);
	dp_msrp_totals(t->m, &tot);
	CU_ASSERT_EQUAL(tot.up, 0);
	CU_ASSERT_EQUAL(tot.fails[DP_MSRP_R_PEER_RESET], 1);
	CU_ASSERT_EQUAL(tot.fails[DP_MSRP_R_JOINED_CLOSED], 1);
	mt_end_fini(&ea);
	mt_end_fini(&eb);
	pair_close_fds(&p);
	free(d);
	mt_free(t);
}

/* Modify: a connection that still matches stays and bytes keep flowing; a
 * closed Mode direction is not read; a changed Remote closes it and the
 * leg listens again. */
static void
test_modify(void)
{
	struct dp_msrp_conf c = mt_conf();
	struct mt *t = mt_new(&c);
	struct dp_msrp_leg_spec sa = mt_spec(DP_MSRP_PASSIVE, "127.0.0.1");
	struct dp_msrp_leg_spec sb = mt_spec(DP_MSRP_PASSIVE, "127.0.0.1");
	struct dp_msrp_leg_spec mod;
	struct dp_msrp_event ev;
	struct mt_end ea, eb;
	struct mt_pair p;
	uint8_t *d = mt_pattern(30000, 51), *d2 = mt_pattern(7000, 52);
	uint8_t got[64];

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_FATAL(pair_up(t, &p, &sa, &sb));
	mt_end_init(&ea, p.ca, d, 10000, 0, 1);
	mt_end_init(&eb, p.cb, NULL, 0, 40000, 2);
	CU_ASSERT(mt_xfer(t, &ea, &eb, 0, 10000, false, 10000));
	/* Same Remote: the connection stays. */
	mod = sa;
	CU_ASSERT_EQUAL(dp_msrp_leg_modify(t->m, p.a, &mod), 0);
	ea.out_len = 20000;
	CU_ASSERT(mt_xfer(t, &ea, &eb, 0, 20000, false, 10000));
	CU_ASSERT_EQUAL(mt_count_ev(t, p.a, DP_MSRP_EV_CLOSED, -1), 0);
	/* B's Mode stops sending (recvonly toward its peer): A is not read. */
	mod = sb;
	mod.send = false;
	CU_ASSERT_EQUAL(dp_msrp_leg_modify(t->m, p.b, &mod), 0);
	ea.out_len = 30000;
	mt_xfer(t, &ea, &eb, 0, 30000, false, 300);
	CU_ASSERT_EQUAL(eb.in_len, 20000);
	mod.send = true;
	CU_ASSERT_EQUAL(dp_msrp_leg_modify(t->m, p.b, &mod), 0);
	CU_ASSERT(mt_xfer(t, &ea, &eb, 0, 30000, false, 10000));
	CU_ASSERT(mt_same(eb.in, eb.in_len, d, 30000));
	/* A new Remote: the connection no longer passes the gate. */
	mod = sa;
	(void)cfg_parse_ip("127.0.0.3", AF_INET, &mod.remote, NULL, 0);
	CU_ASSERT_EQUAL(dp_msrp_leg_modify(t->m, p.a, &mod), 0);
	CU_ASSERT(mt_wait_ev(t, p.a, DP_MSRP_EV_CLOSED, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_REMOTE_CHANGED);
	{
		uint64_t end = mt_now_ms() + MT_WAIT_MS;
		ssize_t r;

		while ((r = mt_recv_now(p.ca, got, sizeof(got))) == -EAGAIN &&
		       mt_now_ms() < end)
			mt_pump(t);
		CU_ASSERT_EQUAL(r, 0);
	}
	close(p.ca);
	/* It listens again, for the new Remote. */
	p.ca = mt_connect("127.0.0.3", p.pa);
	CU_ASSERT_FATAL(p.ca >= 0);
	CU_ASSERT(mt_wait_ev(t, p.a, DP_MSRP_EV_UP, MT_WAIT_MS, &ev));
	mt_end_init(&ea, p.ca, d2, 7000, 0, 3);
	CU_ASSERT(mt_xfer(t, &ea, &eb, 0, 37000, false, 10000));
	CU_ASSERT(memcmp(eb.in + 30000, d2, 7000) == 0);
	mt_end_fini(&ea);
	mt_end_fini(&eb);
	pair_close_fds(&p);
	free(d);
	free(d2);
	mt_free(t);
}

/* Close: final counters; the joined leg flushes and closes; ids die;
 * legs back to 0; no fd left after destroy. */
static void
test_close_stats(void)
{
	const size_t n = 1u << 20;
	unsigned int fds0 = mt_fd_count();
	struct dp_msrp_conf c = mt_conf();
	struct mt *t = mt_new(&c);
	struct dp_msrp_leg_stats sa, sb;
	struct dp_msrp_totals tot;
	struct dp_msrp_event ev;
	struct mt_end ea, eb;
	struct mt_pair p;
	uint8_t *d = mt_pattern(n, 61);

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_FATAL(pair_up(t, &p, NULL, NULL));
	mt_end_init(&ea, p.ca, d, n, 0, 1);
	mt_end_init(&eb, p.cb, NULL, 0, n, 2);
	CU_ASSERT(mt_xfer(t, &ea, &eb, 0, n, false, 20000));
	CU_ASSERT_EQUAL(dp_msrp_leg_close(t->m, p.a, &sa), 0);
	CU_ASSERT_EQUAL(sa.bytes_in, n);
	CU_ASSERT_EQUAL(sa.bytes_out, 0);
	CU_ASSERT_EQUAL(sa.conns, 1);
	CU_ASSERT_FALSE(sa.up);
	CU_ASSERT_EQUAL(dp_msrp_leg_close(t->m, p.a, &sa), -ENOENT);
	CU_ASSERT_EQUAL(dp_msrp_leg_stats(t->m, p.a, &sa), -ENOENT);
	CU_ASSERT_EQUAL(dp_msrp_join(t->m, p.a, p.b), -ENOENT);
	/* B is told: it sends FIN to its peer and closes. */
	CU_ASSERT(mt_wait_ev(t, p.b, DP_MSRP_EV_CLOSED, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_JOINED_CLOSED);
	{
		uint64_t end = mt_now_ms() + MT_WAIT_MS;

		while (!eb.eof && mt_now_ms() < end)
			mt_end_io(&eb, true);
	}
	CU_ASSERT(eb.eof);
	CU_ASSERT_EQUAL(dp_msrp_leg_close(t->m, p.b, &sb), 0);
	CU_ASSERT_EQUAL(sb.bytes_out, n);
	dp_msrp_totals(t->m, &tot);
	CU_ASSERT_EQUAL(tot.legs, 0);
	CU_ASSERT_EQUAL(tot.up, 0);
	mt_end_fini(&ea);
	mt_end_fini(&eb);
	pair_close_fds(&p);
	free(d);
	mt_free(t);
	CU_ASSERT_EQUAL(mt_fd_count(), fds0);
}

/* connect_ms, idle_ms. */
static void
test_timeouts(void)
{
	struct dp_msrp_conf c = mt_conf();
	struct mt *t;
	struct dp_msrp_leg_spec s = mt_spec(DP_MSRP_PASSIVE, "127.0.0.1");
	struct dp_msrp_event ev;
	struct mt_pair p;
	uint64_t t0, dt;
	uint8_t got[16];
	uint32_t a;
	int late;

	c.connect_ms = 300;
	c.idle_ms = 400;
	t = mt_new(&c);
	CU_ASSERT_FATAL(t != NULL);
	t0 = mt_now_ms();
	CU_ASSERT_FATAL(mt_open(t, &s, 1, &a) == 0);
	CU_ASSERT(mt_wait_ev(t, a, DP_MSRP_EV_FAIL, MT_WAIT_MS, &ev));
	dt = mt_now_ms() - t0;
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_TIMEOUT);
	CU_ASSERT(dt >= 300 && dt < 1000);
	/* The listener is gone; the leg stays until closed. */
	late = mt_connect(NULL, s.local_port);
	CU_ASSERT_EQUAL(late, -1);
	CU_ASSERT_EQUAL(dp_msrp_leg_close(t->m, a, NULL), 0);

	CU_ASSERT_FATAL(pair_up(t, &p, NULL, NULL));
	t0 = mt_now_ms();
	CU_ASSERT(mt_wait_ev(t, p.a, DP_MSRP_EV_CLOSED, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_IDLE);
	CU_ASSERT(mt_wait_ev(t, p.b, DP_MSRP_EV_CLOSED, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_IDLE);
	dt = mt_now_ms() - t0;
	CU_ASSERT(dt >= 350 && dt < 1500);
	CU_ASSERT_EQUAL(mt_recv_now(p.ca, got, sizeof(got)), 0);
	pair_close_fds(&p);
	mt_free(t);
}

/* The framing check: MSRP passes (and is counted), anything else closes
 * the leg (R_FRAMING) without reaching the other side. */
static void
test_framing(void)
{
	static const char msg[] = "MSRP a786hjs2 SEND\r\n"
				  "To-Path: msrp://bob.example.com:8888/9di4eae923wzd;tcp\r\n"
				  "From-Path: msrp://alicepc.example.com:7777/iau39soe2843z;tcp\r\n"
				  "Message-ID: 87652491\r\n"
				  "Byte-Range: 1-25/25\r\n"
				  "Content-Type: text/plain\r\n"
				  "\r\n"
				  "Hey Bob, are you there?\r\n"
				  "-------a786hjs2$\r\n";
	static const char junk[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	struct dp_msrp_conf c = mt_conf();
	struct mt *t = mt_new(&c);
	struct dp_msrp_leg_spec sa = mt_spec(DP_MSRP_PASSIVE, "127.0.0.1");
	struct dp_msrp_leg_stats st;
	struct dp_msrp_event ev;
	struct mt_end ea, eb;
	struct mt_pair p;
	uint64_t end;

	CU_ASSERT_FATAL(t != NULL);
	sa.frame_check = true;
	CU_ASSERT_FATAL(pair_up(t, &p, &sa, NULL));
	mt_end_init(&ea, p.ca, (const uint8_t *)msg, sizeof(msg) - 1, 0, 1);
	mt_end_init(&eb, p.cb, NULL, 0, 4096, 2);
	CU_ASSERT(mt_xfer(t, &ea, &eb, 0, sizeof(msg) - 1, false, 10000));
	CU_ASSERT(mt_same(eb.in, eb.in_len, (const uint8_t *)msg, sizeof(msg) - 1));
	CU_ASSERT_EQUAL(dp_msrp_leg_stats(t->m, p.a, &st), 0);
	CU_ASSERT_EQUAL(st.msgs_in, 1);
	ea.out = (const uint8_t *)junk;
	ea.out_off = 0;
	ea.out_len = sizeof(junk) - 1;
	end = mt_now_ms() + MT_WAIT_MS;
	while (mt_count_ev(t, p.a, DP_MSRP_EV_CLOSED, DP_MSRP_R_FRAMING) == 0 &&
	       mt_now_ms() < end) {
		mt_end_io(&ea, false);
		mt_end_io(&eb, true);
		mt_pump(t);
	}
	CU_ASSERT_EQUAL(mt_count_ev(t, p.a, DP_MSRP_EV_CLOSED, DP_MSRP_R_FRAMING), 1);
	CU_ASSERT(mt_wait_ev(t, p.b, DP_MSRP_EV_CLOSED, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_JOINED_CLOSED);
	end = mt_now_ms() + MT_WAIT_MS;
	while (!eb.eof && mt_now_ms() < end)
		mt_end_io(&eb, true);
	CU_ASSERT(eb.eof);
	CU_ASSERT_EQUAL(eb.in_len, sizeof(msg) - 1);
	CU_ASSERT_EQUAL(dp_msrp_leg_close(t->m, p.a, &st), 0);
	CU_ASSERT_EQUAL(st.fails[DP_MSRP_R_FRAMING], 1);
	CU_ASSERT_EQUAL(st.bytes_in, sizeof(msg) - 1);
	mt_end_fini(&ea);
	mt_end_fini(&eb);
	pair_close_fds(&p);
	mt_free(t);
}

/* IPv6: a passive leg on ::1 joined with an active one toward ::1. */
static int
connect6(uint16_t port)
{
	struct sockaddr_in6 sa = {.sin6_family = AF_INET6, .sin6_port = htons(port)};
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);

	sa.sin6_addr = in6addr_loopback;
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

static void
test_ipv6(void)
{
	struct dp_msrp_conf c = mt_conf();
	struct mt *t = mt_new(&c);
	struct dp_msrp_leg_spec sa = mt_spec(DP_MSRP_PASSIVE, NULL);
	struct dp_msrp_leg_spec sb = mt_spec(DP_MSRP_ACTIVE, NULL);
	struct sockaddr_in6 srv_sa = {.sin6_family = AF_INET6};
	struct dp_msrp_event ev;
	struct mt_end ea, es;
	uint8_t *d = mt_pattern(100000, 111);
	uint32_t a, b;
	char ip[64];
	int srv, sfd = -1, ca, one = 1;
	unsigned int i;

	CU_ASSERT_FATAL(t != NULL);
	(void)cfg_parse_ip("::1", AF_INET6, &sa.local, NULL, 0);
	sa.remote = sa.local;
	sb.local = sb.remote = sa.local;
	srv = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	srv_sa.sin6_addr = in6addr_loopback;
	for (i = 0; i < 40; i++) {
		srv_sa.sin6_port = htons(mt_port());
		if (bind(srv, (struct sockaddr *)&srv_sa, sizeof(srv_sa)) == 0)
			break;
	}
	CU_ASSERT_FATAL(listen(srv, 4) == 0);
	fcntl(srv, F_SETFL, fcntl(srv, F_GETFL) | O_NONBLOCK);
	sb.remote_port = ntohs(srv_sa.sin6_port);
	sb.connect_after_peer = true;
	CU_ASSERT_FATAL(mt_open(t, &sa, 1, &a) == 0);
	CU_ASSERT_FATAL(mt_open(t, &sb, 2, &b) == 0);
	CU_ASSERT_EQUAL(dp_msrp_join(t->m, a, b), 0);
	ca = connect6(sa.local_port);
	CU_ASSERT_FATAL(ca >= 0);
	CU_ASSERT(mt_wait_ev(t, a, DP_MSRP_EV_UP, MT_WAIT_MS, &ev));
	CU_ASSERT_STRING_EQUAL(cfg_ip_str(&ev.peer, ip, sizeof(ip)), "::1");
	CU_ASSERT(mt_wait_ev(t, b, DP_MSRP_EV_UP, MT_WAIT_MS, NULL));
	sfd = mt_accept(t, srv, MT_WAIT_MS);
	CU_ASSERT_FATAL(sfd >= 0);
	mt_end_init(&ea, ca, d, 100000, 0, 1);
	mt_end_init(&es, sfd, NULL, 0, 100000, 2);
	CU_ASSERT(mt_xfer(t, &ea, &es, 0, 100000, false, 10000));
	CU_ASSERT(mt_same(es.in, es.in_len, d, 100000));
	mt_end_fini(&ea);
	mt_end_fini(&es);
	close(ca);
	close(sfd);
	close(srv);
	free(d);
	mt_free(t);
}

/* max_legs, addresses, bad specs. */
static void
test_limits(void)
{
	struct dp_msrp_conf c = mt_conf();
	struct mt *t;
	struct dp_msrp_leg_spec s = mt_spec(DP_MSRP_PASSIVE, "127.0.0.1"), x;
	uint32_t legs[4], extra;
	uint16_t port0 = 0;
	unsigned int i;

	c.max_legs = 4;
	t = mt_new(&c);
	CU_ASSERT_FATAL(t != NULL);
	for (i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(mt_open(t, &s, i, &legs[i]), 0);
		if (i == 0)
			port0 = s.local_port;
	}
	CU_ASSERT_EQUAL(mt_open(t, &s, 9, &extra), -ENOSPC);
	CU_ASSERT_EQUAL(dp_msrp_leg_close(t->m, legs[3], NULL), 0);
	CU_ASSERT_EQUAL(mt_open(t, &s, 9, &extra), 0);
	CU_ASSERT_NOT_EQUAL(extra, legs[3]); /* a new id in the same slot */
	CU_ASSERT_EQUAL(dp_msrp_leg_close(t->m, extra, NULL), 0);
	/* The port of a listening leg is in use. */
	s.local_port = port0;
	CU_ASSERT_EQUAL(dp_msrp_leg_open(t->m, &s, 9, &extra), -EADDRINUSE);
	x = s;
	(void)cfg_parse_ip("192.0.2.1", AF_INET, &x.local, NULL, 0);
	CU_ASSERT_EQUAL(dp_msrp_leg_open(t->m, &x, 9, &extra), -EADDRNOTAVAIL);
	x = s;
	x.tls = true; /* no fingerprints, no certificate */
	CU_ASSERT_EQUAL(dp_msrp_leg_open(t->m, &x, 9, &extra), -EINVAL);
	x = mt_spec(DP_MSRP_ACTIVE, "127.0.0.1"); /* no remote port */
	CU_ASSERT_EQUAL(dp_msrp_leg_open(t->m, &x, 9, &extra), -EINVAL);
	x = s;
	x.setup = (enum dp_msrp_setup)7;
	CU_ASSERT_EQUAL(dp_msrp_leg_open(t->m, &x, 9, &extra), -EINVAL);
	x = s;
	x.local_port++;
	CU_ASSERT_EQUAL(dp_msrp_leg_modify(t->m, legs[0], &x), -EINVAL);
	CU_ASSERT_EQUAL(dp_msrp_leg_modify(t->m, 0x7fffffff, &s), -ENOENT);
	CU_ASSERT_EQUAL(dp_msrp_join(t->m, legs[0], legs[0]), -EINVAL);
	CU_ASSERT_EQUAL(dp_msrp_join(t->m, legs[0], 12345), -ENOENT);
	CU_ASSERT_EQUAL(dp_msrp_unjoin(t->m, 12345), -ENOENT);
	CU_ASSERT_EQUAL(dp_msrp_fd(t->m) >= 0, 1);
	CU_ASSERT_STRING_EQUAL(dp_msrp_reason_name(DP_MSRP_R_HANDSHAKE_TIMEOUT),
			       "handshake_timeout");
	CU_ASSERT_STRING_EQUAL(dp_msrp_reason_name(DP_MSRP_R_MAX), "unknown");
	mt_free(t);
	c.buf_bytes = 10;
	{
		char err[128] = "";

		CU_ASSERT_PTR_NULL(dp_msrp_create(&c, err, sizeof(err)));
		CU_ASSERT(strstr(err, "buf_bytes") != NULL);
	}
}

/* Out of fds at accept: the connection is refused with the spare fd and
 * counted (R_RESOURCES); the relay does not spin, and accepts again once
 * fds are back. */
static void
test_emfile(void)
{
	struct dp_msrp_conf c = mt_conf();
	struct mt *t = mt_new(&c);
	struct dp_msrp_leg_spec s = mt_spec(DP_MSRP_PASSIVE, "127.0.0.1");
	struct dp_msrp_event ev;
	struct sockaddr_in sa;
	struct rlimit old, low;
	struct mt_end e;
	uint32_t a;
	int cfd, lowest, good;

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_FATAL(mt_open(t, &s, 1, &a) == 0);
	cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CU_ASSERT_FATAL(cfd >= 0);
	lowest = dup(0);
	close(lowest);
	getrlimit(RLIMIT_NOFILE, &old);
	low = old;
	low.rlim_cur = (rlim_t)lowest; /* no new fd from here */
	CU_ASSERT_FATAL(setrlimit(RLIMIT_NOFILE, &low) == 0);
	mt_sin(&sa, "127.0.0.1", s.local_port);
	CU_ASSERT(connect(cfd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	CU_ASSERT(mt_wait_ev(t, a, DP_MSRP_EV_FAIL, MT_WAIT_MS, &ev));
	CU_ASSERT_EQUAL(ev.reason, DP_MSRP_R_RESOURCES);
	mt_run(t, 50);
	setrlimit(RLIMIT_NOFILE, &old);
	mt_end_init(&e, cfd, NULL, 0, 16, 1);
	mt_end_io(&e, true);
	CU_ASSERT_EQUAL(e.err, ECONNRESET);
	mt_end_fini(&e);
	/* Refused once each, not a busy loop. */
	CU_ASSERT(mt_count_ev(t, a, DP_MSRP_EV_FAIL, DP_MSRP_R_RESOURCES) <= 2);
	good = mt_connect(NULL, s.local_port);
	CU_ASSERT(mt_wait_ev(t, a, DP_MSRP_EV_UP, MT_WAIT_MS, NULL));
	close(good);
	close(cfd);
	mt_free(t);
}

int
main(void)
{
	CU_pSuite s;

	signal(SIGPIPE, SIG_IGN); /* as the gateway does (dp_msrp.h) */
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("dp_msrp_tcp", NULL, NULL);
	CU_add_test(s, "relay 4 MB each way", test_relay_4mb);
	CU_add_test(s, "active legs, connect_after_peer, refused", test_active);
	CU_add_test(s, "gate and any_source", test_gate);
	CU_add_test(s, "back-pressure", test_backpressure);
	CU_add_test(s, "half-close", test_half_close);
	CU_add_test(s, "reset", test_reset);
	CU_add_test(s, "modify and Mode", test_modify);
	CU_add_test(s, "close, stats, fds", test_close_stats);
	CU_add_test(s, "connect and idle timeouts", test_timeouts);
	CU_add_test(s, "framing check", test_framing);
	CU_add_test(s, "IPv6", test_ipv6);
	CU_add_test(s, "limits and errors", test_limits);
	CU_add_test(s, "fd exhaustion at accept", test_emfile);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	{
		unsigned int f = CU_get_number_of_failures();

		CU_cleanup_registry();
		return f ? 1 : 0;
	}
}
