import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployToOllama, OllamaDeployError } from "../../src/deploy/ollama-deploy";
import { chatWithTools } from "../../src/inference/ollama-chat";
import { startFakeOllama, type FakeOllama } from "./fake-ollama";
import { writeMetadataGguf } from "./gguf-file";

const TOOL_TEMPLATE =
  "{% if tools %}<|im_start|>system\nTools: {% for t in tools %}{{ t['function']['name'] }} {% endfor %}<|im_end|>\n{% endif %}{% for m in messages %}{{ m['content'] }}{% endfor %}";

let dir: string;
let ollama: FakeOllama;
let withTools: { path: string; sha256: string };
let withoutTools: { path: string; sha256: string };

function gguf(name: string, template: string): { path: string; sha256: string } {
  const path = join(dir, name);
  writeMetadataGguf(path, { "general.architecture": "llama", "tokenizer.chat_template": template });
  return { path, sha256: createHash("sha256").update(readFileSync(path)).digest("hex") };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "vt-ollama-"));
  ollama = await startFakeOllama();
  withTools = gguf("tools.gguf", TOOL_TEMPLATE);
  withoutTools = gguf("plain.gguf", "{% for m in messages %}{{ m['content'] }}{% endfor %}");
});

afterAll(async () => {
  await ollama.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("deploying to Ollama (against a local server speaking its documented API)", () => {
  it("uploads the blob once, creates the model from the file alone, checks tool support and loads it", async () => {
    const progress: string[] = [];
    const deployed = await deployToOllama(
      { model: "vault-tools:kto-1", gguf: withTools.path, sha256: withTools.sha256 },
      { host: ollama.host, onProgress: (line) => progress.push(line) },
    );
    expect(deployed).toMatchObject({
      model: "vault-tools:kto-1",
      uploaded: true,
      digest: `sha256:${withTools.sha256}`,
      capabilities: ["completion", "tools"],
    });
    expect(ollama.blobs.get(`sha256:${withTools.sha256}`)?.equals(readFileSync(withTools.path))).toBe(true);
    expect(progress).toEqual(
      expect.arrayContaining([
        "ollama: parsing GGUF",
        "ollama: writing manifest",
        "ollama: success",
        "loading vault-tools:kto-1",
      ]),
    );
    const create = ollama.requests.find((request) => request.path === "/api/create");
    expect(create?.body).toMatchObject({
      model: "vault-tools:kto-1",
      files: { "model.gguf": `sha256:${withTools.sha256}` },
    });
    expect(create?.body.template).toBeUndefined();
    expect(ollama.loaded.has("vault-tools:kto-1")).toBe(true);

    const again = await deployToOllama(
      { model: "vault-tools:kto-2", gguf: withTools.path, sha256: withTools.sha256 },
      { host: ollama.host },
    );
    expect(again.uploaded).toBe(false);
    expect(
      ollama.requests.filter((request) => request.method === "POST" && request.path.startsWith("/api/blobs/")),
    ).toHaveLength(1);
  });

  it("refuses a model whose GGUF template does not render tools, saying why", async () => {
    const refused = await deployToOllama(
      { model: "vault-tools:plain", gguf: withoutTools.path, sha256: withoutTools.sha256 },
      { host: ollama.host },
    ).catch((error) => error);
    expect(refused).toBeInstanceOf(OllamaDeployError);
    expect(refused).toMatchObject({
      code: "no-tool-support",
      message: expect.stringContaining('does not list "tools" among its capabilities (completion)'),
    });
    expect(ollama.loaded.has("vault-tools:plain")).toBe(false);
  });

  it("reports a digest mismatch when the file is not the one exported", async () => {
    const refused = await deployToOllama(
      { model: "vault-tools:bad", gguf: withoutTools.path, sha256: withTools.sha256.replace(/^./, "0") },
      { host: ollama.host },
    ).catch((error) => error);
    expect(refused).toMatchObject({
      code: "digest-mismatch",
      hint: "the file changed after export; export the run again",
    });
  });

  it("says Ollama is not running when nothing answers", async () => {
    const refused = await deployToOllama(
      { model: "m", gguf: withTools.path, sha256: withTools.sha256 },
      { host: "http://127.0.0.1:9" },
    ).catch((error) => error);
    expect(refused).toMatchObject({
      code: "ollama-unreachable",
      message: "Ollama is not running at http://127.0.0.1:9 (checking the blob)",
      hint: expect.stringContaining("ollama serve"),
    });
  });

  it("asks the deployed model with tools and reads its tool calls", async () => {
    const tools = [
      {
        type: "function" as const,
        function: {
          name: "contentManager_readContent",
          description: "read a note",
          parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
        },
      },
    ];
    const answer = await chatWithTools(
      ollama.host,
      "vault-tools:kto-1",
      [{ role: "user", content: "Read Notes/a.md" }],
      tools,
    );
    expect(answer.toolCalls).toEqual([
      { function: { name: "contentManager_readContent", arguments: { path: "Notes/a.md" } } },
    ]);
    const chat = ollama.requests.filter((request) => request.path === "/api/chat").at(-1);
    expect(chat?.body).toMatchObject({ model: "vault-tools:kto-1", stream: false, tools });
  });
});
