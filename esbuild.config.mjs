// Bundles the Obsidian plugin (plugin/src/main.ts, with the runtime-neutral parts of shared/) into the
// root main.js that Obsidian loads, and the recording tap (plugin/tap/main.ts) into tap.cjs, a single
// file MCP clients run with a bare `node`. `node esbuild.config.mjs production` builds once, minified;
// without the argument it watches. Type checking is `tsc`'s job (npm run build runs it first).
import { builtinModules } from "node:module";
import esbuild from "esbuild";

const production = process.argv[2] === "production";

/** The tap: one file MCP clients run with a bare `node`. */
const tapOptions = {
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
};

/**
 * `import tapSource from "vault-tuner:tap"` in the plugin: the tap, built exactly as tap.cjs is, as a
 * string. The plugin writes it next to itself on load, so installing the plugin installs the tap.
 */
const embedTap = {
  name: "embed-tap",
  setup(build) {
    build.onResolve({ filter: /^vault-tuner:tap$/ }, () => ({ path: "tap.cjs", namespace: "embed-tap" }));
    build.onLoad({ filter: /.*/, namespace: "embed-tap" }, async () => {
      const built = await esbuild.build({ ...tapOptions, logLevel: "silent", write: false, metafile: true });
      return { contents: built.outputFiles[0].text, loader: "text", watchFiles: Object.keys(built.metafile.inputs) };
    });
  },
};

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
  plugins: [embedTap],
  // Tests build elsewhere so they never touch a main.js being used.
  outfile: process.env.VAULT_TUNER_PLUGIN_OUTFILE ?? "main.js",
});

const tap = await esbuild.context({
  ...tapOptions,
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
