/*-------------------------------------------------------------------------
 * convert.c
 *	  The column catalog and the conversion of Bedrock API data to the text
 *	  form of each column's value; the PostgreSQL side of the JSON walker.
 *
 * Every value is produced as text in its column's canonical type and read
 * by the declared type's input function, as postgres_fdw does with remote
 * values.  Errors here are raised under the caller's errcontext, which names
 * the column and foreign table.
 *
 * json.c knows nothing of the backend: here a parsed document is tied to a
 * memory context, and walker output is converted to the server encoding.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "awstime.h"
#include "bedrock_fdw.h"

const char *const bedrock_job_statuses[BEDROCK_NSTATUSES] = {
	"InProgress", "Completed", "Failed", "Stopping", "Stopped"
};

const BedrockColumn bedrock_columns[BCOL_NCOLUMNS] = {
	[BCOL_ACCOUNT_ID] = {"account_id", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST},
	[BCOL_REGION] = {"region", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST},
	[BCOL_JOB_ARN] = {"job_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST},
	[BCOL_JOB_NAME] = {"job_name", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST},
	[BCOL_STATUS] = {"status", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST},
	[BCOL_CUSTOMIZATION_TYPE] = {"customization_type", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST},
	[BCOL_BASE_MODEL_ARN] = {"base_model_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST},
	[BCOL_CREATION_TIME] = {"creation_time", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST},
	[BCOL_LAST_MODIFIED_TIME] = {"last_modified_time", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST},
	[BCOL_END_TIME] = {"end_time", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST},
	[BCOL_STATUS_DETAILS] = {"status_details", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_LIST},
	[BCOL_OUTPUT_MODEL_ARN] = {"output_model_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST},
	[BCOL_OUTPUT_MODEL_NAME] = {"output_model_name", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST},
	[BCOL_CLIENT_REQUEST_TOKEN] = {"client_request_token", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET},
	[BCOL_FAILURE_MESSAGE] = {"failure_message", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET},
	[BCOL_ROLE_ARN] = {"role_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET},
	[BCOL_OUTPUT_MODEL_KMS_KEY_ARN] = {"output_model_kms_key_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET},
	[BCOL_CUSTOMIZATION_CONFIG] = {"customization_config", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET},
	[BCOL_HYPER_PARAMETERS] = {"hyper_parameters", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET},
	[BCOL_OUTPUT_DATA_CONFIG] = {"output_data_config", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET},
	[BCOL_TRAINING_DATA_CONFIG] = {"training_data_config", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET},
	[BCOL_TRAINING_METRICS] = {"training_metrics", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET},
	[BCOL_VALIDATION_DATA_CONFIG] = {"validation_data_config", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET},
	[BCOL_VALIDATION_METRICS] = {"validation_metrics", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET},
	[BCOL_VPC_CONFIG] = {"vpc_config", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET},
	[BCOL_TAGS] = {"tags", BEDROCK_KIND_TEXT_ARRAY, BEDROCK_SOURCE_TAGS},
	[BCOL_SECURITY_GROUP_IDS] = {"security_group_ids", BEDROCK_KIND_TEXT_ARRAY, BEDROCK_SOURCE_GET},
	[BCOL_SUBNET_IDS] = {"subnet_ids", BEDROCK_KIND_TEXT_ARRAY, BEDROCK_SOURCE_GET},
	[BCOL_VALIDATORS] = {"validators", BEDROCK_KIND_TEXT_ARRAY, BEDROCK_SOURCE_GET},
};

/* API member behind each simple column: summary name, then Get name. */
typedef struct MemberNames
{
	const char *summary;
	const char *get;
} MemberNames;

static const MemberNames member_names[BCOL_NCOLUMNS] = {
	[BCOL_JOB_ARN] = {"jobArn", "jobArn"},
	[BCOL_JOB_NAME] = {"jobName", "jobName"},
	[BCOL_STATUS] = {"status", "status"},
	[BCOL_CUSTOMIZATION_TYPE] = {"customizationType", "customizationType"},
	[BCOL_BASE_MODEL_ARN] = {"baseModelArn", "baseModelArn"},
	[BCOL_CREATION_TIME] = {"creationTime", "creationTime"},
	[BCOL_LAST_MODIFIED_TIME] = {"lastModifiedTime", "lastModifiedTime"},
	[BCOL_END_TIME] = {"endTime", "endTime"},
	[BCOL_STATUS_DETAILS] = {"statusDetails", "statusDetails"},
	[BCOL_OUTPUT_MODEL_ARN] = {"customModelArn", "outputModelArn"},
	[BCOL_OUTPUT_MODEL_NAME] = {"customModelName", "outputModelName"},
	[BCOL_CLIENT_REQUEST_TOKEN] = {NULL, "clientRequestToken"},
	[BCOL_FAILURE_MESSAGE] = {NULL, "failureMessage"},
	[BCOL_ROLE_ARN] = {NULL, "roleArn"},
	[BCOL_OUTPUT_MODEL_KMS_KEY_ARN] = {NULL, "outputModelKmsKeyArn"},
	[BCOL_CUSTOMIZATION_CONFIG] = {NULL, "customizationConfig"},
	[BCOL_HYPER_PARAMETERS] = {NULL, "hyperParameters"},
	[BCOL_OUTPUT_DATA_CONFIG] = {NULL, "outputDataConfig"},
	[BCOL_TRAINING_DATA_CONFIG] = {NULL, "trainingDataConfig"},
	[BCOL_TRAINING_METRICS] = {NULL, "trainingMetrics"},
	[BCOL_VALIDATION_DATA_CONFIG] = {NULL, "validationDataConfig"},
	[BCOL_VALIDATION_METRICS] = {NULL, "validationMetrics"},
	[BCOL_VPC_CONFIG] = {NULL, "vpcConfig"},
};

static void release_document(void *arg);
static char *jsonb_value(const BedrockJson *node, bool verbatim_top_keys);
static char *string_value(const BedrockJson *node, const char *what);
static char *timestamp_value(const BedrockJson *node, const char *what);
static void append_array_element(StringInfo buf, const char *value);
static char *string_list_value(const BedrockJson *list, const char *member,
							   const char *what);
static char *tags_value(const BedrockJson *tags);

static void
release_document(void *arg)
{
	bedrock_json_free((BedrockJson *) arg);
}

/*
 * Parse a response body (see bedrock_json_parse_doc) into a document that
 * belongs to CurrentMemoryContext: a reset callback frees the json-c tree
 * with the context, so an ERROR anywhere later cannot leak it.
 */
BedrockJson *
bedrock_json_parse(const char *data, size_t len, const char **errmsg)
{
	MemoryContextCallback *cb;
	BedrockJson *doc;

	/* allocate the callback first, so nothing can fail after parsing */
	cb = palloc(sizeof(MemoryContextCallback));
	doc = bedrock_json_parse_doc(data, len, errmsg);
	if (doc == NULL)
	{
		pfree(cb);
		return NULL;
	}
	cb->func = release_document;
	cb->arg = doc;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, cb);
	return doc;
}

/*
 * The jsonb text of a node in the server encoding.  The walker's malloc'd
 * buffer is copied and freed before anything that can raise an ERROR.
 */
static char *
jsonb_value(const BedrockJson *node, bool verbatim_top_keys)
{
	BedrockJsonBuf buf = {NULL, 0, 0};
	BedrockJsonStatus status;
	char	   *text = NULL;
	size_t		len = 0;
	char	   *converted;

	status = bedrock_json_to_jsonb_text(node, &buf, verbatim_top_keys);
	if (status == BEDROCK_JSON_OK && buf.len < MaxAllocSize)
	{
		len = buf.len;
		text = palloc_extended(len + 1, MCXT_ALLOC_NO_OOM);
		if (text != NULL)
			memcpy(text, buf.data, len + 1);
	}
	bedrock_json_buf_free(&buf);

	if (status == BEDROCK_JSON_NUL_CHAR)
		ereport(ERROR,
				(errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
				 errmsg("JSON string in the response contains a \\u0000 character")));
	if (text == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail("Failed to convert a JSON value from the Bedrock response.")));

	converted = pg_any_to_server(text, (int) len, PG_UTF8);
	if (converted != text)
		pfree(text);
	return converted;
}

/* Catalog index of a column name, or -1. */
int
bedrock_column_lookup(const char *name)
{
	int			i;

	for (i = 0; i < BCOL_NCOLUMNS; i++)
	{
		if (strcmp(bedrock_columns[i].name, name) == 0)
			return i;
	}
	return -1;
}

/* The SQL type IMPORT FOREIGN SCHEMA declares for a kind of column. */
const char *
bedrock_column_sql_type(BedrockColumnKind kind)
{
	switch (kind)
	{
		case BEDROCK_KIND_TEXT:
			return "text";
		case BEDROCK_KIND_TIMESTAMPTZ:
			return "timestamp with time zone";
		case BEDROCK_KIND_JSONB:
			return "jsonb";
		case BEDROCK_KIND_TEXT_ARRAY:
			return "text[]";
	}
	return "text";
}

/*
 * Whether a declared column type can hold a kind of value: its own type, a
 * close relative, or text, which holds anything.
 */
bool
bedrock_column_type_ok(BedrockColumnKind kind, Oid typid)
{
	if (typid == TEXTOID || typid == VARCHAROID)
		return true;
	switch (kind)
	{
		case BEDROCK_KIND_TEXT:
			return typid == BPCHAROID || typid == NAMEOID;
		case BEDROCK_KIND_TIMESTAMPTZ:
			return typid == TIMESTAMPTZOID || typid == TIMESTAMPOID ||
				typid == DATEOID;
		case BEDROCK_KIND_JSONB:
			return typid == JSONBOID || typid == JSONOID;
		case BEDROCK_KIND_TEXT_ARRAY:
			return typid == TEXTARRAYOID || typid == VARCHARARRAYOID;
	}
	return false;
}

/* A JSON string as server-encoded text; a wrong JSON type is an ERROR. */
static char *
string_value(const BedrockJson *node, const char *what)
{
	const char *s;
	size_t		len;
	char	   *converted;

	if (node == NULL)
		return NULL;
	s = bedrock_json_string(node, &len);
	if (s == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("Bedrock returned a JSON %s for %s, expected a string",
						bedrock_json_type_name(node), what)));
	if (strlen(s) != len)
		ereport(ERROR,
				(errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
				 errmsg("Bedrock returned a string containing a \\u0000 character for %s",
						what)));
	converted = pg_any_to_server(s, (int) len, PG_UTF8);
	return converted == s ? pnstrdup(s, len) : converted;
}

static char *
timestamp_value(const BedrockJson *node, const char *what)
{
	char	   *s = string_value(node, what);
	char		out[BEDROCK_TIMESTAMP_BUFLEN];

	if (s == NULL)
		return NULL;
	if (!bedrock_normalize_timestamp(s, strlen(s), out))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_DATETIME_FORMAT),
				 errmsg("Bedrock returned an invalid timestamp for %s: \"%s\"",
						what, s)));
	pfree(s);
	return pstrdup(out);
}

/* Append one element to a text[] literal, quoted and escaped. */
static void
append_array_element(StringInfo buf, const char *value)
{
	const char *p;

	appendStringInfoString(buf, buf->len > 1 ? ",\"" : "\"");
	for (p = value; *p; p++)
	{
		if (*p == '"' || *p == '\\')
			appendStringInfoChar(buf, '\\');
		appendStringInfoChar(buf, *p);
	}
	appendStringInfoChar(buf, '"');
}

/*
 * A text[] literal of the strings in a JSON array; with member set, of that
 * member of each element (validators[].s3Uri).
 */
static char *
string_list_value(const BedrockJson *list, const char *member, const char *what)
{
	StringInfoData buf;
	int			n,
				i;

	if (list == NULL)
		return NULL;
	n = bedrock_json_array_length(list);
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("Bedrock returned a JSON %s for %s, expected an array",
						bedrock_json_type_name(list), what)));
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (i = 0; i < n; i++)
	{
		BedrockJson *elem = bedrock_json_array_element(list, i);
		char	   *s;

		if (member)
			elem = bedrock_json_member(elem, member);
		s = string_value(elem, what);
		if (s == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
					 errmsg("Bedrock returned an element without a string in %s",
							what)));
		append_array_element(&buf, s);
		pfree(s);
	}
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

/* Tags as a text[] literal of "key:value". */
static char *
tags_value(const BedrockJson *tags)
{
	BedrockJson *list = bedrock_json_member(tags, "tags");
	StringInfoData buf;
	int			n,
				i;

	if (list == NULL)
		return pstrdup("{}");
	n = bedrock_json_array_length(list);
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("Bedrock returned a JSON %s for tags, expected an array",
						bedrock_json_type_name(list))));
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (i = 0; i < n; i++)
	{
		BedrockJson *tag = bedrock_json_array_element(list, i);
		char	   *key = string_value(bedrock_json_member(tag, "key"), "tag key");
		char	   *value = string_value(bedrock_json_member(tag, "value"), "tag value");

		if (key == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
					 errmsg("Bedrock returned a tag without a key")));
		append_array_element(&buf, psprintf("%s:%s", key, value ? value : ""));
	}
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

/*
 * Field n (from 0) of an ARN, "arn:PARTITION:SERVICE:REGION:ACCOUNT:...":
 * 3 the region, 4 the account id.  NULL when the value is no ARN or the
 * field is empty.
 */
char *
bedrock_arn_field(const char *arn, int n)
{
	const char *p = arn;
	const char *end;
	int			i;

	if (strncmp(arn, "arn:", 4) != 0)
		return NULL;
	for (i = 0; i < n; i++)
	{
		p = strchr(p, ':');
		if (p == NULL)
			return NULL;
		p++;
	}
	end = strchr(p, ':');
	if (end == NULL || end == p)
		return NULL;
	return pnstrdup(p, end - p);
}

/*
 * The text form of one column of one job, or NULL for SQL NULL.  summary is
 * the List entry (NULL when the job came from Get alone), job the Get answer
 * (NULL when no Get ran), tags the ListTagsForResource answer (NULL when not
 * fetched).
 */
char *
bedrock_column_value(BedrockColumnId col, const char *region,
					 const BedrockJson *summary, const BedrockJson *job,
					 const BedrockJson *tags)
{
	const BedrockColumn *column = &bedrock_columns[col];
	const MemberNames *names = &member_names[col];
	BedrockJson *node = NULL;
	BedrockJson *vpc;

	switch (col)
	{
		case BCOL_REGION:
			return pstrdup(region);
		case BCOL_ACCOUNT_ID:
			{
				char	   *arn = bedrock_column_value(BCOL_JOB_ARN, region,
													   summary, job, tags);

				return arn ? bedrock_arn_field(arn, 4) : NULL;
			}
		case BCOL_TAGS:
			return tags ? tags_value(tags) : NULL;
		case BCOL_SECURITY_GROUP_IDS:
		case BCOL_SUBNET_IDS:
			vpc = bedrock_json_member(job, "vpcConfig");
			return string_list_value(bedrock_json_member(vpc,
														 col == BCOL_SUBNET_IDS ? "subnetIds" : "securityGroupIds"),
									 NULL, column->name);
		case BCOL_VALIDATORS:
			return string_list_value(bedrock_json_member(bedrock_json_member(job, "validationDataConfig"),
														 "validators"),
									 "s3Uri", column->name);
		default:
			break;
	}

	/*
	 * A List column takes the summary's value even when Get also ran, so a
	 * row reads the same whatever else a query selects (summary and Get
	 * differ, e.g. baseModelArn of a continued custom model).  Get supplies
	 * it only for a job that came from Get alone.
	 */
	if (summary && names->summary)
		node = bedrock_json_member(summary, names->summary);
	else if (job && names->get)
		node = bedrock_json_member(job, names->get);
	if (node == NULL)
		return NULL;

	switch (column->kind)
	{
		case BEDROCK_KIND_TEXT:
			return string_value(node, column->name);
		case BEDROCK_KIND_TIMESTAMPTZ:
			return timestamp_value(node, column->name);
		case BEDROCK_KIND_JSONB:
			{
				BedrockJsonType t = bedrock_json_type(node);
				bool		want_array = (col == BCOL_VALIDATION_METRICS);

				if ((want_array && t != BEDROCK_JSON_ARRAY) ||
					(!want_array && t != BEDROCK_JSON_OBJECT))
					ereport(ERROR,
							(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
							 errmsg("Bedrock returned a JSON %s for %s, expected an %s",
									bedrock_json_type_name(node), column->name,
									want_array ? "array" : "object")));
				return jsonb_value(node, col == BCOL_HYPER_PARAMETERS);
			}
		case BEDROCK_KIND_TEXT_ARRAY:
			break;
	}
	elog(ERROR, "unexpected bedrock column %d", (int) col);
	return NULL;
}
