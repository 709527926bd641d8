/* SPDX-License-Identifier: BSD-3-Clause */
/* Token table (X-macro in h248_tokens.h), error texts, TerminationID check. */
#include <string.h>

#include "h248.h"

static const struct {
	const char *l;
	const char *s;
	uint8_t ll, sl; /* lengths: the lookup compares them first */
} tok_tab[H248_TOK_COUNT] = {
	[H248_TOK_NONE] = { "", "", 0, 0 },
#define H248_TOK_ROW_(e, l, s) [H248_TOK_##e] = { l, s, sizeof(l) - 1, sizeof(s) - 1 },
	H248_TOKENS(H248_TOK_ROW_)
#undef H248_TOK_ROW_
};

enum h248_tok
h248_tok_lookup(struct iq_str s)
{
	int i;

	if (s.len == 0 || s.len > 32)
		return H248_TOK_NONE;
	for (i = 1; i < H248_TOK_COUNT; i++)
		if ((s.len == tok_tab[i].ll && iq_str_ieq(s, tok_tab[i].l)) ||
		    (s.len == tok_tab[i].sl && iq_str_ieq(s, tok_tab[i].s)))
			return (enum h248_tok)i;
	return H248_TOK_NONE;
}

const char *
h248_tok_str(enum h248_tok tok, enum h248_layout layout)
{
	if ((int)tok <= 0 || tok >= H248_TOK_COUNT)
		return "";
	return layout == H248_LAYOUT_COMPACT ? tok_tab[tok].s : tok_tab[tok].l;
}

/* H.248.8 texts (SPEC.md §3.12). */
static const struct {
	uint16_t code;
	const char *text;
} err_tab[] = {
	{ 400, "Syntax error in message" },
	{ 401, "Protocol Error" },
	{ 402, "Unauthorized" },
	{ 403, "Syntax error in transaction" },
	{ 406, "Version not supported" },
	{ 410, "Incorrect identifier" },
	{ 411, "The transaction refers to an unknown ContextId" },
	{ 412, "No ContextIDs available" },
	{ 413, "Number of transactions in message exceeds maximum" },
	{ 421, "Unknown action or illegal combination of actions" },
	{ 422, "Syntax Error in Action" },
	{ 430, "Unknown TerminationID" },
	{ 431, "No TerminationID matched a wildcard" },
	{ 432, "Out of TerminationIDs or No TerminationID available" },
	{ 433, "TerminationID is already in a Context" },
	{ 434, "Max number of Terminations in a Context exceeded" },
	{ 435, "Termination ID is not in specified Context" },
	{ 440, "Unsupported or unknown Package" },
	{ 441, "Missing Remote or Local Descriptor" },
	{ 442, "Syntax Error in Command" },
	{ 443, "Unsupported or Unknown Command" },
	{ 444, "Unsupported or Unknown Descriptor" },
	{ 445, "Unsupported or Unknown Property" },
	{ 446, "Unsupported or Unknown Parameter" },
	{ 447, "Descriptor not legal in this command" },
	{ 448, "Descriptor appears twice in a command" },
	{ 449, "Unsupported or Unknown Parameter or Property Value" },
	{ 450, "No such property in this package" },
	{ 451, "No such event in this package" },
	{ 452, "No such signal in this package" },
	{ 453, "No such statistic in this package" },
	{ 454, "No such parameter value in this package" },
	{ 455, "Property illegal in this Descriptor" },
	{ 456, "Property appears twice in this Descriptor" },
	{ 457, "Missing parameter in signal or event" },
	{ 458, "Unexpected Event/Request ID" },
	{ 460, "Unable to set statistic on stream" },
	{ 471, "Implied Add for Multiplex failure" },
	{ 500, "Internal software Failure in MG" },
	{ 501, "Not Implemented" },
	{ 502, "Not ready" },
	{ 503, "Service Unavailable" },
	{ 504, "Command Received from unauthorized entity" },
	{ 505, "Transaction Request Received before a Service Change Reply has been received" },
	{ 506, "Number of Transaction Pendings Exceeded" },
	{ 510, "Insufficient resources" },
	{ 512, "Media Gateway unequipped to detect requested Event" },
	{ 513, "Media Gateway unequipped to generate requested Signals" },
	{ 515, "Unsupported or invalid media type" },
	{ 517, "Unsupported or invalid mode" },
	{ 521, "Termination is ServiceChanging" },
	{ 522, "Functionality Requested in Topology Triple Not Supported" },
	{ 526, "Insufficient bandwidth" },
	{ 529, "Internal hardware failure in MG" },
	{ 530, "Temporary Network failure" },
	{ 531, "Permanent Network failure" },
	{ 532, "Audited Property, Statistic, Event or Signal does not exist" },
	{ 533, "Response exceeds maximum transport PDU size" },
	{ 534, "Illegal write or read only property" },
	{ 542, "Command is not allowed on this termination" },
	{ 581, "Does Not Exist" },
};

const char *
h248_errcode_text(uint16_t code)
{
	size_t i;

	for (i = 0; i < sizeof(err_tab) / sizeof(err_tab[0]); i++)
		if (err_tab[i].code == code)
			return err_tab[i].text;
	return "Error";
}

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool
h248_tid_valid_strict(struct iq_str tid)
{
	uint32_t i = 0, name_len = 0;

	if (tid.len == 0 || tid.len > 64)
		return false;
	if (tid.len == 1 && (tid.p[0] == '$' || tid.p[0] == '*'))
		return true;
	if (tid.p[0] == '*')
		i = 1;
	if (i >= tid.len || !is_alpha(tid.p[i]))
		return false;
	for (; i < tid.len; i++) {
		char c = tid.p[i];

		if (c == '@')
			break;
		if (is_alpha(c) || is_digit(c) || c == '_') {
			name_len++;
			continue;
		}
		if (c == '/' || c == '*' || c == '$') {
			name_len = 0;
			continue;
		}
		return false;
	}
	(void)name_len;
	if (i < tid.len) {
		/* "@" pathDomainName: ALPHA/DIGIT/'*' then ALPHA/DIGIT/-/./'*' */
		if (++i >= tid.len)
			return false;
		for (; i < tid.len; i++) {
			char c = tid.p[i];

			if (!(is_alpha(c) || is_digit(c) || c == '-' ||
			      c == '.' || c == '*'))
				return false;
		}
	}
	return true;
}
