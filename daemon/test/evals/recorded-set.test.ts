import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTrace, startTestDaemon, type TestDaemon } from "../daemon-harness";
import { runCli } from "../run-cli";

/** The recorded set: the user's approved calls from a dataset's holdout split, as evaluation cases. */
let daemon: TestDaemon;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "vt-recorded-"));
  daemon = await startTestDaemon({ dataDir });
  // Each session has its own goal, so each first call has its own conversation.
  const traces = ["alpha", "beta", "gamma", "delta"].flatMap((session) =>
    [0, 1].map((step) => {
      const trace = makeTrace({ id: `${session}-${step}`, session, recordedAt: `2026-11-27T10:0${step}:00.000Z` });
      const args = trace.call.arguments as { context: Record<string, string> };
      args.context = { ...args.context, primaryGoal: `Summarise the ${session} standup` };
      return trace;
    }),
  );
  await daemon.call("POST", "/v1/traces", { body: { traces } });
  for (const trace of traces)
    await daemon.call("PUT", `/v1/traces/${trace.id}/label`, {
      body: { label: trace.id === "delta-1" ? "undesirable" : "desirable" },
    });
  expect(
    (
      await daemon.call("POST", "/v1/datasets", {
        body: { name: "mine", sources: { traces: {} }, holdout: 0.5, balance: "none", seed: 7 },
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await daemon.call("POST", "/v1/datasets", {
        body: { name: "all-train", sources: { traces: {} }, holdout: 0, balance: "none" },
      })
    ).status,
  ).toBe(201);
});
afterAll(() => daemon.stop());

describe("the recorded prompt set", () => {
  it("turns each approved holdout call into a case that expects that call, and never a training row", async () => {
    const made = await daemon.call("POST", "/v1/evals/sets/recorded", { body: { dataset: "mine" } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const holdout = readFileSync(join(dataDir, "datasets", "mine", "holdout.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    const approved = holdout.filter((row) => row.label && row.source.startsWith("trace:"));
    expect(approved.length).toBeGreaterThan(0);
    expect(made.body).toMatchObject({ id: "recorded", cases: approved.length, source: "recorded", skipped: [] });

    const set = JSON.parse(readFileSync(join(dataDir, "evals", "sets", "recorded.json"), "utf8"));
    const train = readFileSync(join(dataDir, "datasets", "mine", "train.jsonl"), "utf8");
    for (const [index, row] of approved.entries()) {
      const evalCase = set.cases[index];
      expect(evalCase.messages).toEqual(row.prompt);
      const recorded = JSON.parse(row.completion[0].tool_calls[0].function.arguments);
      expect(evalCase.expect).toMatchObject({
        finalState: "unjudged",
        calls: [
          {
            tool: "contentManager_readContent",
            args: { filePath: { path: recorded.filePath }, sessionId: { exact: recorded.sessionId } },
          },
        ],
      });
      expect(train).not.toContain(`"source":"${row.source}"`);
    }
    expect((await daemon.call("GET", "/v1/evals/sets")).body.items.map((item: any) => item.id)).toContain("recorded");
  });

  it("is passable: every case passes its own reference, the recorded call", async () => {
    const checked = await runCli(["eval", "check", "--set", "recorded", "--data-dir", dataDir]);
    expect(checked.stdout, checked.stdout).toMatch(/recorded: (\d+)\/\1 cases pass their reference solution/);
    expect(checked.code).toBe(0);
  });

  it("says why it cannot make a set from a dataset without a holdout or a missing one", async () => {
    const none = await daemon.call("POST", "/v1/evals/sets/recorded", { body: { dataset: "all-train" } });
    expect(none.status).toBe(400);
    expect(none.body.error.message).toContain("dataset all-train's holdout has no approved recorded calls");
    const cli = await runCli(["eval", "recorded", "--dataset", "nope", "--data-dir", dataDir]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('no dataset "nope"');
  });
});
