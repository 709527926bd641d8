/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl_loop: the control lcore's event loop. epoll over file descriptors and
 * one timerfd driving a binary heap of timers. Nothing in it blocks; signals
 * only set flags that the loop reads between waits.
 *
 * The loop is generic: main() registers the Iq transport, the admin socket,
 * the telemetry doorbell and the neighbour socket with it, so control/ never
 * includes iq/.
 *
 * Thread: everything here is control-thread only.
 */
#ifndef IMSAGW_CTL_LOOP_H
#define IMSAGW_CTL_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct ctl_loop;

typedef void (*ctl_fd_cb)(int fd, uint32_t events, void *arg);
typedef void (*ctl_timer_cb)(void *arg);

/* A timer lives in its owner's struct; the loop only links it. */
struct ctl_timer {
	uint64_t deadline_ms;   /* W: loop */
	ctl_timer_cb cb;        /* W: owner, before start */
	void *arg;
	unsigned int heap_idx;  /* W: loop; 0 = not armed */
};

/* @return the loop, or NULL (errno set). */
struct ctl_loop *ctl_loop_create(void);
void ctl_loop_destroy(struct ctl_loop *l);

/* Watch fd for events (EPOLLIN, EPOLLOUT...). @return 0 or -errno. */
int ctl_loop_add_fd(struct ctl_loop *l, int fd, uint32_t events, ctl_fd_cb cb,
		    void *arg);
int ctl_loop_mod_fd(struct ctl_loop *l, int fd, uint32_t events);
int ctl_loop_del_fd(struct ctl_loop *l, int fd);

/* Arm (or re-arm) t to fire once after delay_ms. @return 0 or -ENOSPC. */
int ctl_timer_start(struct ctl_loop *l, struct ctl_timer *t, uint64_t delay_ms,
		    ctl_timer_cb cb, void *arg);
void ctl_timer_stop(struct ctl_loop *l, struct ctl_timer *t);
bool ctl_timer_armed(const struct ctl_timer *t);

/* Monotonic milliseconds as the loop sees them: ctl_now_ms() taken once per
 * round (before timers fire), so everything a round does shares one time. */
uint64_t ctl_loop_now_ms(const struct ctl_loop *l);

/* The gateway's one monotonic clock: CLOCK_MONOTONIC in milliseconds.
 * Control, Iq and telemetry time intervals with it. Any thread. */
uint64_t ctl_now_ms(void);

/*
 * Run one wait-and-dispatch round: wait at most max_wait_ms (or less, up to
 * the next timer) for events, dispatch them, fire due timers.
 * @return number of callbacks run, or -errno (EINTR is not an error).
 */
int ctl_loop_run_once(struct ctl_loop *l, int max_wait_ms);

#endif /* IMSAGW_CTL_LOOP_H */
