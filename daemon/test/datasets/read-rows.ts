import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DatasetValidator, builtinCatalog, type Profile } from "@vault-tuner/shared";

export function readRows(folder: string, file = "train.jsonl"): any[] {
  return readFileSync(join(folder, file), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/** Runs the same validator as `vault-tuner validate` over a built file. */
export function validateFile(folder: string, file: string, profile: Profile, catalog = "claudesidian-3") {
  const validator = new DatasetValidator({ catalog: builtinCatalog(catalog)!, profile });
  const lines = readFileSync(join(folder, file), "utf8").split("\n");
  lines.forEach((text, i) => {
    if (text) validator.addLine(text, i + 1);
  });
  return validator.summary();
}

/** The first user message of a row: the key the builder groups file records by. */
export function firstUser(row: any): string {
  const messages = row.prompt ?? row.messages ?? row.conversations;
  return messages.find((message: any) => message.role === "user")?.content;
}
