/* SPDX-License-Identifier: BSD-3-Clause */
/* Section `dataplane`. */
#include <stddef.h>

#include "cfg_schema.h"

static const struct cfg_row dataplane_rows[] = {
	{.key = "netns",
	 .type = CFG_T_STR,
	 CFG_FIELD(struct cfg_dataplane, netns),
	 .min = 1,
	 .def = "imsagw-dp",
	 .meaning = "network namespace of the exception interfaces and MSRP sockets "
		    "(created if missing)"},
	{.key = "mbufs",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_dataplane, mbufs),
	 .min = 1023,
	 .max = 16777215,
	 .def = "16383",
	 .meaning = "mbufs in the packet pool (2^n - 1 is the efficient size)"},
	{.key = "burst",
	 .type = CFG_T_UINT,
	 CFG_FIELD(struct cfg_dataplane, burst),
	 .min = 1,
	 .max = 64,
	 .def = "32",
	 .meaning = "RX burst size of the media workers"},
	{.key = "rx_checksum_offload",
	 .type = CFG_T_BOOL,
	 CFG_FIELD(struct cfg_dataplane, rx_checksum_offload),
	 .def = "true",
	 .meaning = "check IP/UDP checksums in hardware where the port can"},
	{.key = "tx_checksum_offload",
	 .type = CFG_T_BOOL,
	 CFG_FIELD(struct cfg_dataplane, tx_checksum_offload),
	 .def = "true",
	 .meaning = "compute IP/UDP checksums in hardware where the port can"},
};

const struct cfg_table cfg_schema_dataplane = CFG_TABLE("dataplane", dataplane_rows);
