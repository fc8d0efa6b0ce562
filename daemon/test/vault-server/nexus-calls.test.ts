import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nexusClient } from "./nexus-client";

let v: Awaited<ReturnType<typeof nexusClient>>;
beforeEach(async () => {
  v = await nexusClient();
  writeFileSync(join(v.vault, "a.md"), "alpha\n");
  writeFileSync(join(v.vault, "b.md"), "beta\n");
});
afterEach(async () => {
  await v.close();
});

describe("Nexus useTools: the call around the commands", () => {
  it("lists the release's two tools with its own schemas", async () => {
    const { tools } = await v.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(["toolManager_getTools", "toolManager_useTools"]);
    const useTools = tools[1]?.inputSchema as { required: string[]; properties: Record<string, unknown> };
    expect(useTools.required).toEqual(["memory", "goal", "tool"]);
    expect(useTools.properties.operationId).toBeDefined();
  });

  it("refuses a call whose memory or goal is empty or a stand-in, running nothing", async () => {
    const empty = await v.use('content write c.md "x"', { memory: "" });
    expect(empty.error).toMatch(/^Context incomplete — The "memory" field is empty/);
    const both = await v.use('content write c.md "x"', { memory: "N/A (first turn)", goal: "TBD" });
    expect(both.error).toContain("Context incomplete. Fix these");
    expect(both.error).toContain('"goal"');
    expect((await v.use("content read a.md 1", { sessionId: "placeholder" })).error).toContain(
      '"sessionId" looks like a stand-in',
    );
    expect(() => readFileSync(join(v.vault, "c.md"))).toThrow();
  });

  it("runs several commands in order, stopping at the first failure when serial", async () => {
    const serial = await v.use('content read a.md 1, content read missing.md 1, content write c.md "x"');
    expect(serial.error).toBe("1 of 2 failed");
    expect(serial.text).toContain("🔍 Full Error Details:");
    const details = JSON.parse(serial.text.split("🔍 Full Error Details:\n")[1] as string);
    expect(details.data.results.map((result: any) => [result.tool, result.success])).toEqual([
      ["read", true],
      ["read", false],
    ]);
    expect(() => readFileSync(join(v.vault, "c.md"))).toThrow();
    const parallel = await v.use('content read missing.md 1, content write c.md "x"', { strategy: "parallel" });
    expect(parallel.error).toBe("1 of 2 failed");
    expect(readFileSync(join(v.vault, "c.md"), "utf8")).toBe("x");
    const fine = await v.use("content read a.md 1 --end-line 1, content read b.md 1 --end-line 1", {
      strategy: "parallel",
    });
    expect(fine.result).toMatchObject({
      success: true,
      data: { results: [{ content: "1: alpha" }, { content: "1: beta" }] },
    });
  });

  it("refuses the whole call when one command would not parse, before any runs", async () => {
    const reply = await v.use('content write c.md "x", content frobnicate a.md');
    expect(reply.error).toContain('unknown command "content frobnicate"');
    expect(() => readFileSync(join(v.vault, "c.md"))).toThrow();
    expect((await v.use("content read")).error).toContain("content read: missing path, startLine");
  });

  it("takes values verbatim through @key", async () => {
    await v.use("content write code.md @body", { values: { body: 'const re = /\\d+/; // "quoted"' } });
    expect(readFileSync(join(v.vault, "code.md"), "utf8")).toBe('const re = /\\d+/; // "quoted"');
  });

  it("answers a command that needs Obsidian or a service as not available in the sandbox", async () => {
    const reply = await v.use('prompt generate-image "a cat" cat.png');
    expect(reply.error).toContain('"prompt generate-image" is not available in the sandbox');
  });
});

describe("Nexus 5.20 workspaces: named once per session", () => {
  it("a fresh session must name its workspace or load one; later calls inherit it", async () => {
    const fresh = await v.use("content read a.md 1", { workspaceId: undefined, sessionId: "fresh" });
    expect(fresh.error).toContain("This session has no workspace yet");
    expect((await v.use("content read a.md 1", { workspaceId: "", sessionId: "fresh" })).error).toContain(
      "no workspace yet",
    );
    await v.use('memory create-workspace Research "Reading notes" / "Collect sources"');
    expect(
      (await v.use("memory load-workspace research", { workspaceId: undefined, sessionId: "s2" })).result,
    ).toMatchObject({
      success: true,
      workspace: { name: "Research" },
    });
    await v.use('memory create-state "Paused" "Where we were" "Reading" --active-files a.md --next-steps "read b"', {
      workspaceId: undefined,
      sessionId: "s2",
    });
    const states = await v.use("memory list-states", { workspaceId: undefined, sessionId: "s2" });
    expect(states.result.states.map((state: any) => state.name)).toEqual(["Paused"]);
    // The default workspace's session sees none of Research's states.
    expect((await v.use("memory list-states")).result.states).toEqual([]);
  });

  it("refuses a workspace that does not exist, naming the ones that do", async () => {
    await v.use('memory create-workspace Research "Reading notes" / "Collect sources"');
    const reply = await v.use("content read a.md 1", { workspaceId: "Reserch" });
    expect(reply.error).toBe(
      'Invalid workspace "Reserch". Use one of these exact values: "default" (global), "Research"',
    );
  });

  it("5.17.2 takes the default workspace for a call that names none", async () => {
    const old = await nexusClient({ toolset: "nexus-5.17.2", vault: v.vault });
    expect((await old.use("content read a.md 1", { workspaceId: undefined, sessionId: "fresh" })).result.content).toBe(
      "1: alpha\n2: ",
    );
    await old.close();
  });
});

describe("Nexus 5.20 operationId: an exact retry is answered once", () => {
  it("returns the first reply to an exact retry without running it again", async () => {
    const first = await v.use("content insert a.md again -1", { operationId: "op-1" });
    const again = await v.use("content insert a.md again -1", {
      operationId: "op-1",
      memory: "Retrying after a timeout.",
    });
    expect(again.result).toEqual({ ...first.result, replayed: true });
    expect(readFileSync(join(v.vault, "a.md"), "utf8")).toBe("alpha\nagain\n");
  });

  it("refuses the same id on a different call, and an id of the wrong form", async () => {
    await v.use("content read a.md 1", { operationId: "op-2" });
    expect((await v.use("content read b.md 1", { operationId: "op-2" })).error).toContain(
      'operationId "op-2" was already used for a different call',
    );
    expect((await v.use("content read a.md 1", { operationId: "-bad id" })).error).toContain("operationId must be");
  });
});

describe("Nexus getTools", () => {
  it("--help lists every command briefly, with the workspaces that exist", async () => {
    await v.use('memory create-workspace Research "Reading notes" / "Collect sources"');
    const { result } = await v.getTools("--help");
    expect(result.success).toBe(true);
    expect(result.data.tools).toHaveLength(80);
    expect(result.data.tools[0]).toEqual({
      agent: "baseManager",
      tool: "analyze",
      description: expect.any(String),
      command: "base analyze",
    });
    expect(result.data.workspaces).toEqual(["default", "Research"]);
    expect(result.data.note).toContain("short list");
  });

  it("an 'agent tool' selector gives the full signature; unknown ones are named", async () => {
    const { result } = await v.getTools("content set-property, storage frob, nothing");
    const [setProperty] = result.data.tools;
    expect(setProperty).toMatchObject({
      command: "content set-property",
      usage: "content set-property <path> <property> <value> [--mode <mode>]",
      examples: ['content set-property "path-value" "property-value" "value-value"'],
    });
    expect(setProperty.arguments.find((argument: any) => argument.name === "mode")).toMatchObject({
      flag: "--mode",
      required: false,
      description: expect.stringContaining("merge"),
    });
    expect(result.error).toContain('unknown command "storage frob"');
    expect(result.error).toContain('Agent "nothing" not found');
  });
});
