/*-------------------------------------------------------------------------
 * sigv4.c
 *	  AWS Signature Version 4 request signing using only libc and libcrypto.
 *
 * Implements the canonical request, string to sign, signing key and
 * Authorization header of AWS SigV4 (header variant, AWS4-HMAC-SHA256) for
 * non-S3 services: the canonical URI is the wire path, optionally normalized,
 * percent-encoded a second time.  Nothing here uses the backend (no palloc,
 * no ereport), so the test-vector program and fuzzers link this file alone;
 * every allocation is malloc'd and checked, and every input is treated as
 * hostile.
 *-------------------------------------------------------------------------
 */
/* explicit_bzero() is hidden by strict -std=c99; no PG header sets this here */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
#endif

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sigv4.h"

#define SIGV4_ALGORITHM		"AWS4-HMAC-SHA256"
#define SIGV4_TERMINATOR	"aws4_request"
#define SIGV4_DATE_LEN		16	/* "YYYYMMDDTHHMMSSZ" */
#define SHA256_LEN			32
#define SHA256_HEX_LEN		64

static const char sigv4_hex_upper[] = "0123456789ABCDEF";
static const char sigv4_hex_lower[] = "0123456789abcdef";

/* A growable, always NUL-terminated byte string. */
typedef struct SigBuf
{
	char	   *data;
	size_t		len;			/* bytes used, excluding the NUL */
	size_t		cap;			/* bytes allocated */
	bool		failed;			/* an allocation failed; appends are no-ops */
} SigBuf;

/* One query parameter, both halves already in canonical (encoded) form. */
typedef struct SigQueryParam
{
	char	   *key;
	char	   *value;
} SigQueryParam;

/* One header in canonical form, remembering its position in the request. */
typedef struct SigCanonHeader
{
	char	   *name;			/* lowercased */
	char	   *value;			/* trimmed, inner blanks collapsed */
	int			position;		/* index in SigV4Request.headers */
} SigCanonHeader;

static void buf_init(SigBuf *buf);
static bool buf_reserve(SigBuf *buf, size_t extra);
static void buf_append(SigBuf *buf, const char *data, size_t len);
static void buf_append_str(SigBuf *buf, const char *str);
static void buf_append_char(SigBuf *buf, char c);
static void buf_append_encoded(SigBuf *buf, const char *src, size_t len,
							   bool keep_slash);
static char *buf_finish(SigBuf *buf);
static void buf_discard(SigBuf *buf);
static void free_secret_string(char *str);
static bool is_unreserved(unsigned char c);
static bool is_tchar(unsigned char c);
static int	hex_value(unsigned char c);
static void bytes_to_hex(const unsigned char *bytes, size_t len, char *out);
static bool sha256_raw(const unsigned char *data, size_t len,
					   unsigned char out[SHA256_LEN]);
static bool hmac_sha256(const unsigned char *key, size_t keylen,
						const char *data, size_t len,
						unsigned char out[SHA256_LEN]);
static bool valid_amz_date(const char *date);
static bool valid_scope_part(const char *part);
static bool check_percent_escapes(const char *src, size_t len);
static char *percent_decode(const char *src, size_t len, size_t *outlen,
							const char **errmsg);
static char *canonical_uri(const char *path, bool normalize,
						   const char **errmsg);
static char *normalize_path(const char *path, size_t len);
static char *canonical_query(const char *query, const char **errmsg);
static int	query_param_cmp(const void *a, const void *b);
static bool canonical_headers(const SigV4Request *req, const char *amz_date,
							  char **headers_out, char **signed_out,
							  const char **errmsg);
static int	canon_header_cmp(const void *a, const void *b);
static char *trim_collapse(const char *value, const char **errmsg);
static bool derive_signing_key(const SigV4Context *ctx,
							   unsigned char key[SHA256_LEN]);
static void set_error(const char **errmsg, const char *msg);


/*
 * Start an empty buffer.  Nothing is allocated until the first append, so a
 * buffer that is never used needs no cleanup beyond buf_discard().
 */
static void
buf_init(SigBuf *buf)
{
	buf->data = NULL;
	buf->len = 0;
	buf->cap = 0;
	buf->failed = false;
}

/*
 * Make room for extra more bytes plus the NUL.  Grows by copying into a new
 * block and zeroing the old one rather than realloc(), because buffers hold
 * session tokens and realloc would leave copies in freed memory.
 */
static bool
buf_reserve(SigBuf *buf, size_t extra)
{
	size_t		need;
	size_t		newcap;
	char	   *newdata;

	if (buf->failed)
		return false;
	if (extra > SIZE_MAX - buf->len - 1)
	{
		buf->failed = true;
		return false;
	}
	need = buf->len + extra + 1;
	if (need <= buf->cap)
		return true;

	newcap = buf->cap ? buf->cap : 64;
	while (newcap < need)
	{
		if (newcap > SIZE_MAX / 2)
		{
			newcap = need;
			break;
		}
		newcap *= 2;
	}

	newdata = malloc(newcap);
	if (newdata == NULL)
	{
		buf->failed = true;
		return false;
	}
	if (buf->data != NULL)
	{
		memcpy(newdata, buf->data, buf->len + 1);
		explicit_bzero(buf->data, buf->cap);
		free(buf->data);
	}
	else
		newdata[0] = '\0';
	buf->data = newdata;
	buf->cap = newcap;
	return true;
}

/* Append len raw bytes; after a failed allocation this does nothing. */
static void
buf_append(SigBuf *buf, const char *data, size_t len)
{
	if (!buf_reserve(buf, len))
		return;
	if (len > 0)
		memcpy(buf->data + buf->len, data, len);
	buf->len += len;
	buf->data[buf->len] = '\0';
}

/* Append a NUL-terminated string. */
static void
buf_append_str(SigBuf *buf, const char *str)
{
	buf_append(buf, str, strlen(str));
}

/* Append one byte. */
static void
buf_append_char(SigBuf *buf, char c)
{
	buf_append(buf, &c, 1);
}

/*
 * Append src AWS-URI-encoded: only A-Z a-z 0-9 - . _ ~ pass through (plus
 * '/' when keep_slash, for paths), every other byte becomes %XX with
 * uppercase hex, as SigV4 requires.
 */
static void
buf_append_encoded(SigBuf *buf, const char *src, size_t len, bool keep_slash)
{
	size_t		i;

	if (len > (SIZE_MAX - 1) / 3 || !buf_reserve(buf, len * 3))
	{
		buf->failed = true;
		return;
	}
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) src[i];

		if (is_unreserved(c) || (keep_slash && c == '/'))
			buf->data[buf->len++] = (char) c;
		else
		{
			buf->data[buf->len++] = '%';
			buf->data[buf->len++] = sigv4_hex_upper[c >> 4];
			buf->data[buf->len++] = sigv4_hex_upper[c & 0x0F];
		}
	}
	buf->data[buf->len] = '\0';
}

/*
 * Hand the buffer's string to the caller, or NULL (and release everything)
 * if any append failed.  An untouched buffer yields "".
 */
static char *
buf_finish(SigBuf *buf)
{
	char	   *result;

	if (!buf->failed && buf->data == NULL)
		buf_reserve(buf, 0);
	if (buf->failed)
	{
		buf_discard(buf);
		return NULL;
	}
	result = buf->data;
	buf_init(buf);
	return result;
}

/* Zero and free whatever the buffer holds. */
static void
buf_discard(SigBuf *buf)
{
	if (buf->data != NULL)
	{
		explicit_bzero(buf->data, buf->cap);
		free(buf->data);
	}
	buf_init(buf);
}

/*
 * Free a NUL-terminated string that may hold a credential (a session token in
 * a canonical request), zeroing it first.
 */
static void
free_secret_string(char *str)
{
	if (str == NULL)
		return;
	explicit_bzero(str, strlen(str));
	free(str);
}

/* RFC 3986 unreserved characters, the only ones SigV4 leaves unencoded. */
static bool
is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		(c >= '0' && c <= '9') ||
		c == '-' || c == '.' || c == '_' || c == '~';
}

/* RFC 9110 "tchar": what a method or header field name may consist of. */
static bool
is_tchar(unsigned char c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		(c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Value of one hex digit, or -1. */
static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Lowercase hex of len bytes into out, which must hold 2 * len + 1 bytes. */
static void
bytes_to_hex(const unsigned char *bytes, size_t len, char *out)
{
	size_t		i;

	for (i = 0; i < len; i++)
	{
		out[2 * i] = sigv4_hex_lower[bytes[i] >> 4];
		out[2 * i + 1] = sigv4_hex_lower[bytes[i] & 0x0F];
	}
	out[2 * len] = '\0';
}

/* SHA-256 of data; false only if libcrypto fails (out of memory). */
static bool
sha256_raw(const unsigned char *data, size_t len, unsigned char out[SHA256_LEN])
{
	unsigned int outlen = 0;

	if (data == NULL)
		data = (const unsigned char *) "";
	if (EVP_Digest(data, len, out, &outlen, EVP_sha256(), NULL) != 1 ||
		outlen != SHA256_LEN)
		return false;
	return true;
}

/* HMAC-SHA256 of data under key; false if libcrypto fails. */
static bool
hmac_sha256(const unsigned char *key, size_t keylen, const char *data,
			size_t len, unsigned char out[SHA256_LEN])
{
	unsigned int outlen = 0;

	if (keylen > INT_MAX)
		return false;
	if (HMAC(EVP_sha256(), key, (int) keylen, (const unsigned char *) data,
			 len, out, &outlen) == NULL || outlen != SHA256_LEN)
		return false;
	return true;
}

/*
 * Lowercase hex SHA-256 of data (NULL with len 0 is the empty string).  The
 * API cannot report failure, so if libcrypto fails (out of memory) out is set
 * to the empty string, which can never match a real hash.
 */
void
bedrock_sigv4_sha256_hex(const unsigned char *data, size_t len, char out[65])
{
	unsigned char digest[SHA256_LEN];

	if (data == NULL && len > 0)
	{
		out[0] = '\0';
		return;
	}
	if (!sha256_raw(data, len, digest))
	{
		out[0] = '\0';
		return;
	}
	bytes_to_hex(digest, SHA256_LEN, out);
}

/*
 * AWS URI encoding of len bytes of src into a new malloc'd string.  Slashes
 * are encoded too: this is for single URI labels and query components.
 */
char *
bedrock_sigv4_uri_encode(const char *src, size_t len)
{
	SigBuf		buf;

	if (src == NULL && len > 0)
		return NULL;
	buf_init(&buf);
	buf_append_encoded(&buf, src, len, false);
	return buf_finish(&buf);
}

/*
 * Check "YYYYMMDDTHHMMSSZ" with plausible field ranges.  The date's first
 * eight characters become the credential scope, so a malformed value would
 * silently produce a scope AWS rejects.
 */
static bool
valid_amz_date(const char *date)
{
	int			i;
	int			month,
				day,
				hour,
				minute,
				second;

	if (date == NULL || strlen(date) != SIGV4_DATE_LEN)
		return false;
	for (i = 0; i < SIGV4_DATE_LEN; i++)
	{
		if (i == 8)
		{
			if (date[i] != 'T')
				return false;
		}
		else if (i == 15)
		{
			if (date[i] != 'Z')
				return false;
		}
		else if (date[i] < '0' || date[i] > '9')
			return false;
	}
	month = (date[4] - '0') * 10 + (date[5] - '0');
	day = (date[6] - '0') * 10 + (date[7] - '0');
	hour = (date[9] - '0') * 10 + (date[10] - '0');
	minute = (date[11] - '0') * 10 + (date[12] - '0');
	second = (date[13] - '0') * 10 + (date[14] - '0');
	return month >= 1 && month <= 12 && day >= 1 && day <= 31 &&
		hour <= 23 && minute <= 59 && second <= 60;
}

/*
 * Region, service and access key ID are joined with '/' and ", " into the
 * Authorization header, so they must not contain separators or blanks.
 */
static bool
valid_scope_part(const char *part)
{
	const unsigned char *p;

	if (part == NULL || *part == '\0')
		return false;
	for (p = (const unsigned char *) part; *p; p++)
	{
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			  (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			return false;
	}
	return true;
}

/* True if every '%' in src is followed by two hex digits. */
static bool
check_percent_escapes(const char *src, size_t len)
{
	size_t		i;

	for (i = 0; i < len; i++)
	{
		if (src[i] != '%')
			continue;
		if (len - i < 3 ||
			hex_value((unsigned char) src[i + 1]) < 0 ||
			hex_value((unsigned char) src[i + 2]) < 0)
			return false;
		i += 2;
	}
	return true;
}

/*
 * Decode %XX escapes in len bytes of src into a new malloc'd buffer (which
 * may contain NUL bytes; its length goes to *outlen).  '+' is kept as a
 * literal plus: SigV4 follows RFC 3986, not form encoding, so a space must be
 * sent as %20.  Returns NULL with *errmsg set on a malformed escape or out of
 * memory.
 */
static char *
percent_decode(const char *src, size_t len, size_t *outlen,
			   const char **errmsg)
{
	char	   *out;
	size_t		i,
				j = 0;

	if (!check_percent_escapes(src, len))
	{
		set_error(errmsg, "malformed percent-encoding in query string");
		return NULL;
	}
	out = malloc(len + 1);
	if (out == NULL)
	{
		set_error(errmsg, "out of memory");
		return NULL;
	}
	for (i = 0; i < len; i++)
	{
		if (src[i] == '%')
		{
			out[j++] = (char) ((hex_value((unsigned char) src[i + 1]) << 4) |
							   hex_value((unsigned char) src[i + 2]));
			i += 2;
		}
		else
			out[j++] = src[i];
	}
	out[j] = '\0';
	*outlen = j;
	return out;
}

/*
 * Remove "." and ".." segments and empty segments (duplicate slashes) from an
 * absolute path, keeping a trailing slash when the result is not the root.
 * This is botocore's remove_dot_segments(), which is what the AWS test suite
 * expects; the path is not decoded first, so "%2E%2E" is an ordinary segment.
 */
static char *
normalize_path(const char *path, size_t len)
{
	size_t	   *seg_start;
	size_t	   *seg_len;
	size_t		nsegs = 0;
	size_t		max_segs = 1;
	size_t		i,
				start;
	SigBuf		buf;

	for (i = 0; i < len; i++)
		if (path[i] == '/')
			max_segs++;
	seg_start = calloc(max_segs, sizeof(size_t));
	seg_len = calloc(max_segs, sizeof(size_t));
	if (seg_start == NULL || seg_len == NULL)
	{
		free(seg_start);
		free(seg_len);
		return NULL;
	}

	start = 0;
	for (i = 0; i <= len; i++)
	{
		size_t		n;

		if (i < len && path[i] != '/')
			continue;
		n = i - start;
		if (n == 2 && path[start] == '.' && path[start + 1] == '.')
		{
			if (nsegs > 0)
				nsegs--;
		}
		else if (n > 0 && !(n == 1 && path[start] == '.'))
		{
			seg_start[nsegs] = start;
			seg_len[nsegs] = n;
			nsegs++;
		}
		/* an empty or "." segment is dropped */
		start = i + 1;
	}

	buf_init(&buf);
	buf_append_char(&buf, '/');
	for (i = 0; i < nsegs; i++)
	{
		if (i > 0)
			buf_append_char(&buf, '/');
		buf_append(&buf, path + seg_start[i], seg_len[i]);
	}
	if (nsegs > 0 && len > 0 && path[len - 1] == '/')
		buf_append_char(&buf, '/');

	free(seg_start);
	free(seg_len);
	return buf_finish(&buf);
}

/*
 * Canonical URI: the wire path (already percent-encoded, as sent), optionally
 * normalized, then URI-encoded again with '/' kept.  Encoding twice is the
 * rule for every service but S3, so a label sent as "arn%3Aaws" is signed as
 * "arn%253Aaws".
 */
static char *
canonical_uri(const char *path, bool normalize, const char **errmsg)
{
	size_t		len;
	char	   *normalized = NULL;
	const char *source;
	SigBuf		buf;

	if (path == NULL || *path == '\0')
		path = "/";
	len = strlen(path);
	if (path[0] != '/')
	{
		set_error(errmsg, "request path must begin with \"/\"");
		return NULL;
	}
	if (strpbrk(path, "?#\r\n") != NULL)
	{
		set_error(errmsg, "request path must not contain \"?\", \"#\" or a line break");
		return NULL;
	}
	if (!check_percent_escapes(path, len))
	{
		set_error(errmsg, "malformed percent-encoding in request path");
		return NULL;
	}

	source = path;
	if (normalize)
	{
		normalized = normalize_path(path, len);
		if (normalized == NULL)
		{
			set_error(errmsg, "out of memory");
			return NULL;
		}
		source = normalized;
		len = strlen(normalized);
	}

	buf_init(&buf);
	buf_append_encoded(&buf, source, len, true);
	free(normalized);
	normalized = buf_finish(&buf);
	if (normalized == NULL)
		set_error(errmsg, "out of memory");
	return normalized;
}

/* Order query parameters by encoded key, then encoded value, in byte order. */
static int
query_param_cmp(const void *a, const void *b)
{
	const SigQueryParam *pa = (const SigQueryParam *) a;
	const SigQueryParam *pb = (const SigQueryParam *) b;
	int			cmp;

	cmp = strcmp(pa->key, pb->key);
	if (cmp != 0)
		return cmp;
	return strcmp(pa->value, pb->value);
}

/*
 * Canonical query string: split the wire query on '&', split each parameter
 * at its first '=', decode and re-encode both halves (so "%2b", "%2B" and a
 * raw byte all sign the same way), sort the pairs and join them as
 * "k=v&k=v".  A parameter without '=' is written "key=".  Empty parameters
 * ("a=1&&b=2") carry nothing and are dropped.
 */
static char *
canonical_query(const char *query, const char **errmsg)
{
	SigQueryParam *params;
	size_t		nparams = 0;
	size_t		max_params = 1;
	size_t		qlen;
	size_t		i;
	const char *p;
	char	   *result = NULL;
	bool		ok = true;
	SigBuf		buf;

	if (query == NULL || *query == '\0')
	{
		result = strdup("");
		if (result == NULL)
			set_error(errmsg, "out of memory");
		return result;
	}

	qlen = strlen(query);
	for (i = 0; i < qlen; i++)
		if (query[i] == '&')
			max_params++;
	params = calloc(max_params, sizeof(SigQueryParam));
	if (params == NULL)
	{
		set_error(errmsg, "out of memory");
		return NULL;
	}

	p = query;
	while (ok)
	{
		const char *end = strchr(p, '&');
		const char *eq;
		size_t		plen;
		size_t		klen,
					vlen,
					declen;
		char	   *decoded;

		plen = end ? (size_t) (end - p) : strlen(p);
		if (plen > 0)
		{
			eq = memchr(p, '=', plen);
			klen = eq ? (size_t) (eq - p) : plen;
			vlen = eq ? plen - klen - 1 : 0;

			decoded = percent_decode(p, klen, &declen, errmsg);
			if (decoded == NULL)
			{
				ok = false;
				break;
			}
			params[nparams].key = bedrock_sigv4_uri_encode(decoded, declen);
			free(decoded);

			decoded = percent_decode(eq ? eq + 1 : p + plen, vlen, &declen,
									 errmsg);
			if (decoded == NULL)
			{
				nparams++;		/* free the key below */
				ok = false;
				break;
			}
			params[nparams].value = bedrock_sigv4_uri_encode(decoded, declen);
			free(decoded);
			nparams++;
			if (params[nparams - 1].key == NULL ||
				params[nparams - 1].value == NULL)
			{
				set_error(errmsg, "out of memory");
				ok = false;
				break;
			}
		}
		if (end == NULL)
			break;
		p = end + 1;
	}

	if (ok)
	{
		qsort(params, nparams, sizeof(SigQueryParam), query_param_cmp);
		buf_init(&buf);
		for (i = 0; i < nparams; i++)
		{
			if (i > 0)
				buf_append_char(&buf, '&');
			buf_append_str(&buf, params[i].key);
			buf_append_char(&buf, '=');
			buf_append_str(&buf, params[i].value);
		}
		result = buf_finish(&buf);
		if (result == NULL)
			set_error(errmsg, "out of memory");
	}

	for (i = 0; i < nparams; i++)
	{
		free(params[i].key);
		free(params[i].value);
	}
	free(params);
	return result;
}

/*
 * A header value as SigV4 signs it: leading and trailing blanks removed and
 * each inner run of spaces/tabs replaced by one space.  CR, LF and other
 * control characters are refused: they would split the header on the wire
 * (header injection), and a folded value must be unfolded by the caller.
 */
static char *
trim_collapse(const char *value, const char **errmsg)
{
	const unsigned char *p;
	char	   *out;
	size_t		j = 0;
	bool		pending_space = false;

	for (p = (const unsigned char *) value; *p; p++)
	{
		if ((*p < 0x20 && *p != '\t') || *p == 0x7F)
		{
			set_error(errmsg, "header value contains a control character");
			return NULL;
		}
	}

	out = malloc(strlen(value) + 1);
	if (out == NULL)
	{
		set_error(errmsg, "out of memory");
		return NULL;
	}
	for (p = (const unsigned char *) value; *p; p++)
	{
		if (*p == ' ' || *p == '\t')
		{
			if (j > 0)
				pending_space = true;
			continue;
		}
		if (pending_space)
		{
			out[j++] = ' ';
			pending_space = false;
		}
		out[j++] = (char) *p;
	}
	out[j] = '\0';
	return out;
}

/* Order headers by lowercased name, then by position in the request. */
static int
canon_header_cmp(const void *a, const void *b)
{
	const SigCanonHeader *ha = (const SigCanonHeader *) a;
	const SigCanonHeader *hb = (const SigCanonHeader *) b;
	int			cmp;

	cmp = strcmp(ha->name, hb->name);
	if (cmp != 0)
		return cmp;
	return (ha->position > hb->position) - (ha->position < hb->position);
}

/*
 * Build the canonical headers block ("name:value\n" per distinct name, sorted,
 * repeated names merged with "," in request order) and the signed headers
 * list ("a;b;c").  Also checks that any x-amz-date header agrees with the
 * signing time, since a mismatch is always a caller bug that AWS reports only
 * as a bad signature.
 */
static bool
canonical_headers(const SigV4Request *req, const char *amz_date,
				  char **headers_out, char **signed_out, const char **errmsg)
{
	SigCanonHeader *hdrs = NULL;
	int			nhdrs = 0;
	int			i;
	bool		ok = true;
	SigBuf		cbuf,
				sbuf;

	*headers_out = NULL;
	*signed_out = NULL;

	if (req->nheaders < 0 || (req->nheaders > 0 && req->headers == NULL))
	{
		set_error(errmsg, "invalid header list");
		return false;
	}
	if (req->nheaders > 0)
	{
		hdrs = calloc((size_t) req->nheaders, sizeof(SigCanonHeader));
		if (hdrs == NULL)
		{
			set_error(errmsg, "out of memory");
			return false;
		}
	}

	for (i = 0; i < req->nheaders && ok; i++)
	{
		const SigV4Header *h = &req->headers[i];
		const unsigned char *p;
		char	   *q;

		if (h->name == NULL || h->name[0] == '\0' || h->value == NULL)
		{
			set_error(errmsg, "header name or value is missing");
			ok = false;
			break;
		}
		for (p = (const unsigned char *) h->name; *p; p++)
		{
			if (!is_tchar(*p))
			{
				set_error(errmsg, "header name contains an invalid character");
				ok = false;
				break;
			}
		}
		if (!ok)
			break;

		hdrs[nhdrs].position = i;
		hdrs[nhdrs].name = strdup(h->name);
		if (hdrs[nhdrs].name == NULL)
		{
			set_error(errmsg, "out of memory");
			ok = false;
			break;
		}
		for (q = hdrs[nhdrs].name; *q; q++)
			if (*q >= 'A' && *q <= 'Z')
				*q = (char) (*q - 'A' + 'a');
		hdrs[nhdrs].value = trim_collapse(h->value, errmsg);
		nhdrs++;
		if (hdrs[nhdrs - 1].value == NULL)
		{
			ok = false;
			break;
		}
		if (strcmp(hdrs[nhdrs - 1].name, "x-amz-date") == 0 &&
			strcmp(hdrs[nhdrs - 1].value, amz_date) != 0)
		{
			set_error(errmsg, "x-amz-date header does not match the signing time");
			ok = false;
			break;
		}
	}

	if (ok)
	{
		if (nhdrs > 1)
			qsort(hdrs, (size_t) nhdrs, sizeof(SigCanonHeader), canon_header_cmp);

		buf_init(&cbuf);
		buf_init(&sbuf);
		for (i = 0; i < nhdrs; i++)
		{
			bool		same_as_previous = (i > 0 &&
											strcmp(hdrs[i].name, hdrs[i - 1].name) == 0);

			if (same_as_previous)
				buf_append_char(&cbuf, ',');
			else
			{
				if (i > 0)
				{
					buf_append_char(&cbuf, '\n');
					buf_append_char(&sbuf, ';');
				}
				buf_append_str(&cbuf, hdrs[i].name);
				buf_append_char(&cbuf, ':');
				buf_append_str(&sbuf, hdrs[i].name);
			}
			buf_append_str(&cbuf, hdrs[i].value);
		}
		if (nhdrs > 0)
			buf_append_char(&cbuf, '\n');

		*headers_out = buf_finish(&cbuf);
		*signed_out = buf_finish(&sbuf);
		if (*headers_out == NULL || *signed_out == NULL)
		{
			free_secret_string(*headers_out);
			free(*signed_out);
			*headers_out = NULL;
			*signed_out = NULL;
			set_error(errmsg, "out of memory");
			ok = false;
		}
	}

	for (i = 0; i < nhdrs; i++)
	{
		free(hdrs[i].name);
		free_secret_string(hdrs[i].value);
	}
	free(hdrs);
	return ok;
}

/*
 * The SigV4 signing key: HMAC chain over "AWS4" + secret, the date stamp,
 * region, service and "aws4_request".  Every intermediate key and the
 * "AWS4" + secret buffer are zeroed before they go out of scope.
 */
static bool
derive_signing_key(const SigV4Context *ctx, unsigned char key[SHA256_LEN])
{
	size_t		secret_len = strlen(ctx->secret_access_key);
	unsigned char *ksecret;
	unsigned char kdate[SHA256_LEN];
	unsigned char kregion[SHA256_LEN];
	unsigned char kservice[SHA256_LEN];
	bool		ok;

	if (secret_len > SIZE_MAX - 5)
		return false;
	ksecret = malloc(secret_len + 4);
	if (ksecret == NULL)
		return false;
	memcpy(ksecret, "AWS4", 4);
	memcpy(ksecret + 4, ctx->secret_access_key, secret_len);

	ok = hmac_sha256(ksecret, secret_len + 4, ctx->amz_date, 8, kdate) &&
		hmac_sha256(kdate, SHA256_LEN, ctx->region, strlen(ctx->region),
					kregion) &&
		hmac_sha256(kregion, SHA256_LEN, ctx->service, strlen(ctx->service),
					kservice) &&
		hmac_sha256(kservice, SHA256_LEN, SIGV4_TERMINATOR,
					strlen(SIGV4_TERMINATOR), key);

	explicit_bzero(ksecret, secret_len + 4);
	free(ksecret);
	explicit_bzero(kdate, sizeof(kdate));
	explicit_bzero(kregion, sizeof(kregion));
	explicit_bzero(kservice, sizeof(kservice));
	if (!ok)
		explicit_bzero(key, SHA256_LEN);
	return ok;
}

/* Report msg through errmsg, which callers may pass as NULL. */
static void
set_error(const char **errmsg, const char *msg)
{
	if (errmsg != NULL)
		*errmsg = msg;
}

/*
 * Sign a request: see sigv4.h.  On failure *result holds only NULLs and
 * *errmsg a static description; no secret material is left in freed memory
 * either way.
 */
bool
bedrock_sigv4_sign(const SigV4Request *req, const SigV4Context *ctx,
				   SigV4Result *result, const char **errmsg)
{
	char	   *uri = NULL;
	char	   *query = NULL;
	char	   *headers = NULL;
	char	   *signed_headers = NULL;
	char		payload_hex[SHA256_HEX_LEN + 1];
	char		creq_hex[SHA256_HEX_LEN + 1];
	char		signature[SHA256_HEX_LEN + 1];
	unsigned char digest[SHA256_LEN];
	unsigned char signing_key[SHA256_LEN];
	const unsigned char *p;
	SigBuf		buf;
	bool		hmac_ok;
	bool		ok = false;

	set_error(errmsg, NULL);
	if (result == NULL)
	{
		set_error(errmsg, "no result structure");
		return false;
	}
	result->canonical_request = NULL;
	result->string_to_sign = NULL;
	result->signature = NULL;
	result->authorization = NULL;

	/* Validate everything cheap before allocating anything. */
	if (req == NULL || ctx == NULL)
	{
		set_error(errmsg, "no request or signing context");
		return false;
	}
	if (req->method == NULL || req->method[0] == '\0')
	{
		set_error(errmsg, "HTTP method is missing");
		return false;
	}
	for (p = (const unsigned char *) req->method; *p; p++)
	{
		if (!is_tchar(*p))
		{
			set_error(errmsg, "HTTP method contains an invalid character");
			return false;
		}
	}
	if (req->payload == NULL && req->payload_len > 0)
	{
		set_error(errmsg, "payload length given without a payload");
		return false;
	}
	if (!valid_amz_date(ctx->amz_date))
	{
		set_error(errmsg, "signing time is not of the form YYYYMMDDTHHMMSSZ");
		return false;
	}
	if (!valid_scope_part(ctx->access_key_id))
	{
		set_error(errmsg, "access key ID is empty or contains invalid characters");
		return false;
	}
	if (ctx->secret_access_key == NULL)
	{
		set_error(errmsg, "secret access key is missing");
		return false;
	}
	if (!valid_scope_part(ctx->region))
	{
		set_error(errmsg, "region is empty or contains invalid characters");
		return false;
	}
	if (!valid_scope_part(ctx->service))
	{
		set_error(errmsg, "service name is empty or contains invalid characters");
		return false;
	}

	/* Task 1: the canonical request. */
	uri = canonical_uri(req->path, ctx->normalize_path, errmsg);
	if (uri == NULL)
		goto cleanup;
	query = canonical_query(req->query, errmsg);
	if (query == NULL)
		goto cleanup;
	if (!canonical_headers(req, ctx->amz_date, &headers, &signed_headers,
						   errmsg))
		goto cleanup;
	if (!sha256_raw(req->payload, req->payload_len, digest))
	{
		set_error(errmsg, "SHA-256 computation failed");
		goto cleanup;
	}
	bytes_to_hex(digest, SHA256_LEN, payload_hex);

	buf_init(&buf);
	buf_append_str(&buf, req->method);
	buf_append_char(&buf, '\n');
	buf_append_str(&buf, uri);
	buf_append_char(&buf, '\n');
	buf_append_str(&buf, query);
	buf_append_char(&buf, '\n');
	buf_append_str(&buf, headers);
	buf_append_char(&buf, '\n');
	buf_append_str(&buf, signed_headers);
	buf_append_char(&buf, '\n');
	buf_append_str(&buf, payload_hex);
	result->canonical_request = buf_finish(&buf);
	if (result->canonical_request == NULL)
	{
		set_error(errmsg, "out of memory");
		goto cleanup;
	}

	/* Task 2: the string to sign. */
	if (!sha256_raw((const unsigned char *) result->canonical_request,
					strlen(result->canonical_request), digest))
	{
		set_error(errmsg, "SHA-256 computation failed");
		goto cleanup;
	}
	bytes_to_hex(digest, SHA256_LEN, creq_hex);

	buf_init(&buf);
	buf_append_str(&buf, SIGV4_ALGORITHM "\n");
	buf_append_str(&buf, ctx->amz_date);
	buf_append_char(&buf, '\n');
	buf_append(&buf, ctx->amz_date, 8);
	buf_append_char(&buf, '/');
	buf_append_str(&buf, ctx->region);
	buf_append_char(&buf, '/');
	buf_append_str(&buf, ctx->service);
	buf_append_str(&buf, "/" SIGV4_TERMINATOR "\n");
	buf_append_str(&buf, creq_hex);
	result->string_to_sign = buf_finish(&buf);
	if (result->string_to_sign == NULL)
	{
		set_error(errmsg, "out of memory");
		goto cleanup;
	}

	/* Task 3: the signature. */
	if (!derive_signing_key(ctx, signing_key))
	{
		set_error(errmsg, "signing key derivation failed");
		goto cleanup;
	}
	hmac_ok = hmac_sha256(signing_key, SHA256_LEN, result->string_to_sign,
						  strlen(result->string_to_sign), digest);
	explicit_bzero(signing_key, sizeof(signing_key));
	if (!hmac_ok)
	{
		set_error(errmsg, "HMAC-SHA256 computation failed");
		goto cleanup;
	}
	bytes_to_hex(digest, SHA256_LEN, signature);
	result->signature = strdup(signature);
	if (result->signature == NULL)
	{
		set_error(errmsg, "out of memory");
		goto cleanup;
	}

	/* Task 4: the Authorization header value. */
	buf_init(&buf);
	buf_append_str(&buf, SIGV4_ALGORITHM " Credential=");
	buf_append_str(&buf, ctx->access_key_id);
	buf_append_char(&buf, '/');
	buf_append(&buf, ctx->amz_date, 8);
	buf_append_char(&buf, '/');
	buf_append_str(&buf, ctx->region);
	buf_append_char(&buf, '/');
	buf_append_str(&buf, ctx->service);
	buf_append_str(&buf, "/" SIGV4_TERMINATOR ", SignedHeaders=");
	buf_append_str(&buf, signed_headers);
	buf_append_str(&buf, ", Signature=");
	buf_append_str(&buf, signature);
	result->authorization = buf_finish(&buf);
	if (result->authorization == NULL)
	{
		set_error(errmsg, "out of memory");
		goto cleanup;
	}
	ok = true;

cleanup:
	explicit_bzero(digest, sizeof(digest));
	free(uri);
	free(query);
	free_secret_string(headers);
	free(signed_headers);
	if (!ok)
		bedrock_sigv4_free_result(result);
	return ok;
}

/*
 * Release the strings of a result and reset them to NULL; safe to call twice
 * or on a result whose signing failed.  The canonical request can hold a
 * session token, so everything is zeroed before it is freed.
 */
void
bedrock_sigv4_free_result(SigV4Result *result)
{
	if (result == NULL)
		return;
	free_secret_string(result->canonical_request);
	free_secret_string(result->string_to_sign);
	free_secret_string(result->signature);
	free_secret_string(result->authorization);
	result->canonical_request = NULL;
	result->string_to_sign = NULL;
	result->signature = NULL;
	result->authorization = NULL;
}
