/**
 * The context every Nexus `useTools` call carries: `memory` and `goal` must say something (the plugin
 * steers a model that leaves them empty or fills them with a stand-in like "N/A" back to write them);
 * `workspaceId` and `sessionId` may be left out, but not filled with a stand-in.
 */
const STAND_INS = new Set([
  "",
  "n a",
  "na",
  "none",
  "none yet",
  "nothing",
  "nothing yet",
  "null",
  "nil",
  "undefined",
  "unknown",
  "tbd",
  "todo",
  "placeholder",
  "string",
  "example",
  "empty",
  "memory",
  "goal",
  "first turn",
  "no memory",
  "no context",
  "no goal",
  "not applicable",
  "your memory here",
  "your goal here",
]);

/** Whether a text is only a stand-in: compared in lower case, brackets' asides and punctuation dropped. */
function standIn(value: string): boolean {
  const words = value
    .toLowerCase()
    .replace(/\([^)]*\)/g, " ")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
  return STAND_INS.has(words) || STAND_INS.has(words.replace(/ /g, ""));
}

/** What is wrong with a call's context, one sentence per field, empty when nothing is. */
export function contextProblems(args: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const field of ["memory", "goal"] as const) {
    const value = args[field];
    if (typeof value !== "string" || standIn(value))
      problems.push(
        field === "memory"
          ? 'The "memory" field is empty: summarise the conversation so far in a sentence or two, then send the call again.'
          : 'The "goal" field is empty: say in one sentence what this call is for, then send the call again.',
      );
  }
  for (const field of ["workspaceId", "sessionId"] as const) {
    const value = args[field];
    if (typeof value === "string" && value.trim() !== "" && standIn(value))
      problems.push(
        field === "workspaceId"
          ? 'The "workspaceId" looks like a stand-in: use "default", a workspace name from getTools, or leave it out.'
          : 'The "sessionId" looks like a stand-in: use one stable, readable name for the whole conversation.',
      );
  }
  return problems;
}

export function contextError(problems: string[]): string {
  if (problems.length === 1) return `Context incomplete — ${problems[0]}`;
  return `Context incomplete. Fix these, then send the call again:\n${problems.map((problem) => `- ${problem}`).join("\n")}`;
}
