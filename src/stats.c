/*-------------------------------------------------------------------------
 * stats.c
 *	  bedrock_fdw_stats: what was asked of AWS, per foreign server, region
 *	  and operation: requests, retries, throttles, errors, bytes, cache hits
 *	  and latency, in the spirit of pg_stat_statements.  What a user checks
 *	  against an account's API quotas.
 *
 * With bedrock_fdw in shared_preload_libraries the counters are in shared
 * memory (shmem.c), for every backend, under an LWLock, at most MAX_SHARED
 * entries; otherwise this backend's, in TopMemoryContext.  Either way until
 * bedrock_fdw_stats_reset().  Entries are per database: a server's name is
 * the current database's.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "funcapi.h"
#include "miscadmin.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/tuplestore.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "bedrock_fdw.h"
#include "pg_compat.h"

#define MAX_SHARED 4096

typedef struct StatsKey
{
	Oid			dbid;
	char		server[NAMEDATALEN];
	char		region[32];
	char		op[64];
} StatsKey;

typedef struct StatsEntry
{
	StatsKey	key;
	int64		calls;			/* requests sent, retries included */
	int64		retries;
	int64		throttles;
	int64		errors;
	int64		bytes;			/* of the answers */
	int64		cache_hits;		/* calls answered from the cache, unsent */
	double		total_ms;
	double		max_ms;
} StatsEntry;

static HTAB *stats = NULL;
static LWLock *stats_lock = NULL;	/* set when shared */

PG_FUNCTION_INFO_V1(bedrock_fdw_stats);
PG_FUNCTION_INFO_V1(bedrock_fdw_stats_reset);

static StatsEntry *entry_for(const char *server, const char *region, const char *op);

/* The shared memory the statistics need when preloaded. */
Size
bedrock_stats_shmem_size(void)
{
	return hash_estimate_size(MAX_SHARED, sizeof(StatsEntry));
}

/* Attach to (or make) the shared statistics; AddinShmemInitLock held. */
void
bedrock_stats_shmem_startup(LWLock *lock)
{
	HASHCTL		ctl;

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(StatsKey);
	ctl.entrysize = sizeof(StatsEntry);
	stats = bedrock_shmem_init_hash("bedrock_fdw stats", MAX_SHARED, &ctl,
									HASH_ELEM | HASH_BLOBS);
	stats_lock = lock;
}

/*
 * The entry of a server, region and operation, made when new (NULL when
 * the shared table is full).  The caller holds stats_lock exclusively when
 * shared.
 */
static StatsEntry *
entry_for(const char *server, const char *region, const char *op)
{
	StatsKey	key;
	StatsEntry *e;
	bool		found;

	if (stats == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(StatsKey);
		ctl.entrysize = sizeof(StatsEntry);
		ctl.hcxt = TopMemoryContext;
		stats = hash_create("bedrock_fdw stats", 64, &ctl,
							HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	memset(&key, 0, sizeof(key));
	key.dbid = MyDatabaseId;
	strlcpy(key.server, server ? server : "", sizeof(key.server));
	strlcpy(key.region, region ? region : "", sizeof(key.region));
	strlcpy(key.op, op ? op : "", sizeof(key.op));
	e = hash_search(stats, &key, stats_lock ? HASH_ENTER_NULL : HASH_ENTER, &found);
	if (e != NULL && !found)
		memset((char *) e + sizeof(StatsKey), 0, sizeof(StatsEntry) - sizeof(StatsKey));
	return e;
}

/* One request sent and answered (or failed). */
void
bedrock_stats_request(const char *server, const char *region, const char *op,
					  bool retry, BedrockStatsOutcome outcome, size_t bytes,
					  double elapsed_ms)
{
	StatsEntry *e;

	if (stats_lock)
		LWLockAcquire(stats_lock, LW_EXCLUSIVE);
	e = entry_for(server, region, op);
	if (e != NULL)
	{
		e->calls++;
		e->retries += retry ? 1 : 0;
		e->throttles += outcome == BEDROCK_STATS_THROTTLED ? 1 : 0;
		e->errors += outcome == BEDROCK_STATS_ERROR ? 1 : 0;
		e->bytes += (int64) bytes;
		e->total_ms += elapsed_ms;
		if (elapsed_ms > e->max_ms)
			e->max_ms = elapsed_ms;
	}
	if (stats_lock)
		LWLockRelease(stats_lock);
}

/* One call answered from the answer cache (server option cache_ttl). */
void
bedrock_stats_cache_hit(const char *server, const char *region, const char *op)
{
	StatsEntry *e;

	if (stats_lock)
		LWLockAcquire(stats_lock, LW_EXCLUSIVE);
	e = entry_for(server, region, op);
	if (e != NULL)
		e->cache_hits++;
	if (stats_lock)
		LWLockRelease(stats_lock);
}

/* The SQL function behind the view bedrock_fdw_stats. */
Datum
bedrock_fdw_stats(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	HASH_SEQ_STATUS scan;
	StatsEntry *e;

	InitMaterializedSRF(fcinfo, 0);
	if (stats == NULL)
		return (Datum) 0;
	if (stats_lock)
		LWLockAcquire(stats_lock, LW_SHARED);
	hash_seq_init(&scan, stats);
	while ((e = hash_seq_search(&scan)) != NULL)
	{
		Datum		values[11];
		bool		nulls[11] = {false};

		if (e->key.dbid != MyDatabaseId)
			continue;

		values[0] = CStringGetTextDatum(e->key.server);
		values[1] = CStringGetTextDatum(e->key.region);
		nulls[1] = e->key.region[0] == '\0';
		values[2] = CStringGetTextDatum(e->key.op);
		values[3] = Int64GetDatum(e->calls);
		values[4] = Int64GetDatum(e->retries);
		values[5] = Int64GetDatum(e->throttles);
		values[6] = Int64GetDatum(e->errors);
		values[7] = Int64GetDatum(e->bytes);
		values[8] = Int64GetDatum(e->cache_hits);
		values[9] = Float8GetDatum(e->calls > 0 ? e->total_ms / e->calls : 0);
		nulls[9] = e->calls == 0;
		values[10] = Float8GetDatum(e->max_ms);
		nulls[10] = e->calls == 0;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	if (stats_lock)
		LWLockRelease(stats_lock);
	return (Datum) 0;
}

/* Forget the statistics: this backend's, or every backend's when shared. */
Datum
bedrock_fdw_stats_reset(PG_FUNCTION_ARGS)
{
	HASH_SEQ_STATUS scan;
	StatsEntry *e;

	if (stats == NULL)
		PG_RETURN_VOID();
	if (stats_lock == NULL)
	{
		hash_destroy(stats);
		stats = NULL;
		PG_RETURN_VOID();
	}
	LWLockAcquire(stats_lock, LW_EXCLUSIVE);
	hash_seq_init(&scan, stats);
	while ((e = hash_seq_search(&scan)) != NULL)
		hash_search(stats, &e->key, HASH_REMOVE, NULL);
	LWLockRelease(stats_lock);
	PG_RETURN_VOID();
}
