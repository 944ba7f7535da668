/*-------------------------------------------------------------------------
 * metadata.c
 *	  Credentials from the machine PostgreSQL runs on: the ECS container
 *	  credentials endpoint and EC2 instance metadata (IMDSv2 only), as the
 *	  AWS SDKs find them.
 *
 * Both are plain HTTP services on link-local or loopback addresses, reached
 * through call.c with short timeouts and never through a proxy.  A machine
 * without instance metadata fails fast: one attempt, one second.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "utils/builtins.h"

#include "bedrock_fdw.h"
#include "sigv4.h"

#define ECS_HOST_URL "http://169.254.170.2"
#define IMDS_URL "http://169.254.169.254"
#define IMDS_URL_IPV6 "http://[fd00:ec2::254]"
#define IMDS_TOKEN_TTL_S 21600

static void metadata_client(const BedrockServerOptions *opts, int timeout_ms,
							int retries, BedrockServerOptions *mopts,
							BedrockClient *client);
static void metadata_call(BedrockCall *call, const char *service, const char *op,
						  const char *base_url, const char *path,
						  const char *method, List *headers,
						  BedrockBodyFormat format);
static bool container_url_allowed(const char *url);
static void split_url(const char *url, char **base, char **path, char **query);
static void wipe_answer(BedrockCall *call);
static void check_imds_code(const BedrockJson *doc);

/*
 * A client for metadata calls, unsigned: the server's TLS settings, short
 * timeouts, no cache.
 */
static void
metadata_client(const BedrockServerOptions *opts, int timeout_ms, int retries,
				BedrockServerOptions *mopts, BedrockClient *client)
{
	*mopts = *opts;
	mopts->connect_timeout_ms = timeout_ms;
	mopts->request_timeout_ms = timeout_ms;
	mopts->max_retries = retries;
	mopts->max_concurrency = 1;
	mopts->max_requests_per_second = 0;
	mopts->cache_ttl = 0;
	mopts->skip_unavailable_regions = false;
	memset(client, 0, sizeof(*client));
	client->options = mopts;
	client->retry_tokens = BEDROCK_RETRY_TOKENS;
}

static void
metadata_call(BedrockCall *call, const char *service, const char *op,
			  const char *base_url, const char *path, const char *method,
			  List *headers, BedrockBodyFormat format)
{
	memset(call, 0, sizeof(*call));
	call->service = service;
	call->op = op;
	call->anonymous = true;
	call->base_url = base_url;
	call->path = path;
	call->method = method;
	call->headers = headers;
	call->format = format;
	call->no_proxy = true;
	call->sensitive = true;
}

/* Zero a metadata answer: it holds credentials or a token. */
static void
wipe_answer(BedrockCall *call)
{
	if (call->req && call->req->response)
		explicit_bzero(call->req->response, call->req->response_len);
}

/* IMDS says whether it could give the role's credentials: "Code": "Success". */
static void
check_imds_code(const BedrockJson *doc)
{
	size_t		len;
	const char *code = bedrock_json_string(bedrock_json_member(doc, "Code"), &len);

	if (code && !(len == 7 && memcmp(code, "Success", 7) == 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
				 errmsg("EC2 instance metadata could not give the instance role's credentials"),
				 errdetail("Its answer's Code is not \"Success\".")));
}

/* "scheme://authority", "/path" and the query (or NULL) of a URL. */
static void
split_url(const char *url, char **base, char **path, char **query)
{
	const char *authority = strstr(url, "://");
	const char *slash;
	const char *q;

	authority = authority ? authority + 3 : url;
	slash = strchr(authority, '/');
	q = strchr(authority, '?');
	if (slash == NULL || (q && q < slash))
		slash = q;
	if (slash == NULL)
	{
		*base = pstrdup(url);
		*path = "/";
		*query = NULL;
		return;
	}
	*base = pnstrdup(url, slash - url);
	*path = q ? pnstrdup(slash, q - slash) : pstrdup(slash);
	if (**path != '/')
		*path = psprintf("/%s", *path);
	*query = q ? pstrdup(q + 1) : NULL;
}

/*
 * The SDKs' rule for AWS_CONTAINER_CREDENTIALS_FULL_URI: https anywhere,
 * http only to loopback or the ECS and EKS Pod Identity agents.
 */
static bool
container_url_allowed(const char *url)
{
	static const char *const hosts[] = {
		"localhost", "[::1]", "169.254.170.2", "169.254.170.23", "[fd00:ec2::23]"
	};
	const char *host;
	size_t		len;
	int			i;

	if (strncmp(url, "https://", 8) == 0)
		host = url + 8;
	else if (strncmp(url, "http://", 7) == 0)
		host = url + 7;
	else
		return false;
	/* user information would let "127.0.0.1@elsewhere" pass for loopback */
	len = strcspn(host, "/?#");
	if (len == 0 || memchr(host, '@', len) != NULL)
		return false;
	if (url[4] == 's')
		return true;
	if (host[0] == '[')
		len = strcspn(host, "]") + 1;
	else
		len = strcspn(host, ":/?");
	if (len < INET_ADDRSTRLEN)
	{
		char		addr[INET_ADDRSTRLEN];
		struct in_addr in;

		/* a dotted quad in 127.0.0.0/8, nothing a resolver would look up */
		memcpy(addr, host, len);
		addr[len] = '\0';
		if (inet_pton(AF_INET, addr, &in) == 1 &&
			(ntohl(in.s_addr) >> 24) == 127)
			return true;
	}
	for (i = 0; i < lengthof(hosts); i++)
	{
		if (strlen(hosts[i]) == len && strncmp(host, hosts[i], len) == 0)
			return true;
	}
	return false;
}

/*
 * ECS (and EKS Pod Identity) container credentials.  False when the
 * environment names no container endpoint.
 */
bool
bedrock_container_credentials(const BedrockServerOptions *opts,
							  BedrockCredentials *creds)
{
	const char *relative = getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	const char *token_file = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *token_env = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	BedrockServerOptions mopts;
	BedrockClient client;
	BedrockCall call;
	char	   *url;
	char	   *base;
	char	   *path;
	char	   *query;
	char	   *token = NULL;
	char	   *auth = NULL;

	if (relative && relative[0])
		url = psprintf("%s%s%s", ECS_HOST_URL, relative[0] == '/' ? "" : "/", relative);
	else if (full && full[0])
	{
		if (!container_url_allowed(full))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("AWS_CONTAINER_CREDENTIALS_FULL_URI must be an https URL, or http to a loopback address or the ECS or EKS credentials agent")));
		url = pstrdup(full);
	}
	else
		return false;
	if (strpbrk(url, " \t\r\n") != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the container credentials URI contains white space")));

	if (token_file && token_file[0])
		token = bedrock_read_secret_file(token_file,
										 "container authorization token file", 16384);
	else if (token_env && token_env[0])
		token = pstrdup(token_env);
	if (token && strpbrk(token, "\r\n") != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the container authorization token contains a line break")));
	if (token)
	{
		auth = psprintf("Authorization: %s", token);
		explicit_bzero(token, strlen(token));
	}

	split_url(url, &base, &path, &query);
	metadata_client(opts, 2000, 2, &mopts, &client);
	metadata_call(&call, "ECS container credentials", "GetCredentials", base,
				  path, "GET", auth ? list_make1(auth) : NIL, BEDROCK_BODY_JSON);
	call.query = query;
	PG_TRY();
	{
		bedrock_perform_calls(&client, &call, 1);

		/*
		 * the source names the endpoint, without a query that might hold a
		 * secret
		 */
		bedrock_credentials_from_json(call.result, "Token",
									  psprintf("container credentials (%s%s)", base, path),
									  creds);
	}
	PG_FINALLY();
	{
		wipe_answer(&call);
		if (auth)
			explicit_bzero(auth, strlen(auth));
	}
	PG_END_TRY();
	return true;
}

/*
 * EC2 instance metadata, IMDSv2: a session token, then the instance role's
 * name, then its credentials.  False, with *why_not set, when instance
 * metadata is disabled or does not answer.
 */
bool
bedrock_instance_credentials(const BedrockServerOptions *opts,
							 BedrockCredentials *creds, char **why_not)
{
	const char *disabled = getenv("AWS_EC2_METADATA_DISABLED");
	const char *endpoint = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	const char *mode = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
	BedrockServerOptions mopts;
	BedrockClient client;
	BedrockCall call;
	char	   *base;
	char	   *token_header;
	char	   *role;
	char	   *enc;
	size_t		len;

	if (disabled && pg_strcasecmp(disabled, "true") == 0)
	{
		*why_not = "disabled by AWS_EC2_METADATA_DISABLED";
		return false;
	}
	if (endpoint && endpoint[0])
	{
		if (bedrock_check_base_url(endpoint, false) != BEDROCK_URL_OK)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("AWS_EC2_METADATA_SERVICE_ENDPOINT must be an http:// or https:// URL with a host and nothing after the path")));
		base = pstrdup(endpoint);
	}
	else if (mode && pg_strcasecmp(mode, "IPv6") == 0)
		base = pstrdup(IMDS_URL_IPV6);
	else
		base = pstrdup(IMDS_URL);
	len = strlen(base);
	while (len > 0 && base[len - 1] == '/')
		base[--len] = '\0';

	/* one attempt with a one-second timeout: most machines have no IMDS */
	metadata_client(opts, 1000, 0, &mopts, &client);

	metadata_call(&call, "EC2 instance metadata", "GetToken", base,
				  "/latest/api/token", "PUT",
				  list_make1(psprintf("X-aws-ec2-metadata-token-ttl-seconds: %d",
									  IMDS_TOKEN_TTL_S)),
				  BEDROCK_BODY_TEXT);
	/* no answer, or a refusal (as IMDS gives when disabled): no IMDS here */
	call.failure_ok = true;
	bedrock_perform_calls(&client, &call, 1);
	if (call.skipped)
	{
		*why_not = call.req->transport_error
			? psprintf("%s: %s", base, call.req->transport_error)
			: psprintf("%s: the token request was answered with HTTP status %ld",
					   base, call.req->status);
		return false;
	}
	token_header = psprintf("X-aws-ec2-metadata-token: %.*s",
							(int) strcspn(call.req->response, "\r\n"),
							call.req->response);
	wipe_answer(&call);

	PG_TRY();
	{
		metadata_call(&call, "EC2 instance metadata", "GetRoleName", base,
					  "/latest/meta-data/iam/security-credentials/", "GET",
					  list_make1(token_header), BEDROCK_BODY_TEXT);
		bedrock_perform_calls(&client, &call, 1);
		role = pnstrdup(call.req->response, strcspn(call.req->response, "\r\n"));
		if (role[0] == '\0' || strpbrk(role, "/") != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
					 errmsg("EC2 instance metadata names no usable instance role"),
					 errhint("Attach an IAM role to the instance.")));
		enc = bedrock_sigv4_uri_encode(role, strlen(role));
		if (enc == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory")));

		metadata_call(&call, "EC2 instance metadata", "GetCredentials", base,
					  psprintf("/latest/meta-data/iam/security-credentials/%s", enc),
					  "GET", list_make1(token_header), BEDROCK_BODY_JSON);
		free(enc);
		bedrock_perform_calls(&client, &call, 1);
		check_imds_code(call.result);
		bedrock_credentials_from_json(call.result, "Token",
									  psprintf("EC2 instance metadata (role %s)",
											   role),
									  creds);
	}
	PG_FINALLY();
	{
		wipe_answer(&call);
		explicit_bzero(token_header, strlen(token_header));
	}
	PG_END_TRY();
	return true;
}
