/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crypto/ private: session layout, the engine SDK (sec_eng_*), the job
 * descriptor our own transform hands to an engine's crypto backend.
 * Not installed; not includable from other modules.
 */
#ifndef SEC_PRIV_H
#define SEC_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "sec.h"

/* Logging: one rte_log type for the module, control thread only. */
extern int sec_logtype;
#define SEC_LOG(level, fmt, ...) \
	sec_log(level, "imsagw.crypto: " fmt "\n", ##__VA_ARGS__)
void sec_log(unsigned int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define SEC_LOG_ERR 4u
#define SEC_LOG_WARN 5u
#define SEC_LOG_INFO 7u

/* Packets processed per internal chunk (bursts are cut into these). */
#define SEC_CHUNK 32

/* Key material for one protocol (SRTP or SRTCP) of one master key. */
struct sec_subkey {
	/* RO after create */
	uint8_t ek[SEC_MASTER_KEY_MAX];
	uint8_t ak[SEC_AUTH_KEY_MAX];
	uint8_t salt[16];       /* session salt, zero-padded to 16 */
	EVP_CIPHER_CTX *cctx;   /* openssl engine: AES-CTR/GCM with ek set */
	EVP_MAC_CTX *mctx;      /* openssl engine: HMAC-SHA1 with ak set */
	void *eng;              /* cryptodev: the one device session */
	uint64_t limit;         /* packets allowed with this master key */
	uint64_t used;          /* W: owner lcore */
	uint8_t is_rtcp;
};

/* One master key with its derived keys (RFC 3711 §4.3). */
struct sec_key {
	uint8_t mki[SEC_MKI_MAX]; /* RO */
	uint8_t mki_len;          /* RO */
	uint8_t raw;              /* RO: built from session keys (KATs) */
	uint8_t master_key[SEC_MASTER_KEY_MAX];   /* kept for rekey/libsrtp */
	uint8_t master_salt[SEC_MASTER_SALT_MAX];
	struct sec_subkey rtp;
	struct sec_subkey rtcp;
};

/* Per-SSRC state. W: owner lcore (protect side also at commit time). */
struct sec_stream {
	uint32_t ssrc;
	uint8_t used;
	uint8_t rtp_seen;
	uint8_t rtcp_seen;
	uint64_t rtp_highest;   /* 48-bit index: ROC << 16 | s_l */
	uint32_t rtcp_index;    /* protect: last sent; unprotect: highest */
	uint64_t *rtp_win;      /* window bits, index mod window */
	uint64_t *rtcp_win;
};

struct sec_eng_ops;

struct sec_session {
	/* RO after publish */
	const struct sec_suite *suite;
	const struct sec_eng_ops *eng;
	enum sec_dir dir;
	uint32_t proto;
	uint32_t flags;
	uint32_t window;
	uint32_t win_mask;      /* window - 1 if a power of two, else 0 */
	uint32_t win_words;
	uint32_t nstreams;
	uint64_t lifetime;
	uint8_t nkeys;          /* 1, or 2 during an inbound rekey */
	struct sec_key *keys[2];
	struct sec_stream *streams;
	uint64_t *bitmaps;      /* in the same allocation as the session */
	size_t alloc_len;       /* bytes of that allocation */
	void *eng_priv;         /* engine-owned (libsrtp context) */
	/* W: owner lcore */
	uint8_t cur;            /* index of the current key in keys[] */
	struct sec_stats stats;
};

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
	uint32_t ssrc;
	uint64_t index;
	uint32_t out_len;       /* length after success */
	struct sec_stream *st;
};

/*
 * Engine SDK. Engines with their own complete transform (libsrtp) set
 * burst; engines that reuse our transform set crypt and key_init.
 */
struct sec_eng_ops {
	enum sec_engine id;
	const char *name;
	/* 0 if the engine can run; control, at sec_init */
	int (*probe)(const struct sec_config *cfg);
	void (*fini)(void);
	/* suites it can do (mask) after probe */
	uint32_t (*capabilities)(void);
	/* engine-private session part; control */
	int (*session_create)(struct sec_session *s);
	void (*session_destroy)(struct sec_session *s);
	/* whole transform; status[i] per packet, no reordering; owner lcore */
	void (*burst)(struct sec_session *s, struct sec_pkt *pkts, uint16_t n,
			bool rtcp, uint8_t *status);
	/* crypto backend for our transform; control / owner lcore */
	int (*key_init)(const struct sec_session *s, struct sec_subkey *k);
	void (*key_fini)(struct sec_subkey *k);
	/*
	 * Jobs of any sessions of this engine, each with its own key (j->sk)
	 * and operation (j->op).
	 * Protect: encrypt and (CM) HMAC into digest / (AEAD) tag to tag_out.
	 * Unprotect: authenticate, compare the tag in constant time, and
	 * decrypt; status AUTH_FAIL when the tag does not match (the payload
	 * may then hold garbage). If j->restore, a failed job leaves the
	 * ciphertext as it was (a second key will be tried).
	 */
	void (*crypt)(struct sec_job **jobs, uint16_t n);
};

static inline bool
sec_job_protect(const struct sec_job *j)
{
	return (j->op & SEC_RTP_UNPROTECT) == 0;
}

/* Generic transform over ops->crypt (sec_xform.c): one session's packets
 * (the engine's burst op), and packets of many sessions whose engines all
 * have crypt, dir/proto already checked, n <= SEC_CHUNK. */
void sec_xform_burst(struct sec_session *s, struct sec_pkt *pkts,
		uint16_t n, bool rtcp, uint8_t *status);
void sec_xform_multi(struct sec_burst_pkt *p, uint16_t n);

/* OpenSSL EVP backend (sec_evp.c): the openssl engine, with contexts per
 * key made on the control thread. */
int sec_evp_key_init(const struct sec_session *s, struct sec_subkey *k);
void sec_evp_key_fini(struct sec_subkey *k);
void sec_evp_crypt(struct sec_job **jobs, uint16_t n);

/*
 * The cryptodev engine's fallback for shapes a device session cannot take
 * (sec_evp.c): scratch contexts, one set per lcore, keyed per job from
 * j->sk (a key schedule per packet: for rare shapes only), so that a key
 * costs no OpenSSL memory. Created for `slots` lcores on the control
 * thread; slot = the calling lcore's index (< slots) or the job fails.
 */
int sec_evp_scratch_init(unsigned int slots);
void sec_evp_scratch_fini(void);
void sec_evp_crypt_scratch(struct sec_job *j, unsigned int slot);

extern const struct sec_eng_ops sec_eng_openssl_ops;
extern const struct sec_eng_ops sec_eng_libsrtp_ops;
extern const struct sec_eng_ops sec_eng_cryptodev_ops;

/*
 * Known-answer vectors (sec_kat.c), run through the public API with
 * engine e. Returns 0 if all pass, or -EIO naming the first failure in
 * the log. Control thread, at registration.
 */
int sec_kat_run(enum sec_engine e, uint32_t suite_mask);

/* Test-only hook: create a session from session keys (skips the KDF):
 * used for the RFC 7714 vectors, which are given as session keys. */
struct sec_session *sec_session_create_raw(const struct sec_session_params *p,
		const uint8_t *ek, const uint8_t *salt, int *err);

/* Whether engine e may be used (registered, or being registered). */
const struct sec_eng_ops *sec_eng_get(enum sec_engine e);

#endif /* SEC_PRIV_H */
