/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flow programming: a context's terminations -> the flows the workers run
 * (MSRP terminations have relay legs instead: ctl_msrp.c).
 *
 * Each termination T owns the flows keyed on its local ports (what T's remote
 * sends): RTP, and RTCP unless rtcp-mux. Such a flow leaves through the peer
 * P's port, from P's local address and port, toward P's remote. Every change
 * (add, modify, subtract, latch, a neighbour resolved) rebuilds all flows of
 * the context and publishes them over the old ones: a flow is never written
 * after it is published, and counters survive because the new record shares
 * the old one's dp_flow_state.
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "ctl_priv.h"

struct ctl_term *
ctl_peer(const struct ctl_term *t)
{
	const struct ctl_ctx *x = t->ctx;
	unsigned int i;

	for (i = 0; i < x->n_terms; i++)
		if (x->terms[i] != t)
			return x->terms[i];
	return NULL;
}

static void
key_of(const struct ctl_term *t, enum ctl_stream s, struct dp_flow_key *k)
{
	memset(k, 0, sizeof(*k));
	k->port_id = t->port.port_id;
	if (t->local.family == AF_INET) {
		k->family = 4;
		memcpy(k->local_addr, &t->local.a.v4, 4);
	} else {
		k->family = 6;
		memcpy(k->local_addr, &t->local.a.v6, 16);
	}
	k->local_port = htons(t->local_port[s]);
}

static bool
remote_known(const struct ctl_remote *r)
{
	return r->ip.family != 0 && r->port != 0;
}

static void
ip_bytes(const struct cfg_ip *ip, uint8_t out[16])
{
	memset(out, 0, 16);
	if (ip->family == AF_INET)
		memcpy(out, &ip->a.v4, 4);
	else if (ip->family == AF_INET6)
		memcpy(out, &ip->a.v6, 16);
}

static uint16_t
choose_owner(struct ctl *c)
{
	const struct cfg_lcores *lc = &c->cfg->lcores;

	/* Round-robin over the media workers. A packet that arrives on another
	 * worker's queue is handed to the owner over a ring (counted). */
	if (lc->n_media == 0)
		return 0;
	return (uint16_t)lc->media[c->next_owner++ % lc->n_media];
}

/* Build and publish the in-flow of stream s of t. */
static int
program_stream(struct ctl *c, struct ctl_term *t, enum ctl_stream s, bool *waiting)
{
	struct ctl_term *p = ctl_peer(t);
	/* With rtcp-mux, RTCP shares the RTP port and remote. */
	enum ctl_stream ps = p != NULL && p->spec.rtcp_mux ? CTL_RTP : s;
	const struct ctl_remote *own = &t->remote[s];
	struct ctl_sec *sec = NULL;
	struct rte_ether_addr mac;
	struct dp_flow *f;
	bool open, keyed = true;
	int rc;

	f = dp_flow_alloc(t->in_st[s]);
	if (f == NULL)
		return -ENOMEM;
	key_of(t, s, &f->key);
	f->id = ++c->next_flow_id;
	f->owner = t;
	f->xform = DP_XFORM_RELAY;
	if (s == CTL_RTCP)
		f->flags |= DP_FLOW_F_RTCP;
	/* e2ae (SPEC §1.2): what an e2ae termination's remote sends is
	 * unprotected with its rx sessions; what goes out toward an e2ae
	 * termination's remote is protected with its tx sessions. With
	 * rtcp-mux the RTP flow carries both, one session for both. */
	if (t->spec.transport == CTL_TR_SRTP_E2AE) {
		f->xform = s == CTL_RTP ? DP_XFORM_SRTP_UNPROTECT : DP_XFORM_SRTCP_UNPROTECT;
		sec = t->sec_rx[s];
	} else if (p != NULL && p->spec.transport == CTL_TR_SRTP_E2AE) {
		f->xform = s == CTL_RTP ? DP_XFORM_SRTP_PROTECT : DP_XFORM_SRTCP_PROTECT;
		sec = p->sec_tx[ps];
	}
	if (f->xform != DP_XFORM_RELAY) {
		/* A direction without its key stays closed. */
		keyed = sec != NULL;
		if (t->spec.rtcp_mux)
			f->flags |= DP_FLOW_F_RTCP_MUX;
	}
	if (t->spec.latch && !own->latched) {
		/* TS 23.334 latching learns the UE's NAT binding from its
		 * media, but only within the address the IMS-ALG signalled
		 * (or the port's NAT prefix around it, ports.*.latch_prefix4/6):
		 * a stranger's packets must not steer the downlink. Nothing
		 * signalled: plain RTP cannot latch (authenticated SRTP can). */
		f->flags |= DP_FLOW_F_LATCH;
		f->latch_plen = DP_LATCH_PLEN_NONE;
		if (own->ip.family != 0 && own->ip.family == t->local.family) {
			ip_bytes(&own->ip, f->remote_addr);
			f->latch_plen = own->ip.family == AF_INET ? t->port.conf->latch_prefix4
								  : t->port.conf->latch_prefix6;
		}
	}
	if (t->spec.src_filter && remote_known(own)) {
		f->flags |= DP_FLOW_F_SRC_FILTER;
		ip_bytes(&own->ip, f->remote_addr);
		f->remote_port = htons(own->port);
	}

	open = p != NULL && keyed && ctl_mode_receives(t->spec.mode) &&
	       ctl_mode_sends(p->spec.mode) && remote_known(&p->remote[ps]);
	if (open) {
		rc = dp_neigh_resolve(c->dp, p->spec.realm, &p->remote[ps].ip, &mac);
		if (rc == -EAGAIN)
			*waiting = true;
		else if (rc < 0) {
			char a[INET6_ADDRSTRLEN];

			CTL_LOG(WARNING, "ctx %u term %s: no route to %s on %s port: %s",
				t->ctx->id, p->id, cfg_ip_str(&p->remote[ps].ip, a, sizeof(a)),
				p->spec.realm == CFG_PORT_ACCESS ? "access" : "core", strerror(-rc));
			open = false;
		}
	}
	if (open) {
		rc = dp_flow_set_egress(f, &p->port, &p->local, p->local_port[ps],
					&p->remote[ps].ip, p->remote[ps].port,
					rc == 0 ? &mac : NULL);
		if (rc < 0) {
			dp_flow_free_unpublished(f);
			return rc;
		}
	} else {
		f->flags |= DP_FLOW_F_GATE_CLOSED;
	}
	/* One writer per state: the record runs where its predecessor ran,
	 * or where the session it carries already runs (after a Move the
	 * peer's flow takes over the moved termination's protect session). */
	if (open && sec != NULL && sec->has_owner)
		t->owner[s] = sec->owner_lcore;
	else if (!t->has_owner[s])
		t->owner[s] = choose_owner(c);
	t->has_owner[s] = true;
	f->owner_lcore = t->owner[s];
	/* The record shares the live session: replacing a flow never resets
	 * SRTP state. Its reference goes in the release callback. */
	if (open && sec != NULL) {
		ctl_sec_attach(f, sec);
		sec->owner_lcore = f->owner_lcore;
		sec->has_owner = true;
	}

	rc = dp_flow_publish(c->flows, f);
	if (rc < 0) {
		ctl_sec_put(f->sec_ref);
		dp_flow_free_unpublished(f);
		return rc;
	}
	t->in_st[s] = f->st;
	return 0;
}

int
ctl_program_ctx(struct ctl *c, struct ctl_ctx *x)
{
	bool waiting = false;
	unsigned int i;
	int rc;

	/* MSRP terminations have relay legs, not flows (a context never mixes
	 * the two: ctl_ctx.c check_pair()). */
	if (x->n_terms > 0 && ctl_transport_is_msrp(x->terms[0]->spec.transport))
		return ctl_msrp_program(c, x);
	for (i = 0; i < x->n_terms; i++) {
		struct ctl_term *t = x->terms[i];

		rc = program_stream(c, t, CTL_RTP, &waiting);
		if (rc == 0 && !t->spec.rtcp_mux)
			rc = program_stream(c, t, CTL_RTCP, &waiting);
		if (rc < 0)
			return rc;
	}
	if (waiting && !x->waiting_neigh) {
		TAILQ_INSERT_TAIL(&c->neigh_wait, x, neigh_link);
		x->waiting_neigh = true;
	} else if (!waiting && x->waiting_neigh) {
		TAILQ_REMOVE(&c->neigh_wait, x, neigh_link);
		x->waiting_neigh = false;
	}
	return 0;
}

void
ctl_unprogram_term(struct ctl *c, struct ctl_term *t)
{
	enum ctl_stream s;

	for (s = CTL_RTP; s < CTL_N_STREAMS; s++) {
		struct dp_flow_key k;

		if (t->in_st[s] == NULL)
			continue;
		key_of(t, s, &k);
		/* -EBUSY: a worker has not reported quiescent for 100 ms while the
		 * defer queue is full. The flow must not outlive its termination
		 * (it would forward after the Subtract), so wait for the grace
		 * period without bound: only a worker that never reports again
		 * holds control here, and its media is dead already. */
		if (dp_flow_unpublish(c->flows, &k) == -EBUSY) {
			CTL_LOG(WARNING, "ctx %u term %s: a worker is late for the grace "
				"period; waiting for it to remove the flow", t->ctx->id, t->id);
			dp_flow_sync(c->flows);
			dp_flow_unpublish(c->flows, &k);
		}
		t->in_st[s] = NULL; /* freed by the table after the grace period */
	}
}

void
ctl_read_in(const struct ctl_term *t, enum ctl_stream s, struct ctl_dir_stats *out)
{
	const volatile struct dp_flow_state *st = t->in_st[s];
	unsigned int d;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return;
	/* Single-writer 64-bit counters: plain aligned loads are atomic. */
	out->pkts = st->pkts;
	out->bytes = st->bytes;
	for (d = 0; d < DP_FLOW_DROP_MAX; d++)
		out->drops[d] = st->drops[d];
}

void
ctl_on_dp_event(const struct dp_event *ev, void *arg)
{
	struct ctl *c = arg;
	struct dp_flow *f;
	struct ctl_term *t;
	enum ctl_stream s;
	char a[INET6_ADDRSTRLEN];

	if (ev->type != DP_EV_LATCH)
		return;
	f = dp_flow_lookup(c->flows, &ev->key);
	if (f == NULL || f->owner == NULL)
		return; /* the flow went away meanwhile */
	t = f->owner;
	s = ntohs(ev->key.local_port) == t->local_port[CTL_RTP] ? CTL_RTP : CTL_RTCP;
	if (!t->spec.latch || t->remote[s].latched)
		return;
	memset(&t->remote[s].ip, 0, sizeof(t->remote[s].ip));
	if (ev->family == 4) {
		t->remote[s].ip.family = AF_INET;
		memcpy(&t->remote[s].ip.a.v4, ev->src_addr, 4);
	} else {
		t->remote[s].ip.family = AF_INET6;
		memcpy(&t->remote[s].ip.a.v6, ev->src_addr, 16);
	}
	t->remote[s].port = ntohs(ev->src_port);
	t->remote[s].latched = true;
	CTL_LOG(INFO, "ctx %u term %s: %s latched to %s port %u", t->ctx->id, t->id,
		s == CTL_RTP ? "rtp" : "rtcp", cfg_ip_str(&t->remote[s].ip, a, sizeof(a)),
		t->remote[s].port);
	if (ctl_program_ctx(c, t->ctx) < 0)
		CTL_LOG(ERR, "ctx %u: reprogramming after latch failed", t->ctx->id);
}
