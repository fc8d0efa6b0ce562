// One measured run of `vault-tuner validate FILE --json` in a fresh process, so its peak memory is its own.
import { main } from "../src/cli/main";

const file = process.argv[2] as string;
let outputBytes = 0;
const started = process.hrtime.bigint();
const code = await main(["validate", file, "--json"], {
  out: (text) => void (outputBytes += text.length),
  err: (text) => process.stderr.write(text),
});
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(
  `${JSON.stringify({ code, seconds, outputBytes, maxRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
