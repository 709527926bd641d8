/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crypto's tests: one packet through a session with the control thread's
 * calls, its status returned and the call's good count checked against it.
 */
#ifndef IMSAGW_SEC_TEST_ONE_H
#define IMSAGW_SEC_TEST_ONE_H

#include <stdbool.h>
#include <stdint.h>

#include <CUnit/CUnit.h>

#include "sec.h"

/* Protect (prot) or unprotect SRTP, or SRTCP (rtcp), the *len bytes at b
 * in place with room bytes of buffer; *len is the result's length. */
static inline uint8_t
sec_test_one(struct sec_session *s, bool prot, bool rtcp, uint8_t *b, uint32_t *len,
	     uint32_t room)
{
	struct sec_pkt p = { .data = b, .len = *len, .room = room };
	uint8_t st = 0xff;
	uint16_t n;

	if (prot)
		n = rtcp ? sec_rtcp_protect_burst(s, &p, 1, &st) : sec_protect_burst(s, &p, 1, &st);
	else
		n = rtcp ? sec_rtcp_unprotect_burst(s, &p, 1, &st) :
			   sec_unprotect_burst(s, &p, 1, &st);
	CU_ASSERT_EQUAL(n, st == SEC_ST_OK ? 1 : 0);
	*len = p.len;
	return st;
}

#endif /* IMSAGW_SEC_TEST_ONE_H */
