/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * imsagw-mgc: a small MGC that drives imsagw over Iq (H.248 text over UDP)
 * for the demo, the tests and the benchmarks. Output is key=value lines
 * that scripts read.
 *
 *   imsagw-mgc [--bind IP:PORT] [--mg IP:PORT] [--compact] [--timeout MS] CMD ...
 *   register [--wait MS]                 wait for the gateway's ServiceChange, answer it
 *   call --ue IP:PORT --core IP:PORT [--e2ae [--suite S]] [--mode M]
 *                                        Add access+core in a new context
 *   modify --ctx N --term ID [--remote IP:PORT] [--mode M] [--e2ae-rekey --suite S]
 *   msrp --ue IP:PORT --ue-fp "SHA-256 AB:.." [--ue-fp ..] [--ue-setup S]
 *        --core IP:PORT [--core-setup S] [--mode M] [--latch] [--no-events]
 *                                        Add access (TCP/TLS/MSRP) + core (TCP/MSRP);
 *                                        prints our port, setup, fingerprint, path
 *   msrp-modify --ctx N --term ID --remote IP:PORT [--tls --ue-fp FP] [--setup S]
 *                                        a re-INVITE on an MSRP termination
 *   subtract --ctx N [--term ID]         (all terminations by default)
 *   audit --ctx N --term ID | --root
 *   listen [--wait MS] [--count N]       answer and print the gateway's requests (Notify)
 *   register [--redirect MID]            answer with MgcIdToTry = MID instead
 *   raw [FILE]                           send one request message text, print the reply
 *   bench --calls N [--window W] [--e2ae]
 *                                        Add+Add then Subtract per call, as fast as answered
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "iq.h"
#include "iq_mgc.h"
#include "sdes.h"

static struct iq_mgc_msg reply;
static int timeout_ms = 3000;

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
		"usage: imsagw-mgc [--bind IP:PORT] [--mg IP:PORT] [--compact] [--timeout MS] CMD\n"
		"  register [--wait MS]\n"
		"  call --ue IP:PORT --core IP:PORT [--e2ae [--suite NAME]] [--mode MODE]\n"
		"  modify --ctx N --term ID [--remote IP:PORT] [--mode MODE] [--rekey]\n"
		"  msrp --ue IP:PORT --ue-fp FP [--ue-fp FP] [--ue-setup S] --core IP:PORT\n"
		"       [--core-setup S] [--mode MODE] [--latch] [--no-events]\n"
		"  msrp-modify --ctx N --term ID --remote IP:PORT [--tls --ue-fp FP] [--setup S]\n"
		"  subtract --ctx N [--term ID]\n"
		"  audit (--ctx N --term ID | --root)\n"
		"  register [--wait MS] [--redirect [IP]:PORT]\n"
		"  listen [--wait MS] [--count N]\n"
		"  raw [FILE]\n"
		"  bench --calls N [--window W] [--e2ae]\n"
		"MODE: sendrecv | sendonly | recvonly | inactive\n"
		"FP: an a=fingerprint value, \"SHA-256 AB:CD:...\"; S: active | passive | actpass\n");
	exit(2);
}

static const char *
mode_tok(const char *m)
{
	if (m == NULL || strcmp(m, "sendrecv") == 0)
		return "SendReceive";
	if (strcmp(m, "sendonly") == 0)
		return "SendOnly";
	if (strcmp(m, "recvonly") == 0)
		return "ReceiveOnly";
	if (strcmp(m, "inactive") == 0)
		return "Inactive";
	fprintf(stderr, "imsagw-mgc: bad mode %s\n", m);
	exit(2);
}

static void
split_hp(const char *s, char *ip, size_t iplen, unsigned int *port)
{
	const char *c = strrchr(s, ':');
	size_t n;

	if (c == NULL) {
		fprintf(stderr, "imsagw-mgc: want IP:PORT, got %s\n", s);
		exit(2);
	}
	n = (size_t)(c - s);
	if (s[0] == '[') {
		s++;
		n -= 2;
	}
	snprintf(ip, iplen, "%.*s", (int)n, s);
	*port = (unsigned int)strtoul(c + 1, NULL, 10);
}

static const char *
ipver(const char *ip)
{
	return strchr(ip, ':') != NULL ? "IP6" : "IP4";
}

/* Print what the gateway chose for each termination of a reply: id,
 * address, port, and our key lines' tag/suite/key. */
static int
print_reply(const char *prefix_fmt)
{
	const struct h248_action *a;
	int i = 0;

	(void)prefix_fmt;
	if (reply.txn == NULL)
		return 1;
	for (a = reply.txn->actions; a != NULL; a = a->next) {
		const struct h248_command *c;

		printf("ctx=%u\n", a->ctx_id);
		for (c = a->cmds; c != NULL; c = c->next, i++) {
			const struct h248_desc *d;

			printf("term%d=%.*s\n", i, (int)c->tid.len, c->tid.p);
			for (d = c->descs; d != NULL; d = d->next) {
				if (d->type == H248_DESC_MEDIA && d->u.media.streams != NULL &&
				    d->u.media.streams->has_local) {
					struct sdp_desc *sd;
					const struct sdp_session *s;
					const struct sdp_media *m;
					const struct sdp_attr *at;

					if (sdp_parse(d->u.media.streams->local.p,
						      d->u.media.streams->local.len, &reply.arena, NULL,
						      &sd, NULL) < 0 || sd->sessions == NULL ||
					    sd->sessions->media == NULL)
						continue;
					s = sd->sessions;
					m = s->media;
					printf("term%d_ip=%.*s\n", i,
					       (int)(m->conn.present ? m->conn.addr.len : s->conn.addr.len),
					       m->conn.present ? m->conn.addr.p : s->conn.addr.p);
					printf("term%d_port=%u\n", i, m->port);
					for (at = sdp_attr_next(m->attrs, SDP_A_CRYPTO, NULL); at != NULL;
					     at = sdp_attr_next(m->attrs, SDP_A_CRYPTO, at))
						printf("term%d_crypto=%.*s\n", i, (int)at->value.len,
						       at->value.p);
					/* MSRP: the gateway's role, certificate and URI. */
					for (at = m->attrs; at != NULL; at = at->next)
						if (at->kind == SDP_A_SETUP ||
						    at->kind == SDP_A_FINGERPRINT ||
						    at->kind == SDP_A_PATH)
							printf("term%d_%.*s=%.*s\n", i,
							       (int)at->name.len, at->name.p,
							       (int)at->value.len, at->value.p);
				} else if (d->type == H248_DESC_STATS) {
					const struct h248_prop *p;

					for (p = d->u.list.items; p != NULL; p = p->next)
						printf("term%d_%.*s=%.*s\n", i, (int)p->name.len,
						       p->name.p,
						       p->values ? (int)p->values->s.len : 0,
						       p->values ? p->values->s.p : "");
				}
			}
		}
	}
	return 0;
}

static int
finish(int rc)
{
	uint16_t code;

	if (rc == -ETIMEDOUT) {
		printf("error=timeout\n");
		return 1;
	}
	if (rc < 0 || reply.txn == NULL) {
		printf("error=bad-reply\n");
		return 1;
	}
	print_reply(NULL);
	code = iq_mgc_reply_error(reply.txn);
	if (code != 0) {
		const struct h248_action *a;
		const struct h248_errdesc *e = reply.txn->error;

		for (a = reply.txn->actions; e == NULL && a != NULL; a = a->next)
			e = a->error;
		printf("error=%u\nreason=%.*s\n", code, e && e->has_text ? (int)e->text.len : 0,
		       e && e->has_text ? e->text.p : "");
		return 1;
	}
	printf("ok\n");
	return 0;
}

int
main(int argc, char **argv)
{
	struct iq_mgc_cfg mc = { .bind = "127.0.0.1:2944", .mg = "127.0.0.1:2945" };
	const char *ue = NULL, *core = NULL, *suite = "AES_CM_128_HMAC_SHA1_80", *mode = NULL,
		   *term = NULL, *remote = NULL, *cmd, *redirect = NULL;
	unsigned int ctx = 0, calls = 1000, window = 16, wait_ms = 30000;
	bool e2ae = false, root = false, rekey = false, tls = false;
	struct iq_mgc_msrp ms = { .events = true };
	unsigned int n_fp = 0;
	const char *setup = NULL;
	char err[256], req[8192], ue_line[256];
	struct iq_mgc *m;
	int c, rc;
	static const struct option opts[] = {
		{ "bind", required_argument, NULL, 'b' }, { "mg", required_argument, NULL, 'g' },
		{ "compact", no_argument, NULL, 'C' },     { "timeout", required_argument, NULL, 't' },
		{ "ue", required_argument, NULL, 'u' },    { "core", required_argument, NULL, 'c' },
		{ "e2ae", no_argument, NULL, 'e' },        { "suite", required_argument, NULL, 's' },
		{ "mode", required_argument, NULL, 'm' },  { "ctx", required_argument, NULL, 'x' },
		{ "term", required_argument, NULL, 'T' },  { "remote", required_argument, NULL, 'r' },
		{ "root", no_argument, NULL, 'R' },        { "calls", required_argument, NULL, 'n' },
		{ "window", required_argument, NULL, 'w' }, { "wait", required_argument, NULL, 'W' },
		{ "rekey", no_argument, NULL, 'k' },       { "help", no_argument, NULL, 'h' },
		{ "redirect", required_argument, NULL, 'D' }, { "count", required_argument, NULL, 'N' },
		{ "ue-fp", required_argument, NULL, 'F' }, { "ue-setup", required_argument, NULL, 'U' },
		{ "core-setup", required_argument, NULL, 'S' }, { "setup", required_argument, NULL, 'P' },
		{ "latch", no_argument, NULL, 'L' },       { "no-events", no_argument, NULL, 'E' },
		{ "tls", no_argument, NULL, 'Z' },
		{ NULL, 0, NULL, 0 },
	};

	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'b': mc.bind = optarg; break;
		case 'g': mc.mg = optarg; break;
		case 'C': mc.layout = H248_LAYOUT_COMPACT; break;
		case 't': timeout_ms = atoi(optarg); break;
		default: usage();
		}
	}
	if (optind >= argc)
		usage();
	cmd = argv[optind];
	optind++;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'u': ue = optarg; break;
		case 'c': core = optarg; break;
		case 'e': e2ae = true; break;
		case 's': suite = optarg; break;
		case 'm': mode = optarg; break;
		case 'x': ctx = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'T': term = optarg; break;
		case 'r': remote = optarg; break;
		case 'R': root = true; break;
		case 'n': calls = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'w': window = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'W': wait_ms = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'k': rekey = true; break;
		case 'D': redirect = optarg; break;
		case 'N': calls = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'F':
			if (n_fp == sizeof(ms.ue_fp) / sizeof(ms.ue_fp[0]))
				usage();
			ms.ue_fp[n_fp++] = optarg;
			break;
		case 'U': ms.ue_setup = optarg; break;
		case 'S': ms.core_setup = optarg; break;
		case 'P': setup = optarg; break;
		case 'L': ms.latch = true; break;
		case 'E': ms.events = false; break;
		case 'Z': tls = true; break;
		case 'b': mc.bind = optarg; break;
		case 'g': mc.mg = optarg; break;
		case 'C': mc.layout = H248_LAYOUT_COMPACT; break;
		case 't': timeout_ms = atoi(optarg); break;
		default: usage();
		}
	}
	m = iq_mgc_open(&mc, err, sizeof(err));
	if (m == NULL) {
		fprintf(stderr, "imsagw-mgc: %s\n", err);
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(cmd, "register") == 0) {
		const struct h248_desc *d = NULL;

		iq_mgc_set_redirect(m, redirect);
		rc = iq_mgc_wait_register(m, (int)wait_ms, &reply);
		if (rc < 0) {
			printf("error=timeout\n");
			iq_mgc_close(m);
			return 1;
		}
		if (reply.txn->actions && reply.txn->actions->cmds)
			d = reply.txn->actions->cmds->descs;
		printf("registered mid=%.*s version=%u", (int)reply.msg->mid.addr.len,
		       reply.msg->mid.addr.p, reply.msg->version);
		if (d != NULL && d->type == H248_DESC_SERVICES) {
			printf(" method=%s", h248_tok_str(d->u.services.method, H248_LAYOUT_PRETTY));
			if (d->u.services.has_reason)
				printf(" reason=\"%.*s\"", (int)d->u.services.reason.s.len,
				       d->u.services.reason.s.p);
			if (d->u.services.has_profile)
				printf(" profile=%.*s", (int)d->u.services.profile.len,
				       d->u.services.profile.p);
		}
		printf("\n");
		iq_mgc_close(m);
		return 0;
	} else if (strcmp(cmd, "listen") == 0) {
		unsigned int got = 0, want = calls == 1000 ? 1 : calls;

		while (got < want && iq_mgc_wait_request(m, (int)wait_ms, &reply) == 0) {
			const struct h248_action *a = reply.txn->actions;
			const struct h248_command *rc_cmd = a != NULL ? a->cmds : NULL;
			const struct h248_desc *d;

			got++;
			printf("request tid=%u", reply.txn->id);
			if (rc_cmd != NULL) {
				printf(" ctx=%u cmd=%s term=%.*s", a->ctx_id,
				       rc_cmd->type == H248_CMD_NOTIFY ? "Notify"
				       : rc_cmd->type == H248_CMD_SERVICECHANGE ? "ServiceChange" : "other",
				       (int)rc_cmd->tid.len, rc_cmd->tid.p);
				for (d = rc_cmd->descs; d != NULL; d = d->next)
					if (d->type == H248_DESC_OBSERVED && d->u.events.events != NULL) {
						const struct h248_event *ev = d->u.events.events;
						const struct h248_prop *pr;

						printf(" event=%.*s rid=%u", (int)ev->name.len,
						       ev->name.p, d->u.events.rid);
						/* e.g. cause=fingerprint */
						for (pr = ev->params; pr != NULL; pr = pr->next)
							printf(" %.*s=%.*s", (int)pr->name.len,
							       pr->name.p,
							       pr->values ? (int)pr->values->s.len : 0,
							       pr->values ? pr->values->s.p : "");
					}
			}
			printf("\n");
		}
		iq_mgc_close(m);
		return got == want ? 0 : 1;
	} else if (strcmp(cmd, "call") == 0) {
		if (ue == NULL || core == NULL)
			usage();
		if (iq_mgc_call_actions(req, sizeof(req), ue, core, e2ae, suite, mode_tok(mode), ue_line,
					sizeof(ue_line)) < 0)
			usage();
		if (e2ae)
			printf("ue_crypto=%s\n", ue_line);
		rc = iq_mgc_call(m, req, timeout_ms, &reply);
	} else if (strcmp(cmd, "modify") == 0) {
		char rem[512] = "", loc[512] = "";

		if (ctx == 0 || term == NULL)
			usage();
		if (remote != NULL) {
			char ip[64];
			unsigned int port;

			split_hp(remote, ip, sizeof(ip), &port);
			if (rekey)
				if (iq_mgc_ue_crypto(suite, ue_line, sizeof(ue_line)) < 0)
					usage();
			snprintf(rem, sizeof(rem), ", Remote {\nv=0\nc=IN %s %s\nm=audio %u %s 0 8\n%s%s\n}",
				 ipver(ip), ip, port, rekey ? "RTP/SAVP" : "RTP/AVP",
				 rekey ? "a=crypto:" : "", rekey ? ue_line : "");
			if (rekey) {
				snprintf(loc, sizeof(loc),
					 ", Local {\nv=0\nc=IN IP4 $\nm=audio $ RTP/SAVP 0 8\n"
					 "a=crypto:%.*s %s inline:$\n}",
					 (int)strcspn(ue_line, " "), ue_line, suite);
				printf("ue_crypto=%s\n", ue_line);
			}
		}
		snprintf(req, sizeof(req),
			 "Context = %u { Modify = %s { Media { Stream = 1 { LocalControl { Mode = %s }%s%s } } } }",
			 ctx, term, mode_tok(mode), loc, rem);
		rc = iq_mgc_call(m, req, timeout_ms, &reply);
	} else if (strcmp(cmd, "msrp") == 0) {
		ms.ue = ue;
		ms.core = core;
		ms.mode = mode_tok(mode);
		if (iq_mgc_msrp_actions(req, sizeof(req), &ms) < 0)
			usage();
		rc = iq_mgc_call(m, req, timeout_ms, &reply);
	} else if (strcmp(cmd, "msrp-modify") == 0) {
		if (ctx == 0 || iq_mgc_msrp_modify(req, sizeof(req), ctx, term, tls, remote, ms.ue_fp[0],
						   setup, mode_tok(mode)) < 0)
			usage();
		rc = iq_mgc_call(m, req, timeout_ms, &reply);
	} else if (strcmp(cmd, "subtract") == 0) {
		if (ctx == 0)
			usage();
		snprintf(req, sizeof(req), "Context = %u { Subtract = %s { Audit { Statistics } } }",
			 ctx, term != NULL ? term : "*");
		rc = iq_mgc_call(m, req, timeout_ms, &reply);
	} else if (strcmp(cmd, "audit") == 0) {
		if (root)
			snprintf(req, sizeof(req), "Context = - { AuditValue = ROOT { Audit { Packages } } }");
		else if (ctx != 0 && term != NULL)
			snprintf(req, sizeof(req),
				 "Context = %u { AuditValue = %s { Audit { Media, Statistics } } }", ctx,
				 term);
		else
			usage();
		rc = iq_mgc_call(m, req, timeout_ms, &reply);
	} else if (strcmp(cmd, "raw") == 0) {
		FILE *f = optind < argc ? fopen(argv[optind], "rb") : stdin;
		size_t n;

		if (f == NULL) {
			perror("imsagw-mgc: raw");
			iq_mgc_close(m);
			return 2;
		}
		n = fread(req, 1, sizeof(req) - 1, f);
		req[n] = '\0';
		if (f != stdin)
			fclose(f);
		rc = iq_mgc_send_raw(m, req, n);
		if (rc == 0)
			rc = iq_mgc_recv_raw(m, timeout_ms, &reply);
		iq_mgc_close(m);
		if (rc == -ETIMEDOUT) {
			printf("error=timeout\n");
			return 1;
		}
		fwrite(reply.text, 1, reply.len, stdout);
		printf("\n");
		return rc == 0 ? 0 : 1;
	} else if (strcmp(cmd, "bench") == 0) {
		struct iq_mgc_bench_result br;

		rc = iq_mgc_bench(m, calls, window ? window : 1, e2ae, timeout_ms, &br);
		if (rc == 0 || br.transactions > 0)
			iq_mgc_bench_print(&br, stdout);
		iq_mgc_close(m);
		return rc == 0 && br.errors == 0 ? 0 : 1;
	} else {
		usage();
	}
	rc = finish(rc);
	iq_mgc_close(m);
	return rc;
}
