/*-------------------------------------------------------------------------
 * fetch.c
 *	  Fetching the resources of a scan in rounds of concurrent calls, with
 *	  memory bounded by pages, not by the number of resources.
 *
 * A scan has targets: one per region and statusEquals value (or one per
 * region for lookups by ARN or name).  Each round sends, in one concurrent
 * batch, the next List page of every unfinished target together with the
 * per-resource Get/Tags calls for the pages of the previous round.  So
 * regions and statuses are paged side by side, and per-resource calls overlap
 * the next List page.  A page's resources are handed out once their
 * per-resource answers are in.
 *
 * Rounds allocate in two contexts used in turn: a page made in round k is
 * described in round k+1 and handed out before round k+2, which is when its
 * context is reset.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "bedrock_fdw.h"

/* One (account, region, status) List sequence, or one region's lookups. */
typedef struct Target
{
	BedrockAccount *account;
	const char *region;
	const char *status;			/* statusEquals, or NULL */
	char	   *next_token;		/* in the fetch's context */
	bool		finished;
	bool		limited;		/* finished only because the LIMIT was met */
	bool		skipped;		/* its region was skipped as unavailable */
	long		fetched;		/* resources this target returned so far */
} Target;

/* Resources from one call, and their per-resource answers. */
typedef struct Page
{
	BedrockAccount *account;
	const char *region;
	int			count;
	BedrockJson **summaries;	/* List entries; NULL for lookups */
	BedrockJson **gets;
	BedrockJson **tags;
} Page;

/* The calls of one round, and the target each lookup or List call serves. */
typedef struct Round
{
	BedrockCall *calls;
	Target	  **call_target;	/* per call: its target, or NULL */
	int			ncalls;
	int			nlookups;		/* calls before this index describe pages */
	int			nsent;			/* calls performed */
} Round;

struct BedrockFetch
{
	BedrockClient *client;
	const BedrockScanPlan *plan;
	List	   *accounts;		/* of BedrockAccount *: those to call */
	int			page_size;
	MemoryContext cxt;			/* the fetch's own, for tokens */
	MemoryContext round_cxt[2];
	int			round;

	Target	   *targets;
	int			ntargets;
	long		fetched;		/* resources received so far */

	List	   *pending;		/* pages waiting for per-resource calls */
	List	   *ready;			/* pages whose resources can be handed out */
	Page	   *current;
	int			pos;
};

static void init_targets(BedrockFetch *f);
static bool run_round(BedrockFetch *f);
static void add_describe_calls(BedrockFetch *f, List *describing, Round *r);
static void add_target_calls(BedrockFetch *f, Round *r);
static void take_described_pages(BedrockFetch *f, List *describing, Round *r);
static void take_lookup_pages(BedrockFetch *f, Round *r);
static void take_list_pages(BedrockFetch *f, Round *r);
static bool needs_describe(BedrockFetch *f, Page *page);
static void add_page(BedrockFetch *f, Page *page);
static const char *page_arn(const BedrockScanPlan *plan, Page *page, int i);
static bool page_taggable(const BedrockScanPlan *plan, Page *page, int i);
static void skip_target_region(BedrockFetch *f, BedrockAccount *account,
							   const char *region);
static BedrockCall *in_account(BedrockCall *call, BedrockAccount *account);
static void reopen_limited(BedrockFetch *f);
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
	f->round_cxt[0] = AllocSetContextCreate(cxt, "bedrock_fdw round",
											ALLOCSET_DEFAULT_SIZES);
	f->round_cxt[1] = AllocSetContextCreate(cxt, "bedrock_fdw round",
											ALLOCSET_DEFAULT_SIZES);
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

	MemoryContextReset(f->round_cxt[0]);
	MemoryContextReset(f->round_cxt[1]);
	for (i = 0; i < f->ntargets; i++)
	{
		if (f->targets[i].next_token)
			pfree(f->targets[i].next_token);
	}
	pfree(f->targets);
	f->accounts = accounts;
	init_targets(f);
	f->pending = f->ready = NIL;
	f->current = NULL;
	f->pos = 0;
	f->round = 0;
	f->fetched = 0;
}

void
bedrock_fetch_end(BedrockFetch *f)
{
	MemoryContextDelete(f->cxt);
}

/*
 * The next resource of the scan: its region, List summary (NULL for
 * lookups), Get answer and Tags answer (NULL when not needed).  Returns
 * false at the end.  The answers stay valid until the next call.
 */
bool
bedrock_fetch_next(BedrockFetch *f, BedrockFetchedItem *item)
{
	for (;;)
	{
		if (f->current && f->pos < f->current->count)
		{
			Page	   *p = f->current;
			int			i = f->pos++;

			item->region = p->region;
			item->account = p->account->id;
			item->summary = p->summaries ? p->summaries[i] : NULL;
			item->got = p->gets ? p->gets[i] : NULL;
			item->tags = p->tags ? p->tags[i] : NULL;
			return true;
		}
		if (f->ready != NIL)
		{
			/* the list cell lives in a round context: copy the pointer out */
			f->current = (Page *) linitial(f->ready);
			f->ready = list_delete_first(f->ready);
			f->pos = 0;
			continue;
		}
		f->current = NULL;
		if (!run_round(f))
			return false;
	}
}

/* Whether a page's resources still need per-resource calls. */
static bool
needs_describe(BedrockFetch *f, Page *page)
{
	return page->count > 0 &&
		((f->plan->need_get && page->gets == NULL) ||
		 (f->plan->need_tags && page->tags == NULL) ||
		 (f->plan->need_summary && page->summaries == NULL));
}

static void
add_page(BedrockFetch *f, Page *page)
{
	if (!needs_describe(f, page))
		f->ready = lappend(f->ready, page);
	else
		f->pending = lappend(f->pending, page);
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
			t->finished = t->limited = false;
	}
}

/* No more calls to an account's region that was skipped as unavailable. */
static void
skip_target_region(BedrockFetch *f, BedrockAccount *account, const char *region)
{
	int			i;

	for (i = 0; i < f->ntargets; i++)
	{
		if (f->targets[i].account == account &&
			strcmp(f->targets[i].region, region) == 0)
			f->targets[i].finished = f->targets[i].skipped = true;
	}
}

/* Per-resource calls (Get, summary List, Tags) for the previous round's pages. */
static void
add_describe_calls(BedrockFetch *f, List *describing, Round *r)
{
	const BedrockScanPlan *plan = f->plan;
	ListCell   *lc;
	int			i;

	foreach(lc, describing)
	{
		Page	   *p = (Page *) lfirst(lc);
		bool		get = plan->need_get && p->gets == NULL;
		bool		summary = plan->need_summary && p->summaries == NULL;
		bool		tags = plan->need_tags && p->tags == NULL;

		for (i = 0; i < p->count; i++)
		{
			const char *arn = page_arn(plan, p, i);

			if (get)
			{
				bedrock_api_get_call(&r->calls[r->ncalls], plan->resource,
									 p->region, arn, false);
				in_account(&r->calls[r->ncalls++], p->account);
			}
			if (summary)
			{
				summary_call(&r->calls[r->ncalls], plan, p->region, p->gets[i]);
				in_account(&r->calls[r->ncalls++], p->account);
			}
			if (tags && page_taggable(plan, p, i))
			{
				bedrock_api_tags_call(&r->calls[r->ncalls], p->region, arn);
				in_account(&r->calls[r->ncalls++], p->account);
			}
		}
	}

}

/* The next page of every unfinished target, or its lookups. */
static void
add_target_calls(BedrockFetch *f, Round *r)
{
	const BedrockScanPlan *plan = f->plan;
	int			i;

	/* the next page of every target */
	for (i = 0; i < f->ntargets; i++)
	{
		Target	   *t = &f->targets[i];

		if (t->finished)
			continue;
		if (plan->direct)
		{
			ListCell   *ic;

			/* lookups: an ARN in its own region, a name in every region */
			foreach(ic, plan->ids)
			{
				const char *id = (const char *) lfirst(ic);
				char	   *arn_region = strncmp(id, "arn:", 4) == 0
					? bedrock_arn_field(id, 3) : NULL;

				char	   *arn_account = arn_region ? bedrock_arn_field(id, 4) : NULL;

				/* an ARN (of any service) in the region and account it names */
				if (arn_region && strcmp(arn_region, t->region) != 0)
					continue;
				if (arn_account && t->account->id &&
					strcmp(arn_account, t->account->id) != 0)
					continue;
				r->call_target[r->ncalls] = t;
				bedrock_api_get_call(&r->calls[r->ncalls], plan->resource,
									 t->region, id, true);
				in_account(&r->calls[r->ncalls++], t->account);

				/*
				 * An ARN is known already: its tags can come in the same
				 * round, unless only some rows are taggable (then they come
				 * once the Get says which).
				 */
				if (plan->need_tags && strncmp(id, "arn:", 4) == 0 &&
					plan->resource->tag_column == NULL)
				{
					r->call_target[r->ncalls] = t;
					bedrock_api_tags_call(&r->calls[r->ncalls], t->region, id);
					in_account(&r->calls[r->ncalls], t->account);
					r->calls[r->ncalls++].missing_ok = true;
				}
			}
			t->finished = true;
		}
		else
		{
			BedrockListParams params;

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
			r->call_target[r->ncalls] = t;
			bedrock_api_list_call(&r->calls[r->ncalls], t->region, &params);
			in_account(&r->calls[r->ncalls++], t->account);
		}
	}

}

/* The described pages: their per-resource answers, in call order; then ready. */
static void
take_described_pages(BedrockFetch *f, List *describing, Round *r)
{
	const BedrockScanPlan *plan = f->plan;
	ListCell   *lc;
	int			i;

	/* the described pages: fill in their answers, in call order */
	r->ncalls = 0;
	foreach(lc, describing)
	{
		Page	   *p = (Page *) lfirst(lc);
		bool		get = plan->need_get && p->gets == NULL;
		bool		summary = plan->need_summary && p->summaries == NULL;
		bool		tags = plan->need_tags && p->tags == NULL;
		bool		skipped = false;

		if (get)
			p->gets = palloc0(sizeof(BedrockJson *) * p->count);
		if (summary)
			p->summaries = palloc0(sizeof(BedrockJson *) * p->count);
		if (tags)
			p->tags = palloc0(sizeof(BedrockJson *) * p->count);
		for (i = 0; i < p->count; i++)
		{
			/* asked before this round's answers fill in, as when sent */
			bool		tagged = tags && page_taggable(plan, p, i);

			if (get)
			{
				skipped |= r->calls[r->ncalls].skipped;
				p->gets[i] = bedrock_api_get_result(&r->calls[r->ncalls++],
													plan->resource);
			}
			if (summary)
			{
				skipped |= r->calls[r->ncalls].skipped;
				if (!r->calls[r->ncalls].skipped)
					p->summaries[i] = find_summary(plan, &r->calls[r->ncalls],
												   page_arn(plan, p, i));
				r->ncalls++;
			}
			if (tagged)
			{
				skipped |= r->calls[r->ncalls].skipped;
				p->tags[i] = r->calls[r->ncalls++].result;
			}
		}
		if (skipped)
		{
			/* its rows will not come: they do not count towards a LIMIT */
			f->fetched -= p->count;
			skip_target_region(f, p->account, p->region);
			reopen_limited(f);
		}
		else
			f->ready = lappend(f->ready, p);
	}

}

/* Lookups: one page per region, of the resources that exist. */
static void
take_lookup_pages(BedrockFetch *f, Round *r)
{
	const BedrockScanPlan *plan = f->plan;
	int			i;

	for (i = 0; i < f->ntargets; i++)
	{
		Target	   *t = &f->targets[i];
		Page	   *p = NULL;
		int			c;

		for (c = r->nlookups; c < r->nsent; c++)
		{
			bool		with_tags;

			if (r->call_target[c] != t || strcmp(r->calls[c].op, "ListTagsForResource") == 0)
				continue;
			/* a Get, maybe followed by its resource's Tags call */
			with_tags = (c + 1 < r->nsent && r->call_target[c + 1] == t &&
						 strcmp(r->calls[c + 1].op, "ListTagsForResource") == 0);
			if (r->calls[c].result == NULL)
				continue;		/* no such resource */
			if (p == NULL)
			{
				int			n = list_length(plan->ids);

				p = palloc0(sizeof(Page));
				p->account = t->account;
				p->region = t->region;
				p->gets = palloc0(sizeof(BedrockJson *) * n);
				if (with_tags)
					p->tags = palloc0(sizeof(BedrockJson *) * n);
			}
			if (p->tags && with_tags)
				p->tags[p->count] = r->calls[c + 1].result;
			p->gets[p->count++] = bedrock_api_get_result(&r->calls[c], plan->resource);
		}
		if (p)
			add_page(f, p);
	}
}

/* List answers: a page each, the next tokens, and the LIMIT's early stop. */
static void
take_list_pages(BedrockFetch *f, Round *r)
{
	const BedrockScanPlan *plan = f->plan;
	int			i;

	for (i = r->nlookups; i < r->nsent; i++)
	{
		Target	   *t = r->call_target[i];
		BedrockJson *items;
		const char *token;
		Page	   *p;
		int			j;
		int			nitems;

		if (r->calls[i].skipped)
		{
			skip_target_region(f, t->account, t->region);
			continue;
		}
		items = bedrock_api_list_result(&r->calls[i], plan->resource, &token);
		if (token && t->next_token && strcmp(token, t->next_token) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_ERROR),
					 errmsg("Bedrock %s in region %s returned the same nextToken twice",
							r->calls[i].op, t->region),
					 errdetail("Paging would not end.")));
		if (t->next_token)
			pfree(t->next_token);
		t->next_token = token ? MemoryContextStrdup(f->cxt, token) : NULL;
		t->finished = (token == NULL);

		p = palloc0(sizeof(Page));
		p->account = t->account;
		p->region = t->region;
		nitems = items ? bedrock_json_array_length(items) : 0;
		p->summaries = palloc0(sizeof(BedrockJson *) * Max(nitems, 1));
		for (j = 0; j < nitems; j++)
		{
			BedrockJson *summary = bedrock_json_array_element(items, j);

			if (summary == NULL ||
				bedrock_json_type(summary) != BEDROCK_JSON_OBJECT)
				ereport(ERROR,
						(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
						 errmsg("Bedrock %s in region %s returned a JSON %s as a %s summary, expected an object",
								r->calls[i].op, t->region,
								summary ? bedrock_json_type_name(summary) : "null",
								plan->resource->noun)));
			if (summary_matches(plan, t->region, summary))
				p->summaries[p->count++] = summary;
		}
		add_page(f, p);
		f->fetched += p->count;
		t->fetched += p->count;

		/* sorted by the API, a target's first LIMIT rows are all it needs */
		if (plan->limit > 0 && plan->sort_order != 0 && t->fetched >= plan->limit)
			t->finished = true;
	}

	/* unsorted, any LIMIT rows will do */
	if (plan->limit > 0 && plan->sort_order == 0 && f->fetched >= plan->limit)
	{
		for (i = 0; i < f->ntargets; i++)
		{
			if (!f->targets[i].finished)
				f->targets[i].finished = f->targets[i].limited = true;
		}
	}
}

/*
 * One round of concurrent calls: per-resource calls for the previous round's
 * pages, and the next page of every target, in one batch.  Returns false
 * when there is nothing left to fetch.
 */
static bool
run_round(BedrockFetch *f)
{
	MemoryContext cxt = f->round_cxt[f->round % 2];
	MemoryContext oldcxt;
	List	   *describing = f->pending;
	Round		r;
	int			maxcalls = 0;
	ListCell   *lc;
	int			i;

	if (describing == NIL)
	{
		bool		any = false;

		for (i = 0; i < f->ntargets; i++)
			any |= !f->targets[i].finished;
		if (!any)
			return false;
	}

	/* the pages described now were made in the other context: keep it */
	MemoryContextReset(cxt);
	oldcxt = MemoryContextSwitchTo(cxt);
	f->round++;
	f->pending = NIL;
	f->ready = NIL;

	/* size the batch */
	foreach(lc, describing)
		maxcalls += ((Page *) lfirst(lc))->count * 3;
	for (i = 0; i < f->ntargets; i++)
		maxcalls += f->plan->direct ? list_length(f->plan->ids) * 2 : 1;
	memset(&r, 0, sizeof(r));
	r.calls = palloc0(sizeof(BedrockCall) * Max(maxcalls, 1));
	r.call_target = palloc0(sizeof(Target *) * Max(maxcalls, 1));

	add_describe_calls(f, describing, &r);
	r.nlookups = r.ncalls;
	add_target_calls(f, &r);
	bedrock_perform_calls(f->client, r.calls, r.ncalls);
	r.nsent = r.ncalls;

	take_described_pages(f, describing, &r);
	if (f->plan->direct)
		take_lookup_pages(f, &r);
	else
		take_list_pages(f, &r);

	MemoryContextSwitchTo(oldcxt);
	return true;
}
