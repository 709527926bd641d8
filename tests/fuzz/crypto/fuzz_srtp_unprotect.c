/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer: SRTP and SRTCP unprotect on arbitrary packets, every suite,
 * with and without MKI and a rekey fallback key (openssl engine, and the
 * ipsecmb engine where it runs: no EAL). First byte selects
 * suite/proto/MKI/rekey (bit 6: packets spread over those session
 * variants, one sec_burst call; bit 7: ipsecmb); the rest is a burst of
 * packets split by a length prefix. Must never crash or read/write out
 * of bounds (ASan), and a good packet must shrink.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* [0] openssl, [1] ipsecmb (openssl again where it cannot run) */
static struct sec_session *sess[2][SEC_SUITE_COUNT][4];
/* the fuzzing thread's crypto context, as a media worker holds its own */
static struct sec_lcore *lc;

/* The sessions of engine slot e (0 openssl, 1 ipsecmb where it runs). */
static void
setup_engine(unsigned int e)
{
	static const uint8_t k[32] = { 7 }, s[14] = { 9 }, k2[32] = { 8 };
	unsigned int i, v;

	for (i = 0; i < SEC_SUITE_COUNT; i++) {
		for (v = 0; v < 4; v++) {
			struct sec_session_params p;
			struct sec_session *base;
			int err;

			memset(&p, 0, sizeof(p));
			p.dir = SEC_DIR_UNPROTECT;
			p.proto = SEC_PROTO_SRTP | SEC_PROTO_SRTCP;
			p.suite = (enum sec_suite_id)i;
			p.master_key = k;
			p.master_salt = s;
			p.engine = e == 1 && sec_engine_available(SEC_ENGINE_IPSECMB) ?
				SEC_ENGINE_IPSECMB : SEC_ENGINE_OPENSSL;
			p.mki_len = (v & 1) ? 2 : 0;
			p.mki[1] = 1;
			base = sec_session_create(&p, &err);
			if (base == NULL)
				abort();
			if (v & 2) {
				p.master_key = k2;
				sess[e][i][v] = sec_session_rekey(base, &p, &err);
				sec_session_destroy(base);
				if (sess[e][i][v] == NULL)
					abort();
			} else {
				sess[e][i][v] = base;
			}
		}
	}
}

static void
setup(void)
{
	struct sec_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.disable_cryptodev = true;
	cfg.default_engine = SEC_ENGINE_OPENSSL;
	if (sec_init(&cfg) != 0)
		abort();
	lc = sec_lcore_create(0, NULL);
	if (lc == NULL)
		abort();
	setup_engine(0);
	setup_engine(1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	uint8_t *bufs[8];
	struct sec_burst_pkt bp[8];
	uint16_t n = 0, i;
	size_t off = 1;
	bool rtcp;
	unsigned int suite, v;

	if (!init) {
		setup();
		init = 1;
	}
	if (size < 1)
		return 0;
	suite = (data[0] & 0x7) % SEC_SUITE_COUNT;
	v = (data[0] >> 3) & 3;
	rtcp = data[0] & 0x20;
	while (off + 2 <= size && n < 8) {
		size_t l = (size_t)data[off] << 8 | data[off + 1];

		off += 2;
		if (l > size - off)
			l = size - off;
		/* exact-size heap buffers so ASan sees any overrun */
		bufs[n] = malloc(l ? l : 1);
		memcpy(bufs[n], data + off, l);
		/* with bit 6: the packets of one burst on different sessions
		 * (MKI, rekey variants of the suite), as the worker sends them */
		bp[n].s = sess[data[0] >> 7][suite][(data[0] & 0x40) ? (v + n) & 3 : v];
		bp[n].op = rtcp ? SEC_RTCP_UNPROTECT : SEC_RTP_UNPROTECT;
		bp[n].pkt.data = bufs[n];
		bp[n].pkt.len = (uint32_t)l;
		bp[n].pkt.room = (uint32_t)l;
		off += l;
		n++;
	}
	if (n > 0) {
		uint16_t good = sec_burst(lc, bp, n), ok = 0;

		for (i = 0; i < n; i++) {
			if (bp[i].status != SEC_ST_OK)
				continue;
			ok++;
			if (bp[i].pkt.len > bp[i].pkt.room)
				abort();
		}
		if (ok != good)
			abort();
	}
	for (i = 0; i < n; i++)
		free(bufs[i]);
	return 0;
}
