/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_neigh: next-hop link addresses for flow egress.
 *
 * Static neighbours from the config win. Otherwise the kernel behind the
 * exception interface is the neighbour table: it already runs ARP and ND
 * for the gateway's addresses. Unknown next hops get a managed neighbour
 * entry (NTF_EXT_MANAGED, Linux >= 5.16), which the kernel resolves and
 * keeps fresh on its own; control learns of the result through the
 * RTMGRP_NEIGH subscription (dp_neigh_fd()). Where managed entries are
 * refused (older kernels), a zero-length UDP datagram to the next hop's
 * discard port makes the kernel resolve it. Control only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "dp_log.h"
#include "dp_netns.h"
#include "dp_priv.h"

void
dp_neigh_fini(struct dp *dp)
{
	if (dp->nl_fd >= 0)
		close(dp->nl_fd);
	if (dp->nl_ev_fd >= 0)
		close(dp->nl_ev_fd);
	dp->nl_fd = -1;
	dp->nl_ev_fd = -1;
}

int
dp_neigh_init(struct dp *dp, char *err, size_t errlen)
{
	int fd, fl;

	dp->nl_fd = -1;
	dp->nl_ev_fd = -1;
	fd = dp_nl_open(dp->dpconf.netns, 0);
	if (fd < 0)
		goto fail;
	dp->nl_fd = fd;
	fd = dp_nl_open(dp->dpconf.netns, RTMGRP_NEIGH);
	if (fd < 0)
		goto fail;
	dp->nl_ev_fd = fd;
	/* dp_neigh_process() drains it without blocking. */
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
		fd = -errno;
		goto fail;
	}
	return 0;
fail:
	snprintf(err, errlen, "netlink in namespace %s: %s", dp->dpconf.netns, strerror(-fd));
	dp_neigh_fini(dp);
	return fd;
}

static bool
ip_eq(const struct cfg_ip *a, const struct cfg_ip *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->a.v4.s_addr == b->a.v4.s_addr;
	return memcmp(&a->a.v6, &b->a.v6, 16) == 0;
}

static bool
prefix_match(const struct cfg_ip *ip, const struct cfg_prefix *p)
{
	const uint8_t *x, *y;
	unsigned int bits = p->len, i;

	if (ip->family != p->ip.family)
		return false;
	if (ip->family == AF_INET) {
		x = (const uint8_t *)&ip->a.v4;
		y = (const uint8_t *)&p->ip.a.v4;
		if (bits > 32)
			bits = 32;
	} else {
		x = ip->a.v6.s6_addr;
		y = p->ip.a.v6.s6_addr;
		if (bits > 128)
			bits = 128;
	}
	for (i = 0; i < bits / 8; i++)
		if (x[i] != y[i])
			return false;
	if (bits % 8 != 0) {
		uint8_t mask = (uint8_t)(0xff << (8 - bits % 8));

		if ((x[i] & mask) != (y[i] & mask))
			return false;
	}
	return true;
}

/* The next hop toward remote on port c: remote itself when on-link, else the
 * longest matching route's gateway. @return false when there is none. */
static bool
next_hop(const struct cfg_port *c, const struct cfg_ip *remote, struct cfg_ip *nh)
{
	const struct cfg_prefix *addrs = remote->family == AF_INET ? c->addr4 : c->addr6;
	unsigned int n = remote->family == AF_INET ? c->n_addr4 : c->n_addr6;
	int best = -1;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (prefix_match(remote, &addrs[i])) {
			*nh = *remote;
			return true;
		}
	}
	for (i = 0; i < c->n_routes; i++) {
		const struct cfg_route *r = &c->routes[i];

		if (!prefix_match(remote, &r->dst) || (int)r->dst.len <= best)
			continue;
		best = r->dst.len;
		/* A route without a gateway of the same family is on-link. */
		*nh = r->via.family == remote->family ? r->via : *remote;
	}
	return best >= 0;
}

/* Older kernels: a datagram toward the next hop makes the kernel resolve it
 * (and the answer shows up on the neighbour subscription). Port 9 is
 * discard; the datagram itself does not matter. */
static void
neigh_kick(struct dp *dp, const struct dp_port *p, const struct cfg_ip *nh)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd;

	memset(&ss, 0, sizeof(ss));
	if (nh->family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(9);
		s4->sin_addr = nh->a.v4;
		sl = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(9);
		s6->sin6_addr = nh->a.v6;
		s6->sin6_scope_id = (uint32_t)p->exc_ifindex;
		sl = sizeof(*s6);
	}
	fd = dp_netns_socket(dp->dpconf.netns, nh->family, SOCK_DGRAM, 0);
	if (fd < 0)
		return;
	(void)sendto(fd, "", 0, MSG_DONTWAIT, (struct sockaddr *)&ss, sl);
	close(fd);
}

int
dp_neigh_resolve(struct dp *dp, enum cfg_port_role role, const struct cfg_ip *remote,
		 struct rte_ether_addr *mac)
{
	const uint16_t usable = NUD_REACHABLE | NUD_STALE | NUD_PERMANENT | NUD_DELAY | NUD_PROBE;
	const struct dp_port *p;
	const struct cfg_port *c;
	struct cfg_ip nh;
	uint16_t state;
	unsigned int i;
	int rc;

	if ((unsigned int)role >= CFG_MAX_PORTS || !dp->ports[role].configured)
		return -ENETUNREACH;
	if (remote->family != AF_INET && remote->family != AF_INET6)
		return -EINVAL;
	p = &dp->ports[role];
	c = p->conf;
	if (!next_hop(c, remote, &nh))
		return -ENETUNREACH;
	for (i = 0; i < c->n_neighbours; i++) {
		if (ip_eq(&c->neighbours[i].ip, &nh)) {
			memcpy(mac->addr_bytes, c->neighbours[i].mac, 6);
			return 0;
		}
	}
	if (!p->has_exc || dp->nl_fd < 0)
		return -EHOSTUNREACH;
	rc = dp_nl_neigh_get(dp->nl_fd, p->exc_ifindex, &nh, mac->addr_bytes, &state);
	if (rc < 0)
		return rc;
	if (rc == 1 && (state & usable) != 0)
		return 0;
	if (state & NUD_INCOMPLETE)
		return -EAGAIN; /* the kernel is resolving it already */
	if (!dp->neigh_managed_refused) {
		rc = dp_nl_neigh_add_managed(dp->nl_fd, p->exc_ifindex, &nh);
		if (rc == 0)
			return -EAGAIN;
		dp->neigh_managed_refused = true;
		DP_LOG(NOTICE, "managed neighbours refused (%s): resolving by probe datagrams",
		       strerror(-rc));
	}
	neigh_kick(dp, p, &nh);
	return -EAGAIN;
}

int
dp_neigh_fd(const struct dp *dp)
{
	return dp->nl_ev_fd;
}

int
dp_neigh_process(struct dp *dp)
{
	char buf[8192];
	int changed = 0, rounds;
	ssize_t n;

	if (dp->nl_ev_fd < 0)
		return 0;
	/* Bounded: at most 64 reads per call; the fd stays readable if more
	 * is queued. */
	for (rounds = 0; rounds < 64; rounds++) {
		struct nlmsghdr *h;

		n = recv(dp->nl_ev_fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			/* ENOBUFS: events were lost; report a change so that
			 * control re-resolves everything it waits for. */
			if (errno == ENOBUFS) {
				changed++;
				continue;
			}
			return -errno;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			const struct ndmsg *nd;
			unsigned int r;

			if (h->nlmsg_type != RTM_NEWNEIGH && h->nlmsg_type != RTM_DELNEIGH)
				continue;
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*nd)))
				continue;
			nd = NLMSG_DATA(h);
			for (r = 0; r < CFG_MAX_PORTS; r++) {
				if (dp->ports[r].has_exc &&
				    dp->ports[r].exc_ifindex == nd->ndm_ifindex) {
					changed++;
					break;
				}
			}
		}
	}
	return changed;
}
