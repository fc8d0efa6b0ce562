// Bundles the Obsidian plugin (plugin/src/main.ts, with the runtime-neutral parts of shared/) into the
// root main.js that Obsidian loads, and the recording tap (plugin/tap/main.ts) into tap.cjs, a single
// file MCP clients run with a bare `node`. `node esbuild.config.mjs production` builds once, minified;
// without the argument it watches. Type checking is `tsc`'s job (npm run build runs it first).
import { builtinModules } from "node:module";
import esbuild from "esbuild";

const production = process.argv[2] === "production";

const plugin = await esbuild.context({
  entryPoints: ["plugin/src/main.ts"],
  bundle: true,
  external: [
    "obsidian",
    "electron",
    "@codemirror/*",
    "@lezer/*",
    ...builtinModules,
    ...builtinModules.map((name) => `node:${name}`),
  ],
  format: "cjs",
  target: "es2022",
  platform: "browser",
  logLevel: "info",
  sourcemap: production ? false : "inline",
  treeShaking: true,
  minify: production,
  // Tests build elsewhere so they never touch a main.js being used.
  outfile: process.env.VAULT_TUNER_PLUGIN_OUTFILE ?? "main.js",
});

const tap = await esbuild.context({
  entryPoints: ["plugin/tap/main.ts"],
  bundle: true,
  format: "cjs",
  platform: "node",
  // Claude Desktop may start it with an older system node; nothing newer than Node 18 is used.
  target: "node18",
  logLevel: "info",
  treeShaking: true,
  minify: production,
  banner: { js: "#!/usr/bin/env node" },
  // .cjs: CommonJS wherever it is copied, whatever package.json sits above it.
  outfile: process.env.VAULT_TUNER_TAP_OUTFILE ?? "tap.cjs",
});

for (const context of [plugin, tap]) {
  if (production) {
    await context.rebuild();
    await context.dispose();
  } else {
    await context.watch();
  }
}
