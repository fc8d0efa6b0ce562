import { Notice } from "obsidian";
import { ROUTES } from "@vault-tuner/shared";
import type { PluginServices } from "../services";

type RecorderServices = Pick<PluginServices, "app" | "daemon" | "settings" | "tapPath">;
import { describeError } from "../ui/format";
import { vaultFolder } from "./tap-on-disk";

const NOTICE_MS = 12_000;

/**
 * "Install the recorder for this vault": the daemon's installer points this vault's server entry in
 * Claude Desktop's config at the tap this plugin wrote next to itself. The client must be restarted.
 */
export async function installRecorder(services: RecorderServices): Promise<void> {
  const vault = vaultFolder(services.app);
  const tap = services.tapPath();
  if (!vault || !tap) {
    new Notice("Vault Tuner can only record a vault on this computer's disk.", NOTICE_MS);
    return;
  }
  try {
    const result = await services.daemon.call(ROUTES.installRecorder, { body: { vault, tap } });
    new Notice(
      result.changed
        ? `Recording ${result.key}: restart Claude Desktop to start. Its config (${result.configPath}) was backed up to ${result.backup}.`
        : `${result.key} is already recorded; nothing changed.`,
      NOTICE_MS,
    );
    await services.settings.save({ recording: true });
  } catch (error) {
    new Notice(`Vault Tuner could not install the recorder: ${describeError(error)}`, NOTICE_MS);
  }
}

/** "Uninstall the recorder": the server entry goes back to what it was (byte for byte when untouched since). */
export async function uninstallRecorder(services: RecorderServices): Promise<void> {
  const vault = vaultFolder(services.app);
  if (!vault) {
    new Notice("Vault Tuner can only record a vault on this computer's disk.", NOTICE_MS);
    return;
  }
  try {
    const result = await services.daemon.call(ROUTES.uninstallRecorder, { body: { vault } });
    new Notice(
      result.changed
        ? `${result.key} no longer records: restart Claude Desktop.`
        : `${result.key} was not being recorded; nothing changed.`,
      NOTICE_MS,
    );
    await services.settings.save({ recording: false });
  } catch (error) {
    new Notice(`Vault Tuner could not uninstall the recorder: ${describeError(error)}`, NOTICE_MS);
  }
}
