/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sec_tls: TLS for MSRP e2ae (TS 33.328; SPEC.md §2). The gateway's own
 * certificate, the TLS profile (§2.5), certificate fingerprints as SDP
 * carries them (RFC 8122 a=fingerprint) and the check that authenticates a
 * peer: the certificate it presents must hash to one of the fingerprints the
 * MGC gave in the Remote descriptor. No CA chain: self-signed is the norm.
 *
 * This header is the whole API of crypto's TLS part. It does no I/O: the
 * relay (dataplane) owns the sockets and drives SSL_do_handshake/SSL_read/
 * SSL_write on the SSL objects made here.
 *
 * Threads: sec_tls_create/destroy on the control thread; an SSL made by
 * sec_tls_ssl_new() is used by one thread at a time (the msrp worker that
 * owns the connection). The context may be destroyed (reload) while SSL
 * objects made from it live on: each holds its own reference.
 */
#ifndef IMSAGW_SEC_TLS_H
#define IMSAGW_SEC_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

/* Hash functions of a=fingerprint (RFC 8122 §5; IANA "Hash Function Textual
 * Names"). MD2 and MD5 are refused on input (RFC 8122 §5), never produced. */
enum sec_fp_hash {
	SEC_FP_SHA1 = 0,
	SEC_FP_SHA224,
	SEC_FP_SHA256,   /* what we produce */
	SEC_FP_SHA384,
	SEC_FP_SHA512,
	SEC_FP_HASH_MAX,
};

#define SEC_FP_MD_MAX 64        /* SHA-512 */
/* "SHA-512 " + 64 * "XX:" - 1 + NUL */
#define SEC_FP_TEXT_MAX (8 + SEC_FP_MD_MAX * 3)

/* One certificate fingerprint. */
struct sec_fp {
	enum sec_fp_hash hash;
	uint8_t len;                     /* digest bytes, fixed by hash */
	uint8_t md[SEC_FP_MD_MAX];
};

/*
 * Parse an a=fingerprint value: "<hash-func> SP <XX:XX:...>" (RFC 8122 §5:
 * hash name case-insensitive, hex upper or lower case, exactly the digest's
 * length). Bounded by len; needs no NUL. Tolerated: SP/HTAB before the
 * value and more than one between its parts, SP/HTAB/CR/LF after it. The
 * value only: no "a=fingerprint:" prefix. Any thread.
 * @return 0; -EPROTONOSUPPORT for md2/md5 or an unknown hash name (the
 *         value otherwise well-formed); -EINVAL for anything malformed.
 *         On error *fp is zeroed.
 */
int sec_fp_parse(const char *s, size_t len, struct sec_fp *fp);

/* Format fp as an a=fingerprint value ("SHA-256 AB:CD:..", upper case).
 * SEC_FP_TEXT_MAX always suffices. Any thread.
 * @return length without the NUL, -ENOSPC (out untouched), or -EINVAL
 *         when fp is not valid (hash out of range, len not the hash's). */
int sec_fp_format(const struct sec_fp *fp, char *out, size_t len);

/* Fingerprint of a DER-encoded certificate (the digest of der[0..der_len),
 * which is not parsed). Any thread. @return 0 or -EINVAL. */
int sec_fp_of_der(enum sec_fp_hash hash, const uint8_t *der, size_t der_len,
		  struct sec_fp *fp);

/* Constant-time equality of two fingerprints (same hash, same digest; the
 * digest is compared with CRYPTO_memcmp). An invalid fp (hash out of range,
 * len not the hash's) equals nothing. Any thread. */
bool sec_fp_equal(const struct sec_fp *a, const struct sec_fp *b);

/* How the gateway's TLS is set up (from the config's msrp section). */
struct sec_tls_conf {
	const char *cert_file;       /* PEM: the certificate (leaf first) */
	const char *key_file;        /* PEM: its private key (ECDSA P-256 or
				      * RSA >= 2048 bits; others refused) */
	bool tls12;                  /* TLS 1.2 allowed (default both) */
	bool tls13;                  /* TLS 1.3 allowed */
	bool ktls;                   /* ask OpenSSL for kernel TLS
				      * (SSL_OP_ENABLE_KTLS) where it can */
};

struct sec_tls;

/*
 * Load the certificate and key, check them (the key matches the
 * certificate; ECDSA P-256 or RSA >= 2048 bits; validity dates are not
 * checked: fingerprints, not a CA, authenticate) and build the server and
 * client contexts of the profile: TLS 1.2/1.3 only, the SPEC.md §2.5
 * cipher suites, no renegotiation, no compression, no session tickets or
 * resumption, a client certificate required by the server. Files are
 * read into buffers of our own (the key's cleansed); an encrypted key is
 * refused. Control thread.
 * @return the context, or NULL with err filled (never with key material;
 *         file errors name the file).
 */
struct sec_tls *sec_tls_create(const struct sec_tls_conf *conf, char *err, size_t errlen);

/* Drop the context; SSL objects made from it keep working. NULL: no-op. */
void sec_tls_destroy(struct sec_tls *t);

/* The fingerprint of our certificate (for Local a=fingerprint), computed
 * at create in every hash; a hash out of range gives SHA-256. */
void sec_tls_local_fp(const struct sec_tls *t, enum sec_fp_hash hash, struct sec_fp *fp);

/* Whether OpenSSL and this kernel can put TLS records in the kernel (a
 * probe at create: OpenSSL built with kTLS and "tls" among the kernel's
 * TCP ULPs, loading the module where the process may). Any thread. */
bool sec_tls_ktls_available(const struct sec_tls *t);

/*
 * A new connection of the given role (server: we accepted the TCP
 * connection; client: we opened it). The peer is authenticated when the
 * handshake completes, and only then: its leaf certificate must hash to one
 * of expect[0..n_expect) (each compared in its own hash). Otherwise the
 * handshake fails with a bad_certificate alert (no certificate at all:
 * certificate_required under TLS 1.3, handshake_failure under 1.2).
 * expect is copied. The SSL is in accept (server) or connect (client)
 * state; the caller sets the fd (SSL_set_fd), drives SSL_do_handshake and
 * frees the SSL. SSL app data (SSL_set_app_data) is the caller's; our data
 * hangs on an ex_data index of its own. Control thread or the owner.
 * As client under TLS 1.3, SSL_do_handshake() returns 1 before the server
 * has checked our certificate: its refusal comes as an alert on the first
 * SSL_read().
 * @return SSL or NULL (allocation failure, n_expect 0 or > SEC_TLS_FP_MAX,
 *         an invalid fingerprint in expect).
 */
#define SEC_TLS_FP_MAX 4
SSL *sec_tls_ssl_new(struct sec_tls *t, bool server, const struct sec_fp *expect,
		     unsigned int n_expect);

/* Why a TLS connection failed, for counters and the MGC (SPEC.md §2.4).
 * What we detected; an alert from the peer is PROTOCOL (its reason is the
 * peer's), except protocol_version, which is VERSION. */
enum sec_tls_fail {
	SEC_TLS_OK = 0,
	SEC_TLS_FAIL_FINGERPRINT, /* certificate does not match the Remote */
	SEC_TLS_FAIL_NO_CERT,     /* peer sent no certificate */
	SEC_TLS_FAIL_VERSION,     /* protocol version outside 1.2/1.3 */
	SEC_TLS_FAIL_CIPHER,      /* no cipher suite, group or signature
				   * algorithm of the profile shared */
	SEC_TLS_FAIL_PROTOCOL,    /* anything else in the handshake or later
				   * (bad record, unexpected message, alert,
				   * a matching certificate refused for other
				   * reasons, e.g. a key below 112 bits) */
	SEC_TLS_FAIL_MAX,
};

/* Classify the failure of the last SSL_* call that returned ret <= 0 with
 * SSL_get_error() == SSL_ERROR_SSL (clears the thread's error queue: call
 * it right after that call). The SSL's owner thread. */
enum sec_tls_fail sec_tls_fail_reason(SSL *ssl);

/* Stable lower-case name of a reason: "ok", "fingerprint", "no_cert",
 * "version", "cipher", "protocol" ("unknown" out of range). */
const char *sec_tls_fail_name(enum sec_tls_fail f);

/* The peer's certificate fingerprint after a completed handshake, in our
 * hash (SHA-256), for logs and the demo. The SSL's owner thread.
 * @return 0, or -ENOENT (handshake not finished, no peer certificate). */
int sec_tls_peer_fp(SSL *ssl, struct sec_fp *fp);

#endif /* IMSAGW_SEC_TLS_H */
