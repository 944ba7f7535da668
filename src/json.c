/*-------------------------------------------------------------------------
 * json.c
 *	  The one place that knows json-c: parsing Bedrock responses and walking
 *	  them, including the conversion of API structs to jsonb text.
 *
 * Nothing here uses the backend (no palloc, no ereport): a document is a
 * json-c tree its owner frees with bedrock_json_free(), text is produced
 * into a malloc'd buffer, and problems come back as return codes.  So the
 * JSON test program and the fuzzer link this file alone; convert.c adds the
 * PostgreSQL side (a document freed with a memory context, the conversion to
 * the server encoding).
 *-------------------------------------------------------------------------
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "json.h"

/* Node handles are json_object pointers in disguise. */
#define NODE(n) ((struct json_object *) (n))
#define HANDLE(o) ((BedrockJson *) (o))

/* Output of the jsonb walker: a buffer and the first failure, sticky. */
typedef struct JsonOut
{
	BedrockJsonBuf *buf;
	BedrockJsonStatus status;
} JsonOut;

static const char *check_syntax(const unsigned char *p, size_t len);
static const char *check_string(const unsigned char *p, size_t len,
								size_t *pos, bool is_key);
static const char *check_number(const unsigned char *p, size_t len,
								size_t *pos);
static int	hex4(const unsigned char *p);
static bool out_reserve(JsonOut *out, size_t extra);
static void out_append(JsonOut *out, const char *data, size_t len);
static void out_append_str(JsonOut *out, const char *s);
static void out_append_escaped(JsonOut *out, unsigned char c);
static void append_json_string(JsonOut *out, const char *s, size_t len);
static void append_key(JsonOut *out, const char *key, bool verbatim);
static bool is_map_member(const char *key);
static void walk_to_jsonb(struct json_object *obj, JsonOut *out,
						  bool verbatim_keys);

/* A JSON blank, the only bytes allowed between tokens. */
#define IS_BLANK(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\r')

/*
 * Check that a body is exactly one RFC 8259 JSON value with strict UTF-8
 * (RFC 3629) in its strings, nested at most BEDROCK_JSON_MAX_DEPTH deep.
 * json-c's own strict mode lets through NaN, Infinity, "1.", single-quoted
 * keys and raw control characters, and its UTF-8 check passes overlong
 * forms, surrogates and code points past U+10FFFF: PostgreSQL would refuse
 * those later, far from the response, or not at all.  Object keys must not
 * hold \u0000 either, because json-c cuts a key at its first NUL, which
 * could make two keys one.  Returns NULL if the body is good, else a static
 * description.
 */
static const char *
check_syntax(const unsigned char *p, size_t len)
{
	unsigned char stack[BEDROCK_JSON_MAX_DEPTH];
	int			depth = 0;
	size_t		pos = 0;
	const char *err;

value:
	while (pos < len && IS_BLANK(p[pos]))
		pos++;
	if (pos == len)
		return "truncated JSON";
	switch (p[pos])
	{
		case '{':
		case '[':
			if (depth == BEDROCK_JSON_MAX_DEPTH)
				return "nesting too deep";
			stack[depth++] = p[pos++];
			while (pos < len && IS_BLANK(p[pos]))
				pos++;
			if (pos == len)
				return "truncated JSON";
			if (p[pos] == (stack[depth - 1] == '{' ? '}' : ']'))
			{
				pos++;
				depth--;
				goto after_value;
			}
			if (stack[depth - 1] == '{')
				goto key;
			goto value;
		case '"':
			if ((err = check_string(p, len, &pos, false)) != NULL)
				return err;
			goto after_value;
		case 't':
		case 'f':
		case 'n':
			{
				const char *word = p[pos] == 't' ? "true" :
					p[pos] == 'f' ? "false" : "null";
				size_t		n = strlen(word);
				size_t		avail = len - pos < n ? len - pos : n;

				if (memcmp(p + pos, word, avail) != 0)
					return "unexpected character";
				if (avail < n)
					return "truncated JSON";
				pos += n;
				goto after_value;
			}
		default:
			if (p[pos] == '-' || (p[pos] >= '0' && p[pos] <= '9'))
			{
				if ((err = check_number(p, len, &pos)) != NULL)
					return err;
				goto after_value;
			}
			return "unexpected character";
	}

key:
	while (pos < len && IS_BLANK(p[pos]))
		pos++;
	if (pos == len)
		return "truncated JSON";
	if (p[pos] != '"')
		return "object key expected";
	if ((err = check_string(p, len, &pos, true)) != NULL)
		return err;
	while (pos < len && IS_BLANK(p[pos]))
		pos++;
	if (pos == len)
		return "truncated JSON";
	if (p[pos] != ':')
		return "object property name separator ':' expected";
	pos++;
	goto value;

after_value:
	while (pos < len && IS_BLANK(p[pos]))
		pos++;
	if (depth == 0)
		return pos == len ? NULL : "unexpected data after the JSON value";
	if (pos == len)
		return "truncated JSON";
	if (p[pos] == ',')
	{
		pos++;
		if (stack[depth - 1] == '{')
			goto key;
		goto value;
	}
	if (p[pos] == (stack[depth - 1] == '{' ? '}' : ']'))
	{
		pos++;
		depth--;
		goto after_value;
	}
	return stack[depth - 1] == '{' ? "object value separator ',' expected" :
		"array value separator ',' expected";
}

/* The value of four hex digits, or -1. */
static int
hex4(const unsigned char *p)
{
	int			v = 0;
	int			i;

	for (i = 0; i < 4; i++)
	{
		unsigned char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/*
 * Check the string literal at *pos (its opening quote) and move past it.
 * A \u escape of a surrogate must be a high one followed by a low one.
 */
static const char *
check_string(const unsigned char *p, size_t len, size_t *pos, bool is_key)
{
	size_t		i = *pos + 1;

	for (;;)
	{
		unsigned char c;

		if (i >= len)
			return "truncated JSON";
		c = p[i];
		if (c == '"')
			break;
		if (c < 0x20)
			return "control character in a string";
		if (c == '\\')
		{
			int			u;

			if (len - i < 2)
				return "truncated JSON";
			if (p[i + 1] != '\0' && strchr("\"\\/bfnrt", p[i + 1]) != NULL)
			{
				i += 2;
				continue;
			}
			if (p[i + 1] != 'u')
				return "invalid string sequence";
			if (len - i < 6)
				return "truncated JSON";
			if ((u = hex4(p + i + 2)) < 0)
				return "invalid string sequence";
			i += 6;
			if (u == 0 && is_key)
				return "object key contains \\u0000";
			if (u >= 0xDC00 && u <= 0xDFFF)
				return "unpaired Unicode surrogate in a string";
			if (u >= 0xD800 && u <= 0xDBFF)
			{
				int			low;

				if (i < len && p[i] != '\\')
					return "unpaired Unicode surrogate in a string";
				if (len - i < 6)
					return "truncated JSON";
				if (p[i + 1] != 'u')
					return "unpaired Unicode surrogate in a string";
				if ((low = hex4(p + i + 2)) < 0)
					return "invalid string sequence";
				if (low < 0xDC00 || low > 0xDFFF)
					return "unpaired Unicode surrogate in a string";
				i += 6;
			}
			continue;
		}
		if (c < 0x80)
		{
			i++;
			continue;
		}
		else
		{
			/* RFC 3629: the second byte's range depends on the first */
			unsigned char lo = 0x80,
						hi = 0xBF;
			int			n;
			int			k;

			if (c >= 0xC2 && c <= 0xDF)
				n = 1;
			else if (c >= 0xE0 && c <= 0xEF)
			{
				n = 2;
				if (c == 0xE0)
					lo = 0xA0;
				else if (c == 0xED)
					hi = 0x9F;
			}
			else if (c >= 0xF0 && c <= 0xF4)
			{
				n = 3;
				if (c == 0xF0)
					lo = 0x90;
				else if (c == 0xF4)
					hi = 0x8F;
			}
			else
				return "invalid utf-8 string";
			for (k = 1; k <= n; k++)
			{
				if (i + k >= len)
					return "truncated JSON";
				if (p[i + k] < lo || p[i + k] > hi)
					return "invalid utf-8 string";
				lo = 0x80;
				hi = 0xBF;
			}
			i += n + 1;
		}
	}
	*pos = i + 1;
	return NULL;
}

/* Check the number at *pos: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static const char *
check_number(const unsigned char *p, size_t len, size_t *pos)
{
	size_t		i = *pos;

#define DIGIT_AT(j) ((j) < len && p[j] >= '0' && p[j] <= '9')
	if (p[i] == '-')
		i++;
	if (i == len)
		return "truncated JSON";
	if (p[i] == '0')
	{
		i++;
		if (DIGIT_AT(i))
			return "number expected";
	}
	else if (DIGIT_AT(i))
	{
		while (DIGIT_AT(i))
			i++;
	}
	else
		return "number expected";
	if (i < len && p[i] == '.')
	{
		i++;
		if (i == len)
			return "truncated JSON";
		if (!DIGIT_AT(i))
			return "number expected";
		while (DIGIT_AT(i))
			i++;
	}
	if (i < len && (p[i] == 'e' || p[i] == 'E'))
	{
		i++;
		if (i < len && (p[i] == '+' || p[i] == '-'))
			i++;
		if (i == len)
			return "truncated JSON";
		if (!DIGIT_AT(i))
			return "number expected";
		while (DIGIT_AT(i))
			i++;
	}
#undef DIGIT_AT
	*pos = i;
	return NULL;
}

/*
 * Parse a response body.  Returns the root, or NULL with *errmsg set when the
 * body is not a single valid UTF-8 JSON value (truncated, trailing garbage,
 * too deep, invalid bytes; see check_syntax, which runs first).  json-c then
 * builds the tree with its own checks on too.  The caller owns the result.
 */
BedrockJson *
bedrock_json_parse_doc(const char *data, size_t len, const char **errmsg)
{
	struct json_tokener *tok;
	struct json_object *root;
	enum json_tokener_error jerr;
	size_t		end;

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
	*errmsg = check_syntax((const unsigned char *) data, len);
	if (*errmsg != NULL)
		return NULL;

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
		*errmsg = "response is JSON null";
		return NULL;
	}
	return HANDLE (root);
}

/* Release a document returned by bedrock_json_parse_doc (NULL is a no-op). */
void
bedrock_json_free(BedrockJson *doc)
{
	json_object_put(NODE (doc));
}

BedrockJsonType
bedrock_json_type(const BedrockJson *node)
{
	switch (json_object_get_type(NODE (node)))
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

	if (object == NULL || !json_object_is_type(NODE (object), json_type_object))
		return NULL;
	if (!json_object_object_get_ex(NODE (object), key, &value) || value == NULL)
		return NULL;
	return HANDLE (value);
}

/*
 * The bytes of a string node and their count, or NULL if not a string.  The
 * bytes are valid UTF-8 and NUL-terminated, but may hold a NUL (\u0000)
 * before *len.
 */
const char *
bedrock_json_string(const BedrockJson *node, size_t *len)
{
	if (node == NULL || !json_object_is_type(NODE (node), json_type_string))
		return NULL;
	*len = (size_t) json_object_get_string_len(NODE (node));
	return json_object_get_string(NODE (node));
}

/* Number of elements of an array node, or -1 if not an array. */
int
bedrock_json_array_length(const BedrockJson *node)
{
	if (node == NULL || !json_object_is_type(NODE (node), json_type_array))
		return -1;
	return (int) json_object_array_length(NODE (node));
}

/* Element i of an array (NULL for JSON null), or NULL if there is none. */
BedrockJson *
bedrock_json_array_element(const BedrockJson *array, int i)
{
	if (array == NULL || !json_object_is_type(NODE (array), json_type_array) ||
		i < 0 || (size_t) i >= json_object_array_length(NODE (array)))
		return NULL;
	return HANDLE (json_object_array_get_idx(NODE (array), (size_t) i));
}

/*
 * Make room for extra more bytes plus the NUL.  Once this fails the output is
 * marked out of memory and every later append does nothing.
 */
static bool
out_reserve(JsonOut *out, size_t extra)
{
	BedrockJsonBuf *buf = out->buf;
	size_t		need;
	size_t		newcap;
	char	   *newdata;

	if (out->status != BEDROCK_JSON_OK)
		return false;
	if (extra > SIZE_MAX - buf->len - 1)
	{
		out->status = BEDROCK_JSON_NO_MEMORY;
		return false;
	}
	need = buf->len + extra + 1;
	if (buf->data != NULL && need <= buf->cap)
		return true;

	newcap = buf->cap > 0 ? buf->cap : 256;
	while (newcap < need)
	{
		if (newcap > SIZE_MAX / 2)
		{
			newcap = need;
			break;
		}
		newcap *= 2;
	}
	newdata = realloc(buf->data, newcap);
	if (newdata == NULL)
	{
		out->status = BEDROCK_JSON_NO_MEMORY;
		return false;
	}
	if (buf->data == NULL)
		newdata[0] = '\0';
	buf->data = newdata;
	buf->cap = newcap;
	return true;
}

static void
out_append(JsonOut *out, const char *data, size_t len)
{
	if (!out_reserve(out, len))
		return;
	memcpy(out->buf->data + out->buf->len, data, len);
	out->buf->len += len;
	out->buf->data[out->buf->len] = '\0';
}

static void
out_append_str(JsonOut *out, const char *s)
{
	out_append(out, s, strlen(s));
}

/*
 * Append one byte of a JSON string literal, escaped exactly as PostgreSQL's
 * escape_json() does, so the text reads as it did when that built it.
 */
static void
out_append_escaped(JsonOut *out, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char		esc[6];

	switch (c)
	{
		case '\b':
			out_append(out, "\\b", 2);
			return;
		case '\f':
			out_append(out, "\\f", 2);
			return;
		case '\n':
			out_append(out, "\\n", 2);
			return;
		case '\r':
			out_append(out, "\\r", 2);
			return;
		case '\t':
			out_append(out, "\\t", 2);
			return;
		case '"':
			out_append(out, "\\\"", 2);
			return;
		case '\\':
			out_append(out, "\\\\", 2);
			return;
	}
	if (c < ' ')
	{
		esc[0] = '\\';
		esc[1] = 'u';
		esc[2] = '0';
		esc[3] = '0';
		esc[4] = hex[c >> 4];
		esc[5] = hex[c & 0x0F];
		out_append(out, esc, 6);
	}
	else
		out_append(out, (const char *) &c, 1);
}

/*
 * Append a JSON string literal.  A NUL inside the string (\u0000 in the
 * response) fails the output: no PostgreSQL text can hold it.
 */
static void
append_json_string(JsonOut *out, const char *s, size_t len)
{
	size_t		i;

	if (memchr(s, '\0', len) != NULL)
	{
		if (out->status == BEDROCK_JSON_OK)
			out->status = BEDROCK_JSON_NUL_CHAR;
		return;
	}
	/* the literal is at least this long: one allocation for most strings */
	if (len > SIZE_MAX - 2 || !out_reserve(out, len + 2))
	{
		if (out->status == BEDROCK_JSON_OK)
			out->status = BEDROCK_JSON_NO_MEMORY;
		return;
	}
	out_append(out, "\"", 1);
	for (i = 0; i < len; i++)
		out_append_escaped(out, (unsigned char) s[i]);
	out_append(out, "\"", 1);
}

/*
 * Append an object key as a JSON string literal.  Unless verbatim, an API
 * member name becomes snake_case, the way the AWS SDKs derive Python names:
 * "s3Uri" -> "s3_uri", "andAll" -> "and_all", "resourceARN" ->
 * "resource_arn", "ARNValue" -> "arn_value".
 */
static void
append_key(JsonOut *out, const char *key, bool verbatim)
{
	size_t		i;

	out_append(out, "\"", 1);
	for (i = 0; key[i]; i++)
	{
		char		c = key[i];

		if (!verbatim && c >= 'A' && c <= 'Z')
		{
			if (i > 0)
			{
				char		prev = key[i - 1];
				char		next = key[i + 1];

				if ((prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9') ||
					((prev >= 'A' && prev <= 'Z') && next >= 'a' && next <= 'z'))
					out_append(out, "_", 1);
			}
			out_append_escaped(out, (unsigned char) (c - 'A' + 'a'));
		}
		else
			out_append_escaped(out, (unsigned char) c);
	}
	out_append(out, "\"", 1);
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

/*
 * The recursion is bounded: the parser refuses documents nested deeper than
 * BEDROCK_JSON_MAX_DEPTH.
 */
static void
walk_to_jsonb(struct json_object *obj, JsonOut *out, bool verbatim_keys)
{
	if (out->status != BEDROCK_JSON_OK)
		return;

	switch (json_object_get_type(obj))
	{
		case json_type_null:
			out_append_str(out, "null");
			break;
		case json_type_boolean:
			out_append_str(out, json_object_get_boolean(obj) ? "true" : "false");
			break;
		case json_type_int:
		case json_type_double:
			{
				const char *num = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN);

				if (num == NULL)
					out->status = BEDROCK_JSON_NO_MEMORY;
				else
					out_append_str(out, num);
				break;
			}
		case json_type_string:
			append_json_string(out, json_object_get_string(obj),
							   (size_t) json_object_get_string_len(obj));
			break;
		case json_type_array:
			{
				size_t		n = json_object_array_length(obj);
				size_t		i;

				out_append(out, "[", 1);
				for (i = 0; i < n; i++)
				{
					if (i > 0)
						out_append(out, ", ", 2);
					walk_to_jsonb(json_object_array_get_idx(obj, i), out, false);
				}
				out_append(out, "]", 1);
				break;
			}
		case json_type_object:
			{
				bool		first = true;
				struct json_object_iterator it = json_object_iter_begin(obj);
				struct json_object_iterator it_end = json_object_iter_end(obj);

				out_append(out, "{", 1);
				while (!json_object_iter_equal(&it, &it_end))
				{
					const char *key = json_object_iter_peek_name(&it);
					struct json_object *value = json_object_iter_peek_value(&it);

					if (!first)
						out_append(out, ", ", 2);
					first = false;
					append_key(out, key, verbatim_keys);
					out_append(out, ": ", 2);
					if (value == NULL)
						out_append_str(out, "null");
					else
						walk_to_jsonb(value, out, !verbatim_keys && is_map_member(key));
					json_object_iter_next(&it);
				}
				out_append(out, "}", 1);
				break;
			}
	}
}

/*
 * Append a node as JSON text for a jsonb column: struct member names become
 * snake_case (new, unknown members too), map keys stay as they are.  With
 * verbatim_top_keys the node itself is a map.  The text is UTF-8, in the
 * layout PostgreSQL's own JSON output uses (", " and ": ").
 */
BedrockJsonStatus
bedrock_json_to_jsonb_text(const BedrockJson *node, BedrockJsonBuf *out,
						   bool verbatim_top_keys)
{
	JsonOut		o;

	o.buf = out;
	o.status = BEDROCK_JSON_OK;
	/* even an empty result is a NUL-terminated string */
	if (!out_reserve(&o, 0))
		return o.status;
	walk_to_jsonb(NODE (node), &o, verbatim_top_keys);
	return o.status;
}

/* Release a buffer's bytes and make it empty again. */
void
bedrock_json_buf_free(BedrockJsonBuf *buf)
{
	free(buf->data);
	buf->data = NULL;
	buf->len = 0;
	buf->cap = 0;
}
