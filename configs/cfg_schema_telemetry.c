/* SPDX-License-Identifier: BSD-3-Clause */
/* Section `telemetry`. */
#include <stddef.h>

#include "cfg_schema.h"

static const struct cfg_row telemetry_rows[] = {
	{.key = "enabled",
	 .type = CFG_T_BOOL,
	 CFG_FIELD(struct cfg_telemetry, enabled),
	 .def = "true",
	 .meaning = "DPDK telemetry socket with imsagw's counters"},
	{.key = "pdump",
	 .type = CFG_T_BOOL,
	 CFG_FIELD(struct cfg_telemetry, pdump),
	 .def = "true",
	 .meaning = "rte_pdump, so that dpdk-dumpcap can capture the ports"},
};

const struct cfg_table cfg_schema_telemetry = CFG_TABLE("telemetry", telemetry_rows);
