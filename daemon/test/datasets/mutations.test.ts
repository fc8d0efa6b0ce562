import { builtinCatalog, MUTATION_KINDS, NEXUS_ONLY_MUTATIONS, resolveTool } from "@vault-tuner/shared";
import { describe, expect, it } from "vitest";
import { exampleErrors } from "../../src/datasets/shaping/check-example";
import type { Example } from "../../src/datasets/example";
import { mutateExample } from "../../src/datasets/shaping/mutations";
import { SeededRandom } from "../../src/datasets/shaping/seeded-random";
import { systemPrompt } from "../../src/datasets/sources/system-prompt";

const catalog = builtinCatalog("claudesidian-3")!;
const context = {
  sessionId: "session_1731000000000_abc123def",
  workspaceId: "ws_1731000000000_abc123def",
  sessionDescription: "Weekly planning",
  sessionMemory: "The user plans on Mondays.",
  toolContext: "Create the plan note",
  primaryGoal: "Plan the week",
  subgoal: "Write the plan",
};
const good: Example = {
  source: "test:1",
  session: "s",
  label: true,
  prompt: [
    { role: "system", content: systemPrompt(context) },
    { role: "user", content: "Create Plans/week.md with a heading." },
  ],
  completion: {
    calls: [
      { name: "contentManager_createContent", arguments: { context, filePath: "Plans/week.md", content: "# Week" } },
    ],
    text: null,
  },
  toolset: "claudesidian-3",
};

const EXPECTED_RULE = {
  "missing-context-field": "context-field-missing",
  "empty-session-memory": "session-memory-empty",
  "missing-required-parameter": "param-missing",
  "wrong-type": "param-type",
  "invented-tool": "tool-unknown",
} as const;

/** Defects only a Nexus command string or conversation can carry (tested in nexus-mutations.test.ts). */
const NEXUS_ONLY = new Set<string>(NEXUS_ONLY_MUTATIONS);

describe("mutation negatives", () => {
  it("start from a call the strict validator accepts", () => {
    expect(exampleErrors(good, catalog, "strict")).toEqual([]);
  });

  for (const kind of MUTATION_KINDS.filter((kind) => !NEXUS_ONLY.has(kind))) {
    it(`${kind}: an undesirable copy that carries exactly that defect`, () => {
      const mutant = mutateExample(good, kind, catalog, new SeededRandom(5));
      expect(mutant).toBeDefined();
      expect(mutant?.label).toBe(false);
      expect(mutant?.source).toBe(`mutation:${kind}:test:1`);
      expect(good.completion.calls[0]?.arguments.context, "the original is untouched").toEqual(context);
      const errors = exampleErrors(mutant as Example, catalog, "strict", true).map((error) => error.rule);
      const expectedRule = EXPECTED_RULE[kind as keyof typeof EXPECTED_RULE];
      if (kind === "wrong-tool") {
        const call = mutant?.completion.calls[0];
        const resolved = resolveTool(catalog, call?.name as string, call?.arguments);
        expect(resolved.kind).toBe("tool");
        expect(call?.name).not.toBe("contentManager_createContent");
        expect(call?.name).toMatch(/^contentManager_/);
      } else {
        expect(errors).toContain(expectedRule);
      }
    });
  }

  it("are skipped where the call has nothing to break", () => {
    const bare: Example = {
      ...good,
      completion: { calls: [{ name: "vaultManager_listDirectory", arguments: { path: "/" } }], text: null },
    };
    expect(mutateExample(bare, "empty-session-memory", catalog, new SeededRandom(1))).toBeUndefined();
    expect(mutateExample(bare, "missing-context-field", catalog, new SeededRandom(1))).toBeUndefined();
    expect(
      mutateExample({ ...good, completion: { calls: [], text: "Hello" } }, "wrong-tool", catalog, new SeededRandom(1)),
    ).toBeUndefined();
    for (const kind of NEXUS_ONLY)
      expect(
        mutateExample(good, kind as (typeof MUTATION_KINDS)[number], catalog, new SeededRandom(1)),
      ).toBeUndefined();
  });
});
