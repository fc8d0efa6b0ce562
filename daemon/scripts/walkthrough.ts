/**
 * `npm run walkthrough [-- --work DIR]`: the README's first hour, end to end, on this machine, from a clean
 * data dir, through the same commands a newcomer types: start the daemon, record an MCP client's tool calls
 * through the tap, label them (what the plugin's review view does, over the daemon's API), build a
 * dataset, train the smoke model, export, deploy, evaluate, compare. Each command is printed before it
 * runs; the first that fails stops the walk with its output.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { execa } from "execa";
import { ensurePythonEnv, PYTHON_DIR } from "../src/train/python-env";

const ROOT = resolve(PYTHON_DIR, "..");
const BIN = join(ROOT, "daemon", "bin", "vault-tuner.mjs");
const { values } = parseArgs({ options: { work: { type: "string" } } });
const work = resolve(values.work ?? mkdtempSync(join(tmpdir(), "vault-tuner-walkthrough-")));
const data = join(work, "data");
const started = Date.now();
const say = (line: string) => console.log(`\n[${((Date.now() - started) / 1000).toFixed(0)} s] ${line}`);

/** Runs `npx vault-tuner ARGS` as a newcomer would, showing the command and what it printed. */
async function vaultTuner(args: string[]): Promise<string> {
  console.log(`$ npx vault-tuner ${args.join(" ")}`);
  const result = await execa(process.execPath, [BIN, ...args], { all: true, reject: false });
  console.log(result.all?.replace(/^/gm, "  ") ?? "");
  // eval run exits 2 when cases fail: a scored run is what this walk needs, not a perfect model.
  if (result.exitCode !== 0 && !(args[0] === "eval" && args[1] === "run" && result.exitCode === 2))
    throw new Error(`npx vault-tuner ${args.join(" ")} exited ${result.exitCode}`);
  return result.stdout;
}

const idAfter = (text: string, pattern: RegExp) => {
  const id = pattern.exec(text)?.[1];
  if (!id) throw new Error(`no ${pattern} in:\n${text}`);
  return id;
};

// 1. The daemon, on a port of its own choosing: the data dir says where it listens.
say("1. Start the daemon (here on any free port; the CLI finds it through the data dir)");
console.log(`$ npx vault-tuner daemon --port 0 --data-dir ${data}`);
// Stopping finishes what is in flight and unloads the served model: give it time before any SIGKILL.
const daemon = execa(process.execPath, [BIN, "daemon", "--port", "0", "--data-dir", data], {
  all: true,
  forceKillAfterDelay: 60_000,
});
const daemonUrl = await new Promise<string>((resolveUrl, reject) => {
  daemon.all?.on("data", (chunk: Buffer) => {
    const url = /listening on (http:\/\/\S+)/.exec(String(chunk))?.[1];
    if (url) resolveUrl(url);
  });
  daemon.catch(reject);
});
console.log(`  listening on ${daemonUrl}`);
const where = ["--data-dir", data];
const token = () => readFileSync(join(data, "token"), "utf8").trim();
const api = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${daemonUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token()}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response.json() as Promise<any>;
};

try {
  // 2. Record: the client's config gets the tap in front of the vault's server; a session makes calls.
  say("2. Record a session's tool calls: the MCP client's config starts the tap in front of the vault's server");
  const vault = join(work, "My Notes");
  mkdirSync(join(vault, "Meetings"), { recursive: true });
  writeFileSync(join(vault, "Meetings", "standup.md"), "# Standup\n- ship the exporter\n");
  writeFileSync(join(vault, "Ideas.md"), "# Ideas\n");
  const config = join(work, "claude_desktop_config.json");
  writeFileSync(
    config,
    `${JSON.stringify({ mcpServers: { "claudesidian-mcp-my-notes": { command: process.execPath, args: [BIN, "vault-server", "--vault", vault] } } }, null, 2)}\n`,
  );
  await vaultTuner(["recorder", "install", "--vault", vault, "--config", config, ...where]);
  const entry = JSON.parse(readFileSync(config, "utf8")).mcpServers["claudesidian-mcp-my-notes"] as {
    command: string;
    args: string[];
  };
  console.log(`  the client now starts: ${entry.command} ${entry.args.join(" ")}`);
  const client = new Client({ name: "claude-ai", version: "1.0" });
  await client.connect(new StdioClientTransport({ command: entry.command, args: entry.args, stderr: "ignore" }));
  const tools = await client.listTools();
  console.log(`  tools/list: ${tools.tools.map((tool) => tool.name).join(", ")}`);
  const context = {
    sessionId: "session_1764547200000_walkthru1",
    workspaceId: "default",
    sessionDescription: "Reviewing meeting notes",
    sessionMemory: "The user keeps meetings in Meetings/.",
    toolContext: "Looking at the standup",
    primaryGoal: "Summarise the standup",
    subgoal: "Read the note",
  };
  const calls: { name: string; arguments: Record<string, unknown>; good: boolean }[] = [
    { name: "vaultManager", arguments: { mode: "listDirectory", context, path: "Meetings" }, good: true },
    {
      name: "contentManager",
      arguments: { mode: "readContent", context, filePath: "Meetings/standup.md" },
      good: true,
    },
    {
      name: "contentManager",
      arguments: { mode: "readContent", context, filePath: "Meeting/standup.md" },
      good: false,
    },
    {
      name: "contentManager",
      arguments: {
        mode: "createContent",
        context,
        filePath: "Meetings/summary.md",
        content: "# Summary\n- ship the exporter\n",
      },
      good: true,
    },
    { name: "vaultManager", arguments: { mode: "listDirectory", context, path: "Projects" }, good: false },
    { name: "contentManager", arguments: { mode: "readContent", context, filePath: "Ideas.md" }, good: true },
  ];
  for (const call of calls) {
    const result = await client.callTool({ name: call.name, arguments: call.arguments });
    console.log(`  ${call.name} ${call.arguments.mode} -> ${result.isError ? "error" : "ok"}`);
  }
  await client.close();
  let traces: any[] = [];
  for (let wait = 0; wait < 100 && traces.length < calls.length; wait++) {
    traces = (await api("GET", "/v1/traces?limit=50")).items;
    if (traces.length < calls.length) await new Promise((done) => setTimeout(done, 100));
  }
  console.log(`  the daemon has ${traces.length} recorded calls`);

  // 3. Label: what the plugin's review view does with a click on thumbs-up or thumbs-down.
  say("3. Label each call good or bad (the plugin's review view; here its API: PUT /v1/traces/:id/label)");
  const ordered = [...traces].sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
  for (const [index, trace] of ordered.entries()) {
    const label = calls[index]?.good ? "desirable" : "undesirable";
    await api("PUT", `/v1/traces/${trace.id}/label`, { label });
    console.log(
      `  ${trace.call.name} ${trace.call.arguments.mode} ${JSON.stringify(trace.call.arguments.filePath ?? trace.call.arguments.path)}: ${label}`,
    );
  }

  // 4. Dataset.
  say("4. Build a dataset from the labelled calls");
  await vaultTuner(["dataset", "build", "--name", "walkthrough", "--traces", "--holdout", "0", ...where]);

  // 5. Train the smoke model (a tiny random model made here; a real run names an imported base instead).
  say("5. Train: the smoke model (python/tests/tiny_model.py) on the CPU, a few steps");
  const { python } = await ensurePythonEnv({ onProgress: (line) => console.log(`  ${line}`) });
  const smoke = join(work, "smoke-model");
  console.log(`$ python python/tests/tiny_model.py --dataset datasets/starter-claudesidian-3 --out ${smoke}`);
  await execa(python, [
    join(PYTHON_DIR, "tests", "tiny_model.py"),
    "--dataset",
    join(ROOT, "datasets", "starter-claudesidian-3"),
    "--out",
    smoke,
  ]);
  const trained = await vaultTuner([
    "train",
    "--dataset",
    "walkthrough",
    "--recipe",
    "tiny",
    "--model",
    smoke,
    "--max-steps",
    "4",
    "--device",
    "cpu",
    ...where,
  ]);
  const trainJob = idAfter(trained, /next: npx vault-tuner export --job (\S+)/);

  // 6. Export (with the quantization check), deploy what the check chose.
  say("6. Export to GGUF (each quantization checked against the 16-bit file), then deploy what the check chose");
  const exported = await vaultTuner(["export", "--job", trainJob, "--quant", "q8_0", "--check-rows", "2", ...where]);
  const exportJob = idAfter(exported, /next: npx vault-tuner deploy --export (\S+)/);
  const deployed = await vaultTuner(["deploy", "--export", exportJob, ...where]);
  const servedFile = idAfter(deployed, /next: npx vault-tuner eval run .* --model (\S+)/);

  // 7. Evaluate the deployed file and the other one, and compare them case by case.
  say("7. Evaluate the deployed model and compare it with the export's other file");
  const job = (await api("GET", `/v1/jobs/${exportJob}`)) as { artefacts: Record<string, string> };
  const other = [job.artefacts.q8_0, job.artefacts.f16].find((file) => file && file !== servedFile) as string;
  const reports: string[] = [];
  for (const [name, model] of [
    ["deployed", servedFile],
    ["other", other],
  ] as const) {
    const out = join(work, `eval-${name}.json`);
    await vaultTuner([
      "eval",
      "run",
      "--set",
      "irrelevance",
      "--cases",
      "irrelevance_thanks,irrelevance_haiku",
      "--backend",
      "embedded",
      "--model",
      model,
      "--max-tokens",
      "24",
      "--turn-limit",
      "1",
      "--out",
      out,
      ...where,
    ]);
    reports.push(out);
  }
  await vaultTuner(["eval", "compare", ...reports]);
  say(
    `Done: recorded, labelled, built, trained, exported, deployed, evaluated and compared, in ${((Date.now() - started) / 1000).toFixed(0)} s. Everything is in ${work}.`,
  );
} finally {
  say("8. Stop the daemon (Ctrl-C, or SIGTERM as here)");
  daemon.kill("SIGTERM");
  await daemon.catch(() => undefined);
}
