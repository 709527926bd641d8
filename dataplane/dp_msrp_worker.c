/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An msrp worker: one epoll loop over the connections and listeners of the
 * legs it owns, the command ring control fills, a timer wheel for the
 * connect, handshake, idle and drain deadlines, and the event ring control
 * drains.
 *
 * A round: epoll_wait (level-triggered), the commands that arrived, the
 * ready connections, the legs that used up their budget last round (the
 * ready list: fairness without losing work), the wheel slots whose tick
 * has passed, then done_seq for control's barrier. With workers on lcores
 * the round blocks in epoll_wait for at most one tick; control's eventfd
 * wakes it for a command. With none, dp_msrp_poll() runs one round that
 * does not block, on control's thread.
 *
 * Workers do not log (STYLE.md): they count reasons and post events;
 * dp_msrp_events() logs on control's thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "dp_msrp_priv.h"

#define MSRP_EV_RING 16384

uint64_t
msrp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int
msrp_ring_init(struct msrp_ring *r, uint32_t count, uint32_t esize)
{
	uint32_t n = 1;

	while (n < count)
		n <<= 1;
	memset(r, 0, sizeof(*r));
	r->data = calloc(n, esize);
	if (r->data == NULL)
		return -ENOMEM;
	r->mask = n - 1;
	r->esize = esize;
	return 0;
}

void
msrp_ring_fini(struct msrp_ring *r)
{
	free(r->data);
	r->data = NULL;
}

/* ---- events --------------------------------------------------------------- */

static bool
ev_put(struct msrp_worker *wk, struct msrp_leg *l, const struct msrp_pend *p)
{
	struct dp_msrp_event e = {
		.leg = l->id,
		.cookie = l->cookie,
		.type = (enum dp_msrp_ev_type)p->type,
		.reason = (enum dp_msrp_reason)p->reason,
		.tls = (enum sec_tls_fail)p->tls,
		.peer = p->peer_ip,
		.peer_port = p->peer_port,
	};

	return msrp_ring_put(&wk->evs, &e) == 0;
}

/*
 * Post an event for control. UP and CLOSED must not be lost: when the ring
 * is full they wait in the leg (in order, a few at most: a leg goes up and
 * closes once per start) and the next round retries. A FAIL that finds the
 * ring full is dropped and counted; its counters already tell.
 */
void
msrp_ev(struct msrp_worker *wk, struct msrp_leg *l, enum dp_msrp_ev_type type,
	enum dp_msrp_reason r, enum sec_tls_fail tls)
{
	struct msrp_pend p = {
		.type = (uint8_t)type,
		.reason = (uint8_t)r,
		.tls = (uint8_t)tls,
		.peer_ip = l->peer_ip,
		.peer_port = l->peer_port,
	};

	if (l->n_pend == 0 && ev_put(wk, l, &p))
		return;
	if (type == DP_MSRP_EV_FAIL || l->n_pend == MSRP_PEND_MAX) {
		wk->st.ev_dropped++;
		return;
	}
	l->pend[l->n_pend++] = p;
	if (!msrp_linked(&l->pnode))
		msrp_list_add_tail(&wk->pending, &l->pnode);
}

static void
ev_retry(struct msrp_worker *wk)
{
	struct msrp_link *n, *next;

	for (n = wk->pending.next; n != &wk->pending; n = next) {
		struct msrp_leg *l = MSRP_CONTAINER(n, struct msrp_leg, pnode);
		unsigned int i = 0;

		next = n->next;
		while (i < l->n_pend && ev_put(wk, l, &l->pend[i]))
			i++;
		if (i > 0) {
			memmove(l->pend, l->pend + i, (l->n_pend - i) * sizeof(l->pend[0]));
			l->n_pend -= i;
		}
		if (l->n_pend > 0)
			return; /* the ring is full again */
		msrp_unlink(&l->pnode);
	}
}

/* A leg control closes takes its waiting events with it. */
void
msrp_ev_forget(struct msrp_leg *l)
{
	l->n_pend = 0;
	msrp_unlink(&l->pnode);
}

/* ---- epoll ------------------------------------------------------------------ */

int
msrp_epoll_set(struct msrp_worker *wk, struct msrp_leg *l, bool listener, uint32_t want)
{
	struct epoll_event e = {.events = want};
	int fd = listener ? l->lfd : l->fd;
	bool *reg = listener ? &l->lfd_reg : &l->fd_reg;
	uint32_t *cur = listener ? &l->lev : &l->ev;
	int rc;

	if (fd < 0)
		return 0;
	if (*reg && *cur == want)
		return 0;
	e.data.u64 = (uint64_t)(uintptr_t)l | (listener ? MSRP_TAG_LISTEN : MSRP_TAG_CONN);
	rc = epoll_ctl(wk->epfd, *reg ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &e);
	if (rc < 0)
		return -errno;
	*reg = true;
	*cur = want;
	return 0;
}

void
msrp_wk_wake(struct msrp_worker *wk)
{
	uint64_t one = 1;

	/* A full counter (never in practice) still leaves the fd readable. */
	(void)!write(wk->evfd, &one, sizeof(one));
}

/* ---- timer wheel ------------------------------------------------------------- */

/*
 * One deadline per leg, the earliest of its connect, handshake, idle and
 * drain deadlines; msrp_conn_timer() works out which one passed and arms
 * the next. A leg sits in the slot of its deadline's tick; slot t is
 * processed once tick t is over, so nothing fires early and at most one
 * tick late. A deadline more than a turn away is looked at once a turn.
 * The idle deadline is not moved per byte: when it fires, the leg checks
 * its last byte and re-arms.
 */
void
msrp_timer_arm(struct msrp_worker *wk, struct msrp_leg *l, uint64_t deadline)
{
	uint64_t t;

	msrp_unlink(&l->tnode);
	l->deadline = deadline;
	if (deadline == 0)
		return;
	t = deadline / MSRP_TICK_MS;
	if (t < wk->tick)
		t = wk->tick;
	msrp_list_add_tail(&wk->wheel[t & (MSRP_WHEEL - 1)], &l->tnode);
}

static void
wheel_run(struct msrp_worker *wk)
{
	uint64_t now_tick = wk->now / MSRP_TICK_MS;
	unsigned int turns = 0;

	while (wk->tick < now_tick && turns++ < MSRP_WHEEL) {
		struct msrp_link *slot = &wk->wheel[wk->tick & (MSRP_WHEEL - 1)];
		struct msrp_link due;

		/* Arming from a callback lands in a later slot, never this one. */
		wk->tick++;
		if (slot->next == slot)
			continue;
		/* Take the slot's list; callbacks may unlink any leg of it. */
		due.next = slot->next;
		due.prev = slot->prev;
		due.next->prev = &due;
		due.prev->next = &due;
		msrp_list_init(slot);
		while (due.next != &due) {
			struct msrp_leg *l = MSRP_CONTAINER(due.next, struct msrp_leg, tnode);

			msrp_unlink(&l->tnode);
			if (l->deadline > wk->now) {
				msrp_list_add_tail(slot, &l->tnode);
				continue;
			}
			l->deadline = 0;
			msrp_conn_timer(wk, l);
		}
	}
	if (wk->tick < now_tick)
		wk->tick = now_tick; /* stalled for more than a turn: all seen */
}

/* ---- ready list ---------------------------------------------------------------- */

void
msrp_ready_add(struct msrp_worker *wk, struct msrp_leg *l)
{
	if (!msrp_linked(&l->rnode))
		msrp_list_add_tail(&wk->ready, &l->rnode);
}

static void
ready_run(struct msrp_worker *wk)
{
	struct msrp_link now;

	if (wk->ready.next == &wk->ready)
		return;
	/* This round's list; legs that run out of budget again join the
	 * next one. */
	now.next = wk->ready.next;
	now.prev = wk->ready.prev;
	now.next->prev = &now;
	now.prev->next = &now;
	msrp_list_init(&wk->ready);
	while (now.next != &now) {
		struct msrp_leg *l = MSRP_CONTAINER(now.next, struct msrp_leg, rnode);

		msrp_unlink(&l->rnode);
		msrp_relay_kick(wk, l);
	}
}

/* ---- commands --------------------------------------------------------------------- */

void
msrp_wk_exec(struct msrp_worker *wk, const struct msrp_cmd *c)
{
	switch (c->type) {
	case MSRP_C_ADD:
		msrp_conn_add(wk, c->leg, c->fd);
		break;
	case MSRP_C_MODIFY:
		msrp_conn_modify(wk, c->leg, c->spec, c->fd);
		free(c->spec);
		break;
	case MSRP_C_JOIN:
		msrp_relay_join(wk, c->leg, c->leg2);
		break;
	case MSRP_C_UNJOIN:
		msrp_relay_unjoin(wk, c->leg);
		break;
	case MSRP_C_CLOSE:
		msrp_conn_close(wk, c->leg);
		break;
	case MSRP_C_DETACH:
		msrp_conn_detach(wk, c->leg);
		break;
	case MSRP_C_ATTACH:
		msrp_conn_attach(wk, c->leg);
		break;
	case MSRP_C_SET_TLS:
		wk->tls = c->tls;
		break;
	}
	wk->seq = c->seq;
}

static void
cmds_run(struct msrp_worker *wk)
{
	struct msrp_cmd c;

	while (msrp_ring_get(&wk->cmds, &c))
		msrp_wk_exec(wk, &c);
}

/* ---- the round ------------------------------------------------------------------------ */

void
msrp_wk_round(struct msrp_worker *wk, int timeout_ms)
{
	struct epoll_event evs[MSRP_EPOLL_BATCH];
	int n, i;

	if (wk->ready.next != &wk->ready || wk->pending.next != &wk->pending)
		timeout_ms = 0;
	n = epoll_wait(wk->epfd, evs, MSRP_EPOLL_BATCH, timeout_ms);
	wk->now = msrp_now_ms();
	/* Commands after the wait: a CLOSE here leaves the leg in memory
	 * until done_seq says so (end of round), so the batch's entries for
	 * it stay safe to look at (they are skipped). */
	if (wk->m->running)
		cmds_run(wk);
	for (i = 0; i < n; i++) {
		uint64_t d = evs[i].data.u64;
		unsigned int tag = (unsigned int)(d & MSRP_TAG_MASK);

		if (tag == MSRP_TAG_WAKE) {
			uint64_t v;

			(void)!read(wk->evfd, &v, sizeof(v));
			continue;
		}
		msrp_conn_event(wk, (struct msrp_leg *)(uintptr_t)(d & ~(uint64_t)MSRP_TAG_MASK), tag,
				evs[i].events);
	}
	ready_run(wk);
	wheel_run(wk);
	ev_retry(wk);
	/* Inline: the epoll fd is what control watches; keep it readable
	 * while work is left for the next round. */
	if (!wk->m->running && wk->ready.next != &wk->ready)
		msrp_wk_wake(wk);
	__atomic_store_n(&wk->done_seq, wk->seq, __ATOMIC_RELEASE);
}

int
msrp_wk_lcore_main(void *arg)
{
	struct msrp_worker *wk = arg;

	while (!__atomic_load_n(&wk->stop, __ATOMIC_ACQUIRE))
		msrp_wk_round(wk, MSRP_TICK_MS);
	return 0;
}

/* ---- life ------------------------------------------------------------------------------- */

struct msrp_worker *
msrp_wk_create(struct dp_msrp *m, unsigned int idx, char *err, size_t errlen)
{
	struct epoll_event e = {.events = EPOLLIN, .data.u64 = MSRP_TAG_WAKE};
	struct msrp_worker *wk;
	unsigned int i;

	wk = aligned_alloc(64, sizeof(*wk));
	if (wk == NULL) {
		snprintf(err, errlen, "msrp worker %u: out of memory", idx);
		return NULL;
	}
	memset(wk, 0, sizeof(*wk));
	wk->m = m;
	wk->idx = idx;
	wk->epfd = wk->evfd = wk->spare_fd = -1;
	for (i = 0; i < MSRP_WHEEL; i++)
		msrp_list_init(&wk->wheel[i]);
	msrp_list_init(&wk->ready);
	msrp_list_init(&wk->pending);
	wk->now = msrp_now_ms();
	wk->tick = wk->now / MSRP_TICK_MS;
	wk->tls = m->tls;
	/* A few free buffers spare malloc on busy relays; bounded in bytes so
	 * that large buffer_bytes do not pin much. */
	wk->max_free_bufs = MSRP_BUF_CACHE_BYTES / m->conf.buf_bytes;
	if (wk->max_free_bufs == 0)
		wk->max_free_bufs = 1;
	if (msrp_ring_init(&wk->cmds, MSRP_CMD_RING, sizeof(struct msrp_cmd)) < 0 ||
	    msrp_ring_init(&wk->evs, MSRP_EV_RING, sizeof(struct dp_msrp_event)) < 0) {
		snprintf(err, errlen, "msrp worker %u: out of memory", idx);
		goto fail;
	}
	wk->epfd = epoll_create1(EPOLL_CLOEXEC);
	wk->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (wk->epfd < 0 || wk->evfd < 0 || epoll_ctl(wk->epfd, EPOLL_CTL_ADD, wk->evfd, &e) < 0) {
		snprintf(err, errlen, "msrp worker %u: epoll/eventfd: %s", idx, strerror(errno));
		goto fail;
	}
	/* Kept for EMFILE: closing it frees the one fd needed to accept and
	 * refuse a connection instead of leaving it to spin in the queue. */
	wk->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return wk;
fail:
	msrp_wk_destroy(wk);
	return NULL;
}

void
msrp_wk_destroy(struct msrp_worker *wk)
{
	if (wk == NULL)
		return;
	msrp_buf_cache_free(wk);
	if (wk->spare_fd >= 0)
		close(wk->spare_fd);
	if (wk->evfd >= 0)
		close(wk->evfd);
	if (wk->epfd >= 0)
		close(wk->epfd);
	msrp_ring_fini(&wk->cmds);
	msrp_ring_fini(&wk->evs);
	free(wk);
}
