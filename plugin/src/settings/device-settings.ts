import { DEFAULT_DAEMON_URL } from "@vault-tuner/shared";

/**
 * The daemon's address and token belong to this device, not to the vault: data.json syncs across
 * devices, so they are kept in Obsidian's per-device local storage instead.
 */
export interface DeviceSettings {
  daemonUrl: string;
  token: string;
}

/** The part of Obsidian's App this needs (`app.loadLocalStorage` / `app.saveLocalStorage`). */
export interface LocalStorage {
  loadLocalStorage(key: string): unknown;
  saveLocalStorage(key: string, value: unknown): void;
}

const KEYS = { daemonUrl: "vault-tuner-daemon-url", token: "vault-tuner-token" } as const;

export function loadDeviceSettings(storage: LocalStorage): DeviceSettings {
  const url = storage.loadLocalStorage(KEYS.daemonUrl);
  const token = storage.loadLocalStorage(KEYS.token);
  return {
    daemonUrl: typeof url === "string" && url !== "" ? url : DEFAULT_DAEMON_URL,
    token: typeof token === "string" ? token : "",
  };
}

export function saveDeviceSettings(storage: LocalStorage, settings: DeviceSettings): void {
  storage.saveLocalStorage(KEYS.daemonUrl, settings.daemonUrl.replace(/\/+$/, ""));
  storage.saveLocalStorage(KEYS.token, settings.token.trim());
}

/** Whether a daemon URL is one the daemon can have: http on this machine's loopback. */
export function checkDaemonUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL (for example ${DEFAULT_DAEMON_URL})`;
  }
  if (parsed.protocol !== "http:") return "the daemon speaks plain http on this machine (http://127.0.0.1:port)";
  if (!["127.0.0.1", "localhost", "[::1]"].includes(parsed.hostname))
    return "the daemon only listens on this machine: use 127.0.0.1";
  return undefined;
}
