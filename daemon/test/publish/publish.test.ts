import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startTestDaemon, type TestDaemon } from "../daemon-harness";
import { runCli } from "../run-cli";
import { HUB_TOKEN, type HubStandin, seedPublishableModels, startHubStandin } from "./publish-fixture";

/**
 * Publishing end to end: a real daemon plans and runs the publish job, whose trainer process uploads
 * through huggingface_hub to the Hub stand-in on 127.0.0.1 (publish-fixture.ts).
 */
let work: string;
let daemon: TestDaemon;
let hub: HubStandin;
let model: string;
let untrained: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "vt-publish-"));
  hub = await startHubStandin(work);
  ({ model, unexported: untrained } = seedPublishableModels(join(work, "data")));
  daemon = await startTestDaemon({ dataDir: join(work, "data") });
}, 300_000);

afterAll(async () => {
  await daemon?.stop();
  hub?.stop();
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
    expect(await hub.state()).toEqual({});
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
    expect(result.stdout).toContain(`${hub.endpoint}/alice/vault-tools`);
    const repo = (await hub.state())["alice/vault-tools"];
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
    // The token reached the Hub from the daemon's environment and was written nowhere on the way.
    const written = readdirSync(daemon.dataDir, { recursive: true, encoding: "utf8" })
      .map((entry) => join(daemon.dataDir, entry))
      .filter((path) => statSync(path).isFile() && readFileSync(path).includes(HUB_TOKEN));
    expect(written).toEqual([]);
    expect(result.stdout + result.stderr).not.toContain(HUB_TOKEN);
    // The upload's progress, file by file, as the terminal shows it.
    expect(result.stdout + result.stderr).toMatch(/upload model-q4_k_m\.gguf/);
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
