import type { ApiErrorBody, ApiIssue } from "@vault-tuner/shared";
import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";

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
    request.log.error({ err: error }, "request failed");
    return sendError(reply, 500, "internal", "the daemon failed to handle the request; its log says why");
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, "not-found", `no route ${request.method} ${request.url.split("?")[0]}`),
  );
}
