/*-------------------------------------------------------------------------
 * http.c
 *	  The one HTTP path: libcurl's multi interface, driven by PostgreSQL's
 *	  wait machinery so that requests run concurrently and a cancel or
 *	  statement_timeout interrupts them at once.
 *
 * One multi handle lives for the whole backend, so its connection cache
 * keeps connections alive across requests and queries.  Requests belong to
 * pools: a pool's requests are submitted at any time, started as its
 * max_concurrency and rate limit allow, and handed back one at a time as
 * they finish (bedrock_http_poll), so a caller sends its next request the
 * moment the one it depends on lands.  Waiting drives every pool's
 * transfers: a pool used while another has requests in flight (credentials
 * renewed in the middle of a scan) delivers the other's answers to it.
 *
 * What curl allocates lives outside PostgreSQL's memory; a pool releases it
 * when it is released, or when its memory context goes (a query that ended
 * in an ERROR).  No callback here raises an ERROR: a callback records the
 * problem and returns, and it is reported afterwards.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <curl/curl.h>

#if defined(__linux__) && defined(HAVE_SYS_EPOLL_H)
#define BEDROCK_SOCKET_EPOLL 1
#include <sys/epoll.h>
#include <unistd.h>
#endif

#include "miscadmin.h"
#include "pgstat.h"
#include "lib/ilist.h"
#include "portability/instr_time.h"
#include "storage/latch.h"
#include "utils/wait_event.h"

#include "bedrock_fdw.h"
#include "pg_compat.h"

#define USER_AGENT "bedrock_fdw/0.1"

/* One request of a pool: waiting, in flight, or finished. */
typedef struct Transfer
{
	BedrockHttpPool *pool;
	BedrockHttpRequest *req;
	MemoryContext cxt;			/* where its outcome goes: the submitter's */
	dlist_node	node;			/* in the pool's waiting, running or done */
	bool		urgent;			/* started before the others waiting */
	bool		sensitive;		/* copied from req: zero the body */
	CURL	   *easy;
	struct curl_slist *headers; /* curl's copies, built at submission */
	char	   *body;			/* malloc'd response body */
	size_t		len;
	size_t		cap;
	size_t		max;
	bool		too_large;
	CURLcode	result;
	char		request_id[128];
	char		error_type[256];
	char		retry_after[32];
} Transfer;

struct BedrockHttpPool
{
	BedrockHttpConfig config;
	MemoryContext cxt;			/* the pool's own: its transfers */
	dlist_head	waiting;
	dlist_head	running;
	dlist_head	done;
	int			nrunning;
	bool		released;
	double		idle_ms;		/* waited with nothing in flight */
	TimestampTz token_due;		/* a waiting request is rate-limited until
								 * then; 0: none is */
	MemoryContextCallback on_delete;
};

/* A socket curl asked us to watch, and for what. */
typedef struct WatchedSocket
{
	curl_socket_t fd;
	int			what;			/* CURL_POLL_IN / _OUT / _INOUT */
} WatchedSocket;

static CURLM *multi = NULL;
static WatchedSocket *watched = NULL;
static int	nwatched = 0;
static int	maxwatched = 0;
static long timer_ms = -1;		/* curl's requested timeout, -1 = none */
static instr_time timer_set;	/* when curl asked for it */

#ifdef BEDROCK_SOCKET_EPOLL
/*
 * On Linux the watched sockets are also kept in one epoll descriptor,
 * updated as curl asks, and the backend waits on a set made once: the
 * latch, postmaster death and that descriptor.  A set made for each wait
 * cost a system call per socket each time: with 16 requests in flight, a
 * quarter of a SELECT *'s backend CPU (perf).
 */
static int	socket_epoll = -1;
static WaitEventSet *wait_set = NULL;
static int	socket_watch_errno = 0; /* an epoll_ctl that failed, to report */
#endif

/*
 * Request rate limits, per key (region), for this backend: a token bucket
 * refilled at the allowed rate, holding at most one second's worth.
 */
typedef struct RateBucket
{
	char		key[64];
	double		tokens;
	instr_time	last;
} RateBucket;

#define MAX_RATE_BUCKETS 64
static RateBucket rate_buckets[MAX_RATE_BUCKETS];
static int	nrate_buckets = 0;
static bool socket_table_full = false;

#define CURL_SETOPT(h, opt, val) \
	do { \
		CURLcode	_rc = curl_easy_setopt((h), (opt), (val)); \
		if (_rc != CURLE_OK) \
			ereport(ERROR, \
					(errcode(ERRCODE_FDW_ERROR), \
					 errmsg("could not set libcurl option %s: %s", \
							#opt, curl_easy_strerror(_rc)))); \
	} while (0)

#define CURLM_SETOPT(h, opt, val) \
	do { \
		CURLMcode	_rc = curl_multi_setopt((h), (opt), (val)); \
		if (_rc != CURLM_OK) \
			ereport(ERROR, \
					(errcode(ERRCODE_FDW_ERROR), \
					 errmsg("could not set libcurl option %s: %s", \
							#opt, curl_multi_strerror(_rc)))); \
	} while (0)

static void ensure_multi(void);
static int	socket_callback(CURL *easy, curl_socket_t fd, int what,
							void *userp, void *socketp);
static int	timer_callback(CURLM *m, long timeout_ms, void *userp);
static size_t write_callback(char *data, size_t size, size_t nmemb, void *userp);
static size_t header_callback(char *data, size_t size, size_t nmemb, void *userp);
static void build_headers(Transfer *t);
static void start_transfer(Transfer *t);
static void finish_transfer(Transfer *t);
static void release_transfer(Transfer *t);
static void release_pool_callback(void *arg);
static const char *transport_text(CURLcode code);
static bool rate_take(const char *key, double rps, long *wait_ms);
static long start_waiting(BedrockHttpPool *pool);
static void wait_and_drive(long max_wait_ms);
static void drive(curl_socket_t fd, int flags);
static void collect_done(void);
static long timer_left_ms(void);
static uint32 wait_events_of(int what);

/* Create the backend's multi handle on first use. */
static void
ensure_multi(void)
{
	if (multi != NULL)
		return;

#ifdef BEDROCK_SOCKET_EPOLL
	if (socket_epoll < 0)
	{
		socket_epoll = epoll_create1(EPOLL_CLOEXEC);
		if (socket_epoll < 0)
			ereport(ERROR,
					(errcode_for_socket_access(),
					 errmsg("could not create epoll descriptor: %m")));
	}
#endif
	if (curl_global_init(CURL_GLOBAL_ALL) != CURLE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("could not initialize libcurl")));
	multi = curl_multi_init();
	if (multi == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("could not create libcurl multi handle")));
	/* keep enough idle connections for full concurrency to several regions */
	CURLM_SETOPT(multi, CURLMOPT_MAXCONNECTS, 64L);
	CURLM_SETOPT(multi, CURLMOPT_SOCKETFUNCTION, socket_callback);
	CURLM_SETOPT(multi, CURLMOPT_TIMERFUNCTION, timer_callback);
}

#ifdef BEDROCK_SOCKET_EPOLL
/* Keep the epoll descriptor in step with what curl watches fd for. */
static bool
epoll_watch(curl_socket_t fd, int what, bool known)
{
	struct epoll_event ev;

	if (what == CURL_POLL_REMOVE)
	{
		/* curl may have closed it already, which removed it */
		(void) epoll_ctl(socket_epoll, EPOLL_CTL_DEL, fd, NULL);
		return true;
	}
	memset(&ev, 0, sizeof(ev));
	if (what & CURL_POLL_IN)
		ev.events |= EPOLLIN;
	if (what & CURL_POLL_OUT)
		ev.events |= EPOLLOUT;
	ev.data.fd = fd;
	if (epoll_ctl(socket_epoll, known ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) == 0)
		return true;
	/* a number reused after a close curl did not announce, or the reverse */
	if (errno == ENOENT || errno == EEXIST)
		return epoll_ctl(socket_epoll, errno == ENOENT ? EPOLL_CTL_ADD : EPOLL_CTL_MOD,
						 fd, &ev) == 0;
	return false;
}
#endif

/* curl tells which sockets to wait on; keep the table in step. */
static int
socket_callback(CURL *easy, curl_socket_t fd, int what, void *userp,
				void *socketp)
{
	int			i;

	for (i = 0; i < nwatched; i++)
	{
		if (watched[i].fd == fd)
			break;
	}

#ifdef BEDROCK_SOCKET_EPOLL
	if (socket_epoll >= 0 && !epoll_watch(fd, what, i < nwatched))
	{
		if (socket_watch_errno == 0)
			socket_watch_errno = errno;
		return -1;
	}
#endif

	if (what == CURL_POLL_REMOVE)
	{
		if (i < nwatched)
			watched[i] = watched[--nwatched];
		return 0;
	}

	if (i == nwatched)
	{
		if (nwatched == maxwatched)
		{
			int			newmax = maxwatched ? maxwatched * 2 : 16;
			WatchedSocket *grown = realloc(watched, newmax * sizeof(WatchedSocket));

			if (grown == NULL)
			{
				socket_table_full = true;
				return -1;
			}
			watched = grown;
			maxwatched = newmax;
		}
		watched[nwatched].fd = fd;
		nwatched++;
	}
	watched[i].what = what;
	return 0;
}

static int
timer_callback(CURLM *m, long timeout_ms, void *userp)
{
	timer_ms = timeout_ms;
	INSTR_TIME_SET_CURRENT(timer_set);
	return 0;
}

/* The wait events for what curl watches a socket for. */
static uint32
wait_events_of(int what)
{
	uint32		ev = 0;

	if (what & CURL_POLL_IN)
		ev |= WL_SOCKET_READABLE;
	if (what & CURL_POLL_OUT)
		ev |= WL_SOCKET_WRITEABLE;
	return ev;
}

/*
 * Milliseconds until curl's timer is due (0: it is), or -1 when curl has
 * none.  curl gives the timeout from when it set it, and does not call
 * again while it stays the same.
 */
static long
timer_left_ms(void)
{
	instr_time	elapsed;
	long		left;

	if (timer_ms < 0)
		return -1;
	INSTR_TIME_SET_CURRENT(elapsed);
	INSTR_TIME_SUBTRACT(elapsed, timer_set);
	left = timer_ms - (long) INSTR_TIME_GET_MILLISEC(elapsed);
	return Max(left, 0);
}

/* The largest body whose announced length sizes its buffer at once. */
#define PRESIZE_MAX (4 * 1024 * 1024)

/* Append response bytes, refusing to grow past the cap. */
static size_t
write_callback(char *data, size_t size, size_t nmemb, void *userp)
{
	Transfer   *t = (Transfer *) userp;
	size_t		n = size * nmemb;

	if (n > t->max - t->len)
	{
		t->too_large = true;
		return 0;
	}
	if (t->len + n + 1 > t->cap)
	{
		size_t		newcap = Max(t->cap * 2, t->len + n + 1);
		char	   *grown;

		newcap = Max(newcap, 8192);
		if (t->body == NULL)
		{
			curl_off_t	announced = -1;

			/* room for the announced body at once (up to a bound: a claim) */
			if (curl_easy_getinfo(t->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T,
								  &announced) == CURLE_OK &&
				announced > 0 && announced < PRESIZE_MAX)
				newcap = Max(newcap, (size_t) announced + 1);
		}
		grown = bedrock_buf_alloc(newcap, &newcap);
		if (grown == NULL)
			return 0;
		if (t->body)
		{
			memcpy(grown, t->body, t->len);
			/* no copy of a secret left behind in freed memory */
			if (t->sensitive)
				explicit_bzero(t->body, t->cap);
			bedrock_buf_free(t->body, t->cap);
		}
		t->body = grown;
		t->cap = newcap;
	}
	memcpy(t->body + t->len, data, n);
	t->len += n;
	t->body[t->len] = '\0';
	return n;
}

/* Copy a header's value, trimmed, into a fixed buffer. */
static void
copy_header_value(char *dst, size_t dstlen, const char *value, size_t len)
{
	while (len > 0 && (*value == ' ' || *value == '\t'))
		value++, len--;
	while (len > 0 && (value[len - 1] == '\r' || value[len - 1] == '\n' ||
					   value[len - 1] == ' ' || value[len - 1] == '\t'))
		len--;
	if (len >= dstlen)
		len = dstlen - 1;
	memcpy(dst, value, len);
	dst[len] = '\0';
}

/* Keep the two AWS response headers the error reporting needs. */
static size_t
header_callback(char *data, size_t size, size_t nmemb, void *userp)
{
	Transfer   *t = (Transfer *) userp;
	size_t		n = size * nmemb;
	static const char rid[] = "x-amzn-requestid:";
	static const char etype[] = "x-amzn-errortype:";
	static const char rafter[] = "retry-after:";

	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0)
	{
		/* a new response (after 100 Continue): forget earlier headers */
		t->request_id[0] = '\0';
		t->error_type[0] = '\0';
		t->retry_after[0] = '\0';
	}
	else if (n > sizeof(rafter) - 1 && pg_strncasecmp(data, rafter, sizeof(rafter) - 1) == 0)
		copy_header_value(t->retry_after, sizeof(t->retry_after),
						  data + sizeof(rafter) - 1, n - (sizeof(rafter) - 1));
	else if (n > sizeof(rid) - 1 && pg_strncasecmp(data, rid, sizeof(rid) - 1) == 0)
		copy_header_value(t->request_id, sizeof(t->request_id),
						  data + sizeof(rid) - 1, n - (sizeof(rid) - 1));
	else if (n > sizeof(etype) - 1 && pg_strncasecmp(data, etype, sizeof(etype) - 1) == 0)
		copy_header_value(t->error_type, sizeof(t->error_type),
						  data + sizeof(etype) - 1, n - (sizeof(etype) - 1));
	return n;
}

/*
 * curl's copies of a request's headers, made when it is submitted: the
 * caller may zero its own copies of the secrets at once.
 */
static void
build_headers(Transfer *t)
{
	ListCell   *cell;

	foreach(cell, t->req->headers)
	{
		struct curl_slist *l;

		/* curl sends a header as given: a line break would start another */
		if (strpbrk((char *) lfirst(cell), "\r\n") != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("an HTTP header holds a line break")));
		l = curl_slist_append(t->headers, (char *) lfirst(cell));

		if (l == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory")));
		t->headers = l;
	}
}

/* Set up an easy handle for a waiting request and hand it to curl. */
static void
start_transfer(Transfer *t)
{
	BedrockHttpRequest *req = t->req;
	const BedrockHttpConfig *config = &t->pool->config;
	CURLMcode	mrc;

	/* running from now on: a failure below is released with the pool */
	dlist_delete(&t->node);
	dlist_push_tail(&t->pool->running, &t->node);
	t->pool->nrunning++;
	t->max = config->max_response_bytes;
	t->easy = curl_easy_init();
	if (t->easy == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("could not create libcurl handle")));

	CURL_SETOPT(t->easy, CURLOPT_URL, req->url);
	CURL_SETOPT(t->easy, CURLOPT_NOSIGNAL, 1L);
	CURL_SETOPT(t->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	CURL_SETOPT(t->easy, CURLOPT_FOLLOWLOCATION, 0L);
	CURL_SETOPT(t->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	CURL_SETOPT(t->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	if (config->ca_file)
		CURL_SETOPT(t->easy, CURLOPT_CAINFO, config->ca_file);

	/*
	 * Without a proxy option curl follows the environment (HTTPS_PROXY,
	 * https_proxy, NO_PROXY).  Metadata services are never proxied: their
	 * answers are credentials.
	 */
	if (req->no_proxy)
		CURL_SETOPT(t->easy, CURLOPT_NOPROXY, "*");
	else if (config->proxy)
		CURL_SETOPT(t->easy, CURLOPT_PROXY, config->proxy);
	CURL_SETOPT(t->easy, CURLOPT_CONNECTTIMEOUT_MS, config->connect_timeout_ms);
	CURL_SETOPT(t->easy, CURLOPT_TIMEOUT_MS, config->request_timeout_ms);
	/* a body whose bytes stop arriving is a timeout too */
	CURL_SETOPT(t->easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
	CURL_SETOPT(t->easy, CURLOPT_LOW_SPEED_TIME, config->stall_timeout_s);
	CURL_SETOPT(t->easy, CURLOPT_TCP_KEEPALIVE, 1L);
	/* refuse an announced oversized body at the headers, not after reading it */
	CURL_SETOPT(t->easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t) config->max_response_bytes);
	CURL_SETOPT(t->easy, CURLOPT_USERAGENT, USER_AGENT);
	CURL_SETOPT(t->easy, CURLOPT_ACCEPT_ENCODING, "");
	CURL_SETOPT(t->easy, CURLOPT_HTTPHEADER, t->headers);
	CURL_SETOPT(t->easy, CURLOPT_WRITEFUNCTION, write_callback);
	CURL_SETOPT(t->easy, CURLOPT_WRITEDATA, t);
	CURL_SETOPT(t->easy, CURLOPT_HEADERFUNCTION, header_callback);
	CURL_SETOPT(t->easy, CURLOPT_HEADERDATA, t);
	CURL_SETOPT(t->easy, CURLOPT_PRIVATE, t);
	if (strcmp(req->method, "POST") == 0)
	{
		CURL_SETOPT(t->easy, CURLOPT_POST, 1L);
		CURL_SETOPT(t->easy, CURLOPT_POSTFIELDSIZE, (long) req->body_len);
		CURL_SETOPT(t->easy, CURLOPT_POSTFIELDS, req->body ? req->body : "");
	}
	else if (strcmp(req->method, "GET") == 0)
		CURL_SETOPT(t->easy, CURLOPT_HTTPGET, 1L);
	else if (strcmp(req->method, "PUT") == 0)
	{
		/* a PUT with an in-memory body (IMDSv2's token request has none) */
		CURL_SETOPT(t->easy, CURLOPT_POSTFIELDSIZE, (long) req->body_len);
		CURL_SETOPT(t->easy, CURLOPT_POSTFIELDS, req->body ? req->body : "");
		CURL_SETOPT(t->easy, CURLOPT_CUSTOMREQUEST, "PUT");
	}
	else
		elog(ERROR, "unsupported HTTP method \"%s\"", req->method);

	mrc = curl_multi_add_handle(multi, t->easy);
	if (mrc != CURLM_OK)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("could not start HTTP request: %s",
						curl_multi_strerror(mrc))));
}

/* Move a finished transfer's outcome into its request, in palloc'd memory. */
static void
finish_transfer(Transfer *t)
{
	BedrockHttpRequest *req = t->req;
	long		code = 0;
	double		secs = 0;
	MemoryContext old = MemoryContextSwitchTo(t->cxt);

	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
	req->status = code;
	if (curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME, &secs) == CURLE_OK)
		req->elapsed_ms = secs * 1000.0;
	/* a copy of every byte: a body may hold NULs, and its length is trusted */
	req->response = palloc(t->len + 1);
	if (t->len > 0)
		memcpy(req->response, t->body, t->len);
	req->response[t->len] = '\0';
	req->response_len = t->len;
	req->request_id = t->request_id[0] ? pstrdup(t->request_id) : NULL;
	req->error_type = t->error_type[0] ? pstrdup(t->error_type) : NULL;
	req->timed_out = (t->result == CURLE_OPERATION_TIMEDOUT);
	req->retry_after_s = -1;
	if (t->retry_after[0])
	{
		char	   *end;
		long		secs = strtol(t->retry_after, &end, 10);

		/* delay-seconds only; an HTTP-date falls back to backoff */
		if (end != t->retry_after && *end == '\0' && secs >= 0 && secs < 86400)
			req->retry_after_s = (int) secs;
	}
	switch (t->result)
	{
		case CURLE_COULDNT_RESOLVE_HOST:
		case CURLE_COULDNT_CONNECT:
		case CURLE_OPERATION_TIMEDOUT:
		case CURLE_SEND_ERROR:
		case CURLE_RECV_ERROR:
		case CURLE_GOT_NOTHING:
		case CURLE_PARTIAL_FILE:
		case CURLE_HTTP2:
		case CURLE_HTTP2_STREAM:
			/* the network or the server failed: worth another attempt */
			req->transient = true;
			break;
		default:
			/* TLS verification, a bad URL, out of memory...: not transient */
			req->transient = false;
			break;
	}
	if (t->too_large || t->result == CURLE_FILESIZE_EXCEEDED)
	{
		req->too_large = true;
		req->transport_error = psprintf("response larger than %zu bytes", t->max);
	}
	else if (t->result != CURLE_OK)
		req->transport_error = pstrdup(transport_text(t->result));
	else
		req->transport_error = NULL;
	MemoryContextSwitchTo(old);
	release_transfer(t);
}

/*
 * Why a transfer failed, in words of our own for the failures a user meets:
 * libcurl's own (curl_easy_strerror) change between its versions ("Couldn't
 * connect to server" became "Could not connect to server").
 */
static const char *
transport_text(CURLcode code)
{
	static const struct
	{
		CURLcode	code;
		const char *text;
	}			texts[] = {
		{CURLE_COULDNT_CONNECT, "could not connect to the server"},
		{CURLE_COULDNT_RESOLVE_HOST, "could not resolve the host name"},
		{CURLE_COULDNT_RESOLVE_PROXY, "could not resolve the proxy's host name"},
		{CURLE_OPERATION_TIMEDOUT, "timed out"},
		{CURLE_GOT_NOTHING, "the server closed the connection without answering"},
		{CURLE_PARTIAL_FILE, "the answer ended before its announced length"},
		{CURLE_RECV_ERROR, "failure receiving data from the server"},
		{CURLE_SEND_ERROR, "failure sending data to the server"},
		{CURLE_PEER_FAILED_VERIFICATION, "the server's TLS certificate could not be verified"},
		{CURLE_SSL_CONNECT_ERROR, "the TLS handshake failed"},
		{CURLE_SSL_CACERT_BADFILE, "the CA file could not be read"},
		{CURLE_URL_MALFORMAT, "the URL is malformed"},
		{CURLE_UNSUPPORTED_PROTOCOL, "the URL's scheme is not supported"},
		{CURLE_OUT_OF_MEMORY, "out of memory"}
	};
	int			i;

	for (i = 0; i < lengthof(texts); i++)
	{
		if (texts[i].code == code)
			return texts[i].text;
	}
	return curl_easy_strerror(code);
}

/* Free what curl and the write callback allocated for a transfer. */
static void
release_transfer(Transfer *t)
{
	if (t->easy)
	{
		curl_multi_remove_handle(multi, t->easy);
		curl_easy_cleanup(t->easy);
		t->easy = NULL;
	}
	if (t->headers)
	{
		struct curl_slist *l;

		/* headers carry session tokens and signatures: zero the copies */
		for (l = t->headers; l; l = l->next)
			explicit_bzero(l->data, strlen(l->data));
		curl_slist_free_all(t->headers);
		t->headers = NULL;
	}
	if (t->body)
	{
		if (t->sensitive)
			explicit_bzero(t->body, t->cap);
		bedrock_buf_free(t->body, t->cap);
		t->body = NULL;
	}
}

/* Let curl act on a ready socket, or on its timer when fd is the timeout. */
static void
drive(curl_socket_t fd, int flags)
{
	int			running;
	CURLMcode	mrc;

	mrc = curl_multi_socket_action(multi, fd, flags, &running);

	/*
	 * curl's timer does not repeat, and curl announces a new one only when
	 * its next deadline changes: after acting on a due timer, ask curl for
	 * its deadline.  A due timer kept would make every later wait a
	 * zero-length one: a busy loop while a rate-limited request waits for its
	 * token with nothing in flight.
	 */
	if (fd == CURL_SOCKET_TIMEOUT && mrc == CURLM_OK)
	{
		long		next;

		if (curl_multi_timeout(multi, &next) == CURLM_OK)
		{
			timer_ms = next;
			INSTR_TIME_SET_CURRENT(timer_set);
		}
	}

	if (mrc != CURLM_OK)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("HTTP transfer failed: %s", curl_multi_strerror(mrc))));
	if (socket_table_full)
	{
		socket_table_full = false;
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory")));
	}
#ifdef BEDROCK_SOCKET_EPOLL
	if (socket_watch_errno != 0)
	{
		errno = socket_watch_errno;
		socket_watch_errno = 0;
		ereport(ERROR,
				(errcode_for_socket_access(),
				 errmsg("could not watch a socket: %m")));
	}
#endif
}

/*
 * Take a token for a request under key at rps requests per second.  When
 * none is left, return false with the milliseconds until there is one.
 */
static bool
rate_take(const char *key, double rps, long *wait_ms)
{
	RateBucket *b = NULL;
	instr_time	now;
	int			i;

	INSTR_TIME_SET_CURRENT(now);
	for (i = 0; i < nrate_buckets; i++)
	{
		if (strcmp(rate_buckets[i].key, key) == 0)
			b = &rate_buckets[i];
	}
	if (b == NULL)
	{
		/*
		 * a new key starts with a full bucket; the table recycles its first
		 * slot
		 */
		b = &rate_buckets[nrate_buckets < MAX_RATE_BUCKETS ? nrate_buckets++ : 0];
		strlcpy(b->key, key, sizeof(b->key));
		b->tokens = Max(rps, 1.0);
		b->last = now;
	}
	else
	{
		instr_time	elapsed = now;

		INSTR_TIME_SUBTRACT(elapsed, b->last);
		b->tokens = Min(Max(rps, 1.0),
						b->tokens + INSTR_TIME_GET_DOUBLE(elapsed) * rps);
		b->last = now;
	}
	if (b->tokens >= 1.0)
	{
		b->tokens -= 1.0;
		return true;
	}
	*wait_ms = (long) ((1.0 - b->tokens) * 1000.0 / rps) + 1;
	return false;
}

#ifdef BEDROCK_SOCKET_EPOLL
/*
 * Wait up to timeout ms on the backend's set (made the first time), and
 * collect the sockets that are ready into fds/flags (at most max).
 * Returns whether the latch was set.
 */
static bool
wait_ready(long timeout, curl_socket_t *fds, int *flags, int max, int *nready)
{
	WaitEvent	events[3];
	struct epoll_event ready[64];
	int			nevents;
	int			n = 0;
	bool		latch_set = false;
	bool		sockets = false;
	int			i;

	if (wait_set == NULL)
	{
		/* the backend's: since 17 no owner, before that TopMemoryContext */
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
		WaitEventSet *volatile set = bedrock_create_wait_event_set(3);

		MemoryContextSwitchTo(old);
		PG_TRY();
		{
			AddWaitEventToSet(set, WL_LATCH_SET, PGINVALID_SOCKET, MyLatch, NULL);
			if (IsUnderPostmaster)	/* not in single-user mode */
				AddWaitEventToSet(set, WL_EXIT_ON_PM_DEATH, PGINVALID_SOCKET, NULL, NULL);
			AddWaitEventToSet(set, WL_SOCKET_READABLE, socket_epoll, NULL, NULL);
		}
		PG_CATCH();
		{
			FreeWaitEventSet(set);
			PG_RE_THROW();
		}
		PG_END_TRY();
		wait_set = set;
	}

	nevents = WaitEventSetWait(wait_set, timeout, events, lengthof(events),
							   bedrock_wait_event());
	for (i = 0; i < nevents; i++)
	{
		if (events[i].events & WL_LATCH_SET)
			latch_set = true;
		else if (events[i].events & WL_SOCKET_READABLE)
			sockets = true;
	}
	if (sockets)
	{
		int			nfd = epoll_wait(socket_epoll, ready, Min(max, lengthof(ready)), 0);

		for (i = 0; i < nfd; i++)
		{
			int			f = 0;

			/* an error or hang-up is read, as PostgreSQL's own sets do */
			if (ready[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
				f |= CURL_CSELECT_IN;
			if (ready[i].events & EPOLLOUT)
				f |= CURL_CSELECT_OUT;
			fds[n] = ready[i].data.fd;
			flags[n] = f;
			n++;
		}
	}
	*nready = n;
	return latch_set;
}
#else
/*
 * Wait up to timeout ms on a set made for this wait: the latch, postmaster
 * death and every watched socket; collect the ready sockets into fds/flags
 * (at most max).  Returns whether the latch was set.  The set is freed
 * before anything can raise an ERROR.
 */
static bool
wait_ready(long timeout, curl_socket_t *fds, int *flags, int max, int *nready)
{
	WaitEvent	events[64];
	int			nevents = 0;
	int			n = 0;
	bool		latch_set = false;
	int			i;
	WaitEventSet *volatile wes;

	wes = bedrock_create_wait_event_set(nwatched + 2);
	PG_TRY();
	{
		AddWaitEventToSet(wes, WL_LATCH_SET, PGINVALID_SOCKET, MyLatch, NULL);
		if (IsUnderPostmaster)	/* not in single-user mode */
			AddWaitEventToSet(wes, WL_EXIT_ON_PM_DEATH, PGINVALID_SOCKET, NULL, NULL);
		for (i = 0; i < nwatched; i++)
		{
			uint32		ev = wait_events_of(watched[i].what);

			if (ev)
				AddWaitEventToSet(wes, ev, watched[i].fd, NULL, NULL);
		}
		nevents = WaitEventSetWait(wes, timeout, events, lengthof(events),
								   bedrock_wait_event());
	}
	PG_FINALLY();
	{
		FreeWaitEventSet(wes);
	}
	PG_END_TRY();

	for (i = 0; i < nevents; i++)
	{
		if (events[i].events & WL_LATCH_SET)
			latch_set = true;
		else if (n < max)
		{
			int			f = 0;

			if (events[i].events & WL_SOCKET_READABLE)
				f |= CURL_CSELECT_IN;
			if (events[i].events & WL_SOCKET_WRITEABLE)
				f |= CURL_CSELECT_OUT;
			fds[n] = events[i].fd;
			flags[n] = f;
			n++;
		}
	}
	*nready = n;
	return latch_set;
}
#endif

/*
 * Wait until a watched socket is ready, curl's timer fires, the latch is set
 * or max_wait_ms passes (-1: no limit of the caller's), then act on it.
 */
static void
wait_and_drive(long max_wait_ms)
{
	long		timeout;
	curl_socket_t ready_fd[64];
	int			ready_flags[64];
	int			nready = 0;
	int			i;

	timeout = timer_left_ms();
	if (timeout < 0 || timeout > 1000)
		timeout = 1000;			/* curl always sets a timer while busy */
	if (max_wait_ms >= 0 && max_wait_ms < timeout)
		timeout = max_wait_ms;	/* a rate-limited request may start then */

	if (wait_ready(timeout, ready_fd, ready_flags, lengthof(ready_fd), &nready))
	{
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
	}
	if (nready == 0)
		drive(CURL_SOCKET_TIMEOUT, 0);
	for (i = 0; i < nready; i++)
		drive(ready_fd[i], ready_flags[i]);
}

/* Move finished transfers, of any pool, to their pool's done list. */
static void
collect_done(void)
{
	CURLMsg    *msg;
	int			left;

	while ((msg = curl_multi_info_read(multi, &left)) != NULL)
	{
		Transfer   *t;

		if (msg->msg != CURLMSG_DONE)
			continue;
		if (curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **) &t) != CURLE_OK ||
			t == NULL)
			elog(ERROR, "finished libcurl transfer has no owner");
		t->result = msg->data.result;
		finish_transfer(t);
		dlist_delete(&t->node);
		dlist_push_tail(&t->pool->done, &t->node);
		t->pool->nrunning--;
	}
}

/*
 * A pool of requests under one configuration: at most max_concurrency in
 * flight, each rate_key within max_requests_per_second.  It lives in a
 * context of its own under parent; deleting that releases everything.
 */
BedrockHttpPool *
bedrock_http_pool_create(const BedrockHttpConfig *config, MemoryContext parent)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "bedrock_fdw http pool",
											  ALLOCSET_SMALL_SIZES);
	BedrockHttpPool *pool = MemoryContextAllocZero(cxt, sizeof(BedrockHttpPool));

	pool->config = *config;
	pool->cxt = cxt;
	dlist_init(&pool->waiting);
	dlist_init(&pool->running);
	dlist_init(&pool->done);
	pool->on_delete.func = release_pool_callback;
	pool->on_delete.arg = pool;
	MemoryContextRegisterResetCallback(cxt, &pool->on_delete);
	return pool;
}

/*
 * Queue a request; urgent ones start before those waiting already.  curl's
 * copies of its headers are made now: the caller may zero its own.  Its
 * outcome is put in the memory context current now.
 */
void
bedrock_http_submit(BedrockHttpPool *pool, BedrockHttpRequest *req, bool urgent)
{
	Transfer   *t = MemoryContextAllocZero(pool->cxt, sizeof(Transfer));

	Assert(!pool->released);
	t->pool = pool;
	t->req = req;
	t->cxt = CurrentMemoryContext;
	t->urgent = urgent;
	t->sensitive = req->sensitive;
	req->transfer = t;
	if (urgent)
	{
		dlist_iter	iter;
		dlist_node *after = NULL;

		/* after the urgent ones already waiting, in submission order */
		dlist_foreach(iter, &pool->waiting)
		{
			if (!dlist_container(Transfer, node, iter.cur)->urgent)
				break;
			after = iter.cur;
		}
		if (after)
			dlist_insert_after(after, &t->node);
		else
			dlist_push_head(&pool->waiting, &t->node);
	}
	else
		dlist_push_tail(&pool->waiting, &t->node);
	build_headers(t);
}

/*
 * Start the waiting requests that concurrency and the rate limit allow, in
 * order.  Returns the milliseconds until a rate-limited one may start, or
 * -1 when none waits for that.
 */
static long
start_waiting(BedrockHttpPool *pool)
{
	dlist_mutable_iter iter;
	long		token_wait = -1;

	const char *denied[8];		/* keys refused a token in this pass */
	int			ndenied = 0;
	bool		all_denied = false; /* more keys refused than denied holds */

	dlist_foreach_modify(iter, &pool->waiting)
	{
		Transfer   *t = dlist_container(Transfer, node, iter.cur);
		const char *key = t->req->rate_key;
		long		w;

		if (pool->nrunning >= pool->config.max_concurrency)
			break;
		if (pool->config.max_requests_per_second > 0 && key)
		{
			bool		refused = all_denied;
			int			i;

			/*
			 * Once a key is refused, the later requests of that key wait too:
			 * a token that comes in the meantime is the first one's, so that
			 * requests start in the order they were submitted.
			 */
			for (i = 0; i < ndenied && !refused; i++)
				refused = (strcmp(denied[i], key) == 0);
			if (refused)
				continue;
			if (!rate_take(key, pool->config.max_requests_per_second, &w))
			{
				if (token_wait < 0 || w < token_wait)
					token_wait = w;
				if (ndenied < lengthof(denied))
					denied[ndenied++] = key;
				else
					all_denied = true;
				continue;
			}
		}
		start_transfer(t);
	}
	pool->token_due = token_wait >= 0
		? TimestampTzPlusMilliseconds(GetCurrentTimestamp(), token_wait) : 0;
	return token_wait;
}

/*
 * The next finished request of the pool, its outcome filled in, waiting at
 * most max_wait_ms for one (-1: as long as one is waiting or in flight).
 * NULL when the time passed, or when the pool has nothing left.  Transport
 * failures are reported in the request, not raised; a cancel,
 * statement_timeout or out-of-memory raises an ERROR (the pool is released
 * with its memory, or by bedrock_http_pool_release).
 */
BedrockHttpRequest *
bedrock_http_poll(BedrockHttpPool *pool, long max_wait_ms)
{
	instr_time	start;

	ensure_multi();
	INSTR_TIME_SET_CURRENT(start);
	for (;;)
	{
		long		wait;
		long		token_wait;
		instr_time	now;
		bool		idle;

		if (!dlist_is_empty(&pool->done))
		{
			Transfer   *t = dlist_container(Transfer, node,
											dlist_pop_head_node(&pool->done));
			BedrockHttpRequest *req = t->req;

			req->transfer = NULL;
			pfree(t);

			/*
			 * Its slot goes to the next waiting request now, not once the
			 * caller has read the answers: the slot is not idle meanwhile.
			 */
			if (!dlist_is_empty(&pool->waiting) &&
				pool->nrunning < pool->config.max_concurrency)
			{
				(void) start_waiting(pool);
				drive(CURL_SOCKET_TIMEOUT, 0);
				collect_done();
			}
			return req;
		}
		if (dlist_is_empty(&pool->waiting) && pool->nrunning == 0)
			return NULL;
		token_wait = start_waiting(pool);

		INSTR_TIME_SET_CURRENT(now);
		INSTR_TIME_SUBTRACT(now, start);
		wait = token_wait;
		if (max_wait_ms >= 0)
		{
			long		left = max_wait_ms - (long) INSTR_TIME_GET_MILLISEC(now);

			if (left <= 0 && pool->nrunning == 0)
				return NULL;
			left = Max(left, 0);
			wait = wait < 0 ? left : Min(wait, left);
		}
		idle = (pool->nrunning == 0);
		if (idle)
			INSTR_TIME_SET_CURRENT(now);
		wait_and_drive(wait);
		collect_done();
		if (idle)
		{
			instr_time	end;

			INSTR_TIME_SET_CURRENT(end);
			INSTR_TIME_SUBTRACT(end, now);
			pool->idle_ms += INSTR_TIME_GET_MILLISEC(end);
		}
		if (max_wait_ms >= 0 && dlist_is_empty(&pool->done))
		{
			INSTR_TIME_SET_CURRENT(now);
			INSTR_TIME_SUBTRACT(now, start);
			if ((long) INSTR_TIME_GET_MILLISEC(now) >= max_wait_ms)
				return NULL;
		}
	}
}

/*
 * What a wait for the pool's progress must watch, for a scan that waits in
 * the executor's WaitEventSet (ForeignAsyncConfigureWait) rather than in
 * bedrock_http_poll: a finished request not claimed yet (it may have been
 * collected while another pool was polled: no socket will tell), every
 * socket curl watches (for any pool: one multi handle moves them all), and
 * when curl's timer or the pool's rate limit is due.  Nothing is driven.
 */
void
bedrock_http_pool_wait_spec(BedrockHttpPool *pool, BedrockWaitSpec *spec)
{
	int			i;

	if (!dlist_is_empty(&pool->done))
		spec->ready = true;
	if (!dlist_is_empty(&pool->waiting) &&
		pool->nrunning < pool->config.max_concurrency)
	{
		long		left = 0;

		if (pool->token_due != 0)
			left = (long) ((pool->token_due - GetCurrentTimestamp() + 999) / 1000);
		bedrock_wait_spec_due(spec, Max(left, 0));
	}
	bedrock_wait_spec_due(spec, timer_left_ms());

	spec->sockets = palloc(sizeof(int) * Max(nwatched, 1));
	spec->events = palloc(sizeof(uint32) * Max(nwatched, 1));
	spec->nsockets = 0;
	for (i = 0; i < nwatched; i++)
	{
		uint32		ev = wait_events_of(watched[i].what);

		if (ev == 0)
			continue;
		spec->sockets[spec->nsockets] = watched[i].fd;
		spec->events[spec->nsockets] = ev;
		spec->nsockets++;
	}
}

/* Give up a request of the pool: never sent, or abandoned in flight. */
void
bedrock_http_cancel(BedrockHttpPool *pool, BedrockHttpRequest *req)
{
	Transfer   *t = (Transfer *) req->transfer;

	if (t == NULL)
		return;
	Assert(t->pool == pool);
	if (t->easy)
		pool->nrunning--;
	release_transfer(t);
	dlist_delete(&t->node);
	req->transfer = NULL;
	pfree(t);
}

/* How many requests of the pool are waiting, in flight or unclaimed. */
int
bedrock_http_pool_size(BedrockHttpPool *pool)
{
	dlist_iter	iter;
	int			n = pool->nrunning;

	dlist_foreach(iter, &pool->waiting)
		n++;
	dlist_foreach(iter, &pool->done)
		n++;
	return n;
}

/* Milliseconds the pool waited with none of its requests in flight. */
double
bedrock_http_pool_idle_ms(BedrockHttpPool *pool)
{
	return pool->idle_ms;
}

/*
 * Release what curl holds for the pool's requests: in flight, waiting or
 * unclaimed.  Touches only the pool's own memory, since the requests'
 * contexts may be gone already when the pool's goes.
 */
static void
release_pool_callback(void *arg)
{
	BedrockHttpPool *pool = (BedrockHttpPool *) arg;
	dlist_head *lists[3];
	int			i;

	if (pool->released)
		return;
	pool->released = true;
	lists[0] = &pool->waiting;
	lists[1] = &pool->running;
	lists[2] = &pool->done;
	for (i = 0; i < 3; i++)
	{
		dlist_mutable_iter iter;

		dlist_foreach_modify(iter, lists[i])
		{
			Transfer   *t = dlist_container(Transfer, node, iter.cur);

			release_transfer(t);
			dlist_delete(&t->node);
		}
	}
	pool->nrunning = 0;
}

/* Release the pool and its memory. */
void
bedrock_http_pool_release(BedrockHttpPool *pool)
{
	MemoryContextDelete(pool->cxt);
}

/*
 * Close the backend's cached connections (the multi handle and its
 * connection cache).  Returns whether there was anything to close.  Called
 * only between queries, when no transfer is in flight.
 */
bool
bedrock_http_close_connections(void)
{
	if (multi == NULL)
		return false;
	curl_multi_cleanup(multi);
	multi = NULL;
	nwatched = 0;
	timer_ms = -1;
#ifdef BEDROCK_SOCKET_EPOLL
	if (wait_set != NULL)
	{
		FreeWaitEventSet(wait_set);
		wait_set = NULL;
	}
	if (socket_epoll >= 0)
	{
		close(socket_epoll);
		socket_epoll = -1;
	}
	socket_watch_errno = 0;
#endif
	return true;
}
