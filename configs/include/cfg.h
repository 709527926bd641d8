/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cfg: the imsagw configuration, parsed from a libconfig file.
 *
 * This header is the config module's whole public API. The file is read by
 * main() (control thread) into one struct cfg snapshot; each module is handed
 * the section it owns (struct cfg_port to dataplane/, struct cfg_iq to iq/,
 * ...). A snapshot is immutable once cfg_load() returns: a SIGHUP reload
 * builds a new one and either swaps the reloadable part in or keeps the old
 * snapshot (nginx style: a bad new file never disturbs the running one).
 *
 * Every key has one row in a declarative schema table (configs/cfg_schema_*.c)
 * with its type, bounds, default and whether it is reloadable; docs/
 * configuration.md lists the same rows. Unknown keys are errors. Every error
 * names the file and line and says what is wrong.
 *
 * Thread: all functions are control-thread only, unless noted.
 */
#ifndef IMSAGW_CFG_H
#define IMSAGW_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

#define CFG_NAME_MAX 32
#define CFG_DEVICE_MAX 256
#define CFG_PATH_MAX 256
#define CFG_MAX_PORTS 2          /* access and core */
#define CFG_MAX_ADDRS 16         /* per family, per port */
#define CFG_MAX_ROUTES 16        /* per port */
#define CFG_MAX_NEIGHBOURS 16    /* static neighbours, per port */
#define CFG_MAX_LCORES 128
#define CFG_MAX_MGCS 8
#define CFG_MAX_EAL_ARGS 64
#define CFG_ERR_MAX 512

/* An IPv4 or IPv6 address. family is AF_INET or AF_INET6; for AF_INET the
 * address is in a.v4 (network order), for AF_INET6 in a.v6. */
struct cfg_ip {
	int family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} a;
};

/* An address with a prefix length: "192.0.2.1/24", "2001:db8::1/64". */
struct cfg_prefix {
	struct cfg_ip ip;
	uint8_t len;
};

/* "PREFIX via NEXTHOP", e.g. "0.0.0.0/0 via 10.10.0.254". */
struct cfg_route {
	struct cfg_prefix dst;
	struct cfg_ip via;
};

/* A static next-hop link address: { ip = "..."; mac = "02:00:00:00:00:01"; } */
struct cfg_neighbour {
	struct cfg_ip ip;
	uint8_t mac[6];
};

enum cfg_port_role {
	CFG_PORT_ACCESS = 0, /* toward UEs: SRTP, TLS */
	CFG_PORT_CORE = 1,   /* toward the IMS core: RTP, TCP */
};

enum cfg_vlan_mode {
	CFG_VLAN_NONE = 0,  /* untagged on the wire */
	CFG_VLAN_STRIP,     /* tagged (vlan_id) on the wire; the tag is removed on RX
			     * and pushed on TX for this port */
	CFG_VLAN_PASS,      /* tags of arriving packets are accepted whatever
			     * their id and left as they are on the exception
			     * path; media egress is untagged */
};

enum cfg_exc_kind {
	CFG_EXC_TAP = 0,    /* net_tap exception interface */
	CFG_EXC_VIRTIO_USER,/* virtio_user over /dev/vhost-net */
	CFG_EXC_NONE,       /* no exception path (benchmarks on memif) */
};

/* One ethdev: the access or the core port. Section `ports.access` / `ports.core`. */
struct cfg_port {
	enum cfg_port_role role;
	char device[CFG_DEVICE_MAX];   /* PCI address "0000:03:00.0" or vdev
					* devargs "net_tap0,iface=imsagw-ue" */
	struct cfg_prefix addr4[CFG_MAX_ADDRS];
	unsigned int n_addr4;
	struct cfg_prefix addr6[CFG_MAX_ADDRS];
	unsigned int n_addr6;
	uint16_t udp_min, udp_max;     /* UDP ports handed to terminations
					* (RTP even, RTCP = RTP + 1) */
	uint16_t tcp_min, tcp_max;     /* TCP ports for MSRP terminations */
	enum cfg_vlan_mode vlan_mode;
	uint16_t vlan_id;              /* 1..4094 when vlan_mode == STRIP */
	uint16_t mtu;                  /* 576..9000, default 1500 */
	uint16_t rx_desc, tx_desc;     /* descriptors per queue */
	uint8_t mac[6];                /* override; all zero = the device's own */
	struct cfg_route routes[CFG_MAX_ROUTES];
	unsigned int n_routes;
	struct cfg_neighbour neighbours[CFG_MAX_NEIGHBOURS];
	unsigned int n_neighbours;
	enum cfg_exc_kind exc_kind;
	char exc_iface[CFG_NAME_MAX];  /* kernel name of the exception interface */
	/* Exception path policers, in packets/s and packets for the whole
	 * port (split evenly across the media workers); rate 0 = none. */
	uint32_t exc_rate, exc_burst;         /* everything but MSRP TCP */
	uint32_t exc_tcp_rate, exc_tcp_burst; /* TCP to [tcp_min, tcp_max] */
	/* Latching on plain RTP: a source is learned only within the
	 * signalled remote address's prefix of this length (32/128: that
	 * address exactly; shorter where UEs sit behind NAT pools). */
	uint8_t latch_prefix4;          /* 0..32 */
	uint8_t latch_prefix6;          /* 0..128 */
};

/* Section `dataplane`. */
struct cfg_dataplane {
	char netns[CFG_NAME_MAX];      /* namespace of the exception interfaces
					* (created if missing) */
	uint32_t mbufs;                /* mbufs in the packet pool */
	uint16_t burst;                /* RX burst size, 1..64 */
	bool rx_checksum_offload;      /* use HW offloads where the port has them */
	bool tx_checksum_offload;
};

/* Section `lcores`: the lcore roles. control is the main lcore. A worker list
 * may be empty only for msrp. */
struct cfg_lcores {
	unsigned int control;
	unsigned int media[CFG_MAX_LCORES];
	unsigned int n_media;
	unsigned int msrp[CFG_MAX_LCORES];
	unsigned int n_msrp;
};

enum cfg_iq_transport {
	CFG_IQ_UDP = 0,
	CFG_IQ_TCP,       /* TPKT framing */
};

enum cfg_iq_encoding {
	CFG_IQ_PRETTY = 0, /* long tokens, newlines and indentation */
	CFG_IQ_COMPACT,    /* short tokens, no layout whitespace */
};

struct cfg_endpoint {
	struct cfg_ip ip;
	uint16_t port;
};

/* Section `iq`. */
struct cfg_iq {
	struct cfg_endpoint listen;          /* default 127.0.0.1:2945 */
	enum cfg_iq_transport transport;
	struct cfg_endpoint mgc[CFG_MAX_MGCS];/* in failover order; default
					      * 127.0.0.1:2944 */
	unsigned int n_mgc;
	char mid[CFG_NAME_MAX * 2];          /* our MID, e.g. "[127.0.0.1]:2945" */
	enum cfg_iq_encoding encoding;
	unsigned int version;                /* H.248 version, 1..3, default 3 */
	char profile[CFG_NAME_MAX];          /* ServiceChange profile, "threegiq/1" */
	uint32_t long_timer_ms;              /* reply cache lifetime, default 30000 */
	uint32_t retransmit_initial_ms;      /* first retransmission, default 500 */
	uint32_t retransmit_max_ms;          /* backoff ceiling, default 4000 */
	uint32_t max_retransmits;            /* before failover, default 5 */
	uint32_t pending_ms;                 /* TransactionPending interval, 100 */
	uint32_t inactivity_ms;              /* ito default, 0 = off */
};

/* Section `limits`. */
struct cfg_limits {
	uint32_t max_contexts;
	uint32_t max_flows;
};

/* Section `crypto`. */
struct cfg_crypto {
	char engine[CFG_NAME_MAX];           /* "ipsecmb" (default; cryptodev
					      * without AES-NI), "cryptodev"
					      * or "libsrtp" */
	char gcm_keys[CFG_NAME_MAX];         /* ipsecmb GCM key layout: "fast"
					      * (default) or "compact" */
	char cryptodev[CFG_DEVICE_MAX];      /* vdev or PCI, "crypto_aesni_mb" */
	uint32_t max_keys;                   /* cryptodev engine capacity, 4096 */
	uint32_t replay_window;              /* 64..32768, default 128 */
	uint32_t rekey_grace_ms;             /* old inbound key kept after a
					      * rekey; 0 = until the next */
	bool suite_aes_cm_128_sha1_80;       /* each suite can be disabled */
	bool suite_aes_cm_128_sha1_32;
	bool suite_aes_256_cm_sha1_80;
	bool suite_aes_256_cm_sha1_32;
	bool suite_aead_aes_128_gcm;
	bool suite_aead_aes_256_gcm;
};

/* Section `msrp`: the MSRP relay and the gateway's TLS certificate
 * (dataplane/include/dp_msrp.h, crypto/include/sec_tls.h). */
struct cfg_msrp {
	char certificate[CFG_PATH_MAX];      /* PEM; empty = no TLS legs */
	char private_key[CFG_PATH_MAX];      /* PEM, with certificate */
	bool tls12;                          /* default true */
	bool tls13;                          /* default true */
	bool ktls;                           /* kernel TLS where it can */
	uint32_t max_legs;                   /* connections at once, 20000 */
	uint32_t buffer_bytes;               /* per direction per relay, 64 KiB */
	uint32_t connect_timeout_ms;         /* 180000 */
	uint32_t handshake_timeout_ms;       /* 10000 */
	uint32_t idle_timeout_ms;            /* 3600000, 0 = never */
	bool frame_check;                    /* RFC 4975 framing check, false */
	uint32_t max_header_bytes;           /* framing check limits */
	uint32_t max_chunk_bytes;
};

enum cfg_log_level {
	CFG_LOG_ERR = 4,  /* values equal DPDK's RTE_LOG_* */
	CFG_LOG_WARNING = 5,
	CFG_LOG_NOTICE = 6,
	CFG_LOG_INFO = 7,
	CFG_LOG_DEBUG = 8,
};

/* Section `log`. */
struct cfg_log {
	enum cfg_log_level level;
	char file[CFG_PATH_MAX];             /* empty = stderr */
};

/* Section `telemetry`. */
struct cfg_telemetry {
	bool enabled;                        /* DPDK telemetry socket */
	bool pdump;                          /* rte_pdump for dpdk-dumpcap */
};

/* Section `process`. */
struct cfg_process {
	bool core_dumps;                     /* false: PR_SET_DUMPABLE 0 at start */
};

/* Section `eal`: EAL arguments carried in the file, so that
 * `imsagw --config FILE` runs as is. Command-line EAL arguments win. */
enum cfg_huge {
	CFG_HUGE_AUTO = 0,  /* hugepages when enough are free and hugetlbfs is
			     * mounted, else --no-huge */
	CFG_HUGE_YES,
	CFG_HUGE_NO,        /* always --no-huge */
};

struct cfg_eal {
	char *argv[CFG_MAX_EAL_ARGS];        /* `eal.args`, owned by the snapshot */
	unsigned int argc;
	enum cfg_huge huge;                  /* `eal.hugepages` */
	uint32_t memory_mb;                  /* `eal.memory_mb`: -m with --no-huge,
					      * and the amount "auto" asks for */
};

struct cfg {
	char path[CFG_PATH_MAX];
	struct cfg_eal eal;
	struct cfg_lcores lcores;
	struct cfg_dataplane dataplane;
	struct cfg_port ports[CFG_MAX_PORTS]; /* indexed by enum cfg_port_role */
	struct cfg_iq iq;
	struct cfg_limits limits;
	struct cfg_crypto crypto;
	struct cfg_msrp msrp;
	struct cfg_log log;
	struct cfg_telemetry telemetry;
	struct cfg_process process;
};

/*
 * Parse and validate a config file into a new snapshot.
 *
 * @param path   file to read.
 * @param out    receives a heap snapshot; free with cfg_free().
 * @param err    receives "FILE:LINE: what is wrong" on failure.
 * @param errlen size of err.
 * @return 0, or -EINVAL (bad content), -ENOENT/-EACCES (cannot read),
 *         -ENOMEM.
 */
int cfg_load(const char *path, struct cfg **out, char *err, size_t errlen);

/* Same as cfg_load() for a config held in memory; `name` stands for the file
 * name in errors. */
int cfg_load_string(const char *text, const char *name, struct cfg **out,
		    char *err, size_t errlen);

/* Free a snapshot. NULL is a no-op. */
void cfg_free(struct cfg *c);

/*
 * Reload: can `next` replace `cur` without a restart? Only keys the schema
 * marks reloadable (log level, Iq timers, MGC list, crypto suite switches,
 * replay window, rekey grace) may differ.
 *
 * @return 0 when it can; -EPERM with the first non-reloadable key that
 *         differs named in err.
 */
int cfg_reload_check(const struct cfg *cur, const struct cfg *next, char *err,
		     size_t errlen);

/*
 * Reload, build-new-then-swap: when cfg_reload_check(cur, next) passes, copy
 * every reloadable key's value from next into cur (which the running modules
 * point into); otherwise leave cur untouched. The caller then tells the
 * modules that cache a derived value (app/ reload).
 *
 * @return 0 (applied) or -EPERM with the key that needs a restart in err.
 */
int cfg_reload_apply(struct cfg *cur, const struct cfg *next, char *err, size_t errlen);

/* Write the schema as documentation rows (key, type, default, bounds,
 * reloadable, meaning) to fp; used to keep docs/configuration.md true. */
void cfg_schema_dump(FILE *fp);

/* Format an address ("192.0.2.1", "2001:db8::1"); returns buf. Any thread. */
const char *cfg_ip_str(const struct cfg_ip *ip, char *buf, size_t len);

/*
 * The project's one text -> IP address parser (the config, the admin
 * socket and Iq's SDP and mIds all use it): the whole NUL-terminated s is
 * an IPv4 or IPv6 address; family 0 takes either, AF_INET/AF_INET6 demand
 * that one. @return 0 with *ip filled, or -EINVAL with a reason in why
 * (why/len may be NULL/0). Any thread.
 */
int cfg_parse_ip(const char *s, int family, struct cfg_ip *ip, char *why, size_t len);

#endif /* IMSAGW_CFG_H */
