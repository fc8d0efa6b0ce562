import {
  callRoute,
  httpTransport,
  RouteInputError,
  RouteReplyError,
  type Route,
  type RouteInput,
  type RouteResult,
} from "@vault-tuner/shared";
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

/** The plugin's way to the daemon: the shared route table's routes, JSON over loopback with the device's token. */
export class DaemonClient {
  constructor(private readonly device: () => DeviceSettings) {}

  /** Calls a route: the request checked and the reply parsed with the route's own schemas. */
  async call<R extends Route>(
    route: R,
    ...input: object extends RouteInput<R> ? [RouteInput<R>?] : [RouteInput<R>]
  ): Promise<RouteResult<R>> {
    const { daemonUrl, token } = this.device();
    const transport = httpTransport(
      (url, init) => fetch(url, init),
      daemonUrl,
      token,
      () => new DaemonError(`the Vault Tuner daemon is not running at ${daemonUrl}`, "unavailable"),
    );
    try {
      return await callRoute(transport, route, input[0]);
    } catch (error) {
      throw asDaemonError(error);
    }
  }
}

/** What went wrong, in the three kinds the plugin acts on (retry later, fix the token, or give up on this request). */
function asDaemonError(error: unknown): unknown {
  if (error instanceof RouteInputError) return new DaemonError(error.message, "refused");
  if (!(error instanceof RouteReplyError)) return error;
  if (error.status === 401)
    return new DaemonError(
      "the daemon refused the token: copy it again from the daemon's token file into the settings",
      "unauthorized",
      401,
    );
  if (error.status >= 500) return new DaemonError(`the daemon failed: ${error.message}`, "unavailable", error.status);
  return new DaemonError(error.message, "refused", error.status);
}
