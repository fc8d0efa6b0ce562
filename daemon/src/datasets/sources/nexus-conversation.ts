import type { Catalog, EvalMessage } from "@vault-tuner/shared";
import { getTools } from "../../vault-server/nexus/get-tools";
import { reply } from "../../vault-server/nexus/nexus-reply";

/** The two MCP tools of a Nexus release. */
export const NEXUS_GET_TOOLS = "toolManager_getTools";
export const NEXUS_USE_TOOLS = "toolManager_useTools";

/**
 * The system prompt of a Nexus conversation, for training and evaluation alike. Nexus itself sends none
 * (its tools' descriptions carry the rules); this one names the session, so the model learns to reuse
 * one `sessionId` and to name the workspace on the session's first `useTools` call.
 */
export function nexusSystemPrompt(sessionName: string): string {
  return [
    "You work in the user's Obsidian vault through Nexus: toolManager_getTools shows a command's signature, toolManager_useTools runs one or more commands. Use a tool whenever the request needs the vault; never invent a note's contents.",
    'Send "memory" (what has happened so far) and "goal" (what this call is for) with every call, and the session name below as sessionId. The first useTools call of the session passes workspaceId: "default", or the name of the workspace the user works in.',
    "",
    // No workspaceId here: Nexus takes a workspace by name, from the list getTools returns.
    "<session_context>",
    `sessionId: ${sessionName}`,
    "</session_context>",
  ].join("\n");
}

/**
 * An earlier turn of the same session that looked up commands with getTools, and the plugin's answer
 * (made by the sandbox's own getTools, so it is word for word what the model would be shown). A
 * conversation that starts after it has the signatures in view; one without it must discover them.
 */
export function discoveryTurn(
  catalog: Catalog,
  sessionName: string,
  selector: string,
  workspaceNames: string[],
  callId = "call_discover_1",
): EvalMessage[] {
  const args = {
    sessionId: sessionName,
    memory: "The user has just asked for this.",
    goal: `Look up the signature of ${selector} before using it.`,
    tool: selector,
  };
  const answer = reply(getTools(args, catalog.commands ?? [], workspaceNames));
  return [
    {
      role: "assistant",
      content: null,
      tool_calls: [{ id: callId, type: "function", function: { name: NEXUS_GET_TOOLS, arguments: args } }],
    },
    {
      role: "tool",
      tool_call_id: callId,
      name: NEXUS_GET_TOOLS,
      content: (answer.content as { text: string }[])[0]?.text ?? "",
    },
  ];
}
