/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * imsagw-msrp-load: MSRP over TLS (or TCP) load for the gateway's MSRP
 * relay and for the proxies it is compared with. One thread, epoll, every
 * socket non-blocking; OpenSSL 3. A benchmark program: it prints numbers
 * and exits non-zero when what it asked for did not happen.
 *
 *   imsagw-msrp-load client --connect HOST:PORTS [--conns N] [--rate R]
 *       [--concurrency C] [--tls [--tls-version 1.2|1.3] --cert C --key K
 *       --peer-fp FP] [--churn] [--no-probe] [--active M --chunk B
 *       --window W (--seconds S | --chunks K)] [--pause] [--hs-timeout S]
 *   imsagw-msrp-load server --listen HOST:PORTS [--tls --cert C --key K
 *       [--peer-fp FP]] [--sink]
 *   imsagw-msrp-load relay --listen HOST:PORTS --to HOST:PORT
 *   all: [--timeout S] [--label NAME]
 *
 * PORTS: "P", "A-B", "A,B,..." or "@FILE" (ports separated by white space
 * or commas); HOST an IPv4 address or [IPv6]. A client's connection i goes
 * to the i-th port (modulo their count); --conns defaults to one per port.
 * FP: the peer certificate's SHA-256, "SHA-256 AB:CD:..." or bare hex. TLS
 * is 1.2 and 1.3 unless pinned, ECDHE on P-256, AES-128-GCM; certificates
 * are the caller's (ECDSA P-256 for the profile measured); every handshake
 * is a full one (no session cache, no tickets: `resumed` says 0).
 *
 * Output: key=value lines. A client prints "phase up ..." once every
 * connection is up (then, with --pause, waits for SIGUSR1), "phase done
 * ..." after the active phase (waits again with --pause), and at the end
 *   result mode=client ... hs_per_s=.. gbps=.. status=ok|fail
 * A server or relay runs until SIGTERM/SIGINT or --timeout and prints
 *   result mode=server|relay ...
 * Exit status: 0 ok, 1 something failed (a count says what), 2 usage.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "load.h"

volatile int load_stop, load_go;

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		load_go = 1;
	else
		load_stop = 1;
}

static void
usage(void)
{
	fprintf(stderr,
		"usage: imsagw-msrp-load client --connect HOST:PORTS [--conns N] [--rate R]\n"
		"         [--concurrency C] [--tls [--tls-version 1.2|1.3] --cert C --key K\n"
		"         --peer-fp FP] [--churn] [--no-probe] [--active M] [--chunk B]\n"
		"         [--window W] [--seconds S | --chunks K] [--pause] [--hs-timeout S]\n"
		"       imsagw-msrp-load server --listen HOST:PORTS [--tls --cert C --key K\n"
		"         [--peer-fp FP]] [--sink]\n"
		"       imsagw-msrp-load relay --listen HOST:PORTS --to HOST:PORT\n"
		"       all: [--timeout S] [--label NAME]\n");
}

/* "A.B.C.D:PORTS" or "[v6]:PORTS". @return 0 or -1. */
static int
host_ports(const char *s, struct sockaddr_storage *ss, socklen_t *len, uint16_t **ports,
	   uint32_t *n)
{
	char host[64];
	const char *colon, *h = s;
	size_t hl;
	int np;

	if (s[0] == '[') {
		colon = strstr(s, "]:");
		h = s + 1;
		if (colon == NULL)
			return -1;
		hl = (size_t)(colon - h);
		colon++;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return -1;
		hl = (size_t)(colon - s);
	}
	if (hl >= sizeof(host))
		return -1;
	memcpy(host, h, hl);
	host[hl] = '\0';
	if (load_parse_addr(host, ss, len) < 0)
		return -1;
	np = load_parse_ports(colon + 1, ports);
	if (np <= 0)
		return -1;
	*n = (uint32_t)np;
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct(double *v, uint64_t n, double p)
{
	if (n == 0)
		return 0;
	return v[(uint64_t)(p * (double)(n - 1) + 0.5)];
}

static int
report_client(const struct load_opts *o, struct load_stats *st, uint64_t nofile, int rc)
{
	uint64_t failed = st->fail_connect + st->fail_tls + st->fail_fp + st->fail_probe +
			  st->fail_timeout + st->fail_proto + st->fail_closed;
	double setup_s = st->t_last_up > st->t_first ? st->t_last_up - st->t_first : 0;
	double act_s = st->t_active1 > st->t_active0 ? st->t_active1 - st->t_active0 : 0;
	bool ok = rc == 0 && failed == 0 && st->up == o->conns && st->oks == st->sends &&
		  st->not_ok == 0 && st->bad_tid == 0 && st->resumed == 0;

	qsort(st->setup_ms, st->n_setup, sizeof(double), cmp_double);
	printf("result mode=client label=%s conns=%u up=%llu failed=%llu fail_connect=%llu "
	       "fail_tls=%llu fail_fp=%llu fail_probe=%llu fail_timeout=%llu fail_proto=%llu "
	       "fail_closed=%llu handshakes=%llu resumed=%llu tls=%s setup_s=%.3f hs_per_s=%.1f "
	       "setup_p50_ms=%.2f setup_p99_ms=%.2f active=%u chunk=%u window=%u sends=%llu "
	       "oks=%llu not_ok=%llu bad_tid=%llu payload_bytes=%llu payload_active=%llu "
	       "wire_out=%llu wire_in=%llu active_s=%.3f gbps=%.4f nofile=%llu status=%s\n",
	       o->label, o->conns, (unsigned long long)st->up, (unsigned long long)failed,
	       (unsigned long long)st->fail_connect, (unsigned long long)st->fail_tls,
	       (unsigned long long)st->fail_fp, (unsigned long long)st->fail_probe,
	       (unsigned long long)st->fail_timeout, (unsigned long long)st->fail_proto,
	       (unsigned long long)st->fail_closed, (unsigned long long)st->handshakes,
	       (unsigned long long)st->resumed,
	       !o->tls ? "none" : o->tls_version == TLS1_2_VERSION ? "1.2"
		       : o->tls_version == TLS1_3_VERSION ? "1.3" : "any",
	       setup_s, setup_s > 0 ? (double)st->up / setup_s : 0,
	       pct(st->setup_ms, st->n_setup, 0.5), pct(st->setup_ms, st->n_setup, 0.99),
	       o->active, o->chunk, o->window, (unsigned long long)st->sends,
	       (unsigned long long)st->oks, (unsigned long long)st->not_ok,
	       (unsigned long long)st->bad_tid, (unsigned long long)st->payload_out,
	       (unsigned long long)st->payload_active, (unsigned long long)st->wire_out,
	       (unsigned long long)st->wire_in, act_s,
	       act_s > 0 ? (double)st->payload_active * 8 / act_s / 1e9 : 0,
	       (unsigned long long)nofile, ok ? "ok" : "fail");
	fflush(stdout);
	free(st->setup_ms);
	return ok ? 0 : 1;
}

static int
report_server(const char *mode, const struct load_opts *o, const struct load_stats *st, int rc)
{
	double s = st->t_active1 - st->t_first;

	printf("result mode=%s label=%s accepted=%llu closed=%llu handshakes=%llu fail_tls=%llu "
	       "fail_fp=%llu fail_proto=%llu fail_connect=%llu sends=%llu payload_bytes=%llu "
	       "relayed=%llu wire_in=%llu wire_out=%llu seconds=%.3f status=%s\n",
	       mode, o->label, (unsigned long long)st->accepted, (unsigned long long)st->closed,
	       (unsigned long long)st->handshakes, (unsigned long long)st->fail_tls,
	       (unsigned long long)st->fail_fp, (unsigned long long)st->fail_proto,
	       (unsigned long long)st->fail_connect, (unsigned long long)st->sends,
	       (unsigned long long)st->payload_in, (unsigned long long)st->relayed,
	       (unsigned long long)st->wire_in, (unsigned long long)st->wire_out, s,
	       rc == 0 && st->fail_proto == 0 ? "ok" : "fail");
	fflush(stdout);
	return rc == 0 && st->fail_proto == 0 ? 0 : 1;
}

enum {
	O_CONNECT = 256, O_LISTEN, O_TO, O_CONNS, O_RATE, O_CONC, O_TLS, O_TLSV, O_CERT, O_KEY,
	O_FP, O_CHURN, O_NOPROBE, O_ACTIVE, O_CHUNK, O_WINDOW, O_SECONDS, O_CHUNKS, O_PAUSE,
	O_HST, O_SINK, O_TIMEOUT, O_LABEL,
};

static const struct option longopts[] = {
	{ "connect", 1, NULL, O_CONNECT }, { "listen", 1, NULL, O_LISTEN },
	{ "to", 1, NULL, O_TO },	   { "conns", 1, NULL, O_CONNS },
	{ "rate", 1, NULL, O_RATE },	   { "concurrency", 1, NULL, O_CONC },
	{ "tls", 0, NULL, O_TLS },	   { "tls-version", 1, NULL, O_TLSV },
	{ "cert", 1, NULL, O_CERT },	   { "key", 1, NULL, O_KEY },
	{ "peer-fp", 1, NULL, O_FP },	   { "churn", 0, NULL, O_CHURN },
	{ "no-probe", 0, NULL, O_NOPROBE }, { "active", 1, NULL, O_ACTIVE },
	{ "chunk", 1, NULL, O_CHUNK },	   { "window", 1, NULL, O_WINDOW },
	{ "seconds", 1, NULL, O_SECONDS }, { "chunks", 1, NULL, O_CHUNKS },
	{ "pause", 0, NULL, O_PAUSE },	   { "hs-timeout", 1, NULL, O_HST },
	{ "sink", 0, NULL, O_SINK },	   { "timeout", 1, NULL, O_TIMEOUT },
	{ "label", 1, NULL, O_LABEL },	   { NULL, 0, NULL, 0 },
};

/* @return 0, or 2 (usage) with a message. */
static int
parse(int argc, char **argv, struct load_opts *o, const char **where, const char **to)
{
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case O_CONNECT:
		case O_LISTEN: *where = optarg; break;
		case O_TO: *to = optarg; break;
		case O_CONNS: o->conns = (uint32_t)strtoul(optarg, NULL, 10); break;
		case O_RATE: o->rate = strtod(optarg, NULL); break;
		case O_CONC: o->concurrency = (uint32_t)strtoul(optarg, NULL, 10); break;
		case O_TLS: o->tls = true; break;
		case O_TLSV:
			o->tls = true;
			if (strcmp(optarg, "1.2") == 0)
				o->tls_version = TLS1_2_VERSION;
			else if (strcmp(optarg, "1.3") == 0)
				o->tls_version = TLS1_3_VERSION;
			else
				return 2;
			break;
		case O_CERT: o->cert = optarg; break;
		case O_KEY: o->key = optarg; break;
		case O_FP:
			if (load_parse_fp(optarg, o->fp) < 0) {
				fprintf(stderr, "msrp-load: --peer-fp: not a SHA-256 fingerprint\n");
				return 2;
			}
			o->have_fp = true;
			break;
		case O_CHURN: o->churn = true; break;
		case O_NOPROBE: o->probe = false; break;
		case O_ACTIVE: o->active = (uint32_t)strtoul(optarg, NULL, 10); break;
		case O_CHUNK: o->chunk = (uint32_t)strtoul(optarg, NULL, 10); break;
		case O_WINDOW: o->window = (uint32_t)strtoul(optarg, NULL, 10); break;
		case O_SECONDS: o->seconds = strtod(optarg, NULL); break;
		case O_CHUNKS: o->chunks = strtoull(optarg, NULL, 10); break;
		case O_PAUSE: o->pause = true; break;
		case O_HST: o->hs_timeout = strtod(optarg, NULL); break;
		case O_SINK: o->sink = true; break;
		case O_TIMEOUT: o->timeout = strtod(optarg, NULL); break;
		case O_LABEL: o->label = optarg; break;
		default: return 2;
		}
	}
	return 0;
}

static int
check(const char *mode, struct load_opts *o, const char *where, const char *to)
{
	uint16_t *tp = NULL;
	uint32_t tn = 0;

	if (where == NULL || host_ports(where, &o->addr, &o->addr_len, &o->ports, &o->n_ports) < 0) {
		fprintf(stderr, "msrp-load: %s HOST:PORTS missing or bad\n",
			strcmp(mode, "client") == 0 ? "--connect" : "--listen");
		return 2;
	}
	if (strcmp(mode, "relay") == 0) {
		if (to == NULL || host_ports(to, &o->to, &o->to_len, &tp, &tn) < 0 || tn != 1) {
			fprintf(stderr, "msrp-load: relay: --to HOST:PORT missing or bad\n");
			free(tp);
			return 2;
		}
		load_set_port(&o->to, tp[0]);
		free(tp);
	}
	if (o->conns == 0)
		o->conns = o->n_ports;
	if (o->chunk == 0 || o->chunk > 65536 || o->window == 0 || o->active > o->conns ||
	    o->concurrency == 0 || o->timeout <= 0 || o->hs_timeout <= 0 ||
	    (o->tls && strcmp(mode, "server") == 0 && o->cert == NULL) ||
	    (o->active > 0 && o->seconds <= 0 && o->chunks == 0)) {
		fprintf(stderr, "msrp-load: bad option values (see the usage)\n");
		return 2;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct load_opts o = {
		.concurrency = 256, .probe = true, .chunk = 2048, .window = 16,
		.hs_timeout = 15, .timeout = 120, .label = "-",
	};
	struct load_stats st = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	const char *mode, *where = NULL, *to = NULL;
	uint64_t nofile;
	int rc;

	if (argc < 2) {
		usage();
		return 2;
	}
	mode = argv[1];
	if (strcmp(mode, "client") != 0 && strcmp(mode, "server") != 0 &&
	    strcmp(mode, "relay") != 0) {
		usage();
		return 2;
	}
	optind = 2;
	if (parse(argc, argv, &o, &where, &to) != 0 || optind != argc) {
		usage();
		return 2;
	}
	if (check(mode, &o, where, to) != 0)
		return 2;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	nofile = load_raise_nofile((uint64_t)o.conns * 2 + o.n_ports + 64);
	if (strcmp(mode, "client") == 0) {
		if (nofile < (uint64_t)o.conns + 16) {
			fprintf(stderr, "msrp-load: %u connections but RLIMIT_NOFILE %llu\n", o.conns,
				(unsigned long long)nofile);
			return 1;
		}
		rc = load_run_client(&o, &st);
		rc = report_client(&o, &st, nofile, rc);
	} else {
		rc = strcmp(mode, "server") == 0 ? load_run_server(&o, &st) : load_run_relay(&o, &st);
		rc = report_server(mode, &o, &st, rc);
	}
	free(o.ports);
	return rc;
}
