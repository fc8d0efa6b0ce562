import { fail } from "../tool-error";

/**
 * The line-block anchors of `content replace`: `start` and `end` are whole lines (several joined with
 * `\n`) copied from a read. They are compared the way a model copies text by sight: curly quotes and
 * dashes folded to ASCII, invisible format characters dropped, Unicode compatibility forms unified and
 * trailing whitespace ignored. Leading whitespace counts (indentation is meaning in lists and code).
 */
export function comparable(line: string): string {
  return line
    .replace(/\r/g, "")
    .replace(/\u00ad|\u200b|\u200c|\u200d|\u2060|\ufeff/g, "")
    .replace(/[\u2018\u2019\u201a\u201b\u2032\u02bc]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .normalize("NFKC")
    .replace(/\s+$/, "");
}

export interface LineBlock {
  /** 0-based first line. */
  first: number;
  /** 0-based last line, inclusive. */
  last: number;
}

function occurrences(lines: string[], anchor: string): LineBlock[] {
  const wanted = anchor.split("\n").map(comparable);
  const have = lines.map(comparable);
  const found: LineBlock[] = [];
  for (let first = 0; first + wanted.length <= have.length; first++)
    if (wanted.every((line, i) => have[first + i] === line)) found.push({ first, last: first + wanted.length - 1 });
  return found;
}

/** The one place an anchor names, or a failure that says why and how to fix it. */
function unique(lines: string[], anchor: string, which: "start" | "end", path: string): LineBlock {
  if (anchor.trim() === "") fail(`${which} must not be empty: copy the line(s) from your read of ${path}`);
  const found = occurrences(lines, anchor);
  if (found.length === 1) return found[0] as LineBlock;
  if (found.length === 0)
    fail(
      `${which} anchor not found in ${path}: "${anchor.split("\n")[0]}". Read the note again and copy the line(s) exactly.`,
    );
  fail(
    `${which} anchor matches ${found.length} places in ${path} (lines ${found.map((block) => block.first + 1).join(", ")}); add neighbouring lines with \\n until it names one`,
  );
}

/** The lines from `start` through `end`, both anchors included. */
export function anchoredRange(lines: string[], start: string, end: string, path: string): LineBlock {
  const from = unique(lines, start, "start", path);
  const to = start === end ? from : unique(lines, end, "end", path);
  if (to.last < from.first || to.first < from.first)
    fail(`end (line ${to.first + 1}) comes before start (line ${from.first + 1}) in ${path}`);
  return { first: from.first, last: Math.max(from.last, to.last) };
}
