import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildClaudesidianCatalog } from "../scripts/claudesidian-catalog";
import { buildNexusCatalog } from "../scripts/nexus-catalog";
import {
  BUILTIN_CATALOG_IDS,
  builtinCatalog,
  builtinNexusCatalogs,
  LATEST_NEXUS_VERSION,
  NEXUS_VERSIONS,
  catalogFromToolsList,
  CONTEXT_FIELDS,
  resolveTool,
  validateCall,
  wireTools,
} from "../src/index";
import { REFERENCE_DATA } from "./reference-data";

const readJson = (path: string): unknown => JSON.parse(readFileSync(`${REFERENCE_DATA}${path}`, "utf8"));
const claudesidian = builtinCatalog("claudesidian-3")!;

describe("claudesidian-3 catalog", () => {
  it("is what the build script derives from the reference description (the committed file is current)", () => {
    const derived = buildClaudesidianCatalog(readJson("anchor/tool_schemas.json"));
    expect(JSON.parse(JSON.stringify(derived))).toEqual(
      JSON.parse(readFileSync(new URL("../catalogs/claudesidian-3.json", import.meta.url), "utf8")),
    );
  });

  it("has the 46 agent modes of six agents plus get_tools", () => {
    expect(claudesidian.tools).toHaveLength(47);
    expect(claudesidian.tools.filter((t) => t.agent).length).toBe(46);
    expect(new Set(claudesidian.tools.map((t) => t.agent).filter(Boolean)).size).toBe(6);
    expect(claudesidian.tools.map((t) => t.name)).toContain("get_tools");
  });

  it("gives every tool a real JSON Schema with context first and required", () => {
    for (const tool of claudesidian.tools) {
      const properties = tool.inputSchema.properties as Record<string, { type?: string }>;
      expect(Object.keys(properties)[0]).toBe("context");
      expect(tool.inputSchema.required).toContain("context");
      const context = properties.context as { required: string[] };
      expect(context.required).toEqual([...CONTEXT_FIELDS]);
      for (const [name, property] of Object.entries(properties)) {
        expect(property, `${tool.name}.${name}`).not.toHaveProperty("type", expect.stringMatching(/[|[\]']/));
      }
    }
  });

  it("turns TypeScript unions into enums and arrays into typed arrays", () => {
    const props = (name: string) =>
      claudesidian.tools.find((t) => t.name === name)!.inputSchema.properties as Record<string, unknown>;
    expect(props("vaultManager_openNote").mode).toMatchObject({
      type: "string",
      enum: ["tab", "split", "window", "current"],
    });
    expect(props("vaultLibrarian_searchDirectory").paths).toMatchObject({ type: "array", items: { type: "string" } });
    expect(props("vaultLibrarian_searchDirectory").searchType).toMatchObject({ enum: ["files", "folders", "both"] });
    expect(props("memoryManager_createSession").workspaceContext).toHaveProperty("anyOf");
  });

  it("has a wire form of six agent tools with a mode enum", () => {
    const wire = wireTools(claudesidian);
    expect(wire.map((t) => t.name).sort()).toEqual([
      "agentManager",
      "commandManager",
      "contentManager",
      "memoryManager",
      "vaultLibrarian",
      "vaultManager",
    ]);
    const content = wire.find((t) => t.name === "contentManager")!;
    expect((content.inputSchema.properties as Record<string, { enum: string[] }>).mode?.enum).toHaveLength(9);
    expect(content.inputSchema.required).toEqual(["mode", "context"]);
  });

  it("keeps each wire tool's mode selector whole, even where a mode has a parameter named mode (vaultManager's openNote)", () => {
    for (const id of BUILTIN_CATALOG_IDS) {
      const catalog = builtinCatalog(id)!;
      for (const tool of wireTools(catalog)) {
        const modes = catalog.tools.filter((flat) => flat.agent === tool.agent).map((flat) => flat.mode);
        expect(
          (tool.inputSchema.properties as Record<string, { enum: string[] }>).mode?.enum,
          `${id} ${tool.name}`,
        ).toEqual(modes);
      }
    }
    const vault = wireTools(claudesidian).find((t) => t.name === "vaultManager")!;
    expect(vault.description).toContain(
      "Not available in this form: openNote's own `mode` parameter (tab, split, window, current).",
    );
    // Correct calls of the other modes validate against the wire tools/list a session records.
    const recorded = catalogFromToolsList({
      tools: wireTools(claudesidian).map(({ name, inputSchema }) => ({ name, inputSchema })),
    });
    for (const mode of ["listDirectory", "createFolder", "openNote"]) {
      const issues = validateCall(
        { form: "openai", name: "vaultManager", arguments: { mode, path: "Projects", context: {} } },
        { catalog: recorded, profile: "recorded" },
      );
      expect(
        issues.filter((issue) => issue.rule === "param-enum"),
        mode,
      ).toEqual([]);
    }
  });

  it("maps a wire call onto its flat tool", () => {
    const resolved = resolveTool(claudesidian, "contentManager", { mode: "readContent" });
    expect(resolved).toMatchObject({
      kind: "tool",
      tool: { name: "contentManager_readContent" },
      ignoredArguments: ["mode"],
    });
    expect(resolveTool(claudesidian, "contentManager", { mode: "nope" })).toMatchObject({
      kind: "unknown",
      message: expect.stringContaining("no mode"),
    });
    expect(resolveTool(claudesidian, "contentManager_updateContent", {})).toMatchObject({
      kind: "unknown",
      message: expect.stringContaining("did you mean"),
    });
  });
});

describe("the Nexus catalogs, one per release", () => {
  it.each(NEXUS_VERSIONS)("nexus-%s is what the build script derives from its tools/list and CLI help", (version) => {
    const derived = buildNexusCatalog(
      readJson(`nexus-${version}/mcp-tools.json`),
      readJson(`nexus-${version}/cli-tools.json`),
    );
    expect(JSON.parse(JSON.stringify(derived))).toEqual(
      JSON.parse(readFileSync(new URL(`../catalogs/nexus-${version}.json`, import.meta.url), "utf8")),
    );
  });

  it.each([
    ["5.17.2", 79, ["memory", "goal", "tool", "workspaceId", "sessionId"]],
    ["5.20.1", 80, ["memory", "goal", "tool"]],
  ] as const)("nexus-%s keeps the two MCP tools exactly and its %i CLI commands", (version, count, required) => {
    const catalog = builtinCatalog(`nexus-${version}`)!;
    const recorded = readJson(`nexus-${version}/mcp-tools.json`) as {
      tools: Array<{ name: string; inputSchema: unknown }>;
    };
    expect(catalog.id).toBe(`nexus-${version}`);
    expect(catalog.tools.map((t) => t.inputSchema)).toEqual(recorded.tools.map((t) => t.inputSchema));
    expect(catalog.commands).toHaveLength(count);
    expect(catalog.contextStyle).toBe("top-level");
    const useTools = catalog.tools.find((t) => t.name === "toolManager_useTools")!;
    expect([...(useTools.inputSchema.required as string[])].sort()).toEqual([...required].sort());
    const read = catalog.commands!.find((c) => c.command === "content read")!;
    expect(read.inputSchema.required).toContain("path");
    expect(catalog.commands!.some((c) => c.command === "content remove-property")).toBe(version === "5.20.1");
  });

  it("calls the newest release nexus-5 and lists every release newest first", () => {
    expect(builtinCatalog("nexus-5")).toBe(builtinCatalog(`nexus-${LATEST_NEXUS_VERSION}`));
    expect(LATEST_NEXUS_VERSION).toBe("5.20.1");
    expect(builtinNexusCatalogs().map((c) => c.version)).toEqual(["5.20.1", "5.17.2"]);
    expect(BUILTIN_CATALOG_IDS).toEqual(["claudesidian-3", "nexus-5.17.2", "nexus-5.20.1"]);
  });
});

describe("a catalog from a recorded tools/list", () => {
  it("reads the tools and the context style the client saw", () => {
    const catalog = catalogFromToolsList(readJson("nexus-5.20.1/mcp-tools.json"), "session-1");
    expect(catalog.tools.map((t) => t.name)).toEqual(["toolManager_getTools", "toolManager_useTools"]);
    expect(catalog.contextStyle).toBe("top-level");
    const wire = catalogFromToolsList({
      tools: wireTools(claudesidian).map(({ name, inputSchema }) => ({ name, inputSchema })),
    });
    expect(wire.contextStyle).toBe("context-object");
  });

  it.each(NEXUS_VERSIONS)(
    "matches a Nexus %s tools/list to its release by content and takes its commands",
    (version) => {
      const dump = readJson(`nexus-${version}/mcp-tools.json`) as { tools: unknown[] };
      const catalog = catalogFromToolsList({ tools: dump.tools }, "session-1");
      expect(catalog.version).toBe(version);
      expect(catalog.title).toContain(`Nexus ${version} (by its content)`);
      expect(catalog.commands).toBe(builtinCatalog(`nexus-${version}`)!.commands);
      expect(catalog.dispatcher).toMatchObject({ tool: "toolManager_useTools", argument: "tool" });
    },
  );

  it("takes a tools/list's nexusVersion when its content matches no release, else the nearest release", () => {
    const dump = readJson("nexus-5.17.2/mcp-tools.json") as { tools: Array<{ description: string }> };
    // A patched release: same schemas, one description reworded.
    const patched = dump.tools.map((tool, i) => (i === 0 ? { ...tool, description: "reworded" } : tool));
    expect(catalogFromToolsList({ tools: patched, nexusVersion: "5.17.2" })).toMatchObject({
      version: "5.17.2",
      title: expect.stringContaining("by its nexusVersion"),
    });
    // Without a version: the release whose schemas differ least (5.17.2 still requires the ids).
    expect(catalogFromToolsList({ tools: patched })).toMatchObject({
      version: "5.17.2",
      title: expect.stringContaining("by the nearest shipped release"),
    });
    const newer = (readJson("nexus-5.20.1/mcp-tools.json") as { tools: Array<{ description: string }> }).tools.map(
      (tool) => ({ ...tool, description: "a release we do not ship" }),
    );
    expect(catalogFromToolsList({ tools: newer, _meta: { nexusVersion: "5.99.0" } }).version).toBe("5.20.1");
  });

  it("leaves a toolset without Nexus's dispatcher alone", () => {
    const catalog = catalogFromToolsList({
      tools: wireTools(claudesidian).map(({ name, inputSchema }) => ({ name, inputSchema })),
    });
    expect(catalog.version).toBe("recorded");
    expect(catalog.commands).toBeUndefined();
  });

  it("says what is wrong with something that is not a tools/list", () => {
    expect(() => catalogFromToolsList({ tools: [{ name: "x" }] })).toThrow(/tools\.0\.inputSchema/);
  });
});
