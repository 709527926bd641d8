/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Iq procedures, mapping layer: one H.248 stream (LocalControl, Local and
 * Remote SDP) onto a control/ termination spec, the e2ae SDES key rules of
 * SPEC.md §3.5, the completed Local SDP of the reply, and control/ errno
 * returns onto H.248.8 error codes (SPEC.md §3.12).
 *
 * No I/O and no logging; keys come from sdes_generate() (RAND_bytes).
 * Thread: control only (keys belong to control).
 */
#ifndef IMSAGW_IQ_MAP_H
#define IMSAGW_IQ_MAP_H

#include <stdbool.h>
#include <stdint.h>

#include "h248.h"
#include "sdp.h"
#include "sdes.h"
#include "ctl.h"

#define IQ_MAP_MAX_KEYS 8 /* Local a=crypto lines we hold per termination */

/*
 * What iq/ remembers of a termination between commands: the spec last
 * applied (ctl_term_modify takes a whole spec, keys included) and the keys
 * we offered in Local (several before the UE's answer, SPEC.md §1.5).
 * Holds keys: iq_term_state_clear() on every free path.
 */
struct iq_term_state {
	struct ctl_term_spec spec;
	uint16_t n_local_keys;
	struct sdes_crypto local_keys[IQ_MAP_MAX_KEYS];
	char media[16];          /* m= media of the last Local/Remote ("audio") */
	char proto[24];          /* m= proto ("RTP/AVP", "RTP/SAVP") */
	char fmts[64];           /* m= format list */
};

/* Result of iq_map_stream(). Holds keys: iq_map_result_clear(). */
struct iq_map_result {
	struct ctl_term_spec spec;       /* full spec to apply */
	struct iq_term_state next;       /* state after a successful apply */
	struct sdp_desc *local;          /* parsed Local (one alternative), or NULL */
	struct sdp_media *lmedia;        /* its media line */
	uint16_t code;                   /* 0, or the H.248 error to answer */
	const char *reason;              /* static text for code */
};

/*
 * Map one stream of an Add (@cur NULL) or Modify (@cur = the termination's
 * state) onto a spec. @suite_mask: enabled SRTP suites (sec_suite_mask()).
 * @arena: SDP trees and strings. Generates our keys for Local CHOOSE lines.
 * Returns: 0 with r filled; -EINVAL with r->code/reason set.
 * Thread: control only.
 */
int iq_map_stream(struct iq_arena *arena, const struct h248_stream *st,
		  const struct iq_term_state *cur, uint32_t suite_mask,
		  struct iq_map_result *r);

/*
 * Write the reply's Local SDP: r->local (or, when the request had none,
 * a minimal description from r->next) completed with the chosen address,
 * port and our a=crypto keys.
 * @out: receives a slice in @arena. Returns: 0, -ENOMEM, -EINVAL.
 * Thread: control only.
 */
int iq_map_local_reply(struct iq_arena *arena, const struct iq_map_result *r,
		       const struct ctl_term_info *info, struct iq_str *out);

/* Realm name (ipdc/realm value) to port role: "access*" and "core*"
 * (case-insensitive). Returns 0 or -EINVAL. Thread: any; pure. */
int iq_map_realm(struct iq_str v, enum cfg_port_role *role);

/*
 * H.248.8 code for a control/ errno (ISSUE 4: -ENOENT 411, -ESRCH 430/435,
 * -ENOSPC/-EADDRNOTAVAIL/-ENOMEM 510, -E2BIG 434, -EEXIST 433, -ENOTSUP
 * 501, -EINVAL 449, anything else 500). @term_elsewhere: for -ESRCH, the
 * termination exists in another context (435) or nowhere (430).
 * Thread: any; pure.
 */
uint16_t iq_map_errno(int rc, bool term_elsewhere);

void iq_term_state_clear(struct iq_term_state *s);
void iq_map_result_clear(struct iq_map_result *r);

#endif /* IMSAGW_IQ_MAP_H */
