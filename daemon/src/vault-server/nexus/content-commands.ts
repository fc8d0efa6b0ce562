import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fail } from "../tool-error";
import { vaultPath } from "../vault-paths";
import { readFrontmatter, writeFrontmatter } from "./frontmatter";
import { anchoredRange } from "./line-anchors";
import type { NexusCommands } from "./nexus-command";

function note(root: string, given: unknown) {
  const path = vaultPath(root, given, "path");
  const stat = statSync(path.absolute, { throwIfNoEntry: false });
  if (!stat) fail(`File not found: "${path.relative}". Use search content or storage list to find it.`);
  if (!stat.isFile()) fail(`Path is a folder, not a file: "${path.relative}". Use storage list to see its contents.`);
  return { ...path, text: readFileSync(path.absolute, "utf8") };
}

/** What an edit did to the note's length, as the plugin reports it. */
function edited(before: string[], after: string[]) {
  return { linesDelta: after.length - before.length, totalLines: after.length };
}

/**
 * A value `set-property` and `remove-property` take: the parser leaves an untyped value as text, and the
 * plugin reads "a,b" as the list [a, b] (a wikilink or any single value stays whole).
 */
function propertyValue(value: unknown): unknown {
  if (typeof value !== "string" || !value.includes(",")) return value;
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function mergedProperty(existing: unknown, value: unknown, property: string): unknown {
  if (existing === undefined || existing === null) return value;
  if (Array.isArray(existing)) {
    const merged = [...existing];
    for (const item of Array.isArray(value) ? value : [value]) if (!merged.includes(item)) merged.push(item);
    return merged;
  }
  if (Array.isArray(value))
    fail(
      `Cannot merge into "${property}": it holds a single value and a list was given. Use --mode replace to overwrite it.`,
    );
  return value;
}

/** content: reading and editing notes, with Nexus 5.x's semantics. */
export const contentCommands: NexusCommands = {
  "content read"(params, { root }) {
    const { relative, text } = note(root, params.path);
    const lines = text.split("\n");
    const startLine = Math.max(1, Number(params.startLine) || 1);
    const endLine = params.endLine === undefined ? lines.length : Math.min(Number(params.endLine), lines.length);
    const content = lines
      .slice(startLine - 1, endLine)
      .map((line, i) => `${startLine + i}: ${line}`)
      .join("\n");
    return { content, path: relative, startLine, endLine };
  },
  "content write"(params, { root }) {
    const path = vaultPath(root, params.path, "path");
    const stat = statSync(path.absolute, { throwIfNoEntry: false });
    if (stat?.isDirectory()) fail(`Path is a folder, not a file: "${path.relative}"`);
    if (stat && params.overwrite !== true)
      fail(
        `File already exists: "${path.relative}". Pass --overwrite to replace it, or use content replace to edit it.`,
      );
    mkdirSync(dirname(path.absolute), { recursive: true });
    writeFileSync(path.absolute, String(params.content));
    return undefined;
  },
  "content insert"(params, { root }) {
    const target = note(root, params.path);
    const lines = target.text.split("\n");
    const adding = String(params.content).split("\n");
    const startLine = Number(params.startLine);
    let at: number;
    if (startLine === -1)
      // Appending to a note that ends with a newline goes before that last empty line, not after it.
      at = lines.length > 1 && lines[lines.length - 1] === "" ? lines.length - 1 : lines.length;
    else if (Number.isInteger(startLine) && startLine >= 1 && startLine <= lines.length + 1) at = startLine - 1;
    else
      fail(
        `startLine ${params.startLine} is outside ${target.relative} (${lines.length} lines): use 1 to ${lines.length + 1}, or -1 to append`,
      );
    const after = [...lines.slice(0, at), ...adding, ...lines.slice(at)];
    writeFileSync(target.absolute, after.join("\n"));
    return edited(lines, after);
  },
  "content replace"(params, { root }) {
    const target = note(root, params.path);
    const lines = target.text.split("\n");
    const range = anchoredRange(lines, String(params.start), String(params.end), target.relative);
    const content = String(params.content);
    const after = [
      ...lines.slice(0, range.first),
      ...(content === "" ? [] : content.split("\n")),
      ...lines.slice(range.last + 1),
    ];
    writeFileSync(target.absolute, after.join("\n"));
    return edited(lines, after);
  },
  "content set-property"(params, { root }) {
    const target = note(root, params.path);
    const property = String(params.property);
    const parsed = readFrontmatter(target.text, target.relative);
    const value = propertyValue(params.value);
    parsed.properties[property] =
      params.mode === "merge" ? mergedProperty(parsed.properties[property], value, property) : value;
    writeFileSync(target.absolute, writeFrontmatter(parsed));
    return undefined;
  },
  "content remove-property"(params, { root }) {
    const target = note(root, params.path);
    const property = String(params.property);
    const parsed = readFrontmatter(target.text, target.relative);
    if (!(property in parsed.properties)) fail(`Property "${property}" is not set on ${target.relative}`);
    if (params.value === undefined) delete parsed.properties[property];
    else {
      const existing = parsed.properties[property];
      const removing = [propertyValue(params.value)].flat().map(String);
      const items = Array.isArray(existing) ? existing : [existing];
      const missing = removing.filter((item) => !items.map(String).includes(item));
      if (missing.length > 0)
        fail(`"${property}" on ${target.relative} does not hold ${missing.map((item) => `"${item}"`).join(", ")}`);
      const kept = items.filter((item) => !removing.includes(String(item)));
      if (kept.length === 0) delete parsed.properties[property];
      else parsed.properties[property] = Array.isArray(existing) ? kept : kept[0];
    }
    writeFileSync(target.absolute, writeFrontmatter(parsed));
    return undefined;
  },
};
