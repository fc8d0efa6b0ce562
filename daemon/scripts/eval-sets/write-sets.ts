import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PromptSetSchema, type PromptSetInput } from "@vault-tuner/shared";
import { BUILTIN_SETS_DIR } from "../../src/evals/prompt-sets";
import { combosSet } from "./combos";
import { fullCoverageSet } from "./full-coverage";
import { irrelevanceSet } from "./irrelevance";
import { nexusCombosSet, nexusDiscoverySet, nexusFullCoverageSet, nexusIrrelevanceSet } from "./nexus-sets";

/** The built-in prompt sets, as committed under datasets/eval/. */
export function builtinSetSources(): PromptSetInput[] {
  return [
    fullCoverageSet(),
    combosSet(),
    irrelevanceSet(),
    nexusFullCoverageSet(),
    nexusCombosSet(),
    nexusDiscoverySet(),
    nexusIrrelevanceSet(),
  ];
}

/** The file text of a set: parsed (defaults filled in, so the file says everything) and pretty-printed. */
export function setFileText(source: PromptSetInput): string {
  return `${JSON.stringify(PromptSetSchema.parse(source), null, 2)}\n`;
}

/** `npm run eval:sets`: rewrites datasets/eval/*.json from the definitions here. */
export function writeBuiltinSets(folder = BUILTIN_SETS_DIR): string[] {
  mkdirSync(folder, { recursive: true });
  return builtinSetSources().map((source) => {
    const file = join(folder, `${source.id}.json`);
    writeFileSync(file, setFileText(source));
    return file;
  });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"))) {
  for (const file of writeBuiltinSets()) process.stdout.write(`wrote ${file}\n`);
}
