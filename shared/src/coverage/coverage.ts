import type { Catalog } from "../catalog/catalog-types";
import { resolveTool } from "../catalog/resolve-tool";
import type { CallForm } from "../schemas/tool-call";
import { withoutBom } from "../validator/dataset-validator";
import { inspectRecord } from "../validator/inspect-record";

export interface ToolCount {
  name: string;
  count: number;
  /** Calls in rows labelled true. */
  good: number;
  /** Calls in rows labelled false. */
  bad: number;
}

export interface AgentCoverage {
  agent: string;
  tools: ToolCount[];
  neverCalled: string[];
}

export interface CoverageReport {
  catalog: string;
  examples: number;
  desirable: number;
  undesirable: number;
  unlabeled: number;
  /** Non-blank lines that are not a readable record. */
  unreadable: number;
  /** desirable / undesirable, null when there is no undesirable row. */
  labelRatio: number | null;
  calls: number;
  validCalls: number;
  invalidCalls: number;
  uniqueTools: number;
  catalogTools: number;
  coveredTools: number;
  forms: Partial<Record<CallForm, number>>;
  agents: AgentCoverage[];
  neverCalled: string[];
  invalidNames: Array<{ name: string; count: number; lines: number[] }>;
}

/** Invalid names keep at most this many line numbers each, so the report stays small on huge files. */
const MAX_LINES_PER_NAME = 50;
const META_AGENT = "(meta)";

/** Counts tool usage over a dataset, streaming one line at a time. */
export class CoverageCounter {
  private examples = 0;
  private desirable = 0;
  private undesirable = 0;
  private unlabeled = 0;
  private unreadable = 0;
  private calls = 0;
  private invalidCalls = 0;
  private readonly forms: Partial<Record<CallForm, number>> = {};
  private readonly perTool = new Map<string, ToolCount>();
  private readonly invalid = new Map<string, { count: number; lines: number[] }>();

  constructor(private readonly catalog: Catalog) {}

  addLine(text: string, line: number): void {
    const body = withoutBom(text, line);
    if (body.trim() === "") return;
    let record: unknown;
    try {
      record = JSON.parse(body);
    } catch {
      this.unreadable++;
      return;
    }
    const inspection = inspectRecord(record, { catalog: this.catalog, profile: "strict", checkCalls: false });
    if (!inspection.kind) {
      this.unreadable++;
      return;
    }
    this.examples++;
    if (inspection.label === true) this.desirable++;
    else if (inspection.label === false) this.undesirable++;
    else this.unlabeled++;
    for (const { call } of inspection.calls) {
      this.calls++;
      this.forms[call.form] = (this.forms[call.form] ?? 0) + 1;
      const resolved = resolveTool(this.catalog, call.name, call.arguments);
      if (resolved.kind === "unknown") {
        this.invalidCalls++;
        const entry = this.invalid.get(call.name) ?? { count: 0, lines: [] };
        entry.count++;
        if (entry.lines.length < MAX_LINES_PER_NAME && entry.lines[entry.lines.length - 1] !== line)
          entry.lines.push(line);
        this.invalid.set(call.name, entry);
        continue;
      }
      const name = resolved.tool.name;
      const count = this.perTool.get(name) ?? { name, count: 0, good: 0, bad: 0 };
      count.count++;
      if (inspection.label === true) count.good++;
      if (inspection.label === false) count.bad++;
      this.perTool.set(name, count);
    }
  }

  /** A line that could not be read at all (not UTF-8, too long). */
  unreadableLine(): void {
    this.unreadable++;
  }

  report(): CoverageReport {
    const byAgent = new Map<string, AgentCoverage>();
    for (const tool of this.catalog.tools) {
      const agent = agentOf(tool.name, tool.agent);
      const entry = byAgent.get(agent) ?? { agent, tools: [], neverCalled: [] };
      const count = this.perTool.get(tool.name);
      if (count) entry.tools.push({ ...count });
      else entry.neverCalled.push(tool.name);
      byAgent.set(agent, entry);
    }
    const agents = [...byAgent.values()].sort((a, b) => a.agent.localeCompare(b.agent));
    for (const agent of agents) agent.tools.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
    return {
      catalog: this.catalog.id,
      examples: this.examples,
      desirable: this.desirable,
      undesirable: this.undesirable,
      unlabeled: this.unlabeled,
      unreadable: this.unreadable,
      labelRatio: this.undesirable > 0 ? this.desirable / this.undesirable : null,
      calls: this.calls,
      validCalls: this.calls - this.invalidCalls,
      invalidCalls: this.invalidCalls,
      uniqueTools: this.perTool.size + this.invalid.size,
      catalogTools: this.catalog.tools.length,
      coveredTools: this.perTool.size,
      forms: { ...this.forms },
      agents,
      neverCalled: agents.flatMap((agent) => agent.neverCalled),
      invalidNames: [...this.invalid]
        .map(([name, entry]) => ({ name, count: entry.count, lines: [...entry.lines] }))
        .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
    };
  }
}

/** The agent a tool belongs to: its catalog agent, else the prefix of `<agent>_<mode>`, else meta. */
function agentOf(name: string, agent: string | undefined): string {
  if (agent) return agent;
  const underscore = name.indexOf("_");
  return underscore > 0 && name !== "get_tools" ? name.slice(0, underscore) : META_AGENT;
}
