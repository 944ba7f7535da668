/*-------------------------------------------------------------------------
 * json.c
 *	  Parsing Bedrock responses and walking them, including the conversion
 *	  of API structs to jsonb text.
 *
 * A body is parsed in one pass that checks it (strict RFC 8259, strict
 * UTF-8, bounded depth) while it builds the tree, every node and string in
 * one arena; the first error in byte order fails the whole body.  That
 * replaced json-c, whose objects (a hash table each, a copy of every key)
 * cost more than the rest of a row's conversion, and then a check of the
 * body before a second pass built the tree.
 *
 * Nothing here uses the backend (no palloc, no ereport): a document is an
 * arena its owner frees with bedrock_json_free(), text is produced into a
 * malloc'd buffer, and problems come back as return codes.  So the JSON
 * test program and the fuzzer link this file alone; convert.c adds the
 * PostgreSQL side (a document freed with a memory context, the conversion
 * to the server encoding).
 *-------------------------------------------------------------------------
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/*
 * A document's nodes and strings live in blocks of one arena, freed
 * together.  Object members keep their order, duplicates included; a lookup
 * finds the last one of a name, as json-c did.
 */
struct BedrockJson
{
	BedrockJsonType type;
	bool		boolean;
	uint32_t	len;			/* string or number: bytes; array, object:
								 * items */
	uint32_t	keylen;			/* strlen(key), inside an object */
	const char *text;			/* string: unescaped; number: as sent; both
								 * NUL-terminated */
	const char *key;			/* the member's name, inside an object */
	BedrockJson **items;		/* elements or members, in order */
	struct Block *blocks;		/* the root's: every block of the document */
};

typedef struct Block
{
	struct Block *next;
	size_t		used;
	size_t		cap;
	/* the bytes follow, 8-aligned */
} Block;

#define BLOCK_DATA(b) ((char *) (b) + sizeof(Block))
#define MIN_BLOCK 4096
#define MAX_BLOCK (1024 * 1024)

/* A body being parsed, and the document built from it as it goes. */
typedef struct Parser
{
	const unsigned char *p;		/* the body */
	size_t		len;
	const char *err;			/* why the parse failed: a static string */
	Block	   *blocks;			/* the arena, newest block first */
	size_t		next_block;		/* the size of the next block */
	BedrockJson **vec;			/* children of the open containers, in order */
	size_t		nvec;
	size_t		capvec;
} Parser;

/* Output of the jsonb walker: a buffer and the first failure, sticky. */
typedef struct JsonOut
{
	BedrockJsonBuf *buf;
	BedrockJsonStatus status;
	int			depth;			/* open containers */
	bool		in_object[BEDROCK_JSON_MAX_DEPTH + 1];
	bool		first[BEDROCK_JSON_MAX_DEPTH + 1];	/* nothing in it yet */
} JsonOut;

static BedrockJson *parse(Parser *ps);
static size_t read_string(Parser *ps, size_t pos, bool is_key, char **out,
						  uint32_t *outlen);
static size_t skip_plain(const unsigned char *p, size_t len, size_t i);
static uint32_t unescape(char *out, const unsigned char *s,
						 const unsigned char *end);
static size_t check_number(const unsigned char *p, size_t len, size_t pos,
						   const char **err);
static int	hex4(const unsigned char *p);
static void *arena_grow(Parser *ps, size_t size);
static void free_blocks(Block *blk);
static bool out_reserve(JsonOut *out, size_t extra);
static void out_append(JsonOut *out, const char *data, size_t len);
static void out_append_str(JsonOut *out, const char *s);
static void out_append_escaped(JsonOut *out, unsigned char c);
static void append_json_string(JsonOut *out, const char *s, size_t len);
static const char *node_text(const BedrockJson *node, BedrockJsonType type,
							 size_t *len);
static bool is_map_member(const char *key);

/* A JSON blank, the only bytes allowed between tokens. */
#define IS_BLANK(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\r')

/* A byte a string literal holds as it is: printable ASCII but " and \. */
#define IS_PLAIN(c) ((c) >= 0x20 && (c) < 0x80 && (c) != '"' && (c) != '\\')

static void *
default_alloc(size_t size, size_t *cap)
{
	void	   *mem = malloc(size);

	*cap = mem ? size : 0;
	return mem;
}

static void
default_release(void *block, size_t cap)
{
	(void) cap;
	free(block);
}

static BedrockJsonAlloc block_alloc = default_alloc;
static BedrockJsonRelease block_release = default_release;

void
bedrock_json_set_allocator(BedrockJsonAlloc alloc, BedrockJsonRelease release)
{
	block_alloc = alloc;
	block_release = release;
}

/*
 * A new block for the arena with room for size bytes (8-aligned) at least,
 * and size bytes of it; NULL when out of memory.
 */
static void *
arena_grow(Parser *ps, size_t size)
{
	/* blocks double, from about the body's size: small answers stay small */
	size_t		cap = size > ps->next_block ? size : ps->next_block;
	size_t		got;
	Block	   *blk;

	if (ps->next_block < MAX_BLOCK)
		ps->next_block *= 2;

	blk = block_alloc(sizeof(Block) + cap, &got);
	if (blk == NULL)
	{
		ps->err = "out of memory";
		return NULL;
	}
	blk->next = ps->blocks;
	blk->used = size;
	blk->cap = got - sizeof(Block);
	ps->blocks = blk;
	return BLOCK_DATA(blk);
}

/*
 * size bytes of the document's arena, 8-aligned; NULL when out of memory.
 * Inline: the parser takes two or three of these a value.
 */
static inline void *
arena_alloc(Parser *ps, size_t size)
{
	Block	   *blk = ps->blocks;
	void	   *mem;

	size = (size + 7) & ~(size_t) 7;
	if (blk == NULL || blk->cap - blk->used < size)
		return arena_grow(ps, size);
	mem = BLOCK_DATA(blk) + blk->used;
	blk->used += size;
	return mem;
}

/* Free a document's blocks, zeroed first: some answers hold credentials. */
static void
free_blocks(Block *blk)
{
	while (blk)
	{
		Block	   *next = blk->next;

		explicit_bzero(BLOCK_DATA(blk), blk->used);
		block_release(blk, sizeof(Block) + blk->cap);
		blk = next;
	}
}

/* A node of the given type, the member key (or NULL) of its container. */
static inline BedrockJson *
new_node(Parser *ps, BedrockJsonType type, const char *key, uint32_t keylen)
{
	BedrockJson *n = arena_alloc(ps, sizeof(BedrockJson));

	if (n != NULL)
	{
		memset(n, 0, sizeof(*n));
		n->type = type;
		n->key = key;
		n->keylen = keylen;
	}
	return n;
}

/* Append a child of the innermost open container. */
static bool
push_child(Parser *ps, BedrockJson *n)
{
	if (ps->nvec == ps->capvec)
	{
		size_t		cap = ps->capvec ? ps->capvec * 2 : 256;
		BedrockJson **grown = realloc(ps->vec, cap * sizeof(BedrockJson *));

		if (grown == NULL)
		{
			ps->err = "out of memory";
			return false;
		}
		ps->vec = grown;
		ps->capvec = cap;
	}
	ps->vec[ps->nvec++] = n;
	return true;
}

/* Close the innermost container: its items, from the parser's vector. */
static bool
close_container(Parser *ps, BedrockJson *n, size_t start)
{
	size_t		count = ps->nvec - start;

	n->len = (uint32_t) count;
	ps->nvec = start;
	if (count > 0)
	{
		n->items = arena_alloc(ps, count * sizeof(BedrockJson *));
		if (n->items == NULL)
			return false;
		memcpy(n->items, ps->vec + start, count * sizeof(BedrockJson *));
	}
	return true;
}

/*
 * Parse the body into a tree, checking it as it goes: exactly one RFC 8259
 * JSON value with strict UTF-8 (RFC 3629) in its strings, nested at most
 * BEDROCK_JSON_MAX_DEPTH deep, nothing but blanks after it.  Lenient parsers
 * let through NaN, Infinity, "1.", single-quoted keys and raw control
 * characters, and pass overlong UTF-8 forms, surrogates and code points past
 * U+10FFFF: PostgreSQL would refuse those later, far from the response, or
 * not at all.  Object keys must not hold \u0000 either: keys are C strings,
 * so a NUL would cut one short and could make two keys one.  Returns the
 * root, or NULL with ps->err set to a static description of the first
 * problem in byte order (or of running out of memory).
 */
static BedrockJson *
parse(Parser *ps)
{
	const unsigned char *p = ps->p;
	size_t		len = ps->len;
	size_t		pos = 0;
	BedrockJson *open[BEDROCK_JSON_MAX_DEPTH];	/* the open containers */
	size_t		start[BEDROCK_JSON_MAX_DEPTH];	/* where their items start */
	int			depth = 0;
	BedrockJson *root = NULL;
	const char *key = NULL;		/* the name of the member to come */
	uint32_t	keylen = 0;
	BedrockJson *n;
	char	   *str;
	uint32_t	slen;
	bool		object;

#define FAIL(msg) do { ps->err = (msg); return NULL; } while (0)
#define SKIP_BLANKS() while (pos < len && IS_BLANK(p[pos])) pos++

value:
	SKIP_BLANKS();
	if (pos == len)
		FAIL("truncated JSON");
	switch (p[pos])
	{
		case '{':
		case '[':
			if (depth == BEDROCK_JSON_MAX_DEPTH)
				FAIL("nesting too deep");
			n = new_node(ps, p[pos] == '{' ? BEDROCK_JSON_OBJECT :
						 BEDROCK_JSON_ARRAY, key, keylen);
			break;
		case '"':
			if ((pos = read_string(ps, pos, false, &str, &slen)) == 0)
				return NULL;
			n = new_node(ps, BEDROCK_JSON_STRING, key, keylen);
			if (n != NULL)
			{
				n->text = str;
				n->len = slen;
			}
			break;
		case 't':
		case 'f':
		case 'n':
			{
				const char *word = p[pos] == 't' ? "true" :
					p[pos] == 'f' ? "false" : "null";
				size_t		wlen = strlen(word);
				size_t		avail = len - pos < wlen ? len - pos : wlen;

				if (memcmp(p + pos, word, avail) != 0)
					FAIL("unexpected character");
				if (avail < wlen)
					FAIL("truncated JSON");
				n = new_node(ps, word[0] == 'n' ? BEDROCK_JSON_NULL :
							 BEDROCK_JSON_BOOLEAN, key, keylen);
				if (n != NULL)
					n->boolean = (word[0] == 't');
				pos += wlen;
			}
			break;
		default:
			if (p[pos] == '-' || (p[pos] >= '0' && p[pos] <= '9'))
			{
				size_t		s = pos;

				if ((pos = check_number(p, len, pos, &ps->err)) == 0)
					return NULL;
				n = new_node(ps, BEDROCK_JSON_NUMBER, key, keylen);
				str = arena_alloc(ps, pos - s + 1);
				if (n == NULL || str == NULL)
					return NULL;
				memcpy(str, p + s, pos - s);
				str[pos - s] = '\0';
				n->text = str;
				n->len = (uint32_t) (pos - s);
				break;
			}
			FAIL("unexpected character");
	}
	if (n == NULL)
		return NULL;
	key = NULL;
	keylen = 0;
	if (depth == 0)
		root = n;
	else if (!push_child(ps, n))
		return NULL;
	if (n->type != BEDROCK_JSON_OBJECT && n->type != BEDROCK_JSON_ARRAY)
		goto after_value;

	/* a container opens */
	object = (n->type == BEDROCK_JSON_OBJECT);
	open[depth] = n;
	start[depth++] = ps->nvec;
	pos++;
	SKIP_BLANKS();
	if (pos == len)
		FAIL("truncated JSON");
	if (p[pos] == (object ? '}' : ']'))
	{
		pos++;
		depth--;
		if (!close_container(ps, open[depth], start[depth]))
			return NULL;
		goto after_value;
	}
	if (object)
		goto key;
	goto value;

key:
	SKIP_BLANKS();
	if (pos == len)
		FAIL("truncated JSON");
	if (p[pos] != '"')
		FAIL("object key expected");
	if ((pos = read_string(ps, pos, true, &str, &keylen)) == 0)
		return NULL;
	key = str;
	SKIP_BLANKS();
	if (pos == len)
		FAIL("truncated JSON");
	if (p[pos] != ':')
		FAIL("object property name separator ':' expected");
	pos++;
	goto value;

after_value:
	SKIP_BLANKS();
	if (depth == 0)
	{
		if (pos != len)
			FAIL("unexpected data after the JSON value");
		return root;
	}
	if (pos == len)
		FAIL("truncated JSON");
	object = (open[depth - 1]->type == BEDROCK_JSON_OBJECT);
	if (p[pos] == ',')
	{
		pos++;
		if (object)
			goto key;
		goto value;
	}
	if (p[pos] == (object ? '}' : ']'))
	{
		pos++;
		depth--;
		if (!close_container(ps, open[depth], start[depth]))
			return NULL;
		goto after_value;
	}
	FAIL(object ? "object value separator ',' expected" :
		 "array value separator ',' expected");
#undef FAIL
#undef SKIP_BLANKS
}

/*
 * The first byte from i on that is not plain in a string literal (IS_PLAIN),
 * or len.  Eight bytes at a time while eight remain: in a word, a byte is
 * flagged (its high bit set) when it is '"' or '\' (XOR with that byte gives
 * 0, and 0 - 1 sets the bit), below 0x20 (b - 0x20 sets it), or from 0x80 up
 * (set already).  A subtraction sets the bit in no other byte below 0x80, and
 * borrows only out of a flagged byte into those above it: so the lowest
 * flagged byte is the first one that is not plain.
 */
static size_t
skip_plain(const unsigned char *p, size_t len, size_t i)
{
	const uint64_t ones = UINT64_C(0x0101010101010101);

	while (len - i >= 8)
	{
		uint64_t	w;
		uint64_t	flagged;

		memcpy(&w, p + i, 8);
		flagged = ((w ^ (ones * '"')) - ones) |
			((w ^ (ones * '\\')) - ones) |
			(w - ones * 0x20) | w;
		flagged &= ones * 0x80;
		if (flagged != 0)
		{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			/* the first byte in memory is the word's lowest */
			return i + (__builtin_ctzll(flagged) >> 3);
#else
			break;
#endif
		}
		i += 8;
	}
	while (i < len && IS_PLAIN(p[i]))
		i++;
	return i;
}

/* The value of four hex digits, or -1. */
static int
hex4(const unsigned char *p)
{
	int			v = 0;
	int			i;

	for (i = 0; i < 4; i++)
	{
		unsigned char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/*
 * The string literal at pos (its opening quote), checked and copied into the
 * arena unescaped as *out, *outlen bytes long.  A \u escape of a surrogate
 * must be a high one followed by a low one, and a key must not hold \u0000.
 * Returns the position past the literal, or 0 with ps->err set on the first
 * problem.
 */
static size_t
read_string(Parser *ps, size_t pos, bool is_key, char **out,
			uint32_t *outlen)
{
	const unsigned char *p = ps->p;
	size_t		len = ps->len;
	size_t		first = pos + 1;
	size_t		i = first;
	bool		escaped = false;
	char	   *copy;

#define FAIL(msg) do { ps->err = (msg); return 0; } while (0)
	for (;;)
	{
		unsigned char c;

		i = skip_plain(p, len, i);
		if (i >= len)
			FAIL("truncated JSON");
		c = p[i];
		if (c == '"')
			break;
		if (c < 0x20)
			FAIL("control character in a string");
		if (c == '\\')
		{
			int			u;

			escaped = true;
			if (len - i < 2)
				FAIL("truncated JSON");
			if (p[i + 1] != '\0' && strchr("\"\\/bfnrt", p[i + 1]) != NULL)
			{
				i += 2;
				continue;
			}
			if (p[i + 1] != 'u')
				FAIL("invalid string sequence");
			if (len - i < 6)
				FAIL("truncated JSON");
			if ((u = hex4(p + i + 2)) < 0)
				FAIL("invalid string sequence");
			i += 6;
			if (u == 0 && is_key)
				FAIL("object key contains \\u0000");
			if (u >= 0xDC00 && u <= 0xDFFF)
				FAIL("unpaired Unicode surrogate in a string");
			if (u >= 0xD800 && u <= 0xDBFF)
			{
				int			low;

				if (i < len && p[i] != '\\')
					FAIL("unpaired Unicode surrogate in a string");
				if (len - i < 6)
					FAIL("truncated JSON");
				if (p[i + 1] != 'u')
					FAIL("unpaired Unicode surrogate in a string");
				if ((low = hex4(p + i + 2)) < 0)
					FAIL("invalid string sequence");
				if (low < 0xDC00 || low > 0xDFFF)
					FAIL("unpaired Unicode surrogate in a string");
				i += 6;
			}
		}
		else
		{
			/* RFC 3629: the second byte's range depends on the first */
			unsigned char lo = 0x80,
						hi = 0xBF;
			int			n;
			int			k;

			if (c >= 0xC2 && c <= 0xDF)
				n = 1;
			else if (c >= 0xE0 && c <= 0xEF)
			{
				n = 2;
				if (c == 0xE0)
					lo = 0xA0;
				else if (c == 0xED)
					hi = 0x9F;
			}
			else if (c >= 0xF0 && c <= 0xF4)
			{
				n = 3;
				if (c == 0xF0)
					lo = 0x90;
				else if (c == 0xF4)
					hi = 0x8F;
			}
			else
				FAIL("invalid utf-8 string");
			for (k = 1; k <= n; k++)
			{
				if (i + k >= len)
					FAIL("truncated JSON");
				if (p[i + k] < lo || p[i + k] > hi)
					FAIL("invalid utf-8 string");
				lo = 0x80;
				hi = 0xBF;
			}
			i += n + 1;
		}
	}
#undef FAIL

	/* escapes only shrink, so the raw length is enough */
	copy = arena_alloc(ps, i - first + 1);
	if (copy == NULL)
		return 0;
	if (escaped)
		*outlen = unescape(copy, p + first, p + i);
	else
	{
		memcpy(copy, p + first, i - first);
		copy[i - first] = '\0';
		*outlen = (uint32_t) (i - first);
	}
	*out = copy;
	return i + 1;
}

/* Append code point u to *o as UTF-8. */
static void
put_utf8(char **o, unsigned int u)
{
	char	   *p = *o;

	if (u < 0x80)
		*p++ = (char) u;
	else if (u < 0x800)
	{
		*p++ = (char) (0xC0 | (u >> 6));
		*p++ = (char) (0x80 | (u & 0x3F));
	}
	else if (u < 0x10000)
	{
		*p++ = (char) (0xE0 | (u >> 12));
		*p++ = (char) (0x80 | ((u >> 6) & 0x3F));
		*p++ = (char) (0x80 | (u & 0x3F));
	}
	else
	{
		*p++ = (char) (0xF0 | (u >> 18));
		*p++ = (char) (0x80 | ((u >> 12) & 0x3F));
		*p++ = (char) (0x80 | ((u >> 6) & 0x3F));
		*p++ = (char) (0x80 | (u & 0x3F));
	}
	*o = p;
}

/*
 * Unescape the checked bytes of a string literal, s up to its closing quote
 * at end, into out, NUL-terminated; returns the length.
 */
static uint32_t
unescape(char *out, const unsigned char *s, const unsigned char *end)
{
	char	   *o = out;

	while (s < end)
	{
		if (*s != '\\')
		{
			*o++ = (char) *s++;
			continue;
		}
		switch (s[1])
		{
			case 'b':
				*o++ = '\b';
				break;
			case 'f':
				*o++ = '\f';
				break;
			case 'n':
				*o++ = '\n';
				break;
			case 'r':
				*o++ = '\r';
				break;
			case 't':
				*o++ = '\t';
				break;
			case 'u':
				{
					unsigned int u = (unsigned int) hex4(s + 2);

					if (u >= 0xD800 && u <= 0xDBFF)
					{
						/* a high surrogate is followed by a low one */
						u = 0x10000 + ((u - 0xD800) << 10) +
							((unsigned int) hex4(s + 8) - 0xDC00);
						s += 6;
					}
					put_utf8(&o, u);
					s += 6;
					continue;
				}
			default:			/* " \ / */
				*o++ = (char) s[1];
				break;
		}
		s += 2;
	}
	*o = '\0';
	return (uint32_t) (o - out);
}

/*
 * Check the number at pos: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
 * Returns the position past it, or 0 with *err set.
 */
static size_t
check_number(const unsigned char *p, size_t len, size_t pos, const char **err)
{
	size_t		i = pos;

#define DIGIT_AT(j) ((j) < len && p[j] >= '0' && p[j] <= '9')
#define FAIL(msg) do { *err = (msg); return 0; } while (0)
	if (p[i] == '-')
		i++;
	if (i == len)
		FAIL("truncated JSON");
	if (p[i] == '0')
	{
		i++;
		if (DIGIT_AT(i))
			FAIL("number expected");
	}
	else if (DIGIT_AT(i))
	{
		while (DIGIT_AT(i))
			i++;
	}
	else
		FAIL("number expected");
	if (i < len && p[i] == '.')
	{
		i++;
		if (i == len)
			FAIL("truncated JSON");
		if (!DIGIT_AT(i))
			FAIL("number expected");
		while (DIGIT_AT(i))
			i++;
	}
	if (i < len && (p[i] == 'e' || p[i] == 'E'))
	{
		i++;
		if (i < len && (p[i] == '+' || p[i] == '-'))
			i++;
		if (i == len)
			FAIL("truncated JSON");
		if (!DIGIT_AT(i))
			FAIL("number expected");
		while (DIGIT_AT(i))
			i++;
	}
#undef DIGIT_AT
#undef FAIL
	return i;
}

/*
 * Parse a response body.  Returns the root, or NULL with *errmsg set when the
 * body is not a single valid UTF-8 JSON value (truncated, trailing garbage,
 * too deep, invalid bytes; see parse), is JSON null, or memory runs out.
 * The caller owns the result.
 */
BedrockJson *
bedrock_json_parse_doc(const char *data, size_t len, const char **errmsg)
{
	Parser		ps;
	BedrockJson *root;

	*errmsg = NULL;
	if (len == 0)
	{
		*errmsg = "empty response body";
		return NULL;
	}
	if (len > (size_t) INT_MAX)
	{
		*errmsg = "response body too large to parse";
		return NULL;
	}

	memset(&ps, 0, sizeof(ps));
	ps.p = (const unsigned char *) data;
	ps.len = len;
	ps.next_block = len < MIN_BLOCK ? MIN_BLOCK : len < MAX_BLOCK ? len : MAX_BLOCK;
	root = parse(&ps);
	free(ps.vec);
	if (root == NULL)
	{
		free_blocks(ps.blocks);
		*errmsg = ps.err;
		return NULL;
	}
	if (root->type == BEDROCK_JSON_NULL)
	{
		free_blocks(ps.blocks);
		*errmsg = "response is JSON null";
		return NULL;
	}
	root->blocks = ps.blocks;
	return root;
}

/* Release a document returned by bedrock_json_parse_doc (NULL is a no-op). */
void
bedrock_json_free(BedrockJson *doc)
{
	if (doc != NULL)
		free_blocks(doc->blocks);
}

BedrockJsonType
bedrock_json_type(const BedrockJson *node)
{
	return node ? node->type : BEDROCK_JSON_NULL;
}

/* The JSON type name of a node, for error messages. */
const char *
bedrock_json_type_name(const BedrockJson *node)
{
	switch (bedrock_json_type(node))
	{
		case BEDROCK_JSON_NULL:
			return "null";
		case BEDROCK_JSON_BOOLEAN:
			return "boolean";
		case BEDROCK_JSON_NUMBER:
			return "number";
		case BEDROCK_JSON_STRING:
			return "string";
		case BEDROCK_JSON_ARRAY:
			return "array";
		case BEDROCK_JSON_OBJECT:
			return "object";
	}
	return "unknown";
}

/*
 * A member of an object: the last of that name.  NULL when the node is not
 * an object, the member is absent, or it is JSON null: AWS treats all three
 * alike.  The converter asks for a dozen or more members of each row, so
 * keys of another length or first byte are passed over without a call.
 */
BedrockJson *
bedrock_json_member(const BedrockJson *object, const char *key)
{
	size_t		keylen;
	uint32_t	i;

	if (object == NULL || object->type != BEDROCK_JSON_OBJECT)
		return NULL;
	keylen = strlen(key);
	for (i = object->len; i > 0; i--)
	{
		BedrockJson *m = object->items[i - 1];

		if (m->keylen == keylen && m->key[0] == key[0] &&
			memcmp(m->key, key, keylen) == 0)
			return m->type == BEDROCK_JSON_NULL ? NULL : m;
	}
	return NULL;
}

/*
 * The members of an object, in order (duplicates included): how many, and
 * the i-th one's name and value (NULL for JSON null).
 */
int
bedrock_json_object_size(const BedrockJson *node)
{
	if (node == NULL || node->type != BEDROCK_JSON_OBJECT)
		return -1;
	return (int) node->len;
}

BedrockJson *
bedrock_json_object_member(const BedrockJson *object, int i, const char **key)
{
	BedrockJson *m;

	if (object == NULL || object->type != BEDROCK_JSON_OBJECT || i < 0 ||
		(uint32_t) i >= object->len)
		return NULL;
	m = object->items[i];
	*key = m->key;
	return m->type == BEDROCK_JSON_NULL ? NULL : m;
}

/*
 * The bytes of a string node and their count, or NULL if not a string.  The
 * bytes are valid UTF-8 and NUL-terminated, but may hold a NUL (\u0000)
 * before *len.
 */
const char *
bedrock_json_string(const BedrockJson *node, size_t *len)
{
	return node_text(node, BEDROCK_JSON_STRING, len);
}

/* The text of a node of the type given, or NULL for any other. */
static const char *
node_text(const BedrockJson *node, BedrockJsonType type, size_t *len)
{
	if (node == NULL || node->type != type)
		return NULL;
	*len = node->len;
	return node->text;
}

/* Number of elements of an array node, or -1 if not an array. */
int
bedrock_json_array_length(const BedrockJson *node)
{
	if (node == NULL || node->type != BEDROCK_JSON_ARRAY)
		return -1;
	return (int) node->len;
}

/* Element i of an array (NULL for JSON null), or NULL if there is none. */
BedrockJson *
bedrock_json_array_element(const BedrockJson *array, int i)
{
	if (array == NULL || array->type != BEDROCK_JSON_ARRAY || i < 0 ||
		(uint32_t) i >= array->len)
		return NULL;
	return array->items[i]->type == BEDROCK_JSON_NULL ? NULL : array->items[i];
}

/*
 * Make room for extra more bytes plus the NUL.  Once this fails the output is
 * marked out of memory and every later append does nothing.
 */
static bool
out_reserve(JsonOut *out, size_t extra)
{
	BedrockJsonBuf *buf = out->buf;
	size_t		need;
	size_t		newcap;
	char	   *newdata;

	if (out->status != BEDROCK_JSON_OK)
		return false;
	if (extra > SIZE_MAX - buf->len - 1)
	{
		out->status = BEDROCK_JSON_NO_MEMORY;
		return false;
	}
	need = buf->len + extra + 1;
	if (buf->data != NULL && need <= buf->cap)
		return true;

	newcap = buf->cap > 0 ? buf->cap : 256;
	while (newcap < need)
	{
		if (newcap > SIZE_MAX / 2)
		{
			newcap = need;
			break;
		}
		newcap *= 2;
	}
	newdata = realloc(buf->data, newcap);
	if (newdata == NULL)
	{
		out->status = BEDROCK_JSON_NO_MEMORY;
		return false;
	}
	if (buf->data == NULL)
		newdata[0] = '\0';
	buf->data = newdata;
	buf->cap = newcap;
	return true;
}

static void
out_append(JsonOut *out, const char *data, size_t len)
{
	if (!out_reserve(out, len))
		return;
	memcpy(out->buf->data + out->buf->len, data, len);
	out->buf->len += len;
	out->buf->data[out->buf->len] = '\0';
}

static void
out_append_str(JsonOut *out, const char *s)
{
	out_append(out, s, strlen(s));
}

/*
 * Append one byte of a JSON string literal, escaped exactly as PostgreSQL's
 * escape_json() does, so the text reads as it did when that built it.
 */
static void
out_append_escaped(JsonOut *out, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char		esc[6];

	switch (c)
	{
		case '\b':
			out_append(out, "\\b", 2);
			return;
		case '\f':
			out_append(out, "\\f", 2);
			return;
		case '\n':
			out_append(out, "\\n", 2);
			return;
		case '\r':
			out_append(out, "\\r", 2);
			return;
		case '\t':
			out_append(out, "\\t", 2);
			return;
		case '"':
			out_append(out, "\\\"", 2);
			return;
		case '\\':
			out_append(out, "\\\\", 2);
			return;
	}
	if (c < ' ')
	{
		esc[0] = '\\';
		esc[1] = 'u';
		esc[2] = '0';
		esc[3] = '0';
		esc[4] = hex[c >> 4];
		esc[5] = hex[c & 0x0F];
		out_append(out, esc, 6);
	}
	else
		out_append(out, (const char *) &c, 1);
}

/*
 * Append a JSON string literal.  A NUL inside the string (\u0000 in the
 * response) fails the output: no PostgreSQL text can hold it.
 */
static void
append_json_string(JsonOut *out, const char *s, size_t len)
{
	size_t		i;

	if (memchr(s, '\0', len) != NULL)
	{
		if (out->status == BEDROCK_JSON_OK)
			out->status = BEDROCK_JSON_NUL_CHAR;
		return;
	}
	/* the literal is at least this long: one allocation for most strings */
	if (len > SIZE_MAX - 2 || !out_reserve(out, len + 2))
	{
		if (out->status == BEDROCK_JSON_OK)
			out->status = BEDROCK_JSON_NO_MEMORY;
		return;
	}
	out_append(out, "\"", 1);
	for (i = 0; i < len; i++)
		out_append_escaped(out, (unsigned char) s[i]);
	out_append(out, "\"", 1);
}

/*
 * An API member name in snake_case, the way the AWS SDKs derive Python
 * names: "s3Uri" -> "s3_uri", "andAll" -> "and_all", "resourceARN" ->
 * "resource_arn", "ARNValue" -> "arn_value".  out has room for
 * 2 * strlen(key) + 1 bytes; returns the length written, NUL excluded.
 */
size_t
bedrock_json_snake_case(const char *key, char *out)
{
	size_t		n = 0;
	size_t		i;

	for (i = 0; key[i]; i++)
	{
		char		c = key[i];

		if (c >= 'A' && c <= 'Z')
		{
			if (i > 0)
			{
				char		prev = key[i - 1];
				char		next = key[i + 1];

				if ((prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9') ||
					((prev >= 'A' && prev <= 'Z') && next >= 'a' && next <= 'z'))
					out[n++] = '_';
			}
			c = c - 'A' + 'a';
		}
		out[n++] = c;
	}
	out[n] = '\0';
	return n;
}

/*
 * Bedrock's map-typed members: their keys are user data and stay verbatim.
 * (Top-level hyperParameters is a map too; the caller asks for verbatim keys
 * there, because inside rftConfig a member of that name is a struct.)
 */
static bool
is_map_member(const char *key)
{
	return strcmp(key, "equals") == 0 || strcmp(key, "notEquals") == 0;
}

/*
 * The walk of bedrock_json_walk.  The recursion is bounded: the parser
 * refuses documents nested deeper than BEDROCK_JSON_MAX_DEPTH.
 */
static bool
walk(const BedrockJson *node, bool verbatim_keys, const BedrockJsonVisitor *v,
	 void *arg)
{
	BedrockJsonType type = bedrock_json_type(node);
	uint32_t	i;

	if (type != BEDROCK_JSON_ARRAY && type != BEDROCK_JSON_OBJECT)
		return v->scalar(arg, node);
	if (!v->begin(arg, type, (int) node->len))
		return false;
	for (i = 0; i < node->len; i++)
	{
		const BedrockJson *m = node->items[i];

		if (type == BEDROCK_JSON_ARRAY)
		{
			if (!walk(m, false, v, arg))
				return false;
			continue;
		}
		if (!v->name(arg, m->key, !verbatim_keys) ||
			!walk(m, !verbatim_keys && is_map_member(m->key), v, arg))
			return false;
	}
	return v->end(arg, type);
}

/*
 * Walk a node as a jsonb column shows it: struct member names become
 * snake_case (new, unknown members too), map keys stay as they are.  With
 * verbatim_top_keys the node itself is a map.  The one walker of both the
 * jsonb text below and convert.c's jsonb values.  False when a callback
 * stopped it.
 */
bool
bedrock_json_walk(const BedrockJson *node, bool verbatim_top_keys,
				  const BedrockJsonVisitor *visitor, void *arg)
{
	return walk(node, verbatim_top_keys, visitor, arg);
}

/* The text of a number node, as sent, or NULL if not a number. */
const char *
bedrock_json_number_text(const BedrockJson *node, size_t *len)
{
	return node_text(node, BEDROCK_JSON_NUMBER, len);
}

/* The value of a boolean node (false for any other). */
bool
bedrock_json_boolean(const BedrockJson *node)
{
	return node != NULL && node->type == BEDROCK_JSON_BOOLEAN && node->boolean;
}

/* Before a value: ", " between array elements (a member's is its name's). */
static void
text_separate(JsonOut *out)
{
	if (out->depth == 0 || out->in_object[out->depth - 1])
		return;
	if (!out->first[out->depth - 1])
		out_append(out, ", ", 2);
	out->first[out->depth - 1] = false;
}

static bool
text_begin(void *arg, BedrockJsonType type, int count)
{
	JsonOut    *out = (JsonOut *) arg;

	text_separate(out);
	out_append(out, type == BEDROCK_JSON_OBJECT ? "{" : "[", 1);
	out->in_object[out->depth] = (type == BEDROCK_JSON_OBJECT);
	out->first[out->depth] = true;
	out->depth++;
	return out->status == BEDROCK_JSON_OK;
}

static bool
text_end(void *arg, BedrockJsonType type)
{
	JsonOut    *out = (JsonOut *) arg;

	out->depth--;
	out_append(out, type == BEDROCK_JSON_OBJECT ? "}" : "]", 1);
	return out->status == BEDROCK_JSON_OK;
}

/* A member's name as a JSON string literal, and the ": " after it. */
static bool
text_name(void *arg, const char *key, bool snake)
{
	JsonOut    *out = (JsonOut *) arg;
	char	   *snaked = NULL;
	const char *k = key;

	if (!out->first[out->depth - 1])
		out_append(out, ", ", 2);
	out->first[out->depth - 1] = false;
	if (snake)
	{
		size_t		klen = strlen(key);

		snaked = klen < (SIZE_MAX - 1) / 2 ? malloc(2 * klen + 1) : NULL;
		if (snaked == NULL)
		{
			if (out->status == BEDROCK_JSON_OK)
				out->status = BEDROCK_JSON_NO_MEMORY;
			return false;
		}
		bedrock_json_snake_case(key, snaked);
		k = snaked;
	}
	out_append(out, "\"", 1);
	for (; *k; k++)
		out_append_escaped(out, (unsigned char) *k);
	out_append(out, "\": ", 3);
	free(snaked);
	return out->status == BEDROCK_JSON_OK;
}

static bool
text_scalar(void *arg, const BedrockJson *node)
{
	JsonOut    *out = (JsonOut *) arg;

	text_separate(out);
	switch (bedrock_json_type(node))
	{
		case BEDROCK_JSON_BOOLEAN:
			out_append_str(out, node->boolean ? "true" : "false");
			break;
		case BEDROCK_JSON_NUMBER:
			/* as sent: jsonb's numeric reads every JSON number exactly */
			out_append(out, node->text, node->len);
			break;
		case BEDROCK_JSON_STRING:
			append_json_string(out, node->text, node->len);
			break;
		default:
			out_append_str(out, "null");
			break;
	}
	return out->status == BEDROCK_JSON_OK;
}

static const BedrockJsonVisitor text_visitor = {
	text_begin, text_name, text_scalar, text_end
};

/*
 * Append a node as JSON text for a jsonb column (see bedrock_json_walk).  The
 * text is UTF-8, in the layout PostgreSQL's own JSON output uses (", " and
 * ": ").
 */
BedrockJsonStatus
bedrock_json_to_jsonb_text(const BedrockJson *node, BedrockJsonBuf *out,
						   bool verbatim_top_keys)
{
	JsonOut		o;

	memset(&o, 0, sizeof(o));
	o.buf = out;
	o.status = BEDROCK_JSON_OK;
	/* even an empty result is a NUL-terminated string */
	if (!out_reserve(&o, 0))
		return o.status;
	(void) bedrock_json_walk(node, verbatim_top_keys, &text_visitor, &o);
	return o.status;
}

/* Release a buffer's bytes and make it empty again. */
void
bedrock_json_buf_free(BedrockJsonBuf *buf)
{
	free(buf->data);
	buf->data = NULL;
	buf->len = 0;
	buf->cap = 0;
}
