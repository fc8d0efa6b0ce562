import { createReadStream } from "node:fs";
import { join } from "node:path";
import { ROUTES } from "@vault-tuner/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { schemaOf } from "../route-schema";
import { DatasetExistsError } from "../../datasets/build-dataset";
import { buildInWorker } from "../../datasets/build-in-worker";
import { listCards, readCard, SPLIT_FILES } from "../../datasets/output/dataset-folder";
import { BuildRequestError, checkBuildRequest } from "../../datasets/check-build-request";
import type { AppContext } from "../app-context";
import { HttpError } from "../error-replies";

/** Building datasets from files and labelled traces, listing them, and streaming their files. */
export function datasetRoutes(context: AppContext): FastifyPluginAsyncZod {
  const root = context.dataDir.datasets;
  const building = new Set<string>();
  const stopping = new AbortController();
  return async (app) => {
    app.addHook("onClose", async () => stopping.abort());
    app.post(ROUTES.buildDataset.path, { schema: schemaOf(ROUTES.buildDataset) }, async (request, reply) => {
      const options = request.body;
      if (building.has(options.name))
        throw new HttpError(409, "dataset-building", `dataset "${options.name}" is being built right now`);
      building.add(options.name);
      try {
        // Cheap checks here, so a bad request is answered without starting a thread.
        checkBuildRequest(options, context.sourceRoots);
        const job = {
          options,
          databaseFile: context.dataDir.database,
          sourceRoots: context.sourceRoots,
          outputRoot: root,
        };
        const card = await buildInWorker(
          job,
          (step) => context.events.publish({ type: "dataset.progress", name: options.name, step }),
          stopping.signal,
        );
        context.events.publish({
          type: "dataset.built",
          name: card.name,
          format: card.format,
          train: card.files["train.jsonl"]?.rows ?? 0,
          holdout: card.files["holdout.jsonl"]?.rows ?? 0,
        });
        return reply.code(201).send(card);
      } catch (error) {
        if (error instanceof DatasetExistsError) throw new HttpError(409, "dataset-exists", error.message);
        if (error instanceof BuildRequestError)
          throw new HttpError(400, "invalid-body", `invalid body: ${error.message}`, [
            { path: error.path, message: error.message },
          ]);
        throw error;
      } finally {
        building.delete(options.name);
      }
    });

    app.get(ROUTES.listDatasets.path, { schema: schemaOf(ROUTES.listDatasets) }, async () => ({
      items: listCards(root),
    }));

    app.get(ROUTES.getDataset.path, { schema: schemaOf(ROUTES.getDataset) }, async (request) => {
      const card = readCard(root, request.params.name);
      if (!card) throw new HttpError(404, "not-found", `no dataset ${request.params.name}`);
      return card;
    });

    app.get(ROUTES.downloadDataset.path, { schema: schemaOf(ROUTES.downloadDataset) }, async (request, reply) => {
      const { name } = request.params;
      if (!readCard(root, name)) throw new HttpError(404, "not-found", `no dataset ${name}`);
      const file = SPLIT_FILES[request.query.split];
      return reply
        .type(file.endsWith(".jsonl") ? "application/x-ndjson" : "application/json")
        .header("content-disposition", `attachment; filename="${name}-${file}"`)
        .send(createReadStream(join(root, name, file)));
    });
  };
}
