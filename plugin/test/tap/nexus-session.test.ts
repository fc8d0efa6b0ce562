import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startTestDaemon } from "../../../daemon/test/daemon-harness";
import { runCli } from "../../../daemon/test/run-cli";
import { buildTap, recordingFlags, ScriptedClient } from "./tap-harness";

const CLI = fileURLToPath(new URL("../../../daemon/bin/vault-tuner.mjs", import.meta.url));

/**
 * A Nexus 5.20.1 session as Claude would run it, through the tap against the Nexus-mode reference server:
 * look the commands up, read a note whole, append to it without naming the workspace again (the session
 * remembers it), and retry that append under its operationId. It must come out the other end as labelled
 * traces, a dataset, and a recorded prompt set whose cases replay in the sandbox with final-state checks.
 */
async function nexusSession(client: ScriptedClient, session: string): Promise<void> {
  await client.open("claude-ai", "0.9");
  const context = { sessionId: session, memory: `Working on the ${session} note.`, goal: "Keep the list current." };
  const use = (id: number, tool: string, extra: Record<string, unknown> = {}) =>
    client.request(id, "tools/call", { name: "toolManager_useTools", arguments: { ...context, tool, ...extra } });
  await client.request(3, "tools/call", {
    name: "toolManager_getTools",
    arguments: { ...context, tool: "content read, content insert" },
  });
  const read = await use(4, `content read Lists/${session}.md 1`, { workspaceId: "default" });
  expect(read.result.content[0].text).toContain('"content": "1: # List');
  const append = await use(5, `content insert Lists/${session}.md "- ${session} done" -1`, {
    operationId: `${session}-1`,
  });
  expect(append.result.content[0].text).toContain('"linesDelta": 1');
  const retried = await use(6, `content insert Lists/${session}.md "- ${session} done" -1`, {
    operationId: `${session}-1`,
  });
  expect(retried.result.content[0].text).toContain('"replayed": true');
}

describe("a Nexus 5.20.1 session through the tap", () => {
  it("becomes labelled traces, a dataset and a recorded set that replays with final-state checks", {
    timeout: 120_000,
  }, async () => {
    const vault = mkdtempSync(join(tmpdir(), "vault-tuner-nexus-vault-"));
    const sessions = ["alpha", "beta", "gamma", "delta"];
    mkdirSync(join(vault, "Lists"));
    for (const session of sessions)
      writeFileSync(join(vault, "Lists", `${session}.md`), `# List\n- ${session} started\n`);
    const daemon = await startTestDaemon();
    try {
      for (const session of sessions) {
        const client = new ScriptedClient([
          process.execPath,
          buildTap(),
          ...recordingFlags(daemon),
          "--",
          process.execPath,
          CLI,
          "vault-server",
          "--vault",
          vault,
          "--toolset",
          "nexus-5.20.1",
        ]);
        await nexusSession(client, session);
        expect(await client.close()).toBe(0);
      }
      // The retry ran nothing: each note got its line once.
      expect(readFileSync(join(vault, "Lists", "alpha.md"), "utf8")).toBe("# List\n- alpha started\n- alpha done\n");

      let traces: any[] = [];
      for (let tries = 0; tries < 50 && traces.length < 16; tries++) {
        traces = await daemon.allTraces();
        if (traces.length < 16) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(traces.map((trace) => trace.call.name).sort()).toEqual([
        ...Array(4).fill("toolManager_getTools"),
        ...Array(12).fill("toolManager_useTools"),
      ]);
      for (const trace of traces) {
        expect(trace.toolsetHash, "each call carries the tools/list it was made under").toBeTruthy();
        const labelled = await daemon.call("PUT", `/v1/traces/${trace.id}/label`, { body: { label: "desirable" } });
        expect(labelled.status).toBe(200);
      }

      const built = await daemon.call("POST", "/v1/datasets", {
        body: { name: "nexus", sources: { traces: {} }, holdout: 0.5, balance: "none", seed: 3 },
      });
      expect(built.status, JSON.stringify(built.body)).toBe(201);
      // Each retried append is one call: the retry is dropped with its reason, not taught twice.
      const dropped = readFileSync(join(daemon.dataDir, "datasets", "nexus", "dropped.jsonl"), "utf8");
      expect(dropped.match(/operation-retry/g)).toHaveLength(4);
      const made = await daemon.call("POST", "/v1/evals/sets/recorded", { body: { dataset: "nexus" } });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      const set = JSON.parse(readFileSync(join(daemon.dataDir, "evals", "sets", "recorded.json"), "utf8"));
      expect(set.catalog).toBe("nexus-5.20.1");
      const inserts = set.cases.filter((evalCase: any) => evalCase.expect.calls[0]?.tool === "content insert");
      expect(inserts.length).toBeGreaterThan(0);
      for (const evalCase of inserts) {
        // The note was read whole earlier in the session, so the append replays and its effect is judged.
        expect(evalCase.expect.finalState).toBe("judged");
        const [file] = Object.keys(evalCase.expect.vault.files) as [string];
        expect(evalCase.vault.files[file]).toMatch(/^# List\n- \w+ started\n$/);
        expect(evalCase.expect.calls[0].args).toMatchObject({ path: { path: file }, startLine: { exact: -1 } });
      }
      const checked = await runCli(["eval", "check", "--set", "recorded", "--data-dir", daemon.dataDir]);
      expect(checked.stdout, checked.stdout + checked.stderr).toMatch(
        /recorded: (\d+)\/\1 cases pass their reference solution/,
      );

      // The final state is really judged: the same append put at the top of the note fails it.
      const broken = { ...set, id: "recorded-broken", cases: [inserts[0]] };
      const reference = broken.cases[0].reference[0][0].arguments;
      reference.tool = reference.tool.replace(/ -1$/, " 1");
      writeFileSync(join(daemon.dataDir, "evals", "sets", "recorded-broken.json"), JSON.stringify(broken));
      const failed = await runCli(["eval", "check", "--set", "recorded-broken", "--data-dir", daemon.dataDir]);
      expect(failed.code).not.toBe(0);
      expect(failed.stdout).toMatch(/final-state: Lists\/\w+\.md/);
    } finally {
      await daemon.stop();
    }
  });
});
