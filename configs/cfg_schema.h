/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cfg_schema: the declarative schema engine (private to configs/).
 *
 * A schema is a tree of tables. A table is an array of rows; a row is one key
 * of the file: its name, its type, where its value goes (an offset into the
 * struct the table describes), its default, its bounds, whether a SIGHUP
 * reload may change it, and one line of meaning for docs/configuration.md.
 * A GROUP row points at the table of its subgroup; the same table can be
 * applied at two places (ports.access and ports.core share one).
 *
 * Like nginx's command tables (src/core/ngx_conf_file.c), but the rows are
 * data only: one generic walker parses, defaults, compares (reload) and
 * documents every row, so that adding a key is adding a row.
 */
#ifndef IMSAGW_CFG_SCHEMA_H
#define IMSAGW_CFG_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include <libconfig.h>

#include "cfg.h"

enum cfg_type {
	CFG_T_BOOL = 0, /* true / false into a bool */
	CFG_T_UINT,     /* integer in [min, max] into a uint8/16/32 or enum-sized field */
	CFG_T_STR,      /* string into a char[size], at most max characters (0 = size - 1) */
	CFG_T_STRDUP,   /* string into a heap char * (eal.args), freed by cfg_free() */
	CFG_T_ENUM,     /* string from names[] into an int-sized field (the name's value) */
	CFG_T_CHOICE,   /* string from names[] into a char[size] (the name itself) */
	CFG_T_IP,       /* "192.0.2.1" / "2001:db8::1" into struct cfg_ip */
	CFG_T_PREFIX,   /* "addr/len" into struct cfg_prefix */
	CFG_T_ENDPOINT, /* "ip:port" or "[v6]:port" into struct cfg_endpoint */
	CFG_T_MAC,      /* "02:00:00:00:00:01" into uint8_t[6] */
	CFG_T_ROUTE,    /* "PREFIX via IP" into struct cfg_route */
	CFG_T_GROUP,    /* { ... } described by sub; a list of groups when max_items */
};

/* Row flags. */
#define CFG_F_REQUIRED 0x1u /* no default: the key must be present */
/* A SIGHUP reload may change it, and the change takes effect: the running
 * process applies it (app/ reload) or reads the value where it uses it. A
 * key whose value is baked into something built at start (a table size, a
 * port, a device) is not reloadable. */
#define CFG_F_RELOAD 0x2u

struct cfg_name {
	const char *name;
	int value;
};

struct cfg_table;

struct cfg_row {
	const char *key; /* name within its group */
	enum cfg_type type;
	size_t off;                   /* of the field (first element for lists) */
	size_t size;                  /* of the field, or of one list element */
	unsigned int max_items;       /* > 0: a list of up to max_items elements */
	unsigned int min_items;       /* lists: fewer is an error */
	size_t count_off;             /* lists: offset of the unsigned int count */
	int64_t min, max;             /* UINT bounds; STR max length (0 = size - 1) */
	int family;                   /* IP, PREFIX, ENDPOINT: AF_INET/AF_INET6, 0 = any */
	const struct cfg_name *names; /* ENUM, CHOICE: NULL-terminated */
	const struct cfg_table *sub;  /* GROUP */
	const char *def;              /* default as text; lists: comma separated.
				       * "%s" is replaced by the group's tag */
	const char *tag;              /* GROUP: substituted for "%s" in defaults below */
	unsigned int flags;           /* CFG_F_* */
	const char *meaning;          /* one line, for the docs */
};

struct cfg_table {
	const char *name; /* for the dump's section headings */
	const struct cfg_row *rows;
	unsigned int n_rows;
};

#define CFG_FSIZE(T, f) sizeof(((T *)0)->f)
/* A scalar field. */
#define CFG_FIELD(T, f) .off = offsetof(T, f), .size = CFG_FSIZE(T, f)
/* A list field `f` (an array) with its count `n`. */
#define CFG_LIST(T, f, n)                                                                          \
	.off = offsetof(T, f), .size = CFG_FSIZE(T, f[0]),                                         \
	.max_items = CFG_FSIZE(T, f) / CFG_FSIZE(T, f[0]), .count_off = offsetof(T, n)
#define CFG_TABLE(n, r)                                                                            \
	{                                                                                          \
		.name = n, .rows = r, .n_rows = sizeof(r) / sizeof((r)[0])                         \
	}

/* One table per section, each in its own file. */
extern const struct cfg_table cfg_schema_eal;
extern const struct cfg_table cfg_schema_lcores;
extern const struct cfg_table cfg_schema_dataplane;
extern const struct cfg_table cfg_schema_ports;
extern const struct cfg_table cfg_schema_iq;
extern const struct cfg_table cfg_schema_limits;
extern const struct cfg_table cfg_schema_crypto;
extern const struct cfg_table cfg_schema_msrp;
extern const struct cfg_table cfg_schema_log;
extern const struct cfg_table cfg_schema_telemetry;
extern const struct cfg_table cfg_schema_process;
/* The root: one GROUP row per section (cfg_schema.c). */
extern const struct cfg_table cfg_schema_root;

/* Where errors go while one file is being read. */
struct cfg_ctx {
	config_t *cf;     /* the parsed file, for lines of cross-field errors */
	const char *name; /* file name when libconfig has none (strings) */
	const char *dir;  /* @include directory, prefixed to included names */
	char *err;
	size_t errlen;
};

/*
 * Apply table t to the group setting g (NULL: absent, all defaults) and write
 * the values at base. path is the group's key path ("" for the root), where
 * the setting to blame for a missing key (g's nearest present ancestor), tag
 * the "%s" substitution for defaults. Returns 0 or -EINVAL with err set.
 */
int cfg_schema_apply(const struct cfg_table *t, const config_setting_t *g,
		     const config_setting_t *where, void *base, const char *path, const char *tag,
		     struct cfg_ctx *ctx);

/* First key under t whose values differ between cur and next and that a
 * reload may not change: 0 when none, -EPERM with err set otherwise. */
int cfg_schema_diff(const struct cfg_table *t, const void *cur, const void *next, const char *path,
		    char *err, size_t errlen);

/* Copy every reloadable row's value (lists with their count) from src to
 * dst, both described by t; everything else in dst stays. */
void cfg_schema_copy_reloadable(const struct cfg_table *t, void *dst, const void *src);

/* Free what the rows of t allocated at base (CFG_T_STRDUP). */
void cfg_schema_release(const struct cfg_table *t, void *base);

/* Dump t's rows as markdown table rows, keys prefixed by path. */
void cfg_schema_dump_table(const struct cfg_table *t, const char *path, const char *tag, FILE *fp);

/* "FILE:LINE: " + message into ctx->err, blaming setting s (or the file when
 * s is NULL or has no line). Returns -EINVAL. */
int cfg_err(struct cfg_ctx *ctx, const config_setting_t *s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Same, blaming the setting at path (element idx of it when idx >= 0), or its
 * nearest present ancestor when the key was defaulted. */
int cfg_err_at(struct cfg_ctx *ctx, const char *path, int idx, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Cross-field checks on a parsed snapshot (cfg_check.c). 0 or -EINVAL. */
int cfg_check(struct cfg *c, struct cfg_ctx *ctx);

/* Text parsers shared by the walker and the cross-field checks (cfg_parse_ip
 * is public, in cfg.h). Each returns
 * 0, or -EINVAL with a reason in why. */
int cfg_parse_prefix(const char *s, int family, struct cfg_prefix *p, char *why, size_t len);
int cfg_parse_endpoint(const char *s, int family, struct cfg_endpoint *ep, char *why, size_t len);
int cfg_parse_mac(const char *s, uint8_t mac[6], char *why, size_t len);
int cfg_parse_route(const char *s, struct cfg_route *r, char *why, size_t len);

/* Address helpers. */
int cfg_ip_equal(const struct cfg_ip *a, const struct cfg_ip *b);
/* Is ip inside prefix p (same family, first p->len bits equal)? */
int cfg_prefix_contains(const struct cfg_prefix *p, const struct cfg_ip *ip);

#endif /* IMSAGW_CFG_SCHEMA_H */
