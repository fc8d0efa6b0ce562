import { CHECKS, type EvalRecord, type EvalSummary, type Rate } from "@vault-tuner/shared";
import { bootstrapMeanInterval, passHatK, quantile, round, wilsonInterval } from "./statistics";

/**
 * The summary of a run's records. Request errors are counted apart and left out of every rate: a server
 * that fell over says nothing about the model. With several tries a case, the interval is a bootstrap
 * over cases, because tries of one case are not independent.
 */
export function summarize(records: EvalRecord[]): EvalSummary {
  const scored = records.filter((record) => record.status !== "request-error");
  const passed = scored.filter((record) => record.status === "passed").length;
  const byCase = groupBy(records, (record) => record.case_id);
  const repeats = Math.max(1, ...[...byCase.values()].map((tries) => tries.length));
  const perCase = [...byCase.values()]
    .map((tries) => tries.filter((record) => record.status !== "request-error"))
    .filter((tries) => tries.length > 0)
    .map((tries) => ({ tries: tries.length, passes: tries.filter((record) => record.status === "passed").length }));
  const passHat: Record<string, number> = {};
  for (let k = 1; k <= repeats; k++) {
    const value = passHatK(perCase, k);
    if (value !== undefined) passHat[String(k)] = value;
  }
  const interval =
    repeats > 1
      ? bootstrapMeanInterval(perCase.map((item) => item.passes / item.tries))
      : wilsonInterval(passed, scored.length);

  const byCheck: Record<string, Rate> = {};
  for (const check of CHECKS) {
    const applicable = scored.filter((record) => record.checks[check] && record.checks[check].status !== "n/a");
    if (applicable.length > 0)
      byCheck[check] = rate(
        applicable.length,
        applicable.filter((record) => record.checks[check]?.status === "pass").length,
      );
  }

  const latencies = records
    .flatMap((record) => record.requests.map((request) => request.latency_ms))
    .sort((a, b) => a - b);
  const perCaseLatency = records.map((record) => record.requests.reduce((sum, request) => sum + request.latency_ms, 0));
  const requests = records.flatMap((record) => record.requests);
  const counted =
    requests.length > 0 &&
    requests.every((request) => request.prompt_tokens !== null && request.completion_tokens !== null);
  const promptTokens = requests.reduce((sum, request) => sum + (request.prompt_tokens ?? 0), 0);
  const completionTokens = requests.reduce((sum, request) => sum + (request.completion_tokens ?? 0), 0);

  const reasons = new Map<string, number>();
  for (const record of scored)
    for (const reason of new Set(record.failure_reasons.map(reasonKind)))
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);

  return {
    total: records.length,
    passed,
    failed: scored.length - passed,
    request_errors: records.length - scored.length,
    pass_rate: scored.length === 0 ? null : round(passed / scored.length),
    pass_rate_ci95: interval,
    interval_method: repeats > 1 ? "bootstrap-cases" : "wilson",
    cases: byCase.size,
    repeats,
    pass_hat_k: passHat,
    by_check: byCheck,
    by_tool: rates(scored, (record) => [...new Set(record.expected_tools)]),
    by_tag: rates(scored, (record) => record.tags),
    by_kind: rates(scored, (record) => [record.kind]),
    top_failure_reasons: [...reasons]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 10)
      .map(([reason, count]) => ({ reason, count })),
    latency_ms: {
      mean: latencies.length ? round(latencies.reduce((a, b) => a + b, 0) / latencies.length, 1) : null,
      p50: latencies.length ? round(quantile(latencies, 0.5), 1) : null,
      p95: latencies.length ? round(quantile(latencies, 0.95), 1) : null,
      per_case_mean: records.length ? round(perCaseLatency.reduce((a, b) => a + b, 0) / records.length, 1) : null,
    },
    tokens: {
      prompt: promptTokens,
      completion: completionTokens,
      per_case_mean: records.length && counted ? round((promptTokens + completionTokens) / records.length, 1) : null,
      counted,
    },
  };
}

/**
 * A failure reason without its particulars (`call 2 (x): sessionId "s1" differs` -> `call: sessionId … differs`), so the same mistake in different cases is counted together.
 */
export function reasonKind(reason: string): string {
  return reason
    .replace(/call \d+ \(([^)]*)\)/g, "call")
    .replace(/"[^"]*"/g, "…")
    .replace(/\S+\.md\b/g, "<note>")
    .replace(/\d+/g, "N");
}

function rate(total: number, passed: number): Rate {
  return { total, passed, rate: total === 0 ? null : round(passed / total), ci95: wilsonInterval(passed, total) };
}

function rates(records: EvalRecord[], keys: (record: EvalRecord) => string[]): Record<string, Rate> {
  const groups = new Map<string, EvalRecord[]>();
  for (const record of records) for (const key of keys(record)) groups.set(key, [...(groups.get(key) ?? []), record]);
  return Object.fromEntries(
    [...groups]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([key, group]) => [key, rate(group.length, group.filter((record) => record.status === "passed").length)]),
  );
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
