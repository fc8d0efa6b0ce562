import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse, stringify } from "yaml";
import { fail } from "../tool-error";
import { vaultPath } from "../vault-paths";
import type { NexusCommands } from "./nexus-command";

/** A canvas or base path, its extension added when the model left it out (both commands accept either). */
function withExtension(root: string, given: unknown, extension: string) {
  if (typeof given !== "string" || given.trim() === "") fail("path is required");
  return vaultPath(root, given.endsWith(extension) ? given : `${given}${extension}`, "path");
}

function filesEndingIn(root: string, folder: unknown, recursive: boolean, extension: string): string[] {
  const start = vaultPath(root, folder ?? "", "folder");
  if (!statSync(start.absolute, { throwIfNoEntry: false })?.isDirectory())
    fail(`Folder not found: "${start.relative}"`);
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory() && recursive) walk(path);
      else if (entry.isFile() && entry.name.endsWith(extension)) found.push(path);
    }
  };
  walk(start.relative);
  return found.sort();
}

function readExisting(path: { absolute: string; relative: string }, what: string): string {
  if (!statSync(path.absolute, { throwIfNoEntry: false })?.isFile())
    fail(`${what} not found: "${path.relative}". Use ${what.toLowerCase()} list to see what exists.`);
  return readFileSync(path.absolute, "utf8");
}

function writeNew(path: { absolute: string; relative: string }, what: string, content: string): void {
  if (statSync(path.absolute, { throwIfNoEntry: false }))
    fail(`${what} already exists: "${path.relative}". Use ${what.toLowerCase()} update to change it.`);
  mkdirSync(dirname(path.absolute), { recursive: true });
  writeFileSync(path.absolute, content);
}

interface Canvas {
  nodes: Record<string, unknown>[];
  edges: Record<string, unknown>[];
}

function readCanvas(path: { absolute: string; relative: string }): Canvas {
  try {
    const parsed = JSON.parse(readExisting(path, "Canvas")) as Partial<Canvas>;
    return { nodes: parsed.nodes ?? [], edges: parsed.edges ?? [] };
  } catch (error) {
    if (error instanceof SyntaxError) fail(`"${path.relative}" is not a valid canvas (JSON Canvas)`);
    throw error;
  }
}

/** Nodes and edges as given, each given an id when it has none (as the plugin does). */
function withIds(items: unknown, what: string): Record<string, unknown>[] {
  if (items === undefined) return [];
  if (!Array.isArray(items) || items.some((item) => typeof item !== "object" || item === null))
    fail(`${what} must be an array of objects`);
  return (items as Record<string, unknown>[]).map((item) => ({ id: randomBytes(8).toString("hex"), ...item }));
}

const BASE_SECTIONS = ["filters", "formulas", "properties", "summaries", "views"] as const;

/** A base's config from `--config` (YAML or JSON) overlaid with the sections given as their own arguments. */
function baseConfig(params: Record<string, unknown>): Record<string, unknown> {
  let config: Record<string, unknown> = {};
  if (typeof params.config === "string" && params.config.trim() !== "") {
    let parsed: unknown;
    try {
      parsed = parse(params.config);
    } catch (error) {
      fail(`config is neither YAML nor JSON: ${(error as Error).message.split("\n")[0]}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      fail("config must be a map of sections");
    config = parsed as Record<string, unknown>;
  }
  for (const section of BASE_SECTIONS) if (params[section] !== undefined) config[section] = params[section];
  const unknown = Object.keys(config).filter((key) => !(BASE_SECTIONS as readonly string[]).includes(key));
  if (unknown.length > 0)
    fail(`A base has no section ${unknown.map((key) => `"${key}"`).join(", ")} (it has ${BASE_SECTIONS.join(", ")})`);
  return config;
}

function readBase(path: { absolute: string; relative: string }): Record<string, unknown> {
  try {
    return (parse(readExisting(path, "Base")) as Record<string, unknown> | null) ?? {};
  } catch (error) {
    if (error instanceof Error && error.name.startsWith("YAML")) fail(`"${path.relative}" is not valid YAML`);
    throw error;
  }
}

/** canvas and base: the files themselves (JSON Canvas and Bases YAML); rendering a base needs Obsidian. */
export const canvasAndBaseCommands: NexusCommands = {
  "canvas read"(params, { root }) {
    const path = withExtension(root, params.path, ".canvas");
    return { path: path.relative, ...readCanvas(path) };
  },
  "canvas write"(params, { root }) {
    const path = withExtension(root, params.path, ".canvas");
    const canvas = { nodes: withIds(params.nodes, "nodes"), edges: withIds(params.edges, "edges") };
    writeNew(path, "Canvas", `${JSON.stringify(canvas, null, "\t")}\n`);
    return { path: path.relative };
  },
  "canvas update"(params, { root }) {
    const path = withExtension(root, params.path, ".canvas");
    const canvas = readCanvas(path);
    if (params.nodes !== undefined) canvas.nodes = withIds(params.nodes, "nodes");
    if (params.edges !== undefined) canvas.edges = withIds(params.edges, "edges");
    writeFileSync(path.absolute, `${JSON.stringify(canvas, null, "\t")}\n`);
    return { path: path.relative };
  },
  "canvas list"(params, { root }) {
    const canvases = filesEndingIn(root, params.folder, params.recursive !== false, ".canvas").map((path) => {
      const { nodes, edges } = readCanvas(vaultPath(root, path));
      return { path, nodeCount: nodes.length, edgeCount: edges.length };
    });
    return { canvases };
  },
  "base read"(params, { root }) {
    const path = withExtension(root, params.path, ".base");
    return { path: path.relative, config: readBase(path) };
  },
  "base write"(params, { root }) {
    const path = withExtension(root, params.path, ".base");
    writeNew(path, "Base", stringify(baseConfig(params)));
    return { path: path.relative };
  },
  "base update"(params, { root }) {
    const path = withExtension(root, params.path, ".base");
    const merged = { ...readBase(path), ...baseConfig(params) };
    writeFileSync(path.absolute, stringify(merged));
    return { path: path.relative };
  },
  "base list"(params, { root }) {
    const bases = filesEndingIn(root, params.folder, params.recursive !== false, ".base").map((path) => {
      const config = readBase(vaultPath(root, path));
      return {
        path,
        viewCount: Array.isArray(config.views) ? config.views.length : 0,
        formulaCount: Object.keys((config.formulas as object | undefined) ?? {}).length,
      };
    });
    return { bases };
  },
};
