import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EvalJobRequestSchema } from "@vault-tuner/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmbeddedServing } from "../../src/deploy/embedded-serving";
import { evalJob } from "../../src/evals/eval-job-kind";
import { loadPromptSet } from "../../src/evals/prompt-sets";
import { caseLookup, referenceAnswer } from "../../src/evals/backends/reference-backend";
import { fakeJobContext } from "../jobs/fake-job-context";
import { startScriptedServer } from "./scripted-openai";

let work: string;
let server: Awaited<ReturnType<typeof startScriptedServer>>;
const cases = ["contentManager_readContent", "contentManager_createContent", "contentManager_appendContent"];
const lookup = caseLookup(loadPromptSet("full-coverage"));
const nothingDeployed = { deployment: undefined } as unknown as EmbeddedServing;
const job = (serving = nothingDeployed) => evalJob({ dataRoot: work, serving, trainingOf: () => undefined });
const request = (fields: Record<string, unknown>) =>
  EvalJobRequestSchema.parse({ kind: "eval", set: "full-coverage", backend: "openai", model: "scripted", ...fields });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "vt-eval-job-"));
  // "good" answers every case as the reference does; "mute" never calls a tool.
  server = await startScriptedServer((scripted) => {
    const found = lookup(scripted.messages as any);
    if (!found || scripted.model === "mute") return { content: "Done." };
    const answer = referenceAnswer(found.evalCase, found.turn);
    return {
      content: answer.content,
      ...((answer.toolCalls as unknown[]).length ? { tool_calls: answer.toolCalls as unknown[] } : {}),
    };
  });
});

afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

describe("the evaluation stage's job", () => {
  it("checks the set, its cases and the model before queueing; a pipeline's planned step only the set", () => {
    expect(() => job().prepare(request({ set: "no-such-set" }), { planned: false })).toThrow(
      expect.objectContaining({ path: "set" }),
    );
    expect(() => job().prepare(request({ cases: ["no-such-case"] }), { planned: false })).toThrow(
      expect.objectContaining({ path: "set", message: expect.stringContaining("no-such-case") }),
    );
    expect(() => job().prepare(request({}), { planned: false })).toThrow(expect.objectContaining({ path: "url" }));
    expect(() => job().prepare(request({ backend: "embedded", model: "deployed" }), { planned: false })).toThrow(
      expect.objectContaining({ path: "model", message: expect.stringContaining("no model is deployed") }),
    );
    expect(() =>
      job().prepare(request({ backend: "embedded", model: join(work, "absent.gguf") }), { planned: false }),
    ).toThrow(expect.objectContaining({ path: "model" }));
    // The file a pipeline evaluates does not exist before its export step.
    expect(job().prepare({ ...request({ backend: "embedded" }), model: "" }, { planned: true })).toMatchObject({
      set: "full-coverage",
    });
  });

  it("reports each finished case as done of total, and leaves its report", async () => {
    const { context, progress, logs } = fakeJobContext(work, "job_e1");
    const artefacts = await job().run(request({ url: server.url, model: "good", cases, concurrency: 1 }), context);
    expect(progress.map(({ step, total }) => `${step}/${total}`)).toEqual(["1/3", "2/3", "3/3"]);
    expect(progress.at(-1)?.stage).toBe("3 passed, 0 failed");
    expect(artefacts.passRate).toBe("1");
    expect(JSON.parse(readFileSync(artefacts.report as string, "utf8")).metadata.id).toBe("job_e1");
    expect(logs.at(-1)).toMatch(/^3\/3 passed: 100\.0%/);
  });

  it("fails a model under its gate with the gate's reason, keeping the report", async () => {
    const { context } = fakeJobContext(work, "job_e2");
    const error = await job()
      .run(request({ url: server.url, model: "mute", cases, gate: { failUnder: 0.5 } }), context)
      .catch((thrown: unknown) => thrown);
    const failure = job().failure(error);
    expect(failure).toMatchObject({
      error: {
        code: "gate-failed",
        message: expect.stringContaining("under the required 50.0%"),
        hint: "open the report to see which cases failed",
      },
    });
    expect(existsSync(failure?.artefacts?.report as string)).toBe(true);
    expect(job().failure(new Error("other"))).toBeUndefined();
  });
});
