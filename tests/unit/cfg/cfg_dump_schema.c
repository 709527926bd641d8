/* SPDX-License-Identifier: BSD-3-Clause */
/* Print the schema rows (for docs/configuration.md): cfg_dump_schema > rows.md */
#include <stdio.h>

#include "cfg.h"

int
main(void)
{
	cfg_schema_dump(stdout);
	return 0;
}
