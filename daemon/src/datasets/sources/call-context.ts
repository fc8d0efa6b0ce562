import { isObject } from "@vault-tuner/shared";

/** The ids and goal a call carries: in its 3.x `context` object or as 5.x top-level arguments. */
export interface CallContext {
  sessionId?: string;
  workspaceId?: string;
  goal?: string;
}

export function callContext(args: unknown): CallContext {
  if (!isObject(args)) return {};
  const context = isObject(args.context) ? args.context : args;
  return {
    sessionId: stringOrUndefined(context.sessionId),
    workspaceId: stringOrUndefined(context.workspaceId),
    goal: stringOrUndefined(context.primaryGoal) ?? stringOrUndefined(args.goal),
  };
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
