import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { builtinCatalog, DatasetBuildRequestSchema, renderSeedTextCall, type DatasetCard } from "@vault-tuner/shared";
import { buildDataset } from "../build-dataset";
import { SeededRandom } from "../shaping/seeded-random";
import { systemPrompt } from "../sources/system-prompt";
import { Pick, TOOL_REQUESTS } from "./tool-requests";

/** Everything that fixes the starter dataset's bytes; change any of it and the files change. */
export const STARTER = {
  name: "starter-claudesidian-3",
  source: "sources/starter-claudesidian-3.jsonl",
  catalog: "claudesidian-3",
  seed: 1,
  requestsPerTool: 6,
  builtAt: "2026-01-01T00:00:00.000Z",
} as const;

const ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

function randomId(random: SeededRandom, length: number): string {
  return Array.from({ length }, () => ID_CHARS[random.int(ID_CHARS.length)]).join("");
}

/**
 * Seed-format records, one desirable call per request: every catalog tool asked for in several ways,
 * with well-formed context and ids, and in one record of four an earlier search turn, so prompts are
 * not all single-turn.
 */
export function starterRecords(): Record<string, unknown>[] {
  const catalog = builtinCatalog(STARTER.catalog);
  if (!catalog) throw new Error(`no catalog ${STARTER.catalog}`);
  const records: Record<string, unknown>[] = [];
  for (const [t, tool] of catalog.tools.entries()) {
    const make = TOOL_REQUESTS[tool.name];
    if (!make) throw new Error(`the starter has no request for ${tool.name}; add one to tool-requests.ts`);
    for (let k = 0; k < STARTER.requestsPerTool; k++) {
      const random = SeededRandom.derive(STARTER.seed, `${tool.name}:${k}`);
      const pick = new Pick(random);
      const asked = make(pick);
      const stamp = 1741000000000 + (t * STARTER.requestsPerTool + k) * 7_919;
      const context = {
        sessionId: `session_${stamp}_${randomId(random, 9)}`,
        workspaceId: k % 3 === 0 ? "default" : `ws_${stamp - 86_400_000}_${randomId(random, 9)}`,
        sessionDescription: `Vault help: ${asked.purpose.toLowerCase()}`,
        sessionMemory:
          k % 2 === 0
            ? "The user keeps projects under Projects/ and meeting notes under Meetings/."
            : "Earlier in this session the user tidied the Inbox folder.",
        toolContext: asked.purpose,
        primaryGoal: asked.purpose,
        subgoal: `Use ${tool.name} for this request`,
      };
      const conversations: Record<string, unknown>[] = [{ role: "system", content: systemPrompt(context) }];
      if (k % 4 === 3) {
        const query = pick.query();
        const note = pick.note();
        const search = {
          name: "vaultLibrarian_searchContent",
          arguments: { context: { ...context, subgoal: "Find the notes first" }, query },
        };
        const result = JSON.stringify({ success: true, data: { results: [{ filePath: note.path, score: 0.82 }] } });
        conversations.push(
          { role: "user", content: `Find my notes about ${query}.` },
          { role: "assistant", content: renderSeedTextCall(search, result, `The best match is ${note.path}.`) },
        );
      }
      conversations.push(
        { role: "user", content: asked.request },
        {
          role: "assistant",
          content: renderSeedTextCall({ name: tool.name, arguments: { context, ...asked.args } }, '{"success": true}'),
        },
      );
      records.push({ conversations, label: true });
    }
  }
  return records;
}

/** What fixes a starter's bytes: where it goes, the catalog it is checked against, its seed and date. */
export interface StarterSpec {
  name: string;
  source: string;
  catalog: string;
  seed: number;
  builtAt: string;
}

/** One mutation negative per approved call: what a starter's KTO dataset contrasts each call with. */
export const STARTER_MUTATIONS = { perRecord: 1 };

/**
 * Writes a starter's source records under `root` and builds the KTO dataset from them: strict validation,
 * one mutation negative per request, 10 % of requests held out. Same records, same bytes.
 */
export async function writeStarter(
  root: string,
  spec: StarterSpec,
  records: Record<string, unknown>[],
  onProgress?: (step: string) => void,
): Promise<DatasetCard> {
  const source = join(root, spec.source);
  mkdirSync(dirname(source), { recursive: true });
  writeFileSync(source, records.map((record) => `${JSON.stringify(record)}\n`).join(""));
  const options = DatasetBuildRequestSchema.parse({
    name: spec.name,
    sources: { files: [spec.source] },
    format: "kto",
    holdout: 0.1,
    seed: spec.seed,
    profile: "strict",
    catalog: spec.catalog,
    mutations: STARTER_MUTATIONS,
    overwrite: true,
  });
  return buildDataset(options, { sourceRoots: [root], outputRoot: root, builtAt: spec.builtAt, onProgress });
}

/** The Claudesidian 3.x starter, written under `root`. */
export function writeStarterDataset(root: string, onProgress?: (step: string) => void): Promise<DatasetCard> {
  return writeStarter(root, STARTER, starterRecords(), onProgress);
}
