import {
  FINISHED_STATES,
  jobProgressText,
  ROUTES,
  type Job,
  type JobRequestSchema,
  type JobState,
} from "@vault-tuner/shared";
import type { z } from "zod";
import { daemonClient, type DaemonClient } from "../daemon-client";
import type { Output } from "../output";
import { EXIT_OK, UsageError } from "../usage-error";

const EXIT_FAILED = 1;

/** A job request as the command line builds it: the route checks it (defaults and limits) before it is sent. */
type JobRequestInput = z.input<typeof JobRequestSchema>;

/**
 * `vault-tuner train --dataset NAME ...`: queue a training job in the running daemon and, unless
 * --detach, follow it to the end with a step counter, loss and ETA. Ctrl-C stops following, not the job.
 */
export async function runTrain(args: { values: Record<string, unknown> }, output: Output): Promise<number> {
  const v = args.values;
  if (typeof v.dataset !== "string") throw new UsageError("give --dataset NAME (a dataset the daemon built)");
  const request = {
    kind: "train",
    dataset: v.dataset,
    mode: v.mode ?? "kto",
    recipe: v.recipe ?? "auto",
    ...(v.model ? { model: v.model } : {}),
    ...(v["max-steps"] ? { maxSteps: Number(v["max-steps"]) } : {}),
    device: v.device ?? "auto",
    backend: v.backend ?? "auto",
  };
  return queueAndFollow(daemonClient(v), request, v.detach === true, output);
}

/**
 * `vault-tuner deploy --export JOB_ID [--target embedded|ollama] [--file q4_k_m] [--force] [--model NAME] [--host URL]`:
 * queue a deploy job for an export job's GGUF and follow it. Without --file the daemon deploys the file
 * the export's quantization check recommended. Deploying an earlier export brings that model back.
 */
export async function runDeploy(args: { values: Record<string, unknown> }, output: Output): Promise<number> {
  const v = args.values;
  if (typeof v.export !== "string")
    throw new UsageError("give --export JOB_ID (a succeeded export job; vault-tuner jobs list shows them)");
  const request = {
    kind: "deploy",
    export: v.export,
    target: v.target ?? "embedded",
    ...(v.file ? { file: v.file } : {}),
    ...(v.force === true ? { force: true } : {}),
    ...(v.model ? { model: v.model } : {}),
    ...(v.host ? { host: v.host } : {}),
  };
  return queueAndFollow(daemonClient(v), request, v.detach === true, output);
}

/**
 * `vault-tuner export --job TRAIN_JOB_ID [--quant ...] [--dtype ...] [--check-rows N]`: queue an export job
 * of a training job the daemon ran, and follow it; its files can then be deployed.
 */
export async function runExportJob(args: { values: Record<string, unknown> }, output: Output): Promise<number> {
  const v = args.values;
  const request = {
    kind: "export",
    run: v.job,
    ...(v.quant ? { quant: v.quant } : {}),
    ...(v.dtype ? { dtype: v.dtype } : {}),
    ...(v["check-rows"] !== undefined ? { checkRows: Number(v["check-rows"]) } : {}),
  };
  return queueAndFollow(daemonClient(v), request, v.detach === true, output);
}

export async function queueAndFollow(
  client: DaemonClient,
  request: Record<string, unknown>,
  detach: boolean,
  output: Output,
): Promise<number> {
  // Flag values as given: the route's schema checks them (and says which is wrong) before anything is sent.
  const job = await client.call(ROUTES.submitJob, { body: request as JobRequestInput });
  output.out(`queued ${job.id}\n`);
  return detach ? EXIT_OK : follow(client, job.id, output);
}

/** `vault-tuner jobs [list] | show ID | log ID [--tail N] | cancel ID | resume ID [--follow] | follow ID`. */
export async function runJobs(
  args: { values: Record<string, unknown>; positionals: string[] },
  output: Output,
): Promise<number> {
  const [action = "list", id] = args.positionals;
  const client = daemonClient(args.values);
  const needId = () => {
    if (!id) throw new UsageError(`give the job id: vault-tuner jobs ${action} ID`);
    return id;
  };
  switch (action) {
    case "list": {
      const jobs = (await client.call(ROUTES.listJobs, { query: { limit: Number(args.values.limit ?? 20) } })).items;
      if (jobs.length === 0) output.out("no jobs\n");
      for (const job of jobs)
        output.out(
          `${job.id}  ${job.kind.padEnd(6)} ${job.state.padEnd(11)} ${describeProgress(job)}  ${job.createdAt}\n`,
        );
      return EXIT_OK;
    }
    case "show": {
      const job = await client.call(ROUTES.getJob, { params: { id: needId() } });
      output.out(`${JSON.stringify(job, null, 2)}\n`);
      return EXIT_OK;
    }
    case "log": {
      const tail = args.values.tail ? { tail: Number(args.values.tail) } : {};
      output.out(await client.call(ROUTES.jobLog, { params: { id: needId() }, query: tail }));
      return EXIT_OK;
    }
    case "cancel":
    case "resume": {
      const changed = await client.call(action === "cancel" ? ROUTES.cancelJob : ROUTES.resumeJob, {
        params: { id: needId() },
      });
      output.out(`${id} ${changed.state}\n`);
      return action === "resume" && args.values.follow === true ? follow(client, needId(), output) : EXIT_OK;
    }
    case "follow":
      return follow(client, needId(), output);
    default:
      throw new UsageError(`unknown action "${action}": list, show, log, cancel, resume or follow`);
  }
}

/** Prints the job's progress until it finishes; the exit code says how it ended. */
async function follow(client: DaemonClient, id: string, output: Output): Promise<number> {
  let end!: (state: JobState) => void;
  const ended = new Promise<JobState>((resolve) => (end = resolve));
  let last = "";
  const close = await client.events((event) => {
    if (event.type === "job.progress" && event.jobId === id) {
      const line = jobProgressText(event.progress) ?? "";
      if (line && line !== last) output.err(`${line}\n`);
      last = line;
    }
    if (event.type === "job.state" && event.jobId === id && FINISHED_STATES.includes(event.state)) end(event.state);
  });
  let job: Job;
  try {
    // The job may have ended before the feed opened.
    const current = await client.call(ROUTES.getJob, { params: { id } });
    if (FINISHED_STATES.includes(current.state)) end(current.state);
    await ended;
    job = await client.call(ROUTES.getJob, { params: { id } });
  } finally {
    close();
  }
  output.out(
    `${id} ${job.state}${job.error ? `: ${job.error.message}${job.error.hint ? `\n  ${job.error.hint}` : ""}` : ""}\n`,
  );
  for (const [name, path] of Object.entries(job.artefacts)) output.out(`  ${name.padEnd(8)} ${path}\n`);
  const next = job.state === "succeeded" ? nextCommand(job) : undefined;
  if (next) output.out(`next: ${next}\n`);
  return job.state === "succeeded" ? EXIT_OK : EXIT_FAILED;
}

/** What a user runs after a job of this kind: train -> export -> deploy -> evaluate. */
export function nextCommand(job: Job): string | undefined {
  switch (job.kind) {
    case "train":
      return `npx vault-tuner export --job ${job.id}`;
    case "export":
      return `npx vault-tuner deploy --export ${job.id}`;
    case "deploy":
      return job.artefacts.gguf
        ? `npx vault-tuner eval run --set full-coverage --backend embedded --model ${job.artefacts.gguf}`
        : undefined;
    default:
      return undefined;
  }
}

function describeProgress(job: Job): string {
  const p = job.progress;
  if (!p || (p.total === undefined && p.stage === undefined)) return "".padEnd(14);
  if (p.total === undefined) return (p.stage as string).slice(0, 40).padEnd(14);
  return `${p.stage ?? "step"} ${p.step ?? 0}/${p.total}`.padEnd(14);
}
