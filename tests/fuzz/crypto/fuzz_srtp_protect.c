/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer: SRTP and SRTCP protect of arbitrary core-side RTP/RTCP (the
 * unauthenticated side: anything may arrive there), on the cryptodev
 * (crypto_aesni_mb), openssl and ipsecmb engines, every suite, with and
 * without MKI. Byte 0: suite (bits 0-2), RTCP (bit 3), MKI (bit 4), openssl
 * instead of cryptodev (bit 5), ipsecmb (bit 6, where it runs; before bit
 * 5); then up to 16 packets, each a 2-byte length and its bytes, protected
 * in one sec_burst on fresh sessions.
 *
 * Must never crash or touch memory outside the packet's room (ASan; each
 * buffer is a heap block of exactly the room), and every packet that
 * protect accepted must unprotect with libsrtp2 itself (a receiver that
 * sees what we sent, in order) to the bytes that went in: our sender's
 * index, ROC and trailer are what RFC 3711 receivers expect, whatever the
 * input's sequence numbers did (jumps, repeats, wraps).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXP 16

static struct sec_lcore *lc;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sec_burst_pkt bp[MAXP];
	uint8_t *bufs[MAXP], *orig[MAXP];
	uint32_t olen[MAXP];
	struct sec_session *tx, *rx;
	enum sec_suite_id suite;
	uint16_t n = 0, i, good;
	uint8_t mki;
	size_t off = 1;
	bool rtcp;

	if (lc == NULL)
		lc = fuzz_crypto_init("fuzz_srtp_protect");
	if (size < 1)
		return 0;
	suite = (enum sec_suite_id)((data[0] & 7) % SEC_SUITE_COUNT);
	rtcp = (data[0] & 0x08) != 0;
	mki = (data[0] & 0x10) ? 2 : 0;
	tx = fuzz_session((data[0] & 0x40) && sec_engine_available(SEC_ENGINE_IPSECMB)
				  ? SEC_ENGINE_IPSECMB
			  : (data[0] & 0x20) ? SEC_ENGINE_OPENSSL
					     : SEC_ENGINE_CRYPTODEV,
			  suite, SEC_DIR_PROTECT, mki);
	rx = fuzz_session(SEC_ENGINE_LIBSRTP, suite, SEC_DIR_UNPROTECT, mki);
	if (tx == NULL)
		abort();
	if (rx == NULL) {
		/* a suite this libsrtp build lacks */
		sec_session_destroy(tx);
		return 0;
	}
	while (off + 2 <= size && n < MAXP) {
		size_t l = (size_t)data[off] << 8 | data[off + 1];
		size_t room;

		off += 2;
		if (l > size - off)
			l = size - off;
		room = l + SEC_MAX_TRAILER;
		bufs[n] = malloc(room);
		orig[n] = malloc(l ? l : 1);
		memcpy(bufs[n], data + off, l);
		memcpy(orig[n], data + off, l);
		olen[n] = (uint32_t)l;
		bp[n].s = tx;
		bp[n].op = rtcp ? SEC_RTCP_PROTECT : SEC_RTP_PROTECT;
		bp[n].pkt.data = bufs[n];
		bp[n].pkt.len = (uint32_t)l;
		bp[n].pkt.room = (uint32_t)room;
		off += l;
		n++;
	}
	good = n > 0 ? sec_burst(lc, bp, n) : 0;
	for (i = 0; i < n; i++) {
		struct sec_pkt p = bp[i].pkt;
		uint8_t st;

		if (bp[i].status != SEC_ST_OK)
			continue;
		good--;
		if (p.len > p.room || p.len <= olen[i])
			abort();
		if (fuzz_libsrtp_mki_bug(suite, rtcp, mki))
			continue;
		/* what a receiver gets, in the order we sent it */
		if (sec_session_burst(lc, rx, rtcp ? SEC_RTCP_UNPROTECT : SEC_RTP_UNPROTECT, &p, 1,
				      &st) != 1) {
			fprintf(stderr, "libsrtp refused packet %u of %u: %s\n", i, n,
				sec_status_str(st));
			abort();
		}
		if (p.len != olen[i] || memcmp(p.data, orig[i], olen[i]) != 0)
			abort();
	}
	if (good != 0)
		abort();
	for (i = 0; i < n; i++) {
		free(bufs[i]);
		free(orig[i]);
	}
	sec_session_destroy(tx);
	sec_session_destroy(rx);
	return 0;
}
