/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Iq procedures, mapping layer (see iq_map.h): H.248 stream -> ctl spec,
 * SDES key selection for e2ae (SPEC.md §1.2, §1.5, §3.5), MSRP terminations
 * (SPEC.md §2.2, §2.3, §3.6), reply Local SDP, errno -> H.248.8 code.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <openssl/crypto.h>

#include "iq_map.h"

void
iq_map_result_clear(struct iq_map_result *r)
{
	if (r != NULL)
		ctl_spec_clear(&r->spec);
}

void
iq_map_keys_clear(struct iq_map_keys *k)
{
	if (k != NULL)
		OPENSSL_cleanse(k, sizeof(*k));
}

uint16_t
iq_map_errno(int rc, bool term_elsewhere)
{
	switch (rc) {
	case -ENOENT:
		return H248_ERR_UNKNOWN_CTX;
	case -ESRCH:
		return term_elsewhere ? H248_ERR_TERM_NOT_IN_CTX : H248_ERR_UNKNOWN_TERM;
	case -ENOSPC:
	case -EADDRNOTAVAIL:
	case -ENOMEM:
		return H248_ERR_RESOURCES;
	case -E2BIG:
		return 434;
	case -EEXIST:
		return 433;
	case -ENOTSUP:
		return H248_ERR_NOT_IMPLEMENTED;
	case -EINVAL:
		return H248_ERR_BAD_VALUE;
	default:
		return H248_ERR_INTERNAL;
	}
}

static bool
str_prefix_ieq(struct iq_str s, const char *p)
{
	size_t n = strlen(p);

	return s.len >= n && strncasecmp(s.p, p, n) == 0;
}

static int
fail(struct iq_map_result *r, uint16_t code, const char *reason)
{
	r->code = code;
	r->reason = reason;
	return -EINVAL;
}

static bool
val_on(const struct h248_prop *p)
{
	struct iq_str v;

	if (p->n_values == 0 || p->values == NULL)
		return true; /* bare name: "ipnapt/latch" */
	v = p->values->s;
	return iq_str_ieq(v, "on") || iq_str_ieq(v, "true") || iq_str_ieq(v, "1") ||
	       iq_str_ieq(v, "yes");
}

/* LocalControl: Mode, realm, latching, source filtering (SPEC.md §3.4). */
static int
map_lc(const struct h248_localcontrol *lc, const struct ctl_term_info *cur,
       struct iq_map_result *r)
{
	const struct h248_prop *p;

	if (lc->mode != H248_MODE_NONE)
		r->spec.set |= CTL_SET_MODE;
	switch (lc->mode) {
	case H248_MODE_NONE:
		break;
	case H248_MODE_SENDONLY:
		r->spec.mode = CTL_MODE_SENDONLY;
		break;
	case H248_MODE_RECVONLY:
		r->spec.mode = CTL_MODE_RECVONLY;
		break;
	case H248_MODE_SENDRECV:
		r->spec.mode = CTL_MODE_SENDRECV;
		break;
	case H248_MODE_INACTIVE:
		r->spec.mode = CTL_MODE_INACTIVE;
		break;
	default:
		return fail(r, H248_ERR_BAD_MODE, "unsupported mode");
	}
	for (p = lc->props; p != NULL; p = p->next) {
		if (p->tok != H248_TOK_NONE)
			continue; /* ReservedValue, ReservedGroup: every port is reserved */
		if (iq_str_ieq(p->name, "ipdc/realm")) {
			enum cfg_port_role was = r->spec.realm;

			if (p->n_values == 0 ||
			    ctl_spec_realm(&r->spec, p->values->s.p, p->values->s.len) < 0)
				return fail(r, H248_ERR_BAD_VALUE, "unknown IP realm");
			if (cur != NULL && r->spec.realm != cur->realm) {
				r->spec.realm = was;
				return fail(r, H248_ERR_BAD_VALUE, "realm cannot change");
			}
		} else if (iq_str_ieq(p->name, "ipnapt/latch") ||
			   iq_str_ieq(p->name, "ipnapt/rlatch")) {
			r->spec.latch = val_on(p);
			r->spec.set |= CTL_SET_LATCH;
		} else if (iq_str_ieq(p->name, "gm/saf")) {
			r->spec.src_filter = val_on(p);
			r->spec.set |= CTL_SET_FILTER;
		} else if (str_prefix_ieq(p->name, "gm/") || str_prefix_ieq(p->name, "tman/") ||
			   str_prefix_ieq(p->name, "ds/") || str_prefix_ieq(p->name, "gip/") ||
			   str_prefix_ieq(p->name, "rtcph/")) {
			/* Accepted and not enforced: policing and marking are
			 * not part of this data plane (documented gap). */
		} else {
			return fail(r, H248_ERR_UNSUPPORTED_PROP, "unsupported property");
		}
	}
	return 0;
}

static void
copy_slice(char *dst, size_t cap, struct iq_str s)
{
	size_t n = s.len < cap - 1 ? s.len : cap - 1;

	memcpy(dst, s.p, n);
	dst[n] = '\0';
}

static const struct sdp_conn *
media_conn(const struct sdp_session *s, const struct sdp_media *m)
{
	return m->conn.present ? &m->conn : &s->conn;
}

static int
parse_sdp(struct iq_arena *a, struct iq_str text, struct sdp_desc **d,
	  struct sdp_session **s, struct sdp_media **m, struct iq_map_result *r)
{
	if (sdp_parse(text.p, text.len, a, NULL, d, NULL) < 0)
		return fail(r, H248_ERR_BAD_VALUE, "malformed SDP");
	/* Alternatives: take the first (SPEC.md §4.3). */
	*s = (*d)->sessions;
	if (*s == NULL || (*s)->media == NULL)
		return fail(r, H248_ERR_BAD_VALUE, "SDP without a media line");
	if ((*s)->n_media > 1)
		return fail(r, H248_ERR_NOT_IMPLEMENTED, "one media line per stream");
	(*d)->n_sessions = 1;
	(*s)->next = NULL;
	*m = (*s)->media;
	return 0;
}

static bool
proto_savp(const char *proto)
{
	return strncasecmp(proto, "RTP/SAVP", 8) == 0;
}

static bool
has_attr(const struct sdp_session *s, const struct sdp_media *m, enum sdp_attr_kind k)
{
	return (m != NULL && sdp_attr_next(m->attrs, k, NULL) != NULL) ||
	       (s != NULL && sdp_attr_next(s->attrs, k, NULL) != NULL);
}

/* The tag of a Local a=crypto value, read by the one a=crypto parser (the
 * line passed it when the request was mapped). @return 0 or -EINVAL. */
static int
line_tag(struct iq_str v, uint32_t *tag)
{
	struct sdes_crypto k;
	int rc = sdes_parse_choose(v.p, v.len, SEC_SUITE_MASK_ALL, &k, NULL);

	*tag = k.tag;
	sdes_crypto_clear(&k);
	return rc;
}

static int
sdes_fail(struct iq_map_result *r, int rc, const struct sdes_err *e)
{
	if (rc == -E2BIG && e->reason != SDES_E_TOO_LONG)
		return fail(r, H248_ERR_BAD_VALUE, "too many a=crypto lines");
	if (rc == -EEXIST)
		return fail(r, H248_ERR_BAD_VALUE, "a=crypto: duplicate tag");
	return fail(r, H248_ERR_BAD_VALUE, sdes_reason_str(e->reason));
}

/*
 * e2ae keys (SPEC.md §3.5): Remote lines are the UE's (rx, unprotect);
 * Local lines are ours (tx, protect): complete ones are the MGC's choice,
 * "inline:$" ones control generates. The UE's line that binds one of ours
 * by tag (same suite) is the rx key; control then discards our unselected
 * keys (§1.5 step 4). Only tags and suites are looked at here.
 */
static int
map_keys(const struct sdp_media *lm, const struct sdp_media *rm, const struct ctl_term_info *cur,
	 uint32_t mask, struct iq_map_result *r)
{
	uint32_t ltag[CTL_LOCAL_KEYS_MAX];
	enum sec_suite_id lsuite[CTL_LOCAL_KEYS_MAX];
	const struct sdp_attr *at, *bound = NULL;
	struct sdes_err e = { 0 };
	uint16_t n_local = 0, i;
	int rc;

	/* A Local with crypto lines (or with a Remote) replaces our keys. */
	if (lm != NULL && (lm->n_crypto > 0 || rm != NULL)) {
		ctl_spec_local_key(&r->spec, NULL, 0, mask, NULL);
		for (at = sdp_attr_next(lm->attrs, SDP_A_CRYPTO, NULL); at != NULL;
		     at = sdp_attr_next(lm->attrs, SDP_A_CRYPTO, at)) {
			rc = ctl_spec_local_key(&r->spec, at->value.p, at->value.len, mask, &e);
			if (rc < 0)
				return sdes_fail(r, rc, &e);
		}
		for (i = 0; i < r->spec.n_local_keys; i++) {
			ltag[i] = r->spec.local_keys[i].tag;
			lsuite[i] = r->spec.local_keys[i].suite;
		}
		n_local = r->spec.n_local_keys;
	} else if (cur != NULL) {
		memcpy(ltag, cur->local_tag, sizeof(ltag));
		memcpy(lsuite, cur->local_suite, sizeof(lsuite));
		n_local = cur->n_local_keys;
	}
	if (rm == NULL)
		return 0;
	/* Every Remote line must pass the policy (§1.8); the first one whose
	 * tag is one of ours binds it. */
	for (at = sdp_attr_next(rm->attrs, SDP_A_CRYPTO, NULL); at != NULL;
	     at = sdp_attr_next(rm->attrs, SDP_A_CRYPTO, at)) {
		struct sdes_crypto k;

		rc = sdes_parse(at->value.p, at->value.len, mask, &k, &e);
		if (rc < 0)
			return fail(r, H248_ERR_BAD_VALUE, sdes_reason_str(e.reason));
		for (i = 0; i < n_local && bound == NULL; i++) {
			if (ltag[i] != k.tag)
				continue;
			if (lsuite[i] != k.suite) {
				sdes_crypto_clear(&k);
				return fail(r, H248_ERR_BAD_VALUE,
					    "a=crypto: suite differs for the same tag");
			}
			bound = at;
		}
		sdes_crypto_clear(&k);
	}
	if (rm->n_crypto > 0 && bound == NULL)
		return fail(r, H248_ERR_BAD_VALUE,
			    n_local == 0 ? "a=crypto: no local key for the remote key"
					 : "a=crypto: no local line with the remote tag");
	/* A new Remote replaces the UE's key (a rekey, §1.9), or removes it. */
	if (bound != NULL)
		rc = ctl_spec_rx_key(&r->spec, bound->value.p, bound->value.len, mask, &e);
	else
		rc = ctl_spec_rx_key(&r->spec, NULL, 0, mask, NULL);
	return rc < 0 ? fail(r, H248_ERR_BAD_VALUE, sdes_reason_str(e.reason)) : 0;
}

/* The m= proto of a transport. */
static const char *
transport_proto(enum ctl_transport t)
{
	switch (t) {
	case CTL_TR_RTP:
		return "RTP/AVP";
	case CTL_TR_MSRP:
		return "TCP/MSRP";
	case CTL_TR_MSRP_TLS:
		return "TCP/TLS/MSRP";
	default:
		return "RTP/SAVP";
	}
}

static bool
proto_msrp(const char *proto)
{
	return strcasecmp(proto, "TCP/MSRP") == 0 || strcasecmp(proto, "TCP/TLS/MSRP") == 0;
}

/* An attribute of the media line, else of the session. */
static const struct sdp_attr *
attr_of(const struct sdp_session *s, const struct sdp_media *m, enum sdp_attr_kind k)
{
	const struct sdp_attr *a = m != NULL ? sdp_attr_next(m->attrs, k, NULL) : NULL;

	return a != NULL || s == NULL ? a : sdp_attr_next(s->attrs, k, NULL);
}

/* The Remote's a=fingerprint lines (media level, else session level): the
 * certificates the peer may present (RFC 8122 §5). MD5 and MD2 are refused
 * (449), so is a line sec_fp_parse() cannot read. */
static int
map_fingerprints(const struct sdp_session *s, const struct sdp_media *m, struct iq_map_result *r)
{
	const struct sdp_attr *list = sdp_attr_next(m->attrs, SDP_A_FINGERPRINT, NULL) != NULL
					      ? m->attrs
					      : s->attrs;
	const struct sdp_attr *at;
	int rc;

	ctl_spec_fingerprint(&r->spec, NULL, 0);
	for (at = sdp_attr_next(list, SDP_A_FINGERPRINT, NULL); at != NULL;
	     at = sdp_attr_next(list, SDP_A_FINGERPRINT, at)) {
		rc = ctl_spec_fingerprint(&r->spec, at->value.p, at->value.len);
		if (rc == -EPROTONOSUPPORT)
			return fail(r, H248_ERR_BAD_VALUE,
				    "a=fingerprint: MD5, MD2 or unknown hash refused (RFC 8122)");
		if (rc == -E2BIG)
			return fail(r, H248_ERR_BAD_VALUE, "a=fingerprint: too many lines");
		if (rc < 0)
			return fail(r, H248_ERR_BAD_VALUE, "a=fingerprint: malformed");
	}
	return 0;
}

/*
 * MSRP (SPEC.md §2.2, §2.3, §3.6): TCP/TLS/MSRP terminates TLS here (the
 * UE's certificate checked against the Remote fingerprints), TCP/MSRP is a
 * plain TCP leg. Local: our a=setup when the MGC names it ($ or actpass:
 * ours to decide). Remote: the peer's a=setup, a=fingerprint lines (TLS),
 * a=path and a=msrp-cema. a=accept-types, a=3ge2ae and the rest of Local
 * are the MGC's SDP, echoed in the reply as given.
 */
static int
map_msrp(const struct sdp_session *ls, const struct sdp_media *lm, const struct sdp_session *rs,
	 const struct sdp_media *rm, bool tls, struct iq_map_result *r)
{
	const struct sdp_attr *at;
	int rc;

	r->spec.transport = tls ? CTL_TR_MSRP_TLS : CTL_TR_MSRP;
	r->spec.set |= CTL_SET_TRANSPORT;
	if (lm != NULL) {
		if (!tls && attr_of(ls, lm, SDP_A_FINGERPRINT) != NULL)
			return fail(r, H248_ERR_BAD_VALUE, "a=fingerprint with TCP/MSRP");
		at = attr_of(ls, lm, SDP_A_SETUP);
		if (at != NULL && ctl_spec_setup(&r->spec, at->value.p, at->value.len, true) < 0)
			return fail(r, H248_ERR_BAD_VALUE, "Local a=setup: unknown value");
		if (at != NULL && r->spec.msrp.local_setup == CTL_SETUP_ACTPASS)
			r->spec.msrp.local_setup = CTL_SETUP_NONE; /* ours to choose */
	}
	if (rm == NULL)
		return 0;
	/* A new Remote replaces what the last one said. */
	r->spec.msrp.setup = CTL_SETUP_NONE;
	r->spec.set |= CTL_SET_MSRP_SETUP;
	at = attr_of(rs, rm, SDP_A_SETUP);
	if (at != NULL && ctl_spec_setup(&r->spec, at->value.p, at->value.len, false) < 0)
		return fail(r, H248_ERR_BAD_VALUE, "Remote a=setup: unknown value");
	if (!tls && attr_of(rs, rm, SDP_A_FINGERPRINT) != NULL)
		return fail(r, H248_ERR_BAD_VALUE, "a=fingerprint with TCP/MSRP");
	rc = map_fingerprints(rs, rm, r);
	if (rc < 0)
		return rc;
	if (tls && r->spec.msrp.n_fp == 0 && rm->port != 0)
		return fail(r, H248_ERR_BAD_VALUE, "TCP/TLS/MSRP Remote without a=fingerprint");
	r->spec.msrp.path[0] = '\0';
	r->spec.set |= CTL_SET_MSRP_PATH;
	at = attr_of(rs, rm, SDP_A_PATH);
	if (at != NULL && ctl_spec_msrp_path(&r->spec, at->value.p, at->value.len) < 0)
		return fail(r, H248_ERR_BAD_VALUE, "a=path: malformed or too long");
	r->spec.msrp.cema = attr_of(rs, rm, SDP_A_MSRP_CEMA) != NULL;
	r->spec.set |= CTL_SET_MSRP_CEMA;
	return 0;
}

int
iq_map_stream(struct iq_arena *a, const struct h248_stream *st, const struct ctl_term_info *cur,
	      uint32_t suite_mask, struct iq_map_result *r)
{
	struct sdp_desc *ld = NULL, *rd = NULL;
	struct sdp_session *ls = NULL, *rs = NULL;
	struct sdp_media *lm = NULL, *rm = NULL;
	bool is_add = cur == NULL, e2ae, realm_given = false;
	char proto[24];
	int rc;

	memset(r, 0, sizeof(*r));
	ctl_spec_init(&r->spec);
	if (is_add) {
		r->spec.set = CTL_SET_ALL;
		r->spec.mode = CTL_MODE_SENDRECV;
	} else {
		r->spec.realm = cur->realm;
	}
	snprintf(proto, sizeof(proto), "%s",
		 is_add ? "RTP/AVP" : transport_proto(cur->transport));
	if (st != NULL && st->has_local) {
		rc = parse_sdp(a, st->local, &ld, &ls, &lm, r);
		if (rc < 0)
			return rc;
		r->local = ld;
		r->lmedia = lm;
	}
	if (st != NULL && st->has_remote) {
		rc = parse_sdp(a, st->remote, &rd, &rs, &rm, r);
		if (rc < 0)
			return rc;
	}
	/* Transport: the proto of what we were given (Remote first). */
	if (rm != NULL || lm != NULL) {
		const struct sdp_media *pm = rm != NULL ? rm : lm;

		copy_slice(r->media, sizeof(r->media), pm->media);
		copy_slice(proto, sizeof(proto), pm->proto);
		copy_slice(r->fmts, sizeof(r->fmts), (lm != NULL ? lm : pm)->fmts);
	}
	if (st != NULL && st->has_lc) {
		const struct h248_prop *p;

		for (p = st->lc.props; p != NULL; p = p->next)
			if (iq_str_ieq(p->name, "ipdc/realm"))
				realm_given = true;
	}
	/* Without ipdc/realm: SRTP and TLS face the UE, the rest the core. */
	if (is_add && !realm_given)
		r->spec.realm = proto_savp(proto) || strcasecmp(proto, "TCP/TLS/MSRP") == 0
					? CFG_PORT_ACCESS
					: CFG_PORT_CORE;
	if (st != NULL && st->has_lc) {
		rc = map_lc(&st->lc, cur, r);
		if (rc < 0)
			return rc;
	}
	if (strncasecmp(proto, "RTP/", 4) != 0 && strcmp(proto, "-") != 0 && !proto_msrp(proto))
		return fail(r, 515, "unsupported media transport");

	/* Local: family, a requested port, rtcp-mux. */
	if (lm != NULL) {
		const struct sdp_conn *c = media_conn(ls, lm);

		if (is_add && c->present) {
			if (iq_str_ieq(c->addrtype, "IP6"))
				r->spec.family = AF_INET6;
			else if (iq_str_ieq(c->addrtype, "IP4"))
				r->spec.family = AF_INET;
		}
		if (is_add && !lm->port_choose && lm->port != 0)
			r->spec.local_port = lm->port;
		if (!proto_msrp(proto) && (lm->rtcp_mux || has_attr(ls, NULL, SDP_A_RTCP_MUX))) {
			r->spec.rtcp_mux = true;
			r->spec.set |= CTL_SET_RTCP_MUX;
		}
	}
	/* Remote: the peer's address and ports. */
	if (rm != NULL) {
		const struct sdp_conn *c = media_conn(rs, rm);

		if (!c->present || c->addr_choose ||
		    ctl_spec_remote(&r->spec, c->addr.p, c->addr.len, rm->port,
				    rm->rtcp_port > 0 ? (uint16_t)rm->rtcp_port : 0) < 0)
			return fail(r, H248_ERR_BAD_VALUE, "Remote: bad or missing c= address");
		if (rm->port_choose)
			return fail(r, H248_ERR_BAD_VALUE, "Remote: port must be given");
		if (!proto_msrp(proto)) {
			r->spec.rtcp_mux = rm->rtcp_mux || (lm != NULL && lm->rtcp_mux);
			r->spec.set |= CTL_SET_RTCP_MUX;
		}
		if (rm->port == 0)
			memset(&r->spec.remote, 0, sizeof(r->spec.remote));
	}
	if (!is_add && rm == NULL && lm == NULL)
		return 0; /* the transport and keys stay as they are */
	if (proto_msrp(proto))
		return map_msrp(ls, lm, rs, rm, strcasecmp(proto, "TCP/TLS/MSRP") == 0, r);

	/* e2e vs e2ae (SPEC.md §1.6): SAVP with Local crypto lines or an
	 * a=3ge2ae attribute is terminated here; SAVP without is relayed. */
	e2ae = proto_savp(proto) &&
	       ((lm != NULL && lm->n_crypto > 0) || has_attr(ls, lm, SDP_A_3GE2AE) ||
		has_attr(rs, rm, SDP_A_3GE2AE) ||
		(cur != NULL && cur->transport == CTL_TR_SRTP_E2AE && lm == NULL));
	r->spec.set |= CTL_SET_TRANSPORT;
	if (!proto_savp(proto)) {
		if ((lm != NULL && lm->n_crypto > 0) || (rm != NULL && rm->n_crypto > 0))
			return fail(r, H248_ERR_BAD_VALUE, "a=crypto with RTP/AVP");
		r->spec.transport = CTL_TR_RTP;
	} else if (!e2ae) {
		r->spec.transport = CTL_TR_SRTP_E2E;
	} else {
		r->spec.transport = CTL_TR_SRTP_E2AE;
	}
	/* Leaving e2ae: control drops the keys with the transport. */
	if (r->spec.transport != CTL_TR_SRTP_E2AE)
		return 0;
	rc = map_keys(lm, rm, cur, suite_mask, r);
	if (rc < 0)
		return rc;
	if (rm != NULL && !r->spec.has_rx_key && rm->port != 0)
		return fail(r, H248_ERR_BAD_VALUE, "e2ae Remote without a=crypto");
	return 0;
}

static int
arena_printf(struct iq_arena *a, struct iq_str *out, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
arena_printf(struct iq_arena *a, struct iq_str *out, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return -EINVAL;
	return iq_arena_strdup(a, buf, (size_t)n, out);
}

/* Our fingerprint as a=fingerprint carries it ("SHA-256 AB:.."), or "" when
 * the termination has none (TCP/MSRP, or no certificate). */
static int
our_fp(const struct ctl_term_info *info, char *out, size_t len)
{
	out[0] = '\0';
	if (info->transport != CTL_TR_MSRP_TLS || !info->msrp.has_fp)
		return 0;
	return sec_fp_format(&info->msrp.fp, out, len) < 0 ? -EINVAL : 0;
}

static int
set_attr(struct iq_arena *a, struct sdp_attr *at, const char *v)
{
	at->has_value = true;
	return iq_arena_strdup(a, v, strlen(v), &at->value);
}

static int
append_attr(struct iq_arena *a, struct sdp_media *m, const char *name, const char *v)
{
	struct sdp_attr *at = iq_arena_alloc(a, sizeof(*at)), **pp;

	if (at == NULL)
		return -ENOMEM;
	at->name.p = name;
	at->name.len = (uint32_t)strlen(name);
	for (pp = &m->attrs; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = at;
	m->n_attrs++;
	return set_attr(a, at, v);
}

/*
 * The MSRP lines of our Local (SPEC.md §2.2, §2.3): a=setup with our role,
 * a=fingerprint with our certificate's SHA-256 fingerprint on TLS (also
 * when the MGC did not ask: the UE needs it to authenticate us; one line,
 * whatever hash the MGC wrote), a=path with our own URI. Each replaces the
 * MGC's line (at session or media level), or is added to the media when
 * the MGC gave none. Everything else is echoed as the MGC gave it.
 */
static int
msrp_attrs(struct iq_arena *a, struct sdp_session *s, struct sdp_media *m,
	   const struct ctl_term_info *info)
{
	struct sdp_attr **lists[2] = { &s->attrs, &m->attrs }, **pp, *at;
	uint16_t *counts[2] = { &s->n_attrs, &m->n_attrs };
	bool done[3] = { false, false, false };
	char fp[SEC_FP_TEXT_MAX];
	unsigned int i;
	int rc = our_fp(info, fp, sizeof(fp));

	for (i = 0; i < 2 && rc == 0; i++)
		for (pp = lists[i]; rc == 0 && (at = *pp) != NULL;) {
			const char *v = NULL;
			int k = at->kind == SDP_A_SETUP ? 0 : at->kind == SDP_A_FINGERPRINT ? 1
				: at->kind == SDP_A_PATH ? 2 : -1;

			if (k < 0 && at->kind != SDP_A_CRYPTO) {
				pp = &at->next;
				continue;
			}
			if (k >= 0 && !done[k])
				v = k == 0 ? ctl_setup_name(info->msrp.setup)
				    : k == 1 ? (fp[0] != '\0' ? fp : NULL) : info->msrp.path;
			if (v == NULL) { /* a repeat, a=crypto, or no fingerprint */
				*pp = at->next;
				(*counts[i])--;
				continue;
			}
			done[k] = true;
			rc = set_attr(a, at, v);
			pp = &at->next;
		}
	if (rc == 0 && !done[0])
		rc = append_attr(a, m, "setup", ctl_setup_name(info->msrp.setup));
	if (rc == 0 && !done[1] && fp[0] != '\0')
		rc = append_attr(a, m, "fingerprint", fp);
	if (rc == 0 && !done[2])
		rc = append_attr(a, m, "path", info->msrp.path);
	return rc;
}

int
iq_map_local_reply(struct iq_arena *a, struct sdp_desc *d, struct sdp_media *m,
		   const struct ctl_term_info *info, const char *media, const char *fmts,
		   const struct iq_map_keys *keys, struct iq_str *out)
{
	char ip[INET6_ADDRSTRLEN], buf[4096];
	struct sdp_session *s;
	struct sdp_attr *at, **pp;
	size_t len = 0;
	unsigned int i;
	int rc;

	cfg_ip_str(&info->local, ip, sizeof(ip));
	if (d == NULL) {
		char text[512 + CTL_LOCAL_KEYS_MAX * (SDES_LINE_MAX + 10)], fp[SEC_FP_TEXT_MAX];
		bool msrp = ctl_transport_is_msrp(info->transport);
		int n = snprintf(text, sizeof(text), "v=0\nc=IN %s %s\nm=%s %u %s %s\n",
				 info->local.family == AF_INET6 ? "IP6" : "IP4", ip,
				 media != NULL && media[0] != '\0' ? media
				 : msrp ? "message" : "audio",
				 info->local_port, transport_proto(info->transport),
				 fmts != NULL && fmts[0] != '\0' ? fmts : msrp ? "*" : "-");
		struct iq_str t;

		for (i = 0; keys != NULL && i < keys->n && n > 0 && (size_t)n < sizeof(text); i++)
			n += snprintf(text + n, sizeof(text) - (size_t)n, "a=crypto:%s\n",
				      keys->line[i]);
		if (msrp && n > 0 && (size_t)n < sizeof(text)) {
			if (our_fp(info, fp, sizeof(fp)) < 0)
				return -EINVAL;
			n += snprintf(text + n, sizeof(text) - (size_t)n, "a=setup:%s\n%s%s%sa=path:%s\n",
				      ctl_setup_name(info->msrp.setup), fp[0] ? "a=fingerprint:" : "",
				      fp, fp[0] ? "\n" : "", info->msrp.path);
		}
		if (n < 0 || (size_t)n >= sizeof(text)) {
			OPENSSL_cleanse(text, sizeof(text));
			return -EINVAL;
		}
		/* Trailing newline trimmed: the codec trims octet strings. */
		rc = iq_arena_strdup(a, text, (size_t)n - 1, &t);
		OPENSSL_cleanse(text, sizeof(text));
		if (rc == 0)
			*out = t;
		return rc;
	}
	s = d->sessions;
	if (m->conn.present) {
		rc = arena_printf(a, &m->conn.addr, "%s", ip);
		m->conn.addrtype = info->local.family == AF_INET6 ? IQ_STR("IP6") : IQ_STR("IP4");
		m->conn.addr_choose = false;
	} else {
		s->conn.present = true;
		s->conn.nettype = IQ_STR("IN");
		s->conn.addrtype = info->local.family == AF_INET6 ? IQ_STR("IP6") : IQ_STR("IP4");
		rc = arena_printf(a, &s->conn.addr, "%s", ip);
		s->conn.addr_choose = false;
	}
	if (rc < 0)
		return rc;
	m->port = info->local_port;
	m->port_choose = false;
	if (ctl_transport_is_msrp(info->transport))
		rc = msrp_attrs(a, s, m, info);
	if (rc < 0)
		return rc;
	/* Our keys, matched to the Local lines by tag (SPEC.md §3.5); a line
	 * whose key was discarded is dropped. */
	for (pp = &m->attrs; (at = *pp) != NULL;) {
		const char *line = NULL;
		uint32_t tag;

		if (at->kind != SDP_A_CRYPTO) {
			pp = &at->next;
			continue;
		}
		if (keys != NULL && line_tag(at->value, &tag) == 0)
			for (i = 0; i < keys->n; i++)
				if (keys->tag[i] == tag)
					line = keys->line[i];
		if (line == NULL) {
			*pp = at->next;
			m->n_attrs--;
			continue;
		}
		rc = iq_arena_strdup(a, line, strlen(line), &at->value);
		if (rc < 0)
			return rc;
		pp = &at->next;
	}
	/* Formatted on the stack and copied at its size: a 4 KB arena block
	 * per reply would exhaust the arena after a few hundred Adds in one
	 * transaction (issue 11). The stack copy holds our key: cleansed. */
	rc = sdp_format(d, false, buf, sizeof(buf), &len);
	while (rc == 0 && len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	if (rc == 0)
		rc = iq_arena_strdup(a, buf, len, out);
	OPENSSL_cleanse(buf, sizeof(buf));
	return rc;
}
