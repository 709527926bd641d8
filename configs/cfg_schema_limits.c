/* SPDX-License-Identifier: BSD-3-Clause */
/* Section `limits`: table sizes. A reload may raise them, never lower them
 * (tables are sized at start; lowering would orphan live entries). */
#include <stddef.h>

#include "cfg_schema.h"

static const struct cfg_row limits_rows[] = {
	{.key = "max_contexts",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_limits, max_contexts),
	 .min = 1,
	 .max = 4194304,
	 .def = "100000",
	 .flags = CFG_F_RELOAD | CFG_F_GROW,
	 .meaning = "H.248 contexts at once; more are refused with error 510"},
	{.key = "max_flows",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_limits, max_flows),
	 .min = 16,
	 .max = 67108864,
	 .def = "1048576",
	 .flags = CFG_F_RELOAD | CFG_F_GROW,
	 .meaning = "flow table entries (a call uses 4 to 8)"},
};

const struct cfg_table cfg_schema_limits = CFG_TABLE("limits", limits_rows);
