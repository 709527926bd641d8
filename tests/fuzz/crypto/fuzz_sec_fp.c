/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer: sec_fp_parse on arbitrary bytes (only size bytes exist: the
 * input is not NUL-terminated); what parses must format in upper case and
 * parse back to the same fingerprint. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sec_tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[SEC_FP_TEXT_MAX];
	struct sec_fp fp, back;
	int rc, n, i;

	rc = sec_fp_parse((const char *)data, size, &fp);
	if (rc != 0) {
		if (rc != -EINVAL && rc != -EPROTONOSUPPORT)
			abort();
		return 0;
	}
	if ((unsigned int)fp.hash >= SEC_FP_HASH_MAX || fp.len == 0 ||
			fp.len > SEC_FP_MD_MAX)
		abort();
	n = sec_fp_format(&fp, buf, sizeof(buf));
	if (n <= 0 || n >= (int)sizeof(buf) || buf[n] != '\0')
		abort();
	for (i = 0; i < n; i++)
		if (buf[i] >= 'a' && buf[i] <= 'z')
			abort();
	if (sec_fp_parse(buf, (size_t)n, &back) != 0 || !sec_fp_equal(&fp, &back) ||
			back.hash != fp.hash || back.len != fp.len ||
			memcmp(back.md, fp.md, sizeof(fp.md)) != 0)
		abort();
	return 0;
}
