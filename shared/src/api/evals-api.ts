import { z } from "zod";
import { EvalJobRequestSchema } from "./jobs-api";
import { EvalReportSchema } from "../eval/report";

/** POST /v1/evals: an evaluation job (as POST /v1/jobs with kind "eval"). */
export const EvalRunRequestSchema = EvalJobRequestSchema.omit({ kind: true, pipeline: true });

/** A stored run without its records: what the eval panel lists. */
export const EvalRunSummarySchema = EvalReportSchema.pick({ metadata: true, summary: true });
export type EvalRunSummary = z.infer<typeof EvalRunSummarySchema>;

export const EvalRunIdParamsSchema = z.object({ id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, "an evaluation run id") });

export const EvalCompareQuerySchema = z.object({ a: EvalRunIdParamsSchema.shape.id, b: EvalRunIdParamsSchema.shape.id });

export const PromptSetListItemSchema = z.object({ id: z.string(), title: z.string(), cases: z.number(), source: z.string() });
