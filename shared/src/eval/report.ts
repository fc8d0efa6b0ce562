import { z } from "zod";
import { EVAL_BACKENDS } from "../api/job-options";

/**
 * The evaluation report: machine-readable JSON that the CLI writes, the daemon stores and the plugin's
 * eval panel reads. The summary keeps the seed's fields (total, passed, failed, request_errors,
 * pass_rate) so old tooling still reads it, and adds the interval and the per-check breakdown.
 */
export const REPORT_FORMAT = "vault-tuner-eval-report/1";

export const CHECKS = [
  "parsed",
  "schema",
  "context",
  "ids",
  "selection",
  "arguments",
  "extra-calls",
  "final-state",
  "irrelevance",
  "finished",
] as const;
export type CheckName = (typeof CHECKS)[number];

/** What each check means, for reports and the eval panel. */
export const CHECK_DESCRIPTIONS: Record<CheckName, string> = {
  parsed: "every call the reply writes can be read (any call form)",
  schema:
    "each call names a catalog tool with valid parameters: required present, none unexpected, right types and values",
  context: "each call carries a complete context object with a non-empty sessionMemory",
  ids: "session and workspace ids are the ones the session context gives",
  selection: "the expected tools are called (in order where the case says so)",
  arguments: "the expected calls carry the expected argument values",
  "extra-calls": "no writing or destructive call beyond what the case expects or allows",
  "final-state": "the sandbox vault ends exactly as expected, nothing else changed",
  irrelevance: "a request that needs no tool gets no call",
  finished: "the model gave its answer within the turn limit",
};

export const CheckResultSchema = z.object({ status: z.enum(["pass", "fail", "n/a"]), reasons: z.array(z.string()) });
export type CheckResult = z.infer<typeof CheckResultSchema>;

export const RecordedCallSchema = z.object({
  turn: z.number().int(),
  form: z.string(),
  tool: z.string(),
  arguments: z.unknown(),
  /** The sandbox's answer, shortened; an error result starts with "❌ Error:" as the plugin's do. */
  result: z.string(),
  is_error: z.boolean(),
});

export const RequestStatSchema = z.object({
  latency_ms: z.number(),
  prompt_tokens: z.number().nullable(),
  completion_tokens: z.number().nullable(),
});

export const EvalRecordSchema = z.object({
  case_id: z.string(),
  attempt: z.number().int().min(1),
  kind: z.string(),
  tags: z.array(z.string()),
  /** The tools the case expects, for per-tool figures. */
  expected_tools: z.array(z.string()),
  status: z.enum(["passed", "failed", "request-error"]),
  checks: z.record(z.string(), CheckResultSchema),
  failure_reasons: z.array(z.string()),
  calls: z.array(RecordedCallSchema),
  final_answer: z.string(),
  turns: z.number().int(),
  requests: z.array(RequestStatSchema),
  error: z.string().optional(),
});
export type EvalRecord = z.infer<typeof EvalRecordSchema>;

const RateSchema = z.object({
  total: z.number(),
  passed: z.number(),
  rate: z.number().nullable(),
  ci95: z.tuple([z.number(), z.number()]),
});
export type Rate = z.infer<typeof RateSchema>;

export const EvalSummarySchema = z.object({
  /** Attempts: cases × repeats. */
  total: z.number(),
  passed: z.number(),
  failed: z.number(),
  request_errors: z.number(),
  /** passed / (total - request_errors); null when nothing was scored. */
  pass_rate: z.number().nullable(),
  pass_rate_ci95: z.tuple([z.number(), z.number()]),
  /** wilson (one try a case) or bootstrap over cases (several tries a case). */
  interval_method: z.enum(["wilson", "bootstrap-cases"]),
  cases: z.number(),
  repeats: z.number(),
  /** pass^k for k = 1..repeats: the chance that k tries of a case all pass. */
  pass_hat_k: z.record(z.string(), z.number()),
  by_check: z.record(z.string(), RateSchema),
  by_tool: z.record(z.string(), RateSchema),
  by_tag: z.record(z.string(), RateSchema),
  by_kind: z.record(z.string(), RateSchema),
  top_failure_reasons: z.array(z.object({ reason: z.string(), count: z.number() })),
  latency_ms: z.object({
    mean: z.number().nullable(),
    p50: z.number().nullable(),
    p95: z.number().nullable(),
    per_case_mean: z.number().nullable(),
  }),
  tokens: z.object({
    prompt: z.number(),
    completion: z.number(),
    per_case_mean: z.number().nullable(),
    counted: z.boolean(),
  }),
});
export type EvalSummary = z.infer<typeof EvalSummarySchema>;

export const BackendInfoSchema = z.object({
  /** `reference` replays each case's own reference solution: it checks a prompt set, not a model. */
  kind: z.enum([...EVAL_BACKENDS, "reference"]),
  model: z.string(),
  url: z.string().optional(),
  /** The embedded backend constrains calls with a grammar: its schema-valid rate is not comparable with a free-running one. */
  grammar_constrained: z.boolean(),
  temperature: z.number(),
  top_p: z.number(),
  max_tokens: z.number(),
  seed: z.number().optional(),
});
export type BackendInfo = z.infer<typeof BackendInfoSchema>;

export const TrainingInfoSchema = z.object({
  /** Distinct labelled rows in the training split of the model's dataset (repeats for balance not counted). */
  labels: z.number().int().min(0),
  /** The training job and dataset, when this daemon trained the model. */
  job: z.string().optional(),
  dataset: z.string().optional(),
  /** Which exported file was evaluated: f16, q8_0, q4_k_m... */
  file: z.string().optional(),
});
export type TrainingInfo = z.infer<typeof TrainingInfoSchema>;

export const EvalReportSchema = z.object({
  format: z.literal(REPORT_FORMAT),
  metadata: z.object({
    id: z.string(),
    /** When the run started (its id is made from it too). */
    created_at: z.string(),
    duration_s: z.number(),
    set: z.object({
      id: z.string(),
      title: z.string(),
      catalog: z.string(),
      cases: z.number(),
      /** Of the cases run (a selection hashes differently from the whole set). */
      sha256: z.string(),
      /** Each run case's own hash, so runs of different selections of one set compare case by case. */
      case_sha256: z.record(z.string(), z.string()).optional(),
    }),
    backend: BackendInfoSchema,
    repeat: z.number().int(),
    concurrency: z.number().int(),
    turn_limit_override: z.number().int().optional(),
    version: z.string(),
    /** What trained the evaluated model, when known: the points of a label-efficiency curve. */
    training: TrainingInfoSchema.optional(),
  }),
  summary: EvalSummarySchema,
  records: z.array(EvalRecordSchema),
});
export type EvalReport = z.infer<typeof EvalReportSchema>;
