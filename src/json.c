/*-------------------------------------------------------------------------
 * json.c
 *	  The one place that knows json-c: parsing Bedrock responses and walking
 *	  them, including the conversion of API structs to jsonb text.
 *
 * A parsed document belongs to the memory context that was current when it
 * was parsed: a reset callback releases the json-c tree with it, so an ERROR
 * anywhere later cannot leak it.  Nodes handed out are borrowed pointers into
 * that tree.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>

#include <json-c/json.h>

#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/json.h"
#include "utils/memutils.h"

#include "bedrock_fdw.h"

/* Deepest nesting accepted in a response; Bedrock's shapes need about 8. */
#define BEDROCK_JSON_MAX_DEPTH 64

/* Node handles are json_object pointers in disguise. */
#define NODE(n) ((struct json_object *) (n))
#define HANDLE(o) ((BedrockJson *) (o))

static void release_document(void *arg);
static void append_snake_case(StringInfo out, const char *key);
static void append_json_string(StringInfo out, const char *s, size_t len);
static void walk_to_jsonb(struct json_object *obj, StringInfo out,
						  bool verbatim_keys);

static void
release_document(void *arg)
{
	json_object_put((struct json_object *) arg);
}

/*
 * Parse a response body.  Returns the root, or NULL with *errmsg set when the
 * body is not a single valid UTF-8 JSON value (truncated, trailing garbage,
 * too deep, invalid bytes).  Never raises an error from inside json-c.
 */
BedrockJson *
bedrock_json_parse(const char *data, size_t len, const char **errmsg)
{
	struct json_tokener *tok;
	struct json_object *root;
	enum json_tokener_error jerr;
	size_t		end;
	MemoryContextCallback *cb;

	*errmsg = NULL;
	if (len == 0)
	{
		*errmsg = "empty response body";
		return NULL;
	}
	if (len > (size_t) INT_MAX)
	{
		*errmsg = "response body too large to parse";
		return NULL;
	}

	/* allocate the callback first, so nothing can fail after parsing */
	cb = palloc(sizeof(MemoryContextCallback));

	tok = json_tokener_new_ex(BEDROCK_JSON_MAX_DEPTH);
	if (tok == NULL)
	{
		*errmsg = "out of memory";
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, data, (int) len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);

	if (jerr == json_tokener_continue)
	{
		*errmsg = "truncated JSON";
		json_object_put(root);
		return NULL;
	}
	if (jerr != json_tokener_success)
	{
		*errmsg = json_tokener_error_desc(jerr);
		json_object_put(root);
		return NULL;
	}
	while (end < len && (data[end] == ' ' || data[end] == '\t' ||
						 data[end] == '\r' || data[end] == '\n'))
		end++;
	if (end != len)
	{
		*errmsg = "unexpected data after the JSON value";
		json_object_put(root);
		return NULL;
	}
	if (root == NULL)
	{
		/* a bare "null": nothing to release */
		pfree(cb);
		*errmsg = "response is JSON null";
		return NULL;
	}

	cb->func = release_document;
	cb->arg = root;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, cb);
	return HANDLE(root);
}

BedrockJsonType
bedrock_json_type(const BedrockJson *node)
{
	switch (json_object_get_type(NODE(node)))
	{
		case json_type_null:
			return BEDROCK_JSON_NULL;
		case json_type_boolean:
			return BEDROCK_JSON_BOOLEAN;
		case json_type_double:
		case json_type_int:
			return BEDROCK_JSON_NUMBER;
		case json_type_string:
			return BEDROCK_JSON_STRING;
		case json_type_array:
			return BEDROCK_JSON_ARRAY;
		case json_type_object:
			return BEDROCK_JSON_OBJECT;
	}
	return BEDROCK_JSON_NULL;
}

/* The JSON type name of a node, for error messages. */
const char *
bedrock_json_type_name(const BedrockJson *node)
{
	switch (bedrock_json_type(node))
	{
		case BEDROCK_JSON_NULL:
			return "null";
		case BEDROCK_JSON_BOOLEAN:
			return "boolean";
		case BEDROCK_JSON_NUMBER:
			return "number";
		case BEDROCK_JSON_STRING:
			return "string";
		case BEDROCK_JSON_ARRAY:
			return "array";
		case BEDROCK_JSON_OBJECT:
			return "object";
	}
	return "unknown";
}

/*
 * A member of an object.  NULL when the node is not an object, the member is
 * absent, or it is JSON null: AWS treats all three alike.
 */
BedrockJson *
bedrock_json_member(const BedrockJson *object, const char *key)
{
	struct json_object *value;

	if (object == NULL || !json_object_is_type(NODE(object), json_type_object))
		return NULL;
	if (!json_object_object_get_ex(NODE(object), key, &value) || value == NULL)
		return NULL;
	return HANDLE(value);
}

/* The bytes of a string node and their count, or NULL if not a string. */
const char *
bedrock_json_string(const BedrockJson *node, size_t *len)
{
	if (node == NULL || !json_object_is_type(NODE(node), json_type_string))
		return NULL;
	*len = (size_t) json_object_get_string_len(NODE(node));
	return json_object_get_string(NODE(node));
}

/* Number of elements of an array node, or -1 if not an array. */
int
bedrock_json_array_length(const BedrockJson *node)
{
	if (node == NULL || !json_object_is_type(NODE(node), json_type_array))
		return -1;
	return (int) json_object_array_length(NODE(node));
}

BedrockJson *
bedrock_json_array_element(const BedrockJson *array, int i)
{
	return HANDLE(json_object_array_get_idx(NODE(array), i));
}

/*
 * Append an API member name in snake_case, the way the AWS SDKs derive
 * Python names: "s3Uri" -> "s3_uri", "andAll" -> "and_all",
 * "resourceARN" -> "resource_arn", "ARNValue" -> "arn_value".
 */
static void
append_snake_case(StringInfo out, const char *key)
{
	int			i;

	for (i = 0; key[i]; i++)
	{
		char		c = key[i];

		if (c >= 'A' && c <= 'Z')
		{
			if (i > 0)
			{
				char		prev = key[i - 1];
				char		next = key[i + 1];

				if ((prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9') ||
					((prev >= 'A' && prev <= 'Z') && next >= 'a' && next <= 'z'))
					appendStringInfoChar(out, '_');
			}
			appendStringInfoChar(out, c - 'A' + 'a');
		}
		else
			appendStringInfoChar(out, c);
	}
}

/* Append a JSON string literal, converted to the server encoding. */
static void
append_json_string(StringInfo out, const char *s, size_t len)
{
	char	   *converted;

	if (strlen(s) != len)
		ereport(ERROR,
				(errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
				 errmsg("JSON string in the response contains a \\u0000 character")));
	converted = pg_any_to_server(s, (int) len, PG_UTF8);
	escape_json(out, converted);
	if (converted != s)
		pfree(converted);
}

/*
 * Bedrock's map-typed members: their keys are user data and stay verbatim.
 * (Top-level hyperParameters is a map too; the caller asks for verbatim keys
 * there, because inside rftConfig a member of that name is a struct.)
 */
static bool
is_map_member(const char *key)
{
	return strcmp(key, "equals") == 0 || strcmp(key, "notEquals") == 0;
}

static void
walk_to_jsonb(struct json_object *obj, StringInfo out, bool verbatim_keys)
{
	check_stack_depth();

	switch (json_object_get_type(obj))
	{
		case json_type_null:
			appendStringInfoString(out, "null");
			break;
		case json_type_boolean:
			appendStringInfoString(out, json_object_get_boolean(obj) ? "true" : "false");
			break;
		case json_type_int:
		case json_type_double:
			appendStringInfoString(out,
								   json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN));
			break;
		case json_type_string:
			append_json_string(out, json_object_get_string(obj),
							   (size_t) json_object_get_string_len(obj));
			break;
		case json_type_array:
			{
				size_t		n = json_object_array_length(obj);
				size_t		i;

				appendStringInfoChar(out, '[');
				for (i = 0; i < n; i++)
				{
					if (i > 0)
						appendStringInfoString(out, ", ");
					walk_to_jsonb(json_object_array_get_idx(obj, i), out, false);
				}
				appendStringInfoChar(out, ']');
				break;
			}
		case json_type_object:
			{
				bool		first = true;
				struct json_object_iterator it = json_object_iter_begin(obj);
				struct json_object_iterator it_end = json_object_iter_end(obj);

				appendStringInfoChar(out, '{');
				while (!json_object_iter_equal(&it, &it_end))
				{
					const char *key = json_object_iter_peek_name(&it);
					struct json_object *value = json_object_iter_peek_value(&it);
					StringInfoData name;

					if (!first)
						appendStringInfoString(out, ", ");
					first = false;
					initStringInfo(&name);
					if (verbatim_keys)
						appendStringInfoString(&name, key);
					else
						append_snake_case(&name, key);
					append_json_string(out, name.data, name.len);
					pfree(name.data);
					appendStringInfoString(out, ": ");
					if (value == NULL)
						appendStringInfoString(out, "null");
					else
						walk_to_jsonb(value, out, !verbatim_keys && is_map_member(key));
					json_object_iter_next(&it);
				}
				appendStringInfoChar(out, '}');
				break;
			}
	}
}

/*
 * Append a node as JSON text for a jsonb column: struct member names become
 * snake_case (new, unknown members too), map keys stay as they are.  With
 * verbatim_top_keys the node itself is a map.
 */
void
bedrock_json_to_jsonb_text(const BedrockJson *node, StringInfo out,
						   bool verbatim_top_keys)
{
	walk_to_jsonb(NODE(node), out, verbatim_top_keys);
}
