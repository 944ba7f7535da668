/*-------------------------------------------------------------------------
 * shmem.c
 *	  The shared memory of bedrock_fdw when it is in shared_preload_libraries:
 *	  the detail cache (detailcache.c) and the statistics (stats.c), each
 *	  under an LWLock of its own.  Without preloading both are per backend.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"

#include "bedrock_fdw.h"

#define TRANCHE "bedrock_fdw"

static shmem_request_hook_type prev_shmem_request_hook = NULL;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;

static void shmem_request(void);
static void shmem_startup(void);

/* From _PG_init, when preloading: ask for the memory at server start. */
void
bedrock_shmem_init(void)
{
	if (!process_shared_preload_libraries_in_progress)
		return;
	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = shmem_request;
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = shmem_startup;
}

static void
shmem_request(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	RequestAddinShmemSpace(add_size(bedrock_detail_cache_shmem_size(),
									bedrock_stats_shmem_size()));
	RequestNamedLWLockTranche(TRANCHE, 2);
}

static void
shmem_startup(void)
{
	LWLockPadded *locks;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();
	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	locks = GetNamedLWLockTranche(TRANCHE);
	bedrock_detail_cache_shmem_startup(&locks[0].lock);
	bedrock_stats_shmem_startup(&locks[1].lock);
	LWLockRelease(AddinShmemInitLock);
}
