import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CONTEXT, vaultClient } from "./vault-client";

let v: Awaited<ReturnType<typeof vaultClient>>;
const file = (path: string) => readFileSync(join(v.vault, path), "utf8");
beforeEach(async () => {
  v = await vaultClient();
  mkdirSync(join(v.vault, "Notes"));
  writeFileSync(join(v.vault, "Notes", "a.md"), "# A\none\ntwo TODO\nthree TODO\n");
});
afterEach(async () => {
  await v.close();
});

describe("contentManager", () => {
  it("createContent makes parent folders, strips a leading /, adds no .md, and refuses an existing file", async () => {
    expect(
      (await v.call("contentManager", "createContent", { filePath: "/Deep/Er/new", content: "x" })).data.filePath,
    ).toBe("Deep/Er/new");
    expect(file("Deep/Er/new")).toBe("x");
    expect((await v.call("contentManager", "createContent", { filePath: "Notes/a.md", content: "y" })).error).toBe(
      "❌ Error: File already exists: Notes/a.md",
    );
    expect(file("Notes/a.md")).toContain("# A");
  });

  it("readContent reads with 1-based offset, limit and line numbers; a missing file is an error", async () => {
    const read = await v.call("contentManager", "readContent", {
      filePath: "Notes/a.md",
      offset: 2,
      limit: 2,
      includeLineNumbers: true,
    });
    expect(read.data.content).toBe("2: one\n3: two TODO");
    expect((await v.call("contentManager", "readContent", { filePath: "Notes/zz.md" })).error).toBe(
      "❌ Error: File not found: Notes/zz.md",
    );
  });

  it("appendContent and prependContent need the file to exist", async () => {
    await v.call("contentManager", "appendContent", { filePath: "Notes/a.md", content: "end\n" });
    await v.call("contentManager", "prependContent", { filePath: "Notes/a.md", content: "start\n" });
    expect(file("Notes/a.md")).toBe("start\n# A\none\ntwo TODO\nthree TODO\nend\n");
    expect(
      (await v.call("contentManager", "appendContent", { filePath: "Notes/none.md", content: "x" })).error,
    ).toContain("File not found");
    expect(existsSync(join(v.vault, "Notes/none.md"))).toBe(false);
  });

  it("replaceContent replaces every exact match; replaceByLine is 1-based and inclusive", async () => {
    expect(
      (
        await v.call("contentManager", "replaceContent", {
          filePath: "Notes/a.md",
          oldContent: "TODO",
          newContent: "DONE",
        })
      ).data.replacements,
    ).toBe(2);
    expect(file("Notes/a.md")).toBe("# A\none\ntwo DONE\nthree DONE\n");
    await v.call("contentManager", "replaceByLine", {
      filePath: "Notes/a.md",
      startLine: 2,
      endLine: 3,
      newContent: "middle",
    });
    expect(file("Notes/a.md")).toBe("# A\nmiddle\nthree DONE\n");
    expect(
      (
        await v.call("contentManager", "replaceByLine", {
          filePath: "Notes/a.md",
          startLine: 3,
          endLine: 2,
          newContent: "x",
        })
      ).error,
    ).toContain("before startLine");
    expect(
      (
        await v.call("contentManager", "replaceContent", {
          filePath: "Notes/a.md",
          oldContent: "absent",
          newContent: "x",
        })
      ).error,
    ).toContain("Content not found");
  });

  it("findReplaceContent replaces the first match by default, every one with replaceAll, honouring case and whole words", async () => {
    writeFileSync(join(v.vault, "Notes", "b.md"), "cat Cat category cat");
    await v.call("contentManager", "findReplaceContent", {
      filePath: "Notes/b.md",
      findText: "cat",
      replaceText: "dog",
    });
    expect(file("Notes/b.md")).toBe("dog Cat category cat");
    await v.call("contentManager", "findReplaceContent", {
      filePath: "Notes/b.md",
      findText: "cat",
      replaceText: "dog",
      replaceAll: true,
      caseSensitive: false,
      wholeWord: true,
    });
    expect(file("Notes/b.md")).toBe("dog dog category dog");
  });

  it("deleteContent removes the text; batchContent runs operations and reports each", async () => {
    await v.call("contentManager", "deleteContent", { filePath: "Notes/a.md", content: " TODO" });
    expect(file("Notes/a.md")).toBe("# A\none\ntwo\nthree\n");
    const batch = await v.call("contentManager", "batchContent", {
      operations: [
        { type: "read", filePath: "Notes/a.md" },
        { type: "create", filePath: "Notes/c.md", content: "c" },
        { type: "read", filePath: "Notes/none.md" },
      ],
    });
    expect(batch.data.results.map((result: any) => result.success)).toEqual([true, true, false]);
    expect(file("Notes/c.md")).toBe("c");
  });
});

describe("vaultManager", () => {
  it("creates, lists, renames and deletes folders, refusing a non-empty one unless recursive", async () => {
    await v.call("vaultManager", "createFolder", { path: "Projects/Atlas" });
    writeFileSync(join(v.vault, "Projects", "Atlas", "plan.md"), "p");
    const listing = await v.call("vaultManager", "listDirectory", { path: "/", depth: 3 });
    expect(listing.data.folders).toEqual(["Notes", "Projects", "Projects/Atlas"]);
    expect(listing.data.files).toEqual(["Notes/a.md", "Projects/Atlas/plan.md"]);
    expect(
      (await v.call("vaultManager", "listDirectory", { path: "Projects", filesOnly: true, depth: 2 })).data,
    ).toMatchObject({ files: ["Projects/Atlas/plan.md"], folders: [] });
    await v.call("vaultManager", "editFolder", { path: "Projects/Atlas", newPath: "Projects/Apollo" });
    expect(existsSync(join(v.vault, "Projects/Apollo/plan.md"))).toBe(true);
    expect((await v.call("vaultManager", "deleteFolder", { path: "Projects" })).error).toContain("Folder is not empty");
    await v.call("vaultManager", "deleteFolder", { path: "Projects", recursive: true });
    expect(existsSync(join(v.vault, "Projects"))).toBe(false);
  });

  it("moves and duplicates notes, overwriting only when asked, numbering with autoIncrement", async () => {
    await v.call("vaultManager", "duplicateNote", { sourcePath: "Notes/a.md", targetPath: "Notes/b.md" });
    expect(
      (await v.call("vaultManager", "duplicateNote", { sourcePath: "Notes/a.md", targetPath: "Notes/b.md" })).error,
    ).toContain("Target already exists");
    expect(
      (
        await v.call("vaultManager", "duplicateNote", {
          sourcePath: "Notes/a.md",
          targetPath: "Notes/b.md",
          autoIncrement: true,
        })
      ).data.targetPath,
    ).toBe("Notes/b 1.md");
    expect((await v.call("vaultManager", "moveNote", { path: "Notes/b.md", newPath: "Notes/a.md" })).error).toContain(
      "Target already exists",
    );
    await v.call("vaultManager", "moveNote", { path: "Notes/b.md", newPath: "Archive/a.md", overwrite: true });
    expect(file("Archive/a.md")).toBe(file("Notes/a.md"));
    await v.call("vaultManager", "moveFolder", { path: "Archive", newPath: "Old/Archive" });
    expect(existsSync(join(v.vault, "Old/Archive/a.md"))).toBe(true);
    await v.call("vaultManager", "deleteNote", { path: "Old/Archive/a.md" });
    expect(existsSync(join(v.vault, "Old/Archive/a.md"))).toBe(false);
    expect((await v.call("vaultManager", "openNote", { path: "Notes/a.md" })).data.path).toBe("Notes/a.md");
  });
});

describe("paths never leave the vault", () => {
  it("refuses .., absolute paths, links that point outside and the server's own store, touching nothing", async () => {
    const outside = mkdtempSync(join(tmpdir(), "vault-tuner-outside-"));
    writeFileSync(join(outside, "secret.md"), "secret");
    symlinkSync(outside, join(v.vault, "Link"));
    const attempts: [string, string, Record<string, unknown>][] = [
      ["contentManager", "readContent", { filePath: "../secret.md" }],
      ["contentManager", "readContent", { filePath: "Notes/../../secret.md" }],
      ["contentManager", "readContent", { filePath: "C:\\Windows\\win.ini" }],
      ["contentManager", "readContent", { filePath: "Link/secret.md" }],
      ["contentManager", "createContent", { filePath: "Link/new.md", content: "x" }],
      ["vaultManager", "deleteFolder", { path: "Link", recursive: true }],
      ["vaultManager", "moveNote", { path: "Notes/a.md", newPath: "../a.md" }],
      ["vaultManager", "listDirectory", { path: ".vault-tuner-sandbox" }],
      ["contentManager", "readContent", { filePath: ".vault-tuner-sandbox/memory.json" }],
    ];
    for (const [agent, mode, params] of attempts) {
      const reply = await v.call(agent, mode, params);
      expect(reply.error, JSON.stringify(params)).toMatch(
        /^❌ Error: .*(leaves the vault|relative to the vault|not a note or folder)/,
      );
    }
    expect(readFileSync(join(outside, "secret.md"), "utf8")).toBe("secret");
    expect(existsSync(join(outside, "new.md"))).toBe(false);
    expect(existsSync(join(v.vault, "Notes/a.md"))).toBe(true);
  });

  it("refuses a write through a dangling link, to a missing file or a missing folder outside, creating nothing there", async () => {
    const outside = mkdtempSync(join(tmpdir(), "vault-tuner-outside-"));
    symlinkSync(join(outside, "pwned.md"), join(v.vault, "L"));
    symlinkSync(join(outside, "missing"), join(v.vault, "D"));
    // A chain: a link inside the vault to a dangling link.
    symlinkSync(join(v.vault, "L"), join(v.vault, "Chain"));
    const attempts: [string, Record<string, unknown>][] = [
      ["createContent", { filePath: "L", content: "x" }],
      ["createContent", { filePath: "D/x.md", content: "x" }],
      ["createContent", { filePath: "Chain", content: "x" }],
      ["batchContent", { operations: [{ type: "create", filePath: "L", content: "x" }] }],
    ];
    for (const [mode, params] of attempts) {
      const reply = await v.call("contentManager", mode, params);
      const said = reply.error ?? JSON.stringify(reply.data);
      expect(said, JSON.stringify(params)).toMatch(/leaves the vault through a link/);
      // The words name the vault path, never where on the host it points.
      expect(said).not.toContain(outside);
    }
    expect(existsSync(join(outside, "pwned.md"))).toBe(false);
    expect(existsSync(join(outside, "missing"))).toBe(false);
    // A link that stays inside the vault still works, dangling or not.
    symlinkSync(join(v.vault, "Notes", "later.md"), join(v.vault, "Inside"));
    expect(
      (await v.call("contentManager", "createContent", { filePath: "Inside", content: "ok" })).error,
    ).toBeUndefined();
    expect(file("Notes/later.md")).toBe("ok");
  });

  it("requires the context object, as the plugin does", async () => {
    const reply = await v.client.callTool({
      name: "contentManager",
      arguments: { mode: "readContent", filePath: "Notes/a.md" },
    });
    expect((reply.content as { text: string }[])[0]?.text).toMatch(
      /^❌ Error: Invalid parameters for contentManager_readContent: .*context/,
    );
    const bad = await v.client.callTool({
      name: "contentManager",
      arguments: { mode: "readContent", filePath: "Notes/a.md", context: { ...CONTEXT, sessionMemory: "" } },
    });
    expect((bad.content as { text: string }[])[0]?.text).toContain("sessionMemory");
    expect(reply.isError, "errors come back as text, isError unset, like the plugin").toBeFalsy();
  });
});
