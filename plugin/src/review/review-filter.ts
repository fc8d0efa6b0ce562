import type { LabelValue } from "@vault-tuner/shared";

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
export function traceQuery(filter: ReviewFilter, limit: number, cursor?: string): string {
  const params = new URLSearchParams();
  if (filter.label) params.set("label", filter.label);
  if (filter.failedOnly) params.set("failed", "true");
  for (const [name, value] of [
    ["tool", filter.tool],
    ["session", filter.session],
    ["q", filter.search],
  ] as const) {
    if (value.trim()) params.set(name, value.trim());
  }
  params.set("limit", String(limit));
  if (cursor) params.set("cursor", cursor);
  return `/v1/traces?${params.toString()}`;
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
