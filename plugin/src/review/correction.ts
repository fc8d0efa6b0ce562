import { isObject, placeIssue, resolveTool, validateCall, type Catalog, type Correction } from "@vault-tuner/shared";

export type CorrectionCheck =
  | { ok: true; correction: Correction; warnings: string[] }
  | { ok: false; problems: string[] };

/**
 * Reads what the user typed in the correction editor: the right tool and its arguments as JSON. The JSON
 * must parse (the error says where), and the call must be valid against the toolset the session used,
 * with the recorded profile (the ids the real plugin makes are accepted). Warnings do not block saving.
 */
export function checkCorrection(tool: string, argumentsText: string, catalog: Catalog): CorrectionCheck {
  let args: unknown;
  try {
    args = JSON.parse(argumentsText);
  } catch (error) {
    return { ok: false, problems: [`the arguments are not valid JSON: ${where(argumentsText, error as Error)}`] };
  }
  if (!isObject(args)) return { ok: false, problems: ["the arguments must be a JSON object ({...})"] };
  const resolved = resolveTool(catalog, tool, args);
  if (resolved.kind === "unknown") return { ok: false, problems: [resolved.message] };
  const issues = validateCall({ form: "openai", name: tool, arguments: args }, { catalog, profile: "recorded" }).map(
    (issue) => placeIssue(issue, 0, undefined, "recorded"),
  );
  const problems = issues.filter((issue) => issue.severity === "error").map((issue) => issue.message);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    correction: { name: tool, arguments: args },
    warnings: issues.filter((issue) => issue.severity === "warning").map((issue) => issue.message),
  };
}

/** `Unexpected token } in JSON at position 41` -> `line 3, column 5: Unexpected token }...`. */
function where(text: string, error: Error): string {
  const position = /position (\d+)/.exec(error.message)?.[1];
  if (position === undefined) return error.message;
  const before = text.slice(0, Number(position)).split("\n");
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}: ${error.message.replace(/ in JSON at position \d+.*$/, "")}`;
}
