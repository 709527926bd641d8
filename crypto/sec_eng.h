/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crypto/ private: the engine SDK (prefix sec_eng_). What an engine
 * implements (struct sec_eng_ops), the per-key material it expands, the
 * job descriptor our transform (sec_xform.c) hands to an engine's crypt(),
 * and the per-lcore context every per-packet call carries. As VPP splits
 * vnet/crypto/crypto.h from its engines: the session layout is in
 * sec_priv.h, test hooks in sec_test.h. Not includable from other modules.
 *
 * Threads: probe, fini, capabilities, lcore_init/fini, session_create/
 * destroy, key_init/fini run on the control thread; burst and crypt on the
 * lcore that owns the per-lcore context they are given, without
 * allocation, lock, system call or log.
 */
#ifndef IMSAGW_SEC_ENG_H
#define IMSAGW_SEC_ENG_H

#include <stdbool.h>
#include <stdint.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <rte_common.h>

#include "sec.h"

/* Packets processed per internal chunk (bursts are cut into these). */
#define SEC_CHUNK 32

/* The raw session keys of one protocol (RFC 3711 §4.3.1: k_e, k_a). */
struct sec_subkey_raw {
	uint8_t ek[SEC_MASTER_KEY_MAX];
	uint8_t ak[SEC_AUTH_KEY_MAX];
};

/*
 * Key material for one protocol (SRTP or SRTCP) of one master key: what
 * the per-packet path reads, one cache line. The raw session keys are not
 * kept here: most engines expand them at key_init and never read them
 * again (see rk).
 */
struct sec_subkey {
	/* RO after create */
	uint8_t salt[16];       /* session salt, zero-padded to 16 */
	/* Engine-specific, so one engine's pointers overlay another's. */
	union {
		struct {
			void *eng;      /* cryptodev: the one device session;
					 * ipsecmb: its expanded key state,
					 * in this key's own allocation
					 * (ops->key_size) */
			void *gcm;      /* cryptodev, GCM unprotect on a
					 * software device: intel-ipsec-mb's
					 * expanded key (struct gcm_key_data,
					 * 64-byte aligned) */
		};
		struct {
			EVP_CIPHER_CTX *cctx; /* openssl engine: AES-CTR/GCM
					       * with ek set */
			EVP_MAC_CTX *mctx;    /* openssl engine: HMAC-SHA1
					       * with ak set */
		};
	};
	/* The raw session keys: set for key_init of every engine; after it
	 * only for engines with ops->keep_raw (in the key's own allocation,
	 * cleansed with it), NULL for the others (their copy was on the
	 * control thread's stack, cleansed once key_init returned). */
	const struct sec_subkey_raw *rk;
	uint64_t limit;         /* packets allowed with this master key */
	uint64_t used;          /* W: owner lcore */
	uint8_t is_rtcp;
};

struct sec_session;
struct sec_stream;

/* What our transform asks an engine's backend to do for one packet. */
struct sec_job {
	struct sec_session *s;  /* session of the packet */
	struct sec_subkey *sk;  /* key to run it with */
	uint8_t *data;
	uint32_t enc_off;       /* first encrypted byte */
	uint32_t enc_len;       /* encrypted bytes (0 for E=0 SRTCP) */
	uint32_t auth_len;      /* CM: HMAC over data[0, auth_len) */
	const uint8_t *aad;     /* AEAD: additional data, aad_len bytes */
	uint32_t aad_len;
	const uint8_t *aad2;    /* AEAD: 4 more AAD bytes (E=0 SRTCP) or NULL */
	uint8_t *tag_out;       /* AEAD protect: where the 16-byte tag goes */
	uint8_t iv[16];
	uint8_t aadbuf[12];
	uint8_t digest[20];     /* CM: computed HMAC */
	uint8_t rtag[16];       /* unprotect: received tag */
	uint8_t save[4];        /* bytes under the ROC word (CM SRTP) */
	uint8_t tag_len;
	uint8_t op;             /* enum sec_op_code */
	uint8_t restore;        /* unprotect: a failed job must leave the
				 * ciphertext as it was (another key follows) */
	uint8_t status;         /* enum sec_status */
	uint8_t keyi;           /* key tried / used */
	uint8_t is_new;         /* unprotect: SSRC had no stream */
	uint8_t ebit;
	uint8_t aead;           /* the session's suite is AEAD (GCM) */
	uint32_t ssrc;
	uint64_t index;
	uint32_t out_len;       /* length after success */
	struct sec_stream *st;
};

#ifdef SEC_TEST_HOOKS
/* Builds with -DSEC_TEST_HOOKS only: tag comparisons made by
 * sec_tag_equal(), so a test proves which compare a path uses. */
extern uint64_t sec_test_tag_compares;
#endif

/*
 * The one tag comparison of our engines: constant time (CRYPTO_memcmp), so
 * a forger learns nothing from how long a wrong tag took to refuse (RFC
 * 3711 §3.3 step 5 verifies before anything else; a memcmp that stops at
 * the first differing byte tells where the forgery went wrong, and lets
 * the tag be found byte by byte). An engine that needs its library's
 * verify compares there (OpenSSL's GCM final: CRYPTO_memcmp too). Any
 * lcore.
 */
static inline bool
sec_tag_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
#ifdef SEC_TEST_HOOKS
	__atomic_fetch_add(&sec_test_tag_compares, 1, __ATOMIC_RELAXED);
#endif
	return CRYPTO_memcmp(a, b, n) == 0;
}

static inline bool
sec_job_protect(const struct sec_job *j)
{
	return (j->op & SEC_RTP_UNPROTECT) == 0;
}

/*
 * The per-lcore crypto context (public name, opaque outside crypto/): one
 * slot per engine for what that engine keeps per lcore (cryptodev: its
 * queue pair, crypto ops, bounce mbufs, OpenSSL scratch contexts), made
 * by the engine's lcore_init on the control thread. Like ipsec-secgw's
 * lcore_conf: the per-packet path finds its state here, never through
 * rte_lcore_index() or file statics.
 */
struct sec_lcore {
	unsigned int lcore_id;           /* RO */
	void *eng[SEC_ENGINE_COUNT];     /* RO pointers; the state behind
					  * them W: the lcore using lc */
} __rte_cache_aligned;

/*
 * An engine. Engines with their own complete transform (libsrtp) set
 * burst only; engines that reuse our transform set burst =
 * sec_xform_burst, crypt and key_init.
 */
struct sec_eng_ops {
	enum sec_engine id;
	const char *name;
	/* 0 if the engine can run; control, before its KATs */
	int (*probe)(const struct sec_config *cfg);
	void (*fini)(void);
	/* suites it can do (mask) after probe */
	uint32_t (*capabilities)(void);
	/* per-lcore state for a context of lcore_id (*priv, or NULL when the
	 * engine keeps none); 0 or a negative errno. NULL: none needed.
	 * Control. */
	int (*lcore_init)(unsigned int lcore_id, void **priv);
	void (*lcore_fini)(void *priv);
	/* engine-private session part; control */
	int (*session_create)(struct sec_session *s);
	void (*session_destroy)(struct sec_session *s);
	/* whole transform of one session's packets; status[i] per packet,
	 * no reordering; the lcore of lc */
	void (*burst)(struct sec_lcore *lc, struct sec_session *s,
			struct sec_pkt *pkts, uint16_t n, bool rtcp,
			uint8_t *status);
	/* crypto backend for our transform; control */
	int (*key_init)(const struct sec_session *s, struct sec_subkey *k);
	void (*key_fini)(struct sec_subkey *k);
	/* bytes of per-key state the engine keeps in the key's own
	 * allocation, per protocol of s (a multiple of 64): sec_sess.c puts
	 * them behind struct sec_key, 64-byte aligned and zeroed, at k->eng
	 * before key_init, and cleanses them with the key. NULL: none.
	 * Control. */
	size_t (*key_size)(const struct sec_session *s);
	/* k->rk stays valid after key_init (the engine reads the raw keys
	 * per packet); false: k->rk is NULL after key_init. */
	bool keep_raw;
	/*
	 * Jobs of any sessions of this engine, each with its own key (j->sk)
	 * and operation (j->op), on the lcore of lc.
	 * Protect: encrypt and (CM) HMAC into digest / (AEAD) tag to tag_out.
	 * Unprotect: authenticate, compare the tag in constant time, and
	 * decrypt; status AUTH_FAIL when the tag does not match (the payload
	 * may then hold garbage). If j->restore, a failed job leaves the
	 * ciphertext as it was (a second key will be tried).
	 */
	void (*crypt)(struct sec_lcore *lc, struct sec_job **jobs, uint16_t n);
};

/* Our transform (sec_xform.c), for engines that provide crypt: one
 * session's packets (an engine's burst op), and packets of many sessions
 * whose engines all have crypt, dir/proto already checked,
 * n <= SEC_CHUNK. The lcore of lc. */
void sec_xform_burst(struct sec_lcore *lc, struct sec_session *s,
		struct sec_pkt *pkts, uint16_t n, bool rtcp, uint8_t *status);
void sec_xform_multi(struct sec_lcore *lc, struct sec_burst_pkt *p,
		uint16_t n);

/* OpenSSL EVP backend (sec_eng_openssl.c): the openssl engine, with
 * contexts per key made on the control thread. */
int sec_eng_openssl_key_init(const struct sec_session *s,
		struct sec_subkey *k);
void sec_eng_openssl_key_fini(struct sec_subkey *k);

/*
 * The cryptodev engine's fallback for shapes a device session cannot take
 * (sec_eng_openssl.c): one set of scratch contexts per lcore context,
 * keyed per job from j->sk (a key schedule per packet: for rare shapes
 * only), so that a key costs no OpenSSL memory. init/fini: control,
 * 0, -ENOMEM or -EIO; crypt: the lcore owning x.
 */
struct sec_eng_openssl_scratch {
	EVP_CIPHER_CTX *c;
	EVP_MAC_CTX *mc;
};
int sec_eng_openssl_scratch_init(struct sec_eng_openssl_scratch *x);
void sec_eng_openssl_scratch_fini(struct sec_eng_openssl_scratch *x);
void sec_eng_openssl_crypt_scratch(struct sec_eng_openssl_scratch *x,
		struct sec_job *j);

extern const struct sec_eng_ops sec_eng_openssl_ops;
extern const struct sec_eng_ops sec_eng_libsrtp_ops;
extern const struct sec_eng_ops sec_eng_cryptodev_ops;
extern const struct sec_eng_ops sec_eng_ipsecmb_ops;

#endif /* IMSAGW_SEC_ENG_H */
