/*
 * catalog_dump.c: print the resource catalog (src/resources.c) as JSON, for
 * test/catalog_test.py (which holds it to the service model), the
 * differential test and the generated table docs.  Links only
 * src/resources.c: the catalog needs no backend.
 *
 *     test/catalog_dump > catalog.json
 */
#include <stdio.h>
#include <string.h>

#include "catalog.h"

static const char *const kind_names[] = {
	[BEDROCK_KIND_TEXT] = "text",
	[BEDROCK_KIND_TIMESTAMPTZ] = "timestamp with time zone",
	[BEDROCK_KIND_JSONB] = "jsonb",
	[BEDROCK_KIND_TEXT_ARRAY] = "text[]",
	[BEDROCK_KIND_BIGINT] = "bigint",
	[BEDROCK_KIND_BOOLEAN] = "boolean",
	[BEDROCK_KIND_DOUBLE] = "double precision",
};
static const char *const source_names[] = {
	[BEDROCK_SOURCE_LIST] = "list",
	[BEDROCK_SOURCE_GET] = "get",
	[BEDROCK_SOURCE_TAGS] = "tags",
};
static const char *const shape_names[] = {
	[BEDROCK_SHAPE_PLAIN] = "plain",
	[BEDROCK_SHAPE_ARRAY] = "array",
	[BEDROCK_SHAPE_MAP] = "map",
	[BEDROCK_SHAPE_REGION] = "region",
	[BEDROCK_SHAPE_ACCOUNT] = "account",
	[BEDROCK_SHAPE_TAG_LIST] = "tag_list",
	[BEDROCK_SHAPE_TAG_MAP] = "tag_map",
	[BEDROCK_SHAPE_FLATTEN] = "flatten",
};

/* A JSON string, or null. */
static void
str(const char *s)
{
	if (s == NULL)
	{
		fputs("null", stdout);
		return;
	}
	putchar('"');
	for (; *s; s++)
	{
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char) *s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void
key(const char *k, int first)
{
	printf("%s\"%s\": ", first ? "" : ", ", k);
}

static void
check(const BedrockValueCheck *c)
{
	const char *const *e;

	key("enum", 1);
	if (c->enum_values == NULL)
		fputs("null", stdout);
	else
	{
		putchar('[');
		for (e = c->enum_values; *e; e++)
		{
			if (e != c->enum_values)
				fputs(", ", stdout);
			str(*e);
		}
		putchar(']');
	}
	key("pattern", 0);
	str(c->pattern);
	key("min", 0);
	printf("%d", c->min_len);
	key("max", 0);
	printf("%d", c->max_len);
}

static void
equals(const BedrockEqualsFilter *f)
{
	putchar('{');
	key("param", 1);
	str(f->param);
	key("column", 0);
	str(f->column);
	key("fan_out", 0);
	fputs(f->fan_out ? "true" : "false", stdout);
	key("case_insensitive", 0);
	fputs(f->case_insensitive ? "true" : "false", stdout);
	fputs(", ", stdout);
	check(&f->check);
	putchar('}');
}

static void
identifier(const BedrockIdentifier *id)
{
	if (id->column == NULL)
	{
		fputs("null", stdout);
		return;
	}
	putchar('{');
	key("column", 1);
	str(id->column);
	key("what", 0);
	str(id->what);
	key("is_arn", 0);
	fputs(id->is_arn ? "true" : "false", stdout);
	fputs(", ", stdout);
	check(&id->check);
	putchar('}');
}

int
main(void)
{
	int			r,
				i;

	puts("[");
	for (r = 0; r < bedrock_nresources; r++)
	{
		const BedrockResource *res = bedrock_resources[r];

		printf(" {");
		key("name", 1);
		str(res->name);
		key("table", 0);
		str(res->table);
		key("noun", 0);
		str(res->noun);
		key("list_op", 0);
		str(res->list_op);
		key("list_path", 0);
		str(res->list_path);
		key("list_member", 0);
		str(res->list_member);
		key("paginated", 0);
		fputs(res->paginated ? "true" : "false", stdout);
		key("get_op", 0);
		str(res->get_op);
		key("get_path", 0);
		str(res->get_path);
		key("get_wrapper", 0);
		str(res->get_wrapper);
		key("get_param", 0);
		str(res->get_param);
		key("taggable", 0);
		fputs(res->taggable ? "true" : "false", stdout);
		key("tag_column", 0);
		str(res->tag_column);
		key("tag_value", 0);
		str(res->tag_value);
		key("arn_column", 0);
		str(res->arn_column);
		key("arn", 0);
		identifier(&res->arn);
		key("id", 0);
		identifier(&res->id);
		key("status", 0);
		if (res->status.param)
			equals(&res->status);
		else
			fputs("null", stdout);
		key("equals", 0);
		putchar('[');
		for (i = 0; i < BEDROCK_MAX_EQUALS && res->equals[i].param; i++)
		{
			if (i)
				fputs(", ", stdout);
			equals(&res->equals[i]);
		}
		putchar(']');
		key("time_after", 0);
		str(res->time_after);
		key("time_before", 0);
		str(res->time_before);
		key("time_column", 0);
		str(res->time_column);
		key("contains_param", 0);
		str(res->contains_param);
		key("contains_column", 0);
		str(res->contains_column);
		key("contains_check", 0);
		if (res->contains_param)
		{
			putchar('{');
			check(&res->contains_check);
			putchar('}');
		}
		else
			fputs("null", stdout);
		key("sort_by", 0);
		str(res->sort_by);
		key("sort_column", 0);
		str(res->sort_column);
		key("unpushed", 0);
		putchar('[');
		for (i = 0; res->unpushed && res->unpushed[i].param; i++)
		{
			printf("%s{", i ? ", " : "");
			key("param", 1);
			str(res->unpushed[i].param);
			key("reason", 0);
			str(res->unpushed[i].reason);
			putchar('}');
		}
		putchar(']');
		key("columns", 0);
		puts("[");
		for (i = 0; i < res->ncolumns; i++)
		{
			const BedrockColumn *c = &res->columns[i];

			printf("   {");
			key("name", 1);
			str(c->name);
			key("type", 0);
			str(kind_names[c->kind]);
			key("source", 0);
			str(source_names[c->source]);
			key("shape", 0);
			str(shape_names[c->shape]);
			key("summary_member", 0);
			str(c->summary_member);
			key("get_member", 0);
			str(c->get_member);
			key("sub", 0);
			str(c->sub);
			key("each", 0);
			str(c->each);
			key("list_differs", 0);
			fputs(c->list_differs ? "true" : "false", stdout);
			printf("}%s\n", i < res->ncolumns - 1 ? "," : "");
		}
		printf("  ]}%s\n", r < bedrock_nresources - 1 ? "," : "");
	}
	puts("]");
	return 0;
}
