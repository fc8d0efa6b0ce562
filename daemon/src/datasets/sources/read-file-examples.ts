import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import {
  inspectRecord,
  isObject,
  placeIssue,
  withoutBom,
  type Catalog,
  type Profile,
  describeError,
} from "@vault-tuner/shared";
import { readLines } from "@vault-tuner/shared/node";
import { UnreadableRecord } from "../conversation";
import type { Example } from "../example";
import { exampleFromRecord } from "./file-examples";

export type DropRecord = (source: string, rule: string, message: string) => void;

/**
 * Reads one JSONL source file, streaming. Lines that cannot be read, parsed or rendered are dropped
 * (with their line and rule) whatever their label; the rest become examples. Blank lines are skipped.
 */
export async function readFileExamples(
  path: string,
  name: string,
  check: { catalog: Catalog; catalogId: string; profile: Profile },
  drop: DropRecord,
): Promise<{ examples: Example[]; records: number; sha256: string }> {
  const examples: Example[] = [];
  let records = 0;
  for await (const line of readLines(path)) {
    const where = `file:${name}:${line.line}`;
    if (line.text === undefined) {
      drop(where, line.problem, line.message);
      continue;
    }
    const text = withoutBom(line.text, line.line);
    if (text.trim() === "") continue;
    records++;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      drop(where, "json-parse", describeError(error));
      continue;
    }
    const structural = inspectRecord(record, {
      catalog: check.catalog,
      profile: check.profile,
      checkCalls: false,
    }).issues.find((issue) => placeIssue(issue, line.line, undefined, check.profile).severity === "error");
    if (structural || !isObject(record)) {
      drop(where, structural?.rule ?? "record-not-object", structural?.message ?? "not a JSON object");
      continue;
    }
    try {
      examples.push(exampleFromRecord(record, where, check.catalogId));
    } catch (error) {
      if (!(error instanceof UnreadableRecord)) throw error;
      drop(where, error.rule, error.message);
    }
  }
  return { examples, records, sha256: await fileSha256(path) };
}

function fileSha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("end", () => resolve(hash.digest("hex")))
      .on("error", reject);
  });
}
