import { ROUTES } from "@vault-tuner/shared";
import type { DaemonClient } from "./daemon-client";
import { describeError } from "../ui/format";

export type ConnectionState = { ok: true; version: string; platform: string } | { ok: false; message: string };

/**
 * "Test connection": the daemon answers health without a token, so a wrong address and a wrong token are
 * told apart; then one authorized request proves the token.
 */
export async function testConnection(client: DaemonClient): Promise<ConnectionState> {
  try {
    const health = await client.call(ROUTES.health);
    const platform = await client.call(ROUTES.platform);
    return { ok: true, version: health.version, platform: platform.reason };
  } catch (error) {
    return { ok: false, message: describeError(error) };
  }
}
