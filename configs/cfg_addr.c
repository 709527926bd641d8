/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Text forms of addresses in the config: IP, prefix, endpoint, MAC, route.
 * Strict: the whole string must parse, no surrounding blanks, decimal
 * numbers only, IPv6 endpoints in brackets (RFC 3986 §3.2.2 style).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cfg.h"
#include "cfg_schema.h"

/* Decimal digits only, value <= max. */
static int
parse_dec(const char *s, size_t n, unsigned long max, unsigned long *v)
{
	unsigned long x = 0;
	size_t i;

	if (n == 0 || n > 10)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -EINVAL;
		x = x * 10 + (unsigned long)(s[i] - '0');
	}
	if (x > max)
		return -EINVAL;
	*v = x;
	return 0;
}

static const char *
family_name(int family)
{
	return family == AF_INET ? "IPv4" : family == AF_INET6 ? "IPv6" : "IP";
}

int
cfg_parse_ip(const char *s, int family, struct cfg_ip *ip, char *why, size_t len)
{
	memset(ip, 0, sizeof(*ip));
	if (inet_pton(AF_INET, s, &ip->a.v4) == 1) {
		ip->family = AF_INET;
	} else if (inet_pton(AF_INET6, s, &ip->a.v6) == 1) {
		ip->family = AF_INET6;
	} else {
		if (why != NULL && len > 0)
			snprintf(why, len, "bad %s address '%s'", family_name(family), s);
		return -EINVAL;
	}
	if (family != 0 && ip->family != family) {
		if (why != NULL && len > 0)
			snprintf(why, len, "'%s' is not an %s address", s, family_name(family));
		return -EINVAL;
	}
	return 0;
}

int
cfg_parse_prefix(const char *s, int family, struct cfg_prefix *p, char *why, size_t len)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(s, '/');
	unsigned long plen;
	unsigned int maxlen;
	size_t n;

	memset(p, 0, sizeof(*p));
	if (slash == NULL) {
		snprintf(why, len, "bad %s prefix '%s': expected ADDRESS/LENGTH",
			 family_name(family), s);
		return -EINVAL;
	}
	n = (size_t)(slash - s);
	if (n >= sizeof(addr)) {
		snprintf(why, len, "bad %s prefix '%s'", family_name(family), s);
		return -EINVAL;
	}
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (cfg_parse_ip(addr, 0, &p->ip, why, len) < 0 ||
	    (family != 0 && p->ip.family != family)) {
		snprintf(why, len, "bad %s prefix '%s': '%s' is not an %s address",
			 family_name(family), s, addr, family_name(family));
		return -EINVAL;
	}
	maxlen = p->ip.family == AF_INET ? 32 : 128;
	if (parse_dec(slash + 1, strlen(slash + 1), maxlen, &plen) < 0) {
		snprintf(why, len, "bad %s prefix '%s': length must be 0..%u",
			 family_name(p->ip.family), s, maxlen);
		return -EINVAL;
	}
	p->len = (uint8_t)plen;
	return 0;
}

int
cfg_parse_endpoint(const char *s, int family, struct cfg_endpoint *ep, char *why, size_t len)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *colon;
	const char *a = s;
	unsigned long port;
	size_t n;

	memset(ep, 0, sizeof(*ep));
	if (s[0] == '[') {
		const char *rb = strchr(s, ']');

		if (rb == NULL || rb[1] != ':') {
			snprintf(why, len, "bad endpoint '%s': expected [IPv6]:PORT", s);
			return -EINVAL;
		}
		a = s + 1;
		n = (size_t)(rb - a);
		colon = rb + 1;
	} else {
		colon = strchr(s, ':');
		if (colon == NULL || strchr(colon + 1, ':') != NULL) {
			snprintf(why, len, "bad endpoint '%s': expected IPv4:PORT or [IPv6]:PORT",
				 s);
			return -EINVAL;
		}
		n = (size_t)(colon - s);
	}
	if (n >= sizeof(addr)) {
		snprintf(why, len, "bad endpoint '%s': bad address", s);
		return -EINVAL;
	}
	memcpy(addr, a, n);
	addr[n] = '\0';
	if (cfg_parse_ip(addr, family, &ep->ip, why, len) < 0) {
		snprintf(why, len, "bad endpoint '%s': bad %s address '%s'", s, family_name(family),
			 addr);
		return -EINVAL;
	}
	if (s[0] != '[' && ep->ip.family == AF_INET6) {
		snprintf(why, len, "bad endpoint '%s': write an IPv6 endpoint as [ADDRESS]:PORT",
			 s);
		return -EINVAL;
	}
	if (s[0] == '[' && ep->ip.family != AF_INET6) {
		snprintf(why, len, "bad endpoint '%s': brackets are for IPv6 addresses", s);
		return -EINVAL;
	}
	if (parse_dec(colon + 1, strlen(colon + 1), 65535, &port) < 0 || port == 0) {
		snprintf(why, len, "bad endpoint '%s': port must be 1..65535", s);
		return -EINVAL;
	}
	ep->port = (uint16_t)port;
	return 0;
}

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = (char)tolower((unsigned char)ch);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

int
cfg_parse_mac(const char *s, uint8_t mac[6], char *why, size_t len)
{
	unsigned int i;

	if (strlen(s) != 17)
		goto bad;
	for (i = 0; i < 6; i++) {
		int hi = hexval(s[3 * i]), lo = hexval(s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			goto bad;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
bad:
	memset(mac, 0, 6);
	snprintf(why, len, "bad MAC address '%s': expected six hex pairs like 02:00:00:00:00:01",
		 s);
	return -EINVAL;
}

int
cfg_parse_route(const char *s, struct cfg_route *r, char *why, size_t len)
{
	char dst[64], via[64], word[8], extra[2];
	char sub[CFG_ERR_MAX];

	memset(r, 0, sizeof(*r));
	if (sscanf(s, "%63s %7s %63s %1s", dst, word, via, extra) != 3 ||
	    strcmp(word, "via") != 0) {
		snprintf(why, len, "bad route '%s': expected 'PREFIX via ADDRESS'", s);
		return -EINVAL;
	}
	if (cfg_parse_prefix(dst, 0, &r->dst, sub, sizeof(sub)) < 0) {
		snprintf(why, len, "bad route '%s': %s", s, sub);
		return -EINVAL;
	}
	if (cfg_parse_ip(via, r->dst.ip.family, &r->via, sub, sizeof(sub)) < 0) {
		snprintf(why, len, "bad route '%s': %s", s, sub);
		return -EINVAL;
	}
	return 0;
}

int
cfg_ip_equal(const struct cfg_ip *a, const struct cfg_ip *b)
{
	if (a->family != b->family)
		return 0;
	if (a->family == AF_INET)
		return a->a.v4.s_addr == b->a.v4.s_addr;
	return memcmp(&a->a.v6, &b->a.v6, sizeof(a->a.v6)) == 0;
}

int
cfg_prefix_contains(const struct cfg_prefix *p, const struct cfg_ip *ip)
{
	const uint8_t *x, *y;
	unsigned int full, rest;

	if (p->ip.family != ip->family)
		return 0;
	x = p->ip.family == AF_INET ? (const uint8_t *)&p->ip.a.v4 : p->ip.a.v6.s6_addr;
	y = ip->family == AF_INET ? (const uint8_t *)&ip->a.v4 : ip->a.v6.s6_addr;
	full = p->len / 8;
	rest = p->len % 8;
	if (memcmp(x, y, full) != 0)
		return 0;
	if (rest != 0) {
		uint8_t m = (uint8_t)(0xff << (8 - rest));

		return (x[full] & m) == (y[full] & m);
	}
	return 1;
}

const char *
cfg_ip_str(const struct cfg_ip *ip, char *buf, size_t len)
{
	if (ip == NULL || (ip->family != AF_INET && ip->family != AF_INET6) ||
	    inet_ntop(ip->family, &ip->a, buf, (socklen_t)len) == NULL) {
		if (len > 0)
			snprintf(buf, len, "?");
	}
	return buf;
}
