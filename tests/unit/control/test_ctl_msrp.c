/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CUnit: MSRP terminations (control/ctl_msrp.c) against the real relay
 * (dataplane/dp_msrp, n_workers 0: control's ctl_poll() drives it) over
 * loopback in the test's own namespace. The gateway's addresses are
 * 127.0.0.2 (access) and 127.0.0.3 (core); the UE is a TLS client with a
 * self-signed certificate of its own on 127.0.0.1, the core peer a TCP
 * server on 127.0.0.1.
 *
 *   - an e2ae MSRP call: the access leg listens (the UE offered active),
 *     the core leg connects only once the UE is up (bearer coupling), bytes
 *     both ways arrive intact, a Modify that keeps the Remote keeps the
 *     connection, Subtract returns exact byte counts;
 *   - the UE presents a certificate the Remote fingerprint does not name:
 *     the failure (tls: fingerprint) reaches the event callback with the
 *     termination's id, and is counted;
 *   - a core peer that refuses: connect failure reaches the callback;
 *   - a=setup: a new role opens a new leg on the same port; both sides
 *     passive is refused; RTP and MSRP never share a context;
 *   - the admin socket's words build the same terminations.
 */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <CUnit/Basic.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <rte_eal.h>

#include "cfg.h"
#include "ctl.h"
#include "dp.h"
#include "dp_msrp.h"
#include "sec.h"
#include "sec_tls.h"
#include "ctl_test.h"
#include "ctl_test_msrp.h"

#define WAIT_MS TT_WAIT_MS

static struct tt_env E;

/* Events the callback saw. */
#define EV_MAX 64
static struct {
	uint32_t ctx_id;
	char term[CTL_TERM_ID_MAX + 1];
	enum dp_msrp_ev_type type;
	enum dp_msrp_reason reason;
	enum sec_tls_fail tls;
} evs[EV_MAX];
static unsigned int n_evs;

static void
on_event(const struct ctl_msrp_event *ev, void *arg)
{
	(void)arg;
	if (n_evs == EV_MAX)
		return;
	evs[n_evs].ctx_id = ev->ctx_id;
	snprintf(evs[n_evs].term, sizeof(evs[n_evs].term), "%s", ev->term_id);
	evs[n_evs].type = ev->type;
	evs[n_evs].reason = ev->reason;
	evs[n_evs].tls = ev->tls;
	n_evs++;
}

static int
setup(void)
{
	/* TCP ranges per process, so that a parallel run of this test does not
	 * meet ours (the relay's own tests use 127.0.0.1). */
	if (tt_env_setup(&E, "ctlmsrp", 40000 + (unsigned int)(getpid() % 100) * 100) < 0)
		return -1;
	ctl_set_msrp_event_cb(E.ctl, on_event, NULL);
	return 0;
}

static int
teardown(void)
{
	tt_env_teardown(&E);
	return 0;
}

/* ---- helpers ------------------------------------------------------------- */

static uint64_t
now_ms(void)
{
	return ctl_now_ms();
}

static void
pump(void)
{
	tt_pump(&E);
}

static void
pump_ms(unsigned int ms)
{
	uint64_t end = now_ms() + ms;

	while (now_ms() < end)
		pump();
}

/* The first recorded event of term of type, waiting up to WAIT_MS. */
static int
wait_event(const char *term, enum dp_msrp_ev_type type)
{
	uint64_t end = now_ms() + WAIT_MS;
	unsigned int i;

	for (;;) {
		for (i = 0; i < n_evs; i++)
			if (evs[i].type == type && strcmp(evs[i].term, term) == 0)
				return (int)i;
		if (now_ms() >= end)
			return -1;
		pump();
	}
}

static struct ctl_term_spec
msrp_spec(enum cfg_port_role realm, enum ctl_transport tr, uint16_t rport, enum ctl_setup rsetup)
{
	struct ctl_term_spec s;

	ctl_spec_init(&s);
	s.realm = realm;
	s.transport = tr;
	s.mode = CTL_MODE_SENDRECV;
	CU_ASSERT_EQUAL(ctl_spec_remote(&s, "127.0.0.1", 9, rport, 0), 0);
	s.msrp.setup = rsetup;
	return s;
}

static void
add_fp(struct ctl_term_spec *s, const struct sec_fp *fp)
{
	char text[SEC_FP_TEXT_MAX];

	CU_ASSERT_FATAL(sec_fp_format(fp, text, sizeof(text)) > 0);
	CU_ASSERT_EQUAL(ctl_spec_fingerprint(s, text, strlen(text)), 0);
}

/* A closed port on 127.0.0.1: bound, never listened, closed. */
static uint16_t
closed_port(void)
{
	uint16_t port = 0;
	int fd = tt_tcp_server(&port);

	if (fd >= 0)
		close(fd);
	return port;
}

static int
accept_within(int lfd, unsigned int ms)
{
	uint64_t end = now_ms() + ms;
	int fd;

	do {
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0)
			return fd;
		pump();
	} while (now_ms() < end);
	return -1;
}

/* The UE: a TLS client with its own certificate, from 127.0.0.1 to our
 * access address. */
static SSL *
ue_connect(uint16_t port, X509 *cert, EVP_PKEY *key, int *fdp)
{
	return tt_client("127.0.0.2", port, cert, key, fdp);
}

/* Write all of buf (TLS when ssl, else fd), pumping. */
static bool
send_all(SSL *ssl, int fd, const uint8_t *buf, size_t len)
{
	uint64_t end = now_ms() + WAIT_MS;
	size_t off = 0;

	while (off < len && now_ms() < end) {
		int n = ssl != NULL ? SSL_write(ssl, buf + off, (int)(len - off > 16384 ? 16384 : len - off))
				    : (int)write(fd, buf + off, len - off);

		if (n > 0)
			off += (size_t)n;
		pump();
	}
	return off == len;
}

/* Read exactly len bytes into buf, pumping; false on timeout or EOF. */
static bool
recv_all(SSL *ssl, int fd, uint8_t *buf, size_t len)
{
	uint64_t end = now_ms() + WAIT_MS;
	size_t off = 0;

	while (off < len && now_ms() < end) {
		int n = ssl != NULL ? SSL_read(ssl, buf + off, (int)(len - off))
				    : (int)read(fd, buf + off, len - off);

		if (n > 0)
			off += (size_t)n;
		else if (n == 0 && ssl == NULL)
			return false;
		pump();
	}
	return off == len;
}

/* ---- tests --------------------------------------------------------------- */

#define UP_BYTES (96 * 1024 + 17)
#define DOWN_BYTES (48 * 1024 + 5)

/*
 * The e2ae MSRP call of SPEC.md §2.3/§2.4: the UE connects (active) to our
 * access leg with TLS; our core leg connects to the core peer only once the
 * UE is up; the MSRP bytes cross byte for byte; Subtract counts them.
 */
static void
test_call(void)
{
	static uint8_t up[UP_BYTES], down[DOWN_BYTES], got[UP_BYTES];
	struct ctl_term_info acc, core, info;
	struct ctl_term_spec s;
	struct ctl_term_stats st;
	struct sec_fp ours, server_fp;
	char path[CTL_MSRP_URI_MAX];
	uint32_t ctx = 0;
	uint16_t core_port = 0;
	int lfd, cfd, ufd = -1, i;
	SSL *ue;
	X509 *peer;

	n_evs = 0;
	CU_ASSERT_FATAL(RAND_bytes(up, sizeof(up)) == 1 && RAND_bytes(down, sizeof(down)) == 1);
	memcpy(up, "MSRP a786hjs2 SEND\r\n", 20); /* the start a UE sends */
	lfd = tt_tcp_server(&core_port);
	CU_ASSERT_FATAL(lfd >= 0);
	CU_ASSERT_EQUAL_FATAL(ctl_context_create(E.ctl, &ctx), 0);

	/* Access: the UE offered active (it connects, port 9), one SHA-256
	 * fingerprint, a path and CEMA. */
	s = msrp_spec(CFG_PORT_ACCESS, CTL_TR_MSRP_TLS, 9, CTL_SETUP_ACTIVE);
	add_fp(&s, &E.ue_fp);
	CU_ASSERT_EQUAL(ctl_spec_msrp_path(&s, "msrps://127.0.0.1:9/ue1;tcp", 27), 0);
	s.msrp.cema = true;
	CU_ASSERT_EQUAL_FATAL(ctl_term_add(E.ctl, ctx, NULL, &s, &acc), 0);
	CU_ASSERT_EQUAL(acc.transport, CTL_TR_MSRP_TLS);
	CU_ASSERT_EQUAL(acc.msrp.setup, CTL_SETUP_PASSIVE);
	CU_ASSERT_EQUAL(acc.msrp.state, CTL_MSRP_LISTENING);
	CU_ASSERT_EQUAL(acc.msrp.opens, 1);
	CU_ASSERT_EQUAL(acc.msrp.n_remote_fp, 1);
	CU_ASSERT_TRUE(acc.msrp.cema);
	CU_ASSERT(acc.local_port >= E.cfg->ports[CFG_PORT_ACCESS].tcp_min &&
		  acc.local_port <= E.cfg->ports[CFG_PORT_ACCESS].tcp_max);
	CU_ASSERT_EQUAL(acc.local_rtcp_port, 0);
	/* Our fingerprint is the certificate's; our path names our address,
	 * port and a 96-bit base64url session id. */
	sec_tls_local_fp(E.tls, SEC_FP_SHA256, &ours);
	CU_ASSERT_TRUE(acc.msrp.has_fp);
	CU_ASSERT_TRUE(sec_fp_equal(&acc.msrp.fp, &ours));
	snprintf(path, sizeof(path), "msrps://127.0.0.2:%u/", acc.local_port);
	CU_ASSERT_EQUAL(strncmp(acc.msrp.path, path, strlen(path)), 0);
	CU_ASSERT_EQUAL(strlen(acc.msrp.path), strlen(path) + CTL_MSRP_SID_LEN + 4);
	CU_ASSERT_STRING_EQUAL(acc.msrp.path + strlen(path) + CTL_MSRP_SID_LEN, ";tcp");
	for (i = 0; i < CTL_MSRP_SID_LEN; i++) {
		char ch = acc.msrp.path[strlen(path) + (size_t)i];

		CU_ASSERT((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			  (ch >= '0' && ch <= '9') || ch == '-' || ch == '_');
	}

	/* Core: the core peer listens (passive): we connect, but only once
	 * the UE is up. */
	s = msrp_spec(CFG_PORT_CORE, CTL_TR_MSRP, core_port, CTL_SETUP_PASSIVE);
	CU_ASSERT_EQUAL_FATAL(ctl_term_add(E.ctl, ctx, NULL, &s, &core), 0);
	CU_ASSERT_EQUAL(core.msrp.setup, CTL_SETUP_ACTIVE);
	CU_ASSERT_EQUAL(core.msrp.state, CTL_MSRP_CONNECTING);
	CU_ASSERT_FALSE(core.msrp.has_fp);
	snprintf(path, sizeof(path), "msrp://127.0.0.3:%u/", core.local_port);
	CU_ASSERT_EQUAL(strncmp(core.msrp.path, path, strlen(path)), 0);
	CU_ASSERT(strcmp(core.msrp.path + strlen(path), acc.msrp.path + strlen(acc.msrp.path) -
							     CTL_MSRP_SID_LEN - 4) != 0);
	CU_ASSERT_EQUAL(accept_within(lfd, 300), -1); /* not before the UE */

	/* The UE connects and authenticates us by our fingerprint. */
	ue = ue_connect(acc.local_port, E.ue_cert, E.ue_key, &ufd);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ue);
	CU_ASSERT_EQUAL_FATAL(tt_handshake(&E, ue), 1);
	peer = SSL_get1_peer_certificate(ue);
	CU_ASSERT_PTR_NOT_NULL_FATAL(peer);
	CU_ASSERT_EQUAL(tt_cert_fp(peer, &server_fp), 0);
	X509_free(peer);
	CU_ASSERT_TRUE(sec_fp_equal(&server_fp, &acc.msrp.fp));
	CU_ASSERT(wait_event(acc.id, DP_MSRP_EV_UP) >= 0);
	cfd = accept_within(lfd, WAIT_MS);
	CU_ASSERT_FATAL(cfd >= 0);
	CU_ASSERT(wait_event(core.id, DP_MSRP_EV_UP) >= 0);
	CU_ASSERT_EQUAL(ctl_term_get(E.ctl, ctx, acc.id, &info, NULL), 0);
	CU_ASSERT_EQUAL(info.msrp.state, CTL_MSRP_UP);
	CU_ASSERT_EQUAL(info.msrp.peer.family, AF_INET);
	CU_ASSERT_EQUAL(info.msrp.peer.a.v4.s_addr, inet_addr("127.0.0.1"));

	/* UE -> core and core -> UE, byte for byte. */
	CU_ASSERT_FATAL(send_all(ue, -1, up, sizeof(up)));
	CU_ASSERT_FATAL(recv_all(NULL, cfd, got, sizeof(up)));
	CU_ASSERT_EQUAL(memcmp(got, up, sizeof(up)), 0);
	CU_ASSERT_FATAL(send_all(NULL, cfd, down, sizeof(down)));
	CU_ASSERT_FATAL(recv_all(ue, -1, got, sizeof(down)));
	CU_ASSERT_EQUAL(memcmp(got, down, sizeof(down)), 0);

	/* A re-INVITE with the same Remote (and a Mode): the connection
	 * stays, no leg is opened, bytes still cross. */
	ctl_spec_init(&s);
	CU_ASSERT_EQUAL(ctl_spec_remote(&s, "127.0.0.1", 9, 9, 0), 0);
	CU_ASSERT_EQUAL(ctl_spec_setup(&s, "active", 6, false), 0);
	add_fp(&s, &E.ue_fp);
	s.mode = CTL_MODE_SENDRECV;
	s.set |= CTL_SET_MODE;
	CU_ASSERT_EQUAL(ctl_term_modify(E.ctl, ctx, acc.id, &s, &info), 0);
	CU_ASSERT_EQUAL(info.msrp.opens, 1);
	CU_ASSERT_EQUAL(info.msrp.state, CTL_MSRP_UP);
	pump_ms(50);
	CU_ASSERT_FATAL(send_all(ue, -1, up, 1000));
	CU_ASSERT_FATAL(recv_all(NULL, cfd, got, 1000));
	CU_ASSERT_EQUAL(memcmp(got, up, 1000), 0);
	for (i = 0; i < (int)n_evs; i++)
		CU_ASSERT(evs[i].type == DP_MSRP_EV_UP);

	/* Subtract: exact counts, from the termination's side. */
	CU_ASSERT_EQUAL(ctl_term_subtract(E.ctl, ctx, acc.id, &st), 0);
	CU_ASSERT_EQUAL(st.msrp.bytes_in, sizeof(up) + 1000);
	CU_ASSERT_EQUAL(st.msrp.bytes_out, sizeof(down));
	CU_ASSERT_EQUAL(st.msrp.conns, 1);
	CU_ASSERT_EQUAL(st.msrp.tls_fails[SEC_TLS_FAIL_FINGERPRINT], 0);
	CU_ASSERT_EQUAL(ctl_term_subtract(E.ctl, ctx, core.id, &st), 0);
	CU_ASSERT_EQUAL(st.msrp.bytes_in, sizeof(down));
	CU_ASSERT_EQUAL(st.msrp.bytes_out, sizeof(up) + 1000);
	CU_ASSERT_EQUAL(st.msrp.conns, 1);
	CU_ASSERT_EQUAL(ctl_context_count(E.ctl), 0);
	SSL_free(ue);
	close(ufd);
	close(cfd);
	close(lfd);
}

/* A UE whose certificate the Remote fingerprint does not name: the relay
 * refuses it (bad_certificate) and the failure reaches the callback with
 * the context and termination; it is counted by reason. */
static void
test_fingerprint_mismatch(void)
{
	struct ctl_term_info acc;
	struct ctl_term_spec s;
	struct ctl_term_stats st;
	uint32_t ctx = 0;
	int ufd = -1, k;
	SSL *ue;

	n_evs = 0;
	CU_ASSERT_EQUAL_FATAL(ctl_context_create(E.ctl, &ctx), 0);
	s = msrp_spec(CFG_PORT_ACCESS, CTL_TR_MSRP_TLS, 9, CTL_SETUP_ACTPASS);
	add_fp(&s, &E.ue_fp);
	CU_ASSERT_EQUAL_FATAL(ctl_term_add(E.ctl, ctx, "ip/access/fp1", &s, &acc), 0);
	CU_ASSERT_EQUAL(acc.msrp.setup, CTL_SETUP_PASSIVE); /* actpass: we listen */
	ue = ue_connect(acc.local_port, E.stranger_cert, E.stranger_key, &ufd);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ue);
	tt_handshake(&E, ue);
	/* Under TLS 1.3 the client finishes before the server's check:
	 * its refusal arrives as an alert on the first read. */
	CU_ASSERT_EQUAL(tt_refused(&E, ue), 1);
	k = wait_event("ip/access/fp1", DP_MSRP_EV_FAIL);
	CU_ASSERT_FATAL(k >= 0);
	CU_ASSERT_EQUAL(evs[k].ctx_id, ctx);
	CU_ASSERT_EQUAL(evs[k].reason, DP_MSRP_R_TLS);
	CU_ASSERT_EQUAL(evs[k].tls, SEC_TLS_FAIL_FINGERPRINT);
	CU_ASSERT_EQUAL(ctl_term_get(E.ctl, ctx, "ip/access/fp1", &acc, &st), 0);
	CU_ASSERT_EQUAL(acc.msrp.state, CTL_MSRP_LISTENING); /* it listens on */
	CU_ASSERT_EQUAL(st.msrp.tls_fails[SEC_TLS_FAIL_FINGERPRINT], 1);
	CU_ASSERT_EQUAL(st.msrp.bytes_in, 0);
	SSL_free(ue);
	close(ufd);

	/* The right UE still gets in. */
	ue = ue_connect(acc.local_port, E.ue_cert, E.ue_key, &ufd);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ue);
	CU_ASSERT_EQUAL(tt_handshake(&E, ue), 1);
	CU_ASSERT(wait_event("ip/access/fp1", DP_MSRP_EV_UP) >= 0);
	/* A re-INVITE naming another certificate: the live connection no
	 * longer matches, the relay closes it and the leg listens again. */
	ctl_spec_init(&s);
	add_fp(&s, &E.stranger_fp);
	CU_ASSERT_EQUAL(ctl_term_modify(E.ctl, ctx, "ip/access/fp1", &s, &acc), 0);
	k = wait_event("ip/access/fp1", DP_MSRP_EV_CLOSED);
	CU_ASSERT_FATAL(k >= 0);
	CU_ASSERT_EQUAL(evs[k].reason, DP_MSRP_R_REMOTE_CHANGED);
	CU_ASSERT_EQUAL(ctl_term_get(E.ctl, ctx, "ip/access/fp1", &acc, NULL), 0);
	CU_ASSERT_EQUAL(acc.msrp.state, CTL_MSRP_LISTENING);
	CU_ASSERT_EQUAL(acc.msrp.opens, 1);
	CU_ASSERT_EQUAL(ctl_context_delete(E.ctl, ctx), 0);
	SSL_free(ue);
	close(ufd);
}

/* An active core leg whose peer refuses: EV_FAIL connect at the callback,
 * state failed; a Modify with a listening peer starts it over. */
static void
test_connect_failure(void)
{
	struct ctl_term_info core;
	struct ctl_term_spec s;
	uint32_t ctx = 0;
	uint16_t port = 0;
	int k, lfd, cfd;

	n_evs = 0;
	CU_ASSERT_EQUAL_FATAL(ctl_context_create(E.ctl, &ctx), 0);
	s = msrp_spec(CFG_PORT_CORE, CTL_TR_MSRP, closed_port(), CTL_SETUP_PASSIVE);
	CU_ASSERT_EQUAL_FATAL(ctl_term_add(E.ctl, ctx, NULL, &s, &core), 0);
	CU_ASSERT_EQUAL(core.msrp.setup, CTL_SETUP_ACTIVE);
	k = wait_event(core.id, DP_MSRP_EV_FAIL);
	CU_ASSERT_FATAL(k >= 0);
	CU_ASSERT_EQUAL(evs[k].reason, DP_MSRP_R_CONNECT);
	CU_ASSERT_EQUAL(evs[k].ctx_id, ctx);
	CU_ASSERT_EQUAL(ctl_term_get(E.ctl, ctx, core.id, &core, NULL), 0);
	CU_ASSERT_EQUAL(core.msrp.state, CTL_MSRP_FAILED);

	lfd = tt_tcp_server(&port);
	CU_ASSERT_FATAL(lfd >= 0);
	ctl_spec_init(&s);
	CU_ASSERT_EQUAL(ctl_spec_remote(&s, "127.0.0.1", 9, port, 0), 0);
	CU_ASSERT_EQUAL(ctl_term_modify(E.ctl, ctx, core.id, &s, &core), 0);
	CU_ASSERT_EQUAL(core.msrp.opens, 1);
	cfd = accept_within(lfd, WAIT_MS);
	CU_ASSERT(cfd >= 0);
	CU_ASSERT(wait_event(core.id, DP_MSRP_EV_UP) >= 0);
	CU_ASSERT_EQUAL(ctl_context_delete(E.ctl, ctx), 0);
	if (cfd >= 0)
		close(cfd);
	close(lfd);
}

/* Bytes that must not arrive: nothing readable on fd within ms. */
static bool
quiet(int fd, unsigned int ms)
{
	uint64_t end = now_ms() + ms;
	uint8_t b[64];

	while (now_ms() < end) {
		if (read(fd, b, sizeof(b)) > 0)
			return false;
		pump();
	}
	return true;
}

/* A core termination connected to a fresh core peer; *cfd its side. */
static void
core_up(uint32_t ctx, struct ctl_term_info *core, int *lfd, int *cfd)
{
	struct ctl_term_spec s;
	uint16_t port = 0;

	*lfd = tt_tcp_server(&port);
	CU_ASSERT_FATAL(*lfd >= 0);
	s = msrp_spec(CFG_PORT_CORE, CTL_TR_MSRP, port, CTL_SETUP_PASSIVE);
	CU_ASSERT_EQUAL_FATAL(ctl_term_add(E.ctl, ctx, NULL, &s, core), 0);
	*cfd = accept_within(*lfd, WAIT_MS);
	CU_ASSERT_FATAL(*cfd >= 0);
}

/*
 * Mode gates the relay as it gates RTP: Inactive stops both ways, RecvOnly
 * on the access side lets only what the UE sends through. Move carries the
 * UE's connection to another context, joined with its core leg there.
 */
static void
test_mode_and_move(void)
{
	static const uint8_t msg[] = "MSRP x1 SEND\r\nTo-Path: msrp://a/b;tcp\r\n";
	struct ctl_term_info acc, core1, core2, info;
	struct ctl_term_spec s;
	uint32_t c1 = 0, c2 = 0;
	uint8_t got[sizeof(msg)];
	int l1, f1, l2, f2, ufd = -1;
	SSL *ue;

	CU_ASSERT_EQUAL_FATAL(ctl_context_create(E.ctl, &c1), 0);
	CU_ASSERT_EQUAL_FATAL(ctl_context_create(E.ctl, &c2), 0);
	s = msrp_spec(CFG_PORT_ACCESS, CTL_TR_MSRP_TLS, 9, CTL_SETUP_ACTIVE);
	add_fp(&s, &E.ue_fp);
	CU_ASSERT_EQUAL_FATAL(ctl_term_add(E.ctl, c1, NULL, &s, &acc), 0);
	ue = ue_connect(acc.local_port, E.ue_cert, E.ue_key, &ufd);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ue);
	CU_ASSERT_EQUAL_FATAL(tt_handshake(&E, ue), 1);
	core_up(c1, &core1, &l1, &f1);
	CU_ASSERT_FATAL(send_all(ue, -1, msg, sizeof(msg)));
	CU_ASSERT_FATAL(recv_all(NULL, f1, got, sizeof(msg)));

	/* Inactive: nothing crosses, either way. */
	ctl_spec_init(&s);
	s.mode = CTL_MODE_INACTIVE;
	s.set = CTL_SET_MODE;
	CU_ASSERT_EQUAL(ctl_term_modify(E.ctl, c1, acc.id, &s, &info), 0);
	CU_ASSERT_EQUAL(info.msrp.opens, 1);
	CU_ASSERT_FATAL(send_all(ue, -1, msg, sizeof(msg)));
	CU_ASSERT(quiet(f1, 200));
	/* RecvOnly on the UE's side: what it sent (held back meanwhile) now
	 * goes to the core; what the core sends does not reach the UE. */
	s.mode = CTL_MODE_RECVONLY;
	CU_ASSERT_EQUAL(ctl_term_modify(E.ctl, c1, acc.id, &s, &info), 0);
	CU_ASSERT(recv_all(NULL, f1, got, sizeof(msg)));
	CU_ASSERT_EQUAL(memcmp(got, msg, sizeof(msg)), 0);
	CU_ASSERT(write(f1, msg, sizeof(msg)) == (ssize_t)sizeof(msg));
	{
		uint64_t end = now_ms() + 200;
		int n = 0;

		while (now_ms() < end && n <= 0) {
			n = SSL_read(ue, got, sizeof(got));
			pump();
		}
		CU_ASSERT(n <= 0);
	}
	s.mode = CTL_MODE_SENDRECV;
	CU_ASSERT_EQUAL(ctl_term_modify(E.ctl, c1, acc.id, &s, &info), 0);
	CU_ASSERT(recv_all(ue, -1, got, sizeof(msg)));

	/* Move the UE's termination to c2, beside another core leg (which
	 * connects once it sees a peer that is up). */
	core_up(c2, &core2, &l2, &f2);
	CU_ASSERT_EQUAL(ctl_term_move(E.ctl, acc.id, c2, &info), 0);
	CU_ASSERT_EQUAL(info.ctx_id, c2);
	CU_ASSERT_EQUAL(info.msrp.opens, 1);
	CU_ASSERT_EQUAL(info.msrp.state, CTL_MSRP_UP);
	CU_ASSERT_FATAL(send_all(ue, -1, msg, sizeof(msg)));
	CU_ASSERT(recv_all(NULL, f2, got, sizeof(msg)));
	CU_ASSERT_EQUAL(memcmp(got, msg, sizeof(msg)), 0);
	CU_ASSERT(quiet(f1, 100)); /* the old core leg no longer gets it */
	CU_ASSERT_EQUAL(ctl_context_delete(E.ctl, c2), 0);
	CU_ASSERT_EQUAL(ctl_context_delete(E.ctl, c1), 0);
	SSL_free(ue);
	close(ufd);
	close(f1);
	close(l1);
	close(f2);
	close(l2);
}

/* a=setup: a new role is a new leg on the same port; both sides passive
 * (or active) is refused; a holdconn, or TLS without fingerprints where
 * we would connect, has no leg (where we listen, it has); RTP and MSRP never share a context, nor change into each other. */
static void
test_setup_and_refusals(void)
{
	struct ctl_term_info t1, t2;
	struct ctl_term_spec s;
	uint32_t ctx = 0;
	uint16_t port = 0;

	CU_ASSERT_EQUAL_FATAL(ctl_context_create(E.ctl, &ctx), 0);
	s = msrp_spec(CFG_PORT_CORE, CTL_TR_MSRP, 9, CTL_SETUP_ACTIVE);
	CU_ASSERT_EQUAL_FATAL(ctl_term_add(E.ctl, ctx, NULL, &s, &t1), 0);
	CU_ASSERT_EQUAL(t1.msrp.setup, CTL_SETUP_PASSIVE);
	port = t1.local_port;
	/* The peer now wants to listen: we connect, from the same port. */
	ctl_spec_init(&s);
	CU_ASSERT_EQUAL(ctl_spec_remote(&s, "127.0.0.1", 9, closed_port(), 0), 0);
	CU_ASSERT_EQUAL(ctl_spec_setup(&s, "passive", 7, false), 0);
	CU_ASSERT_EQUAL(ctl_term_modify(E.ctl, ctx, t1.id, &s, &t1), 0);
	CU_ASSERT_EQUAL(t1.msrp.setup, CTL_SETUP_ACTIVE);
	CU_ASSERT_EQUAL(t1.msrp.opens, 2);
	CU_ASSERT_EQUAL(t1.local_port, port);
	/* Both passive: nobody would connect. */
	ctl_spec_init(&s);
	CU_ASSERT_EQUAL(ctl_spec_setup(&s, "passive", 7, true), 0);
	CU_ASSERT_EQUAL(ctl_term_modify(E.ctl, ctx, t1.id, &s, &t2), -EINVAL);
	/* holdconn: no leg for now. */
	ctl_spec_init(&s);
	CU_ASSERT_EQUAL(ctl_spec_setup(&s, "holdconn", 8, false), 0);
	CU_ASSERT_EQUAL(ctl_term_modify(E.ctl, ctx, t1.id, &s, &t2), 0);
	CU_ASSERT_EQUAL(t2.msrp.setup, CTL_SETUP_HOLDCONN);
	CU_ASSERT_EQUAL(t2.msrp.state, CTL_MSRP_IDLE);
	/* MSRP -> RTP on the same termination: the port kinds differ. */
	ctl_spec_init(&s);
	CU_ASSERT_EQUAL(ctl_spec_transport(&s, "RTP/AVP", 7), 0);
	CU_ASSERT_EQUAL(ctl_term_modify(E.ctl, ctx, t1.id, &s, &t2), -ENOTSUP);
	/* An RTP termination beside an MSRP one. */
	ctl_spec_init(&s);
	s.realm = CFG_PORT_ACCESS;
	CU_ASSERT_EQUAL(ctl_term_add(E.ctl, ctx, NULL, &s, &t2), -ENOTSUP);
	/* TLS without the Remote's fingerprint, we listen: the leg opens (an
	 * early UE is held until the fingerprint comes). */
	s = msrp_spec(CFG_PORT_ACCESS, CTL_TR_MSRP_TLS, 9, CTL_SETUP_ACTIVE);
	CU_ASSERT_EQUAL(ctl_term_add(E.ctl, ctx, NULL, &s, &t2), 0);
	CU_ASSERT_EQUAL(t2.msrp.state, CTL_MSRP_LISTENING);
	CU_ASSERT_EQUAL(t2.msrp.opens, 1);
	CU_ASSERT_EQUAL(ctl_context_delete(E.ctl, ctx), 0);
	/* We would connect: never to a peer we cannot authenticate. */
	ctx = 0;
	CU_ASSERT_EQUAL_FATAL(ctl_context_create(E.ctl, &ctx), 0);
	s = msrp_spec(CFG_PORT_ACCESS, CTL_TR_MSRP_TLS, closed_port(), CTL_SETUP_PASSIVE);
	CU_ASSERT_EQUAL(ctl_term_add(E.ctl, ctx, NULL, &s, &t2), 0);
	CU_ASSERT_EQUAL(t2.msrp.setup, CTL_SETUP_ACTIVE);
	CU_ASSERT_EQUAL(t2.msrp.state, CTL_MSRP_IDLE);
	CU_ASSERT_EQUAL(t2.msrp.opens, 0);
	CU_ASSERT_EQUAL(ctl_context_delete(E.ctl, ctx), 0);
	/* And the other way: MSRP beside RTP. */
	ctx = 0;
	CU_ASSERT_EQUAL_FATAL(ctl_context_create(E.ctl, &ctx), 0);
	ctl_spec_init(&s);
	s.realm = CFG_PORT_ACCESS;
	CU_ASSERT_EQUAL(ctl_term_add(E.ctl, ctx, NULL, &s, &t1), 0);
	s = msrp_spec(CFG_PORT_CORE, CTL_TR_MSRP, 9, CTL_SETUP_ACTIVE);
	CU_ASSERT_EQUAL(ctl_term_add(E.ctl, ctx, NULL, &s, &t2), -ENOTSUP);
	CU_ASSERT_EQUAL(ctl_context_delete(E.ctl, ctx), 0);
}

/* The admin socket builds the same terminations (one builder). */
static void
test_admin(void)
{
	char line[1024], out[4096], fp[SEC_FP_TEXT_MAX], ours[SEC_FP_TEXT_MAX], *sp;
	struct sec_fp o;
	unsigned int ctx = 0;
	char id[CTL_TERM_ID_MAX + 1];

	ctl_admin_exec(E.ctl, "context add", out, sizeof(out));
	CU_ASSERT_EQUAL_FATAL(sscanf(out, "ok ctx=%u", &ctx), 1);
	CU_ASSERT_FATAL(sec_fp_format(&E.ue_fp, fp, sizeof(fp)) > 0);
	sp = strchr(fp, ' ');
	*sp = '+';
	snprintf(line, sizeof(line),
		 "term add ctx=%u realm=access transport=msrp-tls remote=127.0.0.1 rport=9 "
		 "setup=active fp=%s path=msrps://127.0.0.1:9/abc;tcp cema framecheck",
		 ctx, fp);
	ctl_admin_exec(E.ctl, line, out, sizeof(out));
	CU_ASSERT_EQUAL_FATAL(strncmp(out, "ok ", 3), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, " transport=msrp-tls setup=passive state=listening "
					   "path=msrps://127.0.0.2:"));
	sec_tls_local_fp(E.tls, SEC_FP_SHA256, &o);
	sec_fp_format(&o, ours, sizeof(ours));
	*strchr(ours, ' ') = '+';
	CU_ASSERT_PTR_NOT_NULL(strstr(out, ours));
	CU_ASSERT_EQUAL(sscanf(strstr(out, " id=") + 4, "%64s", id), 1);
	/* A bad fingerprint, an MD5 one, a bad setup: refused by the builder. */
	snprintf(line, sizeof(line), "term modify ctx=%u id=%s transport=msrp-tls fp=SHA-256+AB:CD",
		 ctx, id);
	ctl_admin_exec(E.ctl, line, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "error bad fp=\n");
	snprintf(line, sizeof(line),
		 "term modify ctx=%u id=%s transport=msrp-tls "
		 "fp=MD5+AD:F4:6B:C7:DC:E6:28:8A:F6:E4:77:A3:C7:88:AB:28",
		 ctx, id);
	ctl_admin_exec(E.ctl, line, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "error bad fp=\n");
	snprintf(line, sizeof(line), "term modify ctx=%u id=%s transport=msrp-tls setup=both", ctx,
		 id);
	ctl_admin_exec(E.ctl, line, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "error bad setup=\n");
	/* A modify without fp keeps the fingerprint (and the leg). */
	snprintf(line, sizeof(line), "term modify ctx=%u id=%s transport=msrp-tls remote=127.0.0.1 "
		 "rport=9 mode=recvonly", ctx, id);
	ctl_admin_exec(E.ctl, line, out, sizeof(out));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "state=listening"));
	/* Nor does it need transport=: an omitted one keeps the termination's
	 * (it was "not supported" when it meant RTP). */
	snprintf(line, sizeof(line), "term modify ctx=%u id=%s remote=127.0.0.1 rport=9", ctx, id);
	ctl_admin_exec(E.ctl, line, out, sizeof(out));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, " transport=msrp-tls setup=passive state=listening "));
	ctl_admin_exec(E.ctl, "msrp show", out, sizeof(out));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "transport=msrp-tls state=listening setup=passive"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nok msrp_terms=1 shown=1 legs=1 "));
	snprintf(line, sizeof(line), "term show ctx=%u id=%s", ctx, id);
	ctl_admin_exec(E.ctl, line, out, sizeof(out));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "bytes_in=0 bytes_out=0 msgs_in=0 conns=0 "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, " tls_fail_fingerprint=0"));
	snprintf(line, sizeof(line), "context delete ctx=%u", ctx);
	ctl_admin_exec(E.ctl, line, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "ok\n");
}

int
main(void)
{
	static const struct ctl_test tests[] = {
		{ "an e2ae MSRP call end to end", test_call },
		{ "fingerprint mismatch reaches the callback", test_fingerprint_mismatch },
		{ "connect failure reaches the callback", test_connect_failure },
		{ "Mode gates the relay, Move keeps the leg", test_mode_and_move },
		{ "setup roles and refusals", test_setup_and_refusals },
		{ "admin words", test_admin },
	};

	return ctl_test_run("ctl_msrp", setup, teardown, tests, CTL_TEST_N(tests));
}
