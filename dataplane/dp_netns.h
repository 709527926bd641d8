/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_netns: the data plane's network namespace and the rtnetlink requests
 * the exception path and neighbour resolution need. Private to dataplane/.
 *
 * The process never changes its own namespace: a socket is created inside
 * the namespace by a short-lived thread that enters it (setns), and stays
 * bound to that namespace for its whole life. All functions: control only.
 */
#ifndef IMSAGW_DP_NETNS_H
#define IMSAGW_DP_NETNS_H

#include <stddef.h>
#include <stdint.h>

#include "cfg.h"

#define DP_NETNS_DIR "/run/netns"

/* Create /run/netns/<name> like `ip netns add` unless it already exists.
 * @return 0, or -errno with err filled. */
int dp_netns_ensure(const char *name, char *err, size_t errlen);

/* Open /run/netns/<name> (O_RDONLY|O_CLOEXEC). @return fd or -errno. */
int dp_netns_open(const char *name);

/* socket(domain, type, proto) created inside namespace `name` (NULL or ""
 * = the process's own namespace). @return fd or -errno. */
int dp_netns_socket(const char *name, int domain, int type, int proto);

/* A NETLINK_ROUTE socket inside namespace `name` subscribed to `groups`
 * (0 for a request socket). @return fd or -errno. */
int dp_nl_open(const char *name, uint32_t groups);

/* Send one request and wait for its ack. @return 0 or the -errno the kernel
 * answered. */
int dp_nl_link_index(int fd, const char *ifname);
int dp_nl_link_set_netns(int fd, int ifindex, int netns_fd);
int dp_nl_link_up(int fd, int ifindex);
/* No kernel-made IPv6 link-local address on ifindex (addr_gen_mode none):
 * the caller adds its own. @return 0 or -errno. */
int dp_nl_link_no_auto_ll(int fd, int ifindex);
int dp_nl_addr_add(int fd, int ifindex, const struct cfg_prefix *p);
int dp_nl_route_add(int fd, int ifindex, const struct cfg_route *r);

/* Neighbour of `ip` on ifindex. @return 1 with mac filled and *state set
 * when the kernel has a usable link address, 0 when it has no entry or no
 * address (state set when an entry exists, else 0), -errno. */
int dp_nl_neigh_get(int fd, int ifindex, const struct cfg_ip *ip, uint8_t mac[6], uint16_t *state);

/* Create (or replace) a managed neighbour entry: the kernel resolves and
 * keeps it fresh (NTF_EXT_MANAGED, Linux >= 5.16). @return 0 or -errno. */
int dp_nl_neigh_add_managed(int fd, int ifindex, const struct cfg_ip *ip);

#endif /* IMSAGW_DP_NETNS_H */
