/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers shared by the cfg unit tests. */
#ifndef IMSAGW_CFG_TEST_H
#define IMSAGW_CFG_TEST_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "cfg.h"

/* A valid config whose lines are known: line 1 lcores, access keys on lines
 * 3..9, core keys on 11..17. Tests append to it or write their own. */
#define CFG_TEST_LCORES "lcores = { media = [ 1 ]; };\n" /* 1 */
#define CFG_TEST_ACCESS                                                                            \
	"ports = {\n"                        /* 2 */                                               \
	"  access = {\n"                     /* 3 */                                               \
	"    device = \"net_tap0\";\n"       /* 4 */                                               \
	"    ipv4 = [ \"192.0.2.1/24\" ];\n" /* 5 */                                               \
	"    udp_min = 20000;\n"             /* 6 */                                               \
	"    udp_max = 29999;\n"             /* 7 */                                               \
	"    tcp_min = 20000;\n"             /* 8 */                                               \
	"    tcp_max = 29999;\n"             /* 9 */
#define CFG_TEST_CORE                                                                              \
	"  };\n"                                /* 10 */                                           \
	"  core = {\n"                          /* 11 */                                           \
	"    device = \"net_tap1\";\n"          /* 12 */                                           \
	"    ipv4 = [ \"198.51.100.1/24\" ];\n" /* 13 */                                           \
	"    udp_min = 30000;\n"                /* 14 */                                           \
	"    udp_max = 39999;\n"                /* 15 */                                           \
	"    tcp_min = 30000;\n"                /* 16 */                                           \
	"    tcp_max = 39999;\n"                /* 17 */
#define CFG_TEST_END                                                                               \
	"  };\n" /* 18 */                                                                          \
	"};\n"   /* 19 */
/* The minimal valid file: 19 lines; text appended starts at line 20. */
#define CFG_TEST_MIN CFG_TEST_LCORES CFG_TEST_ACCESS CFG_TEST_CORE CFG_TEST_END

/* Load text as "t.conf"; expect -EINVAL and an error that starts with
 * "t.conf:LINE: " (or "t.conf: " for line 0) and contains what. */
#define EXPECT_ERR(text, line, what) expect_err(text, line, what, __LINE__)

static inline void
expect_err(const char *text, int line, const char *what, int at)
{
	char err[CFG_ERR_MAX] = "", prefix[32];
	struct cfg *c = NULL;
	int rc, ok;

	rc = cfg_load_string(text, "t.conf", &c, err, sizeof(err));
	if (line > 0)
		snprintf(prefix, sizeof(prefix), "t.conf:%d: ", line);
	else
		snprintf(prefix, sizeof(prefix), "t.conf: ");
	ok = rc == -EINVAL && c == NULL && strncmp(err, prefix, strlen(prefix)) == 0 &&
	     strstr(err, what) != NULL;
	if (!ok)
		fprintf(stderr, "\n  test line %d: want '%s...%s', rc %d got '%s'\n", at, prefix,
			what, rc, err);
	CU_ASSERT(ok);
	cfg_free(c);
}

/* Load text that must be valid. NULL (and a failed assertion) if not. */
static inline struct cfg *
load_ok(const char *text)
{
	char err[CFG_ERR_MAX] = "";
	struct cfg *c = NULL;
	int rc = cfg_load_string(text, "t.conf", &c, err, sizeof(err));

	if (rc != 0)
		fprintf(stderr, "\n  unexpected: %s\n", err);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(c);
	return c;
}

#endif /* IMSAGW_CFG_TEST_H */
