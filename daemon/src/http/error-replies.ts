import type { ApiErrorBody, ApiIssue } from "@vault-tuner/shared";
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { storageFailure } from "./storage-failure";

/** Most issues one 400 reply lists; a 1,000-trace batch with one bad field in each would otherwise be huge. */
const MAX_ISSUES = 20;

/** An error a route throws to answer with a given status and code. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly issues?: ApiIssue[],
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, issues?: ApiIssue[]): ApiErrorBody {
  return { error: issues && issues.length > 0 ? { code, message, issues } : { code, message } };
}

export function sendError(
  reply: FastifyReply,
  statusCode: number,
  code: string,
  message: string,
  issues?: ApiIssue[],
): FastifyReply {
  return reply
    .code(statusCode)
    .type("application/json")
    .send(errorBody(code, message, issues));
}

/** Fastify's own client errors, mapped to our codes. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "body-too-large",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported-media-type",
  FST_ERR_CTP_EMPTY_JSON_BODY: "invalid-json",
  FST_ERR_CTP_INVALID_JSON_BODY: "invalid-json",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "invalid-content-length",
};

/** Every failure leaves as `{error: {code, message, issues?}}`; unknown routes too. */
export function installErrorReplies(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? "body";
      const issues = error.validation.slice(0, MAX_ISSUES).map((issue) => ({
        path: issue.instancePath.split("/").filter(Boolean).join("."),
        message: issue.message ?? "invalid",
      }));
      const first = issues[0];
      const summary = first ? `${first.path || where}: ${first.message}` : "invalid";
      const more = error.validation.length > 1 ? ` (and ${error.validation.length - 1} more)` : "";
      return sendError(reply, 400, `invalid-${where}`, `invalid ${where}: ${summary}${more}`, issues);
    }
    if (error instanceof HttpError) return sendError(reply, error.statusCode, error.code, error.message, error.issues);
    if (error instanceof SyntaxError || (error.statusCode !== undefined && error.statusCode < 500)) {
      const status = error.statusCode ?? 400;
      return sendError(reply, status, FASTIFY_CODES[error.code] ?? "bad-request", error.message);
    }
    const storage = storageFailure(error);
    if (storage) {
      request.log.warn({ err: error }, storage.message);
      return sendError(reply, storage.status, storage.code, storage.message);
    }
    request.log.error({ err: error }, "request failed");
    return sendError(reply, 500, "internal", "the daemon failed to handle the request; its log says why");
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, "not-found", `no route ${request.method} ${request.url.split("?")[0]}`),
  );
}

/**
 * What the router refuses before any route runs (Fastify's `frameworkErrors`), in the same shape as
 * every other error: a path that is not valid percent-encoded UTF-8, a path parameter over the limit.
 */
export function answerFrameworkError(error: FastifyError, _request: unknown, reply: FastifyReply): FastifyReply {
  if (error.code === "FST_ERR_MAX_PARAM_LENGTH")
    return sendError(reply, 414, "path-too-long", "a path parameter is longer than 256 characters");
  if (error.code === "FST_ERR_BAD_URL")
    return sendError(reply, 400, "bad-url", "the path is not valid percent-encoded UTF-8");
  return sendError(reply, 400, "bad-request", error.message);
}

/** Node's parser errors as our status, code and words. */
const PARSER_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [
    431,
    "headers-too-large",
    "the request line or headers are too large (a URL this long is not one the daemon makes)",
  ],
  HPE_URI_TOO_LONG: [414, "uri-too-long", "the URL is too long"],
};

/** A request Node's HTTP parser refused, answered as `{error: {code, message}}` before the socket closes. */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  // A peer that hung up hears nothing; a socket that cannot be written to is let go.
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, message] = PARSER_ERRORS[error.code ?? ""] ?? [
    400,
    "bad-request",
    "the request is not valid HTTP",
  ];
  const body = JSON.stringify(errorBody(code, message));
  // Written, then the connection closed: the peer may not read further, and nothing else comes on it.
  socket.write(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}
