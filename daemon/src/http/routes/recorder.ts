import { existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { ROUTES, ClientConfigError, type RecorderReply } from "@vault-tuner/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { schemaOf } from "../route-schema";
import { clientConfigPath } from "../../recorder/client-config-path";
import { installRecorder, uninstallRecorder, type RecorderTarget } from "../../recorder/install-recorder";
import { writeTapFile } from "../../recorder/tap-file";
import type { AppContext } from "../app-context";
import { HttpError } from "../error-replies";

/**
 * The recorder installer over HTTP, for the plugin's "install the recorder for this vault" command:
 * the same installer as `vault-tuner recorder install`, run by the daemon on this machine. The client
 * config names this daemon, at the address the request reached it by.
 */
export function recorderRoutes(context: AppContext): FastifyPluginAsyncZod {
  const target = (body: {
    vault: string;
    client: "claude-desktop";
    configPath?: string | undefined;
  }): RecorderTarget => {
    if (!isAbsolute(body.vault))
      throw new HttpError(400, "invalid-body", `the vault must be an absolute folder path, not ${body.vault}`, [
        { path: "vault", message: "not absolute" },
      ]);
    return {
      vault: body.vault,
      configPath: body.configPath ?? clientConfigPath(body.client),
      dataDir: context.dataDir,
    };
  };
  const refusing = (action: () => RecorderReply): RecorderReply => {
    try {
      return action();
    } catch (error) {
      if (error instanceof ClientConfigError) throw new HttpError(409, "client-config", error.message);
      throw error;
    }
  };
  return async (app) => {
    app.post(ROUTES.installRecorder.path, { schema: schemaOf(ROUTES.installRecorder) }, async (request) => {
      const where = target(request.body);
      const tap = request.body.tap;
      if (tap !== undefined && (!isAbsolute(tap) || !existsSync(tap)))
        throw new HttpError(400, "invalid-body", `no tap at ${tap}`, [
          { path: "tap", message: "not an existing absolute path" },
        ]);
      const tapPath = tap ?? writeTapFile(join(context.dataDir.root, "tap.cjs"));
      return refusing(() => ({ ...installRecorder(where, tapPath), tap: tapPath }));
    });
    app.post(ROUTES.uninstallRecorder.path, { schema: schemaOf(ROUTES.uninstallRecorder) }, async (request) =>
      refusing(() => uninstallRecorder(target(request.body))),
    );
  };
}
