/*-------------------------------------------------------------------------
 * json_test.c
 *	  Checks of the JSON walker (json.c) without a backend: what the parser
 *	  refuses, member and array access, and the jsonb text it writes.
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

/* Parse len bytes of text: must fail (want_error) or succeed. */
static void
check_parse(const char *name, const char *text, size_t len, bool want_error)
{
	const char *why;
	BedrockJson *doc = bedrock_json_parse_doc(text, len, &why);

	report((doc == NULL) == want_error, name,
		   doc ? "accepted" : why, want_error ? "an error" : "accepted");
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
#define CHECK_PARSE(name, literal, want_error) \
	check_parse(name, literal, sizeof(literal) - 1, want_error)

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

static void
parse_checks(void)
{
	static const char nul_inside[] = "{\"a\": 1}\0{}";
	char	   *deep;

	CHECK_PARSE("object", "{\"a\": [1, 2.5, \"x\", true, null]}", false);
	CHECK_PARSE("blanks after the value", "{} \r\n\t", false);
	CHECK_PARSE("empty body", "", true);
	CHECK_PARSE("truncated", "{\"a\": [1, 2", true);
	CHECK_PARSE("trailing garbage", "{} x", true);
	CHECK_PARSE("two values", "{}{}", true);
	check_parse("NUL after the value", nul_inside, sizeof(nul_inside) - 1, true);
	CHECK_PARSE("bare null", "null", true);
	CHECK_PARSE("single quotes (strict)", "{'a': 1}", true);
	CHECK_PARSE("trailing comma (strict)", "[1,]", true);
	CHECK_PARSE("comment (strict)", "/* x */ {}", true);
	CHECK_PARSE("NaN (strict)", "[NaN]", true);
	CHECK_PARSE("leading zero (strict)", "[01]", true);
	CHECK_PARSE("Infinity (strict)", "[-Infinity]", true);
	CHECK_PARSE("number without fraction digits", "[1.]", true);
	CHECK_PARSE("number without integer digits", "[.5]", true);
	CHECK_PARSE("number without exponent digits", "[1e+]", true);
	CHECK_PARSE("plus sign", "[+1]", true);
	CHECK_PARSE("hex number", "[0x1]", true);
	CHECK_PARSE("numbers", "[0, -0, 1.5e-3, 2E+10, -12.0e5]", false);
	CHECK_PARSE("single-quoted key", "{'a': 1}", true);
	CHECK_PARSE("unquoted key", "{a: 1}", true);
	CHECK_PARSE("missing colon", "{\"a\" 1}", true);
	CHECK_PARSE("missing comma", "[1 2]", true);
	CHECK_PARSE("capitalized literal", "[True]", true);
	CHECK_PARSE("truncated literal", "[tru", true);
	CHECK_PARSE("truncated string", "[\"ab", true);
	CHECK_PARSE("truncated escape", "[\"\\u00", true);
	CHECK_PARSE("unknown escape", "[\"\\x\"]", true);
	CHECK_PARSE("byte order mark", "\xef\xbb\xbf{}", true);
	CHECK_PARSE("invalid UTF-8", "[\"\xc3\x28\"]", true);
	CHECK_PARSE("overlong UTF-8", "[\"\xc0\xaf\"]", true);
	CHECK_PARSE("overlong 3-byte UTF-8", "[\"\xe0\x80\xaf\"]", true);
	CHECK_PARSE("UTF-8 surrogate", "[\"\xed\xa0\x80\"]", true);
	CHECK_PARSE("UTF-8 past U+10FFFF", "[\"\xf4\x90\x80\x80\"]", true);
	CHECK_PARSE("5-byte UTF-8", "[\"\xf8\x88\x80\x80\x80\"]", true);
	CHECK_PARSE("truncated UTF-8", "[\"\xe2\x82", true);
	CHECK_PARSE("UTF-8 of every length", "[\"\x7f\xc2\x80\xe2\x82\xac\xed\x9f\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"]", false);
	CHECK_PARSE("raw control character in a string", "[\"a\x01\"]", true);
	CHECK_PARSE("raw tab in a string", "[\"a\tb\"]", true);
	CHECK_PARSE("escaped surrogate pair", "[\"\\ud83d\\ude00\"]", false);
	CHECK_PARSE("lone high surrogate", "[\"\\ud83d\"]", true);
	CHECK_PARSE("high surrogate then a letter", "[\"\\ud83dx\"]", true);
	CHECK_PARSE("high surrogate then another escape", "[\"\\ud83d\\u0041\"]", true);
	CHECK_PARSE("lone low surrogate", "[\"\\ude00\"]", true);
	CHECK_PARSE("\\u0000 in a value", "{\"a\": \"\\u0000\"}", false);
	CHECK_PARSE("\\u0000 in a key", "{\"a\\u0000b\": 1}", true);
	deep = nested(BEDROCK_JSON_MAX_DEPTH);
	check_parse("nested to the limit", deep, strlen(deep), false);
	free(deep);
	deep = nested(BEDROCK_JSON_MAX_DEPTH + 1);
	check_parse("nested past the limit", deep, strlen(deep), true);
	free(deep);
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
	access_checks();
	jsonb_checks();
	append_check();
	printf("%d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
