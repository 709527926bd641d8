/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the tests that run MSRP terminations share (control's and Iq's): a
 * gateway over net_null ports whose addresses are 127.0.0.2 (access) and
 * 127.0.0.3 (core), the real MSRP relay in the test's own namespace driven
 * by ctl_poll() (n_workers 0), our certificate and the UE's (and a
 * stranger's), self-signed ECDSA P-256 made at run time, a non-blocking
 * TLS client (the UE) that authenticates the gateway by fingerprint, and a
 * TCP server (the core peer). Nothing here is a fixed key; every wait is
 * bounded and drives control.
 */
#ifndef IMSAGW_CTL_TEST_MSRP_H
#define IMSAGW_CTL_TEST_MSRP_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <rte_eal.h>

#include "cfg.h"
#include "ctl.h"
#include "ctl_loop.h"
#include "dp.h"
#include "dp_msrp.h"
#include "sec.h"
#include "sec_tls.h"

#define TT_WAIT_MS 5000

/* A self-signed certificate of pk, valid for a day. */
static inline X509 *
tt_self_signed(EVP_PKEY *pk, const char *cn)
{
	X509 *x = X509_new();
	X509_NAME *n;

	if (x == NULL)
		return NULL;
	n = X509_get_subject_name(x);
	if (X509_set_version(x, X509_VERSION_3) != 1 ||
	    ASN1_INTEGER_set(X509_get_serialNumber(x), 1) != 1 ||
	    X509_gmtime_adj(X509_getm_notBefore(x), 0) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(x), 86400) == NULL || X509_set_pubkey(x, pk) != 1 ||
	    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1,
				       0) != 1 ||
	    X509_set_issuer_name(x, n) != 1 || X509_sign(x, pk, EVP_sha256()) <= 0) {
		X509_free(x);
		return NULL;
	}
	return x;
}

/* The SHA-256 fingerprint of x, as a=fingerprint names it. */
static inline int
tt_cert_fp(X509 *x, struct sec_fp *fp)
{
	unsigned char *der = NULL;
	int len = i2d_X509(x, &der), rc;

	if (len <= 0)
		return -1;
	rc = sec_fp_of_der(SEC_FP_SHA256, der, (size_t)len, fp);
	OPENSSL_free(der);
	return rc;
}

/* A fresh identity for the gateway in crt/key (PEM) and its context. */
static inline struct sec_tls *
tt_gateway(const char *crt, const char *key)
{
	EVP_PKEY *pk = EVP_EC_gen("P-256");
	X509 *x = pk != NULL ? tt_self_signed(pk, "imsagw") : NULL;
	struct sec_tls_conf tc = { .cert_file = crt, .key_file = key, .tls12 = true, .tls13 = true };
	struct sec_tls *t = NULL;
	char err[256];
	BIO *b;
	int ok = x != NULL;

	if (ok && (b = BIO_new_file(crt, "w")) != NULL) {
		ok = PEM_write_bio_X509(b, x) == 1;
		BIO_free(b);
	}
	if (ok && (b = BIO_new_file(key, "w")) != NULL) {
		ok = PEM_write_bio_PrivateKey(b, pk, NULL, NULL, 0, NULL, NULL) == 1;
		BIO_free(b);
	}
	X509_free(x);
	EVP_PKEY_free(pk);
	if (ok)
		t = sec_tls_create(&tc, err, sizeof(err));
	if (t == NULL)
		fprintf(stderr, "sec_tls_create: %s\n", ok ? err : "cannot write the identity");
	return t;
}

static inline int
tt_accept_any(int ok, X509_STORE_CTX *x)
{
	(void)ok;
	(void)x;
	return 1; /* the caller compares the fingerprint itself */
}

/* A non-blocking TLS client with cert/key, connecting from 127.0.0.1 to
 * ip:port. *fdp gets its socket. @return the SSL or NULL. */
static inline SSL *
tt_client(const char *ip, uint16_t port, X509 *cert, EVP_PKEY *key, int *fdp)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	SSL_CTX *cx = SSL_CTX_new(TLS_client_method());
	SSL *ssl = NULL;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	inet_pton(AF_INET, ip, &sa.sin_addr);
	if (cx != NULL && fd >= 0) {
		SSL_CTX_set_min_proto_version(cx, TLS1_2_VERSION);
		SSL_CTX_use_certificate(cx, cert);
		SSL_CTX_use_PrivateKey(cx, key);
		SSL_CTX_set_verify(cx, SSL_VERIFY_PEER, tt_accept_any);
		ssl = SSL_new(cx);
	}
	SSL_CTX_free(cx);
	if (ssl == NULL ||
	    (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno != EINPROGRESS)) {
		SSL_free(ssl);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	SSL_set_fd(ssl, fd);
	SSL_set_connect_state(ssl);
	*fdp = fd;
	return ssl;
}

/* The gateway under test and the peers' identities. */
struct tt_env {
	struct cfg *cfg;
	struct dp *dp;
	struct dp_msrp *relay;
	struct sec_tls *tls;
	struct ctl_loop *loop;
	struct ctl *ctl;
	X509 *ue_cert, *stranger_cert;       /* the UE's, and one nobody names */
	EVP_PKEY *ue_key, *stranger_key;
	struct sec_fp ue_fp, stranger_fp;
	char crt[64], key[64];               /* our identity's files */
};

/*
 * Bring it up: EAL (--file-prefix=imsagw-t-<name>), the config with TCP
 * ranges base..base+49 (access) and base+50..base+99 (core), crypto, the
 * data plane, our identity, the relay, control with it. @return 0 or -1.
 */
static inline int
tt_env_setup(struct tt_env *e, const char *name, unsigned int base)
{
	char err[CFG_ERR_MAX], conf[1024], prefix[64];
	char *argv[] = { (char *)name, "--no-huge", "-m", "256", "--no-pci", "--no-shconf",
			 prefix, "-l", "0,1", "--log-level=*:error", "--vdev=net_null0",
			 "--vdev=net_null1", NULL };
	struct sec_config sc = { .default_engine = SEC_ENGINE_OPENSSL, .disable_cryptodev = true };
	struct dp_msrp_conf mc = {
		.netns = NULL, .n_workers = 0, .max_legs = 32, .buf_bytes = 65536,
		.connect_ms = 4000, .handshake_ms = 2000, .idle_ms = 0,
		.max_header_bytes = 4096, .max_chunk_bytes = 65536,
	};

	memset(e, 0, sizeof(*e));
	snprintf(prefix, sizeof(prefix), "--file-prefix=imsagw-t-%s", name);
	snprintf(conf, sizeof(conf),
		 "lcores = { control = 0; media = [ 1 ]; msrp = [ ]; };\n"
		 "dataplane = { mbufs = 2047; };\n"
		 "ports = {\n"
		 "  access = { device = \"net_null0\"; ipv4 = [ \"127.0.0.2/32\" ];\n"
		 "    udp_min = 20000; udp_max = 20099; tcp_min = %u; tcp_max = %u;\n"
		 "    exception = \"none\"; };\n"
		 "  core = { device = \"net_null1\"; ipv4 = [ \"127.0.0.3/32\" ];\n"
		 "    udp_min = 30000; udp_max = 30099; tcp_min = %u; tcp_max = %u;\n"
		 "    exception = \"none\"; };\n"
		 "};\n"
		 "limits = { max_contexts = 8; max_flows = 64; };\n",
		 base, base + 49, base + 50, base + 99);
	snprintf(e->crt, sizeof(e->crt), "/tmp/%s.%d.crt", name, (int)getpid());
	snprintf(e->key, sizeof(e->key), "/tmp/%s.%d.key", name, (int)getpid());
	if (cfg_load_string(conf, "test.conf", &e->cfg, err, sizeof(err)) < 0 ||
	    rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv) < 0 || sec_init(&sc) < 0)
		return -1;
	e->dp = dp_create(e->cfg, err, sizeof(err));
	e->tls = e->dp != NULL ? tt_gateway(e->crt, e->key) : NULL;
	mc.tls = e->tls;
	e->relay = e->tls != NULL ? dp_msrp_create(&mc, err, sizeof(err)) : NULL;
	e->loop = e->relay != NULL ? ctl_loop_create() : NULL;
	e->ctl = e->loop != NULL ? ctl_create(e->cfg, e->dp, e->loop, err, sizeof(err)) : NULL;
	if (e->ctl == NULL || ctl_set_msrp(e->ctl, e->relay, e->tls) < 0) {
		fprintf(stderr, "%s: setup: %s\n", name, err);
		return -1;
	}
	e->ue_key = EVP_EC_gen("P-256");
	e->stranger_key = EVP_EC_gen("P-256");
	e->ue_cert = e->ue_key != NULL ? tt_self_signed(e->ue_key, "ue") : NULL;
	e->stranger_cert = e->stranger_key != NULL ? tt_self_signed(e->stranger_key, "x") : NULL;
	if (e->ue_cert == NULL || e->stranger_cert == NULL || tt_cert_fp(e->ue_cert, &e->ue_fp) < 0 ||
	    tt_cert_fp(e->stranger_cert, &e->stranger_fp) < 0)
		return -1;
	return 0;
}

/* Control first (it closes the legs), then the relay it used. */
static inline void
tt_env_teardown(struct tt_env *e)
{
	ctl_destroy(e->ctl);
	ctl_loop_destroy(e->loop);
	dp_msrp_destroy(e->relay);
	sec_tls_destroy(e->tls);
	dp_destroy(e->dp);
	rte_eal_cleanup();
	cfg_free(e->cfg);
	X509_free(e->ue_cert);
	X509_free(e->stranger_cert);
	EVP_PKEY_free(e->ue_key);
	EVP_PKEY_free(e->stranger_key);
	unlink(e->crt);
	unlink(e->key);
}

/* One round of control (the relay runs on it). */
static inline void
tt_pump(struct tt_env *e)
{
	ctl_poll(e->ctl);
	usleep(200);
}

/* A listening TCP socket on 127.0.0.1 (a core peer). @return fd or -1. */
static inline int
tt_tcp_server(uint16_t *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 4) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(sa.sin_port);
	return fd;
}

/* Drive a TLS client's handshake. @return 1 done, 0 failed or timed out. */
static inline int
tt_handshake(struct tt_env *e, SSL *ssl)
{
	uint64_t end = ctl_now_ms() + TT_WAIT_MS;
	int rc, err;

	while (ctl_now_ms() < end) {
		ERR_clear_error();
		rc = SSL_do_handshake(ssl);
		if (rc == 1)
			return 1;
		err = SSL_get_error(ssl, rc);
		if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE)
			return 0;
		tt_pump(e);
	}
	return 0;
}

/* Drive a client the gateway should refuse until it is: under TLS 1.3 the
 * client finishes first and the refusal comes as an alert on the first
 * read. @return 1 refused, 0 not within TT_WAIT_MS. */
static inline int
tt_refused(struct tt_env *e, SSL *ssl)
{
	uint64_t end = ctl_now_ms() + TT_WAIT_MS;
	uint8_t b[64];
	int rc, err;

	while (ctl_now_ms() < end) {
		ERR_clear_error();
		rc = SSL_is_init_finished(ssl) ? SSL_read(ssl, b, sizeof(b)) : SSL_do_handshake(ssl);
		err = SSL_get_error(ssl, rc);
		if (rc <= 0 && err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE)
			return 1;
		tt_pump(e);
	}
	return 0;
}

#endif /* IMSAGW_CTL_TEST_MSRP_H */
