import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { MUTATION_KINDS } from "@vault-tuner/shared";
import { afterAll, expect, it } from "vitest";
import { projectDatasetsDir } from "../../src/datasets/sources/source-files";
import { NEXUS_STARTER, writeNexusStarterDataset } from "../../src/datasets/starter/nexus-starter";
import { NEXUS_COMMANDS } from "../../src/vault-server/nexus/nexus-commands";
import { readRows, validateFile } from "./read-rows";

const out = mkdtempSync(join(tmpdir(), "vault-tuner-nexus-starter-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function files(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(root, join(dir, entry.name)) : [relative(root, join(dir, entry.name))],
  );
}

it("the committed Nexus starter is exactly what `vault-tuner dataset starter --toolset nexus-5` writes", async () => {
  await writeNexusStarterDataset(out);
  const written = [
    NEXUS_STARTER.source,
    ...files(join(out, NEXUS_STARTER.name)).map((file) => join(NEXUS_STARTER.name, file)),
  ];
  expect(written).toContain(join(NEXUS_STARTER.name, "train.jsonl"));
  for (const file of written.sort())
    expect(readFileSync(join(out, file), "utf8"), file).toBe(readFileSync(join(projectDatasetsDir(), file), "utf8"));
});

it("teaches every command the sandbox runs and getTools, validates clean, and carries every kind of negative", () => {
  const folder = join(projectDatasetsDir(), NEXUS_STARTER.name);
  const card = JSON.parse(readFileSync(join(folder, "card.json"), "utf8"));
  for (const command of [...Object.keys(NEXUS_COMMANDS), "toolManager_getTools"])
    expect(card.coverage.tools[command], command).toBeGreaterThan(0);
  expect(card.coverage.covered).toBe(Object.keys(NEXUS_COMMANDS).length + 1);
  expect(card.counts.invalid).toEqual({ desirable: 0, undesirable: 0 });
  expect(Object.keys(card.counts.mutations).sort()).toEqual([...MUTATION_KINDS].sort());
  expect(validateFile(folder, "train.jsonl", "strict", NEXUS_STARTER.catalog).errors).toBe(0);
  expect(
    validateFile(join(projectDatasetsDir(), "sources"), "starter-nexus-5.jsonl", "strict", NEXUS_STARTER.catalog),
  ).toMatchObject({ errors: 0 });
  const rows = readRows(folder);
  expect(rows.map((row) => row.label)).toEqual(rows.map((_, i) => i % 2 === 0));
  // A desirable call comes after its lookup; a skipped-lookup negative is the same call without it.
  const skipped = rows.find((row) => String(row.source).startsWith("mutation:discovery-skipped:"));
  expect(skipped?.prompt.map((message: { role: string }) => message.role)).toEqual(["system", "user"]);
});
