/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crypto/sec_tls.c: certificate and key checks at create, the TLS profile
 * on the SSL objects, and real handshakes between our contexts and raw
 * OpenSSL peers (the UE), both driven in this thread over BIO pairs:
 * fingerprint match and mismatch in both roles, no client certificate,
 * old versions, weak suites, renegotiation, tickets and resumption, idle
 * memory, kTLS probe. Keys and self-signed certificates are made at run
 * time and written to a temporary directory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "sec_tls.h"

#define ROUNDS 64   /* handshake steps per side; a full one takes < 10 */

/* A key, its self-signed certificate, the PEM files and the fingerprint. */
struct ident {
	EVP_PKEY *pk;
	X509 *x;
	char cert[128];
	char key[128];
	struct sec_fp fp;      /* SHA-256 */
	struct sec_fp fp1;     /* SHA-1 */
};

static char tmpdir[64];
static struct ident ec_a, ec_b, ec_x, rsa_a, rsa_small, ec_384, ec_old, ec_early;
static struct sec_tls *gw_ec, *gw_rsa, *gw_b, *gw_b12, *gw_b13;

/* Bytes OpenSSL holds (CRYPTO_set_mem_functions, set first in main). */
static long mem_live;
static bool mem_counting;

static void *
mem_malloc(size_t n, const char *file, int line)
{
	size_t *p = malloc(n + 16);

	(void)file;
	(void)line;
	if (p == NULL)
		return NULL;
	p[0] = n;
	mem_live += (long)n;
	return (char *)p + 16;
}

static void *
mem_realloc(void *q, size_t n, const char *file, int line)
{
	size_t *p, old;

	if (q == NULL)
		return mem_malloc(n, file, line);
	p = (size_t *)((char *)q - 16);
	old = p[0];
	p = realloc(p, n + 16);
	if (p == NULL)
		return NULL;
	p[0] = n;
	mem_live += (long)n - (long)old;
	return (char *)p + 16;
}

static void
mem_free(void *q, const char *file, int line)
{
	size_t *p;

	(void)file;
	(void)line;
	if (q == NULL)
		return;
	p = (size_t *)((char *)q - 16);
	mem_live -= (long)p[0];
	free(p);
}

/* ---- identities ---- */

static X509 *
make_cert(EVP_PKEY *pk, const char *cn, long from_days, long to_days)
{
	static long serial = 1;
	X509 *x = X509_new();
	X509_NAME *n;

	if (x == NULL)
		return NULL;
	n = X509_get_subject_name(x);
	if (X509_set_version(x, X509_VERSION_3) != 1 ||
			ASN1_INTEGER_set(X509_get_serialNumber(x), serial++) != 1 ||
			X509_gmtime_adj(X509_getm_notBefore(x), from_days * 86400) == NULL ||
			X509_gmtime_adj(X509_getm_notAfter(x), to_days * 86400) == NULL ||
			X509_set_pubkey(x, pk) != 1 ||
			X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
				(const unsigned char *)cn, -1, -1, 0) != 1 ||
			X509_set_issuer_name(x, n) != 1 || X509_sign(x, pk, EVP_sha256()) <= 0) {
		X509_free(x);
		return NULL;
	}
	return x;
}

static int
write_pem(const char *path, X509 *x, EVP_PKEY *pk, const char *pass)
{
	BIO *b = BIO_new_file(path, "w");
	int ok;

	if (b == NULL)
		return -1;
	if (x != NULL)
		ok = PEM_write_bio_X509(b, x);
	else if (pass != NULL)
		ok = PEM_write_bio_PrivateKey(b, pk, EVP_aes_128_cbc(),
				(const unsigned char *)pass, (int)strlen(pass), NULL, NULL);
	else
		ok = PEM_write_bio_PrivateKey(b, pk, NULL, NULL, 0, NULL, NULL);
	BIO_free(b);
	return ok == 1 ? 0 : -1;
}

static int
x509_fp(X509 *x, enum sec_fp_hash h, struct sec_fp *fp)
{
	unsigned char *der = NULL;
	int len = i2d_X509(x, &der), rc;

	if (len <= 0)
		return -1;
	rc = sec_fp_of_der(h, der, (size_t)len, fp);
	OPENSSL_free(der);
	return rc;
}

static int
ident_make(struct ident *id, const char *name, EVP_PKEY *pk, long from, long to)
{
	id->pk = pk;
	if (pk == NULL)
		return -1;
	id->x = make_cert(pk, name, from, to);
	snprintf(id->cert, sizeof(id->cert), "%s/%s.crt", tmpdir, name);
	snprintf(id->key, sizeof(id->key), "%s/%s.key", tmpdir, name);
	if (id->x == NULL || write_pem(id->cert, id->x, NULL, NULL) != 0 ||
			write_pem(id->key, NULL, pk, NULL) != 0 ||
			x509_fp(id->x, SEC_FP_SHA256, &id->fp) != 0 ||
			x509_fp(id->x, SEC_FP_SHA1, &id->fp1) != 0)
		return -1;
	return 0;
}

static void
ident_free(struct ident *id)
{
	if (id->cert[0])
		unlink(id->cert);
	if (id->key[0])
		unlink(id->key);
	X509_free(id->x);
	EVP_PKEY_free(id->pk);
	memset(id, 0, sizeof(*id));
}

static struct sec_tls *
gw_make(const struct ident *id, bool tls12, bool tls13, bool ktls, char *err,
	size_t errlen)
{
	struct sec_tls_conf c = {
		.cert_file = id->cert, .key_file = id->key,
		.tls12 = tls12, .tls13 = tls13, .ktls = ktls,
	};

	return sec_tls_create(&c, err, errlen);
}

static int
suite_init(void)
{
	char err[256];

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_sec_tls.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	if (ident_make(&ec_a, "ec_a", EVP_EC_gen("P-256"), 0, 365) != 0 ||
			ident_make(&ec_b, "ec_b", EVP_EC_gen("P-256"), 0, 365) != 0 ||
			ident_make(&ec_x, "ec_x", EVP_EC_gen("P-256"), 0, 365) != 0 ||
			ident_make(&rsa_a, "rsa_a", EVP_RSA_gen(2048), 0, 365) != 0 ||
			ident_make(&rsa_small, "rsa_small", EVP_RSA_gen(1024), 0, 365) != 0 ||
			ident_make(&ec_384, "ec_384", EVP_EC_gen("P-384"), 0, 365) != 0 ||
			/* expired a year ago; valid only from next year */
			ident_make(&ec_old, "ec_old", EVP_EC_gen("P-256"), -730, -365) != 0 ||
			ident_make(&ec_early, "ec_early", EVP_EC_gen("P-256"), 365, 730) != 0)
		return -1;
	gw_ec = gw_make(&ec_a, true, true, false, err, sizeof(err));
	gw_rsa = gw_make(&rsa_a, true, true, false, err, sizeof(err));
	gw_b = gw_make(&ec_b, true, true, false, err, sizeof(err));
	gw_b12 = gw_make(&ec_b, true, false, false, err, sizeof(err));
	gw_b13 = gw_make(&ec_b, false, true, false, err, sizeof(err));
	if (!gw_ec || !gw_rsa || !gw_b || !gw_b12 || !gw_b13) {
		fprintf(stderr, "create: %s\n", err);
		return -1;
	}
	return 0;
}

static int
suite_clean(void)
{
	sec_tls_destroy(gw_ec);
	sec_tls_destroy(gw_rsa);
	sec_tls_destroy(gw_b);
	sec_tls_destroy(gw_b12);
	sec_tls_destroy(gw_b13);
	ident_free(&ec_a);
	ident_free(&ec_b);
	ident_free(&ec_x);
	ident_free(&rsa_a);
	ident_free(&rsa_small);
	ident_free(&ec_384);
	ident_free(&ec_old);
	ident_free(&ec_early);
	rmdir(tmpdir);
	return 0;
}

/* ---- raw OpenSSL peers and the handshake driver ---- */

static int
accept_any(int ok, X509_STORE_CTX *x)
{
	(void)ok;
	(void)x;
	return 1;
}

/* A permissive peer: security level 0, the versions and suites given
 * (NULL: OpenSSL's defaults), its certificate if id, and as a server it
 * asks for a client certificate and takes any. */
static SSL_CTX *
raw_ctx(bool server, const struct ident *id, int minv, int maxv,
	const char *ciphers, const char *suites)
{
	SSL_CTX *c = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());

	CU_ASSERT_FATAL(c != NULL);
	SSL_CTX_set_security_level(c, 0);
	CU_ASSERT_FATAL(SSL_CTX_set_min_proto_version(c, minv) == 1);
	CU_ASSERT_FATAL(SSL_CTX_set_max_proto_version(c, maxv) == 1);
	if (ciphers != NULL)
		CU_ASSERT_FATAL(SSL_CTX_set_cipher_list(c, ciphers) == 1);
	if (suites != NULL)
		CU_ASSERT_FATAL(SSL_CTX_set_ciphersuites(c, suites) == 1);
	if (id != NULL) {
		CU_ASSERT_FATAL(SSL_CTX_use_certificate(c, id->x) == 1);
		CU_ASSERT_FATAL(SSL_CTX_use_PrivateKey(c, id->pk) == 1);
	}
	if (server)
		SSL_CTX_set_verify(c, SSL_VERIFY_PEER, accept_any);
	return c;
}

static SSL *
raw_ssl(SSL_CTX *c, bool server)
{
	SSL *s = SSL_new(c);

	CU_ASSERT_FATAL(s != NULL);
	if (server)
		SSL_set_accept_state(s);
	else
		SSL_set_connect_state(s);
	return s;
}

struct side {
	SSL *ssl;
	bool done;                /* handshake completed */
	bool failed;              /* an SSL call failed for good */
	int err;                  /* SSL_get_error of that call */
	enum sec_tls_fail why;    /* sec_tls_fail_reason of it */
	int alert_recv;           /* last alert description, -1: none */
	int alert_sent;
	int sent[32];             /* handshake messages sent, by type */
};

static void
info_cb(const SSL *ssl, int where, int ret)
{
	struct side *s = SSL_get_app_data(ssl);

	if (s == NULL)
		return;
	if (where & SSL_CB_ALERT) {
		if (where & SSL_CB_READ)
			s->alert_recv = ret & 0xff;
		else
			s->alert_sent = ret & 0xff;
	}
}

static void
msg_cb(int write_p, int version, int content_type, const void *buf, size_t len,
       SSL *ssl, void *arg)
{
	struct side *s = SSL_get_app_data(ssl);
	const uint8_t *m = buf;

	(void)version;
	(void)arg;
	if (s != NULL && write_p && content_type == SSL3_RT_HANDSHAKE && len > 0 &&
			m[0] < 32)
		s->sent[m[0]]++;
}

/* Join client and server over a BIO pair; the sides take ownership. */
static void
pair(struct side *c, SSL *cs, struct side *s, SSL *ss)
{
	BIO *b1, *b2;
	struct side *v[2] = { c, s };
	SSL *l[2] = { cs, ss };
	int i;

	CU_ASSERT_FATAL(cs != NULL && ss != NULL);
	CU_ASSERT_FATAL(BIO_new_bio_pair(&b1, 0, &b2, 0) == 1);
	SSL_set_bio(cs, b1, b1);
	SSL_set_bio(ss, b2, b2);
	for (i = 0; i < 2; i++) {
		memset(v[i], 0, sizeof(*v[i]));
		v[i]->ssl = l[i];
		v[i]->alert_recv = -1;
		v[i]->alert_sent = -1;
		v[i]->why = SEC_TLS_OK;
		SSL_set_app_data(l[i], v[i]);
		SSL_set_info_callback(l[i], info_cb);
		SSL_set_msg_callback(l[i], msg_cb);
	}
}

/* One step: the handshake until it completes, then reads (which process
 * what comes after it: tickets, alerts, renegotiation). Failures are
 * classified at once: both sides share this thread's error queue. */
static void
step(struct side *s)
{
	char buf[256];
	int rc, e;

	if (s->failed)
		return;
	if (!s->done) {
		rc = SSL_do_handshake(s->ssl);
		if (rc == 1) {
			s->done = true;
			return;
		}
	} else {
		rc = SSL_read(s->ssl, buf, sizeof(buf));
		if (rc > 0)
			return;
	}
	e = SSL_get_error(s->ssl, rc);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
		return;
	s->failed = true;
	s->err = e;
	s->why = e == SSL_ERROR_SSL ? sec_tls_fail_reason(s->ssl) : SEC_TLS_FAIL_MAX;
	ERR_clear_error();
}

static void
drive(struct side *c, struct side *s)
{
	int i;

	for (i = 0; i < ROUNDS; i++) {
		step(c);
		step(s);
	}
}

static void
unpair(struct side *c, struct side *s)
{
	SSL_free(c->ssl);
	SSL_free(s->ssl);
	c->ssl = NULL;
	s->ssl = NULL;
	ERR_clear_error();
}

/* msg from a to b and back, byte for byte. */
static void
exchange(SSL *a, SSL *b)
{
	static const char m1[] = "MSRP a786hjs2 SEND\r\n";
	static const char m2[] = "MSRP a786hjs2 200 OK\r\n";
	char buf[64];

	CU_ASSERT_EQUAL(SSL_write(a, m1, sizeof(m1)), (int)sizeof(m1));
	CU_ASSERT_EQUAL(SSL_read(b, buf, sizeof(buf)), (int)sizeof(m1));
	CU_ASSERT(memcmp(buf, m1, sizeof(m1)) == 0);
	CU_ASSERT_EQUAL(SSL_write(b, m2, sizeof(m2)), (int)sizeof(m2));
	CU_ASSERT_EQUAL(SSL_read(a, buf, sizeof(buf)), (int)sizeof(m2));
	CU_ASSERT(memcmp(buf, m2, sizeof(m2)) == 0);
}

static bool
fp_is(SSL *ssl, const struct sec_fp *want)
{
	struct sec_fp got;

	return sec_tls_peer_fp(ssl, &got) == 0 && sec_fp_equal(&got, want);
}

/* ---- create ---- */

static void
test_create_and_local_fp(void)
{
	struct sec_fp fp, want;
	unsigned int h;

	for (h = 0; h < SEC_FP_HASH_MAX; h++) {
		CU_ASSERT_EQUAL_FATAL(x509_fp(ec_a.x, (enum sec_fp_hash)h, &want), 0);
		sec_tls_local_fp(gw_ec, (enum sec_fp_hash)h, &fp);
		CU_ASSERT(sec_fp_equal(&fp, &want));
		CU_ASSERT_EQUAL_FATAL(x509_fp(rsa_a.x, (enum sec_fp_hash)h, &want), 0);
		sec_tls_local_fp(gw_rsa, (enum sec_fp_hash)h, &fp);
		CU_ASSERT(sec_fp_equal(&fp, &want));
	}
	sec_tls_local_fp(gw_ec, SEC_FP_HASH_MAX, &fp);
	CU_ASSERT(sec_fp_equal(&fp, &ec_a.fp));
	/* another certificate, another fingerprint */
	sec_tls_local_fp(gw_b, SEC_FP_SHA256, &fp);
	CU_ASSERT(sec_fp_equal(&fp, &ec_b.fp));
	CU_ASSERT(!sec_fp_equal(&ec_a.fp, &ec_b.fp));
}

static void
expect_refused(const char *cert, const char *key, bool tls12, bool tls13,
	       const char *must_say)
{
	struct sec_tls_conf c = {
		.cert_file = cert, .key_file = key, .tls12 = tls12, .tls13 = tls13,
	};
	char err[256];
	struct sec_tls *t;

	memset(err, 0, sizeof(err));
	t = sec_tls_create(&c, err, sizeof(err));
	CU_ASSERT(t == NULL);
	sec_tls_destroy(t);
	if (strstr(err, must_say) == NULL)
		printf("\n  error '%s' does not say '%s'\n", err, must_say);
	CU_ASSERT(strstr(err, must_say) != NULL);
	/* never key material */
	CU_ASSERT(strstr(err, "BEGIN") == NULL);
	CU_ASSERT(strstr(err, "PRIVATE") == NULL);
	CU_ASSERT(ERR_peek_error() == 0);
}

static void
test_create_refused(void)
{
	char path[160], junk[160];
	FILE *f;

	expect_refused(rsa_small.cert, rsa_small.key, true, true,
			"RSA key of 1024 bits refused");
	expect_refused(ec_384.cert, ec_384.key, true, true, "(P-256 only)");
	expect_refused(ec_a.cert, ec_b.key, true, true, "does not match");
	expect_refused(rsa_a.cert, ec_a.key, true, true, "does not match");
	/* missing files: the text names the file */
	snprintf(path, sizeof(path), "%s/nonexistent.crt", tmpdir);
	expect_refused(path, ec_a.key, true, true, path);
	expect_refused(path, ec_a.key, true, true, "No such file");
	snprintf(path, sizeof(path), "%s/nonexistent.key", tmpdir);
	expect_refused(ec_a.cert, path, true, true, path);
	/* a key file as certificate, a certificate as key, junk, a directory */
	expect_refused(ec_a.key, ec_a.key, true, true, "no PEM certificate");
	expect_refused(ec_a.cert, ec_a.cert, true, true, "no unencrypted PEM private key");
	snprintf(junk, sizeof(junk), "%s/junk.pem", tmpdir);
	f = fopen(junk, "w");
	CU_ASSERT_FATAL(f != NULL);
	fputs("-----BEGIN CERTIFICATE-----\nnot base64 !\n-----END CERTIFICATE-----\n", f);
	fclose(f);
	expect_refused(junk, ec_a.key, true, true, "no PEM certificate");
	expect_refused(tmpdir, ec_a.key, true, true, "not a regular file");
	unlink(junk);
	/* an encrypted key is refused, not prompted for */
	snprintf(path, sizeof(path), "%s/enc.key", tmpdir);
	CU_ASSERT_FATAL(write_pem(path, NULL, ec_a.pk, "secret") == 0);
	expect_refused(ec_a.cert, path, true, true, "no unencrypted PEM private key");
	unlink(path);
	/* neither version, no files */
	expect_refused(ec_a.cert, ec_a.key, false, false, "neither TLS 1.2 nor TLS 1.3");
	expect_refused(NULL, ec_a.key, true, true, "no cert file");
	expect_refused(ec_a.cert, NULL, true, true, "no key file");
	CU_ASSERT(sec_tls_create(NULL, NULL, 0) == NULL);
}

static void
test_chain_file(void)
{
	char path[160], err[256];
	struct sec_tls_conf c = { .key_file = ec_a.key, .tls12 = true, .tls13 = true };
	struct sec_tls *t;
	struct sec_fp fp;
	BIO *b;

	/* leaf then one more certificate: accepted, fingerprint of the leaf */
	snprintf(path, sizeof(path), "%s/chain.crt", tmpdir);
	b = BIO_new_file(path, "w");
	CU_ASSERT_FATAL(b != NULL);
	CU_ASSERT(PEM_write_bio_X509(b, ec_a.x) == 1);
	CU_ASSERT(PEM_write_bio_X509(b, ec_b.x) == 1);
	BIO_free(b);
	c.cert_file = path;
	t = sec_tls_create(&c, err, sizeof(err));
	CU_ASSERT_FATAL(t != NULL);
	sec_tls_local_fp(t, SEC_FP_SHA256, &fp);
	CU_ASSERT(sec_fp_equal(&fp, &ec_a.fp));
	sec_tls_destroy(t);
	/* the leaf first: the other way round the key does not match */
	b = BIO_new_file(path, "w");
	CU_ASSERT_FATAL(b != NULL);
	CU_ASSERT(PEM_write_bio_X509(b, ec_b.x) == 1);
	CU_ASSERT(PEM_write_bio_X509(b, ec_a.x) == 1);
	BIO_free(b);
	expect_refused(path, ec_a.key, true, true, "does not match");
	/* a damaged second certificate */
	b = BIO_new_file(path, "w");
	CU_ASSERT_FATAL(b != NULL);
	CU_ASSERT(PEM_write_bio_X509(b, ec_a.x) == 1);
	BIO_puts(b, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
	BIO_free(b);
	expect_refused(path, ec_a.key, true, true, "bad certificate after the first");
	unlink(path);
}

/* Key files as tools write them: traditional RSA/EC PEM, EC parameters
 * before the key (openssl ecparam -genkey), certificate and key in one
 * file. Each loads, and the context hands out the certificate's
 * fingerprint. */
static void
test_key_formats(void)
{
	const struct ident *ids[2] = { &ec_a, &rsa_a };
	struct sec_tls_conf c = { .tls12 = true, .tls13 = true };
	char key[160], both[160], err[256];
	struct sec_tls *t;
	struct sec_fp fp;
	unsigned int i, form;
	int ok;
	BIO *b;

	snprintf(key, sizeof(key), "%s/form.key", tmpdir);
	snprintf(both, sizeof(both), "%s/both.pem", tmpdir);
	for (i = 0; i < 2; i++) {
		for (form = 0; form < 3; form++) {
			b = BIO_new_file(key, "w");
			CU_ASSERT_FATAL(b != NULL);
			if (form == 2 && i == 0) {
				CU_ASSERT(BIO_puts(b, "-----BEGIN EC PARAMETERS-----\n"
						"BggqhkjOPQMBBw==\n"
						"-----END EC PARAMETERS-----\n") > 0);
			}
			if (form == 0)
				ok = PEM_write_bio_PrivateKey(b, ids[i]->pk, NULL,
						NULL, 0, NULL, NULL);
			else
				ok = PEM_write_bio_PrivateKey_traditional(b, ids[i]->pk,
						NULL, NULL, 0, NULL, NULL);
			CU_ASSERT(ok == 1);
			BIO_free(b);
			c.cert_file = ids[i]->cert;
			c.key_file = key;
			t = sec_tls_create(&c, err, sizeof(err));
			if (t == NULL)
				printf("\n  form %u: %s\n", form, err);
			CU_ASSERT_FATAL(t != NULL);
			sec_tls_local_fp(t, SEC_FP_SHA256, &fp);
			CU_ASSERT(sec_fp_equal(&fp, &ids[i]->fp));
			sec_tls_destroy(t);
		}
		/* one file: key then certificate */
		b = BIO_new_file(both, "w");
		CU_ASSERT_FATAL(b != NULL);
		CU_ASSERT(PEM_write_bio_PrivateKey(b, ids[i]->pk, NULL, NULL, 0, NULL,
					NULL) == 1);
		CU_ASSERT(PEM_write_bio_X509(b, ids[i]->x) == 1);
		BIO_free(b);
		c.cert_file = both;
		c.key_file = both;
		t = sec_tls_create(&c, err, sizeof(err));
		CU_ASSERT_FATAL(t != NULL);
		sec_tls_local_fp(t, SEC_FP_SHA256, &fp);
		CU_ASSERT(sec_fp_equal(&fp, &ids[i]->fp));
		sec_tls_destroy(t);
	}
	unlink(key);
	unlink(both);
}

/* ---- the profile on the SSL objects ---- */

static void
test_profile(void)
{
	static const char *const allowed[] = {
		"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
		"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
		"ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
	};
	const uint64_t opts = SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION |
		SSL_OP_NO_TICKET;
	const long modes = SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
		SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER;
	STACK_OF(SSL_CIPHER) *sk;
	unsigned int i, server;
	SSL *s;

	for (server = 0; server < 2; server++) {
		s = sec_tls_ssl_new(gw_ec, server, &ec_b.fp, 1);
		CU_ASSERT_FATAL(s != NULL);
		CU_ASSERT_EQUAL(SSL_is_server(s), (int)server);
		CU_ASSERT_EQUAL(SSL_get_options(s) & opts, opts);
		CU_ASSERT_EQUAL(SSL_get_options(s) & SSL_OP_ENABLE_KTLS, 0);
		CU_ASSERT_EQUAL(SSL_get_mode(s) & modes, modes);
		CU_ASSERT_EQUAL(SSL_get_verify_mode(s), server ? SSL_VERIFY_PEER |
				SSL_VERIFY_FAIL_IF_NO_PEER_CERT | SSL_VERIFY_CLIENT_ONCE :
				SSL_VERIFY_PEER);
		CU_ASSERT_EQUAL(SSL_get_min_proto_version(s), TLS1_2_VERSION);
		CU_ASSERT_EQUAL(SSL_get_max_proto_version(s), TLS1_3_VERSION);
		CU_ASSERT_EQUAL(SSL_get_security_level(s), 2);
		CU_ASSERT_EQUAL(SSL_get_num_tickets(s), 0);
		CU_ASSERT_EQUAL(SSL_CTX_get_session_cache_mode(SSL_get_SSL_CTX(s)),
				SSL_SESS_CACHE_OFF);
		/* exactly the six suites, in this order */
		sk = SSL_get_ciphers(s);
		CU_ASSERT_EQUAL_FATAL(sk_SSL_CIPHER_num(sk), 6);
		for (i = 0; i < 6; i++)
			CU_ASSERT_STRING_EQUAL(SSL_CIPHER_get_name(
						sk_SSL_CIPHER_value(sk, (int)i)), allowed[i]);
		SSL_free(s);
	}
	/* one version only */
	s = sec_tls_ssl_new(gw_b12, false, &ec_a.fp, 1);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT_EQUAL(SSL_get_min_proto_version(s), TLS1_2_VERSION);
	CU_ASSERT_EQUAL(SSL_get_max_proto_version(s), TLS1_2_VERSION);
	SSL_free(s);
	s = sec_tls_ssl_new(gw_b13, false, &ec_a.fp, 1);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT_EQUAL(SSL_get_min_proto_version(s), TLS1_3_VERSION);
	CU_ASSERT_EQUAL(SSL_get_max_proto_version(s), TLS1_3_VERSION);
	SSL_free(s);
}

static void
test_ssl_new_args(void)
{
	struct sec_fp four[5] = { ec_x.fp, ec_x.fp, ec_x.fp, ec_b.fp, ec_b.fp };
	struct sec_fp bad = ec_b.fp;
	SSL *s;

	CU_ASSERT(sec_tls_ssl_new(gw_ec, true, four, 0) == NULL);
	CU_ASSERT(sec_tls_ssl_new(gw_ec, true, four, SEC_TLS_FP_MAX + 1) == NULL);
	CU_ASSERT(sec_tls_ssl_new(gw_ec, true, NULL, 1) == NULL);
	CU_ASSERT(sec_tls_ssl_new(NULL, true, four, 1) == NULL);
	bad.len = 20;
	CU_ASSERT(sec_tls_ssl_new(gw_ec, true, &bad, 1) == NULL);
	bad = ec_b.fp;
	bad.hash = SEC_FP_HASH_MAX;
	CU_ASSERT(sec_tls_ssl_new(gw_ec, false, &bad, 1) == NULL);
	s = sec_tls_ssl_new(gw_ec, true, four, SEC_TLS_FP_MAX);
	CU_ASSERT(s != NULL);
	SSL_free(s);
	CU_ASSERT(ERR_peek_error() == 0);
}

/* ---- handshakes between two of our contexts ---- */

static void
mutual(struct sec_tls *srv, const struct ident *srv_id, struct sec_tls *cli,
       const struct ident *cli_id, int version, const char *cipher)
{
	struct side c, s;
	struct sec_fp fp;

	pair(&c, sec_tls_ssl_new(cli, false, &srv_id->fp, 1),
			&s, sec_tls_ssl_new(srv, true, &cli_id->fp, 1));
	CU_ASSERT_EQUAL(sec_tls_peer_fp(s.ssl, &fp), -ENOENT);
	drive(&c, &s);
	CU_ASSERT(c.done && !c.failed);
	CU_ASSERT(s.done && !s.failed);
	CU_ASSERT_EQUAL(SSL_version(c.ssl), version);
	CU_ASSERT_EQUAL(SSL_version(s.ssl), version);
	CU_ASSERT_STRING_EQUAL(SSL_CIPHER_get_name(SSL_get_current_cipher(s.ssl)), cipher);
	CU_ASSERT(fp_is(s.ssl, &cli_id->fp));
	CU_ASSERT(fp_is(c.ssl, &srv_id->fp));
	CU_ASSERT_EQUAL(SSL_get_verify_result(s.ssl), X509_V_OK);
	CU_ASSERT_EQUAL(SSL_get_verify_result(c.ssl), X509_V_OK);
	CU_ASSERT_EQUAL(s.sent[SSL3_MT_SERVER_HELLO], 1);
	CU_ASSERT_EQUAL(s.sent[SSL3_MT_FINISHED], 1);
	CU_ASSERT_EQUAL(s.sent[SSL3_MT_NEWSESSION_TICKET], 0);
	CU_ASSERT_EQUAL(c.alert_recv, -1);
	CU_ASSERT_EQUAL(s.alert_recv, -1);
	CU_ASSERT(SSL_get_current_compression(s.ssl) == NULL);
	exchange(c.ssl, s.ssl);
	unpair(&c, &s);
}

static void
test_mutual_ecdsa(void)
{
	mutual(gw_ec, &ec_a, gw_b13, &ec_b, TLS1_3_VERSION, "TLS_AES_128_GCM_SHA256");
	mutual(gw_ec, &ec_a, gw_b12, &ec_b, TLS1_2_VERSION,
			"ECDHE-ECDSA-AES128-GCM-SHA256");
	mutual(gw_ec, &ec_a, gw_b, &ec_b, TLS1_3_VERSION, "TLS_AES_128_GCM_SHA256");
}

static void
test_mutual_rsa(void)
{
	mutual(gw_rsa, &rsa_a, gw_b13, &ec_b, TLS1_3_VERSION, "TLS_AES_128_GCM_SHA256");
	mutual(gw_rsa, &rsa_a, gw_b12, &ec_b, TLS1_2_VERSION,
			"ECDHE-RSA-AES128-GCM-SHA256");
	/* and the RSA context as the client */
	mutual(gw_b, &ec_b, gw_rsa, &rsa_a, TLS1_3_VERSION, "TLS_AES_128_GCM_SHA256");
}

static void
test_expect_set(void)
{
	const struct sec_fp sets[][3] = {
		{ ec_x.fp, ec_x.fp1, ec_b.fp },    /* third matches */
		{ ec_x.fp, ec_b.fp1, ec_x.fp1 },   /* SHA-1 entry matches */
	};
	struct sec_fp none[2] = { ec_x.fp, ec_x.fp1 };
	struct side c, s;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		pair(&c, sec_tls_ssl_new(gw_b, false, &ec_a.fp, 1),
				&s, sec_tls_ssl_new(gw_ec, true, sets[i], 3));
		drive(&c, &s);
		CU_ASSERT(c.done && !c.failed);
		CU_ASSERT(s.done && !s.failed);
		/* peer fp is SHA-256 whatever matched */
		CU_ASSERT(fp_is(s.ssl, &ec_b.fp));
		unpair(&c, &s);
	}
	pair(&c, sec_tls_ssl_new(gw_b, false, &ec_a.fp, 1),
			&s, sec_tls_ssl_new(gw_ec, true, none, 2));
	drive(&c, &s);
	CU_ASSERT(s.failed);
	CU_ASSERT_EQUAL(s.why, SEC_TLS_FAIL_FINGERPRINT);
	unpair(&c, &s);
}

/* The server expects another client certificate: FINGERPRINT on the
 * server, bad_certificate on the client. */
static void
test_client_fp_mismatch(void)
{
	struct sec_tls *cli[2] = { gw_b13, gw_b12 };
	struct sec_fp fp;
	struct side c, s;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		pair(&c, sec_tls_ssl_new(cli[i], false, &ec_a.fp, 1),
				&s, sec_tls_ssl_new(gw_ec, true, &ec_x.fp, 1));
		drive(&c, &s);
		CU_ASSERT(s.failed && !s.done);
		CU_ASSERT_EQUAL(s.err, SSL_ERROR_SSL);
		CU_ASSERT_EQUAL(s.why, SEC_TLS_FAIL_FINGERPRINT);
		CU_ASSERT_EQUAL(s.alert_sent, SSL_AD_BAD_CERTIFICATE);
		CU_ASSERT_EQUAL(SSL_get_verify_result(s.ssl), X509_V_ERR_CERT_REJECTED);
		CU_ASSERT_EQUAL(sec_tls_peer_fp(s.ssl, &fp), -ENOENT);
		/* the client learns it from the alert (TLS 1.3: after its
		 * own handshake finished) */
		CU_ASSERT(c.failed);
		CU_ASSERT_EQUAL(c.alert_recv, SSL_AD_BAD_CERTIFICATE);
		CU_ASSERT_EQUAL(c.why, SEC_TLS_FAIL_PROTOCOL);
		unpair(&c, &s);
	}
}

/* The gateway as client, a raw server with its own certificate (asks for
 * ours and takes any): matching and mismatching, both versions. */
static void
test_gw_client(void)
{
	const int vers[2] = { TLS1_3_VERSION, TLS1_2_VERSION };
	struct sec_fp local;
	struct side c, s;
	SSL_CTX *rc;
	X509 *peer;
	unsigned int i;

	sec_tls_local_fp(gw_ec, SEC_FP_SHA256, &local);
	for (i = 0; i < 2; i++) {
		rc = raw_ctx(true, &ec_b, vers[i], vers[i], NULL, NULL);
		pair(&c, sec_tls_ssl_new(gw_ec, false, &ec_b.fp, 1), &s, raw_ssl(rc, true));
		drive(&c, &s);
		CU_ASSERT(c.done && !c.failed);
		CU_ASSERT(s.done && !s.failed);
		CU_ASSERT_EQUAL(SSL_version(c.ssl), vers[i]);
		CU_ASSERT(fp_is(c.ssl, &ec_b.fp));
		/* the server got our certificate */
		peer = SSL_get0_peer_certificate(s.ssl);
		CU_ASSERT_FATAL(peer != NULL);
		CU_ASSERT(X509_cmp(peer, ec_a.x) == 0);
		exchange(c.ssl, s.ssl);
		unpair(&c, &s);

		/* the server is not who the MGC said */
		pair(&c, sec_tls_ssl_new(gw_ec, false, &ec_x.fp, 1), &s, raw_ssl(rc, true));
		drive(&c, &s);
		CU_ASSERT(c.failed && !c.done);
		CU_ASSERT_EQUAL(c.why, SEC_TLS_FAIL_FINGERPRINT);
		CU_ASSERT_EQUAL(c.alert_sent, SSL_AD_BAD_CERTIFICATE);
		CU_ASSERT(s.failed && !s.done);
		CU_ASSERT_EQUAL(s.alert_recv, SSL_AD_BAD_CERTIFICATE);
		unpair(&c, &s);
		SSL_CTX_free(rc);
	}
}

/* Certificates out of their dates are fine: the fingerprint authenticates. */
static void
test_dates_ignored(void)
{
	const struct ident *ids[2] = { &ec_old, &ec_early };
	struct sec_tls *t;
	struct side c, s;
	char err[256];
	unsigned int i;

	for (i = 0; i < 2; i++) {
		t = gw_make(ids[i], true, true, false, err, sizeof(err));
		CU_ASSERT_FATAL(t != NULL);
		/* as server and as client, facing our valid one */
		pair(&c, sec_tls_ssl_new(gw_b, false, &ids[i]->fp, 1),
				&s, sec_tls_ssl_new(t, true, &ec_b.fp, 1));
		drive(&c, &s);
		CU_ASSERT(c.done && !c.failed);
		CU_ASSERT(s.done && !s.failed);
		CU_ASSERT_EQUAL(SSL_get_verify_result(c.ssl), X509_V_OK);
		unpair(&c, &s);
		pair(&c, sec_tls_ssl_new(t, false, &ec_b.fp, 1),
				&s, sec_tls_ssl_new(gw_b, true, &ids[i]->fp, 1));
		drive(&c, &s);
		CU_ASSERT(c.done && !c.failed);
		CU_ASSERT(s.done && !s.failed);
		unpair(&c, &s);
		sec_tls_destroy(t);
	}
}

/* A client whose certificate matches but whose key is below the security
 * level (RSA 1024) is refused all the same. */
static void
test_weak_peer_key(void)
{
	struct side c, s;
	SSL_CTX *rc;

	rc = raw_ctx(false, &rsa_small, TLS1_2_VERSION, TLS1_3_VERSION, NULL, NULL);
	pair(&c, raw_ssl(rc, false), &s, sec_tls_ssl_new(gw_ec, true, &rsa_small.fp, 1));
	drive(&c, &s);
	CU_ASSERT(s.failed && !s.done);
	CU_ASSERT_EQUAL(s.why, SEC_TLS_FAIL_PROTOCOL);
	CU_ASSERT_EQUAL(s.alert_sent, SSL_AD_BAD_CERTIFICATE);
	CU_ASSERT_EQUAL(SSL_get_verify_result(s.ssl), X509_V_ERR_EE_KEY_TOO_SMALL);
	CU_ASSERT(c.failed);
	unpair(&c, &s);
	SSL_CTX_free(rc);
}

/* ---- refusals: no certificate, versions, suites ---- */

static void
test_no_client_cert(void)
{
	const int vers[2] = { TLS1_3_VERSION, TLS1_2_VERSION };
	/* TLS 1.3: certificate_required; 1.2: handshake_failure */
	const int alert[2] = { 116, SSL_AD_HANDSHAKE_FAILURE };
	struct side c, s;
	SSL_CTX *rc;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		rc = raw_ctx(false, NULL, vers[i], vers[i], NULL, NULL);
		pair(&c, raw_ssl(rc, false), &s, sec_tls_ssl_new(gw_ec, true, &ec_b.fp, 1));
		drive(&c, &s);
		CU_ASSERT(s.failed && !s.done);
		CU_ASSERT_EQUAL(s.why, SEC_TLS_FAIL_NO_CERT);
		CU_ASSERT_EQUAL(s.alert_sent, alert[i]);
		CU_ASSERT(c.failed);
		CU_ASSERT_EQUAL(c.alert_recv, alert[i]);
		unpair(&c, &s);
		SSL_CTX_free(rc);
	}
}

static void
test_old_versions(void)
{
	int v;
	struct side c, s;
	SSL_CTX *rc;

	/* a client limited to TLS 1.0/1.1 (security level 0, so it does try) */
	for (v = TLS1_VERSION; v <= TLS1_1_VERSION; v++) {
		rc = raw_ctx(false, &ec_b, TLS1_VERSION, v, "DEFAULT:@SECLEVEL=0", NULL);
		pair(&c, raw_ssl(rc, false), &s, sec_tls_ssl_new(gw_ec, true, &ec_b.fp, 1));
		drive(&c, &s);
		CU_ASSERT(s.failed && !s.done);
		CU_ASSERT_EQUAL(s.why, SEC_TLS_FAIL_VERSION);
		CU_ASSERT_EQUAL(s.alert_sent, SSL_AD_PROTOCOL_VERSION);
		CU_ASSERT(c.failed);
		CU_ASSERT_EQUAL(c.alert_recv, SSL_AD_PROTOCOL_VERSION);
		unpair(&c, &s);
		SSL_CTX_free(rc);
	}
	/* a server limited to TLS 1.1 facing our client */
	rc = raw_ctx(true, &ec_b, TLS1_VERSION, TLS1_1_VERSION, "DEFAULT:@SECLEVEL=0", NULL);
	pair(&c, sec_tls_ssl_new(gw_ec, false, &ec_b.fp, 1), &s, raw_ssl(rc, true));
	drive(&c, &s);
	CU_ASSERT(c.failed && !c.done);
	CU_ASSERT_EQUAL(c.why, SEC_TLS_FAIL_VERSION);
	CU_ASSERT(s.failed);
	unpair(&c, &s);
	SSL_CTX_free(rc);
	/* TLS 1.3 only against TLS 1.2 only, both ours */
	pair(&c, sec_tls_ssl_new(gw_b13, false, &ec_b.fp, 1),
			&s, sec_tls_ssl_new(gw_b12, true, &ec_b.fp, 1));
	drive(&c, &s);
	CU_ASSERT(s.failed && !s.done);
	CU_ASSERT_EQUAL(s.why, SEC_TLS_FAIL_VERSION);
	CU_ASSERT(c.failed);
	CU_ASSERT_EQUAL(c.why, SEC_TLS_FAIL_VERSION);
	unpair(&c, &s);
}

static void
test_weak_ciphers(void)
{
	static const char *const tls12[] = {
		"AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES128-SHA",
		"AES128-GCM-SHA256", "DHE-RSA-AES128-GCM-SHA256",
		"ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
		"ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES256-SHA384",
	};
	struct sec_tls *srv[2] = { gw_ec, gw_rsa };
	struct side c, s;
	SSL_CTX *rc;
	unsigned int i, k;

	/* against the ECDSA and the RSA server: each suite is usable with
	 * one of the two keys */
	for (k = 0; k < 2; k++) {
		for (i = 0; i < sizeof(tls12) / sizeof(tls12[0]); i++) {
			rc = raw_ctx(false, &ec_b, TLS1_2_VERSION, TLS1_2_VERSION,
					tls12[i], NULL);
			pair(&c, raw_ssl(rc, false),
					&s, sec_tls_ssl_new(srv[k], true, &ec_b.fp, 1));
			drive(&c, &s);
			CU_ASSERT(s.failed && !s.done);
			if (s.why != SEC_TLS_FAIL_CIPHER)
				printf("\n  %s: %s\n", tls12[i], sec_tls_fail_name(s.why));
			CU_ASSERT_EQUAL(s.why, SEC_TLS_FAIL_CIPHER);
			CU_ASSERT_EQUAL(c.alert_recv, SSL_AD_HANDSHAKE_FAILURE);
			unpair(&c, &s);
			SSL_CTX_free(rc);
		}
	}
	/* TLS 1.3 with ChaCha20 only */
	rc = raw_ctx(false, &ec_b, TLS1_3_VERSION, TLS1_3_VERSION, NULL,
			"TLS_CHACHA20_POLY1305_SHA256");
	pair(&c, raw_ssl(rc, false), &s, sec_tls_ssl_new(gw_ec, true, &ec_b.fp, 1));
	drive(&c, &s);
	CU_ASSERT(s.failed && !s.done);
	CU_ASSERT_EQUAL(s.why, SEC_TLS_FAIL_CIPHER);
	unpair(&c, &s);
	SSL_CTX_free(rc);
	/* no shared group (finite-field only) */
	rc = raw_ctx(false, &ec_b, TLS1_3_VERSION, TLS1_3_VERSION, NULL, NULL);
	CU_ASSERT_FATAL(SSL_CTX_set1_groups_list(rc, "ffdhe2048") == 1);
	pair(&c, raw_ssl(rc, false), &s, sec_tls_ssl_new(gw_ec, true, &ec_b.fp, 1));
	drive(&c, &s);
	CU_ASSERT(s.failed && !s.done);
	CU_ASSERT_EQUAL(s.why, SEC_TLS_FAIL_CIPHER);
	unpair(&c, &s);
	SSL_CTX_free(rc);
}

/* ---- renegotiation, tickets, resumption ---- */

static void
test_renegotiation(void)
{
	struct side c, s;
	SSL_CTX *rc;

	/* a TLS 1.2 client asks to renegotiate: the server answers
	 * no_renegotiation and sends no second ServerHello */
	rc = raw_ctx(false, &ec_b, TLS1_2_VERSION, TLS1_2_VERSION, NULL, NULL);
	pair(&c, raw_ssl(rc, false), &s, sec_tls_ssl_new(gw_ec, true, &ec_b.fp, 1));
	drive(&c, &s);
	CU_ASSERT_FATAL(c.done && s.done);
	CU_ASSERT_EQUAL(SSL_renegotiate(c.ssl), 1);
	SSL_do_handshake(c.ssl);
	ERR_clear_error();
	c.done = false;
	drive(&c, &s);
	CU_ASSERT_EQUAL(c.sent[SSL3_MT_CLIENT_HELLO], 2);
	CU_ASSERT_EQUAL(s.alert_sent, SSL_AD_NO_RENEGOTIATION);
	CU_ASSERT_EQUAL(s.sent[SSL3_MT_SERVER_HELLO], 1);
	CU_ASSERT_EQUAL(s.sent[SSL3_MT_FINISHED], 1);
	CU_ASSERT(c.failed && !c.done);
	unpair(&c, &s);
	SSL_CTX_free(rc);

	/* a TLS 1.2 server asks (HelloRequest): our client answers
	 * no_renegotiation and sends no second ClientHello */
	rc = raw_ctx(true, &ec_b, TLS1_2_VERSION, TLS1_2_VERSION, NULL, NULL);
	pair(&c, sec_tls_ssl_new(gw_ec, false, &ec_b.fp, 1), &s, raw_ssl(rc, true));
	drive(&c, &s);
	CU_ASSERT_FATAL(c.done && s.done);
	/* and it will not start one itself */
	CU_ASSERT_EQUAL(SSL_renegotiate(c.ssl), 0);
	ERR_clear_error();
	CU_ASSERT_EQUAL(SSL_renegotiate(s.ssl), 1);
	SSL_do_handshake(s.ssl);
	ERR_clear_error();
	drive(&c, &s);
	CU_ASSERT_EQUAL(s.sent[SSL3_MT_HELLO_REQUEST], 1);
	CU_ASSERT_EQUAL(c.alert_sent, SSL_AD_NO_RENEGOTIATION);
	CU_ASSERT_EQUAL(s.alert_recv, SSL_AD_NO_RENEGOTIATION);
	CU_ASSERT_EQUAL(c.sent[SSL3_MT_CLIENT_HELLO], 1);
	CU_ASSERT_EQUAL(c.sent[SSL3_MT_FINISHED], 1);
	unpair(&c, &s);
	SSL_CTX_free(rc);
}

static int tickets_seen;
static int sessions_seen;
static SSL_SESSION *kept;

static int
new_session_cb(SSL *ssl, SSL_SESSION *sess)
{
	(void)ssl;
	sessions_seen++;
	if (SSL_SESSION_has_ticket(sess))
		tickets_seen++;
	if (kept == NULL) {
		kept = sess;
		return 1;   /* we keep the reference */
	}
	return 0;
}

static SSL_CTX *
counting_client(int version)
{
	SSL_CTX *rc = raw_ctx(false, &ec_b, version, version, NULL, NULL);

	SSL_CTX_set_session_cache_mode(rc, SSL_SESS_CACHE_CLIENT |
			SSL_SESS_CACHE_NO_INTERNAL_STORE);
	SSL_CTX_sess_set_new_cb(rc, new_session_cb);
	return rc;
}

/* One handshake of rc against srv (NULL: raw_srv), resuming sess if
 * given. @return whether it resumed; *ok whether both ends completed,
 * *tickets how many NewSessionTickets the server sent, *out (if not NULL)
 * the client's session. */
static bool
ticket_run(SSL_CTX *rc, struct sec_tls *srv, SSL_CTX *raw_srv, SSL_SESSION *sess,
	   bool *ok, int *tickets, SSL_SESSION **out)
{
	struct side c, s;
	bool reused;
	SSL *cs = raw_ssl(rc, false);

	if (sess != NULL)
		CU_ASSERT(SSL_set_session(cs, sess) == 1);
	pair(&c, cs, &s, srv != NULL ? sec_tls_ssl_new(srv, true, &ec_b.fp, 1) :
			raw_ssl(raw_srv, true));
	drive(&c, &s);
	*ok = c.done && s.done && !c.failed && !s.failed;
	*tickets = s.sent[SSL3_MT_NEWSESSION_TICKET];
	reused = SSL_session_reused(c.ssl) || SSL_session_reused(s.ssl);
	if (out != NULL)
		*out = SSL_get1_session(c.ssl);
	unpair(&c, &s);
	return reused;
}

static void
test_no_tickets(void)
{
	SSL_SESSION *sess;
	SSL_CTX *rc, *raw_srv;
	int sent;
	bool ok;

	/* the counters work: a raw TLS 1.3 server sends two tickets and the
	 * client resumes with one */
	raw_srv = raw_ctx(true, &ec_a, TLS1_3_VERSION, TLS1_3_VERSION, NULL, NULL);
	SSL_CTX_set_session_id_context(raw_srv, (const unsigned char *)"t", 1);
	rc = counting_client(TLS1_3_VERSION);
	tickets_seen = sessions_seen = 0;
	CU_ASSERT(!ticket_run(rc, NULL, raw_srv, NULL, &ok, &sent, NULL));
	CU_ASSERT(ok);
	CU_ASSERT_EQUAL(sent, 2);
	CU_ASSERT_EQUAL(tickets_seen, 2);
	CU_ASSERT_FATAL(kept != NULL);
	CU_ASSERT(ticket_run(rc, NULL, raw_srv, kept, &ok, &sent, NULL));
	CU_ASSERT(ok);
	/* ...which ours does not take */
	CU_ASSERT(!ticket_run(rc, gw_ec, NULL, kept, &ok, &sent, NULL));
	CU_ASSERT(ok);
	SSL_SESSION_free(kept);
	kept = NULL;

	/* ours: TLS 1.3, no NewSessionTicket at all */
	tickets_seen = sessions_seen = 0;
	CU_ASSERT(!ticket_run(rc, gw_ec, NULL, NULL, &ok, &sent, NULL));
	CU_ASSERT(ok);
	CU_ASSERT_EQUAL(sent, 0);
	CU_ASSERT_EQUAL(sessions_seen, 0);
	CU_ASSERT_EQUAL(tickets_seen, 0);
	SSL_CTX_free(rc);

	/* TLS 1.2: no ticket, not even a session id (nothing the client could
	 * cache), and offering the session back does not resume */
	rc = counting_client(TLS1_2_VERSION);
	tickets_seen = sessions_seen = 0;
	CU_ASSERT(!ticket_run(rc, gw_ec, NULL, NULL, &ok, &sent, &sess));
	CU_ASSERT(ok);
	CU_ASSERT_EQUAL(sent, 0);
	CU_ASSERT_EQUAL(sessions_seen, 0);
	CU_ASSERT_EQUAL(tickets_seen, 0);
	CU_ASSERT_FATAL(sess != NULL);
	CU_ASSERT(!SSL_SESSION_has_ticket(sess));
	CU_ASSERT(!ticket_run(rc, gw_ec, NULL, sess, &ok, &sent, NULL));
	CU_ASSERT(ok);
	SSL_SESSION_free(sess);
	SSL_CTX_free(rc);
	SSL_CTX_free(raw_srv);
}

/* ---- lifetime, memory, names, kTLS ---- */

static void
test_destroy_while_live(void)
{
	struct sec_tls *a, *b;
	struct side c, s;
	char err[256];

	a = gw_make(&ec_a, true, true, false, err, sizeof(err));
	b = gw_make(&ec_b, true, true, false, err, sizeof(err));
	CU_ASSERT_FATAL(a != NULL && b != NULL);
	pair(&c, sec_tls_ssl_new(b, false, &ec_a.fp, 1), &s, sec_tls_ssl_new(a, true, &ec_b.fp, 1));
	sec_tls_destroy(a);
	sec_tls_destroy(b);
	sec_tls_destroy(NULL);
	drive(&c, &s);
	CU_ASSERT(c.done && !c.failed);
	CU_ASSERT(s.done && !s.failed);
	CU_ASSERT(fp_is(s.ssl, &ec_b.fp));
	exchange(c.ssl, s.ssl);
	unpair(&c, &s);
}

/* An established, idle pair; @return the bytes OpenSSL holds for it. */
static long
idle_pair_bytes(bool release)
{
	long before = mem_live, held;
	struct side c, s;

	pair(&c, sec_tls_ssl_new(gw_b, false, &ec_a.fp, 1), &s, sec_tls_ssl_new(gw_ec, true, &ec_b.fp, 1));
	if (!release) {
		SSL_clear_mode(c.ssl, SSL_MODE_RELEASE_BUFFERS);
		SSL_clear_mode(s.ssl, SSL_MODE_RELEASE_BUFFERS);
	}
	drive(&c, &s);
	CU_ASSERT(c.done && s.done);
	exchange(c.ssl, s.ssl);
	drive(&c, &s);
	held = mem_live - before;
	unpair(&c, &s);
	CU_ASSERT_EQUAL(mem_live, before);
	return held;
}

static void
test_idle_memory(void)
{
	long with, without, bio, before = mem_live;
	BIO *b1, *b2;

	if (!mem_counting) {
		printf("\n  OpenSSL memory functions not ours: skipped\n");
		return;
	}
	/* what the BIO pair itself holds (the relay has sockets instead) */
	CU_ASSERT_FATAL(BIO_new_bio_pair(&b1, 0, &b2, 0) == 1);
	bio = mem_live - before;
	BIO_free(b1);
	BIO_free(b2);
	with = idle_pair_bytes(true) - bio;
	without = idle_pair_bytes(false) - bio;
	printf("\n  idle established SSL: %ld bytes per end; without "
			"SSL_MODE_RELEASE_BUFFERS %ld\n", with / 2, without / 2);
	/* each end would keep a read and a write buffer of ~16.7 KB */
	CU_ASSERT(without - with >= 4 * 16 * 1024);
	CU_ASSERT(with / 2 < 32 * 1024);
}

static void
test_fail_names(void)
{
	static const char *const want[SEC_TLS_FAIL_MAX] = {
		"ok", "fingerprint", "no_cert", "version", "cipher", "protocol",
	};
	unsigned int i;

	for (i = 0; i < SEC_TLS_FAIL_MAX; i++)
		CU_ASSERT_STRING_EQUAL(sec_tls_fail_name((enum sec_tls_fail)i), want[i]);
	CU_ASSERT_STRING_EQUAL(sec_tls_fail_name(SEC_TLS_FAIL_MAX), "unknown");
	/* an empty error queue is a protocol failure */
	ERR_clear_error();
	CU_ASSERT_EQUAL(sec_tls_fail_reason(NULL), SEC_TLS_FAIL_PROTOCOL);
}

/* "tls" among the kernel's TCP ULPs, as /proc lists them now. */
static int
proc_has_tls_ulp(void)
{
	char buf[256], *tok, *save = NULL;
	FILE *f = fopen("/proc/sys/net/ipv4/tcp_available_ulp", "r");
	size_t n;

	if (f == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (tok = strtok_r(buf, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save))
		if (strcmp(tok, "tls") == 0)
			return 1;
	return 0;
}

static void
test_ktls(void)
{
	struct sec_tls *t;
	char err[256];
	int proc;
	SSL *s;

	t = gw_make(&ec_a, true, true, true, err, sizeof(err));
	CU_ASSERT_FATAL(t != NULL);
	proc = proc_has_tls_ulp();
	printf("\n  kTLS: probe %d, /proc tcp_available_ulp has tls: %d\n",
			sec_tls_ktls_available(t), proc);
#ifdef OPENSSL_NO_KTLS
	CU_ASSERT(!sec_tls_ktls_available(t));
#else
	if (proc >= 0)
		CU_ASSERT_EQUAL(sec_tls_ktls_available(t), proc == 1);
#endif
	CU_ASSERT_EQUAL(sec_tls_ktls_available(t), sec_tls_ktls_available(gw_ec));
	CU_ASSERT(!sec_tls_ktls_available(NULL));
	/* conf.ktls asks OpenSSL for it on both contexts */
	s = sec_tls_ssl_new(t, true, &ec_b.fp, 1);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT(SSL_get_options(s) & SSL_OP_ENABLE_KTLS);
	SSL_free(s);
	s = sec_tls_ssl_new(t, false, &ec_b.fp, 1);
	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT(SSL_get_options(s) & SSL_OP_ENABLE_KTLS);
	SSL_free(s);
	sec_tls_destroy(t);
}

int
main(void)
{
	CU_pSuite s;
	unsigned int f;

	/* before OpenSSL allocates anything */
	mem_counting = CRYPTO_set_mem_functions(mem_malloc, mem_realloc, mem_free) == 1;
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	s = CU_add_suite("sec_tls", suite_init, suite_clean);
	CU_add_test(s, "create, local fingerprint in every hash", test_create_and_local_fp);
	CU_add_test(s, "create refusals name the cause", test_create_refused);
	CU_add_test(s, "certificate chain file", test_chain_file);
	CU_add_test(s, "key file formats", test_key_formats);
	CU_add_test(s, "profile on the SSL objects", test_profile);
	CU_add_test(s, "ssl_new arguments", test_ssl_new_args);
	CU_add_test(s, "mutual ECDSA P-256, TLS 1.3 and 1.2", test_mutual_ecdsa);
	CU_add_test(s, "mutual RSA 2048, TLS 1.3 and 1.2", test_mutual_rsa);
	CU_add_test(s, "expected set, other hashes", test_expect_set);
	CU_add_test(s, "client fingerprint mismatch", test_client_fp_mismatch);
	CU_add_test(s, "gateway as client, match and mismatch", test_gw_client);
	CU_add_test(s, "validity dates ignored", test_dates_ignored);
	CU_add_test(s, "peer key below security level", test_weak_peer_key);
	CU_add_test(s, "no client certificate", test_no_client_cert);
	CU_add_test(s, "TLS 1.0/1.1 and version mismatch", test_old_versions);
	CU_add_test(s, "weak or non-ECDHE suites", test_weak_ciphers);
	CU_add_test(s, "renegotiation refused", test_renegotiation);
	CU_add_test(s, "no tickets, no resumption", test_no_tickets);
	CU_add_test(s, "destroy while an SSL lives", test_destroy_while_live);
	CU_add_test(s, "idle memory per session", test_idle_memory);
	CU_add_test(s, "failure names", test_fail_names);
	CU_add_test(s, "kTLS probe and option", test_ktls);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	f = CU_get_number_of_failures();
	/* a suite whose init failed counts as no failed assertion */
	if (CU_get_run_summary()->nSuitesFailed > 0)
		f++;
	CU_cleanup_registry();
	return f ? 1 : 0;
}
