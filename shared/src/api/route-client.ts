import type { z } from "zod";
import type { Route } from "./routes";

type Input<T> = T extends z.ZodType ? z.input<T> : never;
/** A query is written from values as the daemon reads them (a number, a boolean), each optional. */
type QueryInput<T> = T extends z.ZodType ? Partial<z.output<T>> : never;

/** What a call of `R` takes: its path parameters, query and body, each typed by the route's own schema. */
export type RouteInput<R extends Route> = (R["params"] extends z.ZodType ? { params: Input<R["params"]> } : unknown) &
  (R["query"] extends z.ZodType ? { query?: QueryInput<R["query"]> } : unknown) &
  (R["body"] extends z.ZodType ? { body: Input<R["body"]> } : unknown);

/** What a call of `R` resolves with: the parsed reply, or the text of a text or file route. */
export type RouteResult<R extends Route> = R["reply"] extends z.ZodType ? z.output<R["reply"]> : string;

/** Sends one request and hands back the status and the body's text; throws only when the daemon cannot be reached. */
export type Transport = (
  method: Route["method"],
  path: string,
  body: unknown,
) => Promise<{ status: number; text: string }>;

/** The part of `fetch` a transport needs: Node's and the browser's both fit. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{ status: number; text(): Promise<string> }>;

/**
 * The transport the plugin and the CLI use: JSON over HTTP to `baseUrl` with the bearer token. A daemon that
 * cannot be reached becomes the caller's own error (`unreachable`), worded for its user.
 */
export function httpTransport(fetchFn: FetchLike, baseUrl: string, token: string, unreachable: () => Error): Transport {
  return async (method, path, body) => {
    let response: Awaited<ReturnType<FetchLike>>;
    try {
      response = await fetchFn(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw unreachable();
    }
    return { status: response.status, text: await response.text() };
  };
}

/** A request the route's own schema refuses, found before it is sent: `path` names the field. */
export class RouteInputError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/** The daemon answered with something other than the route's success: its status, code, message and first field. */
export class RouteReplyError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
    readonly path: string | undefined,
  ) {
    super(message);
  }
}

/** The request's path and query: parameters checked and encoded, the query from the route's schema. */
export function routeUrl(route: Route, input: { params?: unknown; query?: unknown } = {}): string {
  const params = (route.params ? checked(route.params, input.params, "") : {}) as Record<string, unknown>;
  const path = route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(String(params[name])));
  if (!route.query || input.query === undefined) return path;
  // Checked as the daemon will read it: every value as text.
  const query = Object.fromEntries(
    Object.entries(input.query as Record<string, unknown>)
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([key, value]) => [key, String(value)]),
  );
  checked(route.query, query, "");
  const pairs = Object.entries(query).map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  return pairs.length > 0 ? `${path}?${pairs.join("&")}` : path;
}

/**
 * Calls one route of the daemon's API: the request is checked with the route's schemas before it is sent
 * (so a client refuses what the daemon would, with the same words), and the reply is parsed with the
 * route's reply schema. Throws RouteInputError, RouteReplyError, or the transport's own error.
 */
export async function callRoute<R extends Route>(
  transport: Transport,
  route: R,
  input: RouteInput<R> = {} as RouteInput<R>,
): Promise<RouteResult<R>> {
  const given = input as { params?: unknown; query?: unknown; body?: unknown };
  const url = routeUrl(route, given);
  if (route.body) checked(route.body, given.body, "");
  const { status, text } = await transport(route.method, url, route.body ? given.body : undefined);
  const where = `${route.method} ${route.path}`;
  if (!route.statuses.includes(status)) throw replyError(status, text, where);
  if (typeof route.reply === "string") return text as RouteResult<R>;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RouteReplyError(
      `${where} answered ${status} with something that is not JSON`,
      status,
      "contract",
      undefined,
    );
  }
  const parsed = route.reply.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || "reply";
    throw new RouteReplyError(
      `${where}: the daemon's reply breaks the contract at ${field}: ${issue?.message} (a daemon of another version?)`,
      status,
      "contract",
      field,
    );
  }
  return parsed.data as RouteResult<R>;
}

function checked(schema: z.ZodType, value: unknown, prefix: string): unknown {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = `${prefix}${issue?.path.join(".") ?? ""}`;
  throw new RouteInputError(`${path ? `${path}: ` : ""}${issue?.message ?? "invalid"}`, path);
}

/** The daemon's error reply (`{ error: { code, message, issues } }`) as an error, else its status and first words. */
function replyError(status: number, text: string, where: string): RouteReplyError {
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string; issues?: { path?: string }[] } };
    const error = body.error;
    if (error?.message) return new RouteReplyError(error.message, status, error.code, error.issues?.[0]?.path);
  } catch {
    // Not the daemon's error shape: said below with the status.
  }
  return new RouteReplyError(
    `${where} answered ${status}${text ? `: ${text.slice(0, 200)}` : ""}`,
    status,
    undefined,
    undefined,
  );
}
