/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_netns: the data plane's network namespace and small rtnetlink requests.
 *
 * Namespaces are per thread in Linux: a thread that unshare()s or setns()es
 * changes only itself, and a socket keeps the namespace it was created in.
 * So every namespace operation runs in a short-lived helper thread and the
 * process (EAL threads, control, Iq sockets) stays in the host namespace.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include "dp_netns.h"

#define NL_BUF 4096

/* ---- namespaces ---------------------------------------------------------- */

static int
netns_path(const char *name, char *path, size_t len)
{
	if (name == NULL || name[0] == '\0' || strchr(name, '/') != NULL ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -EINVAL;
	if ((size_t)snprintf(path, len, "%s/%s", DP_NETNS_DIR, name) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int
dp_netns_open(const char *name)
{
	char path[128];
	int fd, rc;

	rc = netns_path(name, path, sizeof(path));
	if (rc < 0)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

struct ns_job {
	const char *path; /* create: bind-mount target; socket: ns file */
	int domain, type, proto;
	int rc; /* out: fd or -errno */
};

static void *
ns_create_thread(void *arg)
{
	struct ns_job *j = arg;

	/* The new namespace lives in this thread only; the bind mount keeps
	 * it alive after the thread exits. /proc/self would name the thread
	 * group leader's namespace, hence thread-self. */
	if (unshare(CLONE_NEWNET) < 0) {
		j->rc = -errno;
		return NULL;
	}
	if (mount("/proc/thread-self/ns/net", j->path, "none", MS_BIND, NULL) < 0) {
		j->rc = -errno;
		return NULL;
	}
	j->rc = 0;
	return NULL;
}

static void *
ns_socket_thread(void *arg)
{
	struct ns_job *j = arg;
	int nsfd;

	if (j->path != NULL) {
		nsfd = open(j->path, O_RDONLY | O_CLOEXEC);
		if (nsfd < 0) {
			j->rc = -errno;
			return NULL;
		}
		if (setns(nsfd, CLONE_NEWNET) < 0) {
			j->rc = -errno;
			close(nsfd);
			return NULL;
		}
		close(nsfd);
	}
	j->rc = socket(j->domain, j->type | SOCK_CLOEXEC, j->proto);
	if (j->rc < 0)
		j->rc = -errno;
	return NULL;
}

static int
run_job(void *(*fn)(void *), struct ns_job *j)
{
	pthread_t t;
	int rc;

	j->rc = -EIO;
	rc = pthread_create(&t, NULL, fn, j);
	if (rc != 0)
		return -rc;
	pthread_join(t, NULL);
	return j->rc;
}

/* Make /run/netns a shared mount point, as iproute2 does, so that a
 * namespace mounted there is visible in other mount namespaces. Best
 * effort: the bind mount below works without it. */
static void
netns_dir_shared(void)
{
	if (mount("", DP_NETNS_DIR, "none", MS_SHARED | MS_REC, NULL) == 0)
		return;
	if (errno != EINVAL)
		return;
	if (mount(DP_NETNS_DIR, DP_NETNS_DIR, "none", MS_BIND | MS_REC, NULL) == 0)
		(void)mount("", DP_NETNS_DIR, "none", MS_SHARED | MS_REC, NULL);
}

int
dp_netns_ensure(const char *name, char *err, size_t errlen)
{
	struct ns_job j = {0};
	char path[128];
	int fd, rc;

	rc = netns_path(name, path, sizeof(path));
	if (rc < 0) {
		snprintf(err, errlen, "bad namespace name '%s'", name);
		return rc;
	}
	fd = dp_netns_open(name);
	if (fd >= 0) {
		struct stat st;
		struct ns_job probe = {.path = path,
				       .domain = AF_NETLINK,
				       .type = SOCK_RAW,
				       .proto = NETLINK_ROUTE};

		/* A plain file left by a crash is not a namespace: setns()
		 * tells. */
		close(fd);
		rc = run_job(ns_socket_thread, &probe);
		if (rc >= 0) {
			close(rc);
			return 0;
		}
		if (stat(path, &st) < 0 || st.st_size != 0) {
			snprintf(err, errlen, "%s exists and is not a namespace", path);
			return -EEXIST;
		}
		unlink(path);
	}
	if (mkdir(DP_NETNS_DIR, 0755) < 0 && errno != EEXIST) {
		rc = -errno;
		snprintf(err, errlen, "mkdir %s: %s", DP_NETNS_DIR, strerror(-rc));
		return rc;
	}
	netns_dir_shared();
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "create %s: %s", path, strerror(-rc));
		return rc;
	}
	close(fd);
	j.path = path;
	rc = run_job(ns_create_thread, &j);
	if (rc < 0) {
		snprintf(err, errlen, "create namespace %s: %s", name, strerror(-rc));
		unlink(path);
		return rc;
	}
	return 0;
}

int
dp_netns_socket(const char *name, int domain, int type, int proto)
{
	struct ns_job j = {.domain = domain, .type = type, .proto = proto};
	char path[128];
	int rc;

	if (name != NULL && name[0] != '\0') {
		rc = netns_path(name, path, sizeof(path));
		if (rc < 0)
			return rc;
		j.path = path;
	}
	return run_job(ns_socket_thread, &j);
}

/* ---- rtnetlink ----------------------------------------------------------- */

int
dp_nl_open(const char *name, uint32_t groups)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = groups};
	struct timeval tv = {.tv_sec = 2};
	int fd, one = 1;

	fd = dp_netns_socket(name, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	if (fd < 0)
		return fd;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	/* Requests wait at most 2 s for the kernel's answer. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return fd;
}

struct nl_req {
	struct nlmsghdr h;
	char buf[NL_BUF - sizeof(struct nlmsghdr)];
};

static void *
nl_tail(struct nl_req *r)
{
	return (char *)r + NLMSG_ALIGN(r->h.nlmsg_len);
}

static int
nl_attr(struct nl_req *r, uint16_t type, const void *data, size_t len)
{
	struct rtattr *a = nl_tail(r);
	size_t need = NLMSG_ALIGN(r->h.nlmsg_len) + RTA_SPACE(len);

	if (need > sizeof(*r))
		return -ENOBUFS;
	a->rta_type = type;
	a->rta_len = RTA_LENGTH(len);
	if (len > 0)
		memcpy(RTA_DATA(a), data, len);
	r->h.nlmsg_len = need;
	return 0;
}

static void
nl_init(struct nl_req *r, uint16_t type, uint16_t flags, const void *hdr, size_t hdrlen)
{
	static uint32_t seq;

	memset(r, 0, sizeof(*r));
	r->h.nlmsg_len = NLMSG_LENGTH(hdrlen);
	r->h.nlmsg_type = type;
	r->h.nlmsg_flags = NLM_F_REQUEST | flags;
	r->h.nlmsg_seq = ++seq;
	memcpy(NLMSG_DATA(&r->h), hdr, hdrlen);
}

/* Send r and read until its ack (or, with `reply`, its answer message of
 * type reply_type, copied into reply). @return 0 or -errno. */
static int
nl_talk(int fd, struct nl_req *r, uint16_t reply_type, void *reply, size_t replylen)
{
	char buf[16384];
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	int rounds;
	ssize_t n;

	if (sendto(fd, &r->h, r->h.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	/* Bounded: a request gets its answer within a few messages. */
	for (rounds = 0; rounds < 64; rounds++) {
		struct nlmsghdr *h;

		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != r->h.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				return e->error;
			}
			if (reply != NULL && h->nlmsg_type == reply_type) {
				size_t l = h->nlmsg_len < replylen ? h->nlmsg_len : replylen;

				memcpy(reply, h, l);
				/* A get without NLM_F_ACK ends here. */
				return 0;
			}
		}
	}
	return -ETIMEDOUT;
}

int
dp_nl_link_index(int fd, const char *ifname)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
	struct nl_req r;
	char reply[NL_BUF];
	struct nlmsghdr *h = (struct nlmsghdr *)reply;
	int rc;

	nl_init(&r, RTM_GETLINK, 0, &ifi, sizeof(ifi));
	rc = nl_attr(&r, IFLA_IFNAME, ifname, strlen(ifname) + 1);
	if (rc < 0)
		return rc;
	rc = nl_talk(fd, &r, RTM_NEWLINK, reply, sizeof(reply));
	if (rc < 0)
		return rc;
	return ((struct ifinfomsg *)NLMSG_DATA(h))->ifi_index;
}

int
dp_nl_link_set_netns(int fd, int ifindex, int netns_fd)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = ifindex};
	struct nl_req r;
	uint32_t nsfd = (uint32_t)netns_fd;
	int rc;

	nl_init(&r, RTM_NEWLINK, NLM_F_ACK, &ifi, sizeof(ifi));
	rc = nl_attr(&r, IFLA_NET_NS_FD, &nsfd, sizeof(nsfd));
	if (rc < 0)
		return rc;
	return nl_talk(fd, &r, 0, NULL, 0);
}

int
dp_nl_link_no_auto_ll(int fd, int ifindex)
{
	/* IFLA_AF_SPEC { AF_INET6 { IFLA_INET6_ADDR_GEN_MODE = NONE } } */
	struct {
		struct rtattr af;
		struct rtattr mode;
		uint8_t val[RTA_ALIGN(1)];
	} spec = {
		.af = {.rta_len = RTA_LENGTH(RTA_SPACE(1)), .rta_type = AF_INET6},
		.mode = {.rta_len = RTA_LENGTH(1), .rta_type = IFLA_INET6_ADDR_GEN_MODE},
		.val = {IN6_ADDR_GEN_MODE_NONE},
	};
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = ifindex};
	struct nl_req r;
	int rc;

	nl_init(&r, RTM_NEWLINK, NLM_F_ACK, &ifi, sizeof(ifi));
	rc = nl_attr(&r, IFLA_AF_SPEC, &spec, sizeof(spec));
	if (rc < 0)
		return rc;
	return nl_talk(fd, &r, 0, NULL, 0);
}

int
dp_nl_link_up(int fd, int ifindex)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC,
				.ifi_index = ifindex,
				.ifi_flags = IFF_UP,
				.ifi_change = IFF_UP};
	struct nl_req r;

	nl_init(&r, RTM_NEWLINK, NLM_F_ACK, &ifi, sizeof(ifi));
	return nl_talk(fd, &r, 0, NULL, 0);
}

static size_t
ip_len(const struct cfg_ip *ip)
{
	return ip->family == AF_INET ? 4 : 16;
}

static const void *
ip_bytes(const struct cfg_ip *ip)
{
	return ip->family == AF_INET ? (const void *)&ip->a.v4 : (const void *)&ip->a.v6;
}

int
dp_nl_addr_add(int fd, int ifindex, const struct cfg_prefix *p)
{
	struct ifaddrmsg ifa = {
		.ifa_family = (uint8_t)p->ip.family,
		.ifa_prefixlen = p->len,
		.ifa_scope = RT_SCOPE_UNIVERSE,
		.ifa_index = (uint32_t)ifindex,
	};
	struct nl_req r;
	uint32_t flags = 0;
	int rc;

	/* RFC 4862 DAD would keep an IPv6 address tentative (unusable) for a
	 * second or more; the address is ours by configuration. */
	if (p->ip.family == AF_INET6) {
		ifa.ifa_flags = IFA_F_NODAD;
		flags = IFA_F_NODAD;
	}
	nl_init(&r, RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE, &ifa, sizeof(ifa));
	rc = nl_attr(&r, IFA_LOCAL, ip_bytes(&p->ip), ip_len(&p->ip));
	if (rc == 0)
		rc = nl_attr(&r, IFA_ADDRESS, ip_bytes(&p->ip), ip_len(&p->ip));
	if (rc == 0 && flags != 0)
		rc = nl_attr(&r, IFA_FLAGS, &flags, sizeof(flags));
	if (rc < 0)
		return rc;
	return nl_talk(fd, &r, 0, NULL, 0);
}

int
dp_nl_route_add(int fd, int ifindex, const struct cfg_route *rt)
{
	struct rtmsg rtm = {
		.rtm_family = (uint8_t)rt->dst.ip.family,
		.rtm_dst_len = rt->dst.len,
		.rtm_table = RT_TABLE_MAIN,
		.rtm_protocol = RTPROT_STATIC,
		.rtm_scope = RT_SCOPE_UNIVERSE,
		.rtm_type = RTN_UNICAST,
	};
	struct nl_req r;
	uint32_t oif = (uint32_t)ifindex;
	int rc;

	nl_init(&r, RTM_NEWROUTE, NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE, &rtm, sizeof(rtm));
	rc = nl_attr(&r, RTA_DST, ip_bytes(&rt->dst.ip), ip_len(&rt->dst.ip));
	if (rc == 0 && rt->via.family == rt->dst.ip.family)
		rc = nl_attr(&r, RTA_GATEWAY, ip_bytes(&rt->via), ip_len(&rt->via));
	if (rc == 0)
		rc = nl_attr(&r, RTA_OIF, &oif, sizeof(oif));
	if (rc < 0)
		return rc;
	return nl_talk(fd, &r, 0, NULL, 0);
}

int
dp_nl_neigh_get(int fd, int ifindex, const struct cfg_ip *ip, uint8_t mac[6], uint16_t *state)
{
	struct ndmsg ndm = {.ndm_family = (uint8_t)ip->family, .ndm_ifindex = ifindex};
	struct nl_req r;
	char reply[NL_BUF];
	struct nlmsghdr *h = (struct nlmsghdr *)reply;
	struct ndmsg *rn;
	struct rtattr *a;
	int rc, len;

	*state = 0;
	nl_init(&r, RTM_GETNEIGH, 0, &ndm, sizeof(ndm));
	rc = nl_attr(&r, NDA_DST, ip_bytes(ip), ip_len(ip));
	if (rc < 0)
		return rc;
	rc = nl_talk(fd, &r, RTM_NEWNEIGH, reply, sizeof(reply));
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	rn = NLMSG_DATA(h);
	*state = rn->ndm_state;
	len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*rn));
	for (a = (struct rtattr *)((char *)rn + NLMSG_ALIGN(sizeof(*rn))); RTA_OK(a, len);
	     a = RTA_NEXT(a, len)) {
		if (a->rta_type == NDA_LLADDR && RTA_PAYLOAD(a) == 6) {
			memcpy(mac, RTA_DATA(a), 6);
			return 1;
		}
	}
	return 0;
}

int
dp_nl_neigh_add_managed(int fd, int ifindex, const struct cfg_ip *ip)
{
	struct ndmsg ndm = {
		.ndm_family = (uint8_t)ip->family, .ndm_ifindex = ifindex, .ndm_state = NUD_NONE};
	struct nl_req r;
	uint32_t ext = NTF_EXT_MANAGED;
	int rc;

	nl_init(&r, RTM_NEWNEIGH, NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE, &ndm, sizeof(ndm));
	rc = nl_attr(&r, NDA_DST, ip_bytes(ip), ip_len(ip));
	if (rc == 0)
		rc = nl_attr(&r, NDA_FLAGS_EXT, &ext, sizeof(ext));
	if (rc < 0)
		return rc;
	return nl_talk(fd, &r, 0, NULL, 0);
}
