/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The control event loop: epoll + one timerfd + a binary min-heap of timers
 * ordered by deadline. Timers are intrusive (struct ctl_timer lives in its
 * owner), so arming one never allocates once the heap has grown.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "ctl_loop.h"

#define CTL_LOOP_MAX_FDS 64
#define CTL_LOOP_EVENTS 32

struct ctl_fd_slot {
	int fd;          /* -1 when free */
	ctl_fd_cb cb;
	void *arg;
};

struct ctl_loop {
	int epfd;
	int tfd;
	struct ctl_fd_slot fds[CTL_LOOP_MAX_FDS];
	struct ctl_timer **heap;  /* 1-based: heap[1] is the earliest */
	unsigned int n_heap;
	unsigned int cap_heap;
	uint64_t now_ms;
};

uint64_t
ctl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

struct ctl_loop *
ctl_loop_create(void)
{
	struct ctl_loop *l = calloc(1, sizeof(*l));
	struct epoll_event ev = { .events = EPOLLIN };
	unsigned int i;

	if (l == NULL)
		return NULL;
	for (i = 0; i < CTL_LOOP_MAX_FDS; i++)
		l->fds[i].fd = -1;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	l->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (l->epfd < 0 || l->tfd < 0)
		goto fail;
	/* The timerfd is tagged with a NULL slot pointer. */
	ev.data.ptr = NULL;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->tfd, &ev) < 0)
		goto fail;
	l->now_ms = ctl_now_ms();
	return l;
fail:
	ctl_loop_destroy(l);
	return NULL;
}

void
ctl_loop_destroy(struct ctl_loop *l)
{
	if (l == NULL)
		return;
	if (l->epfd >= 0)
		close(l->epfd);
	if (l->tfd >= 0)
		close(l->tfd);
	free(l->heap);
	free(l);
}

static struct ctl_fd_slot *
find_slot(struct ctl_loop *l, int fd)
{
	unsigned int i;

	for (i = 0; i < CTL_LOOP_MAX_FDS; i++)
		if (l->fds[i].fd == fd)
			return &l->fds[i];
	return NULL;
}

int
ctl_loop_add_fd(struct ctl_loop *l, int fd, uint32_t events, ctl_fd_cb cb, void *arg)
{
	struct ctl_fd_slot *s = find_slot(l, -1);
	struct epoll_event ev = { .events = events };

	if (fd < 0 || cb == NULL)
		return -EINVAL;
	if (find_slot(l, fd) != NULL)
		return -EEXIST;
	if (s == NULL)
		return -ENOSPC;
	ev.data.ptr = s;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	s->fd = fd;
	s->cb = cb;
	s->arg = arg;
	return 0;
}

int
ctl_loop_mod_fd(struct ctl_loop *l, int fd, uint32_t events)
{
	struct ctl_fd_slot *s = find_slot(l, fd);
	struct epoll_event ev = { .events = events };

	if (s == NULL)
		return -ENOENT;
	ev.data.ptr = s;
	return epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) < 0 ? -errno : 0;
}

int
ctl_loop_del_fd(struct ctl_loop *l, int fd)
{
	struct ctl_fd_slot *s = find_slot(l, fd);

	if (s == NULL)
		return -ENOENT;
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
	s->fd = -1;
	s->cb = NULL;
	s->arg = NULL;
	return 0;
}

/* Heap helpers: indices are 1-based, t->heap_idx mirrors the position. */
static void
heap_set(struct ctl_loop *l, unsigned int i, struct ctl_timer *t)
{
	l->heap[i] = t;
	t->heap_idx = i;
}

static void
heap_up(struct ctl_loop *l, unsigned int i)
{
	struct ctl_timer *t = l->heap[i];

	while (i > 1 && l->heap[i / 2]->deadline_ms > t->deadline_ms) {
		heap_set(l, i, l->heap[i / 2]);
		i /= 2;
	}
	heap_set(l, i, t);
}

static void
heap_down(struct ctl_loop *l, unsigned int i)
{
	struct ctl_timer *t = l->heap[i];

	for (;;) {
		unsigned int c = 2 * i;

		if (c > l->n_heap)
			break;
		if (c + 1 <= l->n_heap && l->heap[c + 1]->deadline_ms < l->heap[c]->deadline_ms)
			c++;
		if (l->heap[c]->deadline_ms >= t->deadline_ms)
			break;
		heap_set(l, i, l->heap[c]);
		i = c;
	}
	heap_set(l, i, t);
}

static void
heap_remove(struct ctl_loop *l, struct ctl_timer *t)
{
	unsigned int i = t->heap_idx;
	struct ctl_timer *last = l->heap[l->n_heap--];

	t->heap_idx = 0;
	if (last == t)
		return;
	heap_set(l, i, last);
	heap_up(l, i);
	heap_down(l, last->heap_idx);
}

static void
rearm_timerfd(struct ctl_loop *l)
{
	struct itimerspec its = { 0 };

	if (l->n_heap > 0) {
		uint64_t d = l->heap[1]->deadline_ms;

		/* An absolute deadline of 0 would disarm: keep it >= 1 ms. */
		if (d == 0)
			d = 1;
		its.it_value.tv_sec = (time_t)(d / 1000u);
		its.it_value.tv_nsec = (long)(d % 1000u) * 1000000L;
	}
	timerfd_settime(l->tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

int
ctl_timer_start(struct ctl_loop *l, struct ctl_timer *t, uint64_t delay_ms, ctl_timer_cb cb,
		void *arg)
{
	if (t->heap_idx != 0)
		heap_remove(l, t);
	if (l->n_heap + 1 >= l->cap_heap) {
		unsigned int cap = l->cap_heap ? l->cap_heap * 2 : 64;
		struct ctl_timer **h = realloc(l->heap, cap * sizeof(*h));

		if (h == NULL)
			return -ENOSPC;
		l->heap = h;
		l->cap_heap = cap;
	}
	t->cb = cb;
	t->arg = arg;
	t->deadline_ms = ctl_now_ms() + delay_ms;
	l->n_heap++;
	heap_set(l, l->n_heap, t);
	heap_up(l, l->n_heap);
	if (l->heap[1] == t)
		rearm_timerfd(l);
	return 0;
}

void
ctl_timer_stop(struct ctl_loop *l, struct ctl_timer *t)
{
	if (t->heap_idx == 0)
		return;
	heap_remove(l, t);
	rearm_timerfd(l);
}

bool
ctl_timer_armed(const struct ctl_timer *t)
{
	return t->heap_idx != 0;
}

uint64_t
ctl_loop_now_ms(const struct ctl_loop *l)
{
	return l->now_ms;
}

static int
fire_timers(struct ctl_loop *l)
{
	int n = 0;

	l->now_ms = ctl_now_ms();
	while (l->n_heap > 0 && l->heap[1]->deadline_ms <= l->now_ms) {
		struct ctl_timer *t = l->heap[1];

		heap_remove(l, t);
		/* The callback may re-arm t or others. */
		t->cb(t->arg);
		n++;
	}
	rearm_timerfd(l);
	return n;
}

int
ctl_loop_run_once(struct ctl_loop *l, int max_wait_ms)
{
	struct epoll_event evs[CTL_LOOP_EVENTS];
	int n, i, ran = 0;

	n = epoll_wait(l->epfd, evs, CTL_LOOP_EVENTS, max_wait_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	l->now_ms = ctl_now_ms();
	for (i = 0; i < n; i++) {
		struct ctl_fd_slot *s = evs[i].data.ptr;

		if (s == NULL) {
			uint64_t exp;

			/* Drain the timerfd; due timers fire below. */
			while (read(l->tfd, &exp, sizeof(exp)) > 0)
				;
			continue;
		}
		/* An earlier callback of this round may have removed s. */
		if (s->fd < 0)
			continue;
		s->cb(s->fd, evs[i].events, s->arg);
		ran++;
	}
	return ran + fire_timers(l);
}
