import {
  builtinCatalog,
  builtinCatalogWithTool,
  catalogFromToolsList,
  DEFAULT_CATALOG_ID,
  type Catalog,
  type StoredTrace,
} from "@vault-tuner/shared";
import type { PluginSettings } from "../settings/plugin-settings";

/** The toolset the settings name, or (auto) the built-in one that has the tool. */
export function catalogFor(profile: PluginSettings["toolsetProfile"], trace: StoredTrace): Catalog {
  const chosen = profile === "auto" ? builtinCatalogWithTool(trace.call.name) : builtinCatalog(profile);
  return chosen ?? (builtinCatalog(DEFAULT_CATALOG_ID) as Catalog);
}

/**
 * The toolset a recorded call is checked against. On auto, the one its session really saw: the
 * `tools/list` the recorder stored (a Nexus one with its release's commands, so a 5.17.2 session is
 * checked as 5.17.2); the settings' choice when none is stored or the daemon cannot be asked.
 */
export async function sessionCatalog(
  profile: PluginSettings["toolsetProfile"],
  trace: StoredTrace,
  storedToolsList: (hash: string) => Promise<unknown>,
): Promise<Catalog> {
  if (profile === "auto" && trace.toolsetHash) {
    try {
      return catalogFromToolsList(await storedToolsList(trace.toolsetHash), `toolset-${trace.toolsetHash}`);
    } catch {
      // Not stored, or the daemon is away: the built-in toolset that has the tool.
    }
  }
  return catalogFor(profile, trace);
}
