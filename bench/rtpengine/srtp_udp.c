/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * imsagw-srtp-udp: drive an SRTP<->RTP relay over kernel UDP sockets,
 * closed loop, for the rtpengine comparison (bench/rtpengine.sh).
 *
 *   imsagw-srtp-udp --calls FILE [--seconds S] [--window W] [--payload N]
 *
 * FILE: one call per line, set up beforehand by the caller:
 *   UE_PORT CORE_PORT PEER_UE_PORT PEER_CORE_PORT UE_KEY PEER_KEY
 * on 127.0.0.1; the keys are a=crypto values with their first two spaces
 * written as '+'. The UE socket sends SRTP (UE_KEY) to PEER_UE_PORT and the
 * core socket must receive it as RTP (access-in); the core socket sends RTP
 * to PEER_CORE_PORT and the UE socket must receive SRTP under PEER_KEY
 * (core-in). The same stream shape as imsagw-gen: incrementing sequence
 * numbers from 65436 (a ROC rollover early), 160-byte payloads.
 *
 * Closed loop: each round sends W packets per call and direction, then
 * waits (up to 100 ms) for them to come back. rtpengine stops reading a
 * socket that stays non-empty for 5 reads of 50 packets (a loop guard), so
 * W stays well under 50. Prints one line of key=value results.
 * No EAL: the openssl engine of crypto/ does the SRTP.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <openssl/crypto.h>

#include "sec.h"

#define MAX_CALLS 4096
#define PKT_MAX 1500

struct ucall {
	int ue_fd, core_fd;
	struct sockaddr_in peer_ue, peer_core;
	struct sec_session *tx, *rx;
	uint32_t sent[2];
	uint16_t seq0;
};

static struct ucall calls[MAX_CALLS];
static unsigned int ncalls;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
udp_bind(unsigned int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0), big = 4 << 20;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		perror("bind");
		exit(1);
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	return fd;
}

static struct sec_session *
session(const char *plus, enum sec_dir dir)
{
	char line[SDES_LINE_MAX];
	struct sdes_crypto c;
	struct sec_session_params p;
	struct sec_session *s;
	unsigned int n = 0;
	size_t i;
	int err;

	snprintf(line, sizeof(line), "%s", plus);
	for (i = 0; line[i] != '\0' && n < 2; i++)
		if (line[i] == '+') {
			line[i] = ' ';
			n++;
		}
	memset(&p, 0, sizeof(p)); /* sec_params_from_sdes() fills only the key */
	if (sdes_parse(line, strlen(line), SEC_SUITE_MASK_ALL, &c, NULL) != 0 ||
	    sec_params_from_sdes(&p, &c) != 0) {
		fprintf(stderr, "bad key line\n");
		exit(1);
	}
	p.dir = dir;
	p.proto = SEC_PROTO_SRTP;
	p.engine = SEC_ENGINE_OPENSSL;
	p.replay_window = 1024;
	s = sec_session_create(&p, &err);
	/* p points into c: cleanse only after the session took the key */
	sdes_crypto_clear(&c);
	OPENSSL_cleanse(line, sizeof(line));
	return s;
}

static unsigned int
build(uint8_t *b, struct ucall *c, unsigned int d, unsigned int payload)
{
	uint16_t seq = (uint16_t)(c->seq0 + c->sent[d]);
	uint32_t ts = htonl(c->sent[d] * 160), ssrc = htonl(0x30000000u + d);
	unsigned int k;

	b[0] = 0x80;
	b[1] = 0;
	b[2] = (uint8_t)(seq >> 8);
	b[3] = (uint8_t)seq;
	memcpy(b + 4, &ts, 4);
	memcpy(b + 8, &ssrc, 4);
	for (k = 0; k < payload; k++)
		b[12 + k] = (uint8_t)(k + seq);
	c->sent[d]++;
	return 12 + payload;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "calls", 1, NULL, 'c' }, { "seconds", 1, NULL, 's' },
		{ "window", 1, NULL, 'w' }, { "payload", 1, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL;
	double secs = 5, t0, t, wait;
	unsigned int window = 8, payload = 160, i, k, d;
	uint64_t sent[2] = { 0, 0 }, got[2] = { 0, 0 }, bad[2] = { 0, 0 }, rounds = 0, timeouts = 0;
	struct sec_config cfg;
	char ue_key[256], peer_key[256];
	uint8_t buf[PKT_MAX];
	FILE *f;
	int o;

	while ((o = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (o) {
		case 'c': file = optarg; break;
		case 's': secs = strtod(optarg, NULL); break;
		case 'w': window = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'p': payload = (unsigned int)strtoul(optarg, NULL, 0); break;
		default: return 2;
		}
	}
	if (file == NULL || secs <= 0 || secs > 120 || window == 0 || window > 40 ||
	    payload > 1200) {
		fprintf(stderr, "usage: %s --calls FILE [--seconds S<=120] [--window W<=40] "
				"[--payload N]\n", argv[0]);
		return 2;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.default_engine = SEC_ENGINE_OPENSSL;
	cfg.disable_cryptodev = true;
	if (sec_init(&cfg) != 0)
		return 1;
	f = fopen(file, "r");
	if (f == NULL) {
		perror(file);
		return 1;
	}
	while (ncalls < MAX_CALLS) {
		unsigned int up, cp, pu, pc;
		struct ucall *c = &calls[ncalls];

		if (fscanf(f, "%u %u %u %u %255s %255s", &up, &cp, &pu, &pc, ue_key, peer_key) != 6)
			break;
		c->ue_fd = udp_bind(up);
		c->core_fd = udp_bind(cp);
		c->peer_ue.sin_family = c->peer_core.sin_family = AF_INET;
		c->peer_ue.sin_addr.s_addr = c->peer_core.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		c->peer_ue.sin_port = htons((uint16_t)pu);
		c->peer_core.sin_port = htons((uint16_t)pc);
		c->tx = session(ue_key, SEC_DIR_PROTECT);
		c->rx = session(peer_key, SEC_DIR_UNPROTECT);
		c->seq0 = 65436;
		if (c->tx == NULL || c->rx == NULL)
			return 1;
		ncalls++;
	}
	fclose(f);
	if (ncalls == 0)
		return 1;
	t0 = now();
	while ((t = now()) - t0 < secs) {
		uint64_t want[2] = { 0, 0 }, have[2] = { 0, 0 };

		for (i = 0; i < ncalls; i++) {
			struct ucall *c = &calls[i];

			for (k = 0; k < window; k++) {
				struct sec_pkt p = { .data = buf, .room = sizeof(buf) };
				uint8_t st;

				p.len = build(buf, c, 0, payload);
				if (sec_protect_burst(c->tx, &p, 1, &st) == 1 &&
				    sendto(c->ue_fd, buf, p.len, 0, (struct sockaddr *)&c->peer_ue,
					   sizeof(c->peer_ue)) == (ssize_t)p.len)
					want[0]++;
				p.len = build(buf, c, 1, payload);
				if (sendto(c->core_fd, buf, p.len, 0, (struct sockaddr *)&c->peer_core,
					   sizeof(c->peer_core)) == (ssize_t)p.len)
					want[1]++;
			}
		}
		/* collect until all came back or the round's time passed: 100 ms,
		 * or more for many calls (rtpengine forwards ~100 kpps) */
		wait = 0.1 + (double)(want[0] + want[1]) / 50e3;
		while (have[0] + have[1] < want[0] + want[1] && now() - t < wait) {
			for (i = 0; i < ncalls; i++) {
				struct ucall *c = &calls[i];

				for (d = 0; d < 2; d++) {
					int fd = d == 0 ? c->core_fd : c->ue_fd;
					ssize_t r;

					while ((r = recv(fd, buf, sizeof(buf), 0)) > 0) {
						struct sec_pkt p = { .data = buf, .len = (uint32_t)r,
								     .room = sizeof(buf) };
						uint8_t st;

						if (d == 1 && sec_unprotect_burst(c->rx, &p, 1, &st) != 1) {
							bad[d]++;
							continue;
						}
						if (p.len != 12 + payload || (buf[0] & 0xc0) != 0x80) {
							bad[d]++;
							continue;
						}
						have[d]++;
					}
				}
			}
		}
		if (have[0] + have[1] < want[0] + want[1])
			timeouts++;
		for (d = 0; d < 2; d++) {
			sent[d] += want[d];
			got[d] += have[d];
		}
		rounds++;
	}
	t = now() - t0;
	printf("calls=%u seconds=%.3f window=%u rounds=%llu timeouts=%llu "
	       "ai_sent=%llu ai_got=%llu ai_bad=%llu ci_sent=%llu ci_got=%llu ci_bad=%llu "
	       "kpps=%.2f\n", ncalls, t, window, (unsigned long long)rounds,
	       (unsigned long long)timeouts, (unsigned long long)sent[0],
	       (unsigned long long)got[0], (unsigned long long)bad[0],
	       (unsigned long long)sent[1], (unsigned long long)got[1],
	       (unsigned long long)bad[1], (double)(got[0] + got[1]) / t / 1e3);
	for (i = 0; i < ncalls; i++) {
		sec_session_destroy(calls[i].tx);
		sec_session_destroy(calls[i].rx);
		close(calls[i].ue_fd);
		close(calls[i].core_fd);
	}
	sec_fini();
	return 0;
}
