/*-------------------------------------------------------------------------
 * sigv4.h
 *	  AWS Signature Version 4 signing, free of backend dependencies.
 *
 * This header and sigv4.c use only libc and OpenSSL's libcrypto, so the
 * SigV4 test-vector program and fuzzers link them without a backend.
 * Strings returned by the signer are malloc'd: the caller copies what it
 * needs and releases them with bedrock_sigv4_free_result() before anything
 * that can longjmp (ereport).
 *-------------------------------------------------------------------------
 */
#ifndef BEDROCK_SIGV4_H
#define BEDROCK_SIGV4_H

#include <stdbool.h>
#include <stddef.h>

/* One HTTP header to be signed, exactly as it will be sent. */
typedef struct SigV4Header
{
	const char *name;			/* any case; lowercased for signing */
	const char *value;			/* untrimmed; trimmed and space-collapsed for
								 * signing */
} SigV4Header;

/* The request being signed. */
typedef struct SigV4Request
{
	const char *method;			/* "GET", "POST" */
	const char *path;			/* as on the wire, e.g.
								 * "/model-customization-jobs/arn%3Aaws..." */
	const char *query;			/* as on the wire without '?', in any order;
								 * NULL or "" if none */
	const SigV4Header *headers; /* every header to sign, including host,
								 * x-amz-date and x-amz-security-token when
								 * present */
	int			nheaders;
	const unsigned char *payload;	/* request body; NULL for none */
	size_t		payload_len;
} SigV4Request;

/* Who signs, where, and when. */
typedef struct SigV4Context
{
	const char *access_key_id;
	const char *secret_access_key;
	const char *region;			/* "us-east-1" */
	const char *service;		/* "bedrock" */
	const char *amz_date;		/* "20150830T123600Z" (must equal the
								 * x-amz-date header) */
	bool		normalize_path; /* remove "." / ".." / duplicate "/" (true for
								 * all non-S3) */
} SigV4Context;

/* What the signer produces; all strings malloc'd, NULL on failure. */
typedef struct SigV4Result
{
	char	   *canonical_request;
	char	   *string_to_sign;
	char	   *signature;		/* lowercase hex */
	char	   *authorization;	/* full Authorization header value */
} SigV4Result;

/*
 * Sign a request.  Returns true on success; false on invalid input (bad
 * amz_date, malformed percent-encoding in path or query) or out of memory,
 * with *errmsg pointing to a static description.  On success the caller owns
 * the strings in *result.
 */
extern bool bedrock_sigv4_sign(const SigV4Request *req, const SigV4Context *ctx,
							   SigV4Result *result, const char **errmsg);
extern void bedrock_sigv4_free_result(SigV4Result *result);

/*
 * AWS URI encoding (RFC 3986 unreserved characters kept, everything else
 * %XX with uppercase hex), appended to a malloc'd string.  Used for URI
 * labels (job ARNs) and query values.  Returns NULL on out of memory.
 */
extern char *bedrock_sigv4_uri_encode(const char *src, size_t len);

/* Lowercase hex SHA-256 of data into out (65 bytes incl. NUL). */
extern void bedrock_sigv4_sha256_hex(const unsigned char *data, size_t len, char out[65]);

#endif							/* BEDROCK_SIGV4_H */
