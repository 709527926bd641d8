/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * imsagw-msrp-load: addresses, port lists, non-blocking sockets, the file
 * descriptor limit, the clock and byte buffers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/resource.h>

#include "load.h"

double
load_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int
load_parse_addr(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		*len = sizeof(*a4);
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		*len = sizeof(*a6);
		return 0;
	}
	return -1;
}

void
load_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

static int
add_port(uint16_t *ports, int n, unsigned long v)
{
	if (v == 0 || v > 65535 || n >= LOAD_MAX_PORTS)
		return -1;
	ports[n] = (uint16_t)v;
	return n + 1;
}

/* Items "P" or "A-B" separated by commas or white space. */
static int
parse_items(char *s, uint16_t *ports)
{
	char *save = NULL, *w, *end, *end2;
	int n = 0;

	for (w = strtok_r(s, ", \t\r\n", &save); w != NULL; w = strtok_r(NULL, ", \t\r\n", &save)) {
		unsigned long a = strtoul(w, &end, 10), b = a;

		if (end == w)
			return -1;
		if (*end == '-') {
			b = strtoul(end + 1, &end2, 10);
			if (end2 == end + 1 || *end2 != '\0' || b < a)
				return -1;
		} else if (*end != '\0') {
			return -1;
		}
		for (; a <= b; a++)
			if ((n = add_port(ports, n, a)) < 0)
				return -1;
	}
	return n;
}

int
load_parse_ports(const char *s, uint16_t **out)
{
	uint16_t *ports = calloc(LOAD_MAX_PORTS, sizeof(*ports));
	char *text = NULL;
	int n;

	if (ports == NULL)
		return -1;
	if (s[0] == '@') {
		FILE *f = fopen(s + 1, "r");
		size_t cap = 0;
		ssize_t r;

		if (f == NULL) {
			fprintf(stderr, "msrp-load: %s: %s\n", s + 1, strerror(errno));
			free(ports);
			return -1;
		}
		r = getdelim(&text, &cap, '\0', f); /* the whole file */
		fclose(f);
		if (r < 0) {
			free(text);
			text = strdup("");
		}
	} else {
		text = strdup(s);
	}
	n = text != NULL ? parse_items(text, ports) : -1;
	free(text);
	if (n <= 0) {
		fprintf(stderr, "msrp-load: bad port list '%s'\n", s);
		free(ports);
		return -1;
	}
	*out = ports;
	return n;
}

uint64_t
load_raise_nofile(uint64_t want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	if (rl.rlim_max < want) {
		/* root may raise the hard limit up to fs.nr_open */
		struct rlimit up = { .rlim_cur = want, .rlim_max = want };

		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			return want;
	}
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	getrlimit(RLIMIT_NOFILE, &rl);
	return rl.rlim_cur;
}

static int
new_socket(int family)
{
	int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;

	if (fd >= 0)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

int
load_connect(const struct sockaddr_storage *ss, socklen_t len)
{
	int fd = new_socket(ss->ss_family);

	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)ss, len) < 0 && errno != EINPROGRESS) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	return fd;
}

int
load_listen(const struct sockaddr_storage *ss, socklen_t len)
{
	int fd = new_socket(ss->ss_family), one = 1;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)ss, len) < 0 || listen(fd, 4096) < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	return fd;
}

int
load_buf_reserve(struct lbuf *b, size_t room)
{
	size_t need;
	char *p;

	if (b->off > 0 && (b->off == b->len || b->cap - b->len < room)) {
		memmove(b->p, b->p + b->off, b->len - b->off);
		b->len -= b->off;
		b->off = 0;
	}
	need = b->len + room;
	if (need <= b->cap)
		return 0;
	if (need > 4 * LOAD_FRAME_MAX)
		return -1;
	if (need < 2 * b->cap)
		need = 2 * b->cap;
	p = realloc(b->p, need);
	if (p == NULL)
		return -1;
	b->p = p;
	b->cap = need;
	return 0;
}

void
load_buf_consume(struct lbuf *b, size_t n)
{
	b->off += n;
	if (b->off == b->len)
		b->off = b->len = 0;
}

void
load_buf_free(struct lbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}
