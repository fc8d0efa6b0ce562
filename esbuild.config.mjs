// Bundles the Obsidian plugin (plugin/src/main.ts, with the runtime-neutral parts of shared/) into the
// root main.js that Obsidian loads. `node esbuild.config.mjs production` builds once, minified;
// without the argument it watches. Type checking is `tsc`'s job (npm run build runs it first).
import { builtinModules } from "node:module";
import esbuild from "esbuild";

const production = process.argv[2] === "production";

const context = await esbuild.context({
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

if (production) {
  await context.rebuild();
  await context.dispose();
} else {
  await context.watch();
}
