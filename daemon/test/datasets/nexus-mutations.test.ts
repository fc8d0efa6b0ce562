import { builtinCatalog, type Catalog, type MUTATION_KINDS, parseToolString } from "@vault-tuner/shared";
import { describe, expect, it } from "vitest";
import type { Example } from "../../src/datasets/example";
import { exampleErrors } from "../../src/datasets/shaping/check-example";
import { mutateExample } from "../../src/datasets/shaping/mutations";
import { SeededRandom } from "../../src/datasets/shaping/seeded-random";
import { discoveryTurn, nexusSystemPrompt } from "../../src/datasets/sources/nexus-conversation";

const catalog = builtinCatalog("nexus-5.20.1") as Catalog;
const top = { sessionId: "weekly-plan", workspaceId: "default", memory: "Planning the week.", goal: "Read the plan." };
const useTools = (tool: string) => ({ name: "toolManager_useTools", arguments: { ...top, tool } });

/** A desirable Nexus example: the command looked up earlier in the conversation, then used. */
function example(tool: string, selector: string): Example {
  return {
    source: "test:1",
    session: "s",
    label: true,
    prompt: [
      { role: "system", content: nexusSystemPrompt("weekly-plan") },
      { role: "user", content: "Please do it." },
      ...(discoveryTurn(catalog, "weekly-plan", selector, []) as Example["prompt"]),
    ],
    completion: { calls: [useTools(tool)], text: null },
    toolset: "nexus-5.20.1",
  };
}

const read = example("content read Plans/week.md 1 --end-line 20, storage list", "content read");
const rules = (mutant: Example | undefined) =>
  exampleErrors(mutant as Example, catalog, "strict", true).map((error) => error.rule);
/** The tool string of a mutant's call ("undefined" when it has none). */
const toolString = (mutant: Example | undefined): string =>
  String((mutant?.completion.calls[0]?.arguments as { tool?: string } | undefined)?.tool);
const firstCommand = (mutant: Example | undefined) => {
  const tool = toolString(mutant);
  return parseToolString(tool, undefined, catalog.commands ?? []).segments;
};

describe("mutation negatives of Nexus calls", () => {
  it("start from a call the strict validator accepts", () => {
    expect(rules(read)).toEqual([]);
  });

  it("break the first command of the string and keep the rest as written", () => {
    const expected: Record<string, string> = {
      "missing-required-parameter": "param-missing",
      "wrong-type": "param-type",
      "invented-tool": "command-unknown",
      "missing-context-field": "param-missing",
      "empty-session-memory": "session-memory-empty",
    };
    for (const [kind, rule] of Object.entries(expected)) {
      const mutant = mutateExample(read, kind as (typeof MUTATION_KINDS)[number], catalog, new SeededRandom(2));
      expect(mutant?.label, kind).toBe(false);
      expect(rules(mutant), kind).toContain(rule);
      expect(toolString(mutant), kind).toMatch(/, storage list$/);
    }
  });

  it("wrong-tool runs another command of the same agent, a valid one where the arguments serve it", () => {
    const mutant = mutateExample(read, "wrong-tool", catalog, new SeededRandom(3));
    expect(toolString(mutant)).toMatch(/^content (?!read )/);
    const list = example("storage list --path Plans", "storage list");
    const [segment] = firstCommand(mutateExample(list, "wrong-tool", catalog, new SeededRandom(3)));
    // storage create-folder, archive and open take just a path: each is a valid call, and the wrong one.
    expect(segment?.ok && segment.command.command).toMatch(/^storage (create-folder|archive|open)$/);
  });

  it("write-for-read overwrites the note the user only asked to read", () => {
    const mutant = mutateExample(read, "write-for-read", catalog, new SeededRandom(4));
    const [segment] = firstCommand(mutant);
    expect(segment?.ok && { command: segment.command.command, params: segment.params }).toEqual({
      command: "content write",
      params: { path: "Plans/week.md", content: "", overwrite: true },
    });
    expect(rules(mutant)).toEqual([]);
    const write = example('content write Plans/new.md "# New"', "content write");
    expect(mutateExample(write, "write-for-read", catalog, new SeededRandom(4))).toBeUndefined();
  });

  it("discovery-skipped keeps the call and drops the lookup before it", () => {
    const mutant = mutateExample(read, "discovery-skipped", catalog, new SeededRandom(5));
    expect(mutant?.completion).toEqual(read.completion);
    expect(mutant?.prompt.map((message) => message.role)).toEqual(["system", "user"]);
    const unlooked = { ...read, prompt: read.prompt.slice(0, 2) };
    expect(mutateExample(unlooked, "discovery-skipped", catalog, new SeededRandom(5))).toBeUndefined();
  });
});
