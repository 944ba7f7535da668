/*-------------------------------------------------------------------------
 * waitfd.c
 *	  The one file descriptor an asynchronous scan gives the executor to wait
 *	  on: readable when the scan can make progress.
 *
 * An Append running scans asynchronously waits on one WaitEventSet, to which
 * each waiting scan adds one event (the set is sized one per scan).  A scan
 * waits for many things: every socket curl watches (the multi handle is the
 * backend's, shared by every scan), curl's timer, a retry's backoff, a rate
 * limit, and "ready already": its answers may have been collected while
 * another scan drove the multi handle, and then no socket will tell it.  On
 * Linux one epoll descriptor holds them all: the sockets with the interest
 * curl asked for, and a timerfd armed for the earliest deadline; when the
 * scan is ready, an eventfd that is readable at once instead.  The timer is
 * never further than MAX_WAIT_MS away, so that an Append whose WaitEventSet
 * has no latch (before PostgreSQL fixed that) still notices a cancel.
 * Elsewhere no scan is async-capable.
 *
 * The descriptors are closed when the next wait is armed, when the scan is
 * notified or ends, and, after an ERROR, with the memory they belong to.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#if defined(__linux__) && defined(HAVE_SYS_EPOLL_H)
#define BEDROCK_HAVE_WAITFD 1
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>
#endif

#include "storage/latch.h"

#include "bedrock_fdw.h"

/* The longest an asynchronous scan sleeps without looking around. */
#define MAX_WAIT_MS 1000

struct BedrockWaitFd
{
	int			epoll_fd;		/* what the executor waits on, or -1 */
	int			timer_fd;		/* in it: the earliest deadline, or -1 */
	int			event_fd;		/* in it: readable now, or -1 */
	MemoryContextCallback on_reset;
};

static void waitfd_reset_callback(void *arg);

/* Note that something is due in ms milliseconds (-1: nothing is). */
void
bedrock_wait_spec_due(BedrockWaitSpec *spec, long ms)
{
	if (ms < 0)
		return;
	if (spec->timeout_ms < 0 || ms < spec->timeout_ms)
		spec->timeout_ms = ms;
}

/* Whether scans can wait asynchronously on this platform. */
bool
bedrock_waitfd_supported(void)
{
#ifdef BEDROCK_HAVE_WAITFD
	return true;
#else
	return false;
#endif
}

/* A scan's wait descriptor, closed at the latest when cxt goes. */
BedrockWaitFd *
bedrock_waitfd_create(MemoryContext cxt)
{
	BedrockWaitFd *w = MemoryContextAllocZero(cxt, sizeof(BedrockWaitFd));

	w->epoll_fd = -1;
	w->timer_fd = -1;
	w->event_fd = -1;
	w->on_reset.func = waitfd_reset_callback;
	w->on_reset.arg = w;
	MemoryContextRegisterResetCallback(cxt, &w->on_reset);
	return w;
}

static void
waitfd_reset_callback(void *arg)
{
	bedrock_waitfd_disarm((BedrockWaitFd *) arg);
}

/* Close the descriptors of the last wait. */
void
bedrock_waitfd_disarm(BedrockWaitFd *w)
{
#ifdef BEDROCK_HAVE_WAITFD
	if (w->event_fd >= 0)
		close(w->event_fd);
	if (w->timer_fd >= 0)
		close(w->timer_fd);
	if (w->epoll_fd >= 0)
		close(w->epoll_fd);
#endif
	w->event_fd = -1;
	w->timer_fd = -1;
	w->epoll_fd = -1;
}

#ifdef BEDROCK_HAVE_WAITFD
/* Watch fd for events (EPOLLIN, EPOLLOUT) in the wait's epoll set. */
static void
watch(BedrockWaitFd *w, int fd, uint32 events)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.fd = fd;
	if (epoll_ctl(w->epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0)
		ereport(ERROR,
				(errcode_for_socket_access(),
				 errmsg("could not add a socket to an epoll set: %m")));
}
#endif

/*
 * Close the last wait's descriptors and make one for spec: readable once
 * the scan can make progress.  Returns it, for AddWaitEventToSet with
 * WL_SOCKET_READABLE.
 */
int
bedrock_waitfd_arm(BedrockWaitFd *w, const BedrockWaitSpec *spec)
{
#ifdef BEDROCK_HAVE_WAITFD
	long		timeout = spec->timeout_ms;
	struct itimerspec its;
	int			i;

	bedrock_waitfd_disarm(w);
	w->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (w->epoll_fd < 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not create an epoll set: %m")));

	if (spec->ready || timeout == 0)
	{
		w->event_fd = eventfd(1, EFD_CLOEXEC | EFD_NONBLOCK);
		if (w->event_fd < 0)
			ereport(ERROR,
					(errcode_for_file_access(),
					 errmsg("could not create an eventfd: %m")));
		watch(w, w->event_fd, EPOLLIN);
		return w->epoll_fd;
	}

	for (i = 0; i < spec->nsockets; i++)
		watch(w, spec->sockets[i],
			  ((spec->events[i] & WL_SOCKET_READABLE) ? EPOLLIN : 0) |
			  ((spec->events[i] & WL_SOCKET_WRITEABLE) ? EPOLLOUT : 0));

	if (timeout < 0 || timeout > MAX_WAIT_MS)
		timeout = MAX_WAIT_MS;
	w->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (w->timer_fd < 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not create a timerfd: %m")));
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = timeout / 1000;
	its.it_value.tv_nsec = (timeout % 1000) * 1000000L;
	if (timerfd_settime(w->timer_fd, 0, &its, NULL) < 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not arm a timerfd: %m")));
	watch(w, w->timer_fd, EPOLLIN);
	return w->epoll_fd;
#else
	elog(ERROR, "asynchronous foreign scans are not supported on this platform");
	return -1;					/* keep the compiler quiet */
#endif
}
