/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * imsagw-gen: shared declarations of the traffic generator's files.
 * Private to bench/gen/.
 */
#ifndef IMSAGW_BENCH_GEN_H
#define IMSAGW_BENCH_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include <netinet/in.h>

#include "sec.h"

#define GEN_MAX_CALLS (1u << 20)
#define GEN_LINE_MAX 1024

/* The network the generator plays: a UE behind the access port and a core
 * host behind the core port (configs/examples/memif-bench.conf). Addresses
 * in network order. */
struct gen_net {
	uint32_t ue_ip, gw_access_ip, core_ip, gw_core_ip;
	uint8_t ue_mac[6], gw_access_mac[6], core_mac[6], gw_core_mac[6];
	uint16_t ue_port_base, core_port_base; /* host order; call i: base+2i */
	uint16_t unknown_port;                 /* host order: a media port
						* with no flow */
};

/* One call through the gateway: one access and one core termination,
 * rtcp-mux, audio. */
struct gen_call {
	uint32_t ctx;               /* gateway context id */
	uint16_t gw_access_port;    /* host order: where access packets go */
	uint16_t gw_core_port;      /* host order: where core packets go */
	bool srtp;                  /* access side is e2ae SRTP */
	/* access side, generator's view: we send with ue_key (the gateway's
	 * rx key) and receive with gw_key (what the gateway generated) */
	struct sdes_crypto ue_key, gw_key;
};

/* How calls are set up: the admin socket today, Iq (the MGC library)
 * once iq/ offers one. Control thread of the generator. */
struct gen_setup_ops {
	const char *name;
	/* Returns 0 or -errno with err filled. */
	int (*open)(void **h, const char *target, char *err, size_t errlen);
	int (*call_add)(void *h, const struct gen_net *net, uint32_t idx, bool srtp,
			enum sec_suite_id suite, struct gen_call *c, char *err, size_t errlen);
	int (*call_del)(void *h, const struct gen_call *c);
	void (*close)(void *h);
};

extern const struct gen_setup_ops gen_setup_admin;
extern const struct gen_setup_ops gen_setup_iq;
/* How long Iq setup waits for the gateway's ServiceChange (ms; 0: not). */
extern int gen_iq_wait_ms;

/* Write a pcap (microsecond, Ethernet) of frames. Returns 0 or -errno. */
struct gen_pcap;
struct gen_pcap *gen_pcap_open(const char *path);
int gen_pcap_write(struct gen_pcap *p, const uint8_t *frame, uint32_t len, uint64_t usec);
int gen_pcap_close(struct gen_pcap *p);

#endif /* IMSAGW_BENCH_GEN_H */
