/** A date as the views list it: "Nov 28, 10:04 AM" in the user's locale; the raw text if it is not a date. */
export function shortTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** An error as the user reads it (a DaemonError carries the daemon's own words as its message). */
export { describeError } from "@vault-tuner/shared";
