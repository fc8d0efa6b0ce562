import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { listOllamaModels, ollamaModelGguf } from "../../src/bases/ollama-models";
import { runCli } from "../run-cli";

/** Ollama's store as it documents it: manifests/<registry>/<namespace>/<model>/<tag> naming blobs/sha256-<hex>. */
const root = mkdtempSync(join(tmpdir(), "vt-ollama-store-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function model(registry: string, namespace: string, name: string, tag: string, digest: string, withBlob = true): void {
  const folder = join(root, "manifests", registry, namespace, name);
  mkdirSync(folder, { recursive: true });
  const layers = [
    { mediaType: "application/vnd.ollama.image.template", digest: "sha256:aaaa", size: 10 },
    { mediaType: "application/vnd.ollama.image.model", digest: `sha256:${digest}`, size: 4 },
  ];
  writeFileSync(join(folder, tag), JSON.stringify({ schemaVersion: 2, config: { digest: "sha256:cccc" }, layers }));
  mkdirSync(join(root, "blobs"), { recursive: true });
  if (withBlob) writeFileSync(join(root, "blobs", `sha256-${digest}`), "GGUF");
}
model("registry.ollama.ai", "library", "gemma3", "270m", "1111");
model("registry.ollama.ai", "someone", "vault-tools", "kto-1", "2222");
model("registry.ollama.ai", "library", "half-pulled", "latest", "3333", false);
writeFileSync(join(root, "manifests", "registry.ollama.ai", "library", "gemma3", "broken"), "{not json");

it("lists the models whose weights are on disk, named as Ollama names them", () => {
  expect(listOllamaModels(root)).toEqual([
    { name: "gemma3:270m", gguf: join(root, "blobs", "sha256-1111"), bytes: 4 },
    { name: "someone/vault-tools:kto-1", gguf: join(root, "blobs", "sha256-2222"), bytes: 4 },
  ]);
  expect(listOllamaModels(join(root, "nowhere"))).toEqual([]);
});

it("finds one model's GGUF by name, and says what is there when it is not", () => {
  expect(ollamaModelGguf("gemma3:270m", root)).toBe(join(root, "blobs", "sha256-1111"));
  expect(() => ollamaModelGguf("llama3", root)).toThrow(
    /no Ollama model llama3:latest .*it has gemma3:270m, someone\/vault-tools:kto-1/,
  );
});

it("base import refuses a missing file or an unknown Ollama model, and asks for one source", async () => {
  const data = join(root, "data");
  expect(await runCli(["base", "import", "--data-dir", data])).toMatchObject({
    code: 2,
    stderr: expect.stringContaining("give --gguf FILE or --ollama NAME[:TAG]"),
  });
  const missing = await runCli(["base", "import", "--gguf", join(root, "missing.gguf"), "--data-dir", data]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain("no GGUF file at");
  process.env.OLLAMA_MODELS = root;
  try {
    expect(await runCli(["base", "import", "--ollama", "llama3", "--data-dir", data])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("no Ollama model llama3:latest"),
    });
  } finally {
    delete process.env.OLLAMA_MODELS;
  }
}, 120_000);
