/*-------------------------------------------------------------------------
 * cache.c
 *	  The optional per-backend cache of successful Bedrock answers.
 *
 * A server with cache_ttl > 0 keeps each successful answer for that many
 * seconds.  The key is everything that decides an answer: the access key,
 * the endpoint and region, the method, path, query and body; so an answer is
 * never reused for a call with different parameters or another identity.
 * Entries live in their own memory context; the oldest go first when the
 * cache is full.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "bedrock_fdw.h"
#include "sigv4.h"

#define CACHE_MAX_BYTES		(64 * 1024 * 1024)
#define CACHE_MAX_ENTRIES	20000

typedef struct CacheEntry
{
	char		hash[65];		/* hash key: SHA-256 of the full key */
	char	   *key;			/* the full key, compared on lookup */
	char	   *body;
	size_t		len;
	char	   *request_id;
	TimestampTz stored;
	uint64		seq;			/* insertion order, for eviction */
} CacheEntry;

static HTAB *cache = NULL;
static MemoryContext cache_cxt = NULL;
static size_t cache_bytes = 0;
static uint64 cache_seq = 0;

static void ensure_cache(void);
static void remove_entry(CacheEntry *entry);
static void evict_oldest(void);

static void
ensure_cache(void)
{
	HASHCTL		ctl;

	if (cache != NULL)
		return;
	cache_cxt = AllocSetContextCreate(TopMemoryContext, "bedrock_fdw cache",
									  ALLOCSET_DEFAULT_SIZES);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = 65;
	ctl.entrysize = sizeof(CacheEntry);
	ctl.hcxt = cache_cxt;
	cache = hash_create("bedrock_fdw cache", 256, &ctl,
						HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
}

static void
remove_entry(CacheEntry *entry)
{
	cache_bytes -= entry->len + strlen(entry->key);
	pfree(entry->key);
	pfree(entry->body);
	if (entry->request_id)
		pfree(entry->request_id);
	hash_search(cache, entry->hash, HASH_REMOVE, NULL);
}

static void
evict_oldest(void)
{
	HASH_SEQ_STATUS status;
	CacheEntry *entry;
	CacheEntry *oldest = NULL;

	hash_seq_init(&status, cache);
	while ((entry = hash_seq_search(&status)) != NULL)
	{
		if (oldest == NULL || entry->seq < oldest->seq)
			oldest = entry;
	}
	if (oldest)
		remove_entry(oldest);
}

/*
 * A cached answer for key no older than ttl_s seconds: a palloc'd copy of
 * the body and request id.  Returns false on a miss.
 */
bool
bedrock_cache_get(const char *key, int ttl_s, char **body, size_t *len,
				  char **request_id)
{
	char		hash[65];
	CacheEntry *entry;

	if (cache == NULL)
		return false;
	bedrock_sigv4_sha256_hex((const unsigned char *) key, strlen(key), hash);
	entry = hash_search(cache, hash, HASH_FIND, NULL);
	if (entry == NULL || strcmp(entry->key, key) != 0)
		return false;
	if (TimestampDifferenceExceeds(entry->stored, GetCurrentTimestamp(),
								   ttl_s * 1000))
	{
		remove_entry(entry);
		return false;
	}
	*body = pnstrdup(entry->body, entry->len);
	*len = entry->len;
	*request_id = entry->request_id ? pstrdup(entry->request_id) : NULL;
	return true;
}

/* Keep a successful answer under key. */
void
bedrock_cache_put(const char *key, const char *body, size_t len,
				  const char *request_id)
{
	char		hash[65];
	CacheEntry *entry;
	bool		found;
	size_t		size = len + strlen(key);

	if (size > CACHE_MAX_BYTES / 4)
		return;					/* not worth crowding out everything else */
	ensure_cache();
	bedrock_sigv4_sha256_hex((const unsigned char *) key, strlen(key), hash);
	entry = hash_search(cache, hash, HASH_FIND, NULL);
	if (entry)
		remove_entry(entry);
	while (hash_get_num_entries(cache) > 0 &&
		   (cache_bytes + size > CACHE_MAX_BYTES ||
			hash_get_num_entries(cache) >= CACHE_MAX_ENTRIES))
		evict_oldest();

	entry = hash_search(cache, hash, HASH_ENTER, &found);
	entry->key = MemoryContextStrdup(cache_cxt, key);
	entry->body = MemoryContextAlloc(cache_cxt, len + 1);
	memcpy(entry->body, body, len);
	entry->body[len] = '\0';
	entry->len = len;
	entry->request_id = request_id ? MemoryContextStrdup(cache_cxt, request_id) : NULL;
	entry->stored = GetCurrentTimestamp();
	entry->seq = ++cache_seq;
	cache_bytes += size;
}

/* Forget every cached answer; returns how many there were. */
int64
bedrock_cache_clear(void)
{
	int64		n;

	if (cache == NULL)
		return 0;
	n = hash_get_num_entries(cache);
	hash_destroy(cache);
	MemoryContextDelete(cache_cxt);
	cache = NULL;
	cache_cxt = NULL;
	cache_bytes = 0;
	return n;
}
