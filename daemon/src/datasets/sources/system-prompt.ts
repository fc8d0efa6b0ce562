import type { CallContext } from "./call-context";

/**
 * The system prompt every example is trained with. It carries the session context block the vault
 * tools expect the model to copy into each call (the validator's strict profile checks the ids against
 * it), so the model learns to take ids from the prompt instead of inventing them.
 */
export function systemPrompt(context: CallContext): string {
  const lines = [
    "You work in the user's Obsidian vault through its tools. Use a tool whenever the request needs the vault; never invent a note's contents.",
    "Pass the session context below with every call.",
  ];
  if (context.sessionId || context.workspaceId) {
    lines.push("", "<session_context>");
    if (context.sessionId) lines.push(`sessionId: ${context.sessionId}`);
    if (context.workspaceId) lines.push(`workspaceId: ${context.workspaceId}`);
    lines.push("</session_context>");
  }
  return lines.join("\n");
}

/** The user turn of a recorded session: the wire never carries the prompt, so the goal the model wrote stands in. */
export function recordedRequest(context: CallContext): string {
  return context.goal ?? "(the request was not recorded)";
}
