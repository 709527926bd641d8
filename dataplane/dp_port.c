/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_port: attach and configure the access and core ethdevs.
 *
 * A device string that names an existing ethdev (a probed PCI address, or a
 * port the application made itself, e.g. rte_eth_from_rings()) is used as
 * it is; anything else is vdev devargs probed with rte_dev_probe(). One RX
 * and one TX queue per media worker; worker i owns queue i of every port.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_ethdev.h>

#include "dp_log.h"
#include "dp_priv.h"

/* The ethdev name of vdev devargs: the part before the first comma. */
static void
devargs_name(const char *devargs, char *name, size_t len)
{
	size_t n = strcspn(devargs, ",");

	if (n >= len)
		n = len - 1;
	memcpy(name, devargs, n);
	name[n] = '\0';
}

static int
port_attach(const char *device, uint16_t *port_id, bool *probed, char *err, size_t errlen)
{
	char name[RTE_ETH_NAME_MAX_LEN];
	int rc;

	*probed = false;
	if (rte_eth_dev_get_port_by_name(device, port_id) == 0)
		return 0;
	devargs_name(device, name, sizeof(name));
	if (rte_eth_dev_get_port_by_name(name, port_id) == 0) {
		snprintf(err, errlen, "device %s: %s already exists", device, name);
		return -EEXIST;
	}
	rc = rte_dev_probe(device);
	if (rc < 0) {
		snprintf(err, errlen, "probe %s: %s", device, strerror(-rc));
		return rc;
	}
	if (rte_eth_dev_get_port_by_name(name, port_id) != 0) {
		snprintf(err, errlen, "probe %s: no ethdev named %s", device, name);
		(void)rte_eal_hotplug_remove("vdev", name);
		return -ENODEV;
	}
	*probed = true;
	return 0;
}

static void
port_addrs(struct dp_port *p, const struct cfg_port *c)
{
	unsigned int i;

	p->n_addr4 = c->n_addr4;
	for (i = 0; i < c->n_addr4; i++)
		p->addr4[i] = c->addr4[i].ip.a.v4.s_addr;
	p->n_addr6 = c->n_addr6;
	for (i = 0; i < c->n_addr6; i++)
		memcpy(p->addr6[i], &c->addr6[i].ip.a.v6, 16);
}

/* Configure queues, offloads, MTU and MAC; start. Shared by data ports and
 * exception interfaces (exc: no RSS, no VLAN offloads). */
int
dp_port_setup(struct dp *dp, struct dp_port *p, const struct cfg_port *c, char *err, size_t errlen)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	struct rte_eth_txconf txc;
	struct rte_eth_rxconf rxc;
	uint16_t nq = (uint16_t)dp->n_workers, q, nrx, ntx;
	int rc;

	p->role = c->role;
	p->conf = c;
	p->exc_port_id = UINT16_MAX;
	rc = port_attach(c->device, &p->port_id, &p->probed, err, errlen);
	if (rc < 0)
		return rc;
	p->configured = true;
	port_addrs(p, c);

	rc = rte_eth_dev_info_get(p->port_id, &info);
	if (rc < 0) {
		snprintf(err, errlen, "port %s: dev_info: %s", c->device, strerror(-rc));
		return rc;
	}
	if (info.max_rx_queues < nq || info.max_tx_queues < nq) {
		snprintf(err, errlen,
			 "port %s: %u media workers need %u queues, the device has %u rx/%u tx",
			 c->device, nq, nq, info.max_rx_queues, info.max_tx_queues);
		return -EINVAL;
	}

	memset(&conf, 0, sizeof(conf));
	if (nq > 1 && info.flow_type_rss_offloads != 0) {
		/* RSS on the UDP 4-tuple keeps a flow on one worker (the owner
		 * of its crypto state) in the common case; the rest is handed
		 * off over a ring. */
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf =
			info.flow_type_rss_offloads & (RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP);
	}
	if (dp->dpconf.tx_checksum_offload) {
		if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM) {
			conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_IPV4_CKSUM;
			p->tx_ip_cksum = true;
		}
		if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_UDP_CKSUM) {
			conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
			p->tx_udp_cksum = true;
		}
	}
	if (dp->dpconf.rx_checksum_offload &&
	    (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_CHECKSUM) == RTE_ETH_RX_OFFLOAD_CHECKSUM)
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_CHECKSUM;
	if (c->vlan_mode == CFG_VLAN_STRIP) {
		p->vlan_tci = c->vlan_id;
		if (dp->dpconf.rx_checksum_offload &&
		    (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_VLAN_STRIP)) {
			conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_VLAN_STRIP;
			p->hw_vlan_strip = true;
		}
		if (dp->dpconf.tx_checksum_offload &&
		    (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_VLAN_INSERT)) {
			conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_VLAN_INSERT;
			p->hw_vlan_insert = true;
		}
	}

	rc = rte_eth_dev_configure(p->port_id, nq, nq, &conf);
	if (rc < 0) {
		snprintf(err, errlen, "port %s: configure: %s", c->device, strerror(-rc));
		return rc;
	}
	nrx = c->rx_desc != 0 ? c->rx_desc : 1024;
	ntx = c->tx_desc != 0 ? c->tx_desc : 1024;
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(p->port_id, &nrx, &ntx);
	if (rc < 0) {
		snprintf(err, errlen, "port %s: descriptors: %s", c->device, strerror(-rc));
		return rc;
	}
	rxc = info.default_rxconf;
	rxc.offloads = conf.rxmode.offloads;
	txc = info.default_txconf;
	txc.offloads = conf.txmode.offloads;
	for (q = 0; q < nq; q++) {
		rc = rte_eth_rx_queue_setup(p->port_id, q, nrx, dp->socket, &rxc, dp->pool);
		if (rc < 0) {
			snprintf(err, errlen, "port %s: rx queue %u: %s", c->device, q,
				 strerror(-rc));
			return rc;
		}
		rc = rte_eth_tx_queue_setup(p->port_id, q, ntx, dp->socket, &txc);
		if (rc < 0) {
			snprintf(err, errlen, "port %s: tx queue %u: %s", c->device, q,
				 strerror(-rc));
			return rc;
		}
	}
	p->nb_queues = nq;

	if (c->mtu != 0) {
		rc = rte_eth_dev_set_mtu(p->port_id, c->mtu);
		/* Virtual devices without an MTU (net_ring) answer -ENOTSUP:
		 * the frame size is then the pool's, which is enough. */
		if (rc < 0 && rc != -ENOTSUP) {
			snprintf(err, errlen, "port %s: mtu %u: %s", c->device, c->mtu,
				 strerror(-rc));
			return rc;
		}
	}
	if (!rte_is_zero_ether_addr((const struct rte_ether_addr *)c->mac)) {
		struct rte_ether_addr m;

		memcpy(m.addr_bytes, c->mac, 6);
		rc = rte_eth_dev_default_mac_addr_set(p->port_id, &m);
		if (rc < 0) {
			snprintf(err, errlen, "port %s: set mac: %s", c->device, strerror(-rc));
			return rc;
		}
	}
	rc = rte_eth_macaddr_get(p->port_id, &p->mac);
	if (rc < 0) {
		snprintf(err, errlen, "port %s: mac: %s", c->device, strerror(-rc));
		return rc;
	}
	rc = rte_eth_dev_start(p->port_id);
	if (rc < 0) {
		snprintf(err, errlen, "port %s: start: %s", c->device, strerror(-rc));
		return rc;
	}
	p->started = true;
	/* Our unicast MAC, broadcast and the multicast groups ND needs are
	 * all we want; a PMD that cannot turn promiscuous mode off is fine,
	 * the worker filters on the destination MAC. */
	(void)rte_eth_promiscuous_disable(p->port_id);
	(void)rte_eth_allmulticast_enable(p->port_id);
	dp->slot_of_port[p->port_id] = (uint8_t)p->role;
	DP_LOG(INFO, "port %s (ethdev %u): %u queues, rss %s, tx cksum ip %d udp %d, vlan %d",
	       c->device, p->port_id, nq, conf.rxmode.mq_mode == RTE_ETH_MQ_RX_RSS ? "on" : "off",
	       p->tx_ip_cksum, p->tx_udp_cksum, (int)c->vlan_mode);
	return 0;
}

void
dp_port_stop(struct dp_port *p)
{
	if (!p->configured || !p->started)
		return;
	(void)rte_eth_dev_stop(p->port_id);
	p->started = false;
}

void
dp_port_close(struct dp_port *p)
{
	struct rte_eth_dev_info info;

	if (!p->configured)
		return;
	dp_port_stop(p);
	/* Closed whoever made it (its queues refer to our pool, which goes
	 * next); the device itself is removed only when we probed it. */
	{
		struct rte_device *dev = NULL;

		if (p->probed && rte_eth_dev_info_get(p->port_id, &info) == 0)
			dev = info.device;
		(void)rte_eth_dev_close(p->port_id);
		if (dev != NULL)
			(void)rte_dev_remove(dev);
	}
	p->configured = false;
}
