import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readGgufFileInfo } from "node-llama-cpp";

/**
 * A local HTTP server answering the Ollama endpoints Vault Tuner uses, as ml-facts.md section 4 and
 * Ollama's API documentation describe them: blobs by digest (HEAD 200/404; POST 201, or 400 when the
 * body's sha256 is not the digest), create from `files` with NDJSON progress, show with capabilities
 * (`tools` when the GGUF's embedded chat template renders tools), generate to load, chat with tools.
 * It runs no model: chat answers with a call of the first tool offered.
 */
export interface FakeOllama {
  host: string;
  blobs: Map<string, Buffer>;
  models: Map<string, { digest: string; capabilities: string[]; system?: string }>;
  loaded: Set<string>;
  requests: { method: string; path: string; body: any }[];
  close(): Promise<void>;
}

export async function startFakeOllama(): Promise<FakeOllama> {
  const blobs = new Map<string, Buffer>();
  const models = new Map<string, { digest: string; capabilities: string[]; system?: string }>();
  const loaded = new Set<string>();
  const requests: FakeOllama["requests"] = [];
  const server: Server = createServer(async (request, response) => {
    const raw = await body(request);
    const path = request.url ?? "/";
    const json =
      request.headers["content-type"]?.includes("json") || (path.startsWith("/api/") && !path.startsWith("/api/blobs"))
        ? safeJson(raw)
        : undefined;
    requests.push({ method: request.method ?? "", path, body: json });
    const blob = /^\/api\/blobs\/(sha256:[0-9a-f]{64})$/.exec(path);
    if (blob) {
      const digest = blob[1] as string;
      if (request.method === "HEAD") return end(response, blobs.has(digest) ? 200 : 404);
      if (request.method === "POST") {
        if (`sha256:${createHash("sha256").update(raw).digest("hex")}` !== digest)
          return send(response, 400, { error: "digest mismatch" });
        blobs.set(digest, raw);
        return end(response, 201);
      }
    }
    if (request.method !== "POST") return send(response, 404, { error: "not found" });
    switch (path) {
      case "/api/create": {
        const files = (json?.files ?? {}) as Record<string, string>;
        const digest = Object.values(files)[0];
        if (!digest || !blobs.has(digest))
          return send(response, 400, { error: `neither 'from' or 'files' was specified, or a file's blob is missing` });
        const template = await ggufChatTemplate(blobs.get(digest) as Buffer);
        models.set(json.model, {
          digest,
          capabilities: ["completion", ...(template?.includes("tools") ? ["tools"] : [])],
          system: json.system,
        });
        const lines = [
          { status: "parsing GGUF" },
          { status: `using existing layer ${digest}` },
          { status: "writing manifest" },
          { status: "success" },
        ];
        if (json.stream === false) return send(response, 200, { status: "success" });
        response.writeHead(200, { "content-type": "application/x-ndjson" });
        for (const line of lines) response.write(`${JSON.stringify(line)}\n`);
        return response.end();
      }
      case "/api/show": {
        const model = models.get(json?.model);
        return model
          ? send(response, 200, {
              capabilities: model.capabilities,
              system: model.system ?? "",
              details: { format: "gguf" },
            })
          : send(response, 404, { error: `model '${json?.model}' not found` });
      }
      case "/api/generate": {
        if (!models.has(json?.model)) return send(response, 404, { error: `model '${json?.model}' not found` });
        if (json.keep_alive === 0) loaded.delete(json.model);
        else loaded.add(json.model);
        return send(response, 200, {
          model: json.model,
          created_at: new Date().toISOString(),
          response: "",
          done: true,
          done_reason: json.keep_alive === 0 ? "unload" : "load",
        });
      }
      case "/api/chat": {
        if (!models.has(json?.model)) return send(response, 404, { error: `model '${json?.model}' not found` });
        const tool = json.tools?.[0]?.function;
        const message = tool
          ? {
              role: "assistant",
              content: "",
              tool_calls: [{ function: { name: tool.name, arguments: { path: "Notes/a.md" } } }],
            }
          : { role: "assistant", content: "no tools offered" };
        return send(response, 200, {
          model: json.model,
          created_at: new Date().toISOString(),
          message,
          done: true,
          done_reason: "stop",
        });
      }
      default:
        return send(response, 404, { error: "not found" });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `http://127.0.0.1:${port}`,
    blobs,
    models,
    loaded,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The GGUF's embedded chat template, read by node-llama-cpp's GGUF reader as Ollama reads it from the blob. */
async function ggufChatTemplate(file: Buffer): Promise<string | undefined> {
  const folder = mkdtempSync(join(tmpdir(), "fake-ollama-"));
  try {
    const path = join(folder, "blob.gguf");
    writeFileSync(path, file);
    const info = await readGgufFileInfo(path, { readTensorInfo: false });
    return (info.metadata as { tokenizer?: { chat_template?: string } }).tokenizer?.chat_template;
  } catch {
    return undefined;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function safeJson(raw: Buffer): any {
  try {
    return raw.length > 0 ? JSON.parse(raw.toString("utf8")) : undefined;
  } catch {
    return undefined;
  }
}

function send(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(value));
}

function end(response: ServerResponse, status: number): void {
  response.writeHead(status);
  response.end();
}
