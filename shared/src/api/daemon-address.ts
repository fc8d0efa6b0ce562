/** Where the daemon listens unless told otherwise: loopback only, a fixed port the plugin and the tap both know. */
export const DEFAULT_DAEMON_PORT = 51717;
export const DEFAULT_DAEMON_URL = `http://127.0.0.1:${DEFAULT_DAEMON_PORT}`;

/**
 * The file in the data dir where a running daemon writes where it listens, removed when it stops: the
 * CLI and the recorder's tap read it, so a daemon on another port (`--port 0`) is found from the data
 * dir alone, and a restarted one at its new port.
 */
export const DAEMON_ADDRESS_FILE = "daemon.json";

export interface DaemonAddress {
  url: string;
  pid: number;
  startedAt: string;
}

/** The URL in an address file's text, when it holds one. */
export function addressUrl(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<DaemonAddress>;
    return typeof parsed.url === "string" && /^https?:\/\//.test(parsed.url)
      ? parsed.url.replace(/\/$/, "")
      : undefined;
  } catch {
    return undefined;
  }
}
