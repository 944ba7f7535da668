/*-------------------------------------------------------------------------
 * pushdown.c
 *	  Decide which Bedrock calls a scan makes.  The planner picks the quals
 *	  that can narrow the calls (bedrock_plan_pushdown): a column compared
 *	  with a constant, a Param or a stable expression.  When the scan starts
 *	  and their values are known, bedrock_resolve_scan settles the calls:
 *	  the regions, statusEquals values, Gets instead of a List, the List's
 *	  filters, and whether per-job Get and Tags calls are needed.
 *
 * The rule: a query returns exactly the rows of a full scan filtered by
 * PostgreSQL.  Pushed-down quals only narrow the calls made, and every qual
 * is still checked by the executor.  The service model's patterns and enums
 * say what the API accepts as a parameter, not what it can return, so a
 * value the API would refuse is never sent, and never taken to mean "no
 * rows": the scan lists without it and PostgreSQL filters.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>
#include <regex.h>

#include "access/sysattr.h"
#include "catalog/pg_collation.h"
#include "access/stratnum.h"
#include "catalog/pg_type.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/clauses.h"
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
#include "pg_compat.h"

static Var *strip_to_var(Node *node, Index relid);
static List *intersect_strings(List *a, List *b);

/* SET bedrock_fdw.pushdown = off: every scan lists everything */
bool		bedrock_pushdown_enabled = true;

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
bool
bedrock_is_valid_job_name(const char *name)
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

/* ---------------------------------------------------------------------
 * Planning: which quals become conditions
 * ---------------------------------------------------------------------
 */

/*
 * Whether an expression can be the other side of a pushed-down condition:
 * its value is the same for every row of the scan and known when the scan
 * starts.  As in postgres_fdw: no Var, nothing volatile, no SubPlan (an
 * uncorrelated subquery is an initplan, read through a Param).
 */
static bool
is_scan_constant(Node *expr)
{
	return expr != NULL &&
		!contain_var_clause(expr) &&
		!contain_volatile_functions(expr) &&
		!contain_subplans(expr);
}

BedrockCond *
bedrock_make_cond(BedrockCondKind kind, bool is_array, Expr *expr)
{
	BedrockCond *cond = palloc0(sizeof(BedrockCond));

	cond->kind = kind;
	cond->is_array = is_array;
	cond->expr = expr;
	return cond;
}

/* Whether the pushdown has a condition of the given kind. */
bool
bedrock_pushdown_has_cond(const BedrockPushdown *pd, BedrockCondKind kind)
{
	ListCell   *cell;

	foreach(cell, pd->conds)
	{
		if (((BedrockCond *) lfirst(cell))->kind == kind)
			return true;
	}
	return false;
}

/* Whether var is the given catalog column of the table. */
static bool
is_column(Var *var, const int *column_map, BedrockColumnId col)
{
	return var != NULL && var->varattno > 0 && column_map[var->varattno] == (int) col;
}

/*
 * "col = x", "x = col", "col IN (...)" or "col = ANY (x)" for a text column,
 * under a deterministic collation: a condition of the given kind, or NULL.
 */
static BedrockCond *
match_equality(Expr *clause, Index relid, const int *column_map,
			   BedrockColumnId col, BedrockCondKind kind)
{
	Node	   *other;
	bool		is_array;

	if (IsA(clause, OpExpr))
	{
		OpExpr	   *op = (OpExpr *) clause;
		Var		   *var;

		if (list_length(op->args) != 2 ||
			!is_text_equality(op->opno, op->inputcollid))
			return NULL;
		if ((var = strip_to_var(linitial(op->args), relid)) != NULL)
			other = lsecond(op->args);
		else if ((var = strip_to_var(lsecond(op->args), relid)) != NULL)
			other = linitial(op->args);
		else
			return NULL;
		if (!is_column(var, column_map, col))
			return NULL;
		is_array = false;
	}
	else if (IsA(clause, ScalarArrayOpExpr))
	{
		ScalarArrayOpExpr *saop = (ScalarArrayOpExpr *) clause;

		if (!saop->useOr || list_length(saop->args) != 2 ||
			!is_text_equality(saop->opno, saop->inputcollid) ||
			!is_column(strip_to_var(linitial(saop->args), relid), column_map, col))
			return NULL;
		other = lsecond(saop->args);
		is_array = true;
	}
	else
		return NULL;
	if (!is_scan_constant(other))
		return NULL;
	return bedrock_make_cond(kind, is_array, (Expr *) other);
}

/* creation_time compared with x (<, <=, >, >=, either side), or NULL. */
static BedrockCond *
match_creation_time(Expr *clause, Index relid, const int *column_map)
{
	OpExpr	   *op;
	Var		   *var;
	Node	   *other;
	bool		var_left;
	bool		is_lower;
	Oid			fn;

	if (!IsA(clause, OpExpr) || list_length(((OpExpr *) clause)->args) != 2)
		return NULL;
	op = (OpExpr *) clause;
	fn = get_opcode(op->opno);
	if (fn != F_TIMESTAMPTZ_LT && fn != F_TIMESTAMPTZ_LE &&
		fn != F_TIMESTAMPTZ_GT && fn != F_TIMESTAMPTZ_GE)
		return NULL;
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
		return NULL;
	if (!is_column(var, column_map, BCOL_CREATION_TIME) ||
		exprType(other) != TIMESTAMPTZOID || !is_scan_constant(other))
		return NULL;
	/* col > x, col >= x, x < col, x <= col: a lower bound */
	is_lower = ((fn == F_TIMESTAMPTZ_GT || fn == F_TIMESTAMPTZ_GE) == var_left);
	return bedrock_make_cond(is_lower ? BEDROCK_COND_CREATED_AFTER : BEDROCK_COND_CREATED_BEFORE,
					 false, (Expr *) other);
}

/* "job_name LIKE x" (case-sensitive, deterministic collation), or NULL. */
static BedrockCond *
match_name_like(Expr *clause, Index relid, const int *column_map)
{
	OpExpr	   *op;

	if (!IsA(clause, OpExpr) || list_length(((OpExpr *) clause)->args) != 2)
		return NULL;
	op = (OpExpr *) clause;
	if (get_opcode(op->opno) != F_TEXTLIKE ||
		(OidIsValid(op->inputcollid) && op->inputcollid != DEFAULT_COLLATION_OID &&
		 !get_collation_isdeterministic(op->inputcollid)) ||
		!is_column(strip_to_var(linitial(op->args), relid), column_map, BCOL_JOB_NAME) ||
		!is_scan_constant(lsecond(op->args)))
		return NULL;
	return bedrock_make_cond(BEDROCK_COND_NAME_LIKE, false, (Expr *) lsecond(op->args));
}

/* Whether the scan fills a given catalog column. */
bool
bedrock_pushdown_uses_column(const BedrockPushdown *pd, const int *column_map,
							 BedrockColumnId col)
{
	ListCell   *cell;

	foreach(cell, pd->attnos)
	{
		if (column_map[lfirst_int(cell)] == (int) col)
			return true;
	}
	return false;
}

/*
 * Plan the pushdown of a scan: the attributes it fills, the per-job calls
 * they need, and the quals that become conditions.  column_map maps
 * attribute numbers of rel to catalog columns (-1 for dropped ones).
 */
void
bedrock_plan_pushdown(PlannerInfo *root, RelOptInfo *baserel, Relation rel,
					  const int *column_map, BedrockPushdown *pd)
{
	Bitmapset  *attrs = NULL;
	ListCell   *cell;
	int			attno;

	memset(pd, 0, sizeof(*pd));

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

			pd->need_get = pd->need_tags = true;
			list_free(pd->attnos);
			pd->attnos = NIL;
			for (a = 1; a <= natts; a++)
			{
				if (column_map[a] >= 0)
					pd->attnos = lappend_int(pd->attnos, a);
			}
			break;
		}
		if (a < 0)
			continue;
		col = column_map[a];
		if (col < 0)
			continue;
		pd->attnos = lappend_int(pd->attnos, a);
		if (bedrock_columns[col].source == BEDROCK_SOURCE_GET)
			pd->need_get = true;
		else if (bedrock_columns[col].source == BEDROCK_SOURCE_TAGS)
			pd->need_tags = true;
	}
	pd->uses_base_model_arn = bedrock_pushdown_uses_column(pd, column_map,
														   BCOL_BASE_MODEL_ARN);

	/* quals that narrow the calls */
	pd->all_pushed = bedrock_pushdown_enabled;
	if (!bedrock_pushdown_enabled)
		return;
	foreach(cell, baserel->baserestrictinfo)
	{
		Expr	   *clause = lfirst_node(RestrictInfo, cell)->clause;
		Index		relid = baserel->relid;
		BedrockCond *cond;

		if ((cond = match_equality(clause, relid, column_map, BCOL_REGION,
								   BEDROCK_COND_REGION)) != NULL ||
			(cond = match_equality(clause, relid, column_map, BCOL_STATUS,
								   BEDROCK_COND_STATUS)) != NULL ||
			(cond = match_equality(clause, relid, column_map, BCOL_JOB_ARN,
								   BEDROCK_COND_ARN)) != NULL ||
			(cond = match_equality(clause, relid, column_map, BCOL_JOB_NAME,
								   BEDROCK_COND_NAME)) != NULL ||
			(cond = match_creation_time(clause, relid, column_map)) != NULL ||
			(cond = match_name_like(clause, relid, column_map)) != NULL)
			pd->conds = lappend(pd->conds, cond);
		else
			pd->all_pushed = false; /* checked by PostgreSQL alone */
	}
}

/*
 * LIMIT n (with OFFSET m) bounds what the scan must fetch when its rows go
 * straight to the LIMIT: one base relation, and no grouping, aggregate,
 * window function, DISTINCT, set-returning function or row lock between
 * (when PostgreSQL's own limit_tuples holds).  n and m may be Params, as in
 * the generic plan of "... LIMIT $1".  Whether the bound is used is settled
 * when the scan starts: only when the calls return exactly the matching rows.
 */
void
bedrock_add_limit_conds(PlannerInfo *root, BedrockPushdown *pd)
{
	Query	   *parse = root->parse;

	if (!bedrock_pushdown_enabled || !pd->all_pushed ||
		parse->limitCount == NULL ||
		parse->limitOption != LIMIT_OPTION_COUNT || /* not WITH TIES */
		parse->groupClause || parse->groupingSets || parse->distinctClause ||
		parse->hasAggs || parse->hasWindowFuncs || parse->hasTargetSRFs ||
		root->hasHavingQual || parse->rowMarks != NIL ||
		bms_membership(root->all_baserels) != BMS_SINGLETON ||
		!is_scan_constant(parse->limitCount) ||
		(parse->limitOffset && !is_scan_constant(parse->limitOffset)))
		return;
	pd->conds = lappend(pd->conds, bedrock_make_cond(BEDROCK_COND_LIMIT, false,
											 (Expr *) parse->limitCount));
	if (parse->limitOffset)
		pd->conds = lappend(pd->conds, bedrock_make_cond(BEDROCK_COND_OFFSET, false,
												 (Expr *) parse->limitOffset));
}

/*
 * The positions of a scan's fdw_private, as postgres_fdw's
 * FdwScanPrivateIndex names them.  The conditions' expressions are
 * fdw_exprs, in the order of FdwScanPrivateConds.
 */
enum FdwScanPrivateIndex
{
	FdwScanPrivateConds,		/* per condition: kind and is_array (Integers) */
	FdwScanPrivateAttnos,		/* integer list */
	FdwScanPrivateNeedGet,		/* Integers: booleans... */
	FdwScanPrivateNeedTags,
	FdwScanPrivateUsesBaseModelArn,
	FdwScanPrivateAllPushed,
	FdwScanPrivateSortOrder		/* ...and the sort order */
};

/* The pushdown as a list of nodes, for ForeignScan.fdw_private. */
List *
bedrock_pushdown_to_list(const BedrockPushdown *pd)
{
	List	   *conds = NIL;
	ListCell   *cell;
	List	   *result;

	foreach(cell, pd->conds)
	{
		BedrockCond *cond = (BedrockCond *) lfirst(cell);

		conds = lappend(conds, makeInteger(cond->kind));
		conds = lappend(conds, makeInteger(cond->is_array));
	}
	result = list_make5(conds, list_copy(pd->attnos), makeInteger(pd->need_get),
						makeInteger(pd->need_tags),
						makeInteger(pd->uses_base_model_arn));
	result = lappend(result, makeInteger(pd->all_pushed));
	return lappend(result, makeInteger(pd->sort_order));
}

/* The pushdown from fdw_private; exprs: fdw_exprs (or their ExprStates). */
void
bedrock_pushdown_from_list(List *list, List *exprs, BedrockPushdown *pd)
{
	List	   *conds = (List *) list_nth(list, FdwScanPrivateConds);
	int			i;

	memset(pd, 0, sizeof(*pd));
	for (i = 0; i + 1 < list_length(conds); i += 2)
		pd->conds = lappend(pd->conds,
							bedrock_make_cond((BedrockCondKind) intVal(list_nth(conds, i)),
									  intVal(list_nth(conds, i + 1)) != 0,
									  (Expr *) list_nth(exprs, i / 2)));
	pd->attnos = (List *) list_nth(list, FdwScanPrivateAttnos);
	pd->need_get = intVal(list_nth(list, FdwScanPrivateNeedGet)) != 0;
	pd->need_tags = intVal(list_nth(list, FdwScanPrivateNeedTags)) != 0;
	pd->uses_base_model_arn = intVal(list_nth(list, FdwScanPrivateUsesBaseModelArn)) != 0;
	pd->all_pushed = intVal(list_nth(list, FdwScanPrivateAllPushed)) != 0;
	pd->sort_order = intVal(list_nth(list, FdwScanPrivateSortOrder));
}

/* ---------------------------------------------------------------------
 * Resolution: the calls, once the conditions' values are known
 * ---------------------------------------------------------------------
 */

/* A value quoted for EXPLAIN, cut short when long. */
static char *
quote_value(const char *value)
{
	if (strlen(value) > 80)
		return psprintf("'%.77s...'", value);
	return psprintf("'%s'", value);
}

/* The non-null strings a condition allows: its value, or its array's. */
static List *
cond_strings(const BedrockCond *cond, const BedrockCondValue *v)
{
	List	   *result = NIL;
	ArrayType  *array;
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	int			i;
	int16		typlen;
	bool		typbyval;
	char		typalign;

	if (v->isnull)
		return NIL;
	if (!cond->is_array)
		return list_make1(TextDatumGetCString(v->value));
	array = DatumGetArrayTypeP(v->value);
	get_typlenbyvalalign(ARR_ELEMTYPE(array), &typlen, &typbyval, &typalign);
	deconstruct_array(array, ARR_ELEMTYPE(array), typlen, typbyval, typalign,
					  &elems, &nulls, &nelems);
	for (i = 0; i < nelems; i++)
	{
		if (!nulls[i])
			result = lappend(result, TextDatumGetCString(elems[i]));
	}
	return result;
}

/*
 * job_arn = x: Gets by ARN, each in its ARN's region when that is one of
 * the scan's.  A value that is no job ARN the API accepts is not sent: the
 * scan lists instead, in the region the value names, or in every region.
 */
static void
resolve_arns(BedrockScanPlan *plan, List *arns)
{
	List	   *list_regions = NIL;
	bool		list_everywhere = false;
	bool		refused = false;
	ListCell   *cell;

	foreach(cell, arns)
	{
		char	   *arn = (char *) lfirst(cell);
		char	   *region = job_arn_region(arn);

		if (region)
		{
			if (intersect_strings(plan->regions, list_make1(region)) != NIL)
				plan->job_ids = lappend(plan->job_ids, arn);
			list_regions = lappend(list_regions, region);
			continue;
		}
		refused = true;
		plan->not_sent = lappend(plan->not_sent,
								 psprintf("jobIdentifier not sent: %s is not a job ARN the API accepts",
										  quote_value(arn)));
		/* its region field still says where its job could be listed */
		region = bedrock_arn_field(arn, 3);
		if (region)
			list_regions = lappend(list_regions, region);
		else
			list_everywhere = true;
	}
	if (!refused)
	{
		plan->direct = true;
		if (plan->job_ids == NIL)
			plan->empty_reason = "no job ARN of a configured region matches";
		return;
	}
	plan->job_ids = NIL;
	plan->exact = false;
	if (!list_everywhere)
		plan->regions = intersect_strings(plan->regions, list_regions);
	if (plan->regions == NIL)
		plan->empty_reason = "no configured region matches";
}

/*
 * job_name = x: a Get by name in each region.  A value that is no job name
 * the API accepts is not sent: the scan lists instead.
 */
static void
resolve_names(BedrockScanPlan *plan, List *names)
{
	bool		refused = false;
	ListCell   *cell;

	foreach(cell, names)
	{
		char	   *name = (char *) lfirst(cell);

		if (bedrock_is_valid_job_name(name))
			continue;
		refused = true;
		plan->not_sent = lappend(plan->not_sent,
								 psprintf("jobIdentifier not sent: %s is not a job name the API accepts",
										  quote_value(name)));
	}
	if (refused)
		plan->exact = false;
	else
	{
		plan->direct = true;
		plan->job_ids = names;
	}
}

/* A status statusEquals accepts: one of the service model's enum. */
static bool
is_api_status(const char *status)
{
	int			i;

	for (i = 0; i < BEDROCK_NSTATUSES; i++)
	{
		if (strcmp(status, bedrock_job_statuses[i]) == 0)
			return true;
	}
	return false;
}

/*
 * Settle the calls of a scan from its conditions' values (one per
 * condition of pd, in order).  A value not known yet (planning, plain
 * EXPLAIN) narrows nothing: the calls are those of every value it may take,
 * and plan->unknown shows it.  All that plan holds is allocated in the
 * current memory context.
 */
void
bedrock_resolve_scan(const BedrockPushdown *pd, List *server_regions,
					 const BedrockCondValue *values, BedrockScanPlan *plan)
{
	List	   *sets[BEDROCK_NCONDKINDS];
	bool		constrained[BEDROCK_NCONDKINDS];
	bool		unknown_scalar[BEDROCK_NCONDKINDS];
	bool		unknown_array[BEDROCK_NCONDKINDS];
	TimestampTz lower = 0,
				upper = 0;
	bool		have_lower = false,
				have_upper = false;
	int64		count = -1;
	int64		offset = 0;
	ListCell   *cell;
	int			i = 0;
	int			k;

	memset(plan, 0, sizeof(*plan));
	memset(sets, 0, sizeof(sets));
	memset(constrained, 0, sizeof(constrained));
	memset(unknown_scalar, 0, sizeof(unknown_scalar));
	memset(unknown_array, 0, sizeof(unknown_array));
	plan->attnos = pd->attnos;
	plan->need_get = pd->need_get;
	plan->need_tags = pd->need_tags;
	plan->sort_order = pd->sort_order;
	plan->exact = pd->all_pushed;
	plan->regions = server_regions;

	foreach(cell, pd->conds)
	{
		const BedrockCond *cond = (const BedrockCond *) lfirst(cell);
		const BedrockCondValue *v = &values[i++];
		BedrockCondKind kind = cond->kind;

		if (kind == BEDROCK_COND_CREATED_AFTER || kind == BEDROCK_COND_CREATED_BEFORE ||
			kind == BEDROCK_COND_NAME_LIKE)
			plan->exact = false;	/* the API's filter is wider */
		if (!v->known)
		{
			if (plan->unknown[kind] == NULL)
				plan->unknown[kind] = cond->is_array
					? psprintf("each of %s", v->shown) : v->shown;
			else if (kind == BEDROCK_COND_CREATED_AFTER)
				plan->unknown[kind] = psprintf("greatest(%s, %s)", plan->unknown[kind], v->shown);
			else if (kind == BEDROCK_COND_CREATED_BEFORE)
				plan->unknown[kind] = psprintf("least(%s, %s)", plan->unknown[kind], v->shown);
			if (cond->is_array)
				unknown_array[kind] = true;
			else
				unknown_scalar[kind] = true;
			continue;
		}
		switch (kind)
		{
			case BEDROCK_COND_REGION:
			case BEDROCK_COND_STATUS:
			case BEDROCK_COND_ARN:
			case BEDROCK_COND_NAME:
				{
					List	   *strings = cond_strings(cond, v);

					/* intersecting with itself drops repeats */
					sets[kind] = intersect_strings(constrained[kind] ? sets[kind] : strings,
												   strings);
					constrained[kind] = true;
					break;
				}
			case BEDROCK_COND_CREATED_AFTER:
			case BEDROCK_COND_CREATED_BEFORE:
				{
					TimestampTz bound = DatumGetTimestampTz(v->value);
					bool		is_lower = (kind == BEDROCK_COND_CREATED_AFTER);

					if (v->isnull)
						plan->empty_reason = "a condition on creation_time compares with NULL";
					else if (is_lower && (!have_lower || bound > lower))
						lower = bound, have_lower = true;
					else if (!is_lower && (!have_upper || bound < upper))
						upper = bound, have_upper = true;
					break;
				}
			case BEDROCK_COND_NAME_LIKE:
				{
					char	   *literal;

					if (v->isnull)
					{
						plan->empty_reason = "a LIKE pattern is NULL";
						break;
					}
					literal = like_literal(TextDatumGetCString(v->value));
					if (literal && (plan->name_contains == NULL ||
									strlen(literal) > strlen(plan->name_contains)))
						plan->name_contains = literal;
					break;
				}
			case BEDROCK_COND_LIMIT:
				if (!v->isnull)
					count = DatumGetInt64(v->value);
				break;
			case BEDROCK_COND_OFFSET:
				if (!v->isnull)
					offset = DatumGetInt64(v->value);
				break;
			case BEDROCK_NCONDKINDS:
				elog(ERROR, "unexpected condition kind");
		}
	}

	/*
	 * How many List sequences or lookups each kind may make: a value not
	 * known yet allows one at most when it is a scalar, any number when it
	 * is an array.
	 */
	for (k = 0; k < BEDROCK_NCONDKINDS; k++)
	{
		int			most = constrained[k] ? list_length(sets[k])
			: unknown_array[k] ? INT_MAX : 1;

		plan->max_sequences[k] = unknown_scalar[k] ? Min(most, 1) : most;
	}

	/* conditions no row can meet: no call at all */
	if (constrained[BEDROCK_COND_REGION])
		plan->regions = intersect_strings(server_regions, sets[BEDROCK_COND_REGION]);
	if (plan->regions == NIL)
		plan->empty_reason = "no configured region matches";
	else if (constrained[BEDROCK_COND_STATUS] && sets[BEDROCK_COND_STATUS] == NIL)
		plan->empty_reason = "no status can match";
	else if ((constrained[BEDROCK_COND_ARN] && sets[BEDROCK_COND_ARN] == NIL) ||
			 (constrained[BEDROCK_COND_NAME] && sets[BEDROCK_COND_NAME] == NIL))
		plan->empty_reason = "no job ARN or name can match";
	if (plan->empty_reason)
		return;

	/* job_arn or job_name: Gets, when the API accepts every value */
	if (constrained[BEDROCK_COND_ARN])
		resolve_arns(plan, sets[BEDROCK_COND_ARN]);
	else if (plan->unknown[BEDROCK_COND_ARN])
		plan->direct = true;	/* Gets of the values, once known */
	else if (constrained[BEDROCK_COND_NAME])
		resolve_names(plan, sets[BEDROCK_COND_NAME]);
	else if (plan->unknown[BEDROCK_COND_NAME])
		plan->direct = true;
	if (plan->empty_reason)
		return;
	if (plan->direct)
	{
		/*
		 * No List, so none of its filters: status and the rest are checked
		 * locally.  Get's baseModelArn differs from List's for a job that
		 * continues a custom model: when the query uses that column, each
		 * job found is also listed for its summary, so rows read as in a
		 * full scan.
		 */
		plan->need_summary = pd->uses_base_model_arn;
		plan->name_contains = NULL;
		plan->exact = false;
		return;
	}

	/*
	 * Listing: a job whose summary cannot meet an equality condition is
	 * dropped before its per-job calls (PostgreSQL would drop its row).
	 */
	plan->match_statuses = sets[BEDROCK_COND_STATUS];
	plan->match_arns = sets[BEDROCK_COND_ARN];
	plan->match_names = sets[BEDROCK_COND_NAME];

	/* statusEquals, when the API accepts every value: one List each */
	if (constrained[BEDROCK_COND_STATUS])
	{
		bool		refused = false;

		foreach(cell, sets[BEDROCK_COND_STATUS])
		{
			if (!is_api_status((char *) lfirst(cell)))
			{
				plan->not_sent = lappend(plan->not_sent,
										 psprintf("statusEquals not sent: %s is not a status the API accepts",
												  quote_value((char *) lfirst(cell))));
				refused = true;
			}
		}
		if (refused)
		{
			/*
			 * One List without statusEquals serves every value.  But a value
			 * not known yet may drop the refused one and leave several that
			 * the API accepts, each a List of its own: the bound stays.
			 */
			plan->exact = false;
			if (!unknown_array[BEDROCK_COND_STATUS])
				plan->max_sequences[BEDROCK_COND_STATUS] = 1;
		}
		else
		{
			plan->status_filtered = true;
			plan->statuses = sets[BEDROCK_COND_STATUS];
		}
	}
	if (have_lower)
		plan->created_after = bedrock_api_timestamp(lower, true);
	if (have_upper)
		plan->created_before = bedrock_api_timestamp(upper, false);

	/* LIMIT: with exact calls, the scan needs count + offset rows at most */
	if (!plan->exact)
		return;
	if (plan->unknown[BEDROCK_COND_LIMIT] || plan->unknown[BEDROCK_COND_OFFSET])
	{
		const char *c = plan->unknown[BEDROCK_COND_LIMIT]
			? plan->unknown[BEDROCK_COND_LIMIT] : psprintf(INT64_FORMAT, count);
		const char *o = plan->unknown[BEDROCK_COND_OFFSET]
			? plan->unknown[BEDROCK_COND_OFFSET] : psprintf(INT64_FORMAT, offset);

		if (plan->unknown[BEDROCK_COND_LIMIT] || count > 0)
			plan->limit_shown = strcmp(o, "0") == 0 ? c : psprintf("%s + %s", c, o);
	}
	else if (count > 0 && offset >= 0 && count <= INT_MAX - offset)
		plan->limit = (int) (count + offset);
}

/* Whether the plan makes no call at all (the result is surely empty). */
bool
bedrock_scan_plan_is_empty(const BedrockScanPlan *plan)
{
	return plan->empty_reason != NULL;
}

/*
 * Whether the scan makes one List sequence at most, whatever the values not
 * known yet, so that the API can return its rows in creation-time order.
 */
bool
bedrock_scan_plan_one_sequence(const BedrockScanPlan *plan)
{
	return !bedrock_scan_plan_is_empty(plan) &&
		list_length(plan->regions) == 1 &&
		plan->max_sequences[BEDROCK_COND_STATUS] <= 1 &&
		plan->max_sequences[BEDROCK_COND_ARN] <= 1 &&
		plan->max_sequences[BEDROCK_COND_NAME] <= 1;
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
			if (bedrock_pathkey_ascending(pk))
				return 1;
			if (bedrock_pathkey_descending(pk))
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
