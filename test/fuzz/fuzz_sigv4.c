/*-------------------------------------------------------------------------
 * fuzz_sigv4.c
 *	  libFuzzer harness for the SigV4 signer (sigv4.c).
 *
 * An input reads like a raw request of the AWS test suite: a request line
 * "METHOD PATH[?QUERY] HTTP/1.1", "Name:value" header lines (a line that
 * starts with a blank continues the previous value), a blank line, then the
 * payload, split by sigv4_request.c in its lenient mode.  Nothing is
 * rejected: odd lines become odd headers, which is what the signer must cope
 * with (header lines past the 64th are dropped).  The signing time is the
 * X-Amz-Date header when there is one; headers X-Fuzz-Region,
 * X-Fuzz-Service, X-Fuzz-Key and X-Fuzz-Secret replace the other signing
 * inputs.  The request is signed with and without path normalization, and
 * path, query and payload go through the URI encoder, whose output must
 * decode to its input.  Build and run: test/fuzz/run.sh.
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sigv4.h"
#include "sigv4_request.h"

#define MAX_HEADERS 64

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_sigv4: %s: %s\n", what, detail ? detail : "(null)");
	abort();
}

static bool
is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		(c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* URI-encode bytes and check the result decodes back to them. */
static void
check_uri_encode(const char *src, size_t len)
{
	char	   *enc = bedrock_sigv4_uri_encode(src, len);
	size_t		i,
				j = 0;

	if (enc == NULL)
		fail("uri_encode returned NULL", NULL);
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) src[i];

		if (is_unreserved(c))
		{
			if (enc[j] != (char) c)
				fail("unreserved byte changed", enc);
			j++;
		}
		else
		{
			int			hi,
						lo;

			if (enc[j] != '%' || (hi = hexval(enc[j + 1])) < 0 ||
				(lo = hexval(enc[j + 2])) < 0 || ((hi << 4) | lo) != c)
				fail("bad %XX escape", enc);
			j += 3;
		}
	}
	if (enc[j] != '\0')
		fail("encoded string too long", enc);
	free(enc);
}

static bool
is_lower_hex64(const char *s)
{
	int			i;

	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[64] == '\0';
}

static void
sign(const SigV4Request *req, SigV4Context *ctx, bool normalize)
{
	SigV4Result result;
	const char *err = NULL;
	size_t		mlen;

	ctx->normalize_path = normalize;
	if (!bedrock_sigv4_sign(req, ctx, &result, &err))
	{
		if (err == NULL)
			fail("signing failed without a reason", NULL);
		if (result.canonical_request || result.string_to_sign ||
			result.signature || result.authorization)
			fail("failed signing left results", err);
		return;
	}
	if (!result.canonical_request || !result.string_to_sign ||
		!result.signature || !result.authorization)
		fail("signing succeeded without results", NULL);
	mlen = strlen(req->method);
	if (strncmp(result.canonical_request, req->method, mlen) != 0 ||
		result.canonical_request[mlen] != '\n')
		fail("canonical request does not start with the method",
			 result.canonical_request);
	if (strncmp(result.string_to_sign, "AWS4-HMAC-SHA256\n", 17) != 0 ||
		strncmp(result.string_to_sign + 17, ctx->amz_date, 16) != 0)
		fail("bad string to sign", result.string_to_sign);
	if (!is_lower_hex64(result.signature))
		fail("signature is not 64 hex digits", result.signature);
	if (strlen(result.authorization) < 64 ||
		strcmp(result.authorization + strlen(result.authorization) - 64,
			   result.signature) != 0)
		fail("authorization does not end with the signature",
			 result.authorization);
	bedrock_sigv4_free_result(&result);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ParsedRequest preq;
	const char *err = NULL;
	SigV4Header headers[MAX_HEADERS];
	SigV4Request req;
	SigV4Context ctx;
	char		sha[65];
	int			i;

	if (!sigv4_request_parse((const char *) data, size, REQUEST_LENIENT,
							 MAX_HEADERS, &preq, &err))
		fail("parsing failed", err);	/* lenient: only out of memory */

	ctx.access_key_id = "AKIDEXAMPLE";
	ctx.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
	ctx.region = "us-east-1";
	ctx.service = "service";
	ctx.amz_date = "20150830T123600Z";
	for (i = 0; i < preq.nheaders; i++)
	{
		headers[i].name = preq.names[i];
		headers[i].value = preq.values[i];
		if (strcasecmp(preq.names[i], "x-amz-date") == 0)
			ctx.amz_date = preq.values[i];
		else if (strcasecmp(preq.names[i], "x-fuzz-region") == 0)
			ctx.region = preq.values[i];
		else if (strcasecmp(preq.names[i], "x-fuzz-service") == 0)
			ctx.service = preq.values[i];
		else if (strcasecmp(preq.names[i], "x-fuzz-key") == 0)
			ctx.access_key_id = preq.values[i];
		else if (strcasecmp(preq.names[i], "x-fuzz-secret") == 0)
			ctx.secret_access_key = preq.values[i];
	}

	req.method = preq.method ? preq.method : "";
	req.path = preq.path;
	req.query = preq.query;
	req.headers = headers;
	req.nheaders = preq.nheaders;
	req.payload = preq.body;
	req.payload_len = preq.body_len;

	sign(&req, &ctx, true);
	sign(&req, &ctx, false);

	if (preq.path)
		check_uri_encode(preq.path, strlen(preq.path));
	if (preq.query)
		check_uri_encode(preq.query, strlen(preq.query));
	check_uri_encode((const char *) preq.body, preq.body_len);
	bedrock_sigv4_sha256_hex(preq.body, preq.body_len, sha);
	if (!is_lower_hex64(sha))
		fail("payload hash is not 64 hex digits", sha);

	sigv4_request_free(&preq);
	return 0;
}
