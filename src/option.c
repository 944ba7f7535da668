/*-------------------------------------------------------------------------
 * option.c
 *	  Validation and lookup of bedrock_fdw's server and user mapping options.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <stddef.h>
#include <string.h>

#include "access/reloptions.h"
#include "catalog/pg_foreign_server.h"
#include "catalog/pg_foreign_table.h"
#include "catalog/pg_user_mapping.h"
#include "commands/defrem.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "bedrock_fdw.h"

/* What an option's value is, and so how it is checked and stored. */
typedef enum OptionKind
{
	OPT_TEXT,					/* any non-empty string */
	OPT_INT,					/* an integer within min..max */
	OPT_BOOL,
	OPT_REGIONS,				/* a comma list of AWS regions */
	OPT_URL,					/* an http(s) base URL (proxy: socks too) */
	OPT_PATH,					/* an absolute path */
	OPT_ROLE_ARN,
	OPT_NAME,					/* min..max letters, digits and chars */
	OPT_KEY,					/* an AWS key or token: printable ASCII */
	OPT_RESOURCE,				/* a resource of the catalog */
	OPT_ACCOUNTS,				/* a comma list of account ids, or
								 * "organization" */
	OPT_CHOICE					/* one of two words: what, or chars (stored as
								 * a bool: true for chars) */
} OptionKind;

/* Why only a superuser may set an option. */
#define SU_ROUTE	"The option decides where requests are sent."
#define SU_TRUST	"The option decides which certificates are trusted."
#define SU_IDENTITY "The option lets users act with the PostgreSQL server's own AWS credentials."

#define NOT_STORED	((size_t) -1)
#define SERVER_OPT(member)	offsetof(BedrockServerOptions, member)

/*
 * One valid option: its name, where it may appear, who may set it, and its
 * value: kind, range (for OPT_NAME the length) and characters, default,
 * and where bedrock_get_server_options() stores a server option (scale:
 * what an OPT_INT is multiplied by, seconds to milliseconds).  Each fact of
 * an option is here once.
 */
typedef struct BedrockOption
{
	const char *keyword;
	Oid			optcontext;		/* catalog in which the option may appear */
	const char *superuser_only; /* why, or NULL: anyone may set it */
	OptionKind	kind;
	int			min;
	int			max;
	const char *chars;			/* OPT_NAME: allowed besides letters, digits;
								 * OPT_CHOICE: the word stored as true */
	const char *what;			/* OPT_NAME: "a profile name", for messages;
								 * OPT_CHOICE: the other word */
	size_t		offset;			/* in BedrockServerOptions, or NOT_STORED */
	int			defval;			/* OPT_INT default, before scale; OPT_BOOL's */
	int			scale;
} BedrockOption;

/*
 * Superuser-only options decide where signed requests go (endpoint,
 * sts_endpoint, proxy), whom TLS trusts (ca_file), or let a user act as the
 * PostgreSQL server's own AWS identity (profile, allow_ambient_credentials):
 * a profile's credential_process runs a command on the server.
 */
static const BedrockOption valid_options[] = {
	{"regions", ForeignServerRelationId, NULL, OPT_REGIONS, 0, 0, NULL, NULL, SERVER_OPT(regions), 0, 0},
	{"endpoint", ForeignServerRelationId, SU_ROUTE, OPT_URL, 0, 0, NULL, NULL, SERVER_OPT(endpoint), 0, 0},
	{"connect_timeout", ForeignServerRelationId, NULL, OPT_INT, 1, 3600, NULL, NULL, SERVER_OPT(connect_timeout_ms), 10, 1000},
	{"request_timeout", ForeignServerRelationId, NULL, OPT_INT, 1, 3600, NULL, NULL, SERVER_OPT(request_timeout_ms), 60, 1000},
	{"max_concurrency", ForeignServerRelationId, NULL, OPT_INT, 1, 256, NULL, NULL, SERVER_OPT(max_concurrency), 16, 1},
	{"page_size", ForeignServerRelationId, NULL, OPT_INT, 1, 1000, NULL, NULL, SERVER_OPT(page_size), 100, 1},
	{"max_retries", ForeignServerRelationId, NULL, OPT_INT, 0, 10, NULL, NULL, SERVER_OPT(max_retries), 3, 1},
	{"max_requests_per_second", ForeignServerRelationId, NULL, OPT_INT, 0, 100000, NULL, NULL, SERVER_OPT(max_requests_per_second), 0, 1},
	{"cache_ttl", ForeignServerRelationId, NULL, OPT_INT, 0, 86400, NULL, NULL, SERVER_OPT(cache_ttl), 0, 1},
	{"detail_cache", ForeignServerRelationId, NULL, OPT_BOOL, 0, 0, NULL, NULL, SERVER_OPT(detail_cache), 1, 0},
	{"skip_unavailable_regions", ForeignServerRelationId, NULL, OPT_BOOL, 0, 0, NULL, NULL, SERVER_OPT(skip_unavailable_regions), 0, 0},
	{"on_unavailable", ForeignServerRelationId, NULL, OPT_CHOICE, 0, 0, "warn", "error", SERVER_OPT(skip_unavailable_regions), 0, 0},
	{"tags_source", ForeignServerRelationId, NULL, OPT_CHOICE, 0, 0, "tagging_api", "per_resource", SERVER_OPT(tags_from_tagging_api), 0, 0},
	{"tagging_endpoint", ForeignServerRelationId, SU_ROUTE, OPT_URL, 0, 0, NULL, NULL, SERVER_OPT(tagging_endpoint), 0, 0},
	{"accounts", ForeignServerRelationId, NULL, OPT_ACCOUNTS, 0, 0, NULL, NULL, NOT_STORED, 0, 0},
	{"role_name", ForeignServerRelationId, NULL, OPT_NAME, 1, 64, "+=,.@_-", "an IAM role name", SERVER_OPT(role_name), 0, 0},
	{"organizations_endpoint", ForeignServerRelationId, SU_ROUTE, OPT_URL, 0, 0, NULL, NULL, SERVER_OPT(organizations_endpoint), 0, 0},
	{"account_endpoint", ForeignServerRelationId, SU_ROUTE, OPT_URL, 0, 0, NULL, NULL, SERVER_OPT(account_endpoint), 0, 0},
	{"sts_endpoint", ForeignServerRelationId, SU_ROUTE, OPT_URL, 0, 0, NULL, NULL, SERVER_OPT(sts_endpoint), 0, 0},
	{"ca_file", ForeignServerRelationId, SU_TRUST, OPT_PATH, 0, 0, NULL, NULL, SERVER_OPT(ca_file), 0, 0},
	{"proxy", ForeignServerRelationId, SU_ROUTE, OPT_URL, 0, 0, NULL, NULL, SERVER_OPT(proxy), 0, 0},
	{"allow_ambient_credentials", ForeignServerRelationId, SU_IDENTITY, OPT_BOOL, 0, 0, NULL, NULL, SERVER_OPT(allow_ambient_credentials), 0, 0},
	{"async_capable", ForeignServerRelationId, NULL, OPT_BOOL, 0, 0, NULL, NULL, SERVER_OPT(async_capable), 1, 0},
	{"profile", ForeignServerRelationId, SU_IDENTITY, OPT_NAME, 1, 128, "_+=,.@:/-", "a profile name", NOT_STORED, 0, 0},
	{"role_arn", ForeignServerRelationId, NULL, OPT_ROLE_ARN, 0, 0, NULL, NULL, NOT_STORED, 0, 0},
	{"external_id", ForeignServerRelationId, NULL, OPT_NAME, 2, 1224, "_+=,.@:/-", "an external ID", NOT_STORED, 0, 0},
	{"role_session_name", ForeignServerRelationId, NULL, OPT_NAME, 2, 64, "_+=,.@-", "a role session name", NOT_STORED, 0, 0},
	{"duration_seconds", ForeignServerRelationId, NULL, OPT_INT, 900, 43200, NULL, NULL, NOT_STORED, 0, 1},
	{"access_key_id", UserMappingRelationId, NULL, OPT_KEY, 0, 0, NULL, NULL, NOT_STORED, 0, 0},
	{"secret_access_key", UserMappingRelationId, NULL, OPT_KEY, 0, 0, NULL, NULL, NOT_STORED, 0, 0},
	{"session_token", UserMappingRelationId, NULL, OPT_KEY, 0, 0, NULL, NULL, NOT_STORED, 0, 0},
	{"profile", UserMappingRelationId, SU_IDENTITY, OPT_NAME, 1, 128, "_+=,.@:/-", "a profile name", NOT_STORED, 0, 0},
	{"role_arn", UserMappingRelationId, NULL, OPT_ROLE_ARN, 0, 0, NULL, NULL, NOT_STORED, 0, 0},
	{"external_id", UserMappingRelationId, NULL, OPT_NAME, 2, 1224, "_+=,.@:/-", "an external ID", NOT_STORED, 0, 0},
	{"role_session_name", UserMappingRelationId, NULL, OPT_NAME, 2, 64, "_+=,.@-", "a role session name", NOT_STORED, 0, 0},
	{"duration_seconds", UserMappingRelationId, NULL, OPT_INT, 900, 43200, NULL, NULL, NOT_STORED, 0, 1},
	{"resource", ForeignTableRelationId, NULL, OPT_RESOURCE, 0, 0, NULL, NULL, NOT_STORED, 0, 0},
	{"async_capable", ForeignTableRelationId, NULL, OPT_BOOL, 0, 0, NULL, NULL, NOT_STORED, 0, 0},
	{NULL, InvalidOid, NULL, OPT_TEXT, 0, 0, NULL, NULL, NOT_STORED, 0, 0}
};

PG_FUNCTION_INFO_V1(bedrock_fdw_validator);

static const BedrockOption *find_option(const char *keyword, Oid context);
static void check_option_value(const BedrockOption *opt, DefElem *def);
static void check_nonempty(const char *name, const char *value);
static List *parse_regions(const char *value);
static List *parse_accounts(const char *value);
static void check_endpoint(const char *name, const char *value);
static void check_pattern(const char *name, const char *value, int minlen,
						  int maxlen, const char *extra, const char *what);
static void check_role_arn(const char *value);
static int	parse_int_option(DefElem *def, const BedrockOption *opt);

/*
 * Validate the options given to a CREATE or ALTER of a server, user mapping
 * or foreign table that uses bedrock_fdw.
 */
Datum
bedrock_fdw_validator(PG_FUNCTION_ARGS)
{
	List	   *options = untransformRelOptions(PG_GETARG_DATUM(0));
	Oid			catalog = PG_GETARG_OID(1);
	ListCell   *cell;
	List	   *seen = NIL;

	foreach(cell, options)
	{
		DefElem    *def = (DefElem *) lfirst(cell);
		const BedrockOption *opt = find_option(def->defname, catalog);

		if (opt == NULL)
		{
			const BedrockOption *o;
			StringInfoData buf;

			initStringInfo(&buf);
			for (o = valid_options; o->keyword; o++)
			{
				if (o->optcontext == catalog)
					appendStringInfo(&buf, "%s%s", buf.len > 0 ? ", " : "",
									 o->keyword);
			}
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
					 errmsg("invalid option \"%s\"", def->defname),
					 buf.len > 0
					 ? errhint("Valid options in this context are: %s.",
							   buf.data)
					 : errhint("There are no valid options in this context.")));
		}

		if (list_member(seen, makeString(def->defname)))
			ereport(ERROR,
					(errcode(ERRCODE_SYNTAX_ERROR),
					 errmsg("option \"%s\" specified more than once",
							def->defname)));
		seen = lappend(seen, makeString(def->defname));

		if (opt->superuser_only && !superuser())
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied to set option \"%s\"",
							def->defname),
					 errdetail("%s", opt->superuser_only),
					 errhint("Only a superuser can set this option.")));

		check_option_value(opt, def);
	}

	PG_RETURN_VOID();
}

static const BedrockOption *
find_option(const char *keyword, Oid context)
{
	const BedrockOption *opt;

	for (opt = valid_options; opt->keyword; opt++)
	{
		if (opt->optcontext == context && strcmp(opt->keyword, keyword) == 0)
			return opt;
	}
	return NULL;
}

/* Reject a bad option value, naming the option and the value. */
static void
check_option_value(const BedrockOption *opt, DefElem *def)
{
	const char *name = def->defname;
	const char *value = defGetString(def);
	const char *p;

	switch (opt->kind)
	{
		case OPT_REGIONS:
			if (strcmp(value, "all") != 0)
				(void) parse_regions(value);
			break;
		case OPT_ACCOUNTS:
			if (strcmp(value, "organization") != 0)
				(void) parse_accounts(value);
			break;
		case OPT_CHOICE:
			if (strcmp(value, opt->what) != 0 && strcmp(value, opt->chars) != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid value for option \"%s\": \"%s\"", name, value),
						 errhint("Valid values are \"%s\" and \"%s\".", opt->what, opt->chars)));
			break;
		case OPT_URL:
			check_endpoint(name, value);
			break;
		case OPT_PATH:
			if (!is_absolute_path(value))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid value for option \"%s\": \"%s\"", name, value),
						 errdetail("The CA bundle must be given as an absolute path.")));
			break;
		case OPT_BOOL:
			(void) defGetBoolean(def);
			break;
		case OPT_INT:
			(void) parse_int_option(def, opt);
			break;
		case OPT_NAME:
			check_pattern(name, value, opt->min, opt->max, opt->chars, opt->what);
			break;
		case OPT_ROLE_ARN:
			check_role_arn(value);
			break;
		case OPT_KEY:
			/* they go into HTTP headers: printable ASCII, no blanks */
			for (p = value; *p; p++)
			{
				if (*p <= ' ' || *p > '~')
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("invalid value for option \"%s\"", name),
							 errdetail("AWS keys and tokens hold only printable ASCII characters, without blanks.")));
			}
			check_nonempty(name, value);
			break;
		case OPT_TEXT:
			check_nonempty(name, value);
			break;
		case OPT_RESOURCE:
			if (bedrock_resource_by_name(value) == NULL)
			{
				StringInfoData valid;
				int			i;

				initStringInfo(&valid);
				for (i = 0; i < bedrock_nresources; i++)
					appendStringInfo(&valid, "%s%s", i ? ", " : "",
									 bedrock_resources[i]->name);
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid value for option \"%s\": \"%s\"", name, value),
						 errhint("Valid resources are: %s.", valid.data)));
			}
			break;
	}
}

/*
 * The region of calls that are not regional (STS, Organizations, Account):
 * the first of the server's regions, us-east-1 with regions 'all'.
 */
const char *
bedrock_home_region(const BedrockServerOptions *opts)
{
	return opts->regions ? (const char *) linitial(opts->regions) : "us-east-1";
}

/*
 * The resource a foreign table maps: its resource option; without one, the
 * resource whose IMPORT FOREIGN SCHEMA table has the table's name; else
 * model customization jobs, the first resource.
 */
const BedrockResource *
bedrock_table_resource(ForeignTable *table, const char *relname)
{
	const BedrockResource *res = NULL;
	ListCell   *cell;

	foreach(cell, table->options)
	{
		DefElem    *def = (DefElem *) lfirst(cell);

		if (strcmp(def->defname, "resource") == 0)
			res = bedrock_resource_by_name(defGetString(def));
	}
	if (res == NULL)
		res = bedrock_resource_by_table(relname);
	return res ? res : bedrock_resources[0];
}

/*
 * Whether scans of a foreign table may run asynchronously (under an Append,
 * concurrently with the other servers' scans): its async_capable option,
 * else its server's, as postgres_fdw reads the option.
 */
bool
bedrock_table_async_capable(ForeignTable *table,
							const BedrockServerOptions *opts)
{
	bool		async = opts->async_capable;
	ListCell   *cell;

	foreach(cell, table->options)
	{
		DefElem    *def = (DefElem *) lfirst(cell);

		if (strcmp(def->defname, "async_capable") == 0)
			async = defGetBoolean(def);
	}
	return async;
}

static void
check_nonempty(const char *name, const char *value)
{
	if (value[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for option \"%s\": empty string",
						name)));
}

/*
 * An AWS region name: lowercase letters, then one or more "-word" parts, the
 * last a number ("us-east-1", "us-gov-west-1", "ap-southeast-2").
 */
bool
bedrock_is_valid_region(const char *region)
{
	const char *p = region;
	int			parts = 0;

	if (strlen(region) > 32)
		return false;
	if (!(p[0] >= 'a' && p[0] <= 'z' && p[1] >= 'a' && p[1] <= 'z'))
		return false;
	p += 2;
	while (*p == '-')
	{
		const char *start = ++p;

		if (*p >= '0' && *p <= '9')
		{
			while (*p >= '0' && *p <= '9')
				p++;
			return parts >= 1 && *p == '\0' && p - start <= 2;
		}
		while (*p >= 'a' && *p <= 'z')
			p++;
		if (p == start)
			return false;
		parts++;
	}
	return false;
}

/*
 * Split and check a regions option: one region or a comma-separated list,
 * spaces around names allowed.  Names are case-sensitive, as AWS's are.
 */
static List *
parse_regions(const char *value)
{
	List	   *regions = NIL;
	const char *p = value;

	for (;;)
	{
		const char *start;
		const char *end;
		char	   *region;
		ListCell   *cell;

		while (*p == ' ' || *p == '\t')
			p++;
		start = p;
		while (*p && *p != ',')
			p++;
		end = p;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end == start)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for option \"regions\": \"%s\"", value),
					 errhint("Give one AWS region or a comma-separated list, such as 'us-east-1,us-west-2'.")));
		region = pnstrdup(start, end - start);
		if (!bedrock_is_valid_region(region))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid AWS region \"%s\" in option \"regions\"",
							region),
					 errhint("Region names look like 'us-east-1'.")));
		foreach(cell, regions)
		{
			if (strcmp((char *) lfirst(cell), region) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("region \"%s\" appears more than once in option \"regions\"",
								region)));
		}
		regions = lappend(regions, region);
		if (*p == '\0')
			break;
		p++;					/* skip the comma */
	}
	return regions;
}

/* A comma list of 12-digit AWS account ids, without repeats. */
static List *
parse_accounts(const char *value)
{
	List	   *accounts = NIL;
	char	   *copy = pstrdup(value);
	char	   *tok;
	char	   *save = NULL;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
	{
		char	   *id = tok;
		char	   *end;
		ListCell   *cell;

		while (*id == ' ' || *id == '\t')
			id++;
		end = id + strlen(id);
		while (end > id && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (strlen(id) != 12 || strspn(id, "0123456789") != 12)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid AWS account id \"%s\" in option \"accounts\"", id),
					 errhint("Give 12-digit account ids separated by commas, or 'organization'.")));
		foreach(cell, accounts)
		{
			if (strcmp((char *) lfirst(cell), id) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("account \"%s\" appears more than once in option \"accounts\"", id)));
		}
		accounts = lappend(accounts, pstrdup(id));
	}
	if (accounts == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for option \"accounts\": \"%s\"", value),
				 errhint("Give 12-digit account ids separated by commas, or 'organization'.")));
	return accounts;
}

/*
 * Whether a base URL is usable: http:// or https:// (or, for a proxy,
 * socks5:// or socks5h://), a host, and no user information, query,
 * fragment or white space; {region} placeholders may appear.
 */
BedrockUrlCheck
bedrock_check_base_url(const char *url, bool socks)
{
	static const char *const schemes[] = {"https://", "http://", "socks5://", "socks5h://"};
	const char *rest = NULL;
	int			i;

	for (i = 0; i < (socks ? 4 : 2) && rest == NULL; i++)
	{
		if (strncmp(url, schemes[i], strlen(schemes[i])) == 0)
			rest = url + strlen(schemes[i]);
	}
	if (rest == NULL)
		return BEDROCK_URL_BAD_SCHEME;
	if (*rest == '\0' || *rest == '/' || strpbrk(url, "?# \t\r\n") != NULL ||
		strchr(rest, '@') != NULL)
		return BEDROCK_URL_BAD_PARTS;
	return BEDROCK_URL_OK;
}

/* The options endpoint, sts_endpoint and proxy: a base URL. */
static void
check_endpoint(const char *name, const char *value)
{
	bool		proxy = strcmp(name, "proxy") == 0;

	switch (bedrock_check_base_url(value, proxy))
	{
		case BEDROCK_URL_OK:
			break;
		case BEDROCK_URL_BAD_SCHEME:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for option \"%s\": \"%s\"", name, value),
					 errdetail("The value must be an http:// or https:// URL%s.",
							   proxy ? ", or socks5:// or socks5h://" : "")));
			break;
		case BEDROCK_URL_BAD_PARTS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for option \"%s\": \"%s\"", name, value),
					 errdetail("The URL must name a host and may not contain user information, a query or a fragment.")));
			break;
	}
}

/*
 * A value of minlen to maxlen characters, each a letter, a digit or one of
 * extra: the character sets IAM and STS accept.
 */
static void
check_pattern(const char *name, const char *value, int minlen, int maxlen,
			  const char *extra, const char *what)
{
	size_t		len = strlen(value);
	const char *p;

	for (p = value; *p; p++)
	{
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			  (*p >= '0' && *p <= '9') || strchr(extra, *p) != NULL))
			break;
	}
	if (*p != '\0' || len < minlen || len > maxlen)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for option \"%s\": \"%s\"", name, value),
				 errdetail("The value must be %s of %d to %d letters, digits and \"%s\".",
						   what, minlen, maxlen, extra)));
}

/* An IAM role ARN: arn:<partition>:iam::<12-digit account>:role/<path and name>. */
static void
check_role_arn(const char *value)
{
	const char *p = value;
	int			digits = 0;

	if (strncmp(p, "arn:aws", 7) == 0)
	{
		p += 7;
		while ((*p >= 'a' && *p <= 'z') || *p == '-')
			p++;
		if (strncmp(p, ":iam::", 6) == 0)
		{
			p += 6;
			while (*p >= '0' && *p <= '9')
			{
				p++;
				digits++;
			}
			if (digits == 12 && strncmp(p, ":role/", 6) == 0 && p[6] != '\0' &&
				strlen(value) <= 2048 && strpbrk(value, " \t\r\n") == NULL)
				return;
		}
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid value for option \"role_arn\": \"%s\"", value),
			 errhint("A role ARN looks like 'arn:aws:iam::123456789012:role/bedrock-reader'.")));
}

static int
parse_int_option(DefElem *def, const BedrockOption *opt)
{
	const char *value = defGetString(def);
	char	   *end;
	long		n;

	errno = 0;
	n = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || n < opt->min || n > opt->max)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for option \"%s\": \"%s\"",
						def->defname, value),
				 errhint("Valid values are integers from %d to %d.", opt->min, opt->max)));
	return (int) n;
}

/* Collect a server's options, with the table's defaults for those not given. */
void
bedrock_get_server_options(ForeignServer *server, BedrockServerOptions *opts)
{
	const BedrockOption *opt;
	ListCell   *cell;

	memset(opts, 0, sizeof(*opts));
	opts->server_name = server->servername;
	for (opt = valid_options; opt->keyword; opt++)
	{
		if (opt->optcontext != ForeignServerRelationId || opt->offset == NOT_STORED)
			continue;
		if (opt->kind == OPT_INT)
			*(int *) ((char *) opts + opt->offset) = opt->defval * opt->scale;
		else if (opt->kind == OPT_BOOL)
			*(bool *) ((char *) opts + opt->offset) = opt->defval != 0;
	}

	foreach(cell, server->options)
	{
		DefElem    *def = (DefElem *) lfirst(cell);
		char	   *field;

		opt = find_option(def->defname, ForeignServerRelationId);
		if (opt && opt->kind == OPT_ACCOUNTS)
		{
			if (strcmp(defGetString(def), "organization") == 0)
				opts->organization = true;
			else
				opts->accounts = parse_accounts(defGetString(def));
			continue;
		}
		if (opt == NULL || opt->offset == NOT_STORED)
			continue;
		field = (char *) opts + opt->offset;
		switch (opt->kind)
		{
			case OPT_INT:
				*(int *) field = parse_int_option(def, opt) * opt->scale;
				break;
			case OPT_BOOL:
				*(bool *) field = defGetBoolean(def);
				break;
			case OPT_CHOICE:
				*(bool *) field = strcmp(defGetString(def), opt->chars) == 0;
				break;
			case OPT_REGIONS:
				if (strcmp(defGetString(def), "all") == 0)
					opts->all_regions = true;
				else
					*(List **) field = parse_regions(defGetString(def));
				break;
			default:
				*(char **) field = pstrdup(defGetString(def));
				break;
		}
	}

	if ((opts->accounts || opts->organization) && opts->role_name == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
				 errmsg("foreign server \"%s\" has the option \"accounts\" but no \"role_name\"",
						server->servername),
				 errdetail("Each account is reached by assuming the role of that name in it."),
				 errhint("Set the server option \"role_name\", for example: ALTER SERVER %s OPTIONS (ADD role_name 'BedrockReadOnly').",
						 quote_identifier(server->servername))));
	if (opts->regions == NIL && !opts->all_regions)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
				 errmsg("foreign server \"%s\" has no regions", server->servername),
				 errhint("Set the server option \"regions\", for example: ALTER SERVER %s OPTIONS (ADD regions 'us-east-1').",
						 quote_identifier(server->servername))));
}

/*
 * The options that choose a user's credentials: keys from the user mapping;
 * profile and role from the user mapping, else from the server.  The strings
 * point into the catalogs' option lists.
 */
void
bedrock_get_credential_options(ForeignServer *server, UserMapping *user,
							   BedrockCredentialOptions *copts)
{
	List	   *lists[2] = {user->options, server->options};
	int			i;

	memset(copts, 0, sizeof(*copts));
	for (i = 0; i < 2; i++)
	{
		ListCell   *cell;
		bool		on_mapping = (i == 0);
		bool		role_here = false;

		foreach(cell, lists[i])
		{
			DefElem    *def = (DefElem *) lfirst(cell);
			const char *name = def->defname;

			if (on_mapping && strcmp(name, "access_key_id") == 0)
				copts->access_key_id = defGetString(def);
			else if (on_mapping && strcmp(name, "secret_access_key") == 0)
				copts->secret_access_key = defGetString(def);
			else if (on_mapping && strcmp(name, "session_token") == 0)
				copts->session_token = defGetString(def);
			else if (strcmp(name, "profile") == 0 && copts->profile == NULL)
			{
				copts->profile = defGetString(def);
				copts->profile_on_mapping = on_mapping;
			}
			else if (strcmp(name, "role_arn") == 0 && copts->role_arn == NULL)
			{
				copts->role_arn = defGetString(def);
				copts->role_on_mapping = on_mapping;
				role_here = true;
			}
		}

		/* a role's settings come from where the role_arn came from */
		if (!role_here)
			continue;
		foreach(cell, lists[i])
		{
			DefElem    *def = (DefElem *) lfirst(cell);

			if (strcmp(def->defname, "external_id") == 0)
				copts->external_id = defGetString(def);
			else if (strcmp(def->defname, "role_session_name") == 0)
				copts->role_session_name = defGetString(def);
			else if (strcmp(def->defname, "duration_seconds") == 0)
				copts->duration_seconds =
					parse_int_option(def, find_option(def->defname, i == 0
													  ? UserMappingRelationId
													  : ForeignServerRelationId));
		}
	}
}
