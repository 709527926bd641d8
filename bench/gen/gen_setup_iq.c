/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * imsagw-gen call setup over Iq, with the project's MGC library
 * (iq/include/iq_mgc.h): register as the gateway's MGC, then one Add
 * transaction per call (access + core terminations in a new context, TS
 * 29.334 e2ae: our UE key in the access Remote, "inline:$" in its Local so
 * the gateway chooses its own), and the reply's Local SDP gives the ports
 * and the gateway's key. Deletion: Subtract = * on the context.
 *
 * target: "MG_IP:PORT,BIND_IP:PORT" (the gateway's iq.listen, and ours =
 * one of its iq.mgc).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <openssl/crypto.h>

#include "gen.h"
#include "iq_mgc.h"
#include "sdp.h"

struct gen_iq {
	struct iq_mgc *m;
	struct iq_mgc_msg reply;
	char mg[64], bind[64];
};

static int
iq_open(void **h, const char *target, char *err, size_t errlen)
{
	struct gen_iq *g = calloc(1, sizeof(*g));
	struct iq_mgc_cfg mc;
	const char *comma = strchr(target, ',');

	if (g == NULL)
		return -ENOMEM;
	if (comma == NULL || (size_t)(comma - target) >= sizeof(g->mg) ||
	    strlen(comma + 1) >= sizeof(g->bind)) {
		snprintf(err, errlen, "--iq wants MG_IP:PORT,BIND_IP:PORT");
		free(g);
		return -EINVAL;
	}
	memcpy(g->mg, target, (size_t)(comma - target));
	snprintf(g->bind, sizeof(g->bind), "%s", comma + 1);
	memset(&mc, 0, sizeof(mc));
	mc.mg = g->mg;
	mc.bind = g->bind;
	g->m = iq_mgc_open(&mc, err, errlen);
	if (g->m == NULL) {
		free(g);
		return -EIO;
	}
	/* A fresh gateway retries its ServiceChange with backoff until we
	 * answer; one that registered with an earlier run of ours sends none
	 * and takes our requests as they come (same MGC address). */
	if (gen_iq_wait_ms > 0 && iq_mgc_wait_register(g->m, gen_iq_wait_ms, &g->reply) != 0)
		fprintf(stderr, "imsagw-gen: no ServiceChange from %s in %d ms: assuming it is "
				"registered with %s already\n", g->mg, gen_iq_wait_ms, g->bind);
	*h = g;
	return 0;
}

/* Port and first a=crypto of the Local SDP of command c. */
static int
local_sdp(struct gen_iq *g, const struct h248_command *c, uint16_t *port,
	  struct sdes_crypto *key, bool want_key)
{
	const struct h248_desc *d;

	for (d = c->descs; d != NULL; d = d->next) {
		const struct sdp_attr *at;
		const struct sdp_media *m;
		struct sdp_desc *sd;

		if (d->type != H248_DESC_MEDIA || d->u.media.streams == NULL ||
		    !d->u.media.streams->has_local)
			continue;
		if (sdp_parse(d->u.media.streams->local.p, d->u.media.streams->local.len,
			      &g->reply.arena, NULL, &sd, NULL) < 0 || sd->sessions == NULL ||
		    sd->sessions->media == NULL)
			return -EPROTO;
		m = sd->sessions->media;
		*port = (uint16_t)m->port;
		if (!want_key)
			return 0;
		at = sdp_attr_next(m->attrs, SDP_A_CRYPTO, NULL);
		if (at == NULL)
			return -ENOKEY;
		return sdes_parse(at->value.p, at->value.len, SEC_SUITE_MASK_ALL, key, NULL) < 0 ?
			       -EPROTO : 0;
	}
	return -ENOENT;
}

static int
iq_call_add(void *h, const struct gen_net *net, uint32_t idx, bool srtp, enum sec_suite_id suite,
	    struct gen_call *c, char *err, size_t errlen)
{
	struct gen_iq *g = h;
	const char *sn = sec_suite_get(suite)->name, *prof = srtp ? "RTP/SAVP" : "RTP/AVP";
	char req[4096], ue[SDES_LINE_MAX], uip[INET_ADDRSTRLEN], cip[INET_ADDRSTRLEN];
	const struct h248_command *cmd;
	uint16_t code;
	int rc;

	memset(c, 0, sizeof(*c));
	inet_ntop(AF_INET, &net->ue_ip, uip, sizeof(uip));
	inet_ntop(AF_INET, &net->core_ip, cip, sizeof(cip));
	ue[0] = '\0';
	if (srtp && (sdes_generate(suite, NULL, &c->ue_key) != 0 ||
		     sdes_format(&c->ue_key, ue, sizeof(ue)) < 0)) {
		snprintf(err, errlen, "key generation failed");
		return -EIO;
	}
	snprintf(req, sizeof(req),
		 "Context = $ {\n"
		 " Add = $ { Media { Stream = 1 { LocalControl { Mode = SendReceive, "
		 "ipdc/realm = \"access\" },\n"
		 "  Local {\nv=0\nc=IN IP4 $\nm=audio $ %s 0\n%s%s%s\n  },\n"
		 "  Remote {\nv=0\nc=IN IP4 %s\nm=audio %u %s 0\n%s%s\n  } } } },\n"
		 " Add = $ { Media { Stream = 1 { LocalControl { Mode = SendReceive, "
		 "ipdc/realm = \"core\" },\n"
		 "  Local {\nv=0\nc=IN IP4 $\nm=audio $ RTP/AVP 0\n  },\n"
		 "  Remote {\nv=0\nc=IN IP4 %s\nm=audio %u RTP/AVP 0\n  } } } }\n"
		 "}",
		 prof, srtp ? "a=crypto:1 " : "", srtp ? sn : "", srtp ? " inline:$" : "", uip,
		 (unsigned int)(net->ue_port_base + 2 * idx), prof, srtp ? "a=crypto:" : "", ue,
		 cip, (unsigned int)(net->core_port_base + 2 * idx));
	OPENSSL_cleanse(ue, sizeof(ue));
	rc = iq_mgc_call(g->m, req, 5000, &g->reply);
	OPENSSL_cleanse(req, sizeof(req));
	if (rc != 0 || g->reply.txn == NULL) {
		snprintf(err, errlen, "Add: %s", rc == -ETIMEDOUT ? "timeout" : "bad reply");
		return rc != 0 ? rc : -EPROTO;
	}
	code = iq_mgc_reply_error(g->reply.txn);
	if (code != 0 || g->reply.txn->actions == NULL ||
	    (cmd = g->reply.txn->actions->cmds) == NULL || cmd->next == NULL) {
		snprintf(err, errlen, "Add refused (error %u)", code);
		return -EPROTO;
	}
	c->ctx = g->reply.txn->actions->ctx_id;
	rc = local_sdp(g, cmd, &c->gw_access_port, &c->gw_key, srtp);
	if (rc == 0)
		rc = local_sdp(g, cmd->next, &c->gw_core_port, NULL, false);
	OPENSSL_cleanse(g->reply.text, g->reply.len);
	if (rc != 0) {
		snprintf(err, errlen, "Add reply: no usable Local SDP (%s)", strerror(-rc));
		return rc;
	}
	c->srtp = srtp;
	return 0;
}

static int
iq_call_del(void *h, const struct gen_call *c)
{
	struct gen_iq *g = h;
	char req[96];

	snprintf(req, sizeof(req), "Context = %u { Subtract = * { Audit { } } }", c->ctx);
	return iq_mgc_call(g->m, req, 5000, &g->reply);
}

static void
iq_close(void *h)
{
	struct gen_iq *g = h;

	if (g == NULL)
		return;
	iq_mgc_close(g->m);
	OPENSSL_cleanse(&g->reply, sizeof(g->reply));
	free(g);
}

const struct gen_setup_ops gen_setup_iq = {
	.name = "iq",
	.open = iq_open,
	.call_add = iq_call_add,
	.call_del = iq_call_del,
	.close = iq_close,
};
