import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { vaultClient } from "./vault-client";

let v: Awaited<ReturnType<typeof vaultClient>>;
beforeEach(async () => {
  v = await vaultClient();
  mkdirSync(join(v.vault, "Projects", "Atlas"), { recursive: true });
  writeFileSync(join(v.vault, "Projects", "Atlas", "Roadmap.md"), "# Roadmap\nThe launch date moves to April.\n");
  writeFileSync(join(v.vault, "Projects", "Budget.md"), "# Budget\nQuarterly budget review.\n");
  writeFileSync(join(v.vault, "image.png"), "not a note");
});
afterEach(async () => {
  await v.close();
});

describe("vaultLibrarian", () => {
  it("searchContent ranks notes by matched words, within paths, with snippets", async () => {
    const found = await v.call("vaultLibrarian", "searchContent", { query: "launch april" });
    expect(found.data.results.map((result: any) => result.filePath)).toEqual(["Projects/Atlas/Roadmap.md"]);
    expect(found.data.results[0].snippet).toContain("launch date");
    expect(
      (await v.call("vaultLibrarian", "searchContent", { query: "budget", paths: ["Projects/Atlas"] })).data.results,
    ).toEqual([]);
    expect((await v.call("vaultLibrarian", "searchContent", { query: "  " })).error).toContain("query");
  });

  it("searchDirectory finds files and folders by name under the given paths", async () => {
    const found = await v.call("vaultLibrarian", "searchDirectory", { query: "atlas", paths: ["Projects"] });
    expect(found.data.results).toEqual([
      { path: "Projects/Atlas/Roadmap.md", type: "file" },
      { path: "Projects/Atlas", type: "folder" },
    ]);
  });

  it("batch runs several searches and reports each", async () => {
    const batch = await v.call("vaultLibrarian", "batch", {
      searches: [
        { type: "content", query: "budget" },
        { type: "directory", query: "x" },
      ],
    });
    expect(batch.data.results.map((result: any) => result.success)).toEqual([true, false]);
  });
});

describe("memoryManager", () => {
  it("keeps sessions, states and workspaces across server restarts, and searches them", async () => {
    const session = await v.call("memoryManager", "createSession", { name: "Budget review", sessionGoal: "Review Q3" });
    expect(session.data.id).toMatch(/^session_\d{13}_[a-z0-9]{9}$/);
    const state = await v.call("memoryManager", "createState", {
      name: "Halfway",
      targetSessionId: session.data.id,
      activeFiles: ["Projects/Budget.md"],
      tags: ["finance"],
    });
    await v.call("memoryManager", "updateState", { stateId: state.data.id, addTags: ["q3"], removeTags: ["finance"] });
    const workspace = await v.call("memoryManager", "createWorkspace", {
      name: "Atlas",
      rootFolder: "Projects/Atlas",
      purpose: "Ship Atlas",
      currentGoal: "Launch",
      workflows: [],
    });
    await v.call("memoryManager", "updateWorkspace", {
      workspaceId: workspace.data.id,
      fieldPath: "context.currentGoal",
      newValue: "Launch in April",
    });
    expect(
      (
        await v.call("memoryManager", "updateWorkspace", {
          workspaceId: workspace.data.id,
          fieldPath: "id",
          newValue: "x",
        })
      ).error,
    ).toContain("fieldPath");
    await v.close();

    v = await vaultClient({ vault: v.vault });
    expect(
      (await v.call("memoryManager", "loadSession", { sessionId: session.data.id })).data.states.map(
        (s: any) => s.name,
      ),
    ).toEqual(["Halfway"]);
    expect((await v.call("memoryManager", "loadState", { stateId: state.data.id })).data.state.tags).toEqual(["q3"]);
    expect(
      (await v.call("memoryManager", "loadWorkspace", { id: workspace.data.id })).data.workspace.context.currentGoal,
    ).toBe("Launch in April");
    expect((await v.call("memoryManager", "listWorkspaces", {})).data.workspaces.map((w: any) => w.id)).toContain(
      "default",
    );
    expect((await v.call("memoryManager", "listSessions", { limit: 5 })).data.sessions).toHaveLength(1);
    expect((await v.call("memoryManager", "listStates", { tags: ["q3"] })).data.states).toHaveLength(1);
    expect(
      (await v.call("vaultLibrarian", "searchMemory", { query: "review q3", workspaceId: "default" })).data.results.map(
        (r: any) => r.type,
      ),
    ).toEqual(["session"]);
    expect((await v.call("memoryManager", "loadState", { stateId: "state_0_nothing" })).error).toBe(
      "❌ Error: State not found: state_0_nothing",
    );
    expect(
      (
        await v.call("memoryManager", "createWorkspace", {
          name: "Bad",
          rootFolder: "../x",
          purpose: "p",
          currentGoal: "g",
          workflows: [],
        })
      ).error,
    ).toContain("leaves the vault");
  });
});

describe("agentManager and commandManager", () => {
  it("does agent CRUD and refuses anything that would call a model", async () => {
    const agent = await v.call("agentManager", "createAgent", {
      name: "Summarizer",
      description: "Sums up",
      prompt: "Summarise.",
    });
    expect(
      (await v.call("agentManager", "createAgent", { name: "Summarizer", description: "d", prompt: "p" })).error,
    ).toContain("already exists");
    await v.call("agentManager", "toggleAgent", { id: agent.data.id });
    expect((await v.call("agentManager", "listAgents", { enabledOnly: true })).data.agents).toEqual([]);
    await v.call("agentManager", "updateAgent", { id: agent.data.id, prompt: "Summarise in bullets." });
    expect((await v.call("agentManager", "getAgent", { name: "Summarizer" })).data.prompt).toBe(
      "Summarise in bullets.",
    );
    await v.call("agentManager", "deleteAgent", { id: agent.data.id });
    expect((await v.call("agentManager", "getAgent", { id: agent.data.id })).error).toContain("Agent not found");
    for (const [mode, params] of [
      ["executePrompt", { prompt: "x" }],
      ["batchExecutePrompt", { prompts: [] }],
      ["generateImage", { prompt: "x", provider: "google", savePath: "a.png" }],
    ] as const) {
      expect((await v.call("agentManager", mode, params)).error).toContain("not available in the sandbox");
    }
    expect((await v.call("commandManager", "listCommands", { filter: "graph" })).data.commands).toHaveLength(1);
    expect((await v.call("commandManager", "executeCommand", { commandId: "nope" })).error).toContain(
      "Command not found",
    );
  });
});

describe("the flat surface", () => {
  it("lists the 47 flat tools, answers get_tools, and runs a flat call", async () => {
    const flat = await vaultClient({ flat: true });
    try {
      const tools = (await flat.client.listTools()).tools.map((tool) => tool.name);
      expect(tools).toHaveLength(47);
      expect(tools).toContain("contentManager_readContent");
      const meta = await flat.client.callTool({ name: "get_tools", arguments: { managers: ["vaultManager"] } });
      expect(JSON.parse((meta.content as { text: string }[])[0]?.text as string).data.tools).toHaveLength(9);
      const unknown = await flat.client.callTool({ name: "contentManager", arguments: { mode: "readContent" } });
      expect((unknown.content as { text: string }[])[0]?.text).toBe("❌ Error: Unknown tool: contentManager");
    } finally {
      await flat.close();
    }
  });
});
