import { cutJson, MAX_JSON_DEPTH, type ToolsListResult, type Trace } from "@vault-tuner/shared";

/** What the tap writes to its spool and sends to the daemon. */
export type TapRecord = { kind: "toolset"; toolsList: ToolsListResult } | { kind: "trace"; trace: Trace };

type Json = Record<string, unknown>;

/** JSON-RPC has no standard code for a cancelled request; this is the one LSP and MCP SDKs use. */
export const CANCELLED_CODE = -32800;

interface PendingCall {
  name: string;
  arguments: Json;
  /** Values nested deeper than the daemon takes were replaced by a marker. */
  truncated: boolean;
  startedAt: number;
  recordedAt: string;
}

/**
 * The daemon refuses JSON nested deeper than MAX_JSON_DEPTH; the tap records such a call with the
 * deeper values replaced by a marker (the relay passes the original untouched), so the call is still
 * there to label.
 */
const WITHIN_DEPTH = { chars: Number.POSITIVE_INFINITY, items: Number.POSITIVE_INFINITY, depth: MAX_JSON_DEPTH };

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const idKey = (id: unknown): string | undefined =>
  typeof id === "string" || typeof id === "number" ? `${typeof id}:${id}` : undefined;

/**
 * Watches both directions of one MCP connection and turns what it sees into records: each
 * `tools/list` result, and each `tools/call` request paired (by JSON-RPC id) with its result, its error
 * or its cancellation. It never throws on odd input; what it cannot read it ignores.
 */
export class CallRecorder {
  private client: string | undefined;
  private server = "unknown";
  private serverVersion: string | undefined;
  private toolsetHash: string | undefined;
  private readonly calls = new Map<string, PendingCall>();
  private readonly listRequests = new Set<string>();
  private pageTools: ToolsListResult["tools"] = [];
  private sequence = 0;

  constructor(
    private readonly runId: string,
    private readonly hash: (toolsList: ToolsListResult) => string,
    private readonly emit: (record: TapRecord) => void,
    private readonly now: () => number = Date.now,
    /** Which path the connection came by: the MCP client's stdio, or the plugin's socket. */
    private readonly transport: Trace["source"]["transport"] = "stdio-tap",
  ) {}

  /** A line the client sent to the server. */
  fromClient(line: string): void {
    for (const message of parseMessages(line)) {
      const key = idKey(message.id);
      if (message.method === "initialize" && isObject(message.params) && isObject(message.params.clientInfo)) {
        this.client = typeof message.params.clientInfo.name === "string" ? message.params.clientInfo.name : undefined;
      } else if (message.method === "tools/list" && key) {
        this.listRequests.add(key);
        if (!isObject(message.params) || message.params.cursor === undefined) this.pageTools = [];
      } else if (
        message.method === "tools/call" &&
        key &&
        isObject(message.params) &&
        typeof message.params.name === "string"
      ) {
        const started = this.now();
        const args = cutJson(isObject(message.params.arguments) ? message.params.arguments : {}, WITHIN_DEPTH);
        this.calls.set(key, {
          name: message.params.name,
          arguments: args.value,
          truncated: args.cut,
          startedAt: started,
          recordedAt: new Date(started).toISOString(),
        });
      } else if (message.method === "notifications/cancelled" && isObject(message.params)) {
        this.finish(idKey(message.params.requestId), {
          error: {
            code: CANCELLED_CODE,
            message: `cancelled by the client${typeof message.params.reason === "string" ? `: ${message.params.reason}` : ""}`,
          },
        });
      }
    }
  }

  /** A line the server sent to the client. */
  fromServer(line: string): void {
    for (const message of parseMessages(line)) {
      const key = idKey(message.id);
      if (!key || message.method !== undefined) continue;
      const result = message.result;
      if (isObject(result) && isObject(result.serverInfo) && typeof result.protocolVersion === "string") {
        this.server = typeof result.serverInfo.name === "string" ? result.serverInfo.name : this.server;
        this.serverVersion = typeof result.serverInfo.version === "string" ? result.serverInfo.version : undefined;
      }
      if (this.listRequests.delete(key) && isObject(result) && Array.isArray(result.tools)) {
        this.pageTools = [...this.pageTools, ...cutJson(result.tools as ToolsListResult["tools"], WITHIN_DEPTH).value];
        if (typeof result.nextCursor !== "string") this.recordToolset({ tools: this.pageTools });
        continue;
      }
      if (isObject(message.error)) {
        const code = typeof message.error.code === "number" ? message.error.code : -32603;
        const text = typeof message.error.message === "string" ? message.error.message : "error";
        this.finish(key, { error: { code, message: text } });
      } else if (isObject(result)) {
        const content = cutJson(Array.isArray(result.content) ? result.content : [], WITHIN_DEPTH);
        this.finish(key, { result: { content: content.value, isError: result.isError === true } }, content.cut);
      }
    }
  }

  private recordToolset(toolsList: ToolsListResult): void {
    this.toolsetHash = this.hash(toolsList);
    this.emit({ kind: "toolset", toolsList });
  }

  private finish(key: string | undefined, outcome: Pick<Trace, "result" | "error">, resultCut = false): void {
    const call = key ? this.calls.get(key) : undefined;
    if (!key || !call) return;
    this.calls.delete(key);
    const trace: Trace = {
      id: `${this.runId}-${++this.sequence}`,
      recordedAt: call.recordedAt,
      source: {
        transport: this.transport,
        ...(this.client ? { client: this.client } : {}),
        server: this.server,
        ...(this.serverVersion ? { serverVersion: this.serverVersion } : {}),
      },
      session: sessionKey(this.server, this.runId, call.arguments),
      ...(this.toolsetHash ? { toolsetHash: this.toolsetHash } : {}),
      call: { name: call.name, arguments: call.arguments },
      ...outcome,
      latencyMs: Math.max(0, this.now() - call.startedAt),
      ...(call.truncated || resultCut ? { truncated: true as const } : {}),
    };
    this.emit({ kind: "trace", trace });
  }
}

/** A line holds one message or a JSON-RPC batch; anything else is not ours to read. */
function parseMessages(line: string): Json[] {
  try {
    const value: unknown = JSON.parse(line);
    if (Array.isArray(value)) return value.filter(isObject);
    return isObject(value) ? [value] : [];
  } catch {
    return [];
  }
}

/**
 * Calls are grouped into sessions by the session id the model writes into the call (3.x `context`,
 * 5.x top level), so one conversation is one session; without one, by the tap's run.
 */
function sessionKey(server: string, runId: string, args: Json): string {
  const context = isObject(args.context) ? args.context : args;
  const sessionId = context.sessionId;
  return typeof sessionId === "string" && sessionId.length > 0 ? `${server}/${sessionId}` : `${server}/${runId}`;
}
