/*-------------------------------------------------------------------------
 * bufpool.c
 *	  Large buffers kept for reuse within a backend: answer bodies and the
 *	  blocks of parsed documents.
 *
 * A List page of a thousand jobs is about 600 kB of answer and more again of
 * parsed document.  Freed to glibc, that memory goes back to the kernel (an
 * munmap, or a trim of the heap's top), and the next page takes a page fault
 * for each 4 kB it touches: about 10 us each in a virtual machine, which was
 * more than parsing and converting the page cost.  Buffers of POOL_MIN bytes
 * or more are therefore kept, up to POOL_LIMIT bytes in POOL_SLOTS buffers,
 * and handed out again, the smallest that fits first.  Smaller ones come from
 * glibc's bins, which keep their pages.
 *
 * What a buffer held is the caller's business: one that held secrets is
 * zeroed before it comes back.  Nothing here uses palloc: the buffers outlive
 * queries, and json.c, which links without the backend, reaches this
 * through bedrock_json_set_allocator().
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "bedrock_fdw.h"

#define POOL_MIN (64 * 1024)
#define POOL_LIMIT (8 * 1024 * 1024)
#define POOL_SLOTS 8

typedef struct PoolSlot
{
	void	   *buf;			/* NULL: the slot is empty */
	size_t		cap;
} PoolSlot;

static PoolSlot pool[POOL_SLOTS];
static size_t pool_bytes;		/* the sum of the kept buffers' sizes */

/*
 * A buffer of size bytes at least, malloc'd or kept; *cap is its real size.
 * NULL when out of memory.
 */
void *
bedrock_buf_alloc(size_t size, size_t *cap)
{
	PoolSlot   *best = NULL;
	int			i;
	void	   *buf;

	if (size >= POOL_MIN)
	{
		for (i = 0; i < POOL_SLOTS; i++)
		{
			if (pool[i].buf != NULL && pool[i].cap >= size &&
				(best == NULL || pool[i].cap < best->cap))
				best = &pool[i];
		}
		if (best != NULL)
		{
			buf = best->buf;
			*cap = best->cap;
			pool_bytes -= best->cap;
			best->buf = NULL;
			best->cap = 0;
			return buf;
		}
	}
	buf = malloc(size);
	*cap = buf ? size : 0;
	return buf;
}

/*
 * Give back a buffer from bedrock_buf_alloc (or malloc) of cap bytes: kept
 * when it is large and there is room, else freed.  Room is made by freeing
 * smaller kept ones, when that makes enough, so that the pool holds the
 * largest buffers in use.
 */
void
bedrock_buf_free(void *buf, size_t cap)
{
	size_t		smaller = 0;	/* bytes kept in buffers smaller than cap */
	int			i;

	if (buf == NULL)
		return;
	for (i = 0; i < POOL_SLOTS; i++)
	{
		if (pool[i].buf != NULL && pool[i].cap < cap)
			smaller += pool[i].cap;
	}
	if (cap < POOL_MIN || cap > POOL_LIMIT || pool_bytes - smaller + cap > POOL_LIMIT)
	{
		free(buf);
		return;
	}
	for (;;)
	{
		PoolSlot   *empty = NULL;
		PoolSlot   *smallest = NULL;

		for (i = 0; i < POOL_SLOTS; i++)
		{
			if (pool[i].buf == NULL)
				empty = empty ? empty : &pool[i];
			else if (smallest == NULL || pool[i].cap < smallest->cap)
				smallest = &pool[i];
		}
		if (empty != NULL && pool_bytes + cap <= POOL_LIMIT)
		{
			empty->buf = buf;
			empty->cap = cap;
			pool_bytes += cap;
			return;
		}
		if (smallest == NULL || smallest->cap >= cap)
		{
			/* every slot taken, by buffers at least as large */
			free(buf);
			return;
		}
		free(smallest->buf);
		pool_bytes -= smallest->cap;
		smallest->buf = NULL;
		smallest->cap = 0;
	}
}
