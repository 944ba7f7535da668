/*-------------------------------------------------------------------------
 * call.c
 *	  Performing Bedrock calls: signing each attempt, sending a batch over
 *	  http.c, the one retry loop, and turning AWS errors into PostgreSQL
 *	  errors.
 *
 * An error is read as the AWS SDKs read it: by its error code (header
 * X-Amzn-ErrorType, else the body's code or __type), and by the HTTP status
 * only when the code is absent or unknown (see error_codes).  Retries follow
 * the SDKs' standard mode: throttling and transient server errors, and
 * transport failures (connection refused or reset, timeouts, a stalled or
 * truncated body), are retried up to max_retries times with exponential
 * backoff and full jitter, honouring Retry-After; other errors never are.  A
 * per-scan token bucket, as in the SDKs, bounds the retries one query makes.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <time.h>

#include "common/pg_prng.h"
#include "lib/ilist.h"
#include "miscadmin.h"
#include "portability/instr_time.h"
#include "storage/latch.h"
#include "utils/builtins.h"
#include "utils/wait_event.h"

#include "bedrock_fdw.h"
#include "pg_compat.h"
#include "sigv4.h"
#include "xml.h"

#define AWS_ENDPOINT_TEMPLATE "https://bedrock.{region}.amazonaws.com"
#define MAX_RESPONSE_BYTES (64 * 1024 * 1024)
#define MAX_ERROR_TEXT 300
#define STALL_TIMEOUT_S 30		/* at most, and never beyond request_timeout */

/* Backoff as in the AWS SDKs: base delays, cap, and the retry token bucket. */
#define BACKOFF_BASE_MS			100
#define BACKOFF_THROTTLE_BASE_MS 500
#define BACKOFF_CAP_MS			20000
#define RETRY_COST				5
#define RETRY_TIMEOUT_COST		10

/*
 * What a failed answer means.  As in the AWS SDKs the error code decides,
 * whatever the HTTP status: AWS-compatible endpoints (emulators, proxies,
 * gateways) do not always send AWS's status for an error.  The status
 * decides only when there is no code, or one this table does not know.
 */
typedef enum ErrorKind
{
	ERROR_OTHER,
	ERROR_NOT_FOUND,
	ERROR_THROTTLING,
	ERROR_TRANSIENT,			/* a server-side failure worth retrying */
	ERROR_EXPIRED_TOKEN,
	ERROR_ACCESS_DENIED,
	ERROR_AUTHENTICATION,
	ERROR_INVALID_REQUEST
} ErrorKind;

typedef struct ErrorCode
{
	const char *code;
	ErrorKind	kind;
	int			aws_status;		/* the status AWS sends it with; 0 if it
								 * varies */
} ErrorCode;

static const ErrorCode error_codes[] = {
	/* Bedrock's modelled errors (service-2.json) */
	{"ResourceNotFoundException", ERROR_NOT_FOUND, 404},
	{"ThrottlingException", ERROR_THROTTLING, 429},
	{"InternalServerException", ERROR_TRANSIENT, 500},
	{"ServiceUnavailableException", ERROR_TRANSIENT, 503},
	{"AccessDeniedException", ERROR_ACCESS_DENIED, 403},
	{"ValidationException", ERROR_INVALID_REQUEST, 400},
	{"ConflictException", ERROR_INVALID_REQUEST, 400},
	{"ServiceQuotaExceededException", ERROR_INVALID_REQUEST, 400},
	{"TooManyTagsException", ERROR_INVALID_REQUEST, 400},
	{"ResourceInUseException", ERROR_INVALID_REQUEST, 400},
	/* the service framework's: authentication, protocol */
	{"ExpiredTokenException", ERROR_EXPIRED_TOKEN, 403},
	{"UnrecognizedClientException", ERROR_AUTHENTICATION, 403},
	{"InvalidSignatureException", ERROR_AUTHENTICATION, 403},
	{"MissingAuthenticationTokenException", ERROR_AUTHENTICATION, 403},
	{"IncompleteSignatureException", ERROR_AUTHENTICATION, 0},
	{"SerializationException", ERROR_INVALID_REQUEST, 400},
	{"UnknownOperationException", ERROR_INVALID_REQUEST, 404},
	/* STS's (query protocol) */
	{"ExpiredToken", ERROR_EXPIRED_TOKEN, 0},
	{"AccessDenied", ERROR_ACCESS_DENIED, 0},
	{"InvalidClientTokenId", ERROR_AUTHENTICATION, 0},
	{"SignatureDoesNotMatch", ERROR_AUTHENTICATION, 0},
	{"MissingAuthenticationToken", ERROR_AUTHENTICATION, 0},
	{"IncompleteSignature", ERROR_AUTHENTICATION, 0},
	{"ValidationError", ERROR_INVALID_REQUEST, 0},
	{"InternalFailure", ERROR_TRANSIENT, 0},
	{"ServiceUnavailable", ERROR_TRANSIENT, 0},
	/* the SDKs' other throttling and transient codes */
	{"TooManyRequestsException", ERROR_THROTTLING, 0},
	{"Throttling", ERROR_THROTTLING, 0},
	{"ThrottledException", ERROR_THROTTLING, 0},
	{"RequestThrottledException", ERROR_THROTTLING, 0},
	{"ProvisionedThroughputExceededException", ERROR_THROTTLING, 0},
	{"TransactionInProgressException", ERROR_THROTTLING, 0},
	{"RequestLimitExceeded", ERROR_THROTTLING, 0},
	{"BandwidthLimitExceeded", ERROR_THROTTLING, 0},
	{"LimitExceededException", ERROR_THROTTLING, 0},
	{"RequestThrottled", ERROR_THROTTLING, 0},
	{"SlowDown", ERROR_THROTTLING, 0},
	{"PriorRequestNotComplete", ERROR_THROTTLING, 0},
	{"EC2ThrottledException", ERROR_THROTTLING, 0},
	{"RequestTimeout", ERROR_TRANSIENT, 0},
	{"RequestTimeoutException", ERROR_TRANSIENT, 0}
};

/* Calls in flight, waiting out a backoff, or settled and not handed back. */
struct BedrockCallSet
{
	BedrockClient *client;
	MemoryContext cxt;
	BedrockHttpPool *pool;
	dlist_head	sent;
	dlist_head	delayed;		/* by not_before */
	dlist_head	settled;
	int			outstanding;	/* submitted, not handed back */
	List	   *skipped;		/* of char *: "account/region" skipped */
	bool		refresh_checked;	/* credentials checked since the last
									 * bedrock_calls_next */
	double		idle_ms;		/* waited out backoffs with nothing in flight */
};

/* A failed attempt, read as the SDKs read it. */
typedef struct CallError
{
	char	   *type;			/* the cleaned AWS error code, or NULL */
	char	   *message;		/* cleaned for a message, or NULL */
	ErrorKind	kind;
	bool		by_code;		/* kind comes from a known code */
	int			aws_status;		/* the status AWS sends that code with, or 0 */
} CallError;

static void amz_now(char date[17]);
static BedrockHttpRequest *build_request(BedrockClient *client,
										 BedrockCall *call,
										 const char *amz_date);
static char *clean_text(const char *s, size_t len);
static char *clean_error_type(const char *raw);
static void wipe_headers(BedrockHttpRequest *req);
static char *call_name(BedrockCall *call);
static BedrockCredentials *call_credentials(BedrockClient *client, BedrockCall *call);
static void describe_error(BedrockCall *call, char **type, char **message);
static ErrorKind kind_of_status(long status);
static void read_error(BedrockCall *call, CallError *err);
static bool is_missing(BedrockCall *call, const CallError *err);
static void record_attempt(BedrockClient *client, BedrockCall *call);
static void report_failure(int elevel, BedrockClient *client, BedrockCall *call,
						   const CallError *err);
static BedrockJson *parse_success(BedrockCall *call);
static bool is_retryable(const CallError *err);
static long backoff_ms(BedrockCall *call, const CallError *err);
static void sleep_ms(long ms);
static char *cache_key(BedrockClient *client, BedrockCall *call);
static void skip_region(BedrockCallSet *set, BedrockCall *failed,
						const CallError *err);
static bool same_region(BedrockCall *a, BedrockCall *b);
static char *region_key(BedrockCall *call);
static bool in_skipped_region(BedrockCallSet *set, BedrockCall *call);
static bool start_call(BedrockClient *client, BedrockCall *call);
static void send_attempt(BedrockCallSet *set, BedrockCall *call);
static void settle_attempt(BedrockCallSet *set, BedrockCall *call);
static void finish_call(BedrockCall *call);
static BedrockCall *next_call(BedrockCallSet *set, bool *would_block);

/*
 * The base URL for a region: the endpoint option with {region} replaced, or
 * AWS's regional endpoint.  No trailing slash.
 */
char *
bedrock_endpoint_url(const char *endpoint, const char *region)
{
	const char *tmpl = endpoint ? endpoint : AWS_ENDPOINT_TEMPLATE;
	StringInfoData buf;
	const char *p;

	initStringInfo(&buf);
	for (p = tmpl; *p; p++)
	{
		if (strncmp(p, "{region}", 8) == 0)
		{
			appendStringInfoString(&buf, region);
			p += 7;
		}
		else
			appendStringInfoChar(&buf, *p);
	}
	while (buf.len > 0 && buf.data[buf.len - 1] == '/')
		buf.data[--buf.len] = '\0';
	return buf.data;
}

/* The current time as SigV4 wants it: 20150830T123600Z. */
static void
amz_now(char date[17])
{
	time_t		now = time(NULL);
	struct tm	tm;

	gmtime_r(&now, &tm);
	strftime(date, 17, "%Y%m%dT%H%M%SZ", &tm);
}

/*
 * The request for one attempt of a call: signed with the client's
 * credentials unless the call is anonymous.  The Host header is set
 * explicitly so that what is signed is exactly what curl sends.
 */
static BedrockHttpRequest *
build_request(BedrockClient *client, BedrockCall *call, const char *amz_date)
{
	BedrockCredentials *creds = call_credentials(client, call);
	BedrockHttpRequest *req = palloc0(sizeof(BedrockHttpRequest));
	const char *base = call->base_url ? call->base_url
		: bedrock_endpoint_url(client->options->endpoint, call->region);
	const char *authority = strstr(base, "://");
	const char *path_prefix;
	const char *content_type = call->content_type ? call->content_type : "application/json";
	char	   *host;
	char	   *full_path;
	ListCell   *cell;

	if (authority == NULL || authority[3] == '\0' || authority[3] == '/')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s URL \"%s\" has no host", call_name(call), base)));
	authority += 3;
	path_prefix = strchr(authority, '/');
	host = path_prefix ? pnstrdup(authority, path_prefix - authority) : pstrdup(authority);
	full_path = psprintf("%s%s", path_prefix ? path_prefix : "", call->path);

	req->method = call->method;
	req->url = call->query && call->query[0]
		? psprintf("%s%s?%s", base, call->path, call->query)
		: psprintf("%s%s", base, call->path);
	req->headers = list_make1(psprintf("Host: %s", host));
	if (creds)
	{
		SigV4Header headers[4];
		int			nheaders = 0;
		SigV4Request sreq;
		SigV4Context sctx;
		SigV4Result sres;
		const char *why;

		headers[nheaders++] = (SigV4Header)
		{
			"host", host
		};
		headers[nheaders++] = (SigV4Header)
		{
			"x-amz-date", amz_date
		};
		if (creds->session_token)
			headers[nheaders++] = (SigV4Header)
		{
			"x-amz-security-token", creds->session_token
		};
		if (call->body)
			headers[nheaders++] = (SigV4Header)
		{
			"content-type", content_type
		};

		memset(&sreq, 0, sizeof(sreq));
		sreq.method = call->method;
		sreq.path = full_path;
		sreq.query = call->query;
		sreq.headers = headers;
		sreq.nheaders = nheaders;
		sreq.payload = (const unsigned char *) call->body;
		sreq.payload_len = call->body ? strlen(call->body) : 0;

		memset(&sctx, 0, sizeof(sctx));
		sctx.access_key_id = creds->access_key_id;
		sctx.secret_access_key = creds->secret_access_key;
		sctx.region = call->region;
		sctx.service = call->signing_name ? call->signing_name : "bedrock";
		sctx.amz_date = amz_date;
		sctx.normalize_path = true;

		if (!bedrock_sigv4_sign(&sreq, &sctx, &sres, &why))
			ereport(ERROR,
					(errcode(ERRCODE_FDW_ERROR),
					 errmsg("could not sign %s request: %s",
							call->service ? call->service : "Bedrock", why)));

		req->headers = lappend(req->headers, psprintf("X-Amz-Date: %s", amz_date));
		if (creds->session_token)
			req->headers = lappend(req->headers,
								   psprintf("X-Amz-Security-Token: %s", creds->session_token));
		req->headers = lappend(req->headers, psprintf("Authorization: %s", sres.authorization));
		bedrock_sigv4_free_result(&sres);
	}
	if (call->body)
		req->headers = lappend(req->headers, psprintf("Content-Type: %s", content_type));
	/* copies: what holds a secret is zeroed once sent (wipe_headers) */
	foreach(cell, call->headers)
		req->headers = lappend(req->headers, pstrdup((char *) lfirst(cell)));
	if (call->format == BEDROCK_BODY_JSON)
		req->headers = lappend(req->headers, "Accept: application/json");
	/* no "Expect: 100-continue" round trip for bodies */
	req->headers = lappend(req->headers, "Expect:");

	req->body = call->body;
	req->body_len = call->body ? strlen(call->body) : 0;
	req->no_proxy = call->no_proxy;
	req->sensitive = call->sensitive;
	/* Bedrock calls share their region's rate limit; others have their own */
	/* the rate limit holds per (account, region) */
	req->rate_key = call->service ? call->service
		: call->account ? psprintf("%s/%s", call->account, call->region) : call->region;
	return req;
}

/*
 * Untrusted text from a response, made safe for a message: printable ASCII
 * only, other bytes as '?', cut at MAX_ERROR_TEXT.
 */
static char *
clean_text(const char *s, size_t len)
{
	StringInfoData buf;
	size_t		i;

	initStringInfo(&buf);
	for (i = 0; i < len && i < MAX_ERROR_TEXT; i++)
	{
		unsigned char c = (unsigned char) s[i];

		appendStringInfoChar(&buf, (c >= 0x20 && c < 0x7f) ? (char) c : '?');
	}
	if (len > MAX_ERROR_TEXT)
		appendStringInfoString(&buf, "...");
	return buf.data;
}

/*
 * An AWS error type cleaned as the SDKs do: "aws.protocoltests#FooError:http://internal"
 * -> "FooError".
 */
static char *
clean_error_type(const char *raw)
{
	char	   *type = pstrdup(raw);
	char	   *colon = strchr(type, ':');
	char	   *hash;

	if (colon)
		*colon = '\0';
	hash = strrchr(type, '#');
	if (hash)
		type = hash + 1;
	return clean_text(type, strlen(type));
}

/*
 * Zero the headers of a sent request that hold secrets: the session token,
 * the signature, a container authorization or instance metadata token.
 */
static void
wipe_headers(BedrockHttpRequest *req)
{
	ListCell   *cell;

	foreach(cell, req->headers)
	{
		char	   *h = (char *) lfirst(cell);

		if (pg_strncasecmp(h, "X-Amz-Security-Token:", 21) == 0 ||
			pg_strncasecmp(h, "Authorization:", 14) == 0 ||
			pg_strncasecmp(h, "X-aws-ec2-metadata-token:", 25) == 0)
			explicit_bzero(h, strlen(h));
	}
}

/*
 * "Bedrock ListModelCustomizationJobs in region us-east-1" (or "in account
 * 111122223333, region us-east-1"), for messages.
 */
static char *
call_name(BedrockCall *call)
{
	if (call->account && call->region)
		return psprintf("%s %s in account %s, region %s",
						call->service ? call->service : "Bedrock",
						call->op, call->account, call->region);
	return psprintf("%s %s%s%s", call->service ? call->service : "Bedrock",
					call->op, call->region ? " in region " : "",
					call->region ? call->region : "");
}

/* The credentials a call is signed with: its own, else the client's. */
static BedrockCredentials *
call_credentials(BedrockClient *client, BedrockCall *call)
{
	if (call->anonymous)
		return NULL;
	return call->credentials ? call->credentials : client->credentials;
}

/* The AWS error code of a failed call, cleaned, or NULL. */
const char *
bedrock_call_error_code(BedrockCall *call)
{
	CallError	err;

	if (call->req == NULL || call->req->transport_error)
		return NULL;
	read_error(call, &err);
	return err.type;
}

/*
 * Why a call that failed for good (failure_ok, skipped) failed, in a
 * sentence for a message: "HTTP status 403, AWS error AccessDenied: ...".
 */
char *
bedrock_call_failure(BedrockCall *call)
{
	CallError	err;

	if (call->req == NULL)
		return pstrdup("no request was sent");
	if (call->req->transport_error)
		return psprintf("%s", clean_text(call->req->transport_error,
										 strlen(call->req->transport_error)));
	read_error(call, &err);
	return psprintf("HTTP status %ld, AWS error %s: %s", call->req->status,
					err.type ? err.type : "(none)",
					err.message ? err.message : "(no message)");
}

/*
 * The AWS error type and message of a failed response, cleaned for a
 * message; NULL when the response has none.
 */
static void
describe_error(BedrockCall *call, char **type, char **message)
{
	BedrockHttpRequest *req = call->req;
	BedrockJson *doc = NULL;
	const char *why;

	*type = NULL;
	*message = NULL;
	if (req->response_len == 0)
	{
		if (req->error_type)
			*type = clean_error_type(req->error_type);
		return;
	}
	if (call->format == BEDROCK_BODY_XML)
	{
		char	   *code;
		char	   *msg;

		bool		ok = bedrock_xml_error(req->response, req->response_len,
										   &code, &msg);

		/* xml.c's strings are malloc'd: cleaned copies first, then free */
		*type = code ? clean_text(code, strlen(code)) : NULL;
		*message = msg ? clean_text(msg, strlen(msg)) : NULL;
		free(code);
		free(msg);
		if (ok)
			return;
	}
	else if (call->format == BEDROCK_BODY_JSON)
		doc = bedrock_json_parse(req->response, req->response_len, &why);

	if (req->error_type)
		*type = clean_error_type(req->error_type);
	else if (doc)
	{
		const char *keys[] = {"code", "Code", "__type"};
		int			i;

		for (i = 0; i < lengthof(keys) && *type == NULL; i++)
		{
			size_t		len;
			const char *s = bedrock_json_string(bedrock_json_member(doc, keys[i]), &len);

			if (s)
				*type = clean_error_type(pnstrdup(s, len));
		}
	}
	if (doc)
	{
		size_t		len;
		const char *s = bedrock_json_string(bedrock_json_member(doc, "message"), &len);

		if (s == NULL)
			s = bedrock_json_string(bedrock_json_member(doc, "Message"), &len);
		if (s)
			*message = clean_text(s, len);
	}
	else
		*message = clean_text(req->response, req->response_len);
}

/* What an HTTP status means when no known error code says. */
static ErrorKind
kind_of_status(long status)
{
	if (status == 404)
		return ERROR_NOT_FOUND;
	if (status == 429)
		return ERROR_THROTTLING;
	if (status == 500 || status == 502 || status == 503 || status == 504)
		return ERROR_TRANSIENT;
	if (status == 401 || status == 403)
		return ERROR_AUTHENTICATION;
	if (status >= 400 && status < 500)
		return ERROR_INVALID_REQUEST;
	return ERROR_OTHER;
}

/*
 * Read a failed attempt: its AWS error code and message, and what it means,
 * from the code when the code is known, else from the HTTP status.
 */
static void
read_error(BedrockCall *call, CallError *err)
{
	BedrockHttpRequest *req = call->req;
	int			i;

	memset(err, 0, sizeof(*err));
	if (req->transport_error)
	{
		err->kind = req->transient ? ERROR_TRANSIENT : ERROR_OTHER;
		return;
	}
	describe_error(call, &err->type, &err->message);
	if (err->type)
	{
		for (i = 0; i < lengthof(error_codes); i++)
		{
			if (strcmp(err->type, error_codes[i].code) == 0)
			{
				err->kind = error_codes[i].kind;
				err->aws_status = error_codes[i].aws_status;
				err->by_code = true;
				return;
			}
		}
	}
	err->kind = kind_of_status(req->status);
}

/*
 * Whether a failed lookup found no such resource: ResourceNotFoundException
 * with any status, or a 404 that carries no code at all.  A 404 with another
 * code (a wrong endpoint's UnknownOperationException, say) is an error.
 */
static bool
is_missing(BedrockCall *call, const CallError *err)
{
	return call->missing_ok && !call->req->transport_error &&
		err->kind == ERROR_NOT_FOUND && (err->by_code || err->type == NULL);
}

/*
 * Report a failed call at elevel (ERROR, or WARNING for a skipped region):
 * no response, or a non-2xx one.
 */
static void
report_failure(int elevel, BedrockClient *client, BedrockCall *call,
			   const CallError *err)
{
	BedrockHttpRequest *req = call->req;

	/* the final error says how many attempts were made, when retried */
	const char *attempts = call->attempts > 1
		? psprintf(" after %d attempts", call->attempts) : "";
	const char *source = call_credentials(client, call)
		? call_credentials(client, call)->source : NULL;
	const char *request_id = req->request_id
		? clean_text(req->request_id, strlen(req->request_id)) : "(none)";
	int			code;
	const char *hint = NULL;

	if (req->transport_error)
	{
		ereport(elevel,
				(errcode(req->too_large ? ERRCODE_PROGRAM_LIMIT_EXCEEDED
						 : ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
				 errmsg("%s failed%s: %s", call_name(call), attempts,
						req->too_large ? "response too large"
						: req->timed_out ? "request timed out" : "no response"),
				 errdetail("%s: %s.",
						   call->sensitive ? pnstrdup(req->url, strcspn(req->url, "?")) : req->url,
						   clean_text(req->transport_error,
									  strlen(req->transport_error)))));
		return;
	}

	switch (err->kind)
	{
		case ERROR_ACCESS_DENIED:
			code = ERRCODE_INSUFFICIENT_PRIVILEGE;
			if (source)
				hint = psprintf("Check the IAM permissions of the AWS credentials, which came from %s.",
								source);
			break;
		case ERROR_AUTHENTICATION:
		case ERROR_EXPIRED_TOKEN:
			code = ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION;
			if (source)
				hint = psprintf("Check the AWS credentials, which came from %s.", source);
			break;
		case ERROR_NOT_FOUND:
			code = ERRCODE_UNDEFINED_OBJECT;
			break;
		case ERROR_THROTTLING:
			code = ERRCODE_CONFIGURATION_LIMIT_EXCEEDED;
			hint = psprintf("%s is throttling requests; retry later or lower the server option \"max_concurrency\".",
							call->service ? call->service : "Bedrock");
			break;
		case ERROR_INVALID_REQUEST:
			code = ERRCODE_INVALID_PARAMETER_VALUE;
			break;
		default:
			code = ERRCODE_FDW_ERROR;
			break;
	}

	if (err->aws_status != 0 && err->aws_status != req->status)
		ereport(elevel,
				(errcode(code),
				 errmsg("%s failed with HTTP status %ld%s",
						call_name(call), req->status, attempts),
				 errdetail("AWS error %s: %s (request id %s).  AWS sends %s with HTTP status %d, not %ld; the error code decides what it means.",
						   err->type, err->message ? err->message : "(no message)",
						   request_id, err->type, err->aws_status, req->status),
				 hint ? errhint("%s", hint) : 0));
	else
		ereport(elevel,
				(errcode(code),
				 errmsg("%s failed with HTTP status %ld%s",
						call_name(call), req->status, attempts),
				 errdetail("AWS error %s: %s (request id %s).",
						   err->type ? err->type : "(none)",
						   err->message ? err->message : "(no message)",
						   request_id),
				 hint ? errhint("%s", hint) : 0));
}

/* The parsed JSON object of a successful response; anything else is an ERROR. */
static BedrockJson *
parse_success(BedrockCall *call)
{
	BedrockHttpRequest *req = call->req;
	BedrockJson *doc;
	const char *why;

	doc = bedrock_json_parse(req->response, req->response_len, &why);
	if (doc == NULL && call->sensitive)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_JSON_TEXT),
				 errmsg("%s returned an invalid response: %s",
						call_name(call), why)));
	if (doc == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_JSON_TEXT),
				 errmsg("%s returned an invalid response: %s",
						call_name(call), why),
				 errdetail("Response begins: %s (request id %s).",
						   clean_text(req->response, Min(req->response_len, 80)),
						   req->request_id ? clean_text(req->request_id, strlen(req->request_id)) : "(none)")));
	if (bedrock_json_type(doc) != BEDROCK_JSON_OBJECT)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("%s returned a JSON %s, expected an object",
						call_name(call), bedrock_json_type_name(doc))));
	return doc;
}


/* Whether a failure is worth another attempt: throttling or transient. */
static bool
is_retryable(const CallError *err)
{
	return err->kind == ERROR_THROTTLING || err->kind == ERROR_TRANSIENT;
}

/* Full-jitter exponential backoff, or the server's Retry-After. */
static long
backoff_ms(BedrockCall *call, const CallError *err)
{
	BedrockHttpRequest *req = call->req;
	long		base = err->kind == ERROR_THROTTLING
		? BACKOFF_THROTTLE_BASE_MS : BACKOFF_BASE_MS;
	long		ceiling = base;
	int			i;

	if (req->retry_after_s >= 0)
		return Min((long) req->retry_after_s * 1000, BACKOFF_CAP_MS);
	for (i = 1; i < call->attempts && ceiling < BACKOFF_CAP_MS; i++)
		ceiling *= 2;
	ceiling = Min(ceiling, BACKOFF_CAP_MS);
	return (long) (pg_prng_double(&pg_global_prng_state) * ceiling);
}

/* Sleep on the latch, so a cancel or statement_timeout ends it at once. */
static void
sleep_ms(long ms)
{
	instr_time	start;

	INSTR_TIME_SET_CURRENT(start);
	for (;;)
	{
		instr_time	now;
		long		left;

		CHECK_FOR_INTERRUPTS();
		INSTR_TIME_SET_CURRENT(now);
		INSTR_TIME_SUBTRACT(now, start);
		left = ms - (long) INSTR_TIME_GET_MILLISEC(now);
		if (left <= 0)
			break;
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT |
						 (IsUnderPostmaster ? WL_EXIT_ON_PM_DEATH : 0),
						 left, bedrock_wait_event());
		ResetLatch(MyLatch);
	}
}

/*
 * What decides a call's answer: identity, endpoint, region, and the whole
 * request.  Two calls with the same key get the same answer from AWS.
 */
static char *
cache_key(BedrockClient *client, BedrockCall *call)
{
	BedrockCredentials *creds = call_credentials(client, call);
	char	   *secrets = psprintf("%s\n%s", creds->secret_access_key,
								   creds->session_token ? creds->session_token : "");
	char		digest[65];

	/*
	 * The identity is the whole credential, not the (public) key id: a digest
	 * of the secret and token keeps a mapping with another's key id but a
	 * wrong secret from reading that identity's cached answers.
	 */
	bedrock_sigv4_sha256_hex((const unsigned char *) secrets, strlen(secrets), digest);
	explicit_bzero(secrets, strlen(secrets));
	pfree(secrets);
	return psprintf("%s %s\n%s\n%s %s?%s\n%s",
					creds->access_key_id, digest,
					bedrock_endpoint_url(client->options->endpoint, call->region),
					call->method, call->path,
					call->query ? call->query : "",
					call->body ? call->body : "");
}

/*
 * Give up on every outstanding call to an account's region: it is
 * unavailable and the server has on_unavailable 'warn'.  One WARNING per
 * region says why, and calls submitted to it later are skipped at once.
 */
static void
skip_region(BedrockCallSet *set, BedrockCall *failed, const CallError *err)
{
	BedrockClient *client = set->client;
	dlist_head *lists[2];
	int			i;
	MemoryContext old;

	report_failure(WARNING, client, failed, err);
	old = MemoryContextSwitchTo(set->cxt);
	set->skipped = lappend(set->skipped, region_key(failed));
	MemoryContextSwitchTo(old);

	lists[0] = &set->sent;
	lists[1] = &set->delayed;
	for (i = 0; i < 2; i++)
	{
		dlist_mutable_iter iter;

		dlist_foreach_modify(iter, lists[i])
		{
			BedrockCall *call = dlist_container(BedrockCall, node, iter.cur);

			if (!same_region(call, failed))
				continue;
			if (call->req)
				bedrock_http_cancel(set->pool, call->req);
			call->skipped = true;
			dlist_delete(&call->node);
			dlist_push_tail(&set->settled, &call->node);
		}
	}

	/* for EXPLAIN ANALYZE, in the memory the client's owner gave */
	if (client->cxt == NULL)
		return;
	old = MemoryContextSwitchTo(client->cxt);
	client->unavailable = lappend(client->unavailable,
								  failed->account
								  ? psprintf("account %s, region %s: %s", failed->account,
											 failed->region, bedrock_call_failure(failed))
								  : psprintf("region %s: %s", failed->region,
											 bedrock_call_failure(failed)));
	MemoryContextSwitchTo(old);
}

/* Whether two calls go to the same account and region. */
static bool
same_region(BedrockCall *a, BedrockCall *b)
{
	return a->region && b->region && strcmp(a->region, b->region) == 0 &&
		(a->account == b->account ||
		 (a->account && b->account && strcmp(a->account, b->account) == 0));
}

/* "account/region" of a call, for the list of skipped ones. */
static char *
region_key(BedrockCall *call)
{
	return psprintf("%s/%s", call->account ? call->account : "", call->region);
}

/* Whether a call goes to a region skipped as unavailable. */
static bool
in_skipped_region(BedrockCallSet *set, BedrockCall *call)
{
	ListCell   *cell;
	char	   *key;
	bool		found = false;

	if (set->skipped == NIL || call->region == NULL)
		return false;
	key = region_key(call);
	foreach(cell, set->skipped)
		found |= strcmp((char *) lfirst(cell), key) == 0;
	pfree(key);
	return found;
}

/*
 * Ready a call for its first attempt; true when the server caches answers
 * and this one was answered from the cache, so it is not sent.
 */
static bool
start_call(BedrockClient *client, BedrockCall *call)
{
	char	   *body;
	size_t		len;
	char	   *request_id;

	call->attempts = 0;
	call->result = NULL;
	call->skipped = false;
	call->missing = false;
	call->denied = false;
	call->req = NULL;
	call->cache_key = NULL;
	call->refreshed = false;
	call->from_cache = false;
	if (client->options->cache_ttl <= 0 || call_credentials(client, call) == NULL)
		return false;
	call->cache_key = cache_key(client, call);
	if (!bedrock_cache_get(call->cache_key, client->options->cache_ttl,
						   &body, &len, &request_id))
		return false;
	bedrock_stats_cache_hit(client->options->server_name, call->region, call->op);
	call->req = palloc0(sizeof(BedrockHttpRequest));
	call->req->status = 200;
	call->req->response = body;
	call->req->response_len = len;
	call->req->request_id = request_id;
	call->from_cache = true;
	return true;
}

/*
 * Send one attempt of a call, signed now; the request's copies of the
 * headers that hold secrets are zeroed once http.c has its own.
 */
static void
send_attempt(BedrockCallSet *set, BedrockCall *call)
{
	BedrockClient *client = set->client;
	MemoryContext old = MemoryContextSwitchTo(call->cxt);
	char		date[17];

	/* temporary credentials about to expire are renewed first */
	if (client->refresh && !set->refresh_checked)
	{
		set->refresh_checked = true;
		client->refresh(client, NULL, false);
	}
	amz_now(date);
	call->req = build_request(client, call, date);
	call->req->caller = call;
	call->signed_at = GetCurrentTimestamp();
	call->attempts++;
	PG_TRY();
	{
		bedrock_http_submit(set->pool, call->req, call->urgent);
	}
	PG_FINALLY();
	{
		wipe_headers(call->req);
	}
	PG_END_TRY();
	dlist_push_tail(&set->sent, &call->node);
	MemoryContextSwitchTo(old);
}

/* An attempt's outcome, in bedrock_fdw_stats. */
static void
record_attempt(BedrockClient *client, BedrockCall *call)
{
	BedrockHttpRequest *req = call->req;
	BedrockStatsOutcome outcome = BEDROCK_STATS_OK;

	if (req->transport_error)
		outcome = BEDROCK_STATS_ERROR;
	else if (req->status < 200 || req->status > 299)
	{
		CallError	err;

		read_error(call, &err);
		if (err.kind == ERROR_THROTTLING)
			outcome = BEDROCK_STATS_THROTTLED;
		else if (!is_missing(call, &err))
			outcome = BEDROCK_STATS_ERROR;
	}
	bedrock_stats_request(client->options->server_name, call->region, call->op,
						  call->attempts > 1, outcome, req->response_len,
						  req->elapsed_ms);
}

/*
 * Decide a finished attempt's outcome: answered, no such resource, another
 * attempt (after a backoff), skipped with its region, or an ERROR for a
 * failure that cannot be retried.
 */
static void
settle_attempt(BedrockCallSet *set, BedrockCall *call)
{
	BedrockClient *client = set->client;
	BedrockHttpRequest *req = call->req;
	int			cost = req->timed_out ? RETRY_TIMEOUT_COST : RETRY_COST;
	CallError	err;
	MemoryContext old = MemoryContextSwitchTo(call->cxt);

	record_attempt(client, call);
	if (!req->transport_error && req->status >= 200 && req->status <= 299)
	{
		/* as in the SDKs, success returns a token to the bucket */
		client->retry_tokens = Min(client->retry_tokens + 1,
								   BEDROCK_RETRY_TOKENS);
		dlist_push_tail(&set->settled, &call->node);
		MemoryContextSwitchTo(old);
		return;
	}
	read_error(call, &err);
	if (is_missing(call, &err))
	{
		call->missing = true;
		dlist_push_tail(&set->settled, &call->node);
	}

	/*
	 * Credentials that expired before their stated time (revoked, or a clock
	 * behind AWS's): fetch new ones once and try again, unless another call's
	 * failure renewed them since this one was signed.  (The SDKs give up
	 * here; a query should not.)  This costs no retry token.
	 */
	else if (client->refresh && !call->refreshed && !call->anonymous &&
			 err.kind == ERROR_EXPIRED_TOKEN)
	{
		BedrockCredentials *creds = call_credentials(client, call);

		if (creds->obtained <= call->signed_at)
			client->refresh(client, creds, true);
		call->refreshed = true;
		send_attempt(set, call);
	}
	else if (is_retryable(&err) &&
			 call->attempts <= client->options->max_retries &&
			 client->retry_tokens >= cost)
	{
		client->retry_tokens -= cost;
		call->not_before = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
													   backoff_ms(call, &err));
		dlist_push_tail(&set->delayed, &call->node);
	}
	else if (call->failure_ok ||
			 (call->denied_ok && err.kind == ERROR_ACCESS_DENIED))
	{
		call->skipped = true;
		call->denied = (err.kind == ERROR_ACCESS_DENIED);
		dlist_push_tail(&set->settled, &call->node);
	}
	else if (client->options->skip_unavailable_regions && call->region &&
			 (is_retryable(&err) ||
			  (call->account && (err.kind == ERROR_ACCESS_DENIED ||
								 err.kind == ERROR_AUTHENTICATION))))
	{
		dlist_push_tail(&set->sent, &call->node);
		skip_region(set, call, &err);
	}
	else
		report_failure(ERROR, client, call, &err);
	MemoryContextSwitchTo(old);
}

/* An answered call's result: its parsed object, then cached if asked. */
static void
finish_call(BedrockCall *call)
{
	MemoryContext old;

	if (call->skipped || call->missing || call->format != BEDROCK_BODY_JSON)
	{
		call->result = NULL;
		return;
	}
	old = MemoryContextSwitchTo(call->cxt);
	call->result = parse_success(call);
	if (call->cache_key && !call->from_cache)
		bedrock_cache_put(call->cache_key, call->req->response,
						  call->req->response_len, call->req->request_id);
	MemoryContextSwitchTo(old);
}

/*
 * A set of calls performed concurrently: submitted at any time, handed back
 * one at a time as each settles.  Everything it holds lives under parent;
 * the calls' own memory is the submitter's.
 */
BedrockCallSet *
bedrock_calls_begin(BedrockClient *client, MemoryContext parent)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "bedrock_fdw calls",
											  ALLOCSET_SMALL_SIZES);
	BedrockCallSet *set = MemoryContextAllocZero(cxt, sizeof(BedrockCallSet));
	BedrockHttpConfig config;

	set->client = client;
	set->cxt = cxt;
	dlist_init(&set->sent);
	dlist_init(&set->delayed);
	dlist_init(&set->settled);
	config.connect_timeout_ms = client->options->connect_timeout_ms;
	config.request_timeout_ms = client->options->request_timeout_ms;
	config.stall_timeout_s = Min(client->options->request_timeout_ms / 1000,
								 STALL_TIMEOUT_S);
	config.max_concurrency = client->options->max_concurrency;
	config.max_requests_per_second = client->options->max_requests_per_second;
	config.max_response_bytes = MAX_RESPONSE_BYTES;
	config.ca_file = client->options->ca_file;
	config.proxy = client->options->proxy;
	set->pool = bedrock_http_pool_create(&config, cxt);
	return set;
}

/*
 * Submit a call: it goes out now, or as soon as concurrency and the rate
 * limit allow (urgent ones first).  Its requests and result are allocated
 * in the memory context current now, which must outlive its settling.
 */
void
bedrock_calls_submit(BedrockCallSet *set, BedrockCall *call, bool urgent)
{
	call->cxt = CurrentMemoryContext;
	call->urgent = urgent;
	set->outstanding++;
	if (start_call(set->client, call))
		dlist_push_tail(&set->settled, &call->node);
	else if (in_skipped_region(set, call))
	{
		call->skipped = true;
		dlist_push_tail(&set->settled, &call->node);
	}
	else
		send_attempt(set, call);
}

/*
 * The next call of the set to settle, waiting for it: its result parsed,
 * or marked missing or skipped.  NULL when none is outstanding.  A call
 * that fails for good is an ERROR, unless its region is skipped as
 * unavailable (a WARNING; every call to that region is marked skipped).
 */
BedrockCall *
bedrock_calls_next(BedrockCallSet *set)
{
	return next_call(set, NULL);
}

/*
 * The same without waiting, for an asynchronous scan: the transfers are
 * driven as far as they go now, and when no call has settled yet the
 * answer is NULL with *would_block set (bedrock_calls_wait_spec says what
 * to wait for).  NULL with *would_block clear: none is outstanding.
 */
BedrockCall *
bedrock_calls_next_nowait(BedrockCallSet *set, bool *would_block)
{
	*would_block = false;
	return next_call(set, would_block);
}

/*
 * What the set waits for, when an asynchronous scan waits in the executor
 * instead of in bedrock_calls_next: a settled call (ready now), the
 * earliest backoff, and its requests (bedrock_http_pool_wait_spec).
 */
void
bedrock_calls_wait_spec(BedrockCallSet *set, BedrockWaitSpec *spec)
{
	dlist_iter	iter;
	TimestampTz now = GetCurrentTimestamp();

	if (!dlist_is_empty(&set->settled))
		spec->ready = true;
	dlist_foreach(iter, &set->delayed)
	{
		BedrockCall *call = dlist_container(BedrockCall, node, iter.cur);

		bedrock_wait_spec_due(spec, call->not_before <= now ? 0
							  : (long) ((call->not_before - now + 999) / 1000));
	}
	bedrock_http_pool_wait_spec(set->pool, spec);
}

/*
 * bedrock_calls_next, waiting unless would_block is given: then NULL with
 * *would_block set instead of a wait.
 */
static BedrockCall *
next_call(BedrockCallSet *set, bool *would_block)
{
	set->refresh_checked = false;
	for (;;)
	{
		BedrockHttpRequest *req;
		TimestampTz now;
		long		wait = -1;
		dlist_mutable_iter iter;

		if (!dlist_is_empty(&set->settled))
		{
			BedrockCall *call = dlist_container(BedrockCall, node,
												dlist_pop_head_node(&set->settled));

			set->outstanding--;
			finish_call(call);
			return call;
		}
		if (dlist_is_empty(&set->sent) && dlist_is_empty(&set->delayed))
			return NULL;

		/* the retries due now go out; the others say how long to wait */
		now = GetCurrentTimestamp();
		dlist_foreach_modify(iter, &set->delayed)
		{
			BedrockCall *call = dlist_container(BedrockCall, node, iter.cur);

			if (call->not_before <= now)
			{
				dlist_delete(&call->node);
				send_attempt(set, call);
			}
			else
			{
				long		left = (long) ((call->not_before - now + 999) / 1000);

				wait = wait < 0 ? left : Min(wait, left);
			}
		}
		if (dlist_is_empty(&set->sent))
		{
			/* nothing in flight: only the backoff to wait out */
			if (would_block)
			{
				*would_block = true;
				return NULL;
			}
			sleep_ms(wait);
			set->idle_ms += wait;
			continue;
		}
		req = bedrock_http_poll(set->pool, would_block ? 0 : wait);
		if (req == NULL)
		{
			if (would_block)
			{
				*would_block = true;
				return NULL;
			}
			continue;
		}
		dlist_delete(&((BedrockCall *) req->caller)->node);
		settle_attempt(set, (BedrockCall *) req->caller);
	}
}

/*
 * Move the set's requests along without waiting, while its caller is busy
 * with rows: finished ones are settled (and kept for bedrock_calls_next),
 * and waiting ones start in the slots that frees.
 */
void
bedrock_calls_pump(BedrockCallSet *set)
{
	BedrockHttpRequest *req;

	if (dlist_is_empty(&set->sent))
		return;
	while ((req = bedrock_http_poll(set->pool, 0)) != NULL)
	{
		dlist_delete(&((BedrockCall *) req->caller)->node);
		settle_attempt(set, (BedrockCall *) req->caller);
	}
}

/* How many calls were submitted and not handed back yet. */
int
bedrock_calls_outstanding(BedrockCallSet *set)
{
	return set->outstanding;
}

/* Milliseconds the set waited with nothing in flight. */
double
bedrock_calls_idle_ms(BedrockCallSet *set)
{
	return set->idle_ms + bedrock_http_pool_idle_ms(set->pool);
}

/* Abandon what is outstanding, and release the set. */
void
bedrock_calls_end(BedrockCallSet *set)
{
	MemoryContextDelete(set->cxt);
}

/*
 * Perform calls concurrently, each to its own region, retrying what is
 * worth retrying; each call's result is its parsed response object (NULL
 * when missing_ok and there is no such resource).
 *
 * A call that fails for good is an ERROR, unless its region is unavailable
 * and the server has on_unavailable 'warn': then a WARNING is given and
 * every call to that region is marked skipped.
 */
void
bedrock_perform_calls(BedrockClient *client, BedrockCall *calls, int ncalls)
{
	BedrockCallSet *set = bedrock_calls_begin(client, CurrentMemoryContext);
	int			i;

	PG_TRY();
	{
		for (i = 0; i < ncalls; i++)
			bedrock_calls_submit(set, &calls[i], false);
		while (bedrock_calls_next(set) != NULL)
			;
	}
	PG_FINALLY();
	{
		bedrock_calls_end(set);
	}
	PG_END_TRY();
}
