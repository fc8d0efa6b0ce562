import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildTap, filesystemServer, ScriptedClient } from "./tap-harness";

const spool = () => mkdtempSync(join(tmpdir(), "vault-tuner-spool-"));

function runTap(upstream: string[]) {
  const child = spawn(
    process.execPath,
    [buildTap(), "--spool", spool(), "--daemon", "http://127.0.0.1:9", "--", ...upstream],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, exited };
}

describe("the tap passes the upstream's end on", () => {
  it("exits with the upstream's exit code", { timeout: 20_000 }, async () => {
    const { exited } = runTap([process.execPath, "-e", "process.exit(3)"]);
    expect(await exited).toEqual({ code: 3, signal: null });
  });

  it("passes SIGTERM to the upstream and dies of it as the upstream did", { timeout: 20_000 }, async () => {
    const { child, exited } = runTap([
      process.execPath,
      "-e",
      "setInterval(() => {}, 1000); process.stdout.write('ready\\n')",
    ]);
    await new Promise((resolve) => child.stdout.once("data", resolve));
    child.kill("SIGTERM");
    expect(await exited).toEqual({ code: null, signal: "SIGTERM" });
  });

  it("ends when the client closes stdin and the upstream exits", { timeout: 20_000 }, async () => {
    const { child, exited } = runTap([
      process.execPath,
      "-e",
      "process.stdin.resume(); process.stdin.on('end', () => process.exit(0))",
    ]);
    child.stdin.end();
    expect(await exited).toEqual({ code: 0, signal: null });
  });

  it("reports a missing upstream command the way a failed launch looks", { timeout: 20_000 }, async () => {
    const { exited } = runTap(["/nonexistent/connector"]);
    expect((await exited).code).toBe(127);
  });
});

it("does not hold the relay back when the daemon accepts but never answers", { timeout: 30_000 }, async () => {
  const silent = createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const port = (silent.address() as { port: number }).port;
  const vault = mkdtempSync(join(tmpdir(), "vault-tuner-fs-"));
  const token = join(vault, "token");
  writeFileSync(token, "0".repeat(64));
  mkdirSync(join(vault, "Notes"));
  writeFileSync(join(vault, "Notes", "a.md"), "# A\nfirst note\n");
  const spooled = spool();
  const client = new ScriptedClient([
    process.execPath,
    buildTap(),
    "--spool",
    spooled,
    "--daemon",
    `http://127.0.0.1:${port}`,
    "--token-file",
    token,
    "--",
    ...filesystemServer(vault),
  ]);
  await client.request(1, "initialize", {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "c", version: "1" },
  });
  for (let i = 0; i < 20; i++) {
    const reply = await client.request(10 + i, "tools/call", {
      name: "read_text_file",
      arguments: { path: join(vault, "Notes", "a.md") },
    });
    expect(JSON.stringify(reply.result)).toContain("first note");
  }
  // The tap gives delivery a bounded time at exit, then leaves the rest in the spool.
  expect(await client.close()).toBe(0);
  const lines = readdirSync(spooled).flatMap((name) =>
    name.endsWith(".jsonl") ? readFileSync(join(spooled, name), "utf8").split("\n").filter(Boolean) : [],
  );
  expect(
    lines.filter((line) => JSON.parse(line).kind === "trace"),
    "every call spooled though the daemon never answered",
  ).toHaveLength(20);
  const stuck = spawn(process.execPath, [
    buildTap(),
    "--spool",
    spool(),
    "--daemon",
    `http://127.0.0.1:${port}`,
    "--token-file",
    token,
    "--",
    ...filesystemServer(vault),
  ]);
  stuck.stdin.write(
    `${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "read_text_file", arguments: { path: join(vault, "Notes", "a.md") } } })}\n`,
  );
  await new Promise((resolve) => stuck.stdout.once("data", resolve));
  stuck.kill("SIGTERM");
  const end = await new Promise((resolve) => stuck.once("exit", (code, signal) => resolve({ code, signal })));
  expect(end, "the upstream's end is passed on even with delivery stuck").toEqual({ code: null, signal: "SIGTERM" });
  silent.close();
});
