import { isObject, type Catalog, type EvalCaseInput, type EvalMessage, type PromptSet } from "@vault-tuner/shared";
import { referenceTopLevelContext } from "./backends/reference-backend";
import { constraintsOf, recordedCaseId } from "./recorded-constraints";
import { expectationFromReplay, vaultFromConversation } from "./recorded-vault";
import { VaultSandbox } from "./sandbox";
import { callUnits } from "./scoring/call-units";

/** The fields of a Nexus call that set its context, not what it does. */
const CONTEXT_FIELDS = new Set(["sessionId", "workspaceId", "memory", "goal", "constraints"]);

/**
 * A recorded Nexus call as an evaluation case: the conversation up to it, each of its commands expected
 * (the command, its paths, ids, numbers and flags; free text given), and the vault the conversation
 * showed. The approved call is replayed there once: where it runs, the state it leaves is the expected
 * final state; where it cannot (a note the conversation never read whole), the state is not judged.
 */
export async function nexusRecordedCase(
  prompt: EvalMessage[],
  call: { name: string; arguments: Record<string, unknown> },
  catalog: Catalog,
  source: string,
): Promise<EvalCaseInput | { reason: string }> {
  const units = callUnits(catalog, [call]);
  const unnamed = units.find((unit) => !unit.name);
  if (unnamed || units.length === 0)
    return { reason: `the approved call runs no command ${catalog.title} has (it would not pass its own check)` };
  const vault = vaultFromConversation(prompt, catalog);
  // A call that leaves the workspace to the session names it in the reference, as the session had it.
  const remembered = vault.memory.sessions.find((session) => session.id === call.arguments.sessionId)?.workspaceId;
  const named = typeof call.arguments.workspaceId === "string" && call.arguments.workspaceId !== "";
  const reference = {
    ...call.arguments,
    ...(!named && typeof remembered === "string" ? { workspaceId: remembered } : {}),
  };
  const draft: EvalCaseInput = {
    id: recordedCaseId(source),
    kind: "recorded",
    tags: [
      ...new Set(units.map((unit) => (unit.name as string).split(" ")[0] as string)),
      source.split(":")[0] as string,
    ],
    messages: prompt,
    vault,
    expect: {
      calls: units.map((unit) => ({
        tool: unit.name as string,
        args: constraintsOf(
          Object.fromEntries(
            Object.entries(isObject(unit.arguments) ? unit.arguments : {}).filter(([key]) => !CONTEXT_FIELDS.has(key)),
          ),
        ),
      })),
      order: "sequence",
      finalState: "unjudged",
    },
    reference: [[{ tool: call.name, arguments: reference }]],
  };
  const expected = await replay(draft, catalog);
  return expected ? { ...draft, expect: { ...draft.expect, finalState: "judged", vault: expected } } : draft;
}

/** The final state the approved call leaves in the case's vault, sent as the reference backend sends it. */
async function replay(draft: EvalCaseInput, catalog: Catalog) {
  const evalCase = draft as unknown as PromptSet["cases"][number];
  const sandbox = await VaultSandbox.open(evalCase.vault, catalog.id);
  try {
    const before = sandbox.snapshot();
    const call = evalCase.reference?.[0]?.[0];
    if (!call) return undefined;
    const result = await sandbox.call(call.tool, { ...referenceTopLevelContext(evalCase), ...call.arguments });
    if (result.isError) return undefined;
    return expectationFromReplay(before, sandbox.snapshot());
  } finally {
    await sandbox.close();
  }
}
