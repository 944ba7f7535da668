r"""The Bedrock resources the emulator serves beside model customization jobs (test/emulator.py).

Thirteen resources, each one row of RESOURCES (a Resource descriptor: paths, result member,
query parameters with their wire names and checks, identifier pattern, ordering, pagination),
served by one List engine (list_resources) and one Get engine (get_resource); test/emulator.py
only routes to them, logs, applies faults, latency, the rate limit and the answer variants as it
does for the jobs.  The default fixture set has fixtures of every resource, the demo set custom
models, provisioned throughputs and foundation models (large:N has none).

Operations (restJson1, GET; "label" is the Get identifier, percent-decoded)
-------------------------------------------------------------------------------
    key                           List (path, result member)               Get (path)                     Get takes
    custom_models                 /custom-models  modelSummaries           /custom-models/{label}         ARN or name
    provisioned_model_throughputs /provisioned-model-throughputs           /provisioned-model-throughput/ ARN or name
                                  provisionedModelSummaries                {label}  (singular!)
    model_invocation_jobs         /model-invocation-jobs                   /model-invocation-job/{label}  ARN or the ARN's
                                  invocationJobSummaries                   (singular!)                    12-char id (no name)
    evaluation_jobs               /evaluation-jobs  jobSummaries           /evaluation-jobs/{label}       ARN only
    imported_models               /imported-models  modelSummaries         /imported-models/{label}       ARN or name
    model_import_jobs             /model-import-jobs                       /model-import-jobs/{label}     ARN or name
                                  modelImportJobSummaries
    model_copy_jobs               /model-copy-jobs  modelCopyJobSummaries  /model-copy-jobs/{label}       ARN only
    custom_model_deployments      /model-customization/custom-model-deployments  (Get: /{label})          ARN or name
                                  modelDeploymentSummaries
    foundation_models             /foundation-models  modelSummaries       /foundation-models/{label}     ARN or model id
                                  (not paginated: one page)                -> {"modelDetails": {...}}
    inference_profiles            /inference-profiles                      /inference-profiles/{label}    ARN or id
                                  inferenceProfileSummaries
    guardrails                    /guardrails  guardrails                  /guardrails/{label}            ARN or id, and
                                                                           ?guardrailVersion= (DRAFT)
    prompt_routers                /prompt-routers  promptRouterSummaries   /prompt-routers/{label}        ARN only
    marketplace_model_endpoints   /marketplace-model/endpoints             /marketplace-model/endpoints/  ARN (any string
                                  marketplaceModelEndpoints                {label}                        up to 2048)
                                                                           -> {"marketplaceModelEndpoint": {...}}
The log entry's "operation" is the AWS operation name (ListCustomModels, GetCustomModel, ...) and
"job_identifier" holds the decoded label of every Get.  Another method on these paths is
UnknownOperationException, as for the jobs.

List
----
Every query parameter of the service model, under its wire name (the querystring locationName):
ListModelCopyJobs' targetModelNameContains is sent as outputModelNameContains,
ListInferenceProfiles' typeEquals as type, ListMarketplaceModelEndpoints' modelSourceEquals as
modelSourceIdentifier, ListCustomModelDeployments' time filters are createdAfter/createdBefore.
Values are held to the model as the jobs' are: a value outside an enum, a pattern, a length or
the maxResults range is 400 ValidationException "N validation error(s) detected: Value 'v' at
'member' failed to satisfy constraint: Member must ..." (the member name, not the wire name); an
unparsable timestamp, integer or boolean is 400 SerializationException.  Filters:
    *Contains                     substring of the name (custom models: modelName; copy jobs:
                                  targetModelName; ...), case-sensitive
    statusEquals, modelStatus, applicationTypeEquals, type/typeEquals   equality with the member
    *ArnEquals, sourceAccountEquals, modelSourceIdentifier   equality (foundationModelArnEquals
                                  of custom models: the foundation model at the root of the
                                  model's lineage, which is not a summary member)
    isOwned                       true: ownerAccountId is the caller's account; false: shared
    byProvider                    providerName, case-insensitive ("amazon" finds Amazon)
    byCustomizationType, byInferenceType, byOutputModality   the value is in the model's
                                  customizationsSupported / inferenceTypesSupported /
                                  outputModalities list
    guardrailIdentifier           ListGuardrails lists the DRAFT version of every guardrail;
                                  with an id or ARN, every version of that guardrail (an
                                  unknown well-formed one: 404 ResourceNotFoundException)
    time filters                  as ListModelCustomizationJobs: After is strictly after,
                                  Before strictly before, on creationTime (invocation jobs:
                                  submitTime; deployments: createdAt)
Order: newest first by the resource's creation time (then ARN), as the jobs; sortOrder=Ascending
oldest first where the model has sortBy/sortOrder.  Foundation models come in catalogue order.
Pages: min(maxResults or 100, --max-page-size) items with the jobs' opaque nextToken values
(bound to the operation, region and filters); ListEvaluationJobs pages hold at most 5 summaries
and leave jobSummaries out when there are none (the model's EvaluationSummaries is a list of 1
to 5).  ListFoundationModels has neither maxResults nor nextToken: one page.

Get
---
The identifier is looked up among the records first: in its region it is found (by ARN, and by
name or id where the model's identifier pattern allows that form); a record's identifier from
another region is 404 ResourceNotFoundException; otherwise the identifier is held to the model's
length and pattern (400 ValidationException) and is 404 when well-formed.  As for the jobs, the
identifiers the emulator hands out are taken back even when outside the model's pattern (the
custom prompt router's ARN).  GetGuardrail's guardrailVersion (default DRAFT) picks the version
(pattern [1-9][0-9]{0,7}|DRAFT; a version the guardrail lacks is 404).

ListTagsForResource
-------------------
Resources whose ARN matches the model's TaggableResourcesArn answer their tags.  Untaggable
ones are 400 ValidationException: foundation models, default prompt routers, copy jobs and
marketplace endpoints fail the pattern (its message), system-defined inference profiles pass it
and are refused with "The resource <ARN> does not support tagging".  Shared custom models
(another account's) have no tags here ([]).

Answer variants and faults
--------------------------
nulls "null" sends JSON null for the optional members a record lacks: the summary's optional
members (Resource.null_summary) in Lists, the Get answer's (Resource.null_get; for the wrapped
GetFoundationModel and GetMarketplaceModelEndpoint, the members inside modelDetails /
marketplaceModelEndpoint).  error_statuses and error_format apply to every error, the fault
actions to every operation: repeat_token to every paginated List, non_utf8 to the first
summary's (or the Get's) name, unknown_status to its status, bad_timestamp to its creation time.

Default fixtures (account 123456789012; us-east-1 / us-west-2 / eu-west-1) and their links
------------------------------------------------------------------------------------------
    custom_models 15/5/3: one Active model per Completed customization job (modelArn/modelName
        = the job's outputModelArn/outputModelName, jobArn/jobName, baseModelArn = the job
        summary's baseModelArn (titan-support-v2's is titan-support-v1's ARN), customizationType,
        configs and metrics; created at the job's endTime); ho-5's model keeps ho-5's jobArn
        (outside the model's pattern); a model shared by account 210987654321
        (ownerAccountId, isOwned=false); and the targets of the copy jobs: Active, one Creating
        (us-west-2, the InProgress copy) and one Failed (eu-west-1, the Failed copy).
    foundation_models 17/8/6: every foundation model a job, custom model, batch job,
        evaluation job, inference profile or prompt router of the region names (both the
        provisioned ids like amazon.titan-text-express-v1:0:8k and the on-demand ones), plus
        an embedding and an image model; one LEGACY.
    provisioned_model_throughputs 4/2/2: on custom models (modelArn = the model, foundationModelArn
        = its foundation model; one Updating to titan-support-v2: desiredModelArn) and one on
        a foundation model; InService, Creating, Updating, Failed, and "Deleting" (eu-west-1,
        outside ProvisionedModelStatus).
    model_invocation_jobs 5/3/2: on on-demand foundation models and a system inference profile.
    evaluation_jobs 3/2/2: ModelEvaluation (Automated, Human) and RagEvaluation.
    model_import_jobs 3/3/2 and imported_models 2/2/2: each Completed import job made the imported
        model of its region (the job's importedModelArn/Name <-> the model's jobArn/jobName);
        the InProgress and Failed jobs have an importedModelName and no importedModelArn.
    model_copy_jobs 2/2/2: copies of custom models into another region (sourceModelArn in the
        source region, targetModelArn a custom model of the job's region), and one copy of the
        shared model into the account (sourceAccountId 210987654321); untaggable (their ARN
        is not in TaggableResourcesArn).
    custom_model_deployments 3/2/2: of custom models of the region (one updating to another).
    inference_profiles 4/2/3: SYSTEM_DEFINED (us./eu. ids, models in several regions, untaggable)
        and APPLICATION (tagged, one model of the region).
    guardrails 4/2/2 (versions): DRAFT and numbered versions of one guardrail share its ARN and
        tags (one tag key is aws:cloudformation:stack-name).
    prompt_routers 3/2/2: default routers (default-prompt-router ARNs, on the region's system
        inference profiles) and custom ones (prompt-router/<id>: outside the model's
        PromptRouterArn pattern, which admits default routers only; taggable).
    marketplace_model_endpoints 3/2/2: SageMaker endpoint ARNs, REGISTERED and INCOMPATIBLE_ENDPOINT.
The exact counts and links are asserted by test/test_emulator_resources.py; the values are held
to the model there too (check_resources_against_model), except the deliberate ones in OFF_MODEL.

Demo fixtures (--fixtures demo: us-east-1 / us-west-2; test/demo.sql joins them to a cost table)
-------------------------------------------------------------------------------------------------
Built by the default set's builders (_Builder), hash-driven like the demo jobs:
    custom_models: one Active model per Completed demo job, as in the default set (modelArn/Name =
        the job's outputModelArn/Name, jobArn, baseModelArn, customizationType, the job's tags,
        so its project tag).
    provisioned_model_throughputs: on about a third of those models (those with a project tag
        whose hash picks them): "<job name>-pt", 1-4 model units, OneMonth / SixMonths / no
        commitment, InService (now and then Creating), created 1-20 days after the model,
        tagged with the model's team and project tags.
    foundation_models: the base model of every custom model, per region in catalogue order.
"""

import hashlib
import json
import re

E = None        # the emulator module (bind): ApiError, validation_error, Paginator, parse_iso8601, ...


def bind(emulator_module):
    """Called by test/emulator.py at import: the helpers the engines share with the jobs."""
    global E
    E = emulator_module


# --------------------------------------------------------------------------------------------
# Patterns and enums of the service model (verbatim, anchored when used)
# --------------------------------------------------------------------------------------------
P_CUSTOM_MODEL_NAME = r"([0-9a-zA-Z][_-]?){1,63}"
P_NAME_PLUS = r"([0-9a-zA-Z][_-]?)+"                 # ProvisionedModelName, ImportedModelName
P_JOB_NAME = r"[a-zA-Z0-9](-*[a-zA-Z0-9\+\-\.])*"
P_INVOCATION_JOB_NAME = r"[a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9\+\-\.]){0,63}"
P_EVALUATION_JOB_NAME = r"[a-z0-9](-*[a-z0-9]){0,62}"
P_MODEL_ARN = (r"arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:(([0-9]{12}:custom-model/((imported)|([a-z0-9-]{1,63}"
               r"[.]{1}[a-z0-9-]{1,63}))(([:][a-z0-9-]{1,63}){0,2})?/[a-z0-9]{12})|(:foundation-model/[a-z0-9-]{1,63}"
               r"[.]{1}([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}([:][a-z0-9-]{1,63}){0,2}))")
P_FOUNDATION_MODEL_ARN = (r"arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}::foundation-model/[a-z0-9-]{1,63}[.]{1}"
                          r"([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}([:][a-z0-9-]{1,63}){0,2}")
P_CUSTOM_MODEL_ARN = (r"arn:aws(|-us-gov|-cn|-iso|-iso-b):bedrock:[a-z0-9-]{1,20}:[0-9]{12}:custom-model/(imported|"
                      r"[a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}([:][a-z0-9-]"
                      r"{1,63}){0,2})/[a-z0-9]{12}")
P_ACCOUNT = r"[0-9]{12}"
P_TOKEN = r"\S*"
P_PROVIDER = r"[A-Za-z0-9- ]{1,63}"
P_GUARDRAIL_ID = r"(([a-z0-9]+)|(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail/[a-z0-9]+))"
P_GUARDRAIL_VERSION = r"(([1-9][0-9]{0,7})|(DRAFT))"
P_MODEL_SOURCE = r".*arn:aws:sagemaker:.*:hub-content/SageMakerPublicHub/Model/.*"
P_CUSTOM_MODEL_IDENTIFIER = (
    r"arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:(([0-9]{12}:custom-model/((imported)|([a-z0-9-]{1,63}[.]{1}"
    r"[a-z0-9-]{1,63}))(([:][a-z0-9-]{1,63}){0,2})?/[a-z0-9]{12})|(:foundation-model/([a-z0-9-]{1,63}[.]{1}"
    r"[a-z0-9-]{1,63}([.]?[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2})))|(([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}"
    r"([.]?[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2}))|(([0-9a-zA-Z][_-]?)+)")
P_PROVISIONED_ID = (r"((([0-9a-zA-Z][_-]?)+)|(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:"
                    r"provisioned-model/[a-z0-9]{12}))")
P_INVOCATION_JOB_ID = r"((arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-invocation-job/)?[a-z0-9]{12})"
P_EVALUATION_JOB_ID = r"(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:evaluation-job/[a-z0-9]{12})"
P_IMPORTED_MODEL_ID = r"(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:imported-model/[a-z0-9]{12})|(([0-9a-zA-Z][_-]?)+)"
P_IMPORT_JOB_ID = (r"(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-import-job/[a-z0-9]{12})|"
                   r"([a-zA-Z0-9](-*[a-zA-Z0-9\+\-\.])*)")
P_COPY_JOB_ARN = r"arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-copy-job/[a-z0-9]{12}"
P_DEPLOYMENT_ID = (r"(arn:aws(|-us-gov|-cn|-iso|-iso-b):bedrock:[a-z0-9-]{1,20}:[0-9]{12}:custom-model-deployment/"
                   r"[a-z0-9]{12})|^([0-9a-zA-Z][_-]?){1,63}")
P_FOUNDATION_MODEL_ID = (r"(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}::foundation-model/[a-z0-9-]{1,63}[.]{1}"
                         r"([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}([:][a-z0-9-]{1,63}){0,2})|([a-z0-9-]{1,63}[.]{1}"
                         r"[a-z0-9-]{1,63}([.]?[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2})")
P_INFERENCE_PROFILE_ID = (r"(arn:aws(|-us-gov|-cn|-iso|-iso-b):bedrock:(|[0-9a-z-]{0,20}):(|[0-9]{12}):"
                          r"(inference-profile|application-inference-profile)/)?[a-zA-Z0-9-:.]+")
P_PROMPT_ROUTER_ARN = r"arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:default-prompt-router/[a-zA-Z0-9-:.]+"

SORT_ORDER = ["Ascending", "Descending"]


def _invocation_job_name_ok(s):
    """ModelInvocationJobName without the regex's exponential backtracking on '-' runs: a
    leading run of 1-63 alphanumerics, then at most 63 groups of '-'* and one of [a-zA-Z0-9+-.]:
    every other character ends a group, and trailing dashes need one more."""
    m = re.match(r"[a-zA-Z0-9]+", s)
    if not m:
        return False
    rest = s[min(63, m.end()):]
    if not re.fullmatch(r"[a-zA-Z0-9+\-.]*", rest):
        return False
    return sum(1 for c in rest if c != "-") + (1 if rest.endswith("-") else 0) <= 63


# Patterns whose regex backtracks exponentially on a long run of '-' (JobName's '-' is in the
# class too): the same language, written without it.
_SAFE_FRAGMENTS = [(r"[a-zA-Z0-9](-*[a-zA-Z0-9\+\-\.])*", r"[a-zA-Z0-9][a-zA-Z0-9+\-.]*")]
_MATCHERS = {P_INVOCATION_JOB_NAME: _invocation_job_name_ok}


def matcher(pattern):
    """A function str -> bool: does the whole string match the model's pattern."""
    fn = _MATCHERS.get(pattern)
    if fn is None:
        safe = pattern
        for frag, repl in _SAFE_FRAGMENTS:
            safe = safe.replace(frag, repl)
        rx = re.compile(r"\A(?:" + safe + r")\Z", re.S)
        fn = _MATCHERS[pattern] = lambda s: bool(rx.match(s))
    return fn


# --------------------------------------------------------------------------------------------
# Descriptors
# --------------------------------------------------------------------------------------------
class Param:
    """One query parameter: member (the model's name, used in messages), wire (locationName),
    kind (what it does, see _check and _keep), field (the record attribute it filters on) and
    the model's constraints (enum, pattern, min, max)."""

    def __init__(self, member, kind, field=None, wire=None, enum=None, pattern=None, min=None, max=None):
        self.member = member
        self.wire = wire or member
        self.kind = kind
        self.field = field
        self.enum = enum
        self.pattern = pattern
        self.min = min
        self.max = max


def _paging():
    return [Param("maxResults", "max_results"), Param("nextToken", "token", min=1, max=2048, pattern=P_TOKEN)]


def _sorting():
    return [Param("sortBy", "sort_by", enum=["CreationTime"]), Param("sortOrder", "sort_order", enum=SORT_ORDER)]


def _times(after, before, field):
    return [Param(after, "after", field), Param(before, "before", field)]


class Resource:
    """A resource served by the List and Get engines.  key: the --dump-fixtures key; list_op,
    get_op: AWS operation names; list_path: the List path; get_prefix: the Get path up to the
    label; result: the List member holding the summaries; params / get_params: query parameters;
    label: the Get label's member name with its length bounds and pattern; forms: which record
    identifiers Get looks up ("arn", "name", "id"); arn, name, status, time: the summary members
    holding them (time orders the List; None: catalogue order); paginated; get_wrap: the member
    of the Get answer that holds the resource (or None: the answer is the resource);
    summary_shape, get_shape: the model's shapes (self-test); null_summary, null_get: their
    optional members (nulls "null"); page_max: the model's cap on a page; omit_empty: leave the
    result member out when empty (the model's list has min 1); default_filter: (field, value)
    applied unless an "ident" parameter is given; untaggable: (field, value) of records that
    are refused by ListTagsForResource although their ARN fits the pattern; not_found: the 404
    message (% identifier)."""

    def __init__(self, **kw):
        self.get_params = []
        self.get_wrap = None
        self.page_max = None
        self.omit_empty = False
        self.default_filter = None
        self.untaggable = None
        self.paginated = True
        self.status = None
        self.name = None
        self.__dict__.update(kw)
        self.wires = {p.wire for p in self.params}


RESOURCES = [
    Resource(
        key="custom_models", list_op="ListCustomModels", get_op="GetCustomModel",
        list_path="/custom-models", get_prefix="/custom-models/", result="modelSummaries",
        summary_shape="CustomModelSummary", get_shape="GetCustomModelResponse",
        params=_times("creationTimeAfter", "creationTimeBefore", "creationTime") + [
            Param("nameContains", "contains", "modelName", min=1, max=63, pattern=P_CUSTOM_MODEL_NAME),
            Param("baseModelArnEquals", "equals", "baseModelArn", min=20, max=1011, pattern=P_MODEL_ARN),
            Param("foundationModelArnEquals", "equals", "foundationModelArn", pattern=P_FOUNDATION_MODEL_ARN),
        ] + _paging() + _sorting() + [
            Param("isOwned", "owned", "ownerAccountId"),
            Param("modelStatus", "enum", "modelStatus", enum=["Active", "Creating", "Failed"]),
        ],
        label=("modelIdentifier", 1, 2048, P_CUSTOM_MODEL_IDENTIFIER), forms=("arn", "name"),
        arn="modelArn", name="modelName", status="modelStatus", time="creationTime",
        null_summary=("customizationType", "ownerAccountId", "modelStatus"),
        null_get=("jobName", "jobArn", "baseModelArn", "customizationType", "modelKmsKeyArn", "hyperParameters",
                  "trainingDataConfig", "validationDataConfig", "outputDataConfig", "trainingMetrics",
                  "validationMetrics", "customizationConfig", "modelStatus", "failureMessage"),
        not_found="Could not find model with identifier %s"),
    Resource(
        key="provisioned_model_throughputs", list_op="ListProvisionedModelThroughputs",
        get_op="GetProvisionedModelThroughput", list_path="/provisioned-model-throughputs",
        get_prefix="/provisioned-model-throughput/", result="provisionedModelSummaries",
        summary_shape="ProvisionedModelSummary", get_shape="GetProvisionedModelThroughputResponse",
        params=_times("creationTimeAfter", "creationTimeBefore", "creationTime") + [
            Param("statusEquals", "enum", "status", enum=["Creating", "InService", "Updating", "Failed"]),
            Param("modelArnEquals", "equals", "modelArn", min=20, max=1011, pattern=P_MODEL_ARN),
            Param("nameContains", "contains", "provisionedModelName", min=1, max=63, pattern=P_NAME_PLUS),
        ] + _paging() + _sorting(),
        label=("provisionedModelId", None, None, P_PROVISIONED_ID), forms=("arn", "name"),
        arn="provisionedModelArn", name="provisionedModelName", status="status", time="creationTime",
        null_summary=("commitmentDuration", "commitmentExpirationTime"),
        null_get=("failureMessage", "commitmentDuration", "commitmentExpirationTime"),
        not_found="Could not find provisioned model with identifier %s"),
    Resource(
        key="model_invocation_jobs", list_op="ListModelInvocationJobs", get_op="GetModelInvocationJob",
        list_path="/model-invocation-jobs", get_prefix="/model-invocation-job/", result="invocationJobSummaries",
        summary_shape="ModelInvocationJobSummary", get_shape="GetModelInvocationJobResponse",
        params=_times("submitTimeAfter", "submitTimeBefore", "submitTime") + [
            Param("statusEquals", "enum", "status", enum=[
                "Submitted", "InProgress", "Completed", "Failed", "Stopping", "Stopped", "PartiallyCompleted",
                "Expired", "Validating", "Scheduled"]),
            Param("nameContains", "contains", "jobName", min=1, max=63, pattern=P_INVOCATION_JOB_NAME),
        ] + _paging() + _sorting(),
        label=("jobIdentifier", 0, 1011, P_INVOCATION_JOB_ID), forms=("arn", "id"),
        arn="jobArn", name="jobName", status="status", time="submitTime",
        null_summary=("clientRequestToken", "status", "message", "lastModifiedTime", "endTime", "vpcConfig",
                      "timeoutDurationInHours", "jobExpirationTime", "modelInvocationType", "totalRecordCount",
                      "processedRecordCount", "successRecordCount", "errorRecordCount"),
        null_get=("jobName", "clientRequestToken", "status", "message", "lastModifiedTime", "endTime", "vpcConfig",
                  "timeoutDurationInHours", "jobExpirationTime", "modelInvocationType", "totalRecordCount",
                  "processedRecordCount", "successRecordCount", "errorRecordCount"),
        not_found="Could not find model invocation job with identifier %s"),
    Resource(
        key="evaluation_jobs", list_op="ListEvaluationJobs", get_op="GetEvaluationJob",
        list_path="/evaluation-jobs", get_prefix="/evaluation-jobs/", result="jobSummaries",
        summary_shape="EvaluationSummary", get_shape="GetEvaluationJobResponse",
        params=_times("creationTimeAfter", "creationTimeBefore", "creationTime") + [
            Param("statusEquals", "enum", "status", enum=[
                "InProgress", "Completed", "Failed", "Stopping", "Stopped", "Deleting"]),
            Param("applicationTypeEquals", "enum", "applicationType", enum=["ModelEvaluation", "RagEvaluation"]),
            Param("nameContains", "contains", "jobName", min=1, max=63, pattern=P_EVALUATION_JOB_NAME),
        ] + _paging() + _sorting(),
        label=("jobIdentifier", 0, 1011, P_EVALUATION_JOB_ID), forms=("arn",),
        arn="jobArn", name="jobName", status="status", time="creationTime", page_max=5, omit_empty=True,
        null_summary=("modelIdentifiers", "ragIdentifiers", "evaluatorModelIdentifiers",
                      "customMetricsEvaluatorModelIdentifiers", "inferenceConfigSummary", "applicationType"),
        null_get=("jobDescription", "customerEncryptionKeyId", "applicationType", "lastModifiedTime",
                  "failureMessages"),
        not_found="Could not find evaluation job with identifier %s"),
    Resource(
        key="imported_models", list_op="ListImportedModels", get_op="GetImportedModel",
        list_path="/imported-models", get_prefix="/imported-models/", result="modelSummaries",
        summary_shape="ImportedModelSummary", get_shape="GetImportedModelResponse",
        params=_times("creationTimeAfter", "creationTimeBefore", "creationTime") + [
            Param("nameContains", "contains", "modelName", min=1, max=63, pattern=P_NAME_PLUS),
        ] + _paging() + _sorting(),
        label=("modelIdentifier", 1, 1011, P_IMPORTED_MODEL_ID), forms=("arn", "name"),
        arn="modelArn", name="modelName", time="creationTime",
        null_summary=("instructSupported", "modelArchitecture"),
        null_get=("modelArn", "modelName", "jobName", "jobArn", "modelDataSource", "creationTime",
                  "modelArchitecture", "modelKmsKeyArn", "instructSupported", "customModelUnits"),
        not_found="Could not find imported model with identifier %s"),
    Resource(
        key="model_import_jobs", list_op="ListModelImportJobs", get_op="GetModelImportJob",
        list_path="/model-import-jobs", get_prefix="/model-import-jobs/", result="modelImportJobSummaries",
        summary_shape="ModelImportJobSummary", get_shape="GetModelImportJobResponse",
        params=_times("creationTimeAfter", "creationTimeBefore", "creationTime") + [
            Param("statusEquals", "enum", "status", enum=["InProgress", "Completed", "Failed"]),
            Param("nameContains", "contains", "jobName", min=1, max=63, pattern=P_JOB_NAME),
        ] + _paging() + _sorting(),
        label=("jobIdentifier", 0, 1011, P_IMPORT_JOB_ID), forms=("arn", "name"),
        arn="jobArn", name="jobName", status="status", time="creationTime",
        null_summary=("lastModifiedTime", "endTime", "importedModelArn", "importedModelName"),
        null_get=("jobArn", "jobName", "importedModelName", "importedModelArn", "roleArn", "modelDataSource",
                  "status", "failureMessage", "creationTime", "lastModifiedTime", "endTime", "vpcConfig",
                  "importedModelKmsKeyArn"),
        not_found="Could not find model import job with identifier %s"),
    Resource(
        key="model_copy_jobs", list_op="ListModelCopyJobs", get_op="GetModelCopyJob",
        list_path="/model-copy-jobs", get_prefix="/model-copy-jobs/", result="modelCopyJobSummaries",
        summary_shape="ModelCopyJobSummary", get_shape="GetModelCopyJobResponse",
        params=_times("creationTimeAfter", "creationTimeBefore", "creationTime") + [
            Param("statusEquals", "enum", "status", enum=["InProgress", "Completed", "Failed"]),
            Param("sourceAccountEquals", "equals", "sourceAccountId", pattern=P_ACCOUNT),
            Param("sourceModelArnEquals", "equals", "sourceModelArn", min=20, max=1011, pattern=P_MODEL_ARN),
            Param("targetModelNameContains", "contains", "targetModelName", wire="outputModelNameContains",
                  min=1, max=63, pattern=P_CUSTOM_MODEL_NAME),
        ] + _paging() + _sorting(),
        label=("jobArn", 0, 1011, P_COPY_JOB_ARN), forms=("arn",),
        arn="jobArn", status="status", time="creationTime",
        null_summary=("targetModelName", "targetModelKmsKeyArn", "targetModelTags", "failureMessage",
                      "sourceModelName"),
        null_get=("targetModelName", "targetModelKmsKeyArn", "targetModelTags", "failureMessage",
                  "sourceModelName"),
        not_found="Could not find model copy job with ARN %s"),
    Resource(
        key="custom_model_deployments", list_op="ListCustomModelDeployments", get_op="GetCustomModelDeployment",
        list_path="/model-customization/custom-model-deployments",
        get_prefix="/model-customization/custom-model-deployments/", result="modelDeploymentSummaries",
        summary_shape="CustomModelDeploymentSummary", get_shape="GetCustomModelDeploymentResponse",
        params=_times("createdAfter", "createdBefore", "createdAt")[::-1] + [
            Param("nameContains", "contains", "customModelDeploymentName", min=1, max=63, pattern=P_CUSTOM_MODEL_NAME),
        ] + _paging() + _sorting() + [
            Param("statusEquals", "enum", "status", enum=["Creating", "Active", "Failed"]),
            Param("modelArnEquals", "equals", "modelArn", min=20, max=1011, pattern=P_CUSTOM_MODEL_ARN),
        ],
        label=("customModelDeploymentIdentifier", 1, 93, P_DEPLOYMENT_ID), forms=("arn", "name"),
        arn="customModelDeploymentArn", name="customModelDeploymentName", status="status", time="createdAt",
        null_summary=("lastUpdatedAt", "failureMessage"),
        null_get=("description", "updateDetails", "failureMessage", "lastUpdatedAt"),
        not_found="Could not find custom model deployment with identifier %s"),
    Resource(
        key="foundation_models", list_op="ListFoundationModels", get_op="GetFoundationModel",
        list_path="/foundation-models", get_prefix="/foundation-models/", result="modelSummaries",
        summary_shape="FoundationModelSummary", get_shape="FoundationModelDetails", get_wrap="modelDetails",
        params=[
            Param("byProvider", "iequals", "providerName", pattern=P_PROVIDER),
            Param("byCustomizationType", "has", "customizationsSupported",
                  enum=["FINE_TUNING", "CONTINUED_PRE_TRAINING", "DISTILLATION"]),
            Param("byOutputModality", "has", "outputModalities", enum=["TEXT", "IMAGE", "EMBEDDING"]),
            Param("byInferenceType", "has", "inferenceTypesSupported", enum=["ON_DEMAND", "PROVISIONED"]),
        ],
        paginated=False, label=("modelIdentifier", 1, 2048, P_FOUNDATION_MODEL_ID), forms=("arn", "id"),
        arn="modelArn", name="modelId", time=None,
        null_summary=("modelName", "providerName", "inputModalities", "outputModalities",
                      "responseStreamingSupported", "customizationsSupported", "inferenceTypesSupported",
                      "modelLifecycle"),
        null_get=("modelName", "providerName", "inputModalities", "outputModalities",
                  "responseStreamingSupported", "customizationsSupported", "inferenceTypesSupported",
                  "modelLifecycle"),
        not_found="The model %s does not exist"),
    Resource(
        key="inference_profiles", list_op="ListInferenceProfiles", get_op="GetInferenceProfile",
        list_path="/inference-profiles", get_prefix="/inference-profiles/", result="inferenceProfileSummaries",
        summary_shape="InferenceProfileSummary", get_shape="GetInferenceProfileResponse",
        params=_paging() + [
            Param("typeEquals", "enum", "type", wire="type", enum=["SYSTEM_DEFINED", "APPLICATION"]),
        ],
        label=("inferenceProfileIdentifier", 1, 2048, P_INFERENCE_PROFILE_ID), forms=("arn", "id"),
        arn="inferenceProfileArn", name="inferenceProfileName", status="status", time="createdAt",
        untaggable=("type", "SYSTEM_DEFINED"),
        null_summary=("description", "createdAt", "updatedAt"),
        null_get=("description", "createdAt", "updatedAt"),
        not_found="The inference profile %s does not exist"),
    Resource(
        key="guardrails", list_op="ListGuardrails", get_op="GetGuardrail",
        list_path="/guardrails", get_prefix="/guardrails/", result="guardrails",
        summary_shape="GuardrailSummary", get_shape="GetGuardrailResponse",
        params=[Param("guardrailIdentifier", "ident", min=0, max=2048, pattern=P_GUARDRAIL_ID)] + _paging(),
        get_params=[Param("guardrailVersion", "version", "version", pattern=P_GUARDRAIL_VERSION)],
        label=("guardrailIdentifier", 0, 2048, P_GUARDRAIL_ID), forms=("arn", "id"),
        arn="arn", name="name", status="status", time="createdAt", default_filter=("version", "DRAFT"),
        null_summary=("description", "crossRegionDetails"),
        null_get=("description", "topicPolicy", "contentPolicy", "wordPolicy", "sensitiveInformationPolicy",
                  "contextualGroundingPolicy", "automatedReasoningPolicy", "crossRegionDetails", "statusReasons",
                  "failureRecommendations", "kmsKeyArn"),
        not_found="Could not find guardrail with identifier %s"),
    Resource(
        key="prompt_routers", list_op="ListPromptRouters", get_op="GetPromptRouter",
        list_path="/prompt-routers", get_prefix="/prompt-routers/", result="promptRouterSummaries",
        summary_shape="PromptRouterSummary", get_shape="GetPromptRouterResponse",
        params=_paging() + [Param("type", "enum", "type", enum=["custom", "default"])],
        label=("promptRouterArn", 1, 2048, P_PROMPT_ROUTER_ARN), forms=("arn",),
        arn="promptRouterArn", name="promptRouterName", status="status", time="createdAt",
        null_summary=("description", "createdAt", "updatedAt"),
        null_get=("description", "createdAt", "updatedAt"),
        not_found="Could not find prompt router with ARN %s"),
    Resource(
        key="marketplace_model_endpoints", list_op="ListMarketplaceModelEndpoints",
        get_op="GetMarketplaceModelEndpoint", list_path="/marketplace-model/endpoints",
        get_prefix="/marketplace-model/endpoints/", result="marketplaceModelEndpoints",
        summary_shape="MarketplaceModelEndpointSummary", get_shape="MarketplaceModelEndpoint",
        get_wrap="marketplaceModelEndpoint",
        params=_paging() + [Param("modelSourceEquals", "equals", "modelSourceIdentifier", wire="modelSourceIdentifier",
                                  min=0, max=2048, pattern=P_MODEL_SOURCE)],
        label=("endpointArn", 0, 2048, None), forms=("arn",),
        arn="endpointArn", status="status", time="createdAt",
        null_summary=("status", "statusMessage"),
        null_get=("status", "statusMessage", "endpointStatusMessage"),
        not_found="Could not find marketplace model endpoint with ARN %s"),
]
BY_KEY = {d.key: d for d in RESOURCES}
BY_OP = {}
for _d in RESOURCES:
    BY_OP[_d.list_op] = _d
    BY_OP[_d.get_op] = _d
PAGINATED_LISTS = frozenset(d.list_op for d in RESOURCES if d.paginated)


def route(method, raw_path):
    """(operation, raw label or None) of a request to one of these resources, or None."""
    for d in RESOURCES:
        if raw_path == d.list_path:
            return (d.list_op, None) if method == "GET" else ("Unknown", None)
        if raw_path.startswith(d.get_prefix):
            rest = raw_path[len(d.get_prefix):]
            return (d.get_op, rest) if "/" not in rest and method == "GET" else ("Unknown", None)
    return None


# --------------------------------------------------------------------------------------------
# Records and the per-store index
# --------------------------------------------------------------------------------------------
class Record:
    """One resource: region, summary (List shape), get (the resource as Get returns it, unwrapped),
    tags (a tag list, or None when untaggable) and attrs (summary, Get and filter-only members)."""

    __slots__ = ("region", "summary", "get", "tags", "attrs", "arn", "name", "rid", "created_us", "desc")

    def __init__(self, desc, region, summary, get, tags, extra=None, rid=None):
        self.desc = desc
        self.region = region
        self.summary = summary
        self.get = get
        self.tags = tags
        self.attrs = dict(get, **summary)
        self.attrs.update(extra or {})
        self.arn = summary[desc.arn]
        self.name = summary.get(desc.name) if desc.name else None
        self.rid = rid
        t = self.attrs.get(desc.time) if desc.time else None
        self.created_us = E.ts_micros(t) if t else 0

    def get_answer(self):
        return {self.desc.get_wrap: self.get} if self.desc.get_wrap else self.get


class Resources:
    """The records of a fixture set by resource key, region and identifier."""

    def __init__(self, records, regions):
        self.regions = list(regions)
        rank = {r: i for i, r in enumerate(self.regions)}
        self.records = {d.key: [] for d in RESOURCES}
        for rec in records:
            self.records[rec.desc.key].append(rec)
        self.by_ident = {d.key: {} for d in RESOURCES}
        self.by_arn = {}
        for d in RESOURCES:
            lst = self.records[d.key]
            if d.time:              # dump order: region, then oldest first (as the jobs)
                lst.sort(key=lambda r: (rank.get(r.region, len(rank)), r.created_us, r.arn))
            else:
                lst.sort(key=lambda r: rank.get(r.region, len(rank)))
            for rec in lst:
                for form in d.forms:
                    v = {"arn": rec.arn, "name": rec.name, "id": rec.rid}[form]
                    if v is not None:
                        self.by_ident[d.key].setdefault(v, []).append(rec)
                self.by_arn.setdefault(rec.arn, []).append(rec)

    def counts(self):
        return {d.key: {r: sum(1 for x in self.records[d.key] if x.region == r) for r in self.regions}
                for d in RESOURCES}

    def dump(self):
        return {d.key: [{"region": r.region, "summary": r.summary, "get": r.get_answer(), "tags": r.tags}
                        for r in self.records[d.key]] for d in RESOURCES}


def build(store):
    """The resources of a job store: the default and demo fixtures' linked resources (see their
    sections of the module docstring), none for large:N."""
    make = {"default": _fixture_records, "demo": _demo_records}.get(store.name)
    return Resources(make(store) if make else [], store.regions())


# --------------------------------------------------------------------------------------------
# The engines
# --------------------------------------------------------------------------------------------
def _check(p, raw, errors, serr):
    """Validate one query value as the model says; returns the value to filter with."""
    c = E._c
    if p.kind in ("after", "before"):
        t = E.parse_iso8601(raw)
        if t is None:
            serr.append("Value '%s' at '%s' could not be parsed as an ISO-8601 timestamp" % (raw, p.member))
            return None
        return E._to_us(t)
    if p.kind == "max_results":
        if not re.match(r"\A[+-]?\d{1,18}\Z", raw):
            serr.append("Value '%s' at 'maxResults' could not be parsed as an integer" % raw)
            return None
        n = int(raw)
        if n < 1:
            errors.append(c(n, "maxResults", "have value greater than or equal to 1"))
        elif n > 1000:
            errors.append(c(n, "maxResults", "have value less than or equal to 1000"))
        return n
    if p.kind == "owned":
        if raw not in ("true", "false"):
            serr.append("Value '%s' at '%s' could not be parsed as a boolean" % (raw, p.member))
            return None
        return raw == "true"
    if p.enum is not None:
        if raw not in p.enum:
            errors.append(c(raw, p.member, "satisfy enum value set: [%s]" % ", ".join(p.enum)))
        return raw
    if p.min is not None and len(raw) < p.min:
        errors.append(c(raw, p.member, "have length greater than or equal to %d" % p.min))
    if p.max is not None and len(raw) > p.max:
        errors.append(c(raw, p.member, "have length less than or equal to %d" % p.max))
    if p.pattern is not None and not matcher(p.pattern)(raw):
        errors.append(c(raw, p.member, "satisfy regular expression pattern: " + p.pattern))
    return raw


def _keep(p, value, rec):
    """Does rec pass the filter of parameter p with this (valid) value."""
    v = rec.attrs.get(p.field) if p.field else None
    k = p.kind
    if k == "after":
        return rec.created_us > value
    if k == "before":
        return rec.created_us < value
    if k == "contains":
        return v is not None and value in v
    if k in ("equals", "enum"):
        return v == value
    if k == "iequals":
        return v is not None and v.lower() == value.lower()
    if k == "has":
        return value in (v or ())
    if k == "owned":
        return (v == E.ACCOUNT_ID) == value
    if k == "ident":
        return value in (rec.arn, rec.rid)
    return True


def list_resources(desc, store, region, params, max_page_size):
    errors, serr, values = [], [], {}
    for p in desc.params:
        if p.wire in params:
            values[p.kind if p.kind in ("max_results", "token", "sort_by", "sort_order") else p.member] = (
                p, _check(p, params[p.wire], errors, serr))
    if serr:
        raise E.ApiError(400, "SerializationException", serr[0])
    if errors:
        raise E.validation_error(errors)
    filters = [(p, v) for k, (p, v) in values.items() if k not in ("max_results", "token", "sort_by", "sort_order")]
    recs = [r for r in store.resources.records[desc.key] if r.region == region]
    idents = [v for p, v in filters if p.kind == "ident"]
    if idents and not any(idents[0] in (r.arn, r.rid) for r in recs):
        raise E.ApiError(404, "ResourceNotFoundException", desc.not_found % idents[0])
    if desc.default_filter and not idents:
        f, want = desc.default_filter
        recs = [r for r in recs if r.attrs.get(f) == want]
    for p, v in filters:
        recs = [r for r in recs if _keep(p, v, r)]
    ascending = values.get("sort_order", (None, None))[1] == "Ascending"
    if desc.time:
        recs.sort(key=lambda r: (r.created_us, r.arn), reverse=not ascending)
    out = {}
    if not desc.paginated:
        page, nxt = recs, None
    else:
        fkey = hashlib.sha256(json.dumps([desc.key, sorted((k, v) for k, (p, v) in values.items()
                                                            if k not in ("max_results", "token")),
                                          ascending]).encode()).hexdigest()[:16]
        offset = 0
        token = values.get("token", (None, None))[1]
        if token is not None:
            offset = E.Paginator.decode(token, region, fkey)
            if offset is None:
                raise E.ApiError(400, "ValidationException", "Invalid pagination token")
        size = min(values.get("max_results", (None, None))[1] or E.DEFAULT_MAX_RESULTS, max_page_size)
        if desc.page_max:
            size = min(size, desc.page_max)
        page = recs[offset:offset + size]
        nxt = E.Paginator.encode(region, fkey, offset + size) if offset + size < len(recs) else None
    if page or not desc.omit_empty:
        out[desc.result] = [r.summary for r in page]
    if nxt:
        out["nextToken"] = nxt
    return out


def _check_label(desc, ident):
    label, lo, hi, pattern = desc.label
    errors = []
    if lo is not None and len(ident) < lo:
        errors.append(E._c(ident, label, "have length greater than or equal to %d" % lo))
    if hi is not None and len(ident) > hi:
        errors.append(E._c(ident, label, "have length less than or equal to %d" % hi))
    if pattern is not None and not matcher(pattern)(ident):
        errors.append(E._c(ident, label, "satisfy regular expression pattern: " + pattern))
    if errors:
        raise E.validation_error(errors)


def get_resource(desc, store, region, ident, params):
    errors, serr, select = [], [], []
    for p in desc.get_params:
        if p.wire in params:
            select.append((p, _check(p, params[p.wire], errors, serr)))
    if errors:
        raise E.validation_error(errors)
    found = store.resources.by_ident[desc.key].get(ident)
    if not found:
        _check_label(desc, ident)
        raise E.ApiError(404, "ResourceNotFoundException", desc.not_found % ident)
    recs = [r for r in found if r.region == region]
    if desc.default_filter:
        f, want = desc.default_filter
        for p, v in select:
            if p.field == f:
                want = v
        recs = [r for r in recs if r.attrs.get(f) == want]
    if not recs:
        raise E.ApiError(404, "ResourceNotFoundException", desc.not_found % ident)
    return recs[0].get_answer()


def operate(op, store, region, params, ident, max_page_size):
    """The answer document of a resource operation (raises ApiError)."""
    desc = BY_OP[op]
    if op == desc.list_op:
        return list_resources(desc, store, region, params, max_page_size)
    return get_resource(desc, store, region, ident, params)


def tag_owner(store, arn):
    """True if a taggable record has this ARN (ListTagsForResource takes it back unchecked)."""
    return any(r.tags is not None for r in store.resources.by_arn.get(arn, ()))


def list_tags(store, region, arn):
    """The ListTagsForResource answer for a resource ARN, or None if no record has it."""
    recs = store.resources.by_arn.get(arn)
    if not recs:
        return None
    if any(r.tags is None for r in recs):
        raise E.ApiError(400, "ValidationException", "The resource %s does not support tagging" % arn)
    here = [r for r in recs if r.region == region]
    if not here:
        raise E.ApiError(404, "ResourceNotFoundException", "Could not find resource with ARN %s" % arn)
    return {"tags": here[0].tags}


def taggable(desc, arn, attrs):
    """Can ListTagsForResource answer for this record: its ARN fits TaggableResourcesArn and
    the descriptor does not refuse its kind."""
    if desc.untaggable and attrs.get(desc.untaggable[0]) == desc.untaggable[1]:
        return False
    return bool(E._TAGGABLE_ARN_RE.match(arn))


# --------------------------------------------------------------------------------------------
# Answer variants and fault actions
# --------------------------------------------------------------------------------------------
def with_nulls(op, doc):
    """A copy of a successful answer with null for each optional member a record lacks."""
    desc = BY_OP.get(op)
    if desc is None:
        return doc

    def fill(d, members):
        return dict(d, **{m: None for m in members if m not in d})

    if op == desc.list_op:
        if desc.result not in doc:
            return doc
        return dict(doc, **{desc.result: [fill(s, desc.null_summary) for s in doc[desc.result]]})
    if desc.get_wrap:
        return {desc.get_wrap: fill(doc[desc.get_wrap], desc.null_get)}
    return fill(doc, desc.null_get)


def mutate(action, op, doc, mark, unknown_status, bad_timestamp):
    """Change a successful answer (a copy) for the non_utf8, unknown_status and bad_timestamp
    fault actions: the first summary (List) or the resource (Get)."""
    desc = BY_OP[op]
    if op == desc.list_op:
        items = doc.get(desc.result) or []
        if not items:
            return doc
        target = items[0]
    else:
        target = doc[desc.get_wrap] if desc.get_wrap else doc
    if action == "non_utf8":
        member = desc.name or desc.arn
        target[member] = (target.get(member) or "") + mark
    elif action == "unknown_status" and desc.status:
        target[desc.status] = unknown_status
    elif action == "bad_timestamp" and desc.time:
        target[desc.time] = bad_timestamp
    return doc


def deep_key(op):
    desc = BY_OP[op]
    return desc.result if op == desc.list_op else (desc.get_wrap or desc.arn)


# --------------------------------------------------------------------------------------------
# Default fixtures: linked to the default jobs (see the module docstring)
# --------------------------------------------------------------------------------------------
OTHER_ACCOUNT = "210987654321"         # shares a custom model with the account
E1, W2, EU = "us-east-1", "us-west-2", "eu-west-1"
_T, _I, _EMB = ["TEXT"], ["TEXT", "IMAGE"], ["EMBEDDING"]
_FT, _CPT, _DIS = "FINE_TUNING", "CONTINUED_PRE_TRAINING", "DISTILLATION"
# model id -> (modelName, providerName, input, output, responseStreamingSupported (None: absent),
#              customizationsSupported, inferenceTypesSupported, lifecycle (None: absent))
FOUNDATION_MODELS = {
    "amazon.titan-text-express-v1:0:8k": ("Titan Text Express", "Amazon", _T, _T, True, [_FT, _CPT], ["PROVISIONED"],
                                          ("ACTIVE", "2023-11-29T00:00:00.000Z")),
    "amazon.titan-text-lite-v1:0:4k": ("Titan Text Lite", "Amazon", _T, _T, True, [_FT, _CPT], ["PROVISIONED"],
                                       ("LEGACY", "2023-11-29T00:00:00.000Z")),
    "amazon.nova-micro-v1:0:128k": ("Nova Micro", "Amazon", _T, _T, True, [_FT, _DIS], ["PROVISIONED"], ("ACTIVE", None)),
    "amazon.nova-lite-v1:0:300k": ("Nova Lite", "Amazon", _I, _T, True, [_FT, _DIS], ["PROVISIONED"], ("ACTIVE", None)),
    "amazon.nova-pro-v1:0:300k": ("Nova Pro", "Amazon", _I, _T, True, [_FT, _DIS], ["PROVISIONED"], ("ACTIVE", None)),
    "amazon.nova-pro-v1:0": ("Nova Pro", "Amazon", _I, _T, True, [], ["ON_DEMAND"], ("ACTIVE", None)),
    "amazon.nova-premier-v1:0": ("Nova Premier", "Amazon", _I, _T, True, [], ["ON_DEMAND"], ("ACTIVE", None)),
    "amazon.titan-embed-text-v2:0": ("Titan Text Embed V2", "Amazon", _T, _EMB, None, [], ["ON_DEMAND"],
                                     ("ACTIVE", None)),
    "amazon.titan-image-generator-v2:0": ("Titan Image Gen V2", "Amazon", _I, ["IMAGE"], None, [_FT],
                                          ["ON_DEMAND", "PROVISIONED"], None),
    "anthropic.claude-3-haiku-20240307-v1:0:200k": ("Claude 3 Haiku", "Anthropic", _I, _T, True, [_FT],
                                                    ["PROVISIONED"], ("ACTIVE", None)),
    "anthropic.claude-3-haiku-20240307-v1:0": ("Claude 3 Haiku", "Anthropic", _I, _T, True, [], ["ON_DEMAND"],
                                               ("ACTIVE", "2024-03-07T00:00:00.000Z")),
    "anthropic.claude-3-5-sonnet-20240620-v1:0": ("Claude 3.5 Sonnet", "Anthropic", _I, _T, True, [], ["ON_DEMAND"],
                                                  ("LEGACY", "2024-06-20T00:00:00.000Z")),
    "meta.llama3-1-8b-instruct-v1:0": ("Llama 3.1 8B", "Meta", _T, _T, True, [_FT, _DIS], ["ON_DEMAND"], ("ACTIVE", None)),
    "meta.llama3-1-70b-instruct-v1:0": ("Llama 3.1 70B", "Meta", _T, _T, True, [_FT, _DIS], ["ON_DEMAND"],
                                        ("ACTIVE", None)),
    "meta.llama3-2-3b-instruct-v1:0": ("Llama 3.2 3B", "Meta", _T, _T, True, [_FT], ["ON_DEMAND"], ("ACTIVE", None)),
    "cohere.command-light-text-v14:7:4k": ("Command Light", "Cohere", _T, _T, True, [_FT], ["PROVISIONED"],
                                           ("LEGACY", None)),
    "mistral.mistral-7b-instruct-v0:2": ("Mistral 7B Instruct", "Mistral AI", _T, _T, True, [], ["ON_DEMAND"],
                                         ("ACTIVE", None)),
}
FOUNDATION_MODEL_REGIONS = {
    E1: list(FOUNDATION_MODELS),
    W2: ["amazon.titan-text-express-v1:0:8k", "amazon.titan-text-lite-v1:0:4k", "amazon.nova-micro-v1:0:128k",
         "amazon.nova-lite-v1:0:300k", "amazon.nova-pro-v1:0", "anthropic.claude-3-haiku-20240307-v1:0",
         "meta.llama3-1-8b-instruct-v1:0", "mistral.mistral-7b-instruct-v0:2"],
    EU: ["amazon.titan-text-express-v1:0:8k", "amazon.titan-text-lite-v1:0:4k",
         "anthropic.claude-3-haiku-20240307-v1:0:200k", "anthropic.claude-3-haiku-20240307-v1:0",
         "anthropic.claude-3-5-sonnet-20240620-v1:0", "meta.llama3-1-8b-instruct-v1:0"],
}
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
SONNET = "anthropic.claude-3-5-sonnet-20240620-v1:0"
LLAMA8 = "meta.llama3-1-8b-instruct-v1:0"
LLAMA70 = "meta.llama3-1-70b-instruct-v1:0"
MISTRAL = "mistral.mistral-7b-instruct-v0:2"
TITAN = "amazon.titan-text-express-v1:0:8k"
TITAN_LITE = "amazon.titan-text-lite-v1:0:4k"
KMS_E1 = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
KMS_EU = "arn:aws:kms:eu-west-1:123456789012:key/0987dcba-09fe-87dc-65ba-ab0987654321"
VPC = {"subnetIds": ["subnet-0a1b2c3d4e5f60718", "subnet-0f9e8d7c6b5a40312"], "securityGroupIds": ["sg-0123456789abcdef0"]}


class _Builder:
    """The record builders the default and demo fixture sets share: every record goes to .out
    (in the order built), every custom model's summary to .models by (region, modelName)."""

    def __init__(self):
        self.out = []
        self.models = {}

    @staticmethod
    def arn(region, kind, rid, account=None):
        return "arn:aws:bedrock:%s:%s:%s/%s" % (region, account or E.ACCOUNT_ID, kind, rid)

    @staticmethod
    def later(t, minutes):
        return E.fmt_ts(E.parse_iso8601(t) + E._dt.timedelta(minutes=minutes))

    @staticmethod
    def tags(*pairs):
        return [{"key": k, "value": v} for k, v in pairs]

    def add(self, key, region, summary, get=None, tag_list=(), extra=None, rid=None):
        desc = BY_KEY[key]
        get = summary if get is None else get
        attrs = dict(get, **summary)
        t = list(tag_list) if taggable(desc, summary[desc.arn], attrs) else None
        self.out.append(Record(desc, region, summary, get, t, extra, rid))
        return summary

    def foundation_model(self, region, mid):
        name, provider, inp, outp, stream, cust, inf, life = FOUNDATION_MODELS[mid]
        d = {"modelArn": E.fm_arn(region, mid), "modelId": mid, "modelName": name, "providerName": provider,
             "inputModalities": list(inp), "outputModalities": list(outp)}
        if stream is not None:
            d["responseStreamingSupported"] = stream
        d["customizationsSupported"] = list(cust)
        d["inferenceTypesSupported"] = list(inf)
        if life is not None:
            lc = {"status": life[0]}
            if life[1]:
                lc["startOfLifeTime"] = life[1]
            if life[0] == "LEGACY":
                lc["legacyTime"] = "2025-07-01T00:00:00.000Z"
                lc["endOfLifeTime"] = "2026-07-01T00:00:00.000Z"
            d["modelLifecycle"] = lc
        self.add("foundation_models", region, d, rid=mid)

    @staticmethod
    def base_name(model_arn):
        mid = model_arn.split("/")[1] if ":custom-model/" in model_arn else model_arn.rsplit("/", 1)[1]
        return mid.split(":")[0]

    def custom_model(self, region, get, summary_base, fm_base, tag_list, owner=None):
        s = {"modelArn": get["modelArn"], "modelName": get["modelName"], "creationTime": get["creationTime"],
             "baseModelArn": summary_base, "baseModelName": self.base_name(fm_base)}
        if "customizationType" in get:
            s["customizationType"] = get["customizationType"]
        s["ownerAccountId"] = owner or E.ACCOUNT_ID
        s["modelStatus"] = get["modelStatus"]
        self.add("custom_models", region, s, get, tag_list, extra={"foundationModelArn": fm_base})
        self.models[(region, s["modelName"])] = s
        return s

    def model_of_job(self, job):
        """The Active custom model a Completed customization job made (None for other jobs)."""
        g = job.get
        if g["status"] != "Completed":
            return None
        cm = {"modelArn": g["outputModelArn"], "modelName": g["outputModelName"], "jobName": g["jobName"],
              "jobArn": g["jobArn"], "baseModelArn": job.summary["baseModelArn"],
              "customizationType": g["customizationType"]}
        if "outputModelKmsKeyArn" in g:
            cm["modelKmsKeyArn"] = g["outputModelKmsKeyArn"]
        for k in ("hyperParameters", "trainingDataConfig", "validationDataConfig", "outputDataConfig",
                  "trainingMetrics", "validationMetrics"):
            if k in g:
                cm[k] = g[k]
        cm["creationTime"] = E.fmt_ts(E.parse_iso8601(g["endTime"]))        # with milliseconds
        if "customizationConfig" in g:
            cm["customizationConfig"] = g["customizationConfig"]
        cm["modelStatus"] = "Active"
        return self.custom_model(job.region, cm, job.summary["baseModelArn"], g["baseModelArn"], job.tags)

    def provisioned(self, region, name, model_arn, fm_base, status, created, units, desired=None, desired_arn=None,
                    commitment=None, failure=None, tag_list=()):
        later = self.later
        rid = E.hid("pt", region, name)
        g = {"modelUnits": units, "desiredModelUnits": desired or units, "provisionedModelName": name,
             "provisionedModelArn": self.arn(region, "provisioned-model", rid), "modelArn": model_arn,
             "desiredModelArn": desired_arn or model_arn, "foundationModelArn": fm_base, "status": status,
             "creationTime": created, "lastModifiedTime": later(created, 95)}
        if failure:
            g["failureMessage"] = failure
        if commitment:
            g["commitmentDuration"] = commitment
            g["commitmentExpirationTime"] = later(created, 60 * 24 * (30 if commitment == "OneMonth" else 182))
        s = {k: g[k] for k in ("provisionedModelName", "provisionedModelArn", "modelArn", "desiredModelArn",
                               "foundationModelArn", "modelUnits", "desiredModelUnits", "status")}
        for k in ("commitmentDuration", "commitmentExpirationTime"):
            if k in g:
                s[k] = g[k]
        s["creationTime"], s["lastModifiedTime"] = g["creationTime"], g["lastModifiedTime"]
        self.add("provisioned_model_throughputs", region, s, g, tag_list)


def _demo_records(store):
    """The demo set's resources (see "Demo fixtures" in the module docstring), hash-driven."""
    b = _Builder()
    models = [(job, b.model_of_job(job)) for job in store.jobs if job.get["status"] == "Completed"]
    for region in store.regions():          # the base models, in catalogue order
        bases = {job.get["baseModelArn"] for job, _ in models if job.region == region}
        for mid in FOUNDATION_MODELS:
            if E.fm_arn(region, mid) in bases:
                b.foundation_model(region, mid)
    for job, cm in models:
        pt_tags = [t for t in job.tags if t["key"] in ("project", "team")]
        roll = int(E.hid("demo-pt", cm["modelArn"], n=4), 36)
        if roll % 3 or not any(t["key"] == "project" for t in pt_tags):
            continue
        name = cm["modelName"].removesuffix("-model") + "-pt"
        created = b.later(cm["creationTime"], 60 * 24 * (1 + roll // 3 % 20) + roll % 600)
        status = "Creating" if roll % 7 == 3 else "InService"
        b.provisioned(job.region, name, cm["modelArn"], job.get["baseModelArn"], status, created,
                      1 + roll // 60 % 4, commitment=(None, "OneMonth", "SixMonths")[roll // 240 % 3],
                      tag_list=pt_tags)
    return b.out


def _fixture_records(store):
    A = E.ACCOUNT_ID
    b = _Builder()
    out, models = b.out, b.models
    arn, later, tags, add = b.arn, b.later, b.tags, b.add
    custom_model, provisioned = b.custom_model, b.provisioned
    fm = E.fm_arn

    def role(name):
        return "arn:aws:iam::%s:role/%s" % (A, name)

    def s3(region, path):
        return "s3://acme-bedrock-%s/%s" % (region, path)

    # ---- foundation models ----------------------------------------------------------------
    for region, ids in FOUNDATION_MODEL_REGIONS.items():
        for mid in ids:
            b.foundation_model(region, mid)

    # ---- custom models: one per Completed customization job --------------------------------
    for job in store.jobs:
        b.model_of_job(job)

    def m(region, name):
        return models[(region, name)]

    # a model another account shares with this one (isOwned=false)
    shared = {"modelArn": arn(E1, "custom-model", TITAN_LITE + "/" + E.hid("shared", E1), OTHER_ACCOUNT),
              "modelName": "partner-titan-lite-ft", "baseModelArn": fm(E1, TITAN_LITE),
              "customizationType": "FINE_TUNING", "creationTime": "2024-04-15T09:30:12.345Z", "modelStatus": "Active"}
    custom_model(E1, shared, shared["baseModelArn"], shared["baseModelArn"], [], owner=OTHER_ACCOUNT)

    # ---- model copy jobs and the custom models they make in their region -------------------
    copies = [  # (region, source summary, target name, status, created, minutes, kms, target tags, failure)
        (E1, m(E1, "partner-titan-lite-ft"), "partner-titan-lite-copy", "Completed", "2024-05-02T13:14:15.161Z", 42,
         KMS_E1, [("team", "partners")], None),
        (E1, m(W2, "titan-ads-ft-001-model"), "titan-ads-v1-use1", "Completed", "2024-06-11T08:01:02.030Z", 35,
         None, [("team", "marketing"), ("copied-from", "us-west-2")], None),
        (W2, m(E1, "titan-support-v1"), "titan-support-v1-usw2", "Completed", "2024-02-20T16:45:00.500Z", 51,
         None, [("team", "support-ml"), ("env", "prod")], None),
        (W2, m(E1, "titan-docs-cpt-2024q1-model"), "titan-docs-cpt-usw2", "InProgress", "2025-06-18T10:10:10.101Z",
         None, None, [], None),
        (EU, m(E1, "claude-haiku-legal-ft-model"), "claude-haiku-legal-euw1", "Completed",
         "2024-03-25T07:30:45.678Z", 64, KMS_EU, [("team", "legal-ai"), ("data-residency", "eu")], None),
        (EU, m(E1, "titan-cpt-medical-model"), "titan-cpt-medical-euw1", "Failed", "2024-10-01T12:00:00.000Z", 3,
         None, [], "The source model is encrypted with a KMS key that the destination Region cannot use."),
    ]
    for region, src, name, status, created, minutes, kms, ttags, failure in copies:
        src_get = next(r.get for r in out if r.desc.key == "custom_models" and r.arn == src["modelArn"])
        root = next(r.attrs["foundationModelArn"] for r in out if r.desc.key == "custom_models"
                    and r.arn == src["modelArn"])
        root_id = root.rsplit("/", 1)[1]
        target = arn(region, "custom-model", root_id + "/" + E.hid("copy", region, name))
        job = {"jobArn": arn(region, "model-copy-job", E.hid("copyjob", region, name)), "status": status,
               "creationTime": created, "targetModelArn": target, "targetModelName": name,
               "sourceAccountId": src["modelArn"].split(":")[4], "sourceModelArn": src["modelArn"]}
        if kms:
            job["targetModelKmsKeyArn"] = kms
        if ttags:
            job["targetModelTags"] = tags(*ttags)
        if failure:
            job["failureMessage"] = failure
        job["sourceModelName"] = src["modelName"]
        add("model_copy_jobs", region, job)
        cm = {"modelArn": target, "modelName": name, "baseModelArn": fm(region, root_id),
              "customizationType": src_get.get("customizationType", "FINE_TUNING"),
              "creationTime": later(created, minutes or 1)}
        if kms:
            cm["modelKmsKeyArn"] = kms
        cm["modelStatus"] = {"Completed": "Active", "InProgress": "Creating", "Failed": "Failed"}[status]
        if failure:
            cm["failureMessage"] = failure
        custom_model(region, cm, cm["baseModelArn"], cm["baseModelArn"], tags(*ttags))

    # ---- provisioned throughputs ----------------------------------------------------------
    sup1, sup2 = m(E1, "titan-support-v1"), m(E1, "titan-support-v2")
    provisioned(E1, "titan-support-pt", sup1["modelArn"], fm(E1, TITAN), "InService", "2024-01-09T08:00:00.250Z", 2,
                commitment="OneMonth", tag_list=tags(("team", "support-ml"), ("cost-center", "CC-1042")))
    provisioned(E1, "support-v2-rollout", sup1["modelArn"], fm(E1, TITAN), "Updating", "2024-04-03T09:12:00.000Z", 1,
                desired=2, desired_arn=sup2["modelArn"], tag_list=tags(("team", "support-ml")))
    provisioned(E1, "titan-express-base-pt", fm(E1, TITAN), fm(E1, TITAN), "Creating", "2025-06-20T06:30:00.600Z", 1,
                tag_list=tags(("team", "platform"), ("env", "dev")))
    provisioned(E1, "haiku-legal-pt", m(E1, "claude-haiku-legal-ft-model")["modelArn"],
                fm(E1, "anthropic.claude-3-haiku-20240307-v1:0:200k"), "Failed", "2024-03-06T10:00:00.000Z", 4,
                failure="Insufficient capacity for 4 model units of this model. Try fewer model units or another Region.")
    provisioned(W2, "ads-pt", m(W2, "titan-ads-ft-001-model")["modelArn"], fm(W2, TITAN), "InService",
                "2024-02-03T12:00:00.120Z", 1, commitment="SixMonths", tag_list=tags(("team", "marketing")))
    provisioned(W2, "mistral-import-pt", m(W2, "mistral-import-7b-model")["modelArn"], fm(W2, MISTRAL), "InService",
                "2024-12-13T09:00:00.900Z", 1)
    provisioned(EU, "gdpr-pt", m(EU, "titan-gdpr-ft-001-model")["modelArn"], fm(EU, TITAN), "InService",
                "2024-03-13T08:30:00.300Z", 1, commitment="OneMonth", tag_list=tags(("team", "privacy")))
    provisioned(EU, "gdpr-pt-old", m(EU, "titan-gdpr-ft-001-model")["modelArn"], fm(EU, TITAN), "Deleting",
                "2024-03-12T23:00:00.000Z", 1, tag_list=tags(("team", "privacy"), ("env", "retired")))

    # ---- batch inference (model invocation) jobs ------------------------------------------
    def batch(region, name, model_id, status, submitted, minutes=None, message=None, counts=None, vpc=False,
              kind="InvokeModel", crt=True, tag_list=()):
        rid = E.hid("batch", region, name)
        g = {"jobArn": arn(region, "model-invocation-job", rid), "jobName": name, "modelId": model_id}
        if crt:
            g["clientRequestToken"] = E.huuid("batch", region, name)
        g["roleArn"] = role("BedrockBatchInferenceRole")
        g["status"] = status
        if message:
            g["message"] = message
        g["submitTime"] = submitted
        g["lastModifiedTime"] = later(submitted, minutes or 2)
        if status in ("Completed", "Failed", "Stopped", "PartiallyCompleted", "Expired"):
            g["endTime"] = later(submitted, minutes)
        g["inputDataConfig"] = {"s3InputDataConfig": {"s3InputFormat": "JSONL",
                                                      "s3Uri": s3(region, "batch/%s/input.jsonl" % name)}}
        out_cfg = {"s3Uri": s3(region, "batch/%s/output/" % name)}
        if region == EU:
            out_cfg["s3EncryptionKeyId"] = KMS_EU
        g["outputDataConfig"] = {"s3OutputDataConfig": out_cfg}
        if vpc:
            g["vpcConfig"] = dict(VPC)
        g["timeoutDurationInHours"] = 72
        g["jobExpirationTime"] = later(submitted, 72 * 60)
        if kind:
            g["modelInvocationType"] = kind
        if counts:
            for k, v in zip(("totalRecordCount", "processedRecordCount", "successRecordCount", "errorRecordCount"),
                            counts):
                g[k] = v
        add("model_invocation_jobs", region, g, g, tag_list, rid=rid)

    batch(E1, "support-tickets-summarize-2024-06", HAIKU, "Completed", "2024-06-03T02:00:00.200Z", 185,
          counts=(50000, 50000, 49987, 13), vpc=True, tag_list=tags(("team", "support-ml"), ("cost-center", "CC-1042")))
    batch(E1, "catalog-enrich-llama70", LLAMA70, "InProgress", "2025-06-25T14:30:30.303Z", 40,
          counts=(120000, 31000, 30990, 10), tag_list=tags(("team", "retail-ai")))
    batch(E1, "legal-clauses-extract", fm(E1, MISTRAL), "Failed", "2024-09-10T11:11:11.111Z", 7,
          message="Input file s3://acme-bedrock-us-east-1/batch/legal-clauses-extract/input.jsonl has 12 records; "
                  "the minimum is 100.", counts=(12, 0, 0, 0), tag_list=tags(("team", "legal-ai")))
    batch(E1, "search-queries-rewrite", "us." + HAIKU, "PartiallyCompleted", "2025-01-22T05:05:05.050Z", 240,
          counts=(80000, 80000, 76500, 3500), kind="Converse", tag_list=tags(("team", "search")))
    batch(E1, "nightly-eval-prompts", LLAMA8, "Scheduled", "2025-06-28T23:00:00.000Z", None, kind=None, crt=False)
    batch(W2, "ads-headlines-batch", HAIKU, "Completed", "2024-07-19T19:19:19.190Z", 95,
          counts=(20000, 20000, 20000, 0), tag_list=tags(("team", "marketing")))
    batch(W2, "translate-catalog-es", LLAMA8, "Stopped", "2024-11-05T07:45:00.450Z", 33,
          counts=(60000, 12000, 11990, 10), tag_list=tags(("team", "localization")))
    batch(W2, "mistral-classify-old", MISTRAL, "Expired", "2024-08-01T00:00:00.000Z", 72 * 60,
          message="The job did not start before its expiration time.")
    batch(EU, "gdpr-dsar-summaries", HAIKU, "Completed", "2024-08-14T06:00:00.060Z", 130,
          counts=(4000, 4000, 3998, 2), tag_list=tags(("team", "privacy"), ("data-residency", "eu")))
    batch(EU, "eu-support-triage", "eu." + SONNET, "Validating", "2025-06-29T08:15:00.150Z", 1,
          tag_list=tags(("team", "support-ml")))

    # ---- evaluation jobs ------------------------------------------------------------------
    def evaluation(region, name, status, created, app, job_type, task, metrics, models=(), kb=None, evaluator=None,
                   dataset=None, description=None, failures=None, kms=None, human=None, tag_list=()):
        rid = E.hid("eval", region, name)
        ds = {"name": dataset or "Builtin.BoolQ"}
        if dataset:
            ds["datasetLocation"] = {"s3Uri": s3(region, "evaluation/%s/dataset.jsonl" % name)}
        dmc = [{"taskType": task, "dataset": ds, "metricNames": list(metrics)}]
        if job_type == "Human":
            cfg = {"human": {"humanWorkflowConfig": {
                "flowDefinitionArn": "arn:aws:sagemaker:%s:%s:flow-definition/%s" % (region, A, name),
                "instructions": "Rate each answer for a professional tone."},
                "customMetrics": [{"name": human, "description": "Professional tone", "ratingMethod": "ThumbsUpDown"}],
                "datasetMetricConfigs": dmc}}
        else:
            auto = {"datasetMetricConfigs": dmc}
            if evaluator:
                auto["evaluatorModelConfig"] = {"bedrockEvaluatorModels": [{"modelIdentifier": evaluator}]}
            cfg = {"automated": auto}
        if kb:
            inference = {"ragConfigs": [{"knowledgeBaseConfig": {"retrieveConfig": {
                "knowledgeBaseId": kb, "knowledgeBaseRetrievalConfiguration": {
                    "vectorSearchConfiguration": {"numberOfResults": 5, "overrideSearchType": "HYBRID"}}}}}]}
        else:
            inference = {"models": [{"bedrockModel": {
                "modelIdentifier": mid, "inferenceParams": "{\"inferenceConfig\":{\"maxTokens\":512,\"temperature\":0}}"}}
                for mid in models]}
        g = {"jobName": name, "status": status, "jobArn": arn(region, "evaluation-job", rid)}
        if description:
            g["jobDescription"] = description
        g["roleArn"] = role("BedrockEvaluationRole")
        if kms:
            g["customerEncryptionKeyId"] = kms
        g["jobType"] = job_type
        if app:
            g["applicationType"] = app
        g["evaluationConfig"] = cfg
        g["inferenceConfig"] = inference
        g["outputDataConfig"] = {"s3Uri": s3(region, "evaluation/%s/results/" % name)}
        g["creationTime"] = created
        if status != "InProgress":
            g["lastModifiedTime"] = later(created, 47)
        if failures:
            g["failureMessages"] = list(failures)
        s = {"jobArn": g["jobArn"], "jobName": name, "status": status, "creationTime": created, "jobType": job_type,
             "evaluationTaskTypes": [task]}
        if models:
            s["modelIdentifiers"] = list(models)
        if kb:
            s["ragIdentifiers"] = [kb]
        if evaluator:
            s["evaluatorModelIdentifiers"] = [evaluator]
        s["inferenceConfigSummary"] = ({"ragConfigSummary": {"bedrockKnowledgeBaseIdentifiers": [kb]}} if kb else
                                       {"modelConfigSummary": {"bedrockModelIdentifiers": list(models)}})
        if app:
            s["applicationType"] = app
        add("evaluation_jobs", region, s, g, tag_list)

    evaluation(E1, "support-bot-accuracy-eval", "Completed", "2024-06-05T10:20:30.405Z", "ModelEvaluation",
               "Automated", "QuestionAndAnswer", ["Builtin.Accuracy", "Builtin.Robustness"], models=[HAIKU],
               description="Accuracy of Claude 3 Haiku on support questions",
               tag_list=tags(("team", "support-ml"), ("project", "helpdesk-bot")))
    evaluation(E1, "legal-tone-human-eval", "InProgress", "2025-06-12T15:00:00.000Z", "ModelEvaluation", "Human",
               "Generation", ["Tone"], models=[HAIKU, LLAMA8], dataset="legal-prompts", human="Tone", kms=KMS_E1,
               tag_list=tags(("team", "legal-ai")))
    evaluation(E1, "kb-support-rag-eval", "Failed", "2025-02-02T02:02:02.020Z", "RagEvaluation", "Automated",
               "QuestionAndAnswer", ["Builtin.Correctness", "Builtin.Completeness"], kb="KB12345678",
               evaluator=SONNET, dataset="support-kb-questions",
               failures=["The knowledge base KB12345678 returned no results for 40 of 50 prompts.",
                         "The evaluator model could not parse 3 responses."],
               tag_list=tags(("team", "support-ml")))
    evaluation(W2, "mistral-summarize-eval", "Completed", "2024-12-20T20:20:20.200Z", "ModelEvaluation", "Automated",
               "Summarization", ["Builtin.Correctness", "Builtin.Helpfulness"], models=[MISTRAL], evaluator=HAIKU,
               dataset="ads-summaries", tag_list=tags(("team", "marketing")))
    evaluation(W2, "ads-kb-rag-eval", "Stopped", "2025-03-15T03:15:00.315Z", "RagEvaluation", "Automated",
               "QuestionAndAnswer", ["Builtin.Faithfulness"], kb="KBADS00042", evaluator=HAIKU, dataset="ads-kb-questions")
    evaluation(EU, "gdpr-redaction-eval", "Completed", "2024-09-02T09:02:09.209Z", None, "Automated",
               "Classification", ["Builtin.Accuracy"], models=[HAIKU], dataset="dsar-redaction",
               tag_list=tags(("team", "privacy"), ("data-residency", "eu")))
    evaluation(EU, "privacy-kb-rag-eval", "Deleting", "2025-05-01T11:00:00.110Z", "RagEvaluation", "Automated",
               "QuestionAndAnswer", ["Builtin.Correctness"], kb="KBEU000007", evaluator=SONNET,
               dataset="privacy-kb-questions")

    # ---- model import jobs and the imported models they made ------------------------------
    def import_job(region, name, model_name, status, created, minutes, arch=None, failure=None, kms=None, vpc=False,
                   instruct=True, tag_list=(), model_tags=()):
        rid = E.hid("import", region, name)
        g = {"jobArn": arn(region, "model-import-job", rid), "jobName": name, "importedModelName": model_name}
        model_arn = arn(region, "imported-model", E.hid("imported", region, model_name))
        if status == "Completed":
            g["importedModelArn"] = model_arn
        g["roleArn"] = role("BedrockModelImportRole")
        source = {"s3DataSource": {"s3Uri": s3(region, "import/%s/" % model_name)}}
        g["modelDataSource"] = source
        g["status"] = status
        if failure:
            g["failureMessage"] = failure
        g["creationTime"] = created
        g["lastModifiedTime"] = later(created, minutes)
        if status != "InProgress":
            g["endTime"] = later(created, minutes)
        if vpc:
            g["vpcConfig"] = dict(VPC)
        if kms:
            g["importedModelKmsKeyArn"] = kms
        s = {k: g[k] for k in ("jobArn", "jobName", "status", "lastModifiedTime", "creationTime", "endTime",
                               "importedModelArn", "importedModelName") if k in g}
        add("model_import_jobs", region, s, g, tag_list)
        if status == "Completed":
            im = {"modelArn": model_arn, "modelName": model_name, "jobName": name, "jobArn": g["jobArn"],
                  "modelDataSource": source, "creationTime": g["endTime"], "modelArchitecture": arch}
            if kms:
                im["modelKmsKeyArn"] = kms
            if instruct is not None:
                im["instructSupported"] = instruct
            im["customModelUnits"] = {"customModelUnitsPerModelCopy": 2 if "70b" in model_name else 1,
                                      "customModelUnitsVersion": "v1.0"}
            s = {"modelArn": model_arn, "modelName": model_name, "creationTime": im["creationTime"]}
            if instruct is not None:
                s["instructSupported"] = instruct
            s["modelArchitecture"] = arch
            add("imported_models", region, s, im, model_tags)

    import_job(E1, "import-llama-sql-2024", "llama-sql-8b", "Completed", "2024-05-14T14:14:14.140Z", 26, "llama3",
               kms=KMS_E1, vpc=True, tag_list=tags(("team", "data-platform")),
               model_tags=tags(("team", "data-platform"), ("project", "sql-assistant")))
    import_job(E1, "import-qwen-coder", "qwen-coder-7b", "Completed", "2025-03-03T03:03:03.030Z", 31, "qwen2",
               instruct=None, model_tags=tags(("team", "agents")))
    import_job(E1, "import-mistral-nemo", "mistral-nemo-12b", "Failed", "2025-04-09T17:00:00.000Z", 9,
               failure="The model configuration file config.json is missing from s3://acme-bedrock-us-east-1/import/"
                       "mistral-nemo-12b/.", tag_list=tags(("team", "research")))
    import_job(W2, "import-deepseek-distill", "deepseek-r1-distill-8b", "Completed", "2025-02-14T14:02:14.214Z", 44,
               "llama3", model_tags=tags(("team", "research"), ("project", "reasoning")))
    import_job(W2, "import-flan-t5", "flan-t5-xl", "Completed", "2024-10-10T10:10:10.010Z", 18, "t5",
               instruct=False, model_tags=())
    import_job(W2, "import-llama70-ads", "llama-ads-70b", "InProgress", "2025-06-26T06:26:00.626Z", 12,
               tag_list=tags(("team", "marketing")))
    import_job(EU, "import-gdpr-llama", "gdpr-llama-3b", "Completed", "2024-11-11T11:11:11.111Z", 22, "llama3",
               kms=KMS_EU, model_tags=tags(("team", "privacy"), ("data-residency", "eu")))
    import_job(EU, "import-gdpr-mistral", "gdpr-mistral-7b", "Completed", "2025-01-08T08:08:08.808Z", 27, "mistral",
               model_tags=tags(("team", "privacy")))

    # ---- custom model deployments ---------------------------------------------------------
    def deployment(region, name, model, status, created, minutes, description=None, update=None, failure=None,
                   tag_list=()):
        rid = E.hid("deploy", region, name)
        g = {"customModelDeploymentArn": arn(region, "custom-model-deployment", rid), "modelDeploymentName": name,
             "modelArn": model["modelArn"], "createdAt": created, "status": status}
        if description:
            g["description"] = description
        if update:
            g["updateDetails"] = {"modelArn": update["modelArn"], "updateStatus": "Updating"}
        if failure:
            g["failureMessage"] = failure
        if status != "Creating":
            g["lastUpdatedAt"] = later(created, minutes)
        s = {"customModelDeploymentArn": g["customModelDeploymentArn"], "customModelDeploymentName": name,
             "modelArn": model["modelArn"], "createdAt": created, "status": status}
        for k in ("lastUpdatedAt", "failureMessage"):
            if k in g:
                s[k] = g[k]
        add("custom_model_deployments", region, s, g, tag_list)

    deployment(E1, "titan-support-prod", sup1, "Active", "2024-01-10T12:00:00.012Z", 20,
               description="Support assistant model, on demand", update=sup2,
               tag_list=tags(("team", "support-ml"), ("env", "prod")))
    deployment(E1, "nova-agents-dev", m(E1, "nova-pro-ft-agents-model"), "Creating", "2025-06-27T18:00:00.180Z", 0,
               tag_list=tags(("team", "agents"), ("env", "dev")))
    deployment(E1, "llama-search-v3", m(E1, "llama3-1-ft-v3-model"), "Failed", "2024-07-16T09:00:00.900Z", 6,
               failure="The custom model is not supported for on-demand deployment.")
    deployment(W2, "ads-copy-prod", m(W2, "titan-ads-ft-001-model"), "Active", "2024-02-05T05:05:05.500Z", 15,
               description="Ad copy generator", tag_list=tags(("team", "marketing")))
    deployment(W2, "mistral-import-prod", m(W2, "mistral-import-7b-model"), "Active", "2024-12-14T14:14:14.014Z", 12)
    deployment(EU, "gdpr-assistant", m(EU, "titan-gdpr-ft-001-model"), "Active", "2024-03-14T14:00:00.140Z", 18,
               description="GDPR request assistant", tag_list=tags(("team", "privacy"), ("data-residency", "eu")))
    deployment(EU, "legal-euw1-staging", m(EU, "claude-haiku-legal-euw1"), "Creating", "2025-06-30T07:00:00.700Z", 0,
               tag_list=tags(("team", "legal-ai"), ("env", "staging")))

    # ---- inference profiles ---------------------------------------------------------------
    profiles = {}

    def profile(region, pid, name, ptype, model_arns, created, description=None, tag_list=()):
        kind = "inference-profile" if ptype == "SYSTEM_DEFINED" else "application-inference-profile"
        s = {"inferenceProfileName": name}
        if description:
            s["description"] = description
        s["createdAt"] = created
        s["updatedAt"] = later(created, 60 * 24 * 3)
        s["inferenceProfileArn"] = arn(region, kind, pid)
        s["models"] = [{"modelArn": a} for a in model_arns]
        s["inferenceProfileId"] = pid
        s["status"] = "ACTIVE"
        s["type"] = ptype
        add("inference_profiles", region, s, s, tag_list, rid=pid)
        profiles[(region, pid)] = s
        return s

    profile(E1, "us." + HAIKU, "US Anthropic Claude 3 Haiku", "SYSTEM_DEFINED",
            [fm(E1, HAIKU), fm(W2, HAIKU)], "2024-08-27T00:00:00.000Z",
            description="Routes requests to Claude 3 Haiku in us-east-1 and us-west-2.")
    profile(E1, "us." + LLAMA8, "US Meta Llama 8B Instruct", "SYSTEM_DEFINED",
            [fm(E1, LLAMA8), fm(W2, LLAMA8)], "2024-09-24T00:00:00.000Z",
            description="Routes requests to Llama 3.1 8B Instruct in us-east-1 and us-west-2.")
    support_app = profile(E1, E.hid("app-profile", E1, "support-bot-haiku"), "support-bot-haiku", "APPLICATION",
                          [fm(E1, HAIKU)], "2024-10-02T16:20:00.162Z", description="Support bot traffic for cost tracking",
                          tag_list=tags(("team", "support-ml"), ("cost-center", "CC-1042")))
    profile(E1, E.hid("app-profile", E1, "agents-sonnet"), "agents-sonnet", "APPLICATION", [fm(E1, SONNET)],
            "2025-01-15T15:15:15.151Z", tag_list=tags(("team", "agents")))
    profile(W2, "us." + HAIKU, "US Anthropic Claude 3 Haiku", "SYSTEM_DEFINED",
            [fm(E1, HAIKU), fm(W2, HAIKU)], "2024-08-27T00:00:00.000Z",
            description="Routes requests to Claude 3 Haiku in us-east-1 and us-west-2.")
    profile(W2, E.hid("app-profile", W2, "ads-haiku"), "ads-haiku", "APPLICATION", [fm(W2, HAIKU)],
            "2024-11-20T10:00:00.100Z", description="Ad copy traffic", tag_list=tags(("team", "marketing")))
    profile(EU, "eu." + SONNET, "EU Anthropic Claude Sonnet", "SYSTEM_DEFINED",
            [fm(EU, SONNET), fm("eu-central-1", SONNET)], "2024-08-27T00:00:00.000Z",
            description="Routes requests to Claude 3.5 Sonnet in eu-west-1 and eu-central-1.")
    profile(EU, "eu." + HAIKU, "EU Anthropic Claude 3 Haiku", "SYSTEM_DEFINED",
            [fm(EU, HAIKU), fm("eu-central-1", HAIKU)], "2024-08-27T00:00:00.000Z")
    profile(EU, E.hid("app-profile", EU, "privacy-haiku"), "privacy-haiku", "APPLICATION", [fm(EU, HAIKU)],
            "2025-02-25T12:25:00.225Z", description="Privacy team traffic",
            tag_list=tags(("team", "privacy"), ("data-residency", "eu")))

    # ---- guardrails: one record per version -----------------------------------------------
    def guardrail(region, name, versions, created, description=None, kms=None, cross=None, tag_list=(),
                  failed=False):
        gid = E.hid("guardrail", region, name)
        garn = arn(region, "guardrail", gid)
        for i, (version, status, updated) in enumerate(versions):
            g = {"name": name}
            if description:
                g["description"] = description
            g.update({"guardrailId": gid, "guardrailArn": garn, "version": version, "status": status})
            g["topicPolicy"] = {"topics": [{"name": "Investment advice", "definition": "Recommendations about "
                                            "stocks, funds or other investments.", "examples": [
                                                "Which stocks should I buy?"], "type": "DENY", "inputAction": "BLOCK",
                                            "outputAction": "BLOCK", "inputEnabled": True, "outputEnabled": True}],
                                "tier": {"tierName": "CLASSIC"}}
            g["contentPolicy"] = {"filters": [
                {"type": t, "inputStrength": "HIGH", "outputStrength": "HIGH" if t != "PROMPT_ATTACK" else "NONE",
                 "inputModalities": ["TEXT"], "outputModalities": ["TEXT"], "inputAction": "BLOCK",
                 "outputAction": "BLOCK", "inputEnabled": True, "outputEnabled": t != "PROMPT_ATTACK"}
                for t in ("HATE", "INSULTS", "PROMPT_ATTACK")], "tier": {"tierName": "STANDARD"}}
            if i % 2 == 0:
                g["wordPolicy"] = {"words": [{"text": "acme-internal", "inputAction": "BLOCK", "outputAction": "BLOCK",
                                              "inputEnabled": True, "outputEnabled": True}],
                                   "managedWordLists": [{"type": "PROFANITY", "inputAction": "BLOCK",
                                                         "outputAction": "BLOCK", "inputEnabled": True,
                                                         "outputEnabled": True}]}
            g["sensitiveInformationPolicy"] = {
                "piiEntities": [{"type": "EMAIL", "action": "ANONYMIZE", "inputAction": "ANONYMIZE",
                                 "outputAction": "ANONYMIZE", "inputEnabled": True, "outputEnabled": True}],
                "regexes": [{"name": "ticket-id", "description": "Support ticket numbers",
                             "pattern": "TICKET-[0-9]{6}", "action": "ANONYMIZE"}]}
            g["contextualGroundingPolicy"] = {"filters": [{"type": "GROUNDING", "threshold": 0.75, "action": "BLOCK",
                                                           "enabled": True}]}
            if cross:
                g["crossRegionDetails"] = {"guardrailProfileId": cross,
                                           "guardrailProfileArn": arn(region, "guardrail-profile", cross)}
            g["createdAt"] = created
            g["updatedAt"] = updated
            if failed and version == "DRAFT":
                g["statusReasons"] = ["The KMS key could not be used to encrypt the guardrail."]
                g["failureRecommendations"] = ["Grant the Bedrock service role kms:Decrypt on the key."]
            g["blockedInputMessaging"] = "Sorry, I can't help with that request."
            g["blockedOutputsMessaging"] = "Sorry, I can't share that answer."
            if kms:
                g["kmsKeyArn"] = kms
            s = {"id": gid, "arn": garn, "status": status, "name": name}
            if description:
                s["description"] = description
            s.update({"version": version, "createdAt": created, "updatedAt": updated})
            if cross:
                s["crossRegionDetails"] = g["crossRegionDetails"]
            add("guardrails", region, s, g, tag_list, rid=gid)

    guardrail(E1, "support-pii-guard", [("DRAFT", "READY", "2025-05-05T10:00:00.100Z"),
                                        ("1", "READY", "2024-07-01T09:00:00.090Z"),
                                        ("2", "READY", "2025-01-10T10:10:00.101Z")],
              "2024-07-01T08:00:00.080Z", description="Blocks investment advice and masks e-mail addresses",
              tag_list=tags(("team", "support-ml"), ("aws:cloudformation:stack-name", "support-bot-stack")))
    guardrail(E1, "legal-topics-guard", [("DRAFT", "FAILED", "2025-04-04T04:04:04.404Z")],
              "2025-04-04T04:00:00.400Z", kms=KMS_E1, failed=True, tag_list=tags(("team", "legal-ai")))
    guardrail(W2, "ads-brand-guard", [("DRAFT", "READY", "2025-03-01T12:00:00.120Z"),
                                      ("1", "READY", "2024-12-01T12:00:00.120Z")],
              "2024-12-01T11:00:00.110Z", description="Brand safety for ad copy", tag_list=tags(("team", "marketing")))
    guardrail(EU, "gdpr-guard", [("DRAFT", "UPDATING", "2025-06-30T09:00:00.090Z"),
                                 ("1", "READY", "2024-09-09T09:09:09.090Z")],
              "2024-09-09T09:00:00.900Z", description="Masks personal data", kms=KMS_EU, cross="eu.guardrail.v1:0",
              tag_list=tags(("team", "privacy"), ("data-residency", "eu")))

    # ---- prompt routers -------------------------------------------------------------------
    def router(region, name, rtype, rid, targets, fallback, quality, created, description=None, tag_list=()):
        kind = "default-prompt-router" if rtype == "default" else "prompt-router"
        s = {"promptRouterName": name, "routingCriteria": {"responseQualityDifference": quality}}
        if description:
            s["description"] = description
        s["createdAt"] = created
        s["updatedAt"] = later(created, 60)
        s["promptRouterArn"] = arn(region, kind, rid)
        s["models"] = [{"modelArn": t} for t in targets]
        s["fallbackModel"] = {"modelArn": fallback}
        s["status"] = "AVAILABLE"
        s["type"] = rtype
        add("prompt_routers", region, s, s, tag_list)

    def sysprof(region, pid):
        return profiles[(region, pid)]["inferenceProfileArn"]

    router(E1, "Anthropic Prompt Router", "default", "anthropic.claude:1",
           [sysprof(E1, "us." + HAIKU), fm(E1, SONNET)], sysprof(E1, "us." + HAIKU), 0.0, "2024-11-20T00:00:00.000Z",
           description="Routes between Claude 3 Haiku and Claude 3.5 Sonnet")
    router(E1, "Meta Prompt Router", "default", "meta.llama:1", [sysprof(E1, "us." + LLAMA8), fm(E1, LLAMA70)],
           fm(E1, LLAMA70), 0.0, "2024-11-20T00:00:00.000Z", description="Routes between Llama 3.1 8B and 70B")
    router(E1, "support-router", "custom", E.hid("router", E1, "support-router"),
           [support_app["inferenceProfileArn"], fm(E1, SONNET)], support_app["inferenceProfileArn"], 12.5,
           "2025-02-12T12:12:12.121Z", tag_list=tags(("team", "support-ml")))
    router(W2, "Anthropic Prompt Router", "default", "anthropic.claude:1", [sysprof(W2, "us." + HAIKU), fm(W2, HAIKU)],
           sysprof(W2, "us." + HAIKU), 0.0, "2024-11-20T00:00:00.000Z",
           description="Routes between Claude 3 Haiku models")
    router(W2, "ads-router", "custom", E.hid("router", W2, "ads-router"), [fm(W2, HAIKU), fm(W2, MISTRAL)],
           fm(W2, MISTRAL), 25.0, "2025-03-20T08:00:00.080Z", description="Cheap ad copy first",
           tag_list=tags(("team", "marketing"), ("cost-center", "CC-4410")))
    router(EU, "Anthropic Prompt Router", "default", "anthropic.claude:1",
           [sysprof(EU, "eu." + HAIKU), sysprof(EU, "eu." + SONNET)], sysprof(EU, "eu." + HAIKU), 0.0,
           "2024-11-20T00:00:00.000Z", description="Routes between Claude 3 Haiku and Claude 3.5 Sonnet")
    router(EU, "privacy-router", "custom", E.hid("router", EU, "privacy-router"),
           [sysprof(EU, "eu." + HAIKU), fm(EU, HAIKU)], fm(EU, HAIKU), 5.0, "2025-05-05T05:55:00.555Z",
           tag_list=tags(("team", "privacy")))

    # ---- marketplace model endpoints ------------------------------------------------------
    def endpoint(region, name, model, status, created, endpoint_status, instance, count=1, message=None, kms=None,
                 vpc=False, endpoint_message=None):
        s = {"endpointArn": "arn:aws:sagemaker:%s:%s:endpoint/%s" % (region, A, name),
             "modelSourceIdentifier": "arn:aws:sagemaker:%s:aws:hub-content/SageMakerPublicHub/Model/%s" % (region, model)}
        if status:
            s["status"] = status
        if message:
            s["statusMessage"] = message
        s["createdAt"] = created
        s["updatedAt"] = later(created, 30)
        sm = {"initialInstanceCount": count, "instanceType": instance, "executionRole": role("SageMakerEndpointRole")}
        if kms:
            sm["kmsEncryptionKey"] = kms
        if vpc:
            sm["vpc"] = dict(VPC)
        g = dict(s, endpointConfig={"sageMaker": sm}, endpointStatus=endpoint_status)
        if endpoint_message:
            g["endpointStatusMessage"] = endpoint_message
        add("marketplace_model_endpoints", region, s, g)

    endpoint(E1, "solar-pro-endpoint", "upstage-solar-pro/2.1.0", "REGISTERED", "2025-01-06T06:06:06.060Z",
             "InService", "ml.g5.12xlarge", kms=KMS_E1, vpc=True)
    endpoint(E1, "arcee-lite-endpoint", "arcee-lite/1.0.2", "REGISTERED", "2025-02-07T07:07:07.070Z", "InService",
             "ml.g5.2xlarge", count=2)
    endpoint(E1, "legacy-gpt-j-endpoint", "huggingface-textgeneration1-gpt-j-6b/3.0.0", "INCOMPATIBLE_ENDPOINT",
             "2024-09-19T19:09:19.190Z", "InService", "ml.g4dn.xlarge",
             message="The endpoint's model is not supported by Amazon Bedrock.")
    endpoint(W2, "writer-palmyra-endpoint", "writer-palmyra-x4/1.1.0", "REGISTERED", "2025-03-03T13:33:33.330Z",
             "InService", "ml.p4d.24xlarge")
    endpoint(W2, "evolutionary-scale-endpoint", "evolutionaryscale-esm3/1.0.0", None, "2025-06-21T21:21:21.210Z",
             "Creating", "ml.g5.2xlarge", endpoint_message="Endpoint is being created.")
    endpoint(EU, "eu-solar-mini-endpoint", "upstage-solar-mini/2.0.0", "REGISTERED", "2025-04-14T14:41:14.140Z",
             "InService", "ml.g5.2xlarge", kms=KMS_EU)
    endpoint(EU, "eu-failed-endpoint", "arcee-lite/1.0.2", "INCOMPATIBLE_ENDPOINT", "2025-05-15T15:51:15.150Z",
             "Failed", "ml.g5.2xlarge", message="The endpoint failed to deploy.",
             endpoint_message="Insufficient capacity for ml.g5.2xlarge.")
    return out
