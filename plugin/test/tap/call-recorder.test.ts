import { findVaultEntry, vaultSlug } from "@vault-tuner/shared";
import { describe, expect, it } from "vitest";
import { CallRecorder, CANCELLED_CODE, type TapRecord } from "../../tap/call-recorder";
import { LineSplitter } from "../../tap/line-splitter";

function recorder() {
  const records: TapRecord[] = [];
  let clock = 1_000;
  const tap = new CallRecorder(
    "run-1",
    (list) => `hash-of-${list.tools.length}`,
    (record) => records.push(record),
    () => (clock += 5),
  );
  const line = (value: unknown) => JSON.stringify(value);
  tap.fromClient(line({ jsonrpc: "2.0", id: 1, method: "initialize", params: { clientInfo: { name: "claude-ai" } } }));
  tap.fromServer(
    line({
      jsonrpc: "2.0",
      id: 1,
      result: { protocolVersion: "2025-06-18", serverInfo: { name: "nexus-vault", version: "5.17.2" } },
    }),
  );
  return { tap, records, line };
}

describe("CallRecorder", () => {
  it("pairs calls with results by id, across a JSON-RPC batch and out of order", () => {
    const { tap, records, line } = recorder();
    tap.fromClient(
      line([
        {
          jsonrpc: "2.0",
          id: "a",
          method: "tools/call",
          params: { name: "one", arguments: { context: { sessionId: "s-1" } } },
        },
        { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "two", arguments: {} } },
      ]),
    );
    tap.fromServer(line({ jsonrpc: "2.0", id: 7, error: { code: -32602, message: "bad params" } }));
    tap.fromServer(line({ jsonrpc: "2.0", id: "a", result: { content: [{ type: "text", text: "ok" }] } }));
    const traces = records.flatMap((record) => (record.kind === "trace" ? [record.trace] : []));
    expect(traces.map((trace) => trace.call.name)).toEqual(["two", "one"]);
    expect(traces[0]).toMatchObject({
      error: { code: -32602, message: "bad params" },
      session: "nexus-vault/run-1",
      source: { client: "claude-ai", server: "nexus-vault", serverVersion: "5.17.2" },
    });
    expect(traces[1]).toMatchObject({
      result: { content: [{ type: "text", text: "ok" }], isError: false },
      session: "nexus-vault/s-1",
    });
    expect(traces[1]?.latencyMs).toBeGreaterThan(0);
  });

  it("joins a paginated tools/list and tags later calls with its hash", () => {
    const { tap, records, line } = recorder();
    tap.fromClient(line({ jsonrpc: "2.0", id: 2, method: "tools/list" }));
    tap.fromServer(
      line({ jsonrpc: "2.0", id: 2, result: { tools: [{ name: "a", inputSchema: {} }], nextCursor: "p2" } }),
    );
    expect(records).toEqual([]);
    tap.fromClient(line({ jsonrpc: "2.0", id: 3, method: "tools/list", params: { cursor: "p2" } }));
    tap.fromServer(line({ jsonrpc: "2.0", id: 3, result: { tools: [{ name: "b", inputSchema: {} }] } }));
    expect(records).toEqual([
      {
        kind: "toolset",
        toolsList: {
          tools: [
            { name: "a", inputSchema: {} },
            { name: "b", inputSchema: {} },
          ],
        },
      },
    ]);
    tap.fromClient(line({ jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "a", arguments: {} } }));
    tap.fromClient(line({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 4 } }));
    tap.fromServer(line({ jsonrpc: "2.0", id: 4, result: { content: [] } }));
    const traces = records.flatMap((record) => (record.kind === "trace" ? [record.trace] : []));
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({ toolsetHash: "hash-of-2", error: { code: CANCELLED_CODE } });
  });

  it("ignores what is not JSON-RPC it knows, without throwing", () => {
    const { tap, records } = recorder();
    for (const text of ["", "not json", "[1,2]", '{"id": 9, "result": {}}', '{"method": "tools/call"}', "null"]) {
      tap.fromClient(text);
      tap.fromServer(text);
    }
    expect(records).toEqual([]);
  });
});

describe("LineSplitter", () => {
  it("rebuilds lines split anywhere, multi-byte characters included", () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    const bytes = Buffer.from('{"a":"é❌"}\n{"b":2}\n{"c"');
    for (let i = 0; i < bytes.length; i += 3) splitter.push(bytes.subarray(i, i + 3));
    splitter.push(Buffer.from(":3}\n"));
    expect(lines).toEqual(['{"a":"é❌"}', '{"b":2}', '{"c":3}']);
  });
});

describe("client config keys", () => {
  it("slugs vault names as the plugins do and finds a renamed entry by its connector path", () => {
    expect(vaultSlug("My  Notes! (2026)")).toBe("my-notes-2026");
    const config = {
      mcpServers: {
        "my vault server": {
          command: "node",
          args: ["/home/me/Vault/.obsidian/plugins/claudesidian-mcp/connector.js"],
        },
      },
    };
    expect(findVaultEntry(config, "Vault", "/home/me/Vault")).toBe("my vault server");
  });
});
