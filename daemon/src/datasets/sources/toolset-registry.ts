import {
  BUILTIN_CATALOG_NAMES,
  builtinCatalog,
  catalogHasTool,
  wireTools,
  type Catalog,
  type CatalogTool,
} from "@vault-tuner/shared";
import type { ToolsetStore } from "../../store/toolset-store";

/** A toolset as written beside a dataset: what the trainer passes to the chat template as `tools`. */
export interface OpenAiTool {
  type: "function";
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export class UnknownCatalogError extends Error {}

const WIRE_SUFFIX = "/wire";
const RECORDED_PREFIX = "toolset-";

/**
 * Names and resolves the toolsets examples were made with: a built-in catalog (`claudesidian-3`, `nexus-5.20.1`), its
 * 3.x wire form (`claudesidian-3/wire`, one tool per agent), or a recorded `tools/list`
 * (`toolset-<hash>`). The catalog checks calls; the tool list is what the model is shown.
 */
export class ToolsetRegistry {
  private readonly resolved = new Map<string, { catalog: Catalog; tools: CatalogTool[] }>();

  constructor(private readonly recorded?: ToolsetStore) {}

  /** The key for a recorded trace's toolset, guessing a built-in one when the recorder sent no hash. */
  keyForTrace(toolName: string, toolsetHash: string | undefined): string {
    if (toolsetHash && this.recorded?.get(toolsetHash)) return `${RECORDED_PREFIX}${toolsetHash}`;
    const nexus = builtinCatalog("nexus-5");
    if (nexus && catalogHasTool(nexus, toolName)) return nexus.id; // the newest release: a superset of the older ones
    const claudesidian = builtinCatalog("claudesidian-3") as Catalog;
    const flat = claudesidian.tools.some((tool) => tool.name === toolName);
    return flat ? "claudesidian-3" : `claudesidian-3${WIRE_SUFFIX}`;
  }

  catalog(key: string): Catalog {
    return this.resolve(key).catalog;
  }

  openAiTools(key: string): OpenAiTool[] {
    return this.resolve(key).tools.map((tool) => ({
      type: "function",
      function: { name: tool.name, description: tool.description ?? "", parameters: tool.inputSchema },
    }));
  }

  private resolve(key: string): { catalog: Catalog; tools: CatalogTool[] } {
    let entry = this.resolved.get(key);
    if (entry) return entry;
    if (key.startsWith(RECORDED_PREFIX)) {
      const catalog = this.recorded?.catalog(key.slice(RECORDED_PREFIX.length));
      if (!catalog) throw new Error(`toolset ${key} is not stored`);
      entry = { catalog, tools: catalog.tools };
    } else {
      const wire = key.endsWith(WIRE_SUFFIX);
      const id = wire ? key.slice(0, -WIRE_SUFFIX.length) : key;
      const catalog = builtinCatalog(id);
      if (!catalog)
        throw new UnknownCatalogError(
          `unknown catalog "${id}"; the built-in ones are ${BUILTIN_CATALOG_NAMES.join(", ")}`,
        );
      entry = { catalog, tools: wire ? wireTools(catalog) : catalog.tools };
    }
    this.resolved.set(key, entry);
    return entry;
  }
}
