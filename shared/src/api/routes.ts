import { z } from "zod";
import { ChatAnswerSchema, ChatRequestSchema } from "./chat-api";
import {
  DatasetBuildRequestSchema,
  DatasetCardSchema,
  DatasetDownloadQuerySchema,
  DatasetNameParamsSchema,
} from "./datasets-api";
import {
  EvalCompareQuerySchema,
  EvalRunIdParamsSchema,
  EvalRunRequestSchema,
  EvalRunSummarySchema,
  PromptSetListItemSchema,
  RecordedSetReplySchema,
  RecordedSetRequestSchema,
  ReportComparisonSchema,
} from "./evals-api";
import { EvalReportSchema } from "../eval/report";
import {
  JobDetailSchema,
  JobIdParamsSchema,
  JobListQuerySchema,
  JobLogQuerySchema,
  JobMetricsReplySchema,
  JobRequestSchema,
  JobSchema,
} from "./jobs-api";
import { ModelIdParamsSchema, ModelNameSchema, ModelsReplySchema, RegisteredModelSchema } from "./models-api";
import { PlatformSchema } from "./platform-api";
import { PublishOptionsSchema, PublishPlanSchema } from "./publish-api";
import { RecorderReplySchema, RecorderRequestSchema } from "./recorder-api";
import {
  PostToolsetReplySchema,
  PostTracesBodySchema,
  PostTracesReplySchema,
  PutLabelBodySchema,
  TraceDetailSchema,
  TraceIdParamsSchema,
  ToolsetHashParamsSchema,
  TraceListQuerySchema,
  TraceListReplySchema,
} from "./traces-api";
import { ToolsListResultSchema } from "../schemas/trace";

/** What a route answers on success: JSON checked by a schema, plain text, a file, or a websocket. */
export type RouteReply = z.ZodType | "text" | "file" | "websocket";

/** One route of the daemon's HTTP API: the daemon registers it from here and the clients call it from here. */
export interface Route {
  method: "GET" | "POST" | "PUT";
  /** The path, with `:name` for each parameter. */
  path: string;
  /** One line for the API reference. */
  summary: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The success statuses, the usual one first. */
  statuses: readonly number[];
  reply: RouteReply;
  /** Health is the one route that needs no token. */
  open?: boolean;
}

const route = <R extends Route>(spec: R): R => spec;
const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** Every route of the daemon's HTTP API. The table in `docs/http-api.md` is written from this one (a test keeps it current). */
export const ROUTES = {
  health: route({
    method: "GET",
    path: "/v1/health",
    summary:
      '`{status: "ok", version, quarantined}`, no token needed; `quarantined` counts records the daemon could not take, set aside in `<data dir>/quarantine/records.jsonl` with the reason.',
    statuses: [200],
    reply: z.object({
      status: z.literal("ok"),
      version: z.string(),
      /** Records set aside (a spooled line that could not be imported, a stored row that could not be read). */
      quarantined: z.number().int(),
    }),
    open: true,
  }),
  platform: route({
    method: "GET",
    path: "/v1/platform",
    summary:
      "What this machine trains on (NVIDIA by `nvidia-smi`, Apple Silicon, or CPU), why, and the largest preset that fits.",
    statuses: [200],
    reply: PlatformSchema,
  }),
  events: route({
    method: "GET",
    path: "/v1/events",
    summary:
      "Websocket (token in the header or `?token=`): `hello`, `trace.created`, `trace.labelled`, `dataset.progress`, `dataset.built`, `job.state`, `job.progress`, typed in `shared/src/api/events.ts`.",
    statuses: [101],
    reply: "websocket",
  }),
  postTraces: route({
    method: "POST",
    path: "/v1/traces",
    summary:
      '`{"traces": [Trace, ...]}` (1 to 1,000) -> 201 `{"ids"}`, sent only once the rows are synced to disk; a trace whose `id` is stored already is kept as it was (retries are safe); ids the batch carried twice are stored once and listed in `repeated`.',
    body: PostTracesBodySchema,
    statuses: [201],
    reply: PostTracesReplySchema,
  }),
  listTraces: route({
    method: "GET",
    path: "/v1/traces",
    summary:
      'Newest first, `?label=&tool=&session=&q=&failed=&suggested=undesirable&limit=(1-100)&cursor=` -> `{"items", "nextCursor"}`; a call too large to list whole is a preview (texts over 2,000 characters, arrays over 50 items and values nested deeper than 16 cut, each said in place) marked `cut: true`.',
    query: TraceListQuerySchema,
    statuses: [200],
    reply: TraceListReplySchema,
  }),
  getTrace: route({
    method: "GET",
    path: "/v1/traces/:id",
    summary: "The trace, its label, note, correction and the history of label changes.",
    params: TraceIdParamsSchema,
    statuses: [200],
    reply: TraceDetailSchema,
  }),
  labelTrace: route({
    method: "PUT",
    path: "/v1/traces/:id/label",
    summary:
      '`{"label", "note"?, "correction"?: {"name"?, "arguments"}}`; a change names only what it changes: a note or correction left out is kept, `null` (or an empty note) clears it; a correction only goes with "undesirable" (another label drops it) and becomes a paired desirable example.',
    params: TraceIdParamsSchema,
    body: PutLabelBodySchema,
    statuses: [200],
    reply: TraceDetailSchema,
  }),
  postToolset: route({
    method: "POST",
    path: "/v1/toolsets",
    summary:
      "A `tools/list` result, stored once under its content hash (sha256 of its key-sorted JSON): 201 new, 200 known.",
    body: ToolsListResultSchema,
    statuses: [201, 200],
    reply: PostToolsetReplySchema,
  }),
  getToolset: route({
    method: "GET",
    path: "/v1/toolsets/:hash",
    summary:
      "A stored `tools/list` result by its hash (a trace's `toolsetHash`), so a call is checked against the tools its session saw; 404 when none is stored.",
    params: ToolsetHashParamsSchema,
    statuses: [200],
    reply: ToolsListResultSchema,
  }),
  buildDataset: route({
    method: "POST",
    path: "/v1/datasets",
    summary:
      "Builds a dataset on its own thread, so recording goes on meanwhile -> 201 and its card; 409 if the name exists without `overwrite` or is being built.",
    body: DatasetBuildRequestSchema,
    statuses: [201],
    reply: DatasetCardSchema,
  }),
  listDatasets: route({
    method: "GET",
    path: "/v1/datasets",
    summary: "The cards of built datasets.",
    statuses: [200],
    reply: items(DatasetCardSchema),
  }),
  getDataset: route({
    method: "GET",
    path: "/v1/datasets/:name",
    summary: "One built dataset's card.",
    params: DatasetNameParamsSchema,
    statuses: [200],
    reply: DatasetCardSchema,
  }),
  downloadDataset: route({
    method: "GET",
    path: "/v1/datasets/:name/download",
    summary:
      "Streams a file, `?split=train|holdout|card|dropped` (`dropped`: every record the build dropped, with its rule).",
    params: DatasetNameParamsSchema,
    query: DatasetDownloadQuerySchema,
    statuses: [200],
    reply: "file",
  }),
  submitJob: route({
    method: "POST",
    path: "/v1/jobs",
    summary:
      "Queues a train, export, deploy, eval or pipeline job -> 201 and the job; 400 naming the field when its dataset, run or export does not exist or is not finished.",
    body: JobRequestSchema,
    statuses: [201],
    reply: JobSchema,
  }),
  listJobs: route({
    method: "GET",
    path: "/v1/jobs",
    summary: "Jobs newest first (`?state=&kind=&limit=`).",
    query: JobListQuerySchema,
    statuses: [200],
    reply: items(JobSchema),
  }),
  getJob: route({
    method: "GET",
    path: "/v1/jobs/:id",
    summary: "One job with its state, progress, error, artefacts and the last 20 log lines.",
    params: JobIdParamsSchema,
    statuses: [200],
    reply: JobDetailSchema,
  }),
  jobLog: route({
    method: "GET",
    path: "/v1/jobs/:id/log",
    summary:
      "The job's whole log (text, `?tail=N` for its last lines): what the trainer printed, each progress event, each start and stop.",
    params: JobIdParamsSchema,
    query: JobLogQuerySchema,
    statuses: [200],
    reply: "text",
  }),
  jobMetrics: route({
    method: "GET",
    path: "/v1/jobs/:id/metrics",
    summary:
      "The training curves: every step event (loss, rewards chosen / rejected, KL, learning rate...) and eval event the trainer logged, once per step, in order.",
    params: JobIdParamsSchema,
    statuses: [200],
    reply: JobMetricsReplySchema,
  }),
  cancelJob: route({
    method: "POST",
    path: "/v1/jobs/:id/cancel",
    summary: "Cancels a queued or running job.",
    params: JobIdParamsSchema,
    statuses: [200],
    reply: JobSchema,
  }),
  resumeJob: route({
    method: "POST",
    path: "/v1/jobs/:id/resume",
    summary:
      "Queues an interrupted, failed or cancelled training job again, to continue from its last complete checkpoint; a pipeline goes on from its stopped step (409 for other states).",
    params: JobIdParamsSchema,
    statuses: [200],
    reply: JobSchema,
  }),
  listModels: route({
    method: "GET",
    path: "/v1/models",
    summary:
      "Every trained model: its name, dataset card, recipe, base, metrics, exported GGUF files with sha256 (and each file's quantization verdict, the recommended one), deploy history, and what the daemon serves now.",
    statuses: [200],
    reply: ModelsReplySchema,
  }),
  getModel: route({
    method: "GET",
    path: "/v1/models/:id",
    summary: "One trained model, by the training job that made it (404 for an unknown one).",
    params: ModelIdParamsSchema,
    statuses: [200],
    reply: RegisteredModelSchema,
  }),
  renameModel: route({
    method: "PUT",
    path: "/v1/models/:id/name",
    summary:
      "`{name}` (one line, up to 80 characters): the name the model goes by everywhere; 404 for an unknown model.",
    params: ModelIdParamsSchema,
    body: ModelNameSchema,
    statuses: [200],
    reply: RegisteredModelSchema,
  }),
  planPublish: route({
    method: "POST",
    path: "/v1/models/:id/publish-plan",
    summary:
      "`{repo, private, what, dataset}` -> every file a publish job with these options would upload (path in the repo, local file, bytes, kind), the model card's text, and whether any recorded call text is among them. Nothing is sent; 404 for an unknown model, 400 when a part asked for does not exist yet (no export for gguf or merged).",
    params: ModelIdParamsSchema,
    body: PublishOptionsSchema,
    statuses: [200],
    reply: PublishPlanSchema,
  }),
  chat: route({
    method: "POST",
    path: "/v1/chat",
    summary:
      '`{messages, tools}` -> `{content, toolCalls, backend: "embedded", gguf}` from the model deployed into the daemon (409 when none is).',
    body: ChatRequestSchema,
    statuses: [200],
    reply: ChatAnswerSchema,
  }),
  runEval: route({
    method: "POST",
    path: "/v1/evals",
    summary: "Queues an evaluation job (`{set, backend, model, url?, repeat, cases?, gate?...}`) -> 201 and the job.",
    body: EvalRunRequestSchema,
    statuses: [201],
    reply: JobSchema,
  }),
  listEvalSets: route({
    method: "GET",
    path: "/v1/evals/sets",
    summary: "The prompt sets: built-in, imported and recorded.",
    statuses: [200],
    reply: items(PromptSetListItemSchema),
  }),
  makeRecordedSet: route({
    method: "POST",
    path: "/v1/evals/sets/recorded",
    summary:
      '`{dataset, id?: "recorded"}`: the recorded prompt set from that dataset\'s holdout -> 201 `{id, title, cases, source, skipped}`.',
    body: RecordedSetRequestSchema,
    statuses: [201],
    reply: RecordedSetReplySchema,
  }),
  listEvals: route({
    method: "GET",
    path: "/v1/evals",
    summary: "Stored runs with their summaries, newest first.",
    statuses: [200],
    reply: items(EvalRunSummarySchema),
  }),
  compareEvals: route({
    method: "GET",
    path: "/v1/evals/compare",
    summary: "Two runs compared case by case (`?a=&b=`), with the paired sign test.",
    query: EvalCompareQuerySchema,
    statuses: [200],
    reply: ReportComparisonSchema,
  }),
  getEval: route({
    method: "GET",
    path: "/v1/evals/:id",
    summary: "One run's full report.",
    params: EvalRunIdParamsSchema,
    statuses: [200],
    reply: EvalReportSchema,
  }),
  evalNote: route({
    method: "GET",
    path: "/v1/evals/:id/note",
    summary: "One run's report as a Markdown note.",
    params: EvalRunIdParamsSchema,
    statuses: [200],
    reply: "text",
  }),
  installRecorder: route({
    method: "POST",
    path: "/v1/recorder/install",
    summary:
      "`{vault, client?, configPath?, tap?}`: the recorder installer (as `vault-tuner recorder install`) for the plugin's command; 400 for a relative vault or a tap that is not an existing `tap.cjs`, 409 when the client config is missing, broken or has no entry for the vault.",
    body: RecorderRequestSchema,
    statuses: [200],
    reply: RecorderReplySchema,
  }),
  uninstallRecorder: route({
    method: "POST",
    path: "/v1/recorder/uninstall",
    summary: "`{vault, client?, configPath?}`: puts the vault's server entry back as it was.",
    body: RecorderRequestSchema.omit({ tap: true }),
    statuses: [200],
    reply: RecorderReplySchema,
  }),
} as const;

export type Routes = typeof ROUTES;
export type RouteName = keyof Routes;
