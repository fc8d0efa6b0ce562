/**
 * Builds the versioned toolset catalogs in `shared/catalogs/` from the reference descriptions in the
 * workplace's `shared/data` folder (beside the repository):
 *   - claudesidian-3.json from data/anchor/tool_schemas.json, whose parameter types are TypeScript type
 *     strings; each is turned into a real JSON Schema here (types, enums, required);
 *   - nexus-<version>.json for each Nexus release in NEXUS_VERSIONS, from data/nexus-<version>/{mcp-tools,cli-tools}.json
 *     (the exact tools/list and its CLI commands: 79 in 5.17.2, 80 in 5.20.1).
 * The output is committed; run `npm run catalogs` after changing this script. A test checks that the
 * committed files still match what this script derives.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildClaudesidianCatalog } from "./claudesidian-catalog";
import { NEXUS_VERSIONS } from "../src/catalog/nexus-versions";
import { buildNexusCatalog } from "./nexus-catalog";

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = resolve(process.env.VAULT_TUNER_REFERENCE_DATA ?? join(here, "../../../shared/data"));
const outDir = join(here, "../catalogs");

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8"));
}

const catalogs = {
  "claudesidian-3.json": buildClaudesidianCatalog(readJson(join(dataDir, "anchor/tool_schemas.json"))),
  ...Object.fromEntries(
    NEXUS_VERSIONS.map((version) => [
      `nexus-${version}.json`,
      buildNexusCatalog(
        readJson(join(dataDir, `nexus-${version}/mcp-tools.json`)),
        readJson(join(dataDir, `nexus-${version}/cli-tools.json`)),
      ),
    ]),
  ),
};
for (const [file, catalog] of Object.entries(catalogs)) {
  writeFileSync(join(outDir, file), `${JSON.stringify(catalog, null, 2)}\n`);
  console.log(`wrote catalogs/${file}: ${catalog.tools.length} tools`);
}
