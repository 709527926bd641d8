/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DPDK telemetry commands under /imsagw/ (read them with dpdk-telemetry.py).
 *
 * Telemetry callbacks run on the telemetry library's own threads, one per
 * client connection. Control state (contexts, terminations, the flow table
 * walk) is not safe to read from there, so a callback posts its request to
 * the control loop through an eventfd and waits, bounded, for the control
 * thread to fill the answer. The request is executed with the mutex held,
 * and a caller that gave up marks it abandoned under the same mutex, so the
 * control thread never writes into a reply its caller has left.
 *
 * Per-lcore counters are single-writer and fixed in place: those callbacks
 * read them directly.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

#include <rte_cycles.h>
#include <rte_telemetry.h>

#include "ctl_priv.h"

#define TEL_WAIT_MS 2000
#define TEL_MAX_FLOWS 128 /* a dict holds at most RTE_TEL_MAX_DICT_ENTRIES */

typedef int (*tel_fn)(struct ctl *c, const char *params, struct rte_tel_data *d);

struct ctl_tel {
	int efd;
	pthread_mutex_t call_mu; /* one request at a time */
	pthread_mutex_t mu;      /* guards the fields below */
	pthread_cond_t cond;
	tel_fn fn;
	const char *params;
	struct rte_tel_data *d;
	bool pending;
	bool done;
	int rc;
};

/* telemetry callbacks have no user argument: one gateway per process.
 * tel_ctl is read and cleared under tel_state.call_mu. */
static struct ctl_tel tel_state = {
	.efd = -1,
	.call_mu = PTHREAD_MUTEX_INITIALIZER,
	.mu = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER,
};
static struct ctl *tel_ctl;

static int
call_on_control(tel_fn fn, const char *params, struct rte_tel_data *d)
{
	struct ctl_tel *t = &tel_state;
	struct timespec until;
	uint64_t one = 1;
	int rc = 0;

	pthread_mutex_lock(&t->call_mu);
	if (tel_ctl == NULL) {
		pthread_mutex_unlock(&t->call_mu);
		return -ENODEV;
	}
	pthread_mutex_lock(&t->mu);
	t->fn = fn;
	t->params = params;
	t->d = d;
	t->done = false;
	t->pending = true;
	if (write(t->efd, &one, sizeof(one)) != sizeof(one))
		rc = -EIO;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += TEL_WAIT_MS / 1000;
	while (rc == 0 && !t->done)
		if (pthread_cond_timedwait(&t->cond, &t->mu, &until) == ETIMEDOUT)
			rc = -ETIMEDOUT;
	if (t->done)
		rc = t->rc;
	t->pending = false; /* abandoned if not done: control will skip it */
	pthread_mutex_unlock(&t->mu);
	pthread_mutex_unlock(&t->call_mu);
	return rc;
}

static void
doorbell(int fd, uint32_t events, void *arg)
{
	struct ctl *c = arg;
	struct ctl_tel *t = c->tel;
	uint64_t v;

	(void)events;
	if (read(fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return;
	pthread_mutex_lock(&t->mu);
	if (t->pending && !t->done) {
		t->rc = t->fn(c, t->params, t->d);
		t->done = true;
		pthread_cond_signal(&t->cond);
	}
	pthread_mutex_unlock(&t->mu);
}

static int
do_info(struct ctl *c, const char *params, struct rte_tel_data *d)
{
	(void)params;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "contexts", ctl_context_count(c));
	rte_tel_data_add_dict_u64(d, "terminations", ctl_term_count(c));
	rte_tel_data_add_dict_u64(d, "flows", dp_flow_count(c->flows));
	rte_tel_data_add_dict_u64(d, "flows_pending_reclaim", dp_flow_pending(c->flows));
	rte_tel_data_add_dict_u64(d, "max_contexts", c->cfg->limits.max_contexts);
	rte_tel_data_add_dict_u64(d, "max_flows", c->cfg->limits.max_flows);
	rte_tel_data_add_dict_u64(d, "media_workers", dp_worker_count(c->dp));
	return 0;
}

static void
add_counters(struct rte_tel_data *dict, const char *name, const struct dp_flow_state *st)
{
	struct rte_tel_data *a = rte_tel_data_alloc();
	unsigned int i;

	if (a == NULL)
		return;
	/* [pkts, bytes, drop per enum dp_flow_drop...] */
	rte_tel_data_start_array(a, RTE_TEL_U64_VAL);
	rte_tel_data_add_array_u64(a, st->pkts);
	rte_tel_data_add_array_u64(a, st->bytes);
	for (i = 0; i < DP_FLOW_DROP_MAX; i++)
		rte_tel_data_add_array_u64(a, st->drops[i]);
	rte_tel_data_add_dict_container(dict, name, a, 0);
}

struct flow_walk {
	struct rte_tel_data *d;
	unsigned int n;
};

static int
flow_one(const struct dp_flow *f, void *arg)
{
	struct flow_walk *w = arg;
	char name[16];

	if (w->n >= TEL_MAX_FLOWS)
		return 1;
	snprintf(name, sizeof(name), "%u", f->id);
	add_counters(w->d, name, f->st);
	w->n++;
	return 0;
}

/* /imsagw/flows: {"<flow id>": [pkts, bytes, drops...]} for up to 128 flows. */
static int
do_flows(struct ctl *c, const char *params, struct rte_tel_data *d)
{
	struct flow_walk w = { .d = d };

	(void)params;
	rte_tel_data_start_dict(d);
	dp_flow_iterate(c->flows, flow_one, &w);
	return 0;
}

static void
add_dir(struct rte_tel_data *dict, const char *name, const struct ctl_dir_stats *s)
{
	struct dp_flow_state st = { 0 };

	st.pkts = s->pkts;
	st.bytes = s->bytes;
	memcpy(st.drops, s->drops, sizeof(st.drops));
	add_counters(dict, name, &st);
}

/* [count per reason...] of an array of counters, index = reason. */
static void
add_reasons(struct rte_tel_data *dict, const char *name, const uint64_t *v, unsigned int n)
{
	struct rte_tel_data *a = rte_tel_data_alloc();
	unsigned int i;

	if (a == NULL)
		return;
	rte_tel_data_start_array(a, RTE_TEL_U64_VAL);
	for (i = 0; i < n; i++)
		rte_tel_data_add_array_u64(a, v[i]);
	rte_tel_data_add_dict_container(dict, name, a, 0);
}

/* An MSRP termination: its connection and counters (failures as arrays
 * indexed by enum dp_msrp_reason and enum sec_tls_fail). */
static void
add_msrp_term(struct rte_tel_data *d, const struct ctl_term_info *info,
	      const struct dp_msrp_leg_stats *m)
{
	rte_tel_data_add_dict_string(d, "transport", ctl_transport_name(info->transport));
	rte_tel_data_add_dict_string(d, "state", ctl_msrp_state_name(info->msrp.state));
	rte_tel_data_add_dict_string(d, "setup", ctl_setup_name(info->msrp.setup));
	rte_tel_data_add_dict_u64(d, "bytes_in", m->bytes_in);
	rte_tel_data_add_dict_u64(d, "bytes_out", m->bytes_out);
	rte_tel_data_add_dict_u64(d, "msgs_in", m->msgs_in);
	rte_tel_data_add_dict_u64(d, "conns", m->conns);
	rte_tel_data_add_dict_u64(d, "ktls", m->ktls);
	add_reasons(d, "fails", m->fails, DP_MSRP_R_MAX);
	add_reasons(d, "tls_fails", m->tls_fails, SEC_TLS_FAIL_MAX);
}

/* /imsagw/term,<termination id>: the termination's four directions, or
 * an MSRP termination's connection. */
static int
do_term(struct ctl *c, const char *params, struct rte_tel_data *d)
{
	struct ctl_term_info info;
	struct ctl_term_stats st;
	char a[INET6_ADDRSTRLEN];
	uint32_t ctx;

	if (params == NULL || ctl_term_find(c, params, &ctx) < 0 ||
	    ctl_term_get(c, ctx, params, &info, &st) < 0)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "context", info.ctx_id);
	rte_tel_data_add_dict_string(d, "local", cfg_ip_str(&info.local, a, sizeof(a)));
	rte_tel_data_add_dict_u64(d, "local_port", info.local_port);
	if (ctl_transport_is_msrp(info.transport)) {
		add_msrp_term(d, &info, &st.msrp);
		return 0;
	}
	rte_tel_data_add_dict_u64(d, "latched", info.latched);
	add_dir(d, "rtp_in", &st.rtp_in);
	add_dir(d, "rtp_out", &st.rtp_out);
	add_dir(d, "rtcp_in", &st.rtcp_in);
	add_dir(d, "rtcp_out", &st.rtcp_out);
	return 0;
}

/* /imsagw/msrp: the relay's totals (its counters are single-writer per
 * worker: dp_msrp_totals() is for any thread) and whether kTLS is used. */
static int
do_msrp(struct ctl *c, const char *params, struct rte_tel_data *d)
{
	struct dp_msrp_totals t;

	(void)params;
	if (c->msrp == NULL)
		return -ENODEV;
	dp_msrp_totals(c->msrp, &t);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "legs", t.legs);
	rte_tel_data_add_dict_u64(d, "up", t.up);
	rte_tel_data_add_dict_u64(d, "handshakes", t.handshakes);
	rte_tel_data_add_dict_u64(d, "bytes", t.bytes);
	rte_tel_data_add_dict_u64(d, "ktls_legs", t.ktls_legs);
	rte_tel_data_add_dict_string(d, "tls_records", t.ktls_available ? "kernel" : "userspace");
	add_reasons(d, "fails", t.fails, DP_MSRP_R_MAX);
	add_reasons(d, "tls_fails", t.tls_fails, SEC_TLS_FAIL_MAX);
	return 0;
}

static int
tel_msrp(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	return call_on_control(do_msrp, params, d);
}

static int
tel_info(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	return call_on_control(do_info, params, d);
}

static int
tel_flows(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	return call_on_control(do_flows, params, d);
}

static int
tel_term(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	return call_on_control(do_term, params, d);
}

static void
add_lcore(struct rte_tel_data *dict, const char *name, const struct dp_lcore_stats *s)
{
	struct rte_tel_data *o = rte_tel_data_alloc();
	unsigned int i;

	if (o == NULL)
		return;
	rte_tel_data_start_dict(o);
	rte_tel_data_add_dict_u64(o, "rx", s->rx);
	rte_tel_data_add_dict_u64(o, "tx", s->tx);
	rte_tel_data_add_dict_u64(o, "to_exc", s->to_exc);
	rte_tel_data_add_dict_u64(o, "from_exc", s->from_exc);
	rte_tel_data_add_dict_u64(o, "handoff", s->handoff);
	for (i = 0; i < DP_DROP_MAX; i++) {
		char key[40];

		snprintf(key, sizeof(key), "drop_%s", dp_drop_name(i));
		rte_tel_data_add_dict_u64(o, key, s->drops[i]);
	}
	rte_tel_data_add_dict_u64(o, "busy_cycles", s->busy_cycles);
	rte_tel_data_add_dict_u64(o, "busy_turns", s->busy_turns);
	rte_tel_data_add_dict_u64(o, "tsc_hz", rte_get_tsc_hz());
	rte_tel_data_add_dict_container(dict, name, o, 0);
}

/* /imsagw/lcores: per media lcore rx/tx/exception counters and drop reasons.
 * Read here directly: single-writer counters in fixed per-lcore structs. */
static int
tel_lcores(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct ctl *c;
	unsigned int i, lcore;

	(void)cmd;
	(void)params;
	pthread_mutex_lock(&tel_state.call_mu);
	c = tel_ctl;
	if (c == NULL) {
		pthread_mutex_unlock(&tel_state.call_mu);
		return -ENODEV;
	}
	rte_tel_data_start_dict(d);
	for (i = 0; i < dp_worker_count(c->dp); i++) {
		struct dp_lcore_stats s;
		char name[16];

		if (dp_worker_stats(c->dp, i, &lcore, &s) < 0)
			continue;
		snprintf(name, sizeof(name), "lcore%u", lcore);
		add_lcore(d, name, &s);
	}
	pthread_mutex_unlock(&tel_state.call_mu);
	return 0;
}

int
ctl_telemetry_init(struct ctl *c)
{
	struct ctl_tel *t = &tel_state;
	static bool registered;
	int rc;

	t->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (t->efd < 0)
		return -errno;
	c->tel = t;
	rc = ctl_loop_add_fd(c->loop, t->efd, EPOLLIN, doorbell, c);
	if (rc < 0) {
		ctl_telemetry_fini(c);
		return rc;
	}
	pthread_mutex_lock(&t->call_mu);
	tel_ctl = c;
	pthread_mutex_unlock(&t->call_mu);
	if (registered)
		return 0;
	registered = true;
	rte_telemetry_register_cmd("/imsagw/info", tel_info,
				   "Contexts, terminations and flows. No parameters");
	rte_telemetry_register_cmd("/imsagw/flows", tel_flows,
				   "Per-flow counters [pkts, bytes, drops by reason] of up to 128 "
				   "flows, by flow id. No parameters");
	rte_telemetry_register_cmd("/imsagw/term", tel_term,
				   "Counters of one termination. Parameter: termination id");
	rte_telemetry_register_cmd("/imsagw/lcores", tel_lcores,
				   "Per media lcore packet counters and drop reasons. No parameters");
	rte_telemetry_register_cmd("/imsagw/msrp", tel_msrp,
				   "MSRP relay: legs, connections up, handshakes, bytes, failures by "
				   "reason, kernel or userspace TLS records. No parameters");
	return 0;
}

void
ctl_telemetry_fini(struct ctl *c)
{
	struct ctl_tel *t = c->tel;

	if (t == NULL)
		return;
	/* Commands stay registered (telemetry cannot unregister); they answer
	 * -ENODEV from now on. Wait out a request in flight first. */
	pthread_mutex_lock(&t->call_mu);
	tel_ctl = NULL;
	pthread_mutex_unlock(&t->call_mu);
	ctl_loop_del_fd(c->loop, t->efd);
	close(t->efd);
	t->efd = -1;
	c->tel = NULL;
}
