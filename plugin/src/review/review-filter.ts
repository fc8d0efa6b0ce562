import type { LabelValue, TraceListQuery } from "@vault-tuner/shared";

/** What the review view's filter bar holds; empty fields mean "any". */
export interface ReviewFilter {
  label: LabelValue | "";
  failedOnly: boolean;
  tool: string;
  session: string;
  search: string;
}

export const EMPTY_FILTER: Readonly<ReviewFilter> = Object.freeze({
  label: "unlabeled",
  failedOnly: false,
  tool: "",
  session: "",
  search: "",
});

/** The `GET /v1/traces` query for a filter: only the fields set, trimmed, and a page size. */
export function traceQuery(filter: ReviewFilter, limit: number, cursor?: string): TraceListQuery {
  const text = (value: string) => value.trim() || undefined;
  const query: Partial<TraceListQuery> = {
    label: filter.label || undefined,
    failed: filter.failedOnly || undefined,
    tool: text(filter.tool),
    session: text(filter.session),
    q: text(filter.search),
    limit,
    cursor,
  };
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined)) as TraceListQuery;
}

/** The words above the list: how many calls are shown and which filters narrow them. */
export function filterSummary(filter: ReviewFilter, shown: number, more: boolean): string {
  const narrowed = [
    filter.label
      ? filter.label === "unlabeled"
        ? "unlabelled"
        : filter.label === "desirable"
          ? "marked good"
          : "marked bad"
      : "",
    filter.failedOnly ? "failed" : "",
    filter.tool.trim() ? `tool ${filter.tool.trim()}` : "",
    filter.session.trim() ? `session ${filter.session.trim()}` : "",
    filter.search.trim() ? `containing "${filter.search.trim()}"` : "",
  ].filter(Boolean);
  const count = `${shown}${more ? "+" : ""} call${shown === 1 && !more ? "" : "s"}`;
  return narrowed.length === 0 ? count : `${count}: ${narrowed.join(", ")}`;
}
