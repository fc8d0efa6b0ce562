import { describeError } from "@vault-tuner/shared";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { ToolHandlers } from "./tool-handlers";
import { fail } from "./tool-error";
import { vaultPath } from "./vault-paths";

function readNote(root: string, given: unknown): { absolute: string; relative: string; text: string } {
  const path = vaultPath(root, given, "filePath");
  if (!existsSync(path.absolute) || !statSync(path.absolute).isFile()) fail(`File not found: ${path.relative}`);
  return { ...path, text: readFileSync(path.absolute, "utf8") };
}

function text(value: unknown, what: string): string {
  if (typeof value !== "string") fail(`${what} must be a string`);
  return value;
}

function lineNumber(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) fail(`${what} must be a line number from 1`);
  return value;
}

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** contentManager: reading and editing notes, with the 3.x plugin's semantics. */
export const contentTools: ToolHandlers = {
  readContent(args, { root }) {
    const note = readNote(root, args.filePath);
    const lines = note.text.split("\n");
    const offset = args.offset === undefined ? 1 : lineNumber(args.offset, "offset");
    const limit = args.limit === undefined ? lines.length : Math.max(0, Number(args.limit));
    const slice = lines.slice(offset - 1, offset - 1 + limit);
    const content =
      args.includeLineNumbers === true ? slice.map((line, i) => `${offset + i}: ${line}`).join("\n") : slice.join("\n");
    return {
      filePath: note.relative,
      content,
      lineStart: offset,
      lineEnd: offset + slice.length - 1,
      totalLines: lines.length,
    };
  },
  createContent(args, { root }) {
    const path = vaultPath(root, args.filePath, "filePath");
    if (existsSync(path.absolute)) fail(`File already exists: ${path.relative}`);
    mkdirSync(dirname(path.absolute), { recursive: true });
    writeFileSync(path.absolute, text(args.content, "content"));
    return { filePath: path.relative, created: Date.now() };
  },
  appendContent(args, { root }) {
    const note = readNote(root, args.filePath);
    writeFileSync(note.absolute, note.text + text(args.content, "content"));
    return { filePath: note.relative, appended: true };
  },
  prependContent(args, { root }) {
    const note = readNote(root, args.filePath);
    writeFileSync(note.absolute, text(args.content, "content") + note.text);
    return { filePath: note.relative, prepended: true };
  },
  replaceContent(args, { root }) {
    const note = readNote(root, args.filePath);
    const oldContent = text(args.oldContent, "oldContent");
    if (oldContent === "" || !note.text.includes(oldContent)) fail(`Content not found in ${note.relative}`);
    const replacements = note.text.split(oldContent).length - 1;
    writeFileSync(note.absolute, note.text.split(oldContent).join(text(args.newContent, "newContent")));
    return { filePath: note.relative, replacements };
  },
  replaceByLine(args, { root }) {
    const note = readNote(root, args.filePath);
    const lines = note.text.split("\n");
    const start = lineNumber(args.startLine, "startLine");
    const end = lineNumber(args.endLine, "endLine");
    if (end < start) fail(`endLine ${end} is before startLine ${start}`);
    if (end > lines.length) fail(`Line ${end} is past the end of ${note.relative} (${lines.length} lines)`);
    lines.splice(start - 1, end - start + 1, ...text(args.newContent, "newContent").split("\n"));
    writeFileSync(note.absolute, lines.join("\n"));
    return { filePath: note.relative, linesReplaced: end - start + 1 };
  },
  deleteContent(args, { root }) {
    const note = readNote(root, args.filePath);
    const content = text(args.content, "content");
    if (content === "" || !note.text.includes(content)) fail(`Content not found in ${note.relative}`);
    const deletions = note.text.split(content).length - 1;
    writeFileSync(note.absolute, note.text.split(content).join(""));
    return { filePath: note.relative, deletions };
  },
  findReplaceContent(args, { root }) {
    const note = readNote(root, args.filePath);
    const find = text(args.findText, "findText");
    if (find === "") fail("findText must not be empty");
    const caseSensitive = args.caseSensitive !== false;
    const wholeWord = args.wholeWord === true;
    const pattern = new RegExp(
      wholeWord ? `\\b${escapeRegExp(find)}\\b` : escapeRegExp(find),
      `${caseSensitive ? "" : "i"}${args.replaceAll === true ? "g" : ""}`,
    );
    const matches = note.text.match(new RegExp(pattern.source, `${pattern.flags.replace("g", "")}g`))?.length ?? 0;
    if (matches === 0) fail(`"${find}" not found in ${note.relative}`);
    const replacement = text(args.replaceText, "replaceText");
    writeFileSync(
      note.absolute,
      note.text.replace(pattern, () => replacement),
    );
    return { filePath: note.relative, replacements: args.replaceAll === true ? matches : 1 };
  },
  async batchContent(args, context) {
    if (!Array.isArray(args.operations) || args.operations.length === 0) fail("operations must be a non-empty array");
    const modes: Record<string, string> = {
      read: "readContent",
      create: "createContent",
      append: "appendContent",
      prepend: "prependContent",
      replace: "replaceContent",
      replaceByLine: "replaceByLine",
      delete: "deleteContent",
      findReplace: "findReplaceContent",
    };
    const results = [];
    for (const operation of args.operations as Record<string, unknown>[]) {
      const mode = modes[String(operation.type)];
      const handler = mode ? contentTools[mode] : undefined;
      if (!handler) {
        results.push({
          type: operation.type,
          success: false,
          error: `unknown operation type "${String(operation.type)}"`,
        });
        continue;
      }
      try {
        results.push({ type: operation.type, success: true, data: await handler(operation, context) });
      } catch (error) {
        results.push({ type: operation.type, success: false, error: describeError(error) });
      }
    }
    return { results };
  },
};
