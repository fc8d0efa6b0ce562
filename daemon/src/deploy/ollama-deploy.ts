import { describeError } from "@vault-tuner/shared";
import { createReadStream, statSync } from "node:fs";
import { Readable } from "node:stream";
import { Ollama } from "ollama";

/** The default Ollama address; OLLAMA_HOST or the daemon's setting may name another. */
export const DEFAULT_OLLAMA_HOST = "http://127.0.0.1:11434";

/** A deploy step that failed, with what the user can do about it. */
export class OllamaDeployError extends Error {
  constructor(
    message: string,
    readonly code: "ollama-unreachable" | "ollama-refused" | "digest-mismatch" | "no-tool-support",
    readonly hint: string,
  ) {
    super(message);
  }
}

export interface OllamaDeployRequest {
  /** Ollama's model name, e.g. "vault-tools:kto-20261128". */
  model: string;
  gguf: string;
  /** sha256 of the GGUF, as export.json lists it. */
  sha256: string;
  system?: string;
  parameters?: Record<string, unknown>;
}

export interface OllamaDeployment {
  model: string;
  host: string;
  digest: string;
  uploaded: boolean;
  capabilities: string[];
}

/**
 * Hot-loads a GGUF into Ollama: upload the blob unless Ollama has it (streamed, digest checked by
 * Ollama), create the model from that file alone (no `template`: Ollama reads the tool-capable template
 * the GGUF embeds), check that it reports the `tools` capability, and load it. The npm client has no
 * blob calls, so those two go through fetch; create, show and generate go through the client.
 */
export async function deployToOllama(
  request: OllamaDeployRequest,
  options: { host?: string; onProgress?: (line: string) => void } = {},
): Promise<OllamaDeployment> {
  const host = (options.host ?? DEFAULT_OLLAMA_HOST).replace(/\/$/, "");
  const say = options.onProgress ?? (() => undefined);
  const digest = `sha256:${request.sha256}`;
  const reach = async <T>(what: string, action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      throw asDeployError(error, host, what);
    }
  };

  const known = await reach("checking the blob", () => fetch(`${host}/api/blobs/${digest}`, { method: "HEAD" }));
  let uploaded = false;
  if (known.status === 404) {
    const bytes = statSync(request.gguf).size;
    say(`uploading ${request.gguf} (${(bytes / 2 ** 20).toFixed(1)} MiB) to Ollama`);
    const upload = await reach("uploading the GGUF", () =>
      fetch(`${host}/api/blobs/${digest}`, {
        method: "POST",
        body: Readable.toWeb(createReadStream(request.gguf)) as ReadableStream,
        headers: { "content-length": String(bytes) },
        duplex: "half",
      } as RequestInit),
    );
    if (upload.status === 400)
      throw new OllamaDeployError(
        `Ollama refused the upload of ${request.gguf}: its sha256 is not ${request.sha256}`,
        "digest-mismatch",
        "the file changed after export; export the run again",
      );
    if (upload.status !== 201 && upload.status !== 200)
      throw new OllamaDeployError(
        `Ollama answered ${upload.status} to the blob upload: ${await upload.text()}`,
        "ollama-refused",
        "see Ollama's log",
      );
    uploaded = true;
  } else if (known.status !== 200) {
    throw new OllamaDeployError(
      `Ollama answered ${known.status} when asked for blob ${digest}`,
      "ollama-refused",
      "see Ollama's log",
    );
  }

  const ollama = new Ollama({ host });
  const created = await reach("creating the model", () =>
    ollama.create({
      model: request.model,
      files: { "model.gguf": digest },
      system: request.system,
      parameters: request.parameters,
      stream: true,
    } as Parameters<Ollama["create"]>[0] & { stream: true }),
  );
  await reach("creating the model", async () => {
    for await (const part of created) say(`ollama: ${part.status}`);
  });
  const shown = await reach("reading the model back", () => ollama.show({ model: request.model }));
  const capabilities = shown.capabilities ?? [];
  if (!capabilities.includes("tools")) {
    throw new OllamaDeployError(
      `Ollama created ${request.model} but does not list "tools" among its capabilities (${capabilities.join(", ") || "none"})`,
      "no-tool-support",
      "the GGUF's chat template must render tools; export from a chat model whose template does",
    );
  }
  say(`loading ${request.model}`);
  await reach("loading the model", () => ollama.generate({ model: request.model, prompt: "", keep_alive: "30m" }));
  return { model: request.model, host, digest, uploaded, capabilities };
}

function asDeployError(error: unknown, host: string, what: string): OllamaDeployError {
  if (error instanceof OllamaDeployError) return error;
  const text = describeError(error);
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  if (cause === "ECONNREFUSED" || /fetch failed|ECONNREFUSED/.test(text)) {
    return new OllamaDeployError(
      `Ollama is not running at ${host} (${what})`,
      "ollama-unreachable",
      "start Ollama (ollama serve) or set the Ollama host",
    );
  }
  return new OllamaDeployError(`Ollama refused ${what}: ${text}`, "ollama-refused", "see Ollama's log");
}
