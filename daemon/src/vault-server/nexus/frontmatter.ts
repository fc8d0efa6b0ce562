import { parse, stringify } from "yaml";
import { fail } from "../tool-error";

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n?---[ \t]*(?:\r?\n|$)/;

/** A note split into its frontmatter (parsed) and its body, as Obsidian's processFrontMatter sees it. */
export interface NoteWithFrontmatter {
  properties: Record<string, unknown>;
  body: string;
}

export function readFrontmatter(text: string, path: string): NoteWithFrontmatter {
  const match = FRONTMATTER.exec(text);
  if (!match) return { properties: {}, body: text };
  let parsed: unknown;
  try {
    parsed = parse(match[1] ?? "") ?? {};
  } catch (error) {
    fail(`The frontmatter of ${path} is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  if (typeof parsed !== "object" || Array.isArray(parsed))
    fail(`The frontmatter of ${path} is not a map of properties`);
  return { properties: parsed as Record<string, unknown>, body: text.slice(match[0].length) };
}

/** The note again; no properties left means no frontmatter block, as Obsidian writes it. */
export function writeFrontmatter({ properties, body }: NoteWithFrontmatter): string {
  if (Object.keys(properties).length === 0) return body;
  return `---\n${stringify(properties, { lineWidth: 0 })}---\n${body}`;
}
