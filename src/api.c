/*-------------------------------------------------------------------------
 * api.c
 *	  The Bedrock calls bedrock_fdw makes: a resource's List and Get, as its
 *	  descriptor says, and ListTagsForResource; performed through call.c.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/json.h"

#include "bedrock_fdw.h"
#include "sigv4.h"

#define TAGGING_ENDPOINT_TEMPLATE "https://tagging.{region}.amazonaws.com"

static char *uri_encode(const char *s);

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

/* Append "&name=value" (no '&' first), value URI-encoded. */
static void
append_param(StringInfo query, const char *name, const char *value)
{
	appendStringInfo(query, "%s%s=%s", query->len ? "&" : "", name,
					 uri_encode(value));
}

/* A resource's List call for one page. */
void
bedrock_api_list_call(BedrockCall *call, const char *region,
					  const BedrockListParams *params)
{
	const BedrockResource *res = params->resource;
	StringInfoData query;
	int			i;

	initStringInfo(&query);
	if (res->paginated)
	{
		appendStringInfo(&query, "maxResults=%d", params->max_results);
		if (params->next_token)
			append_param(&query, "nextToken", params->next_token);
	}
	if (params->status)
		append_param(&query, res->status.param, params->status);
	for (i = 0; i < BEDROCK_MAX_EQUALS && res->equals[i].param; i++)
	{
		if (params->equals[i])
			append_param(&query, res->equals[i].param, params->equals[i]);
	}
	if (params->created_after)
		append_param(&query, res->time_after, params->created_after);
	if (params->created_before)
		append_param(&query, res->time_before, params->created_before);
	if (params->name_contains)
		append_param(&query, res->contains_param, params->name_contains);
	if (params->sort_order != 0)
	{
		append_param(&query, "sortBy", res->sort_by);
		append_param(&query, "sortOrder",
					 params->sort_order > 0 ? "Ascending" : "Descending");
	}

	memset(call, 0, sizeof(*call));
	call->op = res->list_op;
	call->region = region;
	call->method = "GET";
	call->path = res->list_path;
	call->query = query.len ? query.data : NULL;
}

/*
 * The summaries of a performed List call (NULL when there are none) and its
 * nextToken (NULL when absent, null or empty: the last page).  Members of
 * the wrong JSON type are an ERROR.
 */
BedrockJson *
bedrock_api_list_result(BedrockCall *call, const BedrockResource *res,
						const char **next_token)
{
	BedrockJson *items = bedrock_json_member(call->result, res->list_member);
	BedrockJson *token = res->paginated
		? bedrock_json_member(call->result, "nextToken") : NULL;
	size_t		len;

	if (items && bedrock_json_type(items) != BEDROCK_JSON_ARRAY)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("Bedrock %s in region %s returned a JSON %s for %s, expected an array",
						call->op, call->region, bedrock_json_type_name(items),
						res->list_member)));
	if (token && bedrock_json_type(token) != BEDROCK_JSON_STRING)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("Bedrock %s in region %s returned a JSON %s for nextToken, expected a string",
						call->op, call->region, bedrock_json_type_name(token))));
	*next_token = token ? bedrock_json_string(token, &len) : NULL;
	if (*next_token && len == 0)
		*next_token = NULL;
	return items;
}

/* A resource's Get call by ARN, name or id. */
void
bedrock_api_get_call(BedrockCall *call, const BedrockResource *res,
					 const char *region, const char *id, bool missing_ok)
{
	memset(call, 0, sizeof(*call));
	call->op = res->get_op;
	call->region = region;
	call->method = "GET";
	call->path = psprintf("%s%s", res->get_path, uri_encode(id));
	call->missing_ok = missing_ok;
}

/*
 * The resource of a performed Get call (NULL when there is none): the
 * answer, or its member that holds the resource.  A wrapper of the wrong
 * JSON type is an ERROR.
 */
BedrockJson *
bedrock_api_get_result(BedrockCall *call, const BedrockResource *res)
{
	BedrockJson *got;

	if (call->result == NULL || res->get_wrapper == NULL)
		return call->result;
	got = bedrock_json_member(call->result, res->get_wrapper);
	if (got == NULL || bedrock_json_type(got) != BEDROCK_JSON_OBJECT)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("Bedrock %s in region %s returned a JSON %s for %s, expected an object",
						call->op, call->region,
						got ? bedrock_json_type_name(got) : "null", res->get_wrapper)));
	return got;
}

/* A ListTagsForResource call for a resource's ARN. */
void
bedrock_api_tags_call(BedrockCall *call, const char *region, const char *arn)
{
	StringInfoData body;

	initStringInfo(&body);
	appendStringInfoString(&body, "{\"resourceARN\":");
	escape_json(&body, arn);
	appendStringInfoChar(&body, '}');

	memset(call, 0, sizeof(*call));
	call->op = "ListTagsForResource";
	call->region = region;
	call->method = "POST";
	call->path = "/listTagsForResource";
	call->body = body.data;
}

/*
 * A Resource Groups Tagging API GetResources call for up to 100 ARNs of one
 * region (ResourceARNList, which takes no paging): the tags of those that
 * have any.  AccessDenied (no tag:GetResources) is not an error: the call
 * is marked denied, and the scan falls back to ListTagsForResource.
 */
void
bedrock_api_bulk_tags_call(BedrockCall *call, const char *endpoint,
						   const char *region, char **arns, int n)
{
	StringInfoData body;
	int			i;

	Assert(n >= 1 && n <= BEDROCK_TAGGING_MAX_ARNS);
	initStringInfo(&body);
	appendStringInfoString(&body, "{\"ResourceARNList\":[");
	for (i = 0; i < n; i++)
	{
		if (i > 0)
			appendStringInfoChar(&body, ',');
		escape_json(&body, arns[i]);
	}
	appendStringInfoString(&body, "]}");

	memset(call, 0, sizeof(*call));
	call->service = "Resource Groups Tagging API";
	call->op = "GetResources";
	call->region = region;
	call->signing_name = "tagging";
	call->base_url = bedrock_endpoint_url(endpoint ? endpoint : TAGGING_ENDPOINT_TEMPLATE,
										  region);
	call->method = "POST";
	call->path = "/";
	call->headers = list_make1("X-Amz-Target: ResourceGroupsTaggingAPI_20170126.GetResources");
	call->content_type = "application/x-amz-json-1.1";
	call->body = body.data;
	call->format = BEDROCK_BODY_JSON;
	call->denied_ok = true;
}

/*
 * The ResourceTagMappingList of a GetResources answer: an array (empty when
 * absent or null); another JSON type is an ERROR.
 */
BedrockJson *
bedrock_api_bulk_tags_result(BedrockCall *call)
{
	BedrockJson *list = bedrock_json_member(call->result, "ResourceTagMappingList");

	if (list != NULL && bedrock_json_type(list) != BEDROCK_JSON_ARRAY &&
		bedrock_json_type(list) != BEDROCK_JSON_NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("Resource Groups Tagging API GetResources in region %s returned a JSON %s for ResourceTagMappingList, expected an array",
						call->region, bedrock_json_type_name(list))));
	return list && bedrock_json_type(list) == BEDROCK_JSON_ARRAY ? list : NULL;
}
