/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * srtp_peer: an SRTP/SRTCP (or plain RTP/RTCP) test endpoint for the
 * integration tests, built on libsrtp2 directly and on nothing of imsagw's
 * (so it checks the gateway's crypto independently).
 *
 * One UDP socket bound to --bind sends --count deterministic packets of
 * --seed to --to (RTP with sequence numbers from --seq0, or RTCP sender
 * reports), protected with --tx-key when given, and receives --expect
 * packets, unprotected with --rx-key when given, each checked byte for byte
 * against the plaintext a peer with --expect-seed / --expect-seq0 sends.
 * --forge N: after packet N also send a copy with a flipped tag bit;
 * --replay N: after packet N send it again. Both must be dropped by the
 * gateway. --tx-roc R: the sender's stream starts at ROC R (a rekeyed
 * sender keeps its ROC, RFC 3711 §3.3.1); --rx-roc R: the receiver's
 * stream of SSRC --expect-seed starts at ROC R (a receiver restarted in
 * the middle of a stream, or with a new key, where the sender is past a
 * rollover: libsrtp2 would otherwise take the first packet for ROC 0).
 * Sending starts half a second after the start, or, with --go FILE, as
 * soon as FILE exists; --ready FILE is created once the socket is bound.
 * Together they let a script start both ends of a call and release them
 * only when both can receive (on a loaded machine one process may start
 * long after the other, and packets sent to an unbound port are lost).
 * Prints "received=N matched=N wrong=N unprotect_fail=N"; exit 0
 * only when matched == --expect and nothing was wrong.
 *
 *   srtp_peer --bind IP:PORT [--to IP:PORT] [--rtcp] [--suite NAME]
 *             [--tx-key HEX] [--rx-key HEX] [--count N] [--seed S]
 *             [--seq0 Q] [--size B] [--expect N] [--expect-seed S]
 *             [--expect-seq0 Q] [--forge N] [--replay N] [--timeout SEC]
 *             [--interval-us U] [--tx-roc R] [--rx-roc R]
 *             [--ready FILE] [--go FILE]
 * Keys are key||salt in hex (30 bytes for AES_CM_128_*, 28 for
 * AEAD_AES_128_GCM).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <srtp2/srtp.h>

#define PKT_MAX 2048
#define KEY_MAX 46

struct opts {
	const char *bind, *to, *suite, *ready, *go;
	bool rtcp;
	uint8_t txkey[KEY_MAX], rxkey[KEY_MAX];
	size_t txlen, rxlen;
	long count, expect, size, forge, replay, interval_us, tx_roc, rx_roc;
	uint32_t seed, expect_seed;
	uint16_t seq0, expect_seq0;
	double timeout;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
endpoint(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[128];
	const char *colon = strrchr(s, ':');
	size_t hl;

	if (colon == NULL)
		return -1;
	hl = (size_t)(colon - s);
	if (hl >= sizeof(host))
		return -1;
	memcpy(host, s, hl);
	host[hl] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		host[hl - 1] = '\0';
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)atoi(colon + 1));
		*len = sizeof(*a);
		return inet_pton(AF_INET6, host + 1, &a->sin6_addr) == 1 ? 0 : -1;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)atoi(colon + 1));
		*len = sizeof(*a);
		return inet_pton(AF_INET, host, &a->sin_addr) == 1 ? 0 : -1;
	}
}

static size_t
hexkey(const char *h, uint8_t *out)
{
	size_t n = strlen(h) / 2, i;

	if (n > KEY_MAX || strlen(h) % 2)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned int v;

		if (sscanf(h + 2 * i, "%2x", &v) != 1)
			return 0;
		out[i] = (uint8_t)v;
	}
	return n;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Deterministic plaintext packet i of a sender (seed, seq0). */
static size_t
plain(uint8_t *b, bool rtcp, uint32_t seed, uint16_t seq0, long i, long size)
{
	size_t hl = rtcp ? 28 : 12, n, j;
	uint32_t x = seed * 2654435761u ^ (uint32_t)i * 40503u;

	n = hl + (size_t)size;
	if (rtcp)
		n = hl + ((size_t)size & ~(size_t)3);
	for (j = hl; j < n; j++) {
		x = x * 1103515245u + 12345u;
		b[j] = (uint8_t)(x >> 16);
	}
	if (rtcp) {
		/* SR: V=2 RC=0 PT=200, length in words - 1, SSRC, NTP, RTP ts,
		 * packet count = i, octet count. */
		b[0] = 0x80;
		b[1] = 200;
		b[2] = (uint8_t)((n / 4 - 1) >> 8);
		b[3] = (uint8_t)(n / 4 - 1);
		put32(b + 4, seed);
		put32(b + 8, (uint32_t)i);
		put32(b + 12, (uint32_t)i * 2);
		put32(b + 16, (uint32_t)i * 160);
		put32(b + 20, (uint32_t)i);
		put32(b + 24, (uint32_t)i * 172);
	} else {
		uint16_t seq = (uint16_t)(seq0 + i);

		b[0] = 0x80;
		b[1] = i == 0 ? 0x80 : 0x00;
		b[2] = (uint8_t)(seq >> 8);
		b[3] = (uint8_t)seq;
		put32(b + 4, (uint32_t)i * 160);
		put32(b + 8, seed);
	}
	return n;
}

static int
policy(srtp_policy_t *p, const char *suite, bool outbound, uint8_t *key, size_t klen)
{
	memset(p, 0, sizeof(*p));
	if (strcmp(suite, "AES_CM_128_HMAC_SHA1_80") == 0) {
		srtp_crypto_policy_set_rtp_default(&p->rtp);
		srtp_crypto_policy_set_rtcp_default(&p->rtcp);
		if (klen != 30)
			return -1;
	} else if (strcmp(suite, "AES_CM_128_HMAC_SHA1_32") == 0) {
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&p->rtp);
		srtp_crypto_policy_set_rtcp_default(&p->rtcp);
		if (klen != 30)
			return -1;
	} else if (strcmp(suite, "AEAD_AES_128_GCM") == 0) {
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&p->rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&p->rtcp);
		if (klen != 28)
			return -1;
	} else {
		return -1;
	}
	p->ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
	p->key = key;
	p->window_size = 128;
	p->allow_repeat_tx = 1; /* we replay on purpose */
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: srtp_peer --bind IP:PORT [options] (see the source)\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct opts o = {.suite = "AES_CM_128_HMAC_SHA1_80", .size = 160, .seed = 1,
			 .expect_seed = 2, .forge = -1, .replay = -1, .timeout = 10, .tx_roc = -1,
			 .rx_roc = -1, .interval_us = 2000};
	struct sockaddr_storage bss, tss, from;
	socklen_t blen, tlen = 0, flen;
	srtp_t tx = NULL, rx = NULL;
	srtp_policy_t pol;
	uint8_t buf[PKT_MAX], exp[PKT_MAX];
	long sent = 0, received = 0, matched = 0, wrong = 0, ufail = 0;
	char *seen;
	bool go;
	double start, next, deadline;
	int fd, i, rcvbuf = 4 << 20;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--rtcp") == 0) {
			o.rtcp = true;
			continue;
		}
		if (v == NULL)
			usage();
		i++;
		if (strcmp(a, "--bind") == 0)
			o.bind = v;
		else if (strcmp(a, "--to") == 0)
			o.to = v;
		else if (strcmp(a, "--suite") == 0)
			o.suite = v;
		else if (strcmp(a, "--tx-key") == 0)
			o.txlen = hexkey(v, o.txkey);
		else if (strcmp(a, "--rx-key") == 0)
			o.rxlen = hexkey(v, o.rxkey);
		else if (strcmp(a, "--count") == 0)
			o.count = atol(v);
		else if (strcmp(a, "--expect") == 0)
			o.expect = atol(v);
		else if (strcmp(a, "--size") == 0)
			o.size = atol(v);
		else if (strcmp(a, "--seed") == 0)
			o.seed = (uint32_t)strtoul(v, NULL, 10);
		else if (strcmp(a, "--expect-seed") == 0)
			o.expect_seed = (uint32_t)strtoul(v, NULL, 10);
		else if (strcmp(a, "--seq0") == 0)
			o.seq0 = (uint16_t)atol(v);
		else if (strcmp(a, "--expect-seq0") == 0)
			o.expect_seq0 = (uint16_t)atol(v);
		else if (strcmp(a, "--forge") == 0)
			o.forge = atol(v);
		else if (strcmp(a, "--replay") == 0)
			o.replay = atol(v);
		else if (strcmp(a, "--timeout") == 0)
			o.timeout = atof(v);
		else if (strcmp(a, "--tx-roc") == 0)
			o.tx_roc = atol(v);
		else if (strcmp(a, "--rx-roc") == 0)
			o.rx_roc = atol(v);
		else if (strcmp(a, "--ready") == 0)
			o.ready = v;
		else if (strcmp(a, "--go") == 0)
			o.go = v;
		else if (strcmp(a, "--interval-us") == 0)
			o.interval_us = atol(v);
		else
			usage();
	}
	if (o.bind == NULL || (o.count > 0 && o.to == NULL) || o.count > 100000 ||
	    o.expect > 100000 || o.timeout > 120 || o.size < 0 || o.size > 1400)
		usage();
	if (srtp_init() != srtp_err_status_ok)
		return 2;
	if (o.txlen) {
		if (policy(&pol, o.suite, true, o.txkey, o.txlen) < 0) {
			fprintf(stderr, "srtp_peer: bad tx key/suite\n");
			return 2;
		}
		if (o.tx_roc >= 0) {
			pol.ssrc.type = ssrc_specific;
			pol.ssrc.value = o.seed;
		}
		if (srtp_create(&tx, &pol) != srtp_err_status_ok ||
		    (o.tx_roc >= 0 &&
		     srtp_set_stream_roc(tx, o.seed, (uint32_t)o.tx_roc) != srtp_err_status_ok)) {
			fprintf(stderr, "srtp_peer: cannot create the tx context\n");
			return 2;
		}
	}
	if (o.rxlen) {
		if (policy(&pol, o.suite, false, o.rxkey, o.rxlen) < 0) {
			fprintf(stderr, "srtp_peer: bad rx key/suite\n");
			return 2;
		}
		if (o.rx_roc >= 0) {
			pol.ssrc.type = ssrc_specific;
			pol.ssrc.value = o.expect_seed;
		}
		if (srtp_create(&rx, &pol) != srtp_err_status_ok ||
		    (o.rx_roc >= 0 && srtp_set_stream_roc(rx, o.expect_seed, (uint32_t)o.rx_roc) !=
					      srtp_err_status_ok)) {
			fprintf(stderr, "srtp_peer: cannot create the rx context\n");
			return 2;
		}
	}
	if (endpoint(o.bind, &bss, &blen) < 0 || (o.to && endpoint(o.to, &tss, &tlen) < 0))
		usage();
	fd = socket(bss.ss_family, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&bss, blen) < 0) {
		perror("srtp_peer: bind");
		return 2;
	}
	if (o.ready != NULL) {
		int rf = open(o.ready, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (rf < 0) {
			perror("srtp_peer: ready file");
			return 2;
		}
		close(rf);
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	seen = calloc((size_t)o.expect + 1, 1);
	if (seen == NULL)
		return 2;
	start = now_s();
	next = start + 0.5; /* let the far side bind first */
	go = o.go == NULL;
	deadline = start + o.timeout;
	while (now_s() < deadline) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		double t = now_s();
		int wait_ms;

		if (!go && access(o.go, F_OK) == 0) {
			go = true;
			next = t;
		}
		if (go && sent < o.count && t >= next) {
			int len = (int)plain(buf, o.rtcp, o.seed, o.seq0, sent, o.size);
			srtp_err_status_t st = srtp_err_status_ok;

			if (tx != NULL)
				st = o.rtcp ? srtp_protect_rtcp(tx, buf, &len) : srtp_protect(tx, buf, &len);
			if (st != srtp_err_status_ok) {
				fprintf(stderr, "srtp_peer: protect failed: %d\n", st);
				return 2;
			}
			if (sent == o.forge) {
				/* Before the genuine packet, so that its index
				 * is new (a seen index fails the replay check
				 * before the tag is looked at). The last byte
				 * is tag (AES-CM RTP/RTCP, GCM RTP) or the
				 * SRTCP index (GCM RTCP): flip a tag byte. */
				size_t at = (size_t)len - (o.rtcp && strstr(o.suite, "GCM") ? 5 : 1);

				memcpy(exp, buf, (size_t)len);
				exp[at] ^= 0x01;
				sendto(fd, exp, (size_t)len, 0, (struct sockaddr *)&tss, tlen);
			}
			sendto(fd, buf, (size_t)len, 0, (struct sockaddr *)&tss, tlen);
			if (sent == o.replay)
				sendto(fd, buf, (size_t)len, 0, (struct sockaddr *)&tss, tlen);
			sent++;
			/* On the sender's own clock, as RTP is: late wake-ups
			 * and stalls do not add up over a long run (a 10 ms
			 * pacing lost 10 % on a loaded machine), but the
			 * catch-up burst after a stall is at most 1 s' worth. */
			next += (double)o.interval_us / 1e6;
			if (next < t - 1.0)
				next = t;
			continue;
		}
		if (go && sent >= o.count && matched >= o.expect && t > next + 0.3)
			break; /* done, and a quiet moment for strays */
		wait_ms = !go ? 10 : sent < o.count ? (int)((next - t) * 1000) : 50;
		if (poll(&pfd, 1, wait_ms < 0 ? 0 : wait_ms) <= 0)
			continue;
		flen = sizeof(from);
		{
			ssize_t r = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
			int len = (int)r;
			long idx;
			size_t el;

			if (r <= 0)
				continue;
			received++;
			if (rx != NULL) {
				srtp_err_status_t st = o.rtcp ? srtp_unprotect_rtcp(rx, buf, &len)
							      : srtp_unprotect(rx, buf, &len);
				if (st != srtp_err_status_ok) {
					ufail++;
					continue;
				}
			}
			if (o.rtcp)
				idx = len >= 24 ? (long)(((uint32_t)buf[20] << 24) | ((uint32_t)buf[21] << 16) |
						     ((uint32_t)buf[22] << 8) | buf[23]) : -1;
			else
				idx = len >= 4 ? (uint16_t)(((buf[2] << 8) | buf[3]) - o.expect_seq0) : -1;
			if (idx < 0 || idx >= o.expect || seen[idx]) {
				wrong++;
				continue;
			}
			el = plain(exp, o.rtcp, o.expect_seed, o.expect_seq0, idx, o.size);
			if ((size_t)len != el || memcmp(buf, exp, el) != 0) {
				wrong++;
				continue;
			}
			seen[idx] = 1;
			matched++;
		}
	}
	printf("sent=%ld received=%ld matched=%ld wrong=%ld unprotect_fail=%ld\n", sent, received,
	       matched, wrong, ufail);
	if (tx)
		srtp_dealloc(tx);
	if (rx)
		srtp_dealloc(rx);
	free(seen);
	close(fd);
	return matched == o.expect && wrong == 0 && ufail == 0 ? 0 : 1;
}
