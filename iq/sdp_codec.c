/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SDP parse/format for the descriptions Iq carries (RFC 4566 line syntax,
 * H.248 relaxations of SPEC.md §4.3). Pure.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sdp.h"

#define DEF_MAX_LEN 16384u
#define DEF_MAX_LINES 256u
#define DEF_MAX_LINE_LEN 2048u
#define DEF_MAX_SESSIONS 8u
#define DEF_MAX_MEDIA 16u

struct pstate {
	const char *buf;
	struct iq_arena *a;
	struct sdp_limits lim;
	struct sdp_error *err;
	uint32_t line;
	size_t line_off;
	int rc;
};

static int
pfail(struct pstate *s, int rc, size_t off, const char *reason)
{
	if (s->rc == 0) {
		s->rc = rc;
		s->err->line = s->line;
		s->err->offset = (uint32_t)off;
		s->err->reason = reason;
	}
	return -1;
}

static void *
palloc(struct pstate *s, size_t n)
{
	void *p = iq_arena_alloc(s->a, n);

	if (p == NULL)
		pfail(s, -ENOMEM, s->line_off, "arena exhausted");
	return p;
}

static const struct {
	const char *name;
	enum sdp_attr_kind kind;
} attr_tab[] = {
	{ "crypto", SDP_A_CRYPTO },
	{ "rtcp", SDP_A_RTCP },
	{ "rtcp-mux", SDP_A_RTCP_MUX },
	{ "ptime", SDP_A_PTIME },
	{ "rtpmap", SDP_A_RTPMAP },
	{ "fmtp", SDP_A_FMTP },
	{ "fingerprint", SDP_A_FINGERPRINT },
	{ "setup", SDP_A_SETUP },
	{ "connection", SDP_A_CONNECTION },
	{ "path", SDP_A_PATH },
	{ "3ge2ae", SDP_A_3GE2AE },
	{ "sendrecv", SDP_A_SENDRECV },
	{ "sendonly", SDP_A_SENDONLY },
	{ "recvonly", SDP_A_RECVONLY },
	{ "inactive", SDP_A_INACTIVE },
	{ "accept-types", SDP_A_ACCEPT_TYPES },
	{ "msrp-cema", SDP_A_MSRP_CEMA },
};

bool
sdp_is_choose(struct iq_str s)
{
	return s.len == 1 && s.p[0] == '$';
}

const struct sdp_attr *
sdp_attr_next(const struct sdp_attr *list, enum sdp_attr_kind kind,
	      const struct sdp_attr *after)
{
	const struct sdp_attr *a = after != NULL ? after->next : list;

	for (; a != NULL; a = a->next)
		if (a->kind == kind)
			return a;
	return NULL;
}

/* Split off the next space-separated field of *rest. */
static bool
field(struct iq_str *rest, struct iq_str *f)
{
	uint32_t i = 0;

	while (i < rest->len && rest->p[i] == ' ')
		i++;
	rest->p += i;
	rest->len -= i;
	if (rest->len == 0)
		return false;
	for (i = 0; i < rest->len && rest->p[i] != ' '; i++)
		;
	f->p = rest->p;
	f->len = i;
	rest->p += i;
	rest->len -= i;
	return true;
}

static void
trim(struct iq_str *s)
{
	while (s->len > 0 && (s->p[0] == ' ' || s->p[0] == '\t')) {
		s->p++;
		s->len--;
	}
	while (s->len > 0 && (s->p[s->len - 1] == ' ' || s->p[s->len - 1] == '\t'))
		s->len--;
}

static int
parse_uint(struct iq_str s, uint32_t max, uint32_t *v)
{
	uint32_t x = 0, i;

	if (s.len == 0 || s.len > 10)
		return -1;
	for (i = 0; i < s.len; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return -1;
		if (x > (max - (uint32_t)(s.p[i] - '0')) / 10)
			return -1;
		x = x * 10 + (uint32_t)(s.p[i] - '0');
	}
	*v = x;
	return 0;
}

static int
conn(struct pstate *s, struct iq_str v, struct sdp_conn *c)
{
	struct iq_str rest = v, extra;

	if (c->present)
		return pfail(s, -EINVAL, s->line_off, "duplicate c= line");
	if (!field(&rest, &c->nettype) || !field(&rest, &c->addrtype) ||
	    !field(&rest, &c->addr) || field(&rest, &extra))
		return pfail(s, -EINVAL, s->line_off,
			     "c= needs <nettype> <addrtype> <address>");
	c->present = true;
	c->addr_choose = sdp_is_choose(c->addr);
	return 0;
}

static int
mline(struct pstate *s, struct iq_str v, struct sdp_media *m)
{
	struct iq_str rest = v, port, n;
	const char *slash;
	uint32_t x;

	if (!field(&rest, &m->media) || !field(&rest, &port) ||
	    !field(&rest, &m->proto))
		return pfail(s, -EINVAL, s->line_off,
			     "m= needs <media> <port> <proto> [fmt...]");
	trim(&rest);
	m->fmts = rest;
	if (sdp_is_choose(port)) {
		m->port_choose = true;
	} else {
		slash = memchr(port.p, '/', port.len);
		n.p = port.p;
		n.len = slash ? (uint32_t)(slash - port.p) : port.len;
		if (parse_uint(n, 65535, &x) < 0)
			return pfail(s, -EINVAL, s->line_off, "bad m= port");
		m->port = (uint16_t)x;
		if (slash != NULL) {
			n.p = slash + 1;
			n.len = (uint32_t)(port.p + port.len - n.p);
			if (parse_uint(n, 65535, &x) < 0 || x == 0)
				return pfail(s, -EINVAL, s->line_off,
					     "bad m= port count");
			m->has_nports = true;
			m->nports = (uint16_t)x;
		}
	}
	m->rtcp_port = -1;
	return 0;
}

static int
attr(struct pstate *s, struct iq_str v, struct sdp_attr **out)
{
	struct sdp_attr *a = palloc(s, sizeof(*a));
	const char *colon;
	size_t i;

	if (a == NULL)
		return -1;
	colon = memchr(v.p, ':', v.len);
	a->name.p = v.p;
	a->name.len = colon ? (uint32_t)(colon - v.p) : v.len;
	if (a->name.len == 0)
		return pfail(s, -EINVAL, s->line_off, "empty attribute name");
	for (i = 0; i < a->name.len; i++)
		if (a->name.p[i] == ' ' || a->name.p[i] == '\t')
			return pfail(s, -EINVAL, s->line_off,
				     "space in attribute name");
	if (colon != NULL) {
		a->has_value = true;
		a->value.p = colon + 1;
		a->value.len = (uint32_t)(v.p + v.len - a->value.p);
	}
	for (i = 0; i < sizeof(attr_tab) / sizeof(attr_tab[0]); i++) {
		if (a->name.len == strlen(attr_tab[i].name) &&
		    memcmp(a->name.p, attr_tab[i].name, a->name.len) == 0) {
			a->kind = attr_tab[i].kind;
			break;
		}
	}
	*out = a;
	return 0;
}

static void
media_derive(struct sdp_media *m, const struct sdp_attr *a)
{
	struct iq_str rest, f;
	uint32_t x;

	switch (a->kind) {
	case SDP_A_RTCP_MUX:
		m->rtcp_mux = true;
		break;
	case SDP_A_RTCP:
		rest = a->value;
		if (field(&rest, &f) && parse_uint(f, 65535, &x) == 0)
			m->rtcp_port = (int32_t)x;
		break;
	case SDP_A_PTIME:
		rest = a->value;
		if (field(&rest, &f) && parse_uint(f, 100000, &x) == 0)
			m->ptime = x;
		break;
	case SDP_A_CRYPTO:
		m->n_crypto++;
		break;
	default:
		break;
	}
}

int
sdp_parse(const char *buf, size_t len, struct iq_arena *arena,
	  const struct sdp_limits *lim, struct sdp_desc **out,
	  struct sdp_error *err)
{
	struct sdp_error dummy;
	struct sdp_session *sess = NULL, **sess_tail;
	struct sdp_media *med = NULL, **med_tail = NULL;
	struct sdp_attr **attr_tail = NULL;
	struct sdp_line **line_tail = NULL;
	struct sdp_desc *d;
	struct pstate s;
	size_t pos = 0;
	uint32_t nlines = 0;

	memset(&s, 0, sizeof(s));
	s.err = err != NULL ? err : &dummy;
	memset(s.err, 0, sizeof(*s.err));
	s.buf = buf;
	s.a = arena;
	if (lim != NULL)
		s.lim = *lim;
	if (s.lim.max_len == 0)
		s.lim.max_len = DEF_MAX_LEN;
	if (s.lim.max_lines == 0)
		s.lim.max_lines = DEF_MAX_LINES;
	if (s.lim.max_line_len == 0)
		s.lim.max_line_len = DEF_MAX_LINE_LEN;
	if (s.lim.max_sessions == 0)
		s.lim.max_sessions = DEF_MAX_SESSIONS;
	if (s.lim.max_media == 0)
		s.lim.max_media = DEF_MAX_MEDIA;
	if (buf == NULL || arena == NULL || out == NULL) {
		pfail(&s, -EINVAL, 0, "bad arguments");
		return s.rc;
	}
	if (len > s.lim.max_len) {
		pfail(&s, -E2BIG, s.lim.max_len, "SDP too long");
		return s.rc;
	}
	d = palloc(&s, sizeof(*d));
	if (d == NULL)
		return s.rc;
	sess_tail = &d->sessions;

	while (pos < len) {
		size_t start = pos, end;
		struct iq_str v;
		char type;

		while (pos < len && buf[pos] != '\n' && buf[pos] != '\r')
			pos++;
		end = pos;
		if (pos < len && buf[pos] == '\r') {
			pos++;
			if (pos < len && buf[pos] == '\n') {
				pos++;
				d->crlf = true;
			}
		} else if (pos < len) {
			pos++;
		}
		s.line++;
		s.line_off = start;
		/* H.248 bodies are often indented: ignore leading blanks. */
		while (start < end && (buf[start] == ' ' || buf[start] == '\t'))
			start++;
		if (start == end)
			continue;
		if (++nlines > s.lim.max_lines) {
			pfail(&s, -E2BIG, start, "too many lines");
			return s.rc;
		}
		if (end - start > s.lim.max_line_len) {
			pfail(&s, -E2BIG, start, "line too long");
			return s.rc;
		}
		{
			size_t i;

			for (i = start; i < end; i++)
				if (buf[i] == '\0' || buf[i] == '}') {
					pfail(&s, -EINVAL, i,
					      "illegal character in line");
					return s.rc;
				}
		}
		if (end - start < 2 || buf[start + 1] != '=' ||
		    buf[start] < 'a' || buf[start] > 'z') {
			pfail(&s, -EINVAL, start, "expected <type>=<value>");
			return s.rc;
		}
		type = buf[start];
		v.p = buf + start + 2;
		v.len = (uint32_t)(end - start - 2);
		while (v.len > 0 && (v.p[v.len - 1] == ' ' || v.p[v.len - 1] == '\t'))
			v.len--;

		if (type == 'v' || sess == NULL) {
			if (d->n_sessions >= s.lim.max_sessions) {
				pfail(&s, -E2BIG, start, "too many descriptions");
				return s.rc;
			}
			sess = palloc(&s, sizeof(*sess));
			if (sess == NULL)
				return s.rc;
			*sess_tail = sess;
			sess_tail = &sess->next;
			d->n_sessions++;
			med = NULL;
			med_tail = &sess->media;
			attr_tail = &sess->attrs;
			line_tail = &sess->lines;
			if (type == 'v') {
				if (v.len != 1 || v.p[0] != '0') {
					pfail(&s, -EINVAL, start, "v= must be 0");
					return s.rc;
				}
				sess->has_v = true;
				continue;
			}
		}
		switch (type) {
		case 'm':
			if (sess->n_media >= s.lim.max_media) {
				pfail(&s, -E2BIG, start, "too many m= lines");
				return s.rc;
			}
			med = palloc(&s, sizeof(*med));
			if (med == NULL || mline(&s, v, med) < 0)
				return s.rc;
			*med_tail = med;
			med_tail = &med->next;
			sess->n_media++;
			attr_tail = &med->attrs;
			line_tail = &med->lines;
			continue;
		case 'c':
			if (conn(&s, v, med != NULL ? &med->conn : &sess->conn) < 0)
				return s.rc;
			continue;
		case 'a': {
			struct sdp_attr *a;

			if (attr(&s, v, &a) < 0)
				return s.rc;
			*attr_tail = a;
			attr_tail = &a->next;
			if (med != NULL) {
				med->n_attrs++;
				media_derive(med, a);
			} else {
				sess->n_attrs++;
			}
			continue;
		}
		case 'o':
		case 's':
		case 't':
			if (med == NULL) {
				bool *has = type == 'o' ? &sess->has_o :
					    type == 's' ? &sess->has_s : &sess->has_t;
				struct iq_str *f = type == 'o' ? &sess->origin :
						   type == 's' ? &sess->name :
								 &sess->timing;

				if (*has) {
					pfail(&s, -EINVAL, start, "duplicate line");
					return s.rc;
				}
				*has = true;
				*f = v;
				continue;
			}
			pfail(&s, -EINVAL, start, "session line inside media");
			return s.rc;
		default: {
			struct sdp_line *l = palloc(&s, sizeof(*l));

			if (l == NULL)
				return s.rc;
			l->type = type;
			l->value = v;
			*line_tail = l;
			line_tail = &l->next;
			if (med != NULL)
				med->n_lines++;
			else
				sess->n_lines++;
			continue;
		}
		}
	}
	if (d->n_sessions == 0) {
		pfail(&s, -EINVAL, 0, "empty SDP");
		return s.rc;
	}
	*out = d;
	return 0;
}

/* ---- format ---- */

struct fstate {
	char *out;
	size_t cap;
	size_t len;
	const char *eol;
	bool bad;
};

static void
fput(struct fstate *f, const char *p, size_t n)
{
	if (f->len < f->cap) {
		size_t room = f->cap - f->len;

		memcpy(f->out + f->len, p, n < room ? n : room);
	}
	f->len += n;
}

static void
fstr(struct fstate *f, struct iq_str s)
{
	uint32_t i;

	for (i = 0; i < s.len; i++)
		if (s.p[i] == '\r' || s.p[i] == '\n' || s.p[i] == '\0' ||
		    s.p[i] == '}')
			f->bad = true;
	fput(f, s.p, s.len);
}

static void
fline(struct fstate *f, char type, struct iq_str v)
{
	char h[2] = { type, '=' };

	fput(f, h, 2);
	fstr(f, v);
	fput(f, f->eol, strlen(f->eol));
}

static void
fconn(struct fstate *f, const struct sdp_conn *c)
{
	if (!c->present)
		return;
	if (c->nettype.len == 0 || c->addrtype.len == 0 || c->addr.len == 0)
		f->bad = true;
	fput(f, "c=", 2);
	fstr(f, c->nettype);
	fput(f, " ", 1);
	fstr(f, c->addrtype);
	fput(f, " ", 1);
	fstr(f, c->addr);
	fput(f, f->eol, strlen(f->eol));
}

static void
flines(struct fstate *f, const struct sdp_line *l, const char *types, bool in)
{
	for (; l != NULL; l = l->next) {
		bool match = strchr(types, l->type) != NULL;

		if (match == in)
			fline(f, l->type, l->value);
	}
}

static void
fattrs(struct fstate *f, const struct sdp_attr *a)
{
	for (; a != NULL; a = a->next) {
		if (a->name.len == 0)
			f->bad = true;
		fput(f, "a=", 2);
		fstr(f, a->name);
		if (a->has_value) {
			fput(f, ":", 1);
			fstr(f, a->value);
		}
		fput(f, f->eol, strlen(f->eol));
	}
}

static void
fmedia(struct fstate *f, const struct sdp_media *m)
{
	char num[16];
	int n;

	if (m->media.len == 0 || m->proto.len == 0)
		f->bad = true;
	fput(f, "m=", 2);
	fstr(f, m->media);
	fput(f, " ", 1);
	if (m->port_choose) {
		fput(f, "$", 1);
	} else {
		n = snprintf(num, sizeof(num), "%u", m->port);
		fput(f, num, (size_t)n);
		if (m->has_nports) {
			n = snprintf(num, sizeof(num), "/%u", m->nports);
			fput(f, num, (size_t)n);
		}
	}
	fput(f, " ", 1);
	fstr(f, m->proto);
	if (m->fmts.len > 0) {
		fput(f, " ", 1);
		fstr(f, m->fmts);
	}
	fput(f, f->eol, strlen(f->eol));
	flines(f, m->lines, "i", true);
	fconn(f, &m->conn);
	flines(f, m->lines, "i", false);
	fattrs(f, m->attrs);
}

int
sdp_format(const struct sdp_desc *d, bool crlf, char *out, size_t cap,
	   size_t *out_len)
{
	const struct sdp_session *s;
	const struct sdp_media *m;
	struct fstate f;

	if (d == NULL)
		return -EINVAL;
	memset(&f, 0, sizeof(f));
	f.out = out;
	f.cap = out != NULL ? cap : 0;
	f.eol = crlf ? "\r\n" : "\n";
	for (s = d->sessions; s != NULL; s = s->next) {
		if (s->has_v) {
			fput(&f, "v=0", 3);
			fput(&f, f.eol, strlen(f.eol));
		}
		if (s->has_o)
			fline(&f, 'o', s->origin);
		if (s->has_s)
			fline(&f, 's', s->name);
		flines(&f, s->lines, "iuep", true);
		fconn(&f, &s->conn);
		flines(&f, s->lines, "b", true);
		if (s->has_t)
			fline(&f, 't', s->timing);
		flines(&f, s->lines, "iuepb", false);
		fattrs(&f, s->attrs);
		for (m = s->media; m != NULL; m = m->next)
			fmedia(&f, m);
	}
	if (out_len != NULL)
		*out_len = f.len;
	if (f.bad)
		return -EINVAL;
	if (f.len > f.cap)
		return -ENOSPC;
	if (f.len < f.cap)
		f.out[f.len] = '\0';
	return 0;
}
