/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Iq procedures (SPEC.md §3.3-3.10): a dispatch table from H.248 command to
 * handler; each handler maps its descriptors (iq_map), calls control/, and
 * turns the status into a command reply or an error descriptor (§3.12).
 * Commands of a transaction run in order and stop at the first failure,
 * except optional (O-) ones (§3.13 (g)).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/crypto.h>

#include "iq_proc.h"

#define TERM_BUCKETS 65536u
#define NOTIFY_QUEUE 64u      /* MSRP events waiting for the endpoint */
/* Upper bounds that keep the millisecond products in 32 bits: a day. */
#define THB_MAX_S 86400u      /* hangterm/thb timerx, seconds (H.248.36) */
#define MIT_MAX_10MS 8640000u /* it/ito mit, units of 10 ms (H.248.14) */

/*
 * What Iq itself keeps of a termination: H.248 state only (requested
 * events and the heartbeat, and the m= line it was described with).
 * Everything else (context, spec, keys) is control's; ask ctl_term_get().
 */
struct term_ent {
	char id[CTL_TERM_ID_MAX + 1];        /* lower case */
	uint32_t ev_rid;                     /* requested events (hangterm/thb,
					      * the MSRP ones) */
	uint8_t msrp_ev;                     /* requested MSRP events (bits) */
	uint8_t msrp_sent;                   /* of those, reported since the
					      * request or the last "up" */
	uint32_t thb_ms;                     /* heartbeat period, 0 = none */
	uint64_t thb_due;
	char media[16];                      /* m= media and formats last given */
	char fmts[64];
	struct term_ent *next;               /* bucket chain */
	struct term_ent *hb_next;            /* heartbeat list */
};

/*
 * What the current transaction added, newest first, so that a reply that
 * cannot be delivered (over 64 KB) or built (arena exhausted) leaves
 * nothing behind. Entries live in the transaction's arena and are made
 * before the change they undo, so recording never fails after the fact.
 */
struct undo {
	uint32_t ctx_id;
	bool term;                           /* a termination added, else a context created */
	char id[CTL_TERM_ID_MAX + 1];
	struct undo *next;
};

/* An MSRP event on its way to the MGC. */
struct notify_q {
	uint32_t ctx_id;
	uint32_t rid;
	char term_id[CTL_TERM_ID_MAX + 1];
	char event[sizeof(((struct iq_proc_notify *)0)->event_buf)];
};

struct iq_proc {
	struct ctl *ctl;
	struct undo *undo;                   /* this transaction's Adds */
	struct iq_proc_hooks hooks;
	struct term_ent **buckets;
	uint32_t n_terms;
	struct term_ent *hb;                 /* terminations with a heartbeat */
	uint64_t now_ms;                     /* time of the current execute */
	struct notify_q *q;                  /* ring of NOTIFY_QUEUE */
	uint32_t q_head, q_len;
	void (*notify_ready)(void *arg);
	void *notify_arg;
	struct iq_proc_stats st;
};

/*
 * MSRP connection events the MGC may request (SPEC.md §2.4, §3.4, §3.6).
 * 29.334 realises them with H.248.89 (TCP basic connection control) and
 * H.248.90 (TLS basic session control) packages whose text names could not
 * be read (SPEC.md §3.4: U-lo); these names are ours, in one table, so that
 * the real ones are a one-line change. docs/operations.md has the profile.
 */
enum {
	MSRP_EV_TCP_FAIL = 1u << 0,          /* TCP establishment failed */
	MSRP_EV_TLS_FAIL = 1u << 1,          /* TLS handshake failed */
	MSRP_EV_RELEASE = 1u << 2,           /* the bearer was released */
};

static const struct {
	const char *name;
	uint8_t bit;
} msrp_events[] = {
	{ "tcpbcc/estfail", MSRP_EV_TCP_FAIL },
	{ "tlsbsc/estfail", MSRP_EV_TLS_FAIL },
	{ "tcpbcc/rel", MSRP_EV_RELEASE },
};

static void on_msrp_event(const struct ctl_msrp_event *ev, void *arg);

/* Outcome of one command handler. */
struct cmd_ctx {
	struct iq_proc *p;
	struct iq_arena *a;
	uint32_t ctx_id;                     /* may be CHOOSE until the first Add */
	bool ctx_created;                    /* by this action ($) */
	uint16_t code;
	const char *reason;
};

static int handle_add(struct cmd_ctx *c, const struct h248_command *cmd, struct h248_command *out);
static int handle_modify(struct cmd_ctx *c, const struct h248_command *cmd, struct h248_command *out);
static int handle_subtract(struct cmd_ctx *c, const struct h248_command *cmd, struct h248_command *out);
static int handle_move(struct cmd_ctx *c, const struct h248_command *cmd, struct h248_command *out);
static int handle_audit(struct cmd_ctx *c, const struct h248_command *cmd, struct h248_command *out);
static int handle_notify(struct cmd_ctx *c, const struct h248_command *cmd, struct h248_command *out);
static int handle_sc(struct cmd_ctx *c, const struct h248_command *cmd, struct h248_command *out);

/* The dispatch table (STYLE.md iq/: command -> handler). */
static int (*const handlers[])(struct cmd_ctx *, const struct h248_command *,
			       struct h248_command *) = {
	[H248_CMD_ADD] = handle_add,
	[H248_CMD_MODIFY] = handle_modify,
	[H248_CMD_MOVE] = handle_move,
	[H248_CMD_SUBTRACT] = handle_subtract,
	[H248_CMD_AUDITVALUE] = handle_audit,
	[H248_CMD_AUDITCAP] = handle_audit,
	[H248_CMD_NOTIFY] = handle_notify,
	[H248_CMD_SERVICECHANGE] = handle_sc,
};

struct iq_proc *
iq_proc_create(struct ctl *ctl, const struct iq_proc_hooks *hooks)
{
	struct iq_proc *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->buckets = calloc(TERM_BUCKETS, sizeof(*p->buckets));
	p->q = calloc(NOTIFY_QUEUE, sizeof(*p->q));
	if (p->buckets == NULL || p->q == NULL) {
		free(p->buckets);
		free(p->q);
		free(p);
		return NULL;
	}
	p->ctl = ctl;
	if (hooks != NULL)
		p->hooks = *hooks;
	ctl_set_msrp_event_cb(ctl, on_msrp_event, p);
	return p;
}

void
iq_proc_set_notify_ready(struct iq_proc *p, void (*cb)(void *arg), void *arg)
{
	p->notify_ready = cb;
	p->notify_arg = arg;
}

void
iq_proc_get_stats(const struct iq_proc *p, struct iq_proc_stats *out)
{
	*out = p->st;
}

void
iq_proc_destroy(struct iq_proc *p)
{
	uint32_t i;

	if (p == NULL)
		return;
	ctl_set_msrp_event_cb(p->ctl, NULL, NULL);
	for (i = 0; i < TERM_BUCKETS; i++)
		while (p->buckets[i] != NULL) {
			struct term_ent *e = p->buckets[i];

			p->buckets[i] = e->next;
			free(e);
		}
	free(p->buckets);
	free(p->q);
	free(p);
}

uint32_t
iq_proc_term_count(const struct iq_proc *p)
{
	return p->n_terms;
}

/* TerminationIDs are case-insensitive (SPEC.md §3.7): keys in lower case. */
static int
term_key(struct iq_str s, char *out)
{
	uint32_t i;

	if (s.len == 0 || s.len > CTL_TERM_ID_MAX)
		return -EINVAL;
	for (i = 0; i < s.len; i++)
		out[i] = (char)tolower((unsigned char)s.p[i]);
	out[s.len] = '\0';
	return 0;
}

static uint32_t
hash_id(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h & (TERM_BUCKETS - 1);
}

static struct term_ent *
ent_find(struct iq_proc *p, const char *id)
{
	struct term_ent *e;

	for (e = p->buckets[hash_id(id)]; e != NULL; e = e->next)
		if (strcmp(e->id, id) == 0)
			return e;
	return NULL;
}

static void
hb_unlink(struct iq_proc *p, struct term_ent *e)
{
	struct term_ent **pp;

	for (pp = &p->hb; *pp != NULL; pp = &(*pp)->hb_next)
		if (*pp == e) {
			*pp = e->hb_next;
			break;
		}
	e->hb_next = NULL;
}

static void
ent_remove(struct iq_proc *p, const char *id)
{
	struct term_ent **pp = &p->buckets[hash_id(id)];

	for (; *pp != NULL; pp = &(*pp)->next)
		if (strcmp((*pp)->id, id) == 0) {
			struct term_ent *e = *pp;

			*pp = e->next;
			if (e->thb_ms != 0)
				hb_unlink(p, e);
			free(e);
			p->n_terms--;
			return;
		}
}

static struct term_ent *
ent_add(struct iq_proc *p, const char *id)
{
	struct term_ent *e = calloc(1, sizeof(*e));
	uint32_t h;

	if (e == NULL)
		return NULL;
	snprintf(e->id, sizeof(e->id), "%s", id);
	h = hash_id(e->id);
	e->next = p->buckets[h];
	p->buckets[h] = e;
	p->n_terms++;
	return e;
}

static void
undo_push(struct iq_proc *p, struct undo *u, uint32_t ctx_id, const char *term_id)
{
	memset(u, 0, sizeof(*u));
	u->ctx_id = ctx_id;
	u->term = term_id != NULL;
	if (term_id != NULL)
		snprintf(u->id, sizeof(u->id), "%s", term_id);
	u->next = p->undo;
	p->undo = u;
}

void
iq_proc_rollback(struct iq_proc *p)
{
	char ids[CTL_CTX_MAX_TERMS][CTL_TERM_ID_MAX + 1];
	struct undo *u;

	/* Terminations first, then the contexts created (a Move may have put
	 * one of ours in a context made later). A context is deleted only
	 * when empty: a Move may have put an older termination there, which
	 * is not ours to delete. */
	for (u = p->undo; u != NULL; u = u->next)
		if (u->term) {
			uint32_t ctx = u->ctx_id;

			/* Where it is now: a later Move may have taken it. */
			ent_remove(p, u->id);
			if (ctl_term_find(p->ctl, u->id, &ctx) == 0)
				ctl_term_subtract(p->ctl, ctx, u->id, NULL);
		}
	for (u = p->undo; u != NULL; u = u->next)
		if (!u->term && ctl_context_terms(p->ctl, u->ctx_id, ids) == 0)
			ctl_context_delete(p->ctl, u->ctx_id);
	p->undo = NULL;
}

void
iq_proc_commit(struct iq_proc *p)
{
	p->undo = NULL;
}

/* Remember the m= line a request described the termination with. */
static void
ent_mline(struct term_ent *e, const struct iq_map_result *r)
{
	if (r->media[0] != '\0')
		snprintf(e->media, sizeof(e->media), "%s", r->media);
	if (r->fmts[0] != '\0')
		snprintf(e->fmts, sizeof(e->fmts), "%s", r->fmts);
}

/*
 * The reply's Local for a termination (info from control): the request's
 * Local completed, or a minimal one; with keys, our a=crypto lines as
 * control formats them (held only while the reply is built).
 */
static int
local_reply(struct cmd_ctx *c, const struct iq_map_result *r, const struct ctl_term_info *info,
	    const struct term_ent *e, bool with_keys, struct iq_str *out)
{
	struct iq_map_keys k;
	unsigned int i;
	int rc = 0;

	memset(&k, 0, sizeof(k));
	for (i = 0; with_keys && i < info->n_local_keys && rc >= 0; i++) {
		rc = ctl_term_local_key(c->p->ctl, info->ctx_id, info->id, i, k.line[i],
					sizeof(k.line[i]));
		k.tag[i] = info->local_tag[i];
		k.n = i + 1;
	}
	if (rc >= 0)
		rc = iq_map_local_reply(c->a, r != NULL ? r->local : NULL,
					r != NULL ? r->lmedia : NULL, info,
					r != NULL && r->media[0] != '\0' ? r->media
					: e != NULL ? e->media : NULL,
					r != NULL && r->fmts[0] != '\0' ? r->fmts
					: e != NULL ? e->fmts : NULL, &k, out);
	iq_map_keys_clear(&k);
	return rc < 0 ? rc : 0;
}

static int
set_error(struct cmd_ctx *c, uint16_t code, const char *reason)
{
	c->code = code;
	c->reason = reason;
	return -EINVAL;
}

static int
set_errno(struct cmd_ctx *c, int rc, const char *id)
{
	uint32_t other;
	bool elsewhere = id != NULL && ctl_term_find(c->p->ctl, id, &other) == 0;
	uint16_t code = iq_map_errno(rc, elsewhere);

	return set_error(c, code, h248_errcode_text(code));
}

static const struct h248_desc *
find_desc(const struct h248_command *cmd, enum h248_desc_type t)
{
	const struct h248_desc *d;

	for (d = cmd->descs; d != NULL; d = d->next)
		if (d->type == t)
			return d;
	return NULL;
}

/* Descriptors a command may carry; anything else is 444/447. */
static int
check_descs(struct cmd_ctx *c, const struct h248_command *cmd, uint32_t allowed)
{
	const struct h248_desc *d;

	for (d = cmd->descs; d != NULL; d = d->next) {
		if ((allowed & (1u << d->type)) == 0)
			return set_error(c, H248_ERR_UNSUPPORTED_DESC, "descriptor not supported here");
		if (d->type == H248_DESC_SIGNALS && d->u.list.n > 0)
			return set_error(c, 452, "no such signal");
		if (d->type == H248_DESC_MEDIA && d->u.media.n_streams > 1)
			return set_error(c, H248_ERR_NOT_IMPLEMENTED, "one stream per termination");
	}
	return 0;
}

static const struct h248_stream *
first_stream(const struct h248_command *cmd)
{
	const struct h248_desc *d = find_desc(cmd, H248_DESC_MEDIA);

	return d != NULL ? d->u.media.streams : NULL;
}

/* A parameter's first value as a decimal number in 0..@max.
 * Returns: 0 with *@out; -ERANGE when it is not digits or above @max (a
 * value the products in ms would overflow). */
static int
prop_num(const struct h248_prop *pr, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	uint32_t i;

	if (pr->values->s.len == 0)
		return -ERANGE;
	for (i = 0; i < pr->values->s.len; i++) {
		char ch = pr->values->s.p[i];

		if (ch < '0' || ch > '9')
			return -ERANGE;
		v = v * 10 + (uint64_t)(ch - '0');
		if (v > max)
			return -ERANGE;
	}
	*out = (uint32_t)v;
	return 0;
}

/* The MSRP event bit of a requested event name, or 0. */
static uint8_t
msrp_event_bit(struct iq_str name)
{
	unsigned int i;

	for (i = 0; i < sizeof(msrp_events) / sizeof(msrp_events[0]); i++)
		if (iq_str_ieq(name, msrp_events[i].name))
			return msrp_events[i].bit;
	return 0;
}

/* Events: hangterm/thb [timerx = seconds] (SPEC.md §3.9, H.248.36), the
 * MSRP connection events (msrp_events[]). An Events descriptor replaces
 * what was requested before (H.248.1 §7.1.9). */
static int
apply_events(struct cmd_ctx *c, const struct h248_command *cmd, struct term_ent *e)
{
	const struct h248_desc *d = find_desc(cmd, H248_DESC_EVENTS);
	const struct h248_event *ev;
	uint32_t thb = 0;
	uint8_t msrp = 0;

	if (d == NULL)
		return 0;
	for (ev = d->u.events.events; ev != NULL; ev = ev->next) {
		const struct h248_prop *pr;

		if (msrp_event_bit(ev->name) != 0) {
			msrp |= msrp_event_bit(ev->name);
		} else if (iq_str_ieq(ev->name, "hangterm/thb")) {
			thb = 60000;
			for (pr = ev->params; pr != NULL; pr = pr->next)
				if (iq_str_ieq(pr->name, "timerx") && pr->n_values > 0) {
					uint32_t sec;

					if (prop_num(pr, THB_MAX_S, &sec) < 0)
						return set_error(c, 449, "timerx out of range");
					thb = sec * 1000u;
				}
		} else if (iq_str_ieq(ev->name, "adid/ipstop") ||
			   iq_str_ieq(ev->name, "ipra/ipra")) {
			/* Accepted; reported by the data plane once it detects
			 * media inactivity (not yet: documented gap). */
		} else {
			return set_error(c, 451, "no such event");
		}
	}
	if (e == NULL)
		return 0;
	if (e->thb_ms != 0)
		hb_unlink(c->p, e);
	e->thb_ms = thb;
	e->ev_rid = d->u.events.rid;
	e->msrp_ev = msrp;
	e->msrp_sent = 0;
	if (thb != 0) {
		e->thb_due = c->p->now_ms + thb;
		e->hb_next = c->p->hb;
		c->p->hb = e;
	}
	return 0;
}

static struct h248_desc *
media_reply(struct cmd_ctx *c, const struct h248_stream *in, struct iq_str local)
{
	struct h248_desc *d = iq_arena_alloc(c->a, sizeof(*d));
	struct h248_stream *s = iq_arena_alloc(c->a, sizeof(*s));

	if (d == NULL || s == NULL)
		return NULL;
	d->type = H248_DESC_MEDIA;
	d->u.media.n_streams = 1;
	d->u.media.streams = s;
	s->has_id = in != NULL ? in->has_id : true;
	s->id = in != NULL && in->has_id ? in->id : 1;
	if (!s->has_id) {
		s->has_id = true;
		s->id = 1;
	}
	s->has_local = true;
	s->local = local;
	return d;
}

static int
term_tid(struct cmd_ctx *c, const struct h248_command *cmd, char *id)
{
	if (term_key(cmd->tid, id) < 0)
		return set_error(c, H248_ERR_BAD_ID, "bad TerminationID");
	if (strchr(id, '*') != NULL || strcmp(id, "root") == 0)
		return set_error(c, H248_ERR_UNKNOWN_ACTION, "wildcard or ROOT not allowed here");
	return 0;
}

static int
handle_add(struct cmd_ctx *c, const struct h248_command *cmd, struct h248_command *out)
{
	const struct h248_stream *st = first_stream(cmd);
	struct iq_map_result r;
	struct ctl_term_info info;
	struct term_ent *e;
	struct iq_str local;
	struct undo *u_ctx, *u_term;
	char id[CTL_TERM_ID_MAX + 1];
	int rc;

	if (c->ctx_id == H248_CTX_NULL || c->ctx_id == H248_CTX_ALL)
		return set_error(c, H248_ERR_UNKNOWN_ACTION, "Add needs a context");
	if (term_tid(c, cmd, id) < 0)
		return -EINVAL;
	if (check_descs(c, cmd, 1u << H248_DESC_MEDIA | 1u << H248_DESC_EVENTS |
				    1u << H248_DESC_SIGNALS | 1u << H248_DESC_AUDIT) < 0)
		return -EINVAL;
	if (apply_events(c, cmd, NULL) < 0)
		return -EINVAL;
	/* Undo records first: once control has changed, nothing may fail
	 * before the change is recorded. */
	u_ctx = iq_arena_alloc(c->a, sizeof(*u_ctx));
	u_term = iq_arena_alloc(c->a, sizeof(*u_term));
	if (u_ctx == NULL || u_term == NULL)
		return -ENOMEM;
	/* The enabled suites are read per request: a reload may change them. */
	rc = iq_map_stream(c->a, st, NULL, sec_suite_mask(), &r);
	if (rc < 0) {
		set_error(c, r.code, r.reason);
		iq_map_result_clear(&r);
		return rc;
	}
	if (c->ctx_id == H248_CTX_CHOOSE) {
		uint32_t nid = 0;

		rc = ctl_context_create(c->p->ctl, &nid);
		if (rc < 0) {
			iq_map_result_clear(&r);
			return set_error(c, rc == -ENOSPC ? 412 : H248_ERR_INTERNAL,
					 "no ContextIDs available");
		}
		c->ctx_id = nid;
		c->ctx_created = true;
		undo_push(c->p, u_ctx, nid, NULL);
	}
	rc = ctl_term_add(c->p->ctl, c->ctx_id, strcmp(id, "$") == 0 ? NULL : id, &r.spec, &info);
	iq_map_result_clear(&r);
	if (rc < 0)
		return set_errno(c, rc, NULL);
	undo_push(c->p, u_term, c->ctx_id, info.id);
	e = ent_add(c->p, info.id);
	if (e != NULL)
		ent_mline(e, &r);
	rc = e == NULL ? -ENOMEM : local_reply(c, &r, &info, e, true, &local);
	if (rc == -ENOMEM)
		return rc; /* the arena ran out: the transaction is rolled back */
	if (rc < 0) {
		ent_remove(c->p, info.id);
		ctl_term_subtract(c->p->ctl, c->ctx_id, info.id, NULL);
		return set_error(c, H248_ERR_INTERNAL, "cannot build the reply");
	}
	apply_events(c, cmd, e);
	if (iq_arena_strdup(c->a, info.id, strlen(info.id), &out->tid) < 0)
		return -ENOMEM;
	out->has_body = true;
	out->descs = media_reply(c, st, local);
	out->n_descs = 1;
	return out->descs == NULL ? -ENOMEM : 0;
}

/* ROOT Modify: the MGC sets the inactivity timer (it/ito, SPEC.md §3.9). */
static int
modify_root(struct cmd_ctx *c, const struct h248_command *cmd)
{
	const struct h248_desc *d = find_desc(cmd, H248_DESC_EVENTS);
	const struct h248_event *ev;

	if (check_descs(c, cmd, 1u << H248_DESC_EVENTS | 1u << H248_DESC_MEDIA |
				    1u << H248_DESC_AUDIT) < 0)
		return -EINVAL;
	if (d == NULL)
		return 0;
	if (d->u.events.n_events == 0 && c->p->hooks.inactivity != NULL)
		c->p->hooks.inactivity(c->p->hooks.arg, 0, 0);
	for (ev = d->u.events.events; ev != NULL; ev = ev->next) {
		const struct h248_prop *pr;
		uint32_t mit = 0;

		if (!iq_str_ieq(ev->name, "it/ito"))
			return set_error(c, 451, "no such event on ROOT");
		for (pr = ev->params; pr != NULL; pr = pr->next)
			if (iq_str_ieq(pr->name, "mit") && pr->n_values > 0) {
				uint32_t v;

				if (prop_num(pr, MIT_MAX_10MS, &v) < 0)
					return set_error(c, 449, "mit out of range");
				mit = v * 10u; /* H.248.14: units of 10 ms */
			}
		if (mit == 0)
			return set_error(c, 457, "it/ito needs mit");
		if (c->p->hooks.inactivity != NULL)
			c->p->hooks.inactivity(c->p->hooks.arg, d->u.events.rid, mit);
	}
	return 0;
}

static int
handle_modify(struct cmd_ctx *c, const struct h248_command *cmd, struct h248_command *out)
{
	const struct h248_stream *st = first_stream(cmd);
	struct iq_map_result r;
	struct ctl_term_info info;
	struct term_ent *e;
	char id[CTL_TERM_ID_MAX + 1];
	int rc;

	if (term_key(cmd->tid, id) < 0)
		return set_error(c, H248_ERR_BAD_ID, "bad TerminationID");
	out->tid = cmd->tid;
	if (strcmp(id, "root") == 0)
		return modify_root(c, cmd);
	if (c->ctx_id == H248_CTX_CHOOSE || c->ctx_id == H248_CTX_ALL)
		return set_error(c, H248_ERR_UNKNOWN_ACTION, "Modify needs a context");
	if (term_tid(c, cmd, id) < 0)
		return -EINVAL;
	if (check_descs(c, cmd, 1u << H248_DESC_MEDIA | 1u << H248_DESC_EVENTS |
				    1u << H248_DESC_SIGNALS | 1u << H248_DESC_AUDIT) < 0)
		return -EINVAL;
	if (c->ctx_id == H248_CTX_NULL)
		return set_errno(c, -ESRCH, id);
	rc = ctl_term_get(c->p->ctl, c->ctx_id, id, &info, NULL);
	if (rc < 0)
		return set_errno(c, rc, id);
	e = ent_find(c->p, info.id);
	if (e == NULL)
		return set_error(c, H248_ERR_UNKNOWN_TERM, "termination not under Iq control");
	if (apply_events(c, cmd, NULL) < 0)
		return -EINVAL;
	rc = iq_map_stream(c->a, st, &info, sec_suite_mask(), &r);
	if (rc < 0) {
		set_error(c, r.code, r.reason);
		iq_map_result_clear(&r);
		return rc;
	}
	rc = ctl_term_modify(c->p->ctl, c->ctx_id, info.id, &r.spec, &info);
	iq_map_result_clear(&r);
	if (rc < 0)
		return set_errno(c, rc, id);
	ent_mline(e, &r);
	if (r.local != NULL) {
		struct iq_str local;

		/* Out of arena: the reply would lack our (new) key; fail the
		 * transaction rather than answer without it. */
		rc = local_reply(c, &r, &info, e, true, &local);
		if (rc == -ENOMEM)
			return rc;
		if (rc == 0) {
			out->has_body = true;
			out->descs = media_reply(c, st, local);
			if (out->descs == NULL)
				return -ENOMEM;
			out->n_descs = 1;
		}
	}
	apply_events(c, cmd, e);
	return 0;
}

static struct h248_prop *
stat_prop(struct cmd_ctx *c, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static struct h248_prop *
stat_prop(struct cmd_ctx *c, const char *name, const char *fmt, ...)
{
	struct h248_prop *p = iq_arena_alloc(c->a, sizeof(*p));
	struct h248_value *v = iq_arena_alloc(c->a, sizeof(*v));
	char buf[32];
	va_list ap;
	int n;

	if (p == NULL || v == NULL)
		return NULL;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || iq_arena_strdup(c->a, buf, (size_t)n, &v->s) < 0)
		return NULL;
	p->name.p = name;
	p->name.len = (uint32_t)strlen(name);
	p->op = H248_OP_EQ;
	p->n_values = 1;
	p->values = v;
	return p;
}

/* What a termination's statistics look like. */
enum stats_kind {
	STATS_RTP = 0,
	STATS_SRTP,
	STATS_MSRP,
};

static enum stats_kind
stats_kind(enum ctl_transport t)
{
	return ctl_transport_is_msrp(t) ? STATS_MSRP : t == CTL_TR_RTP ? STATS_RTP : STATS_SRTP;
}

/*
 * MSRP statistics: nt/dur, nt/os and nt/or (application bytes sent to and
 * received from the termination's remote, after TLS), and under names of
 * ours (the H.248.69/.89/.90 statistics names are U-lo, SPEC.md §3.10):
 * msrpstat/mr MSRP messages received (with the framing check), tcpbcc/conn
 * connections made or accepted, tcpbcc/cf TCP establishment failures
 * (refused, unreachable, timed out), tlsbsc/hf TLS handshake failures (all
 * reasons) and tlsbsc/fpf those where the certificate matched no Remote
 * fingerprint.
 */
static unsigned int
msrp_stats(struct cmd_ctx *c, const struct ctl_term_stats *s, struct h248_prop **items)
{
	const struct dp_msrp_leg_stats *m = &s->msrp;
	uint64_t hf = 0;
	unsigned int i, n = 0;

	for (i = 0; i < SEC_TLS_FAIL_MAX; i++)
		hf += m->tls_fails[i];
	items[n++] = stat_prop(c, "nt/dur", "%llu", (unsigned long long)s->duration_ms);
	items[n++] = stat_prop(c, "nt/os", "%llu", (unsigned long long)m->bytes_out);
	items[n++] = stat_prop(c, "nt/or", "%llu", (unsigned long long)m->bytes_in);
	items[n++] = stat_prop(c, "msrpstat/mr", "%llu", (unsigned long long)m->msgs_in);
	items[n++] = stat_prop(c, "tcpbcc/conn", "%llu", (unsigned long long)m->conns);
	items[n++] = stat_prop(c, "tcpbcc/cf", "%llu",
			       (unsigned long long)(m->fails[DP_MSRP_R_CONNECT] +
						    m->fails[DP_MSRP_R_TIMEOUT]));
	items[n++] = stat_prop(c, "tlsbsc/hf", "%llu", (unsigned long long)hf);
	items[n++] = stat_prop(c, "tlsbsc/fpf", "%llu",
			       (unsigned long long)m->tls_fails[SEC_TLS_FAIL_FINGERPRINT]);
	return n;
}

/* Statistics (SPEC.md §3.10): nt/dur, nt/os, nt/or, rtp/ps, rtp/pr,
 * rtp/pl (% of what the remote sent that we dropped), and for SRTP the
 * authentication failures and replays (H.248.77 names are U-lo: srtp/af,
 * srtp/rpl); MSRP: msrp_stats(). */
static struct h248_desc *
stats_desc(struct cmd_ctx *c, const struct ctl_term_stats *s, enum stats_kind kind)
{
	struct h248_desc *d = iq_arena_alloc(c->a, sizeof(*d));
	struct h248_prop *items[9], **pp;
	uint64_t in_drops = 0, af, rpl;
	unsigned int i, n = 0, k;
	double pl;

	if (d == NULL)
		return NULL;
	if (kind == STATS_MSRP) {
		n = msrp_stats(c, s, items);
		goto list;
	}
	/* Loss: what the remote sent that did not make it through, except
	 * what a closed gate dropped on purpose. */
	for (k = 0; k < DP_FLOW_DROP_MAX; k++)
		if (k != DP_FLOW_DROP_GATE)
			in_drops += s->rtp_in.drops[k];
	af = s->rtp_in.drops[DP_FLOW_DROP_AUTH] + s->rtcp_in.drops[DP_FLOW_DROP_AUTH];
	rpl = s->rtp_in.drops[DP_FLOW_DROP_REPLAY] + s->rtcp_in.drops[DP_FLOW_DROP_REPLAY];
	pl = s->rtp_in.pkts + in_drops ? 100.0 * (double)in_drops / (double)(s->rtp_in.pkts + in_drops)
				       : 0.0;
	items[n++] = stat_prop(c, "nt/dur", "%llu", (unsigned long long)s->duration_ms);
	items[n++] = stat_prop(c, "nt/os", "%llu",
			       (unsigned long long)(s->rtp_out.bytes + s->rtcp_out.bytes));
	items[n++] = stat_prop(c, "nt/or", "%llu",
			       (unsigned long long)(s->rtp_in.bytes + s->rtcp_in.bytes));
	items[n++] = stat_prop(c, "rtp/ps", "%llu", (unsigned long long)s->rtp_out.pkts);
	items[n++] = stat_prop(c, "rtp/pr", "%llu", (unsigned long long)s->rtp_in.pkts);
	items[n++] = stat_prop(c, "rtp/pl", "%.1f", pl);
	if (kind == STATS_SRTP) {
		items[n++] = stat_prop(c, "srtp/af", "%llu", (unsigned long long)af);
		items[n++] = stat_prop(c, "srtp/rpl", "%llu", (unsigned long long)rpl);
	}
list:
	for (i = 0; i < n; i++)
		if (items[i] == NULL)
			return NULL;
	pp = &d->u.list.items;
	for (i = 0; i < n; i++) {
		*pp = items[i];
		pp = &items[i]->next;
	}
	d->type = H248_DESC_STATS;
	d->u.list.has_body = true;
	d->u.list.n = (uint16_t)n;
	return d;
}

/* An empty Audit { } asks for no statistics (SPEC.md §3.10). */
static bool
want_stats(const struct h248_command *cmd)
{
	const struct h248_desc *d = find_desc(cmd, H248_DESC_AUDIT);

	return d == NULL || d->u.list.n > 0;
}

static int
subtract_one(struct cmd_ctx *c, const struct h248_command *cmd, const char *id,
	     struct h248_command *out)
{
	struct ctl_term_stats s;
	struct ctl_term_info info;
	enum stats_kind kind = STATS_RTP;
	int rc;

	rc = ctl_term_get(c->p->ctl, c->ctx_id, id, &info, NULL);
	if (rc == 0)
		kind = stats_kind(info.transport);
	if (rc == 0)
		rc = ctl_term_subtract(c->p->ctl, c->ctx_id, id, &s);
	if (rc < 0)
		return set_errno(c, rc, id);
	ent_remove(c->p, id);
	if (iq_arena_strdup(c->a, id, strlen(id), &out->tid) < 0)
		return -ENOMEM;
	if (want_stats(cmd)) {
		out->has_body = true;
		out->descs = stats_desc(c, &s, kind);
		out->n_descs = 1;
		if (out->descs == NULL)
			return -ENOMEM;
	}
	return 0;
}

static int
handle_subtract(struct cmd_ctx *c, const struct h248_command *cmd, struct h248_command *out)
{
	char id[CTL_TERM_ID_MAX + 1], ids[CTL_CTX_MAX_TERMS][CTL_TERM_ID_MAX + 1];
	unsigned int i, n;
	int rc;

	if (term_key(cmd->tid, id) < 0)
		return set_error(c, H248_ERR_BAD_ID, "bad TerminationID");
	out->tid = cmd->tid;
	if (c->ctx_id == H248_CTX_CHOOSE || c->ctx_id == H248_CTX_NULL ||
	    c->ctx_id == H248_CTX_ALL)
		return set_error(c, H248_ERR_UNKNOWN_ACTION, "Subtract needs a context");
	if (check_descs(c, cmd, 1u << H248_DESC_AUDIT) < 0)
		return -EINVAL;
	if (strcmp(id, "*") != 0) {
		if (term_tid(c, cmd, id) < 0)
			return -EINVAL;
		return subtract_one(c, cmd, id, out);
	}
	/* Subtract = * : every termination of the context, in the order they
	 * were added, one reply each. */
	rc = ctl_context_terms(c->p->ctl, c->ctx_id, ids);
	if (rc <= 0)
		return set_errno(c, -ENOENT, NULL);
	n = (unsigned int)rc;
	for (i = 0; i < n; i++) {
		struct h248_command *o = out;

		if (i > 0) {
			o = iq_arena_alloc(c->a, sizeof(*o));
			if (o == NULL)
				return -ENOMEM;
			o->type = H248_CMD_SUBTRACT;
			o->next = out->next;
			out->next = o;
			out = o;
		}
		rc = subtract_one(c, cmd, ids[i], o);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/*
 * Move (H.248.1 §7.2.4): control moves the termination with its crypto
 * sessions and counters, so SRTP state (ROC, replay windows, SRTCP index)
 * continues under the same keys (RFC 3711 §9.1).
 */
static int
handle_move(struct cmd_ctx *c, const struct h248_command *cmd, struct h248_command *out)
{
	struct ctl_term_info info;
	uint32_t from;
	char id[CTL_TERM_ID_MAX + 1];
	int rc;

	if (term_tid(c, cmd, id) < 0)
		return -EINVAL;
	out->tid = cmd->tid;
	if (c->ctx_id == H248_CTX_NULL || c->ctx_id == H248_CTX_ALL)
		return set_error(c, H248_ERR_UNKNOWN_ACTION, "Move needs a context");
	if (check_descs(c, cmd, 1u << H248_DESC_AUDIT | 1u << H248_DESC_MEDIA) < 0)
		return -EINVAL;
	if (first_stream(cmd) != NULL)
		return set_error(c, H248_ERR_NOT_IMPLEMENTED, "Move with Media: use Modify after");
	if (ctl_term_find(c->p->ctl, id, &from) < 0)
		return set_error(c, H248_ERR_UNKNOWN_TERM, h248_errcode_text(430));
	if (c->ctx_id != H248_CTX_CHOOSE && c->ctx_id == from)
		return set_error(c, 433, "termination already in this context");
	if (c->ctx_id == H248_CTX_CHOOSE) {
		struct undo *u = iq_arena_alloc(c->a, sizeof(*u));
		uint32_t nid = 0;

		if (u == NULL)
			return -ENOMEM;
		if (ctl_context_create(c->p->ctl, &nid) < 0)
			return set_error(c, 412, "no ContextIDs available");
		c->ctx_id = nid;
		c->ctx_created = true;
		undo_push(c->p, u, nid, NULL);
	}
	rc = ctl_term_move(c->p->ctl, id, c->ctx_id, &info);
	return rc < 0 ? set_errno(c, rc, id) : 0;
}

static int
handle_audit(struct cmd_ctx *c, const struct h248_command *cmd, struct h248_command *out)
{
	char id[CTL_TERM_ID_MAX + 1];
	struct ctl_term_info info;
	struct ctl_term_stats s;
	struct term_ent *e;
	uint32_t ctx = c->ctx_id;
	int rc;

	if (term_key(cmd->tid, id) < 0)
		return set_error(c, H248_ERR_BAD_ID, "bad TerminationID");
	out->tid = cmd->tid;
	if (strcmp(id, "root") == 0) {
		/* ROOT: the packages this profile realises (H.248.1 §7.1.15). */
		static const char *const pkgs[] = { "nt-1",	    "rtp-1",	"ipdc-1",
						    "ipnapt-1",	    "gm-1",	"hangterm-1",
						    "it-1",	    "srtp-1",	"tcpbcc-1",
						    "tlsbsc-1",	    "msrpstat-1" };
		struct h248_desc *d = iq_arena_alloc(c->a, sizeof(*d));
		struct h248_prop **pp;
		unsigned int i;

		if (d == NULL)
			return -ENOMEM;
		d->type = H248_DESC_PACKAGES;
		d->u.list.has_body = true;
		pp = &d->u.list.items;
		for (i = 0; i < sizeof(pkgs) / sizeof(pkgs[0]); i++) {
			struct h248_prop *p = iq_arena_alloc(c->a, sizeof(*p));

			if (p == NULL)
				return -ENOMEM;
			p->name.p = pkgs[i];
			p->name.len = (uint32_t)strlen(pkgs[i]);
			*pp = p;
			pp = &p->next;
			d->u.list.n++;
		}
		out->has_body = true;
		out->descs = d;
		out->n_descs = 1;
		return 0;
	}
	if (term_tid(c, cmd, id) < 0)
		return -EINVAL;
	if (ctx == H248_CTX_NULL || ctx == H248_CTX_ALL)
		if (ctl_term_find(c->p->ctl, id, &ctx) < 0)
			return set_error(c, H248_ERR_UNKNOWN_TERM, h248_errcode_text(430));
	rc = ctl_term_get(c->p->ctl, ctx, id, &info, &s);
	if (rc < 0)
		return set_errno(c, rc, id);
	e = ent_find(c->p, info.id);
	out->has_body = true;
	if (cmd->type == H248_CMD_AUDITVALUE) {
		static const enum h248_mode modes[] = {
			[CTL_MODE_SENDRECV] = H248_MODE_SENDRECV,
			[CTL_MODE_SENDONLY] = H248_MODE_SENDONLY,
			[CTL_MODE_RECVONLY] = H248_MODE_RECVONLY,
			[CTL_MODE_INACTIVE] = H248_MODE_INACTIVE,
		};
		struct h248_desc *md, *sd;
		struct iq_str local;

		/* Audits never return keys. */
		rc = local_reply(c, NULL, &info, e, false, &local);
		if (rc == -ENOMEM)
			return rc;
		if (rc < 0)
			return set_error(c, H248_ERR_INTERNAL, "cannot build the reply");
		md = media_reply(c, NULL, local);
		sd = stats_desc(c, &s, stats_kind(info.transport));
		if (md == NULL || sd == NULL)
			return -ENOMEM;
		/* Mode only for what Iq set up (as before: an admin-made one has
		 * no LocalControl of Iq's). */
		if (e != NULL) {
			md->u.media.streams->has_lc = true;
			md->u.media.streams->lc.mode = modes[info.mode];
		}
		md->next = sd;
		out->descs = md;
		out->n_descs = 2;
	} else {
		out->descs = media_reply(c, NULL, IQ_STR("v=0\nm=audio $ RTP/AVP -"));
		if (out->descs == NULL)
			return -ENOMEM;
		out->descs->u.media.streams->local =
			IQ_STR("v=0\nm=audio $ RTP/AVP -\nv=0\nm=audio $ RTP/SAVP -\n"
			       "v=0\nm=message $ TCP/MSRP *\nv=0\nm=message $ TCP/TLS/MSRP *");
		out->n_descs = 1;
	}
	return 0;
}

static int
handle_notify(struct cmd_ctx *c, const struct h248_command *cmd, struct h248_command *out)
{
	out->tid = cmd->tid;
	/* Notify goes MG -> MGC only. */
	return set_error(c, H248_ERR_UNSUPPORTED_CMD, "Notify is not accepted by the MG");
}

static int
handle_sc(struct cmd_ctx *c, const struct h248_command *cmd, struct h248_command *out)
{
	const struct h248_desc *d = find_desc(cmd, H248_DESC_SERVICES);
	char id[CTL_TERM_ID_MAX + 1];
	uint32_t ctx;

	if (term_key(cmd->tid, id) < 0)
		return set_error(c, H248_ERR_BAD_ID, "bad TerminationID");
	out->tid = cmd->tid;
	if (d == NULL)
		return set_error(c, H248_ERR_CMD_SYNTAX, "ServiceChange without Services");
	if (strcmp(id, "root") == 0) {
		uint16_t code = 0;

		if (c->p->hooks.service_change != NULL)
			code = c->p->hooks.service_change(c->p->hooks.arg, &d->u.services);
		return code != 0 ? set_error(c, code, "MgcIdToTry is not a configured MGC") : 0;
	}
	if (ctl_term_find(c->p->ctl, id, &ctx) < 0)
		return set_error(c, H248_ERR_UNKNOWN_TERM, h248_errcode_text(430));
	/* Ephemeral terminations have no service state to change. */
	return 0;
}

static int
run_action(struct iq_proc *p, struct iq_arena *a, const struct h248_action *act,
	   struct h248_action *rep, bool *stop)
{
	struct cmd_ctx c = { .p = p, .a = a, .ctx_id = act->ctx_id };
	struct h248_command **tail = &rep->cmds;
	const struct h248_command *cmd;
	int rc = 0;

	if (act->has_props && (act->props.has_topology || act->props.has_audit)) {
		set_error(&c, H248_ERR_NOT_IMPLEMENTED, "topology and context audit");
		goto error;
	}
	for (cmd = act->cmds; cmd != NULL; cmd = cmd->next) {
		struct h248_command *o = iq_arena_alloc(a, sizeof(*o));

		if (o == NULL)
			return -ENOMEM;
		o->type = cmd->type;
		if (cmd->type <= 0 || (size_t)cmd->type >= sizeof(handlers) / sizeof(handlers[0]) ||
		    handlers[cmd->type] == NULL) {
			set_error(&c, H248_ERR_UNSUPPORTED_CMD, "unsupported command");
			goto error;
		}
		c.code = 0;
		rc = handlers[cmd->type](&c, cmd, o);
		if (rc == -ENOMEM)
			return rc;
		if (rc < 0 && !cmd->optional)
			goto error;
		if (rc < 0)
			continue; /* O-: the failure is not reported, processing goes on */
		*tail = o;
		while (o->next != NULL) /* Subtract = * appended more */
			o = o->next;
		tail = &o->next;
		rep->n_cmds++;
	}
	rep->ctx_id = c.ctx_id;
	return 0;
error:
	/* A context this action created and left empty goes away. */
	if (c.ctx_created && rep->n_cmds == 0) {
		ctl_context_delete(p->ctl, c.ctx_id);
		c.ctx_id = act->ctx_id;
	}
	rep->ctx_id = c.ctx_id;
	rep->error = iq_arena_alloc(a, sizeof(*rep->error));
	if (rep->error == NULL)
		return -ENOMEM;
	rep->error->code = c.code ? c.code : H248_ERR_INTERNAL;
	rep->error->has_text = true;
	rep->error->text.p = c.reason != NULL ? c.reason : h248_errcode_text(rep->error->code);
	rep->error->text.len = (uint32_t)strlen(rep->error->text.p);
	*stop = true;
	return 0;
}

int
iq_proc_execute(struct iq_proc *p, struct iq_arena *a, const struct h248_transaction *req,
		struct h248_transaction *rep)
{
	struct h248_action **tail = &rep->actions;
	const struct h248_action *act;
	bool stop = false;
	int rc;

	p->now_ms = ctl_now_ms();
	p->undo = NULL;
	rep->type = H248_TXN_REPLY;
	rep->id = req->id;
	for (act = req->actions; act != NULL && !stop; act = act->next) {
		struct h248_action *o = iq_arena_alloc(a, sizeof(*o));

		if (o == NULL)
			rc = -ENOMEM;
		else
			rc = run_action(p, a, act, o, &stop);
		if (rc < 0) {
			/* No reply can say what was done: undo it (issue 11). */
			iq_proc_rollback(p);
			return rc;
		}
		*tail = o;
		tail = &o->next;
		rep->n_actions++;
	}
	return 0;
}

/* A cause parameter value: the counter name, as an H.248 NAME. */
static void
cause_of(const struct ctl_msrp_event *ev, char *out, size_t len)
{
	const char *n = ev->reason == DP_MSRP_R_TLS ? sec_tls_fail_name(ev->tls)
						    : dp_msrp_reason_name(ev->reason);
	size_t i;

	for (i = 0; i + 1 < len && n != NULL && n[i] != '\0'; i++)
		out[i] = (n[i] >= 'a' && n[i] <= 'z') || (n[i] >= '0' && n[i] <= '9') ? n[i] : '_';
	out[i] = '\0';
}

/*
 * Control heard from the relay (ctl_poll(), control thread). Failures and
 * releases the MGC requested become a Notify, once per kind until the
 * connection comes up again (or the MGC requests anew): a peer that keeps
 * failing, or strangers knocking on a latching passive leg, must not turn
 * into a Notify storm. A stranger refused at the gate is not the bearer's
 * failure, and a close our own Modify caused is the MGC's doing: counted
 * only.
 */
static void
on_msrp_event(const struct ctl_msrp_event *ev, void *arg)
{
	struct iq_proc *p = arg;
	struct term_ent *e = ent_find(p, ev->term_id);
	struct notify_q *q;
	const char *name = NULL;
	char cause[32];
	uint8_t bit = 0;
	unsigned int i;

	p->st.msrp_events++;
	if (ev->type == DP_MSRP_EV_UP) {
		if (e != NULL)
			e->msrp_sent = 0;
		return;
	}
	if (ev->type == DP_MSRP_EV_FAIL && ev->reason != DP_MSRP_R_GATE)
		bit = ev->reason == DP_MSRP_R_TLS || ev->reason == DP_MSRP_R_HANDSHAKE_TIMEOUT
			      ? MSRP_EV_TLS_FAIL
			      : MSRP_EV_TCP_FAIL;
	else if (ev->type == DP_MSRP_EV_CLOSED && ev->reason != DP_MSRP_R_REMOTE_CHANGED)
		bit = MSRP_EV_RELEASE;
	if (bit == 0 || e == NULL || (e->msrp_ev & bit) == 0 || (e->msrp_sent & bit) != 0) {
		p->st.msrp_unreported++;
		return;
	}
	if (p->q_len == NOTIFY_QUEUE) {
		p->st.notify_drops++;
		return;
	}
	for (i = 0; i < sizeof(msrp_events) / sizeof(msrp_events[0]); i++)
		if (msrp_events[i].bit == bit)
			name = msrp_events[i].name;
	e->msrp_sent |= bit;
	q = &p->q[(p->q_head + p->q_len++) % NOTIFY_QUEUE];
	q->ctx_id = ev->ctx_id;
	q->rid = e->ev_rid;
	snprintf(q->term_id, sizeof(q->term_id), "%s", e->id);
	cause_of(ev, cause, sizeof(cause));
	snprintf(q->event, sizeof(q->event), "%s{cause=%s}", name, cause);
	p->st.msrp_notifies++;
	if (p->notify_ready != NULL)
		p->notify_ready(p->notify_arg);
}

int
iq_proc_poll_notify(struct iq_proc *p, uint64_t now_ms, struct iq_proc_notify *out)
{
	struct term_ent *e;

	if (p->q_len > 0) {
		const struct notify_q *q = &p->q[p->q_head];

		p->q_head = (p->q_head + 1) % NOTIFY_QUEUE;
		p->q_len--;
		out->ctx_id = q->ctx_id;
		out->rid = q->rid;
		snprintf(out->term_id, sizeof(out->term_id), "%s", q->term_id);
		snprintf(out->event_buf, sizeof(out->event_buf), "%s", q->event);
		out->event = out->event_buf;
		return 1;
	}
	for (e = p->hb; e != NULL; e = e->hb_next)
		if (e->thb_due <= now_ms) {
			e->thb_due = now_ms + e->thb_ms;
			if (ctl_term_find(p->ctl, e->id, &out->ctx_id) < 0)
				continue; /* gone without a Subtract of ours */
			snprintf(out->term_id, sizeof(out->term_id), "%s", e->id);
			out->rid = e->ev_rid;
			out->event = "hangterm/thb";
			return 1;
		}
	return 0;
}

uint64_t
iq_proc_next_notify(const struct iq_proc *p)
{
	const struct term_ent *e;
	uint64_t d = UINT64_MAX;

	if (p->q_len > 0)
		return 0;
	for (e = p->hb; e != NULL; e = e->hb_next)
		if (e->thb_due < d)
			d = e->thb_due;
	return d;
}
