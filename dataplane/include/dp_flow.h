/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_flow: the flow record and the flow table.
 *
 * A flow is one direction of one stream (RTP or RTCP; access-in or core-in).
 * It is keyed by what the packet carries on arrival: ingress port, local
 * (destination) address and local UDP port. Where the flow demands a remote
 * address (source filtering), that is checked after the lookup.
 *
 * The record is split the VPP way: struct dp_flow is read-only once
 * published; struct dp_flow_state is the small part its owner lcore writes
 * (counters, latch state). A replace (Modify, rekey) publishes a new
 * dp_flow that points at the same dp_flow_state, so counters and
 * per-stream state survive it.
 *
 * Table: rte_hash with lock-free readers; control is the only writer. Old
 * records (replaced or deleted) go to an RCU QSBR defer queue and are released
 * only after every worker has reported a quiescent state.
 */
#ifndef IMSAGW_DP_FLOW_H
#define IMSAGW_DP_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_rcu_qsbr.h>


/* The lookup key. Zero the whole struct before filling it: it is hashed as
 * bytes. */
struct dp_flow_key {
	uint16_t port_id;       /* ingress ethdev */
	uint8_t family;         /* 4 or 6 */
	uint8_t pad0;
	uint16_t local_port;    /* UDP destination port, network order */
	uint16_t pad1;
	uint8_t local_addr[16]; /* IPv4 in the first 4 bytes, rest zero */
};

/* What a worker does to a packet of the flow. */
enum dp_xform {
	DP_XFORM_RELAY = 0,      /* rewrite and forward (RTP/RTCP, e2e SRTP) */
	DP_XFORM_SRTP_UNPROTECT, /* access-in RTP: SRTP -> RTP */
	DP_XFORM_SRTP_PROTECT,   /* core-in RTP: RTP -> SRTP */
	DP_XFORM_SRTCP_UNPROTECT,
	DP_XFORM_SRTCP_PROTECT,
};

enum dp_flow_flags {
	DP_FLOW_F_LATCH = 1u << 0,      /* report a valid source to control
					 * (which re-aims the reverse flow at
					 * it): an authenticated SRTP packet's,
					 * or on plain RTP the source that sent
					 * DP_LATCH_PKTS packets in a row from
					 * within remote_addr/latch_plen */
	DP_FLOW_F_SRC_FILTER = 1u << 1, /* drop packets whose source is not
					 * remote_addr[:remote_port] (while a
					 * LATCH flow is still learning: not
					 * within remote_addr/latch_plen) */
	DP_FLOW_F_GATE_CLOSED = 1u << 2,/* mode says do not forward: count and
					 * drop */
	DP_FLOW_F_RTCP = 1u << 3,
	DP_FLOW_F_NO_NEIGH = 1u << 4,   /* egress link address unknown yet:
					 * count and drop */
	DP_FLOW_F_RTCP_MUX = 1u << 5,   /* RTP and RTCP share this flow (RFC
					 * 5761): a packet whose second byte is
					 * 200..204 is RTCP (SRTCP xform with
					 * the same session) */
};

/* Why a packet of a known flow was dropped; counted per flow. */
enum dp_flow_drop {
	DP_FLOW_DROP_GATE = 0,
	DP_FLOW_DROP_SRC,        /* source filter mismatch */
	DP_FLOW_DROP_NO_NEIGH,
	DP_FLOW_DROP_AUTH,       /* SRTP/SRTCP authentication failure */
	DP_FLOW_DROP_REPLAY,
	DP_FLOW_DROP_XFORM,      /* other transform error (malformed, key limit) */
	DP_FLOW_DROP_TX,         /* TX ring full */
	DP_FLOW_DROP_MAX,
};

/*
 * Plain RTP latches after this many packets in a row from one source (TS
 * 23.334 §5.x latching: the IMS-AGW learns the UE's NAT binding from its
 * media). One packet would let a single blind spoofed datagram that races
 * the UE's first one steer the downlink; every packet from another source
 * restarts the count, so a spoofer must outnumber the UE's own stream at
 * the start of the call. Small because the downlink goes to the signalled
 * address until the latch: 3 packets are 60 ms of 20 ms ptime audio.
 * Authenticated SRTP latches on its first packet (the tag is the proof).
 */
#define DP_LATCH_PKTS 3

/* dp_flow.latch_plen when no remote address was signalled: plain RTP then
 * latches to nothing (only authenticated SRTP may). */
#define DP_LATCH_PLEN_NONE 0xff

/* The part the owner lcore writes. Control reads it without locks (single
 * writer, naturally aligned 64-bit fields). One cache line per writer. */
struct dp_flow_state {
	/* What every forwarded packet writes, in the first cache line (the
	 * drop counters, on the rare path, may spill into the second). */
	uint64_t pkts;                       /* W: owner lcore */
	uint64_t bytes;                      /* W: owner lcore; UDP payload */
	uint64_t last_rx_tsc;                /* W: owner lcore; inactivity */
	uint64_t drops[DP_FLOW_DROP_MAX];    /* W: owner lcore */
	/* Latching. The state outlives records (a Modify publishes a new
	 * one over it): a latch counts only for the record whose id it
	 * carries, so a record published after a Modify that changed the
	 * remote (a new id, DP_FLOW_F_LATCH again) latches again. */
	uint32_t latch_id;                   /* W: owner lcore; f->id the
					      * latch (or the count) is for */
	uint8_t latched;                     /* W: owner lcore; an event was
					      * sent for record latch_id */
	uint8_t latch_cnt;                   /* W: owner lcore; packets in a
					      * row from the candidate */
	uint16_t latch_port;                 /* W: owner lcore; candidate
					      * source port, network order */
	uint8_t latch_addr[16];              /* W: owner lcore; candidate
					      * source address */
} __rte_cache_aligned;

/* Egress rewrite: a precomputed header template (Ethernet [+VLAN] + IPv4/IPv6
 * + UDP) that replaces the packet's headers. Length and checksum fields are
 * filled per packet, the checksums from the template's own sums (RFC 1071
 * §2: a sum may be split and added in any order). Built by
 * dp_flow_set_egress(); nothing else may fill it. */
struct dp_flow_egress {
	uint16_t port_id;       /* egress ethdev */
	uint8_t family;         /* 4 or 6 */
	uint8_t l2_len;         /* 14 or 18 */
	uint8_t hdr_len;        /* l2 + l3 + 8 */
	uint8_t pad;
	uint16_t ip_sum;        /* IPv4: the template's IP header summed
				 * (length, id, checksum 0), folded */
	uint8_t hdr[72];
	uint16_t l4_sum;        /* the UDP checksum's fixed words, folded:
				 * pseudo-header addresses and protocol, the
				 * template's ports (lengths 0) */
	uint8_t pad2[6];
};

struct dp_flow;
/* What a flow points at but never looks into. crypto/ defines the session
 * (the worker hands it to sec_*()); control/ defines its shared-session
 * handle and its termination. Incomplete here on purpose: dataplane
 * includes no control header and cannot dereference either. */
struct sec_session;
struct ctl_sec;
struct ctl_term;

/* Called on the control thread once the grace period after a flow's removal
 * or replacement has passed: destroy what the flow refers to (crypto session
 * keys are zeroized there). The record itself is freed by the table after. */
typedef void (*dp_flow_release_t)(struct dp_flow *f, bool last);

struct dp_flow {
	struct dp_flow_key key;       /* RO after publish */
	uint32_t id;                  /* RO: control's id, for telemetry */
	uint32_t flags;               /* RO: enum dp_flow_flags */
	enum dp_xform xform;          /* RO */
	uint16_t owner_lcore;         /* RO: the lcore that writes st */
	uint16_t remote_port;         /* RO: network order; filter */
	uint8_t remote_addr[16];      /* RO: remote the flow was programmed with
				       * (the signalled one while latching) */
	uint8_t latch_plen;           /* RO: DP_FLOW_F_LATCH on plain RTP: a
				       * source is latched only within
				       * remote_addr/latch_plen (32 or 128:
				       * the signalled address exactly; 0:
				       * any; see ports.*.latch_prefix4/6) */
	struct dp_flow_egress eg;     /* RO */
	bool st_own;                  /* RO: st came from dp_flow_alloc(NULL);
				       * dp_flow_free_unpublished() frees it.
				       * Here, in the padding before sec: the
				       * record is 192 bytes, 3 cache lines */
	struct sec_session *sec;      /* RO: crypto/ session for SRTP xforms;
				       * NULL makes them drop
				       * (DP_FLOW_DROP_XFORM) */
	struct ctl_sec *sec_ref;      /* RO: control's handle on sec (shared
				       * across replaces), for release */
	struct ctl_term *owner;       /* RO: control's back pointer */
	dp_flow_release_t release;    /* RO: control's destructor, or NULL */
	struct dp_flow_state *st;     /* shared across replaces; W: owner lcore */
};

struct dp_flow_table;

/*
 * Create a flow table of up to max_flows entries on NUMA socket `socket`,
 * whose readers report to the QSBR variable `qsbr` (may be shared with other
 * tables). name must be unique among rte_hash tables (EEXIST otherwise).
 * The hash is sized for max_flows live entries plus as many removals still
 * in their grace period as the defer queue holds (max(max_flows / 8, 64));
 * more removals within one grace period wait for it (see publish).
 * Control only.
 * @return the table, or NULL with rte_errno set (EINVAL, ENOMEM, EEXIST).
 */
struct dp_flow_table *dp_flow_table_create(const char *name, uint32_t max_flows,
					   int socket, struct rte_rcu_qsbr *qsbr);

/* Free a table and every flow in it (calls release(f, true)). Only when no
 * worker runs. */
void dp_flow_table_free(struct dp_flow_table *t);

/* Allocate a zeroed record and, when st is NULL, a fresh state. Control only.
 * @return the record, or NULL when out of memory. */
struct dp_flow *dp_flow_alloc(struct dp_flow_state *st);

/* Free a record that was never published: the record is zeroized and freed,
 * and its state too when dp_flow_alloc() made it (st_own). release is not
 * called: the caller destroys what it attached. NULL is a no-op. Control
 * only. */
void dp_flow_free_unpublished(struct dp_flow *f);

/*
 * Publish f under f->key: add, or replace the flow under the same key. The
 * replaced record is released after the grace period (release(old, false)
 * when old->st == f->st, else release(old, true)). f must be complete; it is
 * never written again. Control only.
 * @return 0, -ENOSPC (table full), -EINVAL (bad key family, no state, f
 *         already published), -EBUSY (the defer queue is full and stays
 *         full for 100 ms of waiting for the grace period: a worker has not
 *         reported quiescent for that long; reclaim and retry later).
 *         May sleep up to those 100 ms, only when the queue is full.
 */
int dp_flow_publish(struct dp_flow_table *t, struct dp_flow *f);

/*
 * Remove the flow under key. It is released (and its state freed) after the
 * grace period. Workers may still forward on it until then; see
 * dp_flow_sync(). Control only.
 * @return 0, -ENOENT, or -EBUSY (defer queue full after the same bounded
 *         wait as publish; the flow stays published: retry).
 */
int dp_flow_unpublish(struct dp_flow_table *t, const struct dp_flow_key *key);

/* Release what the grace period allows. Never blocks. Control only.
 * @return how many records were released. */
unsigned int dp_flow_reclaim(struct dp_flow_table *t);

/* Block until every record removed so far is released: for shutdown and
 * tests, never from the Iq path. Control only. */
void dp_flow_sync(struct dp_flow_table *t);

/* Records waiting for their grace period. Any thread. */
unsigned int dp_flow_pending(const struct dp_flow_table *t);

/* Number of published flows. Any thread. */
uint32_t dp_flow_count(const struct dp_flow_table *t);

/* Find one flow; control and telemetry use this. NULL if absent. Readers must
 * be inside a QSBR read section (workers) or be the writer (control). */
struct dp_flow *dp_flow_lookup(const struct dp_flow_table *t,
			       const struct dp_flow_key *key);

/*
 * Bulk lookup for workers: keys[i] -> flows[i] (NULL on miss).
 * @return a bitmask of hits (bit i set when flows[i] != NULL). n <= 64.
 */
uint64_t dp_flow_lookup_bulk(const struct dp_flow_table *t,
			     const struct dp_flow_key **keys, unsigned int n,
			     struct dp_flow **flows);

/* Walk published flows (control/telemetry). Stops when cb returns non-zero.
 */
int dp_flow_iterate(const struct dp_flow_table *t,
		    int (*cb)(const struct dp_flow *f, void *arg), void *arg);

#endif /* IMSAGW_DP_FLOW_H */
