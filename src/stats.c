/*-------------------------------------------------------------------------
 * stats.c
 *	  bedrock_fdw_stats: what this backend asked of AWS, per foreign server,
 *	  region and operation: requests, retries, throttles, errors, bytes,
 *	  cache hits and latency, in the spirit of pg_stat_statements.  What a
 *	  user checks against an account's API quotas.
 *
 * Kept per backend, in TopMemoryContext, until bedrock_fdw_stats_reset().
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "funcapi.h"
#include "utils/tuplestore.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "bedrock_fdw.h"

typedef struct StatsKey
{
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

PG_FUNCTION_INFO_V1(bedrock_fdw_stats);
PG_FUNCTION_INFO_V1(bedrock_fdw_stats_reset);

static StatsEntry *entry_for(const char *server, const char *region, const char *op);

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
	strlcpy(key.server, server ? server : "", sizeof(key.server));
	strlcpy(key.region, region ? region : "", sizeof(key.region));
	strlcpy(key.op, op ? op : "", sizeof(key.op));
	e = hash_search(stats, &key, HASH_ENTER, &found);
	if (!found)
		memset((char *) e + sizeof(StatsKey), 0, sizeof(StatsEntry) - sizeof(StatsKey));
	return e;
}

/* One request sent and answered (or failed). */
void
bedrock_stats_request(const char *server, const char *region, const char *op,
					  bool retry, BedrockStatsOutcome outcome, size_t bytes,
					  double elapsed_ms)
{
	StatsEntry *e = entry_for(server, region, op);

	e->calls++;
	e->retries += retry ? 1 : 0;
	e->throttles += outcome == BEDROCK_STATS_THROTTLED ? 1 : 0;
	e->errors += outcome == BEDROCK_STATS_ERROR ? 1 : 0;
	e->bytes += (int64) bytes;
	e->total_ms += elapsed_ms;
	if (elapsed_ms > e->max_ms)
		e->max_ms = elapsed_ms;
}

/* One call answered from the answer cache (server option cache_ttl). */
void
bedrock_stats_cache_hit(const char *server, const char *region, const char *op)
{
	entry_for(server, region, op)->cache_hits++;
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
	hash_seq_init(&scan, stats);
	while ((e = hash_seq_search(&scan)) != NULL)
	{
		Datum		values[11];
		bool		nulls[11] = {false};

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
	return (Datum) 0;
}

/* Forget this backend's statistics. */
Datum
bedrock_fdw_stats_reset(PG_FUNCTION_ARGS)
{
	if (stats)
		hash_destroy(stats);
	stats = NULL;
	PG_RETURN_VOID();
}
