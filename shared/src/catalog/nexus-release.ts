import { canonicalJson } from "../api/canonical-json";
import { builtinNexusCatalogs } from "./builtin-catalogs";
import type { Catalog, CatalogTool } from "./catalog-types";
import { schemaProperties } from "./wire-form";

/** How a recorded toolset was matched to a shipped Nexus release. */
export type NexusMatch = "content" | "nexusVersion" | "nearest";

export interface NexusRelease {
  catalog: Catalog;
  match: NexusMatch;
}

/**
 * The shipped Nexus release a recorded `tools/list` came from, so the commands inside its calls are
 * checked against what that client really saw. A tools/list equal to a release's (names, descriptions,
 * schemas) is that release; otherwise a `nexusVersion` the result carries (the reference dumps do) names
 * it; otherwise the release whose schemas differ least (a Nexus we do not ship yet, or a patched one).
 * Undefined when the toolset is not a Nexus one (no `toolManager_useTools`).
 */
export function nexusReleaseFor(tools: CatalogTool[], claimedVersion?: string): NexusRelease | undefined {
  const releases = builtinNexusCatalogs();
  const dispatcher = releases[0]?.dispatcher?.tool;
  if (!dispatcher || !tools.some((tool) => tool.name === dispatcher)) return undefined;
  const recorded = fingerprint(tools);
  const exact = releases.find((release) => fingerprint(release.tools) === recorded);
  if (exact) return { catalog: exact, match: "content" };
  const claimed = releases.find((release) => release.version === claimedVersion);
  if (claimed) return { catalog: claimed, match: "nexusVersion" };
  let nearest = releases[0] as Catalog;
  let fewest = Number.POSITIVE_INFINITY;
  for (const release of releases) {
    const differences = schemaDifferences(tools, release.tools);
    if (differences < fewest) [nearest, fewest] = [release, differences]; // newest first, so a tie keeps the newest
  }
  return { catalog: nearest, match: "nearest" };
}

function fingerprint(tools: CatalogTool[]): string {
  return canonicalJson(
    tools
      .map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  );
}

/** Parameters (and whether each is required) present in one list of tools and not the other. */
function schemaDifferences(a: CatalogTool[], b: CatalogTool[]): number {
  const facts = (tools: CatalogTool[]) =>
    new Set(
      tools.flatMap((tool) => {
        const required = Array.isArray(tool.inputSchema.required) ? tool.inputSchema.required : [];
        return Object.keys(schemaProperties(tool.inputSchema)).map(
          (name) => `${tool.name}.${name}${required.includes(name) ? "!" : ""}`,
        );
      }),
    );
  const left = facts(a);
  const right = facts(b);
  let count = 0;
  for (const fact of left) if (!right.has(fact)) count++;
  for (const fact of right) if (!left.has(fact)) count++;
  return count;
}
