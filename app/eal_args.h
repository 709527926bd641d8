/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to the imsagw binary: the EAL argument vector (see eal_args.c). */
#ifndef IMSAGW_EAL_ARGS_H
#define IMSAGW_EAL_ARGS_H

#include <stddef.h>

#include "cfg.h"

#define EAL_ARGS_MAX (CFG_MAX_EAL_ARGS + 16)

struct eal_args {
	int argc;
	char *argv[EAL_ARGS_MAX + 1];  /* argv[argc] == NULL; handed to EAL,
					* which reorders and overwrites it */
	char *owned[EAL_ARGS_MAX];     /* the same strings, for freeing */
	char line[1024];               /* the same, space separated, for the log */
};

/*
 * Build EAL's argv: argv0, then the command-line EAL arguments when there
 * are any, else the config's eal.args; then what the config implies and the
 * arguments do not say themselves: the lcore list and main lcore from
 * `lcores`, and --no-huge -m N when eal.hugepages is "no", or "auto" and
 * hugetlbfs has fewer free pages than eal.memory_mb needs.
 * @return 0, or -E2BIG/-ENOMEM with err filled.
 */
int eal_args_build(struct eal_args *e, const char *argv0, int n_cmdline, char **cmdline,
		   const struct cfg *cfg, char *err, size_t errlen);

void eal_args_free(struct eal_args *e);

/* Free hugepage memory (MiB) in hugetlbfs mounts, for the "auto" choice. */
unsigned long eal_free_hugepage_mb(void);

#endif /* IMSAGW_EAL_ARGS_H */
