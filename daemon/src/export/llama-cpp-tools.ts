import { describeError } from "@vault-tuner/shared";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { execa } from "execa";
import { PYTHON_DIR } from "../train/python-env";

/**
 * What GGUF export needs from llama.cpp, taken from the node-llama-cpp package the daemon already
 * depends on: its git bundle of the llama.cpp sources (the converters and gguf-py) and its prebuilt
 * libllama (quantization). Both come from one release, so the files the daemon later loads are read
 * by the same llama.cpp that wrote them.
 */
export interface LlamaCppTools {
  /** llama.cpp source tree, unpacked once from the bundle. */
  sources: string;
  /** The prebuilt shared library with llama_model_quantize. */
  libllama: string;
  /** The llama.cpp release both come from, e.g. "v0.4.0". */
  release: string;
}

/** Where node-llama-cpp's prebuilt binaries for this machine live, by the package names it publishes. */
const PLATFORM_PACKAGES: Record<string, string[]> = {
  "linux-x64": ["linux-x64"],
  "linux-arm64": ["linux-arm64"],
  "linux-arm": ["linux-armv7l"],
  "darwin-arm64": ["mac-arm64-metal"],
  "darwin-x64": ["mac-x64"],
  "win32-x64": ["win-x64"],
  "win32-arm64": ["win-arm64"],
};

const require = createRequire(import.meta.url);

function packageDir(resolvedMain: string): string {
  // Both node-llama-cpp and its binary packages resolve to <package>/dist/index.js.
  return dirname(dirname(resolvedMain));
}

export function findLibllama(release: string): string {
  const nodeLlamaCpp = require.resolve("node-llama-cpp");
  const key = `${process.platform}-${process.arch}`;
  const tried: string[] = [];
  for (const name of PLATFORM_PACKAGES[key] ?? []) {
    let dir: string;
    try {
      dir = packageDir(createRequire(nodeLlamaCpp).resolve(`@node-llama-cpp/${name}`));
    } catch {
      tried.push(`@node-llama-cpp/${name} (not installed)`);
      continue;
    }
    const bins = join(dir, "bins", name);
    const library = existsSync(bins)
      ? readdirSync(bins).find((file) => file.startsWith(`libllama.${release}.`) || file === "llama.dll")
      : undefined;
    if (library) return join(bins, library);
    tried.push(bins);
  }
  throw new Error(
    `no prebuilt libllama ${release} for ${key}: looked in ${tried.join(", ") || "no known package"}; run npm ci so node-llama-cpp's binary for this machine is installed`,
  );
}

/** The llama.cpp release node-llama-cpp bundles, from its llama/llama.cpp.info.json. */
export function bundledRelease(): { release: string; bundle: string } {
  const llamaDir = join(packageDir(require.resolve("node-llama-cpp")), "llama");
  const info = JSON.parse(readFileSync(join(llamaDir, "llama.cpp.info.json"), "utf8")) as { tag: string };
  return { release: info.tag, bundle: join(llamaDir, "gitRelease.bundle") };
}

/**
 * Unpacks the bundled llama.cpp sources into `cacheDir/<release>` the first time (git clone of a local
 * bundle, ~3 s) and finds libllama. A half-finished unpack is never taken for a finished one: the
 * clone goes to a temporary folder that is renamed only when complete.
 */
export async function ensureLlamaCppTools(
  options: { cacheDir?: string; onProgress?: (line: string) => void } = {},
): Promise<LlamaCppTools> {
  const { release, bundle } = bundledRelease();
  const cacheDir = options.cacheDir ?? join(PYTHON_DIR, ".llama.cpp");
  const sources = join(cacheDir, release);
  if (!existsSync(join(sources, "convert_hf_to_gguf.py"))) {
    options.onProgress?.(`unpacking the llama.cpp ${release} sources node-llama-cpp ships into ${sources}`);
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${sources}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    try {
      await execa("git", ["-c", "advice.detachedHead=false", "clone", "--quiet", bundle, partial]);
    } catch (error) {
      rmSync(partial, { recursive: true, force: true });
      const reason = (error as { code?: string }).code === "ENOENT" ? "git is not installed" : describeError(error);
      throw new Error(`cannot unpack the llama.cpp sources from ${bundle}: ${reason}`);
    }
    rmSync(sources, { recursive: true, force: true });
    renameSync(partial, sources);
  }
  return { sources, libllama: findLibllama(release), release };
}
