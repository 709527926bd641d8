/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cross-field checks: what no single row can say. They run after the schema
 * walk (every value is in range by then) and blame the key that has to
 * change, at its line.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cfg.h"
#include "cfg_schema.h"

static const char *const port_key[CFG_MAX_PORTS] = {"ports.access", "ports.core"};

static int
ranges_overlap(unsigned int a_lo, unsigned int a_hi, unsigned int b_lo, unsigned int b_hi)
{
	return a_lo <= b_hi && b_lo <= a_hi;
}

static int
host_bits_zero(const struct cfg_prefix *p)
{
	if (p->ip.family == AF_INET) {
		uint32_t a = ntohl(p->ip.a.v4.s_addr);
		uint32_t m = p->len == 0 ? 0 : 0xffffffffu << (32 - p->len);

		return (a & ~m) == 0;
	}
	for (unsigned int i = 0; i < 16; i++) {
		unsigned int bit = i * 8;
		uint8_t m = bit >= p->len       ? 0
			    : bit + 8 <= p->len ? 0xff
						: (uint8_t)(0xff << (8 - (p->len - bit)));

		if ((p->ip.a.v6.s6_addr[i] & (uint8_t)~m) != 0)
			return 0;
	}
	return 1;
}

/* Is ip on-link, inside one of the port's own prefixes? */
static int
on_link(const struct cfg_port *p, const struct cfg_ip *ip)
{
	const struct cfg_prefix *a = ip->family == AF_INET ? p->addr4 : p->addr6;
	unsigned int n = ip->family == AF_INET ? p->n_addr4 : p->n_addr6;

	for (unsigned int i = 0; i < n; i++)
		if (cfg_prefix_contains(&a[i], ip))
			return 1;
	return 0;
}

static int
mac_is_zero(const uint8_t m[6])
{
	static const uint8_t z[6];

	return memcmp(m, z, 6) == 0;
}

static int
check_port(const struct cfg_port *p, const char *k, struct cfg_ctx *ctx)
{
	char path[96], buf[INET6_ADDRSTRLEN];
	unsigned int i, j;

#define AT(sub) (snprintf(path, sizeof(path), "%s.%s", k, sub), path)
	if (p->n_addr4 + p->n_addr6 == 0)
		return cfg_err_at(ctx, k, -1, "%s: needs at least one address (ipv4 or ipv6)", k);
	if (p->udp_min > p->udp_max)
		return cfg_err_at(ctx, AT("udp_max"), -1, "%s.udp_max: %u is below udp_min %u", k,
				  p->udp_max, p->udp_min);
	if (p->udp_min % 2 != 0)
		return cfg_err_at(ctx, AT("udp_min"), -1,
				  "%s.udp_min: %u is odd; RTP ports are even (RTCP = RTP + 1)", k,
				  p->udp_min);
	if (p->udp_max == p->udp_min)
		return cfg_err_at(ctx, AT("udp_max"), -1,
				  "%s.udp_max: the range must hold an RTP/RTCP pair (udp_max > "
				  "udp_min)",
				  k);
	if (p->tcp_min > p->tcp_max)
		return cfg_err_at(ctx, AT("tcp_max"), -1, "%s.tcp_max: %u is below tcp_min %u", k,
				  p->tcp_max, p->tcp_min);
	/* vlan_id is absent when 0: blame vlan_mode, the key that is there. */
	if (p->vlan_mode == CFG_VLAN_STRIP && p->vlan_id == 0)
		return cfg_err_at(ctx, AT("vlan_mode"), -1,
				  "%s.vlan_id: must be 1..4094 with vlan_mode \"strip\"", k);
	if (p->vlan_mode != CFG_VLAN_STRIP && p->vlan_id != 0)
		return cfg_err_at(ctx, AT("vlan_id"), -1,
				  "%s.vlan_id: only meaningful with vlan_mode \"strip\"", k);
	if (p->n_addr6 > 0 && p->mtu < 1280)
		return cfg_err_at(ctx, AT("mtu"), -1,
				  "%s.mtu: %u is below 1280, the IPv6 minimum (RFC 8200 §5)", k,
				  p->mtu);
	if (p->mac[0] & 1)
		return cfg_err_at(ctx, AT("mac"), -1, "%s.mac: a multicast address", k);
	for (i = 0; i < p->n_routes; i++) {
		const struct cfg_route *r = &p->routes[i];

		if (!host_bits_zero(&r->dst))
			return cfg_err_at(ctx, AT("routes"), (int)i,
					  "%s.routes[%u]: destination %s/%u has host bits set", k,
					  i, cfg_ip_str(&r->dst.ip, buf, sizeof(buf)), r->dst.len);
		if (!on_link(p, &r->via))
			return cfg_err_at(ctx, AT("routes"), (int)i,
					  "%s.routes[%u]: next hop %s is not inside an address "
					  "prefix of the port",
					  k, i, cfg_ip_str(&r->via, buf, sizeof(buf)));
	}
	for (i = 0; i < p->n_neighbours; i++) {
		const struct cfg_neighbour *nb = &p->neighbours[i];

		if (!on_link(p, &nb->ip))
			return cfg_err_at(ctx, AT("neighbours"), (int)i,
					  "%s.neighbours[%u].ip: %s is not inside an address "
					  "prefix of the port",
					  k, i, cfg_ip_str(&nb->ip, buf, sizeof(buf)));
		if (mac_is_zero(nb->mac) || (nb->mac[0] & 1))
			return cfg_err_at(ctx, AT("neighbours"), (int)i,
					  "%s.neighbours[%u].mac: must be a unicast address", k, i);
		for (j = 0; j < i; j++)
			if (cfg_ip_equal(&p->neighbours[j].ip, &nb->ip))
				return cfg_err_at(ctx, AT("neighbours"), (int)i,
						  "%s.neighbours[%u].ip: duplicate of "
						  "neighbours[%u]",
						  k, i, j);
	}
#undef AT
	return 0;
}

static int
share_address(const struct cfg_port *a, const struct cfg_port *b)
{
	unsigned int i, j;

	for (i = 0; i < a->n_addr4; i++)
		for (j = 0; j < b->n_addr4; j++)
			if (cfg_ip_equal(&a->addr4[i].ip, &b->addr4[j].ip))
				return 1;
	for (i = 0; i < a->n_addr6; i++)
		for (j = 0; j < b->n_addr6; j++)
			if (cfg_ip_equal(&a->addr6[i].ip, &b->addr6[j].ip))
				return 1;
	return 0;
}

static int
check_ports(struct cfg *c, struct cfg_ctx *ctx)
{
	const struct cfg_port *acc = &c->ports[CFG_PORT_ACCESS];
	const struct cfg_port *core = &c->ports[CFG_PORT_CORE];
	unsigned int i;
	int rc;

	for (i = 0; i < CFG_MAX_PORTS; i++) {
		c->ports[i].role = (enum cfg_port_role)i;
		rc = check_port(&c->ports[i], port_key[i], ctx);
		if (rc < 0)
			return rc;
	}
	if (strcmp(acc->device, core->device) == 0)
		return cfg_err_at(ctx, "ports.core.device", -1,
				  "ports.core.device: same device as ports.access.device");
	if (acc->exc_kind != CFG_EXC_NONE && core->exc_kind != CFG_EXC_NONE &&
	    strcmp(acc->exc_iface, core->exc_iface) == 0)
		return cfg_err_at(ctx, "ports.core.exception_iface", -1,
				  "ports.core.exception_iface: '%s' is also "
				  "ports.access.exception_iface",
				  core->exc_iface);
	/* One address on both ports: a local port number must say which side. */
	if (share_address(acc, core)) {
		if (ranges_overlap(acc->udp_min, acc->udp_max, core->udp_min, core->udp_max))
			return cfg_err_at(ctx, "ports.core.udp_min", -1,
					  "ports.core.udp_min: UDP range %u..%u overlaps "
					  "ports.access %u..%u on a shared address",
					  core->udp_min, core->udp_max, acc->udp_min, acc->udp_max);
		if (ranges_overlap(acc->tcp_min, acc->tcp_max, core->tcp_min, core->tcp_max))
			return cfg_err_at(ctx, "ports.core.tcp_min", -1,
					  "ports.core.tcp_min: TCP range %u..%u overlaps "
					  "ports.access %u..%u on a shared address",
					  core->tcp_min, core->tcp_max, acc->tcp_min, acc->tcp_max);
	}
	return 0;
}

static int
check_lcores(const struct cfg_lcores *l, struct cfg_ctx *ctx)
{
	unsigned int i, j;

	for (i = 0; i < l->n_media; i++)
		if (l->media[i] == l->control)
			return cfg_err_at(ctx, "lcores.media", (int)i,
					  "lcores.media[%u]: lcore %u is the control lcore; no "
					  "lcore may have two roles",
					  i, l->media[i]);
	for (i = 0; i < l->n_msrp; i++) {
		if (l->msrp[i] == l->control)
			return cfg_err_at(ctx, "lcores.msrp", (int)i,
					  "lcores.msrp[%u]: lcore %u is the control lcore; no "
					  "lcore may have two roles (an empty msrp list relays "
					  "on the control lcore)",
					  i, l->msrp[i]);
		for (j = 0; j < l->n_media; j++)
			if (l->msrp[i] == l->media[j])
				return cfg_err_at(
					ctx, "lcores.msrp", (int)i,
					"lcores.msrp[%u]: lcore %u is also lcores.media[%u]; "
					"no lcore may have two roles",
					i, l->msrp[i], j);
	}
	return 0;
}

/* EAL options that the file says elsewhere: main() builds them. */
static const char *
eal_owned(const char *a)
{
	static const struct {
		const char *opt;
		const char *use;
	} owned[] = {
		{"-l", "lcores"},
		{"-c", "lcores"},
		{"--lcores", "lcores"},
		{"--main-lcore", "lcores.control"},
		{"--master-lcore", "lcores.control"},
		{"-m", "eal.memory_mb"},
		{"--no-huge", "eal.hugepages = \"no\""},
	};
	size_t i, n;

	for (i = 0; i < sizeof(owned) / sizeof(owned[0]); i++) {
		n = strlen(owned[i].opt);
		if (strncmp(a, owned[i].opt, n) != 0)
			continue;
		/* "-l", "-l0-3"; "--lcores", "--lcores=..." but not "--lcoresX" */
		if (n == 2 || a[n] == '\0' || a[n] == '=')
			return owned[i].use;
	}
	return NULL;
}

static int
check_eal(const struct cfg_eal *e, struct cfg_ctx *ctx)
{
	unsigned int i;
	const char *use;

	for (i = 0; i < e->argc; i++) {
		use = eal_owned(e->argv[i]);
		if (use != NULL)
			return cfg_err_at(ctx, "eal.args", (int)i,
					  "eal.args[%u]: '%s' is set from %s, not in eal.args", i,
					  e->argv[i], use);
	}
	return 0;
}

/* The certificate and its key go together; at least one TLS version. */
static int
check_msrp(const struct cfg_msrp *m, struct cfg_ctx *ctx)
{
	if (m->certificate[0] != '\0' && m->private_key[0] == '\0')
		return cfg_err_at(ctx, "msrp.private_key", -1,
				  "msrp.private_key: empty while msrp.certificate is set");
	if (m->certificate[0] == '\0' && m->private_key[0] != '\0')
		return cfg_err_at(ctx, "msrp.certificate", -1,
				  "msrp.certificate: empty while msrp.private_key is set");
	if (!m->tls12 && !m->tls13)
		return cfg_err_at(ctx, "msrp.tls13", -1,
				  "msrp.tls13: TLS 1.2 and 1.3 are both off; at least one must "
				  "stay on");
	return 0;
}

int
cfg_check(struct cfg *c, struct cfg_ctx *ctx)
{
	const struct cfg_crypto *k = &c->crypto;
	int rc;

	rc = check_eal(&c->eal, ctx);
	if (rc < 0)
		return rc;
	rc = check_lcores(&c->lcores, ctx);
	if (rc < 0)
		return rc;
	rc = check_ports(c, ctx);
	if (rc < 0)
		return rc;
	rc = check_msrp(&c->msrp, ctx);
	if (rc < 0)
		return rc;
	if (c->iq.retransmit_initial_ms > c->iq.retransmit_max_ms)
		return cfg_err_at(ctx, "iq.retransmit_max_ms", -1,
				  "iq.retransmit_max_ms: %u is below retransmit_initial_ms %u",
				  c->iq.retransmit_max_ms, c->iq.retransmit_initial_ms);
	/* The replay bitmap is kept in 64-bit words (crypto/ refuses any other
	 * size at session creation): say so at load and on SIGHUP, not at the
	 * first call. */
	if (k->replay_window % 64 != 0)
		return cfg_err_at(ctx, "crypto.replay_window", -1,
				  "crypto.replay_window: %u is not a multiple of 64", k->replay_window);
	if (!k->suite_aes_cm_128_sha1_80 && !k->suite_aes_cm_128_sha1_32 &&
	    !k->suite_aes_256_cm_sha1_80 && !k->suite_aes_256_cm_sha1_32 &&
	    !k->suite_aead_aes_128_gcm && !k->suite_aead_aes_256_gcm)
		return cfg_err_at(ctx, "crypto.suites", -1,
				  "crypto.suites: every suite is off; at least one must stay on");
	return 0;
}
