import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import {
  ClientConfigError,
  findVaultEntry,
  isTapped,
  tappedEntry,
  untappedEntry,
  type ClientConfig,
  type ServerEntry,
  describeError,
} from "@vault-tuner/shared";
import type { DataDir } from "../config/data-dir";
import { spliceJsonValue } from "./json-splice";
import { writeFileAtomically } from "../config/write-file-atomically";

export interface RecorderTarget {
  vault: string;
  configPath: string;
  dataDir: DataDir;
}

export interface InstallResult {
  configPath: string;
  key: string;
  changed: boolean;
  backup?: string;
}

/** What install changed, so uninstall can put back exactly what was there. */
interface InstallRecord {
  configPath: string;
  key: string;
  original: ServerEntry;
  /** The config text before and after install. */
  before: string;
  after: string;
}

function recordsFile(dataDir: DataDir): string {
  return join(dataDir.root, "recorder-installs.json");
}

function readRecords(dataDir: DataDir): InstallRecord[] {
  const file = recordsFile(dataDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as InstallRecord[]) : [];
}

function writeRecords(dataDir: DataDir, records: InstallRecord[]): void {
  writeFileAtomically(recordsFile(dataDir), `${JSON.stringify(records, null, 2)}\n`, 0o600);
}

function readConfig(configPath: string): { text: string; config: ClientConfig } {
  if (!existsSync(configPath))
    throw new ClientConfigError(`no client config at ${configPath}; pass --config FILE if it lives elsewhere`);
  let text: string;
  try {
    text = readFileSync(configPath, "utf8");
  } catch (error) {
    // A folder, or a file this user may not read: the client's config cannot be this.
    throw new ClientConfigError(
      `cannot read the client config ${configPath} (${describeError(error)}); pass --config FILE`,
    );
  }
  try {
    return { text, config: JSON.parse(text) as ClientConfig };
  } catch (error) {
    throw new ClientConfigError(
      `${configPath} is not valid JSON (${describeError(error)}); fix it first, nothing was changed`,
    );
  }
}

/** Keeps the file's own indentation, so the diff a user sees is the one entry. */
function indentOf(text: string): string | number {
  const match = /\n([ \t]+)"/.exec(text);
  return match?.[1]?.startsWith("\t") ? "\t" : (match?.[1]?.length ?? 2);
}

/**
 * Points the vault's server entry at the tap, which then launches the original command. Idempotent;
 * backs the config up first; touches no other entry.
 */
export function installRecorder(target: RecorderTarget, tapPath: string, pinnedDaemonUrl?: string): InstallResult {
  const vault = resolve(target.vault);
  const { text, config } = readConfig(target.configPath);
  const key = findVaultEntry(config, basename(vault), vault);
  const servers = config.mcpServers as Record<string, ServerEntry>;
  const entry = servers[key] as ServerEntry;
  if (isTapped(entry)) return { configPath: target.configPath, key, changed: false };
  if (!existsSync(tapPath))
    throw new ClientConfigError(`the tap is not at ${tapPath}; the client could not start the vault server`);
  const backup = `${target.configPath}.vault-tuner-backup`;
  copyFileSync(target.configPath, backup);
  // No daemon URL unless one is pinned: the tap reads the running daemon's address beside the token at
  // every delivery, so a daemon restarted on another port is found without touching the client's config.
  servers[key] = tappedEntry(entry, tapPath, [
    "--spool",
    target.dataDir.spool,
    "--token-file",
    target.dataDir.token,
    ...(pinnedDaemonUrl ? ["--daemon", pinnedDaemonUrl] : []),
  ]);
  // Only the entry changes; the rest of the file keeps its bytes, however the user formatted it.
  const after = spliceJsonValue(text, ["mcpServers", key], servers[key], indentOf(text));
  const records = readRecords(target.dataDir).filter(
    (record) => !(record.configPath === target.configPath && record.key === key),
  );
  writeRecords(target.dataDir, [
    ...records,
    { configPath: target.configPath, key, original: entry, before: text, after },
  ]);
  writeFileAtomically(target.configPath, after, 0o600);
  return { configPath: target.configPath, key, changed: true, backup };
}

/**
 * Takes the tap out. If the config is still exactly as install left it, the original file comes back
 * byte for byte; otherwise only the entry is restored and the user's later changes stay.
 */
export function uninstallRecorder(target: RecorderTarget): InstallResult {
  const vault = resolve(target.vault);
  const { text, config } = readConfig(target.configPath);
  const key = findVaultEntry(config, basename(vault), vault);
  const servers = config.mcpServers as Record<string, ServerEntry>;
  const entry = servers[key] as ServerEntry;
  if (!isTapped(entry)) return { configPath: target.configPath, key, changed: false };
  const records = readRecords(target.dataDir);
  const record = records.find((candidate) => candidate.configPath === target.configPath && candidate.key === key);
  if (record && record.after === text) writeFileAtomically(target.configPath, record.before, 0o600);
  else {
    writeFileAtomically(
      target.configPath,
      spliceJsonValue(text, ["mcpServers", key], record?.original ?? untappedEntry(entry), indentOf(text)),
      0o600,
    );
  }
  writeRecords(
    target.dataDir,
    records.filter((candidate) => candidate !== record),
  );
  return { configPath: target.configPath, key, changed: true };
}
