/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_log: the dataplane module's rte_log type. Private to dataplane/.
 * Control-thread code only: workers never log, they count a reason.
 */
#ifndef IMSAGW_DP_LOG_H
#define IMSAGW_DP_LOG_H

#include <rte_log.h>

extern int dp_logtype;

/* DPDK 22.11 has no RTE_LOG_LINE: the wrapper adds the newline. */
#define DP_LOG(level, fmt, ...)                                                                    \
	rte_log(RTE_LOG_##level, dp_logtype, "dataplane: " fmt "\n", ##__VA_ARGS__)

#endif /* IMSAGW_DP_LOG_H */
