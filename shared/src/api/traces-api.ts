import { z } from "zod";
import { JsonObjectSchema } from "../schemas/tool-call";
import { LabelSchema, LabelValueSchema, TraceSchema } from "../schemas/trace";

/** Most traces one `POST /v1/traces` may carry. */
export const MAX_TRACES_PER_POST = 1000;
/** Largest page `GET /v1/traces` returns. */
export const MAX_TRACE_PAGE = 100;

export const PostTracesBodySchema = z.object({
  traces: z.array(TraceSchema).min(1).max(MAX_TRACES_PER_POST),
});
export type PostTracesBody = z.infer<typeof PostTracesBodySchema>;

export const PostTracesReplySchema = z.object({
  /** One id per posted trace, in order: the client's id, or the one the daemon gave it. */
  ids: z.array(z.string()),
  /** Ids the batch carried more than once: each is stored once, as its first occurrence. */
  repeated: z.array(z.string()).optional(),
});

export const PostToolsetReplySchema = z.object({
  hash: z.string(),
  /** false when this exact toolset was already stored. */
  created: z.boolean(),
  tools: z.number().int(),
});

/** How a suggestion's reason for a failed call starts; the other reasons are the toolset's schema errors. */
export const FAILED_CALL_REASON = "the call failed: ";

/** Why the daemon pre-marks a call as probably undesirable (never a label by itself). */
export const SuggestionSchema = z.object({
  label: z.literal("undesirable"),
  reasons: z.array(z.string()).min(1),
});
export type Suggestion = z.infer<typeof SuggestionSchema>;

/** A correction: the call the model should have made instead. */
export const CorrectionSchema = z.object({
  name: z.string().min(1).optional(),
  arguments: JsonObjectSchema,
});
export type Correction = z.infer<typeof CorrectionSchema>;

/** A trace as stored: the recorded fields plus what the daemon derived and the user decided. */
export const StoredTraceSchema = TraceSchema.extend({
  id: z.string(),
  receivedAt: z.string(),
  failed: z.boolean(),
  suggestion: SuggestionSchema.nullable(),
  label: LabelValueSchema,
  /** Set in a list when the call was too large to list whole: `GET /v1/traces/:id` has all of it. */
  cut: z.boolean().optional(),
});
export type StoredTrace = z.infer<typeof StoredTraceSchema>;

export const LabelChangeSchema = z.object({
  label: LabelValueSchema,
  note: z.string().nullable(),
  correction: CorrectionSchema.nullable(),
  at: z.string(),
});
export type LabelChange = z.infer<typeof LabelChangeSchema>;

export const TraceDetailSchema = z.object({
  trace: StoredTraceSchema,
  label: LabelValueSchema,
  note: z.string().nullable(),
  correction: CorrectionSchema.nullable(),
  /** Every label change, oldest first. */
  history: z.array(LabelChangeSchema),
});
export type TraceDetail = z.infer<typeof TraceDetailSchema>;

/** A correction only makes sense on a call marked undesirable: it is what the model should have done. */
export const PutLabelBodySchema = LabelSchema.refine((body) => !body.correction || body.label === "undesirable", {
  message: 'a correction can only go with the label "undesirable"',
  path: ["correction"],
});

const booleanText = z.enum(["true", "false"]).transform((text) => text === "true");

/** Which traces a listing or a dataset takes. Every field narrows; none given means all. */
export const TraceFilterSchema = z.object({
  label: LabelValueSchema.optional(),
  tool: z.string().min(1).optional(),
  session: z.string().min(1).optional(),
  /** Text the call or its result contains (case-insensitive for ASCII). */
  q: z
    .string()
    .min(1)
    .max(500)
    // A NUL ends the text SQLite compares with, so it would match every call.
    .refine((text) => ![...text].some((character) => character.charCodeAt(0) < 0x20), "no control characters")
    .optional(),
  failed: z.boolean().optional(),
  /** Only calls the daemon suggests marking undesirable. */
  suggested: z.literal("undesirable").optional(),
});
export type TraceFilter = z.infer<typeof TraceFilterSchema>;

/** `?label=&tool=x`: a parameter left empty means "any", as forms and URL builders send it. */
function withoutEmptyParameters(query: unknown): unknown {
  if (typeof query !== "object" || query === null) return query;
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ""));
}

export const TraceListQuerySchema = z.preprocess(
  withoutEmptyParameters,
  TraceFilterSchema.extend({
    failed: booleanText.optional(),
    limit: z.coerce.number().int().min(1).max(MAX_TRACE_PAGE).default(50),
    cursor: z.string().min(1).optional(),
  }),
);
export type TraceListQuery = z.infer<typeof TraceListQuerySchema>;

export const TraceListReplySchema = z.object({
  items: z.array(StoredTraceSchema),
  nextCursor: z.string().nullable(),
});
export type TraceListReply = z.infer<typeof TraceListReplySchema>;

export const TraceIdParamsSchema = z.object({ id: z.string().min(1).max(200) });
/** A toolset's content hash: sha256, hex. */
export const ToolsetHashParamsSchema = z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/, "a sha256 in hex") });
