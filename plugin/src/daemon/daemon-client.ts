import type { DeviceSettings } from "../settings/device-settings";

/**
 * Why a request to the daemon did not succeed: `unavailable` (not running, restarting, or answering 5xx:
 * try again later), `unauthorized` (the token is wrong: retrying will not help until it is fixed), or
 * `refused` (the daemon read the request and said no, for example an unknown trace: never retried).
 */
export class DaemonError extends Error {
  constructor(
    message: string,
    readonly kind: "unavailable" | "unauthorized" | "refused",
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The plugin's way to the daemon: JSON over loopback with the device's token. */
export class DaemonClient {
  constructor(private readonly device: () => DeviceSettings) {}

  async request<T>(method: "GET" | "POST" | "PUT", path: string, body?: unknown): Promise<T> {
    const text = await this.requestText(method, path, body);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** The answer's body as text (a Markdown note, a log). */
  async requestText(method: "GET" | "POST" | "PUT", path: string, body?: unknown): Promise<string> {
    const { daemonUrl, token } = this.device();
    let response: Response;
    try {
      response = await fetch(`${daemonUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new DaemonError(`the Vault Tuner daemon is not running at ${daemonUrl}`, "unavailable");
    }
    const text = await response.text();
    if (response.ok) return text;
    const message = readErrorMessage(text) ?? `${method} ${path} answered ${response.status}`;
    if (response.status === 401)
      throw new DaemonError(
        "the daemon refused the token: copy it again from the daemon's token file into the settings",
        "unauthorized",
        401,
      );
    if (response.status >= 500) throw new DaemonError(`the daemon failed: ${message}`, "unavailable", response.status);
    throw new DaemonError(message, "refused", response.status);
  }
}

function readErrorMessage(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    return typeof parsed.error?.message === "string" ? parsed.error.message : undefined;
  } catch {
    return undefined;
  }
}
