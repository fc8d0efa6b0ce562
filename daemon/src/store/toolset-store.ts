import { catalogFromToolsList, type Catalog, type ToolsListResult } from "@vault-tuner/shared";
import { toolsetHash } from "@vault-tuner/shared/node";
import type { Db } from "./open-database";

/** Every `tools/list` result a client saw, once each, and the catalogs built from them. */
export class ToolsetStore {
  private readonly catalogs = new Map<string, Catalog | undefined>();
  private readonly insert;
  private readonly select;

  constructor(db: Db) {
    this.insert = db.prepare("INSERT OR IGNORE INTO toolsets (hash, body, tools, created_at) VALUES (?, ?, ?, ?)");
    this.select = db.prepare<[string], { body: string }>("SELECT body FROM toolsets WHERE hash = ?");
  }

  put(toolsList: ToolsListResult, now: string): { hash: string; created: boolean } {
    const hash = toolsetHash(toolsList);
    const { changes } = this.insert.run(hash, JSON.stringify({ tools: toolsList.tools }), toolsList.tools.length, now);
    if (changes > 0) this.catalogs.delete(hash);
    return { hash, created: changes > 0 };
  }

  get(hash: string): ToolsListResult | undefined {
    const row = this.select.get(hash);
    return row ? (JSON.parse(row.body) as ToolsListResult) : undefined;
  }

  /** The catalog of a stored toolset; undefined for a hash never posted (the trace may arrive first). */
  catalog(hash: string): Catalog | undefined {
    if (this.catalogs.has(hash)) return this.catalogs.get(hash);
    const toolsList = this.get(hash);
    const catalog = toolsList ? catalogFromToolsList(toolsList, `toolset:${hash.slice(0, 12)}`) : undefined;
    if (catalog) this.catalogs.set(hash, catalog);
    return catalog;
  }
}
