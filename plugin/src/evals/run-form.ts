import type { ModelChoice } from "./model-choices";

/** A prompt set as the run form offers it. */
export interface PromptSetItem {
  id: string;
  title: string;
  cases: number;
}

/** The evaluation running now, as the form shows it. */
export interface RunningEval {
  jobId: string;
  text: string;
  fraction: number;
}

export interface RunFormInput {
  models: ModelChoice[];
  sets: PromptSetItem[];
  /** The backend and set chosen first (the settings, or what was chosen here last). */
  preferredBackend: string;
  chosenSet: string;
  running: RunningEval | undefined;
  message: string;
  onSetChosen: (set: string) => void;
  onStart: (model: ModelChoice, set: string) => void;
}

/** "Run an evaluation": a model, a prompt set, the button, and the running evaluation's progress. */
export function renderRunForm(form: HTMLElement, input: RunFormInput): void {
  form.empty();
  form.createEl("h4", { text: "Run an evaluation" });
  if (input.message) form.createDiv({ cls: "vault-tuner-message", text: input.message });
  if (input.models.length === 0) {
    form.createDiv({
      cls: "vault-tuner-missing",
      text: "No model to evaluate yet: the daemon serves none and none was exported. Train one (command: Start training), or evaluate another backend from the command line (vault-tuner eval run).",
    });
    return;
  }
  const row = form.createDiv({ cls: "vault-tuner-eval-form" });
  const model = row.createEl("select", { attr: { "aria-label": "Model" } });
  input.models.forEach((choice, index) => {
    model.createEl("option", { text: choice.label, attr: { value: String(index) } });
  });
  const preferred = input.models.findIndex((choice) => choice.backend === input.preferredBackend);
  if (preferred > 0) model.value = String(preferred);
  const set = row.createEl("select", { attr: { "aria-label": "Prompt set" } });
  for (const item of input.sets)
    set.createEl("option", { text: `${item.title} (${item.cases})`, attr: { value: item.id } });
  if (input.sets.some((item) => item.id === input.chosenSet)) set.value = input.chosenSet;
  set.addEventListener("change", () => input.onSetChosen(set.value));
  const run = row.createEl("button", { cls: "mod-cta", text: "Run evaluation" });
  run.disabled = input.running !== undefined;
  run.addEventListener("click", () => input.onStart(input.models[Number(model.value)] as ModelChoice, set.value));
  renderProgress(form.createDiv({ cls: "vault-tuner-eval-progress" }), input.running);
}

/** The running evaluation's bar and words (redrawn alone as its progress arrives). */
export function renderProgress(progress: HTMLElement, running: RunningEval | undefined): void {
  progress.empty();
  if (!running) return;
  progress.createEl("progress", { attr: { max: "1", value: String(running.fraction) } });
  progress.createSpan({ text: ` ${running.text}` });
}
