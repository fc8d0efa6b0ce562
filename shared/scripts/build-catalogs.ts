/**
 * Builds the versioned toolset catalogs in `shared/catalogs/` from the reference descriptions in the
 * workplace's `shared/data` folder (beside the repository):
 *   - claudesidian-3.json from data/anchor/tool_schemas.json, whose parameter types are TypeScript type
 *     strings; each is turned into a real JSON Schema here (types, enums, required);
 *   - nexus-5.json from data/nexus-5.17.2/{mcp-tools,cli-tools}.json (the exact tools/list and its 79 CLI commands).
 * The output is committed; run `npm run catalogs` after changing this script. A test checks that the
 * committed files still match what this script derives.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildClaudesidianCatalog } from "./claudesidian-catalog";
import { buildNexusCatalog } from "./nexus-catalog";

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = resolve(process.env.VAULT_TUNER_REFERENCE_DATA ?? join(here, "../../../shared/data"));
const outDir = join(here, "../catalogs");

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8"));
}

const catalogs = {
  "claudesidian-3.json": buildClaudesidianCatalog(readJson(join(dataDir, "anchor/tool_schemas.json"))),
  "nexus-5.json": buildNexusCatalog(
    readJson(join(dataDir, "nexus-5.17.2/mcp-tools.json")),
    readJson(join(dataDir, "nexus-5.17.2/cli-tools.json")),
  ),
};
for (const [file, catalog] of Object.entries(catalogs)) {
  writeFileSync(join(outDir, file), `${JSON.stringify(catalog, null, 2)}\n`);
  console.log(`wrote catalogs/${file}: ${catalog.tools.length} tools`);
}
