import { ROUTES } from "@vault-tuner/shared";
import { daemonClient } from "../daemon-client";
import type { Output } from "../output";
import { EXIT_OK, UsageError } from "../usage-error";

/** `vault-tuner models [list] | show ID | rename ID NAME`: the trained models by name, their ids and files one step away. */
export async function runModels(
  args: { values: Record<string, unknown>; positionals: string[] },
  output: Output,
): Promise<number> {
  const [action = "list", id, ...name] = args.positionals;
  const client = daemonClient(args.values);
  switch (action) {
    case "list": {
      const models = (await client.call(ROUTES.listModels)).items;
      if (models.length === 0) output.out("no trained models yet: vault-tuner train --dataset NAME\n");
      for (const model of models) {
        const latest = model.exports.at(-1);
        const serving = model.deployments.some((deployment) => deployment.current) ? "  (served now)" : "";
        output.out(
          `${model.name}${serving}\n  id ${model.id}${latest ? `, export ${latest.jobId} (${latest.files.map((file) => (file.kind === latest.recommended ? `${file.kind}*` : file.kind)).join(", ")})` : ", not exported"}\n`,
        );
      }
      if (models.some((model) => model.exports.some((exported) => exported.recommended)))
        output.out("* the file the export's quantization check recommended\n");
      return EXIT_OK;
    }
    case "show": {
      if (!id) throw new UsageError("give the model's id: vault-tuner models show ID");
      output.out(`${JSON.stringify(await client.call(ROUTES.getModel, { params: { id } }), null, 2)}\n`);
      return EXIT_OK;
    }
    case "rename": {
      if (!id || name.length === 0)
        throw new UsageError('give the id and the new name: vault-tuner models rename ID "my vault model"');
      const renamed = await client.call(ROUTES.renameModel, { params: { id }, body: { name: name.join(" ") } });
      output.out(`${id} is now "${renamed.name}"\n`);
      return EXIT_OK;
    }
    default:
      throw new UsageError(`unknown action "${action}": list, show or rename`);
  }
}
