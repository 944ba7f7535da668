/*-------------------------------------------------------------------------
 * awstime.c
 *	  Parsing of the ISO-8601 timestamps AWS sends, free of backend code.
 *-------------------------------------------------------------------------
 */
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
bedrock_parse_aws_time(const char *in, size_t len, BedrockAwsTime *t)
{
	static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	const char *p = in;
	const char *end = in + len;
	int			off_h = 0,
				off_m = 0;
	bool		leap;

	memset(t, 0, sizeof(*t));
	if (!read_digits(&p, end, 4, &t->year) || p >= end || *p++ != '-' ||
		!read_digits(&p, end, 2, &t->month) || p >= end || *p++ != '-' ||
		!read_digits(&p, end, 2, &t->day) || p >= end ||
		(*p != 'T' && *p != 't' && *p != ' '))
		return false;
	p++;
	if (!read_digits(&p, end, 2, &t->hour) || p >= end || *p++ != ':' ||
		!read_digits(&p, end, 2, &t->minute) || p >= end || *p++ != ':' ||
		!read_digits(&p, end, 2, &t->second))
		return false;

	if (p < end && (*p == '.' || *p == ','))
	{
		const char *start = ++p;
		int			scale = 100000;

		while (p < end && *p >= '0' && *p <= '9')
		{
			/* beyond microseconds: truncated */
			t->usec += (*p - '0') * scale;
			scale /= 10;
			if (t->nfrac < 6)
				t->nfrac++;
			p++;
		}
		if (p == start)
			return false;
	}

	if (p < end && (*p == 'Z' || *p == 'z'))
		p++;
	else if (p < end && (*p == '+' || *p == '-'))
	{
		char		sign = *p++;

		if (!read_digits(&p, end, 2, &off_h))
			return false;
		if (p < end && *p == ':')
			p++;
		if (!read_digits(&p, end, 2, &off_m))
			return false;
		if (off_h > 15 || off_m > 59)
			return false;
		t->offset_s = (off_h * 60 + off_m) * 60 * (sign == '-' ? -1 : 1);
	}
	if (p != end)
		return false;

	leap = (t->year % 4 == 0 && t->year % 100 != 0) || t->year % 400 == 0;
	if (t->year < 1 || t->month < 1 || t->month > 12 || t->day < 1 ||
		t->day > mdays[t->month - 1] || (t->month == 2 && t->day == 29 && !leap) ||
		t->hour > 23 || t->minute > 59 || t->second > 60)
		return false;
	return true;
}

/* n as width digits, zero-padded, at *out; advances it. */
static void
put_digits(char **out, int n, int width)
{
	int			i;

	for (i = width - 1; i >= 0; i--)
	{
		(*out)[i] = (char) ('0' + n % 10);
		n /= 10;
	}
	*out += width;
}

bool
bedrock_normalize_timestamp(const char *in, size_t len,
							char out[BEDROCK_TIMESTAMP_BUFLEN])
{
	BedrockAwsTime t;
	char	   *o = out;
	int			off;

	if (!bedrock_parse_aws_time(in, len, &t))
		return false;
	/* "YYYY-MM-DD HH:MM:SS[.f]+HH:MM", without printf: a row has several */
	put_digits(&o, t.year, 4);
	*o++ = '-';
	put_digits(&o, t.month, 2);
	*o++ = '-';
	put_digits(&o, t.day, 2);
	*o++ = ' ';
	put_digits(&o, t.hour, 2);
	*o++ = ':';
	put_digits(&o, t.minute, 2);
	*o++ = ':';
	put_digits(&o, t.second, 2);
	if (t.nfrac > 0)
	{
		int			usec = t.usec;
		int			i;

		*o++ = '.';
		for (i = 6; i > t.nfrac; i--)
			usec /= 10;
		put_digits(&o, usec, t.nfrac);
	}
	off = t.offset_s;
	*o++ = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	put_digits(&o, off / 3600, 2);
	*o++ = ':';
	put_digits(&o, off / 60 % 60, 2);
	*o = '\0';
	return true;
}
