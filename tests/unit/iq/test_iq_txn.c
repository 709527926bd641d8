/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * iq_txn: duplicates answered from the reply cache without re-execution,
 * Pending for duplicates of work in progress, TransactionResponseAck and
 * LONG-TIMER expiry, retransmission timing with backoff, Pending from the
 * MGC, failover and give-up. All timing through an injected clock. Our
 * TransactionIDs are not predictable (issue 11: a forged Reply must not
 * guess the ServiceChange's id); TPKT framing refuses what its 16-bit
 * length cannot carry.
 */
#include <errno.h>

#include "iq_test_util.h"

static const struct iq_addr mgc1 = { .len = 6, .b = { 192, 0, 2, 1, 0x0b, 0x80 } };
static const struct iq_addr mgc2 = { .len = 6, .b = { 192, 0, 2, 2, 0x0b, 0x80 } };

static void
test_duplicate_from_cache(void)
{
	struct iq_txn_cfg cfg = { .long_timer_ms = 30000 };
	struct iq_txn *t = iq_txn_create(&cfg);
	static const char reply[] = "!/3 [192.0.2.10]:2944 P=1001{C=4711{A=ip/1/a/1}}";
	const uint8_t *r = NULL;
	size_t rl = 0;
	uint32_t nr, nq;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(iq_txn_rx_request(t, &mgc1, 1001, 1000, &r, &rl), IQ_TXN_RX_NEW);
	/* Same id from another MGC is another transaction. */
	CU_ASSERT_EQUAL(iq_txn_rx_request(t, &mgc2, 1001, 1000, &r, &rl), IQ_TXN_RX_NEW);
	CU_ASSERT_EQUAL(iq_txn_reply_done(t, &mgc1, 1001, reply, strlen(reply), 1100), 0);
	CU_ASSERT_EQUAL(iq_txn_reply_done(t, &mgc1, 1001, reply, strlen(reply), 1100), -ENOENT);
	CU_ASSERT_EQUAL(iq_txn_rx_request(t, &mgc1, 1001, 5000, &r, &rl), IQ_TXN_RX_RESEND);
	CU_ASSERT_EQUAL(rl, strlen(reply));
	CU_ASSERT(r != NULL && memcmp(r, reply, rl) == 0);
	/* Kept exactly LONG-TIMER after the reply. */
	CU_ASSERT_EQUAL(iq_txn_next_deadline(t), 1100 + 30000);
	CU_ASSERT_EQUAL(iq_txn_rx_request(t, &mgc1, 1001, 31099, &r, &rl), IQ_TXN_RX_RESEND);
	CU_ASSERT_EQUAL(iq_txn_rx_request(t, &mgc1, 1001, 31100, &r, &rl), IQ_TXN_RX_NEW);
	CU_ASSERT_EQUAL(iq_txn_abandon(t, &mgc1, 1001), 0);
	CU_ASSERT_EQUAL(iq_txn_abandon(t, &mgc1, 1001), -ENOENT);
	iq_txn_counts(t, &nr, &nq);
	CU_ASSERT_EQUAL(nr, 1); /* mgc2's, still in progress */
	CU_ASSERT_EQUAL(nq, 0);
	iq_txn_destroy(t);
}

/* A reload's new timers keep the reply cache: a retransmitted request is
 * answered from it, not executed again (it was recreated before). */
static void
test_reconfigure_keeps_state(void)
{
	struct iq_txn_cfg cfg = { .long_timer_ms = 30000, .n_mgc = 2, .max_replies = 8,
				  .rtx_initial_ms = 10, .rtx_max_ms = 10, .rtx_count = 1,
				  .first_tid = 1 };
	struct iq_txn_cfg next = { .long_timer_ms = 60000, .rtx_initial_ms = 100, .n_mgc = 1 };
	struct iq_txn *t = iq_txn_create(&cfg);
	const uint8_t *r = NULL;
	size_t rl = 0;
	uint32_t nr, nq, tid, i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(iq_txn_rx_request(t, &mgc1, 42, 1000, &r, &rl), IQ_TXN_RX_NEW);
	CU_ASSERT_EQUAL(iq_txn_reply_done(t, &mgc1, 42, "reply", 5, 1000), 0);
	CU_ASSERT_EQUAL(iq_txn_rx_request(t, &mgc1, 43, 1000, &r, &rl), IQ_TXN_RX_NEW);
	tid = iq_txn_next_tid(t);
	CU_ASSERT_EQUAL(iq_txn_send_request(t, tid, "req", 3, 1000), 0);
	/* Fail over to MGC 1 of 2 (within ~20 ms), then reload with one MGC. */
	for (i = 1; i <= 20 && iq_txn_current_mgc(t) == 0; i++) {
		struct iq_txn_action act;

		while (iq_txn_poll(t, 1000 + 5 * i, &act) == 1)
			CU_ASSERT(act.type != IQ_TXN_ACT_GIVE_UP);
	}
	CU_ASSERT_EQUAL(iq_txn_current_mgc(t), 1);
	CU_ASSERT(iq_txn_next_deadline(t) < 1100);
	iq_txn_reconfigure(t, &next);
	CU_ASSERT_EQUAL(iq_txn_current_mgc(t), 0);
	iq_txn_counts(t, &nr, &nq);
	CU_ASSERT_EQUAL(nr, 2);
	CU_ASSERT_EQUAL(nq, 1);
	/* The stored reply answers the duplicate, bytes intact. */
	CU_ASSERT_EQUAL(iq_txn_rx_request(t, &mgc1, 42, 2000, &r, &rl), IQ_TXN_RX_RESEND);
	CU_ASSERT(rl == 5 && memcmp(r, "reply", 5) == 0);
	CU_ASSERT_EQUAL(iq_txn_rx_request(t, &mgc1, 43, 2000, &r, &rl), IQ_TXN_RX_PENDING);
	/* New replies live for the new long timer; ids continue. */
	CU_ASSERT_EQUAL(iq_txn_reply_done(t, &mgc1, 43, "r2", 2, 2000), 0);
	CU_ASSERT_EQUAL(iq_txn_rx_request(t, &mgc1, 43, 2000 + 59999, &r, &rl), IQ_TXN_RX_RESEND);
	CU_ASSERT_EQUAL(iq_txn_next_tid(t), tid + 1);
	iq_txn_destroy(t);
}

static void
test_pending_for_in_progress(void)
{
	struct iq_txn *t = iq_txn_create(NULL);
	const uint8_t *r = NULL;
	size_t rl = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(iq_txn_rx_request(t, &mgc1, 7, 0, &r, &rl), IQ_TXN_RX_NEW);
	CU_ASSERT_EQUAL(iq_txn_rx_request(t, &mgc1, 7, 10, &r, &rl), IQ_TXN_RX_PENDING);
	CU_ASSERT_EQUAL(iq_txn_rx_request(t, &mgc1, 7, 20, &r, &rl), IQ_TXN_RX_PENDING);
	/* In-progress entries never expire on their own. */
	CU_ASSERT_EQUAL(iq_txn_next_deadline(t), UINT64_MAX);
	CU_ASSERT_EQUAL(iq_txn_reply_done(t, &mgc1, 7, "x", 1, 30), 0);
	CU_ASSERT_EQUAL(iq_txn_rx_request(t, &mgc1, 7, 40, &r, &rl), IQ_TXN_RX_RESEND);
	CU_ASSERT(rl == 1 && r[0] == 'x');
	iq_txn_destroy(t);
}

static void
test_ack_and_capacity(void)
{
	struct iq_txn_cfg cfg = { .max_replies = 4, .long_timer_ms = 100 };
	struct iq_txn *t = iq_txn_create(&cfg);
	const uint8_t *r;
	size_t rl;
	uint32_t id, nr;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	for (id = 10; id < 14; id++) {
		CU_ASSERT_EQUAL(iq_txn_rx_request(t, &mgc1, id, 0, &r, &rl), IQ_TXN_RX_NEW);
		CU_ASSERT_EQUAL(iq_txn_reply_done(t, &mgc1, id, "r", 1, 0), 0);
	}
	/* Full of live entries: the caller answers 510. */
	CU_ASSERT_EQUAL(iq_txn_rx_request(t, &mgc1, 20, 50, &r, &rl), -ENOSPC);
	/* TransactionResponseAck { 10-12 } from another MGC frees nothing. */
	CU_ASSERT_EQUAL(iq_txn_rx_ack(t, &mgc2, 10, 12), 0);
	CU_ASSERT_EQUAL(iq_txn_rx_ack(t, &mgc1, 10, 12), 3);
	iq_txn_counts(t, &nr, NULL);
	CU_ASSERT_EQUAL(nr, 1);
	/* An acked transaction's duplicate is new again (the MGC said it is done). */
	CU_ASSERT_EQUAL(iq_txn_rx_request(t, &mgc1, 11, 60, &r, &rl), IQ_TXN_RX_NEW);
	/* Expiry at LONG-TIMER frees room: fill, then poll past the timer. */
	CU_ASSERT_EQUAL(iq_txn_rx_request(t, &mgc1, 21, 60, &r, &rl), IQ_TXN_RX_NEW);
	CU_ASSERT_EQUAL(iq_txn_rx_request(t, &mgc1, 22, 60, &r, &rl), IQ_TXN_RX_NEW);
	CU_ASSERT_EQUAL(iq_txn_rx_request(t, &mgc1, 23, 60, &r, &rl), -ENOSPC);
	CU_ASSERT_EQUAL(iq_txn_rx_request(t, &mgc1, 23, 100, &r, &rl), IQ_TXN_RX_NEW);
	iq_txn_destroy(t);
}

static void
test_retransmit_timing(void)
{
	struct iq_txn_cfg cfg = { .rtx_initial_ms = 1000, .rtx_max_ms = 4000, .rtx_count = 4,
				  .first_tid = 1 };
	struct iq_txn *t = iq_txn_create(&cfg);
	static const uint64_t want[] = { 1000, 3000, 7000, 11000 };
	struct iq_txn_action act;
	uint32_t tid;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	tid = iq_txn_next_tid(t);
	CU_ASSERT_EQUAL(tid, 1);
	CU_ASSERT_EQUAL(iq_txn_next_tid(t), 2);
	CU_ASSERT_EQUAL(iq_txn_send_request(t, tid, "SC", 2, 0), 0);
	CU_ASSERT_EQUAL(iq_txn_send_request(t, tid, "SC", 2, 0), -EEXIST);
	for (i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(iq_txn_next_deadline(t), want[i]);
		CU_ASSERT_EQUAL(iq_txn_poll(t, want[i] - 1, &act), 0);
		CU_ASSERT_EQUAL_FATAL(iq_txn_poll(t, want[i], &act), 1);
		CU_ASSERT_EQUAL(act.type, IQ_TXN_ACT_RETRANSMIT);
		CU_ASSERT_EQUAL(act.tid, tid);
		CU_ASSERT_EQUAL(act.mgc_idx, 0);
		CU_ASSERT(act.msg_len == 2 && memcmp(act.msg, "SC", 2) == 0);
		CU_ASSERT_EQUAL(iq_txn_poll(t, want[i], &act), 0);
	}
	/* Count used up with one MGC: give up after the last timeout (capped). */
	CU_ASSERT_EQUAL(iq_txn_next_deadline(t), 15000);
	CU_ASSERT_EQUAL_FATAL(iq_txn_poll(t, 15000, &act), 1);
	CU_ASSERT_EQUAL(act.type, IQ_TXN_ACT_GIVE_UP);
	CU_ASSERT_EQUAL(iq_txn_next_deadline(t), UINT64_MAX);
	/* A reply stops everything. */
	CU_ASSERT_EQUAL(iq_txn_send_request(t, 2, "N", 1, 20000), 0);
	CU_ASSERT_EQUAL(iq_txn_rx_reply(t, 2), 0);
	CU_ASSERT_EQUAL(iq_txn_rx_reply(t, 2), -ENOENT);
	CU_ASSERT_EQUAL(iq_txn_poll(t, 99999, &act), 0);
	iq_txn_destroy(t);
}

static void
test_pending_and_failover(void)
{
	struct iq_txn_cfg cfg = { .rtx_initial_ms = 100, .rtx_max_ms = 100, .rtx_count = 1,
				  .pending_wait_ms = 5000, .pending_limit = 2, .n_mgc = 2 };
	struct iq_txn *t = iq_txn_create(&cfg);
	struct iq_txn_action act;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL(iq_txn_send_request(t, 9, "SC", 2, 0), 0);
	CU_ASSERT_EQUAL(iq_txn_poll(t, 100, &act), 1);
	CU_ASSERT_EQUAL(act.type, IQ_TXN_ACT_RETRANSMIT);
	/* Pending: stop retransmitting, wait pending_wait. */
	CU_ASSERT_EQUAL(iq_txn_rx_pending(t, 9, 150), 0);
	CU_ASSERT_EQUAL(iq_txn_next_deadline(t), 5150);
	CU_ASSERT_EQUAL(iq_txn_poll(t, 5149, &act), 0);
	CU_ASSERT_EQUAL(iq_txn_rx_pending(t, 9, 5000), 0);
	CU_ASSERT_EQUAL(iq_txn_next_deadline(t), 10000);
	/* The wait runs out: fail over to MGC 1 and send there. */
	CU_ASSERT_EQUAL_FATAL(iq_txn_poll(t, 10000, &act), 1);
	CU_ASSERT_EQUAL(act.type, IQ_TXN_ACT_FAILOVER);
	CU_ASSERT_EQUAL(act.mgc_idx, 1);
	CU_ASSERT_EQUAL(iq_txn_current_mgc(t), 1);
	CU_ASSERT(act.msg_len == 2 && memcmp(act.msg, "SC", 2) == 0);
	CU_ASSERT_EQUAL(iq_txn_poll(t, 10100, &act), 1);
	CU_ASSERT(act.type == IQ_TXN_ACT_RETRANSMIT && act.mgc_idx == 1);
	CU_ASSERT_EQUAL(iq_txn_poll(t, 10200, &act), 1);
	CU_ASSERT_EQUAL(act.type, IQ_TXN_ACT_GIVE_UP);
	/* Too many Pendings: dropped (the caller treats it as 506). */
	CU_ASSERT_EQUAL(iq_txn_send_request(t, 10, "N", 1, 0), 0);
	CU_ASSERT_EQUAL(iq_txn_rx_pending(t, 10, 1), 0);
	CU_ASSERT_EQUAL(iq_txn_rx_pending(t, 10, 2), 0);
	CU_ASSERT_EQUAL(iq_txn_rx_pending(t, 10, 3), -ETIMEDOUT);
	CU_ASSERT_EQUAL(iq_txn_rx_pending(t, 10, 4), -ENOENT);
	iq_txn_destroy(t);
}

/* Default ids are random: neither a start nor a stride an observer of one
 * id can extrapolate from; never 0, never one outstanding. */
static void
test_random_tids(void)
{
	struct iq_txn *a = iq_txn_create(NULL), *b = iq_txn_create(NULL);
	uint32_t ids[256], i, j, seq = 0, dup = 0, stride_same = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	for (i = 0; i < 256; i++) {
		ids[i] = iq_txn_next_tid(a);
		CU_ASSERT_NOT_EQUAL(ids[i], 0);
		if (i > 0 && ids[i] == ids[i - 1] + 1)
			seq++;
		if (i > 1 && ids[i] - ids[i - 1] == ids[i - 1] - ids[i - 2])
			stride_same++;
		for (j = 0; j < i; j++)
			dup += ids[j] == ids[i];
	}
	CU_ASSERT(seq < 2);
	CU_ASSERT(stride_same < 2);
	CU_ASSERT(dup < 2);
	/* Two instances (two starts of the gateway) do not begin alike. */
	CU_ASSERT(iq_txn_next_tid(b) != ids[0] || iq_txn_next_tid(b) != ids[1]);
	CU_ASSERT(ids[0] > 1 || ids[1] > 2);
	iq_txn_destroy(a);
	iq_txn_destroy(b);
}

/* TPKT (RFC 1006 §6): the largest message is 65531 bytes; a bigger one is
 * refused instead of sent with a wrapped length. Reassembly: partial
 * headers and bodies wait, back-to-back frames split, bad headers close. */
static void
test_tpkt(void)
{
	static uint8_t buf[70000];
	uint8_t h[IQ_TPKT_HDR];
	size_t off = 9, len = 9, fl = 9;

	CU_ASSERT_EQUAL(iq_tpkt_header(65531, h), 0);
	CU_ASSERT(h[0] == 3 && h[1] == 0 && h[2] == 0xff && h[3] == 0xff);
	CU_ASSERT_EQUAL(iq_tpkt_header(65532, h), -EMSGSIZE);
	CU_ASSERT_EQUAL(iq_tpkt_header(70000, h), -EMSGSIZE);
	CU_ASSERT_EQUAL(iq_tpkt_header(0, h), -EMSGSIZE);
	CU_ASSERT_EQUAL(iq_tpkt_header(5, h), 0);
	CU_ASSERT(h[2] == 0 && h[3] == 9);

	memset(buf, 'x', sizeof(buf));
	memcpy(buf, (const uint8_t[]){ 3, 0, 0, 9 }, 4);
	memcpy(buf + 9, (const uint8_t[]){ 3, 0, 0xff, 0xff }, 4);
	CU_ASSERT_EQUAL(iq_tpkt_parse(buf, 3, &off, &len, &fl), 0);
	CU_ASSERT_EQUAL(fl, 0);
	CU_ASSERT_EQUAL(iq_tpkt_parse(buf, 8, &off, &len, &fl), 0);
	CU_ASSERT_EQUAL(iq_tpkt_parse(buf, 9 + 2, &off, &len, &fl), 1);
	CU_ASSERT(off == 4 && len == 5 && fl == 9);
	CU_ASSERT_EQUAL(iq_tpkt_parse(buf + 9, 65534, &off, &len, &fl), 0);
	CU_ASSERT_EQUAL(iq_tpkt_parse(buf + 9, 65535, &off, &len, &fl), 1);
	CU_ASSERT(off == 4 && len == 65531 && fl == 65535);
	buf[0] = 2;
	CU_ASSERT_EQUAL(iq_tpkt_parse(buf, 9, &off, &len, &fl), -EBADMSG);
	memcpy(buf, (const uint8_t[]){ 3, 0, 0, 4 }, 4);
	CU_ASSERT_EQUAL(iq_tpkt_parse(buf, 9, &off, &len, &fl), -EBADMSG);
}

int
main(void)
{
	static const struct iq_test tests[] = {
		TEST(test_duplicate_from_cache),
		TEST(test_reconfigure_keeps_state),
		TEST(test_pending_for_in_progress),
		TEST(test_ack_and_capacity),
		TEST(test_retransmit_timing),
		TEST(test_pending_and_failover),
		TEST(test_random_tids),
		TEST(test_tpkt),
	};

	return run_suite("iq_txn", tests, sizeof(tests) / sizeof(tests[0]));
}
