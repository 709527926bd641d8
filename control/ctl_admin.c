/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The admin socket: one-line commands over a UNIX stream socket, answered
 * with one line starting "ok" or "error". It drives the same control API as
 * Iq, for operators (imsagw-ctl) and for the demo and tests before an MGC is
 * involved. The command set is in docs/operations.md.
 *
 * Every line is executed on the control thread by the loop; a client that
 * sends more than a line's worth without a newline is disconnected.
 *
 * e2ae SRTP on `term add` / `term modify` (SPEC §1.2: rx = the key the
 * remote sends with, tx = ours):
 *   transport=srtp-e2ae
 *   rxkey=<tag>+<suite>+inline:<base64>[|lifetime][|mki:len]
 *       an a=crypto value with its first two spaces written as '+' (base64
 *       may contain '+' itself: only the first two are separators); or the
 *       same as rxtag=<tag> rxsuite=<suite> rxinline=<base64>[|...]
 *   txkey=generate [txsuite=<suite>]
 *       the gateway generates its key (RAND_bytes, never equal to the rx
 *       key) for txsuite, else the rx key's suite, else
 *       AES_CM_128_HMAC_SHA1_80, with the rx key's tag (else 1), and adds
 *       "txcrypto=<tag>+<suite>+inline:<base64>" to the ok reply
 *   txkey=<tag>+<suite>+inline:<base64>   an MGC-chosen key, as rxkey
 *   rxkey=none / txkey=none   (modify) remove that key: direction closed
 *   engine=cryptodev|openssl|libsrtp      default: the config's
 * On modify an omitted rxkey/txkey keeps the termination's current key
 * (and its live session); a new one rekeys the stream (ROC continues).
 * Errors: "error bad rxkey=" (syntax), "error invalid argument" (key or
 * suite rejected), "error not supported" (engine unavailable).
 * Keys are never logged; the reply carries only the generated tx key.
 *
 * MSRP terminations (transport=msrp: TCP/MSRP, transport=msrp-tls:
 * TCP/TLS/MSRP), through the same spec builders as Iq:
 *   setup=active|passive|actpass|holdconn   the remote's a=setup
 *   lsetup=active|passive                   ours, when not the answer to it
 *   fp=<hash>+<hex>[,<hash>+<hex>...]       the remote's a=fingerprint(s)
 *   path=<msrp uri>                         the remote's a=path
 *   cema, framecheck                        flags
 * On modify an omitted transport/setup/lsetup/fp/path keeps its value. The ok reply
 * adds transport=, setup= (ours), state=, path= (ours) and, on TLS,
 * fingerprint=<hash>+<hex> (ours). `msrp show` lists MSRP terminations.
 */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <openssl/crypto.h>
#include <rte_cycles.h>

#include "ctl_priv.h"

#define ADMIN_MAX_CLIENTS 8
#define ADMIN_LINE_MAX 1024
#define ADMIN_REPLY_MAX 4096
#define ADMIN_MAX_ARGS 24

struct admin_client {
	int fd; /* -1 when free */
	size_t len;
	char buf[ADMIN_LINE_MAX];
};

struct ctl_admin {
	int lfd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct admin_client clients[ADMIN_MAX_CLIENTS];
};

/* key=value arguments of one command line. */
struct admin_args {
	unsigned int n;
	char *key[ADMIN_MAX_ARGS];
	char *val[ADMIN_MAX_ARGS]; /* NULL for a bare flag */
};

static int
split(char *line, char **words, unsigned int max)
{
	unsigned int n = 0;
	char *save = NULL, *w;

	for (w = strtok_r(line, " \t\r\n", &save); w != NULL; w = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == max)
			return -E2BIG;
		words[n++] = w;
	}
	return (int)n;
}

static const char *
arg_get(const struct admin_args *a, const char *key)
{
	unsigned int i;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->key[i], key) == 0)
			return a->val[i] != NULL ? a->val[i] : "";
	return NULL;
}

static int
parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (s == NULL || *s == '\0')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static const char *const mode_names[] = {
	[CTL_MODE_SENDRECV] = "sendrecv",
	[CTL_MODE_SENDONLY] = "sendonly",
	[CTL_MODE_RECVONLY] = "recvonly",
	[CTL_MODE_INACTIVE] = "inactive",
};

static const char *const engine_names[] = {
	[SEC_ENGINE_DEFAULT] = NULL, /* not a word: omit engine= */
	[SEC_ENGINE_CRYPTODEV] = "cryptodev",
	[SEC_ENGINE_LIBSRTP] = "libsrtp",
	[SEC_ENGINE_OPENSSL] = "openssl",
	[SEC_ENGINE_IPSECMB] = "ipsecmb",
};

/* key=<one of names> -> its index in *out (unchanged when absent).
 * @return 0 or -EINVAL. */
static int
word_arg(const struct admin_args *a, const char *key, const char *const *names, unsigned int n,
	 unsigned int *out)
{
	const char *v = arg_get(a, key);
	unsigned int i;

	if (v == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (names[i] != NULL && strcmp(v, names[i]) == 0) {
			*out = i;
			return 0;
		}
	return -EINVAL;
}

/* key=<port> with min..65535 (unchanged when absent). @return 0 or -EINVAL. */
static int
port_arg(const struct admin_args *a, const char *key, uint32_t min, uint16_t *out)
{
	const char *v = arg_get(a, key);
	uint32_t u;

	if (v == NULL)
		return 0;
	if (parse_u32(v, 65535, &u) < 0 || u < min)
		return -EINVAL;
	*out = (uint16_t)u;
	return 0;
}

/* fp=<hash>+<hex>[,...]: each an a=fingerprint value with its space
 * written as '+'. @return 0 or as ctl_spec_fingerprint(). */
static int
parse_fps(const char *v, struct ctl_term_spec *s)
{
	char buf[DP_MSRP_FP_MAX * (SEC_FP_TEXT_MAX + 1)], *save = NULL, *one, *plus;
	int rc = 0;

	if (strlen(v) >= sizeof(buf))
		return -E2BIG;
	snprintf(buf, sizeof(buf), "%s", v);
	ctl_spec_fingerprint(s, NULL, 0);
	for (one = strtok_r(buf, ",", &save); one != NULL && rc == 0;
	     one = strtok_r(NULL, ",", &save)) {
		plus = strchr(one, '+');
		if (plus != NULL)
			*plus = ' ';
		rc = ctl_spec_fingerprint(s, one, strlen(one));
	}
	return rc;
}

/* The MSRP words (setup, lsetup, fp, path, cema, framecheck). */
static int
parse_msrp(const struct admin_args *a, struct ctl_term_spec *s, const char **what)
{
	const char *v;

	*what = "setup";
	if ((v = arg_get(a, "setup")) != NULL && ctl_spec_setup(s, v, strlen(v), false) < 0)
		return -EINVAL;
	*what = "lsetup";
	if ((v = arg_get(a, "lsetup")) != NULL && ctl_spec_setup(s, v, strlen(v), true) < 0)
		return -EINVAL;
	*what = "fp";
	if ((v = arg_get(a, "fp")) != NULL && parse_fps(v, s) < 0)
		return -EINVAL;
	*what = "path";
	if ((v = arg_get(a, "path")) != NULL && ctl_spec_msrp_path(s, v, strlen(v)) < 0)
		return -EINVAL;
	s->msrp.cema = arg_get(a, "cema") != NULL;
	s->msrp.frame_check = arg_get(a, "framecheck") != NULL;
	*what = NULL;
	return 0;
}

/* Fill a termination spec from key=value arguments; *what names a bad one. */
static int
parse_spec(const struct admin_args *a, struct ctl_term_spec *s, const char **what)
{
	static const char *const family_names[] = { "4", "6" };
	unsigned int w;
	const char *v;

	/* Modify takes every field but the transport, the keys and the MSRP
	 * remote's setup, fingerprints and path (an omitted one goes back to its
	 * default); an omitted transport, key, setup, fingerprint or path keeps
	 * its current value (an MSRP termination's transport cannot change). */
	ctl_spec_init(s);
	s->set = CTL_SET_ALL & ~(CTL_SET_TRANSPORT | CTL_SET_RX_KEY | CTL_SET_LOCAL_KEYS |
				 CTL_SET_MSRP_SETUP | CTL_SET_MSRP_LSETUP | CTL_SET_MSRP_FP |
				 CTL_SET_MSRP_PATH);
	v = arg_get(a, "realm");
	*what = "realm";
	if (v != NULL && ctl_spec_realm(s, v, strlen(v)) < 0)
		return -EINVAL;
	*what = "family";
	w = 2;
	if (word_arg(a, "family", family_names, 2, &w) < 0)
		return -EINVAL;
	s->family = w == 0 ? AF_INET : w == 1 ? AF_INET6 : 0;
	*what = "port";
	if (port_arg(a, "port", 0, &s->local_port) < 0)
		return -EINVAL;
	*what = "remote";
	if ((v = arg_get(a, "remote")) != NULL && ctl_spec_remote(s, v, strlen(v), 0, 0) < 0)
		return -EINVAL;
	*what = "rport";
	if (port_arg(a, "rport", 1, &s->remote_port) < 0)
		return -EINVAL;
	*what = "rrtcp";
	if (port_arg(a, "rrtcp", 1, &s->remote_rtcp_port) < 0)
		return -EINVAL;
	s->rtcp_mux = arg_get(a, "mux") != NULL;
	s->latch = arg_get(a, "latch") != NULL;
	s->src_filter = arg_get(a, "filter") != NULL;
	*what = "mode";
	w = CTL_MODE_SENDRECV;
	if (word_arg(a, "mode", mode_names, RTE_DIM(mode_names), &w) < 0)
		return -EINVAL;
	s->mode = (enum ctl_mode)w;
	*what = "transport";
	s->transport = CTL_TR_RTP;
	if ((v = arg_get(a, "transport")) != NULL) {
		if (ctl_spec_transport(s, v, strlen(v)) < 0)
			return -EINVAL;
		s->set |= CTL_SET_TRANSPORT;
	}
	*what = "engine";
	w = SEC_ENGINE_DEFAULT;
	if (word_arg(a, "engine", engine_names, RTE_DIM(engine_names), &w) < 0)
		return -EINVAL;
	s->engine = (enum sec_engine)w;
	return parse_msrp(a, s, what);
}

/*
 * rxkey= / txkey= (an a=crypto value with '+' for its first two spaces, or
 * "none"/"generate"), or rxtag= rxsuite= rxinline= (prefix "rx", or "tx"),
 * into line. @return 0 when absent, 1 with line filled, 2 for "none", 3 for
 * "generate", -EINVAL.
 */
static int
key_arg(const struct admin_args *a, const char *pfx, char *line, size_t len)
{
	const char *v, *tag, *suite, *inl;
	unsigned int seps = 0;
	char k[16];
	size_t i, n;

	snprintf(k, sizeof(k), "%skey", pfx);
	if ((v = arg_get(a, k)) != NULL) {
		if (strcmp(v, "none") == 0)
			return 2;
		if (strcmp(v, "generate") == 0)
			return 3;
		n = strlen(v);
		if (n == 0 || n >= len)
			return -EINVAL;
		memcpy(line, v, n + 1);
		for (i = 0; i < n && seps < 2; i++)
			if (line[i] == '+') {
				line[i] = ' ';
				seps++;
			}
		return 1;
	}
	snprintf(k, sizeof(k), "%sinline", pfx);
	if ((inl = arg_get(a, k)) == NULL)
		return 0;
	snprintf(k, sizeof(k), "%stag", pfx);
	tag = arg_get(a, k);
	snprintf(k, sizeof(k), "%ssuite", pfx);
	suite = arg_get(a, k);
	if (tag == NULL || suite == NULL ||
	    (size_t)snprintf(line, len, "%s %s inline:%s", tag, suite, inl) >= len)
		return -EINVAL;
	return 1;
}

/*
 * The key arguments of term add/modify into s (through the spec builder,
 * which parses them). cur: the termination on modify, NULL on add: its rx
 * tag and suite are the defaults of txkey=generate. *generate is set when
 * control is to choose our key (it goes back in the reply).
 */
static int
parse_keys(const struct admin_args *a, struct ctl_term_spec *s, const struct ctl_term_info *cur,
	   bool *generate, const char **what)
{
	const struct sec_suite *su;
	char line[SDES_LINE_MAX];
	enum sec_suite_id id = SEC_SUITE_AES_CM_128_HMAC_SHA1_80;
	uint32_t tag = 1, mask = sec_suite_mask();
	const char *v;
	int rc;

	*generate = false;
	*what = "rxkey";
	rc = key_arg(a, "rx", line, sizeof(line));
	if (rc == 1)
		rc = ctl_spec_rx_key(s, line, strlen(line), mask, NULL) < 0 ? -EINVAL : 0;
	else if (rc == 2)
		rc = ctl_spec_rx_key(s, NULL, 0, mask, NULL);
	else if (rc == 3)
		rc = -EINVAL; /* "generate" is for our own key only */
	if (rc < 0)
		goto out;
	*what = "txkey";
	rc = key_arg(a, "tx", line, sizeof(line));
	if (rc == 3) {
		/* Same tag and suite as the remote's key by default. */
		if (s->has_rx_key) {
			tag = s->rx_key.tag;
			id = s->rx_key.suite;
		} else if (cur != NULL && cur->has_rx_key) {
			tag = cur->rx_tag;
			id = cur->rx_suite;
		}
		*what = "txsuite";
		if ((v = arg_get(a, "txsuite")) != NULL) {
			su = sec_suite_by_name(v, strlen(v));
			if (su == NULL) {
				rc = -EINVAL;
				goto out;
			}
			id = su->id;
		}
		*what = "txkey";
		su = sec_suite_get(id);
		snprintf(line, sizeof(line), "%u %s inline:$", tag, su != NULL ? su->name : "?");
		*generate = true;
		rc = 1;
	}
	if (rc == 1)
		rc = ctl_spec_local_key(s, line, strlen(line), mask, NULL) < 0 ? -EINVAL : 0;
	else if (rc == 2)
		rc = ctl_spec_local_key(s, NULL, 0, mask, NULL);
	if (rc == 0)
		*what = NULL;
out:
	OPENSSL_cleanse(line, sizeof(line));
	return rc;
}

static void
fmt_info(const struct ctl_term_info *i, char *out, size_t len)
{
	char a[INET6_ADDRSTRLEN], r[INET6_ADDRSTRLEN] = "-", fp[SEC_FP_TEXT_MAX] = "";
	char *sp;
	int n;

	if (i->remote.family != 0)
		cfg_ip_str(&i->remote, r, sizeof(r));
	n = snprintf(out, len, "ok ctx=%u id=%s local=%s port=%u rtcp=%u remote=%s rport=%u latched=%u",
		     i->ctx_id, i->id, cfg_ip_str(&i->local, a, sizeof(a)), i->local_port,
		     i->local_rtcp_port, r, i->remote_port, i->latched ? 1u : 0u);
	if (ctl_transport_is_msrp(i->transport) && n > 0 && (size_t)n < len) {
		/* Our fingerprint as fp= takes it: its space written as '+'. */
		if (i->msrp.has_fp && sec_fp_format(&i->msrp.fp, fp, sizeof(fp)) > 0 &&
		    (sp = strchr(fp, ' ')) != NULL)
			*sp = '+';
		n += snprintf(out + n, len - (size_t)n, " transport=%s setup=%s state=%s path=%s%s%s",
			      ctl_transport_name(i->transport), ctl_setup_name(i->msrp.setup),
			      ctl_msrp_state_name(i->msrp.state), i->msrp.path,
			      fp[0] != '\0' ? " fingerprint=" : "", fp);
	}
	if (n > 0 && (size_t)n < len)
		snprintf(out + n, len - (size_t)n, "\n");
}

static size_t
fmt_dir(char *out, size_t len, const char *name, const struct ctl_dir_stats *d)
{
	size_t n = (size_t)snprintf(out, len, " %s_pkts=%llu %s_bytes=%llu", name,
				    (unsigned long long)d->pkts, name, (unsigned long long)d->bytes);
	unsigned int i;

	for (i = 0; i < DP_FLOW_DROP_MAX && n < len; i++)
		n += (size_t)snprintf(out + n, len - n, " %s_drop_%s=%llu", name,
				      dp_flow_drop_name(i), (unsigned long long)d->drops[i]);
	return n;
}

/* An MSRP termination's counters: bytes each way (after TLS), messages
 * (framing check), connections, failures by reason. */
static size_t
fmt_msrp(char *out, size_t len, const struct dp_msrp_leg_stats *m)
{
	size_t n = (size_t)snprintf(out, len,
				    " bytes_in=%llu bytes_out=%llu msgs_in=%llu conns=%llu up=%u "
				    "up_ms=%llu ktls=%u",
				    (unsigned long long)m->bytes_in, (unsigned long long)m->bytes_out,
				    (unsigned long long)m->msgs_in, (unsigned long long)m->conns,
				    m->up ? 1u : 0u, (unsigned long long)m->up_ms, m->ktls ? 1u : 0u);
	unsigned int i;

	for (i = 1; i < DP_MSRP_R_MAX && n < len; i++)
		n += (size_t)snprintf(out + n, len - n, " fail_%s=%llu", dp_msrp_reason_name(i),
				      (unsigned long long)m->fails[i]);
	for (i = 1; i < SEC_TLS_FAIL_MAX && n < len; i++)
		n += (size_t)snprintf(out + n, len - n, " tls_fail_%s=%llu", sec_tls_fail_name(i),
				      (unsigned long long)m->tls_fails[i]);
	return n;
}

static void
fmt_stats(const struct ctl_term_stats *s, bool msrp, char *out, size_t len)
{
	size_t n = (size_t)snprintf(out, len, "ok duration_ms=%llu",
				    (unsigned long long)s->duration_ms);

	if (msrp) {
		if (n < len)
			n += fmt_msrp(out + n, len - n, &s->msrp);
		if (n < len)
			snprintf(out + n, len - n, "\n");
		return;
	}
	if (n < len)
		n += fmt_dir(out + n, len - n, "rtp_in", &s->rtp_in);
	if (n < len)
		n += fmt_dir(out + n, len - n, "rtp_out", &s->rtp_out);
	if (n < len)
		n += fmt_dir(out + n, len - n, "rtcp_in", &s->rtcp_in);
	if (n < len)
		n += fmt_dir(out + n, len - n, "rtcp_out", &s->rtcp_out);
	if (n < len)
		snprintf(out + n, len - n, "\n");
}

static void
fmt_lcore_stats(const struct ctl *c, char *out, size_t len)
{
	struct dp_lcore_stats s;
	size_t n;
	unsigned int i;

	dp_stats_total(c->dp, &s);
	n = (size_t)snprintf(out, len,
			     "ok contexts=%u terminations=%u flows=%u rx=%llu tx=%llu to_exc=%llu "
			     "from_exc=%llu handoff=%llu",
			     ctl_context_count(c), ctl_term_count(c), dp_flow_count(c->flows),
			     (unsigned long long)s.rx, (unsigned long long)s.tx,
			     (unsigned long long)s.to_exc, (unsigned long long)s.from_exc,
			     (unsigned long long)s.handoff);
	for (i = 0; i < DP_DROP_MAX && n < len; i++)
		n += (size_t)snprintf(out + n, len - n, " drop_%s=%llu", dp_drop_name(i),
				      (unsigned long long)s.drops[i]);
	if (n < len)
		snprintf(out + n, len - n, " busy_cycles=%llu busy_turns=%llu tsc_hz=%llu\n",
			 (unsigned long long)s.busy_cycles, (unsigned long long)s.busy_turns,
			 (unsigned long long)rte_get_tsc_hz());
}

static const char *
errname(int rc)
{
	switch (rc) {
	case -ENOENT: return "unknown context";
	case -ESRCH: return "unknown termination";
	case -EEXIST: return "already exists";
	case -E2BIG: return "context full";
	case -EADDRNOTAVAIL: return "address or port not available";
	case -ENOSPC: return "out of resources";
	case -ENOTSUP: return "not supported";
	case -EINVAL: return "invalid argument";
	default: return strerror(-rc);
	}
}

static void
exec_term(struct ctl *c, const char *verb, const struct admin_args *a, char *out, size_t len)
{
	struct ctl_term_spec spec;
	struct ctl_term_info info;
	struct ctl_term_stats st;
	const struct ctl_term_info *cur = NULL;
	const char *what = NULL, *id = arg_get(a, "id");
	char gen[SDES_LINE_MAX];
	uint32_t ctx;
	size_t n, i;
	int rc;

	if (parse_u32(arg_get(a, "ctx"), UINT32_MAX, &ctx) < 0) {
		snprintf(out, len, "error missing or bad ctx=\n");
		return;
	}
	if (strcmp(verb, "add") == 0 || strcmp(verb, "modify") == 0) {
		bool generate = false;

		if (verb[0] == 'm' && id != NULL && ctl_term_get(c, ctx, id, &info, NULL) == 0)
			cur = &info;
		rc = parse_spec(a, &spec, &what);
		if (rc == 0)
			rc = parse_keys(a, &spec, cur, &generate, &what);
		if (rc == 0 && verb[0] == 'a' && arg_get(a, "realm") == NULL) {
			what = "realm";
			rc = -ENODATA;
		}
		if (rc < 0) {
			snprintf(out, len, rc == -ENODATA ? "error missing %s=\n" : "error bad %s=\n",
				 what);
			ctl_spec_clear(&spec);
			return;
		}
		if (verb[0] == 'a')
			rc = ctl_term_add(c, ctx, id, &spec, &info);
		else
			rc = id == NULL ? -ESRCH : ctl_term_modify(c, ctx, id, &spec, &info);
		ctl_spec_clear(&spec);
		if (rc == 0) {
			fmt_info(&info, out, len);
			n = strlen(out);
			/* Our generated key, from control's copy, for the MGC. */
			if (generate && ctl_term_local_key(c, info.ctx_id, info.id, 0, gen,
							   sizeof(gen)) > 0 &&
			    n > 0 && n < len) {
				for (i = 0; gen[i] != '\0'; i++)
					if (gen[i] == ' ')
						gen[i] = '+';
				snprintf(out + n - 1, len - n + 1, " txcrypto=%s\n", gen);
			}
		}
		OPENSSL_cleanse(gen, sizeof(gen));
	} else if (strcmp(verb, "subtract") == 0 || strcmp(verb, "show") == 0) {
		rc = id == NULL ? -ESRCH : ctl_term_get(c, ctx, id, &info, NULL);
		if (rc == 0 && verb[0] == 's' && verb[1] == 'u')
			rc = ctl_term_subtract(c, ctx, id, &st);
		else if (rc == 0)
			rc = ctl_term_get(c, ctx, id, NULL, &st);
		if (rc == 0)
			fmt_stats(&st, ctl_transport_is_msrp(info.transport), out, len);
	} else {
		snprintf(out, len, "error unknown command term %s\n", verb);
		return;
	}
	if (rc < 0)
		snprintf(out, len, "error %s\n", errname(rc));
}

/* One line per MSRP termination, while they fit. */
struct msrp_walk {
	struct ctl *c;
	char *out;
	size_t len, n;
	unsigned int terms, shown;
};

#define MSRP_SHOW_RESERVE 512 /* room kept for the final ok line */

static int
msrp_one(uint32_t ctx_id, const char *const *ids, unsigned int n_ids, void *arg)
{
	struct msrp_walk *w = arg;
	char a[INET6_ADDRSTRLEN], p[INET6_ADDRSTRLEN] = "-";
	struct ctl_term_info info;
	struct ctl_term_stats st;
	unsigned int i, k;
	uint64_t fails, tls;

	for (i = 0; i < n_ids; i++) {
		if (ctl_term_get(w->c, ctx_id, ids[i], &info, &st) < 0 ||
		    !ctl_transport_is_msrp(info.transport))
			continue;
		w->terms++;
		if (w->n + MSRP_SHOW_RESERVE >= w->len)
			continue;
		for (k = 0, fails = 0; k < DP_MSRP_R_MAX; k++)
			fails += st.msrp.fails[k];
		for (k = 0, tls = 0; k < SEC_TLS_FAIL_MAX; k++)
			tls += st.msrp.tls_fails[k];
		if (info.msrp.peer.family != 0)
			cfg_ip_str(&info.msrp.peer, p, sizeof(p));
		w->n += (size_t)snprintf(w->out + w->n, w->len - w->n,
					 "term ctx=%u id=%s transport=%s state=%s setup=%s local=%s "
					 "port=%u peer=%s pport=%u bytes_in=%llu bytes_out=%llu "
					 "msgs_in=%llu fails=%llu tls_fails=%llu\n",
					 ctx_id, info.id, ctl_transport_name(info.transport),
					 ctl_msrp_state_name(info.msrp.state),
					 ctl_setup_name(info.msrp.setup),
					 cfg_ip_str(&info.local, a, sizeof(a)), info.local_port, p,
					 info.msrp.peer_port, (unsigned long long)st.msrp.bytes_in,
					 (unsigned long long)st.msrp.bytes_out,
					 (unsigned long long)st.msrp.msgs_in, (unsigned long long)fails,
					 (unsigned long long)tls);
		w->shown++;
	}
	return 0;
}

/* msrp show: the MSRP terminations, then the relay's totals. */
static void
msrp_show(struct ctl *c, char *out, size_t len)
{
	struct msrp_walk w = { .c = c, .out = out, .len = len };
	struct dp_msrp_totals t;

	if (c->msrp == NULL) {
		snprintf(out, len, "error no MSRP relay\n");
		return;
	}
	out[0] = '\0';
	ctl_context_iterate(c, msrp_one, &w);
	dp_msrp_totals(c->msrp, &t);
	snprintf(out + w.n, len - w.n,
		 "ok msrp_terms=%u shown=%u legs=%u up=%u handshakes=%llu bytes=%llu ktls_legs=%u "
		 "ktls=%u\n",
		 w.terms, w.shown, t.legs, t.up, (unsigned long long)t.handshakes,
		 (unsigned long long)t.bytes, t.ktls_legs, t.ktls_available ? 1u : 0u);
}

void
ctl_admin_exec(struct ctl *c, const char *line, char *out, size_t outlen)
{
	char buf[ADMIN_LINE_MAX];
	char *w[ADMIN_MAX_ARGS + 2];
	struct admin_args a = { 0 };
	uint32_t ctx = 0;
	int n, i, rc;

	snprintf(buf, sizeof(buf), "%s", line);
	n = split(buf, w, RTE_DIM(w));
	if (n <= 0) {
		snprintf(out, outlen, "error %s\n", n < 0 ? "too many arguments" : "empty command");
		return;
	}
	for (i = 2; i < n; i++) {
		char *eq = strchr(w[i], '=');

		a.key[a.n] = w[i];
		a.val[a.n] = NULL;
		if (eq != NULL) {
			*eq = '\0';
			a.val[a.n] = eq + 1;
		}
		a.n++;
	}
	if (strcmp(w[0], "stats") == 0) {
		fmt_lcore_stats(c, out, outlen);
	} else if (strcmp(w[0], "ping") == 0) {
		snprintf(out, outlen, "ok pong\n");
	} else if (strcmp(w[0], "context") == 0 && n >= 2 && strcmp(w[1], "add") == 0) {
		if (arg_get(&a, "ctx") != NULL && parse_u32(arg_get(&a, "ctx"), UINT32_MAX, &ctx) < 0)
			rc = -EINVAL;
		else
			rc = ctl_context_create(c, &ctx);
		if (rc == 0)
			snprintf(out, outlen, "ok ctx=%u\n", ctx);
		else
			snprintf(out, outlen, "error %s\n", errname(rc));
	} else if (strcmp(w[0], "context") == 0 && n >= 2 && strcmp(w[1], "delete") == 0) {
		rc = parse_u32(arg_get(&a, "ctx"), UINT32_MAX, &ctx);
		if (rc == 0)
			rc = ctl_context_delete(c, ctx);
		snprintf(out, outlen, rc == 0 ? "ok\n" : "error %s\n", errname(rc));
	} else if (strcmp(w[0], "term") == 0 && n >= 2) {
		exec_term(c, w[1], &a, out, outlen);
	} else if (strcmp(w[0], "msrp") == 0 && n >= 2 && strcmp(w[1], "show") == 0) {
		msrp_show(c, out, outlen);
	} else {
		snprintf(out, outlen, "error unknown command (try: stats, context add|delete, "
				      "term add|modify|subtract|show, msrp show)\n");
	}
	OPENSSL_cleanse(buf, sizeof(buf)); /* it may have held keys */
}

static void
client_close(struct ctl *c, struct admin_client *cl)
{
	ctl_loop_del_fd(c->loop, cl->fd);
	close(cl->fd);
	cl->fd = -1;
	cl->len = 0;
}

static void
client_readable(int fd, uint32_t events, void *arg)
{
	struct ctl *c = arg;
	struct admin_client *cl = NULL;
	char reply[ADMIN_REPLY_MAX];
	unsigned int i;
	ssize_t r;
	char *nl;

	for (i = 0; i < ADMIN_MAX_CLIENTS; i++)
		if (c->admin->clients[i].fd == fd)
			cl = &c->admin->clients[i];
	if (cl == NULL)
		return;
	r = read(fd, cl->buf + cl->len, sizeof(cl->buf) - 1 - cl->len);
	if (r <= 0 || (events & (EPOLLERR | EPOLLHUP)) != 0) {
		if (r <= 0) {
			client_close(c, cl);
			return;
		}
	}
	cl->len += (size_t)r;
	cl->buf[cl->len] = '\0';
	while ((nl = strchr(cl->buf, '\n')) != NULL) {
		size_t used = (size_t)(nl - cl->buf) + 1;

		*nl = '\0';
		ctl_admin_exec(c, cl->buf, reply, sizeof(reply));
		if (write(fd, reply, strlen(reply)) < 0) {
			OPENSSL_cleanse(reply, sizeof(reply));
			client_close(c, cl);
			return;
		}
		memmove(cl->buf, cl->buf + used, cl->len - used + 1);
		cl->len -= used;
		/* Lines and replies may carry keys. */
		OPENSSL_cleanse(cl->buf + cl->len, sizeof(cl->buf) - cl->len);
		OPENSSL_cleanse(reply, sizeof(reply));
	}
	if (cl->len == sizeof(cl->buf) - 1)
		client_close(c, cl); /* a line longer than we take */
}

/* The admin socket hands out keys and changes live calls: only root and
 * the gateway's own user may talk to it. The file mode says the same, but
 * the kernel's word on the peer (SO_PEERCRED) holds whatever the mode or a
 * directory's permissions were made to be. */
static bool
peer_trusted(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 || len != sizeof(cr)) {
		CTL_LOG(WARNING, "admin: no peer credentials, connection refused");
		return false;
	}
	if (cr.uid == 0 || cr.uid == geteuid())
		return true;
	CTL_LOG(WARNING, "admin: connection from uid %u refused (pid %d)", (unsigned int)cr.uid,
		(int)cr.pid);
	return false;
}

static void
listener_readable(int fd, uint32_t events, void *arg)
{
	struct ctl *c = arg;
	unsigned int i;
	int cfd;

	(void)events;
	cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	if (!peer_trusted(cfd)) {
		close(cfd);
		return;
	}
	for (i = 0; i < ADMIN_MAX_CLIENTS; i++) {
		struct admin_client *cl = &c->admin->clients[i];

		if (cl->fd >= 0)
			continue;
		if (ctl_loop_add_fd(c->loop, cfd, EPOLLIN, client_readable, c) < 0)
			break;
		cl->fd = cfd;
		cl->len = 0;
		return;
	}
	CTL_LOG(WARNING, "admin: too many clients, connection refused");
	close(cfd);
}

int
ctl_admin_init(struct ctl *c, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct ctl_admin *ad;
	mode_t old_mask;
	unsigned int i;
	int rc;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	ad = calloc(1, sizeof(*ad));
	if (ad == NULL)
		return -ENOMEM;
	for (i = 0; i < ADMIN_MAX_CLIENTS; i++)
		ad->clients[i].fd = -1;
	snprintf(ad->path, sizeof(ad->path), "%s", path);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ad->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (ad->lfd < 0) {
		rc = -errno;
		free(ad);
		return rc;
	}
	unlink(path); /* a stale socket of a previous run */
	/* Created 0600 by bind() itself (umask), so there is no moment in
	 * which another user could connect; chmod after bind left one. The
	 * process umask is restored at once (control thread, at start). */
	old_mask = umask(0177);
	rc = bind(ad->lfd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old_mask);
	if (rc < 0 || listen(ad->lfd, 8) < 0) {
		rc = -errno;
		close(ad->lfd);
		free(ad);
		return rc;
	}
	c->admin = ad;
	rc = ctl_loop_add_fd(c->loop, ad->lfd, EPOLLIN, listener_readable, c);
	if (rc < 0)
		ctl_admin_fini(c);
	return rc;
}

void
ctl_admin_fini(struct ctl *c)
{
	struct ctl_admin *ad = c->admin;
	unsigned int i;

	if (ad == NULL)
		return;
	for (i = 0; i < ADMIN_MAX_CLIENTS; i++)
		if (ad->clients[i].fd >= 0)
			client_close(c, &ad->clients[i]);
	ctl_loop_del_fd(c->loop, ad->lfd);
	close(ad->lfd);
	unlink(ad->path);
	free(ad);
	c->admin = NULL;
}
