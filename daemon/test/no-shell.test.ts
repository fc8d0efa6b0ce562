import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ROOT, sourceFiles } from "./source-files";

const SOURCE_DIRS = ["daemon/src", "shared/src", "plugin/src"];

/** Ways to hand a string to a shell. The daemon passes argument arrays to programs, never command lines. */
const SHELL_PATTERNS: [RegExp, string][] = [
  [/\bshell\s*:\s*true\b/, "shell: true"],
  [/\bexecSync\s*\(|\bexec\s*\(\s*[`'"]/, "child_process exec"],
  [/\bexecaCommand(Sync)?\b/, "execaCommand"],
  [/\$\s*`/, "execa's $ template"],
  [/["']\/bin\/(ba)?sh["']|["']sh["']\s*,\s*\[\s*["']-c["']/, "sh -c"],
];

it("no source file builds a shell command", () => {
  const files = SOURCE_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir)));
  expect(files.length).toBeGreaterThan(50);
  const findings = files.flatMap((file) => {
    const text = readFileSync(file, "utf8");
    return SHELL_PATTERNS.filter(([pattern]) => pattern.test(text)).map(
      ([, what]) => `${file.slice(ROOT.length)}: ${what}`,
    );
  });
  expect(findings).toEqual([]);
});

it("the shell patterns catch what they are meant to", () => {
  const caught = (text: string) => SHELL_PATTERNS.some(([pattern]) => pattern.test(text));
  expect(caught('spawn("python", args, { shell: true })')).toBe(true);
  expect(caught("execSync(`python ${file}`)")).toBe(true);
  expect(caught("await $`python ${file}`")).toBe(true);
  expect(caught('spawn("sh", ["-c", line])')).toBe(true);
  expect(caught('execa("python", ["train.py", file])')).toBe(false);
});
