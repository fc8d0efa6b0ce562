import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { makeTrace, type TestDaemon } from "../daemon-harness";
import { runCli } from "../run-cli";
import { daemonWithEvents, finishedJob, makeTinyModel } from "./job-fixtures";

/**
 * The loop on a CPU, all real: labelled traces in a daemon -> a dataset -> a training job of a tiny
 * model with live progress -> GGUF -> deployed into the daemon -> a chat request with tools that the
 * trained model answers.
 */
let work: string;
let daemon: TestDaemon;
let events: any[];
let stop: () => Promise<void>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "vt-loop-"));
  ({ daemon, events, stop } = await daemonWithEvents(work));
}, 60_000);

afterAll(async () => {
  await stop?.();
  rmSync(work, { recursive: true, force: true });
});

async function run(body: object): Promise<any> {
  const created = await daemon.call("POST", "/v1/jobs", { body });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const job = await finishedJob(daemon, created.body.id);
  expect(job.state, JSON.stringify(job.error)).toBe("succeeded");
  return job;
}

it("goes from labelled traces to a deployed model that answers a chat request with tools", async () => {
  const traces = ["alpha", "beta"].flatMap((session) =>
    [0, 1, 2].map((step) =>
      makeTrace({ id: `${session}-${step}`, session, recordedAt: `2026-11-27T10:0${step}:00.000Z` }),
    ),
  );
  expect((await daemon.call("POST", "/v1/traces", { body: { traces } })).status).toBe(201);
  for (const [id, label] of [
    ["alpha-0", "desirable"],
    ["alpha-2", "undesirable"],
    ["beta-1", "desirable"],
    ["beta-2", "undesirable"],
  ]) {
    expect((await daemon.call("PUT", `/v1/traces/${id}/label`, { body: { label } })).status).toBe(200);
  }
  const dataset = await daemon.call("POST", "/v1/datasets", {
    body: { name: "mine", sources: { traces: {} }, holdout: 0 },
  });
  expect(dataset.status).toBe(201);
  expect(
    (await daemon.call("POST", "/v1/chat", { body: { messages: [{ role: "user", content: "hi" }] } })).status,
  ).toBe(409);

  const model = await makeTinyModel(join(work, "tiny"));
  const trained = await run({ kind: "train", dataset: "mine", recipe: "tiny", model, maxSteps: 2, device: "cpu" });
  const steps = events.filter(
    (event) => event.jobId === trained.id && event.type === "job.progress" && event.progress.loss !== undefined,
  );
  expect(steps.map((event) => event.progress.step)).toEqual([1, 2]);
  const exported = await run({ kind: "export", run: trained.id, quant: ["q8_0"] });
  const deployed = await run({ kind: "deploy", export: exported.id, target: "embedded", file: "q8_0" });
  expect(deployed.artefacts).toEqual({ gguf: exported.artefacts.q8_0, target: "embedded" });
  expect(existsSync(deployed.artefacts.gguf)).toBe(true);

  const tools = [
    {
      type: "function",
      function: {
        name: "contentManager_readContent",
        description: "Read a note",
        parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
      },
    },
  ];
  const chat = await daemon.call("POST", "/v1/chat", {
    body: {
      messages: [
        { role: "system", content: "Use the vault's tools." },
        { role: "user", content: "Read Notes/a.md" },
      ],
      tools,
      maxTokens: 24,
    },
  });
  expect(chat.status, JSON.stringify(chat.body)).toBe(200);
  expect(chat.body).toMatchObject({ backend: "embedded", gguf: exported.artefacts.q8_0 });
  // A two-step model writes text or a call; either way the deployed model produced the answer.
  expect(chat.body.content.length + chat.body.toolCalls.length).toBeGreaterThan(0);
  for (const call of chat.body.toolCalls) expect(call.name).toBe("contentManager_readContent");

  // Deploying the same export again from the command line: the registry keeps both, the newest serves.
  const again = await runCli([
    "deploy",
    "--export",
    exported.id,
    "--file",
    "f16",
    "--daemon",
    daemon.url,
    "--data-dir",
    daemon.dataDir,
  ]);
  expect(again.code, again.stderr).toBe(0);
  const redeployId = /^queued (job_\S+)$/m.exec(again.stdout)?.[1] as string;
  expect(again.stdout).toContain(`${redeployId} succeeded`);

  const registry = (await daemon.call("GET", "/v1/models")).body;
  expect(registry.serving).toMatchObject({ gguf: exported.artefacts.f16, jobId: redeployId });
  expect(registry.items).toHaveLength(1);
  const entry = registry.items[0];
  expect(entry).toMatchObject({
    id: trained.id,
    recipe: "tiny",
    base: model,
    metrics: { steps: 2 },
    dataset: { name: "mine", card: { name: "mine" } },
  });
  expect(entry.exports[0].files.map((file: any) => file.kind)).toEqual(["f16", "q8_0", "adapter"]);
  expect(entry.exports[0].files[1]).toMatchObject({
    path: exported.artefacts.q8_0,
    sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
  });
  expect(entry.deployments.map((deployment: any) => [deployment.jobId, deployment.current])).toEqual([
    [redeployId, true],
    [deployed.id, false],
  ]);
  expect((await daemon.call("GET", `/v1/models/${trained.id}`)).body.id).toBe(trained.id);

  // Named by base, method, dataset, labelled rows and date, until the user names it.
  const card = (await daemon.call("GET", "/v1/datasets/mine")).body;
  const labels = card.counts.train.desirable + card.counts.train.undesirable - card.counts.train.repeated;
  expect(entry.name).toBe(`tiny · KTO · mine · ${labels} labels · ${trained.finishedAt.slice(0, 10)}`);
  expect(entry.defaultName).toBe(entry.name);
  const where = ["--daemon", daemon.url, "--data-dir", daemon.dataDir];
  const renamed = await runCli(["models", "rename", trained.id, "meeting", "notes", "model", ...where]);
  expect(renamed.code, renamed.stderr).toBe(0);
  expect((await daemon.call("GET", `/v1/models/${trained.id}`)).body).toMatchObject({
    name: "meeting notes model",
    defaultName: entry.name,
  });
  const listed = await runCli(["models", ...where]);
  expect(listed.stdout).toMatch(
    new RegExp(
      `^meeting notes model {2}\\(served now\\)\n {2}id ${trained.id}, export ${exported.id} \\(f16\\*?, q8_0\\*?, adapter\\)`,
      "m",
    ),
  );
  expect((await daemon.call("PUT", `/v1/models/${trained.id}/name`, { body: { name: "two\nlines" } })).status).toBe(
    400,
  );
  expect((await daemon.call("PUT", "/v1/models/job_nope/name", { body: { name: "x" } })).status).toBe(404);
  expect((await daemon.call("GET", "/v1/models/job_nope")).status).toBe(404);
}, 600_000);
