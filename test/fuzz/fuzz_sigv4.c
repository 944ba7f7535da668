/*-------------------------------------------------------------------------
 * fuzz_sigv4.c
 *	  libFuzzer harness for the SigV4 signer (sigv4.c).
 *
 * An input reads like a raw request of the AWS test suite: a request line
 * "METHOD PATH[?QUERY] HTTP/1.1", "Name:value" header lines (a line that
 * starts with a blank continues the previous value), a blank line, then the
 * payload.  Nothing is rejected: odd lines become odd headers, which is what
 * the signer must cope with.  The signing time is the X-Amz-Date header when
 * there is one; headers X-Fuzz-Region, X-Fuzz-Service, X-Fuzz-Key and
 * X-Fuzz-Secret replace the other signing inputs.  The request is signed
 * with and without path normalization, and path, query and payload go
 * through the URI encoder, whose output must decode to its input.  Build and
 * run: test/fuzz/run.sh.
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sigv4.h"

#define MAX_HEADERS 64

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_sigv4: %s: %s\n", what, detail ? detail : "(null)");
	abort();
}

static char *
xstrndup(const char *s, size_t n)
{
	char	   *r = malloc(n + 1);

	if (r == NULL)
		abort();
	memcpy(r, s, n);
	r[n] = '\0';
	return r;
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
	const char *text = (const char *) data;
	size_t		pos = 0;
	bool		first = true;
	char	   *method = NULL;
	char	   *path = NULL;
	char	   *query = NULL;
	char	   *names[MAX_HEADERS];
	char	   *values[MAX_HEADERS];
	SigV4Header headers[MAX_HEADERS];
	int			nheaders = 0;
	const unsigned char *payload = NULL;
	size_t		payload_len = 0;
	SigV4Request req;
	SigV4Context ctx;
	char		sha[65];
	int			i;

	while (pos < size)
	{
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', size - pos);
		size_t		linelen = nl ? (size_t) (nl - line) : size - pos;

		pos += linelen + (nl ? 1 : 0);
		if (linelen > 0 && line[linelen - 1] == '\r')
			linelen--;

		if (first)
		{
			const char *sp = memchr(line, ' ', linelen);
			const char *target = sp ? sp + 1 : line + linelen;
			const char *end = line + linelen;
			const char *p;
			const char *q;

			first = false;
			method = xstrndup(line, sp ? (size_t) (sp - line) : linelen);
			for (p = end; p > target; p--)
			{
				if (p[-1] == ' ')
				{
					end = p - 1;
					break;
				}
			}
			q = memchr(target, '?', (size_t) (end - target));
			path = xstrndup(target, (size_t) ((q ? q : end) - target));
			if (q)
				query = xstrndup(q + 1, (size_t) (end - q - 1));
			continue;
		}
		if (linelen == 0)
		{
			payload = (const unsigned char *) text + pos;
			payload_len = size - pos;
			break;
		}
		if ((line[0] == ' ' || line[0] == '\t') && nheaders > 0)
		{
			char	   *old = values[nheaders - 1];
			size_t		oldlen = strlen(old);
			char	   *joined = malloc(oldlen + 1 + linelen + 1);

			if (joined == NULL)
				abort();
			memcpy(joined, old, oldlen);
			joined[oldlen] = ' ';
			memcpy(joined + oldlen + 1, line, linelen);
			joined[oldlen + 1 + linelen] = '\0';
			free(old);
			values[nheaders - 1] = joined;
		}
		else if (nheaders < MAX_HEADERS)
		{
			const char *colon = memchr(line, ':', linelen);
			size_t		nlen = colon ? (size_t) (colon - line) : linelen;

			names[nheaders] = xstrndup(line, nlen);
			values[nheaders] = colon ? xstrndup(colon + 1, linelen - nlen - 1)
				: xstrndup("", 0);
			nheaders++;
		}
	}

	ctx.access_key_id = "AKIDEXAMPLE";
	ctx.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
	ctx.region = "us-east-1";
	ctx.service = "service";
	ctx.amz_date = "20150830T123600Z";
	for (i = 0; i < nheaders; i++)
	{
		headers[i].name = names[i];
		headers[i].value = values[i];
		if (strcasecmp(names[i], "x-amz-date") == 0)
			ctx.amz_date = values[i];
		else if (strcasecmp(names[i], "x-fuzz-region") == 0)
			ctx.region = values[i];
		else if (strcasecmp(names[i], "x-fuzz-service") == 0)
			ctx.service = values[i];
		else if (strcasecmp(names[i], "x-fuzz-key") == 0)
			ctx.access_key_id = values[i];
		else if (strcasecmp(names[i], "x-fuzz-secret") == 0)
			ctx.secret_access_key = values[i];
	}

	req.method = method ? method : "";
	req.path = path;
	req.query = query;
	req.headers = headers;
	req.nheaders = nheaders;
	req.payload = payload;
	req.payload_len = payload_len;

	sign(&req, &ctx, true);
	sign(&req, &ctx, false);

	if (path)
		check_uri_encode(path, strlen(path));
	if (query)
		check_uri_encode(query, strlen(query));
	check_uri_encode((const char *) payload, payload_len);
	bedrock_sigv4_sha256_hex(payload, payload_len, sha);
	if (!is_lower_hex64(sha))
		fail("payload hash is not 64 hex digits", sha);

	free(method);
	free(path);
	free(query);
	for (i = 0; i < nheaders; i++)
	{
		free(names[i]);
		free(values[i]);
	}
	return 0;
}
