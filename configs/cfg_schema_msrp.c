/* SPDX-License-Identifier: BSD-3-Clause */
/* Section `msrp`: the MSRP relay (TS 33.328 e2ae: TLS on the access leg,
 * TCP on the core leg) and the gateway's TLS certificate. */
#include <stddef.h>

#include "cfg_schema.h"

#define R CFG_F_RELOAD

static const struct cfg_row msrp_rows[] = {
	{.key = "certificate",
	 .type = CFG_T_STR,
	 CFG_FIELD(struct cfg_msrp, certificate),
	 .def = "",
	 .flags = R,
	 .meaning = "PEM file of the gateway's TLS certificate (ECDSA P-256 or RSA >= 2048, "
		    "self-signed is fine: peers check its fingerprint); empty: no TLS legs"},
	{.key = "private_key",
	 .type = CFG_T_STR,
	 CFG_FIELD(struct cfg_msrp, private_key),
	 .def = "",
	 .flags = R,
	 .meaning = "PEM file of the certificate's private key (not encrypted); set with "
		    "certificate"},
	{.key = "tls12",
	 .type = CFG_T_BOOL,
	 CFG_FIELD(struct cfg_msrp, tls12),
	 .def = "true",
	 .flags = R,
	 .meaning = "allow TLS 1.2 (SPEC.md §2.5: mandatory in the 3GPP profile)"},
	{.key = "tls13",
	 .type = CFG_T_BOOL,
	 CFG_FIELD(struct cfg_msrp, tls13),
	 .def = "true",
	 .flags = R,
	 .meaning = "allow TLS 1.3"},
	{.key = "ktls",
	 .type = CFG_T_BOOL,
	 CFG_FIELD(struct cfg_msrp, ktls),
	 .def = "true",
	 .flags = R,
	 .meaning = "let the kernel do the TLS records where it can (kTLS); userspace TLS "
		    "otherwise"},
	{.key = "max_legs",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_msrp, max_legs),
	 .min = 2,
	 .max = 4194304,
	 .def = "20000",
	 .meaning = "MSRP connections (legs) at once, two per context; about 13 bytes each "
		    "reserved at start, about 0.9 KB more per open leg; the gateway raises its "
		    "RLIMIT_NOFILE soft limit to 2 x max_legs + 256 (at most the hard limit, "
		    "with a warning when the hard limit is lower: set systemd's `LimitNOFILE`)"},
	{.key = "buffer_bytes",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_msrp, buffer_bytes),
	 .min = 4096,
	 .max = 16777216,
	 .def = "65536",
	 .meaning = "bytes held per direction of a relay before the sending side is no longer "
		    "read (back-pressure); held only while bytes are in flight"},
	{.key = "connect_timeout_ms",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_msrp, connect_timeout_ms),
	 .min = 1000,
	 .max = 3600000,
	 .def = "180000",
	 .meaning = "an active leg's TCP connect; a passive leg's wait for an authenticated "
		    "peer (the far end connects after the SDP answer)"},
	{.key = "handshake_timeout_ms",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_msrp, handshake_timeout_ms),
	 .min = 100,
	 .max = 60000,
	 .def = "10000",
	 .meaning = "one connection's TLS handshake (a silent client holds a passive leg "
		    "this long at most)"},
	{.key = "idle_timeout_ms",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_msrp, idle_timeout_ms),
	 .min = 0,
	 .max = 86400000,
	 .def = "3600000",
	 .meaning = "a relay with no byte either way for this long is closed; 0 = never"},
	{.key = "frame_check",
	 .type = CFG_T_BOOL,
	 CFG_FIELD(struct cfg_msrp, frame_check),
	 .def = "false",
	 .flags = R,
	 .meaning = "check RFC 4975 framing on what each leg receives and close a connection "
		    "that is not MSRP (applies to legs opened after a reload)"},
	{.key = "max_header_bytes",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_msrp, max_header_bytes),
	 .min = 512,
	 .max = 1048576,
	 .def = "8192",
	 .meaning = "framing check: an MSRP start line and headers at most this long"},
	{.key = "max_chunk_bytes",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_msrp, max_chunk_bytes),
	 .min = 1024,
	 .max = 1073741824,
	 .def = "1048576",
	 .meaning = "framing check: one chunk's body at most this long"},
};

#undef R

const struct cfg_table cfg_schema_msrp = CFG_TABLE("msrp", msrp_rows);
