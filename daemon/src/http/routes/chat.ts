import { ROUTES } from "@vault-tuner/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { schemaOf } from "../route-schema";
import type { ChatMessage, ChatTool } from "../../inference/chat-types";
import type { AppContext } from "../app-context";
import { HttpError } from "../error-replies";

/** Chat with tools against the model deployed into the daemon (for the evaluator and the plugin). */
export function chatRoutes(context: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(ROUTES.chat.path, { schema: schemaOf(ROUTES.chat) }, async (request) => {
      const deployment = context.serving.deployment;
      if (!deployment)
        throw new HttpError(
          409,
          "nothing-deployed",
          "no model is deployed to the daemon: run a deploy job with target embedded first",
        );
      const { content, toolCalls } = await context.serving.answer(
        request.body.messages as ChatMessage[],
        request.body.tools as ChatTool[],
        { maxTokens: request.body.maxTokens },
      );
      return { content, toolCalls, backend: "embedded" as const, gguf: deployment.gguf };
    });
  };
}
