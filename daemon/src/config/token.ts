import { randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";

const TOKEN_BYTES = 32;

/**
 * Reads the bearer token, creating it (256 random bits, hex, mode 0600) on first start. A token file
 * that others could read is made private again, since anyone holding it can drive the daemon.
 */
export function loadOrCreateToken(file: string): { token: string; created: boolean } {
  try {
    const token = readFileSync(file, "utf8").trim();
    if (!/^[0-9a-f]{64}$/.test(token))
      throw new Error(`${file} does not hold a Vault Tuner token (64 hex digits); delete it to make a new one`);
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return { token, created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const token = randomBytes(TOKEN_BYTES).toString("hex");
  writeFileSync(file, `${token}\n`, { mode: 0o600, flag: "wx" });
  return { token, created: true };
}

/** Compares in time independent of where the strings differ, so the token cannot be guessed byte by byte. */
export function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}
