import { canonicalJson } from "@vault-tuner/shared";

/** The `operationId` rule of Nexus 5.20: 1 to 128 characters, starting with a letter or digit. */
export const OPERATION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

interface Receipt {
  /** What the call asked for: the commands, their values and strategy, and the workspace it named. */
  request: string;
  reply: unknown;
}

/**
 * Replies kept by `operationId`, so an exact retry (a client that lost the answer) gets the first answer
 * again instead of running its commands twice, and a changed call under a used id is refused.
 */
export class OperationReceipts {
  private readonly receipts = new Map<string, Receipt>();

  /** The request a retry must repeat; the context prose (memory, goal) may change between tries. */
  static requestOf(args: Record<string, unknown>): string {
    return canonicalJson({
      tool: args.tool,
      values: args.values ?? null,
      strategy: args.strategy ?? "serial",
      workspaceId: args.workspaceId || null,
    });
  }

  /** The first reply for an exact retry, a refusal for a changed one, or nothing for a new id. */
  lookup(operationId: string, request: string): { reply: unknown } | { refused: string } | undefined {
    const receipt = this.receipts.get(operationId);
    if (!receipt) return undefined;
    if (receipt.request !== request)
      return {
        refused: `operationId "${operationId}" was already used for a different call. Reuse an operationId only to retry the same call exactly; give a new call a new one.`,
      };
    return { reply: receipt.reply };
  }

  keep(operationId: string, request: string, reply: unknown): void {
    this.receipts.set(operationId, { request, reply });
  }
}
