import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PYTHON_DIR } from "../../src/train/python-env";
import { runCli } from "../run-cli";

/**
 * The command line as `npx vault-tuner` runs it after `npm ci`: built into plain JavaScript by
 * scripts/build-cli.mjs (each command its own chunk), giving the same answers as the sources.
 */
const DAEMON = join(PYTHON_DIR, "..", "daemon");
let out: string;

beforeAll(async () => {
  // Inside the project, so the build's imports of installed packages resolve from its node_modules.
  mkdirSync(join(DAEMON, "..", ".vitest-tmp"), { recursive: true });
  out = mkdtempSync(join(DAEMON, "..", ".vitest-tmp", "built-cli-"));
  await execa(process.execPath, [join(DAEMON, "scripts", "build-cli.mjs"), "--out", out]);
}, 120_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Runs the built CLI in a fresh Node, as the bin does. */
function built(args: string[]) {
  const script = `const { main } = await import(${JSON.stringify(join(out, "cli.js"))}); process.exitCode = await main(${JSON.stringify(args)});`;
  return execa(process.execPath, ["--input-type=module", "-e", script], { reject: false });
}

describe("the built command line", () => {
  it("prints the same help and the same validation as the sources", async () => {
    for (const args of [["--help"], ["train", "--help"], ["nope"]]) {
      const [fromBuild, fromSources] = await Promise.all([built(args), runCli(args)]);
      expect({ code: fromBuild.exitCode, stdout: fromBuild.stdout, stderr: fromBuild.stderr }, args.join(" ")).toEqual({
        code: fromSources.code,
        stdout: fromSources.stdout.trimEnd(),
        stderr: fromSources.stderr.trimEnd(),
      });
    }
    const file = join(out, "one.jsonl");
    writeFileSync(file, '{"conversations": [{"role": "user", "content": "hi"}], "label": true}\n{nope\n');
    const [fromBuild, fromSources] = await Promise.all([
      built(["validate", file, "--json"]),
      runCli(["validate", file, "--json"]),
    ]);
    expect(fromBuild.exitCode).toBe(fromSources.code);
    expect(JSON.parse(fromBuild.stdout).issues).toEqual(JSON.parse(fromSources.stdout).issues);
  });

  it("finds the files it ships with where its sources found them (the built-in prompt sets)", async () => {
    const [fromBuild, fromSources] = await Promise.all([
      built(["eval", "sets", "--data-dir", join(out, "data")]),
      runCli(["eval", "sets", "--data-dir", join(out, "data")]),
    ]);
    expect(fromBuild.exitCode, fromBuild.stderr).toBe(0);
    expect(fromBuild.stdout).toBe(fromSources.stdout.trimEnd());
    expect(fromBuild.stdout).toContain("full-coverage");
  });
});
