/*-------------------------------------------------------------------------
 * detailcache.c
 *	  The validated cache of immutable details: Get answers of resources in
 *	  a terminal state, used only while the List summary still shows the
 *	  status and modification time they were stored with.
 *
 * A job that completed, failed or stopped does not change; when it does
 * (AWS edits it, or it is deleted and its name reused), its summary's
 * lastModifiedTime changes with it, and the entry is dropped on sight.  So
 * an entry can never give a row a scan would not read from Get: the caller
 * hands in the summary's status and time (the validator) on every lookup.
 * Tags are never kept: they change without a lastModifiedTime change.
 *
 * Storage is one mechanism in two places.  Answers are cut into fixed
 * slots of SLOT_BYTES held in one arena, entries are found through a hash
 * table keyed by a SHA-256 of (identity, account, region, ARN), and the
 * least recently used entries are evicted to make room.  With bedrock_fdw
 * in shared_preload_libraries the arena and table are in shared memory,
 * under one LWLock, for every backend; otherwise they are this backend's,
 * made on first use.  Their size is bedrock_fdw.detail_cache_size.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/ilist.h"
#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "bedrock_fdw.h"
#include "pg_compat.h"
#include "sigv4.h"

#define SLOT_BYTES 4096
#define VALIDATOR_BYTES 128

typedef struct DetailKey
{
	char		hex[65];		/* SHA-256 of whose, where and which */
} DetailKey;

/* An entry of the hash table: one answer, in a chain of slots. */
typedef struct DetailEntry
{
	DetailKey	key;
	int32		first_slot;
	int32		nslots;
	uint32		len;
	char		validator[VALIDATOR_BYTES];
	dlist_node	lru;			/* most recently used first */
} DetailEntry;

/* The arena's bookkeeping; the slots follow it. */
typedef struct DetailCache
{
	LWLock	   *lock;			/* NULL: this backend's own */
	int32		nslots;
	int32		free_head;		/* chain of free slots, -1 at the end */
	int32		nfree;
	dlist_head	lru;
	int32	   *next;			/* per slot: the next of its chain, or -1 */
	char	   *data;			/* nslots * SLOT_BYTES */
} DetailCache;

int			bedrock_detail_cache_size = 16384;	/* kB */

static DetailCache *cache = NULL;
static HTAB *entries = NULL;
static bool shared = false;

static int32 slots_for_size(void);
static Size arena_size(int32 nslots);
static void init_arena(DetailCache *c, char *mem, int32 nslots);
static bool ensure_cache(void);
static void lock_cache(LWLockMode mode);
static void unlock_cache(void);
static void make_key(const char *identity, const char *account,
					 const char *region, const char *arn, DetailKey *key);
static void free_chain(int32 s);
static void remove_entry(DetailEntry *e);
static bool take_slots(int32 n, int32 *first);

/* How many slots bedrock_fdw.detail_cache_size holds. */
static int32
slots_for_size(void)
{
	return (int32) Min((int64) bedrock_detail_cache_size * 1024 / SLOT_BYTES,
					   (int64) PG_INT32_MAX / 2);
}

static Size
arena_size(int32 nslots)
{
	return MAXALIGN(sizeof(DetailCache)) + MAXALIGN(sizeof(int32) * nslots) +
		(Size) nslots * SLOT_BYTES;
}

/* Lay out an arena of nslots in mem, every slot free. */
static void
init_arena(DetailCache *c, char *mem, int32 nslots)
{
	int32		i;

	c->nslots = nslots;
	c->next = (int32 *) mem;
	c->data = mem + MAXALIGN(sizeof(int32) * nslots);
	for (i = 0; i < nslots; i++)
		c->next[i] = i + 1 < nslots ? i + 1 : -1;
	c->free_head = nslots > 0 ? 0 : -1;
	c->nfree = nslots;
	dlist_init(&c->lru);
}

/*
 * Called from _PG_init: the size setting (shmem.c asks for the shared
 * memory when the library is preloaded).
 */
void
bedrock_detail_cache_init(void)
{
	shared = process_shared_preload_libraries_in_progress;
	DefineCustomIntVariable("bedrock_fdw.detail_cache_size",
							"Memory for Get answers of resources in a terminal state.",
							"Shared by every backend when bedrock_fdw is in shared_preload_libraries "
							"(then set at server start), else each backend's own.  0 turns the "
							"cache off.",
							&bedrock_detail_cache_size,
							16384, 0, 1024 * 1024,
							shared ? PGC_POSTMASTER : PGC_SUSET,
							GUC_UNIT_KB,
							NULL, NULL, NULL);
}

/* The shared memory the cache needs when preloaded. */
Size
bedrock_detail_cache_shmem_size(void)
{
	int32		nslots = slots_for_size();

	return add_size(arena_size(nslots),
					hash_estimate_size(Max(nslots, 1), sizeof(DetailEntry)));
}

/* Attach to (or make) the shared cache; AddinShmemInitLock held. */
void
bedrock_detail_cache_shmem_startup(LWLock *lock)
{
	int32		nslots = slots_for_size();
	bool		found;
	HASHCTL		ctl;

	cache = ShmemInitStruct("bedrock_fdw detail cache", arena_size(nslots), &found);
	if (!found)
	{
		init_arena(cache, (char *) cache + MAXALIGN(sizeof(DetailCache)), nslots);
		cache->lock = lock;
	}
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(DetailKey);
	ctl.entrysize = sizeof(DetailEntry);
	entries = bedrock_shmem_init_hash("bedrock_fdw detail cache index", Max(nslots, 1),
									  &ctl, HASH_ELEM | HASH_BLOBS);
}

/* The cache, made on first use when not shared; false when it is off. */
static bool
ensure_cache(void)
{
	int32		nslots;
	HASHCTL		ctl;
	char	   *mem;

	if (cache != NULL)
		return cache->nslots > 0;
	if (shared)
		return false;			/* preloaded, yet no shared memory: off */
	nslots = slots_for_size();
	if (nslots <= 0)
		return false;
	mem = MemoryContextAllocHuge(TopMemoryContext, arena_size(nslots));
	cache = (DetailCache *) mem;
	init_arena(cache, mem + MAXALIGN(sizeof(DetailCache)), nslots);
	cache->lock = NULL;
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(DetailKey);
	ctl.entrysize = sizeof(DetailEntry);
	ctl.hcxt = TopMemoryContext;
	entries = hash_create("bedrock_fdw detail cache", Min(nslots, 4096), &ctl,
						  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	return true;
}

static void
lock_cache(LWLockMode mode)
{
	if (cache->lock)
		LWLockAcquire(cache->lock, mode);
}

static void
unlock_cache(void)
{
	if (cache->lock)
		LWLockRelease(cache->lock);
}

/* The key of a resource's answer: whose, where, which. */
static void
make_key(const char *identity, const char *account, const char *region,
		 const char *arn, DetailKey *key)
{
	char	   *text = psprintf("%s\n%s\n%s\n%s", identity, account ? account : "",
								region, arn);

	memset(key, 0, sizeof(*key));
	bedrock_sigv4_sha256_hex((const unsigned char *) text, strlen(text), key->hex);
	pfree(text);
}

/* Give a chain of slots back.  Lock held. */
static void
free_chain(int32 s)
{
	while (s >= 0)
	{
		int32		next = cache->next[s];

		cache->next[s] = cache->free_head;
		cache->free_head = s;
		cache->nfree++;
		s = next;
	}
}

/* Drop an entry.  Lock held. */
static void
remove_entry(DetailEntry *e)
{
	bool		found;

	free_chain(e->first_slot);
	dlist_delete(&e->lru);
	hash_search(entries, &e->key, HASH_REMOVE, &found);
}

/*
 * A chain of n slots, evicting the least recently used entries for room;
 * false when the cache cannot hold n.  Lock held exclusively.
 */
static bool
take_slots(int32 n, int32 *first)
{
	int32		head = -1;
	int32		i;

	if (n > cache->nslots)
		return false;
	while (cache->nfree < n && !dlist_is_empty(&cache->lru))
		remove_entry(dlist_container(DetailEntry, lru, dlist_tail_node(&cache->lru)));
	if (cache->nfree < n)
		return false;
	for (i = 0; i < n; i++)
	{
		int32		s = cache->free_head;

		cache->free_head = cache->next[s];
		cache->nfree--;
		cache->next[s] = head;
		head = s;
	}
	*first = head;
	return true;
}

/*
 * The answer kept for a resource, when its validator (the current summary's
 * status and modification time) is the one it was kept with: a palloc'd
 * copy in *body.  An entry whose validator changed is dropped.
 */
bool
bedrock_detail_get(const char *identity, const char *account, const char *region,
				   const char *arn, const char *validator,
				   char **body, size_t *len)
{
	DetailKey	key;
	DetailEntry *e;
	bool		hit = false;

	if (bedrock_detail_cache_size <= 0 || !ensure_cache())
		return false;
	make_key(identity, account, region, arn, &key);
	lock_cache(LW_EXCLUSIVE);
	e = (DetailEntry *) hash_search(entries, &key, HASH_FIND, NULL);
	if (e != NULL && strcmp(e->validator, validator) != 0)
		remove_entry(e);		/* it changed: never read again */
	else if (e != NULL)
	{
		char	   *out = palloc(e->len + 1);
		uint32		copied = 0;
		int32		s = e->first_slot;

		while (s >= 0 && copied < e->len)
		{
			uint32		n = Min(e->len - copied, SLOT_BYTES);

			memcpy(out + copied, cache->data + (Size) s * SLOT_BYTES, n);
			copied += n;
			s = cache->next[s];
		}
		out[e->len] = '\0';
		*body = out;
		*len = e->len;
		dlist_move_head(&cache->lru, &e->lru);
		hit = true;
	}
	unlock_cache();
	return hit;
}

/* Keep a resource's Get answer with its validator, replacing an older one. */
void
bedrock_detail_put(const char *identity, const char *account, const char *region,
				   const char *arn, const char *validator,
				   const char *body, size_t len)
{
	DetailKey	key;
	DetailEntry *e;
	bool		found;
	int32		n = (int32) ((len + SLOT_BYTES - 1) / SLOT_BYTES);
	int32		first;
	int32		s;
	size_t		copied = 0;

	if (bedrock_detail_cache_size <= 0 || !ensure_cache() ||
		strlen(validator) >= VALIDATOR_BYTES || len == 0 ||
		len > (size_t) cache->nslots * SLOT_BYTES)
		return;
	make_key(identity, account, region, arn, &key);
	lock_cache(LW_EXCLUSIVE);
	e = (DetailEntry *) hash_search(entries, &key, HASH_FIND, NULL);
	if (e != NULL)
		remove_entry(e);
	if (!take_slots(n, &first))
	{
		unlock_cache();
		return;
	}
	e = (DetailEntry *) hash_search(entries, &key, HASH_ENTER_NULL, &found);
	if (e == NULL)
	{
		/* the shared table is full: give the slots back */
		free_chain(first);
		unlock_cache();
		return;
	}
	e->first_slot = first;
	e->nslots = n;
	e->len = (uint32) len;
	strlcpy(e->validator, validator, VALIDATOR_BYTES);
	for (s = first; s >= 0; s = cache->next[s])
	{
		size_t		k = Min(len - copied, SLOT_BYTES);

		memcpy(cache->data + (Size) s * SLOT_BYTES, body + copied, k);
		copied += k;
	}
	dlist_push_head(&cache->lru, &e->lru);
	unlock_cache();
}

/* Empty the cache; returns how many answers it held. */
int64
bedrock_detail_clear(void)
{
	int64		n = 0;

	if (cache == NULL || cache->nslots <= 0)
		return 0;
	lock_cache(LW_EXCLUSIVE);
	while (!dlist_is_empty(&cache->lru))
	{
		remove_entry(dlist_container(DetailEntry, lru, dlist_head_node(&cache->lru)));
		n++;
	}
	unlock_cache();
	return n;
}
