import { ROUTES } from "@vault-tuner/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { schemaOf } from "../route-schema";
import { listModels } from "../../models/model-registry";
import { planPublish, PublishPlanError } from "../../publish/publish-plan";
import type { AppContext } from "../app-context";
import { HttpError } from "../error-replies";

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
    app.get(ROUTES.listModels.path, { schema: schemaOf(ROUTES.listModels) }, async () => ({
      items: models(),
      serving: context.serving.deployment ?? null,
    }));
    app.get(ROUTES.getModel.path, { schema: schemaOf(ROUTES.getModel) }, async (request) => model(request.params.id));
    app.put(ROUTES.renameModel.path, { schema: schemaOf(ROUTES.renameModel) }, async (request) => {
      model(request.params.id);
      context.store.modelNames.rename(request.params.id, request.body.name, new Date().toISOString());
      return model(request.params.id);
    });
    app.post(ROUTES.planPublish.path, { schema: schemaOf(ROUTES.planPublish) }, async (request) => {
      try {
        return planPublish(request.params.id, request.body, {
          jobs: context.store.jobs,
          dataDir: context.dataDir,
          names: () => context.store.modelNames.names(),
        });
      } catch (error) {
        if (!(error instanceof PublishPlanError)) throw error;
        throw error.status === 404
          ? new HttpError(404, "not-found", error.message)
          : new HttpError(400, "invalid-body", error.message, [{ path: error.path, message: error.message }]);
      }
    });
  };
}
