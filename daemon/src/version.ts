import { readFileSync } from "node:fs";

/** The daemon's version, from its package manifest (reported by health and the live feed). */
export const DAEMON_VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;
