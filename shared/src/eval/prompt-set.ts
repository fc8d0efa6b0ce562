import { z } from "zod";

/**
 * Evaluation prompt sets: data, not code. A case is one task for the model: the conversation it starts
 * from, the tools it is offered, the vault it works in, and what must be true afterwards.
 */

/** What an argument (or a memory field) must be. Strings from models vary, so most kinds are forgiving in a stated way. */
export const ArgConstraintSchema = z.union([
  /** Deep equality, nothing normalised. */
  z.object({ exact: z.unknown() }).strict(),
  /** Deep equality with one of the values. */
  z.object({ oneOf: z.array(z.unknown()).min(1) }).strict(),
  /** A string matching this regular expression (JavaScript syntax, `flags` as in `new RegExp`). */
  z
    .object({
      pattern: z.string().min(1),
      flags: z
        .string()
        .regex(/^[imsu]*$/)
        .optional(),
    })
    .strict(),
  /** A vault path equal to this one once a leading `/` is dropped and `\` read as `/` (the plugin does both). */
  z.object({ path: z.string().min(1) }).strict(),
  /** A string containing every one of these, ignoring case. */
  z.object({ contains: z.array(z.string().min(1)).min(1) }).strict(),
  /** Present, with any value. */
  z.object({ any: z.literal(true) }).strict(),
  /** Not given at all. */
  z.object({ absent: z.literal(true) }).strict(),
]);
export type ArgConstraint = z.infer<typeof ArgConstraintSchema>;

/** A call the model must make: the tool (flat `<agent>_<mode>` name) and constraints on arguments by dotted path. */
export const ExpectedCallSchema = z.object({
  tool: z.string().min(1),
  args: z.record(z.string(), ArgConstraintSchema).default({}),
});
export type ExpectedCall = z.infer<typeof ExpectedCallSchema>;

/** What one file must hold at the end; every given condition must hold. */
export const FileExpectationSchema = z
  .object({
    equals: z.string().optional(),
    startsWith: z.string().optional(),
    endsWith: z.string().optional(),
    /** Each must appear, ignoring case. */
    contains: z.array(z.string().min(1)).optional(),
    /** None may appear, ignoring case. */
    notContains: z.array(z.string().min(1)).optional(),
    matches: z.string().optional(),
  })
  .strict();
export type FileExpectation = z.infer<typeof FileExpectationSchema>;

/** What the plugin keeps besides notes: 3.x and Nexus memory, Nexus task projects and tasks. */
export const MEMORY_COLLECTIONS = ["workspaces", "sessions", "states", "agents", "projects", "tasks"] as const;
export const MemoryCollectionSchema = z.enum(MEMORY_COLLECTIONS);
export type MemoryCollection = z.infer<typeof MemoryCollectionSchema>;

const MemoryItemSchema = z.object({ id: z.string().min(1) }).passthrough();

/** The vault a case starts from: notes by vault-relative path, empty folders, and the plugin's memory. */
export const VaultFixtureSchema = z
  .object({
    files: z.record(z.string().min(1), z.string()).default({}),
    folders: z.array(z.string().min(1)).default([]),
    memory: z
      .object({
        workspaces: z.array(MemoryItemSchema).default([]),
        sessions: z.array(MemoryItemSchema).default([]),
        states: z.array(MemoryItemSchema).default([]),
        agents: z.array(MemoryItemSchema).default([]),
        // Optional rather than defaulted, so the sets written before tasks existed keep their hashes.
        projects: z.array(MemoryItemSchema).optional(),
        tasks: z.array(MemoryItemSchema).optional(),
      })
      .strict()
      .default({ workspaces: [], sessions: [], states: [], agents: [] }),
  })
  .strict();
export type VaultFixture = z.infer<typeof VaultFixtureSchema>;

/**
 * The vault after the task. Anything not named here must be as the fixture had it: a stray write,
 * move or delete fails the case (tau-bench: the final state is judged, not the model's account of it).
 */
export const VaultExpectationSchema = z
  .object({
    /** Files that are new or changed, with what they must hold. */
    files: z.record(z.string().min(1), FileExpectationSchema).default({}),
    /** Fixture files that must be gone. */
    deleted: z.array(z.string().min(1)).default([]),
    /** Folders that must now exist (beyond the parents of expected files) or be gone. */
    foldersCreated: z.array(z.string().min(1)).default([]),
    foldersDeleted: z.array(z.string().min(1)).default([]),
    /** Memory items that must be new (each matches exactly one new item), changed, or gone. */
    memoryCreated: z
      .array(
        z.object({ collection: MemoryCollectionSchema, match: z.record(z.string(), ArgConstraintSchema).default({}) }),
      )
      .default([]),
    memoryChanged: z
      .array(
        z.object({
          collection: MemoryCollectionSchema,
          id: z.string(),
          match: z.record(z.string(), ArgConstraintSchema).default({}),
        }),
      )
      .default([]),
    memoryDeleted: z.array(z.object({ collection: MemoryCollectionSchema, id: z.string() })).default([]),
  })
  .strict();
export type VaultExpectation = z.infer<typeof VaultExpectationSchema>;

export const CASE_KINDS = ["single", "combo", "irrelevance", "recorded"] as const;

/**
 * The conversation a case starts from: the system prompt and the request, and for cases taken from a
 * recorded session, the calls made before and their results (OpenAI shape).
 */
export const EvalMessageSchema = z.union([
  z.object({ role: z.enum(["system", "user"]), content: z.string() }).strict(),
  z
    .object({
      role: z.literal("assistant"),
      content: z.string().nullable(),
      tool_calls: z
        .array(
          z.object({
            id: z.string().optional(),
            type: z.literal("function").optional(),
            function: z.object({
              name: z.string().min(1),
              arguments: z.union([z.string(), z.record(z.string(), z.unknown())]),
            }),
          }),
        )
        .optional(),
    })
    .strict(),
  z
    .object({
      role: z.literal("tool"),
      content: z.string(),
      tool_call_id: z.string().optional(),
      name: z.string().optional(),
    })
    .strict(),
]);
export type EvalMessage = z.infer<typeof EvalMessageSchema>;

export const EvalCaseSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.:-]+$/, "case ids are letters, digits and _ . : -"),
    kind: z.enum(CASE_KINDS),
    tags: z.array(z.string()).default([]),
    /** The system prompt (with its `<session_context>`) and the user's request. */
    messages: z
      .array(EvalMessageSchema)
      .min(1)
      .refine((messages) => messages.some((message) => message.role === "user"), "a case needs a user message"),
    /** The catalog tools offered to the model; all of the set's catalog when absent. */
    tools: z.array(z.string().min(1)).min(1).optional(),
    vault: VaultFixtureSchema.default({
      files: {},
      folders: [],
      memory: { workspaces: [], sessions: [], states: [], agents: [] },
    }),
    expect: z
      .object({
        calls: z.array(ExpectedCallSchema).default([]),
        /** `sequence`: the expected calls must come in this order; `any`: matched in any order (BFCL's parallel calls). */
        order: z.enum(["sequence", "any"]).default("sequence"),
        /** Tools that may be called beyond the expected ones although they write; reading tools always may. */
        allowExtra: z.array(z.string()).default([]),
        /** The vault afterwards; absent means nothing may change. */
        vault: VaultExpectationSchema.optional(),
        /** `unjudged` only for imported cases that say nothing about the vault (the seed's): the report counts them apart. */
        finalState: z.enum(["judged", "unjudged"]).default("judged"),
      })
      .strict(),
    /**
     * A known-good way through the case: each turn's calls, without the context object (the session
     * context supplies it); no turns for an irrelevance case. Never shown to a model; it proves the case
     * can be passed (`vault-tuner eval check` replays it).
     */
    reference: z
      .array(
        z.array(z.object({ tool: z.string().min(1), arguments: z.record(z.string(), z.unknown()) }).strict()).min(1),
      )
      .optional(),
    /** Model turns before the case is stopped as unfinished. */
    turnLimit: z.number().int().min(1).max(50).default(8),
    notes: z.string().optional(),
  })
  .strict()
  .superRefine((value, context) => {
    if (value.kind === "irrelevance" && value.expect.calls.length > 0)
      context.addIssue({ code: "custom", path: ["expect", "calls"], message: "an irrelevance case expects no call" });
    if (value.kind !== "irrelevance" && value.expect.calls.length === 0)
      context.addIssue({
        code: "custom",
        path: ["expect", "calls"],
        message: `a ${value.kind} case expects at least one call`,
      });
  });
export type EvalCase = z.infer<typeof EvalCaseSchema>;
export type EvalCaseInput = z.input<typeof EvalCaseSchema>;

export const PROMPT_SET_FORMAT = "vault-tuner-eval/1";

export const PromptSetSchema = z
  .object({
    format: z.literal(PROMPT_SET_FORMAT),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "set ids are lowercase letters, digits and -"),
    title: z.string().min(1),
    description: z.string().default(""),
    /** The toolset catalog the cases are written against. */
    catalog: z.string().min(1),
    /** Where the cases came from: written here, imported from the seed's files, or built from recorded traces. */
    source: z.object({ kind: z.enum(["built-in", "imported", "recorded"]), from: z.string().optional() }).strict(),
    cases: z.array(EvalCaseSchema).min(1),
  })
  .strict()
  .superRefine((value, context) => {
    const seen = new Set<string>();
    value.cases.forEach((evalCase, index) => {
      if (seen.has(evalCase.id))
        context.addIssue({
          code: "custom",
          path: ["cases", index, "id"],
          message: `case id "${evalCase.id}" is used twice`,
        });
      seen.add(evalCase.id);
    });
  });
export type PromptSet = z.infer<typeof PromptSetSchema>;
export type PromptSetInput = z.input<typeof PromptSetSchema>;
