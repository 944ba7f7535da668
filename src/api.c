/*-------------------------------------------------------------------------
 * api.c
 *	  The Bedrock operations bedrock_fdw uses: their paths, parameters and
 *	  response shapes, performed through call.c.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/json.h"

#include "bedrock_fdw.h"
#include "sigv4.h"

#define OP_LIST "ListModelCustomizationJobs"
#define OP_GET "GetModelCustomizationJob"
#define OP_TAGS "ListTagsForResource"

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

/* A ListModelCustomizationJobs call for one page. */
void
bedrock_api_list_call(BedrockCall *call, const char *region,
					  const BedrockListParams *params)
{
	StringInfoData query;

	initStringInfo(&query);
	appendStringInfo(&query, "maxResults=%d", params->max_results);
	if (params->next_token)
		appendStringInfo(&query, "&nextToken=%s", uri_encode(params->next_token));
	if (params->status)
		appendStringInfo(&query, "&statusEquals=%s", uri_encode(params->status));
	if (params->created_after)
		appendStringInfo(&query, "&creationTimeAfter=%s", uri_encode(params->created_after));
	if (params->created_before)
		appendStringInfo(&query, "&creationTimeBefore=%s", uri_encode(params->created_before));
	if (params->name_contains)
		appendStringInfo(&query, "&nameContains=%s", uri_encode(params->name_contains));
	if (params->sort_order != 0)
		appendStringInfo(&query, "&sortBy=CreationTime&sortOrder=%s",
						 params->sort_order > 0 ? "Ascending" : "Descending");

	memset(call, 0, sizeof(*call));
	call->op = OP_LIST;
	call->region = region;
	call->method = "GET";
	call->path = "/model-customization-jobs";
	call->query = query.data;
}

/*
 * The job summaries of a performed List call (NULL when there are none) and
 * its nextToken (NULL when absent, null or empty: the last page).  Members
 * of the wrong JSON type are an ERROR.
 */
BedrockJson *
bedrock_api_list_result(BedrockCall *call, const char **next_token)
{
	BedrockJson *jobs = bedrock_json_member(call->result, "modelCustomizationJobSummaries");
	BedrockJson *token = bedrock_json_member(call->result, "nextToken");
	size_t		len;

	if (jobs && bedrock_json_type(jobs) != BEDROCK_JSON_ARRAY)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("Bedrock %s in region %s returned a JSON %s for modelCustomizationJobSummaries, expected an array",
						OP_LIST, call->region, bedrock_json_type_name(jobs))));
	if (token && bedrock_json_type(token) != BEDROCK_JSON_STRING)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("Bedrock %s in region %s returned a JSON %s for nextToken, expected a string",
						OP_LIST, call->region, bedrock_json_type_name(token))));
	*next_token = token ? bedrock_json_string(token, &len) : NULL;
	if (*next_token && len == 0)
		*next_token = NULL;
	return jobs;
}

/* A GetModelCustomizationJob call by ARN or name. */
void
bedrock_api_get_call(BedrockCall *call, const char *region, const char *job_id,
					 bool missing_ok)
{
	memset(call, 0, sizeof(*call));
	call->op = OP_GET;
	call->region = region;
	call->method = "GET";
	call->path = psprintf("/model-customization-jobs/%s", uri_encode(job_id));
	call->missing_ok = missing_ok;
}

/* A ListTagsForResource call for a job. */
void
bedrock_api_tags_call(BedrockCall *call, const char *region, const char *job_arn)
{
	StringInfoData body;

	initStringInfo(&body);
	appendStringInfoString(&body, "{\"resourceARN\":");
	escape_json(&body, job_arn);
	appendStringInfoChar(&body, '}');

	memset(call, 0, sizeof(*call));
	call->op = OP_TAGS;
	call->region = region;
	call->method = "POST";
	call->path = "/listTagsForResource";
	call->body = body.data;
}
