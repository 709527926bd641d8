/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_flow: the flow table.
 *
 * rte_hash in lock-free reader mode, control the only writer. On DPDK 22.11
 * the hash's built-in RCU frees nothing on overwrite and has no reclaim call
 * (style-anchors §8), so the table keeps its own defer queue: a FIFO of
 * {key slot or none, old record, QSBR token, last}. A removed key's slot is
 * not freed on delete (RTE_HASH_EXTRA_FLAGS_NO_FREE_ON_DEL): it is returned
 * with rte_hash_free_key_with_position() only after the grace period, so a
 * reader in the middle of a lookup never sees the slot reused under it.
 *
 * Tokens from rte_rcu_qsbr_start() grow monotonically, so the FIFO is
 * released in order and reclaim stops at the first entry still in its grace
 * period. A replaced record is therefore always released before the record
 * that replaced it, which is what makes sharing one dp_flow_state across a
 * replace safe: only the last holder frees it.
 *
 * Only stable DPDK API is used here (no rte_rcu_qsbr_dq_*).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "dp_flow.h"
#include "dp_slab.h"
#include "dp_tsan.h"

/* The key is hashed as 24 bytes; keep it that way (no hidden padding). */
_Static_assert(sizeof(struct dp_flow_key) == 24, "dp_flow_key must be 24 bytes");
/* A record is three cache lines (read by workers, never written after
 * publish): keep new fields in its padding or mind the line count. */
_Static_assert(sizeof(struct dp_flow) <= 3 * RTE_CACHE_LINE_SIZE,
	       "dp_flow grew past three cache lines");

/* The hash of a key: CRC32-C over its three 64-bit words, which is what
 * rte_hash_crc(key, 24, init) computes, inlined. The table hashes with it
 * (flow_hash_fn) and the workers' bulk lookup computes it beside the
 * lookup: through the table's function pointer and rte_hash_crc's loop it
 * cost a worker ~55 instructions a packet, inline a dozen. */
#define FLOW_HASH_INIT 0

static inline uint32_t
flow_hash(const struct dp_flow_key *k, uint32_t init)
{
	uint64_t w[3];

	memcpy(w, k, sizeof(w));
	init = rte_hash_crc_8byte(w[0], init);
	init = rte_hash_crc_8byte(w[1], init);
	return rte_hash_crc_8byte(w[2], init);
}

static uint32_t
flow_hash_fn(const void *key, uint32_t key_len, uint32_t init)
{
	RTE_SET_USED(key_len); /* always sizeof(struct dp_flow_key) */
	return flow_hash(key, init);
}

/* The table's key compare (rte_hash_cmp_eq_t: 0 when equal): three 64-bit
 * words. rte_hash compares 16, 32, 48... byte keys with SSE and any other
 * length with memcmp, ~18 instructions a hit with the call; a 32-byte key
 * would cost as much again in the CRC and 16 bytes a key slot. */
static int
flow_key_cmp(const void *a, const void *b, size_t len)
{
	uint64_t x[3], y[3];

	RTE_SET_USED(len); /* always sizeof(struct dp_flow_key) */
	memcpy(x, a, sizeof(x));
	memcpy(y, b, sizeof(y));
	return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2])) != 0;
}

/* Records and states of every table: slabs, not one rte_malloc each (whose
 * per-object header and rounding cost 128 bytes on each; see dp_slab.h).
 * Process-wide because dp_flow_alloc() takes no table. A state is two cache
 * lines of its own: its owner worker writes it, and the next slot may be
 * another worker's. */
static struct dp_slab rec_slab = DP_SLAB_INIT("dp_flow", sizeof(struct dp_flow));
static struct dp_slab st_slab = DP_SLAB_INIT("dp_flow_state",
					     sizeof(struct dp_flow_state));

/* The defer queue holds max(max_flows / DP_FLOW_DQ_DIV, DP_FLOW_DQ_MIN)
 * removals in their grace period (see dp_flow_table_create). */
#define DP_FLOW_DQ_MIN 64
#define DP_FLOW_DQ_DIV 8
/* How long publish/unpublish wait for a grace period when the defer queue
 * is full. Workers report quiescent every loop (microseconds apart); only
 * a worker stalled this long (descheduled, or stuck) makes control fail. */
#define DP_FLOW_GRACE_WAIT_US 100000u

struct dp_flow_defer {
	struct dp_flow *f;   /* the old record */
	uint64_t token;      /* rte_rcu_qsbr_start() after it was unlinked */
	int32_t pos;         /* key slot to free, or -1 (replace: the slot is
			      * the new record's) */
	bool last;           /* its state is freed with it */
};

struct dp_flow_table {
	struct rte_hash *h;           /* RO after create */
	struct rte_rcu_qsbr *qsbr;    /* RO after create */
	uint32_t max_flows;           /* RO after create */
	uint32_t n_live;              /* W: control; R: any (atomic) */
	uint32_t n_pending;           /* W: control; R: any (atomic) */
	uint32_t dq_cap;              /* RO after create */
	uint32_t dq_head;             /* W/R: control; next to release */
	uint32_t dq_tail;             /* W/R: control; next free */
	struct dp_flow_defer *dq;     /* [dq_cap]; control only */
};

struct dp_flow_table *
dp_flow_table_create(const char *name, uint32_t max_flows, int socket,
		     struct rte_rcu_qsbr *qsbr)
{
	struct rte_hash_parameters hp;
	struct dp_flow_table *t;
	uint32_t cap;

	if (name == NULL || max_flows == 0 || qsbr == NULL ||
	    max_flows > UINT32_MAX / 4) {
		rte_errno = EINVAL;
		return NULL;
	}
	t = rte_zmalloc_socket("dp_flow_table", sizeof(*t), RTE_CACHE_LINE_SIZE,
			       socket);
	if (t == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	/* Pending removals each hold a defer entry and, for deletes, a key
	 * slot (in the hash, sized below). The queue need not be as large as
	 * the table: when it is full, publish and unpublish wait (bounded)
	 * for the oldest entry's grace period instead of failing
	 * (defer_make_room), and workers report quiescent every loop. Filling
	 * an eighth of the table within one grace period is a burst of
	 * Subtracts or re-keys while a worker is between reports; it costs
	 * control that wait, not an error. Sized like the table, the queue
	 * and its key slots cost every flow about as much again as the
	 * table itself. */
	cap = RTE_MAX(max_flows / DP_FLOW_DQ_DIV, (uint32_t)DP_FLOW_DQ_MIN);
	t->dq = rte_zmalloc_socket("dp_flow_dq", sizeof(*t->dq) * cap,
				   RTE_CACHE_LINE_SIZE, socket);
	if (t->dq == NULL) {
		rte_free(t);
		rte_errno = ENOMEM;
		return NULL;
	}
	t->dq_cap = cap;
	t->max_flows = max_flows;
	t->qsbr = qsbr;

	memset(&hp, 0, sizeof(hp));
	hp.name = name;
	/* Live flows plus the slots of deletes still in their grace period;
	 * the extendable buckets make that capacity exact. */
	hp.entries = max_flows + cap;
	hp.key_len = sizeof(struct dp_flow_key);
	hp.hash_func = flow_hash_fn;
	hp.hash_func_init_val = FLOW_HASH_INIT;
	hp.socket_id = socket;
	hp.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF |
			RTE_HASH_EXTRA_FLAGS_NO_FREE_ON_DEL |
			RTE_HASH_EXTRA_FLAGS_EXT_TABLE;
	t->h = rte_hash_create(&hp);
	if (t->h == NULL) {
		int err = rte_errno != 0 ? rte_errno : ENOMEM;

		rte_free(t->dq);
		rte_free(t);
		rte_errno = err;
		return NULL;
	}
	rte_hash_set_cmp_func(t->h, flow_key_cmp);
	return t;
}

/* Zeroize and free a record (and its state when last). The record may hold
 * key pointers: explicit_bzero is not optimised away. */
static void
flow_destroy(struct dp_flow *f, bool last)
{
	struct dp_flow_state *st = f->st;

	if (f->release != NULL)
		f->release(f, last);
	explicit_bzero(f, sizeof(*f));
	dp_slab_put(&rec_slab, f);
	if (last && st != NULL) {
		explicit_bzero(st, sizeof(*st));
		dp_slab_put(&st_slab, st);
	}
}

static void
defer_release(struct dp_flow_table *t, struct dp_flow_defer *e)
{
	if (e->pos >= 0)
		rte_hash_free_key_with_position(t->h, e->pos);
	flow_destroy(e->f, e->last);
	memset(e, 0, sizeof(*e));
}

static inline bool
defer_full(const struct dp_flow_table *t)
{
	return t->dq_tail - t->dq_head >= t->dq_cap;
}

/* Queue an unlinked record. The token is taken after the unlink, so a
 * reader that reports quiescent past it can no longer find the record. */
static void
defer_push(struct dp_flow_table *t, struct dp_flow *old, int32_t pos, bool last)
{
	struct dp_flow_defer *e = &t->dq[t->dq_tail % t->dq_cap];

	e->f = old;
	e->pos = pos;
	e->last = last;
	e->token = rte_rcu_qsbr_start(t->qsbr);
	t->dq_tail++;
	__atomic_store_n(&t->n_pending, t->dq_tail - t->dq_head,
			 __ATOMIC_RELAXED);
}

unsigned int
dp_flow_reclaim(struct dp_flow_table *t)
{
	unsigned int n = 0;

	if (t == NULL)
		return 0;
	while (t->dq_head != t->dq_tail) {
		struct dp_flow_defer *e = &t->dq[t->dq_head % t->dq_cap];

		if (rte_rcu_qsbr_check(t->qsbr, e->token, false) != 1)
			break;
		defer_release(t, e);
		t->dq_head++;
		n++;
	}
	if (n != 0)
		__atomic_store_n(&t->n_pending, t->dq_tail - t->dq_head,
				 __ATOMIC_RELAXED);
	return n;
}

/*
 * Room for one more defer entry. A full queue means control removed or
 * replaced a queue's worth of records (max_flows / 8) within one grace
 * period: a burst of Subtracts or re-keys while a worker was between
 * quiescent reports. Failing then
 * would turn a late reader into an error for the MGC (and, on unpublish, a
 * flow left forwarding after its Subtract), so wait for the oldest entry's
 * grace period, bounded. @return true when there is room.
 */
static bool
defer_make_room(struct dp_flow_table *t)
{
	uint64_t deadline;

	if (!defer_full(t))
		return true;
	dp_flow_reclaim(t);
	deadline = rte_get_timer_cycles() + rte_get_timer_hz() / 1000000 * DP_FLOW_GRACE_WAIT_US;
	while (defer_full(t)) {
		const struct dp_flow_defer *e = &t->dq[t->dq_head % t->dq_cap];

		if (rte_rcu_qsbr_check(t->qsbr, e->token, false) == 1) {
			dp_flow_reclaim(t);
			continue;
		}
		if (rte_get_timer_cycles() >= deadline)
			return false;
		rte_delay_us_sleep(20);
	}
	return true;
}

void
dp_flow_sync(struct dp_flow_table *t)
{
	if (t == NULL)
		return;
	while (t->dq_head != t->dq_tail) {
		const struct dp_flow_defer *e =
			&t->dq[(t->dq_tail - 1) % t->dq_cap];

		/* The newest token covers every older one. */
		rte_rcu_qsbr_check(t->qsbr, e->token, true);
		dp_flow_reclaim(t);
	}
}

unsigned int
dp_flow_pending(const struct dp_flow_table *t)
{
	return t == NULL ? 0 : __atomic_load_n(&t->n_pending, __ATOMIC_RELAXED);
}

uint32_t
dp_flow_count(const struct dp_flow_table *t)
{
	return t == NULL ? 0 : __atomic_load_n(&t->n_live, __ATOMIC_RELAXED);
}

void
dp_flow_table_free(struct dp_flow_table *t)
{
	const void *k;
	void *d;
	uint32_t next = 0;

	if (t == NULL)
		return;
	/* Older records first: a replaced record may share its state with
	 * the live one that replaced it (last == false). */
	while (t->dq_head != t->dq_tail) {
		defer_release(t, &t->dq[t->dq_head % t->dq_cap]);
		t->dq_head++;
	}
	while (rte_hash_iterate(t->h, &k, &d, &next) >= 0)
		flow_destroy(d, true);
	rte_hash_free(t->h);
	rte_free(t->dq);
	explicit_bzero(t, sizeof(*t));
	rte_free(t);
}

struct dp_flow *
dp_flow_alloc(struct dp_flow_state *st)
{
	struct dp_flow *f;

	f = dp_slab_get(&rec_slab);
	if (f == NULL)
		return NULL;
	if (st == NULL) {
		st = dp_slab_get(&st_slab);
		if (st == NULL) {
			dp_slab_put(&rec_slab, f);
			return NULL;
		}
		f->st_own = true;
	}
	f->st = st;
	return f;
}

void
dp_flow_free_unpublished(struct dp_flow *f)
{
	struct dp_flow_state *st;
	bool own;

	if (f == NULL)
		return;
	st = f->st;
	own = f->st_own;
	explicit_bzero(f, sizeof(*f));
	dp_slab_put(&rec_slab, f);
	if (own && st != NULL) {
		explicit_bzero(st, sizeof(*st));
		dp_slab_put(&st_slab, st);
	}
}

static bool
key_valid(const struct dp_flow_key *k)
{
	return k->family == 4 || k->family == 6;
}

int
dp_flow_publish(struct dp_flow_table *t, struct dp_flow *f)
{
	void *d = NULL;
	struct dp_flow *old = NULL;
	bool own;
	int ret;

	if (t == NULL || f == NULL || f->st == NULL || !key_valid(&f->key))
		return -EINVAL;
	/* Single writer: nothing can change the entry between this lookup
	 * and the add below. */
	if (rte_hash_lookup_data(t->h, &f->key, &d) >= 0)
		old = d;
	if (old == f)
		return -EINVAL;
	if (old == NULL && t->n_live >= t->max_flows)
		return -ENOSPC;
	if (old != NULL && !defer_make_room(t))
		return -EBUSY;
	/* Over an existing key this swaps the data pointer atomically
	 * (release store): readers see the old record or the new one, whole.
	 * The record itself was written before, and is never written again. */
	own = f->st_own;
	f->st_own = false;      /* the table owns the state from now on */
	DP_TSAN_RELEASE(f);
	ret = rte_hash_add_key_data(t->h, &f->key, f);
	if (ret < 0) {
		f->st_own = own;
		return ret == -ENOSPC ? -ENOSPC : -EINVAL;
	}
	if (old != NULL)
		defer_push(t, old, -1, old->st != f->st);
	else
		__atomic_store_n(&t->n_live, t->n_live + 1, __ATOMIC_RELAXED);
	return 0;
}

int
dp_flow_unpublish(struct dp_flow_table *t, const struct dp_flow_key *key)
{
	void *d = NULL;
	int32_t pos;

	if (t == NULL || key == NULL)
		return -EINVAL;
	if (rte_hash_lookup_data(t->h, key, &d) < 0)
		return -ENOENT;
	if (!defer_make_room(t))
		return -EBUSY;
	pos = rte_hash_del_key(t->h, key);
	if (pos < 0)
		return -ENOENT;
	defer_push(t, d, pos, true);
	__atomic_store_n(&t->n_live, t->n_live - 1, __ATOMIC_RELAXED);
	return 0;
}

struct dp_flow *
dp_flow_lookup(const struct dp_flow_table *t, const struct dp_flow_key *key)
{
	void *d;

	if (t == NULL || key == NULL)
		return NULL;
	if (rte_hash_lookup_data(t->h, key, &d) < 0)
		return NULL;
	DP_TSAN_ACQUIRE(d);
	return d;
}

uint64_t
dp_flow_lookup_bulk(const struct dp_flow_table *t,
		    const struct dp_flow_key **keys, unsigned int n,
		    struct dp_flow **flows)
{
	hash_sig_t sig[RTE_HASH_LOOKUP_BULK_MAX];
	uint64_t hits = 0, m;
	unsigned int i;

	if (n > RTE_HASH_LOOKUP_BULK_MAX)
		n = RTE_HASH_LOOKUP_BULK_MAX;
	for (i = 0; i < n; i++) {
		flows[i] = NULL;
		sig[i] = flow_hash(keys[i], FLOW_HASH_INIT);
	}
	if (n == 0 ||
	    rte_hash_lookup_with_hash_bulk_data(t->h, (const void **)keys, sig, n, &hits,
						(void **)flows) <= 0)
		return 0;
	/* Entries of misses are not written by the hash; they stay NULL. */
	for (m = ~hits & (n == 64 ? UINT64_MAX : (UINT64_C(1) << n) - 1);
	     m != 0; m &= m - 1)
		flows[__builtin_ctzll(m)] = NULL;
#ifdef DP_TSAN
	for (m = hits; m != 0; m &= m - 1)
		DP_TSAN_ACQUIRE(flows[__builtin_ctzll(m)]);
#endif
	return hits;
}

int
dp_flow_iterate(const struct dp_flow_table *t,
		int (*cb)(const struct dp_flow *f, void *arg), void *arg)
{
	const void *k;
	void *d;
	uint32_t next = 0;
	int rc;

	if (t == NULL || cb == NULL)
		return -EINVAL;
	while (rte_hash_iterate(t->h, &k, &d, &next) >= 0) {
		rc = cb(d, arg);
		if (rc != 0)
			return rc;
	}
	return 0;
}
