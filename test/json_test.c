/*-------------------------------------------------------------------------
 * json_test.c
 *	  Checks of the JSON walker (json.c) without a backend: what the parser
 *	  refuses and with which message, member and array access, and the jsonb
 *	  text it writes.
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static int	passed = 0;
static int	failed = 0;
static int	ncheck = 0;

static void
report(bool good, const char *name, const char *got, const char *want)
{
	ncheck++;
	printf("%s %d - %s", good ? "ok" : "not ok", ncheck, name);
	if (!good)
		printf(" (got %s, want %s)", got ? got : "(null)", want ? want : "(null)");
	printf("\n");
	if (good)
		passed++;
	else
		failed++;
}

/*
 * Parse len bytes of text: must succeed (want NULL) or fail with exactly the
 * message want.
 */
static void
check_parse(const char *name, const char *text, size_t len, const char *want)
{
	const char *why;
	BedrockJson *doc = bedrock_json_parse_doc(text, len, &why);

	if (want == NULL)
		report(doc != NULL, name, why, "accepted");
	else
		report(doc == NULL && strcmp(why, want) == 0, name,
			   doc ? "accepted" : why, want);
	bedrock_json_free(doc);
}

/* The jsonb text of a document; want NULL means the walker must fail with want_status. */
static void
check_jsonb(const char *name, const char *text, bool verbatim, const char *want,
			BedrockJsonStatus want_status)
{
	const char *why;
	BedrockJson *doc = bedrock_json_parse_doc(text, strlen(text), &why);
	BedrockJsonBuf buf = {NULL, 0, 0};
	BedrockJsonStatus status;

	if (doc == NULL)
	{
		report(false, name, why, "a document");
		return;
	}
	status = bedrock_json_to_jsonb_text(doc, &buf, verbatim);
	if (want == NULL)
		report(status == want_status, name,
			   status == BEDROCK_JSON_OK ? buf.data : "another failure", "a failure");
	else
		report(status == BEDROCK_JSON_OK && strcmp(buf.data, want) == 0 &&
			   strlen(buf.data) == buf.len, name,
			   status == BEDROCK_JSON_OK ? buf.data : "a failure", want);
	bedrock_json_buf_free(&buf);
	bedrock_json_free(doc);
}

/* check_parse of a string literal, which may hold a NUL */
#define CHECK_PARSE(name, literal, want) \
	check_parse(name, literal, sizeof(literal) - 1, want)

/* A document nested depth arrays deep. */
static char *
nested(int depth)
{
	char	   *s = malloc(2 * depth + 1);
	int			i;

	for (i = 0; i < depth; i++)
	{
		s[i] = '[';
		s[2 * depth - 1 - i] = ']';
	}
	s[2 * depth] = '\0';
	return s;
}

/* A document of depth objects, each the member "k" of the one around it. */
static char *
nested_objects(int depth)
{
	char	   *s = malloc(7 * depth + 2);
	char	   *o = s;
	int			i;

	for (i = 0; i < depth; i++)
	{
		memcpy(o, "{\"k\": ", 6);
		o += 6;
	}
	*o++ = '0';
	for (i = 0; i < depth; i++)
		*o++ = '}';
	*o = '\0';
	return s;
}

static void
parse_checks(void)
{
	static const char nul_inside[] = "{\"a\": 1}\0{}";
	char	   *deep;

	CHECK_PARSE("object", "{\"a\": [1, 2.5, \"x\", true, null]}", NULL);
	CHECK_PARSE("blanks after the value", "{} \r\n\t", NULL);
	CHECK_PARSE("empty body", "", "empty response body");
	CHECK_PARSE("truncated", "{\"a\": [1, 2", "truncated JSON");
	CHECK_PARSE("trailing garbage", "{} x", "unexpected data after the JSON value");
	CHECK_PARSE("two values", "{}{}", "unexpected data after the JSON value");
	check_parse("NUL after the value", nul_inside, sizeof(nul_inside) - 1,
				"unexpected data after the JSON value");
	CHECK_PARSE("raw NUL in a string", "[\"a\0b\"]", "control character in a string");
	CHECK_PARSE("raw NUL in a key", "{\"a\0b\": 1}", "control character in a string");
	CHECK_PARSE("raw NUL between tokens", "[1,\0 2]", "unexpected character");
	CHECK_PARSE("bare null", "null", "response is JSON null");
	CHECK_PARSE("single quotes (strict)", "{'a': 1}", "object key expected");
	CHECK_PARSE("trailing comma (strict)", "[1,]", "unexpected character");
	CHECK_PARSE("comment (strict)", "/* x */ {}", "unexpected character");
	CHECK_PARSE("NaN (strict)", "[NaN]", "unexpected character");
	CHECK_PARSE("leading zero (strict)", "[01]", "number expected");
	CHECK_PARSE("Infinity (strict)", "[-Infinity]", "number expected");
	CHECK_PARSE("number without fraction digits", "[1.]", "number expected");
	CHECK_PARSE("number without integer digits", "[.5]", "unexpected character");
	CHECK_PARSE("number without exponent digits", "[1e+]", "number expected");
	CHECK_PARSE("plus sign", "[+1]", "unexpected character");
	CHECK_PARSE("hex number", "[0x1]", "array value separator ',' expected");
	CHECK_PARSE("numbers", "[0, -0, 1.5e-3, 2E+10, -12.0e5]", NULL);
	CHECK_PARSE("single-quoted key", "{'a': 1}", "object key expected");
	CHECK_PARSE("unquoted key", "{a: 1}", "object key expected");
	CHECK_PARSE("missing colon", "{\"a\" 1}", "object property name separator ':' expected");
	CHECK_PARSE("missing comma", "[1 2]", "array value separator ',' expected");
	CHECK_PARSE("capitalized literal", "[True]", "unexpected character");
	CHECK_PARSE("truncated literal", "[tru", "truncated JSON");
	CHECK_PARSE("truncated string", "[\"ab", "truncated JSON");
	CHECK_PARSE("truncated escape", "[\"\\u00", "truncated JSON");
	CHECK_PARSE("unknown escape", "[\"\\x\"]", "invalid string sequence");
	CHECK_PARSE("byte order mark", "\xef\xbb\xbf{}", "unexpected character");
	CHECK_PARSE("invalid UTF-8", "[\"\xc3\x28\"]", "invalid utf-8 string");
	CHECK_PARSE("overlong UTF-8", "[\"\xc0\xaf\"]", "invalid utf-8 string");
	CHECK_PARSE("overlong 3-byte UTF-8", "[\"\xe0\x80\xaf\"]", "invalid utf-8 string");
	CHECK_PARSE("UTF-8 surrogate", "[\"\xed\xa0\x80\"]", "invalid utf-8 string");
	CHECK_PARSE("UTF-8 past U+10FFFF", "[\"\xf4\x90\x80\x80\"]", "invalid utf-8 string");
	CHECK_PARSE("5-byte UTF-8", "[\"\xf8\x88\x80\x80\x80\"]", "invalid utf-8 string");
	CHECK_PARSE("truncated UTF-8", "[\"\xe2\x82", "truncated JSON");
	CHECK_PARSE("UTF-8 of every length", "[\"\x7f\xc2\x80\xe2\x82\xac\xed\x9f\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"]", NULL);
	CHECK_PARSE("raw control character in a string", "[\"a\x01\"]", "control character in a string");
	CHECK_PARSE("raw tab in a string", "[\"a\tb\"]", "control character in a string");
	CHECK_PARSE("escaped surrogate pair", "[\"\\ud83d\\ude00\"]", NULL);
	CHECK_PARSE("lone high surrogate", "[\"\\ud83d\"]", "unpaired Unicode surrogate in a string");
	CHECK_PARSE("high surrogate then a letter", "[\"\\ud83dx\"]", "unpaired Unicode surrogate in a string");
	CHECK_PARSE("high surrogate then another escape", "[\"\\ud83d\\u0041\"]", "unpaired Unicode surrogate in a string");
	CHECK_PARSE("lone low surrogate", "[\"\\ude00\"]", "unpaired Unicode surrogate in a string");
	CHECK_PARSE("\\u0000 in a value", "{\"a\": \"\\u0000\"}", NULL);
	CHECK_PARSE("\\u0000 in a key", "{\"a\\u0000b\": 1}", "object key contains \\u0000");
	deep = nested(BEDROCK_JSON_MAX_DEPTH);
	check_parse("nested to the limit", deep, strlen(deep), NULL);
	free(deep);
	deep = nested(BEDROCK_JSON_MAX_DEPTH + 1);
	check_parse("nested past the limit", deep, strlen(deep), "nesting too deep");
	free(deep);
	deep = nested_objects(BEDROCK_JSON_MAX_DEPTH);
	check_parse("objects nested to the limit", deep, strlen(deep), NULL);
	free(deep);
	deep = nested_objects(BEDROCK_JSON_MAX_DEPTH + 1);
	check_parse("objects nested past the limit", deep, strlen(deep), "nesting too deep");
	/* the depth is refused where it is reached, before the body ends */
	check_parse("too deep and truncated", deep, 6 * (BEDROCK_JSON_MAX_DEPTH + 1),
				"nesting too deep");
	check_parse("at the limit and truncated", deep, 6 * BEDROCK_JSON_MAX_DEPTH,
				"truncated JSON");
	free(deep);
}

/* RFC 3629's table, each row's edges, in a value and in a key. */
static void
utf8_checks(void)
{
	CHECK_PARSE("U+0080, the first 2-byte form", "[\"\xc2\x80\"]", NULL);
	CHECK_PARSE("U+07FF, the last 2-byte form", "[\"\xdf\xbf\"]", NULL);
	CHECK_PARSE("overlong 2-byte C1", "[\"\xc1\xbf\"]", "invalid utf-8 string");
	CHECK_PARSE("2-byte form, ASCII second byte", "[\"\xc2\x7f\"]", "invalid utf-8 string");
	CHECK_PARSE("2-byte form, lead byte second", "[\"\xc2\xc0\"]", "invalid utf-8 string");
	CHECK_PARSE("U+0800, the first 3-byte form", "[\"\xe0\xa0\x80\"]", NULL);
	CHECK_PARSE("overlong 3-byte E0 9F", "[\"\xe0\x9f\xbf\"]", "invalid utf-8 string");
	CHECK_PARSE("U+D7FF, before the surrogates", "[\"\xed\x9f\xbf\"]", NULL);
	CHECK_PARSE("U+DFFF, the last surrogate", "[\"\xed\xbf\xbf\"]", "invalid utf-8 string");
	CHECK_PARSE("U+E000, after the surrogates", "[\"\xee\x80\x80\"]", NULL);
	CHECK_PARSE("U+FFFF, the last 3-byte form", "[\"\xef\xbf\xbf\"]", NULL);
	CHECK_PARSE("3-byte form, bad third byte", "[\"\xe2\x82\x28\"]", "invalid utf-8 string");
	CHECK_PARSE("U+10000, the first 4-byte form", "[\"\xf0\x90\x80\x80\"]", NULL);
	CHECK_PARSE("overlong 4-byte F0 8F", "[\"\xf0\x8f\xbf\xbf\"]", "invalid utf-8 string");
	CHECK_PARSE("U+10FFFF, the last code point", "[\"\xf4\x8f\xbf\xbf\"]", NULL);
	CHECK_PARSE("F5 lead byte", "[\"\xf5\x80\x80\x80\"]", "invalid utf-8 string");
	CHECK_PARSE("4-byte form, bad fourth byte", "[\"\xf0\x90\x80\x28\"]", "invalid utf-8 string");
	CHECK_PARSE("lone continuation byte 80", "[\"\x80\"]", "invalid utf-8 string");
	CHECK_PARSE("lone continuation byte BF", "[\"a\xbf\"]", "invalid utf-8 string");
	CHECK_PARSE("byte FE", "[\"\xfe\"]", "invalid utf-8 string");
	CHECK_PARSE("byte FF", "[\"\xff\"]", "invalid utf-8 string");
	CHECK_PARSE("DEL is allowed raw", "[\"\x7f\"]", NULL);
	CHECK_PARSE("US (1F) is not", "[\"\x1f\"]", "control character in a string");
	CHECK_PARSE("4-byte form cut after two bytes", "[\"\xf0\x90", "truncated JSON");
	CHECK_PARSE("4-byte form cut after three bytes", "[\"\xf0\x90\x80", "truncated JSON");
	CHECK_PARSE("invalid byte before the cut", "[\"\xf0\x28", "invalid utf-8 string");
	CHECK_PARSE("invalid UTF-8 in a key", "{\"\xc3\x28\": 1}", "invalid utf-8 string");
	CHECK_PARSE("surrogate UTF-8 in a key", "{\"\xed\xa0\x80\": 1}", "invalid utf-8 string");
	CHECK_PARSE("valid UTF-8 in a key", "{\"caf\xc3\xa9\": 1}", NULL);
	CHECK_PARSE("invalid UTF-8 outside a string", "[\xc3\xa9]", "unexpected character");
}

/* Escapes: every kind, their errors, and which error wins where. */
static void
escape_checks(void)
{
	CHECK_PARSE("every simple escape", "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]", NULL);
	CHECK_PARSE("upper-case hex", "[\"\\u00C9\\uD83D\\uDE00\"]", NULL);
	CHECK_PARSE("bad hex digit", "[\"\\u00g0\"]", "invalid string sequence");
	CHECK_PARSE("short \\u then the quote", "[\"\\u12\"]", "invalid string sequence");
	/* fewer than six bytes left: truncated, whatever they hold */
	CHECK_PARSE("bad hex digit near the end", "[\"\\u0g", "truncated JSON");
	CHECK_PARSE("backslash at the end", "[\"\\", "truncated JSON");
	CHECK_PARSE("escaped NUL byte", "[\"\\\0\"]", "invalid string sequence");
	CHECK_PARSE("U+10FFFF as a pair", "[\"\\udbff\\udfff\"]", NULL);
	CHECK_PARSE("high surrogate twice", "[\"\\ud83d\\ud83d\"]", "unpaired Unicode surrogate in a string");
	CHECK_PARSE("high surrogate, bad hex after", "[\"\\ud83d\\u12x4\"]", "invalid string sequence");
	CHECK_PARSE("high surrogate, other escape after", "[\"\\ud83d\\n\\u0041\"]", "unpaired Unicode surrogate in a string");
	/* under six bytes after a high surrogate count as truncation */
	CHECK_PARSE("high surrogate, short escape at the end", "[\"\\ud83d\\n\"]", "truncated JSON");
	CHECK_PARSE("high surrogate at the end", "[\"\\ud83d", "truncated JSON");
	CHECK_PARSE("high surrogate, backslash at the end", "[\"\\ud83d\\", "truncated JSON");
	CHECK_PARSE("surrogate pair in a key", "{\"\\ud83d\\ude00\": 1}", NULL);
	CHECK_PARSE("lone low surrogate in a key", "{\"\\ude00\": 1}", "unpaired Unicode surrogate in a string");
	CHECK_PARSE("\\u0000 in a nested key", "{\"a\": [{\"\\u0000\": 1}]}", "object key contains \\u0000");
	CHECK_PARSE("\\u0000 in a value under a key", "{\"a\": {\"b\": \"x\\u0000\"}}", NULL);
	CHECK_PARSE("key error before a value error", "{\"\\u0000\": \"\\x\"}", "object key contains \\u0000");
	CHECK_PARSE("\\u0000 in a key, error after", "{\"\\u0000\": 1", "object key contains \\u0000");
}

/*
 * A string of k plain bytes, then one of each kind of byte, for every k up to
 * 24: a special byte at every offset of a word, near the body's end too.
 */
static void
boundary_checks(void)
{
	static const struct
	{
		const char *tail;
		const char *want;
	}			tails[] = {
		{"\"]", NULL},
		{"\\n\"]", NULL},
		{"\\u00e9\"]", NULL},
		{"\xc3\xa9\"]", NULL},
		{"\x01\"]", "control character in a string"},
		{"\x80\"]", "invalid utf-8 string"},
		{"\\q\"]", "invalid string sequence"},
		{"", "truncated JSON"},
		{"\xe2\x82", "truncated JSON"},
	};
	char		body[64];
	char		name[96];
	int			k;
	size_t		t;
	bool		all = true;
	char		what[160] = "";

	for (t = 0; t < sizeof(tails) / sizeof(tails[0]); t++)
	{
		for (k = 0; k <= 24; k++)
		{
			const char *why;
			BedrockJson *doc;
			size_t		len;

			memcpy(body, "[\"", 2);
			memset(body + 2, 'a', k);
			strcpy(body + 2 + k, tails[t].tail);
			len = strlen(body);
			doc = bedrock_json_parse_doc(body, len, &why);
			if (tails[t].want == NULL ? doc == NULL :
				doc != NULL || strcmp(why, tails[t].want) != 0)
			{
				if (all)
					snprintf(what, sizeof(what), "tail %zu after %d bytes: %s", t, k,
							 doc ? "accepted" : why);
				all = false;
			}
			bedrock_json_free(doc);
		}
		snprintf(name, sizeof(name), "a string's tail %zu after 0 to 24 plain bytes", t);
		report(all, name, what, tails[t].want ? tails[t].want : "accepted");
	}
}

/*
 * A document with every kind of token, cut at every length: each prefix is
 * truncated JSON, whatever token the cut falls in.
 */
static void
truncation_checks(void)
{
	static const char sample[] =
		"{\"a\": [1, -2.5e+3, 0.5E-1, true, false, null, \"x\\u00e9\\ud83d\\ude00\\n\\/\","
		" \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 long enough to take a few words\"],"
		" \"o\" : {\"k\": {}, \"l\": [ ], \"m\": [[0]]},\r\n\t\"z\": 0}";
	size_t		cut;
	size_t		bad = 0;
	const char *why;
	BedrockJson *doc;

	for (cut = 1; cut < sizeof(sample) - 1; cut++)
	{
		doc = bedrock_json_parse_doc(sample, cut, &why);
		if (doc != NULL || strcmp(why, "truncated JSON") != 0)
		{
			if (bad == 0)
				printf("# cut at %zu: %s\n", cut, doc ? "accepted" : why);
			bad++;
		}
		bedrock_json_free(doc);
	}
	report(bad == 0, "every prefix of the sample is truncated JSON",
		   bad ? "a prefix otherwise" : NULL, "truncated JSON");
	doc = bedrock_json_parse_doc(sample, sizeof(sample) - 1, &why);
	report(doc != NULL, "the whole sample", why, "accepted");
	bedrock_json_free(doc);
}

static void
access_checks(void)
{
	static const char text[] =
		"{\"s\": \"ab\\u0000c\", \"n\": null, \"a\": [\"x\", null], \"o\": {\"k\": 1}}";
	const char *why;
	BedrockJson *doc = bedrock_json_parse_doc(text, sizeof(text) - 1, &why);
	BedrockJson *a;
	const char *s;
	size_t		len = 0;

	if (doc == NULL)
	{
		report(false, "access document", why, "a document");
		return;
	}
	report(bedrock_json_type(doc) == BEDROCK_JSON_OBJECT, "root is an object", NULL, NULL);
	s = bedrock_json_string(bedrock_json_member(doc, "s"), &len);
	report(s != NULL && len == 4 && memcmp(s, "ab\0c", 4) == 0,
		   "string with \\u0000 keeps its length", s, "ab\\0c");
	report(bedrock_json_member(doc, "n") == NULL, "null member is absent", NULL, NULL);
	report(bedrock_json_member(doc, "missing") == NULL, "missing member", NULL, NULL);
	report(bedrock_json_member(bedrock_json_member(doc, "a"), "k") == NULL,
		   "member of an array", NULL, NULL);
	report(bedrock_json_member(NULL, "k") == NULL, "member of nothing", NULL, NULL);
	report(bedrock_json_string(bedrock_json_member(doc, "o"), &len) == NULL,
		   "string of an object", NULL, NULL);
	a = bedrock_json_member(doc, "a");
	report(bedrock_json_array_length(a) == 2, "array length", NULL, NULL);
	report(bedrock_json_array_length(doc) == -1, "array length of an object", NULL, NULL);
	report(bedrock_json_array_element(a, 1) == NULL, "null element", NULL, NULL);
	report(bedrock_json_array_element(a, 2) == NULL, "element past the end", NULL, NULL);
	report(bedrock_json_array_element(a, -1) == NULL, "negative element", NULL, NULL);
	report(bedrock_json_array_element(doc, 0) == NULL, "element of an object", NULL, NULL);
	report(strcmp(bedrock_json_type_name(bedrock_json_array_element(a, 0)), "string") == 0,
		   "type name", NULL, NULL);
	report(strcmp(bedrock_json_type_name(NULL), "null") == 0, "type name of nothing", NULL, NULL);
	bedrock_json_free(doc);
}

/* The string value of member key of a document: want, or NULL for none. */
static void
check_member(const char *name, const char *text, const char *key, const char *want)
{
	const char *why;
	BedrockJson *doc = bedrock_json_parse_doc(text, strlen(text), &why);
	const char *got = NULL;
	size_t		len;

	if (doc == NULL)
	{
		report(false, name, why, "a document");
		return;
	}
	got = bedrock_json_string(bedrock_json_member(doc, key), &len);
	report(want == NULL ? got == NULL : got != NULL && strcmp(got, want) == 0,
		   name, got, want);
	bedrock_json_free(doc);
}

/* Member lookup: the last of a name wins, even when it is null. */
static void
member_checks(void)
{
	check_member("duplicate key: the last", "{\"a\": \"1\", \"a\": \"2\"}", "a", "2");
	check_member("duplicate key: the last is null", "{\"a\": \"1\", \"a\": null}", "a", NULL);
	check_member("duplicate key: null first", "{\"a\": null, \"a\": \"x\"}", "a", "x");
	check_member("duplicate key, escaped and raw",
				 "{\"caf\\u00e9\": \"escaped\", \"caf\xc3\xa9\": \"raw\", \"b\": \"\"}",
				 "caf\xc3\xa9", "raw");
	check_member("same length and first byte", "{\"ab\": \"1\", \"ac\": \"2\"}", "ab", "1");
	check_member("same length and first byte, the other", "{\"ab\": \"1\", \"ac\": \"2\"}", "ac", "2");
	check_member("a prefix of a key", "{\"ab\": \"1\"}", "a", NULL);
	check_member("a key's prefix", "{\"a\": \"1\"}", "ab", NULL);
	check_member("the empty key", "{\"a\": \"1\", \"\": \"e\"}", "", "e");
	check_member("the empty key, absent", "{\"a\": \"1\"}", "", NULL);
	check_member("escaped quote in a key", "{\"a\\\"b\": \"q\"}", "a\"b", "q");
	check_member("no member in an empty object", "{}", "a", NULL);
	check_member("a byte no key holds", "{\"a\": \"1\"}", "\xff", NULL);
}

static void
jsonb_checks(void)
{
	check_jsonb("snake_case keys",
				"{\"s3Uri\": \"s3://b/k\", \"andAll\": [], \"resourceARN\": 1, "
				"\"ARNValue\": 2, \"teacherModelConfig\": {\"maxResponseLengthForInference\": 3}, "
				"\"already_snake\": 4, \"x1Y\": 5, \"ABC\": 6}",
				false,
				"{\"s3_uri\": \"s3://b/k\", \"and_all\": [], \"resource_arn\": 1, "
				"\"arn_value\": 2, \"teacher_model_config\": {\"max_response_length_for_inference\": 3}, "
				"\"already_snake\": 4, \"x1_y\": 5, \"abc\": 6}",
				BEDROCK_JSON_OK);
	check_jsonb("map members keep their keys",
				"{\"equals\": {\"myKey\": \"V\"}, \"notEquals\": {\"otherKey\": {\"innerKey\": 1}}, "
				"\"andAll\": [{\"equals\": {\"aB\": 1}}]}",
				false,
				"{\"equals\": {\"myKey\": \"V\"}, \"not_equals\": {\"otherKey\": {\"inner_key\": 1}}, "
				"\"and_all\": [{\"equals\": {\"aB\": 1}}]}",
				BEDROCK_JSON_OK);
	check_jsonb("verbatim top keys",
				"{\"epochCount\": \"2\", \"learningRate\": \"0.00001\", \"inner\": {\"subKey\": 1}}",
				true,
				"{\"epochCount\": \"2\", \"learningRate\": \"0.00001\", \"inner\": {\"sub_key\": 1}}",
				BEDROCK_JSON_OK);
	check_jsonb("array of objects",
				"[{\"validationLoss\": 0.1412}, {\"validationLoss\": 1.50}, [], {}]",
				false,
				"[{\"validation_loss\": 0.1412}, {\"validation_loss\": 1.50}, [], {}]",
				BEDROCK_JSON_OK);
	/* numbers as sent: jsonb's numeric reads each exactly (-0 as 0) */
	check_jsonb("scalars",
				"[true, false, null, -0, 12345678901234, 1e5, -2.5E-3, 123456789012345678901234567890]",
				false,
				"[true, false, null, -0, 12345678901234, 1e5, -2.5E-3, 123456789012345678901234567890]",
				BEDROCK_JSON_OK);
	check_jsonb("escapes as escape_json writes them",
				"[\"q\\\"b\\\\s\\/n\\nr\\rt\\tb\\bf\\f\\u0001\\u001f\\u007f\"]",
				false,
				"[\"q\\\"b\\\\s/n\\nr\\rt\\tb\\bf\\f\\u0001\\u001f\x7f\"]",
				BEDROCK_JSON_OK);
	check_jsonb("non-ASCII stays UTF-8",
				"{\"k\\u00e9y\": \"caf\xc3\xa9 \\u00e9 \\ud83d\\ude00\"}",
				true,
				"{\"k\xc3\xa9y\": \"caf\xc3\xa9 \xc3\xa9 \xf0\x9f\x98\x80\"}",
				BEDROCK_JSON_OK);
	check_jsonb("escaped key characters",
				"{\"a\\\"B\\n\": 1}",
				false,
				"{\"a\\\"b\\n\": 1}",
				BEDROCK_JSON_OK);
	check_jsonb("\\u0000 in a string fails", "{\"a\": [\"x\\u0000y\"]}", false, NULL,
				BEDROCK_JSON_NUL_CHAR);
	check_jsonb("\\u0000 alone fails", "\"\\u0000\"", false, NULL,
				BEDROCK_JSON_NUL_CHAR);
	check_jsonb("a scalar root", "\"plain\"", false, "\"plain\"", BEDROCK_JSON_OK);
}

/* The walker appends: earlier bytes stay. */
static void
append_check(void)
{
	const char *why;
	BedrockJson *doc = bedrock_json_parse_doc("{\"aB\": 1}", 9, &why);
	BedrockJsonBuf buf = {NULL, 0, 0};
	bool		ok;

	ok = doc != NULL &&
		bedrock_json_to_jsonb_text(doc, &buf, false) == BEDROCK_JSON_OK &&
		bedrock_json_to_jsonb_text(doc, &buf, true) == BEDROCK_JSON_OK;
	report(ok && strcmp(buf.data, "{\"a_b\": 1}{\"aB\": 1}") == 0, "appends",
		   buf.data, "{\"a_b\": 1}{\"aB\": 1}");
	bedrock_json_buf_free(&buf);
	report(buf.data == NULL && buf.len == 0, "buffer freed", NULL, NULL);
	bedrock_json_free(doc);
}

int
main(void)
{
	parse_checks();
	utf8_checks();
	escape_checks();
	boundary_checks();
	truncation_checks();
	access_checks();
	member_checks();
	jsonb_checks();
	append_check();
	printf("%d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
