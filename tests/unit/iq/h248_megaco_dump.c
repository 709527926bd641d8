/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helper for test_h248_megaco.sh (Erlang megaco as an oracle):
 *   h248_megaco_dump write DIR    - our pretty and compact encodings of every
 *                                   SPEC.md §3.13 example, one file each
 *   h248_megaco_dump read FILE... - decode each file with h248_decode()
 * Exit status 0 only when every step succeeded.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "iq.h"
#include "h248_examples.h"

static uint64_t mem[1 << 15];
static char buf[65536];

static int
write_all(const char *dir)
{
	size_t i;
	int lay;

	for (i = 0; i < sizeof(ex_all) / sizeof(ex_all[0]); i++) {
		struct h248_message *m;
		struct h248_error e;
		struct iq_arena a;
		size_t l;

		iq_arena_init(&a, mem, sizeof(mem));
		if (h248_decode(ex_all[i].text, strlen(ex_all[i].text), &a, NULL, &m, &e) != 0) {
			fprintf(stderr, "%s: decode failed: %s\n", ex_all[i].name, e.reason);
			return 1;
		}
		for (lay = 0; lay < 2; lay++) {
			char fn[512];
			FILE *f;

			snprintf(fn, sizeof(fn), "%s/ours_%s_%s.txt", dir, ex_all[i].name,
				 lay ? "compact" : "pretty");
			if (h248_encode(m, (enum h248_layout)lay, buf, sizeof(buf), &l) != 0)
				return 1;
			f = fopen(fn, "wb");
			if (f == NULL || fwrite(buf, 1, l, f) != l || fclose(f) != 0)
				return 1;
		}
	}
	return 0;
}

static int
read_all(int n, char **files)
{
	int i, bad = 0;

	for (i = 0; i < n; i++) {
		struct h248_message *m;
		struct h248_error e;
		struct iq_arena a;
		FILE *f = fopen(files[i], "rb");
		size_t len;

		if (f == NULL)
			return 1;
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		iq_arena_init(&a, mem, sizeof(mem));
		if (h248_decode(buf, len, &a, NULL, &m, &e) != 0) {
			fprintf(stderr, "%s: code %u at %u: %s\n", files[i], e.code,
				e.offset, e.reason);
			bad++;
		}
	}
	printf("decoded %d of %d Erlang encodings\n", n - bad, n);
	return bad != 0 || n == 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "write") == 0)
		return write_all(argv[2]);
	if (argc >= 2 && strcmp(argv[1], "read") == 0)
		return read_all(argc - 2, argv + 2);
	fprintf(stderr, "usage: %s write DIR | read FILE...\n", argv[0]);
	return 2;
}
