/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * imsagw-ctl: send one command to a running imsagw's admin socket and print
 * the reply: one or more lines, the last starting "ok" or "error". Exit
 * status 0 when the last line starts with "ok".
 *
 *   imsagw-ctl [-s SOCKET] COMMAND [ARGS...]
 *   imsagw-ctl stats
 *   imsagw-ctl context add
 *   imsagw-ctl term add ctx=1 realm=access remote=192.0.2.2 rport=5004
 *   imsagw-ctl msrp show
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#define DEFAULT_SOCKET "/run/imsagw/imsagw.sock"
#define REPLY_TIMEOUT_MS 5000

/* The start of the reply's last complete line when it ends the reply (it
 * starts "ok" or "error"), else NULL. */
static const char *
final_line(const char *reply, size_t n)
{
	const char *line = reply, *nl;

	while ((nl = memchr(line, '\n', (size_t)(reply + n - line))) != NULL) {
		if (strncmp(line, "ok", 2) == 0 || strncmp(line, "error", 5) == 0)
			return line;
		line = nl + 1;
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *path = DEFAULT_SOCKET;
	char cmd[1024] = "", reply[8192];
	const char *last;
	size_t n = 0, len;
	int i = 1, fd;

	if (argc > 2 && strcmp(argv[1], "-s") == 0) {
		path = argv[2];
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: %s [-s SOCKET] COMMAND [ARGS...]\n", argv[0]);
		return 2;
	}
	for (; i < argc; i++) {
		len = strlen(cmd);
		snprintf(cmd + len, sizeof(cmd) - len, "%s%s", len ? " " : "", argv[i]);
	}
	len = strlen(cmd);
	if (len + 2 > sizeof(cmd)) {
		fprintf(stderr, "%s: command too long\n", argv[0]);
		return 2;
	}
	cmd[len++] = '\n';
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], path, strerror(errno));
		return 1;
	}
	if (write(fd, cmd, len) != (ssize_t)len) {
		fprintf(stderr, "%s: write: %s\n", argv[0], strerror(errno));
		return 1;
	}
	/* Lines until the one that says ok or error. */
	while (n < sizeof(reply) - 1 && final_line(reply, n) == NULL) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&p, 1, REPLY_TIMEOUT_MS) <= 0) {
			fprintf(stderr, "%s: no reply\n", argv[0]);
			return 1;
		}
		r = read(fd, reply + n, sizeof(reply) - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	reply[n] = '\0';
	close(fd);
	fputs(reply, stdout);
	last = final_line(reply, n);
	return last != NULL && strncmp(last, "ok", 2) == 0 ? 0 : 1;
}
