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

#include "access/sysattr.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "utils/array.h"
#include "utils/builtins.h"
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

	memset(plan, 0, sizeof(*plan));
	plan->regions = server_regions;

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

	/* region and status equalities narrow the calls */
	foreach(cell, baserel->baserestrictinfo)
	{
		RestrictInfo *rinfo = lfirst_node(RestrictInfo, cell);
		List	   *values;

		if (match_column_equality(rinfo->clause, baserel->relid, column_map,
								  BCOL_REGION, &values))
			plan->regions = intersect_strings(plan->regions, values);
		else if (match_column_equality(rinfo->clause, baserel->relid,
									   column_map, BCOL_STATUS, &values))
		{
			plan->statuses = intersect_strings(plan->status_filtered
											   ? plan->statuses
											   : valid_statuses,
											   values);
			plan->status_filtered = true;
		}
	}
}

/* Whether the plan makes no call at all (the result is surely empty). */
bool
bedrock_scan_plan_is_empty(const BedrockScanPlan *plan)
{
	return plan->regions == NIL ||
		(plan->status_filtered && plan->statuses == NIL);
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
	return list_make5(strings_to_nodes(plan->regions),
					  list_make2(makeInteger(plan->status_filtered),
								 strings_to_nodes(plan->statuses)),
					  makeInteger(plan->need_get),
					  makeInteger(plan->need_tags),
					  list_copy(plan->attnos));
}

void
bedrock_scan_plan_from_list(List *list, BedrockScanPlan *plan)
{
	List	   *status = (List *) lsecond(list);

	plan->regions = nodes_to_strings((List *) linitial(list));
	plan->status_filtered = intVal(linitial(status)) != 0;
	plan->statuses = nodes_to_strings((List *) lsecond(status));
	plan->need_get = intVal(lthird(list)) != 0;
	plan->need_tags = intVal(lfourth(list)) != 0;
	plan->attnos = (List *) list_nth(list, 4);
}
