import { z } from "zod";
import { PROFILES } from "../validator/profiles";
import { TraceFilterSchema } from "./traces-api";

export const DATASET_FORMATS = ["kto", "sft", "chatml-text"] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

/** Defects a mutation negative carries; each one is a mistake local models really make with these tools. */
export const MUTATION_KINDS = [
  "missing-context-field",
  "empty-session-memory",
  "wrong-tool",
  "missing-required-parameter",
  "wrong-type",
  "invented-tool",
  // Nexus: a destructive command where only a read was asked; a command used without looking it up first.
  "write-for-read",
  "discovery-skipped",
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];
/** The kinds only a Nexus command string or conversation can carry; a 3.x example is never offered them. */
export const NEXUS_ONLY_MUTATIONS: readonly MutationKind[] = ["write-for-read", "discovery-skipped"];

/** How the builder evens out the classes so that every batch holds both. */
export const BALANCE_MODES = ["oversample", "none"] as const;

/** Suffixes of the builder's own work folders beside a dataset (the one being written, the one it replaces). */
export const DATASET_WORK_SUFFIXES = { staging: ".partial", replaced: ".previous" } as const;

/** A dataset's name: one folder under the data dir's datasets/, never one of the builder's work folders. */
export const DatasetNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    "letters, digits, '.', '_' and '-', at most 64, not starting with a symbol",
  )
  .refine((name) => !Object.values(DATASET_WORK_SUFFIXES).some((suffix) => name.endsWith(suffix)), {
    message: "a name ending in .partial or .previous is kept for the builder's work folders",
  });

export const DatasetBuildRequestSchema = z
  .object({
    name: DatasetNameSchema,
    sources: z
      .object({
        /** Labelled traces from the store; only desirable and undesirable ones are used. */
        traces: TraceFilterSchema.optional(),
        /** Seed-format JSONL files, relative to (or inside) the project's `datasets/` folder or the data dir. */
        files: z.array(z.string().min(1)).max(100).optional(),
      })
      .refine((sources) => sources.traces !== undefined || (sources.files?.length ?? 0) > 0, {
        message: "give at least one source: traces (a filter, {} for all) or files",
      }),
    format: z.enum(DATASET_FORMATS).default("kto"),
    /** Share of sessions held out for evaluation. */
    holdout: z.number().min(0).max(0.5).default(0.1),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    profile: z.enum(PROFILES).default("recorded"),
    /** Catalog the file records are checked against (traces use the toolset they were recorded with). */
    catalog: z.string().min(1).default("claudesidian-3"),
    balance: z.enum(BALANCE_MODES).default("oversample"),
    mutations: z
      .object({
        perRecord: z.number().int().min(1).max(MUTATION_KINDS.length),
        kinds: z.array(z.enum(MUTATION_KINDS)).min(1).optional(),
      })
      .optional(),
    /** Replace a dataset of the same name; otherwise that is a 409. */
    overwrite: z.boolean().default(false),
  })
  .strict();
export type DatasetBuildRequest = z.input<typeof DatasetBuildRequestSchema>;
export type DatasetBuildOptions = z.output<typeof DatasetBuildRequestSchema>;

const ClassCountsSchema = z.object({ desirable: z.number().int(), undesirable: z.number().int() });

export const DatasetFileInfoSchema = z.object({ rows: z.number().int(), bytes: z.number().int(), sha256: z.string() });

/** Everything needed to judge and reproduce a built dataset; written beside it as card.json. */
export const DatasetCardSchema = z.object({
  name: z.string(),
  format: z.enum(DATASET_FORMATS),
  builtAt: z.string(),
  options: z.object({
    holdout: z.number(),
    seed: z.number().int(),
    profile: z.enum(PROFILES),
    catalog: z.string(),
    balance: z.enum(BALANCE_MODES),
    mutations: z.object({ perRecord: z.number().int(), kinds: z.array(z.enum(MUTATION_KINDS)) }).nullable(),
  }),
  sources: z.object({
    files: z.array(z.object({ path: z.string(), sha256: z.string(), records: z.number().int() })),
    traces: z.object({ filter: TraceFilterSchema, records: z.number().int() }).nullable(),
  }),
  counts: z.object({
    read: z.number().int(),
    unlabeled: z.number().int(),
    invalid: ClassCountsSchema,
    duplicates: z.number().int(),
    corrections: z.number().int(),
    mutations: z.record(z.string(), z.number().int()),
    train: ClassCountsSchema.extend({ repeated: z.number().int(), sessions: z.number().int() }),
    holdout: ClassCountsSchema.extend({ sessions: z.number().int() }),
  }),
  /** desirable / undesirable rows in train. */
  ratio: z.number().nullable(),
  /** The KTOTrainer weights that bring (weight x count) desirable:undesirable into TRL's 1:1 to 4:3 band. */
  weights: ClassCountsSchema.extend({ desirable: z.number(), undesirable: z.number() }),
  dropped: z.object({
    byRule: z.record(z.string(), z.number().int()),
    /** The first few dropped records, with where they came from: labelled traces before file rows. */
    examples: z.array(z.object({ source: z.string(), rule: z.string(), message: z.string() })),
    /** Every labelled trace (or correction) that was dropped, by id: dropped.jsonl gives each one's rule. */
    traces: z.array(z.string()).default([]),
  }),
  coverage: z.object({
    tools: z.record(z.string(), z.number().int()),
    catalogTools: z.number().int(),
    covered: z.number().int(),
  }),
  toolsets: z.array(z.string()),
  files: z.record(z.string(), DatasetFileInfoSchema),
});
export type DatasetCard = z.infer<typeof DatasetCardSchema>;

/** What GET /v1/datasets/:name/download serves: the splits, the card, and every dropped record with its rule. */
export const DatasetSplitSchema = z.enum(["train", "holdout", "card", "dropped"]);
export const DatasetDownloadQuerySchema = z.object({ split: DatasetSplitSchema.default("train") });
export const DatasetNameParamsSchema = z.object({ name: DatasetNameSchema });
