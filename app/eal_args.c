/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EAL arguments from the command line and the config, so that
 * `imsagw --config FILE` runs as is on a machine without NICs or hugepages
 * while an operator's command-line EAL arguments still win.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eal_args.h"

static int
push(struct eal_args *e, const char *s)
{
	size_t n = strlen(e->line);

	if (e->argc >= EAL_ARGS_MAX)
		return -E2BIG;
	e->argv[e->argc] = strdup(s);
	if (e->argv[e->argc] == NULL)
		return -ENOMEM;
	e->owned[e->argc] = e->argv[e->argc];
	e->argc++;
	e->argv[e->argc] = NULL;
	if (e->argc > 1)
		snprintf(e->line + n, sizeof(e->line) - n, "%s%s", n ? " " : "", s);
	return 0;
}

static int
has_opt(const struct eal_args *e, const char *const *names)
{
	int i;
	const char *const *n;

	for (i = 1; i < e->argc; i++)
		for (n = names; *n != NULL; n++) {
			size_t l = strlen(*n);

			if (strncmp(e->argv[i], *n, l) == 0 &&
			    (e->argv[i][l] == '\0' || e->argv[i][l] == '='))
				return 1;
		}
	return 0;
}

unsigned long
eal_free_hugepage_mb(void)
{
	unsigned long free_pages = 0, page_kb = 0, v;
	char line[256];
	int mounted = 0;
	FILE *f;

	f = fopen("/proc/mounts", "r");
	if (f != NULL) {
		while (fgets(line, sizeof(line), f) != NULL)
			if (strstr(line, " hugetlbfs ") != NULL)
				mounted = 1;
		fclose(f);
	}
	if (!mounted)
		return 0;
	f = fopen("/proc/meminfo", "r");
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "HugePages_Free: %lu", &v) == 1)
			free_pages = v;
		else if (sscanf(line, "Hugepagesize: %lu kB", &v) == 1)
			page_kb = v;
	}
	fclose(f);
	return free_pages * page_kb / 1024u;
}

static int
push_lcores(struct eal_args *e, const struct cfg_lcores *lc)
{
	char list[512], num[16];
	unsigned int i;
	int rc;

	snprintf(list, sizeof(list), "%u", lc->control);
	for (i = 0; i < lc->n_media; i++) {
		snprintf(num, sizeof(num), ",%u", lc->media[i]);
		strncat(list, num, sizeof(list) - strlen(list) - 1);
	}
	for (i = 0; i < lc->n_msrp; i++) {
		snprintf(num, sizeof(num), ",%u", lc->msrp[i]);
		strncat(list, num, sizeof(list) - strlen(list) - 1);
	}
	rc = push(e, "-l");
	if (rc == 0)
		rc = push(e, list);
	snprintf(num, sizeof(num), "%u", lc->control);
	if (rc == 0)
		rc = push(e, "--main-lcore");
	if (rc == 0)
		rc = push(e, num);
	return rc;
}

int
eal_args_build(struct eal_args *e, const char *argv0, int n_cmdline, char **cmdline,
	       const struct cfg *cfg, char *err, size_t errlen)
{
	static const char *const lcore_opts[] = { "-l", "-c", "--lcores", NULL };
	static const char *const huge_opts[] = { "--no-huge", NULL };
	static const char *const mem_opts[] = { "-m", "--socket-mem", NULL };
	static const char *const tel_opts[] = { "--no-telemetry", "--telemetry", NULL };
	char mem[16];
	int i, rc = 0, no_huge;

	memset(e, 0, sizeof(*e));
	rc = push(e, argv0);
	if (n_cmdline > 0)
		for (i = 0; rc == 0 && i < n_cmdline; i++)
			rc = push(e, cmdline[i]);
	else
		for (i = 0; rc == 0 && i < (int)cfg->eal.argc; i++)
			rc = push(e, cfg->eal.argv[i]);
	if (rc == 0 && !has_opt(e, lcore_opts))
		rc = push_lcores(e, &cfg->lcores);
	if (rc == 0 && !has_opt(e, huge_opts)) {
		no_huge = cfg->eal.huge == CFG_HUGE_NO ||
			  (cfg->eal.huge == CFG_HUGE_AUTO &&
			   eal_free_hugepage_mb() < cfg->eal.memory_mb);
		if (no_huge) {
			rc = push(e, "--no-huge");
			if (rc == 0 && !has_opt(e, mem_opts)) {
				snprintf(mem, sizeof(mem), "%u", cfg->eal.memory_mb);
				rc = push(e, "-m");
				if (rc == 0)
					rc = push(e, mem);
			}
		}
	}
	if (rc == 0 && !cfg->telemetry.enabled && !has_opt(e, tel_opts))
		rc = push(e, "--no-telemetry");
	if (rc < 0) {
		snprintf(err, errlen, "EAL arguments: %s", strerror(-rc));
		eal_args_free(e);
	}
	return rc;
}

void
eal_args_free(struct eal_args *e)
{
	int i;

	for (i = 0; i < e->argc; i++)
		free(e->owned[i]);
	memset(e, 0, sizeof(*e));
}
