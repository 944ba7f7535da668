/*-------------------------------------------------------------------------
 * credentials.c
 *	  Which AWS credentials a query uses: the chain of sources the AWS SDKs
 *	  try, who may use which, and a per-backend cache of what they yield.
 *
 * The chain, first source that yields wins:
 *	 1. the user mapping's access_key_id / secret_access_key / session_token;
 *	 2. a profile from the shared AWS files (profile.c);
 *	 3. the server process's environment: AWS_ACCESS_KEY_ID..., then the
 *		shared files' AWS_PROFILE or "default" profile, then
 *		AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN (sts.c);
 *	 4. ECS container credentials, 5. EC2 instance metadata (metadata.c).
 * A role_arn on the user mapping or server is then assumed through STS.
 *
 * Sources 2 to 5 are the PostgreSQL server's own identity.  As with
 * postgres_fdw's password_required, a non-superuser may only use them when
 * a superuser has allowed it: by naming a profile on that user's mapping
 * (only superusers can), or with the server option allow_ambient_credentials.
 *
 * Credentials as values are credvalue.c's.  Temporary credentials are
 * cached until shortly before they expire, and renewed then, or at once when
 * AWS answers ExpiredToken: the scan decides when (it gives call.c a
 * callback, bedrock_renew_credentials), so the transport below needs nothing
 * from this file.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <sys/stat.h>

#include "access/xact.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "utils/resowner.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "awstime.h"
#include "bedrock_fdw.h"

/* After a failed refresh of credentials still valid, wait this long. */
#define RETRY_REFRESH_MS	10000

typedef struct CacheKey
{
	Oid			umid;			/* the user mapping (maybe PUBLIC's) */
	Oid			userid;			/* the user it is used for */
	char		account[13];	/* a role assumed in this account, or "" */
} CacheKey;

typedef struct CacheEntry
{
	CacheKey	key;
	bool		valid;
	BedrockCredentials creds;	/* in cache_cxt */
	TimestampTz next_attempt;	/* after a failed refresh: not before */
} CacheEntry;

static HTAB *cache = NULL;
static MemoryContext cache_cxt = NULL;

/* bumped by every invalidation: a chain that ran across one is not cached */
static uint64 generation = 0;


static void invalidate_all(Datum arg, int cacheid, uint32 hashvalue);
static CacheEntry *cache_entry(UserMapping *user, const char *account);
static void check_allowed(ForeignServer *server, UserMapping *user,
						  const BedrockServerOptions *opts,
						  const BedrockCredentialOptions *copts);
static void resolve(ForeignServer *server, UserMapping *user,
					const BedrockServerOptions *opts,
					const BedrockCredentialOptions *copts,
					BedrockCredentials *creds);
static void run_chain(ForeignServer *server, UserMapping *user,
					  const BedrockServerOptions *opts,
					  const BedrockCredentialOptions *copts,
					  BedrockCredentials *creds);
static bool try_chain(ForeignServer *server, UserMapping *user,
					  const BedrockServerOptions *opts,
					  const BedrockCredentialOptions *copts,
					  BedrockCredentials *creds, ErrorData **error);
static bool web_identity_credentials(const BedrockServerOptions *opts,
									 BedrockCredentials *creds);

/* Any change to a server or user mapping drops every cached credential. */
static void
invalidate_all(Datum arg, int cacheid, uint32 hashvalue)
{
	HASH_SEQ_STATUS scan;
	CacheEntry *entry;

	generation++;
	if (cache == NULL)
		return;
	hash_seq_init(&scan, cache);
	while ((entry = hash_seq_search(&scan)) != NULL)
	{
		if (entry->valid)
			bedrock_wipe_credentials(&entry->creds);
		entry->valid = false;
	}
}

/*
 * A count of the invalidations so far: what is cached from a server's or
 * user mapping's options (accounts.c) is stale once it changes.
 */
uint64
bedrock_credentials_generation(void)
{
	return generation;
}

/* Forget every cached credential of this backend (the SQL function that clears the caches). */
void
bedrock_forget_credentials(void)
{
	invalidate_all((Datum) 0, 0, 0);
}

static CacheEntry *
cache_entry(UserMapping *user, const char *account)
{
	CacheKey	key;
	CacheEntry *entry;
	bool		found;

	if (cache == NULL)
	{
		static bool registered = false;
		HASHCTL		ctl;

		/* first, so that no cache can exist without its invalidation */
		if (!registered)
		{
			CacheRegisterSyscacheCallback(FOREIGNSERVEROID, invalidate_all, (Datum) 0);
			CacheRegisterSyscacheCallback(USERMAPPINGOID, invalidate_all, (Datum) 0);
			registered = true;
		}
		cache_cxt = AllocSetContextCreate(TopMemoryContext,
										  "bedrock_fdw credentials",
										  ALLOCSET_SMALL_SIZES);
		ctl.keysize = sizeof(CacheKey);
		ctl.entrysize = sizeof(CacheEntry);
		ctl.hcxt = cache_cxt;
		cache = hash_create("bedrock_fdw credentials", 16, &ctl,
							HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	memset(&key, 0, sizeof(key));
	key.umid = user->umid;
	key.userid = user->userid;
	if (account)
		strlcpy(key.account, account, sizeof(key.account));
	entry = hash_search(cache, &key, HASH_ENTER, &found);
	if (!found)
	{
		entry->valid = false;
		entry->next_attempt = 0;
	}
	return entry;
}

/*
 * Run the chain in a memory context of its own, so that what it leaves
 * behind (answers, parsed documents, profile values) goes when it ends,
 * ERROR or not; the result is copied into CurrentMemoryContext.
 */
static void
run_chain(ForeignServer *server, UserMapping *user,
		  const BedrockServerOptions *opts,
		  const BedrockCredentialOptions *copts, BedrockCredentials *creds)
{
	MemoryContext caller = CurrentMemoryContext;
	MemoryContext chain = AllocSetContextCreate(caller, "bedrock_fdw credential chain",
												ALLOCSET_DEFAULT_SIZES);
	BedrockCredentials result;

	memset(&result, 0, sizeof(result));
	PG_TRY();
	{
		MemoryContextSwitchTo(chain);
		resolve(server, user, opts, copts, &result);
		MemoryContextSwitchTo(caller);
		bedrock_copy_credentials(&result, creds, caller);
	}
	PG_FINALLY();
	{
		MemoryContextSwitchTo(caller);
		bedrock_wipe_credentials(&result);
		MemoryContextDelete(chain);
	}
	PG_END_TRY();
}

/*
 * Run the chain in a subtransaction, so that a failure, whatever raised it,
 * is rolled back cleanly; false, with *error set, when it failed.  A
 * cancel, a shutdown or running out of memory is not a failure: it goes on.
 */
static bool
try_chain(ForeignServer *server, UserMapping *user,
		  const BedrockServerOptions *opts,
		  const BedrockCredentialOptions *copts, BedrockCredentials *creds,
		  ErrorData **error)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	volatile bool ok = false;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		run_chain(server, user, opts, copts, creds);
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
		ok = true;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
		if (ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_OPERATOR_INTERVENTION ||
			edata->sqlerrcode == ERRCODE_OUT_OF_MEMORY)
			ReThrowError(edata);
		*error = edata;
	}
	PG_END_TRY();
	return ok;
}

/*
 * The credentials for a user mapping, copied into CurrentMemoryContext: from
 * the cache while they are fresh, else from the chain.  When a refresh of
 * credentials that have not expired yet fails, they are used until they do,
 * with a WARNING, and the refresh is tried again at most every 10 s.
 */
void
bedrock_get_credentials(ForeignServer *server, UserMapping *user,
						const BedrockServerOptions *opts,
						BedrockCredentials *creds)
{
	BedrockCredentialOptions copts;
	CacheEntry *entry;
	BedrockCredentials fresh;
	TimestampTz now = GetCurrentTimestamp();
	uint64		gen = generation;

	bedrock_get_credential_options(server, user, &copts);
	/* checked on every use: a user may have stopped being a superuser */
	check_allowed(server, user, opts, &copts);

	entry = cache_entry(user, NULL);
	if (entry->valid && !bedrock_credentials_expiring(&entry->creds))
	{
		bedrock_copy_credentials(&entry->creds, creds, CurrentMemoryContext);
		return;
	}

	/*
	 * A refresh of credentials that still work may fail softly.  That takes a
	 * subtransaction, which a parallel query cannot start.
	 */
	if (entry->valid && now < entry->creds.expiration && !IsInParallelMode())
	{
		ErrorData  *error = NULL;

		if (now < entry->next_attempt ||
			!try_chain(server, user, opts, &copts, &fresh, &error))
		{
			entry = cache_entry(user, NULL);
			/* the cached ones went meanwhile (ALTER elsewhere): fail */
			if (!entry->valid)
			{
				if (error)
					ReThrowError(error);
				run_chain(server, user, opts, &copts, &fresh);
				goto store;
			}
			if (error)
			{
				entry->next_attempt = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
																  RETRY_REFRESH_MS);
				ereport(WARNING,
						(errcode(error->sqlerrcode),
						 errmsg("could not refresh the AWS credentials from %s; using them until they expire",
								entry->creds.source),
						 errdetail_internal("%s.", error->message)));
				FreeErrorData(error);
			}
			bedrock_copy_credentials(&entry->creds, creds, CurrentMemoryContext);
			return;
		}
	}
	else
		run_chain(server, user, opts, &copts, &fresh);

store:

	/*
	 * Cached only if no server or user mapping changed while the chain ran:
	 * else they may come from options that are gone.
	 */
	entry = cache_entry(user, NULL);
	if (gen == generation)
	{
		if (entry->valid)
			bedrock_wipe_credentials(&entry->creds);
		bedrock_copy_credentials(&fresh, &entry->creds, cache_cxt);
		entry->valid = true;
		entry->next_attempt = 0;
	}
	bedrock_copy_credentials(&fresh, creds, CurrentMemoryContext);
	bedrock_wipe_credentials(&fresh);
}

/*
 * Renew a scan's credentials in place, in the memory they used: when they
 * are about to expire (expired false), or at once when AWS refused them as
 * expired (expired true).  Another scan may have renewed the cache
 * meanwhile.  The scan calls this through BedrockClient.refresh.
 */
void
bedrock_renew_credentials(ForeignServer *server, UserMapping *user,
						  const BedrockServerOptions *opts,
						  BedrockCredentials *creds, bool expired)
{
	MemoryContext cxt;
	MemoryContext old;
	CacheEntry *entry;
	BedrockCredentials fresh;

	if (!expired && !bedrock_credentials_expiring(creds))
		return;
	cxt = GetMemoryChunkContext(creds->access_key_id);
	old = MemoryContextSwitchTo(cxt);
	entry = cache_entry(user, NULL);

	/* refused: the cached copy goes too, unless it is newer than ours */
	if (expired && entry->valid && entry->creds.obtained <= creds->obtained)
	{
		bedrock_wipe_credentials(&entry->creds);
		entry->valid = false;
	}
	bedrock_get_credentials(server, user, opts, &fresh);
	bedrock_wipe_credentials(creds);
	*creds = fresh;
	MemoryContextSwitchTo(old);
}





/*
 * Credentials in each of n accounts: the role role_arns[i] in accounts[i],
 * assumed with the user mapping's own credentials (those of
 * bedrock_get_credentials), copied into CurrentMemoryContext.  Those cached
 * and fresh come from the cache; the others are assumed concurrently, one
 * AssumeRole each.  With failures NULL a refusal is an ERROR; else
 * failures[i] says why account i could not be reached.
 */
void
bedrock_get_account_credentials(ForeignServer *server, UserMapping *user,
								const BedrockServerOptions *opts, int n,
								char **accounts, char **role_arns,
								BedrockCredentials *creds, char **failures)
{
	BedrockCredentialOptions copts;
	BedrockCredentials base;
	BedrockCredentials *fresh = palloc0(sizeof(BedrockCredentials) * Max(n, 1));
	char	  **miss_arns = palloc(sizeof(char *) * Max(n, 1));
	char	  **miss_failures = palloc0(sizeof(char *) * Max(n, 1));
	int		   *miss = palloc(sizeof(int) * Max(n, 1));
	int			nmiss = 0;
	uint64		gen = generation;
	int			i;

	for (i = 0; i < n; i++)
	{
		CacheEntry *entry = cache_entry(user, accounts[i]);

		if (failures)
			failures[i] = NULL;
		if (entry->valid && !bedrock_credentials_expiring(&entry->creds))
			bedrock_copy_credentials(&entry->creds, &creds[i], CurrentMemoryContext);
		else
		{
			miss[nmiss] = i;
			miss_arns[nmiss++] = role_arns[i];
		}
	}
	if (nmiss == 0)
		return;

	/* the user mapping's own credentials, its rules checked */
	bedrock_get_credentials(server, user, opts, &base);
	bedrock_get_credential_options(server, user, &copts);
	PG_TRY();
	{
		bedrock_sts_assume_roles(opts, &base, nmiss, miss_arns, copts.external_id,
								 copts.role_session_name, copts.duration_seconds,
								 fresh, failures ? miss_failures : NULL);
	}
	PG_FINALLY();
	{
		bedrock_wipe_credentials(&base);
	}
	PG_END_TRY();

	for (i = 0; i < nmiss; i++)
	{
		int			k = miss[i];
		CacheEntry *entry;

		if (miss_failures[i])
		{
			failures[k] = miss_failures[i];
			continue;
		}
		/* cached only if no server or user mapping changed meanwhile */
		entry = cache_entry(user, accounts[k]);
		if (gen == generation)
		{
			if (entry->valid)
				bedrock_wipe_credentials(&entry->creds);
			bedrock_copy_credentials(&fresh[i], &entry->creds, cache_cxt);
			entry->valid = true;
			entry->next_attempt = 0;
		}
		bedrock_copy_credentials(&fresh[i], &creds[k], CurrentMemoryContext);
		bedrock_wipe_credentials(&fresh[i]);
	}
}

/*
 * Renew one account's credentials in place, as bedrock_renew_credentials
 * does the user mapping's own.
 */
void
bedrock_renew_account_credentials(ForeignServer *server, UserMapping *user,
								  const BedrockServerOptions *opts,
								  char *account, char *role_arn,
								  BedrockCredentials *creds, bool expired)
{
	MemoryContext old;
	CacheEntry *entry;
	BedrockCredentials fresh;

	if (!expired && !bedrock_credentials_expiring(creds))
		return;
	old = MemoryContextSwitchTo(GetMemoryChunkContext(creds->access_key_id));
	entry = cache_entry(user, account);
	if (expired && entry->valid && entry->creds.obtained <= creds->obtained)
	{
		bedrock_wipe_credentials(&entry->creds);
		entry->valid = false;
	}
	bedrock_get_account_credentials(server, user, opts, 1, &account, &role_arn,
									&fresh, NULL);
	bedrock_wipe_credentials(creds);
	*creds = fresh;
	MemoryContextSwitchTo(old);
}

/*
 * A non-superuser may act with the server's own AWS identity only when a
 * superuser allowed it: see the file header.
 */
static void
check_allowed(ForeignServer *server, UserMapping *user,
			  const BedrockServerOptions *opts,
			  const BedrockCredentialOptions *copts)
{
	const char *user_name;

	if (copts->access_key_id || copts->secret_access_key ||
		copts->profile_on_mapping || superuser_arg(user->userid))
		return;
	user_name = GetUserNameFromId(user->userid, true);
	if (user_name == NULL)
		user_name = "?";

	/*
	 * allow_ambient_credentials lends the server's identity as the superuser
	 * set it up, roles included: a role the user picks on their own mapping
	 * could be any role that identity may assume.
	 */
	if (opts->allow_ambient_credentials && copts->role_on_mapping)
		ereport(ERROR,
				(errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED),
				 errmsg("non-superuser cannot assume a role of their own choosing with the AWS credentials of the PostgreSQL server"),
				 errdetail("The user mapping for \"%s\" on server \"%s\" sets role_arn but has no access_key_id and secret_access_key.",
						   user_name,
						   server->servername),
				 errhint("Drop role_arn from the user mapping and use the server's, or add access_key_id and secret_access_key to the user mapping.")));
	if (opts->allow_ambient_credentials)
		return;

	ereport(ERROR,
			(errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED),
			 errmsg("non-superuser cannot use the AWS credentials of the PostgreSQL server"),
			 errdetail("The user mapping for \"%s\" on server \"%s\" has no access_key_id and secret_access_key, so its credentials would come from the server's %s.",
					   user_name,
					   server->servername,
					   copts->profile ? "shared AWS files" :
					   "environment, shared AWS files or instance metadata"),
			 errhint("Add access_key_id and secret_access_key to the user mapping, or have a superuser set the user mapping option \"profile\" or the server option \"allow_ambient_credentials\".")));
}

/* Run the chain for a user mapping, then assume its role if it has one. */
static void
resolve(ForeignServer *server, UserMapping *user,
		const BedrockServerOptions *opts,
		const BedrockCredentialOptions *copts, BedrockCredentials *creds)
{
	BedrockCredentials base;
	char	   *why_not = NULL;

	bedrock_set_session_user(user->userid);
	if (copts->access_key_id || copts->secret_access_key)
	{
		if (copts->access_key_id == NULL || copts->secret_access_key == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
					 errmsg("user mapping has incomplete AWS credentials"),
					 errdetail("Both \"access_key_id\" and \"secret_access_key\" are required."),
					 errhint("Add the missing one with ALTER USER MAPPING ... OPTIONS (ADD ...).")));
		bedrock_static_credentials(copts->access_key_id, copts->secret_access_key,
								   copts->session_token, "the user mapping", &base);
	}
	else if (copts->session_token)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
				 errmsg("user mapping has a session_token but no access_key_id and secret_access_key")));
	else if (copts->profile)
		bedrock_profile_credentials(opts, copts->profile, &base);
	else if (!bedrock_ambient_credentials(opts, &base, &why_not))
		ereport(ERROR,
				(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
				 errmsg("no AWS credentials found for server \"%s\"",
						server->servername),
				 errdetail("Tried the user mapping's access_key_id and secret_access_key, the server process's environment (AWS_ACCESS_KEY_ID, AWS_PROFILE or the default profile of the shared AWS files, AWS_WEB_IDENTITY_TOKEN_FILE, AWS_CONTAINER_CREDENTIALS_*), and EC2 instance metadata (%s).",
						   why_not),
				 errhint("Add access_key_id and secret_access_key to the user mapping, or have a superuser set the option \"profile\".")));

	if (copts->role_arn == NULL)
	{
		*creds = base;
		return;
	}
	PG_TRY();
	{
		bedrock_sts_assume_role(opts, &base, copts->role_arn, copts->external_id,
								copts->role_session_name, copts->duration_seconds,
								creds);
	}
	PG_FINALLY();
	{
		bedrock_wipe_credentials(&base);
	}
	PG_END_TRY();
}

/*
 * The server's own identity, as the SDKs' default chain finds it: the
 * environment's keys, the shared files' AWS_PROFILE or default profile, web
 * identity, container credentials, instance metadata.
 * False, with *why_not saying why instance metadata gave nothing, when no
 * source is configured.
 */
bool
bedrock_ambient_credentials(const BedrockServerOptions *opts,
							BedrockCredentials *creds, char **why_not)
{
	return bedrock_env_credentials(creds) ||
		bedrock_default_profile_credentials(opts, creds) ||
		web_identity_credentials(opts, creds) ||
		bedrock_container_credentials(opts, creds) ||
		bedrock_instance_credentials(opts, creds, why_not);
}


/* AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, as on EKS with IRSA. */
static bool
web_identity_credentials(const BedrockServerOptions *opts,
						 BedrockCredentials *creds)
{
	const char *file = getenv("AWS_WEB_IDENTITY_TOKEN_FILE");
	const char *role = getenv("AWS_ROLE_ARN");
	const char *session = getenv("AWS_ROLE_SESSION_NAME");
	char	   *token;

	if (file == NULL || !file[0] || role == NULL || !role[0])
		return false;
	token = bedrock_read_secret_file(file, "web identity token file", 16384);
	PG_TRY();
	{
		bedrock_sts_assume_role_with_web_identity(opts, role,
												  session && session[0] ? session : NULL,
												  token, creds);
	}
	PG_FINALLY();
	{
		explicit_bzero(token, strlen(token));
	}
	PG_END_TRY();
	pfree(token);
	return true;
}
