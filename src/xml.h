/*-------------------------------------------------------------------------
 * xml.h
 *	  Reading AWS query-protocol (STS) XML answers, free of backend code.
 *
 * xml.c is the only file that uses libxml2; it needs no backend, so the
 * fuzzer links it alone.  Strings it returns are malloc'd: the caller
 * copies what it needs and frees them (bedrock_xml_free_credentials zeroes
 * the secrets first) before anything that can longjmp (ereport).
 *-------------------------------------------------------------------------
 */
#ifndef BEDROCK_XML_H
#define BEDROCK_XML_H

#include <stdbool.h>
#include <stddef.h>

/* The Credentials of an STS answer; each member malloc'd, or NULL if absent. */
typedef struct BedrockXmlCredentials
{
	char	   *access_key_id;
	char	   *secret_access_key;
	char	   *session_token;
	char	   *expiration;
} BedrockXmlCredentials;

/*
 * Read <ACTIONResponse><ACTIONResult><Credentials>... from an answer.
 * False if it is not such a document (or not well-formed, not UTF-8, has a
 * DTD, is over 1 MB) or memory ran out; members may be NULL even when true.
 */
extern bool bedrock_xml_credentials(const char *data, size_t len,
									const char *action,
									BedrockXmlCredentials *out);
extern void bedrock_xml_free_credentials(BedrockXmlCredentials *creds);

/*
 * The Code and Message of an <ErrorResponse>, malloc'd (either may be
 * NULL); false if the body is not one.
 */
extern bool bedrock_xml_error(const char *data, size_t len, char **code,
							  char **message);

#endif							/* BEDROCK_XML_H */
