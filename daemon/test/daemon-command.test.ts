import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { resolveDataDir } from "../src/config/data-dir";
import { runCli } from "./run-cli";
import { spawnDaemon } from "./spawn-daemon";

const dataDir = mkdtempSync(join(tmpdir(), "vault-tuner-cmd-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it("starts on a free loopback port, creates a private token and database, and stops cleanly on SIGTERM", {
  timeout: 30_000,
}, async () => {
  const { child, url, exited } = await spawnDaemon(dataDir);
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(((await (await fetch(`${url}/v1/health`)).json()) as { status: string }).status).toBe("ok");
  expect(statSync(join(dataDir, "token")).mode & 0o777).toBe(0o600);
  expect(statSync(join(dataDir, "vault-tuner.sqlite")).mode & 0o777).toBe(0o600);
  child.kill("SIGTERM");
  expect(await exited).toBe(0);
});

it("refuses a port that is not a number", async () => {
  const result = await runCli(["daemon", "--port", "eighty"]);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain("--port must be a whole number");
});

it("finds its data dir from the flag, then VAULT_TUNER_HOME, then the home folder", () => {
  expect(resolveDataDir("/a/b", { VAULT_TUNER_HOME: "/c" })).toBe("/a/b");
  expect(resolveDataDir(undefined, { VAULT_TUNER_HOME: "/c" })).toBe("/c");
  expect(resolveDataDir(undefined, {})).toMatch(/\.vault-tuner$/);
});
