import type { ArgConstraint } from "@vault-tuner/shared";

/** Arguments that name a note or folder: compared as vault paths. */
const PATH_ARGUMENTS = /^(filePath|path|newPath|notePath|sourcePath|targetPath|savePath|rootFolder|outputPath)$/;
/** Arguments that name a stored item: compared exactly. */
const ID_ARGUMENTS = /(^id$|Id$)/;

/** A recorded case's id, from where its row came (`trace:<id>`). */
export function recordedCaseId(source: string): string {
  return `recorded-${source.replace(/[^A-Za-z0-9_.:-]+/g, "-")}`.slice(0, 120);
}

/**
 * What a model's call must match of an approved one: paths as vault paths, ids, numbers and flags exactly;
 * free text only given (the same request has many right wordings).
 */
export function constraintsOf(args: Record<string, unknown>): Record<string, ArgConstraint> {
  return Object.fromEntries(
    Object.entries(args).map(([key, value]): [string, ArgConstraint] => {
      if (typeof value === "string" && PATH_ARGUMENTS.test(key)) return [key, { path: value }];
      if (typeof value === "string" && ID_ARGUMENTS.test(key)) return [key, { exact: value }];
      if (typeof value === "number" || typeof value === "boolean") return [key, { exact: value }];
      return [key, { any: true }];
    }),
  );
}
