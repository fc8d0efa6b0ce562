import { readFileSync } from "node:fs";
import { builtinCatalog, BUILTIN_CATALOG_NAMES } from "../catalog/builtin-catalogs";
import { CatalogSchema, type Catalog } from "../catalog/catalog-types";
import { catalogFromToolsList } from "../catalog/recorded-catalog";

/**
 * A catalog by built-in name (`claudesidian-3`, `nexus-5.17.2`, `nexus-5.20.1`, `nexus-5` for the newest) or from a file: a catalog JSON of our own
 * format, or a recorded `tools/list` result (`{"tools": [...]}`, or a JSON-RPC response holding one).
 */
export function loadCatalog(nameOrPath: string): Catalog {
  const builtin = builtinCatalog(nameOrPath);
  if (builtin) return builtin;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(nameOrPath, "utf8"));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new Error(
      `catalog "${nameOrPath}" is neither a built-in catalog (${BUILTIN_CATALOG_NAMES.join(", ")}) nor a readable JSON file: ${reason}`,
    );
  }
  const own = CatalogSchema.safeParse(raw);
  if (own.success) return own.data;
  const toolsList =
    typeof raw === "object" && raw !== null && "result" in raw ? (raw as { result: unknown }).result : raw;
  try {
    return catalogFromToolsList(toolsList, nameOrPath);
  } catch (error) {
    throw new Error(`catalog file ${nameOrPath}: ${(error as Error).message}`);
  }
}
