/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The schema engine: walks libconfig's tree against the schema tables,
 * applies defaults, compares snapshots for reload, and dumps the rows as
 * documentation. Nothing here knows a key by name: that is the tables' job.
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "cfg_schema.h"

#define PATH_MAX_LEN 192

static void
join(char *out, size_t len, const char *path, const char *key)
{
	if (path[0] == '\0')
		snprintf(out, len, "%s", key);
	else
		snprintf(out, len, "%s.%s", path, key);
}

static void vreport(struct cfg_ctx *ctx, const config_setting_t *s, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void
vreport(struct cfg_ctx *ctx, const config_setting_t *s, const char *fmt, va_list ap)
{
	const char *file = NULL;
	int line = 0, n;

	if (ctx->errlen == 0)
		return;
	if (s != NULL) {
		file = config_setting_source_file(s);
		line = (int)config_setting_source_line(s);
	}
	if (file == NULL)
		file = ctx->name;
	/* libconfig names an @include'd file as written: say where it is. */
	if (ctx->dir != NULL && file != ctx->name && strcmp(file, ctx->name) != 0 && file[0] != '/')
		n = snprintf(ctx->err, ctx->errlen, "%s/", ctx->dir);
	else
		n = 0;
	if (n >= 0 && (size_t)n < ctx->errlen && line > 0)
		n += snprintf(ctx->err + n, ctx->errlen - (size_t)n, "%s:%d: ", file, line);
	else if (n >= 0 && (size_t)n < ctx->errlen)
		n += snprintf(ctx->err + n, ctx->errlen - (size_t)n, "%s: ", file);
	if (n >= 0 && (size_t)n < ctx->errlen)
		vsnprintf(ctx->err + n, ctx->errlen - (size_t)n, fmt, ap);
}

int
cfg_err(struct cfg_ctx *ctx, const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ctx, s, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int
cfg_err_at(struct cfg_ctx *ctx, const char *path, int idx, const char *fmt, ...)
{
	char p[PATH_MAX_LEN];
	const config_setting_t *s = NULL;
	va_list ap;

	snprintf(p, sizeof(p), "%s", path);
	while (ctx->cf != NULL) {
		char *dot;

		s = config_lookup(ctx->cf, p);
		if (s != NULL)
			break;
		dot = strrchr(p, '.');
		if (dot == NULL)
			break;
		*dot = '\0';
		idx = -1;
	}
	if (s != NULL && idx >= 0 && config_setting_get_elem(s, (unsigned int)idx) != NULL)
		s = config_setting_get_elem(s, (unsigned int)idx);
	va_start(ap, fmt);
	vreport(ctx, s, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const char *
type_name(int t)
{
	switch (t) {
	case CONFIG_TYPE_GROUP:
		return "a group";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "an integer";
	case CONFIG_TYPE_FLOAT:
		return "a float";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_BOOL:
		return "a boolean";
	case CONFIG_TYPE_ARRAY:
		return "an array";
	case CONFIG_TYPE_LIST:
		return "a list";
	default:
		return "nothing";
	}
}

static const char *
expected_name(const struct cfg_row *r)
{
	switch (r->type) {
	case CFG_T_BOOL:
		return "a boolean (true or false)";
	case CFG_T_UINT:
		return "an integer";
	case CFG_T_GROUP:
		return "a group { ... }";
	default:
		return "a string";
	}
}

static void
names_list(const struct cfg_name *names, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (; names->name != NULL && n < len; names++)
		n += (size_t)snprintf(buf + n, len - n, "%s\"%s\"", n ? ", " : "", names->name);
}

static void
store_uint(void *dst, size_t size, uint64_t v)
{
	switch (size) {
	case 1: {
		uint8_t x = (uint8_t)v;

		memcpy(dst, &x, 1);
		break;
	}
	case 2: {
		uint16_t x = (uint16_t)v;

		memcpy(dst, &x, 2);
		break;
	}
	case 4: {
		uint32_t x = (uint32_t)v;

		memcpy(dst, &x, 4);
		break;
	}
	default:
		memcpy(dst, &v, sizeof(v));
		break;
	}
}

static uint64_t
load_uint(const void *src, size_t size)
{
	switch (size) {
	case 1:
		return *(const uint8_t *)src;
	case 2: {
		uint16_t x;

		memcpy(&x, src, 2);
		return x;
	}
	case 4: {
		uint32_t x;

		memcpy(&x, src, 4);
		return x;
	}
	default: {
		uint64_t x;

		memcpy(&x, src, sizeof(x));
		return x;
	}
	}
}

static int
check_uint(const struct cfg_row *r, int64_t v, void *dst, char *why, size_t len)
{
	if (v < r->min || v > r->max) {
		snprintf(why, len, "%" PRId64 " is out of range %" PRId64 "..%" PRId64, v, r->min,
			 r->max);
		return -EINVAL;
	}
	store_uint(dst, r->size, (uint64_t)v);
	return 0;
}

/* One value of a text type (and BOOL/UINT for defaults) into dst. */
static int
value_from_text(const struct cfg_row *r, const char *s, void *dst, char *why, size_t len)
{
	const struct cfg_name *nm;
	char names[256];
	size_t n, maxlen;

	switch (r->type) {
	case CFG_T_BOOL:
		if (strcmp(s, "true") != 0 && strcmp(s, "false") != 0) {
			snprintf(why, len, "'%s' is not true or false", s);
			return -EINVAL;
		}
		*(bool *)dst = strcmp(s, "true") == 0;
		return 0;
	case CFG_T_UINT: {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno != 0 || end == s || *end != '\0') {
			snprintf(why, len, "'%s' is not an integer", s);
			return -EINVAL;
		}
		return check_uint(r, v, dst, why, len);
	}
	case CFG_T_STR:
		n = strlen(s);
		maxlen = r->max > 0 ? (size_t)r->max : r->size - 1;
		if (n > maxlen) {
			snprintf(why, len, "'%.40s%s' is too long (%zu characters, max %zu)", s,
				 n > 40 ? "..." : "", n, maxlen);
			return -EINVAL;
		}
		if ((int64_t)n < r->min) {
			snprintf(why, len, "must not be empty");
			return -EINVAL;
		}
		memcpy(dst, s, n + 1);
		return 0;
	case CFG_T_STRDUP: {
		char *d;

		n = strlen(s);
		if (n > (size_t)r->max) {
			snprintf(why, len,
				 "'%.40s...' is too long (%zu characters, max %" PRId64 ")", s, n,
				 r->max);
			return -EINVAL;
		}
		d = strdup(s);
		if (d == NULL) {
			snprintf(why, len, "out of memory");
			return -ENOMEM;
		}
		*(char **)dst = d;
		return 0;
	}
	case CFG_T_ENUM:
	case CFG_T_CHOICE:
		for (nm = r->names; nm->name != NULL; nm++) {
			if (strcmp(nm->name, s) != 0)
				continue;
			if (r->type == CFG_T_ENUM)
				store_uint(dst, r->size, (uint64_t)nm->value);
			else
				snprintf(dst, r->size, "%s", nm->name);
			return 0;
		}
		names_list(r->names, names, sizeof(names));
		snprintf(why, len, "'%s' is not one of %s", s, names);
		return -EINVAL;
	case CFG_T_IP:
		return cfg_parse_ip(s, r->family, dst, why, len);
	case CFG_T_PREFIX:
		return cfg_parse_prefix(s, r->family, dst, why, len);
	case CFG_T_ENDPOINT:
		return cfg_parse_endpoint(s, r->family, dst, why, len);
	case CFG_T_MAC:
		return cfg_parse_mac(s, dst, why, len);
	case CFG_T_ROUTE:
		return cfg_parse_route(s, dst, why, len);
	case CFG_T_GROUP:
		break;
	}
	snprintf(why, len, "no text form");
	return -EINVAL;
}

/* Two list elements that must not both appear (same address, same id). */
static bool
elem_clash(const struct cfg_row *r, const void *a, const void *b)
{
	switch (r->type) {
	case CFG_T_UINT:
	case CFG_T_MAC:
	case CFG_T_ENUM:
		return memcmp(a, b, r->size) == 0;
	case CFG_T_STR:
	case CFG_T_CHOICE:
		return strcmp(a, b) == 0;
	case CFG_T_IP:
		return cfg_ip_equal(a, b);
	case CFG_T_PREFIX:
		return cfg_ip_equal(&((const struct cfg_prefix *)a)->ip,
				    &((const struct cfg_prefix *)b)->ip);
	case CFG_T_ENDPOINT: {
		const struct cfg_endpoint *x = a, *y = b;

		return cfg_ip_equal(&x->ip, &y->ip) && x->port == y->port;
	}
	case CFG_T_ROUTE: {
		const struct cfg_route *x = a, *y = b;

		return cfg_ip_equal(&x->dst.ip, &y->dst.ip) && x->dst.len == y->dst.len;
	}
	default:
		return false; /* STRDUP (EAL args repeat), GROUP (checked later) */
	}
}

/* Exact equality of one value, for reload. */
static bool
value_same(const struct cfg_row *r, const void *a, const void *b)
{
	switch (r->type) {
	case CFG_T_BOOL:
		return *(const bool *)a == *(const bool *)b;
	case CFG_T_UINT:
	case CFG_T_ENUM:
		return load_uint(a, r->size) == load_uint(b, r->size);
	case CFG_T_STR:
	case CFG_T_CHOICE:
		return strcmp(a, b) == 0;
	case CFG_T_STRDUP:
		return strcmp(*(char *const *)a, *(char *const *)b) == 0;
	case CFG_T_MAC:
		return memcmp(a, b, 6) == 0;
	case CFG_T_IP:
		return cfg_ip_equal(a, b);
	case CFG_T_PREFIX: {
		const struct cfg_prefix *x = a, *y = b;

		return cfg_ip_equal(&x->ip, &y->ip) && x->len == y->len;
	}
	case CFG_T_ENDPOINT:
		return elem_clash(r, a, b);
	case CFG_T_ROUTE: {
		const struct cfg_route *x = a, *y = b;

		return elem_clash(r, a, b) && cfg_ip_equal(&x->via, &y->via);
	}
	case CFG_T_GROUP:
		break;
	}
	return false;
}

/* Expand "%s" in a default with the group's tag. */
static const char *
expand(const char *def, const char *tag, char *buf, size_t len)
{
	const char *p = strstr(def, "%s");

	if (p == NULL || tag == NULL)
		return def;
	snprintf(buf, len, "%.*s%s%s", (int)(p - def), def, tag, p + 2);
	return buf;
}

/* One element from a setting. */
static int
value_from_setting(const struct cfg_row *r, const config_setting_t *s, void *dst, const char *path,
		   const char *tag, struct cfg_ctx *ctx)
{
	char why[CFG_ERR_MAX];
	int t = config_setting_type(s);
	int rc;

	switch (r->type) {
	case CFG_T_BOOL:
		if (t != CONFIG_TYPE_BOOL)
			break;
		*(bool *)dst = config_setting_get_bool(s) != 0;
		return 0;
	case CFG_T_UINT:
		if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
			break;
		if (check_uint(r, (int64_t)config_setting_get_int64(s), dst, why, sizeof(why)) < 0)
			return cfg_err(ctx, s, "%s: %s", path, why);
		return 0;
	case CFG_T_GROUP:
		if (t != CONFIG_TYPE_GROUP)
			break;
		return cfg_schema_apply(r->sub, s, s, dst, path, tag, ctx);
	default:
		if (t != CONFIG_TYPE_STRING)
			break;
		rc = value_from_text(r, config_setting_get_string(s), dst, why, sizeof(why));
		if (rc < 0) {
			cfg_err(ctx, s, "%s: %s", path, why);
			return rc;
		}
		return 0;
	}
	return cfg_err(ctx, s, "%s: expected %s, got %s", path, expected_name(r), type_name(t));
}

static int
apply_default(const struct cfg_row *r, const config_setting_t *where, void *base, const char *path,
	      const char *tag, struct cfg_ctx *ctx)
{
	char why[CFG_ERR_MAX], buf[CFG_DEVICE_MAX];
	uint8_t *dst = (uint8_t *)base + r->off;
	const char *def;
	int rc;

	if (r->flags & CFG_F_REQUIRED)
		return cfg_err(ctx, where, "missing key '%s'", path);
	if (r->type == CFG_T_GROUP && r->max_items == 0)
		return cfg_schema_apply(r->sub, NULL, where, dst, path, r->tag ? r->tag : tag, ctx);
	def = expand(r->def != NULL ? r->def : "", tag, buf, sizeof(buf));
	if (r->max_items > 0) {
		/* Comma-separated elements; "" is the empty list. */
		unsigned int n = 0;
		const char *p = def;

		while (*p != '\0') {
			char item[CFG_DEVICE_MAX];
			size_t len = strcspn(p, ",");

			if (n >= r->max_items || len >= sizeof(item))
				return cfg_err(ctx, where, "%s: bad schema default", path);
			memcpy(item, p, len);
			item[len] = '\0';
			rc = value_from_text(r, item, dst + (size_t)n * r->size, why, sizeof(why));
			if (rc < 0)
				return cfg_err(ctx, where, "%s: default: %s", path, why);
			n++;
			p += len;
			while (*p == ',' || *p == ' ')
				p++;
		}
		memcpy((uint8_t *)base + r->count_off, &n, sizeof(n));
		return 0;
	}
	rc = value_from_text(r, def, dst, why, sizeof(why));
	if (rc < 0)
		return cfg_err(ctx, where, "%s: default: %s", path, why);
	return 0;
}

static int
apply_list(const struct cfg_row *r, const config_setting_t *s, void *base, const char *path,
	   const char *tag, struct cfg_ctx *ctx)
{
	uint8_t *dst = (uint8_t *)base + r->off;
	int t = config_setting_type(s);
	unsigned int n, i, j;
	char ep[PATH_MAX_LEN + 16];
	int rc;

	if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
		return cfg_err(ctx, s, "%s: expected a list [ ... ] or ( ... ), got %s", path,
			       type_name(t));
	if (r->type == CFG_T_GROUP && t != CONFIG_TYPE_LIST)
		return cfg_err(ctx, s, "%s: expected a list of groups ( { ... }, ... )", path);
	n = (unsigned int)config_setting_length(s);
	if (n > r->max_items)
		return cfg_err(ctx, s, "%s: too many elements (%u, max %u)", path, n, r->max_items);
	if (n < r->min_items)
		return cfg_err(ctx, s, "%s: needs at least %u element%s", path, r->min_items,
			       r->min_items == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, i);
		uint8_t *d = dst + (size_t)i * r->size;

		snprintf(ep, sizeof(ep), "%s[%u]", path, i);
		/* Count what is already stored, so that cfg_free() releases it. */
		memcpy((uint8_t *)base + r->count_off, &i, sizeof(i));
		rc = value_from_setting(r, e, d, ep, tag, ctx);
		if (rc < 0)
			return rc;
		for (j = 0; j < i; j++) {
			char v[CFG_DEVICE_MAX + 2];

			if (!elem_clash(r, dst + (size_t)j * r->size, d))
				continue;
			if (config_setting_type(e) == CONFIG_TYPE_STRING)
				snprintf(v, sizeof(v), "'%s'", config_setting_get_string(e));
			else
				snprintf(v, sizeof(v), "%lld",
					 (long long)config_setting_get_int64(e));
			return cfg_err(ctx, e, "%s: duplicate of %s[%u] (%s)", ep, path, j, v);
		}
	}
	memcpy((uint8_t *)base + r->count_off, &n, sizeof(n));
	return 0;
}

/* Levenshtein distance, for "did you mean"; keys are short. */
static unsigned int
distance(const char *a, const char *b)
{
	unsigned int row[64], i, j, la = (unsigned int)strlen(a), lb = (unsigned int)strlen(b);

	if (la >= 64 || lb >= 64)
		return 64;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		unsigned int diag = row[0], up;

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			unsigned int best = diag + (a[i - 1] != b[j - 1]);

			up = row[j];
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

/* The row key a typo most likely meant: at most 2 edits away and a third of
 * the name, or NULL. */
static const char *
nearest_key(const struct cfg_table *t, const char *name)
{
	const char *best = NULL;
	unsigned int i, d, best_d = 3;

	for (i = 0; i < t->n_rows; i++) {
		d = distance(name, t->rows[i].key);
		if (d < best_d && d * 3 <= strlen(name)) {
			best_d = d;
			best = t->rows[i].key;
		}
	}
	return best;
}

int
cfg_schema_apply(const struct cfg_table *t, const config_setting_t *g,
		 const config_setting_t *where, void *base, const char *path, const char *tag,
		 struct cfg_ctx *ctx)
{
	char kp[PATH_MAX_LEN];
	unsigned int i, n;
	int rc;

	/* Every setting present must be a row of this table. */
	n = g != NULL ? (unsigned int)config_setting_length(g) : 0;
	for (i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(g, i);
		const char *name = config_setting_name(s);
		bool known = false;
		unsigned int k;

		for (k = 0; k < t->n_rows && !known; k++)
			known = strcmp(t->rows[k].key, name) == 0;
		if (!known) {
			const char *near = nearest_key(t, name);

			join(kp, sizeof(kp), path, name);
			if (near != NULL)
				return cfg_err(ctx, s, "unknown key '%s' (did you mean '%s'?)", kp,
					       near);
			return cfg_err(ctx, s, "unknown key '%s'", kp);
		}
	}
	/* Then every row: its setting, or its default. */
	for (i = 0; i < t->n_rows; i++) {
		const struct cfg_row *r = &t->rows[i];
		const config_setting_t *s;
		const char *sub_tag = r->tag != NULL ? r->tag : tag;

		join(kp, sizeof(kp), path, r->key);
		s = g != NULL ? config_setting_get_member(g, r->key) : NULL;
		if (s == NULL)
			rc = apply_default(r, where, base, kp, sub_tag, ctx);
		else if (r->max_items > 0)
			rc = apply_list(r, s, base, kp, sub_tag, ctx);
		else
			rc = value_from_setting(r, s, (uint8_t *)base + r->off, kp, sub_tag, ctx);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int
diff_row(const struct cfg_row *r, const uint8_t *a, const uint8_t *b, const char *kp, char *err,
	 size_t errlen)
{
	if (r->type == CFG_T_GROUP)
		return cfg_schema_diff(r->sub, a, b, kp, err, errlen);
	if (value_same(r, a, b))
		return 0;
	if (!(r->flags & CFG_F_RELOAD)) {
		snprintf(err, errlen, "%s cannot change on reload (it needs a restart)", kp);
		return -EPERM;
	}
	return 0;
}

int
cfg_schema_diff(const struct cfg_table *t, const void *cur, const void *next, const char *path,
		char *err, size_t errlen)
{
	char kp[PATH_MAX_LEN], ep[PATH_MAX_LEN + 16];
	unsigned int i, k, na, nb;
	int rc;

	for (i = 0; i < t->n_rows; i++) {
		const struct cfg_row *r = &t->rows[i];
		const uint8_t *a = (const uint8_t *)cur + r->off;
		const uint8_t *b = (const uint8_t *)next + r->off;

		join(kp, sizeof(kp), path, r->key);
		if (r->max_items == 0) {
			rc = diff_row(r, a, b, kp, err, errlen);
			if (rc < 0)
				return rc;
			continue;
		}
		memcpy(&na, (const uint8_t *)cur + r->count_off, sizeof(na));
		memcpy(&nb, (const uint8_t *)next + r->count_off, sizeof(nb));
		if (na != nb && !(r->flags & CFG_F_RELOAD)) {
			snprintf(err, errlen, "%s cannot change on reload (it needs a restart)",
				 kp);
			return -EPERM;
		}
		for (k = 0; k < na && k < nb; k++) {
			snprintf(ep, sizeof(ep), "%s[%u]", kp, k);
			rc = diff_row(r, a + (size_t)k * r->size, b + (size_t)k * r->size,
				      (r->flags & CFG_F_RELOAD) ? ep : kp, err, errlen);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

void
cfg_schema_copy_reloadable(const struct cfg_table *t, void *dst, const void *src)
{
	unsigned int i;

	for (i = 0; i < t->n_rows; i++) {
		const struct cfg_row *r = &t->rows[i];
		uint8_t *d = (uint8_t *)dst + r->off;
		const uint8_t *s = (const uint8_t *)src + r->off;

		if (r->type == CFG_T_GROUP && r->max_items == 0) {
			cfg_schema_copy_reloadable(r->sub, d, s);
			continue;
		}
		if (!(r->flags & CFG_F_RELOAD))
			continue;
		assert(r->type != CFG_T_STRDUP && r->type != CFG_T_GROUP);
		/* Reloadable rows hold plain values (no heap strings), so the
		 * whole field, or the whole list with its count, is the value. */
		if (r->max_items > 0) {
			memcpy(d, s, (size_t)r->max_items * r->size);
			memcpy((uint8_t *)dst + r->count_off, (const uint8_t *)src + r->count_off,
			       sizeof(unsigned int));
		} else {
			memcpy(d, s, r->size);
		}
	}
}

void
cfg_schema_release(const struct cfg_table *t, void *base)
{
	unsigned int i, k, n;

	for (i = 0; i < t->n_rows; i++) {
		const struct cfg_row *r = &t->rows[i];
		uint8_t *d = (uint8_t *)base + r->off;

		if (r->type == CFG_T_GROUP && r->max_items == 0) {
			cfg_schema_release(r->sub, d);
			continue;
		}
		if (r->type != CFG_T_STRDUP)
			continue;
		if (r->max_items == 0) {
			free(*(char **)d);
			*(char **)d = NULL;
			continue;
		}
		memcpy(&n, (uint8_t *)base + r->count_off, sizeof(n));
		for (k = 0; k < n && k < r->max_items; k++) {
			free(((char **)d)[k]);
			((char **)d)[k] = NULL;
		}
	}
}

static const char *
doc_type(const struct cfg_row *r, char *buf, size_t len)
{
	const char *fam = r->family == AF_INET ? "IPv4 " : r->family == AF_INET6 ? "IPv6 " : "";
	const char *base;

	switch (r->type) {
	case CFG_T_BOOL:
		base = "bool";
		break;
	case CFG_T_UINT:
		base = "integer";
		break;
	case CFG_T_STR:
	case CFG_T_STRDUP:
		base = "string";
		break;
	case CFG_T_ENUM:
	case CFG_T_CHOICE:
		base = "enum";
		break;
	case CFG_T_IP:
		base = "address";
		break;
	case CFG_T_PREFIX:
		base = "prefix";
		break;
	case CFG_T_ENDPOINT:
		base = "endpoint";
		break;
	case CFG_T_MAC:
		base = "MAC";
		break;
	case CFG_T_ROUTE:
		base = "route";
		break;
	default:
		base = "group";
		break;
	}
	snprintf(buf, len, "%s%s%s", fam, base, r->max_items > 0 ? " list" : "");
	return buf;
}

static void
dump_row(const struct cfg_row *r, const char *kp, const char *tag, FILE *fp)
{
	char type[64], bounds[256], def[CFG_DEVICE_MAX + 8], buf[CFG_DEVICE_MAX];
	const char *d = r->def != NULL ? expand(r->def, tag, buf, sizeof(buf)) : "";
	size_t n = 0;

	bounds[0] = '\0';
	if (r->max_items > 0)
		n += (size_t)snprintf(bounds, sizeof(bounds), "%u..%u items", r->min_items,
				      r->max_items);
	if (r->type == CFG_T_UINT)
		snprintf(bounds + n, sizeof(bounds) - n, "%s%" PRId64 "..%" PRId64, n ? "; " : "",
			 r->min, r->max);
	else if (r->type == CFG_T_STR)
		snprintf(bounds + n, sizeof(bounds) - n, "%s%" PRId64 "..%zu chars", n ? "; " : "",
			 r->min, r->max > 0 ? (size_t)r->max : r->size - 1);
	else if (r->type == CFG_T_ENUM || r->type == CFG_T_CHOICE)
		names_list(r->names, bounds + n, sizeof(bounds) - n);

	if (r->flags & CFG_F_REQUIRED) {
		snprintf(def, sizeof(def), "required");
	} else if (r->max_items > 0) {
		/* ["a", "b"] from "a,b" */
		size_t m = (size_t)snprintf(def, sizeof(def), "[");

		while (*d != '\0' && m < sizeof(def)) {
			size_t len = strcspn(d, ",");

			m += (size_t)snprintf(def + m, sizeof(def) - m, "%s\"%.*s\"",
					      def[m - 1] == '[' ? "" : ", ", (int)len, d);
			d += len;
			while (*d == ',' || *d == ' ')
				d++;
		}
		if (m < sizeof(def))
			snprintf(def + m, sizeof(def) - m, "]");
	} else if (r->type == CFG_T_UINT || r->type == CFG_T_BOOL) {
		snprintf(def, sizeof(def), "%s", d);
	} else {
		snprintf(def, sizeof(def), "\"%s\"", d);
	}
	fprintf(fp, "| `%s` | %s | `%s` | %s | %s | %s |\n", kp, doc_type(r, type, sizeof(type)),
		def, bounds,
		(r->flags & CFG_F_RELOAD) ? "yes" : "no",
		r->meaning);
}

void
cfg_schema_dump_table(const struct cfg_table *t, const char *path, const char *tag, FILE *fp)
{
	char kp[PATH_MAX_LEN];
	unsigned int i;

	for (i = 0; i < t->n_rows; i++) {
		const struct cfg_row *r = &t->rows[i];
		const char *sub_tag = r->tag != NULL ? r->tag : tag;

		join(kp, sizeof(kp), path, r->key);
		if (r->type == CFG_T_GROUP && r->max_items == 0) {
			cfg_schema_dump_table(r->sub, kp, sub_tag, fp);
			continue;
		}
		dump_row(r, kp, sub_tag, fp);
		if (r->type == CFG_T_GROUP) {
			char ep[PATH_MAX_LEN + 4];

			snprintf(ep, sizeof(ep), "%s[]", kp);
			cfg_schema_dump_table(r->sub, ep, sub_tag, fp);
		}
	}
}
