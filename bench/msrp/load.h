/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * imsagw-msrp-load: the pieces its files share (a benchmark program's
 * private header; one thread, the main one, runs everything).
 *
 *   load_net.c    addresses, port lists, sockets, RLIMIT_NOFILE, clock
 *   load_tls.c    OpenSSL contexts (no CA: the peer's SHA-256 fingerprint
 *                 is checked by us), records in and out
 *   load_msrp.c   MSRP SEND and 200 OK frames: build and scan
 *   load_client.c the UE side: connect, handshake, probe, hold, send
 *   load_server.c the core side (answer or sink) and a plain TCP relay
 *   msrp_load.c   options and the result lines
 */
#ifndef IMSAGW_BENCH_MSRP_LOAD_H
#define IMSAGW_BENCH_MSRP_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <openssl/ssl.h>

#define LOAD_MAX_PORTS 65536
#define LOAD_FRAME_MAX (1u << 20) /* a frame we buffer before calling it junk */
#define LOAD_TID_MAX 32

/* A byte buffer: data is p[off, len). */
struct lbuf {
	char *p;
	size_t off, len, cap;
};

/* What the options say; filled by msrp_load.c, read-only afterwards. */
struct load_opts {
	/* addresses: the one host and its ports (connect or listen) */
	struct sockaddr_storage addr;
	socklen_t addr_len;
	uint16_t *ports;
	uint32_t n_ports;
	struct sockaddr_storage to; /* relay: where accepted connections go */
	socklen_t to_len;
	/* TLS */
	bool tls;
	int tls_version; /* 0 any of 1.2/1.3, else TLS1_2_VERSION or TLS1_3_VERSION */
	const char *cert, *key;
	bool have_fp;
	uint8_t fp[32]; /* the peer's certificate SHA-256 */
	/* client */
	uint32_t conns;       /* connections in all */
	double rate;          /* new connections per second, 0: as fast as allowed */
	uint32_t concurrency; /* connections being set up at once */
	bool churn;           /* close each connection once it is up (handshakes/s) */
	bool probe;           /* one small SEND answered 200 OK before "up" */
	uint32_t active;      /* connections that send chunks after all are up */
	uint32_t chunk;       /* payload bytes per SEND */
	uint32_t window;      /* SENDs in flight per active connection */
	double seconds;       /* active phase length */
	uint64_t chunks;      /* or: SENDs per active connection (0: by time) */
	bool pause;           /* wait for SIGUSR1 once all are up, and before closing */
	double hs_timeout;    /* one connection's connect + handshake + probe */
	/* server */
	bool sink; /* count bytes, answer nothing */
	/* all */
	double timeout; /* the whole run */
	const char *label;
};

/* Counters of a run, printed as key=value. */
struct load_stats {
	uint64_t started, connected, handshakes, resumed, up, closed;
	uint64_t fail_connect, fail_tls, fail_fp, fail_probe, fail_timeout, fail_proto, fail_closed;
	uint64_t sends, oks, not_ok, bad_tid;
	uint64_t payload_out, payload_in, wire_out, wire_in;
	uint64_t payload_active; /* of the active phase's SENDs */
	uint64_t accepted, relayed;
	double t_first, t_last_up, t_active0, t_active1;
	double *setup_ms; /* per connection, for the percentiles */
	uint64_t n_setup;
};

/* load_net.c */
double load_now(void);
int load_parse_addr(const char *s, struct sockaddr_storage *ss, socklen_t *len);
/* "P", "A-B", "A,B,C" (mixed) or "@FILE" (ports separated by white space
 * or commas); *ports malloc'd. @return count, or -1 with a message. */
int load_parse_ports(const char *s, uint16_t **ports);
void load_set_port(struct sockaddr_storage *ss, uint16_t port);
/* Raise RLIMIT_NOFILE as far as allowed (want at least). @return the limit. */
uint64_t load_raise_nofile(uint64_t want);
int load_connect(const struct sockaddr_storage *ss, socklen_t len);
int load_listen(const struct sockaddr_storage *ss, socklen_t len);
int load_buf_reserve(struct lbuf *b, size_t room);
void load_buf_consume(struct lbuf *b, size_t n);
void load_buf_free(struct lbuf *b);

/* load_tls.c */
SSL_CTX *load_tls_ctx(const struct load_opts *o, bool server);
/* "SHA-256 AB:CD:..", "SHA-256+AB..", "sha-256:ab..", bare hex with or
 * without colons. @return 0, -1 when not 32 bytes of hex. */
int load_parse_fp(const char *s, uint8_t fp[32]);
/* 1 when the peer's certificate has the fingerprint fp (or no fp is
 * asked for but a certificate was given), 0 otherwise. */
int load_tls_peer_ok(SSL *ssl, const struct load_opts *o);
/* Read what is readable into b (TLS or not): bytes added, 0 nothing now,
 * -1 closed (EOF, close_notify) or failed. */
long load_read(int fd, SSL *ssl, struct lbuf *b, size_t max);
/* Write up to n bytes from p: bytes written, 0 blocked, -1 failed. A TLS
 * write that blocked must be retried with at least the same n (OpenSSL's
 * rule; the buffer may move: SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER). */
long load_write(int fd, SSL *ssl, const char *p, size_t n);

/* load_msrp.c */
/* A SEND with tid "t<conn>x<seq>" and len payload bytes (a fixed pattern
 * without '-' or CR); appended to b. Numbers have fixed widths, so every
 * SEND of one len has the same length. @return frame bytes or -1. */
long load_msrp_send(struct lbuf *b, uint32_t conn, uint32_t seq, size_t len);
/* Scan one response at the front of p[0, n): *used bytes of a complete
 * one, its status code and tid. @return 1 one found, 0 incomplete, -1 not
 * MSRP. */
int load_msrp_response(const char *p, size_t n, size_t *used, int *code, char *tid,
		       size_t tid_cap);
/* Scan one request at the front of p[0, n); a SEND is answered 200 OK
 * into reply (appended). *used bytes of the complete frame, *payload its
 * body bytes, *is_send. @return 1, 0 incomplete, -1 not MSRP. */
int load_msrp_request(const char *p, size_t n, size_t *used, size_t *payload, bool *is_send,
		      struct lbuf *reply);
/* The tid a client's SEND number seq on connection conn carries. */
void load_msrp_tid(char *out, size_t cap, uint32_t conn, uint32_t seq);

/* load_client.c, load_server.c: @return 0 when everything went as asked. */
int load_run_client(const struct load_opts *o, struct load_stats *st);
int load_run_server(const struct load_opts *o, struct load_stats *st);
int load_run_relay(const struct load_opts *o, struct load_stats *st);

/* msrp_load.c: set by SIGTERM/SIGINT (stop) and SIGUSR1 (go on). */
extern volatile int load_stop, load_go;

#endif /* IMSAGW_BENCH_MSRP_LOAD_H */
