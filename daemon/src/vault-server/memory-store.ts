import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomically } from "../config/write-file-atomically";
import { STORE_FOLDER } from "./vault-paths";

export type Item = Record<string, unknown> & { id: string };

export interface MemoryData {
  workspaces: Record<string, Item>;
  sessions: Record<string, Item>;
  states: Record<string, Item>;
  agents: Record<string, Item>;
  projects: Record<string, Item>;
  tasks: Record<string, Item>;
}

export type Collection = keyof MemoryData;

const ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

/**
 * Workspaces, sessions, states, custom agents, task projects and tasks, kept as one JSON file in a hidden folder of the
 * vault (as the plugin keeps them in its own storage). Written whole after each change, atomically.
 */
export class MemoryStore {
  private readonly file: string;
  private data: MemoryData;

  constructor(root: string) {
    const folder = join(root, STORE_FOLDER);
    this.file = join(folder, "memory.json");
    mkdirSync(folder, { recursive: true });
    // A store written before a collection existed simply has none of it yet.
    this.data = {
      workspaces: {},
      sessions: {},
      states: {},
      agents: {},
      projects: {},
      tasks: {},
      ...(existsSync(this.file) ? (JSON.parse(readFileSync(this.file, "utf8")) as Partial<MemoryData>) : {}),
    };
    if (!this.data.workspaces.default) {
      // Saved at once, so the store on disk is the store the tools see (the evaluator snapshots it).
      this.data.workspaces.default = {
        id: "default",
        name: "Default workspace",
        rootFolder: "/",
        context: { purpose: "General work in the vault", currentGoal: "" },
        created: 0,
      };
      this.save();
    }
  }

  /** `<prefix>_<ms>_<9 characters>`, the form the plugin gives its ids. */
  newId(prefix: string): string {
    return `${prefix}_${Date.now()}_${Array.from({ length: 9 }, () => ID_CHARS[Math.floor(Math.random() * ID_CHARS.length)]).join("")}`;
  }

  get(collection: Collection, id: string): Item | undefined {
    return this.data[collection][id];
  }

  all(collection: Collection): Item[] {
    return Object.values(this.data[collection]);
  }

  put(collection: Collection, item: Item): Item {
    this.data[collection][item.id] = item;
    this.save();
    return item;
  }

  remove(collection: Collection, id: string): boolean {
    if (!(id in this.data[collection])) return false;
    delete this.data[collection][id];
    this.save();
    return true;
  }

  /** Sessions, states and workspaces whose text mentions the query, in one workspace (or all for "all"). */
  search(query: string, workspaceId: string): { type: string; id: string; name: unknown; match: string }[] {
    const found: { type: string; id: string; name: unknown; match: string }[] = [];
    for (const collection of ["workspaces", "sessions", "states"] as const) {
      for (const item of this.all(collection)) {
        if (collection !== "workspaces" && workspaceId !== "all" && (item.workspaceId ?? "default") !== workspaceId)
          continue;
        const text = JSON.stringify(item);
        const at = text.toLowerCase().indexOf(query);
        if (at >= 0)
          found.push({
            type: collection.slice(0, -1),
            id: item.id,
            name: item.name,
            match: text.slice(Math.max(0, at - 40), at + query.length + 40),
          });
      }
    }
    return found;
  }

  private save(): void {
    writeFileAtomically(this.file, `${JSON.stringify(this.data, null, 2)}\n`);
  }
}
