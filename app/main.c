/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * imsagw: the IMS access gateway process.
 *
 *   imsagw [EAL args] -- --config FILE [--check-config] [--admin-socket PATH]
 *   imsagw --config FILE [...]           (EAL args taken from the file)
 *
 * main() is the control lcore: it reads the config, starts EAL, builds the
 * data plane and the control plane, launches the media workers and runs the
 * control event loop until SIGTERM/SIGINT. SIGHUP reloads the reloadable
 * part of the config, or keeps the running one (app_reload.c).
 *
 * This is the composition root: the one place that knows every module and
 * wires them (crypto, dataplane, control, Iq); nothing includes app/.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_pdump.h>

#include "app.h"
#include "cfg.h"
#include "ctl.h"
#include "dp.h"
#include "eal_args.h"
#include "iq_mg.h"
#include "sec.h"

#define DEFAULT_ADMIN_SOCKET "/run/imsagw/imsagw.sock"
#define LOOP_WAIT_MS 100
/* How long SIGTERM waits for the MGC to answer our ServiceChange. */
#define SHUTDOWN_WAIT_MS 1000

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t reload_requested;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		reload_requested = 1;
	else
		stop_requested = 1;
}

static void
usage(FILE *fp, const char *prog)
{
	fprintf(fp,
		"usage: %s [EAL options] -- --config FILE [--check-config] [--admin-socket PATH]\n"
		"       %s --config FILE [--check-config] [--admin-socket PATH]\n"
		"  --config FILE        libconfig file (see docs/configuration.md)\n"
		"  --check-config       validate FILE and exit (0 when valid); DPDK is not started\n"
		"  --admin-socket PATH  admin socket for imsagw-ctl (default %s)\n"
		"EAL options given on the command line replace the config's eal.args.\n",
		prog, prog, DEFAULT_ADMIN_SOCKET);
}

struct app_opts {
	const char *config;
	const char *admin;
	int check_only;
};

static int
parse_app_args(int argc, char **argv, struct app_opts *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'f' },
		{ "check-config", no_argument, NULL, 'k' },
		{ "admin-socket", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->admin = DEFAULT_ADMIN_SOCKET;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			o->config = optarg;
			break;
		case 'k':
			o->check_only = 1;
			break;
		case 'a':
			o->admin = optarg;
			break;
		case 'h':
			usage(stdout, argv[0]);
			exit(0);
		default:
			return -EINVAL;
		}
	}
	if (optind != argc || o->config == NULL)
		return -EINVAL;
	return 0;
}

static int
ensure_parent_dir(const char *path)
{
	char dir[256];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int
run(struct cfg *cfg, const char *admin_path)
{
	char err[CFG_ERR_MAX];
	struct ctl_loop *loop = NULL;
	struct ctl *ctl = NULL;
	struct iq_mg *iq = NULL;
	struct app_msrp msrp = { 0 };
	struct sec_config sc;
	struct dp *dp;
	int rc = 1;

	/* Every engine proves its known-answer vectors here, or is refused. */
	app_sec_config(&cfg->crypto, &sc);
	if (sec_init(&sc) < 0) {
		APP_LOG(ERR, "crypto: no SRTP engine passed its self-test");
		return 1;
	}
	dp = dp_create(cfg, err, sizeof(err));
	if (dp == NULL) {
		APP_LOG(ERR, "data plane: %s", err);
		sec_fini();
		return 1;
	}
	loop = ctl_loop_create();
	if (loop == NULL) {
		APP_LOG(ERR, "control loop: %s", strerror(errno));
		goto out;
	}
	ctl = ctl_create(cfg, dp, loop, err, sizeof(err));
	if (ctl == NULL) {
		APP_LOG(ERR, "control: %s", err);
		goto out;
	}
	if (cfg->telemetry.enabled && ctl_telemetry_init(ctl) < 0)
		APP_LOG(WARNING, "telemetry commands not registered");
	if (cfg->telemetry.pdump && rte_pdump_init() < 0)
		APP_LOG(WARNING, "pdump not available (dpdk-dumpcap will not attach)");
	if (app_msrp_start(&msrp, cfg, ctl) < 0)
		goto out;
	if (ensure_parent_dir(admin_path) < 0 || ctl_admin_init(ctl, admin_path) < 0) {
		APP_LOG(ERR, "admin socket %s: cannot listen", admin_path);
		goto out;
	}
	/* Iq: registration begins once media runs. Without its socket (the
	 * address in use, e.g. by another instance) the gateway still relays
	 * media and serves the admin socket, loudly without Iq. */
	iq = iq_mg_create(cfg, ctl, loop, err, sizeof(err));
	if (iq == NULL)
		APP_LOG(ERR, "%s; running WITHOUT Iq", err);
	if (dp_start(dp) < 0) {
		APP_LOG(ERR, "cannot launch the media workers");
		goto out;
	}
	if (iq != NULL)
		iq_mg_start(iq);
	APP_LOG(NOTICE, "running: %u media worker(s), admin socket %s", dp_worker_count(dp),
		 admin_path);
	/* Readiness line for scripts (stdout, not the log). */
	printf("imsagw: ready\n");
	fflush(stdout);

	while (!stop_requested) {
		if (ctl_loop_run_once(loop, LOOP_WAIT_MS) < 0)
			break;
		if (reload_requested) {
			reload_requested = 0;
			(void)app_reload(cfg, iq, ctl, &msrp);
		}
	}
	APP_LOG(NOTICE, "stopping");
	/* Out of service: ServiceChange Forced, answered or not within a bound
	 * (the MGC may be gone too). */
	if (iq != NULL && iq_mg_shutdown(iq, false) == 0) {
		uint64_t end = ctl_loop_now_ms(loop) + SHUTDOWN_WAIT_MS;

		while (!iq_mg_shutdown_done(iq) && ctl_loop_now_ms(loop) < end)
			if (ctl_loop_run_once(loop, 50) < 0)
				break;
	}
	if (iq != NULL) {
		struct iq_mg_stats st;

		iq_mg_get_stats(iq, &st);
		APP_LOG(NOTICE, "iq: %llu requests, %llu duplicates, %llu errors sent, "
			 "%llu dropped (not an MGC), %llu undecodable, %llu retransmits, %llu failovers",
			 (unsigned long long)st.requests, (unsigned long long)st.duplicates,
			 (unsigned long long)st.errors, (unsigned long long)st.rx_dropped_peer,
			 (unsigned long long)st.rx_bad, (unsigned long long)st.retransmits,
			 (unsigned long long)st.failovers);
	}
	rc = 0;
	dp_stop(dp);
out:
	iq_mg_destroy(iq);
	if (ctl != NULL) {
		ctl_admin_fini(ctl);
		ctl_telemetry_fini(ctl);
		ctl_destroy(ctl);
	}
	app_msrp_stop(&msrp);
	ctl_loop_destroy(loop);
	dp_destroy(dp);
	sec_fini();
	return rc;
}

int
main(int argc, char **argv)
{
	char err[CFG_ERR_MAX];
	struct app_opts opts = { 0 };
	struct eal_args eal;
	struct sigaction sa = { .sa_handler = on_signal };
	struct cfg *cfg = NULL;
	int app_argc, eal_argc, i, rc;
	char **app_argv;

	/* Split at "--": EAL arguments before it, ours after. Without "--"
	 * everything is ours and EAL takes its arguments from the config. */
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		;
	if (i < argc) {
		eal_argc = i - 1;
		app_argc = argc - i;
		app_argv = argv + i;
		app_argv[0] = argv[0];
	} else {
		eal_argc = 0;
		app_argc = argc;
		app_argv = argv;
	}
	if (parse_app_args(app_argc, app_argv, &opts) < 0) {
		usage(stderr, argv[0]);
		return 2;
	}
	if (cfg_load(opts.config, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (opts.check_only) {
		printf("%s: ok\n", opts.config);
		cfg_free(cfg);
		return 0;
	}

	rc = app_process_apply(&cfg->process);
	if (rc < 0) {
		fprintf(stderr, "imsagw: cannot make the process non-dumpable: %s\n",
			strerror(-rc));
		cfg_free(cfg);
		return 1;
	}
	if (eal_args_build(&eal, argv[0], eal_argc, argv + 1, cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "imsagw: %s\n", err);
		cfg_free(cfg);
		return 1;
	}
	rc = rte_eal_init(eal.argc, eal.argv);
	if (rc < 0) {
		fprintf(stderr, "imsagw: EAL initialisation failed: %s\n", rte_strerror(rte_errno));
		eal_args_free(&eal);
		cfg_free(cfg);
		return 1;
	}
	app_log_apply(&cfg->log);
	if (cfg->log.file[0] != '\0') {
		FILE *lf = fopen(cfg->log.file, "a");

		if (lf == NULL || rte_openlog_stream(lf) < 0)
			APP_LOG(WARNING, "cannot open log file %s, logging to stderr",
				 cfg->log.file);
	}
	APP_LOG(NOTICE, "config %s, EAL: %s", cfg->path, eal.line);

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	rc = run(cfg, opts.admin);

	if (cfg->telemetry.pdump)
		rte_pdump_uninit();
	rte_eal_cleanup();
	eal_args_free(&eal);
	cfg_free(cfg);
	return rc;
}
