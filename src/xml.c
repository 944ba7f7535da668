/*-------------------------------------------------------------------------
 * xml.c
 *	  Reading STS's XML answers with libxml2, free of backend code.
 *
 * The parser is set up for hostile input: a document over 1 MB, one that
 * does not start with an element, or one with a DTD or an entity
 * declaration is refused before libxml2 sees it; libxml2 then reads it as
 * UTF-8 without network access, without entity substitution and without
 * reporting errors anywhere.  Only element children are walked, by local
 * name.
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE				/* memmem */
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "xml.h"

#define MAX_XML_BYTES (1024 * 1024)

static xmlDocPtr parse(const char *data, size_t len);
static xmlNodePtr child(xmlNodePtr node, const char *name);
static char *text(xmlNodePtr node);

/* Parse untrusted XML; NULL if refused or not well-formed. */
static xmlDocPtr
parse(const char *data, size_t len)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr	doc;
	const char *start = data;

	if (len == 0 || len > MAX_XML_BYTES)
		return NULL;
	while (start < data + len && (*start == ' ' || *start == '\t' ||
								  *start == '\r' || *start == '\n'))
		start++;
	/* STS sends UTF-8 XML without a DTD: refuse anything else unread */
	if (start == data + len || *start != '<' ||
		memmem(data, len, "<!DOCTYPE", 9) != NULL ||
		memmem(data, len, "<!ENTITY", 8) != NULL)
		return NULL;
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL)
		return NULL;
	doc = xmlCtxtReadMemory(ctxt, data, (int) len, NULL, "UTF-8",
							XML_PARSE_NONET | XML_PARSE_NOERROR |
							XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (doc != NULL && (!ctxt->wellFormed || doc->intSubset != NULL ||
						doc->extSubset != NULL))
	{
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

/* The first element child of node with the given local name, or NULL. */
static xmlNodePtr
child(xmlNodePtr node, const char *name)
{
	xmlNodePtr	c;

	if (node == NULL)
		return NULL;
	for (c = node->children; c; c = c->next)
	{
		if (c->type == XML_ELEMENT_NODE &&
			strcmp((const char *) c->name, name) == 0)
			return c;
	}
	return NULL;
}

/* The text of an element, malloc'd; NULL if absent or out of memory. */
static char *
text(xmlNodePtr node)
{
	xmlChar    *content;
	char	   *copy;

	if (node == NULL)
		return NULL;
	content = xmlNodeGetContent(node);
	if (content == NULL)
		return NULL;
	copy = strdup((const char *) content);
	explicit_bzero(content, strlen((const char *) content));
	xmlFree(content);
	return copy;
}

bool
bedrock_xml_credentials(const char *data, size_t len, const char *action,
						BedrockXmlCredentials *out)
{
	xmlDocPtr	doc;
	xmlNodePtr	root;
	xmlNodePtr	creds;
	char		name[64];

	memset(out, 0, sizeof(*out));
	if (strlen(action) > 40)
		return false;
	doc = parse(data, len);
	if (doc == NULL)
		return false;
	root = xmlDocGetRootElement(doc);
	snprintf(name, sizeof(name), "%sResponse", action);
	if (root == NULL || strcmp((const char *) root->name, name) != 0)
	{
		xmlFreeDoc(doc);
		return false;
	}
	snprintf(name, sizeof(name), "%sResult", action);
	creds = child(child(root, name), "Credentials");
	out->access_key_id = text (child(creds, "AccessKeyId"));
	out->secret_access_key = text (child(creds, "SecretAccessKey"));
	out->session_token = text (child(creds, "SessionToken"));
	out->expiration = text (child(creds, "Expiration"));

	xmlFreeDoc(doc);
	return true;
}

/* Zero the secrets, free everything. */
void
bedrock_xml_free_credentials(BedrockXmlCredentials *creds)
{
	if (creds->secret_access_key)
		explicit_bzero(creds->secret_access_key, strlen(creds->secret_access_key));
	if (creds->session_token)
		explicit_bzero(creds->session_token, strlen(creds->session_token));
	free(creds->access_key_id);
	free(creds->secret_access_key);
	free(creds->session_token);
	free(creds->expiration);
	memset(creds, 0, sizeof(*creds));
}

bool
bedrock_xml_error(const char *data, size_t len, char **code, char **message)
{
	xmlDocPtr	doc = parse(data, len);
	xmlNodePtr	root;
	xmlNodePtr	error;

	*code = NULL;
	*message = NULL;
	if (doc == NULL)
		return false;
	root = xmlDocGetRootElement(doc);
	if (root == NULL || strcmp((const char *) root->name, "ErrorResponse") != 0)
	{
		xmlFreeDoc(doc);
		return false;
	}
	error = child(root, "Error");
	*code = text (child(error, "Code"));
	*message = text (child(error, "Message"));

	xmlFreeDoc(doc);
	return true;
}
