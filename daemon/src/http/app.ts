import websocket from "@fastify/websocket";
import Fastify, { LogController, type FastifyInstance } from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { ROUTES } from "@vault-tuner/shared";
import type { AppContext } from "./app-context";
import { answerClientError, answerFrameworkError, installErrorReplies } from "./error-replies";
import { logOptions, logRequestOutcomes } from "./log-options";
import { installRequestGuard } from "./request-guard";
import { chatRoutes } from "./routes/chat";
import { evalRoutes } from "./routes/evals";
import { datasetRoutes } from "./routes/datasets";
import { eventRoutes } from "./routes/events";
import { healthRoutes } from "./routes/health";
import { jobRoutes } from "./routes/jobs";
import { modelRoutes } from "./routes/models";
import { recorderRoutes } from "./routes/recorder";
import { platformRoutes } from "./routes/platform";
import { traceRoutes } from "./routes/traces";

export interface AppOptions {
  token: string;
  /** Largest request body accepted, in bytes (a full 1,000-trace batch with results fits the default). */
  bodyLimit?: number;
  logLevel?: string;
  /** Where the JSON log goes (stderr by default). */
  logStream?: NodeJS.WritableStream;
  /** The `Host` values requests may carry: the daemon's loopback address and port, known once it listens. */
  hosts: () => readonly string[];
}

export const DEFAULT_BODY_LIMIT = 32 * 1024 * 1024;

/** The daemon's HTTP application, without a listening socket: server.ts binds it to loopback. */
export async function buildApp(context: AppContext, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logOptions(options.logLevel ?? "info", options.logStream),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Trace ids (up to 200 characters) and dataset names go in paths.
    routerOptions: { maxParamLength: 256 },
    forceCloseConnections: true,
    // One line per request at ingest rates is noise; see logRequestOutcomes.
    logController: new LogController({ disableRequestLogging: true }),
    // What Node's HTTP parser refuses (a request line or headers too long, a malformed request) never reaches
    // a route: it is answered here, in the same shape as every other error.
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
  }).withTypeProvider<ZodTypeProvider>();
  // The routes take JSON; text is refused (415) rather than parsed and blamed on its shape.
  app.removeContentTypeParser("text/plain");
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // The route table in shared/ is the one contract with the plugin and the CLI: a route missing from it
  // stops the daemon from starting, so the two cannot drift apart.
  const tabled = new Set(Object.values(ROUTES).map((route) => `${route.method} ${route.path}`));
  app.addHook("onRoute", (options) => {
    for (const method of [options.method].flat()) {
      if (method === "HEAD") continue;
      if (!tabled.has(`${method} ${options.url}`))
        throw new Error(`${method} ${options.url} is not in the route table (shared/src/api/routes.ts)`);
    }
  });
  installErrorReplies(app);
  installRequestGuard(app, options.token, options.hosts);
  logRequestOutcomes(app);
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(healthRoutes(context.quarantine));
  await app.register(traceRoutes(context));
  await app.register(eventRoutes(context));
  await app.register(datasetRoutes(context));
  await app.register(jobRoutes(context));
  await app.register(platformRoutes(context));
  await app.register(chatRoutes(context));
  await app.register(evalRoutes(context));
  await app.register(modelRoutes(context));
  await app.register(recorderRoutes(context));
  return app;
}
