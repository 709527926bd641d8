/* SPDX-License-Identifier: BSD-3-Clause */
/* CUnit: the control event loop (control/ctl_loop.c): fds and timers. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>

#include <CUnit/Basic.h>

#include "ctl_loop.h"
#include "ctl_test.h"

static int order[16];
static int n_order;

static void
record(void *arg)
{
	if (n_order < 16)
		order[n_order++] = (int)(intptr_t)arg;
}

static void
run_until(struct ctl_loop *l, int want, int max_rounds)
{
	while (n_order < want && max_rounds-- > 0)
		ctl_loop_run_once(l, 20);
}

static void
test_timer_order(void)
{
	struct ctl_loop *l = ctl_loop_create();
	struct ctl_timer t[5];
	const int delays[5] = { 40, 10, 30, 0, 20 };
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	memset(t, 0, sizeof(t));
	n_order = 0;
	for (i = 0; i < 5; i++)
		CU_ASSERT_EQUAL(ctl_timer_start(l, &t[i], (uint64_t)delays[i], record,
						(void *)(intptr_t)i), 0);
	run_until(l, 5, 100);
	CU_ASSERT_EQUAL(n_order, 5);
	CU_ASSERT_EQUAL(order[0], 3);
	CU_ASSERT_EQUAL(order[1], 1);
	CU_ASSERT_EQUAL(order[2], 4);
	CU_ASSERT_EQUAL(order[3], 2);
	CU_ASSERT_EQUAL(order[4], 0);
	for (i = 0; i < 5; i++)
		CU_ASSERT_FALSE(ctl_timer_armed(&t[i]));
	ctl_loop_destroy(l);
}

static void
test_timer_stop_and_rearm(void)
{
	struct ctl_loop *l = ctl_loop_create();
	struct ctl_timer a = { 0 }, b = { 0 }, c = { 0 };

	n_order = 0;
	ctl_timer_start(l, &a, 10, record, (void *)1);
	ctl_timer_start(l, &b, 20, record, (void *)2);
	ctl_timer_start(l, &c, 5, record, (void *)3);
	ctl_timer_stop(l, &b);
	CU_ASSERT_FALSE(ctl_timer_armed(&b));
	/* Re-arming a running timer moves it. */
	ctl_timer_start(l, &c, 30, record, (void *)3);
	run_until(l, 2, 100);
	CU_ASSERT_EQUAL(n_order, 2);
	CU_ASSERT_EQUAL(order[0], 1);
	CU_ASSERT_EQUAL(order[1], 3);
	ctl_loop_destroy(l);
}

static int fd_calls;
static char fd_buf[8];

static void
on_read(int fd, uint32_t ev, void *arg)
{
	(void)arg;
	CU_ASSERT(ev & EPOLLIN);
	CU_ASSERT_EQUAL(read(fd, fd_buf, sizeof(fd_buf)), 3);
	fd_calls++;
}

static void
test_fd(void)
{
	struct ctl_loop *l = ctl_loop_create();
	int p[2];

	CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
	fd_calls = 0;
	CU_ASSERT_EQUAL(ctl_loop_add_fd(l, p[0], EPOLLIN, on_read, NULL), 0);
	CU_ASSERT_EQUAL(ctl_loop_add_fd(l, p[0], EPOLLIN, on_read, NULL), -EEXIST);
	CU_ASSERT_EQUAL(ctl_loop_run_once(l, 0), 0); /* nothing to read */
	CU_ASSERT_EQUAL(write(p[1], "abc", 3), 3);
	CU_ASSERT_EQUAL(ctl_loop_run_once(l, 100), 1);
	CU_ASSERT_EQUAL(fd_calls, 1);
	CU_ASSERT_EQUAL(memcmp(fd_buf, "abc", 3), 0);
	CU_ASSERT_EQUAL(ctl_loop_del_fd(l, p[0]), 0);
	CU_ASSERT_EQUAL(ctl_loop_del_fd(l, p[0]), -ENOENT);
	CU_ASSERT_EQUAL(write(p[1], "xyz", 3), 3);
	CU_ASSERT_EQUAL(ctl_loop_run_once(l, 20), 0);
	CU_ASSERT_EQUAL(fd_calls, 1);
	close(p[0]);
	close(p[1]);
	ctl_loop_destroy(l);
}

int
main(void)
{
	static const struct ctl_test tests[] = {
		{ "timers fire in deadline order", test_timer_order },
		{ "stop and re-arm", test_timer_stop_and_rearm },
		{ "file descriptors", test_fd },
	};

	return ctl_test_run("ctl_loop", NULL, NULL, tests, CTL_TEST_N(tests));
}
