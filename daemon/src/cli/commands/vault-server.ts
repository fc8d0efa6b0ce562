import { describeError } from "@vault-tuner/shared";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createSandboxServer } from "../../vault-server/sandbox-server";
import type { Output } from "../output";
import { EXIT_OK, UsageError } from "../usage-error";

/** `vault-tuner vault-server`: the reference vault MCP server (3.x or Nexus) over stdio, until the client closes it. */
export async function runVaultServer(args: { values: Record<string, unknown> }, _output: Output): Promise<number> {
  const vault = args.values.vault as string | undefined;
  if (!vault) throw new UsageError("--vault DIR is required: the folder to serve as a vault");
  let server;
  try {
    server = createSandboxServer(vault, {
      toolset: args.values.toolset as string | undefined,
      flat: args.values.flat === true,
    });
  } catch (error) {
    throw new UsageError(describeError(error));
  }
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once("end", () => resolve());
  });
  await server.connect(transport);
  await closed;
  await server.close();
  return EXIT_OK;
}
