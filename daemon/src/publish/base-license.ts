import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/**
 * The base's license as its own files name it, for the model card: the `license` of its README.md's
 * metadata header (how the Hub's model folders say it), else the first line of its LICENSE file. Null when
 * the base is not a folder here (a Hub name) or neither says: the card then asks the reader to check.
 */
export function baseLicense(base: string | null): string | null {
  if (!base || !existsSync(base)) return null;
  const readme = join(base, "README.md");
  if (existsSync(readme)) {
    const header = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readFileSync(readme, "utf8"))?.[1];
    try {
      const license = header ? (parse(header) as { license?: unknown } | null)?.license : undefined;
      if (typeof license === "string" && license.trim()) return license.trim();
    } catch {
      // A header that is not YAML names no license; the LICENSE file may still.
    }
  }
  for (const name of ["LICENSE", "LICENSE.txt", "LICENSE.md"]) {
    const file = join(base, name);
    const first = existsSync(file)
      ? readFileSync(file, "utf8")
          .split(/\r?\n/)
          .find((line) => line.trim())
      : undefined;
    if (first) return first.trim().slice(0, 120);
  }
  return null;
}
