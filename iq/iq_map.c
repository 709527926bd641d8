/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Iq procedures, mapping layer (see iq_map.h): H.248 stream -> ctl spec,
 * SDES key selection for e2ae (SPEC.md §1.2, §1.5, §3.5), reply Local SDP,
 * errno -> H.248.8 code.
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
iq_term_state_clear(struct iq_term_state *s)
{
	if (s != NULL)
		OPENSSL_cleanse(s, sizeof(*s));
}

void
iq_map_result_clear(struct iq_map_result *r)
{
	if (r == NULL)
		return;
	OPENSSL_cleanse(&r->spec, sizeof(r->spec));
	iq_term_state_clear(&r->next);
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

int
iq_map_realm(struct iq_str v, enum cfg_port_role *role)
{
	if (str_prefix_ieq(v, "access")) {
		*role = CFG_PORT_ACCESS;
		return 0;
	}
	if (str_prefix_ieq(v, "core")) {
		*role = CFG_PORT_CORE;
		return 0;
	}
	return -EINVAL;
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
map_lc(const struct h248_localcontrol *lc, bool is_add, struct iq_map_result *r)
{
	const struct h248_prop *p;

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
			enum cfg_port_role role;

			if (p->n_values == 0 || iq_map_realm(p->values->s, &role) < 0)
				return fail(r, H248_ERR_BAD_VALUE, "unknown IP realm");
			if (!is_add && role != r->spec.realm)
				return fail(r, H248_ERR_BAD_VALUE, "realm cannot change");
			r->spec.realm = role;
		} else if (iq_str_ieq(p->name, "ipnapt/latch") ||
			   iq_str_ieq(p->name, "ipnapt/rlatch")) {
			r->spec.latch = val_on(p);
		} else if (iq_str_ieq(p->name, "gm/saf")) {
			r->spec.src_filter = val_on(p);
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

/* Our key for a Local line: "<tag> <suite> inline:$" or "<tag> <suite> $"
 * asks us to choose (H.248.77 wildcarding, SPEC.md §3.4); anything else is
 * a complete line the MGC gives us (SPEC.md §3.5 item 4). */
static int
local_key(struct iq_str v, uint32_t mask, const struct sdes_crypto *avoid,
	  struct sdes_crypto *out, struct iq_map_result *r)
{
	const char *p = v.p, *end = v.p + v.len, *sp1, *sp2;
	const struct sec_suite *su;
	struct iq_str kp;
	uint32_t tag = 0;
	int rc;

	sp1 = memchr(p, ' ', v.len);
	if (sp1 == NULL)
		return fail(r, H248_ERR_BAD_VALUE, "a=crypto: syntax");
	sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1));
	if (sp2 == NULL)
		return fail(r, H248_ERR_BAD_VALUE, "a=crypto: syntax");
	kp.p = sp2 + 1;
	kp.len = (uint32_t)(end - kp.p);
	while (kp.len > 0 && (kp.p[kp.len - 1] == ' ' || kp.p[kp.len - 1] == '\r'))
		kp.len--;
	if (!iq_str_ieq(kp, "inline:$") && !iq_str_ieq(kp, "$")) {
		struct sdes_err e;

		rc = sdes_parse(v.p, v.len, mask, out, &e);
		return rc < 0 ? fail(r, H248_ERR_BAD_VALUE, sdes_reason_str(e.reason)) : 0;
	}
	if (sp1 == p || sp1 - p > 9)
		return fail(r, H248_ERR_BAD_VALUE, "a=crypto: bad tag");
	for (; p < sp1; p++) {
		if (*p < '0' || *p > '9')
			return fail(r, H248_ERR_BAD_VALUE, "a=crypto: bad tag");
		tag = tag * 10 + (uint32_t)(*p - '0');
	}
	su = sec_suite_by_name(sp1 + 1, (size_t)(sp2 - sp1 - 1));
	if (su == NULL)
		return fail(r, H248_ERR_BAD_VALUE, "a=crypto: unknown suite");
	if ((mask & (1u << su->id)) == 0)
		return fail(r, H248_ERR_BAD_VALUE, "a=crypto: suite disabled");
	if (sdes_generate(su->id, avoid, out) < 0)
		return fail(r, H248_ERR_INTERNAL, "key generation failed");
	out->tag = tag;
	return 0;
}

/*
 * e2ae keys (SPEC.md §3.5): Remote lines are the UE's (rx, unprotect);
 * Local lines are ours (tx, protect), generated on CHOOSE, one per line.
 * Bound by tag with the same suite; once a Remote line binds, the other
 * Local keys are discarded (§1.5 step 4).
 */
static int
map_keys(struct sdp_media *lm, const struct sdp_session *ls, const struct sdp_media *rm,
	 const struct sdp_session *rs, uint32_t mask, struct iq_map_result *r)
{
	struct sdes_crypto remote[IQ_MAP_MAX_KEYS];
	const struct sdp_attr *at;
	uint16_t n_remote = 0, i, j;
	int rc = 0;

	(void)ls;
	(void)rs;
	if (rm != NULL) {
		for (at = sdp_attr_next(rm->attrs, SDP_A_CRYPTO, NULL); at != NULL;
		     at = sdp_attr_next(rm->attrs, SDP_A_CRYPTO, at)) {
			struct sdes_err e;

			if (n_remote == IQ_MAP_MAX_KEYS) {
				rc = fail(r, H248_ERR_BAD_VALUE, "too many a=crypto lines");
				goto out;
			}
			if (sdes_parse(at->value.p, at->value.len, mask, &remote[n_remote], &e) < 0) {
				rc = fail(r, H248_ERR_BAD_VALUE, sdes_reason_str(e.reason));
				goto out;
			}
			n_remote++;
		}
	}
	if (lm != NULL) {
		/* A Local with crypto lines replaces the keys we hold. */
		uint16_t n = 0;

		for (at = sdp_attr_next(lm->attrs, SDP_A_CRYPTO, NULL); at != NULL;
		     at = sdp_attr_next(lm->attrs, SDP_A_CRYPTO, at))
			n++;
		if (n > IQ_MAP_MAX_KEYS) {
			rc = fail(r, H248_ERR_BAD_VALUE, "too many a=crypto lines");
			goto out;
		}
		if (n > 0 || rm != NULL) {
			struct iq_term_state *ns = &r->next;

			for (i = 0; i < ns->n_local_keys; i++)
				sdes_crypto_clear(&ns->local_keys[i]);
			ns->n_local_keys = 0;
			for (at = sdp_attr_next(lm->attrs, SDP_A_CRYPTO, NULL); at != NULL;
			     at = sdp_attr_next(lm->attrs, SDP_A_CRYPTO, at)) {
				const struct sdes_crypto *avoid = NULL;
				struct sdes_crypto *k = &ns->local_keys[ns->n_local_keys];
				uint32_t tag = 0;
				const char *q;

				for (q = at->value.p; q < at->value.p + at->value.len &&
				     *q >= '0' && *q <= '9'; q++)
					tag = tag * 10 + (uint32_t)(*q - '0');
				for (j = 0; j < n_remote; j++)
					if (remote[j].tag == tag)
						avoid = &remote[j];
				if (avoid == NULL && r->spec.has_rx_key)
					avoid = &r->spec.rx_key;
				if (local_key(at->value, mask, avoid, k, r) < 0) {
					rc = -EINVAL;
					goto out;
				}
				for (j = 0; j < ns->n_local_keys; j++)
					if (ns->local_keys[j].tag == k->tag) {
						rc = fail(r, H248_ERR_BAD_VALUE, "a=crypto: duplicate tag");
						goto out;
					}
				ns->n_local_keys++;
			}
		}
	}
	if (n_remote > 0) {
		struct iq_term_state *ns = &r->next;
		bool bound = false;

		for (i = 0; i < n_remote && !bound; i++)
			for (j = 0; j < ns->n_local_keys && !bound; j++) {
				if (ns->local_keys[j].tag != remote[i].tag)
					continue;
				if (ns->local_keys[j].suite != remote[i].suite) {
					rc = fail(r, H248_ERR_BAD_VALUE,
						  "a=crypto: suite differs for the same tag");
					goto out;
				}
				r->spec.rx_key = remote[i];
				r->spec.tx_key = ns->local_keys[j];
				r->spec.has_rx_key = r->spec.has_tx_key = true;
				/* Unselected keys are discarded (§1.5 step 4). */
				if (j != 0)
					ns->local_keys[0] = ns->local_keys[j];
				for (j = 1; j < ns->n_local_keys; j++)
					sdes_crypto_clear(&ns->local_keys[j]);
				ns->n_local_keys = 1;
				bound = true;
			}
		if (!bound) {
			rc = fail(r, H248_ERR_BAD_VALUE,
				  ns->n_local_keys == 0 ? "a=crypto: no local key for the remote key"
							: "a=crypto: no local line with the remote tag");
			goto out;
		}
	} else if (rm != NULL && rm->n_crypto == 0 && r->spec.has_rx_key) {
		/* A Remote without crypto on an e2ae termination. */
		rc = fail(r, H248_ERR_BAD_VALUE, "e2ae Remote without a=crypto");
		goto out;
	} else if (!r->spec.has_rx_key) {
		/* Before the UE's answer: send with our only key, if one. */
		r->spec.has_tx_key = r->next.n_local_keys == 1;
		if (r->spec.has_tx_key)
			r->spec.tx_key = r->next.local_keys[0];
	}
out:
	for (i = 0; i < IQ_MAP_MAX_KEYS; i++)
		sdes_crypto_clear(&remote[i]);
	return rc;
}

static int
parse_ip(const struct sdp_conn *c, struct cfg_ip *ip)
{
	char buf[64];

	copy_slice(buf, sizeof(buf), c->addr);
	memset(ip, 0, sizeof(*ip));
	if (inet_pton(AF_INET, buf, &ip->a.v4) == 1)
		ip->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, &ip->a.v6) == 1)
		ip->family = AF_INET6;
	else
		return -EINVAL;
	return 0;
}

int
iq_map_stream(struct iq_arena *a, const struct h248_stream *st, const struct iq_term_state *cur,
	      uint32_t suite_mask, struct iq_map_result *r)
{
	struct sdp_desc *ld = NULL, *rd = NULL;
	struct sdp_session *ls = NULL, *rs = NULL;
	struct sdp_media *lm = NULL, *rm = NULL;
	bool is_add = cur == NULL, e2ae;
	int rc;

	memset(r, 0, sizeof(*r));
	if (cur != NULL) {
		r->next = *cur;
		r->spec = cur->spec;
	} else {
		r->spec.mode = CTL_MODE_SENDRECV;
		r->spec.realm = CFG_PORT_ACCESS;
		snprintf(r->next.media, sizeof(r->next.media), "audio");
		snprintf(r->next.proto, sizeof(r->next.proto), "RTP/AVP");
		snprintf(r->next.fmts, sizeof(r->next.fmts), "-");
	}
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

		copy_slice(r->next.media, sizeof(r->next.media), pm->media);
		copy_slice(r->next.proto, sizeof(r->next.proto), pm->proto);
		copy_slice(r->next.fmts, sizeof(r->next.fmts), (lm != NULL ? lm : pm)->fmts);
	}
	if (st != NULL && st->has_lc) {
		bool realm_given = false;
		const struct h248_prop *p;

		for (p = st->lc.props; p != NULL; p = p->next)
			if (iq_str_ieq(p->name, "ipdc/realm"))
				realm_given = true;
		if (is_add && !realm_given)
			r->spec.realm = proto_savp(r->next.proto) ? CFG_PORT_ACCESS : CFG_PORT_CORE;
		rc = map_lc(&st->lc, is_add, r);
		if (rc < 0)
			return rc;
	} else if (is_add) {
		r->spec.realm = proto_savp(r->next.proto) ? CFG_PORT_ACCESS : CFG_PORT_CORE;
	}
	if (strncasecmp(r->next.proto, "RTP/", 4) != 0 && strcmp(r->next.proto, "-") != 0)
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
		if (lm->rtcp_mux || has_attr(ls, NULL, SDP_A_RTCP_MUX))
			r->spec.rtcp_mux = true;
	}
	/* Remote: the peer's address and ports. */
	if (rm != NULL) {
		const struct sdp_conn *c = media_conn(rs, rm);

		if (!c->present || c->addr_choose || parse_ip(c, &r->spec.remote) < 0)
			return fail(r, H248_ERR_BAD_VALUE, "Remote: bad or missing c= address");
		if (rm->port_choose)
			return fail(r, H248_ERR_BAD_VALUE, "Remote: port must be given");
		r->spec.remote_port = rm->port;
		r->spec.remote_rtcp_port = rm->rtcp_port > 0 ? (uint16_t)rm->rtcp_port : 0;
		r->spec.rtcp_mux = rm->rtcp_mux || (lm != NULL && lm->rtcp_mux);
		if (rm->port == 0)
			memset(&r->spec.remote, 0, sizeof(r->spec.remote));
	}

	/* e2e vs e2ae (SPEC.md §1.6): SAVP with Local crypto lines or an
	 * a=3ge2ae attribute is terminated here; SAVP without is relayed. */
	e2ae = proto_savp(r->next.proto) &&
	       ((lm != NULL && lm->n_crypto > 0) || has_attr(ls, lm, SDP_A_3GE2AE) ||
		has_attr(rs, rm, SDP_A_3GE2AE) ||
		(cur != NULL && cur->spec.transport == CTL_TR_SRTP_E2AE && lm == NULL));
	if (!proto_savp(r->next.proto)) {
		if ((lm != NULL && lm->n_crypto > 0) || (rm != NULL && rm->n_crypto > 0))
			return fail(r, H248_ERR_BAD_VALUE, "a=crypto with RTP/AVP");
		r->spec.transport = CTL_TR_RTP;
	} else if (!e2ae) {
		r->spec.transport = CTL_TR_SRTP_E2E;
	} else {
		r->spec.transport = CTL_TR_SRTP_E2AE;
	}
	if (r->spec.transport != CTL_TR_SRTP_E2AE) {
		sdes_crypto_clear(&r->spec.rx_key);
		sdes_crypto_clear(&r->spec.tx_key);
		r->spec.has_rx_key = r->spec.has_tx_key = false;
		while (r->next.n_local_keys > 0)
			sdes_crypto_clear(&r->next.local_keys[--r->next.n_local_keys]);
		return 0;
	}
	if (rm != NULL) {
		/* New remote keys replace the old (rekey, §1.9). */
		sdes_crypto_clear(&r->spec.rx_key);
		r->spec.has_rx_key = false;
	}
	if (lm != NULL && lm->n_crypto > 0) {
		sdes_crypto_clear(&r->spec.tx_key);
		r->spec.has_tx_key = false;
	}
	rc = map_keys(lm, ls, rm, rs, suite_mask, r);
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

int
iq_map_local_reply(struct iq_arena *a, const struct iq_map_result *r,
		   const struct ctl_term_info *info, struct iq_str *out)
{
	char ip[INET6_ADDRSTRLEN], *buf;
	struct sdp_desc *d = r->local;
	struct sdp_session *s;
	struct sdp_media *m;
	struct sdp_attr *at;
	uint16_t i = 0;
	size_t len = 0, cap = 4096;
	int rc;

	cfg_ip_str(&info->local, ip, sizeof(ip));
	if (d == NULL) {
		char text[512];
		int n = snprintf(text, sizeof(text), "v=0\nc=IN %s %s\nm=%s %u %s %s\n",
				 info->local.family == AF_INET6 ? "IP6" : "IP4", ip,
				 r->next.media, info->local_port, r->next.proto, r->next.fmts);
		struct iq_str t;
		size_t k;

		for (k = 0; k < r->next.n_local_keys && n > 0 && (size_t)n < sizeof(text); k++) {
			char line[SDES_LINE_MAX];

			if (sdes_format(&r->next.local_keys[k], line, sizeof(line)) < 0)
				return -EINVAL;
			n += snprintf(text + n, sizeof(text) - (size_t)n, "a=crypto:%s\n", line);
		}
		if (n < 0 || (size_t)n >= sizeof(text))
			return -EINVAL;
		/* Trailing newline trimmed: the codec trims octet strings. */
		rc = iq_arena_strdup(a, text, (size_t)n - 1, &t);
		OPENSSL_cleanse(text, sizeof(text));
		if (rc == 0)
			*out = t;
		return rc;
	}
	s = d->sessions;
	m = r->lmedia;
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
	/* Our keys, matched to the Local lines by tag (SPEC.md §3.5). */
	for (at = m->attrs; at != NULL; at = at->next) {
		char line[SDES_LINE_MAX];
		const struct sdes_crypto *k = NULL;
		uint32_t tag = 0;
		const char *q;
		int n;

		if (at->kind != SDP_A_CRYPTO)
			continue;
		for (q = at->value.p; q < at->value.p + at->value.len && *q >= '0' && *q <= '9'; q++)
			tag = tag * 10 + (uint32_t)(*q - '0');
		for (i = 0; i < r->next.n_local_keys; i++)
			if (r->next.local_keys[i].tag == tag)
				k = &r->next.local_keys[i];
		if (k == NULL) {
			at->kind = SDP_A_OTHER; /* discarded line: dropped below */
			continue;
		}
		n = sdes_format(k, line, sizeof(line));
		if (n < 0)
			return -EINVAL;
		rc = iq_arena_strdup(a, line, (size_t)n, &at->value);
		OPENSSL_cleanse(line, sizeof(line));
		if (rc < 0)
			return rc;
	}
	/* Remove Local crypto lines whose key was discarded. */
	{
		struct sdp_attr **pp = &m->attrs;

		while (*pp != NULL) {
			if ((*pp)->kind == SDP_A_OTHER && iq_str_ieq((*pp)->name, "crypto")) {
				*pp = (*pp)->next;
				m->n_attrs--;
			} else {
				pp = &(*pp)->next;
			}
		}
	}
	buf = iq_arena_alloc(a, cap);
	if (buf == NULL)
		return -ENOMEM;
	rc = sdp_format(d, false, buf, cap, &len);
	if (rc < 0)
		return rc;
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	out->p = buf;
	out->len = (uint32_t)len;
	return 0;
}
