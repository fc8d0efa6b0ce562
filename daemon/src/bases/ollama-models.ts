import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** A model Ollama keeps on this disk: its name and the GGUF blob that holds its weights. */
export interface OllamaModel {
  name: string;
  gguf: string;
  bytes: number;
}

const MODEL_LAYER = "application/vnd.ollama.image.model";

/** Ollama's model store: OLLAMA_MODELS, else ~/.ollama/models (its documented default). */
export function ollamaModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.OLLAMA_MODELS || join(homedir(), ".ollama", "models");
}

/**
 * The models in Ollama's store, read from its manifests (manifests/<registry>/<namespace>/<model>/<tag>)
 * without Ollama running: each manifest names its weights layer by digest, stored as blobs/sha256-<hex>.
 * Models from the default library are named `model:tag`, others `namespace/model:tag`.
 */
export function listOllamaModels(root = ollamaModelsDir()): OllamaModel[] {
  const manifests = join(root, "manifests");
  if (!existsSync(manifests)) return [];
  const models: OllamaModel[] = [];
  for (const registry of readdirSync(manifests)) {
    for (const namespace of subfolders(join(manifests, registry))) {
      for (const model of subfolders(join(manifests, registry, namespace))) {
        for (const tag of readdirSync(join(manifests, registry, namespace, model))) {
          const manifest = readManifest(join(manifests, registry, namespace, model, tag));
          const layer = manifest?.layers?.find(
            (entry) => entry.mediaType === MODEL_LAYER && typeof entry.digest === "string",
          );
          if (!layer?.digest) continue;
          const gguf = join(root, "blobs", layer.digest.replace(":", "-"));
          if (!existsSync(gguf)) continue;
          const base =
            registry === "registry.ollama.ai" && namespace === "library"
              ? model
              : registry === "registry.ollama.ai"
                ? `${namespace}/${model}`
                : `${registry}/${namespace}/${model}`;
          models.push({ name: `${base}:${tag}`, gguf, bytes: statSync(gguf).size });
        }
      }
    }
  }
  return models.sort((a, b) => a.name.localeCompare(b.name));
}

/** The GGUF of one Ollama model, by `name[:tag]` (tag `latest` when left out). */
export function ollamaModelGguf(name: string, root = ollamaModelsDir()): string {
  const wanted = name.includes(":") ? name : `${name}:latest`;
  const models = listOllamaModels(root);
  const found = models.find((model) => model.name === wanted);
  if (!found) {
    const known = models.map((model) => model.name);
    throw new Error(
      `no Ollama model ${wanted} in ${root}${known.length ? ` (it has ${known.join(", ")})` : " (it has none)"}`,
    );
  }
  return found.gguf;
}

function subfolders(folder: string): string[] {
  return readdirSync(folder).filter((name) => statSync(join(folder, name)).isDirectory());
}

function readManifest(file: string): { layers?: { mediaType?: string; digest?: string }[] } | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}
