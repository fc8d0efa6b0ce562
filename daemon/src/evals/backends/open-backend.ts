import type { EmbeddedServing } from "../../deploy/embedded-serving";
import { embeddedBackend } from "./embedded-backend";
import type { BackendSpec, EvalBackend } from "./eval-backend";
import { ollamaBackend, openAiBackend } from "./http-backends";

export async function openBackend(spec: BackendSpec, serving?: EmbeddedServing): Promise<EvalBackend> {
  if (spec.kind === "embedded") return embeddedBackend(spec, serving);
  if (spec.kind === "ollama") return ollamaBackend(spec);
  return openAiBackend(spec);
}
