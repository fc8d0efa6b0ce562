import {
  type Catalog,
  resolveTool,
  type CallForm,
  readSessionContext,
  validateCall,
  type RuleId,
  type EvalCase,
  type CheckName,
  type CheckResult,
} from "@vault-tuner/shared";
import { checkConstraints } from "./constraints";
import { compareFinalState, type VaultSnapshot } from "./final-state";
import { matchCalls } from "./match-calls";
import { callUnits } from "./call-units";

/** A call the model made, as parsed from its reply, and what the sandbox answered. */
export interface ExecutedCall {
  turn: number;
  form: CallForm;
  name: string;
  arguments: unknown;
  result: string;
  isError: boolean;
}

/** One try of a case: each model turn's text, its calls, the call markers that could not be read. */
export interface AttemptTranscript {
  turns: { content: string; calls: ExecutedCall[]; parseErrors: string[] }[];
  /**
   * How the try ended: the model answered without a call; or it ran away: still calling at the turn limit,
   * a reply cut off at the token limit without a call, or a conversation that outgrew the model's context.
   */
  stop: TranscriptStop;
}

export type TranscriptStop = "answered" | "turn-limit" | "token-limit" | "context-full";

export interface AttemptScore {
  passed: boolean;
  checks: Record<CheckName, CheckResult>;
  failureReasons: string[];
}

const SCHEMA_RULES = new Set<RuleId>([
  "tool-unknown",
  "arguments-not-object",
  "param-missing",
  "param-type",
  "param-enum",
  "param-constraint",
  "param-unexpected",
  "command-unknown",
  "command-unparsable",
]);
const CONTEXT_RULES = new Set<RuleId>([
  "context-missing",
  "context-not-object",
  "context-field-missing",
  "context-field-type",
  "session-memory-empty",
]);
const ID_RULES = new Set<RuleId>(["session-id-mismatch", "workspace-id-mismatch"]);

/**
 * Scores one try of a case. Every check looks at what the model actually did: the calls it wrote (in any
 * form), checked against the catalog and the session context, paired with the expected calls, and the
 * sandbox vault it left behind. A case passes only when every check that applies passes.
 */
export function scoreAttempt(
  evalCase: EvalCase,
  catalog: Catalog,
  transcript: AttemptTranscript,
  before: VaultSnapshot,
  after: VaultSnapshot,
): AttemptScore {
  const calls = transcript.turns.flatMap((turn) => turn.calls);
  const system = evalCase.messages.find((message) => message.role === "system")?.content ?? "";
  const sessionContext = readSessionContext(system);
  const offered = evalCase.tools ? new Set(evalCase.tools) : undefined;
  const units = callUnits(catalog, calls);

  const parsed: string[] = transcript.turns.flatMap((turn, index) =>
    turn.parseErrors.map((error) => `turn ${index + 1}: ${error}`),
  );
  const schema: string[] = [];
  const context: string[] = [];
  const ids: string[] = [];
  calls.forEach((call, index) => {
    const label = `call ${index + 1} (${call.name})`;
    const resolved = resolveTool(catalog, call.name, call.arguments);
    const flat = resolved.kind === "tool" ? resolved.tool.name : undefined;
    if (flat && offered && !offered.has(flat)) schema.push(`${label}: ${flat} was not offered to the model`);
    for (const issue of validateCall(
      { form: call.form, name: call.name, arguments: call.arguments },
      { catalog, profile: "strict", sessionContext },
    )) {
      if (SCHEMA_RULES.has(issue.rule)) schema.push(`${label}: ${issue.message}`);
      else if (CONTEXT_RULES.has(issue.rule)) context.push(`${label}: ${issue.message}`);
      else if (ID_RULES.has(issue.rule)) ids.push(`${label}: ${issue.message}`);
    }
  });

  const irrelevance = evalCase.kind === "irrelevance";
  const expected = evalCase.expect.calls;
  const byName = matchCalls(expected, units, (want, unit) => unit.name === want.tool, evalCase.expect.order);
  const byArgs = matchCalls(
    expected,
    units,
    (want, unit) => unit.name === want.tool && checkConstraints(unit.arguments, want.args).length === 0,
    evalCase.expect.order,
  );

  const selection: string[] = [];
  const argumentProblems: string[] = [];
  expected.forEach((want, index) => {
    if (byName[index] === -1) {
      const calledAtAll = units.some((unit) => unit.name === want.tool);
      selection.push(calledAtAll ? `${want.tool} is not called in the expected order` : `${want.tool} is not called`);
    } else if (byArgs[index] === -1) {
      // Say what is wrong with the closest call of the right tool.
      const problems =
        units
          .filter((unit) => unit.name === want.tool)
          .map((unit) => checkConstraints(unit.arguments, want.args))
          .sort((a, b) => a.length - b.length)[0] ?? [];
      argumentProblems.push(`${want.tool}: ${problems.join("; ")}`);
    }
  });

  const used = new Set((byArgs.every((index) => index >= 0) ? byArgs : byName).filter((index) => index >= 0));
  const extra: string[] = [];
  units.forEach((unit, index) => {
    if (used.has(index) || !unit.name || evalCase.expect.allowExtra.includes(unit.name) || unit.effect === "read")
      return;
    extra.push(
      `call ${unit.call + 1}: ${unit.name} is an extra ${unit.effect === "destructive" ? "destructive" : "writing"} call`,
    );
  });

  const judged = evalCase.expect.finalState === "judged";
  const checks: Record<CheckName, CheckResult> = {
    parsed: result(parsed),
    schema: calls.length === 0 ? notApplicable() : result(schema),
    context: calls.length === 0 || catalog.contextStyle !== "context-object" ? notApplicable() : result(context),
    ids: calls.length === 0 || !sessionContext ? notApplicable() : result(ids),
    selection: irrelevance ? notApplicable() : result(selection),
    arguments: irrelevance || selection.length > 0 ? notApplicable() : result(argumentProblems),
    "extra-calls": irrelevance ? notApplicable() : result(extra),
    "final-state": judged ? result(compareFinalState(before, after, evalCase.expect.vault)) : notApplicable(),
    irrelevance: irrelevance
      ? result(
          calls.map((call, index) => `call ${index + 1}: ${call.name} was called for a request that needs no tool`),
        )
      : notApplicable(),
    // At the turn limit the turns taken are the limit the run used, which may be the caller's, not the case's.
    finished: result(unfinishedReasons(transcript.stop, transcript.turns.length)),
  };
  const failureReasons = Object.entries(checks).flatMap(([name, check]) =>
    check.reasons.map((reason) => `${name}: ${reason}`),
  );
  return { passed: Object.values(checks).every((check) => check.status !== "fail"), checks, failureReasons };
}

function result(reasons: string[]): CheckResult {
  return { status: reasons.length === 0 ? "pass" : "fail", reasons };
}

function notApplicable(): CheckResult {
  return { status: "n/a", reasons: [] };
}

/** A model that runs away fails `finished`; it is a wrong answer, not a request error. */
function unfinishedReasons(stop: TranscriptStop, turns: number): string[] {
  if (stop === "turn-limit") return [`still calling tools after ${turns} turns`];
  if (stop === "token-limit") return ["the reply was cut off at the token limit without a call or an end of turn"];
  if (stop === "context-full") return ["the conversation outgrew the model's context"];
  return [];
}
