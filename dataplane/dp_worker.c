/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_worker: the media worker loop.
 *
 * Per iteration: RX a burst from each queue the worker owns; parse and
 * classify into media candidates, exception and drops; one bulk flow lookup
 * for the candidates; per hit: owner check (hand off over an SP/SC ring),
 * flow gates, latch, header rewrite, buffered TX. Packets of SRTP flows are
 * collected instead and, after the burst's relay packets, handed to crypto/
 * in one sec_burst() call across all their flows (a multi-buffer device
 * then fills its lanes with many calls' packets); what passes is rewritten
 * and sent, what fails is dropped and counted per flow (auth, replay,
 * xform).
 * Unprotect flows latch only on packets that authenticated (SPEC §3.8); plain
 * RTP latches only within the signalled address (or the port's NAT prefix)
 * after DP_LATCH_PKTS packets in a row from one source (dp_flow.h). Then the
 * rings other workers fill for us, the TX flush, and one QSBR quiescent
 * report.
 *
 * The exception path is policed before anything is spent on a packet: one
 * TSC token bucket per port and worker (struct dp_policer: the port's rate
 * split evenly across the workers), TCP to the port's MSRP range on a
 * bucket of its own, and Neighbour Discovery filtered (RFC 4861: no RA,
 * Redirect or RS from the access side; NS/NA only for our addresses and
 * their solicited-node groups; hop limit 255). Drops are counted
 * (exc_policed, tcp_policed, nd).
 *
 * Nothing here logs, allocates, locks or makes a system call (TX/RX on
 * net_tap do, inside the PMD; that is the development port's business).
 * Every packet is either transmitted or freed and counted under a reason.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "dp_addr.h"
#include "dp_priv.h"
#include "dp_rewrite.h"
#include "dp_tsan.h"
#include "dp_worker.h"
#include "sec.h"

_Static_assert(DP_MAX_BURST <= SEC_BURST_MAX, "a worker burst fits one crypto burst");

/* Events travel by value in an elem ring: the size must be a multiple of 4. */
_Static_assert(sizeof(struct dp_event) % 4 == 0, "dp_event ring element size");

/* Bytes of each received frame prefetched before classification: a G.711
 * or AMR-WB SRTP frame with its headers. */
#define DP_PREFETCH_BYTES 256u

enum dp_act {
	DP_ACT_DROP = 0,
	DP_ACT_EXC,     /* to the kernel, under the port's exception budget */
	DP_ACT_EXC_TCP, /* TCP to the MSRP range: under its own budget */
	DP_ACT_MEDIA,
};

/* ICMPv6 types of RFC 4861 §4. */
enum {
	DP_ND_RS = 133,
	DP_ND_RA = 134,
	DP_ND_NS = 135,
	DP_ND_NA = 136,
	DP_ND_REDIRECT = 137,
};

static inline void
drop(struct dp_lcore *lc, struct rte_mbuf *m, enum dp_lcore_drop why)
{
	lc->stats.drops[why]++;
	rte_pktmbuf_free(m);
}

static inline void
flow_drop(struct dp_flow_state *st, struct rte_mbuf *m, enum dp_flow_drop why)
{
	st->drops[why]++;
	rte_pktmbuf_free(m);
}

static void
txq_flush(struct dp_lcore *lc, unsigned int slot)
{
	struct dp_txq *q = &lc->txq[slot];
	bool exc = slot >= CFG_MAX_PORTS;
	uint16_t sent, i;

	if (q->n == 0)
		return;
	sent = rte_eth_tx_burst(q->port_id, q->queue, q->pkts, q->n);
	if (exc)
		lc->stats.to_exc += sent;
	else
		lc->stats.tx += sent;
	for (i = sent; i < q->n; i++) {
		if (q->st[i] != NULL)
			q->st[i]->drops[DP_FLOW_DROP_TX]++;
		drop(lc, q->pkts[i], exc ? DP_DROP_EXC_FULL : DP_DROP_TX_FULL);
	}
	q->n = 0;
}

static inline void
txq_add(struct dp_lcore *lc, unsigned int slot, struct rte_mbuf *m, struct dp_flow_state *st)
{
	struct dp_txq *q = &lc->txq[slot];

	if (q->n == DP_TXBUF)
		txq_flush(lc, slot);
	q->pkts[q->n] = m;
	q->st[q->n] = st;
	q->n++;
}

static inline bool
addr_ours(const struct dp_addr_set *as, const struct dp_pkt_view *v)
{
	if (v->family == 4) {
		uint32_t d;

		memcpy(&d, v->dst, 4);
		return dp_addr4_in(as, d);
	}
	if (v->family != 6)
		return false;
	/* The exception interface's link-local address is ours too. */
	if (v->dst[0] == 0xfe && (v->dst[1] & 0xc0) == 0x80)
		return true;
	return dp_addr6_in(as, v->dst);
}

/* Is dst the solicited-node multicast address (RFC 4291 §2.7.1:
 * ff02::1:ffXX:XXXX, the low 24 bits of the unicast address) of one of p's
 * IPv6 addresses or of its exception interface's link-local address (EUI-64
 * from the port's MAC, RFC 4291 §2.5.1: its low 24 bits are the MAC's)? */
static inline bool
solicited_ours(const struct dp_port *p, const uint8_t *dst)
{
	static const uint8_t sn[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff};
	unsigned int i;

	if (memcmp(dst, sn, sizeof(sn)) != 0)
		return false;
	if (memcmp(dst + 13, &p->mac.addr_bytes[3], 3) == 0)
		return true;
	for (i = 0; i < p->n_addr6; i++)
		if (memcmp(dst + 13, &p->addr6[i][13], 3) == 0)
			return true;
	return false;
}

/* Neighbour Discovery (RFC 4861) toward the kernel: only what a host with
 * our addresses needs. */
static inline enum dp_act
classify_nd(const struct dp_port *p, const struct dp_addr_set *as, const uint8_t *f,
	    const struct dp_pkt_view *v, uint8_t type, enum dp_lcore_drop *why)
{
	static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 0x01};

	*why = DP_DROP_ND;
	/* RFC 4861 §6.1, §7.1, §8.1: every ND message carries hop limit
	 * 255, so none was routed here from off-link. */
	if (f[v->l3_off + 7] != 255)
		return DP_ACT_DROP;
	switch (type) {
	case DP_ND_NS:
	case DP_ND_NA:
		/* Resolution of and by our own addresses only: unicast to us
		 * (incl. link-local) or to our solicited-node groups
		 * (§7.2.2); anything else is someone else's business. */
		if (addr_ours(as, v) || solicited_ours(p, v->dst))
			return DP_ACT_EXC;
		return DP_ACT_DROP;
	case DP_ND_RA:
	case DP_ND_REDIRECT:
		/* The access link's nodes are UEs, never our routers: an RA
		 * or a Redirect from there (§6.1.2, §8.1) would re-route the
		 * data plane kernel. On the core link routers are real. */
		if (p->role == CFG_PORT_ACCESS)
			return DP_ACT_DROP;
		if (addr_ours(as, v) || memcmp(v->dst, all_nodes, 16) == 0)
			return DP_ACT_EXC;
		return DP_ACT_DROP;
	case DP_ND_RS:
	default:
		/* The data plane kernel forwards nothing: it is not a
		 * router, and a host discards RS (§6.2.6). */
		return DP_ACT_DROP;
	}
}

/* What to do with a frame that arrived on data port p. *why is set for
 * DP_ACT_DROP. */
static inline enum dp_act
classify(const struct dp_port *p, const struct dp_addr_set *as, const struct rte_mbuf *m,
	 struct dp_pkt_view *v, enum dp_lcore_drop *why)
{
	const uint8_t *f = rte_pktmbuf_mtod(m, const uint8_t *);
	const struct rte_ether_hdr *eh = (const struct rte_ether_hdr *)f;
	uint32_t len = m->data_len;
	bool hw_tag = (m->ol_flags & RTE_MBUF_F_RX_VLAN_STRIPPED) != 0;
	uint16_t dport;

	if (dp_pkt_parse(f, len, v) == DP_PKT_BAD) {
		*why = DP_DROP_BAD;
		return DP_ACT_DROP;
	}
	switch (p->conf->vlan_mode) {
	case CFG_VLAN_NONE:
		if (v->n_vlan != 0 || hw_tag) {
			*why = DP_DROP_VLAN;
			return DP_ACT_DROP;
		}
		break;
	case CFG_VLAN_STRIP:
		/* Exactly our tag, stripped by the NIC or still in the frame. */
		if (hw_tag ? (v->n_vlan != 0 || (m->vlan_tci & 0xfff) != p->vlan_tci)
			   : (v->n_vlan != 1 || (v->vlan_tci & 0xfff) != p->vlan_tci)) {
			*why = DP_DROP_VLAN;
			return DP_ACT_DROP;
		}
		break;
	case CFG_VLAN_PASS:
		break;
	}
	if (!rte_is_multicast_ether_addr(&eh->dst_addr) &&
	    !rte_is_same_ether_addr(&eh->dst_addr, &p->mac)) {
		*why = DP_DROP_NOT_OURS;
		return DP_ACT_DROP;
	}
	switch (v->cls) {
	case DP_PKT_ARP:
		return DP_ACT_EXC;
	case DP_PKT_ICMP6:
		/* RFC 4861 §4: RS, RA, NS, NA, Redirect, often to multicast
		 * destinations, are filtered by what they are. */
		if (v->l4_off < len && f[v->l4_off] >= DP_ND_RS && f[v->l4_off] <= DP_ND_REDIRECT)
			return classify_nd(p, as, f, v, f[v->l4_off], why);
		/* fall through */
	case DP_PKT_ICMP:
	case DP_PKT_FRAG:
	case DP_PKT_OTHER_IP:
		if (addr_ours(as, v))
			return DP_ACT_EXC;
		*why = DP_DROP_NOT_OURS;
		return DP_ACT_DROP;
	case DP_PKT_TCP:
		if (!addr_ours(as, v)) {
			*why = DP_DROP_NOT_OURS;
			return DP_ACT_DROP;
		}
		/* MSRP (RFC 4975) terminations listen in the TCP range: that
		 * is bearer traffic with a budget junk cannot use up. */
		dport = rte_be_to_cpu_16(v->dport);
		if (dport >= p->conf->tcp_min && dport <= p->conf->tcp_max)
			return DP_ACT_EXC_TCP;
		return DP_ACT_EXC;
	case DP_PKT_UDP:
		if (!addr_ours(as, v)) {
			*why = DP_DROP_NOT_OURS;
			return DP_ACT_DROP;
		}
		dport = rte_be_to_cpu_16(v->dport);
		if (dport >= p->conf->udp_min && dport <= p->conf->udp_max)
			return DP_ACT_MEDIA;
		return DP_ACT_EXC;
	default:
		*why = DP_DROP_NOT_OURS;
		return DP_ACT_DROP;
	}
}

/*
 * Take a token from b at TSC now. @return true when the packet may pass.
 * A token bucket of depth burst, one token a period, kept as GCRA (ITU-T
 * I.371's virtual scheduling): a packet passes unless the theoretical
 * arrival time is more than burst - 1 periods ahead of now, and moves it
 * one period on. A packet the policer stops costs one comparison; the
 * bucket never holds more than burst, idle time included (the lazy refill
 * this replaces gave a port that sat idle its burst twice).
 */
static inline bool
police(struct dp_policer *b, uint64_t now)
{
	if (b->period == 0)
		return true;
	if (b->tat > now + b->tau)
		return false;
	b->tat = RTE_MAX(b->tat, now) + b->period;
	return true;
}

static void
policer_init(struct dp_policer *b, uint32_t rate, uint32_t burst, unsigned int n_workers)
{
	uint64_t hz = rte_get_tsc_hz();

	memset(b, 0, sizeof(*b));
	if (rate == 0 || n_workers == 0)
		return;
	/* This worker's share of the port's budget. */
	b->period = RTE_MAX(hz * n_workers / rate, (uint64_t)1);
	b->tau = (RTE_MAX((uint64_t)burst / n_workers, (uint64_t)1) - 1) * b->period;
	b->tat = rte_rdtsc();
}

static inline void
to_exc(struct dp_lcore *lc, const struct dp_port *p, struct rte_mbuf *m,
       const struct dp_pkt_view *v, enum dp_pol_class pc, uint64_t now)
{
	/* Before anything is spent on the packet: a flood of junk costs a
	 * comparison each, not a system call (net_tap's write). */
	if (!police(&lc->pol[p->role][pc], now)) {
		drop(lc, m, pc == DP_POL_TCP ? DP_DROP_TCP_POLICED : DP_DROP_EXC_POLICED);
		return;
	}
	if (!p->has_exc) {
		drop(lc, m, DP_DROP_EXC_FULL);
		return;
	}
	/* The kernel side is untagged in STRIP mode; PASS hands tags over
	 * as they are. */
	if (p->conf->vlan_mode == CFG_VLAN_STRIP && v->n_vlan != 0 && rte_vlan_strip(m) != 0) {
		drop(lc, m, DP_DROP_BAD);
		return;
	}
	txq_add(lc, DP_SLOT_EXC_ACCESS + p->role, m, NULL);
}

static inline bool
src_match(const struct dp_flow *f, const struct dp_pkt_view *v)
{
	if (v->family != f->key.family)
		return false;
	if (memcmp(v->src, f->remote_addr, v->family == 4 ? 4 : 16) != 0)
		return false;
	return f->remote_port == 0 || f->remote_port == v->sport;
}

/* Are the first plen bits of a and b equal? */
static inline bool
prefix_eq(const uint8_t *a, const uint8_t *b, unsigned int plen)
{
	unsigned int bytes = plen / 8, bits = plen % 8;
	uint8_t mask;

	if (memcmp(a, b, bytes) != 0)
		return false;
	if (bits == 0)
		return true;
	mask = (uint8_t)(0xff00u >> bits);
	return ((a[bytes] ^ b[bytes]) & mask) == 0;
}

/* May plain RTP from v's source be latched (TS 23.334: only within what
 * was signalled)? latch_plen beyond the family's length: nothing was
 * signalled, nothing may be learned from unauthenticated packets. */
static inline bool
latch_src_ok(const struct dp_flow *f, const struct dp_pkt_view *v)
{
	unsigned int bits = v->family == 4 ? 32u : 128u;

	if (v->family != f->key.family || f->latch_plen > bits)
		return false;
	return prefix_eq(v->src, f->remote_addr, f->latch_plen);
}

/* Has this record latched? The state is shared with the records before
 * it: a latch of an older record (before a Modify) does not count. */
static inline bool
latched(const struct dp_flow *f)
{
	return f->st->latched && f->st->latch_id == f->id;
}

static inline void
latch(struct dp_lcore *lc, const struct dp_flow *f, const struct dp_pkt_view *v)
{
	struct dp_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = DP_EV_LATCH;
	ev.flow_id = f->id;
	ev.key = f->key;
	ev.family = v->family;
	memcpy(ev.src_addr, v->src, v->family == 4 ? 4 : 16);
	ev.src_port = v->sport;
	/* A full ring leaves the flow unlatched: the next packet tries
	 * again. */
	if (rte_ring_sp_enqueue_elem(lc->ev_ring, &ev, sizeof(ev)) == 0) {
		f->st->latch_id = f->id;
		f->st->latched = 1;
		memcpy(f->st->latch_addr, v->src, v->family == 4 ? 4 : 16);
		f->st->latch_port = v->sport;
	}
}

/* The source filter of a DP_FLOW_F_LATCH record: the signalled prefix while
 * it learns; once it latched, until control publishes the record aimed at
 * the learned source (a few ms), exactly that source, not the signalled
 * remote_port the UE's NAT has replaced. */
static inline bool
latch_filter_ok(const struct dp_flow *f, const struct dp_pkt_view *v)
{
	const struct dp_flow_state *st = f->st;

	if (!latched(f))
		return latch_src_ok(f, v);
	return st->latch_port == v->sport &&
	       memcmp(st->latch_addr, v->src, v->family == 4 ? 4 : 16) == 0;
}

/* Plain RTP of a DP_FLOW_F_LATCH flow: count packets in a row from one
 * source within the signalled prefix; DP_LATCH_PKTS of them latch. */
static inline void
latch_plain(struct dp_lcore *lc, const struct dp_flow *f, const struct dp_pkt_view *v)
{
	struct dp_flow_state *st = f->st;
	unsigned int alen = v->family == 4 ? 4u : 16u;

	if (st->latch_id != f->id) {
		/* A new record (Modify): learn again from scratch. */
		st->latch_id = f->id;
		st->latched = 0;
		st->latch_cnt = 0;
	}
	if (st->latched || !latch_src_ok(f, v))
		return;
	if (st->latch_cnt == 0 || st->latch_port != v->sport ||
	    memcmp(st->latch_addr, v->src, alen) != 0) {
		memcpy(st->latch_addr, v->src, alen);
		st->latch_port = v->sport;
		st->latch_cnt = 1;
	} else if (st->latch_cnt < UINT8_MAX) {
		st->latch_cnt++;
	}
	/* A full event ring leaves it unlatched: the next packet retries. */
	if (st->latch_cnt >= DP_LATCH_PKTS)
		latch(lc, f, v);
}

/* Forward a packet of f whose UDP payload is now [off, off + len): egress
 * rewrite, counters, buffered TX. relay_v: the packet's view when its
 * payload leaves as it came (its checksum then gives the payload's sum),
 * else NULL. */
static inline void
forward(struct dp_lcore *lc, const struct dp_flow *f, struct rte_mbuf *m, uint16_t off,
	uint16_t len, const struct dp_pkt_view *relay_v, uint64_t now)
{
	struct dp_flow_state *st = f->st;
	uint32_t psum = DP_REWRITE_SUM_NONE;
	unsigned int slot, ol;

	slot = f->eg.port_id < RTE_MAX_ETHPORTS ? lc->dp->slot_of_port[f->eg.port_id] : DP_NO_SLOT;
	if (slot >= CFG_MAX_PORTS || lc->port[slot] == NULL) {
		flow_drop(st, m, DP_FLOW_DROP_TX);
		return;
	}
	ol = lc->txq[slot].ol;
	if (relay_v != NULL && (ol & DP_REWRITE_OL_UDP_CKSUM) == 0)
		psum = dp_rewrite_payload_sum(rte_pktmbuf_mtod(m, const uint8_t *), relay_v);
	if (dp_rewrite_apply(m, off, len, &f->eg, lc->ip_id++, ol, psum) != 0) {
		flow_drop(st, m, DP_FLOW_DROP_XFORM);
		return;
	}
	st->pkts++;
	st->bytes += len;
	st->last_rx_tsc = now;
	txq_add(lc, slot, m, st);
}

/* The crypto operation a packet of an SRTP flow needs (enum sec_op_code:
 * bit 0 unprotect, bit 1 RTCP). */
static inline uint8_t
sec_op(const struct dp_flow *f, const struct rte_mbuf *m, const struct dp_pkt_view *v)
{
	bool unprot = f->xform == DP_XFORM_SRTP_UNPROTECT || f->xform == DP_XFORM_SRTCP_UNPROTECT;
	bool rtcp = f->xform == DP_XFORM_SRTCP_UNPROTECT || f->xform == DP_XFORM_SRTCP_PROTECT;

	/* RFC 5761 §4: on a muxed port, a second octet of 200..204 is an RTCP
	 * packet type (RTP payload types 72..76 are not used there). */
	if ((f->flags & DP_FLOW_F_RTCP_MUX) && v->payload_len >= 2) {
		uint8_t pt = rte_pktmbuf_mtod(m, const uint8_t *)[v->payload_off + 1];

		rtcp = pt >= 200 && pt <= 204;
	}
	return (uint8_t)((rtcp ? SEC_RTCP_PROTECT : 0) | (unprot ? SEC_RTP_UNPROTECT : 0));
}

/* Packets of one burst that wait for their SRTP/SRTCP transform: all of
 * them, whatever their flow, go to crypto/ in one sec_burst() call, so the
 * device works on many calls' packets at once. */
struct dp_xbatch {
	unsigned int n;
	const struct dp_flow *f[DP_MAX_BURST];
	struct rte_mbuf *m[DP_MAX_BURST];
	const struct dp_pkt_view *v[DP_MAX_BURST];
	uint8_t op[DP_MAX_BURST];
};

static inline void
flow_pkt(struct dp_lcore *lc, const struct dp_flow *f, struct rte_mbuf *m,
	 const struct dp_pkt_view *v, uint64_t now, struct dp_xbatch *xb)
{
	struct dp_flow_state *st;
	uint32_t flags = f->flags;
	int16_t owner = -1;
	uint8_t op;

	/* Exactly one worker writes a flow's state (crypto, counters): a
	 * packet RSS put elsewhere goes to the owner, which looks it up again
	 * (the record may be gone by the time the owner sees the packet). */
	if (f->owner_lcore < RTE_MAX_LCORE)
		owner = lc->worker_of_lcore[f->owner_lcore];
	if (owner >= 0 && (unsigned int)owner != lc->idx) {
		if (rte_ring_sp_enqueue(lc->out_ring[owner], m) == 0)
			lc->stats.handoff++;
		else
			drop(lc, m, DP_DROP_HANDOFF_FULL);
		return;
	}
	st = f->st;
	/* SPEC §3.8: a closed gate drops before any SRTP processing. */
	if (flags & DP_FLOW_F_GATE_CLOSED) {
		flow_drop(st, m, DP_FLOW_DROP_GATE);
		return;
	}
	/* While a latching flow learns, its filter is the signalled prefix,
	 * then the learned source (latch_filter_ok); control then publishes
	 * a record without DP_FLOW_F_LATCH that filters on that source. */
	if ((flags & DP_FLOW_F_SRC_FILTER) &&
	    !((flags & DP_FLOW_F_LATCH) ? latch_filter_ok(f, v) : src_match(f, v))) {
		flow_drop(st, m, DP_FLOW_DROP_SRC);
		return;
	}
	if (likely(f->xform == DP_XFORM_RELAY)) {
		/* Latch on the first packet that passed the gates, even before
		 * the egress is resolvable: the latched source is what control
		 * re-aims the reverse flow at. */
		if (flags & DP_FLOW_F_LATCH)
			latch_plain(lc, f, v);
		if (flags & DP_FLOW_F_NO_NEIGH) {
			flow_drop(st, m, DP_FLOW_DROP_NO_NEIGH);
			return;
		}
		forward(lc, f, m, v->payload_off, v->payload_len, v, now);
		return;
	}
	if (f->sec == NULL || f->xform > DP_XFORM_SRTCP_PROTECT || m->nb_segs != 1) {
		flow_drop(st, m, DP_FLOW_DROP_XFORM);
		return;
	}
	op = sec_op(f, m, v);
	if ((op & SEC_RTP_UNPROTECT) == 0) {
		/* Plain RTP in: latch as the relay does; no crypto work for a
		 * packet that cannot leave. An unprotect flow latches and
		 * checks the egress only after authentication (xbatch_run). */
		if (flags & DP_FLOW_F_LATCH)
			latch_plain(lc, f, v);
		if (flags & DP_FLOW_F_NO_NEIGH) {
			flow_drop(st, m, DP_FLOW_DROP_NO_NEIGH);
			return;
		}
	}
	xb->f[xb->n] = f;
	xb->m[xb->n] = m;
	xb->v[xb->n] = v;
	xb->op[xb->n] = op;
	xb->n++;
}

static inline enum dp_flow_drop
sec_drop_reason(uint8_t status)
{
	switch (status) {
	case SEC_ST_AUTH_FAIL:
		return DP_FLOW_DROP_AUTH;
	case SEC_ST_REPLAY:
	case SEC_ST_TOO_OLD:
		return DP_FLOW_DROP_REPLAY;
	default:
		return DP_FLOW_DROP_XFORM;
	}
}

/* A packet whose transform succeeded; its UDP payload is now len bytes. */
static inline void
xform_done(struct dp_lcore *lc, const struct dp_flow *f, struct rte_mbuf *m,
	   const struct dp_pkt_view *v, uint32_t len, uint8_t op, uint64_t now)
{
	uint32_t end = (uint32_t)v->payload_off + len;

	if (op & SEC_RTP_UNPROTECT) {
		/* SPEC §3.8: latch only on packets that authenticated, or
		 * anyone could hijack the stream. */
		if ((f->flags & DP_FLOW_F_LATCH) && !latched(f))
			latch(lc, f, v);
		if (f->flags & DP_FLOW_F_NO_NEIGH) {
			flow_drop(f->st, m, DP_FLOW_DROP_NO_NEIGH);
			return;
		}
	} else if (end > m->data_len) {
		/* Protect appended the tag (and SRTCP index) in the tailroom. */
		m->pkt_len += end - m->data_len;
		m->data_len = (uint16_t)end;
	}
	forward(lc, f, m, v->payload_off, (uint16_t)len, NULL, now);
}

/* Run the transforms of the packets collected in xb (one crypto/ call for
 * all flows), then forward the good packets and drop and count the rest. */
static void
xbatch_run(struct dp_lcore *lc, struct dp_xbatch *xb, uint64_t now)
{
	struct sec_burst_pkt bp[DP_MAX_BURST];
	unsigned int i;

	for (i = 0; i < xb->n; i++) {
		const struct rte_mbuf *m = xb->m[i];
		const struct dp_pkt_view *v = xb->v[i];

		bp[i].s = xb->f[i]->sec;
		bp[i].op = xb->op[i];
		bp[i].pkt.data = rte_pktmbuf_mtod(m, uint8_t *) + v->payload_off;
		bp[i].pkt.len = v->payload_len;
		/* Everything after the payload start is ours to write
		 * (Ethernet padding included): protect grows into it. */
		bp[i].pkt.room = (uint32_t)m->buf_len - m->data_off - v->payload_off;
	}
	(void)sec_burst(lc->sec, bp, (uint16_t)xb->n);
	for (i = 0; i < xb->n; i++) {
		if (bp[i].status == SEC_ST_OK)
			xform_done(lc, xb->f[i], xb->m[i], xb->v[i], bp[i].pkt.len, xb->op[i],
				   now);
		else
			flow_drop(xb->f[i]->st, xb->m[i], sec_drop_reason(bp[i].status));
	}
	xb->n = 0;
}

/* Packets RX'd from data port `slot`, or handed over by another worker
 * (slot DP_NO_SLOT: m->port says where each came from, and RX was counted
 * by the worker that received it). */
static void
process_burst(struct dp_lcore *lc, struct rte_mbuf **pkts, uint16_t n, uint8_t rx_slot)
{
	struct dp_pkt_view views[DP_MAX_BURST];
	struct dp_flow_key keys[DP_MAX_BURST];
	const struct dp_flow_key *kp[DP_MAX_BURST];
	struct dp_flow *flows[DP_MAX_BURST];
	struct rte_mbuf *media[DP_MAX_BURST];
	struct dp_xbatch xb;
	struct dp_pkt_view *v;
	struct dp_flow_key *k;
	enum dp_lcore_drop why;
	unsigned int nm = 0, i;
	uint64_t hits, now;

	if (rx_slot != DP_NO_SLOT)
		lc->stats.rx += n;
	now = rte_rdtsc();
	/* Every frame is read next: its mbuf (both lines: the rewrite writes
	 * the TX offload lengths), then its bytes up to DP_PREFETCH_BYTES (an
	 * SRTP voice frame whole: the crypto reads its tag at the end first). */
	for (i = 0; i < n; i++) {
		rte_prefetch0(pkts[i]);
		rte_prefetch0(&pkts[i]->cacheline1);
	}
	for (i = 0; i < n; i++) {
		const uint8_t *d = rte_pktmbuf_mtod(pkts[i], const uint8_t *);

		/* Unconditionally, without a loop: a prefetch never faults,
		 * and the lines past a short frame are its own buffer's. */
		_Static_assert(DP_PREFETCH_BYTES == 4 * RTE_CACHE_LINE_SIZE, "prefetch lines");
		rte_prefetch0(d);
		rte_prefetch0(d + RTE_CACHE_LINE_SIZE);
		rte_prefetch0(d + 2 * RTE_CACHE_LINE_SIZE);
		rte_prefetch0(d + 3 * RTE_CACHE_LINE_SIZE);
	}
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint8_t slot = rx_slot;
		const struct dp_port *p;

		/* Not every PMD sets m->port (net_ring does not); the
		 * handoff path relies on it. */
		if (slot != DP_NO_SLOT)
			m->port = lc->port[slot]->port_id;
		else
			slot = m->port < RTE_MAX_ETHPORTS ? lc->dp->slot_of_port[m->port]
							  : DP_NO_SLOT;

		if (slot >= CFG_MAX_PORTS || lc->port[slot] == NULL) {
			drop(lc, m, DP_DROP_BAD);
			continue;
		}
		p = lc->port[slot];
		why = DP_DROP_BAD;
		/* Parsed in place into the next media slot: a media packet
		 * keeps its view there, anything else leaves it to the next
		 * packet. */
		v = &views[nm];
		switch (classify(p, &lc->addrs[slot], m, v, &why)) {
		case DP_ACT_MEDIA:
			k = &keys[nm];
			/* the whole key is hashed and compared: padding and
			 * an IPv4 key's last 12 address bytes are zero */
			*k = (struct dp_flow_key){.port_id = p->port_id,
						  .family = v->family,
						  .local_port = v->dport};
			if (v->family == 4)
				memcpy(k->local_addr, v->dst, 4);
			else
				memcpy(k->local_addr, v->dst, 16);
			kp[nm] = k;
			media[nm] = m;
			nm++;
			break;
		case DP_ACT_EXC:
			to_exc(lc, p, m, v, DP_POL_EXC, now);
			break;
		case DP_ACT_EXC_TCP:
			to_exc(lc, p, m, v, DP_POL_TCP, now);
			break;
		case DP_ACT_DROP:
		default:
			drop(lc, m, why);
			break;
		}
	}
	if (nm == 0)
		return;
	hits = dp_flow_lookup_bulk(lc->flows, kp, nm, flows);
	/* With many calls the records, and what they point at (state, crypto
	 * session), are not in cache: ask for them all before the first one
	 * is used, in two waves (the second reads the first's pointers). */
	for (i = 0; i < nm; i++) {
		if ((hits >> i) & 1) {
			rte_prefetch0(flows[i]);
			rte_prefetch0(RTE_PTR_ADD(flows[i], RTE_CACHE_LINE_SIZE));
			rte_prefetch0(RTE_PTR_ADD(flows[i], 2 * RTE_CACHE_LINE_SIZE));
		}
	}
	for (i = 0; i < nm; i++) {
		if (((hits >> i) & 1) && flows[i] != NULL) {
			rte_prefetch0(flows[i]->st);
			if (flows[i]->sec != NULL)
				rte_prefetch0(flows[i]->sec);
		}
	}
	xb.n = 0;
	for (i = 0; i < nm; i++) {
		if ((hits & (1ull << i)) == 0 || flows[i] == NULL) {
			drop(lc, media[i], DP_DROP_NO_FLOW);
			continue;
		}
		flow_pkt(lc, flows[i], media[i], &views[i], now, &xb);
	}
	if (xb.n != 0)
		xbatch_run(lc, &xb, now);
}

/* What the kernel sent on port p's exception interface leaves through p
 * unchanged (tagged in STRIP mode). */
static void
from_exc(struct dp_lcore *lc, const struct dp_port *p, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t i;

	lc->stats.from_exc += n;
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		m->ol_flags = 0;
		if (p->conf->vlan_mode == CFG_VLAN_STRIP) {
			m->vlan_tci = p->vlan_tci;
			if (p->hw_vlan_insert) {
				m->ol_flags |= RTE_MBUF_F_TX_VLAN;
			} else if (rte_vlan_insert(&m) != 0) {
				drop(lc, m, DP_DROP_BAD);
				continue;
			}
		}
		txq_add(lc, p->role, m, NULL);
	}
}

/* One pass of the worker loop: every RX queue, the handoff rings, the TX
 * flush. */
void
dp_lcore_iterate(struct dp_lcore *lc)
{
	struct rte_mbuf *pkts[DP_MAX_BURST];
	uint64_t t0 = rte_rdtsc();
	unsigned int i, got = 0;
	uint16_t n;

	for (i = 0; i < lc->n_rxq; i++) {
		const struct dp_rxq *rq = &lc->rxq[i];

		n = rte_eth_rx_burst(rq->port_id, rq->queue, pkts, lc->burst);
		if (n == 0)
			continue;
		got += n;
		if (rq->exc)
			from_exc(lc, lc->port[rq->slot], pkts, n);
		else
			process_burst(lc, pkts, n, rq->slot);
	}
	for (i = 0; i < lc->dp->n_workers; i++) {
		if (lc->in_ring[i] == NULL)
			continue;
		n = (uint16_t)rte_ring_sc_dequeue_burst(lc->in_ring[i], (void **)pkts, lc->burst,
							NULL);
		if (n == 0)
			continue;
		got += n;
		process_burst(lc, pkts, n, DP_NO_SLOT);
	}
	for (i = 0; i < DP_SLOT_MAX; i++)
		txq_flush(lc, i);
	/* two TSC reads a turn: an idle one costs them and counts nothing */
	if (got != 0) {
		lc->stats.busy_cycles += rte_rdtsc() - t0;
		lc->stats.busy_turns++;
	}
}

int
dp_lcore_main(void *arg)
{
	struct dp_lcore *lc = arg;
	struct dp *dp = lc->dp;

	/* Registered in dp_create(); online only while the loop runs so that
	 * control's grace periods never wait for a stopped worker. */
	rte_rcu_qsbr_thread_online(lc->qsbr, lc->idx);
	while (!__atomic_load_n(&dp->stop, __ATOMIC_ACQUIRE)) {
		dp_lcore_iterate(lc);
		rte_rcu_qsbr_quiescent(lc->qsbr, lc->idx);
	}
	rte_rcu_qsbr_thread_offline(lc->qsbr, lc->idx);
	DP_TSAN_RELEASE(lc); /* seen by dp_stop() after rte_eal_wait_lcore() */
	return 0;
}

struct dp_lcore *
dp_lcore_create(struct dp *dp, unsigned int idx, unsigned int lcore_id)
{
	struct dp_lcore *lc;
	unsigned int r, j;

	lc = rte_zmalloc_socket("dp_lcore", sizeof(*lc), RTE_CACHE_LINE_SIZE,
				(int)rte_lcore_to_socket_id(lcore_id));
	if (lc == NULL)
		return NULL;
	lc->dp = dp;
	lc->idx = idx;
	lc->lcore_id = lcore_id;
	lc->burst = dp->dpconf.burst;
	if (lc->burst == 0 || lc->burst > DP_MAX_BURST)
		lc->burst = 32;
	lc->qsbr = dp->qsbr;
	lc->flows = dp->flows;
	lc->ev_ring = dp->ev_ring[idx];
	lc->worker_of_lcore = dp->worker_of_lcore;
	for (j = 0; j < dp->n_workers; j++) {
		if (j == idx)
			continue;
		lc->in_ring[j] = dp->handoff[j][idx];
		lc->out_ring[j] = dp->handoff[idx][j];
	}
	for (r = 0; r < CFG_MAX_PORTS; r++) {
		const struct dp_port *p = &dp->ports[r];
		struct dp_txq *q;

		if (!p->configured)
			continue;
		lc->port[r] = p;
		dp_addr_set_build(&lc->addrs[r], p->addr4, p->n_addr4,
				  (const uint8_t(*)[16])p->addr6, p->n_addr6);
		lc->rxq[lc->n_rxq++] = (struct dp_rxq){.port_id = p->port_id,
						       .queue = (uint16_t)idx,
						       .slot = (uint8_t)r,
						       .exc = 0};
		policer_init(&lc->pol[r][DP_POL_EXC], p->conf->exc_rate, p->conf->exc_burst,
			     dp->n_workers);
		policer_init(&lc->pol[r][DP_POL_TCP], p->conf->exc_tcp_rate,
			     p->conf->exc_tcp_burst, dp->n_workers);
		q = &lc->txq[r];
		q->port_id = p->port_id;
		q->queue = (uint16_t)idx;
		q->ol = (p->tx_ip_cksum ? DP_REWRITE_OL_IP_CKSUM : 0) |
			(p->tx_udp_cksum ? DP_REWRITE_OL_UDP_CKSUM : 0);
		if (!p->has_exc)
			continue;
		lc->rxq[lc->n_rxq++] = (struct dp_rxq){.port_id = p->exc_port_id,
						       .queue = (uint16_t)idx,
						       .slot = (uint8_t)r,
						       .exc = 1};
		q = &lc->txq[DP_SLOT_EXC_ACCESS + r];
		q->port_id = p->exc_port_id;
		q->queue = (uint16_t)idx;
	}
	if (rte_rcu_qsbr_thread_register(dp->qsbr, idx) != 0) {
		rte_free(lc);
		return NULL;
	}
	return lc;
}

void
dp_lcore_free(struct dp_lcore *lc)
{
	unsigned int i;

	if (lc == NULL)
		return;
	for (i = 0; i < DP_SLOT_MAX; i++) {
		while (lc->txq[i].n > 0)
			rte_pktmbuf_free(lc->txq[i].pkts[--lc->txq[i].n]);
	}
	(void)rte_rcu_qsbr_thread_unregister(lc->qsbr, lc->idx);
	rte_free(lc);
}

DP_TSAN_RACY_READER void
dp_lcore_stats_read(const struct dp_lcore *lc, struct dp_lcore_stats *out)
{
	const volatile struct dp_lcore_stats *s = &lc->stats;
	unsigned int i;

	/* Single writer, naturally aligned 64-bit fields: plain loads. */
	out->rx = s->rx;
	out->tx = s->tx;
	out->to_exc = s->to_exc;
	out->from_exc = s->from_exc;
	out->handoff = s->handoff;
	for (i = 0; i < DP_DROP_MAX; i++)
		out->drops[i] = s->drops[i];
	out->busy_cycles = s->busy_cycles;
	out->busy_turns = s->busy_turns;
}

unsigned int
dp_lcore_id(const struct dp_lcore *lc)
{
	return lc->lcore_id;
}
