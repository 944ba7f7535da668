/*-------------------------------------------------------------------------
 * fuzz_xml.c
 *	  libFuzzer harness for the STS XML reader (xml.c): every input is read
 *	  as an AssumeRole answer, an AssumeRoleWithWebIdentity answer and an
 *	  error answer, as sts.c and call.c read them.  Beyond the sanitizers
 *	  it checks that what comes back is NUL-terminated text whose length
 *	  the input bounds.  Build and run: test/fuzz/run.sh.
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xml.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const char *s, size_t size)
{
	/* libxml2 may expand character references, never beyond the input */
	if (s != NULL && strlen(s) > size)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const actions[] = {"AssumeRole", "AssumeRoleWithWebIdentity"};
	BedrockXmlCredentials creds;
	char	   *code;
	char	   *message;
	size_t		i;

	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
	{
		if (bedrock_xml_credentials((const char *) data, size, actions[i], &creds))
		{
			check(creds.access_key_id, size);
			check(creds.secret_access_key, size);
			check(creds.session_token, size);
			check(creds.expiration, size);
		}
		bedrock_xml_free_credentials(&creds);
	}
	if (bedrock_xml_error((const char *) data, size, &code, &message))
	{
		check(code, size);
		check(message, size);
	}
	free(code);
	free(message);
	return 0;
}
