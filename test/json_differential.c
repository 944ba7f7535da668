/*-------------------------------------------------------------------------
 * json_differential.c
 *	  The JSON parser (json.c) against the json.c of another revision, over
 *	  seed bodies and random mutations of them.
 *
 * test/json_differential.sh builds the reference from git with every
 * exported function renamed ref_bedrock_json_*.  Both parsers must accept
 * and refuse the same bodies with the same message, and build the same
 * tree: types, strings byte for byte, numbers as sent, keys in order, and
 * the same member found for every key, absent ones included.
 *
 *   json_differential [-n MUTANTS] [-s SEED] FILE...
 *
 * Each FILE is a seed body; each seed is compared whole, cut at up to 64
 * lengths, and in MUTANTS (default 2000) mutations of one to three edits.
 * Prints how many bodies were compared and how each failed; exits 1 on the
 * first difference, printing the body in C escapes.
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* the reference, json.c of another revision with its functions renamed */
extern BedrockJson *ref_bedrock_json_parse_doc(const char *data, size_t len,
											   const char **errmsg);
extern void ref_bedrock_json_free(BedrockJson *doc);
extern BedrockJsonType ref_bedrock_json_type(const BedrockJson *node);
extern BedrockJson *ref_bedrock_json_member(const BedrockJson *object,
											const char *key);
extern const char *ref_bedrock_json_string(const BedrockJson *node, size_t *len);
extern int	ref_bedrock_json_array_length(const BedrockJson *node);
extern BedrockJson *ref_bedrock_json_array_element(const BedrockJson *array, int i);
extern int	ref_bedrock_json_object_size(const BedrockJson *node);
extern BedrockJson *ref_bedrock_json_object_member(const BedrockJson *object, int i,
												   const char **key);
extern BedrockJsonStatus ref_bedrock_json_to_jsonb_text(const BedrockJson *node,
														BedrockJsonBuf *out,
														bool verbatim_top_keys);

#define MAX_BODY (1024 * 1024)

/* bodies compared, accepted, and refused by message */
static long ncompared;
static long naccepted;
static struct
{
	const char *msg;
	long		count;
}			refused[32];

/* Lookups besides a document's own keys: absent, empty, a byte no key holds. */
static const char *const extra_keys[] = {
	"jobArn", "status", "nextToken", "modelCustomizationJobSummaries", "tags",
	"key", "value", "a", "", "\xff", "caf\xc3\xa9",
};

/* A small, fixed pseudo-random generator: runs repeat. */
static uint64_t rng_state = 88172645463325252ULL;

static uint32_t
rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t) ((rng_state >> 11) % n);
}

static void
print_body(const unsigned char *body, size_t len)
{
	size_t		i;

	fprintf(stderr, "body (%zu bytes): \"", len);
	for (i = 0; i < len; i++)
	{
		if (body[i] >= 0x20 && body[i] < 0x7f && body[i] != '"' && body[i] != '\\')
			fputc(body[i], stderr);
		else
			fprintf(stderr, "\\x%02x\"\"", body[i]);
	}
	fprintf(stderr, "\"\n");
}

static const unsigned char *current_body;
static size_t current_len;

static void
differ(const char *what, const char *got, const char *want)
{
	fprintf(stderr, "json_differential: %s: got %s, reference %s\n", what,
			got ? got : "(null)", want ? want : "(null)");
	print_body(current_body, current_len);
	exit(1);
}

/* The jsonb text of a node in both parsers, which must agree. */
static void
compare_jsonb(const BedrockJson *a, const BedrockJson *b, bool verbatim)
{
	BedrockJsonBuf ba = {NULL, 0, 0};
	BedrockJsonBuf bb = {NULL, 0, 0};
	BedrockJsonStatus sa = bedrock_json_to_jsonb_text(a, &ba, verbatim);
	BedrockJsonStatus sb = ref_bedrock_json_to_jsonb_text(b, &bb, verbatim);

	if (sa != sb)
		differ("jsonb status", sa == BEDROCK_JSON_OK ? "ok" : "a failure",
			   sb == BEDROCK_JSON_OK ? "ok" : "a failure");
	if (sa == BEDROCK_JSON_OK &&
		(ba.len != bb.len || memcmp(ba.data, bb.data, ba.len) != 0))
		differ("jsonb text", ba.data, bb.data);
	bedrock_json_buf_free(&ba);
	bedrock_json_buf_free(&bb);
}

/* The position of member m in object o, or -1 for NULL. */
static int
member_index(const BedrockJson *o, const BedrockJson *m, bool ref)
{
	int			n = ref ? ref_bedrock_json_object_size(o) : bedrock_json_object_size(o);
	int			i;
	const char *k;

	if (m == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if ((ref ? ref_bedrock_json_object_member(o, i, &k) :
			 bedrock_json_object_member(o, i, &k)) == m)
			return i;
	return -2;
}

/* The same member found for a key in both trees. */
static void
compare_lookup(const BedrockJson *a, const BedrockJson *b, const char *key)
{
	int			ia = member_index(a, bedrock_json_member(a, key), false);
	int			ib = member_index(b, ref_bedrock_json_member(b, key), true);

	if (ia != ib)
	{
		char		ga[16],
					gb[16];

		snprintf(ga, sizeof(ga), "%d", ia);
		snprintf(gb, sizeof(gb), "%d", ib);
		differ("member lookup", ga, gb);
	}
}

/* Two trees, node by node. */
static void
compare_nodes(const BedrockJson *a, const BedrockJson *b)
{
	BedrockJsonType t = bedrock_json_type(a);
	const char *sa,
			   *sb;
	size_t		la,
				lb;
	int			n,
				i;
	size_t		k;

	if ((a == NULL) != (b == NULL) || t != ref_bedrock_json_type(b))
		differ("node type", bedrock_json_type_name(a), "another");
	switch (t)
	{
		case BEDROCK_JSON_NULL:
		case BEDROCK_JSON_BOOLEAN:
		case BEDROCK_JSON_NUMBER:
			compare_jsonb(a, b, false);
			break;
		case BEDROCK_JSON_STRING:
			sa = bedrock_json_string(a, &la);
			sb = ref_bedrock_json_string(b, &lb);
			if (la != lb || memcmp(sa, sb, la) != 0 || sa[la] != '\0')
				differ("string", sa, sb);
			break;
		case BEDROCK_JSON_ARRAY:
			n = bedrock_json_array_length(a);
			if (n != ref_bedrock_json_array_length(b))
				differ("array length", "one", "another");
			for (i = 0; i < n; i++)
				compare_nodes(bedrock_json_array_element(a, i),
							  ref_bedrock_json_array_element(b, i));
			break;
		case BEDROCK_JSON_OBJECT:
			n = bedrock_json_object_size(a);
			if (n != ref_bedrock_json_object_size(b))
				differ("object size", "one", "another");
			for (i = 0; i < n; i++)
			{
				const char *ka,
						   *kb;
				BedrockJson *ma = bedrock_json_object_member(a, i, &ka);
				BedrockJson *mb = ref_bedrock_json_object_member(b, i, &kb);

				if (strcmp(ka, kb) != 0)
					differ("key", ka, kb);
				compare_nodes(ma, mb);
				compare_lookup(a, b, ka);
			}
			for (k = 0; k < sizeof(extra_keys) / sizeof(extra_keys[0]); k++)
				compare_lookup(a, b, extra_keys[k]);
			break;
	}
}

static void
count_refusal(const char *msg)
{
	int			i;

	for (i = 0; i < 32 && refused[i].msg != NULL; i++)
		if (strcmp(refused[i].msg, msg) == 0)
			break;
	if (i == 32)
		return;
	refused[i].msg = msg;
	refused[i].count++;
}

/* Parse one body with both parsers and compare everything. */
static void
compare(const unsigned char *body, size_t len)
{
	const char *ea = NULL;
	const char *eb = NULL;
	BedrockJson *a = bedrock_json_parse_doc((const char *) body, len, &ea);
	BedrockJson *b = ref_bedrock_json_parse_doc((const char *) body, len, &eb);

	current_body = body;
	current_len = len;
	ncompared++;
	if ((a == NULL) != (b == NULL))
		differ("accepted", a ? "accepted" : ea, b ? "accepted" : eb);
	if (a == NULL)
	{
		if (ea == NULL || eb == NULL || strcmp(ea, eb) != 0)
			differ("message", ea, eb);
		count_refusal(ea);
		return;
	}
	naccepted++;
	compare_nodes(a, b);
	compare_jsonb(a, b, false);
	compare_jsonb(a, b, true);
	bedrock_json_free(a);
	ref_bedrock_json_free(b);
}

/* Bytes and tokens that make a mutation interesting to a JSON parser. */
static const char *const tokens[] = {
	"\"", "\\", "{", "}", "[", "]", ",", ":", " ", "\t", "\n", "0", "-", "e",
	".", "+", "u", "1", "9", "a", "\\u0000", "\\ud83d", "\\ude00", "\\u00e9",
	"\\uDBFF\\uDFFF", "\\n", "\\x", "\xed\xa0\x80", "\xc0\xaf", "\xc3\xa9",
	"\xf4\x90\x80\x80", "\xf0\x9f\x98\x80", "\xe2\x82", "\x80", "\xff", "\x1f",
	"\x7f", "true", "false", "null", "nul", "1e", "1.", "-0", "01", "1e+5",
	"[[[[[[[[", "]]]]", "{\"k\":{\"k\":{\"k\":{\"k\":", "{\"a\":", "\"\":", "\"jobArn\":\"x\",",
};

#define NTOKENS (sizeof(tokens) / sizeof(tokens[0]))

/* Apply one random edit to body (len bytes, room for MAX_BODY). */
static size_t
mutate(unsigned char *body, size_t len)
{
	size_t		at = len ? rnd((uint32_t) len) : 0;
	size_t		n;
	const char *tok;

	switch (rnd(6))
	{
		case 0:					/* a random byte */
			if (len)
				body[at] = (unsigned char) rnd(256);
			break;
		case 1:					/* a byte replaced by a token */
		case 2:					/* a token inserted */
			tok = tokens[rnd(NTOKENS)];
			n = strlen(tok);
			if (len + n > MAX_BODY)
				break;
			if (rnd(2) == 0 && len)
			{
				memmove(body + at + n, body + at + 1, len - at - 1);
				len--;
			}
			else
				memmove(body + at + n, body + at, len - at);
			memcpy(body + at, tok, n);
			len += n;
			break;
		case 3:					/* a range deleted */
			n = rnd(16) + 1;
			if (at + n > len)
				n = len - at;
			memmove(body + at, body + at + n, len - at - n);
			len -= n;
			break;
		case 4:					/* a range repeated */
			n = rnd(32) + 1;
			if (at + n > len)
				n = len - at;
			if (len + n > MAX_BODY)
				break;
			memmove(body + at + n, body + at, len - at);
			len += n;
			break;
		case 5:					/* cut */
			len = at;
			break;
	}
	return len;
}

int
main(int argc, char **argv)
{
	static unsigned char seed[MAX_BODY];
	static unsigned char body[MAX_BODY];
	long		mutants = 2000;
	int			nseeds = 0;
	int			i;

	while (argc > 2 && argv[1][0] == '-')
	{
		if (strcmp(argv[1], "-n") == 0)
			mutants = atol(argv[2]);
		else if (strcmp(argv[1], "-s") == 0)
			rng_state = strtoull(argv[2], NULL, 10) * 2654435761ULL + 1;
		else
			break;
		argc -= 2;
		argv += 2;
	}
	if (argc < 2)
	{
		fprintf(stderr, "usage: json_differential [-n MUTANTS] [-s SEED] FILE...\n");
		return 2;
	}
	for (i = 1; i < argc; i++)
	{
		FILE	   *f = fopen(argv[i], "rb");
		size_t		len;
		size_t		cut;
		long		m;

		if (f == NULL)
		{
			perror(argv[i]);
			return 2;
		}
		len = fread(seed, 1, sizeof(seed), f);
		fclose(f);
		nseeds++;
		compare(seed, len);
		for (cut = 0; cut < 64 && len > 0; cut++)
			compare(seed, cut < len ? rnd((uint32_t) len) : 0);
		for (m = 0; m < mutants; m++)
		{
			size_t		blen = len;
			int			edits = (int) rnd(3) + 1;

			memcpy(body, seed, len);
			while (edits-- > 0)
				blen = mutate(body, blen);
			compare(body, blen);
		}
	}
	printf("json_differential: %d seeds, %ld bodies compared: %ld accepted, %ld refused\n",
		   nseeds, ncompared, naccepted, ncompared - naccepted);
	for (i = 0; i < 32 && refused[i].msg != NULL; i++)
		printf("  %8ld  %s\n", refused[i].count, refused[i].msg);
	return 0;
}
