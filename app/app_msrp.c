/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The MSRP part of the composition root (issue 12): the gateway's
 * certificate (crypto's sec_tls) and the relay (dataplane's dp_msrp) made
 * from the config's msrp and lcores sections, handed to control, and the
 * certificate swapped on SIGHUP. Control owns neither; it is destroyed
 * before them (its legs close on the relay).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <rte_log.h>

#include "app.h"
#include "ctl.h"
#include "dp_msrp.h"
#include "sec_tls.h"

int
app_msrp_tls_load(const struct cfg_msrp *mc, struct sec_tls **out, char *err, size_t errlen)
{
	struct sec_tls_conf tc = {
		.cert_file = mc->certificate,
		.key_file = mc->private_key,
		.tls12 = mc->tls12,
		.tls13 = mc->tls13,
		.ktls = mc->ktls,
	};

	*out = NULL;
	if (mc->certificate[0] == '\0')
		return 0; /* no certificate: TCP/MSRP legs only */
	*out = sec_tls_create(&tc, err, errlen);
	return *out != NULL ? 0 : -EINVAL;
}

static void
log_fp(const struct sec_tls *t)
{
	char text[SEC_FP_TEXT_MAX];
	struct sec_fp fp;

	sec_tls_local_fp(t, SEC_FP_SHA256, &fp);
	if (sec_fp_format(&fp, text, sizeof(text)) > 0)
		APP_LOG(NOTICE, "msrp: certificate fingerprint %s%s", text,
			sec_tls_ktls_available(t) ? ", kernel TLS available"
						  : ", kernel TLS not available (userspace TLS)");
}

/*
 * Every leg is a kernel socket, two while a passive one handshakes (its
 * listener and the candidate), and systemd and shells give a soft limit of
 * 1024 descriptors: without this the relay would refuse connections
 * (fail_resources) far below msrp.max_legs. The soft limit goes up to what
 * the legs need, at most the hard limit; a hard limit below the need is
 * the operator's to raise (LimitNOFILE=), so say so at startup rather
 * than at the first EMFILE under load.
 */
static void
nofile_raise(uint32_t max_legs)
{
	const rlim_t need = 2 * (rlim_t)max_legs + 256; /* + Iq, admin, EAL, logs */
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	if (rl.rlim_cur < need) {
		struct rlimit up = rl;

		up.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			rl = up;
	}
	if (rl.rlim_cur < need)
		APP_LOG(WARNING,
			"msrp: RLIMIT_NOFILE %llu (hard %llu) is below the %llu descriptors "
			"msrp.max_legs %u may need: raise the hard limit (LimitNOFILE=) or "
			"lower max_legs",
			(unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max,
			(unsigned long long)need, max_legs);
	else
		APP_LOG(INFO, "msrp: RLIMIT_NOFILE %llu for up to %u legs",
			(unsigned long long)rl.rlim_cur, max_legs);
}

int
app_msrp_start(struct app_msrp *a, const struct cfg *cfg, struct ctl *ctl)
{
	const struct cfg_msrp *mc = &cfg->msrp;
	struct dp_msrp_conf conf = {
		.netns = cfg->dataplane.netns,
		.n_workers = cfg->lcores.n_msrp,
		.lcores = cfg->lcores.msrp,
		.max_legs = mc->max_legs,
		.buf_bytes = mc->buffer_bytes,
		.connect_ms = mc->connect_timeout_ms,
		.handshake_ms = mc->handshake_timeout_ms,
		.idle_ms = mc->idle_timeout_ms,
		.max_header_bytes = mc->max_header_bytes,
		.max_chunk_bytes = mc->max_chunk_bytes,
	};
	char err[CFG_ERR_MAX];
	int rc;

	memset(a, 0, sizeof(*a));
	nofile_raise(mc->max_legs);
	rc = app_msrp_tls_load(mc, &a->tls, err, sizeof(err));
	if (rc < 0) {
		APP_LOG(ERR, "msrp: %s", err);
		return rc;
	}
	conf.tls = a->tls;
	a->relay = dp_msrp_create(&conf, err, sizeof(err));
	if (a->relay == NULL) {
		APP_LOG(ERR, "msrp relay: %s", err);
		app_msrp_stop(a);
		return -EINVAL;
	}
	if (conf.n_workers > 0) {
		rc = dp_msrp_start(a->relay);
		if (rc < 0) {
			APP_LOG(ERR, "msrp: cannot launch the relay workers: %s", strerror(-rc));
			app_msrp_stop(a);
			return rc;
		}
	}
	rc = ctl_set_msrp(ctl, a->relay, a->tls);
	if (rc < 0) {
		APP_LOG(ERR, "msrp: control cannot watch the relay: %s", strerror(-rc));
		app_msrp_stop(a);
		return rc;
	}
	if (a->tls != NULL)
		log_fp(a->tls);
	else
		APP_LOG(NOTICE, "msrp: no certificate (msrp.certificate): TCP/MSRP only");
	APP_LOG(NOTICE, "msrp: relay on %s", conf.n_workers > 0 ? "its own lcores"
								: "the control lcore");
	return 0;
}

void
app_msrp_swap_tls(struct app_msrp *a, struct ctl *ctl, struct sec_tls *t)
{
	struct sec_tls *old = a->tls;

	if (a->relay == NULL) {
		sec_tls_destroy(t);
		return;
	}
	/* New connections take the new certificate; live ones keep theirs
	 * (each SSL holds its own reference). */
	dp_msrp_set_tls(a->relay, t);
	(void)ctl_set_msrp(ctl, a->relay, t);
	a->tls = t;
	sec_tls_destroy(old);
	if (t != NULL)
		log_fp(t);
}

void
app_msrp_stop(struct app_msrp *a)
{
	dp_msrp_destroy(a->relay);
	sec_tls_destroy(a->tls);
	a->relay = NULL;
	a->tls = NULL;
}
