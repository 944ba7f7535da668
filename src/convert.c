/*-------------------------------------------------------------------------
 * convert.c
 *	  The conversion of Bedrock API data to the text form of a column's
 *	  value, as its resource's descriptor says; the PostgreSQL side of the
 *	  JSON walker.
 *
 * A column declared as its own type (text, timestamptz, jsonb, text[]) gets
 * its Datum built here directly (bedrock_column_datum); any other declared
 * type gets the value as text in the column's canonical type, read by that
 * type's input function, as postgres_fdw does with remote values.  Both
 * give the same values and errors.  Errors here are raised under the
 * caller's errcontext, which names the column and foreign table.
 *
 * json.c knows nothing of the backend: here a parsed document is tied to a
 * memory context, and walker output is converted to the server encoding.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/numeric.h"

#include "awstime.h"
#include "bedrock_fdw.h"
#include "pg_compat.h"

/* A jsonb value being built by the walker (bedrock_json_walk). */
typedef struct JsonbBuild
{
	BedrockJsonbBuilder builder;
	int			depth;			/* open containers */
	bool		in_object[BEDROCK_JSON_MAX_DEPTH + 1];
} JsonbBuild;

static void release_document(void *arg);
static char *jsonb_value(const BedrockJson *node, bool verbatim_top_keys);
static char *string_value(const BedrockJson *node, const char *what);
static char *timestamp_value(const BedrockJson *node, const char *what);
static const char *server_string(const char *s, size_t len, size_t *outlen,
								 const char *what);
static void append_array_element(StringInfo buf, const char *value);
static char **string_list(const BedrockJson *list, const char *member,
						  const char *what, int *n);
static char *string_list_value(const BedrockJson *list, const char *member,
							   const char *what);
static Datum text_array_datum(char **strings, int n);
static int	read_tags(const BedrockJson *tags, char ***keys, char ***values);
static char *tags_value(const BedrockJson *tags, bool as_map);
static Datum tags_datum(const BedrockJson *tags, bool as_map);
static void check_struct(const BedrockColumn *column, const BedrockJson *node);
static Datum jsonb_datum(const BedrockJson *node, bool verbatim_top_keys);
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

/*
 * Bytes of the response as server-encoded bytes: the same bytes when the
 * server encoding is UTF-8 (the parser let through strict UTF-8 only), else
 * converted.  A NUL, which no PostgreSQL text can hold, is an ERROR.
 */
static const char *
server_string(const char *s, size_t len, size_t *outlen, const char *what)
{
	const char *converted;

	if (memchr(s, '\0', len) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
				 errmsg("Bedrock returned a string containing a \\u0000 character for %s",
						what)));
	if (GetDatabaseEncoding() == PG_UTF8)
	{
		*outlen = len;
		return s;
	}
	converted = pg_any_to_server(s, (int) len, PG_UTF8);
	*outlen = converted == s ? len : strlen(converted);
	return converted;
}

/*
 * A JSON string as server-encoded text, palloc'd; a wrong JSON type is an
 * ERROR.
 */
static char *
string_value(const BedrockJson *node, const char *what)
{
	const char *s;
	size_t		len;

	if (node == NULL)
		return NULL;
	s = bedrock_json_string(node, &len);
	if (s == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("Bedrock returned a JSON %s for %s, expected a string",
						bedrock_json_type_name(node), what)));
	s = server_string(s, len, &len, what);
	return pnstrdup(s, len);
}

/* The same as a text Datum. */
static Datum
text_datum(const BedrockJson *node, const char *what)
{
	const char *s;
	size_t		len;

	s = bedrock_json_string(node, &len);
	if (s == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("Bedrock returned a JSON %s for %s, expected a string",
						bedrock_json_type_name(node), what)));
	s = server_string(s, len, &len, what);
	return PointerGetDatum(cstring_to_text_with_len(s, (int) len));
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
 * The strings of a JSON array, server-encoded; with member set, of that
 * member of each element (validators[].s3Uri).  NULL when list is.
 */
static char **
string_list(const BedrockJson *list, const char *member, const char *what,
			int *n)
{
	char	  **strings;
	int			i;

	if (list == NULL)
		return NULL;
	*n = bedrock_json_array_length(list);
	if (*n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("Bedrock returned a JSON %s for %s, expected an array",
						bedrock_json_type_name(list), what)));
	strings = palloc(sizeof(char *) * Max(*n, 1));
	for (i = 0; i < *n; i++)
	{
		BedrockJson *elem = bedrock_json_array_element(list, i);

		if (member)
			elem = bedrock_json_member(elem, member);
		strings[i] = string_value(elem, what);
		if (strings[i] == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
					 errmsg("Bedrock returned an element without a string in %s",
							what)));
	}
	return strings;
}

/* A text[] literal of those strings. */
static char *
string_list_value(const BedrockJson *list, const char *member, const char *what)
{
	StringInfoData buf;
	int			n;
	char	  **strings = string_list(list, member, what, &n);
	int			i;

	if (strings == NULL)
		return NULL;
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (i = 0; i < n; i++)
		append_array_element(&buf, strings[i]);
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

/* A text[] of n strings, as array_in makes of their literal. */
static Datum
text_array_datum(char **strings, int n)
{
	Datum	   *elems;
	int			i;

	if (n == 0)
		return PointerGetDatum(construct_empty_array(TEXTOID));
	elems = palloc(sizeof(Datum) * n);
	for (i = 0; i < n; i++)
		elems[i] = PointerGetDatum(cstring_to_text(strings[i]));
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false,
										   TYPALIGN_INT));
}

/*
 * The keys and values of tags, server-encoded (a missing value is ""): of a
 * ListTagsForResource answer, or of a Tagging API ResourceTagMapping.
 */
static int
read_tags(const BedrockJson *tags, char ***keys, char ***values)
{
	BedrockJson *list = bedrock_json_member(tags, "tags");
	bool		mapping = (list == NULL);
	int			n,
				i;

	if (mapping)
		list = bedrock_json_member(tags, "Tags");
	if (list == NULL)
		return 0;
	n = bedrock_json_array_length(list);
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("Bedrock returned a JSON %s for tags, expected an array",
						bedrock_json_type_name(list))));
	*keys = palloc(sizeof(char *) * Max(n, 1));
	*values = palloc(sizeof(char *) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		BedrockJson *tag = bedrock_json_array_element(list, i);

		(*keys)[i] = string_value(bedrock_json_member(tag, mapping ? "Key" : "key"),
								  "tag key");
		(*values)[i] = string_value(bedrock_json_member(tag, mapping ? "Value" : "value"),
									"tag value");
		if ((*keys)[i] == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
					 errmsg("Bedrock returned a tag without a key")));
		if ((*values)[i] == NULL)
			(*values)[i] = "";
	}
	return n;
}

/*
 * Tags as a text[] literal of "key:value", or (as_map) as a jsonb object
 * {key: value}, which keeps keys that hold ':' apart from their values.
 */
static char *
tags_value(const BedrockJson *tags, bool as_map)
{
	StringInfoData buf;
	char	  **keys = NULL;
	char	  **values = NULL;
	int			n = read_tags(tags, &keys, &values);
	int			i;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (i = 0; i < n; i++)
	{
		if (as_map)
		{
			if (buf.len > 1)
				appendStringInfoChar(&buf, ',');
			escape_json(&buf, keys[i]);
			appendStringInfoChar(&buf, ':');
			escape_json(&buf, values[i]);
		}
		else
			append_array_element(&buf, psprintf("%s:%s", keys[i], values[i]));
	}
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

/* The same as a text[] or jsonb Datum. */
static Datum
tags_datum(const BedrockJson *tags, bool as_map)
{
	char	  **keys = NULL;
	char	  **values = NULL;
	int			n = read_tags(tags, &keys, &values);
	BedrockJsonbBuilder builder;
	JsonbValue	v;
	int			i;

	if (!as_map)
	{
		for (i = 0; i < n; i++)
			keys[i] = psprintf("%s:%s", keys[i], values[i]);
		return text_array_datum(keys, n);
	}
	memset(&builder, 0, sizeof(builder));
	bedrock_jsonb_push(&builder, WJB_BEGIN_OBJECT, NULL);
	for (i = 0; i < n; i++)
	{
		v.type = jbvString;
		v.val.string.val = keys[i];
		v.val.string.len = strlen(keys[i]);
		bedrock_jsonb_push(&builder, WJB_KEY, &v);
		v.val.string.val = values[i];
		v.val.string.len = strlen(values[i]);
		bedrock_jsonb_push(&builder, WJB_VALUE, &v);
	}
	bedrock_jsonb_push(&builder, WJB_END_OBJECT, NULL);
	return JsonbPGetDatum(JsonbValueToJsonb(builder.result));
}

/* A jsonb column's value must be the object or array its shape says. */
static void
check_struct(const BedrockColumn *column, const BedrockJson *node)
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
}

/* A string of the response as a jsonb string (jsonb_in's limits). */
static void
jsonb_string(JsonbValue *v, const char *s, size_t len)
{
	s = server_string(s, len, &len, "a jsonb value");
	if (len > JENTRY_OFFLENMASK)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("string too long to represent as jsonb string"),
				 errdetail("Due to an implementation restriction, jsonb strings cannot exceed %d bytes.",
						   JENTRY_OFFLENMASK)));
	v->type = jbvString;
	v->val.string.val = (char *) s;
	v->val.string.len = (int) len;
}

/* The walker's callbacks that build a jsonb value (see jsonb_datum). */
static bool
jsonb_begin(void *arg, BedrockJsonType type, int count)
{
	JsonbBuild *b = (JsonbBuild *) arg;

	bedrock_jsonb_push(&b->builder, type == BEDROCK_JSON_OBJECT
					   ? WJB_BEGIN_OBJECT : WJB_BEGIN_ARRAY, NULL);
	b->in_object[b->depth++] = (type == BEDROCK_JSON_OBJECT);
	return true;
}

static bool
jsonb_end(void *arg, BedrockJsonType type)
{
	JsonbBuild *b = (JsonbBuild *) arg;

	b->depth--;
	bedrock_jsonb_push(&b->builder, type == BEDROCK_JSON_OBJECT
					   ? WJB_END_OBJECT : WJB_END_ARRAY, NULL);
	return true;
}

static bool
jsonb_name(void *arg, const char *key, bool snake)
{
	JsonbBuild *b = (JsonbBuild *) arg;
	size_t		len = strlen(key);
	JsonbValue	v;

	if (snake)
	{
		char	   *snaked = palloc(2 * len + 1);

		len = bedrock_json_snake_case(key, snaked);
		key = snaked;
	}
	jsonb_string(&v, key, len);
	bedrock_jsonb_push(&b->builder, WJB_KEY, &v);
	return true;
}

static bool
jsonb_scalar(void *arg, const BedrockJson *node)
{
	JsonbBuild *b = (JsonbBuild *) arg;
	JsonbValue	v;
	const char *s;
	size_t		len;

	switch (bedrock_json_type(node))
	{
		case BEDROCK_JSON_BOOLEAN:
			v.type = jbvBool;
			v.val.boolean = bedrock_json_boolean(node);
			break;
		case BEDROCK_JSON_NUMBER:
			/* read by numeric_in, as jsonb_in reads a number */
			s = bedrock_json_number_text(node, &len);
			v.type = jbvNumeric;
			v.val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
																CStringGetDatum(s),
																ObjectIdGetDatum(InvalidOid),
																Int32GetDatum(-1)));
			break;
		case BEDROCK_JSON_STRING:
			s = bedrock_json_string(node, &len);
			if (memchr(s, '\0', len) != NULL)
				ereport(ERROR,
						(errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
						 errmsg("JSON string in the response contains a \\u0000 character")));
			jsonb_string(&v, s, len);
			break;
		default:
			v.type = jbvNull;
			break;
	}
	/* the column's value is an object or array (check_struct) */
	Assert(b->depth > 0);
	bedrock_jsonb_push(&b->builder,
					   b->in_object[b->depth - 1] ? WJB_VALUE : WJB_ELEM, &v);
	return true;
}

static const BedrockJsonVisitor jsonb_visitor = {
	jsonb_begin, jsonb_name, jsonb_scalar, jsonb_end
};

/*
 * An object or array of the response as a jsonb Datum: the value jsonb_in
 * makes of jsonb_value's text, without the text.
 */
static Datum
jsonb_datum(const BedrockJson *node, bool verbatim_top_keys)
{
	JsonbBuild	b;

	memset(&b, 0, sizeof(b));
	(void) bedrock_json_walk(node, verbatim_top_keys, &jsonb_visitor, &b);
	return JsonbPGetDatum(JsonbValueToJsonb(b.builder.result));
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
 * attribute of type typid: a column read as its own type (text,
 * timestamptz, jsonb, text[]), where the text and the input function would
 * only cost time.
 */
bool
bedrock_column_direct(const BedrockColumn *column, Oid typid)
{
	switch (column->shape)
	{
		case BEDROCK_SHAPE_PLAIN:
			return (column->kind == BEDROCK_KIND_TEXT && typid == TEXTOID) ||
				(column->kind == BEDROCK_KIND_TIMESTAMPTZ && typid == TIMESTAMPTZOID) ||
				(column->kind == BEDROCK_KIND_JSONB && typid == JSONBOID) ||
				(column->kind == BEDROCK_KIND_TEXT_ARRAY && typid == TEXTARRAYOID);
		case BEDROCK_SHAPE_ARRAY:
		case BEDROCK_SHAPE_MAP:
		case BEDROCK_SHAPE_TAG_MAP:
			return column->kind == BEDROCK_KIND_JSONB && typid == JSONBOID;
		case BEDROCK_SHAPE_TAG_LIST:
		case BEDROCK_SHAPE_FLATTEN:
			return column->kind == BEDROCK_KIND_TEXT_ARRAY && typid == TEXTARRAYOID;
		case BEDROCK_SHAPE_REGION:
			return typid == TEXTOID;
		case BEDROCK_SHAPE_ACCOUNT:
			break;
	}
	return false;
}

/* A timestamp string of the response as a timestamptz Datum. */
static Datum
timestamptz_datum(const BedrockJson *node, const char *what)
{
	char	   *s = string_value(node, what);
	BedrockAwsTime t;
	struct pg_tm tm;
	int			tz;
	TimestampTz ts;

	if (!bedrock_parse_aws_time(s, strlen(s), &t))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_DATETIME_FORMAT),
				 errmsg("Bedrock returned an invalid timestamp for %s: \"%s\"",
						what, s)));
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
 * A column's value as a Datum, for a column bedrock_column_direct allows:
 * the same value, and the same errors, as bedrock_column_value's text read
 * by the type's input function (the arguments are the same).
 */
Datum
bedrock_column_datum(const BedrockResource *res, int col, const char *region,
					 const BedrockJson *summary, const BedrockJson *got,
					 const BedrockJson *tags, bool *isnull)
{
	const BedrockColumn *column = &res->columns[col];
	BedrockJson *node = NULL;
	char	  **strings = NULL;
	int			n;

	*isnull = false;
	switch (column->shape)
	{
		case BEDROCK_SHAPE_REGION:
			return PointerGetDatum(cstring_to_text(region));
		case BEDROCK_SHAPE_TAG_LIST:
		case BEDROCK_SHAPE_TAG_MAP:
			if (tags)
				return tags_datum(tags, column->shape == BEDROCK_SHAPE_TAG_MAP);
			break;
		case BEDROCK_SHAPE_FLATTEN:
			strings = string_list(bedrock_json_member(bedrock_json_member(got, column->get_member),
													  column->sub),
								  column->each, column->name, &n);
			if (strings)
				return text_array_datum(strings, n);
			break;
		default:
			node = column_node(column, summary, got);
			if (node == NULL)
				break;
			switch (column->kind)
			{
				case BEDROCK_KIND_TEXT:
					return text_datum(node, column->name);
				case BEDROCK_KIND_TIMESTAMPTZ:
					return timestamptz_datum(node, column->name);
				case BEDROCK_KIND_TEXT_ARRAY:
					strings = string_list(node, NULL, column->name, &n);
					return text_array_datum(strings, n);
				case BEDROCK_KIND_JSONB:
					check_struct(column, node);
					return jsonb_datum(node, column->shape == BEDROCK_SHAPE_MAP);
				default:
					elog(ERROR, "bedrock column %s has no direct Datum", column->name);
			}
	}
	*isnull = true;
	return (Datum) 0;
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
			check_struct(column, node);
			return jsonb_value(node, column->shape == BEDROCK_SHAPE_MAP);
	}
	elog(ERROR, "unexpected bedrock column kind %d", (int) column->kind);
	return NULL;
}
