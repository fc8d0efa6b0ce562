import type { TrainJobRequest } from "@vault-tuner/shared";
import type { Platform } from "../platform/detect-platform";

/**
 * How many data-parallel trainer processes a training job runs: one per GPU the trainer can see, on
 * NVIDIA machines training with torch on CUDA; one everywhere else. CUDA_VISIBLE_DEVICES, where set,
 * limits the GPUs as it does for the trainer itself.
 */
export function dataParallelProcesses(
  request: Pick<TrainJobRequest, "device" | "backend">,
  platform: Platform,
  env: NodeJS.ProcessEnv = process.env,
): number {
  if (platform.kind !== "nvidia" || request.backend === "mlx" || !["auto", "cuda"].includes(request.device)) return 1;
  const visible = env.CUDA_VISIBLE_DEVICES;
  const count =
    visible === undefined ? platform.gpus.length : visible.split(",").filter((device) => device.trim() !== "").length;
  return Math.max(1, Math.min(count, platform.gpus.length));
}
