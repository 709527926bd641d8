/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * H.248.1 v3 text encoder (SPEC.md §4). Pure. Two layouts:
 * pretty (long tokens, one item per line, two-space indent, SDP bodies on
 * their own lines at column 0) and compact (compact tokens, no layout
 * whitespace except the SEP after the version and the mId).
 * The encoder writes every field of the tree, so two trees are equal iff
 * their encodings (in either layout) are equal.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "h248.h"
#include "h248_priv.h"

#define MAX_NEST 64

struct enc {
	char *out;
	size_t cap;
	size_t len;
	enum h248_layout layout;
	int depth;
	uint16_t items[MAX_NEST]; /* items written at each open level */
	bool bad;                 /* tree not encodable */
};

static void
put(struct enc *e, const char *s, size_t n)
{
	if (e->len < e->cap) {
		size_t room = e->cap - e->len;

		memcpy(e->out + e->len, s, n < room ? n : room);
	}
	e->len += n;
}

static void
puts_(struct enc *e, const char *s)
{
	put(e, s, strlen(s));
}

static void
putc_(struct enc *e, char c)
{
	put(e, &c, 1);
}

static void
putu(struct enc *e, uint32_t v)
{
	char b[16];
	int n = snprintf(b, sizeof(b), "%u", v);

	put(e, b, (size_t)n);
}

static bool
pretty(const struct enc *e)
{
	return e->layout == H248_LAYOUT_PRETTY;
}

static void
tok(struct enc *e, enum h248_tok t)
{
	puts_(e, h248_tok_str(t, e->layout));
}

static void
eq(struct enc *e)
{
	puts_(e, pretty(e) ? " = " : "=");
}

static void
indent(struct enc *e)
{
	int i;

	for (i = 0; i < e->depth; i++)
		puts_(e, "  ");
}

/* Open a block of items: " {" / "{". */
static void
open_(struct enc *e)
{
	puts_(e, pretty(e) ? " {" : "{");
	if (e->depth + 1 >= MAX_NEST) {
		e->bad = true;
		return;
	}
	e->depth++;
	e->items[e->depth] = 0;
}

/* Before each item of the current block. */
static void
item(struct enc *e)
{
	if (e->items[e->depth]++ > 0)
		putc_(e, ',');
	if (pretty(e)) {
		putc_(e, '\n');
		indent(e);
	}
}

static void
close_(struct enc *e)
{
	uint16_t n = e->items[e->depth];

	if (e->depth > 0)
		e->depth--;
	if (pretty(e)) {
		if (n > 0) {
			putc_(e, '\n');
			indent(e);
		} else {
			putc_(e, ' ');
		}
	}
	putc_(e, '}');
}

/* A SafeChar run (names, unquoted values, TerminationIDs). */
static void
safe(struct enc *e, struct iq_str s)
{
	uint32_t i;

	if (s.len == 0)
		e->bad = true;
	for (i = 0; i < s.len; i++)
		if (!h248_is_safe((unsigned char)s.p[i]))
			e->bad = true;
	put(e, s.p, s.len);
}

static void
quoted(struct enc *e, struct iq_str s)
{
	uint32_t i;

	for (i = 0; i < s.len; i++)
		if (!h248_is_qchar((unsigned char)s.p[i]))
			e->bad = true;
	putc_(e, '"');
	put(e, s.p, s.len);
	putc_(e, '"');
}

static void
value(struct enc *e, const struct h248_value *v)
{
	if (v->quoted)
		quoted(e, v->s);
	else
		safe(e, v->s);
}

static void
name(struct enc *e, enum h248_tok t, struct iq_str s)
{
	if (t != H248_TOK_NONE)
		tok(e, t);
	else
		safe(e, s);
}

static void
prop(struct enc *e, const struct h248_prop *p)
{
	const struct h248_value *v;
	const char *sep = pretty(e) ? ", " : ",";

	name(e, p->tok, p->name);
	switch (p->op) {
	case H248_OP_NONE:
		return;
	case H248_OP_EQ:
		eq(e);
		break;
	case H248_OP_NE:
		puts_(e, pretty(e) ? " # " : "#");
		break;
	case H248_OP_LT:
		puts_(e, pretty(e) ? " < " : "<");
		break;
	case H248_OP_GT:
		puts_(e, pretty(e) ? " > " : ">");
		break;
	}
	if (p->values == NULL) {
		e->bad = true;
		return;
	}
	switch (p->vkind) {
	case H248_V_SINGLE:
		value(e, p->values);
		return;
	case H248_V_RANGE:
		putc_(e, '[');
		value(e, p->values);
		putc_(e, ':');
		if (p->values->next == NULL)
			e->bad = true;
		else
			value(e, p->values->next);
		putc_(e, ']');
		return;
	case H248_V_SUBLIST:
	case H248_V_ALTLIST:
		putc_(e, p->vkind == H248_V_SUBLIST ? '[' : '{');
		for (v = p->values; v != NULL; v = v->next) {
			value(e, v);
			if (v->next != NULL)
				puts_(e, sep);
		}
		putc_(e, p->vkind == H248_V_SUBLIST ? ']' : '}');
		return;
	}
}

static void
prop_block(struct enc *e, const struct h248_prop *p)
{
	open_(e);
	for (; p != NULL; p = p->next) {
		item(e);
		prop(e, p);
	}
	close_(e);
}

static void
mid(struct enc *e, const struct h248_mid *m)
{
	switch (m->type) {
	case H248_MID_IP4:
	case H248_MID_IP6:
		putc_(e, '[');
		put(e, m->addr.p, m->addr.len);
		putc_(e, ']');
		break;
	case H248_MID_DOMAIN:
		putc_(e, '<');
		put(e, m->addr.p, m->addr.len);
		putc_(e, '>');
		break;
	case H248_MID_DEVICE:
		safe(e, m->addr);
		return;
	case H248_MID_MTP:
		tok(e, H248_TOK_MTP);
		putc_(e, '{');
		put(e, m->addr.p, m->addr.len);
		putc_(e, '}');
		return;
	case H248_MID_PORT:
		putu(e, m->port);
		return;
	default:
		e->bad = true;
		return;
	}
	if (m->has_port) {
		putc_(e, ':');
		putu(e, m->port);
	}
}

static void
errdesc(struct enc *e, const struct h248_errdesc *er)
{
	tok(e, H248_TOK_ERROR);
	eq(e);
	putu(e, er->code);
	puts_(e, pretty(e) ? " { " : "{");
	if (er->has_text)
		quoted(e, er->text);
	puts_(e, pretty(e) ? (er->has_text ? " }" : "}") : "}");
}

/* Local/Remote octet string: never contains an unescaped '}'. */
static void
octets(struct enc *e, enum h248_tok t, struct iq_str s)
{
	const char *eol = "\n";
	uint32_t i;

	for (i = 0; i < s.len; i++) {
		if (s.p[i] == '}' && !(i > 0 && s.p[i - 1] == '\\'))
			e->bad = true;
		if (s.p[i] == '\0')
			e->bad = true;
		if (s.p[i] == '\r' && i + 1 < s.len && s.p[i + 1] == '\n')
			eol = "\r\n";
	}
	tok(e, t);
	if (s.len == 0) {
		puts_(e, pretty(e) ? " { }" : "{}");
		return;
	}
	puts_(e, pretty(e) ? " {\n" : "{");
	put(e, s.p, s.len);
	puts_(e, eol);
	/* No indentation before the closing brace: it would be part of the
	 * octet string, and SDP readers (Wireshark's) take it for a line. */
	putc_(e, '}');
}

static void
stream_parms(struct enc *e, const struct h248_stream *st)
{
	if (st->has_lc) {
		const struct h248_prop *p;

		item(e);
		tok(e, H248_TOK_LOCALCONTROL);
		open_(e);
		if (st->lc.mode != H248_MODE_NONE) {
			static const enum h248_tok mt[] = {
				[H248_MODE_SENDONLY] = H248_TOK_SENDONLY,
				[H248_MODE_RECVONLY] = H248_TOK_RECVONLY,
				[H248_MODE_SENDRECV] = H248_TOK_SENDRECV,
				[H248_MODE_INACTIVE] = H248_TOK_INACTIVE,
				[H248_MODE_LOOPBACK] = H248_TOK_LOOPBACK,
			};

			item(e);
			tok(e, H248_TOK_MODE);
			eq(e);
			if ((unsigned)st->lc.mode > H248_MODE_LOOPBACK)
				e->bad = true;
			else
				tok(e, mt[st->lc.mode]);
		}
		for (p = st->lc.props; p != NULL; p = p->next) {
			item(e);
			prop(e, p);
		}
		if (e->items[e->depth] == 0)
			e->bad = true;
		close_(e);
	}
	if (st->has_local) {
		item(e);
		octets(e, H248_TOK_LOCAL, st->local);
	}
	if (st->has_remote) {
		item(e);
		octets(e, H248_TOK_REMOTE, st->remote);
	}
	if (st->has_stats) {
		item(e);
		tok(e, H248_TOK_STATISTICS);
		prop_block(e, st->stats);
	}
}

static void
media(struct enc *e, const struct h248_media *m)
{
	const struct h248_stream *st;

	tok(e, H248_TOK_MEDIA);
	open_(e);
	if (m->has_ts) {
		item(e);
		tok(e, H248_TOK_TERMINATIONSTATE);
		prop_block(e, m->ts);
	}
	for (st = m->streams; st != NULL; st = st->next) {
		if (!st->has_id) {
			stream_parms(e, st);
			continue;
		}
		item(e);
		tok(e, H248_TOK_STREAM);
		eq(e);
		putu(e, st->id);
		open_(e);
		stream_parms(e, st);
		if (e->items[e->depth] == 0)
			e->bad = true;
		close_(e);
	}
	if (e->items[e->depth] == 0)
		e->bad = true;
	close_(e);
}

static void
event_list(struct enc *e, const struct h248_event *ev)
{
	for (; ev != NULL; ev = ev->next) {
		item(e);
		if (ev->has_timestamp) {
			safe(e, ev->timestamp);
			putc_(e, ':');
		}
		safe(e, ev->name);
		if (ev->has_params)
			prop_block(e, ev->params);
	}
}

static void
rid(struct enc *e, uint32_t r)
{
	if (r == H248_RID_ANY)
		putc_(e, '*');
	else
		putu(e, r);
}

static void
services(struct enc *e, const struct h248_services *sv)
{
	const struct h248_prop *p;

	tok(e, H248_TOK_SERVICES);
	open_(e);
	if (sv->method != H248_TOK_NONE || sv->method_ext.len > 0) {
		item(e);
		tok(e, H248_TOK_METHOD);
		eq(e);
		name(e, sv->method, sv->method_ext);
	}
	if (sv->has_reason) {
		item(e);
		tok(e, H248_TOK_REASON);
		eq(e);
		value(e, &sv->reason);
	}
	if (sv->has_delay) {
		item(e);
		tok(e, H248_TOK_DELAY);
		eq(e);
		putu(e, sv->delay);
	}
	if (sv->has_version) {
		item(e);
		tok(e, H248_TOK_VERSION);
		eq(e);
		putu(e, sv->version);
	}
	if (sv->has_profile) {
		item(e);
		tok(e, H248_TOK_PROFILE);
		eq(e);
		safe(e, sv->profile);
	}
	if (sv->has_address) {
		item(e);
		tok(e, H248_TOK_SERVICECHANGEADDRESS);
		eq(e);
		mid(e, &sv->address);
	}
	if (sv->has_mgcid) {
		item(e);
		tok(e, H248_TOK_MGCIDTOTRY);
		eq(e);
		mid(e, &sv->mgcid);
	}
	if (sv->has_timestamp) {
		item(e);
		safe(e, sv->timestamp);
	}
	if (sv->incomplete) {
		item(e);
		tok(e, H248_TOK_SERVICECHANGEINC);
	}
	for (p = sv->ext; p != NULL; p = p->next) {
		item(e);
		prop(e, p);
	}
	if (e->items[e->depth] == 0)
		e->bad = true;
	close_(e);
}

static void
descriptor(struct enc *e, const struct h248_desc *ds)
{
	switch (ds->type) {
	case H248_DESC_MEDIA:
		media(e, &ds->u.media);
		return;
	case H248_DESC_EVENTS:
	case H248_DESC_OBSERVED:
		tok(e, ds->type == H248_DESC_EVENTS ? H248_TOK_EVENTS :
						       H248_TOK_OBSERVEDEVENTS);
		if (!ds->u.events.has_rid) {
			if (ds->type == H248_DESC_OBSERVED)
				e->bad = true;
			return;
		}
		eq(e);
		rid(e, ds->u.events.rid);
		open_(e);
		event_list(e, ds->u.events.events);
		close_(e);
		return;
	case H248_DESC_SIGNALS:
		tok(e, H248_TOK_SIGNALS);
		if (!ds->u.list.has_body)
			return;
		open_(e);
		event_list(e, ds->u.list.signals);
		close_(e);
		return;
	case H248_DESC_STATS:
	case H248_DESC_AUDIT:
	case H248_DESC_PACKAGES:
		tok(e, ds->type == H248_DESC_STATS ? H248_TOK_STATISTICS :
		       ds->type == H248_DESC_AUDIT ? H248_TOK_AUDIT :
						     H248_TOK_PACKAGES);
		if (!ds->u.list.has_body) {
			if (ds->type == H248_DESC_AUDIT)
				e->bad = true;
			return;
		}
		prop_block(e, ds->u.list.items);
		return;
	case H248_DESC_SERVICES:
		services(e, &ds->u.services);
		return;
	case H248_DESC_ERROR:
		errdesc(e, &ds->u.error);
		return;
	}
	e->bad = true;
}

static void
command(struct enc *e, const struct h248_command *c)
{
	static const enum h248_tok ct[] = {
		[H248_CMD_ADD] = H248_TOK_ADD,
		[H248_CMD_MODIFY] = H248_TOK_MODIFY,
		[H248_CMD_MOVE] = H248_TOK_MOVE,
		[H248_CMD_SUBTRACT] = H248_TOK_SUBTRACT,
		[H248_CMD_AUDITVALUE] = H248_TOK_AUDITVALUE,
		[H248_CMD_AUDITCAP] = H248_TOK_AUDITCAP,
		[H248_CMD_NOTIFY] = H248_TOK_NOTIFY,
		[H248_CMD_SERVICECHANGE] = H248_TOK_SERVICECHANGE,
	};
	const struct h248_desc *ds;

	if ((unsigned)c->type < H248_CMD_ADD ||
	    (unsigned)c->type > H248_CMD_SERVICECHANGE) {
		e->bad = true;
		return;
	}
	if (c->optional)
		puts_(e, "O-");
	if (c->wildcard_reply)
		puts_(e, "W-");
	tok(e, ct[c->type]);
	eq(e);
	safe(e, c->tid);
	if (!c->has_body)
		return;
	open_(e);
	for (ds = c->descs; ds != NULL; ds = ds->next) {
		item(e);
		descriptor(e, ds);
	}
	close_(e);
}

static void
ctxprops(struct enc *e, const struct h248_ctxprops *p)
{
	if (p->priority >= 0) {
		item(e);
		tok(e, H248_TOK_PRIORITY);
		eq(e);
		putu(e, (uint32_t)p->priority);
	}
	if (p->emergency != 0) {
		item(e);
		tok(e, p->emergency == 1 ? H248_TOK_EMERGENCY :
					   H248_TOK_EMERGENCYOFF);
	}
	if (p->ieps != 0) {
		item(e);
		tok(e, H248_TOK_IEPS);
		eq(e);
		tok(e, p->ieps == 1 ? H248_TOK_ON : H248_TOK_OFF);
	}
	if (p->has_topology) {
		item(e);
		tok(e, H248_TOK_TOPOLOGY);
		prop_block(e, p->topology);
	}
	if (p->has_attr) {
		item(e);
		tok(e, H248_TOK_CONTEXTATTR);
		prop_block(e, p->attr);
	}
	if (p->has_audit) {
		item(e);
		tok(e, H248_TOK_CONTEXTAUDIT);
		prop_block(e, p->audit);
	}
}

static void
ctxid(struct enc *e, uint32_t id)
{
	if (id == H248_CTX_NULL)
		putc_(e, '-');
	else if (id == H248_CTX_CHOOSE)
		putc_(e, '$');
	else if (id == H248_CTX_ALL)
		putc_(e, '*');
	else
		putu(e, id);
}

static void
action(struct enc *e, const struct h248_action *ac, bool reply)
{
	const struct h248_command *c;

	tok(e, H248_TOK_CONTEXT);
	eq(e);
	ctxid(e, ac->ctx_id);
	if (reply && !ac->has_props && ac->cmds == NULL && ac->error == NULL)
		return;
	open_(e);
	if (ac->has_props)
		ctxprops(e, &ac->props);
	for (c = ac->cmds; c != NULL; c = c->next) {
		item(e);
		command(e, c);
	}
	if (ac->error != NULL) {
		if (!reply)
			e->bad = true;
		item(e);
		errdesc(e, ac->error);
	}
	if (e->items[e->depth] == 0)
		e->bad = true;
	close_(e);
}

static void
txn_id(struct enc *e, const struct h248_transaction *tx)
{
	putu(e, tx->id);
	if (tx->has_seg) {
		putc_(e, '/');
		putu(e, tx->seg_no);
		if (tx->seg_end) {
			putc_(e, '/');
			tok(e, H248_TOK_END);
		}
	}
}

static void
transaction(struct enc *e, const struct h248_transaction *tx)
{
	const struct h248_action *ac;
	const struct h248_ack_range *r;

	switch (tx->type) {
	case H248_TXN_REQUEST:
	case H248_TXN_REPLY:
		tok(e, tx->type == H248_TXN_REQUEST ? H248_TOK_TRANSACTION :
						      H248_TOK_REPLY);
		eq(e);
		if (tx->type == H248_TXN_REQUEST && tx->has_seg)
			e->bad = true;
		txn_id(e, tx);
		open_(e);
		if (tx->type == H248_TXN_REPLY && tx->imm_ack) {
			item(e);
			tok(e, H248_TOK_IMMACKREQUIRED);
		}
		if (tx->type == H248_TXN_REPLY && tx->error != NULL) {
			item(e);
			errdesc(e, tx->error);
			if (tx->actions != NULL)
				e->bad = true;
		} else {
			for (ac = tx->actions; ac != NULL; ac = ac->next) {
				item(e);
				action(e, ac, tx->type == H248_TXN_REPLY);
			}
			if (tx->actions == NULL)
				e->bad = true;
		}
		close_(e);
		return;
	case H248_TXN_PENDING:
		tok(e, H248_TOK_PENDING);
		eq(e);
		putu(e, tx->id);
		puts_(e, pretty(e) ? " { }" : "{}");
		return;
	case H248_TXN_RESPACK:
		tok(e, H248_TOK_RESPONSEACK);
		puts_(e, pretty(e) ? " { " : "{");
		for (r = tx->acks; r != NULL; r = r->next) {
			putu(e, r->first);
			if (r->last != r->first) {
				putc_(e, '-');
				putu(e, r->last);
			}
			if (r->next != NULL)
				puts_(e, pretty(e) ? ", " : ",");
		}
		if (tx->acks == NULL)
			e->bad = true;
		puts_(e, pretty(e) ? " }" : "}");
		return;
	case H248_TXN_SEGREPLY:
		tok(e, H248_TOK_SEGMENT);
		eq(e);
		if (!tx->has_seg)
			e->bad = true;
		txn_id(e, tx);
		return;
	}
	e->bad = true;
}

static void
header(struct enc *e, uint8_t version, const struct h248_mid *m)
{
	tok(e, H248_TOK_MEGACO);
	putc_(e, '/');
	if (version < 1 || version > 99)
		e->bad = true;
	putu(e, version);
	putc_(e, ' ');
	mid(e, m);
	putc_(e, pretty(e) ? '\n' : ' ');
}

static int
finish(struct enc *e, size_t *out_len)
{
	if (out_len != NULL)
		*out_len = e->len;
	if (e->bad)
		return -EINVAL;
	if (e->len >= e->cap) {
		if (e->len > e->cap)
			return -ENOSPC;
		return 0;
	}
	e->out[e->len] = '\0';
	return 0;
}

static void
enc_init(struct enc *e, enum h248_layout layout, char *out, size_t cap)
{
	memset(e, 0, sizeof(*e));
	e->out = out;
	e->cap = out != NULL ? cap : 0;
	e->layout = layout == H248_LAYOUT_COMPACT ? H248_LAYOUT_COMPACT :
						    H248_LAYOUT_PRETTY;
}

int
h248_encode(const struct h248_message *m, enum h248_layout layout,
	    char *out, size_t cap, size_t *out_len)
{
	const struct h248_transaction *tx;
	struct enc e;

	if (m == NULL)
		return -EINVAL;
	enc_init(&e, layout, out, cap);
	header(&e, m->version, &m->mid);
	if (m->error != NULL) {
		errdesc(&e, m->error);
		if (m->txns != NULL)
			e.bad = true;
		return finish(&e, out_len);
	}
	if (m->txns == NULL)
		e.bad = true;
	for (tx = m->txns; tx != NULL; tx = tx->next) {
		transaction(&e, tx);
		if (tx->next != NULL) {
			if (pretty(&e))
				putc_(&e, '\n');
			else if (tx->type == H248_TXN_SEGREPLY)
				putc_(&e, ' ');
		}
	}
	return finish(&e, out_len);
}

int
h248_encode_reply(uint8_t version, const struct h248_mid *mid_,
		  const struct h248_transaction *reply,
		  enum h248_layout layout, char *out, size_t cap,
		  size_t *out_len)
{
	struct h248_transaction one;
	struct h248_message m;

	if (mid_ == NULL || reply == NULL)
		return -EINVAL;
	one = *reply;
	one.next = NULL;
	memset(&m, 0, sizeof(m));
	m.version = version;
	m.mid = *mid_;
	m.txns = &one;
	m.n_txns = 1;
	return h248_encode(&m, layout, out, cap, out_len);
}

int
h248_encode_error(uint8_t version, const struct h248_mid *mid_,
		  const struct h248_error *err, enum h248_layout layout,
		  char *out, size_t cap, size_t *out_len)
{
	struct h248_transaction tx;
	struct h248_errdesc ed;
	struct h248_message m;
	const char *text;

	if (mid_ == NULL || err == NULL)
		return -EINVAL;
	text = h248_errcode_text(err->code);
	memset(&ed, 0, sizeof(ed));
	ed.code = err->code;
	ed.has_text = true;
	ed.text.p = text;
	ed.text.len = (uint32_t)strlen(text);
	memset(&m, 0, sizeof(m));
	m.version = version;
	m.mid = *mid_;
	if (err->has_txn && err->txn_type == H248_TXN_REQUEST) {
		memset(&tx, 0, sizeof(tx));
		tx.type = H248_TXN_REPLY;
		tx.id = err->txn_id;
		tx.error = &ed;
		m.txns = &tx;
		m.n_txns = 1;
	} else {
		m.error = &ed;
	}
	return h248_encode(&m, layout, out, cap, out_len);
}

int
h248_encode_pending(uint8_t version, const struct h248_mid *mid_,
		    uint32_t txn_id_, enum h248_layout layout, char *out,
		    size_t cap, size_t *out_len)
{
	struct h248_transaction tx;

	memset(&tx, 0, sizeof(tx));
	tx.type = H248_TXN_PENDING;
	tx.id = txn_id_;
	return h248_encode_reply(version, mid_, &tx, layout, out, cap, out_len);
}

int
h248_encode_ack(uint8_t version, const struct h248_mid *mid_,
		uint32_t txn_id_, enum h248_layout layout, char *out,
		size_t cap, size_t *out_len)
{
	struct h248_transaction tx;
	struct h248_ack_range r;

	memset(&tx, 0, sizeof(tx));
	memset(&r, 0, sizeof(r));
	r.first = r.last = txn_id_;
	tx.type = H248_TXN_RESPACK;
	tx.acks = &r;
	tx.n_acks = 1;
	return h248_encode_reply(version, mid_, &tx, layout, out, cap, out_len);
}
