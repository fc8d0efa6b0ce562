import { describe, expect, it } from "vitest";
import {
  builtinCatalog,
  type Catalog,
  parseToolString,
  renderCommand,
  splitSegments,
  type ParsedSegment,
} from "../src/index";

const commands = builtinCatalog("nexus-5.20.1")!.commands!;
const parse = (tool: string, values?: unknown) => parseToolString(tool, values, commands);
/** The arguments of each command, or its error. */
const read = (tool: string, values?: unknown) =>
  parse(tool, values).segments.map((segment: ParsedSegment) =>
    segment.ok ? { command: segment.command.command, params: segment.params } : segment.error,
  );

describe("a Nexus tool string, read as the plugin reads it", () => {
  it("splits commands at a comma followed by a space or the end, never inside quotes or between letters", () => {
    expect(splitSegments("content read a.md 1, content read b.md 1,")).toEqual([
      "content read a.md 1",
      "content read b.md 1",
    ]);
    expect(splitSegments('storage list --filter a,b, content write x.md "1, 2"')).toEqual([
      "storage list --filter a,b",
      'content write x.md "1, 2"',
    ]);
    // An escaped quote inside quotes does not end them; outside quotes it opens nothing.
    expect(splitSegments('content write x.md "say \\", then"')).toEqual(['content write x.md "say \\", then"']);
    expect(splitSegments('content write x.md \\", storage list')).toEqual(['content write x.md \\"', "storage list"]);
  });

  it("fills positionals in order, skipping one given as a flag, and converts numbers", () => {
    expect(read("content read Inbox.md 3 --end-line 9")).toEqual([
      { command: "content read", params: { path: "Inbox.md", startLine: 3, endLine: 9 } },
    ]);
    expect(read("content read --path Inbox.md 3")).toEqual([
      { command: "content read", params: { path: "Inbox.md", startLine: 3 } },
    ]);
    expect(read("content read --start-line=2 Inbox.md")).toEqual([
      { command: "content read", params: { path: "Inbox.md", startLine: 2 } },
    ]);
  });

  it("unescapes quoted and unquoted values, \\u escapes included, and takes camel-case names", () => {
    expect(read('contentManager write "Notes/a b.md" "# T\\n\\nSay \\"hi\\" \\u00e9"')).toEqual([
      { command: "content write", params: { path: "Notes/a b.md", content: '# T\n\nSay "hi" é' } },
    ]);
    expect(read("content setProperty a.md status done")).toEqual([
      { command: "content set-property", params: { path: "a.md", property: "status", value: "done" } },
    ]);
  });

  it("reads booleans bare, with true/false, with =, and negated", () => {
    const overwrite = (tool: string) => (read(tool)[0] as { params: { overwrite?: unknown } }).params.overwrite;
    expect(overwrite("content write a.md x --overwrite")).toBe(true);
    expect(overwrite("content write a.md x --overwrite false")).toBe(false);
    expect(overwrite("content write a.md x --overwrite=true")).toBe(true);
    expect(overwrite("content write a.md x --no-overwrite")).toBe(false);
    expect(read("content write a.md x --overwrite=yes")[0]).toMatchObject({ rule: "param-type" });
  });

  it("reads arrays as JSON or comma-separated items, objects as JSON", () => {
    expect(read('memory list-states --tags "a, b" --page 2')[0]).toMatchObject({
      params: { tags: ["a", "b"], page: 2 },
    });
    expect(read('memory list-states --tags \'["x","y, z"]\'')[0]).toMatchObject({ params: { tags: ["x", "y, z"] } });
    expect(read('search directory q --paths Projects --date-range \'{"start":"2026-01-01"}\'')[0]).toMatchObject({
      params: { query: "q", paths: ["Projects"], dateRange: { start: "2026-01-01" } },
    });
    expect(read('content set-property a.md tags "one, two"')[0]).toMatchObject({ params: { value: ["one", "two"] } });
  });

  it("substitutes @key from values verbatim, keeps a quoted one as text, and wants every key used", () => {
    expect(read("content write a.md @body", { body: 'C:\\path "q"' })).toEqual([
      { command: "content write", params: { path: "a.md", content: 'C:\\path "q"' } },
    ]);
    expect(read('content write a.md "@body"', { x: "1" })[0]).toMatchObject({ params: { content: "@body" } });
    expect(parse('content write a.md "@body"', { x: "1" }).error?.message).toContain('"x"');
    expect(read("content write a.md @nope", { body: "x" })[0]).toMatchObject({ rule: "command-unparsable" });
    expect(parse("content write a.md @body", { "bad key": "x" }).error).toMatchObject({ rule: "command-unparsable" });
    const literal = parse("content write a.md @body").segments[0];
    expect(literal).toMatchObject({ ok: true, params: { content: "@body" }, literalReferences: ["@body"] });
  });

  it("refuses what the plugin refuses, with the first reason and its rule", () => {
    expect(read("content raed a.md 1")[0]).toMatchObject({
      rule: "command-unknown",
      message: expect.stringContaining('did you mean "content read"'),
    });
    expect(read("contnet read a.md 1")[0]).toMatchObject({
      rule: "command-unknown",
      message: expect.stringContaining('"content"'),
    });
    expect(read("content")[0]).toMatchObject({ rule: "command-unknown" });
    expect(read("content read a.md 1 2")[0]).toMatchObject({ rule: "param-unexpected" });
    expect(read("content read a.md 1 --colour red")[0]).toMatchObject({ rule: "param-unexpected" });
    expect(read("content read a.md 1 --memory x")[0]).toMatchObject({
      rule: "param-unexpected",
      message: expect.stringContaining("top level"),
    });
    expect(read("content read a.md")[0]).toMatchObject({
      rule: "param-missing",
      message: expect.stringContaining("startLine"),
    });
    expect(read("content read a.md 1 --end-line")[0]).toMatchObject({ rule: "param-missing" });
    expect(read("content read a.md 1 --end-line=")[0]).toMatchObject({ rule: "command-unparsable" });
    expect(read('content read "a.md 1')[0]).toMatchObject({ rule: "command-unparsable" });
    expect(parse("  ").error).toMatchObject({ rule: "command-unparsable" });
  });

  it("leaves a value that does not convert as text, for the schema check to judge", () => {
    expect(read("content read a.md first")[0]).toMatchObject({ params: { startLine: "first" } });
  });
});

describe("renderCommand", () => {
  it("writes every 5.20.1 command so the parser reads back the same arguments", () => {
    const catalog = builtinCatalog("nexus-5.20.1") as Catalog;
    // A value that may be a list (set-property's) with a comma is read as one, as the plugin reads it.
    const sample = (type: string, name: string): unknown =>
      type === "unknown" || type === "oneOfArray"
        ? "done"
        : type === "number" || type === "integer"
          ? 3
          : type === "boolean"
            ? name.length % 2 === 0
            : type.startsWith("array")
              ? [`a "quoted", item`, "b\\c"]
              : type === "object"
                ? { key: "value, with comma" }
                : `${name}: "quoted", with a comma\nand a newline`;
    for (const command of catalog.commands ?? []) {
      const params = Object.fromEntries(
        command.arguments.map((argument) => [argument.name, sample(argument.type, argument.name)]),
      );
      const parsed = parseToolString(renderCommand(command, params), undefined, catalog.commands ?? []);
      expect(parsed.error, command.command).toBeUndefined();
      const [segment] = parsed.segments;
      expect(segment?.ok && segment.params, command.command).toEqual(params);
    }
  });
});
