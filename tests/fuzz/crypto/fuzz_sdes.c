/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer: sdes_parse on arbitrary bytes; what parses must format and
 * parse back to the same struct. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sdes_crypto c, d;
	struct sdes_err e;
	char buf[SDES_LINE_MAX + 64];
	int n;

	if (sdes_parse((const char *)data, size, SEC_SUITE_MASK_ALL, &c,
				&e) != 0) {
		if (e.reason == SDES_OK || e.offset > size)
			abort();
		return 0;
	}
	if (c.mki_value == 0 && c.mki_len == 0 && c.wsh == 0)
		c.lifetime_pow2 = c.lifetime_pow2 ? 1 : 0;
	n = sdes_format(&c, buf, sizeof(buf));
	if (n < 0)
		abort();
	if (sdes_parse(buf, (size_t)n, SEC_SUITE_MASK_ALL, &d, &e) != 0)
		abort();
	/* tag may lose leading zeros; everything else must round-trip */
	if (d.suite != c.suite || d.tag != c.tag || d.lifetime != c.lifetime ||
			d.mki_len != c.mki_len || d.mki_value != c.mki_value ||
			d.wsh != c.wsh || memcmp(d.key, c.key, sizeof(c.key)) ||
			memcmp(d.salt, c.salt, sizeof(c.salt)))
		abort();
	sdes_crypto_clear(&c);
	sdes_crypto_clear(&d);
	return 0;
}
