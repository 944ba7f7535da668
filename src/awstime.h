/*-------------------------------------------------------------------------
 * awstime.h
 *	  Parsing of the ISO-8601 timestamps AWS sends, free of backend code.
 *-------------------------------------------------------------------------
 */
#ifndef BEDROCK_AWSTIME_H
#define BEDROCK_AWSTIME_H

#include <stdbool.h>
#include <stddef.h>

/* Longest output of bedrock_normalize_timestamp, with the NUL. */
#define BEDROCK_TIMESTAMP_BUFLEN 40

/*
 * Check an AWS wire timestamp ("2024-03-18T21:26:11.406Z", with an offset,
 * without fraction, with a space for the T, without a zone meaning UTC) and
 * rewrite it as "YYYY-MM-DD HH:MM:SS[.ffffff]+HH:MM", a form every
 * PostgreSQL date/time input function reads the same way whatever DateStyle
 * says.  Fractions beyond microseconds are truncated.  Returns false if the
 * input is not such a timestamp.
 */
extern bool bedrock_normalize_timestamp(const char *in, size_t len,
										char out[BEDROCK_TIMESTAMP_BUFLEN]);

/* The fields of such a timestamp, as bedrock_normalize_timestamp reads it. */
typedef struct BedrockAwsTime
{
	int			year,
				month,
				day,
				hour,
				minute,
				second;			/* 60: a leap second */
	int			usec;			/* fraction, truncated to microseconds */
	int			nfrac;			/* its digits as sent, at most 6 */
	int			offset_s;		/* east of UTC */
} BedrockAwsTime;

extern bool bedrock_parse_aws_time(const char *in, size_t len, BedrockAwsTime *t);

#endif							/* BEDROCK_AWSTIME_H */
