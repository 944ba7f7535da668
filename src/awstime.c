/*-------------------------------------------------------------------------
 * awstime.c
 *	  Parsing of the ISO-8601 timestamps AWS sends, free of backend code.
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <string.h>

#include "awstime.h"

static bool read_digits(const char **p, const char *end, int n, int *value);

/* Read exactly n decimal digits. */
static bool
read_digits(const char **p, const char *end, int n, int *value)
{
	int			v = 0;
	int			i;

	if (end - *p < n)
		return false;
	for (i = 0; i < n; i++)
	{
		char		c = (*p)[i];

		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*value = v;
	return true;
}

bool
bedrock_normalize_timestamp(const char *in, size_t len,
							char out[BEDROCK_TIMESTAMP_BUFLEN])
{
	static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	const char *p = in;
	const char *end = in + len;
	int			year,
				month,
				day,
				hour,
				minute,
				second;
	char		fraction[7] = "";
	int			nfrac = 0;
	char		sign = '+';
	int			off_h = 0,
				off_m = 0;
	bool		leap;

	if (!read_digits(&p, end, 4, &year) || p >= end || *p++ != '-' ||
		!read_digits(&p, end, 2, &month) || p >= end || *p++ != '-' ||
		!read_digits(&p, end, 2, &day) || p >= end ||
		(*p != 'T' && *p != 't' && *p != ' '))
		return false;
	p++;
	if (!read_digits(&p, end, 2, &hour) || p >= end || *p++ != ':' ||
		!read_digits(&p, end, 2, &minute) || p >= end || *p++ != ':' ||
		!read_digits(&p, end, 2, &second))
		return false;

	if (p < end && (*p == '.' || *p == ','))
	{
		const char *start = ++p;

		while (p < end && *p >= '0' && *p <= '9')
		{
			if (nfrac < 6)
				fraction[nfrac++] = *p;
			p++;
		}
		if (p == start)
			return false;
		fraction[nfrac] = '\0';
	}

	if (p < end && (*p == 'Z' || *p == 'z'))
		p++;
	else if (p < end && (*p == '+' || *p == '-'))
	{
		sign = *p++;
		if (!read_digits(&p, end, 2, &off_h))
			return false;
		if (p < end && *p == ':')
			p++;
		if (!read_digits(&p, end, 2, &off_m))
			return false;
		if (off_h > 15 || off_m > 59)
			return false;
	}
	if (p != end)
		return false;

	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	if (year < 1 || month < 1 || month > 12 || day < 1 ||
		day > mdays[month - 1] || (month == 2 && day == 29 && !leap) ||
		hour > 23 || minute > 59 || second > 60)
		return false;

	snprintf(out, BEDROCK_TIMESTAMP_BUFLEN,
			 "%04d-%02d-%02d %02d:%02d:%02d%s%s%c%02d:%02d",
			 year, month, day, hour, minute, second,
			 nfrac > 0 ? "." : "", fraction, sign, off_h, off_m);
	return true;
}
