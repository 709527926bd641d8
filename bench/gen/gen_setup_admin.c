/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * imsagw-gen call setup over the gateway's admin socket (control/
 * ctl_admin.c; the command set is in docs/operations.md):
 *
 *   context add                                       -> ok ctx=N
 *   term add ctx=N realm=access remote=UE rport=P mux
 *        [transport=srtp-e2ae rxkey=<ue key> txkey=generate]
 *                                                     -> ok ... port=L ...
 *                                                        [txcrypto=<gw key>]
 *   term add ctx=N realm=core remote=CORE rport=P mux -> ok ... port=L ...
 *   context delete ctx=N
 *
 * One connection, one line per command, answered by one line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <openssl/crypto.h>

#include "gen.h"

struct admin {
	int fd;
	size_t len;
	char buf[4096];
};

static int
admin_open(void **h, const char *target, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct admin *a;

	if (strlen(target) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket path too long");
		return -ENAMETOOLONG;
	}
	a = calloc(1, sizeof(*a));
	if (a == NULL)
		return -ENOMEM;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", target);
	a->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (a->fd < 0 || connect(a->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		snprintf(err, errlen, "%s: %s", target, strerror(errno));
		if (a->fd >= 0)
			close(a->fd);
		free(a);
		return -ECONNREFUSED;
	}
	*h = a;
	return 0;
}

/* Send one command line and read one reply line into out. */
static int
admin_cmd(struct admin *a, const char *cmd, char *out, size_t outlen)
{
	size_t n = strlen(cmd);
	char *nl;
	ssize_t r;

	if (write(a->fd, cmd, n) != (ssize_t)n || write(a->fd, "\n", 1) != 1)
		return -EIO;
	for (;;) {
		nl = memchr(a->buf, '\n', a->len);
		if (nl != NULL)
			break;
		if (a->len == sizeof(a->buf))
			return -E2BIG;
		r = read(a->fd, a->buf + a->len, sizeof(a->buf) - a->len);
		if (r <= 0)
			return -EIO;
		a->len += (size_t)r;
	}
	*nl = '\0';
	n = (size_t)(nl - a->buf);
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, a->buf, n);
	out[n] = '\0';
	n = (size_t)(nl - a->buf) + 1;
	memmove(a->buf, a->buf + n, a->len - n);
	a->len -= n;
	OPENSSL_cleanse(a->buf + a->len, n);
	return strncmp(out, "ok", 2) == 0 ? 0 : -EPROTO;
}

/* Value of key=... in a reply, copied to out. */
static int
kv(const char *line, const char *key, char *out, size_t outlen)
{
	size_t kl = strlen(key);
	const char *p = line;

	while ((p = strstr(p, key)) != NULL) {
		if ((p == line || p[-1] == ' ') && p[kl] == '=') {
			size_t n = strcspn(p + kl + 1, " \r\n");

			if (n >= outlen)
				return -E2BIG;
			memcpy(out, p + kl + 1, n);
			out[n] = '\0';
			return 0;
		}
		p += kl;
	}
	return -ENOENT;
}

/* "tag suite inline:..." with its first two spaces as '+' (the admin
 * socket's form of an a=crypto value) */
static void
plus_line(char *s)
{
	unsigned int n = 0;

	for (; *s != '\0' && n < 2; s++)
		if (*s == ' ') {
			*s = '+';
			n++;
		}
}

static int
admin_call_add(void *h, const struct gen_net *net, uint32_t idx, bool srtp,
	       enum sec_suite_id suite, struct gen_call *c, char *err, size_t errlen)
{
	struct admin *a = h;
	char cmd[GEN_LINE_MAX], rep[GEN_LINE_MAX], v[SDES_LINE_MAX], ip[INET_ADDRSTRLEN];
	char key[SDES_LINE_MAX];
	struct in_addr ia;
	int rc;

	memset(c, 0, sizeof(*c));
	rc = admin_cmd(a, "context add", rep, sizeof(rep));
	if (rc != 0 || kv(rep, "ctx", v, sizeof(v)) != 0) {
		snprintf(err, errlen, "context add: %s", rep);
		return rc != 0 ? rc : -EPROTO;
	}
	c->ctx = (uint32_t)strtoul(v, NULL, 10);

	ia.s_addr = net->ue_ip;
	inet_ntop(AF_INET, &ia, ip, sizeof(ip));
	snprintf(cmd, sizeof(cmd), "term add ctx=%u realm=access remote=%s rport=%u mux", c->ctx,
		 ip, (unsigned int)(net->ue_port_base + 2 * idx));
	if (srtp) {
		/* the UE's key: the gateway's rx key (SPEC §1.2) */
		rc = sdes_generate(suite, NULL, &c->ue_key);
		if (rc == 0)
			rc = sdes_format(&c->ue_key, key, sizeof(key)) < 0 ? -EINVAL : 0;
		if (rc != 0) {
			snprintf(err, errlen, "key generation failed");
			return rc;
		}
		plus_line(key);
		snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd),
			 " transport=srtp-e2ae rxkey=%s txkey=generate", key);
		OPENSSL_cleanse(key, sizeof(key));
	}
	rc = admin_cmd(a, cmd, rep, sizeof(rep));
	OPENSSL_cleanse(cmd, sizeof(cmd));
	if (rc != 0 || kv(rep, "port", v, sizeof(v)) != 0) {
		snprintf(err, errlen, "term add access: %.200s", rep);
		return rc != 0 ? rc : -EPROTO;
	}
	c->gw_access_port = (uint16_t)strtoul(v, NULL, 10);
	if (srtp) {
		char *p;
		unsigned int n = 0;

		if (kv(rep, "txcrypto", v, sizeof(v)) != 0) {
			snprintf(err, errlen, "term add access: no txcrypto= in the reply "
					      "(gateway without e2ae SRTP on the admin socket?)");
			return -EPROTO;
		}
		for (p = v; *p != '\0' && n < 2; p++)
			if (*p == '+') {
				*p = ' ';
				n++;
			}
		rc = sdes_parse(v, strlen(v), SEC_SUITE_MASK_ALL, &c->gw_key, NULL);
		OPENSSL_cleanse(v, sizeof(v));
		OPENSSL_cleanse(rep, sizeof(rep));
		if (rc < 0) {
			snprintf(err, errlen, "gateway key unreadable");
			return -EPROTO;
		}
		c->srtp = true;
	}
	ia.s_addr = net->core_ip;
	inet_ntop(AF_INET, &ia, ip, sizeof(ip));
	snprintf(cmd, sizeof(cmd), "term add ctx=%u realm=core remote=%s rport=%u mux", c->ctx, ip,
		 (unsigned int)(net->core_port_base + 2 * idx));
	rc = admin_cmd(a, cmd, rep, sizeof(rep));
	if (rc != 0 || kv(rep, "port", v, sizeof(v)) != 0) {
		snprintf(err, errlen, "term add core: %.200s", rep);
		return rc != 0 ? rc : -EPROTO;
	}
	c->gw_core_port = (uint16_t)strtoul(v, NULL, 10);
	return 0;
}

static int
admin_call_del(void *h, const struct gen_call *c)
{
	char cmd[64], rep[GEN_LINE_MAX];

	snprintf(cmd, sizeof(cmd), "context delete ctx=%u", c->ctx);
	return admin_cmd(h, cmd, rep, sizeof(rep));
}

static void
admin_close(void *h)
{
	struct admin *a = h;

	if (a == NULL)
		return;
	close(a->fd);
	OPENSSL_cleanse(a->buf, sizeof(a->buf));
	free(a);
}

const struct gen_setup_ops gen_setup_admin = {
	.name = "admin",
	.open = admin_open,
	.call_add = admin_call_add,
	.call_del = admin_call_del,
	.close = admin_close,
};
