import { createWriteStream } from "node:fs";
import { builtinCatalog, renderSeedTextCall, type CatalogTool } from "@vault-tuner/shared";

/**
 * Writes a synthetic seed-form dataset of `count` records over every claudesidian-3 tool: alternating
 * labels, one or two calls per record, and a defect in about one record in five (empty memory, unknown
 * tool, wrong type), so the validator does all of its work.
 */
export async function generateDataset(path: string, count: number): Promise<void> {
  const tools = builtinCatalog("claudesidian-3")!.tools;
  const out = createWriteStream(path);
  for (let i = 0; i < count; i++) {
    const tool = tools[i % tools.length] as CatalogTool;
    const calls = [callFor(tool, i)];
    if (i % 3 === 0) calls.push(callFor(tools[(i * 7) % tools.length] as CatalogTool, i + 1));
    const content = calls.map((call) => renderSeedTextCall(call, '{"success": true}', "Done.")).join("\n\n");
    const record = {
      conversations: [
        { role: "user", content: `Request ${i}: please use ${tool.name}.` },
        { role: "assistant", content },
      ],
      label: i % 2 === 0,
    };
    if (!out.write(`${JSON.stringify(record)}\n`))
      await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

function callFor(tool: CatalogTool, i: number): { name: string; arguments: Record<string, unknown> } {
  const defect = i % 5;
  const context = {
    sessionId: `session_${1731000000000 + i}_abcdefghi`,
    workspaceId: "default",
    sessionDescription: "Synthetic benchmark session",
    sessionMemory: defect === 1 ? "" : `Step ${i} of the benchmark.`,
    toolContext: "Benchmarking the validator",
    primaryGoal: "Measure throughput",
    subgoal: `Call ${tool.name}`,
  };
  const args: Record<string, unknown> = { context };
  const properties = (tool.inputSchema.properties ?? {}) as Record<string, { type?: string; enum?: unknown[] }>;
  for (const name of (tool.inputSchema.required ?? []) as string[]) {
    if (name === "context") continue;
    const schema = properties[name] ?? {};
    args[name] =
      schema.enum?.[0] ??
      (schema.type === "array" ? [] : schema.type === "number" ? 1 : schema.type === "boolean" ? true : `value ${i}`);
  }
  if (defect === 3) args.limit = "ten";
  return { name: defect === 2 ? `${tool.name}Typo` : tool.name, arguments: args };
}
