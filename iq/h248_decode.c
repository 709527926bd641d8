/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * H.248.1 v3 text decoder: recursive descent over the Annex B ABNF
 * (SPEC.md §4.1-4.3). Pure; every node goes to the caller's arena; names
 * and values are slices of the input.
 *
 * Error codes follow the level being parsed (SPEC.md §3.12): message header
 * and anything before a TransactionID -> 400; inside a transaction -> 403;
 * inside an action -> 422; inside a command -> 442; bad identifiers -> 410;
 * unsupported descriptors -> 444; bad values -> 449; bad Mode -> 517;
 * version -> 406; bounds and arena -> 510.
 */
#include <errno.h>
#include <string.h>

#include "h248.h"
#include "h248_priv.h"

#define DEF_MAX_LEN 65535u
#define DEF_MAX_DEPTH 16u
#define DEF_MAX_ITEMS 256u
#define DEF_MAX_TXNS 64u

struct dec {
	const char *buf;
	size_t len;
	size_t pos;
	struct iq_arena *a;
	struct h248_limits lim;
	struct h248_error *err;
	uint16_t level;   /* syntax error code for the current level */
	uint16_t depth;
	int rc;           /* first failure's return code */
	bool has_txn;
	enum h248_txn_type txn_type;
	uint32_t txn_id;
};

#define TRY(x) do { if ((x) < 0) return -1; } while (0)

static int
fail_at(struct dec *d, size_t at, uint16_t code, int rc, const char *reason)
{
	if (d->rc == 0) {
		/*
		 * A name or value cut off by the end of the input is a
		 * truncated message, not an unknown item: answer with the
		 * syntax error of the level.
		 */
		if (rc == -EINVAL && d->pos >= d->len && code != H248_ERR_VERSION &&
		    code != H248_ERR_UNAUTHORIZED)
			code = d->level;
		d->rc = rc;
		d->err->offset = (uint32_t)(at > d->len ? d->len : at);
		d->err->code = code;
		d->err->reason = reason;
		d->err->has_txn = d->has_txn;
		d->err->txn_type = d->txn_type;
		d->err->txn_id = d->txn_id;
	}
	return -1;
}

static int
fail(struct dec *d, const char *reason)
{
	return fail_at(d, d->pos, d->level, -EINVAL, reason);
}

static int
fail_code(struct dec *d, uint16_t code, const char *reason)
{
	return fail_at(d, d->pos, code, -EINVAL, reason);
}

static void *
alloc(struct dec *d, size_t n)
{
	void *p = iq_arena_alloc(d->a, n);

	if (p == NULL)
		fail_at(d, d->pos, H248_ERR_RESOURCES, -ENOMEM, "arena exhausted");
	return p;
}

#define NEW(d, T) ((T *)alloc((d), sizeof(T)))

/* Skip LWSP: SP, HTAB, CR, LF and ';' comments to end of line. */
static void
skip_ws(struct dec *d)
{
	while (d->pos < d->len) {
		char c = d->buf[d->pos];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			d->pos++;
		} else if (c == ';') {
			while (d->pos < d->len && d->buf[d->pos] != '\r' &&
			       d->buf[d->pos] != '\n')
				d->pos++;
		} else {
			break;
		}
	}
}

/* Next significant char (after LWSP) or -1 at end of input. */
static int
peek(struct dec *d)
{
	skip_ws(d);
	return d->pos < d->len ? (unsigned char)d->buf[d->pos] : -1;
}

static bool
accept(struct dec *d, char c)
{
	if (peek(d) == (unsigned char)c) {
		d->pos++;
		return true;
	}
	return false;
}

static int
expect(struct dec *d, char c, const char *reason)
{
	if (!accept(d, c))
		return fail(d, reason);
	return 0;
}

static int
open_brace(struct dec *d, char c)
{
	if (!accept(d, c))
		return fail(d, c == '{' ? "expected '{'" : "expected '['");
	if (++d->depth > d->lim.max_depth)
		return fail_at(d, d->pos, H248_ERR_RESOURCES, -E2BIG,
			       "nesting too deep");
	return 0;
}

static int
close_brace(struct dec *d, char c)
{
	if (!accept(d, c))
		return fail(d, c == '}' ? "expected '}' or ','" : "expected ']'");
	d->depth--;
	return 0;
}

/* 1*SafeChar. */
static int
word(struct dec *d, struct iq_str *w)
{
	size_t s;

	skip_ws(d);
	s = d->pos;
	while (d->pos < d->len && h248_is_safe((unsigned char)d->buf[d->pos]))
		d->pos++;
	if (d->pos == s)
		return fail(d, d->pos >= d->len ? "unexpected end of message"
						: "expected a name or value");
	w->p = d->buf + s;
	w->len = (uint32_t)(d->pos - s);
	return 0;
}

static int
parse_u32_str(struct iq_str s, uint32_t *v)
{
	uint64_t x = 0;
	uint32_t i;

	if (s.len == 0 || s.len > 10)
		return -1;
	for (i = 0; i < s.len; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return -1;
		x = x * 10 + (uint64_t)(s.p[i] - '0');
	}
	if (x > UINT32_MAX)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

static int
u32_word(struct dec *d, uint32_t *v, uint16_t code, const char *reason)
{
	struct iq_str w;
	size_t at;

	skip_ws(d);
	at = d->pos;
	TRY(word(d, &w));
	if (parse_u32_str(w, v) < 0)
		return fail_at(d, at, code, -EINVAL, reason);
	return 0;
}

static enum h248_tok
tok_of(struct iq_str w)
{
	return h248_tok_lookup(w);
}

/* Count a list entry against the bound. */
static int
count_item(struct dec *d, uint16_t *n)
{
	if (*n >= d->lim.max_items)
		return fail_at(d, d->pos, H248_ERR_RESOURCES, -E2BIG,
			       "too many items in a list");
	(*n)++;
	return 0;
}

/* ---- values and generic properties ---- */

static int
value(struct dec *d, struct h248_value *v)
{
	int c = peek(d);

	if (c == '"') {
		size_t s = ++d->pos;

		while (d->pos < d->len && d->buf[d->pos] != '"') {
			if (!h248_is_qchar((unsigned char)d->buf[d->pos]))
				return fail(d, "illegal character in quoted string");
			d->pos++;
		}
		if (d->pos >= d->len)
			return fail(d, "unterminated quoted string");
		v->s.p = d->buf + s;
		v->s.len = (uint32_t)(d->pos - s);
		v->quoted = true;
		d->pos++;
		return 0;
	}
	v->quoted = false;
	return word(d, &v->s);
}

static bool
at_op(struct dec *d)
{
	int c = peek(d);

	return c == '=' || c == '#' || c == '<' || c == '>';
}

/*
 * propertyParm / eventParameter / statistic / audit item:
 *   name [ ("=" alternativeValue) / ("#" / "<" / ">") VALUE ]
 * A '{' after a bare name (Embed, DigitMap body, indAud descriptors...) is
 * not supported: 444.
 */
static int
prop(struct dec *d, struct h248_prop **out, bool allow_bare)
{
	struct h248_prop *p = NEW(d, struct h248_prop);
	struct h248_value **tail;
	size_t at;
	int c;

	if (p == NULL)
		return -1;
	skip_ws(d);
	at = d->pos;
	TRY(word(d, &p->name));
	p->tok = tok_of(p->name);
	c = peek(d);
	if (c == '{')
		return fail_code(d, H248_ERR_UNSUPPORTED_DESC,
				 "unsupported nested descriptor");
	if (!at_op(d)) {
		if (!allow_bare)
			return fail_at(d, at, d->level, -EINVAL,
				       "expected '=' after property name");
		p->op = H248_OP_NONE;
		*out = p;
		return 0;
	}
	d->pos++;
	p->op = c == '=' ? H248_OP_EQ : c == '#' ? H248_OP_NE :
		c == '<' ? H248_OP_LT : H248_OP_GT;
	tail = &p->values;
	c = peek(d);
	if (p->op == H248_OP_EQ && (c == '[' || c == '{')) {
		char close = c == '[' ? ']' : '}';

		TRY(open_brace(d, (char)c));
		p->vkind = c == '[' ? H248_V_SUBLIST : H248_V_ALTLIST;
		for (;;) {
			struct h248_value *v = NEW(d, struct h248_value);

			if (v == NULL)
				return -1;
			TRY(count_item(d, &p->n_values));
			TRY(value(d, v));
			*tail = v;
			tail = &v->next;
			if (c == '[' && p->n_values == 1 && accept(d, ':')) {
				v = NEW(d, struct h248_value);
				if (v == NULL)
					return -1;
				TRY(value(d, v));
				*tail = v;
				p->n_values = 2;
				p->vkind = H248_V_RANGE;
				break;
			}
			if (!accept(d, ','))
				break;
		}
		TRY(close_brace(d, close));
	} else {
		struct h248_value *v = NEW(d, struct h248_value);

		if (v == NULL)
			return -1;
		TRY(value(d, v));
		p->vkind = H248_V_SINGLE;
		p->values = v;
		p->n_values = 1;
	}
	*out = p;
	return 0;
}

/* "{ prop (, prop)* }" into a list; braces already expected at peek. */
static int
prop_list(struct dec *d, struct h248_prop **head, uint16_t *n, bool allow_empty,
	  bool allow_bare)
{
	struct h248_prop **tail = head;

	TRY(open_brace(d, '{'));
	if (allow_empty && peek(d) == '}')
		return close_brace(d, '}');
	do {
		struct h248_prop *p = NULL;

		TRY(count_item(d, n));
		TRY(prop(d, &p, allow_bare));
		*tail = p;
		tail = &p->next;
	} while (accept(d, ','));
	return close_brace(d, '}');
}

/* ---- MID ---- */

static bool
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

static int
port_opt(struct dec *d, struct h248_mid *m)
{
	size_t s;
	uint32_t v = 0;

	if (d->pos >= d->len || d->buf[d->pos] != ':')
		return 0;
	s = ++d->pos;
	while (d->pos < d->len && d->buf[d->pos] >= '0' && d->buf[d->pos] <= '9') {
		v = v * 10 + (uint32_t)(d->buf[d->pos] - '0');
		if (v > 65535)
			return fail(d, "port out of range");
		d->pos++;
	}
	if (d->pos == s)
		return fail(d, "expected port number");
	m->has_port = true;
	m->port = (uint16_t)v;
	return 0;
}

/* mId / serviceChangeAddress / MgcIdToTry. @port_only allows "2944". */
static int
mid(struct dec *d, struct h248_mid *m, bool port_only)
{
	int c = peek(d);
	size_t s;

	memset(m, 0, sizeof(*m));
	if (c == '[') {
		bool colon = false, dot = false;

		s = ++d->pos;
		while (d->pos < d->len && d->buf[d->pos] != ']') {
			char ch = d->buf[d->pos];

			if (ch == ':')
				colon = true;
			else if (ch == '.')
				dot = true;
			else if (!is_hex(ch))
				return fail(d, "bad character in address");
			d->pos++;
		}
		if (d->pos >= d->len || d->pos == s || d->pos - s > 45)
			return fail(d, "bad domain address");
		m->addr.p = d->buf + s;
		m->addr.len = (uint32_t)(d->pos - s);
		d->pos++;
		if (colon) {
			m->type = H248_MID_IP6;
		} else {
			uint32_t i;

			m->type = H248_MID_IP4;
			if (!dot)
				return fail(d, "bad IPv4 address");
			for (i = 0; i < m->addr.len; i++)
				if (m->addr.p[i] != '.' &&
				    (m->addr.p[i] < '0' || m->addr.p[i] > '9'))
					return fail(d, "bad IPv4 address");
		}
		return port_opt(d, m);
	}
	if (c == '<') {
		s = ++d->pos;
		while (d->pos < d->len && d->buf[d->pos] != '>') {
			char ch = d->buf[d->pos];

			if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			      (ch >= '0' && ch <= '9') || ch == '-' || ch == '.'))
				return fail(d, "bad character in domain name");
			d->pos++;
		}
		if (d->pos >= d->len || d->pos == s || d->pos - s > 64)
			return fail(d, "bad domain name");
		m->addr.p = d->buf + s;
		m->addr.len = (uint32_t)(d->pos - s);
		m->type = H248_MID_DOMAIN;
		d->pos++;
		return port_opt(d, m);
	}
	{
		struct iq_str w;
		uint32_t v;

		TRY(word(d, &w));
		if (tok_of(w) == H248_TOK_MTP && peek(d) == '{') {
			d->pos++;
			s = d->pos;
			while (d->pos < d->len && is_hex(d->buf[d->pos]))
				d->pos++;
			if (d->pos == s || d->pos - s > 8)
				return fail(d, "bad MTP address");
			m->addr.p = d->buf + s;
			m->addr.len = (uint32_t)(d->pos - s);
			m->type = H248_MID_MTP;
			return expect(d, '}', "expected '}' after MTP address");
		}
		if (port_only && parse_u32_str(w, &v) == 0) {
			if (v > 65535)
				return fail(d, "port out of range");
			m->type = H248_MID_PORT;
			m->has_port = true;
			m->port = (uint16_t)v;
			return 0;
		}
		if (!((w.p[0] >= 'a' && w.p[0] <= 'z') ||
		      (w.p[0] >= 'A' && w.p[0] <= 'Z')) || w.len > 64)
			return fail(d, "bad device name");
		m->type = H248_MID_DEVICE;
		m->addr = w;
		return 0;
	}
}

/* ---- descriptors ---- */

static int
errdesc_body(struct dec *d, struct h248_errdesc *e)
{
	uint32_t code;

	TRY(expect(d, '=', "expected '=' after Error"));
	TRY(u32_word(d, &code, d->level, "bad error code"));
	if (code > 9999)
		return fail(d, "error code out of range");
	e->code = (uint16_t)code;
	TRY(open_brace(d, '{'));
	if (peek(d) == '"') {
		struct h248_value v;

		TRY(value(d, &v));
		e->has_text = true;
		e->text = v.s;
	}
	return close_brace(d, '}');
}

static int
sdp_octets(struct dec *d, struct iq_str *out)
{
	size_t s, e;

	TRY(open_brace(d, '{'));
	s = d->pos;
	while (d->pos < d->len) {
		char c = d->buf[d->pos];

		if (c == '}' && !(d->pos > s && d->buf[d->pos - 1] == '\\'))
			break;
		if (c == '\0')
			return fail(d, "NUL in octet string");
		d->pos++;
	}
	if (d->pos >= d->len)
		return fail(d, "unterminated octet string");
	e = d->pos;
	while (s < e && (d->buf[s] == ' ' || d->buf[s] == '\t' ||
			 d->buf[s] == '\r' || d->buf[s] == '\n'))
		s++;
	while (e > s && (d->buf[e - 1] == ' ' || d->buf[e - 1] == '\t' ||
			 d->buf[e - 1] == '\r' || d->buf[e - 1] == '\n'))
		e--;
	out->p = d->buf + s;
	out->len = (uint32_t)(e - s);
	d->pos++; /* '}' */
	d->depth--;
	return 0;
}

static int
localcontrol(struct dec *d, struct h248_localcontrol *lc)
{
	struct h248_prop **tail = &lc->props;
	uint16_t n = 0;

	TRY(open_brace(d, '{'));
	do {
		struct h248_prop *p = NULL;

		TRY(count_item(d, &n));
		TRY(prop(d, &p, false));
		if (p->tok == H248_TOK_MODE) {
			enum h248_tok t;

			if (p->op != H248_OP_EQ || p->vkind != H248_V_SINGLE ||
			    p->values->quoted)
				return fail_code(d, H248_ERR_BAD_MODE, "bad Mode");
			t = tok_of(p->values->s);
			switch (t) {
			case H248_TOK_SENDONLY: lc->mode = H248_MODE_SENDONLY; break;
			case H248_TOK_RECVONLY: lc->mode = H248_MODE_RECVONLY; break;
			case H248_TOK_SENDRECV: lc->mode = H248_MODE_SENDRECV; break;
			case H248_TOK_INACTIVE: lc->mode = H248_MODE_INACTIVE; break;
			case H248_TOK_LOOPBACK: lc->mode = H248_MODE_LOOPBACK; break;
			default:
				return fail_code(d, H248_ERR_BAD_MODE,
						 "unknown Mode value");
			}
			continue;
		}
		*tail = p;
		tail = &p->next;
		lc->n_props++;
	} while (accept(d, ','));
	return close_brace(d, '}');
}

/* streamParm; returns 1 if the word was not a streamParm. */
static int
stream_parm(struct dec *d, enum h248_tok t, struct h248_stream *st)
{
	switch (t) {
	case H248_TOK_LOCALCONTROL:
		if (st->has_lc)
			return fail(d, "LocalControl appears twice");
		st->has_lc = true;
		return localcontrol(d, &st->lc);
	case H248_TOK_LOCAL:
		if (st->has_local)
			return fail(d, "Local appears twice");
		st->has_local = true;
		return sdp_octets(d, &st->local);
	case H248_TOK_REMOTE:
		if (st->has_remote)
			return fail(d, "Remote appears twice");
		st->has_remote = true;
		return sdp_octets(d, &st->remote);
	case H248_TOK_STATISTICS:
		if (st->has_stats)
			return fail(d, "Statistics appears twice");
		st->has_stats = true;
		if (peek(d) != '{')
			return 0;
		return prop_list(d, &st->stats, &st->n_stats, true, true);
	default:
		return 1;
	}
}

static int
media(struct dec *d, struct h248_media *m)
{
	struct h248_stream **tail = &m->streams;
	struct h248_stream *implicit = NULL;
	uint16_t n = 0;

	TRY(open_brace(d, '{'));
	do {
		struct iq_str w;
		enum h248_tok t;
		size_t at;
		int r;

		TRY(count_item(d, &n));
		skip_ws(d);
		at = d->pos;
		TRY(word(d, &w));
		t = tok_of(w);
		if (t == H248_TOK_STREAM) {
			struct h248_stream *st = NEW(d, struct h248_stream);
			uint32_t id;

			if (st == NULL)
				return -1;
			TRY(expect(d, '=', "expected '=' after Stream"));
			TRY(u32_word(d, &id, H248_ERR_BAD_ID, "bad StreamID"));
			if (id > 65535)
				return fail_code(d, H248_ERR_BAD_ID, "StreamID out of range");
			st->has_id = true;
			st->id = (uint16_t)id;
			TRY(open_brace(d, '{'));
			do {
				skip_ws(d);
				at = d->pos;
				TRY(word(d, &w));
				r = stream_parm(d, tok_of(w), st);
				if (r < 0)
					return -1;
				if (r > 0)
					return fail_at(d, at, H248_ERR_UNSUPPORTED_DESC,
						       -EINVAL, "unknown stream parameter");
			} while (accept(d, ','));
			TRY(close_brace(d, '}'));
			*tail = st;
			tail = &st->next;
			m->n_streams++;
			continue;
		}
		if (t == H248_TOK_TERMINATIONSTATE) {
			if (m->has_ts)
				return fail(d, "TerminationState appears twice");
			m->has_ts = true;
			TRY(prop_list(d, &m->ts, &m->n_ts, false, false));
			continue;
		}
		if (implicit == NULL) {
			implicit = NEW(d, struct h248_stream);
			if (implicit == NULL)
				return -1;
			*tail = implicit;
			tail = &implicit->next;
			m->n_streams++;
		}
		r = stream_parm(d, t, implicit);
		if (r < 0)
			return -1;
		if (r > 0)
			return fail_at(d, at, t != H248_TOK_NONE ?
				       H248_ERR_UNSUPPORTED_DESC : d->level,
				       -EINVAL, "unknown media parameter");
	} while (accept(d, ','));
	return close_brace(d, '}');
}

/* requestedEvent / signalRequest / observedEvent. */
static int
event(struct dec *d, struct h248_event **out, bool observed)
{
	struct h248_event *e = NEW(d, struct h248_event);

	if (e == NULL)
		return -1;
	TRY(word(d, &e->name));
	if (observed && accept(d, ':')) {
		e->has_timestamp = true;
		e->timestamp = e->name;
		TRY(word(d, &e->name));
	}
	if (tok_of(e->name) != H248_TOK_NONE)
		return fail_code(d, H248_ERR_UNSUPPORTED_DESC,
				 "unsupported event/signal construct");
	if (peek(d) == '{') {
		e->has_params = true;
		TRY(prop_list(d, &e->params, &e->n_params, true, true));
	}
	*out = e;
	return 0;
}

static int
events(struct dec *d, struct h248_events *ev, bool observed)
{
	struct h248_event **tail = &ev->events;
	struct iq_str w;

	if (!accept(d, '=')) {
		if (observed)
			return fail(d, "expected '=' after ObservedEvents");
		return 0;
	}
	TRY(word(d, &w));
	ev->has_rid = true;
	if (w.len == 1 && w.p[0] == '*')
		ev->rid = H248_RID_ANY;
	else if (parse_u32_str(w, &ev->rid) < 0)
		return fail_code(d, H248_ERR_BAD_ID, "bad RequestID");
	TRY(open_brace(d, '{'));
	if (peek(d) == '}')
		return close_brace(d, '}');
	do {
		struct h248_event *e = NULL;

		TRY(count_item(d, &ev->n_events));
		TRY(event(d, &e, observed));
		*tail = e;
		tail = &e->next;
	} while (accept(d, ','));
	return close_brace(d, '}');
}

static int
signals(struct dec *d, struct h248_desc *ds)
{
	struct h248_event **tail = &ds->u.list.signals;

	if (peek(d) != '{')
		return 0;
	ds->u.list.has_body = true;
	TRY(open_brace(d, '{'));
	if (peek(d) == '}')
		return close_brace(d, '}');
	do {
		struct h248_event *e = NULL;

		TRY(count_item(d, &ds->u.list.n));
		TRY(event(d, &e, false));
		*tail = e;
		tail = &e->next;
	} while (accept(d, ','));
	return close_brace(d, '}');
}

static bool
is_timestamp(struct iq_str w)
{
	uint32_t i;

	if (w.len != 17 || (w.p[8] != 'T' && w.p[8] != 't'))
		return false;
	for (i = 0; i < 17; i++)
		if (i != 8 && (w.p[i] < '0' || w.p[i] > '9'))
			return false;
	return true;
}

static int
services(struct dec *d, struct h248_services *sv)
{
	struct h248_prop **ext_tail = &sv->ext;
	uint16_t n = 0;

	TRY(open_brace(d, '{'));
	do {
		struct iq_str w;
		enum h248_tok t;
		uint32_t v;
		size_t at;

		TRY(count_item(d, &n));
		skip_ws(d);
		at = d->pos;
		TRY(word(d, &w));
		t = tok_of(w);
		if (t == H248_TOK_SERVICECHANGEINC) {
			sv->incomplete = true;
			continue;
		}
		if (t == H248_TOK_NONE && is_timestamp(w)) {
			sv->has_timestamp = true;
			sv->timestamp = w;
			continue;
		}
		if (t == H248_TOK_NONE && w.len > 2 && (w.p[0] == 'X' || w.p[0] == 'x') &&
		    (w.p[1] == '-' || w.p[1] == '+')) {
			struct h248_prop *p = NULL;

			d->pos = at;
			TRY(prop(d, &p, false));
			*ext_tail = p;
			ext_tail = &p->next;
			sv->n_ext++;
			continue;
		}
		TRY(expect(d, '=', "expected '=' in Services"));
		switch (t) {
		case H248_TOK_METHOD:
			TRY(word(d, &w));
			t = tok_of(w);
			switch (t) {
			case H248_TOK_FAILOVER: case H248_TOK_FORCED:
			case H248_TOK_GRACEFUL: case H248_TOK_RESTART:
			case H248_TOK_DISCONNECTED: case H248_TOK_HANDOFF:
				sv->method = t;
				break;
			default:
				if (w.len > 2 && (w.p[0] == 'X' || w.p[0] == 'x') &&
				    (w.p[1] == '-' || w.p[1] == '+')) {
					sv->method_ext = w;
					break;
				}
				return fail_code(d, H248_ERR_BAD_VALUE,
						 "unknown ServiceChange method");
			}
			break;
		case H248_TOK_REASON:
			sv->has_reason = true;
			TRY(value(d, &sv->reason));
			break;
		case H248_TOK_DELAY:
			TRY(u32_word(d, &sv->delay, d->level, "bad Delay"));
			sv->has_delay = true;
			break;
		case H248_TOK_VERSION:
			TRY(u32_word(d, &v, d->level, "bad Version"));
			if (v > 99)
				return fail(d, "bad Version");
			sv->has_version = true;
			sv->version = (uint8_t)v;
			break;
		case H248_TOK_PROFILE:
			TRY(word(d, &sv->profile));
			sv->has_profile = true;
			break;
		case H248_TOK_SERVICECHANGEADDRESS:
			TRY(mid(d, &sv->address, true));
			sv->has_address = true;
			break;
		case H248_TOK_MGCIDTOTRY:
			TRY(mid(d, &sv->mgcid, false));
			sv->has_mgcid = true;
			break;
		default:
			return fail_at(d, at, H248_ERR_UNSUPPORTED_PARAM, -EINVAL,
				       "unknown ServiceChange parameter");
		}
	} while (accept(d, ','));
	return close_brace(d, '}');
}

static int
descriptor(struct dec *d, struct h248_desc **out)
{
	struct h248_desc *ds = NEW(d, struct h248_desc);
	struct iq_str w;
	enum h248_tok t;
	size_t at;

	if (ds == NULL)
		return -1;
	skip_ws(d);
	at = d->pos;
	TRY(word(d, &w));
	t = tok_of(w);
	*out = ds;
	switch (t) {
	case H248_TOK_MEDIA:
		ds->type = H248_DESC_MEDIA;
		return media(d, &ds->u.media);
	case H248_TOK_EVENTS:
		ds->type = H248_DESC_EVENTS;
		return events(d, &ds->u.events, false);
	case H248_TOK_OBSERVEDEVENTS:
		ds->type = H248_DESC_OBSERVED;
		return events(d, &ds->u.events, true);
	case H248_TOK_SIGNALS:
		ds->type = H248_DESC_SIGNALS;
		return signals(d, ds);
	case H248_TOK_STATISTICS:
	case H248_TOK_AUDIT:
	case H248_TOK_PACKAGES:
		ds->type = t == H248_TOK_STATISTICS ? H248_DESC_STATS :
			   t == H248_TOK_AUDIT ? H248_DESC_AUDIT : H248_DESC_PACKAGES;
		if (peek(d) != '{') {
			if (t == H248_TOK_AUDIT)
				return fail(d, "expected '{' after Audit");
			return 0;
		}
		ds->u.list.has_body = true;
		return prop_list(d, &ds->u.list.items, &ds->u.list.n, true,
				 true);
	case H248_TOK_SERVICES:
		ds->type = H248_DESC_SERVICES;
		return services(d, &ds->u.services);
	case H248_TOK_ERROR:
		ds->type = H248_DESC_ERROR;
		return errdesc_body(d, &ds->u.error);
	case H248_TOK_NONE:
		return fail_at(d, at, d->level, -EINVAL, "expected a descriptor");
	default:
		return fail_at(d, at, H248_ERR_UNSUPPORTED_DESC, -EINVAL,
			       "unsupported descriptor");
	}
}

/* ---- commands, actions, transactions ---- */

static int
command(struct dec *d, struct iq_str w, size_t at, struct h248_command **out)
{
	struct h248_command *c = NEW(d, struct h248_command);
	struct h248_desc **tail;
	uint16_t saved = d->level;

	if (c == NULL)
		return -1;
	for (;;) {
		if (w.len > 2 && (w.p[0] == 'O' || w.p[0] == 'o') && w.p[1] == '-' &&
		    !c->optional && !c->wildcard_reply) {
			c->optional = true;
		} else if (w.len > 2 && (w.p[0] == 'W' || w.p[0] == 'w') &&
			   w.p[1] == '-' && !c->wildcard_reply) {
			c->wildcard_reply = true;
		} else {
			break;
		}
		w.p += 2;
		w.len -= 2;
	}
	switch (tok_of(w)) {
	case H248_TOK_ADD: c->type = H248_CMD_ADD; break;
	case H248_TOK_MODIFY: c->type = H248_CMD_MODIFY; break;
	case H248_TOK_MOVE: c->type = H248_CMD_MOVE; break;
	case H248_TOK_SUBTRACT: c->type = H248_CMD_SUBTRACT; break;
	case H248_TOK_AUDITVALUE: c->type = H248_CMD_AUDITVALUE; break;
	case H248_TOK_AUDITCAP: c->type = H248_CMD_AUDITCAP; break;
	case H248_TOK_NOTIFY: c->type = H248_CMD_NOTIFY; break;
	case H248_TOK_SERVICECHANGE: c->type = H248_CMD_SERVICECHANGE; break;
	default:
		return fail_at(d, at, H248_ERR_UNSUPPORTED_CMD, -EINVAL,
			       "unknown command");
	}
	d->level = H248_ERR_CMD_SYNTAX;
	TRY(expect(d, '=', "expected '=' after command"));
	if (peek(d) == '{')
		return fail_code(d, H248_ERR_CMD_SYNTAX,
				 "TerminationID lists are not supported");
	skip_ws(d);
	at = d->pos;
	TRY(word(d, &c->tid));
	if (c->tid.len > 64)
		return fail_at(d, at, H248_ERR_BAD_ID, -EINVAL,
			       "TerminationID too long");
	if (peek(d) == '{') {
		c->has_body = true;
		TRY(open_brace(d, '{'));
		tail = &c->descs;
		do {
			struct h248_desc *ds = NULL;

			TRY(count_item(d, &c->n_descs));
			TRY(descriptor(d, &ds));
			*tail = ds;
			tail = &ds->next;
		} while (accept(d, ','));
		TRY(close_brace(d, '}'));
	}
	d->level = saved;
	*out = c;
	return 0;
}

/* Context property; returns 1 if the word is not one. */
static int
ctxprop(struct dec *d, enum h248_tok t, struct h248_ctxprops *p)
{
	struct iq_str w;
	uint32_t v;

	switch (t) {
	case H248_TOK_PRIORITY:
		TRY(expect(d, '=', "expected '=' after Priority"));
		TRY(u32_word(d, &v, d->level, "bad Priority"));
		if (v > 15)
			return fail_code(d, H248_ERR_BAD_VALUE, "Priority out of range");
		p->priority = (int16_t)v;
		return 0;
	case H248_TOK_EMERGENCY:
		p->emergency = 1;
		return 0;
	case H248_TOK_EMERGENCYOFF:
		p->emergency = 2;
		return 0;
	case H248_TOK_IEPS:
		TRY(expect(d, '=', "expected '=' after IEPSCall"));
		TRY(word(d, &w));
		t = tok_of(w);
		if (t == H248_TOK_ON)
			p->ieps = 1;
		else if (t == H248_TOK_OFF)
			p->ieps = 2;
		else
			return fail_code(d, H248_ERR_BAD_VALUE, "bad IEPSCall value");
		return 0;
	case H248_TOK_TOPOLOGY:
		p->has_topology = true;
		return prop_list(d, &p->topology, &p->n_topology, false, true);
	case H248_TOK_CONTEXTATTR:
		p->has_attr = true;
		return prop_list(d, &p->attr, &p->n_attr, true, true);
	case H248_TOK_CONTEXTAUDIT:
		p->has_audit = true;
		return prop_list(d, &p->audit, &p->n_audit, true, true);
	default:
		return 1;
	}
}

static int
action(struct dec *d, bool reply, struct h248_action **out)
{
	struct h248_action *ac = NEW(d, struct h248_action);
	struct h248_command **tail;
	struct iq_str w;
	uint16_t saved = d->level;
	size_t at;

	if (ac == NULL)
		return -1;
	ac->props.priority = -1;
	skip_ws(d);
	at = d->pos;
	TRY(word(d, &w));
	if (tok_of(w) != H248_TOK_CONTEXT)
		return fail_at(d, at, d->level, -EINVAL, "expected Context");
	d->level = H248_ERR_ACTION_SYNTAX;
	TRY(expect(d, '=', "expected '=' after Context"));
	skip_ws(d);
	at = d->pos;
	TRY(word(d, &w));
	if (w.len == 1 && w.p[0] == '-')
		ac->ctx_id = H248_CTX_NULL;
	else if (w.len == 1 && w.p[0] == '$')
		ac->ctx_id = H248_CTX_CHOOSE;
	else if (w.len == 1 && w.p[0] == '*')
		ac->ctx_id = H248_CTX_ALL;
	else if (parse_u32_str(w, &ac->ctx_id) < 0 ||
		 ac->ctx_id == 0 || ac->ctx_id >= H248_CTX_CHOOSE)
		return fail_at(d, at, H248_ERR_BAD_ID, -EINVAL, "bad ContextID");
	if (peek(d) != '{') {
		if (!reply)
			return fail(d, "expected '{' after ContextID");
		d->level = saved;
		*out = ac;
		return 0;
	}
	TRY(open_brace(d, '{'));
	tail = &ac->cmds;
	do {
		enum h248_tok t;
		int r;

		if (ac->error != NULL)
			return fail(d, "nothing may follow an action Error");
		skip_ws(d);
		at = d->pos;
		TRY(word(d, &w));
		t = tok_of(w);
		if (reply && t == H248_TOK_ERROR) {
			ac->error = NEW(d, struct h248_errdesc);
			if (ac->error == NULL)
				return -1;
			TRY(errdesc_body(d, ac->error));
			continue;
		}
		r = ctxprop(d, t, &ac->props);
		if (r < 0)
			return -1;
		if (r == 0) {
			if (ac->n_cmds > 0)
				return fail_at(d, at, d->level, -EINVAL,
					       "context property after a command");
			ac->has_props = true;
			continue;
		}
		{
			struct h248_command *c = NULL;

			TRY(count_item(d, &ac->n_cmds));
			TRY(command(d, w, at, &c));
			*tail = c;
			tail = &c->next;
		}
	} while (accept(d, ','));
	TRY(close_brace(d, '}'));
	if (!reply && ac->n_cmds == 0 && !ac->has_props)
		return fail(d, "empty action");
	d->level = saved;
	*out = ac;
	return 0;
}

static int
actions(struct dec *d, bool reply, struct h248_transaction *tx)
{
	struct h248_action **tail = &tx->actions;

	do {
		struct h248_action *ac = NULL;

		TRY(count_item(d, &tx->n_actions));
		TRY(action(d, reply, &ac));
		*tail = ac;
		tail = &ac->next;
	} while (accept(d, ','));
	return 0;
}

/* TransactionID ["/" SegmentNumber ["/" "END"]] as one word. */
static int
txn_id(struct dec *d, struct h248_transaction *tx, bool seg_ok)
{
	struct iq_str w, part;
	const char *slash;
	uint32_t v;
	size_t at;

	skip_ws(d);
	at = d->pos;
	TRY(word(d, &w));
	slash = memchr(w.p, '/', w.len);
	part.p = w.p;
	part.len = slash ? (uint32_t)(slash - w.p) : w.len;
	if (parse_u32_str(part, &tx->id) < 0)
		return fail_at(d, at, H248_ERR_BAD_REQUEST, -EINVAL,
			       "bad TransactionID");
	if (slash == NULL)
		return 0;
	if (!seg_ok)
		return fail_at(d, at, H248_ERR_BAD_REQUEST, -EINVAL,
			       "bad TransactionID");
	part.p = slash + 1;
	part.len = (uint32_t)(w.p + w.len - part.p);
	slash = memchr(part.p, '/', part.len);
	if (slash != NULL)
		part.len = (uint32_t)(slash - part.p);
	if (parse_u32_str(part, &v) < 0 || v > 65535)
		return fail_at(d, at, H248_ERR_BAD_REQUEST, -EINVAL,
			       "bad segment number");
	tx->has_seg = true;
	tx->seg_no = (uint16_t)v;
	if (slash != NULL) {
		part.p = slash + 1;
		part.len = (uint32_t)(w.p + w.len - part.p);
		if (tok_of(part) != H248_TOK_END)
			return fail_at(d, at, H248_ERR_BAD_REQUEST, -EINVAL,
				       "expected END");
		tx->seg_end = true;
	}
	return 0;
}

static int
ack_list(struct dec *d, struct h248_transaction *tx)
{
	struct h248_ack_range **tail = &tx->acks;

	TRY(open_brace(d, '{'));
	do {
		struct h248_ack_range *r = NEW(d, struct h248_ack_range);
		struct iq_str w, a, b;
		const char *dash;
		size_t at;

		if (r == NULL)
			return -1;
		TRY(count_item(d, &tx->n_acks));
		skip_ws(d);
		at = d->pos;
		TRY(word(d, &w));
		dash = memchr(w.p, '-', w.len);
		a.p = w.p;
		a.len = dash ? (uint32_t)(dash - w.p) : w.len;
		if (parse_u32_str(a, &r->first) < 0)
			return fail_at(d, at, d->level, -EINVAL, "bad ack id");
		r->last = r->first;
		if (dash != NULL) {
			b.p = dash + 1;
			b.len = (uint32_t)(w.p + w.len - b.p);
			if (parse_u32_str(b, &r->last) < 0 || r->last < r->first)
				return fail_at(d, at, d->level, -EINVAL,
					       "bad ack range");
		}
		*tail = r;
		tail = &r->next;
	} while (accept(d, ','));
	return close_brace(d, '}');
}

static int
transaction(struct dec *d, struct h248_transaction **out)
{
	struct h248_transaction *tx = NEW(d, struct h248_transaction);
	struct iq_str w;
	size_t at;

	if (tx == NULL)
		return -1;
	d->level = H248_ERR_BAD_REQUEST;
	d->has_txn = false;
	skip_ws(d);
	at = d->pos;
	TRY(word(d, &w));
	switch (tok_of(w)) {
	case H248_TOK_TRANSACTION:
		tx->type = H248_TXN_REQUEST;
		break;
	case H248_TOK_REPLY:
		tx->type = H248_TXN_REPLY;
		break;
	case H248_TOK_PENDING:
		tx->type = H248_TXN_PENDING;
		break;
	case H248_TOK_RESPONSEACK:
		tx->type = H248_TXN_RESPACK;
		break;
	case H248_TOK_SEGMENT:
		tx->type = H248_TXN_SEGREPLY;
		break;
	default:
		return fail_at(d, at, H248_ERR_BAD_REQUEST, -EINVAL,
			       "expected a transaction");
	}
	*out = tx;
	if (tx->type == H248_TXN_RESPACK) {
		d->level = H248_ERR_BAD_REQUEST;
		return ack_list(d, tx);
	}
	TRY(expect(d, '=', "expected '=' after transaction keyword"));
	TRY(txn_id(d, tx, tx->type == H248_TXN_REPLY ||
			  tx->type == H248_TXN_SEGREPLY));
	if (tx->type == H248_TXN_SEGREPLY) {
		if (!tx->has_seg)
			return fail(d, "Segment needs a segment number");
		return 0;
	}
	d->has_txn = true;
	d->txn_type = tx->type;
	d->txn_id = tx->id;
	d->level = H248_ERR_TXN_SYNTAX;
	if (tx->type == H248_TXN_PENDING) {
		TRY(open_brace(d, '{'));
		return close_brace(d, '}');
	}
	TRY(open_brace(d, '{'));
	if (tx->type == H248_TXN_REPLY) {
		struct dec save = *d;

		skip_ws(d);
		at = d->pos;
		if (word(d, &w) == 0 && tok_of(w) == H248_TOK_IMMACKREQUIRED) {
			tx->imm_ack = true;
			TRY(expect(d, ',', "expected ',' after ImmAckRequired"));
		} else {
			*d = save;
		}
		skip_ws(d);
		save = *d;
		if (word(d, &w) == 0 && tok_of(w) == H248_TOK_ERROR) {
			tx->error = NEW(d, struct h248_errdesc);
			if (tx->error == NULL)
				return -1;
			TRY(errdesc_body(d, tx->error));
			return close_brace(d, '}');
		}
		*d = save;
		(void)at;
	}
	TRY(actions(d, tx->type == H248_TXN_REPLY, tx));
	TRY(close_brace(d, '}'));
	return 0;
}

static int
message(struct dec *d, struct h248_message *m)
{
	struct h248_transaction **tail;
	struct iq_str w, v;
	const char *slash;
	uint32_t ver;
	size_t at, before;

	d->level = H248_ERR_BAD_REQUEST;
	skip_ws(d);
	at = d->pos;
	TRY(word(d, &w));
	if (tok_of(w) == H248_TOK_AUTH)
		return fail_at(d, at, H248_ERR_UNAUTHORIZED, -EINVAL,
			       "authentication header not supported");
	slash = memchr(w.p, '/', w.len);
	if (slash == NULL)
		return fail_at(d, at, H248_ERR_BAD_REQUEST, -EINVAL,
			       "expected MEGACO/version");
	v.p = w.p;
	v.len = (uint32_t)(slash - w.p);
	if (tok_of(v) != H248_TOK_MEGACO)
		return fail_at(d, at, H248_ERR_BAD_REQUEST, -EINVAL,
			       "expected MEGACO/version");
	v.p = slash + 1;
	v.len = (uint32_t)(w.p + w.len - v.p);
	if (v.len > 2 || parse_u32_str(v, &ver) < 0)
		return fail_at(d, at, H248_ERR_BAD_REQUEST, -EINVAL,
			       "bad version");
	if (ver < 1 || ver > 3)
		return fail_at(d, at, H248_ERR_VERSION, -EINVAL,
			       "version not supported");
	m->version = (uint8_t)ver;
	before = d->pos;
	skip_ws(d);
	if (d->pos == before)
		return fail(d, "expected whitespace after version");
	TRY(mid(d, &m->mid, false));
	before = d->pos;
	skip_ws(d);
	if (d->pos == before)
		return fail(d, d->pos >= d->len ? "unexpected end of message" :
						  "expected whitespace after mId");
	at = d->pos;
	{
		struct dec save = *d;

		if (word(d, &w) == 0 && tok_of(w) == H248_TOK_ERROR) {
			m->error = NEW(d, struct h248_errdesc);
			if (m->error == NULL)
				return -1;
			TRY(errdesc_body(d, m->error));
			if (peek(d) != -1)
				return fail(d, "trailing data after message Error");
			return 0;
		}
		*d = save;
	}
	tail = &m->txns;
	do {
		struct h248_transaction *tx = NULL;

		if (m->n_txns >= d->lim.max_txns)
			return fail_at(d, d->pos, H248_ERR_RESOURCES, -E2BIG,
				       "too many transactions");
		m->n_txns++;
		TRY(transaction(d, &tx));
		*tail = tx;
		tail = &tx->next;
	} while (peek(d) != -1);
	(void)at;
	return 0;
}

int
h248_decode(const char *buf, size_t len, struct iq_arena *arena,
	    const struct h248_limits *lim, struct h248_message **out,
	    struct h248_error *err)
{
	struct h248_error dummy;
	struct h248_message *m;
	struct dec d;

	memset(&d, 0, sizeof(d));
	d.err = err != NULL ? err : &dummy;
	memset(d.err, 0, sizeof(*d.err));
	d.buf = buf;
	d.len = len;
	d.a = arena;
	if (lim != NULL)
		d.lim = *lim;
	if (d.lim.max_len == 0)
		d.lim.max_len = DEF_MAX_LEN;
	if (d.lim.max_depth == 0)
		d.lim.max_depth = DEF_MAX_DEPTH;
	if (d.lim.max_items == 0)
		d.lim.max_items = DEF_MAX_ITEMS;
	if (d.lim.max_txns == 0)
		d.lim.max_txns = DEF_MAX_TXNS;
	d.level = H248_ERR_BAD_REQUEST;
	if (buf == NULL || arena == NULL || out == NULL) {
		fail_at(&d, 0, H248_ERR_INTERNAL, -EINVAL, "bad arguments");
		return d.rc;
	}
	if (len > d.lim.max_len) {
		fail_at(&d, d.lim.max_len, H248_ERR_RESOURCES, -E2BIG,
			"message too long");
		return d.rc;
	}
	m = NEW(&d, struct h248_message);
	if (m == NULL)
		return d.rc;
	if (message(&d, m) < 0) {
		if (d.rc == 0)
			fail(&d, "syntax error");
		return d.rc;
	}
	*out = m;
	return 0;
}
