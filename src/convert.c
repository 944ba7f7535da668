/*-------------------------------------------------------------------------
 * convert.c
 *	  The conversion of Bedrock API data to the text form of a column's
 *	  value, as its resource's descriptor says; the PostgreSQL side of the
 *	  JSON walker.
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
#include "utils/datetime.h"
#include "utils/json.h"

#include "awstime.h"
#include "bedrock_fdw.h"

static void release_document(void *arg);
static char *jsonb_value(const BedrockJson *node, bool verbatim_top_keys);
static char *string_value(const BedrockJson *node, const char *what);
static char *timestamp_value(const BedrockJson *node, const char *what);
static void append_array_element(StringInfo buf, const char *value);
static char *string_list_value(const BedrockJson *list, const char *member,
							   const char *what);
static char *tags_value(const BedrockJson *tags, bool as_map);
static char *scalar_value(const BedrockJson *node, BedrockJsonType want,
						  const char *what);

static void
release_document(void *arg)
{
	bedrock_json_free((BedrockJson *) arg);
}

/*
 * Parse a response body (see bedrock_json_parse_doc) into a document that
 * belongs to CurrentMemoryContext: a reset callback frees the document's arena
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

		if (text !=NULL)
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
		case BEDROCK_KIND_BIGINT:
			return "bigint";
		case BEDROCK_KIND_BOOLEAN:
			return "boolean";
		case BEDROCK_KIND_DOUBLE:
			return "double precision";
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
		case BEDROCK_KIND_BIGINT:
			return typid == INT8OID || typid == NUMERICOID ||
				typid == FLOAT8OID;
		case BEDROCK_KIND_BOOLEAN:
			return typid == BOOLOID;
		case BEDROCK_KIND_DOUBLE:
			return typid == FLOAT8OID || typid == NUMERICOID;
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

/*
 * Tags as a text[] literal of "key:value", or (as_map) as a jsonb object
 * {key: value}, which keeps keys that hold ':' apart from their values.
 */
static char *
tags_value(const BedrockJson *tags, bool as_map)
{
	/* ListTagsForResource's answer, or a Tagging API ResourceTagMapping */
	BedrockJson *list = bedrock_json_member(tags, "tags");
	bool		mapping = (list == NULL);
	StringInfoData buf;
	int			n,
				i;

	if (mapping)
		list = bedrock_json_member(tags, "Tags");
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
		char	   *key = string_value(bedrock_json_member(tag, mapping ? "Key" : "key"),
									   "tag key");
		char	   *value = string_value(bedrock_json_member(tag, mapping ? "Value" : "value"),
										 "tag value");

		if (key == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
					 errmsg("Bedrock returned a tag without a key")));
		if (as_map)
		{
			if (buf.len > 1)
				appendStringInfoChar(&buf, ',');
			escape_json(&buf, key);
			appendStringInfoChar(&buf, ':');
			escape_json(&buf, value ? value : "");
		}
		else
			append_array_element(&buf, psprintf("%s:%s", key, value ? value : ""));
	}
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

/*
 * A JSON number or boolean as its JSON text, which int8in, float8in and
 * boolin read; another JSON type is an ERROR.
 */
static char *
scalar_value(const BedrockJson *node, BedrockJsonType want, const char *what)
{
	if (bedrock_json_type(node) != want)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("Bedrock returned a JSON %s for %s, expected a %s",
						bedrock_json_type_name(node), what,
						want == BEDROCK_JSON_BOOLEAN ? "boolean" : "number")));
	return jsonb_value(node, false);
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
 * A plain column's JSON: the summary's value when there is one, else Get's
 * (the caller leaves the summary out of a column whose Get value is to win:
 * see list_differs).
 */
static BedrockJson *
column_node(const BedrockColumn *column, const BedrockJson *summary,
			const BedrockJson *got)
{
	if (summary && column->summary_member)
		return bedrock_json_member(summary, column->summary_member);
	if (got && column->get_member)
		return bedrock_json_member(got, column->get_member);
	return NULL;
}

/*
 * Whether bedrock_column_datum builds a column's Datum itself for an
 * attribute of type typid: a plain text or timestamptz column read as its
 * own type, where the text and the input function would only cost time.
 */
bool
bedrock_column_direct(const BedrockColumn *column, Oid typid)
{
	return column->shape == BEDROCK_SHAPE_PLAIN &&
		((column->kind == BEDROCK_KIND_TEXT && typid == TEXTOID) ||
		 (column->kind == BEDROCK_KIND_TIMESTAMPTZ && typid == TIMESTAMPTZOID));
}

/*
 * A column's value as a Datum, for a column bedrock_column_direct allows:
 * the same value, and the same errors, as bedrock_column_value's text read
 * by the type's input function.
 */
Datum
bedrock_column_datum(const BedrockResource *res, int col,
					 const BedrockJson *summary, const BedrockJson *got,
					 bool *isnull)
{
	const BedrockColumn *column = &res->columns[col];
	BedrockJson *node = column_node(column, summary, got);
	char	   *s;
	BedrockAwsTime t;
	struct pg_tm tm;
	int			tz;
	TimestampTz ts;

	*isnull = (node == NULL);
	if (node == NULL)
		return (Datum) 0;
	s = string_value(node, column->name);
	if (column->kind == BEDROCK_KIND_TEXT)
		return PointerGetDatum(cstring_to_text(s));
	if (!bedrock_parse_aws_time(s, strlen(s), &t))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_DATETIME_FORMAT),
				 errmsg("Bedrock returned an invalid timestamp for %s: \"%s\"",
						column->name, s)));
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = t.year;
	tm.tm_mon = t.month;
	tm.tm_mday = t.day;
	tm.tm_hour = t.hour;
	tm.tm_min = t.minute;
	tm.tm_sec = t.second;
	tz = -t.offset_s;			/* PostgreSQL's zones count west of UTC */
	if (tm2timestamp(&tm, t.usec, &tz, &ts) != 0 || !IS_VALID_TIMESTAMP(ts))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range: \"%s\"", s)));
	return TimestampTzGetDatum(ts);
}

/*
 * The text form of one column of one resource, or NULL for SQL NULL.
 * summary is the List entry (NULL when the resource came from Get alone),
 * got the Get answer (NULL when no Get ran), tags the ListTagsForResource
 * answer (NULL when not fetched).
 */
char *
bedrock_column_value(const BedrockResource *res, int col, const char *region,
					 const BedrockJson *summary, const BedrockJson *got,
					 const BedrockJson *tags)
{
	const BedrockColumn *column = &res->columns[col];
	BedrockJson *node = NULL;

	switch (column->shape)
	{
		case BEDROCK_SHAPE_REGION:
			return pstrdup(region);
		case BEDROCK_SHAPE_ACCOUNT:
			{
				char	   *arn = bedrock_column_value(res,
													   bedrock_resource_column(res, res->arn_column),
													   region, summary, got, tags);

				return arn ? bedrock_arn_field(arn, 4) : NULL;
			}
		case BEDROCK_SHAPE_TAG_LIST:
		case BEDROCK_SHAPE_TAG_MAP:
			return tags ? tags_value(tags, column->shape == BEDROCK_SHAPE_TAG_MAP) : NULL;
		case BEDROCK_SHAPE_FLATTEN:
			return string_list_value(bedrock_json_member(bedrock_json_member(got, column->get_member),
														 column->sub),
									 column->each, column->name);
		default:
			break;
	}

	node = column_node(column, summary, got);
	if (node == NULL)
		return NULL;

	switch (column->kind)
	{
		case BEDROCK_KIND_TEXT:
			return string_value(node, column->name);
		case BEDROCK_KIND_TIMESTAMPTZ:
			return timestamp_value(node, column->name);
		case BEDROCK_KIND_BIGINT:
		case BEDROCK_KIND_DOUBLE:
			return scalar_value(node, BEDROCK_JSON_NUMBER, column->name);
		case BEDROCK_KIND_BOOLEAN:
			return scalar_value(node, BEDROCK_JSON_BOOLEAN, column->name);
		case BEDROCK_KIND_TEXT_ARRAY:
			return string_list_value(node, NULL, column->name);
		case BEDROCK_KIND_JSONB:
			{
				BedrockJsonType t = bedrock_json_type(node);
				bool		want_array = (column->shape == BEDROCK_SHAPE_ARRAY);

				if ((want_array && t != BEDROCK_JSON_ARRAY) ||
					(!want_array && t != BEDROCK_JSON_OBJECT))
					ereport(ERROR,
							(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
							 errmsg("Bedrock returned a JSON %s for %s, expected an %s",
									bedrock_json_type_name(node), column->name,
									want_array ? "array" : "object")));
				return jsonb_value(node, column->shape == BEDROCK_SHAPE_MAP);
			}
	}
	elog(ERROR, "unexpected bedrock column kind %d", (int) column->kind);
	return NULL;
}
