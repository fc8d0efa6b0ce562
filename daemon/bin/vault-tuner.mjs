#!/usr/bin/env node
// Entry point for `npx vault-tuner`: the JavaScript build in dist/ (`npm ci` makes it, see
// scripts/build-cli.mjs), or, when a source is newer than that build or there is none, the TypeScript
// sources compiled on load by tsx. Either way the command works straight after `npm ci`.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const DAEMON = fileURLToPath(new URL("..", import.meta.url)).replace(/[\\/]$/, "");
/** What the build is made of: a change under any of these makes it stale. */
const SOURCES = [join(DAEMON, "src"), join(DAEMON, "..", "shared", "src"), join(DAEMON, "..", "shared", "catalogs")];

function newestChange(folder) {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest;
}

function freshBuild() {
  try {
    const build = JSON.parse(readFileSync(join(DAEMON, "dist", "build.json"), "utf8"));
    return build.root === DAEMON && SOURCES.every((folder) => newestChange(folder) <= build.builtAt);
  } catch {
    return false;
  }
}

let main;
// VAULT_TUNER_FROM_SOURCES=1 runs the sources even beside a fresh build (to compare, or to debug).
if (process.env.VAULT_TUNER_FROM_SOURCES !== "1" && freshBuild()) ({ main } = await import("../dist/cli.js"));
else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../src/cli/main.ts"));
}
process.exitCode = await main(process.argv.slice(2));
