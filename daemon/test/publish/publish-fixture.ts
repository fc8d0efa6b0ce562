import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { prepareDataDir } from "../../src/config/data-dir";
import { Store } from "../../src/store/store";
import { ensurePythonEnv, PYTHON_DIR } from "../../src/train/python-env";
import { storedJob } from "../jobs/fake-job-context";

export const HUB_TOKEN = "hf_standin_token";
const STARTER = join(__dirname, "../../../datasets/starter-claudesidian-3");
const HUB_ENV = ["HF_ENDPOINT", "HF_TOKEN", "HF_HOME", "HF_HUB_DISABLE_XET"] as const;

export interface HubStandin {
  endpoint: string;
  /** What the repos hold: per repo, private, commits and files (bytes and sha256 by path). */
  state(): Promise<Record<string, any>>;
  /** Stops it and gives this process its Hub settings back. */
  stop(): void;
}

/**
 * The Hub stand-in (python/tests/hub_standin.py) on 127.0.0.1, and this process's environment pointed at it
 * as a user's would be at the Hub: HF_ENDPOINT, HF_TOKEN, an HF_HOME of its own, Git LFS rather than Xet.
 * An in-process daemon's trainer processes inherit it.
 */
export async function startHubStandin(home: string): Promise<HubStandin> {
  const { python } = await ensurePythonEnv();
  const hub: ChildProcess = spawn(python, [join(PYTHON_DIR, "tests", "hub_standin.py"), HUB_TOKEN], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    createInterface({ input: hub.stdout as NodeJS.ReadableStream }).once("line", resolve);
    hub.once("exit", (code) => reject(new Error(`the Hub stand-in exited (${code}) before printing its address`)));
  });
  const saved = Object.fromEntries(HUB_ENV.map((name) => [name, process.env[name]]));
  Object.assign(process.env, {
    HF_ENDPOINT: endpoint,
    HF_TOKEN: HUB_TOKEN,
    HF_HOME: join(home, "hf-home"),
    HF_HUB_DISABLE_XET: "1",
  });
  return {
    endpoint,
    async state() {
      const reply = await fetch(`${endpoint}/standin/state`, { headers: { authorization: `Bearer ${HUB_TOKEN}` } });
      return (await reply.json()) as Record<string, any>;
    },
    stop() {
      hub.stdin?.end();
      for (const name of HUB_ENV) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    },
  };
}

function writeFile(path: string, content: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/**
 * A data dir holding what training and export jobs leave for one model (the starter dataset, an adapter
 * folder, GGUF files of which one is over the stand-in's 1 MiB LFS threshold, export.json), and a second
 * model that was never exported. The files' bytes are random: publishing only moves them.
 */
export function seedPublishableModels(root: string): { model: string; unexported: string } {
  const dataDir = prepareDataDir(root);
  cpSync(STARTER, join(dataDir.datasets, "starter"), { recursive: true });
  const run = join(root, "runs", "run-1");
  writeFile(join(run, "adapter", "adapter_config.json"), JSON.stringify({ r: 8, peft_type: "LORA" }));
  writeFile(join(run, "adapter", "adapter_model.safetensors"), randomBytes(40_000));
  writeFile(join(run, "training.json"), JSON.stringify({ model: "google/gemma-3-270m-it", steps: 40 }));
  const gguf = join(root, "exports", "export-1");
  const files = [
    { name: "model-f16.gguf", kind: "f16", bytes: 3000 },
    { name: "model-q4_k_m.gguf", kind: "q4_k_m", bytes: 1_500_000 },
    { name: "adapter-f16.gguf", kind: "adapter", bytes: 5000 },
  ].map(({ name, kind, bytes }) => {
    const content = randomBytes(bytes);
    writeFile(join(gguf, name), content);
    return { name, kind, bytes, sha256: createHash("sha256").update(content).digest("hex") };
  });
  writeFile(join(gguf, "export.json"), JSON.stringify({ files }));
  const store = Store.open(dataDir.database);
  const train = {
    kind: "train",
    dataset: "starter",
    mode: "kto",
    recipe: "tiny",
    device: "cpu",
    backend: "auto",
  } as const;
  const model = storedJob(store.jobs, train, "succeeded", { run }).id;
  const exportRequest = {
    kind: "export" as const,
    run: model,
    quant: ["q4_k_m" as const],
    dtype: "float16" as const,
    checkRows: 0,
  };
  storedJob(store.jobs, exportRequest, "succeeded", { gguf });
  const unexported = storedJob(store.jobs, train, "succeeded", { run }).id;
  store.close();
  return { model, unexported };
}
