import { readFileSync } from "node:fs";
import { basename } from "node:path";
import {
  PROMPT_SET_FORMAT,
  resolveTool,
  type Catalog,
  type EvalCaseInput,
  type PromptSet,
  describeError,
} from "@vault-tuner/shared";
import { z } from "zod";
import { checkPromptSet, describeZodError, PromptSetError } from "./prompt-sets";
import { sandboxCatalog } from "./run-eval";
import { EVAL_SESSION_ID, evalSystemPrompt, evalVault } from "./eval-vault";

/** One prompt of the seed's evaluator (`prompts/*.json`). */
const SeedPromptSchema = z.object({
  id: z.string().min(1),
  question: z.string().min(1),
  tags: z.array(z.string()).default([]),
  expected_tools: z.array(z.string().min(1)).default([]),
  notes: z.string().optional(),
  system: z.string().optional(),
});

export interface ImportResult {
  set: PromptSet;
  /** Prompts left out, each with why (a prompt that can never pass is not a test). */
  skipped: { id: string; reason: string }[];
}

/**
 * Imports the seed's prompt files as one set. The seed only names the tools it expects, so an imported
 * case checks selection, validity, context, ids and extra writes, but not argument values or the final
 * vault: the cases say `finalState: "unjudged"` and the report counts them that way. Expected tools are
 * matched in any order, as the seed did. A prompt expecting a tool the catalog lacks is skipped with a
 * reason, and the rest are imported.
 */
export function importSeedSet(
  files: string[],
  options: { id: string; title?: string; catalog?: string },
): ImportResult {
  const catalog: Catalog = sandboxCatalog(options.catalog ?? "claudesidian-3");
  const cases: EvalCaseInput[] = [];
  const skipped: ImportResult["skipped"] = [];
  const seen = new Set<string>();
  for (const file of files) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new PromptSetError(`${file}: not valid JSON: ${describeError(error)}`);
    }
    const prompts = z.array(SeedPromptSchema).safeParse(raw);
    if (!prompts.success)
      throw new PromptSetError(
        `${file}: not a seed prompt file (a JSON array of {id, question, expected_tools}): ${describeZodError(prompts.error, raw)}`,
      );
    for (const prompt of prompts.data) {
      const id = seen.has(prompt.id) ? `${basename(file, ".json")}.${prompt.id}` : prompt.id;
      const unknown = prompt.expected_tools.filter((tool) => resolveTool(catalog, tool, {}).kind === "unknown");
      if (unknown.length > 0) {
        skipped.push({
          id: prompt.id,
          reason: `${file}: expects ${unknown.join(", ")}, which ${catalog.id} does not have`,
        });
        continue;
      }
      seen.add(id);
      cases.push({
        id,
        kind:
          prompt.expected_tools.length === 0 ? "irrelevance" : prompt.expected_tools.length === 1 ? "single" : "combo",
        tags: [...prompt.tags, "imported"],
        messages: [
          { role: "system", content: prompt.system ?? evalSystemPrompt() },
          { role: "user", content: prompt.question },
        ],
        vault: evalVault(),
        expect: {
          calls: prompt.expected_tools.map((tool) => ({ tool, args: {} })),
          order: "any",
          finalState: "unjudged",
        },
        ...(prompt.notes ? { notes: prompt.notes } : {}),
      });
    }
  }
  if (cases.length === 0)
    throw new PromptSetError(
      `nothing to import from ${files.join(", ")}${skipped.length ? `: ${skipped.map((item) => item.reason).join("; ")}` : ""}`,
    );
  const set = checkPromptSet(
    {
      format: PROMPT_SET_FORMAT,
      id: options.id,
      title: options.title ?? `Imported: ${files.map((file) => basename(file)).join(", ")}`,
      description: `Imported from the seed's prompt files. Expected tools only: argument values and the final vault are not judged. Session ${EVAL_SESSION_ID}.`,
      catalog: catalog.id,
      source: { kind: "imported", from: files.map((file) => basename(file)).join(", ") },
      cases,
    },
    options.id,
  );
  return { set, skipped };
}
