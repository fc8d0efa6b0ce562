/**
 * How deeply a JSON value that enters the daemon may nest: a call's arguments, a result's content, a
 * tool's input schema, a correction. Real tool calls nest a handful of levels; the limit keeps every
 * recursive step over stored JSON (serialising, hashing, previews, the trainer's templates) far from
 * the end of the stack, whatever a client sends.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * How deeply `value` nests: 0 for a scalar, 1 for a flat object or array. Iterative, so a value of any
 * depth is measured without touching the stack; counting stops once it passes `stopAt`.
 */
export function jsonDepth(value: unknown, stopAt = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== "object") continue;
    deepest = Math.max(deepest, depth);
    if (deepest > stopAt) return deepest;
    for (const child of Object.values(item))
      if (child !== null && typeof child === "object") pending.push([child, depth + 1]);
  }
  return deepest;
}

/** What `cutJson` keeps of a value: the longest text, the most items of an array, the deepest nesting. */
export interface JsonCutLimits {
  chars: number;
  items: number;
  depth: number;
}

/**
 * A copy of `value` with texts longer than `limits.chars`, arrays longer than `limits.items` and
 * values nested deeper than `limits.depth` cut, each cut said in place, and whether anything was.
 * The recursion ends at `limits.depth`, so a hostile value cannot exhaust the stack here either.
 */
export function cutJson<T>(value: T, limits: JsonCutLimits): { value: T; cut: boolean } {
  let cut = false;
  const shorten = (item: unknown, depth: number): unknown => {
    if (typeof item === "string") {
      if (item.length <= limits.chars) return item;
      cut = true;
      return `${item.slice(0, limits.chars)}… [${item.length - limits.chars} more characters]`;
    }
    if (item === null || typeof item !== "object") return item;
    if (depth > limits.depth) {
      cut = true;
      return `[nested deeper than ${limits.depth} levels]`;
    }
    if (Array.isArray(item)) {
      const shown = item.slice(0, limits.items).map((entry) => shorten(entry, depth + 1));
      if (item.length > limits.items) {
        cut = true;
        shown.push(`[${item.length - limits.items} more items]`);
      }
      return shown;
    }
    return Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, shorten(entry, depth + 1)]));
  };
  const shortened = shorten(value, 1) as T;
  return { value: cut ? shortened : value, cut };
}
