// Writes python/vault_tuner_train/progress.schema.json from the zod TrainEventSchema, so the Python
// trainer's tests check its events against the same contract the daemon parses them with.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { TrainEventSchema } from "../src/api/train-progress";

export const PROGRESS_SCHEMA_FILE = fileURLToPath(
  new URL("../../python/vault_tuner_train/progress.schema.json", import.meta.url),
);

export function progressSchemaText(): string {
  return `${JSON.stringify(z.toJSONSchema(TrainEventSchema), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  writeFileSync(PROGRESS_SCHEMA_FILE, progressSchemaText());
