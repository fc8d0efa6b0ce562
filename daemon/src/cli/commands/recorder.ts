import { join } from "node:path";
import { ClientConfigError } from "@vault-tuner/shared";
import { prepareDataDir, resolveDataDir } from "../../config/data-dir";
import { clientConfigPath, CLIENTS, type Client } from "../../recorder/client-config-path";
import { installRecorder, uninstallRecorder, type RecorderTarget } from "../../recorder/install-recorder";
import { TAP_EXIT_PLUGIN_GONE } from "@vault-tuner/shared/tap-exit";
import { nexusSocketPath, RelayError, runNexusRelay } from "../../recorder/nexus-relay";
import { writeTapFile } from "../../recorder/tap-file";
import type { Output } from "../output";
import { EXIT_OK, UsageError } from "../usage-error";

function target(values: Record<string, unknown>): RecorderTarget {
  const vault = values.vault as string | undefined;
  if (!vault) throw new UsageError("--vault DIR is required: the Obsidian vault whose server entry to change");
  const client = (values.client as string | undefined) ?? "claude-desktop";
  if (!(CLIENTS as readonly string[]).includes(client))
    throw new UsageError(`--client must be one of ${CLIENTS.join(", ")}`);
  return {
    vault,
    configPath: (values.config as string | undefined) ?? clientConfigPath(client as Client),
    dataDir: prepareDataDir(resolveDataDir(values["data-dir"] as string | undefined)),
  };
}

/** `vault-tuner recorder install`: the client will launch the tap in front of the vault's server. */
export async function runRecorderInstall(args: { values: Record<string, unknown> }, output: Output): Promise<number> {
  const where = target(args.values);
  try {
    const tap = (args.values.tap as string | undefined) ?? writeTapFile(join(where.dataDir.root, "tap.cjs"));
    const result = installRecorder(where, tap, args.values.daemon as string | undefined);
    output.out(
      result.changed
        ? `recording ${result.key}: ${result.configPath} now starts the tap (${tap}) in front of it; backup at ${result.backup}\nrestart the client to start recording\n`
        : `${result.key} in ${result.configPath} already records; nothing changed\n`,
    );
    return EXIT_OK;
  } catch (error) {
    if (error instanceof ClientConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/** `vault-tuner recorder uninstall`: the entry goes back to what it was. */
export async function runRecorderUninstall(args: { values: Record<string, unknown> }, output: Output): Promise<number> {
  try {
    const result = uninstallRecorder(target(args.values));
    output.out(
      result.changed
        ? `${result.key} in ${result.configPath} restored; restart the client\n`
        : `${result.key} in ${result.configPath} was not recording; nothing changed\n`,
    );
    return EXIT_OK;
  } catch (error) {
    if (error instanceof ClientConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/** `vault-tuner recorder relay`: records the `nexus` shell command's calls until stopped. */
export async function runRecorderRelay(args: { values: Record<string, unknown> }, output: Output): Promise<number> {
  const vault = args.values.vault as string | undefined;
  const socket = args.values.socket as string | undefined;
  if (!vault && !socket)
    throw new UsageError("give --vault NAME (the vault's name in Obsidian) or --socket PATH (the plugin's socket)");
  const dataDir = prepareDataDir(resolveDataDir(args.values["data-dir"] as string | undefined));
  try {
    const code = await runNexusRelay({
      socketPath: socket ?? nexusSocketPath(vault as string),
      tap: (args.values.tap as string | undefined) ?? writeTapFile(join(dataDir.root, "tap.cjs")),
      spool: join(dataDir.root, "spool"),
      tokenFile: join(dataDir.root, "token"),
      log: (line) => output.err(`${line}\n`),
    });
    if (code === TAP_EXIT_PLUGIN_GONE)
      output.err(
        "the plugin's socket went away (Obsidian closed or Nexus restarted): run the relay again once it is back\n",
      );
    return code === 0 ? EXIT_OK : code;
  } catch (error) {
    if (error instanceof RelayError) throw new UsageError(error.message);
    throw error;
  }
}
