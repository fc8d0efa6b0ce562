import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { makeTrace, startTestDaemon } from "../daemon-harness";
import { nestedObjectText } from "../nested-json";

const toolsList = { tools: [{ name: "contentManager", inputSchema: { type: "object" } }] };
const line = (record: unknown) => `${JSON.stringify(record)}\n`;

/** A spool as a tap leaves it, with a 4,150-deep call, a line that is no record and a torn last line. */
function writeSpool(dataDir: string): string {
  mkdirSync(join(dataDir, "spool"), { recursive: true });
  const file = join(dataDir, "spool", "run-a.jsonl");
  const deep = line({ kind: "trace", trace: makeTrace({ id: "deep", call: { name: "x", arguments: { d: "@" } } }) });
  writeFileSync(
    file,
    line({ kind: "toolset", toolsList }) +
      line({ kind: "trace", trace: makeTrace({ id: "before" }) }) +
      deep.replace('"@"', nestedObjectText(4_150)) +
      line({ hello: "world" }) +
      line({ kind: "trace", trace: makeTrace({ id: "after" }) }) +
      '{"kind":"trace","tra',
  );
  return file;
}

const quarantined = (dataDir: string) =>
  readFileSync(join(dataDir, "quarantine", "records.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((text) => JSON.parse(text));

describe("no single record keeps the daemon from starting", () => {
  it("imports a spool around the lines it cannot take, setting each aside with the reason", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vault-tuner-quarantine-"));
    const spool = writeSpool(dataDir);
    const daemon = await startTestDaemon({ dataDir });
    try {
      expect((await daemon.allTraces()).map((trace) => trace.id).sort()).toEqual(["after", "before"]);
      expect((await daemon.call("GET", "/v1/health", { auth: false })).body.quarantined).toBe(3);
      const records = quarantined(dataDir);
      expect(records.map((record) => [record.from, record.reason])).toEqual([
        ["spool/run-a.jsonl:3", expect.stringContaining("trace.call.arguments: nested deeper than 64 levels")],
        ["spool/run-a.jsonl:4", expect.stringContaining("not a spool record")],
        ["spool/run-a.jsonl:6", expect.stringContaining("not JSON")],
      ]);
      expect(records[0].record.length).toBeGreaterThan(4_150 * 5);
      expect(existsSync(spool), "an imported spool is removed").toBe(false);
    } finally {
      await daemon.stop();
    }
  });

  it("keeps the spool file when a line can be neither imported nor set aside", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vault-tuner-quarantine-"));
    const spool = writeSpool(dataDir);
    // The quarantine's file is a folder: nothing can be appended to it.
    mkdirSync(join(dataDir, "quarantine", "records.jsonl"), { recursive: true });
    const daemon = await startTestDaemon({ dataDir });
    try {
      expect((await daemon.allTraces()).map((trace) => trace.id).sort()).toEqual(["after", "before"]);
      expect(existsSync(spool), "the lines not set aside stay in their spool").toBe(true);
    } finally {
      await daemon.stop();
    }
  });

  it("sets aside a stored row that cannot be read back, with its labels, and serves the rest", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vault-tuner-quarantine-"));
    let daemon = await startTestDaemon({ dataDir });
    await daemon.call("POST", "/v1/traces", {
      body: { traces: [makeTrace({ id: "fine" }), makeTrace({ id: "bad" })] },
    });
    await daemon.call("PUT", "/v1/traces/bad/label", { body: { label: "desirable" } });
    await daemon.stop();
    // What a daemon without the depth limit stored: a call nested 4,107 deep.
    const db = new Database(join(dataDir, "vault-tuner.sqlite"));
    db.prepare("UPDATE traces SET body = ? WHERE id = 'bad'").run(nestedObjectText(4_107));
    db.close();

    daemon = await startTestDaemon({ dataDir });
    try {
      expect((await daemon.call("GET", "/v1/traces/bad")).status).toBe(404);
      expect((await daemon.allTraces()).map((trace) => trace.id)).toEqual(["fine"]);
      expect((await daemon.call("GET", "/v1/health", { auth: false })).body.quarantined).toBe(1);
      const [record] = quarantined(dataDir);
      expect(record.from).toBe("traces/bad");
      expect(record.record.row.label).toBe("desirable");
      expect(record.record.history).toHaveLength(1);
    } finally {
      await daemon.stop();
    }
  });
});

describe("a write the store cannot read back", () => {
  it("is not acknowledged: the batch is refused whole, saying the store may be damaged", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vault-tuner-readback-"));
    let daemon = await startTestDaemon({ dataDir });
    await daemon.stop();
    // A store that does not give back what it was given: here a trigger left in the file rewrites
    // one call's row as it is stored.
    const db = new Database(join(dataDir, "vault-tuner.sqlite"));
    db.exec(`CREATE TRIGGER garble AFTER INSERT ON traces WHEN NEW.id = 'garbled'
             BEGIN UPDATE traces SET body = '{}' WHERE id = NEW.id; END`);
    db.close();
    daemon = await startTestDaemon({ dataDir });
    try {
      const reply = await daemon.call("POST", "/v1/traces", {
        body: { traces: [makeTrace({ id: "fine" }), makeTrace({ id: "garbled" })] },
      });
      expect(reply.status).toBe(500);
      expect(reply.body.error.code).toBe("store-damaged");
      expect(await daemon.allTraces(), "nothing of the refused batch is kept").toEqual([]);
      expect((await daemon.call("POST", "/v1/traces", { body: { traces: [makeTrace({ id: "fine" })] } })).status).toBe(
        201,
      );
    } finally {
      await daemon.stop();
    }
  });
});
