/*-------------------------------------------------------------------------
 * fuzz_json.c
 *	  libFuzzer harness for the JSON walker (json.c) and the timestamp
 *	  parser (awstime.c), the code that reads what the network sends.
 *
 * Each input is parsed as a response body.  A document is then read the way
 * the FDW reads one (List, Get, Tags and error responses: the real member
 * names, array walks, jsonb text in both key modes) and every string in it
 * goes through the timestamp parser.  Beyond the sanitizers, it checks that
 * jsonb text always parses again and that a normalized timestamp
 * normalizes to itself.  Build and run: test/fuzz/run.sh.
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "awstime.h"
#include "json.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Member names the FDW looks up, in any response. */
static const char *const member_names[] = {
	"modelCustomizationJobSummaries", "nextToken", "jobArn", "jobName",
	"status", "customizationType", "baseModelArn", "creationTime",
	"lastModifiedTime", "endTime", "statusDetails", "customModelArn",
	"customModelName", "outputModelArn", "outputModelName",
	"clientRequestToken", "failureMessage", "roleArn",
	"outputModelKmsKeyArn", "customizationConfig", "hyperParameters",
	"outputDataConfig", "trainingDataConfig", "trainingMetrics",
	"validationDataConfig", "validationMetrics", "vpcConfig", "tags",
	"key", "value", "subnetIds", "securityGroupIds", "validators", "s3Uri",
	"code", "Code", "__type", "message", "Message", "", "\xff",
};

#define NMEMBERS (sizeof(member_names) / sizeof(member_names[0]))

static void
fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_json: %s: %s\n", what, detail ? detail : "(null)");
	abort();
}

/* Normalize a string as a timestamp; the result must normalize to itself. */
static void
check_timestamp(const char *s, size_t len)
{
	char		out[BEDROCK_TIMESTAMP_BUFLEN];
	char		again[BEDROCK_TIMESTAMP_BUFLEN];
	size_t		outlen;

	memset(out, 0x7f, sizeof(out));
	if (!bedrock_normalize_timestamp(s, len, out))
		return;
	outlen = strnlen(out, sizeof(out));
	if (outlen == sizeof(out))
		fail("timestamp output not terminated", NULL);
	if (!bedrock_normalize_timestamp(out, outlen, again))
		fail("normalized timestamp rejected", out);
	if (strcmp(out, again) != 0)
		fail("timestamp normalization not idempotent", out);
}

/*
 * jsonb text of a node in one key mode.  A container's text must parse
 * again: it is what PostgreSQL's jsonb input reads.
 */
static void
check_jsonb(const BedrockJson *node, bool verbatim)
{
	BedrockJsonBuf buf = {NULL, 0, 0};
	BedrockJsonStatus status = bedrock_json_to_jsonb_text(node, &buf, verbatim);

	if (status == BEDROCK_JSON_OK)
	{
		BedrockJsonType t = bedrock_json_type(node);

		if (buf.data == NULL || strlen(buf.data) != buf.len)
			fail("jsonb text length", buf.data);
		if (t == BEDROCK_JSON_OBJECT || t == BEDROCK_JSON_ARRAY)
		{
			const char *why;
			BedrockJson *again = bedrock_json_parse_doc(buf.data, buf.len, &why);

			if (again == NULL)
			{
				fprintf(stderr, "text: %s\n", buf.data);
				fail("jsonb text does not parse", why);
			}
			if (bedrock_json_type(again) != t)
				fail("jsonb text changed type", buf.data);
			bedrock_json_free(again);
		}
	}
	else if (status != BEDROCK_JSON_NUL_CHAR && status != BEDROCK_JSON_NO_MEMORY)
		fail("unknown jsonb status", NULL);
	bedrock_json_buf_free(&buf);
}

/* Read a node the way convert.c reads a column's value. */
static void
read_value(const BedrockJson *node)
{
	const char *s;
	size_t		len;
	int			n,
				i;

	if (node == NULL)
		return;
	(void) bedrock_json_type_name(node);
	switch (bedrock_json_type(node))
	{
		case BEDROCK_JSON_STRING:
			s = bedrock_json_string(node, &len);
			if (s == NULL || s[len] != '\0')
				fail("string not terminated", s);
			check_timestamp(s, len);
			break;
		case BEDROCK_JSON_ARRAY:
			n = bedrock_json_array_length(node);
			if (n < 0)
				fail("array without a length", NULL);
			for (i = -1; i <= n; i++)
			{
				BedrockJson *elem = bedrock_json_array_element(node, i);

				if ((i < 0 || i == n) && elem != NULL)
					fail("element out of range", NULL);
				if (elem == NULL)
					continue;
				s = bedrock_json_string(bedrock_json_member(elem, "s3Uri"), &len);
				if (s != NULL && s[len] != '\0')
					fail("s3Uri not terminated", s);
			}
			check_jsonb(node, false);
			break;
		case BEDROCK_JSON_OBJECT:
			check_jsonb(node, false);
			check_jsonb(node, true);
			break;
		default:
			break;
	}
}

/* A job summary, a Get answer or a Tags answer: every known member. */
static void
read_job(const BedrockJson *job)
{
	size_t		k;
	BedrockJson *vpc;
	BedrockJson *tags;
	int			n,
				i;

	for (k = 0; k < NMEMBERS; k++)
		read_value(bedrock_json_member(job, member_names[k]));

	vpc = bedrock_json_member(job, "vpcConfig");
	read_value(bedrock_json_member(vpc, "subnetIds"));
	read_value(bedrock_json_member(vpc, "securityGroupIds"));
	read_value(bedrock_json_member(bedrock_json_member(job, "validationDataConfig"),
								   "validators"));

	tags = bedrock_json_member(job, "tags");
	n = bedrock_json_array_length(tags);
	for (i = 0; i < n; i++)
	{
		BedrockJson *tag = bedrock_json_array_element(tags, i);

		read_value(bedrock_json_member(tag, "key"));
		read_value(bedrock_json_member(tag, "value"));
	}
}

/* Every string and key anywhere in the tree through the timestamp parser. */
static void
every_string(const BedrockJson *node)
{
	const char *s;
	size_t		len;
	int			n,
				i;

	if ((s = bedrock_json_string(node, &len)) != NULL)
		check_timestamp(s, len);
	n = bedrock_json_array_length(node);
	for (i = 0; i < n; i++)
		every_string(bedrock_json_array_element(node, i));
	n = bedrock_json_object_size(node);
	for (i = 0; i < n; i++)
	{
		const char *key;
		BedrockJson *value = bedrock_json_object_member(node, i, &key);

		check_timestamp(key, strlen(key));
		every_string(value);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	BedrockJson *doc;
	BedrockJson *jobs;
	char		out[BEDROCK_TIMESTAMP_BUFLEN];
	int			n,
				i;

	/* the raw bytes as a timestamp too: the parser is bounded by len */
	(void) bedrock_normalize_timestamp((const char *) data, size, out);

	doc = bedrock_json_parse_doc((const char *) data, size, &why);
	if (doc == NULL)
	{
		if (why == NULL)
			fail("parse failed without a reason", NULL);
		return 0;
	}

	read_value(doc);
	read_job(doc);
	jobs = bedrock_json_member(doc, "modelCustomizationJobSummaries");
	n = bedrock_json_array_length(jobs);
	for (i = 0; i < n; i++)
		read_job(bedrock_json_array_element(jobs, i));
	every_string(doc);

	bedrock_json_free(doc);
	return 0;
}
