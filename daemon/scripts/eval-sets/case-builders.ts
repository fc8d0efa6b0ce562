import {
  PROMPT_SET_FORMAT,
  type ArgConstraint,
  type EvalCaseInput,
  type PromptSetInput,
  type VaultExpectation,
} from "@vault-tuner/shared";
import { evalSystemPrompt, evalVault } from "../../src/evals/eval-vault";

export const path = (value: string): ArgConstraint => ({ path: value });
export const exact = (value: unknown): ArgConstraint => ({ exact: value });
export const contains = (...parts: string[]): ArgConstraint => ({ contains: parts });
export const any: ArgConstraint = { any: true };

type ExpectedVault = Partial<{ [K in keyof VaultExpectation]: VaultExpectation[K] }>;

/** A case over the eval vault with the trained system prompt; the tool's agent is its first tag. */
export function evalCase(fields: {
  id: string;
  kind: EvalCaseInput["kind"];
  request: string;
  tags?: string[];
  calls?: { tool: string; args?: Record<string, ArgConstraint> }[];
  order?: "sequence" | "any";
  vault?: ExpectedVault;
  allowExtra?: string[];
  tools?: string[];
  notes?: string;
  reference?: { tool: string; arguments: Record<string, unknown> }[][];
}): EvalCaseInput {
  const agents = [...new Set((fields.calls ?? []).map((call) => call.tool.split("_")[0] as string))];
  return {
    id: fields.id,
    kind: fields.kind,
    tags: [...agents, ...(fields.tags ?? [])],
    messages: [
      { role: "system", content: evalSystemPrompt() },
      { role: "user", content: fields.request },
    ],
    ...(fields.tools ? { tools: fields.tools } : {}),
    vault: evalVault(),
    expect: {
      calls: (fields.calls ?? []).map((call) => ({ tool: call.tool, args: call.args ?? {} })),
      order: fields.order ?? "sequence",
      allowExtra: fields.allowExtra ?? [],
      ...(fields.vault ? { vault: fields.vault } : {}),
    },
    ...(fields.reference ? { reference: fields.reference } : {}),
    ...(fields.notes ? { notes: fields.notes } : {}),
  };
}

/** A built-in set; its cases are written against `catalog` (Claudesidian 3.x unless named). */
export function promptSet(fields: {
  id: string;
  title: string;
  description: string;
  cases: EvalCaseInput[];
  catalog?: string;
}): PromptSetInput {
  return {
    format: PROMPT_SET_FORMAT,
    id: fields.id,
    title: fields.title,
    description: fields.description,
    catalog: fields.catalog ?? "claudesidian-3",
    source: { kind: "built-in" },
    cases: fields.cases,
  };
}
