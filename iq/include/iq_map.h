/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Iq procedures, mapping layer: one H.248 stream (LocalControl, Local and
 * Remote SDP) onto a control/ termination spec, the e2ae SDES key rules of
 * SPEC.md §3.5, MSRP terminations (TCP/TLS/MSRP, TCP/MSRP: SPEC.md §2.2,
 * §2.3, §3.6), the completed Local SDP of the reply, and control/ errno
 * returns onto H.248.8 error codes (SPEC.md §3.12).
 *
 * No I/O and no logging. Keys are control's: the spec carries the
 * request's lines to control (which generates ours on CHOOSE and keeps
 * them), and the reply's lines come back from control.
 * Thread: control only.
 */
#ifndef IMSAGW_IQ_MAP_H
#define IMSAGW_IQ_MAP_H

#include <stdbool.h>
#include <stdint.h>

#include "h248.h"
#include "sdp.h"
#include "sdes.h"
#include "ctl.h"

/* Result of iq_map_stream(): a delta spec for control (spec.set names
 * what the request changes) and what the reply needs of the request.
 * Holds the request's keys until applied: iq_map_result_clear(). */
struct iq_map_result {
	struct ctl_term_spec spec;
	struct sdp_desc *local;          /* parsed Local (one alternative), or NULL */
	struct sdp_media *lmedia;        /* its media line */
	char media[16];                  /* m= media of Local/Remote ("" = not given) */
	char fmts[64];                   /* m= format list ("" = not given) */
	uint16_t code;                   /* 0, or the H.248 error to answer */
	const char *reason;              /* static text for code */
};

/*
 * Map one stream of an Add (@cur NULL) or Modify (@cur = the termination as
 * control reports it, ctl_term_get()) onto a spec: LocalControl (mode,
 * realm, latch, filter), Local (family, port, rtcp-mux, our a=crypto lines,
 * CHOOSE ones left for control to generate; MSRP: our a=setup when the MGC
 * names it) and Remote (address, ports, the UE's a=crypto line bound to ours
 * by tag, SPEC.md §3.5; MSRP: a=setup, a=fingerprint lines, a=path,
 * a=msrp-cema). Refused with 449: a fingerprint in MD5, MD2 or an unknown
 * hash, malformed, more than DP_MSRP_FP_MAX, on TCP/MSRP, or missing from a
 * TCP/TLS/MSRP Remote; an unknown a=setup; a bad a=path. Another m= proto:
 * 515.
 * @suite_mask: the SRTP suites enabled now (sec_suite_mask(), read per
 * request). @arena: SDP trees and strings.
 * Returns: 0 with r filled; -EINVAL with r->code/reason set.
 * Thread: control only.
 */
int iq_map_stream(struct iq_arena *arena, const struct h248_stream *st,
		  const struct ctl_term_info *cur, uint32_t suite_mask,
		  struct iq_map_result *r);

/* Our Local a=crypto lines as control formats them (ctl_term_local_key()),
 * held for one reply. Holds keys: iq_map_keys_clear(). */
struct iq_map_keys {
	unsigned int n;
	uint32_t tag[CTL_LOCAL_KEYS_MAX];
	char line[CTL_LOCAL_KEYS_MAX][SDES_LINE_MAX];
};

/*
 * Write the reply's Local SDP: @local / @lmedia (the request's Local, may be
 * NULL) completed with the chosen address and port and our keys matched by
 * tag (lines without a key are dropped); without a request Local, a minimal
 * description "v=0 c= m=<media> <port> <proto> <fmts>" plus @keys, the
 * proto from info->transport. MSRP: our a=setup, a=fingerprint (TLS; our
 * certificate's SHA-256, added when the MGC gave none) and a=path replace
 * the MGC's lines or are added; the MGC's other lines are echoed.
 * @out: receives a slice in @arena. Returns: 0, -ENOMEM, -EINVAL.
 * Thread: control only.
 */
int iq_map_local_reply(struct iq_arena *arena, struct sdp_desc *local, struct sdp_media *lmedia,
		       const struct ctl_term_info *info, const char *media, const char *fmts,
		       const struct iq_map_keys *keys, struct iq_str *out);

/*
 * H.248.8 code for a control/ errno (ISSUE 4: -ENOENT 411, -ESRCH 430/435,
 * -ENOSPC/-EADDRNOTAVAIL/-ENOMEM 510, -E2BIG 434, -EEXIST 433, -ENOTSUP
 * 501, -EINVAL 449, anything else 500). @term_elsewhere: for -ESRCH, the
 * termination exists in another context (435) or nowhere (430).
 * Thread: any; pure.
 */
uint16_t iq_map_errno(int rc, bool term_elsewhere);

/* Cleanse what holds keys. NULL is a no-op. */
void iq_map_result_clear(struct iq_map_result *r);
void iq_map_keys_clear(struct iq_map_keys *k);

#endif /* IMSAGW_IQ_MAP_H */
