import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { listModels } from "../../jobs/model-registry";
import type { AppContext } from "../app-context";
import { HttpError } from "../error-replies";

/** The model registry: every trained model with its dataset card, recipe, metrics, GGUF files and deploy history. */
export function modelRoutes(context: AppContext): FastifyPluginAsyncZod {
  const models = () => listModels(context.store.jobs, context.dataDir.datasets, context.serving.deployment);
  return async (app) => {
    app.get("/v1/models", async () => ({ items: models(), serving: context.serving.deployment ?? null }));
    app.get("/v1/models/:id", { schema: { params: z.object({ id: z.string() }) } }, async (request) => {
      const model = models().find((entry) => entry.id === request.params.id);
      if (!model) throw new HttpError(404, "not-found", `no trained model ${request.params.id}`);
      return model;
    });
  };
}
