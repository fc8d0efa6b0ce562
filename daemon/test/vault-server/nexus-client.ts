import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { createSandboxServer } from "../../src/vault-server/sandbox-server";

/** The context a well-formed call carries (5.20: the workspace named once, by the session's first call). */
export const NEXUS_CONTEXT = {
  sessionId: "sandbox test",
  workspaceId: "default",
  memory: "Testing the Nexus sandbox.",
  goal: "Check one command's behaviour.",
};

export interface NexusReply {
  /** The parsed result, when the call succeeded. */
  result?: any;
  /** The reply's message (after "❌ Error: ", before its details), when it failed. */
  error?: string;
  text: string;
}

/** A real MCP client connected in memory to the Nexus-mode reference server over a fresh temporary vault. */
export async function nexusClient(options: { toolset?: string; vault?: string } = {}) {
  const vault = options.vault ?? mkdtempSync(join(tmpdir(), "vault-tuner-nexus-"));
  const server = createSandboxServer(vault, { toolset: options.toolset ?? "nexus-5" });
  const client = new Client({ name: "test", version: "1" });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  const send = async (name: string, args: Record<string, unknown>): Promise<NexusReply> => {
    const reply = await client.callTool({ name, arguments: args });
    const text = (reply.content as { text: string }[])[0]?.text ?? "";
    if (!text.startsWith("❌ Error: ")) return { result: JSON.parse(text), text };
    return { error: text.slice("❌ Error: ".length).split("\n\n🔍 Full Error Details:")[0] as string, text };
  };
  /** `toolManager_useTools` with the test context, overridable per call. */
  const use = (tool: string, extra: Record<string, unknown> = {}) =>
    send("toolManager_useTools", { ...NEXUS_CONTEXT, tool, ...extra });
  const getTools = (tool: string) =>
    send("toolManager_getTools", { sessionId: NEXUS_CONTEXT.sessionId, memory: "m", goal: "g", tool });
  return { vault, client, send, use, getTools, close: () => client.close() };
}
