/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config's sections as each module takes them: the one place that
 * knows both cfg's layout and the modules' own settings structs.
 */
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>

#include <rte_log.h>

#include "app.h"

RTE_LOG_REGISTER(app_logtype, imsagw.app, NOTICE);

uint32_t
app_suite_mask(const struct cfg_crypto *cc)
{
	return (cc->suite_aes_cm_128_sha1_80 ? 1u << SEC_SUITE_AES_CM_128_HMAC_SHA1_80 : 0) |
	       (cc->suite_aes_cm_128_sha1_32 ? 1u << SEC_SUITE_AES_CM_128_HMAC_SHA1_32 : 0) |
	       (cc->suite_aead_aes_128_gcm ? 1u << SEC_SUITE_AEAD_AES_128_GCM : 0) |
	       (cc->suite_aead_aes_256_gcm ? 1u << SEC_SUITE_AEAD_AES_256_GCM : 0) |
	       (cc->suite_aes_256_cm_sha1_80 ? 1u << SEC_SUITE_AES_256_CM_HMAC_SHA1_80 : 0) |
	       (cc->suite_aes_256_cm_sha1_32 ? 1u << SEC_SUITE_AES_256_CM_HMAC_SHA1_32 : 0);
}

void
app_sec_config(const struct cfg_crypto *cc, struct sec_config *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->suite_mask = app_suite_mask(cc);
	sc->default_engine = strcmp(cc->engine, "libsrtp") == 0   ? SEC_ENGINE_LIBSRTP
			     : strcmp(cc->engine, "ipsecmb") == 0 ? SEC_ENGINE_IPSECMB
								  : SEC_ENGINE_CRYPTODEV;
	sc->cryptodev_name = cc->cryptodev;
	sc->max_sessions = cc->max_keys;
	sc->gcm_compact = strcmp(cc->gcm_keys, "compact") == 0;
}

int
app_process_apply(const struct cfg_process *pc)
{
	/* SRTP master keys, our Local keys and the replies that carry them
	 * live in this process's memory; a core file would hand them to
	 * whoever reads it. Dumpable again only when the operator says so. */
	if (prctl(PR_SET_DUMPABLE, pc->core_dumps ? 1 : 0, 0, 0, 0) < 0)
		return -errno;
	return 0;
}

void
app_log_apply(const struct cfg_log *lc)
{
	/* rte_log() needs both the global and the type's level to pass, and
	 * every module registers its own type at NOTICE: set both. The pattern
	 * also reaches types registered later. */
	rte_log_set_global_level((uint32_t)lc->level);
	if (rte_log_set_level_pattern("imsagw.*", (uint32_t)lc->level) < 0)
		APP_LOG(WARNING, "cannot set the log level of imsagw.*");
}
