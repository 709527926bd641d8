/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * imsagw-bench-iq: control-plane benchmark over Iq. Acts as the MGC
 * (iq_mgc): answers the gateway's ServiceChange if one comes, then sets up
 * and tears down calls as fast as the gateway answers, @window in flight,
 * and prints transactions/s and the Add latency (p50/p99). A program that
 * prints numbers, never a test; bench/iq/run.sh runs it against a gateway
 * with media flowing.
 *
 *   imsagw-bench-iq [--bind IP:PORT] [--mg IP:PORT] [--calls N] [--window W]
 *                   [--e2ae] [--compact] [--register-wait MS]
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iq_mgc.h"

static struct iq_mgc_msg sc;

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bind", required_argument, NULL, 'b' },   { "mg", required_argument, NULL, 'g' },
		{ "calls", required_argument, NULL, 'n' },  { "window", required_argument, NULL, 'w' },
		{ "e2ae", no_argument, NULL, 'e' },         { "compact", no_argument, NULL, 'C' },
		{ "register-wait", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct iq_mgc_cfg mc = { .bind = "127.0.0.1:2944", .mg = "127.0.0.1:2945" };
	unsigned int calls = 50000, window = 16, reg_wait = 0;
	struct iq_mgc_bench_result r;
	bool e2ae = false;
	struct iq_mgc *m;
	char err[256];
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'b': mc.bind = optarg; break;
		case 'g': mc.mg = optarg; break;
		case 'n': calls = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'w': window = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'e': e2ae = true; break;
		case 'C': mc.layout = H248_LAYOUT_COMPACT; break;
		case 'r': reg_wait = (unsigned int)strtoul(optarg, NULL, 10); break;
		default:
			fprintf(stderr, "usage: %s [--bind IP:PORT] [--mg IP:PORT] [--calls N] "
				"[--window W] [--e2ae] [--compact] [--register-wait MS]\n", argv[0]);
			return 2;
		}
	}
	m = iq_mgc_open(&mc, err, sizeof(err));
	if (m == NULL) {
		fprintf(stderr, "imsagw-bench-iq: %s\n", err);
		return 1;
	}
	if (reg_wait > 0 && iq_mgc_wait_register(m, (int)reg_wait, &sc) < 0) {
		fprintf(stderr, "imsagw-bench-iq: no ServiceChange from the gateway\n");
		iq_mgc_close(m);
		return 1;
	}
	rc = iq_mgc_bench(m, calls, window ? window : 1, e2ae, 5000, &r);
	iq_mgc_bench_print(&r, stdout);
	iq_mgc_close(m);
	return rc == 0 && r.errors == 0 ? 0 : 1;
}
