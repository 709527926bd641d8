/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer: the Iq procedures end to end (h248_decode -> iq_proc_execute
 * -> h248_encode_reply), against a real control instance over a minimal
 * data plane: EAL without hugepages, two net_null ports, no media worker
 * started (control publishes flows; nothing forwards them), the openssl
 * SRTP engine. Every request transaction of the input is executed (as if
 * registered) and its reply encoded into 64 KB; then what it added is
 * rolled back (iq_proc_rollback, the path a reply over 64 KB takes), so
 * each input starts from an empty gateway and memory stays flat. A context
 * left behind is a rollback bug and aborts. Inputs up to 65535 bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>

#include "cfg.h"
#include "ctl.h"
#include "ctl_loop.h"
#include "dp.h"
#include "h248.h"
#include "sec.h"
#include "iq_proc.h"

static const char conf[] =
	"lcores = { control = 0; media = [ 1 ]; msrp = [ ]; };\n"
	"dataplane = { mbufs = 2047; };\n"
	"ports = {\n"
	"  access = { device = \"net_null0\"; ipv4 = [ \"192.0.2.1/24\" ];\n"
	"    ipv6 = [ \"2001:db8:a::1/64\" ];\n"
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
static uint8_t arena_mem[1u << 20];
static char out[65535];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	(void)mit_ms;
}

/* At exit, so that LeakSanitizer sees only what an input leaked. */
static void
teardown(void)
{
	ctl_destroy(ctl);
	ctl_loop_destroy(loop);
	dp_destroy(dp);
	rte_eal_cleanup();
	cfg_free(cfg);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[CFG_ERR_MAX];
	char *eal[] = { "fuzz_iq_proc", "--no-huge", "-m", "128", "--no-pci", "--no-shconf",
			"--file-prefix=imsagw-fz-iqproc", "-l", "0,1", "--log-level=*:crit",
			"--vdev=net_null0", "--vdev=net_null1", NULL };
	struct sec_config sc = { .default_engine = SEC_ENGINE_OPENSSL, .disable_cryptodev = true };

	(void)argc;
	(void)argv;
	if (cfg_load_string(conf, "fuzz.conf", &cfg, err, sizeof(err)) < 0 ||
	    rte_eal_init((int)(sizeof(eal) / sizeof(eal[0])) - 1, eal) < 0 || sec_init(&sc) < 0) {
		fprintf(stderr, "fuzz_iq_proc: setup failed: %s\n", err);
		abort();
	}
	dp = dp_create(cfg, err, sizeof(err));
	loop = dp != NULL ? ctl_loop_create() : NULL;
	ctl = loop != NULL ? ctl_create(cfg, dp, loop, err, sizeof(err)) : NULL;
	if (ctl == NULL) {
		fprintf(stderr, "fuzz_iq_proc: control: %s\n", err);
		abort();
	}
	atexit(teardown);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iq_proc_hooks hooks = { sc_hook, inact_hook, NULL };
	struct h248_mid mid = { .type = H248_MID_IP4, .addr = IQ_STR("127.0.0.1") };
	const struct h248_transaction *t;
	struct h248_message *m;
	struct h248_error err;
	struct iq_proc *p;
	struct iq_arena a;

	if (size > 65535)
		return 0;
	iq_arena_init(&a, arena_mem, sizeof(arena_mem));
	if (h248_decode((const char *)data, size, &a, NULL, &m, &err) < 0)
		return 0;
	p = iq_proc_create(ctl, &hooks);
	if (p == NULL)
		abort();
	for (t = m->txns; t != NULL; t = t->next) {
		struct h248_transaction rep;
		size_t len = 0;

		if (t->type != H248_TXN_REQUEST)
			continue;
		memset(&rep, 0, sizeof(rep));
		if (iq_proc_execute(p, &a, t, &rep) == 0) {
			h248_encode_reply(3, &mid, &rep, H248_LAYOUT_PRETTY, out, sizeof(out), &len);
			h248_encode_reply(3, &mid, &rep, H248_LAYOUT_COMPACT, out, sizeof(out), &len);
			iq_proc_rollback(p);
		}
	}
	iq_proc_destroy(p);
	/* Everything the input made was rolled back: nothing is left. */
	if (ctl_context_count(ctl) != 0 || ctl_term_count(ctl) != 0) {
		fprintf(stderr, "fuzz_iq_proc: %u contexts, %u terminations left after rollback\n",
			ctl_context_count(ctl), ctl_term_count(ctl));
		abort();
	}
	return 0;
}
