import { describe, expect, it } from "vitest";
import { formatDuration } from "@vault-tuner/shared";
import { statusText } from "../src/status/status-text";

describe("the status bar", () => {
  it("says whether the daemon is there, what runs, how far along, and what waits", () => {
    expect(statusText({ connected: true, waiting: 0 })).toBe("Vault Tuner");
    expect(statusText({ connected: false, waiting: 2 })).toBe("Vault Tuner: daemon offline · 2 labels waiting");
    expect(
      statusText({
        connected: true,
        waiting: 1,
        job: { kind: "train", progress: { step: 12, total: 400, etaS: 360 } },
      }),
    ).toBe("Vault Tuner · train 12/400, about 6 min left · 1 label waiting");
    expect(statusText({ connected: true, waiting: 0, job: { kind: "eval", progress: null } })).toBe(
      "Vault Tuner · eval",
    );
    expect(statusText({ connected: true, waiting: 0, quarantined: 3 })).toBe("Vault Tuner · 3 records set aside");
  });

  it("rounds durations the way people say them", () => {
    expect([formatDuration(42), formatDuration(600), formatDuration(9000)]).toEqual(["42 s", "10 min", "2.5 h"]);
  });
});
