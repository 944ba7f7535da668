/*-------------------------------------------------------------------------
 * sts.c
 *	  AWS STS: AssumeRole (SigV4, service "sts") and
 *	  AssumeRoleWithWebIdentity (unsigned, as in the SDKs), sent through
 *	  call.c like every other request, their XML answers read by xml.c.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "bedrock_fdw.h"
#include "sigv4.h"
#include "xml.h"

#define STS_ENDPOINT_TEMPLATE "https://sts.{region}.amazonaws.com"
#define STS_VERSION "2011-06-15"

static void append_param(StringInfo buf, const char *name, const char *value);
static void start_body(StringInfo body, const char *action, const char *role_arn,
					   const char *session_name);
static void assume(const BedrockServerOptions *opts, BedrockCredentials *base,
				   const char *action, int n, char **bodies, char **role_arns,
				   BedrockCredentials *creds, char **failures);
static void read_answer(BedrockCall *call, BedrockCredentials *base,
						const char *role_arn, BedrockCredentials *creds);

/* "&Name=value", the value URI-encoded. */
static void
append_param(StringInfo buf, const char *name, const char *value)
{
	char	   *enc = bedrock_sigv4_uri_encode(value, strlen(value));

	if (enc == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory")));
	appendStringInfo(buf, "&%s=%s", name, enc);
	explicit_bzero(enc, strlen(enc));
	free(enc);
}

/*
 * Send STS actions concurrently (signed with base, or unsigned when base is
 * NULL) to the regional endpoint of the server's home region, and read the
 * credentials each answers with into creds[i].  With failures NULL, the
 * first failure is an ERROR; else failures[i] says why call i failed (its
 * creds[i] untouched) and the others go on.
 */
static void
assume(const BedrockServerOptions *opts, BedrockCredentials *base,
	   const char *action, int n, char **bodies, char **role_arns,
	   BedrockCredentials *creds, char **failures)
{
	BedrockServerOptions sts_opts = *opts;
	BedrockClient client;
	BedrockCall *calls = palloc0(sizeof(BedrockCall) * n);
	const char *region = bedrock_home_region(opts);
	const char *tmpl = opts->sts_endpoint ? opts->sts_endpoint : STS_ENDPOINT_TEMPLATE;
	int			i;

	/* credentials are never cached as answers, nor skipped */
	sts_opts.cache_ttl = 0;
	sts_opts.skip_unavailable_regions = false;

	memset(&client, 0, sizeof(client));
	client.options = &sts_opts;
	client.credentials = base;
	client.retry_tokens = BEDROCK_RETRY_TOKENS;

	for (i = 0; i < n; i++)
	{
		BedrockCall *call = &calls[i];

		call->service = "STS";
		call->op = action;
		call->region = region;
		call->signing_name = "sts";
		call->anonymous = (base == NULL);
		call->base_url = bedrock_endpoint_url(tmpl, region);
		call->method = "POST";
		call->path = "/";
		call->body = bodies[i];
		call->content_type = "application/x-www-form-urlencoded; charset=utf-8";
		call->format = BEDROCK_BODY_XML;
		call->sensitive = true;
		call->failure_ok = (failures != NULL);
	}
	bedrock_perform_calls(&client, calls, n);

	PG_TRY();
	{
		for (i = 0; i < n; i++)
		{
			if (calls[i].skipped)
				failures[i] = bedrock_call_failure(&calls[i]);
			else
				read_answer(&calls[i], base, role_arns[i], &creds[i]);
		}
	}
	PG_FINALLY();
	{
		/* the answers not read yet hold secrets too */
		for (i = 0; i < n; i++)
		{
			if (calls[i].req && calls[i].req->response)
				explicit_bzero(calls[i].req->response, calls[i].req->response_len);
		}
	}
	PG_END_TRY();
}

/* The credentials of an STS answer, checked; the answer is zeroed. */
static void
read_answer(BedrockCall *call, BedrockCredentials *base, const char *role_arn,
			BedrockCredentials *creds)
{
	BedrockXmlCredentials xml;
	BedrockXmlCredentials answer;	/* palloc'd copies */
	bool		ok;
	TimestampTz expiration;
	const char *action = call->op;
	const char *region = call->region;

	ok = bedrock_xml_credentials(call->req->response, call->req->response_len,
								 action, &xml) &&
		xml.access_key_id && xml.secret_access_key && xml.session_token &&
		xml.expiration;
	explicit_bzero(call->req->response, call->req->response_len);
	if (ok)
	{
		/* palloc'd copies, zeroed below; no ERROR may come before the free */
		answer.access_key_id = palloc_extended(strlen(xml.access_key_id) + 1, MCXT_ALLOC_NO_OOM);
		answer.secret_access_key = palloc_extended(strlen(xml.secret_access_key) + 1, MCXT_ALLOC_NO_OOM);
		answer.session_token = palloc_extended(strlen(xml.session_token) + 1, MCXT_ALLOC_NO_OOM);
		answer.expiration = palloc_extended(strlen(xml.expiration) + 1, MCXT_ALLOC_NO_OOM);
		ok = answer.access_key_id && answer.secret_access_key &&
			answer.session_token && answer.expiration;
		if (ok)
		{
			strcpy(answer.access_key_id, xml.access_key_id);
			strcpy(answer.secret_access_key, xml.secret_access_key);
			strcpy(answer.session_token, xml.session_token);
			strcpy(answer.expiration, xml.expiration);
		}
	}
	bedrock_xml_free_credentials(&xml);
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("STS %s in region %s returned an invalid response",
						action, region),
				 errdetail("Expected an %sResponse with Credentials.", action)));

	PG_TRY();
	{
		/* checked first: on an ERROR here creds holds no copy of the secrets */
		expiration = bedrock_parse_expiration(answer.expiration,
											  strlen(answer.expiration),
											  psprintf("STS %s in region %s",
													   action, region));
		bedrock_static_credentials(answer.access_key_id, answer.secret_access_key,
								   answer.session_token,
								   psprintf("role %s, assumed with %s", role_arn,
											base ? base->source : "a web identity token"),
								   creds);
		creds->expiration = expiration;
	}
	PG_FINALLY();
	{
		explicit_bzero(answer.secret_access_key, strlen(answer.secret_access_key));
		explicit_bzero(answer.session_token, strlen(answer.session_token));
	}
	PG_END_TRY();
}

/* The parameters every assume call has: action, version, role, session. */
static void
start_body(StringInfo body, const char *action, const char *role_arn,
		   const char *session_name)
{
	initStringInfo(body);
	appendStringInfo(body, "Action=%s&Version=%s", action, STS_VERSION);
	append_param(body, "RoleArn", role_arn);
	append_param(body, "RoleSessionName",
				 session_name ? session_name : bedrock_default_session_name());
}

/* AssumeRole with base credentials: cross-account access. */
void
bedrock_sts_assume_role(const BedrockServerOptions *opts,
						BedrockCredentials *base, const char *role_arn,
						const char *external_id, const char *session_name,
						int duration_seconds, BedrockCredentials *creds)
{
	bedrock_sts_assume_roles(opts, base, 1, (char **) &role_arn, external_id,
							 session_name, duration_seconds, creds, NULL);
}

/*
 * AssumeRole of several roles with the same base credentials, concurrently:
 * into the accounts of an organization.  failures as for assume().
 */
void
bedrock_sts_assume_roles(const BedrockServerOptions *opts,
						 BedrockCredentials *base, int n, char **role_arns,
						 const char *external_id, const char *session_name,
						 int duration_seconds, BedrockCredentials *creds,
						 char **failures)
{
	char	  **bodies = palloc(sizeof(char *) * Max(n, 1));
	int			i;

	for (i = 0; i < n; i++)
	{
		StringInfoData body;

		start_body(&body, "AssumeRole", role_arns[i], session_name);
		if (external_id)
			append_param(&body, "ExternalId", external_id);
		if (duration_seconds > 0)
			appendStringInfo(&body, "&DurationSeconds=%d", duration_seconds);
		bodies[i] = body.data;
	}
	if (n > 0)
		assume(opts, base, "AssumeRole", n, bodies, role_arns, creds, failures);
}

/* AssumeRoleWithWebIdentity: the token is the proof, the call unsigned. */
void
bedrock_sts_assume_role_with_web_identity(const BedrockServerOptions *opts,
										  const char *role_arn,
										  const char *session_name,
										  const char *token,
										  BedrockCredentials *creds)
{
	StringInfoData body;

	start_body(&body, "AssumeRoleWithWebIdentity", role_arn, session_name);
	append_param(&body, "WebIdentityToken", token);
	PG_TRY();
	{
		assume(opts, NULL, "AssumeRoleWithWebIdentity", 1, &body.data,
			   (char **) &role_arn, creds, NULL);
	}
	PG_FINALLY();
	{
		explicit_bzero(body.data, body.len);
	}
	PG_END_TRY();
}
