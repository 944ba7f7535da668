/*-------------------------------------------------------------------------
 * option.c
 *	  Validation and lookup of bedrock_fdw's server and user mapping options.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

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

/* One valid option: its name, where it may appear, and who may set it. */
typedef struct BedrockOption
{
	const char *keyword;
	Oid			optcontext;		/* catalog in which the option may appear */
	bool		superuser_only; /* decides where signed requests go */
} BedrockOption;

static const BedrockOption valid_options[] = {
	{"regions", ForeignServerRelationId, false},
	{"endpoint", ForeignServerRelationId, true},
	{"connect_timeout", ForeignServerRelationId, false},
	{"request_timeout", ForeignServerRelationId, false},
	{"max_concurrency", ForeignServerRelationId, false},
	{"page_size", ForeignServerRelationId, false},
	{"max_retries", ForeignServerRelationId, false},
	{"max_requests_per_second", ForeignServerRelationId, false},
	{"cache_ttl", ForeignServerRelationId, false},
	{"skip_unavailable_regions", ForeignServerRelationId, false},
	{"access_key_id", UserMappingRelationId, false},
	{"secret_access_key", UserMappingRelationId, false},
	{"session_token", UserMappingRelationId, false},
	{NULL, InvalidOid, false}
};

#define DEFAULT_CONNECT_TIMEOUT_MS	10000
#define DEFAULT_REQUEST_TIMEOUT_MS	60000
#define DEFAULT_MAX_CONCURRENCY		16
#define DEFAULT_PAGE_SIZE			100
#define DEFAULT_MAX_RETRIES			3

PG_FUNCTION_INFO_V1(bedrock_fdw_validator);

static const BedrockOption *find_option(const char *keyword, Oid context);
static void check_option_value(DefElem *def);
static List *parse_regions(const char *value);
static void check_endpoint(const char *value);
static int	parse_int_option(DefElem *def, int min, int max);

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
					 errdetail("The option decides where signed requests are sent."),
					 errhint("Only a superuser can set this option.")));

		check_option_value(def);
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
check_option_value(DefElem *def)
{
	const char *name = def->defname;
	const char *value = defGetString(def);

	if (strcmp(name, "regions") == 0)
		(void) parse_regions(value);
	else if (strcmp(name, "endpoint") == 0)
		check_endpoint(value);
	else if (strcmp(name, "connect_timeout") == 0 ||
			 strcmp(name, "request_timeout") == 0)
		(void) parse_int_option(def, 1, 3600);
	else if (strcmp(name, "max_concurrency") == 0)
		(void) parse_int_option(def, 1, 256);
	else if (strcmp(name, "page_size") == 0)
		(void) parse_int_option(def, 1, 1000);
	else if (strcmp(name, "max_retries") == 0)
		(void) parse_int_option(def, 0, 10);
	else if (strcmp(name, "max_requests_per_second") == 0)
		(void) parse_int_option(def, 0, 100000);
	else if (strcmp(name, "cache_ttl") == 0)
		(void) parse_int_option(def, 0, 86400);
	else if (strcmp(name, "skip_unavailable_regions") == 0)
		(void) defGetBoolean(def);
	else if (value[0] == '\0')
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

/*
 * An endpoint is an http or https URL with a host, optionally containing the
 * placeholder {region}, without query or fragment.
 */
static void
check_endpoint(const char *value)
{
	const char *rest;

	if (strncmp(value, "https://", 8) == 0)
		rest = value + 8;
	else if (strncmp(value, "http://", 7) == 0)
		rest = value + 7;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for option \"endpoint\": \"%s\"", value),
				 errdetail("The endpoint must be an http:// or https:// URL.")));

	if (*rest == '\0' || *rest == '/' || strpbrk(value, "?# \t\r\n") != NULL ||
		strchr(rest, '@') != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for option \"endpoint\": \"%s\"", value),
				 errdetail("The endpoint must name a host and may not contain user information, a query or a fragment.")));
}

static int
parse_int_option(DefElem *def, int min, int max)
{
	const char *value = defGetString(def);
	char	   *end;
	long		n;

	errno = 0;
	n = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || n < min || n > max)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for option \"%s\": \"%s\"",
						def->defname, value),
				 errhint("Valid values are integers from %d to %d.", min, max)));
	return (int) n;
}

/* Collect a server's options, with defaults for those not given. */
void
bedrock_get_server_options(ForeignServer *server, BedrockServerOptions *opts)
{
	ListCell   *cell;

	memset(opts, 0, sizeof(*opts));
	opts->connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;
	opts->request_timeout_ms = DEFAULT_REQUEST_TIMEOUT_MS;
	opts->max_concurrency = DEFAULT_MAX_CONCURRENCY;
	opts->page_size = DEFAULT_PAGE_SIZE;
	opts->max_retries = DEFAULT_MAX_RETRIES;

	foreach(cell, server->options)
	{
		DefElem    *def = (DefElem *) lfirst(cell);

		if (strcmp(def->defname, "regions") == 0)
			opts->regions = parse_regions(defGetString(def));
		else if (strcmp(def->defname, "endpoint") == 0)
			opts->endpoint = pstrdup(defGetString(def));
		else if (strcmp(def->defname, "connect_timeout") == 0)
			opts->connect_timeout_ms = parse_int_option(def, 1, 3600) * 1000;
		else if (strcmp(def->defname, "request_timeout") == 0)
			opts->request_timeout_ms = parse_int_option(def, 1, 3600) * 1000;
		else if (strcmp(def->defname, "max_concurrency") == 0)
			opts->max_concurrency = parse_int_option(def, 1, 256);
		else if (strcmp(def->defname, "page_size") == 0)
			opts->page_size = parse_int_option(def, 1, 1000);
		else if (strcmp(def->defname, "max_retries") == 0)
			opts->max_retries = parse_int_option(def, 0, 10);
		else if (strcmp(def->defname, "max_requests_per_second") == 0)
			opts->max_requests_per_second = parse_int_option(def, 0, 100000);
		else if (strcmp(def->defname, "cache_ttl") == 0)
			opts->cache_ttl = parse_int_option(def, 0, 86400);
		else if (strcmp(def->defname, "skip_unavailable_regions") == 0)
			opts->skip_unavailable_regions = defGetBoolean(def);
	}

	if (opts->regions == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
				 errmsg("foreign server \"%s\" has no regions", server->servername),
				 errhint("Set the server option \"regions\", for example: ALTER SERVER %s OPTIONS (ADD regions 'us-east-1').",
						 quote_identifier(server->servername))));
}

/*
 * Take the credentials from a user mapping.  The copies are palloc'd; call
 * bedrock_wipe_credentials when done with them.
 */
void
bedrock_get_credentials(UserMapping *user, BedrockCredentials *creds)
{
	ListCell   *cell;

	memset(creds, 0, sizeof(*creds));
	foreach(cell, user->options)
	{
		DefElem    *def = (DefElem *) lfirst(cell);

		if (strcmp(def->defname, "access_key_id") == 0)
			creds->access_key_id = pstrdup(defGetString(def));
		else if (strcmp(def->defname, "secret_access_key") == 0)
			creds->secret_access_key = pstrdup(defGetString(def));
		else if (strcmp(def->defname, "session_token") == 0)
			creds->session_token = pstrdup(defGetString(def));
	}

	if (creds->access_key_id == NULL || creds->secret_access_key == NULL)
	{
		bedrock_wipe_credentials(creds);
		ereport(ERROR,
				(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
				 errmsg("user mapping has no AWS credentials"),
				 errdetail("Both \"access_key_id\" and \"secret_access_key\" are required."),
				 errhint("Add them with ALTER USER MAPPING ... OPTIONS (ADD access_key_id '...', ADD secret_access_key '...').")));
	}
}

/* Zero and free the secrets of a credentials struct. */
void
bedrock_wipe_credentials(BedrockCredentials *creds)
{
	if (creds->secret_access_key)
	{
		explicit_bzero(creds->secret_access_key, strlen(creds->secret_access_key));
		pfree(creds->secret_access_key);
	}
	if (creds->session_token)
	{
		explicit_bzero(creds->session_token, strlen(creds->session_token));
		pfree(creds->session_token);
	}
	if (creds->access_key_id)
		pfree(creds->access_key_id);
	memset(creds, 0, sizeof(*creds));
}
