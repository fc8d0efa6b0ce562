// Runtime-neutral entry of @vault-tuner/shared: safe to bundle into the Obsidian plugin (no Node builtins).
export { CONTEXT_FIELDS, CONTEXT_MIN_LENGTHS, ContextSchema, type Context, type ContextField } from "./schemas/context";
export { cutJson, jsonDepth, MAX_JSON_DEPTH, type JsonCutLimits } from "./schemas/json-limits";
export {
  CALL_FORMS,
  CallFormSchema,
  JsonObjectSchema,
  ToolCallSchema,
  type CallForm,
  type JsonObject,
  type ToolCall,
} from "./schemas/tool-call";
export {
  ChatMessageSchema,
  KtoRecordSchema,
  MESSAGE_ROLES,
  OpenAiChatRecordSchema,
  OpenAiToolCallSchema,
  SeedChatRecordSchema,
  type ChatMessage,
  type KtoRecord,
  type OpenAiChatRecord,
  type OpenAiToolCall,
  type SeedChatRecord,
} from "./schemas/dataset";
export {
  LABELS,
  LabelSchema,
  LabelValueSchema,
  McpToolSchema,
  ToolResultSchema,
  ToolsListResultSchema,
  TraceSchema,
  TraceSourceSchema,
  type Label,
  type LabelValue,
  type McpTool,
  type ToolResult,
  type ToolsListResult,
  type Trace,
  type TraceSource,
} from "./schemas/trace";

export {
  CatalogSchema,
  type Catalog,
  type CatalogCommand,
  type CatalogTool,
  type ContextStyle,
  type JsonSchema,
} from "./catalog/catalog-types";
export {
  BUILTIN_CATALOG_IDS,
  BUILTIN_CATALOG_NAMES,
  DEFAULT_CATALOG_ID,
  builtinCatalog,
  builtinCatalogWithTool,
  builtinNexusCatalogs,
} from "./catalog/builtin-catalogs";
export { LATEST_NEXUS_VERSION, NEXUS_VERSIONS, remembersWorkspace, type NexusVersion } from "./catalog/nexus-versions";
export { nexusReleaseFor, type NexusMatch, type NexusRelease } from "./catalog/nexus-release";
export { catalogFromToolsList } from "./catalog/recorded-catalog";
export { schemaProperties, schemaRequired, wireTools } from "./catalog/wire-form";
export { catalogHasTool, resolveTool, type ResolvedTool } from "./catalog/resolve-tool";
export { checkAgainstSchema, isObject, type SchemaFinding } from "./catalog/json-schema";

export { scanJsonValue, skipWhitespace, type JsonScan } from "./codecs/json-scanner";
export { pythonJsonDumps } from "./codecs/python-json";
export type { CallParseError, ExtractedCalls, ParsedCall } from "./codecs/parsed-call";
export {
  parseSeedText,
  renderSeedText,
  renderSeedTextCall,
  extractSeedTextCalls,
  type SeedTextSegment,
} from "./codecs/seed-text";
export { extractOpenAiCalls, renderOpenAiCalls } from "./codecs/openai";
export { extractHermesCalls, renderHermesCalls, renderHermesResponse } from "./codecs/hermes";
export { extractMistralCalls, renderMistralCalls, renderMistralResults } from "./codecs/mistral";
export { extractCalls, extractTextCalls } from "./codecs/extract-calls";
export {
  commandsOfAgent,
  findCommand,
  kebabName,
  parseToolString,
  splitSegments,
  type CommandLineError,
  type ParsedSegment,
  type ParsedToolString,
} from "./codecs/nexus-command-line";
export { renderCommand } from "./codecs/nexus-command-render";

export { RULES, type RuleId, type RuleInfo } from "./validator/rules";
export type { ValidationIssue } from "./validator/issue";
export { PROFILES, type Profile } from "./validator/profiles";
export { inspectRecord, type RecordInspection } from "./validator/inspect-record";
export { validateCall, type CallCheckOptions } from "./validator/validate-call";
export {
  DatasetValidator,
  placeIssue,
  withoutBom,
  type LineResult,
  type RuleCount,
  type ValidationSummary,
  type ValidatorOptions,
} from "./validator/dataset-validator";
export { readSessionContext, type SessionContextIds } from "./validator/session-context";
export { CoverageCounter, type AgentCoverage, type CoverageReport, type ToolCount } from "./coverage/coverage";

export { canonicalJson } from "./api/canonical-json";
export { ApiErrorBodySchema, ApiIssueSchema, type ApiErrorBody, type ApiIssue } from "./api/errors";
export {
  CorrectionSchema,
  LabelChangeSchema,
  MAX_TRACE_PAGE,
  MAX_TRACES_PER_POST,
  PostToolsetReplySchema,
  PostTracesBodySchema,
  FAILED_CALL_REASON,
  PostTracesReplySchema,
  PutLabelBodySchema,
  StoredTraceSchema,
  SuggestionSchema,
  TraceDetailSchema,
  TraceFilterSchema,
  TraceIdParamsSchema,
  ToolsetHashParamsSchema,
  TraceListQuerySchema,
  TraceListReplySchema,
  type Correction,
  type LabelChange,
  type PostTracesBody,
  type StoredTrace,
  type Suggestion,
  type TraceDetail,
  type TraceFilter,
  type TraceListQuery,
  type TraceListReply,
} from "./api/traces-api";
export { DaemonEventSchema, type DaemonEvent, type DaemonEventType } from "./api/events";
export {
  BALANCE_MODES,
  DATASET_FORMATS,
  DatasetBuildRequestSchema,
  DatasetCardSchema,
  DatasetDownloadQuerySchema,
  DatasetNameParamsSchema,
  DATASET_WORK_SUFFIXES,
  DatasetNameSchema,
  MUTATION_KINDS,
  NEXUS_ONLY_MUTATIONS,
  type DatasetBuildOptions,
  type DatasetBuildRequest,
  type DatasetCard,
  type DatasetFormat,
  type MutationKind,
} from "./api/datasets-api";

export {
  ClientConfigError,
  findVaultEntry,
  isTapped,
  serverKeys,
  tappedEntry,
  untappedEntry,
  vaultSlug,
  type ClientConfig,
  type ServerEntry,
} from "./recorder/client-config";
export { ExportedFileSchema, TrainEventSchema, type ExportedFile, type TrainEvent } from "./api/train-progress";
export {
  DEFAULT_DEPLOY_FILE,
  DeployJobRequestSchema,
  EvalGateSchema,
  EvalJobRequestSchema,
  ExportJobRequestSchema,
  FINISHED_STATES,
  JOB_KINDS,
  JOB_STATES,
  JobIdParamsSchema,
  JobIdSchema,
  JobListQuerySchema,
  JobLogQuerySchema,
  JobProgressSchema,
  JobRequestSchema,
  JobSchema,
  JobStateSchema,
  PipelineJobRequestSchema,
  PublishJobRequestSchema,
  QUANT_CHECK_ROWS,
  TrainJobRequestSchema,
  type DeployJobRequest,
  type EvalJobRequest,
  type ExportJobRequest,
  type Job,
  type JobProgress,
  type JobRequest,
  type JobState,
  type PipelineJobRequest,
  type PublishJobRequest,
  type TrainJobRequest,
} from "./api/jobs-api";
export {
  DEFAULT_PUBLISH_PARTS,
  HubRepoSchema,
  PUBLISH_PARTS,
  PublishFileSchema,
  PublishOptionsSchema,
  PublishPlanSchema,
  type PublishFile,
  type PublishOptions,
  type PublishPart,
  type PublishPlan,
} from "./api/publish-api";
export {
  DEFAULT_EXPORT_QUANTS,
  DTYPE_FILES,
  EVAL_BACKENDS,
  EXPORT_DTYPES,
  QUANTS,
  TRAIN_BACKENDS,
  TRAIN_DEVICES,
  TRAIN_MODES,
} from "./api/job-options";
export { formatDuration, jobProgressText } from "./api/job-progress-text";
export { ChatAnswerSchema, ChatRequestSchema } from "./api/chat-api";

export {
  ArgConstraintSchema,
  CASE_KINDS,
  EvalCaseSchema,
  EvalMessageSchema,
  ExpectedCallSchema,
  FileExpectationSchema,
  MEMORY_COLLECTIONS,
  PROMPT_SET_FORMAT,
  PromptSetSchema,
  VaultExpectationSchema,
  VaultFixtureSchema,
  type ArgConstraint,
  type EvalCase,
  type EvalCaseInput,
  type EvalMessage,
  type ExpectedCall,
  type FileExpectation,
  type MemoryCollection,
  type PromptSet,
  type PromptSetInput,
  type VaultExpectation,
  type VaultFixture,
} from "./eval/prompt-set";
export {
  BackendInfoSchema,
  CHECK_DESCRIPTIONS,
  CHECKS,
  EvalRecordSchema,
  EvalReportSchema,
  EvalSummarySchema,
  REPORT_FORMAT,
  TrainingInfoSchema,
  type BackendInfo,
  type CheckName,
  type CheckResult,
  type EvalRecord,
  type EvalReport,
  type EvalSummary,
  type Rate,
  type TrainingInfo,
} from "./eval/report";
export {
  EvalCompareQuerySchema,
  EvalRunIdParamsSchema,
  EvalRunRequestSchema,
  EvalRunSummarySchema,
  PromptSetListItemSchema,
  RecordedSetRequestSchema,
  type EvalRunSummary,
} from "./api/evals-api";
export {
  RECORDER_CLIENTS,
  RecorderReplySchema,
  RecorderRequestSchema,
  type RecorderReply,
  type RecorderRequest,
} from "./api/recorder-api";
export {
  addressUrl,
  DAEMON_ADDRESS_FILE,
  DEFAULT_DAEMON_PORT,
  DEFAULT_DAEMON_URL,
  type DaemonAddress,
} from "./api/daemon-address";
export { ROUTES, type Route, type RouteName, type RouteReply, type Routes } from "./api/routes";
export {
  callRoute,
  httpTransport,
  RouteInputError,
  RouteReplyError,
  routeUrl,
  type RouteInput,
  type RouteResult,
  type FetchLike,
  type Transport,
} from "./api/route-client";
export { PlatformSchema, type Platform } from "./api/platform-api";
export {
  EmbeddedDeploymentSchema,
  FileVerdictSchema,
  ModelIdParamsSchema,
  ModelNameSchema,
  ModelsReplySchema,
  RegisteredModelSchema,
  type ModelsReply,
  type RegisteredModel,
} from "./api/models-api";
export { JobDetailSchema, JobMetricsReplySchema, type JobMetricsReply } from "./api/jobs-api";
export { RecordedSetReplySchema, ReportComparisonSchema, type ReportComparison } from "./api/evals-api";
export { EvalEventSchema, StepEventSchema } from "./api/train-progress";
export { formatRate } from "./eval/format-rate";
export { formatBytes } from "./format-bytes";
export { describeError } from "./describe-error";
