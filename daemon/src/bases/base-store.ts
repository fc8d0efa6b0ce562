import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** What `base-import` records about an imported base (python/vault_tuner_train/base_import.py). */
export interface BaseManifest {
  name: string;
  source: { file: string; sha256: string; bytes: number };
  architecture: string;
  parameters: number;
  dtype: string;
  chat_template: { name: string; sha256: string };
  sentencepiece_vocabulary: boolean;
  gguf?: { file: string; sha256: string };
}

export const BASE_MANIFEST = "vault-tuner-base.json";

/** Imported bases live in <data dir>/bases/<name>/: a model folder a recipe or `--model` can name. */
export function basesDir(dataDir: string): string {
  return join(dataDir, "bases");
}

export function listBases(dataDir: string): (BaseManifest & { path: string })[] {
  const root = basesDir(dataDir);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((name) => join(root, name))
    .filter((path) => existsSync(join(path, BASE_MANIFEST)))
    .map((path) => ({ ...(JSON.parse(readFileSync(join(path, BASE_MANIFEST), "utf8")) as BaseManifest), path }));
}

/**
 * A model as a training request names it: the name of a base imported into this data dir means that
 * base's folder (`--model gemma-3-270m`); a path or a hub name (with a slash) is taken as given.
 */
export function resolveBaseModel(dataDir: string, model: string): string {
  if (/[\\/]/.test(model)) return model;
  const folder = join(basesDir(dataDir), model);
  return existsSync(join(folder, BASE_MANIFEST)) ? folder : model;
}
