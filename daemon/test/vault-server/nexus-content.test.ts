import { readFileSync, symlinkSync, writeFileSync, mkdtempSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nexusClient } from "./nexus-client";

let v: Awaited<ReturnType<typeof nexusClient>>;
const note = (path: string) => readFileSync(join(v.vault, path), "utf8");
beforeEach(async () => {
  v = await nexusClient();
  writeFileSync(join(v.vault, "Plan.md"), "# Plan\n- draft the outline\n- send it to Ana\n\nThat’s all — for now.\n");
});
afterEach(async () => {
  await v.close();
});

describe("Nexus content commands", () => {
  it("read numbers each line from startLine, as the plugin does", async () => {
    const { result } = await v.use("content read Plan.md 2 --end-line 3");
    expect(result).toMatchObject({
      agent: "contentManager",
      tool: "read",
      success: true,
      path: "Plan.md",
      content: "2: - draft the outline\n3: - send it to Ana",
      startLine: 2,
      endLine: 3,
    });
    expect((await v.use("content read Missing.md 1")).error).toContain('File not found: "Missing.md"');
  });

  it("write creates a note (and its folders), refuses to replace one without --overwrite", async () => {
    const { result } = await v.use('content write Notes/New.md "# New\\n\\nBody, with a comma"');
    expect(result).toEqual({ agent: "contentManager", tool: "write", success: true });
    expect(note("Notes/New.md")).toBe("# New\n\nBody, with a comma");
    expect((await v.use('content write Plan.md "x"')).error).toContain("already exists");
    expect(note("Plan.md")).toContain("# Plan");
    await v.use('content write Plan.md "replaced" --overwrite');
    expect(note("Plan.md")).toBe("replaced");
  });

  it("insert places lines before startLine, appends with -1, and refuses a line outside the note", async () => {
    expect((await v.use('content insert Plan.md "Intro" 2')).result).toMatchObject({ linesDelta: 1, totalLines: 7 });
    await v.use('content insert Plan.md "- last" -1');
    expect(note("Plan.md")).toBe(
      "# Plan\nIntro\n- draft the outline\n- send it to Ana\n\nThat’s all — for now.\n- last\n",
    );
    expect((await v.use('content insert Plan.md "x" 40')).error).toContain("outside Plan.md");
  });

  it("replace swaps the block from start through end, matching quotes and dashes loosely", async () => {
    const { result } = await v.use(
      `content replace Plan.md "- draft the outline" "That's all - for now." "- outline drafted"`,
    );
    expect(result).toMatchObject({ success: true, linesDelta: -3, totalLines: 3 });
    expect(note("Plan.md")).toBe("# Plan\n- outline drafted\n");
  });

  it("replace refuses an anchor that is missing, ambiguous, or out of order, and changes nothing", async () => {
    writeFileSync(join(v.vault, "Twice.md"), "a\nb\na\nc\n");
    expect((await v.use('content replace Twice.md "a" "c" "x"')).error).toMatch(
      /start anchor matches 2 places.*lines 1, 3/,
    );
    expect((await v.use('content replace Twice.md "zzz" "c" "x"')).error).toContain("start anchor not found");
    expect((await v.use('content replace Twice.md "c" "b" "x"')).error).toContain("comes before start");
    expect(note("Twice.md")).toBe("a\nb\na\nc\n");
    await v.use('content replace Twice.md "a\\nb" "a\\nb" ""');
    expect(note("Twice.md")).toBe("a\nc\n");
  });

  it("set-property replaces or merges frontmatter values; remove-property drops a property or list items", async () => {
    await v.use('content set-property Plan.md status "in progress"');
    await v.use('content set-property Plan.md tags "work,q3"');
    await v.use('content set-property Plan.md tags "q3,[[Ana]]" --mode merge');
    expect(note("Plan.md")).toBe(
      '---\nstatus: in progress\ntags:\n  - work\n  - q3\n  - "[[Ana]]"\n---\n# Plan\n- draft the outline\n- send it to Ana\n\nThat’s all — for now.\n',
    );
    expect((await v.use('content remove-property Plan.md tags --value "work,[[Ana]]"')).result.success).toBe(true);
    expect(note("Plan.md")).toMatch(/^---\nstatus: in progress\ntags:\n {2}- q3\n---\n/);
    expect((await v.use('content remove-property Plan.md tags --value "absent"')).error).toContain(
      'does not hold "absent"',
    );
    await v.use("content remove-property Plan.md tags --value q3");
    await v.use("content remove-property Plan.md status");
    expect(note("Plan.md")).toBe("# Plan\n- draft the outline\n- send it to Ana\n\nThat’s all — for now.\n");
    expect((await v.use("content remove-property Plan.md status")).error).toContain('"status" is not set');
  });

  it("keeps every write inside the vault, through links too", async () => {
    const outside = mkdtempSync(join(tmpdir(), "vault-tuner-outside-"));
    symlinkSync(join(outside, "pwned.md"), join(v.vault, "L.md"));
    expect((await v.use('content write L.md "x"')).error).toContain("leaves the vault");
    expect((await v.use('content write ../escape.md "x"')).error).toContain("leaves the vault");
    expect(existsSync(join(outside, "pwned.md"))).toBe(false);
  });
});
