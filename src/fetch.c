/*-------------------------------------------------------------------------
 * fetch.c
 *	  Fetching the resources of a scan as their calls settle, with memory
 *	  bounded by pages, not by the number of resources or targets.
 *
 * A scan has targets: one per account, region and statusEquals value (or
 * one per account and region for lookups by ARN or name).  Every call goes
 * into one set of concurrent calls (call.c), and the scan acts on each as it
 * settles, with no rounds: a target's next List page goes out the moment its
 * previous page lands, ahead of the per-resource calls waiting for a slot,
 * and a page's Get and Tags calls go out as soon as its summaries are read.
 * A resource is handed out as soon as its own answers are in and those
 * before it in its page are out, while the other calls are in flight.
 *
 * Memory: each page has a context of its own, deleted when its resources
 * have been handed out, and each resource with per-resource calls a child
 * of it, deleted once the resource is out: a page of 1,000 Gets holds the
 * answers not handed out yet, not 1,000.  A target runs at most PAGES_AHEAD
 * pages ahead of the one being handed out, and asks for its next page only
 * when its per-resource calls are down to two waves.  So what is held is
 * about a List page per target and the answers in flight, not every
 * resource.  Within a target resources are handed out in order (a sorted
 * List stays sorted); across targets, in the order they complete.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/ilist.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "awstime.h"
#include "bedrock_fdw.h"

/* Pages of a target not handed out yet, counting one being listed. */
#define PAGES_AHEAD 2

/*
 * Resources of a page described at a time: their Get and Tags calls made
 * together, and one GetResources for their tags.
 */
#define SLICE BEDROCK_TAGGING_MAX_ARNS

/* Rows handed out between two drives of the transfers (bedrock_calls_pump). */
#define PUMP_EVERY 32

/* What a call of a page is for (BedrockCall.slot: index * NKINDS + kind). */
typedef enum CallKind
{
	CALL_LIST,					/* the page's List call (index 0) */
	CALL_GET,					/* a resource's Get */
	CALL_SUMMARY,				/* a looked-up resource's List summary */
	CALL_TAGS,					/* a resource's ListTagsForResource */
	CALL_BULK_TAGS,				/* GetResources for a page's index-th slice */
	NKINDS
} CallKind;

/* One (account, region, status) List sequence, or one region's lookups. */
typedef struct Target
{
	BedrockAccount *account;
	const char *region;
	const char *status;			/* statusEquals, or NULL */
	char	   *next_token;		/* in the fetch's context */
	bool		finished;		/* no more pages to ask for */
	bool		limited;		/* finished only because the LIMIT was met */
	bool		skipped;		/* its region was skipped as unavailable */
	bool		listing;		/* a List call is out */
	long		fetched;		/* resources this target returned so far */
	int			npages;			/* its pages not handed out yet */
	int			describing;		/* their per-resource calls not settled */
	dlist_head	pages;			/* those pages, in order */
} Target;

/* Resources from one call, and their per-resource answers. */
typedef struct Page
{
	Target	   *target;
	BedrockAccount *account;
	const char *region;
	MemoryContext cxt;			/* everything of the page and its calls */
	dlist_node	node;			/* in its target's pages */
	bool		lookups;		/* Gets by identifier, not a List page */
	bool		listed;			/* its resources are known */
	bool		skipped;		/* its region was skipped: dropped */
	bool		counted;		/* counted in fetched */
	bool		queued;			/* in the fetch's ready list, or current */
	int			outstanding;	/* its calls not settled yet */
	int			count;			/* resources (lookups: identifiers) */
	int			next_out;		/* the next resource to hand out */
	int			described;		/* resources whose calls were made */
	int		   *pending;		/* each resource's calls not settled yet */
	MemoryContext *rowcxt;		/* listed pages: each resource's calls and
								 * answers, or NULL */
	BedrockJson **summaries;	/* List entries; NULL for lookups */
	BedrockJson **gets;
	BedrockJson **tags;
	char	  **ids;			/* lookups: the identifiers */
	int		   *bulk;			/* tags_source 'tagging_api': per slice s,
								 * from bulk[s * SLICE], the resources whose
								 * tags its GetResources reads */
	int		   *nbulk;			/* per slice, how many */
} Page;

struct BedrockFetch
{
	BedrockClient *client;
	const BedrockScanPlan *plan;
	List	   *accounts;		/* of BedrockAccount *: those to call */
	int			page_size;
	MemoryContext cxt;			/* the fetch's own, for tokens */
	MemoryContext pages_cxt;	/* parent of the pages' contexts */
	BedrockCallSet *calls;
	bool		started;

	Target	   *targets;
	int			ntargets;
	long		fetched;		/* resources received so far */

	List	   *ready;			/* of Page *: first of their target, with the
								 * next resource complete */
	Page	   *current;
	Page	   *out_page;		/* the resource handed out last, whose */
	int			out_row;		/* answers go at the next call */
	double		idle_ms;		/* of earlier call sets (rescans) */
	long		detail_hits;	/* Gets answered by the detail cache */
	long		detail_misses;	/* and those it could have answered */
	uint64		handed;			/* rows handed out */
	bool		tagging_denied; /* GetResources was refused: per resource */
};

static void init_targets(BedrockFetch *f);
static bool fetch_next(BedrockFetch *f, BedrockFetchedItem *item,
					   bool *would_block);
static void start_targets(BedrockFetch *f);
static bool found_before(BedrockFetch *f, Page *p, int i);
static Page *new_page(BedrockFetch *f, Target *t);
static void submit(BedrockFetch *f, Page *p, BedrockCall *call, int index,
				   CallKind kind, bool urgent);
static bool tags_with_get(const BedrockScanPlan *plan, const char *id);
static void list_next_page(BedrockFetch *f, Target *t);
static void look_up(BedrockFetch *f, Target *t);
static void settled(BedrockFetch *f, BedrockCall *call);
static void take_list_page(BedrockFetch *f, Page *p, BedrockCall *call);
static void take_lookup(BedrockFetch *f, Page *p, int i, BedrockCall *call);
static void describe_more(BedrockFetch *f, Target *t);
static void describe(BedrockFetch *f, Page *p, int slice);
static void submit_tags(BedrockFetch *f, Page *p, int i, const char *arn);
static void take_bulk_tags(BedrockFetch *f, Page *p, int k, BedrockCall *call);
static char *detail_validator(BedrockFetch *f, Page *p, int i);
static char *validator_of(const char *status, size_t slen, const char *modified,
						  size_t mlen);
static BedrockJson *kept_get(BedrockFetch *f, Page *p, int i, const char *arn,
							 const char *validator);
static void keep_get(BedrockFetch *f, Page *p, int i, BedrockCall *call);
static void check_ready(BedrockFetch *f, Target *t);
static bool next_complete(Page *p);
static MemoryContext row_context(Page *p, int i);
static void release_row(BedrockFetch *f);
static void page_done(BedrockFetch *f, Page *p);
static void skip_region_targets(BedrockFetch *f, BedrockAccount *account,
								const char *region);
static void reopen_limited(BedrockFetch *f);
static void stop_if_limited(BedrockFetch *f);
static BedrockCall *in_account(BedrockCall *call, BedrockAccount *account);
static const char *page_arn(const BedrockScanPlan *plan, Page *page, int i);
static bool page_taggable(const BedrockScanPlan *plan, Page *page, int i);
static void summary_call(BedrockCall *call, const BedrockScanPlan *plan,
						 const char *region, BedrockJson *got);
static bool summary_matches(const BedrockScanPlan *plan, const char *region,
							BedrockJson *summary);
static BedrockJson *find_summary(const BedrockScanPlan *plan, BedrockCall *call,
								 const char *arn);

/* Start fetching for a scan; everything lives under parent. */
BedrockFetch *
bedrock_fetch_begin(BedrockClient *client, const BedrockScanPlan *plan,
					List *accounts, int page_size, MemoryContext parent)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "bedrock_fdw fetch",
											  ALLOCSET_SMALL_SIZES);
	BedrockFetch *f = MemoryContextAllocZero(cxt, sizeof(BedrockFetch));

	f->client = client;
	f->plan = plan;
	f->accounts = accounts;
	f->page_size = page_size;
	f->cxt = cxt;
	f->pages_cxt = AllocSetContextCreate(cxt, "bedrock_fdw pages",
										 ALLOCSET_SMALL_SIZES);
	f->calls = bedrock_calls_begin(client, cxt);
	init_targets(f);
	return f;
}

/*
 * One target per account, region and status (or per account and region for
 * lookups): the plan's regions that the account has.
 */
static void
init_targets(BedrockFetch *f)
{
	const BedrockScanPlan *plan = f->plan;
	bool		by_status = plan->status_filtered && !plan->direct;
	int			nstatus = by_status ? list_length(plan->statuses) : 1;
	ListCell   *ac;
	int			n = 0;

	f->ntargets = 0;
	if (!bedrock_scan_plan_is_empty(plan))
	{
		foreach(ac, f->accounts)
			f->ntargets += list_length(((BedrockAccount *) lfirst(ac))->regions) * nstatus;
	}
	f->targets = MemoryContextAllocZero(f->cxt, sizeof(Target) * Max(f->ntargets, 1));
	if (f->ntargets == 0)
		return;
	foreach(ac, f->accounts)
	{
		BedrockAccount *account = (BedrockAccount *) lfirst(ac);
		ListCell   *rc;

		if (account->failure)
			continue;
		foreach(rc, plan->regions)
		{
			const char *region = (const char *) lfirst(rc);
			int			s;
			ListCell   *arc;
			bool		found = false;

			/* the plan's regions, in its order, that this account has */
			foreach(arc, account->regions)
				found |= strcmp((char *) lfirst(arc), region) == 0;
			if (!found)
				continue;
			for (s = 0; s < nstatus; s++)
			{
				f->targets[n].account = account;
				f->targets[n].region = region;
				f->targets[n].status = by_status
					? (const char *) list_nth(plan->statuses, s) : NULL;
				dlist_init(&f->targets[n].pages);
				n++;
			}
		}
	}
	f->ntargets = n;
}

/*
 * Make a call (filled in by api.c) an account's: signed with its
 * credentials, named in messages.
 */
static BedrockCall *
in_account(BedrockCall *call, BedrockAccount *account)
{
	call->account = account->id;
	call->credentials = &account->credentials;
	return call;
}

/* Start over, for a rescan (a lookup scan may have new identifiers). */
void
bedrock_fetch_rescan(BedrockFetch *f, List *accounts)
{
	int			i;

	f->idle_ms += bedrock_calls_idle_ms(f->calls);
	bedrock_calls_end(f->calls);
	MemoryContextReset(f->pages_cxt);
	for (i = 0; i < f->ntargets; i++)
	{
		if (f->targets[i].next_token)
			pfree(f->targets[i].next_token);
	}
	pfree(f->targets);
	f->calls = bedrock_calls_begin(f->client, f->cxt);
	f->accounts = accounts;
	init_targets(f);
	f->ready = NIL;
	f->current = NULL;
	f->out_page = NULL;
	f->started = false;
	f->fetched = 0;
}

/* Abandon what is in flight, and release everything. */
void
bedrock_fetch_end(BedrockFetch *f)
{
	bedrock_calls_end(f->calls);
	MemoryContextDelete(f->cxt);
}

/* Milliseconds the scan waited with none of its calls in flight. */
double
bedrock_fetch_idle_ms(BedrockFetch *f)
{
	return f->idle_ms + bedrock_calls_idle_ms(f->calls);
}

/*
 * The next resource of the scan: its region, List summary (NULL for
 * lookups), Get answer and Tags answer (NULL when not needed).  Returns
 * false at the end.  The answers stay valid until the next call.
 */
bool
bedrock_fetch_next(BedrockFetch *f, BedrockFetchedItem *item)
{
	return fetch_next(f, item, NULL);
}

/*
 * The same without waiting, for an asynchronous scan: false with
 * *would_block set when no resource is ready yet (bedrock_fetch_wait_spec
 * says what to wait for); false with it clear at the end.
 */
bool
bedrock_fetch_next_nowait(BedrockFetch *f, BedrockFetchedItem *item,
						  bool *would_block)
{
	*would_block = false;
	return fetch_next(f, item, would_block);
}

/*
 * What an asynchronous scan waits for before its next resource: nothing
 * when one is ready (or the first calls are still to be made), else its
 * calls' progress.
 */
void
bedrock_fetch_wait_spec(BedrockFetch *f, BedrockWaitSpec *spec)
{
	if (!f->started || f->ready != NIL ||
		(f->current && next_complete(f->current)))
		spec->ready = true;
	bedrock_calls_wait_spec(f->calls, spec);
}

/* bedrock_fetch_next, waiting unless would_block is given. */
static bool
fetch_next(BedrockFetch *f, BedrockFetchedItem *item, bool *would_block)
{
	release_row(f);
	for (;;)
	{
		Page	   *p = f->current;
		BedrockCall *call;

		while (p && next_complete(p))
		{
			int			i = p->next_out++;

			/*
			 * A looked-up identifier that names nothing has no row, nor one
			 * that names a resource found already (its ARN and its name)
			 */
			if (p->lookups && (p->gets[i] == NULL || found_before(f, p, i)))
				continue;
			/* while rows go out, the calls in flight keep their slots busy */
			if (++f->handed % PUMP_EVERY == 0)
				bedrock_calls_pump(f->calls);
			item->region = p->region;
			item->account = p->account->id;
			item->summary = p->summaries ? p->summaries[i] : NULL;
			item->got = p->gets ? p->gets[i] : NULL;
			item->tags = p->tags ? p->tags[i] : NULL;
			f->out_page = p;
			f->out_row = i;
			return true;
		}
		if (p)
		{
			/* out, or waiting for its next resource: back to its target */
			f->current = NULL;
			p->queued = false;
			check_ready(f, p->target);
		}
		if (!f->started)
		{
			f->started = true;
			start_targets(f);
		}
		if (f->ready != NIL)
		{
			f->current = (Page *) linitial(f->ready);
			f->ready = list_delete_first(f->ready);
			continue;
		}
		call = would_block ? bedrock_calls_next_nowait(f->calls, would_block)
			: bedrock_calls_next(f->calls);
		if (call == NULL)
			return false;
		settled(f, call);
	}
}

/* Whether a page's next resource can be handed out. */
static bool
next_complete(Page *p)
{
	return !p->skipped && p->next_out < p->described &&
		(p->pending == NULL || p->pending[p->next_out] == 0);
}

/*
 * The memory of a listed page's i-th resource's calls and answers, made on
 * first use; the page's own for a lookup page (whose earlier answers
 * found_before reads) or a page-wide call.
 */
static MemoryContext
row_context(Page *p, int i)
{
	if (p->rowcxt == NULL || i < 0)
		return p->cxt;
	if (p->rowcxt[i] == NULL)
		p->rowcxt[i] = AllocSetContextCreate(p->cxt, "bedrock_fdw resource",
											 ALLOCSET_SMALL_SIZES);
	return p->rowcxt[i];
}

/* Free the answers of the resource handed out last: the caller is done. */
static void
release_row(BedrockFetch *f)
{
	Page	   *p = f->out_page;
	int			i = f->out_row;

	f->out_page = NULL;
	if (p == NULL || p->rowcxt == NULL || p->rowcxt[i] == NULL)
		return;
	MemoryContextDelete(p->rowcxt[i]);
	p->rowcxt[i] = NULL;
	if (p->gets)
		p->gets[i] = NULL;
	if (p->tags)
		p->tags[i] = NULL;
}

/* Whether a lookup page's i-th resource is one of an earlier identifier. */
static bool
found_before(BedrockFetch *f, Page *p, int i)
{
	const char *arn = page_arn(f->plan, p, i);
	int			j;

	for (j = 0; j < i; j++)
	{
		if (p->gets[j] && strcmp(page_arn(f->plan, p, j), arn) == 0)
			return true;
	}
	return false;
}

/* The first calls of every target. */
static void
start_targets(BedrockFetch *f)
{
	int			i;

	for (i = 0; i < f->ntargets; i++)
	{
		if (f->plan->direct)
			look_up(f, &f->targets[i]);
		else
			list_next_page(f, &f->targets[i]);
	}
}

/* A new page of a target, last in its order. */
static Page *
new_page(BedrockFetch *f, Target *t)
{
	MemoryContext cxt = AllocSetContextCreate(f->pages_cxt, "bedrock_fdw page",
											  ALLOCSET_DEFAULT_SIZES);
	Page	   *p = MemoryContextAllocZero(cxt, sizeof(Page));

	p->target = t;
	p->account = t->account;
	p->region = t->region;
	p->cxt = cxt;
	dlist_push_tail(&t->pages, &p->node);
	t->npages++;
	return p;
}

/*
 * Submit a call of a page (filled in by api.c, in the page's memory), for
 * its index-th resource and kind; what it allocates is the page's.
 */
static void
submit(BedrockFetch *f, Page *p, BedrockCall *call, int index, CallKind kind,
	   bool urgent)
{
	bool		per_resource = (kind != CALL_LIST && kind != CALL_BULK_TAGS);
	MemoryContext old = MemoryContextSwitchTo(row_context(p, per_resource ? index : -1));

	call->owner = p;
	call->slot = index * NKINDS + kind;
	in_account(call, p->account);
	p->outstanding++;
	if (per_resource)
		p->pending[index]++;
	if (kind != CALL_LIST)
		p->target->describing++;
	bedrock_calls_submit(f->calls, call, urgent);
	MemoryContextSwitchTo(old);
}

/*
 * Ask for a target's next List page, unless it is finished, one is out
 * already, it is PAGES_AHEAD pages ahead of what was handed out, or its
 * pages still have more than two waves of per-resource calls to make (the
 * next page would only wait in memory; it goes out while the last two
 * waves run, so the slots never go idle).  List calls are urgent: they find
 * the work of the calls that follow.
 */
static void
list_next_page(BedrockFetch *f, Target *t)
{
	const BedrockScanPlan *plan = f->plan;
	BedrockListParams params;
	Page	   *p;
	BedrockCall *call;
	MemoryContext old;

	if (t->finished || t->listing || t->npages >= PAGES_AHEAD ||
		t->describing > 2 * f->client->options->max_concurrency)
		return;
	p = new_page(f, t);
	old = MemoryContextSwitchTo(p->cxt);
	call = palloc0(sizeof(BedrockCall));
	memset(&params, 0, sizeof(params));
	params.resource = plan->resource;
	memcpy(params.equals, plan->equals, sizeof(params.equals));
	params.status = t->status;
	params.created_after = plan->created_after;
	params.created_before = plan->created_before;
	params.name_contains = plan->name_contains;
	params.sort_order = plan->sort_order;
	params.next_token = t->next_token;
	params.max_results = plan->limit > 0
		? Min(f->page_size, plan->limit) : f->page_size;
	bedrock_api_list_call(call, t->region, &params);
	MemoryContextSwitchTo(old);
	t->listing = true;
	submit(f, p, call, 0, CALL_LIST, true);
}

/*
 * A target's lookups, in one page: a Get per identifier (an ARN in the
 * region and account it names, a name everywhere), and the Tags of an ARN
 * at the same time unless only some rows are taggable (then they come once
 * the Get says which).
 */
static void
look_up(BedrockFetch *f, Target *t)
{
	const BedrockScanPlan *plan = f->plan;
	int			n = list_length(plan->ids);
	Page	   *p = new_page(f, t);
	MemoryContext old = MemoryContextSwitchTo(p->cxt);
	ListCell   *ic;
	int			i;

	p->lookups = true;
	p->listed = true;
	p->ids = palloc0(sizeof(char *) * Max(n, 1));
	p->gets = palloc0(sizeof(BedrockJson *) * Max(n, 1));
	p->pending = palloc0(sizeof(int) * Max(n, 1));
	if (plan->need_tags)
		p->tags = palloc0(sizeof(BedrockJson *) * Max(n, 1));
	if (plan->need_summary)
		p->summaries = palloc0(sizeof(BedrockJson *) * Max(n, 1));
	foreach(ic, plan->ids)
	{
		const char *id = (const char *) lfirst(ic);
		char	   *arn_region = strncmp(id, "arn:", 4) == 0
			? bedrock_arn_field(id, 3) : NULL;
		char	   *arn_account = arn_region ? bedrock_arn_field(id, 4) : NULL;

		if (arn_region && strcmp(arn_region, t->region) != 0)
			continue;
		if (arn_account && t->account->id &&
			strcmp(arn_account, t->account->id) != 0)
			continue;
		p->ids[p->count++] = (char *) id;
	}
	t->finished = true;
	p->described = p->count;
	for (i = 0; i < p->count; i++)
	{
		BedrockCall *get = palloc0(sizeof(BedrockCall));

		bedrock_api_get_call(get, plan->resource, t->region, p->ids[i], true);
		submit(f, p, get, i, CALL_GET, false);
		if (tags_with_get(plan, p->ids[i]))
		{
			BedrockCall *tags = palloc0(sizeof(BedrockCall));

			bedrock_api_tags_call(tags, t->region, p->ids[i]);
			tags->missing_ok = true;
			submit(f, p, tags, i, CALL_TAGS, false);
		}
	}
	MemoryContextSwitchTo(old);
	check_ready(f, t);
}

/*
 * Whether a lookup's Tags call goes out with its Get: when the identifier
 * is an ARN, and every row of the table has the account's tags.
 */
static bool
tags_with_get(const BedrockScanPlan *plan, const char *id)
{
	return plan->need_tags && plan->resource->tag_column == NULL &&
		strncmp(id, "arn:", 4) == 0;
}

/* Act on a settled call of the scan. */
static void
settled(BedrockFetch *f, BedrockCall *call)
{
	const BedrockScanPlan *plan = f->plan;
	Page	   *p = (Page *) call->owner;
	int			i = call->slot / NKINDS;
	CallKind	kind = (CallKind) (call->slot % NKINDS);
	bool		per_resource = (kind != CALL_LIST && kind != CALL_BULK_TAGS);
	MemoryContext old = MemoryContextSwitchTo(row_context(p, per_resource ? i : -1));
	int			j;

	p->outstanding--;
	if (kind != CALL_LIST)
		p->target->describing--;
	if (kind == CALL_BULK_TAGS && call->denied)
		take_bulk_tags(f, p, i, call);
	else if (call->skipped)
	{
		/* its rows not handed out yet will not come: nor count to a LIMIT */
		p->skipped = true;
		if (p->counted)
			f->fetched -= p->count - p->next_out;
		p->counted = false;
		p->listed = true;
		p->target->listing = false;
		skip_region_targets(f, p->account, p->region);
		reopen_limited(f);
	}
	else
	{
		switch (kind)
		{
			case CALL_LIST:
				take_list_page(f, p, call);
				break;
			case CALL_GET:
				if (p->lookups)
					take_lookup(f, p, i, call);
				else
				{
					p->gets[i] = bedrock_api_get_result(call, plan->resource);
					keep_get(f, p, i, call);
				}
				break;
			case CALL_SUMMARY:
				p->summaries[i] = find_summary(plan, call, page_arn(plan, p, i));
				break;
			case CALL_TAGS:
				p->tags[i] = call->result;
				break;
			case CALL_BULK_TAGS:
				take_bulk_tags(f, p, i, call);
				break;
			case NKINDS:
				break;
		}
	}

	/*
	 * The answer is parsed (and kept by the detail cache): its bytes, most of
	 * a List page's memory after its tree, go now, not with the page.
	 */
	if (call->req && call->req->response)
	{
		pfree(call->req->response);
		call->req->response = NULL;
		call->req->response_len = 0;
	}
	/* the resources the call was for: one, or a GetResources' hundred */
	if (per_resource)
		p->pending[i]--;
	else if (kind == CALL_BULK_TAGS)
	{
		for (j = 0; j < p->nbulk[i]; j++)
			p->pending[p->bulk[i * SLICE + j]]--;
	}
	MemoryContextSwitchTo(old);
	list_next_page(f, p->target);
	check_ready(f, p->target);
}

/*
 * A List answer: the page's resources, the target's next token (and next
 * page, at once), the LIMIT's early stop, then the per-resource calls.
 */
static void
take_list_page(BedrockFetch *f, Page *p, BedrockCall *call)
{
	const BedrockScanPlan *plan = f->plan;
	Target	   *t = p->target;
	const char *token;
	BedrockJson *items = bedrock_api_list_result(call, plan->resource, &token);
	int			nitems = items ? bedrock_json_array_length(items) : 0;
	int			j;

	if (token && t->next_token && strcmp(token, t->next_token) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("Bedrock %s in region %s returned the same nextToken twice",
						call->op, t->region),
				 errdetail("Paging would not end.")));
	if (t->next_token)
		pfree(t->next_token);
	t->next_token = token ? MemoryContextStrdup(f->cxt, token) : NULL;
	/* a page out when the LIMIT was met: the target stays stopped */
	t->finished = (token == NULL) || t->limited;
	t->listing = false;

	p->listed = true;
	p->summaries = palloc0(sizeof(BedrockJson *) * Max(nitems, 1));
	for (j = 0; j < nitems; j++)
	{
		BedrockJson *summary = bedrock_json_array_element(items, j);

		if (summary == NULL ||
			bedrock_json_type(summary) != BEDROCK_JSON_OBJECT)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
					 errmsg("Bedrock %s in region %s returned a JSON %s as a %s summary, expected an object",
							call->op, t->region,
							summary ? bedrock_json_type_name(summary) : "null",
							plan->resource->noun)));
		if (summary_matches(plan, t->region, summary))
			p->summaries[p->count++] = summary;
	}
	p->counted = true;
	f->fetched += p->count;
	t->fetched += p->count;

	/* sorted by the API, a target's first LIMIT rows are all it needs */
	if (plan->limit > 0 && plan->sort_order != 0 && t->fetched >= plan->limit)
		t->finished = true;
	stop_if_limited(f);
	if (p->count > 0 && (plan->need_get || plan->need_tags))
	{
		p->pending = palloc0(sizeof(int) * p->count);
		p->rowcxt = palloc0(sizeof(MemoryContext) * p->count);
		if (plan->need_get)
			p->gets = palloc0(sizeof(BedrockJson *) * p->count);
		if (plan->need_tags)
			p->tags = palloc0(sizeof(BedrockJson *) * p->count);
		describe_more(f, t);
	}
	else
		p->described = p->count;	/* nothing to ask about them */
	list_next_page(f, t);
}

/* Unsorted, any LIMIT rows will do: no target asks for more. */
static void
stop_if_limited(BedrockFetch *f)
{
	int			i;

	if (f->plan->limit <= 0 || f->plan->sort_order != 0 ||
		f->fetched < f->plan->limit)
		return;
	for (i = 0; i < f->ntargets; i++)
	{
		if (!f->targets[i].finished)
			f->targets[i].finished = f->targets[i].limited = true;
	}
}

/*
 * Make the per-resource calls of a target's listed pages, in order, a slice
 * at a time: while its calls are down to two waves (so the slots never go
 * idle), and no more than two slices ahead of what was handed out (so a
 * page of 1,000 holds the calls and answers of about 200, whether its
 * resources need calls or the detail cache has them).
 */
static void
describe_more(BedrockFetch *f, Target *t)
{
	dlist_iter	it;

	dlist_foreach(it, &t->pages)
	{
		Page	   *p = dlist_container(Page, node, it.cur);

		if (!p->listed || p->skipped)
			return;
		while (p->described < p->count)
		{
			if (t->describing > 2 * f->client->options->max_concurrency ||
				p->described - p->next_out >= 2 * SLICE)
				return;
			describe(f, p, p->described / SLICE);
		}
	}
}

/* The per-resource calls (Get, Tags) of a listed page's slice. */
static void
describe(BedrockFetch *f, Page *p, int slice)
{
	const BedrockScanPlan *plan = f->plan;
	int			end = Min(p->count, (slice + 1) * SLICE);
	MemoryContext old = MemoryContextSwitchTo(p->cxt);
	int			i;

	for (i = slice * SLICE; i < end; i++)
	{
		const char *arn = page_arn(plan, p, i);

		if (plan->need_get)
		{
			char	   *validator = detail_validator(f, p, i);

			if (validator)
			{
				MemoryContextSwitchTo(row_context(p, i));
				p->gets[i] = kept_get(f, p, i, arn, validator);
				MemoryContextSwitchTo(p->cxt);
			}
			if (p->gets[i] == NULL)
			{
				BedrockCall *get = palloc0(sizeof(BedrockCall));

				bedrock_api_get_call(get, plan->resource, p->region, arn, false);
				submit(f, p, get, i, CALL_GET, false);
			}
		}
		if (plan->need_tags && page_taggable(plan, p, i))
		{
			if (f->client->options->tags_from_tagging_api && !f->tagging_denied)
			{
				if (p->bulk == NULL)
				{
					p->bulk = palloc(sizeof(int) * p->count);
					p->nbulk = palloc0(sizeof(int) * (p->count / SLICE + 1));
				}
				p->bulk[slice * SLICE + p->nbulk[slice]++] = i;
			}
			else
				submit_tags(f, p, i, arn);
		}
	}
	p->described = end;

	/* tags_source 'tagging_api': one GetResources for the slice */
	if (p->nbulk && p->nbulk[slice] > 0)
	{
		int			n = p->nbulk[slice];
		char	  **arns = palloc(sizeof(char *) * n);
		BedrockCall *call = palloc0(sizeof(BedrockCall));
		int			j;

		for (j = 0; j < n; j++)
		{
			arns[j] = (char *) page_arn(plan, p, p->bulk[slice * SLICE + j]);
			p->pending[p->bulk[slice * SLICE + j]]++;
		}
		bedrock_api_bulk_tags_call(call, f->client->options->tagging_endpoint,
								   p->region, arns, n);
		submit(f, p, call, slice, CALL_BULK_TAGS, false);
	}
	MemoryContextSwitchTo(old);
}

/* A resource's ListTagsForResource call. */
static void
submit_tags(BedrockFetch *f, Page *p, int i, const char *arn)
{
	BedrockCall *tags = palloc0(sizeof(BedrockCall));

	bedrock_api_tags_call(tags, p->region, arn);
	submit(f, p, tags, i, CALL_TAGS, false);
}

/*
 * A GetResources answer for the page's k-th slice: each resource's
 * mapping, and no tags for those it leaves out (it returns only resources
 * that have tags).  When refused (no tag:GetResources), one WARNING, and
 * these and all later resources of the scan get ListTagsForResource.
 */
static void
take_bulk_tags(BedrockFetch *f, Page *p, int k, BedrockCall *call)
{
	const BedrockScanPlan *plan = f->plan;
	int			first = k * SLICE;
	int			n = p->nbulk[k];
	BedrockJson *list;
	BedrockJson *none;
	const char **arns;
	const char *why;
	int			nlist;
	int			e;
	int			j;

	if (call->denied)
	{
		if (!f->tagging_denied)
			ereport(WARNING,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("could not read tags with the Resource Groups Tagging API in region %s: %s",
							p->region, bedrock_call_failure(call)),
					 errdetail("The scan reads each resource's tags with ListTagsForResource instead."),
					 errhint("Allow tag:GetResources, or set the server option \"tags_source\" to 'per_resource'.")));
		f->tagging_denied = true;
		for (j = 0; j < n; j++)
			submit_tags(f, p, p->bulk[first + j], page_arn(plan, p, p->bulk[first + j]));
		return;
	}
	none = bedrock_json_parse("{}", 2, &why);
	arns = palloc(sizeof(char *) * n);
	for (j = 0; j < n; j++)
	{
		p->tags[p->bulk[first + j]] = none;
		arns[j] = page_arn(plan, p, p->bulk[first + j]);
	}
	list = bedrock_api_bulk_tags_result(call);
	nlist = list ? bedrock_json_array_length(list) : 0;
	for (e = 0; e < nlist; e++)
	{
		BedrockJson *mapping = bedrock_json_array_element(list, e);
		size_t		len;
		const char *arn = bedrock_json_string(bedrock_json_member(mapping, "ResourceARN"), &len);

		if (arn == NULL || bedrock_json_type(mapping) != BEDROCK_JSON_OBJECT)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
					 errmsg("Resource Groups Tagging API GetResources in region %s returned a mapping without ResourceARN",
							p->region)));
		for (j = 0; j < n; j++)
		{
			if (strlen(arns[j]) == len && memcmp(arns[j], arn, len) == 0)
				p->tags[p->bulk[first + j]] = mapping;
		}
	}
}

/*
 * What a listed resource's kept Get answer must have been kept with: its
 * summary's status and modification time, when the status is one in which
 * the resource does not change.  NULL when its Get answer is not kept.
 */
static char *
detail_validator(BedrockFetch *f, Page *p, int i)
{
	const BedrockResource *res = f->plan->resource;
	const char *status_member;
	const char *status;
	const char *modified;
	size_t		slen;
	size_t		mlen;
	int			k;

	if (f->client->cache_identity == NULL || res->modified_member == NULL ||
		f->plan->status_col < 0 || p->summaries == NULL)
		return NULL;
	status_member = res->columns[f->plan->status_col].summary_member;
	status = bedrock_json_string(bedrock_json_member(p->summaries[i], status_member), &slen);
	modified = bedrock_json_string(bedrock_json_member(p->summaries[i], res->modified_member),
								   &mlen);
	if (status == NULL || modified == NULL)
		return NULL;
	for (k = 0; res->terminal_statuses[k]; k++)
	{
		if (strlen(res->terminal_statuses[k]) == slen &&
			memcmp(res->terminal_statuses[k], status, slen) == 0)
			return validator_of(status, slen, modified, mlen);
	}
	return NULL;
}

/*
 * "status\ntime", the time in one form whatever form AWS sent it in; NULL
 * when it is no timestamp.
 */
static char *
validator_of(const char *status, size_t slen, const char *modified, size_t mlen)
{
	char		normal[BEDROCK_TIMESTAMP_BUFLEN];

	if (!bedrock_normalize_timestamp(modified, mlen, normal))
		return NULL;
	return psprintf("%.*s\n%s", (int) slen, status, normal);
}

/*
 * The kept Get answer of a listed resource, parsed as a Get answer, when
 * the cache holds one with the same validator; else NULL.
 */
static BedrockJson *
kept_get(BedrockFetch *f, Page *p, int i, const char *arn, const char *validator)
{
	const BedrockResource *res = f->plan->resource;
	BedrockCall kept;
	char	   *body;
	size_t		len;
	const char *why;

	if (!bedrock_detail_get(f->client->cache_identity, p->account->id, p->region,
							arn, validator, &body, &len))
	{
		f->detail_misses++;
		return NULL;
	}
	memset(&kept, 0, sizeof(kept));
	kept.op = res->get_op;
	kept.region = p->region;
	kept.result = bedrock_json_parse(body, len, &why);
	if (kept.result == NULL || bedrock_json_type(kept.result) != BEDROCK_JSON_OBJECT)
		return NULL;			/* stored from a parsed answer: cannot be */
	f->detail_hits++;
	return bedrock_api_get_result(&kept, res);
}

/*
 * Keep a listed resource's Get answer when its summary says it no longer
 * changes, and the answer itself agrees with the summary on status and
 * modification time (so it was not read before the last change).
 */
static void
keep_get(BedrockFetch *f, Page *p, int i, BedrockCall *call)
{
	const BedrockResource *res = f->plan->resource;
	char	   *validator = detail_validator(f, p, i);
	const char *status_member;
	char	   *got_validator;
	size_t		slen;
	size_t		mlen;
	const char *status;
	const char *modified;

	if (validator == NULL || p->gets[i] == NULL || call->from_cache)
		return;
	status_member = res->columns[f->plan->status_col].get_member;
	status = bedrock_json_string(bedrock_json_member(p->gets[i], status_member), &slen);
	modified = bedrock_json_string(bedrock_json_member(p->gets[i], res->modified_member),
								   &mlen);
	if (status == NULL || modified == NULL)
		return;
	got_validator = validator_of(status, slen, modified, mlen);
	if (got_validator && strcmp(got_validator, validator) == 0)
		bedrock_detail_put(f->client->cache_identity, p->account->id, p->region,
						   page_arn(f->plan, p, i), validator,
						   call->req->response, call->req->response_len);
}

/* How many of the scan's Gets the detail cache answered, and missed. */
void
bedrock_fetch_detail_counts(BedrockFetch *f, long *hits, long *misses)
{
	*hits = f->detail_hits;
	*misses = f->detail_misses;
}

/*
 * A looked-up resource's Get answer: when it exists, the calls that need
 * it: its List summary, and its Tags when the Get says it has some.
 */
static void
take_lookup(BedrockFetch *f, Page *p, int i, BedrockCall *call)
{
	const BedrockScanPlan *plan = f->plan;

	p->gets[i] = bedrock_api_get_result(call, plan->resource);
	if (p->gets[i] == NULL)
		return;					/* no such resource */
	if (plan->need_summary)
	{
		BedrockCall *s = palloc0(sizeof(BedrockCall));

		summary_call(s, plan, p->region, p->gets[i]);
		submit(f, p, s, i, CALL_SUMMARY, false);
	}
	if (plan->need_tags && !tags_with_get(plan, p->ids[i]) &&
		page_taggable(plan, p, i))
	{
		BedrockCall *t = palloc0(sizeof(BedrockCall));

		bedrock_api_tags_call(t, p->region, page_arn(plan, p, i));
		submit(f, p, t, i, CALL_TAGS, false);
	}
}

/*
 * Queue a target's first page for handing out once its next resource is
 * complete; free it once all are out, or once the calls of a skipped
 * region's page have settled.
 */
static void
check_ready(BedrockFetch *f, Target *t)
{
	describe_more(f, t);
	while (!dlist_is_empty(&t->pages))
	{
		Page	   *p = dlist_head_element(Page, node, &t->pages);

		if (!p->listed || p->queued)
			return;
		if (p->skipped || p->next_out >= p->count)
		{
			if (p->outstanding > 0)
				return;
			page_done(f, p);
			continue;
		}
		if (!next_complete(p))
			return;
		p->queued = true;
		f->ready = lappend(f->ready, p);
		return;
	}
}

/* A page handed out or dropped: free it, and let its target go on. */
static void
page_done(BedrockFetch *f, Page *p)
{
	Target	   *t = p->target;

	dlist_delete(&p->node);
	t->npages--;
	MemoryContextDelete(p->cxt);
	list_next_page(f, t);
	check_ready(f, t);
}

/*
 * After a skipped region took back its rows, the LIMIT may no longer be
 * met: the targets that stopped only because of it go on.
 */
static void
reopen_limited(BedrockFetch *f)
{
	int			i;

	if (f->fetched >= f->plan->limit)
		return;
	for (i = 0; i < f->ntargets; i++)
	{
		Target	   *t = &f->targets[i];

		if (t->limited && !t->skipped && t->next_token != NULL)
		{
			t->finished = t->limited = false;
			list_next_page(f, t);
		}
	}
}

/* No more calls to an account's region that was skipped as unavailable. */
static void
skip_region_targets(BedrockFetch *f, BedrockAccount *account, const char *region)
{
	int			i;

	for (i = 0; i < f->ntargets; i++)
	{
		if (f->targets[i].account == account &&
			strcmp(f->targets[i].region, region) == 0)
			f->targets[i].finished = f->targets[i].skipped = true;
	}
}

/* The ARN of a page's i-th resource, from its summary or Get answer. */
static const char *
page_arn(const BedrockScanPlan *plan, Page *page, int i)
{
	char	   *arn = bedrock_column_value(plan->resource, plan->arn_col, page->region,
										   page->summaries ? page->summaries[i] : NULL,
										   page->gets ? page->gets[i] : NULL,
										   NULL);

	if (arn == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("Bedrock returned a %s without %s in region %s",
						plan->resource->noun,
						plan->resource->columns[plan->arn_col].summary_member,
						page->region)));
	return arn;
}

/*
 * Whether a page's i-th resource has tags of the account: those of a
 * resource with a tag column are AWS's own unless the column holds the tag
 * value (an application inference profile, a custom prompt router).
 */
static bool
page_taggable(const BedrockScanPlan *plan, Page *page, int i)
{
	const BedrockResource *res = plan->resource;
	char	   *value;

	if (res->tag_column == NULL)
		return true;
	value = bedrock_column_value(res, bedrock_resource_column(res, res->tag_column),
								 page->region,
								 page->summaries ? page->summaries[i] : NULL,
								 page->gets ? page->gets[i] : NULL, NULL);
	return value != NULL && strcmp(value, res->tag_value) == 0;
}

/*
 * A List call that finds a looked-up resource's summary: its name as the
 * contains filter, within a second of its time column (the planner asks for
 * it only when the resource has both filters).
 */
static void
summary_call(BedrockCall *call, const BedrockScanPlan *plan, const char *region,
			 BedrockJson *got)
{
	const BedrockResource *res = plan->resource;
	BedrockListParams params;
	char	   *created = bedrock_column_value(res, bedrock_resource_column(res, res->time_column),
											   region, NULL, got, NULL);

	memset(&params, 0, sizeof(params));
	params.resource = res;
	params.name_contains = bedrock_column_value(res, bedrock_resource_column(res, res->contains_column),
												region, NULL, got, NULL);
	/* a name the API would refuse as nameContains: the time window alone */
	if (params.name_contains &&
		!bedrock_value_accepted(&res->contains_check, params.name_contains))
		params.name_contains = NULL;
	params.max_results = 1000;
	if (created)
	{
		TimestampTz ts = DatumGetTimestampTz(DirectFunctionCall3(timestamptz_in,
																 CStringGetDatum(created),
																 ObjectIdGetDatum(InvalidOid),
																 Int32GetDatum(-1)));

		params.created_after = bedrock_api_timestamp(ts, true);
		params.created_before = bedrock_api_timestamp(ts, false);
	}
	bedrock_api_list_call(call, region, &params);
}

/* The summary with the given ARN in a List answer, or NULL. */
static BedrockJson *
find_summary(const BedrockScanPlan *plan, BedrockCall *call, const char *arn)
{
	const char *token;
	BedrockJson *items = bedrock_api_list_result(call, plan->resource, &token);
	int			n = items ? bedrock_json_array_length(items) : 0;
	int			i;

	for (i = 0; i < n; i++)
	{
		BedrockJson *item = bedrock_json_array_element(items, i);
		char	   *item_arn = bedrock_column_value(plan->resource, plan->arn_col,
													call->region, item, NULL, NULL);

		if (item_arn && strcmp(item_arn, arn) == 0)
			return item;
	}
	return NULL;
}

/* Whether a column's value is one of values (NIL: any value). */
static bool
value_in(const BedrockScanPlan *plan, int col, const char *region,
		 BedrockJson *summary, List *values)
{
	char	   *value;
	ListCell   *cell;

	if (values == NIL || col < 0)
		return true;
	value = bedrock_column_value(plan->resource, col, region, summary, NULL, NULL);
	if (value == NULL)
		return false;			/* NULL = x is never true */
	foreach(cell, values)
	{
		if (strcmp(value, (char *) lfirst(cell)) == 0)
			return true;
	}
	return false;
}

/*
 * Whether a listed resource may meet the scan's equality conditions.  Those
 * columns of its row are the summary's, so one that does not is sure to be
 * filtered out by PostgreSQL: it needs no per-resource call.
 */
static bool
summary_matches(const BedrockScanPlan *plan, const char *region,
				BedrockJson *summary)
{
	int			i;

	for (i = 0; i < BEDROCK_MAX_EQUALS; i++)
	{
		if (!value_in(plan, plan->equals_col[i], region, summary,
					  plan->match_equals[i]))
			return false;
	}
	return value_in(plan, plan->status_col, region, summary, plan->match_statuses) &&
		value_in(plan, plan->arn_col, region, summary, plan->match_arns) &&
		value_in(plan, plan->id_col, region, summary, plan->match_names);
}
