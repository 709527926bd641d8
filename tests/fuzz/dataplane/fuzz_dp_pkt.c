/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for dp_pkt_parse(): any bytes in, never a read outside
 * [data, data + size), and the view stays inside the frame.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "dp_pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dp_pkt_view v;
	enum dp_pkt_class c;

	c = dp_pkt_parse(data, (uint32_t)(size > UINT32_MAX ? UINT32_MAX : size),
			 &v);
	if (c != v.cls)
		abort();
	if (c == DP_PKT_BAD && v.reason == NULL)
		abort();
	if (c == DP_PKT_UDP &&
	    (size_t)v.payload_off + v.payload_len > size)
		abort();
	if (c != DP_PKT_BAD && c != DP_PKT_OTHER && v.l3_off > size)
		abort();
	if (v.src != NULL && (v.src < data || v.src + (v.family == 6 ? 16 : 4) > data + size))
		abort();
	return 0;
}
