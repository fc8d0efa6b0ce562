import claudesidian3 from "../../catalogs/claudesidian-3.json";
import nexus5 from "../../catalogs/nexus-5.json";
import { CatalogSchema, type Catalog } from "./catalog-types";
import { catalogHasTool } from "./resolve-tool";

/** The catalogs that ship with Vault Tuner, by id. Parsed once, on first use. */
const BUILTIN_SOURCES: Record<string, unknown> = {
  "claudesidian-3": claudesidian3,
  "nexus-5": nexus5,
};
const parsed = new Map<string, Catalog>();

export const BUILTIN_CATALOG_IDS = Object.keys(BUILTIN_SOURCES);
export const DEFAULT_CATALOG_ID = "claudesidian-3";

export function builtinCatalog(id: string): Catalog | undefined {
  const cached = parsed.get(id);
  if (cached) return cached;
  const source = BUILTIN_SOURCES[id];
  if (source === undefined) return undefined;
  const catalog = CatalogSchema.parse(source);
  parsed.set(id, catalog);
  return catalog;
}

/** The first built-in catalog that has the tool (flat or 3.x wire name), for calls recorded without their toolset. */
export function builtinCatalogWithTool(name: string): Catalog | undefined {
  for (const id of BUILTIN_CATALOG_IDS) {
    const catalog = builtinCatalog(id);
    if (catalog && catalogHasTool(catalog, name)) return catalog;
  }
  return undefined;
}
