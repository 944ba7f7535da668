/*-------------------------------------------------------------------------
 * credvalue.c
 *	  AWS credentials as values: made from strings or from the JSON that
 *	  metadata services and credential_process print, copied, zeroed when
 *	  dropped, and judged due for renewal.  The credential sources (sts.c,
 *	  metadata.c, process.c, profile.c, envcreds.c) and the chain
 *	  (credentials.c) build on these; this file calls neither.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "storage/fd.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "awstime.h"
#include "bedrock_fdw.h"

/* Refresh this long before expiry, or at half the lifetime if shorter. */
#define REFRESH_WINDOW_US	(300 * USECS_PER_SEC)

/* whose credentials the chain is resolving: names STS sessions */
static Oid	session_user_id = InvalidOid;

/* Set by the chain: the user whose mapping the credentials are for. */
void
bedrock_set_session_user(Oid userid)
{
	session_user_id = userid;
}

/*
 * Whether credentials are due for a refresh: within five minutes of their
 * expiry, or past half their lifetime when that is shorter.
 */
bool
bedrock_credentials_expiring(const BedrockCredentials *creds)
{
	TimestampTz window;

	if (creds->expiration == 0)
		return false;
	window = Min(REFRESH_WINDOW_US, (creds->expiration - creds->obtained) / 2);
	return GetCurrentTimestamp() >= creds->expiration - window;
}

void
bedrock_copy_credentials(const BedrockCredentials *src, BedrockCredentials *dst,
						 MemoryContext cxt)
{
	dst->access_key_id = MemoryContextStrdup(cxt, src->access_key_id);
	dst->secret_access_key = MemoryContextStrdup(cxt, src->secret_access_key);
	dst->session_token = src->session_token
		? MemoryContextStrdup(cxt, src->session_token) : NULL;
	dst->expiration = src->expiration;
	dst->obtained = src->obtained;
	dst->source = MemoryContextStrdup(cxt, src->source);
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
	if (creds->source)
		pfree(creds->source);
	memset(creds, 0, sizeof(*creds));
}

/* Credentials from given strings, copied; expiration NULL-able. */
void
bedrock_static_credentials(const char *access_key_id,
						   const char *secret_access_key,
						   const char *session_token, const char *source,
						   BedrockCredentials *creds)
{
	const char *parts[3] = {access_key_id, secret_access_key, session_token};
	int			i;

	/* whatever the source, they go into HTTP headers */
	for (i = 0; i < lengthof(parts); i++)
	{
		const char *p;

		for (p = parts[i]; p && *p; p++)
		{
			if (*p <= ' ' || *p > '~')
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
						 errmsg("AWS credentials from %s hold characters that are not printable ASCII",
								source)));
		}
	}
	memset(creds, 0, sizeof(*creds));
	creds->access_key_id = pstrdup(access_key_id);
	creds->secret_access_key = pstrdup(secret_access_key);
	creds->session_token = session_token && session_token[0]
		? pstrdup(session_token) : NULL;
	creds->obtained = GetCurrentTimestamp();
	creds->source = pstrdup(source);
}

/*
 * The whole of a small file that holds a secret (a token), trailing
 * whitespace removed.  The caller zeroes it when done.
 */
char *
bedrock_read_secret_file(const char *path, const char *what, size_t max_len)
{
	FILE	   *f = AllocateFile(path, "r");
	char	   *buf;
	size_t		len;

	if (f == NULL)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not open %s \"%s\": %m", what, path)));
	buf = palloc(max_len + 1);
	len = fread(buf, 1, max_len + 1, f);
	if (ferror(f))
	{
		FreeFile(f);
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not read %s \"%s\": %m", what, path)));
	}
	FreeFile(f);
	if (len > max_len)
	{
		explicit_bzero(buf, len);
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s \"%s\" is larger than %zu bytes", what, path, max_len)));
	}
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' ||
					   buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		len--;
	buf[len] = '\0';
	if (len == 0 || memchr(buf, '\0', len) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s \"%s\" is empty or not text", what, path)));
	return buf;
}

/* An Expiration timestamp as AWS sends it; anything else is an ERROR. */
TimestampTz
bedrock_parse_expiration(const char *text, size_t len, const char *what)
{
	char		norm[BEDROCK_TIMESTAMP_BUFLEN];

	if (!bedrock_normalize_timestamp(text, len, norm))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_DATETIME_FORMAT),
				 errmsg("%s returned an invalid Expiration", what)));
	return DatumGetTimestampTz(DirectFunctionCall3(timestamptz_in,
												   CStringGetDatum(norm),
												   ObjectIdGetDatum(InvalidOid),
												   Int32GetDatum(-1)));
}

/*
 * Credentials from a JSON document in the form metadata services and
 * credential_process use: AccessKeyId, SecretAccessKey, a session token
 * member named token_member, and an optional Expiration.
 */
void
bedrock_credentials_from_json(const BedrockJson *doc, const char *token_member,
							  const char *what, BedrockCredentials *creds)
{
	const char *members[] = {"AccessKeyId", "SecretAccessKey", token_member, "Expiration"};
	char	   *values[lengthof(members)];
	int			i;

	if (bedrock_json_type(doc) != BEDROCK_JSON_OBJECT)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("%s returned a JSON %s, expected an object",
						what, bedrock_json_type_name(doc))));
	for (i = 0; i < lengthof(members); i++)
	{
		BedrockJson *m = bedrock_json_member(doc, members[i]);
		size_t		len = 0;
		const char *s = m ? bedrock_json_string(m, &len) : NULL;

		if ((m && s == NULL && bedrock_json_type(m) != BEDROCK_JSON_NULL) ||
			(s && memchr(s, '\0', len) != NULL))
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
					 errmsg("%s returned an invalid %s", what, members[i])));
		values[i] = (s && len > 0) ? pnstrdup(s, len) : NULL;
	}
	if (values[0] == NULL || values[1] == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("%s returned no %s", what,
						values[0] == NULL ? "AccessKeyId" : "SecretAccessKey")));
	bedrock_static_credentials(values[0], values[1], values[2], what, creds);
	if (values[3])
	{
		creds->expiration = bedrock_parse_expiration(values[3], strlen(values[3]), what);
		if (creds->expiration <= GetCurrentTimestamp())
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
					 errmsg("%s returned credentials that have already expired", what)));
	}
	explicit_bzero(values[1], strlen(values[1]));
	if (values[2])
		explicit_bzero(values[2], strlen(values[2]));
}

/*
 * A role session name that says whose call it is, as CloudTrail shows it:
 * "bedrock_fdw-" and the name of the user whose mapping applies (a view's
 * owner for a view), characters STS does not accept replaced by "_".
 */
char *
bedrock_default_session_name(void)
{
	const char *user = GetUserNameFromId(OidIsValid(session_user_id)
										 ? session_user_id : GetUserId(), true);
	char	   *name = psprintf("bedrock_fdw-%.51s", user ? user : "unknown");
	char	   *p;

	for (p = name; *p; p++)
	{
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			  (*p >= '0' && *p <= '9') || strchr("_+=,.@-", *p) != NULL))
			*p = '_';
	}
	return name;
}
