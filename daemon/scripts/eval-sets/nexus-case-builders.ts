import {
  builtinCatalog,
  type ArgConstraint,
  type Catalog,
  type EvalCaseInput,
  type EvalMessage,
  type PromptSetInput,
  type VaultExpectation,
} from "@vault-tuner/shared";
import { discoveryTurn, NEXUS_USE_TOOLS, nexusSystemPrompt } from "../../src/datasets/sources/nexus-conversation";
import { NEXUS_EVAL_SESSION, nexusEvalVault } from "../../src/evals/nexus-eval-vault";
import { promptSet } from "./case-builders";

/** The release the built-in Nexus sets are written against (pinned: `nexus-5` moves with new releases). */
export const NEXUS_SET_CATALOG = "nexus-5.20.1";
const catalog = builtinCatalog(NEXUS_SET_CATALOG) as Catalog;

type ExpectedVault = Partial<{ [K in keyof VaultExpectation]: VaultExpectation[K] }>;
/** One reference call: a command string for useTools (with any extra top-level fields), or a whole call. */
type ReferenceCall = string | { tool: string; arguments: Record<string, unknown> };

/**
 * A case over the Nexus eval vault. Unless `discover` is false, the conversation already holds a getTools
 * turn for the commands the case needs (`seen`, by default the expected commands), as a session that
 * looked them up earlier would; a discovery case leaves it out and expects the lookup.
 */
export function nexusCase(fields: {
  id: string;
  kind: EvalCaseInput["kind"];
  request: string;
  calls?: { tool: string; args?: Record<string, ArgConstraint> }[];
  seen?: string[];
  discover?: boolean;
  order?: "sequence" | "any";
  vault?: ExpectedVault;
  reference?: ReferenceCall[][];
  tags?: string[];
  notes?: string;
  turnLimit?: number;
}): EvalCaseInput {
  const commands = (fields.calls ?? []).map((call) => call.tool).filter((tool) => tool.includes(" "));
  const seen = fields.seen ?? [...new Set(commands)];
  const messages: EvalMessage[] = [
    { role: "system", content: nexusSystemPrompt(NEXUS_EVAL_SESSION) },
    { role: "user", content: fields.request },
    ...(fields.discover !== false && seen.length > 0
      ? discoveryTurn(catalog, NEXUS_EVAL_SESSION, seen.join(", "), ["Harbor"])
      : []),
  ];
  return {
    id: fields.id,
    kind: fields.kind,
    tags: [...new Set(commands.map((command) => command.split(" ")[0] as string)), ...(fields.tags ?? [])],
    messages,
    vault: nexusEvalVault(),
    expect: {
      calls: (fields.calls ?? []).map((call) => ({ tool: call.tool, args: call.args ?? {} })),
      order: fields.order ?? "sequence",
      allowExtra: [],
      ...(fields.vault ? { vault: fields.vault } : {}),
    },
    ...(fields.reference
      ? {
          reference: fields.reference.map((turn) =>
            turn.map((call) =>
              typeof call === "string" ? { tool: NEXUS_USE_TOOLS, arguments: { tool: call } } : call,
            ),
          ),
        }
      : {}),
    ...(fields.notes ? { notes: fields.notes } : {}),
    ...(fields.turnLimit ? { turnLimit: fields.turnLimit } : {}),
  };
}

export function nexusPromptSet(fields: {
  id: string;
  title: string;
  description: string;
  cases: EvalCaseInput[];
}): PromptSetInput {
  return promptSet({ ...fields, catalog: NEXUS_SET_CATALOG });
}
