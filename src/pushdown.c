/*-------------------------------------------------------------------------
 * pushdown.c
 *	  Decide which Bedrock calls a scan makes: the regions and statusEquals
 *	  values implied by its WHERE clause, and whether per-job Get and Tags
 *	  calls are needed for the columns it uses.
 *
 * Pushed-down quals only narrow the calls made; every qual is still checked
 * by the executor, so a result is always what a full scan plus the WHERE
 * clause would give.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <regex.h>

#include "access/sysattr.h"
#include "catalog/pg_collation.h"
#include "access/stratnum.h"
#include "catalog/pg_type.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "optimizer/paths.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "bedrock_fdw.h"

static bool match_column_equality(Expr *clause, Index relid,
								  const int *column_map, BedrockColumnId col,
								  List **values);
static Var *strip_to_var(Node *node, Index relid);
static List *intersect_strings(List *a, List *b);

/* The Var under any binary-compatible relabelling, if it is one of ours. */
static Var *
strip_to_var(Node *node, Index relid)
{
	while (node && IsA(node, RelabelType))
		node = (Node *) ((RelabelType *) node)->arg;
	if (node && IsA(node, Var) &&
		((Var *) node)->varno == relid &&
		((Var *) node)->varlevelsup == 0)
		return (Var *) node;
	return NULL;
}

/* Whether an operator is text equality under a deterministic collation. */
static bool
is_text_equality(Oid opno, Oid collid)
{
	if (get_opcode(opno) != F_TEXTEQ)
		return false;
	return !OidIsValid(collid) || collid == DEFAULT_COLLATION_OID ||
		get_collation_isdeterministic(collid);
}

/*
 * If clause is "col = const", "const = col", "col IN (...)" or
 * "col = ANY(const array)" for the given catalog column, set *values to the
 * non-null constant strings it allows and return true.
 */
static bool
match_column_equality(Expr *clause, Index relid, const int *column_map,
					  BedrockColumnId col, List **values)
{
	if (IsA(clause, OpExpr))
	{
		OpExpr	   *op = (OpExpr *) clause;
		Node	   *left,
				   *right;
		Var		   *var;
		Node	   *other;

		if (list_length(op->args) != 2 ||
			!is_text_equality(op->opno, op->inputcollid))
			return false;
		left = linitial(op->args);
		right = lsecond(op->args);
		if ((var = strip_to_var(left, relid)) != NULL)
			other = right;
		else if ((var = strip_to_var(right, relid)) != NULL)
			other = left;
		else
			return false;
		if (var->varattno <= 0 || column_map[var->varattno] != (int) col)
			return false;
		while (other && IsA(other, RelabelType))
			other = (Node *) ((RelabelType *) other)->arg;
		if (!other || !IsA(other, Const))
			return false;
		*values = ((Const *) other)->constisnull ? NIL
			: list_make1(TextDatumGetCString(((Const *) other)->constvalue));
		return true;
	}
	else if (IsA(clause, ScalarArrayOpExpr))
	{
		ScalarArrayOpExpr *saop = (ScalarArrayOpExpr *) clause;
		Var		   *var;
		Node	   *arr;
		ArrayType  *array;
		Datum	   *elems;
		bool	   *nulls;
		int			nelems;
		int			i;
		int16		typlen;
		bool		typbyval;
		char		typalign;

		if (!saop->useOr || list_length(saop->args) != 2 ||
			!is_text_equality(saop->opno, saop->inputcollid))
			return false;
		var = strip_to_var(linitial(saop->args), relid);
		if (var == NULL || var->varattno <= 0 ||
			column_map[var->varattno] != (int) col)
			return false;
		arr = lsecond(saop->args);
		if (!IsA(arr, Const))
			return false;
		*values = NIL;
		if (((Const *) arr)->constisnull)
			return true;
		array = DatumGetArrayTypeP(((Const *) arr)->constvalue);
		get_typlenbyvalalign(ARR_ELEMTYPE(array), &typlen, &typbyval, &typalign);
		deconstruct_array(array, ARR_ELEMTYPE(array), typlen, typbyval, typalign,
						  &elems, &nulls, &nelems);
		for (i = 0; i < nelems; i++)
		{
			if (!nulls[i])
				*values = lappend(*values, TextDatumGetCString(elems[i]));
		}
		return true;
	}
	return false;
}

/* Strings of a that are also in b, in a's order, without repeats. */
static List *
intersect_strings(List *a, List *b)
{
	List	   *result = NIL;
	ListCell   *ca;

	foreach(ca, a)
	{
		char	   *s = (char *) lfirst(ca);
		ListCell   *cb;
		bool		found = false;
		ListCell   *cr;

		foreach(cb, b)
		{
			if (strcmp(s, (char *) lfirst(cb)) == 0)
				found = true;
		}
		foreach(cr, result)
		{
			if (strcmp(s, (char *) lfirst(cr)) == 0)
				found = false;
		}
		if (found)
			result = lappend(result, s);
	}
	return result;
}


/* A letter or digit in ASCII, whatever the locale says. */
static bool
is_ascii_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/*
 * A JobName as the API accepts it: 1-63 characters, a letter or digit, then
 * letters, digits, '+', '-' or '.'.  A value that is not one cannot match.
 */
static bool
is_valid_job_name(const char *name)
{
	size_t		len = strlen(name);
	size_t		i;

	if (len < 1 || len > 63 || !is_ascii_alnum(name[0]))
		return false;
	for (i = 1; i < len; i++)
	{
		char		c = name[i];

		if (!is_ascii_alnum(c) && c != '+' && c != '-' && c != '.')
			return false;
	}
	return true;
}

/*
 * The region of a model customization job ARN
 * (arn:PARTITION:bedrock:REGION:ACCOUNT:model-customization-job/...), or
 * NULL if the value is not such an ARN and so cannot match.
 */
static char *
job_arn_region(const char *arn)
{
	static regex_t re;
	static bool compiled = false;
	const char *start;
	const char *end;

	/* ModelCustomizationJobArn from the service model, anchored */
	if (!compiled)
	{
		if (regcomp(&re,
					"^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:"
					"model-customization-job/[a-z0-9-]{1,63}[.][a-z0-9-]{1,63}"
					"([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}([:][a-z0-9-]{1,63}){0,2}"
					"/[a-z0-9]{12}$",
					REG_EXTENDED | REG_NOSUB) != 0)
			elog(ERROR, "could not compile the job ARN pattern");
		compiled = true;
	}
	if (strlen(arn) > 1011 || regexec(&re, arn, 0, NULL, 0) != 0)
		return NULL;
	/* the fourth field: arn:PARTITION:bedrock:REGION: */
	start = strchr(strchr(strchr(arn, ':') + 1, ':') + 1, ':') + 1;
	end = strchr(start, ':');
	return pnstrdup(start, end - start);
}

/*
 * The longest run of literal characters in a LIKE pattern that a job name
 * matching the pattern must contain and that nameContains accepts, or NULL.
 */
static char *
like_literal(const char *pattern)
{
	StringInfoData run;
	char	   *best = NULL;
	size_t		bestlen = 0;
	const char *p;

	initStringInfo(&run);
	for (p = pattern;; p++)
	{
		bool		literal = (*p != '\0' && *p != '%' && *p != '_');
		char		c = *p;

		if (*p == '\\' && p[1] != '\0')
			c = *++p;
		/* characters nameContains refuses end a run, as wildcards do */
		if (literal && (is_ascii_alnum(c) || c == '+' || c == '-' || c == '.'))
		{
			/* a run must start with a letter or digit */
			if (run.len > 0 || is_ascii_alnum(c))
				appendStringInfoChar(&run, c);
			continue;
		}
		if (run.len > (int) bestlen && run.len <= 63)
		{
			best = pstrdup(run.data);
			bestlen = run.len;
		}
		resetStringInfo(&run);
		if (*p == '\0')
			break;
	}
	return best;
}

/* A timestamptz bound as an API timestamp, widened by a second outwards. */
char *
bedrock_api_timestamp(TimestampTz ts, bool lower)
{
	struct pg_tm tm;
	fsec_t		fsec;

	if (TIMESTAMP_NOT_FINITE(ts))
		return NULL;
	/* down to a whole second, then a second wider (two up for the fraction) */
	ts -= ((ts % USECS_PER_SEC) + USECS_PER_SEC) % USECS_PER_SEC;
	ts += lower ? -USECS_PER_SEC : 2 * USECS_PER_SEC;
	/* the API takes four-digit years; no bound is sent for others */
	if (timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0 ||
		tm.tm_year < 1 || tm.tm_year > 9999)
		return NULL;
	return psprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year, tm.tm_mon,
					tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/*
 * If clause compares creation_time with a constant (<, <=, >, >=, either
 * side), set *bound and whether it is a lower bound, and return true.
 */
static bool
match_creation_time(Expr *clause, Index relid, const int *column_map,
					TimestampTz *bound, bool *is_lower)
{
	OpExpr	   *op;
	Var		   *var;
	Node	   *other;
	bool		var_left;
	Oid			fn;

	if (!IsA(clause, OpExpr) || list_length(((OpExpr *) clause)->args) != 2)
		return false;
	op = (OpExpr *) clause;
	fn = get_opcode(op->opno);
	if (fn != F_TIMESTAMPTZ_LT && fn != F_TIMESTAMPTZ_LE &&
		fn != F_TIMESTAMPTZ_GT && fn != F_TIMESTAMPTZ_GE)
		return false;
	if ((var = strip_to_var(linitial(op->args), relid)) != NULL)
	{
		other = lsecond(op->args);
		var_left = true;
	}
	else if ((var = strip_to_var(lsecond(op->args), relid)) != NULL)
	{
		other = linitial(op->args);
		var_left = false;
	}
	else
		return false;
	if (var->varattno <= 0 || column_map[var->varattno] != BCOL_CREATION_TIME ||
		!IsA(other, Const) || ((Const *) other)->constisnull ||
		((Const *) other)->consttype != TIMESTAMPTZOID)
		return false;
	*bound = DatumGetTimestampTz(((Const *) other)->constvalue);
	/* col > c, col >= c, c < col, c <= col: a lower bound */
	*is_lower = ((fn == F_TIMESTAMPTZ_GT || fn == F_TIMESTAMPTZ_GE) == var_left);
	return true;
}

/* If clause is "job_name LIKE const" (case-sensitive), return the pattern. */
static char *
match_name_like(Expr *clause, Index relid, const int *column_map)
{
	OpExpr	   *op;
	Var		   *var;
	Node	   *other;

	if (!IsA(clause, OpExpr) || list_length(((OpExpr *) clause)->args) != 2)
		return NULL;
	op = (OpExpr *) clause;
	if (get_opcode(op->opno) != F_TEXTLIKE ||
		(OidIsValid(op->inputcollid) && op->inputcollid != DEFAULT_COLLATION_OID &&
		 !get_collation_isdeterministic(op->inputcollid)))
		return NULL;
	var = strip_to_var(linitial(op->args), relid);
	other = lsecond(op->args);
	while (other && IsA(other, RelabelType))
		other = (Node *) ((RelabelType *) other)->arg;
	if (var == NULL || var->varattno <= 0 ||
		column_map[var->varattno] != BCOL_JOB_NAME ||
		!IsA(other, Const) || ((Const *) other)->constisnull)
		return NULL;
	return TextDatumGetCString(((Const *) other)->constvalue);
}

/* Whether the plan fills a given catalog column. */
bool
bedrock_plan_uses_column(const BedrockScanPlan *plan, const int *column_map,
						 BedrockColumnId col)
{
	ListCell   *cell;

	foreach(cell, plan->attnos)
	{
		if (column_map[lfirst_int(cell)] == (int) col)
			return true;
	}
	return false;
}

/*
 * Plan the calls of a scan and the attributes it fills.  column_map maps
 * attribute numbers of rel to catalog columns (-1 for dropped ones).
 */
void
bedrock_plan_scan(PlannerInfo *root, RelOptInfo *baserel, Relation rel,
				  List *server_regions, const int *column_map,
				  BedrockScanPlan *plan)
{
	Bitmapset  *attrs = NULL;
	ListCell   *cell;
	List	   *valid_statuses = NIL;
	int			i;
	int			attno;
	List	   *arns = NIL;
	List	   *arn_sets = NIL;
	bool		arn_filtered = false;
	List	   *name_values = NIL;
	bool		name_filtered = false;
	TimestampTz lower = 0,
				upper = 0;
	bool		have_lower = false,
				have_upper = false;

	memset(plan, 0, sizeof(*plan));
	plan->regions = server_regions;
	plan->exact = true;

	for (i = 0; i < BEDROCK_NSTATUSES; i++)
		valid_statuses = lappend(valid_statuses, (char *) bedrock_job_statuses[i]);

	/* columns used in the output or in quals */
	pull_varattnos((Node *) baserel->reltarget->exprs, baserel->relid, &attrs);
	foreach(cell, baserel->baserestrictinfo)
	{
		RestrictInfo *rinfo = lfirst_node(RestrictInfo, cell);

		pull_varattnos((Node *) rinfo->clause, baserel->relid, &attrs);
	}

	attno = -1;
	while ((attno = bms_next_member(attrs, attno)) >= 0)
	{
		AttrNumber	a = attno + FirstLowInvalidHeapAttributeNumber;
		int			col;

		if (a == 0)
		{
			/* whole-row reference: every column */
			int			natts = RelationGetNumberOfAttributes(rel);

			plan->need_get = plan->need_tags = true;
			list_free(plan->attnos);
			plan->attnos = NIL;
			for (a = 1; a <= natts; a++)
			{
				if (column_map[a] >= 0)
					plan->attnos = lappend_int(plan->attnos, a);
			}
			break;
		}
		if (a < 0)
			continue;
		col = column_map[a];
		if (col < 0)
			continue;
		plan->attnos = lappend_int(plan->attnos, a);
		if (bedrock_columns[col].source == BEDROCK_SOURCE_GET)
			plan->need_get = true;
		else if (bedrock_columns[col].source == BEDROCK_SOURCE_TAGS)
			plan->need_tags = true;
	}

	/* quals that narrow the calls */
	foreach(cell, baserel->baserestrictinfo)
	{
		RestrictInfo *rinfo = lfirst_node(RestrictInfo, cell);
		Index		relid = baserel->relid;
		List	   *values;
		TimestampTz bound;
		bool		is_lower;
		char	   *pattern;

		if (match_column_equality(rinfo->clause, relid, column_map,
								  BCOL_REGION, &values))
			plan->regions = intersect_strings(plan->regions, values);
		else if (match_column_equality(rinfo->clause, relid, column_map,
									   BCOL_STATUS, &values))
		{
			plan->statuses = intersect_strings(plan->status_filtered
											   ? plan->statuses
											   : valid_statuses,
											   values);
			plan->status_filtered = true;
		}
		else if (match_column_equality(rinfo->clause, relid, column_map,
									   BCOL_JOB_ARN, &arns))
		{
			arn_sets = lappend(arn_sets, arns);
			arn_filtered = true;
		}
		else if (match_column_equality(rinfo->clause, relid, column_map,
									   BCOL_JOB_NAME, &values))
		{
			/* intersecting with itself drops repeats: IN ('x', 'x') is one Get */
			name_values = intersect_strings(name_filtered ? name_values : values,
											values);
			name_filtered = true;
		}
		else if (match_creation_time(rinfo->clause, relid, column_map,
									 &bound, &is_lower))
		{
			plan->exact = false;	/* the bounds are widened */
			if (is_lower && (!have_lower || bound > lower))
				lower = bound, have_lower = true;
			else if (!is_lower && (!have_upper || bound < upper))
				upper = bound, have_upper = true;
		}
		else if ((pattern = match_name_like(rinfo->clause, relid, column_map)) != NULL)
		{
			char	   *literal = like_literal(pattern);

			plan->exact = false;
			if (literal && (plan->name_contains == NULL ||
							strlen(literal) > strlen(plan->name_contains)))
				plan->name_contains = literal;
		}
		else
			plan->exact = false;	/* checked by PostgreSQL alone */
	}

	/*
	 * job_arn = x: GetModelCustomizationJob by ARN in the ARN's region, if
	 * that region is one of the scan's.  job_name = x: Get by name in each
	 * region.  Values that cannot be an ARN or a job name match nothing.
	 */
	if (arn_filtered)
	{
		List	   *candidates = linitial(arn_sets);

		foreach(cell, arn_sets)
			candidates = intersect_strings(candidates, (List *) lfirst(cell));
		plan->direct = true;
		foreach(cell, candidates)
		{
			char	   *arn = (char *) lfirst(cell);
			char	   *region = job_arn_region(arn);

			if (region && intersect_strings(plan->regions, list_make1(region)) != NIL)
				plan->job_ids = lappend(plan->job_ids, arn);
		}
	}
	else if (name_filtered)
	{
		plan->direct = true;
		foreach(cell, name_values)
		{
			if (is_valid_job_name((char *) lfirst(cell)))
				plan->job_ids = lappend(plan->job_ids, lfirst(cell));
		}
	}
	/*
	 * Get's baseModelArn differs from List's for a job that continues a
	 * custom model: when the query uses that column, each job found is also
	 * listed (by name, around its creation time) for its summary, so rows
	 * read as in a full scan.
	 */
	if (plan->direct && bedrock_plan_uses_column(plan, column_map, BCOL_BASE_MODEL_ARN))
		plan->need_summary = true;
	if (plan->direct)
	{
		/* no List, so none of its filters: status is checked locally */
		plan->name_contains = NULL;
		if (plan->status_filtered)
			plan->exact = false;
		return;
	}
	if (have_lower)
		plan->created_after = bedrock_api_timestamp(lower, true);
	if (have_upper)
		plan->created_before = bedrock_api_timestamp(upper, false);
}

/* Whether the plan makes no call at all (the result is surely empty). */
bool
bedrock_scan_plan_is_empty(const BedrockScanPlan *plan)
{
	return plan->regions == NIL ||
		(plan->status_filtered && plan->statuses == NIL && !plan->direct) ||
		(plan->direct && plan->job_ids == NIL && !plan->param_lookup);
}

static List *
strings_to_nodes(List *strings)
{
	List	   *result = NIL;
	ListCell   *cell;

	foreach(cell, strings)
		result = lappend(result, makeString(pstrdup((char *) lfirst(cell))));
	return result;
}

static List *
nodes_to_strings(List *nodes)
{
	List	   *result = NIL;
	ListCell   *cell;

	foreach(cell, nodes)
		result = lappend(result, strVal(lfirst(cell)));
	return result;
}

/* The plan as a list of nodes, for ForeignScan.fdw_private (copyObject-safe). */
List *
bedrock_scan_plan_to_list(const BedrockScanPlan *plan)
{
	List	   *filters;
	List	   *result;

	filters = list_make5(makeInteger(plan->direct),
						 strings_to_nodes(plan->job_ids),
						 makeString(plan->created_after ? plan->created_after : ""),
						 makeString(plan->created_before ? plan->created_before : ""),
						 makeString(plan->name_contains ? plan->name_contains : ""));
	filters = lappend(filters, list_make4(makeInteger(plan->exact),
										  makeInteger(plan->sort_order),
										  makeInteger(plan->limit),
										  makeInteger(plan->param_lookup)));
	result = list_make5(strings_to_nodes(plan->regions),
						list_make2(makeInteger(plan->status_filtered),
								   strings_to_nodes(plan->statuses)),
						list_make2(makeInteger(plan->need_get),
								   makeInteger(plan->need_tags)),
						list_copy(plan->attnos),
						filters);
	return lappend(result, makeInteger(plan->need_summary));
}

/* An optional string of the plan list: "" stands for NULL. */
static char *
nonempty(char *s)
{
	return s[0] ? s : NULL;
}

void
bedrock_scan_plan_from_list(List *list, BedrockScanPlan *plan)
{
	List	   *status = (List *) lsecond(list);
	List	   *needs = (List *) lthird(list);
	List	   *filters = (List *) list_nth(list, 4);

	plan->regions = nodes_to_strings((List *) linitial(list));
	plan->status_filtered = intVal(linitial(status)) != 0;
	plan->statuses = nodes_to_strings((List *) lsecond(status));
	plan->need_get = intVal(linitial(needs)) != 0;
	plan->need_tags = intVal(lsecond(needs)) != 0;
	plan->attnos = (List *) lfourth(list);
	plan->direct = intVal(linitial(filters)) != 0;
	plan->job_ids = nodes_to_strings((List *) lsecond(filters));
	plan->created_after = nonempty(strVal(lthird(filters)));
	plan->created_before = nonempty(strVal(lfourth(filters)));
	plan->name_contains = nonempty(strVal(list_nth(filters, 4)));
	plan->exact = intVal(linitial((List *) list_nth(filters, 5))) != 0;
	plan->sort_order = intVal(lsecond((List *) list_nth(filters, 5)));
	plan->limit = intVal(lthird((List *) list_nth(filters, 5)));
	plan->param_lookup = intVal(lfourth((List *) list_nth(filters, 5))) != 0;
	plan->need_summary = intVal(list_nth(list, 5)) != 0;
}

/*
 * If pathkeys is exactly an ordering by this table's creation_time, return
 * 1 for ascending or -1 for descending, else 0.  A List can return rows in
 * that order (sortBy=CreationTime), so a sorted path needs no Sort.
 */
int
bedrock_creation_time_order(PlannerInfo *root, RelOptInfo *baserel,
							const int *column_map, List *pathkeys)
{
	PathKey    *pk;
	ListCell   *lc;

	if (list_length(pathkeys) != 1)
		return 0;
	pk = (PathKey *) linitial(pathkeys);
	if (pk->pk_eclass->ec_has_volatile)
		return 0;
	foreach(lc, pk->pk_eclass->ec_members)
	{
		EquivalenceMember *em = (EquivalenceMember *) lfirst(lc);
		Var		   *var = strip_to_var((Node *) em->em_expr, baserel->relid);

		if (var && var->varattno > 0 &&
			column_map[var->varattno] == BCOL_CREATION_TIME &&
			exprType((Node *) var) == TIMESTAMPTZOID)
		{
			if (pk->pk_strategy == BTLessStrategyNumber)
				return 1;
			if (pk->pk_strategy == BTGreaterStrategyNumber)
				return -1;
		}
	}
	return 0;
}

/* Whether an equivalence member is this table's job_arn column. */
static bool
is_job_arn_member(PlannerInfo *root, RelOptInfo *rel, EquivalenceClass *ec,
				  EquivalenceMember *em, void *arg)
{
	const int  *column_map = (const int *) arg;
	Var		   *var = strip_to_var((Node *) em->em_expr, rel->relid);

	return var != NULL && var->varattno > 0 &&
		column_map[var->varattno] == BCOL_JOB_ARN;
}

/*
 * Join clauses "job_arn = <expression of other tables>" this table could use
 * to look jobs up one by one in a parameterized scan (a nested loop from a
 * cost table, say).
 */
List *
bedrock_job_arn_join_clauses(PlannerInfo *root, RelOptInfo *baserel,
							 const int *column_map)
{
	List	   *result = NIL;
	List	   *clauses;
	ListCell   *lc;

	clauses = generate_implied_equalities_for_column(root, baserel,
													 is_job_arn_member,
													 (void *) column_map,
													 baserel->lateral_referencers);
	foreach(lc, clauses)
	{
		RestrictInfo *rinfo = lfirst_node(RestrictInfo, lc);

		if (bedrock_job_arn_outer_expr(root, rinfo, baserel, column_map) != NULL)
			result = lappend(result, rinfo);
	}
	return result;
}

/*
 * The outer side of a "job_arn = expression" join clause, if the clause is
 * text equality with a text expression of other tables; else NULL.
 */
Expr *
bedrock_job_arn_outer_expr(PlannerInfo *root, RestrictInfo *rinfo,
						   RelOptInfo *baserel,
						   const int *column_map)
{
	OpExpr	   *op;
	Var		   *var;
	Node	   *other;

	if (!IsA(rinfo->clause, OpExpr))
		return NULL;
	op = (OpExpr *) rinfo->clause;
	if (list_length(op->args) != 2 || !is_text_equality(op->opno, op->inputcollid))
		return NULL;
	if ((var = strip_to_var(linitial(op->args), baserel->relid)) != NULL)
		other = lsecond(op->args);
	else if ((var = strip_to_var(lsecond(op->args), baserel->relid)) != NULL)
		other = linitial(op->args);
	else
		return NULL;
	if (var->varattno <= 0 || column_map[var->varattno] != BCOL_JOB_ARN ||
		bms_is_member(baserel->relid, pull_varnos(root, other)) ||
		contain_volatile_functions(other))
		return NULL;
	return (Expr *) other;
}

/*
 * The lookups for one job ARN from an outer row: the ARN itself if it is a
 * job ARN of one of the scan's regions, else none (it cannot match).
 */
List *
bedrock_lookup_ids(const BedrockScanPlan *plan, const char *arn)
{
	char	   *region = job_arn_region(arn);

	if (region == NULL ||
		intersect_strings(plan->regions, list_make1(region)) == NIL)
		return NIL;
	return list_make1(pstrdup(arn));
}
