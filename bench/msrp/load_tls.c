/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * imsagw-msrp-load: TLS as TS 33.328 e2ae has it between UE and gateway:
 * self-signed certificates on both sides, no CA; each end checks the
 * other's SHA-256 fingerprint itself. The profile measured is the issue's:
 * ECDHE on P-256 with ECDSA P-256 certificates, AES-128-GCM, mutual, every
 * handshake full (no session cache, no tickets).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "load.h"

/* No CA: whatever chain the peer shows is accepted here, and its leaf is
 * checked against the fingerprint after the handshake (load_tls_peer_ok). */
static int
accept_any(int ok, X509_STORE_CTX *x)
{
	(void)ok;
	(void)x;
	return 1;
}

SSL_CTX *
load_tls_ctx(const struct load_opts *o, bool server)
{
	SSL_CTX *c = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
	int vmin = o->tls_version ? o->tls_version : TLS1_2_VERSION;
	int vmax = o->tls_version ? o->tls_version : TLS1_3_VERSION;

	if (c == NULL)
		return NULL;
	SSL_CTX_set_options(c, SSL_OP_NO_TICKET | SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
	SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_mode(c, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
				    SSL_MODE_RELEASE_BUFFERS);
	if (SSL_CTX_set_min_proto_version(c, vmin) != 1 ||
	    SSL_CTX_set_max_proto_version(c, vmax) != 1 ||
	    SSL_CTX_set_cipher_list(c, "ECDHE-ECDSA-AES128-GCM-SHA256") != 1 ||
	    SSL_CTX_set_ciphersuites(c, "TLS_AES_128_GCM_SHA256") != 1 ||
	    SSL_CTX_set1_groups_list(c, "P-256") != 1 ||
	    (server && SSL_CTX_set_num_tickets(c, 0) != 1))
		goto fail;
	if (o->cert != NULL &&
	    (SSL_CTX_use_certificate_chain_file(c, o->cert) != 1 ||
	     SSL_CTX_use_PrivateKey_file(c, o->key != NULL ? o->key : o->cert, SSL_FILETYPE_PEM) != 1 ||
	     SSL_CTX_check_private_key(c) != 1))
		goto fail;
	SSL_CTX_set_verify(c,
			   server ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT : SSL_VERIFY_PEER,
			   accept_any);
	return c;
fail:
	fprintf(stderr, "msrp-load: TLS context: ");
	ERR_print_errors_fp(stderr);
	SSL_CTX_free(c);
	return NULL;
}

static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

int
load_parse_fp(const char *s, uint8_t fp[32])
{
	unsigned int n = 0;
	int hi = -1;

	if (strncasecmp(s, "SHA-256", 7) == 0)
		s += 7;
	for (; *s != '\0'; s++) {
		int v = hexval((unsigned char)*s);

		if (v < 0) {
			if (*s == ':' || *s == ' ' || *s == '+')
				continue;
			return -1;
		}
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == 32)
			return -1;
		fp[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return n == 32 && hi < 0 ? 0 : -1;
}

int
load_tls_peer_ok(SSL *ssl, const struct load_opts *o)
{
	X509 *peer = SSL_get1_peer_certificate(ssl);
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int ok;

	if (peer == NULL)
		return 0;
	ok = X509_digest(peer, EVP_sha256(), md, &mdlen) == 1 && mdlen == 32 &&
	     (!o->have_fp || CRYPTO_memcmp(md, o->fp, 32) == 0);
	X509_free(peer);
	return ok;
}

long
load_read(int fd, SSL *ssl, struct lbuf *b, size_t max)
{
	long got = 0;

	for (;;) {
		ssize_t r;

		if (load_buf_reserve(b, 16384) < 0)
			return -1;
		if (ssl != NULL) {
			size_t n = 0;
			int rc = SSL_read_ex(ssl, b->p + b->len, b->cap - b->len, &n);

			if (rc != 1) {
				int e = SSL_get_error(ssl, rc);

				if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
					return got;
				ERR_clear_error();
				return -1;
			}
			r = (ssize_t)n;
		} else {
			r = read(fd, b->p + b->len, b->cap - b->len);
			if (r < 0)
				return errno == EAGAIN || errno == EINTR ? got : -1;
			if (r == 0)
				return -1;
		}
		b->len += (size_t)r;
		got += r;
		if ((size_t)got >= max)
			return got;
	}
}

long
load_write(int fd, SSL *ssl, const char *p, size_t n)
{
	ssize_t r;

	if (ssl != NULL) {
		size_t w = 0;
		int rc = SSL_write_ex(ssl, p, n, &w);

		if (rc == 1)
			return (long)w;
		rc = SSL_get_error(ssl, rc);
		if (rc == SSL_ERROR_WANT_WRITE || rc == SSL_ERROR_WANT_READ)
			return 0;
		ERR_clear_error();
		return -1;
	}
	r = write(fd, p, n);
	if (r < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	return r;
}
