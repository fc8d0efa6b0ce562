import {
  DEFAULT_CATALOG_ID,
  FAILED_CALL_REASON,
  builtinCatalog,
  builtinCatalogWithTool,
  placeIssue,
  validateCall,
  type Catalog,
  type Suggestion,
  type Trace,
} from "@vault-tuner/shared";

const MAX_REASON_LENGTH = 300;

/**
 * Pre-marks calls that are probably undesirable: those that failed and those that break the toolset's
 * schema. A suggestion is shown to the user; it never becomes a label by itself.
 */
export function suggestLabel(
  trace: Trace,
  failure: string | undefined,
  catalog: Catalog | undefined,
): Suggestion | null {
  const reasons: string[] = [];
  if (failure !== undefined) reasons.push(`${FAILED_CALL_REASON}${clip(failure)}`);
  const checkedAgainst = catalog ?? guessCatalog(trace.call.name, trace.source.server);
  if (checkedAgainst) {
    const issues = validateCall(
      { form: "openai", name: trace.call.name, arguments: trace.call.arguments },
      { catalog: checkedAgainst, profile: "recorded" },
    );
    for (const issue of issues) {
      const placed = placeIssue(issue, 0, undefined, "recorded");
      if (placed.severity === "error") reasons.push(`${issue.rule}: ${clip(issue.message)}`);
    }
  }
  return reasons.length > 0 ? { label: "undesirable", reasons } : null;
}

/**
 * Without a recorded toolset: the built-in catalog that knows the tool. A tool none knows, called on a
 * Claudesidian / Nexus server, is checked against the default catalog (and reported unknown there); on
 * any other server we cannot tell, so it is not checked.
 */
function guessCatalog(toolName: string, server: string): Catalog | undefined {
  return (
    builtinCatalogWithTool(toolName) ??
    (/^(claudesidian|nexus)/i.test(server) ? builtinCatalog(DEFAULT_CATALOG_ID) : undefined)
  );
}

function clip(text: string): string {
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH)}…` : text;
}
