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

#include "access/sysattr.h"
#include "mb/pg_wchar.h"
#include "catalog/pg_collation.h"
#include "access/stratnum.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/clauses.h"
#include "optimizer/optimizer.h"
#include "optimizer/paths.h"
#include "regex/regex.h"
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


/*
 * A service model pattern (Java's regular expressions) in PostgreSQL's
 * advanced form, anchored to the whole value.  They differ where the model
 * has a '-' that is no range inside brackets ("[A-Za-z0-9- ]"): Java takes
 * it literally, PostgreSQL refuses it, so it is escaped.
 */
static char *
anchored_pattern(const char *pattern)
{
	StringInfoData buf;
	const char *p;
	bool		in_bracket = false;
	int			after_range = 0;	/* the bracket's last char ended a range */
	int			members = 0;	/* chars seen in the current bracket */

	initStringInfo(&buf);
	appendStringInfoString(&buf, "^(?:");
	for (p = pattern; *p; p++)
	{
		if (*p == '\\' && p[1])
		{
			appendStringInfoChar(&buf, *p++);
			appendStringInfoChar(&buf, *p);
			members++;
			after_range = 0;
			continue;
		}
		if (!in_bracket)
		{
			if (*p == '[')
			{
				in_bracket = true;
				members = after_range = 0;
				if (p[1] == '^')
					appendStringInfoChar(&buf, *p++);
			}
			appendStringInfoChar(&buf, *p);
			continue;
		}
		if (*p == ']' && members > 0)
			in_bracket = false;
		else if (*p == '-')
		{
			/* a range between two members, else a literal '-' */
			if (members > 0 && !after_range && p[1] && p[1] != ']')
			{
				appendStringInfoChar(&buf, *p++);
				appendStringInfoChar(&buf, *p);
				after_range = 1;
				members++;
				continue;
			}
			appendStringInfoString(&buf, "\\-");
			members++;
			after_range = 0;
			continue;
		}
		else
		{
			members++;
			after_range = 0;
		}
		appendStringInfoChar(&buf, *p);
	}
	appendStringInfoString(&buf, ")$");
	return buf.data;
}

/*
 * The last verdicts of pattern checks, by pattern and value.  The model's
 * patterns repeat bounded runs ("[a-z0-9-]{1,63}"), which make an automaton
 * that PostgreSQL's regex engine takes a fifth of a millisecond to run over
 * an ARN, and a lookup checks its value when planned and again when run.
 * A verdict depends on the pattern and the value alone.
 */
#define VERDICT_SLOTS 64
#define VERDICT_MAX_LEN 2048

typedef struct PatternVerdict
{
	const char *pattern;		/* a descriptor's pattern (static), or NULL */
	char	   *value;			/* in TopMemoryContext */
	bool		accepted;
} PatternVerdict;

static PatternVerdict verdicts[VERDICT_SLOTS];

static bool
pattern_accepts(const char *pattern, const char *value, int len)
{
	PatternVerdict *slot;
	bool		accepted;
	char	   *copy;

	/* identifiers are short: a long value is not worth keeping */
	if (len <= VERDICT_MAX_LEN)
	{
		uint32		h = hash_bytes((const unsigned char *) value, len) ^
			hash_bytes_uint32((uint32) (uintptr_t) pattern);

		slot = &verdicts[h % VERDICT_SLOTS];
		if (slot->pattern == pattern && strcmp(slot->value, value) == 0)
			return slot->accepted;
	}
	else
		slot = NULL;
	accepted = RE_compile_and_execute(cstring_to_text(anchored_pattern(pattern)),
									  (char *) value, len, REG_ADVANCED,
									  C_COLLATION_OID, 0, NULL);
	if (slot == NULL)
		return accepted;
	/* the slot changes only once the verdict is known */
	copy = MemoryContextStrdup(TopMemoryContext, value);
	if (slot->value)
		pfree(slot->value);
	slot->pattern = pattern;
	slot->value = copy;
	slot->accepted = accepted;
	return accepted;
}

/*
 * Whether the API accepts a value as a parameter: within the model's
 * lengths, one of its enum, and matching its whole pattern.  The pattern is
 * the service model's, read by PostgreSQL's regular expression engine
 * (whose compiled expressions it caches).  A value the API would refuse is
 * never sent.
 */
bool
bedrock_value_accepted(const BedrockValueCheck *check, const char *value)
{
	int			len = (int) strlen(value);
	int			nchars = pg_mbstrlen(value);

	if (nchars < check->min_len || (check->max_len > 0 && nchars > check->max_len))
		return false;
	if (check->enum_values)
	{
		const char *const *e;

		for (e = check->enum_values; *e; e++)
		{
			if (strcmp(*e, value) == 0)
				return true;
		}
		return false;
	}
	if (check->pattern)
		return pattern_accepts(check->pattern, value, len);
	return true;
}

/*
 * The region field of an ARN (arn:PARTITION:SERVICE:REGION:...) the API
 * accepts as an identifier, or NULL when the value is not one.
 */
static char *
accepted_arn_region(const BedrockIdentifier *ident, const char *arn)
{
	if (strncmp(arn, "arn:", 4) != 0 || !bedrock_value_accepted(&ident->check, arn))
		return NULL;
	return bedrock_arn_field(arn, 3);
}

/*
 * The longest run of literal characters in a LIKE pattern that a value
 * matching the pattern must contain and that the contains filter accepts,
 * or NULL.
 */
static char *
like_literal(const BedrockValueCheck *check, const char *pattern)
{
	StringInfoData run;
	char	   *best = NULL;
	int			bestlen = 0;	/* in characters */
	int		   *bounds = palloc(sizeof(int) * (strlen(pattern) + 1));
	int			nchars;
	const char *p;

	initStringInfo(&run);
	for (p = pattern;; p++)
	{
		bool		literal = (*p != '\0' && *p != '%' && *p != '_');
		int			i,
					j;

		if (*p == '\\' && p[1] != '\0')
		{
			appendStringInfoChar(&run, *++p);
			continue;
		}
		if (literal)
		{
			appendStringInfoChar(&run, *p);
			continue;
		}

		/*
		 * The longest part of the run that the filter accepts, cut at
		 * character boundaries: bounds[k] is where character k starts.
		 */
		nchars = 0;
		for (i = 0; i < run.len; i += pg_mblen(run.data + i))
			bounds[nchars++] = i;
		bounds[nchars] = run.len;
		for (i = 0; i < nchars; i++)
		{
			for (j = check->max_len > 0 ? Min(nchars, i + check->max_len) : nchars;
				 j - i > bestlen; j--)
			{
				char	   *part = pnstrdup(run.data + bounds[i], bounds[j] - bounds[i]);

				if (bedrock_value_accepted(check, part))
				{
					best = part;
					bestlen = j - i;
					break;
				}
				pfree(part);
			}
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

/* Whether var is the given column of the table's resource (-1: none). */
static bool
is_column(Var *var, const int *column_map, int col)
{
	return var != NULL && var->varattno > 0 && col >= 0 &&
		column_map[var->varattno] == col;
}

/*
 * "col = x", "x = col", "col IN (...)" or "col = ANY (x)" for a text column,
 * under a deterministic collation: a condition of the given kind, or NULL.
 */
static BedrockCond *
match_equality(Expr *clause, Index relid, const int *column_map,
			   int col, BedrockCondKind kind)
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

/* The time column compared with x (<, <=, >, >=, either side), or NULL. */
static BedrockCond *
match_time(Expr *clause, Index relid, const int *column_map, int col)
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
	if (!is_column(var, column_map, col) ||
		exprType(other) != TIMESTAMPTZOID || !is_scan_constant(other))
		return NULL;
	/* col > x, col >= x, x < col, x <= col: a lower bound */
	is_lower = ((fn == F_TIMESTAMPTZ_GT || fn == F_TIMESTAMPTZ_GE) == var_left);
	return bedrock_make_cond(is_lower ? BEDROCK_COND_CREATED_AFTER : BEDROCK_COND_CREATED_BEFORE,
							 false, (Expr *) other);
}

/* "col LIKE x" (case-sensitive, deterministic collation), or NULL. */
static BedrockCond *
match_like(Expr *clause, Index relid, const int *column_map, int col)
{
	OpExpr	   *op;

	if (!IsA(clause, OpExpr) || list_length(((OpExpr *) clause)->args) != 2)
		return NULL;
	op = (OpExpr *) clause;
	if (get_opcode(op->opno) != F_TEXTLIKE ||
		(OidIsValid(op->inputcollid) && op->inputcollid != DEFAULT_COLLATION_OID &&
		 !get_collation_isdeterministic(op->inputcollid)) ||
		!is_column(strip_to_var(linitial(op->args), relid), column_map, col) ||
		!is_scan_constant(lsecond(op->args)))
		return NULL;
	return bedrock_make_cond(BEDROCK_COND_NAME_LIKE, false, (Expr *) lsecond(op->args));
}

/* Whether the scan fills a given column of its resource. */
bool
bedrock_pushdown_uses_column(const BedrockPushdown *pd, const int *column_map,
							 int col)
{
	ListCell   *cell;

	foreach(cell, pd->attnos)
	{
		if (column_map[lfirst_int(cell)] == col)
			return true;
	}
	return false;
}

/*
 * Plan the pushdown of a scan: the attributes it fills, the per-resource
 * calls they need, and the quals that become conditions.  column_map maps
 * attribute numbers of rel to columns of res (-1 for dropped ones).
 */
void
bedrock_plan_pushdown(PlannerInfo *root, RelOptInfo *baserel, Relation rel,
					  const BedrockResource *res, const int *column_map,
					  BedrockPushdown *pd)
{
	Bitmapset  *attrs = NULL;
	ListCell   *cell;
	int			attno;
	int			i;

	memset(pd, 0, sizeof(*pd));
	pd->resource = res;

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
	}
	foreach(cell, pd->attnos)
	{
		const BedrockColumn *column = &res->columns[column_map[lfirst_int(cell)]];

		if (column->source == BEDROCK_SOURCE_GET)
			pd->need_get = true;
		else if (column->source == BEDROCK_SOURCE_TAGS)
			pd->need_tags = true;
		else if (column->shape == BEDROCK_SHAPE_PLAIN ||
				 column->shape == BEDROCK_SHAPE_ARRAY ||
				 column->shape == BEDROCK_SHAPE_MAP)
		{
			pd->uses_list_differs |= column->list_differs;
			pd->uses_summary_only |= (column->get_member == NULL);
		}
	}

	/* quals that narrow the calls */
	pd->all_pushed = bedrock_pushdown_enabled;
	if (!bedrock_pushdown_enabled)
		return;
	foreach(cell, baserel->baserestrictinfo)
	{
		Expr	   *clause = lfirst_node(RestrictInfo, cell)->clause;
		Index		relid = baserel->relid;
		BedrockCond *cond;

		cond = match_equality(clause, relid, column_map,
							  bedrock_resource_column(res, "region"),
							  BEDROCK_COND_REGION);
		if (cond == NULL)
			cond = match_equality(clause, relid, column_map,
								  bedrock_resource_column(res, "account_id"),
								  BEDROCK_COND_ACCOUNT);
		if (cond == NULL && res->status.param)
			cond = match_equality(clause, relid, column_map,
								  bedrock_resource_column(res, res->status.column),
								  BEDROCK_COND_STATUS);
		if (cond == NULL && res->get_op)
			cond = match_equality(clause, relid, column_map,
								  bedrock_resource_column(res, res->arn.column),
								  BEDROCK_COND_ARN);
		if (cond == NULL && res->get_op)
			cond = match_equality(clause, relid, column_map,
								  bedrock_resource_column(res, res->id.column),
								  BEDROCK_COND_NAME);
		for (i = 0; cond == NULL && i < BEDROCK_MAX_EQUALS && res->equals[i].param; i++)
			cond = match_equality(clause, relid, column_map,
								  bedrock_resource_column(res, res->equals[i].column),
								  BEDROCK_COND_EQUALS + i);
		if (cond == NULL && res->time_after)
			cond = match_time(clause, relid, column_map,
							  bedrock_resource_column(res, res->time_column));
		if (cond == NULL && res->contains_param)
			cond = match_like(clause, relid, column_map,
							  bedrock_resource_column(res, res->contains_column));
		/* a name no Get takes: the whole name is what it contains */
		if (cond == NULL && res->contains_param &&
			(res->id.column == NULL || strcmp(res->id.column, res->contains_column) != 0))
		{
			cond = match_equality(clause, relid, column_map,
								  bedrock_resource_column(res, res->contains_column),
								  BEDROCK_COND_NAME_EQ);
			if (cond && cond->is_array)
				cond = NULL;	/* several names: no one contains filter */
		}
		if (cond != NULL)
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
	FdwScanPrivateResource,		/* Integer: position in bedrock_resources */
	FdwScanPrivateConds,		/* per condition: kind and is_array (Integers) */
	FdwScanPrivateAttnos,		/* integer list */
	FdwScanPrivateNeedGet,		/* Integers: booleans... */
	FdwScanPrivateNeedTags,
	FdwScanPrivateUsesListDiffers,
	FdwScanPrivateUsesSummaryOnly,
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
	int			r;

	foreach(cell, pd->conds)
	{
		BedrockCond *cond = (BedrockCond *) lfirst(cell);

		conds = lappend(conds, makeInteger(cond->kind));
		conds = lappend(conds, makeInteger(cond->is_array));
	}
	for (r = 0; bedrock_resources[r] != pd->resource; r++)
		;
	result = list_make5(makeInteger(r), conds, list_copy(pd->attnos),
						makeInteger(pd->need_get), makeInteger(pd->need_tags));
	result = lappend(result, makeInteger(pd->uses_list_differs));
	result = lappend(result, makeInteger(pd->uses_summary_only));
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
	pd->resource = bedrock_resources[intVal(list_nth(list, FdwScanPrivateResource))];
	for (i = 0; i + 1 < list_length(conds); i += 2)
		pd->conds = lappend(pd->conds,
							bedrock_make_cond((BedrockCondKind) intVal(list_nth(conds, i)),
											  intVal(list_nth(conds, i + 1)) != 0,
											  (Expr *) list_nth(exprs, i / 2)));
	pd->attnos = (List *) list_nth(list, FdwScanPrivateAttnos);
	pd->need_get = intVal(list_nth(list, FdwScanPrivateNeedGet)) != 0;
	pd->need_tags = intVal(list_nth(list, FdwScanPrivateNeedTags)) != 0;
	pd->uses_list_differs = intVal(list_nth(list, FdwScanPrivateUsesListDiffers)) != 0;
	pd->uses_summary_only = intVal(list_nth(list, FdwScanPrivateUsesSummaryOnly)) != 0;
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
 * ARN = x: Gets by ARN, each in its ARN's region when that is one of the
 * scan's.  A value that is no ARN the API accepts is not sent: the scan
 * lists instead, in the region the value names, or in every region.
 */
static void
resolve_arns(BedrockScanPlan *plan, List *arns)
{
	const BedrockResource *res = plan->resource;
	List	   *list_regions = NIL;
	bool		list_everywhere = false;
	bool		refused = false;
	ListCell   *cell;

	foreach(cell, arns)
	{
		char	   *arn = (char *) lfirst(cell);
		char	   *region = accepted_arn_region(&res->arn, arn);

		if (region)
		{
			if (intersect_strings(plan->regions, list_make1(region)) != NIL)
				plan->ids = lappend(plan->ids, arn);
			list_regions = lappend(list_regions, region);
			continue;
		}
		refused = true;
		plan->not_sent = lappend(plan->not_sent,
								 psprintf("%s not sent: %s is not a %s ARN the API accepts",
										  res->get_param, quote_value(arn), res->noun));
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
		if (plan->ids == NIL)
			plan->empty_reason = "no ARN of a configured region matches";
		return;
	}
	plan->ids = NIL;
	plan->exact = false;
	if (!list_everywhere)
		plan->regions = intersect_strings(plan->regions, list_regions);
	if (plan->regions == NIL)
		plan->empty_reason = "no configured region matches";
}

/*
 * name = x: a Get by name (or id) in each region.  A value that is no name
 * the API accepts is not sent: the scan lists instead.
 */
static void
resolve_names(BedrockScanPlan *plan, List *names)
{
	const BedrockResource *res = plan->resource;
	bool		refused = false;
	ListCell   *cell;

	foreach(cell, names)
	{
		char	   *name = (char *) lfirst(cell);

		if (bedrock_value_accepted(&res->id.check, name))
			continue;
		refused = true;
		plan->not_sent = lappend(plan->not_sent,
								 psprintf("%s not sent: %s is not a %s %s the API accepts",
										  res->get_param, quote_value(name),
										  res->noun, res->id.what));
	}
	if (refused)
		plan->exact = false;
	else
	{
		plan->direct = true;
		plan->ids = names;
	}
}

/*
 * The equals filters other than the status: a single value the API accepts
 * is sent; several values, or one it would refuse, are checked by
 * PostgreSQL alone.  Either way, a listed resource whose value is none of
 * them is dropped before its per-resource calls.
 */
static void
resolve_equals(BedrockScanPlan *plan, List **sets, const bool *constrained)
{
	const BedrockResource *res = plan->resource;
	int			i;

	for (i = 0; i < BEDROCK_MAX_EQUALS && res->equals[i].param; i++)
	{
		const BedrockEqualsFilter *filter = &res->equals[i];
		List	   *set = sets[BEDROCK_COND_EQUALS + i];

		if (!constrained[BEDROCK_COND_EQUALS + i])
			continue;
		plan->match_equals[i] = set;
		if (list_length(set) != 1)
			plan->exact = false;
		else if (!bedrock_value_accepted(&filter->check, (char *) linitial(set)))
		{
			plan->not_sent = lappend(plan->not_sent,
									 psprintf("%s not sent: %s is not a value the API accepts",
											  filter->param,
											  quote_value((char *) linitial(set))));
			plan->exact = false;
		}
		else
		{
			plan->equals[i] = (char *) linitial(set);
			/* the API matches in any case: more rows than the query's */
			if (filter->case_insensitive)
				plan->exact = false;
		}
	}
}

/*
 * Whether a looked-up resource's summary can be found with one List: by
 * its name as the contains filter, in a window of its time column.
 */
static bool
summary_findable(const BedrockResource *res)
{
	return res->contains_param && res->time_after && res->id.column &&
		strcmp(res->contains_column, res->id.column) == 0;
}

/*
 * Lookups that Get alone cannot answer: list instead, in the regions the
 * ARNs name when every one names one (else in every region), and let
 * PostgreSQL filter.
 */
static void
list_instead_of_get(BedrockScanPlan *plan, List *arns)
{
	List	   *regions = NIL;
	ListCell   *cell;

	foreach(cell, arns)
	{
		char	   *region = bedrock_arn_field((char *) lfirst(cell), 3);

		if (region == NULL)
		{
			regions = NIL;
			break;
		}
		regions = lappend(regions, region);
	}
	if (regions != NIL)
		plan->regions = intersect_strings(plan->regions, regions);
	if (plan->regions == NIL)
		plan->empty_reason = "no configured region matches";
	plan->direct = false;
	plan->ids = NIL;
	plan->exact = false;
}

/*
 * Settle the calls of a scan from its conditions' values (one per
 * condition of pd, in order).  A value not known yet (planning, plain
 * EXPLAIN) narrows nothing: the calls are those of every value it may take,
 * and plan->unknown shows it.  All that plan holds is allocated in the
 * current memory context.
 */
void
bedrock_resolve_scan(const BedrockPushdown *pd, const BedrockServerOptions *opts,
					 const BedrockCondValue *values, BedrockScanPlan *plan)
{
	List	   *server_regions = bedrock_candidate_regions(opts);
	const BedrockResource *res = pd->resource;
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
	plan->resource = res;
	plan->arn_col = bedrock_resource_column(res, res->arn_column);
	plan->id_col = bedrock_resource_column(res, res->id.column);
	plan->status_col = bedrock_resource_column(res, res->status.column);
	for (k = 0; k < BEDROCK_MAX_EQUALS; k++)
		plan->equals_col[k] = res->equals[k].param
			? bedrock_resource_column(res, res->equals[k].column) : -1;
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
			kind == BEDROCK_COND_NAME_LIKE || kind == BEDROCK_COND_NAME_EQ)
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
		if (kind >= BEDROCK_COND_EQUALS && kind <= BEDROCK_COND_EQUALS_LAST)
		{
			List	   *strings = cond_strings(cond, v);

			/* a set of strings, as for the kinds below */
			sets[kind] = intersect_strings(constrained[kind] ? sets[kind] : strings,
										   strings);
			constrained[kind] = true;
			continue;
		}
		switch (kind)
		{
			case BEDROCK_COND_REGION:
			case BEDROCK_COND_ACCOUNT:
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
					literal = like_literal(&res->contains_check,
										   TextDatumGetCString(v->value));
					if (literal && (plan->name_contains == NULL ||
									strlen(literal) > strlen(plan->name_contains)))
						plan->name_contains = literal;
					break;
				}
			case BEDROCK_COND_NAME_EQ:
				{
					char	   *name;

					if (v->isnull)
					{
						plan->empty_reason = "a name compares with NULL";
						break;
					}
					name = TextDatumGetCString(v->value);
					if (!bedrock_value_accepted(&res->contains_check, name))
						plan->not_sent = lappend(plan->not_sent,
												 psprintf("%s not sent: %s is not a value the API accepts",
														  res->contains_param, quote_value(name)));
					else if (plan->name_contains == NULL ||
							 strlen(name) > strlen(plan->name_contains))
						plan->name_contains = name;
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
			default:
				elog(ERROR, "unexpected condition kind %d", (int) kind);
		}
	}

	/*
	 * How many List sequences or lookups each kind may make: a value not
	 * known yet allows one at most when it is a scalar, any number when it is
	 * an array.
	 */
	for (k = 0; k < BEDROCK_NCONDKINDS; k++)
	{
		int			most = constrained[k] ? list_length(sets[k])
			: unknown_array[k] ? INT_MAX : 1;

		plan->max_sequences[k] = unknown_scalar[k] ? Min(most, 1) : most;
	}

	/* how many accounts the scan may call: List sequences of their own */
	if (!opts->accounts && !opts->organization)
		plan->max_accounts = 1;
	else if (constrained[BEDROCK_COND_ACCOUNT])
		plan->max_accounts = list_length(sets[BEDROCK_COND_ACCOUNT]);
	else if (unknown_scalar[BEDROCK_COND_ACCOUNT])
		plan->max_accounts = 1;
	else
		plan->max_accounts = opts->accounts && !unknown_array[BEDROCK_COND_ACCOUNT]
			? list_length(opts->accounts) : INT_MAX;

	/*
	 * account_id: with the server's accounts, only those accounts are called;
	 * a scan of the user mapping's own account cannot tell, and PostgreSQL
	 * alone checks the condition.
	 */
	if (constrained[BEDROCK_COND_ACCOUNT])
	{
		if (opts->accounts || opts->organization)
		{
			plan->accounts_constrained = true;
			/* an organization's accounts are known only when the scan starts */
			plan->accounts = opts->accounts
				? intersect_strings(sets[BEDROCK_COND_ACCOUNT], opts->accounts)
				: sets[BEDROCK_COND_ACCOUNT];
			if (plan->accounts == NIL)
				plan->empty_reason = "no account can match";
		}
		else
			plan->exact = false;
	}
	else if (plan->unknown[BEDROCK_COND_ACCOUNT] && !opts->accounts && !opts->organization)
		plan->exact = false;
	if (plan->empty_reason)
		return;

	/* conditions no row can meet: no call at all */
	if (constrained[BEDROCK_COND_REGION])
		plan->regions = intersect_strings(server_regions, sets[BEDROCK_COND_REGION]);
	if (plan->regions == NIL)
		plan->empty_reason = "no configured region matches";
	else if (constrained[BEDROCK_COND_STATUS] && sets[BEDROCK_COND_STATUS] == NIL)
		plan->empty_reason = "no status can match";
	else if ((constrained[BEDROCK_COND_ARN] && sets[BEDROCK_COND_ARN] == NIL) ||
			 (constrained[BEDROCK_COND_NAME] && sets[BEDROCK_COND_NAME] == NIL))
		plan->empty_reason = psprintf("no %s ARN or %s can match", res->noun, res->id.what);
	for (k = BEDROCK_COND_EQUALS; k <= BEDROCK_COND_EQUALS_LAST && !plan->empty_reason; k++)
	{
		if (constrained[k] && sets[k] == NIL)
			plan->empty_reason = psprintf("no %s can match",
										  res->equals[k - BEDROCK_COND_EQUALS].column);
	}
	if (plan->empty_reason)
		return;

	/* ARN or name: Gets, when the API accepts every value */
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
	if (plan->direct && (pd->uses_summary_only ||
						 (pd->uses_list_differs && !pd->need_get &&
						  !summary_findable(res))))
	{
		/*
		 * A column only the List summary holds (or whose Get value differs,
		 * with no List filter to find one summary): Get alone cannot fill the
		 * row, so the scan lists, in the regions the ARNs name.
		 */
		list_instead_of_get(plan, sets[BEDROCK_COND_ARN]);
		if (plan->empty_reason)
			return;
	}
	else if (plan->direct)
	{
		/*
		 * No List, so none of its filters: status and the rest are checked
		 * locally.  A column whose Get value may differ from List's (e.g. a
		 * job's baseModelArn when it continues a custom model) reads Get's
		 * when the query needs Get anyway, as a full scan would; otherwise
		 * each resource found is also listed for its summary, so rows read as
		 * in a full scan.
		 */
		plan->need_summary = pd->uses_list_differs && !pd->need_get;
		plan->name_contains = NULL;
		plan->exact = false;
		return;
	}

	/*
	 * Listing: a resource whose summary cannot meet an equality condition is
	 * dropped before its per-resource calls (PostgreSQL would drop its row).
	 */
	plan->match_statuses = sets[BEDROCK_COND_STATUS];
	plan->match_arns = sets[BEDROCK_COND_ARN];
	plan->match_names = sets[BEDROCK_COND_NAME];

	resolve_equals(plan, sets, constrained);

	/* the status filter, when the API accepts every value: one List each */
	if (constrained[BEDROCK_COND_STATUS])
	{
		bool		refused = false;

		foreach(cell, sets[BEDROCK_COND_STATUS])
		{
			if (!bedrock_value_accepted(&res->status.check, (char *) lfirst(cell)))
			{
				plan->not_sent = lappend(plan->not_sent,
										 psprintf("%s not sent: %s is not a status the API accepts",
												  res->status.param,
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

/*
 * The regions a scan of the server may call: its regions, or with regions
 * 'all' every region where Bedrock runs (each account's enabled ones are
 * found when the scan starts).
 */
List *
bedrock_candidate_regions(const BedrockServerOptions *opts)
{
	List	   *regions = NIL;
	int			i;

	if (!opts->all_regions)
		return opts->regions;
	for (i = 0; bedrock_service_regions[i].name; i++)
		regions = lappend(regions, (char *) bedrock_service_regions[i].name);
	return regions;
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
		plan->max_accounts <= 1 &&
		plan->max_sequences[BEDROCK_COND_STATUS] <= 1 &&
		plan->max_sequences[BEDROCK_COND_ARN] <= 1 &&
		plan->max_sequences[BEDROCK_COND_NAME] <= 1;
}

/*
 * If pathkeys is exactly an ordering by the column the resource's List can
 * sort by, return 1 for ascending or -1 for descending, else 0.  A List can
 * return rows in that order (sortBy), so a sorted path needs no Sort.
 */
int
bedrock_sort_order(PlannerInfo *root, RelOptInfo *baserel,
				   const BedrockResource *res, const int *column_map,
				   List *pathkeys)
{
	int			col = bedrock_resource_column(res, res->sort_column);
	PathKey    *pk;
	ListCell   *lc;

	if (list_length(pathkeys) != 1 || res->sort_by == NULL || col < 0)
		return 0;
	pk = (PathKey *) linitial(pathkeys);
	if (pk->pk_eclass->ec_has_volatile)
		return 0;
	foreach(lc, pk->pk_eclass->ec_members)
	{
		EquivalenceMember *em = (EquivalenceMember *) lfirst(lc);
		Var		   *var = strip_to_var((Node *) em->em_expr, baserel->relid);

		if (var && var->varattno > 0 &&
			column_map[var->varattno] == col &&
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

/* The table's ARN column, for is_arn_member. */
typedef struct ArnColumn
{
	const int  *column_map;
	int			col;
} ArnColumn;

/* Whether an equivalence member is this table's ARN column. */
static bool
is_arn_member(PlannerInfo *root, RelOptInfo *rel, EquivalenceClass *ec,
			  EquivalenceMember *em, void *arg)
{
	ArnColumn  *arn = (ArnColumn *) arg;

	return is_column(strip_to_var((Node *) em->em_expr, rel->relid),
					 arn->column_map, arn->col);
}

/*
 * Join clauses "ARN = <expression of other tables>" this table could use to
 * look resources up one by one in a parameterized scan (a nested loop from
 * a cost table, say).
 */
List *
bedrock_arn_join_clauses(PlannerInfo *root, RelOptInfo *baserel,
						 const BedrockResource *res, const int *column_map)
{
	List	   *result = NIL;
	List	   *clauses;
	ListCell   *lc;
	ArnColumn	arn;

	arn.column_map = column_map;
	arn.col = bedrock_resource_column(res, res->arn.column);
	if (arn.col < 0)
		return NIL;
	clauses = generate_implied_equalities_for_column(root, baserel,
													 is_arn_member, &arn,
													 baserel->lateral_referencers);
	foreach(lc, clauses)
	{
		RestrictInfo *rinfo = lfirst_node(RestrictInfo, lc);

		if (bedrock_arn_outer_expr(root, rinfo, baserel, column_map, arn.col) != NULL)
			result = lappend(result, rinfo);
	}
	return result;
}

/*
 * The outer side of an "ARN = expression" join clause, if the clause is
 * text equality with a text expression of other tables; else NULL.
 */
Expr *
bedrock_arn_outer_expr(PlannerInfo *root, RestrictInfo *rinfo,
					   RelOptInfo *baserel, const int *column_map, int arn_col)
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
	if (!is_column(var, column_map, arn_col) ||
		bms_is_member(baserel->relid, pull_varnos(root, other)) ||
		contain_volatile_functions(other))
		return NULL;
	return (Expr *) other;
}
