import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nexusClient } from "./nexus-client";

let v: Awaited<ReturnType<typeof nexusClient>>;
beforeEach(async () => {
  v = await nexusClient();
  mkdirSync(join(v.vault, "Projects", "Atlas"), { recursive: true });
  mkdirSync(join(v.vault, ".obsidian"));
  writeFileSync(join(v.vault, "Projects", "Atlas", "Roadmap.md"), "# Roadmap\nThe launch date moves to April.\n");
  writeFileSync(join(v.vault, "Projects", "Budget.md"), "# Budget\nQuarterly budget review.\n");
});
afterEach(async () => {
  await v.close();
});

describe("Nexus storage commands", () => {
  it("list gives a folder's files and folders with a summary, hidden entries left out, filtered by glob", async () => {
    const { result } = await v.use("storage list --path Projects");
    expect(result.folders).toEqual([{ name: "Atlas", path: "Projects/Atlas" }]);
    expect(result.files).toEqual([
      expect.objectContaining({ name: "Budget.md", path: "Projects/Budget.md", size: 34 }),
    ]);
    expect(result.summary).toEqual({ fileCount: 1, folderCount: 1, totalItems: 2 });
    expect((await v.use("storage list")).result.folders.map((folder: any) => folder.name)).toEqual(["Projects"]);
    expect((await v.use('storage list --path Projects --filter "bud*"')).result.summary.totalItems).toBe(1);
    expect((await v.use("storage list --path Nowhere")).error).toContain('Folder not found: "Nowhere"');
  });

  it("create-folder, move, copy answer success alone and refuse to overwrite unless asked", async () => {
    expect((await v.use("storage create-folder Archive/2026")).result).toEqual({
      agent: "storageManager",
      tool: "createFolder",
      success: true,
    });
    await v.use("storage move Projects/Budget.md Archive/2026/Budget.md");
    expect(existsSync(join(v.vault, "Archive/2026/Budget.md"))).toBe(true);
    expect((await v.use("storage copy Archive/2026/Budget.md Projects/Budget copy.md")).error).toContain("copy.md");
    await v.use('storage copy Archive/2026/Budget.md "Projects/Budget copy.md"');
    expect((await v.use('storage copy Archive/2026/Budget.md "Projects/Budget copy.md"')).error).toContain(
      "already exists",
    );
    await v.use('storage copy Archive/2026/Budget.md "Projects/Budget copy.md" --overwrite');
    expect(readFileSync(join(v.vault, "Projects/Budget copy.md"), "utf8")).toContain("Quarterly");
    await v.use("storage move Projects/Atlas Archive/Atlas");
    expect(readdirSync(join(v.vault, "Archive/Atlas"))).toEqual(["Roadmap.md"]);
    expect((await v.use("storage move Missing.md x.md")).error).toContain('Not found: "Missing.md"');
  });

  it("archive moves a note under .archive/<time>/ keeping its path", async () => {
    await v.use("storage archive Projects/Budget.md");
    const [stamp] = readdirSync(join(v.vault, ".archive"));
    expect(stamp).toMatch(/^\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d$/);
    expect(existsSync(join(v.vault, ".archive", stamp as string, "Projects/Budget.md"))).toBe(true);
    expect(existsSync(join(v.vault, "Projects/Budget.md"))).toBe(false);
  });
});

describe("Nexus search commands", () => {
  it("content and directory search the notes; semantic search is not in the sandbox", async () => {
    const found = await v.use('search content "launch april"');
    expect(found.result.results.map((result: any) => result.filePath)).toEqual(["Projects/Atlas/Roadmap.md"]);
    const folders = await v.use('search directory atlas --paths "/"');
    expect(folders.result.results).toContainEqual({ path: "Projects/Atlas", type: "folder" });
    expect((await v.use("search content launch --semantic")).error).toContain("Semantic search is not available");
  });
});

describe("Nexus memory commands", () => {
  it("workspaces: create, list, find, update and archive, by name or id", async () => {
    const created = await v.use(
      'memory create-workspace Atlas "The Atlas launch" Projects/Atlas "Ship Atlas" --key-files "Projects/Atlas/Roadmap.md"',
    );
    expect(created.result.workspace).toMatchObject({ name: "Atlas", rootFolder: "Projects/Atlas" });
    expect((await v.use('memory create-workspace atlas "again" / "again"')).error).toContain("already exists");
    await v.use('memory update-workspace atlas --purpose "Ship Atlas in April"');
    const loaded = await v.use("memory load-workspace Atlas");
    expect(loaded.result.workspace.context).toEqual({
      purpose: "Ship Atlas in April",
      keyFiles: ["Projects/Atlas/Roadmap.md"],
    });
    expect(loaded.result.files).toEqual([]);
    expect((await v.use("memory load-workspace Atlas --recursive")).result.files).toEqual([
      "Projects/Atlas/Roadmap.md",
    ]);
    expect((await v.use("memory search-workspaces launch")).result.matches.map((match: any) => match.name)).toEqual([
      "Atlas",
    ]);
    await v.use("memory archive-workspace Atlas");
    expect((await v.use("memory list-workspaces")).result.workspaces.map((w: any) => w.name)).toEqual([
      "Default workspace",
    ]);
    expect((await v.use("memory list-workspaces --include-archived")).result.workspaces).toHaveLength(2);
    expect((await v.use("memory load-workspace Nope")).error).toContain('Invalid workspace "Nope"');
  });

  it("states: create, load, update and archive within the session's workspace", async () => {
    await v.use(
      'memory create-state Checkpoint "## Request\\nPlan the launch" "Drafting" --active-files "Projects/Budget.md" --next-steps "ask Ana,book room" --tags launch',
    );
    const loaded = await v.use("memory load-state Checkpoint");
    expect(loaded.result.state).toMatchObject({
      name: "Checkpoint",
      workspaceId: "default",
      sessionId: "sandbox test",
      nextSteps: ["ask Ana", "book room"],
      tags: ["launch"],
    });
    await v.use('memory update-state Checkpoint --new-name "Launch checkpoint"');
    expect((await v.use("memory list-states --tags launch")).result.states[0].name).toBe("Launch checkpoint");
    await v.use('memory archive-state "Launch checkpoint"');
    expect((await v.use("memory list-states")).result.states).toEqual([]);
    expect((await v.use("memory load-state Checkpoint")).error).toContain('State not found: "Checkpoint"');
  });
});

describe("Nexus canvas and base commands", () => {
  it("canvas write, read, update and list work on .canvas files", async () => {
    await v.use(
      `canvas write Boards/Plan --nodes '[{"type":"text","text":"Start","x":0,"y":0,"width":200,"height":60}]'`,
    );
    const canvas = JSON.parse(readFileSync(join(v.vault, "Boards/Plan.canvas"), "utf8"));
    expect(canvas.nodes[0]).toMatchObject({ type: "text", text: "Start", id: expect.any(String) });
    expect((await v.use("canvas write Boards/Plan.canvas")).error).toContain("already exists");
    await v.use(`canvas update Boards/Plan --edges '[{"fromNode":"a","toNode":"b"}]'`);
    expect((await v.use("canvas read Boards/Plan")).result).toMatchObject({
      nodes: [{ text: "Start" }],
      edges: [{ fromNode: "a" }],
    });
    expect((await v.use("canvas list")).result.canvases).toEqual([
      { path: "Boards/Plan.canvas", nodeCount: 1, edgeCount: 1 },
    ]);
  });

  it("base write, update and read keep the sections as YAML; analyze needs Obsidian", async () => {
    await v.use(
      'base write Tasks --config "filters: status == \\"open\\"\\nviews:\\n  - type: table\\n    name: Open"',
    );
    expect(readFileSync(join(v.vault, "Tasks.base"), "utf8")).toBe(
      'filters: status == "open"\nviews:\n  - type: table\n    name: Open\n',
    );
    await v.use(`base update Tasks --formulas '{"age":"now() - file.ctime"}'`);
    expect((await v.use("base read Tasks")).result.config).toEqual({
      filters: 'status == "open"',
      views: [{ type: "table", name: "Open" }],
      formulas: { age: "now() - file.ctime" },
    });
    expect((await v.use('base write Bad --config "colour: red"')).error).toContain('A base has no section "colour"');
    expect((await v.use("base list")).result.bases).toEqual([{ path: "Tasks.base", viewCount: 1, formulaCount: 1 }]);
    expect((await v.use("base analyze Tasks")).error).toContain("not available in the sandbox");
  });
});

describe("Nexus task commands", () => {
  it("projects and tasks live in the sandbox store, with dependencies, note links and queries", async () => {
    const { projectId } = (await v.use('task create-project Launch --description "Ship Atlas"')).result;
    expect((await v.use("task create-project Launch")).error).toContain("already exists");
    const first = (await v.use(`task create ${projectId} "Draft the plan" --priority high`)).result.taskId;
    const second = (
      await v.use(`task create ${projectId} "Book the room" --depends-on ${first} --linked-notes Projects/Budget.md`)
    ).result.taskId;
    expect((await v.use(`task update ${first} --add-dependencies ${second}`)).error).toContain("would make a cycle");
    expect((await v.use(`task query ${projectId} nextActions`)).result.tasks.map((t: any) => t.title)).toEqual([
      "Draft the plan",
    ]);
    expect((await v.use(`task query ${projectId} blockedTasks`)).result.tasks[0]).toMatchObject({
      title: "Book the room",
      blockedBy: [first],
    });
    await v.use(`task update ${first} --status done`);
    expect((await v.use(`task query ${projectId} nextActions`)).result.tasks.map((t: any) => t.title)).toEqual([
      "Book the room",
    ]);
    const listed = await v.use(`task list ${projectId} --sort-by priority --sort-order asc`);
    expect(listed.result.tasks.map((t: any) => [t.title, t.status])).toEqual([
      ["Draft the plan", "done"],
      ["Book the room", "todo"],
    ]);
    expect(listed.result.tasks[1].linkedNotes).toEqual([{ notePath: "Projects/Budget.md", linkType: "reference" }]);
    expect((await v.use(`task link-note ${first} Missing.md`)).error).toContain('Note not found: "Missing.md"');
    await v.use(`task archive-project ${projectId}`);
    expect((await v.use("task list-projects")).result.projects).toEqual([]);
    expect((await v.use("task open")).error).toContain("not available in the sandbox");
  });

  it("a project belongs to the workspace it was made in", async () => {
    const { projectId } = (await v.use("task create-project Launch")).result;
    await v.use('memory create-workspace Other "o" / "o"');
    expect((await v.use(`task list ${projectId}`, { workspaceId: "Other" })).error).toContain("Project not found");
  });
});
