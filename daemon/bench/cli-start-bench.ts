/**
 * `npm run bench:cli`: how long `npx vault-tuner` takes, as a user waits for it: `--help`, and
 * `validate --json` of a generated 43,000-record file, each timed from process start to exit through
 * the bin, with the JavaScript build (what `npm ci` leaves) and with the sources compiled by tsx (what
 * runs while the build is stale). Prints the best of BENCH_RUNS tries (5).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateDataset } from "./generate-dataset";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const RECORDS = 43_000;
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "daemon", "bin", "vault-tuner.mjs");

function best(args: string[], fromSources: boolean): number {
  let fastest = Number.POSITIVE_INFINITY;
  for (let run = 0; run < RUNS; run++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [BIN, ...args], {
      stdio: "ignore",
      env: { ...process.env, VAULT_TUNER_FROM_SOURCES: fromSources ? "1" : "0" },
    });
    if (result.status === null || result.status > 1)
      throw new Error(`vault-tuner ${args.join(" ")} exited ${result.status}`);
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - started) / 1e9);
  }
  return fastest;
}

const dir = mkdtempSync(join(tmpdir(), "vault-tuner-cli-bench-"));
try {
  if (spawnSync("npm", ["run", "build:cli"], { cwd: ROOT, stdio: "ignore" }).status !== 0)
    throw new Error("npm run build:cli failed");
  const file = join(dir, "records.jsonl");
  await generateDataset(file, RECORDS);
  console.log(
    `machine: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; best of ${RUNS}, process start to exit`,
  );
  console.log("| command | built JavaScript | sources through tsx |");
  console.log("|---|---|---|");
  const commands: [string, string[]][] = [
    ["`--help`", ["--help"]],
    [
      `\`validate --json\`, ${RECORDS.toLocaleString("en-US")} records (${(statSync(file).size / 2 ** 20).toFixed(1)} MiB)`,
      ["validate", file, "--json"],
    ],
  ];
  for (const [label, args] of commands)
    console.log(`| ${label} | ${best(args, false).toFixed(2)} s | ${best(args, true).toFixed(2)} s |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
