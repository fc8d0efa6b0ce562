import claudesidian3 from "../../catalogs/claudesidian-3.json";
import nexus5_17_2 from "../../catalogs/nexus-5.17.2.json";
import nexus5_20_1 from "../../catalogs/nexus-5.20.1.json";
import { CatalogSchema, type Catalog } from "./catalog-types";
import { LATEST_NEXUS_VERSION, type NexusVersion } from "./nexus-versions";
import { catalogHasTool } from "./resolve-tool";

const NEXUS_SOURCES: Record<NexusVersion, unknown> = { "5.17.2": nexus5_17_2, "5.20.1": nexus5_20_1 };

/** The catalogs that ship with Vault Tuner, by id. Parsed once, on first use. */
const BUILTIN_SOURCES: Record<string, unknown> = {
  "claudesidian-3": claudesidian3,
  ...Object.fromEntries(Object.entries(NEXUS_SOURCES).map(([version, source]) => [`nexus-${version}`, source])),
};
/** Names that stand for a built-in catalog: `nexus-5` is the newest Nexus release. */
const CATALOG_ALIASES: Record<string, string> = { "nexus-5": `nexus-${LATEST_NEXUS_VERSION}` };
const parsed = new Map<string, Catalog>();

/** Every built-in catalog's own id, newest Nexus last. */
export const BUILTIN_CATALOG_IDS = Object.keys(BUILTIN_SOURCES);
/** What a user may name: the ids and the aliases (for choices and error messages). */
export const BUILTIN_CATALOG_NAMES = [...BUILTIN_CATALOG_IDS, ...Object.keys(CATALOG_ALIASES)];
export const DEFAULT_CATALOG_ID = "claudesidian-3";

export function builtinCatalog(idOrAlias: string): Catalog | undefined {
  const id = CATALOG_ALIASES[idOrAlias] ?? idOrAlias;
  const cached = parsed.get(id);
  if (cached) return cached;
  const source = BUILTIN_SOURCES[id];
  if (source === undefined) return undefined;
  const catalog = CatalogSchema.parse(source);
  parsed.set(id, catalog);
  return catalog;
}

/** The built-in catalogs of every shipped Nexus release, newest first. */
export function builtinNexusCatalogs(): Catalog[] {
  return Object.keys(NEXUS_SOURCES)
    .reverse()
    .map((version) => builtinCatalog(`nexus-${version}`) as Catalog);
}

/**
 * The built-in catalog that has the tool (flat or 3.x wire name), for calls recorded without their
 * toolset; for a Nexus tool the newest release, whose surface is a superset of the older ones'.
 */
export function builtinCatalogWithTool(name: string): Catalog | undefined {
  for (const id of [DEFAULT_CATALOG_ID, ...BUILTIN_CATALOG_IDS.slice().reverse()]) {
    const catalog = builtinCatalog(id);
    if (catalog && catalogHasTool(catalog, name)) return catalog;
  }
  return undefined;
}
