/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cfg.c: the shipped files load with the values they say, file errors,
 * libconfig syntax errors, and reload checks.
 *
 * Usage: test_cfg CONFIGS_DIR DATA_DIR
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "cfg.h"
#include "cfg_test.h"

static const char *configs_dir;
static const char *data_dir;

static struct cfg *
load_file(const char *dir, const char *name)
{
	char path[512], err[CFG_ERR_MAX] = "";
	struct cfg *c = NULL;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	rc = cfg_load(path, &c, err, sizeof(err));
	if (rc != 0)
		fprintf(stderr, "\n  %s: %s\n", path, err);
	CU_ASSERT_EQUAL(rc, 0);
	return c;
}

static void
assert_prefix(const struct cfg_prefix *p, const char *addr, unsigned int len)
{
	char buf[INET6_ADDRSTRLEN];

	CU_ASSERT_STRING_EQUAL(cfg_ip_str(&p->ip, buf, sizeof(buf)), addr);
	CU_ASSERT_EQUAL(p->len, len);
}

static void
assert_endpoint(const struct cfg_endpoint *e, const char *addr, unsigned int port)
{
	char buf[INET6_ADDRSTRLEN];

	CU_ASSERT_STRING_EQUAL(cfg_ip_str(&e->ip, buf, sizeof(buf)), addr);
	CU_ASSERT_EQUAL(e->port, port);
}

static void
test_default_file(void)
{
	struct cfg *c = load_file(configs_dir, "imsagw.conf");
	const struct cfg_port *a, *k;

	if (c == NULL)
		return;
	a = &c->ports[CFG_PORT_ACCESS];
	k = &c->ports[CFG_PORT_CORE];
	CU_ASSERT(strstr(c->path, "imsagw.conf") != NULL);
	CU_ASSERT_EQUAL(c->eal.argc, 2);
	CU_ASSERT_STRING_EQUAL(c->eal.argv[0], "--no-pci");
	CU_ASSERT_STRING_EQUAL(c->eal.argv[1], "--file-prefix=imsagw");
	CU_ASSERT_EQUAL(c->eal.huge, CFG_HUGE_AUTO);
	CU_ASSERT_EQUAL(c->eal.memory_mb, 512);
	CU_ASSERT_EQUAL(c->lcores.control, 0);
	CU_ASSERT_EQUAL(c->lcores.n_media, 1);
	CU_ASSERT_EQUAL(c->lcores.media[0], 1);
	CU_ASSERT_EQUAL(c->lcores.n_msrp, 0);
	CU_ASSERT_STRING_EQUAL(c->dataplane.netns, "imsagw-dp");
	CU_ASSERT_EQUAL(c->dataplane.mbufs, 16383);
	CU_ASSERT_EQUAL(c->dataplane.burst, 32);

	CU_ASSERT_EQUAL(a->role, CFG_PORT_ACCESS);
	CU_ASSERT_STRING_EQUAL(a->device, "net_tap0,iface=imsagw-ue0");
	CU_ASSERT_EQUAL(a->n_addr4, 1);
	assert_prefix(&a->addr4[0], "192.0.2.1", 24);
	CU_ASSERT_EQUAL(a->n_addr6, 1);
	assert_prefix(&a->addr6[0], "2001:db8:a::1", 64);
	CU_ASSERT_EQUAL(a->udp_min, 20000);
	CU_ASSERT_EQUAL(a->udp_max, 29999);
	CU_ASSERT_EQUAL(a->tcp_min, 20000);
	CU_ASSERT_EQUAL(a->tcp_max, 29999);
	CU_ASSERT_EQUAL(a->vlan_mode, CFG_VLAN_NONE);
	CU_ASSERT_EQUAL(a->mtu, 1500);
	CU_ASSERT_EQUAL(a->rx_desc, 1024);
	CU_ASSERT_EQUAL(a->tx_desc, 1024);
	CU_ASSERT_EQUAL(a->exc_kind, CFG_EXC_TAP);
	CU_ASSERT_STRING_EQUAL(a->exc_iface, "imsagw-acc-x");
	CU_ASSERT_EQUAL(a->n_routes, 0);

	CU_ASSERT_EQUAL(k->role, CFG_PORT_CORE);
	CU_ASSERT_STRING_EQUAL(k->device, "net_tap1,iface=imsagw-core0");
	assert_prefix(&k->addr4[0], "198.51.100.1", 24);
	assert_prefix(&k->addr6[0], "2001:db8:c::1", 64);
	CU_ASSERT_EQUAL(k->udp_min, 30000);
	CU_ASSERT_EQUAL(k->udp_max, 39999);
	CU_ASSERT_EQUAL(k->tcp_min, 30000);
	CU_ASSERT_EQUAL(k->tcp_max, 39999);
	CU_ASSERT_STRING_EQUAL(k->exc_iface, "imsagw-core-x");

	assert_endpoint(&c->iq.listen, "127.0.0.1", 2945);
	CU_ASSERT_EQUAL(c->iq.transport, CFG_IQ_UDP);
	CU_ASSERT_EQUAL(c->iq.n_mgc, 1);
	assert_endpoint(&c->iq.mgc[0], "127.0.0.1", 2944);
	CU_ASSERT_STRING_EQUAL(c->iq.mid, "[127.0.0.1]:2945");
	CU_ASSERT_EQUAL(c->iq.version, 3);
	CU_ASSERT_STRING_EQUAL(c->iq.profile, "threegiq/1");
	CU_ASSERT_EQUAL(c->iq.encoding, CFG_IQ_PRETTY);
	CU_ASSERT_EQUAL(c->iq.long_timer_ms, 30000);
	CU_ASSERT_EQUAL(c->limits.max_contexts, 100000);
	CU_ASSERT_EQUAL(c->limits.max_flows, 1048576);
	CU_ASSERT_STRING_EQUAL(c->crypto.engine, "ipsecmb");
	CU_ASSERT_STRING_EQUAL(c->crypto.cryptodev, "crypto_aesni_mb");
	CU_ASSERT_EQUAL(c->crypto.replay_window, 128);
	CU_ASSERT(c->crypto.suite_aes_cm_128_sha1_80 && c->crypto.suite_aead_aes_256_gcm);
	CU_ASSERT_EQUAL(c->log.level, CFG_LOG_NOTICE);
	CU_ASSERT_STRING_EQUAL(c->log.file, "");
	CU_ASSERT(c->telemetry.enabled);
	CU_ASSERT(c->telemetry.pdump);
	cfg_free(c);
}

static void
test_two_nics(void)
{
	struct cfg *c = load_file(configs_dir, "examples/two-nics.conf");
	const struct cfg_port *a, *k;
	char buf[INET6_ADDRSTRLEN];

	if (c == NULL)
		return;
	a = &c->ports[CFG_PORT_ACCESS];
	k = &c->ports[CFG_PORT_CORE];
	CU_ASSERT_EQUAL(c->eal.huge, CFG_HUGE_YES);
	CU_ASSERT_EQUAL(c->eal.argc, 5);
	CU_ASSERT_STRING_EQUAL(c->eal.argv[1], "0000:03:00.0");
	CU_ASSERT_EQUAL(c->lcores.n_media, 2);
	CU_ASSERT_EQUAL(c->lcores.media[1], 3);
	CU_ASSERT_EQUAL(c->lcores.n_msrp, 1);
	CU_ASSERT_STRING_EQUAL(a->device, "0000:03:00.0");
	CU_ASSERT_EQUAL(a->vlan_mode, CFG_VLAN_STRIP);
	CU_ASSERT_EQUAL(a->vlan_id, 100);
	CU_ASSERT_EQUAL(a->exc_kind, CFG_EXC_VIRTIO_USER);
	CU_ASSERT_EQUAL(k->vlan_mode, CFG_VLAN_NONE);
	CU_ASSERT_EQUAL(k->mtu, 9000);
	CU_ASSERT_EQUAL(k->n_routes, 1);
	assert_prefix(&k->routes[0].dst, "0.0.0.0", 0);
	CU_ASSERT_STRING_EQUAL(cfg_ip_str(&k->routes[0].via, buf, sizeof(buf)), "10.30.0.254");
	CU_ASSERT_EQUAL(k->n_neighbours, 1);
	CU_ASSERT_EQUAL(k->neighbours[0].mac[5], 0xfe);
	CU_ASSERT_EQUAL(k->n_addr6, 0);
	CU_ASSERT_EQUAL(c->iq.n_mgc, 2);
	assert_endpoint(&c->iq.mgc[1], "10.99.0.2", 2944);
	CU_ASSERT_EQUAL(c->iq.encoding, CFG_IQ_COMPACT);
	CU_ASSERT_EQUAL(c->crypto.replay_window, 1024);
	CU_ASSERT_EQUAL(c->log.level, CFG_LOG_INFO);
	CU_ASSERT_STRING_EQUAL(c->log.file, "/var/log/imsagw.log");
	cfg_free(c);
}

static void
test_memif_bench(void)
{
	struct cfg *c = load_file(configs_dir, "examples/memif-bench.conf");
	const struct cfg_port *a;

	if (c == NULL)
		return;
	a = &c->ports[CFG_PORT_ACCESS];
	CU_ASSERT(strncmp(a->device, "net_memif0,", 11) == 0);
	CU_ASSERT_EQUAL(a->exc_kind, CFG_EXC_NONE);
	CU_ASSERT_EQUAL(c->ports[CFG_PORT_CORE].exc_kind, CFG_EXC_NONE);
	/* memif takes its MAC as a devarg: no `mac` override (all zero). */
	CU_ASSERT(strstr(a->device, ",mac=02:00:00:00:0a:01") != NULL);
	CU_ASSERT_EQUAL(a->mac[0] | a->mac[1] | a->mac[2] | a->mac[3] | a->mac[4] | a->mac[5], 0);
	CU_ASSERT_EQUAL(a->n_neighbours, 1);
	CU_ASSERT_EQUAL(a->neighbours[0].mac[5], 0x02);
	CU_ASSERT_EQUAL(c->iq.listen.port, 12955);
	CU_ASSERT_EQUAL(c->iq.mgc[0].port, 12954);
	CU_ASSERT_EQUAL(c->dataplane.mbufs, 32767);
	CU_ASSERT_EQUAL(c->log.level, CFG_LOG_WARNING);
	CU_ASSERT_FALSE(c->telemetry.pdump);
	/* Sections left out come from the defaults. */
	CU_ASSERT_EQUAL(c->iq.n_mgc, 1);
	CU_ASSERT_EQUAL(c->crypto.replay_window, 128);
	cfg_free(c);
}

static void
test_missing_file(void)
{
	char err[CFG_ERR_MAX] = "", path[512];
	struct cfg *c = (struct cfg *)&c; /* must be cleared */

	snprintf(path, sizeof(path), "%s/no-such.conf", data_dir);
	CU_ASSERT_EQUAL(cfg_load(path, &c, err, sizeof(err)), -ENOENT);
	CU_ASSERT_PTR_NULL(c);
	CU_ASSERT(strstr(err, "no-such.conf: ") != NULL);
}

/* Errors in a real file name the file as given and the line. */
static void
test_file_errors(void)
{
	static const struct {
		const char *file;
		int line;
		const char *what;
	} cases[] = {
		{"syntax.conf", 4, "syntax error"},
		{"duplicate.conf", 22, "duplicate setting name"},
		{"unknown.conf", 7, "unknown key 'ports.access.udpmin'"},
		{"include.conf", 8, "ports.core.mtu: 100 is out of range 576..9000"},
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[512], want[600], err[CFG_ERR_MAX] = "";
		struct cfg *c = NULL;
		int rc;

		snprintf(path, sizeof(path), "%s/%s", data_dir, cases[i].file);
		rc = cfg_load(path, &c, err, sizeof(err));
		CU_ASSERT_EQUAL(rc, -EINVAL);
		CU_ASSERT_PTR_NULL(c);
		if (strcmp(cases[i].file, "include.conf") == 0)
			snprintf(path, sizeof(path), "%s/%s", data_dir, "include-core.inc");
		snprintf(want, sizeof(want), "%s:%d: ", path, cases[i].line);
		if (strncmp(err, want, strlen(want)) != 0 || strstr(err, cases[i].what) == NULL)
			fprintf(stderr, "\n  %s: want '%s%s', got '%s'\n", cases[i].file, want,
				cases[i].what, err);
		CU_ASSERT_EQUAL(strncmp(err, want, strlen(want)), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, cases[i].what));
	}
}

static void
test_syntax_error_string(void)
{
	EXPECT_ERR("log = { level = \"info\" }\nlcores = ;\n", 2, "syntax error");
}

static void
test_reload(void)
{
	struct cfg *cur = load_file(configs_dir, "imsagw.conf");
	struct cfg *next;
	char err[CFG_ERR_MAX];

	if (cur == NULL)
		return;
	/* Reloadable: log level, Iq timers and MGCs, replay window, suites. */
	next = load_ok(CFG_TEST_MIN "log = { level = \"debug\"; };\n"
				    "iq = { long_timer_ms = 60000; mgc = [ \"127.0.0.1:2944\", "
				    "\"127.0.0.2:2944\" ]; };\n"
				    "crypto = { replay_window = 1024; rekey_grace_ms = 5000; suites = { "
				    "AES_CM_128_HMAC_SHA1_32 = false; }; };\n");
	if (next != NULL) {
		/* next is the minimal file: make the rest equal to cur's first. */
		struct cfg *same = load_ok(CFG_TEST_MIN);
		struct cfg *bigger = load_ok(CFG_TEST_MIN "limits = { max_contexts = 200000; };\n");

		CU_ASSERT_EQUAL(cfg_reload_check(same, next, err, sizeof(err)), 0);
		/* Something non-reloadable differs between cur and next. */
		CU_ASSERT_EQUAL(cfg_reload_check(cur, next, err, sizeof(err)), -EPERM);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "eal.args cannot change on reload"));
		/* Table sizes are fixed at start: a new limit needs a restart. */
		if (bigger != NULL) {
			CU_ASSERT_EQUAL(cfg_reload_check(same, bigger, err, sizeof(err)), -EPERM);
			CU_ASSERT_STRING_EQUAL(err, "limits.max_contexts cannot change on reload (it "
						    "needs a restart)");
			cfg_free(bigger);
		}
		cfg_free(same);
		cfg_free(next);
	}
	/* Identical: fine. */
	next = load_file(configs_dir, "imsagw.conf");
	if (next != NULL) {
		CU_ASSERT_EQUAL(cfg_reload_check(cur, next, err, sizeof(err)), 0);
		/* Only the log level differs: fine. */
		next->log.level = CFG_LOG_DEBUG;
		CU_ASSERT_EQUAL(cfg_reload_check(cur, next, err, sizeof(err)), 0);
		/* The access device differs: refused, naming the key. */
		snprintf(next->ports[CFG_PORT_ACCESS].device, CFG_DEVICE_MAX, "net_tap9");
		CU_ASSERT_EQUAL(cfg_reload_check(cur, next, err, sizeof(err)), -EPERM);
		CU_ASSERT_STRING_EQUAL(err, "ports.access.device cannot change on reload (it "
					    "needs a restart)");
		cfg_free(next);
	}
	/* A core address change is named with the core key. */
	next = load_file(configs_dir, "imsagw.conf");
	if (next != NULL) {
		next->ports[CFG_PORT_CORE].addr4[0].len = 25;
		CU_ASSERT_EQUAL(cfg_reload_check(cur, next, err, sizeof(err)), -EPERM);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "ports.core.ipv4 cannot change"));
		cfg_free(next);
	}
	cfg_free(cur);
}

/* cfg_reload_apply copies exactly the reloadable keys, or nothing. */
static void
test_reload_apply(void)
{
	struct cfg *cur = load_ok(CFG_TEST_MIN);
	struct cfg *next = load_ok(CFG_TEST_MIN "log = { level = \"debug\"; };\n"
						"iq = { long_timer_ms = 60000; mgc = [ \"127.0.0.1:2944\", "
						"\"127.0.0.2:2948\" ]; };\n"
						"crypto = { replay_window = 1024; rekey_grace_ms = 5000; "
						"suites = { AEAD_AES_128_GCM = false; }; };\n");
	struct cfg *bad = load_ok(CFG_TEST_MIN "log = { level = \"err\"; };\n"
					       "dataplane = { burst = 16; };\n");
	struct cfg before;
	char err[CFG_ERR_MAX];

	if (cur == NULL || next == NULL || bad == NULL)
		goto out;
	CU_ASSERT_EQUAL(cur->log.level, CFG_LOG_NOTICE);
	CU_ASSERT_EQUAL(cur->iq.n_mgc, 1);
	CU_ASSERT(cur->crypto.suite_aead_aes_128_gcm);
	/* A file that also changes a restart-only key changes nothing. */
	memcpy(&before, cur, sizeof(before));
	CU_ASSERT_EQUAL(cfg_reload_apply(cur, bad, err, sizeof(err)), -EPERM);
	CU_ASSERT_STRING_EQUAL(err, "dataplane.burst cannot change on reload (it needs a restart)");
	CU_ASSERT_EQUAL(memcmp(&before, cur, sizeof(before)), 0);
	/* Every reloadable key arrives, lists with their count. */
	CU_ASSERT_EQUAL(cfg_reload_apply(cur, next, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(cur->log.level, CFG_LOG_DEBUG);
	CU_ASSERT_EQUAL(cur->iq.long_timer_ms, 60000);
	CU_ASSERT_EQUAL(cur->iq.n_mgc, 2);
	CU_ASSERT_EQUAL(cur->iq.mgc[1].port, 2948);
	CU_ASSERT_EQUAL(ntohl(cur->iq.mgc[1].ip.a.v4.s_addr), 0x7f000002);
	CU_ASSERT_EQUAL(cur->crypto.replay_window, 1024);
	CU_ASSERT_EQUAL(cur->crypto.rekey_grace_ms, 5000);
	CU_ASSERT(!cur->crypto.suite_aead_aes_128_gcm);
	CU_ASSERT(cur->crypto.suite_aes_cm_128_sha1_80);
	/* ...and nothing else: the snapshot now equals next. */
	CU_ASSERT_EQUAL(cfg_reload_check(next, cur, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(cur->ports[CFG_PORT_ACCESS].device,
			       next->ports[CFG_PORT_ACCESS].device);
	/* Back to the defaults: the MGC list shrinks with its count. */
	cfg_free(next);
	next = load_ok(CFG_TEST_MIN);
	if (next != NULL) {
		CU_ASSERT_EQUAL(cfg_reload_apply(cur, next, err, sizeof(err)), 0);
		CU_ASSERT_EQUAL(cur->iq.n_mgc, 1);
		CU_ASSERT_EQUAL(cur->iq.mgc[0].port, 2944);
		CU_ASSERT_EQUAL(cur->log.level, CFG_LOG_NOTICE);
		CU_ASSERT(cur->crypto.suite_aead_aes_128_gcm);
	}
out:
	cfg_free(bad);
	cfg_free(next);
	cfg_free(cur);
}

static void
test_ip_str(void)
{
	struct cfg_ip ip = {.family = AF_INET6};
	char buf[INET6_ADDRSTRLEN];

	CU_ASSERT_EQUAL(inet_pton(AF_INET6, "2001:db8::1", &ip.a.v6), 1);
	CU_ASSERT_STRING_EQUAL(cfg_ip_str(&ip, buf, sizeof(buf)), "2001:db8::1");
	ip.family = AF_INET;
	ip.a.v4.s_addr = htonl(0xc0000201);
	CU_ASSERT_STRING_EQUAL(cfg_ip_str(&ip, buf, sizeof(buf)), "192.0.2.1");
	ip.family = 0;
	CU_ASSERT_STRING_EQUAL(cfg_ip_str(&ip, buf, sizeof(buf)), "?");
	cfg_free(NULL);
}

int
main(int argc, char **argv)
{
	CU_pSuite s;

	if (argc != 3) {
		fprintf(stderr, "usage: %s CONFIGS_DIR DATA_DIR\n", argv[0]);
		return 2;
	}
	configs_dir = argv[1];
	data_dir = argv[2];
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("cfg", NULL, NULL);
	CU_add_test(s, "default imsagw.conf", test_default_file);
	CU_add_test(s, "examples/two-nics.conf", test_two_nics);
	CU_add_test(s, "examples/memif-bench.conf", test_memif_bench);
	CU_add_test(s, "missing file", test_missing_file);
	CU_add_test(s, "errors in files", test_file_errors);
	CU_add_test(s, "syntax error in a string", test_syntax_error_string);
	CU_add_test(s, "reload check", test_reload);
	CU_add_test(s, "reload apply", test_reload_apply);
	CU_add_test(s, "cfg_ip_str", test_ip_str);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned int failed = CU_get_number_of_failures();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
