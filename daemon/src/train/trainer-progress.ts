import type { JobProgress, TrainEvent } from "@vault-tuner/shared";

/** The job's progress after a trainer event (unchanged for events that carry none). */
export function progressOf(event: TrainEvent, previous: JobProgress | null): JobProgress | null {
  switch (event.event) {
    case "start":
      return { step: 0, total: event.total };
    case "step":
      return {
        step: event.step,
        total: event.total,
        loss: event.loss,
        etaS: event.eta_s,
        tokensPerS: event.tokens_per_s,
        memoryMb: event.memory_mb,
      };
    case "stage":
      // A stage's `index` is the one that started: those before it are done.
      return event.total > 0
        ? { stage: event.stage, step: event.index - 1, total: event.total, etaS: event.eta_s }
        : { stage: event.stage };
    case "done":
      // The last stage (or step) is finished too; nothing new when the count already says so.
      return previous && previous.total !== undefined && previous.step !== previous.total
        ? { ...previous, step: previous.total, etaS: 0 }
        : previous;
    default:
      return previous;
  }
}
