import { cutJson, type StoredTrace } from "@vault-tuner/shared";

/** The longest text a listed call shows of any one value; the whole call is one `GET /v1/traces/:id` away. */
export const PREVIEW_CHARS = 2000;
/** The most items a listed array shows, and how deep a listed value goes. */
const PREVIEW_LIMITS = { chars: PREVIEW_CHARS, items: 50, depth: 16 };

/**
 * A trace as a list shows it: long texts, long arrays and deep values cut, each cut said in place, and
 * `cut: true` when anything was, so a page of 100 calls stays small whatever the calls carried.
 */
export function tracePreview(trace: StoredTrace): StoredTrace {
  const args = cutJson(trace.call.arguments, PREVIEW_LIMITS);
  const result = trace.result ? cutJson(trace.result, PREVIEW_LIMITS) : undefined;
  if (!args.cut && !result?.cut) return trace;
  return {
    ...trace,
    call: { ...trace.call, arguments: args.value },
    ...(result ? { result: result.value } : {}),
    cut: true,
  };
}
