import type { LabelValue, StoredTrace } from "@vault-tuner/shared";

/** What a key press in the review view asks for; the view carries it out. */
export type ReviewAction =
  | { do: "select"; index: number }
  | { do: "label"; traceId: string; label: Exclude<LabelValue, "unlabeled"> }
  | { do: "note"; traceId: string }
  | { do: "correct"; traceId: string }
  | { do: "nothing" };

/** The keys of the review view, shown in its help line. */
export const REVIEW_KEYS = {
  j: "next call",
  k: "previous call",
  u: "thumbs up",
  d: "thumbs down",
  n: "add a note",
  e: "correct the call",
} as const;

/**
 * The review list: recorded calls newest first, the selected one, and live updates. Pure, so the view
 * stays a thin shell over it and the logic is tested without Obsidian.
 */
export class ReviewState {
  private calls: StoredTrace[] = [];
  private selected = 0;

  get items(): readonly StoredTrace[] {
    return this.calls;
  }

  get selectedIndex(): number {
    return this.calls.length === 0 ? -1 : this.selected;
  }

  get current(): StoredTrace | undefined {
    return this.calls[this.selected];
  }

  /** A fresh page from the daemon (newest first): keeps the selection on the same call when it is still there. */
  replace(calls: StoredTrace[]): void {
    const keep = this.current?.id;
    this.calls = [...calls];
    const at = keep ? this.calls.findIndex((call) => call.id === keep) : -1;
    this.selected = Math.max(at, 0);
  }

  /** Older calls loaded below the list. */
  append(calls: StoredTrace[]): void {
    const known = new Set(this.calls.map((call) => call.id));
    this.calls.push(...calls.filter((call) => !known.has(call.id)));
  }

  /** Calls just recorded (a live event): on top, and the selection stays on the call it was on. */
  prepend(calls: StoredTrace[]): void {
    const known = new Set(this.calls.map((call) => call.id));
    const fresh = calls.filter((call) => !known.has(call.id)).sort((a, b) => b.recordedAt.localeCompare(a.recordedAt));
    if (fresh.length === 0) return;
    this.calls = [...fresh, ...this.calls];
    if (this.calls.length > fresh.length) this.selected += fresh.length;
  }

  /** A label set here or elsewhere (another device, the CLI): the list shows it. */
  setLabel(traceId: string, label: LabelValue): void {
    this.calls = this.calls.map((call) => (call.id === traceId ? { ...call, label } : call));
  }

  /** What a key means for the selected call; `nothing` for keys the view does not use. */
  key(key: string): ReviewAction {
    const current = this.current;
    switch (key) {
      case "j":
      case "ArrowDown":
        return this.select(this.selected + 1);
      case "k":
      case "ArrowUp":
        return this.select(this.selected - 1);
    }
    if (!current) return { do: "nothing" };
    if (key === "u") return { do: "label", traceId: current.id, label: "desirable" };
    if (key === "d") return { do: "label", traceId: current.id, label: "undesirable" };
    if (key === "n") return { do: "note", traceId: current.id };
    if (key === "e") return { do: "correct", traceId: current.id };
    return { do: "nothing" };
  }

  select(index: number): ReviewAction {
    if (this.calls.length === 0) return { do: "nothing" };
    this.selected = Math.max(0, Math.min(this.calls.length - 1, index));
    return { do: "select", index: this.selected };
  }

  /** The traces of one session in the list, for labelling a whole session at once. */
  sessionOf(traceId: string): StoredTrace[] {
    const session = this.calls.find((call) => call.id === traceId)?.session;
    return session === undefined ? [] : this.calls.filter((call) => call.session === session);
  }
}
