import { type DatasetCard, type EvalReport, type RegisteredModel, formatBytes, formatRate } from "@vault-tuner/shared";
import { stringify } from "yaml";
import { compareReports } from "../evals/scoring/compare-reports";

/** One file that leaves the machine, as the card lists it. */
export interface PublishedFile {
  /** Its path in the repo. */
  path: string;
  bytes: number;
  /** merged, adapter, or the GGUF's kind (f16, q4_k_m...). */
  kind: string;
}

/** A tuned model's run of a prompt set, and the same set's run of what it was tuned from, when there is one. */
export interface EvaluationPair {
  tuned: EvalReport;
  base?: EvalReport;
}

export interface ModelCardInput {
  model: RegisteredModel;
  /** kto or sft. */
  mode: string;
  dataset: DatasetCard | undefined;
  /** The base's license, as its own files name it (an SPDX id or the license's name); null when unknown. */
  license: string | null;
  evaluations: EvaluationPair[];
  files: PublishedFile[];
  /** Whether the training rows go with the model (never by default: they come from the user's own vault). */
  datasetIncluded: boolean;
}

/**
 * The model card: the Hub's README.md with its metadata header. It says what the model is, how it was
 * trained and on how much, how well it uses the tools against its base (from the stored reports, with
 * their intervals and the paired test), how to run it, and the base's license. It quotes no recorded
 * call, prompt or answer: the data's counts only.
 */
export function modelCard(input: ModelCardInput): string {
  const { model, dataset } = input;
  const method = input.mode.toUpperCase();
  const gguf = input.files.filter((file) => file.path.endsWith(".gguf"));
  const header: Record<string, unknown> = {
    ...(hubModelId(model.base) ? { base_model: hubModelId(model.base) } : {}),
    license: licenseId(input.license),
    ...(input.files.some((file) => file.kind === "adapter") ? { library_name: "peft" } : {}),
    tags: ["vault-tuner", "obsidian", "tool-use", input.mode, ...(gguf.length ? ["gguf"] : [])],
  };
  const lines = [
    "---",
    stringify(header).trimEnd(),
    "---",
    "",
    `# ${model.name}`,
    "",
    `${model.base ? `\`${model.base}\`` : "A base model"} fine-tuned with ${method} by Vault Tuner to call the tools of ${toolsetsOf(dataset)}, from an Obsidian vault's tool calls marked good or bad by their user.`,
    "",
    "## Training",
    "",
    `- Method: ${method} with LoRA, recipe \`${model.recipe}\`${model.metrics.steps ? `, ${model.metrics.steps} steps` : ""}${model.metrics.trainLoss !== undefined ? `, final training loss ${model.metrics.trainLoss.toFixed(4)}` : ""}.`,
    ...datasetLines(dataset, input.datasetIncluded),
    "",
    "## Evaluation",
    "",
    ...evaluationLines(input.evaluations),
    "",
    "## Files",
    "",
    "| file | kind | size |",
    "|---|---|---|",
    ...input.files.map((file) => `| \`${file.path}\` | ${file.kind} | ${formatBytes(file.bytes)} |`),
    "",
    "## Chat template",
    "",
    model.chatTemplateSha256
      ? `The model was trained with its base's chat template and tool format (sha256 \`${model.chatTemplateSha256}\`); the template travels inside each GGUF file and in the merged model's tokenizer files. Prompt it with the tools in that template, as the Obsidian plugin's MCP server lists them.`
      : "The model uses its base's chat template and tool format; it travels inside each GGUF file and in the merged model's tokenizer files.",
    "",
    "## Run it",
    "",
    ...runLines(gguf),
    "",
    "## License",
    "",
    input.license
      ? `The weights derive from \`${model.base ?? "the base"}\` and carry its license: ${input.license}.`
      : `The weights derive from \`${model.base ?? "the base"}\`, whose license was not found in its files: check it before use.`,
    "",
  ];
  return lines.join("\n");
}

function toolsetsOf(dataset: DatasetCard | undefined): string {
  const toolsets = dataset?.toolsets.length ? dataset.toolsets : dataset ? [dataset.options.catalog] : [];
  return toolsets.length ? toolsets.map((name) => `\`${name}\``).join(" and ") : "an Obsidian vault";
}

function datasetLines(dataset: DatasetCard | undefined, included: boolean): string[] {
  if (!dataset) return ["- Data: the dataset's card was not found."];
  const train = dataset.counts.train;
  const ratio = dataset.ratio === null ? "" : `, ${dataset.ratio.toFixed(2)} desirable to each undesirable`;
  return [
    `- Data: ${train.desirable + train.undesirable} labelled rows (${train.desirable} desirable, ${train.undesirable} undesirable${ratio}) from ${train.sessions} sessions; ${dataset.counts.holdout.desirable + dataset.counts.holdout.undesirable} more held out for evaluation. Toolset catalog \`${dataset.options.catalog}\`, covering ${dataset.coverage.covered} of its ${dataset.coverage.catalogTools} tools.`,
    included
      ? "- The training rows are published with the model, in `dataset/`."
      : "- The training rows are not published: they come from the user's own vault.",
  ];
}

function evaluationLines(pairs: EvaluationPair[]): string[] {
  if (!pairs.length) return ["Not evaluated yet: no stored evaluation report names this model."];
  const rows = pairs.map(({ tuned, base }) => {
    const set = `${tuned.metadata.set.title} (\`${tuned.metadata.set.id}\`, ${tuned.metadata.set.cases} cases)`;
    const tunedCell = rateCell(tuned);
    if (!base) return `| ${set} | not run | ${tunedCell} | |`;
    const paired = compareReports(base, tuned);
    const change =
      paired.delta === null
        ? "no paired cases"
        : `${paired.delta >= 0 ? "+" : ""}${(paired.delta * 100).toFixed(1)} points; ${paired.better} cases better, ${paired.worse} worse (sign test p = ${paired.p_value.toPrecision(2)})`;
    return `| ${set} | ${rateCell(base)} (\`${base.metadata.backend.model}\`) | ${tunedCell} | ${change} |`;
  });
  return [
    "Tool use on Vault Tuner's prompt sets, each case run in a fresh sandbox vault and scored on its calls and the vault's final state. Pass rates with their 95% intervals; the change pairs each case with itself.",
    "",
    "| prompt set | base | tuned | change |",
    "|---|---|---|---|",
    ...rows,
  ];
}

function rateCell(report: EvalReport): string {
  const [low, high] = report.summary.pass_rate_ci95;
  return `${formatRate(report.summary.pass_rate)} [${formatRate(low)}, ${formatRate(high)}]`;
}

function runLines(gguf: PublishedFile[]): string[] {
  const file = gguf.find((candidate) => candidate.kind === "q4_k_m") ?? gguf[0];
  if (!file) return ["Load the merged model with transformers, or the adapter with PEFT on its base."];
  return [
    "In Ollama:",
    "",
    "```",
    `echo 'FROM ./${file.path}' > Modelfile`,
    "ollama create vault-tools -f Modelfile",
    "ollama run vault-tools",
    "```",
    "",
    "With Vault Tuner, embedded in its daemon (node-llama-cpp), measured on your own machine with the same prompt sets:",
    "",
    "```",
    `npx vault-tuner eval run --set full-coverage --backend embedded --model ${file.path}`,
    "```",
  ];
}

/** A base named as the Hub names models (owner/name), not a local folder. */
function hubModelId(base: string | null): string | undefined {
  return base && /^[\w.-]+\/[\w.-]+$/.test(base) ? base : undefined;
}

/** The Hub's license field takes its own ids; a license it does not list is "other". */
function licenseId(license: string | null): string {
  const known = ["apache-2.0", "mit", "gemma", "llama3", "llama3.1", "llama3.2", "llama3.3", "cc-by-4.0", "openrail"];
  const id = license?.toLowerCase().trim() ?? "";
  return known.includes(id) ? id : "other";
}
