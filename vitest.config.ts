import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["shared/test/**/*.test.ts", "daemon/test/**/*.test.ts", "plugin/test/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
