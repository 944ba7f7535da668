/*-------------------------------------------------------------------------
 * process.c
 *	  credential_process: run a profile's command and read the credentials
 *	  it prints, as the AWS SDKs do.
 *
 * The command runs under /bin/sh as the PostgreSQL server's OS user, with
 * stdin from /dev/null, stdout read here and stderr going to the server
 * log, and no other file descriptor of the backend.  Its output is read
 * while waiting on the latch, so a cancel or statement_timeout ends the
 * wait; its process group is then killed and it is reaped (for at most
 * 2 s), as when it runs past request_timeout.  Its output holds secrets: it
 * never appears in a message and is zeroed once read.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "miscadmin.h"
#include "port.h"
#include "storage/latch.h"
#include "utils/timestamp.h"
#include "utils/wait_event.h"

#include "bedrock_fdw.h"
#include "pg_compat.h"

#define MAX_OUTPUT 65536

static pid_t start_process(const char *command, int *out_fd);
static size_t run_process(pid_t pid, int fd, char *buf, long timeout_ms,
						  const char *what, int *status);
static void reap_killed(pid_t pid);

/* Fork and exec "/bin/sh -c command", its stdout a pipe to *out_fd. */
static pid_t
start_process(const char *command, int *out_fd)
{
	int			fds[2];
	int			maxfd;
	struct rlimit rl;
	sigset_t	all;
	sigset_t	old;
	pid_t		pid;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		maxfd = (int) Min(rl.rlim_cur, 65536);
	else
		maxfd = 1024;
	if (pipe(fds) < 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not create a pipe for credential_process: %m")));
	fflush(NULL);
	/* no backend signal handler may run in the child before it resets them */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid = fork();
	if (pid != 0)
		sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0)
	{
		close(fds[0]);
		close(fds[1]);
		ereport(ERROR,
				(errcode(ERRCODE_SYSTEM_ERROR),
				 errmsg("could not start credential_process: %m")));
	}
	if (pid == 0)
	{
		/* the child: only async-signal-safe calls from here on */
		sigset_t	none;
		int			devnull = open("/dev/null", O_RDONLY);
		int			fd;

		int			sig;

		if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(fds[1], 1) < 0)
			_exit(127);
		/* its own process group, so that a kill reaches what the shell starts */
		setpgid(0, 0);
#ifdef SYS_close_range
		if (syscall(SYS_close_range, 3, ~0U, 0) != 0)
#endif
			for (fd = 3; fd < maxfd; fd++)
				close(fd);
		/* default dispositions (the backend ignores SIGPIPE), then unblock */
		for (sig = 1; sig < NSIG; sig++)
		{
			if (sig != SIGKILL && sig != SIGSTOP)
				signal(sig, SIG_DFL);
		}
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execl("/bin/sh", "sh", "-c", command, (char *) NULL);
		_exit(127);
	}
	/* set here too: the child may not have run yet when we kill its group */
	(void) setpgid(pid, pid);
	close(fds[1]);
	*out_fd = fds[0];
	return pid;
}

/*
 * Read the process's stdout to its end, then wait for it to exit, waiting
 * on the latch throughout: at most MAX_OUTPUT bytes, all within timeout_ms.
 * Returns the output's length; *status is the exit status.
 */
static size_t
run_process(pid_t pid, int fd, char *buf, long timeout_ms, const char *what,
			int *status)
{
	TimestampTz deadline = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
													   timeout_ms);
	size_t		len = 0;
	bool		eof = false;

	for (;;)
	{
		long		left;
		ssize_t		n;
		int			rc;

		CHECK_FOR_INTERRUPTS();
		if (eof)
		{
			pid_t		done = waitpid(pid, status, WNOHANG);

			if (done == pid)
				return len;
			if (done < 0 && errno != EINTR)
				ereport(ERROR,
						(errcode(ERRCODE_SYSTEM_ERROR),
						 errmsg("could not wait for %s: %m", what)));
		}
		left = TimestampDifferenceMilliseconds(GetCurrentTimestamp(), deadline);
		if (left <= 0)
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("%s did not finish within %ld ms", what, timeout_ms),
					 errhint("The server option \"request_timeout\" bounds it.")));
		if (eof)
		{
			/* its output is complete: poll for its exit */
			(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT |
							 (IsUnderPostmaster ? WL_EXIT_ON_PM_DEATH : 0),
							 Min(left, 10), bedrock_wait_event());
			ResetLatch(MyLatch);
			continue;
		}
		rc = WaitLatchOrSocket(MyLatch,
							   WL_LATCH_SET | WL_SOCKET_READABLE | WL_TIMEOUT |
							   (IsUnderPostmaster ? WL_EXIT_ON_PM_DEATH : 0),
							   fd, left, bedrock_wait_event());
		if (rc & WL_LATCH_SET)
			ResetLatch(MyLatch);
		if (!(rc & WL_SOCKET_READABLE))
			continue;
		n = read(fd, buf + len, MAX_OUTPUT + 1 - len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			ereport(ERROR,
					(errcode_for_file_access(),
					 errmsg("could not read the output of %s: %m", what)));
		if (n == 0)
			eof = true;
		len += n;
		if (len > MAX_OUTPUT)
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("%s printed more than %d bytes", what, MAX_OUTPUT)));
	}
}

/*
 * Reap a killed process.  It exits at once, unless it is stuck in the
 * kernel (a hung network file system): then it is left, after 2 s, as a
 * zombie the backend's exit clears, rather than hang the backend here.
 */
static void
reap_killed(pid_t pid)
{
	int			i;

	for (i = 0; i < 200; i++)
	{
		pid_t		done = waitpid(pid, NULL, WNOHANG);

		if (done == pid || (done < 0 && errno != EINTR))
			return;
		pg_usleep(10000);
	}
}

/* Run a profile's credential_process and take the credentials it prints. */
void
bedrock_process_credentials(const BedrockServerOptions *opts,
							const char *profile, const char *command,
							BedrockCredentials *creds)
{
	char	   *what = psprintf("credential_process of AWS profile \"%s\"", profile);
	char	   *buf = palloc(MAX_OUTPUT + 1);
	volatile pid_t pid;
	int			fd;
	int			status = 0;
	size_t		len = 0;

	pid = start_process(command, &fd);
	PG_TRY();
	{
		len = run_process(pid, fd, buf, opts->request_timeout_ms, what, &status);
	}
	PG_CATCH();
	{
		/* killed, it exits at once: the blocking reap cannot hang */
		explicit_bzero(buf, MAX_OUTPUT + 1);
		close(fd);
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		reap_killed(pid);
		PG_RE_THROW();
	}
	PG_END_TRY();
	close(fd);
	buf[len] = '\0';

	if (status != 0)
	{
		explicit_bzero(buf, len);
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("%s failed: %s", what, wait_result_to_str(status)),
				 errdetail("Its standard error, if any, is in the server log.")));
	}

	PG_TRY();
	{
		const char *why;
		BedrockJson *doc = bedrock_json_parse(buf, len, &why);
		BedrockJson *version;
		BedrockJsonBuf vbuf = {NULL, 0, 0};
		bool		version_ok;

		if (doc == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_JSON_TEXT),
					 errmsg("%s printed invalid JSON: %s", what, why)));
		version = bedrock_json_member(doc, "Version");
		version_ok = version && bedrock_json_type(version) == BEDROCK_JSON_NUMBER &&
			bedrock_json_to_jsonb_text(version, &vbuf, false) == BEDROCK_JSON_OK &&
			strtod(vbuf.data, NULL) == 1.0;
		bedrock_json_buf_free(&vbuf);
		if (!version_ok)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
					 errmsg("%s printed no \"Version\": 1", what)));
		bedrock_credentials_from_json(doc, "SessionToken", what, creds);
	}
	PG_FINALLY();
	{
		explicit_bzero(buf, MAX_OUTPUT + 1);
	}
	PG_END_TRY();
	pfree(buf);
}
