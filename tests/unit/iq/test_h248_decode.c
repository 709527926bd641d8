/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * h248_decode(): every SPEC.md §3.13 example round-trips through both
 * layouts; trees are checked field by field; malformed input (truncation at
 * every offset, bad tokens, unbalanced braces, bounds) fails with the right
 * H.248 error code.
 */
#include <errno.h>

#include "iq_test_util.h"
#include "h248_examples.h"

static char out1[OUT_SIZE], out2[OUT_SIZE], out3[OUT_SIZE], out4[OUT_SIZE];

static bool
str_is(struct iq_str s, const char *c)
{
	return s.len == strlen(c) && memcmp(s.p, c, s.len) == 0;
}

/*
 * decode -> pretty -> decode -> compact -> decode -> pretty/compact: the
 * encoder writes every tree field, so equal encodings mean equal trees.
 */
static void
roundtrip(const char *name, const char *text)
{
	struct h248_message *m0, *m1, *m2;
	struct h248_error err;
	size_t l1, l2, l3, l4;

	m0 = must_decode(text, strlen(text), arena_mem1, &err);
	if (m0 == NULL) {
		fprintf(stderr, "example %s\n", name);
		return;
	}
	CU_ASSERT_EQUAL_FATAL(h248_encode(m0, H248_LAYOUT_PRETTY, out1, OUT_SIZE, &l1), 0);
	m1 = must_decode(out1, l1, arena_mem2, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m1);
	CU_ASSERT_EQUAL_FATAL(h248_encode(m1, H248_LAYOUT_COMPACT, out2, OUT_SIZE, &l2), 0);
	m2 = must_decode(out2, l2, arena_mem3, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m2);
	CU_ASSERT_EQUAL_FATAL(h248_encode(m2, H248_LAYOUT_PRETTY, out3, OUT_SIZE, &l3), 0);
	CU_ASSERT_EQUAL(l3, l1);
	CU_ASSERT(memcmp(out1, out3, l1) == 0);
	CU_ASSERT_EQUAL_FATAL(h248_encode(m0, H248_LAYOUT_COMPACT, out4, OUT_SIZE, &l4), 0);
	CU_ASSERT_EQUAL(l4, l2);
	CU_ASSERT(memcmp(out2, out4, l2) == 0);
	CU_ASSERT_EQUAL_FATAL(h248_encode(m2, H248_LAYOUT_COMPACT, out4, OUT_SIZE, &l4), 0);
	CU_ASSERT_EQUAL(l4, l2);
	CU_ASSERT(memcmp(out2, out4, l2) == 0);
	/* Compact output has no layout whitespace outside SDP and quotes. */
	CU_ASSERT(memchr(out2, '\t', l2) == NULL);
}

static void
test_examples_roundtrip(void)
{
	size_t i;

	for (i = 0; i < sizeof(ex_all) / sizeof(ex_all[0]); i++)
		roundtrip(ex_all[i].name, ex_all[i].text);
}

static void
test_tree_servicechange(void)
{
	struct h248_error err;
	struct h248_message *m = must_decode(ex_a_req, strlen(ex_a_req), arena_mem1, &err);
	const struct h248_services *sv;
	const struct h248_command *c;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(m->version, 3);
	CU_ASSERT_EQUAL(m->mid.type, H248_MID_IP4);
	CU_ASSERT(str_is(m->mid.addr, "192.0.2.10"));
	CU_ASSERT(m->mid.has_port && m->mid.port == 2944);
	CU_ASSERT_EQUAL_FATAL(m->n_txns, 1);
	CU_ASSERT_EQUAL(m->txns->type, H248_TXN_REQUEST);
	CU_ASSERT_EQUAL(m->txns->id, 1);
	CU_ASSERT_EQUAL(m->txns->actions->ctx_id, H248_CTX_NULL);
	c = m->txns->actions->cmds;
	CU_ASSERT_EQUAL(c->type, H248_CMD_SERVICECHANGE);
	CU_ASSERT(str_is(c->tid, "ROOT"));
	CU_ASSERT_EQUAL_FATAL(c->descs->type, H248_DESC_SERVICES);
	sv = &c->descs->u.services;
	CU_ASSERT_EQUAL(sv->method, H248_TOK_RESTART);
	CU_ASSERT(sv->has_reason && sv->reason.quoted && str_is(sv->reason.s, "901 Cold Boot"));
	CU_ASSERT(sv->has_version && sv->version == 3);
	CU_ASSERT(sv->has_profile && str_is(sv->profile, "ThreeGIQ/1"));
	CU_ASSERT(sv->has_address && sv->address.type == H248_MID_PORT && sv->address.port == 2944);

	/* The compact form means the same. */
	m = must_decode(ex_a_compact, strlen(ex_a_compact), arena_mem2, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	sv = &m->txns->actions->cmds->descs->u.services;
	CU_ASSERT_EQUAL(sv->method, H248_TOK_RESTART);
	CU_ASSERT(str_is(sv->reason.s, "901 Cold Boot"));
}

static void
test_tree_add_e2ae(void)
{
	struct h248_error err;
	struct h248_message *m = must_decode(ex_b_req, strlen(ex_b_req), arena_mem1, &err);
	const struct h248_action *ac;
	const struct h248_command *c;
	const struct h248_stream *st;
	const struct h248_desc *ds;
	const struct h248_prop *p;
	static const char local[] =
		"v=0\nc=IN IP4 $\nm=audio $ RTP/SAVP 96 97\n"
		"a=rtpmap:96 AMR-WB/16000\na=rtpmap:97 telephone-event/16000\n"
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$";

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	ac = m->txns->actions;
	CU_ASSERT_EQUAL(ac->ctx_id, H248_CTX_CHOOSE);
	CU_ASSERT_EQUAL_FATAL(ac->n_cmds, 2);
	c = ac->cmds;
	CU_ASSERT_EQUAL(c->type, H248_CMD_ADD);
	CU_ASSERT(str_is(c->tid, "$"));
	CU_ASSERT_EQUAL_FATAL(c->n_descs, 2);
	ds = c->descs;
	CU_ASSERT_EQUAL_FATAL(ds->type, H248_DESC_MEDIA);
	CU_ASSERT_EQUAL_FATAL(ds->u.media.n_streams, 1);
	st = ds->u.media.streams;
	CU_ASSERT(st->has_id && st->id == 1);
	CU_ASSERT(st->has_lc && st->lc.mode == H248_MODE_RECVONLY);
	CU_ASSERT_EQUAL_FATAL(st->lc.n_props, 1);
	p = st->lc.props;
	CU_ASSERT(str_is(p->name, "ipdc/realm"));
	CU_ASSERT(p->op == H248_OP_EQ && p->values->quoted && str_is(p->values->s, "access1"));
	CU_ASSERT(st->has_local && st->has_remote);
	CU_ASSERT_EQUAL(st->local.len, strlen(local));
	CU_ASSERT(memcmp(st->local.p, local, st->local.len) == 0);
	/* Slices point into the input. */
	CU_ASSERT(st->local.p > ex_b_req && st->local.p < ex_b_req + strlen(ex_b_req));
	CU_ASSERT(st->remote.len > 0 && st->remote.p[st->remote.len - 1] == 't');
	ds = ds->next;
	CU_ASSERT_EQUAL_FATAL(ds->type, H248_DESC_EVENTS);
	CU_ASSERT(ds->u.events.has_rid && ds->u.events.rid == 10);
	CU_ASSERT_EQUAL(ds->u.events.n_events, 1);
	CU_ASSERT(str_is(ds->u.events.events->name, "hangterm/thb"));
	CU_ASSERT(!ds->u.events.events->has_params);
	c = c->next;
	CU_ASSERT(str_is(c->descs->u.media.streams->lc.props->values->s, "core"));
	CU_ASSERT(!c->descs->u.media.streams->has_remote);
}

static void
test_tree_replies(void)
{
	struct h248_error err;
	struct h248_message *m;
	const struct h248_action *ac;
	const struct h248_prop *p;

	m = must_decode(ex_e_reply, strlen(ex_e_reply), arena_mem1, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(m->txns->type, H248_TXN_REPLY);
	CU_ASSERT_EQUAL(m->txns->id, 1003);
	ac = m->txns->actions;
	CU_ASSERT_EQUAL(ac->ctx_id, 4711);
	CU_ASSERT_EQUAL(ac->cmds->type, H248_CMD_SUBTRACT);
	CU_ASSERT_EQUAL_FATAL(ac->cmds->descs->type, H248_DESC_STATS);
	CU_ASSERT_EQUAL(ac->cmds->descs->u.list.n, 7);
	p = ac->cmds->descs->u.list.items;
	CU_ASSERT(str_is(p->name, "nt/dur") && str_is(p->values->s, "61230"));
	while (p->next != NULL)
		p = p->next;
	CU_ASSERT(str_is(p->name, "rtp/jit") && str_is(p->values->s, "7"));

	m = must_decode(ex_g_411, strlen(ex_g_411), arena_mem1, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	ac = m->txns->actions;
	CU_ASSERT_EQUAL(ac->n_cmds, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ac->error);
	CU_ASSERT_EQUAL(ac->error->code, 411);
	CU_ASSERT(str_is(ac->error->text, "The transaction refers to an unknown ContextId"));

	m = must_decode(ex_g_421, strlen(ex_g_421), arena_mem1, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m->txns->error);
	CU_ASSERT_EQUAL(m->txns->error->code, 421);
	CU_ASSERT_PTR_NULL(m->txns->actions);

	m = must_decode(ex_g_500, strlen(ex_g_500), arena_mem1, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	ac = m->txns->actions;
	CU_ASSERT_EQUAL(ac->n_cmds, 1);
	CU_ASSERT(str_is(ac->cmds->tid, "ip/1/access1/19"));
	CU_ASSERT(!ac->cmds->has_body);
	CU_ASSERT(ac->error != NULL && ac->error->code == 500);

	m = must_decode(ex_g_400, strlen(ex_g_400), arena_mem1, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(m->n_txns, 0);
	CU_ASSERT(m->error != NULL && m->error->code == 400);

	m = must_decode(ex_d_reply, strlen(ex_d_reply), arena_mem1, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(m->txns->actions->n_cmds, 2);
	CU_ASSERT_EQUAL(m->txns->actions->cmds->type, H248_CMD_MODIFY);

	/* (f) carries comments between descriptors. */
	m = must_decode(ex_f_req, strlen(ex_f_req), arena_mem1, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(m->txns->actions->n_cmds, 2);
	CU_ASSERT_EQUAL(m->txns->actions->cmds->n_descs, 1);
}

/* Mixed case, mixed long/compact tokens, comments, odd whitespace. */
static void
test_mixed_tokens(void)
{
	static const char in[] =
		"megaco/3\t<mgc.example.net>:2944 ; a comment\r\n"
		"t = 5 { c = 7 { pr = 3 , EG , IEPSCall = on, "
		"O-W-modify = a/b ; another\n { media { st=1 { o { mo = sendreceive, "
		"RV = ON, gm/saf # 1, tman/sdr > 100, x/y = [1 : 5], x/z = [a, b], "
		"x/w = {c, d} } } } , events = 2 { ADID/ipstop { ka, Stream = 1 } },"
		"signals { a/b { SY = BR, NC = {TO, IBE} } } } } }"
		"T=6{C=*{AV=ip/*{AT{M,SA,PG}}}}";
	static const char expect[] =
		"!/3 <mgc.example.net>:2944 T=5{C=7{PR=3,EG,IEPS=ON,"
		"O-W-MF=a/b{M{ST=1{O{MO=SR,RV=ON,gm/saf#1,tman/sdr>100,x/y=[1:5],"
		"x/z=[a,b],x/w={c,d}}}},E=2{ADID/ipstop{KA,ST=1}},"
		"SG{a/b{SY=BR,NC={TO,IBE}}}}}}T=6{C=*{AV=ip/*{AT{M,SA,PG}}}}";
	struct h248_error err;
	struct h248_message *m = must_decode(in, strlen(in), arena_mem1, &err);
	const struct h248_command *c;
	size_t l;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(m->mid.type, H248_MID_DOMAIN);
	CU_ASSERT_EQUAL(m->n_txns, 2);
	CU_ASSERT(m->txns->actions->has_props);
	CU_ASSERT_EQUAL(m->txns->actions->props.priority, 3);
	CU_ASSERT_EQUAL(m->txns->actions->props.emergency, 1);
	CU_ASSERT_EQUAL(m->txns->actions->props.ieps, 1);
	c = m->txns->actions->cmds;
	CU_ASSERT(c->optional && c->wildcard_reply && c->type == H248_CMD_MODIFY);
	CU_ASSERT_EQUAL(c->descs->u.media.streams->lc.mode, H248_MODE_SENDRECV);
	CU_ASSERT_EQUAL(c->descs->u.media.streams->lc.n_props, 6);
	CU_ASSERT_EQUAL(m->txns->next->actions->ctx_id, H248_CTX_ALL);
	CU_ASSERT_EQUAL(h248_encode(m, H248_LAYOUT_COMPACT, out1, OUT_SIZE, &l), 0);
	CU_ASSERT_EQUAL(l, strlen(expect));
	CU_ASSERT(memcmp(out1, expect, l) == 0);
	if (l != strlen(expect) || memcmp(out1, expect, l) != 0)
		fprintf(stderr, "\ngot:  %.*s\nwant: %s\n", (int)l, out1, expect);
	roundtrip("mixed", in);
}

static void
test_other_transactions(void)
{
	static const char in[] =
		"MEGACO/3 [2001:db8::1]:2944\n"
		"TransactionResponseAck { 10-12, 15 }\n"
		"Pending = 1001 { }\n"
		"Reply = 8 { ImmAckRequired, Context = - { ServiceChange = ROOT } }\n"
		"Reply = 9/2/END { Context = 1 { Move = ip/1/a { Media { Stream = 2 { Statistics } } } } }\n"
		"Transaction = 12 { Context = 1 { Notify = ip/1/a { ObservedEvents = 3 { "
		"20240101T12000000:hangterm/thb { x = 1 } } }, AuditCapability = ip/1/a { Audit { } }, "
		"Subtract = ip/1/b { Audit { Statistics } } } }\n"
		"Transaction = 13 { Context = 2 { Topology { t1, t2, Isolate }, ContextAttr { a/b = 1 }, "
		"Add = ip/1/c { Media { TerminationState { ServiceStates = InService, Buffer = OFF }, "
		"LocalControl { Mode = Inactive } } } } }\n"
		"Transaction = 14 { Context = - { ServiceChange = ROOT { Services { Method = Failover, "
		"Reason = 905, Delay = 10, MgcIdToTry = [192.0.2.2]:2944, "
		"ServiceChangeAddress = [192.0.2.3]:2945, 20240101T12000000, ServiceChangeInc, "
		"X-foo = bar } } } }\n"
		"Segment = 9/3/END";
	struct h248_error err;
	struct h248_message *m = must_decode(in, strlen(in), arena_mem1, &err);
	const struct h248_transaction *tx;
	const struct h248_services *sv;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(m->mid.type, H248_MID_IP6);
	CU_ASSERT(str_is(m->mid.addr, "2001:db8::1"));
	CU_ASSERT_EQUAL_FATAL(m->n_txns, 8);
	tx = m->txns;
	CU_ASSERT_EQUAL(tx->type, H248_TXN_RESPACK);
	CU_ASSERT_EQUAL(tx->n_acks, 2);
	CU_ASSERT(tx->acks->first == 10 && tx->acks->last == 12);
	CU_ASSERT(tx->acks->next->first == 15 && tx->acks->next->last == 15);
	tx = tx->next;
	CU_ASSERT(tx->type == H248_TXN_PENDING && tx->id == 1001);
	tx = tx->next;
	CU_ASSERT(tx->type == H248_TXN_REPLY && tx->imm_ack && tx->id == 8);
	tx = tx->next;
	CU_ASSERT(tx->has_seg && tx->seg_no == 2 && tx->seg_end && tx->id == 9);
	CU_ASSERT_EQUAL(tx->actions->cmds->type, H248_CMD_MOVE);
	tx = tx->next;
	CU_ASSERT_EQUAL(tx->actions->cmds->type, H248_CMD_NOTIFY);
	CU_ASSERT(tx->actions->cmds->descs->u.events.events->has_timestamp);
	CU_ASSERT(str_is(tx->actions->cmds->descs->u.events.events->timestamp, "20240101T12000000"));
	CU_ASSERT_EQUAL(tx->actions->cmds->next->type, H248_CMD_AUDITCAP);
	tx = tx->next;
	CU_ASSERT(tx->actions->props.has_topology && tx->actions->props.n_topology == 3);
	CU_ASSERT(tx->actions->cmds->descs->u.media.has_ts);
	tx = tx->next;
	sv = &tx->actions->cmds->descs->u.services;
	CU_ASSERT_EQUAL(sv->method, H248_TOK_FAILOVER);
	CU_ASSERT(!sv->reason.quoted && str_is(sv->reason.s, "905"));
	CU_ASSERT(sv->has_delay && sv->delay == 10);
	CU_ASSERT(sv->has_mgcid && sv->mgcid.port == 2944);
	CU_ASSERT(sv->has_address && sv->address.type == H248_MID_IP4 && sv->address.port == 2945);
	CU_ASSERT(sv->has_timestamp && sv->incomplete && sv->n_ext == 1);
	tx = tx->next;
	CU_ASSERT(tx->type == H248_TXN_SEGREPLY && tx->id == 9 && tx->seg_no == 3 && tx->seg_end);
	roundtrip("other", in);
}

static void
test_mid_forms(void)
{
	static const char *ok[] = {
		"!/3 [192.0.2.1] P=1{C=1}",
		"!/1 <a-b.example>:1 P=1{C=1}",
		"!/2 mg1/iq P=1{C=1}",
		"!/3 MTP{0a1B} P=1{C=1}",
		"!/3 [::1]:65535 P=1{C=1}",
	};
	static const enum h248_mid_type types[] = {
		H248_MID_IP4, H248_MID_DOMAIN, H248_MID_DEVICE, H248_MID_MTP, H248_MID_IP6,
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct h248_error err;
		struct h248_message *m = must_decode(ok[i], strlen(ok[i]), arena_mem1, &err);

		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		CU_ASSERT_EQUAL(m->mid.type, types[i]);
		roundtrip("mid", ok[i]);
	}
}

struct bad_case {
	const char *in;
	uint16_t code;
	bool has_txn;
};

static void
test_bad_inputs(void)
{
	static const struct bad_case cases[] = {
		{ "", 400, false },
		{ "MEGACO/4 [1.2.3.4]:2944 T=1{C=1{MF=t}}", 406, false },
		{ "MEGACX/3 [1.2.3.4]:2944 T=1{C=1{MF=t}}", 400, false },
		{ "MEGACO/3[1.2.3.4]:2944 T=1{C=1{MF=t}}", 400, false },
		{ "MEGACO/3 [1.2.3.4]:2944T=1{C=1{MF=t}}", 400, false },
		{ "MEGACO/3 [1.2.3.4:2944 T=1{C=1{MF=t}}", 400, false },
		{ "MEGACO/3 [1.2.3.4]:99999 T=1{C=1{MF=t}}", 400, false },
		{ "Authentication = 0x1:0x2:0x3 !/3 [1.2.3.4] T=1{C=1{MF=t}}", 402, false },
		{ "!/3 [1.2.3.4]:2944 T=x{C=1{MF=t}}", 400, false },
		{ "!/3 [1.2.3.4]:2944 T=99999999999{C=1{MF=t}}", 400, false },
		{ "!/3 [1.2.3.4]:2944 X=1{C=1{MF=t}}", 400, false },
		{ "!/3 [1.2.3.4]:2944 T=1{C=1{MF=t}}}", 400, false },
		{ "!/3 [1.2.3.4]:2944 T=1{C=1{MF=t}", 403, true },
		{ "!/3 [1.2.3.4]:2944 T=1{}", 403, true },
		{ "!/3 [1.2.3.4]:2944 T=1{C=1{}}", 422, true },
		{ "!/3 [1.2.3.4]:2944 T=1{C=abc{MF=t}}", 410, true },
		{ "!/3 [1.2.3.4]:2944 T=1{C=0{MF=t}}", 410, true },
		{ "!/3 [1.2.3.4]:2944 T=1{C=1{FOO=t}}", 443, true },
		{ "!/3 [1.2.3.4]:2944 T=1{C=1{MF=t,PR=3}}", 422, true },
		{ "!/3 [1.2.3.4]:2944 T=1{C=1{PR=16,MF=t}}", 449, true },
		{ "!/3 [1.2.3.4]:2944 T=1{C=1{MF=t{ZZ{}}}}", 442, true },
		{ "!/3 [1.2.3.4]:2944 T=1{C=1{MF=t{DM=x{}}}}", 444, true },
		{ "!/3 [1.2.3.4]:2944 T=1{C=1{MF=t{M{O{MO=Bogus}}}}}", 517, true },
		{ "!/3 [1.2.3.4]:2944 T=1{C=1{MF=t{M{ST=70000{O{MO=SR}}}}}}", 410, true },
		{ "!/3 [1.2.3.4]:2944 T=1{C=1{MF=t{M{L{v=0}}}}", 403, true },
		{ "!/3 [1.2.3.4]:2944 T=1{C=1{MF=t{M{L{v=0", 442, true },
		{ "!/3 [1.2.3.4]:2944 T=1{C=1{MF=t{E=1{a/b{EM{SG{x/y}}}}}}}}", 444, true },
		{ "!/3 [1.2.3.4]:2944 T=1{C=1{SC=ROOT{SV{MT=Bogus}}}}", 449, true },
		{ "!/3 [1.2.3.4]:2944 T=1{C=1{SC=ROOT{SV{RE=\"a\nb\"}}}}", 442, true },
		{ "!/3 [1.2.3.4]:2944 T=1{C=1{SC=ROOT{SV{RE=\"a\\\"b\"}}}}", 442, true },
		{ "!/3 [1.2.3.4]:2944 T=1{C=1{SC=ROOT{SV{FOO=1}}}}", 446, true },
		{ "!/3 [1.2.3.4]:2944 T=1{C=1{MF=t{M{O{MO=SR}}},ER=500{}}}", 443, true },
		{ "!/3 [1.2.3.4]:2944 P=1{C=1{ER=500{},MF=t}}", 422, true },
		{ "!/3 [1.2.3.4]:2944 K{1-0}", 400, false },
		{ "!/3 [1.2.3.4]:2944 SM=1", 400, false },
		{ "!/3 [1.2.3.4]:2944 T=1/2{C=1{MF=t}}", 400, false },
		{ "!/3 [1.2.3.4]:2944 T=1{C=1{MF=t{M{O{MO=SR}}}}}\x01", 400, false },
		{ "!/3 [1.2.3.4]:2944 T=1{C=1{MF=t{M{O{x=\"\x80\"}}}}}", 442, true },
	};
	char arena_buf[16384];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct h248_message *m = NULL;
		struct h248_error err;
		struct iq_arena a;
		int rc;

		iq_arena_init(&a, arena_buf, sizeof(arena_buf));
		rc = h248_decode(cases[i].in, strlen(cases[i].in), &a, NULL, &m, &err);
		CU_ASSERT_EQUAL(rc, -EINVAL);
		CU_ASSERT_EQUAL(err.code, cases[i].code);
		CU_ASSERT_EQUAL(err.has_txn, cases[i].has_txn);
		CU_ASSERT(err.offset <= strlen(cases[i].in));
		CU_ASSERT_PTR_NOT_NULL(err.reason);
		if (rc != -EINVAL || err.code != cases[i].code ||
		    err.has_txn != cases[i].has_txn)
			fprintf(stderr, "\ncase %zu: rc=%d code=%u has_txn=%d off=%u %s\n",
				i, rc, err.code, err.has_txn, err.offset, err.reason);
	}
}

/* Every strict prefix of a message fails cleanly with a level-correct code. */
static void
truncate_all(const char *text, uint32_t txn_id)
{
	size_t len = strlen(text), n;
	const char *idpos = NULL;
	size_t id_end = 0;
	char idbuf[16];

	/* The first '=' of every example is its transaction's. */
	snprintf(idbuf, sizeof(idbuf), "%u", txn_id);
	if (txn_id != 0) {
		idpos = strchr(text, '=');
		CU_ASSERT_PTR_NOT_NULL_FATAL(idpos);
		idpos = strstr(idpos, idbuf);
		CU_ASSERT_PTR_NOT_NULL_FATAL(idpos);
		id_end = (size_t)(idpos - text) + strlen(idbuf);
	}
	for (n = 0; n < len; n++) {
		struct h248_message *m = NULL;
		struct h248_error err;
		struct iq_arena a;
		char *copy = malloc(n + 1);
		int rc;

		CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
		memcpy(copy, text, n); /* no NUL: the decoder must honour len */
		iq_arena_init(&a, arena_mem1, ARENA_SIZE);
		rc = h248_decode(copy, n, &a, NULL, &m, &err);
		/* A prefix ending in trailing layout can still be complete. */
		if (rc == 0) {
			size_t k = n;

			while (k < len && (text[k] == ' ' || text[k] == '\n'))
				k++;
			CU_ASSERT_EQUAL(k, len);
			free(copy);
			continue;
		}
		CU_ASSERT_EQUAL(rc, -EINVAL);
		CU_ASSERT(err.offset <= n);
		if (txn_id == 0 || n <= id_end) {
			CU_ASSERT(err.code == 400 || (err.code == 403 && err.has_txn));
		} else {
			CU_ASSERT(err.has_txn);
			CU_ASSERT_EQUAL(err.txn_id, txn_id);
			CU_ASSERT(err.code == 403 || err.code == 422 || err.code == 442 ||
				  err.code == 410);
			if (!err.has_txn || err.txn_id != txn_id || (err.code != 403 && err.code != 422 && err.code != 442 && err.code != 410))
				fprintf(stderr, "\nprefix %zu: code=%u txn=%u\n", n,
					err.code, err.txn_id);
		}
		free(copy);
	}
}

static void
test_truncation(void)
{
	size_t i;

	for (i = 0; i < sizeof(ex_all) / sizeof(ex_all[0]); i++)
		truncate_all(ex_all[i].text, ex_all[i].txn_id);
}

static void
test_bounds(void)
{
	struct h248_limits lim;
	struct h248_message *m;
	struct h248_error err;
	struct iq_arena a;
	static char big[200000];
	char small[512];
	size_t i, n;
	int rc;

	/* Depth. */
	memset(&lim, 0, sizeof(lim));
	lim.max_depth = 4;
	iq_arena_init(&a, arena_mem1, ARENA_SIZE);
	rc = h248_decode(ex_b_req, strlen(ex_b_req), &a, &lim, &m, &err);
	CU_ASSERT_EQUAL(rc, -E2BIG);
	CU_ASSERT_EQUAL(err.code, 510);
	/* Items per list. */
	memset(&lim, 0, sizeof(lim));
	lim.max_items = 4;
	iq_arena_init(&a, arena_mem1, ARENA_SIZE);
	rc = h248_decode(ex_e_reply, strlen(ex_e_reply), &a, &lim, &m, &err);
	CU_ASSERT_EQUAL(rc, -E2BIG);
	CU_ASSERT_EQUAL(err.code, 510);
	/* Size. */
	memset(&lim, 0, sizeof(lim));
	lim.max_len = 100;
	iq_arena_init(&a, arena_mem1, ARENA_SIZE);
	rc = h248_decode(ex_b_req, strlen(ex_b_req), &a, &lim, &m, &err);
	CU_ASSERT_EQUAL(rc, -E2BIG);
	CU_ASSERT_EQUAL(err.code, 510);
	/* Arena. */
	iq_arena_init(&a, small, sizeof(small));
	rc = h248_decode(ex_b_req, strlen(ex_b_req), &a, NULL, &m, &err);
	CU_ASSERT_EQUAL(rc, -ENOMEM);
	CU_ASSERT_EQUAL(err.code, 510);
	/* Transactions per message. */
	n = (size_t)snprintf(big, sizeof(big), "!/3 [1.2.3.4] ");
	for (i = 0; i < 100; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "PN=%zu{}", i);
	iq_arena_init(&a, arena_mem1, ARENA_SIZE);
	rc = h248_decode(big, n, &a, NULL, &m, &err);
	CU_ASSERT_EQUAL(rc, -E2BIG);
	CU_ASSERT_EQUAL(err.code, 510);
	/* A flood of braces and a flood of commas: no recursion blow-up. */
	n = (size_t)snprintf(big, sizeof(big), "!/3 [1.2.3.4] T=1{C=1{MF=t{M{O{x=");
	memset(big + n, '{', sizeof(big) - n);
	iq_arena_init(&a, arena_mem1, ARENA_SIZE);
	rc = h248_decode(big, sizeof(big), &a, NULL, &m, &err);
	CU_ASSERT(rc == -EINVAL || rc == -E2BIG);
	n = (size_t)snprintf(big, sizeof(big), "!/3 [1.2.3.4] T=1{C=1{MF=t{SA{x");
	for (i = n; i + 2 < 60000; i += 2) {
		big[i] = ',';
		big[i + 1] = 'y';
	}
	iq_arena_init(&a, arena_mem1, ARENA_SIZE);
	rc = h248_decode(big, i, &a, NULL, &m, &err);
	CU_ASSERT_EQUAL(rc, -E2BIG);
	CU_ASSERT_EQUAL(err.code, 510);
}

static void
test_tokens_unique(void)
{
	int i, j;

	/* Every spelling maps back to its own token. */
	for (i = 1; i < H248_TOK_COUNT; i++) {
		const char *l = h248_tok_str((enum h248_tok)i, H248_LAYOUT_PRETTY);
		const char *s = h248_tok_str((enum h248_tok)i, H248_LAYOUT_COMPACT);
		struct iq_str ls = { l, (uint32_t)strlen(l) };
		struct iq_str ss = { s, (uint32_t)strlen(s) };

		CU_ASSERT_EQUAL((int)h248_tok_lookup(ls), i);
		CU_ASSERT_EQUAL((int)h248_tok_lookup(ss), i);
		for (j = 1; j < H248_TOK_COUNT; j++) {
			if (j == i)
				continue;
			CU_ASSERT(!iq_str_ieq(ls, h248_tok_str((enum h248_tok)j, H248_LAYOUT_PRETTY)));
			CU_ASSERT(!iq_str_ieq(ss, h248_tok_str((enum h248_tok)j, H248_LAYOUT_COMPACT)));
			CU_ASSERT(!iq_str_ieq(ss, h248_tok_str((enum h248_tok)j, H248_LAYOUT_PRETTY)));
		}
	}
	CU_ASSERT_EQUAL(h248_tok_lookup((struct iq_str){ "sendreceive", 11 }), H248_TOK_SENDRECV);
	CU_ASSERT_EQUAL(h248_tok_lookup((struct iq_str){ "k", 1 }), H248_TOK_RESPONSEACK);
	CU_ASSERT_EQUAL(h248_tok_lookup((struct iq_str){ "ipdc/realm", 10 }), H248_TOK_NONE);
}

static void
test_tid_strict(void)
{
	CU_ASSERT(h248_tid_valid_strict((struct iq_str){ "ip/1/access1/17", 15 }));
	CU_ASSERT(h248_tid_valid_strict((struct iq_str){ "ROOT", 4 }));
	CU_ASSERT(h248_tid_valid_strict((struct iq_str){ "$", 1 }));
	CU_ASSERT(h248_tid_valid_strict((struct iq_str){ "ip/1/*", 6 }));
	CU_ASSERT(h248_tid_valid_strict((struct iq_str){ "ip/1@mg-1.example", 17 }));
	CU_ASSERT(!h248_tid_valid_strict((struct iq_str){ "ip-1/2", 6 }));
	CU_ASSERT(!h248_tid_valid_strict((struct iq_str){ "ip.1/2", 6 }));
	CU_ASSERT(!h248_tid_valid_strict((struct iq_str){ "1ip", 3 }));
	CU_ASSERT(!h248_tid_valid_strict((struct iq_str){ "", 0 }));
}

int
main(void)
{
	static const struct iq_test tests[] = {
		TEST(test_examples_roundtrip),
		TEST(test_tree_servicechange),
		TEST(test_tree_add_e2ae),
		TEST(test_tree_replies),
		TEST(test_mixed_tokens),
		TEST(test_other_transactions),
		TEST(test_mid_forms),
		TEST(test_bad_inputs),
		TEST(test_truncation),
		TEST(test_bounds),
		TEST(test_tokens_unique),
		TEST(test_tid_strict),
	};

	return run_suite("h248_decode", tests,
			 sizeof(tests) / sizeof(tests[0]));
}
