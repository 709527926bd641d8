/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * iq/ public API (umbrella): the H.248.1 v3 text codec (h248_), the SDP
 * codec for what Iq carries (sdp_) and the transaction layer (iq_txn_).
 * Everything here is pure: no I/O, no globals, no logging.
 */
#ifndef IMSAGW_IQ_H
#define IMSAGW_IQ_H

#include "iq_common.h"
#include "h248.h"
#include "sdp.h"
#include "iq_txn.h"

#endif /* IMSAGW_IQ_H */
