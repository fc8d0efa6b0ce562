import {
  builtinCatalog,
  builtinCatalogWithTool,
  DEFAULT_CATALOG_ID,
  type Catalog,
  type StoredTrace,
} from "@vault-tuner/shared";
import type { PluginSettings } from "../settings/plugin-settings";

/** The toolset a call is checked against: the one the settings name, or (auto) the one that has the tool. */
export function catalogFor(profile: PluginSettings["toolsetProfile"], trace: StoredTrace): Catalog {
  const chosen = profile === "auto" ? builtinCatalogWithTool(trace.call.name) : builtinCatalog(profile);
  return chosen ?? (builtinCatalog(DEFAULT_CATALOG_ID) as Catalog);
}
