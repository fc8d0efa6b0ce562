import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startTestDaemon, type TestDaemon } from "../daemon-harness";
import { placeStarterDataset } from "../jobs/job-fixtures";

/** What a data dir holds after a build was cut off at each point of its folder swap. */
function cutOffBuilds(dataDir: string): void {
  const datasets = join(dataDir, "datasets");
  mkdirSync(join(datasets, "half.partial"), { recursive: true });
  writeFileSync(join(datasets, "half.partial", "train.jsonl"), "{}\n".repeat(1000));
  placeStarterDataset(dataDir, "swapped");
  placeStarterDataset(dataDir, "swapped.previous");
  placeStarterDataset(dataDir, "between.previous");
}

let daemon: TestDaemon | undefined;
afterAll(() => daemon?.stop());

describe("the dataset builder's work folders", () => {
  it("are put right when the daemon starts: unfinished builds removed, a cut-off swap undone", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vt-reserved-"));
    cutOffBuilds(dataDir);
    daemon = await startTestDaemon({ dataDir });
    expect(readdirSync(join(dataDir, "datasets")).sort()).toEqual(["between", "swapped"]);
    // Both are datasets again (their cards name the starter they were copied from).
    expect((await daemon.call("GET", "/v1/datasets")).body.items).toHaveLength(2);
    expect(existsSync(join(dataDir, "datasets", "between", "card.json"))).toBe(true);
  });

  it("are names no dataset may take, and no request may name a dataset, run or export outside its folder", async () => {
    const d = daemon as TestDaemon;
    for (const name of ["mine.partial", "mine.previous"]) {
      const reply = await d.call("POST", "/v1/datasets", { body: { name, sources: { traces: {} } } });
      expect(reply.status, name).toBe(400);
      expect(reply.body.error.issues[0]).toMatchObject({
        path: "name",
        message: expect.stringContaining("kept for the builder"),
      });
    }
    const recorded = await d.call("POST", "/v1/evals/sets/recorded", { body: { dataset: "../../outside/x" } });
    expect(recorded.status).toBe(400);
    expect(recorded.body.error.issues[0].path).toBe("dataset");
    for (const body of [
      { kind: "export", run: "../job_x" },
      { kind: "deploy", export: "/etc/passwd" },
      { kind: "train", dataset: "../starter" },
    ]) {
      const reply = await d.call("POST", "/v1/jobs", { body });
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error.issues[0].path, JSON.stringify(body)).toBe(Object.keys(body)[1]);
    }
  });
});
