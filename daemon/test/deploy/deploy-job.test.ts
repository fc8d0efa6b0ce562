import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeployJobRequestSchema } from "@vault-tuner/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployJob } from "../../src/deploy/deploy-job";
import type { EmbeddedServing } from "../../src/deploy/embedded-serving";
import { JobRequestError } from "../../src/jobs/job-kind";
import { Store } from "../../src/store/store";
import { fakeJobContext, storedJob } from "../jobs/fake-job-context";
import { startFakeOllama, type FakeOllama } from "./fake-ollama";
import { writeMetadataGguf } from "./gguf-file";

let work: string;
let store: Store;
let ollama: FakeOllama;
let exportId: string;
const loaded: string[] = [];
// Loading into the daemon is node-llama-cpp's work, tested with real files elsewhere; here it records the call.
const serving = {
  load: async (gguf: string, jobId: string, at: string) => (loaded.push(gguf), { gguf, jobId, loadedAt: at }),
} as unknown as EmbeddedServing;
const job = () => deployJob({ jobs: store.jobs, serving, ollamaHost: "", now: () => "2026-12-01T00:00:00Z" });
const request = (fields: Record<string, unknown>) =>
  DeployJobRequestSchema.parse({ kind: "deploy", export: exportId, ...fields });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "vt-deploy-job-"));
  store = Store.open(join(work, "db.sqlite"));
  ollama = await startFakeOllama();
  // An export folder as an export job leaves it: the files, export.json with their digests, and the check's verdicts.
  const folder = join(work, "gguf");
  mkdirSync(folder);
  const files = ["f16", "q8_0", "q4_k_m"].map((kind) => {
    const name = `model-${kind}.gguf`;
    writeMetadataGguf(join(folder, name), {
      "general.architecture": "llama",
      "tokenizer.chat_template":
        "{% if tools %}{{ tools }}{% endif %}{% for m in messages %}{{ m['content'] }}{% endfor %}",
    });
    return {
      name,
      kind,
      bytes: 1,
      sha256: createHash("sha256")
        .update(readFileSync(join(folder, name)))
        .digest("hex"),
    };
  });
  writeFileSync(join(folder, "export.json"), JSON.stringify({ files }));
  const verdict = (kind: string, agreement: number, verdict: string) => ({
    kind,
    file: join(folder, `model-${kind}.gguf`),
    bytes: 1,
    agreement,
    same_calls: agreement,
    verdict,
  });
  writeFileSync(
    join(folder, "quant-check.json"),
    JSON.stringify({
      rows: 8,
      reference: join(folder, "model-f16.gguf"),
      recommended: "q8_0",
      files: [verdict("q8_0", 0.97, "kept"), verdict("q4_k_m", 0.2, "erased")],
    }),
  );
  const exported = storedJob(
    store.jobs,
    { kind: "export", run: "job_t", quant: ["q8_0", "q4_k_m"], dtype: "float16", checkRows: 8 },
    "succeeded",
    {
      gguf: folder,
      ...Object.fromEntries(files.map((file) => [file.kind, join(folder, file.name)])),
    },
  );
  exportId = exported.id;
});

afterAll(async () => {
  await ollama.close();
  store.close();
  rmSync(work, { recursive: true, force: true });
});

describe("the deploy stage's job", () => {
  it("resolves the file to the quantization check's recommendation and records it", () => {
    expect(job().prepare(request({}), { planned: false }).file).toBe("q8_0");
    expect(job().prepare(request({ file: "f16" }), { planned: false }).file).toBe("f16");
  });

  it("refuses a file the check found erased unless forced, a file the export did not write, and an unfinished export", () => {
    expect(() => job().prepare(request({ file: "q4_k_m" }), { planned: false })).toThrow(
      /erased the fine-tune \(agreement with the 16-bit file 20\.0%.*deploy q8_0 \(its recommendation\), or give force: true/,
    );
    expect(job().prepare(request({ file: "q4_k_m", force: true }), { planned: false }).file).toBe("q4_k_m");
    const missing = (() => {
      try {
        job().prepare(request({ file: "q5_k_m" }), { planned: false });
      } catch (error) {
        return error;
      }
    })();
    expect(missing).toBeInstanceOf(JobRequestError);
    expect(missing).toMatchObject({
      path: "file",
      message: expect.stringContaining("wrote no q5_k_m file (it has f16, q8_0, q4_k_m)"),
    });
    const running = storedJob(
      store.jobs,
      { kind: "export", run: "job_t", quant: ["q8_0"], dtype: "float16", checkRows: 8 },
      "running",
    );
    expect(() => job().prepare(request({ export: running.id }), { planned: false })).toThrow(
      `export job ${running.id} is running; deploy needs a succeeded one`,
    );
    // A pipeline's deploy step is checked when its export exists.
    expect(job().prepare(request({ export: "job_later" }), { planned: true })).toMatchObject({ export: "job_later" });
  });

  it("loads the file into the daemon, saying so as its one stage", async () => {
    const { context, logs, progress } = fakeJobContext(work, "job_d1");
    const artefacts = await job().run(job().prepare(request({}), { planned: false }), context);
    expect(artefacts).toEqual({ gguf: join(work, "gguf", "model-q8_0.gguf"), target: "embedded" });
    expect(loaded).toEqual([artefacts.gguf]);
    expect(progress).toEqual([{ stage: "load model-q8_0.gguf into the daemon", step: 0, total: 1 }]);
    expect(logs).toContain(`serving ${artefacts.gguf}`);
  });

  it("creates the model in Ollama from the export's digest, and maps Ollama's refusals to the job's failure", async () => {
    const { context } = fakeJobContext(work, "job_d2");
    const artefacts = await job().run(
      job().prepare(request({ target: "ollama", host: ollama.host, model: "vault-tools:mine" }), { planned: false }),
      context,
    );
    expect(artefacts).toMatchObject({
      target: "ollama",
      model: "vault-tools:mine",
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    expect(ollama.models.has("vault-tools:mine")).toBe(true);
    const unreachable = await job()
      .run(
        job().prepare(request({ target: "ollama", host: "http://127.0.0.1:9" }), { planned: false }),
        fakeJobContext(work, "job_d3").context,
      )
      .catch((error: unknown) => error);
    expect(job().failure(unreachable)).toMatchObject({
      error: { code: "ollama-unreachable", hint: expect.any(String) },
    });
    expect(job().failure(new Error("other"))).toBeUndefined();
  });
});
