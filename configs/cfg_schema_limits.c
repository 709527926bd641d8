/* SPDX-License-Identifier: BSD-3-Clause */
/* Section `limits`: table sizes. Not reloadable: the context and flow
 * tables (rte_hash, lock-free readers) are sized at start and cannot grow
 * under the workers; a new size needs a restart. */
#include <stddef.h>

#include "cfg_schema.h"

static const struct cfg_row limits_rows[] = {
	{.key = "max_contexts",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_limits, max_contexts),
	 .min = 1,
	 .max = 4194304,
	 .def = "100000",
	 .meaning = "H.248 contexts at once; more are refused with error 510"},
	{.key = "max_flows",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_limits, max_flows),
	 .min = 16,
	 .max = 67108864,
	 .def = "1048576",
	 .meaning = "flow table entries (a call uses 4 to 8)"},
};

const struct cfg_table cfg_schema_limits = CFG_TABLE("limits", limits_rows);
