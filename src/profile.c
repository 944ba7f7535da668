/*-------------------------------------------------------------------------
 * profile.c
 *	  Named profiles from the shared AWS files of the PostgreSQL server's OS
 *	  user, as the AWS SDKs read them: ~/.aws/credentials and ~/.aws/config,
 *	  or AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE.
 *
 * A profile yields credentials, in the SDKs' order, from: role_arn (with
 * web_identity_token_file, source_profile or credential_source), static
 * keys, or credential_process.  Profiles are named by the "profile" option,
 * or, in the default chain, by AWS_PROFILE or "default".  Settings of the same profile in the
 * credentials file win over the config file's.  Lines holding secrets are
 * zeroed once read.
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <pwd.h>
#include <unistd.h>

#include "storage/fd.h"
#include "utils/builtins.h"

#include "bedrock_fdw.h"

#define MAX_SOURCE_DEPTH 8
#define MAX_LINE 8192

/* The settings of one profile that bedrock_fdw reads. */
typedef enum ProfileKey
{
	PK_ACCESS_KEY_ID,
	PK_SECRET_ACCESS_KEY,
	PK_SESSION_TOKEN,
	PK_ROLE_ARN,
	PK_SOURCE_PROFILE,
	PK_CREDENTIAL_SOURCE,
	PK_EXTERNAL_ID,
	PK_ROLE_SESSION_NAME,
	PK_DURATION_SECONDS,
	PK_WEB_IDENTITY_TOKEN_FILE,
	PK_CREDENTIAL_PROCESS,
	PK_SSO,
	PK_MFA_SERIAL,
	PK_NKEYS
} ProfileKey;

static const char *const profile_keys[PK_NKEYS] = {
	"aws_access_key_id", "aws_secret_access_key", "aws_session_token",
	"role_arn", "source_profile", "credential_source", "external_id",
	"role_session_name", "duration_seconds", "web_identity_token_file",
	"credential_process", "sso_start_url", "mfa_serial"
};

typedef struct Profile
{
	const char *name;
	bool		found;
	char	   *values[PK_NKEYS];	/* palloc'd, or NULL */
} Profile;

static char *shared_file(const char *env, const char *name);
static void read_file(const char *path, bool config, Profile *profile);
static char *trim(char *s);
static void load_profile(const char *name, Profile *profile,
						 const char **files);
static void free_profile(Profile *profile);
static void resolve_profile(const BedrockServerOptions *opts, const char *name,
							int depth, List *visited, BedrockCredentials *creds);

/* The path of a shared file: the environment variable, else ~/.aws/name. */
static char *
shared_file(const char *env, const char *name)
{
	const char *path = getenv(env);
	const char *home = getenv("HOME");

	if (path && path[0])
		return pstrdup(path);
	if (home == NULL || home[0] == '\0')
	{
		struct passwd *pw = getpwuid(geteuid());

		home = pw ? pw->pw_dir : NULL;
	}
	if (home == NULL)
		return NULL;
	return psprintf("%s/.aws/%s", home, name);
}

static char *
trim(char *s)
{
	char	   *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
					   end[-1] == '\r' || end[-1] == '\n'))
		*--end = '\0';
	return s;
}

/*
 * Read the settings of one profile from an INI file.  In the config file a
 * profile's section is [profile NAME] ([default] for "default"); in the
 * credentials file it is [NAME].  Indented lines continue a sub-section
 * (such as s3 =) and are skipped.  A missing file is no error.
 */
static void
read_file(const char *path, bool config, Profile *profile)
{
	FILE	   *f;
	char		line[MAX_LINE];
	bool		in_profile = false;

	if (path == NULL)
		return;
	f = AllocateFile(path, "r");
	if (f == NULL)
	{
		if (errno == ENOENT)
			return;
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not open AWS shared file \"%s\": %m", path)));
	}
	while (fgets(line, sizeof(line), f) != NULL)
	{
		char	   *s;
		char	   *eq;
		int			i;

		if (strchr(line, '\n') == NULL && !feof(f))
		{
			int			c;

			/* a line longer than any setting: skip it whole */
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			explicit_bzero(line, sizeof(line));
			continue;
		}

		if (line[0] == ' ' || line[0] == '\t')
		{
			/* a sub-section's setting, such as s3's */
			explicit_bzero(line, sizeof(line));
			continue;
		}
		s = trim(line);
		if (s[0] == '\0' || s[0] == '#' || s[0] == ';')
			continue;
		if (s[0] == '[')
		{
			char	   *close = strchr(s, ']');
			char	   *section;

			if (close == NULL)
				continue;
			*close = '\0';
			section = trim(s + 1);
			if (config && strncmp(section, "profile", 7) == 0 &&
				(section[7] == ' ' || section[7] == '\t'))
				section = trim(section + 8);
			else if (config && strcmp(section, "default") != 0)
				section = NULL; /* sso-session, services, ... */
			in_profile = section && strcmp(section, profile->name) == 0;
			if (in_profile)
				profile->found = true;
			continue;
		}
		/* "key = value" or, as Python's configparser also reads, "key: value" */
		eq = strpbrk(s, "=:");
		if (!in_profile || eq == NULL)
		{
			explicit_bzero(line, sizeof(line));
			continue;
		}
		*eq = '\0';
		for (i = 0; i < PK_NKEYS; i++)
		{
			const char *key = trim(s);

			if (strcmp(key, profile_keys[i]) == 0 ||
				(i == PK_SSO && strcmp(key, "sso_session") == 0))
			{
				char	   *value = trim(eq + 1);

				if (value[0] == '\0')
					break;
				if (profile->values[i])
				{
					explicit_bzero(profile->values[i], strlen(profile->values[i]));
					pfree(profile->values[i]);
				}
				profile->values[i] = pstrdup(value);
				break;
			}
		}
		explicit_bzero(line, sizeof(line));
	}
	explicit_bzero(line, sizeof(line));
	if (ferror(f))
	{
		FreeFile(f);
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not read AWS shared file \"%s\": %m", path)));
	}
	FreeFile(f);
}

/* A profile's settings: the config file's, overridden by the credentials file's. */
static void
load_profile(const char *name, Profile *profile, const char **files)
{
	memset(profile, 0, sizeof(*profile));
	profile->name = name;
	files[0] = shared_file("AWS_CONFIG_FILE", "config");
	files[1] = shared_file("AWS_SHARED_CREDENTIALS_FILE", "credentials");
	read_file(files[0], true, profile);
	read_file(files[1], false, profile);
}

static void
free_profile(Profile *profile)
{
	int			i;

	for (i = 0; i < PK_NKEYS; i++)
	{
		if (profile->values[i])
		{
			explicit_bzero(profile->values[i], strlen(profile->values[i]));
			pfree(profile->values[i]);
		}
	}
	memset(profile, 0, sizeof(*profile));
}

/*
 * The default chain's shared-files step: the profile named by AWS_PROFILE
 * (which must exist), else "default" when it exists and holds credential
 * settings.  False when neither applies.
 */
bool
bedrock_default_profile_credentials(const BedrockServerOptions *opts,
									BedrockCredentials *creds)
{
	const char *env = getenv("AWS_PROFILE");
	Profile		p;
	const char *files[2];
	bool		usable;

	if (env && env[0])
	{
		resolve_profile(opts, env, 0, NIL, creds);
		return true;
	}
	load_profile("default", &p, files);
	usable = p.found &&
		(p.values[PK_ACCESS_KEY_ID] || p.values[PK_SECRET_ACCESS_KEY] ||
		 p.values[PK_ROLE_ARN] || p.values[PK_CREDENTIAL_PROCESS] ||
		 p.values[PK_SSO]);
	free_profile(&p);
	if (!usable)
		return false;
	resolve_profile(opts, "default", 0, NIL, creds);
	return true;
}

/* The credentials of a named profile. */
void
bedrock_profile_credentials(const BedrockServerOptions *opts,
							const char *profile, BedrockCredentials *creds)
{
	resolve_profile(opts, profile, 0, NIL, creds);
}

static void
resolve_profile(const BedrockServerOptions *opts, const char *name, int depth,
				List *visited, BedrockCredentials *creds)
{
	Profile		p;
	const char *files[2];
	char	  **v;
	ListCell   *cell;

	foreach(cell, visited)
	{
		if (strcmp((char *) lfirst(cell), name) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("AWS profile \"%s\" is part of a source_profile loop", name)));
	}
	if (depth > MAX_SOURCE_DEPTH)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("AWS profile \"%s\": source_profile chain longer than %d",
						name, MAX_SOURCE_DEPTH)));

	load_profile(name, &p, files);
	if (!p.found)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("AWS profile \"%s\" not found", name),
				 errdetail("Looked in \"%s\" and \"%s\", the shared AWS files of the PostgreSQL server's OS user.",
						   files[0] ? files[0] : "~/.aws/config",
						   files[1] ? files[1] : "~/.aws/credentials")));
	v = p.values;

	if (v[PK_ROLE_ARN] && v[PK_MFA_SERIAL])
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("AWS profile \"%s\" needs an MFA code (mfa_serial), which bedrock_fdw cannot ask for",
						name)));
	if (v[PK_ROLE_ARN] && v[PK_SOURCE_PROFILE] && v[PK_CREDENTIAL_SOURCE])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("AWS profile \"%s\" has both source_profile and credential_source",
						name)));

	if (v[PK_ROLE_ARN] && v[PK_WEB_IDENTITY_TOKEN_FILE])
	{
		/* as in the SDKs, a web identity token file comes first */
		char	   *token = bedrock_read_secret_file(v[PK_WEB_IDENTITY_TOKEN_FILE],
													 "web identity token file", 16384);

		PG_TRY();
		{
			bedrock_sts_assume_role_with_web_identity(opts, v[PK_ROLE_ARN],
													  v[PK_ROLE_SESSION_NAME],
													  token, creds);
		}
		PG_FINALLY();
		{
			explicit_bzero(token, strlen(token));
		}
		PG_END_TRY();
	}
	else if (v[PK_ROLE_ARN])
	{
		BedrockCredentials base;
		int			duration = 0;

		if (v[PK_SOURCE_PROFILE])
		{
			/* a profile may be its own source: then its keys are the base */
			if (strcmp(v[PK_SOURCE_PROFILE], name) == 0 &&
				v[PK_ACCESS_KEY_ID] && v[PK_SECRET_ACCESS_KEY])
				bedrock_static_credentials(v[PK_ACCESS_KEY_ID], v[PK_SECRET_ACCESS_KEY],
										   v[PK_SESSION_TOKEN],
										   psprintf("profile \"%s\"", name), &base);
			else
				resolve_profile(opts, v[PK_SOURCE_PROFILE], depth + 1,
								lappend(list_copy(visited), (char *) name), &base);
		}
		else if (v[PK_CREDENTIAL_SOURCE])
		{
			const char *src = v[PK_CREDENTIAL_SOURCE];
			char	   *why_not = NULL;
			bool		ok;

			if (strcmp(src, "Environment") == 0)
				ok = bedrock_env_credentials(&base);
			else if (strcmp(src, "EcsContainer") == 0)
				ok = bedrock_container_credentials(opts, &base);
			else if (strcmp(src, "Ec2InstanceMetadata") == 0)
				ok = bedrock_instance_credentials(opts, &base, &why_not);
			else
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("AWS profile \"%s\" has an unknown credential_source \"%s\"",
								name, src),
						 errhint("Valid values are Environment, EcsContainer and Ec2InstanceMetadata.")));
			if (!ok)
				ereport(ERROR,
						(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
						 errmsg("AWS profile \"%s\": credential_source %s yields no credentials%s%s",
								name, src, why_not ? ": " : "", why_not ? why_not : "")));
		}
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("AWS profile \"%s\" has a role_arn but no source_profile, credential_source or web_identity_token_file",
							name)));

		if (v[PK_DURATION_SECONDS])
		{
			char	   *end;

			duration = (int) strtol(v[PK_DURATION_SECONDS], &end, 10);
			if (*end != '\0' || duration < 900 || duration > 43200)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("AWS profile \"%s\" has an invalid duration_seconds \"%s\"",
								name, v[PK_DURATION_SECONDS])));
		}
		bedrock_sts_assume_role(opts, &base, v[PK_ROLE_ARN], v[PK_EXTERNAL_ID],
								v[PK_ROLE_SESSION_NAME], duration, creds);
		bedrock_wipe_credentials(&base);
	}
	else if (v[PK_ACCESS_KEY_ID] || v[PK_SECRET_ACCESS_KEY])
	{
		if (v[PK_ACCESS_KEY_ID] == NULL || v[PK_SECRET_ACCESS_KEY] == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
					 errmsg("AWS profile \"%s\" has only one of aws_access_key_id and aws_secret_access_key",
							name)));
		bedrock_static_credentials(v[PK_ACCESS_KEY_ID], v[PK_SECRET_ACCESS_KEY],
								   v[PK_SESSION_TOKEN],
								   psprintf("profile \"%s\"", name), creds);
	}
	else if (v[PK_CREDENTIAL_PROCESS])
		bedrock_process_credentials(opts, name, v[PK_CREDENTIAL_PROCESS], creds);
	else if (v[PK_SSO])
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("AWS profile \"%s\" uses IAM Identity Center (SSO), which bedrock_fdw does not read",
						name),
				 errhint("Add a profile with credential_process = aws configure export-credentials --profile %s --format process.",
						 name)));
	else
		ereport(ERROR,
				(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
				 errmsg("AWS profile \"%s\" has no credentials", name),
				 errdetail("It has no aws_access_key_id, role_arn or credential_process.")));
	free_profile(&p);
}
