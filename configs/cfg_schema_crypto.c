/* SPDX-License-Identifier: BSD-3-Clause */
/* Section `crypto`: SRTP engine and suites. Suite keys are the RFC 4568 /
 * RFC 6188 / RFC 7714 names as they appear in a=crypto. */
#include <stddef.h>

#include "cfg_schema.h"

static const struct cfg_name engine_names[] = {
	{"cryptodev", 0},
	{"libsrtp", 1},
	{"ipsecmb", 2},
	{NULL, 0},
};

static const struct cfg_name gcm_key_names[] = {
	{"fast", 0},
	{"compact", 1},
	{NULL, 0},
};

#define SUITE(k, f, m)                                                                             \
	{                                                                                          \
		.key = k, .type = CFG_T_BOOL, CFG_FIELD(struct cfg_crypto, f), .def = "true",      \
		.flags = CFG_F_RELOAD, .meaning = m                                                \
	}

static const struct cfg_row suite_rows[] = {
	SUITE("AES_CM_128_HMAC_SHA1_80", suite_aes_cm_128_sha1_80,
	      "AES-128 counter mode, HMAC-SHA1 80-bit tag (RFC 4568)"),
	SUITE("AES_CM_128_HMAC_SHA1_32", suite_aes_cm_128_sha1_32,
	      "AES-128 counter mode, HMAC-SHA1 32-bit tag (RFC 4568)"),
	SUITE("AES_256_CM_HMAC_SHA1_80", suite_aes_256_cm_sha1_80,
	      "AES-256 counter mode, HMAC-SHA1 80-bit tag (RFC 6188)"),
	SUITE("AES_256_CM_HMAC_SHA1_32", suite_aes_256_cm_sha1_32,
	      "AES-256 counter mode, HMAC-SHA1 32-bit tag (RFC 6188)"),
	SUITE("AEAD_AES_128_GCM", suite_aead_aes_128_gcm, "AES-128 GCM, 16-byte tag (RFC 7714)"),
	SUITE("AEAD_AES_256_GCM", suite_aead_aes_256_gcm, "AES-256 GCM, 16-byte tag (RFC 7714)"),
};

static const struct cfg_table suite_table = CFG_TABLE("suites", suite_rows);

static const struct cfg_row crypto_rows[] = {
	{.key = "engine",
	 .type = CFG_T_CHOICE,
	 CFG_FIELD(struct cfg_crypto, engine),
	 .names = engine_names,
	 .def = "ipsecmb",
	 .meaning = "SRTP engine: intel-ipsec-mb's job API (cryptodev where the CPU has no "
		    "AES-NI or the library is missing; the engine used is logged at start), "
		    "DPDK cryptodev (offload devices, e.g. QAT), or libsrtp2 per flow (the "
		    "reference)"},
	{.key = "gcm_keys",
	 .type = CFG_T_CHOICE,
	 CFG_FIELD(struct cfg_crypto, gcm_keys),
	 .names = gcm_key_names,
	 .def = "fast",
	 .meaning = "engine ipsecmb, AEAD_AES_*_GCM suites: \"fast\" runs the CPU's widest "
		    "GCM code (VAES/AVX-512: ~1 KB of key state per key and protocol); "
		    "\"compact\" runs the AVX2 code, whose key state is 384 bytes (a GCM flow "
		    "~1.2 KB instead of ~1.9 KB in all), at ~1.7x the GCM cycles per packet. "
		    "The same on CPUs without VAES/AVX-512"},
	{.key = "cryptodev",
	 .type = CFG_T_STR,
	 CFG_FIELD(struct cfg_crypto, cryptodev),
	 .min = 1,
	 .def = "crypto_aesni_mb",
	 .meaning = "cryptodev PMD vdev name or PCI address, for engine \"cryptodev\""},
	{.key = "max_keys",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_crypto, max_keys),
	 .min = 64,
	 .max = 4194304,
	 .def = "4096",
	 .meaning = "SRTP master keys the cryptodev engine holds at once (an e2ae call: 2, 3 "
		    "during a rekey); each takes 2 device sessions (~1.6 KB each with aesni_mb) "
		    "of EAL memory, reserved at start. Only when `crypto.engine` is `cryptodev` "
		    "(or the configured engine did not come up and cryptodev took its place): "
		    "beside the default `ipsecmb`, which keeps its keys in the C heap and has no "
		    "such limit, cryptodev is a spare for the admin `engine` command and holds at "
		    "most 1,024 keys (3.2 MB)"},
	{.key = "replay_window",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_crypto, replay_window),
	 .min = 64,
	 .max = 32768,
	 .def = "128",
	 .flags = CFG_F_RELOAD,
	 .meaning = "SRTP replay window in packets (RFC 3711 §3.3.2), a multiple of 64"},
	{.key = "rekey_grace_ms",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_crypto, rekey_grace_ms),
	 .min = 0,
	 .max = 3600000,
	 .def = "30000",
	 .flags = CFG_F_RELOAD,
	 .meaning = "after an inbound rekey, how long the old key is still tried when the new one "
		    "fails (RFC 4568 §7.1.4); 0 = until the next rekey"},
	{.key = "suites",
	 .type = CFG_T_GROUP,
	 .off = 0,
	 .size = sizeof(struct cfg_crypto),
	 .sub = &suite_table,
	 .meaning = "suite switches; at least one must stay on"},
};

const struct cfg_table cfg_schema_crypto = CFG_TABLE("crypto", crypto_rows);
