/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SIGHUP reload, nginx style: build the new snapshot completely, check it
 * against the running one, then swap the reloadable part in and tell the
 * modules; a bad file or a restart-only change leaves everything running as
 * it was.
 */
#include <errno.h>
#include <stdio.h>

#include <rte_log.h>

#include "app.h"
#include "iq_mg.h"
#include "sec_tls.h"

int
app_reload(struct cfg *cur, struct iq_mg *iq, struct ctl *ctl, struct app_msrp *msrp)
{
	char err[CFG_ERR_MAX];
	struct sec_tls *tls = NULL;
	struct cfg *next = NULL;
	uint32_t mask;
	int rc;

	rc = cfg_load(cur->path, &next, err, sizeof(err));
	if (rc < 0) {
		APP_LOG(ERR, "reload: %s; keeping the running config", err);
		return rc;
	}
	/* crypto/ refuses a suite set no engine can serve: ask it first, so a
	 * refusal leaves the snapshot and every module as they were. */
	mask = app_suite_mask(&next->crypto);
	rc = cfg_reload_check(cur, next, err, sizeof(err));
	/* Compare with the running config's set, not crypto's live mask (which
	 * leaves out suites no engine can do): an unchanged section is no
	 * change, whatever the engines. */
	if (rc == 0 && mask != app_suite_mask(&cur->crypto)) {
		rc = sec_set_suite_mask(mask);
		if (rc < 0)
			snprintf(err, sizeof(err), "crypto.suites: no engine can serve the new set");
	}
	/* The certificate is read again whether or not its path changed. */
	if (rc == 0)
		rc = app_msrp_tls_load(&next->msrp, &tls, err, sizeof(err));
	if (rc < 0) {
		APP_LOG(ERR, "reload: %s; keeping the running config", err);
		cfg_free(next);
		return rc;
	}
	rc = cfg_reload_apply(cur, next, err, sizeof(err));
	cfg_free(next);
	if (rc < 0) { /* cannot happen after the check above */
		APP_LOG(ERR, "reload: %s; keeping the running config", err);
		sec_tls_destroy(tls);
		return rc;
	}
	app_msrp_swap_tls(msrp, ctl, tls);
	app_log_apply(&cur->log);
	if (iq != NULL)
		iq_mg_reload(iq);
	APP_LOG(NOTICE, "reload: %s applied (log level %d, suites 0x%x, %u MGC(s))", cur->path,
		(int)cur->log.level, mask, cur->iq.n_mgc);
	return 0;
}
