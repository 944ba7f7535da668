/*-------------------------------------------------------------------------
 * bedrock_fdw.c
 *	  Foreign-data wrapper for AWS Bedrock model customization jobs: the
 *	  handler and every FdwRoutine callback.
 *
 * The planner decides which Bedrock calls a scan makes (pushdown.c); the
 * executor pages through ListModelCustomizationJobs per region and status,
 * fetches Get and Tags per job only when a used column needs them
 * (api.c), and converts each job to a tuple (convert.c).
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/pg_type.h"
#include "commands/explain.h"
#include "foreign/fdwapi.h"
#include "foreign/foreign.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "optimizer/cost.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/planmain.h"
#include "optimizer/restrictinfo.h"
#include "parser/parsetree.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "bedrock_fdw.h"

PG_MODULE_MAGIC;

/* Planner estimates: jobs per region per List, and per-call costs. */
#define EST_JOBS_PER_REGION		100
#define EST_JOBS_PER_STATUS		20
#define COST_PER_CALL			100.0
#define COST_PER_JOB_CALL		25.0

/* Planning state kept in baserel->fdw_private. */
typedef struct BedrockRelInfo
{
	BedrockScanPlan plan;
	int		   *column_map;		/* attno -> catalog column, -1 if dropped */
} BedrockRelInfo;

/* Execution state of one foreign scan. */
typedef struct BedrockScanState
{
	Relation	rel;
	BedrockScanPlan plan;
	BedrockServerOptions options;
	BedrockCredentials credentials;
	BedrockClient client;
	bool		have_credentials;

	/* per attribute: catalog column and the input function of its type */
	int		   *column_map;
	FmgrInfo   *in_functions;
	Oid		   *typioparams;

	MemoryContext batch_cxt;	/* one List page and its per-job answers */
	MemoryContext row_cxt;		/* one tuple's conversion */

	/* where the scan is: targets are regions x statuses */
	ListCell   *region_cell;
	ListCell   *status_cell;
	bool		target_started;
	char	   *next_token;		/* scan-lifetime copy; NULL = no more pages */
	bool		done;

	/* the current page */
	const char *page_region;
	BedrockJson **page_summaries;	/* List entries (NULL for direct Gets) */
	int			page_count;
	int			page_pos;
	BedrockJson **page_gets;
	BedrockJson **page_tags;

	/* for the conversion error context */
	int			current_attno;
} BedrockScanState;

/* FDW callbacks */
PG_FUNCTION_INFO_V1(bedrock_fdw_handler);

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

/* helpers */
static int *map_columns(Relation rel);
static bool advance_target(BedrockScanState *state);
static bool fetch_page(BedrockScanState *state);
static bool fetch_list_page(BedrockScanState *state, const char *region);
static bool fetch_direct_page(BedrockScanState *state, const char *region);
static void skip_region(BedrockScanState *state);
static void store_job(BedrockScanState *state, TupleTableSlot *slot);
static void conversion_error_callback(void *arg);
static char *describe_calls(const BedrockScanPlan *plan);

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

	PG_RETURN_POINTER(routine);
}

/*
 * Map each attribute of a foreign table to a catalog column by name, and
 * check its declared type.  Unknown names and unsuitable types are errors.
 */
static int *
map_columns(Relation rel)
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
		col = bedrock_column_lookup(NameStr(att->attname));
		if (col < 0)
		{
			StringInfoData valid;
			int			c;

			initStringInfo(&valid);
			for (c = 0; c < BCOL_NCOLUMNS; c++)
				appendStringInfo(&valid, "%s%s", c ? ", " : "",
								 bedrock_columns[c].name);
			ereport(ERROR,
					(errcode(ERRCODE_FDW_COLUMN_NAME_NOT_FOUND),
					 errmsg("column \"%s\" of foreign table \"%s\" is not a Bedrock job column",
							NameStr(att->attname), RelationGetRelationName(rel)),
					 errhint("Valid columns are: %s.", valid.data)));
		}
		if (!bedrock_column_type_ok(bedrock_columns[col].kind, att->atttypid))
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
					 errmsg("column \"%s\" of foreign table \"%s\" has type %s, which cannot hold Bedrock's %s",
							NameStr(att->attname), RelationGetRelationName(rel),
							format_type_be(att->atttypid),
							bedrock_column_sql_type(bedrock_columns[col].kind)),
					 errhint("Declare the column as %s.",
							 bedrock_column_sql_type(bedrock_columns[col].kind))));
		map[i + 1] = col;
	}
	return map;
}

/* ---------------------------------------------------------------------
 * Planning
 * ---------------------------------------------------------------------
 */

static void
bedrockGetForeignRelSize(PlannerInfo *root, RelOptInfo *baserel,
						 Oid foreigntableid)
{
	BedrockRelInfo *info = palloc0(sizeof(BedrockRelInfo));
	ForeignTable *table = GetForeignTable(foreigntableid);
	ForeignServer *server = GetForeignServer(table->serverid);
	BedrockServerOptions options;
	Relation	rel;
	double		rows;

	bedrock_get_server_options(server, &options);

	rel = table_open(foreigntableid, NoLock);
	info->column_map = map_columns(rel);
	bedrock_plan_scan(root, baserel, rel, options.regions, info->column_map,
					  &info->plan);
	table_close(rel, NoLock);
	baserel->fdw_private = info;

	if (bedrock_scan_plan_is_empty(&info->plan))
		rows = 0;
	else if (info->plan.status_filtered)
		rows = list_length(info->plan.regions) *
			list_length(info->plan.statuses) * EST_JOBS_PER_STATUS;
	else
		rows = list_length(info->plan.regions) * EST_JOBS_PER_REGION;
	baserel->tuples = rows;
	baserel->rows = clamp_row_est(rows *
								  clauselist_selectivity(root,
														 baserel->baserestrictinfo,
														 0, JOIN_INNER, NULL));
}

static void
bedrockGetForeignPaths(PlannerInfo *root, RelOptInfo *baserel,
					   Oid foreigntableid)
{
	BedrockRelInfo *info = (BedrockRelInfo *) baserel->fdw_private;
	const BedrockScanPlan *plan = &info->plan;
	double		calls = 0;
	double		job_calls = 0;
	Cost		startup_cost;
	Cost		total_cost;

	if (!bedrock_scan_plan_is_empty(plan))
	{
		calls = list_length(plan->regions) *
			(plan->status_filtered ? list_length(plan->statuses) : 1);
		job_calls = baserel->tuples * ((plan->need_get ? 1 : 0) +
									   (plan->need_tags ? 1 : 0));
	}
	startup_cost = COST_PER_CALL;
	total_cost = startup_cost + calls * COST_PER_CALL +
		job_calls * COST_PER_JOB_CALL + baserel->tuples * cpu_tuple_cost;

	add_path(baserel, (Path *)
			 create_foreignscan_path(root, baserel,
									 NULL,	/* default pathtarget */
									 baserel->rows,
#if PG_VERSION_NUM >= 180000
									 0,	/* disabled_nodes */
#endif
									 startup_cost,
									 total_cost,
									 NIL,	/* no pathkeys */
									 baserel->lateral_relids,
									 NULL,	/* no extra plan */
#if PG_VERSION_NUM >= 170000
									 NIL,	/* no fdw_restrictinfo */
#endif
									 NIL));
}

static ForeignScan *
bedrockGetForeignPlan(PlannerInfo *root, RelOptInfo *baserel,
					  Oid foreigntableid, ForeignPath *best_path,
					  List *tlist, List *scan_clauses, Plan *outer_plan)
{
	BedrockRelInfo *info = (BedrockRelInfo *) baserel->fdw_private;

	/* Pushdown only narrows the calls: every qual is still checked locally. */
	scan_clauses = extract_actual_clauses(scan_clauses, false);

	return make_foreignscan(tlist,
							scan_clauses,
							baserel->relid,
							NIL,	/* no expressions to evaluate */
							bedrock_scan_plan_to_list(&info->plan),
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
	ForeignServer *server = GetForeignServer(table->serverid);
	Oid			userid;
	int			i;

	node->fdw_state = state;
	state->rel = rel;
	bedrock_scan_plan_from_list(fsplan->fdw_private, &state->plan);
	bedrock_get_server_options(server, &state->options);
	state->column_map = map_columns(rel);

	state->in_functions = palloc(sizeof(FmgrInfo) * tupdesc->natts);
	state->typioparams = palloc(sizeof(Oid) * tupdesc->natts);
	for (i = 0; i < tupdesc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(tupdesc, i);
		Oid			infunc;

		if (att->attisdropped)
			continue;
		getTypeInputInfo(att->atttypid, &infunc, &state->typioparams[i]);
		fmgr_info(infunc, &state->in_functions[i]);
	}

	state->batch_cxt = AllocSetContextCreate(estate->es_query_cxt,
											 "bedrock_fdw page",
											 ALLOCSET_DEFAULT_SIZES);
	state->row_cxt = AllocSetContextCreate(estate->es_query_cxt,
										   "bedrock_fdw row",
										   ALLOCSET_SMALL_SIZES);

	if (eflags & EXEC_FLAG_EXPLAIN_ONLY)
		return;

	/* the user whose mapping applies: the view owner for a view */
#if PG_VERSION_NUM >= 160000
	userid = OidIsValid(fsplan->checkAsUser) ? fsplan->checkAsUser : GetUserId();
#else
	{
		RangeTblEntry *rte = exec_rt_fetch(fsplan->scan.scanrelid, estate);

		userid = OidIsValid(rte->checkAsUser) ? rte->checkAsUser : GetUserId();
	}
#endif
	if (!bedrock_scan_plan_is_empty(&state->plan))
	{
		bedrock_get_credentials(GetUserMapping(userid, server->serverid),
								&state->credentials);
		state->have_credentials = true;
	}
	state->client.options = &state->options;
	state->client.credentials = &state->credentials;
	state->client.retry_tokens = BEDROCK_RETRY_TOKENS;
	state->region_cell = list_head(state->plan.regions);
	state->status_cell = list_head(state->plan.statuses);
	state->done = bedrock_scan_plan_is_empty(&state->plan);
}

/*
 * Move to the next (region, status) target, if the current one is started.
 * Returns false when none is left.
 */
static bool
advance_target(BedrockScanState *state)
{
	if (!state->target_started)
		return state->region_cell != NULL;

	state->target_started = false;
	if (state->plan.status_filtered && !state->plan.direct)
	{
		state->status_cell = lnext(state->plan.statuses, state->status_cell);
		if (state->status_cell != NULL)
			return true;
		state->status_cell = list_head(state->plan.statuses);
	}
	state->region_cell = lnext(state->plan.regions, state->region_cell);
	return state->region_cell != NULL;
}

/*
 * Give up on the current region: no more pages, and no more status values,
 * so that the next fetch moves on to the next region.
 */
static void
skip_region(BedrockScanState *state)
{
	if (state->next_token)
		pfree(state->next_token);
	state->next_token = NULL;
	if (state->plan.status_filtered && !state->plan.direct)
		state->status_cell = list_last_cell(state->plan.statuses);
}

/*
 * One List page of the current target into the page arrays.  Returns false
 * when the region is unavailable and skipped.
 */
static bool
fetch_list_page(BedrockScanState *state, const char *region)
{
	BedrockListParams params;
	BedrockJson *doc;
	BedrockJson *jobs;
	BedrockJson *token;
	const char *token_str = NULL;
	size_t		token_len = 0;
	int			i;

	memset(&params, 0, sizeof(params));
	params.status = state->plan.status_filtered
		? (const char *) lfirst(state->status_cell) : NULL;
	params.created_after = state->plan.created_after;
	params.created_before = state->plan.created_before;
	params.name_contains = state->plan.name_contains;
	params.next_token = state->next_token;
	params.max_results = state->options.page_size;

	doc = bedrock_api_list_jobs(&state->client, region, &params);
	if (doc == NULL)
		return false;

	jobs = bedrock_json_member(doc, "modelCustomizationJobSummaries");
	state->page_count = jobs ? bedrock_json_array_length(jobs) : 0;
	state->page_summaries = palloc0(sizeof(BedrockJson *) * (state->page_count + 1));
	for (i = 0; i < state->page_count; i++)
		state->page_summaries[i] = bedrock_json_array_element(jobs, i);

	token = bedrock_json_member(doc, "nextToken");
	if (token)
		token_str = bedrock_json_string(token, &token_len);
	if (token_str && state->next_token &&
		strlen(state->next_token) == token_len &&
		memcmp(state->next_token, token_str, token_len) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("Bedrock ListModelCustomizationJobs in region %s returned the same nextToken twice",
						region),
				 errdetail("Paging would not end.")));

	/* the token lives across page resets */
	if (state->next_token)
		pfree(state->next_token);
	state->next_token = (token_str && token_len > 0)
		? MemoryContextStrdup(GetMemoryChunkContext(state),
							  pnstrdup(token_str, token_len))
		: NULL;
	return true;
}

/*
 * The jobs the plan names (job_arn = / job_name =) that exist in a region,
 * by GetModelCustomizationJob, into the page arrays.  Returns false when the
 * region is unavailable and skipped.
 */
static bool
fetch_direct_page(BedrockScanState *state, const char *region)
{
	List	   *ids = NIL;
	const char **idv;
	BedrockJson **jobs;
	ListCell   *cell;
	int			n = 0;
	int			i;

	foreach(cell, state->plan.job_ids)
	{
		char	   *id = (char *) lfirst(cell);

		/* an ARN goes to its own region only; a name to every region */
		if (strncmp(id, "arn:", 4) == 0 &&
			strstr(id, psprintf(":bedrock:%s:", region)) == NULL)
			continue;
		ids = lappend(ids, id);
	}
	state->page_count = 0;
	if (ids == NIL)
		return true;

	idv = palloc(sizeof(char *) * list_length(ids));
	foreach(cell, ids)
		idv[n++] = (const char *) lfirst(cell);
	jobs = palloc0(sizeof(BedrockJson *) * n);
	if (!bedrock_api_get_jobs(&state->client, region, idv, n, jobs))
		return false;

	/* the jobs that exist */
	state->page_summaries = palloc0(sizeof(BedrockJson *) * (n + 1));
	state->page_gets = palloc0(sizeof(BedrockJson *) * (n + 1));
	for (i = 0; i < n; i++)
	{
		if (jobs[i])
			state->page_gets[state->page_count++] = jobs[i];
	}
	return true;
}

/*
 * Fetch the next page: a List page of the current target (or, for direct
 * lookups, the named jobs of the next region), with its jobs' Get and Tags
 * answers when the query needs them.  Returns false when the scan is
 * complete.
 */
static bool
fetch_page(BedrockScanState *state)
{
	const char *region;
	MemoryContext oldcxt;
	bool		available;

	/* the current target has no more pages: go to the next one */
	if (state->target_started && state->next_token == NULL)
	{
		if (!advance_target(state))
			return false;
	}
	else if (!state->target_started && state->region_cell == NULL)
		return false;

	region = (const char *) lfirst(state->region_cell);
	MemoryContextReset(state->batch_cxt);
	state->page_summaries = state->page_gets = state->page_tags = NULL;
	state->page_count = state->page_pos = 0;
	state->page_region = region;
	oldcxt = MemoryContextSwitchTo(state->batch_cxt);

	state->target_started = true;
	if (state->plan.direct)
		available = fetch_direct_page(state, region);
	else
		available = fetch_list_page(state, region);

	/* per-job calls: Get unless the page came from Get, Tags if needed */
	if (available && state->page_count > 0 &&
		((state->plan.need_get && state->page_gets == NULL) || state->plan.need_tags))
	{
		const char **arns = palloc(sizeof(char *) * state->page_count);
		BedrockJson **gets = NULL;
		int			i;

		for (i = 0; i < state->page_count; i++)
		{
			arns[i] = bedrock_column_value(BCOL_JOB_ARN, region,
										   state->page_summaries[i],
										   state->page_gets ? state->page_gets[i] : NULL,
										   NULL);
			if (arns[i] == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_FDW_ERROR),
						 errmsg("Bedrock in region %s returned a job without jobArn",
								region)));
		}
		if (state->plan.need_get && state->page_gets == NULL)
			gets = state->page_gets = palloc0(sizeof(BedrockJson *) * state->page_count);
		if (state->plan.need_tags)
			state->page_tags = palloc0(sizeof(BedrockJson *) * state->page_count);
		available = bedrock_api_describe_jobs(&state->client, region,
											  (const char *const *) arns,
											  state->page_count,
											  gets, state->page_tags);
	}
	if (!available)
	{
		/* region unavailable, and the server says to skip it (WARNING given) */
		state->page_count = 0;
		skip_region(state);
	}
	MemoryContextSwitchTo(oldcxt);
	return true;
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

/* Convert the job at page_pos into the slot: the attributes the query uses. */
static void
store_job(BedrockScanState *state, TupleTableSlot *slot)
{
	TupleDesc	tupdesc = slot->tts_tupleDescriptor;
	int			pos = state->page_pos;
	BedrockJson *summary = state->page_summaries[pos];
	BedrockJson *job = state->page_gets ? state->page_gets[pos] : NULL;
	BedrockJson *tags = state->page_tags ? state->page_tags[pos] : NULL;
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
				 errmsg("Bedrock returned a JSON %s as a job summary, expected an object",
						bedrock_json_type_name(summary))));

	memset(slot->tts_isnull, true, sizeof(bool) * tupdesc->natts);
	foreach(cell, state->plan.attnos)
	{
		int			i = lfirst_int(cell) - 1;
		int			col = state->column_map[i + 1];
		char	   *text = NULL;

		state->current_attno = i + 1;
		if (col >= 0)
		{
			BedrockSource source = bedrock_columns[col].source;

			if (source == BEDROCK_SOURCE_LIST ||
				(source == BEDROCK_SOURCE_GET && job) ||
				(source == BEDROCK_SOURCE_TAGS && tags))
				text = bedrock_column_value(col, state->page_region,
											summary, job, tags);
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

	for (;;)
	{
		if (state->page_pos < state->page_count)
		{
			store_job(state, slot);
			state->page_pos++;
			return slot;
		}
		if (state->done || !fetch_page(state))
		{
			state->done = true;
			return ExecClearTuple(slot);
		}
	}
}

static void
bedrockReScanForeignScan(ForeignScanState *node)
{
	BedrockScanState *state = (BedrockScanState *) node->fdw_state;

	MemoryContextReset(state->batch_cxt);
	state->page_summaries = state->page_gets = state->page_tags = NULL;
	state->page_count = state->page_pos = 0;
	if (state->next_token)
		pfree(state->next_token);
	state->next_token = NULL;
	state->target_started = false;
	state->region_cell = list_head(state->plan.regions);
	state->status_cell = list_head(state->plan.statuses);
	state->done = bedrock_scan_plan_is_empty(&state->plan);
}

static void
bedrockEndForeignScan(ForeignScanState *node)
{
	BedrockScanState *state = (BedrockScanState *) node->fdw_state;

	if (state == NULL)
		return;
	if (state->have_credentials)
		bedrock_wipe_credentials(&state->credentials);
	MemoryContextDelete(state->batch_cxt);
	MemoryContextDelete(state->row_cxt);
}

/* ---------------------------------------------------------------------
 * EXPLAIN
 * ---------------------------------------------------------------------
 */

/*
 * The calls a plan makes: one List per statusEquals value with the other
 * filters, or Gets of the named jobs.
 */
static char *
describe_calls(const BedrockScanPlan *plan)
{
	StringInfoData buf;
	StringInfoData filters;
	ListCell   *cell;

	initStringInfo(&buf);
	if (plan->direct)
	{
		foreach(cell, plan->job_ids)
			appendStringInfo(&buf, "%sGetModelCustomizationJob(jobIdentifier=%s)",
							 buf.len ? ", " : "", (char *) lfirst(cell));
		return buf.data;
	}

	initStringInfo(&filters);
	if (plan->created_after)
		appendStringInfo(&filters, ", creationTimeAfter=%s", plan->created_after);
	if (plan->created_before)
		appendStringInfo(&filters, ", creationTimeBefore=%s", plan->created_before);
	if (plan->name_contains)
		appendStringInfo(&filters, ", nameContains=%s", plan->name_contains);

	if (!plan->status_filtered)
	{
		if (filters.len == 0)
			return pstrdup("ListModelCustomizationJobs");
		return psprintf("ListModelCustomizationJobs(%s)", filters.data + 2);
	}
	foreach(cell, plan->statuses)
		appendStringInfo(&buf, "%sListModelCustomizationJobs(statusEquals=%s%s)",
						 buf.len ? ", " : "", (char *) lfirst(cell), filters.data);
	return buf.data;
}

static void
bedrockExplainForeignScan(ForeignScanState *node, ExplainState *es)
{
	BedrockScanState *state = (BedrockScanState *) node->fdw_state;
	const BedrockScanPlan *plan = &state->plan;
	StringInfoData buf;
	ListCell   *cell;

	if (bedrock_scan_plan_is_empty(plan))
	{
		ExplainPropertyText("Bedrock Calls",
							plan->regions == NIL
							? "none (no configured region matches)"
							: plan->direct
							? "none (no valid job ARN or name matches)"
							: "none (no valid status matches)", es);
		return;
	}

	ExplainPropertyText("Bedrock Calls", describe_calls(plan), es);

	initStringInfo(&buf);
	foreach(cell, plan->regions)
		appendStringInfo(&buf, "%s%s", buf.len ? ", " : "", (char *) lfirst(cell));
	ExplainPropertyText("Bedrock Regions", buf.data, es);

	resetStringInfo(&buf);
	if (plan->need_get && !plan->direct)
		appendStringInfoString(&buf, "GetModelCustomizationJob");
	if (plan->need_tags)
		appendStringInfo(&buf, "%sListTagsForResource", buf.len ? ", " : "");
	ExplainPropertyText("Bedrock Per-Job Calls", buf.len ? buf.data : "none", es);

	if (es->verbose)
	{
		ExplainPropertyInteger("Bedrock Page Size", NULL,
							   state->options.page_size, es);
		ExplainPropertyText("Bedrock Endpoint",
							bedrock_api_endpoint_url(state->options.endpoint,
													 "{region}"), es);
	}
}

/* ---------------------------------------------------------------------
 * IMPORT FOREIGN SCHEMA
 * ---------------------------------------------------------------------
 */

/*
 * The remote schema "bedrock" holds one table, bedrock_jobs, with every
 * column.  PostgreSQL applies LIMIT TO and EXCEPT to what is returned.
 */
static List *
bedrockImportForeignSchema(ImportForeignSchemaStmt *stmt, Oid serverOid)
{
	ForeignServer *server = GetForeignServer(serverOid);
	StringInfoData buf;
	int			i;

	if (strcmp(stmt->remote_schema, "bedrock") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_SCHEMA_NOT_FOUND),
				 errmsg("schema \"%s\" is not present on foreign server \"%s\"",
						stmt->remote_schema, server->servername),
				 errhint("bedrock_fdw offers one remote schema, \"bedrock\".")));

	initStringInfo(&buf);
	appendStringInfo(&buf, "CREATE FOREIGN TABLE %s.bedrock_jobs (\n",
					 quote_identifier(stmt->local_schema));
	for (i = 0; i < BCOL_NCOLUMNS; i++)
		appendStringInfo(&buf, "  %s %s%s\n",
						 quote_identifier(bedrock_columns[i].name),
						 bedrock_column_sql_type(bedrock_columns[i].kind),
						 i < BCOL_NCOLUMNS - 1 ? "," : "");
	appendStringInfo(&buf, ") SERVER %s",
					 quote_identifier(server->servername));

	return list_make1(buf.data);
}
