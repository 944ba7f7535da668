/*-------------------------------------------------------------------------
 * api.c
 *	  The Bedrock operations bedrock_fdw uses: building and signing their
 *	  requests, running them over http.c, and turning AWS errors into
 *	  PostgreSQL errors.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <time.h>

#include "utils/builtins.h"
#include "utils/json.h"

#include "bedrock_fdw.h"
#include "sigv4.h"

#define AWS_ENDPOINT_TEMPLATE "https://bedrock.{region}.amazonaws.com"
#define MAX_RESPONSE_BYTES (64 * 1024 * 1024)
#define MAX_ERROR_TEXT 300

#define OP_LIST "ListModelCustomizationJobs"
#define OP_GET "GetModelCustomizationJob"
#define OP_TAGS "ListTagsForResource"

static void amz_now(char date[17]);
static char *uri_encode(const char *s);
static BedrockHttpRequest *build_request(BedrockClient *client,
										 const char *region,
										 const char *method, const char *path,
										 const char *query, const char *body,
										 const char *amz_date);
static BedrockJson *check_and_parse(const char *op, const char *region,
									BedrockHttpRequest *req);
static void report_failure(const char *op, const char *region,
						   BedrockHttpRequest *req) pg_attribute_noreturn();
static char *clean_text(const char *s, size_t len);
static char *clean_error_type(const char *raw);
static void run_requests(BedrockClient *client, BedrockHttpRequest **reqs, int n);

/* The current time as SigV4 wants it: 20150830T123600Z. */
static void
amz_now(char date[17])
{
	time_t		now = time(NULL);
	struct tm	tm;

	gmtime_r(&now, &tm);
	strftime(date, 17, "%Y%m%dT%H%M%SZ", &tm);
}

/* AWS URI encoding into palloc'd memory. */
static char *
uri_encode(const char *s)
{
	char	   *enc = bedrock_sigv4_uri_encode(s, strlen(s));
	char	   *result;

	if (enc == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory")));
	result = pstrdup(enc);
	free(enc);
	return result;
}

/*
 * The base URL for a region: the endpoint option with {region} replaced, or
 * AWS's regional endpoint.  No trailing slash.
 */
char *
bedrock_api_endpoint_url(const char *endpoint, const char *region)
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

/*
 * A signed request.  The Host header is set explicitly so that what is
 * signed is exactly what curl sends.
 */
static BedrockHttpRequest *
build_request(BedrockClient *client, const char *region, const char *method,
			  const char *path, const char *query, const char *body,
			  const char *amz_date)
{
	BedrockCredentials *creds = client->credentials;
	BedrockHttpRequest *req = palloc0(sizeof(BedrockHttpRequest));
	char	   *base = bedrock_api_endpoint_url(client->options->endpoint, region);
	const char *authority = strstr(base, "://") + 3;
	const char *path_prefix = strchr(authority, '/');
	char	   *host;
	char	   *full_path;
	SigV4Header headers[4];
	int			nheaders = 0;
	SigV4Request sreq;
	SigV4Context sctx;
	SigV4Result sres;
	const char *why;

	host = path_prefix ? pnstrdup(authority, path_prefix - authority) : pstrdup(authority);
	full_path = psprintf("%s%s", path_prefix ? path_prefix : "", path);

	headers[nheaders++] = (SigV4Header) {"host", host};
	headers[nheaders++] = (SigV4Header) {"x-amz-date", amz_date};
	if (creds->session_token)
		headers[nheaders++] = (SigV4Header) {"x-amz-security-token", creds->session_token};
	if (body)
		headers[nheaders++] = (SigV4Header) {"content-type", "application/json"};

	memset(&sreq, 0, sizeof(sreq));
	sreq.method = method;
	sreq.path = full_path;
	sreq.query = query;
	sreq.headers = headers;
	sreq.nheaders = nheaders;
	sreq.payload = (const unsigned char *) body;
	sreq.payload_len = body ? strlen(body) : 0;

	memset(&sctx, 0, sizeof(sctx));
	sctx.access_key_id = creds->access_key_id;
	sctx.secret_access_key = creds->secret_access_key;
	sctx.region = region;
	sctx.service = "bedrock";
	sctx.amz_date = amz_date;
	sctx.normalize_path = true;

	if (!bedrock_sigv4_sign(&sreq, &sctx, &sres, &why))
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("could not sign Bedrock request: %s", why)));

	req->method = method;
	req->url = query && query[0]
		? psprintf("%s%s?%s", base, path, query)
		: psprintf("%s%s", base, path);
	req->headers = list_make2(psprintf("Host: %s", host),
							  psprintf("X-Amz-Date: %s", amz_date));
	if (creds->session_token)
		req->headers = lappend(req->headers,
							   psprintf("X-Amz-Security-Token: %s", creds->session_token));
	if (body)
		req->headers = lappend(req->headers, "Content-Type: application/json");
	req->headers = lappend(req->headers, psprintf("Authorization: %s", sres.authorization));
	req->headers = lappend(req->headers, "Accept: application/json");
	/* no "Expect: 100-continue" round trip for bodies */
	req->headers = lappend(req->headers, "Expect:");
	bedrock_sigv4_free_result(&sres);

	req->body = body;
	req->body_len = body ? strlen(body) : 0;
	return req;
}

/* Run a batch of requests with the server's HTTP settings. */
static void
run_requests(BedrockClient *client, BedrockHttpRequest **reqs, int n)
{
	BedrockHttpConfig config;

	config.connect_timeout_ms = client->options->connect_timeout_ms;
	config.request_timeout_ms = client->options->request_timeout_ms;
	config.max_concurrency = client->options->max_concurrency;
	config.max_response_bytes = MAX_RESPONSE_BYTES;
	bedrock_http_run(reqs, n, &config);
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

/* Raise the ERROR for a failed request: no response, or a non-2xx one. */
static void
report_failure(const char *op, const char *region, BedrockHttpRequest *req)
{
	const char *why;
	BedrockJson *doc = NULL;
	char	   *type = NULL;
	char	   *message = NULL;
	int			code;
	const char *hint = NULL;

	if (req->transport_error)
	{
		ereport(ERROR,
				(errcode(req->too_large ? ERRCODE_PROGRAM_LIMIT_EXCEEDED
						 : ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
				 errmsg("Bedrock %s in region %s failed: %s",
						op, region,
						req->too_large ? "response too large"
						: req->timed_out ? "request timed out" : "no response"),
				 errdetail("%s: %s.", req->url,
						   clean_text(req->transport_error,
									  strlen(req->transport_error)))));
	}

	if (req->response_len > 0)
		doc = bedrock_json_parse(req->response, req->response_len, &why);
	if (req->error_type)
		type = clean_error_type(req->error_type);
	else if (doc)
	{
		const char *keys[] = {"code", "Code", "__type"};
		int			i;

		for (i = 0; i < lengthof(keys) && type == NULL; i++)
		{
			size_t		len;
			const char *s = bedrock_json_string(bedrock_json_member(doc, keys[i]), &len);

			if (s)
				type = clean_error_type(pnstrdup(s, len));
		}
	}
	if (doc)
	{
		size_t		len;
		const char *s = bedrock_json_string(bedrock_json_member(doc, "message"), &len);

		if (s == NULL)
			s = bedrock_json_string(bedrock_json_member(doc, "Message"), &len);
		if (s)
			message = clean_text(s, len);
	}
	else if (req->response_len > 0)
		message = clean_text(req->response, req->response_len);

	if (req->status == 401 || req->status == 403)
	{
		if (type && (strcmp(type, "AccessDeniedException") == 0))
		{
			code = ERRCODE_INSUFFICIENT_PRIVILEGE;
			hint = "Check the IAM permissions of the credentials in the user mapping.";
		}
		else
		{
			code = ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION;
			hint = "Check the AWS credentials in the user mapping.";
		}
	}
	else if (req->status == 404)
		code = ERRCODE_UNDEFINED_OBJECT;
	else if (req->status == 429)
	{
		code = ERRCODE_CONFIGURATION_LIMIT_EXCEEDED;
		hint = "Bedrock is throttling requests; retry later or lower the server option \"max_concurrency\".";
	}
	else if (req->status >= 400 && req->status < 500)
		code = ERRCODE_INVALID_PARAMETER_VALUE;
	else
		code = ERRCODE_FDW_ERROR;

	ereport(ERROR,
			(errcode(code),
			 errmsg("Bedrock %s in region %s failed with HTTP status %ld",
					op, region, req->status),
			 errdetail("AWS error %s: %s (request id %s).",
					   type ? type : "(none)",
					   message ? message : "(no message)",
					   req->request_id ? clean_text(req->request_id, strlen(req->request_id)) : "(none)"),
			 hint ? errhint("%s", hint) : 0));
}

/* The parsed JSON object of a successful response; anything else is an ERROR. */
static BedrockJson *
check_and_parse(const char *op, const char *region, BedrockHttpRequest *req)
{
	BedrockJson *doc;
	const char *why;

	if (req->transport_error || req->status < 200 || req->status > 299)
		report_failure(op, region, req);

	doc = bedrock_json_parse(req->response, req->response_len, &why);
	if (doc == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_JSON_TEXT),
				 errmsg("Bedrock %s in region %s returned an invalid response: %s",
						op, region, why),
				 errdetail("Response begins: %s (request id %s).",
						   clean_text(req->response, Min(req->response_len, 80)),
						   req->request_id ? clean_text(req->request_id, strlen(req->request_id)) : "(none)")));
	if (bedrock_json_type(doc) != BEDROCK_JSON_OBJECT)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("Bedrock %s in region %s returned a JSON %s, expected an object",
						op, region, bedrock_json_type_name(doc))));
	return doc;
}

/*
 * One page of ListModelCustomizationJobs.  Returns the response object; its
 * modelCustomizationJobSummaries is checked to be an array if present.
 */
BedrockJson *
bedrock_api_list_jobs(BedrockClient *client, const char *region,
					  const BedrockListParams *params)
{
	StringInfoData query;
	char		date[17];
	BedrockHttpRequest *req;
	BedrockJson *doc;
	BedrockJson *jobs;
	BedrockJson *token;

	initStringInfo(&query);
	appendStringInfo(&query, "maxResults=%d", params->max_results);
	if (params->next_token)
		appendStringInfo(&query, "&nextToken=%s", uri_encode(params->next_token));
	if (params->status)
		appendStringInfo(&query, "&statusEquals=%s", uri_encode(params->status));

	amz_now(date);
	req = build_request(client, region, "GET", "/model-customization-jobs",
						query.data, NULL, date);
	run_requests(client, &req, 1);
	doc = check_and_parse(OP_LIST, region, req);

	jobs = bedrock_json_member(doc, "modelCustomizationJobSummaries");
	if (jobs && bedrock_json_type(jobs) != BEDROCK_JSON_ARRAY)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("Bedrock %s in region %s returned a JSON %s for modelCustomizationJobSummaries, expected an array",
						OP_LIST, region, bedrock_json_type_name(jobs))));
	token = bedrock_json_member(doc, "nextToken");
	if (token && bedrock_json_type(token) != BEDROCK_JSON_STRING)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("Bedrock %s in region %s returned a JSON %s for nextToken, expected a string",
						OP_LIST, region, bedrock_json_type_name(token))));
	return doc;
}

/*
 * GetModelCustomizationJob and/or ListTagsForResource for each job, all
 * sent concurrently.  jobs (tags) is filled when not NULL.
 */
void
bedrock_api_describe_jobs(BedrockClient *client, const char *region,
						  const char *const *job_arns, int njobs,
						  BedrockJson **jobs, BedrockJson **tags)
{
	BedrockHttpRequest **reqs;
	int			nreqs = 0;
	int			i;
	char		date[17];

	if (njobs == 0 || (jobs == NULL && tags == NULL))
		return;
	amz_now(date);
	reqs = palloc(sizeof(BedrockHttpRequest *) * njobs * 2);
	for (i = 0; i < njobs; i++)
	{
		if (jobs)
			reqs[nreqs++] = build_request(client, region, "GET",
										  psprintf("/model-customization-jobs/%s",
												   uri_encode(job_arns[i])),
										  NULL, NULL, date);
		if (tags)
		{
			StringInfoData body;

			initStringInfo(&body);
			appendStringInfoString(&body, "{\"resourceARN\":");
			escape_json(&body, job_arns[i]);
			appendStringInfoChar(&body, '}');
			reqs[nreqs++] = build_request(client, region, "POST",
										  "/listTagsForResource", NULL,
										  body.data, date);
		}
	}

	run_requests(client, reqs, nreqs);

	nreqs = 0;
	for (i = 0; i < njobs; i++)
	{
		if (jobs)
			jobs[i] = check_and_parse(OP_GET, region, reqs[nreqs++]);
		if (tags)
			tags[i] = check_and_parse(OP_TAGS, region, reqs[nreqs++]);
	}
	pfree(reqs);
}
