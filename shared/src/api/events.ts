import { z } from "zod";
import { LabelValueSchema } from "../schemas/trace";
import { JobErrorSchema, JobProgressSchema, JobStateSchema } from "./jobs-api";

/** A trace as the live feed announces it: enough to update a list without fetching. */
const CreatedTraceSchema = z.object({
  id: z.string(),
  session: z.string(),
  tool: z.string(),
  failed: z.boolean(),
  suggested: z.boolean(),
});

/** Everything the daemon pushes over `GET /v1/events`, one JSON object per websocket message. */
export const DaemonEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("hello"), at: z.string(), version: z.string() }),
  /** One per acknowledged `POST /v1/traces`, listing only the traces that were new. */
  z.object({ type: z.literal("trace.created"), at: z.string(), traces: z.array(CreatedTraceSchema) }),
  z.object({
    type: z.literal("trace.labelled"),
    at: z.string(),
    traceId: z.string(),
    label: LabelValueSchema,
    previous: LabelValueSchema,
    corrected: z.boolean(),
  }),
  /** A step of a dataset build the daemon runs (reading a source, validating, writing...). */
  z.object({ type: z.literal("dataset.progress"), at: z.string(), name: z.string(), step: z.string() }),
  z.object({
    type: z.literal("dataset.built"),
    at: z.string(),
    name: z.string(),
    format: z.string(),
    train: z.number().int(),
    holdout: z.number().int(),
  }),
  /** A job changed state (queued, running, succeeded, failed, cancelled, interrupted). */
  z.object({
    type: z.literal("job.state"),
    at: z.string(),
    jobId: z.string(),
    kind: z.string(),
    state: JobStateSchema,
    error: JobErrorSchema.nullable(),
  }),
  /** A running job moved on: its progress as `GET /v1/jobs/:id` now shows it. */
  z.object({ type: z.literal("job.progress"), at: z.string(), jobId: z.string(), progress: JobProgressSchema }),
]);
export type DaemonEvent = z.infer<typeof DaemonEventSchema>;
export type DaemonEventType = DaemonEvent["type"];
