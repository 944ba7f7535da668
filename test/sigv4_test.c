/*-------------------------------------------------------------------------
 * sigv4_test.c
 *	  Runs every AWS SigV4 test vector, plus unit checks, against sigv4.c.
 *
 * Usage: sigv4_test [SUITE_DIR]   (default ../shared/aws/sigv4-testsuite)
 *
 * SUITE_DIR holds v4/ (aws-c-auth layout, header-signing files only),
 * aws4_testsuite/ (the 2015 AWS suite, .req/.creq/.sts/.authz, with nested
 * folders) and bedrock-examples/ (aws-c-auth layout, service "bedrock").
 * Each case's raw request is parsed (sigv4_request.c), signed with
 * bedrock_sigv4_sign(), and the canonical request, string to sign, signature
 * and Authorization value are compared byte for byte with the expected
 * files.  Output is TAP-like: one "ok N - name" / "not ok N - name (...)"
 * line per check, '#' lines for diagnostics, and a closing "N passed, M
 * failed" line.  Exits 1 if any check failed or a folder holds fewer cases
 * than the README documents.
 *-------------------------------------------------------------------------
 */
/* explicit_bzero() and open_memstream() are hidden by strict -std=c99 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
#endif

#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "sigv4.h"
#include "sigv4_request.h"

/* Values every aws4_testsuite case uses (its README and readme.txt). */
#define AWS4_ACCESS_KEY		"AKIDEXAMPLE"
#define AWS4_SECRET_KEY		"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define AWS4_REGION			"us-east-1"
#define AWS4_SERVICE		"service"
#define AWS4_AMZ_DATE		"20150830T123600Z"
/* aws4_testsuite/get-vanilla-with-session-token: the token is in no file of that folder */
#define AWS4_VANILLA_TOKEN	"6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"

/* How a case's payload is hashed. */
typedef enum BodyMode
{
	BODY_EMPTY_HASH,			/* hash of "" whatever the body (v4 sign_body false) */
	BODY_HASH,					/* hash of the body, no extra header */
	BODY_HASH_WITH_HEADER		/* hash of the body, also sent and signed as
								 * x-amz-content-sha256 (v4 sign_body true) */
} BodyMode;

/* Pass/fail counts of one group of checks. */
typedef struct GroupCount
{
	const char *name;
	int			expected;		/* cases the README documents; 0 = no minimum */
	int			found;
	int			passed;
	int			failed;
	int			skipped;
} GroupCount;

/* Everything needed to sign one vector and check the result. */
typedef struct CaseSpec
{
	const char *label;
	const char *request;		/* raw request file */
	size_t		request_len;
	const char *access_key;
	const char *secret;
	const char *region;
	const char *service;
	const char *amz_date;
	const char *token;			/* NULL: no session token */
	bool		sign_token;		/* token header is in SignedHeaders */
	const char *unsigned_header;	/* sent but not signed; NULL: none */
	bool		normalize;
	BodyMode	body_mode;
	const char *exp_creq;		/* NULL: not checked */
	const char *exp_sts;
	const char *exp_sig;
	const char *exp_authz;
} CaseSpec;

/* What the minimal JSON reader found for a key. */
typedef enum JsonKind
{
	JSON_MISSING,
	JSON_STRING,
	JSON_TRUE,
	JSON_FALSE,
	JSON_OTHER					/* number, null, object or array */
} JsonKind;

static int	test_number = 0;
static int	total_passed = 0;
static int	total_failed = 0;
static int	total_skipped = 0;

static char *xasprintf(const char *fmt,...) __attribute__((format(printf, 1, 2)));
static void *xmalloc(size_t size);
static char *xstrndup(const char *s, size_t n);
static char *read_file(const char *path, size_t *len_out);
static bool is_dir(const char *path);
static bool file_exists(const char *path);
static char **list_subdirs(const char *dir, int *count);
static void free_list(char **list, int count);
static void report(GroupCount *g, const char *label, bool ok, const char *why,
				   const char *diag);
static void report_skip(GroupCount *g, const char *label, const char *reason);
static void dump_escaped(FILE *out, const char *prefix, const char *text);
static void describe_mismatch(FILE *out, const char *what, const char *expected,
							  const char *got);
static bool has_header(const ParsedRequest *req, const char *name);
static void run_case(GroupCount *g, const CaseSpec *spec);
static JsonKind json_get(const char *json, const char *key, char **value);
static const char *json_skip_string(const char *p);
static char *json_unescape(const char *start, const char *end);
static char *timestamp_to_amz_date(const char *timestamp);
static char *authorization_from_signed_request(const char *signed_request);
static char *signature_from_authz(const char *authz);
static void run_aws_c_auth_layout(GroupCount *g, const char *root,
								  const char *folder);
static void run_aws_c_auth_case(GroupCount *g, const char *root,
								const char *folder, const char *name);
static void run_aws4_testsuite(GroupCount *g, const char *root,
							   const char *token_after);
static void walk_aws4_dir(GroupCount *g, const char *dir, const char *rel,
						  const char *sts_token);
static void run_aws4_case(GroupCount *g, const char *dir, const char *rel,
						  const char *name, const char *sts_token);
static char *read_sts_token(const char *root);
static bool sign_simple(const char *method, const char *path, const char *query,
						bool normalize, const SigV4Header *headers, int nheaders,
						SigV4Result *res, const char **err);
static char *creq_line(const char *creq, int lineno);
static void check_str(GroupCount *g, const char *label, const char *expected,
					  const char *got);
static void check_uri_encode(GroupCount *g, const char *label, const char *src,
							 size_t len, const char *expected);
static void check_canonical_part(GroupCount *g, const char *label, int lineno,
								 const char *path, const char *query,
								 bool normalize, const char *expected);
static void check_sign_fails(GroupCount *g, const char *label,
							 const SigV4Request *req, const SigV4Context *ctx);
static void run_unit_checks(GroupCount *g);


/* sprintf into a new malloc'd string; exits on out of memory. */
static char *
xasprintf(const char *fmt,...)
{
	va_list		ap;
	int			n;
	char	   *out;
	char		probe[1];

	/* measure with a real 1-byte buffer: some GCC levels warn about NULL */
	va_start(ap, fmt);
	n = vsnprintf(probe, sizeof(probe), fmt, ap);
	va_end(ap);
	if (n < 0)
	{
		fprintf(stderr, "sigv4_test: vsnprintf failed\n");
		exit(2);
	}
	out = xmalloc((size_t) n + 1);
	va_start(ap, fmt);
	vsnprintf(out, (size_t) n + 1, fmt, ap);
	va_end(ap);
	return out;
}

/* malloc that exits on failure: the harness has no use for partial results. */
static void *
xmalloc(size_t size)
{
	void	   *p = malloc(size ? size : 1);

	if (p == NULL)
	{
		fprintf(stderr, "sigv4_test: out of memory\n");
		exit(2);
	}
	return p;
}

/* Copy n bytes of s into a new NUL-terminated string. */
static char *
xstrndup(const char *s, size_t n)
{
	char	   *out = xmalloc(n + 1);

	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

/*
 * Whole file into a malloc'd, NUL-terminated buffer (the length excludes the
 * NUL, so bodies are exact).  NULL if the file cannot be read.
 */
static char *
read_file(const char *path, size_t *len_out)
{
	FILE	   *f = fopen(path, "rb");
	char	   *data;
	size_t		len = 0;
	size_t		cap = 4096;
	size_t		n;

	if (f == NULL)
		return NULL;
	data = xmalloc(cap);
	while ((n = fread(data + len, 1, cap - len - 1, f)) > 0)
	{
		len += n;
		if (cap - len - 1 == 0)
		{
			char	   *bigger = xmalloc(cap * 2);

			memcpy(bigger, data, len);
			free(data);
			data = bigger;
			cap *= 2;
		}
	}
	if (ferror(f))
	{
		fclose(f);
		free(data);
		return NULL;
	}
	fclose(f);
	data[len] = '\0';
	if (len_out)
		*len_out = len;
	return data;
}

static bool
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool
file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* qsort comparator for an array of C strings, byte order. */
static int
cmp_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/*
 * Sorted names of the subdirectories of dir, so cases run in a stable order
 * whatever readdir returns.  NULL (count 0) if dir cannot be opened.
 */
static char **
list_subdirs(const char *dir, int *count)
{
	DIR		   *d = opendir(dir);
	struct dirent *de;
	char	  **list = NULL;
	int			n = 0;
	int			cap = 0;

	*count = 0;
	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL)
	{
		char	   *full;

		if (de->d_name[0] == '.')
			continue;
		full = xasprintf("%s/%s", dir, de->d_name);
		if (is_dir(full))
		{
			if (n == cap)
			{
				char	  **bigger;

				cap = cap ? cap * 2 : 16;
				bigger = xmalloc(sizeof(char *) * (size_t) cap);
				if (n > 0)
					memcpy(bigger, list, sizeof(char *) * (size_t) n);
				free(list);
				list = bigger;
			}
			list[n++] = xasprintf("%s", de->d_name);
		}
		free(full);
	}
	closedir(d);
	if (n > 1)
		qsort(list, (size_t) n, sizeof(char *), cmp_strings);
	*count = n;
	return list;
}

static void
free_list(char **list, int count)
{
	int			i;

	for (i = 0; i < count; i++)
		free(list[i]);
	free(list);
}

/* Print one result line (and its diagnostics) and count it. */
static void
report(GroupCount *g, const char *label, bool ok, const char *why,
	   const char *diag)
{
	test_number++;
	if (ok)
	{
		printf("ok %d - %s\n", test_number, label);
		g->passed++;
		total_passed++;
	}
	else
	{
		printf("not ok %d - %s (%s)\n", test_number, label, why ? why : "failed");
		if (diag && *diag)
			fputs(diag, stdout);
		g->failed++;
		total_failed++;
	}
}

/* Print a skip line with its reason and count it. */
static void
report_skip(GroupCount *g, const char *label, const char *reason)
{
	test_number++;
	printf("ok %d - %s # skip %s\n", test_number, label, reason);
	g->skipped++;
	total_skipped++;
}

/*
 * Write text line by line, each line prefixed, with bytes outside printable
 * ASCII shown as \xNN, so expected and got can be diffed by eye or by tool.
 * A missing final newline is marked, since it matters byte for byte.
 */
static void
dump_escaped(FILE *out, const char *prefix, const char *text)
{
	const unsigned char *p = (const unsigned char *) text;

	fputs(prefix, out);
	for (; *p; p++)
	{
		if (*p == '\n')
		{
			fputc('\n', out);
			if (p[1] != '\0')
				fputs(prefix, out);
			else
				fprintf(out, "%s(ends with newline)\n", prefix);
		}
		else if (*p < 0x20 || *p >= 0x7F || *p == '\\')
			fprintf(out, "\\x%02X", *p);
		else
			fputc(*p, out);
	}
	if (p == (const unsigned char *) text || p[-1] != '\n')
		fputc('\n', out);
}

/* Explain where expected and got first differ, then dump both. */
static void
describe_mismatch(FILE *out, const char *what, const char *expected,
				  const char *got)
{
	size_t		i = 0;
	int			line = 1;
	int			col = 1;

	if (got == NULL)
		got = "(null)";
	while (expected[i] && expected[i] == got[i])
	{
		if (expected[i] == '\n')
		{
			line++;
			col = 1;
		}
		else
			col++;
		i++;
	}
	fprintf(out, "# %s: first difference at byte %zu (line %d, column %d); "
			"expected %zu bytes, got %zu\n",
			what, i, line, col, strlen(expected), strlen(got));
	fprintf(out, "# --- expected %s\n", what);
	dump_escaped(out, "# -", expected);
	fprintf(out, "# +++ got %s\n", what);
	dump_escaped(out, "# +", got);
}

static bool
has_header(const ParsedRequest *req, const char *name)
{
	int			i;

	for (i = 0; i < req->nheaders; i++)
		if (strcasecmp(req->names[i], name) == 0)
			return true;
	return false;
}

/*
 * Sign one vector the way the suites' own harnesses do and compare every
 * output with the expected text.  X-Amz-Date is added when the request lacks
 * it; the session token header is added (and signed, unless the case says it
 * is attached after signing); x-amz-content-sha256 is added for sign_body.
 */
static void
run_case(GroupCount *g, const CaseSpec *spec)
{
	ParsedRequest preq;
	const char *err = NULL;
	SigV4Header *headers;
	int			nheaders = 0;
	SigV4Request sreq;
	SigV4Context sctx;
	SigV4Result res;
	char		body_hash[65];
	char	   *diag = NULL;
	size_t		diaglen = 0;
	FILE	   *out;
	bool		ok = true;
	char		why[200] = "";
	int			i;

	g->found++;
	if (!sigv4_request_parse(spec->request, spec->request_len, REQUEST_STRICT, 0,
							 &preq, &err))
	{
		char	   *msg = xasprintf("cannot parse request: %s", err);

		report(g, spec->label, false, msg, NULL);
		free(msg);
		return;
	}

	headers = xmalloc(sizeof(SigV4Header) * (size_t) (preq.nheaders + 3));
	for (i = 0; i < preq.nheaders; i++)
	{
		/* a token attached after signing is not part of what is signed */
		if (spec->token && !spec->sign_token &&
			strcasecmp(preq.names[i], "X-Amz-Security-Token") == 0)
			continue;
		if (spec->unsigned_header &&
			strcasecmp(preq.names[i], spec->unsigned_header) == 0)
			continue;
		headers[nheaders].name = preq.names[i];
		headers[nheaders].value = preq.values[i];
		nheaders++;
	}
	if (!has_header(&preq, "X-Amz-Date"))
	{
		headers[nheaders].name = "X-Amz-Date";
		headers[nheaders].value = spec->amz_date;
		nheaders++;
	}
	if (spec->token && spec->sign_token &&
		!has_header(&preq, "X-Amz-Security-Token"))
	{
		headers[nheaders].name = "X-Amz-Security-Token";
		headers[nheaders].value = spec->token;
		nheaders++;
	}
	bedrock_sigv4_sha256_hex(preq.body, preq.body_len, body_hash);
	if (spec->body_mode == BODY_HASH_WITH_HEADER)
	{
		headers[nheaders].name = "x-amz-content-sha256";
		headers[nheaders].value = body_hash;
		nheaders++;
	}

	memset(&sreq, 0, sizeof(sreq));
	sreq.method = preq.method;
	sreq.path = preq.path;
	sreq.query = preq.query;
	sreq.headers = headers;
	sreq.nheaders = nheaders;
	if (spec->body_mode != BODY_EMPTY_HASH && preq.body_len > 0)
	{
		sreq.payload = preq.body;
		sreq.payload_len = preq.body_len;
	}

	memset(&sctx, 0, sizeof(sctx));
	sctx.access_key_id = spec->access_key;
	sctx.secret_access_key = spec->secret;
	sctx.region = spec->region;
	sctx.service = spec->service;
	sctx.amz_date = spec->amz_date;
	sctx.normalize_path = spec->normalize;

	out = open_memstream(&diag, &diaglen);
	if (out == NULL)
	{
		fprintf(stderr, "sigv4_test: open_memstream failed\n");
		exit(2);
	}

	if (!bedrock_sigv4_sign(&sreq, &sctx, &res, &err))
	{
		ok = false;
		snprintf(why, sizeof(why), "signer returned false: %s",
				 err ? err : "(no message)");
	}
	else
	{
		struct
		{
			const char *what;
			const char *expected;
			const char *got;
		}			parts[4];
		int			p;

		parts[0].what = "canonical request";
		parts[0].expected = spec->exp_creq;
		parts[0].got = res.canonical_request;
		parts[1].what = "string to sign";
		parts[1].expected = spec->exp_sts;
		parts[1].got = res.string_to_sign;
		parts[2].what = "signature";
		parts[2].expected = spec->exp_sig;
		parts[2].got = res.signature;
		parts[3].what = "authorization";
		parts[3].expected = spec->exp_authz;
		parts[3].got = res.authorization;
		for (p = 0; p < 4; p++)
		{
			if (parts[p].expected == NULL)
				continue;
			if (strcmp(parts[p].expected, parts[p].got) != 0)
			{
				if (ok)
					snprintf(why, sizeof(why), "%s differs", parts[p].what);
				else
					strncat(why, ", then more", sizeof(why) - strlen(why) - 1);
				ok = false;
				describe_mismatch(out, parts[p].what, parts[p].expected,
								  parts[p].got);
				/* the later parts follow from the first; the first is what to look at */
				if (p == 0)
					break;
			}
		}
		bedrock_sigv4_free_result(&res);
	}
	fclose(out);
	report(g, spec->label, ok, why, diag);
	free(diag);
	free(headers);
	sigv4_request_free(&preq);
}

/*
 * Skip a JSON string starting at its opening quote; returns the position just
 * past the closing quote, or NULL if it is unterminated.
 */
static const char *
json_skip_string(const char *p)
{
	p++;
	while (*p && *p != '"')
	{
		if (*p == '\\')
		{
			p++;
			if (*p == '\0')
				return NULL;
		}
		p++;
	}
	return *p == '"' ? p + 1 : NULL;
}

/*
 * Contents of a JSON string between its quotes, with the simple escapes the
 * vector files could hold undone (\uXXXX is kept as is; none of them use it).
 */
static char *
json_unescape(const char *start, const char *end)
{
	char	   *out = xmalloc((size_t) (end - start) + 1);
	size_t		j = 0;
	const char *p;

	for (p = start; p < end; p++)
	{
		if (*p == '\\' && p + 1 < end)
		{
			p++;
			switch (*p)
			{
				case 'n':
					out[j++] = '\n';
					break;
				case 't':
					out[j++] = '\t';
					break;
				case 'r':
					out[j++] = '\r';
					break;
				case 'u':
					out[j++] = '\\';
					out[j++] = 'u';
					break;
				default:
					out[j++] = *p;	/* \" \\ \/ */
					break;
			}
		}
		else
			out[j++] = *p;
	}
	out[j] = '\0';
	return out;
}

/*
 * Find the value of key anywhere in a small JSON document (the context.json
 * files are flat apart from the "credentials" object, and no key repeats).
 * Strings are skipped whole, so a key's name inside a value never matches;
 * a string is a key only when a ':' follows it.  For strings *value gets a
 * malloc'd copy; for other scalars, a copy of the raw token.
 */
static JsonKind
json_get(const char *json, const char *key, char **value)
{
	const char *p = json;
	size_t		keylen = strlen(key);

	*value = NULL;
	while (*p)
	{
		const char *start;
		const char *end;
		const char *v;

		if (*p != '"')
		{
			p++;
			continue;
		}
		start = p + 1;
		end = json_skip_string(p);
		if (end == NULL)
			return JSON_MISSING;
		p = end;
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p != ':')
			continue;			/* a value, not a key */
		p++;
		if ((size_t) (end - 1 - start) != keylen ||
			strncmp(start, key, keylen) != 0)
			continue;

		v = p;
		while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
			v++;
		if (*v == '"')
		{
			const char *vend = json_skip_string(v);

			if (vend == NULL)
				return JSON_MISSING;
			*value = json_unescape(v + 1, vend - 1);
			return JSON_STRING;
		}
		if (strncmp(v, "true", 4) == 0)
			return JSON_TRUE;
		if (strncmp(v, "false", 5) == 0)
			return JSON_FALSE;
		end = v;
		while (*end && *end != ',' && *end != '}' && *end != '\n')
			end++;
		*value = xstrndup(v, (size_t) (end - v));
		return JSON_OTHER;
	}
	return JSON_MISSING;
}

/* "2015-08-30T12:36:00Z" -> "20150830T123600Z"; NULL if not of that shape. */
static char *
timestamp_to_amz_date(const char *timestamp)
{
	char		out[17];
	size_t		j = 0;
	const char *p;

	for (p = timestamp; *p; p++)
	{
		if (*p == '-' || *p == ':')
			continue;
		if (j >= 16)
			return NULL;
		out[j++] = *p;
	}
	out[j] = '\0';
	return j == 16 ? xasprintf("%s", out) : NULL;
}

/* The value of the "Authorization:" line of a signed request file, or NULL. */
static char *
authorization_from_signed_request(const char *signed_request)
{
	const char *p = signed_request;

	while (p && *p)
	{
		const char *eol = strchr(p, '\n');
		size_t		len = eol ? (size_t) (eol - p) : strlen(p);

		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len == 0)
			break;				/* end of headers */
		if (len >= 14 && strncasecmp(p, "Authorization:", 14) == 0)
			return xstrndup(p + 14, len - 14);
		p = eol ? eol + 1 : NULL;
	}
	return NULL;
}

/* The hex after "Signature=" in an Authorization value, or NULL. */
static char *
signature_from_authz(const char *authz)
{
	const char *p = strstr(authz, "Signature=");
	size_t		len;

	if (p == NULL)
		return NULL;
	p += strlen("Signature=");
	len = strcspn(p, ", \r\n");
	return xstrndup(p, len);
}

/*
 * One v4/ or bedrock-examples/ case: signing inputs from context.json,
 * expectations from the header-*.txt files (query-*.txt are the presigned-URL
 * variant, which an FDW sending headers does not use).
 */
static void
run_aws_c_auth_case(GroupCount *g, const char *root, const char *folder,
					const char *name)
{
	static const char *const files[] = {
		"context.json", "request.txt", "header-canonical-request.txt",
		"header-string-to-sign.txt", "header-signature.txt",
		"header-signed-request.txt"
	};
	char	   *contents[6] = {NULL};
	size_t		lens[6] = {0};
	char	   *label = xasprintf("%s/%s", folder, name);
	char	   *akid = NULL,
			   *secret = NULL,
			   *token = NULL,
			   *region = NULL,
			   *service = NULL,
			   *timestamp = NULL,
			   *payload_hash = NULL,
			   *dummy = NULL,
			   *amz_date = NULL,
			   *authz = NULL;
	JsonKind	k;
	CaseSpec	spec;
	const char *problem = NULL;
	int			i;

	for (i = 0; i < 6; i++)
	{
		char	   *path = xasprintf("%s/%s/%s/%s", root, folder, name, files[i]);

		contents[i] = read_file(path, &lens[i]);
		free(path);
		if (contents[i] == NULL && problem == NULL)
			problem = files[i];
	}
	if (problem)
	{
		char	   *msg = xasprintf("cannot read %s", problem);

		g->found++;
		report(g, label, false, msg, NULL);
		free(msg);
		goto done;
	}

	memset(&spec, 0, sizeof(spec));
	spec.label = label;
	spec.request = contents[1];
	spec.request_len = lens[1];

	if (json_get(contents[0], "access_key_id", &akid) != JSON_STRING ||
		json_get(contents[0], "secret_access_key", &secret) != JSON_STRING ||
		json_get(contents[0], "region", &region) != JSON_STRING ||
		json_get(contents[0], "service", &service) != JSON_STRING ||
		json_get(contents[0], "timestamp", &timestamp) != JSON_STRING ||
		(amz_date = timestamp_to_amz_date(timestamp)) == NULL)
	{
		g->found++;
		report(g, label, false,
			   "context.json lacks credentials, region, service or a valid timestamp",
			   NULL);
		goto done;
	}
	spec.access_key = akid;
	spec.secret = secret;
	spec.region = region;
	spec.service = service;
	spec.amz_date = amz_date;

	if (json_get(contents[0], "token", &token) == JSON_STRING)
	{
		spec.token = token;
		spec.sign_token = true;
		if (json_get(contents[0], "omit_session_token", &dummy) == JSON_TRUE ||
			json_get(contents[0], "session_token_signed", &dummy) == JSON_FALSE)
			spec.sign_token = false;
	}

	k = json_get(contents[0], "normalize", &dummy);
	spec.normalize = (k != JSON_FALSE);

	/* bedrock-examples state their choices in their own words */
	if (json_get(contents[0], "double_uri_encode", &dummy) == JSON_FALSE)
	{
		g->found++;
		report_skip(g, label,
					"single URI encoding (S3 style) is not what this signer does");
		goto done;
	}
	k = json_get(contents[0], "sign_body", &dummy);
	if (k == JSON_TRUE)
		spec.body_mode = BODY_HASH_WITH_HEADER;
	else if (k == JSON_FALSE)
		spec.body_mode = BODY_EMPTY_HASH;
	else if (json_get(contents[0], "payload_hash", &payload_hash) == JSON_STRING &&
			 strncmp(payload_hash, "hex(SHA256(body))", 17) == 0)
		spec.body_mode = strstr(payload_hash, "no x-amz-content-sha256") ?
			BODY_HASH : BODY_HASH_WITH_HEADER;
	else
	{
		g->found++;
		report(g, label, false,
			   "context.json says neither sign_body nor payload_hash", NULL);
		goto done;
	}

	/*
	 * bedrock-examples were generated with botocore, which signs before its
	 * HTTP layer adds Content-Length: request.txt shows the header (it is on
	 * the wire) but the expected SignedHeaders leave it out.  The v4 suite,
	 * from aws-c-auth, signs it.  AWS accepts either.
	 */
	if (strcmp(folder, "bedrock-examples") == 0)
		spec.unsigned_header = "Content-Length";

	authz = authorization_from_signed_request(contents[5]);
	if (authz == NULL)
	{
		g->found++;
		report(g, label, false,
			   "header-signed-request.txt has no Authorization line", NULL);
		goto done;
	}
	spec.exp_creq = contents[2];
	spec.exp_sts = contents[3];
	spec.exp_sig = contents[4];
	spec.exp_authz = authz;
	run_case(g, &spec);

done:
	for (i = 0; i < 6; i++)
		free(contents[i]);
	free(label);
	free(akid);
	free(secret);
	free(token);
	free(region);
	free(service);
	free(timestamp);
	free(payload_hash);
	free(dummy);
	free(amz_date);
	free(authz);
}

/* Every case folder under root/folder, in aws-c-auth layout. */
static void
run_aws_c_auth_layout(GroupCount *g, const char *root, const char *folder)
{
	char	   *dir = xasprintf("%s/%s", root, folder);
	int			n;
	char	  **names = list_subdirs(dir, &n);
	int			i;

	if (names == NULL)
		printf("# cannot open %s\n", dir);
	for (i = 0; i < n; i++)
		run_aws_c_auth_case(g, root, folder, names[i]);
	free_list(names, n);
	free(dir);
}

/*
 * The session token of aws4_testsuite/post-sts-token: the first non-empty
 * line after "X-Amz-Security-Token:" is introduced in its readme.txt.
 */
static char *
read_sts_token(const char *root)
{
	char	   *path = xasprintf("%s/aws4_testsuite/post-sts-token/readme.txt", root);
	char	   *text = read_file(path, NULL);
	const char *marker = "example value for X-Amz-Security-Token:";
	char	   *p;
	char	   *token = NULL;

	free(path);
	if (text == NULL)
		return NULL;
	p = strstr(text, marker);
	if (p)
	{
		p += strlen(marker);
		p += strspn(p, " \t\r\n");
		if (*p)
			token = xstrndup(p, strcspn(p, " \t\r\n"));
	}
	free(text);
	return token;
}

/*
 * One aws4_testsuite case: dir/name.req etc.  All cases use the fixed
 * credentials and time, and hash the real body; the two session-token
 * cases get their token from readme.txt and the one in the vanilla case
 * from the README, since no file in its folder holds it.
 */
static void
run_aws4_case(GroupCount *g, const char *dir, const char *rel,
			  const char *name, const char *sts_token)
{
	static const char *const exts[] = {"req", "creq", "sts", "authz"};
	char	   *contents[4] = {NULL};
	size_t		lens[4] = {0};
	char	   *label = xasprintf("aws4_testsuite/%s%s%s", rel, *rel ? "/" : "",
								  name);
	char	   *sig = NULL;
	CaseSpec	spec;
	int			i;
	const char *problem = NULL;

	for (i = 0; i < 4; i++)
	{
		char	   *path = xasprintf("%s/%s/%s.%s", dir, name, name, exts[i]);

		contents[i] = read_file(path, &lens[i]);
		free(path);
		if (contents[i] == NULL && problem == NULL)
			problem = exts[i];
	}
	if (problem)
	{
		char	   *msg = xasprintf("cannot read %s.%s", name, problem);

		g->found++;
		report(g, label, false, msg, NULL);
		free(msg);
		goto done;
	}

	memset(&spec, 0, sizeof(spec));
	spec.label = label;
	spec.request = contents[0];
	spec.request_len = lens[0];
	spec.access_key = AWS4_ACCESS_KEY;
	spec.secret = AWS4_SECRET_KEY;
	spec.region = AWS4_REGION;
	spec.service = AWS4_SERVICE;
	spec.amz_date = AWS4_AMZ_DATE;
	spec.normalize = true;
	spec.body_mode = BODY_HASH;

	if (strcmp(name, "get-vanilla-with-session-token") == 0)
	{
		spec.token = AWS4_VANILLA_TOKEN;
		spec.sign_token = true;
	}
	else if (strcmp(name, "post-sts-header-before") == 0 ||
			 strcmp(name, "post-sts-header-after") == 0)
	{
		if (sts_token == NULL)
		{
			g->found++;
			report(g, label, false,
				   "no session token found in post-sts-token/readme.txt", NULL);
			goto done;
		}
		spec.token = sts_token;
		spec.sign_token = (strcmp(name, "post-sts-header-before") == 0);
	}

	sig = signature_from_authz(contents[3]);
	spec.exp_creq = contents[1];
	spec.exp_sts = contents[2];
	spec.exp_authz = contents[3];
	spec.exp_sig = sig;
	run_case(g, &spec);

done:
	for (i = 0; i < 4; i++)
		free(contents[i]);
	free(sig);
	free(label);
}

/*
 * Recurse through aws4_testsuite: a folder X holding X.req is a case, any
 * other folder (normalize-path/, post-sts-token/) is descended into.
 */
static void
walk_aws4_dir(GroupCount *g, const char *dir, const char *rel,
			  const char *sts_token)
{
	int			n;
	char	  **names = list_subdirs(dir, &n);
	int			i;

	for (i = 0; i < n; i++)
	{
		char	   *req = xasprintf("%s/%s/%s.req", dir, names[i], names[i]);

		if (file_exists(req))
			run_aws4_case(g, dir, rel, names[i], sts_token);
		else
		{
			char	   *sub = xasprintf("%s/%s", dir, names[i]);
			char	   *subrel = xasprintf("%s%s%s", rel, *rel ? "/" : "",
										   names[i]);

			walk_aws4_dir(g, sub, subrel, sts_token);
			free(sub);
			free(subrel);
		}
		free(req);
	}
	free_list(names, n);
}

static void
run_aws4_testsuite(GroupCount *g, const char *root, const char *sts_token)
{
	char	   *dir = xasprintf("%s/aws4_testsuite", root);

	if (!is_dir(dir))
		printf("# cannot open %s\n", dir);
	else
		walk_aws4_dir(g, dir, "", sts_token);
	free(dir);
}

/*
 * Sign a GET with fixed credentials, for the unit checks that look at one
 * piece of the canonical request.
 */
static bool
sign_simple(const char *method, const char *path, const char *query,
			bool normalize, const SigV4Header *headers, int nheaders,
			SigV4Result *res, const char **err)
{
	static const SigV4Header default_headers[] = {
		{"Host", "example.amazonaws.com"},
		{"X-Amz-Date", AWS4_AMZ_DATE}
	};
	SigV4Request req;
	SigV4Context ctx;

	memset(&req, 0, sizeof(req));
	req.method = method;
	req.path = path;
	req.query = query;
	req.headers = headers ? headers : default_headers;
	req.nheaders = headers ? nheaders : 2;

	memset(&ctx, 0, sizeof(ctx));
	ctx.access_key_id = AWS4_ACCESS_KEY;
	ctx.secret_access_key = AWS4_SECRET_KEY;
	ctx.region = AWS4_REGION;
	ctx.service = AWS4_SERVICE;
	ctx.amz_date = AWS4_AMZ_DATE;
	ctx.normalize_path = normalize;
	return bedrock_sigv4_sign(&req, &ctx, res, err);
}

/* Line lineno (0-based) of a canonical request, malloc'd. */
static char *
creq_line(const char *creq, int lineno)
{
	const char *p = creq;
	int			i;

	for (i = 0; i < lineno && p; i++)
	{
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (p == NULL)
		return xasprintf("(no line %d)", lineno);
	return xstrndup(p, strcspn(p, "\n"));
}

/* Report whether got equals expected, with a dump when it does not. */
static void
check_str(GroupCount *g, const char *label, const char *expected,
		  const char *got)
{
	char	   *diag = NULL;
	size_t		diaglen = 0;
	FILE	   *out;
	bool		ok = (got != NULL && strcmp(expected, got) == 0);

	g->found++;
	if (ok)
	{
		report(g, label, true, NULL, NULL);
		return;
	}
	out = open_memstream(&diag, &diaglen);
	if (out == NULL)
		exit(2);
	describe_mismatch(out, "value", expected, got);
	fclose(out);
	report(g, label, false, "value differs", diag);
	free(diag);
}

static void
check_uri_encode(GroupCount *g, const char *label, const char *src,
				 size_t len, const char *expected)
{
	char	   *got = bedrock_sigv4_uri_encode(src, len);

	check_str(g, label, expected, got);
	free(got);
}

/*
 * Sign a GET of path?query and check one line of the canonical request
 * (1 = canonical URI, 2 = canonical query, 3 = first header line).
 */
static void
check_canonical_part(GroupCount *g, const char *label, int lineno,
					 const char *path, const char *query, bool normalize,
					 const char *expected)
{
	SigV4Result res;
	const char *err = NULL;

	if (!sign_simple("GET", path, query, normalize, NULL, 0, &res, &err))
	{
		char	   *msg = xasprintf("signer returned false: %s", err ? err : "?");

		g->found++;
		report(g, label, false, msg, NULL);
		free(msg);
		return;
	}
	{
		char	   *line = creq_line(res.canonical_request, lineno);

		check_str(g, label, expected, line);
		free(line);
	}
	bedrock_sigv4_free_result(&res);
}

/*
 * Check that signing fails cleanly: false, a message, and no strings left
 * in the result.
 */
static void
check_sign_fails(GroupCount *g, const char *label, const SigV4Request *req,
				 const SigV4Context *ctx)
{
	SigV4Result res;
	const char *err = NULL;
	bool		signed_ok;
	char	   *why = NULL;

	memset(&res, 0x5A, sizeof(res));	/* the signer must reset every field */
	signed_ok = bedrock_sigv4_sign(req, ctx, &res, &err);
	g->found++;
	if (signed_ok)
	{
		report(g, label, false, "signer accepted invalid input", NULL);
		bedrock_sigv4_free_result(&res);
		return;
	}
	if (err == NULL)
		why = xasprintf("false without an error message");
	else if (res.canonical_request || res.string_to_sign || res.signature ||
			 res.authorization)
		why = xasprintf("false but result not cleared");
	if (why == NULL)
	{
		char	   *l = xasprintf("%s -> \"%s\"", label, err);

		report(g, l, true, NULL, NULL);
		free(l);
	}
	else
		report(g, label, false, why, NULL);
	free(why);
}

/*
 * Direct checks of the encoding helpers, canonicalization corners the
 * vectors do not reach (missing values, '+', lowercase escapes, empty
 * parameters) and every invalid-input path of the signer.
 */
static void
run_unit_checks(GroupCount *g)
{
	static const SigV4Header good_headers[] = {
		{"Host", "example.amazonaws.com"},
		{"X-Amz-Date", AWS4_AMZ_DATE}
	};
	SigV4Request req;
	SigV4Context ctx;
	SigV4Result res;
	const char *err;
	char		hex[65];
	int			c;
	int			bad_bytes = 0;

	/* bedrock_sigv4_uri_encode */
	check_uri_encode(g, "unit/uri_encode \"abc+def/=\"", "abc+def/=", 9,
					 "abc%2Bdef%2F%3D");
	check_uri_encode(g, "unit/uri_encode keeps \"~-._\"", "~-._", 4, "~-._");
	check_uri_encode(g, "unit/uri_encode UTF-8 bytes", "\xE1\x88\xB4", 3,
					 "%E1%88%B4");
	check_uri_encode(g, "unit/uri_encode space and colon", "a b:c", 5,
					 "a%20b%3Ac");
	check_uri_encode(g, "unit/uri_encode percent", "%3A", 3, "%253A");
	check_uri_encode(g, "unit/uri_encode embedded NUL", "a\0b", 3, "a%00b");
	check_uri_encode(g, "unit/uri_encode empty", "", 0, "");
	check_uri_encode(g, "unit/uri_encode NULL with length 0", NULL, 0, "");
	for (c = 0; c < 256; c++)
	{
		char		in = (char) c;
		char		expected[4];
		char	   *got = bedrock_sigv4_uri_encode(&in, 1);

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			(c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~')
			snprintf(expected, sizeof(expected), "%c", c);
		else
			snprintf(expected, sizeof(expected), "%%%02X", c);
		if (got == NULL || strcmp(got, expected) != 0)
			bad_bytes++;
		free(got);
	}
	g->found++;
	report(g, "unit/uri_encode every byte 0x00-0xFF", bad_bytes == 0,
		   "some bytes encoded wrongly", NULL);
	g->found++;
	report(g, "unit/uri_encode NULL with length 1 returns NULL",
		   bedrock_sigv4_uri_encode(NULL, 1) == NULL, "did not return NULL",
		   NULL);

	/* bedrock_sigv4_sha256_hex */
	bedrock_sigv4_sha256_hex(NULL, 0, hex);
	check_str(g, "unit/sha256_hex empty",
			  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
			  hex);
	bedrock_sigv4_sha256_hex((const unsigned char *) "abc", 3, hex);
	check_str(g, "unit/sha256_hex \"abc\"",
			  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
			  hex);

	/* canonicalization corners */
	check_canonical_part(g, "unit/query missing value is \"key=\"", 2, "/",
						 "b&a=1", true, "a=1&b=");
	check_canonical_part(g, "unit/query empty value", 2, "/", "a=", true, "a=");
	check_canonical_part(g, "unit/query literal '+' is %2B", 2, "/",
						 "t=abc+def", true, "t=abc%2Bdef");
	check_canonical_part(g, "unit/query lowercase escape re-encoded", 2, "/",
						 "t=abc%2bdef%2f", true, "t=abc%2Bdef%2F");
	check_canonical_part(g, "unit/query over-encoded unreserved decoded", 2, "/",
						 "t=%41%7E", true, "t=A~");
	check_canonical_part(g, "unit/query empty parameters dropped", 2, "/",
						 "a=1&&b=2&", true, "a=1&b=2");
	check_canonical_part(g, "unit/query repeated key sorted by value", 2, "/",
						 "k=v2&k=V3&k=v1", true, "k=V3&k=v1&k=v2");
	check_canonical_part(g, "unit/query pairs sorted, not joined strings", 2,
						 "/", "Param-3=x&Param=y", true, "Param=y&Param-3=x");
	check_canonical_part(g, "unit/query '=' inside value", 2, "/",
						 "a=b=c", true, "a=b%3Dc");
	check_canonical_part(g, "unit/query %00 survives", 2, "/",
						 "a=x%00y", true, "a=x%00y");
	check_canonical_part(g, "unit/path double-encoded label", 1,
						 "/jobs/arn%3Aaws%2Fx", NULL, true,
						 "/jobs/arn%253Aaws%252Fx");
	check_canonical_part(g, "unit/path normalized with trailing slash", 1,
						 "/a/./b/../c//", NULL, true, "/a/c/");
	check_canonical_part(g, "unit/path \"..\" above root", 1,
						 "/../../a", NULL, true, "/a");
	check_canonical_part(g, "unit/path not normalized", 1,
						 "//a/../b", NULL, false, "//a/../b");
	check_canonical_part(g, "unit/path empty is \"/\"", 1, "", NULL, true, "/");
	check_canonical_part(g, "unit/path NULL is \"/\"", 1, NULL, NULL, true, "/");
	{
		static const SigV4Header blanks[] = {
			{"X-Amz-Date", AWS4_AMZ_DATE},
			{"My-Header", " \t a \t\t b  c \t"},
			{"my-header", ""},
			{"MY-HEADER", "z"}
		};

		err = NULL;
		if (sign_simple("GET", "/", NULL, true, blanks, 4, &res, &err))
		{
			char	   *line = creq_line(res.canonical_request, 3);

			check_str(g, "unit/headers trimmed, collapsed, merged",
					  "my-header:a b c,,z", line);
			free(line);
			line = creq_line(res.canonical_request, 6);
			check_str(g, "unit/headers signed list deduplicated",
					  "my-header;x-amz-date", line);
			free(line);
			bedrock_sigv4_free_result(&res);
			bedrock_sigv4_free_result(&res);	/* twice is harmless */
		}
		else
		{
			g->found++;
			report(g, "unit/headers trimmed, collapsed, merged", false,
				   err ? err : "signer returned false", NULL);
		}
	}

	/* invalid input: each must fail with a message and a cleared result */
	memset(&req, 0, sizeof(req));
	req.method = "GET";
	req.path = "/";
	req.headers = good_headers;
	req.nheaders = 2;
	memset(&ctx, 0, sizeof(ctx));
	ctx.access_key_id = AWS4_ACCESS_KEY;
	ctx.secret_access_key = AWS4_SECRET_KEY;
	ctx.region = AWS4_REGION;
	ctx.service = AWS4_SERVICE;
	ctx.amz_date = AWS4_AMZ_DATE;
	ctx.normalize_path = true;

	req.query = "a=%G1";
	check_sign_fails(g, "unit/error query bad escape \"%G1\"", &req, &ctx);
	req.query = "a=%4";
	check_sign_fails(g, "unit/error query truncated escape \"%4\"", &req, &ctx);
	req.query = "%";
	check_sign_fails(g, "unit/error query lone \"%\"", &req, &ctx);
	req.query = "k%4=1";
	check_sign_fails(g, "unit/error query key bad escape", &req, &ctx);
	req.query = NULL;
	req.path = "/a%G1";
	check_sign_fails(g, "unit/error path bad escape \"%G1\"", &req, &ctx);
	req.path = "/a%4";
	check_sign_fails(g, "unit/error path truncated escape \"%4\"", &req, &ctx);
	req.path = "relative";
	check_sign_fails(g, "unit/error path without leading slash", &req, &ctx);
	req.path = "/a?b=1";
	check_sign_fails(g, "unit/error path holding a query", &req, &ctx);
	req.path = "/";
	req.method = NULL;
	check_sign_fails(g, "unit/error no method", &req, &ctx);
	req.method = "GE T";
	check_sign_fails(g, "unit/error method with space", &req, &ctx);
	req.method = "GET";
	req.payload_len = 5;
	check_sign_fails(g, "unit/error payload length without payload", &req, &ctx);
	req.payload_len = 0;
	{
		static const SigV4Header bad_name[] = {{"Bad Name", "x"}};
		static const SigV4Header bad_value[] = {{"X-Injected", "a\r\nEvil: 1"}};
		static const SigV4Header null_value[] = {{"X-Null", NULL}};
		static const SigV4Header wrong_date[] = {{"X-Amz-Date", "20150830T123601Z"}};

		req.headers = bad_name;
		req.nheaders = 1;
		check_sign_fails(g, "unit/error header name with space", &req, &ctx);
		req.headers = bad_value;
		check_sign_fails(g, "unit/error header value with CRLF", &req, &ctx);
		req.headers = null_value;
		check_sign_fails(g, "unit/error header value NULL", &req, &ctx);
		req.headers = wrong_date;
		check_sign_fails(g, "unit/error x-amz-date differs from amz_date", &req, &ctx);
		req.headers = NULL;
		req.nheaders = 2;
		check_sign_fails(g, "unit/error headers NULL with nheaders 2", &req, &ctx);
		req.nheaders = -1;
		check_sign_fails(g, "unit/error negative nheaders", &req, &ctx);
		req.headers = good_headers;
		req.nheaders = 2;
	}
	ctx.amz_date = "2015-08-30T12:36:00Z";
	check_sign_fails(g, "unit/error amz_date in ISO form", &req, &ctx);
	ctx.amz_date = "20151330T123600Z";
	check_sign_fails(g, "unit/error amz_date month 13", &req, &ctx);
	ctx.amz_date = NULL;
	check_sign_fails(g, "unit/error amz_date NULL", &req, &ctx);
	ctx.amz_date = AWS4_AMZ_DATE;
	ctx.region = "us-east-1/x";
	check_sign_fails(g, "unit/error region with '/'", &req, &ctx);
	ctx.region = AWS4_REGION;
	ctx.service = "";
	check_sign_fails(g, "unit/error empty service", &req, &ctx);
	ctx.service = AWS4_SERVICE;
	ctx.access_key_id = "AKID, Signature=x";
	check_sign_fails(g, "unit/error access key with separators", &req, &ctx);
	ctx.access_key_id = AWS4_ACCESS_KEY;
	ctx.secret_access_key = NULL;
	check_sign_fails(g, "unit/error secret NULL", &req, &ctx);
	ctx.secret_access_key = AWS4_SECRET_KEY;
	check_sign_fails(g, "unit/error NULL request", NULL, &ctx);
	check_sign_fails(g, "unit/error NULL context", &req, NULL);

	/* and the valid request still signs, to the get-vanilla signature */
	err = NULL;
	if (bedrock_sigv4_sign(&req, &ctx, &res, &err))
	{
		check_str(g, "unit/valid request after errors signs like get-vanilla",
				  "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
				  res.signature);
		bedrock_sigv4_free_result(&res);
	}
	else
	{
		g->found++;
		report(g, "unit/valid request after errors signs like get-vanilla",
			   false, err ? err : "signer returned false", NULL);
	}
}

int
main(int argc, char **argv)
{
	const char *root = argc > 1 ? argv[1] : "../shared/aws/sigv4-testsuite";
	GroupCount	groups[] = {
		{"unit", 0, 0, 0, 0, 0},
		{"v4", 38, 0, 0, 0, 0},
		{"aws4_testsuite", 34, 0, 0, 0, 0},
		{"bedrock-examples", 4, 0, 0, 0, 0}
	};
	int			ngroups = (int) (sizeof(groups) / sizeof(groups[0]));
	char	   *sts_token;
	bool		short_count = false;
	int			i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!is_dir(root))
	{
		/* a clone without ../shared (a public mirror): the unit checks only */
		printf("# SigV4 test vectors skipped: \"%s\" not found (they come with ../shared)\n",
			   root);
		run_unit_checks(&groups[0]);
		printf("%d passed, %d failed\n", total_passed, total_failed);
		return total_failed > 0 ? 1 : 0;
	}
	printf("# SigV4 test suite: %s\n", root);

	run_unit_checks(&groups[0]);
	run_aws_c_auth_layout(&groups[1], root, "v4");
	sts_token = read_sts_token(root);
	run_aws4_testsuite(&groups[2], root, sts_token);
	free(sts_token);
	run_aws_c_auth_layout(&groups[3], root, "bedrock-examples");

	for (i = 0; i < ngroups; i++)
	{
		GroupCount *g = &groups[i];

		printf("# %s: %d found", g->name, g->found);
		if (g->expected > 0)
			printf(" (README: %d)", g->expected);
		printf(", %d passed, %d failed, %d skipped\n",
			   g->passed, g->failed, g->skipped);
		if (g->expected > 0 && g->found < g->expected)
		{
			printf("# %s: fewer cases on disk than the README documents\n",
				   g->name);
			short_count = true;
		}
		else if (g->expected > 0 && g->found > g->expected)
			printf("# %s: more cases on disk than the README documents; all were run\n",
				   g->name);
	}

	if (total_skipped > 0)
		printf("%d passed, %d failed, %d skipped\n",
			   total_passed, total_failed, total_skipped);
	else
		printf("%d passed, %d failed\n", total_passed, total_failed);
	return (total_failed > 0 || short_count) ? 1 : 0;
}
