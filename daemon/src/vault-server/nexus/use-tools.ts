import { checkAgainstSchema, describeError, parseToolString, type CatalogCommand } from "@vault-tuner/shared";
import type { MemoryStore } from "../memory-store";
import { ToolError } from "../tool-error";
import { contextError, contextProblems } from "./context-contract";
import { findWorkspace, unknownWorkspaceMessage } from "./memory-commands";
import type { NexusCommandContext, NexusCommands } from "./nexus-command";
import { notInSandbox } from "./nexus-commands";
import { OPERATION_ID, OperationReceipts } from "./operation-receipts";

/** One command's outcome, as the plugin reports it. */
type CommandResult = { agent: string; tool: string; success: boolean; error?: string } & Record<string, unknown>;

/** The reply to a whole call: the one command's result, or every command's under `data.results`. */
export type UseToolsReply = Record<string, unknown> & { success: boolean; error?: string };

/** Where the workspace comes from: remembered per session (5.20), or "default" unless named (5.17). */
export type WorkspaceRule = "per-session" | "per-call";

/** The session a call without a `sessionId` belongs to: the connection's own. */
const CONNECTION_SESSION = "(this connection)";

/**
 * `toolManager_useTools` over a folder: checks the context, chooses the workspace, parses the command
 * string the way the validator does (a command the plugin would refuse refuses the whole call, before
 * anything runs), runs the commands serially (stopping at the first failure) or in parallel, and keeps
 * replies by `operationId`.
 */
export class UseTools {
  private readonly sessions = new Map<string, string>();
  private readonly receipts = new OperationReceipts();

  constructor(
    private readonly root: string,
    private readonly memory: MemoryStore,
    private readonly commands: readonly CatalogCommand[],
    private readonly handlers: NexusCommands,
    private readonly workspaceRule: WorkspaceRule,
  ) {
    // Sessions the store already knows (a recorded conversation's, replayed) keep their workspace, as the
    // plugin keeps it across calls; the sessions this server starts are remembered in memory only.
    for (const session of memory.all("sessions"))
      if (typeof session.workspaceId === "string") this.sessions.set(session.id, session.workspaceId);
  }

  async call(args: Record<string, unknown>): Promise<UseToolsReply> {
    for (const legacy of ["context", "calls"])
      if (legacy in args)
        return refused(
          `"${legacy}" is an old payload shape: put workspaceId, sessionId, memory and goal at the top level and the commands in the "tool" string.`,
        );
    const problems = contextProblems(args);
    if (problems.length > 0) return refused(contextError(problems));
    const operationId = args.operationId;
    const request = OperationReceipts.requestOf(args);
    if (operationId !== undefined) {
      if (typeof operationId !== "string" || !OPERATION_ID.test(operationId))
        return refused(
          "operationId must be 1 to 128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit",
        );
      const earlier = this.receipts.lookup(operationId, request);
      if (earlier && "refused" in earlier) return refused(earlier.refused);
      if (earlier) return { ...(earlier.reply as UseToolsReply), replayed: true };
    }
    const reply = await this.run(args);
    if (typeof operationId === "string") this.receipts.keep(operationId, request, reply);
    return reply;
  }

  private async run(args: Record<string, unknown>): Promise<UseToolsReply> {
    const tool = typeof args.tool === "string" ? args.tool.trim() : "";
    if (tool === "") return refused('tool is required: one or more commands, such as "content read notes/today.md 1"');
    const parsed = parseToolString(tool, args.values, this.commands);
    const problem = parsed.error ?? parsed.segments.find((segment) => !segment.ok)?.error;
    if (problem) return refused(problem.message);
    const segments = parsed.segments.flatMap((segment) => (segment.ok ? [segment] : []));
    const sessionId = typeof args.sessionId === "string" && args.sessionId !== "" ? args.sessionId : CONNECTION_SESSION;
    const workspace = this.workspaceFor(args, sessionId, segments[0]?.command.command);
    if ("refused" in workspace) return refused(workspace.refused);
    const context: NexusCommandContext = {
      root: this.root,
      memory: this.memory,
      workspaceId: workspace.id,
      sessionId,
      useWorkspace: (id) => {
        context.workspaceId = id;
        this.sessions.set(sessionId, id);
      },
    };
    const results: CommandResult[] = [];
    if (args.strategy === "parallel")
      results.push(
        ...(await Promise.all(segments.map((segment) => this.runOne(segment.command, segment.params, context)))),
      );
    else
      for (const segment of segments) {
        const result = await this.runOne(segment.command, segment.params, context);
        results.push(result);
        if (!result.success) break;
      }
    if (results.length === 1) return results[0] as CommandResult;
    const failed = results.filter((result) => !result.success).length;
    return {
      success: failed === 0,
      ...(failed > 0 ? { error: `${failed} of ${results.length} failed` } : {}),
      data: { results },
    };
  }

  /**
   * The workspace a call works in. A named one must exist and is remembered for the session. Otherwise
   * the session's remembered one; a fresh 5.20 session must name one, unless its first command loads one.
   */
  private workspaceFor(
    args: Record<string, unknown>,
    sessionId: string,
    firstCommand: string | undefined,
  ): { id: string } | { refused: string } {
    const named = typeof args.workspaceId === "string" && args.workspaceId !== "" ? args.workspaceId : undefined;
    if (named) {
      const found = findWorkspace(this.memory, named);
      if (!found) return { refused: unknownWorkspaceMessage(this.memory, named) };
      const id = found.id;
      if (this.workspaceRule === "per-session") this.sessions.set(sessionId, id);
      return { id };
    }
    if (this.workspaceRule === "per-call") return { id: "default" };
    const remembered = this.sessions.get(sessionId);
    if (remembered) return { id: remembered };
    if (firstCommand === "memory load-workspace" || firstCommand === "memory search-workspaces")
      return { id: "default" };
    return {
      refused:
        'This session has no workspace yet. Pass "workspaceId" once ("default", or an exact name from getTools), or run "memory load-workspace" first; later calls in the session inherit it.',
    };
  }

  private async runOne(
    command: CatalogCommand,
    params: Record<string, unknown>,
    context: NexusCommandContext,
  ): Promise<CommandResult> {
    const named = { agent: command.agent, tool: command.tool };
    const handler = this.handlers[command.command];
    if (!handler) return { ...named, success: false, error: notInSandbox(command.command) };
    const wrong = checkAgainstSchema(params, command.inputSchema).filter(
      (finding) => finding.kind === "required" || finding.kind === "type" || finding.kind === "enum",
    );
    if (wrong.length > 0)
      return {
        ...named,
        success: false,
        error: `${command.command}: ${wrong.map((finding) => finding.message).join("; ")}. Ask getTools for "${command.command}" to see its arguments.`,
      };
    try {
      const data = await handler(params, context);
      return { ...named, success: true, ...(data ?? {}) };
    } catch (error) {
      if (error instanceof ToolError) return { ...named, success: false, error: error.message };
      return { ...named, success: false, error: `${command.command} failed: ${describeError(error)}` };
    }
  }
}

function refused(error: string): UseToolsReply {
  return { success: false, error };
}
