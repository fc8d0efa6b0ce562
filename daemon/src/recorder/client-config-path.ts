import { homedir } from "node:os";
import { join } from "node:path";
import { RECORDER_CLIENTS } from "@vault-tuner/shared";

export const CLIENTS = RECORDER_CLIENTS;
export type Client = (typeof CLIENTS)[number];

/** Where the client keeps its MCP server config on this platform. */
export function clientConfigPath(
  client: Client,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  switch (client) {
    case "claude-desktop":
      if (platform === "darwin")
        return join(homedir(), "Library", "Application Support", "Claude", "claude_desktop_config.json");
      if (platform === "win32")
        return join(env.APPDATA ?? join(homedir(), "AppData", "Roaming"), "Claude", "claude_desktop_config.json");
      return join(env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), "Claude", "claude_desktop_config.json");
  }
}
