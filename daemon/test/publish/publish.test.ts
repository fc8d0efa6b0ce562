import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { prepareDataDir } from "../../src/config/data-dir";
import { Store } from "../../src/store/store";
import { ensurePythonEnv, PYTHON_DIR } from "../../src/train/python-env";
import { startTestDaemon, type TestDaemon } from "../daemon-harness";
import { storedJob } from "../jobs/fake-job-context";
import { runCli } from "../run-cli";

/**
 * Publishing end to end: a real daemon plans and runs the publish job, whose trainer process uploads
 * through huggingface_hub to the Hub stand-in (python/tests/hub_standin.py) on 127.0.0.1. The model's
 * files are the ones its training and export jobs would leave (an adapter folder, GGUF files of which one
 * is over the stand-in's 1 MiB LFS threshold); their bytes are random, since only their transfer is tested.
 */
const TOKEN = "hf_standin_token";
const STARTER = join(__dirname, "../../../datasets/starter-claudesidian-3");
const HUB_ENV = ["HF_ENDPOINT", "HF_TOKEN", "HF_HOME", "HF_HUB_DISABLE_XET"] as const;

let work: string;
let daemon: TestDaemon;
let hub: ChildProcess;
let endpoint: string;
let model: string;
let untrained: string;
const savedEnv: Record<string, string | undefined> = {};

function writeFile(path: string, content: string | Buffer): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, content);
}

async function hubState(): Promise<Record<string, any>> {
  const reply = await fetch(`${endpoint}/standin/state`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return (await reply.json()) as Record<string, any>;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "vt-publish-"));
  const { python } = await ensurePythonEnv();
  hub = spawn(python, [join(PYTHON_DIR, "tests", "hub_standin.py"), TOKEN], { stdio: ["pipe", "pipe", "inherit"] });
  endpoint = await new Promise<string>((resolve) =>
    createInterface({ input: hub.stdout as NodeJS.ReadableStream }).once("line", resolve),
  );
  for (const name of HUB_ENV) savedEnv[name] = process.env[name];
  Object.assign(process.env, {
    HF_ENDPOINT: endpoint,
    HF_TOKEN: TOKEN,
    HF_HOME: join(work, "hf-home"),
    HF_HUB_DISABLE_XET: "1",
  });

  const dataDir = prepareDataDir(join(work, "data"));
  cpSync(STARTER, join(dataDir.datasets, "starter"), { recursive: true });
  const run = join(work, "run");
  writeFile(join(run, "adapter", "adapter_config.json"), JSON.stringify({ r: 8, peft_type: "LORA" }));
  writeFile(join(run, "adapter", "adapter_model.safetensors"), randomBytes(40_000));
  writeFile(join(run, "training.json"), JSON.stringify({ model: "google/gemma-3-270m-it", steps: 40 }));
  const gguf = join(work, "export");
  const files = [
    { name: "model-f16.gguf", kind: "f16", bytes: 3000 },
    { name: "model-q4_k_m.gguf", kind: "q4_k_m", bytes: 1_500_000 },
    { name: "adapter-f16.gguf", kind: "adapter", bytes: 5000 },
  ];
  const exported = files.map(({ name, kind, bytes }) => {
    const content = randomBytes(bytes);
    writeFile(join(gguf, name), content);
    return { name, kind, bytes, sha256: createHash("sha256").update(content).digest("hex") };
  });
  writeFile(join(gguf, "export.json"), JSON.stringify({ files: exported }));
  const store = Store.open(dataDir.database);
  const train = {
    kind: "train",
    dataset: "starter",
    mode: "kto",
    recipe: "tiny",
    device: "cpu",
    backend: "auto",
  } as const;
  model = storedJob(store.jobs, train, "succeeded", { run }).id;
  storedJob(
    store.jobs,
    { kind: "export", run: model, quant: ["q4_k_m"], dtype: "float16", checkRows: 0 },
    "succeeded",
    {
      gguf,
    },
  );
  untrained = storedJob(store.jobs, train, "succeeded", { run }).id;
  store.close();
  daemon = await startTestDaemon({ dataDir: dataDir.root });
}, 300_000);

afterAll(async () => {
  await daemon?.stop();
  hub?.stdin?.end();
  for (const name of HUB_ENV) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
  rmSync(work, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCli(["publish", "--data-dir", daemon.dataDir, ...args]);

describe("publish", () => {
  it("dry run: lists every file that would leave, writes the card and the list, and sends nothing", async () => {
    const out = join(work, "dry");
    const result = await cli("--model", model, "--repo", "alice/vault-tools", "--dry-run", "--out", out);
    expect(result.code, result.stderr).toBe(0);
    const listed = JSON.parse(readFileSync(join(out, "files.json"), "utf8"));
    expect(listed.files.map((file: { path: string }) => file.path)).toEqual([
      "README.md",
      "adapter_config.json",
      "adapter_model.safetensors",
      "model-q4_k_m.gguf",
      "adapter-f16.gguf",
    ]);
    expect(listed).toMatchObject({ datasetIncluded: false, recordedText: false, private: false });
    expect(result.stderr).toContain("no recorded call text");
    expect(result.stderr).toMatch(/model-q4_k_m\.gguf\s+1\.5 MB\s+q4_k_m/);
    const card = readFileSync(join(out, "README.md"), "utf8");
    expect(parse(card.split("---")[1] ?? "")).toMatchObject({
      base_model: "google/gemma-3-270m-it",
      library_name: "peft",
    });
    expect(await hubState()).toEqual({});
  });

  it("uploads exactly the dry run's files, the card included, in one commit to a private repo", async () => {
    const out = join(work, "dry-private");
    await cli("--model", model, "--repo", "alice/vault-tools", "--private", "--dry-run", "--out", out);
    const planned = JSON.parse(readFileSync(join(out, "files.json"), "utf8")).files as Array<{
      path: string;
      source?: string;
      bytes: number;
    }>;
    const result = await cli("--model", model, "--repo", "alice/vault-tools", "--private");
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/succeeded/);
    expect(result.stdout).toContain(`${endpoint}/alice/vault-tools`);
    const repo = (await hubState())["alice/vault-tools"];
    expect(repo.private).toBe(true);
    expect(repo.commits).toHaveLength(1);
    expect(Object.keys(repo.files).sort()).toEqual(planned.map((file) => file.path).sort());
    for (const file of planned) {
      const content = file.source ? readFileSync(file.source) : readFileSync(join(out, "README.md"));
      expect(repo.files[file.path], file.path).toEqual({
        bytes: file.bytes,
        sha256: createHash("sha256").update(content).digest("hex"),
      });
    }
  }, 120_000);

  it("sends the dataset only when asked, and says whether recorded call text goes with it", async () => {
    const reply = await daemon.call("POST", `/v1/models/${model}/publish-plan`, {
      body: { repo: "alice/vault-tools", what: ["adapter"], dataset: true },
    });
    expect(reply.status).toBe(200);
    const paths = reply.body.files.map((file: { path: string }) => file.path);
    expect(paths).toContain("dataset/card.json");
    expect(paths.some((path: string) => path.endsWith(".gguf"))).toBe(false);
    // The starter dataset is built from seed files only: no recorded call of the user's.
    expect(reply.body).toMatchObject({ datasetIncluded: true, recordedText: false });
    expect(reply.body.card).toContain("published with the model, in `dataset/`");
  });

  it("refuses, saying why, a part that does not exist yet, a bad repo name and an unknown model", async () => {
    const noExport = await daemon.call("POST", `/v1/models/${untrained}/publish-plan`, {
      body: { repo: "alice/x", what: ["gguf"] },
    });
    expect(noExport.status).toBe(400);
    expect(noExport.body.error.message).toContain("has no export yet");
    const badRepo = await cli("--model", model, "--repo", "no-owner", "--dry-run");
    expect(badRepo.code).not.toBe(0);
    expect(badRepo.stderr).toContain("OWNER/NAME");
    const unknown = await daemon.call("POST", "/v1/models/job_nothing/publish-plan", { body: { repo: "alice/x" } });
    expect(unknown.status).toBe(404);
    const badPart = await cli("--model", model, "--repo", "alice/x", "--what", "weights", "--dry-run");
    expect(badPart.stderr).toContain("--what takes adapter, merged, gguf");
  });
});
