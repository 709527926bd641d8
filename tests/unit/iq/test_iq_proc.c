/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CUnit: the Iq procedures (iq/iq_proc.c) against a real control instance
 * over net_null ports (no worker started), as test_ctl_ctx does. Issue 11:
 *   - iq_proc_rollback() undoes a transaction's Adds and the contexts it
 *     created (a reply over 64 KB), and a Move's new context once empty;
 *   - an arena that runs out after a termination was added leaves nothing
 *     (iq_proc_execute returns -ENOMEM, already rolled back);
 *   - hangterm/thb timerx and it/ito mit values whose ms products would
 *     overflow 32 bits are refused with 449, never armed;
 *   - a ROOT ServiceChange whose hook refuses MgcIdToTry answers the code.
 */
#include <errno.h>
#include <string.h>

#include <rte_eal.h>

#include "cfg.h"
#include "ctl.h"
#include "ctl_loop.h"
#include "dp.h"
#include "sec.h"
#include "iq_proc.h"
#include "iq_test_util.h"

static const char conf[] =
	"lcores = { control = 0; media = [ 1 ]; msrp = [ ]; };\n"
	"dataplane = { mbufs = 2047; };\n"
	"ports = {\n"
	"  access = { device = \"net_null0\"; ipv4 = [ \"192.0.2.1/24\" ];\n"
	"    udp_min = 20000; udp_max = 20063; tcp_min = 20000; tcp_max = 20099;\n"
	"    neighbours = ( { ip = \"192.0.2.2\"; mac = \"02:00:00:00:0a:02\"; } );\n"
	"    exception = \"none\"; };\n"
	"  core = { device = \"net_null1\"; ipv4 = [ \"198.51.100.1/24\" ];\n"
	"    udp_min = 30000; udp_max = 30063; tcp_min = 30000; tcp_max = 30099;\n"
	"    neighbours = ( { ip = \"198.51.100.2\"; mac = \"02:00:00:00:0c:02\"; } );\n"
	"    exception = \"none\"; };\n"
	"};\n"
	"limits = { max_contexts = 16; max_flows = 256; };\n";

static struct cfg *cfg;
static struct dp *dp;
static struct ctl_loop *loop;
static struct ctl *ctl;
static struct iq_proc *proc;
static uint32_t last_mit = 0xffffffffu;

static uint16_t
sc_hook(void *arg, const struct h248_services *sv)
{
	(void)arg;
	return sv->has_mgcid ? 410 : 0;
}

static void
inact_hook(void *arg, uint32_t rid, uint32_t mit_ms)
{
	(void)arg;
	(void)rid;
	last_mit = mit_ms;
}

/* Execute @text's first transaction in an arena of @arena_size bytes.
 * Returns iq_proc_execute's value; *code gets the first error code. */
static int
run(const char *text, size_t arena_size, uint16_t *code)
{
	static uint64_t mem[ARENA_SIZE / 8];
	static uint64_t dmem[ARENA_SIZE / 8];
	struct h248_transaction rep;
	struct h248_message *m;
	struct h248_error err;
	const struct h248_action *a;
	struct iq_arena ar;
	int rc;

	*code = 0;
	m = must_decode(text, strlen(text), dmem, &err);
	if (m == NULL)
		return -EINVAL;
	iq_arena_init(&ar, mem, arena_size);
	memset(&rep, 0, sizeof(rep));
	rc = iq_proc_execute(proc, &ar, m->txns, &rep);
	for (a = rc == 0 ? rep.actions : NULL; a != NULL && *code == 0; a = a->next)
		if (a->error != NULL)
			*code = a->error->code;
	return rc;
}

static const char add2[] =
	"MEGACO/3 [127.0.0.1]:2944\nTransaction = 1 {\n"
	"Context = $ { Add = $ { Media { Stream = 1 { LocalControl { ipdc/realm = \"access\" },"
	" Local {\nv=0\nc=IN IP4 $\nm=audio $ RTP/SAVP 0\n"
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$\n} } } },"
	" Add = $ { Media { Stream = 1 { LocalControl { ipdc/realm = \"core\" } } } } },\n"
	"Context = $ { Add = $ { Media { Stream = 1 { LocalControl { ipdc/realm = \"core\" } } } } } }\n";

static void
test_rollback(void)
{
	uint16_t code;

	CU_ASSERT_EQUAL_FATAL(run(add2, ARENA_SIZE, &code), 0);
	CU_ASSERT_EQUAL(code, 0);
	CU_ASSERT_EQUAL(ctl_context_count(ctl), 2);
	CU_ASSERT_EQUAL(ctl_term_count(ctl), 3);
	CU_ASSERT_EQUAL(iq_proc_term_count(proc), 3);
	iq_proc_rollback(proc);
	CU_ASSERT_EQUAL(ctl_context_count(ctl), 0);
	CU_ASSERT_EQUAL(ctl_term_count(ctl), 0);
	CU_ASSERT_EQUAL(iq_proc_term_count(proc), 0);
}

/* A termination moved into a new context in the same transaction: both go. */
static void
test_rollback_move(void)
{
	static const char t[] =
		"MEGACO/3 [127.0.0.1]:2944\nTransaction = 2 {\n"
		"Context = $ { Add = ip/core/77 { Media { Stream = 1 { LocalControl {"
		" ipdc/realm = \"core\" } } } } },\n"
		"Context = $ { Move = ip/core/77 } }\n";
	uint16_t code;

	CU_ASSERT_EQUAL_FATAL(run(t, ARENA_SIZE, &code), 0);
	CU_ASSERT_EQUAL(code, 0);
	CU_ASSERT_EQUAL(ctl_term_count(ctl), 1);
	iq_proc_rollback(proc);
	CU_ASSERT_EQUAL(ctl_context_count(ctl), 0);
	CU_ASSERT_EQUAL(ctl_term_count(ctl), 0);
}

/* Arena exhaustion after ctl_term_add: -ENOMEM, nothing left behind, for
 * every arena size from too small for anything to just short of enough. */
static void
test_arena_exhaustion(void)
{
	size_t sz;
	uint16_t code;
	unsigned int nomem = 0;

	for (sz = 64; sz < 16384; sz += 64) {
		int rc = run(add2, sz, &code);

		if (rc == -ENOMEM)
			nomem++;
		if (rc == -ENOMEM) {
			CU_ASSERT_EQUAL(ctl_context_count(ctl), 0);
			CU_ASSERT_EQUAL(ctl_term_count(ctl), 0);
			CU_ASSERT_EQUAL(iq_proc_term_count(proc), 0);
		} else {
			iq_proc_rollback(proc);
		}
	}
	CU_ASSERT(nomem > 10);
	CU_ASSERT_EQUAL(ctl_context_count(ctl), 0);
}

static void
test_timer_bounds(void)
{
	static const char thb[] =
		"MEGACO/3 [127.0.0.1]:2944\nTransaction = 3 { Context = $ { Add = $ { Media {"
		" Stream = 1 { LocalControl { ipdc/realm = \"core\" } } }, Events = 9 {"
		" hangterm/thb { timerx = %s } } } } }\n";
	static const char mit[] =
		"MEGACO/3 [127.0.0.1]:2944\nTransaction = 4 { Context = - { Modify = ROOT {"
		" Events = 8 { it/ito { mit = %s } } } } }\n";
	char b[512];
	uint16_t code;

	/* 4294968 s * 1000 wraps to 704 ms: refused, nothing added. */
	snprintf(b, sizeof(b), thb, "4294968");
	CU_ASSERT_EQUAL(run(b, ARENA_SIZE, &code), 0);
	CU_ASSERT_EQUAL(code, 449);
	CU_ASSERT_EQUAL(ctl_context_count(ctl), 0);
	snprintf(b, sizeof(b), thb, "86401");
	CU_ASSERT_EQUAL(run(b, ARENA_SIZE, &code), 0);
	CU_ASSERT_EQUAL(code, 449);
	snprintf(b, sizeof(b), thb, "86400");
	CU_ASSERT_EQUAL(run(b, ARENA_SIZE, &code), 0);
	CU_ASSERT_EQUAL(code, 0);
	CU_ASSERT_EQUAL(iq_proc_next_notify(proc) - 86400000u <= ctl_now_ms(), true);
	iq_proc_rollback(proc);
	/* 429496730 * 10 ms wraps to 4 ms: refused, the hook never called. */
	last_mit = 0xffffffffu;
	snprintf(b, sizeof(b), mit, "429496730");
	CU_ASSERT_EQUAL(run(b, ARENA_SIZE, &code), 0);
	CU_ASSERT_EQUAL(code, 449);
	CU_ASSERT_EQUAL(last_mit, 0xffffffffu);
	snprintf(b, sizeof(b), mit, "-1");
	CU_ASSERT_EQUAL(run(b, ARENA_SIZE, &code), 0);
	CU_ASSERT_EQUAL(code, 449);
	snprintf(b, sizeof(b), mit, "8640000");
	CU_ASSERT_EQUAL(run(b, ARENA_SIZE, &code), 0);
	CU_ASSERT_EQUAL(code, 0);
	CU_ASSERT_EQUAL(last_mit, 86400000u);
	iq_proc_commit(proc);
}

static void
test_sc_refused(void)
{
	static const char t[] =
		"MEGACO/3 [127.0.0.1]:2944\nTransaction = 5 { Context = - { ServiceChange = ROOT {"
		" Services { Method = Handoff, MgcIdToTry = [192.0.2.99]:2944 } } } }\n";
	uint16_t code;

	CU_ASSERT_EQUAL(run(t, ARENA_SIZE, &code), 0);
	CU_ASSERT_EQUAL(code, 410);
	iq_proc_commit(proc);
}

int
main(void)
{
	static const struct iq_test tests[] = {
		TEST(test_rollback),
		TEST(test_rollback_move),
		TEST(test_arena_exhaustion),
		TEST(test_timer_bounds),
		TEST(test_sc_refused),
	};
	char err[CFG_ERR_MAX];
	char *argv[] = { "test_iq_proc", "--no-huge", "-m", "128", "--no-pci", "--no-shconf",
			 "--file-prefix=imsagw-t-iqproc", "-l", "0,1", "--log-level=*:error",
			 "--vdev=net_null0", "--vdev=net_null1", NULL };
	struct sec_config sc = { .default_engine = SEC_ENGINE_OPENSSL, .disable_cryptodev = true };
	struct iq_proc_hooks hooks = { sc_hook, inact_hook, NULL };
	int rc;

	if (cfg_load_string(conf, "test.conf", &cfg, err, sizeof(err)) < 0 ||
	    rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv) < 0 || sec_init(&sc) < 0)
		return 2;
	dp = dp_create(cfg, err, sizeof(err));
	loop = dp != NULL ? ctl_loop_create() : NULL;
	ctl = loop != NULL ? ctl_create(cfg, dp, loop, err, sizeof(err)) : NULL;
	proc = ctl != NULL ? iq_proc_create(ctl, &hooks) : NULL;
	if (proc == NULL) {
		fprintf(stderr, "setup: %s\n", err);
		return 2;
	}
	rc = run_suite("iq_proc", tests, sizeof(tests) / sizeof(tests[0]));
	iq_proc_destroy(proc);
	ctl_destroy(ctl);
	ctl_loop_destroy(loop);
	dp_destroy(dp);
	rte_eal_cleanup();
	cfg_free(cfg);
	return rc;
}
