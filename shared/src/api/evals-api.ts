import { z } from "zod";
import { DatasetNameSchema } from "./datasets-api";
import { EvalJobRequestSchema } from "./jobs-api";
import { EvalReportSchema } from "../eval/report";

/** POST /v1/evals: an evaluation job (as POST /v1/jobs with kind "eval"). */
export const EvalRunRequestSchema = EvalJobRequestSchema.omit({ kind: true, pipeline: true });

/** A stored run without its records: what the eval panel lists. */
export const EvalRunSummarySchema = EvalReportSchema.pick({ metadata: true, summary: true });
export type EvalRunSummary = z.infer<typeof EvalRunSummarySchema>;

export const EvalRunIdParamsSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, "an evaluation run id"),
});

export const EvalCompareQuerySchema = z.object({
  a: EvalRunIdParamsSchema.shape.id,
  b: EvalRunIdParamsSchema.shape.id,
});

export const PromptSetListItemSchema = z.object({
  id: z.string(),
  title: z.string(),
  cases: z.number(),
  source: z.string(),
});

/** POST /v1/evals/sets/recorded: make (or remake) the recorded set from a built dataset's holdout. */
export const RecordedSetRequestSchema = z.object({
  dataset: DatasetNameSchema,
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, "set ids are lowercase letters, digits and -")
    .default("recorded"),
  /** Take every approved holdout row, not only those from recorded traces and corrections. */
  allSources: z.boolean().default(false),
});

/** What `POST /v1/evals/sets/recorded` made: the set, and the holdout rows it left out with why. */
export const RecordedSetReplySchema = PromptSetListItemSchema.extend({
  skipped: z.array(z.object({ source: z.string(), reason: z.string() })),
});

const ComparedRunSchema = z.object({ id: z.string(), pass_rate: z.number().nullable(), backend: z.string() });

/** `GET /v1/evals/compare`: two runs of one set, case by case (the daemon's evals/scoring/compare-reports.ts computes it). */
export const ReportComparisonSchema = z.object({
  a: ComparedRunSchema,
  b: ComparedRunSchema,
  /** B's pass rate minus A's over the cases both scored. */
  delta: z.number().nullable(),
  paired_cases: z.number(),
  better: z.number(),
  worse: z.number(),
  /** Two-sided exact sign test over the paired cases. */
  p_value: z.number(),
  significant: z.boolean(),
  cases: z.array(
    z.object({
      case_id: z.string(),
      a: z.number(),
      b: z.number(),
      change: z.enum(["fixed", "broken", "better", "worse", "same"]),
    }),
  ),
  only_in_a: z.array(z.string()),
  only_in_b: z.array(z.string()),
  unscored_in_a: z.array(z.string()),
  unscored_in_b: z.array(z.string()),
  warnings: z.array(z.string()),
});
export type ReportComparison = z.infer<typeof ReportComparisonSchema>;
