import { FileSystemAdapter, normalizePath, type App, type PluginManifest } from "obsidian";
import tapSource from "vault-tuner:tap";

/**
 * Writes the tap this plugin carries next to its main.js (`.obsidian/plugins/vault-tuner/tap.cjs`), so
 * that the recorder installer can point the MCP client at it, and an updated plugin updates the tap.
 * Written only when it differs. Returns its absolute path, or undefined where the vault is not on a
 * local disk (the recorder cannot run there).
 */
export async function writeTapNextToPlugin(app: App, manifest: PluginManifest): Promise<string | undefined> {
  const adapter = app.vault.adapter;
  if (!(adapter instanceof FileSystemAdapter) || !manifest.dir) return undefined;
  const path = normalizePath(`${manifest.dir}/tap.cjs`);
  const current = (await adapter.exists(path)) ? await adapter.read(path) : undefined;
  if (current !== tapSource) await adapter.write(path, tapSource);
  // getFullPath is newer than the app versions this plugin supports; the base path is not.
  return `${adapter.getBasePath()}/${path}`;
}

/** The vault's folder on disk, which the recorder installer looks for in the client's config. */
export function vaultFolder(app: App): string | undefined {
  const adapter = app.vault.adapter;
  return adapter instanceof FileSystemAdapter ? adapter.getBasePath() : undefined;
}
