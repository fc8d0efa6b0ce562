// Builds the command line into daemon/dist/ as plain JavaScript, so `npx vault-tuner` starts without
// compiling TypeScript first. `npm ci` runs it (the root package's `prepare`); bin/vault-tuner.mjs uses
// the build only while no source is newer than it, and compiles the sources with tsx otherwise.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// An install without dev dependencies has no esbuild: the command then runs from its sources (tsx is a
// dependency of its own), a little slower to start, and the install goes on.
const esbuild = await import("esbuild").then(
  (module) => module.default,
  () => undefined,
);
if (!esbuild) {
  console.log("esbuild is not installed: vault-tuner runs from its TypeScript sources");
  process.exit(0);
}

const DAEMON = dirname(dirname(fileURLToPath(import.meta.url)));
const outFlag = process.argv.indexOf("--out");
// --out DIR builds elsewhere (the tests do, leaving the build the command uses alone).
const OUT = outFlag > 0 ? resolve(process.argv[outFlag + 1]) : join(DAEMON, "dist");
const manifest = JSON.parse(readFileSync(join(DAEMON, "package.json"), "utf8"));

/**
 * Code that finds files next to itself (the Python trainer, the datasets, worker scripts) keeps
 * finding them: `import.meta.url` becomes the URL of the source file it was written in.
 */
const sourceUrl = {
  name: "source-url",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => ({
      contents: (await readFile(args.path, "utf8")).replaceAll(
        "import.meta.url",
        JSON.stringify(pathToFileURL(args.path).href),
      ),
      loader: "ts",
    }));
  },
};

const started = Date.now();
rmSync(OUT, { recursive: true, force: true });
await esbuild.build({
  entryPoints: { cli: join(DAEMON, "src", "cli", "main.ts") },
  bundle: true,
  // Each command is its own chunk, loaded when it runs.
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outdir: OUT,
  // Installed packages load from node_modules as they are; the workspace's own TypeScript is bundled.
  external: Object.keys(manifest.dependencies)
    .filter((name) => !name.startsWith("@vault-tuner/"))
    .flatMap((name) => [name, `${name}/*`])
    .concat(["zod", "zod/*"]),
  plugins: [sourceUrl],
  logLevel: "warning",
});
writeFileSync(join(OUT, "build.json"), `${JSON.stringify({ builtAt: Date.now(), root: DAEMON }, null, 2)}\n`);
console.log(`vault-tuner CLI built into ${OUT} in ${Date.now() - started} ms`);
