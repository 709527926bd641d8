/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Section `ports`: `ports.access` and `ports.core` share one table; the
 * group rows carry the tag that makes their exception_iface defaults differ.
 */
#include <netinet/in.h>
#include <stddef.h>

#include "cfg_schema.h"

static const struct cfg_name vlan_names[] = {
	{"none", CFG_VLAN_NONE},
	{"strip", CFG_VLAN_STRIP},
	{"pass", CFG_VLAN_PASS},
	{NULL, 0},
};

static const struct cfg_name exc_names[] = {
	{"tap", CFG_EXC_TAP},
	{"virtio-user", CFG_EXC_VIRTIO_USER},
	{"none", CFG_EXC_NONE},
	{NULL, 0},
};

static const struct cfg_row neighbour_rows[] = {
	{.key = "ip",
	 .type = CFG_T_IP,
	 CFG_FIELD(struct cfg_neighbour, ip),
	 .flags = CFG_F_REQUIRED,
	 .meaning = "next-hop address, inside one of the port's prefixes"},
	{.key = "mac",
	 .type = CFG_T_MAC,
	 CFG_FIELD(struct cfg_neighbour, mac),
	 .flags = CFG_F_REQUIRED,
	 .meaning = "its link address (unicast)"},
};

static const struct cfg_table neighbour_table = CFG_TABLE("neighbour", neighbour_rows);

static const struct cfg_row port_rows[] = {
	{.key = "device",
	 .type = CFG_T_STR,
	 CFG_FIELD(struct cfg_port, device),
	 .min = 1,
	 .flags = CFG_F_REQUIRED,
	 .meaning = "PCI address (\"0000:03:00.0\") or vdev devargs "
		    "(\"net_tap0,iface=imsagw-ue0\")"},
	{.key = "ipv4",
	 .type = CFG_T_PREFIX,
	 CFG_LIST(struct cfg_port, addr4, n_addr4),
	 .family = AF_INET,
	 .def = "",
	 .meaning = "the port's IPv4 addresses with their on-link prefix length"},
	{.key = "ipv6",
	 .type = CFG_T_PREFIX,
	 CFG_LIST(struct cfg_port, addr6, n_addr6),
	 .family = AF_INET6,
	 .def = "",
	 .meaning = "the port's IPv6 addresses; with ipv4, at least one address per port"},
	{.key = "udp_min",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_port, udp_min),
	 .min = 1024,
	 .max = 65535,
	 .flags = CFG_F_REQUIRED,
	 .meaning = "first UDP port for terminations (even: RTP even, RTCP = RTP + 1)"},
	{.key = "udp_max",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_port, udp_max),
	 .min = 1024,
	 .max = 65535,
	 .flags = CFG_F_REQUIRED,
	 .meaning = "last UDP port for terminations"},
	{.key = "tcp_min",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_port, tcp_min),
	 .min = 1024,
	 .max = 65535,
	 .flags = CFG_F_REQUIRED,
	 .meaning = "first TCP port for MSRP terminations"},
	{.key = "tcp_max",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_port, tcp_max),
	 .min = 1024,
	 .max = 65535,
	 .flags = CFG_F_REQUIRED,
	 .meaning = "last TCP port for MSRP terminations"},
	{.key = "vlan_mode",
	 .type = CFG_T_ENUM,
	 CFG_FIELD(struct cfg_port, vlan_mode),
	 .names = vlan_names,
	 .def = "none",
	 .meaning = "\"strip\": tagged vlan_id on the wire, removed on RX and pushed on TX; "
		    "\"pass\": any tag accepted, media egress untagged"},
	{.key = "vlan_id",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_port, vlan_id),
	 .min = 0,
	 .max = 4094,
	 .def = "0",
	 .meaning = "the VLAN with vlan_mode \"strip\" (1..4094); "
		    "0 otherwise"},
	{.key = "mtu",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_port, mtu),
	 .min = 576,
	 .max = 9000,
	 .def = "1500",
	 .meaning = "IP MTU (at least 1280 with IPv6 addresses)"},
	{.key = "rx_desc",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_port, rx_desc),
	 .min = 64,
	 .max = 8192,
	 .def = "1024",
	 .meaning = "RX descriptors per queue"},
	{.key = "tx_desc",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_port, tx_desc),
	 .min = 64,
	 .max = 8192,
	 .def = "1024",
	 .meaning = "TX descriptors per queue"},
	{.key = "mac",
	 .type = CFG_T_MAC,
	 .off = offsetof(struct cfg_port, mac),
	 .size = 6,
	 .def = "00:00:00:00:00:00",
	 .meaning = "MAC address override (unicast); all zero keeps the device's own"},
	{.key = "routes",
	 .type = CFG_T_ROUTE,
	 CFG_LIST(struct cfg_port, routes, n_routes),
	 .def = "",
	 .meaning = "static routes \"PREFIX via ADDRESS\", the next hop on-link"},
	{.key = "neighbours",
	 .type = CFG_T_GROUP,
	 CFG_LIST(struct cfg_port, neighbours, n_neighbours),
	 .sub = &neighbour_table,
	 .def = "",
	 .meaning = "static next-hop link addresses ( { ip = ...; mac = ...; }, ... ); "
		    "others come from the kernel behind the exception interface"},
	{.key = "exception",
	 .type = CFG_T_ENUM,
	 CFG_FIELD(struct cfg_port, exc_kind),
	 .names = exc_names,
	 .def = "tap",
	 .meaning = "kernel path for ARP/ND, ICMP and TCP: a net_tap or virtio-user "
		    "interface, or none (benchmarks)"},
	{.key = "exception_iface",
	 .type = CFG_T_STR,
	 CFG_FIELD(struct cfg_port, exc_iface),
	 .min = 1,
	 .max = 15,
	 .def = "imsagw-%s-x",
	 .meaning = "kernel name of the exception interface (in `dataplane.netns`)"},
};

static const struct cfg_table port_table = CFG_TABLE("port", port_rows);

static const struct cfg_row ports_rows[] = {
	{.key = "access",
	 .type = CFG_T_GROUP,
	 .off = CFG_PORT_ACCESS * sizeof(struct cfg_port),
	 .size = sizeof(struct cfg_port),
	 .sub = &port_table,
	 .tag = "acc",
	 .flags = CFG_F_REQUIRED,
	 .meaning = "the port toward the UEs (SRTP, TLS)"},
	{.key = "core",
	 .type = CFG_T_GROUP,
	 .off = CFG_PORT_CORE * sizeof(struct cfg_port),
	 .size = sizeof(struct cfg_port),
	 .sub = &port_table,
	 .tag = "core",
	 .flags = CFG_F_REQUIRED,
	 .meaning = "the port toward the IMS core (RTP, TCP)"},
};

const struct cfg_table cfg_schema_ports = CFG_TABLE("ports", ports_rows);
