// `npm run slim [-- --dry-run] [--cpu-only]`: removes the prebuilt llama.cpp builds this machine cannot
// load. npm installs every @node-llama-cpp/* variant its optional dependencies list for the OS (CUDA,
// CUDA-ext and Vulkan builds, and ARM ones that declare x64 too), about 650 MB a CPU-only x64 machine never
// loads, and has no option to keep only one. `npm ci` brings them all back, e.g. after adding a GPU.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const PLATFORMS = { linux: "linux", darwin: "mac", win32: "win" };
const ARCHES = { x64: "x64", arm64: "arm64", arm: "armv7l" };

/**
 * Which variant packages go: those for another platform or architecture; CUDA builds without an NVIDIA
 * GPU; the Vulkan build too with `cpuOnly` (it serves other GPUs, so it stays unless asked).
 */
export function prunable(names, { platform, arch, nvidia, cpuOnly }) {
  const own = `${PLATFORMS[platform] ?? platform}-${ARCHES[arch] ?? arch}`;
  return names.filter((name) => {
    if (name !== own && !name.startsWith(`${own}-`)) return true;
    const variant = name.slice(own.length + 1);
    if (variant.startsWith("cuda")) return !nvidia;
    if (variant === "vulkan") return cpuOnly;
    return false;
  });
}

function hasNvidiaGpu() {
  try {
    execFileSync("nvidia-smi", ["-L"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function sizeOf(path) {
  let bytes = 0;
  for (const entry of readdirSync(path, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) bytes += statSync(join(entry.parentPath ?? entry.path, entry.name)).size;
  return bytes;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const folder = fileURLToPath(new URL("../../node_modules/@node-llama-cpp", import.meta.url));
  const dryRun = process.argv.includes("--dry-run");
  const names = existsSync(folder) ? readdirSync(folder).sort() : [];
  const going = prunable(names, {
    platform: process.platform,
    arch: process.arch,
    nvidia: hasNvidiaGpu(),
    cpuOnly: process.argv.includes("--cpu-only"),
  });
  let freed = 0;
  for (const name of names) {
    const path = join(folder, name);
    const bytes = sizeOf(path);
    const goes = going.includes(name);
    if (goes) freed += bytes;
    console.log(
      `${goes ? (dryRun ? "would remove" : "removed") : "kept"} @node-llama-cpp/${name} (${(bytes / 2 ** 20).toFixed(0)} MiB)`,
    );
    if (goes && !dryRun) rmSync(path, { recursive: true, force: true });
  }
  console.log(`${dryRun ? "would free" : "freed"} ${(freed / 2 ** 20).toFixed(0)} MiB; npm ci installs them all again`);
}
