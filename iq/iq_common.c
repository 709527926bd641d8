/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include "iq_common.h"

void
iq_arena_init(struct iq_arena *a, void *buf, size_t size)
{
	a->base = buf;
	a->size = size;
	a->used = 0;
}

void
iq_arena_reset(struct iq_arena *a)
{
	a->used = 0;
}

void *
iq_arena_alloc(struct iq_arena *a, size_t n)
{
	uintptr_t cur, aligned;
	size_t off;

	if (n == 0 || n > a->size)
		return NULL;
	cur = (uintptr_t)a->base + a->used;
	aligned = (cur + 7) & ~(uintptr_t)7;
	off = (size_t)(aligned - (uintptr_t)a->base);
	if (off > a->size || a->size - off < n)
		return NULL;
	a->used = off + n;
	memset(a->base + off, 0, n);
	return a->base + off;
}

int
iq_arena_strdup(struct iq_arena *a, const char *p, size_t len,
		struct iq_str *out)
{
	char *c;

	if (len > UINT32_MAX)
		return -ENOMEM;
	if (len == 0) {
		out->p = "";
		out->len = 0;
		return 0;
	}
	c = iq_arena_alloc(a, len);
	if (c == NULL)
		return -ENOMEM;
	memcpy(c, p, len);
	out->p = c;
	out->len = (uint32_t)len;
	return 0;
}

static unsigned char
lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

bool
iq_str_ieq(struct iq_str s, const char *cstr)
{
	uint32_t i;

	/* No strlen: the token lookup calls this for every table row, and a
	 * mismatch is almost always found at the first byte. */
	for (i = 0; i < s.len; i++)
		if (cstr[i] == '\0' || lower((unsigned char)s.p[i]) != lower((unsigned char)cstr[i]))
			return false;
	return cstr[s.len] == '\0';
}

bool
iq_str_eq(struct iq_str a, struct iq_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}
