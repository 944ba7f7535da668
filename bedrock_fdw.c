/*-------------------------------------------------------------------------
 * bedrock_fdw.c
 *	  Foreign-data wrapper for the AWS Bedrock control plane: the handler and
 *	  every FdwRoutine callback.
 *
 * Each foreign table maps one resource of the catalog (resources.c).  The
 * planner decides which Bedrock calls a scan makes (pushdown.c); the
 * executor fetches resources in rounds of concurrent calls (fetch.c), with
 * Get and Tags per resource only when a used column needs them, and
 * converts each to a tuple (convert.c).  Under an Append (a partitioned
 * table, a UNION ALL) scans run asynchronously, each server's at once,
 * unless the option async_capable is off.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/pg_type.h"
#include "foreign/fdwapi.h"
#include "executor/execAsync.h"
#include "executor/executor.h"
#include "foreign/foreign.h"
#include "funcapi.h"
#include "utils/tuplestore.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "optimizer/cost.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/planmain.h"
#include "optimizer/restrictinfo.h"
#include "parser/parsetree.h"
#include "catalog/pg_foreign_server.h"
#include "storage/latch.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/ruleutils.h"

#include "bedrock_fdw.h"
#include "pg_compat.h"

PG_MODULE_MAGIC;

/* Planner estimates: resources per region per List, and per-call costs. */
#define EST_ROWS_PER_REGION		100
#define EST_ROWS_PER_STATUS		20
#define COST_PER_CALL			100.0
#define COST_PER_JOB_CALL		25.0

/* Planning state kept in baserel->fdw_private. */
typedef struct BedrockRelInfo
{
	BedrockPushdown pd;
	BedrockScanPlan planned;	/* the calls, as far as the planner knows them */
	int		   *column_map;		/* attno -> column of the resource, -1 if
								 * dropped */
	bool		async_capable;	/* its scans may run asynchronously */
} BedrockRelInfo;

/* Execution state of one foreign scan. */
typedef struct BedrockScanState
{
	Relation	rel;
	BedrockPushdown pd;
	BedrockScanPlan plan;		/* the calls, once resolved */
	bool		resolved;		/* plan holds the last scan's calls */
	bool		resolve_pending;	/* evaluate the conditions before fetching */
	List	   *cond_states;	/* ExprStates of the conditions' values */
	BedrockCondValue *values;
	MemoryContext resolve_cxt;	/* plan's lists and strings */
	BedrockServerOptions options;
	List	   *accounts;		/* of BedrockAccount *: reached, with their
								 * credentials (the query's memory) */
	BedrockClient client;
	bool		have_credentials;
	bool		registered_wipe;	/* the query's memory zeroes them */
	ForeignServer *server;
	Oid			userid;			/* whose user mapping applies */
	UserMapping *user;			/* it, once the scan makes a call */

	/* per attribute: resource column and the input function of its type */
	int		   *column_map;
	FmgrInfo   *in_functions;
	Oid		   *typioparams;
	bool	   *direct;			/* bedrock_column_datum builds the Datum */

	BedrockFetch *fetch;		/* NULL until a scan makes a call */
	MemoryContext row_cxt;		/* one tuple's conversion */

	/* asynchronous execution, under an Append */
	bool		async;			/* the executor runs the scan asynchronously */
	bool		would_block;	/* the last row asked for was not ready */
	BedrockWaitFd *waitfd;		/* what the Append waits on, once it does */
	MemoryContext wait_cxt;		/* what a wait is made of */

	/* for the conversion error context */
	int			current_attno;
} BedrockScanState;

/* FDW callbacks */
void		_PG_init(void);

PG_FUNCTION_INFO_V1(bedrock_fdw_handler);
PG_FUNCTION_INFO_V1(bedrock_fdw_disconnect_all);
PG_FUNCTION_INFO_V1(bedrock_fdw_clear_cache);
PG_FUNCTION_INFO_V1(bedrock_fdw_regions);

static void bedrockGetForeignRelSize(PlannerInfo *root, RelOptInfo *baserel,
									 Oid foreigntableid);
static void bedrockGetForeignPaths(PlannerInfo *root, RelOptInfo *baserel,
								   Oid foreigntableid);
static ForeignScan *bedrockGetForeignPlan(PlannerInfo *root, RelOptInfo *baserel,
										  Oid foreigntableid, ForeignPath *best_path,
										  List *tlist, List *scan_clauses,
										  Plan *outer_plan);
static void bedrockBeginForeignScan(ForeignScanState *node, int eflags);
static TupleTableSlot *bedrockIterateForeignScan(ForeignScanState *node);
static void bedrockReScanForeignScan(ForeignScanState *node);
static void bedrockEndForeignScan(ForeignScanState *node);
static void bedrockExplainForeignScan(ForeignScanState *node, ExplainState *es);
static List *bedrockImportForeignSchema(ImportForeignSchemaStmt *stmt,
										Oid serverOid);
static bool bedrockIsForeignPathAsyncCapable(ForeignPath *path);
static void bedrockForeignAsyncRequest(AsyncRequest *areq);
static void bedrockForeignAsyncConfigureWait(AsyncRequest *areq);
static void bedrockForeignAsyncNotify(AsyncRequest *areq);

/* helpers */
static int *map_columns(Relation rel, const BedrockResource *res);
static void add_foreign_path(PlannerInfo *root, RelOptInfo *baserel,
							 double rows, Cost startup_cost, Cost total_cost,
							 List *pathkeys, Relids required_outer,
							 List *fdw_private);
static void store_item(BedrockScanState *state, TupleTableSlot *slot,
					   const BedrockFetchedItem *fetched);
static BedrockCondValue *constant_values(const BedrockPushdown *pd,
										 ExplainState *es);
static double estimate_rows(const BedrockScanPlan *plan);
static void start_scan(ForeignScanState *node, BedrockScanState *state);
static UserMapping *user_mapping(Oid userid, ForeignServer *server);
static void renew_scan_credentials(BedrockClient *client,
								   BedrockCredentials *creds, bool expired);
static void wipe_credentials_callback(void *arg);
static void wipe_scan_credentials(BedrockScanState *state);
static bool accounts_to_call(BedrockScanState *state, List **accounts);
static bool string_in(List *strings, const char *s);
static void conversion_error_callback(void *arg);
static char *describe_calls(const BedrockScanPlan *plan);
static List *sorted_strings(List *strings);
static int	compare_strings(const ListCell *a, const ListCell *b);
static void explain_reach(BedrockScanState *state, const BedrockScanPlan *plan,
						  ExplainState *es);
static const char *shown_value(const BedrockScanPlan *plan, BedrockCondKind kind,
							   const char *known);
static void produce_tuple_asynchronously(AsyncRequest *areq);

void
_PG_init(void)
{
	DefineCustomBoolVariable("bedrock_fdw.pushdown",
							 "Sends conditions on Bedrock foreign tables to the API as parameters.",
							 "When off, every scan lists every resource of every region and PostgreSQL "
							 "alone applies WHERE, ORDER BY and LIMIT: the rows are the same, only "
							 "the calls differ.",
							 &bedrock_pushdown_enabled,
							 true,
							 PGC_USERSET,
							 GUC_EXPLAIN,
							 NULL, NULL, NULL);
	bedrock_detail_cache_init();
	bedrock_json_set_allocator(bedrock_buf_alloc, bedrock_buf_free);
	bedrock_shmem_init();
	MarkGUCPrefixReserved("bedrock_fdw");
}

Datum
bedrock_fdw_handler(PG_FUNCTION_ARGS)
{
	FdwRoutine *routine = makeNode(FdwRoutine);

	routine->GetForeignRelSize = bedrockGetForeignRelSize;
	routine->GetForeignPaths = bedrockGetForeignPaths;
	routine->GetForeignPlan = bedrockGetForeignPlan;
	routine->BeginForeignScan = bedrockBeginForeignScan;
	routine->IterateForeignScan = bedrockIterateForeignScan;
	routine->ReScanForeignScan = bedrockReScanForeignScan;
	routine->EndForeignScan = bedrockEndForeignScan;
	routine->ExplainForeignScan = bedrockExplainForeignScan;
	routine->ImportForeignSchema = bedrockImportForeignSchema;
	routine->IsForeignPathAsyncCapable = bedrockIsForeignPathAsyncCapable;
	routine->ForeignAsyncRequest = bedrockForeignAsyncRequest;
	routine->ForeignAsyncConfigureWait = bedrockForeignAsyncConfigureWait;
	routine->ForeignAsyncNotify = bedrockForeignAsyncNotify;

	PG_RETURN_POINTER(routine);
}

/*
 * Map each attribute of a foreign table to a column of its resource by
 * name, and check its declared type.  Unknown names and unsuitable types
 * are errors.
 */
static int *
map_columns(Relation rel, const BedrockResource *res)
{
	TupleDesc	tupdesc = RelationGetDescr(rel);
	int		   *map = palloc(sizeof(int) * (tupdesc->natts + 1));
	int			i;

	map[0] = -1;
	for (i = 0; i < tupdesc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(tupdesc, i);
		int			col;

		map[i + 1] = -1;
		if (att->attisdropped)
			continue;
		col = bedrock_resource_column(res, NameStr(att->attname));
		if (col < 0)
		{
			StringInfoData valid;
			int			c;

			initStringInfo(&valid);
			for (c = 0; c < res->ncolumns; c++)
				appendStringInfo(&valid, "%s%s", c ? ", " : "",
								 res->columns[c].name);
			ereport(ERROR,
					(errcode(ERRCODE_FDW_COLUMN_NAME_NOT_FOUND),
					 errmsg("column \"%s\" of foreign table \"%s\" is not a Bedrock %s column",
							NameStr(att->attname), RelationGetRelationName(rel),
							res->noun),
					 errhint("Valid columns are: %s.", valid.data)));
		}
		if (!bedrock_column_type_ok(res->columns[col].kind, att->atttypid))
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
					 errmsg("column \"%s\" of foreign table \"%s\" has type %s, which cannot hold Bedrock's %s",
							NameStr(att->attname), RelationGetRelationName(rel),
							format_type_be(att->atttypid),
							bedrock_column_sql_type(res->columns[col].kind)),
					 errhint("Declare the column as %s.",
							 bedrock_column_sql_type(res->columns[col].kind))));
		map[i + 1] = col;
	}
	return map;
}

/*
 * Close this backend's cached connections to Bedrock endpoints, as
 * postgres_fdw_disconnect_all() does for its connections.
 */
Datum
bedrock_fdw_disconnect_all(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(bedrock_http_close_connections());
}

/* Forget this backend's cached Bedrock answers (server option cache_ttl). */
Datum
bedrock_fdw_clear_cache(PG_FUNCTION_ARGS)
{
	/* credentials too, so that keys rotated in the shared files are read */
	bedrock_forget_credentials();
	PG_RETURN_INT64(bedrock_cache_clear() + bedrock_detail_clear());
}

/*
 * bedrock_fdw_regions(server): the accounts and regions a scan of the
 * server reaches, with accounts 'organization' and regions 'all' expanded
 * (one row per account and region; an account that cannot be reached, with
 * on_unavailable 'warn', is one row saying why).  It makes the calls a scan
 * would: ListAccounts, AssumeRole, ListRegions, each cached as for scans.
 */
Datum
bedrock_fdw_regions(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ForeignServer *server = GetForeignServerByName(NameStr(*PG_GETARG_NAME(0)), false);
	FdwRoutine *routine = GetFdwRoutineByServerId(server->serverid);
	BedrockServerOptions options;
	AclResult	aclresult;
	List	   *accounts;
	ListCell   *cell;

	if (routine->GetForeignRelSize != bedrockGetForeignRelSize)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("foreign server \"%s\" does not use bedrock_fdw",
						server->servername)));
	aclresult = bedrock_server_aclcheck(server->serverid, GetUserId(), ACL_USAGE);
	if (aclresult != ACLCHECK_OK)
		aclcheck_error(aclresult, OBJECT_FOREIGN_SERVER, server->servername);

	InitMaterializedSRF(fcinfo, 0);
	bedrock_get_server_options(server, &options);
	accounts = bedrock_scan_accounts(server, user_mapping(GetUserId(), server),
									 &options, NIL);
	foreach(cell, accounts)
	{
		BedrockAccount *a = (BedrockAccount *) lfirst(cell);
		Datum		values[3];
		bool		nulls[3] = {a->id == NULL, true, true};
		ListCell   *rc;

		values[0] = a->id ? CStringGetTextDatum(a->id) : (Datum) 0;
		if (a->failure)
		{
			values[1] = (Datum) 0;
			values[2] = CStringGetTextDatum(a->failure);
			nulls[2] = false;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
		else
		{
			foreach(rc, a->regions)
			{
				values[1] = CStringGetTextDatum((char *) lfirst(rc));
				nulls[1] = false;
				tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
			}
			bedrock_wipe_credentials(&a->credentials);
		}
	}
	return (Datum) 0;
}

/* ---------------------------------------------------------------------
 * Planning
 * ---------------------------------------------------------------------
 */

/*
 * The conditions' values as far as constants give them; another expression
 * (a Param, a stable function) is not known yet: for EXPLAIN (es), its text.
 */
static BedrockCondValue *
constant_values(const BedrockPushdown *pd, ExplainState *es)
{
	BedrockCondValue *values = palloc0(sizeof(BedrockCondValue) *
									   Max(list_length(pd->conds), 1));
	ListCell   *cell;
	int			i = 0;

	foreach(cell, pd->conds)
	{
		Expr	   *expr = ((BedrockCond *) lfirst(cell))->expr;

		if (IsA(expr, Const))
		{
			values[i].known = true;
			values[i].value = ((Const *) expr)->constvalue;
			values[i].isnull = ((Const *) expr)->constisnull;
		}
		else
			values[i].shown = es ? deparse_expression((Node *) expr, es->deparse_cxt,
													  false, false) : "?";
		i++;
	}
	return values;
}

/* Resources the calls of a plan are expected to return, before quals. */
static double
estimate_rows(const BedrockScanPlan *plan)
{
	int			nregions = list_length(plan->regions);

	if (bedrock_scan_plan_is_empty(plan))
		return 0;
	if (plan->direct)
		return Max(list_length(plan->ids), 1);
	if (plan->status_filtered)
		return nregions * list_length(plan->statuses) * EST_ROWS_PER_STATUS;
	return nregions * EST_ROWS_PER_REGION;
}

static void
bedrockGetForeignRelSize(PlannerInfo *root, RelOptInfo *baserel,
						 Oid foreigntableid)
{
	BedrockRelInfo *info = palloc0(sizeof(BedrockRelInfo));
	ForeignTable *table = GetForeignTable(foreigntableid);
	ForeignServer *server = GetForeignServer(table->serverid);
	BedrockServerOptions options;
	const BedrockResource *res;
	Relation	rel;

	bedrock_get_server_options(server, &options);

	rel = table_open(foreigntableid, NoLock);
	res = bedrock_table_resource(table, RelationGetRelationName(rel));
	info->column_map = map_columns(rel, res);
	bedrock_plan_pushdown(root, baserel, rel, res, info->column_map, &info->pd);
	table_close(rel, NoLock);
	bedrock_resolve_scan(&info->pd, &options, constant_values(&info->pd, NULL),
						 &info->planned);
	info->async_capable = bedrock_waitfd_supported() &&
		bedrock_table_async_capable(table, &options);
	baserel->fdw_private = info;

	baserel->tuples = estimate_rows(&info->planned);
	baserel->rows = clamp_row_est(baserel->tuples *
								  clauselist_selectivity(root,
														 baserel->baserestrictinfo,
														 0, JOIN_INNER, NULL));
}

static void
bedrockGetForeignPaths(PlannerInfo *root, RelOptInfo *baserel,
					   Oid foreigntableid)
{
	BedrockRelInfo *info = (BedrockRelInfo *) baserel->fdw_private;
	const BedrockScanPlan *plan = &info->planned;
	double		calls = 0;
	double		job_calls = 0;
	Cost		startup_cost;
	Cost		total_cost;

	if (!bedrock_scan_plan_is_empty(plan))
	{
		calls = plan->direct ? baserel->tuples * list_length(plan->regions)
			: list_length(plan->regions) *
			(plan->status_filtered ? list_length(plan->statuses) : 1);
		job_calls = baserel->tuples * ((plan->need_get && !plan->direct ? 1 : 0) +
									   (plan->need_tags ? 1 : 0));
	}
	startup_cost = COST_PER_CALL;
	total_cost = startup_cost + calls * COST_PER_CALL +
		job_calls * COST_PER_JOB_CALL + baserel->tuples * cpu_tuple_cost;

	add_foreign_path(root, baserel, baserel->rows, startup_cost, total_cost,
					 NIL, baserel->lateral_relids, NIL);

	/*
	 * ORDER BY the List's sort column: one List sequence (one region, at most
	 * one status, whatever the values of Params) can return rows in that
	 * order, so no Sort is needed; and with a LIMIT above it, paging stops
	 * early.
	 */
	if (bedrock_pushdown_enabled && bedrock_scan_plan_one_sequence(plan) &&
		bedrock_sort_order(root, baserel, info->pd.resource, info->column_map,
						   root->query_pathkeys) != 0)
		add_foreign_path(root, baserel, baserel->rows, startup_cost, total_cost,
						 root->query_pathkeys, baserel->lateral_relids, NIL);

	/*
	 * ARN = <column of another table>: a parameterized path looks each outer
	 * row's resource up with one Get, which a nested loop from a small table
	 * (a cost export, say) prefers to listing every resource.
	 */
	if (bedrock_pushdown_enabled && !bedrock_scan_plan_is_empty(plan) &&
		!bedrock_pushdown_has_cond(&info->pd, BEDROCK_COND_ARN) &&
		!bedrock_pushdown_has_cond(&info->pd, BEDROCK_COND_NAME))
	{
		ListCell   *lc;

		foreach(lc, bedrock_arn_join_clauses(root, baserel, info->pd.resource,
											 info->column_map))
		{
			RestrictInfo *rinfo = lfirst_node(RestrictInfo, lc);
			Relids		outer = bms_union(bms_difference(rinfo->clause_relids,
														 baserel->relids),
										  baserel->lateral_relids);
			Cost		per_lookup = COST_PER_CALL +
				(plan->need_tags ? COST_PER_JOB_CALL : 0);

			add_foreign_path(root, baserel, 1, per_lookup, per_lookup,
							 NIL, outer, list_make1(rinfo));
		}
	}
}

/*
 * Add a ForeignPath.  fdw_private holds the join clause of a parameterized
 * lookup path, or NIL.
 */
static void
add_foreign_path(PlannerInfo *root, RelOptInfo *baserel, double rows,
				 Cost startup_cost, Cost total_cost, List *pathkeys,
				 Relids required_outer, List *fdw_private)
{
	add_path(baserel, (Path *)
			 bedrock_create_foreignscan_path(root, baserel, rows, startup_cost,
											 total_cost, pathkeys, required_outer,
											 fdw_private));
}

static ForeignScan *
bedrockGetForeignPlan(PlannerInfo *root, RelOptInfo *baserel,
					  Oid foreigntableid, ForeignPath *best_path,
					  List *tlist, List *scan_clauses, Plan *outer_plan)
{
	BedrockRelInfo *info = (BedrockRelInfo *) baserel->fdw_private;
	BedrockPushdown pd = info->pd;
	List	   *fdw_exprs = NIL;
	ListCell   *cell;

	/* Pushdown only narrows the calls: every qual is still checked locally. */
	scan_clauses = extract_actual_clauses(scan_clauses, false);
	pd.conds = list_copy(pd.conds);

	/* a lookup path: Get by the ARN the outer row gives */
	if (best_path->fdw_private != NIL)
	{
		RestrictInfo *rinfo = linitial_node(RestrictInfo, best_path->fdw_private);
		int			arn_col = bedrock_resource_column(pd.resource, pd.resource->arn.column);

		pd.conds = lappend(pd.conds,
						   bedrock_make_cond(BEDROCK_COND_ARN, false,
											 bedrock_arn_outer_expr(root, rinfo, baserel,
																	info->column_map,
																	arn_col)));
	}

	/* a sorted path asks the API for its order */
	pd.sort_order = bedrock_sort_order(root, baserel, pd.resource, info->column_map,
									   best_path->path.pathkeys);

	/*
	 * A LIMIT n bounds what the scan must fetch when the scan is the whole
	 * query: without ORDER BY, any n rows do; with ORDER BY the sort column,
	 * each region and status sorted by the API needs only its first n, and
	 * PostgreSQL sorts the few rows that come back when there are several of
	 * them.  Whether the calls return exactly the matching rows is settled
	 * when the scan starts.
	 */
	if (best_path->fdw_private == NIL && pd.all_pushed)
	{
		int			query_order = bedrock_sort_order(root, baserel, pd.resource,
													 info->column_map,
													 root->query_pathkeys);
		int			nconds = list_length(pd.conds);

		if (root->query_pathkeys == NIL || query_order != 0)
		{
			bedrock_add_limit_conds(root, &pd);
			if (list_length(pd.conds) > nconds)
				pd.sort_order = query_order;
		}
	}

	foreach(cell, pd.conds)
		fdw_exprs = lappend(fdw_exprs, ((BedrockCond *) lfirst(cell))->expr);

	return make_foreignscan(tlist,
							scan_clauses,
							baserel->relid,
							fdw_exprs,	/* the conditions' values */
							bedrock_pushdown_to_list(&pd),
							NIL,	/* no custom tlist */
							NIL,	/* no remote quals */
							outer_plan);
}

/* ---------------------------------------------------------------------
 * Scanning
 * ---------------------------------------------------------------------
 */

static void
bedrockBeginForeignScan(ForeignScanState *node, int eflags)
{
	ForeignScan *fsplan = (ForeignScan *) node->ss.ps.plan;
	EState	   *estate = node->ss.ps.state;
	BedrockScanState *state = palloc0(sizeof(BedrockScanState));
	Relation	rel = node->ss.ss_currentRelation;
	TupleDesc	tupdesc = RelationGetDescr(rel);
	ForeignTable *table = GetForeignTable(RelationGetRelid(rel));
	int			i;

	node->fdw_state = state;
	state->rel = rel;
	bedrock_pushdown_from_list(fsplan->fdw_private, fsplan->fdw_exprs, &state->pd);
	state->server = GetForeignServer(table->serverid);
	bedrock_get_server_options(state->server, &state->options);
	state->column_map = map_columns(rel, state->pd.resource);

	state->in_functions = palloc(sizeof(FmgrInfo) * tupdesc->natts);
	state->typioparams = palloc(sizeof(Oid) * tupdesc->natts);
	state->direct = palloc0(sizeof(bool) * tupdesc->natts);
	for (i = 0; i < tupdesc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(tupdesc, i);
		Oid			infunc;
		int			col = state->column_map[i + 1];

		if (att->attisdropped)
			continue;
		getTypeInputInfo(att->atttypid, &infunc, &state->typioparams[i]);
		fmgr_info(infunc, &state->in_functions[i]);
		/* the column's own type, without a typmod to apply */
		state->direct[i] = col >= 0 && att->atttypmod < 0 &&
			bedrock_column_direct(&state->pd.resource->columns[col], att->atttypid);
	}

	state->row_cxt = AllocSetContextCreate(estate->es_query_cxt,
										   "bedrock_fdw row",
										   ALLOCSET_SMALL_SIZES);
	state->resolve_cxt = AllocSetContextCreate(estate->es_query_cxt,
											   "bedrock_fdw calls",
											   ALLOCSET_SMALL_SIZES);

	if (eflags & EXEC_FLAG_EXPLAIN_ONLY)
		return;

	/* the executor decides, as the plan and EvalPlanQual allow */
	state->async = node->ss.ps.async_capable;
	state->userid = bedrock_scan_user(fsplan, estate);
	state->client.options = &state->options;
	state->cond_states = ExecInitExprList(fsplan->fdw_exprs, (PlanState *) node);
	state->values = palloc0(sizeof(BedrockCondValue) *
							Max(list_length(state->cond_states), 1));
	/* the conditions are evaluated when the first row is asked for */
	state->resolve_pending = true;
}

/*
 * The user mapping that applies, the user's own or PUBLIC's.  Its absence
 * is reported here rather than by GetUserMapping(), whose wording changed
 * in PostgreSQL 17, and with a hint.
 */
static UserMapping *
user_mapping(Oid userid, ForeignServer *server)
{
	if (!SearchSysCacheExists2(USERMAPPINGUSERSERVER, ObjectIdGetDatum(userid),
							   ObjectIdGetDatum(server->serverid)) &&
		!SearchSysCacheExists2(USERMAPPINGUSERSERVER, ObjectIdGetDatum(InvalidOid),
							   ObjectIdGetDatum(server->serverid)))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("user mapping not found for user \"%s\", server \"%s\"",
						MappingUserName(userid), server->servername),
				 errhint("Create one with CREATE USER MAPPING FOR %s SERVER %s.",
						 quote_identifier(MappingUserName(userid)),
						 quote_identifier(server->servername))));
	return GetUserMapping(userid, server->serverid);
}

/*
 * The scan decides when its credentials are renewed: call.c asks before
 * each batch of calls, and when AWS refused them as expired.
 */
static void
renew_scan_credentials(BedrockClient *client, BedrockCredentials *creds,
					   bool expired)
{
	BedrockScanState *state = (BedrockScanState *) client->refresh_arg;
	ListCell   *cell;

	foreach(cell, state->accounts)
	{
		BedrockAccount *a = (BedrockAccount *) lfirst(cell);

		if (a->failure || (creds != NULL && creds != &a->credentials))
			continue;
		if (a->id == NULL)
			bedrock_renew_credentials(state->server, state->user, &state->options,
									  &a->credentials, expired);
		else
			bedrock_renew_account_credentials(state->server, state->user,
											  &state->options, a->id, a->role_arn,
											  &a->credentials, expired);
	}
}

/* Zero a scan's secrets when its query's memory is released. */
static void
wipe_credentials_callback(void *arg)
{
	wipe_scan_credentials((BedrockScanState *) arg);
}

/* Zero every account's credentials of a scan. */
static void
wipe_scan_credentials(BedrockScanState *state)
{
	ListCell   *cell;

	if (state->have_credentials)
	{
		foreach(cell, state->accounts)
			bedrock_wipe_credentials(&((BedrockAccount *) lfirst(cell))->credentials);
	}
	state->have_credentials = false;
}

/* Whether a list of strings holds s. */
static bool
string_in(List *strings, const char *s)
{
	ListCell   *cell;

	foreach(cell, strings)
	{
		if (s && strcmp((char *) lfirst(cell), s) == 0)
			return true;
	}
	return false;
}

/*
 * The accounts of a scan to call: those reached whose id the plan's
 * account_id values allow.  False when one of those was not reached yet.
 */
static bool
accounts_to_call(BedrockScanState *state, List **accounts)
{
	List	   *reached = NIL;
	ListCell   *cell;

	*accounts = NIL;
	foreach(cell, state->accounts)
	{
		BedrockAccount *a = (BedrockAccount *) lfirst(cell);

		reached = lappend(reached, a->id);
		if (!state->plan.accounts_constrained || string_in(state->plan.accounts, a->id))
			*accounts = lappend(*accounts, a);
	}
	foreach(cell, state->plan.accounts)
	{
		if (!string_in(reached, (char *) lfirst(cell)))
			return false;
	}
	return true;
}

/*
 * Start a scan, or a rescan: evaluate the conditions' values (Params of a
 * generic plan, stable expressions, the outer row's ARN of a lookup), settle
 * the calls, and point the fetch at them.  Credentials are fetched the first
 * time a scan makes a call.
 */
static void
start_scan(ForeignScanState *node, BedrockScanState *state)
{
	EState	   *estate = node->ss.ps.state;
	ExprContext *econtext = node->ss.ps.ps_ExprContext;
	MemoryContext oldcxt;
	ListCell   *cell;
	List	   *accounts;
	List	   *only = NIL;
	int			i = 0;

	foreach(cell, state->cond_states)
	{
		BedrockCondValue *v = &state->values[i++];

		v->known = true;
		v->value = ExecEvalExprSwitchContext((ExprState *) lfirst(cell), econtext,
											 &v->isnull);
	}
	MemoryContextReset(state->resolve_cxt);
	oldcxt = MemoryContextSwitchTo(state->resolve_cxt);
	bedrock_resolve_scan(&state->pd, &state->options, state->values,
						 &state->plan);
	MemoryContextSwitchTo(oldcxt);
	state->resolved = true;
	state->resolve_pending = false;
	if (bedrock_scan_plan_is_empty(&state->plan))
		return;

	/* what follows lives as long as the query, whatever context rows use */
	oldcxt = MemoryContextSwitchTo(estate->es_query_cxt);
	if (!state->have_credentials || !accounts_to_call(state, &accounts))
	{
		if (!state->registered_wipe)
		{
			MemoryContextCallback *wipe = palloc(sizeof(MemoryContextCallback));

			/* zero the secrets when the query's memory goes, on ERROR too */
			wipe->func = wipe_credentials_callback;
			wipe->arg = state;
			MemoryContextRegisterResetCallback(estate->es_query_cxt, wipe);
			state->registered_wipe = true;
			state->user = user_mapping(state->userid, state->server);
			state->client.refresh = renew_scan_credentials;
			state->client.refresh_arg = state;
			state->client.cxt = estate->es_query_cxt;
			state->client.retry_tokens = BEDROCK_RETRY_TOKENS;
			/* whose kept Get answers the scan may read: the mapping's */
			if (state->options.detail_cache)
				state->client.cache_identity =
					psprintf("%u/%u/%s", state->server->serverid, state->user->userid,
							 bedrock_endpoint_url(state->options.endpoint, "{region}"));
		}
		wipe_scan_credentials(state);
		state->accounts = NIL;
		/* the accounts the plan names (a rescan may name others), else all */
		foreach(cell, state->plan.accounts)
			only = lappend(only, makeString((char *) lfirst(cell)));
		state->have_credentials = true;
		state->accounts = bedrock_scan_accounts(state->server, state->user,
												&state->options,
												state->plan.accounts_constrained ? only : NIL);
		(void) accounts_to_call(state, &accounts);
	}
	if (state->fetch == NULL)
		state->fetch = bedrock_fetch_begin(&state->client, &state->plan, accounts,
										   state->options.page_size,
										   estate->es_query_cxt);
	else
		bedrock_fetch_rescan(state->fetch, accounts);
	MemoryContextSwitchTo(oldcxt);
}

/* Names the column and table when converting a value fails. */
static void
conversion_error_callback(void *arg)
{
	BedrockScanState *state = (BedrockScanState *) arg;
	TupleDesc	tupdesc = RelationGetDescr(state->rel);

	if (state->current_attno > 0 && state->current_attno <= tupdesc->natts)
		errcontext("column \"%s\" of foreign table \"%s\"",
				   NameStr(TupleDescAttr(tupdesc, state->current_attno - 1)->attname),
				   RelationGetRelationName(state->rel));
	else
		errcontext("foreign table \"%s\"", RelationGetRelationName(state->rel));
}

/* Convert a fetched resource into the slot: the attributes the query uses. */
static void
store_item(BedrockScanState *state, TupleTableSlot *slot,
		   const BedrockFetchedItem *fetched)
{
	const BedrockResource *res = state->pd.resource;
	TupleDesc	tupdesc = slot->tts_tupleDescriptor;
	BedrockJson *summary = fetched->summary;
	BedrockJson *got = fetched->got;
	BedrockJson *tags = fetched->tags;
	ErrorContextCallback errcb;
	MemoryContext oldcxt;
	ListCell   *cell;

	MemoryContextReset(state->row_cxt);
	oldcxt = MemoryContextSwitchTo(state->row_cxt);
	ExecClearTuple(slot);

	errcb.callback = conversion_error_callback;
	errcb.arg = state;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;

	if (summary && bedrock_json_type(summary) != BEDROCK_JSON_OBJECT)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("Bedrock returned a JSON %s as a %s summary, expected an object",
						bedrock_json_type_name(summary), res->noun)));

	memset(slot->tts_isnull, true, sizeof(bool) * tupdesc->natts);
	foreach(cell, state->plan.attnos)
	{
		int			i = lfirst_int(cell) - 1;
		int			col = state->column_map[i + 1];
		char	   *text = NULL;

		state->current_attno = i + 1;
		if (col >= 0)
		{
			BedrockSource source = res->columns[col].source;

			if (source == BEDROCK_SOURCE_LIST ||
				(source == BEDROCK_SOURCE_GET && got) ||
				(source == BEDROCK_SOURCE_TAGS && tags))
			{
				/*
				 * A column whose List and Get values differ reads Get's when
				 * the scan gets every row, as the SDKs' Describe does, else
				 * List's; either way whatever the path to the row.
				 */
				bool		get_wins = res->columns[col].list_differs &&
					state->plan.need_get && got;

				if (state->direct[i])
				{
					/* built as its own type: no text, no input function */
					slot->tts_values[i] = bedrock_column_datum(res, col, fetched->region,
															   get_wins ? NULL : summary,
															   got, tags, &slot->tts_isnull[i]);
					continue;
				}
				text = bedrock_column_value(res, col, fetched->region,
											get_wins ? NULL : summary, got, tags);
			}

			/* an ARN without an account (AWS's own): the account called */
			if (text == NULL && res->columns[col].shape == BEDROCK_SHAPE_ACCOUNT &&
				fetched->account)
				text = pstrdup(fetched->account);
		}
		if (text == NULL)
		{
			slot->tts_values[i] = (Datum) 0;
			slot->tts_isnull[i] = true;
		}
		else
		{
			Form_pg_attribute att = TupleDescAttr(tupdesc, i);

			slot->tts_values[i] = InputFunctionCall(&state->in_functions[i], text,
													state->typioparams[i],
													att->atttypmod);
			slot->tts_isnull[i] = false;
		}
	}
	state->current_attno = 0;
	error_context_stack = errcb.previous;
	MemoryContextSwitchTo(oldcxt);
	ExecStoreVirtualTuple(slot);
}

static TupleTableSlot *
bedrockIterateForeignScan(ForeignScanState *node)
{
	BedrockScanState *state = (BedrockScanState *) node->fdw_state;
	TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;
	BedrockFetchedItem item;

	if (state->resolve_pending)
		start_scan(node, state);
	if (bedrock_scan_plan_is_empty(&state->plan))
		return ExecClearTuple(slot);

	/*
	 * Asynchronous, a row not ready yet is an empty slot too: would_block
	 * tells it from the end (produce_tuple_asynchronously).
	 */
	if (state->async
		? !bedrock_fetch_next_nowait(state->fetch, &item, &state->would_block)
		: !bedrock_fetch_next(state->fetch, &item))
		return ExecClearTuple(slot);
	store_item(state, slot, &item);
	return slot;
}

static void
bedrockReScanForeignScan(ForeignScanState *node)
{
	BedrockScanState *state = (BedrockScanState *) node->fdw_state;

	/* the conditions' values may have changed: settle the calls again */
	state->resolve_pending = true;
	state->would_block = false;
}

static void
bedrockEndForeignScan(ForeignScanState *node)
{
	BedrockScanState *state = (BedrockScanState *) node->fdw_state;

	if (state == NULL)
		return;
	wipe_scan_credentials(state);
	if (state->waitfd)
		bedrock_waitfd_disarm(state->waitfd);
	if (state->fetch)
		bedrock_fetch_end(state->fetch);
	MemoryContextDelete(state->row_cxt);
	MemoryContextDelete(state->resolve_cxt);
}

/* ---------------------------------------------------------------------
 * Asynchronous execution
 *
 * Under an Append, the executor asks each async-capable scan for a row
 * (ForeignAsyncRequest); one that has none ready yet says so and gives the
 * Append one file descriptor to wait on (ForeignAsyncConfigureWait), and is
 * called back when it is readable (ForeignAsyncNotify).  Every scan's calls
 * are in flight meanwhile, on the backend's one curl multi handle, so the
 * servers of a partitioned table or a UNION ALL are called at once.  The
 * executor runs no scan asynchronously under EvalPlanQual.
 * ---------------------------------------------------------------------
 */

/* The server's or table's option async_capable, where epoll exists. */
static bool
bedrockIsForeignPathAsyncCapable(ForeignPath *path)
{
	BedrockRelInfo *info = (BedrockRelInfo *) path->path.parent->fdw_private;

	return info->async_capable;
}

/*
 * Answer a request with the scan's next row if one is ready without
 * waiting (through the node's own ExecProcNode, so with its quals and
 * projection), with the end of the scan, or as pending: the Append waits
 * then, and ForeignAsyncNotify answers it.
 */
static void
produce_tuple_asynchronously(AsyncRequest *areq)
{
	ForeignScanState *node = (ForeignScanState *) areq->requestee;
	BedrockScanState *state = (BedrockScanState *) node->fdw_state;
	TupleTableSlot *result;

	state->would_block = false;
	result = areq->requestee->ExecProcNodeReal(areq->requestee);
	if (!TupIsNull(result))
		ExecAsyncRequestDone(areq, result);
	else if (state->would_block)
		ExecAsyncRequestPending(areq);
	else
		ExecAsyncRequestDone(areq, NULL);
}

static void
bedrockForeignAsyncRequest(AsyncRequest *areq)
{
	produce_tuple_asynchronously(areq);
}

/*
 * Give the Append one descriptor that becomes readable when the scan can go
 * on: a socket of curl's ready, curl's timer or a backoff due, or answers
 * already collected for it while another scan drove the transfers (see
 * waitfd.c).  The Append's set has room for one event per request.
 */
static void
bedrockForeignAsyncConfigureWait(AsyncRequest *areq)
{
	ForeignScanState *node = (ForeignScanState *) areq->requestee;
	BedrockScanState *state = (BedrockScanState *) node->fdw_state;
	AppendState *requestor = (AppendState *) areq->requestor;
	BedrockWaitSpec spec;
	MemoryContext oldcxt;
	int			fd;

	Assert(areq->callback_pending);
	Assert(state->fetch != NULL);
	if (state->waitfd == NULL)
	{
		EState	   *estate = node->ss.ps.state;

		state->waitfd = bedrock_waitfd_create(estate->es_query_cxt);
		state->wait_cxt = AllocSetContextCreate(estate->es_query_cxt,
												"bedrock_fdw wait",
												ALLOCSET_SMALL_SIZES);
	}

	/* what to wait for is found again for each wait */
	MemoryContextReset(state->wait_cxt);
	oldcxt = MemoryContextSwitchTo(state->wait_cxt);
	memset(&spec, 0, sizeof(spec));
	spec.timeout_ms = -1;
	bedrock_fetch_wait_spec(state->fetch, &spec);
	fd = bedrock_waitfd_arm(state->waitfd, &spec);
	MemoryContextSwitchTo(oldcxt);

	AddWaitEventToSet(requestor->as_eventset, WL_SOCKET_READABLE, fd, NULL,
					  areq);
}

/*
 * The descriptor is readable: drive the transfers without waiting, and
 * answer with a row if that made one ready, else wait again.
 */
static void
bedrockForeignAsyncNotify(AsyncRequest *areq)
{
	ForeignScanState *node = (ForeignScanState *) areq->requestee;
	BedrockScanState *state = (BedrockScanState *) node->fdw_state;

	/*
	 * Where the Append's wait has no latch (older minor releases), a cancel
	 * is noticed here, after our timer woke it.
	 */
	CHECK_FOR_INTERRUPTS();
	bedrock_waitfd_disarm(state->waitfd);
	produce_tuple_asynchronously(areq);
}

/* ---------------------------------------------------------------------
 * EXPLAIN
 * ---------------------------------------------------------------------
 */

/*
 * A parameter's value for EXPLAIN: the known one, else the expression of a
 * value not known yet (plain EXPLAIN of a Param or stable expression), else
 * NULL when the parameter is not sent.
 */
static const char *
shown_value(const BedrockScanPlan *plan, BedrockCondKind kind, const char *known)
{
	return known ? known : plan->unknown[kind];
}

/*
 * The calls a plan makes: one List per status filter value with the other
 * filters, or Gets of the resources named.
 */
static char *
describe_calls(const BedrockScanPlan *plan)
{
	const BedrockResource *res = plan->resource;
	StringInfoData buf;
	StringInfoData filters;
	ListCell   *cell;
	const char *value;
	int			i;

	initStringInfo(&buf);
	if (plan->direct)
	{
		foreach(cell, plan->ids)
			appendStringInfo(&buf, "%s%s(%s=%s)", buf.len ? ", " : "",
							 res->get_op, res->get_param, (char *) lfirst(cell));
		if (plan->ids == NIL)
			appendStringInfo(&buf, "%s(%s=%s)", res->get_op, res->get_param,
							 plan->unknown[BEDROCK_COND_ARN]
							 ? plan->unknown[BEDROCK_COND_ARN]
							 : plan->unknown[BEDROCK_COND_NAME]);
		return buf.data;
	}

	initStringInfo(&filters);
	for (i = 0; i < BEDROCK_MAX_EQUALS && res->equals[i].param; i++)
	{
		if ((value = shown_value(plan, BEDROCK_COND_EQUALS + i, plan->equals[i])))
			appendStringInfo(&filters, ", %s=%s", res->equals[i].param, value);
	}
	if ((value = shown_value(plan, BEDROCK_COND_CREATED_AFTER, plan->created_after)))
		appendStringInfo(&filters, ", %s=%s", res->time_after, value);
	if ((value = shown_value(plan, BEDROCK_COND_CREATED_BEFORE, plan->created_before)))
		appendStringInfo(&filters, ", %s=%s", res->time_before, value);
	if (plan->name_contains)
		appendStringInfo(&filters, ", %s=%s", res->contains_param, plan->name_contains);
	else if (plan->unknown[BEDROCK_COND_NAME_EQ])
		appendStringInfo(&filters, ", %s=%s", res->contains_param,
						 plan->unknown[BEDROCK_COND_NAME_EQ]);
	else if (plan->unknown[BEDROCK_COND_NAME_LIKE])
		appendStringInfo(&filters, ", %s=literal part of %s", res->contains_param,
						 plan->unknown[BEDROCK_COND_NAME_LIKE]);
	if (plan->sort_order != 0)
		appendStringInfo(&filters, ", sortBy=%s, sortOrder=%s", res->sort_by,
						 plan->sort_order > 0 ? "Ascending" : "Descending");

	if (!plan->status_filtered && plan->unknown[BEDROCK_COND_STATUS] &&
		plan->not_sent == NIL)
		appendStringInfo(&buf, "%s(%s=%s%s)", res->list_op, res->status.param,
						 plan->unknown[BEDROCK_COND_STATUS], filters.data);
	else if (!plan->status_filtered)
	{
		if (filters.len == 0)
			return pstrdup(res->list_op);
		return psprintf("%s(%s)", res->list_op, filters.data + 2);
	}
	foreach(cell, plan->statuses)
		appendStringInfo(&buf, "%s%s(%s=%s%s)", buf.len ? ", " : "", res->list_op,
						 res->status.param, (char *) lfirst(cell), filters.data);
	return buf.data;
}

/* A copy of a list of strings, sorted. */
static List *
sorted_strings(List *strings)
{
	List	   *copy = list_copy(strings);

	list_sort(copy, compare_strings);
	return copy;
}

static int
compare_strings(const ListCell *a, const ListCell *b)
{
	return strcmp((const char *) lfirst(a), (const char *) lfirst(b));
}

/*
 * The accounts and regions a scan reaches: as the options and conditions
 * say before it starts (regions 'all' and accounts 'organization' are found
 * then), what it reached after (EXPLAIN ANALYZE), and what was unavailable.
 */
static void
explain_reach(BedrockScanState *state, const BedrockScanPlan *plan,
			  ExplainState *es)
{
	const BedrockServerOptions *opts = &state->options;
	bool		started = es->analyze && state->have_credentials;
	List	   *unavailable = NIL;
	StringInfoData buf;
	ListCell   *cell;

	initStringInfo(&buf);
	if (opts->accounts || opts->organization)
	{
		if (started)
		{
			foreach(cell, state->accounts)
			{
				BedrockAccount *a = (BedrockAccount *) lfirst(cell);

				if (plan->accounts_constrained && !string_in(plan->accounts, a->id))
					continue;
				if (a->failure)
					unavailable = lappend(unavailable,
										  psprintf("account %s: %s", a->id, a->failure));
				else
					appendStringInfo(&buf, "%s%s", buf.len ? ", " : "", a->id);
			}
		}
		else if (plan->accounts_constrained)
		{
			foreach(cell, plan->accounts)
				appendStringInfo(&buf, "%s%s", buf.len ? ", " : "", (char *) lfirst(cell));
		}
		else if (opts->organization)
			appendStringInfoString(&buf, "the organization's active accounts (Organizations ListAccounts when the scan starts)");
		else
		{
			foreach(cell, opts->accounts)
				appendStringInfo(&buf, "%s%s", buf.len ? ", " : "", (char *) lfirst(cell));
		}
		if (plan->unknown[BEDROCK_COND_ACCOUNT])
			appendStringInfo(&buf, " (those equal to %s)", plan->unknown[BEDROCK_COND_ACCOUNT]);
		ExplainPropertyText("Bedrock Accounts", buf.len ? buf.data : "none", es);
		resetStringInfo(&buf);
	}

	if (started && opts->all_regions)
	{
		/* the plan's regions that some account reached has enabled */
		foreach(cell, plan->regions)
		{
			ListCell   *ac;
			bool		found = false;

			foreach(ac, state->accounts)
			{
				BedrockAccount *a = (BedrockAccount *) lfirst(ac);

				found |= a->failure == NULL && string_in(a->regions, (char *) lfirst(cell));
			}
			if (found)
				appendStringInfo(&buf, "%s%s", buf.len ? ", " : "", (char *) lfirst(cell));
		}
	}
	else if (opts->all_regions && !plan->unknown[BEDROCK_COND_REGION] &&
			 list_length(plan->regions) == list_length(bedrock_candidate_regions(opts)))
		appendStringInfoString(&buf, "all enabled where Bedrock runs (Account ListRegions when the scan starts)");
	else
	{
		foreach(cell, plan->regions)
			appendStringInfo(&buf, "%s%s", buf.len ? ", " : "", (char *) lfirst(cell));
	}
	if (plan->unknown[BEDROCK_COND_REGION])
		appendStringInfo(&buf, " (those equal to %s)", plan->unknown[BEDROCK_COND_REGION]);
	ExplainPropertyText("Bedrock Regions", buf.len ? buf.data : "none", es);

	/* failed in whatever order they settled: shown sorted */
	if (es->analyze)
		unavailable = list_concat(unavailable,
								  sorted_strings(state->client.unavailable));
	if (unavailable != NIL)
		ExplainPropertyList("Bedrock Unavailable", unavailable, es);
}

static void
bedrockExplainForeignScan(ForeignScanState *node, ExplainState *es)
{
	BedrockScanState *state = (BedrockScanState *) node->fdw_state;
	BedrockScanPlan shown;
	const BedrockScanPlan *plan = &state->plan;
	StringInfoData buf;
	ListCell   *cell;

	/*
	 * Plain EXPLAIN, or a scan that never started: the calls as far as
	 * constants settle them, with the expressions of the other values.
	 */
	if (!state->resolved)
	{
		bedrock_resolve_scan(&state->pd, &state->options,
							 constant_values(&state->pd, es), &shown);
		plan = &shown;
	}

	if (bedrock_scan_plan_is_empty(plan))
	{
		ExplainPropertyText("Bedrock Calls",
							psprintf("none (%s)", plan->empty_reason), es);
		return;
	}

	ExplainPropertyText("Bedrock Calls", describe_calls(plan), es);

	explain_reach(state, plan, es);

	if (plan->not_sent != NIL)
		ExplainPropertyList("Bedrock Not Sent", plan->not_sent, es);

	initStringInfo(&buf);
	if (plan->need_get && !plan->direct)
		appendStringInfoString(&buf, plan->resource->get_op);
	if (plan->need_summary)
		appendStringInfo(&buf, "%s(%s=%s, %s +/- 1 s)", plan->resource->list_op,
						 plan->resource->contains_param,
						 plan->resource->contains_column,
						 plan->resource->time_column);
	if (plan->need_tags && state->options.tags_from_tagging_api && !plan->direct)
		appendStringInfo(&buf, "%sTagging GetResources (%d ARNs a call)",
						 buf.len ? ", " : "", BEDROCK_TAGGING_MAX_ARNS);
	else if (plan->need_tags)
		appendStringInfo(&buf, "%sListTagsForResource", buf.len ? ", " : "");
	ExplainPropertyText("Bedrock Per-Row Calls", buf.len ? buf.data : "none", es);
	if (es->analyze && state->fetch && plan->need_get && !plan->direct &&
		plan->resource->modified_member && state->client.cache_identity)
	{
		long		hits,
					misses;

		bedrock_fetch_detail_counts(state->fetch, &hits, &misses);
		ExplainPropertyText("Bedrock Detail Cache",
							psprintf("%ld hits, %ld misses", hits, misses), es);
	}
	/* time the scan's calls left nothing in flight: backoffs, rate limits */
	if (es->analyze && es->timing && state->fetch)
		ExplainPropertyFloat("Bedrock Idle Wait", "ms",
							 bedrock_fetch_idle_ms(state->fetch), 1, es);
	if (plan->limit > 0)
		ExplainPropertyInteger("Bedrock Row Limit", NULL, plan->limit, es);
	else if (plan->limit_shown)
		ExplainPropertyText("Bedrock Row Limit", plan->limit_shown, es);
	/* which credentials the scan used: never a secret, only where from */
	if (es->analyze && state->have_credentials)
	{
		foreach(cell, state->accounts)
		{
			BedrockAccount *a = (BedrockAccount *) lfirst(cell);

			if (a->failure == NULL)
			{
				ExplainPropertyText("Bedrock Credentials",
									a->id ? psprintf("role \"%s\" in each account (%s)",
													 state->options.role_name,
													 a->credentials.source)
									: a->credentials.source, es);
				break;
			}
		}
	}

	if (es->verbose)
	{
		ExplainPropertyInteger("Bedrock Page Size", NULL,
							   state->options.page_size, es);
		ExplainPropertyText("Bedrock Endpoint",
							bedrock_endpoint_url(state->options.endpoint,
												 "{region}"), es);
		if (state->options.cache_ttl > 0)
			ExplainPropertyInteger("Bedrock Cache TTL", "s",
								   state->options.cache_ttl, es);
	}
}

/* ---------------------------------------------------------------------
 * IMPORT FOREIGN SCHEMA
 * ---------------------------------------------------------------------
 */

/*
 * The remote schema "bedrock" holds a table per resource of the catalog,
 * with every column, named as its descriptor says.  PostgreSQL applies
 * LIMIT TO and EXCEPT to what is returned.
 */
static List *
bedrockImportForeignSchema(ImportForeignSchemaStmt *stmt, Oid serverOid)
{
	ForeignServer *server = GetForeignServer(serverOid);
	List	   *commands = NIL;
	int			r;

	if (strcmp(stmt->remote_schema, "bedrock") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_SCHEMA_NOT_FOUND),
				 errmsg("schema \"%s\" is not present on foreign server \"%s\"",
						stmt->remote_schema, server->servername),
				 errhint("bedrock_fdw offers one remote schema, \"bedrock\".")));

	for (r = 0; r < bedrock_nresources; r++)
	{
		const BedrockResource *res = bedrock_resources[r];
		StringInfoData buf;
		int			i;

		initStringInfo(&buf);
		appendStringInfo(&buf, "CREATE FOREIGN TABLE %s.%s (\n",
						 quote_identifier(stmt->local_schema),
						 quote_identifier(res->table));
		for (i = 0; i < res->ncolumns; i++)
			appendStringInfo(&buf, "  %s %s%s\n",
							 quote_identifier(res->columns[i].name),
							 bedrock_column_sql_type(res->columns[i].kind),
							 i < res->ncolumns - 1 ? "," : "");
		appendStringInfo(&buf, ") SERVER %s OPTIONS (resource %s)",
						 quote_identifier(server->servername),
						 quote_literal_cstr(res->name));
		commands = lappend(commands, buf.data);
	}
	return commands;
}
