/**
 * `npm run bench:validate`: generates synthetic datasets of 10,000 and 100,000 records and validates each
 * in its own process through the CLI path (`validate --json`), printing records/s and peak memory. Equal
 * peaks for both sizes show that memory does not grow with the file.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateDataset } from "./generate-dataset";

const SIZES = (process.env.BENCH_SIZES ?? "10000,100000").split(",").map(Number);
const dir = mkdtempSync(join(tmpdir(), "vault-tuner-bench-"));
const runner = fileURLToPath(new URL("./validate-run.ts", import.meta.url));

console.log(
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
);
try {
  for (const size of SIZES) {
    const file = join(dir, `bench-${size}.jsonl`);
    process.stdout.write(`generating ${size} records... `);
    await generateDataset(file, size);
    const mib = statSync(file).size / 2 ** 20;
    console.log(`${mib.toFixed(1)} MiB`);
    const result = JSON.parse(
      execFileSync(process.execPath, ["--import", "tsx", runner, file], { encoding: "utf8" }),
    ) as {
      seconds: number;
      maxRssMiB: number;
      outputBytes: number;
    };
    console.log(
      `validate ${size} records: ${result.seconds.toFixed(2)} s, ${Math.round(size / result.seconds).toLocaleString("en-US")} records/s, ` +
        `${(mib / result.seconds).toFixed(1)} MiB/s, peak RSS ${result.maxRssMiB.toFixed(0)} MiB, JSON report ${(result.outputBytes / 2 ** 20).toFixed(1)} MiB`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
