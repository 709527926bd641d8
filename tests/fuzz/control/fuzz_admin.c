/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer: the admin socket's line parser and commands (ctl_admin_exec)
 * against a real control instance over a minimal data plane: EAL without
 * hugepages, two net_null ports, no media worker, the openssl SRTP engine.
 * The input is split into lines (at most 32), each executed as one command
 * line; every reply must end in a line that starts "ok" or "error". Then
 * every context is deleted and reclaimed, so each input starts from an
 * empty gateway: a context or flow left behind aborts.
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
#include "sec.h"

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

#define MAX_LINES 32
#define LINE_MAX_LEN 1024

static struct cfg *cfg;
static struct dp *dp;
static struct ctl_loop *loop;
static struct ctl *ctl;
static char reply[16384];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* At exit, so that LeakSanitizer sees only what an input leaked. */
static void
teardown(void)
{
	ctl_destroy(ctl);
	ctl_loop_destroy(loop);
	dp_destroy(dp);
	sec_fini();
	rte_eal_cleanup();
	cfg_free(cfg);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[CFG_ERR_MAX] = "";
	char *eal[] = { "fuzz_admin", "--no-huge", "-m", "128", "--no-pci", "--no-shconf",
			"--file-prefix=imsagw-fz-admin", "-l", "0,1", "--log-level=*:crit",
			"--vdev=net_null0", "--vdev=net_null1", NULL };
	struct sec_config sc = { .default_engine = SEC_ENGINE_OPENSSL, .disable_cryptodev = true };

	(void)argc;
	(void)argv;
	if (cfg_load_string(conf, "fuzz.conf", &cfg, err, sizeof(err)) < 0 ||
	    rte_eal_init((int)(sizeof(eal) / sizeof(eal[0])) - 1, eal) < 0 || sec_init(&sc) < 0) {
		fprintf(stderr, "fuzz_admin: setup failed: %s\n", err);
		abort();
	}
	dp = dp_create(cfg, err, sizeof(err));
	loop = dp != NULL ? ctl_loop_create() : NULL;
	ctl = loop != NULL ? ctl_create(cfg, dp, loop, err, sizeof(err)) : NULL;
	if (ctl == NULL) {
		fprintf(stderr, "fuzz_admin: control: %s\n", err);
		abort();
	}
	atexit(teardown);
	return 0;
}

/* Does the reply's last line start with "ok" or "error"? */
static int
reply_well_formed(const char *r)
{
	size_t n = strlen(r);
	const char *last;

	while (n > 0 && r[n - 1] == '\n')
		n--;
	if (n == 0)
		return 0;
	last = r + n;
	while (last > r && last[-1] != '\n')
		last--;
	return strncmp(last, "ok", 2) == 0 || strncmp(last, "error", 5) == 0;
}

static int
collect(uint32_t ctx_id, const char *const *ids, unsigned int n, void *arg)
{
	uint32_t *list = arg;

	(void)ids;
	(void)n;
	if (list[0] < 64)
		list[1 + list[0]++] = ctx_id;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[LINE_MAX_LEN];
	uint32_t ctxs[65];
	size_t pos = 0;
	unsigned int n, i;

	for (n = 0; n < MAX_LINES && pos < size; n++) {
		size_t len = 0;

		while (pos < size && data[pos] != '\n' && len < sizeof(line) - 1)
			line[len++] = (char)data[pos++];
		while (pos < size && data[pos] != '\n')
			pos++; /* the rest of an over-long line */
		pos++;
		line[len] = '\0';
		ctl_admin_exec(ctl, line, reply, sizeof(reply));
		if (!reply_well_formed(reply)) {
			fprintf(stderr, "fuzz_admin: reply without ok/error: \"%s\"\n", reply);
			abort();
		}
	}
	/* Back to an empty gateway. */
	do {
		ctxs[0] = 0;
		ctl_context_iterate(ctl, collect, ctxs);
		for (i = 0; i < ctxs[0]; i++)
			ctl_context_delete(ctl, ctxs[1 + i]);
	} while (ctxs[0] > 0 && ctl_context_count(ctl) > 0);
	ctl_poll(ctl);
	ctl_poll(ctl);
	if (ctl_context_count(ctl) != 0 || ctl_term_count(ctl) != 0 ||
	    dp_flow_count(dp_flows(dp)) != 0) {
		fprintf(stderr, "fuzz_admin: state left: %u contexts, %u terminations, %u flows\n",
			ctl_context_count(ctl), ctl_term_count(ctl), dp_flow_count(dp_flows(dp)));
		abort();
	}
	return 0;
}
