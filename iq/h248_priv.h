/* SPDX-License-Identifier: BSD-3-Clause */
/* Private helpers shared by the H.248 decoder and encoder. */
#ifndef IMSAGW_H248_PRIV_H
#define IMSAGW_H248_PRIV_H

#include <stdbool.h>

/* SafeChar (SPEC.md §4.3; Erlang classify_char). */
static inline bool
h248_is_safe(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	switch (c) {
	case '+': case '-': case '&': case '!': case '_': case '/':
	case '\'': case '?': case '@': case '^': case '`': case '~':
	case '*': case '$': case '\\': case '(': case ')': case '%':
	case '|': case '.':
		return true;
	default:
		return false;
	}
}

/* Characters allowed inside a quotedString: SafeChar / RestChar / WSP. */
static inline bool
h248_is_qchar(unsigned char c)
{
	if (h248_is_safe(c) || c == ' ' || c == '\t')
		return true;
	switch (c) {
	case ';': case '[': case ']': case '{': case '}': case ':':
	case ',': case '#': case '<': case '>': case '=':
		return true;
	default:
		return false;
	}
}

#endif /* IMSAGW_H248_PRIV_H */
