import { TrainEventSchema, type TrainEvent } from "@vault-tuner/shared";

/** The trainer events a job's log carries as `[event] {...}` lines (written by eventLogLine). */
const EVENT_PREFIX = "[event] ";

/** How a trainer event goes into the job's log. */
export function eventLogLine(event: TrainEvent): string {
  return `${EVENT_PREFIX}${JSON.stringify(event)}`;
}

export type MetricEvent = Extract<TrainEvent, { event: "step" | "eval" }>;

/**
 * The training curves of a job: its step and eval events in order, read back from its log. A resumed
 * job logs the steps it repeats again; the later value of a step wins, so each step appears once.
 */
export function metricsFromLog(lines: string[]): MetricEvent[] {
  const steps = new Map<number, MetricEvent>();
  const evals = new Map<number, MetricEvent>();
  for (const line of lines) {
    if (!line.startsWith(EVENT_PREFIX)) continue;
    let parsed;
    try {
      parsed = TrainEventSchema.safeParse(JSON.parse(line.slice(EVENT_PREFIX.length)));
    } catch {
      continue;
    }
    if (!parsed.success) continue;
    const event = parsed.data;
    if (event.event === "step") steps.set(event.step, event);
    else if (event.event === "eval") evals.set(event.step, event);
  }
  return [...steps.values(), ...evals.values()].sort((a, b) => a.step - b.step || (a.event === "step" ? -1 : 1));
}
