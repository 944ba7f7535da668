/*-------------------------------------------------------------------------
 * awstime_test.c
 *	  Checks of the AWS timestamp parser: every accepted form and rejects.
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <string.h>

#include "awstime.h"

typedef struct Case
{
	const char *in;
	const char *want;			/* NULL: must be rejected */
} Case;

static const Case cases[] = {
	{"2024-03-18T21:26:11.406Z", "2024-03-18 21:26:11.406+00:00"},
	{"2024-03-18T21:26:11Z", "2024-03-18 21:26:11+00:00"},
	{"2019-12-16T22:48:18-01:00", "2019-12-16 22:48:18-01:00"},
	{"2019-12-16T22:48:18+0530", "2019-12-16 22:48:18+05:30"},
	{"2024-03-18 21:26:11.406Z", "2024-03-18 21:26:11.406+00:00"},
	{"2024-03-18T21:26:11.406", "2024-03-18 21:26:11.406+00:00"},
	{"2024-03-18T21:26:11", "2024-03-18 21:26:11+00:00"},
	{"2024-03-18t21:26:11.123456789z", "2024-03-18 21:26:11.123456+00:00"},
	{"2024-02-29T00:00:00Z", "2024-02-29 00:00:00+00:00"},
	{"2016-12-31T23:59:60Z", "2016-12-31 23:59:60+00:00"},
	{"", NULL},
	{"2024-03-18", NULL},
	{"2024-03-18T21:26", NULL},
	{"2024-13-18T21:26:11Z", NULL},
	{"2023-02-29T21:26:11Z", NULL},
	{"2024-03-32T21:26:11Z", NULL},
	{"2024-03-18T24:00:00Z", NULL},
	{"2024-03-18T21:26:11.Z", NULL},
	{"2024-03-18T21:26:11ZZ", NULL},
	{"2024-03-18T21:26:11+1", NULL},
	{"2024-03-18T21:26:11+16:00", NULL},
	{"2024-03-18X21:26:11Z", NULL},
	{"1710797171", NULL},
	{"2024-03-18T21:26:11Z; DROP", NULL},
	{"-024-03-18T21:26:11Z", NULL},
};

int
main(void)
{
	int			passed = 0,
				failed = 0;
	size_t		i;
	char		out[BEDROCK_TIMESTAMP_BUFLEN];
	char		embedded[] = "2024-03-18T21:26:11Z\0junk";

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		const Case *c = &cases[i];
		bool		ok = bedrock_normalize_timestamp(c->in, strlen(c->in), out);
		bool		good = c->want ? (ok && strcmp(out, c->want) == 0) : !ok;

		printf("%s %zu - \"%s\"", good ? "ok" : "not ok", i + 1, c->in);
		if (!good)
			printf(" (got %s, want %s)", ok ? out : "reject",
				   c->want ? c->want : "reject");
		printf("\n");
		if (good)
			passed++;
		else
			failed++;
	}

	/* the length bounds the parse: an embedded NUL and junk is rejected */
	if (!bedrock_normalize_timestamp(embedded, sizeof(embedded) - 1, out))
		passed++;
	else
	{
		printf("not ok - embedded NUL accepted\n");
		failed++;
	}

	printf("%d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
