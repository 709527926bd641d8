/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A minimal pcap writer (the classic format: microsecond timestamps,
 * LINKTYPE_ETHERNET), for pktgen's pcap mode. No libpcap needed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "gen.h"

struct gen_pcap {
	FILE *f;
};

struct gen_pcap *
gen_pcap_open(const char *path)
{
	/* magic, v2.4, thiszone, sigfigs, snaplen, LINKTYPE_ETHERNET */
	const uint32_t hdr[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1 };
	struct gen_pcap *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->f = fopen(path, "wb");
	if (p->f == NULL || fwrite(hdr, sizeof(hdr), 1, p->f) != 1) {
		if (p->f != NULL)
			fclose(p->f);
		free(p);
		return NULL;
	}
	return p;
}

int
gen_pcap_write(struct gen_pcap *p, const uint8_t *frame, uint32_t len, uint64_t usec)
{
	uint32_t rec[4] = { (uint32_t)(usec / 1000000), (uint32_t)(usec % 1000000), len, len };

	if (fwrite(rec, sizeof(rec), 1, p->f) != 1 || fwrite(frame, len, 1, p->f) != 1)
		return -EIO;
	return 0;
}

int
gen_pcap_close(struct gen_pcap *p)
{
	int rc;

	if (p == NULL)
		return 0;
	rc = fclose(p->f) == 0 ? 0 : -EIO;
	free(p);
	return rc;
}
