/*-------------------------------------------------------------------------
 * sigv4_request.c
 *	  Parser for the raw HTTP request files of the AWS SigV4 test suite.
 *
 * A request file reads "METHOD PATH[?QUERY] HTTP/1.1", then "Name:value"
 * header lines, a blank line and the body.  The test-vector program
 * (sigv4_test.c) parses the suite's files strictly; the fuzz harness
 * (fuzz/fuzz_sigv4.c) parses any input leniently, so that odd lines become
 * odd headers for the signer to cope with.  Uses only libc; every
 * allocation is checked.  See sigv4_request.h.
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "sigv4_request.h"

static char *dup_bytes(const char *s, size_t n);
static bool parse_request_line(const char *line, size_t linelen,
							   RequestParseMode mode, ParsedRequest *req,
							   const char **err);
static bool add_header(ParsedRequest *req, int *cap, const char *line,
					   size_t linelen);
static bool unfold_header(ParsedRequest *req, const char *line,
						  size_t linelen);


/* Copy n bytes of s into a new NUL-terminated string; NULL on out of memory. */
static char *
dup_bytes(const char *s, size_t n)
{
	char	   *out = malloc(n + 1);

	if (out == NULL)
		return NULL;
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

/*
 * The request line: the method up to the first space, then the target up to
 * the last space, split at its first '?' into path and query.
 */
static bool
parse_request_line(const char *line, size_t linelen, RequestParseMode mode,
				   ParsedRequest *req, const char **err)
{
	const char *sp = memchr(line, ' ', linelen);
	const char *target = sp ? sp + 1 : line + linelen;
	const char *target_end = line + linelen;
	const char *q;
	const char *p;

	if (mode == REQUEST_STRICT && (sp == NULL || sp == line))
	{
		*err = "request line has no method";
		return false;
	}
	req->method = dup_bytes(line, sp ? (size_t) (sp - line) : linelen);
	/* the target may itself hold spaces (get-space): cut at the last one */
	for (p = line + linelen; p > target; p--)
	{
		if (p[-1] == ' ')
		{
			target_end = p - 1;
			break;
		}
	}
	q = memchr(target, '?', (size_t) (target_end - target));
	req->path = dup_bytes(target, (size_t) ((q ? q : target_end) - target));
	if (q)
		req->query = dup_bytes(q + 1, (size_t) (target_end - q - 1));
	if (req->method == NULL || req->path == NULL || (q && req->query == NULL))
	{
		*err = "out of memory";
		return false;
	}
	return true;
}

/*
 * Append a "Name:value" line (no ':': all name, empty value) to the headers,
 * whose arrays have room for *cap.  False on out of memory.
 */
static bool
add_header(ParsedRequest *req, int *cap, const char *line, size_t linelen)
{
	const char *colon = memchr(line, ':', linelen);
	size_t		namelen = colon ? (size_t) (colon - line) : linelen;
	char	   *name;
	char	   *value;

	if (req->nheaders == *cap)
	{
		int			newcap = *cap ? *cap * 2 : 8;
		char	  **names;
		char	  **values;

		names = realloc(req->names, sizeof(char *) * (size_t) newcap);
		if (names == NULL)
			return false;
		req->names = names;
		values = realloc(req->values, sizeof(char *) * (size_t) newcap);
		if (values == NULL)
			return false;
		req->values = values;
		*cap = newcap;
	}
	name = dup_bytes(line, namelen);
	value = colon ? dup_bytes(colon + 1, linelen - namelen - 1) : dup_bytes("", 0);
	if (name == NULL || value == NULL)
	{
		free(name);
		free(value);
		return false;
	}
	req->names[req->nheaders] = name;
	req->values[req->nheaders] = value;
	req->nheaders++;
	return true;
}

/*
 * Join a continuation line to the last header's value with one space (the
 * signer collapses the blanks around the join).  False on out of memory.
 */
static bool
unfold_header(ParsedRequest *req, const char *line, size_t linelen)
{
	char	   *old = req->values[req->nheaders - 1];
	size_t		oldlen = strlen(old);
	char	   *joined = malloc(oldlen + 1 + linelen + 1);

	if (joined == NULL)
		return false;
	memcpy(joined, old, oldlen);
	joined[oldlen] = ' ';
	memcpy(joined + oldlen + 1, line, linelen);
	joined[oldlen + 1 + linelen] = '\0';
	free(old);
	req->values[req->nheaders - 1] = joined;
	return true;
}

bool
sigv4_request_parse(const char *text, size_t len, RequestParseMode mode,
					int max_headers, ParsedRequest *req, const char **err)
{
	size_t		pos = 0;
	bool		first = true;
	int			cap = 0;

	memset(req, 0, sizeof(*req));
	while (pos < len)
	{
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t		linelen = nl ? (size_t) (nl - line) : len - pos;

		pos += linelen + (nl ? 1 : 0);
		if (linelen > 0 && line[linelen - 1] == '\r')
			linelen--;

		if (first)
		{
			first = false;
			if (!parse_request_line(line, linelen, mode, req, err))
				goto fail;
		}
		else if (linelen == 0)
		{
			req->body = (const unsigned char *) text + pos;
			req->body_len = len - pos;
			return true;
		}
		else if ((line[0] == ' ' || line[0] == '\t') && req->nheaders > 0)
		{
			if (!unfold_header(req, line, linelen))
				goto out_of_memory;
		}
		else if (mode == REQUEST_STRICT && (line[0] == ' ' || line[0] == '\t'))
		{
			*err = "continuation line before any header";
			goto fail;
		}
		else if (mode == REQUEST_STRICT && memchr(line, ':', linelen) == NULL)
		{
			*err = "header line without ':'";
			goto fail;
		}
		else if (max_headers <= 0 || req->nheaders < max_headers)
		{
			if (!add_header(req, &cap, line, linelen))
				goto out_of_memory;
		}
	}
	if (first && mode == REQUEST_STRICT)
	{
		*err = "empty request file";
		goto fail;
	}
	return true;				/* no blank line: no body */

out_of_memory:
	*err = "out of memory";
fail:
	sigv4_request_free(req);
	return false;
}

void
sigv4_request_free(ParsedRequest *req)
{
	int			i;

	for (i = 0; i < req->nheaders; i++)
	{
		free(req->names[i]);
		free(req->values[i]);
	}
	free(req->names);
	free(req->values);
	free(req->method);
	free(req->path);
	free(req->query);
	memset(req, 0, sizeof(*req));
}
