/*-------------------------------------------------------------------------
 * catalog.h
 *	  The resource catalog: one descriptor per Bedrock resource, read by the
 *	  one generic engine (pushdown, fetch, convert, EXPLAIN, IMPORT).
 *
 * Plain data with no backend dependency, so that a standalone program can
 * print the catalog and a test can hold it to AWS's service model
 * (test/catalog_test.py).
 *-------------------------------------------------------------------------
 */
#ifndef BEDROCK_CATALOG_H
#define BEDROCK_CATALOG_H

#include <stdbool.h>

/* The SQL type of a column. */
typedef enum BedrockColumnKind
{
	BEDROCK_KIND_TEXT,
	BEDROCK_KIND_TIMESTAMPTZ,
	BEDROCK_KIND_JSONB,
	BEDROCK_KIND_TEXT_ARRAY,
	BEDROCK_KIND_BIGINT,
	BEDROCK_KIND_BOOLEAN,
	BEDROCK_KIND_DOUBLE
} BedrockColumnKind;

/* Which call a column's value comes from. */
typedef enum BedrockSource
{
	BEDROCK_SOURCE_LIST,		/* the List summary (Get's member for a
								 * resource that came from Get alone) */
	BEDROCK_SOURCE_GET,			/* the Get answer */
	BEDROCK_SOURCE_TAGS			/* ListTagsForResource */
} BedrockSource;

/* How a column's value is made from its member. */
typedef enum BedrockShape
{
	BEDROCK_SHAPE_PLAIN,		/* the member, in the column's kind (a struct:
								 * a jsonb object with snake_case keys) */
	BEDROCK_SHAPE_ARRAY,		/* a list of structs: a jsonb array */
	BEDROCK_SHAPE_MAP,			/* a map: a jsonb object, keys verbatim */
	BEDROCK_SHAPE_REGION,		/* the region the call went to */
	BEDROCK_SHAPE_ACCOUNT,		/* the account field of the resource's ARN */
	BEDROCK_SHAPE_TAG_LIST,		/* tags as text[] of "key:value" */
	BEDROCK_SHAPE_TAG_MAP,		/* tags as a jsonb object {key: value} */
	BEDROCK_SHAPE_FLATTEN		/* text[] of the strings at member.sub (a
								 * list), or at member.sub[].each */
} BedrockShape;

typedef struct BedrockColumn
{
	const char *name;			/* column name in the foreign table */
	BedrockColumnKind kind;
	BedrockSource source;
	BedrockShape shape;
	const char *summary_member; /* in the List summary, or NULL */
	const char *get_member;		/* in the Get answer, or NULL */
	const char *sub;			/* FLATTEN: the list inside the member */
	const char *each;			/* FLATTEN: each element's member, or NULL */
	bool		list_differs;	/* Get's value may differ from List's: a row
								 * reads Get's when the scan gets every row,
								 * else List's */
} BedrockColumn;

/* A value the API checks before it accepts it as a parameter. */
typedef struct BedrockValueCheck
{
	const char *const *enum_values; /* NULL-terminated, or NULL */
	const char *pattern;		/* the model's pattern (whole value), or NULL */
	int			min_len;
	int			max_len;		/* 0: no maximum */
} BedrockValueCheck;

/* col = x, col IN (...): a List parameter. */
typedef struct BedrockEqualsFilter
{
	const char *param;			/* query parameter, as sent */
	const char *column;
	BedrockValueCheck check;
	bool		fan_out;		/* several values: one List sequence each;
								 * otherwise only one value is ever sent */
	bool		case_insensitive;	/* the API matches in any case */
} BedrockEqualsFilter;

/* col = x: a Get by identifier instead of a List. */
typedef struct BedrockIdentifier
{
	const char *column;			/* NULL: none */
	const char *what;			/* "ARN", "name", "id": for messages */
	bool		is_arn;			/* the value names its region */
	BedrockValueCheck check;
} BedrockIdentifier;

/* A List filter the engine does not send, and why (catalog test, docs). */
typedef struct BedrockUnpushed
{
	const char *param;
	const char *reason;
} BedrockUnpushed;

#define BEDROCK_MAX_EQUALS 3

typedef struct BedrockResource
{
	const char *name;			/* the table option resource '...' */
	const char *table;			/* IMPORT FOREIGN SCHEMA's table name */
	const char *noun;			/* "job", for messages */

	const char *list_op;
	const char *list_path;
	const char *list_member;	/* the array of summaries in the answer */
	bool		paginated;		/* maxResults and nextToken */

	const char *get_op;
	const char *get_path;		/* the identifier, URI-encoded, follows */
	const char *get_wrapper;	/* the Get answer's member holding the
								 * resource, or NULL: the answer itself */
	const char *get_param;		/* the identifier's name, for EXPLAIN */

	bool		taggable;		/* ListTagsForResource applies */
	const char *tag_column;		/* only to rows whose column has this */
	const char *tag_value;		/* value (NULL: every row); the others are
								 * AWS's own and their tags are NULL */
	const char *arn_column;		/* the resource's ARN */

	BedrockIdentifier arn;		/* lookups by ARN */
	BedrockIdentifier id;		/* lookups by name or id, in every region */

	/* one List sequence per value of this filter; param NULL: none */
	BedrockEqualsFilter status;
	BedrockEqualsFilter equals[BEDROCK_MAX_EQUALS]; /* param NULL ends */

	/* col > x, col < x: a time range; after NULL: none */
	const char *time_after;
	const char *time_before;
	const char *time_column;

	/* col LIKE 'x%': a substring filter; param NULL: none */
	const char *contains_param;
	const char *contains_column;
	BedrockValueCheck contains_check;

	/* ORDER BY col: sortBy value; NULL: the List has no sort */
	const char *sort_by;
	const char *sort_column;

	/*
	 * The validated detail cache (detailcache.c): in these statuses the
	 * resource does not change, and the summary's modification time says when
	 * it did.  modified_member NULL: its Get answers are never kept.
	 */
	const char *modified_member;
	const char *const *terminal_statuses;	/* NULL ends */

	const BedrockColumn *columns;
	int			ncolumns;
	const BedrockUnpushed *unpushed;	/* param NULL ends */
} BedrockResource;

/* Where Bedrock has endpoints (aws partition), and whether opt-in. */
typedef struct BedrockServiceRegion
{
	const char *name;
	bool		opt_in;			/* an account must enable it first */
} BedrockServiceRegion;

extern const BedrockServiceRegion bedrock_service_regions[];	/* NULL name ends */

extern const BedrockResource *const bedrock_resources[];
extern const int bedrock_nresources;

/*
 * Roles name their columns; the engine looks them up once per scan.  The
 * catalog test checks that every name is a column of its resource.
 */
extern int	bedrock_resource_column(const BedrockResource *res, const char *name);
extern const BedrockResource *bedrock_resource_by_name(const char *name);
extern const BedrockResource *bedrock_resource_by_table(const char *table);

#endif							/* BEDROCK_CATALOG_H */
