import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      // The plugin's unit tests run its modules in Node, against a small stand-in for Obsidian's API.
      obsidian: fileURLToPath(new URL("./plugin/test/obsidian-stub.ts", import.meta.url)),
      // The tap is embedded by esbuild.config.mjs at build time; unit tests get a short stand-in.
      "vault-tuner:tap": fileURLToPath(new URL("./plugin/test/tap-source-stub.ts", import.meta.url)),
    },
  },
  test: {
    include: ["shared/test/**/*.test.ts", "daemon/test/**/*.test.ts", "plugin/test/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
