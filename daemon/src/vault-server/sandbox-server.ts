import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { BUILTIN_CATALOG_NAMES, builtinCatalog, DEFAULT_CATALOG_ID } from "@vault-tuner/shared";
import { createNexusServer } from "./nexus/nexus-server";
import { createVaultServer } from "./vault-server";

export interface SandboxServerOptions {
  /** The built-in toolset to serve (`claudesidian-3`, `nexus-5`, `nexus-5.17.2`...); claudesidian-3 by default. */
  toolset?: string;
  /** Claudesidian 3.x only: the flat `<agent>_<mode>` tools instead of the wire form. */
  flat?: boolean;
}

/** The reference vault server for a toolset: Claudesidian 3.x's agents, or a Nexus release's two tools. */
export function createSandboxServer(vault: string, options: SandboxServerOptions = {}): Server {
  const toolset = options.toolset ?? DEFAULT_CATALOG_ID;
  const catalog = builtinCatalog(toolset);
  if (!catalog) throw new Error(`no toolset "${toolset}": choose one of ${BUILTIN_CATALOG_NAMES.join(", ")}`);
  if (!catalog.dispatcher) return createVaultServer(vault, { flat: options.flat === true });
  if (options.flat) throw new Error(`${toolset} has no flat form: Nexus serves its two tools as they are`);
  return createNexusServer(vault, catalog);
}
