import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { formatBytes, PUBLISH_PARTS, ROUTES, type PublishPart, type PublishPlan } from "@vault-tuner/shared";
import { daemonClient } from "../daemon-client";
import type { Output } from "../output";
import { EXIT_OK, UsageError } from "../usage-error";
import { queueAndFollow } from "./jobs";

/**
 * `vault-tuner publish --model ID --repo OWNER/NAME [--private] [--what adapter,gguf] [--dataset] [--dry-run]`:
 * prints every file that would leave the machine (with sizes, and whether recorded call text is among
 * them), then queues a publish job in the daemon and follows its upload. With --dry-run nothing is sent:
 * the card (README.md) and the file list (files.json) are written to --out instead.
 */
export async function runPublish(args: { values: Record<string, unknown> }, output: Output): Promise<number> {
  const v = args.values;
  if (typeof v.model !== "string") throw new UsageError("give --model ID (vault-tuner models lists them)");
  if (typeof v.repo !== "string") throw new UsageError("give --repo OWNER/NAME (the Hub model repo to publish to)");
  const options = {
    repo: v.repo,
    private: v.private === true,
    what: partsOf(v.what),
    dataset: v.dataset === true,
  };
  const client = daemonClient(v);
  const plan = await client.call(ROUTES.planPublish, { params: { id: v.model }, body: options });
  for (const line of planText(plan)) output.err(`${line}\n`);
  if (v["dry-run"] === true) {
    const folder = resolve(typeof v.out === "string" ? v.out : `publish-${plan.model}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "README.md"), plan.card);
    const { card: _card, ...list } = plan;
    writeFileSync(join(folder, "files.json"), `${JSON.stringify(list, null, 2)}\n`);
    output.out(`dry run, nothing sent: ${join(folder, "README.md")} and ${join(folder, "files.json")}\n`);
    return EXIT_OK;
  }
  return queueAndFollow(client, { kind: "publish", model: v.model, ...options }, v.detach === true, output);
}

/** `--what adapter,gguf` (repeatable too), each one of PUBLISH_PARTS; absent: the daemon's default. */
function partsOf(value: unknown): PublishPart[] | undefined {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((item) => String(item).split(","));
  for (const part of parts)
    if (!(PUBLISH_PARTS as readonly string[]).includes(part))
      throw new UsageError(`--what takes ${PUBLISH_PARTS.join(", ")}, not "${part}"`);
  return parts as PublishPart[];
}

/** The plan as the user reads it before anything is sent: one line a file, the total, and what it contains. */
export function planText(plan: PublishPlan): string[] {
  const width = Math.max(...plan.files.map((file) => file.path.length));
  return [
    `publishing ${plan.model} to ${plan.repo}${plan.private ? " (private)" : ""}:`,
    ...plan.files.map((file) => `  ${file.path.padEnd(width)}  ${formatBytes(file.bytes).padStart(9)}  ${file.kind}`),
    `  ${plan.files.length} files, ${formatBytes(plan.totalBytes)}`,
    plan.recordedText
      ? "  includes the text of your recorded tool calls (--dataset)"
      : "  no recorded call text: the card gives the training data's counts only",
  ];
}
