import { totalmem } from "node:os";
import type { Platform } from "@vault-tuner/shared";
import { execa } from "execa";

/**
 * What this machine can train on, and the preset that fits it. The presets load the base in 4 bits
 * (QLoRA) with gradient checkpointing; `needsGiB` is what each was sized for on one card, with room
 * for activations at its batch size and max_length.
 */
export const PRESETS = [
  { recipe: "3b", needsGiB: 12 },
  { recipe: "7b", needsGiB: 16 },
  { recipe: "13b", needsGiB: 24 },
  { recipe: "20b", needsGiB: 40 },
] as const;

export type { Platform };

export interface PlatformProbes {
  platform: NodeJS.Platform;
  arch: string;
  totalMemoryBytes: number;
  /** `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits`, or undefined when it cannot run. */
  nvidiaSmi: string | undefined;
}

export async function probeMachine(): Promise<PlatformProbes> {
  const smi = await execa("nvidia-smi", ["--query-gpu=name,memory.total", "--format=csv,noheader,nounits"], {
    reject: false,
    timeout: 10_000,
  });
  return {
    platform: process.platform,
    arch: process.arch,
    totalMemoryBytes: totalmem(),
    nvidiaSmi: smi.exitCode === 0 ? smi.stdout : undefined,
  };
}

export function describePlatform(probes: PlatformProbes): Platform {
  const gpus = (probes.nvidiaSmi ?? "")
    .split("\n")
    .map((line) => line.split(",").map((part) => part.trim()))
    .filter((parts) => parts.length === 2 && parts[0] && /^\d+$/.test(parts[1] ?? ""))
    .map(([name, mib]) => ({ name: name as string, memoryGiB: Math.round((Number(mib) / 1024) * 10) / 10 }));
  const presetsFor = (memoryGiB: number) =>
    PRESETS.map((preset) => ({ ...preset, fits: preset.needsGiB <= memoryGiB }));
  const largest = (memoryGiB: number) =>
    presetsFor(memoryGiB)
      .filter((preset) => preset.fits)
      .at(-1)?.recipe ?? null;
  if (gpus.length > 0) {
    const memoryGiB = Math.max(...gpus.map((gpu) => gpu.memoryGiB));
    const recommended = largest(memoryGiB);
    return {
      kind: "nvidia",
      reason: `nvidia-smi lists ${gpus.map((gpu) => `${gpu.name} (${gpu.memoryGiB} GiB)`).join(", ")}`,
      gpus,
      memoryGiB,
      device: "cuda",
      backend: "torch",
      recommendedRecipe: recommended,
      presets: presetsFor(memoryGiB),
    };
  }
  const memoryGiB = Math.round((probes.totalMemoryBytes / 2 ** 30) * 10) / 10;
  if (probes.platform === "darwin" && probes.arch === "arm64") {
    // Unified memory is shared with the system: leave a quarter of it free.
    const usable = Math.round(memoryGiB * 0.75 * 10) / 10;
    return {
      kind: "apple",
      reason: `Apple Silicon with ${memoryGiB} GiB of unified memory: MLX`,
      gpus: [],
      memoryGiB: usable,
      device: "mps",
      backend: "mlx",
      recommendedRecipe: largest(usable),
      presets: presetsFor(usable),
    };
  }
  return {
    kind: "cpu",
    reason:
      probes.nvidiaSmi === undefined
        ? "no NVIDIA GPU (nvidia-smi is missing or failed) and not Apple Silicon"
        : "nvidia-smi lists no GPU, and this is not Apple Silicon",
    gpus: [],
    memoryGiB,
    device: "cpu",
    backend: "torch",
    recommendedRecipe: null,
    presets: PRESETS.map((preset) => ({ ...preset, fits: false })),
  };
}
