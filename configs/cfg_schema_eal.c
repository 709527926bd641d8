/* SPDX-License-Identifier: BSD-3-Clause */
/* Section `eal`: EAL arguments carried in the file. */
#include <stddef.h>

#include "cfg_schema.h"

static const struct cfg_name huge_names[] = {
	{"auto", CFG_HUGE_AUTO},
	{"yes", CFG_HUGE_YES},
	{"no", CFG_HUGE_NO},
	{NULL, 0},
};

static const struct cfg_row eal_rows[] = {
	{.key = "args",
	 .type = CFG_T_STRDUP,
	 CFG_LIST(struct cfg_eal, argv, argc),
	 .max = 1024,
	 .def = "",
	 .meaning = "EAL arguments (no -l/-c/--lcores/--main-lcore, -m or --no-huge: "
		    "those come from `lcores`, `memory_mb` and `hugepages`); "
		    "EAL arguments on the command line replace this list"},
	{.key = "hugepages",
	 .type = CFG_T_ENUM,
	 CFG_FIELD(struct cfg_eal, huge),
	 .names = huge_names,
	 .def = "auto",
	 .meaning = "\"auto\": hugepages when enough are free and hugetlbfs is mounted, "
		    "else --no-huge; \"yes\": require them; \"no\": always --no-huge"},
	{.key = "memory_mb",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_eal, memory_mb),
	 .min = 64,
	 .max = 1048576,
	 .def = "512",
	 .meaning = "memory for EAL in MB (-m with --no-huge, and the amount \"auto\" asks for)"},
};

const struct cfg_table cfg_schema_eal = CFG_TABLE("eal", eal_rows);
