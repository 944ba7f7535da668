/*-------------------------------------------------------------------------
 * accounts.c
 *	  Which accounts and regions a scan reaches.
 *
 * Without the server option accounts, a scan reaches the user mapping's own
 * account, in the server's regions.  With it, each account of the list, or
 * each ACTIVE account of the organization (Organizations ListAccounts, with
 * the user mapping's credentials: the management or a delegated
 * administrator account's), through the role role_name assumed in it, the
 * AssumeRole calls made concurrently (credentials.c caches them).
 *
 * regions 'all' means the regions enabled for each account (Account
 * ListRegions with that account's credentials: ENABLED and
 * ENABLED_BY_DEFAULT) where Bedrock runs (bedrock_service_regions).  When
 * the call is denied, the regions Bedrock runs in that every account has
 * enabled by default stand in, with a WARNING.  Account's ListRegions was
 * chosen over EC2's DescribeRegions: it speaks JSON (no second XML reader),
 * answers for a member account from the management account too, and says
 * what each region's opt-in status is.
 *
 * What the two control-plane calls answer is cached per backend for
 * CONTROL_CACHE_S, and dropped by any ALTER of a server or user mapping and
 * by bedrock_fdw_clear_cache(), as credentials are.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "bedrock_fdw.h"

#define CONTROL_CACHE_S		900
#define ORGANIZATIONS_ENDPOINT "https://organizations.us-east-1.amazonaws.com"
#define ACCOUNT_ENDPOINT "https://account.us-east-1.amazonaws.com"
#define CONTROL_REGION "us-east-1"

/* One cached answer: an organization's accounts, or an account's regions. */
typedef struct ControlEntry
{
	char	   *key;			/* "org <server> <umid>", "regions <account>" */
	List	   *values;			/* of char * */
	TimestampTz fetched;
} ControlEntry;

static List *control_cache = NIL;	/* of ControlEntry *, in control_cxt */
static MemoryContext control_cxt = NULL;
static uint64 control_generation = 0;

static List *cached(const char *key);
static List *copy_strings(List *strings);
static void remember(const char *key, List *values);
static List *organization_accounts(ForeignServer *server, UserMapping *user,
								   const BedrockServerOptions *opts);
static void discover_regions(const BedrockServerOptions *opts, List *accounts);
static List *default_service_regions(void);
static BedrockCall *control_call(BedrockCall *call, const char *service,
								 const char *op, const char *endpoint,
								 const char *signing_name, const char *path,
								 List *headers, const char *content_type,
								 const char *body);

/*
 * A copy of a list of strings in CurrentMemoryContext: what the cache holds
 * goes when a server changes, even during a scan that uses it.
 */
static List *
copy_strings(List *strings)
{
	List	   *copy = NIL;
	ListCell   *cell;

	foreach(cell, strings)
		copy = lappend(copy, pstrdup((char *) lfirst(cell)));
	return copy;
}

/* A cached answer still fresh, or NIL. */
static List *
cached(const char *key)
{
	ListCell   *cell;
	TimestampTz now = GetCurrentTimestamp();

	if (control_generation != bedrock_credentials_generation())
	{
		/* a server or user mapping changed, or the caches were cleared */
		if (control_cxt)
			MemoryContextReset(control_cxt);
		control_cache = NIL;
		control_generation = bedrock_credentials_generation();
		return NIL;
	}
	foreach(cell, control_cache)
	{
		ControlEntry *e = (ControlEntry *) lfirst(cell);

		if (strcmp(e->key, key) == 0 &&
			!TimestampDifferenceExceeds(e->fetched, now, CONTROL_CACHE_S * 1000))
			return e->values;
	}
	return NIL;
}

static void
remember(const char *key, List *values)
{
	MemoryContext old;
	ControlEntry *e;
	ListCell   *cell;

	if (control_cxt == NULL)
		control_cxt = AllocSetContextCreate(TopMemoryContext,
											"bedrock_fdw accounts and regions",
											ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(control_cxt);
	e = palloc0(sizeof(ControlEntry));
	e->key = pstrdup(key);
	foreach(cell, values)
		e->values = lappend(e->values, pstrdup((char *) lfirst(cell)));
	e->fetched = GetCurrentTimestamp();
	control_cache = lappend(control_cache, e);
	MemoryContextSwitchTo(old);
}

/* A signed JSON call to a control-plane service, in its home region. */
static BedrockCall *
control_call(BedrockCall *call, const char *service, const char *op,
			 const char *endpoint, const char *signing_name, const char *path,
			 List *headers, const char *content_type, const char *body)
{
	memset(call, 0, sizeof(*call));
	call->service = service;
	call->op = op;
	call->region = CONTROL_REGION;
	call->signing_name = signing_name;
	call->base_url = bedrock_endpoint_url(endpoint, CONTROL_REGION);
	call->method = "POST";
	call->path = path;
	call->headers = headers;
	call->content_type = content_type;
	call->body = body;
	call->format = BEDROCK_BODY_JSON;
	return call;
}

/*
 * The ACTIVE accounts of the organization (Organizations ListAccounts,
 * paged), asked with the user mapping's own credentials.
 */
static List *
organization_accounts(ForeignServer *server, UserMapping *user,
					  const BedrockServerOptions *opts)
{
	char	   *key = psprintf("org %u %u %u", server->serverid, user->umid, user->userid);
	List	   *ids = cached(key);
	BedrockServerOptions control_opts = *opts;
	BedrockCredentials base;
	BedrockClient client;
	char	   *token = NULL;
	int			pages = 0;

	if (ids != NIL)
		return ids;
	control_opts.cache_ttl = 0;
	control_opts.skip_unavailable_regions = false;
	bedrock_get_credentials(server, user, opts, &base);
	memset(&client, 0, sizeof(client));
	client.options = &control_opts;
	client.credentials = &base;
	client.retry_tokens = BEDROCK_RETRY_TOKENS;

	PG_TRY();
	{
		do
		{
			BedrockCall call;
			StringInfoData body;
			BedrockJson *list;
			BedrockJson *next;
			size_t		len;
			int			i,
						n;

			initStringInfo(&body);
			appendStringInfoString(&body, "{\"MaxResults\":20");
			if (token)
			{
				appendStringInfoString(&body, ",\"NextToken\":");
				escape_json(&body, token);
			}
			appendStringInfoChar(&body, '}');
			control_call(&call, "Organizations", "ListAccounts",
						 opts->organizations_endpoint ? opts->organizations_endpoint
						 : ORGANIZATIONS_ENDPOINT,
						 "organizations", "/",
						 list_make1("X-Amz-Target: AWSOrganizationsV20161128.ListAccounts"),
						 "application/x-amz-json-1.1", body.data);
			bedrock_perform_calls(&client, &call, 1);

			list = bedrock_json_member(call.result, "Accounts");
			n = list ? bedrock_json_array_length(list) : 0;
			if (list && n < 0)
				ereport(ERROR,
						(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
						 errmsg("Organizations ListAccounts returned a JSON %s for Accounts, expected an array",
								bedrock_json_type_name(list))));
			for (i = 0; i < n; i++)
			{
				BedrockJson *acct = bedrock_json_array_element(list, i);
				const char *id = bedrock_json_string(bedrock_json_member(acct, "Id"), &len);
				const char *state = bedrock_json_string(bedrock_json_member(acct, "State"), &len);
				const char *status = bedrock_json_string(bedrock_json_member(acct, "Status"), &len);

				if (id == NULL || strlen(id) != 12 || strspn(id, "0123456789") != 12)
					ereport(ERROR,
							(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
							 errmsg("Organizations ListAccounts returned an account without a 12-digit Id")));
				/* State replaces Status; either says whether it is ACTIVE */
				if (state == NULL)
					state = status;
				if (state && strcmp(state, "ACTIVE") == 0)
					ids = lappend(ids, pstrdup(id));
			}
			next = bedrock_json_member(call.result, "NextToken");
			token = NULL;
			if (next && bedrock_json_string(next, &len) && len > 0)
				token = pstrdup(bedrock_json_string(next, &len));
			if (++pages > 10000)
				ereport(ERROR,
						(errcode(ERRCODE_FDW_ERROR),
						 errmsg("Organizations ListAccounts did not stop paging")));
		} while (token);
	}
	PG_FINALLY();
	{
		bedrock_wipe_credentials(&base);
	}
	PG_END_TRY();
	remember(key, ids);
	return ids;
}

/* The regions Bedrock runs in that no account has to enable. */
static List *
default_service_regions(void)
{
	List	   *regions = NIL;
	int			i;

	for (i = 0; bedrock_service_regions[i].name; i++)
	{
		if (!bedrock_service_regions[i].opt_in)
			regions = lappend(regions, (char *) bedrock_service_regions[i].name);
	}
	return regions;
}

/*
 * regions 'all': each reachable account's regions, from the cache or from
 * Account ListRegions, the accounts asked concurrently page by page.
 */
static void
discover_regions(const BedrockServerOptions *opts, List *accounts)
{
	int			n = list_length(accounts);
	BedrockAccount **todo = palloc(sizeof(BedrockAccount *) * Max(n, 1));
	char	  **tokens = palloc0(sizeof(char *) * Max(n, 1));
	List	  **enabled = palloc0(sizeof(List *) * Max(n, 1));
	BedrockServerOptions control_opts = *opts;
	int			ntodo = 0;
	ListCell   *cell;
	int			i;

	foreach(cell, accounts)
	{
		BedrockAccount *a = (BedrockAccount *) lfirst(cell);
		List	   *known;

		if (a->failure)
			continue;
		known = cached(psprintf("regions %s", a->id ? a->id : "-"));
		if (known != NIL)
			a->regions = copy_strings(known);
		else
			todo[ntodo++] = a;
	}
	control_opts.cache_ttl = 0;
	control_opts.skip_unavailable_regions = false;

	while (ntodo > 0)
	{
		BedrockCall *calls = palloc0(sizeof(BedrockCall) * ntodo);
		BedrockClient client;
		int			next = 0;

		memset(&client, 0, sizeof(client));
		client.options = &control_opts;
		client.retry_tokens = BEDROCK_RETRY_TOKENS;
		for (i = 0; i < ntodo; i++)
		{
			StringInfoData body;

			initStringInfo(&body);
			appendStringInfoString(&body,
								   "{\"MaxResults\":50,\"RegionOptStatusContains\":[\"ENABLED\",\"ENABLED_BY_DEFAULT\"]");
			if (tokens[i])
			{
				appendStringInfoString(&body, ",\"NextToken\":");
				escape_json(&body, tokens[i]);
			}
			appendStringInfoChar(&body, '}');
			control_call(&calls[i], "Account", "ListRegions",
						 opts->account_endpoint ? opts->account_endpoint : ACCOUNT_ENDPOINT,
						 "account", "/listRegions", NIL, "application/json",
						 body.data);
			calls[i].account = todo[i]->id;
			calls[i].credentials = &todo[i]->credentials;
			calls[i].failure_ok = true;
		}
		bedrock_perform_calls(&client, calls, ntodo);

		for (i = 0; i < ntodo; i++)
		{
			BedrockAccount *a = todo[i];
			BedrockJson *list;
			BedrockJson *token;
			size_t		len;
			int			j,
						nregions;

			if (calls[i].skipped)
			{
				const char *code = bedrock_call_error_code(&calls[i]);

				if (code && strcmp(code, "AccessDeniedException") == 0)
				{
					ereport(WARNING,
							(errmsg("could not list the regions enabled in %s%s; using the regions Bedrock runs in that are enabled by default",
									a->id ? "account " : "the user mapping's account",
									a->id ? a->id : ""),
							 errdetail("%s.", bedrock_call_failure(&calls[i])),
							 errhint("Allow account:ListRegions, or list the regions in the server option \"regions\".")));
					/* not remembered: each scan asks again, and says so */
					a->regions = default_service_regions();
					continue;
				}
				else if (opts->skip_unavailable_regions)
				{
					a->failure = psprintf("Account ListRegions failed: %s",
										  bedrock_call_failure(&calls[i]));
					ereport(WARNING,
							(errmsg("skipping account %s: could not list its regions",
									a->id ? a->id : "of the user mapping"),
							 errdetail("%s.", a->failure)));
					continue;
				}
				else
					ereport(ERROR,
							(errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION),
							 errmsg("could not list the regions enabled in %s%s",
									a->id ? "account " : "the user mapping's account",
									a->id ? a->id : ""),
							 errdetail("%s.", bedrock_call_failure(&calls[i])),
							 errhint("Set the server option \"on_unavailable\" to 'warn' to skip it, or list the regions in the option \"regions\".")));
			}
			else
			{
				list = bedrock_json_member(calls[i].result, "Regions");
				nregions = list ? bedrock_json_array_length(list) : 0;
				if (list && nregions < 0)
					ereport(ERROR,
							(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
							 errmsg("Account ListRegions returned a JSON %s for Regions, expected an array",
									bedrock_json_type_name(list))));
				for (j = 0; j < nregions; j++)
				{
					BedrockJson *r = bedrock_json_array_element(list, j);
					const char *name = bedrock_json_string(bedrock_json_member(r, "RegionName"), &len);
					const char *status = bedrock_json_string(bedrock_json_member(r, "RegionOptStatus"), &len);

					if (name && status &&
						(strcmp(status, "ENABLED") == 0 ||
						 strcmp(status, "ENABLED_BY_DEFAULT") == 0))
						enabled[i] = lappend(enabled[i], pstrdup(name));
				}
				token = bedrock_json_member(calls[i].result, "NextToken");
				tokens[i] = token && bedrock_json_string(token, &len) && len > 0
					? pstrdup(bedrock_json_string(token, &len)) : NULL;
			}
			if (tokens[i])
			{
				todo[next] = a;
				tokens[next] = tokens[i];
				enabled[next++] = enabled[i];
				continue;
			}

			/* done: the enabled regions Bedrock runs in, in their order */
			for (j = 0; bedrock_service_regions[j].name; j++)
			{
				ListCell   *rc;

				foreach(rc, enabled[i])
				{
					if (strcmp((char *) lfirst(rc), bedrock_service_regions[j].name) == 0)
					{
						a->regions = lappend(a->regions, (char *) bedrock_service_regions[j].name);
						break;
					}
				}
			}
			remember(psprintf("regions %s", a->id ? a->id : "-"), a->regions);
		}
		ntodo = next;
	}
}

/*
 * The accounts a scan reaches (NIL: every one the server names; else those
 * of only, the account_id conditions' values), with their credentials and
 * regions, as a list of BedrockAccount in CurrentMemoryContext.  An account
 * that cannot be reached is an ERROR, or with on_unavailable 'warn' a
 * WARNING and an entry whose failure says why.
 */
List *
bedrock_scan_accounts(ForeignServer *server, UserMapping *user,
					  const BedrockServerOptions *opts, List *only)
{
	List	   *result = NIL;
	List	   *ids;
	const char *partition;
	const char *home = bedrock_home_region(opts);
	char	  **accounts;
	char	  **arns;
	char	  **failures;
	BedrockCredentials *creds;
	ListCell   *cell;
	int			n,
				i;

	if (!opts->accounts && !opts->organization)
	{
		BedrockAccount *a = palloc0(sizeof(BedrockAccount));

		bedrock_get_credentials(server, user, opts, &a->credentials);
		a->regions = opts->regions;
		result = list_make1(a);
		if (opts->all_regions)
			discover_regions(opts, result);
		return result;
	}

	ids = opts->organization ? organization_accounts(server, user, opts) : opts->accounts;
	n = 0;
	accounts = palloc(sizeof(char *) * Max(list_length(ids), 1));
	foreach(cell, ids)
	{
		char	   *id = (char *) lfirst(cell);

		if (only == NIL || list_member(only, makeString(id)))
			accounts[n++] = pstrdup(id);
	}
	partition = strncmp(home, "cn-", 3) == 0 ? "aws-cn"
		: strncmp(home, "us-gov-", 7) == 0 ? "aws-us-gov" : "aws";
	arns = palloc(sizeof(char *) * Max(n, 1));
	for (i = 0; i < n; i++)
		arns[i] = psprintf("arn:%s:iam::%s:role/%s", partition, accounts[i], opts->role_name);
	creds = palloc0(sizeof(BedrockCredentials) * Max(n, 1));
	failures = palloc0(sizeof(char *) * Max(n, 1));
	bedrock_get_account_credentials(server, user, opts, n, accounts, arns, creds, failures);

	for (i = 0; i < n; i++)
	{
		BedrockAccount *a = palloc0(sizeof(BedrockAccount));

		a->id = accounts[i];
		a->role_arn = arns[i];
		a->regions = opts->regions;
		if (failures[i])
		{
			a->failure = psprintf("AssumeRole of %s failed: %s", arns[i], failures[i]);
			if (!opts->skip_unavailable_regions)
				ereport(ERROR,
						(errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION),
						 errmsg("could not reach account %s", accounts[i]),
						 errdetail("STS AssumeRole of %s failed: %s.", arns[i], failures[i]),
						 errhint("Check that the role exists and trusts the user mapping's identity, or set the server option \"on_unavailable\" to 'warn' to skip the account.")));
			ereport(WARNING,
					(errmsg("skipping account %s: could not assume its role", accounts[i]),
					 errdetail("STS AssumeRole of %s failed: %s.", arns[i], failures[i])));
			a->regions = NIL;
		}
		else
			a->credentials = creds[i];
		result = lappend(result, a);
	}
	if (opts->all_regions)
		discover_regions(opts, result);
	return result;
}
