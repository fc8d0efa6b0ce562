import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, expect, it } from "vitest";
import { projectDatasetsDir } from "../../src/datasets/sources/source-files";
import { STARTER, writeStarterDataset } from "../../src/datasets/starter/starter-dataset";
import { readRows, validateFile } from "./read-rows";

const out = mkdtempSync(join(tmpdir(), "vault-tuner-starter-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function files(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(root, join(dir, entry.name)) : [relative(root, join(dir, entry.name))],
  );
}

it("the committed starter dataset is exactly what `vault-tuner dataset starter` writes", async () => {
  await writeStarterDataset(out);
  const committed = projectDatasetsDir();
  const written = [STARTER.source, ...files(join(out, STARTER.name)).map((file) => join(STARTER.name, file))].sort();
  expect(written).toContain(join(STARTER.name, "train.jsonl"));
  for (const file of written)
    expect(readFileSync(join(out, file), "utf8"), file).toBe(readFileSync(join(committed, file), "utf8"));
});

it("covers every catalog tool with a desirable example, alternates labels and validates clean", () => {
  const folder = join(projectDatasetsDir(), STARTER.name);
  const card = JSON.parse(readFileSync(join(folder, "card.json"), "utf8"));
  expect(card.coverage.covered).toBe(card.coverage.catalogTools);
  expect(card.counts.invalid).toEqual({ desirable: 0, undesirable: 0 });
  const rows = readRows(folder);
  expect(rows.map((row) => row.label)).toEqual(rows.map((_, i) => i % 2 === 0));
  expect(validateFile(folder, "train.jsonl", "strict").errors).toBe(0);
  expect(validateFile(join(projectDatasetsDir(), "sources"), "starter-claudesidian-3.jsonl", "strict")).toMatchObject({
    errors: 0,
    warnings: 0,
  });
  expect(
    rows.some((row) => row.prompt.length > 2),
    "some prompts carry an earlier turn",
  ).toBe(true);
});
