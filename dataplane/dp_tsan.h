/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dp_tsan: ThreadSanitizer annotations where a happens-before runs through
 * DPDK code that TSan cannot see. Debian's DPDK is not built with
 * -fsanitize=thread, so two orderings the data plane relies on are
 * invisible to it:
 *  - publishing a flow record: its fields are written, then the pointer is
 *    stored into rte_hash (a release store inside librte_hash) and a worker
 *    loads it (an acquire load inside it) before reading the fields;
 *  - an lcore's function returning and rte_eal_wait_lcore() seeing it (an
 *    atomic state inside librte_eal), after which its memory is freed.
 * The annotations say exactly these edges, on the object that carries
 * them, instead of suppressing whole libraries (which would hide real
 * races in our use of them). The reclaim side needs none: QSBR's
 * quiescent/check are inline in rte_rcu_qsbr.h, so TSan sees them.
 * Outside a TSan build they compile to nothing. Private to dataplane/ and
 * its tests.
 */
#ifndef IMSAGW_DP_TSAN_H
#define IMSAGW_DP_TSAN_H

#if defined(__SANITIZE_THREAD__)
#define DP_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define DP_TSAN 1
#endif
#endif

/* A reader of single-writer counters (naturally aligned 64-bit fields that
 * one worker increments with plain stores and other threads read while it
 * runs): the read is racy by design, a value a few packets old is fine,
 * and atomics on the worker's side would buy nothing on x86. TSan leaves
 * the function marked with it alone. */
#ifdef DP_TSAN
#define DP_TSAN_RACY_READER __attribute__((no_sanitize("thread")))
#else
#define DP_TSAN_RACY_READER
#endif

#ifdef DP_TSAN
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
/* Everything this thread wrote before is visible after a matching
 * DP_TSAN_ACQUIRE(obj) in another thread. */
#define DP_TSAN_RELEASE(obj) __tsan_release((void *)(obj))
#define DP_TSAN_ACQUIRE(obj) __tsan_acquire((void *)(obj))
#else
#define DP_TSAN_RELEASE(obj) do { (void)(obj); } while (0)
#define DP_TSAN_ACQUIRE(obj) do { (void)(obj); } while (0)
#endif

#endif /* IMSAGW_DP_TSAN_H */
