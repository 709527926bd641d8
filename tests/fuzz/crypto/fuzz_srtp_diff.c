/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer, differential: SRTP/SRTCP unprotect of arbitrary bytes by the
 * cryptodev (crypto_aesni_mb), ipsecmb, openssl and libsrtp engines must
 * agree on every packet: the same status (our three engines exactly; libsrtp up to
 * the order of its framing checks, same_verdict), and for a good packet
 * the same length and bytes. libsrtp2 is the reference (RFC 3711/7714 as
 * deployed), except where it has a known bug (fuzz_libsrtp_mki_bug).
 *
 * Byte 0: suite (bits 0-2), RTCP (bit 3), MKI (bit 4). Then up to 16
 * packets, each a control byte, a 2-byte length and its bytes. Control
 * bit 0: seal the bytes first with a sender of the same key (libsrtp2,
 * fresh per input), so that packets get past the tag and the index,
 * replay and ROC logic is reached; bit 1: then XOR the byte at
 * (control >> 2) % length with the byte that follows the packet. Fresh
 * receivers per input; the cryptodev and ipsecmb engines take all packets
 * in one sec_burst (the worker's call: chunks, prepared indexes,
 * fallbacks), the others one by one. Where the ipsecmb engine cannot run
 * (no AES-NI) its place is taken by a second cryptodev receiver. Must never crash (ASan; exact-size heap buffers).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXP 16
#define NRX 4
#define NBURST 2  /* receivers 0..NBURST-1 take one sec_burst */
#define REF 2     /* openssl: our transform packet by packet */
#define LIB 3     /* libsrtp */

static enum sec_engine rx_eng[NRX] = {
	SEC_ENGINE_CRYPTODEV, SEC_ENGINE_IPSECMB, SEC_ENGINE_OPENSSL, SEC_ENGINE_LIBSRTP,
};

static struct sec_lcore *lc;

/*
 * Against libsrtp the status must be the same, with one latitude: a packet
 * that either side refuses as badly framed (too short for its MKI and
 * tag, an unknown MKI, or an AEAD packet shorter than its tag, which
 * libsrtp hands to the cipher: error) may be refused for another reason
 * by the other side. libsrtp runs its checks in another order (MKI lookup
 * before the length, index and replay check before the tag length); we
 * refuse such packets in the parse step, before any crypto (RFC 3711
 * §3.3). Accept/refuse and the bytes must always agree.
 */
static bool
framing(uint8_t st)
{
	return st == SEC_ST_MALFORMED || st == SEC_ST_BAD_MKI || st == SEC_ST_ERROR;
}

static bool
same_verdict(uint8_t ours, uint8_t ref)
{
	return ours == ref ||
	       (ours != SEC_ST_OK && ref != SEC_ST_OK && (framing(ours) || framing(ref)));
}

/* Every packet's verdicts (a reproducer's log), then abort. */
static void
disagree(unsigned int i, enum sec_engine e, uint8_t st, uint8_t ref, const char *what,
	 uint8_t (*all)[MAXP], const uint32_t (*len)[MAXP], uint8_t *const (*buf)[MAXP],
	 uint16_t n)
{
	uint16_t k;

	fprintf(stderr, "packet %u: %s %s, reference %s (%s)\n", i, sec_engine_name(e),
		sec_status_str(st), sec_status_str(ref), what);
	for (k = 0; k < n; k++)
		fprintf(stderr, "  %u: seq/ssrc %02x%02x len %u: %s %s %s %s\n", k,
			len[REF][k] > 3 ? buf[REF][k][2] : 0, len[REF][k] > 3 ? buf[REF][k][3] : 0,
			len[REF][k], sec_status_str(all[0][k]), sec_status_str(all[1][k]),
			sec_status_str(all[REF][k]), sec_status_str(all[LIB][k]));
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sec_session *tx, *rx[NRX];
	struct sec_burst_pkt bp[MAXP];
	uint8_t *buf[NRX][MAXP], st[NRX][MAXP];
	uint32_t len[NRX][MAXP];
	enum sec_suite_id suite;
	uint16_t n = 0, i;
	unsigned int e;
	uint8_t mki, op;
	size_t off = 1;
	bool rtcp;

	if (lc == NULL) {
		lc = fuzz_crypto_init("fuzz_srtp_diff");
		if (!sec_engine_available(SEC_ENGINE_IPSECMB))
			rx_eng[1] = SEC_ENGINE_CRYPTODEV;
	}
	if (size < 1)
		return 0;
	suite = (enum sec_suite_id)((data[0] & 7) % SEC_SUITE_COUNT);
	rtcp = (data[0] & 0x08) != 0;
	mki = (data[0] & 0x10) ? 2 : 0;
	op = rtcp ? SEC_RTCP_UNPROTECT : SEC_RTP_UNPROTECT;
	tx = fuzz_session(SEC_ENGINE_LIBSRTP, suite, SEC_DIR_PROTECT, mki);
	for (e = 0; e < NRX; e++)
		rx[e] = fuzz_session(rx_eng[e], suite, SEC_DIR_UNPROTECT, mki);
	if (tx == NULL || rx[0] == NULL || rx[1] == NULL || rx[REF] == NULL || rx[LIB] == NULL) {
		/* a suite this libsrtp build lacks (GCM needs its OpenSSL
		 * backend); ours must still have made theirs */
		if (rx[0] == NULL || rx[1] == NULL || rx[REF] == NULL)
			abort();
		for (e = 0; e < NRX; e++)
			sec_session_destroy(rx[e]);
		sec_session_destroy(tx);
		return 0;
	}
	while (off + 3 <= size && n < MAXP) {
		uint8_t ctl = data[off];
		size_t l = (size_t)data[off + 1] << 8 | data[off + 2];
		uint32_t room, plen;
		uint8_t *p;

		off += 3;
		if (l > size - off)
			l = size - off;
		room = (uint32_t)l + SEC_MAX_TRAILER;
		p = malloc(room);
		memcpy(p, data + off, l);
		off += l;
		plen = (uint32_t)l;
		if (ctl & 1) {
			struct sec_pkt sp = { .data = p, .len = plen, .room = room };
			uint8_t s;

			if (sec_session_burst(lc, tx, rtcp ? SEC_RTCP_PROTECT : SEC_RTP_PROTECT,
					      &sp, 1, &s) == 1)
				plen = sp.len;
		}
		if ((ctl & 2) && plen > 0 && off < size)
			p[(ctl >> 2) % plen] ^= data[off++];
		for (e = 0; e < NRX; e++) {
			/* exact-size copies: ASan sees any read past the end */
			buf[e][n] = malloc(plen ? plen : 1);
			memcpy(buf[e][n], p, plen);
			len[e][n] = plen;
		}
		free(p);
		n++;
	}
	/* cryptodev and ipsecmb: the worker's call, every packet in one burst */
	for (e = 0; e < NBURST; e++) {
		for (i = 0; i < n; i++) {
			bp[i].s = rx[e];
			bp[i].op = op;
			bp[i].pkt.data = buf[e][i];
			bp[i].pkt.len = len[e][i];
			bp[i].pkt.room = len[e][i];
		}
		if (n > 0)
			(void)sec_burst(lc, bp, n);
		for (i = 0; i < n; i++) {
			st[e][i] = bp[i].status;
			len[e][i] = bp[i].pkt.len;
		}
	}
	/* openssl and libsrtp: one by one */
	for (e = NBURST; e < NRX; e++) {
		for (i = 0; i < n; i++) {
			struct sec_pkt sp = { .data = buf[e][i], .len = len[e][i],
					      .room = len[e][i] };

			(void)sec_session_burst(lc, rx[e], op, &sp, 1, &st[e][i]);
			len[e][i] = sp.len;
		}
	}
	for (i = 0; i < n; i++) {
		/* ours against each other always, exactly */
		for (e = 0; e < NBURST; e++) {
			if (st[e][i] != st[REF][i])
				disagree(i, rx_eng[e], st[e][i], st[REF][i], "status, openssl's", st, (const uint32_t (*)[MAXP])len, (uint8_t *const (*)[MAXP])buf, n);
			if (st[e][i] == SEC_ST_OK &&
			    (len[e][i] != len[REF][i] || memcmp(buf[e][i], buf[REF][i], len[REF][i]) != 0))
				disagree(i, rx_eng[e], st[e][i], st[REF][i], "plaintext, openssl's", st, (const uint32_t (*)[MAXP])len, (uint8_t *const (*)[MAXP])buf, n);
		}
		if (fuzz_libsrtp_mki_bug(suite, rtcp, mki))
			continue;
		for (e = 0; e < LIB; e++) {
			if (!same_verdict(st[e][i], st[LIB][i]))
				disagree(i, rx_eng[e], st[e][i], st[LIB][i], "status", st, (const uint32_t (*)[MAXP])len, (uint8_t *const (*)[MAXP])buf, n);
			if (st[e][i] == SEC_ST_OK &&
			    (len[e][i] != len[LIB][i] || memcmp(buf[e][i], buf[LIB][i], len[LIB][i]) != 0))
				disagree(i, rx_eng[e], st[e][i], st[LIB][i], "plaintext", st, (const uint32_t (*)[MAXP])len, (uint8_t *const (*)[MAXP])buf, n);
		}
	}
	for (e = 0; e < NRX; e++) {
		for (i = 0; i < n; i++)
			free(buf[e][i]);
		sec_session_destroy(rx[e]);
	}
	sec_session_destroy(tx);
	return 0;
}
