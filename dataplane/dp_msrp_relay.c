/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The relay between two joined legs: their byte streams copied unchanged,
 * byte for byte (application-agnostic, SPEC.md §2.4, §6.5).
 *
 * Each leg has one buffer, tx: bytes read from the joined leg's peer on
 * their way to this leg's peer; a ring of buf_bytes, taken from the
 * worker's cache when the first byte is read and given back as soon as it
 * is empty, so an idle relay holds no buffer at all.
 *
 * Back-pressure: a source is read only while the sink's tx has room; when
 * it is full the source's EPOLLIN is off and TCP flow control holds its
 * peer. A direction the Mode closes (the source leg's recv, the sink leg's
 * send) is not read at all. Nothing is read before both legs are up (and a
 * TLS peer authenticated).
 *
 * Fairness: a kick moves at most MSRP_IO_ROUNDS reads and writes each way;
 * a leg that had more to do goes on the ready list for the next round.
 *
 * Close: EOF from a peer (FIN, close_notify) makes the other leg send its
 * own (shutdown(SHUT_WR) or close_notify) once its tx is flushed, so a
 * half-close passes through; when both directions are closed both legs end
 * (EV_CLOSED: R_PEER_CLOSE for the leg whose peer closed first,
 * R_JOINED_CLOSED for the other). A reset or a fatal TLS error on either
 * side resets both (R_PEER_RESET / R_JOINED_CLOSED).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "dp_msrp_priv.h"
#include "msrp_frame.h"

/* ---- buffers ------------------------------------------------------------------ */

static struct msrp_buf *
buf_get(struct msrp_worker *wk)
{
	struct msrp_buf *b = wk->free_bufs;

	if (b != NULL) {
		wk->free_bufs = b->next_free;
		wk->n_free_bufs--;
	} else {
		b = malloc(sizeof(*b) + wk->m->conf.buf_bytes);
		if (b == NULL)
			return NULL;
	}
	b->next_free = NULL;
	b->start = b->len = 0;
	return b;
}

void
msrp_buf_put(struct msrp_worker *wk, struct msrp_buf **bp)
{
	struct msrp_buf *b = *bp;

	if (b == NULL)
		return;
	*bp = NULL;
	if (wk->n_free_bufs >= wk->max_free_bufs) {
		free(b);
		return;
	}
	b->next_free = wk->free_bufs;
	wk->free_bufs = b;
	wk->n_free_bufs++;
}

void
msrp_buf_cache_free(struct msrp_worker *wk)
{
	while (wk->free_bufs != NULL) {
		struct msrp_buf *b = wk->free_bufs;

		wk->free_bufs = b->next_free;
		free(b);
	}
	wk->n_free_bufs = 0;
}

static uint32_t
buf_room(const struct msrp_worker *wk, const struct msrp_buf *b)
{
	return b == NULL ? wk->m->conf.buf_bytes : wk->m->conf.buf_bytes - b->len;
}

/* ---- state -------------------------------------------------------------------- */

static bool
relay_active(const struct msrp_leg *l)
{
	const struct msrp_leg *j = l->peer;

	return j != NULL && !l->detached && l->state == MSRP_S_UP && j->state == MSRP_S_UP &&
	       !l->draining && !j->draining;
}

/* Is src's stream to be read now: relaying, the direction open by both
 * Modes, no EOF yet, and room in the sink's buffer (back-pressure)? */
static bool
want_read(const struct msrp_worker *wk, const struct msrp_leg *src)
{
	return relay_active(src) && src->spec.recv && src->peer->spec.send && !src->rx_eof &&
	       buf_room(wk, src->peer->tx) > 0;
}

uint32_t
msrp_relay_want(const struct msrp_worker *wk, const struct msrp_leg *l)
{
	uint32_t w = 0;

	if (want_read(wk, l))
		w |= l->rd_want;
	if ((l->tx != NULL && l->tx->len > 0) || (l->shut_pending && !l->tx_shut))
		w |= l->wr_want;
	return w;
}

/* ---- I/O ------------------------------------------------------------------------ */

static int
io_read(struct msrp_leg *l, uint8_t *p, size_t n, enum sec_tls_fail *why)
{
	ssize_t r;

	if (l->ssl != NULL)
		return msrp_tls_read(l, p, n, why);
	r = recv(l->fd, p, n, 0);
	if (r >= 0)
		return (int)r;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
		l->rd_want = EPOLLIN;
		return -EAGAIN;
	}
	return -errno;
}

static int
io_write(struct msrp_leg *l, const uint8_t *p, size_t n, enum sec_tls_fail *why)
{
	ssize_t r;

	if (l->ssl != NULL)
		return msrp_tls_write(l, p, n, why);
	r = send(l->fd, p, n, MSG_NOSIGNAL);
	if (r > 0)
		return (int)r;
	if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
		l->wr_want = EPOLLOUT;
		return -EAGAIN;
	}
	return r < 0 ? -errno : -EIO;
}

/* l's connection failed: reset both legs. */
static void
reset_pair(struct msrp_worker *wk, struct msrp_leg *l, enum sec_tls_fail why)
{
	if (why != SEC_TLS_OK) {
		l->st.tls_fails[why]++;
		wk->st.tls_fails[why]++;
	}
	msrp_pair_end(wk, l, true, DP_MSRP_R_PEER_RESET, true);
}

/* Write l's tx to l's peer, then its FIN/close_notify when one is due.
 * @return 0, or -1 when the pair ended. */
static int
flush(struct msrp_worker *wk, struct msrp_leg *l, bool *progress)
{
	uint32_t cap = wk->m->conf.buf_bytes;
	struct msrp_buf *b = l->tx;

	while (b != NULL && b->len > 0 && l->w_ready) {
		uint32_t n = b->len < cap - b->start ? b->len : cap - b->start;
		enum sec_tls_fail why = SEC_TLS_OK;
		int r = io_write(l, b->data + b->start, n, &why);

		if (r == -EAGAIN) {
			l->w_ready = false;
			break;
		}
		if (r < 0) {
			reset_pair(wk, l, why);
			return -1;
		}
		b->start += (uint32_t)r;
		if (b->start == cap)
			b->start = 0;
		b->len -= (uint32_t)r;
		l->st.bytes_out += (uint64_t)r;
		wk->st.bytes += (uint64_t)r;
		l->t_last = wk->now;
		*progress = true;
	}
	if (b != NULL && b->len == 0)
		msrp_buf_put(wk, &l->tx);
	if (l->tx == NULL && l->shut_pending && !l->tx_shut && l->w_ready) {
		int r;

		if (l->ssl != NULL)
			r = msrp_tls_shutdown(l);
		else
			r = shutdown(l->fd, SHUT_WR) == 0 ? 0 : -errno;
		if (r == -EAGAIN) {
			l->w_ready = false;
		} else if (r < 0) {
			reset_pair(wk, l, SEC_TLS_OK);
			return -1;
		} else {
			l->tx_shut = true;
			*progress = true;
		}
	}
	return 0;
}

/* Read from src into the joined leg's tx. @return 0, or -1 when the pair
 * ended. */
static int
fill(struct msrp_worker *wk, struct msrp_leg *src, bool *progress)
{
	uint32_t cap = wk->m->conf.buf_bytes;
	struct msrp_leg *j = src->peer;
	enum sec_tls_fail why = SEC_TLS_OK;
	struct msrp_buf *b;
	uint32_t end, off, n;
	int r;

	if (!want_read(wk, src) || (!src->r_ready && !msrp_tls_has_pending(src)))
		return 0;
	if (j->tx == NULL) {
		j->tx = buf_get(wk);
		if (j->tx == NULL) {
			msrp_ready_add(wk, src); /* no memory now: next round */
			return 0;
		}
	}
	b = j->tx;
	end = b->start + b->len;
	if (end >= cap) {
		off = end - cap;
		n = b->start - off;
	} else {
		off = end;
		n = cap - end;
	}
	r = io_read(src, b->data + off, n, &why);
	if (r == -EAGAIN) {
		src->r_ready = false;
	} else if (r == 0) {
		src->rx_eof = true;
		if (!j->rx_eof)
			src->first_eof = true;
		j->shut_pending = true; /* after what is buffered */
		*progress = true;
	} else if (r < 0) {
		reset_pair(wk, src, why);
		return -1;
	} else if (msrp_frame_feed_leg(wk, src, b->data + off, (uint32_t)r) < 0) {
		/* Not MSRP: the piece is not forwarded; the leg is reset, the
		 * joined leg flushes what came before and closes. */
		if (b->len == 0)
			msrp_buf_put(wk, &j->tx);
		msrp_pair_end(wk, src, true, DP_MSRP_R_FRAMING, false);
		return -1;
	} else {
		b->len += (uint32_t)r;
		src->st.bytes_in += (uint64_t)r;
		src->t_last = wk->now;
		*progress = true;
	}
	if (j->tx != NULL && j->tx->len == 0)
		msrp_buf_put(wk, &j->tx);
	return 0;
}

/* ---- the relay --------------------------------------------------------------------- */

static void
finish(struct msrp_worker *wk, struct msrp_leg *l, struct msrp_leg *j)
{
	struct msrp_leg *first = l->first_eof ? l : j, *other = first == l ? j : l;

	msrp_leg_end(wk, first, false, DP_MSRP_R_PEER_CLOSE);
	msrp_leg_end(wk, other, false, DP_MSRP_R_JOINED_CLOSED);
}

void
msrp_relay_kick(struct msrp_worker *wk, struct msrp_leg *l)
{
	struct msrp_leg *j = l->peer;
	unsigned int i;

	if (l->detached || l->state != MSRP_S_UP)
		return;
	if (l->draining) {
		msrp_relay_drain(wk, l);
		return;
	}
	if (!relay_active(l)) {
		bool p = false;

		/* Not relaying: only what is left for l's peer goes out. */
		if (flush(wk, l, &p) == 0)
			(void)msrp_conn_arm(wk, l);
		return;
	}
	for (i = 0; i < MSRP_IO_ROUNDS; i++) {
		bool p = false;

		if (flush(wk, j, &p) < 0 || fill(wk, l, &p) < 0 || flush(wk, j, &p) < 0 ||
		    flush(wk, l, &p) < 0 || fill(wk, j, &p) < 0 || flush(wk, l, &p) < 0)
			return;
		if (!p)
			break;
	}
	if (i == MSRP_IO_ROUNDS)
		msrp_ready_add(wk, l);
	if (l->rx_eof && j->rx_eof && l->tx_shut && j->tx_shut) {
		finish(wk, l, j);
		return;
	}
	(void)msrp_conn_arm(wk, l);
	(void)msrp_conn_arm(wk, j);
}

void
msrp_relay_drain(struct msrp_worker *wk, struct msrp_leg *l)
{
	bool p = false;

	if (l->state != MSRP_S_UP)
		return;
	l->shut_pending = true;
	if (flush(wk, l, &p) < 0)
		return;
	if (l->tx_shut) {
		msrp_leg_end(wk, l, false, l->end_reason);
		return;
	}
	(void)msrp_conn_arm(wk, l);
}

void
msrp_relay_join(struct msrp_worker *wk, struct msrp_leg *a, struct msrp_leg *b)
{
	if (a->peer == b && b->peer == a)
		return;
	msrp_relay_unjoin(wk, a);
	msrp_relay_unjoin(wk, b);
	a->peer = b;
	b->peer = a;
	if (a->state == MSRP_S_UP)
		msrp_conn_peer_up(wk, b);
	if (b->state == MSRP_S_UP)
		msrp_conn_peer_up(wk, a);
	msrp_relay_kick(wk, a);
}

void
msrp_relay_unjoin(struct msrp_worker *wk, struct msrp_leg *l)
{
	struct msrp_leg *j = l->peer;

	if (j == NULL)
		return;
	l->peer = NULL;
	j->peer = NULL;
	msrp_buf_put(wk, &l->tx);
	msrp_buf_put(wk, &j->tx);
	(void)msrp_conn_arm(wk, l);
	(void)msrp_conn_arm(wk, j);
}

/* ---- the framing check ---------------------------------------------------------------- */

/* The validator's state lives only while a frame_check leg is connected
 * (conn_drop frees it). */
int
msrp_frame_start(struct msrp_worker *wk, struct msrp_leg *l)
{
	free(l->frame);
	l->frame = malloc(sizeof(*l->frame));
	if (l->frame == NULL)
		return -ENOMEM;
	msrp_frame_init(l->frame, wk->m->conf.max_header_bytes, wk->m->conf.max_chunk_bytes);
	return 0;
}

int
msrp_frame_feed_leg(struct msrp_worker *wk, struct msrp_leg *l, const uint8_t *p, uint32_t n)
{
	uint64_t before;
	int rc;

	(void)wk;
	if (l->frame == NULL)
		return 0;
	before = l->frame->msgs;
	rc = msrp_frame_feed(l->frame, p, n);
	l->st.msgs_in += l->frame->msgs - before;
	return rc;
}
