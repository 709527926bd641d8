/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sec_tls: the gateway's certificate, the two SSL_CTXs of the TLS profile
 * (SPEC.md §2.5) and the peer check of TS 33.328 e2ae: the peer is whoever
 * holds the key of a certificate that hashes to a fingerprint the MGC gave
 * (RFC 8122). No CA is involved, so chain and date errors are not failures;
 * a certificate whose fingerprint matches none is (bad_certificate).
 *
 * Everything here but the per-SSL calls runs on the control thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "sec_tls.h"

/* SPEC.md §2.5: ECDHE and AEAD only; AES-128 first (3GPP's mandatory). */
#define TLS12_CIPHERS "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:" \
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384"
#define TLS13_SUITES "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384"
#define TLS_GROUPS "X25519:P-256:P-384"
/* Security level 2 (112 bits): the peer's key too (RSA >= 2048, EC >= 224),
 * no SHA-1 signatures in the handshake. Set here, not left to the distro. */
#define TLS_SECLEVEL 2
#define TLS_PEM_MAX (256 * 1024)   /* a PEM file larger than this is not ours */
#define TLS_CHAIN_MAX 8            /* certificates after the leaf */

struct sec_tls {
	SSL_CTX *srv;                        /* RO after create */
	SSL_CTX *cli;                        /* RO after create */
	struct sec_fp fp[SEC_FP_HASH_MAX];   /* our certificate in every hash */
	bool ktls;                           /* the probe's answer */
};

/* What one SSL is verified against, hung on it as ex_data at
 * sec_tls_ssl_new and freed with it. */
struct tls_peer {
	unsigned int n;                          /* RO */
	struct sec_fp expect[SEC_TLS_FP_MAX];    /* RO */
	bool mismatch;                           /* W: the SSL's thread */
};

static int tls_ex_idx = -1;
static CRYPTO_ONCE tls_ex_once = CRYPTO_ONCE_STATIC_INIT;

static void
tls_peer_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl,
	      void *argp)
{
	(void)parent;
	(void)ad;
	(void)idx;
	(void)argl;
	(void)argp;
	OPENSSL_free(ptr);
}

/* SSL_dup copies ex_data pointers: give the copy its own tls_peer, or the
 * two SSLs would free one. */
static int
tls_peer_dup(CRYPTO_EX_DATA *to, const CRYPTO_EX_DATA *from, void **from_d,
	     int idx, long argl, void *argp)
{
	(void)to;
	(void)from;
	(void)idx;
	(void)argl;
	(void)argp;
	if (*from_d == NULL)
		return 1;
	*from_d = OPENSSL_memdup(*from_d, sizeof(struct tls_peer));
	return *from_d != NULL;
}

static void
tls_ex_init(void)
{
	tls_ex_idx = SSL_get_ex_new_index(0, NULL, NULL, tls_peer_dup, tls_peer_free);
}

static struct tls_peer *
tls_peer_of(const SSL *ssl)
{
	if (ssl == NULL || tls_ex_idx < 0)
		return NULL;
	return SSL_get_ex_data(ssl, tls_ex_idx);
}

/* err = the formatted text; with ossl, then OpenSSL's reason for its last
 * error (reason strings carry no key material). The thread's error queue
 * is cleared either way. */
__attribute__((format(printf, 4, 5))) static void
tls_err_fmt(char *err, size_t errlen, bool ossl, const char *fmt, ...)
{
	unsigned long e = ossl ? ERR_peek_last_error() : 0;
	const char *why = e ? ERR_reason_error_string(e) : NULL;
	va_list ap;
	int n;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		n = vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
		if (why != NULL && n >= 0 && (size_t)n < errlen)
			snprintf(err + n, errlen - (size_t)n, " (%s)", why);
	}
	ERR_clear_error();
}

#define tls_err(err, errlen, ...) tls_err_fmt(err, errlen, false, __VA_ARGS__)
#define tls_err_ssl(err, errlen, ...) tls_err_fmt(err, errlen, true, __VA_ARGS__)

/* A whole PEM file in a buffer of our own: stdio would leave key text in
 * a buffer nobody cleanses. The caller cleanses and frees *buf. */
static int
pem_read_file(const char *path, const char *what, char **buf, size_t *len,
	      char *err, size_t errlen)
{
	struct stat st;
	size_t got = 0;
	ssize_t r;
	char *b;
	int fd;

	*buf = NULL;
	if (path == NULL || path[0] == '\0') {
		tls_err(err, errlen, "no %s file configured", what);
		return -EINVAL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		tls_err(err, errlen, "%s file %s: %s", what, path, strerror(e));
		return -e;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
			st.st_size > TLS_PEM_MAX) {
		close(fd);
		tls_err(err, errlen, "%s file %s: not a regular file of 1 to %d bytes",
				what, path, TLS_PEM_MAX);
		return -EINVAL;
	}
	b = OPENSSL_malloc((size_t)st.st_size);
	if (b == NULL) {
		close(fd);
		tls_err(err, errlen, "%s file %s: out of memory", what, path);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		r = read(fd, b + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != (size_t)st.st_size) {
		OPENSSL_clear_free(b, (size_t)st.st_size);
		tls_err(err, errlen, "%s file %s: short read", what, path);
		return -EIO;
	}
	*buf = b;
	*len = got;
	return 0;
}

/* The leaf and up to TLS_CHAIN_MAX certificates after it. */
static int
load_cert(const char *path, X509 **leaf, STACK_OF(X509) **chain, char *err,
	  size_t errlen)
{
	BIO *bio = NULL;
	unsigned long e;
	X509 *x;
	char *buf;
	size_t len;
	int rc;

	*leaf = NULL;
	*chain = NULL;
	rc = pem_read_file(path, "cert", &buf, &len, err, errlen);
	if (rc != 0)
		return rc;
	rc = -EINVAL;
	bio = BIO_new_mem_buf(buf, (int)len);
	*chain = sk_X509_new_null();
	if (bio == NULL || *chain == NULL) {
		tls_err_ssl(err, errlen, "cert file %s: out of memory", path);
		goto out;
	}
	*leaf = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	if (*leaf == NULL) {
		tls_err_ssl(err, errlen, "cert file %s: no PEM certificate", path);
		goto out;
	}
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (sk_X509_num(*chain) >= TLS_CHAIN_MAX || !sk_X509_push(*chain, x)) {
			X509_free(x);
			tls_err(err, errlen, "cert file %s: more than %d chain certificates",
					path, TLS_CHAIN_MAX);
			goto out;
		}
	}
	/* the loop ends on "no start line" at the end of the file; anything
	 * else is a damaged certificate */
	e = ERR_peek_last_error();
	if (ERR_GET_LIB(e) != ERR_LIB_PEM || ERR_GET_REASON(e) != PEM_R_NO_START_LINE) {
		tls_err_ssl(err, errlen, "cert file %s: bad certificate after the first",
				path);
		goto out;
	}
	ERR_clear_error();
	rc = 0;
out:
	BIO_free(bio);
	/* the file may hold the key too */
	OPENSSL_clear_free(buf, len);
	if (rc != 0) {
		X509_free(*leaf);
		*leaf = NULL;
		sk_X509_pop_free(*chain, X509_free);
		*chain = NULL;
	}
	return rc;
}

/* Encrypted keys are refused rather than prompting on a terminal. */
static int
no_password(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

static EVP_PKEY *
load_key(const char *path, char *err, size_t errlen)
{
	EVP_PKEY *pk = NULL;
	BIO *bio;
	char *buf;
	size_t len;

	if (pem_read_file(path, "key", &buf, &len, err, errlen) != 0)
		return NULL;
	bio = BIO_new_mem_buf(buf, (int)len);
	if (bio != NULL)
		pk = PEM_read_bio_PrivateKey(bio, NULL, no_password, NULL);
	BIO_free(bio);
	OPENSSL_clear_free(buf, len);
	if (pk == NULL)
		tls_err_ssl(err, errlen, "key file %s: no unencrypted PEM private key", path);
	return pk;
}

/* SPEC.md §2.5 / issue 12: ECDSA P-256 or RSA of 2048 bits or more. */
static int
check_key_type(EVP_PKEY *pk, const char *path, char *err, size_t errlen)
{
	char group[64];
	size_t glen = 0;
	int nid;

	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_RSA:
		if (EVP_PKEY_get_bits(pk) < 2048) {
			tls_err(err, errlen, "key file %s: RSA key of %d bits refused "
					"(at least 2048)", path, EVP_PKEY_get_bits(pk));
			return -EINVAL;
		}
		return 0;
	case EVP_PKEY_EC:
		if (EVP_PKEY_get_group_name(pk, group, sizeof(group), &glen) != 1) {
			tls_err(err, errlen, "key file %s: EC key without a named curve "
					"refused (P-256 only)", path);
			return -EINVAL;
		}
		nid = OBJ_txt2nid(group);
		if (nid == NID_undef)
			nid = EC_curve_nist2nid(group);
		if (nid != NID_X9_62_prime256v1) {
			tls_err(err, errlen, "key file %s: EC key on curve %s refused "
					"(P-256 only)", path, group);
			return -EINVAL;
		}
		return 0;
	default:
		tls_err(err, errlen, "key file %s: %s key refused (ECDSA P-256 or "
				"RSA >= 2048 bits)", path, EVP_PKEY_get0_type_name(pk) ?
				EVP_PKEY_get0_type_name(pk) : "unknown");
		return -EINVAL;
	}
}

static int
cert_fp(X509 *x, enum sec_fp_hash hash, struct sec_fp *fp)
{
	unsigned char *der = NULL;
	int len = i2d_X509(x, &der);
	int rc;

	if (len <= 0)
		return -EINVAL;
	rc = sec_fp_of_der(hash, der, (size_t)len, fp);
	OPENSSL_free(der);
	return rc;
}

static bool
leaf_matches(X509 *leaf, const struct tls_peer *p)
{
	struct sec_fp got[SEC_FP_HASH_MAX];
	bool have[SEC_FP_HASH_MAX] = { false };
	bool match = false;
	unsigned int i;

	for (i = 0; i < p->n; i++) {
		enum sec_fp_hash h = p->expect[i].hash;

		if (!have[h]) {
			if (cert_fp(leaf, h, &got[h]) != 0)
				return false;
			have[h] = true;
		}
		if (sec_fp_equal(&got[h], &p->expect[i]))
			match = true;
	}
	return match;
}

/*
 * Chain verification policy (X509_verify_cert's callback). The chain
 * authenticates nothing here, so what only a CA would settle is not an
 * error: self-signed or unknown issuer, a purpose the certificate does not
 * list, and the validity dates (TS 33.328: the fingerprint authenticates;
 * UEs' self-signed certificates are seldom renewed). Everything else about
 * the leaf still fails, notably a key below the security level
 * (X509_V_ERR_EE_KEY_TOO_SMALL). Errors above the leaf are ignored.
 */
static int
tls_verify_cb(int ok, X509_STORE_CTX *x)
{
	if (ok || X509_STORE_CTX_get_error_depth(x) > 0)
		return 1;
	switch (X509_STORE_CTX_get_error(x)) {
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_CERT_UNTRUSTED:
	case X509_V_ERR_INVALID_PURPOSE:
	case X509_V_ERR_CERT_HAS_EXPIRED:
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return 1;
	default:
		return 0;
	}
}

/*
 * The whole peer check, run once per handshake in place of OpenSSL's
 * X509_verify_cert: the leaf's fingerprint first (mismatch: CERT_REJECTED,
 * which OpenSSL sends as bad_certificate), then the chain under
 * tls_verify_cb's policy. Returning 0 fails the handshake; never -1, which
 * OpenSSL 3 takes as "retry verification later".
 */
static int
tls_cert_verify(X509_STORE_CTX *x, void *arg)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(x, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct tls_peer *p = tls_peer_of(ssl);
	X509 *leaf = X509_STORE_CTX_get0_cert(x);

	(void)arg;
	if (p == NULL || leaf == NULL) {
		X509_STORE_CTX_set_error(x, X509_V_ERR_APPLICATION_VERIFICATION);
		return 0;
	}
	if (!leaf_matches(leaf, p)) {
		p->mismatch = true;
		X509_STORE_CTX_set_current_cert(x, leaf);
		X509_STORE_CTX_set_error_depth(x, 0);
		X509_STORE_CTX_set_error(x, X509_V_ERR_CERT_REJECTED);
		return 0;
	}
	if (X509_verify_cert(x) <= 0) {
		if (X509_STORE_CTX_get_error(x) == X509_V_OK)
			X509_STORE_CTX_set_error(x, X509_V_ERR_UNSPECIFIED);
		return 0;
	}
	/* tolerated chain errors leave their code behind: the peer is
	 * authenticated, so SSL_get_verify_result() says so */
	X509_STORE_CTX_set_error(x, X509_V_OK);
	return 1;
}

static SSL_CTX *
ctx_new(const struct sec_tls_conf *conf, bool server, X509 *leaf,
	STACK_OF(X509) *chain, EVP_PKEY *pk, char *err, size_t errlen)
{
	static const unsigned char sid_ctx[] = "imsagw-msrp";
	uint64_t opts = SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION |
		SSL_OP_NO_TICKET | SSL_OP_CIPHER_SERVER_PREFERENCE;
	const char *role = server ? "server" : "client";
	SSL_CTX *c;

	c = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
	if (c == NULL) {
		tls_err_ssl(err, errlen, "TLS %s context", role);
		return NULL;
	}
	if (conf->ktls)
		opts |= SSL_OP_ENABLE_KTLS;
	SSL_CTX_set_options(c, opts);
	SSL_CTX_set_security_level(c, TLS_SECLEVEL);
	/* RELEASE_BUFFERS: an idle connection holds no record buffers (the
	 * relay keeps many idle sessions); PARTIAL_WRITE and
	 * ACCEPT_MOVING_WRITE_BUFFER: the relay writes from a ring buffer */
	SSL_CTX_set_mode(c, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
			SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	/* no resumption of any kind: each connection is authenticated by its
	 * own certificate against its own Remote fingerprints */
	SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
	if (SSL_CTX_set_num_tickets(c, 0) != 1 ||
			SSL_CTX_set_min_proto_version(c, conf->tls12 ? TLS1_2_VERSION :
				TLS1_3_VERSION) != 1 ||
			SSL_CTX_set_max_proto_version(c, conf->tls13 ? TLS1_3_VERSION :
				TLS1_2_VERSION) != 1 ||
			SSL_CTX_set_cipher_list(c, TLS12_CIPHERS) != 1 ||
			SSL_CTX_set_ciphersuites(c, TLS13_SUITES) != 1 ||
			SSL_CTX_set1_groups_list(c, TLS_GROUPS) != 1 ||
			SSL_CTX_set_session_id_context(c, sid_ctx, sizeof(sid_ctx) - 1) != 1) {
		tls_err_ssl(err, errlen, "TLS %s context: profile refused", role);
		goto fail;
	}
	if (SSL_CTX_use_certificate(c, leaf) != 1 || SSL_CTX_set1_chain(c, chain) != 1 ||
			SSL_CTX_use_PrivateKey(c, pk) != 1 ||
			SSL_CTX_check_private_key(c) != 1) {
		tls_err_ssl(err, errlen, "TLS %s context: certificate or key refused", role);
		goto fail;
	}
	SSL_CTX_set_verify(c, server ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT |
			SSL_VERIFY_CLIENT_ONCE : SSL_VERIFY_PEER, tls_verify_cb);
	SSL_CTX_set_cert_verify_callback(c, tls_cert_verify, NULL);
	return c;
fail:
	SSL_CTX_free(c);
	return NULL;
}

/* Whether "tls" is among the kernel's TCP ULPs. Asking for it on a fresh,
 * unconnected socket loads the module where we may (CAP_NET_ADMIN) and then
 * fails either way (ENOTCONN: it exists; ENOENT: it does not); the list in
 * /proc is the answer, the errno where /proc cannot be read. */
static bool
kernel_tls_ulp(void)
{
	char buf[256], *tok, *save = NULL;
	int fd, rc = -1, e = ENOENT;
	ssize_t n;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		rc = setsockopt(fd, IPPROTO_TCP, TCP_ULP, "tls", sizeof("tls"));
		e = errno;
		close(fd);
	}
	fd = open("/proc/sys/net/ipv4/tcp_available_ulp", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return rc == 0 || e == ENOTCONN;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return rc == 0 || e == ENOTCONN;
	buf[n] = '\0';
	for (tok = strtok_r(buf, " \t\n", &save); tok != NULL;
			tok = strtok_r(NULL, " \t\n", &save))
		if (strcmp(tok, "tls") == 0)
			return true;
	return false;
}

static bool
ktls_probe(void)
{
#ifdef OPENSSL_NO_KTLS
	return false;
#else
	return kernel_tls_ulp();
#endif
}

struct sec_tls *
sec_tls_create(const struct sec_tls_conf *conf, char *err, size_t errlen)
{
	STACK_OF(X509) *chain = NULL;
	struct sec_tls *t = NULL;
	EVP_PKEY *pk = NULL;
	X509 *leaf = NULL;
	unsigned int h;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	/* what is in the queue now is not ours to report */
	ERR_clear_error();
	if (conf == NULL || (!conf->tls12 && !conf->tls13)) {
		tls_err(err, errlen, "TLS: neither TLS 1.2 nor TLS 1.3 enabled");
		return NULL;
	}
	if (!CRYPTO_THREAD_run_once(&tls_ex_once, tls_ex_init) || tls_ex_idx < 0) {
		tls_err_ssl(err, errlen, "TLS: no SSL ex_data index");
		return NULL;
	}
	if (load_cert(conf->cert_file, &leaf, &chain, err, errlen) != 0)
		return NULL;
	pk = load_key(conf->key_file, err, errlen);
	if (pk == NULL || check_key_type(pk, conf->key_file, err, errlen) != 0)
		goto fail;
	if (X509_check_private_key(leaf, pk) != 1) {
		tls_err_ssl(err, errlen, "key file %s does not match the certificate of %s",
				conf->key_file, conf->cert_file);
		goto fail;
	}
	t = OPENSSL_zalloc(sizeof(*t));
	if (t == NULL) {
		tls_err(err, errlen, "TLS: out of memory");
		goto fail;
	}
	for (h = 0; h < SEC_FP_HASH_MAX; h++) {
		if (cert_fp(leaf, (enum sec_fp_hash)h, &t->fp[h]) != 0) {
			tls_err_ssl(err, errlen, "cert file %s: cannot encode the certificate",
					conf->cert_file);
			goto fail;
		}
	}
	t->srv = ctx_new(conf, true, leaf, chain, pk, err, errlen);
	if (t->srv == NULL)
		goto fail;
	t->cli = ctx_new(conf, false, leaf, chain, pk, err, errlen);
	if (t->cli == NULL)
		goto fail;
	t->ktls = ktls_probe();
	X509_free(leaf);
	sk_X509_pop_free(chain, X509_free);
	EVP_PKEY_free(pk);
	return t;
fail:
	sec_tls_destroy(t);
	X509_free(leaf);
	sk_X509_pop_free(chain, X509_free);
	EVP_PKEY_free(pk);
	return NULL;
}

void
sec_tls_destroy(struct sec_tls *t)
{
	if (t == NULL)
		return;
	/* each SSL holds a reference on its SSL_CTX (and so on the key) */
	SSL_CTX_free(t->srv);
	SSL_CTX_free(t->cli);
	OPENSSL_free(t);
}

void
sec_tls_local_fp(const struct sec_tls *t, enum sec_fp_hash hash, struct sec_fp *fp)
{
	*fp = t->fp[(unsigned int)hash < SEC_FP_HASH_MAX ? hash : SEC_FP_SHA256];
}

bool
sec_tls_ktls_available(const struct sec_tls *t)
{
	return t != NULL && t->ktls;
}

SSL *
sec_tls_ssl_new(struct sec_tls *t, bool server, const struct sec_fp *expect,
		unsigned int n_expect)
{
	struct tls_peer *p;
	unsigned int i;
	SSL *ssl;

	if (t == NULL || expect == NULL || n_expect == 0 || n_expect > SEC_TLS_FP_MAX)
		return NULL;
	for (i = 0; i < n_expect; i++)
		if (!sec_fp_equal(&expect[i], &expect[i]))  /* not a valid fp */
			return NULL;
	p = OPENSSL_zalloc(sizeof(*p));
	if (p == NULL)
		return NULL;
	p->n = n_expect;
	memcpy(p->expect, expect, n_expect * sizeof(*expect));
	ssl = SSL_new(server ? t->srv : t->cli);
	if (ssl == NULL || !SSL_set_ex_data(ssl, tls_ex_idx, p)) {
		OPENSSL_free(p);
		SSL_free(ssl);
		return NULL;
	}
	if (server)
		SSL_set_accept_state(ssl);
	else
		SSL_set_connect_state(ssl);
	return ssl;
}

static enum sec_tls_fail
fail_of_reason(int reason)
{
	switch (reason) {
	case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE:
		return SEC_TLS_FAIL_NO_CERT;
	case SSL_R_UNSUPPORTED_PROTOCOL:
	case SSL_R_UNSUPPORTED_SSL_VERSION:
	case SSL_R_VERSION_TOO_LOW:
	case SSL_R_VERSION_TOO_HIGH:
	case SSL_R_WRONG_SSL_VERSION:
	case SSL_R_NO_PROTOCOLS_AVAILABLE:
	case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
		return SEC_TLS_FAIL_VERSION;
	case SSL_R_NO_SHARED_CIPHER:
	case SSL_R_NO_CIPHERS_AVAILABLE:
	case SSL_R_WRONG_CIPHER_RETURNED:
	case SSL_R_NO_SHARED_GROUPS:
	case SSL_R_NO_SUITABLE_KEY_SHARE:
	case SSL_R_NO_SHARED_SIGNATURE_ALGORITHMS:
	case SSL_R_NO_SUITABLE_SIGNATURE_ALGORITHM:
		return SEC_TLS_FAIL_CIPHER;
	default:
		return SEC_TLS_FAIL_PROTOCOL;
	}
}

enum sec_tls_fail
sec_tls_fail_reason(SSL *ssl)
{
	const struct tls_peer *p = tls_peer_of(ssl);
	enum sec_tls_fail f = SEC_TLS_FAIL_PROTOCOL;
	unsigned long e;

	if (p != NULL && p->mismatch) {
		f = SEC_TLS_FAIL_FINGERPRINT;
	} else {
		while ((e = ERR_get_error()) != 0) {
			if (ERR_GET_LIB(e) != ERR_LIB_SSL)
				continue;
			f = fail_of_reason(ERR_GET_REASON(e));
			if (f != SEC_TLS_FAIL_PROTOCOL)
				break;
		}
	}
	ERR_clear_error();
	return f;
}

const char *
sec_tls_fail_name(enum sec_tls_fail f)
{
	static const char *const names[SEC_TLS_FAIL_MAX] = {
		[SEC_TLS_OK] = "ok",
		[SEC_TLS_FAIL_FINGERPRINT] = "fingerprint",
		[SEC_TLS_FAIL_NO_CERT] = "no_cert",
		[SEC_TLS_FAIL_VERSION] = "version",
		[SEC_TLS_FAIL_CIPHER] = "cipher",
		[SEC_TLS_FAIL_PROTOCOL] = "protocol",
	};

	return (unsigned int)f < SEC_TLS_FAIL_MAX ? names[f] : "unknown";
}

int
sec_tls_peer_fp(SSL *ssl, struct sec_fp *fp)
{
	X509 *x;

	memset(fp, 0, sizeof(*fp));
	if (ssl == NULL || !SSL_is_init_finished(ssl))
		return -ENOENT;
	x = SSL_get0_peer_certificate(ssl);
	if (x == NULL || cert_fp(x, SEC_FP_SHA256, fp) != 0)
		return -ENOENT;
	return 0;
}
