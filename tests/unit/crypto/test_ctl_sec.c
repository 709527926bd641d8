/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CUnit: control's e2ae key rules and session lifecycle (control/ctl_sec.c)
 * through control's public API, over a real data plane on net_null ports
 * and the cryptodev (crypto_aesni_mb), openssl and libsrtp engines. No
 * worker runs: packets go through the published flows' sessions the way
 * the worker would run them.
 *
 *  - our tx key equal to the UE's rx key is refused (RFC 4568 §5.1.1,
 *    §7.1.1: each sender has its own key), on Add, Modify and admin lines;
 *  - the retire timer after an inbound rekey retires the replaced key even
 *    when nothing came under the new one (a call on hold);
 *  - a Modify that changes only the engine keeps the SRTP state of the key
 *    (RFC 3711 §9.1: never two packets under one key and index), or is
 *    refused where the engine cannot take the state (libsrtp);
 *  - so does a Modify that turns rtcp-mux on or off under unchanged keys
 *    (the sessions of the two streams merge into one, or one splits).
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <CUnit/Basic.h>
#include <openssl/crypto.h>
#include <rte_eal.h>

#include "cfg.h"
#include "ctl.h"
#include "ctl_loop.h"
#include "dp.h"
#include "sdes.h"
#include "sec.h"
#include "sec_test_engines.h"

static const char conf[] =
	"lcores = { control = 0; media = [ 1 ]; msrp = [ ]; };\n"
	"dataplane = { mbufs = 2047; };\n"
	"crypto = { rekey_grace_ms = 1; };\n"
	"ports = {\n"
	"  access = { device = \"net_null0\"; ipv4 = [ \"192.0.2.1/24\" ];\n"
	"    udp_min = 20000; udp_max = 20007; tcp_min = 20000; tcp_max = 20099;\n"
	"    neighbours = ( { ip = \"192.0.2.2\"; mac = \"02:00:00:00:0a:02\"; } );\n"
	"    exception = \"none\"; };\n"
	"  core = { device = \"net_null1\"; ipv4 = [ \"198.51.100.1/24\" ];\n"
	"    udp_min = 30000; udp_max = 39999; tcp_min = 30000; tcp_max = 39999;\n"
	"    neighbours = ( { ip = \"198.51.100.2\"; mac = \"02:00:00:00:0c:02\"; } );\n"
	"    exception = \"none\"; };\n"
	"};\n"
	"limits = { max_contexts = 3; max_flows = 64; };\n";

static struct cfg *cfg;
static struct dp *dp;
static struct ctl_loop *loop;
static struct ctl *ctl;

enum { PKT_ROOM = 256, UE_SSRC = 0x11223344, GW_SSRC = 0x55667788 };

struct pkt {
	uint8_t b[PKT_ROOM];
	struct sec_pkt p;
};

static int
setup(void)
{
	static char prefix[64];
	char err[CFG_ERR_MAX];
	char *argv[] = { "test_ctl_sec", "--no-huge", "-m", "256", "--no-pci", "--no-shconf",
			 prefix, "-l", "0,1", "--log-level=*:error", "--vdev=net_null0",
			 "--vdev=net_null1", "--vdev=crypto_aesni_mb", NULL };
	struct sec_config sc = { .default_engine = SEC_ENGINE_CRYPTODEV };

	snprintf(prefix, sizeof(prefix), "--file-prefix=imsagw-t-ctlsec-%d", (int)getpid());
	if (cfg_load_string(conf, "test.conf", &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if (rte_eal_init((int)RTE_DIM(argv) - 1, argv) < 0)
		return -1;
	if (sec_init(&sc) < 0 || !sec_engine_available(SEC_ENGINE_CRYPTODEV))
		return -1;
	dp = dp_create(cfg, err, sizeof(err));
	if (dp == NULL) {
		fprintf(stderr, "dp_create: %s\n", err);
		return -1;
	}
	loop = ctl_loop_create();
	ctl = loop != NULL ? ctl_create(cfg, dp, loop, err, sizeof(err)) : NULL;
	if (ctl == NULL) {
		fprintf(stderr, "ctl_create: %s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown(void)
{
	ctl_destroy(ctl);
	ctl_loop_destroy(loop);
	dp_destroy(dp);
	sec_fini();
	rte_eal_cleanup();
	cfg_free(cfg);
	return 0;
}

static struct ctl_term_spec
spec(enum cfg_port_role realm, const char *remote, uint16_t rport)
{
	struct ctl_term_spec s;

	ctl_spec_init(&s);
	s.set = CTL_SET_ALL;
	s.realm = realm;
	if (remote != NULL) {
		memset(&s.remote, 0, sizeof(s.remote));
		s.remote.family = AF_INET;
		inet_pton(AF_INET, remote, &s.remote.a.v4);
		s.remote_port = rport;
	}
	return s;
}

static struct dp_flow *
flow_at(enum cfg_port_role role, const char *addr, uint16_t port)
{
	struct dp_port_info pi;
	struct dp_flow_key k;

	memset(&k, 0, sizeof(k));
	dp_port_info(dp, role, &pi);
	k.port_id = pi.port_id;
	k.family = 4;
	inet_pton(AF_INET, addr, k.local_addr);
	k.local_port = htons(port);
	return dp_flow_lookup(dp_flows(dp), &k);
}

static void
settle(void)
{
	ctl_poll(ctl);
	dp_flow_sync(dp_flows(dp));
	ctl_poll(ctl);
}

static void
be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
mk_pkt(struct pkt *k, uint8_t b1, unsigned int ssrc_off, uint32_t ssrc, uint8_t fill,
       uint32_t len)
{
	memset(k, 0, sizeof(*k));
	k->b[0] = 0x80;
	k->b[1] = b1;
	be32(k->b + ssrc_off, ssrc);
	memset(k->b + ssrc_off + 4, fill, len - ssrc_off - 4);
	k->p.data = k->b;
	k->p.len = len;
	k->p.room = PKT_ROOM;
}

static void
mk_rtp(struct pkt *k, uint16_t seq, uint32_t ssrc)
{
	mk_pkt(k, 0, 8, ssrc, 0xa5, 32);
	k->b[2] = (uint8_t)(seq >> 8);
	k->b[3] = (uint8_t)seq;
}

/* RTCP RR without report blocks plus 8 bytes to encrypt. */
static void
mk_rtcp(struct pkt *k, uint32_t ssrc)
{
	mk_pkt(k, 201, 4, ssrc, 0x3c, 16);
	k->b[3] = 3;
}

static struct sec_session *
mk_session(const struct sdes_crypto *key, enum sec_dir dir)
{
	struct sec_session_params p;
	struct sec_session *s;
	int err = 0;

	CU_ASSERT_EQUAL_FATAL(sec_params_from_sdes(&p, key), 0);
	p.dir = dir;
	p.proto = SEC_PROTO_SRTP | SEC_PROTO_SRTCP;
	p.engine = SEC_ENGINE_OPENSSL;
	s = sec_session_create(&p, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	return s;
}

/* One packet through a flow's session as its worker would; the status. */
static int
through(const struct dp_flow *f, struct pkt *k)
{
	static uint16_t (*const burst[])(struct sec_session *, struct sec_pkt *, uint16_t,
					 uint8_t *) = {
		[DP_XFORM_SRTP_UNPROTECT] = sec_unprotect_burst,
		[DP_XFORM_SRTP_PROTECT] = sec_protect_burst,
		[DP_XFORM_SRTCP_UNPROTECT] = sec_rtcp_unprotect_burst,
		[DP_XFORM_SRTCP_PROTECT] = sec_rtcp_protect_burst,
	};
	uint8_t st = SEC_ST_ERROR;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f->sec);
	CU_ASSERT_FATAL(f->xform > DP_XFORM_RELAY && f->xform <= DP_XFORM_SRTCP_PROTECT);
	burst[f->xform](f->sec, &k->p, 1, &st);
	return st;
}

static int
again(const struct pkt *old, enum cfg_port_role role, const char *addr, uint16_t port)
{
	struct pkt k = *old;

	k.p.data = k.b;
	return through(flow_at(role, addr, port), &k);
}

static uint32_t
srtcp_index_of(const struct dp_flow *f, uint32_t ssrc)
{
	struct sec_stream_info si;

	CU_ASSERT_EQUAL_FATAL(sec_session_stream_info(f->sec, ssrc, &si), 0);
	return si.srtcp_index;
}

/* An e2ae access termination (UE key ue, ours gw, engine e) next to a core
 * one, in a new context. */
static uint32_t
call(const struct sdes_crypto *ue, const struct sdes_crypto *gw, enum sec_engine e,
     struct ctl_term_spec *sa, struct ctl_term_info *a, struct ctl_term_info *c)
{
	struct ctl_term_spec sc = spec(CFG_PORT_CORE, "198.51.100.2", 6004);
	uint32_t ctx = 0;

	*sa = spec(CFG_PORT_ACCESS, "192.0.2.2", 5004);
	sa->transport = CTL_TR_SRTP_E2AE;
	sa->engine = e;
	sa->rx_key = *ue;
	sa->has_rx_key = true;
	sa->local_keys[0] = *gw;
	sa->n_local_keys = 1;
	CU_ASSERT_EQUAL_FATAL(ctl_context_create(ctl, &ctx), 0);
	CU_ASSERT_EQUAL_FATAL(ctl_term_add(ctl, ctx, NULL, sa, a), 0);
	CU_ASSERT_EQUAL_FATAL(ctl_term_add(ctl, ctx, NULL, &sc, c), 0);
	return ctx;
}

static void
end_call(uint32_t ctx, struct ctl_term_spec *sa)
{
	CU_ASSERT_EQUAL(ctl_context_delete(ctl, ctx), 0);
	settle();
	CU_ASSERT_EQUAL(dp_flow_count(dp_flows(dp)), 0);
	ctl_spec_clear(sa);
}

/* ---- tx key == rx key ------------------------------------------------- */

static void
admin(char *out, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
admin(char *out, size_t len, const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	ctl_admin_exec(ctl, cmd, out, len);
	OPENSSL_cleanse(cmd, sizeof(cmd));
}

#define UE_B64 "EBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywt"

/*
 * RFC 4568 §5.1.1/§7.1.1: the key in a party's a=crypto is what that party
 * sends with; ours must differ from the UE's (SPEC.md §1.2), or each side
 * would decrypt the other's keystream-reused packets. An MGC or operator
 * that hands us the UE's key as ours is refused.
 */
static void
test_tx_equals_rx(void)
{
	struct ctl_term_spec sa = spec(CFG_PORT_ACCESS, "192.0.2.2", 5004), d;
	struct sdes_crypto ue, gw;
	struct ctl_term_info a;
	char out[2048];
	uint32_t ctx = 0;

	CU_ASSERT_EQUAL_FATAL(sdes_generate(SEC_SUITE_AES_CM_128_HMAC_SHA1_80, NULL, &ue), 0);
	CU_ASSERT_EQUAL_FATAL(sdes_generate(SEC_SUITE_AES_CM_128_HMAC_SHA1_80, &ue, &gw), 0);
	CU_ASSERT_EQUAL_FATAL(ctl_context_create(ctl, &ctx), 0);
	sa.transport = CTL_TR_SRTP_E2AE;
	sa.rx_key = ue;
	sa.has_rx_key = true;
	sa.local_keys[0] = ue;     /* our key = the UE's */
	sa.local_keys[0].tag = 7;  /* a tag does not make it another key */
	sa.n_local_keys = 1;
	CU_ASSERT_EQUAL(ctl_term_add(ctl, ctx, NULL, &sa, &a), -EINVAL);
	/* The same with a good pair works; a later Modify that gives the UE
	 * our key as its own is refused and changes nothing. */
	sa.local_keys[0] = gw;
	CU_ASSERT_EQUAL_FATAL(ctl_term_add(ctl, ctx, NULL, &sa, &a), 0);
	ctl_spec_init(&d);
	d.set = CTL_SET_RX_KEY;
	d.rx_key = gw;
	d.has_rx_key = true;
	CU_ASSERT_EQUAL(ctl_term_modify(ctl, ctx, a.id, &d, &a), -EINVAL);
	ctl_spec_clear(&d);
	ctl_spec_init(&d);
	d.set = CTL_SET_LOCAL_KEYS;
	d.local_keys[0] = ue;
	d.n_local_keys = 1;
	CU_ASSERT_EQUAL(ctl_term_modify(ctl, ctx, a.id, &d, &a), -EINVAL);
	ctl_spec_clear(&d);
	CU_ASSERT_EQUAL(ctl_context_delete(ctl, ctx), 0);
	settle();

	/* The admin socket: txkey equal to rxkey. */
	ctl_admin_exec(ctl, "context add", out, sizeof(out));
	CU_ASSERT_EQUAL_FATAL(sscanf(out, "ok ctx=%u\n", &ctx), 1);
	admin(out, sizeof(out), "term add ctx=%u realm=access id=ue1 remote=192.0.2.2 rport=5004 "
		 "transport=srtp-e2ae rxkey=1+AES_CM_128_HMAC_SHA1_80+inline:" UE_B64
		 " txkey=1+AES_CM_128_HMAC_SHA1_80+inline:" UE_B64, ctx);
	CU_ASSERT_NOT_EQUAL(strncmp(out, "ok", 2), 0);
	CU_ASSERT_PTR_NULL(strstr(out, UE_B64));
	admin(out, sizeof(out), "context delete ctx=%u", ctx);
	settle();
	CU_ASSERT_EQUAL(dp_flow_count(dp_flows(dp)), 0);
	OPENSSL_cleanse(out, sizeof(out));
	sdes_crypto_clear(&ue);
	sdes_crypto_clear(&gw);
	ctl_spec_clear(&sa);
}

/* ---- retire after a rekey on hold ----------------------------------------- */

/* Let the retire timer (crypto.rekey_grace_ms = 1) fire. */
static void
run_timers(void)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int i;

	nanosleep(&ts, NULL);
	for (i = 0; i < 5; i++)
		ctl_loop_run_once(loop, 5);
	settle();
}

/*
 * SPEC.md §1.9: the UE's new key is installed beside the old one, and
 * after the grace period the key the rekey REPLACED goes, whatever was
 * seen meanwhile. On hold nothing comes under the new key; retiring "all
 * but the current key" then dropped the new key and kept the old one
 * valid for the rest of the call.
 */
static void
retire_on_hold(enum sec_suite_id suite, enum sec_engine e)
{
	struct sdes_crypto ue_a, ue_b, gw;
	struct sec_session *tx_a, *tx_b;
	struct ctl_term_spec sa, d;
	struct ctl_term_info a, c;
	struct pkt k;
	uint32_t ctx;

	CU_ASSERT_EQUAL_FATAL(sdes_generate(suite, NULL, &ue_a), 0);
	CU_ASSERT_EQUAL_FATAL(sdes_generate(suite, &ue_a, &ue_b), 0);
	CU_ASSERT_EQUAL_FATAL(sdes_generate(suite, &ue_a, &gw), 0);
	tx_a = mk_session(&ue_a, SEC_DIR_PROTECT);
	tx_b = mk_session(&ue_b, SEC_DIR_PROTECT);
	ctx = call(&ue_a, &gw, e, &sa, &a, &c);
	mk_rtp(&k, 1, UE_SSRC);
	CU_ASSERT_EQUAL(sec_protect_burst(tx_a, &k.p, 1, (uint8_t[1]){ 0 }), 1);
	CU_ASSERT_EQUAL(through(flow_at(CFG_PORT_ACCESS, "192.0.2.1", a.local_port), &k),
			SEC_ST_OK);

	/* The UE's new key; then the call is on hold: nothing arrives. */
	ctl_spec_init(&d);
	d.set = CTL_SET_RX_KEY;
	d.rx_key = ue_b;
	d.has_rx_key = true;
	CU_ASSERT_EQUAL_FATAL(ctl_term_modify(ctl, ctx, a.id, &d, &a), 0);
	ctl_spec_clear(&d);
	settle();
	run_timers();

	/* Resumed under the new key: accepted. The old key: refused. */
	mk_rtp(&k, 2, UE_SSRC);
	CU_ASSERT_EQUAL(sec_protect_burst(tx_b, &k.p, 1, (uint8_t[1]){ 0 }), 1);
	CU_ASSERT_EQUAL(through(flow_at(CFG_PORT_ACCESS, "192.0.2.1", a.local_port), &k),
			SEC_ST_OK);
	mk_rtp(&k, 3, UE_SSRC);
	CU_ASSERT_EQUAL(sec_protect_burst(tx_a, &k.p, 1, (uint8_t[1]){ 0 }), 1);
	CU_ASSERT_EQUAL(through(flow_at(CFG_PORT_ACCESS, "192.0.2.1", a.local_port), &k),
			SEC_ST_AUTH_FAIL);
	mk_rtcp(&k, UE_SSRC);
	CU_ASSERT_EQUAL(sec_rtcp_protect_burst(tx_b, &k.p, 1, (uint8_t[1]){ 0 }), 1);
	CU_ASSERT_EQUAL(through(flow_at(CFG_PORT_ACCESS, "192.0.2.1", a.local_rtcp_port), &k),
			SEC_ST_OK);
	end_call(ctx, &sa);
	sec_session_destroy(tx_a);
	sec_session_destroy(tx_b);
	sdes_crypto_clear(&ue_a);
	sdes_crypto_clear(&ue_b);
	sdes_crypto_clear(&gw);
}

static void
test_retire_on_hold(void)
{
	retire_on_hold(SEC_SUITE_AES_CM_128_HMAC_SHA1_80, SEC_ENGINE_CRYPTODEV);
	retire_on_hold(SEC_SUITE_AEAD_AES_128_GCM, SEC_ENGINE_OPENSSL);
}

/* ---- engine change under the same key ------------------------------------- */

/*
 * Issue 11 item 1: a session's SRTP state continues whenever its key
 * continues, whatever the path. A Modify that changes only the engine
 * (CTL_SET_ENGINE) keeps both keys: the UE's packets seen before stay
 * replays, the SRTCP index we send goes on (RFC 3711 §3.4, §9.1; under
 * GCM a repeated index is a repeated nonce, RFC 7714 §8.1). libsrtp
 * cannot import the state: a change to or from it is refused and the
 * termination keeps its sessions.
 */
static void
engine_change(enum sec_suite_id suite)
{
	static const struct {
		enum sec_engine to;
		int rc;
	} steps[] = {
		{ SEC_ENGINE_CRYPTODEV, 0 },
		{ SEC_ENGINE_DEFAULT, 0 },     /* the config's: cryptodev */
		{ SEC_ENGINE_OPENSSL, 0 },
		{ SEC_ENGINE_IPSECMB, 0 },     /* -ENOTSUP where it cannot run */
		{ SEC_ENGINE_LIBSRTP, -ENOTSUP },
	};
	struct sdes_crypto ue, gw;
	struct sec_session *ue_tx, *ue_rx;
	struct ctl_term_spec sa, d;
	struct ctl_term_info a, c;
	struct pkt old_rtp, old_rtcp, k;
	const struct dp_flow *f;
	uint32_t ctx, idx;
	unsigned int i;
	uint16_t seq = 1;

	CU_ASSERT_EQUAL_FATAL(sdes_generate(suite, NULL, &ue), 0);
	CU_ASSERT_EQUAL_FATAL(sdes_generate(suite, &ue, &gw), 0);
	ue_tx = mk_session(&ue, SEC_DIR_PROTECT);
	ue_rx = mk_session(&gw, SEC_DIR_UNPROTECT);
	ctx = call(&ue, &gw, SEC_ENGINE_OPENSSL, &sa, &a, &c);
	mk_rtp(&k, seq++, UE_SSRC);
	CU_ASSERT_EQUAL(sec_protect_burst(ue_tx, &k.p, 1, (uint8_t[1]){ 0 }), 1);
	old_rtp = k;
	CU_ASSERT_EQUAL(through(flow_at(CFG_PORT_ACCESS, "192.0.2.1", a.local_port), &k),
			SEC_ST_OK);
	mk_rtcp(&k, UE_SSRC);
	CU_ASSERT_EQUAL(sec_rtcp_protect_burst(ue_tx, &k.p, 1, (uint8_t[1]){ 0 }), 1);
	old_rtcp = k;
	CU_ASSERT_EQUAL(through(flow_at(CFG_PORT_ACCESS, "192.0.2.1", a.local_rtcp_port), &k),
			SEC_ST_OK);
	f = flow_at(CFG_PORT_CORE, "198.51.100.1", c.local_rtcp_port);
	mk_rtcp(&k, GW_SSRC);
	CU_ASSERT_EQUAL(through(f, &k), SEC_ST_OK);
	CU_ASSERT_EQUAL(sec_rtcp_unprotect_burst(ue_rx, &k.p, 1, (uint8_t[1]){ 0 }), 1);
	idx = srtcp_index_of(f, GW_SSRC);

	for (i = 0; i < RTE_DIM(steps); i++) {
		ctl_spec_init(&d);
		d.set = CTL_SET_ENGINE;
		d.engine = steps[i].to;
		CU_ASSERT_EQUAL(ctl_term_modify(ctl, ctx, a.id, &d, &a),
				steps[i].to == SEC_ENGINE_IPSECMB && !sec_test_ipsecmb_expected()
					? -ENOTSUP
					: steps[i].rc);
		ctl_spec_clear(&d);
		settle();
		/* What the UE sent before is a replay on the new engine. */
		CU_ASSERT_EQUAL(again(&old_rtp, CFG_PORT_ACCESS, "192.0.2.1", a.local_port),
				SEC_ST_REPLAY);
		CU_ASSERT_EQUAL(again(&old_rtcp, CFG_PORT_ACCESS, "192.0.2.1",
				      a.local_rtcp_port), SEC_ST_REPLAY);
		/* New packets both ways still pass; our SRTCP index goes on. */
		mk_rtp(&k, seq++, UE_SSRC);
		CU_ASSERT_EQUAL(sec_protect_burst(ue_tx, &k.p, 1, (uint8_t[1]){ 0 }), 1);
		CU_ASSERT_EQUAL(through(flow_at(CFG_PORT_ACCESS, "192.0.2.1", a.local_port), &k),
				SEC_ST_OK);
		f = flow_at(CFG_PORT_CORE, "198.51.100.1", c.local_rtcp_port);
		mk_rtcp(&k, GW_SSRC);
		CU_ASSERT_EQUAL(through(f, &k), SEC_ST_OK);
		CU_ASSERT(srtcp_index_of(f, GW_SSRC) > idx);
		idx = srtcp_index_of(f, GW_SSRC);
		CU_ASSERT_EQUAL(sec_rtcp_unprotect_burst(ue_rx, &k.p, 1, (uint8_t[1]){ 0 }), 1);
	}
	end_call(ctx, &sa);
	sec_session_destroy(ue_tx);
	sec_session_destroy(ue_rx);
	sdes_crypto_clear(&ue);
	sdes_crypto_clear(&gw);
}

static void
test_engine_change_aes_cm(void)
{
	engine_change(SEC_SUITE_AES_CM_128_HMAC_SHA1_80);
}

static void
test_engine_change_gcm(void)
{
	engine_change(SEC_SUITE_AEAD_AES_128_GCM);
}

/* ---- rtcp-mux on and off under unchanged keys -------------------------- */

/* One packet through a flow's session with an explicit protocol: with
 * rtcp-mux one flow (and one session) carries both, and the worker picks
 * the transform by payload type (RFC 5761 §4). */
static int
through_proto(const struct dp_flow *f, struct pkt *k, bool rtcp)
{
	uint8_t st = SEC_ST_ERROR;
	bool unprotect;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f->sec);
	unprotect = f->xform == DP_XFORM_SRTP_UNPROTECT || f->xform == DP_XFORM_SRTCP_UNPROTECT;
	if (rtcp)
		(unprotect ? sec_rtcp_unprotect_burst : sec_rtcp_protect_burst)(f->sec, &k->p, 1,
										&st);
	else
		(unprotect ? sec_unprotect_burst : sec_protect_burst)(f->sec, &k->p, 1, &st);
	return st;
}

/* The core termination leaves, the access one changes its mux, a new core
 * one with that mux joins (check_pair() wants both sides to agree). */
static void
switch_mux(uint32_t ctx, struct ctl_term_info *a, struct ctl_term_info *c, bool mux)
{
	struct ctl_term_spec d, sc = spec(CFG_PORT_CORE, "198.51.100.2", 6004);

	CU_ASSERT_EQUAL_FATAL(ctl_term_subtract(ctl, ctx, c->id, NULL), 0);
	ctl_spec_init(&d);
	d.set = CTL_SET_RTCP_MUX;
	d.rtcp_mux = mux;
	CU_ASSERT_EQUAL_FATAL(ctl_term_modify(ctl, ctx, a->id, &d, a), 0);
	CU_ASSERT_EQUAL(a->rtcp_mux, mux);
	sc.rtcp_mux = mux;
	CU_ASSERT_EQUAL_FATAL(ctl_term_add(ctl, ctx, NULL, &sc, c), 0);
	settle();
}

/*
 * RFC 5761 turned on (then off) on a live e2ae termination whose keys stay:
 * the sessions of RTP and RTCP become one (then two again) with their state,
 * so what the UE sent before is a replay and our SRTCP index goes on. A new
 * session under the unchanged key would restart both: old packets accepted
 * once more, and our SRTCP indexes repeated under the same key (keystream
 * reuse; under GCM a repeated nonce).
 */
static void
mux_change(enum sec_suite_id suite)
{
	struct sdes_crypto ue, gw;
	struct sec_session *ue_tx, *ue_rx;
	struct ctl_term_spec sa;
	struct ctl_term_info a, c;
	struct pkt old_rtp, old_rtcp, k;
	const struct dp_flow *f;
	uint32_t ctx, idx;
	uint16_t seq = 1;
	unsigned int round;

	CU_ASSERT_EQUAL_FATAL(sdes_generate(suite, NULL, &ue), 0);
	CU_ASSERT_EQUAL_FATAL(sdes_generate(suite, &ue, &gw), 0);
	ue_tx = mk_session(&ue, SEC_DIR_PROTECT);
	ue_rx = mk_session(&gw, SEC_DIR_UNPROTECT);
	ctx = call(&ue, &gw, SEC_ENGINE_DEFAULT, &sa, &a, &c);
	mk_rtp(&k, seq++, UE_SSRC);
	CU_ASSERT_EQUAL(sec_protect_burst(ue_tx, &k.p, 1, (uint8_t[1]){ 0 }), 1);
	old_rtp = k;
	CU_ASSERT_EQUAL(through(flow_at(CFG_PORT_ACCESS, "192.0.2.1", a.local_port), &k),
			SEC_ST_OK);
	mk_rtcp(&k, UE_SSRC);
	CU_ASSERT_EQUAL(sec_rtcp_protect_burst(ue_tx, &k.p, 1, (uint8_t[1]){ 0 }), 1);
	old_rtcp = k;
	CU_ASSERT_EQUAL(through(flow_at(CFG_PORT_ACCESS, "192.0.2.1", a.local_rtcp_port), &k),
			SEC_ST_OK);
	f = flow_at(CFG_PORT_CORE, "198.51.100.1", c.local_rtcp_port);
	for (round = 0; round < 3; round++) {
		mk_rtcp(&k, GW_SSRC);
		CU_ASSERT_EQUAL(through(f, &k), SEC_ST_OK);
	}
	idx = srtcp_index_of(f, GW_SSRC);

	for (round = 0; round < 2; round++) {
		bool mux = round == 0;

		switch_mux(ctx, &a, &c, mux);
		/* What the UE sent before the change is a replay now. */
		k = old_rtp;
		k.p.data = k.b;
		CU_ASSERT_EQUAL(through_proto(flow_at(CFG_PORT_ACCESS, "192.0.2.1", a.local_port),
					      &k, false), SEC_ST_REPLAY);
		k = old_rtcp;
		k.p.data = k.b;
		CU_ASSERT_EQUAL(through_proto(flow_at(CFG_PORT_ACCESS, "192.0.2.1",
						      a.local_rtcp_port), &k, true),
				SEC_ST_REPLAY);
		/* New packets pass both ways; our SRTCP index goes on. */
		mk_rtp(&k, seq++, UE_SSRC);
		CU_ASSERT_EQUAL(sec_protect_burst(ue_tx, &k.p, 1, (uint8_t[1]){ 0 }), 1);
		CU_ASSERT_EQUAL(through_proto(flow_at(CFG_PORT_ACCESS, "192.0.2.1", a.local_port),
					      &k, false), SEC_ST_OK);
		mk_rtcp(&k, UE_SSRC);
		CU_ASSERT_EQUAL(sec_rtcp_protect_burst(ue_tx, &k.p, 1, (uint8_t[1]){ 0 }), 1);
		CU_ASSERT_EQUAL(through_proto(flow_at(CFG_PORT_ACCESS, "192.0.2.1",
						      a.local_rtcp_port), &k, true), SEC_ST_OK);
		f = flow_at(CFG_PORT_CORE, "198.51.100.1", c.local_rtcp_port);
		mk_rtcp(&k, GW_SSRC);
		CU_ASSERT_EQUAL(through_proto(f, &k, true), SEC_ST_OK);
		CU_ASSERT(srtcp_index_of(f, GW_SSRC) > idx);
		idx = srtcp_index_of(f, GW_SSRC);
		CU_ASSERT_EQUAL(sec_rtcp_unprotect_burst(ue_rx, &k.p, 1, (uint8_t[1]){ 0 }), 1);
	}
	end_call(ctx, &sa);
	sec_session_destroy(ue_tx);
	sec_session_destroy(ue_rx);
	sdes_crypto_clear(&ue);
	sdes_crypto_clear(&gw);
}

static void
test_mux_change_aes_cm(void)
{
	mux_change(SEC_SUITE_AES_CM_128_HMAC_SHA1_80);
}

static void
test_mux_change_gcm(void)
{
	mux_change(SEC_SUITE_AEAD_AES_128_GCM);
}

/* libsrtp cannot carry state: a mux change under the same keys is refused
 * (the termination keeps its sessions); with new keys both ways it is a
 * new crypto context and goes through. */
static void
test_mux_change_libsrtp(void)
{
	enum sec_suite_id suite = SEC_SUITE_AES_CM_128_HMAC_SHA1_80;
	struct sdes_crypto ue, gw;
	struct ctl_term_spec sa, d;
	struct ctl_term_info a, c;
	uint32_t ctx;

	CU_ASSERT_EQUAL_FATAL(sdes_generate(suite, NULL, &ue), 0);
	CU_ASSERT_EQUAL_FATAL(sdes_generate(suite, &ue, &gw), 0);
	ctx = call(&ue, &gw, SEC_ENGINE_LIBSRTP, &sa, &a, &c);
	CU_ASSERT_EQUAL_FATAL(ctl_term_subtract(ctl, ctx, c.id, NULL), 0);
	ctl_spec_init(&d);
	d.set = CTL_SET_RTCP_MUX;
	d.rtcp_mux = true;
	CU_ASSERT_EQUAL(ctl_term_modify(ctl, ctx, a.id, &d, &a), -ENOTSUP);
	CU_ASSERT_FALSE(a.rtcp_mux);
	d.set |= CTL_SET_RX_KEY | CTL_SET_LOCAL_KEYS;
	CU_ASSERT_EQUAL_FATAL(sdes_generate(suite, NULL, &d.rx_key), 0);
	d.has_rx_key = true;
	CU_ASSERT_EQUAL_FATAL(sdes_generate(suite, &d.rx_key, &d.local_keys[0]), 0);
	d.n_local_keys = 1;
	CU_ASSERT_EQUAL(ctl_term_modify(ctl, ctx, a.id, &d, &a), 0);
	CU_ASSERT_TRUE(a.rtcp_mux);
	ctl_spec_clear(&d);
	end_call(ctx, &sa);
	sdes_crypto_clear(&ue);
	sdes_crypto_clear(&gw);
}

int
main(void)
{
	CU_pSuite s;
	unsigned int f;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("ctl_sec", setup, teardown);
	CU_add_test(s, "tx key equal to rx key refused", test_tx_equals_rx);
	CU_add_test(s, "rekey on hold retires the old key", test_retire_on_hold);
	CU_add_test(s, "engine change keeps state (AES-CM)", test_engine_change_aes_cm);
	CU_add_test(s, "engine change keeps state (GCM)", test_engine_change_gcm);
	CU_add_test(s, "rtcp-mux change keeps state (AES-CM)", test_mux_change_aes_cm);
	CU_add_test(s, "rtcp-mux change keeps state (GCM)", test_mux_change_gcm);
	CU_add_test(s, "rtcp-mux change on libsrtp needs new keys", test_mux_change_libsrtp);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	f = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	return f ? 1 : 0;
}
