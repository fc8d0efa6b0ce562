import type { RuleId } from "./rules";

/**
 * Validation profiles.
 * - `strict`: training data. Ids must have the training-data forms and match the system prompt's
 *   `<session_context>`; `context` must lead the arguments.
 * - `recorded`: calls recorded from the real plugin. It accepts every id the plugin itself produces
 *   (`session_<ms>_<short random>`, `s-YYYYMMDDhhmmss`, a 2-4 word session name it later rewrites,
 *   `default` or a workspace name), warns below the context lengths the plugin asks for, and only warns
 *   when `context` is not first, since the plugin does not care about key order.
 */
export const PROFILES = ["strict", "recorded"] as const;
export type Profile = (typeof PROFILES)[number];

export const STRICT_SESSION_ID = /^session_\d{13}_[a-z0-9]{9}$/;
export const STRICT_WORKSPACE_ID = /^ws_\d{13}_[a-z0-9]{9}$/;

export function isStrictWorkspaceId(id: string): boolean {
  return id === "default" || STRICT_WORKSPACE_ID.test(id);
}

/** Rules whose severity a profile changes. */
export const PROFILE_SEVERITY: Record<Profile, Partial<Record<RuleId, "error" | "warning">>> = {
  strict: {},
  recorded: { "context-not-first": "warning" },
};
