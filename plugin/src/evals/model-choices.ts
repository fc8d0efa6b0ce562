/** What the panel reads of `GET /v1/models` (the route table's parsed reply is one), so tests can give just that. */
export interface ModelsReply {
  items: {
    /** The training job that made the model. */
    id: string;
    /** What the user calls it (base, method, dataset, labels and date unless renamed). */
    name: string;
    trainedAt: string | null;
    exports: {
      jobId: string;
      files: { path: string; name: string; kind: string; check?: { verdict: "kept" | "drifted" | "erased" } }[];
      /** The file the export's quantization check chose, when it ran. */
      recommended?: string | null;
    }[];
    deployments: { target: string; model?: string; host?: string }[];
  }[];
  serving: { gguf: string; jobId: string } | null;
}

/** A model the panel can evaluate, as an eval request names it. */
export interface ModelChoice {
  label: string;
  backend: "embedded" | "ollama";
  model: string;
  /** Ollama's host, when the model was deployed to one. */
  url?: string;
}

/**
 * What can be evaluated, best first: the model the daemon serves, the models deployed to Ollama, then
 * every exported GGUF file (run in the daemon). Adapters are not models on their own and are left out.
 */
export function modelChoices(reply: ModelsReply): ModelChoice[] {
  const choices: ModelChoice[] = [];
  const seen = new Set<string>();
  const add = (choice: ModelChoice) => {
    const key = `${choice.backend}:${choice.model}`;
    if (seen.has(key)) return;
    seen.add(key);
    choices.push(choice);
  };
  if (reply.serving)
    add({
      label: `Served by the daemon: ${fileName(reply.serving.gguf)}`,
      backend: "embedded",
      model: reply.serving.gguf,
    });
  for (const model of reply.items) {
    for (const deployment of model.deployments) {
      if (deployment.target === "ollama" && deployment.model)
        add({
          label: `Ollama: ${deployment.model}`,
          backend: "ollama",
          model: deployment.model,
          ...(deployment.host ? { url: deployment.host } : {}),
        });
    }
  }
  for (const model of reply.items) {
    for (const exported of model.exports) {
      for (const file of exported.files) {
        if (file.kind !== "adapter")
          add({
            label: `${model.name} · ${file.kind}${checkNote(exported, file)}`,
            backend: "embedded",
            model: file.path,
          });
      }
    }
  }
  return choices;
}

type Export = ModelsReply["items"][number]["exports"][number];

/** What the export's quantization check said of a file, for its label. */
function checkNote(exported: Export, file: Export["files"][number]): string {
  if (exported.recommended === file.kind) return " (recommended)";
  if (file.check?.verdict === "erased") return " (quantization erased the training)";
  if (file.check?.verdict === "drifted") return " (drifts from the trained model)";
  return "";
}

/** Quantizations to deploy when the export was not checked, best first: the usual size/quality balance, then larger. */
const PREFERRED_FILES = ["q4_k_m", "q5_k_m", "q8_0", "f16", "bf16", "f32"];

/** The file to deploy from an export: the one its quantization check recommended, else the first preferred file it did not find erased. */
export function fileToDeploy(exported: Export): string | undefined {
  return (
    exported.recommended ??
    PREFERRED_FILES.find((kind) =>
      exported.files.some((entry) => entry.kind === kind && entry.check?.verdict !== "erased"),
    )
  );
}

function fileName(path: string): string {
  return path.split(/[\\/]/).at(-1) ?? path;
}

/**
 * An evaluated model as people name it: a GGUF the daemon exported by its model's name and file kind
 * ("gemma-3-270m · KTO · mine · 812 labels · 2026-12-01 · q8_0"), anything else by the end of its path or
 * what its backend calls it. The id and the path stay one step away, in the row's tooltip.
 */
export function modelLabel(reply: ModelsReply | undefined, model: string): string {
  for (const item of reply?.items ?? []) {
    for (const exported of item.exports) {
      const file = exported.files.find((candidate) => candidate.path === model);
      if (file) return `${item.name} · ${file.kind}`;
    }
  }
  return model.split(/[\\/]/).slice(-3).join("/");
}
