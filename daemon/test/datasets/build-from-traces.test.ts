import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { builtinCatalog, wireTools } from "@vault-tuner/shared";
import { COPILOT_DATASET } from "../../../shared/test/reference-data";
import { makeTrace, startTestDaemon, type TestDaemon } from "../daemon-harness";
import { runCli } from "../run-cli";

let daemon: TestDaemon;
beforeAll(async () => {
  daemon = await startTestDaemon();
  // Two recorded sessions of three calls each; the user labels some of them.
  const traces = ["alpha", "beta"].flatMap((session) =>
    [0, 1, 2].map((step) =>
      makeTrace({ id: `${session}-${step}`, session, recordedAt: `2026-11-27T10:0${step}:00.000Z` }),
    ),
  );
  await daemon.call("POST", "/v1/traces", { body: { traces } });
  await daemon.call("PUT", "/v1/traces/alpha-0/label", { body: { label: "desirable" } });
  await daemon.call("PUT", "/v1/traces/alpha-2/label", {
    body: {
      label: "undesirable",
      note: "should have listed the folder",
      correction: {
        name: "vaultManager",
        arguments: { ...makeTrace().call.arguments, mode: "listDirectory", path: "Meetings" },
      },
    },
  });
  await daemon.call("PUT", "/v1/traces/beta-1/label", { body: { label: "desirable" } });
  await daemon.call("PUT", "/v1/traces/beta-2/label", { body: { label: "undesirable" } });
});
afterAll(async () => {
  await daemon.stop();
});

async function download(name: string, split = "train"): Promise<any[]> {
  const reply = await fetch(`${daemon.url}/v1/datasets/${name}/download?split=${split}`, {
    headers: { authorization: `Bearer ${daemon.token}` },
  });
  expect(reply.status).toBe(200);
  expect(reply.headers.get("content-type")).toContain("application/x-ndjson");
  return (await reply.text())
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe("POST /v1/datasets from labelled traces", () => {
  it("builds rows whose prompt is the session so far, adds the corrected call, and skips unlabeled traces", async () => {
    const built = new Promise<any>((resolve) => {
      const socket = new WebSocket(`${daemon.url.replace("http", "ws")}/v1/events?token=${daemon.token}`);
      socket.on("message", (data) => {
        const event = JSON.parse(String(data));
        if (event.type === "dataset.built") {
          socket.close();
          resolve(event);
        }
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const reply = await daemon.call("POST", "/v1/datasets", {
      body: { name: "mine", sources: { traces: {} }, holdout: 0, balance: "none" },
    });
    expect(reply.status).toBe(201);
    const card = reply.body;
    expect(card.counts).toMatchObject({ read: 6, unlabeled: 2, corrections: 1 });
    expect(card.counts.train).toMatchObject({ desirable: 3, undesirable: 2 });
    expect(await built).toMatchObject({ type: "dataset.built", name: "mine", train: 5, holdout: 0 });

    const rows = await download("mine");
    expect(rows).toHaveLength(5);
    const bySource = new Map(rows.map((row) => [row.source, row]));
    const bad = bySource.get("trace:alpha-2");
    const fixed = bySource.get("correction:alpha-2");
    expect(bad.label).toBe(false);
    expect(fixed.label).toBe(true);
    expect(fixed.prompt, "the correction answers the same conversation").toEqual(bad.prompt);
    expect(fixed.completion[0].tool_calls[0].function.name).toBe("vaultManager");
    expect(JSON.parse(fixed.completion[0].tool_calls[0].function.arguments).mode).toBe("listDirectory");
    // system, the goal as the user turn, then alpha-0 and alpha-1 with their results
    expect(bad.prompt.map((message: any) => message.role)).toEqual([
      "system",
      "user",
      "assistant",
      "tool",
      "assistant",
      "tool",
    ]);
    expect(bad.prompt[1].content).toBe("Summarise the standup");
    expect(bad.prompt[0].content).toContain("sessionId: session_1731000000000_abc123def");
    expect(bad.completion[0].tool_calls[0].id).toBe("call_3");
    expect(bySource.get("trace:alpha-0").prompt).toHaveLength(2);
    expect(bad.toolset).toBe("claudesidian-3/wire");

    const tools = (await (
      await fetch(`${daemon.url}/v1/datasets/mine`, { headers: { authorization: `Bearer ${daemon.token}` } })
    ).json()) as any;
    expect(tools.toolsets).toEqual(["claudesidian-3/wire"]);
  });

  it("lists datasets and serves their cards; 404 for unknown ones", async () => {
    const list = await daemon.call("GET", "/v1/datasets");
    expect(list.body.items.map((card: any) => card.name)).toContain("mine");
    expect((await daemon.call("GET", "/v1/datasets/mine")).body.name).toBe("mine");
    expect((await daemon.call("GET", "/v1/datasets/nothing")).status).toBe(404);
    expect((await daemon.call("GET", "/v1/datasets/nothing/download")).status).toBe(404);
    const card = await fetch(`${daemon.url}/v1/datasets/mine/download?split=card`, {
      headers: { authorization: `Bearer ${daemon.token}` },
    });
    expect(((await card.json()) as any).name).toBe("mine");
  });

  it("answers 409 for an existing name, and 400 naming the field for bad requests", async () => {
    expect(
      (await daemon.call("POST", "/v1/datasets", { body: { name: "mine", sources: { traces: {} } } })).status,
    ).toBe(409);
    const cases: [unknown, string][] = [
      [{ name: "../escape", sources: { traces: {} } }, "name"],
      [{ name: "x", sources: {} }, "sources"],
      [{ name: "x", sources: { traces: {} }, holdout: 0.9 }, "holdout"],
      [{ name: "x", sources: { traces: {} }, format: "parquet" }, "format"],
      [{ name: "x", sources: { files: ["/etc/passwd"] } }, "sources.files.0"],
      [{ name: "x", sources: { files: ["ok.jsonl", "../../../../etc/passwd"] } }, "sources.files.1"],
      [{ name: "x", sources: { traces: {} }, catalog: "claudesidian-9" }, "catalog"],
      [{ name: "x", sources: { traces: {} }, shuffle: true }, ""],
    ];
    mkdirSync(join(daemon.dataDir, "imports"), { recursive: true });
    writeFileSync(join(daemon.dataDir, "ok.jsonl"), "");
    for (const [body, path] of cases) {
      const reply = await daemon.call("POST", "/v1/datasets", { body });
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(
        reply.body.error.issues.map((issue: any) => issue.path),
        JSON.stringify(body),
      ).toContain(path);
    }
  });

  it("keeps recording while a large dataset builds on its own thread, and reports the build's steps", async () => {
    const copilot = readFileSync(COPILOT_DATASET, "utf8");
    writeFileSync(join(daemon.dataDir, "imports", "big.jsonl"), copilot.repeat(6));
    const steps: string[] = [];
    const socket = new WebSocket(`${daemon.url.replace("http", "ws")}/v1/events?token=${daemon.token}`);
    socket.on("message", (data) => {
      const event = JSON.parse(String(data));
      if (event.type === "dataset.progress" && event.name === "big") steps.push(event.step);
    });
    await new Promise((resolve) => socket.once("message", resolve));
    let buildDone = false;
    const build = daemon
      .call("POST", "/v1/datasets", {
        body: { name: "big", sources: { files: ["imports/big.jsonl"] }, profile: "strict" },
      })
      .then((reply) => {
        buildDone = true;
        return reply;
      });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await daemon.call("POST", "/v1/datasets", {
      body: { name: "big", sources: { files: ["imports/big.jsonl"] } },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("dataset-building");
    const posted = await daemon.call("POST", "/v1/traces", { body: { traces: [makeTrace({ id: "during-build" })] } });
    expect(posted.status).toBe(201);
    expect(buildDone, "the trace was acknowledged before the build ended").toBe(false);
    const reply = await build;
    socket.close();
    expect(reply.status).toBe(201);
    expect(reply.body.counts.read).toBe(6 * 1438);
    expect(steps.some((step) => step.startsWith("validating"))).toBe(true);
  });

  it("reads files from the data dir by relative path", async () => {
    const line = JSON.stringify({
      conversations: [
        { role: "user", content: "List my meetings folder" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              type: "function",
              function: {
                name: "vaultManager",
                arguments: JSON.stringify({ ...makeTrace().call.arguments, mode: "listDirectory", path: "Meetings" }),
              },
            },
          ],
        },
      ],
      label: true,
    });
    writeFileSync(join(daemon.dataDir, "imports", "mine.jsonl"), `${line}\n`);
    const reply = await daemon.call("POST", "/v1/datasets", {
      body: { name: "from-file", sources: { files: ["imports/mine.jsonl"] }, holdout: 0, profile: "recorded" },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.sources.files[0].path).toBe("imports/mine.jsonl");
    expect(reply.body.counts.train.desirable).toBe(1);
  });

  it("names every labelled call it dropped, with the rule, in the card, dropped.jsonl and the CLI summary", async () => {
    const { context: _context, ...withoutContext } = makeTrace().call.arguments as Record<string, unknown>;
    const broken = [0, 1].map((step) =>
      makeTrace({
        id: `broken-${step}`,
        session: "broken",
        call: { name: "contentManager", arguments: { ...withoutContext, filePath: `Notes/${step}.md` } },
      }),
    );
    expect(
      (
        await daemon.call("POST", "/v1/traces", {
          body: { traces: [...broken, makeTrace({ id: "broken-ok", session: "broken" })] },
        })
      ).status,
    ).toBe(201);
    for (const id of ["broken-0", "broken-1", "broken-ok"])
      expect((await daemon.call("PUT", `/v1/traces/${id}/label`, { body: { label: "desirable" } })).status).toBe(200);
    const reply = await daemon.call("POST", "/v1/datasets", {
      body: { name: "broken", sources: { traces: { session: "broken" } }, holdout: 0, balance: "none" },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.counts.train.desirable).toBe(1);
    expect(reply.body.dropped.traces).toEqual(["broken-0", "broken-1"]);
    expect(reply.body.dropped.examples.map((drop: any) => drop.source)).toEqual(["trace:broken-0", "trace:broken-1"]);
    const dropped = await download("broken", "dropped");
    expect(dropped).toEqual(
      [0, 1].map((step) => ({
        source: `trace:broken-${step}`,
        rule: reply.body.dropped.examples[step].rule,
        message: expect.stringContaining("context"),
      })),
    );
    expect(readFileSync(join(daemon.dataDir, "datasets", "broken", "card.md"), "utf8")).toContain(
      "## Your labelled calls that were dropped (2)\n\n`broken-0`, `broken-1`",
    );

    // The CLI names them too, and says where each one's rule is.
    const cli = await runCli(["dataset", "build", "--name", "broken-cli", "--traces", "--data-dir", daemon.dataDir]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/^ {2}dropped 2 invalid desirable, .*; each in .*\/broken-cli\/dropped\.jsonl\)$/m);
    expect(cli.stdout).toContain("  of them your labelled calls: 2 (broken-0, broken-1)");
  });

  it("uses a call the recorder had to cut only through its correction: its markers are no example", async () => {
    const cut = [0, 1].map((step) =>
      makeTrace({ id: `cut-${step}`, session: "cut", recordedAt: `2026-11-27T11:0${step}:00.000Z`, truncated: true }),
    );
    await daemon.call("POST", "/v1/traces", { body: { traces: cut } });
    await daemon.call("PUT", "/v1/traces/cut-0/label", { body: { label: "desirable" } });
    const corrected = { ...makeTrace().call.arguments, filePath: "Meetings/standup.md" };
    await daemon.call("PUT", "/v1/traces/cut-1/label", {
      body: { label: "undesirable", correction: { arguments: corrected } },
    });
    const reply = await daemon.call("POST", "/v1/datasets", {
      body: { name: "cut", sources: { traces: { session: "cut" } }, holdout: 0, balance: "none" },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.counts.train).toMatchObject({ desirable: 1, undesirable: 0 });
    expect(reply.body.dropped.examples).toEqual(
      ["cut-0", "cut-1"].map((id) => ({ source: `trace:${id}`, rule: "call-truncated", message: expect.any(String) })),
    );
    const [row] = await download("cut");
    expect(JSON.stringify(row.completion)).toContain("Meetings/standup.md");
  });

  it("counts wire calls under their flat tools in the card, also when the session recorded its own tools/list", async () => {
    const listed = await daemon.call("POST", "/v1/toolsets", {
      body: {
        tools: wireTools(builtinCatalog("claudesidian-3")!).map(({ name, description, inputSchema }) => ({
          name,
          description,
          inputSchema,
        })),
      },
    });
    expect(listed.status).toBe(201);
    const base = makeTrace().call.arguments;
    const calls = [
      { mode: "readContent", filePath: "Meetings/standup.md" },
      { mode: "listDirectory", path: "Meetings" },
      { mode: "createFolder", path: "Archive" },
    ];
    const traces = calls.map((call, step) =>
      makeTrace({
        id: `wired-${step}`,
        session: "wired",
        toolsetHash: listed.body.hash,
        call: {
          name: call.mode === "readContent" ? "contentManager" : "vaultManager",
          arguments: { ...base, filePath: undefined, ...call },
        },
      }),
    );
    expect((await daemon.call("POST", "/v1/traces", { body: { traces } })).status).toBe(201);
    for (const trace of traces)
      expect((await daemon.call("PUT", `/v1/traces/${trace.id}/label`, { body: { label: "desirable" } })).status).toBe(
        200,
      );
    const reply = await daemon.call("POST", "/v1/datasets", {
      body: { name: "wired", sources: { traces: { session: "wired" } }, holdout: 0, balance: "none" },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.counts.train.desirable).toBe(3);
    expect(reply.body.toolsets).toEqual([`toolset-${listed.body.hash}`]);
    expect(reply.body.coverage).toMatchObject({
      tools: { contentManager_readContent: 1, vaultManager_listDirectory: 1, vaultManager_createFolder: 1 },
      catalogTools: 47,
      covered: 3,
    });
  });
});
