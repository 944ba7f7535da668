/*-------------------------------------------------------------------------
 * bedrock_fdw.h
 *	  Declarations shared by the files of bedrock_fdw.
 *
 * Only PostgreSQL types appear here: libcurl stays inside http.c and the
 * JSON tree inside json.c, behind opaque types (BedrockJson is declared in
 * json.h, which needs no backend).
 *-------------------------------------------------------------------------
 */
#ifndef BEDROCK_FDW_H
#define BEDROCK_FDW_H

#include "foreign/foreign.h"
#include "lib/ilist.h"
#include "lib/stringinfo.h"
#include "nodes/pathnodes.h"
#include "storage/lwlock.h"
#include "utils/memutils.h"
#include "utils/relcache.h"
#include "utils/timestamp.h"

#include "json.h"

/*
 * The resource catalog (catalog.h, resources.c): every table is one
 * descriptor; columns are numbered by their position in it.
 */
#include "catalog.h"

/* in option.c */
typedef struct BedrockServerOptions
{
	const char *server_name;	/* for bedrock_fdw_stats */
	List	   *regions;		/* of char *, in the order given */
	char	   *endpoint;		/* URL, may contain {region}; NULL = AWS */
	int			connect_timeout_ms;
	int			request_timeout_ms;
	int			max_concurrency;
	int			page_size;		/* maxResults sent with each List call */
	int			max_retries;	/* retries after the first attempt */
	int			max_requests_per_second;	/* per region and backend; 0 = no
											 * limit */
	int			cache_ttl;		/* seconds answers are reused; 0 = off */
	bool		detail_cache;	/* keep Get answers of terminal resources */
	bool		tags_from_tagging_api;	/* tags_source 'tagging_api' */
	char	   *tagging_endpoint;	/* URL, may contain {region}; NULL = AWS */
	bool		skip_unavailable_regions;	/* on_unavailable 'warn': a
											 * WARNING instead of an ERROR */
	bool		all_regions;	/* regions 'all': those enabled, found at scan
								 * start; regions is NIL */
	List	   *accounts;		/* of char *: accounts option's ids, or NIL */
	bool		organization;	/* accounts 'organization' */
	char	   *role_name;		/* assumed in each account */
	char	   *organizations_endpoint; /* URL; NULL = AWS */
	char	   *account_endpoint;	/* URL; NULL = AWS */
	char	   *sts_endpoint;	/* URL, may contain {region}; NULL = AWS */
	char	   *ca_file;		/* CA bundle for https; NULL = the system's */
	char	   *proxy;			/* proxy URL; NULL = curl's environment rules */
	bool		allow_ambient_credentials;	/* non-superusers may use the
											 * server's identity */
	bool		async_capable;	/* scans may run asynchronously under an
								 * Append (a foreign table's option wins) */
} BedrockServerOptions;

/* Where credentials come from and how: the options that choose them. */
typedef struct BedrockCredentialOptions
{
	const char *access_key_id;	/* user mapping keys, or NULL */
	const char *secret_access_key;
	const char *session_token;
	const char *profile;		/* user mapping's, else the server's */
	bool		profile_on_mapping; /* set on the user mapping (by a
									 * superuser) */
	const char *role_arn;		/* user mapping's, else the server's */
	bool		role_on_mapping;	/* set on the user mapping */
	const char *external_id;
	const char *role_session_name;
	int			duration_seconds;	/* 0 = STS's default */
} BedrockCredentialOptions;

extern void bedrock_get_server_options(ForeignServer *server,
									   BedrockServerOptions *opts);
extern void bedrock_get_credential_options(ForeignServer *server,
										   UserMapping *user,
										   BedrockCredentialOptions *copts);
extern bool bedrock_is_valid_region(const char *region);
extern const BedrockResource *bedrock_table_resource(ForeignTable *table,
													 const char *relname);
extern bool bedrock_table_async_capable(ForeignTable *table,
										const BedrockServerOptions *opts);
extern const char *bedrock_home_region(const BedrockServerOptions *opts);

typedef enum BedrockUrlCheck
{
	BEDROCK_URL_OK,
	BEDROCK_URL_BAD_SCHEME,
	BEDROCK_URL_BAD_PARTS		/* no host; user information, query... */
} BedrockUrlCheck;

extern BedrockUrlCheck bedrock_check_base_url(const char *url, bool socks);

/* credentials, as values (credvalue.c) and as the chain (credentials.c) */
typedef struct BedrockCredentials
{
	char	   *access_key_id;
	char	   *secret_access_key;
	char	   *session_token;	/* NULL when none */
	TimestampTz expiration;		/* 0 when they do not expire */
	TimestampTz obtained;		/* when they were fetched */
	char	   *source;			/* where they came from, for messages; no
								 * secrets */
} BedrockCredentials;

typedef struct BedrockClient BedrockClient;

extern void bedrock_get_credentials(ForeignServer *server, UserMapping *user,
									const BedrockServerOptions *opts,
									BedrockCredentials *creds);
extern void bedrock_renew_credentials(ForeignServer *server, UserMapping *user,
									  const BedrockServerOptions *opts,
									  BedrockCredentials *creds, bool expired);
extern void bedrock_get_account_credentials(ForeignServer *server,
											UserMapping *user,
											const BedrockServerOptions *opts,
											int n, char **accounts,
											char **role_arns,
											BedrockCredentials *creds,
											char **failures);
extern void bedrock_renew_account_credentials(ForeignServer *server,
											  UserMapping *user,
											  const BedrockServerOptions *opts,
											  char *account, char *role_arn,
											  BedrockCredentials *creds,
											  bool expired);
extern void bedrock_forget_credentials(void);
extern uint64 bedrock_credentials_generation(void);

/* in accounts.c: the accounts and regions a scan reaches */
typedef struct BedrockAccount
{
	char	   *id;				/* 12 digits, or NULL: the user mapping's own */
	char	   *role_arn;		/* the role assumed in it, or NULL */
	BedrockCredentials credentials;
	List	   *regions;		/* of char *: where a scan may call */
	char	   *failure;		/* unreachable (on_unavailable 'warn'): why */
} BedrockAccount;

extern List *bedrock_scan_accounts(ForeignServer *server, UserMapping *user,
								   const BedrockServerOptions *opts,
								   List *only);
extern bool bedrock_ambient_credentials(const BedrockServerOptions *opts,
										BedrockCredentials *creds,
										char **why_not);

/* in credvalue.c: credentials as values */
extern bool bedrock_credentials_expiring(const BedrockCredentials *creds);
extern void bedrock_copy_credentials(const BedrockCredentials *src,
									 BedrockCredentials *dst, MemoryContext cxt);
extern void bedrock_wipe_credentials(BedrockCredentials *creds);
extern void bedrock_credentials_from_json(const BedrockJson *doc,
										  const char *token_member,
										  const char *what,
										  BedrockCredentials *creds);
extern char *bedrock_read_secret_file(const char *path, const char *what,
									  size_t max_len);
extern TimestampTz bedrock_parse_expiration(const char *text, size_t len,
											const char *what);
extern void bedrock_static_credentials(const char *access_key_id,
									   const char *secret_access_key,
									   const char *session_token,
									   const char *source,
									   BedrockCredentials *creds);
extern void bedrock_set_session_user(Oid userid);
extern char *bedrock_default_session_name(void);

/* in envcreds.c: AWS_ACCESS_KEY_ID and the rest of the environment */
extern bool bedrock_env_credentials(BedrockCredentials *creds);

/* in profile.c: the shared AWS config and credentials files */
extern void bedrock_profile_credentials(const BedrockServerOptions *opts,
										const char *profile,
										BedrockCredentials *creds);
extern bool bedrock_default_profile_credentials(const BedrockServerOptions *opts,
												BedrockCredentials *creds);

/* in process.c: credential_process */
extern void bedrock_process_credentials(const BedrockServerOptions *opts,
										const char *profile,
										const char *command,
										BedrockCredentials *creds);

/* in metadata.c: ECS container credentials and EC2 instance metadata */
extern bool bedrock_container_credentials(const BedrockServerOptions *opts,
										  BedrockCredentials *creds);
extern bool bedrock_instance_credentials(const BedrockServerOptions *opts,
										 BedrockCredentials *creds,
										 char **why_not);

/* in sts.c: AssumeRole and AssumeRoleWithWebIdentity */
extern void bedrock_sts_assume_role(const BedrockServerOptions *opts,
									BedrockCredentials *base,
									const char *role_arn,
									const char *external_id,
									const char *session_name,
									int duration_seconds,
									BedrockCredentials *creds);
extern void bedrock_sts_assume_roles(const BedrockServerOptions *opts,
									 BedrockCredentials *base, int n,
									 char **role_arns, const char *external_id,
									 const char *session_name,
									 int duration_seconds,
									 BedrockCredentials *creds, char **failures);
extern void bedrock_sts_assume_role_with_web_identity(const BedrockServerOptions *opts,
													  const char *role_arn,
													  const char *session_name,
													  const char *token,
													  BedrockCredentials *creds);

/* in pushdown.c */

/*
 * What a pushed-down condition compares a column with: an expression that
 * holds no Var of the table (a constant, a Param, a stable expression), so
 * its value is known when the scan starts.
 */
typedef enum BedrockCondKind
{
	BEDROCK_COND_REGION,		/* region = x, IN, = ANY: the regions called */
	BEDROCK_COND_ACCOUNT,		/* account_id = x ...: the accounts called */
	BEDROCK_COND_STATUS,		/* the status filter's column = x ...: one
								 * List per value (statusEquals) */
	BEDROCK_COND_ARN,			/* the ARN column = x ...: Get by ARN */
	BEDROCK_COND_NAME,			/* the name or id column = x ...: Get by it */
	BEDROCK_COND_CREATED_AFTER, /* the time column > x, >=: e.g.
								 * creationTimeAfter */
	BEDROCK_COND_CREATED_BEFORE,	/* the time column < x, <= */
	BEDROCK_COND_NAME_LIKE,		/* the contains column LIKE x: nameContains */
	BEDROCK_COND_NAME_EQ,		/* the contains column = x, where it has no
								 * lookup: nameContains=x */
	BEDROCK_COND_EQUALS,		/* another filter's column = x: one value sent
								 * (BEDROCK_COND_EQUALS + i: equals[i]) */
	BEDROCK_COND_EQUALS_LAST = BEDROCK_COND_EQUALS + BEDROCK_MAX_EQUALS - 1,
	BEDROCK_COND_LIMIT,			/* LIMIT x: rows the query needs at most */
	BEDROCK_COND_OFFSET,		/* OFFSET x, with a LIMIT */
	BEDROCK_NCONDKINDS
} BedrockCondKind;

typedef struct BedrockCond
{
	BedrockCondKind kind;
	bool		is_array;		/* column = ANY (x): x is an array */
	Expr	   *expr;			/* x; in the plan, the same position of
								 * fdw_exprs */
} BedrockCond;

/*
 * What the planner decides for a scan, kept in ForeignScan.fdw_private (the
 * conditions' expressions in fdw_exprs): which conditions are pushed down,
 * and which calls the columns need.  The calls themselves are settled when
 * the values are known (bedrock_resolve_scan).
 */
typedef struct BedrockPushdown
{
	const BedrockResource *resource;	/* in fdw_private: its position in
										 * bedrock_resources */
	List	   *conds;			/* of BedrockCond * */
	List	   *attnos;			/* integer list: attributes to fill */
	bool		need_get;		/* per-resource Get */
	bool		need_tags;		/* per-resource ListTagsForResource */
	bool		uses_list_differs;	/* a column whose Get value may differ
									 * from List's: lookups also List */
	bool		uses_summary_only;	/* a column only List has: no lookups */
	bool		all_pushed;		/* every qual of the scan is one of conds */
	int			sort_order;		/* 0, or sortOrder: 1 Ascending, -1 Descending */
} BedrockPushdown;

/* A condition's value as the scan starts, or its text while still unknown. */
typedef struct BedrockCondValue
{
	bool		known;			/* false when planning or in plain EXPLAIN */
	Datum		value;
	bool		isnull;
	const char *shown;			/* unknown: the expression, for EXPLAIN */
} BedrockCondValue;

/* The calls of one scan, settled from its conditions' values. */
typedef struct BedrockScanPlan
{
	const BedrockResource *resource;
	/* its columns that roles name, or -1 */
	int			arn_col;
	int			id_col;
	int			status_col;
	int			equals_col[BEDROCK_MAX_EQUALS];
	const char *empty_reason;	/* no call at all, and why; else NULL */
	List	   *regions;		/* of char *: regions to call */
	bool		accounts_constrained;	/* only the accounts below are called */
	List	   *accounts;		/* of char *: the account_id values */
	int			max_accounts;	/* how many accounts it may call at most */
	bool		status_filtered;	/* the status filter is sent */
	List	   *statuses;		/* of char *: one List per value when filtered */
	bool		need_get;		/* per-resource Get */
	bool		need_tags;		/* per-resource ListTagsForResource */
	List	   *attnos;			/* integer list: attributes to fill */
	/* ARN = / name =: Gets instead of a List */
	bool		direct;
	List	   *ids;			/* of char *: ARNs, or names to get per region */
	/* List filters, or NULL */
	char	   *created_after;	/* the time filter's lower bound */
	char	   *created_before; /* and upper bound */
	char	   *name_contains;	/* the contains filter */
	char	   *equals[BEDROCK_MAX_EQUALS]; /* the other equals filters */
	bool		exact;			/* the calls return exactly the matching rows */
	bool		need_summary;	/* direct: also List each one found, for its
								 * summary */
	int			sort_order;		/* 0, or sortOrder: 1 Ascending, -1 Descending */
	int			limit;			/* rows the query needs at most, or 0 */
	List	   *not_sent;		/* of char *: values the API would refuse, and
								 * why */

	/*
	 * Listed resources whose summary's status, ARN, name or equals filter
	 * column is not one of these (NIL: any) fail the query's own quals: they
	 * are dropped before any per-resource call.
	 */
	List	   *match_statuses;
	List	   *match_arns;
	List	   *match_names;
	List	   *match_equals[BEDROCK_MAX_EQUALS];
	/* values not known yet (plain EXPLAIN): the expressions, per kind */
	const char *unknown[BEDROCK_NCONDKINDS];
	const char *limit_shown;	/* the row limit's, when not known yet */
	/* how many List sequences or lookups each kind may make at most */
	int			max_sequences[BEDROCK_NCONDKINDS];
} BedrockScanPlan;

extern bool bedrock_pushdown_enabled;

extern void bedrock_plan_pushdown(PlannerInfo *root, RelOptInfo *baserel,
								  Relation rel, const BedrockResource *res,
								  const int *column_map, BedrockPushdown *pd);
extern void bedrock_add_limit_conds(PlannerInfo *root, BedrockPushdown *pd);
extern BedrockCond *bedrock_make_cond(BedrockCondKind kind, bool is_array,
									  Expr *expr);
extern bool bedrock_pushdown_has_cond(const BedrockPushdown *pd,
									  BedrockCondKind kind);
extern List *bedrock_pushdown_to_list(const BedrockPushdown *pd);
extern void bedrock_pushdown_from_list(List *list, List *exprs,
									   BedrockPushdown *pd);
extern List *bedrock_candidate_regions(const BedrockServerOptions *opts);
extern void bedrock_resolve_scan(const BedrockPushdown *pd,
								 const BedrockServerOptions *opts,
								 const BedrockCondValue *values,
								 BedrockScanPlan *plan);
extern bool bedrock_scan_plan_is_empty(const BedrockScanPlan *plan);
extern bool bedrock_scan_plan_one_sequence(const BedrockScanPlan *plan);
extern int	bedrock_sort_order(PlannerInfo *root, RelOptInfo *baserel,
							   const BedrockResource *res,
							   const int *column_map, List *pathkeys);
extern List *bedrock_arn_join_clauses(PlannerInfo *root, RelOptInfo *baserel,
									  const BedrockResource *res,
									  const int *column_map);
extern Expr *bedrock_arn_outer_expr(PlannerInfo *root, RestrictInfo *rinfo,
									RelOptInfo *baserel,
									const int *column_map, int arn_col);
extern char *bedrock_api_timestamp(TimestampTz ts, bool lower);
extern bool bedrock_value_accepted(const BedrockValueCheck *check,
								   const char *value);
extern bool bedrock_pushdown_uses_column(const BedrockPushdown *pd,
										 const int *column_map, int col);

/* in convert.c: the PostgreSQL side of json.c (see json.h) */
extern BedrockJson *bedrock_json_parse(const char *data, size_t len,
									   const char **errmsg);

/* in http.c */
typedef struct BedrockHttpRequest
{
	/* set by the caller */
	const char *method;
	const char *url;
	List	   *headers;		/* of char *: "Name: value" */
	const char *body;			/* NULL for none */
	size_t		body_len;
	const char *rate_key;		/* requests sharing it share the rate limit */
	bool		no_proxy;		/* never through a proxy (metadata services) */
	bool		sensitive;		/* the answer holds secrets: zero curl's
								 * copies */
	/* set when it finished (bedrock_http_poll) */
	long		status;			/* HTTP status, 0 if no response */
	char	   *response;		/* NUL-terminated body */
	size_t		response_len;
	char	   *request_id;		/* x-amzn-RequestId, or NULL */
	char	   *error_type;		/* X-Amzn-ErrorType, or NULL */
	char	   *transport_error;	/* why no response came, or NULL */
	bool		timed_out;
	bool		transient;		/* a network failure worth retrying */
	bool		too_large;		/* the body passed max_response_bytes */
	int			retry_after_s;	/* Retry-After in seconds, or -1 */
	double		elapsed_ms;		/* from the start of the transfer to its end */
	void	   *transfer;		/* http.c's, while submitted */
	void	   *caller;			/* the submitter's */
} BedrockHttpRequest;

typedef struct BedrockHttpConfig
{
	long		connect_timeout_ms;
	long		request_timeout_ms;
	long		stall_timeout_s;	/* no byte for this long: timed out */
	size_t		max_response_bytes;
	int			max_concurrency;
	double		max_requests_per_second;	/* per rate_key; 0 = no limit */
	const char *ca_file;		/* CA bundle, or NULL for the system's */
	const char *proxy;			/* proxy URL, or NULL for curl's defaults */
} BedrockHttpConfig;

typedef struct BedrockHttpPool BedrockHttpPool;

/*
 * What an asynchronous scan waits for, when it waits in the executor's
 * WaitEventSet instead of in http.c: filled in by fetch.c, call.c and
 * http.c, each adding what it knows; turned into one file descriptor by
 * waitfd.c.
 */
typedef struct BedrockWaitSpec
{
	bool		ready;			/* the scan can go on at once */
	long		timeout_ms;		/* something is due then (curl's timer, a
								 * backoff); -1: nothing */
	int			nsockets;
	int		   *sockets;		/* the sockets curl watches */
	uint32	   *events;			/* WL_SOCKET_READABLE and/or _WRITEABLE */
} BedrockWaitSpec;

/* in waitfd.c */
extern void bedrock_wait_spec_due(BedrockWaitSpec *spec, long ms);

extern BedrockHttpPool *bedrock_http_pool_create(const BedrockHttpConfig *config,
												 MemoryContext parent);
extern void bedrock_http_submit(BedrockHttpPool *pool, BedrockHttpRequest *req,
								bool urgent);
extern BedrockHttpRequest *bedrock_http_poll(BedrockHttpPool *pool,
											 long max_wait_ms);
extern void bedrock_http_cancel(BedrockHttpPool *pool, BedrockHttpRequest *req);
extern int	bedrock_http_pool_size(BedrockHttpPool *pool);
extern double bedrock_http_pool_idle_ms(BedrockHttpPool *pool);
extern void bedrock_http_pool_release(BedrockHttpPool *pool);
extern void bedrock_http_pool_wait_spec(BedrockHttpPool *pool,
										BedrockWaitSpec *spec);
extern bool bedrock_http_close_connections(void);

/* in call.c */
struct BedrockClient
{
	const BedrockServerOptions *options;
	BedrockCredentials *credentials;	/* NULL: requests go unsigned */
	int			retry_tokens;	/* what is left of the scan's retry budget */

	/*
	 * Set by a scan, which decides when its credentials are renewed (NULL:
	 * never): called before each batch with creds NULL and expired false
	 * (every credential it holds that is about to expire), and with the
	 * credentials of a call and expired true when AWS refused them as
	 * expired.  A callback, so that the transport needs nothing from the
	 * credential chain above it.
	 */
	void		(*refresh) (BedrockClient *client, BedrockCredentials *creds,
							bool expired);
	void	   *refresh_arg;
	/* (account and) regions skipped as unavailable, and why: of char * */
	List	   *unavailable;
	MemoryContext cxt;			/* where unavailable lives; NULL: not kept */
	const char *cache_identity; /* whose kept Get answers (detailcache.c) a
								 * scan reads; NULL: none */
};

/* How a response body is read. */
typedef enum BedrockBodyFormat
{
	BEDROCK_BODY_JSON,			/* AWS JSON: parsed into result */
	BEDROCK_BODY_XML,			/* AWS query protocol (STS): left in req */
	BEDROCK_BODY_TEXT			/* plain text (IMDS): left in req */
} BedrockBodyFormat;

/* The SDKs' retry token bucket, per scan. */
#define BEDROCK_RETRY_TOKENS 500

/* One API call: what to send, and its outcome. */
typedef struct BedrockCall
{
	const char *service;		/* for messages; NULL = "Bedrock" */
	const char *op;				/* operation name, for messages */
	const char *region;			/* NULL for metadata services */
	const char *account;		/* the account called, when a scan reaches
								 * several; else NULL */
	BedrockCredentials *credentials;	/* NULL: the client's */
	const char *signing_name;	/* SigV4 service name; NULL = "bedrock" */
	bool		anonymous;		/* sent unsigned */
	const char *base_url;		/* scheme://host[/prefix]; NULL = Bedrock's */
	List	   *headers;		/* of char *: extra "Name: value" headers */
	const char *content_type;	/* of the body */
	BedrockBodyFormat format;
	const char *method;
	const char *path;			/* URI-encoded */
	const char *query;			/* URI-encoded, or NULL */
	const char *body;			/* or NULL */
	bool		missing_ok;		/* ResourceNotFoundException means "no such
								 * resource", not an error */
	bool		no_proxy;		/* never through a proxy */
	bool		failure_ok;		/* failing for good is not an error */
	bool		denied_ok;		/* AccessDenied is not an error: skipped, and
								 * denied set */
	bool		denied;
	bool		sensitive;		/* its answer holds secrets: messages never
								 * quote it, nor the URL's query */
	int			attempts;
	bool		refreshed;		/* retried once with refreshed credentials */
	BedrockHttpRequest *req;	/* the last attempt */
	bool		skipped;		/* not answered: its region was unavailable
								 * and skipped, or it failed and was
								 * failure_ok */
	bool		missing;		/* missing_ok, and there is no such resource */
	char	   *cache_key;		/* when the server caches answers */
	bool		from_cache;		/* answered from the cache, not sent */
	BedrockJson *result;		/* the response object; NULL if skipped or 404 */
	/* the submitter's, to find what a settled call was for */
	void	   *owner;
	int			slot;
	/* call.c's, while submitted */
	MemoryContext cxt;			/* of its requests and result */
	dlist_node	node;
	bool		urgent;
	TimestampTz signed_at;
	TimestampTz not_before;		/* backing off: the next attempt's time */
} BedrockCall;

typedef struct BedrockCallSet BedrockCallSet;

extern void bedrock_perform_calls(BedrockClient *client, BedrockCall *calls,
								  int ncalls);
extern BedrockCallSet *bedrock_calls_begin(BedrockClient *client,
										   MemoryContext parent);
extern void bedrock_calls_submit(BedrockCallSet *set, BedrockCall *call,
								 bool urgent);
extern BedrockCall *bedrock_calls_next(BedrockCallSet *set);
extern void bedrock_calls_pump(BedrockCallSet *set);
extern BedrockCall *bedrock_calls_next_nowait(BedrockCallSet *set,
											  bool *would_block);
extern void bedrock_calls_wait_spec(BedrockCallSet *set, BedrockWaitSpec *spec);
extern int	bedrock_calls_outstanding(BedrockCallSet *set);
extern double bedrock_calls_idle_ms(BedrockCallSet *set);
extern void bedrock_calls_end(BedrockCallSet *set);
extern char *bedrock_endpoint_url(const char *endpoint, const char *region);
extern char *bedrock_call_failure(BedrockCall *call);
extern const char *bedrock_call_error_code(BedrockCall *call);

/* in api.c: each fills in one call of a batch */
typedef struct BedrockListParams
{
	const BedrockResource *resource;
	const char *status;			/* the status filter's value, or NULL */
	const char *equals[BEDROCK_MAX_EQUALS]; /* the equals filters', or NULL */
	const char *created_after;	/* the time filter's bounds, or NULL */
	const char *created_before;
	const char *name_contains;	/* the contains filter's, or NULL */
	int			sort_order;		/* 0, or 1 Ascending, -1 Descending */
	const char *next_token;		/* NULL for the first page */
	int			max_results;
} BedrockListParams;

extern void bedrock_api_list_call(BedrockCall *call, const char *region,
								  const BedrockListParams *params);
extern BedrockJson *bedrock_api_list_result(BedrockCall *call,
											const BedrockResource *res,
											const char **next_token);
extern void bedrock_api_get_call(BedrockCall *call, const BedrockResource *res,
								 const char *region, const char *id,
								 bool missing_ok);
extern BedrockJson *bedrock_api_get_result(BedrockCall *call,
										   const BedrockResource *res);
extern void bedrock_api_tags_call(BedrockCall *call, const char *region,
								  const char *arn);

/* ResourceARNList's limit */
#define BEDROCK_TAGGING_MAX_ARNS 100

extern void bedrock_api_bulk_tags_call(BedrockCall *call, const char *endpoint,
									   const char *region, char **arns, int n);
extern BedrockJson *bedrock_api_bulk_tags_result(BedrockCall *call);

/* in stats.c: bedrock_fdw_stats, this backend's calls per server, region
 * and operation */
typedef enum BedrockStatsOutcome
{
	BEDROCK_STATS_OK,			/* answered (2xx, or "no such resource") */
	BEDROCK_STATS_THROTTLED,	/* refused as too many requests */
	BEDROCK_STATS_ERROR			/* any other failure */
} BedrockStatsOutcome;

extern void bedrock_stats_request(const char *server, const char *region,
								  const char *op, bool retry,
								  BedrockStatsOutcome outcome, size_t bytes,
								  double elapsed_ms);
extern void bedrock_stats_cache_hit(const char *server, const char *region,
									const char *op);
extern Size bedrock_stats_shmem_size(void);
extern void bedrock_stats_shmem_startup(LWLock *lock);

/* in shmem.c */
extern void bedrock_shmem_init(void);

/* in bufpool.c */
extern void *bedrock_buf_alloc(size_t size, size_t *cap);
extern void bedrock_buf_free(void *buf, size_t cap);

/* in cache.c */
extern bool bedrock_cache_get(const char *key, int ttl_s, char **body,
							  size_t *len, char **request_id);
extern void bedrock_cache_put(const char *key, const char *body, size_t len,
							  const char *request_id);
extern int64 bedrock_cache_clear(void);

/* in detailcache.c */
extern int	bedrock_detail_cache_size;
extern void bedrock_detail_cache_init(void);
extern bool bedrock_detail_get(const char *identity, const char *account,
							   const char *region, const char *arn,
							   const char *validator, char **body, size_t *len);
extern void bedrock_detail_put(const char *identity, const char *account,
							   const char *region, const char *arn,
							   const char *validator, const char *body,
							   size_t len);
extern int64 bedrock_detail_clear(void);
extern Size bedrock_detail_cache_shmem_size(void);
extern void bedrock_detail_cache_shmem_startup(LWLock *lock);

/* in fetch.c */
typedef struct BedrockFetch BedrockFetch;

/* One resource handed out by a fetch: where it came from and its answers. */
typedef struct BedrockFetchedItem
{
	const char *account;		/* the account called, or NULL: the mapping's */
	const char *region;
	BedrockJson *summary;		/* List entry; NULL for lookups */
	BedrockJson *got;			/* Get answer, or NULL */
	BedrockJson *tags;			/* ListTagsForResource answer, or NULL */
} BedrockFetchedItem;

extern BedrockFetch *bedrock_fetch_begin(BedrockClient *client,
										 const BedrockScanPlan *plan,
										 List *accounts, int page_size,
										 MemoryContext parent);
extern bool bedrock_fetch_next(BedrockFetch *fetch, BedrockFetchedItem *item);
extern bool bedrock_fetch_next_nowait(BedrockFetch *fetch,
									  BedrockFetchedItem *item,
									  bool *would_block);
extern void bedrock_fetch_wait_spec(BedrockFetch *fetch, BedrockWaitSpec *spec);
extern void bedrock_fetch_rescan(BedrockFetch *fetch, List *accounts);
extern void bedrock_fetch_end(BedrockFetch *fetch);
extern double bedrock_fetch_idle_ms(BedrockFetch *fetch);
extern void bedrock_fetch_detail_counts(BedrockFetch *fetch, long *hits,
										long *misses);

/* in waitfd.c: an asynchronous scan's one descriptor to wait on */
typedef struct BedrockWaitFd BedrockWaitFd;

extern bool bedrock_waitfd_supported(void);
extern BedrockWaitFd *bedrock_waitfd_create(MemoryContext cxt);
extern int	bedrock_waitfd_arm(BedrockWaitFd *w, const BedrockWaitSpec *spec);
extern void bedrock_waitfd_disarm(BedrockWaitFd *w);

/* in convert.c */
extern const char *bedrock_column_sql_type(BedrockColumnKind kind);
extern bool bedrock_column_type_ok(BedrockColumnKind kind, Oid typid);
extern char *bedrock_arn_field(const char *arn, int n);
extern bool bedrock_column_direct(const BedrockColumn *column, Oid typid);
extern Datum bedrock_column_datum(const BedrockResource *res, int col,
								  const char *region,
								  const BedrockJson *summary,
								  const BedrockJson *got,
								  const BedrockJson *tags, bool *isnull);
extern char *bedrock_column_value(const BedrockResource *res, int col,
								  const char *region,
								  const BedrockJson *summary,
								  const BedrockJson *got,
								  const BedrockJson *tags);

#endif							/* BEDROCK_FDW_H */
