import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { writeFileAtomically } from "../config/write-file-atomically";
import { fileURLToPath } from "node:url";
import { PromptSetSchema, type PromptSet, describeError } from "@vault-tuner/shared";
import { unknownUnitName } from "./scoring/call-units";
import type { ZodError } from "zod";
import { sandboxCatalog } from "./run-eval";

/** The prompt sets that ship with Vault Tuner. */
export const BUILTIN_SETS_DIR = fileURLToPath(new URL("../../../datasets/eval", import.meta.url));

/** Sets a user made (the recorded set, imports) live in the data dir. */
export function userSetsDir(dataDir: string): string {
  return join(dataDir, "evals", "sets");
}

/** Writes a set among the user's (or to `file`), whole or not at all; returns where. */
export function writeUserSet(
  dataDir: string,
  set: PromptSet,
  file = join(userSetsDir(dataDir), `${set.id}.json`),
): string {
  writeFileAtomically(file, `${JSON.stringify(set, null, 2)}\n`);
  return file;
}

/** A prompt set that cannot be used, with where: the file, and the case and field inside it. */
export class PromptSetError extends Error {}

/**
 * A prompt set by file path or by id (the data dir's sets first, then the built-in ones). It is checked
 * whole before anything runs: the schema, then every tool it names against its catalog.
 */
export function loadPromptSet(nameOrPath: string, dataDir?: string): PromptSet {
  const file = findSetFile(nameOrPath, dataDir);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new PromptSetError(`${file}: not valid JSON: ${describeError(error)}`);
  }
  return checkPromptSet(raw, file);
}

export function checkPromptSet(raw: unknown, where: string): PromptSet {
  const parsed = PromptSetSchema.safeParse(raw);
  if (!parsed.success) throw new PromptSetError(`${where}: ${describeZodError(parsed.error, raw)}`);
  const set = parsed.data;
  let catalog;
  try {
    catalog = sandboxCatalog(set.catalog);
  } catch (error) {
    throw new PromptSetError(`${where}: ${describeError(error)}`);
  }
  const problems: string[] = [];
  set.cases.forEach((evalCase, index) => {
    const named = [
      ...(evalCase.tools ?? []),
      ...evalCase.expect.calls.map((call) => call.tool),
      ...evalCase.expect.allowExtra,
    ];
    for (const tool of new Set(named)) {
      const unknown = unknownUnitName(catalog, tool);
      if (unknown) problems.push(`cases[${index}] (${evalCase.id}): ${unknown}`);
    }
    for (const call of evalCase.expect.calls)
      if (evalCase.tools && !evalCase.tools.includes(call.tool))
        problems.push(`cases[${index}] (${evalCase.id}): expects ${call.tool}, which its tools do not offer`);
    for (const path of [...Object.keys(evalCase.vault.files), ...evalCase.vault.folders]) {
      if (/^([A-Za-z]:|[/\\])/.test(path) || path.split(/[/\\]/).includes(".."))
        problems.push(
          `cases[${index}] (${evalCase.id}): vault path "${path}" must be relative to the vault and stay inside it`,
        );
    }
  });
  if (problems.length > 0) throw new PromptSetError(`${where}: ${problems.join("; ")}`);
  return set;
}

/** Only the named cases of a set (all of it when none are named); an unknown id is refused. */
export function selectCases(set: PromptSet, ids: string[] | undefined): PromptSet {
  if (!ids || ids.length === 0) return set;
  const unknown = ids.filter((id) => !set.cases.some((evalCase) => evalCase.id === id));
  if (unknown.length > 0) throw new PromptSetError(`${set.id} has no case ${unknown.join(", ")}`);
  return { ...set, cases: set.cases.filter((evalCase) => ids.includes(evalCase.id)) };
}

/** Every set that can be named by id: `{id, title, cases, source, file}`, user sets shadowing built-in ones. */
export function listPromptSets(
  dataDir?: string,
): { id: string; title: string; cases: number; source: string; file: string }[] {
  const found = new Map<string, { id: string; title: string; cases: number; source: string; file: string }>();
  for (const folder of [BUILTIN_SETS_DIR, ...(dataDir ? [userSetsDir(dataDir)] : [])]) {
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder)
      .filter((entry) => entry.endsWith(".json"))
      .sort()) {
      const file = join(folder, name);
      try {
        const set = loadPromptSet(file);
        found.set(set.id, { id: set.id, title: set.title, cases: set.cases.length, source: set.source.kind, file });
      } catch {
        // A broken file is reported when it is named; listing goes on with the others.
      }
    }
  }
  return [...found.values()].sort((a, b) => a.id.localeCompare(b.id));
}

function findSetFile(nameOrPath: string, dataDir?: string): string {
  if (existsSync(nameOrPath) && nameOrPath.endsWith(".json")) return nameOrPath;
  if (/^[a-z0-9][a-z0-9-]*$/.test(nameOrPath)) {
    for (const folder of [...(dataDir ? [userSetsDir(dataDir)] : []), BUILTIN_SETS_DIR]) {
      const file = join(folder, `${nameOrPath}.json`);
      if (existsSync(file)) return file;
    }
  }
  const known = listPromptSets(dataDir).map((set) => set.id);
  throw new PromptSetError(
    `no prompt set "${basename(nameOrPath)}": give a set id (${known.join(", ") || "none found"}) or a .json file`,
  );
}

/** The first few zod issues as `cases[3].expect.calls[0].tool: message (case "id")`. */
export function describeZodError(error: ZodError, raw: unknown): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path
        .map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`))
        .join("")
        .replace(/^\./, "");
      const caseIndex = issue.path[0] === "cases" && typeof issue.path[1] === "number" ? issue.path[1] : undefined;
      const caseId =
        caseIndex !== undefined ? (raw as { cases?: { id?: unknown }[] }).cases?.[caseIndex]?.id : undefined;
      return `${path || "(top level)"}: ${issue.message}${typeof caseId === "string" ? ` (case "${caseId}")` : ""}`;
    })
    .join("; ");
}
