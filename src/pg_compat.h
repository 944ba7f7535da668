/*-------------------------------------------------------------------------
 * pg_compat.h
 *	  Every PostgreSQL version difference bedrock_fdw meets, behind one
 *	  header of macros and inline wrappers (as citus's pg_version_compat.h),
 *	  so that the callbacks read the same on PostgreSQL 15 to 19.
 *-------------------------------------------------------------------------
 */
#ifndef BEDROCK_PG_COMPAT_H
#define BEDROCK_PG_COMPAT_H

#include "access/stratnum.h"
#include "catalog/pg_type.h"
#include "commands/explain.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "nodes/execnodes.h"
#include "nodes/pathnodes.h"
#include "nodes/plannodes.h"
#include "optimizer/pathnode.h"
#include "utils/jsonb.h"
#include "utils/wait_event.h"

/* 18 moved ExplainState and the ExplainProperty* functions out of explain.h */
#if PG_VERSION_NUM >= 180000
#include "commands/explain_format.h"
#include "commands/explain_state.h"
#endif

/* A PathKey's direction: pk_cmptype (COMPARE_LT, COMPARE_GT) since 18. */
#if PG_VERSION_NUM >= 180000
#define bedrock_pathkey_ascending(pk)	((pk)->pk_cmptype == COMPARE_LT)
#define bedrock_pathkey_descending(pk)	((pk)->pk_cmptype == COMPARE_GT)
#else
#define bedrock_pathkey_ascending(pk)	((pk)->pk_strategy == BTLessStrategyNumber)
#define bedrock_pathkey_descending(pk)	((pk)->pk_strategy == BTGreaterStrategyNumber)
#endif

/*
 * create_foreignscan_path(): 17 added fdw_restrictinfo, 18 disabled_nodes.
 * bedrock_fdw uses neither.
 */
static inline ForeignPath *
bedrock_create_foreignscan_path(PlannerInfo *root, RelOptInfo *rel,
								double rows, Cost startup_cost, Cost total_cost,
								List *pathkeys, Relids required_outer,
								List *fdw_private)
{
	return create_foreignscan_path(root, rel,
								   NULL,	/* default pathtarget */
								   rows,
#if PG_VERSION_NUM >= 180000
								   0,	/* disabled_nodes */
#endif
								   startup_cost, total_cost, pathkeys,
								   required_outer,
								   NULL,	/* no extra plan */
#if PG_VERSION_NUM >= 170000
								   NIL, /* no fdw_restrictinfo */
#endif
								   fdw_private);
}

/*
 * The user whose user mapping a foreign scan uses (the view owner for a
 * view): in the plan since 16, in the range table entry before.
 */
static inline Oid
bedrock_scan_user(ForeignScan *fsplan, EState *estate)
{
#if PG_VERSION_NUM >= 160000
	Oid			user = fsplan->checkAsUser;
#else
	Oid			user = exec_rt_fetch(fsplan->scan.scanrelid, estate)->checkAsUser;
#endif

	return OidIsValid(user) ? user : GetUserId();
}

/* A WaitEventSet owned by nothing: since 17 its owner is a ResourceOwner. */
#if PG_VERSION_NUM >= 170000
#define bedrock_create_wait_event_set(nevents)	CreateWaitEventSet(NULL, (nevents))
#else
#define bedrock_create_wait_event_set(nevents)	CreateWaitEventSet(CurrentMemoryContext, (nevents))
#endif

/*
 * The wait event of a backend waiting on Bedrock, STS or a credential
 * source: named "BedrockRequest" in pg_stat_activity since 17
 * (WaitEventExtensionNew), plain "Extension" before.
 */
static inline uint32
bedrock_wait_event(void)
{
#if PG_VERSION_NUM >= 170000
	static uint32 event = 0;

	if (event == 0)
		event = WaitEventExtensionNew("BedrockRequest");
	return event;
#else
	return PG_WAIT_EXTENSION;
#endif
}

/* USAGE on a foreign server: one function per object kind before 16. */
#if PG_VERSION_NUM >= 160000
#define bedrock_server_aclcheck(serverid, roleid, mode) \
	object_aclcheck(ForeignServerRelationId, (serverid), (roleid), (mode))
#else
#define bedrock_server_aclcheck(serverid, roleid, mode) \
	pg_foreign_server_aclcheck((serverid), (roleid), (mode))
#endif

/* A fixed-size shared hash table: 19 takes one size, not initial and max. */
#if PG_VERSION_NUM >= 190000
#define bedrock_shmem_init_hash(name, nelems, info, flags) \
	ShmemInitHash((name), (nelems), (info), (flags))
#else
#define bedrock_shmem_init_hash(name, nelems, info, flags) \
	ShmemInitHash((name), (nelems), (nelems), (info), (flags))
#endif

/*
 * Building a jsonb value from JsonbValues: 19 keeps the state and the result
 * in a JsonbInState that pushJsonbValue fills; before, pushJsonbValue took
 * the state stack and returned the value so far.  A builder starts zeroed.
 */
#if PG_VERSION_NUM >= 190000
typedef JsonbInState BedrockJsonbBuilder;
#define bedrock_jsonb_push(b, seq, val)	pushJsonbValue((b), (seq), (val))
#else
typedef struct BedrockJsonbBuilder
{
	JsonbParseState *parseState;
	JsonbValue *result;
} BedrockJsonbBuilder;

static inline void
bedrock_jsonb_push(BedrockJsonbBuilder *b, JsonbIteratorToken seq, JsonbValue *val)
{
	b->result = pushJsonbValue(&b->parseState, seq, val);
}
#endif

#endif							/* BEDROCK_PG_COMPAT_H */
