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

#define AWS_ENDPOINT_TEMPLATE "https://bedrock.{region}.amazonaws.com"

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
 * One page of ListModelCustomizationJobs.  Returns the response object,
 * whose modelCustomizationJobSummaries is checked to be an array if present,
 * or NULL when the region is unavailable and skipped.
 */
BedrockJson *
bedrock_api_list_jobs(BedrockClient *client, const char *region,
					  const BedrockListParams *params)
{
	StringInfoData query;
	BedrockCall call;
	BedrockJson *doc;
	BedrockJson *jobs;
	BedrockJson *token;

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

	memset(&call, 0, sizeof(call));
	call.op = OP_LIST;
	call.method = "GET";
	call.path = "/model-customization-jobs";
	call.query = query.data;
	if (!bedrock_perform_calls(client, region, &call, 1))
		return NULL;
	doc = call.result;

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
 * sent concurrently.  jobs (tags) is filled when not NULL.  Returns false
 * when the region is unavailable and skipped.
 */
bool
bedrock_api_describe_jobs(BedrockClient *client, const char *region,
						  const char *const *job_arns, int njobs,
						  BedrockJson **jobs, BedrockJson **tags)
{
	BedrockCall *calls;
	int			ncalls = 0;
	int			i;

	if (njobs == 0 || (jobs == NULL && tags == NULL))
		return true;
	calls = palloc0(sizeof(BedrockCall) * njobs * 2);
	for (i = 0; i < njobs; i++)
	{
		if (jobs)
		{
			calls[ncalls].op = OP_GET;
			calls[ncalls].method = "GET";
			calls[ncalls].path = psprintf("/model-customization-jobs/%s",
										  uri_encode(job_arns[i]));
			ncalls++;
		}
		if (tags)
		{
			StringInfoData body;

			initStringInfo(&body);
			appendStringInfoString(&body, "{\"resourceARN\":");
			escape_json(&body, job_arns[i]);
			appendStringInfoChar(&body, '}');
			calls[ncalls].op = OP_TAGS;
			calls[ncalls].method = "POST";
			calls[ncalls].path = "/listTagsForResource";
			calls[ncalls].body = body.data;
			ncalls++;
		}
	}

	if (!bedrock_perform_calls(client, region, calls, ncalls))
		return false;

	ncalls = 0;
	for (i = 0; i < njobs; i++)
	{
		if (jobs)
			jobs[i] = calls[ncalls++].result;
		if (tags)
			tags[i] = calls[ncalls++].result;
	}
	pfree(calls);
	return true;
}

/*
 * GetModelCustomizationJob for each identifier (ARN or name), concurrently.
 * jobs[i] is NULL for a job that does not exist.  Returns false when the
 * region is unavailable and skipped.
 */
bool
bedrock_api_get_jobs(BedrockClient *client, const char *region,
					 const char *const *job_ids, int njobs, BedrockJson **jobs)
{
	BedrockCall *calls;
	int			i;

	if (njobs == 0)
		return true;
	calls = palloc0(sizeof(BedrockCall) * njobs);
	for (i = 0; i < njobs; i++)
	{
		calls[i].op = OP_GET;
		calls[i].method = "GET";
		calls[i].path = psprintf("/model-customization-jobs/%s",
								 uri_encode(job_ids[i]));
		calls[i].missing_ok = true;
	}
	if (!bedrock_perform_calls(client, region, calls, njobs))
		return false;
	for (i = 0; i < njobs; i++)
		jobs[i] = calls[i].result;
	pfree(calls);
	return true;
}
