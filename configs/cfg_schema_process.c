/* SPDX-License-Identifier: BSD-3-Clause */
/* Section `process`: how the gateway's process protects what it holds. */
#include <stddef.h>

#include "cfg_schema.h"

static const struct cfg_row process_rows[] = {
	{.key = "core_dumps",
	 .type = CFG_T_BOOL,
	 CFG_FIELD(struct cfg_process, core_dumps),
	 .def = "false",
	 .meaning = "allow core dumps; off: the process is not dumpable, so no core file "
		    "(nor a non-root ptrace) exposes SRTP keys"},
};

const struct cfg_table cfg_schema_process = CFG_TABLE("process", process_rows);
