#!/usr/bin/env node
// Entry point for `npx vault-tuner`. The sources are TypeScript; tsx compiles them on load so the
// command works straight after `npm ci`, with no separate build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
