/*-------------------------------------------------------------------------
 * resources.c
 *	  The resource catalog: every Bedrock resource bedrock_fdw maps to a
 *	  table, as data.  Adding a table adds a descriptor here, not code.
 *
 * Column names are the snake_case of the API members (structs become jsonb
 * with snake_case keys, maps keep their keys, lists of strings become
 * text[]), plus account_id, region, and tags and tag_map where the resource
 * is taggable; bedrock_jobs keeps the Datadog resource-catalog names of
 * aws_bedrock_model_customization_job.  Patterns and enums are the service
 * model's, verbatim: test/catalog_test.py holds every descriptor to
 * service-2.json.  No backend dependency, so that the test can link it.
 *-------------------------------------------------------------------------
 */
#include <stddef.h>
#include <string.h>

#include "catalog.h"

#define ACCOUNT_COLUMN \
	{"account_id", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_ACCOUNT}
#define REGION_COLUMN \
	{"region", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_REGION}
#define TAGS_COLUMN \
	{"tags", BEDROCK_KIND_TEXT_ARRAY, BEDROCK_SOURCE_TAGS, BEDROCK_SHAPE_TAG_LIST}
#define TAG_MAP_COLUMN \
	{"tag_map", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_TAGS, BEDROCK_SHAPE_TAG_MAP}
#define NCOLUMNS(a) ((int) (sizeof(a) / sizeof((a)[0])))

/* the model's patterns shared by several parameters */
#define JOB_NAME_PATTERN "[a-zA-Z0-9](-*[a-zA-Z0-9\\+\\-\\.])*"
#define MODEL_ARN_PATTERN \
	"arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:(([0-9]{12}:custom-model/((imported)|([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}))(([:][a-z0-9-]{1,63}){0,2})?/[a-z0-9]{12})|(:foundation-model/[a-z0-9-]{1,63}[.]{1}([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}([:][a-z0-9-]{1,63}){0,2}))"
#define NAME_CONTAINS_PATTERN "([0-9a-zA-Z][_-]?){1,63}"
#define NAME_PLUS_PATTERN "([0-9a-zA-Z][_-]?)+"

static const char *const job_statuses[] = {
	"InProgress", "Completed", "Failed", "Stopping", "Stopped", NULL
};
static const char *const job_terminal_statuses[] = {"Completed", "Failed", "Stopped", NULL};

/*
 * model_customization_jobs: Datadog's aws_bedrock_model_customization_job.
 * output_model_arn/name are the summary's customModelArn/Name and Get's
 * outputModelArn/Name; Get's baseModelArn of a job that continues a custom
 * model differs from the summary's: rows show Get's when the scan gets every
 * job, List's otherwise.
 */
static const BedrockColumn job_columns[] = {
	ACCOUNT_COLUMN,
	REGION_COLUMN,
	{"job_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "jobArn", "jobArn"},
	{"job_name", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "jobName", "jobName"},
	{"status", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "status", "status"},
	{"customization_type", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "customizationType", "customizationType"},
	{"base_model_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "baseModelArn", "baseModelArn", NULL, NULL, true},
	{"creation_time", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "creationTime", "creationTime"},
	{"last_modified_time", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "lastModifiedTime", "lastModifiedTime"},
	{"end_time", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "endTime", "endTime"},
	{"status_details", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "statusDetails", "statusDetails"},
	{"output_model_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "customModelArn", "outputModelArn"},
	{"output_model_name", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "customModelName", "outputModelName"},
	{"client_request_token", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "clientRequestToken"},
	{"failure_message", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "failureMessage"},
	{"role_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "roleArn"},
	{"output_model_kms_key_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "outputModelKmsKeyArn"},
	{"customization_config", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "customizationConfig"},
	{"hyper_parameters", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_MAP, NULL, "hyperParameters"},
	{"output_data_config", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "outputDataConfig"},
	{"training_data_config", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "trainingDataConfig"},
	{"training_metrics", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "trainingMetrics"},
	{"validation_data_config", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "validationDataConfig"},
	{"validation_metrics", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_ARRAY, NULL, "validationMetrics"},
	{"vpc_config", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "vpcConfig"},
	TAGS_COLUMN,
	{"security_group_ids", BEDROCK_KIND_TEXT_ARRAY, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_FLATTEN, NULL, "vpcConfig", "securityGroupIds"},
	{"subnet_ids", BEDROCK_KIND_TEXT_ARRAY, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_FLATTEN, NULL, "vpcConfig", "subnetIds"},
	{"validators", BEDROCK_KIND_TEXT_ARRAY, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_FLATTEN, NULL, "validationDataConfig", "validators", "s3Uri"},
	TAG_MAP_COLUMN,
};

#define JOB_ID_PATTERN \
	"(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-customization-job/[a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}([:][a-z0-9-]{1,63}){0,2}/[a-z0-9]{12})|([a-zA-Z0-9](-*[a-zA-Z0-9\\+\\-\\.])*)"

static const BedrockResource model_customization_jobs = {
	.name = "model_customization_jobs",
	.table = "bedrock_jobs",
	.noun = "job",
	.list_op = "ListModelCustomizationJobs",
	.list_path = "/model-customization-jobs",
	.list_member = "modelCustomizationJobSummaries",
	.paginated = true,
	.get_op = "GetModelCustomizationJob",
	.get_path = "/model-customization-jobs/",
	.get_param = "jobIdentifier",
	.taggable = true,
	.arn_column = "job_arn",
	.arn = {"job_arn", "ARN", true, {NULL, JOB_ID_PATTERN, 0, 1011}},
	.id = {"job_name", "name", false, {NULL, JOB_ID_PATTERN, 0, 1011}},
	.status = {"statusEquals", "status", {job_statuses}, true},
	.modified_member = "lastModifiedTime",
	.terminal_statuses = job_terminal_statuses,
	.time_after = "creationTimeAfter",
	.time_before = "creationTimeBefore",
	.time_column = "creation_time",
	.contains_param = "nameContains",
	.contains_column = "job_name",
	.contains_check = {NULL, JOB_NAME_PATTERN, 1, 63},
	.sort_by = "CreationTime",
	.sort_column = "creation_time",
	.columns = job_columns,
	.ncolumns = NCOLUMNS(job_columns),
};

/* custom_models: ListCustomModels / GetCustomModel */
static const BedrockColumn custom_models_columns[] = {
	ACCOUNT_COLUMN,
	REGION_COLUMN,
	{"model_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "modelArn", "modelArn"},
	{"model_name", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "modelName", "modelName"},
	{"job_name", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "jobName"},
	{"job_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "jobArn"},
	{"base_model_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "baseModelArn", "baseModelArn"},
	{"customization_type", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "customizationType", "customizationType"},
	{"model_kms_key_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "modelKmsKeyArn"},
	{"hyper_parameters", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_MAP, NULL, "hyperParameters"},
	{"training_data_config", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "trainingDataConfig"},
	{"validation_data_config", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "validationDataConfig"},
	{"output_data_config", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "outputDataConfig"},
	{"training_metrics", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "trainingMetrics"},
	{"validation_metrics", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_ARRAY, NULL, "validationMetrics"},
	{"creation_time", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "creationTime", "creationTime"},
	{"customization_config", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "customizationConfig"},
	{"model_status", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "modelStatus", "modelStatus"},
	{"failure_message", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "failureMessage"},
	{"base_model_name", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "baseModelName", NULL},
	{"owner_account_id", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "ownerAccountId", NULL},
	TAGS_COLUMN,
	TAG_MAP_COLUMN,
};

/* provisioned_model_throughputs: ListProvisionedModelThroughputs / GetProvisionedModelThroughput */
static const BedrockColumn provisioned_model_throughputs_columns[] = {
	ACCOUNT_COLUMN,
	REGION_COLUMN,
	{"model_units", BEDROCK_KIND_BIGINT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "modelUnits", "modelUnits"},
	{"desired_model_units", BEDROCK_KIND_BIGINT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "desiredModelUnits", "desiredModelUnits"},
	{"provisioned_model_name", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "provisionedModelName", "provisionedModelName"},
	{"provisioned_model_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "provisionedModelArn", "provisionedModelArn"},
	{"model_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "modelArn", "modelArn"},
	{"desired_model_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "desiredModelArn", "desiredModelArn"},
	{"foundation_model_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "foundationModelArn", "foundationModelArn"},
	{"status", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "status", "status"},
	{"creation_time", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "creationTime", "creationTime"},
	{"last_modified_time", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "lastModifiedTime", "lastModifiedTime"},
	{"failure_message", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "failureMessage"},
	{"commitment_duration", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "commitmentDuration", "commitmentDuration"},
	{"commitment_expiration_time", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "commitmentExpirationTime", "commitmentExpirationTime"},
	TAGS_COLUMN,
	TAG_MAP_COLUMN,
};

/* model_invocation_jobs: ListModelInvocationJobs / GetModelInvocationJob */
static const BedrockColumn model_invocation_jobs_columns[] = {
	ACCOUNT_COLUMN,
	REGION_COLUMN,
	{"job_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "jobArn", "jobArn"},
	{"job_name", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "jobName", "jobName"},
	{"model_id", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "modelId", "modelId"},
	{"client_request_token", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "clientRequestToken", "clientRequestToken"},
	{"role_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "roleArn", "roleArn"},
	{"status", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "status", "status"},
	{"message", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "message", "message"},
	{"submit_time", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "submitTime", "submitTime"},
	{"last_modified_time", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "lastModifiedTime", "lastModifiedTime"},
	{"end_time", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "endTime", "endTime"},
	{"input_data_config", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "inputDataConfig", "inputDataConfig"},
	{"output_data_config", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "outputDataConfig", "outputDataConfig"},
	{"vpc_config", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "vpcConfig", "vpcConfig"},
	{"timeout_duration_in_hours", BEDROCK_KIND_BIGINT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "timeoutDurationInHours", "timeoutDurationInHours"},
	{"job_expiration_time", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "jobExpirationTime", "jobExpirationTime"},
	{"model_invocation_type", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "modelInvocationType", "modelInvocationType"},
	{"total_record_count", BEDROCK_KIND_BIGINT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "totalRecordCount", "totalRecordCount"},
	{"processed_record_count", BEDROCK_KIND_BIGINT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "processedRecordCount", "processedRecordCount"},
	{"success_record_count", BEDROCK_KIND_BIGINT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "successRecordCount", "successRecordCount"},
	{"error_record_count", BEDROCK_KIND_BIGINT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "errorRecordCount", "errorRecordCount"},
	TAGS_COLUMN,
	TAG_MAP_COLUMN,
};

/* evaluation_jobs: ListEvaluationJobs / GetEvaluationJob */
static const BedrockColumn evaluation_jobs_columns[] = {
	ACCOUNT_COLUMN,
	REGION_COLUMN,
	{"job_name", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "jobName", "jobName"},
	{"status", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "status", "status"},
	{"job_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "jobArn", "jobArn"},
	{"job_description", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "jobDescription"},
	{"role_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "roleArn"},
	{"customer_encryption_key_id", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "customerEncryptionKeyId"},
	{"job_type", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "jobType", "jobType"},
	{"application_type", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "applicationType", "applicationType"},
	{"evaluation_config", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "evaluationConfig"},
	{"inference_config", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "inferenceConfig"},
	{"output_data_config", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "outputDataConfig"},
	{"creation_time", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "creationTime", "creationTime"},
	{"last_modified_time", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "lastModifiedTime"},
	{"failure_messages", BEDROCK_KIND_TEXT_ARRAY, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "failureMessages"},
	{"evaluation_task_types", BEDROCK_KIND_TEXT_ARRAY, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "evaluationTaskTypes", NULL},
	{"model_identifiers", BEDROCK_KIND_TEXT_ARRAY, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "modelIdentifiers", NULL},
	{"rag_identifiers", BEDROCK_KIND_TEXT_ARRAY, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "ragIdentifiers", NULL},
	{"evaluator_model_identifiers", BEDROCK_KIND_TEXT_ARRAY, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "evaluatorModelIdentifiers", NULL},
	{"custom_metrics_evaluator_model_identifiers", BEDROCK_KIND_TEXT_ARRAY, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "customMetricsEvaluatorModelIdentifiers", NULL},
	{"inference_config_summary", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "inferenceConfigSummary", NULL},
	TAGS_COLUMN,
	TAG_MAP_COLUMN,
};

/* imported_models: ListImportedModels / GetImportedModel */
static const BedrockColumn imported_models_columns[] = {
	ACCOUNT_COLUMN,
	REGION_COLUMN,
	{"model_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "modelArn", "modelArn"},
	{"model_name", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "modelName", "modelName"},
	{"job_name", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "jobName"},
	{"job_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "jobArn"},
	{"model_data_source", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "modelDataSource"},
	{"creation_time", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "creationTime", "creationTime"},
	{"model_architecture", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "modelArchitecture", "modelArchitecture"},
	{"model_kms_key_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "modelKmsKeyArn"},
	{"instruct_supported", BEDROCK_KIND_BOOLEAN, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "instructSupported", "instructSupported"},
	{"custom_model_units", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "customModelUnits"},
	TAGS_COLUMN,
	TAG_MAP_COLUMN,
};

/* model_import_jobs: ListModelImportJobs / GetModelImportJob */
static const BedrockColumn model_import_jobs_columns[] = {
	ACCOUNT_COLUMN,
	REGION_COLUMN,
	{"job_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "jobArn", "jobArn"},
	{"job_name", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "jobName", "jobName"},
	{"imported_model_name", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "importedModelName", "importedModelName"},
	{"imported_model_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "importedModelArn", "importedModelArn"},
	{"role_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "roleArn"},
	{"model_data_source", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "modelDataSource"},
	{"status", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "status", "status"},
	{"failure_message", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "failureMessage"},
	{"creation_time", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "creationTime", "creationTime"},
	{"last_modified_time", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "lastModifiedTime", "lastModifiedTime"},
	{"end_time", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "endTime", "endTime"},
	{"vpc_config", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "vpcConfig"},
	{"imported_model_kms_key_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "importedModelKmsKeyArn"},
	TAGS_COLUMN,
	TAG_MAP_COLUMN,
};

/* model_copy_jobs: ListModelCopyJobs / GetModelCopyJob */
static const BedrockColumn model_copy_jobs_columns[] = {
	ACCOUNT_COLUMN,
	REGION_COLUMN,
	{"job_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "jobArn", "jobArn"},
	{"status", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "status", "status"},
	{"creation_time", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "creationTime", "creationTime"},
	{"target_model_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "targetModelArn", "targetModelArn"},
	{"target_model_name", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "targetModelName", "targetModelName"},
	{"source_account_id", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "sourceAccountId", "sourceAccountId"},
	{"source_model_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "sourceModelArn", "sourceModelArn"},
	{"target_model_kms_key_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "targetModelKmsKeyArn", "targetModelKmsKeyArn"},
	{"target_model_tags", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_ARRAY, "targetModelTags", "targetModelTags"},
	{"failure_message", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "failureMessage", "failureMessage"},
	{"source_model_name", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "sourceModelName", "sourceModelName"},
};

/* custom_model_deployments: ListCustomModelDeployments / GetCustomModelDeployment */
static const BedrockColumn custom_model_deployments_columns[] = {
	ACCOUNT_COLUMN,
	REGION_COLUMN,
	{"custom_model_deployment_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "customModelDeploymentArn", "customModelDeploymentArn"},
	{"custom_model_deployment_name", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "customModelDeploymentName", "modelDeploymentName"},
	{"model_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "modelArn", "modelArn"},
	{"created_at", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "createdAt", "createdAt"},
	{"status", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "status", "status"},
	{"description", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "description"},
	{"update_details", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "updateDetails"},
	{"failure_message", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "failureMessage", "failureMessage"},
	{"last_updated_at", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "lastUpdatedAt", "lastUpdatedAt"},
	TAGS_COLUMN,
	TAG_MAP_COLUMN,
};

/* foundation_models: ListFoundationModels / GetFoundationModel */
static const BedrockColumn foundation_models_columns[] = {
	ACCOUNT_COLUMN,
	REGION_COLUMN,
	{"model_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "modelArn", "modelArn"},
	{"model_id", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "modelId", "modelId"},
	{"model_name", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "modelName", "modelName"},
	{"provider_name", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "providerName", "providerName"},
	{"input_modalities", BEDROCK_KIND_TEXT_ARRAY, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "inputModalities", "inputModalities"},
	{"output_modalities", BEDROCK_KIND_TEXT_ARRAY, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "outputModalities", "outputModalities"},
	{"response_streaming_supported", BEDROCK_KIND_BOOLEAN, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "responseStreamingSupported", "responseStreamingSupported"},
	{"customizations_supported", BEDROCK_KIND_TEXT_ARRAY, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "customizationsSupported", "customizationsSupported"},
	{"inference_types_supported", BEDROCK_KIND_TEXT_ARRAY, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "inferenceTypesSupported", "inferenceTypesSupported"},
	{"model_lifecycle", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "modelLifecycle", "modelLifecycle"},
};

/* inference_profiles: ListInferenceProfiles / GetInferenceProfile */
static const BedrockColumn inference_profiles_columns[] = {
	ACCOUNT_COLUMN,
	REGION_COLUMN,
	{"inference_profile_name", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "inferenceProfileName", "inferenceProfileName"},
	{"description", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "description", "description"},
	{"created_at", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "createdAt", "createdAt"},
	{"updated_at", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "updatedAt", "updatedAt"},
	{"inference_profile_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "inferenceProfileArn", "inferenceProfileArn"},
	{"models", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_ARRAY, "models", "models"},
	{"inference_profile_id", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "inferenceProfileId", "inferenceProfileId"},
	{"status", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "status", "status"},
	{"type", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "type", "type"},
	TAGS_COLUMN,
	TAG_MAP_COLUMN,
};

/* guardrails: ListGuardrails / GetGuardrail */
static const BedrockColumn guardrails_columns[] = {
	ACCOUNT_COLUMN,
	REGION_COLUMN,
	{"name", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "name", "name"},
	{"description", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "description", "description"},
	{"guardrail_id", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "id", "guardrailId"},
	{"guardrail_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "arn", "guardrailArn"},
	{"version", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "version", "version"},
	{"status", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "status", "status"},
	{"topic_policy", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "topicPolicy"},
	{"content_policy", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "contentPolicy"},
	{"word_policy", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "wordPolicy"},
	{"sensitive_information_policy", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "sensitiveInformationPolicy"},
	{"contextual_grounding_policy", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "contextualGroundingPolicy"},
	{"automated_reasoning_policy", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "automatedReasoningPolicy"},
	{"cross_region_details", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "crossRegionDetails", "crossRegionDetails"},
	{"created_at", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "createdAt", "createdAt"},
	{"updated_at", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "updatedAt", "updatedAt"},
	{"status_reasons", BEDROCK_KIND_TEXT_ARRAY, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "statusReasons"},
	{"failure_recommendations", BEDROCK_KIND_TEXT_ARRAY, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "failureRecommendations"},
	{"blocked_input_messaging", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "blockedInputMessaging"},
	{"blocked_outputs_messaging", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "blockedOutputsMessaging"},
	{"kms_key_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "kmsKeyArn"},
	TAGS_COLUMN,
	TAG_MAP_COLUMN,
};

/* prompt_routers: ListPromptRouters / GetPromptRouter */
static const BedrockColumn prompt_routers_columns[] = {
	ACCOUNT_COLUMN,
	REGION_COLUMN,
	{"prompt_router_name", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "promptRouterName", "promptRouterName"},
	{"routing_criteria", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "routingCriteria", "routingCriteria"},
	{"description", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "description", "description"},
	{"created_at", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "createdAt", "createdAt"},
	{"updated_at", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "updatedAt", "updatedAt"},
	{"prompt_router_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "promptRouterArn", "promptRouterArn"},
	{"models", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_ARRAY, "models", "models"},
	{"fallback_model", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "fallbackModel", "fallbackModel"},
	{"status", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "status", "status"},
	{"type", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "type", "type"},
	TAGS_COLUMN,
	TAG_MAP_COLUMN,
};

/* marketplace_model_endpoints: ListMarketplaceModelEndpoints / GetMarketplaceModelEndpoint */
static const BedrockColumn marketplace_model_endpoints_columns[] = {
	ACCOUNT_COLUMN,
	REGION_COLUMN,
	{"endpoint_arn", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "endpointArn", "endpointArn"},
	{"model_source_identifier", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "modelSourceIdentifier", "modelSourceIdentifier"},
	{"status", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "status", "status"},
	{"status_message", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "statusMessage", "statusMessage"},
	{"created_at", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "createdAt", "createdAt"},
	{"updated_at", BEDROCK_KIND_TIMESTAMPTZ, BEDROCK_SOURCE_LIST, BEDROCK_SHAPE_PLAIN, "updatedAt", "updatedAt"},
	{"endpoint_config", BEDROCK_KIND_JSONB, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "endpointConfig"},
	{"endpoint_status", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "endpointStatus"},
	{"endpoint_status_message", BEDROCK_KIND_TEXT, BEDROCK_SOURCE_GET, BEDROCK_SHAPE_PLAIN, NULL, "endpointStatusMessage"},
};

static const char *const custom_model_statuses[] = {"Active", "Creating", "Failed", NULL};
static const BedrockUnpushed custom_model_unpushed[] = {
	{"foundationModelArnEquals", "no column holds the foundation model at the root of a chain of custom models"},
	{"isOwned", "no column says who owns a model; owner_account_id = account_id compares two columns"},
	{NULL}
};

static const BedrockResource custom_models = {
	.name = "custom_models",
	.table = "bedrock_custom_models",
	.noun = "custom model",
	.list_op = "ListCustomModels",
	.list_path = "/custom-models",
	.list_member = "modelSummaries",
	.paginated = true,
	.get_op = "GetCustomModel",
	.get_path = "/custom-models/",
	.get_param = "modelIdentifier",
	.taggable = true,
	.arn_column = "model_arn",
	.arn = {"model_arn", "ARN", true,
	{NULL, "arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:(([0-9]{12}:custom-model/((imported)|([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}))(([:][a-z0-9-]{1,63}){0,2})?/[a-z0-9]{12})|(:foundation-model/([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([.]?[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2})))|(([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([.]?[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2}))|(([0-9a-zA-Z][_-]?)+)", 1, 2048}},
	.id = {"model_name", "name", false,
	{NULL, "arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:(([0-9]{12}:custom-model/((imported)|([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}))(([:][a-z0-9-]{1,63}){0,2})?/[a-z0-9]{12})|(:foundation-model/([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([.]?[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2})))|(([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([.]?[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2}))|(([0-9a-zA-Z][_-]?)+)", 1, 2048}},
	.status = {"modelStatus", "model_status", {custom_model_statuses}, true},
	.equals = {{"baseModelArnEquals", "base_model_arn", {NULL, MODEL_ARN_PATTERN, 20, 1011}}},
	.time_after = "creationTimeAfter",
	.time_before = "creationTimeBefore",
	.time_column = "creation_time",
	.contains_param = "nameContains",
	.contains_column = "model_name",
	.contains_check = {NULL, NAME_CONTAINS_PATTERN, 1, 63},
	.sort_by = "CreationTime",
	.sort_column = "creation_time",
	.columns = custom_models_columns,
	.ncolumns = NCOLUMNS(custom_models_columns),
	.unpushed = custom_model_unpushed,
};

static const char *const throughput_statuses[] = {"Creating", "InService", "Updating", "Failed", NULL};
#define PROVISIONED_ID_PATTERN \
	"((([0-9a-zA-Z][_-]?)+)|(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:provisioned-model/[a-z0-9]{12}))"

static const BedrockResource provisioned_model_throughputs = {
	.name = "provisioned_model_throughputs",
	.table = "bedrock_provisioned_model_throughputs",
	.noun = "provisioned throughput",
	.list_op = "ListProvisionedModelThroughputs",
	.list_path = "/provisioned-model-throughputs",
	.list_member = "provisionedModelSummaries",
	.paginated = true,
	.get_op = "GetProvisionedModelThroughput",
	.get_path = "/provisioned-model-throughput/",
	.get_param = "provisionedModelId",
	.taggable = true,
	.arn_column = "provisioned_model_arn",
	.arn = {"provisioned_model_arn", "ARN", true, {NULL, PROVISIONED_ID_PATTERN, 0, 0}},
	.id = {"provisioned_model_name", "name", false, {NULL, PROVISIONED_ID_PATTERN, 0, 0}},
	.status = {"statusEquals", "status", {throughput_statuses}, true},
	.equals = {{"modelArnEquals", "model_arn", {NULL, MODEL_ARN_PATTERN, 20, 1011}}},
	.time_after = "creationTimeAfter",
	.time_before = "creationTimeBefore",
	.time_column = "creation_time",
	.contains_param = "nameContains",
	.contains_column = "provisioned_model_name",
	.contains_check = {NULL, NAME_PLUS_PATTERN, 1, 63},
	.sort_by = "CreationTime",
	.sort_column = "creation_time",
	.columns = provisioned_model_throughputs_columns,
	.ncolumns = NCOLUMNS(provisioned_model_throughputs_columns),
};

static const char *const invocation_job_statuses[] = {
	"Submitted", "InProgress", "Completed", "Failed", "Stopping", "Stopped",
	"PartiallyCompleted", "Expired", "Validating", "Scheduled", NULL
};
static const BedrockUnpushed invocation_job_unpushed[] = {
	{"sortBy", "CreationTime: no column holds a batch job's creation time (submit_time may differ), so ORDER BY is PostgreSQL's"},
	{NULL}
};

static const char *const invocation_job_terminal_statuses[] = {
	"Completed", "PartiallyCompleted", "Failed", "Stopped", "Expired", NULL
};

static const BedrockResource model_invocation_jobs = {
	.name = "model_invocation_jobs",
	.table = "bedrock_model_invocation_jobs",
	.noun = "batch inference job",
	.list_op = "ListModelInvocationJobs",
	.list_path = "/model-invocation-jobs",
	.list_member = "invocationJobSummaries",
	.paginated = true,
	.get_op = "GetModelInvocationJob",
	.get_path = "/model-invocation-job/",
	.get_param = "jobIdentifier",
	.taggable = true,
	.arn_column = "job_arn",
	.arn = {"job_arn", "ARN", true,
	{NULL, "((arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-invocation-job/)?[a-z0-9]{12})", 0, 1011}},
	.status = {"statusEquals", "status", {invocation_job_statuses}, true},
	.modified_member = "lastModifiedTime",
	.terminal_statuses = invocation_job_terminal_statuses,
	.time_after = "submitTimeAfter",
	.time_before = "submitTimeBefore",
	.time_column = "submit_time",
	.contains_param = "nameContains",
	.contains_column = "job_name",
	.contains_check = {NULL, "[a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9\\+\\-\\.]){0,63}", 1, 63},
	.columns = model_invocation_jobs_columns,
	.ncolumns = NCOLUMNS(model_invocation_jobs_columns),
	.unpushed = invocation_job_unpushed,
};

static const char *const evaluation_job_statuses[] = {
	"InProgress", "Completed", "Failed", "Stopping", "Stopped", "Deleting", NULL
};
static const char *const application_types[] = {"ModelEvaluation", "RagEvaluation", NULL};

static const BedrockResource evaluation_jobs = {
	.name = "evaluation_jobs",
	.table = "bedrock_evaluation_jobs",
	.noun = "evaluation job",
	.list_op = "ListEvaluationJobs",
	.list_path = "/evaluation-jobs",
	.list_member = "jobSummaries",
	.paginated = true,
	.get_op = "GetEvaluationJob",
	.get_path = "/evaluation-jobs/",
	.get_param = "jobIdentifier",
	.taggable = true,
	.arn_column = "job_arn",
	.arn = {"job_arn", "ARN", true,
	{NULL, "(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:evaluation-job/[a-z0-9]{12})", 0, 1011}},
	.status = {"statusEquals", "status", {evaluation_job_statuses}, true},
	.equals = {{"applicationTypeEquals", "application_type", {application_types}}},
	.time_after = "creationTimeAfter",
	.time_before = "creationTimeBefore",
	.time_column = "creation_time",
	.contains_param = "nameContains",
	.contains_column = "job_name",
	.contains_check = {NULL, "[a-z0-9](-*[a-z0-9]){0,62}", 1, 63},
	.sort_by = "CreationTime",
	.sort_column = "creation_time",
	.columns = evaluation_jobs_columns,
	.ncolumns = NCOLUMNS(evaluation_jobs_columns),
};

#define IMPORTED_MODEL_ID_PATTERN \
	"(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:imported-model/[a-z0-9]{12})|(([0-9a-zA-Z][_-]?)+)"

static const BedrockResource imported_models = {
	.name = "imported_models",
	.table = "bedrock_imported_models",
	.noun = "imported model",
	.list_op = "ListImportedModels",
	.list_path = "/imported-models",
	.list_member = "modelSummaries",
	.paginated = true,
	.get_op = "GetImportedModel",
	.get_path = "/imported-models/",
	.get_param = "modelIdentifier",
	.taggable = true,
	.arn_column = "model_arn",
	.arn = {"model_arn", "ARN", true, {NULL, IMPORTED_MODEL_ID_PATTERN, 1, 1011}},
	.id = {"model_name", "name", false, {NULL, IMPORTED_MODEL_ID_PATTERN, 1, 1011}},
	.time_after = "creationTimeAfter",
	.time_before = "creationTimeBefore",
	.time_column = "creation_time",
	.contains_param = "nameContains",
	.contains_column = "model_name",
	.contains_check = {NULL, NAME_PLUS_PATTERN, 1, 63},
	.sort_by = "CreationTime",
	.sort_column = "creation_time",
	.columns = imported_models_columns,
	.ncolumns = NCOLUMNS(imported_models_columns),
};

static const char *const import_copy_statuses[] = {"InProgress", "Completed", "Failed", NULL};
#define IMPORT_JOB_ID_PATTERN \
	"(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-import-job/[a-z0-9]{12})|([a-zA-Z0-9](-*[a-zA-Z0-9\\+\\-\\.])*)"

static const char *const import_terminal_statuses[] = {"Completed", "Failed", NULL};

static const BedrockResource model_import_jobs = {
	.name = "model_import_jobs",
	.table = "bedrock_model_import_jobs",
	.noun = "model import job",
	.list_op = "ListModelImportJobs",
	.list_path = "/model-import-jobs",
	.list_member = "modelImportJobSummaries",
	.paginated = true,
	.get_op = "GetModelImportJob",
	.get_path = "/model-import-jobs/",
	.get_param = "jobIdentifier",
	.taggable = true,
	.arn_column = "job_arn",
	.arn = {"job_arn", "ARN", true, {NULL, IMPORT_JOB_ID_PATTERN, 0, 1011}},
	.id = {"job_name", "name", false, {NULL, IMPORT_JOB_ID_PATTERN, 0, 1011}},
	.status = {"statusEquals", "status", {import_copy_statuses}, true},
	.modified_member = "lastModifiedTime",
	.terminal_statuses = import_terminal_statuses,
	.time_after = "creationTimeAfter",
	.time_before = "creationTimeBefore",
	.time_column = "creation_time",
	.contains_param = "nameContains",
	.contains_column = "job_name",
	.contains_check = {NULL, JOB_NAME_PATTERN, 1, 63},
	.sort_by = "CreationTime",
	.sort_column = "creation_time",
	.columns = model_import_jobs_columns,
	.ncolumns = NCOLUMNS(model_import_jobs_columns),
};

static const BedrockResource model_copy_jobs = {
	.name = "model_copy_jobs",
	.table = "bedrock_model_copy_jobs",
	.noun = "model copy job",
	.list_op = "ListModelCopyJobs",
	.list_path = "/model-copy-jobs",
	.list_member = "modelCopyJobSummaries",
	.paginated = true,
	.get_op = "GetModelCopyJob",
	.get_path = "/model-copy-jobs/",
	.get_param = "jobArn",
	.arn_column = "job_arn",
	.arn = {"job_arn", "ARN", true,
	{NULL, "arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-copy-job/[a-z0-9]{12}", 0, 1011}},
	.status = {"statusEquals", "status", {import_copy_statuses}, true},
	.equals = {
		{"sourceAccountEquals", "source_account_id", {NULL, "[0-9]{12}", 0, 0}},
		{"sourceModelArnEquals", "source_model_arn", {NULL, MODEL_ARN_PATTERN, 20, 1011}},
	},
	.time_after = "creationTimeAfter",
	.time_before = "creationTimeBefore",
	.time_column = "creation_time",
	.contains_param = "outputModelNameContains",
	.contains_column = "target_model_name",
	.contains_check = {NULL, NAME_CONTAINS_PATTERN, 1, 63},
	.sort_by = "CreationTime",
	.sort_column = "creation_time",
	.columns = model_copy_jobs_columns,
	.ncolumns = NCOLUMNS(model_copy_jobs_columns),
};

static const char *const deployment_statuses[] = {"Creating", "Active", "Failed", NULL};
#define DEPLOYMENT_ID_PATTERN \
	"(arn:aws(|-us-gov|-cn|-iso|-iso-b):bedrock:[a-z0-9-]{1,20}:[0-9]{12}:custom-model-deployment/[a-z0-9]{12})|^([0-9a-zA-Z][_-]?){1,63}"

static const BedrockResource custom_model_deployments = {
	.name = "custom_model_deployments",
	.table = "bedrock_custom_model_deployments",
	.noun = "custom model deployment",
	.list_op = "ListCustomModelDeployments",
	.list_path = "/model-customization/custom-model-deployments",
	.list_member = "modelDeploymentSummaries",
	.paginated = true,
	.get_op = "GetCustomModelDeployment",
	.get_path = "/model-customization/custom-model-deployments/",
	.get_param = "customModelDeploymentIdentifier",
	.taggable = true,
	.arn_column = "custom_model_deployment_arn",
	.arn = {"custom_model_deployment_arn", "ARN", true, {NULL, DEPLOYMENT_ID_PATTERN, 1, 93}},
	.id = {"custom_model_deployment_name", "name", false, {NULL, DEPLOYMENT_ID_PATTERN, 1, 93}},
	.status = {"statusEquals", "status", {deployment_statuses}, true},
	.equals = {{"modelArnEquals", "model_arn",
	{NULL, "arn:aws(|-us-gov|-cn|-iso|-iso-b):bedrock:[a-z0-9-]{1,20}:[0-9]{12}:custom-model/(imported|[a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}([:][a-z0-9-]{1,63}){0,2})/[a-z0-9]{12}", 20, 1011}}},
	.time_after = "createdAfter",
	.time_before = "createdBefore",
	.time_column = "created_at",
	.contains_param = "nameContains",
	.contains_column = "custom_model_deployment_name",
	.contains_check = {NULL, NAME_CONTAINS_PATTERN, 1, 63},
	.sort_by = "CreationTime",
	.sort_column = "created_at",
	.columns = custom_model_deployments_columns,
	.ncolumns = NCOLUMNS(custom_model_deployments_columns),
};

#define FOUNDATION_MODEL_ID_PATTERN \
	"(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}::foundation-model/[a-z0-9-]{1,63}[.]{1}([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}([:][a-z0-9-]{1,63}){0,2})|([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([.]?[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2})"
static const BedrockUnpushed foundation_model_unpushed[] = {
	{"byCustomizationType", "it matches an element of customizations_supported, a text[]: x = ANY (column) is not pushed down"},
	{"byOutputModality", "it matches an element of output_modalities, a text[]: x = ANY (column) is not pushed down"},
	{"byInferenceType", "it matches an element of inference_types_supported, a text[]: x = ANY (column) is not pushed down"},
	{NULL}
};

static const BedrockResource foundation_models = {
	.name = "foundation_models",
	.table = "bedrock_foundation_models",
	.noun = "foundation model",
	.list_op = "ListFoundationModels",
	.list_path = "/foundation-models",
	.list_member = "modelSummaries",
	.paginated = false,
	.get_op = "GetFoundationModel",
	.get_path = "/foundation-models/",
	.get_wrapper = "modelDetails",
	.get_param = "modelIdentifier",
	.arn_column = "model_arn",
	.arn = {"model_arn", "ARN", true, {NULL, FOUNDATION_MODEL_ID_PATTERN, 1, 2048}},
	.id = {"model_id", "id", false, {NULL, FOUNDATION_MODEL_ID_PATTERN, 1, 2048}},
	.equals = {{"byProvider", "provider_name", {NULL, "[A-Za-z0-9- ]{1,63}", 0, 0}, false, true}},
	.columns = foundation_models_columns,
	.ncolumns = NCOLUMNS(foundation_models_columns),
	.unpushed = foundation_model_unpushed,
};

static const char *const inference_profile_types[] = {"SYSTEM_DEFINED", "APPLICATION", NULL};
#define INFERENCE_PROFILE_ID_PATTERN \
	"(arn:aws(|-us-gov|-cn|-iso|-iso-b):bedrock:(|[0-9a-z-]{0,20}):(|[0-9]{12}):(inference-profile|application-inference-profile)/)?[a-zA-Z0-9-:.]+"

static const BedrockResource inference_profiles = {
	.name = "inference_profiles",
	.table = "bedrock_inference_profiles",
	.noun = "inference profile",
	.list_op = "ListInferenceProfiles",
	.list_path = "/inference-profiles",
	.list_member = "inferenceProfileSummaries",
	.paginated = true,
	.get_op = "GetInferenceProfile",
	.get_path = "/inference-profiles/",
	.get_param = "inferenceProfileIdentifier",
	.taggable = true,
	.tag_column = "type",
	.tag_value = "APPLICATION",
	.arn_column = "inference_profile_arn",
	.arn = {"inference_profile_arn", "ARN", true, {NULL, INFERENCE_PROFILE_ID_PATTERN, 1, 2048}},
	.id = {"inference_profile_id", "id", false, {NULL, INFERENCE_PROFILE_ID_PATTERN, 1, 2048}},
	.equals = {{"type", "type", {inference_profile_types}}},
	.columns = inference_profiles_columns,
	.ncolumns = NCOLUMNS(inference_profiles_columns),
};

#define GUARDRAIL_ID_PATTERN \
	"(([a-z0-9]+)|(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail/[a-z0-9]+))"
static const BedrockUnpushed guardrail_unpushed[] = {
	{"guardrailIdentifier", "it lists every version of one guardrail rather than each guardrail's DRAFT: other rows, not a filter"},
	{NULL}
};

static const BedrockResource guardrails = {
	.name = "guardrails",
	.table = "bedrock_guardrails",
	.noun = "guardrail",
	.list_op = "ListGuardrails",
	.list_path = "/guardrails",
	.list_member = "guardrails",
	.paginated = true,
	.get_op = "GetGuardrail",
	.get_path = "/guardrails/",
	.get_param = "guardrailIdentifier",
	.taggable = true,
	.arn_column = "guardrail_arn",
	.arn = {"guardrail_arn", "ARN", true, {NULL, GUARDRAIL_ID_PATTERN, 0, 2048}},
	.id = {"guardrail_id", "id", false, {NULL, GUARDRAIL_ID_PATTERN, 0, 2048}},
	.columns = guardrails_columns,
	.ncolumns = NCOLUMNS(guardrails_columns),
	.unpushed = guardrail_unpushed,
};

static const char *const prompt_router_types[] = {"custom", "default", NULL};

static const BedrockResource prompt_routers = {
	.name = "prompt_routers",
	.table = "bedrock_prompt_routers",
	.noun = "prompt router",
	.list_op = "ListPromptRouters",
	.list_path = "/prompt-routers",
	.list_member = "promptRouterSummaries",
	.paginated = true,
	.get_op = "GetPromptRouter",
	.get_path = "/prompt-routers/",
	.get_param = "promptRouterArn",
	.taggable = true,
	.tag_column = "type",
	.tag_value = "custom",
	.arn_column = "prompt_router_arn",
	.arn = {"prompt_router_arn", "ARN", true,
	{NULL, "arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:default-prompt-router/[a-zA-Z0-9-:.]+", 1, 2048}},
	.equals = {{"type", "type", {prompt_router_types}}},
	.columns = prompt_routers_columns,
	.ncolumns = NCOLUMNS(prompt_routers_columns),
};

static const BedrockResource marketplace_model_endpoints = {
	.name = "marketplace_model_endpoints",
	.table = "bedrock_marketplace_model_endpoints",
	.noun = "marketplace model endpoint",
	.list_op = "ListMarketplaceModelEndpoints",
	.list_path = "/marketplace-model/endpoints",
	.list_member = "marketplaceModelEndpoints",
	.paginated = true,
	.get_op = "GetMarketplaceModelEndpoint",
	.get_path = "/marketplace-model/endpoints/",
	.get_wrapper = "marketplaceModelEndpoint",
	.get_param = "endpointArn",
	.arn_column = "endpoint_arn",
	.arn = {"endpoint_arn", "ARN", true, {NULL, NULL, 0, 2048}},
	.equals = {{"modelSourceIdentifier", "model_source_identifier",
	{NULL, ".*arn:aws:sagemaker:.*:hub-content/SageMakerPublicHub/Model/.*", 0, 2048}}},
	.columns = marketplace_model_endpoints_columns,
	.ncolumns = NCOLUMNS(marketplace_model_endpoints_columns),
};

/*
 * The regions where Bedrock has an endpoint in the aws partition (botocore's
 * endpoints.json; catalog_test.py checks them), and which of them are opt-in
 * regions, which an account must enable before it can call them: what
 * regions 'all' may reach, and what stands in when Account ListRegions is
 * denied (the ones enabled by default).
 */
const BedrockServiceRegion bedrock_service_regions[] = {
	{"us-east-1", false}, {"us-east-2", false}, {"us-west-1", false}, {"us-west-2", false},
	{"af-south-1", true}, {"ap-east-2", true}, {"ap-northeast-1", false},
	{"ap-northeast-2", false}, {"ap-northeast-3", false}, {"ap-south-1", false},
	{"ap-south-2", true}, {"ap-southeast-1", false}, {"ap-southeast-2", false},
	{"ap-southeast-3", true}, {"ap-southeast-4", true}, {"ap-southeast-5", true},
	{"ap-southeast-6", true}, {"ap-southeast-7", true}, {"ca-central-1", false},
	{"ca-west-1", true}, {"eu-central-1", false}, {"eu-central-2", true},
	{"eu-north-1", false}, {"eu-south-1", true}, {"eu-south-2", true},
	{"eu-west-1", false}, {"eu-west-2", false}, {"eu-west-3", false},
	{"il-central-1", true}, {"me-central-1", true}, {"me-south-1", true},
	{"mx-central-1", true}, {"sa-east-1", false},
	{NULL, false}
};

/* In IMPORT FOREIGN SCHEMA's order. */
const BedrockResource *const bedrock_resources[] = {
	&model_customization_jobs,
	&custom_models,
	&provisioned_model_throughputs,
	&model_invocation_jobs,
	&evaluation_jobs,
	&imported_models,
	&model_import_jobs,
	&model_copy_jobs,
	&custom_model_deployments,
	&foundation_models,
	&inference_profiles,
	&guardrails,
	&prompt_routers,
	&marketplace_model_endpoints,
};
const int	bedrock_nresources = NCOLUMNS(bedrock_resources);

/* Index of a column of a resource by name, or -1. */
int
bedrock_resource_column(const BedrockResource *res, const char *name)
{
	int			i;

	if (name == NULL)
		return -1;
	for (i = 0; i < res->ncolumns; i++)
	{
		if (strcmp(res->columns[i].name, name) == 0)
			return i;
	}
	return -1;
}

const BedrockResource *
bedrock_resource_by_name(const char *name)
{
	int			i;

	for (i = 0; i < bedrock_nresources; i++)
	{
		if (strcmp(bedrock_resources[i]->name, name) == 0)
			return bedrock_resources[i];
	}
	return NULL;
}

const BedrockResource *
bedrock_resource_by_table(const char *table)
{
	int			i;

	for (i = 0; i < bedrock_nresources; i++)
	{
		if (strcmp(bedrock_resources[i]->table, table) == 0)
			return bedrock_resources[i];
	}
	return NULL;
}
