/*-------------------------------------------------------------------------
 * json_parse.c
 *	  The driver of bench/json_parse.sh: parse Bedrock answers with json.c
 *	  and look up the converter's members in them, for callgrind to count.
 *
 *   json_parse list FILE    FILE is one List page: parse it, then look up
 *                           the bedrock_jobs summary members of each summary
 *   json_parse gets FILE    FILE holds one Get answer a line: parse each,
 *                           then look up the Get members in it
 *
 * Prints what it parsed; the figures come from callgrind's inclusive counts
 * of bedrock_json_parse_doc and bedrock_json_member.
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* the members convert.c reads of a summary (absent ones too) */
static const char *const summary_keys[] = {
	"jobArn", "jobName", "status", "customizationType", "baseModelArn",
	"creationTime", "lastModifiedTime", "endTime", "customModelArn",
	"customModelName", "statusDetails", "failureMessage", "outputModelName",
};

/* and of a Get answer */
static const char *const get_keys[] = {
	"jobArn", "jobName", "status", "customizationType", "baseModelArn",
	"creationTime", "lastModifiedTime", "endTime", "outputModelArn",
	"outputModelName", "statusDetails", "failureMessage", "clientRequestToken",
	"roleArn", "outputModelKmsKeyArn", "customizationConfig", "hyperParameters",
	"outputDataConfig", "trainingDataConfig", "trainingMetrics",
	"validationDataConfig", "validationMetrics", "vpcConfig",
};

#define NKEYS(a) (sizeof(a) / sizeof(a[0]))

static long lookups;
static long found;

static void
look_up(const BedrockJson *obj, const char *const *keys, size_t n)
{
	size_t		k;

	for (k = 0; k < n; k++)
		found += bedrock_json_member(obj, keys[k]) != NULL;
	lookups += n;
}

static BedrockJson *
parse_or_die(const char *data, size_t len)
{
	const char *why;
	BedrockJson *doc = bedrock_json_parse_doc(data, len, &why);

	if (doc == NULL)
	{
		fprintf(stderr, "json_parse: %s\n", why);
		exit(1);
	}
	return doc;
}

int
main(int argc, char **argv)
{
	FILE	   *f;
	char	   *body;
	long		len;
	size_t		bytes = 0;
	int			docs = 0;

	if (argc != 3 || (strcmp(argv[1], "list") != 0 && strcmp(argv[1], "gets") != 0))
	{
		fprintf(stderr, "usage: json_parse list|gets FILE\n");
		return 2;
	}
	if ((f = fopen(argv[2], "rb")) == NULL)
	{
		perror(argv[2]);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	body = malloc(len + 1);
	if (body == NULL || fread(body, 1, len, f) != (size_t) len)
		return 1;
	fclose(f);

	if (strcmp(argv[1], "list") == 0)
	{
		BedrockJson *doc = parse_or_die(body, len);
		BedrockJson *list = bedrock_json_member(doc, "modelCustomizationJobSummaries");
		int			i;

		for (i = 0; i < bedrock_json_array_length(list); i++)
			look_up(bedrock_json_array_element(list, i), summary_keys,
					NKEYS(summary_keys));
		bedrock_json_free(doc);
		bytes = len;
		docs = 1;
	}
	else
	{
		char	   *p = body;
		char	   *end = body + len;

		while (p < end)
		{
			char	   *nl = memchr(p, '\n', end - p);
			BedrockJson *doc;

			if (nl == NULL)
				nl = end;
			doc = parse_or_die(p, nl - p);
			look_up(doc, get_keys, NKEYS(get_keys));
			bedrock_json_free(doc);
			bytes += nl - p;
			docs++;
			p = nl + 1;
		}
	}
	printf("%d documents, %zu bytes, %ld lookups, %ld found\n", docs, bytes,
		   lookups, found);
	free(body);
	return 0;
}
