import { z } from "zod";

/**
 * The seven fields every Claudesidian 3.x tool call carries in its `context` argument, in the order the
 * plugin documents them. `context` must be the first key of the arguments.
 */
export const CONTEXT_FIELDS = [
  "sessionId",
  "workspaceId",
  "sessionDescription",
  "sessionMemory",
  "toolContext",
  "primaryGoal",
  "subgoal",
] as const;

export type ContextField = (typeof CONTEXT_FIELDS)[number];

/** The `context` object of a Claudesidian 3.x call. */
export const ContextSchema = z.object({
  /** Session the call belongs to (training data: `session_<13 digits>_<9 chars>`). */
  sessionId: z.string(),
  /** Workspace the call works in (`ws_<13 digits>_<9 chars>` or `default`). */
  workspaceId: z.string(),
  /** What the session is about. */
  sessionDescription: z.string(),
  /** What happened so far in the session; must never be empty. */
  sessionMemory: z.string(),
  /** Why this tool is being called now. */
  toolContext: z.string(),
  /** The user's overall goal. */
  primaryGoal: z.string(),
  /** The step this call serves. */
  subgoal: z.string(),
});
export type Context = z.infer<typeof ContextSchema>;

/**
 * Minimum lengths the real plugin's connector asks for (toolset-surface section 5). The recorded profile
 * warns below them; they are requests to the model, not checks the plugin enforces.
 */
export const CONTEXT_MIN_LENGTHS: Readonly<Partial<Record<ContextField, number>>> = {
  sessionDescription: 10,
  sessionMemory: 10,
  toolContext: 5,
  primaryGoal: 5,
  subgoal: 5,
};
