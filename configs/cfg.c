/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cfg: load a file into a snapshot (schema walk, then cross-field checks),
 * compare snapshots for reload, dump the schema.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "cfg.h"
#include "cfg_schema.h"

#define SECTION(k, f, t, m)                                                                        \
	{                                                                                          \
		.key = k, .type = CFG_T_GROUP, .off = offsetof(struct cfg, f),                     \
		.size = sizeof(((struct cfg *)0)->f), .sub = &(t), .meaning = m                    \
	}

static const struct cfg_row root_rows[] = {
	SECTION("eal", eal, cfg_schema_eal, "EAL arguments"),
	SECTION("lcores", lcores, cfg_schema_lcores, "lcore roles"),
	SECTION("dataplane", dataplane, cfg_schema_dataplane, "packet path"),
	SECTION("ports", ports, cfg_schema_ports, "access and core ports"),
	SECTION("iq", iq, cfg_schema_iq, "H.248 Iq link"),
	SECTION("limits", limits, cfg_schema_limits, "table sizes"),
	SECTION("crypto", crypto, cfg_schema_crypto, "SRTP"),
	SECTION("msrp", msrp, cfg_schema_msrp, "MSRP relay and TLS"),
	SECTION("log", log, cfg_schema_log, "logging"),
	SECTION("telemetry", telemetry, cfg_schema_telemetry, "telemetry and capture"),
	SECTION("process", process, cfg_schema_process, "process protection"),
};

const struct cfg_table cfg_schema_root = CFG_TABLE("", root_rows);

static int
build(config_t *cf, const char *name, const char *dir, struct cfg **out, char *err, size_t errlen)
{
	struct cfg_ctx ctx = {.cf = cf, .name = name, .dir = dir, .err = err, .errlen = errlen};
	struct cfg *c;
	int rc;

	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return -ENOMEM;
	snprintf(c->path, sizeof(c->path), "%s", name);
	rc = cfg_schema_apply(&cfg_schema_root, config_root_setting(cf), config_root_setting(cf), c,
			      "", NULL, &ctx);
	if (rc == 0)
		rc = cfg_check(c, &ctx);
	if (rc < 0) {
		cfg_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

/* libconfig's own syntax error, as FILE:LINE: its message. */
static int
syntax_error(config_t *cf, const char *name, char *err, size_t errlen)
{
	const char *file = config_error_file(cf);

	if (errlen > 0)
		snprintf(err, errlen, "%s:%d: %s", file != NULL ? file : name,
			 config_error_line(cf), config_error_text(cf));
	return -EINVAL;
}

int
cfg_load(const char *path, struct cfg **out, char *err, size_t errlen)
{
	char dir[CFG_PATH_MAX];
	const char *incdir;
	config_t cf;
	FILE *fp;
	int rc;

	*out = NULL;
	if (strlen(path) >= CFG_PATH_MAX) {
		if (errlen > 0)
			snprintf(err, errlen, "%.64s...: path too long", path);
		return -EINVAL;
	}
	/* libconfig says only "file I/O error": ask the OS first for errno. */
	fp = fopen(path, "r");
	if (fp == NULL) {
		rc = -errno;
		if (errlen > 0)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	fclose(fp);

	config_init(&cf);
	snprintf(dir, sizeof(dir), "%s", path);
	/* @include relative to the file, not to the working directory. */
	incdir = dirname(dir);
	config_set_include_dir(&cf, incdir);
	if (config_read_file(&cf, path) != CONFIG_TRUE) {
		if (config_error_type(&cf) == CONFIG_ERR_FILE_IO) {
			if (errlen > 0)
				snprintf(err, errlen, "%s: cannot read", path);
			rc = -EIO;
		} else {
			rc = syntax_error(&cf, path, err, errlen);
		}
		config_destroy(&cf);
		return rc;
	}
	rc = build(&cf, path, strcmp(incdir, ".") == 0 ? NULL : incdir, out, err, errlen);
	config_destroy(&cf);
	return rc;
}

int
cfg_load_string(const char *text, const char *name, struct cfg **out, char *err, size_t errlen)
{
	config_t cf;
	int rc;

	*out = NULL;
	config_init(&cf);
	if (config_read_string(&cf, text) != CONFIG_TRUE) {
		rc = syntax_error(&cf, name, err, errlen);
		config_destroy(&cf);
		return rc;
	}
	rc = build(&cf, name, NULL, out, err, errlen);
	config_destroy(&cf);
	return rc;
}

void
cfg_free(struct cfg *c)
{
	if (c == NULL)
		return;
	cfg_schema_release(&cfg_schema_root, c);
	free(c);
}

int
cfg_reload_check(const struct cfg *cur, const struct cfg *next, char *err, size_t errlen)
{
	return cfg_schema_diff(&cfg_schema_root, cur, next, "", err, errlen);
}

int
cfg_reload_apply(struct cfg *cur, const struct cfg *next, char *err, size_t errlen)
{
	int rc = cfg_reload_check(cur, next, err, errlen);

	if (rc < 0)
		return rc;
	/* The schema says what is reloadable; nothing is copied by hand. */
	cfg_schema_copy_reloadable(&cfg_schema_root, cur, next);
	return 0;
}

void
cfg_schema_dump(FILE *fp)
{
	fprintf(fp, "| key | type | default | bounds | reload | meaning |\n");
	fprintf(fp, "|---|---|---|---|---|---|\n");
	cfg_schema_dump_table(&cfg_schema_root, "", NULL, fp);
}
