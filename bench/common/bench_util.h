/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers shared by the benchmark programs (imsagw-crypto-bench,
 * imsagw-pipeline-bench): crypto start-up with the raw bound, the SRTP
 * session parameters they measure with, and the JSON result file. Main
 * thread of a benchmark program.
 */
#ifndef IMSAGW_BENCH_UTIL_H
#define IMSAGW_BENCH_UTIL_H

#include <stdio.h>

#include "bench_bound.h"
#include "sec.h"

/* sec_init(cfg) (NULL: defaults) with the cryptodev engine available, and
 * the raw bound on crypto_aesni_mb. Prints what failed. @return 0 or -1. */
int bench_crypto_init(const struct sec_config *cfg, struct bench_bound *bnd);

/* Parameters of an SRTP-only session of engine e with the fixed key and
 * salt given (suite-sized or longer); every other field zero (defaults). */
void bench_session_params(struct sec_session_params *p, enum sec_engine e,
			  enum sec_suite_id suite, enum sec_dir dir, const uint8_t *key,
			  const uint8_t *salt);

/* argv[i] is "--": what follows is the EAL's argument vector, with the
 * program name in front (argv[i] is overwritten with it). */
void bench_eal_rest(int argc, char **argv, unsigned int i, char ***eal, int *neal);

/* The JSON file of a run: an array of one object per result row. */
struct bench_json {
	FILE *f; /* NULL: no file asked for */
	int rows;
};

/* Open path (NULL: no file) and start the array. Prints what failed.
 * @return 0 or -1. */
int bench_json_open(struct bench_json *j, const char *path);
/* Start a row: the stream to write its fields to (the caller writes
 * `"key": value` pairs, comma-separated), or NULL when there is no file. */
FILE *bench_json_row(struct bench_json *j);
/* End the row started by bench_json_row() and flush it. */
void bench_json_row_end(struct bench_json *j);
/* End the array and close (no file: nothing). */
void bench_json_close(struct bench_json *j);

#endif /* IMSAGW_BENCH_UTIL_H */
