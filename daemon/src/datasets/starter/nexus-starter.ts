import { builtinCatalog, type Catalog, type DatasetCard, renderCommand } from "@vault-tuner/shared";
import { NEXUS_COMMANDS } from "../../vault-server/nexus/nexus-commands";
import { SeededRandom } from "../shaping/seeded-random";
import { discoveryTurn, NEXUS_USE_TOOLS, nexusSystemPrompt } from "../sources/nexus-conversation";
import { COMMAND_REQUESTS, WORKSPACES } from "./nexus-requests";
import { writeStarter } from "./starter-dataset";
import { Pick } from "./tool-requests";

/** Everything that fixes the Nexus starter's bytes; change any of it and the files change. */
export const NEXUS_STARTER = {
  name: "starter-nexus-5",
  source: "sources/starter-nexus-5.jsonl",
  catalog: "nexus-5.20.1",
  seed: 1,
  requestsPerCommand: 6,
  builtAt: "2026-01-01T00:00:00.000Z",
} as const;

const MEMORIES = [
  "The user keeps projects under Projects/ and meeting notes under Meetings/.",
  "Earlier in this session the user tidied the Inbox folder.",
];

/**
 * OpenAI-message records in the Nexus 5.20.1 surface, one desirable call per request, for every command
 * the sandbox runs. Each request is asked in a session that looked its command up with getTools just
 * before (the conversation holds that turn); in one of three, the lookup itself is a desirable record
 * too, so a model learns to discover a command before it uses one.
 */
export function nexusStarterRecords(): Record<string, unknown>[] {
  const catalog = builtinCatalog(NEXUS_STARTER.catalog) as Catalog;
  const records: Record<string, unknown>[] = [];
  const commands = Object.keys(NEXUS_COMMANDS).sort();
  for (const [c, name] of commands.entries()) {
    const command = catalog.commands?.find((candidate) => candidate.command === name);
    const make = COMMAND_REQUESTS[name];
    if (!command || !make)
      throw new Error(`the Nexus starter has no request for ${name}; add one to nexus-requests.ts`);
    for (let k = 0; k < NEXUS_STARTER.requestsPerCommand; k++) {
      const random = SeededRandom.derive(NEXUS_STARTER.seed, `${name}:${k}`);
      const asked = make(new Pick(random));
      const session = `vault-help-${c * NEXUS_STARTER.requestsPerCommand + k + 1}`;
      const start = [
        { role: "system", content: nexusSystemPrompt(session) },
        { role: "user", content: asked.request },
      ];
      const lookup = discoveryTurn(catalog, session, name, [...WORKSPACES], `call_${session}_lookup`);
      if (k % 3 === 0) records.push({ messages: [...start, lookup[0]], label: true });
      const args = {
        sessionId: session,
        workspaceId: "default",
        memory: MEMORIES[k % MEMORIES.length],
        goal: asked.purpose,
        tool: renderCommand(command, asked.params),
      };
      records.push({
        messages: [
          ...start,
          ...lookup,
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: `call_${session}_use`, type: "function", function: { name: NEXUS_USE_TOOLS, arguments: args } },
            ],
          },
        ],
        label: true,
      });
    }
  }
  return records;
}

/** The Nexus starter, written under `root`: its negatives include the command-string and skipped-lookup kinds. */
export function writeNexusStarterDataset(root: string, onProgress?: (step: string) => void): Promise<DatasetCard> {
  return writeStarter(root, NEXUS_STARTER, nexusStarterRecords(), onProgress);
}
