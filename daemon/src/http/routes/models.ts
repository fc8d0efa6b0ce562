import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { listModels } from "../../models/model-registry";
import type { AppContext } from "../app-context";
import { HttpError } from "../error-replies";

/** A model's name as a user may give it: shown in lists and menus, so one line of reasonable length. */
const ModelNameSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(80)
    .regex(/^[^\n\r\t]+$/, "one line"),
});

/** The model registry: every trained model with its name, dataset card, recipe, metrics, GGUF files and deploy history. */
export function modelRoutes(context: AppContext): FastifyPluginAsyncZod {
  const models = () =>
    listModels(
      context.store.jobs,
      context.dataDir.datasets,
      context.serving.deployment,
      context.store.modelNames.names(),
    );
  const model = (id: string) => {
    const found = models().find((entry) => entry.id === id);
    if (!found) throw new HttpError(404, "not-found", `no trained model ${id}`);
    return found;
  };
  return async (app) => {
    app.get("/v1/models", async () => ({ items: models(), serving: context.serving.deployment ?? null }));
    app.get("/v1/models/:id", { schema: { params: z.object({ id: z.string() }) } }, async (request) =>
      model(request.params.id),
    );
    app.put(
      "/v1/models/:id/name",
      { schema: { params: z.object({ id: z.string() }), body: ModelNameSchema } },
      async (request) => {
        model(request.params.id);
        context.store.modelNames.rename(request.params.id, request.body.name, new Date().toISOString());
        return model(request.params.id);
      },
    );
  };
}
