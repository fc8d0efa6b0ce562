/** GET /v1/models, as far as the plugin uses it. */
export interface ModelsReply {
  items: {
    /** The training job that made the model. */
    id: string;
    trainedAt: string | null;
    exports: { jobId: string; files: { path: string; name: string; kind: string }[] }[];
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
  if (reply.serving) add({ label: `Served by the daemon: ${fileName(reply.serving.gguf)}`, backend: "embedded", model: reply.serving.gguf });
  for (const model of reply.items) {
    for (const deployment of model.deployments) {
      if (deployment.target === "ollama" && deployment.model) add({ label: `Ollama: ${deployment.model}`, backend: "ollama", model: deployment.model, ...(deployment.host ? { url: deployment.host } : {}) });
    }
  }
  for (const model of reply.items) {
    for (const exported of model.exports) {
      for (const file of exported.files) {
        if (file.kind !== "adapter") add({ label: `${model.id} · ${file.name}`, backend: "embedded", model: file.path });
      }
    }
  }
  return choices;
}

function fileName(path: string): string {
  return path.split(/[\\/]/).at(-1) ?? path;
}
