/*-------------------------------------------------------------------------
 * sts.c
 *	  AWS STS: AssumeRole (SigV4, service "sts") and
 *	  AssumeRoleWithWebIdentity (unsigned, as in the SDKs), sent through
 *	  call.c like every other request, their XML answers read with libxml2.
 *
 * The XML parser is set up for hostile input: no network, no DTD loading,
 * no entity substitution, and a document with a DTD at all is refused.
 * libxml2's memory is freed before anything can raise an ERROR.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "bedrock_fdw.h"
#include "sigv4.h"

#define STS_ENDPOINT_TEMPLATE "https://sts.{region}.amazonaws.com"
#define STS_VERSION "2011-06-15"
#define MAX_XML_BYTES (1024 * 1024)

/* What an STS answer holds; strings palloc'd. */
typedef struct StsAnswer
{
	char	   *access_key_id;
	char	   *secret_access_key;
	char	   *session_token;
	char	   *expiration;
} StsAnswer;

static xmlDocPtr parse_xml(const char *data, size_t len);
static xmlNodePtr child(xmlNodePtr node, const char *name);
static char *node_text(xmlNodePtr node);
static bool read_answer(const char *xml, size_t len, const char *action,
						StsAnswer *answer);
static void append_param(StringInfo buf, const char *name, const char *value);
static void assume(const BedrockServerOptions *opts, BedrockCredentials *base,
				   const char *action, const char *body, const char *role_arn,
				   BedrockCredentials *creds);

/*
 * Parse untrusted XML; NULL if it is not well-formed or carries a DTD.
 * The caller frees the document with xmlFreeDoc().
 */
static xmlDocPtr
parse_xml(const char *data, size_t len)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr	doc;
	const char *start;

	if (len == 0 || len > MAX_XML_BYTES)
		return NULL;
	/*
	 * STS sends UTF-8 XML without a DTD: refuse anything else before
	 * libxml2 reads it at all (it would report a UTF-16 guess on stderr).
	 */
	start = data;
	while (start < data + len && (*start == ' ' || *start == '\t' ||
								  *start == '\r' || *start == '\n'))
		start++;
	if (start == data + len || *start != '<' ||
		memmem(data, len, "<!DOCTYPE", 9) != NULL ||
		memmem(data, len, "<!ENTITY", 8) != NULL)
		return NULL;
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL)
		return NULL;
	doc = xmlCtxtReadMemory(ctxt, data, (int) len, NULL, "UTF-8",
							XML_PARSE_NONET | XML_PARSE_NOERROR |
							XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (doc != NULL && (!ctxt->wellFormed || doc->intSubset != NULL ||
						doc->extSubset != NULL))
	{
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

/* The first element child of node with the given local name, or NULL. */
static xmlNodePtr
child(xmlNodePtr node, const char *name)
{
	xmlNodePtr	c;

	if (node == NULL)
		return NULL;
	for (c = node->children; c; c = c->next)
	{
		if (c->type == XML_ELEMENT_NODE &&
			strcmp((const char *) c->name, name) == 0)
			return c;
	}
	return NULL;
}

/*
 * The text of an element that holds only text, palloc'd; NULL if absent.
 * Nothing here raises an ERROR but running out of memory.
 */
static char *
node_text(xmlNodePtr node)
{
	xmlChar    *content;
	char	   *text;

	if (node == NULL)
		return NULL;
	content = xmlNodeGetContent(node);
	if (content == NULL)
		return NULL;
	text = palloc_extended(strlen((char *) content) + 1, MCXT_ALLOC_NO_OOM);
	if (text)
		strcpy(text, (char *) content);
	explicit_bzero(content, strlen((char *) content));
	xmlFree(content);
	return text;
}

/*
 * Read <ActionResponse><ActionResult><Credentials>...  False if the
 * document is not such an answer.
 */
static bool
read_answer(const char *xml, size_t len, const char *action, StsAnswer *answer)
{
	xmlDocPtr	doc = parse_xml(xml, len);
	xmlNodePtr	root;
	xmlNodePtr	creds;
	char		name[64];

	memset(answer, 0, sizeof(*answer));
	if (doc == NULL)
		return false;
	root = xmlDocGetRootElement(doc);
	snprintf(name, sizeof(name), "%sResponse", action);
	if (root == NULL || strcmp((const char *) root->name, name) != 0)
	{
		xmlFreeDoc(doc);
		return false;
	}
	snprintf(name, sizeof(name), "%sResult", action);
	creds = child(child(root, name), "Credentials");
	answer->access_key_id = node_text(child(creds, "AccessKeyId"));
	answer->secret_access_key = node_text(child(creds, "SecretAccessKey"));
	answer->session_token = node_text(child(creds, "SessionToken"));
	answer->expiration = node_text(child(creds, "Expiration"));
	xmlFreeDoc(doc);
	return true;
}

/*
 * The Code and Message of an STS <ErrorResponse>, palloc'd; false if the
 * body is not one.
 */
bool
bedrock_sts_error(const char *xml, size_t len, char **code, char **message)
{
	xmlDocPtr	doc = parse_xml(xml, len);
	xmlNodePtr	root;
	xmlNodePtr	error;

	*code = NULL;
	*message = NULL;
	if (doc == NULL)
		return false;
	root = xmlDocGetRootElement(doc);
	if (root == NULL || strcmp((const char *) root->name, "ErrorResponse") != 0)
	{
		xmlFreeDoc(doc);
		return false;
	}
	error = child(root, "Error");
	*code = node_text(child(error, "Code"));
	*message = node_text(child(error, "Message"));
	xmlFreeDoc(doc);
	return true;
}

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
 * Send one STS action (signed with base, or unsigned when base is NULL) to
 * the regional endpoint of the server's first region, and read the
 * credentials it answers with.
 */
static void
assume(const BedrockServerOptions *opts, BedrockCredentials *base,
	   const char *action, const char *body, const char *role_arn,
	   BedrockCredentials *creds)
{
	BedrockServerOptions sts_opts = *opts;
	BedrockClient client;
	BedrockCall call;
	StsAnswer answer;
	TimestampTz expiration;
	const char *region = linitial(opts->regions);
	const char *tmpl = opts->sts_endpoint ? opts->sts_endpoint : STS_ENDPOINT_TEMPLATE;

	/* credentials are never cached as answers, nor skipped */
	sts_opts.cache_ttl = 0;
	sts_opts.skip_unavailable_regions = false;

	memset(&client, 0, sizeof(client));
	client.options = &sts_opts;
	client.credentials = base;
	client.retry_tokens = BEDROCK_RETRY_TOKENS;

	memset(&call, 0, sizeof(call));
	call.service = "STS";
	call.op = action;
	call.region = region;
	call.signing_name = "sts";
	call.anonymous = (base == NULL);
	call.base_url = bedrock_api_endpoint_url(tmpl, region);
	call.method = "POST";
	call.path = "/";
	call.body = body;
	call.content_type = "application/x-www-form-urlencoded; charset=utf-8";
	call.format = BEDROCK_BODY_XML;
	call.sensitive = true;
	bedrock_perform_calls(&client, &call, 1);

	if (!read_answer(call.req->response, call.req->response_len, action, &answer) ||
		answer.access_key_id == NULL || answer.secret_access_key == NULL ||
		answer.session_token == NULL || answer.expiration == NULL)
	{
		if (answer.secret_access_key)
			explicit_bzero(answer.secret_access_key, strlen(answer.secret_access_key));
		if (answer.session_token)
			explicit_bzero(answer.session_token, strlen(answer.session_token));
		explicit_bzero(call.req->response, call.req->response_len);
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("STS %s in region %s returned an invalid response",
						action, region),
				 errdetail("Expected an %sResponse with Credentials.", action)));
	}
	explicit_bzero(call.req->response, call.req->response_len);

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

/* AssumeRole with base credentials: cross-account access. */
void
bedrock_sts_assume_role(const BedrockServerOptions *opts,
						BedrockCredentials *base, const char *role_arn,
						const char *external_id, const char *session_name,
						int duration_seconds, BedrockCredentials *creds)
{
	StringInfoData body;

	initStringInfo(&body);
	appendStringInfoString(&body, "Action=AssumeRole&Version=" STS_VERSION);
	append_param(&body, "RoleArn", role_arn);
	append_param(&body, "RoleSessionName",
				 session_name ? session_name : bedrock_default_session_name());
	if (external_id)
		append_param(&body, "ExternalId", external_id);
	if (duration_seconds > 0)
		appendStringInfo(&body, "&DurationSeconds=%d", duration_seconds);
	assume(opts, base, "AssumeRole", body.data, role_arn, creds);
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

	initStringInfo(&body);
	appendStringInfoString(&body, "Action=AssumeRoleWithWebIdentity&Version=" STS_VERSION);
	append_param(&body, "RoleArn", role_arn);
	append_param(&body, "RoleSessionName",
				 session_name ? session_name : bedrock_default_session_name());
	append_param(&body, "WebIdentityToken", token);
	PG_TRY();
	{
		assume(opts, NULL, "AssumeRoleWithWebIdentity", body.data, role_arn, creds);
	}
	PG_FINALLY();
	{
		explicit_bzero(body.data, body.len);
	}
	PG_END_TRY();
}
