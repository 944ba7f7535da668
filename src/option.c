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
	bool		superuser_only; /* where requests go, what runs, whose identity */
} BedrockOption;

/*
 * Superuser-only options decide where signed requests go (endpoint,
 * sts_endpoint, proxy), whom TLS trusts (ca_file), or let a user act as the
 * PostgreSQL server's own AWS identity (profile, allow_ambient_credentials):
 * a profile's credential_process runs a command on the server.
 */
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
	{"sts_endpoint", ForeignServerRelationId, true},
	{"ca_file", ForeignServerRelationId, true},
	{"proxy", ForeignServerRelationId, true},
	{"allow_ambient_credentials", ForeignServerRelationId, true},
	{"profile", ForeignServerRelationId, true},
	{"role_arn", ForeignServerRelationId, false},
	{"external_id", ForeignServerRelationId, false},
	{"role_session_name", ForeignServerRelationId, false},
	{"duration_seconds", ForeignServerRelationId, false},
	{"access_key_id", UserMappingRelationId, false},
	{"secret_access_key", UserMappingRelationId, false},
	{"session_token", UserMappingRelationId, false},
	{"profile", UserMappingRelationId, true},
	{"role_arn", UserMappingRelationId, false},
	{"external_id", UserMappingRelationId, false},
	{"role_session_name", UserMappingRelationId, false},
	{"duration_seconds", UserMappingRelationId, false},
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
static void check_endpoint(const char *name, const char *value);
static void check_pattern(const char *name, const char *value, int minlen,
						  int maxlen, const char *extra, const char *what);
static void check_role_arn(const char *value);
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
					 errdetail("%s",
							   strcmp(def->defname, "profile") == 0 ||
							   strcmp(def->defname, "allow_ambient_credentials") == 0
							   ? "The option lets users act with the PostgreSQL server's own AWS credentials."
							   : strcmp(def->defname, "ca_file") == 0
							   ? "The option decides which certificates are trusted."
							   : "The option decides where requests are sent."),
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
	else if (strcmp(name, "endpoint") == 0 || strcmp(name, "sts_endpoint") == 0 ||
			 strcmp(name, "proxy") == 0)
		check_endpoint(name, value);
	else if (strcmp(name, "ca_file") == 0)
	{
		if (!is_absolute_path(value))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for option \"ca_file\": \"%s\"", value),
					 errdetail("The CA bundle must be given as an absolute path.")));
	}
	else if (strcmp(name, "allow_ambient_credentials") == 0)
		(void) defGetBoolean(def);
	else if (strcmp(name, "profile") == 0)
		check_pattern(name, value, 1, 128, "_+=,.@:/-", "a profile name");
	else if (strcmp(name, "role_arn") == 0)
		check_role_arn(value);
	else if (strcmp(name, "external_id") == 0)
		check_pattern(name, value, 2, 1224, "_+=,.@:/-", "an external ID");
	else if (strcmp(name, "role_session_name") == 0)
		check_pattern(name, value, 2, 64, "_+=,.@-", "a role session name");
	else if (strcmp(name, "duration_seconds") == 0)
		(void) parse_int_option(def, 900, 43200);
	else if (strcmp(name, "access_key_id") == 0 ||
			 strcmp(name, "secret_access_key") == 0 ||
			 strcmp(name, "session_token") == 0)
	{
		const char *p;

		/* they go into HTTP headers: printable ASCII, no blanks */
		for (p = value; *p; p++)
		{
			if (*p <= ' ' || *p > '~')
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid value for option \"%s\"", name),
						 errdetail("AWS keys and tokens hold only printable ASCII characters, without blanks.")));
		}
		if (value[0] == '\0')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid value for option \"%s\": empty string",
							name)));
	}
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
		else if (strcmp(def->defname, "sts_endpoint") == 0)
			opts->sts_endpoint = pstrdup(defGetString(def));
		else if (strcmp(def->defname, "ca_file") == 0)
			opts->ca_file = pstrdup(defGetString(def));
		else if (strcmp(def->defname, "proxy") == 0)
			opts->proxy = pstrdup(defGetString(def));
		else if (strcmp(def->defname, "allow_ambient_credentials") == 0)
			opts->allow_ambient_credentials = defGetBoolean(def);
	}

	if (opts->regions == NIL)
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
				copts->duration_seconds = parse_int_option(def, 900, 43200);
		}
	}
}
