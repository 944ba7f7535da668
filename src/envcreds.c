/*-------------------------------------------------------------------------
 * envcreds.c
 *	  The credential source of the server process's environment:
 *	  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, as the
 *	  AWS SDKs read them (a profile's credential_source Environment too).
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <stdlib.h>

#include "bedrock_fdw.h"

/* AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN. */
bool
bedrock_env_credentials(BedrockCredentials *creds)
{
	const char *id = getenv("AWS_ACCESS_KEY_ID");
	const char *secret = getenv("AWS_SECRET_ACCESS_KEY");

	if (id && !id[0])
		id = NULL;
	if (secret && !secret[0])
		secret = NULL;
	if (id == NULL && secret == NULL)
		return false;
	if (id == NULL || secret == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
				 errmsg("the PostgreSQL server's environment has only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")));
	bedrock_static_credentials(id, secret, getenv("AWS_SESSION_TOKEN"),
							   "the PostgreSQL server's environment (AWS_ACCESS_KEY_ID)",
							   creds);
	return true;
}
