import type { StoredTrace } from "@vault-tuner/shared";

/** The longest text a listed call shows of any one value; the whole call is one `GET /v1/traces/:id` away. */
export const PREVIEW_CHARS = 2000;
/** The most items a listed array shows, and how deep a listed value goes. */
const PREVIEW_ITEMS = 50;
const PREVIEW_DEPTH = 16;

/**
 * A trace as a list shows it: long texts, long arrays and deep values cut, each cut said in place, and
 * `cut: true` when anything was, so a page of 100 calls stays small whatever the calls carried.
 */
export function tracePreview(trace: StoredTrace): StoredTrace {
  let cut = false;
  const shorten = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") {
      if (value.length <= PREVIEW_CHARS) return value;
      cut = true;
      return `${value.slice(0, PREVIEW_CHARS)}… [${value.length - PREVIEW_CHARS} more characters]`;
    }
    if (value === null || typeof value !== "object") return value;
    if (depth >= PREVIEW_DEPTH) {
      cut = true;
      return "[nested deeper: open the call]";
    }
    if (Array.isArray(value)) {
      const shown = value.slice(0, PREVIEW_ITEMS).map((item) => shorten(item, depth + 1));
      if (value.length > PREVIEW_ITEMS) {
        cut = true;
        shown.push(`[${value.length - PREVIEW_ITEMS} more items]`);
      }
      return shown;
    }
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, shorten(item, depth + 1)]));
  };
  const call = { ...trace.call, arguments: shorten(trace.call.arguments, 0) as StoredTrace["call"]["arguments"] };
  const result = trace.result ? (shorten(trace.result, 0) as StoredTrace["result"]) : trace.result;
  return cut ? { ...trace, call, ...(result ? { result } : {}), cut: true } : trace;
}
