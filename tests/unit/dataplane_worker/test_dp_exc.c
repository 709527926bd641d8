/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit test of the exception path (dataplane/dp_exc.c, dp_netns.c,
 * dp_neigh.c) on net_tap. Needs root: it creates the namespaces
 * imsagw-t-ue (the "UE") and imsagw-t-dp (the data plane's), a net_tap
 * access port whose kernel side is moved into imsagw-t-ue, and the
 * exception tap in imsagw-t-dp. Then, with the worker on lcore 1, from the
 * UE namespace: ping 192.0.2.1 (raw ICMP socket), TCP connect to a listener
 * in imsagw-t-dp over IPv4 and IPv6, and neighbour resolution of the UE.
 * Everything it made is removed at the end. Traffic stays in those
 * namespaces.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include <rte_eal.h>
#include <rte_ether.h>

#include "dp.h"

#define UE_NS "imsagw-t-ue"
#define DP_NS "imsagw-t-dp"
#define UE_IF "imsagw-t-ue0"
#define EXC_IF "imsagw-t-exc0"
#define UE_MAC "02:00:00:00:0e:01"
#define TCP_PORT 7777

static struct dp *g_dp;

static int
sh(const char *cmd)
{
	int rc = system(cmd);

	return rc == 0 ? 0 : -1;
}

static void
cleanup_env(void)
{
	/* Only what this test creates, by name. */
	(void)system("ip netns del " UE_NS " 2>/dev/null");
	(void)system("ip netns del " DP_NS " 2>/dev/null");
	(void)system("ip link del " UE_IF " 2>/dev/null");
	(void)system("ip link del " EXC_IF " 2>/dev/null");
}

/* A socket inside namespace ns, made by a thread that enters it (the test
 * process itself never changes namespace). */
struct sock_job {
	const char *ns;
	int domain, type;
	int fd;
};

static void *
sock_thread(void *arg)
{
	struct sock_job *j = arg;
	char path[128];
	int nsfd;

	snprintf(path, sizeof(path), "/run/netns/%s", j->ns);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0 || setns(nsfd, CLONE_NEWNET) < 0) {
		if (nsfd >= 0)
			close(nsfd);
		return NULL;
	}
	close(nsfd);
	j->fd = socket(j->domain, j->type | SOCK_CLOEXEC, 0);
	if (j->type == SOCK_RAW)
		j->fd = socket(j->domain, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	return NULL;
}

static int
ns_socket(const char *ns, int domain, int type)
{
	struct sock_job j = {.ns = ns, .domain = domain, .type = type, .fd = -1};
	pthread_t t;

	if (type == SOCK_RAW)
		j.type = SOCK_RAW;
	if (pthread_create(&t, NULL, sock_thread, &j) != 0)
		return -1;
	pthread_join(t, NULL);
	return j.fd;
}

/* poll() one fd for up to ms milliseconds, across EINTR (EAL's threads and
 * system() children make signals arrive). @return 1 when ready, else 0. */
static int
wait_fd(int fd, short events, int ms)
{
	struct timespec now, end;
	struct pollfd pfd = {.fd = fd, .events = events};
	int rc, left;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += ms / 1000;
	end.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (int)((end.tv_sec - now.tv_sec) * 1000 +
			     (end.tv_nsec - now.tv_nsec) / 1000000L);
		if (left < 0)
			return 0;
		rc = poll(&pfd, 1, left);
		if (rc >= 0)
			return rc > 0 ? 1 : 0;
		if (errno != EINTR)
			return 0;
	}
}

static uint16_t
cksum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)((p[i] << 8) | p[i + 1]);
	if (n & 1)
		s += (uint32_t)(p[n - 1] << 8);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* ping -c 3 -W 1 192.0.2.1 from the UE namespace: true on the first
 * matching echo reply. */
static bool
ue_ping(void)
{
	struct sockaddr_in to = {.sin_family = AF_INET};
	uint8_t pkt[64], buf[256];
	int fd, seq, r;
	bool ok = false;

	fd = ns_socket(UE_NS, AF_INET, SOCK_RAW);
	if (fd < 0)
		return false;
	inet_pton(AF_INET, "192.0.2.1", &to.sin_addr);
	for (seq = 1; seq <= 3 && !ok; seq++) {
		uint16_t c;

		memset(pkt, 0, sizeof(pkt));
		pkt[0] = 8; /* echo request */
		pkt[4] = 0x12;
		pkt[5] = 0x34;
		pkt[7] = (uint8_t)seq;
		memcpy(pkt + 8, "imsagw-ping", 11);
		c = cksum(pkt, sizeof(pkt));
		pkt[2] = (uint8_t)(c >> 8);
		pkt[3] = (uint8_t)c;
		if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
			break;
		/* up to 1 s per echo, bounded reads */
		for (r = 0; r < 16 && !ok; r++) {
			ssize_t n;
			size_t ihl;

			if (!wait_fd(fd, POLLIN, 1000))
				break;
			n = recv(fd, buf, sizeof(buf), 0);
			if (n < 28)
				continue;
			ihl = (size_t)(buf[0] & 0xf) * 4;
			if ((size_t)n >= ihl + 8 && buf[ihl] == 0 && buf[ihl + 4] == 0x12 &&
			    buf[ihl + 5] == 0x34 && memcmp(buf + 12, &to.sin_addr, 4) == 0)
				ok = true;
		}
	}
	close(fd);
	return ok;
}

/* Listen in the dp namespace on addr:7777, connect from the UE namespace,
 * send a line and read it on the accepted side. */
static bool
tcp_roundtrip(int family, const char *addr)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int lfd = -1, cfd = -1, afd = -1, one = 1, fl;
	char buf[32];
	bool ok = false;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)&ss;

		s->sin_family = AF_INET;
		s->sin_port = htons(TCP_PORT);
		inet_pton(AF_INET, addr, &s->sin_addr);
		sl = sizeof(*s);
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ss;

		s->sin6_family = AF_INET6;
		s->sin6_port = htons(TCP_PORT);
		inet_pton(AF_INET6, addr, &s->sin6_addr);
		sl = sizeof(*s);
	}
	lfd = ns_socket(DP_NS, family, SOCK_STREAM);
	cfd = ns_socket(UE_NS, family, SOCK_STREAM);
	if (lfd < 0 || cfd < 0)
		goto out;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&ss, sl) < 0 || listen(lfd, 4) < 0) {
		fprintf(stderr, "listen %s: %s\n", addr, strerror(errno));
		goto out;
	}
	fl = fcntl(cfd, F_GETFL);
	fcntl(cfd, F_SETFL, fl | O_NONBLOCK);
	if (connect(cfd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS)
		goto out;
	if (!wait_fd(cfd, POLLOUT, 5000))
		goto out;
	{
		int e = 0;
		socklen_t el = sizeof(e);

		getsockopt(cfd, SOL_SOCKET, SO_ERROR, &e, &el);
		if (e != 0) {
			fprintf(stderr, "connect %s: %s\n", addr, strerror(e));
			goto out;
		}
	}
	if (!wait_fd(lfd, POLLIN, 2000))
		goto out;
	afd = accept(lfd, NULL, NULL);
	if (afd < 0 || send(cfd, "hello", 5, 0) != 5)
		goto out;
	if (!wait_fd(afd, POLLIN, 2000))
		goto out;
	ok = recv(afd, buf, sizeof(buf), 0) == 5 && memcmp(buf, "hello", 5) == 0;
out:
	if (afd >= 0)
		close(afd);
	if (cfd >= 0)
		close(cfd);
	if (lfd >= 0)
		close(lfd);
	return ok;
}

static void
set_prefix(struct cfg_prefix *p, int fam, const char *s, uint8_t len)
{
	p->ip.family = fam;
	inet_pton(fam, s, fam == AF_INET ? (void *)&p->ip.a.v4 : (void *)&p->ip.a.v6);
	p->len = len;
}

static void
test_exception_path(void)
{
	struct cfg cfg;
	char err[512];
	struct dp_lcore_stats st;
	struct dp_port_info pi;
	struct cfg_ip ue4, ue6, ghost;
	struct rte_ether_addr mac, want;
	int rc, i;

	memset(&cfg, 0, sizeof(cfg));
	cfg.lcores.media[0] = 1;
	cfg.lcores.n_media = 1;
	snprintf(cfg.dataplane.netns, CFG_NAME_MAX, DP_NS);
	cfg.dataplane.mbufs = 2047;
	cfg.dataplane.burst = 32;
	cfg.limits.max_flows = 64;
	cfg.ports[0].role = CFG_PORT_ACCESS;
	snprintf(cfg.ports[0].device, CFG_DEVICE_MAX, "net_tap_tue,iface=" UE_IF);
	set_prefix(&cfg.ports[0].addr4[0], AF_INET, "192.0.2.1", 24);
	cfg.ports[0].n_addr4 = 1;
	set_prefix(&cfg.ports[0].addr6[0], AF_INET6, "2001:db8:a::1", 64);
	cfg.ports[0].n_addr6 = 1;
	cfg.ports[0].udp_min = 10000;
	cfg.ports[0].udp_max = 10999;
	cfg.ports[0].mtu = 1500;
	cfg.ports[0].exc_kind = CFG_EXC_TAP;
	snprintf(cfg.ports[0].exc_iface, CFG_NAME_MAX, EXC_IF);
	/* a route to exercise RTM_NEWROUTE: 203.0.113.0/24 via the UE */
	set_prefix(&cfg.ports[0].routes[0].dst, AF_INET, "203.0.113.0", 24);
	cfg.ports[0].routes[0].via.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.2", &cfg.ports[0].routes[0].via.a.v4);
	cfg.ports[0].n_routes = 1;

	CU_ASSERT_FATAL(sh("ip netns add " UE_NS) == 0);
	g_dp = dp_create(&cfg, err, sizeof(err));
	if (g_dp == NULL)
		fprintf(stderr, "dp_create: %s\n", err);
	CU_ASSERT_FATAL(g_dp != NULL);
	CU_ASSERT_FATAL(dp_port_info(g_dp, CFG_PORT_ACCESS, &pi) == 0);
	CU_ASSERT(pi.exc_port_id != UINT16_MAX);
	CU_ASSERT_FATAL(dp_neigh_fd(g_dp) >= 0);

	/* The exception interface: in the dp namespace, the port's MAC, the
	 * port's addresses and route. */
	{
		char cmd[256];

		snprintf(cmd, sizeof(cmd),
			 "ip -n " DP_NS " link show " EXC_IF
			 " | grep -qi 'link/ether %02x:%02x:%02x:%02x:%02x:%02x'",
			 pi.mac.addr_bytes[0], pi.mac.addr_bytes[1], pi.mac.addr_bytes[2],
			 pi.mac.addr_bytes[3], pi.mac.addr_bytes[4], pi.mac.addr_bytes[5]);
		CU_ASSERT(sh(cmd) == 0);
	}
	CU_ASSERT(sh("ip -n " DP_NS " -4 addr show dev " EXC_IF " | grep -q 'inet 192.0.2.1/24'") ==
		  0);
	CU_ASSERT(sh("ip -n " DP_NS " -6 addr show dev " EXC_IF
		     " | grep -q 'inet6 2001:db8:a::1/64'") == 0);
	CU_ASSERT(sh("ip -n " DP_NS " route show 203.0.113.0/24"
		     " | grep -q 'via 192.0.2.2'") == 0);
	CU_ASSERT(sh("ip link show " EXC_IF " >/dev/null 2>&1") != 0);

	/* The UE: the port's kernel side, moved into its namespace. */
	CU_ASSERT_FATAL(sh("ip link set " UE_IF " netns " UE_NS) == 0);
	CU_ASSERT_FATAL(sh("ip -n " UE_NS " link set " UE_IF " address " UE_MAC
			   " up && ip -n " UE_NS " link set lo up && "
			   "ip -n " UE_NS " addr add 192.0.2.2/24 dev " UE_IF " && ip -n " UE_NS
			   " addr add 2001:db8:a::2/64 dev " UE_IF " nodad") == 0);
	CU_ASSERT_FATAL(dp_start(g_dp) == 0);

	CU_ASSERT(ue_ping());
	CU_ASSERT(tcp_roundtrip(AF_INET, "192.0.2.1"));
	CU_ASSERT(tcp_roundtrip(AF_INET6, "2001:db8:a::1"));

	/* Neighbours: the UE is known to the dp namespace's kernel after the
	 * exchanges above; an address nobody has gets a managed entry. */
	ue4.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.2", &ue4.a.v4);
	ue6.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8:a::2", &ue6.a.v6);
	rte_ether_unformat_addr(UE_MAC, &want);
	rc = dp_neigh_resolve(g_dp, CFG_PORT_ACCESS, &ue4, &mac);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(rc == 0 && rte_is_same_ether_addr(&mac, &want));
	rc = dp_neigh_resolve(g_dp, CFG_PORT_ACCESS, &ue6, &mac);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(rc == 0 && rte_is_same_ether_addr(&mac, &want));
	ghost.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.3", &ghost.a.v4);
	CU_ASSERT_EQUAL(dp_neigh_resolve(g_dp, CFG_PORT_ACCESS, &ghost, &mac), -EAGAIN);
	/* Linux >= 5.16: a managed entry the kernel keeps resolving. */
	CU_ASSERT(sh("ip -n " DP_NS " neigh show 192.0.2.3 dev " EXC_IF " | grep -q managed") == 0);
	ghost.family = AF_INET;
	inet_pton(AF_INET, "198.18.0.1", &ghost.a.v4);
	CU_ASSERT_EQUAL(dp_neigh_resolve(g_dp, CFG_PORT_ACCESS, &ghost, &mac), -ENETUNREACH);
	/* via the route: next hop 192.0.2.2, the UE */
	inet_pton(AF_INET, "203.0.113.9", &ghost.a.v4);
	rc = dp_neigh_resolve(g_dp, CFG_PORT_ACCESS, &ghost, &mac);
	CU_ASSERT(rc == 0 && rte_is_same_ether_addr(&mac, &want));
	/* the managed entry's resolution attempts show up as changes */
	for (i = 0, rc = 0; i < 30 && rc <= 0; i++) {
		usleep(100 * 1000);
		rc = dp_neigh_process(g_dp);
	}
	CU_ASSERT(rc > 0);

	dp_stats_total(g_dp, &st);
	CU_ASSERT(st.to_exc > 0);
	CU_ASSERT(st.from_exc > 0);
	dp_stop(g_dp);
	dp_destroy(g_dp);
	g_dp = NULL;
	/* net_tap deleted both kernel interfaces with their fds. */
	CU_ASSERT(sh("ip -n " DP_NS " link show " EXC_IF " >/dev/null 2>&1") != 0);
	CU_ASSERT(sh("ip -n " UE_NS " link show " UE_IF " >/dev/null 2>&1") != 0);
}

int
main(void)
{
	char fp[64];
	char *argv[] = {
		(char *)"test_dp_exc", (char *)"--no-huge",           (char *)"-m", (char *)"512",
		(char *)"--no-pci",    (char *)"--no-shconf",         fp,           (char *)"-l",
		(char *)"0,1",         (char *)"--log-level=*:error", NULL,
	};
	CU_pSuite s;
	unsigned int fails;

	if (geteuid() != 0) {
		printf("test_dp_exc: not root: no test registered (needs network namespaces and "
		       "TAP devices)\n");
		return 0;
	}
	if (access("/dev/net/tun", R_OK | W_OK) != 0) {
		printf("test_dp_exc: no /dev/net/tun: no test registered\n");
		return 0;
	}
	cleanup_env();
	snprintf(fp, sizeof(fp), "--file-prefix=imsagw-t-dpx");
	if (rte_eal_init((int)RTE_DIM(argv) - 1, argv) < 0) {
		fprintf(stderr, "rte_eal_init failed\n");
		return 1;
	}
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("dp_exc", NULL, NULL);
	CU_add_test(s, "exception path: ping, TCP, neighbours from a UE namespace",
		    test_exception_path);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	fails = CU_get_number_of_failures();
	CU_cleanup_registry();
	if (g_dp != NULL) {
		dp_stop(g_dp);
		dp_destroy(g_dp);
	}
	cleanup_env();
	rte_eal_cleanup();
	return fails ? 1 : 0;
}
