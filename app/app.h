/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to the imsagw binary (app/, the composition root): the config's
 * sections as each module takes them, and SIGHUP reload.
 * Thread: control (the main lcore) only.
 */
#ifndef IMSAGW_APP_H
#define IMSAGW_APP_H

#include <stdint.h>

#include "cfg.h"
#include "sec.h"

struct iq_mg;
struct ctl;
struct dp_msrp;
struct sec_tls;

/* app log type (imsagw.app) and its macro. */
extern int app_logtype;
#define APP_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, app_logtype, "imsagw: " fmt "\n", ##__VA_ARGS__)

/* The crypto section as crypto/ takes it at sec_init(). */
void app_sec_config(const struct cfg_crypto *cc, struct sec_config *sc);

/* The enabled SRTP suites of the crypto section, a bit per sec_suite_id. */
uint32_t app_suite_mask(const struct cfg_crypto *cc);

/* process.core_dumps: unless allowed, make the process non-dumpable
 * (PR_SET_DUMPABLE 0: no core file, no ptrace by other users), before any
 * key is in memory. @return 0 or -errno. */
int app_process_apply(const struct cfg_process *pc);

/* Set every imsagw log type (imsagw.*) and the global level to log.level. */
void app_log_apply(const struct cfg_log *lc);

/* The MSRP relay and our certificate (app_msrp.c). */
struct app_msrp {
	struct dp_msrp *relay;
	struct sec_tls *tls;     /* NULL: no msrp.certificate */
};

/* Our certificate from the msrp section: *out NULL (and 0) when none is
 * configured. @return 0, or -EINVAL with err filled. */
int app_msrp_tls_load(const struct cfg_msrp *mc, struct sec_tls **out, char *err,
		      size_t errlen);

/* Load the certificate, create and start the relay, hand both to control.
 * @return 0 or -errno (logged; nothing left behind). */
int app_msrp_start(struct app_msrp *a, const struct cfg *cfg, struct ctl *ctl);

/* A reloaded certificate for new connections (t may be NULL); the old one
 * is destroyed. */
void app_msrp_swap_tls(struct app_msrp *a, struct ctl *ctl, struct sec_tls *t);

/* Destroy the relay (every leg closed) and the certificate; after
 * ctl_destroy(). */
void app_msrp_stop(struct app_msrp *a);

/*
 * SIGHUP: read cur->path into a new snapshot; when it loads and differs from
 * cur only in reloadable keys (the schema's CFG_F_RELOAD), copy those into
 * cur and apply them to the running modules: log levels, the enabled SRTP
 * suites (crypto/, which Iq and the admin socket consult per request), the
 * Iq MGC list and timers (iq may be NULL when Iq is not running), and the
 * MSRP certificate, read again from its files every time (a replaced file
 * under the same name is the usual renewal; one that does not load refuses
 * the reload). The replay
 * window and rekey grace are read from cur by control where it creates
 * sessions. Otherwise cur and the modules stay as they were and the reason,
 * naming the key, is logged.
 * @return 0 (applied) or a negative errno (-EINVAL bad file, -EPERM a key
 *         needs a restart, or the module's refusal).
 */
int app_reload(struct cfg *cur, struct iq_mg *iq, struct ctl *ctl, struct app_msrp *msrp);

#endif /* IMSAGW_APP_H */
