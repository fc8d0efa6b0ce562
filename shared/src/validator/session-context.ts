/**
 * The ids a system prompt tells the model to use. Later seed datasets put them in
 * `<session_context>` (sessionId, workspaceId) and list other usable workspaces in
 * `<available_workspaces>`; a call must use those, not invent its own.
 */
export interface SessionContextIds {
  sessionId?: string;
  workspaceId?: string;
  /** Workspace ids the call may use instead: the context's own and every listed one. */
  allowedWorkspaceIds: Set<string>;
}

const WORKSPACE_ID = /\bws_\d{13}_[a-z0-9]+\b|\bdefault\b/g;

export function readSessionContext(systemText: string): SessionContextIds | undefined {
  const block = tagBody(systemText, "session_context");
  if (block === undefined) return undefined;
  const sessionId = fieldValue(block, "sessionId");
  const workspaceId = fieldValue(block, "workspaceId");
  const allowed = new Set<string>();
  if (workspaceId) allowed.add(workspaceId);
  const listed = tagBody(systemText, "available_workspaces");
  if (listed) for (const match of listed.matchAll(WORKSPACE_ID)) allowed.add(match[0]);
  return { sessionId, workspaceId, allowedWorkspaceIds: allowed };
}

function tagBody(text: string, tag: string): string | undefined {
  const open = text.indexOf(`<${tag}>`);
  if (open < 0) return undefined;
  const close = text.indexOf(`</${tag}>`, open);
  return text.slice(open + tag.length + 2, close < 0 ? text.length : close);
}

/** `sessionId: "x"`, `"sessionId": "x"`, `sessionId = x` and the like. */
function fieldValue(block: string, field: string): string | undefined {
  const match = new RegExp(`["']?${field}["']?\\s*[:=]\\s*["'\`]?([^"'\`\\s,}]+)`).exec(block);
  return match?.[1];
}
