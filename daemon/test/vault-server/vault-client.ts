import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { createVaultServer } from "../../src/vault-server/vault-server";

export const CONTEXT = {
  sessionId: "session_1731000000000_abc123def",
  workspaceId: "default",
  sessionDescription: "Testing the sandbox vault",
  sessionMemory: "Nothing yet; this is a test.",
  toolContext: "Exercising one tool",
  primaryGoal: "Check the tool's behaviour",
  subgoal: "Call the tool",
};

/** A real MCP client connected in memory to the reference server over a fresh temporary vault. */
export async function vaultClient(options: { flat?: boolean; vault?: string } = {}) {
  const vault = options.vault ?? mkdtempSync(join(tmpdir(), "vault-tuner-vault-"));
  const server = createVaultServer(vault, options);
  const client = new Client({ name: "test", version: "1" });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  /** Calls `agent` with `mode` (wire form) and the context; returns the parsed result or the error text. */
  const call = async (
    agent: string,
    mode: string,
    params: Record<string, unknown> = {},
  ): Promise<{ data?: any; error?: string }> => {
    const result = await client.callTool({ name: agent, arguments: { context: CONTEXT, mode, ...params } });
    const text = (result.content as { text: string }[])[0]?.text ?? "";
    return text.startsWith("❌ Error:") ? { error: text } : (JSON.parse(text) as { data: any });
  };
  return { vault, client, call, close: () => client.close() };
}
