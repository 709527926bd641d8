/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Identities for the tests that run MSRP over TLS (control's and Iq's):
 * self-signed ECDSA P-256 certificates made at run time, their SHA-256
 * fingerprints, the gateway's as PEM files for sec_tls_create(), and a
 * non-blocking TLS client (the UE) that authenticates the gateway by
 * fingerprint, not by a CA. Nothing here is a fixed key.
 */
#ifndef IMSAGW_CTL_TEST_TLS_H
#define IMSAGW_CTL_TEST_TLS_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "sec_tls.h"

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

#endif /* IMSAGW_CTL_TEST_TLS_H */
