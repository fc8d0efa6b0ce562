import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDaemon } from "../daemon-harness";
import { runCli } from "../run-cli";
import {
  daemonWithEvents,
  finishedJob,
  isAlive,
  makeTinyModel,
  placeStarterDataset,
  trainerPid,
  waitFor,
} from "./job-fixtures";

/** Jobs over a real daemon: each one runs the real trainer on a tiny model made by the test. */
let work: string;
let model: string;
let daemon: TestDaemon;
let events: any[];
let stop: () => Promise<void>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "vt-jobs-"));
  model = await makeTinyModel(join(work, "tiny"));
  ({ daemon, events, stop } = await daemonWithEvents(work));
  placeStarterDataset(daemon.dataDir, "starter");
}, 300_000);

afterAll(async () => {
  await stop?.();
  rmSync(work, { recursive: true, force: true });
});

const finished = (id: string) => finishedJob(daemon, id);

async function log(id: string): Promise<string> {
  const response = await fetch(`${daemon.url}/v1/jobs/${id}/log`, {
    headers: { authorization: `Bearer ${daemon.token}` },
  });
  return response.text();
}

describe("jobs", () => {
  it("refuses a training job for a dataset the daemon does not have, naming the field", async () => {
    const reply = await daemon.call("POST", "/v1/jobs", { body: { kind: "train", dataset: "nope", recipe: "tiny" } });
    expect(reply.status).toBe(400);
    expect(reply.body.error.issues).toEqual([
      { path: "dataset", message: expect.stringContaining('no dataset "nope"') },
    ]);
    expect((await daemon.call("GET", "/v1/jobs")).body.items).toEqual([]);
  });

  it("refuses a training job when neither the request nor its recipe names a model, before building anything", async () => {
    const reply = await daemon.call("POST", "/v1/jobs", {
      body: { kind: "train", dataset: "starter", recipe: "tiny", device: "cpu" },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.issues).toEqual([
      {
        path: "model",
        message: expect.stringContaining(
          "recipe tiny names no model, so give one: the name of an imported base (`vault-tuner base gemma`",
        ),
      },
    ]);
    const piped = await daemon.call("POST", "/v1/jobs", {
      body: { kind: "pipeline", dataset: "starter", train: { recipe: "small", device: "cpu" } },
    });
    expect(piped.status).toBe(400);
    expect(piped.body.error.issues[0]).toMatchObject({
      path: "train.model",
      message: expect.stringContaining("recipe small names no model"),
    });
    // A pipeline's own dataset is its field, and a pipeline can build one instead.
    const unbuilt = await daemon.call("POST", "/v1/jobs", {
      body: { kind: "pipeline", dataset: "absent", train: { recipe: "tiny", model: "/m", device: "cpu" } },
    });
    expect(unbuilt.body.error.issues[0]).toMatchObject({
      path: "dataset",
      message: expect.stringMatching(/^no dataset "absent" .*, or give the pipeline a build step$/),
    });
    expect((await daemon.call("GET", "/v1/jobs")).body.items).toEqual([]);
  });

  it("refuses an export of a run that is not a succeeded training job, and answers 404 for unknown jobs", async () => {
    const reply = await daemon.call("POST", "/v1/jobs", { body: { kind: "export", run: "job_missing" } });
    expect(reply.status).toBe(400);
    expect(reply.body.error.issues[0].path).toBe("run");
    expect((await daemon.call("GET", "/v1/jobs/job_missing")).status).toBe(404);
    expect((await daemon.call("POST", "/v1/jobs/job_missing/cancel")).status).toBe(404);
  });

  let trained: any;
  it("trains: queued -> running -> succeeded, with live step events, the adapter and the whole log", async () => {
    const created = await daemon.call("POST", "/v1/jobs", {
      body: { kind: "train", dataset: "starter", recipe: "tiny", model, maxSteps: 3, device: "cpu" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: "train",
      state: expect.stringMatching(/queued|running/),
      attempts: expect.any(Number),
    });
    trained = await finished(created.body.id);
    expect(trained.state, JSON.stringify(trained.error)).toBe("succeeded");
    expect(trained.progress).toMatchObject({ step: 3, total: 3 });
    expect(existsSync(join(trained.artefacts.adapter, "adapter_model.safetensors"))).toBe(true);
    const mine = events.filter((event) => event.jobId === created.body.id);
    expect(mine.filter((event) => event.type === "job.state").map((event) => event.state)).toEqual([
      "queued",
      "running",
      "succeeded",
    ]);
    expect(
      mine
        .filter((event) => event.type === "job.progress" && event.progress.loss !== undefined)
        .map((event) => event.progress.step),
    ).toEqual([1, 2, 3]);
    const text = await log(created.body.id);
    expect(text).toMatch(/^--- trainer pid \d+: python -m vault_tuner_train kto --config tiny/m);
    expect(text).toMatch(/^\[event\] {"time":[\d.]+,"event":"done"/m);
    expect(trained.logTail.length).toBeGreaterThan(0);
    expect((await daemon.call("POST", `/v1/jobs/${created.body.id}/cancel`)).status).toBe(409);
  }, 300_000);

  let exported: any;
  it("exports a succeeded training job to GGUF files, then checks that the quantized file kept the training", async () => {
    const created = await daemon.call("POST", "/v1/jobs", {
      body: { kind: "export", run: trained.id, quant: ["q8_0"], checkRows: 3 },
    });
    expect(created.status).toBe(201);
    exported = await finished(created.body.id);
    expect(exported.state, JSON.stringify(exported.error)).toBe("succeeded");
    expect(Object.keys(exported.artefacts).sort()).toEqual(["adapter", "f16", "gguf", "q8_0", "quantCheck"]);
    expect(existsSync(exported.artefacts.q8_0)).toBe(true);
    const stages = events
      .filter(
        (event) =>
          event.jobId === created.body.id && event.type === "job.progress" && event.progress.stage !== undefined,
      )
      .map((event) => [event.progress.stage, event.progress.step, event.progress.total]);
    // The trainer's done event finishes its last stage ("check" 5/5), so that stage is said twice.
    expect([...new Set(stages.map(([stage]) => stage))]).toEqual([
      "merge",
      "convert",
      "quantize q8_0",
      "adapter",
      "check",
      "quantization check: model-f16.gguf",
      "quantization check: model-q8_0.gguf",
    ]);
    // Each stage says how many of the files were checked before it.
    expect(stages.slice(-2).map(([, done, total]) => `${done}/${total}`)).toEqual(["0/2", "1/2"]);

    // Greedy answers of both files on three held-out rows of the dataset the run trained on.
    const check = JSON.parse(readFileSync(exported.artefacts.quantCheck, "utf8"));
    expect(check).toMatchObject({
      rows: 3,
      reference: exported.artefacts.f16,
      files: [
        { kind: "q8_0", file: exported.artefacts.q8_0, verdict: expect.stringMatching(/^(kept|drifted|erased)$/) },
      ],
    });
    expect(check.recommended).toBe(check.files[0].verdict === "kept" ? "q8_0" : "f16");
    expect(JSON.parse(readFileSync(join(exported.artefacts.gguf, "export.json"), "utf8")).recommended).toBe(
      check.recommended,
    );
    expect(await log(created.body.id)).toMatch(
      /^quantization check: greedy answers on 3 held-out prompts against the 16-bit file$/m,
    );
    const [model] = (await daemon.call("GET", "/v1/models")).body.items;
    expect(model.exports[0]).toMatchObject({
      jobId: exported.id,
      recommended: check.recommended,
      files: expect.arrayContaining([
        expect.objectContaining({ kind: "q8_0", check: expect.objectContaining({ verdict: check.files[0].verdict }) }),
      ]),
    });
  }, 300_000);

  it("deploys what the check recommended unless told otherwise, and refuses a file the check found erased", async () => {
    // The check's record as it reads after a quantization that lost the fine-tune (the verdict itself is
    // proven on real answers in quant-verdict.test.ts; a tiny random model's Q8_0 does not lose it).
    const file = exported.artefacts.quantCheck;
    const check = JSON.parse(readFileSync(file, "utf8"));
    writeFileSync(
      file,
      JSON.stringify({
        ...check,
        files: [{ ...check.files[0], agreement: 0.04, same_calls: 0.125, verdict: "erased" }],
        recommended: "f16",
      }),
    );
    const refused = await daemon.call("POST", "/v1/jobs", {
      body: { kind: "deploy", export: exported.id, file: "q8_0" },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues).toEqual([
      {
        path: "file",
        message: expect.stringContaining(
          "quantization check found that q8_0 erased the fine-tune (agreement with the 16-bit file 4.0%, the same calls on 12.5% of held-out prompts): deploy f16",
        ),
      },
    ]);
    const chosen = await daemon.call("POST", "/v1/jobs", { body: { kind: "deploy", export: exported.id } });
    expect(chosen.status, JSON.stringify(chosen.body)).toBe(201);
    expect(chosen.body.request).toMatchObject({ file: "f16", force: false });
    expect(await finished(chosen.body.id)).toMatchObject({
      state: "succeeded",
      artefacts: { gguf: exported.artefacts.f16 },
    });
    const forced = await daemon.call("POST", "/v1/jobs", {
      body: { kind: "deploy", export: exported.id, file: "q8_0", force: true },
    });
    expect(forced.status).toBe(201);
    expect(await finished(forced.body.id)).toMatchObject({
      state: "succeeded",
      artefacts: { gguf: exported.artefacts.q8_0 },
    });
  }, 300_000);

  it("trains a base imported into the data dir when the request names it", async () => {
    // An imported base is a model folder with base-import's manifest (its import is tested in free-running.test.ts).
    const folder = join(daemon.dataDir, "bases", "tiny-base");
    cpSync(model, folder, { recursive: true });
    writeFileSync(join(folder, "vault-tuner-base.json"), JSON.stringify({ name: "tiny-base" }));
    const created = await daemon.call("POST", "/v1/jobs", {
      body: { kind: "train", dataset: "starter", recipe: "tiny", model: "tiny-base", maxSteps: 1, device: "cpu" },
    });
    expect(created.status).toBe(201);
    expect(created.body.request.model).toBe(folder);
    const trained = await finished(created.body.id);
    expect(trained.state, JSON.stringify(trained.error)).toBe("succeeded");
    expect(JSON.parse(readFileSync(join(trained.artefacts.run, "training.json"), "utf8")).model).toBe(folder);
  }, 300_000);

  it("cancels a running training job within the grace period and leaves no trainer process", async () => {
    const created = await daemon.call("POST", "/v1/jobs", {
      body: { kind: "train", dataset: "starter", recipe: "tiny", model, maxSteps: 400, device: "cpu" },
    });
    const id = created.body.id;
    await waitFor("the first step", () =>
      events.find((event) => event.jobId === id && event.type === "job.progress" && event.progress.loss !== undefined),
    );
    const pid = trainerPid(await log(id));
    expect(isAlive(pid)).toBe(true);
    const asked = Date.now();
    expect((await daemon.call("POST", `/v1/jobs/${id}/cancel`)).status).toBe(200);
    const cancelled = await finished(id);
    expect(cancelled.state).toBe("cancelled");
    expect(Date.now() - asked).toBeLessThan(10_000 + 2_000);
    expect(isAlive(pid)).toBe(false);
    expect(cancelled.progress.step).toBeLessThan(400);
  }, 300_000);

  it("vault-tuner train queues a job in the daemon and follows it to the end; jobs lists, refuses and explains", async () => {
    const where = ["--daemon", daemon.url, "--data-dir", daemon.dataDir];
    const trained = await runCli([
      "train",
      "--dataset",
      "starter",
      "--recipe",
      "tiny",
      "--model",
      model,
      "--max-steps",
      "2",
      "--device",
      "cpu",
      ...where,
    ]);
    expect(trained.code, trained.stderr).toBe(0);
    const id = /^queued (job_\S+)$/m.exec(trained.stdout)?.[1] as string;
    expect(trained.stdout).toContain(`${id} succeeded`);
    expect(trained.stdout).toMatch(/^ {2}adapter +\/.*\/adapter$/m);
    expect(trained.stderr).toMatch(/^step 1\/2, loss \d\.\d{3}/m);
    expect(trained.stderr).toMatch(/^step 2\/2, loss \d\.\d{3}$/m);
    expect(trained.stdout).toContain(`next: npx vault-tuner export --job ${id}\n`);

    // The next command exports in the daemon, and says how to deploy what it wrote.
    const exported = await runCli(["export", "--job", id, "--quant", "q8_0", "--check-rows", "2", ...where]);
    expect(exported.code, exported.stderr).toBe(0);
    const exportId = /^queued (job_\S+)$/m.exec(exported.stdout)?.[1] as string;
    expect(exported.stdout).toContain(`${exportId} succeeded`);
    expect(exported.stdout).toMatch(/^ {2}q8_0 +\/.*\/model-q8_0\.gguf$/m);
    expect(exported.stderr).toMatch(/^quantization check: model-q8_0\.gguf \(1\/2\)$/m);
    expect(exported.stdout).toContain(`next: npx vault-tuner deploy --export ${exportId}\n`);

    const listed = await runCli(["jobs", "list", ...where]);
    expect(listed.stdout).toMatch(new RegExp(`^${id} {2}train +succeeded +step 2/2`, "m"));
    // The daemon listens on a port of its own choosing; the data dir says which.
    const found = await runCli(["jobs", "list", "--data-dir", daemon.dataDir]);
    expect(found.code, found.stderr).toBe(0);
    expect(found.stdout).toBe(listed.stdout);
    const refused = await runCli(["jobs", "cancel", id, ...where]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`job ${id} is succeeded; only queued or running jobs can be cancelled`);
    const missing = await runCli(["train", "--dataset", "nope", "--recipe", "tiny", ...where]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no dataset "nope"');
    const away = await runCli(["jobs", "list", "--daemon", "http://127.0.0.1:9", "--data-dir", daemon.dataDir]);
    expect(away.code).toBe(2);
    expect(away.stderr).toContain("the daemon does not answer at http://127.0.0.1:9");
  }, 300_000);
});
