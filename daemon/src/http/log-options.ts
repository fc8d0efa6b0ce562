import type { FastifyInstance, FastifyServerOptions } from "fastify";

/** Hides a `token` query parameter (the websocket's), however its name is spelled or escaped, wherever a URL is logged. */
export function redactUrl(url: string): string {
  return url.replace(/([?&])([^=&#]*)=([^&#]*)/g, (whole, separator: string, name: string) =>
    decodedName(name).toLowerCase() === "token" ? `${separator}${name}=[redacted]` : whole,
  );
}

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, " ")).trim();
  } catch {
    return name;
  }
}

/**
 * pino settings: JSON lines, never the token. The request serializer logs no headers at all, and the
 * redact paths cover any object that carries one anyway.
 */
export function logOptions(
  level: string,
  stream: NodeJS.WritableStream = process.stderr,
): FastifyServerOptions["logger"] {
  return {
    level,
    // stdout carries the few lines a person or a supervising process reads; the JSON log goes to stderr.
    stream,
    redact: { paths: ["req.headers.authorization", "headers.authorization", "token", "*.token"], censor: "[redacted]" },
    serializers: {
      req: (request: { method: string; url: string; ip?: string }) => ({
        method: request.method,
        url: redactUrl(request.url),
        remoteAddress: request.ip,
      }),
    },
  };
}

/** Refused and failed requests at info (warn for server errors), successful ones only at debug. */
export function logRequestOutcomes(app: FastifyInstance): void {
  app.addHook("onResponse", async (request, reply) => {
    const status = reply.statusCode;
    const level = status >= 500 ? "warn" : status >= 400 ? "info" : "debug";
    request.log[level]({ req: request, status, ms: Math.round(reply.elapsedTime) }, "request");
  });
}
