/* SPDX-License-Identifier: BSD-3-Clause */
/* Section `lcores`: which lcore plays which role. */
#include <stddef.h>

#include "cfg_schema.h"

static const struct cfg_row lcores_rows[] = {
	{.key = "control",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_lcores, control),
	 .min = 0,
	 .max = CFG_MAX_LCORES - 1,
	 .def = "0",
	 .meaning = "the main lcore: Iq, control loop, telemetry (and MSRP when `msrp` is empty)"},
	{.key = "media",
	 .type = CFG_T_UINT,
	 CFG_LIST(struct cfg_lcores, media, n_media),
	 .min_items = 1,
	 .min = 0,
	 .max = CFG_MAX_LCORES - 1,
	 .flags = CFG_F_REQUIRED,
	 .meaning = "media worker lcores, one RX/TX queue pair per port each"},
	{.key = "msrp",
	 .type = CFG_T_UINT,
	 CFG_LIST(struct cfg_lcores, msrp, n_msrp),
	 .min = 0,
	 .max = CFG_MAX_LCORES - 1,
	 .def = "",
	 .meaning = "MSRP (TLS<->TCP relay) worker lcores; empty: the control lcore relays"},
};

const struct cfg_table cfg_schema_lcores = CFG_TABLE("lcores", lcores_rows);
