/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The junk of imsagw-pipeline-bench --junk: what a UE flood puts on the
 * gateway's access port beside the media, as frame templates built once
 * (before anything is timed) and copied into mbufs per round. Main thread
 * of the benchmark only.
 *
 * Everything is addressed to the gateway's own access address (or, for
 * ND, to the multicast groups a UE would use), so dp_worker.c's classify()
 * sends it to the exception path (to_exc(), under the port's policer) or
 * drops it as ND; none of it is media.
 */
#ifndef IMSAGW_PIPELINE_JUNK_H
#define IMSAGW_PIPELINE_JUNK_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

/* The kinds of junk frame, each its own template. */
enum bench_junk_kind {
	BENCH_JUNK_ICMP = 0,   /* ICMP echo request */
	BENCH_JUNK_TCP_SYN,    /* TCP SYN to port 80: outside the MSRP range */
	BENCH_JUNK_UDP,        /* UDP to port 53: outside the media range */
	BENCH_JUNK_FRAG_FIRST, /* UDP, MF set, offset 0 (the rest never comes) */
	BENCH_JUNK_FRAG_LATER, /* a last fragment: MF clear, offset != 0 */
	BENCH_JUNK_ND_NS,      /* ICMPv6 NS for a target that is not ours */
	BENCH_JUNK_ND_RA,      /* ICMPv6 RA from a UE to all nodes */
	BENCH_JUNK_KINDS,
};

#define BENCH_JUNK_FRAME 128 /* bytes a template may use */

/* Where the junk goes and comes from. Addresses in network order. */
struct bench_junk_addrs {
	struct rte_ether_addr port_mac; /* the access port's MAC */
	struct rte_ether_addr ue_mac;
	uint32_t gw_v4; /* the gateway's access address */
	uint32_t ue_v4;
	const uint8_t (*gw_v6)[16]; /* the port's IPv6 addresses (NS target must differ) */
	unsigned int n_gw_v6;
};

struct bench_junk {
	uint8_t frame[BENCH_JUNK_KINDS][BENCH_JUNK_FRAME];
	uint16_t len[BENCH_JUNK_KINDS];
};

/* Build the templates for a. @return 0, or -EINVAL when no foreign NS
 * target could be found (cannot happen with fewer than 256 addresses). */
int bench_junk_build(struct bench_junk *j, const struct bench_junk_addrs *a);

/* The kind of the k-th junk frame of a run: a fixed mix of ten (ICMP,
 * TCP SYN and UDP twice each, the two fragments, NS and RA once each: ND
 * is a fifth of the junk). */
enum bench_junk_kind bench_junk_kind_of(uint64_t k);

/* Is this kind dropped as ND (DP_DROP_ND) rather than policed? */
bool bench_junk_is_nd(enum bench_junk_kind kind);

/* A short name for output ("icmp", "tcp_syn", ...). */
const char *bench_junk_name(enum bench_junk_kind kind);

/* Put the template of kind into m (reset first; one segment). */
void bench_junk_fill(const struct bench_junk *j, enum bench_junk_kind kind, struct rte_mbuf *m);

#endif /* IMSAGW_PIPELINE_JUNK_H */
