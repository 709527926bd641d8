/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_exc: the exception path. Per data port, a net_tap interface carrying
 * the port's MAC and addresses in the data plane's own namespace, so that
 * the kernel answers ARP/ND, ping and TCP for the gateway's addresses and
 * its replies leave through the DPDK port.
 *
 * Order matters for net_tap: the PMD brings its kernel interface up with
 * ioctls in the namespace it was created in, so the port is started before
 * the interface moves; moving it takes it down, so it is brought up again
 * in the target namespace.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <net/if.h>

#include <rte_dev.h>
#include <rte_ethdev.h>

#include "dp_log.h"
#include "dp_netns.h"
#include "dp_priv.h"

static int
exc_port_start(struct dp *dp, struct dp_port *p, char *err, size_t errlen)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	uint16_t q, nq = (uint16_t)dp->n_workers, nrx = 512, ntx = 512;
	int rc;

	rc = rte_eth_dev_info_get(p->exc_port_id, &info);
	if (rc < 0)
		goto fail;
	if (info.max_rx_queues < nq || info.max_tx_queues < nq) {
		rc = -EINVAL;
		goto fail;
	}
	memset(&conf, 0, sizeof(conf));
	/* One queue pair per worker: any worker may hand a packet to the
	 * kernel, each on its own TX queue, and each polls its own RX queue
	 * (a multiqueue tap spreads the kernel's packets over them). */
	rc = rte_eth_dev_configure(p->exc_port_id, nq, nq, &conf);
	if (rc < 0)
		goto fail;
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(p->exc_port_id, &nrx, &ntx);
	if (rc < 0)
		goto fail;
	for (q = 0; q < nq; q++) {
		rc = rte_eth_rx_queue_setup(p->exc_port_id, q, nrx, dp->socket, NULL, dp->pool);
		if (rc < 0)
			goto fail;
		rc = rte_eth_tx_queue_setup(p->exc_port_id, q, ntx, dp->socket, NULL);
		if (rc < 0)
			goto fail;
	}
	rc = rte_eth_dev_start(p->exc_port_id);
	if (rc < 0)
		goto fail;
	p->exc_started = true;
	return 0;
fail:
	snprintf(err, errlen, "exception %s: setup: %s", p->exc_name, strerror(-rc));
	return rc;
}

/* Move the kernel side into the dp namespace and give it the port's
 * addresses and routes there. */
/* fe80::/64 with the EUI-64 interface id of the port's MAC. */
static int
exc_link_local_add(struct dp *dp, const struct dp_port *p)
{
	const uint8_t *m = p->mac.addr_bytes;
	struct cfg_prefix ll = {.ip = {.family = AF_INET6}, .len = 64};
	uint8_t *a = ll.ip.a.v6.s6_addr;

	a[0] = 0xfe;
	a[1] = 0x80;
	a[8] = m[0] ^ 0x02; /* universal/local bit flipped */
	a[9] = m[1];
	a[10] = m[2];
	a[11] = 0xff;
	a[12] = 0xfe;
	a[13] = m[3];
	a[14] = m[4];
	a[15] = m[5];
	return dp_nl_addr_add(dp->nl_fd, p->exc_ifindex, &ll);
}

static int
exc_kernel_setup(struct dp *dp, struct dp_port *p, char *err, size_t errlen)
{
	const struct cfg_port *c = p->conf;
	int hostfd = -1, nsfd = -1, ifindex, rc;
	unsigned int i;
	char ipbuf[64];

	ifindex = (int)if_nametoindex(c->exc_iface);
	if (ifindex == 0) {
		rc = -errno;
		snprintf(err, errlen, "exception %s: no interface %s", p->exc_name, c->exc_iface);
		return rc;
	}
	hostfd = dp_nl_open(NULL, 0);
	if (hostfd < 0) {
		rc = hostfd;
		snprintf(err, errlen, "netlink: %s", strerror(-rc));
		return rc;
	}
	nsfd = dp_netns_open(dp->dpconf.netns);
	if (nsfd < 0) {
		rc = nsfd;
		snprintf(err, errlen, "namespace %s: %s", dp->dpconf.netns, strerror(-rc));
		goto out;
	}
	rc = dp_nl_link_set_netns(hostfd, ifindex, nsfd);
	if (rc < 0) {
		snprintf(err, errlen, "move %s to namespace %s: %s", c->exc_iface, dp->dpconf.netns,
			 strerror(-rc));
		goto out;
	}
	rc = dp_nl_link_index(dp->nl_fd, c->exc_iface);
	if (rc < 0) {
		snprintf(err, errlen, "%s in namespace %s: %s", c->exc_iface, dp->dpconf.netns,
			 strerror(-rc));
		goto out;
	}
	p->exc_ifindex = rc;
	/* The link-local address is the port's (EUI-64 of its MAC, RFC 4291
	 * §2.5.1), added below without DAD like the configured ones. The
	 * kernel's own would run DAD through the port, and a peer that shares
	 * the MAC for a moment (a TAP peer at its creation) fails it: a
	 * "dadfailed" link-local leaves ND unable to resolve the next hops the
	 * media path waits for. */
	rc = dp_nl_link_no_auto_ll(dp->nl_fd, p->exc_ifindex);
	if (rc == 0)
		rc = exc_link_local_add(dp, p);
	if (rc < 0) {
		snprintf(err, errlen, "%s link-local address: %s", c->exc_iface, strerror(-rc));
		goto out;
	}
	rc = dp_nl_link_up(dp->nl_fd, p->exc_ifindex);
	if (rc < 0) {
		snprintf(err, errlen, "%s up: %s", c->exc_iface, strerror(-rc));
		goto out;
	}
	for (i = 0; i < c->n_addr4 + c->n_addr6; i++) {
		const struct cfg_prefix *a =
			i < c->n_addr4 ? &c->addr4[i] : &c->addr6[i - c->n_addr4];

		rc = dp_nl_addr_add(dp->nl_fd, p->exc_ifindex, a);
		if (rc < 0) {
			snprintf(err, errlen, "%s address %s/%u: %s", c->exc_iface,
				 cfg_ip_str(&a->ip, ipbuf, sizeof(ipbuf)), a->len, strerror(-rc));
			goto out;
		}
	}
	for (i = 0; i < c->n_routes; i++) {
		rc = dp_nl_route_add(dp->nl_fd, p->exc_ifindex, &c->routes[i]);
		if (rc < 0) {
			snprintf(err, errlen, "%s route %s/%u: %s", c->exc_iface,
				 cfg_ip_str(&c->routes[i].dst.ip, ipbuf, sizeof(ipbuf)),
				 c->routes[i].dst.len, strerror(-rc));
			goto out;
		}
	}
	rc = 0;
out:
	if (nsfd >= 0)
		close(nsfd);
	close(hostfd);
	return rc;
}

int
dp_exc_setup(struct dp *dp, struct dp_port *p, char *err, size_t errlen)
{
	const struct cfg_port *c = p->conf;
	char devargs[256];
	const uint8_t *m = p->mac.addr_bytes;
	int rc;

	p->exc_port_id = UINT16_MAX;
	if (c->exc_kind == CFG_EXC_NONE)
		return 0;
	if (c->exc_kind == CFG_EXC_VIRTIO_USER) {
		/* virtio-user over /dev/vhost-net is not implemented; the tap
		 * carries the same traffic, only slower. */
		snprintf(err, errlen,
			 "port %s: exception kind virtio_user is not supported yet (use tap)",
			 c->device);
		return -ENOTSUP;
	}
	if (c->exc_iface[0] == '\0') {
		snprintf(err, errlen, "port %s: no exception interface name", c->device);
		return -EINVAL;
	}
	/* The tap's kernel side gets the DPDK port's MAC (net_tap sets it on
	 * the interface at creation): the kernel then answers ARP/ND with
	 * the address the wire sees. */
	snprintf(p->exc_name, sizeof(p->exc_name), "net_tap_exc%s%u", dp->name,
		 (unsigned int)p->role);
	snprintf(devargs, sizeof(devargs), "%s,iface=%s,mac=%02x:%02x:%02x:%02x:%02x:%02x",
		 p->exc_name, c->exc_iface, m[0], m[1], m[2], m[3], m[4], m[5]);
	rc = rte_dev_probe(devargs);
	if (rc < 0) {
		snprintf(err, errlen, "exception %s: %s", devargs, strerror(-rc));
		return rc;
	}
	p->exc_probed = true;
	if (rte_eth_dev_get_port_by_name(p->exc_name, &p->exc_port_id) != 0) {
		snprintf(err, errlen, "exception %s: no ethdev", p->exc_name);
		return -ENODEV;
	}
	p->has_exc = true;
	dp->slot_of_port[p->exc_port_id] = (uint8_t)(DP_SLOT_EXC_ACCESS + p->role);
	rc = exc_port_start(dp, p, err, errlen);
	if (rc < 0)
		return rc;
	rc = exc_kernel_setup(dp, p, err, errlen);
	if (rc < 0)
		return rc;
	DP_LOG(INFO, "port %s: exception interface %s (ethdev %u) in namespace %s", c->device,
	       c->exc_iface, p->exc_port_id, dp->dpconf.netns);
	return 0;
}

void
dp_exc_stop(struct dp_port *p)
{
	if (!p->exc_started)
		return;
	/* net_tap's stop takes the kernel link down with an ioctl in our
	 * namespace; the interface is elsewhere now, so that part fails
	 * harmlessly. */
	(void)rte_eth_dev_stop(p->exc_port_id);
	p->exc_started = false;
}

void
dp_exc_close(struct dp_port *p)
{
	struct rte_eth_dev_info info;
	struct rte_device *dev = NULL;

	if (!p->exc_probed)
		return;
	dp_exc_stop(p);
	if (p->exc_port_id != UINT16_MAX) {
		if (rte_eth_dev_info_get(p->exc_port_id, &info) == 0)
			dev = info.device;
		/* Closing the tap's file descriptors deletes the kernel
		 * interface, wherever it is. */
		(void)rte_eth_dev_close(p->exc_port_id);
	}
	if (dev != NULL)
		(void)rte_dev_remove(dev);
	else
		(void)rte_eal_hotplug_remove("vdev", p->exc_name);
	p->exc_probed = false;
	p->has_exc = false;
	p->exc_port_id = UINT16_MAX;
}
