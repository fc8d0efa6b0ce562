import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, expect, it } from "vitest";
import { PYTHON_DIR } from "../src/train/python-env";

/** The README's first hour, as `npm run walkthrough` walks it: every step a newcomer takes, on this machine. */
const work = mkdtempSync(join(tmpdir(), "vt-walkthrough-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it("records, labels, builds, trains, exports, deploys, evaluates and compares from a clean data dir", async () => {
  const result = await execa("npm", ["run", "--silent", "walkthrough", "--", "--work", work], {
    cwd: join(PYTHON_DIR, ".."),
    all: true,
    reject: false,
  });
  expect(result.exitCode, result.all).toBe(0);
  const out = result.stdout;
  for (const step of [
    "1. Start the daemon",
    "2. Record",
    "3. Label",
    "4. Build a dataset",
    "5. Train",
    "6. Export",
    "7. Evaluate",
  ])
    expect(out, step).toContain(`] ${step}`);
  expect(out).toContain("the daemon has 6 recorded calls");
  expect(out).toMatch(/train +4 desirable \/ 4 undesirable/);
  // Wire calls count under their flat tools.
  expect(out).toContain("tools   3 of 47 catalog tools have a desirable example");
  expect(out).toMatch(/^ {2}step 4\/4, loss/m);
  expect(out).toMatch(/^ {2}quantization check: model-q8_0\.gguf \(1\/2\)$/m);
  expect(out).toMatch(/^ {2}2 paired cases: \d better in B, \d worse/m);
  expect(out).toMatch(/Done: recorded, labelled, built, trained, exported, deployed, evaluated and compared/);
  // The recorder left the client's config pointing at the tap, and the daemon its two reports.
  expect(
    JSON.parse(readFileSync(join(work, "claude_desktop_config.json"), "utf8")).mcpServers["claudesidian-mcp-my-notes"]
      .args[0],
  ).toBe(join(work, "data", "tap.cjs"));
  expect(existsSync(join(work, "eval-deployed.json")) && existsSync(join(work, "eval-other.json"))).toBe(true);
  // The daemon it started is gone, with its address, and closed its database although it served a model.
  expect(existsSync(join(work, "data", "daemon.json"))).toBe(false);
  expect(
    existsSync(join(work, "data", "vault-tuner.sqlite-wal")),
    "the database was closed (its write-ahead log folded in)",
  ).toBe(false);
  expect(result.stdout).toMatch(/8\. Stop the daemon/);
}, 600_000);
