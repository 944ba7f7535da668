/*-------------------------------------------------------------------------
 * sigv4_request.h
 *	  Parser for the raw HTTP request files of the AWS SigV4 test suite.
 *
 * Shared by the test-vector program (test/sigv4_test.c) and the libFuzzer
 * harness (test/fuzz/fuzz_sigv4.c).  Plain C and libc only, like sigv4.c:
 * no backend.  Strings are malloc'd and released by sigv4_request_free().
 *-------------------------------------------------------------------------
 */
#ifndef BEDROCK_SIGV4_REQUEST_H
#define BEDROCK_SIGV4_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

/* How sigv4_request_parse() treats malformed lines. */
typedef enum RequestParseMode
{
	REQUEST_STRICT,				/* a malformed file is an error */
	REQUEST_LENIENT				/* nothing is rejected (fuzzing) */
} RequestParseMode;

/* A raw HTTP request file, split up; strings are malloc'd. */
typedef struct ParsedRequest
{
	char	   *method;
	char	   *path;
	char	   *query;			/* NULL when the target has no '?' */
	char	  **names;
	char	  **values;
	int			nheaders;
	const unsigned char *body;	/* points into the parsed text; NULL when
								 * there is no blank line */
	size_t		body_len;
} ParsedRequest;

/*
 * Split a raw request file of len bytes: request line, "Name:value" headers
 * (a line starting with a blank continues the previous value), a blank line,
 * then the body, taken byte for byte.  Lines may end in LF or CRLF.
 *
 * REQUEST_STRICT rejects a request line without a method, a continuation
 * line before any header, a header line without ':' and an empty file.
 * REQUEST_LENIENT accepts all of them: a request line without a space is all
 * method (the path is then ""), a line without ':' is a header with an empty
 * value, a continuation line before any header is a header, and an empty
 * text gives a request whose method and path are NULL.
 *
 * max_headers > 0 keeps only the first max_headers header lines; later ones
 * are dropped, and continuation lines extend the last header kept.
 *
 * Returns true on success; false with *err pointing to a static description
 * (also "out of memory"), everything freed and *req zeroed.  On success the
 * caller releases *req with sigv4_request_free(), which is harmless twice.
 */
extern bool sigv4_request_parse(const char *text, size_t len,
								RequestParseMode mode, int max_headers,
								ParsedRequest *req, const char **err);
extern void sigv4_request_free(ParsedRequest *req);

#endif							/* BEDROCK_SIGV4_REQUEST_H */
