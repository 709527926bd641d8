/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer: iq_map_stream, end to end from the wire: an H.248 message is
 * decoded (h248_decode) and every command's Media stream is mapped onto a
 * control spec (Local/Remote SDP, LocalControl, the UE's a=crypto and our
 * CHOOSE lines), as a new termination and as a change to an existing one;
 * then the reply's Local is built from the request's (iq_map_local_reply)
 * with made-up keys. No control instance is needed: the spec builders are
 * pure. Inputs up to 65535 bytes (H.248's UDP limit).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "h248.h"
#include "iq_map.h"

static uint8_t arena_mem[1u << 20];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
map_one(struct iq_arena *a, const struct h248_stream *st, const struct ctl_term_info *cur)
{
	struct iq_map_result r;
	struct iq_map_keys k;
	struct iq_str out;

	if (iq_map_stream(a, st, cur, 0x3f, &r) == 0 && cur != NULL) {
		memset(&k, 0, sizeof(k));
		k.n = 1;
		k.tag[0] = 1;
		strcpy(k.line[0], "1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz");
		iq_map_local_reply(a, r.local, r.lmedia, cur, r.media, r.fmts, &k, &out);
	}
	iq_map_result_clear(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iq_arena a;
	struct h248_message *m;
	struct h248_error err;
	const struct h248_transaction *t;
	struct ctl_term_info cur;

	if (size > 65535)
		return 0;
	iq_arena_init(&a, arena_mem, sizeof(arena_mem));
	if (h248_decode((const char *)data, size, &a, NULL, &m, &err) < 0)
		return 0;
	memset(&cur, 0, sizeof(cur));
	cur.local.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", &cur.local.a.v4);
	cur.local_port = 20000;
	cur.realm = CFG_PORT_ACCESS;
	cur.transport = CTL_TR_SRTP_E2AE;
	for (t = m->txns; t != NULL; t = t->next) {
		const struct h248_action *act;

		for (act = t->actions; act != NULL; act = act->next) {
			const struct h248_command *c;

			for (c = act->cmds; c != NULL; c = c->next) {
				const struct h248_desc *d;

				for (d = c->descs; d != NULL; d = d->next)
					if (d->type == H248_DESC_MEDIA &&
					    d->u.media.streams != NULL) {
						map_one(&a, d->u.media.streams, NULL);
						map_one(&a, d->u.media.streams, &cur);
					}
			}
		}
	}
	return 0;
}
