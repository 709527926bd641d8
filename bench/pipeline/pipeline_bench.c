/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * imsagw-pipeline-bench: the media worker's per-packet path (parse, flow
 * lookup, SRTP transform, header rewrite) over pre-built mbufs on one
 * core, for one suite, one payload size and N active flows, both
 * directions, plus forged SRTP (the rejection cost). In the same run it
 * times the raw cryptodev op on the same size and reports the ratio, and
 * it measures the memory a flow costs (flow record + state + hash slot +
 * crypto session + device sessions).
 *
 *   imsagw-pipeline-bench [--suite NAME] [--flows N] [--payload N]
 *                         [--packets N] [--dir access-in|core-in|both]
 *                         [--json FILE] [--quick]
 *                         [-- EAL args]
 *
 * What it runs is a replica of dp_worker.c's process_burst() built from
 * the public API (dp_pkt_parse, dp_flow_lookup_bulk, sec_*_burst and the
 * same rewrite as dataplane/dp_rewrite.h), because the worker loop is
 * private to dataplane/. It does not include RX/TX (the ethdev's cost).
 * When dataplane exports a hook that runs the real burst path on given
 * mbufs, this program should call that instead (see docs/benchmarks.md).
 *
 * Traffic: packet g goes to flow g % N with RTP sequence number g / N
 * (a real index with ROC rollover once a flow passes 65535 packets). All
 * flows share one master key so that one protected stream serves every
 * flow (the SRTP bytes of index v are the same for every flow; headers
 * differ); each flow still has its own session, replay window and ROC,
 * so the work and the memory touched per packet are those of distinct
 * keys. A warm-up pass gives every flow its first packet (stream
 * creation) before timing.
 */
/* the bound calls the experimental CPU-crypto API directly */
#define ALLOW_EXPERIMENTAL_API 1

#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_byteorder.h>
#include <rte_cryptodev.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>
#include <rte_udp.h>

#include "dp.h"
#include "bench_bound.h"
#include "sec.h"

#define BENCH_BURST 32
#define BENCH_POOL 8192      /* mbufs refilled per round */
#define BENCH_ROOM 512       /* mbuf data room */
#define BENCH_ADDRS 64       /* local addresses the flows spread over */
#define BENCH_PORTS 16384    /* even ports per address */
#define BENCH_STREAM_MAX (1u << 20)

enum bench_dir {
	BENCH_ACCESS_IN = 0, /* SRTP -> RTP: unprotect */
	BENCH_CORE_IN,       /* RTP -> SRTP: protect */
};

struct bench_flows {
	struct dp_flow_table *t;
	struct dp_flow **f;
	uint32_t n;
	uint16_t in_port;       /* ingress port id of the keys */
	uint32_t addr_base;     /* host order */
	double create_us;       /* per flow */
	double bytes_per_flow;
	double mem[3];          /* per flow: C heap, DPDK heap, device sessions */
};

static const uint8_t mkey[32] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2,
	0xa6, 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };
static const uint8_t msalt[14] = { 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6,
	0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd };
static const struct rte_ether_addr gw_mac = {{ 0x02, 0, 0, 0, 0x0a, 0x01 }};
static const struct rte_ether_addr peer_mac = {{ 0x02, 0, 0, 0, 0x0a, 0x02 }};

static FILE *json;
static int json_rows;
static const char *json_suite;
static unsigned int json_payload;
static struct rte_mempool *pool;
static struct rte_rcu_qsbr *qsbr;
static uint16_t ip_id;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void
emit(const char *bench, const char *dir, uint32_t flows, const char *key,
     double val, double bound, double cpp)
{
	printf("%-10s %-24s %4u %-10s %8u flows  %-14s %10.3f", bench,
	       json_suite, json_payload, dir, flows, key, val);
	if (bound > 0)
		printf("  bound %.3f ratio %.2f", bound, val / bound);
	if (cpp > 0)
		printf("  %.0f cycles/pkt", cpp);
	printf("\n");
	if (json == NULL)
		return;
	fprintf(json, "%s\n  {\"bench\": \"%s\", \"suite\": \"%s\", \"payload\": %u, "
		"\"direction\": \"%s\", \"flows\": %u, \"%s\": %.4f",
		json_rows ? "," : "", bench, json_suite, json_payload, dir, flows,
		key, val);
	if (bound > 0)
		fprintf(json, ", \"bound_mpps\": %.4f, \"ratio\": %.4f", bound,
			val / bound);
	if (cpp > 0)
		fprintf(json, ", \"cycles_per_pkt\": %.1f", cpp);
	fprintf(json, "}");
	fflush(json);
	json_rows++;
}

/* Bytes allocated: [0] C heap, [1] DPDK heaps, [2] objects in use in the
 * engine's device-session pool. */
static void
mem_used(double b[3])
{
	struct mallinfo2 mi = mallinfo2();
	struct rte_malloc_socket_stats ms;
	struct rte_mempool *mp = rte_mempool_lookup("imsagw_sec_sess");
	unsigned int s;

	b[0] = (double)mi.uordblks + (double)mi.hblkhd;
	b[1] = 0;
	b[2] = 0;
	for (s = 0; s < RTE_MAX_NUMA_NODES; s++)
		if (rte_malloc_get_socket_stats((int)s, &ms) == 0)
			b[1] += (double)ms.heap_allocsz_bytes;
	if (mp != NULL)
		b[2] = (double)rte_mempool_in_use_count(mp) *
		       (double)(mp->header_size + mp->elt_size + mp->trailer_size);
}

static void
flow_key(const struct bench_flows *fl, uint32_t i, struct dp_flow_key *k)
{
	uint32_t a = rte_cpu_to_be_32(fl->addr_base + i / BENCH_PORTS);

	memset(k, 0, sizeof(*k));
	k->port_id = fl->in_port;
	k->family = 4;
	k->local_port = rte_cpu_to_be_16((uint16_t)(20000 + 2 * (i % BENCH_PORTS)));
	memcpy(k->local_addr, &a, 4);
}

static void
release(struct dp_flow *f, bool last)
{
	(void)last;
	sec_session_destroy(f->sec);
}

/* N flows of one direction: table, records, sessions, egress. Returns 0. */
static int
flows_create(struct bench_flows *fl, const char *name, uint32_t n,
	     enum sec_suite_id suite, enum bench_dir dir)
{
	struct dp_port_info out;
	struct cfg_ip local, remote;
	struct sec_session_params p;
	double m0[3], m1[3], t0;
	uint32_t i;
	int err, rc;

	memset(&out, 0, sizeof(out));
	out.port_id = dir == BENCH_ACCESS_IN ? 1 : 0;
	out.mac = gw_mac;
	out.exc_port_id = UINT16_MAX;
	memset(&local, 0, sizeof(local));
	memset(&remote, 0, sizeof(remote));
	local.family = remote.family = AF_INET;
	local.a.v4.s_addr = rte_cpu_to_be_32(dir == BENCH_ACCESS_IN ? 0xc6336401 : 0xc0000201);
	remote.a.v4.s_addr = rte_cpu_to_be_32(dir == BENCH_ACCESS_IN ? 0xc6336402 : 0xc0000202);

	fl->n = n;
	fl->in_port = dir == BENCH_ACCESS_IN ? 0 : 1;
	fl->addr_base = dir == BENCH_ACCESS_IN ? 0x0a000000 : 0x0b000000;
	fl->f = calloc(n, sizeof(*fl->f));
	if (fl->f == NULL)
		return -ENOMEM;
	mem_used(m0);
	t0 = now();
	fl->t = dp_flow_table_create(name, n, (int)rte_socket_id(), qsbr);
	if (fl->t == NULL) {
		fprintf(stderr, "flow table of %u: %s\n", n, rte_strerror(rte_errno));
		return -ENOMEM;
	}
	memset(&p, 0, sizeof(p));
	p.dir = dir == BENCH_ACCESS_IN ? SEC_DIR_UNPROTECT : SEC_DIR_PROTECT;
	p.proto = SEC_PROTO_SRTP;
	p.suite = suite;
	p.master_key = mkey;
	p.master_salt = msalt;
	p.max_streams = 1;
	p.engine = SEC_ENGINE_CRYPTODEV;
	for (i = 0; i < n; i++) {
		struct dp_flow *f = dp_flow_alloc(NULL);

		if (f == NULL)
			return -ENOMEM;
		flow_key(fl, i, &f->key);
		f->id = i;
		f->xform = dir == BENCH_ACCESS_IN ? DP_XFORM_SRTP_UNPROTECT :
						    DP_XFORM_SRTP_PROTECT;
		f->owner_lcore = (uint16_t)rte_lcore_id();
		f->release = release;
		f->sec = sec_session_create(&p, &err);
		if (f->sec == NULL) {
			fprintf(stderr, "session %u: %s\n", i, strerror(-err));
			dp_flow_free_unpublished(f);
			return err;
		}
		rc = dp_flow_set_egress(f, &out, &local, (uint16_t)(30000 + 2 * (i % 4096)),
					&remote, 40000, &peer_mac);
		if (rc == 0)
			rc = dp_flow_publish(fl->t, f);
		if (rc != 0) {
			fprintf(stderr, "flow %u: %s\n", i, strerror(-rc));
			return rc;
		}
		fl->f[i] = f;
	}
	fl->create_us = (now() - t0) * 1e6 / n;
	mem_used(m1);
	for (i = 0; i < 3; i++)
		fl->mem[i] = (m1[i] - m0[i]) / n;
	fl->bytes_per_flow = fl->mem[0] + fl->mem[1] + fl->mem[2];
	return 0;
}

/* ---- the stream every flow carries ---- */

struct bench_stream {
	uint8_t *buf;       /* nv x slot */
	uint32_t slot;
	uint32_t len;       /* SRTP (or RTP) length, the same for all */
	uint32_t nv;
};

/* RTP packets with seq = v & 0xffff; protected with one session when
 * srtp (so indices run through real ROC rollovers). */
static int
stream_build(struct bench_stream *s, enum sec_suite_id suite, uint32_t nv,
	     unsigned int payload, bool srtp)
{
	struct sec_session_params p;
	struct sec_session *ps = NULL;
	uint32_t v, k;
	int err;

	s->slot = RTE_ALIGN_CEIL(12 + payload + SEC_MAX_TRAILER, 64);
	s->nv = nv;
	s->buf = malloc((size_t)nv * s->slot);
	if (s->buf == NULL)
		return -ENOMEM;
	if (srtp) {
		memset(&p, 0, sizeof(p));
		p.dir = SEC_DIR_PROTECT;
		p.proto = SEC_PROTO_SRTP;
		p.suite = suite;
		p.master_key = mkey;
		p.master_salt = msalt;
		p.engine = SEC_ENGINE_CRYPTODEV;
		ps = sec_session_create(&p, &err);
		if (ps == NULL)
			return err;
	}
	for (v = 0; v < nv; v++) {
		uint8_t *d = s->buf + (size_t)v * s->slot;
		uint32_t ts = v * 160;
		struct sec_pkt pk = { .data = d, .len = 12 + payload, .room = s->slot };
		uint8_t st;

		d[0] = 0x80;
		d[1] = 0x00; /* PT 0 */
		d[2] = (uint8_t)(v >> 8);
		d[3] = (uint8_t)v;
		d[4] = (uint8_t)(ts >> 24);
		d[5] = (uint8_t)(ts >> 16);
		d[6] = (uint8_t)(ts >> 8);
		d[7] = (uint8_t)ts;
		d[8] = 0x5e;
		d[9] = 0xed;
		d[10] = 0x00;
		d[11] = 0x01;
		for (k = 0; k < payload; k++)
			d[12 + k] = (uint8_t)(v + k);
		if (ps != NULL && sec_protect_burst(ps, &pk, 1, &st) != 1) {
			fprintf(stderr, "stream protect %u: %s\n", v, sec_status_str(st));
			sec_session_destroy(ps);
			return -EIO;
		}
		s->len = pk.len;
	}
	sec_session_destroy(ps);
	return 0;
}

/* Write one frame for flow i carrying stream packet v into m. */
static void
frame_fill(struct rte_mbuf *m, const struct bench_flows *fl, uint32_t i,
	   const struct bench_stream *s, uint32_t v, bool forge, bool unknown)
{
	struct dp_flow_key k;
	struct rte_ether_hdr *eh;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	uint8_t *d;
	uint32_t len = s->len;

	rte_pktmbuf_reset(m);
	d = rte_pktmbuf_mtod(m, uint8_t *);
	flow_key(fl, i, &k);
	eh = (struct rte_ether_hdr *)d;
	eh->dst_addr = gw_mac;
	eh->src_addr = peer_mac;
	eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(eh + 1);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + 8 + len));
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(0xc0000202);
	memcpy(&ip->dst_addr, k.local_addr, 4);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp = (struct rte_udp_hdr *)(ip + 1);
	udp->src_port = rte_cpu_to_be_16(40000);
	/* unknown: an odd port inside the media range, where no flow lives */
	udp->dst_port = unknown ? rte_cpu_to_be_16(20001) : k.local_port;
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(8 + len));
	udp->dgram_cksum = 0;
	memcpy(udp + 1, s->buf + (size_t)(v % s->nv) * s->slot, len);
	if (forge)
		((uint8_t *)(udp + 1))[len - 1] ^= 0x5a;
	m->data_len = (uint16_t)(sizeof(*eh) + 20 + 8 + len);
	m->pkt_len = m->data_len;
	m->port = fl->in_port;
}

/* dataplane/dp_rewrite.h's dp_rewrite_apply() for IPv4, no offloads (the
 * memif and software ports offer none): same template copy, lengths and
 * software checksums. */
static inline int
rewrite(struct rte_mbuf *m, uint16_t off, uint16_t len, const struct dp_flow_egress *eg)
{
	uint32_t hdr_len = eg->hdr_len, l2_len = eg->l2_len;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	uint8_t *base;

	if (unlikely((uint32_t)off + len > m->data_len || hdr_len == 0 ||
		     hdr_len > (uint32_t)off + rte_pktmbuf_headroom(m)))
		return -EINVAL;
	m->data_off = (uint16_t)(m->data_off + off - hdr_len);
	m->data_len = (uint16_t)(hdr_len + len);
	m->pkt_len = m->data_len;
	base = rte_pktmbuf_mtod(m, uint8_t *);
	rte_memcpy(base, eg->hdr, hdr_len);
	ip = (struct rte_ipv4_hdr *)(base + l2_len);
	udp = (struct rte_udp_hdr *)(ip + 1);
	m->l2_len = l2_len;
	m->l3_len = sizeof(*ip);
	m->l4_len = sizeof(*udp);
	ip->total_length = rte_cpu_to_be_16((uint16_t)(hdr_len - l2_len + len));
	ip->packet_id = rte_cpu_to_be_16(ip_id++);
	ip->hdr_checksum = 0;
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(sizeof(*udp) + len));
	udp->dgram_cksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip, udp);
	m->ol_flags = RTE_MBUF_F_TX_IPV4;
	return 0;
}

struct bench_count {
	uint64_t ok, no_flow, bad, auth, replay, other;
	unsigned int last_other; /* enum sec_status of the last other failure */
};

/* The worker's process_burst() for n packets of one port. */
static void
process_burst(const struct dp_flow_table *t, struct rte_mbuf **pkts, uint16_t n,
	      struct bench_count *c)
{
	struct dp_pkt_view views[BENCH_BURST];
	struct dp_flow_key keys[BENCH_BURST];
	const struct dp_flow_key *kp[BENCH_BURST];
	struct dp_flow *flows[BENCH_BURST];
	struct rte_mbuf *media[BENCH_BURST];
	struct sec_pkt sp[BENCH_BURST];
	uint8_t st[BENCH_BURST], *orig[BENCH_BURST];
	unsigned int nm = 0, i, j;
	uint64_t hits, tsc;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct dp_pkt_view *v = &views[nm];
		const struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);

		if (dp_pkt_parse(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, v) !=
			    DP_PKT_UDP ||
		    !rte_is_same_ether_addr(&eh->dst_addr, &gw_mac)) {
			c->bad++;
			continue;
		}
		memset(&keys[nm], 0, sizeof(keys[nm]));
		keys[nm].port_id = m->port;
		keys[nm].family = v->family;
		keys[nm].local_port = v->dport;
		memcpy(keys[nm].local_addr, v->dst, 4);
		kp[nm] = &keys[nm];
		media[nm] = m;
		nm++;
	}
	if (nm == 0)
		return;
	hits = dp_flow_lookup_bulk(t, kp, nm, flows);
	tsc = rte_rdtsc();
	for (i = 0; i < nm; i = j) {
		struct dp_flow *f = flows[i];
		unsigned int k, g, good;

		if ((hits & (1ull << i)) == 0 || f == NULL) {
			c->no_flow++;
			j = i + 1;
			continue;
		}
		/* a run of packets of the same flow: one crypto burst */
		for (j = i; j < nm && flows[j] == f && (hits & (1ull << j)); j++) {
			struct rte_mbuf *m = media[j];

			orig[j - i] = rte_pktmbuf_mtod_offset(m, uint8_t *, views[j].payload_off);
			sp[j - i].data = orig[j - i];
			sp[j - i].len = views[j].payload_len;
			sp[j - i].room = (uint32_t)(m->buf_len - m->data_off -
						    views[j].payload_off);
		}
		if (f->xform == DP_XFORM_SRTP_UNPROTECT)
			good = sec_unprotect_burst(f->sec, sp, (uint16_t)(j - i), st);
		else
			good = sec_protect_burst(f->sec, sp, (uint16_t)(j - i), st);
		/* good ones come first, order kept: walk both lists */
		for (k = i, g = 0; k < j; k++) {
			struct rte_mbuf *m = media[k];

			if (g < good && sp[g].data == orig[k - i]) {
				/* the transform changed the payload length */
				m->data_len = (uint16_t)(views[k].payload_off + sp[g].len);
				m->pkt_len = m->data_len;
				if (rewrite(m, views[k].payload_off, (uint16_t)sp[g].len,
					    &f->eg) == 0) {
					f->st->pkts++;
					f->st->bytes += sp[g].len;
					f->st->last_rx_tsc = tsc;
					c->ok++;
				} else {
					c->other++;
				}
				g++;
				continue;
			}
			c->other++;
		}
		for (k = good; k < j - i; k++) {
			c->other--;
			if (st[k] == SEC_ST_AUTH_FAIL) {
				f->st->drops[DP_FLOW_DROP_AUTH]++;
				c->auth++;
			} else if (st[k] == SEC_ST_REPLAY || st[k] == SEC_ST_TOO_OLD) {
				f->st->drops[DP_FLOW_DROP_REPLAY]++;
				c->replay++;
			} else {
				f->st->drops[DP_FLOW_DROP_XFORM]++;
				c->other++;
				c->last_other = st[k];
			}
		}
	}
}

enum bench_traffic {
	BENCH_T_GOOD = 0,
	BENCH_T_FORGED,   /* last tag byte flipped */
	BENCH_T_REPLAY,   /* packets already accepted */
	BENCH_T_UNKNOWN,  /* UDP port without a flow */
};

/*
 * Run total packets through the pipeline (after a warm-up pass of one
 * packet per flow when warm). Packet g: flow g % n, stream packet
 * *next_v + g / n. Returns Mpps over the timed part; *cpp cycles/packet.
 */
static double
run_pipeline(const struct bench_flows *fl, const struct bench_stream *s, uint64_t total,
	     uint64_t *base_g, enum bench_traffic tr, double *cpp, struct bench_count *c)
{
	struct rte_mbuf *mb[BENCH_POOL];
	uint64_t g = *base_g, done = 0, cyc = 0;

	if (rte_pktmbuf_alloc_bulk(pool, mb, BENCH_POOL) != 0)
		return -1;
	memset(c, 0, sizeof(*c));
	while (done < total) {
		uint32_t np = (uint32_t)RTE_MIN((uint64_t)BENCH_POOL, total - done);
		/* replays: packets the flows accepted in the last pool */
		uint64_t t0, gg = tr == BENCH_T_REPLAY ? *base_g - BENCH_POOL - 1 : g;
		uint32_t i;

		for (i = 0; i < np; i++) {
			uint64_t x = gg + i;

			frame_fill(mb[i], fl, (uint32_t)(x % fl->n), s, (uint32_t)(x / fl->n),
				   tr == BENCH_T_FORGED, tr == BENCH_T_UNKNOWN);
		}
		t0 = rte_rdtsc_precise();
		for (i = 0; i < np; i += BENCH_BURST)
			process_burst(fl->t, mb + i, (uint16_t)RTE_MIN((uint32_t)BENCH_BURST, np - i), c);
		cyc += rte_rdtsc_precise() - t0;
		done += np;
		if (tr == BENCH_T_GOOD)
			g += np;
	}
	*base_g = g;
	rte_pktmbuf_free_bulk(mb, BENCH_POOL);
	*cpp = (double)cyc / (double)done;
	return (double)done / ((double)cyc / (double)rte_get_tsc_hz()) / 1e6;
}

/* ---- raw cryptodev bound: bench/common/bench_bound.c ---- */

static struct bench_bound bnd;

static void
usage(const char *prog)
{
	fprintf(stderr, "usage: %s [--suite NAME] [--flows N] [--payload N] [--packets N]\n"
			"       [--dir access-in|core-in|both] [--json FILE] [--quick] [-- EAL args]\n",
		prog);
}

int
main(int argc, char **argv)
{
	static char *def_eal[] = {
		"imsagw-pipeline-bench", "--no-huge", "-m", "1024", "--no-pci", "--no-shconf",
		"--file-prefix=imsagw-bpipe", "--vdev", "crypto_aesni_mb",
		"--log-level=*:error", "-l", "0",
	};
	const char *suite_name = "AES_CM_128_HMAC_SHA1_80", *json_path = NULL;
	uint32_t nflows = 1000, spk;
	unsigned int payload = 160, i;
	uint64_t total = 2000000;
	char **eal = def_eal;
	int neal = (int)RTE_DIM(def_eal);
	const struct sec_suite *su;
	struct sec_config scfg;
	struct bench_flows fa, fc;
	struct bench_stream srtp, rtp;
	struct bench_count c;
	char mem_arg[16];
	double secs = 1.0;
	bool dirs[2] = { true, true };
	size_t qsz;

	for (i = 1; i < (unsigned int)argc; i++) {
		if (strcmp(argv[i], "--suite") == 0 && i + 1 < (unsigned int)argc) {
			suite_name = argv[++i];
		} else if (strcmp(argv[i], "--flows") == 0 && i + 1 < (unsigned int)argc) {
			nflows = (uint32_t)strtoul(argv[++i], NULL, 0);
		} else if (strcmp(argv[i], "--payload") == 0 && i + 1 < (unsigned int)argc) {
			payload = (unsigned int)strtoul(argv[++i], NULL, 0);
		} else if (strcmp(argv[i], "--packets") == 0 && i + 1 < (unsigned int)argc) {
			total = strtoull(argv[++i], NULL, 0);
		} else if (strcmp(argv[i], "--json") == 0 && i + 1 < (unsigned int)argc) {
			json_path = argv[++i];
		} else if (strcmp(argv[i], "--dir") == 0 && i + 1 < (unsigned int)argc) {
			i++;
			dirs[0] = strcmp(argv[i], "core-in") != 0;
			dirs[1] = strcmp(argv[i], "access-in") != 0;
		} else if (strcmp(argv[i], "--quick") == 0) {
			total = 500000;
			secs = 0.2;
		} else if (strcmp(argv[i], "--") == 0) {
			argv[i] = argv[0];
			eal = &argv[i];
			neal = argc - (int)i;
			break;
		} else {
			usage(argv[0]);
			return 2;
		}
	}
	su = sec_suite_by_name(suite_name, strlen(suite_name));
	if (su == NULL || nflows == 0 || nflows > BENCH_ADDRS * BENCH_PORTS ||
	    payload < 16 || 12 + payload + SEC_MAX_TRAILER + 64 > BENCH_ROOM) {
		usage(argv[0]);
		return 2;
	}
	/* EAL memory: per flow and direction the device sessions (the
	 * engine's pool is preallocated: up to 3 sessions per key of ~1.7 KB
	 * with aesni_mb), the hash slot, record and state (~0.8 KB). */
	if (eal == def_eal) {
		uint64_t per = ((su->aead ? 3 : 2) * 1700 + 800) * 3 / 2; /* + margin */

		snprintf(mem_arg, sizeof(mem_arg), "%u",
			 (unsigned int)(512 + (uint64_t)nflows * (dirs[0] + dirs[1]) * per /
						      (1024 * 1024)));
		def_eal[3] = mem_arg;
	}
	if (rte_eal_init(neal, eal) < 0) {
		fprintf(stderr, "rte_eal_init failed\n");
		return 1;
	}
	/* device sessions per master key: GCM needs 3 (AAD sizes), AES-CM
	 * 1 or 2; the engine's pool holds 4 per max_sessions */
	spk = su->aead ? 3 : 2;
	memset(&scfg, 0, sizeof(scfg));
	scfg.max_sessions = (uint32_t)(((uint64_t)(dirs[0] + dirs[1]) * nflows + 4) * spk / 4 + 64);
	scfg.disable_libsrtp = true;
	if (sec_init(&scfg) != 0 || !sec_engine_available(SEC_ENGINE_CRYPTODEV)) {
		fprintf(stderr, "cryptodev engine unavailable\n");
		return 1;
	}
	if (bench_bound_init(&bnd, "crypto_aesni_mb") != 0) {
		fprintf(stderr, "crypto_aesni_mb: no raw bound\n");
		return 1;
	}
	pool = rte_pktmbuf_pool_create("bench_mbufs", BENCH_POOL * 2 - 1, 256, 0,
				       RTE_PKTMBUF_HEADROOM + BENCH_ROOM, (int)rte_socket_id());
	qsz = rte_rcu_qsbr_get_memsize(1);
	qsbr = rte_zmalloc("bench_qsbr", qsz, RTE_CACHE_LINE_SIZE);
	if (pool == NULL || qsbr == NULL || rte_rcu_qsbr_init(qsbr, 1) != 0) {
		fprintf(stderr, "pools: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (json_path != NULL) {
		json = fopen(json_path, "w");
		if (json == NULL) {
			perror(json_path);
			return 1;
		}
		fprintf(json, "[");
	}
	json_suite = su->name;
	json_payload = payload;

	/* one SRTP stream long enough for the busiest flow (warm-up and
	 * timed run; few flows get fewer packets); RTP repeats every 2^16 */
	{
		uint64_t per = (total + BENCH_POOL + RTE_MAX(nflows, (uint32_t)BENCH_POOL)) /
			       nflows + 3;

		if (per > BENCH_STREAM_MAX) {
			per = BENCH_STREAM_MAX;
			total = (uint64_t)nflows * (per - 3) - 2 * BENCH_POOL;
		}
		if (stream_build(&srtp, su->id, (uint32_t)per, payload, true) != 0 ||
		    stream_build(&rtp, su->id, 65536, payload, false) != 0) {
			fprintf(stderr, "stream build failed\n");
			return 1;
		}
	}
	printf("one core (lcore %u, TSC %.2f GHz), burst %d, %u-byte payloads, %s, %u flows\n",
	       rte_lcore_id(), (double)rte_get_tsc_hz() / 1e9, BENCH_BURST, payload, su->name,
	       nflows);
	memset(&fa, 0, sizeof(fa));
	memset(&fc, 0, sizeof(fc));
	if ((dirs[0] && flows_create(&fa, "bench_access", nflows, su->id, BENCH_ACCESS_IN) != 0) ||
	    (dirs[1] && flows_create(&fc, "bench_core", nflows, su->id, BENCH_CORE_IN) != 0))
		return 1;
	for (i = 0; i < 2; i++) {
		const struct bench_flows *fl = i == 0 ? &fa : &fc;

		if (!dirs[i])
			continue;
		printf("flow setup %s: %.1f us/flow; bytes/flow: C heap %.0f, DPDK heap "
		       "(table, record, state) %.0f, device sessions %.0f\n",
		       i == 0 ? "access-in" : "core-in", fl->create_us, fl->mem[0], fl->mem[1],
		       fl->mem[2]);
		emit("memory", i == 0 ? "access-in" : "core-in", nflows, "bytes_per_flow",
		     fl->bytes_per_flow, 0, 0);
	}

	for (i = 0; i < 2; i++) {
		bool ain = i == 0;
		const struct bench_flows *fl = ain ? &fa : &fc;
		const struct bench_stream *s = ain ? &srtp : &rtp;
		const char *dn = ain ? "access-in" : "core-in";
		uint64_t g = 0;
		double mpps, cpp, bound;

		if (!dirs[i])
			continue;

		/* warm-up: every flow's first packet (new stream) untimed */
		if (run_pipeline(fl, s, RTE_MAX(fl->n, (uint32_t)BENCH_POOL), &g, BENCH_T_GOOD,
				 &cpp, &c) < 0)
			return 1;
		mpps = run_pipeline(fl, s, total, &g, BENCH_T_GOOD, &cpp, &c);
		if (c.ok != total)
			fprintf(stderr, "%s: %llu of %llu packets passed (auth %llu replay %llu "
					"other %llu (%s) no_flow %llu)\n", dn,
				(unsigned long long)c.ok, (unsigned long long)total,
				(unsigned long long)c.auth, (unsigned long long)c.replay,
				(unsigned long long)c.other, sec_status_str(c.last_other),
				(unsigned long long)c.no_flow);
		bound = bench_bound_mpps(&bnd, su, !ain, payload, secs);
		emit("pipeline", dn, nflows, "mpps", mpps, bound, cpp);
		if (!ain)
			continue;
		mpps = run_pipeline(fl, s, total / 2, &g, BENCH_T_FORGED, &cpp, &c);
		if (c.auth != total / 2)
			fprintf(stderr, "forged: %llu of %llu rejected as auth failures\n",
				(unsigned long long)c.auth, (unsigned long long)total / 2);
		emit("rejection", "forged", nflows, "mpps", mpps, 0, cpp);
		mpps = run_pipeline(fl, s, total / 2, &g, BENCH_T_REPLAY, &cpp, &c);
		if (c.replay != total / 2)
			fprintf(stderr, "replayed: %llu of %llu rejected as replays\n",
				(unsigned long long)c.replay, (unsigned long long)total / 2);
		emit("rejection", "replayed", nflows, "mpps", mpps, 0, cpp);
		mpps = run_pipeline(fl, s, total / 2, &g, BENCH_T_UNKNOWN, &cpp, &c);
		if (c.no_flow != total / 2)
			fprintf(stderr, "unknown: %llu of %llu missed the table\n",
				(unsigned long long)c.no_flow, (unsigned long long)total / 2);
		emit("rejection", "unknown-flow", nflows, "mpps", mpps, 0, cpp);
	}
	if (json != NULL) {
		fprintf(json, "\n]\n");
		fclose(json);
	}
	if (fa.t != NULL)
		dp_flow_table_free(fa.t);
	if (fc.t != NULL)
		dp_flow_table_free(fc.t);
	free(fa.f);
	free(fc.f);
	free(srtp.buf);
	free(rtp.buf);
	sec_fini();
	rte_eal_cleanup();
	return 0;
}
