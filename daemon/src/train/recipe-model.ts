import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { PYTHON_DIR } from "./python-env";

const RECIPES_DIR = join(PYTHON_DIR, "recipes");

/**
 * The model a recipe trains when the request names none, read from python/recipes/<name>.yaml and the
 * recipes it inherits from (`base`), as the trainer reads them: null when none names one; undefined
 * when the recipe cannot be read here (the trainer then says why).
 */
export function recipeModel(recipe: string): string | null | undefined {
  const seen = new Set<string>();
  let current: string | undefined = recipe;
  while (current && !seen.has(current)) {
    seen.add(current);
    const file = join(RECIPES_DIR, `${current}.yaml`);
    if (!existsSync(file)) return undefined;
    let data: unknown;
    try {
      data = parse(readFileSync(file, "utf8"));
    } catch {
      return undefined;
    }
    if (!data || typeof data !== "object") return undefined;
    const settings = data as { model?: unknown; base?: unknown };
    // The nearest recipe that sets `model` decides, as the trainer's merge does.
    if ("model" in settings) return typeof settings.model === "string" ? settings.model : null;
    current = typeof settings.base === "string" ? settings.base : undefined;
  }
  return null;
}
