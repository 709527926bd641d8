/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers shared by the benchmark programs (see bench_util.h). */
#include <string.h>

#include "bench_util.h"

int
bench_crypto_init(const struct sec_config *cfg, struct bench_bound *bnd)
{
	/* cfg NULL: the benches name the engine of each session; cryptodev,
	 * the one that reserves device sessions per key, as the default
	 * holds the default number of keys (sec.h) */
	static const struct sec_config named = {.default_engine = SEC_ENGINE_CRYPTODEV};

	if (cfg == NULL)
		cfg = &named;
	if (sec_init(cfg) != 0 || !sec_engine_available(SEC_ENGINE_CRYPTODEV)) {
		fprintf(stderr, "cryptodev engine unavailable\n");
		return -1;
	}
	if (bench_bound_init(bnd, "crypto_aesni_mb") != 0) {
		fprintf(stderr, "crypto_aesni_mb: no raw bound\n");
		return -1;
	}
	return 0;
}

void
bench_session_params(struct sec_session_params *p, enum sec_engine e, enum sec_suite_id suite,
		     enum sec_dir dir, const uint8_t *key, const uint8_t *salt)
{
	memset(p, 0, sizeof(*p));
	p->dir = dir;
	p->proto = SEC_PROTO_SRTP;
	p->suite = suite;
	p->master_key = key;
	p->master_salt = salt;
	p->engine = e;
}

void
bench_eal_rest(int argc, char **argv, unsigned int i, char ***eal, int *neal)
{
	argv[i] = argv[0];
	*eal = &argv[i];
	*neal = argc - (int)i;
}

int
bench_json_open(struct bench_json *j, const char *path)
{
	memset(j, 0, sizeof(*j));
	if (path == NULL)
		return 0;
	j->f = fopen(path, "w");
	if (j->f == NULL) {
		perror(path);
		return -1;
	}
	fprintf(j->f, "[");
	return 0;
}

FILE *
bench_json_row(struct bench_json *j)
{
	if (j->f == NULL)
		return NULL;
	fprintf(j->f, "%s\n  {", j->rows ? "," : "");
	j->rows++;
	return j->f;
}

void
bench_json_row_end(struct bench_json *j)
{
	fprintf(j->f, "}");
	fflush(j->f);
}

void
bench_json_close(struct bench_json *j)
{
	if (j->f == NULL)
		return;
	fprintf(j->f, "\n]\n");
	fclose(j->f);
	j->f = NULL;
}
