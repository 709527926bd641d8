/* SPDX-License-Identifier: BSD-3-Clause */
/* Section `log`. */
#include <stddef.h>

#include "cfg_schema.h"

static const struct cfg_name level_names[] = {
	{"err", CFG_LOG_ERR},   {"warning", CFG_LOG_WARNING}, {"notice", CFG_LOG_NOTICE},
	{"info", CFG_LOG_INFO}, {"debug", CFG_LOG_DEBUG},     {NULL, 0},
};

static const struct cfg_row log_rows[] = {
	{.key = "level",
	 .type = CFG_T_ENUM,
	 CFG_FIELD(struct cfg_log, level),
	 .names = level_names,
	 .def = "notice",
	 .flags = CFG_F_RELOAD,
	 .meaning = "log level of imsagw's own log types (keys are never logged at any level)"},
	{.key = "file",
	 .type = CFG_T_STR,
	 CFG_FIELD(struct cfg_log, file),
	 .def = "",
	 .meaning = "log file; empty: stderr"},
};

const struct cfg_table cfg_schema_log = CFG_TABLE("log", log_rows);
