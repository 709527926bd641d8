/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TLS on a leg (the access side of MSRP e2ae, TS 33.328; SPEC.md §2): the
 * SSL object sec_tls makes for the leg's role and Remote fingerprints, a
 * non-blocking handshake re-armed in epoll for what OpenSSL waits for,
 * records in and out, and close_notify.
 *
 * The profile (versions, suites, no renegotiation, no compression, no
 * tickets, client certificate required, the fingerprint check) is
 * sec_tls's, and so are the modes the relay relies on: partial writes (a
 * full socket returns what was sent; the relay keeps the rest in its own
 * buffer), a moving write buffer (the relay's ring may hand the same bytes
 * back from another address after a wrap) and released buffers (an idle
 * connection gives OpenSSL's record buffers back: the memory per idle
 * session, issue 12). Nothing here loosens the profile.
 *
 * Every SSL_* call starts with a clear error queue and leaves it clear, so
 * a failure is classified by its own errors (sec_tls_fail_reason).
 */
#include <errno.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "dp_msrp_priv.h"

int
msrp_tls_start(struct msrp_worker *wk, struct msrp_leg *l, bool server)
{
	SSL *s;

	if (wk->tls == NULL)
		return -ENOENT;
	s = sec_tls_ssl_new(wk->tls, server, l->spec.fp, l->spec.n_fp);
	if (s == NULL)
		return -ENOMEM;
	if (SSL_set_fd(s, l->fd) != 1) {
		SSL_free(s);
		ERR_clear_error();
		return -ENOMEM;
	}
	/* Read-ahead: one recv() brings several records instead of two per
	 * record (header, body). What OpenSSL then holds is seen through
	 * SSL_has_pending(), not epoll: the relay checks it before it waits. */
	SSL_set_read_ahead(s, 1);
	l->ssl = s;
	l->hs_want = server ? EPOLLIN : EPOLLOUT;
	return 0;
}

/* What SSL_get_error() says of a failed call, as the relay needs it. */
static int
classify(struct msrp_leg *l, int ret, uint32_t *want, enum sec_tls_fail *why)
{
	switch (SSL_get_error(l->ssl, ret)) {
	case SSL_ERROR_WANT_READ:
		*want = EPOLLIN;
		return -EAGAIN;
	case SSL_ERROR_WANT_WRITE:
		*want = EPOLLOUT;
		return -EAGAIN;
	case SSL_ERROR_ZERO_RETURN:
		return 0; /* close_notify */
	case SSL_ERROR_SSL:
		/* A TLS failure (alert, bad record, the certificate check,
		 * and an EOF without close_notify: a truncation). */
		*why = sec_tls_fail_reason(l->ssl);
		ERR_clear_error();
		return -ECONNRESET;
	default:
		/* SSL_ERROR_SYSCALL: the socket failed (RST); not TLS's
		 * fault. */
		ERR_clear_error();
		return -ECONNRESET;
	}
}

int
msrp_tls_handshake(struct msrp_leg *l, enum sec_tls_fail *why)
{
	int r, rc;

	ERR_clear_error();
	r = SSL_do_handshake(l->ssl);
	if (r == 1)
		return 1;
	*why = SEC_TLS_OK;
	rc = classify(l, r, &l->hs_want, why);
	if (rc == -EAGAIN)
		return 0;
	/* Closed or reset during the handshake: a failed handshake all the
	 * same, reported as a protocol failure when TLS did not say more. */
	if (*why == SEC_TLS_OK)
		*why = SEC_TLS_FAIL_PROTOCOL;
	return -1;
}

int
msrp_tls_read(struct msrp_leg *l, uint8_t *p, size_t n, enum sec_tls_fail *why)
{
	int r;

	ERR_clear_error();
	r = SSL_read(l->ssl, p, (int)n);
	if (r > 0) {
		l->rd_want = EPOLLIN;
		return r;
	}
	return classify(l, r, &l->rd_want, why);
}

int
msrp_tls_write(struct msrp_leg *l, const uint8_t *p, size_t n, enum sec_tls_fail *why)
{
	int r;

	ERR_clear_error();
	r = SSL_write(l->ssl, p, (int)n);
	if (r > 0) {
		l->wr_want = EPOLLOUT;
		return r;
	}
	r = classify(l, r, &l->wr_want, why);
	/* ZERO_RETURN from a write: the connection is shut for writing; the
	 * bytes cannot go anywhere. */
	return r == 0 ? -ECONNRESET : r;
}

int
msrp_tls_shutdown(struct msrp_leg *l)
{
	enum sec_tls_fail why = SEC_TLS_OK;
	int r;

	ERR_clear_error();
	/* 0: our close_notify is out, the peer's not yet read (we go on
	 * reading: half-close); 1: both. */
	r = SSL_shutdown(l->ssl);
	if (r >= 0)
		return 0;
	r = classify(l, r, &l->wr_want, &why);
	return r == -EAGAIN ? -EAGAIN : -ECONNRESET;
}

bool
msrp_tls_has_pending(const struct msrp_leg *l)
{
	return l->ssl != NULL && SSL_has_pending(l->ssl);
}

bool
msrp_tls_ktls(const struct msrp_leg *l)
{
	BIO *w = SSL_get_wbio(l->ssl), *r = SSL_get_rbio(l->ssl);

	return w != NULL && r != NULL && BIO_get_ktls_send(w) && BIO_get_ktls_recv(r);
}

bool
msrp_tls_peer_matches(const struct msrp_leg *l, const struct sec_fp *fp, unsigned int n)
{
	X509 *cert = SSL_get0_peer_certificate(l->ssl);
	unsigned char *der = NULL;
	bool ok = false;
	unsigned int i;
	int len;

	if (cert == NULL)
		return false;
	len = i2d_X509(cert, &der);
	if (len <= 0) {
		ERR_clear_error();
		return false;
	}
	for (i = 0; i < n && !ok; i++) {
		struct sec_fp got;

		if (sec_fp_of_der(fp[i].hash, der, (size_t)len, &got) == 0 &&
		    sec_fp_equal(&got, &fp[i]))
			ok = true;
	}
	OPENSSL_free(der);
	return ok;
}

void
msrp_tls_free(struct msrp_leg *l)
{
	SSL_free(l->ssl);
	l->ssl = NULL;
}
