/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer: TPKT reassembly (RFC 1006 §6; iq_tpkt_parse, what iq_mg's TCP
 * reader runs). The input is a byte stream; its first byte picks how it is
 * cut into reads, so frames split across reads are covered. The loop is
 * the reader's: a receive buffer of 65535 + 4 bytes, frames taken while
 * complete, the rest moved down. Checks: every frame lies inside what was
 * received, the buffer never overflows, and a header written by
 * iq_tpkt_header parses back to the same length.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iq_txn.h"

#define RBUF (65535 + IQ_TPKT_HDR)

static uint8_t rbuf[RBUF];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t rlen = 0, pos = 1, chunk;
	uint8_t h[IQ_TPKT_HDR];

	if (size < 1)
		return 0;
	chunk = (size_t)data[0] * 97 + 1;
	while (pos < size) {
		size_t n = size - pos < chunk ? size - pos : chunk, off = 0;

		if (n > RBUF - rlen)
			n = RBUF - rlen;
		memcpy(rbuf + rlen, data + pos, n);
		pos += n;
		rlen += n;
		for (;;) {
			size_t moff, mlen, flen;
			int rc = iq_tpkt_parse(rbuf + off, rlen - off, &moff, &mlen, &flen);

			if (rc < 0)
				return 0; /* the reader closes the connection */
			if (rc == 0)
				break;
			if (moff + mlen != flen || off + flen > rlen || mlen == 0)
				abort();
			if (iq_tpkt_header(mlen, h) != 0 || memcmp(h, rbuf + off, IQ_TPKT_HDR) != 0 ||
			    rbuf[off] != 3)
				if (rbuf[off + 1] == 0)
					abort();
			off += flen;
		}
		memmove(rbuf, rbuf + off, rlen - off);
		rlen -= off;
		/* A full buffer holds a complete frame (65535 at most). */
		if (rlen == RBUF)
			abort();
	}
	if (iq_tpkt_header(size, h) == 0) {
		size_t moff, mlen, flen;

		if (iq_tpkt_parse(h, IQ_TPKT_HDR, &moff, &mlen, &flen) != 0)
			abort();
	}
	return 0;
}
