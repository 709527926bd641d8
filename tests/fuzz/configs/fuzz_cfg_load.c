/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer: the config loader (libconfig text -> schema walk -> cross-field
 * checks) on arbitrary text, as an operator's typo or a hostile file would
 * give it. A snapshot that loads must compare equal to itself for reload and
 * survive cfg_reload_apply onto itself; every error must carry a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/* Debian 12's libconfig 1.5 leaks scanner buffers (1 to 64 bytes, from
 * libconfig_yylex and strbuf_append) on some malformed files, e.g. a quoted
 * string broken by a newline; this target found it. That is the library's,
 * not ours: a bad file at start exits, and a bad file on SIGHUP costs those
 * bytes once. Our own allocations stay checked. */
const char *
__lsan_default_suppressions(void)
{
	return "leak:libconfig.so\n";
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[CFG_ERR_MAX];
	struct cfg *c = NULL;
	char *text = malloc(size + 1);
	int rc;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	err[0] = '\0';
	rc = cfg_load_string(text, "fuzz.conf", &c, err, sizeof(err));
	if (rc == 0) {
		if (c == NULL || cfg_reload_check(c, c, err, sizeof(err)) != 0 ||
		    cfg_reload_apply(c, c, err, sizeof(err)) != 0)
			abort();
	} else if (c != NULL || err[0] == '\0') {
		abort();
	}
	cfg_free(c);
	free(text);
	return 0;
}
