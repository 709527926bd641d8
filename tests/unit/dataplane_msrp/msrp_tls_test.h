/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TLS helpers of the relay's tests: self-signed ECDSA P-256 certificates
 * made with the OpenSSL API (the gateway's, written to PEM files for
 * sec_tls_create; the UE's, kept in memory), their SHA-256 fingerprints,
 * and a UE that does TLS over a non-blocking socket while the test drives
 * the relay.
 */
#ifndef IMSAGW_MSRP_TLS_TEST_H
#define IMSAGW_MSRP_TLS_TEST_H

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "msrp_test.h"
#include "sec_tls.h"

struct mt_cert {
	EVP_PKEY *key;
	X509 *x509;
	struct sec_fp fp;                     /* SHA-256 */
};

static inline int
mt_cert_make(struct mt_cert *c, const char *cn)
{
	X509_NAME *name;

	memset(c, 0, sizeof(*c));
	c->key = EVP_EC_gen("P-256");
	c->x509 = X509_new();
	if (c->key == NULL || c->x509 == NULL)
		return -1;
	X509_set_version(c->x509, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(c->x509), (long)(getpid() & 0xffff) + 1);
	X509_gmtime_adj(X509_getm_notBefore(c->x509), -3600);
	X509_gmtime_adj(X509_getm_notAfter(c->x509), 86400);
	X509_set_pubkey(c->x509, c->key);
	name = X509_get_subject_name(c->x509);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(c->x509, name);
	if (X509_sign(c->x509, c->key, EVP_sha256()) <= 0)
		return -1;
	{
		unsigned char *der = NULL;
		int len = i2d_X509(c->x509, &der);
		int rc;

		if (len <= 0)
			return -1;
		rc = sec_fp_of_der(SEC_FP_SHA256, der, (size_t)len, &c->fp);
		OPENSSL_free(der);
		return rc;
	}
}

static inline void
mt_cert_free(struct mt_cert *c)
{
	EVP_PKEY_free(c->key);
	X509_free(c->x509);
	memset(c, 0, sizeof(*c));
}

/* Write c as PEM files (mkstemp names in cert/key). @return 0 or -1. */
static inline int
mt_cert_files(const struct mt_cert *c, char cert[64], char key[64])
{
	FILE *f;
	int fd;

	snprintf(cert, 64, "/tmp/msrp-test-crt-XXXXXX");
	snprintf(key, 64, "/tmp/msrp-test-key-XXXXXX");
	fd = mkstemp(cert);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	PEM_write_X509(f, c->x509);
	fclose(f);
	fd = mkstemp(key);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	PEM_write_PrivateKey(f, c->key, NULL, NULL, 0, NULL, NULL);
	fclose(f);
	return 0;
}

/* The gateway's sec_tls from a fresh certificate. */
static inline struct sec_tls *
mt_gw_tls(struct mt_cert *gw)
{
	struct sec_tls_conf tc = {.tls12 = true, .tls13 = true, .ktls = true};
	char cert[64], key[64], err[256] = "";
	struct sec_tls *t;

	if (mt_cert_make(gw, "imsagw") != 0 || mt_cert_files(gw, cert, key) != 0)
		return NULL;
	tc.cert_file = cert;
	tc.key_file = key;
	t = sec_tls_create(&tc, err, sizeof(err));
	if (t == NULL)
		fprintf(stderr, "\n  sec_tls_create: %s\n", err);
	unlink(cert);
	unlink(key);
	return t;
}

static int
mt_accept_any(int ok, X509_STORE_CTX *x)
{
	(void)ok;
	(void)x;
	return 1; /* self-signed: the test checks the fingerprint itself */
}

/* A UE's context: its certificate (c may be NULL: none), TLS 1.2 and 1.3;
 * as a server it asks for the peer's certificate. */
static inline SSL_CTX *
mt_ue_ctx(const struct mt_cert *c, bool server)
{
	SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());

	if (ctx == NULL)
		return NULL;
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	if (c != NULL && (SSL_CTX_use_certificate(ctx, c->x509) != 1 ||
			  SSL_CTX_use_PrivateKey(ctx, c->key) != 1)) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_verify(ctx,
			   server ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT :
				    SSL_VERIFY_PEER,
			   mt_accept_any);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE);
	return ctx;
}

/* Does the peer's certificate have fingerprint want? */
static inline bool
mt_peer_is(SSL *ssl, const struct sec_fp *want)
{
	struct sec_fp got;

	return sec_tls_peer_fp(ssl, &got) == 0 && sec_fp_equal(&got, want);
}

/* Drive a handshake on a non-blocking fd while pumping the relay.
 * @return 1 done, 0 failed (ssl freed, *out NULL). */
static inline int
mt_handshake(struct mt *t, SSL_CTX *ctx, int fd, bool server, SSL **out, unsigned int ms)
{
	uint64_t end = mt_now_ms() + ms;
	SSL *ssl = SSL_new(ctx);

	*out = NULL;
	if (ssl == NULL)
		return 0;
	SSL_set_fd(ssl, fd);
	if (server)
		SSL_set_accept_state(ssl);
	else
		SSL_set_connect_state(ssl);
	for (;;) {
		int r = SSL_do_handshake(ssl), e;

		if (r == 1) {
			*out = ssl;
			return 1;
		}
		e = SSL_get_error(ssl, r);
		if ((e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) ||
		    mt_now_ms() >= end) {
			ERR_clear_error();
			SSL_free(ssl);
			return 0;
		}
		mt_pump(t);
	}
}

#endif /* IMSAGW_MSRP_TLS_TEST_H */
