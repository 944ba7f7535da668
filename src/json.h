/*-------------------------------------------------------------------------
 * json.h
 *	  Parsing and walking Bedrock responses, free of backend code.
 *
 * This header and json.c use only libc, so plain C tests and fuzzers link
 * them without a backend.  A parsed document is a malloc'd arena that its
 * owner releases with bedrock_json_free(); nodes handed out are borrowed
 * pointers into it.  The PostgreSQL side (convert.c) ties a
 * document to a memory context, see bedrock_json_parse() in bedrock_fdw.h.
 *-------------------------------------------------------------------------
 */
#ifndef BEDROCK_JSON_H
#define BEDROCK_JSON_H

#include <stdbool.h>
#include <stddef.h>

/* Deepest nesting accepted in a response; Bedrock's shapes need about 8. */
#define BEDROCK_JSON_MAX_DEPTH 64

typedef struct BedrockJson BedrockJson;

typedef enum BedrockJsonType
{
	BEDROCK_JSON_NULL,
	BEDROCK_JSON_BOOLEAN,
	BEDROCK_JSON_NUMBER,
	BEDROCK_JSON_STRING,
	BEDROCK_JSON_ARRAY,
	BEDROCK_JSON_OBJECT
} BedrockJsonType;

/* Why bedrock_json_to_jsonb_text failed. */
typedef enum BedrockJsonStatus
{
	BEDROCK_JSON_OK,
	BEDROCK_JSON_NUL_CHAR,		/* a string holds \u0000, which text cannot */
	BEDROCK_JSON_NO_MEMORY
} BedrockJsonStatus;

/* A growable, NUL-terminated byte string; {NULL, 0, 0} is empty. */
typedef struct BedrockJsonBuf
{
	char	   *data;			/* malloc'd, or NULL before the first append */
	size_t		len;			/* bytes used, excluding the NUL */
	size_t		cap;			/* bytes allocated */
} BedrockJsonBuf;

/*
 * Parse a response body: one RFC 8259 JSON value, strict UTF-8, nested at
 * most BEDROCK_JSON_MAX_DEPTH deep, no \u0000 in object keys, with nothing
 * but blanks after it.  Returns the document's root, which the caller frees
 * with bedrock_json_free(), or NULL with *errmsg set to a static description
 * (a bare "null" counts as a failure: there is nothing to free).
 */
extern BedrockJson *bedrock_json_parse_doc(const char *data, size_t len,
										   const char **errmsg);
extern void bedrock_json_free(BedrockJson *doc);

/*
 * Where a document's blocks come from and go back to: by default malloc and
 * free; the backend hands in a pool that keeps large blocks (bufpool.c).
 * alloc returns at least size bytes, with their real size in *cap.
 */
typedef void *(*BedrockJsonAlloc) (size_t size, size_t *cap);
typedef void (*BedrockJsonRelease) (void *block, size_t cap);
extern void bedrock_json_set_allocator(BedrockJsonAlloc alloc,
									   BedrockJsonRelease release);

extern BedrockJsonType bedrock_json_type(const BedrockJson *node);
extern const char *bedrock_json_type_name(const BedrockJson *node);
extern BedrockJson *bedrock_json_member(const BedrockJson *object,
										const char *key);
extern const char *bedrock_json_string(const BedrockJson *node, size_t *len);
extern int	bedrock_json_array_length(const BedrockJson *node);
extern BedrockJson *bedrock_json_array_element(const BedrockJson *array, int i);
extern int	bedrock_json_object_size(const BedrockJson *node);
extern BedrockJson *bedrock_json_object_member(const BedrockJson *object, int i,
											   const char **key);

extern const char *bedrock_json_number_text(const BedrockJson *node,
											size_t *len);
extern bool bedrock_json_boolean(const BedrockJson *node);

/*
 * What bedrock_json_walk calls for a node, in document order: begin and end
 * of each object and array (count: its members or elements), the name of
 * each member before its value, as in the response, with snake set when a
 * jsonb column shows it in snake_case (bedrock_json_snake_case), and each
 * scalar, JSON null included.  A callback returns false to stop the walk.
 */
typedef struct BedrockJsonVisitor
{
	bool		(*begin) (void *arg, BedrockJsonType type, int count);
	bool		(*name) (void *arg, const char *key, bool snake);
	bool		(*scalar) (void *arg, const BedrockJson *node);
	bool		(*end) (void *arg, BedrockJsonType type);
} BedrockJsonVisitor;

extern bool bedrock_json_walk(const BedrockJson *node, bool verbatim_top_keys,
							  const BedrockJsonVisitor *visitor, void *arg);
extern size_t bedrock_json_snake_case(const char *key, char *out);

/*
 * Append a node to out as UTF-8 JSON text for a jsonb column.  The caller
 * frees out->data (bedrock_json_buf_free) whatever the result.
 */
extern BedrockJsonStatus bedrock_json_to_jsonb_text(const BedrockJson *node,
													BedrockJsonBuf *out,
													bool verbatim_top_keys);
extern void bedrock_json_buf_free(BedrockJsonBuf *buf);

#endif							/* BEDROCK_JSON_H */
