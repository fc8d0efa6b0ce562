import { describe, expect, it } from "vitest";
import { checkConstraint } from "../../src/evals/scoring/constraints";
import { compareFinalState, type VaultSnapshot } from "../../src/evals/scoring/final-state";
import { matchCalls } from "../../src/evals/scoring/match-calls";
import { VaultExpectationSchema } from "@vault-tuner/shared";

const vault = (files: Record<string, string>, folders: string[] = [], agents: any[] = []): VaultSnapshot => ({
  files,
  folders,
  memory: { workspaces: [], sessions: [], states: [], agents, projects: [], tasks: [] },
});
const expectation = (value: unknown) => VaultExpectationSchema.parse(value);

describe("argument constraints", () => {
  it("reads paths the way the plugin does and says why a value is wrong", () => {
    expect(checkConstraint("/Notes\\a.md", { path: "Notes/a.md" })).toBeUndefined();
    expect(checkConstraint("notes/a.md", { path: "Notes/a.md" })).toBe(
      'is "notes/a.md", expected the path "Notes/a.md"',
    );
    expect(checkConstraint("Buy STAMPS today", { contains: ["buy stamps"] })).toBeUndefined();
    expect(checkConstraint(3, { oneOf: [2, 3] })).toBeUndefined();
    expect(checkConstraint(undefined, { any: true })).toBe("is missing");
    expect(checkConstraint("x", { absent: true })).toContain("should not be given");
    expect(checkConstraint(["a"], { exact: ["a"] })).toBeUndefined();
    expect(checkConstraint("2026-05-08", { pattern: "^\\d{4}-\\d{2}-\\d{2}$" })).toBeUndefined();
  });
});

describe("final state", () => {
  const before = vault(
    { "a.md": "A", "Daily/b.md": "B" },
    ["Daily", "Empty"],
    [{ id: "x", name: "X", isEnabled: true }],
  );

  it("accepts exactly the expected changes", () => {
    const after = vault(
      { "a.md": "A\nmore", "Archive/b.md": "B" },
      ["Archive", "Daily", "Empty"],
      [{ id: "x", name: "X", isEnabled: false }],
    );
    const expected = expectation({
      files: { "a.md": { startsWith: "A", contains: ["more"] }, "Archive/b.md": { equals: "B" } },
      deleted: ["Daily/b.md"],
      memoryChanged: [{ collection: "agents", id: "x", match: { isEnabled: { exact: false } } }],
    });
    expect(compareFinalState(before, after, expected)).toEqual([]);
  });

  it("names every stray change: an edited, a deleted and a new file, a new folder, a changed memory item", () => {
    const after = vault(
      { "a.md": "changed", "c.md": "new" },
      ["Daily", "Empty", "Stray"],
      [{ id: "x", name: "Y", isEnabled: true }],
    );
    expect(compareFinalState(before, after)).toEqual([
      "a.md was changed",
      "Daily/b.md was deleted or moved",
      "c.md was created",
      "folder Stray was created",
      "agent x was changed",
    ]);
  });

  it("fails an expected change that did not happen", () => {
    expect(
      compareFinalState(
        before,
        before,
        expectation({
          deleted: ["a.md"],
          foldersDeleted: ["Empty"],
          memoryCreated: [{ collection: "agents", match: { name: { exact: "New" } } }],
        }),
      ),
    ).toEqual([
      "a.md should have been deleted",
      "folder Empty should have been deleted",
      "no new agent matches the expectation",
    ]);
  });
});

describe("pairing expected calls with actual ones", () => {
  const want = [
    { tool: "a", args: {} },
    { tool: "b", args: {} },
  ];
  it("keeps the order for sequences and finds any order otherwise", () => {
    expect(matchCalls(want, ["b", "a", "b"], (w, name) => w.tool === name, "sequence")).toEqual([1, 2]);
    expect(matchCalls(want, ["b", "a"], (w, name) => w.tool === name, "sequence")).toEqual([1, -1]);
    expect(matchCalls(want, ["b", "a"], (w, name) => w.tool === name, "any")).toEqual([1, 0]);
    // Two expected calls of one tool need two calls.
    expect(
      matchCalls(
        [
          { tool: "a", args: {} },
          { tool: "a", args: {} },
        ],
        ["a"],
        (w, name) => w.tool === name,
        "any",
      ),
    ).toEqual([0, -1]);
  });
});
